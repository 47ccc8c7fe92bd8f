/* Messages between the runtime and the container's init over one
 * SOCK_SEQPACKET socket pair (one message per packet), and file descriptors
 * passed with SCM_RIGHTS. */
#pragma once

#include <stddef.h>
#include <stdint.h>

enum rt_msg_type {
        RT_MSG_GO = 1,     /* runtime -> init: cgroups joined, ids mapped; value: host pid */
        RT_MSG_ERROR,      /* init -> runtime: text is the error, then the init exits */
        RT_MSG_HOOKS,      /* init -> runtime: run prestart and createRuntime hooks now */
        RT_MSG_HOOKS_DONE, /* runtime -> init */
        RT_MSG_READY,      /* init -> runtime: created, waiting for start */
        RT_MSG_START,      /* runtime/start -> init: exec the process */
        RT_MSG_FD,         /* either way: a descriptor (pty master, seccomp listener) */
        RT_MSG_UNSHARED,   /* init (first stage) -> runtime: a new user namespace, map it */
        RT_MSG_MAPPED,     /* runtime -> init */
        RT_MSG_CHILD,      /* exec intermediate -> runtime: value is the process pid */
};

struct rt_msg {
        uint32_t type;
        int32_t value;
        char text[1536];
};

int rt_msg_send(int fd, uint32_t type, int32_t value, const char *text);
/* Sends passfd along with the message. */
int rt_msg_send_fd(int fd, uint32_t type, int32_t value, int passfd);
/* 1 with a message (and *passfd >= 0 when one came), 0 at end of file,
 * -errno on error. passfd may be NULL (any descriptor received is closed). */
int rt_msg_recv(int fd, struct rt_msg *m, int *passfd);
/* Sends one descriptor with a short payload over a connected unix socket
 * (the console socket protocol: the payload is ignored by receivers). */
int rt_send_fd(int sock, int fd, const char *payload, size_t len);
/* Connects a SOCK_STREAM unix socket to path (long paths through /proc/self/fd). */
int rt_unix_connect(const char *path, int type);
