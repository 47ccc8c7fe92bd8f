#include "scan/version.h"
#include "base/file.h"
#include "base/util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static int sign(int r)
{
        return r < 0 ? -1 : r > 0;
}

/* Runs every "a op b" line of a vector file; returns the number checked. */
static size_t run_vectors(const char *name, int (*cmp)(const char *, const char *),
                          bool (*fuzzy)(const char *, const char *), bool (*valid)(const char *))
{
        const char *shared = getenv("BH_SHARED");
        if (!shared)
                return 0;
        _cleanup_free_ char *path = bh_xasprintf("%s/testdata/vercmp/%s", shared, name);
        _cleanup_free_ char *data = NULL;
        if (bh_read_file(path, 1 << 24, &data, NULL, NULL) < 0)
                return 0;
        size_t n = 0, bad = 0, lineno = 0;
        char *save = NULL;
        for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                lineno++;
                if (line[0] == '#' || !*bh_strstrip(line))
                        continue;
                char a[512], op[8], b[512];
                int k = sscanf(line, "%511s %7s %511s", a, op, b);
                bool ok;
                if (k == 1 && valid) {
                        ok = a[0] == '!' ? !valid(a + 1) : valid(a);
                } else if (k == 3 && strcmp(op, "<") == 0) {
                        ok = sign(cmp(a, b)) == -1 && sign(cmp(b, a)) == 1;
                } else if (k == 3 && strcmp(op, ">") == 0) {
                        ok = sign(cmp(a, b)) == 1 && sign(cmp(b, a)) == -1;
                } else if (k == 3 && strcmp(op, "=") == 0) {
                        ok = cmp(a, b) == 0 && cmp(b, a) == 0;
                } else if (k == 3 && fuzzy && strcmp(op, "~") == 0) {
                        ok = fuzzy(a, b);
                } else if (k == 3 && fuzzy && strcmp(op, "!~") == 0) {
                        ok = !fuzzy(a, b);
                } else if (k == 3 && fuzzy && strcmp(op, "<~") == 0) {
                        ok = fuzzy(a, b) || cmp(a, b) < 0;
                } else if (k == 3 && fuzzy && strcmp(op, ">~") == 0) {
                        ok = fuzzy(a, b) || cmp(a, b) > 0;
                } else {
                        print_message("%s:%zu: cannot read \"%s\"\n", name, lineno, line);
                        bad++;
                        continue;
                }
                if (!ok) {
                        print_message("%s:%zu: %s %s %s does not hold (cmp=%d)\n", name, lineno, a,
                                      op, b, k == 3 ? cmp(a, b) : 0);
                        bad++;
                }
                n++;
        }
        assert_int_equal(bad, 0);
        return n;
}

static void test_dpkg_vectors(void **state)
{
        size_t n = run_vectors("dpkg.txt", bh_dpkg_vercmp, NULL, NULL);
        if (n == 0)
                skip();
        assert_true(n >= 50);
        n = run_vectors("dpkg-generated.txt", bh_dpkg_vercmp, NULL, NULL);
        (void)n; /* present in some copies of the test data only */
}

static void test_dpkg_invalid(void **state)
{
        const char *shared = getenv("BH_SHARED");
        if (!shared)
                skip();
        _cleanup_free_ char *path = bh_xasprintf("%s/testdata/vercmp/dpkg-invalid.txt", shared);
        _cleanup_free_ char *data = NULL;
        if (bh_read_file(path, 1 << 20, &data, NULL, NULL) < 0)
                skip();
        size_t n = 0;
        char *save = NULL;
        for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                if (line[0] != '|')
                        continue;
                char *end = strrchr(line, '|');
                *end = '\0';
                if (bh_dpkg_version_valid(line + 1))
                        print_message("accepted invalid version |%s|\n", line + 1);
                assert_false(bh_dpkg_version_valid(line + 1));
                n++;
        }
        assert_true(n >= 15);
        assert_true(bh_dpkg_version_valid("1:2.36-9+deb12u4"));
        assert_true(bh_dpkg_version_valid("2.2~rc-4"));
}

static void test_apk_vectors(void **state)
{
        size_t n = run_vectors("apk.txt", bh_apk_vercmp, NULL, NULL);
        if (n == 0)
                skip();
        assert_true(n >= 700);
        assert_true(run_vectors("apk-other.txt", bh_apk_vercmp, bh_apk_version_fuzzy_match,
                                bh_apk_version_valid) >= 40);
}

static void test_rpm_vectors(void **state)
{
        size_t n = run_vectors("rpm.txt", bh_rpm_segcmp, NULL, NULL);
        if (n == 0)
                skip();
        assert_true(n >= 90);
        run_vectors("rpm-evr-generated.txt", bh_rpm_vercmp, NULL, NULL);
}

static void test_rpm_evr(void **state)
{
        assert_true(bh_rpm_vercmp("1:1.0-1", "2.0-1") > 0);
        assert_true(bh_rpm_vercmp("0:1.0-1.el9", "1.0-1.el9") == 0);
        assert_true(bh_rpm_vercmp("3.0.7-16.el9_2", "3.0.7-18.el9_2") < 0);
        assert_true(bh_rpm_vercmp("1.0~rc1-1", "1.0-1") < 0);
}

static void test_scheme_dispatch(void **state)
{
        assert_true(bh_vercmp(BH_VERSION_DPKG, "1.0-1", "1.0-1+b1") < 0);
        assert_true(bh_vercmp(BH_VERSION_APK, "1.1.22-r2", "1.1.22-r3") < 0);
        assert_true(bh_vercmp(BH_VERSION_RPM, "1.0-10", "1.0-9") > 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_dpkg_vectors), cmocka_unit_test(test_dpkg_invalid),
            cmocka_unit_test(test_apk_vectors),  cmocka_unit_test(test_rpm_vectors),
            cmocka_unit_test(test_rpm_evr),      cmocka_unit_test(test_scheme_dispatch),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
