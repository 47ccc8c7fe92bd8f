/* CVE-2019-5736, the case non-dumpable processes do not cover: a container
 * process holding CAP_SYS_PTRACE in the runtime's user namespace may open
 * /proc/<pid>/exe of the runtime's processes inside the container and, once
 * they exit, write through it into the runtime binary. For such containers
 * the runtime first re-executes itself from a sealed memfd copy, so that
 * /proc/<pid>/exe names a file nobody can write. Other containers do not
 * pay for the copy. */
#include "runtime/sealed.h"
#include "runtime/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEALED_ENV "_BULKHEAD_RUNTIME_SEALED"

static char **saved_argv;

void rt_sealed_init(char **argv)
{
        saved_argv = argv;
}

bool rt_sealed_running(void)
{
        char exe[64];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n < 0)
                return false;
        exe[n] = '\0';
        return strncmp(exe, "/memfd:", 7) == 0;
}

int rt_sealed_reexec(struct bh_error *err)
{
        if (rt_sealed_running())
                return 0;
        if (getenv(SEALED_ENV))
                return bh_error_set(err, EPERM,
                                    "re-executing from a sealed copy did not take effect");
        _cleanup_close_ int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (src < 0 || fstat(src, &st) < 0)
                return bh_error_errno(err, errno, "/proc/self/exe");
        _cleanup_close_ int fd = memfd_create("bulkhead-runtime", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return bh_error_errno(err, errno, "memfd_create");
        off_t off = 0;
        while (off < st.st_size) {
                ssize_t n = sendfile(fd, src, &off, (size_t)(st.st_size - off));
                if (n <= 0)
                        return bh_error_errno(err, n < 0 ? errno : EIO,
                                              "copying the runtime into a memfd");
        }
        if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
                return bh_error_errno(err, errno, "sealing the runtime's copy");
        setenv(SEALED_ENV, "1", 1);
        extern char **environ;
        fexecve(fd, saved_argv, environ);
        return bh_error_errno(err, errno, "re-executing from the sealed copy");
}
