/* CIS section 6: security operations (sprawl). */
#include "audit/checks.h"
#include "base/json.h"
#include "base/util.h"

#include <string.h>

static void check_image_sprawl(const struct audit_snapshot *s, struct audit_ctx *c)
{
        size_t unused = 0;
        for (size_t i = 0; i < s->nimages; i++) {
                const char *id = s->images[i].id;
                bool used = false;
                for (size_t j = 0; j < s->ncontainers && !used; j++)
                        used = bh_streq(bh_json_str(s->containers[j].inspect, "Image"), id);
                unused += !used;
        }
        if (s->nimages == 0)
                audit_emit(c, BH_STATUS_NA, "there are no images");
        else if (unused)
                audit_emit(
                    c, BH_STATUS_INFO,
                    "%zu of %zu images are used by no %scontainer; remove the ones you do not "
                    "need",
                    unused, s->nimages, s->include_stopped ? "" : "running ");
        else
                audit_emit(c, BH_STATUS_PASS, "every one of the %zu images is in use", s->nimages);
}

static void check_container_sprawl(const struct audit_snapshot *s, struct audit_ctx *c)
{
        size_t stopped = s->containers_total - s->containers_running;
        if (stopped)
                audit_emit(c, BH_STATUS_INFO,
                           "%zu of %zu containers are not running; remove the ones you do not need",
                           stopped, s->containers_total);
        else
                audit_emit(c, BH_STATUS_PASS, "all %zu containers are running",
                           s->containers_total);
}

const struct audit_check audit_checks_operations[] = {
    {"image-sprawl", "6.1", "6.1", NULL, "Image sprawl is avoided", 1, BH_SEV_INFO,
     AUDIT_SCOPE_ENGINE, "Remove unused images (docker image prune -a).", check_image_sprawl},
    {"container-sprawl", "6.2", "6.2", NULL, "Container sprawl is avoided", 1, BH_SEV_INFO,
     AUDIT_SCOPE_ENGINE, "Remove stopped containers you do not need (docker container prune).",
     check_container_sprawl},
    {NULL},
};
