/* bulkhead: the container-security toolkit's single entry point. */
#include "cli/cli.h"
#include "base/log.h"
#include "base/util.h"
#include "bh_config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

struct command {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *summary;
};

static const struct command commands[] = {
    {"audit", cmd_audit, "check this Docker host against the CIS Docker Benchmark"},
    {"lint", cmd_lint, "lint Dockerfiles: BuildKit syntax, hadolint and Bulkhead rules"},
    {"scan", cmd_scan, "find known vulnerabilities and risky configuration in images"},
    {"db", cmd_db, "import, update and inspect the vulnerability database"},
    {"sbom", cmd_sbom, "write an image's packages as CycloneDX or SPDX"},
};

static void usage(FILE *out)
{
        fputs("Usage: bulkhead COMMAND [OPTIONS]\n"
              "       bulkhead --version | --help\n\n"
              "Bulkhead puts the ten security steps for Docker into one toolkit.\n\n"
              "Commands:\n",
              out);
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
                fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
        fputs("\nRun 'bulkhead COMMAND --help' for the options of a command.\n"
              "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error,\n"
              "3 could not do the job.\n",
              out);
}

int main(int argc, char **argv)
{
        /* No fastbins: a report of thousands of findings is freed in one go,
         * and with fastbins glibc consolidated them again and again on the
         * way (a seventh of a scan's time in bench/scan). tcache still serves
         * the small allocations. */
        mallopt(M_MXFAST, 0);
        const char *log = getenv("BULKHEAD_LOG");
        if (log && *log) {
                static const char *const levels[] = {"error", "warn", "info", "debug"};
                size_t i = 0;
                while (i < BH_ARRAY_SIZE(levels) && strcmp(log, levels[i]) != 0)
                        i++;
                if (i < BH_ARRAY_SIZE(levels))
                        bh_log_threshold = (enum bh_log_level)i;
                else
                        bh_warn("BULKHEAD_LOG=%s: not error, warn, info or debug (ignored)", log);
        }
        if (argc < 2) {
                usage(stderr);
                return BH_EXIT_USAGE;
        }
        const char *name = argv[1];
        if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
                usage(stdout);
                return BH_EXIT_OK;
        }
        if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0 ||
            strcmp(name, "version") == 0) {
                printf("bulkhead %s\n", BH_VERSION);
                return BH_EXIT_OK;
        }
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
                if (strcmp(name, commands[i].name) == 0)
                        return commands[i].run(argc - 1, argv + 1);
        fprintf(stderr, "bulkhead: '%s' is not a command.\n\n", name);
        usage(stderr);
        return BH_EXIT_USAGE;
}
