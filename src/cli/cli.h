/* Shared pieces of the command-line front end: option parsing for the
 * report options every judging command has, rendering, and exit codes. */
#pragma once

#include "report/report.h"

#include <stdbool.h>

enum bh_exit {
        BH_EXIT_OK = 0,       /* nothing at or above --fail-on */
        BH_EXIT_FINDINGS = 1, /* findings at or above --fail-on */
        BH_EXIT_USAGE = 2,    /* bad command line */
        BH_EXIT_FAILED = 3,   /* could not do the job */
};

struct cli_output {
        enum bh_format format;
        const char *output_path; /* NULL: stdout */
        struct bh_threshold fail_on;
        bool no_color;
        bool quiet;
        bool format_set; /* --format was given (scan picks a table on a terminal otherwise) */
};

/* Defaults: text to stdout, --fail-on fail. */
void cli_output_init(struct cli_output *o);
/* Handles --format, --output/-o, --fail-on, --no-color. Returns 1 when the
 * option was one of these, 0 when not, -1 (after a message) on a bad value. */
int cli_output_option(struct cli_output *o, int opt, const char *arg);

/* Long option entries and ids for the shared options, for getopt_long tables. */
enum {
        CLI_OPT_FORMAT = 0x1000,
        CLI_OPT_FAIL_ON,
        CLI_OPT_NO_COLOR,
        CLI_OPT_OUTPUT,
        CLI_OPT_FIRST_COMMAND_OPTION = 0x1100,
};
#define CLI_OUTPUT_LONG_OPTIONS                                                                    \
        {"format", required_argument, NULL, CLI_OPT_FORMAT},                                       \
            {"output", required_argument, NULL, CLI_OPT_OUTPUT},                                   \
            {"fail-on", required_argument, NULL, CLI_OPT_FAIL_ON},                                 \
        {                                                                                          \
                "no-color", no_argument, NULL, CLI_OPT_NO_COLOR                                    \
        }

/* Renders the report where the options say and returns the exit code. */
int cli_finish_report(const struct bh_report *r, const struct cli_output *o, bool locations);
/* The same, calling check after the report is rendered and before anything
 * is written: when it returns < 0 (having said why), nothing is written. */
int cli_finish_report_checked(const struct bh_report *r, const struct cli_output *o, bool locations,
                              int (*check)(void *user), void *user);

/* Messages for the user, on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

int cmd_audit(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_sbom(int argc, char **argv);

/* Image options shared by scan and sbom (cli_image.c). */
struct bh_image;
struct cli_image_options {
        const char *host;     /* -H: the engine */
        bool insecure;        /* registries over http / unverified TLS */
        const char *username; /* registry credentials (or BULKHEAD_REGISTRY_USER/_PASSWORD) */
        const char *password;
        bool no_verify;
        bool no_cache;
};
enum {
        CLI_OPT_HOST = 0x1080,
        CLI_OPT_INSECURE,
        CLI_OPT_USERNAME,
        CLI_OPT_PASSWORD,
        CLI_OPT_NO_VERIFY,
        CLI_OPT_NO_CACHE,
};
#define CLI_IMAGE_LONG_OPTIONS                                                                     \
        {"host", required_argument, NULL, 'H'}, {"insecure", no_argument, NULL, CLI_OPT_INSECURE}, \
            {"username", required_argument, NULL, CLI_OPT_USERNAME},                               \
            {"password", required_argument, NULL, CLI_OPT_PASSWORD},                               \
            {"no-verify", no_argument, NULL, CLI_OPT_NO_VERIFY},                                   \
        {                                                                                          \
                "no-cache", no_argument, NULL, CLI_OPT_NO_CACHE                                    \
        }
/* Returns 1 when opt was an image option. */
int cli_image_option(struct cli_image_options *o, int opt, const char *arg);
/* Opens the image named like skopeo does (see bh_image_source_parse); on
 * failure prints the error and returns < 0. *is_name tells whether name was
 * an image name (engine, registry) rather than a path. Layer digests may
 * still be running: call bh_image_verify before printing results. */
int cli_open_image(const char *name, const struct cli_image_options *o, struct bh_image **out,
                   bool *is_name);
/* The vulnerability database path: --db, else the default. Caller frees. */
char *cli_db_path(const char *flag);
