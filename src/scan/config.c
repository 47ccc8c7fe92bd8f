/* Image configuration checks: what the image itself says about how it will
 * run (user, secrets, healthcheck, history) and what its final filesystem
 * holds (setuid/setgid and world-writable files, a shell). Each check is a
 * row in checks[]; every check reports pass, or na with the reason, when it
 * finds nothing. */
#include "scan/scan.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/secret.h"
#include "base/util.h"
#include "docker/image.h"

#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct check_ctx {
        const struct bh_image *img;
        const struct bh_scan_options *opt;
        const json_t *config; /* the image config document, or NULL */
        const char *name;     /* image name for targets */
        struct bh_report *r;
};

struct check {
        const char *id, *rule, *title;
        enum bh_severity severity;
        void (*run)(const struct check *c, struct check_ctx *x);
        const char *remediation; /* what to do; every result carries it */
};

static struct bh_finding *add(const struct check *c, struct check_ctx *x, enum bh_status st)
{
        struct bh_finding *f = bh_report_add(x->r);
        bh_set(&f->id, "%s", c->id);
        bh_set(&f->rule, "%s", c->rule);
        bh_set(&f->title, "%s", c->title);
        f->severity = c->severity;
        f->status = st;
        bh_set(&f->remediation, "%s", c->remediation);
        f->target.kind = BH_TARGET_IMAGE;
        if (x->name)
                bh_set(&f->target.name, "%s", x->name);
        if (bh_image_id(x->img))
                bh_set(&f->target.id, "%s", bh_image_id(x->img));
        return f;
}

static bool no_config(const struct check *c, struct check_ctx *x)
{
        if (x->config)
                return false;
        struct bh_finding *f = add(c, x, BH_STATUS_NA);
        bh_set(&f->message, "a root filesystem directory has no image configuration");
        return true;
}

static void check_user(const struct check *c, struct check_ctx *x)
{
        if (no_config(c, x))
                return;
        const char *user = bh_json_str(x->config, "config.User");
        _cleanup_free_ char *u = bh_xstrdup(user ? user : "");
        char *colon = strchr(u, ':');
        if (colon)
                *colon = '\0';
        bool root = !*u || strcmp(u, "root") == 0 || strcmp(u, "0") == 0;
        struct bh_finding *f = add(c, x, root ? BH_STATUS_FAIL : BH_STATUS_PASS);
        if (root) {
                bh_set(&f->message, "%s",
                       *u ? "the image runs as root (USER root)"
                          : "the image sets no USER: containers run as root");
        } else {
                bh_set(&f->message, "the image runs as user %s", user);
        }
}

/* A secret in NAME=VALUE: the name says so (with a value) or the value looks like one. */
static const char *secret_reason(const char *name, const char *value)
{
        if (value && *value && bh_secret_name(name))
                return "its name marks a credential";
        return value ? bh_secret_value(value) : NULL;
}

static void check_env(const struct check *c, struct check_ctx *x)
{
        if (no_config(c, x))
                return;
        size_t i, bad = 0;
        const json_t *e;
        json_array_foreach(bh_json_get(x->config, "config.Env"), i, e)
        {
                const char *kv = json_string_value(e);
                if (!kv || !strchr(kv, '='))
                        continue;
                _cleanup_free_ char *name = bh_xstrndup(kv, (size_t)(strchr(kv, '=') - kv));
                const char *why = secret_reason(name, strchr(kv, '=') + 1);
                if (!why)
                        continue;
                struct bh_finding *f = add(c, x, BH_STATUS_FAIL);
                bh_set(&f->message,
                       "ENV %s looks like a secret (%s); it is readable by anyone "
                       "who can pull the image",
                       name, why);
                bad++;
        }
        if (!bad)
                bh_set(&add(c, x, BH_STATUS_PASS)->message, "no secrets in the environment");
}

static void check_labels(const struct check *c, struct check_ctx *x)
{
        if (no_config(c, x))
                return;
        size_t bad = 0;
        const char *k;
        const json_t *v;
        json_object_foreach((json_t *)bh_json_get(x->config, "config.Labels"), k, v)
        {
                const char *why = secret_reason(k, json_string_value(v));
                if (!why)
                        continue;
                struct bh_finding *f = add(c, x, BH_STATUS_FAIL);
                bh_set(&f->message, "LABEL %s looks like a secret (%s)", k, why);
                bad++;
        }
        if (!bad)
                bh_set(&add(c, x, BH_STATUS_PASS)->message, "no secrets in the labels");
}

static void check_history_secrets(const struct check *c, struct check_ctx *x)
{
        if (no_config(c, x))
                return;
        size_t i, bad = 0;
        const json_t *h;
        json_array_foreach(bh_json_get(x->config, "history"), i, h)
        {
                const char *cmd = bh_json_str(h, "created_by");
                if (!cmd)
                        continue;
                /* build arguments show as "|2 NAME=value NAME=value /bin/sh -c ..." and
                 * ENV/ARG as "ENV NAME=value": look at every NAME=value word */
                _cleanup_free_ char *copy = bh_xstrdup(cmd);
                char *save = NULL;
                for (char *w = strtok_r(copy, " \t\n", &save); w;
                     w = strtok_r(NULL, " \t\n", &save)) {
                        char *eq = strchr(w, '=');
                        if (!eq || eq == w)
                                continue;
                        *eq = '\0';
                        const char *val = eq + 1;
                        if (*val == '"' || *val == '\'')
                                val++;
                        const char *why = secret_reason(w, val);
                        if (!why)
                                continue;
                        struct bh_finding *f = add(c, x, BH_STATUS_FAIL);
                        bh_set(&f->message,
                               "build history step %zu sets %s, which looks like a "
                               "secret (%s)",
                               i + 1, w, why);
                        bad++;
                }
        }
        if (!bad)
                bh_set(&add(c, x, BH_STATUS_PASS)->message, "no secrets in the build history");
}

static void list_paths(struct bh_buf *b, const struct bh_image_file *v, size_t n)
{
        for (size_t i = 0; i < n && i < 10; i++)
                bh_buf_printf(b, "%s/%s", i ? ", " : "", v[i].path);
        if (n > 10)
                bh_buf_printf(b, " and %zu more", n - 10);
}

static json_t *paths_json(const struct bh_image_file *v, size_t n)
{
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++) {
                json_t *o = json_object();
                json_object_set_new(o, "path", json_string(v[i].path));
                char mode[8];
                snprintf(mode, sizeof mode, "%04o", v[i].mode & 07777);
                json_object_set_new(o, "mode", json_string(mode));
                json_object_set_new(o, "uid", json_integer(v[i].uid));
                json_object_set_new(o, "gid", json_integer(v[i].gid));
                json_object_set_new(o, "layer", json_integer(v[i].layer));
                json_array_append_new(a, o);
        }
        return a;
}

static void special(const struct check *c, struct check_ctx *x, bool setid)
{
        struct bh_image_file *all;
        size_t n = bh_image_special_files(x->img, &all), m = 0;
        for (size_t i = 0; i < n; i++) {
                bool is_setid = all[i].type == BH_FILE_REG && (all[i].mode & (S_ISUID | S_ISGID));
                if (is_setid == setid)
                        all[m++] = all[i];
        }
        if (m == 0) {
                bh_set(&add(c, x, BH_STATUS_PASS)->message, "%s",
                       setid ? "no setuid or setgid files" : "no world-writable files");
        } else {
                struct bh_finding *f = add(c, x, BH_STATUS_WARN);
                struct bh_buf b = BH_BUF_INIT;
                list_paths(&b, all, m);
                bh_set(&f->message, "%zu %s: %s", m,
                       setid ? "setuid/setgid files" : "world-writable files or directories",
                       b.data);
                bh_buf_free(&b);
                f->extra = json_object();
                json_object_set_new(f->extra, "files", paths_json(all, m));
        }
        free(all);
}

static void check_setid(const struct check *c, struct check_ctx *x)
{
        special(c, x, true);
}

static void check_world_writable(const struct check *c, struct check_ctx *x)
{
        special(c, x, false);
}

static void check_remote_add(const struct check *c, struct check_ctx *x)
{
        if (no_config(c, x))
                return;
        size_t i, bad = 0;
        const json_t *h;
        json_array_foreach(bh_json_get(x->config, "history"), i, h)
        {
                const char *cmd = bh_json_str(h, "created_by");
                const char *add_at = cmd ? strstr(cmd, "ADD ") : NULL;
                if (!add_at || !(strstr(add_at, "http://") || strstr(add_at, "https://")))
                        continue;
                struct bh_finding *f = add(c, x, BH_STATUS_WARN);
                bh_set(&f->message, "build history step %zu adds a remote URL: %.200s", i + 1,
                       add_at);
                bad++;
        }
        if (!bad)
                bh_set(&add(c, x, BH_STATUS_PASS)->message, "no remote ADD in the build history");
}

static void check_healthcheck(const struct check *c, struct check_ctx *x)
{
        if (no_config(c, x))
                return;
        const json_t *test = bh_json_get(x->config, "config.Healthcheck.Test");
        const char *first = json_string_value(json_array_get(test, 0));
        bool none = !json_is_array(test) || json_array_size(test) == 0 || bh_streq(first, "NONE");
        struct bh_finding *f = add(c, x, none ? BH_STATUS_WARN : BH_STATUS_PASS);
        if (none) {
                bh_set(&f->message, "the image defines no HEALTHCHECK");
        } else {
                bh_set(&f->message, "the image defines a HEALTHCHECK");
        }
}

static void check_shell(const struct check *c, struct check_ctx *x)
{
        static const char *const shells[] = {"bin/sh",     "bin/bash",     "bin/ash",
                                             "bin/dash",   "bin/busybox",  "usr/bin/bash",
                                             "usr/bin/sh", "usr/bin/dash", "bin/zsh"};
        struct bh_buf found = BH_BUF_INIT;
        _cleanup_strv_ char **seen = NULL; /* bin/sh and usr/bin/sh may be one file */
        for (size_t i = 0; i < BH_ARRAY_SIZE(shells); i++) {
                struct bh_image_file st;
                if (!bh_image_stat(x->img, shells[i], &st) || bh_strv_contains(seen, st.path))
                        continue;
                bh_strv_push(&seen, st.path);
                bh_buf_printf(&found, "%s/%s", found.len ? ", " : "", st.path);
        }
        if (found.len) {
                struct bh_finding *f = add(c, x, BH_STATUS_INFO);
                bh_set(&f->message, "the final image has a shell (%s): not distroless", found.data);
        } else {
                bh_set(&add(c, x, BH_STATUS_PASS)->message,
                       "no shell in the final image (distroless)");
        }
        bh_buf_free(&found);
}

static bool tag_is_latest(const char *ref)
{
        if (!ref || strchr(ref, '@'))
                return false;
        const char *slash = strrchr(ref, '/');
        const char *colon = strrchr(slash ? slash : ref, ':');
        return !colon || strcmp(colon + 1, "latest") == 0;
}

static bool is_hex_id(const char *s)
{
        size_t n = strspn(s, "0123456789abcdef");
        return n >= 12 && s[n] == '\0';
}

static void check_latest(const struct check *c, struct check_ctx *x)
{
        const char *ref = x->opt->ref, *which = NULL;
        if (x->opt->ref_is_name && ref) {
                if (!is_hex_id(ref) && !bh_startswith(ref, "sha256:") && tag_is_latest(ref))
                        which = ref;
        } else {
                char *const *tags = bh_image_repo_tags(x->img);
                for (size_t i = 0; !which && tags && tags[i]; i++)
                        if (tag_is_latest(tags[i]))
                                which = tags[i];
        }
        struct bh_finding *f = add(c, x, which ? BH_STATUS_WARN : BH_STATUS_PASS);
        if (which) {
                bh_set(&f->message, "%s uses the 'latest' tag: what it names changes over time",
                       which);
        } else {
                bh_set(&f->message, "not referred to by 'latest'");
        }
}

static void check_age(const struct check *c, struct check_ctx *x)
{
        if (no_config(c, x))
                return;
        const char *created = bh_json_str(x->config, "created");
        struct tm tm = {0};
        if (!created || !strptime(created, "%Y-%m-%dT%H:%M:%S", &tm)) {
                bh_set(&add(c, x, BH_STATUS_NA)->message, "the image records no creation time");
                return;
        }
        time_t t = timegm(&tm);
        time_t now = x->opt->now ? x->opt->now : time(NULL);
        unsigned max = x->opt->max_age_days ? x->opt->max_age_days : 90;
        long days = (long)((now - t) / 86400);
        struct bh_finding *f = add(c, x, days > (long)max ? BH_STATUS_WARN : BH_STATUS_PASS);
        bh_set(&f->message, "built %ld days ago (%.10s)", days, created);
        if (days > (long)max)
                bh_set(&f->remediation,
                       "Rebuild images at least every %u days so they pick up "
                       "security updates.",
                       max);
        f->extra = json_object();
        json_object_set_new(f->extra, "age_days", json_integer(days));
}

static const struct check checks[] = {
    {"IMG-USER", "image-user-root", "Image runs as a non-root user", BH_SEV_HIGH, check_user,
     "Add a non-root user and a USER instruction (USER 10001) to the Dockerfile."},
    {"IMG-SECRET-ENV", "image-secret-env", "No secrets in ENV", BH_SEV_CRITICAL, check_env,
     "Pass secrets at run time (a secret mount, a file, the orchestrator's secrets), never in "
     "ENV; rotate any that were published."},
    {"IMG-SECRET-LABEL", "image-secret-label", "No secrets in labels", BH_SEV_HIGH, check_labels,
     "Remove the secret from the labels and rotate it."},
    {"IMG-SECRET-HISTORY", "image-secret-history", "No secrets in the build history",
     BH_SEV_CRITICAL, check_history_secrets,
     "Use build secrets (RUN --mount=type=secret) instead of ARG/ENV, rebuild, and rotate the "
     "secret."},
    {"IMG-SETID", "image-setid-files", "No setuid/setgid files", BH_SEV_MEDIUM, check_setid,
     "Remove the setuid/setgid bits in the Dockerfile (RUN find / -xdev -perm /6000 -type f -exec "
     "chmod a-s {} +) unless a program needs them."},
    {"IMG-WORLD-WRITABLE", "image-world-writable", "No world-writable files", BH_SEV_MEDIUM,
     check_world_writable,
     "Remove write permission for others (chmod o-w) or use a sticky "
     "directory."},
    {"IMG-REMOTE-ADD", "image-remote-add", "No ADD of remote URLs", BH_SEV_MEDIUM, check_remote_add,
     "Download with a checksum check in a RUN step (or COPY a verified file) "
     "instead of ADD <url>."},
    {"IMG-HEALTHCHECK", "image-no-healthcheck", "Image defines a HEALTHCHECK", BH_SEV_LOW,
     check_healthcheck,
     "Add a HEALTHCHECK instruction so the engine can tell a hung container "
     "from a healthy one."},
    {"IMG-SHELL", "image-shell", "Final image without a shell (distroless)", BH_SEV_INFO,
     check_shell,
     "Build the final stage FROM a distroless or scratch base (bulkhead slim) so an "
     "intruder finds no shell."},
    {"IMG-LATEST", "image-latest-tag", "Image not referred to by 'latest'", BH_SEV_LOW,
     check_latest, "Tag images with a version and deploy by digest."},
    {"IMG-AGE", "image-age", "Image rebuilt recently", BH_SEV_LOW, check_age,
     "Rebuild images regularly (at least every --max-age days) so they pick up security "
     "updates."},
};

void bh_scan_config_checks(const struct bh_image *img, const struct bh_scan_options *opt,
                           struct bh_report *report)
{
        struct check_ctx x = {
            .img = img,
            .opt = opt,
            .config = bh_image_config(img),
            .name = opt->ref ? opt->ref : bh_image_name(img),
            .r = report,
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(checks); i++)
                checks[i].run(&checks[i], &x);
}
