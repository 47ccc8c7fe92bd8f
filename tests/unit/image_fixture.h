/* Test helper: builds layer tars and docker-archive / OCI images in memory or
 * on disk with libarchive, so tests can describe images entry by entry. */
#pragma once

#include "base/util.h"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

/* One entry: type 'f' file, 'd' dir, 'l' symlink, 'h' hard link. */
struct fx_entry {
        const char *path;
        char type;
        unsigned mode;
        const char *content; /* file content, or link target */
};

struct fx_blob {
        char *data;
        size_t len;
        char *diff_id; /* layers: sha256 of the uncompressed tar */
};

static inline void fx_blob_free(struct fx_blob *b)
{
        free(b->data);
        free(b->diff_id);
        b->diff_id = NULL;
        b->data = NULL;
        b->len = 0;
}

static inline la_ssize_t fx_write_cb(struct archive *a, void *user, const void *buf, size_t n)
{
        struct fx_blob *b = user;
        b->data = bh_xrealloc(b->data, b->len + n + 1);
        memcpy(b->data + b->len, buf, n);
        b->len += n;
        return (la_ssize_t)n;
}

static inline int fx_noop_cb(struct archive *a, void *user)
{
        return ARCHIVE_OK;
}

static inline struct archive *fx_writer(struct fx_blob *out, bool gzip)
{
        struct archive *a = archive_write_new();
        archive_write_set_format_pax_restricted(a);
        if (gzip)
                archive_write_add_filter_gzip(a);
        archive_write_set_bytes_in_last_block(a, 1);
        archive_write_open(a, out, fx_noop_cb, fx_write_cb, fx_noop_cb);
        return a;
}

static inline void fx_add(struct archive *a, const char *path, char type, unsigned mode,
                          const char *data, size_t len)
{
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, path);
        archive_entry_set_uid(e, 0);
        archive_entry_set_gid(e, 0);
        switch (type) {
        case 'd':
                archive_entry_set_filetype(e, AE_IFDIR);
                break;
        case 'l':
                archive_entry_set_filetype(e, AE_IFLNK);
                archive_entry_set_symlink(e, data);
                break;
        case 'h':
                archive_entry_set_filetype(e, AE_IFREG);
                archive_entry_set_hardlink(e, data);
                break;
        default:
                archive_entry_set_filetype(e, AE_IFREG);
                archive_entry_set_size(e, (la_int64_t)len);
        }
        archive_entry_set_perm(e, mode ? mode : (type == 'd' ? 0755 : 0644));
        archive_write_header(a, e);
        if (type == 'f' && len)
                archive_write_data(a, data, len);
        archive_entry_free(e);
}

static inline char *fx_sha256(const void *p, size_t n)
{
        unsigned char md[32];
        unsigned int len = 0;
        EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
        char *s = bh_xmalloc(7 + 65);
        strcpy(s, "sha256:");
        for (int i = 0; i < 32; i++)
                snprintf(s + 7 + 2 * i, 3, "%02x", md[i]);
        return s;
}

static inline struct fx_blob fx_layer1(const struct fx_entry *entries, size_t n, bool gzip)
{
        struct fx_blob b = {0};
        struct archive *a = fx_writer(&b, gzip);
        for (size_t i = 0; i < n; i++) {
                const char *c = entries[i].content ? entries[i].content : "";
                fx_add(a, entries[i].path, entries[i].type, entries[i].mode, c, strlen(c));
        }
        archive_write_close(a);
        archive_write_free(a);
        return b;
}

static inline struct fx_blob fx_layer(const struct fx_entry *entries, size_t n, bool gzip)
{
        struct fx_blob plain = fx_layer1(entries, n, false);
        char *diff_id = fx_sha256(plain.data, plain.len);
        if (!gzip) {
                plain.diff_id = diff_id;
                return plain;
        }
        fx_blob_free(&plain);
        struct fx_blob b = fx_layer1(entries, n, true);
        b.diff_id = diff_id;
        return b;
}

/* A docker-archive at path with the given (uncompressed) layers; config_extra
 * is JSON members added to the config object ("\"config\":{...}"), may be "". */
static inline void fx_docker_archive(const char *path, struct fx_blob *layers, size_t n,
                                     const char *config_extra, bool corrupt_diff_id)
{
        char *diff = bh_xstrdup("");
        char *lay = bh_xstrdup("");
        for (size_t i = 0; i < n; i++) {
                char *d = bh_xstrdup(layers[i].diff_id);
                if (corrupt_diff_id && i == 0)
                        d[10] = d[10] == '0' ? '1' : '0';
                char *nd = bh_xasprintf("%s%s\"%s\"", diff, i ? "," : "", d);
                char *nl = bh_xasprintf("%s%s\"l%zu/layer.tar\"", lay, i ? "," : "", i);
                free(diff);
                free(lay);
                free(d);
                diff = nd;
                lay = nl;
        }
        char *config = bh_xasprintf("{%s%s\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[%s]}}",
                                    config_extra, *config_extra ? "," : "", diff);
        char *manifest = bh_xasprintf(
            "[{\"Config\":\"cfg.json\",\"RepoTags\":[\"fx:latest\"],\"Layers\":[%s]}]", lay);
        struct fx_blob out = {0};
        struct archive *a = fx_writer(&out, false);
        for (size_t i = 0; i < n; i++) {
                char *name = bh_xasprintf("l%zu/layer.tar", i);
                fx_add(a, name, 'f', 0644, layers[i].data, layers[i].len);
                free(name);
        }
        fx_add(a, "cfg.json", 'f', 0644, config, strlen(config));
        fx_add(a, "manifest.json", 'f', 0644, manifest, strlen(manifest));
        archive_write_close(a);
        archive_write_free(a);
        FILE *f = fopen(path, "w");
        fwrite(out.data, 1, out.len, f);
        fclose(f);
        fx_blob_free(&out);
        free(config);
        free(manifest);
        free(diff);
        free(lay);
}
