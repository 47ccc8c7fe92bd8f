/* Scanning one image: OS and packages, vulnerabilities from the database,
 * configuration checks, suppressions (.bulkheadignore, OpenVEX); results are
 * findings in a bh_report. */
#pragma once

#include "base/error.h"
#include "report/report.h"
#include "scan/package.h"
#include "scan/vulndb.h"

#include <stdbool.h>
#include <time.h>

struct bh_image;
struct bh_suppressions;

struct bh_scan_options {
        struct bh_vulndb *db;  /* NULL: no vulnerability matching */
        bool ignore_unfixed;   /* leave out vulnerabilities without a fix */
        bool config_checks;    /* the image configuration checks */
        const char *ref;       /* the name the user gave the image */
        bool ref_is_name;      /* ref is an image name (engine, registry), not a path */
        time_t now;            /* for image age and ignore expiry; 0 = time(NULL) */
        unsigned max_age_days; /* image-age check; 0 = 90 */
        const struct bh_suppressions *suppress; /* may be NULL */
};

struct bh_scan_result {
        struct bh_os os;
        char *ns; /* advisory namespace, NULL when the OS is unknown */
        struct bh_package_list packages;
        char **warnings; /* for stderr */
        size_t vulnerabilities, suppressed;
};

/* Reads OS and packages (no database needed: also what `sbom` uses). */
int bh_scan_inventory(const struct bh_image *img, struct bh_scan_result *res, struct bh_error *err);
/* Inventory, then findings into report (which it does not init). */
int bh_scan_image(const struct bh_image *img, const struct bh_scan_options *opt,
                  struct bh_scan_result *res, struct bh_report *report, struct bh_error *err);
void bh_scan_result_free(struct bh_scan_result *res);

/* Adds the image configuration findings (run as root, secrets, setuid and
 * world-writable files, remote ADD, HEALTHCHECK, shell, latest tag, age). */
void bh_scan_config_checks(const struct bh_image *img, const struct bh_scan_options *opt,
                           struct bh_report *report);

/* --- suppressions --- */

/* .bulkheadignore: one rule a line,
 *     ID [package=NAME] [until=YYYY-MM-DD] [reason=TEXT...]
 * and OpenVEX documents whose not_affected / fixed statements hide a
 * vulnerability (for the products they name, or everywhere). */
struct bh_suppressions *bh_suppressions_new(void);
void bh_suppressions_free(struct bh_suppressions *s);
int bh_suppressions_load_ignore(struct bh_suppressions *s, const char *path, time_t now,
                                char ***warnings, struct bh_error *err);
int bh_suppressions_load_vex(struct bh_suppressions *s, const char *path, struct bh_error *err);
/* When the finding (id, aliases, package, source package) is suppressed,
 * returns the reason ("ignored until 2027-01-01: ...", "VEX not_affected: ..."). */
const char *bh_suppressed(const struct bh_suppressions *s, const char *id, const char *aliases,
                          const char *package, const char *source_package);

/* --- SBOM --- */

enum bh_sbom_format { BH_SBOM_CYCLONEDX, BH_SBOM_SPDX };
/* A package URL ("pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12"). */
char *bh_package_purl(const struct bh_package *p, const struct bh_os *os);
json_t *bh_sbom(const struct bh_image *img, const struct bh_scan_result *res,
                enum bh_sbom_format fmt, const char *ref, const char *tool_version, time_t now);
