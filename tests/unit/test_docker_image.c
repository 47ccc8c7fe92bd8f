#include "docker/image.h"
#include "base/json.h"
#include "image_fixture.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

static char tmpdir[] = "/tmp/bh-image-test.XXXXXX";

static bool want_all(const char *path, void *user)
{
        return true;
}

static int open_archive(const char *path, struct bh_image **img, struct bh_error *err)
{
        struct bh_image_source src = {.kind = BH_IMAGE_DOCKER_ARCHIVE, .ref = path};
        struct bh_image_options o = {.want = want_all};
        return bh_image_open(img, &src, &o, err);
}

static char *build(const char *name, struct fx_blob *layers, size_t n, bool corrupt)
{
        char *path = bh_xasprintf("%s/%s", tmpdir, name);
        fx_docker_archive(path, layers, n, "\"config\":{\"User\":\"app\"}", corrupt);
        for (size_t i = 0; i < n; i++)
                fx_blob_free(&layers[i]);
        return path;
}

static void test_clean_path(void **state)
{
        static const char *cases[][2] = {
            {"./etc/os-release", "etc/os-release"},
            {"/etc//passwd", "etc/passwd"},
            {"a/./b/", "a/b"},
            {"a/../b", "b"},
            {"usr/lib/../../etc", "etc"},
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(cases); i++) {
                char *c = bh_image_clean_path(cases[i][0]);
                assert_non_null(c);
                assert_string_equal(c, cases[i][1]);
                free(c);
        }
        assert_null(bh_image_clean_path("../etc/passwd"));
        assert_null(bh_image_clean_path("a/../../x"));
        assert_null(bh_image_clean_path("./"));
}

static void test_source_names(void **state)
{
        struct bh_image_source s;
        struct bh_error err = {0};
        assert_int_equal(bh_image_source_parse("docker-archive:/x.tar", &s, &err), 0);
        assert_int_equal(s.kind, BH_IMAGE_DOCKER_ARCHIVE);
        assert_string_equal(s.ref, "/x.tar");
        assert_int_equal(bh_image_source_parse("docker://127.0.0.1:5000/a/b:1", &s, &err), 0);
        assert_int_equal(s.kind, BH_IMAGE_REGISTRY);
        assert_int_equal(bh_image_source_parse("oci:/l", &s, &err), 0);
        assert_int_equal(s.kind, BH_IMAGE_OCI_DIR);
        assert_int_equal(bh_image_source_parse("alpine:3.19", &s, &err), 0);
        assert_int_equal(s.kind, BH_IMAGE_DAEMON);
        assert_int_equal(bh_image_source_parse(tmpdir, &s, &err), 0);
        assert_int_equal(s.kind, BH_IMAGE_ROOTFS);
        assert_int_equal(bh_image_source_parse("/no/such/file.tar", &s, &err), -ENOENT);
        assert_int_equal(bh_image_source_parse("dir:", &s, &err), -EINVAL);
}

static void test_whiteouts(void **state)
{
        const struct fx_entry l0[] = {
            {"etc/", 'd', 0755, NULL},    {"etc/os-release", 'f', 0644, "ID=debian\n"},
            {"etc/gone", 'f', 0644, "x"}, {"opt/", 'd', 0755, NULL},
            {"opt/a/", 'd', 0755, NULL},  {"opt/a/old", 'f', 0644, "old"},
            {"opt/b", 'f', 0644, "b"},    {"usr/bin/su", 'f', 04755, "su"},
            {"tmp/", 'd', 01777, NULL},   {"var/ww", 'f', 0666, "w"},
            {"del/", 'd', 0755, NULL},    {"del/sub/x", 'f', 0644, "x"},
        };
        const struct fx_entry l1[] = {
            {"etc/.wh.gone", 'f', 0, ""},  {"opt/.wh..wh..opq", 'f', 0, ""},
            {"opt/new", 'f', 0644, "new"}, {".wh.del", 'f', 0, ""},
            {"del2/", 'd', 0755, NULL},
        };
        struct fx_blob layers[] = {fx_layer(l0, BH_ARRAY_SIZE(l0), false),
                                   fx_layer(l1, BH_ARRAY_SIZE(l1), false)};
        _cleanup_free_ char *path = build("wh.tar", layers, 2, false);
        struct bh_image *img = NULL;
        struct bh_error err = {0};
        assert_int_equal(open_archive(path, &img, &err), 0);
        struct bh_image_file f;
        assert_true(bh_image_stat(img, "etc/os-release", &f));
        assert_int_equal(f.layer, 0);
        assert_false(bh_image_stat(img, "etc/gone", NULL));
        assert_false(bh_image_stat(img, "opt/a/old", NULL));
        assert_false(bh_image_stat(img, "opt/a", NULL));
        assert_false(bh_image_stat(img, "opt/b", NULL));
        assert_true(bh_image_stat(img, "opt/new", &f));
        assert_int_equal(f.layer, 1);
        assert_true(bh_image_stat(img, "opt", NULL));
        assert_false(bh_image_stat(img, "del/sub/x", NULL));
        assert_false(bh_image_stat(img, "del", NULL));
        const char *data;
        size_t len;
        assert_int_equal(bh_image_read(img, "/etc/os-release", &data, &len, &err), 0);
        assert_string_equal(data, "ID=debian\n");
        struct bh_image_file *sp;
        size_t n = bh_image_special_files(img, &sp);
        assert_int_equal(n, 2); /* usr/bin/su, var/ww; tmp is sticky */
        assert_string_equal(sp[0].path, "usr/bin/su");
        assert_string_equal(sp[1].path, "var/ww");
        free(sp);
        assert_string_equal(bh_image_repo_tags(img)[0], "fx:latest");
        assert_string_equal(bh_json_str(bh_image_config(img), "config.User"), "app");
        bh_image_free(img);
}

static void test_symlinks(void **state)
{
        const struct fx_entry l0[] = {
            {"usr/lib/os-release", 'f', 0644, "ID=ubuntu\nVERSION_ID=\"22.04\"\n"},
            {"etc/os-release", 'l', 0777, "../usr/lib/os-release"},
            {"loop1", 'l', 0777, "loop2"},
            {"loop2", 'l', 0777, "loop1"},
            {"abs", 'l', 0777, "/usr/lib/os-release"},
            {"escape", 'l', 0777, "../../../../usr/lib/os-release"},
            {"hl", 'h', 0644, "usr/lib/os-release"},
            {"usr/bin/sh", 'f', 0755, "#!"},
            {"bin", 'l', 0777, "usr/bin"},
        };
        struct fx_blob layers[] = {fx_layer(l0, BH_ARRAY_SIZE(l0), true)};
        _cleanup_free_ char *path = build("ln.tar", layers, 1, false);
        struct bh_image *img = NULL;
        struct bh_error err = {0};
        int orc = open_archive(path, &img, &err);
        if (orc)
                print_message("%s\n", err.msg);
        assert_int_equal(orc, 0);
        const char *data;
        size_t len;
        assert_int_equal(bh_image_read(img, "etc/os-release", &data, &len, &err), 0);
        assert_true(bh_startswith(data, "ID=ubuntu"));
        assert_int_equal(bh_image_read(img, "abs", &data, &len, &err), 0);
        assert_int_equal(bh_image_read(img, "escape", &data, &len, &err), 0);
        assert_int_equal(bh_image_read(img, "hl", &data, &len, &err), 0);
        struct bh_image_file st;
        assert_true(bh_image_stat(img, "bin/sh", &st)); /* through bin -> usr/bin */
        assert_int_equal(st.type, BH_FILE_REG);
        assert_true(bh_image_stat(img, "etc/os-release", &st));
        assert_int_equal(st.type, BH_FILE_SYMLINK);
        assert_int_equal(bh_image_read(img, "loop1", &data, &len, &err), -ELOOP);
        assert_non_null(strstr(err.msg, "loop1"));
        bh_image_free(img);
}

static void test_same_layer_twice_and_empty(void **state)
{
        const struct fx_entry l0[] = {{"etc/alpine-release", 'f', 0644, "3.19.1\n"}};
        struct fx_blob layers[] = {fx_layer(l0, 1, false), fx_layer(NULL, 0, false),
                                   fx_layer(l0, 1, false)};
        _cleanup_free_ char *path = build("twice.tar", layers, 3, false);
        struct bh_image *img = NULL;
        struct bh_error err = {0};
        assert_int_equal(open_archive(path, &img, &err), 0);
        size_t n;
        bh_image_layers(img, &n);
        assert_int_equal(n, 3);
        const char *data;
        size_t len;
        assert_int_equal(bh_image_read(img, "etc/alpine-release", &data, &len, &err), 0);
        assert_string_equal(data, "3.19.1\n");
        bh_image_free(img);
}

static void test_bad_input(void **state)
{
        struct bh_image *img = NULL;
        struct bh_error err = {0};
        /* path traversal in a layer */
        const struct fx_entry bad[] = {{"../../etc/passwd", 'f', 0644, "x"}};
        struct fx_blob l1[] = {fx_layer(bad, 1, false)};
        _cleanup_free_ char *p1 = build("trav.tar", l1, 1, false);
        assert_int_equal(open_archive(p1, &img, &err), -EPERM);
        assert_non_null(strstr(err.msg, "leaves the image root"));
        assert_non_null(strstr(err.msg, "l0/layer.tar"));
        /* a diff_id that does not match */
        const struct fx_entry ok[] = {{"a", 'f', 0644, "x"}};
        struct fx_blob l2[] = {fx_layer(ok, 1, false)};
        _cleanup_free_ char *p2 = build("digest.tar", l2, 1, true);
        assert_int_equal(open_archive(p2, &img, &err), -EBADMSG);
        assert_non_null(strstr(err.msg, "does not match"));
        /* truncated archive */
        struct fx_blob l3[] = {fx_layer(ok, 1, false)};
        _cleanup_free_ char *p3 = build("trunc.tar", l3, 1, false);
        struct stat st;
        stat(p3, &st);
        assert_int_equal(truncate(p3, 1000), 0);
        assert_true(open_archive(p3, &img, &err) < 0);
        assert_non_null(strstr(err.msg, "trunc.tar"));
        /* not an archive */
        _cleanup_free_ char *p4 = bh_xasprintf("%s/garbage", tmpdir);
        FILE *f = fopen(p4, "w");
        fputs("this is not a tar file at all\n", f);
        fclose(f);
        assert_true(open_archive(p4, &img, &err) < 0);
        assert_non_null(strstr(err.msg, "garbage"));
}

static void test_real_alpine(void **state)
{
        /* skip() jumps out: nothing may be left allocated when it is called */
        const char *shared = getenv("BH_SHARED");
        char *found = bh_xasprintf("%s/testdata/alpine/scan-alpine-310-synth-vuln.docker.tar",
                                   shared ? shared : "../shared");
        if (access(found, R_OK) != 0) {
                free(found);
                found = bh_xstrdup(
                    "/work/shared/testdata/alpine/scan-alpine-310-synth-vuln.docker.tar");
        }
        if (access(found, R_OK) != 0) {
                free(found);
                skip();
        }
        _cleanup_free_ char *p = found;
        struct bh_image *img = NULL;
        struct bh_error err = {0};
        assert_int_equal(open_archive(p, &img, &err), 0);
        size_t n;
        const struct bh_image_layer *L = bh_image_layers(img, &n);
        assert_int_equal(n, 3);
        assert_non_null(strstr(L[1].created_by, "/lib/apk/db/installed"));
        const char *data;
        size_t len;
        assert_int_equal(bh_image_read(img, "etc/alpine-release", &data, &len, &err), 0);
        assert_string_equal(data, "3.10.2\n");
        struct bh_image_file f;
        assert_true(bh_image_stat(img, "lib/apk/db/installed", &f));
        assert_int_equal(f.layer, 1);
        bh_image_free(img);
}

static int setup(void **state)
{
        return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
        _cleanup_free_ char *cmd = bh_xasprintf("rm -rf '%s'", tmpdir);
        return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_clean_path),
            cmocka_unit_test(test_source_names),
            cmocka_unit_test(test_whiteouts),
            cmocka_unit_test(test_symlinks),
            cmocka_unit_test(test_same_layer_twice_and_empty),
            cmocka_unit_test(test_bad_input),
            cmocka_unit_test(test_real_alpine),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
