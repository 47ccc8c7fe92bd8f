/* Linux capability names and Docker's default set. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* "SYS_ADMIN", "CAP_SYS_ADMIN", "sys_admin" -> bit number, or -1. */
int audit_cap_number(const char *name);
const char *audit_cap_name(int bit);
/* The capabilities Docker grants a container by default. */
uint64_t audit_docker_default_caps(void);
