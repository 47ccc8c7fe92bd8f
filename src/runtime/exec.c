/* exec: a new process in a running container. The runtime enters the
 * container's PID namespace for its children only, forks, joins the child
 * to the container's cgroups; the child enters the other namespaces through
 * the init's pidfd (one setns), chroots to the init's root, and finishes
 * like the init does: same capabilities rules, same seccomp filter (kept in
 * the state directory at create), same descriptor hygiene. */
#include "runtime/caps.h"
#include "runtime/linux.h"
#include "runtime/log.h"
#include "runtime/seccomp_setup.h"
#include "runtime/sealed.h"
#include "runtime/sync.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static int parse_user(const char *s, struct rt_process *p, struct bh_error *err)
{
        char *end;
        unsigned long uid = strtoul(s, &end, 10);
        if (end == s || (*end && *end != ':'))
                return bh_error_set(err, EINVAL, "--user %s: give uid[:gid] as numbers", s);
        p->uid = (uid_t)uid;
        if (*end == ':') {
                const char *g = end + 1;
                unsigned long gid = strtoul(g, &end, 10);
                if (end == g || *end)
                        return bh_error_set(err, EINVAL, "--user %s: give uid[:gid] as numbers", s);
                p->gid = (gid_t)gid;
        }
        return 0;
}

/* exec's process: --process FILE (what containerd passes) or the inline
 * flags with defaults from the container's config.json. */
static int load_process(const struct rt_exec_opts *o, const struct rt_state *st,
                        struct rt_process *p, struct bh_error *err)
{
        if (o->process_file) {
                json_t *j = bh_json_load_file(o->process_file, 1 << 20, err);
                if (!j)
                        return -EINVAL;
                int r = rt_process_from_json(j, "process", p, err);
                json_decref(j);
                if (r < 0)
                        bh_error_prefix(err, "%s", o->process_file);
                return r;
        }
        if (!o->args || !o->args[0])
                return bh_error_set(err, EINVAL, "exec: give a command or --process FILE");
        /* defaults: the container's own process */
        _cleanup_free_ char *cfg = bh_path_join(st->bundle, "config.json");
        json_t *doc = bh_json_load_file(cfg, RT_CONFIG_MAX, err);
        if (!doc)
                return -EINVAL;
        json_t *base = json_deep_copy(json_object_get(doc, "process"));
        json_decref(doc);
        if (!json_is_object(base)) {
                json_decref(base);
                return bh_error_set(err, EINVAL, "%s: no process object", cfg);
        }
        json_t *args = json_array();
        for (char **a = o->args; *a; a++)
                json_array_append_new(args, json_string(*a));
        json_object_set_new(base, "args", args);
        json_object_set_new(base, "terminal", json_boolean(o->tty));
        if (o->cwd)
                json_object_set_new(base, "cwd", json_string(o->cwd));
        json_t *env = json_object_get(base, "env");
        if (!json_is_array(env)) {
                env = json_array();
                json_object_set_new(base, "env", env);
        }
        for (char **e = o->env; e && *e; e++)
                json_array_append_new(env, json_string(*e));
        if (o->caps && o->caps[0]) {
                json_t *caps = json_object_get(base, "capabilities");
                if (!json_is_object(caps)) {
                        caps = json_object();
                        json_object_set_new(base, "capabilities", caps);
                }
                static const char *const sets[] = {"bounding", "effective", "permitted"};
                for (size_t i = 0; i < BH_ARRAY_SIZE(sets); i++) {
                        json_t *set = json_object_get(caps, sets[i]);
                        if (!json_is_array(set)) {
                                set = json_array();
                                json_object_set_new(caps, sets[i], set);
                        }
                        for (char **c = o->caps; *c; c++)
                                json_array_append_new(set, json_string(*c));
                }
        }
        if (o->no_new_privs)
                json_object_set_new(base, "noNewPrivileges", json_true());
        int r = rt_process_from_json(base, "process", p, err);
        json_decref(base);
        if (r < 0)
                return r;
        if (o->user && parse_user(o->user, p, err) < 0)
                return -EINVAL;
        for (char **g = o->additional_gids; g && *g; g++) {
                p->additional_gids =
                    bh_xreallocarray(p->additional_gids, p->n_additional_gids + 1, sizeof(gid_t));
                p->additional_gids[p->n_additional_gids++] = (gid_t)strtoul(*g, NULL, 10);
        }
        return 0;
}

/* Namespaces of the init that differ from ours (setns into our own user
 * namespace is an error). */
static int ns_flags_of(pid_t pid, bool *user, bool *pidns)
{
        static const char *const names[] = {"mnt",    "net",  "ipc",  "uts",
                                            "cgroup", "time", "user", "pid"};
        static const int flags[] = {CLONE_NEWNS,     CLONE_NEWNET, CLONE_NEWIPC,  CLONE_NEWUTS,
                                    CLONE_NEWCGROUP, 0x80,         CLONE_NEWUSER, CLONE_NEWPID};
        int out = 0;
        *user = *pidns = false;
        for (size_t i = 0; i < BH_ARRAY_SIZE(names); i++) {
                char a[64], b[64];
                snprintf(a, sizeof a, "/proc/self/ns/%s", names[i]);
                snprintf(b, sizeof b, "/proc/%d/ns/%s", pid, names[i]);
                struct stat sa, sb;
                if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
                        continue;
                if (sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev)
                        continue;
                if (flags[i] == CLONE_NEWUSER)
                        *user = true;
                else if (flags[i] == CLONE_NEWPID)
                        *pidns = true;
                else
                        out |= flags[i];
        }
        return out;
}

struct exec_ctx {
        struct rt_init in;
        struct rt_spec spec; /* only .process and the members exec reads */
        struct bh_seccomp_prog seccomp;
        int sync_fd;
        int pidfd;  /* the init's */
        int rootfd; /* the init's root */
        int ns_flags;
        bool userns;
        bool pidns_by_child;           /* rootless: the PID namespace is entered by the child */
        struct rt_create_opts opts;    /* only .id: what hooks and the seccomp agent see */
        int own_pidns;                 /* the runtime's PID namespace, to return to */
        struct rt_cgroup cg;           /* what the process joins */
        struct rt_cgroup_dir *cg_dirs; /* owned when --cgroup names a sub-cgroup */
        pid_t child;
        int child_pidfd;
        int pty_master;
};

__attribute__((noreturn)) static void exec_child(struct exec_ctx *x)
{
        struct rt_init *in = &x->in;
        struct bh_error err = {0};
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        syscall(SYS_close_range, in->first_closed_fd, ~0U, CLOSE_RANGE_CLOEXEC);
        if (in->join_cgroups && rt_cgroup_enter_self(in->cg, &err) < 0)
                rt_init_fail(in->sync_fd, &err);
        int flags =
            x->ns_flags | (x->userns ? CLONE_NEWUSER : 0) | (x->pidns_by_child ? CLONE_NEWPID : 0);
        if (flags && setns(x->pidfd, flags) < 0) {
                bh_error_errno(&err, errno, "entering the container's namespaces");
                rt_init_fail(in->sync_fd, &err);
        }
        if (fchdir(x->rootfd) < 0 || chroot(".") < 0 || chdir("/") < 0) {
                bh_error_errno(&err, errno, "entering the container's root");
                rt_init_fail(in->sync_fd, &err);
        }
        close(x->rootfd);
        close(x->pidfd);
        if (x->pidns_by_child) {
                /* a PID namespace applies to children: one more, made our
                 * parent's child so the runtime can wait for it */
                struct clone_args args = {.flags = CLONE_PARENT};
                pid_t c = (pid_t)syscall(SYS_clone3, &args, sizeof args);
                if (c < 0) {
                        bh_error_errno(&err, errno, "entering the container's PID namespace");
                        rt_init_fail(in->sync_fd, &err);
                }
                if (c > 0) {
                        rt_msg_send(in->sync_fd, RT_MSG_CHILD, c, NULL);
                        _exit(0);
                }
                prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        }
        struct rt_msg m;
        if (rt_msg_recv(in->sync_fd, &m, NULL) != 1 || m.type != RT_MSG_GO)
                _exit(1);
        in->host_pid = m.value;
        const struct rt_process *p = &x->spec.process;
        if (rt_exec_path_lookup(p, &in->exec_path, &err) < 0)
                rt_init_fail(in->sync_fd, &err);
        if (p->terminal) {
                int master = -1;
                if (rt_terminal_setup(in, p, false, &master, &err) < 0)
                        rt_init_fail(in->sync_fd, &err);
                if (master >= 0) {
                        rt_msg_send_fd(in->sync_fd, RT_MSG_FD, 0, master);
                        close(master);
                }
        }
        if (!in->run) /* --detach: the runtime exits once the program runs */
                prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
        if (rt_process_finish(in, p, in->sync_fd, &err) < 0)
                rt_init_fail(in->sync_fd, &err);
        rt_process_exec(in, p, in->sync_fd);
}

static int wait_child(struct exec_ctx *x, int *exit_status)
{
        sigset_t fwd;
        sigemptyset(&fwd);
        int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};
        for (size_t i = 0; i < BH_ARRAY_SIZE(sigs); i++)
                sigaddset(&fwd, sigs[i]);
        sigprocmask(SIG_BLOCK, &fwd, NULL);
        int sfd = signalfd(-1, &fwd, SFD_CLOEXEC);
        if (x->pty_master >= 0)
                rt_terminal_proxy(x->pty_master, x->child_pidfd);
        for (;;) {
                struct pollfd fds[2] = {{.fd = x->child_pidfd, .events = POLLIN},
                                        {.fd = sfd, .events = POLLIN}};
                if (poll(fds, 2, -1) < 0 && errno == EINTR)
                        continue;
                if (fds[0].revents & POLLIN)
                        break;
                if (fds[1].revents & POLLIN) {
                        struct signalfd_siginfo si;
                        if (read(sfd, &si, sizeof si) == sizeof si)
                                syscall(SYS_pidfd_send_signal, x->child_pidfd, (int)si.ssi_signo,
                                        NULL, 0);
                }
        }
        int status = 0;
        while (waitpid(x->child, &status, 0) < 0 && errno == EINTR)
                ;
        if (sfd >= 0)
                close(sfd);
        *exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return 0;
}

static int exec_wait_started(struct exec_ctx *x, struct bh_error *err)
{
        for (;;) {
                struct rt_msg m;
                int fd = -1;
                int r = rt_msg_recv(x->sync_fd, &m, &fd);
                if (r == 0)
                        return 0; /* close-on-exec: the program runs */
                if (r < 0)
                        return bh_error_errno(err, -r, "exec: waiting for the process");
                if (m.type == RT_MSG_FD) {
                        x->pty_master = fd;
                        continue;
                }
                if (fd >= 0)
                        close(fd);
                return bh_error_set(err, m.value > 0 ? m.value : EIO, "%s", m.text);
        }
}

static int exec_prepare(const struct rt_global *g, const struct rt_exec_opts *o,
                        const struct rt_state *st, struct exec_ctx *x, struct bh_error *err)
{
        if (load_process(o, st, &x->spec.process, err) < 0)
                return -EINVAL;
        /* the container's processes, or this one, could open our exe */
        if ((st->ptrace_exposed || (!st->userns && x->spec.process.has_caps &&
                                    (x->spec.process.caps.bounding & (1ULL << 19)))) &&
            rt_sealed_reexec(err) < 0)
                return -EPERM;
        struct rt_policy policy;
        int r = rt_policy_load(g->policy_path, &policy, err);
        if (r == 0)
                r = rt_policy_apply_process(&policy, &x->spec.process, st->userns, err);
        rt_policy_free(&policy);
        if (r < 0)
                return r;
        if (st->has_seccomp) {
                if (rt_seccomp_load_saved(st->dir, &x->seccomp) < 0)
                        return bh_error_set(err, EIO,
                                            "container %s: its seccomp filter is missing from %s",
                                            st->id, st->dir);
                x->in.seccomp = &x->seccomp;
        }
        x->in.notify_fd = -1;
        if (x->seccomp.notify) {
                /* the container's notify filter: its agent gets this process's listener too */
                const char *lp =
                    json_string_value(json_object_get(st->seccomp_listener, "listenerPath"));
                if (!lp)
                        return bh_error_set(err, EINVAL,
                                            "container %s: its seccomp filter notifies, but its "
                                            "listenerPath is not recorded",
                                            st->id);
                x->in.notify_fd = rt_unix_connect(lp, SOCK_STREAM);
                if (x->in.notify_fd < 0)
                        return bh_error_errno(err, -x->in.notify_fd,
                                              "linux.seccomp.listenerPath %s", lp);
                x->spec.seccomp = st->seccomp_listener;
        }
        x->opts.id = st->id;
        x->in.opts = &x->opts;
        x->in.console_fd = -1;
        if (x->spec.process.terminal) {
                if (!o->console_socket && o->detach)
                        return bh_error_set(err, EINVAL,
                                            "exec --tty --detach needs --console-socket");
                if (o->console_socket) {
                        x->in.console_fd = rt_unix_connect(o->console_socket, SOCK_STREAM);
                        if (x->in.console_fd < 0)
                                return bh_error_errno(err, -x->in.console_fd, "console socket %s",
                                                      o->console_socket);
                }
        }
        x->pidfd = rt_state_pidfd(st);
        if (x->pidfd < 0)
                return bh_error_set(err, ESRCH, "container not running");
        char root[64];
        snprintf(root, sizeof root, "/proc/%d/root", st->pid);
        x->rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (x->rootfd < 0)
                return bh_error_errno(err, errno, "container %s: %s", st->id, root);
        bool pidns;
        x->ns_flags = ns_flags_of(st->pid, &x->userns, &pidns);
        return pidns ? 1 : 0;
}

/* The container's cgroups, or a sub-cgroup of them (--cgroup). */
static void exec_cgroup(struct exec_ctx *x, const struct rt_state *st, const char *subpath)
{
        x->cg = st->cgroup;
        if (subpath && st->cgroup.n) {
                x->cg_dirs = bh_xcalloc(st->cgroup.n + 1, sizeof *x->cg_dirs);
                for (size_t i = 0; i < st->cgroup.n; i++) {
                        x->cg_dirs[i] = st->cgroup.dirs[i];
                        x->cg_dirs[i].path = bh_path_join(st->cgroup.dirs[i].path, subpath);
                }
                x->cg.dirs = x->cg_dirs;
        }
        x->in.cg = &x->cg;
        x->in.join_cgroups = st->cgroup.mode != RT_CGROUP_NONE;
}

/* Forks the process: in the container's PID namespace (entered for our
 * children only, or by the child itself when we lack the privilege), born in
 * its cgroup2 directory. x->child is the process that will exec. */
static int exec_spawn(struct exec_ctx *x, bool pidns, struct bh_error *err)
{
        int sp[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
                return bh_error_errno(err, errno, "socketpair");
        x->sync_fd = sp[0];
        x->in.sync_fd = sp[1];
        x->own_pidns = pidns ? open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC) : -1;
        if (pidns && setns(x->pidfd, CLONE_NEWPID) < 0) {
                if (errno != EPERM || !x->userns) {
                        close(sp[1]);
                        return bh_error_errno(err, errno, "entering the container's PID namespace");
                }
                x->pidns_by_child = true;
        }
        int cpidfd = -1;
        struct clone_args args = {
            .flags = CLONE_PIDFD, .pidfd = (uint64_t)(uintptr_t)&cpidfd, .exit_signal = SIGCHLD};
        int unified = x->in.join_cgroups ? rt_cgroup_unified_fd(&x->cg) : -1;
        if (unified >= 0) {
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t)unified;
        }
        x->child = (pid_t)syscall(SYS_clone3, &args, sizeof args);
        bool unified_by_write = false;
        if (x->child < 0 && unified >= 0) {
                args.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
                unified_by_write = true;
                x->child = (pid_t)syscall(SYS_clone3, &args, sizeof args);
        }
        if (x->child == 0)
                exec_child(x);
        int clone_errno = errno;
        /* our own later children belong to our namespace again */
        if (x->own_pidns >= 0 && !x->pidns_by_child)
                setns(x->own_pidns, CLONE_NEWPID);
        if (unified >= 0)
                close(unified);
        close(sp[1]);
        if (x->child < 0)
                return bh_error_errno(err, clone_errno, "exec: clone");
        x->child_pidfd = cpidfd;
        if (x->pidns_by_child) {
                /* the intermediate reports its child (ours by CLONE_PARENT) and exits */
                struct rt_msg m;
                int rr = rt_msg_recv(x->sync_fd, &m, NULL);
                waitpid(x->child, NULL, 0);
                close(x->child_pidfd);
                x->child_pidfd = -1;
                x->child = -1;
                if (rr != 1 || m.type != RT_MSG_CHILD)
                        return rr == 1 && m.type == RT_MSG_ERROR
                                   ? bh_error_set(err, m.value > 0 ? m.value : EIO, "%s", m.text)
                                   : bh_error_set(err, EIO,
                                                  "exec: the intermediate process failed");
                x->child = m.value;
                x->child_pidfd = (int)syscall(SYS_pidfd_open, x->child, 0);
        }
        if (unified_by_write && rt_cgroup_enter_unified(&x->cg, x->child, err) < 0)
                return -EIO;
        return 0;
}

static void exec_ctx_free(struct exec_ctx *x)
{
        int fds[] = {x->own_pidns,   x->sync_fd,    x->pidfd,         x->rootfd,
                     x->child_pidfd, x->pty_master, x->in.console_fd, x->in.notify_fd};
        for (size_t i = 0; i < BH_ARRAY_SIZE(fds); i++)
                if (fds[i] >= 0)
                        close(fds[i]);
        if (x->cg_dirs) {
                for (size_t i = 0; i < x->cg.n; i++)
                        free(x->cg_dirs[i].path);
                free(x->cg_dirs);
        }
        rt_process_free(&x->spec.process);
        bh_seccomp_prog_free(&x->seccomp);
}

static int exec_output(const struct rt_exec_opts *o, const struct exec_ctx *x, struct bh_error *err)
{
        if (o->pidfd_socket && rt_send_pidfd(o->pidfd_socket, x->child_pidfd, err) < 0)
                return -EIO;
        if (o->pid_file) {
                char buf[24];
                int n = snprintf(buf, sizeof buf, "%d", x->child);
                if (rt_write_file(o->pid_file, buf, (size_t)n, 0644, err) < 0)
                        return -EIO;
        }
        return 0;
}

int rt_exec(const struct rt_global *g, const struct rt_exec_opts *o, int *exit_status,
            struct bh_error *err)
{
        struct rt_state st;
        enum rt_status status;
        if (rt_load(g, o->id, &st, &status, err) < 0)
                return -ENOENT;
        struct exec_ctx x = {.sync_fd = -1,
                             .pidfd = -1,
                             .rootfd = -1,
                             .own_pidns = -1,
                             .child = -1,
                             .child_pidfd = -1,
                             .pty_master = -1,
                             .in = {.console_fd = -1, .notify_fd = -1}};
        int r;
        if (status == RT_STOPPED || status == RT_CREATING) {
                r = bh_error_set(err, ESRCH,
                                 "cannot exec in a stopped container: container not running");
                goto out;
        }
        if (status == RT_PAUSED && !o->ignore_paused) {
                r = bh_error_set(err, EBUSY,
                                 "cannot exec in a paused container (pause it again after, or "
                                 "pass --ignore-paused)");
                goto out;
        }
        int pidns = exec_prepare(g, o, &st, &x, err);
        if (pidns < 0) {
                r = pidns;
                goto out;
        }
        x.in.g = g;
        x.in.spec = &x.spec;
        x.in.run = !o->detach;
        x.in.first_closed_fd = 3 + o->preserve_fds;
        x.in.start_listen_fd = -1;
        x.in.devnull_fd = -1;
        x.in.proc_fd = -1;
        exec_cgroup(&x, &st, o->cgroup);
        if (!g->rootless)
                prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        r = exec_spawn(&x, pidns != 0, err);
        if (r < 0) {
                if (x.child > 0) {
                        syscall(SYS_pidfd_send_signal, x.child_pidfd, SIGKILL, NULL, 0);
                        waitpid(x.child, NULL, 0);
                }
                goto out;
        }
        if (x.spec.process.has_oom_score_adj) { /* docker exec passes the container's */
                char path[64], val[16];
                snprintf(path, sizeof path, "/proc/%d/oom_score_adj", (int)x.child);
                int n = snprintf(val, sizeof val, "%d", x.spec.process.oom_score_adj);
                int fd = open(path, O_WRONLY | O_CLOEXEC);
                bool ok = fd >= 0 && write(fd, val, (size_t)n) == n;
                int e = errno;
                if (fd >= 0)
                        close(fd);
                if (!ok) {
                        r = bh_error_errno(err, e, "process.oomScoreAdj %d",
                                           x.spec.process.oom_score_adj);
                        syscall(SYS_pidfd_send_signal, x.child_pidfd, SIGKILL, NULL, 0);
                        waitpid(x.child, NULL, 0);
                        goto out;
                }
        }
        rt_msg_send(x.sync_fd, RT_MSG_GO, x.child, NULL);
        r = exec_wait_started(&x, err);
        if (r == 0)
                r = exec_output(o, &x, err);
        if (r < 0) {
                syscall(SYS_pidfd_send_signal, x.child_pidfd, SIGKILL, NULL, 0);
                waitpid(x.child, NULL, 0);
        } else if (!o->detach) {
                wait_child(&x, exit_status);
        }
out:
        exec_ctx_free(&x);
        rt_state_free(&st);
        return r;
}
