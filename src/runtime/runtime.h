/* The container lifecycle, as the commands in cmd_*.c call it. Every
 * function returns 0 or -errno with err filled; none prints. */
#pragma once

#include "runtime/policy.h"
#include "runtime/spec.h"
#include "runtime/state.h"

#include <stdbool.h>

/* Global flags, before the command. */
struct rt_global {
        const char *root; /* state root (already defaulted) */
        const char *log;
        bool log_json;
        bool systemd_cgroup;
        bool debug;
        bool rootless; /* decided: explicit --rootless or not running as root */
        const char *policy_path;
};

struct rt_create_opts {
        const char *id;
        const char *bundle; /* absolute */
        const char *pid_file;
        const char *console_socket;
        const char *pidfd_socket;
        bool no_pivot;
        bool no_new_keyring;
        int preserve_fds;
        /* run only */
        bool detach;
        bool keep;
};

/* create, or (run) create + start + wait + delete. *exit_status gets the
 * container's status for a foreground run. */
int rt_create(const struct rt_global *g, const struct rt_create_opts *o, bool run, int *exit_status,
              struct bh_error *err);
int rt_start(const struct rt_global *g, const char *id, struct bh_error *err);
/* Notes the descriptors the runtime's caller left open (call first thing);
 * rt_close_inherited_fds closes those from first on. */
void rt_note_inherited_fds(void);
void rt_close_inherited_fds(int first);
int rt_delete(const struct rt_global *g, const char *id, bool force, struct bh_error *err);
int rt_kill(const struct rt_global *g, const char *id, int sig, bool all, struct bh_error *err);
int rt_pause(const struct rt_global *g, const char *id, bool pause, struct bh_error *err);

struct rt_exec_opts {
        const char *id;
        const char *process_file; /* --process, or NULL with the inline flags below */
        const char *pid_file;
        const char *console_socket;
        const char *pidfd_socket;
        const char *cgroup; /* --cgroup sub-cgroup */
        bool detach;
        bool ignore_paused;
        int preserve_fds;
        /* inline form */
        bool tty, no_new_privs;
        const char *cwd, *user;
        char **env, **caps, **additional_gids, **args;
        const char *apparmor, *process_label;
};
int rt_exec(const struct rt_global *g, const struct rt_exec_opts *o, int *exit_status,
            struct bh_error *err);

/* Loads the state and checks the container is in one of the wanted states;
 * the error uses containerd's wording ("container does not exist",
 * "container not running"). */
int rt_load(const struct rt_global *g, const char *id, struct rt_state *st, enum rt_status *status,
            struct bh_error *err);

/* Whether processes of this container could open the runtime's
 * /proc/<pid>/exe (CAP_SYS_PTRACE in the runtime's user namespace): then
 * create and exec run from a sealed copy. */
bool rt_ptrace_exposed(const struct rt_spec *spec);

/* --pidfd-socket: hands a pidfd of the process to the socket at path. */
int rt_send_pidfd(const char *path, int pidfd, struct bh_error *err);

/* Signal names ("KILL", "SIGKILL", "9") -> number, or -1. */
int rt_signal_from_name(const char *name);
