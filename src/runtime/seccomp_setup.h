/* The container's seccomp filter: chosen, compiled (or taken from the
 * cache) before anything is created, kept in the state directory for exec. */
#pragma once

#include "runtime/policy.h"
#include "seccomp/seccomp.h"

char *rt_seccomp_cache_dir(bool rootless);
/* *have is false when the container runs without a filter (the policy
 * allows it). Validation errors name the member of config.json. */
int rt_seccomp_prepare(struct rt_spec *spec, const struct rt_policy *policy, bool rootless,
                       struct bh_seccomp_prog *prog, bool *have, struct bh_error *err);
int rt_seccomp_save(const char *state_dir, const struct bh_seccomp_prog *prog, bool rootless,
                    struct bh_error *err);
int rt_seccomp_load_saved(const char *state_dir, struct bh_seccomp_prog *prog);
