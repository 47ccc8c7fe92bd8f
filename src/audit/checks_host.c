/* CIS section 1: host configuration. */
#include "audit/audit_rules.h"
#include "audit/checks.h"
#include "audit/engine_eol.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

static const struct audit_mount *mount_of(const struct audit_snapshot *s, const char *path)
{
        const struct audit_mount *best = NULL;
        size_t best_len = 0;
        for (size_t i = 0; i < s->nmounts; i++) {
                const char *mp = s->mounts[i].mount_point;
                size_t n = strlen(mp);
                bool inside = strcmp(mp, "/") == 0 ||
                              (strncmp(path, mp, n) == 0 && (path[n] == '/' || path[n] == '\0'));
                if (inside && n >= best_len) { /* later mounts over the same point win */
                        best = &s->mounts[i];
                        best_len = n;
                }
        }
        return best;
}

static void check_separate_partition(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (!s->docker_root) {
                audit_emit(c, BH_STATUS_ERROR, "the Docker root directory is unknown: %s",
                           s->api_fail.code ? s->api_fail.msg : "the daemon did not report it");
                return;
        }
        const struct audit_mount *m = mount_of(s, s->docker_root);
        if (!m) {
                audit_emit(c, BH_STATUS_ERROR, "no mount of this host contains %s", s->docker_root);
                return;
        }
        const struct audit_mount *root = mount_of(s, "/");
        if (strcmp(m->mount_point, "/") == 0)
                audit_emit(c, BH_STATUS_FAIL, "%s is on the root filesystem", s->docker_root);
        else if (root && m->device && root->device && strcmp(m->device, root->device) == 0)
                audit_emit(c, BH_STATUS_FAIL,
                           "%s is mounted at %s, but from the root filesystem's device (%s)",
                           s->docker_root, m->mount_point, m->device);
        else
                audit_emit(c, BH_STATUS_PASS, "%s is on its own filesystem, mounted at %s (%s)",
                           s->docker_root, m->mount_point, m->fstype ? m->fstype : "?");
}

static char *join(char *const *v, const char *sep)
{
        struct bh_buf b = BH_BUF_INIT;
        for (size_t i = 0; v && v[i]; i++) {
                if (i)
                        bh_buf_puts(&b, sep);
                bh_buf_puts(&b, v[i]);
        }
        return bh_buf_steal(&b);
}

static void check_docker_group(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (s->users_fail.code) {
                audit_emit(c, BH_STATUS_ERROR, "%s", s->users_fail.msg);
                return;
        }
        const char *group = s->socket_group ? s->socket_group : "docker";
        if (bh_strv_len(s->socket_group_members) == 0) {
                audit_emit(c, BH_STATUS_PASS,
                           "no user is a member of group %s, which owns the socket", group);
                return;
        }
        _cleanup_free_ char *members = join(s->socket_group_members, ", ");
        if (!s->trusted_users) {
                audit_emit(
                    c, BH_STATUS_MANUAL,
                    "members of group %s can control the daemon, which is root on this host: "
                    "%s (name the trusted ones with --trusted-users to judge)",
                    group, members);
                return;
        }
        char **untrusted = NULL;
        for (size_t i = 0; s->socket_group_members[i]; i++)
                if (!bh_strv_contains(s->trusted_users, s->socket_group_members[i]))
                        bh_strv_push(&untrusted, s->socket_group_members[i]);
        if (untrusted) {
                _cleanup_free_ char *list = join(untrusted, ", ");
                audit_emit(c, BH_STATUS_FAIL, "group %s has members who are not trusted: %s", group,
                           list);
                bh_strv_free(untrusted);
        } else {
                audit_emit(c, BH_STATUS_PASS, "every member of group %s is trusted: %s", group,
                           members);
        }
}

/* Judges whether path is watched by the kernel's audit rules. what names it
 * for messages when path is NULL (not on this host). */
static void judge_watched(const struct audit_snapshot *s, struct audit_ctx *c, const char *path,
                          const char *what)
{
        if (!path) {
                audit_emit(c, BH_STATUS_NA, "there is no %s on this host", what);
                return;
        }
        const struct audit_file *f = audit_snapshot_file(s, path);
        if (!f || f->err == ENOENT) {
                audit_emit(c, BH_STATUS_NA, "%s does not exist on this host", path);
                return;
        }
        bool in_files = s->file_rules.available &&
                        (audit_rules_cover(s->file_rules.paths, path) ||
                         (f->real && audit_rules_cover(s->file_rules.paths, f->real)));
        if (s->kernel_rules.fail.code == EPROTONOSUPPORT) {
                audit_emit(c, BH_STATUS_FAIL, "%s is not audited: the kernel has no audit support",
                           path);
                return;
        }
        if (s->kernel_rules.fail.code) {
                audit_emit(c, BH_STATUS_ERROR, "%s; the rules files %s %s",
                           s->kernel_rules.fail.msg, in_files ? "do watch" : "do not watch", path);
                return;
        }
        bool loaded = audit_rules_cover(s->kernel_rules.paths, path) ||
                      (f->real && audit_rules_cover(s->kernel_rules.paths, f->real));
        if (loaded)
                audit_emit(c, BH_STATUS_PASS, "the kernel audits %s", path);
        else if (in_files)
                audit_emit(c, BH_STATUS_WARN,
                           "the rules files watch %s but the kernel has not loaded that rule "
                           "(run augenrules --load)",
                           path);
        else
                audit_emit(c, BH_STATUS_FAIL, "no audit rule watches %s", path);
}

/* 1.1.3 to 1.1.18: the first path of the rule is watched. */
static void check_watched(const struct audit_snapshot *s, struct audit_ctx *c)
{
        const struct audit_path_rule *r = audit_ctx_arg(c);
        if (audit_rule_paths_unknown(s, r, c))
                return;
        _cleanup_strv_ char **paths = audit_rule_paths(s, r);
        judge_watched(s, c, paths ? paths[0] : NULL, r->what);
}

static void check_host_hardened(const struct audit_snapshot *s, struct audit_ctx *c)
{
        audit_emit(
            c, BH_STATUS_MANUAL,
            "hardening of the host itself (kernel, packages, services) is beyond this audit; "
            "follow the benchmark for your distribution");
}

static void check_engine_version(const struct audit_snapshot *s, struct audit_ctx *c)
{
        const char *v = bh_json_str(s->version, "Version");
        if (!v)
                v = bh_json_str(s->info, "ServerVersion");
        if (!v) {
                audit_emit(c, BH_STATUS_ERROR, "the daemon did not report its version");
                return;
        }
        if (s->podman) {
                audit_emit(
                    c, BH_STATUS_MANUAL,
                    "the engine is Podman %s: check that your distribution still maintains it", v);
                return;
        }
        struct engine_support es = engine_support_of(v, s->now);

        if (!es.known) {
                audit_emit(
                    c, BH_STATUS_PASS,
                    "Docker Engine %s is newer than the releases this build of bulkhead knows; "
                    "check that it is the latest patch release",
                    v);
                return;
        }
        if (!es.eol) {
                audit_emit(
                    c, BH_STATUS_PASS,
                    "Docker Engine %s is a maintained release%s%s; check that it is the latest "
                    "patch release",
                    v, es.eol_date[0] ? " until about " : "", es.eol_date);
                return;
        }
        if (es.distribution)
                audit_emit(c, BH_STATUS_WARN,
                           "Docker Engine %s: upstream stopped maintaining %s on %s; this is a "
                           "distribution build, so security fixes come only from the distribution",
                           v, es.major, es.eol_date);
        else
                audit_emit(c, BH_STATUS_FAIL,
                           "Docker Engine %s: upstream stopped maintaining %s on %s", v, es.major,
                           es.eol_date);
}

#define AUDIT_FIX(what)                                                                            \
        "Add an audit rule for " what ", e.g. a line '-w PATH -k docker' in "                      \
        "/etc/audit/rules.d/docker.rules, then load it with 'augenrules --load'."

const struct audit_check audit_checks_host[] = {
    {"host-separate-partition", "1.1.1", "1.1.1", NULL, "Containers have their own partition", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST,
     "Put the Docker root directory (docker info: Docker Root Dir) on its own filesystem, so "
     "a container filling it cannot fill the host's root filesystem.",
     check_separate_partition},
    {"host-docker-group-trusted", "1.1.2", "1.1.2", NULL,
     "Only trusted users control the Docker daemon", 1, BH_SEV_HIGH, AUDIT_SCOPE_HOST,
     "Remove untrusted users from the group that owns the Docker socket (gpasswd -d USER "
     "docker); membership is equivalent to root.",
     check_docker_group},
    {"host-audit-dockerd", "1.1.3", "1.1.3", NULL, "The dockerd program is audited", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST, AUDIT_FIX("the dockerd program"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_DOCKERD, NULL, "dockerd program"}},
    {"host-audit-run-containerd", "1.1.4", "1.1.4", NULL, "/run/containerd is audited", 1,
     BH_SEV_LOW, AUDIT_SCOPE_HOST, AUDIT_FIX("/run/containerd"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_FIXED, "/run/containerd", "/run/containerd"}},
    {"host-audit-docker-root", "1.1.5", "1.1.5", NULL, "The Docker root directory is audited", 1,
     BH_SEV_LOW, AUDIT_SCOPE_HOST, AUDIT_FIX("the Docker root directory"), check_watched, NULL,
     NULL, &(const struct audit_path_rule){AUDIT_PATHS_DOCKER_ROOT, NULL, "Docker root directory"}},
    {"host-audit-etc-docker", "1.1.6", "1.1.6", NULL, "/etc/docker is audited", 1, BH_SEV_LOW,
     AUDIT_SCOPE_HOST, AUDIT_FIX("/etc/docker"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_FIXED, "/etc/docker", "/etc/docker"}},
    {"host-audit-docker-service", "1.1.7", "1.1.7", NULL, "The docker.service unit is audited", 2,
     BH_SEV_LOW, AUDIT_SCOPE_HOST, AUDIT_FIX("the docker.service unit file"), check_watched, NULL,
     NULL, &(const struct audit_path_rule){AUDIT_PATHS_SERVICE_UNITS, NULL, "docker.service unit"}},
    {"host-audit-containerd-sock", "1.1.8", "1.1.8", NULL, "The containerd socket is audited", 2,
     BH_SEV_LOW, AUDIT_SCOPE_HOST, AUDIT_FIX("the containerd socket"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_CONTAINERD_SOCKETS, NULL, "containerd socket"}},
    {"host-audit-docker-socket", "1.1.9", "1.1.9", NULL, "The docker.socket unit is audited", 2,
     BH_SEV_LOW, AUDIT_SCOPE_HOST, AUDIT_FIX("the docker.socket unit file"), check_watched, NULL,
     NULL, &(const struct audit_path_rule){AUDIT_PATHS_SOCKET_UNITS, NULL, "docker.socket unit"}},
    {"host-audit-etc-default-docker", "1.1.10", "1.1.10", NULL, "/etc/default/docker is audited", 2,
     BH_SEV_LOW, AUDIT_SCOPE_HOST, AUDIT_FIX("/etc/default/docker"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_FIXED, "/etc/default/docker",
                                     "/etc/default/docker"}},
    {"host-audit-daemon-json", "1.1.11", "1.1.11", NULL, "daemon.json is audited", 2, BH_SEV_LOW,
     AUDIT_SCOPE_HOST, AUDIT_FIX("the daemon.json file"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_DAEMON_JSON, NULL, "daemon.json"}},
    {"host-audit-containerd-config", "1.1.12", "1.1.12", NULL,
     "/etc/containerd/config.toml is audited", 2, BH_SEV_LOW, AUDIT_SCOPE_HOST,
     AUDIT_FIX("/etc/containerd/config.toml"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_FIXED, "/etc/containerd/config.toml",
                                     "containerd config.toml"}},
    {"host-audit-etc-sysconfig-docker", "1.1.13", "1.1.13", NULL,
     "/etc/sysconfig/docker is audited", 2, BH_SEV_LOW, AUDIT_SCOPE_HOST,
     AUDIT_FIX("/etc/sysconfig/docker"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_FIXED, "/etc/sysconfig/docker",
                                     "/etc/sysconfig/docker"}},
    {"host-audit-containerd", "1.1.14", "1.1.14", NULL, "The containerd program is audited", 2,
     BH_SEV_LOW, AUDIT_SCOPE_HOST, AUDIT_FIX("the containerd program"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_CONTAINERD, NULL, "containerd program"}},
    {"host-audit-containerd-shim", "1.1.15", "1.1.15", NULL,
     "The containerd-shim program is audited", 2, BH_SEV_LOW, AUDIT_SCOPE_HOST,
     AUDIT_FIX("the containerd-shim program"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_SHIM, NULL, "containerd-shim program"}},
    {"host-audit-containerd-shim-runc-v1", "1.1.16", "1.1.16", NULL,
     "The containerd-shim-runc-v1 program is audited", 2, BH_SEV_LOW, AUDIT_SCOPE_HOST,
     AUDIT_FIX("the containerd-shim-runc-v1 program"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_SHIM_V1, NULL, "containerd-shim-runc-v1 program"}},
    {"host-audit-containerd-shim-runc-v2", "1.1.17", "1.1.17", NULL,
     "The containerd-shim-runc-v2 program is audited", 2, BH_SEV_LOW, AUDIT_SCOPE_HOST,
     AUDIT_FIX("the containerd-shim-runc-v2 program"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_SHIM_V2, NULL, "containerd-shim-runc-v2 program"}},
    {"host-audit-runc", "1.1.18", "1.1.18", NULL, "The runc program is audited", 2, BH_SEV_LOW,
     AUDIT_SCOPE_HOST, AUDIT_FIX("the runc program"), check_watched, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_RUNC, NULL, "runc program"}},
    {"host-hardened", "1.2.1", "1.2.1", NULL, "The host is hardened", 1, BH_SEV_MEDIUM,
     AUDIT_SCOPE_HOST, "Harden the host with your distribution's benchmark.", check_host_hardened},
    {"engine-version-supported", "1.2.2", "1.2.2", NULL,
     "The Docker Engine is a maintained release", 1, BH_SEV_HIGH, AUDIT_SCOPE_ENGINE,
     "Upgrade to a maintained Docker Engine release and keep it at the latest patch release.",
     check_engine_version},
    {NULL},
};
