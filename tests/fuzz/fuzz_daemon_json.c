/* daemon.json as the audit reads it: parsed, merged with flags, judged. */
#include "audit/audit.h"
#include "audit/daemon_config.h"
#include "base/json.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct bh_error err;
        json_t *dj = bh_json_parse((const char *)data, size, "daemon.json", &err);
        if (!dj)
                return 0;
        char *argv[] = {"dockerd", "--icc=false", "-H", "unix:///run/docker.sock", NULL};
        json_t *flags = audit_dockerd_flags(argv, &err);
        struct audit_snapshot s = {0};
        s.root = "/";
        s.config = audit_config_merge(json_is_object(dj) ? dj : NULL, flags);
        s.daemon_json = dj;
        snprintf(s.api_fail.msg, sizeof s.api_fail.msg, "no daemon");
        s.api_fail.code = 1;
        struct audit_options o = {0};
        struct bh_report r;
        bh_report_init(&r, "audit");
        audit_judge(&s, &o, &r);
        bh_report_free(&r);
        json_decref(flags);
        audit_snapshot_free(&s);
        return 0;
}
