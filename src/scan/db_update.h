/* Downloads for `bulkhead db update`. */
#pragma once

#include "base/error.h"

#include <stdint.h>

typedef void (*bh_download_progress_fn)(uint64_t now, uint64_t total, void *user);

/* BASE/ECOSYSTEM/all.zip, the layout osv.dev publishes. Caller frees. */
char *bh_osv_zip_url(const char *base, const char *ecosystem);
/* Downloads url into dest (created; removed again on failure). */
int bh_download(const char *url, const char *dest, bh_download_progress_fn progress, void *user,
                struct bh_error *err);
