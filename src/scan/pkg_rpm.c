/* rpm's package database in its three formats: SQLite (rpmdb.sqlite, rpm
 * 4.16+), Berkeley DB hash (Packages, older RHEL/CentOS/SUSE) and NDB
 * (Packages.db, SUSE). Each stores one header blob per package; the blobs
 * are parsed here with every offset checked against the blob's size. */
#include "scan/package.h"
#include "base/util.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

enum {
        RPMTAG_NAME = 1000,
        RPMTAG_VERSION = 1001,
        RPMTAG_RELEASE = 1002,
        RPMTAG_EPOCH = 1003,
        RPMTAG_VENDOR = 1011,
        RPMTAG_LICENSE = 1014,
        RPMTAG_PACKAGER = 1015,
        RPMTAG_ARCH = 1022,
        RPMTAG_SOURCERPM = 1044,
};
enum { RPM_INT32 = 4, RPM_STRING = 6, RPM_STRING_ARRAY = 8, RPM_I18NSTRING = 9 };

static uint32_t be32(const unsigned char *p)
{
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
        return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t le16(const unsigned char *p)
{
        return (uint16_t)(p[1] << 8 | p[0]);
}

/* A string entry's value, bounded by the data store. */
static char *tag_string(const unsigned char *store, size_t dl, uint32_t type, uint32_t off)
{
        if ((type != RPM_STRING && type != RPM_I18NSTRING && type != RPM_STRING_ARRAY) || off >= dl)
                return NULL;
        const unsigned char *s = store + off;
        const unsigned char *nul = memchr(s, '\0', dl - off);
        if (!nul)
                return NULL;
        return bh_xstrndup((const char *)s, (size_t)(nul - s));
}

/* "openssl-3.0.7-16.el9_2.src.rpm" -> name "openssl", version "3.0.7-16.el9_2". */
static void split_source_rpm(const char *srpm, char **name, char **version)
{
        _cleanup_free_ char *s = bh_xstrdup(srpm);
        char *suffix = strstr(s, ".src.rpm");
        if (!suffix)
                suffix = strstr(s, ".nosrc.rpm");
        if (suffix)
                *suffix = '\0';
        char *rel = strrchr(s, '-');
        if (!rel)
                return;
        *rel = '\0';
        char *ver = strrchr(s, '-');
        if (!ver)
                return;
        *ver = '\0';
        *name = bh_xstrdup(s);
        *version = bh_xasprintf("%s-%s", ver + 1, rel + 1);
}

int bh_rpm_header_parse(const unsigned char *blob, size_t len, const char *what,
                        struct bh_package_list *out, struct bh_error *err)
{
        if (len < 8)
                return bh_error_set(err, EBADMSG, "%s: an rpm header of %zu bytes", what, len);
        uint32_t il = be32(blob), dl = be32(blob + 4);
        if (il == 0 || il > 0xffff || dl > (256u << 20) || 8 + (size_t)il * 16 + dl > len)
                return bh_error_set(err, EBADMSG,
                                    "%s: a damaged rpm header (%u entries, %u data bytes in %zu)",
                                    what, il, dl, len);
        const unsigned char *index = blob + 8, *store = blob + 8 + (size_t)il * 16;
        char *name = NULL, *version = NULL, *release = NULL, *arch = NULL, *srpm = NULL,
             *license = NULL, *vendor = NULL;
        long long epoch = -1;
        for (uint32_t i = 0; i < il; i++) {
                const unsigned char *e = index + (size_t)i * 16;
                uint32_t tag = be32(e), type = be32(e + 4), off = be32(e + 8), count = be32(e + 12);
                char **dst = NULL;
                switch (tag) {
                case RPMTAG_NAME:
                        dst = &name;
                        break;
                case RPMTAG_VERSION:
                        dst = &version;
                        break;
                case RPMTAG_RELEASE:
                        dst = &release;
                        break;
                case RPMTAG_ARCH:
                        dst = &arch;
                        break;
                case RPMTAG_SOURCERPM:
                        dst = &srpm;
                        break;
                case RPMTAG_LICENSE:
                        dst = &license;
                        break;
                case RPMTAG_VENDOR:
                        dst = &vendor;
                        break;
                case RPMTAG_EPOCH:
                        if (type == RPM_INT32 && count >= 1 && off <= dl - 4 && dl >= 4)
                                epoch = be32(store + off);
                        break;
                default:
                        break;
                }
                if (dst && !*dst)
                        *dst = tag_string(store, dl, type, off);
        }
        int rc = 0;
        if (!name || !version) {
                rc = bh_error_set(err, EBADMSG, "%s: an rpm header without %s", what,
                                  name ? "a version" : "a name");
        } else if (strcmp(name, "gpg-pubkey") != 0) { /* imported keys are not packages */
                struct bh_package *p = bh_package_add(out);
                p->format = BH_PKG_RPM;
                p->name = name;
                name = NULL;
                p->version = epoch > 0 ? bh_xasprintf("%lld:%s%s%s", epoch, version,
                                                      release ? "-" : "", release ? release : "")
                                       : bh_xasprintf("%s%s%s", version, release ? "-" : "",
                                                      release ? release : "");
                p->arch = arch;
                arch = NULL;
                p->license = license;
                license = NULL;
                p->maintainer = vendor;
                vendor = NULL;
                if (srpm)
                        split_source_rpm(srpm, &p->source_name, &p->source_version);
                if (!p->source_name)
                        p->source_name = bh_xstrdup(p->name);
                if (!p->source_version) {
                        p->source_version = bh_xstrdup(p->version);
                } else if (epoch > 0) {
                        char *v = bh_xasprintf("%lld:%s", epoch, p->source_version);
                        free(p->source_version);
                        p->source_version = v;
                }
        }
        free(name);
        free(version);
        free(release);
        free(arch);
        free(srpm);
        free(license);
        free(vendor);
        return rc;
}

/* --- SQLite: table Packages(hnum, blob) --- */

static int parse_sqlite(const char *data, size_t len, const char *what, struct bh_package_list *out,
                        struct bh_error *err)
{
        sqlite3 *db = NULL;
        if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) !=
            SQLITE_OK) {
                sqlite3_close(db);
                return bh_error_set(err, ENOMEM, "%s: cannot open an in-memory database", what);
        }
        /* read-only over a copy: deserialize takes ownership of the buffer */
        unsigned char *copy = sqlite3_malloc64(len ? len : 1);
        if (!copy) {
                sqlite3_close(db);
                return bh_error_set(err, ENOMEM, "%s: out of memory", what);
        }
        memcpy(copy, data, len);
        /* a database in WAL mode cannot be read from memory: say "rollback journal" */
        if (len > 19 && copy[18] == 2 && copy[19] == 2)
                copy[18] = copy[19] = 1;
        int rc = 0;
        if (sqlite3_deserialize(db, "main", copy, (sqlite3_int64)len, (sqlite3_int64)len,
                                SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY) !=
            SQLITE_OK) {
                rc = bh_error_set(err, EBADMSG, "%s: %s", what, sqlite3_errmsg(db));
                sqlite3_close(db);
                return rc;
        }
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages", -1, &st, NULL) != SQLITE_OK) {
                rc = bh_error_set(err, EBADMSG, "%s: not an rpm database: %s", what,
                                  sqlite3_errmsg(db));
                sqlite3_close(db);
                return rc;
        }
        int r;
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
                const unsigned char *blob = sqlite3_column_blob(st, 1);
                int n = sqlite3_column_bytes(st, 1);
                _cleanup_free_ char *w =
                    bh_xasprintf("%s: package %lld", what, (long long)sqlite3_column_int64(st, 0));
                if (!blob || (rc = bh_rpm_header_parse(blob, (size_t)n, w, out, err)) < 0) {
                        if (!blob)
                                rc = bh_error_set(err, EBADMSG, "%s: an empty header", w);
                        break;
                }
        }
        if (rc == 0 && r != SQLITE_DONE)
                rc = bh_error_set(err, EBADMSG, "%s: %s", what, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        sqlite3_close(db);
        return rc;
}

/* --- Berkeley DB hash --- */

/* hash pages: 13 (sorted, BDB >= 4.6) and 2 (unsorted, older BDB as on RHEL 5
 * and SLES 11; the same layout) */
enum { BDB_HASH_MAGIC = 0x061561, BDB_P_HASH = 13, BDB_P_HASH_UNSORTED = 2, BDB_P_OVERFLOW = 7 };
enum { BDB_H_KEYDATA = 1, BDB_H_OFFPAGE = 3 };

struct bdb {
        const unsigned char *d;
        size_t len;
        uint32_t pagesize;
        bool swap; /* written on a big-endian host */
};

static uint32_t bdb32(const struct bdb *b, const unsigned char *p)
{
        return b->swap ? be32(p) : le32(p);
}

static uint16_t bdb16(const struct bdb *b, const unsigned char *p)
{
        return b->swap ? (uint16_t)(p[0] << 8 | p[1]) : le16(p);
}

static const unsigned char *bdb_page(const struct bdb *b, uint32_t pgno)
{
        size_t off = (size_t)pgno * b->pagesize;
        if (off / b->pagesize != pgno || off + b->pagesize > b->len)
                return NULL;
        return b->d + off;
}

/* Follows an overflow chain into a buffer of tlen bytes. */
static unsigned char *bdb_overflow(const struct bdb *b, uint32_t pgno, uint32_t tlen,
                                   const char *what, struct bh_error *err)
{
        if (tlen > (256u << 20)) {
                bh_error_set(err, EBADMSG, "%s: an overflow record of %u bytes", what, tlen);
                return NULL;
        }
        unsigned char *buf = bh_xmalloc(tlen ? tlen : 1);
        size_t got = 0, hops = 0;
        while (got < tlen) {
                const unsigned char *pg = bdb_page(b, pgno);
                if (!pg || pg[25] != BDB_P_OVERFLOW || ++hops > b->len / b->pagesize + 1) {
                        free(buf);
                        bh_error_set(err, EBADMSG, "%s: a broken overflow chain at page %u", what,
                                     pgno);
                        return NULL;
                }
                uint16_t used = bdb16(b, pg + 22);
                if (used > b->pagesize - 26)
                        used = (uint16_t)(b->pagesize - 26);
                size_t take = tlen - got < used ? tlen - got : used;
                memcpy(buf + got, pg + 26, take);
                got += take;
                pgno = bdb32(b, pg + 16);
                if (got < tlen && pgno == 0) {
                        free(buf);
                        bh_error_set(err, EBADMSG, "%s: an overflow chain ends early", what);
                        return NULL;
                }
        }
        return buf;
}

static int parse_bdb(const char *data, size_t len, const char *what, struct bh_package_list *out,
                     struct bh_error *err)
{
        struct bdb b = {.d = (const unsigned char *)data, .len = len};
        if (len < 512)
                return bh_error_set(err, EBADMSG, "%s: too short for a Berkeley DB", what);
        if (le32(b.d + 12) == BDB_HASH_MAGIC)
                b.swap = false;
        else if (be32(b.d + 12) == BDB_HASH_MAGIC)
                b.swap = true;
        else
                return bh_error_set(err, EBADMSG, "%s: not a Berkeley DB hash database", what);
        b.pagesize = bdb32(&b, b.d + 20);
        if (b.pagesize < 512 || b.pagesize > 65536 || (b.pagesize & (b.pagesize - 1)))
                return bh_error_set(err, EBADMSG, "%s: page size %u", what, b.pagesize);
        size_t npages = len / b.pagesize;
        for (size_t pg = 1; pg < npages; pg++) {
                const unsigned char *p = b.d + pg * b.pagesize;
                if (p[25] != BDB_P_HASH && p[25] != BDB_P_HASH_UNSORTED)
                        continue;
                uint16_t entries = bdb16(&b, p + 20);
                if (26 + (size_t)entries * 2 > b.pagesize)
                        return bh_error_set(err, EBADMSG, "%s: page %zu: %u entries", what, pg,
                                            entries);
                /* entries come in key/data pairs; the data is the header */
                for (uint16_t i = 1; i < entries; i += 2) {
                        uint16_t off = bdb16(&b, p + 26 + 2 * i);
                        if (off >= b.pagesize)
                                continue;
                        const unsigned char *item = p + off;
                        _cleanup_free_ char *w = bh_xasprintf("%s: page %zu", what, pg);
                        if (item[0] == BDB_H_OFFPAGE) {
                                if (off + 12u > b.pagesize)
                                        continue;
                                uint32_t opg = bdb32(&b, item + 4), tlen = bdb32(&b, item + 8);
                                unsigned char *blob = bdb_overflow(&b, opg, tlen, w, err);
                                if (!blob)
                                        return -err->code;
                                int rc = bh_rpm_header_parse(blob, tlen, w, out, err);
                                free(blob);
                                if (rc < 0)
                                        return rc;
                        } else if (item[0] == BDB_H_KEYDATA) {
                                uint16_t endoff = bdb16(&b, p + 26 + 2 * (i - 1));
                                /* short records are bookkeeping (the next instance number) */
                                if (endoff <= off + 17u || endoff > b.pagesize)
                                        continue;
                                int rc = bh_rpm_header_parse(item + 1, (size_t)(endoff - off - 1),
                                                             w, out, err);
                                if (rc < 0)
                                        return rc;
                        }
                }
        }
        return 0;
}

/* --- NDB (Packages.db) --- */

#define NDB_MAGIC(a, b, c, d)                                                                      \
        ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

static int parse_ndb(const char *data, size_t len, const char *what, struct bh_package_list *out,
                     struct bh_error *err)
{
        const unsigned char *d = (const unsigned char *)data;
        if (len < 32 || le32(d) != NDB_MAGIC('R', 'p', 'm', 'P'))
                return bh_error_set(err, EBADMSG, "%s: not an NDB rpm database", what);
        uint32_t slot_pages = le32(d + 12);
        if (slot_pages == 0 || (size_t)slot_pages * 4096 > len)
                return bh_error_set(err, EBADMSG, "%s: %u slot pages in %zu bytes", what,
                                    slot_pages, len);
        size_t nslots = (size_t)slot_pages * 4096 / 16;
        for (size_t i = 2; i < nslots; i++) { /* the first two slots hold the file header */
                const unsigned char *s = d + i * 16;
                if (le32(s) != NDB_MAGIC('S', 'l', 'o', 't'))
                        return bh_error_set(err, EBADMSG, "%s: slot %zu is damaged", what, i);
                uint32_t pkgidx = le32(s + 4), blkoff = le32(s + 8), blkcnt = le32(s + 12);
                if (pkgidx == 0)
                        continue;
                size_t off = (size_t)blkoff * 16, span = (size_t)blkcnt * 16;
                if (off + 16 > len || span < 16 || off + span > len)
                        return bh_error_set(err, EBADMSG, "%s: package %u lies outside the file",
                                            what, pkgidx);
                const unsigned char *blob = d + off;
                uint32_t bloblen = le32(blob + 12);
                if (le32(blob) != NDB_MAGIC('B', 'l', 'b', 'S') || le32(blob + 4) != pkgidx ||
                    16 + (size_t)bloblen > span)
                        return bh_error_set(err, EBADMSG, "%s: package %u: a damaged blob", what,
                                            pkgidx);
                _cleanup_free_ char *w = bh_xasprintf("%s: package %u", what, pkgidx);
                int rc = bh_rpm_header_parse(blob + 16, bloblen, w, out, err);
                if (rc < 0)
                        return rc;
        }
        return 0;
}

int bh_rpmdb_parse(const char *data, size_t len, const char *what, struct bh_package_list *out,
                   struct bh_error *err)
{
        if (len >= 16 && memcmp(data, "SQLite format 3", 16) == 0)
                return parse_sqlite(data, len, what, out, err);
        if (len >= 4 && le32((const unsigned char *)data) == NDB_MAGIC('R', 'p', 'm', 'P'))
                return parse_ndb(data, len, what, out, err);
        if (len >= 16 && (le32((const unsigned char *)data + 12) == BDB_HASH_MAGIC ||
                          be32((const unsigned char *)data + 12) == BDB_HASH_MAGIC))
                return parse_bdb(data, len, what, out, err);
        return bh_error_set(err, EBADMSG, "%s: not an rpm database (SQLite, Berkeley DB or NDB)",
                            what);
}
