/* The container side of create and exec: what the runtime prepares before
 * cloning, and the functions the init runs inside the new namespaces. The
 * init never returns; on failure it reports over the sync socket and exits. */
#pragma once

#include "runtime/runtime.h"
#include "seccomp/seccomp.h"

struct rt_init {
        const struct rt_global *g;
        const struct rt_create_opts *opts;
        struct rt_spec *spec;
        const struct rt_cgroup *cg;
        const char *state_dir;
        bool run;                        /* foreground or detached run: start comes over sync_fd */
        int sync_fd;                     /* the init's end of the socket pair */
        int ns_fds[RT_NS_COUNT];         /* namespaces to join, -1 */
        bool userns_new;                 /* a new user namespace (maps written by the runtime) */
        int unshare_flags;               /* CLONE_NEW* the init makes itself */
        bool two_stage;                  /* join, then unshare, then fork the init (see init.c) */
        int stage_one_flags;             /* CLONE_NEW* made by the first stage */
        int console_fd;                  /* connected console socket, -1 */
        int start_listen_fd;             /* listening start.sock (create), -1 */
        int notify_fd;                   /* connected seccomp listener socket, -1 */
        struct bh_seccomp_prog *seccomp; /* NULL: none */
        int rootfs_mount_fd;             /* detached (idmapped) rootfs tree, -1 */
        int *mount_fds;                  /* per spec mount: detached idmapped tree or -1 */
        int first_closed_fd;             /* 3 + preserve_fds */
        pid_t host_pid;                  /* from RT_MSG_GO */
        char *exec_path;                 /* process.args[0] resolved in the container */
        int devnull_fd;                  /* the host's /dev/null (O_PATH), for masking */
        int proc_fd;                     /* root of the container's procfs mount, -1 */
        bool join_cgroups;               /* the init enters its v1 cgroups itself */
};

/* The init: runs in the child after clone; never returns. */
__attribute__((noreturn)) void rt_init_main(struct rt_init *in);

/* mounts.c, run by the init */
int rt_rootfs_prepare(struct rt_init *in, int *rootfd, struct bh_error *err);
int rt_mounts_setup(struct rt_init *in, int rootfd, struct bh_error *err);
int rt_devices_setup(struct rt_init *in, int rootfd, struct bh_error *err);
int rt_rootfs_pivot(struct rt_init *in, int rootfd, struct bh_error *err);
int rt_rootfs_finish(struct rt_init *in, struct bh_error *err);
/* Resolves path beneath rootfd (RESOLVE_IN_ROOT), creating what is missing:
 * directories, and the last component as a directory or an empty file. */
int rt_mkpath_beneath(int rootfd, const char *path, bool file, struct bh_error *err);
/* A detached bind of src (recursive), idmapped to userns_fd when >= 0. */
int rt_open_tree_idmapped(const char *src, bool recursive, int userns_fd, struct bh_error *err);
/* Writes a sysctl through the procfs root proc_fd, refusing any path that
 * crosses a mount or a symlink (over-mounted /proc). */
int rt_proc_write(int proc_fd, const char *rel, const char *value, struct bh_error *err);

/* The procfs root the init mounted for the container (or a private one). */
int rt_proc_fd(struct rt_init *in, struct bh_error *err);

/* terminal.c: a pty in the container; the master goes to the console
 * socket (or *master_out), the peer becomes stdio and /dev/console. */
int rt_terminal_setup(struct rt_init *in, const struct rt_process *p, bool console, int *master_out,
                      struct bh_error *err);
/* Copies between our stdio and the pty master until the process exits. */
void rt_terminal_proxy(int master, int pidfd);

/* hooks.c */
int rt_hooks_run(const struct rt_hooks *hooks, const char *kind, const json_t *state,
                 bool warn_only, struct bh_error *err);

/* userns.c: writes uid_map/gid_map of pid (newuidmap for several ranges). */
int rt_userns_write_maps(pid_t pid, const struct rt_spec *spec, bool rootless,
                         struct bh_error *err);
/* A user namespace with these mappings, as an fd (for idmapped mounts). */
int rt_userns_fd_for(const struct rt_idmap *uids, size_t nu, const struct rt_idmap *gids, size_t ng,
                     struct bh_error *err);

/* process.c: what init and exec share after the namespaces are set up */
int rt_exec_path_lookup(const struct rt_process *p, char **out, struct bh_error *err);
int rt_process_finish(struct rt_init *in, const struct rt_process *p, int report_fd,
                      struct bh_error *err);
__attribute__((noreturn)) void rt_process_exec(struct rt_init *in, const struct rt_process *p,
                                               int report_fd);
/* Reports err over fd (RT_MSG_ERROR) and exits. */
__attribute__((noreturn)) void rt_init_fail(int fd, const struct bh_error *err);
