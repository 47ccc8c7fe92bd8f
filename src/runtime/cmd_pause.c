/* pause and resume: freeze and thaw the container's cgroup. */
#include "runtime/commands.h"

int cmd_pause(const struct rt_global *g, int argc, char **argv)
{
        const char *id;
        int r = rt_id_only_args("pause", argc, argv, &id);
        if (r)
                return r == 1 ? 0 : r;
        struct bh_error err = {0};
        return rt_pause(g, id, true, &err) < 0 ? rt_fail(&err) : 0;
}

int cmd_resume(const struct rt_global *g, int argc, char **argv)
{
        const char *id;
        int r = rt_id_only_args("resume", argc, argv, &id);
        if (r)
                return r == 1 ? 0 : r;
        struct bh_error err = {0};
        return rt_pause(g, id, false, &err) < 0 ? rt_fail(&err) : 0;
}
