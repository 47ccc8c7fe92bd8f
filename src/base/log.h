/* Diagnostics for humans on stderr. Modules may log warnings; reports go
 * through src/report, never through here. */
#pragma once

enum bh_log_level { BH_LOG_ERROR, BH_LOG_WARN, BH_LOG_INFO, BH_LOG_DEBUG };

extern enum bh_log_level bh_log_threshold;

void bh_log(enum bh_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define bh_warn(...) bh_log(BH_LOG_WARN, __VA_ARGS__)
#define bh_debug(...) bh_log(BH_LOG_DEBUG, __VA_ARGS__)
