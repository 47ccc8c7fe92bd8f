/* Gathering from the Engine API: a few batches of concurrent GETs on one
 * connection pool (the lists, then one request per object), then the /proc
 * facts of each container's processes. */
#include "audit/audit.h"
#include "audit/gather.h"
#include "base/json.h"
#include "base/util.h"
#include "docker/engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void fail_from(struct audit_fail *f, const struct bh_error *err)
{
        f->code = err->code ? err->code : EIO;
        snprintf(f->msg, sizeof f->msg, "%s", err->msg);
}

static bool container_selected(json_t *summary, bool all)
{
        const char *state = bh_json_str(summary, "State");
        if (all)
                return true;
        return state && (strcmp(state, "running") == 0 || strcmp(state, "paused") == 0 ||
                         strcmp(state, "restarting") == 0);
}

static char *image_display_name(json_t *inspect, const char *id)
{
        size_t i;
        json_t *t;
        json_array_foreach(bh_json_get(inspect, "RepoTags"), i, t)
        {
                const char *tag = json_string_value(t);
                if (tag && strcmp(tag, "<none>:<none>") != 0)
                        return bh_xstrdup(tag);
        }
        const char *digest =
            json_string_value(json_array_get(bh_json_get(inspect, "RepoDigests"), 0));
        if (digest)
                return bh_xstrdup(digest);
        const char *hex = bh_startswith(id, "sha256:") ? id + 7 : id;
        return bh_xstrndup(hex, 12);
}

static void gather_containers(struct audit_snapshot *s, struct bh_docker *d, json_t *list)
{
        size_t n = json_array_size(list);
        s->containers_total = n;
        s->containers = bh_xcalloc(n ? n : 1, sizeof *s->containers);
        struct bh_docker_request *reqs = bh_xcalloc(n ? n : 1, sizeof *reqs);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                json_t *c = json_array_get(list, i);
                if (container_selected(c, true) && container_selected(c, false))
                        s->containers_running++;
                if (!container_selected(c, s->include_stopped))
                        continue;
                const char *id = bh_json_str(c, "Id");
                if (!id)
                        continue;
                reqs[k].path = bh_xasprintf("/containers/%s/json", id);
                s->containers[k].name = bh_xstrdup(id);
                k++;
        }
        bh_docker_get_batch(d, reqs, k);
        s->ncontainers = k;
        size_t nexec = 0;
        for (size_t i = 0; i < k; i++) {
                struct audit_container *ct = &s->containers[i];
                if (reqs[i].rc < 0) {
                        /* vanished between the list and the inspect, or a broken answer */
                        fail_from(&ct->fail, &reqs[i].err);
                        if (reqs[i].http_status == 404)
                                snprintf(ct->fail.msg, sizeof ct->fail.msg,
                                         "container %.12s went away during the audit", ct->name);
                } else {
                        ct->inspect = reqs[i].json;
                        ct->id = bh_json_str(ct->inspect, "Id");
                        const char *name = bh_json_str(ct->inspect, "Name");
                        if (name) {
                                free(ct->name);
                                ct->name = bh_xstrdup(name[0] == '/' ? name + 1 : name);
                        }
                        if (!ct->id)
                                ct->id = ct->name;
                        ct->running = bh_json_bool(ct->inspect, "State.Running", false);
                        ct->pid = (pid_t)bh_json_int(ct->inspect, "State.Pid", 0);
                        nexec += bh_json_array_len(ct->inspect, "ExecIDs");
                }
                free(reqs[i].path);
        }
        free(reqs);
        /* the exec sessions the daemon still remembers (5.23, 5.24) */
        struct bh_docker_request *ereqs = bh_xcalloc(nexec ? nexec : 1, sizeof *ereqs);
        size_t *owner = bh_xcalloc(nexec ? nexec : 1, sizeof *owner);
        size_t e = 0;
        for (size_t i = 0; i < k; i++) {
                size_t j;
                json_t *x;
                s->containers[i].execs = json_array();
                json_array_foreach(bh_json_get(s->containers[i].inspect, "ExecIDs"), j, x)
                {
                        if (!json_string_value(x) || e >= nexec)
                                continue;
                        ereqs[e].path = bh_xasprintf("/exec/%s/json", json_string_value(x));
                        owner[e++] = i;
                }
        }
        bh_docker_get_batch(d, ereqs, e);
        for (size_t i = 0; i < e; i++) {
                if (ereqs[i].rc == 0)
                        json_array_append_new(s->containers[owner[i]].execs, ereqs[i].json);
                free(ereqs[i].path);
        }
        free(ereqs);
        free(owner);
        for (size_t i = 0; i < k; i++) {
                struct audit_container *ct = &s->containers[i];
                if (ct->inspect && ct->running && ct->pid > 0)
                        gather_process_facts(s, ct->pid, &ct->proc);
                else
                        ct->proc.seccomp = ct->proc.no_new_privs = -1, ct->proc.uid = -1;
        }
}

static void gather_images(struct audit_snapshot *s, struct bh_docker *d, json_t *list)
{
        size_t n = json_array_size(list);
        s->images = bh_xcalloc(n ? n : 1, sizeof *s->images);
        struct bh_docker_request *reqs = bh_xcalloc(2 * n + 1, sizeof *reqs);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
                const char *id = bh_json_str(json_array_get(list, i), "Id");
                if (!id)
                        continue;
                reqs[2 * k].path = bh_xasprintf("/images/%s/json", id);
                reqs[2 * k + 1].path = bh_xasprintf("/images/%s/history", id);
                s->images[k].name = bh_xstrdup(id);
                k++;
        }
        bh_docker_get_batch(d, reqs, 2 * k);
        s->nimages = k;
        for (size_t i = 0; i < k; i++) {
                struct audit_image *im = &s->images[i];
                struct bh_docker_request *ri = &reqs[2 * i], *rh = &reqs[2 * i + 1];
                if (ri->rc < 0) {
                        fail_from(&im->fail, &ri->err);
                        if (ri->http_status == 404)
                                snprintf(im->fail.msg, sizeof im->fail.msg,
                                         "image %.19s went away during the audit", im->name);
                } else {
                        im->inspect = ri->json;
                        im->id = bh_json_str(im->inspect, "Id");
                        char *name = image_display_name(im->inspect, im->id ? im->id : im->name);
                        free(im->name);
                        im->name = name;
                        if (!im->id)
                                im->id = im->name;
                }
                if (rh->rc == 0)
                        im->history = rh->json;
                else
                        im->history = json_array();
                free(ri->path);
                free(rh->path);
        }
        free(reqs);
}

/* Reports list containers and images by name, whatever order the engine used. */
static int cmp_container(const void *a, const void *b)
{
        const struct audit_container *x = a, *y = b;
        return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

static int cmp_image(const void *a, const void *b)
{
        const struct audit_image *x = a, *y = b;
        int r = strcmp(x->name ? x->name : "", y->name ? y->name : "");
        return r ? r : strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static void gather_swarm(struct audit_snapshot *s, struct bh_docker *d)
{
        if (!bh_json_bool(s->info, "Swarm.ControlAvailable", false))
                return;
        struct bh_docker_request reqs[2] = {{.path = "/swarm"}, {.path = "/secrets"}};
        bh_docker_get_batch(d, reqs, 2);
        if (reqs[0].rc == 0)
                s->swarm = reqs[0].json;
        else
                fail_from(&s->swarm_fail, &reqs[0].err);
        if (reqs[1].rc == 0)
                s->secrets = reqs[1].json;
}

static void gather_engine(struct audit_snapshot *s, struct bh_docker *d,
                          const struct bh_docker_endpoint *ep, const struct audit_gather_options *o)
{
        struct bh_docker_request lists[] = {
            {.path = "/version"},     {.path = "/info"},     {.path = "/containers/json?all=1"},
            {.path = "/images/json"}, {.path = "/networks"}, {.path = "/volumes"},
        };
        bh_docker_get_batch(d, lists, BH_ARRAY_SIZE(lists));
        if (lists[0].rc < 0 || lists[1].rc < 0) {
                const struct bh_docker_request *bad = lists[0].rc < 0 ? &lists[0] : &lists[1];
                s->api_fail.code = bad->err.code ? bad->err.code : EIO;
                snprintf(s->api_fail.msg, sizeof s->api_fail.msg, "%s", bad->err.msg);
                for (size_t i = 0; i < BH_ARRAY_SIZE(lists); i++)
                        json_decref(lists[i].json);
                return;
        }
        s->version = lists[0].json;
        s->info = lists[1].json;
        size_t ci;
        json_t *comp;
        json_array_foreach(bh_json_get(s->version, "Components"), ci, comp)
        {
                const char *name = bh_json_str(comp, "Name");
                if (name && strstr(name, "Podman"))
                        s->podman = true;
        }

        s->networks = lists[4].rc == 0 ? lists[4].json : json_array();
        s->volumes = lists[5].rc == 0 ? lists[5].json : NULL;
        if (lists[2].rc < 0 || lists[3].rc < 0) {
                const struct bh_docker_request *bad = lists[2].rc < 0 ? &lists[2] : &lists[3];
                s->api_fail.code = bad->err.code ? bad->err.code : EIO;
                snprintf(s->api_fail.msg, sizeof s->api_fail.msg, "%s", bad->err.msg);
                json_decref(lists[2].json);
                json_decref(lists[3].json);
                return;
        }
        gather_containers(s, d, lists[2].json);
        gather_images(s, d, lists[3].json);
        qsort(s->containers, s->ncontainers, sizeof *s->containers, cmp_container);
        qsort(s->images, s->nimages, sizeof *s->images, cmp_image);

        json_decref(lists[2].json);
        json_decref(lists[3].json);
        gather_swarm(s, d);
        if (o->image_files)
                gather_image_files(s, ep, o->timeout_ms, o->no_cache);
}

void audit_gather(struct audit_snapshot *s, const struct audit_gather_options *o)
{
        s->root = o->root ? o->root : "/";
        s->now = time(NULL);
        s->include_stopped = o->all_containers;
        struct bh_docker_endpoint ep = {0};
        struct bh_error err = {0};
        pid_t peer = 0;
        struct bh_docker *d = NULL;
        if (bh_docker_endpoint_resolve(o->host, NULL, &ep, &err) < 0) {
                fail_from(&s->api_fail, &err);
        } else {
                s->endpoint = bh_xstrdup(ep.host);
                if (ep.unix_path && strcmp(s->root, "/") == 0)
                        peer = bh_unix_socket_peer_pid(ep.unix_path, NULL);
                if (peer < 0)
                        peer = 0;
                struct bh_docker_options dopt = {.timeout_ms = o->timeout_ms};
                if (bh_docker_open(&d, &ep, &dopt, &err) < 0)
                        fail_from(&s->api_fail, &err);
        }
        /* the engine first: the host's part needs to know whether it is Podman */
        if (d)
                gather_engine(s, d, &ep, o);
        gather_host(s, peer);

        if (s->api_fail.code && s->endpoint) {
                char msg[AUDIT_MSG_MAX];
                snprintf(msg, sizeof msg, "the Docker daemon at %s (%s) could not be asked: %s",
                         s->endpoint, ep.source ? ep.source : "default", s->api_fail.msg);

                memcpy(s->api_fail.msg, msg, sizeof msg);
        }
        const char *root = bh_json_str(s->info, "DockerRootDir");
        if (!root)
                root = audit_cfg_str_raw(s->config, "data-root");
        s->docker_root = bh_xstrdup(root ? root : "/var/lib/docker");
        gather_stats(s);
        bh_docker_close(d);
        bh_docker_endpoint_free(&ep);
}
