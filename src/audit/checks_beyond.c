/* Bulkhead's own checks: what the ten security steps need beyond the CIS
 * items: the confinement each container really runs under, root on the
 * host, user namespaces, rootless readiness, content trust of clients. */
#include "audit/checks.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/util.h"

#include <string.h>

static void check_seccomp_in_force(const struct audit_snapshot *s, const struct audit_container *ct,
                                   struct audit_ctx *c)
{
        if (audit_container_proc_missing(ct, c))
                return;
        const char *opt = NULL;
        bool has_opt = audit_container_security_opt(ct, "seccomp", &opt);
        const char *profile = !has_opt                         ? "the daemon's default"
                              : strcmp(opt, "unconfined") == 0 ? "unconfined"
                                                               : "a custom profile";
        if (json_is_true(bh_json_get(ct->inspect, "HostConfig.Privileged")))
                profile = "none (privileged)";
        switch (ct->proc.seccomp) {
        case 2:
                audit_emit(c, BH_STATUS_PASS, "%s runs under a seccomp filter (%s)", ct->name,
                           profile);
                break;
        case 1:
                audit_emit(c, BH_STATUS_PASS, "%s runs in strict seccomp mode", ct->name);
                break;
        case 0:
                audit_emit(c, BH_STATUS_FAIL, "%s runs with no seccomp filter (%s)", ct->name,
                           profile);
                break;
        default:
                audit_emit(c, BH_STATUS_ERROR, "the seccomp mode of %s could not be read",
                           ct->name);
        }
}

static void check_root_on_host(const struct audit_snapshot *s, const struct audit_container *ct,
                               struct audit_ctx *c)
{
        if (!ct->running) {
                audit_emit(c, BH_STATUS_NA, "%s is not running", ct->name);
                return;
        }
        if (ct->proc.fail.code || ct->proc.uid < 0) {
                audit_emit(c, BH_STATUS_ERROR, "%s",
                           ct->proc.fail.code ? ct->proc.fail.msg
                                              : "the process's user is unknown");
                return;
        }
        if (ct->proc.uid == 0 && ct->proc.uid_map_identity)
                audit_emit(c, BH_STATUS_FAIL,
                           "%s's main process is root on the host (uid 0, no user "
                           "namespace)",
                           ct->name);
        else if (ct->proc.uid == 0)
                audit_emit(c, BH_STATUS_FAIL, "%s's main process runs as host uid 0", ct->name);
        else
                audit_emit(c, BH_STATUS_PASS, "%s's main process runs as host uid %ld", ct->name,
                           ct->proc.uid);
}

static void check_user_namespace(const struct audit_snapshot *s, const struct audit_container *ct,
                                 struct audit_ctx *c)
{
        if (audit_container_proc_missing(ct, c))
                return;
        if (ct->proc.uid_map_identity)
                audit_emit(c, BH_STATUS_WARN, "%s shares the host's user ids (no user namespace)",
                           ct->name);
        else
                audit_emit(c, BH_STATUS_PASS, "%s runs in its own user namespace", ct->name);
}

static void check_image_user(const struct audit_snapshot *s, const struct audit_image *im,
                             struct audit_ctx *c)
{
        const char *user = bh_json_str(im->inspect, "Config.User");
        if (audit_user_is_root(user))
                audit_emit(c, BH_STATUS_FAIL, "%s runs as root unless told otherwise (USER \"%s\")",
                           im->name, user ? user : "");
        else
                audit_emit(c, BH_STATUS_PASS, "%s runs as user %s", im->name, user);
}

static bool has_range(const struct audit_user_entry *e, size_t n, unsigned long min)
{
        for (size_t i = 0; i < n; i++)
                if (e[i].count >= min)
                        return true;
        return false;
}

static void check_rootless_ready(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (audit_daemon_rootless(s)) {
                audit_emit(c, BH_STATUS_PASS, "the daemon already runs rootless");
                return;
        }
        struct bh_buf missing = BH_BUF_INIT;
        if (!s->newuidmap)
                bh_buf_puts(&missing, "newuidmap is not installed (package uidmap)");
        else if (!s->newuidmap_privileged)
                bh_buf_printf(&missing, "%s is neither setuid root nor has file capabilities",
                              s->newuidmap);
        if (!s->newgidmap)
                bh_buf_printf(&missing, "%snewgidmap is not installed", missing.len ? "; " : "");
        else if (!s->newgidmap_privileged)
                bh_buf_printf(&missing, "%s%s is neither setuid root nor has file capabilities",
                              missing.len ? "; " : "", s->newgidmap);
        if (!has_range(s->subuids, s->nsubuids, 65536))
                bh_buf_printf(&missing, "%sno user has 65536 subordinate uids in /etc/subuid",
                              missing.len ? "; " : "");
        if (!has_range(s->subgids, s->nsubgids, 65536))
                bh_buf_printf(&missing, "%sno user has 65536 subordinate gids in /etc/subgid",
                              missing.len ? "; " : "");
        if (s->sysctl_unprivileged_userns_clone == 0)
                bh_buf_printf(&missing, "%skernel.unprivileged_userns_clone is 0",
                              missing.len ? "; " : "");
        if (s->sysctl_max_user_namespaces == 0)
                bh_buf_printf(&missing, "%suser.max_user_namespaces is 0", missing.len ? "; " : "");
        if (s->sysctl_apparmor_restrict_userns == 1)
                bh_buf_printf(
                    &missing,
                    "%skernel.apparmor_restrict_unprivileged_userns is 1 (rootlesskit needs "
                    "an AppArmor profile)",
                    missing.len ? "; " : "");
        if (missing.len)
                audit_emit(c, BH_STATUS_WARN,
                           "the daemon runs as root and this host is not ready for "
                           "rootless mode: %s",
                           missing.data);
        else
                audit_emit(c, BH_STATUS_WARN,
                           "this host is ready for rootless mode, but the daemon runs as root");
        bh_buf_free(&missing);
}

static void check_client_content_trust(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (!s->docker_client_envs) {
                audit_emit(c, BH_STATUS_INFO, "no docker client process is running to inspect");
                return;
        }
        struct bh_buf b = BH_BUF_INIT;
        for (size_t i = 0; s->docker_client_envs[i]; i++)
                bh_buf_printf(&b, "%s%s", i ? "; " : "", s->docker_client_envs[i]);
        audit_emit(c, BH_STATUS_INFO, "DOCKER_CONTENT_TRUST of running docker clients: %s", b.data);
        bh_buf_free(&b);
}

#define BEYOND(rule, id, title, level, sev, scope, fix, h, ct, im)                                 \
        {                                                                                          \
                rule, NULL, NULL, id, title, level, sev, scope, fix, h, ct, im                     \
        }

const struct audit_check audit_checks_beyond[] = {
    BEYOND("container-seccomp-in-force", "BH-1",
           "Each running container is filtered by seccomp, as /proc shows", 1, BH_SEV_HIGH,
           AUDIT_SCOPE_CONTAINER,
           "Run the container with the default seccomp profile or a custom one; never "
           "unconfined or privileged.",
           NULL, check_seccomp_in_force, NULL),
    BEYOND("container-not-root-on-host", "BH-2", "Containers do not run as root on the host", 1,
           BH_SEV_HIGH, AUDIT_SCOPE_CONTAINER,
           "Run as a non-root user (--user or USER), or remap root with userns-remap or a "
           "rootless daemon.",
           NULL, check_root_on_host, NULL),
    BEYOND("container-user-namespace", "BH-3", "Containers run in a user namespace", 2,
           BH_SEV_MEDIUM, AUDIT_SCOPE_CONTAINER,
           "Enable userns-remap in daemon.json or run the daemon rootless.", NULL,
           check_user_namespace, NULL),
    BEYOND("image-user-not-root", "BH-4", "Images name a non-root USER", 1, BH_SEV_MEDIUM,
           AUDIT_SCOPE_IMAGE, "Add USER with a non-zero numeric uid to the image's final stage.",
           NULL, NULL, check_image_user),
    BEYOND("host-rootless-ready", "BH-5", "The daemon runs rootless, or the host is ready to", 2,
           BH_SEV_LOW, AUDIT_SCOPE_DAEMON,
           "Install uidmap, give the service user 65536 ids in /etc/subuid and /etc/subgid, "
           "allow unprivileged user namespaces, then run dockerd-rootless-setuptool.sh install.",
           check_rootless_ready, NULL, NULL),
    BEYOND("client-content-trust", "BH-6", "Docker clients verify content trust", 2, BH_SEV_INFO,
           AUDIT_SCOPE_HOST, "Export DOCKER_CONTENT_TRUST=1 in the clients' environment.",
           check_client_content_trust, NULL, NULL),
    {NULL},
};
