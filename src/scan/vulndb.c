/* The vulnerability database's schema, opening, queries and the atomic
 * write path. */
#include "scan/vulndb_internal.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char schema_sql[] =
    "PRAGMA application_id = 1112032342;" /* BH_VULNDB_APP_ID */
    "PRAGMA user_version = 2;"            /* BH_VULNDB_SCHEMA */
    "CREATE TABLE IF NOT EXISTS source ("
    "  id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, kind TEXT NOT NULL, origin TEXT,"
    "  imported INTEGER NOT NULL, newest TEXT);"
    "CREATE TABLE IF NOT EXISTS vuln ("
    "  id INTEGER PRIMARY KEY, source INTEGER NOT NULL, vid TEXT NOT NULL, cve TEXT,"
    "  aliases TEXT, summary TEXT, severity TEXT, cvss REAL, cvss_vector TEXT, modified TEXT,"
    "  url TEXT);"
    "CREATE TABLE IF NOT EXISTS affected ("
    "  vuln INTEGER NOT NULL, ns TEXT NOT NULL, pkg TEXT NOT NULL, introduced TEXT,"
    "  fixed TEXT, last_affected TEXT, status TEXT);"
    /* covering: a scan reads the ranges of a package without the table */
    "CREATE INDEX IF NOT EXISTS affected_by_pkg ON affected(ns, pkg, vuln, introduced, fixed,"
    " last_affected, status);"
    "CREATE INDEX IF NOT EXISTS affected_by_vuln ON affected(vuln);"
    "CREATE INDEX IF NOT EXISTS vuln_by_source ON vuln(source);"
    "CREATE INDEX IF NOT EXISTS vuln_by_cve ON vuln(cve);";

char *bh_vulndb_default_path(void)
{
        const char *xdg = getenv("XDG_CACHE_HOME");
        if (xdg && *xdg == '/')
                return bh_xasprintf("%s/bulkhead/vuln.db", xdg);
        const char *home = getenv("HOME");
        return bh_xasprintf("%s/.cache/bulkhead/vuln.db", home && *home ? home : "/tmp");
}

/* Checks that an open connection holds our schema. */
static int check_ours(sqlite3 *db, const char *path, struct bh_error *err)
{
        sqlite3_stmt *st = NULL;
        int app = 0, ver = 0, rc;
        if ((rc = sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL)) != SQLITE_OK ||
            (rc = sqlite3_step(st)) != SQLITE_ROW) {
                int e = sqlite3_errcode(db);
                bh_error_set(err, EBADMSG, "%s: not a Bulkhead vulnerability database (%s)", path,
                             e == SQLITE_NOTADB ? "not an SQLite file" : sqlite3_errmsg(db));
                sqlite3_finalize(st);
                return -EBADMSG;
        }
        app = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
                ver = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        if (app != BH_VULNDB_APP_ID)
                return bh_error_set(err, EBADMSG,
                                    "%s: an SQLite file of another program, not a Bulkhead "
                                    "vulnerability database",
                                    path);
        if (ver != BH_VULNDB_SCHEMA)
                return bh_error_set(err, EPROTO,
                                    "%s: database schema %d, this bulkhead reads %d: run 'bulkhead "
                                    "db update'",
                                    path, ver, BH_VULNDB_SCHEMA);
        return 0;
}

int bh_vulndb_open(const char *path, struct bh_vulndb **out, struct bh_error *err)
{
        struct stat st;
        if (stat(path, &st) < 0)
                return bh_error_errno(err, errno,
                                      "%s: no vulnerability database (run 'bulkhead db update' or "
                                      "'bulkhead db import')",
                                      path);
        if (!S_ISREG(st.st_mode))
                return bh_error_set(err, EINVAL, "%s: not a regular file", path);
        sqlite3 *db = NULL;
        if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
                int rc = bh_error_set(err, EIO, "%s: %s", path, sqlite3_errmsg(db));
                sqlite3_close(db);
                return rc;
        }
        int rc = check_ours(db, path, err);
        if (rc < 0) {
                sqlite3_close(db);
                return rc;
        }
        struct bh_vulndb *v = bh_xcalloc(1, sizeof *v);
        v->db = db;
        v->path = bh_xstrdup(path);
        if (sqlite3_prepare_v2(
                db,
                "SELECT v.vid, v.cve, v.aliases, v.summary, v.severity, v.cvss, v.cvss_vector,"
                " a.introduced, a.fixed, a.last_affected, a.status, s.name, v.url"
                " FROM affected a JOIN vuln v ON v.id = a.vuln JOIN source s ON s.id = v.source"
                " WHERE a.ns = ?1 AND a.pkg = ?2",
                -1, &v->query, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(db,
                               "SELECT severity, cvss, cvss_vector FROM vuln WHERE cve = ?1 AND "
                               "severity IS NOT NULL AND severity != 'unknown' ORDER BY cvss DESC "
                               "LIMIT 1",
                               -1, &v->cve, NULL) != SQLITE_OK) {
                rc = bh_error_set(err, EBADMSG, "%s: damaged database: %s", path,
                                  sqlite3_errmsg(db));
                bh_vulndb_close(v);
                return rc;
        }
        *out = v;
        return 0;
}

void bh_vulndb_close(struct bh_vulndb *db)
{
        if (!db)
                return;
        sqlite3_finalize(db->query);
        sqlite3_finalize(db->cve);
        sqlite3_close(db->db);
        free(db->path);
        free(db);
}

static const char *col(sqlite3_stmt *st, int i)
{
        return (const char *)sqlite3_column_text(st, i);
}

int bh_vulndb_query(struct bh_vulndb *db, const char *ns, const char *pkg, bh_advisory_fn fn,
                    void *user, struct bh_error *err)
{
        sqlite3_stmt *st = db->query;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, ns, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, pkg, -1, SQLITE_STATIC);
        int r, rc = 0;
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
                struct bh_advisory a = {
                    .id = col(st, 0),
                    .cve = col(st, 1),
                    .aliases = col(st, 2),
                    .summary = col(st, 3),
                    .severity = col(st, 4),
                    .cvss = sqlite3_column_double(st, 5),
                    .cvss_vector = col(st, 6),
                    .introduced = col(st, 7),
                    .fixed = col(st, 8),
                    .last_affected = col(st, 9),
                    .status = col(st, 10),
                    .source = col(st, 11),
                    .url = col(st, 12),
                };
                if (!a.id)
                        continue;
                if ((rc = fn(&a, user)) != 0)
                        break;
        }
        if (rc == 0 && r != SQLITE_ROW && r != SQLITE_DONE)
                rc = bh_error_set(err, EIO, "%s: %s", db->path, sqlite3_errmsg(db->db));
        sqlite3_reset(st);
        return rc;
}

bool bh_vulndb_cve_severity(struct bh_vulndb *db, const char *cve, char **severity, double *cvss,
                            char **vector)
{
        sqlite3_stmt *st = db->cve;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, cve, -1, SQLITE_STATIC);
        bool found = false;
        if (sqlite3_step(st) == SQLITE_ROW) {
                *severity = bh_xstrdup(col(st, 0));
                *cvss = sqlite3_column_double(st, 1);
                *vector = col(st, 2) ? bh_xstrdup(col(st, 2)) : NULL;
                found = true;
        }
        sqlite3_reset(st);
        return found;
}

int bh_vulndb_info(struct bh_vulndb *db, struct bh_vulndb_info *out, struct bh_error *err)
{
        memset(out, 0, sizeof *out);
        out->schema = BH_VULNDB_SCHEMA;
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db->db,
                               "SELECT s.name, s.kind, s.origin, s.imported, s.newest,"
                               " (SELECT count(*) FROM vuln v WHERE v.source = s.id),"
                               " (SELECT count(*) FROM affected a JOIN vuln v ON v.id = a.vuln"
                               "  WHERE v.source = s.id)"
                               " FROM source s ORDER BY s.name",
                               -1, &st, NULL) != SQLITE_OK)
                return bh_error_set(err, EIO, "%s: %s", db->path, sqlite3_errmsg(db->db));
        while (sqlite3_step(st) == SQLITE_ROW) {
                out->sources = bh_xreallocarray(out->sources, out->n + 1, sizeof *out->sources);
                struct bh_vulndb_source *s = &out->sources[out->n++];
                s->name = bh_xstrdup(col(st, 0) ? col(st, 0) : "");
                s->kind = bh_xstrdup(col(st, 1) ? col(st, 1) : "");
                s->origin = col(st, 2) ? bh_xstrdup(col(st, 2)) : NULL;
                s->imported = (time_t)sqlite3_column_int64(st, 3);
                s->newest = col(st, 4) ? bh_xstrdup(col(st, 4)) : NULL;
                s->advisories = sqlite3_column_int64(st, 5);
                s->ranges = sqlite3_column_int64(st, 6);
                out->advisories += s->advisories;
                out->ranges += s->ranges;
        }
        sqlite3_finalize(st);
        return 0;
}

void bh_vulndb_info_free(struct bh_vulndb_info *info)
{
        for (size_t i = 0; i < info->n; i++) {
                free(info->sources[i].name);
                free(info->sources[i].kind);
                free(info->sources[i].origin);
                free(info->sources[i].newest);
        }
        free(info->sources);
        memset(info, 0, sizeof *info);
}

/* --- writing --- */

static int mkdir_parents(const char *path, struct bh_error *err)
{
        _cleanup_free_ char *dir = bh_xstrdup(path);
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
                return 0;
        *slash = '\0';
        for (char *p = dir + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                        return bh_error_errno(err, errno, "%s", dir);
                *p = '/';
        }
        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return bh_error_errno(err, errno, "%s", dir);
        return 0;
}

static int exec(sqlite3 *db, const char *sql, const char *what, struct bh_error *err)
{
        char *msg = NULL;
        if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
                int rc = bh_error_set(err, EIO, "%s: %s", what, msg ? msg : sqlite3_errmsg(db));
                sqlite3_free(msg);
                return rc;
        }
        return 0;
}

/* Copies the current database into the new file with SQLite's backup API
 * (which also proves the old one is ours and readable). */
static int copy_existing(sqlite3 *dst, const char *path, int *old_schema, struct bh_error *err)
{
        struct bh_vulndb *old = NULL;
        int rc = bh_vulndb_open(path, &old, err);
        if (rc == -EPROTO) { /* our own database, of an older schema: start afresh */
                sqlite3 *db = NULL;
                sqlite3_stmt *st = NULL;
                int ver = 0;
                if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
                    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
                    sqlite3_step(st) == SQLITE_ROW)
                        ver = sqlite3_column_int(st, 0);
                sqlite3_finalize(st);
                sqlite3_close(db);
                if (ver > 0 && ver < BH_VULNDB_SCHEMA) {
                        if (old_schema)
                                *old_schema = ver;
                        return 0;
                }
        }
        if (rc < 0)
                return rc;
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", old->db, "main");
        if (!b) {
                rc = bh_error_set(err, EIO, "%s: cannot copy: %s", path, sqlite3_errmsg(dst));
        } else {
                if (sqlite3_backup_step(b, -1) != SQLITE_DONE)
                        rc = bh_error_set(err, EIO, "%s: cannot copy: %s", path,
                                          sqlite3_errmsg(dst));
                sqlite3_backup_finish(b);
        }
        bh_vulndb_close(old);
        return rc;
}

static int prepare(struct bh_vulndb_import *imp, struct bh_error *err)
{
        static const struct {
                size_t off;
                const char *sql;
        } stmts[] = {
            {offsetof(struct bh_vulndb_import, ins_vuln),
             "INSERT INTO vuln(source, vid, cve, aliases, summary, severity, cvss, cvss_vector,"
             " modified, url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
            {offsetof(struct bh_vulndb_import, ins_aff),
             "INSERT INTO affected(vuln, ns, pkg, introduced, fixed, last_affected, status)"
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
            {offsetof(struct bh_vulndb_import, ins_source),
             "INSERT INTO source(name, kind, origin, imported) VALUES (?1, ?2, ?3, ?4)"
             " ON CONFLICT(name) DO UPDATE SET kind = ?2, origin = ?3, imported = ?4,"
             " newest = NULL"},
            {offsetof(struct bh_vulndb_import, del_aff),
             "DELETE FROM affected WHERE vuln IN (SELECT id FROM vuln WHERE source = ?1)"},
            {offsetof(struct bh_vulndb_import, del_vuln), "DELETE FROM vuln WHERE source = ?1"},
            {offsetof(struct bh_vulndb_import, find_source),
             "SELECT id FROM source WHERE name = ?1"},
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(stmts); i++)
                if (sqlite3_prepare_v2(imp->db, stmts[i].sql, -1,
                                       (sqlite3_stmt **)((char *)imp + stmts[i].off),
                                       NULL) != SQLITE_OK)
                        return bh_error_set(err, EIO, "%s: %s", imp->tmp, sqlite3_errmsg(imp->db));
        return 0;
}

int bh_vulndb_import_begin(const char *path, struct bh_vulndb_import **out, int *old_schema,
                           struct bh_error *err)
{
        if (old_schema)
                *old_schema = 0;
        int rc = mkdir_parents(path, err);
        if (rc < 0)
                return rc;
        struct bh_vulndb_import *imp = bh_xcalloc(1, sizeof *imp);
        imp->path = bh_xstrdup(path);
        imp->tmp = bh_xasprintf("%s.new-%d", path, (int)getpid());
        unlink(imp->tmp);
        if (sqlite3_open_v2(imp->tmp, &imp->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
            SQLITE_OK) {
                rc = bh_error_set(err, EIO, "%s: %s", imp->tmp, sqlite3_errmsg(imp->db));
                bh_vulndb_import_abort(imp);
                return rc;
        }
        chmod(imp->tmp, 0644);
        if (access(path, F_OK) == 0 && (rc = copy_existing(imp->db, path, old_schema, err)) < 0) {
                bh_vulndb_import_abort(imp);
                return rc;
        }
        /* the copy is private until the rename: no journal needed */
        if ((rc = exec(imp->db,
                       "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                       " PRAGMA cache_size = -16384;",
                       imp->tmp, err)) < 0 ||
            (rc = exec(imp->db, schema_sql, imp->tmp, err)) < 0 || (rc = prepare(imp, err)) < 0 ||
            (rc = exec(imp->db, "BEGIN", imp->tmp, err)) < 0) {
                bh_vulndb_import_abort(imp);
                return rc;
        }
        *out = imp;
        return 0;
}

const char *bh_vulndb_import_temp_path(const struct bh_vulndb_import *imp)
{
        return imp->tmp;
}

static void finalize_all(struct bh_vulndb_import *imp)
{
        sqlite3_stmt **all[] = {&imp->ins_vuln, &imp->ins_aff,  &imp->ins_source,
                                &imp->del_aff,  &imp->del_vuln, &imp->find_source};
        for (size_t i = 0; i < BH_ARRAY_SIZE(all); i++) {
                sqlite3_finalize(*all[i]);
                *all[i] = NULL;
        }
}

void bh_vulndb_import_abort(struct bh_vulndb_import *imp)
{
        if (!imp)
                return;
        finalize_all(imp);
        if (imp->db)
                sqlite3_close(imp->db);
        unlink(imp->tmp);
        free(imp->tmp);
        free(imp->path);
        free(imp->source_name);
        free(imp);
}

int bh_vulndb_import_commit(struct bh_vulndb_import *imp, struct bh_error *err)
{
        int rc = exec(imp->db, "COMMIT", imp->tmp, err);
        if (rc == 0)
                rc = exec(imp->db, "ANALYZE", imp->tmp, err);
        finalize_all(imp);
        if (rc == 0 && sqlite3_close(imp->db) != SQLITE_OK)
                rc = bh_error_set(err, EIO, "%s: cannot close", imp->tmp);
        imp->db = NULL;
        if (rc == 0) {
                int fd = open(imp->tmp, O_RDONLY | O_CLOEXEC);
                if (fd < 0 || fsync(fd) < 0)
                        rc = bh_error_errno(err, errno, "%s", imp->tmp);
                if (fd >= 0)
                        close(fd);
        }
        if (rc == 0 && rename(imp->tmp, imp->path) < 0)
                rc = bh_error_errno(err, errno, "%s: cannot replace", imp->path);
        bh_vulndb_import_abort(imp); /* frees; the temporary name is gone after a rename */
        return rc;
}

int import_source_begin(struct bh_vulndb_import *imp, const char *name, const char *kind,
                        const char *origin, struct bh_error *err)
{
        sqlite3_stmt *st = imp->ins_source;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, origin, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
        if (sqlite3_step(st) != SQLITE_DONE)
                return bh_error_set(err, EIO, "%s: %s", imp->tmp, sqlite3_errmsg(imp->db));
        sqlite3_reset(st);
        st = imp->find_source;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_ROW)
                return bh_error_set(err, EIO, "%s: %s", imp->tmp, sqlite3_errmsg(imp->db));
        imp->source_id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        /* a source imported again replaces what it had */
        sqlite3_stmt *dels[] = {imp->del_aff, imp->del_vuln};
        for (size_t i = 0; i < 2; i++) {
                sqlite3_reset(dels[i]);
                sqlite3_bind_int64(dels[i], 1, imp->source_id);
                if (sqlite3_step(dels[i]) != SQLITE_DONE)
                        return bh_error_set(err, EIO, "%s: %s", imp->tmp, sqlite3_errmsg(imp->db));
                sqlite3_reset(dels[i]);
        }
        imp->newest[0] = '\0';
        free(imp->source_name);
        imp->source_name = bh_xstrdup(name);
        return 0;
}

int import_source_end(struct bh_vulndb_import *imp, struct bh_error *err)
{
        if (!imp->newest[0])
                return 0;
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(imp->db, "UPDATE source SET newest = ?1 WHERE id = ?2", -1, &st,
                               NULL) != SQLITE_OK)
                return bh_error_set(err, EIO, "%s: %s", imp->tmp, sqlite3_errmsg(imp->db));
        sqlite3_bind_text(st, 1, imp->newest, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, imp->source_id);
        int r = sqlite3_step(st);
        sqlite3_finalize(st);
        return r == SQLITE_DONE
                   ? 0
                   : bh_error_set(err, EIO, "%s: %s", imp->tmp, sqlite3_errmsg(imp->db));
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
        if (s)
                sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
        else
                sqlite3_bind_null(st, i);
}

sqlite3_int64 import_vuln(struct bh_vulndb_import *imp, const struct vuln_row *v,
                          struct bh_error *err)
{
        sqlite3_stmt *st = imp->ins_vuln;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, imp->source_id);
        sqlite3_bind_text(st, 2, v->vid, -1, SQLITE_STATIC);
        bind_opt(st, 3, v->cve);
        bind_opt(st, 4, v->aliases);
        bind_opt(st, 5, v->summary);
        bind_opt(st, 6, v->severity);
        sqlite3_bind_double(st, 7, v->cvss);
        bind_opt(st, 8, v->cvss_vector);
        bind_opt(st, 9, v->modified);
        bind_opt(st, 10, v->url);
        if (sqlite3_step(st) != SQLITE_DONE)
                return bh_error_set(err, EIO, "%s: %s", imp->tmp, sqlite3_errmsg(imp->db));
        sqlite3_reset(st);
        if (v->modified && strcmp(v->modified, imp->newest) > 0)
                snprintf(imp->newest, sizeof imp->newest, "%s", v->modified);
        if (imp->stats)
                imp->stats->advisories++;
        return sqlite3_last_insert_rowid(imp->db);
}

int import_affected(struct bh_vulndb_import *imp, sqlite3_int64 vuln, const struct affected_row *a,
                    struct bh_error *err)
{
        sqlite3_stmt *st = imp->ins_aff;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, vuln);
        sqlite3_bind_text(st, 2, a->ns, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, a->pkg, -1, SQLITE_STATIC);
        bind_opt(st, 4, a->introduced);
        bind_opt(st, 5, a->fixed);
        bind_opt(st, 6, a->last_affected);
        bind_opt(st, 7, a->status);
        if (sqlite3_step(st) != SQLITE_DONE)
                return bh_error_set(err, EIO, "%s: %s", imp->tmp, sqlite3_errmsg(imp->db));
        sqlite3_reset(st);
        if (imp->stats)
                imp->stats->ranges++;
        return 0;
}
