/* cgroup directories: finding the hierarchies, making and removing the
 * container's directories, entering them, freezing, listing processes. The
 * resource files are written by cgroup_resources.c. */
#include "runtime/cgroup.h"
#include "runtime/cgroup_internal.h"
#include "runtime/log.h"
#include "base/buf.h"
#include "base/file.h"
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

enum rt_cgroup_mode rt_cgroup_host_mode(void)
{
        struct statfs st;
        if (statfs(CGROUP_ROOT, &st) < 0)
                return RT_CGROUP_NONE;
        if (st.f_type == CGROUP2_SUPER_MAGIC)
                return RT_CGROUP_V2;
        if (st.f_type != TMPFS_MAGIC)
                return RT_CGROUP_NONE;
        if (statfs(CGROUP_ROOT "/unified", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC)
                return RT_CGROUP_HYBRID;
        return RT_CGROUP_V1;
}

int rt_cg_write(const char *dir, const char *file, const char *value, struct bh_error *err)
{
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, file);
        int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return bh_error_errno(err, errno, "cgroup: %s", path);
        size_t len = strlen(value);
        ssize_t w = write(fd, value, len);
        int e = errno;
        close(fd);
        if (w != (ssize_t)len)
                return bh_error_errno(err, w < 0 ? e : EIO, "cgroup: writing \"%s\" to %s", value,
                                      path);
        return 0;
}

int rt_cg_read(const char *dir, const char *file, char **out, struct bh_error *err)
{
        _cleanup_free_ char *path = bh_xasprintf("%s/%s", dir, file);
        return bh_read_file(path, 1 << 20, out, NULL, err);
}

bool rt_cg_has_file(const char *dir, const char *file)
{
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, file);
        return access(path, F_OK) == 0;
}

/* The runtime's own cgroup in a hierarchy, from /proc/self/cgroup. */
static char *own_cgroup(const char *controllers, bool unified)
{
        _cleanup_free_ char *data = NULL;
        if (bh_read_file("/proc/self/cgroup", 1 << 16, &data, NULL, NULL) < 0)
                return bh_xstrdup("/");
        char *save = NULL;
        for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *c1 = strchr(line, ':');
                char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
                if (!c2)
                        continue;
                *c2 = '\0';
                const char *ctrl = c1 + 1;
                if ((unified && *ctrl == '\0') || (!unified && strcmp(ctrl, controllers) == 0))
                        return bh_xstrdup(c2 + 1);
        }
        return bh_xstrdup("/");
}

static char *systemd_path(const char *spec, const char *id, bool rootless)
{
        /* "slice:prefix:name" -> /a.slice/a-b.slice/prefix-name.scope */
        _cleanup_free_ char *copy = bh_xstrdup(spec ? spec : "");
        char *prefix = strchr(copy, ':');
        char *name = prefix ? strchr(prefix + 1, ':') : NULL;
        if (!prefix || !name)
                return bh_xasprintf("/%s/bulkhead-%s.scope",
                                    rootless ? "user.slice" : "system.slice", id);
        *prefix++ = '\0';
        *name++ = '\0';
        const char *slice = *copy ? copy : (rootless ? "user.slice" : "system.slice");
        struct bh_buf b = BH_BUF_INIT;
        if (strcmp(slice, "-.slice") != 0 && bh_endswith(slice, ".slice")) {
                /* each dash opens a parent slice */
                size_t stem = strlen(slice) - strlen(".slice");
                for (size_t i = 0; i < stem; i++)
                        if (slice[i] == '-')
                                bh_buf_printf(&b, "/%.*s.slice", (int)i, slice);
                bh_buf_printf(&b, "/%s", slice);
        }
        if (*prefix)
                bh_buf_printf(&b, "/%s-%s.scope", prefix, *name ? name : id);
        else
                bh_buf_printf(&b, "/%s", *name ? name : id);
        return bh_buf_steal(&b);
}

char *rt_cgroup_path_for(const char *cgroups_path, const char *id, bool systemd, bool rootless)
{
        if (systemd)
                return systemd_path(cgroups_path, id, rootless);
        if (!cgroups_path || !*cgroups_path)
                /* rootless: below the user's own (delegated) cgroup */
                return rootless ? bh_xasprintf("bulkhead/%s", id)
                                : bh_xasprintf("/bulkhead/%s", id);
        return bh_xstrdup(cgroups_path);
}

static bool safe_cgroup_path(const char *p)
{
        return !strstr(p, "/../") && !bh_endswith(p, "/..") && !bh_startswith(p, "../") &&
               strcmp(p, "..") != 0 && !strchr(p, '\n');
}

struct hierarchy {
        char *mount, *controllers, *root;
        bool unified;
};

static void add_hierarchy(struct hierarchy **h, size_t *n, const char *mount, const char *ctrl,
                          const char *root, bool unified)
{
        for (size_t i = 0; i < *n; i++)
                if (strcmp((*h)[i].mount, mount) == 0)
                        return;
        *h = bh_xreallocarray(*h, *n + 1, sizeof **h);
        (*h)[(*n)++] =
            (struct hierarchy){bh_xstrdup(mount), bh_xstrdup(ctrl), bh_xstrdup(root), unified};
}

/* The controllers of a v1 mount from its super options: "rw,cpu,cpuacct". */
static char *v1_controllers(const char *opts)
{
        static const char *const skip[] = {
            "rw", "ro", "xattr", "noprefix", "clone_children", "cpuset_v2_mode", "favordynmods"};
        _cleanup_free_ char *copy = bh_xstrdup(opts);
        struct bh_buf b = BH_BUF_INIT;
        char *save = NULL;
        for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
                bool skipped = bh_startswith(o, "release_agent=");
                for (size_t i = 0; i < BH_ARRAY_SIZE(skip); i++)
                        if (strcmp(o, skip[i]) == 0)
                                skipped = true;
                if (skipped)
                        continue;
                if (b.len)
                        bh_buf_putc(&b, ',');
                bh_buf_puts(&b, o);
        }
        return bh_buf_steal(&b);
}

/* Unescapes mountinfo's octal escapes ("\040" for a space) in place. */
static void unescape(char *s)
{
        char *w = s;
        for (char *r = s; *r; r++) {
                if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] && r[3]) {
                        *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
                        r += 3;
                } else {
                        *w++ = *r;
                }
        }
        *w = '\0';
}

/* Whether path is (still) the top of a cgroup mount of that version: a
 * mount hidden under another one stays in mountinfo. */
static bool visible_cgroup_mount(const char *path, bool v2)
{
        struct statfs st;
        return statfs(path, &st) == 0 &&
               st.f_type == (v2 ? CGROUP2_SUPER_MAGIC : CGROUP_SUPER_MAGIC);
}

static int find_hierarchies(enum rt_cgroup_mode mode, struct hierarchy **out, size_t *n,
                            struct bh_error *err)
{
        _cleanup_free_ char *data = NULL;
        if (bh_read_file("/proc/self/mountinfo", 4 << 20, &data, NULL, err) < 0)
                return -EIO;
        char *save = NULL;
        for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *f[6] = {0};
                char *p = line;
                for (int i = 0; i < 6 && p; i++) {
                        f[i] = p;
                        p = strchr(p, ' ');
                        if (p)
                                *p++ = '\0';
                }
                /* optional fields, then "- fstype source super-options" */
                char *dash = !p ? NULL : strncmp(p, "- ", 2) == 0 ? p - 1 : strstr(p, " - ");
                if (!f[4] || !dash)
                        continue;
                char *fstype = dash + 3;
                char *src = strchr(fstype, ' ');
                if (!src)
                        continue;
                *src++ = '\0';
                char *super = strchr(src, ' ');
                if (!super)
                        continue;
                super++;
                unescape(f[4]);
                unescape(f[3]);
                if (!bh_startswith(f[4], CGROUP_ROOT "/") && strcmp(f[4], CGROUP_ROOT) != 0)
                        continue;
                if (mode == RT_CGROUP_V2 && strcmp(f[4], CGROUP_ROOT) != 0)
                        continue;
                if (strcmp(fstype, "cgroup2") == 0) {
                        if (visible_cgroup_mount(f[4], true))
                                add_hierarchy(out, n, f[4], "", f[3], true);
                } else if (strcmp(fstype, "cgroup") == 0 && visible_cgroup_mount(f[4], false)) {
                        _cleanup_free_ char *ctrl = v1_controllers(super);
                        if (*ctrl)
                                add_hierarchy(out, n, f[4], ctrl, f[3], false);
                }
        }
        return 0;
}

static void free_hierarchies(struct hierarchy *h, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(h[i].mount);
                free(h[i].controllers);
                free(h[i].root);
        }
        free(h);
}

/* mkdir -p below the hierarchy root; returns 1 when the leaf was made. */
static int make_dirs(const char *mount, const char *rel, struct bh_error *err)
{
        _cleanup_free_ char *path = bh_path_join(mount, rel);
        int made = 0;
        for (char *p = path + strlen(mount);;) {
                char *slash = strchr(p + 1, '/');
                if (slash)
                        *slash = '\0';
                if (mkdir(path, 0755) == 0)
                        made = 1;
                else if (errno == EEXIST)
                        made = 0;
                else
                        return bh_error_errno(err, errno, "cgroup: cannot create %s", path);
                if (!slash)
                        break;
                *slash = '/';
                p = slash;
        }
        return made;
}

/* A new v1 cpuset starts with no CPUs and no memory nodes, and a process
 * cannot join it; every empty level is filled from its parent. */
static int cpuset_fill_one(const char *dir, struct bh_error *err)
{
        static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
        for (int i = 0; i < 2; i++) {
                _cleanup_free_ char *cur = NULL;
                if (rt_cg_read(dir, files[i], &cur, NULL) < 0)
                        return 0; /* not a cpuset directory after all */
                if (*bh_strstrip(cur))
                        continue;
                _cleanup_free_ char *parent = bh_xstrdup(dir);
                *strrchr(parent, '/') = '\0';
                _cleanup_free_ char *pv = NULL;
                if (rt_cg_read(parent, files[i], &pv, err) < 0 ||
                    rt_cg_write(dir, files[i], bh_strstrip(pv), err) < 0)
                        return -EIO;
        }
        return 0;
}

static int cpuset_fill(const char *mount, const char *rel, struct bh_error *err)
{
        _cleanup_free_ char *path = bh_path_join(mount, rel);
        for (char *p = path + strlen(mount);;) {
                char *slash = strchr(p + 1, '/');
                if (slash)
                        *slash = '\0';
                if (cpuset_fill_one(path, err) < 0)
                        return -EIO;
                if (!slash)
                        break;
                *slash = '/';
                p = slash;
        }
        return 0;
}

/* Turns on, from the root down, the controllers of a cgroup2 hierarchy in
 * every ancestor of the container's directory. Busy ancestors (with
 * processes of their own) cannot; that only costs the controllers there. */
static void enable_unified_controllers(const char *mount, const char *rel)
{
        _cleanup_free_ char *avail = NULL;
        if (rt_cg_read(mount, "cgroup.controllers", &avail, NULL) < 0)
                return;
        bh_strstrip(avail);
        if (!*avail)
                return;
        struct bh_buf want = BH_BUF_INIT;
        char *save = NULL;
        for (char *c = strtok_r(avail, " ", &save); c; c = strtok_r(NULL, " ", &save))
                bh_buf_printf(&want, "%s+%s", want.len ? " " : "", c);
        _cleanup_free_ char *dir = bh_xstrdup(mount);
        _cleanup_free_ char *walk = bh_xstrdup(rel);
        char *save2 = NULL;
        char *next = NULL;
        for (char *comp = strtok_r(walk, "/", &save2); comp; comp = next) {
                next = strtok_r(NULL, "/", &save2);
                if (rt_cg_write(dir, "cgroup.subtree_control", want.data, NULL) < 0)
                        rt_debug("cgroup: cannot enable \"%s\" in %s", want.data, dir);
                if (!next)
                        break; /* the leaf itself keeps its processes */
                char *longer = bh_path_join(dir, comp);
                free(dir);
                dir = longer;
        }
        bh_buf_free(&want);
}

static void cgroup_undo(struct rt_cgroup *cg)
{
        rt_cgroup_destroy(cg, NULL);
        rt_cgroup_free(cg);
}

int rt_cgroup_create(struct rt_cgroup *cg, const char *path, const json_t *resources, bool rootless,
                     struct bh_error *err)
{
        memset(cg, 0, sizeof *cg);
        if (!safe_cgroup_path(path) || strspn(path, "/") == strlen(path))
                return bh_error_set(err, EINVAL,
                                    "cgroupsPath \"%s\": must name a cgroup below the root, "
                                    "without \"..\"",
                                    path);
        cg->mode = rt_cgroup_host_mode();
        if (cg->mode == RT_CGROUP_NONE)
                return 0;
        if (rootless && cg->mode != RT_CGROUP_V2) {
                rt_warn("rootless: cgroup v1 cannot be delegated to an unprivileged user; the "
                        "container runs without cgroup limits (resources are ignored)");
                cg->mode = RT_CGROUP_NONE;
                return 0;
        }
        struct hierarchy *h = NULL;
        size_t nh = 0;
        if (find_hierarchies(cg->mode, &h, &nh, err) < 0)
                return -EIO;
        cg->path = bh_xstrdup(path);
        cg->dirs = bh_xcalloc(nh + 1, sizeof *cg->dirs);
        int r = 0;
        for (size_t i = 0; i < nh && r >= 0; i++) {
                _cleanup_free_ char *own =
                    path[0] == '/' ? NULL : own_cgroup(h[i].controllers, h[i].unified);
                _cleanup_free_ char *rel = own ? bh_path_join(own, path) : bh_xstrdup(path);
                int made = make_dirs(h[i].mount, rel, err);
                if (made < 0 && rootless) {
                        rt_warn("rootless: the cgroup tree is not delegated to this user (%s); "
                                "the container runs without cgroup limits",
                                err->msg);
                        cgroup_undo(cg);
                        free_hierarchies(h, nh);
                        memset(cg, 0, sizeof *cg);
                        cg->mode = RT_CGROUP_NONE;
                        return 0;
                }
                if (made < 0) {
                        r = -EIO;
                        break;
                }
                struct rt_cgroup_dir *d = &cg->dirs[cg->n++];
                d->controllers = bh_xstrdup(h[i].controllers);
                d->path = bh_path_join(h[i].mount, rel);
                d->unified = h[i].unified;
                if (strstr(h[i].controllers, "cpuset") && cpuset_fill(h[i].mount, rel, err) < 0)
                        r = -EIO;
                if (h[i].unified)
                        enable_unified_controllers(h[i].mount, rel);
        }
        free_hierarchies(h, nh);
        if (r >= 0 && resources)
                r = rt_cgroup_apply(cg, resources, err);
        if (r < 0) {
                cgroup_undo(cg);
                return r;
        }
        return 0;
}

int rt_cgroup_enter(const struct rt_cgroup *cg, pid_t pid, struct bh_error *err)
{
        char buf[24];
        snprintf(buf, sizeof buf, "%d", pid);
        for (size_t i = 0; i < cg->n; i++)
                if (rt_cg_write(cg->dirs[i].path, "cgroup.procs", buf, err) < 0)
                        return -EIO;
        return 0;
}

int rt_cgroup_enter_self(const struct rt_cgroup *cg, struct bh_error *err)
{
        for (size_t i = 0; i < cg->n; i++)
                if (!cg->dirs[i].unified && rt_cg_write(cg->dirs[i].path, "tasks", "0", err) < 0)
                        return -EIO;
        return 0;
}

int rt_cgroup_enter_unified(const struct rt_cgroup *cg, pid_t pid, struct bh_error *err)
{
        const char *dir = rt_cgroup_dir_of(cg, "");
        char buf[24];
        snprintf(buf, sizeof buf, "%d", pid);
        return dir ? rt_cg_write(dir, "cgroup.procs", buf, err) : 0;
}

int rt_cgroup_unified_fd(const struct rt_cgroup *cg)
{
        const char *dir = rt_cgroup_dir_of(cg, "");
        return dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
}

/* rmdir, children first; a cgroup whose last process just died may stay
 * busy for a moment. */
static int remove_tree(const char *path, int depth)
{
        DIR *d = opendir(path);
        if (!d)
                return errno == ENOENT ? 0 : -errno;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (e->d_type != DT_DIR || e->d_name[0] == '.' || depth > 32)
                        continue;
                _cleanup_free_ char *sub = bh_path_join(path, e->d_name);
                remove_tree(sub, depth + 1);
        }
        closedir(d);
        for (int tries = 0;; tries++) {
                if (rmdir(path) == 0 || errno == ENOENT)
                        return 0;
                if (errno != EBUSY || tries > 200)
                        return -errno;
                struct timespec ts = {0, 5 * 1000 * 1000};
                nanosleep(&ts, NULL);
        }
}

int rt_cgroup_destroy(const struct rt_cgroup *cg, struct bh_error *err)
{
        int r = 0;
        for (size_t i = 0; i < cg->n; i++) {
                int e = remove_tree(cg->dirs[i].path, 0);
                if (e < 0 && r == 0)
                        r = bh_error_errno(err, -e, "cgroup: cannot remove %s", cg->dirs[i].path);
        }
        return r;
}

const char *rt_cgroup_dir_of(const struct rt_cgroup *cg, const char *controller)
{
        for (size_t i = 0; i < cg->n; i++) {
                const struct rt_cgroup_dir *d = &cg->dirs[i];
                if (!*controller) {
                        if (d->unified)
                                return d->path;
                        continue;
                }
                const char *c = d->controllers;
                size_t n = strlen(controller);
                while (c && *c) {
                        if (strncmp(c, controller, n) == 0 && (c[n] == ',' || c[n] == '\0'))
                                return d->path;
                        c = strchr(c, ',');
                        if (c)
                                c++;
                }
        }
        return NULL;
}

static int wait_for(const char *dir, const char *file, const char *want)
{
        for (int i = 0; i < 2000; i++) {
                _cleanup_free_ char *v = NULL;
                if (rt_cg_read(dir, file, &v, NULL) < 0)
                        return -EIO;
                if (strstr(v, want))
                        return 0;
                struct timespec ts = {0, (i < 10 ? 100 : 1000) * 1000};
                nanosleep(&ts, NULL);
        }
        return -ETIMEDOUT;
}

int rt_cgroup_freeze(const struct rt_cgroup *cg, bool freeze, struct bh_error *err)
{
        const char *v1 = rt_cgroup_dir_of(cg, "freezer");
        if (v1) {
                if (rt_cg_write(v1, "freezer.state", freeze ? "FROZEN" : "THAWED", err) < 0)
                        return -EIO;
                if (wait_for(v1, "freezer.state", freeze ? "FROZEN" : "THAWED") < 0)
                        return bh_error_set(err, ETIMEDOUT, "cgroup: %s did not %s in time", v1,
                                            freeze ? "freeze" : "thaw");
                return 0;
        }
        const char *v2 = rt_cgroup_dir_of(cg, "");
        if (v2 && cg->mode == RT_CGROUP_V2) {
                if (rt_cg_write(v2, "cgroup.freeze", freeze ? "1" : "0", err) < 0)
                        return -EIO;
                if (wait_for(v2, "cgroup.events", freeze ? "frozen 1" : "frozen 0") < 0)
                        return bh_error_set(err, ETIMEDOUT, "cgroup: %s did not %s in time", v2,
                                            freeze ? "freeze" : "thaw");
                return 0;
        }
        return bh_error_set(err, ENOTSUP,
                            "pausing needs the freezer cgroup; this container has none");
}

int rt_cgroup_frozen(const struct rt_cgroup *cg)
{
        _cleanup_free_ char *v = NULL;
        const char *v1 = rt_cgroup_dir_of(cg, "freezer");
        if (v1) {
                if (rt_cg_read(v1, "freezer.state", &v, NULL) < 0)
                        return 0;
                return strncmp(v, "FROZEN", 6) == 0;
        }
        const char *v2 = rt_cgroup_dir_of(cg, "");
        if (v2 && cg->mode == RT_CGROUP_V2) {
                if (rt_cg_read(v2, "cgroup.freeze", &v, NULL) < 0)
                        return 0;
                return v[0] == '1';
        }
        return 0;
}

static void collect_pids(const char *dir, pid_t **pids, size_t *n, int depth)
{
        _cleanup_free_ char *data = NULL;
        if (rt_cg_read(dir, "cgroup.procs", &data, NULL) == 0) {
                char *save = NULL;
                for (char *l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                        *pids = bh_xreallocarray(*pids, *n + 1, sizeof **pids);
                        (*pids)[(*n)++] = (pid_t)atoi(l);
                }
        }
        DIR *d = depth < 32 ? opendir(dir) : NULL;
        if (!d)
                return;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (e->d_type != DT_DIR || e->d_name[0] == '.')
                        continue;
                _cleanup_free_ char *sub = bh_path_join(dir, e->d_name);
                collect_pids(sub, pids, n, depth + 1);
        }
        closedir(d);
}

int rt_cgroup_pids(const struct rt_cgroup *cg, pid_t **pids, size_t *n, struct bh_error *err)
{
        *pids = NULL;
        *n = 0;
        static const char *const prefer[] = {"pids", "freezer",      "memory",
                                             "cpu",  "name=systemd", ""};
        for (size_t i = 0; i < BH_ARRAY_SIZE(prefer); i++) {
                const char *dir = rt_cgroup_dir_of(cg, prefer[i]);
                if (!dir)
                        continue;
                if (access(dir, F_OK) < 0)
                        return bh_error_errno(err, errno, "cgroup: %s", dir);
                collect_pids(dir, pids, n, 0);
                return 0;
        }
        return bh_error_set(err, ENOENT, "the container has no cgroup to list processes from");
}

json_t *rt_cgroup_to_json(const struct rt_cgroup *cg)
{
        static const char *const modes[] = {"none", "v1", "hybrid", "v2"};
        json_t *dirs = json_array();
        for (size_t i = 0; i < cg->n; i++)
                json_array_append_new(
                    dirs, json_pack("{s:s, s:s, s:b}", "controllers", cg->dirs[i].controllers,
                                    "path", cg->dirs[i].path, "unified", cg->dirs[i].unified));
        return json_pack("{s:s, s:s?, s:o}", "mode", modes[cg->mode], "path", cg->path, "dirs",
                         dirs);
}

int rt_cgroup_from_json(const json_t *j, struct rt_cgroup *cg)
{
        memset(cg, 0, sizeof *cg);
        const char *mode = json_string_value(json_object_get(j, "mode"));
        cg->mode = bh_streq(mode, "v1")       ? RT_CGROUP_V1
                   : bh_streq(mode, "hybrid") ? RT_CGROUP_HYBRID
                   : bh_streq(mode, "v2")     ? RT_CGROUP_V2
                                              : RT_CGROUP_NONE;
        const char *path = json_string_value(json_object_get(j, "path"));
        cg->path = path ? bh_xstrdup(path) : NULL;
        json_t *dirs = json_object_get(j, "dirs");
        cg->dirs = bh_xcalloc(json_array_size(dirs) + 1, sizeof *cg->dirs);
        size_t i;
        json_t *d;
        json_array_foreach(dirs, i, d)
        {
                const char *c = json_string_value(json_object_get(d, "controllers"));
                const char *p = json_string_value(json_object_get(d, "path"));
                if (!c || !p || p[0] != '/' || !bh_startswith(p, CGROUP_ROOT "/"))
                        continue;
                cg->dirs[cg->n++] = (struct rt_cgroup_dir){
                    bh_xstrdup(c), bh_xstrdup(p), json_is_true(json_object_get(d, "unified"))};
        }
        return 0;
}

void rt_cgroup_free(struct rt_cgroup *cg)
{
        for (size_t i = 0; i < cg->n; i++) {
                free(cg->dirs[i].controllers);
                free(cg->dirs[i].path);
        }
        free(cg->dirs);
        free(cg->path);
        memset(cg, 0, sizeof *cg);
}
