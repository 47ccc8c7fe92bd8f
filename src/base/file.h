/* Bounded, careful file access. Input files are hostile: every read has a
 * size limit, FIFOs and devices are refused so a read cannot hang. */
#pragma once

#include "base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* Reads a whole regular file (including /proc and /sys files, whose size is
 * reported as 0) of at most max bytes. *data is NUL-terminated; free() it. */
int bh_read_file(const char *path, size_t max, char **data, size_t *len, struct bh_error *err);
int bh_read_file_at(int dirfd, const char *path, size_t max, char **data, size_t *len,
                    struct bh_error *err);
/* Reads from an open descriptor until EOF or max bytes; name is for messages. */
int bh_read_fd(int fd, const char *name, size_t max, char **data, size_t *len,
               struct bh_error *err);

/* Opens path resolved beneath rootfd as if rootfd were "/" (openat2 with
 * RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS): symlinks cannot leave the root. */
int bh_open_in_root(int rootfd, const char *path, int flags, struct bh_error *err);

/* Writes data to path through a temporary file and rename(), so readers see
 * the old or the new content, never a part. */
int bh_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
                         struct bh_error *err);

/* $XDG_CACHE_HOME/bulkhead/SUB (else ~/.cache/bulkhead/SUB), with create
 * made (mode 0700) when missing; NULL when there is no such place or it
 * cannot be made. Caches are shortcuts: callers go on without one. Caller
 * frees. */
char *bh_cache_dir(const char *sub, bool create);

/* "a" + "/" + "b" without doubling slashes; the caller frees the result. */
char *bh_path_join(const char *a, const char *b);
