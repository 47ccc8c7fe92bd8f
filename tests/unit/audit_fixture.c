#include "audit_fixture.h"
#include "audit/daemon_config.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void audit_fixture_merge(json_t *base, const json_t *patch)
{
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)patch, k, v)
        {
                json_t *cur = json_object_get(base, k);
                if (json_is_object(cur) && json_is_object(v))
                        audit_fixture_merge(cur, v);
                else if (json_is_null(v))
                        json_object_del(base, k);
                else
                        json_object_set(base, k, v);
        }
}

static char *str(const json_t *o, const char *k)
{
        const char *v = json_string_value(json_object_get(o, k));
        return v ? bh_xstrdup(v) : NULL;
}

static char **strv(const json_t *o, const char *k)
{
        json_t *a = json_object_get(o, k);
        if (!json_is_array(a))
                return NULL;
        char **v = NULL;
        size_t i;
        json_t *x;
        json_array_foreach(a, i, x) if (json_string_value(x))
            bh_strv_push(&v, json_string_value(x));
        return v; /* NULL for an empty list, as the gatherers leave it */
}

static json_t *take(const json_t *o, const char *k)
{
        json_t *v = json_object_get(o, k);
        return v ? json_deep_copy(v) : NULL;
}

static void set_fail(struct audit_fail *f, const json_t *o, const char *k, int code)
{
        const char *m = json_string_value(json_object_get(o, k));
        if (!m)
                return;
        f->code = code;
        snprintf(f->msg, sizeof f->msg, "%s", m);
}

static void load_proc(struct audit_process_facts *p, const json_t *j)
{
        p->seccomp = (int)bh_json_int(j, "seccomp", 2);
        p->no_new_privs = (int)bh_json_int(j, "nnp", 0);
        const char *cap = bh_json_str(j, "cap_eff");
        p->cap_eff = cap ? strtoull(cap, NULL, 16) : 0xa80425fbULL;
        p->uid = bh_json_int(j, "uid", 0);
        p->uid_map_identity = bh_json_bool(j, "identity", true);
        p->lsm_label = str(j, "label");
        p->comms = strv(j, "comms");
        p->exes = strv(j, "exes");
        if (!p->comms)
                bh_strv_push(&p->comms, "sleep");
        if (!p->exes)
                bh_strv_push(&p->exes, "/bin/sleep");
        set_fail(&p->fail, j, "error", EACCES);
}

static void load_containers(struct audit_snapshot *s, const json_t *list)
{
        size_t n = json_array_size(list);
        s->containers = bh_xcalloc(n + 1, sizeof *s->containers);
        s->ncontainers = n;
        for (size_t i = 0; i < n; i++) {
                json_t *c = json_array_get(list, i);
                struct audit_container *ct = &s->containers[i];
                ct->inspect = take(c, "inspect");
                if (!ct->inspect)
                        ct->inspect = json_object();
                ct->id = bh_json_str(ct->inspect, "Id");
                const char *name = bh_json_str(ct->inspect, "Name");
                ct->name = bh_xstrdup(name ? (name[0] == '/' ? name + 1 : name) : "c");
                ct->running = bh_json_bool(ct->inspect, "State.Running", true);
                ct->pid = (pid_t)bh_json_int(ct->inspect, "State.Pid", 100);
                load_proc(&ct->proc, json_object_get(c, "proc"));
                ct->execs = take(c, "execs");
                if (!ct->execs)
                        ct->execs = json_array();
                set_fail(&ct->fail, c, "error", ENOENT);
        }
}

static void load_images(struct audit_snapshot *s, const json_t *list)
{
        size_t n = json_array_size(list);
        s->images = bh_xcalloc(n + 1, sizeof *s->images);
        s->nimages = n;
        for (size_t i = 0; i < n; i++) {
                json_t *j = json_array_get(list, i);
                struct audit_image *im = &s->images[i];
                im->inspect = take(j, "inspect");
                if (!im->inspect)
                        im->inspect = json_object();
                im->history = take(j, "history");
                if (!im->history)
                        im->history = json_array();
                im->id = bh_json_str(im->inspect, "Id");
                const char *tag =
                    json_string_value(json_array_get(bh_json_get(im->inspect, "RepoTags"), 0));
                im->name = bh_xstrdup(tag ? tag : "img");
                json_t *setid = json_object_get(j, "setid");
                if (json_is_array(setid)) {
                        im->files_gathered = true;
                        im->setid_files = strv(j, "setid");
                        im->setid_count = json_array_size(setid);
                }
                set_fail(&im->files_fail, j, "files_error", EIO);
                set_fail(&im->fail, j, "error", ENOENT);
        }
}

static void load_files(struct audit_snapshot *s, const json_t *files)
{
        const char *path;
        json_t *f;
        json_object_foreach((json_t *)files, path, f)
        {
                struct audit_file *af = audit_snapshot_add_file(s, path);
                if (bh_json_bool(f, "missing", false)) {
                        af->err = ENOENT;
                        continue;
                }
                const char *err = bh_json_str(f, "error");
                if (err) {
                        af->err = EACCES;
                        snprintf(af->errmsg, sizeof af->errmsg, "%s", err);
                        continue;
                }
                const char *mode = bh_json_str(f, "mode");
                af->mode = (mode_t)strtoul(mode ? mode : "0644", NULL, 8);
                af->user = str(f, "user");
                af->group = str(f, "group");
                af->uid =
                    (uid_t)bh_json_int(f, "uid", af->user && strcmp(af->user, "root") ? 1000 : 0);
                af->gid =
                    (gid_t)bh_json_int(f, "gid", af->group && strcmp(af->group, "root") ? 999 : 0);
                af->real = str(f, "real");
        }
}

static void load_rules(struct audit_rules *r, const json_t *j)
{
        if (json_is_array(j)) {
                r->available = true;
                size_t i;
                json_t *x;
                r->paths = bh_xcalloc(1, sizeof(char *));
                json_array_foreach(j, i, x) bh_strv_push(&r->paths, json_string_value(x));
        } else if (json_is_object(j)) {
                r->fail.code = (int)bh_json_int(j, "code", EPERM);
                snprintf(r->fail.msg, sizeof r->fail.msg, "%s",
                         bh_json_str(j, "error") ? bh_json_str(j, "error") : "error");
        }
}

static void load_ids(struct audit_user_entry **out, size_t *n, const json_t *list)
{
        size_t i;
        json_t *x;
        json_array_foreach(list, i, x)
        {
                *out = bh_xreallocarray(*out, *n + 1, sizeof **out);
                (*out)[*n] = (struct audit_user_entry){
                    str(x, "name"), (unsigned long)bh_json_int(x, "first", 100000),
                    (unsigned long)bh_json_int(x, "count", 65536)};
                (*n)++;
        }
}

void audit_fixture_load(struct audit_snapshot *s, const json_t *fx)
{
        memset(s, 0, sizeof *s);
        s->root = "/";
        s->now = (time_t)bh_json_int(fx, "now", 1795000000); /* 2026-11 */
        s->include_stopped = bh_json_bool(fx, "all", false);
        set_fail(&s->api_fail, fx, "api_error", ECONNREFUSED);
        s->version = take(fx, "version");
        s->info = take(fx, "info");
        s->networks = take(fx, "networks");
        s->swarm = take(fx, "swarm");
        s->secrets = take(fx, "secrets");
        set_fail(&s->swarm_fail, fx, "swarm_error", EIO);
        load_containers(s, json_object_get(fx, "containers"));
        load_images(s, json_object_get(fx, "images"));
        s->containers_total =
            (size_t)bh_json_int(fx, "containers_total", (long long)s->ncontainers);
        s->containers_running =
            (size_t)bh_json_int(fx, "containers_running", (long long)s->ncontainers);
        s->dockerd_uid = bh_json_int(fx, "dockerd_uid", 0);
        s->dockerd_user = str(fx, "dockerd_user");
        s->daemon_json_path = str(fx, "daemon_json_path");
        /* the effective configuration: given directly, or merged from argv and daemon.json */
        json_t *argv = json_object_get(fx, "argv");
        s->daemon_json = take(fx, "daemon_json");
        struct bh_error err = {0};
        if (json_is_object(json_object_get(fx, "config"))) {
                s->config = take(fx, "config");
        } else if (argv || s->daemon_json) {
                s->dockerd_argv = strv(fx, "argv");
                json_t *flags = s->dockerd_argv ? audit_dockerd_flags(s->dockerd_argv, &err) : NULL;
                if (s->dockerd_argv && !flags) {
                        s->config_fail.code = err.code;
                        snprintf(s->config_fail.msg, sizeof s->config_fail.msg, "%s", err.msg);
                } else {
                        s->config = audit_config_merge(s->daemon_json, flags);
                }
                json_decref(flags);
        }
        set_fail(&s->config_fail, fx, "config_error", EINVAL);
        s->dockerd_path = str(fx, "dockerd_path");
        s->containerd_path = str(fx, "containerd_path");
        s->shim_path = str(fx, "shim_path");
        s->shim_v1_path = str(fx, "shim_v1_path");
        s->shim_v2_path = str(fx, "shim_v2_path");
        s->runc_path = str(fx, "runc_path");
        s->docker_sockets = strv(fx, "docker_sockets");
        s->containerd_sockets = strv(fx, "containerd_sockets");
        set_fail(&s->containerd_sockets_fail, fx, "containerd_sockets_error", EACCES);
        s->registry_cert_files = strv(fx, "registry_cert_files");
        s->docker_service_files = strv(fx, "docker_service_files");
        s->docker_socket_files = strv(fx, "docker_socket_files");
        load_files(s, json_object_get(fx, "files"));
        load_rules(&s->kernel_rules, json_object_get(fx, "kernel_rules"));
        load_rules(&s->file_rules, json_object_get(fx, "file_rules"));
        s->apparmor = bh_json_bool(fx, "apparmor", false);
        s->selinux = bh_json_bool(fx, "selinux", false);
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(fx, "mounts"), i, m)
        {
                s->mounts = bh_xreallocarray(s->mounts, s->nmounts + 1, sizeof *s->mounts);
                s->mounts[s->nmounts++] =
                    (struct audit_mount){str(m, "dev"), str(m, "mp"), str(m, "fstype"), NULL};
        }
        s->docker_root = str(fx, "docker_root");
        s->socket_group = str(fx, "socket_group");
        s->socket_group_members = strv(fx, "socket_group_members");
        s->trusted_users = strv(fx, "trusted_users");
        set_fail(&s->users_fail, fx, "users_error", EACCES);
        s->newuidmap = str(fx, "newuidmap");
        s->newgidmap = str(fx, "newgidmap");
        s->newuidmap_privileged = bh_json_bool(fx, "newuidmap_privileged", true);
        s->newgidmap_privileged = bh_json_bool(fx, "newgidmap_privileged", true);
        load_ids(&s->subuids, &s->nsubuids, json_object_get(fx, "subuids"));
        load_ids(&s->subgids, &s->nsubgids, json_object_get(fx, "subgids"));
        s->sysctl_unprivileged_userns_clone = bh_json_int(fx, "unprivileged_userns_clone", -1);
        s->sysctl_max_user_namespaces = bh_json_int(fx, "max_user_namespaces", 15000);
        s->sysctl_apparmor_restrict_userns = bh_json_int(fx, "apparmor_restrict_userns", -1);
        s->content_trust_sources = strv(fx, "content_trust_sources");
        s->docker_client_envs = strv(fx, "docker_client_envs");
        s->tcp_listeners = strv(fx, "tcp_listeners");
}
