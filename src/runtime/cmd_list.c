/* list [--format table|json] [--quiet] */
#include "runtime/commands.h"
#include "base/util.h"

#include <dirent.h>
#include <string.h>

int cmd_list(const struct rt_global *g, int argc, char **argv)
{
        static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                             {"quiet", no_argument, NULL, 'q'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        const char *format = "table";
        bool quiet = false;
        int c;
        rt_getopt_reset();
        while ((c = getopt_long(argc, argv, "+f:qh", opts, NULL)) != -1) {
                if (c == 'f') {
                        format = optarg;
                } else if (c == 'q') {
                        quiet = true;
                } else if (c == 'h') {
                        rt_command_usage("list", stdout);
                        return 0;
                } else {
                        return rt_usage_error("list", "unknown flag %s", argv[optind - 1]);
                }
        }
        bool json = strcmp(format, "json") == 0;
        if (!json && strcmp(format, "table") != 0)
                return rt_usage_error("list", "--format must be table or json");
        json_t *all = json_array();
        DIR *d = opendir(g->root);
        struct dirent *e;
        while (d && (e = readdir(d))) {
                if (e->d_name[0] == '.' || rt_id_check(e->d_name, NULL) < 0)
                        continue;
                struct rt_state st;
                enum rt_status status;
                if (rt_load(g, e->d_name, &st, &status, NULL) < 0)
                        continue;
                json_array_append_new(all, rt_state_to_oci(&st, status));
                rt_state_free(&st);
        }
        if (d)
                closedir(d);
        size_t i;
        json_t *s;
        if (json) {
                json_dumpf(all, stdout, JSON_COMPACT);
                fputc('\n', stdout);
        } else if (quiet) {
                json_array_foreach(all, i, s) puts(json_string_value(json_object_get(s, "id")));
        } else {
                printf("%-20s %-8s %-10s %-40s %-32s %s\n", "ID", "PID", "STATUS", "BUNDLE",
                       "CREATED", "OWNER");
                json_array_foreach(all, i, s)
                {
                        printf("%-20s %-8lld %-10s %-40s %-32s %s\n",
                               json_string_value(json_object_get(s, "id")),
                               json_integer_value(json_object_get(s, "pid")),
                               json_string_value(json_object_get(s, "status")),
                               json_string_value(json_object_get(s, "bundle")),
                               json_string_value(json_object_get(s, "created")),
                               json_string_value(json_object_get(s, "owner")));
                }
        }
        json_decref(all);
        return 0;
}
