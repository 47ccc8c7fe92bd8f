#include "lint/shell.h"
#include "lint/text.h"
#include "base/buf.h"
#include "base/util.h"

#include <string.h>

/* Where the lexer is inside a case statement: `case WORD in` is read as
 * SUBJECT then IN; PATTERN reads `(a|b)` up to the `)` (its | are no pipes and
 * its words no command); BODY reads commands up to ;; or esac. */
enum case_state { CASE_SUBJECT, CASE_IN, CASE_PATTERN, CASE_BODY };

struct lexer {
        const char *s;
        size_t n, i;
        struct sh_script *out;
        /* the command being collected */
        struct sh_word *words;
        size_t nwords, capwords;
        bool pipe_in;
        /* the word being collected */
        struct bh_buf w;
        bool in_word, quoted;
        size_t wofs;
        bool skip_next_word; /* the target of a redirection */
        bool next_is_heredoc;
        bool heredoc_chomp;
        char **pending; /* here-document delimiters waiting for the newline */
        bool *pending_chomp;
        size_t npending;
        size_t capcmds;
        /* the case statements open around the text being read, innermost last */
        enum case_state *cases;
        size_t ncases, capcases;
};

static bool is_reserved_prefix(const char *t);

static enum case_state *case_top(struct lexer *lx)
{
        return lx->ncases ? &lx->cases[lx->ncases - 1] : NULL;
}

/* True when the word just added is in command position: only reserved
 * words (then, do, !, {...) before it. */
static bool command_position(const struct lexer *lx)
{
        for (size_t k = 0; k + 1 < lx->nwords; k++)
                if (lx->words[k].quoted || !is_reserved_prefix(lx->words[k].text))
                        return false;
        return true;
}

/* Follows case statements word by word. */
static void case_word(struct lexer *lx, const struct sh_word *w)
{
        enum case_state *top = case_top(lx);
        bool keyword_case = !w->quoted && strcmp(w->text, "case") == 0;
        bool keyword_esac = !w->quoted && strcmp(w->text, "esac") == 0;
        if (!top || *top == CASE_BODY) {
                if (keyword_case && command_position(lx)) {
                        if (lx->ncases == lx->capcases) {
                                lx->capcases = lx->capcases ? lx->capcases * 2 : 4;
                                lx->cases =
                                    bh_xreallocarray(lx->cases, lx->capcases, sizeof *lx->cases);
                        }
                        lx->cases[lx->ncases++] = CASE_SUBJECT;
                } else if (top && keyword_esac && command_position(lx)) {
                        lx->ncases--;
                }
                return;
        }
        switch (*top) {
        case CASE_SUBJECT:
                *top = CASE_IN;
                break;
        case CASE_IN:
                if (!w->quoted && strcmp(w->text, "in") == 0) {
                        /* `case WORD in` is no command: drop it */
                        *top = CASE_PATTERN;
                        lx->nwords = 0;
                        lx->pipe_in = false;
                } else {
                        lx->ncases--; /* not a case statement after all */
                }
                break;
        case CASE_PATTERN:
                if (keyword_esac && lx->nwords == 1)
                        lx->ncases--; /* the word stays: esac ends its command */
                break;
        case CASE_BODY:
                break;
        }
}

static void end_word(struct lexer *lx)
{
        if (!lx->in_word)
                return;
        lx->in_word = false;
        const char *t = lx->w.data ? lx->w.data : "";
        if (lx->next_is_heredoc) {
                lx->next_is_heredoc = false;
                lx->pending = bh_xreallocarray(lx->pending, lx->npending + 1, sizeof(char *));
                lx->pending_chomp =
                    bh_xreallocarray(lx->pending_chomp, lx->npending + 1, sizeof(bool));
                lx->pending[lx->npending] = bh_xstrdup(t);
                lx->pending_chomp[lx->npending++] = lx->heredoc_chomp;
                lx->skip_next_word = false;
                bh_buf_reset(&lx->w);
                return;
        }
        if (lx->skip_next_word) {
                lx->skip_next_word = false;
                bh_buf_reset(&lx->w);
                return;
        }
        if (lx->nwords == lx->capwords) {
                lx->capwords = lx->capwords ? lx->capwords * 2 : 8;
                lx->words = bh_xreallocarray(lx->words, lx->capwords, sizeof *lx->words);
        }
        struct sh_word *sw = &lx->words[lx->nwords++];
        sw->text = bh_arena_strndup(lx->out->arena, t, lx->w.len);
        sw->ofs = lx->wofs;
        sw->quoted = lx->quoted;
        bh_buf_reset(&lx->w);
        case_word(lx, sw);
}

static bool is_assignment(const char *t)
{
        if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || *t == '_'))
                return false;
        for (; *t && *t != '='; t++)
                if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || *t == '_' ||
                      (*t >= '0' && *t <= '9')))
                        return false;
        return *t == '=';
}

static bool is_reserved_prefix(const char *t)
{
        static const char *const words[] = {"if",    "then", "else", "elif", "do",  "while",
                                            "until", "!",    "{",    "}",    "time"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(words); i++)
                if (strcmp(t, words[i]) == 0)
                        return true;
        return false;
}

static bool is_structural(const char *t)
{
        return strcmp(t, "for") == 0 || strcmp(t, "case") == 0 || strcmp(t, "fi") == 0 ||
               strcmp(t, "done") == 0 || strcmp(t, "esac") == 0 || strcmp(t, "function") == 0 ||
               strcmp(t, "select") == 0 || strcmp(t, ";;") == 0;
}

static const char *base_name(const char *p)
{
        const char *b = strrchr(p, '/');
        return b ? b + 1 : p;
}

static size_t compute_start(const struct sh_cmd *c)
{
        size_t i = 0;
        while (i < c->argc) {
                const char *n = base_name(c->argv[i].text);
                if (strcmp(n, "sudo") == 0 || strcmp(n, "doas") == 0) {
                        i++;
                        while (i < c->argc && c->argv[i].text[0] == '-') {
                                /* options of sudo that take a value */
                                const char *o = c->argv[i].text;
                                i++;
                                if ((strcmp(o, "-u") == 0 || strcmp(o, "-g") == 0 ||
                                     strcmp(o, "-C") == 0 || strcmp(o, "-D") == 0) &&
                                    i < c->argc)
                                        i++;
                        }
                        continue;
                }
                if (strcmp(n, "env") == 0) {
                        i++;
                        while (i < c->argc &&
                               (c->argv[i].text[0] == '-' || is_assignment(c->argv[i].text)))
                                i++;
                        continue;
                }
                if (strcmp(n, "gosu") == 0 || strcmp(n, "su-exec") == 0) {
                        i += 2;
                        continue;
                }
                if (strcmp(n, "exec") == 0 || strcmp(n, "nohup") == 0 || strcmp(n, "time") == 0 ||
                    strcmp(n, "command") == 0 || strcmp(n, "nice") == 0 ||
                    strcmp(n, "eatmydata") == 0) {
                        i++;
                        while (i < c->argc && c->argv[i].text[0] == '-')
                                i++;
                        continue;
                }
                break;
        }
        return i < c->argc ? i : c->argc;
}

/* Ends the current command; op is the separator that ended it. */
static void end_cmd(struct lexer *lx, const char *op)
{
        end_word(lx);
        lx->skip_next_word = false;
        lx->next_is_heredoc = false;
        size_t k = 0;
        struct sh_script *out = lx->out;
        bool pipe_out = op && strcmp(op, "|") == 0;
        size_t a0 = 0;
        /* reserved words first, then NAME=value assignments */
        for (;;) {
                while (k < lx->nwords && !lx->words[k].quoted &&
                       is_reserved_prefix(lx->words[k].text))
                        k++;
                a0 = k;
                while (k < lx->nwords && is_assignment(lx->words[k].text))
                        k++;
                if (k == a0 || k >= lx->nwords || lx->words[k].quoted ||
                    !is_reserved_prefix(lx->words[k].text))
                        break;
        }
        bool structural = k < lx->nwords && !lx->words[k].quoted &&
                          (is_structural(lx->words[k].text) ||
                           (lx->nwords - k >= 2 && strcmp(lx->words[k + 1].text, "()") == 0));
        if ((k < lx->nwords || k > a0) && !structural) {
                if (out->ncmds == lx->capcmds) {
                        lx->capcmds = lx->capcmds ? lx->capcmds * 2 : 8;
                        struct sh_cmd *n = bh_arena_alloc(out->arena, lx->capcmds * sizeof *n);
                        if (out->ncmds)
                                memcpy(n, out->cmds, out->ncmds * sizeof *n);
                        out->cmds = n;
                }
                struct sh_cmd *c = &out->cmds[out->ncmds++];
                memset(c, 0, sizeof *c);
                c->argc = lx->nwords - k;
                c->argv = bh_arena_memdup(out->arena, lx->words + k, c->argc * sizeof *c->argv);
                c->nassigns = k - a0;
                c->assigns =
                    bh_arena_memdup(out->arena, lx->words + a0, c->nassigns * sizeof *c->argv);
                c->pipe_in = lx->pipe_in;
                c->pipe_out = pipe_out;
                c->or_next = op && strcmp(op, "||") == 0;
                c->start = compute_start(c);
                c->name = c->start < c->argc ? base_name(c->argv[c->start].text) : "";
                if (pipe_out)
                        out->has_pipe = true;
        }
        lx->nwords = 0;
        lx->pipe_in = pipe_out;
}

static void start_word(struct lexer *lx)
{
        if (!lx->in_word) {
                lx->in_word = true;
                lx->quoted = false;
                lx->wofs = lx->i;
        }
}

/* Copies a $(...), $((...)), ${...} or `...` group verbatim; false if unterminated. */
static bool copy_group(struct lexer *lx)
{
        const char *s = lx->s;
        size_t i = lx->i, n = lx->n;
        if (s[i] == '`') {
                size_t j = i + 1;
                while (j < n && s[j] != '`') {
                        if (s[j] == '\\' && j + 1 < n)
                                j++;
                        j++;
                }
                if (j >= n)
                        return false;
                bh_buf_append(&lx->w, s + i, j + 1 - i);
                lx->i = j + 1;
                return true;
        }
        char open = s[i + 1], close = open == '(' ? ')' : '}';
        int depth = 0;
        size_t j = i + 1;
        for (; j < n; j++) {
                char c = s[j];
                if (c == '\\' && j + 1 < n) {
                        j++;
                        continue;
                }
                if (c == '\'' && open == '(') {
                        const char *q = memchr(s + j + 1, '\'', n - j - 1);
                        if (!q)
                                return false;
                        j = (size_t)(q - s);
                        continue;
                }
                if (c == open)
                        depth++;
                else if (c == close && --depth == 0)
                        break;
        }
        if (j >= n)
                return false;
        bh_buf_append(&lx->w, s + i, j + 1 - i);
        lx->i = j + 1;
        return true;
}

/* After a newline: skip the bodies of the pending here-documents. */
static void skip_heredocs(struct lexer *lx)
{
        for (size_t k = 0; k < lx->npending; k++) {
                const char *d = lx->pending[k];
                size_t dl = strlen(d);
                while (lx->i < lx->n) {
                        size_t a = lx->i;
                        const char *nl = memchr(lx->s + a, '\n', lx->n - a);
                        size_t b = nl ? (size_t)(nl - lx->s) : lx->n;
                        lx->i = nl ? b + 1 : lx->n;
                        if (lx->pending_chomp[k])
                                while (a < b && lx->s[a] == '\t')
                                        a++;
                        if (b - a == dl && memcmp(lx->s + a, d, dl) == 0)
                                break;
                }
                free(lx->pending[k]);
        }
        lx->npending = 0;
}

void sh_parse(const char *script, size_t len, struct sh_script *out)
{
        memset(out, 0, sizeof *out);
        out->arena = bh_arena_new();
        struct lexer lx = {.s = script, .n = len, .out = out};
        const char *s = script;
        while (lx.i < lx.n) {
                char c = s[lx.i];
                if (c == ' ' || c == '\t' || c == '\r') {
                        end_word(&lx);
                        lx.i++;
                        continue;
                }
                if (c == '\n') {
                        end_cmd(&lx, ";");
                        lx.i++;
                        skip_heredocs(&lx);
                        continue;
                }
                if (c == '#' && !lx.in_word) {
                        while (lx.i < lx.n && s[lx.i] != '\n')
                                lx.i++;
                        continue;
                }
                if (c == '\\') {
                        if (lx.i + 1 < lx.n && s[lx.i + 1] == '\n') {
                                lx.i += 2;
                                continue;
                        }
                        start_word(&lx);
                        lx.quoted = true;
                        if (lx.i + 1 < lx.n)
                                bh_buf_putc(&lx.w, s[lx.i + 1]);
                        lx.i += 2;
                        continue;
                }
                if (c == '\'') {
                        start_word(&lx);
                        lx.quoted = true;
                        const char *q = memchr(s + lx.i + 1, '\'', lx.n - lx.i - 1);
                        if (!q) {
                                out->parse_error = true;
                                bh_buf_append(&lx.w, s + lx.i + 1, lx.n - lx.i - 1);
                                lx.i = lx.n;
                                break;
                        }
                        bh_buf_append(&lx.w, s + lx.i + 1, (size_t)(q - s) - lx.i - 1);
                        lx.i = (size_t)(q - s) + 1;
                        continue;
                }
                if (c == '"') {
                        start_word(&lx);
                        lx.quoted = true;
                        lx.i++;
                        bool closed = false;
                        while (lx.i < lx.n) {
                                char d = s[lx.i];
                                if (d == '"') {
                                        closed = true;
                                        lx.i++;
                                        break;
                                }
                                if (d == '\\' && lx.i + 1 < lx.n) {
                                        char e = s[lx.i + 1];
                                        if (e == '"' || e == '\\' || e == '$' || e == '`') {
                                                bh_buf_putc(&lx.w, e);
                                                lx.i += 2;
                                                continue;
                                        }
                                        if (e == '\n') {
                                                lx.i += 2;
                                                continue;
                                        }
                                }
                                if ((d == '$' && lx.i + 1 < lx.n &&
                                     (s[lx.i + 1] == '(' || s[lx.i + 1] == '{')) ||
                                    d == '`') {
                                        if (!copy_group(&lx)) {
                                                out->parse_error = true;
                                                lx.i = lx.n;
                                        }
                                        continue;
                                }
                                bh_buf_putc(&lx.w, d);
                                lx.i++;
                        }
                        if (!closed)
                                out->parse_error = true;
                        continue;
                }
                if ((c == '$' && lx.i + 1 < lx.n && (s[lx.i + 1] == '(' || s[lx.i + 1] == '{')) ||
                    c == '`') {
                        start_word(&lx);
                        if (!copy_group(&lx)) {
                                out->parse_error = true;
                                bh_buf_append(&lx.w, s + lx.i, lx.n - lx.i);
                                lx.i = lx.n;
                        }
                        continue;
                }
                enum case_state *cs = case_top(&lx);
                if (cs && *cs == CASE_PATTERN && (c == '(' || c == '|' || c == ')')) {
                        /* a pattern list: ( and | are part of it, ) ends it */
                        end_word(&lx);
                        lx.i++;
                        cs = case_top(&lx);
                        if (c == ')' && cs && *cs == CASE_PATTERN) {
                                lx.nwords = 0;
                                lx.pipe_in = false;
                                *cs = CASE_BODY;
                        }
                        continue;
                }
                if (cs && *cs == CASE_BODY && c == ';' && lx.i + 1 < lx.n &&
                    (s[lx.i + 1] == ';' || s[lx.i + 1] == '&')) {
                        /* ;; ends the item (;& and ;;& too, in bash) */
                        lx.i += 2;
                        if (s[lx.i - 1] == ';' && lx.i < lx.n && s[lx.i] == '&')
                                lx.i++;
                        end_cmd(&lx, ";");
                        *case_top(&lx) = CASE_PATTERN;
                        continue;
                }
                if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
                        char op[3] = {c, 0, 0};
                        if (lx.i + 1 < lx.n &&
                            (s[lx.i + 1] == c || (c == '|' && s[lx.i + 1] == '&')))
                                op[1] = s[lx.i + 1];
                        if (c == '&' && lx.i + 1 < lx.n && s[lx.i + 1] == '>') {
                                /* &> and &>> redirect both streams */
                                end_word(&lx);
                                lx.i += (lx.i + 2 < lx.n && s[lx.i + 2] == '>') ? 3 : 2;
                                lx.skip_next_word = true;
                                continue;
                        }
                        if (c == '(' && lx.in_word) {
                                /* name() { ... }: a function definition */
                                if (lx.i + 1 < lx.n && s[lx.i + 1] == ')') {
                                        end_word(&lx);
                                        lx.in_word = true;
                                        lx.wofs = lx.i;
                                        bh_buf_puts(&lx.w, "()");
                                        end_word(&lx);
                                        lx.i += 2;
                                        continue;
                                }
                        }
                        lx.i += op[1] ? 2 : 1;
                        if (strcmp(op, "|&") == 0)
                                op[1] = 0;
                        end_cmd(&lx, op);
                        continue;
                }
                if (c == '<' || c == '>') {
                        /* a redirection; a preceding all-digit word is its fd */
                        if (lx.in_word && lx.w.len > 0 &&
                            strspn(lx.w.data, "0123456789") == lx.w.len && !lx.quoted) {
                                lx.in_word = false;
                                bh_buf_reset(&lx.w);
                        } else {
                                end_word(&lx);
                        }
                        size_t j = lx.i + 1;
                        if (c == '<' && j < lx.n && s[j] == '<') {
                                j++;
                                if (j < lx.n && s[j] == '<') { /* <<< here-string */
                                        lx.i = j + 1;
                                        lx.skip_next_word = true;
                                        continue;
                                }
                                lx.heredoc_chomp = j < lx.n && s[j] == '-';
                                if (lx.heredoc_chomp)
                                        j++;
                                lx.i = j;
                                lx.next_is_heredoc = true;
                                continue;
                        }
                        if (j < lx.n && (s[j] == '>' || s[j] == '&' || s[j] == '|'))
                                j++;
                        lx.i = j;
                        /* >&2 and <&- name a descriptor, not a file */
                        lx.skip_next_word = true;
                        continue;
                }
                start_word(&lx);
                /* a run of ordinary characters in one append */
                size_t j = lx.i + 1;
                while (j < lx.n && !strchr(" \t\r\n\\'\"$`;&|()<>", s[j]))
                        j++;
                bh_buf_append(&lx.w, s + lx.i, j - lx.i);
                lx.i = j;
        }
        end_cmd(&lx, NULL);
        for (size_t k = 0; k < lx.npending; k++)
                free(lx.pending[k]);
        free(lx.pending);
        free(lx.pending_chomp);
        free(lx.cases);
        free(lx.words);
        bh_buf_free(&lx.w);
}

void sh_free(struct sh_script *s)
{
        bh_arena_free(s->arena);
        memset(s, 0, sizeof *s);
}

size_t sh_cmd_start(const struct sh_cmd *c)
{
        return c->start;
}

const char *sh_cmd_name(const struct sh_cmd *c)
{
        return c->name;
}

bool sh_cmd_is(const struct sh_cmd *c, const char *name)
{
        return strcmp(sh_cmd_name(c), name) == 0;
}

const char *sh_subcommand(const struct sh_cmd *c)
{
        for (size_t i = sh_cmd_start(c) + 1; i < c->argc; i++)
                if (c->argv[i].text[0] != '-')
                        return c->argv[i].text;
        return NULL;
}

bool sh_has_option(const struct sh_cmd *c, const char *shorts, const char *const *longs)
{
        for (size_t i = sh_cmd_start(c) + 1; i < c->argc; i++) {
                const char *t = c->argv[i].text;
                if (t[0] != '-')
                        continue;
                if (t[1] == '-') {
                        if (t[2] == '\0')
                                break; /* end of options */
                        for (size_t k = 0; longs && longs[k]; k++) {
                                size_t n = strlen(longs[k]);
                                if (strncmp(t, longs[k], n) == 0 && (t[n] == '\0' || t[n] == '='))
                                        return true;
                        }
                        continue;
                }
                if (shorts)
                        for (const char *q = t + 1; *q; q++)
                                if (strchr(shorts, *q))
                                        return true;
        }
        return false;
}

bool sh_any(const struct sh_script *s, const char *name)
{
        for (size_t i = 0; i < s->ncmds; i++)
                if (sh_cmd_is(&s->cmds[i], name))
                        return true;
        return false;
}
