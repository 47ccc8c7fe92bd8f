/* The container's file system view, built by the init in its own mount
 * namespace. Every target is resolved beneath the rootfs with openat2
 * (RESOLVE_IN_ROOT), and every mount is attached to the descriptor that
 * resolution returned (move_mount with empty paths), so no path is looked
 * up twice and a symlink swapped in meanwhile cannot send a mount outside
 * the container. */
#include "runtime/linux.h"
#include "runtime/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef MOUNT_ATTR_NOSYMFOLLOW
#define MOUNT_ATTR_NOSYMFOLLOW 0x00200000
#endif

static int openat2_fd(int dirfd, const char *path, int flags, unsigned long long resolve)
{
        struct open_how how = {.flags = (unsigned long long)(flags | O_CLOEXEC),
                               .resolve = resolve};
        int fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
        return fd < 0 ? -errno : fd;
}

static int open_in_root(int rootfd, const char *path, int flags)
{
        return openat2_fd(rootfd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

/* One pass of rt_mkpath_beneath over path. Returns the descriptor, -errno,
 * or 0 with *next set when a component is a symlink to something missing:
 * the caller starts again on the path it leads to (still inside the root). */
static int mkpath_pass(int rootfd, const char *path, bool file, char **next, struct bh_error *err)
{
        _cleanup_free_ char *prefix = bh_xcalloc(strlen(path) + 2, 1);
        size_t plen = 0;
        const char *p = path;
        while (*p) {
                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                const char *end = strchrnul(p, '/');
                size_t clen = (size_t)(end - p);
                bool last = *end == '\0' || end[strspn(end, "/")] == '\0';
                _cleanup_free_ char *comp = bh_xstrndup(p, clen);
                size_t parent_len = plen;
                prefix[plen++] = '/';
                memcpy(prefix + plen, p, clen);
                plen += clen;
                prefix[plen] = '\0';
                p = end;
                int fd = open_in_root(rootfd, prefix, O_PATH);
                if (fd >= 0) {
                        if (last)
                                return fd;
                        close(fd);
                        continue;
                }
                if (fd != -ENOENT)
                        return bh_error_errno(err, -fd, "%s (in the container)", prefix);
                prefix[parent_len] = '\0';
                int parent = parent_len ? open_in_root(rootfd, prefix, O_PATH | O_DIRECTORY)
                                        : openat2_fd(rootfd, ".", O_PATH | O_DIRECTORY, 0);
                prefix[parent_len] = '/';
                if (parent < 0)
                        return bh_error_errno(err, -parent, "%s (in the container)", prefix);
                int r;
                if (last && file) {
                        r = openat(parent, comp,
                                   O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
                        if (r >= 0)
                                close(r);
                } else {
                        r = mkdirat(parent, comp, 0755);
                }
                int e = errno;
                struct statfs psf;
                if (r < 0 && e != EEXIST && fstatfs(parent, &psf) == 0 &&
                    psf.f_type == PROC_SUPER_MAGIC) {
                        close(parent);
                        return bh_error_set(err, EPERM,
                                            "%s is inside /proc; nothing can be created or "
                                            "mounted there",
                                            prefix);
                }
                if (r < 0 && e == EEXIST) {
                        /* a symlink to something missing: create what it names,
                         * resolved (later) inside the root like everything else */
                        char target[4096];
                        ssize_t n = readlinkat(parent, comp, target, sizeof target - 1);
                        if (n > 0) {
                                target[n] = '\0';
                                prefix[parent_len] = '\0';
                                *next = target[0] == '/'
                                            ? bh_xasprintf("%s%s", target, p)
                                            : bh_xasprintf("%s/%s%s", prefix, target, p);
                                close(parent);
                                return 0;
                        }
                }
                close(parent);
                if (r < 0 && e != EEXIST)
                        return bh_error_errno(err, e, "cannot create %s in the container", prefix);
                fd = open_in_root(rootfd, prefix, O_PATH);
                if (fd < 0)
                        return bh_error_errno(err, -fd, "%s (in the container)", prefix);
                if (last)
                        return fd;
                close(fd);
        }
        return openat2_fd(rootfd, ".", O_PATH | O_DIRECTORY, 0);
}

int rt_mkpath_beneath(int rootfd, const char *path, bool file, struct bh_error *err)
{
        int fd = open_in_root(rootfd, path, O_PATH);
        if (fd >= 0)
                return fd;
        if (fd != -ENOENT)
                return bh_error_errno(err, -fd, "%s (in the container)", path);
        _cleanup_free_ char *cur = bh_xstrdup(path);
        for (int hops = 0; hops < 40; hops++) {
                char *next = NULL;
                fd = mkpath_pass(rootfd, cur, file, &next, err);
                if (fd != 0 || !next)
                        return fd;
                free(cur);
                cur = next;
        }
        return bh_error_set(err, ELOOP, "%s (in the container): too many symbolic links", path);
}

static uint64_t ms_to_attr(unsigned long ms)
{
        uint64_t a = 0;
        if (ms & MS_RDONLY)
                a |= MOUNT_ATTR_RDONLY;
        if (ms & MS_NOSUID)
                a |= MOUNT_ATTR_NOSUID;
        if (ms & MS_NODEV)
                a |= MOUNT_ATTR_NODEV;
        if (ms & MS_NOEXEC)
                a |= MOUNT_ATTR_NOEXEC;
        if (ms & MS_NODIRATIME)
                a |= MOUNT_ATTR_NODIRATIME;
        if (ms & MS_NOSYMFOLLOW)
                a |= MOUNT_ATTR_NOSYMFOLLOW;
        if (ms & MS_NOATIME)
                a |= MOUNT_ATTR_NOATIME;
        else if (ms & MS_STRICTATIME)
                a |= MOUNT_ATTR_STRICTATIME;
        return a;
}

static void set_attrs(struct mount_attr *a, unsigned long set, unsigned long clear)
{
        memset(a, 0, sizeof *a);
        a->attr_set = ms_to_attr(set);
        a->attr_clr = ms_to_attr(clear & ~(MS_NOATIME | MS_STRICTATIME | MS_RELATIME));
        if ((set | clear) & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME))
                a->attr_clr |= MOUNT_ATTR__ATIME;
}

static unsigned long statvfs_to_ms(unsigned long f)
{
        unsigned long ms = 0;
        if (f & ST_RDONLY)
                ms |= MS_RDONLY;
        if (f & ST_NOSUID)
                ms |= MS_NOSUID;
        if (f & ST_NODEV)
                ms |= MS_NODEV;
        if (f & ST_NOEXEC)
                ms |= MS_NOEXEC;
        return ms;
}

/* mount_setattr, keeping the flags a less privileged namespace may not clear
 * (they are locked on mounts that came from a more privileged one). */
static int setattr_tree(int tree, unsigned int flags, unsigned long set, unsigned long clear,
                        const char *what, struct bh_error *err)
{
        if (!set && !clear)
                return 0;
        struct mount_attr a;
        set_attrs(&a, set, clear);
        if (mount_setattr(tree, "", AT_EMPTY_PATH | flags, &a, sizeof a) == 0)
                return 0;
        if (errno == EPERM) {
                struct statvfs sv;
                if (fstatvfs(tree, &sv) == 0) {
                        set_attrs(&a, set | statvfs_to_ms(sv.f_flag), 0);
                        if (mount_setattr(tree, "", AT_EMPTY_PATH | flags, &a, sizeof a) == 0)
                                return 0;
                }
        }
        return bh_error_errno(err, errno, "setting the mount options of %s", what);
}

static int attach(int mnt, int target, const char *dest, struct bh_error *err)
{
        if (move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return bh_error_errno(err, errno, "mounting on %s", dest);
        return 0;
}

/* The kernel's own words about a failed fsconfig, when it left some. */
static void fs_messages(int fsfd, char *out, size_t n)
{
        out[0] = '\0';
        char buf[256];
        ssize_t r;
        size_t used = 0;
        while (used + 4 < n && (r = read(fsfd, buf, sizeof buf - 1)) > 0) {
                buf[r] = '\0';
                used += (size_t)snprintf(out + used, n - used, "%s%s", used ? "; " : "",
                                         buf[1] == ' ' ? buf + 2 : buf);
        }
}

/* A new file-system instance as a detached mount. */
static int fs_mount(const char *type, const char *source, const char *data, unsigned long flags,
                    const char *dest, struct bh_error *err)
{
        _cleanup_close_ int fs = fsopen(type, FSOPEN_CLOEXEC);
        if (fs < 0)
                return bh_error_errno(err, errno, "mount %s on %s: file system type \"%s\"", type,
                                      dest, type);
        char msg[256];
        if (source && *source && fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0) < 0) {
                /* some file systems take no source; that is no reason to fail */
        }
        _cleanup_free_ char *copy = data ? bh_xstrdup(data) : NULL;
        char *save = NULL;
        for (char *o = copy ? strtok_r(copy, ",", &save) : NULL; o;
             o = strtok_r(NULL, ",", &save)) {
                char *eq = strchr(o, '=');
                int r;
                if (eq) {
                        *eq = '\0';
                        r = fsconfig(fs, FSCONFIG_SET_STRING, o, eq + 1, 0);
                } else {
                        r = fsconfig(fs, FSCONFIG_SET_FLAG, o, NULL, 0);
                }
                if (r < 0) {
                        int e = errno;
                        fs_messages(fs, msg, sizeof msg);
                        return bh_error_errno(err, e, "mount %s on %s: option \"%s\"%s%s", type,
                                              dest, o, *msg ? ": " : "", msg);
                }
        }
        static const struct {
                unsigned long ms;
                const char *key;
        } sb_flags[] = {{MS_SYNCHRONOUS, "sync"},
                        {MS_DIRSYNC, "dirsync"},
                        {MS_LAZYTIME, "lazytime"},
                        {MS_MANDLOCK, "mand"},
                        {MS_SILENT, "silent"}};
        for (size_t i = 0; i < BH_ARRAY_SIZE(sb_flags); i++)
                if (flags & sb_flags[i].ms)
                        fsconfig(fs, FSCONFIG_SET_FLAG, sb_flags[i].key, NULL, 0);
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
                int e = errno;
                fs_messages(fs, msg, sizeof msg);
                return bh_error_errno(err, e, "mount %s on %s%s%s", type, dest, *msg ? ": " : "",
                                      msg);
        }
        int mnt = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned int)ms_to_attr(flags));
        if (mnt < 0)
                return bh_error_errno(err, errno, "mount %s on %s", type, dest);
        return mnt;
}

int rt_open_tree_idmapped(const char *src, bool recursive, int userns_fd, struct bh_error *err)
{
        int tree = open_tree(AT_FDCWD, src,
                             OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));
        if (tree < 0)
                return bh_error_errno(err, errno, "bind mount of %s", src);
        if (userns_fd >= 0) {
                struct mount_attr a = {.attr_set = MOUNT_ATTR_IDMAP,
                                       .userns_fd = (uint64_t)userns_fd};
                if (mount_setattr(tree, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a,
                                  sizeof a) < 0) {
                        int e = errno;
                        close(tree);
                        return bh_error_errno(err, e,
                                              "idmapped mount of %s (the file system must support "
                                              "idmapped mounts)",
                                              src);
                }
        }
        return tree;
}

static int propagation_flag(int prop)
{
        switch (prop) {
        case RT_PROP_PRIVATE:
                return MS_PRIVATE;
        case RT_PROP_SHARED:
                return MS_SHARED;
        case RT_PROP_SLAVE:
                return MS_SLAVE;
        case RT_PROP_UNBINDABLE:
                return MS_UNBINDABLE;
        default:
                return 0;
        }
}

int rt_rootfs_prepare(struct rt_init *in, int *rootfd, struct bh_error *err)
{
        /* nothing done here may reach the host's mount table */
        if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
                return bh_error_errno(err, errno, "making / a slave mount");
        const char *root = in->spec->root;
        int tree = in->rootfs_mount_fd;
        if (tree < 0) {
                tree =
                    open_tree(AT_FDCWD, root, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
                if (tree < 0)
                        return bh_error_errno(err, errno, "rootfs %s", root);
        }
        int r = move_mount(tree, "", AT_FDCWD, root, MOVE_MOUNT_F_EMPTY_PATH);
        int e = errno;
        close(tree);
        in->rootfs_mount_fd = -1;
        if (r < 0)
                return bh_error_errno(err, e, "bind mount of the rootfs %s", root);
        *rootfd = openat2_fd(AT_FDCWD, root, O_PATH | O_DIRECTORY, 0);
        if (*rootfd < 0)
                return bh_error_errno(err, -*rootfd, "rootfs %s", root);
        return 0;
}

/* Files under /proc that may be bind-mounted over (lxcfs and the like);
 * anything else there is refused: over-mounting /proc is how
 * CVE-2019-16884 and its successors reach the runtime. */
static bool proc_target_allowed(const char *dest)
{
        static const char *const ok[] = {"/proc/cpuinfo", "/proc/diskstats",
                                         "/proc/meminfo", "/proc/stat",
                                         "/proc/swaps",   "/proc/uptime",
                                         "/proc/loadavg", "/proc/slabinfo",
                                         "/proc/net/dev", "/proc/sys/kernel/ns_last_pid"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(ok); i++)
                if (strcmp(dest, ok[i]) == 0)
                        return true;
        return false;
}

static int check_target(int target, const struct rt_mount *m, struct bh_error *err)
{
        struct statfs sf;
        if (fstatfs(target, &sf) < 0)
                return bh_error_errno(err, errno, "%s (in the container)", m->destination);
        if (sf.f_type == PROC_SUPER_MAGIC && !(m->bind && proc_target_allowed(m->destination)))
                return bh_error_set(err, EPERM,
                                    "mounts[] destination %s is inside /proc; mounting over it is "
                                    "refused (it could redirect the runtime's own writes)",
                                    m->destination);
        return 0;
}

static int bind_tree(const struct rt_mount *m, const char *src, int ready, struct bh_error *err)
{
        int tree = ready;
        if (tree < 0) {
                tree = open_tree(AT_FDCWD, src,
                                 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC |
                                     (m->recursive ? AT_RECURSIVE : 0));
                if (tree < 0)
                        return bh_error_errno(err, errno, "bind mount source %s", src);
        }
        if (setattr_tree(tree, 0, m->flags, m->clear, m->destination, err) < 0 ||
            setattr_tree(tree, AT_RECURSIVE, m->rec_flags, m->rec_clear, m->destination, err) < 0) {
                close(tree);
                return -EPERM;
        }
        return tree;
}

static char *cgroup_dir_name(const struct rt_cgroup_dir *d)
{
        if (d->unified)
                return bh_xstrdup("unified");
        if (bh_startswith(d->controllers, "name="))
                return bh_xstrdup(d->controllers + 5);
        return bh_xstrdup(d->controllers);
}

/* /sys/fs/cgroup on v1 and hybrid: a tmpfs with the container's own
 * directory of every hierarchy bound at its usual place. */
static int cgroup_v1_mount(struct rt_init *in, const struct rt_mount *m, int target,
                           struct bh_error *err)
{
        unsigned long tflags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
        int tmp = fs_mount("tmpfs", "cgroup", "mode=755", tflags, m->destination, err);
        if (tmp < 0)
                return tmp;
        _cleanup_close_ int top = tmp;
        if (attach(top, target, m->destination, err) < 0)
                return -EIO;
        for (size_t i = 0; i < in->cg->n; i++) {
                const struct rt_cgroup_dir *d = &in->cg->dirs[i];
                _cleanup_free_ char *name = cgroup_dir_name(d);
                if (mkdirat(top, name, 0755) < 0 && errno != EEXIST)
                        return bh_error_errno(err, errno, "%s/%s", m->destination, name);
                _cleanup_close_ int sub = openat2_fd(top, name, O_PATH | O_DIRECTORY,
                                                     RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
                if (sub < 0)
                        return bh_error_errno(err, -sub, "%s/%s", m->destination, name);
                struct rt_mount bm = *m;
                bm.recursive = false;
                bm.flags = (m->flags | tflags) & ~MS_REMOUNT;
                int tree = bind_tree(&bm, d->path, -1, err);
                if (tree < 0)
                        return tree;
                int r = attach(tree, sub, m->destination, err);
                close(tree);
                if (r < 0)
                        return r;
                if (strchr(name, ',')) {
                        /* co-mounted controllers: a link under each name */
                        _cleanup_free_ char *copy = bh_xstrdup(name);
                        char *save = NULL;
                        for (char *c = strtok_r(copy, ",", &save); c;
                             c = strtok_r(NULL, ",", &save))
                                if (symlinkat(name, top, c) < 0 && errno != EEXIST)
                                        return bh_error_errno(err, errno, "%s/%s", m->destination,
                                                              c);
                }
        }
        if (m->flags & MS_RDONLY) {
                struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
                if (mount_setattr(top, "", AT_EMPTY_PATH, &a, sizeof a) < 0)
                        return bh_error_errno(err, errno, "making %s read-only", m->destination);
        }
        return 0;
}

static int cgroup_mount(struct rt_init *in, const struct rt_mount *m, int target,
                        struct bh_error *err)
{
        const struct rt_cgroup *cg = in->cg;
        bool cgroupns = in->spec->ns_wanted[RT_NS_CGROUP];
        struct rt_mount bm = *m;
        bm.flags |= MS_NOSUID | MS_NODEV | MS_NOEXEC;
        int tree;
        if (cg->mode == RT_CGROUP_V2 && cgroupns) {
                tree = fs_mount("cgroup2", "cgroup", NULL, bm.flags, m->destination, err);
        } else if (cg->mode == RT_CGROUP_V2) {
                bm.recursive = false;
                tree = bind_tree(&bm, cg->dirs[0].path, -1, err);
        } else if (cg->mode == RT_CGROUP_NONE) {
                /* no cgroup of its own (rootless on v1): the host's tree, read-only */
                bm.recursive = true;
                bm.rec_flags = bm.flags | MS_RDONLY;
                tree = bind_tree(&bm, "/sys/fs/cgroup", -1, err);
        } else {
                return cgroup_v1_mount(in, m, target, err);
        }
        if (tree < 0)
                return tree;
        int r = attach(tree, target, m->destination, err);
        close(tree);
        return r;
}

static int mount_one(struct rt_init *in, int rootfd, size_t idx, struct bh_error *err)
{
        const struct rt_mount *m = &in->spec->mounts[idx];
        const char *type = m->type ? m->type : "bind";
        bool is_file = false;
        if (m->bind) {
                struct stat st;
                if (in->mount_fds[idx] < 0 && stat(m->source, &st) < 0)
                        return bh_error_errno(err, errno, "bind mount source %s", m->source);
                is_file = in->mount_fds[idx] < 0 && !S_ISDIR(st.st_mode);
                if (in->mount_fds[idx] >= 0 && fstat(in->mount_fds[idx], &st) == 0)
                        is_file = !S_ISDIR(st.st_mode);
        }
        _cleanup_close_ int target = rt_mkpath_beneath(rootfd, m->destination, is_file, err);
        if (target < 0)
                return target;
        if (check_target(target, m, err) < 0)
                return -EPERM;
        int tree;
        if (m->bind) {
                tree = bind_tree(m, m->source, in->mount_fds[idx], err);
                in->mount_fds[idx] = -1;
        } else if (strcmp(type, "cgroup") == 0) {
                return cgroup_mount(in, m, target, err);
        } else if (strcmp(type, "cgroup2") == 0) {
                struct rt_mount cm = *m;
                return cgroup_mount(in, &cm, target, err);
        } else {
                tree = fs_mount(type, m->source, m->data, m->flags, m->destination, err);
                if (tree < 0 && (in->userns_new || in->g->rootless)) {
                        /* file systems a user namespace may not mount: bind the host's */
                        const char *host = strcmp(type, "sysfs") == 0    ? "/sys"
                                           : strcmp(type, "mqueue") == 0 ? "/dev/mqueue"
                                                                         : NULL;
                        if (host) {
                                struct rt_mount bm = *m;
                                bm.recursive = true;
                                bm.rec_flags |=
                                    m->flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
                                rt_debug("%s: bind-mounting the host's %s instead", err->msg, host);
                                tree = bind_tree(&bm, host, -1, err);
                        } else if (strcmp(type, "devpts") == 0 && m->data &&
                                   strstr(m->data, "gid=")) {
                                /* the tty group may be unmapped in the user namespace */
                                _cleanup_free_ char *d = bh_xstrdup(m->data);
                                char *g = strstr(d, "gid=");
                                char *end = strchrnul(g, ',');
                                memmove(g, *end ? end + 1 : end, strlen(*end ? end + 1 : end) + 1);
                                tree = fs_mount(type, m->source, d, m->flags, m->destination, err);
                        }
                }
        }
        if (tree < 0)
                return tree;
        int r = attach(tree, target, m->destination, err);
        if (r == 0 && strcmp(type, "proc") == 0 && in->proc_fd < 0)
                in->proc_fd = tree; /* the procfs root, immune to later over-mounts */
        else
                close(tree);
        if (r < 0)
                return r;
        if (m->propagation) {
                _cleanup_close_ int fd = open_in_root(rootfd, m->destination, O_PATH);
                struct mount_attr a = {.propagation = (uint64_t)propagation_flag(m->propagation)};
                if (fd < 0 ||
                    mount_setattr(fd, "", AT_EMPTY_PATH | (m->propagation_rec ? AT_RECURSIVE : 0),
                                  &a, sizeof a) < 0)
                        return bh_error_errno(err, fd < 0 ? -fd : errno,
                                              "setting the propagation of %s", m->destination);
        }
        if (m->tmpcopyup)
                rt_warn("mounts: \"tmpcopyup\" on %s is not supported; the tmpfs starts empty",
                        m->destination);
        return 0;
}

int rt_mounts_setup(struct rt_init *in, int rootfd, struct bh_error *err)
{
        for (size_t i = 0; i < in->spec->n_mounts; i++)
                if (mount_one(in, rootfd, i, err) < 0)
                        return -EIO;
        return 0;
}

/* ---- devices ---- */

static const struct {
        const char *path;
        unsigned major, minor;
} default_devices[] = {{"/dev/null", 1, 3},   {"/dev/zero", 1, 5},    {"/dev/full", 1, 7},
                       {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0}};

static bool dev_bound_from_host(const struct rt_spec *spec)
{
        for (size_t i = 0; i < spec->n_mounts; i++)
                if (strcmp(spec->mounts[i].destination, "/dev") == 0 && spec->mounts[i].bind)
                        return true;
        return false;
}

static int make_device(struct rt_init *in, int rootfd, const struct rt_device *d, bool bind,
                       struct bh_error *err)
{
        _cleanup_free_ char *parent = bh_xstrdup(d->path);
        char *slash = strrchr(parent, '/');
        const char *base = d->path + (slash - parent) + 1;
        *slash = '\0';
        _cleanup_close_ int pfd = rt_mkpath_beneath(rootfd, *parent ? parent : "/", false, err);
        if (pfd < 0)
                return pfd;
        if (bind) {
                /* a user namespace may not mknod: bind the host's node */
                _cleanup_close_ int tree =
                    open_tree(AT_FDCWD, d->path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
                if (tree < 0)
                        return bh_error_errno(err, errno, "device %s (bound from the host)",
                                              d->path);
                int f = openat(pfd, base, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
                if (f < 0 && errno != EEXIST)
                        return bh_error_errno(err, errno, "device %s", d->path);
                if (f >= 0)
                        close(f);
                _cleanup_close_ int target =
                    openat2_fd(pfd, base, O_PATH, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
                if (target < 0)
                        return bh_error_errno(err, -target, "device %s", d->path);
                return attach(tree, target, d->path, err);
        }
        mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
        mode_t mode = d->has_mode ? (d->mode & 07777) : 0666;
        if (unlinkat(pfd, base, 0) < 0 && errno != ENOENT && errno != EISDIR)
                return bh_error_errno(err, errno, "device %s", d->path);
        if (mknodat(pfd, base, type | mode,
                    d->type == 'p' ? 0 : makedev((unsigned)d->major, (unsigned)d->minor)) < 0)
                return bh_error_errno(err, errno, "mknod %s", d->path);
        if (fchmodat(pfd, base, mode, 0) < 0)
                return bh_error_errno(err, errno, "chmod %s", d->path);
        if ((d->has_uid || d->has_gid) &&
            fchownat(pfd, base, d->has_uid ? d->uid : (uid_t)-1, d->has_gid ? d->gid : (gid_t)-1,
                     AT_SYMLINK_NOFOLLOW) < 0)
                return bh_error_errno(err, errno, "chown %s", d->path);
        (void)in;
        return 0;
}

int rt_devices_setup(struct rt_init *in, int rootfd, struct bh_error *err)
{
        const struct rt_spec *spec = in->spec;
        if (dev_bound_from_host(spec))
                return 0;
        bool bind = in->userns_new || in->g->rootless || spec->ns_path[RT_NS_USER];
        for (size_t i = 0; i < BH_ARRAY_SIZE(default_devices); i++) {
                bool overridden = false;
                for (size_t k = 0; k < spec->n_devices; k++)
                        if (strcmp(spec->devices[k].path, default_devices[i].path) == 0)
                                overridden = true;
                if (overridden)
                        continue;
                struct rt_device d = {.path = (char *)default_devices[i].path,
                                      .type = 'c',
                                      .major = default_devices[i].major,
                                      .minor = default_devices[i].minor,
                                      .has_mode = true,
                                      .mode = 0666};
                if (make_device(in, rootfd, &d, bind, err) < 0)
                        return -EIO;
        }
        for (size_t k = 0; k < spec->n_devices; k++)
                if (make_device(in, rootfd, &spec->devices[k], bind, err) < 0)
                        return -EIO;
        _cleanup_close_ int dev = rt_mkpath_beneath(rootfd, "/dev", false, err);
        if (dev < 0)
                return dev;
        static const char *const links[][2] = {{"/proc/self/fd", "fd"},
                                               {"/proc/self/fd/0", "stdin"},
                                               {"/proc/self/fd/1", "stdout"},
                                               {"/proc/self/fd/2", "stderr"},
                                               {"pts/ptmx", "ptmx"}};
        for (size_t i = 0; i < BH_ARRAY_SIZE(links); i++)
                if (symlinkat(links[i][0], dev, links[i][1]) < 0 && errno != EEXIST)
                        return bh_error_errno(err, errno, "/dev/%s", links[i][1]);
        if (spec->process.terminal) {
                int f = openat(dev, "console", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
                if (f < 0 && errno != EEXIST)
                        return bh_error_errno(err, errno, "/dev/console");
                if (f >= 0)
                        close(f);
        }
        return 0;
}

/* ---- pivot and what follows it ---- */

int rt_rootfs_pivot(struct rt_init *in, int rootfd, struct bh_error *err)
{
        if (fchdir(rootfd) < 0)
                return bh_error_errno(err, errno, "entering the rootfs");
        if (in->opts && in->opts->no_pivot) {
                if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
                        return bh_error_errno(err, errno, "moving the rootfs to / (--no-pivot)");
                if (chroot(".") < 0)
                        return bh_error_errno(err, errno, "chroot into the rootfs");
        } else {
                if (syscall(SYS_pivot_root, ".", ".") < 0)
                        return bh_error_errno(err, errno, "pivot_root into %s", in->spec->root);
                /* the old root now sits on top of the new one: detach it */
                if (umount2(".", MNT_DETACH) < 0)
                        return bh_error_errno(err, errno, "detaching the old root");
        }
        if (chdir("/") < 0)
                return bh_error_errno(err, errno, "chdir /");
        if (in->spec->rootfs_propagation &&
            mount(NULL, "/", NULL,
                  (unsigned long)propagation_flag(in->spec->rootfs_propagation) |
                      (in->spec->rootfs_propagation_rec ? MS_REC : 0),
                  NULL) < 0)
                return bh_error_errno(err, errno, "linux.rootfsPropagation");
        return 0;
}

int rt_proc_write(int proc_fd, const char *rel, const char *value, struct bh_error *err)
{
        /* beneath the procfs root we mounted ourselves, crossing no mount and no
         * symlink: an over-mount placed anywhere on the way is refused */
        int fd = openat2_fd(proc_fd, rel, O_WRONLY | O_NOCTTY,
                            RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_SYMLINKS |
                                RESOLVE_NO_MAGICLINKS);
        if (fd < 0)
                return bh_error_errno(err, -fd, "/proc/%s", rel);
        struct statfs sf;
        if (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC) {
                close(fd);
                return bh_error_set(err, EPERM, "/proc/%s is not on procfs; refusing to write it",
                                    rel);
        }
        size_t len = strlen(value);
        ssize_t w = write(fd, value, len);
        int e = errno;
        close(fd);
        if (w != (ssize_t)len)
                return bh_error_errno(err, w < 0 ? e : EIO, "writing \"%s\" to /proc/%s", value,
                                      rel);
        return 0;
}

int rt_proc_fd(struct rt_init *in, struct bh_error *err)
{
        if (in->proc_fd >= 0)
                return in->proc_fd;
        /* no /proc of ours in the container: a private procfs instance, for
         * the current PID namespace, attached nowhere */
        int fs = fs_mount("proc", "proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC,
                          "(a private /proc)", err);
        if (fs < 0)
                return fs;
        in->proc_fd = fs;
        return fs;
}

static int write_sysctls(struct rt_init *in, struct bh_error *err)
{
        if (!in->spec->n_sysctls)
                return 0;
        if (rt_proc_fd(in, err) < 0)
                return -EIO;
        for (size_t i = 0; i < in->spec->n_sysctls; i++) {
                const struct rt_sysctl *s = &in->spec->sysctls[i];
                _cleanup_free_ char *rel = bh_xasprintf("sys/%s", s->key);
                for (char *p = rel + 4; *p; p++)
                        if (*p == '.')
                                *p = '/';
                if (rt_proc_write(in->proc_fd, rel, s->value, err) < 0)
                        return bh_error_prefix(err, "linux.sysctl %s", s->key);
        }
        return 0;
}

static int mask_path(struct rt_init *in, int root, const char *path, struct bh_error *err)
{
        _cleanup_close_ int fd = open_in_root(root, path, O_PATH);
        if (fd == -ENOENT || fd == -ENOTDIR)
                return 0;
        if (fd < 0)
                return bh_error_errno(err, -fd, "masked path %s", path);
        struct stat st;
        if (fstat(fd, &st) < 0)
                return bh_error_errno(err, errno, "masked path %s", path);
        int tree;
        if (S_ISDIR(st.st_mode)) {
                tree = fs_mount("tmpfs", "tmpfs", NULL,
                                MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, path, err);
        } else {
                tree = open_tree(in->devnull_fd, "",
                                 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
                if (tree < 0)
                        return bh_error_errno(err, errno, "masking %s", path);
        }
        if (tree < 0)
                return tree;
        int r = attach(tree, fd, path, err);
        close(tree);
        return r;
}

static int readonly_path(int root, const char *path, struct bh_error *err)
{
        _cleanup_close_ int fd = open_in_root(root, path, O_PATH);
        if (fd == -ENOENT || fd == -ENOTDIR)
                return 0;
        if (fd < 0)
                return bh_error_errno(err, -fd, "read-only path %s", path);
        _cleanup_close_ int tree =
            open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
        if (tree < 0)
                return bh_error_errno(err, errno, "read-only path %s", path);
        struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
                                           MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC};
        if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof a) < 0)
                return bh_error_errno(err, errno, "making %s read-only", path);
        return attach(tree, fd, path, err);
}

/* The container's /dev/null, checked to be the null device: a symlink or
 * another file there cannot become what masked paths are covered with
 * (CVE-2025-31133). */
static int open_devnull(struct rt_init *in, int root, struct bh_error *err)
{
        int fd = openat2_fd(root, "/dev/null", O_PATH,
                            RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
                if (fd >= 0)
                        close(fd);
                return bh_error_set(err, EPERM,
                                    "/dev/null in the container is not the null device; refusing "
                                    "to mask paths with it");
        }
        in->devnull_fd = fd;
        return 0;
}

int rt_rootfs_finish(struct rt_init *in, struct bh_error *err)
{
        const struct rt_spec *spec = in->spec;
        if (write_sysctls(in, err) < 0)
                return -EIO;
        _cleanup_close_ int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return bh_error_errno(err, errno, "the container's root");
        if (spec->masked_paths && spec->masked_paths[0] && in->devnull_fd < 0 &&
            open_devnull(in, root, err) < 0)
                return -EPERM;
        for (char **p = spec->masked_paths; p && *p; p++)
                if (mask_path(in, root, *p, err) < 0)
                        return -EIO;
        for (char **p = spec->readonly_paths; p && *p; p++)
                if (readonly_path(root, *p, err) < 0)
                        return -EIO;
        if (spec->root_readonly) {
                struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
                if (mount_setattr(AT_FDCWD, "/", 0, &a, sizeof a) < 0)
                        return bh_error_errno(err, errno, "making the rootfs read-only");
        }
        return 0;
}
