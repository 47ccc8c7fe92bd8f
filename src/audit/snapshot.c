#include "audit/snapshot.h"
#include "base/util.h"

#include <string.h>

const struct audit_file *audit_snapshot_file(const struct audit_snapshot *s, const char *path)
{
        for (size_t i = 0; path && i < s->nfiles; i++)
                if (strcmp(s->files[i].path, path) == 0)
                        return &s->files[i];
        return NULL;
}

struct audit_file *audit_snapshot_add_file(struct audit_snapshot *s, const char *path)
{
        const struct audit_file *existing = audit_snapshot_file(s, path);
        if (existing)
                return (struct audit_file *)existing;
        s->files = bh_xreallocarray(s->files, s->nfiles + 1, sizeof *s->files);
        struct audit_file *f = &s->files[s->nfiles++];
        memset(f, 0, sizeof *f);
        f->path = bh_xstrdup(path);
        return f;
}

static void free_proc(struct audit_process_facts *p)
{
        free(p->lsm_label);
        bh_strv_free(p->comms);
        bh_strv_free(p->exes);
}

void audit_snapshot_free(struct audit_snapshot *s)
{
        free(s->endpoint);
        json_decref(s->version);
        json_decref(s->info);
        json_decref(s->networks);
        json_decref(s->volumes);
        json_decref(s->swarm);
        json_decref(s->secrets);
        for (size_t i = 0; i < s->ncontainers; i++) {
                json_decref(s->containers[i].inspect);
                json_decref(s->containers[i].execs);
                free(s->containers[i].name);
                free_proc(&s->containers[i].proc);
        }
        free(s->containers);
        for (size_t i = 0; i < s->nimages; i++) {
                json_decref(s->images[i].inspect);
                json_decref(s->images[i].history);
                free(s->images[i].name);
                bh_strv_free(s->images[i].setid_files);
        }
        free(s->images);
        bh_strv_free(s->dockerd_argv);
        free(s->argv_source);
        free(s->dockerd_user);
        free(s->daemon_json_path);
        json_decref(s->daemon_json);
        json_decref(s->config);
        free(s->dockerd_path);
        free(s->containerd_path);
        free(s->shim_path);
        free(s->shim_v1_path);
        free(s->shim_v2_path);
        free(s->runc_path);
        bh_strv_free(s->docker_sockets);
        bh_strv_free(s->containerd_sockets);
        bh_strv_free(s->registry_cert_files);
        bh_strv_free(s->docker_service_files);
        bh_strv_free(s->docker_socket_files);
        for (size_t i = 0; i < s->nfiles; i++) {
                free(s->files[i].path);
                free(s->files[i].real);
                free(s->files[i].user);
                free(s->files[i].group);
        }
        free(s->files);
        bh_strv_free(s->kernel_rules.paths);
        bh_strv_free(s->file_rules.paths);
        for (size_t i = 0; i < s->nmounts; i++) {
                free(s->mounts[i].device);
                free(s->mounts[i].mount_point);
                free(s->mounts[i].fstype);
                free(s->mounts[i].source);
        }
        free(s->mounts);
        free(s->docker_root);
        free(s->socket_group);
        bh_strv_free(s->socket_group_members);
        free(s->newuidmap);
        free(s->newgidmap);
        for (size_t i = 0; i < s->nsubuids; i++)
                free(s->subuids[i].name);
        free(s->subuids);
        for (size_t i = 0; i < s->nsubgids; i++)
                free(s->subgids[i].name);
        free(s->subgids);
        bh_strv_free(s->content_trust_sources);
        bh_strv_free(s->docker_client_envs);
        bh_strv_free(s->tcp_listeners);
        bh_strv_free(s->trusted_users);
        memset(s, 0, sizeof *s);
}
