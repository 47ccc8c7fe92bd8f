/* What BuildKit checks after parsing, before it builds: known instructions
 * and flags, argument counts and option values. */
#include "lint/dockerfile.h"
#include "base/util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct vctx {
        bh_df_problem_fn report;
        void *ud;
        size_t count;
        size_t idx; /* the top-level instruction being checked */
};

static void problem(struct vctx *v, const struct bh_df_instr *in, size_t start, size_t end,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void problem(struct vctx *v, const struct bh_df_instr *in, size_t start, size_t end,
                    const char *fmt, ...)
{
        char msg[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        (void)in;
        v->report(v->ud, v->idx, start, end, msg);
        v->count++;
}

static const char *const *allowed_flags(enum bh_df_kind k)
{
        static const char *const from[] = {"platform", NULL};
        static const char *const run[] = {"mount", "network", "security", "device", NULL};
        static const char *const copy[] = {"from",    "chown",   "chmod", "link",
                                           "parents", "exclude", NULL};
        static const char *const add[] = {"chown",        "chmod",   "link",   "checksum",
                                          "keep-git-dir", "exclude", "unpack", NULL};
        static const char *const health[] = {"interval",       "timeout", "start-period",
                                             "start-interval", "retries", NULL};
        static const char *const none[] = {NULL};
        switch (k) {
        case BH_DF_FROM:
                return from;
        case BH_DF_RUN:
                return run;
        case BH_DF_COPY:
                return copy;
        case BH_DF_ADD:
                return add;
        case BH_DF_HEALTHCHECK:
                return health;
        default:
                return none;
        }
}

/* Go's time.ParseDuration, enough of it: [0-9.]+ with units, repeated. */
static bool go_duration(const char *s)
{
        if (strcmp(s, "0") == 0)
                return true;
        if (*s == '-' || *s == '+')
                s++;
        if (!*s)
                return false;
        while (*s) {
                if (!isdigit((unsigned char)*s) && *s != '.')
                        return false;
                while (isdigit((unsigned char)*s) || *s == '.')
                        s++;
                static const char *const units[] = {"ns", "us", "\xC2\xB5s", "ms",
                                                    "s",  "m",  "h",         NULL};
                size_t best = 0;
                for (size_t i = 0; units[i]; i++) {
                        size_t n = strlen(units[i]);
                        if (strncmp(s, units[i], n) == 0 && n > best)
                                best = n;
                }
                if (!best)
                        return false;
                s += best;
        }
        return true;
}

static void check_mount(struct vctx *v, const struct bh_df_instr *in, const struct bh_df_word *w,
                        const char *spec)
{
        char *copy = bh_xstrdup(spec), *save = NULL;
        const char *type = "bind";
        for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save))
                if (strncmp(kv, "type=", 5) == 0)
                        type = kv + 5;
        static const char *const types[] = {"bind", "cache", "tmpfs", "secret", "ssh", NULL};
        bool ok = false;
        for (size_t i = 0; types[i]; i++)
                ok |= strcmp(type, types[i]) == 0;
        if (!ok)
                problem(v, in, w->start, w->end,
                        "unknown mount type \"%s\": expected bind, cache, tmpfs, secret or ssh",
                        type);
        free(copy);
}

static void check_flags(struct vctx *v, const struct bh_df_instr *in)
{
        const char *const *ok = allowed_flags(in->kind);
        for (size_t i = 0; i < in->nflags; i++) {
                const struct bh_df_word *w = &in->flags[i];
                const char *name = w->value + 2;
                size_t n = strcspn(name, "=");
                bool known = false;
                for (size_t k = 0; ok[k]; k++)
                        if (strlen(ok[k]) == n && strncmp(ok[k], name, n) == 0)
                                known = true;
                if (!known) {
                        problem(v, in, w->start, w->end, "%s does not take the flag --%.*s",
                                bh_df_kind_name(in->kind), (int)n, name);
                        continue;
                }
                const char *val = name[n] == '=' ? name + n + 1 : NULL;
                if (in->kind == BH_DF_RUN && strncmp(name, "mount", n) == 0 && val)
                        check_mount(v, in, w, val);
                if (in->kind == BH_DF_RUN && strncmp(name, "network", n) == 0 && val &&
                    strcmp(val, "default") != 0 && strcmp(val, "none") != 0 &&
                    strcmp(val, "host") != 0)
                        problem(v, in, w->start, w->end,
                                "--network=%s: expected default, none or host", val);
                if (in->kind == BH_DF_RUN && strncmp(name, "security", n) == 0 && val &&
                    strcmp(val, "sandbox") != 0 && strcmp(val, "insecure") != 0)
                        problem(v, in, w->start, w->end,
                                "--security=%s: expected sandbox or insecure", val);
                if (in->kind == BH_DF_HEALTHCHECK && val && !strchr(val, '$')) {
                        bool retries = strncmp(name, "retries", n) == 0;
                        if (retries ? strspn(val, "0123456789") != strlen(val) || !*val
                                    : !go_duration(val))
                                problem(v, in, w->start, w->end, "--%.*s=%s: expected %s", (int)n,
                                        name, val, retries ? "a whole number" : "a duration (30s)");
                }
        }
}

/* BuildKit lower-cases a stage name and wants ^[a-z][a-z0-9-_.]*$ */
static bool stage_name_ok(const char *s)
{
        if (!isalpha((unsigned char)*s))
                return false;
        for (; *s; s++)
                if (!isalnum((unsigned char)*s) && !strchr("-_.", *s))
                        return false;
        return true;
}

/* EXPOSE's "port[-port][/proto]" as the engine parses it (nat.ParsePortSpecs);
 * anything with a variable is left to the build. */
static const char *expose_problem(const char *spec)
{
        if (strchr(spec, '$') || strchr(spec, ':')) /* variables; ip:host:container forms */
                return NULL;
        const char *slash = strchr(spec, '/');
        size_t plen = slash ? (size_t)(slash - spec) : strlen(spec);
        if (slash && strcasecmp(slash + 1, "tcp") != 0 && strcasecmp(slash + 1, "udp") != 0 &&
            strcasecmp(slash + 1, "sctp") != 0)
                return "the protocol must be tcp, udp or sctp";
        const char *dash = memchr(spec, '-', plen);
        for (size_t part = 0; part < (dash ? 2u : 1u); part++) {
                const char *p = part ? dash + 1 : spec;
                size_t n = part   ? plen - (size_t)(dash + 1 - spec)
                           : dash ? (size_t)(dash - spec)
                                  : plen;
                if (n == 0 || n > 5 || strspn(p, "0123456789") < n || strtoul(p, NULL, 10) > 65535)
                        return "a port is a number from 0 to 65535, or a range of them";
        }
        return NULL;
}

bool bh_df_remote_source(const char *src)
{
        return strstr(src, "://") != NULL || bh_startswith(src, "git@");
}

static void check_args(struct vctx *v, const struct bh_df_instr *in)
{
        const char *k = bh_df_kind_name(in->kind);
        switch (in->kind) {
        case BH_DF_FROM:
                if (!(in->nargs == 1 ||
                      (in->nargs == 3 && strcasecmp(in->args[1].value, "as") == 0)))
                        problem(v, in, in->start, in->end,
                                "FROM takes an image and optionally AS name: FROM image [AS name]");
                else if (in->nargs == 3 && !stage_name_ok(in->args[2].value))
                        problem(v, in, in->args[2].start, in->args[2].end,
                                "invalid stage name \"%s\": it must start with a letter and hold "
                                "only letters, digits, '-', '_' and '.'",
                                in->args[2].value);
                break;
        case BH_DF_COPY:
        case BH_DF_ADD:
                if (in->nargs < 2) {
                        problem(v, in, in->start, in->end,
                                "%s needs at least a source and a destination", k);
                        break;
                }
                for (size_t i = 0; in->kind == BH_DF_ADD && i < in->nflags; i++) {
                        if (!bh_startswith(in->flags[i].value, "--checksum"))
                                continue;
                        if (in->nargs != 2)
                                problem(v, in, in->flags[i].start, in->flags[i].end,
                                        "ADD --checksum takes exactly one source");
                        else if (!bh_df_remote_source(in->args[0].value))
                                problem(v, in, in->flags[i].start, in->flags[i].end,
                                        "ADD --checksum needs an HTTP(S) or Git source, not %s",
                                        in->args[0].value);
                }
                break;
        case BH_DF_WORKDIR:
        case BH_DF_USER:
        case BH_DF_STOPSIGNAL:
        case BH_DF_MAINTAINER:
                if (in->nargs != 1)
                        problem(v, in, in->start, in->end, "%s needs exactly one argument", k);
                break;
        case BH_DF_EXPOSE:
        case BH_DF_VOLUME:
        case BH_DF_ARG:
        case BH_DF_ENV:
        case BH_DF_LABEL:
                if (in->nargs == 0) {
                        problem(v, in, in->start, in->end, "%s needs at least one argument", k);
                        break;
                }
                /* name, value, separator: BuildKit refuses a blank name */
                for (size_t i = 0;
                     (in->kind == BH_DF_ENV || in->kind == BH_DF_LABEL) && i < in->nargs; i += 3)
                        if (!*in->args[i].value)
                                problem(v, in, in->args[i].start, in->args[i].end,
                                        "%s names cannot be blank", k);
                for (size_t i = 0; in->kind == BH_DF_ARG && i < in->nargs; i++)
                        if (in->args[i].value[0] == '=')
                                problem(v, in, in->args[i].start, in->args[i].end,
                                        "ARG names cannot be blank");
                for (size_t i = 0; in->kind == BH_DF_EXPOSE && i < in->nargs; i++) {
                        const char *why = expose_problem(in->args[i].value);
                        if (why)
                                problem(v, in, in->args[i].start, in->args[i].end, "EXPOSE %s: %s",
                                        in->args[i].value, why);
                }
                break;
        case BH_DF_SHELL:
                if (!in->json || in->nargs == 0)
                        problem(v, in, in->start, in->end,
                                "SHELL needs a JSON array: SHELL [\"/bin/bash\", \"-c\"]");
                break;
        case BH_DF_ONBUILD:
                if (!in->sub)
                        problem(v, in, in->start, in->end, "ONBUILD needs an instruction");
                break;
        case BH_DF_HEALTHCHECK:
                if (in->nargs == 0) {
                        problem(v, in, in->start, in->end,
                                "HEALTHCHECK needs NONE or CMD followed by a command");
                } else if (strcasecmp(in->args[0].value, "none") == 0) {
                        if (in->nargs > 1 || in->nflags)
                                problem(v, in, in->start, in->end,
                                        "HEALTHCHECK NONE takes no arguments or flags");
                } else if (strcasecmp(in->args[0].value, "cmd") == 0) {
                        if (in->nargs < 2)
                                problem(v, in, in->start, in->end,
                                        "HEALTHCHECK CMD needs a command");
                } else {
                        problem(v, in, in->args[0].start, in->args[0].end,
                                "HEALTHCHECK type \"%s\" is unknown: use CMD or NONE",
                                in->args[0].value);
                }
                break;
        default:
                break;
        }
}

static void check_instr(struct vctx *v, const struct bh_df_instr *in)
{
        if (in->kind == BH_DF_UNKNOWN) {
                problem(v, in, in->start, in->start + strlen(in->keyword), "unknown instruction %s",
                        in->keyword);
                return;
        }
        check_flags(v, in);
        check_args(v, in);
}

size_t bh_df_validate(struct bh_df_file *f, bh_df_problem_fn report, void *ud)
{
        struct vctx v = {report, ud, 0, 0};
        bool from = false;
        for (size_t i = 0; i < f->ninstrs; i++)
                from |= f->instrs[i].kind == BH_DF_FROM;
        if (!from && f->ninstrs > 0)
                problem(&v, &f->instrs[0], f->instrs[0].start, f->instrs[0].end,
                        "no FROM: the Dockerfile has no stage to build");
        for (size_t i = 0; i < f->ninstrs; i++) {
                const struct bh_df_instr *in = &f->instrs[i];
                v.idx = i;
                check_instr(&v, in);
                if (in->sub)
                        check_instr(&v, in->sub);
        }
        return v.count;
}
