#include "base/strset.h"
#include "base/util.h"

#include <stdint.h>
#include <string.h>

static uint64_t hash(const char *s, size_t n)
{
        uint64_t h = 1469598103934665603ull;
        for (size_t i = 0; i < n; i++) {
                h ^= (unsigned char)s[i];
                h *= 1099511628211ull;
        }
        return h;
}

static bool slot_is(const char *slot, const char *s, size_t n)
{
        return strncmp(slot, s, n) == 0 && slot[n] == '\0';
}

static void grow(struct bh_strset *set)
{
        size_t cap = set->cap ? set->cap * 2 : 64;
        char **slots = bh_xcalloc(cap, sizeof(char *));
        for (size_t i = 0; i < set->cap; i++) {
                char *e = set->slots[i];
                if (!e)
                        continue;
                size_t j = hash(e, strlen(e)) & (cap - 1);
                while (slots[j])
                        j = (j + 1) & (cap - 1);
                slots[j] = e;
        }
        free(set->slots);
        set->slots = slots;
        set->cap = cap;
}

bool bh_strset_has(const struct bh_strset *set, const char *s, size_t n)
{
        if (!set->cap)
                return false;
        for (size_t j = hash(s, n) & (set->cap - 1); set->slots[j]; j = (j + 1) & (set->cap - 1))
                if (slot_is(set->slots[j], s, n))
                        return true;
        return false;
}

bool bh_strset_add(struct bh_strset *set, const char *s, size_t n)
{
        if ((set->count + 1) * 2 > set->cap)
                grow(set);
        size_t j = hash(s, n) & (set->cap - 1);
        for (; set->slots[j]; j = (j + 1) & (set->cap - 1))
                if (slot_is(set->slots[j], s, n))
                        return false;
        set->slots[j] = bh_xstrndup(s, n);
        set->count++;
        return true;
}

void bh_strset_free(struct bh_strset *set)
{
        for (size_t i = 0; i < set->cap; i++)
                free(set->slots[i]);
        free(set->slots);
        set->slots = NULL;
        set->cap = set->count = 0;
}
