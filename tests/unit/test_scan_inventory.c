/* Inventory of fixture images: OS detection from each kind of release file,
 * every package database layout, and the layer each package came from. */
#include "base/file.h"
#include "docker/image.h"
#include "image_fixture.h"
#include "scan/scan.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

static char tmpdir[] = "/tmp/bh-inventory-test.XXXXXX";

/* Builds a docker-archive from layers and reads its inventory into res. */
static struct bh_image *inventory(const char *name, struct fx_blob *layers, size_t n,
                                  struct bh_scan_result *res)
{
        _cleanup_free_ char *path = bh_xasprintf("%s/%s", tmpdir, name);
        fx_docker_archive(path, layers, n, "", false);
        for (size_t i = 0; i < n; i++)
                fx_blob_free(&layers[i]);
        struct bh_image_source src = {.kind = BH_IMAGE_DOCKER_ARCHIVE, .ref = path};
        struct bh_image_options o = {.want = bh_scan_wants};
        struct bh_image *img = NULL;
        struct bh_error err = {0};
        int rc = bh_image_open(&img, &src, &o, &err);
        if (rc)
                print_message("%s\n", err.msg);
        assert_int_equal(rc, 0);
        memset(res, 0, sizeof *res);
        rc = bh_scan_inventory(img, res, &err);
        if (rc)
                print_message("%s\n", err.msg);
        assert_int_equal(rc, 0);
        return img;
}

static const struct bh_package *find(const struct bh_scan_result *r, const char *name)
{
        for (size_t i = 0; i < r->packages.n; i++)
                if (strcmp(r->packages.v[i].name, name) == 0)
                        return &r->packages.v[i];
        return NULL;
}

static void test_release_files(void **state)
{
        static const struct {
                const char *file, *content, *ns;
        } cases[] = {
            {"etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n", "centos:7"},
            {"etc/redhat-release", "Red Hat Enterprise Linux Server release 7.9 (Maipo)\n",
             "rhel:7"},
            {"etc/SuSE-release",
             "SUSE Linux Enterprise Server 12 (x86_64)\nVERSION = 12\n"
             "PATCHLEVEL = 5\n",
             "sles:12.5"},
            {"etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=16.04\n", "ubuntu:16.04"},
            {"etc/debian_version", "11.9\n", "debian:11"},
            {"etc/debian_version", "trixie/sid\n", "debian:13"},
            {"etc/system-release", "Amazon Linux release 2 (Karoo)\n", "amzn:2"},
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(cases); i++) {
                const struct fx_entry e[] = {{cases[i].file, 'f', 0644, cases[i].content}};
                struct fx_blob l[] = {fx_layer(e, 1, false)};
                struct bh_scan_result res;
                struct bh_image *img = inventory("rel.tar", l, 1, &res);
                if (!res.ns || strcmp(res.ns, cases[i].ns) != 0)
                        print_message("%s: got %s\n", cases[i].file, res.ns ? res.ns : "(none)");
                assert_non_null(res.ns);
                assert_string_equal(res.ns, cases[i].ns);
                bh_scan_result_free(&res);
                bh_image_free(img);
        }
}

static void test_distroless_status_d(void **state)
{
        const struct fx_entry e[] = {
            {"etc/os-release", 'f', 0644, "ID=debian\nVERSION_ID=\"12\"\n"},
            {"var/lib/dpkg/status.d/base-files", 'f', 0644,
             "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n"},
            {"var/lib/dpkg/status.d/libssl3", 'f', 0644,
             "Package: libssl3\nSource: openssl\nVersion: 3.0.11-1~deb12u2\nArchitecture: "
             "amd64\n"},
            {"var/lib/dpkg/status.d/libssl3.md5sums", 'f', 0644, "abc  usr/lib/libssl.so.3\n"},
        };
        struct fx_blob l[] = {fx_layer(e, BH_ARRAY_SIZE(e), true)};
        struct bh_scan_result res;
        struct bh_image *img = inventory("distroless.tar", l, 1, &res);
        assert_int_equal(res.packages.n, 2);
        const struct bh_package *p = find(&res, "libssl3");
        assert_non_null(p);
        assert_string_equal(p->source_name, "openssl");
        assert_string_equal(p->db_path, "var/lib/dpkg/status.d/libssl3");
        assert_string_equal(res.ns, "debian:12");
        bh_scan_result_free(&res);
        bh_image_free(img);
}

static void test_layer_of_each_package(void **state)
{
        const char *s1 = "Package: a\nStatus: install ok installed\nVersion: 1.0\n\n"
                         "Package: b\nStatus: install ok installed\nVersion: 1.0\n";
        const char *s2 = "Package: a\nStatus: install ok installed\nVersion: 1.0\n\n"
                         "Package: b\nStatus: install ok installed\nVersion: 2.0\n\n"
                         "Package: c\nStatus: install ok installed\nVersion: 1.0\n";
        const struct fx_entry e0[] = {{"etc/debian_version", 'f', 0644, "12.5\n"},
                                      {"var/lib/dpkg/status", 'f', 0644, s1}};
        const struct fx_entry e1[] = {{"etc/motd", 'f', 0644, "hi\n"}};
        const struct fx_entry e2[] = {{"var/lib/dpkg/status", 'f', 0644, s2}};
        struct fx_blob l[] = {fx_layer(e0, 2, false), fx_layer(e1, 1, false),
                              fx_layer(e2, 1, false)};
        struct bh_scan_result res;
        struct bh_image *img = inventory("layers.tar", l, 3, &res);
        assert_int_equal(res.packages.n, 3);
        assert_int_equal(find(&res, "a")->layer, 0); /* unchanged since the first layer */
        assert_int_equal(find(&res, "b")->layer, 2); /* upgraded in the third */
        assert_int_equal(find(&res, "c")->layer, 2);
        bh_scan_result_free(&res);
        bh_image_free(img);
}

static void rpm_image(const char *dbfile, const char *where, const char *release_file,
                      const char *release, const char *ns)
{
        _cleanup_free_ char *path =
            bh_xasprintf("%s/rpm/%s", getenv("BH_TESTDATA") ? getenv("BH_TESTDATA") : ".", dbfile);
        _cleanup_free_ char *data = NULL;
        size_t len;
        assert_int_equal(bh_read_file(path, 1 << 24, &data, &len, NULL), 0);
        struct fx_blob b = {0};
        struct archive *a = fx_writer(&b, false);
        fx_add(a, release_file, 'f', 0644, release, strlen(release));
        fx_add(a, where, 'f', 0644, data, len);
        archive_write_close(a);
        archive_write_free(a);
        b.diff_id = fx_sha256(b.data, b.len);
        struct fx_blob l[] = {b};
        struct bh_scan_result res;
        struct bh_image *img = inventory("rpm.tar", l, 1, &res);
        assert_int_equal(res.packages.n, 2);
        const struct bh_package *p = find(&res, "bhtest");
        assert_non_null(p);
        assert_int_equal(p->format, BH_PKG_RPM);
        assert_string_equal(p->version, "2:1.2.3-4.el9");
        assert_string_equal(res.ns, ns);
        bh_scan_result_free(&res);
        bh_image_free(img);
}

static void test_rpm_layouts(void **state)
{
        rpm_image("rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite", "etc/os-release",
                  "ID=\"rocky\"\nVERSION_ID=\"9.3\"\n", "rocky:9");
        rpm_image("Packages", "var/lib/rpm/Packages", "etc/centos-release",
                  "CentOS Linux release 7.9.2009 (Core)\n", "centos:7");
        rpm_image("Packages.db", "usr/lib/sysimage/rpm/Packages.db", "etc/os-release",
                  "ID=\"sles\"\nVERSION_ID=\"15.5\"\n", "sles:15.5");
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
            cmocka_unit_test(test_release_files),
            cmocka_unit_test(test_distroless_status_d),
            cmocka_unit_test(test_layer_of_each_package),
            cmocka_unit_test(test_rpm_layouts),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
