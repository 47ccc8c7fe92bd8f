/* bulkhead audit: the CIS Docker Benchmark, and what else the ten security
 * steps need, judged on one snapshot of a live host. */
#pragma once

#include "audit/snapshot.h"
#include "base/error.h"
#include "report/report.h"

#include <stdbool.h>

enum audit_cis_version { AUDIT_CIS_1_6, AUDIT_CIS_1_7, AUDIT_CIS_1_8 };

struct audit_options {
        enum audit_cis_version cis_version;
        char **checks; /* --check patterns (ids or rule names, shell globs); NULL: all */
        char **skips;  /* --skip patterns */
        int level;     /* 1: level 1 only; 2 or 0: all */
        bool all_containers;
        char **trusted_users;
};

int audit_cis_version_parse(const char *s, enum audit_cis_version *out);
const char *audit_cis_version_name(enum audit_cis_version v);

/* Judges the snapshot into r (which gets the sections as well). */
void audit_judge(const struct audit_snapshot *s, const struct audit_options *o,
                 struct bh_report *r);

/* Whether any selected check needs image file lists (costly to gather). */
bool audit_needs_image_files(const struct audit_options *o);
/* Whether a check is selected by the options. */
struct audit_check;
bool audit_check_selected(const struct audit_check *ck, const struct audit_options *o);

/* Iterates over every check in display order; returns NULL past the end. */
const struct audit_check *audit_check_at(size_t i);
const char *audit_check_id(const struct audit_check *ck, enum audit_cis_version v);

/* Gathers the snapshot from the live host. host is the --host value or NULL. */
struct audit_gather_options {
        const char *host;
        const char *root; /* "/" */
        bool all_containers;
        bool image_files;
        bool no_cache; /* do not use or fill the cache of image file lists */
        long timeout_ms;
};
void audit_gather(struct audit_snapshot *s, const struct audit_gather_options *o);
