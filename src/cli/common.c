#include "cli/cli.h"
#include "base/util.h"
#include "bh_config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_error(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        fputs("bulkhead: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "bulkhead %s: ", command);
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, "\nTry 'bulkhead %s --help'.\n", command);
        va_end(ap);
        return BH_EXIT_USAGE;
}

void cli_output_init(struct cli_output *o)
{
        memset(o, 0, sizeof *o);
        o->format = BH_FORMAT_TEXT;
        bh_threshold_parse("fail", &o->fail_on);
}

int cli_output_option(struct cli_output *o, int opt, const char *arg)
{
        switch (opt) {
        case CLI_OPT_FORMAT:
                if (bh_format_parse(arg, &o->format) < 0) {
                        cli_error("--format %s: expected text, json, sarif, junit, html, "
                                  "checkstyle or gitlab (or table, on a terminal)",
                                  arg);
                        return -1;
                }
                o->format_set = true;
                return 1;
        case CLI_OPT_OUTPUT:
        case 'o':
                o->output_path = arg;
                return 1;
        case CLI_OPT_FAIL_ON:
                if (bh_threshold_parse(arg, &o->fail_on) < 0) {
                        cli_error("--fail-on %s: expected fail, warn, info, low, medium, high, "
                                  "critical or none",
                                  arg);
                        return -1;
                }
                return 1;
        case CLI_OPT_NO_COLOR:
                o->no_color = true;
                return 1;
        default:
                return 0;
        }
}

static bool want_color(const struct cli_output *o, bool to_stdout)
{
        const char *no_color = getenv("NO_COLOR");
        if (!to_stdout || o->no_color || (no_color && *no_color) ||
            (o->format != BH_FORMAT_TEXT && o->format != BH_FORMAT_TABLE))
                return false;
        const char *term = getenv("TERM");
        if (term && strcmp(term, "dumb") == 0)
                return false;
        return isatty(STDOUT_FILENO);
}

int cli_finish_report_checked(const struct bh_report *r, const struct cli_output *o, bool locations,
                              int (*check)(void *user), void *user)
{
        bool to_stdout = !o->output_path || strcmp(o->output_path, "-") == 0;
        struct bh_render_options ro = {
            .tool_version = BH_VERSION,
            .color = want_color(o, to_stdout),
            .locations = locations,
            .threshold = o->fail_on,
        };
        /* rendered in memory first: nothing is written (and no file
         * truncated) unless the whole report is there and check agrees */
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        if (!mem) {
                cli_error("cannot render the report: %s", strerror(errno));
                return BH_EXIT_FAILED;
        }
        struct bh_error err = {0};
        int rc = bh_render(r, o->format, mem, &ro, &err);
        if (fclose(mem) != 0 && rc == 0)
                rc = bh_error_errno(&err, errno, "rendering the report");
        if (rc < 0) {
                free(text);
                cli_error("%s", err.msg);
                return BH_EXIT_FAILED;
        }
        if (check && check(user) < 0) {
                free(text);
                return BH_EXIT_FAILED;
        }
        FILE *out = to_stdout ? stdout : fopen(o->output_path, "we");
        if (!out) {
                cli_error("%s: cannot write the report: %s", o->output_path, strerror(errno));
                free(text);
                return BH_EXIT_FAILED;
        }
        bool ok = fwrite(text, 1, len, out) == len;
        ok = (to_stdout ? fflush(out) == 0 : fclose(out) == 0) && ok;
        free(text);
        if (!ok) {
                cli_error("%s: cannot write the report: %s",
                          to_stdout ? "standard output" : o->output_path, strerror(errno));
                return BH_EXIT_FAILED;
        }
        return bh_report_failures(r, &o->fail_on) > 0 ? BH_EXIT_FINDINGS : BH_EXIT_OK;
}

int cli_finish_report(const struct bh_report *r, const struct cli_output *o, bool locations)
{
        return cli_finish_report_checked(r, o, locations, NULL, NULL);
}
