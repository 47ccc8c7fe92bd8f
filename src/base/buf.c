#include "base/buf.h"
#include "base/util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void buf_reserve(struct bh_buf *b, size_t extra)
{
        if (b->len + extra + 1 <= b->cap)
                return;
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + extra + 1) {
                if (cap > SIZE_MAX / 2)
                        cap = b->len + extra + 1;
                else
                        cap *= 2;
        }
        b->data = bh_xrealloc(b->data, cap);
        b->cap = cap;
}

void bh_buf_append(struct bh_buf *b, const void *data, size_t n)
{
        buf_reserve(b, n);
        if (n)
                memcpy(b->data + b->len, data, n);
        b->len += n;
        b->data[b->len] = '\0';
}

void bh_buf_puts(struct bh_buf *b, const char *s)
{
        bh_buf_append(b, s, strlen(s));
}

void bh_buf_putc(struct bh_buf *b, char c)
{
        bh_buf_append(b, &c, 1);
}

void bh_buf_vprintf(struct bh_buf *b, const char *fmt, va_list ap)
{
        va_list copy;
        va_copy(copy, ap);
        int n = vsnprintf(NULL, 0, fmt, copy);
        va_end(copy);
        if (n <= 0)
                return;
        buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
}

void bh_buf_printf(struct bh_buf *b, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        bh_buf_vprintf(b, fmt, ap);
        va_end(ap);
}

char *bh_buf_steal(struct bh_buf *b)
{
        char *s = b->data ? b->data : bh_xstrdup("");
        b->data = NULL;
        b->len = b->cap = 0;
        return s;
}

void bh_buf_reset(struct bh_buf *b)
{
        b->len = 0;
        if (b->data)
                b->data[0] = '\0';
}

void bh_buf_free(struct bh_buf *b)
{
        free(b->data);
        b->data = NULL;
        b->len = b->cap = 0;
}
