/* CIS section 3: ownership and permissions of the daemon's files. Modes are
 * compared bit by bit: 0602 is not "644 or stricter". */
#include "audit/checks.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>

static bool owner_is(const struct audit_file *f, const char *user)
{
        if (f->user)
                return strcmp(f->user, user) == 0;
        return strcmp(user, "root") == 0 && f->uid == 0;
}

static bool group_is(const struct audit_file *f, const char *group)
{
        if (f->group)
                return strcmp(f->group, group) == 0;
        return strcmp(group, "root") == 0 && f->gid == 0;
}

/* Returns the file when it can be judged; otherwise emits na or error. */
static const struct audit_file *judgeable(const struct audit_snapshot *s, struct audit_ctx *c,
                                          const char *path)
{
        const struct audit_file *f = audit_snapshot_file(s, path);
        if (!f) {
                audit_emit_file(c, BH_STATUS_ERROR, path, "%s was not examined", path);
                return NULL;
        }
        if (f->err == ENOENT) {
                audit_emit_file(c, BH_STATUS_NA, path, "%s does not exist", path);
                return NULL;
        }
        if (f->err) {
                audit_emit_file(c, BH_STATUS_ERROR, path, "%s",
                                f->errmsg[0] ? f->errmsg : strerror(f->err));
                return NULL;
        }
        return f;
}

static const char *name_or_id(const char *name, unsigned id, char buf[24])
{
        if (name)
                return name;
        snprintf(buf, 24, "%u", id);
        return buf;
}

void audit_judge_owner(const struct audit_snapshot *s, struct audit_ctx *c, const char *path,
                       const char *want_user, const char *want_group)
{
        const struct audit_file *f = judgeable(s, c, path);
        if (!f)
                return;
        char ub[24], gb[24];
        const char *u = name_or_id(f->user, f->uid, ub), *g = name_or_id(f->group, f->gid, gb);
        bool ok = owner_is(f, want_user) && (!want_group || group_is(f, want_group));
        audit_emit_file(c, ok ? BH_STATUS_PASS : BH_STATUS_FAIL, path,
                        "%s is owned by %s:%s%s%s%s%s", path, u, g, ok ? "" : ", not ",
                        ok ? "" : want_user, ok || !want_group ? "" : ":",
                        ok || !want_group ? "" : want_group);
}

void audit_judge_mode(const struct audit_snapshot *s, struct audit_ctx *c, const char *path,
                      mode_t max_mode)
{
        const struct audit_file *f = judgeable(s, c, path);
        if (!f)
                return;
        mode_t perm = f->mode & 07777;
        mode_t extra = perm & ~max_mode;
        if (extra == 0)
                audit_emit_file(c, BH_STATUS_PASS, path, "%s has mode %04o", path, (unsigned)perm);
        else
                audit_emit_file(c, BH_STATUS_FAIL, path,
                                "%s has mode %04o; bits %04o are more than %04o allows", path,
                                (unsigned)perm, (unsigned)extra, (unsigned)max_mode);
}

/* Section 3's file rules: every file of the rule is judged and reported;
 * none at all is not applicable. */
static void check_file_rule(const struct audit_snapshot *s, struct audit_ctx *c)
{
        const struct audit_path_rule *r = audit_ctx_arg(c);
        if ((r->source == AUDIT_PATHS_CONFIG_KEY && audit_cfg_unavailable(s, c)) ||
            audit_rule_paths_unknown(s, r, c))
                return;
        _cleanup_strv_ char **paths = audit_rule_paths(s, r);
        if (!paths) {
                if (r->source == AUDIT_PATHS_CONFIG_KEY)
                        audit_emit(c, BH_STATUS_NA, "%s is not configured", r->path);
                else
                        audit_emit(c, BH_STATUS_NA, "there is no %s on this host", r->what);
                return;
        }
        for (size_t i = 0; paths[i]; i++) {
                if (r->owner)
                        audit_judge_owner(s, c, paths[i], r->owner, r->group);
                else
                        audit_judge_mode(s, c, paths[i], r->max_mode);
        }
}

static void check_docker_sock_owner(const struct audit_snapshot *s, struct audit_ctx *c)
{
        const char *group = audit_cfg_str(s, "group");
        if (!s->docker_sockets) {
                audit_emit(c, BH_STATUS_NA, "the daemon listens on no unix socket");
                return;
        }
        for (size_t i = 0; s->docker_sockets[i]; i++) {
                if (audit_daemon_rootless(s) && s->dockerd_uid > 0) {
                        /* a rootless daemon's socket belongs to the user running it */
                        audit_judge_owner(s, c, s->docker_sockets[i],
                                          s->dockerd_user ? s->dockerd_user : "?", NULL);
                } else {
                        audit_judge_owner(s, c, s->docker_sockets[i], "root",
                                          group ? group : "docker");
                }
        }
}

static void check_docker_sock_mode(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (!s->docker_sockets) {
                audit_emit(c, BH_STATUS_NA, "the daemon listens on no unix socket");
                return;
        }
        for (size_t i = 0; s->docker_sockets[i]; i++)
                audit_judge_mode(s, c, s->docker_sockets[i], 0660);
}

#define CHOWN_FIX(what) "Run chown root:root " what "."
#define CHMOD_FIX(mode, what) "Run chmod " mode " " what " (or stricter)."

const struct audit_check audit_checks_files[] = {
    {"file-docker-service-owner", "3.1", "3.1", NULL, "docker.service is owned by root:root", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST, CHOWN_FIX("on the docker.service unit and its drop-ins"),
     check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_SERVICE_UNITS, NULL, "docker.service unit", "root",
                                     "root"}},
    {"file-docker-service-mode", "3.2", "3.2", NULL, "docker.service has mode 644 or stricter", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST,
     CHMOD_FIX("644", "on the docker.service unit and its drop-ins"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_SERVICE_UNITS, NULL, "docker.service unit", NULL,
                                     NULL, 0644}},
    {"file-docker-socket-unit-owner", "3.3", "3.3", NULL, "docker.socket is owned by root:root", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST, CHOWN_FIX("on the docker.socket unit and its drop-ins"),
     check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_SOCKET_UNITS, NULL, "docker.socket unit", "root",
                                     "root"}},
    {"file-docker-socket-unit-mode", "3.4", "3.4", NULL, "docker.socket has mode 644 or stricter",
     1, BH_SEV_MEDIUM, AUDIT_SCOPE_HOST,
     CHMOD_FIX("644", "on the docker.socket unit and its drop-ins"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_SOCKET_UNITS, NULL, "docker.socket unit", NULL,
                                     NULL, 0644}},
    {"file-etc-docker-owner", "3.5", "3.5", NULL, "/etc/docker is owned by root:root", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST, CHOWN_FIX("/etc/docker"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_FIXED, "/etc/docker", "/etc/docker", "root",
                                     "root"}},
    {"file-etc-docker-mode", "3.6", "3.6", NULL, "/etc/docker has mode 755 or stricter", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST, CHMOD_FIX("755", "/etc/docker"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_FIXED, "/etc/docker", "/etc/docker", NULL, NULL,
                                     0755}},
    {"file-registry-certs-owner", "3.7", "3.7", NULL,
     "Registry certificates are owned by root:root", 1, BH_SEV_MEDIUM, AUDIT_SCOPE_HOST,
     CHOWN_FIX("on every file under /etc/docker/certs.d"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_REGISTRY_CERTS, NULL,
                                     "registry certificate under /etc/docker/certs.d", "root",
                                     "root"}},
    {"file-registry-certs-mode", "3.8", "3.8", NULL,
     "Registry certificates have mode 444 or stricter", 1, BH_SEV_MEDIUM, AUDIT_SCOPE_HOST,
     CHMOD_FIX("444", "on every file under /etc/docker/certs.d"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_REGISTRY_CERTS, NULL,
                                     "registry certificate under /etc/docker/certs.d", NULL, NULL,
                                     0444}},
    {"file-tlscacert-owner", "3.9", "3.9", NULL, "The TLS CA certificate is owned by root:root", 1,
     BH_SEV_MEDIUM, AUDIT_SCOPE_DAEMON, CHOWN_FIX("on the file named by tlscacert"),
     check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_CONFIG_KEY, "tlscacert", "TLS CA certificate",
                                     "root", "root"}},
    {"file-tlscacert-mode", "3.10", "3.10", NULL, "The TLS CA certificate has mode 444 or stricter",
     1, BH_SEV_MEDIUM, AUDIT_SCOPE_DAEMON, CHMOD_FIX("444", "on the file named by tlscacert"),
     check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_CONFIG_KEY, "tlscacert", "TLS CA certificate",
                                     NULL, NULL, 0444}},
    {"file-tlscert-owner", "3.11", "3.11", NULL,
     "The daemon's TLS certificate is owned by root:root", 1, BH_SEV_MEDIUM, AUDIT_SCOPE_DAEMON,
     CHOWN_FIX("on the file named by tlscert"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_CONFIG_KEY, "tlscert", "TLS certificate", "root",
                                     "root"}},
    {"file-tlscert-mode", "3.12", "3.12", NULL,
     "The daemon's TLS certificate has mode 444 or stricter", 1, BH_SEV_MEDIUM, AUDIT_SCOPE_DAEMON,
     CHMOD_FIX("444", "on the file named by tlscert"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_CONFIG_KEY, "tlscert", "TLS certificate", NULL,
                                     NULL, 0444}},
    {"file-tlskey-owner", "3.13", "3.13", NULL, "The daemon's TLS key is owned by root:root", 1,
     BH_SEV_HIGH, AUDIT_SCOPE_DAEMON, CHOWN_FIX("on the file named by tlskey"), check_file_rule,
     NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_CONFIG_KEY, "tlskey", "TLS key", "root", "root"}},
    {"file-tlskey-mode", "3.14", "3.14", NULL, "The daemon's TLS key has mode 400", 1, BH_SEV_HIGH,
     AUDIT_SCOPE_DAEMON, CHMOD_FIX("400", "on the file named by tlskey"), check_file_rule, NULL,
     NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_CONFIG_KEY, "tlskey", "TLS key", NULL, NULL,
                                     0400}},
    {"file-docker-sock-owner", "3.15", "3.15", NULL, "The Docker socket is owned by root:docker", 1,
     BH_SEV_HIGH, AUDIT_SCOPE_HOST,
     "Run chown root:docker on the Docker socket (a rootless daemon's socket belongs to its "
     "user).",
     check_docker_sock_owner},
    {"file-docker-sock-mode", "3.16", "3.16", NULL, "The Docker socket has mode 660 or stricter", 1,
     BH_SEV_HIGH, AUDIT_SCOPE_HOST, CHMOD_FIX("660", "on the Docker socket"),
     check_docker_sock_mode},
    {"file-daemon-json-owner", "3.17", "3.17", NULL, "daemon.json is owned by root:root", 2,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST, CHOWN_FIX("/etc/docker/daemon.json"), check_file_rule, NULL,
     NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_DAEMON_JSON, NULL, "daemon.json", "root", "root"}},
    {"file-daemon-json-mode", "3.18", "3.18", NULL, "daemon.json has mode 644 or stricter", 2,
     BH_SEV_MEDIUM, AUDIT_SCOPE_HOST, CHMOD_FIX("644", "/etc/docker/daemon.json"), check_file_rule,
     NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_DAEMON_JSON, NULL, "daemon.json", NULL, NULL,
                                     0644}},
    {"file-etc-default-docker-owner", "3.19", "3.19", NULL,
     "/etc/default/docker is owned by root:root", 2, BH_SEV_MEDIUM, AUDIT_SCOPE_HOST,
     CHOWN_FIX("/etc/default/docker"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_FIXED, "/etc/default/docker",
                                     "/etc/default/docker", "root", "root"}},
    {"file-etc-default-docker-mode", "3.20", "3.20", NULL,
     "/etc/default/docker has mode 644 or stricter", 2, BH_SEV_MEDIUM, AUDIT_SCOPE_HOST,
     CHMOD_FIX("644", "/etc/default/docker"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_FIXED, "/etc/default/docker",
                                     "/etc/default/docker", NULL, NULL, 0644}},
    {"file-etc-sysconfig-docker-mode", "3.21", "3.21", NULL,
     "/etc/sysconfig/docker has mode 644 or stricter", 2, BH_SEV_MEDIUM, AUDIT_SCOPE_HOST,
     CHMOD_FIX("644", "/etc/sysconfig/docker"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_FIXED, "/etc/sysconfig/docker",
                                     "/etc/sysconfig/docker", NULL, NULL, 0644}},
    {"file-etc-sysconfig-docker-owner", "3.22", "3.22", NULL,
     "/etc/sysconfig/docker is owned by root:root", 2, BH_SEV_MEDIUM, AUDIT_SCOPE_HOST,
     CHOWN_FIX("/etc/sysconfig/docker"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_FIXED, "/etc/sysconfig/docker",
                                     "/etc/sysconfig/docker", "root", "root"}},
    {"file-containerd-sock-owner", "3.23", "3.23", NULL,
     "The containerd socket is owned by root:root", 1, BH_SEV_HIGH, AUDIT_SCOPE_HOST,
     CHOWN_FIX("on the containerd socket"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_CONTAINERD_SOCKETS, NULL, "containerd socket",
                                     "root", "root"}},
    {"file-containerd-sock-mode", "3.24", "3.24", NULL,
     "The containerd socket has mode 660 or stricter", 1, BH_SEV_HIGH, AUDIT_SCOPE_HOST,
     CHMOD_FIX("660", "on the containerd socket"), check_file_rule, NULL, NULL,
     &(const struct audit_path_rule){AUDIT_PATHS_CONTAINERD_SOCKETS, NULL, "containerd socket",
                                     NULL, NULL, 0660}},
    {NULL},
};
