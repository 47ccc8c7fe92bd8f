/* Which distribution and release an image is, from os-release and the older
 * release files; and the advisory namespace that release is matched in. */
#include "scan/package.h"
#include "base/util.h"
#include "docker/image.h"

#include <ctype.h>
#include <string.h>

void bh_os_free(struct bh_os *os)
{
        free(os->id);
        free(os->version_id);
        free(os->codename);
        free(os->pretty_name);
        free(os->id_like);
        free(os->source);
        memset(os, 0, sizeof *os);
}

/* One os-release value: unquoted, with shell-style escapes undone. */
static char *unquote(const char *v)
{
        size_t n = strlen(v);
        char *out = bh_xmalloc(n + 1), *o = out;
        char q = 0;
        for (const char *p = v; *p; p++) {
                if (!q && (*p == '"' || *p == '\'')) {
                        q = *p;
                        continue;
                }
                if (q && *p == q) {
                        q = 0;
                        continue;
                }
                if (*p == '\\' && p[1] && q != '\'') {
                        *o++ = *++p;
                        continue;
                }
                *o++ = *p;
        }
        *o = '\0';
        bh_strstrip(out);
        return out;
}

static void set_once(char **field, const char *v)
{
        if (!*field && v && *v)
                *field = bh_xstrdup(v);
}

static void parse_os_release(const char *data, struct bh_os *os)
{
        _cleanup_free_ char *copy = bh_xstrdup(data);
        char *save = NULL;
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *eq = strchr(line, '=');
                if (!eq || line[0] == '#')
                        continue;
                *eq = '\0';
                _cleanup_free_ char *val = unquote(eq + 1);
                const char *key = bh_strstrip(line);
                if (strcmp(key, "ID") == 0) {
                        for (char *c = val; *c; c++)
                                *c = (char)tolower((unsigned char)*c);
                        set_once(&os->id, val);
                } else if (strcmp(key, "VERSION_ID") == 0) {
                        set_once(&os->version_id, val);
                } else if (strcmp(key, "VERSION_CODENAME") == 0) {
                        set_once(&os->codename, val);
                } else if (strcmp(key, "PRETTY_NAME") == 0) {
                        set_once(&os->pretty_name, val);
                } else if (strcmp(key, "ID_LIKE") == 0) {
                        set_once(&os->id_like, val);
                }
        }
}

static const char *read_file(const struct bh_image *img, const char *path)
{
        const char *data;
        size_t len;
        struct bh_error err;
        if (bh_image_read(img, path, &data, &len, &err) < 0)
                return NULL;
        return data;
}

/* The first run of digits and dots in s ("release 7.9.2009 (Core)" -> "7.9.2009"). */
static char *first_version(const char *s)
{
        while (*s && !isdigit((unsigned char)*s))
                s++;
        const char *e = s;
        while (isdigit((unsigned char)*e) || *e == '.')
                e++;
        while (e > s && e[-1] == '.')
                e--;
        return e > s ? bh_xstrndup(s, (size_t)(e - s)) : NULL;
}

static const struct {
        const char *file;
        const char *match; /* text in the file, case-insensitive */
        const char *id;
} release_files[] = {
    {"etc/centos-release", "centos", "centos"},        {"etc/rocky-release", "rocky", "rocky"},
    {"etc/almalinux-release", "alma", "almalinux"},    {"etc/oracle-release", "oracle", "ol"},
    {"etc/fedora-release", "fedora", "fedora"},        {"etc/redhat-release", "red hat", "rhel"},
    {"etc/redhat-release", "centos", "centos"},        {"etc/system-release", "amazon", "amzn"},
    {"etc/SuSE-release", "opensuse", "opensuse-leap"}, {"etc/SuSE-release", "suse", "sles"},
};

void bh_os_detect(const struct bh_image *img, struct bh_os *os)
{
        memset(os, 0, sizeof *os);
        const char *d = read_file(img, "etc/os-release");
        const char *src = "etc/os-release";
        if (!d) {
                d = read_file(img, "usr/lib/os-release");
                src = "usr/lib/os-release";
        }
        if (d) {
                parse_os_release(d, os);
                if (os->id)
                        os->source = bh_xstrdup(src);
        }
        /* apk writes alpine-release itself: it is the truth for the branch */
        const char *alp = read_file(img, "etc/alpine-release");
        if (alp && (!os->id || strcmp(os->id, "alpine") == 0)) {
                _cleanup_free_ char *v = bh_xstrdup(alp);
                bh_strstrip(v);
                set_once(&os->id, "alpine");
                free(os->version_id);
                os->version_id = bh_xstrdup(v);
                free(os->source);
                os->source = bh_xstrdup("etc/alpine-release");
        }
        const char *deb = read_file(img, "etc/debian_version");
        if (deb && (!os->id || strcmp(os->id, "debian") == 0)) {
                _cleanup_free_ char *v = bh_xstrdup(deb);
                bh_strstrip(v);
                if (!os->id) {
                        os->id = bh_xstrdup("debian");
                        os->source = bh_xstrdup("etc/debian_version");
                }
                if (isdigit((unsigned char)v[0]) && !os->version_id)
                        os->version_id = first_version(v);
                else if (!isdigit((unsigned char)v[0]) && !os->codename)
                        os->codename = bh_xstrndup(v, strcspn(v, "/"));
        }
        for (size_t i = 0; !os->id && i < BH_ARRAY_SIZE(release_files); i++) {
                const char *r = read_file(img, release_files[i].file);
                if (!r || !strcasestr(r, release_files[i].match))
                        continue;
                os->id = bh_xstrdup(release_files[i].id);
                os->version_id = first_version(r);
                os->source = bh_xstrdup(release_files[i].file);
                const char *vl = strstr(r, "VERSION =");
                const char *pl = strstr(r, "PATCHLEVEL =");
                if (vl && pl) { /* SuSE-release: VERSION = 12, PATCHLEVEL = 5 */
                        _cleanup_free_ char *v = first_version(vl), *p = first_version(pl);
                        if (v && p) {
                                free(os->version_id);
                                os->version_id = bh_xasprintf("%s.%s", v, p);
                        }
                }
        }
        const char *lsb = read_file(img, "etc/lsb-release");
        if (lsb && !os->id && strstr(lsb, "DISTRIB_ID=Ubuntu")) {
                os->id = bh_xstrdup("ubuntu");
                const char *r = strstr(lsb, "DISTRIB_RELEASE=");
                if (r)
                        os->version_id = first_version(r);
                os->source = bh_xstrdup("etc/lsb-release");
        }
}

static const struct {
        const char *codename;
        const char *version;
} debian_codenames[] = {
    {"jessie", "8"},    {"stretch", "9"}, {"buster", "10"}, {"bullseye", "11"},
    {"bookworm", "12"}, {"trixie", "13"}, {"forky", "14"},  {"duke", "15"},
};

/* The leading count components of v ("3.19.1", 2 -> "3.19"). */
static char *components(const char *v, int count)
{
        const char *p = v;
        for (int i = 0; *p; p++)
                if (*p == '.' && ++i == count)
                        break;
        return bh_xstrndup(v, (size_t)(p - v));
}

char *bh_os_namespace(const struct bh_os *os)
{
        if (!os->id)
                return NULL;
        const char *id = os->id;
        const char *v = os->version_id;
        if (strcmp(id, "debian") == 0) {
                if (v && isdigit((unsigned char)v[0]))
                        return bh_xasprintf("debian:%.*s", (int)strcspn(v, "."), v);
                for (size_t i = 0; os->codename && i < BH_ARRAY_SIZE(debian_codenames); i++)
                        if (strcmp(os->codename, debian_codenames[i].codename) == 0)
                                return bh_xasprintf("debian:%s", debian_codenames[i].version);
                return bh_xstrdup("debian:sid");
        }
        if (strcmp(id, "ubuntu") == 0)
                return v ? bh_xasprintf("ubuntu:%s", v) : NULL;
        if (strcmp(id, "alpine") == 0) {
                if (!v)
                        return NULL;
                if (strstr(v, "_alpha") || strstr(v, "_git"))
                        return bh_xstrdup("alpine:edge");
                _cleanup_free_ char *mm = components(v, 2);
                return bh_xasprintf("alpine:%s", mm);
        }
        /* rolling releases: one advisory stream, whatever the snapshot */
        if (strcmp(id, "wolfi") == 0 || strcmp(id, "chainguard") == 0 ||
            strcmp(id, "opensuse-tumbleweed") == 0)
                return bh_xstrdup(id);
        if (strcmp(id, "opensuse-leap") == 0 || strcmp(id, "opensuse-leap-micro") == 0 ||
            strcmp(id, "sles") == 0 || strcmp(id, "sle_hpc") == 0 || strcmp(id, "sle-micro") == 0 ||
            strcmp(id, "photon") == 0 || strcmp(id, "mariner") == 0 ||
            strcmp(id, "azurelinux") == 0) {
                if (!v)
                        return NULL;
                _cleanup_free_ char *mm = components(v, 2);
                return bh_xasprintf("%s:%s", strcmp(id, "sle_hpc") == 0 ? "sles" : id, mm);
        }
        if (!v)
                return bh_xstrdup(id);
        /* RHEL family, Fedora, Amazon: by major release */
        _cleanup_free_ char *major = components(v, 1);
        return bh_xasprintf("%s:%s", id, major);
}
