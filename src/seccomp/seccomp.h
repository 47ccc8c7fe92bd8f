/* Seccomp profiles for containers: Docker's JSON profile format turned into
 * the OCI runtime spec's linux.seccomp object (with Docker's conditions on
 * capabilities, architecture and kernel version), the OCI object validated and
 * compiled to BPF with libseccomp, compiled programs cached by the digest of
 * their input, and programs loaded into the kernel without libseccomp.
 * Shared by bulkhead-runtime and the profile tools. */
#pragma once

#include "base/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sock_filter;

/* What Docker's "includes"/"excludes" conditions are judged against. */
struct bh_seccomp_env {
        char *const *caps;     /* the container's bounding set, "CAP_SYS_ADMIN" ... */
        const char *go_arch;   /* Docker's name of the native architecture: "amd64" */
        const char *scmp_arch; /* the same in libseccomp's terms: "SCMP_ARCH_X86_64" */
        int kernel_major, kernel_minor;
};

/* Fills the architecture and kernel version of this machine. */
void bh_seccomp_env_native(struct bh_seccomp_env *env, char *const *caps);

/* Docker profile (docker-default.json and the files given to
 * `docker run --security-opt seccomp=FILE`) -> the OCI linux.seccomp object,
 * keeping only the rules whose conditions hold, as dockerd does. */
json_t *bh_seccomp_from_docker(const json_t *profile, const struct bh_seccomp_env *env,
                               struct bh_error *err);

/* A compiled filter and how to load it. */
struct bh_seccomp_prog {
        struct sock_filter *insns;
        size_t len;           /* instructions */
        unsigned int flags;   /* SECCOMP_FILTER_FLAG_* from the profile's "flags" */
        bool notify;          /* some rule uses SCMP_ACT_NOTIFY: load with a listener */
        size_t unknown_names; /* syscall names this libseccomp does not know (skipped) */
        uint8_t key[32];      /* its cache key, once cached */
};

/* Checks an OCI linux.seccomp object and names the first bad member
 * ("linux.seccomp.syscalls[3].action: unknown action \"SCMP_ACT_FOO\""). */
int bh_seccomp_validate(const json_t *oci, struct bh_error *err);

/* Compiles a validated OCI linux.seccomp object for this machine. */
int bh_seccomp_compile(const json_t *oci, struct bh_seccomp_prog *prog, struct bh_error *err);

/* The cache key of an OCI object: SHA-256 over its canonical JSON, the
 * native architecture and the libseccomp version. */
void bh_seccomp_key_oci(const json_t *oci, uint8_t key[32]);

/* The cache key of a Docker-format profile file as it would be converted
 * for env: SHA-256 over the file's bytes and everything the conversion
 * depends on (capabilities, architecture, kernel version, libseccomp
 * version), so a hit needs no JSON parsing at all. */
void bh_seccomp_key_docker(const char *data, size_t len, const struct bh_seccomp_env *env,
                           uint8_t key[32]);

/* Compiled programs cached as files named by key in dir (created 0700 when
 * missing). get returns 0 and fills prog on a hit, -ENOENT on a miss (or a
 * damaged entry, which is then ignored). put writes atomically. */
int bh_seccomp_cache_get(const char *dir, const uint8_t key[32], struct bh_seccomp_prog *prog);
int bh_seccomp_cache_put(const char *dir, const uint8_t key[32], struct bh_seccomp_prog *prog,
                         struct bh_error *err);
char *bh_seccomp_cache_path(const char *dir, const uint8_t key[32]);
/* One compiled filter in a file of the cache's format (key NULL: any key). */
int bh_seccomp_file_read(const char *path, const uint8_t *key, struct bh_seccomp_prog *prog);
int bh_seccomp_file_write(const char *path, const struct bh_seccomp_prog *prog,
                          struct bh_error *err);

/* Installs the filter on the calling thread (needs no_new_privs or
 * CAP_SYS_ADMIN). Returns the notification listener fd when prog->notify,
 * 0 otherwise, or -errno. extra_flags are or-ed into prog->flags. */
int bh_seccomp_load(const struct bh_seccomp_prog *prog, unsigned int extra_flags,
                    struct bh_error *err);

void bh_seccomp_prog_free(struct bh_seccomp_prog *prog);

/* Name tables, for `features` and validation. NULL-terminated. */
extern const char *const bh_seccomp_action_names[];
extern const char *const bh_seccomp_operator_names[];
extern const char *const bh_seccomp_arch_names[];
extern const char *const bh_seccomp_flag_names[];
/* Flags this kernel accepts (probed once). NULL-terminated, static. */
const char *const *bh_seccomp_supported_flags(void);
