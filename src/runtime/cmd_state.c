/* state: the OCI state of a container as JSON. */
#include "runtime/commands.h"

int cmd_state(const struct rt_global *g, int argc, char **argv)
{
        const char *id;
        int r = rt_id_only_args("state", argc, argv, &id);
        if (r)
                return r == 1 ? 0 : r;
        struct bh_error err = {0};
        struct rt_state st;
        enum rt_status status;
        if (rt_load(g, id, &st, &status, &err) < 0)
                return rt_fail(&err);
        json_t *j = rt_state_to_oci(&st, status);
        json_dumpf(j, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(j);
        rt_state_free(&st);
        return 0;
}
