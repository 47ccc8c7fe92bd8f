#include "base/file.h"
#include "base/util.h"
#include "scan/package.h"
#include "scan/scan.h"
#include "scan/vulndb.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static const char dpkg_status[] = "Package: libssl3\n"
                                  "Status: install ok installed\n"
                                  "Priority: optional\n"
                                  "Architecture: amd64\n"
                                  "Multi-Arch: same\n"
                                  "Source: openssl\n"
                                  "Version: 3.0.11-1~deb12u2\n"
                                  "Description: Secure Sockets Layer toolkit - shared libraries\n"
                                  " This package is part of the OpenSSL project's implementation.\n"
                                  "\n"
                                  "Package: libgcc-s1\n"
                                  "Status: install ok installed\n"
                                  "Architecture: amd64\n"
                                  "Source: gcc-12 (12.2.0-14)\n"
                                  "Version: 12.2.0-14\n"
                                  "\n"
                                  "Package: removed-thing\n"
                                  "Status: deinstall ok config-files\n"
                                  "Version: 1.0\n"
                                  "\n"
                                  "Package: bash\n"
                                  "Status: install ok installed\n"
                                  "Architecture: amd64\n"
                                  "Version: 5.2.15-2+b2\n"
                                  "Source: bash (5.2.15-2)\n"
                                  "Maintainer: Matthias Klose <doko@debian.org>\n";

static void test_dpkg(void **state)
{
        struct bh_package_list l = {0};
        struct bh_error err = {0};
        assert_int_equal(bh_dpkg_parse(dpkg_status, strlen(dpkg_status), "status", &l, &err), 0);
        assert_int_equal(l.n, 3);
        assert_string_equal(l.v[0].name, "libssl3");
        assert_string_equal(l.v[0].source_name, "openssl");
        assert_string_equal(l.v[0].source_version, "3.0.11-1~deb12u2");
        assert_string_equal(l.v[1].source_name, "gcc-12");
        assert_string_equal(l.v[1].source_version, "12.2.0-14");
        assert_string_equal(l.v[2].name, "bash");
        assert_string_equal(l.v[2].version, "5.2.15-2+b2");
        assert_string_equal(l.v[2].source_version, "5.2.15-2");
        assert_string_equal(l.v[2].arch, "amd64");
        bh_package_list_free(&l);
        /* damaged: names the file and line */
        const char bad[] = "Package: x\nVersion 1.0\n";
        assert_int_equal(bh_dpkg_parse(bad, strlen(bad), "var/lib/dpkg/status", &l, &err),
                         -EBADMSG);
        assert_non_null(strstr(err.msg, "var/lib/dpkg/status: line 2"));
        const char nover[] = "Package: x\nStatus: install ok installed\n\n";
        assert_true(bh_dpkg_parse(nover, strlen(nover), "s", &l, &err) < 0);
        /* dpkg's own: a held package that is not installed has no Version;
         * names are lower case; Status may be separated by tabs; a stanza
         * without Status is not installed (except in distroless status.d) */
        const char known[] = "Package: foo\nStatus: hold ok not-installed\nArchitecture: all\n\n"
                             "Package: LibBar\nStatus: install\tok\tinstalled\nVersion: 1.0\n\n"
                             "Package: nostatus\nVersion: 2.0\n";
        assert_int_equal(bh_dpkg_parse(known, strlen(known), "status", &l, &err), 0);
        assert_int_equal(l.n, 1);
        assert_string_equal(l.v[0].name, "libbar");
        bh_package_list_free(&l);
        const char statusd[] = "Package: nostatus\nVersion: 2.0\n";
        assert_int_equal(bh_dpkg_parse_statusd(statusd, strlen(statusd), "status.d/x", &l, &err),
                         0);
        assert_int_equal(l.n, 1);
        bh_package_list_free(&l);
        const char bin[] = "Package: x\0\x01\x02";
        assert_true(bh_dpkg_parse(bin, sizeof bin, "s", &l, &err) < 0);
        bh_package_list_free(&l);
}

static const char apk_db[] = "C:Q1abc=\n"
                             "P:musl\n"
                             "V:1.1.22-r3\n"
                             "A:x86_64\n"
                             "S:368768\n"
                             "L:MIT\n"
                             "o:musl\n"
                             "m:Timo Teräs <timo.teras@iki.fi>\n"
                             "F:lib\n"
                             "R:libc.musl-x86_64.so.1\n"
                             "\n"
                             "P:libcrypto1.1\n"
                             "V:1.1.1d-r2\n"
                             "A:x86_64\n"
                             "L:OpenSSL\n"
                             "o:openssl\n"
                             "\n";

static void test_apk(void **state)
{
        struct bh_package_list l = {0};
        struct bh_error err = {0};
        assert_int_equal(bh_apk_parse(apk_db, strlen(apk_db), "installed", &l, &err), 0);
        assert_int_equal(l.n, 2);
        assert_string_equal(l.v[1].name, "libcrypto1.1");
        assert_string_equal(l.v[1].source_name, "openssl");
        assert_string_equal(l.v[1].license, "OpenSSL");
        assert_string_equal(l.v[0].source_version, "1.1.22-r3");
        bh_package_list_free(&l);
        const char bad[] = "P:musl\nthis is not apk\n";
        assert_int_equal(bh_apk_parse(bad, strlen(bad), "lib/apk/db/installed", &l, &err),
                         -EBADMSG);
        assert_non_null(strstr(err.msg, "lib/apk/db/installed: line 2"));
        bh_package_list_free(&l);
}

static void rpm_fixture(const char *name, size_t expect_pkgs)
{
        _cleanup_free_ char *path =
            bh_xasprintf("%s/rpm/%s", getenv("BH_TESTDATA") ? getenv("BH_TESTDATA") : ".", name);
        _cleanup_free_ char *data = NULL;
        size_t len;
        struct bh_error err = {0};
        assert_int_equal(bh_read_file(path, 1 << 24, &data, &len, &err), 0);
        struct bh_package_list l = {0};
        int rc = bh_rpmdb_parse(data, len, name, &l, &err);
        if (rc)
                print_message("%s: %s\n", name, err.msg);
        assert_int_equal(rc, 0);
        assert_int_equal(l.n, expect_pkgs);
        bool seen = false;
        for (size_t i = 0; i < l.n; i++) {
                if (strcmp(l.v[i].name, "bhtest") != 0)
                        continue;
                seen = true;
                assert_string_equal(l.v[i].version, "2:1.2.3-4.el9");
                assert_string_equal(l.v[i].source_name, "bhtest");
                assert_string_equal(l.v[i].source_version, "2:1.2.3-4.el9");
                assert_string_equal(l.v[i].arch, "x86_64");
                assert_string_equal(l.v[i].license, "MIT and BSD");
        }
        assert_true(seen);
        bh_package_list_free(&l);
        /* every truncation of the file fails cleanly or reads fewer packages */
        for (size_t cut = 0; cut < len; cut += len / 50 + 1) {
                struct bh_package_list t = {0};
                bh_rpmdb_parse(data, cut, name, &t, &err);
                bh_package_list_free(&t);
        }
}

static void test_rpm_sqlite(void **state)
{
        rpm_fixture("rpmdb.sqlite", 2);
}

static void test_rpm_bdb(void **state)
{
        rpm_fixture("Packages", 2);
        rpm_fixture("Packages-small-pages", 2); /* headers on overflow pages */
        /* as Berkeley DB before 4.6 wrote it (RHEL 5, SLES 11): hash version 8,
         * hash pages of type 2 (unsorted) instead of 13; rpm reads both */
        _cleanup_free_ char *path =
            bh_xasprintf("%s/rpm/Packages", getenv("BH_TESTDATA") ? getenv("BH_TESTDATA") : ".");
        _cleanup_free_ char *data = NULL;
        size_t len;
        struct bh_error err = {0};
        assert_int_equal(bh_read_file(path, 1 << 24, &data, &len, &err), 0);
        uint32_t pagesize =
            (uint32_t)(unsigned char)data[20] | (uint32_t)(unsigned char)data[21] << 8 |
            (uint32_t)(unsigned char)data[22] << 16 | (uint32_t)(unsigned char)data[23] << 24;
        data[16] = 8, data[17] = data[18] = data[19] = 0;
        size_t relabelled = 0;
        for (size_t pg = 1; (pg + 1) * pagesize <= len; pg++)
                if (data[pg * pagesize + 25] == 13) {
                        data[pg * pagesize + 25] = 2;
                        relabelled++;
                }
        assert_true(relabelled > 0);
        struct bh_package_list l = {0};
        assert_int_equal(bh_rpmdb_parse(data, len, "Packages (hash v8)", &l, &err), 0);
        assert_int_equal(l.n, 2);
        bh_package_list_free(&l);
}

static void test_rpm_ndb(void **state)
{
        rpm_fixture("Packages.db", 2);
}

static void test_rpm_garbage(void **state)
{
        struct bh_package_list l = {0};
        struct bh_error err = {0};
        char junk[4096];
        memset(junk, 'x', sizeof junk);
        assert_int_equal(bh_rpmdb_parse(junk, sizeof junk, "var/lib/rpm/Packages", &l, &err),
                         -EBADMSG);
        assert_non_null(strstr(err.msg, "var/lib/rpm/Packages"));
        /* an SQLite file that is not an rpm database */
        assert_true(bh_rpmdb_parse("SQLite format 3\0garbage", 24, "rpmdb.sqlite", &l, &err) < 0);
        const unsigned char hdr[] = {0, 0, 0, 200, 0, 0, 0, 1}; /* 200 entries in 8 bytes */
        assert_true(bh_rpm_header_parse(hdr, sizeof hdr, "h", &l, &err) < 0);
        assert_int_equal(l.n, 0);
}

static void test_namespaces(void **state)
{
        static const char *cases[][2] = {
            {"Debian:12", "debian:12"},
            {"Alpine:v3.18", "alpine:3.18"},
            {"Ubuntu:22.04:LTS", "ubuntu:22.04"},
            {"Ubuntu:24.10", "ubuntu:24.10"},
            {"Ubuntu:Pro:18.04:LTS", "ubuntu-pro:18.04"},
            {"Ubuntu:Pro:FIPS:20.04:LTS", "ubuntu-pro-fips:20.04"},
            {"Ubuntu:Pro:FIPS-updates:22.04:LTS", "ubuntu-pro-fips-updates:22.04"},
            {"Ubuntu:Pro:22.04:LTS:Realtime:Kernel", "ubuntu-pro-realtime-kernel:22.04"},
            {"Rocky Linux:9", "rocky:9"},
            {"AlmaLinux:8", "almalinux:8"},
            {"Red Hat:enterprise_linux:9::appstream", "rhel:9"},
            {"SUSE:Linux Enterprise Server 15 SP5", "sles:15.5"},
            {"openSUSE:Leap 15.5", "opensuse-leap:15.5"},
            {"openSUSE:Leap Micro 5.5", "opensuse-leap-micro:5.5"},
            {"openSUSE:Tumbleweed", "opensuse-tumbleweed"},
            {"SUSE:Linux Enterprise Micro 5.5", "sle-micro:5.5"},
            {"SUSE:Linux Enterprise Module for Basesystem 15 SP5", "sles:15.5"},
            {"Photon OS:5.0", "photon:5.0"},
            {"Wolfi", "wolfi"},
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(cases); i++) {
                char *ns = bh_osv_namespace(cases[i][0]);
                if (strcmp(ns, cases[i][1]) != 0)
                        print_message("%s -> %s\n", cases[i][0], ns);
                assert_string_equal(ns, cases[i][1]);
                free(ns);
        }
        struct bh_os os = {.id = "debian", .version_id = "12"};
        char *ns = bh_os_namespace(&os);
        assert_string_equal(ns, "debian:12");
        free(ns);
        struct bh_os trixie = {.id = "debian", .codename = "trixie"};
        ns = bh_os_namespace(&trixie);
        assert_string_equal(ns, "debian:13");
        free(ns);
        struct bh_os alp = {.id = "alpine", .version_id = "3.19.1"};
        ns = bh_os_namespace(&alp);
        assert_string_equal(ns, "alpine:3.19");
        free(ns);
        struct bh_os rocky = {.id = "rocky", .version_id = "9.3"};
        ns = bh_os_namespace(&rocky);
        assert_string_equal(ns, "rocky:9");
        free(ns);
        struct bh_os sles = {.id = "sles", .version_id = "15.5"};
        ns = bh_os_namespace(&sles);
        assert_string_equal(ns, "sles:15.5");
        free(ns);
        /* an image's os-release and the OSV ecosystem of its advisories meet */
        static const char *meet[][3] = {
            {"debian", "12", "Debian:12"},
            {"ubuntu", "22.04", "Ubuntu:22.04:LTS"},
            {"ubuntu", "24.10", "Ubuntu:24.10"},
            {"alpine", "3.18.4", "Alpine:v3.18"},
            {"rhel", "9.4", "Red Hat:enterprise_linux:9::baseos"},
            {"rocky", "8.9", "Rocky Linux:8"},
            {"almalinux", "9.4", "AlmaLinux:9"},
            {"sles", "15.6", "SUSE:Linux Enterprise Server 15 SP6"},
            {"sle-micro", "5.5", "SUSE:Linux Enterprise Micro 5.5"},
            {"opensuse-leap", "15.5", "openSUSE:Leap 15.5"},
            {"opensuse-leap-micro", "5.5", "openSUSE:Leap Micro 5.5"},
            {"opensuse-tumbleweed", "20241120", "openSUSE:Tumbleweed"},
            {"photon", "5.0", "Photon OS:5.0"},
            {"wolfi", "20230201", "Wolfi"},
            {"chainguard", "20230214", "Chainguard"},
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(meet); i++) {
                struct bh_os o = {.id = (char *)meet[i][0], .version_id = (char *)meet[i][1]};
                char *from_os = bh_os_namespace(&o);
                char *from_osv = bh_osv_namespace(meet[i][2]);
                if (strcmp(from_os, from_osv) != 0)
                        print_message("%s %s -> %s; %s -> %s\n", meet[i][0], meet[i][1], from_os,
                                      meet[i][2], from_osv);
                assert_string_equal(from_os, from_osv);
                free(from_os);
                free(from_osv);
        }
}

static void test_cvss(void **state)
{
        assert_true(bh_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H") == 9.8);
        assert_true(bh_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N") == 6.1);
        assert_true(bh_cvss3_score("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N") == 5.5);
        assert_true(bh_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N") == 0);
        assert_true(bh_cvss3_score("garbage") < 0);
        assert_string_equal(bh_cvss_severity(9.8), "critical");
        assert_string_equal(bh_cvss_severity(5.5), "medium");
}

static void test_purl(void **state)
{
        struct bh_os os = {.id = "debian", .version_id = "12"};
        struct bh_package p = {
            .name = "libc6", .version = "2.36-9+deb12u4", .arch = "amd64", .format = BH_PKG_DPKG};
        char *purl = bh_package_purl(&p, &os);
        assert_string_equal(purl,
                            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12");
        free(purl);
        struct bh_os rh = {.id = "rhel", .version_id = "9.3"};
        struct bh_package r = {
            .name = "openssl", .version = "1:3.0.7-24.el9", .arch = "x86_64", .format = BH_PKG_RPM};
        purl = bh_package_purl(&r, &rh);
        assert_string_equal(
            purl, "pkg:rpm/redhat/openssl@3.0.7-24.el9?arch=x86_64&epoch=1&distro=rhel-9.3");
        free(purl);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_dpkg),       cmocka_unit_test(test_apk),
            cmocka_unit_test(test_rpm_sqlite), cmocka_unit_test(test_rpm_bdb),
            cmocka_unit_test(test_rpm_ndb),    cmocka_unit_test(test_rpm_garbage),
            cmocka_unit_test(test_namespaces), cmocka_unit_test(test_cvss),
            cmocka_unit_test(test_purl),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
