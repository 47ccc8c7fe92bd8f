/* features: what this runtime implements, per the runtime spec's
 * features.md. */
#include "runtime/caps.h"
#include "runtime/commands.h"
#include "runtime/policy.h"
#include "seccomp/seccomp.h"

#include <string.h>

static json_t *strings(const char *const *v)
{
        json_t *a = json_array();
        for (; *v; v++)
                json_array_append_new(a, json_string(*v));
        return a;
}

int cmd_features(const struct rt_global *g, int argc, char **argv)
{
        (void)g;
        if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                rt_command_usage("features", stdout);
                return 0;
        }
        if (argc > 1)
                return rt_usage_error("features", "takes no arguments");
        static const char *const mount_options[] = {
            "async",       "atime",          "bind",     "defaults",     "dev",
            "diratime",    "dirsync",        "exec",     "idmap",        "lazytime",
            "loud",        "mand",           "noatime",  "nodev",        "nodiratime",
            "noexec",      "nolazytime",     "nomand",   "norelatime",   "nostrictatime",
            "nosuid",      "nosymfollow",    "private",  "ratime",       "rbind",
            "rdev",        "rdiratime",      "relatime", "remount",      "rexec",
            "ridmap",      "rnoatime",       "rnodev",   "rnodiratime",  "rnoexec",
            "rnorelatime", "rnostrictatime", "rnosuid",  "rnosymfollow", "ro",
            "rprivate",    "rrelatime",      "rro",      "rrw",          "rshared",
            "rslave",      "rstrictatime",   "rsuid",    "rsymfollow",   "runbindable",
            "rw",          "shared",         "silent",   "slave",        "strictatime",
            "suid",        "symfollow",      "sync",     "unbindable",   NULL};
        static const char *const hooks[] = {"prestart",
                                            "createRuntime",
                                            "createContainer",
                                            "startContainer",
                                            "poststart",
                                            "poststop",
                                            NULL};
        json_t *ns = json_array();
        for (int i = 0; i < RT_NS_COUNT; i++)
                json_array_append_new(ns, json_string(rt_ns_names[i]));
        json_t *caps = json_array();
        for (int i = 0; i < RT_CAP_COUNT; i++)
                json_array_append_new(caps, json_string(rt_cap_names[i]));
        json_t *seccomp = json_pack(
            "{s:b, s:o, s:o, s:o, s:o, s:o}", "enabled", 1, "actions",
            strings(bh_seccomp_action_names), "operators", strings(bh_seccomp_operator_names),
            "archs", strings(bh_seccomp_arch_names), "knownFlags", strings(bh_seccomp_flag_names),
            "supportedFlags", strings(bh_seccomp_supported_flags()));
        json_t *linux_ = json_pack(
            "{s:o, s:o, s:{s:b, s:b, s:b, s:b, s:b}, s:o, s:{s:b}, s:{s:b}, s:{s:b}, s:{s:{s:b}}}",
            "namespaces", ns, "capabilities", caps, "cgroup", "v1", 1, "v2", 1, "systemd", 0,
            "systemdUser", 0, "rdma", 0, "seccomp", seccomp, "apparmor", "enabled", 0, "selinux",
            "enabled", 0, "intelRdt", "enabled", 0, "mountExtensions", "idmap", "enabled", 1);
        json_t *f = json_pack("{s:s, s:s, s:o, s:o, s:o, s:{s:s}}", "ociVersionMin", "1.0.0",
                              "ociVersionMax", "1.2.0", "hooks", strings(hooks), "mountOptions",
                              strings(mount_options), "linux", linux_, "annotations",
                              "org.bulkhead.runtime.policy", RT_POLICY_PATH);
        json_dumpf(f, stdout, JSON_INDENT(4));
        fputc('\n', stdout);
        json_decref(f);
        return 0;
}
