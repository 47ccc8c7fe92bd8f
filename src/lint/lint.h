/* bulkhead lint: Dockerfile rules over the parse tree (dockerfile.h), with
 * hadolint-compatible DL rules, Bulkhead's own BH rules, ShellCheck on the
 * RUN scripts, pragmas and configuration files. Findings go into a
 * bh_report; nothing here prints. */
#pragma once

#include "base/buf.h"
#include "base/error.h"
#include "report/report.h"

#include <stdbool.h>
#include <stddef.h>

/* hadolint's levels; LINT_OFF rules run only when configured on. */
enum lint_level { LINT_ERROR, LINT_WARNING, LINT_INFO, LINT_STYLE, LINT_OFF };

const char *lint_level_name(enum lint_level l);
int lint_level_parse(const char *s, enum lint_level *out); /* "ignore"/"none" -> OFF */
/* What a level means in the shared model: status and severity. */
enum bh_status lint_level_status(enum lint_level l);
enum bh_severity lint_level_severity(enum lint_level l);

enum lint_label_type {
        LABEL_TEXT,
        LABEL_URL,
        LABEL_RFC3339,
        LABEL_SPDX,
        LABEL_HASH,
        LABEL_SEMVER,
        LABEL_EMAIL,
};

enum lint_digest_mode { DIGEST_ALL, DIGEST_FINAL, DIGEST_OFF };

struct lint_label_rule {
        char *name;
        enum lint_label_type type;
};

struct lint_override {
        char *id;
        enum lint_level level;
};

struct lint_config {
        char **ignored; /* rule ids never reported */
        struct lint_override *overrides;
        size_t noverrides;
        char **trusted_registries;      /* DL3026; empty = any registry */
        struct lint_label_rule *labels; /* label-schema */
        size_t nlabels;
        bool strict_labels;
        bool disable_ignore_pragma;
        bool has_failure_threshold;
        enum lint_level failure_threshold;
        bool no_shellcheck;
        enum lint_digest_mode digest; /* BH1003: which base images need a digest */
        char **loaded_from;           /* the configuration files read, for messages */
};

void lint_config_init(struct lint_config *c);
void lint_config_free(struct lint_config *c);
/* Reads a .hadolint.yaml or .bulkhead.yaml (same keys; Bulkhead's extra ones
 * are documented in docs/bulkhead-lint.1) on top of what c holds. */
int lint_config_load(struct lint_config *c, const char *path, struct bh_error *err);
/* Loads .bulkhead.yaml/.hadolint.yaml (or .yml) from dir when present. */
int lint_config_discover(struct lint_config *c, const char *dir, struct bh_error *err);
void lint_config_set_level(struct lint_config *c, const char *id, enum lint_level l);

struct lint_rule;
/* The rule table, in id order. */
const struct lint_rule *lint_rule_at(size_t i);
size_t lint_rule_count(void);
const struct lint_rule *lint_rule_find(const char *id);
const char *lint_rule_id(const struct lint_rule *r);
const char *lint_rule_title(const struct lint_rule *r);
enum lint_level lint_rule_level(const struct lint_rule *r);
/* docs/rules.md, generated from the table. */
void lint_rules_markdown(struct bh_buf *out);
/* One line a rule: id, level, title. */
void lint_rules_list(struct bh_buf *out);

/* Outside facts a rule may use; the CLI gathers them, rules do no I/O. */
struct lint_input {
        const char *path; /* as shown in findings */
        const char *data; /* the Dockerfile */
        size_t len;
        bool has_dockerignore; /* a .dockerignore sits beside it */
        bool context_known;    /* false for stdin: nothing known about the context */
};

/* How ShellCheck went, for the one-time notice about its absence. */
struct lint_shellcheck_state {
        const char *path; /* the program to run; NULL: look up "shellcheck" in PATH */
        char *found;      /* what the look-up found; free() it */
        bool looked_up, missing, warned;
        unsigned runs;
};

/* Lints one Dockerfile into r. A file that cannot be parsed gives one
 * finding with status error and returns -EINVAL with the message in err. */
int lint_dockerfile(const struct lint_input *in, const struct lint_config *cfg,
                    struct lint_shellcheck_state *sc, struct bh_report *r, struct bh_error *err);
