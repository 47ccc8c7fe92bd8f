/* Version ordering as each package manager orders versions: dpkg (Debian,
 * Ubuntu), apk (Alpine, Wolfi) and rpm (RHEL family, SUSE, Fedora, Amazon). */
#pragma once

#include <stdbool.h>

enum bh_version_scheme {
        BH_VERSION_DPKG,
        BH_VERSION_APK,
        BH_VERSION_RPM,
};

/* Negative, zero or positive as a orders before, equal to or after b. */
int bh_vercmp(enum bh_version_scheme scheme, const char *a, const char *b);

/* dpkg: [epoch:]upstream[-revision], compared part by part. */
int bh_dpkg_vercmp(const char *a, const char *b);
/* True when dpkg would accept the version string. */
bool bh_dpkg_version_valid(const char *v);

/* apk: digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}. */
int bh_apk_vercmp(const char *a, const char *b);
bool bh_apk_version_valid(const char *v);
/* apk's fuzzy match ("~"): a matches b when b's components are a prefix of a's. */
bool bh_apk_version_fuzzy_match(const char *a, const char *b);

/* rpm: one version or release string (rpmvercmp). */
int bh_rpm_segcmp(const char *a, const char *b);
/* rpm: [epoch:]version[-release], epoch first, then version, then release. */
int bh_rpm_vercmp(const char *a, const char *b);
