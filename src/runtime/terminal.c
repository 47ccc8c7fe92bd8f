/* process.terminal: a pseudo-terminal from the container's own devpts. The
 * peer is opened from the master (TIOCGPTPEER), never by its /dev/pts path,
 * and bound onto /dev/console from that descriptor, so no path in the
 * container is trusted (CVE-2025-52565). */
#include "runtime/linux.h"
#include "runtime/sync.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* path resolved with "/" (the container's root) as the root */
static int open_resolved(const char *path, int flags, unsigned long long resolve)
{
        struct open_how how = {.flags = (unsigned long long)(flags | O_CLOEXEC),
                               .resolve = resolve};
        int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return -errno;
        int fd = (int)syscall(SYS_openat2, root, path, &how, sizeof how);
        int e = errno;
        close(root);
        return fd < 0 ? -e : fd;
}

int rt_terminal_setup(struct rt_init *in, const struct rt_process *p, bool console, int *master_out,
                      struct bh_error *err)
{
        *master_out = -1;
        int master = open_resolved("/dev/pts/ptmx", O_RDWR | O_NOCTTY,
                                   RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        if (master < 0)
                return bh_error_errno(err, -master,
                                      "process.terminal: opening /dev/pts/ptmx in the container "
                                      "(is devpts mounted on /dev/pts?)");
        _cleanup_close_ int m = master;
        struct statfs sf;
        if (fstatfs(master, &sf) < 0 || sf.f_type != DEVPTS_SUPER_MAGIC)
                return bh_error_set(err, EPERM, "process.terminal: /dev/pts/ptmx is not on devpts");
        int unlock = 0;
        if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
                return bh_error_errno(err, errno, "process.terminal: unlocking the pty");
        _cleanup_close_ int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (peer < 0)
                return bh_error_errno(err, errno, "process.terminal: opening the pty peer");
        if (p->console_width || p->console_height) {
                struct winsize ws = {.ws_row = p->console_height, .ws_col = p->console_width};
                ioctl(master, TIOCSWINSZ, &ws);
        }
        if (console) {
                _cleanup_close_ int target =
                    open_resolved("/dev/console", O_PATH,
                                  RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
                if (target < 0)
                        return bh_error_errno(err, -target, "/dev/console");
                _cleanup_close_ int tree =
                    open_tree(peer, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
                if (tree < 0 || move_mount(tree, "", target, "",
                                           MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                        return bh_error_errno(err, errno, "binding the pty onto /dev/console");
        }
        char name[64] = "/dev/ptmx";
        int ptn;
        if (ioctl(master, TIOCGPTN, &ptn) == 0)
                snprintf(name, sizeof name, "/dev/pts/%d", ptn);
        if (in->console_fd >= 0) {
                int r = rt_send_fd(in->console_fd, master, name, strlen(name));
                if (r < 0)
                        return bh_error_errno(err, -r, "sending the pty to the console socket");
                close(in->console_fd);
                in->console_fd = -1;
        } else {
                *master_out = master;
                m = -1;
        }
        if (setsid() < 0 && errno != EPERM)
                return bh_error_errno(err, errno, "setsid");
        if (ioctl(peer, TIOCSCTTY, 0) < 0)
                return bh_error_errno(err, errno, "making the pty the controlling terminal");
        for (int fd = 0; fd < 3; fd++)
                if (dup2(peer, fd) < 0)
                        return bh_error_errno(err, errno, "dup2 of the pty");
        return 0;
}

static void copy_once(int from, int to, bool *open)
{
        char buf[8192];
        ssize_t n = read(from, buf, sizeof buf);
        if (n <= 0) {
                if (n == 0 || errno != EINTR)
                        *open = false;
                return;
        }
        for (ssize_t off = 0; off < n;) {
                ssize_t w = write(to, buf + off, (size_t)(n - off));
                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        return;
                }
                off += w;
        }
}

void rt_terminal_proxy(int master, int pidfd)
{
        struct termios saved;
        bool raw = tcgetattr(0, &saved) == 0;
        if (raw) {
                struct termios t = saved;
                cfmakeraw(&t);
                tcsetattr(0, TCSANOW, &t);
                struct winsize ws;
                if (ioctl(0, TIOCGWINSZ, &ws) == 0)
                        ioctl(master, TIOCSWINSZ, &ws);
        }
        bool in_open = true, out_open = true;
        while (out_open) {
                struct pollfd fds[3] = {{.fd = in_open ? 0 : -1, .events = POLLIN},
                                        {.fd = master, .events = POLLIN},
                                        {.fd = pidfd, .events = POLLIN}};
                if (poll(fds, 3, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (fds[0].revents & (POLLIN | POLLHUP))
                        copy_once(0, master, &in_open);
                if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
                        copy_once(master, 1, &out_open);
                if (fds[2].revents & POLLIN) {
                        /* drain what the process wrote before it exited */
                        struct pollfd last = {.fd = master, .events = POLLIN};
                        while (out_open && poll(&last, 1, 0) > 0 && (last.revents & POLLIN))
                                copy_once(master, 1, &out_open);
                        break;
                }
        }
        if (raw)
                tcsetattr(0, TCSANOW, &saved);
}
