/* src/runtime's library: config.json validation, ids, signals, mount
 * options, cgroup paths and resources, the policy, the v2 device filter
 * (loaded into the kernel and tried in a cgroup2 directory when this
 * machine has one), and /proc writes that refuse over-mounts. */
#include "runtime/caps.h"
#include "runtime/cgroup.h"
#include "runtime/linux.h"
#include "runtime/policy.h"
#include "runtime/runtime.h"
#include "runtime/spec.h"
#include "runtime/state.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/sched.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

static const char *base_spec =
    "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
    "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0}},"
    "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"}]}}";

/* base_spec with the member at dotted path replaced by the JSON value */
static json_t *spec_with(const char *path, const char *value)
{
        json_t *doc = json_loads(base_spec, 0, NULL);
        if (!path)
                return doc;
        json_t *v = json_loads(value, JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        json_t *obj = doc;
        _cleanup_free_ char *copy = bh_xstrdup(path);
        char *save = NULL, *next = NULL;
        for (char *k = strtok_r(copy, ".", &save); k; k = next) {
                next = strtok_r(NULL, ".", &save);
                if (!next) {
                        json_object_set_new(obj, k, v);
                        break;
                }
                json_t *child = json_object_get(obj, k);
                if (!child) {
                        child = json_object();
                        json_object_set_new(obj, k, child);
                }
                obj = child;
        }
        return doc;
}

static void expect_spec_error(const char *path, const char *value, const char *message)
{
        json_t *doc = spec_with(path, value);
        struct rt_spec spec;
        struct bh_error err = {0};
        int r = rt_spec_from_json(doc, NULL, &spec, &err);
        if (r == 0)
                fail_msg("%s = %s was accepted", path, value);
        if (!strstr(err.msg, message))
                fail_msg("\"%s\" does not contain \"%s\"", err.msg, message);
        rt_spec_free(&spec);
}

static void test_spec_valid(void **state)
{
        json_t *doc = spec_with("mounts", "[{\"destination\":\"/data\",\"source\":\"/srv\","
                                          "\"options\":[\"rbind\",\"ro\",\"rprivate\",\"nosuid\","
                                          "\"size=1m\",\"rnodev\"]},{\"destination\":\"tmp\","
                                          "\"type\":\"tmpfs\",\"source\":\"t\"}]");
        struct rt_spec spec;
        struct bh_error err = {0};
        assert_int_equal(rt_spec_from_json(doc, NULL, &spec, &err), 0);
        assert_string_equal(spec.process.args[0], "sh");
        assert_true(spec.ns_wanted[RT_NS_PID] && spec.ns_wanted[RT_NS_MNT]);
        assert_false(spec.ns_wanted[RT_NS_NET]);
        assert_int_equal(spec.n_mounts, 2);
        struct rt_mount *m = &spec.mounts[0];
        assert_true(m->bind && m->recursive);
        assert_true(m->flags & MS_RDONLY);
        assert_true(m->flags & MS_NOSUID);
        assert_true(m->rec_flags & MS_NODEV);
        assert_int_equal(m->propagation, RT_PROP_PRIVATE);
        assert_true(m->propagation_rec);
        assert_string_equal(m->data, "size=1m");
        assert_string_equal(spec.mounts[1].destination, "/tmp"); /* made absolute */
        rt_spec_free(&spec);
}

static void test_spec_errors(void **state)
{
        expect_spec_error("ociVersion", "\"2.0.0\"", "ociVersion \"2.0.0\" is not supported");
        expect_spec_error("process.args", "[]", "process.args: must name the program");
        expect_spec_error("process.args", "[1]", "process.args: element 0 must be a string");
        expect_spec_error("process.cwd", "\"relative\"", "process.cwd: must be an absolute path");
        expect_spec_error("process.user.uid", "-1", "process.user.uid: -1 is out of range");
        expect_spec_error("process.capabilities.effective", "[\"CAP_NOPE\"]",
                          "unknown capability \"CAP_NOPE\"");
        expect_spec_error("process.rlimits",
                          "[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":5}]",
                          "rlimits[0].soft: is larger than hard");
        expect_spec_error("process.oomScoreAdj", "2000",
                          "process.oomScoreAdj: 2000 is out of range");
        expect_spec_error("process.scheduler", "{\"policy\":\"SCHED_FAST\"}",
                          "process.scheduler.policy: unknown scheduling policy");
        expect_spec_error("process.ioPriority", "{\"class\":\"IOPRIO_CLASS_X\"}",
                          "process.ioPriority.class");
        expect_spec_error("linux.namespaces", "[{\"type\":\"pid\"},{\"type\":\"pid\"}]",
                          "linux.namespaces[1].type: the same namespace type is given twice");
        expect_spec_error("linux.namespaces", "[{\"type\":\"net\"}]", "unknown namespace \"net\"");
        expect_spec_error("linux.namespaces", "[{\"type\":\"mount\",\"path\":\"rel\"}]",
                          "linux.namespaces[0].path: must be an absolute path");
        expect_spec_error("hostname", "\"h\"", "hostname: needs a UTS namespace");
        expect_spec_error("linux.devices", "[{\"path\":\"/dev/x\",\"type\":\"z\"}]",
                          "linux.devices[0].type: must be c, b, u or p");
        expect_spec_error("linux.devices",
                          "[{\"path\":\"/dev/../etc/x\",\"type\":\"c\","
                          "\"major\":1,\"minor\":1}]",
                          "must be an absolute path without \"..\"");
        expect_spec_error("linux.sysctl", "{\"../../etc\":\"1\"}", "is not a sysctl name");
        expect_spec_error("linux.personality", "{\"domain\":\"WINDOWS\"}",
                          "linux.personality.domain: must be LINUX or LINUX32");
        expect_spec_error("linux.rootfsPropagation", "\"everywhere\"",
                          "linux.rootfsPropagation: must be");
        expect_spec_error("linux.intelRdt", "{\"closID\":\"x\"}", "Intel RDT is not supported");
        expect_spec_error("linux.timeOffsets", "{\"boottime\":{\"secs\":1}}",
                          "linux.timeOffsets: needs a new time namespace");
        expect_spec_error("mounts", "[{\"destination\":\"/x\"}]",
                          "mounts[0].type: is required unless the mount is a bind mount");
        expect_spec_error("mounts", "[{\"destination\":\"/x\",\"options\":[\"bind\"]}]",
                          "mounts[0].source: is required for a bind mount");
        expect_spec_error("hooks", "{\"prestart\":[{\"path\":\"rel\"}]}",
                          "hooks.prestart[0].path: must be an absolute path");
        expect_spec_error("hooks", "{\"poststop\":[{\"path\":\"/bin/x\",\"timeout\":0}]}",
                          "hooks.poststop[0].timeout: 0 is out of range");
        expect_spec_error("annotations", "{\"a\":1}", "annotations.a: must be a string");
        expect_spec_error("root", "\"rootfs\"", "root: is required and must be an object");
        expect_spec_error("process", "null", "process: is required");
}

static void test_ids_and_signals(void **state)
{
        assert_int_equal(rt_id_check("abc-DEF_1.2+3", NULL), 0);
        assert_int_equal(rt_id_check("a/b", NULL), -EINVAL);
        assert_int_equal(rt_id_check("..", NULL), -EINVAL);
        assert_int_equal(rt_id_check(".", NULL), -EINVAL);
        assert_int_equal(rt_id_check("", NULL), -EINVAL);
        assert_int_equal(rt_id_check("a b", NULL), -EINVAL);
        assert_int_equal(rt_signal_from_name("KILL"), SIGKILL);
        assert_int_equal(rt_signal_from_name("SIGTERM"), SIGTERM);
        assert_int_equal(rt_signal_from_name("sigusr1"), SIGUSR1);
        assert_int_equal(rt_signal_from_name("9"), 9);
        assert_int_equal(rt_signal_from_name("RTMIN+2"), SIGRTMIN + 2);
        assert_int_equal(rt_signal_from_name("0"), -1);
        assert_int_equal(rt_signal_from_name("NOPE"), -1);
        assert_int_equal(rt_cap_from_name("sys_admin"), 21);
        assert_int_equal(rt_cap_from_name("CAP_CHECKPOINT_RESTORE"), 40);
}

static void test_cgroup_paths(void **state)
{
        _cleanup_free_ char *a = rt_cgroup_path_for("system.slice:docker:abc", "abc", true, false);
        assert_string_equal(a, "/system.slice/docker-abc.scope");
        _cleanup_free_ char *b = rt_cgroup_path_for("a-b.slice:pre:n", "n", true, false);
        assert_string_equal(b, "/a.slice/a-b.slice/pre-n.scope");
        _cleanup_free_ char *c = rt_cgroup_path_for(NULL, "id1", false, false);
        assert_string_equal(c, "/bulkhead/id1");
        _cleanup_free_ char *d = rt_cgroup_path_for("/docker/x", "x", false, false);
        assert_string_equal(d, "/docker/x");
        struct rt_cgroup cg;
        struct bh_error err;
        assert_int_equal(rt_cgroup_create(&cg, "/a/../../b", NULL, false, &err), -EINVAL);
        assert_non_null(strstr(err.msg, "without \"..\""));
}

static void expect_resources_error(const char *json, const char *message)
{
        json_t *r = json_loads(json, 0, NULL);
        struct bh_error err = {0};
        assert_true(rt_resources_validate(r, "linux.resources", &err) < 0);
        if (!strstr(err.msg, message))
                fail_msg("\"%s\" does not contain \"%s\"", err.msg, message);
        json_decref(r);
}

static void test_resources(void **state)
{
        json_t *ok =
            json_loads("{\"memory\":{\"limit\":1,\"swap\":-1},\"cpu\":{\"cpus\":\"0-1,3\"},"
                       "\"devices\":[{\"allow\":false,\"access\":\"rwm\"}],"
                       "\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":0}]}",
                       0, NULL);
        assert_int_equal(rt_resources_validate(ok, "r", NULL), 0);
        json_decref(ok);
        expect_resources_error("{\"memory\":{\"limit\":\"1g\"}}",
                               "memory.limit: must be an integer");
        expect_resources_error("{\"cpu\":{\"cpus\":\"all\"}}", "cpu.cpus: must be a list");
        expect_resources_error("{\"memory\":{\"swappiness\":200}}",
                               "swappiness: must be from 0 to 100");
        expect_resources_error("{\"devices\":[{\"access\":\"r\"}]}",
                               "devices[0].allow: is required");
        expect_resources_error("{\"devices\":[{\"allow\":true,\"access\":\"rx\"}]}",
                               "devices[0].access: must be letters of \"rwm\"");
        expect_resources_error("{\"hugepageLimits\":[{\"pageSize\":\"2M\",\"limit\":1}]}",
                               "hugepageLimits: entries need a pageSize");
        expect_resources_error("{\"unified\":{\"../x\":\"1\"}}",
                               "unified: keys must be cgroup file names");
}

static void test_policy(void **state)
{
        struct rt_policy p;
        struct bh_error err = {0};
        assert_int_equal(rt_policy_load("/nonexistent/runtime.json", &p, &err), -ENOENT);
        rt_policy_free(&p);
        char path[] = "/tmp/bh-policy-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        const char *text = "{\"allowPrivileged\":false,\"capabilities\":[\"CAP_KILL\"],"
                           "\"runAsNonRoot\":true,\"annotationOverrides\":[\"runAsNonRoot\"]}";
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        close(fd);
        assert_int_equal(rt_policy_load(path, &p, &err), 0);
        assert_true(p.no_new_privileges);
        assert_int_equal(p.capabilities, 1ULL << 5);
        /* a spec asking for more loses it; uid 0 is refused; an annotation may undo that */
        json_t *doc =
            spec_with("process.capabilities", "{\"bounding\":[\"CAP_KILL\",\"CAP_NET_ADMIN\"],"
                                              "\"effective\":[\"CAP_KILL\"]}");
        struct rt_spec spec;
        assert_int_equal(rt_spec_from_json(doc, NULL, &spec, &err), 0);
        assert_int_equal(rt_policy_apply(&p, &spec, &err), -EPERM);
        assert_non_null(strstr(err.msg, "refusing to run as root"));
        rt_spec_free(&spec);
        rt_policy_free(&p);
        assert_int_equal(rt_policy_load(path, &p, &err), 0);
        doc = spec_with("annotations", "{\"org.bulkhead.runtime.runAsNonRoot\":\"false\"}");
        json_object_set_new(json_object_get(doc, "process"), "capabilities",
                            json_pack("{s:[s,s]}", "bounding", "CAP_KILL", "CAP_NET_ADMIN"));
        assert_int_equal(rt_spec_from_json(doc, NULL, &spec, &err), 0);
        assert_int_equal(rt_policy_apply(&p, &spec, &err), 0);
        assert_int_equal(spec.process.caps.bounding, 1ULL << 5);
        assert_true(spec.process.no_new_privileges);
        assert_true(bh_strv_contains(spec.masked_paths, "/proc/kallsyms"));
        rt_spec_free(&spec);
        rt_policy_free(&p);
        /* privileged-style specs */
        assert_int_equal(rt_policy_load(NULL, &p, &err), 0);
        doc = spec_with("linux.seccomp", "{\"defaultAction\":\"SCMP_ACT_ALLOW\","
                                         "\"syscalls\":[{\"names\":[\"read\"],"
                                         "\"action\":\"SCMP_ACT_LOG\"}]}");
        assert_int_equal(rt_spec_from_json(doc, NULL, &spec, &err), 0);
        assert_int_equal(rt_policy_apply(&p, &spec, &err), -EPERM);
        assert_non_null(strstr(err.msg, "allows every system call"));
        rt_spec_free(&spec);
        /* an unknown key and a wrong type fail the whole policy */
        fd = open(path, O_WRONLY | O_TRUNC);
        assert_int_equal(write(fd, "{\"runAsNonRot\":true}", 20), 20);
        close(fd);
        rt_policy_free(&p);
        assert_int_equal(rt_policy_load(path, &p, &err), -EINVAL);
        assert_non_null(strstr(err.msg, "unknown key \"runAsNonRot\""));
        rt_policy_free(&p);
        unlink(path);
}

/* The device filter: the verifier accepts it, and in a cgroup2 directory it
 * lets /dev/zero through and stops /dev/null. */
static void test_device_filter(void **state)
{
        json_t *rules = json_loads("[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,"
                                   "\"type\":\"c\",\"major\":1,\"minor\":5,\"access\":\"rw\"}]",
                                   0, NULL);
        void *insns;
        size_t n;
        struct bh_error err;
        assert_int_equal(rt_cgroup_device_program(rules, &insns, &n, &err), 0);
        assert_true(n > 10);
        free(insns);
        const char *base = "/sys/fs/cgroup/unified";
        if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0)
                base = "/sys/fs/cgroup";
        if (geteuid() != 0 || access(base, W_OK) < 0) {
                json_decref(rules);
                skip();
        }
        char dir[128];
        snprintf(dir, sizeof dir, "%s/bh-unit-devices-%d", base, getpid());
        assert_int_equal(mkdir(dir, 0755), 0);
        if (rt_cgroup_device_filter(dir, rules, &err) < 0) {
                rmdir(dir);
                json_decref(rules);
                fail_msg("%s", err.msg);
        }
        int cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct clone_args args = {
            .flags = CLONE_INTO_CGROUP, .cgroup = (uint64_t)cg, .exit_signal = SIGCHLD};
        pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
        if (pid == 0) {
                int zero = open("/dev/zero", O_RDONLY);
                int null = open("/dev/null", O_RDONLY);
                _exit((zero >= 0 ? 0 : 1) | (null < 0 && errno == EPERM ? 0 : 2));
        }
        int status = -1;
        waitpid(pid, &status, 0);
        close(cg);
        rmdir(dir);
        json_decref(rules);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

/* rt_proc_write goes beneath the procfs root, never across a mount. */
static void test_proc_write_refuses_overmount(void **state)
{
        if (geteuid() != 0)
                skip();
        pid_t pid = fork();
        if (pid == 0) {
                if (unshare(CLONE_NEWNS | CLONE_NEWUTS) < 0 ||
                    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                        _exit(10);
                int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
                struct bh_error e;
                if (rt_proc_write(proc, "sys/kernel/hostname", "bh-unit", &e) < 0)
                        _exit(11);
                if (mount("tmpfs", "/proc/sys/kernel", "tmpfs", 0, NULL) < 0)
                        _exit(12);
                if (rt_proc_write(proc, "sys/kernel/hostname", "bh-unit2", &e) == 0)
                        _exit(13);
                _exit(e.code == EXDEV ? 0 : 14);
        }
        int status;
        waitpid(pid, &status, 0);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_spec_valid),
            cmocka_unit_test(test_spec_errors),
            cmocka_unit_test(test_ids_and_signals),
            cmocka_unit_test(test_cgroup_paths),
            cmocka_unit_test(test_resources),
            cmocka_unit_test(test_policy),
            cmocka_unit_test(test_device_filter),
            cmocka_unit_test(test_proc_write_refuses_overmount),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
