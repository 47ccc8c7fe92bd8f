/* The scan of one image: inventory (OS, packages), then each package's
 * source package looked up in the advisory namespace of its distribution,
 * the installed version compared by that distribution's rules, and one
 * finding per vulnerability and binary package. */
#include "scan/scan.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/util.h"
#include "docker/image.h"

#include <errno.h>
#include <string.h>

void bh_scan_result_free(struct bh_scan_result *res)
{
        bh_os_free(&res->os);
        free(res->ns);
        bh_package_list_free(&res->packages);
        bh_strv_free(res->warnings);
        memset(res, 0, sizeof *res);
}

int bh_scan_inventory(const struct bh_image *img, struct bh_scan_result *res, struct bh_error *err)
{
        bh_os_detect(img, &res->os);
        res->ns = bh_os_namespace(&res->os);
        const char *data;
        struct bh_error e = {0};
        if (!res->os.id && bh_image_read(img, "etc/os-release", &data, NULL, &e) == -ELOOP)
                bh_strv_push(&res->warnings, e.msg);
        return bh_packages_read(img, &res->packages, &res->warnings, err);
}

/* One vulnerability of one package, merged over sources. */
struct hit {
        char *id;
        char **aliases;
        char *fixed; /* NULL: no fix */
        char *status;
        char *severity;
        double cvss;
        char *vector;
        char *summary;
        char *url;
        char **sources;
};

struct match_ctx {
        const struct bh_package *pkg;
        enum bh_version_scheme scheme;
        const char *version; /* compared against the advisories */
        struct hit *hits;
        size_t n;
};

static bool in_range(const struct match_ctx *m, const struct bh_advisory *a)
{
        const char *v = m->version;
        if (a->introduced && *a->introduced && strcmp(a->introduced, "0") != 0 &&
            bh_vercmp(m->scheme, v, a->introduced) < 0)
                return false;
        if (a->fixed)
                return bh_vercmp(m->scheme, v, a->fixed) < 0;
        if (a->last_affected)
                return bh_vercmp(m->scheme, v, a->last_affected) <= 0;
        return true;
}

static int sev_rank(const char *s)
{
        static const char *order[] = {"unknown", "negligible", "low", "medium", "high", "critical"};
        for (int i = 0; s && i < 6; i++)
                if (strcmp(s, order[i]) == 0)
                        return i;
        return 0;
}

static void set_dup(char **f, const char *v)
{
        free(*f);
        *f = v ? bh_xstrdup(v) : NULL;
}

static struct hit *hit_for(struct match_ctx *m, const char *id)
{
        for (size_t i = 0; i < m->n; i++)
                if (strcmp(m->hits[i].id, id) == 0)
                        return &m->hits[i];
        m->hits = bh_xreallocarray(m->hits, m->n + 1, sizeof *m->hits);
        struct hit *h = &m->hits[m->n++];
        memset(h, 0, sizeof *h);
        h->id = bh_xstrdup(id);
        return h;
}

static void merge(struct match_ctx *m, const char *id, const struct bh_advisory *a,
                  char *const *all_ids)
{
        struct hit *h = hit_for(m, id);
        /* its aliases: the advisory's ids, but not those of the other CVEs a
         * notice covers (a DSA or USN fixing CVE-A and CVE-B) */
        for (size_t i = 0; all_ids && all_ids[i]; i++) {
                const char *t = all_ids[i], *named = bh_cve_named_by(t);
                if (strcmp(t, id) != 0 && !(named && strcmp(named, id) != 0) &&
                    !bh_strv_contains(h->aliases, t))
                        bh_strv_push(&h->aliases, t);
        }
        if (a->fixed) {
                /* the highest fix any source names is the one that settles it */
                if (!h->fixed || bh_vercmp(m->scheme, a->fixed, h->fixed) > 0)
                        set_dup(&h->fixed, a->fixed);
                set_dup(&h->status, "fixed");
        } else if (!h->fixed && (!h->status || strcmp(h->status, "affected") == 0)) {
                set_dup(&h->status, a->status ? a->status : "affected");
        }
        if (sev_rank(a->severity) > sev_rank(h->severity)) {
                set_dup(&h->severity, a->severity);
                h->cvss = a->cvss;
                set_dup(&h->vector, a->cvss_vector);
        }
        if (!h->summary && a->summary)
                h->summary = bh_xstrdup(a->summary);
        if (!h->url && a->url)
                h->url = bh_xstrdup(a->url);
        if (a->source && !bh_strv_contains(h->sources, a->source))
                bh_strv_push(&h->sources, a->source);
}

static int on_advisory(const struct bh_advisory *a, void *user)
{
        struct match_ctx *m = user;
        if (!in_range(m, a))
                return 0;
        /* every id the advisory goes by; a finding per CVE it covers */
        _cleanup_strv_ char **ids = NULL, **cves = NULL;
        bh_strv_push(&ids, a->id);
        if (bh_cve_named_by(a->id))
                bh_strv_push(&cves, bh_cve_named_by(a->id));
        if (a->aliases) {
                _cleanup_free_ char *copy = bh_xstrdup(a->aliases);
                char *save = NULL;
                for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
                        if (!bh_strv_contains(ids, t))
                                bh_strv_push(&ids, t);
                        const char *named = bh_cve_named_by(t);
                        if (named && !bh_strv_contains(cves, named))
                                bh_strv_push(&cves, named);
                }
        }
        if (a->cve) {
                merge(m, a->cve, a, ids);
        } else if (cves) {
                for (size_t i = 0; cves[i]; i++)
                        merge(m, cves[i], a, ids);
        } else {
                merge(m, a->id, a, ids);
        }
        return 0;
}

static void hit_free(struct hit *h)
{
        free(h->id);
        bh_strv_free(h->aliases);
        free(h->fixed);
        free(h->status);
        free(h->severity);
        free(h->vector);
        free(h->summary);
        free(h->url);
        bh_strv_free(h->sources);
}

static enum bh_severity severity_of(const char *s)
{
        switch (sev_rank(s)) {
        case 5:
                return BH_SEV_CRITICAL;
        case 4:
                return BH_SEV_HIGH;
        case 3:
                return BH_SEV_MEDIUM;
        case 2:
                return BH_SEV_LOW;
        case 1:
                return BH_SEV_INFO;
        default: /* unknown: counted as medium for --fail-on, shown as unknown */
                return BH_SEV_MEDIUM;
        }
}

static json_t *strv_json(char *const *v)
{
        json_t *a = json_array();
        for (size_t i = 0; v && v[i]; i++)
                json_array_append_new(a, json_string(v[i]));
        return a;
}

static char *join(char *const *v)
{
        struct bh_buf b = BH_BUF_INIT;
        for (size_t i = 0; v && v[i]; i++) {
                if (i)
                        bh_buf_putc(&b, ' ');
                bh_buf_puts(&b, v[i]);
        }
        return bh_buf_steal(&b);
}

static json_t *layer_json(const struct bh_image *img, int layer)
{
        size_t n;
        const struct bh_image_layer *L = bh_image_layers(img, &n);
        if (layer < 0 || (size_t)layer >= n)
                return json_null();
        json_t *o = json_object();
        json_object_set_new(o, "index", json_integer(layer));
        if (L[layer].diff_id)
                json_object_set_new(o, "diff_id", json_string(L[layer].diff_id));
        if (L[layer].digest)
                json_object_set_new(o, "digest", json_string(L[layer].digest));
        if (L[layer].created_by)
                json_object_set_new(o, "created_by", json_string(L[layer].created_by));
        return o;
}

static void add_finding(struct bh_report *r, const struct bh_image *img,
                        const struct bh_scan_options *opt, const struct bh_package *p,
                        const struct hit *h, const char *image_name)
{
        struct bh_finding *f = bh_report_add(r);
        bh_set(&f->id, "%s", h->id);
        /* one rule per vulnerability: code scanning groups results by rule */
        bh_set(&f->rule, "%s", h->id);
        if (h->summary)
                bh_set(&f->title, "%s", h->summary);
        else
                bh_set(&f->title, "known vulnerability in %s", p->source_name);
        f->severity = severity_of(h->severity);
        f->status = BH_STATUS_FAIL;
        f->target.kind = BH_TARGET_PACKAGE;
        bh_set(&f->target.name, "%s", p->name);
        if (image_name)
                bh_set(&f->target.id, "%s", image_name);
        bool src_differs =
            strcmp(p->source_name, p->name) != 0 || strcmp(p->source_version, p->version) != 0;
        if (h->fixed) {
                if (src_differs)
                        bh_set(&f->message, "%s %s (source %s %s) is affected by %s; fixed in %s",
                               p->name, p->version, p->source_name, p->source_version, h->id,
                               h->fixed);
                else
                        bh_set(&f->message, "%s %s is affected by %s; fixed in %s", p->name,
                               p->version, h->id, h->fixed);
                bh_set(&f->remediation,
                       "Upgrade %s to %s or later (rebuild the image on an "
                       "updated base or upgrade the package).",
                       p->source_name, h->fixed);
        } else {
                bh_set(&f->message, "%s %s is affected by %s; no fixed version yet (%s)", p->name,
                       p->version, h->id, h->status ? h->status : "affected");
                bh_set(&f->remediation,
                       "No fix is published for %s yet: watch the advisory, remove the package if "
                       "the image does not need it, or record a decision in .bulkheadignore or a "
                       "VEX document.",
                       p->source_name);
        }
        if (h->url)
                bh_finding_add_reference(f, h->url);
        if (bh_startswith(h->id, "CVE-")) {
                _cleanup_free_ char *nvd =
                    bh_xasprintf("https://nvd.nist.gov/vuln/detail/%s", h->id);
                if (!h->url || strcmp(h->url, nvd) != 0)
                        bh_finding_add_reference(f, nvd);
        }
        json_t *x = json_object();
        json_object_set_new(x, "kind", json_string("vulnerability"));
        json_object_set_new(x, "aliases", strv_json(h->aliases));
        json_object_set_new(x, "package", json_string(p->name));
        json_object_set_new(x, "installed_version", json_string(p->version));
        json_object_set_new(x, "source_package", json_string(p->source_name));
        json_object_set_new(x, "source_version", json_string(p->source_version));
        json_object_set_new(x, "fixed_version", h->fixed ? json_string(h->fixed) : json_null());
        json_object_set_new(x, "fix_state", json_string(h->fixed ? "fixed" : "unfixed"));
        if (!h->fixed && h->status)
                json_object_set_new(x, "vendor_status", json_string(h->status));
        json_object_set_new(x, "severity", json_string(h->severity ? h->severity : "unknown"));
        if (h->cvss > 0)
                json_object_set_new(x, "cvss", json_real(h->cvss));
        if (h->vector)
                json_object_set_new(x, "cvss_vector", json_string(h->vector));
        json_object_set_new(x, "package_type", json_string(bh_pkg_format_name(p->format)));
        json_object_set_new(x, "layer", layer_json(img, p->layer));
        json_object_set_new(x, "data_source", strv_json(h->sources));
        f->extra = x;
        (void)opt;
}

/* Matches one package against the advisories of every namespace in ns; the
 * advisories of one vulnerability make one finding whichever names it. */
static int match_package(const struct bh_scan_options *opt, const struct bh_image *img,
                         char *const *ns, const struct bh_package *p, struct bh_report *r,
                         struct bh_scan_result *res, struct bh_error *err)
{
        struct match_ctx m = {.pkg = p, .scheme = bh_pkg_format_scheme(p->format)};
        /* Debian and Ubuntu track source packages and their versions; apk and
         * rpm advisories name the origin / source rpm and the binary's version */
        m.version = p->format == BH_PKG_DPKG ? p->source_version : p->version;
        int rc = 0;
        for (size_t k = 0; rc == 0 && ns[k]; k++) {
                rc = bh_vulndb_query(opt->db, ns[k], p->source_name, on_advisory, &m, err);
                if (rc == 0 && p->format == BH_PKG_RPM && strcmp(p->name, p->source_name) != 0)
                        rc = bh_vulndb_query(opt->db, ns[k], p->name, on_advisory, &m, err);
        }
        for (size_t i = 0; rc == 0 && i < m.n; i++) {
                struct hit *h = &m.hits[i];
                if (opt->ignore_unfixed && !h->fixed)
                        continue;
                if ((!h->severity || strcmp(h->severity, "unknown") == 0) &&
                    bh_startswith(h->id, "CVE-")) {
                        char *sev = NULL, *vec = NULL;
                        double cvss = 0;
                        if (bh_vulndb_cve_severity(opt->db, h->id, &sev, &cvss, &vec)) {
                                free(h->severity);
                                h->severity = sev;
                                h->cvss = cvss;
                                free(h->vector);
                                h->vector = vec;
                        }
                }
                _cleanup_free_ char *aliases = join(h->aliases);
                const char *why = opt->suppress ? bh_suppressed(opt->suppress, h->id, aliases,
                                                                p->name, p->source_name)
                                                : NULL;
                if (why) {
                        res->suppressed++;
                        json_t *meta = r->meta ? r->meta : (r->meta = json_object());
                        json_t *list = json_object_get(meta, "suppressed");
                        if (!list) {
                                list = json_array();
                                json_object_set_new(meta, "suppressed", list);
                        }
                        json_t *o = json_object();
                        json_object_set_new(o, "id", json_string(h->id));
                        json_object_set_new(o, "package", json_string(p->name));
                        json_object_set_new(o, "reason", json_string(why));
                        json_array_append_new(list, o);
                        continue;
                }
                add_finding(r, img, opt, p, h, opt->ref);
                res->vulnerabilities++;
        }
        for (size_t i = 0; i < m.n; i++)
                hit_free(&m.hits[i]);
        free(m.hits);
        return rc;
}

/* Whether the image gets Ubuntu Pro's ESM updates: the Pro client writes
 * these apt sources when ESM is enabled, and removes them when detached. */
static bool ubuntu_esm_enabled(const struct bh_image *img)
{
        static const char *const files[] = {
            "etc/apt/sources.list.d/ubuntu-esm-infra.list",
            "etc/apt/sources.list.d/ubuntu-esm-apps.list",
            "etc/apt/sources.list.d/ubuntu-esm-infra.sources",
            "etc/apt/sources.list.d/ubuntu-esm-apps.sources",
        };
        struct bh_image_file f;
        for (size_t i = 0; i < BH_ARRAY_SIZE(files); i++)
                if (bh_image_stat(img, files[i], &f) && f.type == BH_FILE_REG)
                        return true;
        return false;
}

/* The namespaces whose advisories apply to an image of this OS. */
static char **advisory_namespaces(const struct bh_image *img, const char *ns)
{
        char **v = NULL;
        bh_strv_push(&v, ns);
        /* CentOS has no advisories of its own: Red Hat's apply */
        if (bh_startswith(ns, "centos:"))
                bh_strv_push_take(&v, bh_xasprintf("rhel:%s", ns + strlen("centos:")));
        /* Ubuntu Pro's ESM fixes, only where the image can install them */
        if (bh_startswith(ns, "ubuntu:") && ubuntu_esm_enabled(img))
                bh_strv_push_take(&v, bh_xasprintf("ubuntu-pro:%s", ns + strlen("ubuntu:")));
        return v;
}

int bh_scan_image(const struct bh_image *img, const struct bh_scan_options *opt,
                  struct bh_scan_result *res, struct bh_report *report, struct bh_error *err)
{
        int rc = bh_scan_inventory(img, res, err);
        if (rc < 0)
                return rc;
        if (opt->db) {
                if (!res->ns && res->packages.n > 0)
                        bh_strv_push(&res->warnings,
                                     "the operating system is unknown: packages were not matched "
                                     "against the vulnerability database");
                _cleanup_strv_ char **ns = res->ns ? advisory_namespaces(img, res->ns) : NULL;
                if (bh_log_threshold >= BH_LOG_DEBUG) {
                        _cleanup_free_ char *ns_list = join(ns);
                        bh_debug("%zu packages; advisories of %s", res->packages.n,
                                 ns_list ? ns_list : "(unknown OS)");
                }
                for (size_t i = 0; ns && i < res->packages.n; i++) {
                        rc = match_package(opt, img, ns, &res->packages.v[i], report, res, err);
                        if (rc < 0)
                                return rc;
                }
        }
        if (opt->config_checks)
                bh_scan_config_checks(img, opt, report);
        return 0;
}
