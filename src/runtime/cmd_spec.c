/* spec [--rootless] [--bundle DIR]: a config.json to start from: busybox's
 * sh, the usual namespaces and mounts, Docker's masked and read-only paths. */
#include "runtime/commands.h"
#include "base/file.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static json_t *mount(const char *dest, const char *type, const char *src, const char *opts)
{
        json_t *m = json_pack("{s:s, s:s, s:s}", "destination", dest, "type", type, "source", src);
        if (opts) {
                json_t *o = json_array();
                _cleanup_free_ char *copy = bh_xstrdup(opts);
                char *save = NULL;
                for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save))
                        json_array_append_new(o, json_string(w));
                json_object_set_new(m, "options", o);
        }
        return m;
}

static json_t *default_spec(bool rootless)
{
        static const char *const caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
        json_t *capset = json_array();
        for (size_t i = 0; i < BH_ARRAY_SIZE(caps); i++)
                json_array_append_new(capset, json_string(caps[i]));
        json_t *process =
            json_pack("{s:b, s:{s:i, s:i}, s:[s], s:[s, s], s:s, s:{s:O, s:O, s:O, s:O}, s:[{s:s, "
                      "s:i, s:i}], "
                      "s:b}",
                      "terminal", 1, "user", "uid", 0, "gid", 0, "args", "sh", "env",
                      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                      "TERM=xterm", "cwd", "/", "capabilities", "bounding", capset, "effective",
                      capset, "permitted", capset, "ambient", capset, "rlimits", "type",
                      "RLIMIT_NOFILE", "hard", 1024, "soft", 1024, "noNewPrivileges", 1);
        json_decref(capset);
        json_t *mounts = json_array();
        json_array_append_new(mounts, mount("/proc", "proc", "proc", NULL));
        json_array_append_new(
            mounts, mount("/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k"));
        json_array_append_new(mounts,
                              mount("/dev/pts", "devpts", "devpts",
                                    rootless ? "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620"
                                             : "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,"
                                               "gid=5"));
        json_array_append_new(
            mounts, mount("/dev/shm", "tmpfs", "shm", "nosuid,noexec,nodev,mode=1777,size=65536k"));
        json_array_append_new(mounts,
                              mount("/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev"));
        if (rootless)
                json_array_append_new(
                    mounts, mount("/sys", "none", "/sys", "rbind,nosuid,noexec,nodev,ro"));
        else
                json_array_append_new(mounts,
                                      mount("/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro"));
        json_array_append_new(
            mounts, mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid,noexec,nodev,relatime,ro"));
        json_t *ns = json_pack("[{s:s}, {s:s}, {s:s}, {s:s}, {s:s}]", "type", "pid", "type",
                               "network", "type", "ipc", "type", "uts", "type", "mount");
        json_t *lx = json_pack(
            "{s:o, s:[s, s, s, s, s, s, s, s, s, s, s], s:[s, s, s, s, s]}", "namespaces", ns,
            "maskedPaths", "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/sys/firmware", "/proc/scsi", "/sys/devices/virtual/powercap", "readonlyPaths",
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
        if (rootless) {
                json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
                json_object_set_new(lx, "uidMappings",
                                    json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID",
                                              (json_int_t)getuid(), "size", 1));
                json_object_set_new(lx, "gidMappings",
                                    json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID",
                                              (json_int_t)getgid(), "size", 1));
        } else {
                json_object_set_new(
                    lx, "resources",
                    json_pack("{s:[{s:b, s:s}]}", "devices", "allow", 0, "access", "rwm"));
        }
        return json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}", "ociVersion", "1.2.0",
                         "process", process, "root", "path", "rootfs", "readonly", 1, "hostname",
                         "bulkhead", "mounts", mounts, "linux", lx);
}

int cmd_spec(const struct rt_global *g, int argc, char **argv)
{
        (void)g;
        static const struct option opts[] = {{"bundle", required_argument, NULL, 'b'},
                                             {"rootless", no_argument, NULL, 'r'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        const char *bundle = ".";
        bool rootless = false;
        int c;
        rt_getopt_reset();
        while ((c = getopt_long(argc, argv, "+b:h", opts, NULL)) != -1) {
                if (c == 'b') {
                        bundle = optarg;
                } else if (c == 'r') {
                        rootless = true;
                } else if (c == 'h') {
                        rt_command_usage("spec", stdout);
                        return 0;
                } else {
                        return rt_usage_error("spec", "unknown flag %s", argv[optind - 1]);
                }
        }
        if (optind != argc)
                return rt_usage_error("spec", "takes no arguments");
        _cleanup_free_ char *path = bh_path_join(bundle, "config.json");
        struct bh_error err = {0};
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0) {
                if (errno == EEXIST)
                        bh_error_set(&err, EEXIST, "%s exists; remove it first", path);
                else
                        bh_error_errno(&err, errno, "%s", path);
                return rt_fail(&err);
        }
        json_t *spec = default_spec(rootless);
        char *text = json_dumps(spec, JSON_INDENT(8));
        json_decref(spec);
        size_t len = strlen(text);
        bool ok = write(fd, text, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
        free(text);
        close(fd);
        if (!ok) {
                unlink(path);
                bh_error_errno(&err, errno, "%s: write failed", path);
                return rt_fail(&err);
        }
        return 0;
}
