/* delete [--force] ID */
#include "runtime/commands.h"

int cmd_delete(const struct rt_global *g, int argc, char **argv)
{
        static const struct option opts[] = {{"force", no_argument, NULL, 'f'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        bool force = false;
        int c;
        rt_getopt_reset();
        while ((c = getopt_long(argc, argv, "+fh", opts, NULL)) != -1) {
                if (c == 'f') {
                        force = true;
                } else if (c == 'h') {
                        rt_command_usage("delete", stdout);
                        return 0;
                } else {
                        return rt_usage_error("delete", "unknown flag %s", argv[optind - 1]);
                }
        }
        if (optind != argc - 1)
                return rt_usage_error("delete", "give exactly one container id");
        struct bh_error err = {0};
        return rt_delete(g, argv[optind], force, &err) < 0 ? rt_fail(&err) : 0;
}
