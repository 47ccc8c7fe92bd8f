/* libFuzzer: the advisory importers (OSV JSON, Debian tracker JSON, Alpine
 * secdb JSON/YAML, zips of them) writing into a scratch database that is
 * never committed. */
#include "scan/vulndb.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct bh_vulndb_import *imp;

static void drop(void)
{
        bh_vulndb_import_abort(imp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct bh_error err;
        if (!imp) {
                char path[64];
                snprintf(path, sizeof path, "/tmp/bh-fuzz-osv-%d.db", (int)getpid());
                if (bh_vulndb_import_begin(path, &imp, NULL, &err) < 0)
                        abort();
                atexit(drop);
        }
        struct bh_import_stats st = {0};
        bh_vulndb_import_data(imp, (const char *)data, size, "fuzz", "fuzz", &st, &err);
        return 0;
}
