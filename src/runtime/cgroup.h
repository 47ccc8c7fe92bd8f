/* Control groups for a container: v1 (one hierarchy per controller), v2
 * (the unified hierarchy) and hybrid (v1 controllers plus a cgroup2 mount,
 * often at /sys/fs/cgroup/unified, holding what v1 does not: here hugetlb).
 * The container gets one directory in every hierarchy; the resources of
 * linux.resources are written to whichever hierarchy holds the controller. */
#pragma once

#include "base/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum rt_cgroup_mode { RT_CGROUP_NONE, RT_CGROUP_V1, RT_CGROUP_HYBRID, RT_CGROUP_V2 };

struct rt_cgroup_dir {
        char *controllers; /* "memory", "cpu,cpuacct", "name=systemd"; "" for cgroup2 */
        char *path;        /* the container's directory */
        bool unified;
};

struct rt_cgroup {
        enum rt_cgroup_mode mode;
        char *path; /* relative to each hierarchy's root: "/docker/<id>" */
        struct rt_cgroup_dir *dirs;
        size_t n;
};

/* How this machine mounts cgroups. */
enum rt_cgroup_mode rt_cgroup_host_mode(void);

/* The path for a container: cgroupsPath as given (absolute), relative to
 * the runtime's own cgroup (relative), systemd's "slice:prefix:name" form
 * with systemd, or /bulkhead/<id>. */
char *rt_cgroup_path_for(const char *cgroups_path, const char *id, bool systemd, bool rootless);

/* Finds the hierarchies, makes the container's directories and writes the
 * resources. Rootless on v1 (or a v2 tree that is not delegated) leaves cg
 * with mode RT_CGROUP_NONE and warns once. On failure nothing is left. */
int rt_cgroup_create(struct rt_cgroup *cg, const char *path, const json_t *resources, bool rootless,
                     struct bh_error *err);
int rt_cgroup_enter(const struct rt_cgroup *cg, pid_t pid, struct bh_error *err);
/* Moves the calling (single-threaded) process into the v1 directories by
 * writing "0" to their "tasks" files: migrating the current thread skips
 * the kernel's global threadgroup lock, whose first writer waits a whole
 * RCU grace period (4-20 ms here, per migration burst). The cgroup2
 * directory is entered with clone3(CLONE_INTO_CGROUP) instead. */
int rt_cgroup_enter_self(const struct rt_cgroup *cg, struct bh_error *err);
/* Moves pid into the cgroup2 directory only (when CLONE_INTO_CGROUP was refused). */
int rt_cgroup_enter_unified(const struct rt_cgroup *cg, pid_t pid, struct bh_error *err);
/* The cgroup2 directory, opened for CLONE_INTO_CGROUP; -1 when there is none. */
int rt_cgroup_unified_fd(const struct rt_cgroup *cg);
/* Writes linux.resources (create, or `update`: members absent or zero are
 * left as they are). */
int rt_cgroup_apply(const struct rt_cgroup *cg, const json_t *resources, struct bh_error *err);
/* Removes the container's directories (and any it made below them). */
int rt_cgroup_destroy(const struct rt_cgroup *cg, struct bh_error *err);
int rt_cgroup_freeze(const struct rt_cgroup *cg, bool freeze, struct bh_error *err);
/* 1 frozen, 0 not (or no freezer), -errno. */
int rt_cgroup_frozen(const struct rt_cgroup *cg);
/* Every process in the container's cgroup (including sub-cgroups). */
int rt_cgroup_pids(const struct rt_cgroup *cg, pid_t **pids, size_t *n, struct bh_error *err);
/* The directory of a controller ("freezer", "pids", or "" for cgroup2), or NULL. */
const char *rt_cgroup_dir_of(const struct rt_cgroup *cg, const char *controller);

json_t *rt_cgroup_to_json(const struct rt_cgroup *cg);
int rt_cgroup_from_json(const json_t *j, struct rt_cgroup *cg);
void rt_cgroup_free(struct rt_cgroup *cg);

/* Type checks of a linux.resources object; where names it in messages. */
int rt_resources_validate(const json_t *res, const char *where, struct bh_error *err);

/* v2 device access: a BPF_PROG_TYPE_CGROUP_DEVICE program from the
 * linux.resources.devices rules (plus the default devices), attached to dir
 * in place of any program attached before. */
int rt_cgroup_device_filter(const char *dir, const json_t *rules, struct bh_error *err);
/* The program alone (for tests): instructions in *insns (free), count in *n. */
int rt_cgroup_device_program(const json_t *rules, void **insns, size_t *n, struct bh_error *err);
/* The default device rules (null, zero, full, random, urandom, tty, console,
 * ptmx, pts, and mknod of any device) appended to the spec's. */
json_t *rt_cgroup_device_rules(const json_t *spec_rules);
