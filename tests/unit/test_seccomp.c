/* src/seccomp: SHA-256, Docker's profile format with its conditions, OCI
 * validation, compilation (checked by loading filters into forked
 * children), and the cache. */
#include "seccomp/seccomp.h"
#include "seccomp/sha256.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

static const char *sha(const char *data, size_t len, char out[65])
{
        struct bh_sha256 s;
        uint8_t d[32];
        bh_sha256_init(&s);
        bh_sha256_update(&s, data, len);
        bh_sha256_final(&s, d);
        bh_sha256_hex(d, out);
        return out;
}

static void test_sha256_vectors(void **state)
{
        char out[65];
        assert_string_equal(sha("", 0, out),
                            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_string_equal(sha("abc", 3, out),
                            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_string_equal(sha(two, strlen(two), out),
                            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        /* a million 'a', fed in odd pieces */
        struct bh_sha256 s;
        uint8_t d[32];
        char chunk[997];
        memset(chunk, 'a', sizeof chunk);
        bh_sha256_init(&s);
        size_t left = 1000000;
        while (left) {
                size_t n = left < sizeof chunk ? left : sizeof chunk;
                bh_sha256_update(&s, chunk, n);
                left -= n;
        }
        bh_sha256_final(&s, d);
        bh_sha256_hex(d, out);
        assert_string_equal(out,
                            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static json_t *default_profile(void)
{
        const char *shared = getenv("BH_SHARED");
        if (!shared)
                return NULL;
        _cleanup_free_ char *path = bh_xasprintf("%s/testdata/seccomp/docker-default.json", shared);
        return bh_json_load_file(path, 1 << 20, NULL);
}

/* the action the converted profile gives a syscall, or NULL */
static const char *action_for(const json_t *oci, const char *name)
{
        size_t i, j;
        json_t *call, *n;
        json_array_foreach(json_object_get(oci, "syscalls"), i, call)
        {
                json_array_foreach(json_object_get(call, "names"), j, n)
                {
                        if (bh_streq(json_string_value(n), name))
                                return json_string_value(json_object_get(call, "action"));
                }
        }
        return NULL;
}

static char *const docker_caps[] = {"CAP_CHOWN",
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

static void test_docker_conditions(void **state)
{
        json_t *profile = default_profile();
        if (!profile)
                skip();
        struct bh_seccomp_env env = {.caps = docker_caps,
                                     .go_arch = "amd64",
                                     .scmp_arch = "SCMP_ARCH_X86_64",
                                     .kernel_major = 6,
                                     .kernel_minor = 1};
        struct bh_error err;
        json_t *oci = bh_seccomp_from_docker(profile, &env, &err);
        assert_non_null(oci);
        assert_int_equal(bh_seccomp_validate(oci, &err), 0);
        assert_string_equal(json_string_value(json_object_get(oci, "defaultAction")),
                            "SCMP_ACT_ERRNO");
        /* archMap: the native architecture and its sub-architectures */
        json_t *arches = json_object_get(oci, "architectures");
        assert_int_equal(json_array_size(arches), 3);
        assert_string_equal(json_string_value(json_array_get(arches, 0)), "SCMP_ARCH_X86_64");
        assert_string_equal(action_for(oci, "read"), "SCMP_ACT_ALLOW");
        /* includes.caps: CAP_SYS_ADMIN-only calls are left out */
        assert_null(action_for(oci, "mount"));
        assert_null(action_for(oci, "bpf"));
        /* excludes.caps: without CAP_SYS_ADMIN, clone is allowed with its flag check */
        assert_string_equal(action_for(oci, "clone"), "SCMP_ACT_ALLOW");
        /* includes.minKernel 4.8 holds on 6.1 */
        assert_string_equal(action_for(oci, "ptrace"), "SCMP_ACT_ALLOW");
        /* includes.arches: amd64 gets arch_prctl, not the s390 calls */
        assert_string_equal(action_for(oci, "arch_prctl"), "SCMP_ACT_ALLOW");
        assert_null(action_for(oci, "s390_pci_mmio_read"));
        json_decref(oci);

        /* the same profile for CAP_SYS_ADMIN on an old kernel */
        char *const admin[] = {"CAP_SYS_ADMIN", NULL};
        env.caps = admin;
        env.kernel_major = 4;
        env.kernel_minor = 4;
        oci = bh_seccomp_from_docker(profile, &env, &err);
        assert_non_null(oci);
        assert_string_equal(action_for(oci, "mount"), "SCMP_ACT_ALLOW");
        assert_null(action_for(oci, "ptrace"));
        json_decref(oci);
        json_decref(profile);
}

static void test_docker_errors(void **state)
{
        struct bh_seccomp_env env = {
            .caps = docker_caps, .go_arch = "amd64", .scmp_arch = "SCMP_ARCH_X86_64"};
        struct bh_error err;
        json_t *p = json_loads("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":"
                               "[\"SCMP_ARCH_X86\"],\"archMap\":[{\"architecture\":"
                               "\"SCMP_ARCH_X86_64\"}]}",
                               0, NULL);
        assert_null(bh_seccomp_from_docker(p, &env, &err));
        assert_non_null(strstr(err.msg, "both \"architectures\" and \"archMap\""));
        json_decref(p);
        p = json_loads("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"name\":\"read\","
                       "\"names\":[\"write\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                       0, NULL);
        assert_null(bh_seccomp_from_docker(p, &env, &err));
        assert_non_null(strstr(err.msg, "syscalls[0]: use either"));
        json_decref(p);
}

static void expect_invalid(const char *text, const char *message)
{
        json_t *j = json_loads(text, 0, NULL);
        assert_non_null(j);
        struct bh_error err = {0};
        assert_true(bh_seccomp_validate(j, &err) < 0);
        if (!strstr(err.msg, message))
                fail_msg("\"%s\" does not contain \"%s\"", err.msg, message);
        json_decref(j);
}

static void test_validation(void **state)
{
        expect_invalid("{}", "linux.seccomp.defaultAction: unknown action \"(missing)\"");
        expect_invalid("{\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"listenerPath\":\"/x\"}",
                       "SCMP_ACT_NOTIFY cannot be the default action");
        expect_invalid(
            "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_Z80\"]}",
            "linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_Z80\"");
        expect_invalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"BOGUS\"]}",
                       "linux.seccomp.flags[0]: unknown flag");
        expect_invalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[],"
                       "\"action\":\"SCMP_ACT_ERRNO\"}]}",
                       "syscalls[0].names: must be a non-empty array");
        expect_invalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
                       "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":5000}]}",
                       "syscalls[0].errnoRet: must be an errno number");
        expect_invalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
                       "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":6,\"value\":1,"
                       "\"op\":\"SCMP_CMP_EQ\"}]}]}",
                       "syscalls[0].args[0].index: must be an argument number from 0 to 5");
        expect_invalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
                       "\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,\"value\":1,"
                       "\"op\":\"SCMP_CMP_ALMOST\"}]}]}",
                       "syscalls[0].args[0].op: unknown operator \"SCMP_CMP_ALMOST\"");
        expect_invalid("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],"
                       "\"action\":\"SCMP_ACT_NOTIFY\"}]}",
                       "listenerPath: required when a rule uses SCMP_ACT_NOTIFY");
}

/* Loads prog in a child (with no_new_privs) and runs mkdir there; returns
 * the errno mkdir failed with, 0 for success, or -1. */
static int mkdir_errno_under(const struct bh_seccomp_prog *prog)
{
        pid_t pid = fork();
        if (pid == 0) {
                prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
                if (bh_seccomp_load(prog, 0, NULL) < 0)
                        _exit(255);
                char dir[64];
                snprintf(dir, sizeof dir, "/tmp/bh-seccomp-test-%d", getpid());
                int r = mkdir(dir, 0700);
                int e = errno;
                if (r == 0)
                        rmdir(dir);
                _exit(r == 0 ? 0 : e);
        }
        int status;
        waitpid(pid, &status, 0);
        return WIFEXITED(status) && WEXITSTATUS(status) != 255 ? WEXITSTATUS(status) : -1;
}

static void test_compile_and_load(void **state)
{
        json_t *j = json_loads(
            "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_X86_64\","
            "\"SCMP_ARCH_X86\"],\"syscalls\":[{\"names\":[\"mkdir\",\"mkdirat\","
            "\"not_a_syscall\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38},"
            "{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":0,"
            "\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}"
            "]}",
            0, NULL);
        struct bh_error err;
        struct bh_seccomp_prog prog;
        assert_int_equal(bh_seccomp_validate(j, &err), 0);
        assert_int_equal(bh_seccomp_compile(j, &prog, &err), 0);
        assert_true(prog.len > 4);
        assert_int_equal(prog.unknown_names, 1);
        assert_false(prog.notify);
        assert_int_equal(mkdir_errno_under(&prog), ENOSYS);
        bh_seccomp_prog_free(&prog);
        json_decref(j);
        /* defaultErrnoRet: the filter's default return is ERRNO(13) (checked in
         * the program: a child under such a filter cannot even exit cleanly
         * with the sanitizers' runtime) */
        j = json_loads("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":13,"
                       "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                       0, NULL);
        assert_int_equal(bh_seccomp_compile(j, &prog, &err), 0);
        bool found = false;
        for (size_t i = 0; i < prog.len; i++)
                if (prog.insns[i].code == (BPF_RET | BPF_K) &&
                    prog.insns[i].k == (SECCOMP_RET_ERRNO | 13))
                        found = true;
        assert_true(found);
        bh_seccomp_prog_free(&prog);
        json_decref(j);
}

static void test_cache(void **state)
{
        char dir[] = "/tmp/bh-seccomp-cache-XXXXXX";
        assert_non_null(mkdtemp(dir));
        json_t *j = json_loads("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":"
                               "[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
                               0, NULL);
        struct bh_error err;
        struct bh_seccomp_prog prog, back;
        uint8_t key[32], other[32];
        bh_seccomp_key_oci(j, key);
        assert_int_equal(bh_seccomp_cache_get(dir, key, &back), -ENOENT);
        assert_int_equal(bh_seccomp_compile(j, &prog, &err), 0);
        assert_int_equal(bh_seccomp_cache_put(dir, key, &prog, &err), 0);
        assert_int_equal(bh_seccomp_cache_get(dir, key, &back), 0);
        assert_int_equal(back.len, prog.len);
        assert_memory_equal(back.insns, prog.insns, prog.len * 8);
        bh_seccomp_prog_free(&back);
        /* a different profile, a different key */
        json_object_set_new(j, "defaultAction", json_string("SCMP_ACT_LOG"));
        bh_seccomp_key_oci(j, other);
        assert_memory_not_equal(key, other, 32);
        /* a damaged entry is a miss, never a filter */
        char *path = bh_seccomp_cache_path(dir, key);
        assert_int_equal(truncate(path, 60), 0);
        assert_int_equal(bh_seccomp_cache_get(dir, key, &back), -ENOENT);
        unlink(path);
        free(path);
        rmdir(dir);
        bh_seccomp_prog_free(&prog);
        json_decref(j);
}

static void test_docker_key(void **state)
{
        struct bh_seccomp_env a = {.caps = docker_caps,
                                   .go_arch = "amd64",
                                   .scmp_arch = "SCMP_ARCH_X86_64",
                                   .kernel_major = 6};
        char *const admin[] = {"CAP_SYS_ADMIN", NULL};
        struct bh_seccomp_env b = a;
        b.caps = admin;
        uint8_t k1[32], k2[32], k3[32];
        bh_seccomp_key_docker("{}", 2, &a, k1);
        bh_seccomp_key_docker("{}", 2, &a, k2);
        bh_seccomp_key_docker("{}", 2, &b, k3);
        assert_memory_equal(k1, k2, 32);
        assert_memory_not_equal(k1, k3, 32);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_sha256_vectors),   cmocka_unit_test(test_docker_conditions),
            cmocka_unit_test(test_docker_errors),    cmocka_unit_test(test_validation),
            cmocka_unit_test(test_compile_and_load), cmocka_unit_test(test_cache),
            cmocka_unit_test(test_docker_key),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
