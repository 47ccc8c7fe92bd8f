/* The one result model: every command that judges (audit, lint, scan,
 * watch) fills a bh_report with findings, and one set of renderers writes it. */
#pragma once

#include "base/error.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum bh_status {
        BH_STATUS_PASS,
        BH_STATUS_FAIL,
        BH_STATUS_WARN,
        BH_STATUS_INFO,
        BH_STATUS_NA,
        BH_STATUS_MANUAL,
        BH_STATUS_ERROR,
        BH_STATUS_COUNT
};

enum bh_severity {
        BH_SEV_INFO,
        BH_SEV_LOW,
        BH_SEV_MEDIUM,
        BH_SEV_HIGH,
        BH_SEV_CRITICAL,
        BH_SEV_COUNT
};

enum bh_target_kind {
        BH_TARGET_HOST,
        BH_TARGET_DAEMON,
        BH_TARGET_FILE,
        BH_TARGET_CONTAINER,
        BH_TARGET_IMAGE,
        BH_TARGET_PACKAGE,
};

struct bh_target {
        enum bh_target_kind kind;
        char *id;   /* container or image id */
        char *name; /* container name, image reference, package name */
        char *path; /* file targets */
        unsigned line, column, end_line, end_column; /* 1-based; 0 = unknown */
};

struct bh_finding {
        char *id;   /* as the user knows it: "5.10", "DL3008", "CVE-2024-1234" */
        char *rule; /* stable internal name: "container-host-network" */
        char *title;
        char *section; /* "5"; NULL when the command has no sections */
        int level;     /* CIS profile level 1 or 2; 0 = none */
        enum bh_severity severity;
        enum bh_status status;
        struct bh_target target;
        char *message;
        char *remediation;
        char **references; /* NULL-terminated */
        json_t *extra;     /* command-specific members merged into the JSON result */
};

struct bh_section {
        char *id;
        char *title;
};

struct bh_report {
        char *command;
        double duration_ms;
        struct bh_finding *findings;
        size_t count, cap;
        struct bh_section *sections; /* in display order; may be empty */
        size_t nsections;
        json_t *meta; /* extra top-level JSON members ("cis_version", "host"), may be NULL */
};

const char *bh_status_name(enum bh_status s);
int bh_status_parse(const char *s, enum bh_status *out);
const char *bh_severity_name(enum bh_severity s);
int bh_severity_parse(const char *s, enum bh_severity *out);
const char *bh_target_kind_name(enum bh_target_kind k);

void bh_report_init(struct bh_report *r, const char *command);
void bh_report_free(struct bh_report *r);
/* Appends a zeroed finding owned by the report. */
struct bh_finding *bh_report_add(struct bh_report *r);
void bh_report_add_section(struct bh_report *r, const char *id, const char *title);
void bh_report_count(const struct bh_report *r, size_t counts[BH_STATUS_COUNT]);

/* Sets *field to a formatted, owned string (freeing the old one). */
void bh_set(char **field, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bh_finding_add_reference(struct bh_finding *f, const char *ref);
void bh_finding_free(struct bh_finding *f);

/* --fail-on: a status (fail, warn, info), a severity (low..critical: a fail of
 * at least that severity), or none. */
struct bh_threshold {
        bool by_severity;
        bool never;
        enum bh_status status;
        enum bh_severity severity;
};
int bh_threshold_parse(const char *s, struct bh_threshold *t);
bool bh_finding_meets(const struct bh_finding *f, const struct bh_threshold *t);
/* Number of findings that meet the threshold. */
size_t bh_report_failures(const struct bh_report *r, const struct bh_threshold *t);

enum bh_format {
        BH_FORMAT_TEXT,
        BH_FORMAT_JSON,
        BH_FORMAT_SARIF,
        BH_FORMAT_JUNIT,
        BH_FORMAT_HTML,
        BH_FORMAT_CHECKSTYLE,
        BH_FORMAT_GITLAB,
        BH_FORMAT_TABLE, /* terminals: one row per result (render_table.c) */
};
int bh_format_parse(const char *s, enum bh_format *out);

struct bh_render_options {
        const char *tool_version;
        bool color;                    /* text: ANSI colours */
        bool locations;                /* text: file:line:col lines instead of sections */
        struct bh_threshold threshold; /* JUnit: what counts as a failure */
};

int bh_render(const struct bh_report *r, enum bh_format fmt, FILE *out,
              const struct bh_render_options *opt, struct bh_error *err);

/* The individual renderers (render_*.c). */
json_t *bh_report_to_json(const struct bh_report *r, const struct bh_render_options *opt);
json_t *bh_report_to_sarif(const struct bh_report *r, const struct bh_render_options *opt);
int bh_render_text(const struct bh_report *r, FILE *out, const struct bh_render_options *opt);
int bh_render_junit(const struct bh_report *r, FILE *out, const struct bh_render_options *opt);
int bh_render_html(const struct bh_report *r, FILE *out, const struct bh_render_options *opt);
int bh_render_checkstyle(const struct bh_report *r, FILE *out, const struct bh_render_options *opt);
json_t *bh_report_to_gitlab(const struct bh_report *r, const struct bh_render_options *opt);
int bh_render_table(const struct bh_report *r, FILE *out, const struct bh_render_options *opt);

/* Escapes s for XML/HTML text and attributes. */
void bh_xml_escape(FILE *out, const char *s);
