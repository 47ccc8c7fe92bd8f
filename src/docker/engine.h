/* A client for the Docker Engine API (and Podman's Docker-compatible API)
 * over a unix socket or TCP (optionally TLS), with libcurl. One client holds
 * one connection pool; batches of GETs run concurrently on it. */
#pragma once

#include "base/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct bh_docker_endpoint {
        char *host;      /* as written: "unix:///var/run/docker.sock", "tcp://h:2376" */
        char *unix_path; /* set for unix:// endpoints */
        char *base_url;  /* "http://localhost" for unix sockets, "https://h:2376" for TLS */
        bool tls;
        bool tls_verify;
        char *ca_file, *cert_file, *key_file;
        char *source; /* how it was chosen: "--host", "DOCKER_HOST", "context NAME", ... */
};

/* Environment and files the resolution reads; tests point these elsewhere.
 * NULL members fall back to the process environment. */
struct bh_docker_env {
        const char *docker_host, *docker_context, *docker_config, *home, *xdg_runtime_dir;
        const char *tls_verify, *tls, *cert_path;
        const char *default_socket; /* "/var/run/docker.sock" when NULL */
};

/* Chooses the endpoint the way the docker CLI does: explicit host, DOCKER_HOST,
 * the current context (DOCKER_CONTEXT or config.json), the system socket, then
 * the rootless socket under $XDG_RUNTIME_DIR and Podman's sockets. */
int bh_docker_endpoint_resolve(const char *host_flag, const struct bh_docker_env *env,
                               struct bh_docker_endpoint *ep, struct bh_error *err);
/* Parses one "unix://PATH" or "tcp://HOST[:PORT]" address into ep. */
int bh_docker_endpoint_parse(const char *host, struct bh_docker_endpoint *ep, struct bh_error *err);
void bh_docker_endpoint_free(struct bh_docker_endpoint *ep);

struct bh_docker;

struct bh_docker_options {
        long timeout_ms;         /* whole request; default 10000 */
        long connect_timeout_ms; /* default 3000 */
        size_t max_body;         /* default 64 MiB */
        unsigned parallel;       /* concurrent requests in a batch; default 8 */
};

int bh_docker_open(struct bh_docker **out, const struct bh_docker_endpoint *ep,
                   const struct bh_docker_options *opt, struct bh_error *err);
void bh_docker_close(struct bh_docker *d);

/* One GET whose body is JSON. rc < 0 and err set on transport errors, HTTP
 * statuses >= 400 (message taken from the daemon's {"message":...}) and bad JSON. */
struct bh_docker_request {
        char *path;   /* "/containers/json?all=1"; owned by the caller */
        json_t *json; /* result; owned by the request after the batch */
        long http_status;
        int rc;
        struct bh_error err;
};

/* Runs all requests concurrently on the client's connection pool. */
void bh_docker_get_batch(struct bh_docker *d, struct bh_docker_request *reqs, size_t n);
int bh_docker_get_json(struct bh_docker *d, const char *path, json_t **out, struct bh_error *err);

/* Streams a GET body to a callback (image export, logs). The callback returns
 * 0 to go on, non-zero to stop. */
typedef int (*bh_docker_stream_fn)(const void *data, size_t len, void *user);
int bh_docker_get_stream(struct bh_docker *d, const char *path, bh_docker_stream_fn fn, void *user,
                         struct bh_error *err);

/* The pid at the other end of a unix socket (SO_PEERCRED): for the Docker
 * socket, the daemon (or the service manager holding the listening socket). */
pid_t bh_unix_socket_peer_pid(const char *path, struct bh_error *err);
