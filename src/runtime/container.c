/* create, start, run, delete, kill, pause/resume: the runtime's side. The
 * runtime clones the init straight into its new namespaces (clone3, no
 * re-execution), joins it to its cgroups, maps its ids, runs the runtime
 * namespace hooks when asked, and records the state once the init reports
 * it is ready. Anything that fails before that undoes everything: no state
 * directory, cgroup, mount or process survives a failed create. */
#include "runtime/caps.h"
#include "runtime/linux.h"
#include "runtime/log.h"
#include "runtime/seccomp_setup.h"
#include "runtime/sealed.h"
#include "runtime/sync.h"
#include "base/buf.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct create_ctx {
        const struct rt_global *g;
        const struct rt_create_opts *o;
        struct rt_spec spec;
        struct rt_policy policy;
        struct bh_seccomp_prog seccomp;
        bool have_seccomp;
        char *state_dir;
        struct rt_cgroup cg;
        bool cg_made;
        struct rt_init in;
        int sync_fd;
        pid_t pid;
        int pidfd;
        int pty_master;
        bool unified_by_write;
        char *auto_userns_marker;
};

/* ---- helpers ---- */

int rt_signal_from_name(const char *name)
{
        static const struct {
                const char *name;
                int sig;
        } sigs[] = {
            {"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},     {"ILL", SIGILL},
            {"TRAP", SIGTRAP},     {"ABRT", SIGABRT}, {"IOT", SIGIOT},       {"BUS", SIGBUS},
            {"FPE", SIGFPE},       {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
            {"USR2", SIGUSR2},     {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM},
            {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP},
            {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
            {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
            {"WINCH", SIGWINCH},   {"IO", SIGIO},     {"POLL", SIGPOLL},     {"PWR", SIGPWR},
            {"SYS", SIGSYS}};
        if (!name || !*name)
                return -1;
        char *end;
        long n = strtol(name, &end, 10);
        if (*end == '\0')
                return n > 0 && n < NSIG ? (int)n : -1;
        const char *bare = strncasecmp(name, "SIG", 3) == 0 ? name + 3 : name;
        for (size_t i = 0; i < BH_ARRAY_SIZE(sigs); i++)
                if (strcasecmp(bare, sigs[i].name) == 0)
                        return sigs[i].sig;
        if (strncasecmp(bare, "RTMIN", 5) == 0 || strncasecmp(bare, "RTMAX", 5) == 0) {
                int off = bare[5] ? atoi(bare + 5) : 0;
                int s = (strncasecmp(bare, "RTMIN", 5) == 0) ? SIGRTMIN + off : SIGRTMAX + off;
                return s >= SIGRTMIN && s <= SIGRTMAX ? s : -1;
        }
        return -1;
}

static int open_ns(const char *path, int type, const char *what, struct bh_error *err)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return bh_error_errno(err, errno, "%s namespace %s", what, path);
        int t = ioctl(fd, NS_GET_NSTYPE);
        if (t >= 0 && t != type) {
                close(fd);
                return bh_error_set(err, EINVAL, "%s namespace %s: not a %s namespace", what, path,
                                    what);
        }
        return fd;
}

static int write_proc_self(const char *file, const char *text, struct bh_error *err)
{
        int fd = open(file, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return bh_error_errno(err, errno, "%s", file);
        ssize_t w = write(fd, text, strlen(text));
        int e = errno;
        close(fd);
        if (w != (ssize_t)strlen(text))
                return bh_error_errno(err, w < 0 ? e : EIO, "%s", file);
        return 0;
}

/* The listening start.sock of a created container (bound through the
 * directory's descriptor: --root paths may be longer than sun_path). */
static int start_socket(const char *dir, struct bh_error *err)
{
        _cleanup_close_ int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
                return bh_error_errno(err, errno, "%s", dir);
        int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
        if (s < 0)
                return bh_error_errno(err, errno, "start socket");
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/start.sock", dfd);
        if (bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(s, 4) < 0) {
                int e = errno;
                close(s);
                return bh_error_errno(err, e, "%s/start.sock", dir);
        }
        return s;
}

static json_t *hooks_state(const struct create_ctx *c, const char *status)
{
        json_t *s =
            json_pack("{s:s, s:s, s:s, s:i, s:s}", "ociVersion", RT_OCI_VERSION, "id", c->o->id,
                      "status", status, "pid", (int)c->pid, "bundle", c->o->bundle);
        if (c->spec.annotations)
                json_object_set(s, "annotations", c->spec.annotations);
        return s;
}

int rt_send_pidfd(const char *path, int pidfd, struct bh_error *err)
{
        int s = rt_unix_connect(path, SOCK_STREAM);
        if (s < 0)
                return bh_error_errno(err, -s, "--pidfd-socket %s", path);
        int r = rt_send_fd(s, pidfd, "pidfd", 5);
        close(s);
        if (r < 0)
                return bh_error_errno(err, -r, "sending the pidfd to %s", path);
        return 0;
}

/* ---- automatic user namespace ---- */

static char *userns_alloc_dir(const struct rt_global *g)
{
        _cleanup_free_ char *cache = rt_seccomp_cache_dir(g->rootless);
        return bh_xasprintf("%s.userns", cache);
}

/* Gives the spec a user namespace of its own: the first free slot of the
 * policy's host range, claimed by creating a marker file named after it. */
static int auto_userns(struct create_ctx *c, struct bh_error *err)
{
        const struct rt_policy *p = &c->policy;
        _cleanup_free_ char *dir = userns_alloc_dir(c->g);
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return bh_error_errno(err, errno, "autoUserNamespace: %s", dir);
        uint32_t slots = p->auto_userns_count / p->auto_userns_size;
        uint32_t h = 2166136261u;
        for (const char *s = c->o->id; *s; s++)
                h = (h ^ (uint8_t)*s) * 16777619u;
        for (uint32_t i = 0; i < slots; i++) {
                uint32_t slot = (h + i) % slots;
                uint32_t start = p->auto_userns_start + slot * p->auto_userns_size;
                char *marker = bh_xasprintf("%s/%u", dir, start);
                int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
                if (fd < 0) {
                        free(marker);
                        if (errno == EEXIST)
                                continue;
                        return bh_error_errno(err, errno, "autoUserNamespace: %s", dir);
                }
                dprintf(fd, "%s\n", c->o->id);
                close(fd);
                c->auto_userns_marker = marker;
                struct rt_spec *sp = &c->spec;
                sp->ns_wanted[RT_NS_USER] = true;
                sp->uid_maps = bh_xcalloc(1, sizeof *sp->uid_maps);
                sp->gid_maps = bh_xcalloc(1, sizeof *sp->gid_maps);
                sp->uid_maps[0] = (struct rt_idmap){0, start, p->auto_userns_size};
                sp->gid_maps[0] = sp->uid_maps[0];
                sp->n_uid_maps = sp->n_gid_maps = 1;
                return 0;
        }
        return bh_error_set(err, ENOSPC, "autoUserNamespace: every range of %u ids is in use",
                            p->auto_userns_size);
}

/* ---- preparation in the runtime, before the clone ---- */

static int prepare_namespaces(struct create_ctx *c, int *clone_flags, struct bh_error *err)
{
        struct rt_spec *sp = &c->spec;
        bool new_user = sp->ns_wanted[RT_NS_USER] && !sp->ns_path[RT_NS_USER];
        bool joins_other = false;
        for (int t = 0; t < RT_NS_COUNT; t++)
                if (t != RT_NS_USER && t != RT_NS_TIME && sp->ns_path[t])
                        joins_other = true;
        /* one clone3 makes every new namespace at once, owned by the new user
         * namespace, when nothing has to be joined before it; otherwise the
         * init starts in two stages (init.c) */
        c->in.two_stage =
            (new_user && joins_other) || (sp->ns_path[RT_NS_USER] && sp->ns_wanted[RT_NS_PID]);
        c->in.userns_new = new_user;
        *clone_flags = 0;
        for (int t = 0; t < RT_NS_COUNT; t++) {
                c->in.ns_fds[t] = -1;
                if (!sp->ns_wanted[t])
                        continue;
                if (sp->ns_path[t]) {
                        int fd = open_ns(sp->ns_path[t], rt_ns_clone_flags[t], rt_ns_names[t], err);
                        if (fd < 0)
                                return fd;
                        c->in.ns_fds[t] = fd;
                        continue;
                }
                if (t == RT_NS_CGROUP) /* after the init has joined its cgroups */
                        c->in.unshare_flags |= CLONE_NEWCGROUP;
                else if (t == RT_NS_TIME)
                        continue; /* the runtime unshares it for its child */
                else if (c->in.two_stage && t != RT_NS_USER)
                        c->in.stage_one_flags |= rt_ns_clone_flags[t];
                else if (c->in.two_stage)
                        continue; /* the first stage unshares it */
                else if (sp->ns_path[RT_NS_USER] && t != RT_NS_PID)
                        c->in.unshare_flags |= rt_ns_clone_flags[t]; /* owned by the joined one */
                else
                        *clone_flags |= rt_ns_clone_flags[t];
        }
        return 0;
}

/* The first stage of a two-stage init: map its new user namespace, then
 * take its child, the init, as ours. */
static int wait_stage_one(struct create_ctx *c, struct bh_error *err)
{
        for (;;) {
                struct rt_msg m;
                int r = rt_msg_recv(c->sync_fd, &m, NULL);
                if (r <= 0 || m.type == RT_MSG_ERROR)
                        return bh_error_set(err, r <= 0 ? EIO : (m.value > 0 ? m.value : EIO), "%s",
                                            r <= 0 ? "the container's init exited during setup"
                                                   : m.text);
                if (m.type == RT_MSG_UNSHARED) {
                        if (rt_userns_write_maps(c->pid, &c->spec, c->g->rootless, err) < 0)
                                return -EPERM;
                        rt_msg_send(c->sync_fd, RT_MSG_MAPPED, 0, NULL);
                        continue;
                }
                if (m.type != RT_MSG_CHILD)
                        return bh_error_set(err, EPROTO, "unexpected message %u from the init",
                                            m.type);
                while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
                        ;
                if (c->pidfd >= 0)
                        close(c->pidfd);
                c->pid = m.value;
                c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
                return 0;
        }
}

static int prepare_idmapped(struct create_ctx *c, struct bh_error *err)
{
        struct rt_spec *sp = &c->spec;
        c->in.mount_fds = bh_xcalloc(sp->n_mounts + 1, sizeof(int));
        for (size_t i = 0; i < sp->n_mounts; i++)
                c->in.mount_fds[i] = -1;
        c->in.rootfs_mount_fd = -1;
        int shared = -1;
        for (size_t i = 0; i < sp->n_mounts; i++) {
                struct rt_mount *m = &sp->mounts[i];
                if (!m->idmap)
                        continue;
                int ns;
                if (m->n_uid_maps && m->n_gid_maps) {
                        ns = rt_userns_fd_for(m->uid_maps, m->n_uid_maps, m->gid_maps,
                                              m->n_gid_maps, err);
                } else {
                        if (shared < 0)
                                shared = rt_userns_fd_for(sp->uid_maps, sp->n_uid_maps,
                                                          sp->gid_maps, sp->n_gid_maps, err);
                        ns = shared >= 0 ? dup(shared) : shared;
                }
                if (ns < 0)
                        goto fail;
                c->in.mount_fds[i] = rt_open_tree_idmapped(m->source, m->recursive, ns, err);
                close(ns);
                if (c->in.mount_fds[i] < 0)
                        goto fail;
        }
        if (c->auto_userns_marker) {
                if (shared < 0)
                        shared = rt_userns_fd_for(sp->uid_maps, sp->n_uid_maps, sp->gid_maps,
                                                  sp->n_gid_maps, err);
                if (shared < 0)
                        goto fail;
                c->in.rootfs_mount_fd = rt_open_tree_idmapped(sp->root, true, shared, err);
                if (c->in.rootfs_mount_fd < 0) {
                        bh_error_prefix(err, "autoUserNamespace needs an idmapped rootfs");
                        goto fail;
                }
        }
        if (shared >= 0)
                close(shared);
        return 0;
fail:
        if (shared >= 0)
                close(shared);
        return -EINVAL;
}

static pid_t clone_init(struct create_ctx *c, int flags, struct bh_error *err)
{
        struct rt_spec *sp = &c->spec;
        _cleanup_close_ int own_pid = -1, own_time = -1;
        if (c->in.ns_fds[RT_NS_PID] >= 0 && !c->in.two_stage) {
                own_pid = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
                if (setns(c->in.ns_fds[RT_NS_PID], CLONE_NEWPID) < 0)
                        return bh_error_errno(err, errno, "joining the pid namespace %s",
                                              sp->ns_path[RT_NS_PID]);
        }
        if (sp->ns_wanted[RT_NS_TIME]) {
                own_time = open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
                if (c->in.ns_fds[RT_NS_TIME] >= 0) {
                        if (setns(c->in.ns_fds[RT_NS_TIME], CLONE_NEWTIME) < 0)
                                return bh_error_errno(err, errno, "joining the time namespace %s",
                                                      sp->ns_path[RT_NS_TIME]);
                } else {
                        if (unshare(CLONE_NEWTIME) < 0)
                                return bh_error_errno(err, errno, "a new time namespace");
                        char text[128];
                        snprintf(
                            text, sizeof text, "monotonic %lld %lld\nboottime %lld %lld\n",
                            (long long)sp->time_offsets[0][0], (long long)sp->time_offsets[0][1],
                            (long long)sp->time_offsets[1][0], (long long)sp->time_offsets[1][1]);
                        if (sp->has_time_offsets &&
                            write_proc_self("/proc/self/timens_offsets", text, err) < 0)
                                return -EINVAL;
                }
        }
        int pidfd = -1;
        struct clone_args args = {.flags = (uint64_t)flags | CLONE_PIDFD,
                                  .pidfd = (uint64_t)(uintptr_t)&pidfd,
                                  .exit_signal = SIGCHLD};
        _cleanup_close_ int unified = rt_cgroup_unified_fd(&c->cg);
        if (unified >= 0) {
                /* born in its cgroup2 directory: no migration */
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t)unified;
        }
        c->in.join_cgroups = c->cg.mode != RT_CGROUP_NONE;
        pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
        if (pid < 0 && unified >= 0) {
                /* refused (a domain that cannot take processes): migrate instead */
                args.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
                c->unified_by_write = true;
                pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
        }
        if (pid == 0) {
                rt_init_main(&c->in);
        }
        int e = errno;
        if (own_pid >= 0)
                setns(own_pid, CLONE_NEWPID);
        if (own_time >= 0)
                setns(own_time, CLONE_NEWTIME);
        if (pid < 0)
                return bh_error_errno(err, e, "cloning the container's init");
        c->pidfd = pidfd;
        return pid;
}

/* ---- talking to the init ---- */

static int wait_ready(struct create_ctx *c, struct bh_error *err)
{
        for (;;) {
                struct rt_msg m;
                int fd = -1;
                int r = rt_msg_recv(c->sync_fd, &m, &fd);
                if (r < 0)
                        return bh_error_errno(err, -r, "reading from the container's init");
                if (r == 0) {
                        int status = 0;
                        waitpid(c->pid, &status, 0);
                        c->pid = -1;
                        return bh_error_set(err, EIO,
                                            "the container's init exited during setup (status "
                                            "%d)",
                                            WIFEXITED(status) ? WEXITSTATUS(status) : -1);
                }
                switch (m.type) {
                case RT_MSG_ERROR:
                        return bh_error_set(err, m.value > 0 ? m.value : EIO, "%s", m.text);
                case RT_MSG_HOOKS: {
                        json_t *st = hooks_state(c, "creating");
                        int h = rt_hooks_run(&c->spec.hooks[RT_HOOK_PRESTART], "prestart", st,
                                             false, err);
                        if (h == 0)
                                h = rt_hooks_run(&c->spec.hooks[RT_HOOK_CREATE_RUNTIME],
                                                 "createRuntime", st, false, err);
                        json_decref(st);
                        if (h < 0)
                                return h;
                        rt_msg_send(c->sync_fd, RT_MSG_HOOKS_DONE, 0, NULL);
                        break;
                }
                case RT_MSG_FD:
                        if (c->pty_master >= 0)
                                close(c->pty_master);
                        c->pty_master = fd;
                        break;
                case RT_MSG_READY:
                        return 0;
                default:
                        if (fd >= 0)
                                close(fd);
                        return bh_error_set(err, EPROTO, "unexpected message %u from the init",
                                            m.type);
                }
        }
}

/* After START: end of file means execve succeeded (the socket is
 * close-on-exec); a message is the init's error. */
static int wait_exec(int fd, struct bh_error *err)
{
        struct rt_msg m;
        int r = rt_msg_recv(fd, &m, NULL);
        if (r == 0)
                return 0;
        if (r < 0)
                return bh_error_errno(err, -r, "waiting for the container's process to start");
        if (m.type == RT_MSG_ERROR)
                return bh_error_set(err, m.value > 0 ? m.value : EIO, "%s", m.text);
        return bh_error_set(err, EPROTO, "unexpected message %u from the init", m.type);
}

static int write_pid_file(const char *path, pid_t pid, struct bh_error *err)
{
        char buf[24];
        int n = snprintf(buf, sizeof buf, "%d", pid);
        return rt_write_file(path, buf, (size_t)n, 0644, err);
}

/* The user's name from /etc/passwd (no NSS: the binary is static). */
static char *owner_name(void)
{
        _cleanup_free_ char *data = NULL;
        uid_t uid = geteuid();
        if (bh_read_file("/etc/passwd", 4 << 20, &data, NULL, NULL) == 0) {
                char *save = NULL;
                for (char *l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                        char *c1 = strchr(l, ':');
                        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
                        if (c2 && strtoul(c2 + 1, NULL, 10) == uid) {
                                *c1 = '\0';
                                return bh_xstrdup(l);
                        }
                }
        }
        return bh_xasprintf("%u", (unsigned)uid);
}

static int save_state(struct create_ctx *c, struct bh_error *err)
{
        struct rt_state st = {0};
        st.id = (char *)c->o->id;
        st.dir = c->state_dir;
        st.pid = c->pid;
        st.pid_start = rt_proc_start_time(c->pid, NULL);
        st.bundle = (char *)c->o->bundle;
        st.rootfs = c->spec.root;
        st.created = rt_now_rfc3339();
        st.owner = c->g->rootless ? owner_name() : bh_xstrdup("root");
        st.annotations = c->spec.annotations;
        json_t *hooks = json_object();
        json_t *src = json_object_get(c->spec.json, "hooks");
        for (int k = RT_HOOK_POSTSTART; k <= RT_HOOK_POSTSTOP; k++) {
                json_t *h = json_object_get(src, rt_hook_names[k]);
                if (h)
                        json_object_set(hooks, rt_hook_names[k], h);
        }
        /* the policy's hook timeout applies to the hooks run later too */
        json_object_set_new(hooks, "defaultTimeout", json_integer(c->policy.hook_timeout));
        st.hooks = hooks;
        st.cgroup = c->cg;
        st.own_pidns = c->spec.ns_wanted[RT_NS_PID] && !c->spec.ns_path[RT_NS_PID];
        st.userns = c->spec.ns_wanted[RT_NS_USER];
        st.rootless = c->g->rootless;
        st.has_seccomp = c->have_seccomp;
        st.no_new_privileges = c->spec.process.no_new_privileges;
        st.ptrace_exposed = rt_ptrace_exposed(&c->spec);
        json_t *lp = json_object_get(c->spec.seccomp, "listenerPath");
        if (c->have_seccomp && c->seccomp.notify && lp)
                st.seccomp_listener =
                    json_pack("{s:O, s:O?}", "listenerPath", lp, "listenerMetadata",
                              json_object_get(c->spec.seccomp, "listenerMetadata"));
        if (c->auto_userns_marker)
                json_object_set_new(hooks, "autoUserNamespaceMarker",
                                    json_string(c->auto_userns_marker));
        int r = rt_state_write(&st, err);
        json_decref(st.seccomp_listener);
        json_decref(hooks);
        free(st.created);
        free(st.owner);
        return r;
}

static void create_ctx_free(struct create_ctx *c)
{
        for (int t = 0; t < RT_NS_COUNT; t++)
                if (c->in.ns_fds[t] >= 0)
                        close(c->in.ns_fds[t]);
        if (c->in.mount_fds) {
                for (size_t i = 0; i < c->spec.n_mounts; i++)
                        if (c->in.mount_fds[i] >= 0)
                                close(c->in.mount_fds[i]);
                free(c->in.mount_fds);
        }
        if (c->in.rootfs_mount_fd >= 0)
                close(c->in.rootfs_mount_fd);
        if (c->in.console_fd >= 0)
                close(c->in.console_fd);
        if (c->in.start_listen_fd >= 0)
                close(c->in.start_listen_fd);
        if (c->in.notify_fd >= 0)
                close(c->in.notify_fd);
        if (c->sync_fd >= 0)
                close(c->sync_fd);
        if (c->pidfd >= 0)
                close(c->pidfd);
        if (c->pty_master >= 0)
                close(c->pty_master);
        bh_seccomp_prog_free(&c->seccomp);
        rt_cgroup_free(&c->cg);
        rt_policy_free(&c->policy);
        rt_spec_free(&c->spec);
        free(c->state_dir);
        free(c->auto_userns_marker);
}

/* Undoes a create that failed: the init, the cgroups, the state directory. */
static void create_undo(struct create_ctx *c)
{
        if (c->pid > 0) {
                if (c->pidfd >= 0)
                        syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0);
                else
                        kill(c->pid, SIGKILL);
                while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
                        ;
                c->pid = -1;
        }
        if (c->cg_made)
                rt_cgroup_destroy(&c->cg, NULL);
        if (c->state_dir)
                rt_state_remove_dir(c->state_dir);
        if (c->auto_userns_marker)
                unlink(c->auto_userns_marker);
        if (c->o->pid_file)
                unlink(c->o->pid_file);
}

/* ---- running in the foreground ---- */

static int wait_exit(struct create_ctx *c, int *exit_status)
{
        sigset_t fwd;
        sigemptyset(&fwd);
        int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};
        for (size_t i = 0; i < BH_ARRAY_SIZE(sigs); i++)
                sigaddset(&fwd, sigs[i]);
        sigprocmask(SIG_BLOCK, &fwd, NULL);
        int sfd = signalfd(-1, &fwd, SFD_CLOEXEC);
        if (c->pty_master >= 0) {
                rt_terminal_proxy(c->pty_master, c->pidfd);
        }
        for (;;) {
                struct pollfd fds[2] = {{.fd = c->pidfd, .events = POLLIN},
                                        {.fd = sfd, .events = POLLIN}};
                int n = poll(fds, 2, -1);
                if (n < 0 && errno == EINTR)
                        continue;
                if (fds[0].revents & POLLIN)
                        break;
                if (fds[1].revents & POLLIN) {
                        struct signalfd_siginfo si;
                        if (read(sfd, &si, sizeof si) == sizeof si)
                                syscall(SYS_pidfd_send_signal, c->pidfd, (int)si.ssi_signo, NULL,
                                        0);
                }
        }
        int status = 0;
        while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
                ;
        c->pid = -1;
        if (sfd >= 0)
                close(sfd);
        *exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return 0;
}

static void run_poststart(struct create_ctx *c)
{
        if (!c->spec.hooks[RT_HOOK_POSTSTART].n)
                return;
        json_t *st = hooks_state(c, "running");
        rt_hooks_run(&c->spec.hooks[RT_HOOK_POSTSTART], "poststart", st, true, NULL);
        json_decref(st);
}

static void finish_run(struct create_ctx *c)
{
        if (c->spec.hooks[RT_HOOK_POSTSTOP].n) {
                json_t *st = hooks_state(c, "stopped");
                rt_hooks_run(&c->spec.hooks[RT_HOOK_POSTSTOP], "poststop", st, true, NULL);
                json_decref(st);
        }
        if (c->o->keep)
                return;
        if (c->cg_made) {
                /* processes left in a shared PID namespace go with the container */
                pid_t *pids = NULL;
                size_t n = 0;
                if (rt_cgroup_pids(&c->cg, &pids, &n, NULL) == 0)
                        for (size_t i = 0; i < n; i++)
                                kill(pids[i], SIGKILL);
                free(pids);
                struct bh_error e;
                if (rt_cgroup_destroy(&c->cg, &e) < 0)
                        rt_warn("%s", e.msg);
        }
        rt_state_remove_dir(c->state_dir);
        if (c->auto_userns_marker)
                unlink(c->auto_userns_marker);
}

/* ---- create / run ---- */

static int setup_io(struct create_ctx *c, bool run, struct bh_error *err)
{
        c->in.console_fd = c->in.start_listen_fd = c->in.notify_fd = -1;
        if (c->spec.process.terminal && c->o->console_socket) {
                int s = rt_unix_connect(c->o->console_socket, SOCK_STREAM);
                if (s < 0)
                        return bh_error_errno(err, -s, "console socket %s", c->o->console_socket);
                c->in.console_fd = s;
        } else if (c->spec.process.terminal && !run) {
                return bh_error_set(err, EINVAL,
                                    "process.terminal is set: create needs --console-socket to "
                                    "hand the terminal to");
        } else if (!c->spec.process.terminal && c->o->console_socket) {
                return bh_error_set(err, EINVAL,
                                    "--console-socket is given but process.terminal is false");
        }
        if (c->have_seccomp && c->seccomp.notify) {
                const char *lp =
                    json_string_value(json_object_get(c->spec.seccomp, "listenerPath"));
                int s = rt_unix_connect(lp, SOCK_STREAM);
                if (s < 0)
                        return bh_error_errno(err, -s, "linux.seccomp.listenerPath %s", lp);
                c->in.notify_fd = s;
        }
        if (!run) {
                c->in.start_listen_fd = start_socket(c->state_dir, err);
                if (c->in.start_listen_fd < 0)
                        return -EIO;
        }
        return 0;
}

static int do_create(struct create_ctx *c, bool run, struct bh_error *err)
{
        const struct rt_global *g = c->g;
        const struct rt_create_opts *o = c->o;
        if (rt_spec_load(o->bundle, &c->spec, err) < 0 ||
            rt_policy_load(g->policy_path, &c->policy, err) < 0 ||
            rt_policy_apply(&c->policy, &c->spec, err) < 0)
                return -EINVAL;
        if (c->spec.resources &&
            rt_resources_validate(c->spec.resources, "config.json: linux.resources", err) < 0)
                return -EINVAL;
        if (g->rootless && !c->spec.ns_wanted[RT_NS_USER])
                return bh_error_set(err, EPERM,
                                    "rootless: the spec needs a user namespace with mappings "
                                    "(bulkhead-runtime spec --rootless writes one)");
        if (rt_ptrace_exposed(&c->spec) && rt_sealed_reexec(err) < 0)
                return -EPERM;
        if (rt_seccomp_prepare(&c->spec, &c->policy, g->rootless, &c->seccomp, &c->have_seccomp,
                               err) < 0)
                return -EINVAL;
        if (rt_root_prepare(g->root, err) < 0)
                return -EIO;
        if (rt_state_dir_create(g->root, o->id, &c->state_dir, err) < 0) {
                free(c->state_dir);
                c->state_dir = NULL; /* not ours to remove */
                return -EEXIST;
        }
        if (c->policy.auto_userns && !c->spec.ns_wanted[RT_NS_USER] && auto_userns(c, err) < 0)
                return -ENOSPC;
        int clone_flags = 0;
        if (prepare_namespaces(c, &clone_flags, err) < 0 || setup_io(c, run, err) < 0 ||
            prepare_idmapped(c, err) < 0)
                return -EINVAL;
        _cleanup_free_ char *cgpath =
            rt_cgroup_path_for(c->spec.cgroups_path, o->id, g->systemd_cgroup, g->rootless);
        json_t *res = c->spec.resources;
        json_t *with_devices = NULL;
        if (!json_object_get(res, "devices")) {
                /* no device rules: the defaults only, never "everything" */
                with_devices = res ? json_copy(res) : json_object();
                json_object_set_new(with_devices, "devices", json_array());
                res = with_devices;
        }
        int r = rt_cgroup_create(&c->cg, cgpath, res, g->rootless, err);
        json_decref(with_devices);
        if (r < 0)
                return r;
        c->cg_made = true;
        int sp[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
                return bh_error_errno(err, errno, "socketpair");
        c->sync_fd = sp[0];
        c->in.g = g;
        c->in.opts = o;
        c->in.spec = &c->spec;
        c->in.cg = &c->cg;
        c->in.state_dir = c->state_dir;
        c->in.run = run;
        c->in.sync_fd = sp[1];
        c->in.seccomp = c->have_seccomp ? &c->seccomp : NULL;
        c->in.first_closed_fd = 3 + o->preserve_fds;
        c->in.devnull_fd = -1;
        c->in.proc_fd = -1;
        if (!g->rootless) /* see the comment on PR_SET_DUMPABLE in main.c */
                prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        c->pid = clone_init(c, clone_flags, err);
        close(sp[1]);
        c->in.sync_fd = -1;
        if (c->pid < 0)
                return -EIO;
        if (c->unified_by_write && rt_cgroup_enter_unified(&c->cg, c->pid, err) < 0)
                return -EIO;
        if (c->in.two_stage) {
                if (wait_stage_one(c, err) < 0)
                        return -EIO;
        } else if (c->in.userns_new &&
                   rt_userns_write_maps(c->pid, &c->spec, g->rootless, err) < 0) {
                return -EPERM;
        }
        if (c->spec.process.has_oom_score_adj) {
                char path[64], val[16];
                snprintf(path, sizeof path, "/proc/%d/oom_score_adj", c->pid);
                snprintf(val, sizeof val, "%d", c->spec.process.oom_score_adj);
                if (write_proc_self(path, val, err) < 0)
                        return bh_error_prefix(err, "process.oomScoreAdj");
        }
        rt_msg_send(c->sync_fd, RT_MSG_GO, c->pid, NULL);
        if (wait_ready(c, err) < 0)
                return -EIO;
        if (c->have_seccomp && rt_seccomp_save(c->state_dir, &c->seccomp, g->rootless, err) < 0)
                return -EIO;
        if (save_state(c, err) < 0)
                return -EIO;
        if (o->pid_file && write_pid_file(o->pid_file, c->pid, err) < 0)
                return -EIO;
        if (o->pidfd_socket && rt_send_pidfd(o->pidfd_socket, c->pidfd, err) < 0)
                return -EIO;
        return 0;
}

int rt_create(const struct rt_global *g, const struct rt_create_opts *o, bool run, int *exit_status,
              struct bh_error *err)
{
        if (rt_id_check(o->id, err) < 0)
                return -EINVAL;
        struct create_ctx c = {
            .g = g, .o = o, .sync_fd = -1, .pid = -1, .pidfd = -1, .pty_master = -1};
        for (int t = 0; t < RT_NS_COUNT; t++)
                c.in.ns_fds[t] = -1;
        c.in.rootfs_mount_fd = c.in.console_fd = c.in.start_listen_fd = c.in.notify_fd = -1;
        int r = do_create(&c, run, err);
        if (r < 0) {
                create_undo(&c);
                create_ctx_free(&c);
                return r;
        }
        if (run) {
                rt_msg_send(c.sync_fd, RT_MSG_START, 0, NULL);
                r = wait_exec(c.sync_fd, err);
                if (r < 0) {
                        create_undo(&c);
                        create_ctx_free(&c);
                        return r;
                }
                run_poststart(&c);
                if (!o->detach) {
                        wait_exit(&c, exit_status);
                        finish_run(&c);
                } else if (c.pty_master >= 0) {
                        rt_warn("run --detach with a terminal and no --console-socket: the "
                                "terminal is closed");
                }
        }
        c.pid = -1;
        create_ctx_free(&c);
        return 0;
}

/* ---- the other lifecycle commands ---- */

int rt_load(const struct rt_global *g, const char *id, struct rt_state *st, enum rt_status *status,
            struct bh_error *err)
{
        if (rt_state_read(g->root, id, st, err) < 0)
                return -ENOENT;
        *status = rt_state_status(st);
        return 0;
}

bool rt_ptrace_exposed(const struct rt_spec *spec)
{
        /* CAP_SYS_PTRACE over the runtime's own user namespace: a process
         * holding it can open our /proc/<pid>/exe even though we are not
         * dumpable */
        return !spec->ns_wanted[RT_NS_USER] && spec->process.has_caps &&
               (spec->process.caps.bounding & (1ULL << 19 /* CAP_SYS_PTRACE */));
}

static int hook_timeout_default(const struct rt_state *st)
{
        return (int)bh_json_int(st->hooks, "defaultTimeout", 0);
}

static void run_state_hooks(const struct rt_state *st, enum rt_hook_kind kind,
                            enum rt_status status)
{
        json_t *h = json_object_get(st->hooks, rt_hook_names[kind]);
        if (!h)
                return;
        json_t *wrap = json_pack("{s:O}", rt_hook_names[kind], h);
        struct rt_hooks hooks[RT_HOOK_KINDS];
        struct bh_error e;
        if (rt_hooks_from_json(wrap, hooks, &e) == 0) {
                for (size_t i = 0; i < hooks[kind].n; i++)
                        if (!hooks[kind].v[i].timeout)
                                hooks[kind].v[i].timeout = hook_timeout_default(st);
                json_t *state = rt_state_to_oci(st, status);
                rt_hooks_run(&hooks[kind], rt_hook_names[kind], state, true, NULL);
                json_decref(state);
        }
        rt_hooks_free(hooks);
        json_decref(wrap);
}

int rt_start(const struct rt_global *g, const char *id, struct bh_error *err)
{
        struct rt_state st;
        enum rt_status status;
        if (rt_load(g, id, &st, &status, err) < 0)
                return -ENOENT;
        int r = 0;
        _cleanup_free_ char *sock = bh_path_join(st.dir, "start.sock");
        if (status != RT_CREATED) {
                r = bh_error_set(err, EINVAL,
                                 status == RT_STOPPED ? "cannot start a container that has stopped"
                                                      : "cannot start an already running "
                                                        "container");
                goto out;
        }
        int s = rt_unix_connect(sock, SOCK_SEQPACKET);
        if (s < 0) {
                r = bh_error_set(err, ESRCH, "container not running (its init is gone)");
                goto out;
        }
        rt_msg_send(s, RT_MSG_START, 0, NULL);
        r = wait_exec(s, err);
        close(s);
        if (r < 0)
                goto out;
        unlink(sock);
        run_state_hooks(&st, RT_HOOK_POSTSTART, RT_RUNNING);
out:
        rt_state_free(&st);
        return r;
}

static int wait_gone(const struct rt_state *st, int ms)
{
        int fd = rt_state_pidfd(st);
        if (fd < 0)
                return 0;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = poll(&p, 1, ms);
        close(fd);
        return n > 0 ? 0 : -ETIMEDOUT;
}

static int signal_all(const struct rt_state *st, int sig, struct bh_error *err)
{
        if (st->cgroup.mode == RT_CGROUP_NONE) {
                int fd = rt_state_pidfd(st);
                if (fd < 0)
                        return 0;
                syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
                close(fd);
                return 0;
        }
        /* frozen, nothing can fork away from the signal */
        bool frozen = rt_cgroup_freeze(&st->cgroup, true, NULL) == 0;
        pid_t *pids = NULL;
        size_t n = 0;
        int r = rt_cgroup_pids(&st->cgroup, &pids, &n, err);
        for (size_t i = 0; i < n; i++)
                kill(pids[i], sig);
        free(pids);
        if (frozen)
                rt_cgroup_freeze(&st->cgroup, false, NULL);
        return r;
}

static void destroy(struct rt_state *st)
{
        if (st->cgroup.mode != RT_CGROUP_NONE) {
                signal_all(st, SIGKILL, NULL);
                struct bh_error e;
                if (rt_cgroup_destroy(&st->cgroup, &e) < 0)
                        rt_warn("%s", e.msg);
        }
        const char *marker =
            json_string_value(json_object_get(st->hooks, "autoUserNamespaceMarker"));
        if (marker)
                unlink(marker);
        rt_state_remove_dir(st->dir);
}

int rt_delete(const struct rt_global *g, const char *id, bool force, struct bh_error *err)
{
        struct rt_state st;
        enum rt_status status;
        if (rt_load(g, id, &st, &status, err) < 0) {
                if (force && err->code == ENOENT) {
                        /* an aborted create may have left a directory without state */
                        if (rt_id_check(id, NULL) == 0) {
                                _cleanup_free_ char *dir = bh_path_join(g->root, id);
                                rt_state_remove_dir(dir);
                        }
                        return 0;
                }
                return -ENOENT;
        }
        int r = 0;
        switch (status) {
        case RT_STOPPED:
                break;
        case RT_CREATED:
                signal_all(&st, SIGKILL, NULL);
                wait_gone(&st, 5000);
                break;
        default:
                if (!force) {
                        r = bh_error_set(err, EBUSY,
                                         "cannot delete container %s that is not stopped: %s", id,
                                         rt_status_names[status]);
                        goto out;
                }
                signal_all(&st, SIGKILL, NULL);
                if (status == RT_PAUSED)
                        rt_cgroup_freeze(&st.cgroup, false, NULL);
                if (wait_gone(&st, 10000) < 0) {
                        r = bh_error_set(err, ETIMEDOUT,
                                         "container %s: the init did not die after SIGKILL", id);
                        goto out;
                }
                break;
        }
        run_state_hooks(&st, RT_HOOK_POSTSTOP, RT_STOPPED);
        destroy(&st);
out:
        rt_state_free(&st);
        return r;
}

int rt_kill(const struct rt_global *g, const char *id, int sig, bool all, struct bh_error *err)
{
        struct rt_state st;
        enum rt_status status;
        if (rt_load(g, id, &st, &status, err) < 0)
                return -ENOENT;
        int r = 0;
        if (status == RT_STOPPED && !all) {
                r = bh_error_set(err, ESRCH, "container not running");
        } else if (all) {
                r = signal_all(&st, sig, err);
        } else {
                int fd = rt_state_pidfd(&st);
                if (fd < 0 || syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0)
                        r = bh_error_set(err, ESRCH, "container not running");
                if (fd >= 0)
                        close(fd);
        }
        rt_state_free(&st);
        return r;
}

int rt_pause(const struct rt_global *g, const char *id, bool pause, struct bh_error *err)
{
        struct rt_state st;
        enum rt_status status;
        if (rt_load(g, id, &st, &status, err) < 0)
                return -ENOENT;
        int r = 0;
        if (pause && status != RT_RUNNING && status != RT_CREATED)
                r = bh_error_set(err, EINVAL, "container not running");
        else if (!pause && status != RT_PAUSED)
                r = bh_error_set(err, EINVAL, "container not paused");
        else
                r = rt_cgroup_freeze(&st.cgroup, pause, err);
        rt_state_free(&st);
        return r;
}
