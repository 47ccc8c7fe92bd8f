#include "audit/caps.h"
#include "base/util.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const char *const cap_names[] = {
    "CHOWN",
    "DAC_OVERRIDE",
    "DAC_READ_SEARCH",
    "FOWNER",
    "FSETID",
    "KILL",
    "SETGID",
    "SETUID",
    "SETPCAP",
    "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE",
    "NET_BROADCAST",
    "NET_ADMIN",
    "NET_RAW",
    "IPC_LOCK",
    "IPC_OWNER",
    "SYS_MODULE",
    "SYS_RAWIO",
    "SYS_CHROOT",
    "SYS_PTRACE",
    "SYS_PACCT",
    "SYS_ADMIN",
    "SYS_BOOT",
    "SYS_NICE",
    "SYS_RESOURCE",
    "SYS_TIME",
    "SYS_TTY_CONFIG",
    "MKNOD",
    "LEASE",
    "AUDIT_WRITE",
    "AUDIT_CONTROL",
    "SETFCAP",
    "MAC_OVERRIDE",
    "MAC_ADMIN",
    "SYSLOG",
    "WAKE_ALARM",
    "BLOCK_SUSPEND",
    "AUDIT_READ",
    "PERFMON",
    "BPF",
    "CHECKPOINT_RESTORE",
};

int audit_cap_number(const char *name)
{
        if (strncasecmp(name, "CAP_", 4) == 0)
                name += 4;
        for (size_t i = 0; i < BH_ARRAY_SIZE(cap_names); i++)
                if (strcasecmp(name, cap_names[i]) == 0)
                        return (int)i;
        return -1;
}

const char *audit_cap_name(int bit)
{
        return bit >= 0 && (size_t)bit < BH_ARRAY_SIZE(cap_names) ? cap_names[bit] : "?";
}

uint64_t audit_docker_default_caps(void)
{
        static const char *const defaults[] = {
            "CHOWN",   "DAC_OVERRIDE", "FSETID",           "FOWNER",
            "MKNOD",   "NET_RAW",      "SETGID",           "SETUID",
            "SETFCAP", "SETPCAP",      "NET_BIND_SERVICE", "SYS_CHROOT",
            "KILL",    "AUDIT_WRITE",
        };
        uint64_t m = 0;
        for (size_t i = 0; i < BH_ARRAY_SIZE(defaults); i++)
                m |= 1ull << audit_cap_number(defaults[i]);
        return m;
}
