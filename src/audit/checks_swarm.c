/* CIS section 7: swarm mode. Not applicable on a node without an active swarm. */
#include "audit/checks.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/util.h"

#include <string.h>

static bool is_manager(const struct audit_snapshot *s)
{
        return bh_json_bool(s->info, "Swarm.ControlAvailable", false);
}

static bool manager_only(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (is_manager(s) && s->swarm)
                return false;
        if (!is_manager(s))
                audit_emit(c, BH_STATUS_NA, "this node is a swarm worker; judge this on a manager");
        else
                audit_emit(c, BH_STATUS_ERROR, "%s",
                           s->swarm_fail.code ? s->swarm_fail.msg
                                              : "the swarm could not be inspected");
        return true;
}

static void check_managers(const struct audit_snapshot *s, struct audit_ctx *c)
{
        long long managers = bh_json_int(s->info, "Swarm.Managers", -1);
        long long nodes = bh_json_int(s->info, "Swarm.Nodes", -1);
        if (managers < 0) {
                audit_emit(c, BH_STATUS_ERROR, "the daemon did not report the number of managers");
                return;
        }
        if (managers % 2 == 0 || managers > 7)
                audit_emit(c, BH_STATUS_WARN,
                           "%lld managers for %lld nodes: use an odd number, at most 7, to keep a "
                           "quorum without extra overhead",
                           managers, nodes);
        else
                audit_emit(c, BH_STATUS_PASS, "%lld manager%s for %lld nodes", managers,
                           managers == 1 ? "" : "s", nodes);
}

static void check_listen_interface(const struct audit_snapshot *s, struct audit_ctx *c)
{
        struct bh_buf b = BH_BUF_INIT;
        for (size_t i = 0; s->tcp_listeners && s->tcp_listeners[i]; i++) {
                const char *l = s->tcp_listeners[i];
                if (bh_startswith(l, "0.0.0.0:2377") || bh_startswith(l, "[::]:2377"))
                        bh_buf_printf(&b, "%s%s", b.len ? ", " : "", l);
        }
        if (b.len)
                audit_emit(c, BH_STATUS_FAIL, "the swarm port listens on every interface (%s)",
                           b.data);
        else
                audit_emit(c, BH_STATUS_PASS, "the swarm port is bound to a specific address (%s)",
                           bh_json_str(s->info, "Swarm.NodeAddr")
                               ? bh_json_str(s->info, "Swarm.NodeAddr")
                               : "?");
        bh_buf_free(&b);
}

static void check_overlay_encrypted(const struct audit_snapshot *s, struct audit_ctx *c)
{
        struct bh_buf b = BH_BUF_INIT;
        size_t i, overlays = 0;
        json_t *n;
        json_array_foreach(s->networks, i, n)
        {
                if (!bh_streq(bh_json_str(n, "Driver"), "overlay") ||
                    bh_streq(bh_json_str(n, "Name"), "ingress"))
                        continue;
                overlays++;
                if (!bh_json_get(n, "Options.encrypted"))
                        bh_buf_printf(&b, "%s%s", b.len ? ", " : "", bh_json_str(n, "Name"));
        }
        if (b.len)
                audit_emit(c, BH_STATUS_FAIL, "overlay networks without encryption: %s", b.data);
        else if (overlays == 0)
                audit_emit(c, BH_STATUS_NA, "there are no overlay networks");
        else
                audit_emit(c, BH_STATUS_PASS, "all %zu overlay networks are encrypted", overlays);
        bh_buf_free(&b);
}

static void check_secrets_used(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (manager_only(s, c))
                return;
        size_t n = json_is_array(s->secrets) ? json_array_size(s->secrets) : 0;
        if (n)
                audit_emit(c, BH_STATUS_PASS, "the swarm manages %zu secret%s", n,
                           n == 1 ? "" : "s");
        else
                audit_emit(c, BH_STATUS_MANUAL,
                           "the swarm holds no secrets; confirm that services get credentials some "
                           "other safe way");
}

static void check_autolock(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (manager_only(s, c))
                return;
        if (bh_json_bool(s->swarm, "Spec.EncryptionConfig.AutoLockManagers", false))
                audit_emit(c, BH_STATUS_PASS, "managers are auto-locked");
        else
                audit_emit(c, BH_STATUS_FAIL,
                           "managers are not auto-locked: their raft keys sit "
                           "unencrypted on disk");
}

static void check_autolock_rotation(const struct audit_snapshot *s, struct audit_ctx *c)
{
        audit_emit(c, BH_STATUS_MANUAL,
                   "rotate the unlock key periodically (docker swarm "
                   "unlock-key --rotate)");
}

static void check_node_cert_expiry(const struct audit_snapshot *s, struct audit_ctx *c)
{
        if (manager_only(s, c))
                return;
        long long ns = bh_json_int(s->swarm, "Spec.CAConfig.NodeCertExpiry", -1);
        if (ns < 0) {
                audit_emit(c, BH_STATUS_ERROR,
                           "the swarm did not report its node certificate expiry");
                return;
        }
        long long days = ns / 86400000000000LL;
        if (days >= 90)
                audit_emit(c, BH_STATUS_WARN,
                           "node certificates live %lld days (the default); shorten if your policy "
                           "asks for it",
                           days);
        else
                audit_emit(c, BH_STATUS_PASS, "node certificates are rotated every %lld days",
                           days);
}

static void check_ca_rotation(const struct audit_snapshot *s, struct audit_ctx *c)
{
        audit_emit(c, BH_STATUS_MANUAL,
                   "rotate the swarm's root CA as your policy requires "
                   "(docker swarm ca --rotate)");
}

static void check_plane_separation(const struct audit_snapshot *s, struct audit_ctx *c)
{
        const char *node = bh_json_str(s->info, "Swarm.NodeAddr");
        audit_emit(c, BH_STATUS_MANUAL,
                   "management traffic uses %s; confirm that data traffic uses another interface "
                   "(--data-path-addr)",
                   node ? node : "an unknown address");
}

#define SWARM(rule, id, title, level, sev, fix, fn)                                                \
        {                                                                                          \
                rule, id, id, NULL, title, level, sev, AUDIT_SCOPE_SWARM, fix, fn                  \
        }

const struct audit_check audit_checks_swarm[] = {
    SWARM("swarm-manager-count", "7.1", "The swarm has the fewest managers it needs", 1, BH_SEV_LOW,
          "Run an odd number of managers (1, 3, 5 or 7).", check_managers),
    SWARM("swarm-bind-interface", "7.2", "Swarm services are bound to a specific interface", 1,
          BH_SEV_MEDIUM, "Initialise or join with --listen-addr set to one interface.",
          check_listen_interface),
    SWARM("swarm-overlay-encrypted", "7.3", "Overlay networks are encrypted", 1, BH_SEV_MEDIUM,
          "Create overlay networks with --opt encrypted.", check_overlay_encrypted),
    SWARM("swarm-secrets", "7.4", "Secrets are managed by the swarm", 1, BH_SEV_LOW,
          "Keep service credentials in docker secret.", check_secrets_used),
    SWARM("swarm-autolock", "7.5", "Swarm managers run in auto-lock mode", 1, BH_SEV_MEDIUM,
          "Run docker swarm update --autolock=true.", check_autolock),
    SWARM("swarm-autolock-rotation", "7.6", "The auto-lock key is rotated", 1, BH_SEV_LOW,
          "Run docker swarm unlock-key --rotate periodically.", check_autolock_rotation),
    SWARM("swarm-node-cert-rotation", "7.7", "Node certificates are rotated", 1, BH_SEV_LOW,
          "Run docker swarm update --cert-expiry with your policy's period.",
          check_node_cert_expiry),
    SWARM("swarm-ca-rotation", "7.8", "CA certificates are rotated", 1, BH_SEV_LOW,
          "Run docker swarm ca --rotate as your policy requires.", check_ca_rotation),
    SWARM("swarm-plane-separation", "7.9", "Management and data traffic are separated", 1,
          BH_SEV_LOW, "Join nodes with --data-path-addr on a separate interface.",
          check_plane_separation),
    {NULL},
};
