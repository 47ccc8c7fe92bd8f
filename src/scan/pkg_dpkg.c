/* dpkg's status database (var/lib/dpkg/status) and the distroless layout
 * (var/lib/dpkg/status.d/NAME, one stanza a file): RFC 822-style stanzas. */
#include "scan/package.h"
#include "base/util.h"

#include <errno.h>
#include <ctype.h>
#include <string.h>

struct stanza {
        const char *package, *version, *arch, *source, *status, *maintainer;
        size_t lpackage, lversion, larch, lsource, lstatus, lmaintainer;
        size_t line; /* where it starts */
};

static void field(struct stanza *s, const char *key, size_t klen, const char *val, size_t vlen)
{
        static const struct {
                const char *name;
                size_t off, loff;
        } fields[] = {
            {"Package", offsetof(struct stanza, package), offsetof(struct stanza, lpackage)},
            {"Version", offsetof(struct stanza, version), offsetof(struct stanza, lversion)},
            {"Architecture", offsetof(struct stanza, arch), offsetof(struct stanza, larch)},
            {"Source", offsetof(struct stanza, source), offsetof(struct stanza, lsource)},
            {"Status", offsetof(struct stanza, status), offsetof(struct stanza, lstatus)},
            {"Maintainer", offsetof(struct stanza, maintainer),
             offsetof(struct stanza, lmaintainer)},
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(fields); i++)
                if (strlen(fields[i].name) == klen && strncasecmp(fields[i].name, key, klen) == 0) {
                        *(const char **)((char *)s + fields[i].off) = val;
                        *(size_t *)((char *)s + fields[i].loff) = vlen;
                }
}

static char *trimmed(const char *p, size_t n)
{
        while (n > 0 && (*p == ' ' || *p == '\t'))
                p++, n--;
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
                n--;
        return bh_xstrndup(p, n);
}

/* missing: what a stanza without Status means (dpkg: not installed; the
 * distroless status.d files often omit it for installed packages) */
static bool installed(const struct stanza *s, bool missing)
{
        if (!s->status)
                return missing;
        _cleanup_free_ char *st = trimmed(s->status, s->lstatus);
        const char *last = st + strlen(st);
        while (last > st && last[-1] != ' ' && last[-1] != '\t')
                last--;
        /* "install ok installed"; also half-configured and the like, whose files are there */
        return strcmp(last, "installed") == 0 || strcmp(last, "half-configured") == 0 ||
               strcmp(last, "triggers-awaited") == 0 || strcmp(last, "triggers-pending") == 0 ||
               strcmp(last, "unpacked") == 0 || strcmp(last, "half-installed") == 0;
}

static int emit(const struct stanza *s, const char *what, bool missing_status,
                struct bh_package_list *out, struct bh_error *err)
{
        if (!s->package && !s->version)
                return 0;
        if (!s->package)
                return bh_error_set(err, EBADMSG, "%s: line %zu: a package without a Package name",
                                    what, s->line);
        /* packages known but not installed (held, config-files) may have no
         * Version: dpkg writes them so */
        if (!installed(s, missing_status))
                return 0;
        if (!s->version)
                return bh_error_set(err, EBADMSG, "%s: line %zu: a package without a Version", what,
                                    s->line);
        struct bh_package *p = bh_package_add(out);
        p->format = BH_PKG_DPKG;
        p->name = trimmed(s->package, s->lpackage);
        for (char *c = p->name; *c; c++) /* dpkg's names are lower case */
                *c = (char)tolower((unsigned char)*c);
        p->version = trimmed(s->version, s->lversion);
        p->arch = s->arch ? trimmed(s->arch, s->larch) : NULL;
        p->maintainer = s->maintainer ? trimmed(s->maintainer, s->lmaintainer) : NULL;
        if (s->source) {
                /* "Source: name" or "Source: name (version)" when it differs */
                _cleanup_free_ char *src = trimmed(s->source, s->lsource);
                char *paren = strchr(src, '(');
                if (paren) {
                        char *close = strchr(paren, ')');
                        p->source_version =
                            close ? trimmed(paren + 1, (size_t)(close - paren - 1)) : NULL;
                        *paren = '\0';
                }
                p->source_name = trimmed(src, strlen(src));
        }
        if (!p->source_name || !*p->source_name) {
                free(p->source_name);
                p->source_name = bh_xstrdup(p->name);
        }
        if (!p->source_version || !*p->source_version) {
                free(p->source_version);
                p->source_version = bh_xstrdup(p->version);
        }
        return 0;
}

static int parse(const char *data, size_t len, const char *what, bool missing_status,
                 struct bh_package_list *out, struct bh_error *err)
{
        struct stanza s = {.line = 1};
        size_t line = 0, before = out->n;
        const char *p = data, *end = data + len;
        while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                const char *eol = nl ? nl : end;
                line++;
                size_t n = (size_t)(eol - p);
                if (n > 0 && p[n - 1] == '\r')
                        n--;
                if (memchr(p, '\0', n))
                        return bh_error_set(err, EBADMSG,
                                            "%s: line %zu: binary data, not a dpkg "
                                            "status file",
                                            what, line);
                if (n == 0) {
                        int rc = emit(&s, what, missing_status, out, err);
                        if (rc < 0)
                                return rc;
                        memset(&s, 0, sizeof s);
                        s.line = line + 1;
                } else if (p[0] == ' ' || p[0] == '\t' || p[0] == '#') {
                        /* continuation of the previous field, or a comment */
                } else {
                        const char *colon = memchr(p, ':', n);
                        if (!colon)
                                return bh_error_set(err, EBADMSG,
                                                    "%s: line %zu: expected \"Field: value\"", what,
                                                    line);
                        field(&s, p, (size_t)(colon - p), colon + 1, n - (size_t)(colon + 1 - p));
                }
                p = nl ? nl + 1 : end;
        }
        int rc = emit(&s, what, missing_status, out, err);
        if (rc < 0)
                return rc;
        (void)before;
        return 0;
}

int bh_dpkg_parse(const char *data, size_t len, const char *what, struct bh_package_list *out,
                  struct bh_error *err)
{
        return parse(data, len, what, false, out, err);
}

int bh_dpkg_parse_statusd(const char *data, size_t len, const char *what,
                          struct bh_package_list *out, struct bh_error *err)
{
        return parse(data, len, what, true, out, err);
}
