/* A plain root filesystem directory as a one-layer image. The walk goes by
 * directory descriptors and never follows a symlink, so nothing outside the
 * directory is read. */
#include "docker/image_internal.h"
#include "base/file.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct walk {
        struct layer_delta *d;
        const struct bh_image_options *opt;
        const char *root;
        size_t entries_left;
        unsigned depth;
};

static struct layer_entry *push(struct layer_delta *d)
{
        if (d->n == d->cap) {
                d->cap = d->cap ? d->cap * 2 : 256;
                d->entries = bh_xreallocarray(d->entries, d->cap, sizeof *d->entries);
        }
        struct layer_entry *e = &d->entries[d->n++];
        memset(e, 0, sizeof *e);
        return e;
}

static enum bh_file_type type_of_mode(mode_t m)
{
        if (S_ISDIR(m))
                return BH_FILE_DIR;
        if (S_ISLNK(m))
                return BH_FILE_SYMLINK;
        if (S_ISCHR(m))
                return BH_FILE_CHAR;
        if (S_ISBLK(m))
                return BH_FILE_BLOCK;
        if (S_ISFIFO(m))
                return BH_FILE_FIFO;
        if (S_ISSOCK(m))
                return BH_FILE_SOCKET;
        return BH_FILE_REG;
}

static int walk_dir(struct walk *w, int dirfd, const char *rel, struct bh_error *err)
{
        if (++w->depth > 256)
                return bh_error_set(err, ELOOP, "%s/%s: directories nested too deep", w->root, rel);
        int dupfd = dup(dirfd);
        if (dupfd < 0)
                return bh_error_errno(err, errno, "%s/%s", w->root, rel);
        DIR *dir = fdopendir(dupfd);
        if (!dir) {
                close(dupfd);
                return bh_error_errno(err, errno, "%s/%s", w->root, rel);
        }
        int rc = 0;
        struct dirent *de;
        while (rc == 0 && (de = readdir(dir))) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                        continue;
                if (w->entries_left-- == 0) {
                        rc = bh_error_set(err, E2BIG, "%s: more than %zu entries", w->root,
                                          w->opt->max_entries);
                        break;
                }
                struct stat st;
                if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue; /* vanished */
                struct layer_entry *e = push(w->d);
                e->path = *rel ? bh_xasprintf("%s/%s", rel, de->d_name) : bh_xstrdup(de->d_name);
                e->type = type_of_mode(st.st_mode);
                e->mode = st.st_mode & 07777;
                e->uid = st.st_uid;
                e->gid = st.st_gid;
                e->size = (uint64_t)st.st_size;
                if (e->type == BH_FILE_SYMLINK) {
                        char buf[4096];
                        ssize_t n = readlinkat(dirfd, de->d_name, buf, sizeof buf - 1);
                        if (n >= 0) {
                                buf[n] = '\0';
                                e->link = bh_xstrdup(buf);
                        }
                } else if (e->type == BH_FILE_REG && w->opt->want(e->path, w->opt->want_user) &&
                           (size_t)st.st_size <= w->opt->max_file) {
                        int fd = openat(dirfd, de->d_name,
                                        O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
                        if (fd >= 0) {
                                rc = bh_read_fd(fd, e->path, w->opt->max_file, &e->data,
                                                &e->data_len, err);
                                close(fd);
                        }
                } else if (e->type == BH_FILE_DIR) {
                        int sub = openat(dirfd, de->d_name,
                                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub >= 0) {
                                _cleanup_free_ char *path = bh_xstrdup(e->path);
                                rc = walk_dir(w, sub, path, err);
                                close(sub);
                        }
                }
        }
        closedir(dir);
        w->depth--;
        return rc;
}

int image_open_rootfs(struct bh_image *img, const char *path, const struct bh_image_options *opt,
                      struct bh_error *err)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return bh_error_errno(err, errno, "%s", path);
        struct layer_delta *d = bh_xcalloc(1, sizeof *d);
        d->name = bh_xstrdup(path);
        struct walk w = {.d = d, .opt = opt, .root = path, .entries_left = opt->max_entries};
        int rc = walk_dir(&w, fd, "", err);
        if (rc == 0)
                rc = image_assemble(img, &d, 1, false, err);
        layer_delta_free(d);
        return rc;
}
