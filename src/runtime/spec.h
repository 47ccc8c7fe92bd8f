/* config.json (the OCI runtime spec, Linux parts) parsed into plain structs
 * and validated, every error naming the member ("config.json:
 * linux.namespaces[2].type: unknown namespace \"foo\""). Unknown properties
 * are ignored, as the spec requires; unknown values of known properties are
 * errors. The parsed JSON stays attached for the parts other code reads
 * directly (resources, seccomp, annotations). */
#pragma once

#include "base/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RT_CONFIG_MAX (4u << 20) /* config.json larger than this is refused */

struct rt_caps {
        uint64_t bounding, effective, inheritable, permitted, ambient;
};

struct rt_rlimit {
        int resource;
        uint64_t soft, hard;
};

struct rt_idmap {
        uint32_t container_id, host_id, size;
};

struct rt_process {
        bool terminal;
        unsigned short console_height, console_width;
        uid_t uid;
        gid_t gid;
        bool has_umask;
        mode_t umask;
        gid_t *additional_gids;
        size_t n_additional_gids;
        char **args;
        char **env;
        char *cwd;
        bool has_caps;
        struct rt_caps caps;
        struct rt_rlimit *rlimits;
        size_t n_rlimits;
        bool no_new_privileges;
        char *apparmor_profile;
        char *selinux_label;
        bool has_oom_score_adj;
        int oom_score_adj;
        bool has_scheduler;
        struct {
                int policy;
                int nice, priority;
                uint64_t flags, runtime, deadline, period;
        } sched;
        bool has_io_priority;
        int ioprio_class, ioprio_level;
};

enum rt_propagation {
        RT_PROP_NONE = 0,
        RT_PROP_PRIVATE,
        RT_PROP_SHARED,
        RT_PROP_SLAVE,
        RT_PROP_UNBINDABLE
};

struct rt_mount {
        char *destination, *source, *type;
        bool bind, recursive;    /* bind / rbind */
        unsigned long flags;     /* MS_RDONLY, MS_NOSUID, ... asked for */
        unsigned long clear;     /* ... explicitly turned off (rw, suid, dev, exec) */
        unsigned long rec_flags; /* rro, rnosuid, ...: for the whole tree */
        unsigned long rec_clear; /* rrw, rsuid, ... */
        int propagation;         /* enum rt_propagation */
        bool propagation_rec;
        bool idmap; /* idmap / ridmap or mappings given */
        bool tmpcopyup;
        char *data; /* file-system options, comma separated */
        struct rt_idmap *uid_maps, *gid_maps;
        size_t n_uid_maps, n_gid_maps;
};

enum rt_ns {
        RT_NS_PID,
        RT_NS_NET,
        RT_NS_IPC,
        RT_NS_UTS,
        RT_NS_MNT,
        RT_NS_USER,
        RT_NS_CGROUP,
        RT_NS_TIME,
        RT_NS_COUNT
};

struct rt_device {
        char *path;
        char type; /* c, b, u, p */
        int64_t major, minor;
        bool has_mode, has_uid, has_gid;
        mode_t mode;
        uid_t uid;
        gid_t gid;
};

struct rt_hook {
        char *path;
        char **args;
        char **env;
        int timeout; /* seconds, 0 = none */
};

enum rt_hook_kind {
        RT_HOOK_PRESTART,
        RT_HOOK_CREATE_RUNTIME,
        RT_HOOK_CREATE_CONTAINER,
        RT_HOOK_START_CONTAINER,
        RT_HOOK_POSTSTART,
        RT_HOOK_POSTSTOP,
        RT_HOOK_KINDS
};

struct rt_hooks {
        struct rt_hook *v;
        size_t n;
};

struct rt_sysctl {
        char *key, *value;
};

struct rt_spec {
        json_t *json; /* owned: the whole document */
        char *oci_version;
        char *bundle; /* absolute */
        char *root;   /* absolute path of the rootfs */
        bool root_readonly;
        char *hostname, *domainname;
        struct rt_process process;
        struct rt_mount *mounts;
        size_t n_mounts;
        struct rt_hooks hooks[RT_HOOK_KINDS];
        /* linux */
        bool ns_wanted[RT_NS_COUNT]; /* a namespace entry of this type exists */
        char *ns_path[RT_NS_COUNT];  /* NULL: a new namespace */
        struct rt_idmap *uid_maps, *gid_maps;
        size_t n_uid_maps, n_gid_maps;
        struct rt_sysctl *sysctls;
        size_t n_sysctls;
        json_t *resources; /* borrowed from json, may be NULL */
        char *cgroups_path;
        int rootfs_propagation; /* enum rt_propagation */
        bool rootfs_propagation_rec;
        char **masked_paths;
        char **readonly_paths;
        struct rt_device *devices;
        size_t n_devices;
        json_t *seccomp; /* borrowed or owned via json, may be NULL */
        bool has_personality;
        unsigned long personality;
        bool has_time_offsets;
        int64_t time_offsets[2][2]; /* [monotonic, boottime][secs, nanosecs] */
        json_t *annotations;        /* borrowed, may be NULL */
};

extern const char *const rt_ns_names[RT_NS_COUNT];      /* "pid", "network", ... */
extern const int rt_ns_clone_flags[RT_NS_COUNT];        /* CLONE_NEWPID, ... */
extern const char *const rt_ns_proc_names[RT_NS_COUNT]; /* "pid", "net", ... */
extern const char *const rt_hook_names[RT_HOOK_KINDS];

/* Reads and validates bundle/config.json. */
int rt_spec_load(const char *bundle, struct rt_spec *spec, struct bh_error *err);
/* Validates an already parsed document; bundle may be NULL (no root checks). */
int rt_spec_from_json(json_t *doc, const char *bundle, struct rt_spec *spec, struct bh_error *err);
void rt_spec_free(struct rt_spec *spec);

/* The "process" object alone (exec --process FILE). */
int rt_process_from_json(const json_t *obj, const char *where, struct rt_process *p,
                         struct bh_error *err);
void rt_process_free(struct rt_process *p);

/* Hooks of one kind from a "hooks" object (also used for the copy kept in
 * the state directory). */
int rt_hooks_from_json(const json_t *hooks, struct rt_hooks out[RT_HOOK_KINDS],
                       struct bh_error *err);
void rt_hooks_free(struct rt_hooks hooks[RT_HOOK_KINDS]);

/* Mount option words: fills m's flags; unknown words are appended to data.
 * Returns -EINVAL for a recognised word in a wrong place. */
int rt_mount_parse_options(struct rt_mount *m, const json_t *options, const char *where,
                           struct bh_error *err);

/* uid/gid lookup of a user-namespace mapping: host id of container id, or -1. */
int64_t rt_idmap_to_host(const struct rt_idmap *maps, size_t n, uint32_t id);
