/* Container images read as streams of layers, without extracting them.
 *
 * bh_image_open() reads an image from one source (the local engine, a
 * docker-archive or OCI archive, an OCI layout directory, a registry or a
 * plain root filesystem), reads every layer once as a tar stream
 * (uncompressed, gzip or zstd), checks each layer against the digests the
 * manifest and config name, and builds the final filesystem view: every
 * path's metadata (type, mode, owner, size, link target, the layer that last
 * wrote it) with whiteouts (".wh.NAME" and ".wh..wh..opq") applied. File
 * contents are kept only for the paths the caller asks for (package
 * databases, os-release...), bounded in size.
 *
 * For the audit (CIS 4.8: setuid/setgid files in images of the local engine):
 *
 *     struct bh_image_source src = {.kind = BH_IMAGE_DAEMON, .ref = "nginx:1.25",
 *                                   .docker = d};
 *     struct bh_image *img;
 *     if (bh_image_open(&img, &src, NULL, &err) == 0) {
 *             bh_image_foreach_file(img, on_file, user); // final view, sorted by path
 *             bh_image_free(img);
 *     }
 *
 * or bh_image_special_files() for just the setuid/setgid/world-writable list.
 * Nothing here prints or writes to disk. */
#pragma once

#include "base/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bh_docker;

enum bh_image_kind {
        BH_IMAGE_AUTO,           /* decide from the name (see bh_image_source_parse) */
        BH_IMAGE_DAEMON,         /* an image in the local engine, streamed from the Engine API */
        BH_IMAGE_DOCKER_ARCHIVE, /* `docker save` output, plain or compressed */
        BH_IMAGE_OCI_DIR,        /* an OCI image layout directory */
        BH_IMAGE_OCI_ARCHIVE,    /* an OCI image layout in a tar */
        BH_IMAGE_ROOTFS,         /* a plain root filesystem directory */
        BH_IMAGE_REGISTRY,       /* a registry speaking the v2 API */
};

struct bh_image_source {
        enum bh_image_kind kind;
        const char *ref;          /* path, image name or REGISTRY/REPO[:TAG|@DIGEST] */
        struct bh_docker *docker; /* BH_IMAGE_DAEMON: an open Engine API client */
        /* BH_IMAGE_REGISTRY */
        bool insecure;        /* plain http (and unverified TLS) */
        const char *username; /* basic auth, or the credentials for a bearer token */
        const char *password;
};

/* Reads a skopeo-style name ("docker-archive:PATH", "oci:PATH",
 * "oci-archive:PATH", "dir:PATH", "docker-daemon:NAME", "docker://REG/REPO:TAG");
 * a bare name that exists on disk is recognised by its content; anything else
 * is an image in the local engine. src->ref points into name. */
int bh_image_source_parse(const char *name, struct bh_image_source *src, struct bh_error *err);
const char *bh_image_kind_name(enum bh_image_kind k);

/* Which file contents to keep: called with the normalised path ("etc/os-release",
 * no leading slash). Return true to keep it (up to max_file bytes). */
typedef bool (*bh_image_want_fn)(const char *path, void *user);

struct bh_image_options {
        bh_image_want_fn want; /* NULL: keep no contents */
        void *want_user;
        size_t max_file;         /* default 256 MiB */
        uint64_t max_layer_size; /* uncompressed bytes per layer; default 32 GiB */
        uint64_t max_ratio; /* uncompressed/compressed beyond which a layer is a bomb; 0 = 200 */
        size_t max_entries; /* per image; default 4 million */
        bool no_verify;     /* skip the digest checks */
        /* hash every layer on disk afresh: do not use or record the digests
         * of files that have not changed since they were last hashed */
        bool no_cache;
        /* Let digests of layers on disk finish in the background while the
         * caller works; it must then call bh_image_verify before trusting or
         * printing anything. */
        bool defer_verify;
};

struct bh_image_layer {
        char *diff_id;    /* sha256:... of the uncompressed tar (as in the config) */
        char *digest;     /* sha256:... of the blob as stored, when known */
        char *created_by; /* the history entry that made it, when known */
        uint64_t size;    /* uncompressed bytes */
        size_t entries;
};

enum bh_file_type {
        BH_FILE_REG = 'f',
        BH_FILE_DIR = 'd',
        BH_FILE_SYMLINK = 'l',
        BH_FILE_HARDLINK = 'h',
        BH_FILE_CHAR = 'c',
        BH_FILE_BLOCK = 'b',
        BH_FILE_FIFO = 'p',
        BH_FILE_SOCKET = 's',
};

/* One path of the final view. */
struct bh_image_file {
        const char *path; /* "usr/bin/passwd" */
        enum bh_file_type type;
        uint32_t mode; /* permission bits including S_ISUID, S_ISGID, S_ISVTX */
        uint32_t uid, gid;
        uint64_t size;
        const char *link; /* symlink or hard-link target, else NULL */
        unsigned layer;   /* index into bh_image_layers() of the layer that wrote it */
};

struct bh_image;

int bh_image_open(struct bh_image **out, const struct bh_image_source *src,
                  const struct bh_image_options *opt, struct bh_error *err);
/* Waits for the digests still being computed (defer_verify) and checks them;
 * 0 when every layer is what the manifest and config say. Idempotent. */
int bh_image_verify(struct bh_image *img, struct bh_error *err);
void bh_image_free(struct bh_image *img);

/* The image configuration ({"config": {...}, "history": [...], "created": ...}),
 * or NULL for a root filesystem directory. */
const json_t *bh_image_config(const struct bh_image *img);
/* "sha256:..." of the config, or NULL. */
const char *bh_image_id(const struct bh_image *img);
/* The name the image was opened by and its repo tags ("alpine:3.10"), when known. */
const char *bh_image_name(const struct bh_image *img);
char *const *bh_image_repo_tags(const struct bh_image *img);
const struct bh_image_layer *bh_image_layers(const struct bh_image *img, size_t *n);

/* Calls fn for every path of the final view in path order; stops when fn
 * returns non-zero and returns that value. */
typedef int (*bh_image_file_fn)(const struct bh_image_file *f, void *user);
int bh_image_foreach_file(const struct bh_image *img, bh_image_file_fn fn, void *user);
/* Metadata of one path (links in leading components followed, the last one
 * not); false when absent. */
bool bh_image_stat(const struct bh_image *img, const char *path, struct bh_image_file *out);

/* The kept content of a path in the final view, following symlinks inside
 * the image (at most 40). -ENOENT when absent or not kept, -ELOOP on a loop. */
int bh_image_read(const struct bh_image *img, const char *path, const char **data, size_t *len,
                  struct bh_error *err);

/* Every kept version of a path, oldest first: the content after layer
 * `layer` wrote it (data NULL when that layer deleted it). Lets a caller tell
 * which layer brought a package. */
typedef void (*bh_image_version_fn)(unsigned layer, const char *data, size_t len, void *user);
void bh_image_history(const struct bh_image *img, const char *path, bh_image_version_fn fn,
                      void *user);
/* Kept paths in the final view that start with prefix ("var/lib/dpkg/status.d/"). */
void bh_image_list_kept(const struct bh_image *img, const char *prefix, char ***paths);

/* The setuid/setgid regular files and the world-writable files and
 * directories (sticky directories excluded) of the final view; the caller
 * frees the array (the strings point into img). */
size_t bh_image_special_files(const struct bh_image *img, struct bh_image_file **out);

/* Normalises a path from a layer: strips "./" and leading "/", folds "//"
 * and "." components. Returns NULL for a path with ".." that would leave the
 * root, or an empty one. Exposed for tests and fuzzing. */
char *bh_image_clean_path(const char *raw);
