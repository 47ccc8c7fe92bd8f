/* config.json as bulkhead-runtime reads it: parsed, validated into the
 * spec structs, the policy applied, resources and seccomp validated, and
 * seccomp compiled when valid. */
#include "runtime/cgroup.h"
#include "runtime/log.h"
#include "runtime/policy.h"
#include "runtime/spec.h"
#include "seccomp/seccomp.h"

#include <jansson.h>
#include <errno.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static bool quiet;
        if (!quiet) {
                rt_log_open("/dev/null", true, false);
                quiet = true;
        }
        json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
        if (!doc)
                return 0;
        struct rt_spec spec;
        struct bh_error err;
        if (rt_spec_from_json(doc, NULL, &spec, &err) == 0) {
                struct rt_policy policy;
                if (rt_policy_load("/nonexistent/bulkhead-fuzz-policy.json", &policy, &err) ==
                    -ENOENT) {
                        /* the built-in defaults, filled before the missing file */
                        rt_policy_apply(&policy, &spec, &err);
                }
                rt_policy_free(&policy);
                if (spec.resources)
                        rt_resources_validate(spec.resources, "linux.resources", &err);
                if (spec.seccomp && bh_seccomp_validate(spec.seccomp, &err) == 0) {
                        struct bh_seccomp_prog prog;
                        if (bh_seccomp_compile(spec.seccomp, &prog, &err) == 0)
                                bh_seccomp_prog_free(&prog);
                }
        }
        rt_spec_free(&spec);
        return 0;
}
