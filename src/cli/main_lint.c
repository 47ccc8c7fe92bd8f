/* bulkhead-lint: `bulkhead lint` as a program of its own. It links only
 * what linting needs (jansson, libyaml, libc): the toolkit's binary also
 * loads libcurl, libarchive and libcrypto with some forty shared objects
 * behind them, about 10 ms of start-up on every run, which editors and
 * pre-commit hooks that lint one file at a time would pay each time. */
#include "cli/cli.h"
#include "bh_config.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
        if (argc == 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
                printf("bulkhead-lint %s\n", BH_VERSION);
                return BH_EXIT_OK;
        }
        return cmd_lint(argc, argv);
}
