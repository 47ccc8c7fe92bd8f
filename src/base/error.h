/* Errors carried up to the caller: a positive errno-style code and a message
 * that names the thing that failed (a path, a container, a line). */
#pragma once

#include <stddef.h>

#define BH_ERROR_MSG_MAX 512

struct bh_error {
        int code;
        char msg[BH_ERROR_MSG_MAX];
};

/* Fills err (if not NULL) and returns -code, so callers can write
 * `return bh_error_set(err, ENOENT, "%s: not found", path);`. */
int bh_error_set(struct bh_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like bh_error_set, appending ": strerror(code)". */
int bh_error_errno(struct bh_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Puts "context: " in front of the existing message; returns -err->code. */
int bh_error_prefix(struct bh_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void bh_error_clear(struct bh_error *err);
