#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>

enum bh_log_level bh_log_threshold = BH_LOG_WARN;

void bh_log(enum bh_log_level level, const char *fmt, ...)
{
        static const char *const names[] = {"error", "warning", "info", "debug"};
        if (level > bh_log_threshold)
                return;
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "bulkhead: %s: ", names[level]);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}
