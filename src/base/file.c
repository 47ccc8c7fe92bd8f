#include "base/file.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int bh_read_fd(int fd, const char *name, size_t max, char **data, size_t *len, struct bh_error *err)
{
        size_t cap = 4096, n = 0;
        char *p = bh_xmalloc(cap + 1);
        for (;;) {
                if (n == cap) {
                        if (cap > max) {
                                free(p);
                                return bh_error_set(err, EFBIG, "%s: larger than %zu bytes", name,
                                                    max);
                        }
                        cap *= 2;
                        if (cap > max + 1)
                                cap = max + 1;
                        p = bh_xrealloc(p, cap + 1);
                }
                ssize_t r = read(fd, p + n, cap - n);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        int e = errno;
                        free(p);
                        return bh_error_errno(err, e, "%s: read failed", name);
                }
                if (r == 0)
                        break;
                n += (size_t)r;
                if (n > max) {
                        free(p);
                        return bh_error_set(err, EFBIG, "%s: larger than %zu bytes", name, max);
                }
        }
        p[n] = '\0';
        *data = p;
        if (len)
                *len = n;
        return 0;
}

int bh_read_file_at(int dirfd, const char *path, size_t max, char **data, size_t *len,
                    struct bh_error *err)
{
        _cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return bh_error_errno(err, errno, "%s", path);
        struct stat st;
        if (fstat(fd, &st) < 0)
                return bh_error_errno(err, errno, "%s", path);
        if (S_ISDIR(st.st_mode))
                return bh_error_set(err, EISDIR, "%s: is a directory", path);
        if (!S_ISREG(st.st_mode))
                return bh_error_set(err, EINVAL, "%s: not a regular file", path);
        if ((size_t)st.st_size > max)
                return bh_error_set(err, EFBIG, "%s: %lld bytes, more than the %zu allowed", path,
                                    (long long)st.st_size, max);
        /* O_NONBLOCK only guarded the open; regular files ignore it anyway. */
        return bh_read_fd(fd, path, max, data, len, err);
}

int bh_read_file(const char *path, size_t max, char **data, size_t *len, struct bh_error *err)
{
        return bh_read_file_at(AT_FDCWD, path, max, data, len, err);
}

int bh_open_in_root(int rootfd, const char *path, int flags, struct bh_error *err)
{
        struct open_how how = {
            .flags = (unsigned long long)(flags | O_CLOEXEC),
            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
        if (fd < 0)
                return bh_error_errno(err, errno, "%s", path);
        return fd;
}

int bh_write_file_atomic(const char *path, const void *data, size_t len, mode_t mode,
                         struct bh_error *err)
{
        _cleanup_free_ char *tmp = bh_xasprintf("%s.tmp.XXXXXX", path);
        int fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return bh_error_errno(err, errno, "%s: cannot create a temporary file", path);
        const char *p = data;
        size_t left = len;
        while (left > 0) {
                ssize_t w = write(fd, p, left);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0) {
                        int e = errno;
                        close(fd);
                        unlink(tmp);
                        return bh_error_errno(err, e, "%s: write failed", path);
                }
                p += w;
                left -= (size_t)w;
        }
        if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
                int e = errno;
                close(fd);
                unlink(tmp);
                return bh_error_errno(err, e, "%s", path);
        }
        if (close(fd) < 0 || rename(tmp, path) < 0) {
                int e = errno;
                unlink(tmp);
                return bh_error_errno(err, e, "%s: cannot replace", path);
        }
        return 0;
}

char *bh_cache_dir(const char *sub, bool create)
{
        const char *xdg = getenv("XDG_CACHE_HOME");
        const char *home = getenv("HOME");
        char *dir = xdg && *xdg == '/'     ? bh_xasprintf("%s/bulkhead/%s", xdg, sub)
                    : home && *home == '/' ? bh_xasprintf("%s/.cache/bulkhead/%s", home, sub)
                                           : NULL;
        if (!dir || !create)
                return dir;
        for (char *p = dir + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                mkdir(dir, 0700);
                *p = '/';
        }
        if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
                free(dir);
                return NULL;
        }
        return dir;
}

char *bh_path_join(const char *a, const char *b)
{
        size_t la = strlen(a);
        while (la > 1 && a[la - 1] == '/')
                la--;
        while (*b == '/')
                b++;
        if (la == 1 && a[0] == '/')
                return bh_xasprintf("/%s", b);
        return bh_xasprintf("%.*s/%s", (int)la, a, b);
}
