/* The package formats a scan knows, which files they need, and reading them
 * all from an image with the layer each package came from. A new format is
 * one parser file and one row in formats[]. */
#include "scan/package.h"
#include "base/util.h"
#include "docker/image.h"

#include <errno.h>
#include <string.h>

typedef int (*parse_fn)(const char *data, size_t len, const char *what, struct bh_package_list *out,
                        struct bh_error *err);

static const struct package_format {
        const char *name;
        const char *paths[7]; /* databases, first that exists wins */
        const char *dir;      /* or: every file in this directory (one package a file) */
        parse_fn parse;
} formats[] = {
    {"dpkg", {"var/lib/dpkg/status"}, NULL, bh_dpkg_parse},
    {"dpkg (distroless)", {NULL}, "var/lib/dpkg/status.d/", bh_dpkg_parse_statusd},
    {"apk", {"lib/apk/db/installed", "usr/lib/apk/db/installed"}, NULL, bh_apk_parse},
    {"rpm",
     {"var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite", "var/lib/rpm/Packages.db",
      "usr/lib/sysimage/rpm/Packages.db", "var/lib/rpm/Packages", "usr/lib/sysimage/rpm/Packages"},
     NULL,
     bh_rpmdb_parse},
};

static const char *const os_files[] = {
    "etc/os-release",     "usr/lib/os-release", "etc/debian_version", "etc/alpine-release",
    "etc/redhat-release", "etc/centos-release", "etc/rocky-release",  "etc/almalinux-release",
    "etc/oracle-release", "etc/fedora-release", "etc/system-release", "etc/SuSE-release",
    "etc/lsb-release",
};

bool bh_scan_wants(const char *path, void *user)
{
        for (size_t i = 0; i < BH_ARRAY_SIZE(os_files); i++)
                if (strcmp(path, os_files[i]) == 0)
                        return true;
        for (size_t i = 0; i < BH_ARRAY_SIZE(formats); i++) {
                for (size_t k = 0; formats[i].paths[k]; k++)
                        if (strcmp(path, formats[i].paths[k]) == 0)
                                return true;
                if (formats[i].dir && bh_startswith(path, formats[i].dir) &&
                    !bh_endswith(path, ".md5sums"))
                        return true;
        }
        return false;
}

struct bh_package *bh_package_add(struct bh_package_list *l)
{
        if (l->n == l->cap) {
                l->cap = l->cap ? l->cap * 2 : 64;
                l->v = bh_xreallocarray(l->v, l->cap, sizeof *l->v);
        }
        struct bh_package *p = &l->v[l->n++];
        memset(p, 0, sizeof *p);
        p->layer = -1;
        return p;
}

static void package_free(struct bh_package *p)
{
        free(p->name);
        free(p->version);
        free(p->arch);
        free(p->source_name);
        free(p->source_version);
        free(p->license);
        free(p->maintainer);
        free(p->db_path);
}

void bh_package_list_free(struct bh_package_list *l)
{
        for (size_t i = 0; i < l->n; i++)
                package_free(&l->v[i]);
        free(l->v);
        memset(l, 0, sizeof *l);
}

const char *bh_pkg_format_name(enum bh_pkg_format f)
{
        switch (f) {
        case BH_PKG_APK:
                return "apk";
        case BH_PKG_RPM:
                return "rpm";
        case BH_PKG_DPKG:
        default:
                return "deb";
        }
}

enum bh_version_scheme bh_pkg_format_scheme(enum bh_pkg_format f)
{
        switch (f) {
        case BH_PKG_APK:
                return BH_VERSION_APK;
        case BH_PKG_RPM:
                return BH_VERSION_RPM;
        case BH_PKG_DPKG:
        default:
                return BH_VERSION_DPKG;
        }
}

/* --- which layer brought each package --- */

struct version_set {
        char **keys; /* sorted "name\tversion" */
        size_t n;
        unsigned layer;
};

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

struct history_ctx {
        parse_fn parse;
        struct version_set *sets;
        size_t n;
};

static void on_version(unsigned layer, const char *data, size_t len, void *user)
{
        struct history_ctx *h = user;
        h->sets = bh_xreallocarray(h->sets, h->n + 1, sizeof *h->sets);
        struct version_set *s = &h->sets[h->n++];
        memset(s, 0, sizeof *s);
        s->layer = layer;
        if (!data)
                return;
        struct bh_package_list l = {0};
        struct bh_error err;
        if (h->parse(data, len, "history", &l, &err) == 0) {
                s->keys = bh_xcalloc(l.n + 1, sizeof *s->keys);
                for (size_t i = 0; i < l.n; i++)
                        s->keys[i] = bh_xasprintf("%s\t%s", l.v[i].name, l.v[i].version);
                s->n = l.n;
                qsort(s->keys, s->n, sizeof *s->keys, cmp_str);
        }
        bh_package_list_free(&l);
}

static bool set_has(const struct version_set *s, const char *key)
{
        return s->n && bsearch(&key, s->keys, s->n, sizeof *s->keys, cmp_str);
}

/* The earliest layer from which on every version of the database lists the
 * package at this version. */
static void attribute_layers(const struct bh_image *img, const char *path, parse_fn parse,
                             struct bh_package *first, size_t count, unsigned fallback)
{
        struct history_ctx h = {.parse = parse};
        bh_image_history(img, path, on_version, &h);
        for (size_t i = 0; i < count; i++) {
                _cleanup_free_ char *key = bh_xasprintf("%s\t%s", first[i].name, first[i].version);
                first[i].layer = (int)fallback;
                for (size_t k = h.n; k-- > 0;) {
                        if (!set_has(&h.sets[k], key))
                                break;
                        first[i].layer = (int)h.sets[k].layer;
                }
        }
        for (size_t k = 0; k < h.n; k++) {
                for (size_t i = 0; i < h.sets[k].n; i++)
                        free(h.sets[k].keys[i]);
                free(h.sets[k].keys);
        }
        free(h.sets);
}

static int read_db(const struct bh_image *img, const struct package_format *f, const char *path,
                   struct bh_package_list *out, struct bh_error *err)
{
        struct bh_image_file st;
        if (!bh_image_stat(img, path, &st) || st.type != BH_FILE_REG)
                return -ENOENT;
        const char *data;
        size_t len;
        int rc = bh_image_read(img, path, &data, &len, err);
        if (rc < 0)
                return rc;
        size_t before = out->n;
        rc = f->parse(data, len, path, out, err);
        if (rc < 0) {
                bh_error_prefix(err, "layer %u", st.layer + 1);
                for (size_t i = before; i < out->n; i++)
                        package_free(&out->v[i]);
                out->n = before;
                return rc;
        }
        for (size_t i = before; i < out->n; i++)
                out->v[i].db_path = bh_xstrdup(path);
        attribute_layers(img, path, f->parse, out->v + before, out->n - before, st.layer);
        return 0;
}

static int cmp_pkg(const void *a, const void *b)
{
        const struct bh_package *x = a, *y = b;
        int r = strcmp(x->name, y->name);
        return r ? r : strcmp(x->version, y->version);
}

int bh_packages_read(const struct bh_image *img, struct bh_package_list *out, char ***warnings,
                     struct bh_error *err)
{
        size_t found = 0, failed = 0;
        struct bh_error last = {0};
        for (size_t i = 0; i < BH_ARRAY_SIZE(formats); i++) {
                const struct package_format *f = &formats[i];
                for (size_t k = 0; f->paths[k]; k++) {
                        struct bh_error e = {0};
                        int rc = read_db(img, f, f->paths[k], out, &e);
                        if (rc == -ENOENT && !e.msg[0])
                                continue;
                        found++;
                        if (rc < 0) {
                                failed++;
                                last = e;
                                bh_strv_push(warnings, e.msg);
                                continue;
                        }
                        break;
                }
                if (!f->dir)
                        continue;
                _cleanup_strv_ char **files = NULL;
                bh_image_list_kept(img, f->dir, &files);
                for (size_t k = 0; files && files[k]; k++) {
                        if (bh_endswith(files[k], ".md5sums"))
                                continue;
                        struct bh_error e = {0};
                        found++;
                        if (read_db(img, f, files[k], out, &e) < 0) {
                                failed++;
                                last = e;
                                bh_strv_push(warnings, e.msg);
                        }
                }
        }
        if (out->n > 1)
                qsort(out->v, out->n, sizeof *out->v, cmp_pkg);
        if (found > 0 && failed == found) {
                /* the error says it: not a warning as well */
                size_t nw = bh_strv_len(*warnings);
                if (nw > 0) {
                        free((*warnings)[nw - 1]);
                        (*warnings)[nw - 1] = NULL;
                }
                if (err)
                        *err = last;
                return -(last.code ? last.code : EBADMSG);
        }
        return 0;
}
