/* The Dockerfile parser. It reads the file the way BuildKit does (see
 * dockerfile.h) and keeps, for every logical line, the list of file pieces
 * it was joined from, so any offset in it maps back to a line and column. */
#include "lint/dockerfile.h"
#include "lint/text.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

struct wordvec {
        struct bh_df_word *v;
        size_t n, cap;
};

struct parser {
        struct bh_df_file *f;
        struct bh_error *err;
        struct bh_df_arena *arena;
        bool directives_done;
        bool seen_escape, seen_syntax, seen_check;
        /* the logical line being parsed */
        struct bh_buf line;
        struct bh_df_seg *segs;
        size_t nsegs, capsegs;
        struct bh_buf scratch;
        unsigned start_line, cur_line; /* 1-based */
        unsigned nstages;
};

static const struct {
        const char *name;
        enum bh_df_kind kind;
} kinds[] = {
    {"add", BH_DF_ADD},
    {"arg", BH_DF_ARG},
    {"cmd", BH_DF_CMD},
    {"copy", BH_DF_COPY},
    {"entrypoint", BH_DF_ENTRYPOINT},
    {"env", BH_DF_ENV},
    {"expose", BH_DF_EXPOSE},
    {"from", BH_DF_FROM},
    {"healthcheck", BH_DF_HEALTHCHECK},
    {"label", BH_DF_LABEL},
    {"maintainer", BH_DF_MAINTAINER},
    {"onbuild", BH_DF_ONBUILD},
    {"run", BH_DF_RUN},
    {"shell", BH_DF_SHELL},
    {"stopsignal", BH_DF_STOPSIGNAL},
    {"user", BH_DF_USER},
    {"volume", BH_DF_VOLUME},
    {"workdir", BH_DF_WORKDIR},
};

enum bh_df_kind bh_df_kind_from_name(const char *lower)
{
        for (size_t i = 0; i < BH_ARRAY_SIZE(kinds); i++)
                if (strcmp(lower, kinds[i].name) == 0)
                        return kinds[i].kind;
        return BH_DF_UNKNOWN;
}

const char *bh_df_kind_name(enum bh_df_kind k)
{
        static const char *const upper[] = {
            [BH_DF_UNKNOWN] = "UNKNOWN", [BH_DF_ADD] = "ADD",
            [BH_DF_ARG] = "ARG",         [BH_DF_CMD] = "CMD",
            [BH_DF_COPY] = "COPY",       [BH_DF_ENTRYPOINT] = "ENTRYPOINT",
            [BH_DF_ENV] = "ENV",         [BH_DF_EXPOSE] = "EXPOSE",
            [BH_DF_FROM] = "FROM",       [BH_DF_HEALTHCHECK] = "HEALTHCHECK",
            [BH_DF_LABEL] = "LABEL",     [BH_DF_MAINTAINER] = "MAINTAINER",
            [BH_DF_ONBUILD] = "ONBUILD", [BH_DF_RUN] = "RUN",
            [BH_DF_SHELL] = "SHELL",     [BH_DF_STOPSIGNAL] = "STOPSIGNAL",
            [BH_DF_USER] = "USER",       [BH_DF_VOLUME] = "VOLUME",
            [BH_DF_WORKDIR] = "WORKDIR",
        };
        return (unsigned)k < BH_ARRAY_SIZE(upper) ? upper[k] : "UNKNOWN";
}

/* ---- positions ---- */

size_t bh_df_map(const struct bh_df_instr *in, size_t lofs)
{
        size_t lo = 0, hi = in->nsegs;
        if (hi == 0)
                return 0;
        while (hi - lo > 1) {
                size_t mid = (lo + hi) / 2;
                if (in->segs[mid].lofs <= lofs)
                        lo = mid;
                else
                        hi = mid;
        }
        return in->segs[lo].fofs + (lofs - in->segs[lo].lofs);
}

static unsigned line_of(const struct bh_df_file *f, size_t ofs)
{
        size_t lo = 0, hi = f->nlines;
        if (hi == 0)
                return 0;
        while (hi - lo > 1) {
                size_t mid = (lo + hi) / 2;
                if (f->line_starts[mid] <= ofs)
                        lo = mid;
                else
                        hi = mid;
        }
        return (unsigned)lo;
}

struct bh_df_pos bh_df_position(struct bh_df_file *f, size_t ofs)
{
        struct bh_df_pos p = {1, 1};
        if (f->nlines == 0)
                return p;
        if (ofs > f->len)
                ofs = f->len;
        unsigned li = line_of(f, ofs);
        size_t from = f->line_starts[li];
        unsigned col = 1;
        if (f->pos_cache_line == li + 1 && f->pos_cache_ofs <= ofs && f->pos_cache_ofs >= from) {
                from = f->pos_cache_ofs;
                col = f->pos_cache_col;
        }
        for (size_t i = from; i < ofs; i++)
                if (((unsigned char)f->data[i] & 0xC0) != 0x80)
                        col++;
        f->pos_cache_line = li + 1;
        f->pos_cache_ofs = ofs;
        f->pos_cache_col = col;
        p.line = li + 1;
        p.column = col;
        return p;
}

/* ---- errors ---- */

static int perr(struct parser *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int perr(struct parser *p, unsigned line, const char *fmt, ...)
{
        char msg[BH_ERROR_MSG_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        return bh_error_set(p->err, EINVAL, "%s:%u: %s", p->f->path, line, msg);
}

/* ---- the logical line ---- */

static void seg_push(struct parser *p, size_t fofs)
{
        if (p->nsegs == p->capsegs) {
                p->capsegs = p->capsegs ? p->capsegs * 2 : 16;
                p->segs = bh_xreallocarray(p->segs, p->capsegs, sizeof *p->segs);
        }
        p->segs[p->nsegs].lofs = p->line.len;
        p->segs[p->nsegs].fofs = fofs;
        p->nsegs++;
}

static void line_append(struct parser *p, size_t fofs, size_t n)
{
        if (n == 0)
                return;
        seg_push(p, fofs);
        bh_buf_append(&p->line, p->f->data + fofs, n);
}

/* Physical line i (0-based): [*a, *b) without the trailing "\r\n" characters. */
static void phys_line(const struct bh_df_file *f, unsigned i, size_t *a, size_t *b)
{
        *a = f->line_starts[i];
        *b = i + 1 < f->nlines ? f->line_starts[i + 1] : f->len;
        while (*b > *a && (f->data[*b - 1] == '\n' || f->data[*b - 1] == '\r'))
                (*b)--;
}

static size_t skip_uspace(const char *s, size_t a, size_t b)
{
        size_t w;
        while (a < b && (w = bh_uspace_at(s, a, b)) > 0)
                a += w;
        return a;
}

/* `# key = value` at the top of the file (Go's \s is [\t\n\f\r ]). */
static bool re_space(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static int directive(struct parser *p, size_t a, size_t b, unsigned line)
{
        if (p->directives_done)
                return 0;
        const char *s = p->f->data;
        if (a >= b || s[a] != '#')
                goto done;
        size_t i = a + 1;
        while (i < b && re_space(s[i]))
                i++;
        size_t k0 = i;
        if (i >= b || !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
                goto done;
        while (i < b && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                         (s[i] >= '0' && s[i] <= '9')))
                i++;
        size_t k1 = i;
        while (i < b && re_space(s[i]))
                i++;
        if (i >= b || s[i] != '=')
                goto done;
        i++;
        while (i < b && re_space(s[i]))
                i++;
        size_t v1 = b;
        while (v1 > i && re_space(s[v1 - 1]))
                v1--;
        if (v1 <= i)
                goto done;
        char key[16];
        if (k1 - k0 >= sizeof key)
                goto done;
        for (size_t j = 0; j < k1 - k0; j++)
                key[j] =
                    (char)((s[k0 + j] >= 'A' && s[k0 + j] <= 'Z') ? s[k0 + j] + 32 : s[k0 + j]);
        key[k1 - k0] = '\0';
        bool *seen;
        if (strcmp(key, "escape") == 0)
                seen = &p->seen_escape;
        else if (strcmp(key, "syntax") == 0)
                seen = &p->seen_syntax;
        else if (strcmp(key, "check") == 0)
                seen = &p->seen_check;
        else
                goto done;
        if (*seen)
                return perr(p, line, "only one %s parser directive can be used", key);
        *seen = true;
        if (strcmp(key, "escape") == 0) {
                if (v1 - i != 1 || (s[i] != '\\' && s[i] != '`'))
                        return perr(p, line, "invalid escape token '%.*s' does not match ` or \\",
                                    (int)(v1 - i), s + i);
                p->f->escape = s[i];
        }
        struct bh_df_file *f = p->f;
        f->directives = bh_xreallocarray(f->directives, f->ndirectives + 1, sizeof *f->directives);
        f->directives[f->ndirectives].name = bh_arena_strndup(p->arena, key, strlen(key));
        f->directives[f->ndirectives].value = bh_arena_strndup(p->arena, s + i, v1 - i);
        f->directives[f->ndirectives].line = line;
        f->ndirectives++;
        return 0;
done:
        p->directives_done = true;
        return 0;
}

static void add_comment(struct parser *p, size_t hash, size_t b, unsigned line)
{
        struct bh_df_file *f = p->f;
        size_t a = hash + 1;
        bh_utrim(f->data, &a, &b);
        if (f->ncomments % 64 == 0)
                f->comments = bh_xreallocarray(f->comments, f->ncomments + 64, sizeof *f->comments);
        struct bh_df_comment *c = &f->comments[f->ncomments++];
        c->line = line;
        c->start = hash;
        c->text = bh_arena_strndup(p->arena, f->data + a, b - a);
}

/* The escape character ends the line (trailing blanks allowed) and is not
 * itself escaped: the line continues. *cut is where the kept text ends. */
static bool continues(const struct parser *p, size_t a, size_t b, size_t *cut)
{
        const char *s = p->f->data;
        char esc = p->f->escape;
        size_t e = b;
        while (e > a && (s[e - 1] == ' ' || s[e - 1] == '\t'))
                e--;
        if (e == a || s[e - 1] != esc)
                return false;
        if (e - 1 > a && s[e - 2] == esc)
                return false;
        *cut = e - 1;
        return true;
}

/* ---- instruction arguments ---- */

static bool ws_regex(char c) /* reWhitespace: [\t\v\f\r ] */
{
        return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static bool go_space_byte(unsigned char c) /* unicode.IsSpace(rune(byte)) */
{
        return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
}

static void wv_push(struct wordvec *wv, struct parser *p, const char *v, size_t n, size_t ls,
                    size_t le)
{
        if (wv->n == wv->cap) {
                wv->cap = wv->cap ? wv->cap * 2 : 8;
                wv->v = bh_xreallocarray(wv->v, wv->cap, sizeof *wv->v);
        }
        struct bh_df_word *w = &wv->v[wv->n++];
        w->value = bh_arena_strndup(p->arena, v, n);
        w->len = n;
        /* logical offsets for now; turned into file offsets at the end */
        w->start = ls;
        w->end = le;
}

/* Leading --flags (quotes removed, '\' escapes the next character). Returns
 * the offset where the rest of the line starts. */
static size_t extract_flags(struct parser *p, size_t a, size_t b, struct wordvec *flags)
{
        const char *s = p->line.data;
        struct bh_buf *w = &p->scratch;
        enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
        char quote = 0;
        bool blank_ok = false;
        size_t wstart = a;
        bh_buf_reset(w);
        for (size_t pos = a; pos <= b; pos++) {
                unsigned char ch = pos < b ? (unsigned char)s[pos] : 0;
                if (phase == IN_SPACES) {
                        if (pos == b)
                                break;
                        if (go_space_byte(ch))
                                continue;
                        if (ch != '-' || pos + 1 == b || s[pos + 1] != '-')
                                return pos;
                        phase = IN_WORD;
                        wstart = pos;
                }
                if (pos == b) {
                        if (!(w->len == 2 && memcmp(w->data, "--", 2) == 0) &&
                            (blank_ok || w->len > 0))
                                wv_push(flags, p, w->data ? w->data : "", w->len, wstart, pos);
                        return b;
                }
                if (phase == IN_WORD) {
                        if (go_space_byte(ch)) {
                                phase = IN_SPACES;
                                if (w->len == 2 && memcmp(w->data, "--", 2) == 0)
                                        return pos;
                                if (blank_ok || w->len > 0)
                                        wv_push(flags, p, w->data ? w->data : "", w->len, wstart,
                                                pos);
                                bh_buf_reset(w);
                                blank_ok = false;
                                continue;
                        }
                        if (ch == '\'' || ch == '"') {
                                quote = (char)ch;
                                blank_ok = true;
                                phase = IN_QUOTE;
                                continue;
                        }
                        if (ch == '\\') {
                                if (pos + 1 == b)
                                        continue;
                                pos++;
                                ch = (unsigned char)s[pos];
                        }
                        bh_buf_putc(w, (char)ch);
                        continue;
                }
                /* IN_QUOTE */
                if (ch == (unsigned char)quote) {
                        phase = IN_WORD;
                        continue;
                }
                if (ch == '\\') {
                        if (pos + 1 == b) {
                                phase = IN_WORD;
                                continue;
                        }
                        pos++;
                        ch = (unsigned char)s[pos];
                }
                bh_buf_putc(w, (char)ch);
        }
        return b;
}

/* BuildKit's parseWords: words split at white space, quotes and escapes kept. */
static void parse_words(struct parser *p, size_t a, size_t b, struct wordvec *out)
{
        const char *s = p->line.data;
        char esc = p->f->escape;
        struct bh_buf *w = &p->scratch;
        enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
        uint32_t quote = 0;
        bool blank_ok = false;
        size_t wstart = a;
        bh_buf_reset(w);
        size_t width = 0;
        for (size_t pos = a; pos <= b; pos += width) {
                uint32_t ch = 0;
                width = 1;
                if (pos != b)
                        width = bh_utf8_decode(s + pos, b - pos, &ch);
                if (phase == IN_SPACES) {
                        if (pos == b)
                                break;
                        if (bh_uspace(ch))
                                continue;
                        phase = IN_WORD;
                        wstart = pos;
                }
                if (pos == b) {
                        if (blank_ok || w->len > 0)
                                wv_push(out, p, w->data ? w->data : "", w->len, wstart, pos);
                        break;
                }
                if (phase == IN_WORD) {
                        if (bh_uspace(ch)) {
                                phase = IN_SPACES;
                                if (blank_ok || w->len > 0)
                                        wv_push(out, p, w->data ? w->data : "", w->len, wstart,
                                                pos);
                                bh_buf_reset(w);
                                blank_ok = false;
                                continue;
                        }
                        if (ch == '\'' || ch == '"') {
                                quote = ch;
                                blank_ok = true;
                                phase = IN_QUOTE;
                        }
                        if (ch == (uint32_t)(unsigned char)esc) {
                                if (pos + width == b)
                                        continue;
                                bh_buf_append(w, s + pos, width);
                                pos += width;
                                width = bh_utf8_decode(s + pos, b - pos, &ch);
                        }
                        bh_buf_append(w, s + pos, width);
                        continue;
                }
                if (ch == quote)
                        phase = IN_WORD;
                if (ch == (uint32_t)(unsigned char)esc && quote != '\'') {
                        if (pos + width == b) {
                                phase = IN_WORD;
                                continue;
                        }
                        bh_buf_append(w, s + pos, width);
                        pos += width;
                        width = bh_utf8_decode(s + pos, b - pos, &ch);
                }
                bh_buf_append(w, s + pos, width);
        }
}

/* ---- JSON (exec form) ---- */

enum json_result { JSON_OK, JSON_SYNTAX, JSON_NOT_STRINGS };

static bool json_ws(char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_hex(char c)
{
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A JSON string at s[i] == '"'; returns the offset after it, or 0. */
static size_t json_skip_string(const char *s, size_t i, size_t b)
{
        for (i++; i < b; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c == '"')
                        return i + 1;
                if (c < 0x20)
                        return 0;
                if (c == '\\') {
                        if (++i >= b)
                                return 0;
                        char e = s[i];
                        if (e == 'u') {
                                if (i + 4 >= b || !is_hex(s[i + 1]) || !is_hex(s[i + 2]) ||
                                    !is_hex(s[i + 3]) || !is_hex(s[i + 4]))
                                        return 0;
                                i += 4;
                        } else if (!strchr("\"\\/bfnrt", e) || e == '\0') {
                                return 0;
                        }
                }
        }
        return 0;
}

static size_t json_skip_number(const char *s, size_t i, size_t b)
{
        if (i < b && s[i] == '-')
                i++;
        if (i >= b)
                return 0;
        if (s[i] == '0') {
                i++;
        } else if (s[i] >= '1' && s[i] <= '9') {
                while (i < b && s[i] >= '0' && s[i] <= '9')
                        i++;
        } else {
                return 0;
        }
        if (i < b && s[i] == '.') {
                i++;
                if (i >= b || !(s[i] >= '0' && s[i] <= '9'))
                        return 0;
                while (i < b && s[i] >= '0' && s[i] <= '9')
                        i++;
        }
        if (i < b && (s[i] == 'e' || s[i] == 'E')) {
                i++;
                if (i < b && (s[i] == '+' || s[i] == '-'))
                        i++;
                if (i >= b || !(s[i] >= '0' && s[i] <= '9'))
                        return 0;
                while (i < b && s[i] >= '0' && s[i] <= '9')
                        i++;
        }
        return i;
}

static uint32_t hex4(const char *s)
{
        uint32_t v = 0;
        for (int k = 0; k < 4; k++) {
                char c = s[k];
                v = v * 16 + (uint32_t)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return v;
}

/* Decodes the valid JSON string s[i..j) (quotes included) into out. */
static void json_decode_string(const char *s, size_t i, size_t j, struct bh_buf *out)
{
        bh_buf_reset(out);
        for (i++; i < j - 1; i++) {
                char c = s[i];
                if (c != '\\') {
                        bh_buf_putc(out, c);
                        continue;
                }
                c = s[++i];
                switch (c) {
                case 'b':
                        bh_buf_putc(out, '\b');
                        break;
                case 'f':
                        bh_buf_putc(out, '\f');
                        break;
                case 'n':
                        bh_buf_putc(out, '\n');
                        break;
                case 'r':
                        bh_buf_putc(out, '\r');
                        break;
                case 't':
                        bh_buf_putc(out, '\t');
                        break;
                case 'u': {
                        uint32_t r = hex4(s + i + 1);
                        i += 4;
                        if (r >= 0xD800 && r <= 0xDFFF) {
                                uint32_t lo = 0;
                                bool pair = r < 0xDC00 && i + 6 < j && s[i + 1] == '\\' &&
                                            s[i + 2] == 'u' && is_hex(s[i + 3]) &&
                                            is_hex(s[i + 4]) && is_hex(s[i + 5]) &&
                                            is_hex(s[i + 6]);
                                if (pair)
                                        lo = hex4(s + i + 3);
                                if (pair && lo >= 0xDC00 && lo <= 0xDFFF) {
                                        r = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00);
                                        i += 6;
                                } else {
                                        r = 0xFFFD;
                                }
                        }
                        char enc[4];
                        bh_buf_append(out, enc, bh_utf8_encode(r, enc));
                        break;
                }
                default: /* " \ / */
                        bh_buf_putc(out, c);
                }
        }
}

#define JSON_MAX_DEPTH 10000

/* BuildKit reads exec form with Go's json.Unmarshal of the whole rest of the
 * line: a syntax error, text after the array included (`["a"] # x`, `["a"]]`),
 * falls back to shell form; a valid array holding anything but strings is an
 * error. */
static enum json_result parse_json(struct parser *p, size_t a, size_t b, struct wordvec *out)
{
        const char *s = p->line.data;
        if (a >= b || s[a] != '[')
                return JSON_SYNTAX;
        /* explicit stack so deep nesting cannot overflow the C stack */
        char *stack = NULL;
        size_t depth = 0, cap = 0;
        enum { VALUE, ARR_FIRST, OBJ_FIRST, OBJ_KEY, AFTER } st = VALUE;
        size_t i = a;
        enum json_result res = JSON_SYNTAX;
        bool strings_only = true;
        for (;;) {
                while (i < b && json_ws(s[i]))
                        i++;
                if (st == AFTER) {
                        if (depth == 0) {
                                if (i < b) /* more than one value */
                                        break;
                                res = strings_only ? JSON_OK : JSON_NOT_STRINGS;
                                break;
                        }
                        if (i >= b)
                                break;
                        char top = stack[depth - 1];
                        if (s[i] == ',') {
                                i++;
                                st = top == '[' ? VALUE : OBJ_KEY;
                                continue;
                        }
                        if ((top == '[' && s[i] == ']') || (top == '{' && s[i] == '}')) {
                                i++;
                                depth--;
                                continue;
                        }
                        break;
                }
                if (i >= b)
                        break;
                if (st == ARR_FIRST && s[i] == ']') {
                        i++;
                        depth--;
                        st = AFTER;
                        continue;
                }
                if (st == OBJ_FIRST && s[i] == '}') {
                        i++;
                        depth--;
                        st = AFTER;
                        continue;
                }
                if (st == OBJ_FIRST || st == OBJ_KEY) {
                        if (s[i] != '"')
                                break;
                        size_t e = json_skip_string(s, i, b);
                        if (!e)
                                break;
                        i = e;
                        while (i < b && json_ws(s[i]))
                                i++;
                        if (i >= b || s[i] != ':')
                                break;
                        i++;
                        st = VALUE;
                        continue;
                }
                /* a value */
                bool top_level_element = depth == 1 && stack[0] == '[';
                char c = s[i];
                if (c == '[' || c == '{') {
                        if (depth >= JSON_MAX_DEPTH)
                                break;
                        if (depth == cap) {
                                cap = cap ? cap * 2 : 16;
                                stack = bh_xrealloc(stack, cap);
                        }
                        stack[depth++] = c;
                        if (top_level_element)
                                strings_only = false;
                        i++;
                        st = c == '[' ? ARR_FIRST : OBJ_FIRST;
                        continue;
                }
                size_t e = 0;
                if (c == '"') {
                        e = json_skip_string(s, i, b);
                        if (e && top_level_element && strings_only) {
                                json_decode_string(s, i, e, &p->scratch);
                                wv_push(out, p, p->scratch.data ? p->scratch.data : "",
                                        p->scratch.len, i, e);
                        }
                } else {
                        if (c == 't' && b - i >= 4 && memcmp(s + i, "true", 4) == 0)
                                e = i + 4;
                        else if (c == 'f' && b - i >= 5 && memcmp(s + i, "false", 5) == 0)
                                e = i + 5;
                        else if (c == 'n' && b - i >= 4 && memcmp(s + i, "null", 4) == 0)
                                e = i + 4;
                        else if (c == '-' || (c >= '0' && c <= '9'))
                                e = json_skip_number(s, i, b);
                        if (e && top_level_element)
                                strings_only = false;
                }
                if (!e)
                        break;
                i = e;
                st = AFTER;
        }
        free(stack);
        if (res != JSON_OK)
                out->n = 0;
        return res;
}

/* ---- dispatch ---- */

struct node {
        struct wordvec flags, args;
        bool json;
        size_t rest_lofs;
        struct bh_df_instr *sub;
        enum bh_df_kind kind;
        size_t kw_a, kw_b;
};

static int parse_node(struct parser *p, size_t a, size_t b, int depth, struct bh_df_instr *out);

static void split_whitespace(struct parser *p, size_t a, size_t b, struct wordvec *out)
{
        const char *s = p->line.data;
        size_t i = a;
        while (i <= b && a < b) {
                size_t j = i;
                while (j < b && !ws_regex(s[j]))
                        j++;
                wv_push(out, p, s + i, j - i, i, j);
                if (j >= b)
                        break;
                while (j < b && ws_regex(s[j]))
                        j++;
                i = j;
                if (i == b) { /* text ended in separators: Go's Split gives "" */
                        wv_push(out, p, "", 0, i, i);
                        break;
                }
        }
}

static int maybe_json(struct parser *p, size_t a, size_t b, struct node *n, bool to_list,
                      unsigned line)
{
        enum json_result r = parse_json(p, a, b, &n->args);
        if (r == JSON_OK) {
                n->json = true;
                return 0;
        }
        if (r == JSON_NOT_STRINGS)
                return perr(p, line,
                            "%s: when using JSON array syntax, arrays must be comprised of "
                            "strings only",
                            bh_df_kind_name(n->kind));
        if (a >= b)
                return 0;
        if (to_list)
                split_whitespace(p, a, b, &n->args);
        else
                wv_push(&n->args, p, p->line.data + a, b - a, a, b);
        return 0;
}

static int name_val(struct parser *p, size_t a, size_t b, struct node *n, unsigned line)
{
        const char *s = p->line.data;
        struct wordvec words = {0};
        parse_words(p, a, b, &words);
        int rc = 0;
        if (words.n == 0)
                goto out;
        if (!memchr(words.v[0].value, '=', words.v[0].len)) {
                /* legacy form: NAME the rest */
                size_t i = a;
                while (i < b && !ws_regex(s[i]))
                        i++;
                size_t j = i;
                while (j < b && ws_regex(s[j]))
                        j++;
                if (i >= b) {
                        rc = perr(p, line, "%s must have two arguments", bh_df_kind_name(n->kind));
                        goto out;
                }
                wv_push(&n->args, p, s + a, i - a, a, i);
                wv_push(&n->args, p, s + j, b - j, j, b);
                wv_push(&n->args, p, "", 0, b, b);
                goto out;
        }
        for (size_t k = 0; k < words.n; k++) {
                struct bh_df_word *w = &words.v[k];
                const char *eq = memchr(w->value, '=', w->len);
                if (!eq) {
                        struct bh_buf q = BH_BUF_INIT;
                        bh_go_quote(&q, w->value, w->len);
                        rc = perr(p, line,
                                  "Syntax error - can't find = in %s. Must be of the form: "
                                  "name=value",
                                  q.data);
                        bh_buf_free(&q);
                        goto out;
                }
                size_t kl = (size_t)(eq - w->value);
                wv_push(&n->args, p, w->value, kl, w->start, w->start + kl);
                wv_push(&n->args, p, eq + 1, w->len - kl - 1, w->start + kl + 1, w->end);
                wv_push(&n->args, p, "=", 1, w->start + kl, w->start + kl + 1);
        }
out:
        free(words.v);
        return rc;
}

static int health(struct parser *p, size_t a, size_t b, struct node *n, unsigned line)
{
        const char *s = p->line.data;
        size_t sep = a;
        while (sep < b && !go_space_byte((unsigned char)s[sep]))
                sep++;
        size_t next = sep;
        while (next < b && go_space_byte((unsigned char)s[next]))
                next++;
        if (sep == a)
                return 0;
        wv_push(&n->args, p, s + a, sep - a, a, sep);
        return maybe_json(p, next, b, n, false, line);
}

static int dispatch(struct parser *p, size_t a, size_t b, struct node *n, int depth, unsigned line)
{
        switch (n->kind) {
        case BH_DF_ADD:
        case BH_DF_COPY:
        case BH_DF_VOLUME:
                return maybe_json(p, a, b, n, true, line);
        case BH_DF_CMD:
        case BH_DF_ENTRYPOINT:
        case BH_DF_RUN:
        case BH_DF_SHELL:
                return maybe_json(p, a, b, n, false, line);
        case BH_DF_ARG:
                parse_words(p, a, b, &n->args);
                return 0;
        case BH_DF_ENV:
        case BH_DF_LABEL:
                return name_val(p, a, b, n, line);
        case BH_DF_EXPOSE:
        case BH_DF_FROM:
                if (a < b)
                        split_whitespace(p, a, b, &n->args);
                return 0;
        case BH_DF_HEALTHCHECK:
                return health(p, a, b, n, line);
        case BH_DF_MAINTAINER:
        case BH_DF_STOPSIGNAL:
        case BH_DF_USER:
        case BH_DF_WORKDIR:
                if (a < b)
                        wv_push(&n->args, p, p->line.data + a, b - a, a, b);
                return 0;
        case BH_DF_ONBUILD:
                if (a >= b)
                        return 0;
                if (depth >= 2) {
                        /* BuildKit refuses ONBUILD ONBUILD (rule DL3043 reports one level of
                         * it); refusing deeper chains here keeps a line of a million ONBUILDs
                         * from recursing a million times */
                        return perr(p, line,
                                    "ONBUILD ONBUILD ONBUILD: an ONBUILD trigger cannot "
                                    "itself be ONBUILD");
                }
                n->sub = bh_arena_alloc(p->arena, sizeof *n->sub);
                memset(n->sub, 0, sizeof *n->sub);
                return parse_node(p, a, b, depth + 1, n->sub);
        case BH_DF_UNKNOWN:
                return 0;
        }
        return 0;
}

/* Logical [a, b) -> instruction *out (offsets still logical until finish()). */
static int parse_node(struct parser *p, size_t a, size_t b, int depth, struct bh_df_instr *out)
{
        const char *s = p->line.data;
        struct node n = {0};
        bh_utrim(s, &a, &b);
        size_t kw_end = a;
        while (kw_end < b && !ws_regex(s[kw_end]))
                kw_end++;
        size_t rest = kw_end;
        while (rest < b && ws_regex(s[rest]))
                rest++;
        char lower[16] = "";
        if (kw_end - a < sizeof lower) {
                for (size_t i = 0; i < kw_end - a; i++) {
                        char c = s[a + i];
                        lower[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                }
                lower[kw_end - a] = '\0';
        }
        n.kind = bh_df_kind_from_name(lower);
        size_t args_a = rest, args_b = b;
        if (rest < b)
                args_a = extract_flags(p, rest, b, &n.flags);
        bh_utrim(s, &args_a, &args_b);
        n.rest_lofs = args_a;
        int rc = dispatch(p, args_a, args_b, &n, depth, p->start_line);
        if (rc < 0) {
                free(n.flags.v);
                free(n.args.v);
                return rc;
        }
        out->kind = n.kind;
        out->keyword = bh_arena_strndup(p->arena, s + a, kw_end - a);
        char *nm = bh_arena_strndup(p->arena, s + a, kw_end - a);
        for (char *c = nm; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                        *c = (char)(*c + 32);
        out->name = nm;
        out->original = bh_arena_strndup(p->arena, s + a, b - a);
        out->original_len = b - a;
        out->start = a;
        out->end = b;
        out->flags = bh_arena_memdup(p->arena, n.flags.v, n.flags.n * sizeof *n.flags.v);
        out->nflags = n.flags.n;
        out->args = bh_arena_memdup(p->arena, n.args.v, n.args.n * sizeof *n.args.v);
        out->nargs = n.args.n;
        out->json = n.json;
        out->rest_lofs = n.rest_lofs;
        out->sub = n.sub;
        free(n.flags.v);
        free(n.args.v);
        return 0;
}

/* Logical offsets -> file offsets, for the instruction and its parts. */
static void to_file_offsets(struct bh_df_instr *in)
{
        size_t s = in->start, e = in->end;
        in->start = bh_df_map(in, s);
        in->end = e > s ? bh_df_map(in, e - 1) + 1 : in->start;
        struct bh_df_word *lists[2] = {in->flags, in->args};
        size_t counts[2] = {in->nflags, in->nargs};
        for (int l = 0; l < 2; l++)
                for (size_t i = 0; i < counts[l]; i++) {
                        struct bh_df_word *w = &lists[l][i];
                        size_t ws = w->start, we = w->end;
                        w->start = bh_df_map(in, ws);
                        w->end = we > ws ? bh_df_map(in, we - 1) + 1 : w->start;
                }
}

/* ---- heredocs ---- */

struct lexword {
        size_t a, b; /* raw extent in the line */
        char *text;  /* as the lexer returns it */
};

/* BuildKit's shell lexer as the heredoc detector uses it: words split at
 * white space; with raw set, quotes and escapes stay in the words. Returns
 * false on a lexing error (an unterminated quote). */
static bool lex_words(const char *s, size_t a, size_t b, bool raw_quotes, bool raw_escapes,
                      struct lexword **out, size_t *nout)
{
        struct bh_buf w = BH_BUF_INIT;
        bool in_word = false;
        size_t wa = a;
        *out = NULL;
        *nout = 0;
#define PUSH_WORD()                                                                                \
        do {                                                                                       \
                if (in_word) {                                                                     \
                        *out = bh_xreallocarray(*out, *nout + 1, sizeof **out);                    \
                        (*out)[*nout].a = wa;                                                      \
                        (*out)[*nout].b = i;                                                       \
                        (*out)[*nout].text = bh_buf_steal(&w);                                     \
                        (*nout)++;                                                                 \
                        in_word = false;                                                           \
                }                                                                                  \
        } while (0)
        size_t i = a;
        while (i < b) {
                size_t sp = bh_uspace_at(s, i, b);
                if (sp) {
                        PUSH_WORD();
                        i += sp;
                        continue;
                }
                if (!in_word) {
                        in_word = true;
                        wa = i;
                }
                char c = s[i];
                if (c == '\'') {
                        size_t j = i + 1;
                        while (j < b && s[j] != '\'')
                                j++;
                        if (j >= b)
                                goto fail;
                        if (raw_quotes)
                                bh_buf_append(&w, s + i, j + 1 - i);
                        else
                                bh_buf_append(&w, s + i + 1, j - i - 1);
                        i = j + 1;
                        continue;
                }
                if (c == '"') {
                        if (raw_quotes)
                                bh_buf_putc(&w, '"');
                        size_t j = i + 1;
                        for (; j < b && s[j] != '"'; j++) {
                                if (s[j] == '\\' && j + 1 < b &&
                                    (s[j + 1] == '"' || s[j + 1] == '$' || s[j + 1] == '\\')) {
                                        if (raw_escapes)
                                                bh_buf_putc(&w, '\\');
                                        j++;
                                }
                                bh_buf_putc(&w, s[j]);
                        }
                        if (j >= b)
                                goto fail;
                        if (raw_quotes)
                                bh_buf_putc(&w, '"');
                        i = j + 1;
                        continue;
                }
                if (c == '\\') {
                        if (i + 1 >= b) {
                                i++;
                                continue;
                        }
                        if (raw_escapes)
                                bh_buf_putc(&w, '\\');
                        uint32_t r;
                        size_t wd = bh_utf8_decode(s + i + 1, b - i - 1, &r);
                        bh_buf_append(&w, s + i + 1, wd);
                        i += 1 + wd;
                        continue;
                }
                if (c == '$' && i + 1 < b && s[i + 1] == '{') {
                        size_t j = i + 2;
                        int nest = 1;
                        for (; j < b && nest > 0; j++) {
                                if (s[j] == '{')
                                        nest++;
                                else if (s[j] == '}')
                                        nest--;
                        }
                        if (nest > 0)
                                goto fail;
                        bh_buf_append(&w, s + i, j - i);
                        i = j;
                        continue;
                }
                bh_buf_putc(&w, c);
                i++;
        }
        PUSH_WORD();
#undef PUSH_WORD
        bh_buf_free(&w);
        return true;
fail:
        bh_buf_free(&w);
        for (size_t k = 0; k < *nout; k++)
                free((*out)[k].text);
        free(*out);
        *out = NULL;
        *nout = 0;
        return false;
}

static void free_lexwords(struct lexword *w, size_t n)
{
        for (size_t k = 0; k < n; k++)
                free(w[k].text);
        free(w);
}

static size_t count_quotes(const char *s)
{
        size_t n = 0;
        for (; *s; s++)
                n += *s == '\'' || *s == '"';
        return n;
}

/* `^(\d*)<<(-?)([^<]*)$` and a single-word delimiter. */
static bool heredoc_from_word(struct parser *p, const char *word, struct bh_df_heredoc *h)
{
        const char *c = word;
        unsigned long fd = 0;
        while (*c >= '0' && *c <= '9') {
                if (fd < 1000000)
                        fd = fd * 10 + (unsigned long)(*c - '0');
                c++;
        }
        if (c[0] != '<' || c[1] != '<')
                return false;
        c += 2;
        bool chomp = false;
        if (*c == '-') {
                chomp = true;
                c++;
        }
        if (*c == '\0' || strchr(c, '<'))
                return false;
        size_t n = strlen(c);
        struct lexword *cooked, *raw;
        size_t ncooked, nraw;
        if (!lex_words(c, 0, n, false, false, &cooked, &ncooked))
                return false;
        if (ncooked != 1) {
                free_lexwords(cooked, ncooked);
                return false;
        }
        if (!lex_words(c, 0, n, true, false, &raw, &nraw) || nraw != 1) {
                free_lexwords(cooked, ncooked);
                free_lexwords(raw, nraw);
                return false;
        }
        h->name = bh_arena_strndup(p->arena, cooked[0].text, strlen(cooked[0].text));
        h->expand = count_quotes(cooked[0].text) == count_quotes(raw[0].text);
        h->chomp = chomp;
        h->fd = (unsigned)fd;
        free_lexwords(cooked, ncooked);
        free_lexwords(raw, nraw);
        return true;
}

static bool can_contain_heredoc(const struct bh_df_instr *in)
{
        if (in->kind == BH_DF_ONBUILD && in->sub)
                in = in->sub;
        return (in->kind == BH_DF_RUN || in->kind == BH_DF_COPY || in->kind == BH_DF_ADD) &&
               !in->json;
}

/* Reads the bodies of the heredocs the instruction's line opens; *li is the
 * next physical line (0-based) and advances past the terminators. */
static int read_heredocs(struct parser *p, struct bh_df_instr *in, unsigned *li)
{
        if (!can_contain_heredoc(in) || !memmem(p->line.data, p->line.len, "<<", 2))
                return 0;
        struct lexword *words;
        size_t nwords;
        lex_words(p->line.data, 0, p->line.len, true, true, &words, &nwords);
        struct bh_df_heredoc *docs = NULL;
        size_t ndocs = 0;
        int rc = 0;
        for (size_t k = 0; k < nwords; k++) {
                struct bh_df_heredoc h = {0};
                if (!heredoc_from_word(p, words[k].text, &h))
                        continue;
                const struct bh_df_file *f = p->f;
                size_t nlen = strlen(h.name);
                bool terminated = false;
                h.first_line = *li + 1;
                h.start = *li < f->nlines ? f->line_starts[*li] : f->len;
                while (*li < f->nlines) {
                        size_t la, lb;
                        phys_line(f, *li, &la, &lb);
                        (*li)++;
                        if (h.chomp)
                                while (la < lb && f->data[la] == '\t')
                                        la++;
                        if (lb - la == nlen && memcmp(f->data + la, h.name, nlen) == 0) {
                                terminated = true;
                                h.end_line = *li;
                                size_t end = f->line_starts[*li - 1];
                                h.content_len = end - h.start;
                                h.content =
                                    bh_arena_strndup(p->arena, f->data + h.start, h.content_len);
                                break;
                        }
                }
                if (!terminated) {
                        rc = perr(p, p->start_line,
                                  "unterminated heredoc: no line \"%s\" closes the <<%s%s opened "
                                  "here (reached the end of the file at line %u)",
                                  h.name, h.chomp ? "-" : "", h.name, f->nlines);
                        break;
                }
                docs = bh_xreallocarray(docs, ndocs + 1, sizeof *docs);
                docs[ndocs++] = h;
        }
        free_lexwords(words, nwords);
        if (rc == 0 && ndocs) {
                struct bh_df_instr *target = in->kind == BH_DF_ONBUILD && in->sub ? in->sub : in;
                target->heredocs = bh_arena_memdup(p->arena, docs, ndocs * sizeof *docs);
                target->nheredocs = ndocs;
                if (target != in) {
                        in->heredocs = target->heredocs;
                        in->nheredocs = ndocs;
                }
        }
        free(docs);
        return rc;
}

/* ---- the file ---- */

static int index_lines(struct parser *p)
{
        struct bh_df_file *f = p->f;
        const char *s = f->data;
        size_t n = f->len, cap = 0;
        size_t i = 0;
        unsigned line = 0;
        while (i < n || (i == 0 && n == 0)) {
                if (n == 0)
                        break;
                if (line >= BH_DF_MAX_LINES)
                        return perr(p, line,
                                    "more than %u lines: no Dockerfile is that long, this is "
                                    "not one",
                                    BH_DF_MAX_LINES);
                if (line == cap) {
                        cap = cap ? cap * 2 : 256;
                        f->line_starts = bh_xreallocarray(f->line_starts, cap, sizeof(size_t));
                }
                f->line_starts[line++] = i;
                const char *nl = memchr(s + i, '\n', n - i);
                size_t e = nl ? (size_t)(nl - s) : n;
                if (e - i > BH_DF_MAX_LINE)
                        return perr(p, line,
                                    "line is %zu bytes long, more than the %u a "
                                    "Dockerfile line may have",
                                    e - i, BH_DF_MAX_LINE);
                if (memchr(s + i, '\0', e - i))
                        return perr(p, line, "NUL byte: this is a binary file, not a Dockerfile");
                size_t bad = bh_utf8_check(s + i, e - i);
                if (bad < e - i) {
                        struct bh_df_pos pos;
                        f->nlines = line;
                        pos = bh_df_position(f, i + bad);
                        return perr(p, line, "column %u: invalid UTF-8 (byte 0x%02x)", pos.column,
                                    (unsigned char)s[i + bad]);
                }
                i = nl ? e + 1 : n;
        }
        f->nlines = line;
        return 0;
}

static int push_instr(struct parser *p, struct bh_df_instr *in, size_t *cap)
{
        struct bh_df_file *f = p->f;
        if (f->ninstrs >= BH_DF_MAX_INSTRS)
                return perr(p, in->start_line, "more than %u instructions in one Dockerfile",
                            BH_DF_MAX_INSTRS);
        if (in->kind == BH_DF_FROM && ++p->nstages > BH_DF_MAX_STAGES)
                return perr(p, in->start_line, "more than %u build stages in one Dockerfile",
                            BH_DF_MAX_STAGES);
        if (f->ninstrs == *cap) {
                *cap = *cap ? *cap * 2 : 32;
                f->instrs = bh_xreallocarray(f->instrs, *cap, sizeof *f->instrs);
        }
        f->instrs[f->ninstrs++] = *in;
        return 0;
}

static int parse_lines(struct parser *p)
{
        struct bh_df_file *f = p->f;
        const char *s = f->data;
        size_t cap = 0;
        unsigned li = 0;
        while (li < f->nlines) {
                size_t la, lb;
                phys_line(f, li, &la, &lb);
                la = skip_uspace(s, la, lb);
                int rc = directive(p, la, lb, li + 1);
                if (rc < 0)
                        return rc;
                bool comment = la < lb && s[la] == '#';
                if (comment)
                        add_comment(p, la, lb, li + 1);
                li++;
                p->start_line = li;
                bh_buf_reset(&p->line);
                p->nsegs = 0;
                size_t cut;
                bool more = false;
                if (!comment) {
                        more = continues(p, la, lb, &cut);
                        line_append(p, la, more ? cut - la : lb - la);
                }
                if (!more && p->line.len == 0)
                        continue;
                bool empty_cont = false;
                while (more && li < f->nlines) {
                        size_t ca, cb;
                        phys_line(f, li, &ca, &cb);
                        li++;
                        size_t t = skip_uspace(s, ca, cb);
                        if (t < cb && s[t] == '#') {
                                add_comment(p, t, cb, li);
                                continue;
                        }
                        if (t == cb) {
                                empty_cont = true;
                                continue;
                        }
                        more = continues(p, ca, cb, &cut);
                        line_append(p, ca, more ? cut - ca : cb - ca);
                        if (p->line.len > BH_DF_MAX_INSTRUCTION)
                                return perr(p, p->start_line,
                                            "instruction is longer than %u bytes (it continues "
                                            "to line %u)",
                                            BH_DF_MAX_INSTRUCTION, li);
                }
                if (p->line.len == 0) {
                        /* only continuation characters: nothing to parse */
                        continue;
                }
                p->cur_line = li;
                struct bh_df_instr in = {0};
                /* a terminating NUL so string helpers may scan the line */
                bh_buf_putc(&p->line, '\0');
                p->line.len--;
                rc = parse_node(p, 0, p->line.len, 0, &in);
                if (rc < 0)
                        return rc;
                in.segs = bh_arena_memdup(p->arena, p->segs, p->nsegs * sizeof *p->segs);
                in.nsegs = p->nsegs;
                in.empty_continuation = empty_cont;
                in.start_line = p->start_line;
                in.end_line = li;
                for (struct bh_df_instr *sub = in.sub; sub; sub = sub->sub) {
                        sub->segs = in.segs;
                        sub->nsegs = in.nsegs;
                        sub->start_line = in.start_line;
                }
                rc = read_heredocs(p, &in, &li);
                if (rc < 0)
                        return rc;
                if (in.nheredocs)
                        in.end_line = in.heredocs[in.nheredocs - 1].end_line;
                for (struct bh_df_instr *sub = in.sub; sub; sub = sub->sub) {
                        sub->end_line = in.end_line;
                        to_file_offsets(sub);
                }
                to_file_offsets(&in);
                rc = push_instr(p, &in, &cap);
                if (rc < 0)
                        return rc;
        }
        return 0;
}

int bh_df_parse(const char *path, const char *data, size_t len, struct bh_df_file **out,
                struct bh_error *err)
{
        *out = NULL;
        struct bh_df_file *f = bh_xcalloc(1, sizeof *f);
        f->path = bh_xstrdup(path ? path : "Dockerfile");
        f->escape = '\\';
        f->arena = bh_arena_new();
        struct parser p = {.f = f, .err = err, .arena = f->arena};
        if (len > BH_DF_MAX_FILE) {
                int rc = bh_error_set(err, EFBIG,
                                      "%s: %zu bytes is more than the %u a Dockerfile "
                                      "may have",
                                      f->path, len, BH_DF_MAX_FILE);
                bh_df_free(f);
                return rc;
        }
        if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
                data += 3;
                len -= 3;
        }
        char *copy = bh_xmalloc(len + 1);
        memcpy(copy, data, len);
        copy[len] = '\0';
        f->data = copy;
        f->len = len;
        int rc = index_lines(&p);
        if (rc == 0)
                rc = parse_lines(&p);
        if (rc == 0 && f->ninstrs == 0)
                rc = perr(&p, f->nlines ? f->nlines : 1,
                          "file with no instructions: a Dockerfile needs at least a FROM");
        bh_buf_free(&p.line);
        bh_buf_free(&p.scratch);
        free(p.segs);
        if (rc < 0) {
                bh_df_free(f);
                return rc;
        }
        *out = f;
        return 0;
}

void bh_df_free(struct bh_df_file *f)
{
        if (!f)
                return;
        free(f->path);
        free((char *)f->data);
        free(f->line_starts);
        free(f->directives);
        free(f->instrs);
        free(f->comments);
        bh_arena_free(f->arena);
        free(f);
}

const char *bh_df_flag(const struct bh_df_instr *in, const char *name,
                       const struct bh_df_word **word)
{
        size_t n = strlen(name);
        const char *found = NULL;
        for (size_t i = 0; i < in->nflags; i++) {
                const char *v = in->flags[i].value;
                if (strncmp(v, "--", 2) != 0 || strncmp(v + 2, name, n) != 0)
                        continue;
                if (v[2 + n] == '=') {
                        found = v + 3 + n;
                } else if (v[2 + n] == '\0') {
                        found = "";
                } else {
                        continue;
                }
                if (word)
                        *word = &in->flags[i];
        }
        return found;
}

const char *bh_df_shell_script(const struct bh_df_instr *in)
{
        if (in->json)
                return NULL;
        switch (in->kind) {
        case BH_DF_RUN:
        case BH_DF_CMD:
        case BH_DF_ENTRYPOINT:
                return in->nargs ? in->args[0].value : "";
        case BH_DF_HEALTHCHECK:
                return in->nargs > 1 ? in->args[1].value : NULL;
        default:
                return NULL;
        }
}
