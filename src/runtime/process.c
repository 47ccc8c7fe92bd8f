/* The last steps before the container's program runs, shared by the init
 * and exec: limits, scheduling, identity, working directory, capabilities,
 * no_new_privs, seccomp, and execve. Order matters: the bounding set is
 * dropped while still privileged, the uid changes with the permitted set
 * kept, the working directory is entered as the new user with every other
 * descriptor closed (CVE-2024-21626), and seccomp comes last so its profile
 * need not allow the runtime's own setup. */
#include "runtime/caps.h"
#include "runtime/linux.h"
#include "runtime/log.h"
#include "runtime/sync.h"
#include "base/file.h"
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

__attribute__((noreturn)) void rt_init_fail(int fd, const struct bh_error *err)
{
        if (fd >= 0)
                rt_msg_send(fd, RT_MSG_ERROR, err->code, err->msg);
        _exit(1);
}

static const char *env_get(char *const *env, const char *name)
{
        size_t n = strlen(name);
        for (; env && *env; env++)
                if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
                        return *env + n + 1;
        return NULL;
}

static bool executable(const char *path)
{
        struct stat st;
        return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

/* strerror as Go spells it (lower case): the docker CLI turns "no such file
 * or directory" into exit status 127 and "permission denied" into 126. */
static const char *go_strerror(int e, char *buf, size_t len)
{
        snprintf(buf, len, "%s", strerror(e));
        buf[0] = (char)tolower((unsigned char)buf[0]);
        return buf;
}

int rt_exec_path_lookup(const struct rt_process *p, char **out, struct bh_error *err)
{
        const char *name = p->args[0];
        char msg[128];
        if (strchr(name, '/')) {
                struct stat st;
                if (stat(name, &st) < 0) {
                        int e = errno;
                        return bh_error_set(err, e, "exec: \"%s\": stat %s: %s", name, name,
                                            go_strerror(e, msg, sizeof msg));
                }
                if (S_ISDIR(st.st_mode))
                        return bh_error_set(err, EACCES, "exec: \"%s\": is a directory", name);
                if (!S_ISREG(st.st_mode) || access(name, X_OK) < 0)
                        return bh_error_set(err, EACCES, "exec: \"%s\": %s", name,
                                            go_strerror(EACCES, msg, sizeof msg));
                *out = bh_xstrdup(name);
                return 0;
        }
        const char *path = env_get(p->env, "PATH");
        _cleanup_free_ char *copy = bh_xstrdup(path ? path : DEFAULT_PATH);
        char *save = NULL;
        for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
                char *cand = bh_path_join(*dir ? dir : ".", name);
                if (executable(cand)) {
                        *out = cand;
                        return 0;
                }
                free(cand);
        }
        return bh_error_set(err, ENOENT, "exec: \"%s\": executable file not found in $PATH", name);
}

static int set_rlimits(const struct rt_process *p, struct bh_error *err)
{
        for (size_t i = 0; i < p->n_rlimits; i++) {
                struct rlimit rl = {.rlim_cur = p->rlimits[i].soft, .rlim_max = p->rlimits[i].hard};
                if (setrlimit(p->rlimits[i].resource, &rl) < 0)
                        return bh_error_errno(err, errno, "process.rlimits[%zu] (%llu/%llu)", i,
                                              (unsigned long long)rl.rlim_cur,
                                              (unsigned long long)rl.rlim_max);
        }
        return 0;
}

struct sched_attr_v1 {
        uint32_t size, sched_policy;
        uint64_t sched_flags;
        int32_t sched_nice;
        uint32_t sched_priority;
        uint64_t sched_runtime, sched_deadline, sched_period;
};

static int set_scheduling(const struct rt_process *p, struct bh_error *err)
{
        if (p->has_scheduler) {
                struct sched_attr_v1 a = {.size = sizeof a,
                                          .sched_policy = (uint32_t)p->sched.policy,
                                          .sched_flags = p->sched.flags,
                                          .sched_nice = p->sched.nice,
                                          .sched_priority = (uint32_t)p->sched.priority,
                                          .sched_runtime = p->sched.runtime,
                                          .sched_deadline = p->sched.deadline,
                                          .sched_period = p->sched.period};
                if (syscall(SYS_sched_setattr, 0, &a, 0) < 0)
                        return bh_error_errno(err, errno, "process.scheduler");
        }
        if (p->has_io_priority && syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0,
                                          (p->ioprio_class << 13) | p->ioprio_level) < 0)
                return bh_error_errno(err, errno, "process.ioPriority");
        return 0;
}

/* Closes every descriptor from first up, except those in keep. */
static void close_from(int first, const int *keep, size_t nkeep)
{
        int sorted[4];
        size_t n = 0;
        for (size_t i = 0; i < nkeep && n < 4; i++)
                if (keep[i] >= first)
                        sorted[n++] = keep[i];
        for (size_t i = 1; i < n; i++)
                for (size_t j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
                        int t = sorted[j];
                        sorted[j] = sorted[j - 1];
                        sorted[j - 1] = t;
                }
        int from = first;
        for (size_t i = 0; i < n; i++) {
                if (sorted[i] > from)
                        syscall(SYS_close_range, from, sorted[i] - 1, 0);
                from = sorted[i] + 1;
        }
        syscall(SYS_close_range, from, ~0U, 0);
}

static int enter_cwd(const char *cwd, struct bh_error *err)
{
        /* resolved inside the root, no magic links: /proc/self/fd/N cannot
         * lead out, and nothing is left open to lead out to anyway */
        struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                               .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        int fd = root < 0 ? -1 : (int)syscall(SYS_openat2, root, cwd, &how, sizeof how);
        if (fd < 0)
                return bh_error_errno(err, errno, "process.cwd %s", cwd);
        int r = fchdir(fd);
        int e = errno;
        close(fd);
        if (r < 0)
                return bh_error_errno(err, e, "process.cwd %s", cwd);
        char buf[4096];
        if (!getcwd(buf, sizeof buf) || buf[0] != '/')
                return bh_error_set(err, EPERM, "process.cwd %s is outside the container", cwd);
        return 0;
}

static int set_identity(const struct rt_process *p, bool can_setgroups, struct bh_error *err)
{
        /* each group once, as runc gives them (docker repeats a --group-add
         * the image's /etc/group already names) */
        _cleanup_free_ gid_t *groups = bh_xcalloc(p->n_additional_gids + 1, sizeof *groups);
        size_t n = 0;
        for (size_t i = 0; i < p->n_additional_gids; i++) {
                size_t k = 0;
                while (k < n && groups[k] != p->additional_gids[i])
                        k++;
                if (k == n)
                        groups[n++] = p->additional_gids[i];
        }
        if (can_setgroups && setgroups(n, groups) < 0)
                return bh_error_errno(err, errno, "process.user.additionalGids");
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return bh_error_errno(err, errno, "PR_SET_KEEPCAPS");
        if (setresgid(p->gid, p->gid, p->gid) < 0)
                return bh_error_errno(err, errno, "process.user.gid %u", p->gid);
        if (setresuid(p->uid, p->uid, p->uid) < 0)
                return bh_error_errno(err, errno, "process.user.uid %u", p->uid);
        prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
        return 0;
}

/* HOME from the container's /etc/passwd when the environment has none. */
static char **with_home(const struct rt_process *p)
{
        if (env_get(p->env, "HOME"))
                return NULL;
        char **env = NULL;
        for (char **e = p->env; e && *e; e++)
                bh_strv_push(&env, *e);
        const char *home = "/";
        _cleanup_free_ char *data = NULL;
        /* resolved in the container's root, whatever the working directory */
        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        int fd = root >= 0 ? bh_open_in_root(root, "/etc/passwd", O_RDONLY, NULL) : -1;
        if (fd >= 0) {
                bh_read_fd(fd, "/etc/passwd", 1 << 20, &data, NULL, NULL);
                close(fd);
        }
        char *save = NULL;
        for (char *l = data ? strtok_r(data, "\n", &save) : NULL; l;
             l = strtok_r(NULL, "\n", &save)) {
                char *f[7] = {0};
                char *q = l;
                for (int i = 0; i < 7 && q; i++) {
                        f[i] = q;
                        q = strchr(q, ':');
                        if (q)
                                *q++ = '\0';
                }
                if (f[5] && f[2] && strtoul(f[2], NULL, 10) == p->uid && f[5][0] == '/') {
                        home = f[5];
                        break;
                }
        }
        bh_strv_push_take(&env, bh_xasprintf("HOME=%s", home));
        return env;
}

static int send_listener(struct rt_init *in, int listener, struct bh_error *err)
{
        const char *meta =
            json_string_value(json_object_get(in->spec->seccomp, "listenerMetadata"));
        json_t *state =
            json_pack("{s:s, s:s, s:s, s:i, s:s}", "ociVersion", RT_OCI_VERSION, "id",
                      in->opts ? in->opts->id : "", "status", "creating", "pid", (int)in->host_pid,
                      "bundle", in->spec->bundle ? in->spec->bundle : "");
        json_t *msg = json_pack("{s:s, s:[s], s:i, s:s, s:o}", "ociVersion", RT_OCI_VERSION, "fds",
                                "seccompFd", "pid", (int)in->host_pid, "metadata", meta ? meta : "",
                                "state", state);
        char *text = json_dumps(msg, JSON_COMPACT);
        json_decref(msg);
        int r = rt_send_fd(in->notify_fd, listener, text, strlen(text));
        free(text);
        close(listener);
        close(in->notify_fd);
        in->notify_fd = -1;
        if (r < 0)
                return bh_error_errno(
                    err, -r, "sending the seccomp listener to %s",
                    json_string_value(json_object_get(in->spec->seccomp, "listenerPath")));
        return 0;
}

static int load_seccomp(struct rt_init *in, struct bh_error *err)
{
        if (!in->seccomp)
                return 0;
        int listener = bh_seccomp_load(in->seccomp, 0, err);
        if (listener < 0)
                return listener;
        if (listener > 0)
                return send_listener(in, listener, err);
        return 0;
}

/* AppArmor and SELinux labels for the exec: written beneath our own procfs
 * root like every /proc write (CVE-2019-16884 redirected exactly this one).
 * A label for a security module this kernel does not run is a warning, as
 * runc ignores it. */
static int set_labels(struct rt_init *in, const struct rt_process *p, struct bh_error *err)
{
        if (!p->apparmor_profile && !p->selinux_label)
                return 0;
        int proc = rt_proc_fd(in, err);
        if (proc < 0)
                return -EIO;
        char rel[64];
        if (p->apparmor_profile) {
                snprintf(rel, sizeof rel, "%d/attr/apparmor", (int)getpid());
                if (faccessat(proc, rel, F_OK, AT_SYMLINK_NOFOLLOW) < 0) {
                        rt_warn("process.apparmorProfile \"%s\" ignored: AppArmor is not enabled "
                                "in this kernel",
                                p->apparmor_profile);
                } else {
                        _cleanup_free_ char *v = bh_xasprintf("exec %s", p->apparmor_profile);
                        snprintf(rel, sizeof rel, "%d/attr/apparmor/exec", (int)getpid());
                        if (rt_proc_write(proc, rel, v, err) < 0)
                                return bh_error_prefix(err, "process.apparmorProfile");
                }
        }
        if (p->selinux_label) {
                /* the module that owns attr/exec refuses what it does not know */
                snprintf(rel, sizeof rel, "%d/attr/exec", (int)getpid());
                if (rt_proc_write(proc, rel, p->selinux_label, err) < 0) {
                        if (err->code != EINVAL && err->code != ENOENT && err->code != EOPNOTSUPP)
                                return bh_error_prefix(err, "process.selinuxLabel");
                        rt_warn("process.selinuxLabel \"%s\" ignored: SELinux is not enabled "
                                "in this kernel",
                                p->selinux_label);
                }
        }
        return 0;
}

int rt_process_finish(struct rt_init *in, const struct rt_process *p, int report_fd,
                      struct bh_error *err)
{
        if (set_rlimits(p, err) < 0 || set_scheduling(p, err) < 0)
                return -EPERM;
        if (in->spec && in->spec->has_personality && personality(in->spec->personality) < 0)
                return bh_error_errno(err, errno, "linux.personality");
        umask(p->has_umask ? p->umask : 022);
        if (set_labels(in, p, err) < 0)
                return -EPERM;
        int keep[] = {report_fd, in->notify_fd};
        close_from(in->first_closed_fd, keep, BH_ARRAY_SIZE(keep));
        uint64_t bounding = p->has_caps ? p->caps.bounding : rt_cap_all();
        if (rt_caps_drop_bounding(bounding, err) < 0)
                return -EPERM;
        /* without no_new_privs, loading a filter needs CAP_SYS_ADMIN: do it now */
        if (!p->no_new_privileges && load_seccomp(in, err) < 0)
                return -EPERM;
        bool can_setgroups = !(in->g->rootless && p->n_additional_gids == 0);
        if (set_identity(p, can_setgroups, err) < 0)
                return -EPERM;
        if (enter_cwd(p->cwd, err) < 0)
                return -EPERM;
        struct rt_caps caps = p->caps;
        if (!p->has_caps)
                caps = (struct rt_caps){0};
        if (rt_caps_apply(&caps, err) < 0)
                return -EPERM;
        if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return bh_error_errno(err, errno, "no_new_privileges");
        if (p->no_new_privileges && load_seccomp(in, err) < 0)
                return -EPERM;
        return 0;
}

__attribute__((noreturn)) void rt_process_exec(struct rt_init *in, const struct rt_process *p,
                                               int report_fd)
{
        char **env = with_home(p);
        sigset_t none;
        sigemptyset(&none);
        /* execve resets handlers but keeps ignored signals and the mask */
        signal(SIGPIPE, SIG_DFL);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execve(in->exec_path, p->args, env ? env : p->env);
        struct bh_error err;
        bh_error_errno(&err, errno, "exec: \"%s\"", p->args[0]);
        rt_init_fail(report_fd, &err);
}
