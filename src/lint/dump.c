/* Dumps of the parse tree: BuildKit's s-expressions (for comparison with
 * BuildKit's own test expectations) and JSON with exact positions. */
#include "lint/dockerfile.h"
#include "lint/text.h"
#include "base/util.h"

#include <jansson.h>
#include <string.h>

/* Go's unicode.IsPrint for the characters outside ASCII, without Unicode's
 * tables: controls, format characters, separators other than the ASCII
 * space, private use and non-characters are escaped; everything else
 * (including code points a table would call unassigned) prints as is. */
static bool go_isprint_nonascii(uint32_t r)
{
        if (r < 0xA0)
                return false; /* C1 controls */
        if (r == 0xA0 || r == 0xAD || r == 0x1680 || r == 0x180E || r == 0x202F || r == 0x205F ||
            r == 0x3000 || r == 0xFEFF || r == 0x61C || r == 0x6DD || r == 0x70F)
                return false;
        if ((r >= 0x600 && r <= 0x605) || (r >= 0x2000 && r <= 0x200F) ||
            (r >= 0x2028 && r <= 0x202E) || (r >= 0x2060 && r <= 0x206F) ||
            (r >= 0xD800 && r <= 0xF8FF) || (r >= 0xFDD0 && r <= 0xFDEF) ||
            (r >= 0xFFF9 && r <= 0xFFFB) || (r & 0xFFFE) == 0xFFFE || r >= 0xF0000 ||
            (r >= 0xE0000 && r <= 0xE007F))
                return false;
        return true;
}

void bh_go_quote(struct bh_buf *out, const char *s, size_t len)
{
        static const char hex[] = "0123456789abcdef";
        bh_buf_putc(out, '"');
        size_t i = 0;
        while (i < len) {
                unsigned char c = (unsigned char)s[i];
                if (c < 0x80) {
                        i++;
                        if (c == '"' || c == '\\') {
                                bh_buf_putc(out, '\\');
                                bh_buf_putc(out, (char)c);
                        } else if (c >= 0x20 && c < 0x7F) {
                                bh_buf_putc(out, (char)c);
                        } else {
                                const char *e = NULL;
                                switch (c) {
                                case '\a':
                                        e = "\\a";
                                        break;
                                case '\b':
                                        e = "\\b";
                                        break;
                                case '\f':
                                        e = "\\f";
                                        break;
                                case '\n':
                                        e = "\\n";
                                        break;
                                case '\r':
                                        e = "\\r";
                                        break;
                                case '\t':
                                        e = "\\t";
                                        break;
                                case '\v':
                                        e = "\\v";
                                        break;
                                }
                                if (e) {
                                        bh_buf_puts(out, e);
                                } else {
                                        char x[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
                                        bh_buf_append(out, x, 4);
                                }
                        }
                        continue;
                }
                uint32_t r;
                size_t w = bh_utf8_decode(s + i, len - i, &r);
                if (r == 0xFFFD && w == 1) {
                        char x[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
                        bh_buf_append(out, x, 4);
                } else if (go_isprint_nonascii(r)) {
                        bh_buf_append(out, s + i, w);
                } else if (r < 0x10000) {
                        bh_buf_printf(out, "\\u%04x", r);
                } else {
                        bh_buf_printf(out, "\\U%08x", r);
                }
                i += w;
        }
        bh_buf_putc(out, '"');
}

static void dump_instr(const struct bh_df_instr *in, struct bh_buf *out)
{
        bh_buf_puts(out, in->name);
        if (in->nflags) {
                bh_buf_puts(out, " [");
                for (size_t i = 0; i < in->nflags; i++) {
                        if (i)
                                bh_buf_putc(out, ' ');
                        bh_go_quote(out, in->flags[i].value, in->flags[i].len);
                }
                bh_buf_putc(out, ']');
        }
        if (in->sub) {
                bh_buf_puts(out, " (");
                dump_instr(in->sub, out);
                bh_buf_putc(out, ')');
                return;
        }
        for (size_t i = 0; i < in->nargs; i++) {
                bh_buf_putc(out, ' ');
                bh_go_quote(out, in->args[i].value, in->args[i].len);
        }
}

void bh_df_dump_sexp(const struct bh_df_file *f, struct bh_buf *out)
{
        for (size_t i = 0; i < f->ninstrs; i++) {
                bh_buf_putc(out, '(');
                dump_instr(&f->instrs[i], out);
                bh_buf_puts(out, ")\n");
        }
}

static json_t *span_json(struct bh_df_file *f, size_t start, size_t end)
{
        struct bh_df_pos a = bh_df_position(f, start);
        struct bh_df_pos b = bh_df_position(f, end);
        return json_pack("{s:i,s:i,s:i,s:i}", "line", a.line, "column", a.column, "end_line",
                         b.line, "end_column", b.column);
}

static json_t *words_json(struct bh_df_file *f, const struct bh_df_word *w, size_t n)
{
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
                json_t *o = span_json(f, w[i].start, w[i].end);
                json_object_set_new(o, "value", json_stringn(w[i].value, w[i].len));
                json_array_append_new(arr, o);
        }
        return arr;
}

static json_t *instr_json(struct bh_df_file *f, const struct bh_df_instr *in)
{
        json_t *o = json_object();
        json_object_set_new(o, "instruction", json_string(bh_df_kind_name(in->kind)));
        json_object_set_new(o, "keyword", json_string(in->keyword));
        json_t *span = span_json(f, in->start, in->end);
        json_object_update(o, span);
        json_decref(span);
        json_object_set_new(o, "start_line", json_integer(in->start_line));
        json_object_set_new(o, "last_line", json_integer(in->end_line));
        json_object_set_new(o, "form", json_string(in->json ? "exec" : "shell"));
        json_object_set_new(o, "flags", words_json(f, in->flags, in->nflags));
        json_object_set_new(o, "args", words_json(f, in->args, in->nargs));
        if (in->sub)
                json_object_set_new(o, "trigger", instr_json(f, in->sub));
        if (in->nheredocs && !in->sub) {
                json_t *hs = json_array();
                for (size_t i = 0; i < in->nheredocs; i++) {
                        const struct bh_df_heredoc *h = &in->heredocs[i];
                        json_array_append_new(
                            hs, json_pack("{s:s,s:b,s:b,s:i,s:s%,s:i,s:i}", "name", h->name,
                                          "expand", h->expand, "chomp", h->chomp, "fd", h->fd,
                                          "content", h->content, h->content_len, "first_line",
                                          h->first_line, "end_line", h->end_line));
                }
                json_object_set_new(o, "heredocs", hs);
        }
        return o;
}

void bh_df_dump_json(struct bh_df_file *f, struct bh_buf *out)
{
        json_t *root = json_object();
        json_object_set_new(root, "file", json_string(f->path));
        char esc[2] = {f->escape, 0};
        json_object_set_new(root, "escape", json_string(esc));
        json_t *dirs = json_object();
        for (size_t i = 0; i < f->ndirectives; i++)
                json_object_set_new(dirs, f->directives[i].name,
                                    json_string(f->directives[i].value));
        json_object_set_new(root, "directives", dirs);
        json_t *arr = json_array();
        for (size_t i = 0; i < f->ninstrs; i++)
                json_array_append_new(arr, instr_json(f, &f->instrs[i]));
        json_object_set_new(root, "instructions", arr);
        char *s = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII);
        bh_buf_puts(out, s ? s : "null");
        bh_buf_putc(out, '\n');
        free(s);
        json_decref(root);
}
