/* The names the OCI runtime spec uses for seccomp actions, operators,
 * architectures and flags, with their libseccomp and kernel values. */
#include "seccomp/seccomp_internal.h"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <string.h>
#include <strings.h>

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

const char *const bh_seccomp_action_names[] = {"SCMP_ACT_KILL",        "SCMP_ACT_KILL_PROCESS",
                                               "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
                                               "SCMP_ACT_ERRNO",       "SCMP_ACT_TRACE",
                                               "SCMP_ACT_ALLOW",       "SCMP_ACT_LOG",
                                               "SCMP_ACT_NOTIFY",      NULL};

const char *const bh_seccomp_operator_names[] = {"SCMP_CMP_NE",        "SCMP_CMP_LT", "SCMP_CMP_LE",
                                                 "SCMP_CMP_EQ",        "SCMP_CMP_GE", "SCMP_CMP_GT",
                                                 "SCMP_CMP_MASKED_EQ", NULL};

const char *const bh_seccomp_arch_names[] = {
    "SCMP_ARCH_X86",      "SCMP_ARCH_X86_64",      "SCMP_ARCH_X32",
    "SCMP_ARCH_ARM",      "SCMP_ARCH_AARCH64",     "SCMP_ARCH_MIPS",
    "SCMP_ARCH_MIPS64",   "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",
    "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
    "SCMP_ARCH_PPC64",    "SCMP_ARCH_PPC64LE",     "SCMP_ARCH_S390",
    "SCMP_ARCH_S390X",    "SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64",
    "SCMP_ARCH_RISCV64",  "SCMP_ARCH_LOONGARCH64", NULL};

const char *const bh_seccomp_flag_names[] = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                             "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                             "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL};

int bh_seccomp_name_index(const char *const *names, const char *name)
{
        for (int i = 0; name && names[i]; i++)
                if (strcmp(names[i], name) == 0)
                        return i;
        return -1;
}

bool bh_seccomp_action_value(const char *name, unsigned int errno_ret, bool has_errno,
                             uint32_t *out)
{
        switch (bh_seccomp_name_index(bh_seccomp_action_names, name)) {
        case 0:
        case 2:
                *out = SCMP_ACT_KILL_THREAD;
                return true;
        case 1:
                *out = SCMP_ACT_KILL_PROCESS;
                return true;
        case 3:
                *out = SCMP_ACT_TRAP;
                return true;
        case 4:
                *out = SCMP_ACT_ERRNO(has_errno ? errno_ret : 1 /* EPERM */);
                return true;
        case 5:
                *out = SCMP_ACT_TRACE(has_errno ? errno_ret : 1);
                return true;
        case 6:
                *out = SCMP_ACT_ALLOW;
                return true;
        case 7:
                *out = SCMP_ACT_LOG;
                return true;
        case 8:
                *out = SCMP_ACT_NOTIFY;
                return true;
        default:
                return false;
        }
}

bool bh_seccomp_operator_value(const char *name, int *out)
{
        static const int ops[] = {SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE,       SCMP_CMP_EQ,
                                  SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ};
        int i = bh_seccomp_name_index(bh_seccomp_operator_names, name);
        if (i < 0)
                return false;
        *out = ops[i];
        return true;
}

bool bh_seccomp_flag_value(const char *name, unsigned int *out)
{
        static const unsigned int flags[] = {SECCOMP_FILTER_FLAG_TSYNC, SECCOMP_FILTER_FLAG_LOG,
                                             SECCOMP_FILTER_FLAG_SPEC_ALLOW,
                                             SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV};
        int i = bh_seccomp_name_index(bh_seccomp_flag_names, name);
        if (i < 0)
                return false;
        *out = flags[i];
        return true;
}

uint32_t bh_seccomp_arch_token(const char *name)
{
        /* "SCMP_ARCH_X86_64" -> libseccomp's "x86_64" */
        if (bh_seccomp_name_index(bh_seccomp_arch_names, name) < 0)
                return 0;
        char lower[32];
        const char *p = name + strlen("SCMP_ARCH_");
        size_t n = 0;
        for (; *p && n < sizeof lower - 1; p++)
                lower[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
        lower[n] = '\0';
        return seccomp_arch_resolve_name(lower);
}
