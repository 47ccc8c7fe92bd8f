/* linux.resources -> cgroup files, for v1 and v2 (hybrid writes each
 * controller where it is mounted). On `update`, members that are absent, or
 * zero where zero means "not set" in runc's reading of the spec, are left
 * alone. */
#include "runtime/cgroup_internal.h"
#include "runtime/log.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- validation ---- */

static int vbad(struct bh_error *err, const char *where, const char *member, const char *what)
{
        return bh_error_set(err, EINVAL, "%s.%s: %s", where, member, what);
}

static int check_ints(const json_t *obj, const char *where, const char *const *names,
                      struct bh_error *err)
{
        for (size_t i = 0; names[i]; i++) {
                json_t *v = json_object_get(obj, names[i]);
                if (v && !json_is_null(v) && !json_is_integer(v))
                        return vbad(err, where, names[i], "must be an integer");
        }
        return 0;
}

static int check_cpu_list(const json_t *v, const char *where, const char *member,
                          struct bh_error *err)
{
        if (!v || json_is_null(v))
                return 0;
        const char *s = json_string_value(v);
        if (!s || strspn(s, "0123456789,-") != strlen(s))
                return vbad(err, where, member, "must be a list such as \"0-2,4\"");
        return 0;
}

static int check_device_list(const json_t *arr, const char *where, const char *member, bool rate,
                             struct bh_error *err)
{
        if (!arr || json_is_null(arr))
                return 0;
        if (!json_is_array(arr))
                return vbad(err, where, member, "must be an array");
        size_t i;
        json_t *d;
        json_array_foreach(arr, i, d)
        {
                if (!json_is_integer(json_object_get(d, "major")) ||
                    !json_is_integer(json_object_get(d, "minor")))
                        return vbad(err, where, member, "entries need major and minor");
                if (rate && !json_is_integer(json_object_get(d, "rate")))
                        return vbad(err, where, member, "entries need a rate");
        }
        return 0;
}

static int check_devices(const json_t *arr, const char *where, struct bh_error *err)
{
        if (!arr || json_is_null(arr))
                return 0;
        if (!json_is_array(arr))
                return vbad(err, where, "devices", "must be an array");
        size_t i;
        json_t *d;
        json_array_foreach(arr, i, d)
        {
                char w[64];
                snprintf(w, sizeof w, "%s.devices[%zu]", where, i);
                if (!json_is_boolean(json_object_get(d, "allow")))
                        return vbad(err, w, "allow", "is required (true or false)");
                const char *t = json_string_value(json_object_get(d, "type"));
                if (json_object_get(d, "type") && !json_is_null(json_object_get(d, "type")) &&
                    (!t || strlen(t) != 1 || !strchr("acb", t[0])))
                        return vbad(err, w, "type", "must be a, c or b");
                const char *a = json_string_value(json_object_get(d, "access"));
                if (json_object_get(d, "access") && (!a || strspn(a, "rwm") != strlen(a)))
                        return vbad(err, w, "access", "must be letters of \"rwm\"");
                static const char *const nums[] = {"major", "minor", NULL};
                if (check_ints(d, w, nums, err) < 0)
                        return -EINVAL;
        }
        return 0;
}

int rt_resources_validate(const json_t *res, const char *where, struct bh_error *err)
{
        if (!res || json_is_null(res))
                return 0;
        if (!json_is_object(res))
                return bh_error_set(err, EINVAL, "%s: must be an object", where);
        char w[96];
        json_t *mem = json_object_get(res, "memory");
        snprintf(w, sizeof w, "%s.memory", where);
        static const char *const mem_ints[] = {"limit",     "reservation", "swap", "kernel",
                                               "kernelTCP", "swappiness",  NULL};
        if (check_ints(mem, w, mem_ints, err) < 0)
                return -EINVAL;
        json_t *sw = json_object_get(mem, "swappiness");
        if (json_is_integer(sw) && (json_integer_value(sw) < -1 || json_integer_value(sw) > 100))
                return vbad(err, w, "swappiness", "must be from 0 to 100");
        json_t *cpu = json_object_get(res, "cpu");
        snprintf(w, sizeof w, "%s.cpu", where);
        static const char *const cpu_ints[] = {
            "shares",         "quota", "period", "realtimeRuntime",
            "realtimePeriod", "burst", "idle",   NULL};
        if (check_ints(cpu, w, cpu_ints, err) < 0 ||
            check_cpu_list(json_object_get(cpu, "cpus"), w, "cpus", err) < 0 ||
            check_cpu_list(json_object_get(cpu, "mems"), w, "mems", err) < 0)
                return -EINVAL;
        snprintf(w, sizeof w, "%s.pids", where);
        static const char *const pid_ints[] = {"limit", NULL};
        if (check_ints(json_object_get(res, "pids"), w, pid_ints, err) < 0)
                return -EINVAL;
        json_t *bio = json_object_get(res, "blockIO");
        snprintf(w, sizeof w, "%s.blockIO", where);
        static const char *const bio_ints[] = {"weight", "leafWeight", NULL};
        if (check_ints(bio, w, bio_ints, err) < 0 ||
            check_device_list(json_object_get(bio, "weightDevice"), w, "weightDevice", false, err) <
                0 ||
            check_device_list(json_object_get(bio, "throttleReadBpsDevice"), w,
                              "throttleReadBpsDevice", true, err) < 0 ||
            check_device_list(json_object_get(bio, "throttleWriteBpsDevice"), w,
                              "throttleWriteBpsDevice", true, err) < 0 ||
            check_device_list(json_object_get(bio, "throttleReadIOPSDevice"), w,
                              "throttleReadIOPSDevice", true, err) < 0 ||
            check_device_list(json_object_get(bio, "throttleWriteIOPSDevice"), w,
                              "throttleWriteIOPSDevice", true, err) < 0)
                return -EINVAL;
        size_t i;
        json_t *h;
        json_array_foreach(json_object_get(res, "hugepageLimits"), i, h)
        {
                const char *ps = json_string_value(json_object_get(h, "pageSize"));
                size_t digits = ps ? strspn(ps, "0123456789") : 0;
                if (!ps || digits == 0 || strlen(ps) != digits + 2 || !strchr("KMG", ps[digits]) ||
                    ps[digits + 1] != 'B' || !json_is_integer(json_object_get(h, "limit")))
                        return vbad(err, where, "hugepageLimits",
                                    "entries need a pageSize such as \"2MB\" and a limit");
        }
        if (check_devices(json_object_get(res, "devices"), where, err) < 0)
                return -EINVAL;
        json_t *uni = json_object_get(res, "unified");
        if (uni && !json_is_null(uni)) {
                if (!json_is_object(uni))
                        return vbad(err, where, "unified", "must be an object of strings");
                const char *k;
                json_t *v;
                json_object_foreach(uni, k, v)
                {
                        if (!json_is_string(v) || !*k || strchr(k, '/') || k[0] == '.' ||
                            !strchr(k, '.'))
                                return vbad(err, where, "unified",
                                            "keys must be cgroup file names (\"memory.high\") and "
                                            "values strings");
                }
        }
        return 0;
}

/* ---- writing ---- */

struct writer {
        const struct rt_cgroup *cg;
        struct bh_error *err;
};

static bool get_i64(const json_t *obj, const char *path, int64_t *out)
{
        json_t *v = bh_json_get(obj, path);
        if (!json_is_integer(v))
                return false;
        *out = json_integer_value(v);
        return true;
}

static const char *v1_dir(const struct writer *w, const char *controller)
{
        return w->cg->mode == RT_CGROUP_V2 ? NULL : rt_cgroup_dir_of(w->cg, controller);
}

/* The cgroup2 directory when the controller is enabled there. */
static const char *v2_dir(const struct writer *w, const char *controller)
{
        const char *dir = rt_cgroup_dir_of(w->cg, "");
        if (!dir)
                return NULL;
        _cleanup_free_ char *ctrl = NULL;
        if (rt_cg_read(dir, "cgroup.controllers", &ctrl, NULL) < 0)
                return NULL;
        for (char *c = strtok(ctrl, " \n"); c; c = strtok(NULL, " \n"))
                if (strcmp(c, controller) == 0)
                        return dir;
        return NULL;
}

static int put(struct writer *w, const char *dir, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int put(struct writer *w, const char *dir, const char *file, const char *fmt, ...)
{
        char value[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(value, sizeof value, fmt, ap);
        va_end(ap);
        return rt_cg_write(dir, file, value, w->err);
}

static int missing(struct writer *w, const char *what, const char *controller)
{
        return bh_error_set(w->err, ENOTSUP,
                            "linux.resources.%s: the %s cgroup controller is not available here",
                            what, controller);
}

static int memory_v1(struct writer *w, const json_t *m, const char *dir)
{
        int64_t limit = 0, swap = 0, v;
        bool has_limit = get_i64(m, "limit", &limit) && limit != 0;
        bool has_swap = get_i64(m, "swap", &swap) && swap != 0;
        if (has_swap && !rt_cg_has_file(dir, "memory.memsw.limit_in_bytes")) {
                rt_warn("linux.resources.memory.swap ignored: this kernel does not account swap "
                        "(swapaccount=1)");
                has_swap = false;
        }
        if (has_limit) {
                /* memory.limit must stay below memsw: write in the order that keeps it so */
                if (put(w, dir, "memory.limit_in_bytes", "%" PRId64, limit) < 0) {
                        if (!has_swap)
                                return -EIO;
                        if (put(w, dir, "memory.memsw.limit_in_bytes", "%" PRId64, swap) < 0 ||
                            put(w, dir, "memory.limit_in_bytes", "%" PRId64, limit) < 0)
                                return -EIO;
                }
        }
        if (has_swap && put(w, dir, "memory.memsw.limit_in_bytes", "%" PRId64, swap) < 0)
                return -EIO;
        if (get_i64(m, "reservation", &v) && v != 0 &&
            put(w, dir, "memory.soft_limit_in_bytes", "%" PRId64, v) < 0)
                return -EIO;
        if (get_i64(m, "kernelTCP", &v) && v != 0 &&
            rt_cg_has_file(dir, "memory.kmem.tcp.limit_in_bytes") &&
            put(w, dir, "memory.kmem.tcp.limit_in_bytes", "%" PRId64, v) < 0)
                return -EIO;
        if (get_i64(m, "swappiness", &v) && v >= 0 && v <= 100 &&
            put(w, dir, "memory.swappiness", "%" PRId64, v) < 0)
                return -EIO;
        bool b;
        if (bh_json_bool_opt(m, "disableOOMKiller", &b) && b &&
            put(w, dir, "memory.oom_control", "1") < 0)
                return -EIO;
        return 0;
}

static int memory_v2(struct writer *w, const json_t *m, const char *dir)
{
        int64_t limit = 0, swap = 0, v;
        bool has_limit = get_i64(m, "limit", &limit) && limit != 0;
        bool has_swap = get_i64(m, "swap", &swap) && swap != 0;
        if (has_limit) {
                if (limit < 0 ? put(w, dir, "memory.max", "max") < 0
                              : put(w, dir, "memory.max", "%" PRId64, limit) < 0)
                        return -EIO;
        }
        if (has_swap && rt_cg_has_file(dir, "memory.swap.max")) {
                /* the spec's swap is memory+swap; v2 limits swap alone */
                if (swap < 0 || (has_limit && limit < 0)) {
                        if (put(w, dir, "memory.swap.max", "max") < 0)
                                return -EIO;
                } else {
                        if (!has_limit || swap < limit)
                                return bh_error_set(w->err, EINVAL,
                                                    "linux.resources.memory.swap (%" PRId64
                                                    ") must be at least the memory limit",
                                                    swap);
                        if (put(w, dir, "memory.swap.max", "%" PRId64, swap - limit) < 0)
                                return -EIO;
                }
        }
        if (get_i64(m, "reservation", &v) && v != 0 &&
            (v < 0 ? put(w, dir, "memory.low", "max") : put(w, dir, "memory.low", "%" PRId64, v)) <
                0)
                return -EIO;
        bool b;
        if (bh_json_bool_opt(m, "disableOOMKiller", &b) && b)
                return bh_error_set(w->err, ENOTSUP,
                                    "linux.resources.memory.disableOOMKiller: cgroup v2 cannot "
                                    "disable the OOM killer");
        return 0;
}

static int memory(struct writer *w, const json_t *m)
{
        if (!json_is_object(m) || json_object_size(m) == 0)
                return 0;
        const char *d = v1_dir(w, "memory");
        if (d)
                return memory_v1(w, m, d);
        if ((d = v2_dir(w, "memory")))
                return memory_v2(w, m, d);
        return missing(w, "memory", "memory");
}

static int cpuset(struct writer *w, const json_t *c)
{
        const char *cpus = json_string_value(json_object_get(c, "cpus"));
        const char *mems = json_string_value(json_object_get(c, "mems"));
        if ((!cpus || !*cpus) && (!mems || !*mems))
                return 0;
        const char *d = v1_dir(w, "cpuset");
        if (!d)
                d = v2_dir(w, "cpuset");
        if (!d)
                return missing(w, "cpu.cpus", "cpuset");
        if (cpus && *cpus && put(w, d, "cpuset.cpus", "%s", cpus) < 0)
                return -EIO;
        if (mems && *mems && put(w, d, "cpuset.mems", "%s", mems) < 0)
                return -EIO;
        return 0;
}

static int cpu_v1(struct writer *w, const json_t *c, const char *d)
{
        int64_t v;
        if (get_i64(c, "shares", &v) && v != 0 && put(w, d, "cpu.shares", "%" PRId64, v) < 0)
                return -EIO;
        if (get_i64(c, "period", &v) && v != 0 && put(w, d, "cpu.cfs_period_us", "%" PRId64, v) < 0)
                return -EIO;
        if (get_i64(c, "quota", &v) && v != 0 && put(w, d, "cpu.cfs_quota_us", "%" PRId64, v) < 0)
                return -EIO;
        if (get_i64(c, "burst", &v) && put(w, d, "cpu.cfs_burst_us", "%" PRId64, v) < 0)
                return -EIO;
        if (get_i64(c, "realtimePeriod", &v) && v != 0 &&
            put(w, d, "cpu.rt_period_us", "%" PRId64, v) < 0)
                return -EIO;
        if (get_i64(c, "realtimeRuntime", &v) && v != 0 &&
            put(w, d, "cpu.rt_runtime_us", "%" PRId64, v) < 0)
                return -EIO;
        if (get_i64(c, "idle", &v) && put(w, d, "cpu.idle", "%" PRId64, v) < 0)
                return -EIO;
        return 0;
}

static int cpu_v2(struct writer *w, const json_t *c, const char *d)
{
        int64_t shares, quota = 0, period = 0, v;
        if (get_i64(c, "shares", &shares) && shares != 0) {
                /* shares 2..262144 onto weight 1..10000 */
                if (shares < 2)
                        shares = 2;
                if (shares > 262144)
                        shares = 262144;
                if (put(w, d, "cpu.weight", "%" PRId64, 1 + ((shares - 2) * 9999) / 262142) < 0)
                        return -EIO;
        }
        bool has_quota = get_i64(c, "quota", &quota) && quota != 0;
        bool has_period = get_i64(c, "period", &period) && period != 0;
        if (has_quota || has_period) {
                if (!has_period)
                        period = 100000;
                char q[32];
                if (has_quota && quota > 0)
                        snprintf(q, sizeof q, "%" PRId64, quota);
                else
                        snprintf(q, sizeof q, "max");
                if (put(w, d, "cpu.max", "%s %" PRId64, q, period) < 0)
                        return -EIO;
        }
        if (get_i64(c, "burst", &v) && put(w, d, "cpu.max.burst", "%" PRId64, v) < 0)
                return -EIO;
        if (get_i64(c, "idle", &v) && put(w, d, "cpu.idle", "%" PRId64, v) < 0)
                return -EIO;
        if ((get_i64(c, "realtimeRuntime", &v) && v != 0) ||
            (get_i64(c, "realtimePeriod", &v) && v != 0))
                return bh_error_set(w->err, ENOTSUP,
                                    "linux.resources.cpu.realtime*: cgroup v2 has no real-time "
                                    "CPU limits");
        return 0;
}

static bool cpu_wanted(const json_t *c)
{
        static const char *const keys[] = {"shares",         "quota",           "period", "burst",
                                           "realtimePeriod", "realtimeRuntime", "idle"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(keys); i++) {
                json_t *v = json_object_get(c, keys[i]);
                if (json_is_integer(v) && (json_integer_value(v) != 0 || !strcmp(keys[i], "idle") ||
                                           !strcmp(keys[i], "burst")))
                        return true;
        }
        return false;
}

static int cpu(struct writer *w, const json_t *c)
{
        if (!json_is_object(c))
                return 0;
        if (cpuset(w, c) < 0)
                return -EIO;
        if (!cpu_wanted(c))
                return 0;
        const char *d = v1_dir(w, "cpu");
        if (d)
                return cpu_v1(w, c, d);
        if ((d = v2_dir(w, "cpu")))
                return cpu_v2(w, c, d);
        return missing(w, "cpu", "cpu");
}

static int pids(struct writer *w, const json_t *p)
{
        int64_t v;
        if (!get_i64(p, "limit", &v) || v == 0)
                return 0;
        const char *d = v1_dir(w, "pids");
        if (!d)
                d = v2_dir(w, "pids");
        if (!d)
                return missing(w, "pids.limit", "pids");
        return v < 0 ? put(w, d, "pids.max", "max") : put(w, d, "pids.max", "%" PRId64, v);
}

static int blkio_devices(struct writer *w, const char *d, const json_t *arr, const char *file,
                         const char *key)
{
        size_t i;
        json_t *e;
        json_array_foreach(arr, i, e)
        {
                int64_t major = json_integer_value(json_object_get(e, "major"));
                int64_t minor = json_integer_value(json_object_get(e, "minor"));
                int64_t v = json_integer_value(json_object_get(e, key));
                if (put(w, d, file, "%" PRId64 ":%" PRId64 " %" PRId64, major, minor, v) < 0)
                        return -EIO;
        }
        return 0;
}

static int blkio_v1(struct writer *w, const json_t *b, const char *d)
{
        int64_t v;
        if (get_i64(b, "weight", &v) && v != 0) {
                const char *f =
                    rt_cg_has_file(d, "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
                if (put(w, d, f, "%" PRId64, v) < 0)
                        return -EIO;
        }
        if (get_i64(b, "leafWeight", &v) && v != 0 &&
            put(w, d, "blkio.leaf_weight", "%" PRId64, v) < 0)
                return -EIO;
        static const char *const thr[][2] = {
            {"throttleReadBpsDevice", "blkio.throttle.read_bps_device"},
            {"throttleWriteBpsDevice", "blkio.throttle.write_bps_device"},
            {"throttleReadIOPSDevice", "blkio.throttle.read_iops_device"},
            {"throttleWriteIOPSDevice", "blkio.throttle.write_iops_device"}};
        if (blkio_devices(w, d, json_object_get(b, "weightDevice"),
                          rt_cg_has_file(d, "blkio.weight_device") ? "blkio.weight_device"
                                                                   : "blkio.bfq.weight_device",
                          "weight") < 0)
                return -EIO;
        for (size_t i = 0; i < BH_ARRAY_SIZE(thr); i++)
                if (blkio_devices(w, d, json_object_get(b, thr[i][0]), thr[i][1], "rate") < 0)
                        return -EIO;
        return 0;
}

static int blkio_v2(struct writer *w, const json_t *b, const char *d)
{
        int64_t v;
        if (get_i64(b, "weight", &v) && v != 0) {
                /* blkio 10..1000 onto io 1..10000 */
                int64_t iow = 1 + (v - 10) * 9999 / 990;
                if (rt_cg_has_file(d, "io.bfq.weight")) {
                        if (put(w, d, "io.bfq.weight", "%" PRId64, v) < 0)
                                return -EIO;
                } else if (put(w, d, "io.weight", "default %" PRId64, iow) < 0) {
                        return -EIO;
                }
        }
        static const char *const thr[][2] = {{"throttleReadBpsDevice", "rbps"},
                                             {"throttleWriteBpsDevice", "wbps"},
                                             {"throttleReadIOPSDevice", "riops"},
                                             {"throttleWriteIOPSDevice", "wiops"}};
        for (size_t i = 0; i < BH_ARRAY_SIZE(thr); i++) {
                size_t k;
                json_t *e;
                json_array_foreach(json_object_get(b, thr[i][0]), k, e)
                {
                        if (put(w, d, "io.max", "%" PRId64 ":%" PRId64 " %s=%" PRId64,
                                (int64_t)json_integer_value(json_object_get(e, "major")),
                                (int64_t)json_integer_value(json_object_get(e, "minor")), thr[i][1],
                                (int64_t)json_integer_value(json_object_get(e, "rate"))) < 0)
                                return -EIO;
                }
        }
        return 0;
}

static bool blkio_wanted(const json_t *b)
{
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)b, k, v)
        {
                if ((json_is_integer(v) && json_integer_value(v) != 0) || json_array_size(v) > 0)
                        return true;
        }
        return false;
}

static int blkio(struct writer *w, const json_t *b)
{
        if (!json_is_object(b) || !blkio_wanted(b))
                return 0;
        const char *d = v1_dir(w, "blkio");
        if (d)
                return blkio_v1(w, b, d);
        if ((d = v2_dir(w, "io")))
                return blkio_v2(w, b, d);
        return missing(w, "blockIO", "blkio/io");
}

static int hugetlb(struct writer *w, const json_t *arr)
{
        size_t i;
        json_t *h;
        json_array_foreach(arr, i, h)
        {
                const char *ps = json_string_value(json_object_get(h, "pageSize"));
                int64_t limit = json_integer_value(json_object_get(h, "limit"));
                char file[64];
                const char *d = v1_dir(w, "hugetlb");
                if (d) {
                        snprintf(file, sizeof file, "hugetlb.%s.limit_in_bytes", ps);
                } else if ((d = v2_dir(w, "hugetlb"))) {
                        snprintf(file, sizeof file, "hugetlb.%s.max", ps);
                } else {
                        return missing(w, "hugepageLimits", "hugetlb");
                }
                if (!rt_cg_has_file(d, file))
                        return bh_error_set(w->err, EINVAL,
                                            "linux.resources.hugepageLimits: this machine has no "
                                            "%s huge pages",
                                            ps);
                if (put(w, d, file, "%" PRId64, limit) < 0)
                        return -EIO;
        }
        return 0;
}

static int network(struct writer *w, const json_t *n)
{
        int64_t v;
        if (get_i64(n, "classID", &v) && v != 0) {
                const char *d = v1_dir(w, "net_cls");
                if (!d)
                        return missing(w, "network.classID", "net_cls");
                if (put(w, d, "net_cls.classid", "%" PRId64, v) < 0)
                        return -EIO;
        }
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(n, "priorities"), i, p)
        {
                const char *d = v1_dir(w, "net_prio");
                if (!d)
                        return missing(w, "network.priorities", "net_prio");
                const char *name = json_string_value(json_object_get(p, "name"));
                if (!name || strpbrk(name, " \n/"))
                        return bh_error_set(w->err, EINVAL,
                                            "linux.resources.network.priorities[%zu].name: not an "
                                            "interface name",
                                            i);
                if (put(w, d, "net_prio.ifpriomap", "%s %" PRId64, name,
                        (int64_t)json_integer_value(json_object_get(p, "priority"))) < 0)
                        return -EIO;
        }
        return 0;
}

static int unified(struct writer *w, const json_t *u)
{
        if (!json_is_object(u) || json_object_size(u) == 0)
                return 0;
        const char *d = rt_cgroup_dir_of(w->cg, "");
        if (!d)
                return bh_error_set(w->err, ENOTSUP,
                                    "linux.resources.unified needs cgroup v2, and this machine "
                                    "has no cgroup2 hierarchy");
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)u, k, v)
        {
                if (put(w, d, k, "%s", json_string_value(v)) < 0)
                        return bh_error_prefix(w->err, "linux.resources.unified.%s", k);
        }
        return 0;
}

static int devices_v1(struct writer *w, const json_t *rules, const char *d)
{
        size_t i;
        json_t *r;
        json_array_foreach(rules, i, r)
        {
                const char *t = json_string_value(json_object_get(r, "type"));
                const char *a = json_string_value(json_object_get(r, "access"));
                json_t *maj = json_object_get(r, "major"), *min = json_object_get(r, "minor");
                char smaj[24] = "*", smin[24] = "*";
                if (json_is_integer(maj) && json_integer_value(maj) >= 0)
                        snprintf(smaj, sizeof smaj, "%lld", json_integer_value(maj));
                if (json_is_integer(min) && json_integer_value(min) >= 0)
                        snprintf(smin, sizeof smin, "%lld", json_integer_value(min));
                char line[96];
                if (!t || !*t || t[0] == 'a')
                        snprintf(line, sizeof line, "a");
                else
                        snprintf(line, sizeof line, "%c %s:%s %s", t[0], smaj, smin,
                                 a && *a ? a : "rwm");
                bool allow = json_is_true(json_object_get(r, "allow"));
                if (rt_cg_write(d, allow ? "devices.allow" : "devices.deny", line, w->err) < 0)
                        return -EIO;
        }
        return 0;
}

static int devices(struct writer *w, const json_t *spec_rules)
{
        if (!spec_rules || json_is_null(spec_rules))
                return 0;
        json_t *rules = rt_cgroup_device_rules(spec_rules);
        int r = 0;
        const char *d = v1_dir(w, "devices");
        if (d)
                r = devices_v1(w, rules, d);
        else if (w->cg->mode == RT_CGROUP_V2 && (d = rt_cgroup_dir_of(w->cg, "")))
                r = rt_cgroup_device_filter(d, rules, w->err);
        json_decref(rules);
        return r;
}

int rt_cgroup_apply(const struct rt_cgroup *cg, const json_t *res, struct bh_error *err)
{
        if (cg->mode == RT_CGROUP_NONE || !res)
                return 0;
        struct writer w = {cg, err};
        if (memory(&w, json_object_get(res, "memory")) < 0 ||
            cpu(&w, json_object_get(res, "cpu")) < 0 ||
            pids(&w, json_object_get(res, "pids")) < 0 ||
            blkio(&w, json_object_get(res, "blockIO")) < 0 ||
            hugetlb(&w, json_object_get(res, "hugepageLimits")) < 0 ||
            network(&w, json_object_get(res, "network")) < 0 ||
            devices(&w, json_object_get(res, "devices")) < 0 ||
            unified(&w, json_object_get(res, "unified")) < 0)
                return -EIO;
        return 0;
}
