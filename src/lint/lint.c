/* The lint engine: builds the context of one Dockerfile (stages, shells,
 * scripts), runs every rule in force, applies pragmas and configuration, and
 * turns what the rules emitted into findings. */
#include "lint/lint_int.h"
#include "lint/text.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* ---- levels ---- */

const char *lint_level_name(enum lint_level l)
{
        static const char *const names[] = {"error", "warning", "info", "style", "ignore"};
        return (unsigned)l <= LINT_OFF ? names[l] : "ignore";
}

int lint_level_parse(const char *s, enum lint_level *out)
{
        static const struct {
                const char *name;
                enum lint_level l;
        } t[] = {{"error", LINT_ERROR}, {"warning", LINT_WARNING}, {"info", LINT_INFO},
                 {"style", LINT_STYLE}, {"ignore", LINT_OFF},      {"none", LINT_OFF},
                 {"off", LINT_OFF},     {"warn", LINT_WARNING}};
        for (size_t i = 0; i < BH_ARRAY_SIZE(t); i++)
                if (strcasecmp(s, t[i].name) == 0) {
                        *out = t[i].l;
                        return 0;
                }
        return -EINVAL;
}

enum bh_status lint_level_status(enum lint_level l)
{
        switch (l) {
        case LINT_ERROR:
                return BH_STATUS_FAIL;
        case LINT_WARNING:
                return BH_STATUS_WARN;
        default:
                return BH_STATUS_INFO;
        }
}

enum bh_severity lint_level_severity(enum lint_level l)
{
        switch (l) {
        case LINT_ERROR:
                return BH_SEV_HIGH;
        case LINT_WARNING:
                return BH_SEV_MEDIUM;
        case LINT_INFO:
                return BH_SEV_LOW;
        default:
                return BH_SEV_INFO;
        }
}

/* ---- the rule table ---- */

size_t lint_rule_count(void)
{
        return lint_dl_rule_count + lint_bh_rule_count;
}

const struct lint_rule *lint_rule_at(size_t i)
{
        if (i < lint_bh_rule_count)
                return &lint_bh_rules[i];
        i -= lint_bh_rule_count;
        return i < lint_dl_rule_count ? &lint_dl_rules[i] : NULL;
}

/* Both tables are sorted by id: a binary search in each. */
static const struct lint_rule *find_in(const struct lint_rule *t, size_t n, const char *id)
{
        size_t lo = 0, hi = n;
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                int c = strcasecmp(t[mid].id, id);
                if (c == 0)
                        return &t[mid];
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

const struct lint_rule *lint_rule_find(const char *id)
{
        const struct lint_rule *r = find_in(lint_bh_rules, lint_bh_rule_count, id);
        return r ? r : find_in(lint_dl_rules, lint_dl_rule_count, id);
}

const char *lint_rule_id(const struct lint_rule *r)
{
        return r->id;
}

const char *lint_rule_title(const struct lint_rule *r)
{
        return r->title;
}

enum lint_level lint_rule_level(const struct lint_rule *r)
{
        return r->level;
}

static bool id_in(char *const *list, const char *id)
{
        for (size_t i = 0; list && list[i]; i++)
                if (strcasecmp(list[i], id) == 0)
                        return true;
        return false;
}

static enum lint_level level_for_id(const struct lint_config *cfg, const char *id,
                                    enum lint_level def)
{
        if (id_in(cfg->ignored, id))
                return LINT_OFF;
        enum lint_level l = def;
        for (size_t i = 0; i < cfg->noverrides; i++)
                if (strcasecmp(cfg->overrides[i].id, id) == 0)
                        l = cfg->overrides[i].level;
        return l;
}

enum lint_level lint_effective_level(const struct lint_config *cfg, const struct lint_rule *r)
{
        return level_for_id(cfg, r->id, r->level);
}

bool lint_rule_active(const struct lint_ctx *c, const char *id)
{
        const struct lint_rule *r = lint_rule_find(id);
        return r && lint_effective_level(c->cfg, r) != LINT_OFF;
}

/* ---- small helpers ---- */

bool lint_streq_ci(const char *a, const char *b)
{
        return a && b && strcasecmp(a, b) == 0;
}

const char *lint_unquote(struct lint_ctx *c, const char *s)
{
        size_t n = strlen(s);
        if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0])
                return bh_arena_strndup(c->f->arena, s + 1, n - 2);
        return s;
}

bool lint_has_var(const char *s)
{
        return strchr(s, '$') != NULL;
}

bool lint_has_cache_mount(const struct bh_df_instr *in, const char *prefix)
{
        for (size_t i = 0; i < in->nflags; i++) {
                const char *v = in->flags[i].value;
                if (strncmp(v, "--mount=", 8) != 0)
                        continue;
                bool cache = false, under = false;
                char *copy = bh_xstrdup(v + 8), *save = NULL;
                for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
                        if (strcmp(kv, "type=cache") == 0)
                                cache = true;
                        const char *t = NULL;
                        if (strncmp(kv, "target=", 7) == 0)
                                t = kv + 7;
                        else if (strncmp(kv, "dst=", 4) == 0)
                                t = kv + 4;
                        else if (strncmp(kv, "destination=", 12) == 0)
                                t = kv + 12;
                        if (t && (!prefix || strncmp(t, prefix, strlen(prefix)) == 0 ||
                                  strncmp(prefix, t, strlen(t)) == 0))
                                under = true;
                }
                free(copy);
                if (cache && under)
                        return true;
        }
        return false;
}

size_t lint_cmd_args(const struct sh_cmd *cmd, const char *sub, const char *const *with_value,
                     const struct sh_word **out, size_t max)
{
        size_t i = sh_cmd_start(cmd) + 1, n = 0;
        if (sub) {
                for (; i < cmd->argc; i++)
                        if (strcmp(cmd->argv[i].text, sub) == 0)
                                break;
                if (i >= cmd->argc)
                        return 0;
                i++;
        }
        bool options = true;
        for (; i < cmd->argc; i++) {
                const char *t = cmd->argv[i].text;
                if (options && strcmp(t, "--") == 0) {
                        options = false;
                        continue;
                }
                if (options && t[0] == '-' && t[1]) {
                        for (size_t k = 0; with_value && with_value[k]; k++)
                                if (strcmp(t, with_value[k]) == 0) {
                                        i++;
                                        break;
                                }
                        continue;
                }
                if (n < max)
                        out[n] = &cmd->argv[i];
                n++;
        }
        return n < max ? n : max;
}

/* ---- stages ---- */

struct argdef {
        const char *name;
        size_t nlen;
        const char *value;
};

/* $NAME, ${NAME}, ${NAME:-def}, ${NAME-def} with the global ARG defaults. */
static char *expand_args(const char *s, const struct argdef *defs, size_t ndefs)
{
        struct bh_buf b = BH_BUF_INIT;
        char quote = 0;
        for (const char *p = s; *p;) {
                /* quotes are removed, as BuildKit does with FROM's image
                 * ("alpine:3" is alpine:3); nothing expands in single quotes */
                if ((*p == '\'' && quote != '"') || (*p == '"' && quote != '\'')) {
                        quote = quote ? 0 : *p;
                        p++;
                        continue;
                }
                if (*p != '$' || quote == '\'') {
                        bh_buf_putc(&b, *p++);
                        continue;
                }
                const char *name = p + 1, *def = NULL;
                size_t nlen = 0, deflen = 0, skip = 1;
                if (p[1] == '{') {
                        const char *close = strchr(p + 2, '}');
                        if (!close) {
                                bh_buf_putc(&b, *p++);
                                continue;
                        }
                        name = p + 2;
                        while (name + nlen < close &&
                               (name[nlen] == '_' || (name[nlen] >= 'a' && name[nlen] <= 'z') ||
                                (name[nlen] >= 'A' && name[nlen] <= 'Z') ||
                                (name[nlen] >= '0' && name[nlen] <= '9')))
                                nlen++;
                        const char *m = name + nlen;
                        if (m[0] == ':' && m[1] == '-')
                                def = m + 2;
                        else if (m[0] == '-')
                                def = m + 1;
                        if (def)
                                deflen = (size_t)(close - def);
                        skip = (size_t)(close - p) + 1;
                } else {
                        while (name[nlen] == '_' || (name[nlen] >= 'a' && name[nlen] <= 'z') ||
                               (name[nlen] >= 'A' && name[nlen] <= 'Z') ||
                               (name[nlen] >= '0' && name[nlen] <= '9'))
                                nlen++;
                        if (nlen == 0) {
                                bh_buf_putc(&b, *p++);
                                continue;
                        }
                        skip = 1 + nlen;
                }
                const char *val = NULL;
                for (size_t i = 0; i < ndefs; i++)
                        if (defs[i].nlen == nlen && strncmp(defs[i].name, name, nlen) == 0)
                                val = defs[i].value;
                if (val && *val)
                        bh_buf_puts(&b, val);
                else if (def)
                        bh_buf_append(&b, def, deflen);
                else
                        bh_buf_append(&b, p, skip); /* unknown: keep as written */
                p += skip;
        }
        return bh_buf_steal(&b);
}

static bool windows_image(const char *img)
{
        return img && (strcasestr(img, "windows") || strcasestr(img, "nanoserver") ||
                       strcasestr(img, "servercore"));
}

int lint_stage_ref(const struct lint_ctx *c, const char *ref, size_t before)
{
        if (!ref || !*ref)
                return -1;
        for (size_t s = 0; s < c->nstages && s < before; s++)
                if (c->stages[s].alias && strcasecmp(c->stages[s].alias, ref) == 0)
                        return (int)s;
        if (strspn(ref, "0123456789") == strlen(ref) && strlen(ref) < 6) {
                int n = atoi(ref);
                if ((size_t)n < before && (size_t)n < c->nstages)
                        return n;
        }
        return -1;
}

static void build_stages(struct lint_ctx *c)
{
        struct bh_df_file *f = c->f;
        struct argdef defs[64];
        size_t ndefs = 0;
        c->stage_of = bh_xcalloc(f->ninstrs ? f->ninstrs : 1, sizeof(size_t));
        size_t cur = SIZE_MAX;
        for (size_t i = 0; i < f->ninstrs; i++) {
                const struct bh_df_instr *in = &f->instrs[i];
                if (in->kind == BH_DF_ARG && cur == SIZE_MAX) {
                        for (size_t k = 0; k < in->nargs && ndefs < BH_ARRAY_SIZE(defs); k++) {
                                const char *v = in->args[k].value, *eq = strchr(v, '=');
                                defs[ndefs].name = v;
                                defs[ndefs].nlen = eq ? (size_t)(eq - v) : strlen(v);
                                defs[ndefs].value = eq ? lint_unquote(c, eq + 1) : "";
                                ndefs++;
                        }
                }
                if (in->kind == BH_DF_FROM) {
                        c->stages = bh_xreallocarray(c->stages, c->nstages + 1, sizeof *c->stages);
                        struct lint_stage *st = &c->stages[c->nstages];
                        memset(st, 0, sizeof *st);
                        st->from = i;
                        st->image = in->nargs ? in->args[0].value : "";
                        st->resolved = expand_args(st->image, defs, ndefs);
                        if (in->nargs == 3 && strcasecmp(in->args[1].value, "as") == 0)
                                st->alias = in->args[2].value;
                        st->platform = bh_df_flag(in, "platform", NULL);
                        st->parent = lint_stage_ref(c, st->resolved, c->nstages);
                        st->windows = st->parent >= 0 ? c->stages[st->parent].windows
                                                      : windows_image(st->resolved);
                        if (c->nstages)
                                c->stages[c->nstages - 1].end = i;
                        cur = c->nstages++;
                }
                c->stage_of[i] = cur;
        }
        if (c->nstages)
                c->stages[c->nstages - 1].end = f->ninstrs;
        for (int s = (int)c->nstages - 1; s >= 0 && c->nstages;) {
                c->stages[s].ships = true;
                s = c->stages[s].parent;
        }
}

const struct lint_stage *lint_stage_of(const struct lint_ctx *c, size_t idx)
{
        if (idx >= c->f->ninstrs || c->stage_of[idx] == SIZE_MAX)
                return NULL;
        return &c->stages[c->stage_of[idx]];
}

const struct lint_stage *lint_final_stage(const struct lint_ctx *c)
{
        return c->nstages ? &c->stages[c->nstages - 1] : NULL;
}

/* ---- shells ---- */

static bool posix_shell_name(const char *path)
{
        const char *b = strrchr(path, '/');
        b = b ? b + 1 : path;
        static const char *const names[] = {"sh",  "bash", "ash",  "dash",
                                            "zsh", "ksh",  "mksh", "busybox"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(names); i++)
                if (strcmp(b, names[i]) == 0)
                        return true;
        return false;
}

/* One pass in file order: the shell each instruction's RUN would use (the
 * stage's SHELL, cmd on Windows stages, `# hadolint shell=` comments) and
 * whether pipefail is on. */
static void scan_shells(struct lint_ctx *c)
{
        struct bh_df_file *f = c->f;
        size_t n = f->ninstrs ? f->ninstrs : 1;
        c->posix = bh_xcalloc(n, sizeof(bool));
        c->pipefail = bh_xcalloc(n, sizeof(bool));
        c->shell = bh_xcalloc(n, sizeof(char *));
        size_t k = 0;
        bool pragma_nonposix = false, posix = true, pipefail = false;
        const char *shell = "sh";
        for (size_t i = 0; i < f->ninstrs; i++) {
                const struct bh_df_instr *in = &f->instrs[i];
                for (; k < f->ncomments && f->comments[k].line < in->start_line; k++) {
                        const char *t = f->comments[k].text;
                        if (bh_startswith(t, "hadolint shell=") ||
                            bh_startswith(t, "bulkhead shell="))
                                pragma_nonposix = !posix_shell_name(t + 15);
                }
                if (in->kind == BH_DF_FROM) {
                        const struct lint_stage *st = lint_stage_of(c, i);
                        posix = !(st && st->windows);
                        shell = posix ? "sh" : "cmd";
                        pipefail = false;
                }
                c->posix[i] = posix && !pragma_nonposix;
                c->pipefail[i] = pipefail;
                c->shell[i] = shell;
                if (in->kind == BH_DF_SHELL && in->json && in->nargs) {
                        const char *b = strrchr(in->args[0].value, '/');
                        shell = b ? b + 1 : in->args[0].value;
                        posix = posix_shell_name(in->args[0].value);
                        pipefail = !posix;
                        for (size_t a = 0; a + 1 < in->nargs; a++)
                                if (in->args[a].value[0] == '-' && strchr(in->args[a].value, 'o') &&
                                    strcmp(in->args[a + 1].value, "pipefail") == 0)
                                        pipefail = true;
                }
        }
}

/* ---- scripts ---- */

static bool is_heredoc_word(const char *w)
{
        while (*w >= '0' && *w <= '9')
                w++;
        return w[0] == '<' && w[1] == '<' && w[2] && w[2] != '<';
}

static void add_piece(struct lint_script *s, size_t sofs, size_t fofs, bool logical)
{
        s->pieces = bh_xreallocarray(s->pieces, s->npieces + 1, sizeof *s->pieces);
        s->pieces[s->npieces++] = (struct lint_piece){sofs, fofs, logical};
}

static void quote_word(struct bh_buf *b, const char *w)
{
        bh_buf_putc(b, '\'');
        for (; *w; w++) {
                if (*w == '\'')
                        bh_buf_puts(b, "'\\''");
                else
                        bh_buf_putc(b, *w);
        }
        bh_buf_putc(b, '\'');
}

static void build_script(struct lint_ctx *c, struct lint_script *s, const struct bh_df_instr *in,
                         size_t idx)
{
        struct bh_buf b = BH_BUF_INIT;
        s->in = in;
        if (in->json) {
                s->usable = true;
                s->exec = true;
                size_t base = in->nargs ? in->args[0].start : in->start;
                if (in->nargs >= 3 && posix_shell_name(in->args[0].value) &&
                    strcmp(in->args[1].value, "-c") == 0) {
                        bh_buf_append(&b, in->args[2].value, in->args[2].len);
                        base = in->args[2].start + 1;
                        s->exec = false;
                } else {
                        for (size_t i = 0; i < in->nargs; i++) {
                                if (i)
                                        bh_buf_putc(&b, ' ');
                                quote_word(&b, in->args[i].value);
                        }
                }
                add_piece(s, 0, base, false);
                /* every offset maps to the start of the script */
                s->pieces[0].logical = false;
        } else {
                s->usable = c->posix[idx];
                const char *text = in->nargs ? in->args[0].value : "";
                size_t tlen = in->nargs ? in->args[0].len : 0;
                /* RUN <<EOF, RUN <<EOF bash: the body is the script */
                bool body_is_script = false;
                if (in->nheredocs == 1) {
                        struct sh_script tmp;
                        sh_parse(text, tlen, &tmp);
                        body_is_script = true;
                        for (size_t k = 0; k < tmp.ncmds && body_is_script; k++) {
                                const struct sh_cmd *cmd = &tmp.cmds[k];
                                for (size_t w = 0; w < cmd->argc; w++) {
                                        const char *t = cmd->argv[w].text;
                                        if (is_heredoc_word(t) || (w > 0 && t[0] == '-'))
                                                continue;
                                        if (w == 0 && posix_shell_name(t))
                                                continue;
                                        body_is_script = false;
                                        break;
                                }
                        }
                        sh_free(&tmp);
                        /* the lexer drops "<<EOF" itself: a bare heredoc has no command */
                }
                if (body_is_script) {
                        const struct bh_df_heredoc *h = &in->heredocs[0];
                        bh_buf_append(&b, h->content, h->content_len);
                        add_piece(s, 0, h->start, false);
                } else {
                        bh_buf_append(&b, text, tlen);
                        add_piece(s, 0, in->rest_lofs, true);
                        for (size_t k = 0; k < in->nheredocs; k++) {
                                const struct bh_df_heredoc *h = &in->heredocs[k];
                                bh_buf_putc(&b, '\n');
                                add_piece(s, b.len, h->start, false);
                                bh_buf_append(&b, h->content, h->content_len);
                                bh_buf_puts(&b, h->name);
                        }
                }
        }
        s->len = b.len;
        s->text = bh_buf_steal(&b);
        sh_parse(s->text, s->len, &s->sh);
}

struct lint_script *lint_run_script(struct lint_ctx *c, const struct bh_df_instr *in, size_t idx)
{
        if (in->kind != BH_DF_RUN)
                return NULL;
        bool sub = in != &c->f->instrs[idx];
        struct lint_script *s = &c->scripts[idx * 2 + (sub ? 1 : 0)];
        if (!s->parsed) {
                s->parsed = true;
                build_script(c, s, in, idx);
        }
        return s->usable ? s : NULL;
}

size_t lint_script_ofs(const struct lint_script *s, size_t ofs)
{
        const struct lint_piece *p = &s->pieces[0];
        for (size_t i = 1; i < s->npieces; i++)
                if (s->pieces[i].sofs <= ofs)
                        p = &s->pieces[i];
        if (s->in->json)
                return p->fofs;
        if (p->logical)
                return bh_df_map(s->in, p->fofs + (ofs - p->sofs));
        return p->fofs + (ofs - p->sofs);
}

static void free_scripts(struct lint_ctx *c)
{
        for (size_t i = 0; i < c->f->ninstrs * 2; i++) {
                free(c->scripts[i].text);
                free(c->scripts[i].pieces);
                if (c->scripts[i].parsed)
                        sh_free(&c->scripts[i].sh);
        }
        free(c->scripts);
}

/* ---- iteration ---- */

const struct bh_df_instr *lint_next(struct lint_ctx *c, struct lint_iter *it, enum bh_df_kind k)
{
        bool with_sub = c->rule && c->rule->onbuild;
        while (it->i < c->f->ninstrs) {
                const struct bh_df_instr *in = &c->f->instrs[it->i];
                if (it->sub_next) {
                        it->sub_next = false;
                        it->idx = it->i++;
                        if (in->sub && (k == BH_DF_UNKNOWN || in->sub->kind == k))
                                return in->sub;
                        continue;
                }
                it->idx = it->i;
                if (with_sub && in->kind == BH_DF_ONBUILD && in->sub)
                        it->sub_next = true;
                else
                        it->i++;
                if (k == BH_DF_UNKNOWN || in->kind == k)
                        return in;
        }
        return NULL;
}

/* ---- emitting ---- */

static void emit_v(struct lint_ctx *c, size_t idx, size_t start, size_t end, const char *fmt,
                   va_list ap) __attribute__((format(printf, 5, 0)));
static void emit_v(struct lint_ctx *c, size_t idx, size_t start, size_t end, const char *fmt,
                   va_list ap)
{
        if (c->nout == c->capout) {
                c->capout = c->capout ? c->capout * 2 : 16;
                c->out = bh_xreallocarray(c->out, c->capout, sizeof *c->out);
        }
        struct lint_emitted *e = &c->out[c->nout++];
        memset(e, 0, sizeof *e);
        e->rule = c->rule;
        e->level = lint_effective_level(c->cfg, c->rule);
        e->instr = idx;
        e->start = start;
        e->end = end;
        if (vasprintf(&e->msg, fmt, ap) < 0)
                abort();
}

void lint_emit(struct lint_ctx *c, size_t idx, size_t start, size_t end, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        emit_v(c, idx, start, end, fmt, ap);
        va_end(ap);
}

void lint_emit_instr(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in, const char *fmt,
                     ...)
{
        va_list ap;
        va_start(ap, fmt);
        emit_v(c, idx, in->start, in->end, fmt, ap);
        va_end(ap);
}

void lint_emit_word(struct lint_ctx *c, size_t idx, const struct bh_df_word *w, const char *fmt,
                    ...)
{
        va_list ap;
        va_start(ap, fmt);
        emit_v(c, idx, w->start, w->end, fmt, ap);
        va_end(ap);
}

void lint_emit_sh(struct lint_ctx *c, size_t idx, const struct lint_script *s,
                  const struct sh_word *w, const char *fmt, ...)
{
        size_t a = lint_script_ofs(s, w->ofs);
        size_t len = 0;
        /* the word as written ends at the next blank of the script */
        while (w->ofs + len < s->len && !strchr(" \t\n;&|<>", s->text[w->ofs + len]))
                len++;
        size_t b = len ? lint_script_ofs(s, w->ofs + len - 1) + 1 : a;
        if (s->in->json || b < a)
                b = a;
        va_list ap;
        va_start(ap, fmt);
        emit_v(c, idx, a, b, fmt, ap);
        va_end(ap);
}

/* ---- pragmas ---- */

struct pragmas {
        char ***per_instr; /* ids ignored for each instruction */
        char **global;
};

static const char *skip_blanks(const char *s)
{
        while (*s == ' ' || *s == '\t')
                s++;
        return s;
}

/* After "ignore": blanks, '=', blanks, then ids separated by commas with
 * blanks allowed around them, as hadolint reads it ("ignore = DL3003, DL4006").
 * The list ends at anything else: "ignore=DL3008,SC2086 because ...". Returns
 * false when there is no '='. */
static bool split_ids(const char *s, char ***out)
{
        s = skip_blanks(s);
        if (*s != '=')
                return false;
        s = skip_blanks(s + 1);
        for (;;) {
                size_t n = 0;
                while (isalnum((unsigned char)s[n]))
                        n++;
                if (!n)
                        break;
                char *id = bh_xstrndup(s, n);
                bh_strv_push(out, id);
                free(id);
                s = skip_blanks(s + n);
                if (*s != ',')
                        break;
                s = skip_blanks(s + 1);
        }
        return true;
}

/* "hadolint" or "bulkhead" and at least one blank: the rest, or NULL */
static const char *pragma_rest(const char *t)
{
        if (!bh_startswith(t, "hadolint") && !bh_startswith(t, "bulkhead"))
                return NULL;
        t += 8;
        if (*t != ' ' && *t != '\t')
                return NULL;
        return skip_blanks(t);
}

/* word followed by a blank or by '=' (for "ignore"): what follows, or NULL */
static const char *pragma_word(const char *t, const char *word, bool blank_needed)
{
        size_t n = strlen(word);
        if (strncmp(t, word, n) != 0)
                return NULL;
        t += n;
        if (*t == ' ' || *t == '\t')
                return skip_blanks(t);
        return blank_needed || *t != '=' ? NULL : t;
}

static void read_pragmas(struct lint_ctx *c, struct pragmas *pr, const struct lint_rule *dl1001)
{
        struct bh_df_file *f = c->f;
        pr->per_instr = bh_xcalloc(f->ninstrs ? f->ninstrs : 1, sizeof(char **));
        pr->global = NULL;
        size_t next = 0;
        for (size_t k = 0; k < f->ncomments; k++) {
                const struct bh_df_comment *cm = &f->comments[k];
                const char *rest = pragma_rest(cm->text), *g, *ids;
                if (!rest)
                        continue;
                if ((g = pragma_word(rest, "global", true))) {
                        if ((ids = pragma_word(g, "ignore", false)))
                                split_ids(ids, &pr->global);
                        continue;
                }
                ids = pragma_word(rest, "ignore", false);
                if (!ids || *ids != '=')
                        continue;
                if (c->cfg->disable_ignore_pragma)
                        continue;
                /* comments come in file order: the next instruction only moves on */
                while (next < f->ninstrs && f->instrs[next].start_line <= cm->line)
                        next++;
                size_t i = next;
                if (i < f->ninstrs)
                        split_ids(ids, &pr->per_instr[i]);
                if (dl1001 && lint_effective_level(c->cfg, dl1001) != LINT_OFF) {
                        c->rule = dl1001;
                        size_t end = cm->start + 1 + strlen(cm->text);
                        lint_emit(c, i < f->ninstrs ? i : SIZE_MAX, cm->start, end,
                                  "an inline ignore pragma hides findings from review: "
                                  "prefer fixing them or a configuration file");
                }
        }
}

static void free_pragmas(struct pragmas *pr, size_t n)
{
        for (size_t i = 0; i < n; i++)
                bh_strv_free(pr->per_instr[i]);
        free(pr->per_instr);
        bh_strv_free(pr->global);
}

static const char *emitted_id(const struct lint_emitted *e)
{
        return e->rule ? e->rule->id : e->sc_id;
}

static bool suppressed(const struct lint_ctx *c, const struct pragmas *pr,
                       const struct lint_emitted *e)
{
        const char *id = emitted_id(e);
        if (e->level == LINT_OFF || id_in(pr->global, id))
                return true;
        return e->instr < c->f->ninstrs && id_in(pr->per_instr[e->instr], id);
}

static int cmp_emitted(const void *a, const void *b)
{
        const struct lint_emitted *x = a, *y = b;
        if (x->start != y->start)
                return x->start < y->start ? -1 : 1;
        return strcmp(emitted_id(x), emitted_id(y));
}

static void to_findings(struct lint_ctx *c, const struct pragmas *pr, struct bh_report *r)
{
        if (c->nout)
                qsort(c->out, c->nout, sizeof *c->out, cmp_emitted);
        for (size_t i = 0; i < c->nout; i++) {
                const struct lint_emitted *e = &c->out[i];
                if (suppressed(c, pr, e))
                        continue;
                struct bh_finding *fd = bh_report_add(r);
                const char *id = emitted_id(e);
                fd->id = bh_xstrdup(id);
                if (e->rule) {
                        fd->rule = bh_xstrdup(e->rule->name);
                        fd->title = bh_xstrdup(e->rule->title);
                        fd->remediation = bh_xstrdup(e->rule->fix);
                        bool bh = e->rule->id[0] == 'B';
                        fd->severity = bh && e->level == e->rule->level
                                           ? e->rule->severity
                                           : lint_level_severity(e->level);
                        char *ref =
                            bh ? bh_xasprintf("docs/rules.md#%s", e->rule->id)
                               : bh_xasprintf("https://github.com/hadolint/hadolint/wiki/%s",
                                              e->rule->id);
                        bh_finding_add_reference(fd, ref);
                        free(ref);
                } else {
                        bh_set(&fd->rule, "shellcheck-%s", id);
                        bh_set(&fd->title, "ShellCheck %s", id);
                        bh_set(&fd->remediation, "see https://www.shellcheck.net/wiki/%s", id);
                        fd->severity = lint_level_severity(e->level);
                        char *ref = bh_xasprintf("https://www.shellcheck.net/wiki/%s", id);
                        bh_finding_add_reference(fd, ref);
                        free(ref);
                }
                fd->status = lint_level_status(e->level);
                fd->message = bh_xstrdup(e->msg);
                fd->target.kind = BH_TARGET_FILE;
                fd->target.path = bh_xstrdup(c->input->path);
                struct bh_df_pos a = bh_df_position(c->f, e->start);
                struct bh_df_pos b = bh_df_position(c->f, e->end > e->start ? e->end : e->start);
                fd->target.line = a.line;
                fd->target.column = a.column;
                fd->target.end_line = b.line;
                fd->target.end_column = b.column;
                fd->extra = json_pack("{s:s}", "level", lint_level_name(e->level));
        }
}

/* ---- running ---- */

void lint_each_run(struct lint_ctx *c, lint_run_fn fn)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_RUN))) {
                struct lint_script *s = lint_run_script(c, in, it.idx);
                if (s)
                        fn(c, it.idx, in, s);
        }
}

void lint_each_cmd(struct lint_ctx *c, lint_cmd_fn fn)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_RUN))) {
                struct lint_script *s = lint_run_script(c, in, it.idx);
                if (!s)
                        continue;
                for (size_t k = 0; k < s->sh.ncmds; k++)
                        fn(c, it.idx, s, &s->sh.cmds[k]);
        }
}

static void free_ctx(struct lint_ctx *c)
{
        for (size_t i = 0; i < c->nout; i++) {
                free(c->out[i].msg);
                free(c->out[i].sc_id);
        }
        free(c->out);
        for (size_t s = 0; s < c->nstages; s++)
                free(c->stages[s].resolved);
        free(c->stages);
        free(c->stage_of);
        free(c->posix);
        free(c->pipefail);
        free(c->shell);
        if (c->scripts)
                free_scripts(c);
}

static void parse_error_finding(const struct lint_input *in, struct bh_report *r,
                                const struct bh_error *err)
{
        struct bh_finding *fd = bh_report_add(r);
        fd->id = bh_xstrdup("DL1000");
        fd->rule = bh_xstrdup("dockerfile-syntax");
        fd->title = bh_xstrdup("The Dockerfile cannot be parsed");
        fd->status = BH_STATUS_ERROR;
        fd->severity = BH_SEV_HIGH;
        fd->message = bh_xstrdup(err->msg);
        fd->remediation =
            bh_xstrdup("fix the syntax at the line named; BuildKit would refuse this file");
        fd->target.kind = BH_TARGET_FILE;
        fd->target.path = bh_xstrdup(in->path);
        /* "PATH:LINE: ..." -> LINE */
        size_t pl = strlen(in->path);
        if (strncmp(err->msg, in->path, pl) == 0 && err->msg[pl] == ':')
                fd->target.line = (unsigned)strtoul(err->msg + pl + 1, NULL, 10);
}

int lint_dockerfile(const struct lint_input *in, const struct lint_config *cfg,
                    struct lint_shellcheck_state *sc, struct bh_report *r, struct bh_error *err)
{
        struct bh_df_file *f = NULL;
        int rc = bh_df_parse(in->path, in->data, in->len, &f, err);
        if (rc < 0) {
                parse_error_finding(in, r, err);
                return rc;
        }
        struct lint_ctx c = {.f = f, .cfg = cfg, .input = in};
        build_stages(&c);
        scan_shells(&c);
        c.scripts = bh_xcalloc(f->ninstrs * 2 + 1, sizeof *c.scripts);
        struct pragmas pr;
        read_pragmas(&c, &pr, lint_rule_find("DL1001"));
        for (size_t i = 0; i < lint_rule_count(); i++) {
                const struct lint_rule *rule = lint_rule_at(i);
                if (lint_effective_level(cfg, rule) == LINT_OFF)
                        continue;
                c.rule = rule;
                if (rule->check)
                        rule->check(&c);
                else if (rule->per_command)
                        lint_each_cmd(&c, rule->per_command);
                else if (rule->per_run)
                        lint_each_run(&c, rule->per_run);
        }
        c.rule = NULL;
        if (!cfg->no_shellcheck && sc)
                lint_shellcheck(&c, sc);
        to_findings(&c, &pr, r);
        free_pragmas(&pr, f->ninstrs);
        free_ctx(&c);
        bh_df_free(f);
        return 0;
}
