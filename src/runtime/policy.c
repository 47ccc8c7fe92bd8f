#include "runtime/policy.h"
#include "runtime/caps.h"
#include "runtime/log.h"
#include "base/buf.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Docker's default capability set. */
const char *const rt_policy_default_caps[] = {"CAP_CHOWN",
                                              "CAP_DAC_OVERRIDE",
                                              "CAP_FSETID",
                                              "CAP_FOWNER",
                                              "CAP_MKNOD",
                                              "CAP_NET_RAW",
                                              "CAP_SETGID",
                                              "CAP_SETUID",
                                              "CAP_SETFCAP",
                                              "CAP_SETPCAP",
                                              "CAP_NET_BIND_SERVICE",
                                              "CAP_SYS_CHROOT",
                                              "CAP_KILL",
                                              "CAP_AUDIT_WRITE",
                                              NULL};

/* Masked on top of what Docker masks: kernel addresses and memory layout,
 * hardware and firmware details, tracing and security file systems, and the
 * power-capping counters behind the PLATYPUS side channel. */
const char *const rt_policy_default_masked[] = {
    "/proc/kallsyms",       "/proc/modules",
    "/proc/kpagecount",     "/proc/kpageflags",
    "/proc/kpagecgroup",    "/proc/vmallocinfo",
    "/proc/slabinfo",       "/proc/pagetypeinfo",
    "/proc/iomem",          "/proc/ioports",
    "/proc/config.gz",      "/proc/kmsg",
    "/sys/kernel/debug",    "/sys/kernel/tracing",
    "/sys/kernel/security", "/sys/devices/virtual/powercap",
    "/sys/firmware",        NULL};

static void set_defaults(struct rt_policy *p)
{
        memset(p, 0, sizeof *p);
        p->no_new_privileges = true;
        for (size_t i = 0; rt_policy_default_caps[i]; i++)
                p->capabilities |= 1ULL << rt_cap_from_name(rt_policy_default_caps[i]);
        /* the installed copy of Docker's profile, else the one this binary was built with */
        p->seccomp_profile =
            bh_xstrdup(access(BH_SECCOMP_DEFAULT_PROFILE, R_OK) == 0 ? BH_SECCOMP_DEFAULT_PROFILE
                                                                     : BH_SECCOMP_SOURCE_PROFILE);
        p->auto_userns_size = 65536;
        p->auto_userns_start = 1u << 20;
        p->auto_userns_count = 1u << 30;
        for (size_t i = 0; rt_policy_default_masked[i]; i++)
                bh_strv_push(&p->masked_paths, rt_policy_default_masked[i]);
        p->hook_timeout = 120;
}

static int policy_bool(const json_t *doc, const char *key, bool *out, const char *path,
                       struct bh_error *err)
{
        json_t *v = json_object_get(doc, key);
        if (!v)
                return 0;
        if (!json_is_boolean(v))
                return bh_error_set(err, EINVAL, "%s: \"%s\" must be true or false", path, key);
        *out = json_is_true(v);
        return 0;
}

static int policy_strv(const json_t *doc, const char *key, char ***out, const char *path,
                       struct bh_error *err)
{
        json_t *v = json_object_get(doc, key);
        if (!v)
                return 0;
        if (!json_is_array(v))
                return bh_error_set(err, EINVAL, "%s: \"%s\" must be an array of strings", path,
                                    key);
        bh_strv_free(*out);
        *out = bh_xcalloc(json_array_size(v) + 1, sizeof(char *));
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
        {
                if (!json_is_string(e))
                        return bh_error_set(err, EINVAL, "%s: \"%s\"[%zu] must be a string", path,
                                            key, i);
                (*out)[i] = bh_xstrdup(json_string_value(e));
        }
        return 0;
}

static const char *const policy_keys[] = {"allowPrivileged",
                                          "noNewPrivileges",
                                          "capabilities",
                                          "seccompProfile",
                                          "runAsNonRoot",
                                          "autoUserNamespace",
                                          "maskedPaths",
                                          "readonlyPaths",
                                          "hookTimeout",
                                          "annotationOverrides",
                                          NULL};

static bool known_key(const char *k)
{
        for (size_t i = 0; policy_keys[i]; i++)
                if (strcmp(policy_keys[i], k) == 0)
                        return true;
        return false;
}

static int read_caps(const json_t *v, uint64_t *out, const char *path, struct bh_error *err)
{
        if (!json_is_array(v))
                return bh_error_set(err, EINVAL, "%s: \"capabilities\" must be an array", path);
        *out = 0;
        size_t i;
        json_t *c;
        json_array_foreach(v, i, c)
        {
                if (json_is_string(c) && strcasecmp(json_string_value(c), "ALL") == 0) {
                        *out = rt_cap_all();
                        continue;
                }
                int n = rt_cap_from_name(json_string_value(c));
                if (n < 0)
                        return bh_error_set(
                            err, EINVAL, "%s: \"capabilities\"[%zu]: unknown capability", path, i);
                *out |= 1ULL << n;
        }
        return 0;
}

static int read_userns(const json_t *v, struct rt_policy *p, const char *path, struct bh_error *err)
{
        if (json_is_boolean(v)) {
                p->auto_userns = json_is_true(v);
                return 0;
        }
        if (!json_is_object(v))
                return bh_error_set(err, EINVAL,
                                    "%s: \"autoUserNamespace\" must be true, false or an object",
                                    path);
        p->auto_userns = bh_json_bool(v, "enabled", true);
        long long size = bh_json_int(v, "size", p->auto_userns_size);
        long long start = bh_json_int(v, "hostStart", p->auto_userns_start);
        long long count = bh_json_int(v, "hostCount", p->auto_userns_count);
        if (size < 1 || size > (1LL << 31) || start < 1 || count < size ||
            start + count > (1LL << 32) - 1)
                return bh_error_set(err, EINVAL,
                                    "%s: \"autoUserNamespace\": size, hostStart and hostCount "
                                    "must describe a host range of at least size ids, not "
                                    "including 0",
                                    path);
        p->auto_userns_size = (uint32_t)size;
        p->auto_userns_start = (uint32_t)start;
        p->auto_userns_count = (uint32_t)count;
        return 0;
}

static int read_policy(const json_t *doc, struct rt_policy *p, const char *path,
                       struct bh_error *err)
{
        if (!json_is_object(doc))
                return bh_error_set(err, EINVAL, "%s: must be a JSON object", path);
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)doc, k, v)
        {
                if (!known_key(k))
                        return bh_error_set(err, EINVAL,
                                            "%s: unknown key \"%s\" (a typo would weaken the "
                                            "policy silently)",
                                            path, k);
        }
        if (policy_bool(doc, "allowPrivileged", &p->allow_privileged, path, err) < 0 ||
            policy_bool(doc, "noNewPrivileges", &p->no_new_privileges, path, err) < 0 ||
            policy_bool(doc, "runAsNonRoot", &p->run_as_non_root, path, err) < 0 ||
            policy_strv(doc, "maskedPaths", &p->masked_paths, path, err) < 0 ||
            policy_strv(doc, "readonlyPaths", &p->readonly_paths, path, err) < 0 ||
            policy_strv(doc, "annotationOverrides", &p->annotation_overrides, path, err) < 0)
                return -EINVAL;
        if ((v = json_object_get(doc, "capabilities")) &&
            read_caps(v, &p->capabilities, path, err) < 0)
                return -EINVAL;
        if ((v = json_object_get(doc, "seccompProfile"))) {
                if (!json_is_string(v) && !json_is_null(v))
                        return bh_error_set(err, EINVAL,
                                            "%s: \"seccompProfile\" must be a path, \"unconfined\" "
                                            "or null",
                                            path);
                free(p->seccomp_profile);
                p->seccomp_profile = NULL;
                const char *s = json_string_value(v);
                if (s && strcmp(s, "unconfined") != 0 && *s)
                        p->seccomp_profile = bh_xstrdup(s);
        }
        if ((v = json_object_get(doc, "autoUserNamespace")) && read_userns(v, p, path, err) < 0)
                return -EINVAL;
        if ((v = json_object_get(doc, "hookTimeout"))) {
                if (!json_is_integer(v) || json_integer_value(v) < 0 ||
                    json_integer_value(v) > 86400)
                        return bh_error_set(
                            err, EINVAL, "%s: \"hookTimeout\" must be seconds (0 for none)", path);
                p->hook_timeout = (int)json_integer_value(v);
        }
        for (char **o = p->annotation_overrides; o && *o; o++)
                if (!known_key(*o) || strcmp(*o, "annotationOverrides") == 0)
                        return bh_error_set(err, EINVAL,
                                            "%s: \"annotationOverrides\": \"%s\" is not a policy "
                                            "key",
                                            path, *o);
        return 0;
}

int rt_policy_load(const char *path, struct rt_policy *p, struct bh_error *err)
{
        set_defaults(p);
        const char *file = path ? path : RT_POLICY_PATH;
        if (!path && access(file, F_OK) < 0 && errno == ENOENT)
                return 0;
        json_t *doc = bh_json_load_file(file, 1 << 20, err);
        if (!doc)
                return bh_error_prefix(err, "runtime policy");
        p->path = bh_xstrdup(file);
        int r = read_policy(doc, p, file, err);
        json_decref(doc);
        return r;
}

void rt_policy_free(struct rt_policy *p)
{
        free(p->path);
        free(p->seccomp_profile);
        bh_strv_free(p->masked_paths);
        bh_strv_free(p->readonly_paths);
        bh_strv_free(p->annotation_overrides);
        memset(p, 0, sizeof *p);
}

/* An annotation "org.bulkhead.runtime.KEY": JSON text of the value
 * ("true", "[\"CAP_NET_ADMIN\"]", "\"/path\"" or a bare path). */
static int apply_overrides(struct rt_policy *p, const json_t *annotations, struct bh_error *err)
{
        const char *k;
        json_t *v;
        size_t plen = strlen(RT_POLICY_ANNOTATION_PREFIX);
        json_object_foreach((json_t *)annotations, k, v)
        {
                if (strncmp(k, RT_POLICY_ANNOTATION_PREFIX, plen) != 0)
                        continue;
                const char *key = k + plen;
                if (!known_key(key) || strcmp(key, "annotationOverrides") == 0)
                        return bh_error_set(err, EINVAL,
                                            "annotation %s: \"%s\" is not a policy key", k, key);
                if (!bh_strv_contains(p->annotation_overrides, key))
                        return bh_error_set(err, EPERM,
                                            "annotation %s: the runtime policy (%s) does not let "
                                            "containers override \"%s\"; add it to "
                                            "\"annotationOverrides\" there",
                                            k, p->path ? p->path : "built-in defaults", key);
                const char *text = json_string_value(v);
                json_t *val = json_loads(text, JSON_DECODE_ANY, NULL);
                if (!val) /* a bare string such as a profile path */
                        val = json_string(text);
                json_t *doc = json_object();
                json_object_set_new(doc, key, val);
                char what[256];
                snprintf(what, sizeof what, "annotation %s", k);
                int r = read_policy(doc, p, what, err);
                json_decref(doc);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool shares_host_ns(const struct rt_spec *spec, enum rt_ns ns)
{
        return !spec->ns_wanted[ns];
}

/* "seccomp off": a profile whose default is to allow and that restricts nothing. */
static bool seccomp_is_off(const json_t *sc)
{
        if (!sc)
                return false;
        const char *def = json_string_value(json_object_get(sc, "defaultAction"));
        if (!bh_streq(def, "SCMP_ACT_ALLOW") && !bh_streq(def, "SCMP_ACT_LOG"))
                return false;
        size_t i;
        json_t *c;
        json_array_foreach(json_object_get(sc, "syscalls"), i, c)
        {
                const char *a = json_string_value(json_object_get(c, "action"));
                if (!bh_streq(a, "SCMP_ACT_ALLOW") && !bh_streq(a, "SCMP_ACT_LOG"))
                        return false;
        }
        return true;
}

/* Whether the device cgroup rules end up allowing every device to be read
 * or written (docker run --privileged writes {"allow": true, "access": "rwm"}). */
static bool allows_every_device(const struct rt_spec *spec)
{
        bool all = false;
        size_t i;
        json_t *d;
        json_array_foreach(json_object_get(spec->resources, "devices"), i, d)
        {
                const char *type = json_string_value(json_object_get(d, "type"));
                json_t *major = json_object_get(d, "major"), *minor = json_object_get(d, "minor");
                bool any_type = !type || strcmp(type, "a") == 0;
                bool any_major = !major || json_is_null(major) || json_integer_value(major) < 0;
                bool any_minor = !minor || json_is_null(minor) || json_integer_value(minor) < 0;
                if (!any_type || !any_major || !any_minor)
                        continue;
                const char *access = json_string_value(json_object_get(d, "access"));
                bool rw = !access || strpbrk(access, "rw");
                if (json_is_true(json_object_get(d, "allow")))
                        all = all || rw;
                else if (rw)
                        all = false;
        }
        return all;
}

static int check_privileged(const struct rt_policy *p, const struct rt_spec *spec,
                            struct bh_error *err)
{
        if (p->allow_privileged)
                return 0;
        const struct rt_caps *c = &spec->process.caps;
        uint64_t all = rt_cap_all();
        const char *why = NULL;
        if (spec->process.has_caps && (c->bounding & all) == all)
                why = "it asks for every capability";
        else if (allows_every_device(spec))
                why = "its device rules allow every host device (docker run --privileged)";
        else if (seccomp_is_off(spec->seccomp))
                why = "its seccomp profile allows every system call";
        else if ((c->bounding | c->effective | c->permitted) & (1ULL << 21) /* CAP_SYS_ADMIN */) {
                if (shares_host_ns(spec, RT_NS_PID))
                        why = "it shares the host's PID namespace and has CAP_SYS_ADMIN";
                else if (shares_host_ns(spec, RT_NS_NET))
                        why = "it shares the host's network namespace and has CAP_SYS_ADMIN";
                else if (shares_host_ns(spec, RT_NS_IPC))
                        why = "it shares the host's IPC namespace and has CAP_SYS_ADMIN";
        }
        if (!why)
                return 0;
        return bh_error_set(err, EPERM,
                            "refusing a privileged container: %s; the runtime policy (%s) does "
                            "not allow privileged containers (set \"allowPrivileged\": true there)",
                            why, p->path ? p->path : "built-in defaults, " RT_POLICY_PATH);
}

int rt_policy_apply_process(const struct rt_policy *p, struct rt_process *proc,
                            bool userns_maps_root, struct bh_error *err)
{
        if (p->no_new_privileges)
                proc->no_new_privileges = true;
        if (!p->allow_privileged && proc->has_caps) {
                struct rt_caps *c = &proc->caps;
                uint64_t dropped =
                    (c->bounding | c->effective | c->permitted | c->inheritable | c->ambient) &
                    ~p->capabilities;
                if (dropped) {
                        char **names = rt_cap_names_of(dropped);
                        struct bh_buf b = BH_BUF_INIT;
                        for (char **n = names; *n; n++)
                                bh_buf_printf(&b, "%s%s", n == names ? "" : ", ", *n);
                        rt_warn("dropped %s: not in the runtime policy's capability allow-list",
                                b.data);
                        bh_buf_free(&b);
                        bh_strv_free(names);
                }
                c->bounding &= p->capabilities;
                c->effective &= p->capabilities;
                c->permitted &= p->capabilities;
                c->inheritable &= p->capabilities;
                c->ambient &= p->capabilities;
        }
        if (p->run_as_non_root && proc->uid == 0 && !userns_maps_root)
                return bh_error_set(err, EPERM,
                                    "refusing to run as root (uid 0): the runtime policy asks for "
                                    "\"runAsNonRoot\"; set process.user.uid (docker run --user) "
                                    "or use a user namespace");
        return 0;
}

int rt_policy_apply(struct rt_policy *p, struct rt_spec *spec, struct bh_error *err)
{
        if (spec->annotations && apply_overrides(p, spec->annotations, err) < 0)
                return -EPERM;
        if (check_privileged(p, spec, err) < 0)
                return -EPERM;
        bool maps_root = false;
        if (spec->ns_wanted[RT_NS_USER]) {
                int64_t host =
                    rt_idmap_to_host(spec->uid_maps, spec->n_uid_maps, spec->process.uid);
                /* joined user namespaces are judged by whoever made them */
                maps_root = spec->ns_path[RT_NS_USER] || host > 0;
        }
        if (p->auto_userns && !spec->ns_wanted[RT_NS_USER])
                maps_root = true; /* the caller adds one */
        if (rt_policy_apply_process(p, &spec->process, maps_root, err) < 0)
                return -EPERM;
        for (char **m = p->masked_paths; m && *m; m++)
                if (!bh_strv_contains(spec->masked_paths, *m))
                        bh_strv_push(&spec->masked_paths, *m);
        for (char **m = p->readonly_paths; m && *m; m++)
                if (!bh_strv_contains(spec->readonly_paths, *m))
                        bh_strv_push(&spec->readonly_paths, *m);
        for (int k = 0; k < RT_HOOK_KINDS; k++)
                for (size_t i = 0; i < spec->hooks[k].n; i++)
                        if (!spec->hooks[k].v[i].timeout)
                                spec->hooks[k].v[i].timeout = p->hook_timeout;
        return 0;
}
