/* The setuid and setgid files of an image kept by the overlay2 storage
 * driver, read straight from its layer directories (GraphDriver.Data), merged
 * as overlayfs merges them: whiteouts (character devices 0/0) and opaque
 * directories (trusted.overlay.opaque=y) hide what lies below. Only metadata
 * is read; symlinks are never followed. */
#pragma once

#include "base/error.h"

#include <stddef.h>

/* layers: the layer directories, top first (UpperDir, then LowerDir's
 * entries). Adds "/path" of each setuid/setgid regular file to *out. */
int audit_overlay_setid_files(char *const *layers, char ***out, size_t *count,
                              struct bh_error *err);
