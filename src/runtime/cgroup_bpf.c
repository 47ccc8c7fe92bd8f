/* The cgroup v2 device controller is a BPF program: this writes one from the
 * OCI device rules (evaluated last rule first, so the last matching rule
 * decides, as the v1 allow/deny lists do) and attaches it. */
#include "runtime/cgroup_internal.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* the default devices every container may use, after the spec's rules */
static const char *const default_rules[] = {
    "c 1 3 rwm",    /* null */
    "c 1 5 rwm",    /* zero */
    "c 1 7 rwm",    /* full */
    "c 1 8 rwm",    /* random */
    "c 1 9 rwm",    /* urandom */
    "c 5 0 rwm",    /* tty */
    "c 5 1 rwm",    /* console */
    "c 5 2 rwm",    /* ptmx */
    "c 136 -1 rwm", /* pts */
    "c -1 -1 m",    /* mknod of any character device (opening it stays denied) */
    "b -1 -1 m",
};

json_t *rt_cgroup_device_rules(const json_t *spec_rules)
{
        json_t *all = json_array();
        if (json_array_size(spec_rules) == 0)
                json_array_append_new(all, json_pack("{s:b, s:s}", "allow", 0, "access", "rwm"));
        else
                json_array_extend(all, (json_t *)spec_rules);
        for (size_t i = 0; i < BH_ARRAY_SIZE(default_rules); i++) {
                char type;
                int major, minor;
                char access[4];
                sscanf(default_rules[i], "%c %d %d %3s", &type, &major, &minor, access);
                json_array_append_new(all, json_pack("{s:b, s:s#, s:i, s:i, s:s}", "allow", 1,
                                                     "type", &type, (int)1, "major", major, "minor",
                                                     minor, "access", access));
        }
        return all;
}

struct prog {
        struct bpf_insn *insns;
        size_t n, cap;
};

static void emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
        if (p->n == p->cap) {
                p->cap = p->cap ? p->cap * 2 : 64;
                p->insns = bh_xreallocarray(p->insns, p->cap, sizeof *p->insns);
        }
        p->insns[p->n++] =
            (struct bpf_insn){.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

static int access_bits(const char *a)
{
        int bits = 0;
        for (; a && *a; a++)
                bits |= *a == 'm'   ? BPF_DEVCG_ACC_MKNOD
                        : *a == 'r' ? BPF_DEVCG_ACC_READ
                                    : BPF_DEVCG_ACC_WRITE;
        return bits ? bits : BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
}

/* One rule: jumps to the end of its block when it does not match. */
static void emit_rule(struct prog *p, const json_t *r)
{
        const char *t = json_string_value(json_object_get(r, "type"));
        json_t *maj = json_object_get(r, "major"), *min = json_object_get(r, "minor");
        int acc = access_bits(json_string_value(json_object_get(r, "access")));
        bool allow = json_is_true(json_object_get(r, "allow"));
        size_t jumps[4];
        size_t nj = 0;
        if (t && (t[0] == 'c' || t[0] == 'b')) {
                jumps[nj++] = p->n;
                emit(p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 0,
                     t[0] == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK);
        }
        if (json_is_integer(maj) && json_integer_value(maj) >= 0) {
                jumps[nj++] = p->n;
                emit(p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 0,
                     (int32_t)json_integer_value(maj));
        }
        if (json_is_integer(min) && json_integer_value(min) >= 0) {
                jumps[nj++] = p->n;
                emit(p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0,
                     (int32_t)json_integer_value(min));
        }
        if (allow) {
                /* every access asked for must be allowed by this rule */
                int outside = ~acc & 7;
                if (outside) {
                        jumps[nj++] = p->n;
                        emit(p, BPF_JMP | BPF_JSET | BPF_K, BPF_REG_3, 0, 0, outside);
                }
        } else {
                /* any access asked for that this rule denies */
                emit(p, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_3, 0, 0);
                emit(p, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_6, 0, 0, acc);
                jumps[nj++] = p->n;
                emit(p, BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_6, 0, 0, 0);
        }
        emit(p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, allow ? 1 : 0);
        emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
        for (size_t i = 0; i < nj; i++)
                p->insns[jumps[i]].off = (int16_t)(p->n - jumps[i] - 1);
}

int rt_cgroup_device_program(const json_t *rules, void **insns, size_t *n, struct bh_error *err)
{
        struct prog p = {0};
        /* r2 = type, r3 = access, r4 = major, r5 = minor */
        emit(&p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1, 0, 0);
        emit(&p, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_2, 0, 0);
        emit(&p, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
        emit(&p, BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
        emit(&p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_4, BPF_REG_1, 4, 0);
        emit(&p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_5, BPF_REG_1, 8, 0);
        for (size_t i = json_array_size(rules); i-- > 0;)
                emit_rule(&p, json_array_get(rules, i));
        emit(&p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
        emit(&p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
        if (p.n > 4096) {
                free(p.insns);
                return bh_error_set(err, E2BIG, "linux.resources.devices: too many rules");
        }
        *insns = p.insns;
        *n = p.n;
        return 0;
}

static long bpf(int cmd, union bpf_attr *attr)
{
        return syscall(SYS_bpf, cmd, attr, sizeof *attr);
}

int rt_cgroup_device_filter(const char *dir, const json_t *rules, struct bh_error *err)
{
        void *insns = NULL;
        size_t n = 0;
        if (rt_cgroup_device_program(rules, &insns, &n, err) < 0)
                return -E2BIG;
        union bpf_attr attr;
        memset(&attr, 0, sizeof attr);
        attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
        attr.insns = (uint64_t)(uintptr_t)insns;
        attr.insn_cnt = (uint32_t)n;
        attr.license = (uint64_t)(uintptr_t) "Apache-2.0";
        int prog = (int)bpf(BPF_PROG_LOAD, &attr);
        if (prog < 0) {
                /* again with the verifier's log, for the message */
                static char log[4096];
                attr.log_buf = (uint64_t)(uintptr_t)log;
                attr.log_size = sizeof log;
                attr.log_level = 1;
                log[0] = '\0';
                int e = errno;
                bpf(BPF_PROG_LOAD, &attr);
                free(insns);
                char *nl = strchr(log, '\n');
                if (nl)
                        *nl = '\0';
                return bh_error_errno(err, e, "cgroup: loading the device filter for %s (%s)", dir,
                                      log);
        }
        free(insns);
        _cleanup_close_ int progfd = prog;
        _cleanup_close_ int dirfd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
        if (dirfd < 0)
                return bh_error_errno(err, errno, "cgroup: %s", dir);
        /* remember what was attached before, attach ours, then detach those */
        uint32_t old_ids[64] = {0};
        memset(&attr, 0, sizeof attr);
        attr.query.target_fd = (uint32_t)dirfd;
        attr.query.attach_type = BPF_CGROUP_DEVICE;
        attr.query.prog_ids = (uint64_t)(uintptr_t)old_ids;
        attr.query.prog_cnt = BH_ARRAY_SIZE(old_ids);
        uint32_t n_old = bpf(BPF_PROG_QUERY, &attr) == 0 ? attr.query.prog_cnt : 0;
        memset(&attr, 0, sizeof attr);
        attr.target_fd = (uint32_t)dirfd;
        attr.attach_bpf_fd = (uint32_t)progfd;
        attr.attach_type = BPF_CGROUP_DEVICE;
        attr.attach_flags = BPF_F_ALLOW_MULTI;
        if (bpf(BPF_PROG_ATTACH, &attr) < 0)
                return bh_error_errno(err, errno, "cgroup: attaching the device filter to %s", dir);
        for (uint32_t i = 0; i < n_old && i < BH_ARRAY_SIZE(old_ids); i++) {
                memset(&attr, 0, sizeof attr);
                attr.prog_id = old_ids[i];
                _cleanup_close_ int old = (int)bpf(BPF_PROG_GET_FD_BY_ID, &attr);
                if (old < 0)
                        continue;
                memset(&attr, 0, sizeof attr);
                attr.target_fd = (uint32_t)dirfd;
                attr.attach_bpf_fd = (uint32_t)old;
                attr.attach_type = BPF_CGROUP_DEVICE;
                bpf(BPF_PROG_DETACH, &attr);
        }
        return 0;
}
