/* CIS section 5: the container runtime, judged per container on its
 * inspect data and on what /proc shows of its processes. */
#include "audit/caps.h"
#include "audit/checks.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static json_t *hc(const struct audit_container *ct, const char *key)
{
        return json_object_get(json_object_get(ct->inspect, "HostConfig"), key);
}

static bool privileged(const struct audit_container *ct)
{
        return json_is_true(hc(ct, "Privileged"));
}

static void check_apparmor(const struct audit_snapshot *s, const struct audit_container *ct,
                           struct audit_ctx *c)
{
        if (!s->apparmor) {
                audit_emit(c, BH_STATUS_NA, "the kernel has no AppArmor");
                return;
        }
        const char *profile = bh_json_str(ct->inspect, "AppArmorProfile");
        const char *label = ct->proc.lsm_label;
        if (privileged(ct))
                audit_emit(c, BH_STATUS_FAIL, "%s is privileged and runs unconfined by AppArmor",
                           ct->name);
        else if (label && bh_startswith(label, "unconfined"))
                audit_emit(c, BH_STATUS_FAIL, "%s runs unconfined by AppArmor", ct->name);
        else if (!profile || !*profile || strcmp(profile, "unconfined") == 0)
                audit_emit(c, BH_STATUS_FAIL, "%s has no AppArmor profile", ct->name);
        else
                audit_emit(c, BH_STATUS_PASS, "%s runs under AppArmor profile %s", ct->name,
                           label ? label : profile);
}

static void check_selinux(const struct audit_snapshot *s, const struct audit_container *ct,
                          struct audit_ctx *c)
{
        if (!s->selinux) {
                audit_emit(c, BH_STATUS_NA, "SELinux is not enabled in the kernel");
                return;
        }
        const char *v = NULL;
        if (audit_container_security_opt(ct, "label", &v) && strcmp(v, "disable") == 0) {
                audit_emit(c, BH_STATUS_FAIL, "%s disables SELinux labelling (label=disable)",
                           ct->name);
                return;
        }
        const char *label = bh_json_str(ct->inspect, "ProcessLabel");
        if (privileged(ct) || !label || !*label)
                audit_emit(c, BH_STATUS_FAIL, "%s runs without an SELinux process label", ct->name);
        else
                audit_emit(c, BH_STATUS_PASS, "%s runs with SELinux label %s", ct->name, label);
}

static void cap_list(struct bh_buf *b, uint64_t caps)
{
        for (int i = 0; i < 64; i++)
                if (caps & (1ull << i))
                        bh_buf_printf(b, "%s%s", b->len ? ", " : "", audit_cap_name(i));
}

static void check_capabilities(const struct audit_snapshot *s, const struct audit_container *ct,
                               struct audit_ctx *c)
{
        if (privileged(ct)) {
                audit_emit(c, BH_STATUS_FAIL, "%s is privileged: it has every capability",
                           ct->name);
                return;
        }
        uint64_t defaults = audit_docker_default_caps(), added = 0;
        bool all = false;
        size_t i;
        json_t *v;
        json_array_foreach(hc(ct, "CapAdd"), i, v)
        {
                const char *name = json_string_value(v);
                if (!name)
                        continue;
                if (strcasecmp(name, "ALL") == 0 || strcasecmp(name, "CAP_ALL") == 0) {
                        all = true;
                        continue;
                }
                int n = audit_cap_number(name);
                if (n >= 0 && !(defaults & (1ull << n)))
                        added |= 1ull << n;
        }
        /* What the process really holds, when it could be read */
        if (ct->running && !ct->proc.fail.code)
                added |= ct->proc.cap_eff & ~defaults;
        if (all) {
                audit_emit(c, BH_STATUS_FAIL, "%s adds every capability (--cap-add ALL)", ct->name);
                return;
        }
        if (added) {
                struct bh_buf b = BH_BUF_INIT;
                cap_list(&b, added);
                audit_emit(c, BH_STATUS_FAIL, "%s holds capabilities beyond Docker's defaults: %s",
                           ct->name, b.data);
                bh_buf_free(&b);
                return;
        }
        audit_emit(c, BH_STATUS_PASS, "%s holds no capability beyond Docker's defaults", ct->name);
}

static void check_privileged(const struct audit_snapshot *s, const struct audit_container *ct,
                             struct audit_ctx *c)
{
        if (privileged(ct))
                audit_emit(c, BH_STATUS_FAIL,
                           "%s is privileged: every device, capability and no "
                           "seccomp or LSM confinement",
                           ct->name);
        else
                audit_emit(c, BH_STATUS_PASS, "%s is not privileged", ct->name);
}

static const char *const sensitive_dirs[] = {
    "/",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib64",
    "/proc",
    "/sys",
    "/usr",
    "/bin",
    "/sbin",
    "/root",
    "/var/lib/docker",
    "/run/containerd",
    "/var/run/containerd",
};

static char *normalise_dir(const char *p)
{
        char *s = bh_xstrdup(p);
        size_t n = strlen(s);
        while (n > 1 && s[n - 1] == '/')
                s[--n] = '\0';
        return s;
}

/* A local volume made with -o o=bind -o device=DIR is a bind of DIR under
 * another name: its DIR, or NULL. */
static const char *volume_bind_source(const struct audit_snapshot *s, const char *name)
{
        size_t i;
        json_t *v;
        json_array_foreach(bh_json_get(s->volumes, "Volumes"), i, v)
        {
                if (!bh_streq(bh_json_str(v, "Name"), name))
                        continue;
                json_t *opts = json_object_get(v, "Options");
                const char *o = json_string_value(json_object_get(opts, "o"));
                const char *dev = json_string_value(json_object_get(opts, "device"));
                if (!o || !dev || *dev != '/')
                        return NULL;
                _cleanup_free_ char *copy = bh_xstrdup(o);
                char *save = NULL;
                for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
                        if (strcmp(t, "bind") == 0 || strcmp(t, "rbind") == 0)
                                return dev;
                return NULL;
        }
        return NULL;
}

static void check_sensitive_mounts(const struct audit_snapshot *s, const struct audit_container *ct,
                                   struct audit_ctx *c)
{
        struct bh_buf found = BH_BUF_INIT;
        size_t i;
        json_t *m;
        json_array_foreach(bh_json_get(ct->inspect, "Mounts"), i, m)
        {
                const char *type = bh_json_str(m, "Type");
                const char *src = NULL;
                if (bh_streq(type, "bind"))
                        src = bh_json_str(m, "Source");
                else if (bh_streq(type, "volume"))
                        src = volume_bind_source(s, bh_json_str(m, "Name"));
                if (!src)
                        continue;
                _cleanup_free_ char *norm = normalise_dir(src);
                for (size_t d = 0; d < BH_ARRAY_SIZE(sensitive_dirs); d++) {
                        if (strcmp(norm, sensitive_dirs[d]) != 0)
                                continue;
                        bool rw = bh_json_bool(m, "RW", true);
                        bh_buf_printf(&found, "%s%s on %s (%s)", found.len ? ", " : "", norm,
                                      bh_json_str(m, "Destination") ? bh_json_str(m, "Destination")
                                                                    : "?",
                                      rw ? "read-write" : "read-only");
                }
        }
        if (found.len)
                audit_emit(c, BH_STATUS_FAIL, "%s mounts sensitive host directories: %s", ct->name,
                           found.data);
        else
                audit_emit(c, BH_STATUS_PASS, "%s mounts no sensitive host directory", ct->name);
        bh_buf_free(&found);
}

static bool is_sshd(const char *name)
{
        if (!name)
                return false;
        const char *base = strrchr(name, '/');
        base = base ? base + 1 : name;
        return strcmp(base, "sshd") == 0 || bh_startswith(base, "sshd:");
}

static void check_sshd(const struct audit_snapshot *s, const struct audit_container *ct,
                       struct audit_ctx *c)
{
        if (audit_container_proc_missing(ct, c))
                return;
        size_t n = bh_strv_len(ct->proc.comms);
        for (size_t i = 0; i < n; i++) {
                const char *exe = ct->proc.exes ? ct->proc.exes[i] : NULL;
                if (is_sshd(ct->proc.comms[i]) || is_sshd(exe)) {
                        audit_emit(c, BH_STATUS_FAIL, "%s runs sshd (%s)", ct->name,
                                   exe && *exe ? exe : ct->proc.comms[i]);
                        return;
                }
        }
        audit_emit(c, BH_STATUS_PASS, "none of the %zu processes of %s is sshd", n, ct->name);
}

/* Calls fn for each published port binding. */
static size_t for_each_binding(const struct audit_container *ct,
                               void (*fn)(const char *port, const char *ip, long host_port, void *),
                               void *user)
{
        /* no network of its own (none, or another container's): -p publishes nothing */
        const char *net = audit_container_hc_str(ct, "NetworkMode");
        if (net && (strcmp(net, "none") == 0 || bh_startswith(net, "container:")))
                return 0;
        json_t *ports = bh_json_get(ct->inspect, "NetworkSettings.Ports");
        if (!json_is_object(ports) || json_object_size(ports) == 0)
                ports = hc(ct, "PortBindings"); /* not running: what it will publish */
        size_t count = 0;
        const char *port;
        json_t *list;
        json_object_foreach(ports, port, list)
        {
                size_t i;
                json_t *b;
                json_array_foreach(list, i, b)
                {
                        const char *hp = bh_json_str(b, "HostPort");
                        long host_port = hp && *hp ? strtol(hp, NULL, 10) : 0;
                        const char *ip = bh_json_str(b, "HostIp");
                        if (fn)
                                fn(port, ip ? ip : "", host_port, user);
                        count++;
                }
        }
        return count;
}

static bool host_network(const struct audit_container *ct)
{
        return bh_streq(audit_container_hc_str(ct, "NetworkMode"), "host");
}

static void low_port(const char *port, const char *ip, long host_port, void *user)
{
        if (host_port > 0 && host_port < 1024)
                bh_buf_printf(user, "%s%ld->%s", ((struct bh_buf *)user)->len ? ", " : "",
                              host_port, port);
}

static void check_privileged_ports(const struct audit_snapshot *s, const struct audit_container *ct,
                                   struct audit_ctx *c)
{
        if (host_network(ct)) {
                audit_emit(c, BH_STATUS_NA, "%s uses the host network: no ports are mapped",
                           ct->name);
                return;
        }
        struct bh_buf b = BH_BUF_INIT;
        size_t n = for_each_binding(ct, low_port, &b);
        if (b.len)
                audit_emit(c, BH_STATUS_FAIL, "%s maps privileged host ports: %s", ct->name,
                           b.data);
        else if (n == 0)
                audit_emit(c, BH_STATUS_NA, "%s publishes no ports", ct->name);
        else
                audit_emit(c, BH_STATUS_PASS, "%s maps no host port below 1024", ct->name);
        bh_buf_free(&b);
}

static void any_port(const char *port, const char *ip, long host_port, void *user)
{
        bh_buf_printf(user, "%s%s:%ld->%s", ((struct bh_buf *)user)->len ? ", " : "",
                      *ip ? ip : "*", host_port, port);
}

static void check_needed_ports(const struct audit_snapshot *s, const struct audit_container *ct,
                               struct audit_ctx *c)
{
        if (host_network(ct)) {
                audit_emit(c, BH_STATUS_MANUAL,
                           "%s uses the host network: every port it listens on is open on the host",
                           ct->name);
                return;
        }
        struct bh_buf b = BH_BUF_INIT;
        for_each_binding(ct, any_port, &b);
        if (b.len)
                audit_emit(c, BH_STATUS_MANUAL, "%s publishes %s; confirm each is needed", ct->name,
                           b.data);
        else
                audit_emit(c, BH_STATUS_PASS, "%s publishes no ports", ct->name);
        bh_buf_free(&b);
}

/* The container "container:REF" names: by id, id prefix or name. */
static const struct audit_container *container_named(const struct audit_snapshot *s,
                                                     const char *ref)
{
        if (*ref == '/')
                ref++;
        size_t n = strlen(ref);
        for (size_t i = 0; n && i < s->ncontainers; i++) {
                const struct audit_container *o = &s->containers[i];
                if ((o->id && strncmp(o->id, ref, n) == 0) || bh_streq(o->name, ref))
                        return o;
        }
        return NULL;
}

/* Whether the container gets the host's namespace of this kind, directly
 * ("host") or by joining a container that has it ("container:X", followed). */
static void judge_namespace(const struct audit_snapshot *s, const struct audit_container *ct,
                            struct audit_ctx *c, const char *key, const char *what)
{
        const struct audit_container *at = ct;
        const char *mode = audit_container_hc_str(at, key);
        for (int depth = 0; mode && bh_startswith(mode, "container:") && depth < 8; depth++) {
                const struct audit_container *next =
                    container_named(s, mode + strlen("container:"));
                if (!next) {
                        audit_emit(c, BH_STATUS_WARN,
                                   "%s joins the %s namespace of %s, which is not among the "
                                   "containers audited: check that one",
                                   ct->name, what, mode + strlen("container:"));
                        return;
                }
                at = next;
                mode = audit_container_hc_str(at, key);
        }
        if (mode && strcmp(mode, "host") == 0 && at == ct)
                audit_emit(c, BH_STATUS_FAIL, "%s shares the host's %s namespace", ct->name, what);
        else if (mode && strcmp(mode, "host") == 0)
                audit_emit(c, BH_STATUS_FAIL,
                           "%s shares the host's %s namespace through container %s", ct->name, what,
                           at->name);
        else if (at != ct)
                audit_emit(c, BH_STATUS_PASS,
                           "%s shares the %s namespace of container %s, not the host's", ct->name,
                           what, at->name);
        else
                audit_emit(c, BH_STATUS_PASS, "%s does not share the host's %s namespace", ct->name,
                           what);
}

static void check_host_network(const struct audit_snapshot *s, const struct audit_container *ct,
                               struct audit_ctx *c)
{
        judge_namespace(s, ct, c, "NetworkMode", "network");
}

static void check_memory(const struct audit_snapshot *s, const struct audit_container *ct,
                         struct audit_ctx *c)
{
        long long mem = json_integer_value(hc(ct, "Memory"));
        if (mem > 0)
                audit_emit(c, BH_STATUS_PASS, "%s is limited to %lld MiB of memory", ct->name,
                           mem >> 20);
        else
                audit_emit(c, BH_STATUS_FAIL, "%s has no memory limit", ct->name);
}

static void check_cpu(const struct audit_snapshot *s, const struct audit_container *ct,
                      struct audit_ctx *c)
{
        long long shares = json_integer_value(hc(ct, "CpuShares"));
        long long nano = json_integer_value(hc(ct, "NanoCpus"));
        long long quota = json_integer_value(hc(ct, "CpuQuota"));
        const char *cpuset = json_string_value(hc(ct, "CpusetCpus"));
        if ((shares > 0 && shares != 1024) || nano > 0 || quota > 0 || (cpuset && *cpuset))
                audit_emit(c, BH_STATUS_PASS, "%s has CPU shares or limits set", ct->name);
        else
                audit_emit(c, BH_STATUS_FAIL, "%s has default CPU shares and no CPU limit",
                           ct->name);
}

static void check_readonly_rootfs(const struct audit_snapshot *s, const struct audit_container *ct,
                                  struct audit_ctx *c)
{
        if (json_is_true(hc(ct, "ReadonlyRootfs")))
                audit_emit(c, BH_STATUS_PASS, "%s has a read-only root filesystem", ct->name);
        else
                audit_emit(c, BH_STATUS_FAIL, "%s can write to its root filesystem", ct->name);
}

static void wildcard_port(const char *port, const char *ip, long host_port, void *user)
{
        if (!*ip || strcmp(ip, "0.0.0.0") == 0 || strcmp(ip, "::") == 0)
                bh_buf_printf(user, "%s%s:%ld", ((struct bh_buf *)user)->len ? ", " : "",
                              *ip ? ip : "*", host_port);
}

static void check_bound_interface(const struct audit_snapshot *s, const struct audit_container *ct,
                                  struct audit_ctx *c)
{
        if (host_network(ct)) {
                audit_emit(c, BH_STATUS_NA, "%s uses the host network: no ports are mapped",
                           ct->name);
                return;
        }
        struct bh_buf b = BH_BUF_INIT;
        size_t n = for_each_binding(ct, wildcard_port, &b);
        if (n == 0)
                audit_emit(c, BH_STATUS_NA, "%s publishes no ports", ct->name);
        else if (b.len)
                audit_emit(c, BH_STATUS_FAIL, "%s accepts traffic on every host interface: %s",
                           ct->name, b.data);
        else
                audit_emit(c, BH_STATUS_PASS, "%s binds its ports to specific host addresses",
                           ct->name);
        bh_buf_free(&b);
}

static void check_restart_policy(const struct audit_snapshot *s, const struct audit_container *ct,
                                 struct audit_ctx *c)
{
        json_t *rp = hc(ct, "RestartPolicy");
        const char *name = bh_json_str(rp, "Name");
        long long retries = bh_json_int(rp, "MaximumRetryCount", 0);
        if (!name || !*name || strcmp(name, "no") == 0)
                audit_emit(c, BH_STATUS_PASS, "%s is not restarted automatically", ct->name);
        else if (strcmp(name, "on-failure") == 0 && retries > 0 && retries <= 5)
                audit_emit(c, BH_STATUS_PASS, "%s restarts on failure at most %lld times", ct->name,
                           retries);
        else if (strcmp(name, "on-failure") == 0)
                audit_emit(c, BH_STATUS_FAIL, "%s restarts on failure %s", ct->name,
                           retries == 0 ? "without limit" : "more than 5 times");
        else
                audit_emit(c, BH_STATUS_FAIL, "%s restarts without limit (policy %s)", ct->name,
                           name);
}

static void check_host_pid(const struct audit_snapshot *s, const struct audit_container *ct,
                           struct audit_ctx *c)
{
        judge_namespace(s, ct, c, "PidMode", "process");
}

static void check_host_ipc(const struct audit_snapshot *s, const struct audit_container *ct,
                           struct audit_ctx *c)
{
        judge_namespace(s, ct, c, "IpcMode", "IPC");
}

static void check_devices(const struct audit_snapshot *s, const struct audit_container *ct,
                          struct audit_ctx *c)
{
        struct bh_buf b = BH_BUF_INIT;
        size_t i;
        json_t *d;
        json_array_foreach(hc(ct, "Devices"), i, d)
        {
                bh_buf_printf(&b, "%s%s", b.len ? ", " : "",
                              bh_json_str(d, "PathOnHost") ? bh_json_str(d, "PathOnHost") : "?");
        }
        /* a cgroup rule lets the container open (and mknod) host devices it
         * was not given */
        json_array_foreach(hc(ct, "DeviceCgroupRules"), i, d)
        {
                if (json_is_string(d))
                        bh_buf_printf(&b, "%scgroup rule '%s'", b.len ? ", " : "",
                                      json_string_value(d));
        }
        if (privileged(ct))
                audit_emit(c, BH_STATUS_WARN, "%s is privileged: every host device is exposed",
                           ct->name);
        else if (b.len)
                audit_emit(c, BH_STATUS_WARN, "%s has host devices: %s", ct->name, b.data);
        else
                audit_emit(c, BH_STATUS_PASS, "%s has no host devices", ct->name);
        bh_buf_free(&b);
}

static void check_ulimits(const struct audit_snapshot *s, const struct audit_container *ct,
                          struct audit_ctx *c)
{
        struct bh_buf b = BH_BUF_INIT;
        size_t i;
        json_t *u;
        json_array_foreach(hc(ct, "Ulimits"), i, u)
        {
                bh_buf_printf(&b, "%s%s=%lld:%lld", b.len ? ", " : "",
                              bh_json_str(u, "Name") ? bh_json_str(u, "Name") : "?",
                              bh_json_int(u, "Soft", -1), bh_json_int(u, "Hard", -1));
        }
        if (b.len)
                audit_emit(c, BH_STATUS_INFO,
                           "%s overrides the default ulimits (%s); confirm each "
                           "is needed",
                           ct->name, b.data);
        else
                audit_emit(c, BH_STATUS_PASS, "%s keeps the default ulimits", ct->name);
        bh_buf_free(&b);
}

static void check_propagation(const struct audit_snapshot *s, const struct audit_container *ct,
                              struct audit_ctx *c)
{
        struct bh_buf b = BH_BUF_INIT;
        size_t i;
        json_t *m;
        json_array_foreach(bh_json_get(ct->inspect, "Mounts"), i, m)
        {
                const char *p = bh_json_str(m, "Propagation");
                if (p && (strcmp(p, "shared") == 0 || strcmp(p, "rshared") == 0))
                        bh_buf_printf(
                            &b, "%s%s (%s)", b.len ? ", " : "",
                            bh_json_str(m, "Destination") ? bh_json_str(m, "Destination") : "?", p);
        }
        if (b.len)
                audit_emit(c, BH_STATUS_FAIL, "%s has mounts with shared propagation: %s", ct->name,
                           b.data);
        else
                audit_emit(c, BH_STATUS_PASS, "%s has no shared mount propagation", ct->name);
        bh_buf_free(&b);
}

static void check_host_uts(const struct audit_snapshot *s, const struct audit_container *ct,
                           struct audit_ctx *c)
{
        judge_namespace(s, ct, c, "UTSMode", "UTS");
}

static void check_seccomp_not_disabled(const struct audit_snapshot *s,
                                       const struct audit_container *ct, struct audit_ctx *c)
{
        const char *v = NULL;
        if (audit_container_security_opt(ct, "seccomp", &v) && strcmp(v, "unconfined") == 0)
                audit_emit(c, BH_STATUS_FAIL, "%s runs with seccomp=unconfined", ct->name);
        else if (privileged(ct))
                audit_emit(c, BH_STATUS_FAIL, "%s is privileged: no seccomp filter applies",
                           ct->name);
        else if (ct->running && ct->proc.seccomp == 0)
                audit_emit(c, BH_STATUS_FAIL, "%s's process runs without a seccomp filter",
                           ct->name);
        else
                audit_emit(c, BH_STATUS_PASS, "%s has a seccomp profile", ct->name);
}

static void judge_execs(const struct audit_container *ct, struct audit_ctx *c, bool want_privileged)
{
        size_t n = json_array_size(ct->execs), hits = 0;
        size_t i;
        json_t *e;
        json_array_foreach(ct->execs, i, e)
        {
                if (want_privileged && json_is_true(bh_json_get(e, "ProcessConfig.privileged")))
                        hits++;
                if (!want_privileged) {
                        /* empty: the container's own user, judged by 4.1 */
                        const char *u = bh_json_str(e, "ProcessConfig.user");
                        if (u && *u && audit_user_is_root(u))
                                hits++;
                }
        }
        if (hits && want_privileged)
                audit_emit(c, BH_STATUS_FAIL, "%zu exec session%s into %s used --privileged", hits,
                           hits == 1 ? "" : "s", ct->name);
        else if (hits)
                audit_emit(c, BH_STATUS_WARN,
                           "%zu exec session%s into %s ran as root (--user root)", hits,
                           hits == 1 ? "" : "s", ct->name);
        else
                audit_emit(
                    c, BH_STATUS_MANUAL,
                    "none of the %zu exec sessions the daemon still remembers for %s was %s; "
                    "older ones are only in the host's audit log",
                    n, ct->name, want_privileged ? "privileged" : "run as root");
}

static void check_exec_privileged(const struct audit_snapshot *s, const struct audit_container *ct,
                                  struct audit_ctx *c)
{
        judge_execs(ct, c, true);
}

static void check_exec_root(const struct audit_snapshot *s, const struct audit_container *ct,
                            struct audit_ctx *c)
{
        judge_execs(ct, c, false);
}

static void check_container_cgroup_parent(const struct audit_snapshot *s,
                                          const struct audit_container *ct, struct audit_ctx *c)
{
        const char *p = audit_container_hc_str(ct, "CgroupParent");
        if (p && *p)
                audit_emit(c, BH_STATUS_WARN,
                           "%s runs under cgroup parent %s; confirm that it is "
                           "intended",
                           ct->name, p);
        else
                audit_emit(c, BH_STATUS_PASS, "%s uses the default cgroup parent", ct->name);
}

static void check_no_new_privs(const struct audit_snapshot *s, const struct audit_container *ct,
                               struct audit_ctx *c)
{
        const char *v = NULL;
        bool opt = audit_container_security_opt(ct, "no-new-privileges", &v);
        /* the daemon reads the value as Go's strconv.ParseBool does */
        static const char *const yes[] = {"", "1", "t", "T", "true", "TRUE", "True"};
        static const char *const no[] = {"0", "f", "F", "false", "FALSE", "False"};
        bool opt_on = false, opt_off = false;
        for (size_t i = 0; opt && i < BH_ARRAY_SIZE(yes); i++)
                opt_on |= strcmp(v, yes[i]) == 0;
        for (size_t i = 0; opt && i < BH_ARRAY_SIZE(no); i++)
                opt_off |= strcmp(v, no[i]) == 0;
        if (ct->running && ct->proc.no_new_privs == 1) {
                audit_emit(c, BH_STATUS_PASS, "%s's process has no_new_privs set", ct->name);
                return;
        }
        if (ct->running && ct->proc.no_new_privs == 0) {
                audit_emit(c, BH_STATUS_FAIL, "%s's process can gain privileges (NoNewPrivs: 0)",
                           ct->name);
                return;
        }
        if (opt_on || (!opt_off && audit_cfg_bool(s, "no-new-privileges") == 1))
                audit_emit(c, BH_STATUS_PASS, "%s is started with no-new-privileges", ct->name);
        else
                audit_emit(c, BH_STATUS_FAIL, "%s may gain new privileges", ct->name);
}

static void check_health_runtime(const struct audit_snapshot *s, const struct audit_container *ct,
                                 struct audit_ctx *c)
{
        const char *status = bh_json_str(ct->inspect, "State.Health.Status");
        if (!status)
                audit_emit(c, BH_STATUS_FAIL, "%s has no health check", ct->name);
        else if (strcmp(status, "unhealthy") == 0)
                audit_emit(c, BH_STATUS_WARN, "%s's health check reports it unhealthy", ct->name);
        else
                audit_emit(c, BH_STATUS_PASS, "%s's health is checked (%s)", ct->name, status);
}

static char *normalise_ref(const char *ref)
{
        /* "busybox" -> "busybox:latest"; "host:5000/x" keeps the port */
        const char *slash = strrchr(ref, '/');
        const char *tail = slash ? slash + 1 : ref;
        if (strchr(tail, ':') || strchr(ref, '@'))
                return bh_xstrdup(ref);
        return bh_xasprintf("%s:latest", ref);
}

static void check_image_current(const struct audit_snapshot *s, const struct audit_container *ct,
                                struct audit_ctx *c)
{
        const char *ref = bh_json_str(ct->inspect, "Config.Image");
        const char *running = bh_json_str(ct->inspect, "Image");
        if (!ref) {
                audit_emit(c, BH_STATUS_ERROR, "%s does not say which image it runs", ct->name);
                return;
        }
        if (strstr(ref, "@sha256:")) {
                audit_emit(c, BH_STATUS_PASS, "%s runs an image pinned by digest (%s)", ct->name,
                           ref);
                return;
        }
        _cleanup_free_ char *want = normalise_ref(ref);
        const char *tag_now = NULL;
        for (size_t i = 0; i < s->nimages; i++) {
                size_t j;
                json_t *t;
                json_array_foreach(bh_json_get(s->images[i].inspect, "RepoTags"), j, t)
                {
                        if (bh_streq(json_string_value(t), want))
                                tag_now = s->images[i].id;
                }
        }
        if (tag_now && running && strcmp(tag_now, running) != 0)
                audit_emit(
                    c, BH_STATUS_WARN,
                    "%s runs an older image than %s now names; recreate it, and pin images by "
                    "digest",
                    ct->name, want);
        else
                audit_emit(c, BH_STATUS_WARN,
                           "%s runs %s by tag, not by digest: what the tag names can change",
                           ct->name, ref);
}

static void check_pids_limit(const struct audit_snapshot *s, const struct audit_container *ct,
                             struct audit_ctx *c)
{
        long long limit = json_integer_value(hc(ct, "PidsLimit"));
        if (limit > 0)
                audit_emit(c, BH_STATUS_PASS, "%s may run at most %lld processes", ct->name, limit);
        else
                audit_emit(c, BH_STATUS_FAIL, "%s has no process limit (fork bombs reach the host)",
                           ct->name);
}

static void check_default_bridge(const struct audit_snapshot *s, const struct audit_container *ct,
                                 struct audit_ctx *c)
{
        bool bridge_exists = false;
        size_t i;
        json_t *n;
        json_array_foreach(s->networks, i, n)
        {
                if (bh_streq(bh_json_str(n, "Name"), "bridge") &&
                    bh_streq(bh_json_str(n, "Driver"), "bridge"))
                        bridge_exists = true;
        }
        if (!bridge_exists) {
                audit_emit(c, BH_STATUS_NA, "there is no default bridge network on this host");
                return;
        }
        if (bh_json_get(ct->inspect, "NetworkSettings.Networks.bridge"))
                audit_emit(c, BH_STATUS_WARN, "%s is on the default bridge (docker0)", ct->name);
        else
                audit_emit(c, BH_STATUS_PASS, "%s is not on the default bridge", ct->name);
}

static void check_host_userns(const struct audit_snapshot *s, const struct audit_container *ct,
                              struct audit_ctx *c)
{
        judge_namespace(s, ct, c, "UsernsMode", "user");
}

/* /var/run is a symlink to /run on current systems: compare both spellings. */
static bool under(const char *path, const char *dir)
{
        size_t n = strlen(dir);
        if (strcmp(dir, "/") == 0 || strcmp(path, dir) == 0)
                return true;
        return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static bool mounts_docker_socket(const struct audit_snapshot *s, const char *src)
{
        if (bh_endswith(src, "/docker.sock"))
                return true;
        if (!s->docker_sockets)
                return strcmp(src, "/") == 0 || strcmp(src, "/run") == 0 ||
                       strcmp(src, "/var/run") == 0;
        for (size_t i = 0; s->docker_sockets[i]; i++) {
                const char *sock = s->docker_sockets[i];
                if (under(sock, src))
                        return true;
                _cleanup_free_ char *alias = NULL;
                if (bh_startswith(sock, "/var/run/"))
                        alias = bh_xasprintf("/run/%s", sock + strlen("/var/run/"));
                else if (bh_startswith(sock, "/run/"))
                        alias = bh_xasprintf("/var/run/%s", sock + strlen("/run/"));
                if (alias && under(alias, src))
                        return true;
        }
        return false;
}

static void check_docker_socket_mount(const struct audit_snapshot *s,
                                      const struct audit_container *ct, struct audit_ctx *c)
{
        size_t i;
        json_t *m;
        json_array_foreach(bh_json_get(ct->inspect, "Mounts"), i, m)
        {
                const char *src = bh_json_str(m, "Source");
                if (!src || !bh_streq(bh_json_str(m, "Type"), "bind"))
                        continue;
                _cleanup_free_ char *norm = normalise_dir(src);
                if (mounts_docker_socket(s, norm)) {
                        audit_emit(c, BH_STATUS_FAIL,
                                   "%s can reach the Docker socket through its mount of "
                                   "%s: it controls the host",
                                   ct->name, norm);
                        return;
                }
        }
        audit_emit(c, BH_STATUS_PASS, "%s does not mount the Docker socket", ct->name);
}

static void check_swarm_off(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_swarm_active(s))
                audit_emit(c, BH_STATUS_WARN, "swarm mode is on; confirm that this host needs it");
        else
                audit_emit(c, BH_STATUS_PASS, "swarm mode is off");
}

#define CONTAINER(rule, id16, id18, title, level, sev, fix, fn)                                    \
        {                                                                                          \
                rule, id16, id18, NULL, title, level, sev, AUDIT_SCOPE_CONTAINER, fix, NULL, fn,   \
                    NULL                                                                           \
        }

const struct audit_check audit_checks_containers[] = {
    {"swarm-mode-off", "5.1", "5.1", NULL, "Swarm mode is off unless needed", 1, BH_SEV_LOW,
     AUDIT_SCOPE_ENGINE, "Leave the swarm (docker swarm leave) on hosts that do not need it.",
     check_swarm_off},
    CONTAINER("container-apparmor", "5.2", "5.2", "Containers run under an AppArmor profile", 1,
              BH_SEV_MEDIUM,
              "Run containers with the default AppArmor profile or a stricter one "
              "(--security-opt apparmor=PROFILE); never unconfined.",
              check_apparmor),
    CONTAINER(
        "container-selinux", "5.3", "5.3", "Containers run with SELinux labels", 2, BH_SEV_MEDIUM,
        "Start the daemon with --selinux-enabled and do not pass label=disable.", check_selinux),
    CONTAINER("container-capabilities", "5.4", "5.4",
              "Containers hold no capabilities beyond the defaults", 1, BH_SEV_HIGH,
              "Drop what the container does not need (--cap-drop ALL, then --cap-add only "
              "what it uses); never --cap-add ALL or SYS_ADMIN.",
              check_capabilities),
    CONTAINER("container-not-privileged", "5.5", "5.5", "Containers are not privileged", 1,
              BH_SEV_CRITICAL,
              "Remove --privileged; grant the single capability or device the container needs.",
              check_privileged),
    CONTAINER("container-no-sensitive-mounts", "5.6", "5.6",
              "Sensitive host directories are not mounted", 1, BH_SEV_HIGH,
              "Mount only the specific files or directories the container needs, never /, /etc, "
              "/usr, /boot, /dev, /proc or /sys, even read-only.",
              check_sensitive_mounts),
    CONTAINER("container-no-sshd", "5.7", "5.7", "Containers do not run sshd", 1, BH_SEV_MEDIUM,
              "Remove sshd from the image; use docker exec for access.", check_sshd),
    CONTAINER("container-no-privileged-ports", "5.8", "5.8", "Privileged host ports are not mapped",
              1, BH_SEV_LOW,
              "Publish on host ports above 1023 and put a load balancer in front if needed.",
              check_privileged_ports),
    CONTAINER("container-only-needed-ports", "5.9", "5.9", "Only needed ports are open", 1,
              BH_SEV_LOW, "Publish only the ports the service needs (-p, not -P).",
              check_needed_ports),
    CONTAINER("container-host-network", "5.10", "5.10",
              "Containers do not share the host's network namespace", 1, BH_SEV_HIGH,
              "Run the container on a bridge or user-defined network instead of --network host.",
              check_host_network),
    CONTAINER("container-memory-limit", "5.11", "5.11", "Containers have a memory limit", 1,
              BH_SEV_MEDIUM, "Set --memory (and --memory-swap) to what the workload needs.",
              check_memory),
    CONTAINER("container-cpu-shares", "5.12", "5.12", "Containers have CPU shares or limits", 1,
              BH_SEV_LOW, "Set --cpu-shares or --cpus for each container.", check_cpu),
    CONTAINER("container-readonly-rootfs", "5.13", "5.13",
              "Containers have a read-only root filesystem", 1, BH_SEV_MEDIUM,
              "Run with --read-only and give writable paths tmpfs or volumes.",
              check_readonly_rootfs),
    CONTAINER("container-bind-interface", "5.14", "5.14",
              "Published ports are bound to a specific host interface", 1, BH_SEV_MEDIUM,
              "Publish on a specific address (-p 10.0.0.5:8080:80), not on every interface.",
              check_bound_interface),
    CONTAINER("container-restart-policy", "5.15", "5.15",
              "Restarts are limited (on-failure, at most 5)", 1, BH_SEV_LOW,
              "Use --restart on-failure:5 instead of always or unless-stopped.",
              check_restart_policy),
    CONTAINER("container-host-pid", "5.16", "5.16",
              "Containers do not share the host's process namespace", 1, BH_SEV_HIGH,
              "Remove --pid host.", check_host_pid),
    CONTAINER("container-host-ipc", "5.17", "5.17",
              "Containers do not share the host's IPC namespace", 1, BH_SEV_HIGH,
              "Remove --ipc host.", check_host_ipc),
    CONTAINER("container-no-host-devices", "5.18", "5.18", "Host devices are not exposed", 1,
              BH_SEV_MEDIUM,
              "Remove --device unless required, and then grant only r or rw as needed.",
              check_devices),
    CONTAINER("container-ulimits", "5.19", "5.19", "Default ulimits are overridden only if needed",
              1, BH_SEV_LOW, "Remove --ulimit overrides that are not needed.", check_ulimits),
    CONTAINER("container-mount-propagation", "5.20", "5.20", "Mount propagation is not shared", 1,
              BH_SEV_MEDIUM, "Use private or slave propagation for bind mounts (the default).",
              check_propagation),
    CONTAINER("container-host-uts", "5.21", "5.21",
              "Containers do not share the host's UTS namespace", 1, BH_SEV_MEDIUM,
              "Remove --uts host.", check_host_uts),
    CONTAINER("container-seccomp", "5.22", "5.22", "Seccomp is not disabled", 1, BH_SEV_HIGH,
              "Remove --security-opt seccomp=unconfined; write a custom profile if the default "
              "blocks a needed syscall.",
              check_seccomp_not_disabled),
    CONTAINER("container-exec-not-privileged", "5.23", "5.23",
              "docker exec is not used with --privileged", 2, BH_SEV_HIGH,
              "Do not use docker exec --privileged.", check_exec_privileged),
    CONTAINER("container-exec-not-root", "5.24", "5.24", "docker exec is not used with --user root",
              2, BH_SEV_MEDIUM, "Do not use docker exec --user root.", check_exec_root),
    CONTAINER("container-cgroup-parent", "5.25", "5.25", "Container cgroups are confirmed", 1,
              BH_SEV_LOW, "Remove --cgroup-parent unless the container must live there.",
              check_container_cgroup_parent),
    CONTAINER("container-no-new-privileges", "5.26", "5.26",
              "Containers cannot gain new privileges", 1, BH_SEV_MEDIUM,
              "Run with --security-opt no-new-privileges, or make it the daemon's default.",
              check_no_new_privs),
    CONTAINER("container-health-checked", "5.27", "5.27", "Container health is checked", 1,
              BH_SEV_LOW, "Give the image a HEALTHCHECK or run with --health-cmd.",
              check_health_runtime),
    CONTAINER("container-image-pinned", "5.28", "5.28",
              "Containers run the image version intended (pinned by digest)", 1, BH_SEV_LOW,
              "Refer to images by digest (image@sha256:...) and recreate containers when it "
              "changes.",
              check_image_current),
    CONTAINER("container-pids-limit", "5.29", "5.29", "Containers have a process limit", 1,
              BH_SEV_MEDIUM, "Set --pids-limit (e.g. 200).", check_pids_limit),
    CONTAINER("container-not-default-bridge", "5.30", "5.30",
              "Containers do not use the default bridge", 2, BH_SEV_LOW,
              "Connect containers to user-defined networks.", check_default_bridge),
    CONTAINER("container-host-userns", "5.31", "5.31",
              "Containers do not share the host's user namespace", 1, BH_SEV_HIGH,
              "Remove --userns host.", check_host_userns),
    CONTAINER("container-no-docker-socket", "5.32", "5.32",
              "The Docker socket is not mounted into containers", 1, BH_SEV_CRITICAL,
              "Remove the mount of docker.sock; use a narrowly scoped API proxy if a container "
              "must talk to the daemon.",
              check_docker_socket_mount),
    {NULL},
};
