/* Shared between the files of src/seccomp; not for other modules. */
#pragma once

#include "seccomp/seccomp.h"

int bh_seccomp_name_index(const char *const *names, const char *name);
/* libseccomp's value for an OCI action name; errno_ret applies to ERRNO and
 * TRACE (EPERM when the profile gives none). */
bool bh_seccomp_action_value(const char *name, unsigned int errno_ret, bool has_errno,
                             uint32_t *out);
bool bh_seccomp_operator_value(const char *name, int *out);
bool bh_seccomp_flag_value(const char *name, unsigned int *out);
/* libseccomp's token for an OCI architecture name; 0 when this libseccomp
 * does not know it. */
uint32_t bh_seccomp_arch_token(const char *name);
/* SECCOMP_FILTER_FLAG_* for the profile's "flags" (already validated). */
unsigned int bh_seccomp_profile_flags(const json_t *oci);
