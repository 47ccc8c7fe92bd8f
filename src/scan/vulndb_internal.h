/* Private to the vulnerability database files (vulndb.c, db_import.c). */
#pragma once

#include "scan/vulndb.h"

#include <jansson.h>
#include <sqlite3.h>

#define BH_VULNDB_APP_ID 0x42484456 /* "BHDV" */
/* 2: Ubuntu Pro streams in namespaces of their own (ubuntu-pro:22.04, ...),
 * distribution CVE records (UBUNTU-CVE-...) carrying their CVE */
#define BH_VULNDB_SCHEMA 2

struct bh_vulndb {
        sqlite3 *db;
        char *path;
        sqlite3_stmt *query;
        sqlite3_stmt *cve;
};

struct bh_vulndb_import {
        sqlite3 *db;
        char *path; /* the database to replace */
        char *tmp;  /* the copy being written */
        sqlite3_stmt *ins_vuln, *ins_aff, *ins_source, *del_aff, *del_vuln, *find_source;
        sqlite3_int64 source_id; /* the source being filled */
        char *source_name;
        struct bh_import_stats *stats;
        char newest[40];
};

/* Makes (or replaces) the source row and clears what it had; sets imp->source_id. */
int import_source_begin(struct bh_vulndb_import *imp, const char *name, const char *kind,
                        const char *origin, struct bh_error *err);
int import_source_end(struct bh_vulndb_import *imp, struct bh_error *err);

struct vuln_row {
        const char *vid, *cve, *aliases, *summary, *severity, *cvss_vector, *modified, *url;
        double cvss;
};
struct affected_row {
        const char *ns, *pkg, *introduced, *fixed, *last_affected, *status;
};
/* Returns the new vuln's row id, or < 0. */
sqlite3_int64 import_vuln(struct bh_vulndb_import *imp, const struct vuln_row *v,
                          struct bh_error *err);
int import_affected(struct bh_vulndb_import *imp, sqlite3_int64 vuln, const struct affected_row *a,
                    struct bh_error *err);
