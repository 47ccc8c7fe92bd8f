/* apk's installed database (lib/apk/db/installed): one "X:value" line per
 * field, a blank line between packages. */
#include "scan/package.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

struct apk_pkg {
        char *name, *version, *arch, *origin, *license, *maintainer;
        size_t line;
};

static void apk_pkg_clear(struct apk_pkg *a)
{
        free(a->name);
        free(a->version);
        free(a->arch);
        free(a->origin);
        free(a->license);
        free(a->maintainer);
        memset(a, 0, sizeof *a);
}

static int emit(struct apk_pkg *a, const char *what, struct bh_package_list *out,
                struct bh_error *err)
{
        if (!a->name && !a->version) {
                apk_pkg_clear(a);
                return 0;
        }
        if (!a->name || !a->version) {
                int rc = bh_error_set(err, EBADMSG, "%s: line %zu: a package without %s", what,
                                      a->line, a->name ? "a version (V:)" : "a name (P:)");
                apk_pkg_clear(a);
                return rc;
        }
        struct bh_package *p = bh_package_add(out);
        p->format = BH_PKG_APK;
        p->name = a->name;
        p->version = a->version;
        p->arch = a->arch;
        p->license = a->license;
        p->maintainer = a->maintainer;
        p->source_name = a->origin ? a->origin : bh_xstrdup(a->name);
        p->source_version = bh_xstrdup(a->version);
        memset(a, 0, sizeof *a);
        return 0;
}

static void set(char **field, const char *v, size_t n)
{
        free(*field);
        *field = bh_xstrndup(v, n);
}

int bh_apk_parse(const char *data, size_t len, const char *what, struct bh_package_list *out,
                 struct bh_error *err)
{
        struct apk_pkg a = {.line = 1};
        size_t line = 0;
        const char *p = data, *end = data + len;
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *eol = nl ? nl : end;
                size_t n = (size_t)(eol - p);
                line++;
                if (memchr(p, '\0', n)) {
                        apk_pkg_clear(&a);
                        return bh_error_set(err, EBADMSG,
                                            "%s: line %zu: binary data, not an apk database", what,
                                            line);
                }
                if (n == 0) {
                        int rc = emit(&a, what, out, err);
                        if (rc < 0)
                                return rc;
                        a.line = line + 1;
                } else if (n < 2 || p[1] != ':') {
                        apk_pkg_clear(&a);
                        return bh_error_set(err, EBADMSG, "%s: line %zu: expected \"X:value\"",
                                            what, line);
                } else {
                        const char *v = p + 2;
                        size_t vn = n - 2;
                        switch (p[0]) {
                        case 'P':
                                set(&a.name, v, vn);
                                break;
                        case 'V':
                                set(&a.version, v, vn);
                                break;
                        case 'A':
                                set(&a.arch, v, vn);
                                break;
                        case 'o':
                                set(&a.origin, v, vn);
                                break;
                        case 'L':
                                set(&a.license, v, vn);
                                break;
                        case 'm':
                                set(&a.maintainer, v, vn);
                                break;
                        default:
                                break;
                        }
                }
                p = nl ? nl + 1 : end;
        }
        return emit(&a, what, out, err);
}
