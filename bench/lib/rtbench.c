/* rtbench: runs one command and prints its wall time (µs), CPU time of it
 * and its reaped descendants (µs) and their peak resident memory (KiB),
 * from wait4's rusage. Being small and static, its own fork does not
 * inflate the peak (python's would: ru_maxrss survives execve).
 *
 * CMD's stdin, stdout and stderr are /dev/null.
 *
 * Usage: rtbench [--crun-ns] [--reap] CMD ARGS...
 *   --crun-ns  run CMD in a private mount namespace without
 *              /sys/fs/cgroup/unified (crun refuses hybrid cgroups); the
 *              namespace is made before the clock starts.
 *   --reap     become a child subreaper and reap orphans (containers whose
 *              runtime exited) after the measurement, uncounted. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        int i = 1;
        int reap = 0;
        for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
                if (strcmp(argv[i], "--crun-ns") == 0) {
                        if (unshare(CLONE_NEWNS) < 0 ||
                            mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
                            umount2("/sys/fs/cgroup/unified", MNT_DETACH) < 0) {
                                perror("rtbench: private mount namespace");
                                return 3;
                        }
                } else if (strcmp(argv[i], "--reap") == 0) {
                        reap = 1;
                        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
                } else {
                        break;
                }
        }
        if (i >= argc) {
                fprintf(stderr, "usage: rtbench [--crun-ns] [--reap] CMD ARGS...\n");
                return 2;
        }
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        pid_t pid = fork();
        if (pid == 0) {
                /* the runtime's (and its container's) stdio: nothing holds
                 * our caller's pipe open */
                int null = open("/dev/null", O_RDWR);
                dup2(null, 0);
                dup2(null, 1);
                dup2(null, 2);
                if (null > 2)
                        close(null);
                execvp(argv[i], argv + i);
                _exit(127);
        }
        int status;
        struct rusage ru;
        if (wait4(pid, &status, 0, &ru) < 0)
                return 3;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long wall = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
        long cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec +
                   ru.ru_stime.tv_usec;
        printf("%ld %ld %ld %d\n", wall, cpu, ru.ru_maxrss,
               WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        if (reap)
                while (waitpid(-1, NULL, WNOHANG) > 0 || (errno != ECHILD && usleep(1000) == 0))
                        ;
        return 0;
}
