/* OpenSSL's libcrypto (digests), loaded on first use (see lazy.h). */
#include "lazy/lazy.h"

#include <stddef.h>

#include <openssl/evp.h>

static struct bh_lazy_lib crypto = {"libcrypto.so.3", NULL};

BH_LAZY_FN(crypto, int, EVP_Digest,
           (const void *data, size_t n, unsigned char *md, unsigned int *len, const EVP_MD *type,
            ENGINE *impl),
           (data, n, md, len, type, impl))
BH_LAZY_FN(crypto, int, EVP_DigestInit_ex, (EVP_MD_CTX * ctx, const EVP_MD *type, ENGINE *impl),
           (ctx, type, impl))
BH_LAZY_FN(crypto, int, EVP_DigestUpdate, (EVP_MD_CTX * ctx, const void *d, size_t n), (ctx, d, n))
BH_LAZY_FN(crypto, int, EVP_DigestFinal_ex, (EVP_MD_CTX * ctx, unsigned char *md, unsigned int *n),
           (ctx, md, n))
BH_LAZY_FN(crypto, int, EVP_EncodeBlock, (unsigned char *t, const unsigned char *f, int n),
           (t, f, n))
BH_LAZY_FN(crypto, EVP_MD_CTX *, EVP_MD_CTX_new, (void), ())
BH_LAZY_VOID(crypto, EVP_MD_CTX_free, (EVP_MD_CTX * ctx), (ctx))
BH_LAZY_FN(crypto, const EVP_MD *, EVP_sha256, (void), ())
