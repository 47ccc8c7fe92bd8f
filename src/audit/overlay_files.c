#include "audit/overlay_files.h"
#include "base/buf.h"
#include "base/strset.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#define MAX_DEPTH 512
#define MAX_ENTRIES (8u << 20)

struct merge {
        /* what layers above the current one decided */
        struct bh_strset dirs, others, masked, opaque;
        /* what the current layer adds for the layers below */
        struct bh_strset masked_next, opaque_next;
        char ***out;
        size_t *count;
        size_t entries;
        struct bh_error *err;
};

static bool is_opaque(int fd)
{
        char v[4] = {0};
        ssize_t n = fgetxattr(fd, "trusted.overlay.opaque", v, sizeof v - 1);
        return n == 1 && v[0] == 'y';
}

static int walk(struct merge *m, int dirfd, struct bh_buf *rel, int depth)
{
        if (depth > MAX_DEPTH)
                return bh_error_set(m->err, ELOOP, "%s: nested more than %d directories deep",
                                    rel->data, MAX_DEPTH);
        int fd = dup(dirfd);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        if (!d) {
                int e = errno;
                if (fd >= 0)
                        close(fd);
                return bh_error_errno(m->err, e, "%s", rel->len ? rel->data : "/");
        }
        int rc = 0;
        size_t base = rel->len;
        struct dirent *e;
        while (rc == 0 && (e = readdir(d))) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                        continue;
                if (++m->entries > MAX_ENTRIES) {
                        rc = bh_error_set(m->err, EFBIG, "more than %u files", MAX_ENTRIES);
                        break;
                }
                rel->len = base;
                if (base)
                        bh_buf_putc(rel, '/');
                bh_buf_puts(rel, e->d_name);
                const char *p = rel->data;
                size_t n = rel->len;
                if (bh_strset_has(&m->masked, p, n))
                        continue;
                struct stat st;
                if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue; /* went away */
                if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
                        bh_strset_add(&m->masked_next, p, n); /* a whiteout */
                        continue;
                }
                if (S_ISDIR(st.st_mode)) {
                        if (bh_strset_has(&m->others, p, n))
                                continue;
                        bh_strset_add(&m->dirs, p, n);
                        int sub = openat(dirfd, e->d_name,
                                         O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0)
                                continue;
                        if (is_opaque(sub))
                                bh_strset_add(&m->opaque_next, p, n);
                        /* contents an upper layer made opaque are hidden */
                        if (!bh_strset_has(&m->opaque, p, n))
                                rc = walk(m, sub, rel, depth + 1);
                        close(sub);
                        continue;
                }
                if (bh_strset_has(&m->dirs, p, n) || bh_strset_has(&m->others, p, n))
                        continue; /* an upper layer put something here */
                bh_strset_add(&m->others, p, n);
                bh_strset_add(&m->masked_next, p, n);
                if (S_ISREG(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID))) {
                        bh_strv_push_take(m->out, bh_xasprintf("/%s", p));
                        (*m->count)++;
                }
        }
        rel->len = base;
        if (rel->data)
                rel->data[base] = '\0';
        closedir(d);
        return rc;
}

static void merge_into(struct bh_strset *to, struct bh_strset *from)
{
        for (size_t i = 0; i < from->cap; i++)
                if (from->slots[i])
                        bh_strset_add(to, from->slots[i], strlen(from->slots[i]));
        bh_strset_free(from);
}

int audit_overlay_setid_files(char *const *layers, char ***out, size_t *count, struct bh_error *err)
{
        struct merge m = {.out = out, .count = count, .err = err};
        struct bh_buf rel = BH_BUF_INIT;
        int rc = 0;
        for (size_t i = 0; layers && layers[i] && rc == 0; i++) {
                int fd = open(layers[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fd < 0) {
                        rc = bh_error_errno(err, errno, "%s", layers[i]);
                        break;
                }
                bh_buf_reset(&rel);
                rc = walk(&m, fd, &rel, 0);
                close(fd);
                if (rc < 0)
                        bh_error_prefix(err, "%s", layers[i]);
                merge_into(&m.masked, &m.masked_next);
                merge_into(&m.opaque, &m.opaque_next);
        }
        bh_buf_free(&rel);
        bh_strset_free(&m.dirs);
        bh_strset_free(&m.others);
        bh_strset_free(&m.masked);
        bh_strset_free(&m.opaque);
        bh_strset_free(&m.masked_next);
        bh_strset_free(&m.opaque_next);
        return rc;
}
