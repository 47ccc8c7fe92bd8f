#include "base/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 0))) static int error_vset(struct bh_error *err, int code,
                                                            const char *fmt, va_list ap)
{
        if (code < 0)
                code = -code;
        if (code == 0)
                code = EIO;
        if (err) {
                err->code = code;
                vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        }
        return -code;
}

int bh_error_set(struct bh_error *err, int code, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        int r = error_vset(err, code, fmt, ap);
        va_end(ap);
        return r;
}

int bh_error_errno(struct bh_error *err, int code, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        int r = error_vset(err, code, fmt, ap);
        va_end(ap);
        if (err) {
                size_t n = strlen(err->msg);
                snprintf(err->msg + n, sizeof err->msg - n, ": %s", strerror(err->code));
        }
        return r;
}

int bh_error_prefix(struct bh_error *err, const char *fmt, ...)
{
        if (!err)
                return -EIO;
        char prefix[BH_ERROR_MSG_MAX], old[BH_ERROR_MSG_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(prefix, sizeof prefix, fmt, ap);
        va_end(ap);
        memcpy(old, err->msg, sizeof old);
        snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old);
        if (err->code == 0)
                err->code = EIO;
        return -err->code;
}

void bh_error_clear(struct bh_error *err)
{
        if (err) {
                err->code = 0;
                err->msg[0] = '\0';
        }
}
