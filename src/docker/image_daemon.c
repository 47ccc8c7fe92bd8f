/* An image in the local engine, streamed from GET /images/{id}/get (the
 * docker-archive format) through a socket pair into the archive reader: the
 * image is never written to disk, and only one buffer of it is in memory. */
#include "docker/image_internal.h"
#include "base/json.h"
#include "base/util.h"
#include "docker/engine.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct pump {
        struct bh_docker *d;
        const char *path;
        int fd; /* write end */
        int rc;
        struct bh_error err;
};

static int pump_write(const void *data, size_t len, void *user)
{
        struct pump *p = user;
        const char *c = data;
        while (len > 0) {
                ssize_t w = send(p->fd, c, len, MSG_NOSIGNAL);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0)
                        return 1; /* the reader stopped: stop the transfer */
                c += w;
                len -= (size_t)w;
        }
        return 0;
}

static void *pump_run(void *user)
{
        struct pump *p = user;
        p->rc = bh_docker_get_stream(p->d, p->path, pump_write, p, &p->err);
        close(p->fd);
        return NULL;
}

/* Percent-encodes what may not stand in a URL path. */
static char *escape_ref(const char *ref)
{
        size_t n = strlen(ref);
        char *out = bh_xmalloc(3 * n + 1), *o = out;
        for (const char *s = ref; *s; s++) {
                unsigned char c = (unsigned char)*s;
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    strchr("._-:/@", c))
                        *o++ = (char)c;
                else
                        o += sprintf(o, "%%%02X", c);
        }
        *o = '\0';
        return out;
}

int image_open_daemon(struct bh_image *img, struct bh_docker *d, const char *ref,
                      const struct bh_image_options *opt, struct bh_error *err)
{
        _cleanup_free_ char *esc = escape_ref(ref);
        _cleanup_free_ char *inspect = bh_xasprintf("/images/%s/json", esc);
        _cleanup_json_ json_t *info = NULL;
        int rc = bh_docker_get_json(d, inspect, &info, err);
        if (rc < 0) {
                if (rc == -ENOENT)
                        return bh_error_set(err, ENOENT,
                                            "%s: no such image in the local engine (and no such "
                                            "file)",
                                            ref);
                return rc;
        }
        const char *id = bh_json_str(info, "Id");
        if (!id)
                return bh_error_set(err, EBADMSG, "%s: the engine's answer has no image Id", ref);
        _cleanup_free_ char *path = bh_xasprintf("/images/%s/get", id);
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                return bh_error_errno(err, errno, "socketpair");
        struct pump p = {.d = d, .path = path, .fd = sv[1]};
        pthread_t th;
        if (pthread_create(&th, NULL, pump_run, &p) != 0) {
                close(sv[0]);
                close(sv[1]);
                return bh_error_set(err, EAGAIN, "cannot start a thread");
        }
        _cleanup_free_ char *what = bh_xasprintf("image %s from the engine", ref);
        rc = image_open_archive_fd(img, sv[0], what, NULL, opt, err);
        close(sv[0]); /* a writer still sending gets EPIPE and stops */
        pthread_join(th, NULL);
        if (p.rc < 0) /* the transfer's own failure explains a short archive best */
                rc = bh_error_set(err, p.err.code, "%s", p.err.msg);
        if (rc < 0)
                return rc;
        /* docker save by id names no tags: take them from the inspect answer */
        bh_strv_free(img->repo_tags);
        img->repo_tags = NULL;
        size_t i;
        const json_t *t;
        json_array_foreach(bh_json_get(info, "RepoTags"), i, t)
        {
                if (json_is_string(t))
                        bh_strv_push(&img->repo_tags, json_string_value(t));
        }
        return 0;
}
