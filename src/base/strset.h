/* A set of strings (open addressing, FNV-1a), for path bookkeeping. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct bh_strset {
        char **slots;
        size_t cap, count;
};

/* Adds a copy of s (n bytes); returns false when it was already there. */
bool bh_strset_add(struct bh_strset *set, const char *s, size_t n);
bool bh_strset_has(const struct bh_strset *set, const char *s, size_t n);
void bh_strset_free(struct bh_strset *set);
