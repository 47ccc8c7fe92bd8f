/* A growable byte buffer, always NUL-terminated. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

struct bh_buf {
        char *data;
        size_t len;
        size_t cap;
};

#define BH_BUF_INIT                                                                                \
        {                                                                                          \
                NULL, 0, 0                                                                         \
        }

void bh_buf_append(struct bh_buf *b, const void *data, size_t n);
void bh_buf_puts(struct bh_buf *b, const char *s);
void bh_buf_putc(struct bh_buf *b, char c);
void bh_buf_printf(struct bh_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bh_buf_vprintf(struct bh_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Returns the data (never NULL) and leaves b empty; the caller frees it. */
char *bh_buf_steal(struct bh_buf *b);
void bh_buf_reset(struct bh_buf *b);
void bh_buf_free(struct bh_buf *b);
