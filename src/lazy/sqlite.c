/* SQLite, loaded on first use (see lazy.h). */
#include "lazy/lazy.h"

#include <stddef.h>

#include <sqlite3.h>

static struct bh_lazy_lib sq = {"libsqlite3.so.0", NULL};

typedef sqlite3_stmt S;

BH_LAZY_FN(sq, int, sqlite3_open_v2, (const char *f, sqlite3 **db, int flags, const char *vfs),
           (f, db, flags, vfs))
BH_LAZY_FN(sq, int, sqlite3_close, (sqlite3 * db), (db))
BH_LAZY_FN(sq, int, sqlite3_errcode, (sqlite3 * db), (db))
BH_LAZY_FN(sq, const char *, sqlite3_errmsg, (sqlite3 * db), (db))
BH_LAZY_FN(sq, int, sqlite3_exec,
           (sqlite3 * db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg,
            char **err),
           (db, sql, cb, arg, err))
BH_LAZY_FN(sq, int, sqlite3_prepare_v2,
           (sqlite3 * db, const char *sql, int n, S **st, const char **tail),
           (db, sql, n, st, tail))
BH_LAZY_FN(sq, int, sqlite3_step, (S * st), (st))
BH_LAZY_FN(sq, int, sqlite3_reset, (S * st), (st))
BH_LAZY_FN(sq, int, sqlite3_finalize, (S * st), (st))
BH_LAZY_FN(sq, int, sqlite3_bind_double, (S * st, int i, double v), (st, i, v))
BH_LAZY_FN(sq, int, sqlite3_bind_int64, (S * st, int i, sqlite3_int64 v), (st, i, v))
BH_LAZY_FN(sq, int, sqlite3_bind_null, (S * st, int i), (st, i))
BH_LAZY_FN(sq, int, sqlite3_bind_text, (S * st, int i, const char *v, int n, void (*d)(void *)),
           (st, i, v, n, d))
BH_LAZY_FN(sq, const void *, sqlite3_column_blob, (S * st, int i), (st, i))
BH_LAZY_FN(sq, int, sqlite3_column_bytes, (S * st, int i), (st, i))
BH_LAZY_FN(sq, double, sqlite3_column_double, (S * st, int i), (st, i))
BH_LAZY_FN(sq, int, sqlite3_column_int, (S * st, int i), (st, i))
BH_LAZY_FN(sq, sqlite3_int64, sqlite3_column_int64, (S * st, int i), (st, i))
BH_LAZY_FN(sq, const unsigned char *, sqlite3_column_text, (S * st, int i), (st, i))
BH_LAZY_FN(sq, sqlite3_int64, sqlite3_last_insert_rowid, (sqlite3 * db), (db))
BH_LAZY_FN(sq, sqlite3_backup *, sqlite3_backup_init,
           (sqlite3 * dest, const char *dname, sqlite3 *src, const char *sname),
           (dest, dname, src, sname))
BH_LAZY_FN(sq, int, sqlite3_backup_step, (sqlite3_backup * b, int n), (b, n))
BH_LAZY_FN(sq, int, sqlite3_backup_finish, (sqlite3_backup * b), (b))
BH_LAZY_FN(sq, int, sqlite3_deserialize,
           (sqlite3 * db, const char *schema, unsigned char *data, sqlite3_int64 n,
            sqlite3_int64 cap, unsigned flags),
           (db, schema, data, n, cap, flags))
BH_LAZY_VOID(sq, sqlite3_free, (void *p), (p))
BH_LAZY_FN(sq, void *, sqlite3_malloc64, (sqlite3_uint64 n), (n))
