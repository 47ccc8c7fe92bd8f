/* The runtime's log: what containerd reads back. With --log FILE every
 * message is appended there as a line, JSON ({"level":"error","msg":...,
 * "time":...}) with --log-format json, logfmt text otherwise; without --log
 * it goes to stderr. Errors are also printed on stderr as plain text, which
 * containerd folds into the error it returns. Nothing is printed on success:
 * during create, stderr is the container's. */
#pragma once

#include <stdbool.h>

enum rt_log_level { RT_LOG_ERROR, RT_LOG_WARN, RT_LOG_INFO, RT_LOG_DEBUG };

/* path may be NULL (stderr); json selects the format; debug enables debug lines. */
int rt_log_open(const char *path, bool json, bool debug);
void rt_log(enum rt_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define rt_warn(...) rt_log(RT_LOG_WARN, __VA_ARGS__)
#define rt_debug(...) rt_log(RT_LOG_DEBUG, __VA_ARGS__)
/* The final error of a command: to the log and, as text, to stderr. */
void rt_log_error(const char *msg);
/* The log's descriptor (-1 for stderr), kept open in forked helpers. */
int rt_log_fd(void);
