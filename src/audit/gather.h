/* Internal to the audit's gatherers. */
#pragma once

#include "audit/snapshot.h"
#include "base/error.h"

#include <jansson.h>

char *gather_path(const struct audit_snapshot *s, const char *p);
int gather_read(const struct audit_snapshot *s, const char *p, size_t max, char **data,
                struct bh_error *err);
char *gather_find_program(const struct audit_snapshot *s, const char *name);
long gather_proc_uid(const struct audit_snapshot *s, pid_t pid);
void gather_process_facts(const struct audit_snapshot *s, pid_t pid, struct audit_process_facts *f);

/* The host part: processes, daemon configuration, programs, sockets, audit
 * rules, mounts, rootless readiness, content trust. peer is the pid behind the
 * Docker socket (0 when unknown). */
void gather_host(struct audit_snapshot *s, pid_t peer);
/* File stats and the socket group's members; needs the docker root. */
void gather_stats(struct audit_snapshot *s);

struct bh_docker_endpoint;
/* The setuid/setgid files of every image (4.8), from the images streamed out
 * of the engine in parallel, or from the cache of earlier audits: an image id
 * names its content, so a cached answer never goes stale. */
void gather_image_files(struct audit_snapshot *s, const struct bh_docker_endpoint *ep,
                        long timeout_ms, bool no_cache);

static inline const char *audit_cfg_str_raw(const json_t *config, const char *key)
{
        return config ? json_string_value(json_object_get(config, key)) : NULL;
}
