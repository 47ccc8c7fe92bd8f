/* update: new resource limits for a running container, as linux.resources
 * JSON (--resources FILE, "-" for stdin: what containerd sends) or flags. */
#include "runtime/commands.h"
#include "runtime/cgroup.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "64m", "1g", "1024", "-1" */
static bool parse_size(const char *s, int64_t *out)
{
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (end == s || errno)
                return false;
        int64_t mult = 1;
        switch (*end) {
        case 'k':
        case 'K':
                mult = 1024;
                end++;
                break;
        case 'm':
        case 'M':
                mult = 1024 * 1024;
                end++;
                break;
        case 'g':
        case 'G':
                mult = 1024LL * 1024 * 1024;
                end++;
                break;
        default:
                break;
        }
        if (*end == 'b' || *end == 'B')
                end++;
        if (*end)
                return false;
        *out = v < 0 ? v : v * mult;
        return true;
}

struct flag_target {
        const char *flag, *group, *member;
        bool size, string;
};

static const struct flag_target targets[] = {
    {"memory", "memory", "limit", true, false},
    {"memory-swap", "memory", "swap", true, false},
    {"memory-reservation", "memory", "reservation", true, false},
    {"kernel-memory", "memory", "kernel", true, false},
    {"kernel-memory-tcp", "memory", "kernelTCP", true, false},
    {"cpu-shares", "cpu", "shares", false, false},
    {"cpu-period", "cpu", "period", false, false},
    {"cpu-quota", "cpu", "quota", false, false},
    {"cpu-rt-period", "cpu", "realtimePeriod", false, false},
    {"cpu-rt-runtime", "cpu", "realtimeRuntime", false, false},
    {"cpuset-cpus", "cpu", "cpus", false, true},
    {"cpuset-mems", "cpu", "mems", false, true},
    {"pids-limit", "pids", "limit", false, false},
    {"blkio-weight", "blockIO", "weight", false, false},
};

static int set_flag(json_t *res, const struct flag_target *t, const char *value)
{
        json_t *group = json_object_get(res, t->group);
        if (!group) {
                group = json_object();
                json_object_set_new(res, t->group, group);
        }
        if (t->string) {
                json_object_set_new(group, t->member, json_string(value));
                return 0;
        }
        int64_t v;
        if (!parse_size(value, &v) || (!t->size && strpbrk(value, "kKmMgGbB")))
                return -EINVAL;
        json_object_set_new(group, t->member, json_integer(v));
        return 0;
}

int cmd_update(const struct rt_global *g, int argc, char **argv)
{
        struct option opts[BH_ARRAY_SIZE(targets) + 5];
        size_t n = 0;
        for (size_t i = 0; i < BH_ARRAY_SIZE(targets); i++)
                opts[n++] =
                    (struct option){targets[i].flag, required_argument, NULL, 1000 + (int)i};
        opts[n++] = (struct option){"resources", required_argument, NULL, 'r'};
        opts[n++] = (struct option){"l3-cache-schema", required_argument, NULL, 'L'};
        opts[n++] = (struct option){"mem-bw-schema", required_argument, NULL, 'L'};
        opts[n++] = (struct option){"help", no_argument, NULL, 'h'};
        opts[n] = (struct option){NULL, 0, NULL, 0};
        const char *file = NULL;
        _cleanup_json_ json_t *flags = json_object();
        int c;
        rt_getopt_reset();
        while ((c = getopt_long(argc, argv, "+r:h", opts, NULL)) != -1) {
                if (c >= 1000) {
                        const struct flag_target *t = &targets[c - 1000];
                        if (set_flag(flags, t, optarg) < 0)
                                return rt_usage_error("update", "--%s %s: not a %s", t->flag,
                                                      optarg, t->size ? "size" : "number");
                } else if (c == 'r') {
                        file = optarg;
                } else if (c == 'L') {
                        return rt_usage_error("update", "Intel RDT is not supported");
                } else if (c == 'h') {
                        rt_command_usage("update", stdout);
                        return 0;
                } else {
                        return rt_usage_error("update", "unknown flag %s", argv[optind - 1]);
                }
        }
        if (optind != argc - 1)
                return rt_usage_error("update", "give exactly one container id");
        struct bh_error err = {0};
        _cleanup_json_ json_t *res = NULL;
        if (file) {
                _cleanup_free_ char *data = NULL;
                size_t len = 0;
                int r = strcmp(file, "-") == 0 ? bh_read_fd(0, "stdin", 1 << 20, &data, &len, &err)
                                               : bh_read_file(file, 1 << 20, &data, &len, &err);
                if (r < 0)
                        return rt_fail(&err);
                res = bh_json_parse(data, len, strcmp(file, "-") == 0 ? "stdin" : file, &err);
                if (!res)
                        return rt_fail(&err);
        } else {
                res = json_incref(flags);
        }
        /* flags given with --resources override what the file says */
        const char *k;
        json_t *v;
        json_object_foreach(flags, k, v)
        {
                json_t *group = json_object_get(res, k);
                if (json_is_object(group) && group != v)
                        json_object_update(group, v);
                else if (group != v)
                        json_object_set(res, k, v);
        }
        if (rt_resources_validate(res, "resources", &err) < 0)
                return rt_fail(&err);
        struct rt_state st;
        enum rt_status status;
        if (rt_load(g, argv[optind], &st, &status, &err) < 0)
                return rt_fail(&err);
        int r = 0;
        if (status == RT_STOPPED)
                r = bh_error_set(&err, ESRCH, "container not running");
        else if (st.cgroup.mode == RT_CGROUP_NONE)
                r = bh_error_set(&err, ENOTSUP,
                                 "container %s has no cgroup (rootless on cgroup v1): nothing to "
                                 "update",
                                 st.id);
        else
                r = rt_cgroup_apply(&st.cgroup, res, &err);
        rt_state_free(&st);
        return r < 0 ? rt_fail(&err) : 0;
}
