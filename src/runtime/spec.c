/* config.json -> struct rt_spec, with validation. */
#include "runtime/spec.h"
#include "runtime/caps.h"
#include "base/buf.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

const char *const rt_ns_names[RT_NS_COUNT] = {"pid",   "network", "ipc",    "uts",
                                              "mount", "user",    "cgroup", "time"};
const int rt_ns_clone_flags[RT_NS_COUNT] = {CLONE_NEWPID,    CLONE_NEWNET, CLONE_NEWIPC,
                                            CLONE_NEWUTS,    CLONE_NEWNS,  CLONE_NEWUSER,
                                            CLONE_NEWCGROUP, CLONE_NEWTIME};
const char *const rt_ns_proc_names[RT_NS_COUNT] = {"pid", "net",  "ipc",    "uts",
                                                   "mnt", "user", "cgroup", "time"};
const char *const rt_hook_names[RT_HOOK_KINDS] = {
    "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"};

/* ---- typed getters: each names the member in its error ---- */

static int bad(struct bh_error *err, const char *where, const char *key, const char *what)
{
        return bh_error_set(err, EINVAL, "config.json: %s%s%s: %s", where, *where ? "." : "", key,
                            what);
}

static int get_str(const json_t *obj, const char *key, const char *where, bool required, char **out,
                   struct bh_error *err)
{
        json_t *v = json_object_get(obj, key);
        if (!v || json_is_null(v)) {
                *out = NULL;
                return required ? bad(err, where, key, "is required") : 0;
        }
        if (!json_is_string(v))
                return bad(err, where, key, "must be a string");
        if (strlen(json_string_value(v)) != json_string_length(v))
                return bad(err, where, key, "must not contain NUL characters");
        *out = bh_xstrdup(json_string_value(v));
        return 0;
}

static int get_bool(const json_t *obj, const char *key, const char *where, bool *out,
                    struct bh_error *err)
{
        json_t *v = json_object_get(obj, key);
        if (!v || json_is_null(v))
                return 0;
        if (!json_is_boolean(v))
                return bad(err, where, key, "must be true or false");
        *out = json_is_true(v);
        return 0;
}

/* An integer in [min, max]; *has tells whether it was there. */
static int get_int(const json_t *obj, const char *key, const char *where, long long min,
                   long long max, long long *out, bool *has, struct bh_error *err)
{
        json_t *v = json_object_get(obj, key);
        if (has)
                *has = false;
        if (!v || json_is_null(v))
                return 0;
        if (!json_is_integer(v))
                return bad(err, where, key, "must be an integer");
        long long x = json_integer_value(v);
        if (x < min || x > max) {
                char msg[96];
                snprintf(msg, sizeof msg, "%lld is out of range (%lld to %lld)", x, min, max);
                return bad(err, where, key, msg);
        }
        *out = x;
        if (has)
                *has = true;
        return 0;
}

static int get_strv(const json_t *obj, const char *key, const char *where, char ***out,
                    struct bh_error *err)
{
        json_t *v = json_object_get(obj, key);
        *out = NULL;
        if (!v || json_is_null(v))
                return 0;
        if (!json_is_array(v))
                return bad(err, where, key, "must be an array of strings");
        size_t i;
        json_t *e;
        char **list = bh_xcalloc(json_array_size(v) + 1, sizeof *list);
        json_array_foreach(v, i, e)
        {
                if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e)) {
                        bh_strv_free(list);
                        char msg[64];
                        snprintf(msg, sizeof msg, "element %zu must be a string", i);
                        return bad(err, where, key, msg);
                }
                list[i] = bh_xstrdup(json_string_value(e));
        }
        *out = list;
        return 0;
}

static int check_object(const json_t *v, const char *where, const char *key, struct bh_error *err)
{
        if (v && !json_is_null(v) && !json_is_object(v))
                return bad(err, where, key, "must be an object");
        return 0;
}

/* ---- process ---- */

static const struct {
        const char *name;
        int resource;
} rlimit_names[] = {
    {"RLIMIT_CPU", RLIMIT_CPU},           {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_DATA", RLIMIT_DATA},         {"RLIMIT_STACK", RLIMIT_STACK},
    {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},   {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},       {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},     {"RLIMIT_RTTIME", RLIMIT_RTTIME},
};

static int parse_rlimits(const json_t *arr, const char *where, struct rt_process *p,
                         struct bh_error *err)
{
        if (!arr || json_is_null(arr))
                return 0;
        if (!json_is_array(arr))
                return bad(err, where, "rlimits", "must be an array");
        p->rlimits = bh_xcalloc(json_array_size(arr) + 1, sizeof *p->rlimits);
        size_t i;
        json_t *r;
        json_array_foreach(arr, i, r)
        {
                char w[64];
                snprintf(w, sizeof w, "%s.rlimits[%zu]", where, i);
                const char *type = json_string_value(json_object_get(r, "type"));
                int res = -1;
                for (size_t k = 0; type && k < BH_ARRAY_SIZE(rlimit_names); k++)
                        if (strcmp(rlimit_names[k].name, type) == 0)
                                res = rlimit_names[k].resource;
                if (res < 0)
                        return bad(err, w, "type", "unknown resource limit (RLIMIT_NOFILE, ...)");
                for (size_t k = 0; k < p->n_rlimits; k++)
                        if (p->rlimits[k].resource == res)
                                return bad(err, w, "type", "is given twice");
                json_t *soft = json_object_get(r, "soft"), *hard = json_object_get(r, "hard");
                if (!json_is_integer(soft) || !json_is_integer(hard))
                        return bad(err, w, "soft", "soft and hard must be integers");
                /* -1 and values past INT64_MAX arrive negative: unlimited */
                uint64_t s = (uint64_t)json_integer_value(soft);
                uint64_t h = (uint64_t)json_integer_value(hard);
                if (s > h)
                        return bad(err, w, "soft", "is larger than hard");
                p->rlimits[p->n_rlimits++] = (struct rt_rlimit){res, s, h};
        }
        return 0;
}

static int parse_capset(const json_t *caps, const char *where, const char *set, uint64_t *mask,
                        struct bh_error *err)
{
        json_t *v = json_object_get(caps, set);
        *mask = 0;
        if (!v || json_is_null(v))
                return 0;
        if (!json_is_array(v))
                return bad(err, where, set, "must be an array of capability names");
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c)
        {
                int n = rt_cap_from_name(json_string_value(c));
                if (n < 0) {
                        char msg[128];
                        snprintf(msg, sizeof msg, "unknown capability \"%s\"",
                                 json_is_string(c) ? json_string_value(c) : "(not a string)");
                        return bad(err, where, set, msg);
                }
                /* capabilities newer than this kernel are left out, as runc does */
                if (n <= rt_cap_last())
                        *mask |= 1ULL << n;
        }
        return 0;
}

static int parse_user(const json_t *user, const char *where, struct rt_process *p,
                      struct bh_error *err)
{
        char w[64];
        snprintf(w, sizeof w, "%s.user", where);
        if (check_object(user, where, "user", err) < 0)
                return -EINVAL;
        long long v = 0;
        bool has;
        if (get_int(user, "uid", w, 0, UINT32_MAX - 1, &v, &has, err) < 0)
                return -EINVAL;
        p->uid = (uid_t)v;
        v = 0;
        if (get_int(user, "gid", w, 0, UINT32_MAX - 1, &v, &has, err) < 0)
                return -EINVAL;
        p->gid = (gid_t)v;
        if (get_int(user, "umask", w, 0, 0777, &v, &p->has_umask, err) < 0)
                return -EINVAL;
        p->umask = (mode_t)v;
        json_t *gids = json_object_get(user, "additionalGids");
        if (gids && !json_is_null(gids)) {
                if (!json_is_array(gids) || json_array_size(gids) > 65536)
                        return bad(err, w, "additionalGids", "must be an array of group ids");
                p->additional_gids = bh_xcalloc(json_array_size(gids) + 1, sizeof(gid_t));
                size_t i;
                json_t *g;
                json_array_foreach(gids, i, g)
                {
                        if (!json_is_integer(g) || json_integer_value(g) < 0 ||
                            json_integer_value(g) >= UINT32_MAX)
                                return bad(err, w, "additionalGids",
                                           "must be an array of group ids");
                        p->additional_gids[p->n_additional_gids++] = (gid_t)json_integer_value(g);
                }
        }
        if (json_object_get(user, "username"))
                return bad(err, w, "username", "is for Windows; give uid and gid");
        return 0;
}

static const struct {
        const char *name;
        int value;
} sched_policies[] = {{"SCHED_OTHER", 0},   {"SCHED_FIFO", 1}, {"SCHED_RR", 2},
                      {"SCHED_BATCH", 3},   {"SCHED_ISO", 4},  {"SCHED_IDLE", 5},
                      {"SCHED_DEADLINE", 6}};
static const struct {
        const char *name;
        uint64_t value;
} sched_flags[] = {{"SCHED_FLAG_RESET_ON_FORK", 0x01}, {"SCHED_FLAG_RECLAIM", 0x02},
                   {"SCHED_FLAG_DL_OVERRUN", 0x04},    {"SCHED_FLAG_KEEP_POLICY", 0x08},
                   {"SCHED_FLAG_KEEP_PARAMS", 0x10},   {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
                   {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40}};

static int parse_scheduler(const json_t *s, const char *where, struct rt_process *p,
                           struct bh_error *err)
{
        if (!s || json_is_null(s))
                return 0;
        char w[64];
        snprintf(w, sizeof w, "%s.scheduler", where);
        if (!json_is_object(s))
                return bad(err, where, "scheduler", "must be an object");
        const char *pol = json_string_value(json_object_get(s, "policy"));
        p->sched.policy = -1;
        for (size_t i = 0; pol && i < BH_ARRAY_SIZE(sched_policies); i++)
                if (strcmp(pol, sched_policies[i].name) == 0)
                        p->sched.policy = sched_policies[i].value;
        if (p->sched.policy < 0)
                return bad(err, w, "policy", "unknown scheduling policy (SCHED_OTHER, ...)");
        long long v = 0;
        if (get_int(s, "nice", w, -20, 19, &v, NULL, err) < 0)
                return -EINVAL;
        p->sched.nice = (int)v;
        v = 0;
        if (get_int(s, "priority", w, 0, 99, &v, NULL, err) < 0)
                return -EINVAL;
        p->sched.priority = (int)v;
        static const char *const times[] = {"runtime", "deadline", "period"};
        uint64_t *dst[] = {&p->sched.runtime, &p->sched.deadline, &p->sched.period};
        for (size_t i = 0; i < 3; i++) {
                v = 0;
                if (get_int(s, times[i], w, 0, LLONG_MAX, &v, NULL, err) < 0)
                        return -EINVAL;
                *dst[i] = (uint64_t)v;
        }
        size_t i;
        json_t *f;
        json_array_foreach(json_object_get(s, "flags"), i, f)
        {
                bool found = false;
                for (size_t k = 0; k < BH_ARRAY_SIZE(sched_flags); k++)
                        if (bh_streq(json_string_value(f), sched_flags[k].name)) {
                                p->sched.flags |= sched_flags[k].value;
                                found = true;
                        }
                if (!found)
                        return bad(err, w, "flags", "unknown scheduler flag");
        }
        p->has_scheduler = true;
        return 0;
}

static int parse_io_priority(const json_t *io, const char *where, struct rt_process *p,
                             struct bh_error *err)
{
        if (!io || json_is_null(io))
                return 0;
        char w[64];
        snprintf(w, sizeof w, "%s.ioPriority", where);
        const char *cls = json_string_value(json_object_get(io, "class"));
        if (bh_streq(cls, "IOPRIO_CLASS_RT"))
                p->ioprio_class = 1;
        else if (bh_streq(cls, "IOPRIO_CLASS_BE"))
                p->ioprio_class = 2;
        else if (bh_streq(cls, "IOPRIO_CLASS_IDLE"))
                p->ioprio_class = 3;
        else
                return bad(err, w, "class",
                           "must be IOPRIO_CLASS_RT, IOPRIO_CLASS_BE or IOPRIO_CLASS_IDLE");
        long long v = 0;
        if (get_int(io, "priority", w, 0, 7, &v, NULL, err) < 0)
                return -EINVAL;
        p->ioprio_level = (int)v;
        p->has_io_priority = true;
        return 0;
}

int rt_process_from_json(const json_t *obj, const char *where, struct rt_process *p,
                         struct bh_error *err)
{
        memset(p, 0, sizeof *p);
        if (!json_is_object(obj))
                return bh_error_set(err, EINVAL, "config.json: %s: must be an object", where);
        if (get_bool(obj, "terminal", where, &p->terminal, err) < 0)
                return -EINVAL;
        json_t *cs = json_object_get(obj, "consoleSize");
        if (check_object(cs, where, "consoleSize", err) < 0)
                return -EINVAL;
        long long v = 0;
        if (get_int(cs, "height", where, 0, 65535, &v, NULL, err) < 0)
                return -EINVAL;
        p->console_height = (unsigned short)v;
        v = 0;
        if (get_int(cs, "width", where, 0, 65535, &v, NULL, err) < 0)
                return -EINVAL;
        p->console_width = (unsigned short)v;
        if (parse_user(json_object_get(obj, "user"), where, p, err) < 0)
                return -EINVAL;
        if (get_strv(obj, "args", where, &p->args, err) < 0 ||
            get_strv(obj, "env", where, &p->env, err) < 0 ||
            get_str(obj, "cwd", where, false, &p->cwd, err) < 0)
                return -EINVAL;
        if (!p->args || !p->args[0] || !p->args[0][0])
                return bad(err, where, "args", "must name the program to run");
        if (!p->cwd)
                p->cwd = bh_xstrdup("/");
        if (p->cwd[0] != '/')
                return bad(err, where, "cwd", "must be an absolute path");
        json_t *caps = json_object_get(obj, "capabilities");
        if (check_object(caps, where, "capabilities", err) < 0)
                return -EINVAL;
        if (json_is_object(caps)) {
                char w[64];
                snprintf(w, sizeof w, "%s.capabilities", where);
                p->has_caps = true;
                if (parse_capset(caps, w, "bounding", &p->caps.bounding, err) < 0 ||
                    parse_capset(caps, w, "effective", &p->caps.effective, err) < 0 ||
                    parse_capset(caps, w, "inheritable", &p->caps.inheritable, err) < 0 ||
                    parse_capset(caps, w, "permitted", &p->caps.permitted, err) < 0 ||
                    parse_capset(caps, w, "ambient", &p->caps.ambient, err) < 0)
                        return -EINVAL;
        }
        if (parse_rlimits(json_object_get(obj, "rlimits"), where, p, err) < 0)
                return -EINVAL;
        if (get_bool(obj, "noNewPrivileges", where, &p->no_new_privileges, err) < 0 ||
            get_str(obj, "apparmorProfile", where, false, &p->apparmor_profile, err) < 0 ||
            get_str(obj, "selinuxLabel", where, false, &p->selinux_label, err) < 0)
                return -EINVAL;
        v = 0;
        if (get_int(obj, "oomScoreAdj", where, -1000, 1000, &v, &p->has_oom_score_adj, err) < 0)
                return -EINVAL;
        p->oom_score_adj = (int)v;
        if (parse_scheduler(json_object_get(obj, "scheduler"), where, p, err) < 0 ||
            parse_io_priority(json_object_get(obj, "ioPriority"), where, p, err) < 0)
                return -EINVAL;
        return 0;
}

void rt_process_free(struct rt_process *p)
{
        free(p->additional_gids);
        bh_strv_free(p->args);
        bh_strv_free(p->env);
        free(p->cwd);
        free(p->rlimits);
        free(p->apparmor_profile);
        free(p->selinux_label);
        memset(p, 0, sizeof *p);
}

/* ---- mounts ---- */

static const struct {
        const char *name;
        unsigned long flag;
        bool clear, recursive;
} mount_words[] = {
    {"ro", MS_RDONLY, false, false},
    {"rw", MS_RDONLY, true, false},
    {"nosuid", MS_NOSUID, false, false},
    {"suid", MS_NOSUID, true, false},
    {"nodev", MS_NODEV, false, false},
    {"dev", MS_NODEV, true, false},
    {"noexec", MS_NOEXEC, false, false},
    {"exec", MS_NOEXEC, true, false},
    {"sync", MS_SYNCHRONOUS, false, false},
    {"async", MS_SYNCHRONOUS, true, false},
    {"dirsync", MS_DIRSYNC, false, false},
    {"mand", MS_MANDLOCK, false, false},
    {"nomand", MS_MANDLOCK, true, false},
    {"noatime", MS_NOATIME, false, false},
    {"atime", MS_NOATIME, true, false},
    {"nodiratime", MS_NODIRATIME, false, false},
    {"diratime", MS_NODIRATIME, true, false},
    {"relatime", MS_RELATIME, false, false},
    {"norelatime", MS_RELATIME, true, false},
    {"strictatime", MS_STRICTATIME, false, false},
    {"nostrictatime", MS_STRICTATIME, true, false},
    {"nosymfollow", MS_NOSYMFOLLOW, false, false},
    {"symfollow", MS_NOSYMFOLLOW, true, false},
    {"lazytime", MS_LAZYTIME, false, false},
    {"nolazytime", MS_LAZYTIME, true, false},
    {"silent", MS_SILENT, false, false},
    {"loud", MS_SILENT, true, false},
    {"rro", MS_RDONLY, false, true},
    {"rrw", MS_RDONLY, true, true},
    {"rnosuid", MS_NOSUID, false, true},
    {"rsuid", MS_NOSUID, true, true},
    {"rnodev", MS_NODEV, false, true},
    {"rdev", MS_NODEV, true, true},
    {"rnoexec", MS_NOEXEC, false, true},
    {"rexec", MS_NOEXEC, true, true},
    {"rnoatime", MS_NOATIME, false, true},
    {"ratime", MS_NOATIME, true, true},
    {"rnodiratime", MS_NODIRATIME, false, true},
    {"rdiratime", MS_NODIRATIME, true, true},
    {"rrelatime", MS_RELATIME, false, true},
    {"rnorelatime", MS_RELATIME, true, true},
    {"rstrictatime", MS_STRICTATIME, false, true},
    {"rnostrictatime", MS_STRICTATIME, true, true},
    {"rnosymfollow", MS_NOSYMFOLLOW, false, true},
    {"rsymfollow", MS_NOSYMFOLLOW, true, true},
};

static const struct {
        const char *name;
        int prop;
        bool recursive;
} propagation_words[] = {
    {"private", RT_PROP_PRIVATE, false},       {"rprivate", RT_PROP_PRIVATE, true},
    {"shared", RT_PROP_SHARED, false},         {"rshared", RT_PROP_SHARED, true},
    {"slave", RT_PROP_SLAVE, false},           {"rslave", RT_PROP_SLAVE, true},
    {"unbindable", RT_PROP_UNBINDABLE, false}, {"runbindable", RT_PROP_UNBINDABLE, true},
};

static bool parse_propagation(const char *word, int *prop, bool *rec)
{
        for (size_t i = 0; i < BH_ARRAY_SIZE(propagation_words); i++)
                if (strcmp(word, propagation_words[i].name) == 0) {
                        *prop = propagation_words[i].prop;
                        *rec = propagation_words[i].recursive;
                        return true;
                }
        return false;
}

int rt_mount_parse_options(struct rt_mount *m, const json_t *options, const char *where,
                           struct bh_error *err)
{
        struct bh_buf data = BH_BUF_INIT;
        size_t i;
        json_t *o;
        if (options && !json_is_null(options) && !json_is_array(options))
                return bad(err, where, "options", "must be an array of strings");
        json_array_foreach(options, i, o)
        {
                const char *w = json_string_value(o);
                if (!w) {
                        bh_buf_free(&data);
                        return bad(err, where, "options", "must be an array of strings");
                }
                bool done = false;
                for (size_t k = 0; k < BH_ARRAY_SIZE(mount_words) && !done; k++) {
                        if (strcmp(w, mount_words[k].name) != 0)
                                continue;
                        done = true;
                        unsigned long *set = mount_words[k].recursive ? &m->rec_flags : &m->flags;
                        unsigned long *clr = mount_words[k].recursive ? &m->rec_clear : &m->clear;
                        if (mount_words[k].clear) {
                                *set &= ~mount_words[k].flag;
                                *clr |= mount_words[k].flag;
                        } else {
                                *set |= mount_words[k].flag;
                                *clr &= ~mount_words[k].flag;
                        }
                }
                if (done)
                        continue;
                if (strcmp(w, "bind") == 0) {
                        m->bind = true;
                } else if (strcmp(w, "rbind") == 0) {
                        m->bind = m->recursive = true;
                } else if (strcmp(w, "idmap") == 0 || strcmp(w, "ridmap") == 0) {
                        m->idmap = true;
                        if (w[0] == 'r')
                                m->recursive = true;
                } else if (strcmp(w, "tmpcopyup") == 0) {
                        m->tmpcopyup = true;
                } else if (strcmp(w, "defaults") == 0 || strcmp(w, "remount") == 0) {
                        /* nothing to do: every mount here is a fresh one */
                } else if (!parse_propagation(w, &m->propagation, &m->propagation_rec)) {
                        if (strchr(w, '\n')) {
                                bh_buf_free(&data);
                                return bad(err, where, "options", "contains a newline");
                        }
                        if (data.len)
                                bh_buf_putc(&data, ',');
                        bh_buf_puts(&data, w);
                }
        }
        m->data = data.len ? bh_buf_steal(&data) : NULL;
        bh_buf_free(&data);
        return 0;
}

static int parse_idmaps(const json_t *arr, const char *where, const char *key,
                        struct rt_idmap **out, size_t *n, struct bh_error *err)
{
        *out = NULL;
        *n = 0;
        if (!arr || json_is_null(arr))
                return 0;
        if (!json_is_array(arr) || json_array_size(arr) > 340)
                return bad(err, where, key, "must be an array of at most 340 mappings");
        *out = bh_xcalloc(json_array_size(arr) + 1, sizeof **out);
        size_t i;
        json_t *e;
        json_array_foreach(arr, i, e)
        {
                char w[96];
                snprintf(w, sizeof w, "%s%s%s[%zu]", where, *where ? "." : "", key, i);
                long long c = 0, h = 0, s = 0;
                bool hc, hh, hs;
                if (get_int(e, "containerID", w, 0, UINT32_MAX - 1, &c, &hc, err) < 0 ||
                    get_int(e, "hostID", w, 0, UINT32_MAX - 1, &h, &hh, err) < 0 ||
                    get_int(e, "size", w, 1, UINT32_MAX, &s, &hs, err) < 0)
                        return -EINVAL;
                if (!hc || !hh || !hs)
                        return bad(err, w, "size", "containerID, hostID and size are required");
                if (c + s - 1 > UINT32_MAX - 1 || h + s - 1 > UINT32_MAX - 1)
                        return bad(err, w, "size", "the range runs past the last id");
                for (size_t k = 0; k < *n; k++) {
                        const struct rt_idmap *o = &(*out)[k];
                        if ((uint64_t)c < (uint64_t)o->container_id + o->size &&
                            (uint64_t)o->container_id < (uint64_t)c + (uint64_t)s)
                                return bad(err, w, "containerID",
                                           "overlaps an earlier mapping's container range");
                        if ((uint64_t)h < (uint64_t)o->host_id + o->size &&
                            (uint64_t)o->host_id < (uint64_t)h + (uint64_t)s)
                                return bad(err, w, "hostID",
                                           "overlaps an earlier mapping's host range");
                }
                (*out)[(*n)++] = (struct rt_idmap){(uint32_t)c, (uint32_t)h, (uint32_t)s};
        }
        return 0;
}

int64_t rt_idmap_to_host(const struct rt_idmap *maps, size_t n, uint32_t id)
{
        for (size_t i = 0; i < n; i++)
                if (id >= maps[i].container_id && id - maps[i].container_id < maps[i].size)
                        return (int64_t)maps[i].host_id + (id - maps[i].container_id);
        return -1;
}

static int parse_mounts(const json_t *arr, struct rt_spec *spec, struct bh_error *err)
{
        if (!arr || json_is_null(arr))
                return 0;
        if (!json_is_array(arr))
                return bad(err, "", "mounts", "must be an array");
        spec->mounts = bh_xcalloc(json_array_size(arr) + 1, sizeof *spec->mounts);
        size_t i;
        json_t *m;
        json_array_foreach(arr, i, m)
        {
                char w[48];
                snprintf(w, sizeof w, "mounts[%zu]", i);
                struct rt_mount *mt = &spec->mounts[spec->n_mounts++];
                if (!json_is_object(m))
                        return bh_error_set(err, EINVAL, "config.json: %s: must be an object", w);
                if (get_str(m, "destination", w, true, &mt->destination, err) < 0 ||
                    get_str(m, "source", w, false, &mt->source, err) < 0 ||
                    get_str(m, "type", w, false, &mt->type, err) < 0)
                        return -EINVAL;
                if (mt->destination[0] != '/') {
                        /* runc accepts relative destinations as relative to "/" */
                        char *abs = bh_xasprintf("/%s", mt->destination);
                        free(mt->destination);
                        mt->destination = abs;
                }
                if (rt_mount_parse_options(mt, json_object_get(m, "options"), w, err) < 0)
                        return -EINVAL;
                if (parse_idmaps(json_object_get(m, "uidMappings"), w, "uidMappings", &mt->uid_maps,
                                 &mt->n_uid_maps, err) < 0 ||
                    parse_idmaps(json_object_get(m, "gidMappings"), w, "gidMappings", &mt->gid_maps,
                                 &mt->n_gid_maps, err) < 0)
                        return -EINVAL;
                if (mt->n_uid_maps || mt->n_gid_maps)
                        mt->idmap = true;
                if (mt->idmap && (!mt->n_uid_maps || !mt->n_gid_maps) &&
                    !spec->ns_wanted[RT_NS_USER])
                        return bad(err, w, "uidMappings",
                                   "an idmapped mount needs uidMappings and gidMappings or a user "
                                   "namespace");
                if (bh_streq(mt->type, "bind"))
                        mt->bind = true;
                if (mt->bind && !mt->source)
                        return bad(err, w, "source", "is required for a bind mount");
                if (!mt->bind && !mt->type)
                        return bad(err, w, "type", "is required unless the mount is a bind mount");
                if (mt->idmap && !mt->bind)
                        return bad(err, w, "options", "idmap is only supported on bind mounts");
        }
        return 0;
}

/* ---- hooks ---- */

int rt_hooks_from_json(const json_t *hooks, struct rt_hooks out[RT_HOOK_KINDS],
                       struct bh_error *err)
{
        memset(out, 0, sizeof(struct rt_hooks) * RT_HOOK_KINDS);
        if (!hooks || json_is_null(hooks))
                return 0;
        if (!json_is_object(hooks))
                return bad(err, "", "hooks", "must be an object");
        for (int k = 0; k < RT_HOOK_KINDS; k++) {
                json_t *arr = json_object_get(hooks, rt_hook_names[k]);
                if (!arr || json_is_null(arr))
                        continue;
                if (!json_is_array(arr))
                        return bh_error_set(err, EINVAL, "config.json: hooks.%s: must be an array",
                                            rt_hook_names[k]);
                out[k].v = bh_xcalloc(json_array_size(arr) + 1, sizeof *out[k].v);
                size_t i;
                json_t *h;
                json_array_foreach(arr, i, h)
                {
                        char w[64];
                        snprintf(w, sizeof w, "hooks.%s[%zu]", rt_hook_names[k], i);
                        struct rt_hook *hk = &out[k].v[out[k].n++];
                        long long t = 0;
                        if (!json_is_object(h))
                                return bh_error_set(err, EINVAL,
                                                    "config.json: %s: must be an object", w);
                        if (get_str(h, "path", w, true, &hk->path, err) < 0 ||
                            get_strv(h, "args", w, &hk->args, err) < 0 ||
                            get_strv(h, "env", w, &hk->env, err) < 0 ||
                            get_int(h, "timeout", w, 1, 86400, &t, NULL, err) < 0)
                                return -EINVAL;
                        if (hk->path[0] != '/')
                                return bad(err, w, "path", "must be an absolute path");
                        hk->timeout = (int)t;
                }
        }
        return 0;
}

void rt_hooks_free(struct rt_hooks hooks[RT_HOOK_KINDS])
{
        for (int k = 0; k < RT_HOOK_KINDS; k++) {
                for (size_t i = 0; i < hooks[k].n; i++) {
                        free(hooks[k].v[i].path);
                        bh_strv_free(hooks[k].v[i].args);
                        bh_strv_free(hooks[k].v[i].env);
                }
                free(hooks[k].v);
                hooks[k].v = NULL;
                hooks[k].n = 0;
        }
}

/* ---- linux ---- */

static int parse_namespaces(const json_t *arr, struct rt_spec *spec, struct bh_error *err)
{
        if (!arr || json_is_null(arr))
                return 0;
        if (!json_is_array(arr))
                return bad(err, "linux", "namespaces", "must be an array");
        size_t i;
        json_t *n;
        json_array_foreach(arr, i, n)
        {
                char w[48];
                snprintf(w, sizeof w, "linux.namespaces[%zu]", i);
                const char *type = json_string_value(json_object_get(n, "type"));
                int t = -1;
                for (int k = 0; type && k < RT_NS_COUNT; k++)
                        if (strcmp(type, rt_ns_names[k]) == 0)
                                t = k;
                if (t < 0) {
                        char msg[128];
                        snprintf(msg, sizeof msg,
                                 "unknown namespace \"%s\" (pid, network, ipc, uts, mount, user, "
                                 "cgroup, time)",
                                 type ? type : "(missing)");
                        return bad(err, w, "type", msg);
                }
                if (spec->ns_wanted[t])
                        return bad(err, w, "type", "the same namespace type is given twice");
                spec->ns_wanted[t] = true;
                if (get_str(n, "path", w, false, &spec->ns_path[t], err) < 0)
                        return -EINVAL;
                if (spec->ns_path[t] && spec->ns_path[t][0] != '/')
                        return bad(err, w, "path", "must be an absolute path");
        }
        return 0;
}

static int parse_devices(const json_t *arr, struct rt_spec *spec, struct bh_error *err)
{
        if (!arr || json_is_null(arr))
                return 0;
        if (!json_is_array(arr))
                return bad(err, "linux", "devices", "must be an array");
        spec->devices = bh_xcalloc(json_array_size(arr) + 1, sizeof *spec->devices);
        size_t i;
        json_t *d;
        json_array_foreach(arr, i, d)
        {
                char w[48];
                snprintf(w, sizeof w, "linux.devices[%zu]", i);
                struct rt_device *dev = &spec->devices[spec->n_devices++];
                char *type = NULL;
                if (get_str(d, "path", w, true, &dev->path, err) < 0 ||
                    get_str(d, "type", w, true, &type, err) < 0)
                        return -EINVAL;
                bool ok = type && strlen(type) == 1 && strchr("cbup", type[0]);
                dev->type = ok ? type[0] : 0;
                free(type);
                if (!ok)
                        return bad(err, w, "type", "must be c, b, u or p");
                if (dev->path[0] != '/' || strstr(dev->path, "/../") ||
                    bh_endswith(dev->path, "/.."))
                        return bad(err, w, "path", "must be an absolute path without \"..\"");
                long long v = 0;
                bool has_major, has_minor;
                if (get_int(d, "major", w, 0, 0xfff, &v, &has_major, err) < 0)
                        return -EINVAL;
                dev->major = v;
                if (get_int(d, "minor", w, 0, 0xfffff, &v, &has_minor, err) < 0)
                        return -EINVAL;
                dev->minor = v;
                if (dev->type != 'p' && (!has_major || !has_minor))
                        return bad(err, w, "major", "major and minor are required for this type");
                if (get_int(d, "fileMode", w, 0, 07777, &v, &dev->has_mode, err) < 0)
                        return -EINVAL;
                dev->mode = (mode_t)v;
                if (get_int(d, "uid", w, 0, UINT32_MAX - 1, &v, &dev->has_uid, err) < 0)
                        return -EINVAL;
                dev->uid = (uid_t)v;
                if (get_int(d, "gid", w, 0, UINT32_MAX - 1, &v, &dev->has_gid, err) < 0)
                        return -EINVAL;
                dev->gid = (gid_t)v;
        }
        return 0;
}

static int parse_sysctls(const json_t *obj, struct rt_spec *spec, struct bh_error *err)
{
        if (!obj || json_is_null(obj))
                return 0;
        if (!json_is_object(obj))
                return bad(err, "linux", "sysctl", "must be an object of strings");
        spec->sysctls = bh_xcalloc(json_object_size(obj) + 1, sizeof *spec->sysctls);
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)obj, k, v)
        {
                if (!json_is_string(v))
                        return bh_error_set(err, EINVAL,
                                            "config.json: linux.sysctl.%s: must be a string", k);
                if (!*k ||
                    strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                              "0123456789_.-/") != strlen(k) ||
                    strstr(k, "..") || k[0] == '.' || k[0] == '/')
                        return bh_error_set(err, EINVAL,
                                            "config.json: linux.sysctl: \"%s\" is not a sysctl "
                                            "name",
                                            k);
                spec->sysctls[spec->n_sysctls++] =
                    (struct rt_sysctl){bh_xstrdup(k), bh_xstrdup(json_string_value(v))};
        }
        return 0;
}

static int parse_time_offsets(const json_t *obj, struct rt_spec *spec, struct bh_error *err)
{
        if (!obj || json_is_null(obj))
                return 0;
        if (!json_is_object(obj))
                return bad(err, "linux", "timeOffsets", "must be an object");
        static const char *const clocks[] = {"monotonic", "boottime"};
        for (int c = 0; c < 2; c++) {
                json_t *o = json_object_get(obj, clocks[c]);
                if (!o)
                        continue;
                char w[48];
                snprintf(w, sizeof w, "linux.timeOffsets.%s", clocks[c]);
                long long v = 0;
                if (get_int(o, "secs", w, LLONG_MIN, LLONG_MAX, &v, NULL, err) < 0)
                        return -EINVAL;
                spec->time_offsets[c][0] = v;
                v = 0;
                if (get_int(o, "nanosecs", w, 0, 999999999, &v, NULL, err) < 0)
                        return -EINVAL;
                spec->time_offsets[c][1] = v;
        }
        spec->has_time_offsets = true;
        return 0;
}

static int parse_propagation_member(const json_t *linux_obj, struct rt_spec *spec,
                                    struct bh_error *err)
{
        const json_t *v = json_object_get(linux_obj, "rootfsPropagation");
        if (!v || json_is_null(v))
                return 0;
        const char *s = json_string_value(v);
        if (!s || !parse_propagation(s, &spec->rootfs_propagation, &spec->rootfs_propagation_rec))
                return bad(err, "linux", "rootfsPropagation",
                           "must be private, rprivate, shared, rshared, slave, rslave, unbindable "
                           "or runbindable");
        return 0;
}

static int parse_linux(const json_t *lx, struct rt_spec *spec, struct bh_error *err)
{
        if (!lx || json_is_null(lx))
                return 0;
        if (!json_is_object(lx))
                return bad(err, "", "linux", "must be an object");
        if (parse_namespaces(json_object_get(lx, "namespaces"), spec, err) < 0 ||
            parse_idmaps(json_object_get(lx, "uidMappings"), "linux", "uidMappings",
                         &spec->uid_maps, &spec->n_uid_maps, err) < 0 ||
            parse_idmaps(json_object_get(lx, "gidMappings"), "linux", "gidMappings",
                         &spec->gid_maps, &spec->n_gid_maps, err) < 0 ||
            parse_sysctls(json_object_get(lx, "sysctl"), spec, err) < 0 ||
            parse_devices(json_object_get(lx, "devices"), spec, err) < 0 ||
            parse_time_offsets(json_object_get(lx, "timeOffsets"), spec, err) < 0 ||
            parse_propagation_member(lx, spec, err) < 0)
                return -EINVAL;
        json_t *res = json_object_get(lx, "resources");
        if (check_object(res, "linux", "resources", err) < 0)
                return -EINVAL;
        spec->resources = json_is_object(res) ? res : NULL;
        if (get_str(lx, "cgroupsPath", "linux", false, &spec->cgroups_path, err) < 0 ||
            get_strv(lx, "maskedPaths", "linux", &spec->masked_paths, err) < 0 ||
            get_strv(lx, "readonlyPaths", "linux", &spec->readonly_paths, err) < 0)
                return -EINVAL;
        for (char **p = spec->masked_paths; p && *p; p++)
                if ((*p)[0] != '/')
                        return bad(err, "linux", "maskedPaths", "entries must be absolute paths");
        for (char **p = spec->readonly_paths; p && *p; p++)
                if ((*p)[0] != '/')
                        return bad(err, "linux", "readonlyPaths", "entries must be absolute paths");
        json_t *sc = json_object_get(lx, "seccomp");
        if (check_object(sc, "linux", "seccomp", err) < 0)
                return -EINVAL;
        spec->seccomp = json_is_object(sc) ? sc : NULL;
        json_t *pers = json_object_get(lx, "personality");
        if (check_object(pers, "linux", "personality", err) < 0)
                return -EINVAL;
        if (json_is_object(pers)) {
                const char *dom = json_string_value(json_object_get(pers, "domain"));
                if (bh_streq(dom, "LINUX"))
                        spec->personality = PER_LINUX;
                else if (bh_streq(dom, "LINUX32"))
                        spec->personality = PER_LINUX32;
                else
                        return bad(err, "linux.personality", "domain", "must be LINUX or LINUX32");
                if (json_array_size(json_object_get(pers, "flags")) > 0)
                        return bad(err, "linux.personality", "flags",
                                   "no personality flags are defined by the spec");
                spec->has_personality = true;
        }
        if (json_object_get(lx, "intelRdt") && !json_is_null(json_object_get(lx, "intelRdt")))
                return bad(err, "linux", "intelRdt", "Intel RDT is not supported");
        return 0;
}

/* ---- consistency ---- */

/* Whether the namespace file at path is this process's own (the host's). */
static bool is_own_ns(const char *path, const char *proc_name)
{
        struct stat a, b;
        _cleanup_free_ char *own = bh_xasprintf("/proc/self/ns/%s", proc_name);
        return stat(path, &a) == 0 && stat(own, &b) == 0 && a.st_dev == b.st_dev &&
               a.st_ino == b.st_ino;
}

/* A sysctl is written where the container lives: only keys that belong to a
 * namespace the container has of its own are allowed, as runc allows them.
 * Any other key would change the host. */
static int check_sysctls(const struct rt_spec *spec, struct bh_error *err)
{
        static const char *const ipc_keys[] = {
            "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
        for (size_t i = 0; i < spec->n_sysctls; i++) {
                const char *k = spec->sysctls[i].key;
                bool ipc = bh_startswith(k, "fs.mqueue.");
                for (size_t j = 0; j < BH_ARRAY_SIZE(ipc_keys); j++)
                        ipc |= strcmp(k, ipc_keys[j]) == 0;
                const char *why = NULL;
                if (ipc) {
                        if (!spec->ns_wanted[RT_NS_IPC])
                                why = "is not allowed in the host's IPC namespace";
                        else if (spec->ns_path[RT_NS_IPC] &&
                                 is_own_ns(spec->ns_path[RT_NS_IPC], "ipc"))
                                why = "is not allowed: the IPC namespace joined is the host's";
                } else if (bh_startswith(k, "net.")) {
                        if (!spec->ns_wanted[RT_NS_NET])
                                why = "is not allowed in the host's network namespace";
                        else if (spec->ns_path[RT_NS_NET] &&
                                 is_own_ns(spec->ns_path[RT_NS_NET], "net"))
                                why = "is not allowed: the network namespace joined is the host's";
                } else if (strcmp(k, "kernel.domainname") == 0) {
                        if (!spec->ns_wanted[RT_NS_UTS])
                                why = "is not allowed in the host's UTS namespace";
                } else if (strcmp(k, "kernel.hostname") == 0) {
                        why = "is not allowed: it conflicts with the spec's hostname";
                } else {
                        why = "is not in a namespace of the container's own: it would change "
                              "the host";
                }
                if (why)
                        return bh_error_set(err, EPERM, "config.json: linux.sysctl: \"%s\" %s", k,
                                            why);
        }
        return 0;
}

static int check_namespaces(struct rt_spec *spec, struct bh_error *err)
{
        bool new_user = spec->ns_wanted[RT_NS_USER] && !spec->ns_path[RT_NS_USER];
        if ((spec->n_uid_maps || spec->n_gid_maps) && !spec->ns_wanted[RT_NS_USER])
                return bad(err, "linux", "uidMappings", "mappings need a user namespace");
        if (new_user && (!spec->n_uid_maps || !spec->n_gid_maps))
                return bad(err, "linux", "uidMappings",
                           "a new user namespace needs uidMappings and gidMappings");
        if (spec->ns_path[RT_NS_USER] && (spec->n_uid_maps || spec->n_gid_maps))
                return bad(err, "linux", "uidMappings",
                           "mappings cannot be given for a user namespace that is joined");
        if (spec->hostname && !spec->ns_wanted[RT_NS_UTS])
                return bad(err, "", "hostname", "needs a UTS namespace");
        if (spec->domainname && !spec->ns_wanted[RT_NS_UTS])
                return bad(err, "", "domainname", "needs a UTS namespace");
        if (spec->has_time_offsets && (!spec->ns_wanted[RT_NS_TIME] || spec->ns_path[RT_NS_TIME]))
                return bad(err, "linux", "timeOffsets", "needs a new time namespace");
        if (spec->n_mounts && !spec->ns_wanted[RT_NS_MNT])
                return bad(err, "", "mounts", "need a mount namespace");
        return check_sysctls(spec, err);
}

static int check_version(struct rt_spec *spec, struct bh_error *err)
{
        int major = -1, minor = -1;
        if (sscanf(spec->oci_version, "%d.%d", &major, &minor) != 2 || major != 1 || minor > 2)
                return bh_error_set(err, EINVAL,
                                    "config.json: ociVersion \"%s\" is not supported (1.0.0 to "
                                    "1.2.x)",
                                    spec->oci_version);
        return 0;
}

static int check_root(struct rt_spec *spec, const char *bundle, struct bh_error *err)
{
        json_t *root = json_object_get(spec->json, "root");
        if (!json_is_object(root))
                return bad(err, "", "root", "is required and must be an object");
        char *path = NULL;
        if (get_str(root, "path", "root", true, &path, err) < 0)
                return -EINVAL;
        if (get_bool(root, "readonly", "root", &spec->root_readonly, err) < 0) {
                free(path);
                return -EINVAL;
        }
        if (path[0] == '/' || !bundle)
                spec->root = path;
        else {
                spec->root = bh_path_join(bundle, path);
                free(path);
        }
        if (!bundle)
                return 0;
        struct stat st;
        char real[PATH_MAX];
        if (realpath(spec->root, real)) {
                free(spec->root);
                spec->root = bh_xstrdup(real);
        }
        if (stat(spec->root, &st) < 0)
                return bh_error_errno(err, errno, "rootfs %s (root.path in config.json)",
                                      spec->root);
        if (!S_ISDIR(st.st_mode))
                return bh_error_set(err, ENOTDIR,
                                    "rootfs %s (root.path in config.json): not a directory",
                                    spec->root);
        return 0;
}

int rt_spec_from_json(json_t *doc, const char *bundle, struct rt_spec *spec, struct bh_error *err)
{
        memset(spec, 0, sizeof *spec);
        spec->json = doc;
        if (bundle)
                spec->bundle = bh_xstrdup(bundle);
        if (!json_is_object(doc))
                return bh_error_set(err, EINVAL, "config.json: must be a JSON object");
        if (get_str(doc, "ociVersion", "", true, &spec->oci_version, err) < 0 ||
            check_version(spec, err) < 0)
                return -EINVAL;
        if (check_root(spec, bundle, err) < 0)
                return -EINVAL;
        json_t *proc = json_object_get(doc, "process");
        if (!proc || json_is_null(proc))
                return bad(err, "", "process", "is required");
        if (rt_process_from_json(proc, "process", &spec->process, err) < 0)
                return -EINVAL;
        if (get_str(doc, "hostname", "", false, &spec->hostname, err) < 0 ||
            get_str(doc, "domainname", "", false, &spec->domainname, err) < 0)
                return -EINVAL;
        if (parse_linux(json_object_get(doc, "linux"), spec, err) < 0)
                return -EINVAL;
        if (parse_mounts(json_object_get(doc, "mounts"), spec, err) < 0)
                return -EINVAL;
        if (rt_hooks_from_json(json_object_get(doc, "hooks"), spec->hooks, err) < 0)
                return -EINVAL;
        json_t *ann = json_object_get(doc, "annotations");
        if (check_object(ann, "", "annotations", err) < 0)
                return -EINVAL;
        const char *k;
        json_t *v;
        json_object_foreach(ann, k, v)
        {
                if (!json_is_string(v))
                        return bh_error_set(err, EINVAL,
                                            "config.json: annotations.%s: must be a string", k);
        }
        spec->annotations = json_is_object(ann) ? ann : NULL;
        return check_namespaces(spec, err);
}

int rt_spec_load(const char *bundle, struct rt_spec *spec, struct bh_error *err)
{
        memset(spec, 0, sizeof *spec);
        _cleanup_free_ char *path = bh_path_join(bundle, "config.json");
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        int r = bh_read_file(path, RT_CONFIG_MAX, &data, &len, err);
        if (r < 0)
                return r;
        json_error_t je;
        json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
        if (!doc)
                return bh_error_set(err, EINVAL, "%s: line %d, column %d: %s", path, je.line,
                                    je.column, je.text);
        r = rt_spec_from_json(doc, bundle, spec, err);
        if (r < 0 && !spec->json)
                json_decref(doc);
        return r;
}

void rt_spec_free(struct rt_spec *spec)
{
        free(spec->oci_version);
        free(spec->bundle);
        free(spec->root);
        free(spec->hostname);
        free(spec->domainname);
        rt_process_free(&spec->process);
        for (size_t i = 0; i < spec->n_mounts; i++) {
                struct rt_mount *m = &spec->mounts[i];
                free(m->destination);
                free(m->source);
                free(m->type);
                free(m->data);
                free(m->uid_maps);
                free(m->gid_maps);
        }
        free(spec->mounts);
        rt_hooks_free(spec->hooks);
        for (int i = 0; i < RT_NS_COUNT; i++)
                free(spec->ns_path[i]);
        free(spec->uid_maps);
        free(spec->gid_maps);
        for (size_t i = 0; i < spec->n_sysctls; i++) {
                free(spec->sysctls[i].key);
                free(spec->sysctls[i].value);
        }
        free(spec->sysctls);
        free(spec->cgroups_path);
        bh_strv_free(spec->masked_paths);
        bh_strv_free(spec->readonly_paths);
        for (size_t i = 0; i < spec->n_devices; i++)
                free(spec->devices[i].path);
        free(spec->devices);
        json_decref(spec->json);
        memset(spec, 0, sizeof *spec);
}
