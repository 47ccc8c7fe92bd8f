/* The OCI linux.seccomp object: validation with messages that name the bad
 * member, and compilation to BPF with libseccomp. Unknown syscall names are
 * skipped, as runc does, so one profile serves several kernels. */
#include "seccomp/seccomp_internal.h"
#include "seccomp/sha256.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define WHERE "linux.seccomp"

static int check_errno_ret(const json_t *v, const char *member, struct bh_error *err)
{
        if (!v || json_is_null(v))
                return 0;
        if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 4095)
                return bh_error_set(err, EINVAL,
                                    WHERE ".%s: must be an errno number from 0 to 4095", member);
        return 0;
}

static int check_string_list(const json_t *arr, const char *member, const char *const *names,
                             const char *kind, struct bh_error *err)
{
        if (!arr || json_is_null(arr))
                return 0;
        if (!json_is_array(arr))
                return bh_error_set(err, EINVAL, WHERE ".%s: must be an array of strings", member);
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v)
        {
                if (!json_is_string(v))
                        return bh_error_set(err, EINVAL, WHERE ".%s[%zu]: must be a string", member,
                                            i);
                if (bh_seccomp_name_index(names, json_string_value(v)) < 0)
                        return bh_error_set(err, EINVAL, WHERE ".%s[%zu]: unknown %s \"%s\"",
                                            member, i, kind, json_string_value(v));
        }
        return 0;
}

static int check_args(const json_t *args, size_t idx, struct bh_error *err)
{
        if (!args || json_is_null(args))
                return 0;
        if (!json_is_array(args))
                return bh_error_set(err, EINVAL, WHERE ".syscalls[%zu].args: must be an array",
                                    idx);
        size_t j;
        json_t *a;
        json_array_foreach(args, j, a)
        {
                json_t *index = json_object_get(a, "index");
                if (!json_is_integer(index) || json_integer_value(index) < 0 ||
                    json_integer_value(index) > 5)
                        return bh_error_set(err, EINVAL,
                                            WHERE ".syscalls[%zu].args[%zu].index: must be an "
                                                  "argument number from 0 to 5",
                                            idx, j);
                int op;
                const char *opname = json_string_value(json_object_get(a, "op"));
                if (!bh_seccomp_operator_value(opname, &op))
                        return bh_error_set(err, EINVAL,
                                            WHERE ".syscalls[%zu].args[%zu].op: unknown operator "
                                                  "\"%s\"",
                                            idx, j, opname ? opname : "(missing)");
                static const char *const nums[] = {"value", "valueTwo"};
                for (size_t k = 0; k < 2; k++) {
                        json_t *n = json_object_get(a, nums[k]);
                        if (n && !json_is_integer(n) && !json_is_null(n))
                                return bh_error_set(err, EINVAL,
                                                    WHERE ".syscalls[%zu].args[%zu].%s: must be "
                                                          "an integer",
                                                    idx, j, nums[k]);
                }
        }
        return 0;
}

static int check_call(const json_t *call, size_t i, struct bh_error *err)
{
        if (!json_is_object(call))
                return bh_error_set(err, EINVAL, WHERE ".syscalls[%zu]: must be an object", i);
        const json_t *names = json_object_get(call, "names");
        if (!json_is_array(names) || json_array_size(names) == 0)
                return bh_error_set(err, EINVAL,
                                    WHERE ".syscalls[%zu].names: must be a non-empty array", i);
        size_t j;
        json_t *n;
        json_array_foreach(names, j, n)
        {
                if (!json_is_string(n) || json_string_length(n) == 0)
                        return bh_error_set(err, EINVAL,
                                            WHERE ".syscalls[%zu].names[%zu]: must be a syscall "
                                                  "name",
                                            i, j);
        }
        const char *action = json_string_value(json_object_get(call, "action"));
        uint32_t act;
        if (!bh_seccomp_action_value(action, 0, false, &act))
                return bh_error_set(err, EINVAL,
                                    WHERE ".syscalls[%zu].action: unknown action \"%s\"", i,
                                    action ? action : "(missing)");
        char member[48];
        snprintf(member, sizeof member, "syscalls[%zu].errnoRet", i);
        if (check_errno_ret(json_object_get(call, "errnoRet"), member, err) < 0)
                return -EINVAL;
        return check_args(json_object_get(call, "args"), i, err);
}

static bool uses_notify(const json_t *oci)
{
        size_t i;
        json_t *call;
        json_array_foreach(json_object_get(oci, "syscalls"), i, call)
        {
                if (bh_streq(json_string_value(json_object_get(call, "action")), "SCMP_ACT_NOTIFY"))
                        return true;
        }
        return false;
}

int bh_seccomp_validate(const json_t *oci, struct bh_error *err)
{
        if (!json_is_object(oci))
                return bh_error_set(err, EINVAL, WHERE ": must be an object");
        const char *def = json_string_value(json_object_get(oci, "defaultAction"));
        uint32_t act;
        if (!bh_seccomp_action_value(def, 0, false, &act))
                return bh_error_set(err, EINVAL, WHERE ".defaultAction: unknown action \"%s\"",
                                    def ? def : "(missing)");
        if (act == SCMP_ACT_NOTIFY)
                return bh_error_set(err, EINVAL,
                                    WHERE ".defaultAction: SCMP_ACT_NOTIFY cannot be the default "
                                          "action (the runtime itself would wait on it)");
        if (check_errno_ret(json_object_get(oci, "defaultErrnoRet"), "defaultErrnoRet", err) < 0)
                return -EINVAL;
        if (check_string_list(json_object_get(oci, "architectures"), "architectures",
                              bh_seccomp_arch_names, "architecture", err) < 0 ||
            check_string_list(json_object_get(oci, "flags"), "flags", bh_seccomp_flag_names, "flag",
                              err) < 0)
                return -EINVAL;
        const json_t *lp = json_object_get(oci, "listenerPath");
        if (lp && !json_is_null(lp) && (!json_is_string(lp) || json_string_value(lp)[0] != '/'))
                return bh_error_set(err, EINVAL, WHERE ".listenerPath: must be an absolute path");
        const json_t *lm = json_object_get(oci, "listenerMetadata");
        if (lm && !json_is_null(lm) && !json_is_string(lm))
                return bh_error_set(err, EINVAL, WHERE ".listenerMetadata: must be a string");
        const json_t *calls = json_object_get(oci, "syscalls");
        if (calls && !json_is_null(calls) && !json_is_array(calls))
                return bh_error_set(err, EINVAL, WHERE ".syscalls: must be an array");
        size_t i;
        json_t *call;
        json_array_foreach(calls, i, call)
        {
                if (check_call(call, i, err) < 0)
                        return -EINVAL;
        }
        if (uses_notify(oci) && !json_is_string(lp))
                return bh_error_set(err, EINVAL,
                                    WHERE ".listenerPath: required when a rule uses "
                                          "SCMP_ACT_NOTIFY");
        return 0;
}

unsigned int bh_seccomp_profile_flags(const json_t *oci)
{
        unsigned int flags = 0, f;
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(oci, "flags"), i, v)
        {
                if (bh_seccomp_flag_value(json_string_value(v), &f))
                        flags |= f;
        }
        return flags;
}

static uint32_t action_of(const json_t *obj, const char *action_member, const char *errno_member)
{
        const json_t *e = json_object_get(obj, errno_member);
        uint32_t act = SCMP_ACT_KILL_THREAD;
        bh_seccomp_action_value(json_string_value(json_object_get(obj, action_member)),
                                (unsigned int)json_integer_value(e), json_is_integer(e), &act);
        return act;
}

static void read_arg(const json_t *a, struct scmp_arg_cmp *cmp)
{
        int op = SCMP_CMP_EQ;
        bh_seccomp_operator_value(json_string_value(json_object_get(a, "op")), &op);
        cmp->arg = (unsigned int)json_integer_value(json_object_get(a, "index"));
        cmp->op = (enum scmp_compare)op;
        cmp->datum_a = (scmp_datum_t)json_integer_value(json_object_get(a, "value"));
        cmp->datum_b = (scmp_datum_t)json_integer_value(json_object_get(a, "valueTwo"));
}

/* One rule per syscall: all comparisons together (AND) when each names a
 * different argument; one rule per comparison (OR) when an argument repeats,
 * which libseccomp cannot express in one rule. */
static int add_rules(scmp_filter_ctx ctx, uint32_t act, int nr, const json_t *args)
{
        struct scmp_arg_cmp cmps[6];
        size_t n = json_array_size(args);
        if (n > 6)
                n = 6;
        bool repeated = false;
        for (size_t i = 0; i < n; i++) {
                read_arg(json_array_get(args, i), &cmps[i]);
                for (size_t j = 0; j < i; j++)
                        if (cmps[j].arg == cmps[i].arg)
                                repeated = true;
        }
        if (!repeated)
                return seccomp_rule_add_array(ctx, act, nr, (unsigned int)n, n ? cmps : NULL);
        for (size_t i = 0; i < n; i++) {
                int r = seccomp_rule_add_array(ctx, act, nr, 1, &cmps[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct bh_seccomp_prog *prog, struct bh_error *err)
{
        _cleanup_close_ int fd = memfd_create("bulkhead-seccomp", MFD_CLOEXEC);
        if (fd < 0)
                return bh_error_errno(err, errno, "seccomp: memfd_create");
        int r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return bh_error_errno(err, -r, "seccomp: exporting the filter");
        off_t size = lseek(fd, 0, SEEK_END);
        if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0 ||
            size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS)
                return bh_error_set(err, E2BIG,
                                    "seccomp: the compiled filter has %lld bytes; the kernel takes "
                                    "at most %d instructions",
                                    (long long)size, BPF_MAXINSNS);
        prog->insns = bh_xmalloc((size_t)size);
        prog->len = (size_t)size / sizeof(struct sock_filter);
        if (pread(fd, prog->insns, (size_t)size, 0) != size) {
                free(prog->insns);
                prog->insns = NULL;
                return bh_error_errno(err, errno ? errno : EIO, "seccomp: reading the filter");
        }
        return 0;
}

static int add_arches(scmp_filter_ctx ctx, const json_t *oci, struct bh_error *err)
{
        size_t i;
        json_t *a;
        json_array_foreach(json_object_get(oci, "architectures"), i, a)
        {
                uint32_t token = bh_seccomp_arch_token(json_string_value(a));
                if (token == 0)
                        continue; /* a valid name this libseccomp does not know */
                int r = seccomp_arch_add(ctx, token);
                if (r < 0 && r != -EEXIST)
                        return bh_error_errno(err, -r, WHERE ".architectures[%zu]: %s", i,
                                              json_string_value(a));
        }
        return 0;
}

static void free_ctx(scmp_filter_ctx *ctx)
{
        if (*ctx)
                seccomp_release(*ctx);
}

int bh_seccomp_compile(const json_t *oci, struct bh_seccomp_prog *prog, struct bh_error *err)
{
        memset(prog, 0, sizeof *prog);
        uint32_t def = action_of(oci, "defaultAction", "defaultErrnoRet");
        _cleanup_(free_ctx) scmp_filter_ctx ctx = seccomp_init(def);
        if (!ctx)
                return bh_error_set(err, EINVAL, WHERE ": libseccomp refused the default action");
        /* no_new_privs is the runtime's decision, not the filter's */
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
        /* a binary tree of syscall numbers: fewer instructions per call */
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        if (add_arches(ctx, oci, err) < 0)
                return -EINVAL;
        size_t i;
        json_t *call;
        json_array_foreach(json_object_get(oci, "syscalls"), i, call)
        {
                uint32_t act = action_of(call, "action", "errnoRet");
                if (act == def)
                        continue; /* libseccomp refuses rules that repeat the default */
                size_t j;
                json_t *name;
                json_array_foreach(json_object_get(call, "names"), j, name)
                {
                        int nr = seccomp_syscall_resolve_name(json_string_value(name));
                        if (nr == __NR_SCMP_ERROR) {
                                prog->unknown_names++;
                                continue;
                        }
                        int r = add_rules(ctx, act, nr, json_object_get(call, "args"));
                        if (r == -EDOM || r == -EOPNOTSUPP) {
                                /* not a syscall of any architecture in this filter */
                                prog->unknown_names++;
                                continue;
                        }
                        if (r < 0)
                                return bh_error_errno(err, -r,
                                                      WHERE ".syscalls[%zu]: cannot add a rule "
                                                            "for \"%s\"",
                                                      i, json_string_value(name));
                }
        }
        if (export_bpf(ctx, prog, err) < 0)
                return -EINVAL;
        prog->flags = bh_seccomp_profile_flags(oci);
        prog->notify = uses_notify(oci);
        return 0;
}

void bh_seccomp_key_oci(const json_t *oci, uint8_t key[32])
{
        struct bh_sha256 s;
        bh_sha256_init(&s);
        const struct scmp_version *v = seccomp_version();
        char salt[96];
        struct bh_seccomp_env env;
        bh_seccomp_env_native(&env, NULL);
        int n = snprintf(salt, sizeof salt, "bulkhead-seccomp-1 oci %s libseccomp %u.%u.%u\n",
                         env.scmp_arch, v->major, v->minor, v->micro);
        bh_sha256_update(&s, salt, (size_t)n);
        char *canon = json_dumps(oci, JSON_COMPACT | JSON_SORT_KEYS);
        if (canon) {
                bh_sha256_update(&s, canon, strlen(canon));
                free(canon);
        }
        bh_sha256_final(&s, key);
}

void bh_seccomp_prog_free(struct bh_seccomp_prog *prog)
{
        free(prog->insns);
        prog->insns = NULL;
        prog->len = 0;
}

void bh_seccomp_key_docker(const char *data, size_t len, const struct bh_seccomp_env *env,
                           uint8_t key[32])
{
        struct bh_sha256 s;
        bh_sha256_init(&s);
        const struct scmp_version *v = seccomp_version();
        char salt[160];
        int n = snprintf(salt, sizeof salt,
                         "bulkhead-seccomp-1 docker %s %s kernel %d.%d libseccomp %u.%u.%u\n",
                         env->scmp_arch, env->go_arch, env->kernel_major, env->kernel_minor,
                         v->major, v->minor, v->micro);
        bh_sha256_update(&s, salt, (size_t)n);
        for (char *const *c = env->caps; c && *c; c++) {
                bh_sha256_update(&s, *c, strlen(*c));
                bh_sha256_update(&s, ",", 1);
        }
        bh_sha256_update(&s, "\n", 1);
        bh_sha256_update(&s, data, len);
        bh_sha256_final(&s, key);
}
