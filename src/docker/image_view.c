/* The final filesystem view of an image: a tree of paths with their metadata,
 * built by placing layers in order and applying their whiteouts. Contents are
 * kept only for wanted paths; every kept version is remembered with its layer. */
#include "docker/image_internal.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

struct view_node {
        char *path; /* full path, "" for the root */
        struct view_node *parent, *child, *next, *prev;
        struct view_node *hnext; /* index chain */
        enum bh_file_type type;
        uint32_t mode, uid, gid;
        uint64_t size;
        char *link;
        const char *data; /* points into a kept version */
        size_t data_len;
        unsigned layer;
};

struct view_index {
        struct view_node **buckets;
        size_t nbuckets, count;
};

struct kept_version {
        char *path;
        unsigned layer;
        char *data; /* NULL: deleted */
        size_t len;
};

static uint64_t hash_path(const char *s)
{
        uint64_t h = 1469598103934665603ull; /* FNV-1a */
        for (; *s; s++)
                h = (h ^ (unsigned char)*s) * 1099511628211ull;
        return h;
}

static void index_grow(struct view_index *ix)
{
        size_t nb = ix->nbuckets ? ix->nbuckets * 2 : 1024;
        struct view_node **b = bh_xcalloc(nb, sizeof *b);
        for (size_t i = 0; i < ix->nbuckets; i++) {
                struct view_node *n = ix->buckets[i], *next;
                for (; n; n = next) {
                        next = n->hnext;
                        size_t k = hash_path(n->path) & (nb - 1);
                        n->hnext = b[k];
                        b[k] = n;
                }
        }
        free(ix->buckets);
        ix->buckets = b;
        ix->nbuckets = nb;
}

static struct view_node *index_get(const struct view_index *ix, const char *path)
{
        if (!ix->nbuckets)
                return NULL;
        for (struct view_node *n = ix->buckets[hash_path(path) & (ix->nbuckets - 1)]; n;
             n = n->hnext)
                if (strcmp(n->path, path) == 0)
                        return n;
        return NULL;
}

static void index_put(struct view_index *ix, struct view_node *n)
{
        if (ix->count + 1 > ix->nbuckets / 2 * 1)
                index_grow(ix);
        size_t k = hash_path(n->path) & (ix->nbuckets - 1);
        n->hnext = ix->buckets[k];
        ix->buckets[k] = n;
        ix->count++;
}

static void index_del(struct view_index *ix, struct view_node *n)
{
        struct view_node **pp = &ix->buckets[hash_path(n->path) & (ix->nbuckets - 1)];
        for (; *pp; pp = &(*pp)->hnext)
                if (*pp == n) {
                        *pp = n->hnext;
                        ix->count--;
                        return;
                }
}

static void node_unlink(struct view_node *n)
{
        if (n->prev)
                n->prev->next = n->next;
        else if (n->parent)
                n->parent->child = n->next;
        if (n->next)
                n->next->prev = n->prev;
        n->prev = n->next = NULL;
}

/* Frees a subtree (iteratively: depth is bounded only by the input). */
static void node_free_tree(struct view_index *ix, struct view_node *n)
{
        node_unlink(n);
        n->parent = NULL;
        struct view_node *cur = n;
        while (cur) {
                if (cur->child) {
                        cur = cur->child;
                        continue;
                }
                struct view_node *up = cur->parent, *next = cur->next;
                if (ix && cur->path)
                        index_del(ix, cur);
                if (up && up->child == cur)
                        up->child = next;
                if (next)
                        next->prev = NULL;
                free(cur->path);
                free(cur->link);
                free(cur);
                cur = next ? next : up;
        }
}

static struct view_node *node_new(struct bh_image *img, struct view_node *parent, const char *path)
{
        struct view_node *n = bh_xcalloc(1, sizeof *n);
        n->path = bh_xstrdup(path);
        n->type = BH_FILE_DIR;
        n->mode = 0755;
        n->parent = parent;
        if (parent) {
                n->next = parent->child;
                if (parent->child)
                        parent->child->prev = n;
                parent->child = n;
        }
        index_put(img->index, n);
        return n;
}

struct bh_image *image_new(const char *name)
{
        struct bh_image *img = bh_xcalloc(1, sizeof *img);
        img->name = name ? bh_xstrdup(name) : NULL;
        img->index = bh_xcalloc(1, sizeof *img->index);
        img->root = node_new(img, NULL, "");
        return img;
}

void bh_image_free(struct bh_image *img)
{
        if (!img)
                return;
        struct bh_error ignored;
        bh_image_verify(img, &ignored); /* joins digests still running */
        if (img->root)
                node_free_tree(NULL, img->root);
        free(img->index->buckets);
        free(img->index);
        for (size_t i = 0; i < img->nversions; i++) {
                free(img->versions[i].path);
                free(img->versions[i].data);
        }
        free(img->versions);
        for (size_t i = 0; i < img->nlayers; i++) {
                free(img->layers[i].diff_id);
                free(img->layers[i].digest);
                free(img->layers[i].created_by);
        }
        free(img->layers);
        json_decref(img->config);
        bh_strv_free(img->repo_tags);
        free(img->id);
        free(img->name);
        free(img);
}

char *bh_image_clean_path(const char *raw)
{
        size_t n = strlen(raw);
        char *out = bh_xmalloc(n + 1);
        size_t o = 0;
        const char *p = raw;
        while (*p) {
                while (*p == '/')
                        p++;
                const char *s = p;
                while (*p && *p != '/')
                        p++;
                size_t len = (size_t)(p - s);
                if (len == 0 || (len == 1 && s[0] == '.'))
                        continue;
                if (len == 2 && s[0] == '.' && s[1] == '.') {
                        if (o == 0) {
                                free(out);
                                return NULL;
                        }
                        while (o > 0 && out[o - 1] != '/')
                                o--;
                        if (o > 0)
                                o--;
                        continue;
                }
                if (o > 0)
                        out[o++] = '/';
                memcpy(out + o, s, len);
                o += len;
        }
        out[o] = '\0';
        if (o == 0) {
                free(out);
                return NULL;
        }
        return out;
}

/* Walks a path through the view as if the image were "/", following
 * symlinks in every component but (unless follow_last) the last. Returns the
 * node or NULL; *loop is set when more than 40 links were followed. */
static struct view_node *resolve(const struct bh_image *img, const char *path, bool follow_last,
                                 bool *loop)
{
        char *work = bh_xstrdup(path);
        int links = 0;
        struct view_node *cur = img->root;
        char *p = work;
        for (;;) {
                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                char *s = p;
                while (*p && *p != '/')
                        p++;
                bool last = true;
                for (char *q = p; *q; q++)
                        if (*q != '/') {
                                last = false;
                                break;
                        }
                size_t len = (size_t)(p - s);
                if (len == 1 && s[0] == '.')
                        continue;
                if (len == 2 && s[0] == '.' && s[1] == '.') {
                        if (cur->parent)
                                cur = cur->parent;
                        continue;
                }
                char *name =
                    bh_xasprintf("%s%s%.*s", cur->path, cur->path[0] ? "/" : "", (int)len, s);
                struct view_node *n = index_get(img->index, name);
                free(name);
                if (!n) {
                        free(work);
                        return NULL;
                }
                if (n->type == BH_FILE_SYMLINK && n->link && (!last || follow_last)) {
                        if (++links > 40) {
                                if (loop)
                                        *loop = true;
                                free(work);
                                return NULL;
                        }
                        /* Splice the target in front of what is left of the path. */
                        char *rest = bh_xasprintf("%s/%s", n->link, p);
                        free(work);
                        work = rest;
                        p = work;
                        if (*p == '/')
                                cur = img->root;
                        continue;
                }
                if (!last && n->type != BH_FILE_DIR) {
                        free(work);
                        return NULL;
                }
                cur = n;
        }
        free(work);
        return cur;
}

/* The parent directory where `path` goes, made as needed, following links. */
static struct view_node *parent_for(struct bh_image *img, const char *path, unsigned layer)
{
        const char *slash = strrchr(path, '/');
        if (!slash)
                return img->root;
        char *dir = bh_xstrndup(path, (size_t)(slash - path));
        struct view_node *cur = img->root;
        char *p = dir;
        while (*p) {
                char *s = p;
                while (*p && *p != '/')
                        p++;
                char save = *p;
                *p = '\0';
                char *name = bh_xasprintf("%s%s%s", cur->path, cur->path[0] ? "/" : "", s);
                *p = save;
                if (save)
                        p++;
                struct view_node *n = index_get(img->index, name);
                if (n && n->type == BH_FILE_SYMLINK) {
                        bool loop = false;
                        struct view_node *t = resolve(img, name, true, &loop);
                        if (t && t->type == BH_FILE_DIR) {
                                free(name);
                                cur = t;
                                continue;
                        }
                        /* dangling or looping: the layer's directory replaces the link */
                        node_free_tree(img->index, n);
                        n = NULL;
                }
                if (!n) {
                        n = node_new(img, cur, name);
                        n->layer = layer;
                } else if (n->type != BH_FILE_DIR) {
                        struct view_node *par = n->parent;
                        node_free_tree(img->index, n);
                        n = node_new(img, par, name);
                        n->layer = layer;
                }
                free(name);
                cur = n;
        }
        free(dir);
        return cur;
}

static void keep_version(struct bh_image *img, const char *path, unsigned layer, char *data,
                         size_t len)
{
        if (img->nversions == img->versions_cap) {
                img->versions_cap = img->versions_cap ? img->versions_cap * 2 : 16;
                img->versions =
                    bh_xreallocarray(img->versions, img->versions_cap, sizeof *img->versions);
        }
        img->versions[img->nversions++] = (struct kept_version){
            .path = bh_xstrdup(path), .layer = layer, .data = data, .len = len};
}

/* Notes deletions of kept files in a subtree about to go. */
static void note_deleted(struct bh_image *img, struct view_node *n, unsigned layer)
{
        if (n->data)
                keep_version(img, n->path, layer, NULL, 0);
        for (struct view_node *c = n->child; c; c = c->next)
                note_deleted(img, c, layer);
}

/* Removes what lower layers put under n; returns true when n itself went. */
static bool drop_lower(struct bh_image *img, struct view_node *n, unsigned layer)
{
        struct view_node *c = n->child, *next;
        for (; c; c = next) {
                next = c->next;
                drop_lower(img, c, layer);
        }
        if (n->layer < layer && !n->child && n->parent) {
                note_deleted(img, n, layer);
                node_free_tree(img->index, n);
                return true;
        }
        return false;
}

static const char *base_of(const char *path)
{
        const char *s = strrchr(path, '/');
        return s ? s + 1 : path;
}

static void place(struct bh_image *img, struct layer_entry *e, unsigned layer)
{
        if (e->whiteout || e->opaque) {
                struct view_node *n = index_get(img->index, e->path);
                if (!n)
                        return;
                if (e->opaque) {
                        struct view_node *c = n->child, *next;
                        for (; c; c = next) {
                                next = c->next;
                                drop_lower(img, c, layer);
                        }
                } else {
                        drop_lower(img, n, layer);
                }
                return;
        }
        struct view_node *parent = parent_for(img, e->path, layer);
        char *full =
            bh_xasprintf("%s%s%s", parent->path, parent->path[0] ? "/" : "", base_of(e->path));
        struct view_node *n = index_get(img->index, full);
        if (n && !(n->type == BH_FILE_DIR && e->type == BH_FILE_DIR)) {
                /* a file written again is a new version, not a deletion */
                if (e->data)
                        for (struct view_node *c = n->child; c; c = c->next)
                                note_deleted(img, c, layer);
                else
                        note_deleted(img, n, layer);
                node_free_tree(img->index, n);
                n = NULL;
        }
        if (!n)
                n = node_new(img, parent, full);
        free(full);
        n->type = e->type;
        n->mode = e->mode;
        n->uid = e->uid;
        n->gid = e->gid;
        n->size = e->size;
        n->layer = layer;
        free(n->link);
        n->link = e->link ? bh_xstrdup(e->link) : NULL;
        n->data = NULL;
        n->data_len = 0;
        if (e->type == BH_FILE_HARDLINK && e->link) {
                /* a hard link shares the content (and metadata) of its target */
                struct view_node *t = index_get(img->index, e->link);
                if (t && t != n) {
                        n->mode = t->mode;
                        n->uid = t->uid;
                        n->gid = t->gid;
                        n->size = t->size;
                        if (t->data) {
                                char *copy = bh_xmalloc(t->data_len + 1);
                                memcpy(copy, t->data, t->data_len);
                                copy[t->data_len] = '\0';
                                keep_version(img, n->path, layer, copy, t->data_len);
                                n->data = copy;
                                n->data_len = t->data_len;
                        }
                }
        }
        if (e->data) {
                /* copied: the same layer may appear twice in one image */
                char *copy = bh_xmalloc(e->data_len + 1);
                memcpy(copy, e->data, e->data_len);
                copy[e->data_len] = '\0';
                keep_version(img, n->path, layer, copy, e->data_len);
                n->data = copy;
                n->data_len = e->data_len;
        }
}

int image_assemble(struct bh_image *img, struct layer_delta **deltas, size_t n, bool verify,
                   struct bh_error *err)
{
        const json_t *diff_ids = bh_json_get(img->config, "rootfs.diff_ids");
        if (img->config && verify) {
                if (!json_is_array(diff_ids) || json_array_size(diff_ids) != n)
                        return bh_error_set(err, EINVAL,
                                            "image config lists %zu layers (rootfs.diff_ids), the "
                                            "manifest %zu",
                                            json_is_array(diff_ids) ? json_array_size(diff_ids) : 0,
                                            n);
                for (size_t i = 0; i < n; i++) {
                        const char *want = json_string_value(json_array_get(diff_ids, i));
                        if (deltas[i]->pending && want)
                                continue; /* compared when its digest is done */
                        if (!want || !deltas[i]->diff_id || strcmp(want, deltas[i]->diff_id) != 0)
                                return bh_error_set(
                                    err, EBADMSG,
                                    "layer %zu (%s): content digest %s does not match the "
                                    "config's diff_id %s",
                                    i + 1, deltas[i]->name,
                                    deltas[i]->diff_id ? deltas[i]->diff_id : "?",
                                    want ? want : "(missing)");
                }
        }
        img->layers = bh_xcalloc(n ? n : 1, sizeof *img->layers);
        img->nlayers = n;
        for (size_t i = 0; i < n; i++) {
                struct layer_delta *d = deltas[i];
                if (!d->pending)
                        continue;
                /* still hashing: the config says what it must come to */
                const char *want = json_string_value(json_array_get(diff_ids, i));
                img->pending =
                    bh_xreallocarray(img->pending, img->npending + 1, sizeof *img->pending);
                img->pending[img->npending++] = (struct pending_check){
                    .rh = d->pending,
                    .label = bh_xasprintf("layer %zu (%s)", i + 1, d->name),
                    .expect_diff_id = verify && want ? bh_xstrdup(want) : NULL,
                    .expect_blob = d->expect_blob ? bh_xstrdup(d->expect_blob) : NULL,
                };
                d->pending = NULL;
                /* an uncompressed layer: stored digest and diff_id are the same */
                if (want) {
                        free(d->diff_id);
                        free(d->digest);
                        d->diff_id = bh_xstrdup(want);
                        d->digest = bh_xstrdup(want);
                }
        }
        /* history entries with empty_layer do not have a layer of their own */
        const json_t *hist = bh_json_get(img->config, "history");
        size_t h = 0;
        for (size_t i = 0; i < n; i++) {
                struct bh_image_layer *L = &img->layers[i];
                struct layer_delta *d = deltas[i];
                L->diff_id = d->diff_id ? bh_xstrdup(d->diff_id) : NULL;
                L->digest = d->digest ? bh_xstrdup(d->digest) : NULL;
                L->size = d->size;
                L->entries = d->n;
                while (json_is_array(hist) && h < json_array_size(hist) &&
                       bh_json_bool(json_array_get(hist, h), "empty_layer", false))
                        h++;
                if (json_is_array(hist) && h < json_array_size(hist)) {
                        const char *cb = bh_json_str(json_array_get(hist, h), "created_by");
                        if (cb)
                                L->created_by = bh_xstrdup(cb);
                        h++;
                }
                for (size_t k = 0; k < d->n; k++)
                        place(img, &d->entries[k], (unsigned)i);
        }
        return 0;
}

int bh_image_verify(struct bh_image *img, struct bh_error *err)
{
        int rc = 0;
        for (size_t i = 0; i < img->npending; i++) {
                struct pending_check *p = &img->pending[i];
                struct bh_error e = {0};
                char *got = range_hash_wait(p->rh, &e);
                if (rc == 0 && !got)
                        rc = bh_error_set(err, e.code, "%s: %s", p->label, e.msg);
                else if (rc == 0 && p->expect_blob && strcmp(got, p->expect_blob) != 0)
                        rc = bh_error_set(err, EBADMSG, "%s: the blob's digest is %s", p->label,
                                          got);
                else if (rc == 0 && p->expect_diff_id && strcmp(got, p->expect_diff_id) != 0)
                        rc = bh_error_set(err, EBADMSG,
                                          "%s: content digest %s does not match the config's "
                                          "diff_id %s",
                                          p->label, got, p->expect_diff_id);
                free(got);
                free(p->label);
                free(p->expect_diff_id);
                free(p->expect_blob);
        }
        free(img->pending);
        img->pending = NULL;
        img->npending = 0;
        return rc;
}

static struct bh_image_file file_of(const struct view_node *n)
{
        return (struct bh_image_file){
            .path = n->path,
            .type = n->type,
            .mode = n->mode,
            .uid = n->uid,
            .gid = n->gid,
            .size = n->size,
            .link = n->link,
            .layer = n->layer,
        };
}

static int cmp_node(const void *a, const void *b)
{
        return strcmp((*(struct view_node *const *)a)->path, (*(struct view_node *const *)b)->path);
}

static struct view_node **sorted_nodes(const struct bh_image *img, size_t *count)
{
        struct view_node **v = bh_xcalloc(img->index->count + 1, sizeof *v);
        size_t k = 0;
        for (size_t i = 0; i < img->index->nbuckets; i++)
                for (struct view_node *n = img->index->buckets[i]; n; n = n->hnext)
                        if (n != img->root)
                                v[k++] = n;
        qsort(v, k, sizeof *v, cmp_node);
        *count = k;
        return v;
}

int bh_image_foreach_file(const struct bh_image *img, bh_image_file_fn fn, void *user)
{
        size_t k;
        struct view_node **v = sorted_nodes(img, &k);
        int rc = 0;
        for (size_t i = 0; i < k && rc == 0; i++) {
                struct bh_image_file f = file_of(v[i]);
                rc = fn(&f, user);
        }
        free(v);
        return rc;
}

bool bh_image_stat(const struct bh_image *img, const char *path, struct bh_image_file *out)
{
        /* links in the leading components are followed (bin -> usr/bin), not the last */
        bool loop = false;
        const struct view_node *n = resolve(img, path, false, &loop);
        if (!n || n == img->root)
                return false;
        if (out)
                *out = file_of(n);
        return true;
}

int bh_image_read(const struct bh_image *img, const char *path, const char **data, size_t *len,
                  struct bh_error *err)
{
        bool loop = false;
        struct view_node *n = resolve(img, path, true, &loop);
        if (loop)
                return bh_error_set(err, ELOOP,
                                    "%s: too many levels of symbolic links in the image", path);
        if (!n || n->type == BH_FILE_DIR)
                return bh_error_set(err, ENOENT, "%s: not in the image", path);
        if (!n->data)
                return bh_error_set(err, ENOENT, "%s: content not kept", path);
        *data = n->data;
        if (len)
                *len = n->data_len;
        return 0;
}

void bh_image_history(const struct bh_image *img, const char *path, bh_image_version_fn fn,
                      void *user)
{
        for (size_t i = 0; i < img->nversions; i++)
                if (strcmp(img->versions[i].path, path) == 0)
                        fn(img->versions[i].layer, img->versions[i].data, img->versions[i].len,
                           user);
}

void bh_image_list_kept(const struct bh_image *img, const char *prefix, char ***paths)
{
        size_t k;
        struct view_node **v = sorted_nodes(img, &k);
        for (size_t i = 0; i < k; i++)
                if (v[i]->data && bh_startswith(v[i]->path, prefix))
                        bh_strv_push(paths, v[i]->path);
        free(v);
}

size_t bh_image_special_files(const struct bh_image *img, struct bh_image_file **out)
{
        size_t k, m = 0;
        struct view_node **v = sorted_nodes(img, &k);
        struct bh_image_file *res = bh_xcalloc(k + 1, sizeof *res);
        for (size_t i = 0; i < k; i++) {
                const struct view_node *n = v[i];
                bool setid = n->type == BH_FILE_REG && (n->mode & (S_ISUID | S_ISGID));
                /* links carry no permissions; device nodes are replaced by the
                 * runtime's /dev; sticky directories are the /tmp pattern */
                bool ww = (n->mode & S_IWOTH) && n->type != BH_FILE_SYMLINK &&
                          n->type != BH_FILE_CHAR && n->type != BH_FILE_BLOCK &&
                          !(n->type == BH_FILE_DIR && (n->mode & S_ISVTX));
                if (setid || ww)
                        res[m++] = file_of(n);
        }
        free(v);
        *out = res;
        return m;
}

const json_t *bh_image_config(const struct bh_image *img)
{
        return img->config;
}

const char *bh_image_id(const struct bh_image *img)
{
        return img->id;
}

const char *bh_image_name(const struct bh_image *img)
{
        return img->name;
}

char *const *bh_image_repo_tags(const struct bh_image *img)
{
        return img->repo_tags;
}

const struct bh_image_layer *bh_image_layers(const struct bh_image *img, size_t *n)
{
        *n = img->nlayers;
        return img->layers;
}
