#include "docker/engine.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CONFIG_MAX (1u << 20)

void bh_docker_endpoint_free(struct bh_docker_endpoint *ep)
{
        free(ep->host);
        free(ep->unix_path);
        free(ep->base_url);
        free(ep->ca_file);
        free(ep->cert_file);
        free(ep->key_file);
        free(ep->source);
        memset(ep, 0, sizeof *ep);
}

static const char *env_or(const char *value, const char *name)
{
        return value ? value : getenv(name);
}

static bool is_socket(const char *path)
{
        struct stat st;
        return path && stat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

int bh_docker_endpoint_parse(const char *host, struct bh_docker_endpoint *ep, struct bh_error *err)
{
        free(ep->host);
        ep->host = bh_xstrdup(host);
        if (bh_startswith(host, "unix://")) {
                const char *path = host + strlen("unix://");
                if (path[0] != '/')
                        return bh_error_set(
                            err, EINVAL, "%s: a unix socket address needs an absolute path", host);
                free(ep->unix_path);
                ep->unix_path = bh_xstrdup(path);
                free(ep->base_url);
                ep->base_url = bh_xstrdup("http://localhost");
                ep->tls = false;
                return 0;
        }
        if (bh_startswith(host, "tcp://") || bh_startswith(host, "http://") ||
            bh_startswith(host, "https://")) {
                const char *rest = strstr(host, "://") + 3;
                size_t n = strcspn(rest, "/");
                if (n == 0)
                        return bh_error_set(err, EINVAL, "%s: no host name", host);
                if (bh_startswith(host, "https://"))
                        ep->tls = true;
                bool has_port = memchr(rest, ':', n) && rest[0] != '[';
                if (rest[0] == '[')
                        has_port =
                            memchr(rest, ']', n) && ((const char *)memchr(rest, ']', n))[1] == ':';
                free(ep->base_url);
                ep->base_url = bh_xasprintf("%s://%.*s%s", ep->tls ? "https" : "http", (int)n, rest,
                                            has_port ? "" : (ep->tls ? ":2376" : ":2375"));
                free(ep->unix_path);
                ep->unix_path = NULL;
                return 0;
        }
        if (bh_startswith(host, "ssh://"))
                return bh_error_set(err, ENOTSUP,
                                    "%s: ssh:// endpoints are not supported; forward the socket "
                                    "(ssh -L) and use unix:// or tcp://",
                                    host);
        if (bh_startswith(host, "npipe://"))
                return bh_error_set(err, ENOTSUP, "%s: Windows named pipes are not supported",
                                    host);
        if (host[0] == '/') {
                _cleanup_free_ char *url = bh_xasprintf("unix://%s", host);
                return bh_docker_endpoint_parse(url, ep, err);
        }
        return bh_error_set(err, EINVAL,
                            "%s: not a docker address (use unix:///PATH or tcp://HOST:PORT)", host);
}

static void set_tls_files(struct bh_docker_endpoint *ep, const char *dir)
{
        free(ep->ca_file);
        free(ep->cert_file);
        free(ep->key_file);
        ep->ca_file = bh_path_join(dir, "ca.pem");
        ep->cert_file = bh_path_join(dir, "cert.pem");
        ep->key_file = bh_path_join(dir, "key.pem");
}

static char *docker_config_dir(const struct bh_docker_env *env)
{
        const char *dir = env_or(env->docker_config, "DOCKER_CONFIG");
        if (dir && *dir)
                return bh_xstrdup(dir);
        const char *home = env_or(env->home, "HOME");
        return home ? bh_path_join(home, ".docker") : NULL;
}

static void apply_env_tls(const struct bh_docker_env *env, struct bh_docker_endpoint *ep,
                          const char *config_dir)
{
        const char *verify = env_or(env->tls_verify, "DOCKER_TLS_VERIFY");
        const char *tls = env_or(env->tls, "DOCKER_TLS");
        if (verify && *verify) {
                ep->tls = ep->tls_verify = true;
        } else if (tls && *tls) {
                ep->tls = true;
        }
        if (!ep->tls || ep->unix_path)
                return;
        const char *certs = env_or(env->cert_path, "DOCKER_CERT_PATH");
        if (certs && *certs)
                set_tls_files(ep, certs);
        else if (config_dir)
                set_tls_files(ep, config_dir);
        if (bh_startswith(ep->base_url, "http://")) {
                char *u = bh_xasprintf("https://%s", ep->base_url + strlen("http://"));
                /* the default port follows the scheme */
                if (bh_endswith(u, ":2375") && !strstr(ep->host, ":2375"))
                        strcpy(u + strlen(u) - 4, "2376");
                free(ep->base_url);
                ep->base_url = u;
        }
}

static char *sha256_hex(const char *s)
{
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int n = 0;
        EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL);
        char *hex = bh_xmalloc(n * 2 + 1);
        for (unsigned i = 0; i < n; i++)
                sprintf(hex + 2 * i, "%02x", md[i]);
        return hex;
}

/* Returns 1 when a context other than "default" supplied the endpoint. */
static int resolve_context(const struct bh_docker_env *env, const char *config_dir,
                           struct bh_docker_endpoint *ep, struct bh_error *err)
{
        _cleanup_free_ char *name = NULL;
        const char *from_env = env_or(env->docker_context, "DOCKER_CONTEXT");
        if (from_env && *from_env) {
                name = bh_xstrdup(from_env);
        } else if (config_dir) {
                _cleanup_free_ char *path = bh_path_join(config_dir, "config.json");
                struct bh_error ignored;
                _cleanup_json_ json_t *cfg = bh_json_load_file(path, CONFIG_MAX, &ignored);
                const char *cur = bh_json_str(cfg, "currentContext");
                if (cur && *cur)
                        name = bh_xstrdup(cur);
        }
        if (!name || strcmp(name, "default") == 0)
                return 0;
        if (!config_dir)
                return bh_error_set(err, ENOENT, "docker context %s: no docker config directory",
                                    name);
        _cleanup_free_ char *hash = sha256_hex(name);
        _cleanup_free_ char *meta = bh_xasprintf("%s/contexts/meta/%s/meta.json", config_dir, hash);
        _cleanup_json_ json_t *j = bh_json_load_file(meta, CONFIG_MAX, err);
        if (!j)
                return bh_error_prefix(err, "docker context %s", name);
        const char *host = bh_json_str(j, "Endpoints.docker.Host");
        if (!host)
                return bh_error_set(
                    err, EINVAL, "docker context %s: %s has no Endpoints.docker.Host", name, meta);
        if (bh_docker_endpoint_parse(host, ep, err) < 0)
                return bh_error_prefix(err, "docker context %s", name);
        _cleanup_free_ char *tlsdir = bh_xasprintf("%s/contexts/tls/%s/docker", config_dir, hash);
        struct stat st;
        if (!ep->unix_path && stat(tlsdir, &st) == 0 && S_ISDIR(st.st_mode)) {
                ep->tls = true;
                ep->tls_verify = !bh_json_bool(j, "Endpoints.docker.SkipTLSVerify", false);
                set_tls_files(ep, tlsdir);
                if (bh_startswith(ep->base_url, "http://")) {
                        char *u = bh_xasprintf("https://%s", ep->base_url + strlen("http://"));
                        free(ep->base_url);
                        ep->base_url = u;
                }
        }
        ep->source = bh_xasprintf("docker context %s", name);
        return 1;
}

int bh_docker_endpoint_resolve(const char *host_flag, const struct bh_docker_env *env,
                               struct bh_docker_endpoint *ep, struct bh_error *err)
{
        static const struct bh_docker_env empty_env;
        if (!env)
                env = &empty_env;
        memset(ep, 0, sizeof *ep);
        _cleanup_free_ char *config_dir = docker_config_dir(env);
        if (host_flag && *host_flag) {
                if (bh_docker_endpoint_parse(host_flag, ep, err) < 0)
                        return -err->code;
                ep->source = bh_xstrdup("--host");
                apply_env_tls(env, ep, config_dir);
                return 0;
        }
        const char *docker_host = env_or(env->docker_host, "DOCKER_HOST");
        if (docker_host && *docker_host) {
                if (bh_docker_endpoint_parse(docker_host, ep, err) < 0)
                        return bh_error_prefix(err, "DOCKER_HOST");
                ep->source = bh_xstrdup("DOCKER_HOST");
                apply_env_tls(env, ep, config_dir);
                return 0;
        }
        int r = resolve_context(env, config_dir, ep, err);
        if (r != 0)
                return r < 0 ? r : 0;

        const char *system_socket =
            env->default_socket ? env->default_socket : "/var/run/docker.sock";
        const char *runtime_dir = env_or(env->xdg_runtime_dir, "XDG_RUNTIME_DIR");
        _cleanup_free_ char *rootless =
            runtime_dir ? bh_path_join(runtime_dir, "docker.sock") : NULL;
        _cleanup_free_ char *podman_user =
            runtime_dir ? bh_path_join(runtime_dir, "podman/podman.sock") : NULL;
        const struct {
                const char *path, *source;
        } candidates[] = {
            {system_socket, "system socket"},
            {rootless, "rootless socket"},
            {podman_user, "podman socket"},
            {"/run/podman/podman.sock", "podman socket"},
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(candidates); i++) {
                if (!is_socket(candidates[i].path))
                        continue;
                _cleanup_free_ char *h = bh_xasprintf("unix://%s", candidates[i].path);
                if (bh_docker_endpoint_parse(h, ep, err) < 0)
                        return -err->code;
                ep->source = bh_xstrdup(candidates[i].source);
                return 0;
        }
        /* Nothing listens: keep the system socket so the error names it. */
        _cleanup_free_ char *h = bh_xasprintf("unix://%s", system_socket);
        if (bh_docker_endpoint_parse(h, ep, err) < 0)
                return -err->code;
        ep->source = bh_xstrdup("system socket");
        return 0;
}
