/* Installed packages and the operating system of an image, read from the
 * files the image walker kept. Each package format is one file (pkg_*.c) and
 * one row in the table of package_formats[] (packages.c).
 *
 * Language packages plug in the same way: a format value, a parser file, a
 * row naming the files it reads (site-packages METADATA, package-lock.json,
 * Go build info...), and a version scheme. The database already keeps OSV
 * records of language ecosystems under their lower-case name ("pypi", "npm",
 * "go"), which is the namespace such packages would be matched in. */
#pragma once

#include "base/error.h"
#include "scan/version.h"

#include <stdbool.h>
#include <stddef.h>

struct bh_image;

enum bh_pkg_format {
        BH_PKG_DPKG,
        BH_PKG_APK,
        BH_PKG_RPM,
};

struct bh_package {
        char *name;
        char *version; /* as the package manager writes it, with epoch where it has one */
        char *arch;
        char *source_name;    /* dpkg Source, apk origin, rpm SOURCERPM name; never NULL */
        char *source_version; /* never NULL */
        char *license;        /* may be NULL */
        char *maintainer;     /* may be NULL */
        enum bh_pkg_format format;
        int layer;     /* index of the image layer that brought it; -1 unknown */
        char *db_path; /* the database it was read from: "var/lib/dpkg/status" */
};

struct bh_package_list {
        struct bh_package *v;
        size_t n, cap;
};

struct bh_package *bh_package_add(struct bh_package_list *l);
void bh_package_list_free(struct bh_package_list *l);
const char *bh_pkg_format_name(enum bh_pkg_format f);
enum bh_version_scheme bh_pkg_format_scheme(enum bh_pkg_format f);

/* Parsers, each on the bytes of one database file; `what` names it in errors.
 * They append to out and return 0, or -errno with err set when the file is
 * not what it should be. */
int bh_dpkg_parse(const char *data, size_t len, const char *what, struct bh_package_list *out,
                  struct bh_error *err);
/* One file of the distroless var/lib/dpkg/status.d/: a stanza without Status
 * is an installed package there. */
int bh_dpkg_parse_statusd(const char *data, size_t len, const char *what,
                          struct bh_package_list *out, struct bh_error *err);
int bh_apk_parse(const char *data, size_t len, const char *what, struct bh_package_list *out,
                 struct bh_error *err);
/* rpm: any of the three database formats (SQLite, Berkeley DB hash, NDB),
 * recognised by content. */
int bh_rpmdb_parse(const char *data, size_t len, const char *what, struct bh_package_list *out,
                   struct bh_error *err);
/* One rpm header blob (the il/dl form stored in the databases). */
int bh_rpm_header_parse(const unsigned char *blob, size_t len, const char *what,
                        struct bh_package_list *out, struct bh_error *err);

/* The operating system. */
struct bh_os {
        char *id;         /* os-release ID: "debian", "ubuntu", "alpine", "rhel", "rocky", ... */
        char *version_id; /* "12", "22.04", "3.19.1", "9.3" */
        char *codename;   /* "bookworm", "jammy" when known */
        char *pretty_name;
        char *id_like;
        char *source; /* the file it came from */
        bool eol;     /* reserved */
};

void bh_os_free(struct bh_os *os);
/* Reads os-release (etc/ then usr/lib/) and the distribution release files
 * (debian_version, alpine-release, redhat-release, centos-release,
 * SuSE-release, lsb-release...). Unknown is not an error: id stays NULL. */
void bh_os_detect(const struct bh_image *img, struct bh_os *os);
/* The advisory namespace for this OS ("debian:12", "ubuntu:22.04",
 * "alpine:3.19", "rhel:9"...); NULL when unknown. Caller frees. */
char *bh_os_namespace(const struct bh_os *os);

/* Which paths the scanner needs the content of (for bh_image_options.want). */
bool bh_scan_wants(const char *path, void *user);

/* Reads every package database in the image; warnings (a damaged database
 * next to good ones) are appended to *warnings. Returns < 0 only when a
 * database exists and none could be read. */
int bh_packages_read(const struct bh_image *img, struct bh_package_list *out, char ***warnings,
                     struct bh_error *err);
