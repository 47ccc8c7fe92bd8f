/* Docker's seccomp profile format -> the OCI linux.seccomp object, deciding
 * each rule's "includes" and "excludes" conditions the way dockerd does:
 * capabilities against the bounding set, architectures against the native
 * one (Go's names), minKernel against the running kernel. */
#include "seccomp/seccomp_internal.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

void bh_seccomp_env_native(struct bh_seccomp_env *env, char *const *caps)
{
        env->caps = caps;
#if defined(__x86_64__)
        env->go_arch = "amd64";
        env->scmp_arch = "SCMP_ARCH_X86_64";
#elif defined(__aarch64__)
        env->go_arch = "arm64";
        env->scmp_arch = "SCMP_ARCH_AARCH64";
#elif defined(__i386__)
        env->go_arch = "386";
        env->scmp_arch = "SCMP_ARCH_X86";
#elif defined(__arm__)
        env->go_arch = "arm";
        env->scmp_arch = "SCMP_ARCH_ARM";
#elif defined(__s390x__)
        env->go_arch = "s390x";
        env->scmp_arch = "SCMP_ARCH_S390X";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        env->go_arch = "ppc64le";
        env->scmp_arch = "SCMP_ARCH_PPC64LE";
#elif defined(__riscv) && __riscv_xlen == 64
        env->go_arch = "riscv64";
        env->scmp_arch = "SCMP_ARCH_RISCV64";
#else
        env->go_arch = "unknown";
        env->scmp_arch = "unknown";
#endif
        struct utsname u;
        env->kernel_major = env->kernel_minor = 0;
        if (uname(&u) == 0)
                sscanf(u.release, "%d.%d", &env->kernel_major, &env->kernel_minor);
}

static bool array_has(const json_t *arr, const char *s)
{
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v) if (bh_streq(json_string_value(v), s)) return true;
        return false;
}

/* "4.8" against the running kernel; -1 when the version does not parse. */
static int kernel_at_least(const char *min, const struct bh_seccomp_env *env)
{
        int major, minor = 0;
        if (!min || sscanf(min, "%d.%d", &major, &minor) < 1)
                return -1;
        if (env->kernel_major != major)
                return env->kernel_major > major;
        return env->kernel_minor >= minor;
}

/* 1 when the rule applies here, 0 when a condition excludes it, -errno. */
static int rule_applies(const json_t *call, size_t idx, const struct bh_seccomp_env *env,
                        struct bh_error *err)
{
        const json_t *exc = json_object_get(call, "excludes");
        const json_t *inc = json_object_get(call, "includes");
        if (json_is_object(exc)) {
                const json_t *arches = json_object_get(exc, "arches");
                if (json_array_size(arches) > 0 && array_has(arches, env->go_arch))
                        return 0;
                size_t i;
                json_t *c;
                json_array_foreach(json_object_get(exc, "caps"), i, c)
                {
                        if (bh_strv_contains(env->caps, json_string_value(c)))
                                return 0;
                }
                const char *mk = json_string_value(json_object_get(exc, "minKernel"));
                if (mk) {
                        int r = kernel_at_least(mk, env);
                        if (r < 0)
                                return bh_error_set(err, EINVAL,
                                                    "syscalls[%zu].excludes.minKernel: \"%s\" is "
                                                    "not a kernel version",
                                                    idx, mk);
                        if (r)
                                return 0;
                }
        }
        if (json_is_object(inc)) {
                const json_t *arches = json_object_get(inc, "arches");
                if (json_array_size(arches) > 0 && !array_has(arches, env->go_arch))
                        return 0;
                size_t i;
                json_t *c;
                json_array_foreach(json_object_get(inc, "caps"), i, c)
                {
                        if (!bh_strv_contains(env->caps, json_string_value(c)))
                                return 0;
                }
                const char *mk = json_string_value(json_object_get(inc, "minKernel"));
                if (mk) {
                        int r = kernel_at_least(mk, env);
                        if (r < 0)
                                return bh_error_set(err, EINVAL,
                                                    "syscalls[%zu].includes.minKernel: \"%s\" is "
                                                    "not a kernel version",
                                                    idx, mk);
                        if (!r)
                                return 0;
                }
        }
        return 1;
}

static json_t *convert_call(const json_t *call)
{
        json_t *out = json_object();
        const char *name = json_string_value(json_object_get(call, "name"));
        if (name) {
                json_object_set_new(out, "names", json_pack("[s]", name));
        } else {
                json_object_set(out, "names", json_object_get(call, "names"));
        }
        static const char *const copied[] = {"action", "errnoRet", "args"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(copied); i++) {
                json_t *v = json_object_get(call, copied[i]);
                if (v && !json_is_null(v))
                        json_object_set(out, copied[i], v);
        }
        return out;
}

static int convert_arches(const json_t *profile, const struct bh_seccomp_env *env, json_t *out,
                          struct bh_error *err)
{
        const json_t *arch_map = json_object_get(profile, "archMap");
        const json_t *arches = json_object_get(profile, "architectures");
        if (json_array_size(arch_map) > 0 && json_array_size(arches) > 0)
                return bh_error_set(err, EINVAL,
                                    "both \"architectures\" and \"archMap\" are given; use one");
        if (json_array_size(arches) > 0) {
                json_object_set(out, "architectures", (json_t *)arches);
                return 0;
        }
        size_t i;
        json_t *m;
        json_array_foreach(arch_map, i, m)
        {
                if (!bh_streq(json_string_value(json_object_get(m, "architecture")),
                              env->scmp_arch))
                        continue;
                json_t *list = json_pack("[s]", env->scmp_arch);
                size_t j;
                json_t *sub;
                json_array_foreach(json_object_get(m, "subArchitectures"), j, sub)
                {
                        if (json_is_string(sub))
                                json_array_append(list, sub);
                }
                json_object_set_new(out, "architectures", list);
                break;
        }
        return 0;
}

json_t *bh_seccomp_from_docker(const json_t *profile, const struct bh_seccomp_env *env,
                               struct bh_error *err)
{
        if (!json_is_object(profile)) {
                bh_error_set(err, EINVAL, "a seccomp profile must be a JSON object");
                return NULL;
        }
        _cleanup_json_ json_t *out = json_object();
        static const char *const copied[] = {"defaultAction", "defaultErrnoRet", "listenerPath",
                                             "listenerMetadata", "flags"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(copied); i++) {
                json_t *v = json_object_get(profile, copied[i]);
                if (v && !json_is_null(v))
                        json_object_set(out, copied[i], v);
        }
        if (convert_arches(profile, env, out, err) < 0)
                return NULL;
        json_t *calls = json_array();
        json_object_set_new(out, "syscalls", calls);
        const json_t *in_calls = json_object_get(profile, "syscalls");
        if (in_calls && !json_is_array(in_calls) && !json_is_null(in_calls)) {
                bh_error_set(err, EINVAL, "\"syscalls\" must be an array");
                return NULL;
        }
        size_t i;
        json_t *call;
        json_array_foreach(in_calls, i, call)
        {
                if (!json_is_object(call)) {
                        bh_error_set(err, EINVAL, "syscalls[%zu]: not an object", i);
                        return NULL;
                }
                if (json_object_get(call, "name") &&
                    json_array_size(json_object_get(call, "names"))) {
                        bh_error_set(err, EINVAL,
                                     "syscalls[%zu]: use either \"name\" or \"names\", not both",
                                     i);
                        return NULL;
                }
                int r = rule_applies(call, i, env, err);
                if (r < 0)
                        return NULL;
                if (r)
                        json_array_append_new(calls, convert_call(call));
        }
        return bh_steal_ptr(&out);
}
