/* libFuzzer: the apk installed-database parser. */
#include "scan/package.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct bh_package_list l = {0};
        struct bh_error err;
        bh_apk_parse((const char *)data, size, "fuzz", &l, &err);
        bh_package_list_free(&l);
        return 0;
}
