/* The vulnerability database: one SQLite file (by default
 * $XDG_CACHE_HOME/bulkhead/vuln.db) filled from OSV records, the Debian
 * Security Tracker's JSON and Alpine's secdb, and queried by advisory
 * namespace ("debian:12", "alpine:3.19"...) and source package name.
 *
 * Writes are atomic: an import works on a copy next to the database and
 * renames it over the old file only when everything went in, so a failed or
 * interrupted import leaves the old database whole. */
#pragma once

#include "base/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct bh_vulndb;

/* $XDG_CACHE_HOME/bulkhead/vuln.db, else ~/.cache/bulkhead/vuln.db. Caller frees. */
char *bh_vulndb_default_path(void);

/* Opens an existing database read-only; a missing file, a file that is not
 * SQLite and an SQLite file of another program get distinct messages. */
int bh_vulndb_open(const char *path, struct bh_vulndb **out, struct bh_error *err);
void bh_vulndb_close(struct bh_vulndb *db);

/* One affected range of one advisory for one package. */
struct bh_advisory {
        const char *id;      /* as the source names it: "CVE-2024-1", "DSA-5500-1", "ALPINE-..." */
        const char *cve;     /* the CVE it is about, when it names exactly one; may be NULL */
        const char *aliases; /* space-separated ids (aliases, upstream) */
        const char *summary;
        const char *severity; /* critical, high, medium, low, negligible, unknown */
        double cvss;          /* base score, 0 when unknown */
        const char *cvss_vector;
        const char *introduced;    /* NULL or "0": from the beginning */
        const char *fixed;         /* NULL: no fix */
        const char *last_affected; /* NULL: not given */
        const char *status;        /* for unfixed ones: affected, will_not_fix, fix_deferred... */
        const char *source;        /* the source it was imported from */
        const char *url;
};

typedef int (*bh_advisory_fn)(const struct bh_advisory *a, void *user);
/* Calls fn for every affected range of package pkg in namespace ns. */
int bh_vulndb_query(struct bh_vulndb *db, const char *ns, const char *pkg, bh_advisory_fn fn,
                    void *user, struct bh_error *err);
/* The severity and CVSS of a CVE from any source that knows it (to fill in
 * for sources such as Alpine's secdb that carry none). */
bool bh_vulndb_cve_severity(struct bh_vulndb *db, const char *cve, char **severity, double *cvss,
                            char **vector);

struct bh_vulndb_source {
        char *name;   /* "osv:Debian", "alpine-secdb:v3.19/main", "debian-tracker" */
        char *kind;   /* osv, alpine-secdb, debian-tracker */
        char *origin; /* the file or URL it came from */
        time_t imported;
        char *newest; /* the newest modification date in the data, when known */
        long long advisories, ranges;
};
struct bh_vulndb_info {
        struct bh_vulndb_source *sources;
        size_t n;
        long long advisories, ranges;
        int schema;
};
int bh_vulndb_info(struct bh_vulndb *db, struct bh_vulndb_info *out, struct bh_error *err);
void bh_vulndb_info_free(struct bh_vulndb_info *info);

/* --- writing --- */

struct bh_vulndb_import;

struct bh_import_stats {
        size_t files, advisories, ranges, skipped;
};

/* Starts an import into path (made, with its directory, when missing). A
 * database of an older schema is not carried over: the import starts afresh
 * and *old_schema (when not NULL) says which schema it replaces (else 0). */
int bh_vulndb_import_begin(const char *path, struct bh_vulndb_import **out, int *old_schema,
                           struct bh_error *err);
/* Imports one input: an OSV JSON file, a directory of them, an OSV
 * ecosystem zip, a Debian Security Tracker JSON or an Alpine secdb (JSON or
 * YAML), recognised by content. source_name overrides the name the source
 * is recorded under (re-importing a name replaces what it had). */
int bh_vulndb_import_path(struct bh_vulndb_import *imp, const char *path, const char *source_name,
                          struct bh_import_stats *stats, struct bh_error *err);
/* The same for bytes in memory (fuzzing, downloads). */
int bh_vulndb_import_data(struct bh_vulndb_import *imp, const char *data, size_t len,
                          const char *what, const char *source_name, struct bh_import_stats *stats,
                          struct bh_error *err);
/* The copy being written (for a signal handler that must remove it). */
const char *bh_vulndb_import_temp_path(const struct bh_vulndb_import *imp);
/* Makes the new database the one at path (atomically), or throws it away. */
int bh_vulndb_import_commit(struct bh_vulndb_import *imp, struct bh_error *err);
void bh_vulndb_import_abort(struct bh_vulndb_import *imp);

/* --- helpers shared with the matcher and tests --- */

/* "Debian:12" -> "debian:12", "Alpine:v3.18" -> "alpine:3.18", "Ubuntu:22.04:LTS" ->
 * "ubuntu:22.04", "Rocky Linux:9" -> "rocky:9"...; caller frees. */
char *bh_osv_namespace(const char *ecosystem);
/* The CVE an advisory id stands for: "CVE-2025-1" itself, and a
 * distribution's record of one ("UBUNTU-CVE-2025-1", "DEBIAN-CVE-2025-1")
 * that CVE (a pointer into id); NULL for any other id (DSA-, USN-, GHSA-). */
const char *bh_cve_named_by(const char *id);
/* CVSS v3.x base score of a vector ("CVSS:3.1/AV:N/..."); < 0 when unreadable. */
double bh_cvss3_score(const char *vector);
/* critical/high/medium/low for a CVSS score (none -> "low"). */
const char *bh_cvss_severity(double score);
