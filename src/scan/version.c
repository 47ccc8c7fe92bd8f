/* Version ordering, written from the rules each package manager documents:
 * dpkg (deb-version(7)), apk-tools' version grammar, rpm's rpmvercmp. */
#include "scan/version.h"
#include "base/util.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
        return is_digit(c) || is_alpha(c);
}

/* Compares two runs of digits as numbers of any length. */
static int digits_cmp(const char *a, size_t na, const char *b, size_t nb)
{
        while (na > 0 && *a == '0')
                a++, na--;
        while (nb > 0 && *b == '0')
                b++, nb--;
        if (na != nb)
                return na < nb ? -1 : 1;
        int r = memcmp(a, b, na);
        return r < 0 ? -1 : r > 0;
}

/* --- dpkg --- */

/* The weight of one character in a non-digit run: '~' before everything
 * (even the end), then the end, then letters, then the other symbols. */
static int dpkg_weight(char c)
{
        if (c == '~')
                return -1;
        if (c == '\0' || is_digit(c))
                return 0;
        if (is_alpha(c))
                return (unsigned char)c;
        return (unsigned char)c + 256;
}

/* Compares [a, a+na) with [b, b+nb): alternating non-digit and digit runs. */
static int dpkg_part_cmp(const char *a, size_t na, const char *b, size_t nb)
{
        size_t i = 0, j = 0;
        while (i < na || j < nb) {
                while ((i < na && !is_digit(a[i])) || (j < nb && !is_digit(b[j]))) {
                        int wa = dpkg_weight(i < na ? a[i] : '\0');
                        int wb = dpkg_weight(j < nb ? b[j] : '\0');
                        if (wa != wb)
                                return wa < wb ? -1 : 1;
                        if (i < na && !is_digit(a[i]))
                                i++;
                        if (j < nb && !is_digit(b[j]))
                                j++;
                }
                size_t si = i, sj = j;
                while (i < na && is_digit(a[i]))
                        i++;
                while (j < nb && is_digit(b[j]))
                        j++;
                int r = digits_cmp(a + si, i - si, b + sj, j - sj);
                if (r)
                        return r;
        }
        return 0;
}

struct dpkg_ver {
        unsigned long long epoch;
        const char *up;
        size_t nup;
        const char *rev;
        size_t nrev;
};

static void dpkg_split(const char *v, struct dpkg_ver *out)
{
        while (*v == ' ' || *v == '\t')
                v++;
        size_t n = strlen(v);
        while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\n'))
                n--;
        out->epoch = 0;
        const char *colon = memchr(v, ':', n);
        if (colon) {
                bool numeric = colon > v;
                unsigned long long e = 0;
                for (const char *p = v; p < colon; p++) {
                        if (!is_digit(*p)) {
                                numeric = false;
                                break;
                        }
                        e = e > (ULLONG_MAX - 9) / 10 ? ULLONG_MAX : e * 10 + (unsigned)(*p - '0');
                }
                if (numeric) {
                        out->epoch = e;
                        n -= (size_t)(colon + 1 - v);
                        v = colon + 1;
                }
        }
        const char *dash = NULL;
        for (size_t i = 0; i < n; i++)
                if (v[i] == '-')
                        dash = v + i;
        out->up = v;
        if (dash) {
                out->nup = (size_t)(dash - v);
                out->rev = dash + 1;
                out->nrev = n - out->nup - 1;
        } else {
                out->nup = n;
                out->rev = "";
                out->nrev = 0;
        }
}

int bh_dpkg_vercmp(const char *a, const char *b)
{
        struct dpkg_ver x, y;
        dpkg_split(a, &x);
        dpkg_split(b, &y);
        if (x.epoch != y.epoch)
                return x.epoch < y.epoch ? -1 : 1;
        int r = dpkg_part_cmp(x.up, x.nup, y.up, y.nup);
        if (r)
                return r;
        return dpkg_part_cmp(x.rev, x.nrev, y.rev, y.nrev);
}

bool bh_dpkg_version_valid(const char *v)
{
        size_t n = strlen(v);
        while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
                n--;
        while (n > 0 && (*v == ' ' || *v == '\t'))
                v++, n--;
        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (v[i] == ' ' || v[i] == '\t')
                        return false;
        const char *colon = memchr(v, ':', n);
        if (colon) {
                if (colon == v)
                        return false;
                unsigned long long e = 0;
                for (const char *p = v; p < colon; p++) {
                        if (!is_digit(*p))
                                return false;
                        e = e * 10 + (unsigned)(*p - '0');
                        if (e > INT32_MAX)
                                return false;
                }
                n -= (size_t)(colon + 1 - v);
                v = colon + 1;
        }
        if (n == 0)
                return false;
        const char *dash = NULL;
        for (size_t i = 0; i < n; i++)
                if (v[i] == '-')
                        dash = v + i;
        size_t nup = dash ? (size_t)(dash - v) : n;
        if (nup == 0 || !is_digit(v[0]))
                return false;
        for (size_t i = 0; i < nup; i++)
                if (!is_alnum(v[i]) && !strchr(".-+~:", v[i]))
                        return false;
        if (dash) {
                size_t nrev = n - nup - 1;
                if (nrev == 0)
                        return false;
                for (size_t i = 0; i < nrev; i++)
                        if (!is_alnum(dash[1 + i]) && !strchr(".+~", dash[1 + i]))
                                return false;
        }
        return true;
}

/* --- apk --- */

enum apk_token {
        APK_INITIAL_DIGIT,
        APK_DIGIT,
        APK_LETTER,
        APK_SUFFIX,
        APK_SUFFIX_NO,
        APK_COMMIT_HASH,
        APK_REVISION_NO,
        APK_END,
        APK_INVALID,
};

/* Pre-release suffixes order before "no suffix", post-release ones after. */
static const char *const apk_suffixes[] = {"alpha", "beta", "pre", "rc", "",
                                           "cvs",   "svn",  "git", "hg", "p"};
enum { APK_SUFFIX_NONE = 4 };

struct apk_tok {
        enum apk_token token;
        int suffix;
        uint64_t number;
        const char *value;
        size_t len;
};

static void apk_digits(struct apk_tok *t, const char **s)
{
        const char *start = *s;
        uint64_t n = 0;
        while (is_digit(**s)) {
                n = n > (UINT64_MAX - 9) / 10 ? UINT64_MAX : n * 10 + (uint64_t)(**s - '0');
                (*s)++;
        }
        t->number = n;
        t->value = start;
        t->len = (size_t)(*s - start);
        if (t->len == 0)
                t->token = APK_INVALID;
}

static void apk_first(struct apk_tok *t, const char **s)
{
        t->token = APK_INITIAL_DIGIT;
        apk_digits(t, s);
}

static int apk_suffix_index(const char *p, size_t n)
{
        for (size_t i = 0; i < BH_ARRAY_SIZE(apk_suffixes); i++)
                if (i != APK_SUFFIX_NONE && strlen(apk_suffixes[i]) == n &&
                    memcmp(apk_suffixes[i], p, n) == 0)
                        return (int)i;
        return -1;
}

static void apk_next(struct apk_tok *t, const char **s)
{
        const char *p = *s;
        char c = *p;
        if (c == '\0') {
                t->token = APK_END;
                return;
        }
        if (c >= 'a' && c <= 'z') {
                if (t->token > APK_DIGIT)
                        goto invalid;
                t->value = p;
                t->len = 1;
                t->token = APK_LETTER;
                *s = p + 1;
                return;
        }
        if (c == '.' || is_digit(c)) {
                if (c == '.') {
                        if (t->token > APK_DIGIT)
                                goto invalid;
                        p++;
                }
                if (t->token == APK_INITIAL_DIGIT || t->token == APK_DIGIT)
                        t->token = APK_DIGIT;
                else if (t->token == APK_SUFFIX)
                        t->token = APK_SUFFIX_NO;
                else
                        goto invalid;
                *s = p;
                apk_digits(t, s);
                return;
        }
        if (c == '_') {
                if (t->token > APK_SUFFIX_NO)
                        goto invalid;
                p++;
                const char *start = p;
                while (*p >= 'a' && *p <= 'z')
                        p++;
                t->suffix = apk_suffix_index(start, (size_t)(p - start));
                if (t->suffix < 0)
                        goto invalid;
                t->value = start;
                t->len = (size_t)(p - start);
                t->token = APK_SUFFIX;
                *s = p;
                return;
        }
        if (c == '~') {
                if (t->token >= APK_COMMIT_HASH)
                        goto invalid;
                p++;
                const char *start = p;
                while (is_digit(*p) || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F'))
                        p++;
                if (p == start)
                        goto invalid;
                t->value = start;
                t->len = (size_t)(p - start);
                t->token = APK_COMMIT_HASH;
                *s = p;
                return;
        }
        if (c == '-') {
                if (t->token >= APK_REVISION_NO || p[1] != 'r')
                        goto invalid;
                t->token = APK_REVISION_NO;
                *s = p + 2;
                apk_digits(t, s);
                return;
        }
invalid:
        t->token = APK_INVALID;
}

static int apk_blob_cmp(const struct apk_tok *a, const struct apk_tok *b)
{
        size_t n = a->len < b->len ? a->len : b->len;
        int r = memcmp(a->value, b->value, n);
        if (r)
                return r < 0 ? -1 : 1;
        return a->len < b->len ? -1 : a->len > b->len;
}

static int apk_tok_cmp(const struct apk_tok *a, const struct apk_tok *b)
{
        uint64_t x, y;
        switch (a->token) {
        case APK_DIGIT:
                /* a leading zero makes the component compare as a string */
                if ((a->len && a->value[0] == '0') || (b->len && b->value[0] == '0'))
                        return apk_blob_cmp(a, b);
                /* fallthrough */
        case APK_INITIAL_DIGIT:
        case APK_SUFFIX_NO:
        case APK_REVISION_NO:
                x = a->number;
                y = b->number;
                break;
        case APK_LETTER:
                x = (unsigned char)a->value[0];
                y = (unsigned char)b->value[0];
                break;
        case APK_SUFFIX:
                x = (uint64_t)a->suffix;
                y = (uint64_t)b->suffix;
                break;
        default:
                return apk_blob_cmp(a, b);
        }
        return x < y ? -1 : x > y;
}

static int apk_compare(const char *a, const char *b, bool fuzzy)
{
        struct apk_tok ta = {0}, tb = {0};
        for (apk_first(&ta, &a), apk_first(&tb, &b); ta.token == tb.token && ta.token < APK_END;
             apk_next(&ta, &a), apk_next(&tb, &b)) {
                int r = apk_tok_cmp(&ta, &tb);
                if (r)
                        return r;
        }
        if (ta.token == tb.token)
                return 0;
        if (tb.token == APK_END && fuzzy)
                return 0;
        /* equal so far: the longer one is newer unless it goes on with a
         * pre-release suffix */
        if (ta.token == APK_SUFFIX && ta.suffix < APK_SUFFIX_NONE)
                return -1;
        if (tb.token == APK_SUFFIX && tb.suffix < APK_SUFFIX_NONE)
                return 1;
        return ta.token > tb.token ? -1 : ta.token < tb.token;
}

int bh_apk_vercmp(const char *a, const char *b)
{
        return apk_compare(a, b, false);
}

bool bh_apk_version_fuzzy_match(const char *a, const char *b)
{
        return apk_compare(a, b, true) == 0;
}

bool bh_apk_version_valid(const char *v)
{
        struct apk_tok t = {0};
        for (apk_first(&t, &v); t.token < APK_END; apk_next(&t, &v))
                ;
        return t.token == APK_END;
}

/* --- rpm --- */

int bh_rpm_segcmp(const char *a, const char *b)
{
        if (strcmp(a, b) == 0)
                return 0;
        const char *x = a, *y = b;
        while (*x || *y) {
                while (*x && !is_alnum(*x) && *x != '~' && *x != '^')
                        x++;
                while (*y && !is_alnum(*y) && *y != '~' && *y != '^')
                        y++;
                /* '~' sorts before anything, even the end */
                if (*x == '~' || *y == '~') {
                        if (*x != '~')
                                return 1;
                        if (*y != '~')
                                return -1;
                        x++, y++;
                        continue;
                }
                /* '^' sorts after the end but before anything else */
                if (*x == '^' || *y == '^') {
                        if (!*x)
                                return -1;
                        if (!*y)
                                return 1;
                        if (*x != '^')
                                return 1;
                        if (*y != '^')
                                return -1;
                        x++, y++;
                        continue;
                }
                if (!*x || !*y)
                        break;
                const char *sx = x, *sy = y;
                bool num = is_digit(*x);
                if (num) {
                        while (is_digit(*x))
                                x++;
                        while (is_digit(*y))
                                y++;
                } else {
                        while (is_alpha(*x))
                                x++;
                        while (is_alpha(*y))
                                y++;
                }
                if (y == sy) /* different kinds: a number is newer than letters */
                        return num ? 1 : -1;
                int r;
                if (num) {
                        r = digits_cmp(sx, (size_t)(x - sx), sy, (size_t)(y - sy));
                } else {
                        size_t nx = (size_t)(x - sx), ny = (size_t)(y - sy);
                        r = memcmp(sx, sy, nx < ny ? nx : ny);
                        if (r == 0)
                                r = nx < ny ? -1 : nx > ny;
                        r = r < 0 ? -1 : r > 0;
                }
                if (r)
                        return r;
        }
        if (!*x && !*y)
                return 0;
        return *x ? 1 : -1;
}

struct evr {
        unsigned long long epoch;
        char *version;
        char *release;
};

static void evr_split(const char *s, struct evr *out)
{
        out->epoch = 0;
        const char *colon = strchr(s, ':');
        if (colon) {
                bool numeric = colon > s;
                unsigned long long e = 0;
                for (const char *p = s; p < colon; p++) {
                        if (!is_digit(*p)) {
                                numeric = false;
                                break;
                        }
                        e = e > (ULLONG_MAX - 9) / 10 ? ULLONG_MAX : e * 10 + (unsigned)(*p - '0');
                }
                if (numeric) {
                        out->epoch = e;
                        s = colon + 1;
                }
        }
        const char *dash = strrchr(s, '-');
        if (dash) {
                out->version = bh_xstrndup(s, (size_t)(dash - s));
                out->release = bh_xstrdup(dash + 1);
        } else {
                out->version = bh_xstrdup(s);
                out->release = NULL;
        }
}

int bh_rpm_vercmp(const char *a, const char *b)
{
        struct evr x, y;
        evr_split(a, &x);
        evr_split(b, &y);
        int r = x.epoch < y.epoch ? -1 : x.epoch > y.epoch;
        if (!r)
                r = bh_rpm_segcmp(x.version, y.version);
        /* a missing release matches any release (as rpm does for "1.0" vs "1.0-3") */
        if (!r && x.release && y.release)
                r = bh_rpm_segcmp(x.release, y.release);
        free(x.version);
        free(x.release);
        free(y.version);
        free(y.release);
        return r;
}

int bh_vercmp(enum bh_version_scheme scheme, const char *a, const char *b)
{
        switch (scheme) {
        case BH_VERSION_APK:
                return bh_apk_vercmp(a, b);
        case BH_VERSION_RPM:
                return bh_rpm_vercmp(a, b);
        case BH_VERSION_DPKG:
        default:
                return bh_dpkg_vercmp(a, b);
        }
}
