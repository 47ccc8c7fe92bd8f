/* Importers: OSV records (one file, a directory, an ecosystem zip), the
 * Debian Security Tracker's JSON and Alpine's secdb (JSON or YAML), each
 * recognised by content and written through the atomic import in vulndb.c. */
#include "scan/vulndb_internal.h"
#include "base/buf.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"
#include "scan/yaml_json.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMPORT_FILE_MAX (1024u << 20)

/* --- namespaces --- */

static char *first_numeric(char **parts)
{
        for (size_t i = 0; parts && parts[i]; i++)
                if (isdigit((unsigned char)parts[i][0]))
                        return parts[i];
        return NULL;
}

static char **split_colon(const char *s)
{
        char **v = NULL;
        const char *p = s;
        for (;;) {
                const char *c = strchr(p, ':');
                bh_strv_push_take(&v, c ? bh_xstrndup(p, (size_t)(c - p)) : bh_xstrdup(p));
                if (!c)
                        break;
                p = c + 1;
        }
        return v;
}

/* "Linux Enterprise Server 15 SP5" -> "15.5"; "Leap 15.5" -> "15.5". */
static char *suse_version(const char *s)
{
        const char *d = s;
        while (*d && !isdigit((unsigned char)*d))
                d++;
        if (!*d)
                return NULL;
        const char *e = d;
        while (isdigit((unsigned char)*e) || *e == '.')
                e++;
        const char *sp = strstr(e, "SP");
        if (sp && isdigit((unsigned char)sp[2]) && !strchr(d, '.'))
                return bh_xasprintf("%.*s.%d", (int)(e - d), d, atoi(sp + 2));
        if (!memchr(d, '.', (size_t)(e - d)))
                return bh_xasprintf("%.*s.0", (int)(e - d), d);
        return bh_xstrndup(d, (size_t)(e - d));
}

/* "Ubuntu:22.04:LTS" -> "ubuntu:22.04". Ubuntu Pro's streams get their own
 * namespace, named by every qualifier: "Ubuntu:Pro:18.04:LTS" ->
 * "ubuntu-pro:18.04" (ESM), "Ubuntu:Pro:FIPS-updates:22.04:LTS" ->
 * "ubuntu-pro-fips-updates:22.04", "Ubuntu:Pro:22.04:LTS:Realtime:Kernel" ->
 * "ubuntu-pro-realtime-kernel:22.04". FIPS and realtime builds carry versions
 * of their own, which must never be compared with the standard archive's. */
static char *ubuntu_namespace(char **parts, const char *num)
{
        struct bh_buf b = BH_BUF_INIT;
        bh_buf_puts(&b, "ubuntu");
        for (size_t i = 0; parts[i]; i++) {
                if (parts[i] == num || !*parts[i] || strcmp(parts[i], "LTS") == 0)
                        continue;
                bh_buf_putc(&b, '-');
                for (const char *c = parts[i]; *c; c++)
                        bh_buf_putc(&b, *c == ' ' ? '-' : (char)tolower((unsigned char)*c));
        }
        if (num)
                bh_buf_printf(&b, ":%s", num);
        return bh_buf_steal(&b);
}

char *bh_osv_namespace(const char *ecosystem)
{
        _cleanup_strv_ char **p = split_colon(ecosystem);
        const char *eco = p[0];
        const char *rel = p[1];
        char *num = first_numeric(p + 1);
        if (strcmp(eco, "Debian") == 0)
                return rel ? bh_xasprintf("debian:%s", rel) : bh_xstrdup("debian");
        if (strcmp(eco, "Ubuntu") == 0)
                return ubuntu_namespace(p + 1, num);
        if (strcmp(eco, "Alpine") == 0)
                return rel ? bh_xasprintf("alpine:%s", rel[0] == 'v' ? rel + 1 : rel)
                           : bh_xstrdup("alpine");
        if (strcmp(eco, "Rocky Linux") == 0)
                return num ? bh_xasprintf("rocky:%.*s", (int)strcspn(num, "."), num)
                           : bh_xstrdup("rocky");
        if (strcmp(eco, "AlmaLinux") == 0)
                return num ? bh_xasprintf("almalinux:%.*s", (int)strcspn(num, "."), num)
                           : bh_xstrdup("almalinux");
        if (strcmp(eco, "Red Hat") == 0) {
                for (size_t i = 1; p[i];
                     i++) { /* "enterprise_linux:9::appstream", "rhel_eus:8.6" */
                        if (isdigit((unsigned char)p[i][0]))
                                return bh_xasprintf("rhel:%.*s", (int)strcspn(p[i], "."), p[i]);
                }
                return bh_xstrdup("rhel");
        }
        if (strcmp(eco, "SUSE") == 0 || strcmp(eco, "openSUSE") == 0) {
                if (!rel)
                        return bh_xstrdup("sles");
                _cleanup_free_ char *v = suse_version(rel);
                const char *id = strstr(rel, "Leap Micro")   ? "opensuse-leap-micro"
                                 : strstr(rel, "Leap")       ? "opensuse-leap"
                                 : strstr(rel, "Tumbleweed") ? "opensuse-tumbleweed"
                                 : strstr(rel, "Micro")      ? "sle-micro"
                                                             : "sles";
                return v ? bh_xasprintf("%s:%s", id, v) : bh_xstrdup(id);
        }
        if (strcmp(eco, "Photon OS") == 0)
                return rel ? bh_xasprintf("photon:%s", rel) : bh_xstrdup("photon");
        /* others by their lower-case name, with the release when there is one */
        _cleanup_free_ char *low = bh_xstrdup(eco);
        for (char *c = low; *c; c++)
                *c = *c == ' ' ? '-' : (char)tolower((unsigned char)*c);
        return rel && *rel ? bh_xasprintf("%s:%s", low, rel) : bh_xstrdup(low);
}

/* --- shared pieces --- */

static bool looks_like_id(const char *s)
{
        /* CVE-2019-1, GHSA-..., XSA-123, ALPINE-13661, TEMP-0000000-... */
        const char *dash = strchr(s, '-');
        if (!dash || dash == s || !dash[1])
                return false;
        for (const char *p = s; p < dash; p++)
                if (!isupper((unsigned char)*p))
                        return false;
        return true;
}

static const char *severity_label(const char *s)
{
        if (!s)
                return NULL;
        static const struct {
                const char *in, *out;
        } map[] = {
            {"critical", "critical"},     {"high", "high"},
            {"important", "high"},        {"medium", "medium"},
            {"moderate", "medium"},       {"low", "low"},
            {"negligible", "negligible"}, {"unimportant", "negligible"},
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(map); i++)
                if (strncasecmp(s, map[i].in, strlen(map[i].in)) == 0)
                        return map[i].out;
        return NULL;
}

static int severity_rank(const char *s)
{
        static const char *order[] = {"negligible", "low", "medium", "high", "critical"};
        for (int i = 0; s && i < 5; i++)
                if (strcmp(s, order[i]) == 0)
                        return i;
        return -1;
}

/* --- OSV --- */

/* Whether the space-separated list holds exactly this id. */
static bool has_id(const struct bh_buf *b, const char *id)
{
        size_t n = strlen(id);
        for (const char *p = b->len ? b->data : ""; (p = strstr(p, id)) != NULL; p += n)
                if ((p == b->data || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
                        return true;
        return false;
}

static void add_id(struct bh_buf *b, const char *s, char **cve, int *ncve)
{
        if (!*s || strchr(s, ' ') || has_id(b, s))
                return;
        if (b->len)
                bh_buf_putc(b, ' ');
        bh_buf_puts(b, s);
        if (bh_startswith(s, "CVE-")) {
                if (!*cve)
                        *cve = bh_xstrdup(s);
                else if (strcmp(*cve, s) != 0)
                        (*ncve)++;
        }
}

const char *bh_cve_named_by(const char *id)
{
        if (bh_startswith(id, "CVE-"))
                return id;
        const char *c = strstr(id, "-CVE-");
        if (!c || c == id)
                return NULL;
        for (const char *p = id; p < c; p++)
                if (!isupper((unsigned char)*p))
                        return NULL;
        return c + 1;
}

static void add_ids(struct bh_buf *b, const json_t *arr, char **cve, int *ncve)
{
        size_t i;
        const json_t *v;
        json_array_foreach(arr, i, v)
        {
                const char *s = json_string_value(v);
                if (!s)
                        continue;
                add_id(b, s, cve, ncve);
                add_id(b, bh_cve_named_by(s) ? bh_cve_named_by(s) : "", cve, ncve);
        }
}

/* The record's severity: a CVSS v3 vector, a distribution's label, or a
 * severity in database_specific / ecosystem_specific. */
static void osv_severity(const json_t *rec, const char **label, double *score, const char **vector)
{
        size_t i;
        const json_t *s;
        *label = NULL;
        *score = 0;
        *vector = NULL;
        json_array_foreach(bh_json_get(rec, "severity"), i, s)
        {
                const char *type = bh_json_str(s, "type"), *val = bh_json_str(s, "score");
                if (!type || !val)
                        continue;
                if (bh_startswith(type, "CVSS_V3")) {
                        double sc = bh_cvss3_score(val);
                        if (sc >= 0 && sc > *score) {
                                *score = sc;
                                *vector = val;
                        }
                } else if (!*label) {
                        *label = severity_label(val);
                }
        }
        if (!*label)
                *label = severity_label(bh_json_str(rec, "database_specific.severity"));
        json_array_foreach(bh_json_get(rec, "affected"), i, s)
        {
                if (*label)
                        break;
                *label = severity_label(bh_json_str(s, "ecosystem_specific.urgency"));
                if (!*label)
                        *label = severity_label(bh_json_str(s, "ecosystem_specific.severity"));
                if (!*label)
                        *label = severity_label(bh_json_str(s, "database_specific.severity"));
        }
        if (!*label && *vector)
                *label = bh_cvss_severity(*score);
}

static int osv_ranges(struct bh_vulndb_import *imp, sqlite3_int64 vid, const char *ns,
                      const char *pkg, const json_t *aff, struct bh_error *err)
{
        size_t i, k;
        const json_t *range, *ev;
        int rows = 0;
        json_array_foreach(bh_json_get(aff, "ranges"), i, range)
        {
                const char *type = bh_json_str(range, "type");
                if (type && strcmp(type, "GIT") == 0)
                        continue;
                struct affected_row a = {.ns = ns, .pkg = pkg, .status = "affected"};
                bool open = false;
                json_array_foreach(bh_json_get(range, "events"), k, ev)
                {
                        const char *intro = bh_json_str(ev, "introduced");
                        const char *fixed = bh_json_str(ev, "fixed");
                        const char *last = bh_json_str(ev, "last_affected");
                        if (intro) {
                                if (open && import_affected(imp, vid, &a, err) < 0)
                                        return -err->code;
                                a.introduced = intro;
                                a.fixed = a.last_affected = NULL;
                                open = true;
                        } else if ((fixed || last) && open) {
                                a.fixed = fixed;
                                a.last_affected = last;
                                a.status = fixed ? "fixed" : "affected";
                                if (import_affected(imp, vid, &a, err) < 0)
                                        return -err->code;
                                rows++;
                                open = false;
                                a.status = "affected";
                        }
                }
                if (open) { /* introduced and never fixed */
                        if (import_affected(imp, vid, &a, err) < 0)
                                return -err->code;
                        rows++;
                }
        }
        return rows;
}

static int import_osv_record(struct bh_vulndb_import *imp, const json_t *rec, const char *what,
                             struct bh_error *err)
{
        const char *id = bh_json_str(rec, "id");
        if (!id || !*id)
                return bh_error_set(err, EBADMSG, "%s: an OSV record without an id", what);
        if (bh_json_str(rec, "withdrawn")) {
                if (imp->stats)
                        imp->stats->skipped++;
                return 0;
        }
        struct bh_buf ids = BH_BUF_INIT;
        char *cve = NULL;
        int extra_cves = 0;
        if (bh_startswith(id, "CVE-"))
                cve = bh_xstrdup(id);
        else if (bh_cve_named_by(id)) /* UBUNTU-CVE-...: that CVE, whatever else it lists */
                add_id(&ids, bh_cve_named_by(id), &cve, &extra_cves);
        add_ids(&ids, bh_json_get(rec, "aliases"), &cve, &extra_cves);
        add_ids(&ids, bh_json_get(rec, "upstream"), &cve, &extra_cves);
        if (extra_cves && !bh_cve_named_by(id)) {
                /* several CVEs: none is "the" one */
                free(cve);
                cve = NULL;
        }
        const char *label, *vector;
        double score;
        osv_severity(rec, &label, &score, &vector);
        const char *summary = bh_json_str(rec, "summary");
        _cleanup_free_ char *details = NULL;
        if (!summary && bh_json_str(rec, "details")) {
                const char *d = bh_json_str(rec, "details");
                details = bh_xstrndup(d, strcspn(d, "\n") < 300 ? strcspn(d, "\n") : 300);
                summary = details;
        }
        const char *url = NULL;
        size_t i;
        const json_t *r;
        json_array_foreach(bh_json_get(rec, "references"), i, r)
        {
                const char *u = bh_json_str(r, "url");
                if (u && (!url || bh_streq(bh_json_str(r, "type"), "ADVISORY")))
                        url = u;
                if (url && bh_streq(bh_json_str(r, "type"), "ADVISORY"))
                        break;
        }
        struct vuln_row v = {
            .vid = id,
            .cve = cve,
            .aliases = ids.len ? ids.data : NULL,
            .summary = summary,
            .severity = label ? label : "unknown",
            .cvss = score,
            .cvss_vector = vector,
            .modified = bh_json_str(rec, "modified"),
            .url = url,
        };
        int rc = 0;
        sqlite3_int64 vid = import_vuln(imp, &v, err);
        if (vid < 0)
                rc = (int)vid;
        const json_t *aff;
        json_array_foreach(bh_json_get(rec, "affected"), i, aff)
        {
                if (rc < 0)
                        break;
                const char *eco = bh_json_str(aff, "package.ecosystem");
                const char *name = bh_json_str(aff, "package.name");
                if (!eco || !name)
                        continue;
                _cleanup_free_ char *ns = bh_osv_namespace(eco);
                int n = osv_ranges(imp, vid, ns, name, aff, err);
                if (n < 0)
                        rc = n;
        }
        bh_buf_free(&ids);
        free(cve);
        return rc;
}

/* --- Alpine secdb --- */

static int import_secdb(struct bh_vulndb_import *imp, const json_t *doc, const char *what,
                        const char *source_name, struct bh_error *err)
{
        const char *dv = bh_json_str(doc, "distroversion");
        const char *repo = bh_json_str(doc, "reponame");
        if (!dv)
                return bh_error_set(err, EBADMSG, "%s: secdb without distroversion", what);
        _cleanup_free_ char *name =
            source_name ? bh_xstrdup(source_name)
                        : bh_xasprintf("alpine-secdb:%s/%s", dv, repo ? repo : "main");
        int rc = import_source_begin(imp, name, "alpine-secdb", what, err);
        if (rc < 0)
                return rc;
        _cleanup_free_ char *ns = bh_xasprintf("alpine:%s", dv[0] == 'v' ? dv + 1 : dv);
        size_t i;
        const json_t *p;
        json_array_foreach(bh_json_get(doc, "packages"), i, p)
        {
                const char *pkg = bh_json_str(p, "pkg.name");
                const json_t *fixes = bh_json_get(p, "pkg.secfixes");
                if (!pkg || !json_is_object(fixes))
                        continue;
                const char *ver;
                const json_t *ids;
                json_object_foreach((json_t *)fixes, ver, ids)
                {
                        /* "0": the package was never affected */
                        if (strcmp(ver, "0") == 0)
                                continue;
                        size_t k;
                        const json_t *idv;
                        json_array_foreach(ids, k, idv)
                        {
                                const char *s = json_string_value(idv);
                                if (!s)
                                        continue;
                                _cleanup_free_ char *copy = bh_xstrdup(s);
                                char *save = NULL;
                                for (char *tok = strtok_r(copy, " \t,", &save); tok;
                                     tok = strtok_r(NULL, " \t,", &save)) {
                                        if (!looks_like_id(tok))
                                                continue;
                                        struct vuln_row v = {
                                            .vid = tok,
                                            .cve = bh_startswith(tok, "CVE-") ? tok : NULL,
                                            .severity = "unknown",
                                        };
                                        sqlite3_int64 vid = import_vuln(imp, &v, err);
                                        if (vid < 0)
                                                return (int)vid;
                                        struct affected_row a = {
                                            .ns = ns, .pkg = pkg, .fixed = ver, .status = "fixed"};
                                        if ((rc = import_affected(imp, vid, &a, err)) < 0)
                                                return rc;
                                }
                        }
                }
        }
        return import_source_end(imp, err);
}

/* --- Debian Security Tracker --- */

static const struct {
        const char *codename, *version;
} debian_releases[] = {
    {"jessie", "8"},  {"stretch", "9"}, {"buster", "10"}, {"bullseye", "11"}, {"bookworm", "12"},
    {"trixie", "13"}, {"forky", "14"},  {"duke", "15"},   {"sid", "sid"},
};

static const char *debian_version_of(const char *codename)
{
        for (size_t i = 0; i < BH_ARRAY_SIZE(debian_releases); i++)
                if (strcmp(codename, debian_releases[i].codename) == 0)
                        return debian_releases[i].version;
        return NULL;
}

static int import_tracker(struct bh_vulndb_import *imp, const json_t *doc, const char *what,
                          const char *source_name, struct bh_error *err)
{
        int rc = import_source_begin(imp, source_name ? source_name : "debian-tracker",
                                     "debian-tracker", what, err);
        if (rc < 0)
                return rc;
        const char *pkg;
        const json_t *cves;
        json_object_foreach((json_t *)doc, pkg, cves)
        {
                const char *id;
                const json_t *c;
                json_object_foreach((json_t *)cves, id, c)
                {
                        const json_t *rels = bh_json_get(c, "releases");
                        if (!json_is_object(rels))
                                continue;
                        /* the worst urgency of any release stands for the CVE */
                        const char *sev = NULL;
                        const char *rn;
                        const json_t *r;
                        json_object_foreach((json_t *)rels, rn, r)
                        {
                                const char *l = severity_label(bh_json_str(r, "urgency"));
                                if (l && severity_rank(l) > severity_rank(sev))
                                        sev = l;
                        }
                        _cleanup_free_ char *desc = NULL;
                        const char *d = bh_json_str(c, "description");
                        if (d)
                                desc = bh_xstrndup(d, 300);
                        struct vuln_row v = {
                            .vid = id,
                            .cve = bh_startswith(id, "CVE-") ? id : NULL,
                            .summary = desc,
                            .severity = sev ? sev : "unknown",
                            .url = NULL,
                        };
                        _cleanup_free_ char *url =
                            bh_xasprintf("https://security-tracker.debian.org/tracker/%s", id);
                        v.url = url;
                        sqlite3_int64 vid = -1;
                        json_object_foreach((json_t *)rels, rn, r)
                        {
                                const char *ver = debian_version_of(rn);
                                const char *status = bh_json_str(r, "status");
                                const char *fixed = bh_json_str(r, "fixed_version");
                                if (!ver || !status)
                                        continue;
                                struct affected_row a = {.pkg = pkg};
                                _cleanup_free_ char *ns = bh_xasprintf("debian:%s", ver);
                                a.ns = ns;
                                if (strcmp(status, "resolved") == 0) {
                                        if (!fixed || strcmp(fixed, "0") == 0)
                                                continue; /* never affected */
                                        a.fixed = fixed;
                                        a.status = "fixed";
                                } else if (strcmp(status, "open") == 0 ||
                                           strcmp(status, "undetermined") == 0) {
                                        const char *nodsa = bh_json_str(r, "nodsa_reason");
                                        const char *urg = bh_json_str(r, "urgency");
                                        a.status =
                                            urg && strcmp(urg, "end-of-life") == 0 ? "end_of_life"
                                            : nodsa && strcmp(nodsa, "postponed") == 0
                                                ? "fix_deferred"
                                            : bh_json_str(r, "nodsa")             ? "will_not_fix"
                                            : strcmp(status, "undetermined") == 0 ? "undetermined"
                                                                                  : "affected";
                                } else {
                                        continue;
                                }
                                if (vid < 0 && (vid = import_vuln(imp, &v, err)) < 0)
                                        return (int)vid;
                                if ((rc = import_affected(imp, vid, &a, err)) < 0)
                                        return rc;
                        }
                }
        }
        return import_source_end(imp, err);
}

/* --- recognising a document --- */

struct import_run {
        struct bh_vulndb_import *imp;
        const char *source_name; /* override */
        char *osv_source;        /* name for OSV records of this run */
        const char *origin;
        bool osv_started;
};

static int ensure_osv_source(struct import_run *run, struct bh_error *err)
{
        if (run->osv_started)
                return 0;
        run->osv_started = true;
        return import_source_begin(run->imp, run->source_name ? run->source_name : run->osv_source,
                                   "osv", run->origin, err);
}

static bool is_tracker(const json_t *doc)
{
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)doc, k, v)
        {
                if (!json_is_object(v))
                        return false;
                const char *k2;
                const json_t *v2;
                json_object_foreach((json_t *)v, k2, v2)
                {
                        return json_is_object(bh_json_get(v2, "releases"));
                }
        }
        return false;
}

static int import_json(struct import_run *run, json_t *doc, const char *what, struct bh_error *err)
{
        if (json_is_array(doc)) {
                size_t i;
                json_t *rec;
                int rc = ensure_osv_source(run, err);
                json_array_foreach(doc, i, rec)
                {
                        if (rc < 0)
                                break;
                        rc = import_osv_record(run->imp, rec, what, err);
                }
                return rc;
        }
        if (!json_is_object(doc))
                return bh_error_set(err, EBADMSG, "%s: not an advisory document", what);
        if (bh_json_get(doc, "distroversion") && bh_json_get(doc, "packages"))
                return import_secdb(run->imp, doc, what, run->source_name, err);
        if (bh_json_str(doc, "id") &&
            (bh_json_get(doc, "affected") || bh_json_get(doc, "modified"))) {
                int rc = ensure_osv_source(run, err);
                return rc < 0 ? rc : import_osv_record(run->imp, doc, what, err);
        }
        if (is_tracker(doc))
                return import_tracker(run->imp, doc, what, run->source_name, err);
        return bh_error_set(err, EBADMSG,
                            "%s: not an OSV record, a Debian Security Tracker JSON or an Alpine "
                            "secdb",
                            what);
}

static int import_bytes(struct import_run *run, const char *data, size_t len, const char *what,
                        struct bh_error *err)
{
        size_t i = 0;
        while (i < len && isspace((unsigned char)data[i]))
                i++;
        json_t *doc;
        if (i < len && (data[i] == '{' || data[i] == '['))
                doc = bh_json_parse(data, len, what, err);
        else
                doc = bh_yaml_to_json(data, len, what, err);
        if (!doc)
                return -err->code;
        if (run->imp->stats)
                run->imp->stats->files++;
        int rc = import_json(run, doc, what, err);
        json_decref(doc);
        return rc;
}

static bool is_zip(const char *data, size_t len)
{
        return len >= 4 && memcmp(data, "PK\003\004", 4) == 0;
}

static int import_zip(struct import_run *run, struct archive *a, const char *what,
                      struct bh_error *err)
{
        struct archive_entry *ae;
        int r, rc = 0;
        size_t entries = 0;
        char *buf = NULL;
        size_t cap = 0;
        while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
                const char *name = archive_entry_pathname(ae);
                if (archive_entry_filetype(ae) != AE_IFREG || !name || !bh_endswith(name, ".json"))
                        continue;
                if (++entries > 10u << 20)
                        return bh_error_set(err, E2BIG, "%s: too many entries", what);
                la_int64_t size = archive_entry_size(ae);
                if (size < 0 || size > (64 << 20)) {
                        rc = bh_error_set(err, EFBIG, "%s: %s: too large", what, name);
                        break;
                }
                if ((size_t)size + 1 > cap) {
                        cap = (size_t)size + 1;
                        buf = bh_xrealloc(buf, cap);
                }
                la_ssize_t n = archive_read_data(a, buf, (size_t)size);
                if (n < 0 || n != size) {
                        rc = bh_error_set(err, EBADMSG, "%s: %s: %s", what, name,
                                          n < 0 ? archive_error_string(a) : "short entry");
                        break;
                }
                _cleanup_free_ char *w = bh_xasprintf("%s: %s", what, name);
                if ((rc = import_bytes(run, buf, (size_t)n, w, err)) < 0)
                        break;
        }
        if (rc == 0 && r != ARCHIVE_EOF)
                rc = bh_error_set(err, EBADMSG, "%s: a damaged zip: %s", what,
                                  archive_error_string(a));
        if (rc == 0 && entries == 0)
                rc = bh_error_set(err, EBADMSG, "%s: no .json records in the zip", what);
        free(buf);
        return rc;
}

static struct archive *zip_reader(void)
{
        struct archive *a = archive_read_new();
        archive_read_support_format_zip(a);
        archive_read_support_filter_none(a);
        return a;
}

static int import_file(struct import_run *run, const char *path, struct bh_error *err)
{
        char magic[4] = {0};
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return bh_error_errno(err, errno, "%s", path);
        ssize_t got = pread(fd, magic, sizeof magic, 0);
        if (got == 4 && is_zip(magic, 4)) {
                struct archive *a = zip_reader();
                int rc;
                if (archive_read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK)
                        rc = bh_error_set(err, EBADMSG, "%s: %s", path, archive_error_string(a));
                else
                        rc = import_zip(run, a, path, err);
                archive_read_free(a);
                return rc;
        }
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        int rc = bh_read_fd(fd, path, IMPORT_FILE_MAX, &data, &len, err);
        if (rc < 0)
                return rc;
        return import_bytes(run, data, len, path, err);
}

static int import_dir(struct import_run *run, const char *path, int depth, struct bh_error *err)
{
        if (depth > 16)
                return bh_error_set(err, ELOOP, "%s: directories nested too deep", path);
        struct dirent **list = NULL;
        int n = scandir(path, &list, NULL, alphasort);
        if (n < 0)
                return bh_error_errno(err, errno, "%s", path);
        int rc = 0;
        for (int i = 0; i < n; i++) {
                const char *name = list[i]->d_name;
                if (rc == 0 && name[0] != '.') {
                        _cleanup_free_ char *p = bh_path_join(path, name);
                        struct stat st;
                        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
                                rc = import_dir(run, p, depth + 1, err);
                        else if (S_ISREG(st.st_mode) &&
                                 (bh_endswith(name, ".json") || bh_endswith(name, ".yaml") ||
                                  bh_endswith(name, ".yml") || bh_endswith(name, ".zip")))
                                rc = import_file(run, p, err);
                }
                free(list[i]);
        }
        free(list);
        return rc;
}

static char *base_name(const char *path)
{
        _cleanup_free_ char *c = bh_xstrdup(path);
        size_t n = strlen(c);
        while (n > 1 && c[n - 1] == '/')
                c[--n] = '\0';
        const char *b = strrchr(c, '/');
        return bh_xstrdup(b ? b + 1 : c);
}

int bh_vulndb_import_path(struct bh_vulndb_import *imp, const char *path, const char *source_name,
                          struct bh_import_stats *stats, struct bh_error *err)
{
        struct stat st;
        if (stat(path, &st) < 0)
                return bh_error_errno(err, errno, "%s", path);
        _cleanup_free_ char *base = base_name(path);
        struct import_run run = {.imp = imp, .source_name = source_name, .origin = path};
        run.osv_source = bh_xasprintf("osv:%s", base);
        imp->stats = stats;
        int rc =
            S_ISDIR(st.st_mode) ? import_dir(&run, path, 0, err) : import_file(&run, path, err);
        if (rc == 0 && run.osv_started)
                rc = import_source_end(imp, err);
        free(run.osv_source);
        imp->stats = NULL;
        return rc;
}

int bh_vulndb_import_data(struct bh_vulndb_import *imp, const char *data, size_t len,
                          const char *what, const char *source_name, struct bh_import_stats *stats,
                          struct bh_error *err)
{
        struct import_run run = {.imp = imp, .source_name = source_name, .origin = what};
        run.osv_source = bh_xasprintf("osv:%s", what);
        imp->stats = stats;
        int rc;
        if (is_zip(data, len)) {
                struct archive *a = zip_reader();
                if (archive_read_open_memory(a, data, len) != ARCHIVE_OK)
                        rc = bh_error_set(err, EBADMSG, "%s: %s", what, archive_error_string(a));
                else
                        rc = import_zip(&run, a, what, err);
                archive_read_free(a);
        } else {
                rc = import_bytes(&run, data, len, what, err);
        }
        if (rc == 0 && run.osv_started)
                rc = import_source_end(imp, err);
        free(run.osv_source);
        imp->stats = NULL;
        return rc;
}
