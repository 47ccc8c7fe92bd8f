/* SHA-256 (FIPS 180-4), small and dependency-free: the seccomp cache names a
 * compiled filter by the digest of everything that went into it. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct bh_sha256 {
        uint32_t h[8];
        uint64_t total;
        uint8_t block[64];
        size_t used;
};

void bh_sha256_init(struct bh_sha256 *s);
void bh_sha256_update(struct bh_sha256 *s, const void *data, size_t len);
void bh_sha256_final(struct bh_sha256 *s, uint8_t out[32]);
/* Lower-case hex of a 32-byte digest into out (65 bytes with the NUL). */
void bh_sha256_hex(const uint8_t digest[32], char out[65]);
