#include "runtime/caps.h"
#include "runtime/spec.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

const char *const rt_cap_names[RT_CAP_COUNT] = {"CAP_CHOWN",
                                                "CAP_DAC_OVERRIDE",
                                                "CAP_DAC_READ_SEARCH",
                                                "CAP_FOWNER",
                                                "CAP_FSETID",
                                                "CAP_KILL",
                                                "CAP_SETGID",
                                                "CAP_SETUID",
                                                "CAP_SETPCAP",
                                                "CAP_LINUX_IMMUTABLE",
                                                "CAP_NET_BIND_SERVICE",
                                                "CAP_NET_BROADCAST",
                                                "CAP_NET_ADMIN",
                                                "CAP_NET_RAW",
                                                "CAP_IPC_LOCK",
                                                "CAP_IPC_OWNER",
                                                "CAP_SYS_MODULE",
                                                "CAP_SYS_RAWIO",
                                                "CAP_SYS_CHROOT",
                                                "CAP_SYS_PTRACE",
                                                "CAP_SYS_PACCT",
                                                "CAP_SYS_ADMIN",
                                                "CAP_SYS_BOOT",
                                                "CAP_SYS_NICE",
                                                "CAP_SYS_RESOURCE",
                                                "CAP_SYS_TIME",
                                                "CAP_SYS_TTY_CONFIG",
                                                "CAP_MKNOD",
                                                "CAP_LEASE",
                                                "CAP_AUDIT_WRITE",
                                                "CAP_AUDIT_CONTROL",
                                                "CAP_SETFCAP",
                                                "CAP_MAC_OVERRIDE",
                                                "CAP_MAC_ADMIN",
                                                "CAP_SYSLOG",
                                                "CAP_WAKE_ALARM",
                                                "CAP_BLOCK_SUSPEND",
                                                "CAP_AUDIT_READ",
                                                "CAP_PERFMON",
                                                "CAP_BPF",
                                                "CAP_CHECKPOINT_RESTORE"};

int rt_cap_from_name(const char *name)
{
        if (!name)
                return -1;
        const char *bare = strncasecmp(name, "CAP_", 4) == 0 ? name + 4 : name;
        for (int i = 0; i < RT_CAP_COUNT; i++)
                if (strcasecmp(rt_cap_names[i] + 4, bare) == 0)
                        return i;
        return -1;
}

int rt_cap_last(void)
{
        static int last = -1;
        if (last >= 0)
                return last;
        last = RT_CAP_COUNT - 1;
        int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
                char buf[16];
                ssize_t n = read(fd, buf, sizeof buf - 1);
                if (n > 0) {
                        buf[n] = '\0';
                        int v = atoi(buf);
                        if (v > 0 && v < 64)
                                last = v;
                }
                close(fd);
        }
        return last;
}

uint64_t rt_cap_all(void)
{
        int last = rt_cap_last();
        return last >= 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
}

char **rt_cap_names_of(uint64_t mask)
{
        char **v = NULL;
        for (int i = 0; i < RT_CAP_COUNT; i++)
                if (mask & (1ULL << i))
                        bh_strv_push(&v, rt_cap_names[i]);
        if (!v)
                v = bh_xcalloc(1, sizeof *v);
        return v;
}

int rt_caps_drop_bounding(uint64_t keep, struct bh_error *err)
{
        int last = rt_cap_last();
        for (int i = 0; i <= last; i++) {
                if (keep & (1ULL << i))
                        continue;
                if (prctl(PR_CAPBSET_DROP, i, 0, 0, 0) < 0 && errno != EINVAL)
                        return bh_error_errno(err, errno, "dropping %s from the bounding set",
                                              i < RT_CAP_COUNT ? rt_cap_names[i] : "a capability");
        }
        return 0;
}

int rt_caps_apply(const struct rt_caps *caps, struct bh_error *err)
{
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
        struct __user_cap_data_struct data[2];
        memset(data, 0, sizeof data);
        for (int i = 0; i < 2; i++) {
                data[i].effective = (uint32_t)(caps->effective >> (32 * i));
                data[i].permitted = (uint32_t)(caps->permitted >> (32 * i));
                data[i].inheritable = (uint32_t)(caps->inheritable >> (32 * i));
        }
        if (syscall(SYS_capset, &hdr, data) < 0)
                return bh_error_errno(err, errno, "setting the capabilities");
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                return bh_error_errno(err, errno, "clearing the ambient capabilities");
        int last = rt_cap_last();
        for (int i = 0; i <= last; i++) {
                if (!(caps->ambient & (1ULL << i)))
                        continue;
                /* the kernel refuses ambient capabilities that are not both
                 * permitted and inheritable; the spec lets that be a no-op */
                if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, i, 0, 0) < 0 && errno != EPERM)
                        return bh_error_errno(err, errno, "raising ambient %s", rt_cap_names[i]);
        }
        return 0;
}
