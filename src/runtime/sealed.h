/* Re-execution from a sealed copy of the runtime (CVE-2019-5736). */
#pragma once

#include "base/error.h"

#include <stdbool.h>

void rt_sealed_init(char **argv);
/* Whether this process runs from a memfd copy. */
bool rt_sealed_running(void);
/* Re-executes the same command from a sealed memfd; returns only on failure
 * (or at once when already running from one). */
int rt_sealed_reexec(struct bh_error *err);
