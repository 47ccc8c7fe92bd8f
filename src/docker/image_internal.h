/* Private to the image readers in src/docker: layer deltas, the final view
 * and the pieces each source shares. */
#pragma once

#include "docker/image.h"

#include <archive.h>
#include <openssl/evp.h>

/* One tar entry of a layer, as read. */
struct layer_entry {
        char *path; /* cleaned */
        enum bh_file_type type;
        uint32_t mode, uid, gid;
        uint64_t size;
        char *link;
        char *data; /* kept content or NULL */
        size_t data_len;
        bool whiteout; /* ".wh.NAME": path is the NAME it deletes */
        bool opaque;   /* ".wh..wh..opq": path is the directory */
};

/* A whole layer as read, before it is placed in order. */
struct range_hash;

struct layer_delta {
        char *name;    /* where it came from: "abc/layer.tar", "blobs/sha256/..." */
        char *digest;  /* sha256:... of the stored bytes */
        char *diff_id; /* sha256:... of the uncompressed tar */
        uint64_t size; /* uncompressed */
        struct layer_entry *entries;
        size_t n, cap;
        /* a digest still being computed by a thread (uncompressed layers on
         * disk), and what its blob name says it must be */
        struct range_hash *pending;
        char *expect_blob;
};

/* Waits for a background digest; returns it (caller frees) or NULL with err set. */
char *range_hash_wait(struct range_hash *rh, struct bh_error *err);

/* A digest the image still has to check (bh_image_verify). */
struct pending_check {
        struct range_hash *rh;
        char *label;
        char *expect_diff_id; /* from the config; NULL when not verified */
        char *expect_blob;    /* from the blob name; may be NULL */
};

void layer_delta_free(struct layer_delta *d);

/* A pull-style byte source for a layer: returns bytes read, 0 at the end,
 * < 0 with err set on failure. */
typedef ssize_t (*layer_read_fn)(void *user, const void **buf, struct bh_error *err);

struct layer_limits {
        const struct bh_image_options *opt;
        size_t *entries_left; /* shared by all layers of an image */
        uint64_t stored_size; /* bytes as stored, when known (0: unknown) */
};

/* Reads one layer (plain tar, gzip or zstd) from a byte source into d,
 * hashing both the stored and the uncompressed bytes. name is for messages. */
int layer_read(struct layer_delta *d, const char *name, layer_read_fn rd, void *rd_user,
               const struct layer_limits *lim, struct bh_error *err);
/* Reads a layer stored as bytes [off, off+size) of a file: an uncompressed
 * tar is read header by header, skipping bodies, while another thread hashes
 * the range; a compressed one goes through layer_read. */
int layer_read_range(struct layer_delta *d, const char *name, int fd, uint64_t off, uint64_t size,
                     const struct layer_limits *lim, struct bh_error *err);
/* A byte source over a file descriptor. */
struct fd_source {
        int fd;
        char buf[65536];
};
ssize_t fd_source_read(void *user, const void **buf, struct bh_error *err);

/* SHA-256 as "sha256:hex". */
struct sha256 {
        EVP_MD_CTX *ctx;
};
void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *p, size_t n);
char *sha256_final(struct sha256 *h); /* frees the context; caller frees the string */
void sha256_abort(struct sha256 *h);

/* The image under construction. */
struct bh_image {
        char *name;
        char *id;
        char **repo_tags;
        json_t *config;
        struct bh_image_layer *layers;
        size_t nlayers;
        struct view_node *root;
        struct view_index *index;
        struct kept_version *versions;
        size_t nversions, versions_cap;
        struct pending_check *pending;
        size_t npending;
};

struct bh_image *image_new(const char *name);
/* Places the layers, in order, into the final view (copying what it keeps).
 * When config is given (and verification is on), checks that the computed
 * diff_ids match config.rootfs.diff_ids. */
int image_assemble(struct bh_image *img, struct layer_delta **deltas, size_t n, bool verify,
                   struct bh_error *err);

/* Readers by source kind. */
/* pick: which image of an archive or layout that holds several ("@N" or a
 * name, see oci_resolve); NULL when there must be one. */
int image_open_archive_fd(struct bh_image *img, int fd, const char *what, const char *pick,
                          const struct bh_image_options *opt, struct bh_error *err);
int image_open_oci_dir(struct bh_image *img, const char *path, const char *pick,
                       const struct bh_image_options *opt, struct bh_error *err);
int image_open_rootfs(struct bh_image *img, const char *path, const struct bh_image_options *opt,
                      struct bh_error *err);
int image_open_daemon(struct bh_image *img, struct bh_docker *d, const char *ref,
                      const struct bh_image_options *opt, struct bh_error *err);
int image_open_registry(struct bh_image *img, const struct bh_image_source *src,
                        const struct bh_image_options *opt, struct bh_error *err);

/* Parses the JSON of an OCI index or manifest and follows it to a config and
 * layer list. get(digest) returns a blob's bytes (owned by the caller). */
typedef int (*blob_get_fn)(void *user, const char *digest, const char *media_type, char **data,
                           size_t *len, struct bh_error *err);
struct oci_resolved {
        json_t *config;
        char *config_digest;
        char **layer_digests; /* NULL-terminated, in order */
        char **layer_media_types;
};
/* pick chooses one image of an index that holds several: "@N" (from 0) or
 * the name in its org.opencontainers.image.ref.name or io.containerd.image.name
 * annotation; NULL takes this platform's image, and is an error when the
 * index names several different images. */
int oci_resolve(const char *index_or_manifest, size_t len, const char *what, const char *pick,
                blob_get_fn get, void *user, struct oci_resolved *out, struct bh_error *err);
/* Whether two image references name the same image: "nginx" and
 * "docker.io/library/nginx:latest" do. */
bool image_ref_same(const char *a, const char *b);
void oci_resolved_free(struct oci_resolved *r);
/* Checks "sha256:" + 64 lowercase hex digits. */
bool digest_valid(const char *digest);

#define IMAGE_JSON_MAX (8u << 20)
