#include "runtime/log.h"
#include "base/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int log_fd = -1;
static bool log_json;
static bool log_debug;

int rt_log_open(const char *path, bool json, bool debug)
{
        log_json = json;
        log_debug = debug;
        if (!path)
                return 0;
        log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
        return log_fd < 0 ? -errno : 0;
}

int rt_log_fd(void)
{
        return log_fd;
}

static void put_json_string(struct bh_buf *b, const char *s)
{
        bh_buf_putc(b, '"');
        for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
                switch (*p) {
                case '"':
                        bh_buf_puts(b, "\\\"");
                        break;
                case '\\':
                        bh_buf_puts(b, "\\\\");
                        break;
                case '\n':
                        bh_buf_puts(b, "\\n");
                        break;
                case '\t':
                        bh_buf_puts(b, "\\t");
                        break;
                case '\r':
                        bh_buf_puts(b, "\\r");
                        break;
                default:
                        if (*p < 0x20)
                                bh_buf_printf(b, "\\u%04x", *p);
                        else
                                bh_buf_putc(b, (char)*p);
                }
        }
        bh_buf_putc(b, '"');
}

static void timestamp(char *out, size_t n)
{
        struct timespec ts;
        struct tm tm;
        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        size_t k = strftime(out, n, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(out + k, n - k, ".%09ldZ", ts.tv_nsec);
}

static void write_all(int fd, const char *p, size_t n)
{
        while (n > 0) {
                ssize_t w = write(fd, p, n);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0)
                        return;
                p += w;
                n -= (size_t)w;
        }
}

static void emit(enum rt_log_level level, const char *msg)
{
        static const char *const names[] = {"error", "warning", "info", "debug"};
        char ts[48];
        timestamp(ts, sizeof ts);
        struct bh_buf b = BH_BUF_INIT;
        if (log_json) {
                bh_buf_printf(&b, "{\"level\":\"%s\",\"msg\":", names[level]);
                put_json_string(&b, msg);
                bh_buf_printf(&b, ",\"time\":\"%s\"}\n", ts);
        } else {
                bh_buf_printf(&b, "time=\"%s\" level=%s msg=", ts, names[level]);
                put_json_string(&b, msg);
                bh_buf_putc(&b, '\n');
        }
        write_all(log_fd >= 0 ? log_fd : STDERR_FILENO, b.data, b.len);
        bh_buf_free(&b);
}

void rt_log(enum rt_log_level level, const char *fmt, ...)
{
        if (level == RT_LOG_DEBUG && !log_debug)
                return;
        char msg[2048];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        emit(level, msg);
}

void rt_log_error(const char *msg)
{
        emit(RT_LOG_ERROR, msg);
        if (log_fd >= 0) {
                char line[2200];
                int n = snprintf(line, sizeof line, "bulkhead-runtime: %s\n", msg);
                if (n > 0)
                        write_all(STDERR_FILENO, line,
                                  (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        }
}
