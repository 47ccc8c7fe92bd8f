/* User namespace mappings: written directly by root, or for an
 * unprivileged user through the setuid helpers newuidmap/newgidmap (which
 * check /etc/subuid and /etc/subgid) when more than the user's own id is
 * mapped. */
#include "runtime/linux.h"
#include "runtime/log.h"
#include "base/buf.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_proc(pid_t pid, const char *file, const char *text, struct bh_error *err)
{
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return bh_error_errno(err, errno, "%s", path);
        ssize_t w = write(fd, text, strlen(text));
        int e = errno;
        close(fd);
        if (w != (ssize_t)strlen(text))
                return bh_error_errno(err, w < 0 ? e : EIO, "writing the mapping \"%s\" to %s",
                                      text, path);
        return 0;
}

static char *map_text(const struct rt_idmap *m, size_t n)
{
        struct bh_buf b = BH_BUF_INIT;
        for (size_t i = 0; i < n; i++)
                bh_buf_printf(&b, "%u %u %u\n", m[i].container_id, m[i].host_id, m[i].size);
        return bh_buf_steal(&b);
}

static int run_helper(const char *helper, pid_t pid, const struct rt_idmap *m, size_t n,
                      struct bh_error *err)
{
        char **argv = NULL;
        bh_strv_push(&argv, helper);
        bh_strv_push_take(&argv, bh_xasprintf("%d", pid));
        for (size_t i = 0; i < n; i++) {
                bh_strv_push_take(&argv, bh_xasprintf("%u", m[i].container_id));
                bh_strv_push_take(&argv, bh_xasprintf("%u", m[i].host_id));
                bh_strv_push_take(&argv, bh_xasprintf("%u", m[i].size));
        }
        pid_t child = fork();
        if (child < 0) {
                bh_strv_free(argv);
                return bh_error_errno(err, errno, "%s: fork", helper);
        }
        if (child == 0) {
                syscall(SYS_close_range, 3, ~0U, 0);
                execvp(helper, argv);
                dprintf(2, "%s: %s\n", helper, strerror(errno));
                _exit(127);
        }
        bh_strv_free(argv);
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR)
                ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return bh_error_set(err, EPERM,
                                    "%s failed (exit status %d): the ranges must be granted in "
                                    "/etc/sub%cid and the uidmap package installed",
                                    helper, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                                    helper[3] == 'u' ? 'u' : 'g');
        return 0;
}

/* An unprivileged user may map exactly its own id, nothing else. */
static bool own_id_only(const struct rt_idmap *m, size_t n, unsigned own)
{
        return n == 1 && m[0].host_id == own && m[0].size == 1;
}

int rt_userns_write_maps(pid_t pid, const struct rt_spec *spec, bool rootless, struct bh_error *err)
{
        bool direct_u = !rootless || own_id_only(spec->uid_maps, spec->n_uid_maps, geteuid());
        bool direct_g = !rootless || own_id_only(spec->gid_maps, spec->n_gid_maps, getegid());
        if (direct_u) {
                _cleanup_free_ char *t = map_text(spec->uid_maps, spec->n_uid_maps);
                if (write_proc(pid, "uid_map", t, err) < 0)
                        return -EPERM;
        } else if (run_helper("newuidmap", pid, spec->uid_maps, spec->n_uid_maps, err) < 0) {
                return -EPERM;
        }
        if (direct_g) {
                /* without privilege, setgroups must be denied before gid_map */
                if (rootless && write_proc(pid, "setgroups", "deny", err) < 0)
                        return -EPERM;
                _cleanup_free_ char *t = map_text(spec->gid_maps, spec->n_gid_maps);
                if (write_proc(pid, "gid_map", t, err) < 0)
                        return -EPERM;
        } else if (run_helper("newgidmap", pid, spec->gid_maps, spec->n_gid_maps, err) < 0) {
                return -EPERM;
        }
        return 0;
}

int rt_userns_fd_for(const struct rt_idmap *uids, size_t nu, const struct rt_idmap *gids, size_t ng,
                     struct bh_error *err)
{
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                return bh_error_errno(err, errno, "pipe");
        pid_t child = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
        if (child < 0) {
                int e = errno;
                close(p[0]);
                close(p[1]);
                return bh_error_errno(err, e, "creating a user namespace for an idmapped mount");
        }
        if (child == 0) {
                char c;
                close(p[1]);
                while (read(p[0], &c, 1) < 0 && errno == EINTR)
                        ;
                _exit(0);
        }
        close(p[0]);
        int fd = -1;
        _cleanup_free_ char *u = map_text(uids, nu);
        _cleanup_free_ char *g = map_text(gids, ng);
        if (write_proc(child, "uid_map", u, err) == 0 &&
            write_proc(child, "gid_map", g, err) == 0) {
                char path[64];
                snprintf(path, sizeof path, "/proc/%d/ns/user", child);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        bh_error_errno(err, errno, "%s", path);
        }
        close(p[1]);
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
                ;
        return fd < 0 ? -EPERM : fd;
}
