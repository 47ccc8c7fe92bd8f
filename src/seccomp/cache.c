/* Compiled filters cached by the digest of their input, so a profile is
 * compiled once per machine rather than once per container, and loading
 * them with seccomp(2) directly. A cache file is a small header (magic,
 * key, flags, instruction count) followed by the instructions; anything that
 * does not match is treated as a miss. */
#include "seccomp/seccomp_internal.h"
#include "seccomp/sha256.h"
#include "base/file.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif

#define CACHE_MAGIC "BHSECCOMP1\n"

struct cache_header {
        char magic[12];
        uint8_t key[32];
        uint32_t flags;
        uint32_t notify;
        uint32_t len;
        uint32_t reserved;
};

static char *cache_path(const char *dir, const uint8_t key[32])
{
        char hex[65];
        bh_sha256_hex(key, hex);
        return bh_xasprintf("%s/%s.bpf", dir, hex);
}

int bh_seccomp_file_read(const char *path, const uint8_t *key, struct bh_seccomp_prog *prog)
{
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return -ENOENT;
        struct stat st;
        struct cache_header h;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
            (st.st_mode & 022) || st.st_size < (off_t)sizeof h ||
            st.st_size > (off_t)(sizeof h + BPF_MAXINSNS * sizeof(struct sock_filter)))
                return -ENOENT;
        size_t body = (size_t)st.st_size - sizeof h;
        char *buf = bh_xmalloc((size_t)st.st_size);
        if (read(fd, buf, (size_t)st.st_size) != st.st_size) {
                free(buf);
                return -ENOENT;
        }
        memcpy(&h, buf, sizeof h);
        if (memcmp(h.magic, CACHE_MAGIC, sizeof CACHE_MAGIC - 1) != 0 ||
            (key && memcmp(h.key, key, 32) != 0) || h.len == 0 ||
            (size_t)h.len * sizeof(struct sock_filter) != body) {
                free(buf);
                return -ENOENT;
        }
        memset(prog, 0, sizeof *prog);
        prog->len = h.len;
        prog->flags = h.flags;
        prog->notify = h.notify != 0;
        memcpy(prog->key, h.key, 32);
        memmove(buf, buf + sizeof h, body);
        prog->insns = (struct sock_filter *)buf;
        return 0;
}

int bh_seccomp_cache_get(const char *dir, const uint8_t key[32], struct bh_seccomp_prog *prog)
{
        _cleanup_free_ char *path = cache_path(dir, key);
        return bh_seccomp_file_read(path, key, prog);
}

int bh_seccomp_file_write(const char *path, const struct bh_seccomp_prog *prog,
                          struct bh_error *err)
{
        struct cache_header h = {
            .flags = prog->flags, .notify = prog->notify, .len = (uint32_t)prog->len};
        memcpy(h.magic, CACHE_MAGIC, sizeof CACHE_MAGIC - 1);
        memcpy(h.key, prog->key, 32);
        size_t body = prog->len * sizeof(struct sock_filter);
        _cleanup_free_ char *buf = bh_xmalloc(sizeof h + body);
        memcpy(buf, &h, sizeof h);
        memcpy(buf + sizeof h, prog->insns, body);
        /* written aside and renamed: readers see all of it or nothing; not
         * fsync'd, a cache in /run does not outlive a crash anyway */
        _cleanup_free_ char *tmp = bh_xasprintf("%s.%d.tmp", path, (int)getpid());
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return bh_error_errno(err, errno, "%s", tmp);
        ssize_t w = write(fd, buf, sizeof h + body);
        int e = errno;
        close(fd);
        if (w != (ssize_t)(sizeof h + body) || rename(tmp, path) < 0) {
                e = w < 0 ? e : errno ? errno : EIO;
                unlink(tmp);
                return bh_error_errno(err, e, "%s: write failed", path);
        }
        return 0;
}

int bh_seccomp_cache_put(const char *dir, const uint8_t key[32], struct bh_seccomp_prog *prog,
                         struct bh_error *err)
{
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return bh_error_errno(err, errno, "%s: cannot create the seccomp cache", dir);
        memcpy(prog->key, key, 32);
        _cleanup_free_ char *path = cache_path(dir, key);
        return bh_seccomp_file_write(path, prog, err);
}

char *bh_seccomp_cache_path(const char *dir, const uint8_t key[32])
{
        return cache_path(dir, key);
}

int bh_seccomp_load(const struct bh_seccomp_prog *prog, unsigned int extra_flags,
                    struct bh_error *err)
{
        struct sock_fprog fprog = {.len = (unsigned short)prog->len, .filter = prog->insns};
        unsigned int flags = prog->flags | extra_flags;
        if (prog->notify) {
                flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
                if (flags & SECCOMP_FILTER_FLAG_TSYNC)
                        flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
        }
        long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
        if (r < 0)
                return bh_error_errno(err, errno, "seccomp: loading the filter (%zu instructions)",
                                      prog->len);
        return prog->notify ? (int)r : 0;
}

const char *const *bh_seccomp_supported_flags(void)
{
        static const char *supported[8];
        static bool probed;
        if (probed)
                return supported;
        size_t n = 0;
        for (size_t i = 0; bh_seccomp_flag_names[i]; i++) {
                unsigned int f;
                bh_seccomp_flag_value(bh_seccomp_flag_names[i], &f);
                /* a known flag with no program fails with EFAULT, an unknown one with EINVAL */
                if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f, NULL) < 0 && errno == EFAULT)
                        supported[n++] = bh_seccomp_flag_names[i];
        }
        supported[n] = NULL;
        probed = true;
        return supported;
}
