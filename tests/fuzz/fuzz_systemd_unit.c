/* docker.service text: ExecStart with quoting, continuations and variables. */
#include "audit/daemon_config.h"
#include "base/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        /* the unit and an EnvironmentFile, split at the first NUL */
        char *text = bh_xstrndup((const char *)data, size);
        size_t n = strlen(text);
        char *env = n < size ? bh_xstrndup((const char *)data + n + 1, size - n - 1) : NULL;
        char *texts[] = {text, NULL};
        struct bh_error err;
        char **argv = audit_unit_execstart(texts, 1, env, &err);
        char **files = audit_unit_environment_files(texts, 1);
        bh_strv_free(argv);
        bh_strv_free(files);
        free(text);
        free(env);
        return 0;
}
