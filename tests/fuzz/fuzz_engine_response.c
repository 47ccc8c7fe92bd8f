/* Engine API answers of any shape, judged by every check: a JSON array of
 * [version, info, networks, container inspect, image inspect, history, execs]. */
#include "audit/audit.h"
#include "base/json.h"
#include "base/util.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_t *item(json_t *a, size_t i)
{
        json_t *v = json_array_get(a, i);
        return v ? json_incref(v) : json_null();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct bh_error err;
        json_t *a = bh_json_parse((const char *)data, size, "answer", &err);
        if (!a)
                return 0;
        struct audit_snapshot s = {0};
        s.root = "/";
        s.version = item(a, 0);
        s.info = item(a, 1);
        s.networks = item(a, 2);
        s.containers = bh_xcalloc(1, sizeof *s.containers);
        s.ncontainers = 1;
        s.containers[0].inspect = item(a, 3);
        s.containers[0].name = bh_xstrdup("c");
        s.containers[0].id = "c";
        s.containers[0].running = true;
        s.containers[0].execs = item(a, 6);
        s.containers[0].proc.seccomp = -1;
        s.images = bh_xcalloc(1, sizeof *s.images);
        s.nimages = 1;
        s.images[0].inspect = item(a, 4);
        s.images[0].history = item(a, 5);
        s.images[0].name = bh_xstrdup("i");
        s.images[0].id = "i";
        s.config = json_is_object(json_array_get(a, 7)) ? item(a, 7) : json_object();
        struct audit_options o = {.all_containers = true};
        struct bh_report r;
        bh_report_init(&r, "audit");
        audit_judge(&s, &o, &r);
        bh_report_free(&r);
        audit_snapshot_free(&s);
        json_decref(a);
        return 0;
}
