/* Digests already computed for byte ranges of files on disk.
 *
 * Checking a layer's digest means hashing every byte of it, which costs more
 * than everything else a scan does. A file that has not changed since its
 * bytes were last hashed need not be hashed again: an entry records the
 * file's device, inode, size, modification and change times and the range,
 * and is used only while all of them are the same. The change time (ctime)
 * moves on every write and cannot be set back from user space, so an edited
 * archive is hashed afresh even when its mtime is forged.
 *
 * An entry is one small file under $XDG_CACHE_HOME/bulkhead/digests-v1,
 * named by a hash of (device, inode, range): a changed archive replaces its
 * old entries instead of adding to them. Archives written afresh each time
 * (CI) leave entries behind, so each write also keeps the directory to at
 * most ENTRIES_KEEP entries, the most recently written. */
#include "docker/digest_cache.h"
#include "base/file.h"
#include "base/util.h"
#include "docker/image_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ENTRY_MAX 512
#define ENTRIES_KEEP 512

struct aged {
        char name[72];
        struct timespec mtime;
};

static int by_age(const void *a, const void *b)
{
        const struct aged *x = a, *y = b;
        if (x->mtime.tv_sec != y->mtime.tv_sec)
                return x->mtime.tv_sec < y->mtime.tv_sec ? -1 : 1;
        return x->mtime.tv_nsec < y->mtime.tv_nsec ? -1 : x->mtime.tv_nsec > y->mtime.tv_nsec;
}

/* Removes the oldest entries beyond ENTRIES_KEEP (names are 64 hex digits:
 * anything else in the directory is left alone). */
static void prune(const char *dir)
{
        DIR *d = opendir(dir);
        if (!d)
                return;
        struct aged *v = NULL;
        size_t n = 0, cap = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
                if (strlen(e->d_name) != 64 || strspn(e->d_name, "0123456789abcdef") != 64)
                        continue;
                struct stat st;
                if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                if (n == cap) {
                        cap = cap ? cap * 2 : 256;
                        v = bh_xreallocarray(v, cap, sizeof *v);
                }
                memcpy(v[n].name, e->d_name, 65);
                v[n++].mtime = st.st_mtim;
        }
        if (n > ENTRIES_KEEP) {
                qsort(v, n, sizeof *v, by_age);
                for (size_t i = 0; i < n - ENTRIES_KEEP; i++)
                        unlinkat(dirfd(d), v[i].name, 0);
        }
        closedir(d);
        free(v);
}

bool digest_cache_key(int fd, uint64_t off, uint64_t len, struct digest_key *k)
{
        struct stat st;
        memset(k, 0, sizeof *k);
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return false;
        k->dev = (uint64_t)st.st_dev;
        k->ino = (uint64_t)st.st_ino;
        k->size = (uint64_t)st.st_size;
        k->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
        k->ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
        k->off = off;
        k->len = len;
        return true;
}

/* create: make the directory (for writing); a lookup only reads. */
static char *entry_path(const struct digest_key *k, bool create)
{
        _cleanup_free_ char *dir = bh_cache_dir("digests-v1", create);
        if (!dir)
                return NULL;
        _cleanup_free_ char *id = bh_xasprintf("%" PRIu64 ":%" PRIu64 ":%" PRIu64 ":%" PRIu64,
                                               k->dev, k->ino, k->off, k->len);
        struct sha256 h;
        sha256_init(&h);
        sha256_update(&h, id, strlen(id));
        _cleanup_free_ char *name = sha256_final(&h);
        return bh_xasprintf("%s/%s", dir, name + strlen("sha256:"));
}

/* The key as the start of an entry's line. */
static char *entry_prefix(const struct digest_key *k)
{
        return bh_xasprintf("%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRId64
                            " %" PRId64 " ",
                            k->dev, k->ino, k->off, k->len, k->size, k->mtime_ns, k->ctime_ns);
}

#define DIGEST_LEN 71 /* "sha256:" + 64 hex */

bool digest_cache_get(const struct digest_key *k, char **stored, char **diff_id)
{
        *stored = *diff_id = NULL;
        _cleanup_free_ char *path = entry_path(k, false);
        if (!path)
                return false;
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return false;
        struct stat st;
        char buf[ENTRY_MAX + 1];
        ssize_t n = -1;
        /* only an entry this user wrote and nobody else can change */
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
            !(st.st_mode & 022))
                n = read(fd, buf, ENTRY_MAX);
        close(fd);
        if (n <= 0 || n == ENTRY_MAX)
                return false;
        buf[n] = '\0';
        /* "<key> <stored> <diff_id>\n", the key exactly this one */
        _cleanup_free_ char *prefix = entry_prefix(k);
        size_t pl = strlen(prefix);
        if ((size_t)n != pl + 2 * DIGEST_LEN + 2 || memcmp(buf, prefix, pl) != 0 ||
            buf[pl + DIGEST_LEN] != ' ' || buf[n - 1] != '\n')
                return false;
        char a[DIGEST_LEN + 1], b[DIGEST_LEN + 1];
        memcpy(a, buf + pl, DIGEST_LEN);
        a[DIGEST_LEN] = '\0';
        memcpy(b, buf + pl + DIGEST_LEN + 1, DIGEST_LEN);
        b[DIGEST_LEN] = '\0';
        if (!digest_valid(a) || !digest_valid(b))
                return false;
        *stored = bh_xstrdup(a);
        *diff_id = bh_xstrdup(b);
        return true;
}

void digest_cache_put(const struct digest_key *k, int fd, const char *stored, const char *diff_id)
{
        struct digest_key now;
        if (!stored || !diff_id || !digest_valid(stored) || !digest_valid(diff_id))
                return;
        /* the file changed while it was hashed: the digest may be of neither */
        if (!digest_cache_key(fd, k->off, k->len, &now) || memcmp(&now, k, sizeof now) != 0)
                return;
        _cleanup_free_ char *path = entry_path(k, true);
        if (!path)
                return;
        _cleanup_free_ char *prefix = entry_prefix(k);
        _cleanup_free_ char *text = bh_xasprintf("%s%s %s\n", prefix, stored, diff_id);
        struct bh_error ignored = {0};
        if (bh_write_file_atomic(path, text, strlen(text), 0600, &ignored) == 0) {
                *strrchr(path, '/') = '\0';
                prune(path);
        }
}
