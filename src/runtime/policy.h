/* The runtime's security policy: /etc/bulkhead/runtime.json (or --policy
 * FILE), built-in defaults when the file is absent. Applied to every spec
 * before anything is created; some keys may be overridden per container by
 * annotations "org.bulkhead.runtime.<key>" when the policy lists the key in
 * "annotationOverrides". */
#pragma once

#include "runtime/spec.h"

#define RT_POLICY_PATH "/etc/bulkhead/runtime.json"
#define RT_POLICY_ANNOTATION_PREFIX "org.bulkhead.runtime."

struct rt_policy {
        char *path;             /* where it was read from; NULL: built-in */
        bool allow_privileged;  /* all caps, seccomp off, host ns + CAP_SYS_ADMIN */
        bool no_new_privileges; /* forced on */
        uint64_t capabilities;  /* allow-list; others are dropped */
        char *seccomp_profile;  /* Docker-format profile used when the spec has none; NULL: none */
        bool run_as_non_root;   /* refuse uid 0 unless a user namespace maps it elsewhere */
        bool auto_userns;       /* give specs without a user namespace one */
        uint32_t auto_userns_size;                     /* ids per container */
        uint32_t auto_userns_start, auto_userns_count; /* host range to allocate from */
        char **masked_paths;                           /* masked in addition to the spec's */
        char **readonly_paths;
        int hook_timeout; /* seconds for hooks that give none; 0: none */
        char **annotation_overrides;
};

/* Reads path (NULL: RT_POLICY_PATH, built-in defaults when it does not
 * exist). A policy that exists but does not parse is an error: the runtime
 * fails closed. */
int rt_policy_load(const char *path, struct rt_policy *policy, struct bh_error *err);
void rt_policy_free(struct rt_policy *policy);

/* Applies per-container annotation overrides to policy (refusing those the
 * policy does not allow), then policy to spec: refuses privileged-style specs,
 * drops capabilities outside the allow-list, forces no_new_privileges, checks
 * run-as-non-root, adds the extra masked and read-only paths, sets hook
 * timeouts. Seccomp and the automatic user namespace are decided by the
 * caller with rt_policy_wants_* below. */
int rt_policy_apply(struct rt_policy *policy, struct rt_spec *spec, struct bh_error *err);
/* The same for an exec'd process (capabilities, no_new_privileges, uid). */
int rt_policy_apply_process(const struct rt_policy *p, struct rt_process *proc,
                            bool userns_maps_root, struct bh_error *err);

/* Built-in values, for docs and `features`. */
extern const char *const rt_policy_default_caps[];
extern const char *const rt_policy_default_masked[];
