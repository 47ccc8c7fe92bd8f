#include "docker/engine.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/log.h"
#include "base/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct bh_docker {
        struct bh_docker_endpoint ep;
        struct bh_docker_options opt;
        CURLM *multi;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
        curl_global_init(CURL_GLOBAL_DEFAULT);
}

static char *dup_or_null(const char *s)
{
        return s ? bh_xstrdup(s) : NULL;
}

int bh_docker_open(struct bh_docker **out, const struct bh_docker_endpoint *ep,
                   const struct bh_docker_options *opt, struct bh_error *err)
{
        pthread_once(&curl_once, curl_init_once);
        struct bh_docker *d = bh_xcalloc(1, sizeof *d);
        d->ep.host = dup_or_null(ep->host);
        d->ep.unix_path = dup_or_null(ep->unix_path);
        d->ep.base_url = dup_or_null(ep->base_url);
        d->ep.tls = ep->tls;
        d->ep.tls_verify = ep->tls_verify;
        d->ep.ca_file = dup_or_null(ep->ca_file);
        d->ep.cert_file = dup_or_null(ep->cert_file);
        d->ep.key_file = dup_or_null(ep->key_file);
        d->ep.source = dup_or_null(ep->source);
        if (opt)
                d->opt = *opt;
        if (d->opt.timeout_ms <= 0)
                d->opt.timeout_ms = 10000;
        if (d->opt.connect_timeout_ms <= 0)
                d->opt.connect_timeout_ms = 3000;
        if (d->opt.max_body == 0)
                d->opt.max_body = 64u << 20;
        if (d->opt.parallel == 0)
                d->opt.parallel = 8;
        d->multi = curl_multi_init();
        if (!d->multi) {
                bh_docker_close(d);
                return bh_error_set(err, ENOMEM, "cannot start an HTTP client");
        }
        curl_multi_setopt(d->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)d->opt.parallel);
        curl_multi_setopt(d->multi, CURLMOPT_MAXCONNECTS, (long)d->opt.parallel);
        *out = d;
        return 0;
}

void bh_docker_close(struct bh_docker *d)
{
        if (!d)
                return;
        if (d->multi)
                curl_multi_cleanup(d->multi);
        bh_docker_endpoint_free(&d->ep);
        free(d);
}

struct stream_ctx {
        const char *path;
        long status;
        int rc;
        struct bh_error *err;
};

/* One transfer in flight. */
struct transfer {
        CURL *easy;
        struct bh_buf body;
        size_t max_body;
        bool too_big;
        bh_docker_stream_fn stream;
        void *stream_user;
        bool stopped;
        char errbuf[CURL_ERROR_SIZE];
        struct bh_docker_request *req; /* batch transfers */
        struct stream_ctx *sctx;       /* stream transfers */
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
        struct transfer *t = user;
        size_t n = size * nmemb;
        if (t->stream) {
                long status = 0;
                curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
                if (status < 400) {
                        if (t->stream(data, n, t->stream_user) != 0) {
                                t->stopped = true;
                                return 0;
                        }
                        return n;
                }
        }
        if (t->body.len + n > t->max_body) {
                t->too_big = true;
                return 0;
        }
        bh_buf_append(&t->body, data, n);
        return n;
}

static CURL *new_easy(struct bh_docker *d, const char *path, struct transfer *t)
{
        CURL *c = curl_easy_init();
        if (!c)
                return NULL;
        _cleanup_free_ char *url = bh_xasprintf("%s%s", d->ep.base_url, path);
        curl_easy_setopt(c, CURLOPT_URL, url);
        if (d->ep.unix_path)
                curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, d->ep.unix_path);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, d->opt.timeout_ms);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, d->opt.connect_timeout_ms);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(c, CURLOPT_USERAGENT, "bulkhead");
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
        curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->errbuf);
        curl_easy_setopt(c, CURLOPT_PRIVATE, t);
        if (d->ep.tls) {
                if (d->ep.ca_file && access(d->ep.ca_file, R_OK) == 0)
                        curl_easy_setopt(c, CURLOPT_CAINFO, d->ep.ca_file);
                if (d->ep.cert_file && access(d->ep.cert_file, R_OK) == 0)
                        curl_easy_setopt(c, CURLOPT_SSLCERT, d->ep.cert_file);
                if (d->ep.key_file && access(d->ep.key_file, R_OK) == 0)
                        curl_easy_setopt(c, CURLOPT_SSLKEY, d->ep.key_file);
                curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, d->ep.tls_verify ? 1L : 0L);
                curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, d->ep.tls_verify ? 2L : 0L);
        }
        t->easy = c;
        t->max_body = d->opt.max_body;
        return c;
}

static int unix_connect_errno(const char *path)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        if (strlen(path) >= sizeof addr.sun_path)
                return ENAMETOOLONG;
        strcpy(addr.sun_path, path);
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return errno;
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0)
                return ECONNREFUSED;
        return errno;
}

static const char *where(const struct bh_docker *d)
{
        return d->ep.unix_path ? d->ep.unix_path : d->ep.base_url;
}

/* Turns a finished transfer into rc/err/json on its request. */
static void finish(struct bh_docker *d, struct transfer *t, CURLcode code, const char *path,
                   long *status_out, int *rc, struct bh_error *err, json_t **json, bool want_json)
{
        long status = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
        *status_out = status;
        *rc = 0;
        if (bh_log_threshold >= BH_LOG_DEBUG) {
                curl_off_t us = 0;
                curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &us);
                bh_debug("GET %s: %ld, %zu bytes, %.1f ms%s%s", path, status, t->body.len,
                         (double)us / 1000, code != CURLE_OK ? ": " : "",
                         code != CURLE_OK ? curl_easy_strerror(code) : "");
        }
        if (t->too_big) {
                *rc =
                    bh_error_set(err, EFBIG, "GET %s: the daemon's answer is larger than %zu bytes",
                                 path, t->max_body);
                return;
        }
        if (t->stopped)
                return;
        if (code == CURLE_COULDNT_CONNECT && d->ep.unix_path) {
                /* curl's message names "localhost port 80"; say why the socket refused */
                int e = unix_connect_errno(d->ep.unix_path);
                *rc = bh_error_set(err, e, "GET %s: cannot connect to %s: %s", path,
                                   d->ep.unix_path, strerror(e));
                return;
        }
        if (code != CURLE_OK) {
                int e = code == CURLE_OPERATION_TIMEDOUT ? ETIMEDOUT

                        : code == CURLE_COULDNT_CONNECT ? ECONNREFUSED
                                                        : EPROTO;
                *rc = bh_error_set(err, e, "GET %s from %s: %s", path, where(d),
                                   t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
                return;
        }
        if (status >= 400) {
                struct bh_error ignored;
                _cleanup_json_ json_t *j =
                    bh_json_parse(t->body.data ? t->body.data : "", t->body.len, path, &ignored);
                const char *msg = bh_json_str(j, "message");
                int e = status == 404 ? ENOENT : (status == 401 || status == 403) ? EACCES : EIO;
                *rc = bh_error_set(err, e, "GET %s: the daemon answered %ld: %s", path, status,
                                   msg ? msg : "no message");
                return;
        }
        if (!want_json)
                return;
        _cleanup_free_ char *what = bh_xasprintf("GET %s", path);
        *json = bh_json_parse(t->body.data ? t->body.data : "", t->body.len, what, err);
        if (!*json)
                *rc = -err->code;
}

static void run_multi(struct bh_docker *d, struct transfer *ts, size_t n, size_t limit,
                      void (*done)(struct bh_docker *, struct transfer *, CURLcode))
{
        size_t next = 0, running = 0;
        while (next < n || running > 0) {
                while (next < n && running < limit) {
                        if (ts[next].easy) {
                                curl_multi_add_handle(d->multi, ts[next].easy);
                                running++;
                        } else {
                                done(d, &ts[next], CURLE_OUT_OF_MEMORY);
                        }
                        next++;
                }
                int still = 0;
                curl_multi_perform(d->multi, &still);
                CURLMsg *m;
                int left;
                while ((m = curl_multi_info_read(d->multi, &left))) {
                        if (m->msg != CURLMSG_DONE)
                                continue;
                        struct transfer *t = NULL;
                        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
                        CURLcode code = m->data.result;
                        curl_multi_remove_handle(d->multi, m->easy_handle);
                        running--;
                        done(d, t, code);
                }
                if (running > 0)
                        curl_multi_poll(d->multi, NULL, 0, 100, NULL);
        }
}

static void batch_done(struct bh_docker *d, struct transfer *t, CURLcode code)
{
        struct bh_docker_request *req = t->req;
        finish(d, t, code, req->path, &req->http_status, &req->rc, &req->err, &req->json, true);
        if (t->easy)
                curl_easy_cleanup(t->easy);
        t->easy = NULL;
        bh_buf_free(&t->body);
}

void bh_docker_get_batch(struct bh_docker *d, struct bh_docker_request *reqs, size_t n)
{
        if (n == 0)
                return;
        struct transfer *ts = bh_xcalloc(n, sizeof *ts);
        for (size_t i = 0; i < n; i++) {
                reqs[i].json = NULL;
                reqs[i].rc = 0;
                reqs[i].http_status = 0;
                bh_error_clear(&reqs[i].err);
                ts[i].req = &reqs[i];
                new_easy(d, reqs[i].path, &ts[i]);
        }
        /* More transfers in flight than connections: curl queues the rest and
         * hands each a pooled connection as soon as one frees. */
        run_multi(d, ts, n, (size_t)d->opt.parallel * 4, batch_done);
        free(ts);
}

int bh_docker_get_json(struct bh_docker *d, const char *path, json_t **out, struct bh_error *err)
{
        struct bh_docker_request req = {.path = (char *)path};
        bh_docker_get_batch(d, &req, 1);
        if (req.rc < 0) {
                if (err)
                        *err = req.err;
                json_decref(req.json);
                return req.rc;
        }
        *out = req.json;
        return 0;
}

static void stream_done(struct bh_docker *d, struct transfer *t, CURLcode code)
{
        struct stream_ctx *s = t->sctx;
        json_t *unused = NULL;
        finish(d, t, code, s->path, &s->status, &s->rc, s->err, &unused, false);
        if (t->easy)
                curl_easy_cleanup(t->easy);
        t->easy = NULL;
        bh_buf_free(&t->body);
}

int bh_docker_get_stream(struct bh_docker *d, const char *path, bh_docker_stream_fn fn, void *user,
                         struct bh_error *err)
{
        struct bh_error local = {0};
        struct stream_ctx s = {.path = path, .err = err ? err : &local};
        struct transfer t = {.stream = fn, .stream_user = user, .sctx = &s};
        new_easy(d, path, &t);
        if (t.easy) { /* a stream may run long: no whole-request timeout, a stall limit */
                curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, 0L);
                curl_easy_setopt(t.easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
                curl_easy_setopt(
                    t.easy, CURLOPT_LOW_SPEED_TIME,
                    (long)(d->opt.timeout_ms / 1000 > 0 ? d->opt.timeout_ms / 1000 : 1));
        }
        run_multi(d, &t, 1, 1, stream_done);
        return s.rc;
}

pid_t bh_unix_socket_peer_pid(const char *path, struct bh_error *err)
{
        struct sockaddr_un addr = {.sun_family = AF_UNIX};
        if (strlen(path) >= sizeof addr.sun_path)
                return bh_error_set(err, ENAMETOOLONG, "%s: socket path too long", path);
        strcpy(addr.sun_path, path);
        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return bh_error_errno(err, errno, "socket");
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
                return bh_error_errno(err, errno, "%s", path);
        struct ucred cred;
        socklen_t len = sizeof cred;
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
                return bh_error_errno(err, errno, "%s: SO_PEERCRED", path);
        return cred.pid;
}
