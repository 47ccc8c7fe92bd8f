/* Reading one layer: the stored bytes (tar, gzip or zstd) are hashed, then
 * decompressed by a raw libarchive reader, hashed again (the diff_id) and
 * parsed by a tar reader that keeps headers and only the wanted contents.
 * Nothing is extracted. */
#include "docker/image_internal.h"
#include "docker/digest_cache.h"
#include "base/log.h"
#include "base/util.h"

#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

void sha256_init(struct sha256 *h)
{
        h->ctx = EVP_MD_CTX_new();
        if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
                abort();
}

void sha256_update(struct sha256 *h, const void *p, size_t n)
{
        if (n)
                EVP_DigestUpdate(h->ctx, p, n);
}

char *sha256_final(struct sha256 *h)
{
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        EVP_DigestFinal_ex(h->ctx, md, &len);
        EVP_MD_CTX_free(h->ctx);
        h->ctx = NULL;
        char *s = bh_xmalloc(7 + 2 * len + 1);
        memcpy(s, "sha256:", 7);
        for (unsigned i = 0; i < len; i++)
                snprintf(s + 7 + 2 * i, 3, "%02x", md[i]);
        return s;
}

void sha256_abort(struct sha256 *h)
{
        EVP_MD_CTX_free(h->ctx);
        h->ctx = NULL;
}

/* SHA-256 on a second core: hashing every layer byte is most of a scan's
 * work, so the bytes are copied into a ring that another thread hashes while
 * this one parses. */
struct bg_hash {
        pthread_t th;
        pthread_mutex_t mu;
        pthread_cond_t more, room;
        char *ring;
        size_t cap;
        uint64_t written, hashed;
        bool closed, started, used;
        struct sha256 h;
};

#define BG_HASH_RING (4u << 20)

static void *bg_hash_run(void *user)
{
        struct bg_hash *b = user;
        pthread_mutex_lock(&b->mu);
        for (;;) {
                while (b->hashed == b->written && !b->closed)
                        pthread_cond_wait(&b->more, &b->mu);
                if (b->hashed == b->written && b->closed)
                        break;
                size_t off = (size_t)(b->hashed % b->cap);
                size_t n = (size_t)(b->written - b->hashed);
                if (n > b->cap - off)
                        n = b->cap - off;
                pthread_mutex_unlock(&b->mu);
                sha256_update(&b->h, b->ring + off, n);
                pthread_mutex_lock(&b->mu);
                b->hashed += n;
                pthread_cond_signal(&b->room);
        }
        pthread_mutex_unlock(&b->mu);
        return NULL;
}

static void bg_hash_start(struct bg_hash *b)
{
        memset(b, 0, sizeof *b);
        b->used = true;
        sha256_init(&b->h);
        pthread_mutex_init(&b->mu, NULL);
        pthread_cond_init(&b->more, NULL);
        pthread_cond_init(&b->room, NULL);
        b->cap = BG_HASH_RING;
        b->ring = bh_xmalloc(b->cap);
        b->started = pthread_create(&b->th, NULL, bg_hash_run, b) == 0;
}

static void bg_hash_feed(struct bg_hash *b, const void *data, size_t n)
{
        if (!b->used)
                return;
        if (!b->started) { /* no thread: hash here */
                sha256_update(&b->h, data, n);
                return;
        }
        const char *p = data;
        pthread_mutex_lock(&b->mu);
        while (n > 0) {
                while (b->written - b->hashed == b->cap)
                        pthread_cond_wait(&b->room, &b->mu);
                size_t off = (size_t)(b->written % b->cap);
                size_t space = b->cap - (size_t)(b->written - b->hashed);
                size_t k = n < space ? n : space;
                if (k > b->cap - off)
                        k = b->cap - off;
                pthread_mutex_unlock(&b->mu);
                memcpy(b->ring + off, p, k);
                pthread_mutex_lock(&b->mu);
                b->written += k;
                p += k;
                n -= k;
                pthread_cond_signal(&b->more);
        }
        pthread_mutex_unlock(&b->mu);
}

/* Waits for the thread; returns the digest (or NULL when abort). */
static char *bg_hash_end(struct bg_hash *b, bool abort_it)
{
        if (!b->used)
                return NULL;
        if (b->started) {
                pthread_mutex_lock(&b->mu);
                b->closed = true;
                pthread_cond_signal(&b->more);
                pthread_mutex_unlock(&b->mu);
                pthread_join(b->th, NULL);
        }
        pthread_mutex_destroy(&b->mu);
        pthread_cond_destroy(&b->more);
        pthread_cond_destroy(&b->room);
        free(b->ring);
        if (abort_it) {
                sha256_abort(&b->h);
                return NULL;
        }
        return sha256_final(&b->h);
}

ssize_t fd_source_read(void *user, const void **buf, struct bh_error *err)
{
        struct fd_source *s = user;
        for (;;) {
                ssize_t r = read(s->fd, s->buf, sizeof s->buf);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return bh_error_errno(err, errno, "read");
                *buf = s->buf;
                return r;
        }
}

void layer_delta_free(struct layer_delta *d)
{
        if (!d)
                return;
        if (d->pending) {
                struct bh_error ignored;
                free(range_hash_wait(d->pending, &ignored));
        }
        free(d->expect_blob);
        for (size_t i = 0; i < d->n; i++) {
                free(d->entries[i].path);
                free(d->entries[i].link);
                free(d->entries[i].data);
        }
        free(d->entries);
        free(d->name);
        free(d->digest);
        free(d->diff_id);
        free(d);
}

struct layer_ctx {
        const char *name;
        layer_read_fn rd;
        void *rd_user;
        const struct layer_limits *lim;
        struct bg_hash stored_hash, tar_hash;
        uint64_t stored, usize;
        struct archive *raw; /* decompressing reader */
        bool plain;          /* stored uncompressed: the diff_id is the stored digest */
        bool failed;         /* err holds the reason */
        struct bh_error err;
};

static la_ssize_t stored_cb(struct archive *a, void *user, const void **buf)
{
        struct layer_ctx *c = user;
        ssize_t n = c->rd(c->rd_user, buf, &c->err);
        if (n < 0) {
                c->failed = true;
                archive_set_error(a, EIO, "%s", c->err.msg);
                return -1;
        }
        bg_hash_feed(&c->stored_hash, *buf, (size_t)n);
        c->stored += (uint64_t)n;
        return n;
}

static la_ssize_t tar_cb(struct archive *a, void *user, const void **buf)
{
        struct layer_ctx *c = user;
        size_t size = 0;
        la_int64_t off;
        int r = archive_read_data_block(c->raw, buf, &size, &off);
        if (r == ARCHIVE_EOF)
                return 0;
        if (r < ARCHIVE_WARN) {
                if (!c->failed) {
                        c->failed = true;
                        bh_error_set(&c->err, EIO, "%s", archive_error_string(c->raw));
                }
                archive_set_error(a, EIO, "%s", c->err.msg);
                return -1;
        }
        if (!c->plain)
                bg_hash_feed(&c->tar_hash, *buf, size);
        c->usize += size;
        const struct bh_image_options *o = c->lim->opt;
        if (c->usize > o->max_layer_size) {
                c->failed = true;
                bh_error_set(&c->err, EFBIG, "expands to more than %llu bytes",
                             (unsigned long long)o->max_layer_size);
                archive_set_error(a, EFBIG, "%s", c->err.msg);
                return -1;
        }
        if (c->usize > (1ull << 30) && c->stored > 0 && c->usize / c->stored > o->max_ratio) {
                c->failed = true;
                bh_error_set(&c->err, EFBIG,
                             "expands more than %llu times (%llu bytes from %llu): a "
                             "decompression bomb?",
                             (unsigned long long)o->max_ratio, (unsigned long long)c->usize,
                             (unsigned long long)c->stored);
                archive_set_error(a, EFBIG, "%s", c->err.msg);
                return -1;
        }
        return (la_ssize_t)size;
}

static struct layer_entry *delta_push(struct layer_delta *d)
{
        if (d->n == d->cap) {
                d->cap = d->cap ? d->cap * 2 : 256;
                d->entries = bh_xreallocarray(d->entries, d->cap, sizeof *d->entries);
        }
        struct layer_entry *e = &d->entries[d->n++];
        memset(e, 0, sizeof *e);
        return e;
}

static enum bh_file_type type_of(struct archive_entry *ae)
{
        if (archive_entry_hardlink(ae))
                return BH_FILE_HARDLINK;
        switch (archive_entry_filetype(ae)) {
        case AE_IFDIR:
                return BH_FILE_DIR;
        case AE_IFLNK:
                return BH_FILE_SYMLINK;
        case AE_IFCHR:
                return BH_FILE_CHAR;
        case AE_IFBLK:
                return BH_FILE_BLOCK;
        case AE_IFIFO:
                return BH_FILE_FIFO;
        case AE_IFSOCK:
                return BH_FILE_SOCKET;
        default:
                return BH_FILE_REG;
        }
}

/* Reads the content of the current entry, at most max bytes. */
static int read_content(struct archive *a, struct layer_entry *e, size_t max, const char *name,
                        struct bh_error *err)
{
        if (e->size > max)
                return 0; /* too large to keep: metadata only */
        size_t cap = (size_t)e->size, len = 0;
        char *p = bh_xmalloc(cap + 1);
        for (;;) {
                if (len == cap) {
                        char probe;
                        la_ssize_t r = archive_read_data(a, &probe, 1);
                        if (r == 0)
                                break;
                        free(p);
                        if (r < 0)
                                return bh_error_set(err, EIO, "%s: %s: %s", name, e->path,
                                                    archive_error_string(a));
                        return bh_error_set(err, EBADMSG, "%s: %s: more data than its header says",
                                            name, e->path);
                }
                la_ssize_t r = archive_read_data(a, p + len, cap - len);
                if (r < 0) {
                        free(p);
                        return bh_error_set(err, EIO, "%s: %s: %s", name, e->path,
                                            archive_error_string(a));
                }
                if (r == 0)
                        break;
                len += (size_t)r;
        }
        p[len] = '\0';
        e->data = p;
        e->data_len = len;
        return 0;
}

/* Turns one header into an entry (or nothing, for the root and AUFS metadata). */
static int take_entry(struct layer_delta *d, struct archive *tar, struct archive_entry *ae,
                      struct layer_ctx *c, struct bh_error *err)
{
        const char *raw = archive_entry_pathname(ae);
        if (!raw)
                return bh_error_set(err, EBADMSG, "%s: an entry without a usable name", c->name);
        if (strlen(raw) > 4096)
                return bh_error_set(err, ENAMETOOLONG, "%s: an entry name longer than 4096 bytes",
                                    c->name);
        char *path = bh_image_clean_path(raw);
        if (!path) {
                /* "." or "/" is the root itself; anything else climbed out of it */
                for (const char *p = raw; *p; p++)
                        if (*p != '.' && *p != '/')
                                return bh_error_set(
                                    err, EPERM, "%s: entry \"%s\": the path leaves the image root",
                                    c->name, raw);
                if (strstr(raw, ".."))
                        return bh_error_set(err, EPERM,
                                            "%s: entry \"%s\": the path leaves the image root",
                                            c->name, raw);
                return 0;
        }
        if (*c->lim->entries_left == 0) {
                free(path);
                return bh_error_set(err, E2BIG, "%s: more than %zu entries in the image", c->name,
                                    c->lim->opt->max_entries);
        }
        (*c->lim->entries_left)--;
        const char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        if (bh_startswith(base, ".wh.")) {
                struct layer_entry *e;
                if (strcmp(base, ".wh..wh..opq") == 0) {
                        e = delta_push(d);
                        e->opaque = true;
                        e->path =
                            slash ? bh_xstrndup(path, (size_t)(slash - path)) : bh_xstrdup("");
                } else if (bh_startswith(base, ".wh..wh.")) {
                        free(path); /* AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs) */
                        return 0;
                } else {
                        e = delta_push(d);
                        e->whiteout = true;
                        e->path = bh_xasprintf("%.*s%s%s", slash ? (int)(slash - path) : 0, path,
                                               slash ? "/" : "", base + 4);
                }
                free(path);
                return 0;
        }
        struct layer_entry *e = delta_push(d);
        e->path = path;
        e->type = type_of(ae);
        e->mode = (uint32_t)archive_entry_perm(ae) & 07777;
        e->uid = (uint32_t)archive_entry_uid(ae);
        e->gid = (uint32_t)archive_entry_gid(ae);
        e->size = archive_entry_size_is_set(ae) ? (uint64_t)archive_entry_size(ae) : 0;
        if (e->type == BH_FILE_SYMLINK && archive_entry_symlink(ae))
                e->link = bh_xstrdup(archive_entry_symlink(ae));
        else if (e->type == BH_FILE_HARDLINK) {
                e->link = bh_image_clean_path(archive_entry_hardlink(ae));
                if (!e->link)
                        return bh_error_set(err, EPERM,
                                            "%s: entry \"%s\": hard link target \"%s\" leaves the "
                                            "image root",
                                            c->name, raw, archive_entry_hardlink(ae));
        }
        const struct bh_image_options *o = c->lim->opt;
        if (e->type == BH_FILE_REG && o->want && o->want(e->path, o->want_user))
                return read_content(tar, e, o->max_file, c->name, err);
        return 0;
}

static int read_entries(struct layer_delta *d, struct archive *tar, struct layer_ctx *c,
                        struct bh_error *err)
{
        for (;;) {
                struct archive_entry *ae;
                int r = archive_read_next_header(tar, &ae);
                if (r == ARCHIVE_EOF)
                        return 0;
                if (r == ARCHIVE_RETRY)
                        continue;
                if (r < ARCHIVE_WARN) {
                        if (c->failed)
                                return bh_error_set(err, c->err.code, "%s: %s", c->name,
                                                    c->err.msg);
                        return bh_error_set(err, EBADMSG, "%s: not a valid tar layer: %s", c->name,
                                            archive_error_string(tar));
                }
                int rc = take_entry(d, tar, ae, c, err);
                if (rc < 0) {
                        if (c->failed)
                                return bh_error_set(err, c->err.code, "%s: %s", c->name,
                                                    c->err.msg);
                        return rc;
                }
        }
}

/* Reads what the tar reader left (end blocks, padding) so the hashes cover
 * every byte. */
static int drain(struct layer_ctx *c, struct bh_error *err)
{
        for (;;) {
                const void *buf;
                size_t size;
                la_int64_t off;
                int r = archive_read_data_block(c->raw, &buf, &size, &off);
                if (r == ARCHIVE_EOF)
                        break;
                if (r < ARCHIVE_WARN)
                        return bh_error_set(err, EIO, "%s: %s", c->name,
                                            c->failed ? c->err.msg : archive_error_string(c->raw));
                if (!c->plain)
                        bg_hash_feed(&c->tar_hash, buf, size);
                c->usize += size;
                if (c->usize > c->lim->opt->max_layer_size)
                        return bh_error_set(err, EFBIG, "%s: expands to more than %llu bytes",
                                            c->name,
                                            (unsigned long long)c->lim->opt->max_layer_size);
        }
        /* and the stored stream to its end, for the stored digest */
        for (;;) {
                const void *buf;
                ssize_t n = c->rd(c->rd_user, &buf, &c->err);
                if (n < 0)
                        return bh_error_set(err, c->err.code, "%s: %s", c->name, c->err.msg);
                if (n == 0)
                        return 0;
                bg_hash_feed(&c->stored_hash, buf, (size_t)n);
                c->stored += (uint64_t)n;
        }
}

int layer_read(struct layer_delta *d, const char *name, layer_read_fn rd, void *rd_user,
               const struct layer_limits *lim, struct bh_error *err)
{
        struct layer_ctx c = {.name = name, .rd = rd, .rd_user = rd_user, .lim = lim};
        bool hash = !lim->opt->no_verify; /* --no-verify: no digests at all, much faster */
        if (hash)
                bg_hash_start(&c.stored_hash);
        c.raw = archive_read_new();
        struct archive *tar = archive_read_new();
        int rc = 0;
        archive_read_support_filter_all(c.raw);
        archive_read_support_format_raw(c.raw);
        archive_read_support_format_tar(tar);
        archive_read_support_format_gnutar(tar);
        struct archive_entry *ae;
        if (archive_read_open(c.raw, &c, NULL, stored_cb, NULL) != ARCHIVE_OK ||
            archive_read_next_header(c.raw, &ae) != ARCHIVE_OK) {
                rc = bh_error_set(err, c.failed ? c.err.code : EBADMSG, "%s: cannot read: %s", name,
                                  c.failed ? c.err.msg : archive_error_string(c.raw));
                goto out;
        }
        /* one hash is enough when nothing was decompressed */
        c.plain = archive_filter_count(c.raw) <= 1 ||
                  archive_filter_code(c.raw, 0) == ARCHIVE_FILTER_NONE;
        if (hash && !c.plain)
                bg_hash_start(&c.tar_hash);
        if (archive_read_open(tar, &c, NULL, tar_cb, NULL) != ARCHIVE_OK) {
                rc = bh_error_set(err, c.failed ? c.err.code : EBADMSG, "%s: not a tar layer: %s",
                                  name, c.failed ? c.err.msg : archive_error_string(tar));
                goto out;
        }
        rc = read_entries(d, tar, &c, err);
        if (rc == 0)
                rc = drain(&c, err);
out:
        archive_read_free(tar);
        archive_read_free(c.raw);
        char *stored = bg_hash_end(&c.stored_hash, rc < 0);
        char *tar_digest = bg_hash_end(&c.tar_hash, rc < 0 || c.plain);
        if (rc == 0) {
                d->digest = stored;
                d->diff_id = c.plain && stored ? bh_xstrdup(stored) : tar_digest;
                d->size = c.usize;
                if (!d->name)
                        d->name = bh_xstrdup(name);
        }
        return rc;
}

/* --- layers that are a byte range of a file on disk --- */

/* The stored bytes of a range, hashed by a thread that reads them itself
 * (pread), so the digest costs no time on the parsing thread. */
struct range_hash {
        pthread_t th;
        int fd; /* its own descriptor: the reader's may be closed first */
        uint64_t off, size;
        bool started, joined;
        int err; /* errno of a failed read */
        struct sha256 h;
        char *known; /* from the digest cache: nothing to hash */
        bool keyed;  /* record the result under key */
        struct digest_key key;
};

static void *range_hash_run(void *user)
{
        struct range_hash *r = user;
        size_t cap = 1u << 20;
        char *buf = bh_xmalloc(cap);
        uint64_t done = 0;
        while (done < r->size) {
                size_t want = r->size - done < cap ? (size_t)(r->size - done) : cap;
                ssize_t n = pread(r->fd, buf, want, (off_t)(r->off + done));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        r->err = n < 0 ? errno : EIO;
                        break;
                }
                sha256_update(&r->h, buf, (size_t)n);
                done += (uint64_t)n;
        }
        free(buf);
        return NULL;
}

/* A tar reader over [off, off+size) of fd that skips bodies by moving an
 * offset: only headers and the wanted files are read. */
struct range_src {
        int fd;
        uint64_t off, size, pos;
        size_t chunk; /* how much the next read asks for */
        char buf[65536];
        struct layer_ctx *c;
};

#define RANGE_CHUNK_MIN 4096

static la_ssize_t range_read_cb(struct archive *a, void *user, const void **out)
{
        struct range_src *r = user;
        if (r->pos >= r->size)
                return 0;
        /* after a skip the next header is all that is surely wanted: read a
         * little, then more while reads follow reads (runs of small files) */
        size_t want = r->chunk < sizeof r->buf ? r->chunk : sizeof r->buf;
        r->chunk = want * 2;
        if (r->size - r->pos < want)
                want = (size_t)(r->size - r->pos);
        for (;;) {
                ssize_t n = pread(r->fd, r->buf, want, (off_t)(r->off + r->pos));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0) {
                        r->c->failed = true;
                        bh_error_set(&r->c->err, n < 0 ? errno : EIO, "%s",
                                     n < 0 ? strerror(errno) : "the file ends early");
                        archive_set_error(a, EIO, "%s", r->c->err.msg);
                        return -1;
                }
                r->pos += (uint64_t)n;
                *out = r->buf;
                return n;
        }
}

static la_int64_t range_skip_cb(struct archive *a, void *user, la_int64_t request)
{
        struct range_src *r = user;
        uint64_t left = r->size - r->pos;
        uint64_t skip = request < 0 ? 0 : (uint64_t)request;
        if (skip > left)
                skip = left;
        r->pos += skip;
        r->chunk = RANGE_CHUNK_MIN;
        return (la_int64_t)skip;
}

static bool tar_header_at(int fd, uint64_t off, uint64_t size)
{
        unsigned char h[512];
        if (size < 512 || pread(fd, h, sizeof h, (off_t)off) != (ssize_t)sizeof h)
                return false;
        if (memcmp(h + 257, "ustar", 5) == 0)
                return true;
        /* old-style tar: check the header checksum */
        unsigned long sum = 0, want = 0;
        for (int i = 0; i < 512; i++)
                sum += (i >= 148 && i < 156) ? ' ' : h[i];
        int i = 148;
        while (i < 156 && h[i] == ' ')
                i++;
        for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++)
                want = want * 8 + (unsigned long)(h[i] - '0');
        return sum == want && sum != 8 * ' ';
}

struct range_byte_src {
        int fd;
        uint64_t off, size, pos;
        char buf[65536];
};

static ssize_t range_byte_read(void *user, const void **out, struct bh_error *err)
{
        struct range_byte_src *r = user;
        if (r->pos >= r->size)
                return 0;
        size_t want = r->size - r->pos < sizeof r->buf ? (size_t)(r->size - r->pos) : sizeof r->buf;
        for (;;) {
                ssize_t n = pread(r->fd, r->buf, want, (off_t)(r->off + r->pos));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return bh_error_set(err, n < 0 ? errno : EIO, "%s",
                                            n < 0 ? strerror(errno) : "the file ends early");
                r->pos += (uint64_t)n;
                *out = r->buf;
                return n;
        }
}

int layer_read_range(struct layer_delta *d, const char *name, int fd, uint64_t off, uint64_t size,
                     const struct layer_limits *lim, struct bh_error *err)
{
        bool verify = !lim->opt->no_verify;
        struct digest_key key;
        bool keyed = verify && !lim->opt->no_cache && digest_cache_key(fd, off, size, &key);
        _cleanup_free_ char *cached_stored = NULL;
        _cleanup_free_ char *cached_diff_id = NULL;
        bool cached = keyed && digest_cache_get(&key, &cached_stored, &cached_diff_id);
        if (!tar_header_at(fd, off, size)) {
                /* compressed (or damaged): the streaming reader decompresses and hashes */
                struct range_byte_src *src = bh_xcalloc(1, sizeof *src);
                src->fd = fd;
                src->off = off;
                src->size = size;
                struct layer_limits l = *lim;
                l.stored_size = size;
                struct bh_image_options unhashed = *lim->opt;
                if (cached) { /* digests known: read without hashing */
                        bh_debug("%s: digests from the cache", name);
                        unhashed.no_verify = true;
                        l.opt = &unhashed;
                }
                int rc = layer_read(d, name, range_byte_read, src, &l, err);
                free(src);
                if (rc == 0 && cached) {
                        free(d->digest);
                        free(d->diff_id);
                        d->digest = bh_steal_ptr(&cached_stored);
                        d->diff_id = bh_steal_ptr(&cached_diff_id);
                } else if (rc == 0 && keyed) {
                        digest_cache_put(&key, fd, d->digest, d->diff_id);
                }
                return rc;
        }
        struct layer_ctx c = {.name = name, .lim = lim};
        struct range_hash *rh = NULL;
        if (verify) {
                rh = bh_xcalloc(1, sizeof *rh);
                rh->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
                rh->off = off;
                rh->size = size;
                rh->keyed = keyed;
                rh->key = key;
                if (rh->fd < 0) {
                        int e = errno;
                        free(rh);
                        return bh_error_errno(err, e, "%s", name);
                }
                if (cached && strcmp(cached_stored, cached_diff_id) == 0) {
                        bh_debug("%s: digest %s from the cache", name, cached_stored);
                        rh->known = bh_steal_ptr(&cached_stored);
                } else {
                        bh_debug("%s: hashing %llu bytes", name, (unsigned long long)size);
                        sha256_init(&rh->h);
                        rh->started = pthread_create(&rh->th, NULL, range_hash_run, rh) == 0;
                        if (!rh->started)
                                range_hash_run(rh);
                }
        }
        struct range_src *src = bh_xcalloc(1, sizeof *src);
        src->fd = fd;
        src->off = off;
        src->size = size;
        src->chunk = sizeof src->buf;
        src->c = &c;
        struct archive *tar = archive_read_new();
        archive_read_support_format_tar(tar);
        archive_read_support_format_gnutar(tar);
        archive_read_set_callback_data(tar, src);
        archive_read_set_read_callback(tar, range_read_cb);
        archive_read_set_skip_callback(tar, range_skip_cb);
        int rc;
        if (archive_read_open1(tar) != ARCHIVE_OK)
                rc = bh_error_set(err, c.failed ? c.err.code : EBADMSG, "%s: not a tar layer: %s",
                                  name, c.failed ? c.err.msg : archive_error_string(tar));
        else
                rc = read_entries(d, tar, &c, err);
        archive_read_free(tar);
        free(src);
        if (rh && rc == 0) {
                d->pending = rh; /* the digest is checked when the caller asks */
        } else if (rh) {
                struct bh_error ignored;
                free(range_hash_wait(rh, &ignored));
        }
        if (rc == 0) {
                d->size = size;
                if (!d->name)
                        d->name = bh_xstrdup(name);
                bh_debug("%s: %zu entries, headers read in place", name, d->n);
        }
        return rc;
}

char *range_hash_wait(struct range_hash *rh, struct bh_error *err)
{
        if (rh->started && !rh->joined)
                pthread_join(rh->th, NULL);
        rh->joined = true;
        char *digest = NULL;
        if (rh->known) {
                digest = rh->known;
        } else if (rh->err) {
                bh_error_errno(err, rh->err, "reading the layer to check its digest");
                sha256_abort(&rh->h);
        } else {
                digest = sha256_final(&rh->h);
                if (rh->keyed) /* an uncompressed layer: its diff_id is the same */
                        digest_cache_put(&rh->key, rh->fd, digest, digest);
        }
        close(rh->fd);
        free(rh);
        return digest;
}
