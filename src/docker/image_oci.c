/* OCI image layout: index.json -> (nested index) -> manifest -> config and
 * layers, by digest. Shared by OCI directories, OCI archives and registries
 * (whose manifests have the same shape). */
#include "docker/image_internal.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool digest_valid(const char *digest)
{
        if (!digest || !bh_startswith(digest, "sha256:") || strlen(digest) != 7 + 64)
                return false;
        for (const char *p = digest + 7; *p; p++)
                if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
                        return false;
        return true;
}

void oci_resolved_free(struct oci_resolved *r)
{
        json_decref(r->config);
        free(r->config_digest);
        bh_strv_free(r->layer_digests);
        bh_strv_free(r->layer_media_types);
        memset(r, 0, sizeof *r);
}

static const char *host_arch(void)
{
#if defined(__x86_64__)
        return "amd64";
#elif defined(__aarch64__)
        return "arm64";
#elif defined(__arm__)
        return "arm";
#elif defined(__s390x__)
        return "s390x";
#elif defined(__powerpc64__)
        return "ppc64le";
#else
        return "amd64";
#endif
}

/* Picks the manifest for this platform from an index: linux/<host arch>,
 * else the only real image (attestations say unknown/unknown). */
static const json_t *pick_manifest(const json_t *manifests)
{
        size_t i;
        const json_t *m, *fallback = NULL;
        json_array_foreach(manifests, i, m)
        {
                const char *os = bh_json_str(m, "platform.os");
                const char *arch = bh_json_str(m, "platform.architecture");
                if (bh_streq(os, "unknown"))
                        continue;
                if ((!os || bh_streq(os, "linux")) && (!arch || bh_streq(arch, host_arch())))
                        return m;
                if (!fallback)
                        fallback = m;
        }
        return fallback;
}

/* "nginx" -> "nginx:latest", "docker.io/library/nginx:1" -> "nginx:1". */
static char *ref_normal(const char *s)
{
        static const char *const hubs[] = {"docker.io/library/", "index.docker.io/library/",
                                           "docker.io/", "index.docker.io/"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(hubs); i++)
                if (bh_startswith(s, hubs[i])) {
                        s += strlen(hubs[i]);
                        break;
                }
        const char *slash = strrchr(s, '/');
        const char *last = slash ? slash + 1 : s;
        if (!strchr(last, ':') && !strchr(last, '@'))
                return bh_xasprintf("%s:latest", s);
        return bh_xstrdup(s);
}

bool image_ref_same(const char *a, const char *b)
{
        if (!a || !b)
                return false;
        _cleanup_free_ char *na = ref_normal(a);
        _cleanup_free_ char *nb = ref_normal(b);
        return strcmp(na, nb) == 0;
}

/* An annotation of an index entry (their keys hold dots: no bh_json_str). */
static const char *annotation(const json_t *m, const char *key)
{
        return json_string_value(json_object_get(json_object_get(m, "annotations"), key));
}

/* The name an index entry gives its image, if any. */
static const char *entry_name(const json_t *m)
{
        const char *n = annotation(m, "io.containerd.image.name");
        return n ? n : annotation(m, "org.opencontainers.image.ref.name");
}

/* The entry pick names: "@N", or a name in either annotation. */
static const json_t *picked_manifest(const json_t *manifests, const char *pick, const char *what,
                                     struct bh_error *err)
{
        size_t i;
        const json_t *m;
        if (pick[0] == '@') {
                char *end = NULL;
                unsigned long n = strtoul(pick + 1, &end, 10);
                if (!pick[1] || *end || n >= json_array_size(manifests)) {
                        bh_error_set(err, ENOENT, "%s: no image %s (the index lists %zu)", what,
                                     pick, json_array_size(manifests));
                        return NULL;
                }
                return json_array_get(manifests, n);
        }
        json_array_foreach(manifests, i, m)
        {
                const char *ref = annotation(m, "org.opencontainers.image.ref.name");
                if ((ref && strcmp(ref, pick) == 0) ||
                    image_ref_same(annotation(m, "io.containerd.image.name"), pick))
                        return m;
        }
        bh_error_set(err, ENOENT, "%s: no image named %s in the index", what, pick);
        return NULL;
}

/* Several differently named images in one index: the caller must choose. */
static int check_one_image(const json_t *manifests, const char *what, struct bh_error *err)
{
        size_t i;
        const json_t *m;
        const char *first = NULL;
        json_array_foreach(manifests, i, m)
        {
                const char *n = entry_name(m);
                if (!n)
                        continue;
                if (!first)
                        first = n;
                else if (!image_ref_same(first, n))
                        return bh_error_set(err, EINVAL,
                                            "%s: the index holds %zu images (%s, %s...): name one "
                                            "as PATH:NAME or PATH:@N",
                                            what, json_array_size(manifests), first, n);
        }
        return 0;
}

static int resolve_doc(json_t *doc, const char *what, const char *pick, blob_get_fn get, void *user,
                       int depth, struct oci_resolved *out, struct bh_error *err)
{
        if (depth > 4)
                return bh_error_set(err, ELOOP, "%s: image indexes nested too deep", what);
        if (!json_is_object(doc))
                return bh_error_set(err, EBADMSG, "%s: not a JSON object", what);
        long long schema = bh_json_int(doc, "schemaVersion", 2);
        if (schema == 1)
                return bh_error_set(err, ENOTSUP,
                                    "%s: Docker image manifest schema 1 is not supported", what);
        const json_t *manifests = bh_json_get(doc, "manifests");
        if (pick && !json_is_array(manifests))
                return bh_error_set(err, ENOENT, "%s: one image, no index to choose %s from", what,
                                    pick);
        if (json_is_array(manifests)) {
                if (!pick && depth == 0 && check_one_image(manifests, what, err) < 0)
                        return -err->code;
                const json_t *m =
                    pick ? picked_manifest(manifests, pick, what, err) : pick_manifest(manifests);
                if (pick && !m)
                        return -err->code;
                const char *digest = bh_json_str(m, "digest");
                if (!m || !digest_valid(digest))
                        return bh_error_set(err, EBADMSG, "%s: no usable manifest in the index",
                                            what);
                char *data = NULL;
                size_t len = 0;
                int rc = get(user, digest, bh_json_str(m, "mediaType"), &data, &len, err);
                if (rc < 0)
                        return rc;
                json_t *sub = bh_json_parse(data, len, digest, err);
                free(data);
                if (!sub)
                        return -err->code;
                rc = resolve_doc(sub, digest, NULL, get, user, depth + 1, out, err);
                json_decref(sub);
                return rc;
        }
        const json_t *layers = bh_json_get(doc, "layers");
        const char *cfg = bh_json_str(doc, "config.digest");
        if (!json_is_array(layers) || !digest_valid(cfg))
                return bh_error_set(err, EBADMSG,
                                    "%s: not an image manifest (no config digest or layers)", what);
        size_t i;
        const json_t *l;
        json_array_foreach(layers, i, l)
        {
                const char *d = bh_json_str(l, "digest");
                if (!digest_valid(d))
                        return bh_error_set(err, EBADMSG, "%s: layer %zu has no valid digest", what,
                                            i + 1);
                bh_strv_push(&out->layer_digests, d);
                const char *mt = bh_json_str(l, "mediaType");
                bh_strv_push(&out->layer_media_types, mt ? mt : "");
        }
        if (!out->layer_digests)
                out->layer_digests = bh_xcalloc(1, sizeof(char *));
        char *data = NULL;
        size_t len = 0;
        int rc = get(user, cfg, bh_json_str(doc, "config.mediaType"), &data, &len, err);
        if (rc < 0)
                return rc;
        out->config = bh_json_parse(data, len, cfg, err);
        free(data);
        if (!out->config)
                return -err->code;
        if (!json_is_object(out->config))
                return bh_error_set(err, EBADMSG, "%s: the image config is not a JSON object", cfg);
        out->config_digest = bh_xstrdup(cfg);
        return 0;
}

int oci_resolve(const char *index_or_manifest, size_t len, const char *what, const char *pick,
                blob_get_fn get, void *user, struct oci_resolved *out, struct bh_error *err)
{
        memset(out, 0, sizeof *out);
        json_t *doc = bh_json_parse(index_or_manifest, len, what, err);
        if (!doc)
                return -err->code;
        int rc = resolve_doc(doc, what, pick, get, user, 0, out, err);
        json_decref(doc);
        if (rc < 0)
                oci_resolved_free(out);
        return rc;
}

/* --- OCI layout directory --- */

struct oci_dir {
        int dirfd;
        const char *path;
};

static int open_blob(struct oci_dir *o, const char *digest, struct bh_error *err)
{
        if (!digest_valid(digest))
                return bh_error_set(err, EINVAL, "%s: invalid digest \"%s\"", o->path, digest);
        _cleanup_free_ char *rel = bh_xasprintf("blobs/sha256/%s", digest + 7);
        int fd = bh_open_in_root(o->dirfd, rel, O_RDONLY | O_NOFOLLOW, err);
        if (fd < 0)
                bh_error_prefix(err, "%s", o->path);
        return fd;
}

static int dir_get(void *user, const char *digest, const char *media_type, char **data, size_t *len,
                   struct bh_error *err)
{
        struct oci_dir *o = user;
        _cleanup_close_ int fd = open_blob(o, digest, err);
        if (fd < 0)
                return fd;
        int rc = bh_read_fd(fd, digest, IMAGE_JSON_MAX, data, len, err);
        if (rc < 0)
                return rc;
        struct sha256 h;
        sha256_init(&h);
        sha256_update(&h, *data, *len);
        _cleanup_free_ char *got = sha256_final(&h);
        if (strcmp(got, digest) != 0) {
                free(*data);
                *data = NULL;
                return bh_error_set(err, EBADMSG, "%s: blob %s has digest %s", o->path, digest,
                                    got);
        }
        return 0;
}

int image_open_oci_dir(struct bh_image *img, const char *path, const char *pick,
                       const struct bh_image_options *opt, struct bh_error *err)
{
        _cleanup_close_ int dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return bh_error_errno(err, errno, "%s", path);
        struct oci_dir o = {.dirfd = dirfd, .path = path};
        _cleanup_free_ char *index = NULL;
        size_t len = 0;
        int rc = bh_read_file_at(dirfd, "index.json", IMAGE_JSON_MAX, &index, &len, err);
        if (rc < 0)
                return bh_error_prefix(err, "%s: not an OCI image layout", path);
        struct oci_resolved r;
        _cleanup_free_ char *what = bh_xasprintf("%s/index.json", path);
        rc = oci_resolve(index, len, what, pick, dir_get, &o, &r, err);
        if (rc < 0)
                return rc;
        img->config = json_incref(r.config);
        img->id = bh_xstrdup(r.config_digest);
        size_t n = bh_strv_len(r.layer_digests);
        struct layer_delta **deltas = bh_xcalloc(n + 1, sizeof *deltas);
        size_t entries_left = opt->max_entries;
        for (size_t i = 0; i < n && rc == 0; i++) {
                const char *dg = r.layer_digests[i];
                int fd = open_blob(&o, dg, err);
                if (fd < 0) {
                        rc = fd;
                        break;
                }
                struct stat st;
                if (fstat(fd, &st) < 0) {
                        rc = bh_error_errno(err, errno, "%s: blob %s", path, dg);
                        close(fd);
                        break;
                }
                struct layer_limits lim = {
                    .opt = opt, .entries_left = &entries_left, .stored_size = (uint64_t)st.st_size};
                deltas[i] = bh_xcalloc(1, sizeof **deltas);
                _cleanup_free_ char *name = bh_xasprintf("layer %zu (%s)", i + 1, dg);
                rc = layer_read_range(deltas[i], name, fd, 0, (uint64_t)st.st_size, &lim, err);
                close(fd);
                if (rc == 0 && deltas[i]->pending) /* checked when its hash is done */
                        deltas[i]->expect_blob = bh_xstrdup(dg);
                else if (rc == 0 && !opt->no_verify && strcmp(deltas[i]->digest, dg) != 0)
                        rc = bh_error_set(err, EBADMSG, "%s: the blob's digest is %s", name,
                                          deltas[i]->digest);
        }
        if (rc == 0)
                rc = image_assemble(img, deltas, n, !opt->no_verify, err);
        for (size_t i = 0; i < n; i++)
                layer_delta_free(deltas[i]);
        free(deltas);
        oci_resolved_free(&r);
        return rc;
}
