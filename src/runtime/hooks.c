/* OCI hooks: each is run with the container's state as JSON on its stdin,
 * killed when it outlives its timeout; a failing hook fails the step that
 * ran it, except poststart and poststop, whose failures are warnings. */
#include "runtime/linux.h"
#include "runtime/log.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static double now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int run_one(const struct rt_hook *h, const char *kind, size_t idx, const char *state,
                   struct bh_error *err)
{
        int in[2], out[2];
        if (pipe2(in, O_CLOEXEC) < 0)
                return bh_error_errno(err, errno, "%s hook: pipe", kind);
        if (pipe2(out, O_CLOEXEC) < 0) {
                int e = errno;
                close(in[0]);
                close(in[1]);
                return bh_error_errno(err, e, "%s hook: pipe", kind);
        }
        pid_t pid = fork();
        if (pid < 0) {
                int e = errno;
                close(in[0]);
                close(in[1]);
                close(out[0]);
                close(out[1]);
                return bh_error_errno(err, e, "%s hook: fork", kind);
        }
        if (pid == 0) {
                dup2(in[0], 0);
                dup2(out[1], 1);
                dup2(out[1], 2);
                syscall(SYS_close_range, 3, ~0U, 0);
                sigset_t all;
                sigemptyset(&all);
                sigprocmask(SIG_SETMASK, &all, NULL);
                signal(SIGPIPE, SIG_DFL);
                char *argv_default[] = {h->path, NULL};
                char *env_default[] = {NULL};
                execve(h->path, h->args && h->args[0] ? h->args : argv_default,
                       h->env ? h->env : env_default);
                dprintf(2, "cannot execute %s: %s", h->path, strerror(errno));
                _exit(127);
        }
        close(in[0]);
        close(out[1]);
        /* the state; a hook that does not read it is not an error */
        size_t len = strlen(state);
        const char *p = state;
        while (len > 0) {
                ssize_t w = write(in[1], p, len);
                if (w <= 0)
                        break;
                p += w;
                len -= (size_t)w;
        }
        close(in[1]);
        int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
        char output[1024];
        size_t used = 0;
        double deadline = h->timeout > 0 ? now_ms() + h->timeout * 1000.0 : 0;
        bool timed_out = false;
        struct pollfd fds[2] = {{.fd = out[0], .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
        for (;;) {
                int wait_ms = -1;
                if (deadline > 0) {
                        double left = deadline - now_ms();
                        if (left <= 0) {
                                timed_out = true;
                                break;
                        }
                        wait_ms = (int)left + 1;
                }
                int n = poll(fds, pidfd >= 0 ? 2 : 1, wait_ms);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n == 0)
                        continue;
                if (fds[0].fd >= 0 && (fds[0].revents & (POLLIN | POLLHUP))) {
                        char buf[512];
                        ssize_t r = read(out[0], buf, sizeof buf);
                        if (r > 0) {
                                size_t take = (size_t)r < sizeof output - 1 - used
                                                  ? (size_t)r
                                                  : sizeof output - 1 - used;
                                memcpy(output + used, buf, take);
                                used += take;
                        } else {
                                fds[0].fd = -1;
                        }
                }
                if (pidfd >= 0 && (fds[1].revents & POLLIN))
                        break;
                if (pidfd < 0 && fds[0].fd < 0)
                        break;
        }
        if (timed_out)
                kill(pid, SIGKILL);
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        close(out[0]);
        if (pidfd >= 0)
                close(pidfd);
        output[used] = '\0';
        bh_strstrip(output);
        if (timed_out)
                return bh_error_set(err, ETIMEDOUT, "%s hook %zu (%s) timed out after %d s", kind,
                                    idx, h->path, h->timeout);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                return 0;
        char how[48];
        if (WIFSIGNALED(status))
                snprintf(how, sizeof how, "killed by signal %d", WTERMSIG(status));
        else
                snprintf(how, sizeof how, "exit status %d", WEXITSTATUS(status));
        return bh_error_set(err, EIO, "%s hook %zu (%s) failed: %s%s%s", kind, idx, h->path, how,
                            *output ? ": " : "", output);
}

int rt_hooks_run(const struct rt_hooks *hooks, const char *kind, const json_t *state,
                 bool warn_only, struct bh_error *err)
{
        if (!hooks || hooks->n == 0)
                return 0;
        char *text = json_dumps(state, JSON_COMPACT);
        int r = 0;
        for (size_t i = 0; i < hooks->n; i++) {
                struct bh_error e = {0};
                if (run_one(&hooks->v[i], kind, i, text, &e) == 0)
                        continue;
                if (warn_only) {
                        rt_warn("%s", e.msg);
                        continue;
                }
                if (err)
                        *err = e;
                r = -e.code;
                break;
        }
        free(text);
        return r;
}
