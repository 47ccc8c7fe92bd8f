/* Gathering what the host shows: the daemon's process and configuration,
 * programs, sockets, systemd units, audit rules, file stats, mounts, users,
 * rootless readiness and content trust. Everything is read under s->root so
 * tests can point it at a fixture tree. */
#include "audit/audit_rules.h"
#include "audit/daemon_config.h"
#include "audit/gather.h"
#include "base/buf.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define SMALL_FILE_MAX (1u << 20)
#define DAEMON_JSON_MAX (4u << 20)

char *gather_path(const struct audit_snapshot *s, const char *p)
{
        if (!s->root || strcmp(s->root, "/") == 0)
                return bh_xstrdup(p);
        return bh_path_join(s->root, p);
}

int gather_read(const struct audit_snapshot *s, const char *p, size_t max, char **data,
                struct bh_error *err)
{
        _cleanup_free_ char *full = gather_path(s, p);
        int r = bh_read_file(full, max, data, NULL, err);
        if (r < 0 && strcmp(full, p) != 0) /* name the host path, not the fixture's */
                bh_error_set(err, -r, "%s: %s", p, strerror(-r));
        return r;
}

static bool exists(const struct audit_snapshot *s, const char *p, mode_t type)
{
        _cleanup_free_ char *full = gather_path(s, p);
        struct stat st;
        return stat(full, &st) == 0 && (!type || (st.st_mode & S_IFMT) == type);
}

static void fail_set(struct audit_fail *f, const struct bh_error *err)
{
        f->code = err->code ? err->code : EIO;
        snprintf(f->msg, sizeof f->msg, "%s", err->msg);
}

/* ---- users and groups from the host's files ---- */

struct idmap {
        char **names;
        unsigned long *ids;
        size_t n;
};

static void idmap_load(const struct audit_snapshot *s, const char *file, struct idmap *m)
{
        _cleanup_free_ char *data = NULL;
        if (gather_read(s, file, 16u << 20, &data, NULL) < 0)
                return;
        char *save = NULL;
        for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *colon1 = strchr(line, ':');
                char *colon2 = colon1 ? strchr(colon1 + 1, ':') : NULL;
                if (!colon2)
                        continue;
                m->names = bh_xreallocarray(m->names, m->n + 1, sizeof(char *));
                m->ids = bh_xreallocarray(m->ids, m->n + 1, sizeof(unsigned long));
                m->names[m->n] = bh_xstrndup(line, (size_t)(colon1 - line));
                m->ids[m->n] = strtoul(colon2 + 1, NULL, 10);
                m->n++;
        }
}

static const char *idmap_name(const struct idmap *m, unsigned long id)
{
        for (size_t i = 0; i < m->n; i++)
                if (m->ids[i] == id)
                        return m->names[i];
        return NULL;
}

static void idmap_free(struct idmap *m)
{
        for (size_t i = 0; i < m->n; i++)
                free(m->names[i]);
        free(m->names);
        free(m->ids);
}

/* ---- /proc ---- */

struct proc_scan {
        pid_t *dockerd, *containerd, *clients;
        size_t ndockerd, ncontainerd, nclients;
};

static void push_pid(pid_t **v, size_t *n, pid_t pid)
{
        *v = bh_xreallocarray(*v, *n + 1, sizeof(pid_t));
        (*v)[(*n)++] = pid;
}

static void scan_processes(const struct audit_snapshot *s, struct proc_scan *ps)
{
        _cleanup_free_ char *proc = gather_path(s, "/proc");
        DIR *d = opendir(proc);
        if (!d)
                return;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (!isdigit((unsigned char)e->d_name[0]))
                        continue;
                pid_t pid = (pid_t)strtol(e->d_name, NULL, 10);
                if (pid == getpid())
                        continue;
                char path[64];
                snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
                _cleanup_free_ char *comm = NULL;
                if (gather_read(s, path, 256, &comm, NULL) < 0)
                        continue;
                bh_strstrip(comm);
                if (strcmp(comm, "dockerd") == 0)
                        push_pid(&ps->dockerd, &ps->ndockerd, pid);
                else if (strcmp(comm, "containerd") == 0)
                        push_pid(&ps->containerd, &ps->ncontainerd, pid);
                else if (strcmp(comm, "docker") == 0)
                        push_pid(&ps->clients, &ps->nclients, pid);
        }
        closedir(d);
}

static char **read_cmdline(const struct audit_snapshot *s, pid_t pid)
{
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
        _cleanup_free_ char *data = NULL;
        _cleanup_free_ char *full = gather_path(s, path);
        size_t len = 0;
        if (bh_read_file(full, SMALL_FILE_MAX, &data, &len, NULL) < 0 || len == 0)
                return NULL;
        return audit_cmdline_split(data, len);
}

static char *read_exe(const struct audit_snapshot *s, pid_t pid)
{
        char path[64], buf[PATH_MAX];
        snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
        _cleanup_free_ char *full = gather_path(s, path);
        ssize_t n = readlink(full, buf, sizeof buf - 1);
        if (n <= 0)
                return NULL;
        buf[n] = '\0';
        char *del = strstr(buf, " (deleted)");
        if (del)
                *del = '\0';
        return bh_xstrdup(buf);
}

/* "Name:\tvalue" from /proc/PID/status */
static char *status_field(const char *status, const char *name)
{
        size_t n = strlen(name);
        for (const char *p = status; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
                if (strncmp(p, name, n) == 0 && p[n] == ':') {
                        const char *v = p + n + 1;
                        while (*v == ' ' || *v == '\t')
                                v++;
                        return bh_xstrndup(v, strcspn(v, "\n"));
                }
        }
        return NULL;
}

long gather_proc_uid(const struct audit_snapshot *s, pid_t pid)
{
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
        _cleanup_free_ char *st = NULL;
        if (gather_read(s, path, SMALL_FILE_MAX, &st, NULL) < 0)
                return -1;
        _cleanup_free_ char *uid = status_field(st, "Uid");
        if (!uid)
                return -1;
        /* real, effective, saved, fs: the effective one */
        char *sp = strpbrk(uid, " \t");
        return sp ? strtol(sp, NULL, 10) : strtol(uid, NULL, 10);
}

void gather_process_facts(const struct audit_snapshot *s, pid_t pid, struct audit_process_facts *f)
{
        char path[96];
        struct bh_error err = {0};
        f->seccomp = f->no_new_privs = -1;
        f->uid = -1;
        snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
        _cleanup_free_ char *st = NULL;
        if (gather_read(s, path, SMALL_FILE_MAX, &st, &err) < 0) {
                fail_set(&f->fail, &err);
                return;
        }
        _cleanup_free_ char *sec = status_field(st, "Seccomp");
        _cleanup_free_ char *nnp = status_field(st, "NoNewPrivs");
        _cleanup_free_ char *cap = status_field(st, "CapEff");
        _cleanup_free_ char *uid = status_field(st, "Uid");
        if (sec)
                f->seccomp = (int)strtol(sec, NULL, 10);
        if (nnp)
                f->no_new_privs = (int)strtol(nnp, NULL, 10);
        if (cap)
                f->cap_eff = strtoull(cap, NULL, 16);
        if (uid) {
                char *sp = strpbrk(uid, " \t");
                f->uid = sp ? strtol(sp, NULL, 10) : strtol(uid, NULL, 10);
        }
        snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
        _cleanup_free_ char *map = NULL;
        f->uid_map_identity = true;
        if (gather_read(s, path, SMALL_FILE_MAX, &map, NULL) == 0) {
                unsigned long inside, outside, count;
                if (sscanf(map, "%lu %lu %lu", &inside, &outside, &count) == 3)
                        f->uid_map_identity = inside == 0 && outside == 0 && count == 4294967295UL;
        }
        snprintf(path, sizeof path, "/proc/%d/attr/current", (int)pid);
        _cleanup_free_ char *label = NULL;
        if (gather_read(s, path, 4096, &label, NULL) == 0) {
                bh_strstrip(label);
                if (label[0])
                        f->lsm_label = bh_xstrdup(label);
        }
        /* Every process of the container: the members of its cgroup. */
        snprintf(path, sizeof path, "/proc/%d/cgroup", (int)pid);
        _cleanup_free_ char *cg = NULL;
        char **pids = NULL;
        if (gather_read(s, path, SMALL_FILE_MAX, &cg, NULL) == 0) {
                char *save = NULL;
                for (char *line = strtok_r(cg, "\n", &save); line && !pids;
                     line = strtok_r(NULL, "\n", &save)) {
                        char *c1 = strchr(line, ':');
                        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
                        if (!c2)
                                continue;
                        *c2 = '\0';
                        const char *ctrl = c1 + 1, *cpath = c2 + 1;
                        if (strcmp(cpath, "/") == 0)
                                continue; /* the root cgroup holds the host's processes too */

                        _cleanup_free_ char *procs = NULL;
                        if (!*ctrl)
                                procs = bh_xasprintf("/sys/fs/cgroup%s/cgroup.procs", cpath);
                        else if (strstr(ctrl, "pids") || strstr(ctrl, "memory") ||
                                 strstr(ctrl, "cpu"))
                                procs = bh_xasprintf(
                                    "/sys/fs/cgroup/%s%s/cgroup.procs",
                                    strcmp(ctrl, "cpu,cpuacct") == 0 ? "cpu,cpuacct" : ctrl, cpath);
                        if (!procs)
                                continue;
                        _cleanup_free_ char *list = NULL;
                        if (gather_read(s, procs, 16u << 20, &list, NULL) < 0 || !list[0])
                                continue;
                        char *sv = NULL;
                        for (char *t = strtok_r(list, "\n", &sv); t; t = strtok_r(NULL, "\n", &sv))
                                bh_strv_push(&pids, t);
                }
        }
        if (!pids) {
                char one[24];
                snprintf(one, sizeof one, "%d", (int)pid);
                bh_strv_push(&pids, one);
        }
        for (size_t i = 0; i < 100000 && pids[i]; i++) {
                pid_t p = (pid_t)strtol(pids[i], NULL, 10);
                snprintf(path, sizeof path, "/proc/%d/comm", (int)p);
                _cleanup_free_ char *comm = NULL;
                if (gather_read(s, path, 256, &comm, NULL) < 0)
                        continue; /* exited meanwhile */
                bh_strstrip(comm);
                bh_strv_push(&f->comms, comm);
                _cleanup_free_ char *exe = read_exe(s, p);
                bh_strv_push(&f->exes, exe ? exe : "");
        }
        bh_strv_free(pids);
}

/* ---- programs, units, sockets ---- */

static const char *const bin_dirs[] = {"/usr/bin",        "/usr/sbin", "/usr/local/bin",
                                       "/usr/local/sbin", "/bin",      "/sbin"};

char *gather_find_program(const struct audit_snapshot *s, const char *name)
{
        for (size_t i = 0; i < BH_ARRAY_SIZE(bin_dirs); i++) {
                _cleanup_free_ char *p = bh_path_join(bin_dirs[i], name);
                if (exists(s, p, S_IFREG))
                        return bh_steal_ptr(&p);
        }
        return NULL;
}

static const char *const unit_dirs[] = {"/etc/systemd/system", "/run/systemd/system",
                                        "/usr/local/lib/systemd/system", "/lib/systemd/system",
                                        "/usr/lib/systemd/system"};

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The unit file that systemd would use, then its drop-ins in name order. */
static char **find_unit(const struct audit_snapshot *s, const char *unit)
{
        char **files = NULL;
        for (size_t i = 0; i < BH_ARRAY_SIZE(unit_dirs) && !files; i++) {
                _cleanup_free_ char *p = bh_path_join(unit_dirs[i], unit);
                if (exists(s, p, 0))
                        bh_strv_push(&files, p);
        }
        if (!files)
                return NULL;
        char **dropins = NULL;
        for (size_t i = 0; i < BH_ARRAY_SIZE(unit_dirs); i++) {
                _cleanup_free_ char *dir = bh_xasprintf("%s/%s.d", unit_dirs[i], unit);
                _cleanup_free_ char *full = gather_path(s, dir);
                DIR *d = opendir(full);
                if (!d)
                        continue;
                struct dirent *e;
                while ((e = readdir(d)))
                        if (bh_endswith(e->d_name, ".conf"))
                                bh_strv_push_take(&dropins, bh_path_join(dir, e->d_name));
                closedir(d);
        }
        size_t n = bh_strv_len(dropins);
        if (n)
                qsort(dropins, n, sizeof(char *), cmp_str);
        for (size_t i = 0; i < n; i++)
                bh_strv_push_take(&files, dropins[i]);
        free(dropins);
        return files;
}

static char **unit_argv(const struct audit_snapshot *s, char *const *files, struct bh_error *err)
{
        size_t n = bh_strv_len(files);
        char **texts = bh_xcalloc(n + 1, sizeof(char *));
        for (size_t i = 0; i < n; i++)
                if (gather_read(s, files[i], SMALL_FILE_MAX, &texts[i], NULL) < 0)
                        texts[i] = bh_xstrdup("");
        _cleanup_strv_ char **envfiles = audit_unit_environment_files(texts, n);
        struct bh_buf env = BH_BUF_INIT;
        for (size_t i = 0; envfiles && envfiles[i]; i++) {
                _cleanup_free_ char *t = NULL;
                if (gather_read(s, envfiles[i], SMALL_FILE_MAX, &t, NULL) == 0) {
                        bh_buf_puts(&env, t);
                        bh_buf_putc(&env, '\n');
                }
        }
        char **argv = audit_unit_execstart(texts, n, env.data, err);
        bh_buf_free(&env);
        bh_strv_free(texts);
        return argv;
}

/* Adds path when it is a socket. When it cannot be told (a directory on the
 * way is not searchable), the reason goes to *unknown, so that "no socket"
 * is never claimed on a guess. */
static void add_socket(const struct audit_snapshot *s, char ***list, const char *path,
                       struct audit_fail *unknown)
{
        if (!path || bh_strv_contains(*list, path))
                return;
        _cleanup_free_ char *probe = gather_path(s, path);
        struct stat st;
        if (stat(probe, &st) < 0) {
                if (errno != ENOENT && errno != ENOTDIR && unknown && !unknown->code) {
                        unknown->code = errno;
                        snprintf(unknown->msg, sizeof unknown->msg, "cannot look for %s: %s", path,
                                 strerror(errno));
                }
                return;
        }
        if (!S_ISSOCK(st.st_mode))
                return;
        /* /var/run/x and /run/x are one socket */
        _cleanup_free_ char *full = gather_path(s, path);
        _cleanup_free_ char *real = realpath(full, NULL);
        for (size_t i = 0; real && *list && (*list)[i]; i++) {
                _cleanup_free_ char *other_full = gather_path(s, (*list)[i]);
                _cleanup_free_ char *other = realpath(other_full, NULL);
                if (other && strcmp(other, real) == 0)
                        return;
        }
        bh_strv_push(list, path);
}

static void find_sockets(struct audit_snapshot *s, struct proc_scan *ps)
{
        json_t *hosts = s->config ? json_object_get(s->config, "hosts") : NULL;
        size_t i;
        json_t *h;
        bool any_unix = false;
        json_array_foreach(hosts, i, h)
        {
                const char *v = json_string_value(h);
                if (v && bh_startswith(v, "unix://")) {
                        add_socket(s, &s->docker_sockets, v + 7, NULL);
                        any_unix = true;
                } else if (v && bh_startswith(v, "fd://")) {
                        any_unix = true; /* socket activation: docker.socket's ListenStream */
                        add_socket(s, &s->docker_sockets, "/run/docker.sock", NULL);
                        add_socket(s, &s->docker_sockets, "/var/run/docker.sock", NULL);
                }
        }
        if (!any_unix) {
                if (s->dockerd_uid > 0) {
                        _cleanup_free_ char *p =
                            bh_xasprintf("/run/user/%ld/docker.sock", s->dockerd_uid);
                        add_socket(s, &s->docker_sockets, p, NULL);
                }
                add_socket(s, &s->docker_sockets, "/var/run/docker.sock", NULL);
        }
        if (s->endpoint && bh_startswith(s->endpoint, "unix://") && !s->podman)
                add_socket(s, &s->docker_sockets, s->endpoint + 7, NULL);

        add_socket(s, &s->containerd_sockets, audit_cfg_str_raw(s->config, "containerd"),
                   &s->containerd_sockets_fail);
        for (size_t k = 0; k < ps->ncontainerd; k++) {
                _cleanup_strv_ char **argv = read_cmdline(s, ps->containerd[k]);
                for (size_t a = 0; argv && argv[a]; a++) {
                        if ((strcmp(argv[a], "--address") == 0 || strcmp(argv[a], "-a") == 0) &&
                            argv[a + 1])
                                add_socket(s, &s->containerd_sockets, argv[a + 1],
                                           &s->containerd_sockets_fail);
                        else if (bh_startswith(argv[a], "--address="))
                                add_socket(s, &s->containerd_sockets, argv[a] + 10,
                                           &s->containerd_sockets_fail);
                }
        }
        add_socket(s, &s->containerd_sockets, "/run/containerd/containerd.sock",
                   &s->containerd_sockets_fail);
        add_socket(s, &s->containerd_sockets, "/var/run/docker/containerd/containerd.sock",
                   &s->containerd_sockets_fail);
        add_socket(s, &s->containerd_sockets, "/run/docker/containerd/containerd.sock",
                   &s->containerd_sockets_fail);
        add_socket(s, &s->containerd_sockets, "/var/run/docker/containerd/docker-containerd.sock",
                   &s->containerd_sockets_fail);
}

/* ---- the daemon's configuration ---- */

static void gather_daemon(struct audit_snapshot *s, struct proc_scan *ps, pid_t peer)
{
        struct bh_error err = {0};
        pid_t pid = 0;
        for (size_t i = 0; i < ps->ndockerd; i++)
                if (ps->dockerd[i] == peer)
                        pid = peer;
        if (!pid && ps->ndockerd)
                pid = ps->dockerd[0];
        s->dockerd_pid = pid;
        s->dockerd_uid = -1;
        s->docker_service_files = find_unit(s, "docker.service");
        s->docker_socket_files = find_unit(s, "docker.socket");
        if (pid) {
                s->dockerd_argv = read_cmdline(s, pid);
                s->argv_source = bh_xasprintf("/proc/%d/cmdline", (int)pid);
                s->dockerd_path = read_exe(s, pid);
                s->dockerd_uid = gather_proc_uid(s, pid);
        }
        if (!s->dockerd_argv && s->docker_service_files) {
                s->dockerd_argv = unit_argv(s, s->docker_service_files, &err);
                if (s->dockerd_argv)
                        s->argv_source = bh_xasprintf("%s ExecStart", s->docker_service_files[0]);
        }
        if (!s->dockerd_path)
                s->dockerd_path =
                    s->dockerd_argv && s->dockerd_argv[0] && s->dockerd_argv[0][0] == '/'
                        ? bh_xstrdup(s->dockerd_argv[0])
                        : gather_find_program(s, "dockerd");

        _cleanup_json_ json_t *flags = NULL;
        if (s->dockerd_argv) {
                flags = audit_dockerd_flags(s->dockerd_argv, &err);
                if (!flags) {
                        bh_error_prefix(&err, "%s", s->argv_source);
                        fail_set(&s->config_fail, &err);
                        return;
                }
        }
        const char *cfgfile = s->dockerd_argv ? audit_dockerd_config_file(s->dockerd_argv) : NULL;
        if (cfgfile)
                s->daemon_json_path = bh_xstrdup(cfgfile);
        else if (s->dockerd_uid > 0) /* rootless: the user's config */
                s->daemon_json_path = bh_xstrdup("~/.config/docker/daemon.json");
        else
                s->daemon_json_path = bh_xstrdup("/etc/docker/daemon.json");
        if (s->dockerd_uid > 0 && !cfgfile) {
                char path[64];
                snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
                /* HOME of the rootless daemon */
                _cleanup_free_ char *full = gather_path(s, path);
                _cleanup_free_ char *env = NULL;
                size_t len = 0;
                if (bh_read_file(full, SMALL_FILE_MAX, &env, &len, NULL) == 0) {
                        for (size_t off = 0; off < len; off += strlen(env + off) + 1)
                                if (bh_startswith(env + off, "HOME=")) {
                                        free(s->daemon_json_path);
                                        s->daemon_json_path = bh_xasprintf(
                                            "%s/.config/docker/daemon.json", env + off + 5);
                                }
                }
        }
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        _cleanup_free_ char *full = gather_path(s, s->daemon_json_path);
        int r = bh_read_file(full, DAEMON_JSON_MAX, &data, &len, &err);
        if (r == 0) {
                s->daemon_json = bh_json_parse(data, len, s->daemon_json_path, &err);
                if (!s->daemon_json || !json_is_object(s->daemon_json)) {
                        if (s->daemon_json)
                                bh_error_set(&err, EINVAL, "%s: the top level is not an object",
                                             s->daemon_json_path);
                        json_decref(s->daemon_json);
                        s->daemon_json = NULL;
                        fail_set(&s->config_fail, &err);
                        return;
                }
        } else if (r != -ENOENT) {
                if (strcmp(full, s->daemon_json_path) != 0 || r != -EFBIG)
                        bh_error_set(&err, -r, "%s: %s", s->daemon_json_path,
                                     r == -EFBIG ? "larger than 4194304 bytes" : strerror(-r));

                fail_set(&s->config_fail, &err);
                return;
        }
        if (!s->dockerd_argv && !s->daemon_json) {
                bh_error_set(&err, ENOENT,
                             "dockerd is not running and has no systemd unit, so its flags are "
                             "unknown");
                fail_set(&s->config_fail, &err);
                return;
        }
        s->config = audit_config_merge(s->daemon_json, flags);
}

/* ---- audit rules ---- */

static void add_real_paths(const struct audit_snapshot *s, char ***paths)
{
        size_t n = bh_strv_len(*paths);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *full = gather_path(s, (*paths)[i]);
                _cleanup_free_ char *real = realpath(full, NULL);
                if (!real)
                        continue;
                const char *host = real;
                size_t rl = s->root ? strlen(s->root) : 0;
                if (rl > 1 && strncmp(real, s->root, rl) == 0)
                        host = real + rl;
                if (*host && !bh_strv_contains(*paths, host))
                        bh_strv_push(paths, host);
        }
}

/* Each file is parsed on its own, so a "-D" at the top of one file (the usual
 * first line) does not erase what the others say; the union is kept. */
static void add_rules_file(struct audit_snapshot *s, const char *path, const char *text)
{
        _cleanup_strv_ char **paths = NULL;
        audit_rules_parse_text(text, path, &paths);
        for (size_t i = 0; paths && paths[i]; i++)
                if (!bh_strv_contains(s->file_rules.paths, paths[i]))
                        bh_strv_push(&s->file_rules.paths, paths[i]);
        s->file_rules.available = true;
}

static void gather_audit_rules(struct audit_snapshot *s)
{

        struct bh_error err = {0};
        if (!s->root || strcmp(s->root, "/") == 0) {
                if (audit_rules_read_kernel(&s->kernel_rules.paths, &err) < 0)
                        fail_set(&s->kernel_rules.fail, &err);
                else
                        s->kernel_rules.available = true;
        } else {
                bh_error_set(&err, EPROTONOSUPPORT, "the kernel has no audit support");
                fail_set(&s->kernel_rules.fail, &err);
        }
        _cleanup_free_ char *dir = gather_path(s, "/etc/audit/rules.d");
        DIR *d = opendir(dir);
        char **names = NULL;
        if (d) {
                struct dirent *e;
                while ((e = readdir(d)))
                        if (bh_endswith(e->d_name, ".rules"))
                                bh_strv_push(&names, e->d_name);
                closedir(d);
        }
        size_t n = bh_strv_len(names);
        if (n)
                qsort(names, n, sizeof(char *), cmp_str);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *p = bh_path_join("/etc/audit/rules.d", names[i]);
                _cleanup_free_ char *text = NULL;
                if (gather_read(s, p, SMALL_FILE_MAX, &text, NULL) == 0)
                        add_rules_file(s, p, text);
        }
        bh_strv_free(names);
        _cleanup_free_ char *text = NULL;
        /* augenrules compiles rules.d into audit.rules; some hosts edit it directly */
        if (gather_read(s, "/etc/audit/audit.rules", SMALL_FILE_MAX, &text, NULL) == 0)
                add_rules_file(s, "/etc/audit/audit.rules", text);
        add_real_paths(s, &s->kernel_rules.paths);
        add_real_paths(s, &s->file_rules.paths);
}

/* ---- stats ---- */

static void stat_path(struct audit_snapshot *s, const char *path, const struct idmap *users,
                      const struct idmap *groups)
{
        if (!path || audit_snapshot_file(s, path))
                return;
        struct audit_file *f = audit_snapshot_add_file(s, path);
        _cleanup_free_ char *full = gather_path(s, path);
        struct stat st;
        if (stat(full, &st) < 0) {
                f->err = errno;
                snprintf(f->errmsg, sizeof f->errmsg, "%s: %s", path, strerror(errno));
                return;
        }
        f->mode = st.st_mode;
        f->uid = st.st_uid;
        f->gid = st.st_gid;
        const char *u = idmap_name(users, st.st_uid), *g = idmap_name(groups, st.st_gid);
        f->user = u ? bh_xstrdup(u) : NULL;
        f->group = g ? bh_xstrdup(g) : NULL;
        _cleanup_free_ char *real = realpath(full, NULL);
        if (real) {
                size_t rl = s->root ? strlen(s->root) : 0;
                const char *host = rl > 1 && strncmp(real, s->root, rl) == 0 ? real + rl : real;
                if (strcmp(host, path) != 0)
                        f->real = bh_xstrdup(host);
        }
}

static void walk_certs(struct audit_snapshot *s, const char *dir, int depth)
{
        if (depth > 4 || bh_strv_len(s->registry_cert_files) > 1000)
                return;
        _cleanup_free_ char *full = gather_path(s, dir);
        DIR *d = opendir(full);
        if (!d)
                return;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                        continue;
                _cleanup_free_ char *p = bh_path_join(dir, e->d_name);
                if (e->d_type == DT_DIR)
                        walk_certs(s, p, depth + 1);
                else if (e->d_type == DT_REG || e->d_type == DT_LNK)
                        bh_strv_push(&s->registry_cert_files, p);
        }
        closedir(d);
        size_t n = bh_strv_len(s->registry_cert_files);
        if (n && depth == 0)
                qsort(s->registry_cert_files, n, sizeof(char *), cmp_str);
}

static void gather_group_members(struct audit_snapshot *s, const struct idmap *groups)
{
        const struct audit_file *sock =
            s->docker_sockets ? audit_snapshot_file(s, s->docker_sockets[0]) : NULL;
        unsigned long gid = 0;
        const char *gname = NULL;
        if (sock && !sock->err) {
                gid = sock->gid;
                gname = idmap_name(groups, gid);
        } else {
                const char *want = audit_cfg_str_raw(s->config, "group");
                gname = want ? want : "docker";
                bool found = false;
                for (size_t i = 0; i < groups->n; i++)
                        if (strcmp(groups->names[i], gname) == 0) {
                                gid = groups->ids[i];
                                found = true;
                        }
                if (!found) {
                        s->socket_group = bh_xstrdup(gname);
                        return;
                }
        }
        s->socket_group = gname ? bh_xstrdup(gname) : bh_xasprintf("%lu", gid);
        if (gid == 0)
                return; /* root's group: only root */
        _cleanup_free_ char *group = NULL;
        struct bh_error err = {0};
        if (gather_read(s, "/etc/group", 16u << 20, &group, &err) < 0) {
                fail_set(&s->users_fail, &err);
                return;
        }
        char *save = NULL;
        for (char *line = strtok_r(group, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *f[4] = {0};
                char *p = line;
                for (int i = 0; i < 4 && p; i++) {
                        f[i] = p;
                        p = strchr(p, ':');
                        if (p)
                                *p++ = '\0';
                }
                if (!f[3] || strtoul(f[2], NULL, 10) != gid)
                        continue;
                char *sv = NULL;
                for (char *m = strtok_r(f[3], ",", &sv); m; m = strtok_r(NULL, ",", &sv))
                        if (*bh_strstrip(m) && !bh_strv_contains(s->socket_group_members, m))
                                bh_strv_push(&s->socket_group_members, m);
        }
        _cleanup_free_ char *passwd = NULL;
        if (gather_read(s, "/etc/passwd", 16u << 20, &passwd, NULL) == 0) {
                for (char *line = strtok_r(passwd, "\n", &save); line;
                     line = strtok_r(NULL, "\n", &save)) {
                        char *f[4] = {0};
                        char *p = line;
                        for (int i = 0; i < 4 && p; i++) {
                                f[i] = p;
                                p = strchr(p, ':');
                                if (p)
                                        *p++ = '\0';
                        }
                        if (f[3] && strtoul(f[3], NULL, 10) == gid &&
                            !bh_strv_contains(s->socket_group_members, f[0]))
                                bh_strv_push(&s->socket_group_members, f[0]);
                }
        }
}

/* ---- rootless readiness, content trust, listeners ---- */

static bool privileged_helper(const struct audit_snapshot *s, const char *path)
{
        _cleanup_free_ char *full = gather_path(s, path);
        struct stat st;
        if (stat(full, &st) < 0)
                return false;
        if ((st.st_mode & S_ISUID) && st.st_uid == 0)
                return true;
        return getxattr(full, "security.capability", NULL, 0) > 0;
}

static void load_subids(const struct audit_snapshot *s, const char *file,
                        struct audit_user_entry **out, size_t *n)
{
        _cleanup_free_ char *data = NULL;
        if (gather_read(s, file, SMALL_FILE_MAX, &data, NULL) < 0)
                return;
        char *save = NULL;
        for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char name[256];
                unsigned long first, count;
                if (line[0] == '#' || sscanf(line, "%255[^:]:%lu:%lu", name, &first, &count) != 3)
                        continue;
                *out = bh_xreallocarray(*out, *n + 1, sizeof **out);
                (*out)[*n] = (struct audit_user_entry){bh_xstrdup(name), first, count};
                (*n)++;
        }
}

static long read_sysctl(const struct audit_snapshot *s, const char *path)
{
        _cleanup_free_ char *v = NULL;
        if (gather_read(s, path, 256, &v, NULL) < 0)
                return -1;
        return strtol(v, NULL, 10);
}

static void gather_rootless(struct audit_snapshot *s)
{
        s->newuidmap = gather_find_program(s, "newuidmap");
        s->newgidmap = gather_find_program(s, "newgidmap");
        s->newuidmap_privileged = s->newuidmap && privileged_helper(s, s->newuidmap);
        s->newgidmap_privileged = s->newgidmap && privileged_helper(s, s->newgidmap);
        load_subids(s, "/etc/subuid", &s->subuids, &s->nsubuids);
        load_subids(s, "/etc/subgid", &s->subgids, &s->nsubgids);
        s->sysctl_unprivileged_userns_clone =
            read_sysctl(s, "/proc/sys/kernel/unprivileged_userns_clone");
        s->sysctl_max_user_namespaces = read_sysctl(s, "/proc/sys/user/max_user_namespaces");
        s->sysctl_apparmor_restrict_userns =
            read_sysctl(s, "/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
}

static void note_trust_lines(struct audit_snapshot *s, const char *file, const char *text)
{
        _cleanup_free_ char *copy = bh_xstrdup(text);
        char *save = NULL;
        for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *p = strstr(line, "DOCKER_CONTENT_TRUST=");
                if (!p || (strchr(line, '#') && strchr(line, '#') < p))
                        continue;
                p += strlen("DOCKER_CONTENT_TRUST=");
                char v[16] = {0};
                size_t n = strspn(p, "\"'");
                snprintf(v, sizeof v, "%.*s", (int)strcspn(p + n, "\"' \t;"), p + n);
                bh_strv_push_take(&s->content_trust_sources, bh_xasprintf("%s: %s", file, v));
        }
}

static void gather_content_trust(struct audit_snapshot *s, const struct proc_scan *ps)
{
        const char *own = getenv("DOCKER_CONTENT_TRUST");
        if (own)
                bh_strv_push_take(&s->content_trust_sources,
                                  bh_xasprintf("environment of this audit: %s", own));
        _cleanup_free_ char *env = NULL;
        if (gather_read(s, "/etc/environment", SMALL_FILE_MAX, &env, NULL) == 0)
                note_trust_lines(s, "/etc/environment", env);
        _cleanup_free_ char *dir = gather_path(s, "/etc/profile.d");
        DIR *d = opendir(dir);
        if (d) {
                struct dirent *e;
                while ((e = readdir(d))) {
                        if (!bh_endswith(e->d_name, ".sh"))
                                continue;
                        _cleanup_free_ char *p = bh_path_join("/etc/profile.d", e->d_name);
                        _cleanup_free_ char *t = NULL;
                        if (gather_read(s, p, SMALL_FILE_MAX, &t, NULL) == 0)
                                note_trust_lines(s, p, t);
                }
                closedir(d);
        }
        for (size_t i = 0; i < ps->nclients && i < 64; i++) {
                char path[64];
                snprintf(path, sizeof path, "/proc/%d/environ", (int)ps->clients[i]);
                _cleanup_free_ char *full = gather_path(s, path);
                _cleanup_free_ char *data = NULL;
                size_t len = 0;
                if (bh_read_file(full, SMALL_FILE_MAX, &data, &len, NULL) < 0)
                        continue;
                const char *value = NULL;
                for (size_t off = 0; off < len; off += strlen(data + off) + 1)
                        if (bh_startswith(data + off, "DOCKER_CONTENT_TRUST="))
                                value = data + off + strlen("DOCKER_CONTENT_TRUST=");
                bh_strv_push_take(&s->docker_client_envs,
                                  value ? bh_xasprintf("pid %d: DOCKER_CONTENT_TRUST=%s",
                                                       (int)ps->clients[i], value)
                                        : bh_xasprintf("pid %d: unset", (int)ps->clients[i]));
        }
}

static void gather_listeners(struct audit_snapshot *s)
{
        static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
        for (size_t f = 0; f < 2; f++) {
                _cleanup_free_ char *data = NULL;
                if (gather_read(s, files[f], 64u << 20, &data, NULL) < 0)
                        continue;
                char *save = NULL;
                for (char *line = strtok_r(data, "\n", &save); line;
                     line = strtok_r(NULL, "\n", &save)) {
                        char local[64], remote[64];
                        unsigned state;
                        if (sscanf(line, " %*d: %63s %63s %x", local, remote, &state) != 3 ||
                            state != 0x0A)
                                continue;
                        char *colon = strchr(local, ':');
                        if (!colon)
                                continue;
                        unsigned port = (unsigned)strtoul(colon + 1, NULL, 16);
                        if (port != 2377)
                                continue;
                        *colon = '\0';
                        bool any = strspn(local, "0") == strlen(local);
                        if (f == 0)
                                bh_strv_push_take(&s->tcp_listeners,
                                                  any ? bh_xasprintf("0.0.0.0:%u", port)
                                                      : bh_xasprintf("%s:%u", local, port));
                        else
                                bh_strv_push_take(&s->tcp_listeners,
                                                  any ? bh_xasprintf("[::]:%u", port)
                                                      : bh_xasprintf("[%s]:%u", local, port));
                }
        }
}

static void gather_mounts(struct audit_snapshot *s)
{
        _cleanup_free_ char *data = NULL;
        if (gather_read(s, "/proc/self/mountinfo", 64u << 20, &data, NULL) < 0)
                return;
        char *save = NULL;
        for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char mp[4096], dev[64];
                if (sscanf(line, "%*u %*u %63s %*s %4095s", dev, mp) != 2)
                        continue;
                const char *sep = strstr(line, " - ");
                char fstype[64] = "", source[1024] = "";
                if (sep)
                        sscanf(sep + 3, "%63s %1023s", fstype, source);
                /* mountinfo escapes spaces as \040 */
                s->mounts = bh_xreallocarray(s->mounts, s->nmounts + 1, sizeof *s->mounts);
                s->mounts[s->nmounts++] = (struct audit_mount){
                    bh_xstrdup(dev), bh_xstrdup(mp), bh_xstrdup(fstype), bh_xstrdup(source)};
        }
}

static bool file_says_yes(const struct audit_snapshot *s, const char *path)
{
        _cleanup_free_ char *v = NULL;
        return gather_read(s, path, 64, &v, NULL) == 0 && (v[0] == 'Y' || v[0] == '1');
}

void gather_host(struct audit_snapshot *s, pid_t peer)
{
        struct proc_scan ps = {0};
        scan_processes(s, &ps);
        gather_daemon(s, &ps, peer);
        s->containerd_path = ps.ncontainerd ? read_exe(s, ps.containerd[0]) : NULL;
        if (!s->containerd_path)
                s->containerd_path = gather_find_program(s, "containerd");
        s->shim_path = gather_find_program(s, "containerd-shim");
        s->shim_v1_path = gather_find_program(s, "containerd-shim-runc-v1");
        s->shim_v2_path = gather_find_program(s, "containerd-shim-runc-v2");
        s->runc_path = gather_find_program(s, "runc");
        find_sockets(s, &ps);
        gather_audit_rules(s);
        gather_mounts(s);
        s->apparmor = file_says_yes(s, "/sys/module/apparmor/parameters/enabled");
        s->selinux = exists(s, "/sys/fs/selinux/enforce", 0);
        gather_rootless(s);
        gather_content_trust(s, &ps);
        gather_listeners(s);
        free(ps.dockerd);
        free(ps.containerd);
        free(ps.clients);
}

void gather_stats(struct audit_snapshot *s)
{
        struct idmap users = {0}, groups = {0};
        idmap_load(s, "/etc/passwd", &users);
        idmap_load(s, "/etc/group", &groups);
        if (s->dockerd_uid >= 0) {
                const char *u = idmap_name(&users, (unsigned long)s->dockerd_uid);
                s->dockerd_user = u ? bh_xstrdup(u) : NULL;
        }
        walk_certs(s, "/etc/docker/certs.d", 0);
        const char *fixed[] = {"/etc/docker", "/etc/default/docker", "/etc/sysconfig/docker",
                               "/etc/containerd/config.toml", "/run/containerd"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(fixed); i++)
                stat_path(s, fixed[i], &users, &groups);
        const char *progs[] = {s->dockerd_path, s->containerd_path, s->shim_path,
                               s->shim_v1_path, s->shim_v2_path,    s->runc_path,
                               s->docker_root,  s->daemon_json_path};
        for (size_t i = 0; i < BH_ARRAY_SIZE(progs); i++)
                stat_path(s, progs[i], &users, &groups);
        char **const lists[] = {s->docker_service_files, s->docker_socket_files, s->docker_sockets,
                                s->containerd_sockets, s->registry_cert_files};
        for (size_t l = 0; l < BH_ARRAY_SIZE(lists); l++)
                for (size_t i = 0; lists[l] && lists[l][i]; i++)
                        stat_path(s, lists[l][i], &users, &groups);
        const char *tls[] = {"tlscacert", "tlscert", "tlskey"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(tls); i++)
                stat_path(s, audit_cfg_str_raw(s->config, tls[i]), &users, &groups);
        gather_group_members(s, &groups);
        idmap_free(&users);
        idmap_free(&groups);
}
