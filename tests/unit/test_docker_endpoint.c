#include "base/file.h"
#include "base/util.h"
#include "docker/engine.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

static char tmp[] = "/tmp/bh-ep-XXXXXX";

static int setup(void **state)
{
        return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
        _cleanup_free_ char *cmd = bh_xasprintf("rm -rf '%s'", tmp);
        return system(cmd) == 0 ? 0 : -1;
}

static int listen_unix(const char *path)
{
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        strcpy(a.sun_path, path);
        assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
        assert_int_equal(listen(fd, 1), 0);
        return fd;
}

static void test_parse_addresses(void **state)
{
        struct bh_docker_endpoint ep = {0};
        struct bh_error err;
        assert_int_equal(bh_docker_endpoint_parse("unix:///run/docker.sock", &ep, &err), 0);
        assert_string_equal(ep.unix_path, "/run/docker.sock");
        assert_string_equal(ep.base_url, "http://localhost");
        assert_int_equal(bh_docker_endpoint_parse("tcp://10.0.0.1", &ep, &err), 0);
        assert_null(ep.unix_path);
        assert_string_equal(ep.base_url, "http://10.0.0.1:2375");
        assert_int_equal(bh_docker_endpoint_parse("tcp://[::1]:2376", &ep, &err), 0);
        assert_string_equal(ep.base_url, "http://[::1]:2376");
        assert_true(bh_docker_endpoint_parse("ssh://me@host", &ep, &err) < 0);
        assert_non_null(strstr(err.msg, "ssh://"));
        assert_true(bh_docker_endpoint_parse("unix://relative", &ep, &err) < 0);
        assert_true(bh_docker_endpoint_parse("bogus", &ep, &err) < 0);
        bh_docker_endpoint_free(&ep);
}

static void test_docker_host_with_tls(void **state)
{
        struct bh_docker_env env = {.docker_host = "tcp://dock.example:2376",
                                    .tls_verify = "1",
                                    .cert_path = "/certs",
                                    .home = tmp,
                                    .default_socket = "/nonexistent"};
        struct bh_docker_endpoint ep;
        struct bh_error err;
        assert_int_equal(bh_docker_endpoint_resolve(NULL, &env, &ep, &err), 0);
        assert_string_equal(ep.source, "DOCKER_HOST");
        assert_true(ep.tls && ep.tls_verify);
        assert_string_equal(ep.base_url, "https://dock.example:2376");
        assert_string_equal(ep.ca_file, "/certs/ca.pem");
        assert_string_equal(ep.key_file, "/certs/key.pem");
        bh_docker_endpoint_free(&ep);
        /* an explicit --host wins over DOCKER_HOST */
        assert_int_equal(bh_docker_endpoint_resolve("unix:///x.sock", &env, &ep, &err), 0);
        assert_string_equal(ep.source, "--host");
        assert_string_equal(ep.unix_path, "/x.sock");
        bh_docker_endpoint_free(&ep);
}

static void test_context_from_config(void **state)
{
        /* config.json names the context; meta.json lives under sha256(name) */
        _cleanup_free_ char *dotdocker = bh_path_join(tmp, ".docker");
        mkdir(dotdocker, 0700);
        _cleanup_free_ char *cfg = bh_path_join(dotdocker, "config.json");
        FILE *f = fopen(cfg, "w");
        fputs("{\"currentContext\":\"remote\"}", f);
        fclose(f);
        /* the directory is named by sha256 of the context name, as the CLI does */
        _cleanup_free_ char *sum =
            bh_xasprintf("printf remote | sha256sum | cut -d' ' -f1 > '%s/h'", tmp);
        assert_int_equal(system(sum), 0);
        _cleanup_free_ char *hpath = bh_path_join(tmp, "h");
        char *h = NULL;
        struct bh_error err;
        assert_int_equal(bh_read_file(hpath, 100, &h, NULL, &err), 0);
        bh_strstrip(h);
        _cleanup_free_ char *metadir = bh_xasprintf("%s/contexts/meta/%s", dotdocker, h);
        _cleanup_free_ char *mk = bh_xasprintf("mkdir -p '%s'", metadir);
        assert_int_equal(system(mk), 0);
        _cleanup_free_ char *meta = bh_path_join(metadir, "meta.json");
        f = fopen(meta, "w");
        fputs("{\"Name\":\"remote\",\"Endpoints\":{\"docker\":{\"Host\":\"unix:///ctx.sock\"}}}",
              f);
        fclose(f);
        free(h);
        struct bh_docker_env env = {.home = tmp,
                                    .docker_host = "",
                                    .docker_context = "",
                                    .docker_config = "",
                                    .default_socket = "/nonexistent"};
        struct bh_docker_endpoint ep;
        assert_int_equal(bh_docker_endpoint_resolve(NULL, &env, &ep, &err), 0);
        assert_string_equal(ep.source, "docker context remote");
        assert_string_equal(ep.unix_path, "/ctx.sock");
        bh_docker_endpoint_free(&ep);
        /* DOCKER_CONTEXT=default overrides the file and falls through to sockets */
        env.docker_context = "default";
        assert_int_equal(bh_docker_endpoint_resolve(NULL, &env, &ep, &err), 0);
        assert_string_equal(ep.unix_path, "/nonexistent");
        bh_docker_endpoint_free(&ep);
        /* a context whose meta.json is missing is an error that names it */
        env.docker_context = "ghost";
        assert_true(bh_docker_endpoint_resolve(NULL, &env, &ep, &err) < 0);
        assert_non_null(strstr(err.msg, "ghost"));
        bh_docker_endpoint_free(&ep);
}

static void test_rootless_and_podman_sockets(void **state)
{
        _cleanup_free_ char *run = bh_path_join(tmp, "run");
        mkdir(run, 0700);
        _cleanup_free_ char *podman_dir = bh_path_join(run, "podman");
        mkdir(podman_dir, 0700);
        _cleanup_free_ char *podman = bh_path_join(podman_dir, "podman.sock");
        int pfd = listen_unix(podman);
        struct bh_docker_env env = {.home = "/nonexistent",
                                    .docker_host = "",
                                    .docker_context = "",
                                    .xdg_runtime_dir = run,
                                    .default_socket = "/nonexistent.sock"};
        struct bh_docker_endpoint ep;
        struct bh_error err;
        assert_int_equal(bh_docker_endpoint_resolve(NULL, &env, &ep, &err), 0);
        assert_string_equal(ep.source, "podman socket");
        assert_string_equal(ep.unix_path, podman);
        bh_docker_endpoint_free(&ep);
        /* the rootless docker socket comes before podman's */
        _cleanup_free_ char *rootless = bh_path_join(run, "docker.sock");
        int rfd = listen_unix(rootless);
        assert_int_equal(bh_docker_endpoint_resolve(NULL, &env, &ep, &err), 0);
        assert_string_equal(ep.source, "rootless socket");
        bh_docker_endpoint_free(&ep);
        /* and the peer of a socket we listen on is ourselves */
        assert_int_equal(bh_unix_socket_peer_pid(rootless, &err), getpid());
        close(pfd);
        close(rfd);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_parse_addresses),
            cmocka_unit_test(test_docker_host_with_tls),
            cmocka_unit_test(test_context_from_config),
            cmocka_unit_test(test_rootless_and_podman_sockets),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
