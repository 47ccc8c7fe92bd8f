/* A container's state directory: <root>/<id>/ holding state.json (what
 * `state` reports plus what later commands need: the init's start time to
 * tell it from a reused PID, cgroup directories, hooks), start.sock while
 * the container is created but not started, and seccomp.bpf for exec. */
#pragma once

#include "runtime/cgroup.h"
#include "runtime/spec.h"

#include <stdbool.h>
#include <sys/types.h>

#define RT_OCI_VERSION "1.2.0"

enum rt_status { RT_CREATING, RT_CREATED, RT_RUNNING, RT_PAUSED, RT_STOPPED };

struct rt_state {
        char *id;
        char *dir; /* <root>/<id> */
        pid_t pid;
        unsigned long long pid_start; /* /proc/<pid>/stat field 22 */
        char *bundle, *rootfs, *created, *owner;
        json_t *annotations; /* owned */
        json_t *hooks;       /* poststart and poststop, owned */
        struct rt_cgroup cgroup;
        bool own_pidns; /* the init is PID 1 of its own namespace */
        bool userns;    /* the container has its own user namespace */
        bool rootless;
        bool has_seccomp;
        bool no_new_privileges;   /* what the init got: exec processes inherit the default */
        bool ptrace_exposed;      /* exec must run from a sealed copy (see sealed.c) */
        json_t *seccomp_listener; /* {"listenerPath", "listenerMetadata"} for exec, or NULL */
};

extern const char *const rt_status_names[];

/* Container ids: letters, digits, "_", "+", "-", "."; not "." or "..";
 * at most 1024 bytes. */
int rt_id_check(const char *id, struct bh_error *err);

/* The state root: --root, else /run/bulkhead (root) or
 * $XDG_RUNTIME_DIR/bulkhead (rootless). Created 0700 when missing. */
int rt_root_prepare(const char *root, struct bh_error *err);

/* mkdir <root>/<id> (EEXIST: "container with id ... already exists"). */
int rt_state_dir_create(const char *root, const char *id, char **dir, struct bh_error *err);
int rt_state_write(const struct rt_state *st, struct bh_error *err);
/* -ENOENT with "container does not exist" when there is no such container. */
int rt_state_read(const char *root, const char *id, struct rt_state *st, struct bh_error *err);
void rt_state_free(struct rt_state *st);
/* Removes the directory and what is in it. */
void rt_state_remove_dir(const char *dir);

enum rt_status rt_state_status(const struct rt_state *st);
/* The OCI state object for `state`, `list` and hooks. */
json_t *rt_state_to_oci(const struct rt_state *st, enum rt_status status);

/* Start time of a process (field 22 of /proc/<pid>/stat); 0 if gone.
 * *zombie tells whether it has exited but not been reaped. */
unsigned long long rt_proc_start_time(pid_t pid, bool *zombie);
/* A pidfd for the container's init, or -ESRCH when that process is gone
 * (the PID may have been reused). */
int rt_state_pidfd(const struct rt_state *st);
/* RFC 3339 with nanoseconds, UTC. */
char *rt_now_rfc3339(void);
/* Writes a small file (not fsync'd: /run is scratch space), atomically. */
int rt_write_file(const char *path, const char *data, size_t len, mode_t mode,
                  struct bh_error *err);
