#include "base/buf.h"
#include "base/error.h"
#include "base/file.h"
#include "base/json.h"
#include "base/secret.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static void test_error_messages(void **state)
{
        struct bh_error err = {0};
        assert_int_equal(bh_error_set(&err, ENOENT, "%s: not found", "/x"), -ENOENT);
        assert_string_equal(err.msg, "/x: not found");
        bh_error_prefix(&err, "daemon.json");
        assert_string_equal(err.msg, "daemon.json: /x: not found");
        assert_int_equal(bh_error_errno(&err, EACCES, "open %s", "f"), -EACCES);
        assert_string_equal(err.msg, "open f: Permission denied");
        assert_int_equal(bh_error_set(NULL, EINVAL, "ignored"), -EINVAL);
}

static void test_buf_grows(void **state)
{
        struct bh_buf b = BH_BUF_INIT;
        for (int i = 0; i < 1000; i++)
                bh_buf_printf(&b, "%d,", i);
        assert_true(b.len > 3000);
        assert_int_equal(b.data[b.len], '\0');
        assert_true(bh_startswith(b.data, "0,1,2,"));
        char *s = bh_buf_steal(&b);
        assert_null(b.data);
        free(s);
}

static void test_strings(void **state)
{
        char s[] = "  \t hello world \n";
        assert_string_equal(bh_strstrip(s), "hello world");
        assert_true(bh_endswith("docker.sock", ".sock"));
        assert_false(bh_endswith("k", ".sock"));
        assert_true(bh_streq(NULL, NULL));
        assert_false(bh_streq("a", NULL));
        _cleanup_strv_ char **v = NULL;
        bh_strv_push(&v, "a");
        bh_strv_push(&v, "b");
        assert_int_equal(bh_strv_len(v), 2);
        assert_true(bh_strv_contains(v, "b"));
        assert_false(bh_strv_contains(v, "c"));
        _cleanup_free_ char *p = bh_path_join("/etc/", "/docker/daemon.json");
        assert_string_equal(p, "/etc/docker/daemon.json");
        _cleanup_free_ char *q = bh_path_join("/", "x");
        assert_string_equal(q, "/x");
}

static void test_read_file_bounds(void **state)
{
        char dir[] = "/tmp/bh-test-XXXXXX";
        assert_non_null(mkdtemp(dir));
        _cleanup_free_ char *path = bh_path_join(dir, "f");
        FILE *f = fopen(path, "w");
        for (int i = 0; i < 10000; i++)
                fputs("0123456789", f);
        fclose(f);
        char *data = NULL;
        size_t len = 0;
        struct bh_error err = {0};
        assert_int_equal(bh_read_file(path, 200000, &data, &len, &err), 0);
        assert_int_equal(len, 100000);
        free(data);
        assert_int_equal(bh_read_file(path, 1000, &data, &len, &err), -EFBIG);
        assert_non_null(strstr(err.msg, path));
        /* a FIFO must be refused, not waited on */
        _cleanup_free_ char *fifo = bh_path_join(dir, "fifo");
        assert_int_equal(mkfifo(fifo, 0600), 0);
        assert_int_equal(bh_read_file(fifo, 1000, &data, &len, &err), -EINVAL);
        assert_int_equal(bh_read_file(dir, 1000, &data, &len, &err), -EISDIR);
        /* /proc files report size 0 but have content */
        assert_int_equal(bh_read_file("/proc/self/status", 1 << 20, &data, &len, &err), 0);
        assert_non_null(strstr(data, "Pid:"));
        free(data);
        unlink(fifo);
        unlink(path);
        rmdir(dir);
}

static void test_open_in_root_stays_inside(void **state)
{
        char dir[] = "/tmp/bh-root-XXXXXX";
        assert_non_null(mkdtemp(dir));
        _cleanup_free_ char *etc = bh_path_join(dir, "etc");
        mkdir(etc, 0755);
        _cleanup_free_ char *target = bh_path_join(dir, "etc/os-release");
        FILE *f = fopen(target, "w");
        fputs("ID=inside\n", f);
        fclose(f);
        /* an absolute symlink must resolve inside the root, not to the host's file */
        _cleanup_free_ char *link = bh_path_join(dir, "link");
        assert_int_equal(symlink("/etc/os-release", link), 0);
        _cleanup_close_ int root = open(dir, O_PATH | O_DIRECTORY);
        struct bh_error err;
        int fd = bh_open_in_root(root, "link", O_RDONLY, &err);
        assert_true(fd >= 0);
        char *data = NULL;
        assert_int_equal(bh_read_fd(fd, "link", 100, &data, NULL, &err), 0);
        assert_string_equal(data, "ID=inside\n");
        free(data);
        close(fd);
        fd = bh_open_in_root(root, "../../../etc/passwd", O_RDONLY, &err);
        assert_true(fd < 0);
        unlink(link);
        unlink(target);
        rmdir(etc);
        rmdir(dir);
}

static void test_json_paths(void **state)
{
        struct bh_error err = {0};
        const char *doc = "{\"HostConfig\":{\"Privileged\":true,\"Memory\":67108864,"
                          "\"CapAdd\":[\"SYS_ADMIN\"]},\"Name\":\"/web\"}";
        _cleanup_json_ json_t *j = bh_json_parse(doc, strlen(doc), "inspect", &err);
        assert_non_null(j);
        assert_true(bh_json_bool(j, "HostConfig.Privileged", false));
        assert_int_equal(bh_json_int(j, "HostConfig.Memory", 0), 67108864);
        assert_int_equal(bh_json_array_len(j, "HostConfig.CapAdd"), 1);
        assert_string_equal(bh_json_str(j, "Name"), "/web");
        assert_null(bh_json_str(j, "HostConfig.Missing.Deeper"));
        assert_null(bh_json_str(j, "Name.Sub"));
        assert_int_equal(bh_json_int(j, "Name", -7), -7);
        json_t *bad = bh_json_parse("{\"a\": }", 7, "daemon.json", &err);
        assert_null(bad);
        assert_true(bh_startswith(err.msg, "daemon.json: line 1, column"));
}

static void test_secret_names(void **state)
{
        const char *secret[] = {"PASSWORD",       "DB_PASSWORD",           "mysql_root_password",
                                "API_KEY",        "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN",
                                "NPM_AUTH_TOKEN", "client-secret",         "PRIVATE_KEY",
                                "REDIS_PASS"};
        const char *harmless[] = {"GPG_KEYS",
                                  "GPG_KEY",
                                  "PATH",
                                  "NGINX_VERSION",
                                  "PHP_SHA256",
                                  "PASSWORD_FILE",
                                  "MYSQL_PASSWORD_FILE",
                                  "AWS_ACCESS_KEY_ID_PATH",
                                  "SECRET_KEY_ID",
                                  "HOME",
                                  "PWD",
                                  "KEYCLOAK_VERSION",
                                  "TOKEN_URL",
                                  "SSH_AUTH_SOCK",
                                  "AUTH_SOCKET"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(secret); i++)
                assert_true(bh_secret_name(secret[i]));
        for (size_t i = 0; i < BH_ARRAY_SIZE(harmless); i++)
                assert_false(bh_secret_name(harmless[i]));
}

static void test_secret_values(void **state)
{
        assert_string_equal(bh_secret_value("AKIAIOSFODNN7EXAMPLE"), "AWS access key id");
        assert_string_equal(bh_secret_value("token=ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
                            "GitHub token");
        assert_string_equal(bh_secret_value("-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
                            "private key");
        assert_string_equal(bh_secret_value("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                            "high-entropy string");
        /* versions, checksums, paths and words are not secrets */
        const char *plain[] = {
            "1.27.1",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "/usr/lib/jvm/java-17-openjdk-amd64/bin",
            "changeme",
            "production",
            "39B641343D8C104B2B146DC3F9C39DC0B9698544",
            "-fstack-protector-strong -fpic",
            "php-8.3.12.tar.xz",
            "https://www.php.net/distributions/php-8.3.12.tar.xz",
            "linux-amd64",
            "UTF-8",
            "en_US.UTF-8",
            "docker-php-ext-configure",
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(plain); i++) {
                if (bh_secret_value(plain[i]))
                        fail_msg("%s judged a secret", plain[i]);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_error_messages),
            cmocka_unit_test(test_buf_grows),
            cmocka_unit_test(test_strings),
            cmocka_unit_test(test_read_file_bounds),
            cmocka_unit_test(test_open_in_root_stays_inside),
            cmocka_unit_test(test_json_paths),
            cmocka_unit_test(test_secret_names),
            cmocka_unit_test(test_secret_values),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
