/* start: releases a created container's process. */
#include "runtime/commands.h"

int cmd_start(const struct rt_global *g, int argc, char **argv)
{
        const char *id;
        int r = rt_id_only_args("start", argc, argv, &id);
        if (r)
                return r == 1 ? 0 : r;
        struct bh_error err = {0};
        return rt_start(g, id, &err) < 0 ? rt_fail(&err) : 0;
}
