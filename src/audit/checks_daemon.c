/* CIS section 2: the Docker daemon's configuration. Judged on the effective
 * configuration (dockerd's flags merged onto daemon.json) and, where the
 * daemon reports the value in force, on GET /info. */
#include "audit/checks.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/util.h"

#include <string.h>

static bool default_bridge_absent(const struct audit_snapshot *s)
{
        const char *b = audit_cfg_str(s, "bridge");
        if (b && strcmp(b, "none") == 0)
                return true;
        if (json_is_array(s->networks)) {
                size_t i;
                json_t *n;
                json_array_foreach(s->networks, i, n)
                {
                        if (bh_streq(bh_json_str(n, "Name"), "bridge") &&
                            bh_streq(bh_json_str(n, "Driver"), "bridge"))
                                return false;
                }
                return true;
        }
        return false;
}

static void check_rootless_or_userns(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_daemon_rootless(s)) {
                audit_emit(c, BH_STATUS_PASS, "the daemon runs rootless");
                return;
        }
        if (audit_engine_security_option(s, "userns") || audit_cfg_str(s, "userns-remap")) {
                audit_emit(c, BH_STATUS_PASS,
                           "the daemon runs as root but remaps containers' root to an unprivileged "
                           "user (userns-remap)");
                return;
        }
        if (s->api_fail.code && !s->config) {
                audit_emit(c, BH_STATUS_ERROR, "%s", s->api_fail.msg);
                return;
        }
        audit_emit(c, BH_STATUS_WARN,
                   "the daemon runs as root and containers' root is the host's root (neither "
                   "rootless mode nor userns-remap)");
}

static void check_icc(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_cfg_unavailable(s, c))
                return;
        if (default_bridge_absent(s)) {
                audit_emit(c, BH_STATUS_NA, "there is no default bridge network (bridge: none)");
                return;
        }
        if (audit_cfg_bool(s, "icc") == 0)
                audit_emit(c, BH_STATUS_PASS,
                           "icc is false: containers on the default bridge cannot "
                           "talk to each other");
        else
                audit_emit(
                    c, BH_STATUS_FAIL,
                    "icc is not false: containers on the default bridge can reach each other");
}

static void check_log_level(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_cfg_unavailable(s, c))
                return;
        const char *lvl = audit_cfg_str(s, "log-level");
        if (audit_cfg_bool(s, "debug") == 1 && (!lvl || strcmp(lvl, "debug") == 0)) {
                audit_emit(c, BH_STATUS_WARN,
                           "debug logging is on: the log is noisy and may hold "
                           "request details");
                return;
        }
        if (!lvl || strcmp(lvl, "info") == 0) {
                audit_emit(c, BH_STATUS_PASS, "log level is info%s", lvl ? "" : " (the default)");
                return;
        }
        if (strcmp(lvl, "debug") == 0 || strcmp(lvl, "trace") == 0)
                audit_emit(c, BH_STATUS_WARN,
                           "log level is %s: noisy, and may hold request details", lvl);
        else
                audit_emit(c, BH_STATUS_FAIL, "log level is %s: events worth keeping are dropped",
                           lvl);
}

static void check_iptables(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_cfg_unavailable(s, c))
                return;
        if (audit_cfg_bool(s, "iptables") == 0)
                audit_emit(c, BH_STATUS_FAIL,
                           "iptables is false: the daemon does not manage the firewall rules that "
                           "isolate container networks");
        else
                audit_emit(c, BH_STATUS_PASS, "the daemon manages iptables");
}

/* Registries the daemon treats as insecure, minus the built-in loopback ones. */
static void collect_insecure(const struct audit_snapshot *s, char ***out)
{
        json_t *cfg = audit_cfg(s, "insecure-registries");
        size_t i;
        json_t *v;
        json_array_foreach(cfg, i, v)
        {
                const char *r = json_string_value(v);
                if (r && !bh_strv_contains(*out, r))
                        bh_strv_push(out, r);
        }
        json_t *cidrs = bh_json_get(s->info, "RegistryConfig.InsecureRegistryCIDRs");
        json_array_foreach(cidrs, i, v)
        {
                const char *r = json_string_value(v);
                if (!r || strcmp(r, "127.0.0.0/8") == 0 || strcmp(r, "::1/128") == 0)
                        continue;
                if (!bh_strv_contains(*out, r))
                        bh_strv_push(out, r);
        }
        json_t *index = bh_json_get(s->info, "RegistryConfig.IndexConfigs");
        const char *name;
        json_object_foreach(index, name, v)
        {
                if (json_is_false(json_object_get(v, "Secure")) && !bh_strv_contains(*out, name))
                        bh_strv_push(out, name);
        }
}

static void check_insecure_registries(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_cfg_unavailable(s, c))
                return;
        _cleanup_strv_ char **list = NULL;
        collect_insecure(s, &list);
        if (!list) {
                audit_emit(c, BH_STATUS_PASS,
                           "no insecure registry besides the built-in loopback range");
                return;
        }
        struct bh_buf b = BH_BUF_INIT;
        for (size_t i = 0; list[i]; i++)
                bh_buf_printf(&b, "%s%s", i ? ", " : "", list[i]);
        audit_emit(c, BH_STATUS_FAIL, "images are pulled without TLS verification from: %s",
                   b.data);
        bh_buf_free(&b);
}

static const char *storage_driver(const struct audit_snapshot *s)
{
        const char *d = bh_json_str(s->info, "Driver");
        return d ? d : audit_cfg_str(s, "storage-driver");
}

static void judge_driver_not(const struct audit_snapshot *s, struct audit_ctx *c, const char *bad)
{
        const char *d = storage_driver(s);
        if (!d) {
                audit_emit(c, BH_STATUS_ERROR, "%s",
                           s->api_fail.code ? s->api_fail.msg : "the storage driver is unknown");
                return;
        }
        if (strcmp(d, bad) == 0)
                audit_emit(c, BH_STATUS_FAIL, "the storage driver is %s", d);
        else
                audit_emit(c, BH_STATUS_PASS, "the storage driver is %s", d);
}

static void check_aufs(const struct audit_snapshot *s, struct audit_ctx *c)
{
        judge_driver_not(s, c, "aufs");
}

static void check_devicemapper(const struct audit_snapshot *s, struct audit_ctx *c)
{
        judge_driver_not(s, c, "devicemapper");
}

static bool tcp_host(const char *h)
{
        return h && (bh_startswith(h, "tcp://") || bh_startswith(h, "http://") ||
                     bh_startswith(h, "https://") ||
                     (!strstr(h, "://") && h[0] != '/' && strchr(h, ':')));
}

static void check_tls(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_cfg_unavailable(s, c))
                return;
        json_t *hosts = audit_cfg(s, "hosts");
        const char *tcp = NULL;
        size_t i;
        json_t *v;
        json_array_foreach(hosts, i, v) if (tcp_host(json_string_value(v)) && !tcp) tcp =
            json_string_value(v);
        if (!tcp) {
                audit_emit(c, BH_STATUS_NA, "the daemon does not listen on TCP");
                return;
        }
        bool verify = audit_cfg_bool(s, "tlsverify") == 1;
        bool tls = verify || audit_cfg_bool(s, "tls") == 1;
        const char *ca = audit_cfg_str(s, "tlscacert"), *cert = audit_cfg_str(s, "tlscert"),
                   *key = audit_cfg_str(s, "tlskey");
        if (!tls)
                audit_emit(c, BH_STATUS_FAIL,
                           "the daemon listens on %s without TLS: anyone who can "
                           "reach it controls the host",
                           tcp);
        else if (!verify)
                audit_emit(
                    c, BH_STATUS_FAIL,
                    "the daemon listens on %s with TLS but without tlsverify: clients are not "
                    "authenticated",
                    tcp);
        else if (!ca || !cert || !key)
                audit_emit(
                    c, BH_STATUS_WARN,
                    "the daemon listens on %s with tlsverify, but tlscacert, tlscert or tlskey "
                    "is not set and falls back to ~/.docker",
                    tcp);
        else
                audit_emit(c, BH_STATUS_PASS, "the daemon listens on %s with tlsverify", tcp);
}

static void check_default_ulimits(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_cfg_unavailable(s, c))
                return;
        json_t *u = audit_cfg(s, "default-ulimits");
        if (!json_is_object(u) || json_object_size(u) == 0) {
                audit_emit(c, BH_STATUS_WARN,
                           "no default-ulimits: containers inherit the daemon's (often unlimited) "
                           "limits");
                return;
        }
        struct bh_buf b = BH_BUF_INIT;
        const char *name;
        json_t *v;
        json_object_foreach(u, name, v)
        {
                bh_buf_printf(&b, "%s%s=%lld:%lld", b.len ? ", " : "", name,
                              bh_json_int(v, "Soft", -1), bh_json_int(v, "Hard", -1));
        }
        audit_emit(c, BH_STATUS_PASS, "default ulimits: %s", b.data);
        bh_buf_free(&b);
}

static void check_userns_remap(const struct audit_snapshot *s, struct audit_ctx *c)
{
        const char *remap = audit_cfg_str(s, "userns-remap");
        if (audit_engine_security_option(s, "userns") || remap) {
                audit_emit(c, BH_STATUS_PASS, "user namespace remapping is on%s%s",
                           remap ? ": " : "", remap ? remap : "");
                return;
        }
        if (audit_daemon_rootless(s)) {
                audit_emit(c, BH_STATUS_PASS,
                           "the daemon is rootless: every container runs in its user namespace");
                return;
        }
        if (audit_cfg_unavailable(s, c))
                return;
        audit_emit(c, BH_STATUS_FAIL,
                   "userns-remap is not set: root in a container is root on "
                   "the host");
}

static void check_cgroup_parent(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_cfg_unavailable(s, c))
                return;
        const char *p = audit_cfg_str(s, "cgroup-parent");
        if (p && *p)
                audit_emit(c, BH_STATUS_WARN,
                           "the default cgroup parent is %s; confirm that this is intended", p);
        else
                audit_emit(c, BH_STATUS_PASS, "the default cgroup parent is used");
}

static void check_dm_basesize(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_cfg_unavailable(s, c))
                return;
        json_t *opts = audit_cfg(s, "storage-opts");
        const char *found = NULL;
        size_t i;
        json_t *v;
        json_array_foreach(opts, i, v)
        {
                const char *o = json_string_value(v);
                if (o && bh_startswith(o, "dm.basesize"))
                        found = o;
        }
        const char *d = storage_driver(s);
        if (found)
                audit_emit(c, BH_STATUS_WARN,
                           "storage option %s changes the base device size; "
                           "confirm that it is needed",
                           found);
        else if (d && strcmp(d, "devicemapper") != 0)
                audit_emit(c, BH_STATUS_NA,
                           "the storage driver is %s; the base device size applies "
                           "only to devicemapper",
                           d);
        else
                audit_emit(c, BH_STATUS_PASS, "the base device size is the default");
}

static void check_authz_plugin(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_cfg_unavailable(s, c))
                return;
        json_t *p = audit_cfg(s, "authorization-plugins");
        json_t *api = bh_json_get(s->info, "Plugins.Authorization");
        size_t n = json_is_array(p) ? json_array_size(p) : 0;
        size_t m = json_is_array(api) ? json_array_size(api) : 0;
        if (n + m > 0)
                audit_emit(c, BH_STATUS_PASS, "an authorization plugin is configured (%s)",
                           json_string_value(json_array_get(n ? p : api, 0)));
        else
                audit_emit(c, BH_STATUS_FAIL,
                           "no authorization plugin: every client of the socket may do everything");
}

static void check_log_driver(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (s->podman) {
                audit_emit(c, BH_STATUS_NA, "the engine is Podman, which has no Docker log driver");
                return;
        }
        const char *d = bh_json_str(s->info, "LoggingDriver");
        if (!d || !*d)
                d = audit_cfg_str(s, "log-driver");
        if (!d) {
                if (s->api_fail.code) {
                        audit_emit(c, BH_STATUS_ERROR, "%s", s->api_fail.msg);
                        return;
                }
                d = "json-file";
        }
        if (strcmp(d, "json-file") == 0 || strcmp(d, "local") == 0 || strcmp(d, "none") == 0)
                audit_emit(
                    c, BH_STATUS_FAIL,
                    "container logs stay on this host (log driver %s): they are lost with it "
                    "and not collected centrally",
                    d);
        else
                audit_emit(c, BH_STATUS_PASS, "container logs go to the %s log driver", d);
}

static void check_no_new_privileges(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_cfg_unavailable(s, c))
                return;
        if (audit_cfg_bool(s, "no-new-privileges") == 1)
                audit_emit(c, BH_STATUS_PASS,
                           "no-new-privileges is the default for new containers");
        else
                audit_emit(
                    c, BH_STATUS_FAIL,
                    "no-new-privileges is not the default: setuid programs in containers can "
                    "gain privileges");
}

static void check_live_restore(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_swarm_active(s)) {
                audit_emit(c, BH_STATUS_NA,
                           "live restore cannot be used with swarm mode, which is on");
                return;
        }
        bool on = false;
        if (!bh_json_bool_opt(s->info, "LiveRestoreEnabled", &on)) {
                if (audit_cfg_unavailable(s, c))
                        return;
                on = audit_cfg_bool(s, "live-restore") == 1;
        }
        if (on)
                audit_emit(c, BH_STATUS_PASS,
                           "live restore is on: containers keep running while the "
                           "daemon restarts");
        else
                audit_emit(c, BH_STATUS_FAIL,
                           "live restore is off: restarting or upgrading the daemon stops every "
                           "container");
}

static void check_userland_proxy(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_cfg_unavailable(s, c))
                return;
        if (audit_cfg_bool(s, "userland-proxy") == 0)
                audit_emit(c, BH_STATUS_PASS, "the userland proxy is off");
        else
                audit_emit(c, BH_STATUS_FAIL,
                           "the userland proxy is on: a docker-proxy process listens for every "
                           "published port");
}

static void check_daemon_seccomp(const struct audit_snapshot *s, struct audit_ctx *c)
{
        const char *custom = audit_cfg_str(s, "seccomp-profile");
        if (custom && strcmp(custom, "unconfined") == 0) {
                audit_emit(c, BH_STATUS_FAIL,
                           "seccomp-profile is unconfined: containers get no "
                           "syscall filter by default");
                return;
        }
        if (s->info) {
                json_t *opts = bh_json_get(s->info, "SecurityOptions");
                size_t i;
                json_t *v;
                json_array_foreach(opts, i, v)
                {
                        const char *o = json_string_value(v);
                        if (o && bh_startswith(o, "name=seccomp")) {
                                const char *p = strstr(o, "profile=");
                                p = p ? p + 8 : "default";
                                if (strcmp(p, "unconfined") == 0)
                                        audit_emit(c, BH_STATUS_FAIL,
                                                   "the daemon's seccomp profile is unconfined");
                                else if (strcmp(p, "default") == 0)
                                        audit_emit(c, BH_STATUS_PASS,
                                                   "containers get the default seccomp profile");
                                else
                                        audit_emit(c, BH_STATUS_PASS,

                                                   "containers get the custom seccomp profile %s "
                                                   "by default",
                                                   p);
                                return;
                        }
                }
                audit_emit(c, BH_STATUS_FAIL,
                           "the daemon reports no seccomp support: containers get "
                           "no syscall filter");
                return;
        }
        if (custom) {
                audit_emit(c, BH_STATUS_PASS, "containers get the seccomp profile %s by default",
                           custom);
                return;
        }
        audit_emit(c, BH_STATUS_ERROR, "%s", s->api_fail.code ? s->api_fail.msg : "unknown");
}

static void check_experimental(const struct audit_snapshot *s, struct audit_ctx *c)
{
        bool on = false;
        if (s->podman) {
                audit_emit(c, BH_STATUS_NA,
                           "the engine is Podman; dockerd's experimental mode does not "
                           "apply");
                return;
        }
        if (!bh_json_bool_opt(s->info, "ExperimentalBuild", &on)) {
                if (audit_cfg_unavailable(s, c))
                        return;
                on = audit_cfg_bool(s, "experimental") == 1;
        }
        if (on)

                audit_emit(c, BH_STATUS_FAIL, "experimental features are on");
        else
                audit_emit(c, BH_STATUS_PASS, "experimental features are off");
}

const struct audit_check audit_checks_daemon[] = {
    {"daemon-rootless-or-userns", "2.1", "2.1", NULL,
     "The daemon runs rootless, or containers' root is remapped", 1, BH_SEV_MEDIUM,
     AUDIT_SCOPE_DAEMON,
     "Run the daemon in rootless mode (dockerd-rootless-setuptool.sh install) or, if that is "
     "not possible, set \"userns-remap\": \"default\" in daemon.json.",
     check_rootless_or_userns},
    {"daemon-icc-disabled", "2.2", "2.2", NULL,
     "Containers on the default bridge cannot talk to each other", 1, BH_SEV_MEDIUM,
     AUDIT_SCOPE_DAEMON,
     "Set \"icc\": false in daemon.json (or --icc=false) and connect containers that must talk "
     "through user-defined networks.",
     check_icc},
    {"daemon-log-level-info", "2.3", "2.3", NULL, "The daemon logs at level info", 1, BH_SEV_LOW,
     AUDIT_SCOPE_DAEMON, "Set \"log-level\": \"info\" in daemon.json, or remove the setting.",
     check_log_level},
    {"daemon-iptables-managed", "2.4", "2.4", NULL, "The daemon may change iptables", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_DAEMON,
     "Remove \"iptables\": false (or --iptables=false) so the daemon keeps container networks "
     "isolated in the firewall.",
     check_iptables},
    {"daemon-no-insecure-registries", "2.5", "2.5", NULL, "No insecure registries are used", 1,
     BH_SEV_HIGH, AUDIT_SCOPE_DAEMON,
     "Remove the entries from \"insecure-registries\" and serve those registries over TLS "
     "with a trusted certificate (/etc/docker/certs.d/HOST/ca.crt).",
     check_insecure_registries},
    {"daemon-no-aufs", "2.6", "2.6", NULL, "The aufs storage driver is not used", 1, BH_SEV_MEDIUM,
     AUDIT_SCOPE_ENGINE,
     "Move to the overlay2 storage driver (\"storage-driver\": \"overlay2\"); aufs is "
     "unmaintained.",
     check_aufs},
    {"daemon-no-devicemapper", NULL, "2.7", NULL, "The devicemapper storage driver is not used", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_ENGINE,
     "Move to the overlay2 storage driver; devicemapper is deprecated and removed from "
     "current releases.",
     check_devicemapper},
    {"daemon-tls-auth", "2.7", "2.8", NULL, "A daemon on TCP requires TLS client certificates", 1,
     BH_SEV_CRITICAL, AUDIT_SCOPE_DAEMON,
     "Listen on the unix socket only, or set tlsverify with tlscacert, tlscert and tlskey so "
     "only clients with a certificate from your CA are accepted.",
     check_tls},
    {"daemon-default-ulimits", "2.8", "2.9", NULL, "Default ulimits are set", 1, BH_SEV_LOW,
     AUDIT_SCOPE_DAEMON,
     "Set \"default-ulimits\" in daemon.json (nofile and nproc at least) to limits that fit "
     "your workloads.",
     check_default_ulimits},
    {"daemon-userns-remap", "2.9", "2.10", NULL, "User namespace remapping is on", 2, BH_SEV_MEDIUM,
     AUDIT_SCOPE_DAEMON,
     "Set \"userns-remap\": \"default\" in daemon.json (with ranges in /etc/subuid and "
     "/etc/subgid) and restart the daemon; images may need their file ownership checked.",
     check_userns_remap},
    {"daemon-cgroup-parent-default", "2.10", "2.11", NULL, "The default cgroup parent is confirmed",
     2, BH_SEV_LOW, AUDIT_SCOPE_DAEMON,
     "Remove \"cgroup-parent\" unless containers must live under that cgroup.",
     check_cgroup_parent},
    {"daemon-dm-basesize-default", "2.11", "2.12", NULL,
     "The base device size is left at its default", 2, BH_SEV_LOW, AUDIT_SCOPE_DAEMON,
     "Remove dm.basesize from \"storage-opts\" unless containers need larger base devices.",
     check_dm_basesize},
    {"daemon-authorization-plugin", "2.12", "2.13", NULL,
     "Access to the daemon goes through an authorization plugin", 2, BH_SEV_MEDIUM,
     AUDIT_SCOPE_DAEMON,
     "Install an authorization plugin and list it in \"authorization-plugins\" to control "
     "which client may do what.",
     check_authz_plugin},
    {"daemon-remote-logging", "2.13", "2.14", NULL, "Container logs are collected centrally", 2,
     BH_SEV_LOW, AUDIT_SCOPE_ENGINE,
     "Set \"log-driver\" to a driver that ships logs off the host (syslog, journald with "
     "forwarding, gelf, fluentd, awslogs, splunk...).",
     check_log_driver},
    {"daemon-no-new-privileges", "2.14", "2.15", NULL,
     "Containers cannot gain new privileges by default", 1, BH_SEV_MEDIUM, AUDIT_SCOPE_DAEMON,
     "Set \"no-new-privileges\": true in daemon.json.", check_no_new_privileges},
    {"daemon-live-restore", "2.15", "2.16", NULL, "Live restore is on", 1, BH_SEV_LOW,
     AUDIT_SCOPE_DAEMON, "Set \"live-restore\": true in daemon.json.", check_live_restore},
    {"daemon-userland-proxy-off", "2.16", "2.17", NULL, "The userland proxy is off", 1, BH_SEV_LOW,
     AUDIT_SCOPE_DAEMON,
     "Set \"userland-proxy\": false in daemon.json; the kernel's NAT forwards published ports.",
     check_userland_proxy},
    {"daemon-seccomp-profile", "2.17", "2.18", NULL,
     "A seccomp profile applies to containers by default", 2, BH_SEV_HIGH, AUDIT_SCOPE_DAEMON,
     "Remove \"seccomp-profile\": \"unconfined\"; keep the default profile or point "
     "\"seccomp-profile\" at a stricter one.",
     check_daemon_seccomp},
    {"daemon-no-experimental", "2.18", "2.19", NULL, "Experimental features are off in production",
     1, BH_SEV_LOW, AUDIT_SCOPE_DAEMON,
     "Remove \"experimental\": true (or --experimental) from the daemon's configuration.",
     check_experimental},
    {NULL},
};
