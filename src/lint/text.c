#include "lint/text.h"
#include "base/util.h"

#include <string.h>

size_t bh_utf8_decode(const char *s, size_t n, uint32_t *r)
{
        const unsigned char *u = (const unsigned char *)s;
        if (n == 0) {
                *r = 0xFFFD;
                return 1;
        }
        unsigned char c = u[0];
        if (c < 0x80) {
                *r = c;
                return 1;
        }
        size_t need;
        uint32_t v, min;
        if (c >= 0xC2 && c <= 0xDF) {
                need = 1, v = c & 0x1F, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2, v = c & 0x0F, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3, v = c & 0x07, min = 0x10000;
        } else {
                *r = 0xFFFD;
                return 1;
        }
        if (n < need + 1) {
                *r = 0xFFFD;
                return 1;
        }
        for (size_t i = 1; i <= need; i++) {
                if ((u[i] & 0xC0) != 0x80) {
                        *r = 0xFFFD;
                        return 1;
                }
                v = (v << 6) | (u[i] & 0x3F);
        }
        if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
                *r = 0xFFFD;
                return 1;
        }
        *r = v;
        return need + 1;
}

size_t bh_utf8_check(const char *s, size_t n)
{
        size_t i = 0;
        while (i < n) {
                if ((unsigned char)s[i] < 0x80) {
                        i++;
                        continue;
                }
                uint32_t r;
                size_t w = bh_utf8_decode(s + i, n - i, &r);
                if (r == 0xFFFD && w == 1)
                        return i;
                i += w;
        }
        return n;
}

size_t bh_utf8_encode(uint32_t r, char out[4])
{
        if (r < 0x80) {
                out[0] = (char)r;
                return 1;
        }
        if (r < 0x800) {
                out[0] = (char)(0xC0 | (r >> 6));
                out[1] = (char)(0x80 | (r & 0x3F));
                return 2;
        }
        if (r < 0x10000) {
                out[0] = (char)(0xE0 | (r >> 12));
                out[1] = (char)(0x80 | ((r >> 6) & 0x3F));
                out[2] = (char)(0x80 | (r & 0x3F));
                return 3;
        }
        out[0] = (char)(0xF0 | (r >> 18));
        out[1] = (char)(0x80 | ((r >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((r >> 6) & 0x3F));
        out[3] = (char)(0x80 | (r & 0x3F));
        return 4;
}

bool bh_uspace(uint32_t r)
{
        switch (r) {
        case '\t':
        case '\n':
        case '\v':
        case '\f':
        case '\r':
        case ' ':
        case 0x85:
        case 0xA0:
        case 0x1680:
        case 0x2028:
        case 0x2029:
        case 0x202F:
        case 0x205F:
        case 0x3000:
                return true;
        default:
                return r >= 0x2000 && r <= 0x200A;
        }
}

size_t bh_uspace_at(const char *s, size_t i, size_t end)
{
        if (i >= end)
                return 0;
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
                return (c == ' ' || (c >= '\t' && c <= '\r')) ? 1 : 0;
        uint32_t r;
        size_t w = bh_utf8_decode(s + i, end - i, &r);
        return bh_uspace(r) ? w : 0;
}

size_t bh_uspace_before(const char *s, size_t start, size_t end)
{
        if (end <= start)
                return 0;
        unsigned char c = (unsigned char)s[end - 1];
        if (c < 0x80)
                return (c == ' ' || (c >= '\t' && c <= '\r')) ? 1 : 0;
        /* find the lead byte of the last sequence */
        size_t i = end - 1;
        while (i > start && end - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80)
                i--;
        uint32_t r;
        size_t w = bh_utf8_decode(s + i, end - i, &r);
        return (i + w == end && bh_uspace(r)) ? w : 0;
}

void bh_utrim(const char *s, size_t *a, size_t *b)
{
        size_t w;
        while (*a < *b && (w = bh_uspace_at(s, *a, *b)) > 0)
                *a += w;
        while (*b > *a && (w = bh_uspace_before(s, *a, *b)) > 0)
                *b -= w;
}

/* ---- arena ---- */

struct arena_chunk {
        struct arena_chunk *next;
        size_t used, cap;
        _Alignas(16) char data[];
};

struct bh_df_arena {
        struct arena_chunk *head;
        size_t next; /* size of the next chunk: small arenas stay small */
};

#define ARENA_FIRST 512u
#define ARENA_CHUNK (64u * 1024)

struct bh_df_arena *bh_arena_new(void)
{
        struct bh_df_arena *a = bh_xcalloc(1, sizeof(struct bh_df_arena));
        a->next = ARENA_FIRST;
        return a;
}

void bh_arena_free(struct bh_df_arena *a)
{
        if (!a)
                return;
        struct arena_chunk *c = a->head;
        while (c) {
                struct arena_chunk *n = c->next;
                free(c);
                c = n;
        }
        free(a);
}

void *bh_arena_alloc(struct bh_df_arena *a, size_t n)
{
        n = (n + 15) & ~(size_t)15;
        if (n == 0)
                n = 16;
        struct arena_chunk *c = a->head;
        if (!c || c->cap - c->used < n) {
                if (n > a->next / 4) {
                        /* a big block gets its own chunk, behind the current one */
                        struct arena_chunk *big = bh_xmalloc(sizeof *big + n);
                        big->used = big->cap = n;
                        if (c) {
                                big->next = c->next;
                                c->next = big;
                        } else {
                                big->next = NULL;
                                a->head = big;
                        }
                        return big->data;
                }
                c = bh_xmalloc(sizeof *c + a->next);
                c->used = 0;
                c->cap = a->next;
                c->next = a->head;
                a->head = c;
                if (a->next < ARENA_CHUNK)
                        a->next *= 2;
        }
        void *p = c->data + c->used;
        c->used += n;
        return p;
}

char *bh_arena_strndup(struct bh_df_arena *a, const char *s, size_t n)
{
        char *p = bh_arena_alloc(a, n + 1);
        if (n)
                memcpy(p, s, n);
        p[n] = '\0';
        return p;
}

void *bh_arena_memdup(struct bh_df_arena *a, const void *p, size_t n)
{
        if (n == 0)
                return NULL;
        void *q = bh_arena_alloc(a, n);
        memcpy(q, p, n);
        return q;
}
