/* Images from a registry speaking the distribution (v2) API: manifests and
 * configs by digest, layers streamed through a socket pair into the layer
 * reader. Anonymous, basic and bearer-token authentication; --insecure for
 * plain http (loopback registries in tests). */
#include "docker/image_internal.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ACCEPT_MANIFESTS                                                                           \
        "Accept: application/vnd.oci.image.index.v1+json, "                                        \
        "application/vnd.docker.distribution.manifest.list.v2+json, "                              \
        "application/vnd.oci.image.manifest.v1+json, "                                             \
        "application/vnd.docker.distribution.manifest.v2+json"

struct registry {
        char *host; /* "127.0.0.1:5000", "registry-1.docker.io" */
        char *repo; /* "library/alpine" */
        char *ref;  /* tag or digest */
        const char *scheme;
        bool insecure;
        const char *username, *password;
        char *auth; /* "Authorization: ..." header once known */
};

static void registry_free(struct registry *r)
{
        free(r->host);
        free(r->repo);
        free(r->ref);
        free(r->auth);
}

/* REG/REPO[:TAG|@DIGEST]; a first component without '.', ':' or "localhost"
 * is a Docker Hub repository. */
static int parse_ref(const char *s, struct registry *r, struct bh_error *err)
{
        const char *slash = strchr(s, '/');
        const char *rest = s;
        if (slash && (memchr(s, '.', (size_t)(slash - s)) || memchr(s, ':', (size_t)(slash - s)) ||
                      strncmp(s, "localhost", (size_t)(slash - s)) == 0)) {
                r->host = bh_xstrndup(s, (size_t)(slash - s));
                rest = slash + 1;
        } else {
                r->host = bh_xstrdup("registry-1.docker.io");
        }
        const char *at = strchr(rest, '@');
        const char *colon = strrchr(rest, ':');
        if (at) {
                r->repo = bh_xstrndup(rest, (size_t)(at - rest));
                r->ref = bh_xstrdup(at + 1);
        } else if (colon && !strchr(colon, '/')) {
                r->repo = bh_xstrndup(rest, (size_t)(colon - rest));
                r->ref = bh_xstrdup(colon + 1);
        } else {
                r->repo = bh_xstrdup(rest);
                r->ref = bh_xstrdup("latest");
        }
        if (!*r->repo || !*r->ref || strstr(r->repo, ".."))
                return bh_error_set(err, EINVAL, "%s: not a REGISTRY/REPOSITORY[:TAG] reference",
                                    s);
        if (!strchr(r->repo, '/') && strcmp(r->host, "registry-1.docker.io") == 0) {
                char *lib = bh_xasprintf("library/%s", r->repo);
                free(r->repo);
                r->repo = lib;
        }
        return 0;
}

struct response {
        long status;
        struct bh_buf body;
        size_t max;
        char *www_auth;
        bool too_big;
        /* streaming: a 2xx body goes to fd */
        int fd;
        CURL *easy;
};

static size_t on_header(char *p, size_t size, size_t n, void *user)
{
        struct response *res = user;
        size_t len = size * n;
        if (len > 17 && strncasecmp(p, "www-authenticate:", 17) == 0) {
                free(res->www_auth);
                res->www_auth = bh_xstrndup(p + 17, len - 17);
                bh_strstrip(res->www_auth);
        }
        return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *user)
{
        struct response *res = user;
        size_t len = size * n;
        long status = 0;
        curl_easy_getinfo(res->easy, CURLINFO_RESPONSE_CODE, &status);
        if (res->fd >= 0 && status < 300 && status >= 200) {
                const char *c = p;
                size_t left = len;
                while (left > 0) {
                        ssize_t w = send(res->fd, c, left, MSG_NOSIGNAL);
                        if (w < 0 && errno == EINTR)
                                continue;
                        if (w < 0)
                                return 0;
                        c += w;
                        left -= (size_t)w;
                }
                return len;
        }
        if (res->body.len + len > res->max) {
                res->too_big = true;
                return 0;
        }
        bh_buf_append(&res->body, p, len);
        return len;
}

/* One GET; the status is in res->status. */
static int http_get(struct registry *r, const char *url, const char *accept, const char *auth,
                    struct response *res, struct bh_error *err)
{
        CURL *c = curl_easy_init();
        if (!c)
                return bh_error_set(err, ENOMEM, "cannot start an HTTP client");
        res->easy = c;
        struct curl_slist *h = NULL;
        if (accept)
                h = curl_slist_append(h, accept);
        if (auth)
                h = curl_slist_append(h, auth);
        char errbuf[CURL_ERROR_SIZE] = "";
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, r->insecure ? "http,https" : "https");
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_USERAGENT, "bulkhead");
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, res);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, res);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
        if (r->insecure) {
                curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
                curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
        }
        CURLcode code = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
        curl_easy_cleanup(c);
        curl_slist_free_all(h);
        if (res->too_big)
                return bh_error_set(err, EFBIG, "GET %s: larger than %zu bytes", url, res->max);
        if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && res->fd >= 0 && res->status < 300))
                return bh_error_set(err, code == CURLE_COULDNT_CONNECT ? ECONNREFUSED : EIO,
                                    "GET %s: %s%s", url,
                                    errbuf[0] ? errbuf : curl_easy_strerror(code),
                                    code == CURLE_SSL_CONNECT_ERROR && !r->insecure
                                        ? " (a plain-http registry? --insecure)"
                                        : "");
        return 0;
}

/* A parameter of a WWW-Authenticate challenge: key="value". */
static char *challenge_param(const char *h, const char *key)
{
        size_t n = strlen(key);
        for (const char *p = h; (p = strstr(p, key)); p += n) {
                if ((p == h || p[-1] == ' ' || p[-1] == ',') && p[n] == '=' && p[n + 1] == '"') {
                        const char *v = p + n + 2, *e = strchr(v, '"');
                        return e ? bh_xstrndup(v, (size_t)(e - v)) : NULL;
                }
        }
        return NULL;
}

static char *basic_header(const struct registry *r)
{
        _cleanup_free_ char *plain =
            bh_xasprintf("%s:%s", r->username ? r->username : "", r->password ? r->password : "");
        size_t n = strlen(plain);
        unsigned char *b64 = bh_xmalloc(4 * ((n + 2) / 3) + 1);
        EVP_EncodeBlock(b64, (const unsigned char *)plain, (int)n);
        char *h = bh_xasprintf("Authorization: Basic %s", b64);
        free(b64);
        return h;
}

/* Answers a 401 challenge: basic credentials, or a bearer token from the
 * realm the registry names. */
static int authenticate(struct registry *r, const char *challenge, struct bh_error *err)
{
        if (!challenge)
                return bh_error_set(err, EACCES,
                                    "%s: the registry refused access (401) without "
                                    "saying how to authenticate",
                                    r->host);
        if (strncasecmp(challenge, "Basic", 5) == 0) {
                if (!r->username)
                        return bh_error_set(err, EACCES,
                                            "%s: the registry wants a user name and password "
                                            "(--username/--password)",
                                            r->host);
                free(r->auth);
                r->auth = basic_header(r);
                return 0;
        }
        if (strncasecmp(challenge, "Bearer", 6) != 0)
                return bh_error_set(err, EACCES, "%s: unsupported authentication \"%.40s\"",
                                    r->host, challenge);
        _cleanup_free_ char *realm = challenge_param(challenge, "realm");
        _cleanup_free_ char *service = challenge_param(challenge, "service");
        _cleanup_free_ char *scope = challenge_param(challenge, "scope");
        if (!realm)
                return bh_error_set(err, EACCES, "%s: a bearer challenge without a realm", r->host);
        if (!bh_startswith(realm, "https://") && !(r->insecure && bh_startswith(realm, "http://")))
                return bh_error_set(err, EACCES, "%s: refusing a token realm that is not https: %s",
                                    r->host, realm);
        CURL *esc = curl_easy_init();
        char *es = service ? curl_easy_escape(esc, service, 0) : NULL;
        _cleanup_free_ char *def_scope = bh_xasprintf("repository:%s:pull", r->repo);
        char *sc = curl_easy_escape(esc, scope ? scope : def_scope, 0);
        _cleanup_free_ char *url =
            bh_xasprintf("%s%sscope=%s%s%s", realm, strchr(realm, '?') ? "&" : "?", sc,
                         es ? "&service=" : "", es ? es : "");
        curl_free(es);
        curl_free(sc);
        curl_easy_cleanup(esc);
        _cleanup_free_ char *basic = r->username ? basic_header(r) : NULL;
        struct response res = {.max = 1 << 20, .fd = -1};
        int rc = http_get(r, url, NULL, basic, &res, err);
        if (rc == 0 && res.status != 200)
                rc = bh_error_set(err, EACCES, "%s: the token service answered %ld", realm,
                                  res.status);
        if (rc == 0) {
                json_t *j =
                    bh_json_parse(res.body.data ? res.body.data : "", res.body.len, realm, err);
                const char *tok = bh_json_str(j, "token");
                if (!tok)
                        tok = bh_json_str(j, "access_token");
                if (!tok) {
                        rc = j ? bh_error_set(err, EACCES, "%s: no token in the answer", realm)
                               : -err->code;
                } else {
                        free(r->auth);
                        r->auth = bh_xasprintf("Authorization: Bearer %s", tok);
                }
                json_decref(j);
        }
        bh_buf_free(&res.body);
        free(res.www_auth);
        return rc;
}

/* GET with one retry after authenticating. */
static int registry_get(struct registry *r, const char *path, const char *accept,
                        struct response *res, struct bh_error *err)
{
        _cleanup_free_ char *url = bh_xasprintf("%s://%s/v2/%s", r->scheme, r->host, path);
        for (int attempt = 0; attempt < 2; attempt++) {
                bh_buf_reset(&res->body);
                res->status = 0;
                int rc = http_get(r, url, accept, r->auth, res, err);
                if (rc < 0)
                        return rc;
                if (res->status == 401 && attempt == 0) {
                        rc = authenticate(r, res->www_auth, err);
                        if (rc < 0)
                                return rc;
                        continue;
                }
                break;
        }
        if (res->status == 404)
                return bh_error_set(err, ENOENT, "%s/%s: not found in the registry (%s)", r->host,
                                    r->repo, path);
        if (res->status == 401 || res->status == 403)
                return bh_error_set(err, EACCES, "%s/%s: access denied (%ld)", r->host, r->repo,
                                    res->status);
        if (res->status < 200 || res->status >= 300)
                return bh_error_set(err, EIO, "GET %s: the registry answered %ld", url,
                                    res->status);
        return 0;
}

static int verify(const char *data, size_t len, const char *digest, struct bh_error *err)
{
        struct sha256 h;
        sha256_init(&h);
        sha256_update(&h, data, len);
        _cleanup_free_ char *got = sha256_final(&h);
        if (strcmp(got, digest) != 0)
                return bh_error_set(err, EBADMSG, "blob %s: content has digest %s", digest, got);
        return 0;
}

static int blob_get(void *user, const char *digest, const char *media_type, char **data,
                    size_t *len, struct bh_error *err)
{
        struct registry *r = user;
        bool manifest =
            media_type && (strstr(media_type, "manifest") || strstr(media_type, "index"));
        _cleanup_free_ char *path =
            bh_xasprintf("%s/%s/%s", r->repo, manifest ? "manifests" : "blobs", digest);
        struct response res = {.max = IMAGE_JSON_MAX, .fd = -1};
        int rc = registry_get(r, path, manifest ? ACCEPT_MANIFESTS : NULL, &res, err);
        free(res.www_auth);
        if (rc == 0)
                rc = verify(res.body.data ? res.body.data : "", res.body.len, digest, err);
        if (rc < 0) {
                bh_buf_free(&res.body);
                return rc;
        }
        *len = res.body.len;
        *data = bh_buf_steal(&res.body);
        return 0;
}

struct pump {
        struct registry *r;
        const char *path;
        int fd;
        int rc;
        struct bh_error err;
};

static void *pump_run(void *user)
{
        struct pump *p = user;
        struct response res = {.max = 1 << 20, .fd = p->fd};
        p->rc = registry_get(p->r, p->path, NULL, &res, &p->err);
        bh_buf_free(&res.body);
        free(res.www_auth);
        close(p->fd);
        return NULL;
}

static int read_layer(struct registry *r, const char *digest, size_t index,
                      const struct bh_image_options *opt, size_t *entries_left,
                      struct layer_delta *d, struct bh_error *err)
{
        _cleanup_free_ char *path = bh_xasprintf("%s/blobs/%s", r->repo, digest);
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                return bh_error_errno(err, errno, "socketpair");
        struct pump p = {.r = r, .path = path, .fd = sv[1]};
        pthread_t th;
        if (pthread_create(&th, NULL, pump_run, &p) != 0) {
                close(sv[0]);
                close(sv[1]);
                return bh_error_set(err, EAGAIN, "cannot start a thread");
        }
        struct fd_source src = {.fd = sv[0]};
        struct layer_limits lim = {.opt = opt, .entries_left = entries_left};
        _cleanup_free_ char *name = bh_xasprintf("layer %zu (%s)", index + 1, digest);
        int rc = layer_read(d, name, fd_source_read, &src, &lim, err);
        close(sv[0]);
        pthread_join(th, NULL);
        if (p.rc < 0)
                rc = bh_error_set(err, p.err.code, "%s", p.err.msg);
        if (rc == 0 && !opt->no_verify && strcmp(d->digest, digest) != 0)
                rc = bh_error_set(err, EBADMSG, "%s: the blob's digest is %s", name, d->digest);
        return rc;
}

int image_open_registry(struct bh_image *img, const struct bh_image_source *src,
                        const struct bh_image_options *opt, struct bh_error *err)
{
        struct registry r = {
            .insecure = src->insecure, .username = src->username, .password = src->password};
        int rc = parse_ref(src->ref, &r, err);
        if (rc < 0) {
                registry_free(&r);
                return rc;
        }
        r.scheme = src->insecure ? "http" : "https";
        _cleanup_free_ char *path = bh_xasprintf("%s/manifests/%s", r.repo, r.ref);
        struct response res = {.max = IMAGE_JSON_MAX, .fd = -1};
        rc = registry_get(&r, path, ACCEPT_MANIFESTS, &res, err);
        free(res.www_auth);
        if (rc == 0 && bh_startswith(r.ref, "sha256:"))
                rc = verify(res.body.data ? res.body.data : "", res.body.len, r.ref, err);
        struct oci_resolved o = {0};
        if (rc == 0) {
                _cleanup_free_ char *what =
                    bh_xasprintf("%s/%s:%s manifest", r.host, r.repo, r.ref);
                rc = oci_resolve(res.body.data ? res.body.data : "", res.body.len, what, NULL,
                                 blob_get, &r, &o, err);
        }
        bh_buf_free(&res.body);
        size_t n = rc == 0 ? bh_strv_len(o.layer_digests) : 0;
        struct layer_delta **deltas = bh_xcalloc(n + 1, sizeof *deltas);
        if (rc == 0) {
                img->config = json_incref(o.config);
                img->id = bh_xstrdup(o.config_digest);
                if (!bh_startswith(r.ref, "sha256:")) {
                        char *tag = bh_xasprintf("%s/%s:%s", r.host, r.repo, r.ref);
                        bh_strv_push_take(&img->repo_tags, tag);
                }
        }
        size_t entries_left = opt->max_entries;
        for (size_t i = 0; rc == 0 && i < n; i++) {
                deltas[i] = bh_xcalloc(1, sizeof **deltas);
                rc = read_layer(&r, o.layer_digests[i], i, opt, &entries_left, deltas[i], err);
        }
        if (rc == 0)
                rc = image_assemble(img, deltas, n, !opt->no_verify, err);
        for (size_t i = 0; i < n; i++)
                layer_delta_free(deltas[i]);
        free(deltas);
        oci_resolved_free(&o);
        registry_free(&r);
        if (rc < 0)
                bh_error_prefix(err, "%s", src->ref);
        return rc;
}
