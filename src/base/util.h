/* Small helpers every module may use: cleanup attributes, allocation that
 * aborts on exhaustion, string and string-vector helpers. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define BH_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void bh_freep(void *p)
{
        free(*(void **)p);
}
static inline void bh_closep(int *fd)
{
        if (*fd >= 0)
                close(*fd);
}
static inline void bh_fclosep(FILE **f)
{
        if (*f)
                fclose(*f);
}
#define _cleanup_free_ _cleanup_(bh_freep)
#define _cleanup_close_ _cleanup_(bh_closep)
#define _cleanup_fclose_ _cleanup_(bh_fclosep)

/* Allocation failure is not recoverable in this program: these abort with a
 * message instead of returning NULL, so callers need no OOM branches. */
void *bh_xmalloc(size_t n);
void *bh_xcalloc(size_t n, size_t size);
void *bh_xrealloc(void *p, size_t n);
void *bh_xreallocarray(void *p, size_t n, size_t size);
char *bh_xstrdup(const char *s);
char *bh_xstrndup(const char *s, size_t n);
char *bh_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

bool bh_startswith(const char *s, const char *prefix);
bool bh_endswith(const char *s, const char *suffix);
bool bh_streq(const char *a, const char *b); /* NULL-safe */
/* Removes leading and trailing ASCII whitespace in place; returns s. */
char *bh_strstrip(char *s);

/* A NULL-terminated vector of owned strings. */
typedef char **bh_strv;
size_t bh_strv_len(char *const *v);
/* Appends a copy of s; *v may be NULL. */
void bh_strv_push(char ***v, const char *s);
void bh_strv_push_take(char ***v, char *s);
bool bh_strv_contains(char *const *v, const char *s);
void bh_strv_free(char **v);
static inline void bh_strv_freep(char ***v)
{
        bh_strv_free(*v);
}
#define _cleanup_strv_ _cleanup_(bh_strv_freep)

/* Monotonic time in milliseconds, for durations. */
double bh_now_ms(void);

/* Returns *pp and sets it to NULL: hands an owned pointer out of a
 * _cleanup_ variable. */
static inline void *bh_steal_ptr(void *pp)
{
        void **p = pp;
        void *v = *p;
        *p = NULL;
        return v;
}
