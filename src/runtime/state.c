#include "runtime/state.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

const char *const rt_status_names[] = {"creating", "created", "running", "paused", "stopped"};

int rt_id_check(const char *id, struct bh_error *err)
{
        if (!id || !*id)
                return bh_error_set(err, EINVAL, "a container id is required");
        size_t n = strlen(id);
        if (n > 1024)
                return bh_error_set(err, EINVAL, "container id is longer than 1024 bytes");
        if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0 ||
            strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-.") != n)
                return bh_error_set(err, EINVAL,
                                    "invalid container id \"%.64s\": use letters, digits, \"_\", "
                                    "\"+\", \"-\" and \".\" (not \".\" or \"..\", no \"/\")",
                                    id);
        return 0;
}

int rt_root_prepare(const char *root, struct bh_error *err)
{
        if (mkdir(root, 0700) == 0 || errno == EEXIST)
                return 0;
        if (errno == ENOENT) {
                /* a missing parent, e.g. $XDG_RUNTIME_DIR/bulkhead's parent: make it */
                _cleanup_free_ char *parent = bh_xstrdup(root);
                char *slash = strrchr(parent, '/');
                if (slash && slash != parent) {
                        *slash = '\0';
                        if (rt_root_prepare(parent, err) < 0)
                                return -errno;
                        if (mkdir(root, 0700) == 0 || errno == EEXIST)
                                return 0;
                }
        }
        return bh_error_errno(err, errno, "state directory %s", root);
}

int rt_state_dir_create(const char *root, const char *id, char **dir, struct bh_error *err)
{
        *dir = bh_path_join(root, id);
        if (mkdir(*dir, 0700) == 0)
                return 0;
        int e = errno;
        if (e == EEXIST)
                return bh_error_set(err, EEXIST, "container with id %s already exists", id);
        return bh_error_errno(err, e, "cannot create the state directory %s", *dir);
}

int rt_write_file(const char *path, const char *data, size_t len, mode_t mode, struct bh_error *err)
{
        _cleanup_free_ char *tmp = bh_xasprintf("%s.tmp", path);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0)
                return bh_error_errno(err, errno, "%s", tmp);
        ssize_t w = write(fd, data, len);
        int e = errno;
        close(fd);
        if (w != (ssize_t)len) {
                unlink(tmp);
                return bh_error_errno(err, w < 0 ? e : EIO, "%s: write failed", tmp);
        }
        if (rename(tmp, path) < 0) {
                e = errno;
                unlink(tmp);
                return bh_error_errno(err, e, "%s", path);
        }
        return 0;
}

int rt_state_write(const struct rt_state *st, struct bh_error *err)
{
        json_t *j = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s}", "ociVersion",
                              RT_OCI_VERSION, "id", st->id, "pid", (json_int_t)st->pid, "pidStart",
                              (json_int_t)st->pid_start, "bundle", st->bundle, "rootfs", st->rootfs,
                              "created", st->created, "owner", st->owner ? st->owner : "");
        if (st->annotations)
                json_object_set(j, "annotations", st->annotations);
        if (st->hooks)
                json_object_set(j, "hooks", st->hooks);
        json_object_set_new(j, "cgroup", rt_cgroup_to_json(&st->cgroup));
        json_object_set_new(j, "ownPidNamespace", json_boolean(st->own_pidns));
        json_object_set_new(j, "userNamespace", json_boolean(st->userns));
        json_object_set_new(j, "rootless", json_boolean(st->rootless));
        json_object_set_new(j, "seccomp", json_boolean(st->has_seccomp));
        json_object_set_new(j, "noNewPrivileges", json_boolean(st->no_new_privileges));
        json_object_set_new(j, "ptraceExposed", json_boolean(st->ptrace_exposed));
        if (st->seccomp_listener)
                json_object_set(j, "seccompListener", st->seccomp_listener);
        char *text = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        _cleanup_free_ char *path = bh_path_join(st->dir, "state.json");
        int r = rt_write_file(path, text, strlen(text), 0600, err);
        free(text);
        return r;
}

static char *dup_str(const json_t *j, const char *key)
{
        const char *s = json_string_value(json_object_get(j, key));
        return bh_xstrdup(s ? s : "");
}

int rt_state_read(const char *root, const char *id, struct rt_state *st, struct bh_error *err)
{
        memset(st, 0, sizeof *st);
        if (rt_id_check(id, err) < 0)
                return -EINVAL;
        st->dir = bh_path_join(root, id);
        _cleanup_free_ char *path = bh_path_join(st->dir, "state.json");
        struct bh_error e2;
        json_t *j = bh_json_load_file(path, 4 << 20, &e2);
        if (!j) {
                rt_state_free(st);
                if (e2.code == ENOENT || e2.code == ENOTDIR)
                        return bh_error_set(err, ENOENT, "container does not exist");
                return bh_error_set(err, e2.code, "container %s: %s", id, e2.msg);
        }
        st->id = bh_xstrdup(id);
        st->pid = (pid_t)bh_json_int(j, "pid", 0);
        st->pid_start = (unsigned long long)bh_json_int(j, "pidStart", 0);
        st->bundle = dup_str(j, "bundle");
        st->rootfs = dup_str(j, "rootfs");
        st->created = dup_str(j, "created");
        st->owner = dup_str(j, "owner");
        st->annotations = json_incref(json_object_get(j, "annotations"));
        st->hooks = json_incref(json_object_get(j, "hooks"));
        rt_cgroup_from_json(json_object_get(j, "cgroup"), &st->cgroup);
        st->own_pidns = bh_json_bool(j, "ownPidNamespace", false);
        st->userns = bh_json_bool(j, "userNamespace", false);
        st->rootless = bh_json_bool(j, "rootless", false);
        st->has_seccomp = bh_json_bool(j, "seccomp", false);
        st->no_new_privileges = bh_json_bool(j, "noNewPrivileges", false);
        st->ptrace_exposed = bh_json_bool(j, "ptraceExposed", false);
        st->seccomp_listener = json_incref(json_object_get(j, "seccompListener"));
        json_decref(j);
        return 0;
}

void rt_state_free(struct rt_state *st)
{
        free(st->id);
        free(st->dir);
        free(st->bundle);
        free(st->rootfs);
        free(st->created);
        free(st->owner);
        json_decref(st->annotations);
        json_decref(st->hooks);
        json_decref(st->seccomp_listener);
        rt_cgroup_free(&st->cgroup);
        memset(st, 0, sizeof *st);
}

void rt_state_remove_dir(const char *dir)
{
        DIR *d = opendir(dir);
        if (d) {
                struct dirent *e;
                int dfd = dirfd(d);
                while ((e = readdir(d)))
                        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                                unlinkat(dfd, e->d_name, 0);
                closedir(d);
        }
        rmdir(dir);
}

unsigned long long rt_proc_start_time(pid_t pid, bool *zombie)
{
        char path[64], buf[1024];
        if (zombie)
                *zombie = false;
        if (pid <= 0)
                return 0;
        snprintf(path, sizeof path, "/proc/%d/stat", pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        ssize_t n = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (n <= 0)
                return 0;
        buf[n] = '\0';
        /* "pid (comm) S ..." and comm may hold anything, ")" included */
        char *p = strrchr(buf, ')');
        if (!p || p[1] != ' ')
                return 0;
        p += 2;
        if (zombie)
                *zombie = *p == 'Z' || *p == 'X';
        /* field 3 is the state; the start time is field 22 */
        for (int field = 3; field < 22 && p; field++) {
                p = strchr(p, ' ');
                if (p)
                        p++;
        }
        return p ? strtoull(p, NULL, 10) : 0;
}

int rt_state_pidfd(const struct rt_state *st)
{
        if (st->pid <= 0)
                return -ESRCH;
        int fd = (int)syscall(SYS_pidfd_open, st->pid, 0);
        if (fd < 0)
                return -errno;
        /* checked after opening: the pidfd then names the process we checked */
        bool zombie;
        if (rt_proc_start_time(st->pid, &zombie) != st->pid_start || zombie) {
                close(fd);
                return -ESRCH;
        }
        return fd;
}

enum rt_status rt_state_status(const struct rt_state *st)
{
        bool zombie;
        unsigned long long start = rt_proc_start_time(st->pid, &zombie);
        if (start == 0 || start != st->pid_start || zombie)
                return RT_STOPPED;
        if (st->cgroup.mode != RT_CGROUP_NONE && rt_cgroup_frozen(&st->cgroup) == 1)
                return RT_PAUSED;
        _cleanup_free_ char *sock = bh_path_join(st->dir, "start.sock");
        if (access(sock, F_OK) == 0)
                return RT_CREATED;
        return RT_RUNNING;
}

json_t *rt_state_to_oci(const struct rt_state *st, enum rt_status status)
{
        json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "ociVersion",
                              RT_OCI_VERSION, "id", st->id, "status", rt_status_names[status],
                              "pid", (json_int_t)(status == RT_STOPPED ? 0 : st->pid), "bundle",
                              st->bundle, "rootfs", st->rootfs, "created", st->created, "owner",
                              st->owner ? st->owner : "");
        if (st->annotations && json_object_size(st->annotations))
                json_object_set(j, "annotations", st->annotations);
        return j;
}

char *rt_now_rfc3339(void)
{
        struct timespec ts;
        struct tm tm;
        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        char buf[64];
        size_t k = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf + k, sizeof buf - k, ".%09ldZ", ts.tv_nsec);
        return bh_xstrdup(buf);
}
