/* Suppressions: .bulkheadignore rules (with reasons and expiry dates) and
 * OpenVEX statements that say a product is not affected. */
#include "scan/scan.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <time.h>

struct rule {
        char *id;
        char *package;   /* NULL: any */
        char *reason;    /* shown in the report */
        char **products; /* VEX: package names it applies to; NULL: everywhere */
};

struct bh_suppressions {
        struct rule *v;
        size_t n;
};

struct bh_suppressions *bh_suppressions_new(void)
{
        return bh_xcalloc(1, sizeof(struct bh_suppressions));
}

void bh_suppressions_free(struct bh_suppressions *s)
{
        if (!s)
                return;
        for (size_t i = 0; i < s->n; i++) {
                free(s->v[i].id);
                free(s->v[i].package);
                free(s->v[i].reason);
                bh_strv_free(s->v[i].products);
        }
        free(s->v);
        free(s);
}

static struct rule *push(struct bh_suppressions *s)
{
        s->v = bh_xreallocarray(s->v, s->n + 1, sizeof *s->v);
        struct rule *r = &s->v[s->n++];
        memset(r, 0, sizeof *r);
        return r;
}

static bool parse_date(const char *s, time_t *out)
{
        struct tm tm = {0};
        const char *end = strptime(s, "%Y-%m-%d", &tm);
        if (!end || *end)
                return false;
        *out = timegm(&tm) + 86399; /* the whole day */
        return true;
}

int bh_suppressions_load_ignore(struct bh_suppressions *s, const char *path, time_t now,
                                char ***warnings, struct bh_error *err)
{
        _cleanup_free_ char *data = NULL;
        int rc = bh_read_file(path, 4u << 20, &data, NULL, err);
        if (rc < 0)
                return rc;
        size_t lineno = 0;
        char *save = NULL;
        for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                lineno++;
                char *hash = strstr(line, " #");
                if (line[0] == '#')
                        continue;
                if (hash)
                        *hash = '\0';
                bh_strstrip(line);
                if (!*line)
                        continue;
                _cleanup_free_ char *id = NULL, *pkg = NULL, *reason = NULL, *until = NULL;
                char *p = line;
                size_t idlen = strcspn(p, " \t");
                id = bh_xstrndup(p, idlen);
                p += idlen;
                while (*p) {
                        p += strspn(p, " \t");
                        if (!*p)
                                break;
                        if (bh_startswith(p, "reason=")) {
                                char *r = p + strlen("reason=");
                                if (*r == '"' && r[strlen(r) - 1] == '"' && strlen(r) > 1)
                                        reason = bh_xstrndup(r + 1, strlen(r) - 2);
                                else
                                        reason = bh_xstrdup(r);
                                break;
                        }
                        size_t n = strcspn(p, " \t");
                        if (bh_startswith(p, "package="))
                                pkg = bh_xstrndup(p + 8, n - 8);
                        else if (bh_startswith(p, "until="))
                                until = bh_xstrndup(p + 6, n - 6);
                        else
                                return bh_error_set(err, EINVAL,
                                                    "%s: line %zu: unknown word \"%.*s\" (expected "
                                                    "package=, until= or reason=)",
                                                    path, lineno, (int)n, p);
                        p += n;
                }
                time_t expiry = 0;
                if (until && !parse_date(until, &expiry))
                        return bh_error_set(err, EINVAL,
                                            "%s: line %zu: until=%s is not a date (YYYY-MM-DD)",
                                            path, lineno, until);
                if (until && expiry < now) {
                        _cleanup_free_ char *w = bh_xasprintf(
                            "%s: line %zu: the rule for %s expired on %s and no longer applies",
                            path, lineno, id, until);
                        bh_strv_push(warnings, w);
                        continue;
                }
                struct rule *r = push(s);
                r->id = bh_xstrdup(id);
                r->package = pkg ? bh_xstrdup(pkg) : NULL;
                r->reason =
                    bh_xasprintf("%s%s%s%s%s", path, until ? " until " : "", until ? until : "",
                                 reason ? ": " : "", reason ? reason : "");
        }
        return 0;
}

/* The package name in a purl ("pkg:deb/debian/openssl@3.0?arch=..." -> "openssl"). */
static char *purl_name(const char *purl)
{
        if (!bh_startswith(purl, "pkg:"))
                return NULL;
        const char *end = purl + strcspn(purl, "@?#");
        const char *slash = purl;
        for (const char *p = purl; p < end; p++)
                if (*p == '/')
                        slash = p;
        if (slash == purl)
                return NULL;
        const char *type_end = strchr(purl, '/');
        /* images (pkg:oci, pkg:docker) are not packages inside them */
        if (type_end && (bh_startswith(purl, "pkg:oci/") || bh_startswith(purl, "pkg:docker/")))
                return NULL;
        return bh_xstrndup(slash + 1, (size_t)(end - slash - 1));
}

static void collect_products(const json_t *products, char ***names)
{
        size_t i;
        const json_t *p;
        json_array_foreach(products, i, p)
        {
                const char *id = json_is_string(p) ? json_string_value(p) : bh_json_str(p, "@id");
                _cleanup_free_ char *n = id ? purl_name(id) : NULL;
                if (n)
                        bh_strv_push(names, n);
                if (json_is_object(p))
                        collect_products(bh_json_get(p, "subcomponents"), names);
        }
}

int bh_suppressions_load_vex(struct bh_suppressions *s, const char *path, struct bh_error *err)
{
        _cleanup_json_ json_t *doc = bh_json_load_file(path, 16u << 20, err);
        if (!doc)
                return -err->code;
        const char *ctx = bh_json_str(doc, "@context");
        const json_t *stmts = bh_json_get(doc, "statements");
        if (!ctx || !strstr(ctx, "openvex") || !json_is_array(stmts))
                return bh_error_set(err, EINVAL,
                                    "%s: not an OpenVEX document (@context and statements)", path);
        size_t i;
        const json_t *st;
        json_array_foreach(stmts, i, st)
        {
                const char *status = bh_json_str(st, "status");
                if (!status)
                        return bh_error_set(err, EINVAL, "%s: statement %zu has no status", path,
                                            i + 1);
                if (strcmp(status, "not_affected") != 0 && strcmp(status, "fixed") != 0)
                        continue;
                const json_t *v = bh_json_get(st, "vulnerability");
                const char *name =
                    json_is_string(v) ? json_string_value(v) : bh_json_str(v, "name");
                if (!name)
                        return bh_error_set(err, EINVAL, "%s: statement %zu names no vulnerability",
                                            path, i + 1);
                char **products = NULL;
                collect_products(bh_json_get(st, "products"), &products);
                const json_t *al;
                size_t k;
                json_t *names = json_array();
                json_array_append_new(names, json_string(name));
                json_array_foreach(bh_json_get(v, "aliases"), k, al)
                {
                        if (json_is_string(al))
                                json_array_append(names, (json_t *)al);
                }
                const char *just = bh_json_str(st, "justification");
                const char *impact = bh_json_str(st, "impact_statement");
                json_array_foreach(names, k, al)
                {
                        struct rule *r = push(s);
                        r->id = bh_xstrdup(json_string_value(al));
                        r->products = NULL;
                        for (size_t j = 0; products && products[j]; j++)
                                bh_strv_push(&r->products, products[j]);
                        r->reason =
                            bh_xasprintf("VEX %s (%s)%s%s%s", status, path, just ? ": " : "",
                                         just ? just : "", impact && !just ? impact : "");
                }
                json_decref(names);
                bh_strv_free(products);
        }
        return 0;
}

static bool id_matches(const char *rule, const char *id, const char *aliases)
{
        if (strcmp(rule, id) == 0)
                return true;
        if (!aliases)
                return false;
        size_t n = strlen(rule);
        for (const char *p = aliases; (p = strstr(p, rule)); p += n)
                if ((p == aliases || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
                        return true;
        return false;
}

const char *bh_suppressed(const struct bh_suppressions *s, const char *id, const char *aliases,
                          const char *package, const char *source_package)
{
        for (size_t i = 0; s && i < s->n; i++) {
                const struct rule *r = &s->v[i];
                if (!id_matches(r->id, id, aliases))
                        continue;
                if (r->package && !bh_streq(r->package, package) &&
                    !bh_streq(r->package, source_package))
                        continue;
                if (r->products && !bh_strv_contains(r->products, package) &&
                    !bh_strv_contains(r->products, source_package))
                        continue;
                return r->reason;
        }
        return NULL;
}
