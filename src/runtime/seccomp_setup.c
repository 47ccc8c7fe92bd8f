/* Which seccomp filter a container gets: the spec's, or (when it has none)
 * the policy's default profile in Docker's format converted for the
 * container's capabilities, as dockerd would. Compiled filters come from
 * the cache when the same input was compiled before. */
#include "runtime/seccomp_setup.h"
#include "runtime/caps.h"
#include "runtime/log.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *rt_seccomp_cache_dir(bool rootless)
{
        const char *env = getenv("BULKHEAD_SECCOMP_CACHE");
        if (env && *env)
                return bh_xstrdup(env);
        const char *xdg = getenv("XDG_RUNTIME_DIR");
        if (rootless && xdg && *xdg)
                return bh_xasprintf("%s/bulkhead-seccomp", xdg);
        if (rootless)
                return bh_xasprintf("/tmp/bulkhead-seccomp-%u", (unsigned)geteuid());
        return bh_xstrdup("/run/bulkhead-seccomp");
}

static int from_cache_or_compile(const char *dir, const uint8_t key[32], const json_t *oci,
                                 struct bh_seccomp_prog *prog, struct bh_error *err)
{
        if (bh_seccomp_cache_get(dir, key, prog) == 0)
                return 0;
        if (bh_seccomp_compile(oci, prog, err) < 0)
                return -EINVAL;
        if (prog->unknown_names)
                rt_debug("seccomp: %zu syscall names unknown to this libseccomp were skipped",
                         prog->unknown_names);
        struct bh_error e2;
        if (bh_seccomp_cache_put(dir, key, prog, &e2) < 0)
                rt_debug("seccomp: not cached: %s", e2.msg);
        return 0;
}

int rt_seccomp_prepare(struct rt_spec *spec, const struct rt_policy *policy, bool rootless,
                       struct bh_seccomp_prog *prog, bool *have, struct bh_error *err)
{
        *have = false;
        memset(prog, 0, sizeof *prog);
        _cleanup_free_ char *dir = rt_seccomp_cache_dir(rootless);
        uint8_t key[32];
        if (spec->seccomp) {
                if (bh_seccomp_validate(spec->seccomp, err) < 0)
                        return bh_error_prefix(err, "config.json");
                bh_seccomp_key_oci(spec->seccomp, key);
                if (from_cache_or_compile(dir, key, spec->seccomp, prog, err) < 0)
                        return -EINVAL;
                *have = true;
                return 0;
        }
        if (!policy->seccomp_profile)
                return 0;
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        if (bh_read_file(policy->seccomp_profile, 4 << 20, &data, &len, err) < 0)
                return bh_error_prefix(err,
                                       "the spec has no seccomp profile and the runtime policy's "
                                       "default profile cannot be read");
        char **caps = rt_cap_names_of(spec->process.has_caps ? spec->process.caps.bounding : 0);
        struct bh_seccomp_env env;
        bh_seccomp_env_native(&env, caps);
        bh_seccomp_key_docker(data, len, &env, key);
        int r = 0;
        if (bh_seccomp_cache_get(dir, key, prog) != 0) {
                json_t *profile = bh_json_parse(data, len, policy->seccomp_profile, err);
                json_t *oci = profile ? bh_seccomp_from_docker(profile, &env, err) : NULL;
                if (!oci || bh_seccomp_validate(oci, err) < 0 ||
                    from_cache_or_compile(dir, key, oci, prog, err) < 0) {
                        bh_error_prefix(err, "default seccomp profile %s", policy->seccomp_profile);
                        r = -EINVAL;
                }
                json_decref(oci);
                json_decref(profile);
        }
        bh_strv_free(caps);
        if (r == 0)
                *have = true;
        return r;
}

int rt_seccomp_save(const char *state_dir, const struct bh_seccomp_prog *prog, bool rootless,
                    struct bh_error *err)
{
        _cleanup_free_ char *dst = bh_path_join(state_dir, "seccomp.bpf");
        /* a hard link to the cache entry when there is one: no copy */
        _cleanup_free_ char *dir = rt_seccomp_cache_dir(rootless);
        _cleanup_free_ char *src = bh_seccomp_cache_path(dir, prog->key);
        if (link(src, dst) == 0)
                return 0;
        return bh_seccomp_file_write(dst, prog, err);
}

int rt_seccomp_load_saved(const char *state_dir, struct bh_seccomp_prog *prog)
{
        _cleanup_free_ char *path = bh_path_join(state_dir, "seccomp.bpf");
        return bh_seccomp_file_read(path, NULL, prog);
}
