/* Small text helpers shared by the Dockerfile parser and the rules: UTF-8
 * decoding, Unicode white space as Go's unicode.IsSpace sees it, and a
 * per-file arena so a parse is one allocation family freed at once. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one UTF-8 sequence at s[0..n); returns its width (>= 1) and sets
 * *r (U+FFFD and width 1 on an invalid sequence). */
size_t bh_utf8_decode(const char *s, size_t n, uint32_t *r);
/* Offset of the first invalid UTF-8 sequence in s[0..n), or n when valid. */
size_t bh_utf8_check(const char *s, size_t n);
size_t bh_utf8_encode(uint32_t r, char out[4]);

/* Go's unicode.IsSpace. */
bool bh_uspace(uint32_t r);
/* Width of the white space character ending at s[end), 0 if none. */
size_t bh_uspace_before(const char *s, size_t start, size_t end);
/* Width of the white space character at s[i..end), 0 if none. */
size_t bh_uspace_at(const char *s, size_t i, size_t end);
/* Narrows [*a, *b) so it has no Unicode white space at either end. */
void bh_utrim(const char *s, size_t *a, size_t *b);

struct bh_df_arena;
struct bh_df_arena *bh_arena_new(void);
void bh_arena_free(struct bh_df_arena *a);
void *bh_arena_alloc(struct bh_df_arena *a, size_t n);
char *bh_arena_strndup(struct bh_df_arena *a, const char *s, size_t n);
void *bh_arena_memdup(struct bh_df_arena *a, const void *p, size_t n);
