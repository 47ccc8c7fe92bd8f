/* Audit rules: the first byte picks auditctl text or a kernel netlink answer. */
#include "audit/audit_rules.h"
#include "base/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        if (size < 1)
                return 0;
        char **paths = NULL;
        if (data[0] & 1) {
                char *text = bh_xstrndup((const char *)data + 1, size - 1);
                audit_rules_parse_text(text, "fuzz.rules", &paths);
                free(text);
        } else {
                /* the kernel's buffer is aligned; copy so the parser sees the same */
                void *buf = aligned_alloc(16, (size + 15) & ~(size_t)15);
                memcpy(buf, data + 1, size - 1);
                struct bh_error err;
                audit_rules_parse_netlink(buf, size - 1, &paths, &err);
                free(buf);
        }
        (void)audit_rules_cover(paths, "/usr/bin/dockerd");
        bh_strv_free(paths);
        return 0;
}
