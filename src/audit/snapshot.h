/* Everything the audit judges, gathered once: Engine API objects, the
 * daemon's command line and daemon.json, systemd units, kernel audit rules,
 * file stats and /proc facts. Every check is a pure function of this struct,
 * so unit tests build snapshots from fixtures and judge them. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#define AUDIT_MSG_MAX 512

/* A fact that could not be read carries the reason instead. */
struct audit_fail {
        int code; /* 0 when the fact is known */
        char msg[AUDIT_MSG_MAX];
};

struct audit_file {
        char *path; /* as shown to the user (host path) */
        char *real; /* symlinks resolved (within the root), or NULL */
        int err;    /* 0, or errno from stat (ENOENT: does not exist) */
        char errmsg[256];
        mode_t mode;
        uid_t uid;
        gid_t gid;
        char *user, *group; /* names from the host's passwd/group, or NULL */
};

/* Paths the kernel or the rules files watch. */
struct audit_rules {
        struct audit_fail fail; /* could not be read */
        bool available;         /* false: no such source (no rules files / no kernel audit) */
        char **paths;           /* each watched path (-w PATH, -F path=, -F dir=) */
};

struct audit_mount {
        char *device; /* "major:minor" of the filesystem */
        char *mount_point;
        char *fstype;
        char *source;
};

struct audit_process_facts {
        struct audit_fail fail;
        int seccomp;      /* /proc/PID/status Seccomp: 0 off, 1 strict, 2 filter; -1 unknown */
        int no_new_privs; /* -1 unknown */
        uint64_t cap_eff;
        long uid;              /* effective uid as the host sees it; -1 unknown */
        bool uid_map_identity; /* uid_map maps 0 to host 0 (no user namespace) */
        char *lsm_label;       /* /proc/PID/attr/current, NULL when none */
        char **comms;          /* names of every process in the container (cgroup.procs) */
        char **exes;           /* their executables, where readable */
};

struct audit_container {
        json_t *inspect; /* GET /containers/{id}/json */
        const char *id;  /* borrowed from inspect */
        char *name;      /* without the leading '/' */
        bool running;
        pid_t pid;
        struct audit_fail fail; /* inspect failed (vanished, garbage) */
        struct audit_process_facts proc;
        json_t *execs; /* array of GET /exec/{id}/json still known to the daemon */
};

struct audit_image {
        json_t *inspect; /* GET /images/{id}/json */
        json_t *history; /* GET /images/{id}/history */
        const char *id;
        char *name; /* first repo tag, or the short id */
        struct audit_fail fail;
        /* Files with setuid/setgid bits in the image's final filesystem. */
        bool files_gathered;
        struct audit_fail files_fail;
        char **setid_files;
        size_t setid_count;
};

struct audit_user_entry {
        char *name;
        unsigned long first, count; /* subuid/subgid range */
};

struct audit_snapshot {
        const char *root; /* host files are read under this prefix; "/" normally */
        time_t now;
        bool include_stopped; /* --all */

        /* Engine API */
        struct audit_fail api_fail; /* daemon unreachable: the one reason */
        char *endpoint;             /* where we asked */
        bool podman;                /* the engine there is Podman's Docker-compatible service */

        json_t *version, *info;
        json_t *networks; /* GET /networks */
        json_t *volumes;  /* GET /volumes ({"Volumes": [...]}), or NULL */
        json_t *swarm;    /* GET /swarm (managers only) */
        struct audit_fail swarm_fail;
        json_t *secrets;
        struct audit_container *containers;
        size_t ncontainers;
        size_t containers_total, containers_running; /* from the list */
        struct audit_image *images;
        size_t nimages;

        /* The daemon's process and configuration */
        pid_t dockerd_pid;
        long dockerd_uid;       /* -1 unknown */
        char *dockerd_user;     /* its name, when known */
        char **dockerd_argv;    /* NULL when neither the process nor a unit gave one */
        char *argv_source;      /* "/proc/123/cmdline", "docker.service ExecStart" */
        char *daemon_json_path; /* --config-file or the default */
        json_t *daemon_json;    /* NULL when absent or broken */
        json_t *config;         /* effective: flags merged onto daemon.json, daemon.json keys */
        struct audit_fail config_fail;

        /* Programs and sockets */
        char *dockerd_path, *containerd_path, *shim_path, *shim_v1_path, *shim_v2_path, *runc_path;
        char **docker_sockets;                     /* unix sockets the daemon listens on */
        char **containerd_sockets;                 /* existing containerd sockets */
        struct audit_fail containerd_sockets_fail; /* none found, but a place was unreadable */

        /* Registry certificates under /etc/docker/certs.d */
        char **registry_cert_files;

        /* systemd units (first is the unit file, then its drop-ins) */
        char **docker_service_files;
        char **docker_socket_files;

        /* Stats of every file a check looks at, looked up by path */
        struct audit_file *files;
        size_t nfiles;

        /* Audit rules: the kernel's (netlink) and the rules files' */
        struct audit_rules kernel_rules, file_rules;

        /* Kernel security modules */
        bool apparmor, selinux;

        /* Mounts of the host (mountinfo), to find the one under the docker root */
        struct audit_mount *mounts;
        size_t nmounts;
        char *docker_root;

        /* Users: members of the group that owns the docker socket */
        char *socket_group;
        char **socket_group_members;
        struct audit_fail users_fail;

        /* Rootless readiness */
        char *newuidmap, *newgidmap;                     /* paths, NULL when not installed */
        bool newuidmap_privileged, newgidmap_privileged; /* setuid root or file caps */
        struct audit_user_entry *subuids, *subgids;
        size_t nsubuids, nsubgids;
        long sysctl_unprivileged_userns_clone; /* -1 when the sysctl does not exist */
        long sysctl_max_user_namespaces;       /* -1 unknown */
        long sysctl_apparmor_restrict_userns;  /* -1 when absent */

        /* Content trust: where DOCKER_CONTENT_TRUST was seen and with what value */
        char **content_trust_sources; /* "environment of bulkhead: 1", "/etc/environment: 0" */
        char **docker_client_envs;    /* "pid 123 (docker): DOCKER_CONTENT_TRUST=1" or "unset" */

        /* Listening TCP sockets (port 2377 for swarm) from /proc/net/tcp{,6} */
        char **tcp_listeners; /* "0.0.0.0:2377", "[::]:2377" */

        /* Options for checks */
        char **trusted_users; /* --trusted-users */
};

void audit_snapshot_free(struct audit_snapshot *s);

/* The stat of a path gathered earlier, or NULL when it was never looked at. */
const struct audit_file *audit_snapshot_file(const struct audit_snapshot *s, const char *path);
/* Records a stat (tests and gatherers); returns the entry. */
struct audit_file *audit_snapshot_add_file(struct audit_snapshot *s, const char *path);
