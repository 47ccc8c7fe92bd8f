#include "base/util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

static void out_of_memory(size_t n)
{
        fprintf(stderr, "bulkhead: out of memory (allocating %zu bytes)\n", n);
        abort();
}

void *bh_xmalloc(size_t n)
{
        void *p = malloc(n ? n : 1);
        if (!p)
                out_of_memory(n);
        return p;
}

void *bh_xcalloc(size_t n, size_t size)
{
        void *p = calloc(n ? n : 1, size ? size : 1);
        if (!p)
                out_of_memory(n * size);
        return p;
}

void *bh_xrealloc(void *p, size_t n)
{
        void *q = realloc(p, n ? n : 1);
        if (!q)
                out_of_memory(n);
        return q;
}

void *bh_xreallocarray(void *p, size_t n, size_t size)
{
        if (size && n > SIZE_MAX / size)
                out_of_memory(SIZE_MAX);
        return bh_xrealloc(p, n * size);
}

char *bh_xstrdup(const char *s)
{
        return bh_xstrndup(s, strlen(s));
}

char *bh_xstrndup(const char *s, size_t n)
{
        size_t len = strnlen(s, n);
        char *p = bh_xmalloc(len + 1);
        memcpy(p, s, len);
        p[len] = '\0';
        return p;
}

char *bh_xasprintf(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        char *s = NULL;
        int r = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (r < 0)
                out_of_memory(strlen(fmt));
        return s;
}

bool bh_startswith(const char *s, const char *prefix)
{
        return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool bh_endswith(const char *s, const char *suffix)
{
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

bool bh_streq(const char *a, const char *b)
{
        if (!a || !b)
                return a == b;
        return strcmp(a, b) == 0;
}

char *bh_strstrip(char *s)
{
        char *start = s;
        while (*start && isspace((unsigned char)*start))
                start++;
        size_t n = strlen(start);
        while (n > 0 && isspace((unsigned char)start[n - 1]))
                n--;
        memmove(s, start, n);
        s[n] = '\0';
        return s;
}

size_t bh_strv_len(char *const *v)
{
        size_t n = 0;
        while (v && v[n])
                n++;
        return n;
}

void bh_strv_push_take(char ***v, char *s)
{
        size_t n = bh_strv_len(*v);
        *v = bh_xreallocarray(*v, n + 2, sizeof(char *));
        (*v)[n] = s;
        (*v)[n + 1] = NULL;
}

void bh_strv_push(char ***v, const char *s)
{
        bh_strv_push_take(v, bh_xstrdup(s));
}

bool bh_strv_contains(char *const *v, const char *s)
{
        for (size_t i = 0; v && v[i]; i++)
                if (strcmp(v[i], s) == 0)
                        return true;
        return false;
}

void bh_strv_free(char **v)
{
        for (size_t i = 0; v && v[i]; i++)
                free(v[i]);
        free(v);
}

double bh_now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
