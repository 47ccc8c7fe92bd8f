/* libFuzzer: the rpm database readers (SQLite, Berkeley DB, NDB) and the
 * header blob parser. The first byte picks the header parser alone. */
#include "scan/package.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct bh_package_list l = {0};
        struct bh_error err;
        if (size > 0 && data[0] == 0xff)
                bh_rpm_header_parse(data + 1, size - 1, "fuzz", &l, &err);
        else
                bh_rpmdb_parse((const char *)data, size, "fuzz", &l, &err);
        bh_package_list_free(&l);
        return 0;
}
