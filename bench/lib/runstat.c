/* runstat CMD...: runs CMD once (stdout and stderr to /dev/null) and prints
 * its wall time and CPU time (user + system) in milliseconds and its peak
 * resident memory in KiB. The child is forked from this small program, so
 * the peak is the command's own, not a large parent's pre-exec image. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "usage: runstat CMD...\n");
                return 2;
        }
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        pid_t pid = fork();
        if (pid == 0) {
                int null = open("/dev/null", O_WRONLY);
                dup2(null, 1);
                dup2(null, 2);
                execvp(argv[1], argv + 1);
                _exit(127);
        }
        int status;
        struct rusage ru;
        if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
                return 3;
        clock_gettime(CLOCK_MONOTONIC, &b);
        double wall = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
        double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
        printf("%.3f %.3f %ld\n", wall, cpu, ru.ru_maxrss);
        return 0;
}
