/* The audit's check table and the helpers checks use to report. Each check
 * is one row: identity (stable rule name, CIS ids in the 1.6/1.7 and 1.8
 * numbering), metadata, and one judging function of the snapshot. */
#pragma once

#include "audit/snapshot.h"
#include "report/report.h"

enum audit_scope {
        AUDIT_SCOPE_HOST,      /* host files and /proc only */
        AUDIT_SCOPE_DAEMON,    /* the daemon's configuration (flags + daemon.json) */
        AUDIT_SCOPE_ENGINE,    /* needs the Engine API */
        AUDIT_SCOPE_CONTAINER, /* once per container; needs the Engine API */
        AUDIT_SCOPE_IMAGE,     /* once per image; needs the Engine API */
        AUDIT_SCOPE_SWARM,     /* needs the Engine API and an active swarm */
};

struct audit_ctx;

typedef void (*audit_host_fn)(const struct audit_snapshot *s, struct audit_ctx *c);
typedef void (*audit_container_fn)(const struct audit_snapshot *s, const struct audit_container *ct,
                                   struct audit_ctx *c);
typedef void (*audit_image_fn)(const struct audit_snapshot *s, const struct audit_image *im,
                               struct audit_ctx *c);

struct audit_check {
        const char *rule;  /* stable internal id: "container-host-network" */
        const char *cis16; /* id in CIS 1.6.0 and 1.7.0, NULL when not a CIS item there */
        const char *cis18; /* id in CIS 1.8.0, NULL when not a CIS item there */
        const char *bh_id; /* id of Bulkhead's own checks ("BH-1"), NULL for CIS items */
        const char *title; /* in our words */
        unsigned char level;
        enum bh_severity severity;
        enum audit_scope scope;
        const char *remediation;
        audit_host_fn host; /* HOST, DAEMON, ENGINE and SWARM scopes */
        audit_container_fn container;
        audit_image_fn image;
        const void *arg; /* what a shared judging function needs (audit_ctx_arg) */
};

/* The check's arg, for functions that serve several rows. */
const void *audit_ctx_arg(const struct audit_ctx *c);

/* Where the paths a host check looks at come from. */
enum audit_paths {
        AUDIT_PATHS_FIXED,          /* rule->path */
        AUDIT_PATHS_DOCKERD,        /* the dockerd program */
        AUDIT_PATHS_CONTAINERD,     /* the containerd program */
        AUDIT_PATHS_SHIM,           /* containerd-shim */
        AUDIT_PATHS_SHIM_V1,        /* containerd-shim-runc-v1 */
        AUDIT_PATHS_SHIM_V2,        /* containerd-shim-runc-v2 */
        AUDIT_PATHS_RUNC,           /* runc */
        AUDIT_PATHS_DOCKER_ROOT,    /* the Docker root directory */
        AUDIT_PATHS_DAEMON_JSON,    /* daemon.json (or --config-file) */
        AUDIT_PATHS_SERVICE_UNITS,  /* docker.service and its drop-ins */
        AUDIT_PATHS_SOCKET_UNITS,   /* docker.socket and its drop-ins */
        AUDIT_PATHS_REGISTRY_CERTS, /* files under /etc/docker/certs.d */
        AUDIT_PATHS_CONTAINERD_SOCKETS,
        AUDIT_PATHS_CONFIG_KEY, /* the file a configuration key names (rule->path) */
};

/* A host check about files: which ones, and for section 3 the owner or the
 * widest mode they may have. */
struct audit_path_rule {
        enum audit_paths source;
        const char *path; /* AUDIT_PATHS_FIXED: the path; AUDIT_PATHS_CONFIG_KEY: the key */
        const char *what; /* for messages when there is none */
        const char *owner, *group; /* owner checks */
        mode_t max_mode;           /* mode checks (owner == NULL) */
};

/* The paths of a rule on this host (NULL-terminated, owned by the caller,
 * NULL when there are none). */
char **audit_rule_paths(const struct audit_snapshot *s, const struct audit_path_rule *r);
/* When a rule has no paths because they could not be looked for, emits the
 * error and returns true. */
bool audit_rule_paths_unknown(const struct audit_snapshot *s, const struct audit_path_rule *r,
                              struct audit_ctx *c);

/* The tables, one per section file. */
extern const struct audit_check audit_checks_host[];
extern const struct audit_check audit_checks_daemon[];
extern const struct audit_check audit_checks_files[];
extern const struct audit_check audit_checks_images[];
extern const struct audit_check audit_checks_containers[];
extern const struct audit_check audit_checks_operations[];
extern const struct audit_check audit_checks_swarm[];
extern const struct audit_check audit_checks_beyond[];

/* Reporting from a check. The target is the current container or image for
 * per-target checks, the host or daemon otherwise. */
void audit_emit(struct audit_ctx *c, enum bh_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A result about one file (target kind file). */
void audit_emit_file(struct audit_ctx *c, enum bh_status status, const char *path, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));

/* Shared judgements */
/* Owner must be want_user:want_group (want_group NULL: any group). */
void audit_judge_owner(const struct audit_snapshot *s, struct audit_ctx *c, const char *path,
                       const char *want_user, const char *want_group);
/* No permission bit outside max_mode may be set (bitwise, not numeric). */
void audit_judge_mode(const struct audit_snapshot *s, struct audit_ctx *c, const char *path,
                      mode_t max_mode);

/* Effective daemon configuration lookups (flags merged onto daemon.json). */
const char *audit_cfg_str(const struct audit_snapshot *s, const char *key);
/* 1 true, 0 false, -1 not set */
int audit_cfg_bool(const struct audit_snapshot *s, const char *key);
json_t *audit_cfg(const struct audit_snapshot *s, const char *key);
/* When the daemon's configuration could not be read at all, emits the error
 * and returns true. */
bool audit_cfg_unavailable(const struct audit_snapshot *s, struct audit_ctx *c);

/* True when the Engine reports this security option (name=seccomp, name=userns...). */
bool audit_engine_security_option(const struct audit_snapshot *s, const char *name);
bool audit_swarm_active(const struct audit_snapshot *s);
bool audit_daemon_rootless(const struct audit_snapshot *s);

/* A USER value that means root: "", "root", "0", "0:0", "root:staff". */
bool audit_user_is_root(const char *user);

/* Container helpers */
/* When the container's processes cannot be judged (not running: na; /proc
 * unreadable: error), says so and returns true. */
bool audit_container_proc_missing(const struct audit_container *ct, struct audit_ctx *c);
const char *audit_container_hc_str(const struct audit_container *ct, const char *key);
bool audit_container_security_opt(const struct audit_container *ct, const char *prefix,
                                  const char **value);
