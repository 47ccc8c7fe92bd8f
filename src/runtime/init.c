/* The container's init, from clone to execve. It joins and makes the
 * namespaces, builds the root file system, waits to be started, and turns
 * into the container's program. It reports every failure to the runtime
 * over the sync socket before exiting. */
#include "runtime/caps.h"
#include "runtime/linux.h"
#include "runtime/log.h"
#include "runtime/sync.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define FAIL(in, err) rt_init_fail((in)->sync_fd, (err))

static void expect(struct rt_init *in, uint32_t type, struct bh_error *err)
{
        struct rt_msg m;
        int r = rt_msg_recv(in->sync_fd, &m, NULL);
        if (r <= 0)
                _exit(1); /* the runtime went away: nothing to report to */
        if (m.type != type) {
                bh_error_set(err, EPROTO, "init: unexpected message %u from the runtime", m.type);
                FAIL(in, err);
        }
        if (type == RT_MSG_GO)
                in->host_pid = m.value;
}

static void join_namespaces(struct rt_init *in, struct bh_error *err)
{
        /* the user namespace first: the others may belong to it */
        if (in->ns_fds[RT_NS_USER] >= 0) {
                if (setns(in->ns_fds[RT_NS_USER], CLONE_NEWUSER) < 0) {
                        bh_error_errno(err, errno, "joining the user namespace %s",
                                       in->spec->ns_path[RT_NS_USER]);
                        FAIL(in, err);
                }
                /* its root, so that what the init makes is owned inside it */
                if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
                        bh_error_errno(err, errno, "becoming root in the user namespace %s",
                                       in->spec->ns_path[RT_NS_USER]);
                        FAIL(in, err);
                }
        }
        for (int t = 0; t < RT_NS_COUNT; t++) {
                if (t == RT_NS_USER || t == RT_NS_TIME || in->ns_fds[t] < 0)
                        continue;
                /* a PID namespace applies to children: only the first stage joins one */
                if (t == RT_NS_PID && !in->two_stage)
                        continue;
                if (setns(in->ns_fds[t], rt_ns_clone_flags[t]) < 0) {
                        bh_error_errno(err, errno, "joining the %s namespace %s", rt_ns_names[t],
                                       in->spec->ns_path[t]);
                        FAIL(in, err);
                }
        }
        for (int t = 0; t < RT_NS_COUNT; t++)
                if (in->ns_fds[t] >= 0) {
                        close(in->ns_fds[t]);
                        in->ns_fds[t] = -1;
                }
}

/* When namespaces are joined and a new user namespace made (or a joined
 * user namespace gets a new PID namespace), the order matters: join what
 * exists while still privileged over it, then make the user namespace, then
 * the others (owned by it), then fork: a new PID namespace only takes
 * children. The fork is the init; CLONE_PARENT makes it the runtime's
 * child, and this first stage exits. */
static void stage_one(struct rt_init *in, struct bh_error *err)
{
        join_namespaces(in, err);
        if (in->userns_new) {
                if (unshare(CLONE_NEWUSER) < 0) {
                        bh_error_errno(err, errno, "a new user namespace");
                        FAIL(in, err);
                }
                rt_msg_send(in->sync_fd, RT_MSG_UNSHARED, 0, NULL);
                expect(in, RT_MSG_MAPPED, err);
                if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
                        bh_error_errno(err, errno, "becoming root in the user namespace");
                        FAIL(in, err);
                }
        }
        if (in->stage_one_flags && unshare(in->stage_one_flags) < 0) {
                bh_error_errno(err, errno, "unshare");
                FAIL(in, err);
        }
        struct clone_args args = {.flags = CLONE_PARENT};
        pid_t child = (pid_t)syscall(SYS_clone3, &args, sizeof args);
        if (child < 0) {
                bh_error_errno(err, errno, "forking the init");
                FAIL(in, err);
        }
        if (child > 0) {
                rt_msg_send(in->sync_fd, RT_MSG_CHILD, child, NULL);
                _exit(0);
        }
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

static json_t *hook_state(struct rt_init *in, const char *status)
{
        json_t *s = json_pack("{s:s, s:s, s:s, s:i, s:s}", "ociVersion", RT_OCI_VERSION, "id",
                              in->opts->id, "status", status, "pid", (int)in->host_pid, "bundle",
                              in->spec->bundle ? in->spec->bundle : "");
        if (in->spec->annotations)
                json_object_set(s, "annotations", in->spec->annotations);
        return s;
}

static void run_container_hooks(struct rt_init *in, enum rt_hook_kind kind, const char *status,
                                int report_fd, struct bh_error *err)
{
        if (!in->spec->hooks[kind].n)
                return;
        json_t *st = hook_state(in, status);
        int r = rt_hooks_run(&in->spec->hooks[kind], rt_hook_names[kind], st, false, err);
        json_decref(st);
        if (r < 0)
                rt_init_fail(report_fd, err);
}

static void setup_root(struct rt_init *in, struct bh_error *err)
{
        int rootfd = -1;
        if (!in->spec->ns_wanted[RT_NS_MNT]) {
                /* no mount namespace: a chroot is all that can be done */
                if (chroot(in->spec->root) < 0 || chdir("/") < 0) {
                        bh_error_errno(err, errno, "chroot %s", in->spec->root);
                        FAIL(in, err);
                }
                return;
        }
        if (rt_rootfs_prepare(in, &rootfd, err) < 0 || rt_mounts_setup(in, rootfd, err) < 0 ||
            rt_devices_setup(in, rootfd, err) < 0)
                FAIL(in, err);
        /* a missing working directory is made, as runc does */
        int cwd = rt_mkpath_beneath(rootfd, in->spec->process.cwd, false, err);
        if (cwd < 0) {
                bh_error_prefix(err, "process.cwd");
                FAIL(in, err);
        }
        close(cwd);
        if (in->spec->hooks[RT_HOOK_PRESTART].n || in->spec->hooks[RT_HOOK_CREATE_RUNTIME].n) {
                rt_msg_send(in->sync_fd, RT_MSG_HOOKS, 0, NULL);
                expect(in, RT_MSG_HOOKS_DONE, err);
        }
        run_container_hooks(in, RT_HOOK_CREATE_CONTAINER, "creating", in->sync_fd, err);
        if (rt_rootfs_pivot(in, rootfd, err) < 0)
                FAIL(in, err);
        close(rootfd);
        if (rt_rootfs_finish(in, err) < 0)
                FAIL(in, err);
}

static void on_stop_signal(int sig)
{
        _exit(128 + sig);
}

/* Created, not started: wait on start.sock for `bulkhead-runtime start`.
 * Returns the accepted connection, on which the outcome is reported. */
static int wait_for_start(struct rt_init *in, struct bh_error *err)
{
        /* PID 1 ignores signals it has no handler for: give the usual ones
         * one, so a created container can be stopped */
        struct sigaction sa = {.sa_handler = on_stop_signal};
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        for (;;) {
                int c = accept4(in->start_listen_fd, NULL, NULL, SOCK_CLOEXEC);
                if (c < 0) {
                        if (errno == EINTR)
                                continue;
                        bh_error_errno(err, errno, "init: waiting for start");
                        rt_init_fail(-1, err);
                }
                struct ucred cred;
                socklen_t len = sizeof cred;
                struct rt_msg m;
                if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
                    (cred.uid == 0 || cred.uid == geteuid() || in->g->rootless) &&
                    rt_msg_recv(c, &m, NULL) == 1 && m.type == RT_MSG_START) {
                        close(in->start_listen_fd);
                        in->start_listen_fd = -1;
                        return c;
                }
                close(c);
        }
}

/* Descriptors the caller left open (beyond stdio): the init closes those past
 * --preserve-fds as soon as it starts, not only when the program execs, so a
 * created container does not hold its caller's pipes until `start`. */
static int inherited_fds[256];
static size_t n_inherited_fds;

void rt_note_inherited_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        if (!d)
                return;
        struct dirent *e;
        while ((e = readdir(d)) != NULL && n_inherited_fds < BH_ARRAY_SIZE(inherited_fds)) {
                char *end;
                long fd = strtol(e->d_name, &end, 10);
                if (*end || end == e->d_name || fd < 3 || fd == dirfd(d))
                        continue;
                inherited_fds[n_inherited_fds++] = (int)fd;
        }
        closedir(d);
}

void rt_close_inherited_fds(int first)
{
        for (size_t i = 0; i < n_inherited_fds; i++)
                if (inherited_fds[i] >= first)
                        close(inherited_fds[i]);
}

__attribute__((noreturn)) void rt_init_main(struct rt_init *in)
{
        struct bh_error err = {0};
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        /* nothing inherited past the preserved descriptors reaches the program */
        syscall(SYS_close_range, in->first_closed_fd, ~0U, CLOSE_RANGE_CLOEXEC);
        rt_close_inherited_fds(in->first_closed_fd);
        umask(0);
        /* first, before anything could fork: limits apply from here on */
        if (in->join_cgroups && rt_cgroup_enter_self(in->cg, &err) < 0)
                FAIL(in, &err);
        if (in->two_stage) {
                stage_one(in, &err);
                expect(in, RT_MSG_GO, &err);
        } else {
                if (in->userns_new) {
                        expect(in, RT_MSG_GO, &err);
                        /* root of the new namespace: files made from here belong to it */
                        if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
                                bh_error_errno(&err, errno, "becoming root in the user namespace");
                                FAIL(in, &err);
                        }
                }
                join_namespaces(in, &err);
                if (!in->userns_new)
                        expect(in, RT_MSG_GO, &err);
        }
        if (in->unshare_flags && unshare(in->unshare_flags) < 0) {
                bh_error_errno(&err, errno, "unshare");
                FAIL(in, &err);
        }
        if (in->spec->hostname && sethostname(in->spec->hostname, strlen(in->spec->hostname)) < 0) {
                bh_error_errno(&err, errno, "hostname %s", in->spec->hostname);
                FAIL(in, &err);
        }
        if (in->spec->domainname &&
            setdomainname(in->spec->domainname, strlen(in->spec->domainname)) < 0) {
                bh_error_errno(&err, errno, "domainname %s", in->spec->domainname);
                FAIL(in, &err);
        }
        if (!in->opts->no_new_keyring &&
            syscall(SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, in->opts->id) < 0 &&
            errno != ENOSYS && errno != EPERM && errno != EACCES)
                rt_debug("init: no session keyring of its own: %s", strerror(errno));
        setup_root(in, &err);
        const struct rt_process *p = &in->spec->process;
        if (rt_exec_path_lookup(p, &in->exec_path, &err) < 0)
                FAIL(in, &err);
        if (p->terminal) {
                int master = -1;
                if (rt_terminal_setup(in, p, in->spec->ns_wanted[RT_NS_MNT], &master, &err) < 0)
                        FAIL(in, &err);
                if (master >= 0) {
                        rt_msg_send_fd(in->sync_fd, RT_MSG_FD, 0, master);
                        close(master);
                }
        }
        int report = in->sync_fd;
        bool detached = !in->run || in->opts->detach;
        if (detached)
                prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
        rt_msg_send(in->sync_fd, RT_MSG_READY, 0, NULL);
        if (in->run) {
                expect(in, RT_MSG_START, &err);
        } else {
                close(in->sync_fd);
                in->sync_fd = -1;
                report = wait_for_start(in, &err);
        }
        run_container_hooks(in, RT_HOOK_START_CONTAINER, "created", report, &err);
        if (rt_process_finish(in, p, report, &err) < 0)
                rt_init_fail(report, &err);
        rt_process_exec(in, p, report);
}
