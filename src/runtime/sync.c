#include "runtime/sync.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int send_msg(int fd, const void *buf, size_t len, int passfd)
{
        struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } ctl;
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
        if (passfd >= 0) {
                memset(&ctl, 0, sizeof ctl);
                mh.msg_control = ctl.buf;
                mh.msg_controllen = sizeof ctl.buf;
                struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &passfd, sizeof(int));
        }
        for (;;) {
                ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL);
                if (n >= 0)
                        return 0;
                if (errno != EINTR)
                        return -errno;
        }
}

int rt_msg_send(int fd, uint32_t type, int32_t value, const char *text)
{
        struct rt_msg m = {.type = type, .value = value};
        size_t len = offsetof(struct rt_msg, text) + 1;
        if (text) {
                snprintf(m.text, sizeof m.text, "%s", text);
                len += strlen(m.text);
        }
        return send_msg(fd, &m, len, -1);
}

int rt_msg_send_fd(int fd, uint32_t type, int32_t value, int passfd)
{
        struct rt_msg m = {.type = type, .value = value};
        return send_msg(fd, &m, offsetof(struct rt_msg, text) + 1, passfd);
}

int rt_msg_recv(int fd, struct rt_msg *m, int *passfd)
{
        union {
                char buf[CMSG_SPACE(sizeof(int) * 4)];
                struct cmsghdr align;
        } ctl;
        struct iovec iov = {.iov_base = m, .iov_len = sizeof *m};
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = ctl.buf,
                            .msg_controllen = sizeof ctl.buf};
        if (passfd)
                *passfd = -1;
        memset(m, 0, sizeof *m);
        ssize_t n;
        int resets = 0;
        for (;;) {
                n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
                if (n >= 0 || (errno != EINTR && errno != ECONNRESET))
                        break;
                /* a peer that exited without reading what we sent reports
                 * ECONNRESET once; what it sent before is still queued */
                if (errno == ECONNRESET && ++resets > 1)
                        break;
        }
        if (n < 0)
                return -errno;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                size_t nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                for (size_t i = 0; i < nfds; i++) {
                        int got;
                        memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                        if (passfd && *passfd < 0)
                                *passfd = got;
                        else
                                close(got);
                }
        }
        if (n == 0)
                return 0;
        if ((size_t)n < offsetof(struct rt_msg, text))
                return -EPROTO;
        m->text[sizeof m->text - 1] = '\0';
        return 1;
}

int rt_send_fd(int sock, int fd, const char *payload, size_t len)
{
        return send_msg(sock, payload, len, fd);
}

int rt_unix_connect(const char *path, int type)
{
        int s = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
        if (s < 0)
                return -errno;
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int dirfd = -1;
        if (strlen(path) >= sizeof sa.sun_path) {
                /* too long for sun_path: go through the directory's descriptor */
                _cleanup_free_ char *dir = bh_xstrdup(path);
                char *slash = strrchr(dir, '/');
                if (!slash) {
                        close(s);
                        return -ENAMETOOLONG;
                }
                *slash = '\0';
                dirfd = open(*dir ? dir : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (dirfd < 0) {
                        int e = errno;
                        close(s);
                        return -e;
                }
                int n = snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d/%s", dirfd,
                                 slash + 1);
                if (n < 0 || (size_t)n >= sizeof sa.sun_path) {
                        close(dirfd);
                        close(s);
                        return -ENAMETOOLONG;
                }
        } else {
                memcpy(sa.sun_path, path, strlen(path) + 1);
        }
        int r = connect(s, (struct sockaddr *)&sa, sizeof sa);
        int e = errno;
        if (dirfd >= 0)
                close(dirfd);
        if (r < 0) {
                close(s);
                return -e;
        }
        return s;
}
