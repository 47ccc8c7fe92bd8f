/* /proc/PID/cmdline of dockerd: NUL-separated arguments into daemon.json keys. */
#include "audit/daemon_config.h"
#include "base/util.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char **argv = audit_cmdline_split((const char *)data, size);
        struct bh_error err;
        json_t *flags = audit_dockerd_flags(argv, &err);
        json_t *merged = audit_config_merge(NULL, flags);
        (void)audit_dockerd_config_file(argv);
        json_decref(merged);
        json_decref(flags);
        bh_strv_free(argv);
        return 0;
}
