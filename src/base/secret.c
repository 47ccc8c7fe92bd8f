#include "base/secret.h"
#include "base/util.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

/* Name fragments that signal a credential, matched against the upper-cased
 * name split at '_', '-' and '.'. */
static const char *const secret_words[] = {
    "PASSWORD",   "PASSWD",      "PASS",    "PWD",  "SECRET",     "TOKEN",        "APIKEY",
    "CREDENTIAL", "CREDENTIALS", "PRIVATE", "AUTH", "PASSPHRASE", "CLIENTSECRET", "SESSIONKEY",
};

/* Whole names that contain a secret word yet name no secret. */
static const char *const harmless_names[] = {
    "GPG_KEY",   "GPG_KEYS",  "PUBLIC_KEY", "PWD",           "OLDPWD",  "PASS_MAX_DAYS",
    "AUTH_TYPE", "TOKEN_URL", "AUTH_URL",   "PASSWORD_FILE", "AUTHORS",
};

/* Suffixes that say the variable points at a secret rather than holding it:
 * a location or a handle (SSH_AUTH_SOCK is the agent's socket). */
static const char *const harmless_suffixes[] = {
    "_FILE",        "_PATH",    "_DIR",    "_URL",      "_URI",        "_ID",      "_SOCK",
    "_SOCKET",      "_KEY_ID",  "_LENGTH", "_LEN",      "_MIN_LENGTH", "_ENABLED", "_TYPE",
    "_HOST",        "_PORT",    "_USER",   "_USERNAME", "_NAME",       "_HEADER",  "_ENDPOINT",
    "_FINGERPRINT", "_KEYRING", "_SHA256", "_SHA512",   "_VERSION",
};

static void upper(char *dst, size_t cap, const char *src)
{
        size_t i = 0;
        for (; src[i] && i + 1 < cap; i++)
                dst[i] = (char)toupper((unsigned char)src[i]);
        dst[i] = '\0';
}

bool bh_secret_name(const char *name)
{
        char up[256];
        upper(up, sizeof up, name);
        for (char *p = up; *p; p++)
                if (*p == '-' || *p == '.')
                        *p = '_';
        for (size_t i = 0; i < BH_ARRAY_SIZE(harmless_names); i++)
                if (strcmp(up, harmless_names[i]) == 0)
                        return false;
        for (size_t i = 0; i < BH_ARRAY_SIZE(harmless_suffixes); i++)
                if (bh_endswith(up, harmless_suffixes[i]))
                        return false;
        /* KEY alone is too common (GPG_KEY, NODE_KEY_SERVER); API_KEY, ACCESS_KEY,
         * SECRET_KEY, PRIVATE_KEY and friends are credentials. */
        static const char *const key_pairs[] = {"API_KEY",        "ACCESS_KEY",  "SECRET_KEY",
                                                "PRIVATE_KEY",    "MASTER_KEY",  "SIGNING_KEY",
                                                "ENCRYPTION_KEY", "LICENSE_KEY", "ACCOUNT_KEY"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(key_pairs); i++)
                if (strstr(up, key_pairs[i]))
                        return true;
        char *save = NULL;
        for (char *w = strtok_r(up, "_", &save); w; w = strtok_r(NULL, "_", &save))
                for (size_t i = 0; i < BH_ARRAY_SIZE(secret_words); i++)
                        if (strcmp(w, secret_words[i]) == 0)
                                return true;
        return false;
}

/* Shannon entropy in bits per character of s[0..n). */
static double bh_entropy(const char *s, size_t n)
{
        if (n == 0)
                return 0;
        size_t counts[256] = {0};
        for (size_t i = 0; i < n; i++)
                counts[(unsigned char)s[i]]++;
        double h = 0;
        for (int c = 0; c < 256; c++) {
                if (!counts[c])
                        continue;
                double p = (double)counts[c] / (double)n;
                h -= p * log2(p);
        }
        return h;
}

static bool all_in(const char *s, size_t n, const char *set)
{
        for (size_t i = 0; i < n; i++)
                if (!strchr(set, s[i]) || !s[i])
                        return false;
        return true;
}

#define UPPER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

static bool prefixed_token(const char *v, const char *prefix, size_t min_rest, const char *set)
{
        size_t lp = strlen(prefix);
        if (strncmp(v, prefix, lp) != 0)
                return false;
        size_t n = strspn(v + lp, set);
        return n >= min_rest;
}

const char *bh_secret_value(const char *v)
{
        if (!v)
                return NULL;
        if (strstr(v, "-----BEGIN") && strstr(v, "PRIVATE KEY"))
                return "private key";
        for (const char *p = v; *p; p++) {
                /* every known prefix starts with one of these letters */
                if (!strchr("Agxsn", *p))
                        continue;
                if ((strncmp(p, "AKIA", 4) == 0 || strncmp(p, "ASIA", 4) == 0) &&
                    all_in(p + 4, 16, UPPER_DIGITS) && strlen(p + 4) >= 16)
                        return "AWS access key id";
                if (prefixed_token(p, "ghp_", 36, ALNUM) || prefixed_token(p, "gho_", 36, ALNUM) ||
                    prefixed_token(p, "ghs_", 36, ALNUM) || prefixed_token(p, "ghu_", 36, ALNUM) ||
                    prefixed_token(p, "github_pat_", 40, ALNUM "_"))
                        return "GitHub token";
                if (prefixed_token(p, "glpat-", 20, ALNUM "-_"))
                        return "GitLab token";
                if (prefixed_token(p, "xoxb-", 20, ALNUM "-") ||
                    prefixed_token(p, "xoxp-", 20, ALNUM "-") ||
                    prefixed_token(p, "xoxa-", 20, ALNUM "-"))
                        return "Slack token";
                if (prefixed_token(p, "sk_live_", 24, ALNUM))
                        return "Stripe secret key";
                if (prefixed_token(p, "AIza", 35, ALNUM "-_"))
                        return "Google API key";
                if (prefixed_token(p, "npm_", 36, ALNUM))
                        return "npm token";
        }
        /* A long unbroken run of base64/hex-like characters with high entropy.
         * Checksums (pure hex of 32, 40, 64 or 128 characters) are common in
         * Dockerfiles and are not secrets. */
        size_t n = strlen(v);
        if (n >= 20 && n <= 4096 && v[0] != '/' && all_in(v, n, ALNUM "+/=_-")) {
                bool hex = all_in(v, n, "0123456789abcdefABCDEF");
                if (hex && (n == 32 || n == 40 || n == 64 || n == 128))
                        return NULL;
                bool has_digit = strpbrk(v, "0123456789") != NULL;
                bool has_upper = strpbrk(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL;
                bool has_lower = strpbrk(v, "abcdefghijklmnopqrstuvwxyz") != NULL;
                if (has_digit && has_upper + has_lower >= 1 && bh_entropy(v, n) >= 4.0 && !hex)
                        return "high-entropy string";
        }
        return NULL;
}
