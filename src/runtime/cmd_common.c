/* Argument handling shared by the commands. */
#include "runtime/commands.h"

static const struct option help_only[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};

/* The commands that take only an id. */
int rt_id_only_args(const char *name, int argc, char **argv, const char **id)
{
        int c;
        rt_getopt_reset();
        while ((c = getopt_long(argc, argv, "+h", help_only, NULL)) != -1) {
                if (c == 'h') {
                        rt_command_usage(name, stdout);
                        return 1;
                }
                return rt_usage_error(name, "unknown flag %s", argv[optind - 1]);
        }
        if (optind != argc - 1)
                return rt_usage_error(name, "give exactly one container id");
        *id = argv[optind];
        return 0;
}
