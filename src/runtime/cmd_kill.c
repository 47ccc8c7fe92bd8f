/* kill [--all] ID [SIGNAL]: names (TERM, SIGKILL) and numbers. */
#include "runtime/commands.h"

#include <signal.h>

int cmd_kill(const struct rt_global *g, int argc, char **argv)
{
        static const struct option opts[] = {
            {"all", no_argument, NULL, 'a'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
        bool all = false;
        int c;
        rt_getopt_reset();
        while ((c = getopt_long(argc, argv, "+ah", opts, NULL)) != -1) {
                if (c == 'a') {
                        all = true;
                } else if (c == 'h') {
                        rt_command_usage("kill", stdout);
                        return 0;
                } else {
                        return rt_usage_error("kill", "unknown flag %s", argv[optind - 1]);
                }
        }
        if (optind != argc - 1 && optind != argc - 2)
                return rt_usage_error("kill", "give a container id and optionally a signal");
        const char *id = argv[optind];
        int sig = SIGTERM;
        if (optind == argc - 2 && (sig = rt_signal_from_name(argv[optind + 1])) < 0)
                return rt_usage_error("kill", "unknown signal \"%s\"", argv[optind + 1]);
        struct bh_error err = {0};
        return rt_kill(g, id, sig, all, &err) < 0 ? rt_fail(&err) : 0;
}
