/* Digests already computed for byte ranges of unchanged files (see
 * digest_cache.c). Private to the image readers. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct digest_key {
        uint64_t dev, ino, size;
        int64_t mtime_ns, ctime_ns;
        uint64_t off, len;
};

/* The identity of bytes [off, off+len) of the regular file fd, as it is now. */
bool digest_cache_key(int fd, uint64_t off, uint64_t len, struct digest_key *k);
/* The stored digest and the diff_id (the same for an uncompressed layer)
 * recorded for exactly this key; false when there is none. */
bool digest_cache_get(const struct digest_key *k, char **stored, char **diff_id);
/* Records them, unless fd no longer matches k (it changed while hashed). */
void digest_cache_put(const struct digest_key *k, int fd, const char *stored, const char *diff_id);
