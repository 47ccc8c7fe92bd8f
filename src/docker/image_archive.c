/* docker-archive (`docker save`, also what the Engine API streams) and OCI
 * archives, read in one pass from a file or a stream. Layers may come before
 * the manifest that orders them, so each is read into a delta as it passes and
 * placed once the manifest is known. */
#include "docker/image_internal.h"
#include "base/json.h"
#include "base/buf.h"
#include "base/util.h"

#include <archive_entry.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct meta_file {
        char *name;
        char *data;
        size_t len;
};

struct archive_state {
        const char *what;
        const struct bh_image_options *opt;
        struct meta_file *meta;
        size_t nmeta;
        struct layer_delta **deltas;
        size_t ndeltas;
        size_t entries_left;
};

static void state_free(struct archive_state *s)
{
        for (size_t i = 0; i < s->nmeta; i++) {
                free(s->meta[i].name);
                free(s->meta[i].data);
        }
        free(s->meta);
        for (size_t i = 0; i < s->ndeltas; i++)
                layer_delta_free(s->deltas[i]);
        free(s->deltas);
}

static const struct meta_file *meta_get(const struct archive_state *s, const char *name)
{
        for (size_t i = 0; i < s->nmeta; i++)
                if (strcmp(s->meta[i].name, name) == 0)
                        return &s->meta[i];
        return NULL;
}

static struct layer_delta *delta_get(const struct archive_state *s, const char *name)
{
        for (size_t i = 0; i < s->ndeltas; i++)
                if (strcmp(s->deltas[i]->name, name) == 0)
                        return s->deltas[i];
        return NULL;
}

/* The outer archive as a layer byte source, with the block already peeked at. */
struct outer_src {
        struct archive *a;
        const void *first;
        size_t first_len;
        bool first_done;
};

static ssize_t outer_read(void *user, const void **buf, struct bh_error *err)
{
        struct outer_src *s = user;
        if (!s->first_done) {
                s->first_done = true;
                *buf = s->first;
                return (ssize_t)s->first_len;
        }
        size_t size = 0;
        la_int64_t off;
        int r = archive_read_data_block(s->a, buf, &size, &off);
        if (r == ARCHIVE_EOF)
                return 0;
        if (r < ARCHIVE_WARN)
                return bh_error_set(err, EIO, "%s", archive_error_string(s->a));
        return (ssize_t)size;
}

static bool is_layer_name(const char *name)
{
        return bh_startswith(name, "blobs/") || bh_endswith(name, "/layer.tar") ||
               bh_endswith(name, ".tar") || bh_endswith(name, ".tar.gz") ||
               bh_endswith(name, ".tgz") || bh_endswith(name, ".tar.zst");
}

static bool looks_like_json(const void *p, size_t n)
{
        const char *s = p;
        for (size_t i = 0; i < n; i++) {
                if (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
                        continue;
                return s[i] == '{' || s[i] == '[';
        }
        return false;
}

/* Which entries of an image archive matter: layers, and the JSON documents
 * (manifest.json, index.json, configs, blobs) that say how to put them together. */
static bool wanted_entry(const char *name, bool *layer)
{
        const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
        *layer = is_layer_name(name);
        return *layer || bh_endswith(name, ".json") || strcmp(base, "json") == 0 ||
               strcmp(name, "repositories") == 0 || strcmp(name, "oci-layout") == 0;
}

/* Takes a small document (data is owned afterwards); blobs are checked
 * against the digest their name carries. */
static int add_meta(struct archive_state *s, const char *name, char *data, size_t len,
                    struct bh_error *err)
{
        s->meta = bh_xreallocarray(s->meta, s->nmeta + 1, sizeof *s->meta);
        s->meta[s->nmeta++] =
            (struct meta_file){.name = bh_xstrdup(name), .data = data, .len = len};
        if (!bh_startswith(name, "blobs/sha256/") || s->opt->no_verify)
                return 0;
        struct sha256 h;
        sha256_init(&h);
        sha256_update(&h, data, len);
        _cleanup_free_ char *got = sha256_final(&h);
        if (strcmp(got + 7, name + strlen("blobs/sha256/")) != 0)
                return bh_error_set(err, EBADMSG, "%s: %s: content has digest %s", s->what, name,
                                    got);
        return 0;
}

/* Takes a layer read into d (freed on failure). */
static int add_delta(struct archive_state *s, const char *name, const char *label,
                     struct layer_delta *d, struct bh_error *err)
{
        if (d->pending && bh_startswith(name, "blobs/sha256/")) /* checked when it is known */
                d->expect_blob = bh_xasprintf("sha256:%s", name + strlen("blobs/sha256/"));
        else if (bh_startswith(name, "blobs/sha256/") && !s->opt->no_verify &&
                 strcmp(d->digest + 7, name + strlen("blobs/sha256/")) != 0) {
                int rc = bh_error_set(err, EBADMSG, "%s: content has digest %s", label, d->digest);
                layer_delta_free(d);
                return rc;
        }
        s->deltas = bh_xreallocarray(s->deltas, s->ndeltas + 1, sizeof *s->deltas);
        s->deltas[s->ndeltas++] = d;
        return 0;
}

static int keep_meta(struct archive_state *s, struct archive *a, const char *name,
                     const void *first, size_t first_len, int64_t size, struct bh_error *err)
{
        if (size < 0 || (uint64_t)size > IMAGE_JSON_MAX)
                return bh_error_set(err, EFBIG, "%s: %s: larger than %u bytes", s->what, name,
                                    IMAGE_JSON_MAX);
        size_t cap = (size_t)size, len;
        char *data = bh_xmalloc(cap + 1);
        if (first_len > cap)
                first_len = cap;
        memcpy(data, first, first_len);
        len = first_len;
        while (len < cap) {
                la_ssize_t r = archive_read_data(a, data + len, cap - len);
                if (r < 0) {
                        free(data);
                        return bh_error_set(err, EIO, "%s: %s: %s", s->what, name,
                                            archive_error_string(a));
                }
                if (r == 0)
                        break;
                len += (size_t)r;
        }
        data[len] = '\0';
        return add_meta(s, name, data, len, err);
}

static int take_outer_entry(struct archive_state *s, struct archive *a, struct archive_entry *ae,
                            struct bh_error *err)
{
        if (archive_entry_filetype(ae) != AE_IFREG || archive_entry_hardlink(ae))
                return 0;
        const char *raw = archive_entry_pathname(ae);
        _cleanup_free_ char *name = raw ? bh_image_clean_path(raw) : NULL;
        bool layer;
        if (!name || !wanted_entry(name, &layer))
                return 0; /* VERSION and other files nothing needs */
        int64_t size = archive_entry_size(ae);
        const void *first = "";
        size_t first_len = 0;
        la_int64_t off;
        int r = archive_read_data_block(a, &first, &first_len, &off);
        if (r == ARCHIVE_EOF) {
                first = "";
                first_len = 0;
        } else if (r < ARCHIVE_WARN) {
                return bh_error_set(err, EIO, "%s: %s: %s", s->what, name, archive_error_string(a));
        }
        if (!layer || (size <= (int64_t)IMAGE_JSON_MAX && looks_like_json(first, first_len)))
                return keep_meta(s, a, name, first, first_len, size, err);
        if (delta_get(s, name))
                return 0; /* the same blob twice in the tar */
        struct outer_src src = {.a = a, .first = first, .first_len = first_len};
        struct layer_limits lim = {.opt = s->opt,
                                   .entries_left = &s->entries_left,
                                   .stored_size = size > 0 ? (uint64_t)size : 0};
        struct layer_delta *d = bh_xcalloc(1, sizeof *d);
        d->name = bh_xstrdup(name);
        _cleanup_free_ char *label = bh_xasprintf("%s: layer %s", s->what, name);
        int rc = layer_read(d, label, outer_read, &src, &lim, err);
        if (rc < 0) {
                layer_delta_free(d);
                return rc;
        }
        return add_delta(s, name, label, d, err);
}

static int read_outer(struct archive_state *s, struct archive *a, struct bh_error *err)
{
        bool any = false;
        for (;;) {
                struct archive_entry *ae;
                int r = archive_read_next_header(a, &ae);
                if (r == ARCHIVE_EOF)
                        break;
                if (r == ARCHIVE_RETRY)
                        continue;
                if (r < ARCHIVE_WARN) {
                        if (!any)
                                return bh_error_set(err, EBADMSG,
                                                    "%s: not an image archive (tar): %s", s->what,
                                                    archive_error_string(a));
                        return bh_error_set(err, EBADMSG, "%s: damaged archive: %s", s->what,
                                            archive_error_string(a));
                }
                any = true;
                int rc = take_outer_entry(s, a, ae, err);
                if (rc < 0)
                        return rc;
                uint64_t raw = (uint64_t)archive_filter_bytes(a, -1);
                uint64_t out = (uint64_t)archive_filter_bytes(a, 0);
                if (archive_filter_count(a) > 1 && out > (1ull << 30) && raw > 0 &&
                    out / raw > s->opt->max_ratio)
                        return bh_error_set(err, EFBIG,
                                            "%s: expands more than %llu times: a decompression "
                                            "bomb?",
                                            s->what, (unsigned long long)s->opt->max_ratio);
        }
        if (!any)
                return bh_error_set(err, EBADMSG, "%s: an empty archive", s->what);
        return 0;
}

static struct layer_delta *need_layer(struct archive_state *s, const char *name, size_t i,
                                      struct bh_error *err)
{
        _cleanup_free_ char *clean = name ? bh_image_clean_path(name) : NULL;
        struct layer_delta *d = clean ? delta_get(s, clean) : NULL;
        if (!d)
                bh_error_set(err, ENOENT, "%s: layer %zu (%s) is not in the archive", s->what,
                             i + 1, name ? name : "unnamed");
        return d;
}

/* The manifest.json entry pick names ("@N" or one of its RepoTags); without
 * pick, the only one. */
static const json_t *docker_entry(const json_t *man, const char *pick, const char *what,
                                  struct bh_error *err)
{
        size_t n = json_array_size(man), i, k;
        const json_t *m, *t;
        if (n == 0) {
                bh_error_set(err, EBADMSG, "%s: lists no image", what);
                return NULL;
        }
        if (!pick) {
                if (n == 1)
                        return json_array_get(man, 0);
                struct bh_buf tags = BH_BUF_INIT;
                json_array_foreach(man, i, m)
                {
                        const char *tag =
                            json_string_value(json_array_get(bh_json_get(m, "RepoTags"), 0));
                        bh_buf_printf(&tags, "%s@%zu%s%s", i ? ", " : "", i, tag ? " " : "",
                                      tag ? tag : "");
                }
                bh_error_set(err, EINVAL,
                             "%s: the archive holds %zu images (%s): name one as "
                             "docker-archive:PATH:TAG or docker-archive:PATH:@N",
                             what, n, tags.data);
                bh_buf_free(&tags);
                return NULL;
        }
        if (pick[0] == '@') {
                char *end = NULL;
                unsigned long idx = strtoul(pick + 1, &end, 10);
                if (pick[1] && !*end && idx < n)
                        return json_array_get(man, idx);
                bh_error_set(err, ENOENT, "%s: no image %s (the archive holds %zu)", what, pick, n);
                return NULL;
        }
        json_array_foreach(man, i, m)
        {
                json_array_foreach(bh_json_get(m, "RepoTags"), k, t)
                {
                        if (image_ref_same(json_string_value(t), pick))
                                return m;
                }
        }
        bh_error_set(err, ENOENT, "%s: no image tagged %s in the archive", what, pick);
        return NULL;
}

static int assemble_docker(struct bh_image *img, struct archive_state *s,
                           const struct meta_file *mf, const char *pick, struct bh_error *err)
{
        _cleanup_free_ char *what = bh_xasprintf("%s: manifest.json", s->what);
        _cleanup_json_ json_t *man = bh_json_parse(mf->data, mf->len, what, err);
        if (!man)
                return -err->code;
        if (!json_is_array(man))
                return bh_error_set(err, EBADMSG, "%s: expected [{\"Config\", \"Layers\"}]", what);
        const json_t *m0 = docker_entry(man, pick, what, err);
        if (!m0)
                return -err->code;
        const char *cfg = bh_json_str(m0, "Config");
        const json_t *layers = bh_json_get(m0, "Layers");
        if (!json_is_object(m0) || !cfg || !json_is_array(layers))
                return bh_error_set(err, EBADMSG, "%s: expected [{\"Config\", \"Layers\"}]", what);
        _cleanup_free_ char *cfg_clean = bh_image_clean_path(cfg);
        const struct meta_file *cf = cfg_clean ? meta_get(s, cfg_clean) : NULL;
        if (!cf)
                return bh_error_set(err, ENOENT, "%s: the config %s is not in the archive", s->what,
                                    cfg);
        _cleanup_free_ char *cwhat = bh_xasprintf("%s: %s", s->what, cfg);
        img->config = bh_json_parse(cf->data, cf->len, cwhat, err);
        if (!img->config)
                return -err->code;
        if (!json_is_object(img->config))
                return bh_error_set(err, EBADMSG, "%s: not a JSON object", cwhat);
        struct sha256 h;
        sha256_init(&h);
        sha256_update(&h, cf->data, cf->len);
        img->id = sha256_final(&h);
        size_t i;
        const json_t *t;
        json_array_foreach(bh_json_get(m0, "RepoTags"), i, t)
        {
                if (json_is_string(t))
                        bh_strv_push(&img->repo_tags, json_string_value(t));
        }
        size_t n = json_array_size(layers);
        struct layer_delta **order = bh_xcalloc(n + 1, sizeof *order);
        int rc = 0;
        for (i = 0; i < n && rc == 0; i++)
                if (!(order[i] =
                          need_layer(s, json_string_value(json_array_get(layers, i)), i, err)))
                        rc = -err->code;
        if (rc == 0)
                rc = image_assemble(img, order, n, !s->opt->no_verify, err);
        free(order);
        return rc;
}

static int meta_blob_get(void *user, const char *digest, const char *media_type, char **data,
                         size_t *len, struct bh_error *err)
{
        const struct archive_state *s = user;
        if (!digest_valid(digest))
                return bh_error_set(err, EINVAL, "%s: invalid digest \"%s\"", s->what, digest);
        _cleanup_free_ char *name = bh_xasprintf("blobs/sha256/%s", digest + 7);
        const struct meta_file *m = meta_get(s, name);
        if (!m)
                return bh_error_set(err, ENOENT, "%s: blob %s is not in the archive", s->what,
                                    digest);
        *data = bh_xstrndup(m->data, m->len);
        *len = m->len;
        return 0;
}

static int assemble_oci(struct bh_image *img, struct archive_state *s, const struct meta_file *ix,
                        const char *pick, struct bh_error *err)
{
        _cleanup_free_ char *what = bh_xasprintf("%s: index.json", s->what);
        struct oci_resolved r;
        int rc = oci_resolve(ix->data, ix->len, what, pick, meta_blob_get, s, &r, err);
        if (rc < 0)
                return rc;
        img->config = json_incref(r.config);
        img->id = bh_xstrdup(r.config_digest);
        size_t n = bh_strv_len(r.layer_digests);
        struct layer_delta **order = bh_xcalloc(n + 1, sizeof *order);
        for (size_t i = 0; i < n && rc == 0; i++) {
                _cleanup_free_ char *name = bh_xasprintf("blobs/sha256/%s", r.layer_digests[i] + 7);
                if (!(order[i] = need_layer(s, name, i, err)))
                        rc = -err->code;
        }
        if (rc == 0)
                rc = image_assemble(img, order, n, !s->opt->no_verify, err);
        free(order);
        oci_resolved_free(&r);
        return rc;
}

/* --- an uncompressed archive on disk: an index of its entries, then each
 * layer read where it lies (headers only, bodies skipped by offset) --- */

struct tar_item {
        char *name;
        uint64_t off, size;
};

static uint64_t tar_number(const unsigned char *p, size_t n, bool *ok)
{
        if (p[0] & 0x80) { /* base-256 */
                uint64_t v = p[0] & 0x3f;
                for (size_t i = 1; i < n; i++) {
                        if (v >> 55)
                                *ok = false;
                        v = v << 8 | p[i];
                }
                return v;
        }
        uint64_t v = 0;
        size_t i = 0;
        while (i < n && p[i] == ' ')
                i++;
        for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
                if (v >> 60)
                        *ok = false;
                v = v * 8 + (uint64_t)(p[i] - '0');
        }
        if (i < n && p[i] != ' ' && p[i] != '\0')
                *ok = false;
        return v;
}

static bool tar_checksum_ok(const unsigned char *h)
{
        bool ok = true;
        uint64_t want = tar_number(h + 148, 8, &ok);
        uint64_t sum = 0;
        for (int i = 0; i < 512; i++)
                sum += (i >= 148 && i < 156) ? ' ' : h[i];
        return ok && sum == want;
}

/* The "path" record of a pax extended header, if any. */
static char *pax_path(const char *data, size_t len)
{
        size_t i = 0;
        while (i < len) {
                size_t reclen = 0, j = i;
                while (j < len && data[j] >= '0' && data[j] <= '9' && reclen < len)
                        reclen = reclen * 10 + (size_t)(data[j++] - '0');
                if (j >= len || data[j] != ' ' || reclen == 0 || i + reclen > len)
                        return NULL;
                const char *kv = data + j + 1;
                size_t kvlen = i + reclen - (j + 1);
                if (kvlen > 5 && memcmp(kv, "path=", 5) == 0)
                        return bh_xstrndup(kv + 5, kvlen - 6); /* drop the newline */
                i += reclen;
        }
        return NULL;
}

static void items_free(struct tar_item *v, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(v[i].name);
        free(v);
}

/* Lists the regular files of a plain tar file by its headers. -ENOTSUP when
 * it is anything else (compressed, damaged, sparse...): the streaming reader
 * then takes over and says what is wrong. */
static int tar_index(int fd, uint64_t fsize, struct tar_item **out, size_t *count)
{
        struct tar_item *v = NULL;
        size_t n = 0;
        uint64_t pos = 0;
        char *next_name = NULL;
        unsigned char h[512];
        int rc = -ENOTSUP;
        while (pos + 512 <= fsize) {
                if (pread(fd, h, sizeof h, (off_t)pos) != (ssize_t)sizeof h)
                        goto out;
                bool zero = true;
                for (int i = 0; i < 512 && zero; i++)
                        zero = h[i] == 0;
                if (zero) {
                        rc = 0;
                        goto out;
                }
                bool ok = tar_checksum_ok(h);
                uint64_t size = tar_number(h + 124, 12, &ok);
                uint64_t data = pos + 512;
                if (!ok || size > fsize || data + size > fsize || n > (1u << 20))
                        goto out;
                char type = (char)h[156];
                if (type == 'L' || type == 'x') {
                        if (size > 65536)
                                goto out;
                        char *buf = bh_xmalloc((size_t)size + 1);
                        if (pread(fd, buf, (size_t)size, (off_t)data) != (ssize_t)size) {
                                free(buf);
                                goto out;
                        }
                        buf[size] = '\0';
                        free(next_name);
                        next_name = type == 'L' ? bh_xstrndup(buf, (size_t)size)
                                                : pax_path(buf, (size_t)size);
                        free(buf);
                } else if (type == '0' || type == '\0' || type == '7') {
                        char *name = next_name;
                        next_name = NULL;
                        if (!name) {
                                char base[101], prefix[156];
                                memcpy(base, h, 100);
                                base[100] = '\0';
                                memcpy(prefix, h + 345, 155);
                                prefix[155] = '\0';
                                name = memcmp(h + 257, "ustar", 5) == 0 && prefix[0]
                                           ? bh_xasprintf("%s/%s", prefix, base)
                                           : bh_xstrdup(base);
                        }
                        v = bh_xreallocarray(v, n + 1, sizeof *v);
                        v[n++] = (struct tar_item){.name = name, .off = data, .size = size};
                } else if (type == 'S') {
                        goto out; /* sparse: let libarchive read it */
                } else {
                        free(next_name);
                        next_name = NULL;
                }
                pos = data + (size + 511) / 512 * 512;
        }
out:
        free(next_name);
        if (rc < 0 || n == 0) {
                items_free(v, n);
                return -ENOTSUP;
        }
        *out = v;
        *count = n;
        return 0;
}

static int read_indexed(struct archive_state *s, int fd, const struct tar_item *items, size_t n,
                        struct bh_error *err)
{
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *name = bh_image_clean_path(items[i].name);
                bool layer;
                if (!name || !wanted_entry(name, &layer))
                        continue;
                uint64_t size = items[i].size;
                char first[64];
                size_t first_len = size < sizeof first ? (size_t)size : sizeof first;
                if (pread(fd, first, first_len, (off_t)items[i].off) != (ssize_t)first_len)
                        return bh_error_errno(err, errno ? errno : EIO, "%s: %s", s->what, name);
                if (!layer || (size <= IMAGE_JSON_MAX && looks_like_json(first, first_len))) {
                        if (size > IMAGE_JSON_MAX)
                                return bh_error_set(err, EFBIG, "%s: %s: larger than %u bytes",
                                                    s->what, name, IMAGE_JSON_MAX);
                        char *data = bh_xmalloc((size_t)size + 1);
                        if (pread(fd, data, (size_t)size, (off_t)items[i].off) != (ssize_t)size) {
                                free(data);
                                return bh_error_errno(err, errno ? errno : EIO, "%s: %s", s->what,
                                                      name);
                        }
                        data[size] = '\0';
                        int rc = add_meta(s, name, data, (size_t)size, err);
                        if (rc < 0)
                                return rc;
                        continue;
                }
                if (delta_get(s, name))
                        continue;
                struct layer_limits lim = {
                    .opt = s->opt, .entries_left = &s->entries_left, .stored_size = size};
                struct layer_delta *d = bh_xcalloc(1, sizeof *d);
                d->name = bh_xstrdup(name);
                _cleanup_free_ char *label = bh_xasprintf("%s: layer %s", s->what, name);
                int rc = layer_read_range(d, label, fd, items[i].off, size, &lim, err);
                if (rc < 0) {
                        layer_delta_free(d);
                        return rc;
                }
                if ((rc = add_delta(s, name, label, d, err)) < 0)
                        return rc;
        }
        return 0;
}

static int assemble(struct bh_image *img, struct archive_state *s, const char *what,
                    const char *pick, struct bh_error *err)
{
        const struct meta_file *mf = meta_get(s, "manifest.json");
        const struct meta_file *ix = meta_get(s, "index.json");
        if (mf)
                return assemble_docker(img, s, mf, pick, err);
        if (ix)
                return assemble_oci(img, s, ix, pick, err);
        return bh_error_set(err, EBADMSG,
                            "%s: neither manifest.json (docker-archive) nor index.json (OCI) in "
                            "the archive",
                            what);
}

int image_open_archive_fd(struct bh_image *img, int fd, const char *what, const char *pick,
                          const struct bh_image_options *opt, struct bh_error *err)
{
        struct archive_state s = {.what = what, .opt = opt, .entries_left = opt->max_entries};
        int rc;
        /* a plain tar file on disk: read only headers and what is needed */
        struct stat st;
        struct tar_item *items = NULL;
        size_t nitems = 0;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
            tar_index(fd, (uint64_t)st.st_size, &items, &nitems) == 0) {
                rc = read_indexed(&s, fd, items, nitems, err);
                items_free(items, nitems);
                if (rc == 0)
                        rc = assemble(img, &s, what, pick, err);
                state_free(&s);
                return rc;
        }
        struct archive *a = archive_read_new();
        archive_read_support_filter_all(a);
        archive_read_support_format_tar(a);
        archive_read_support_format_gnutar(a);
        if (archive_read_open_fd(a, fd, 1 << 20) != ARCHIVE_OK)
                rc = bh_error_set(err, EBADMSG, "%s: not an image archive: %s", what,
                                  archive_error_string(a));
        else
                rc = read_outer(&s, a, err);
        archive_read_free(a);
        if (rc == 0)
                rc = assemble(img, &s, what, pick, err);
        state_free(&s);
        return rc;
}
