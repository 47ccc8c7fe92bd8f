/* .hadolint.yaml and .bulkhead.yaml: the same keys (hadolint's), plus
 * Bulkhead's digest-pinning and shellcheck. Unknown keys are ignored so a
 * file written for a newer hadolint still loads. */
#include "lint/lint.h"
#include "base/file.h"
#include "base/util.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#define CONFIG_MAX (1u << 20)

void lint_config_init(struct lint_config *c)
{
        memset(c, 0, sizeof *c);
        c->failure_threshold = LINT_INFO;
}

void lint_config_free(struct lint_config *c)
{
        bh_strv_free(c->ignored);
        for (size_t i = 0; i < c->noverrides; i++)
                free(c->overrides[i].id);
        free(c->overrides);
        bh_strv_free(c->trusted_registries);
        for (size_t i = 0; i < c->nlabels; i++)
                free(c->labels[i].name);
        free(c->labels);
        bh_strv_free(c->loaded_from);
        memset(c, 0, sizeof *c);
}

void lint_config_set_level(struct lint_config *c, const char *id, enum lint_level l)
{
        c->overrides = bh_xreallocarray(c->overrides, c->noverrides + 1, sizeof *c->overrides);
        c->overrides[c->noverrides].id = bh_xstrdup(id);
        c->overrides[c->noverrides].level = l;
        c->noverrides++;
}

static const char *scalar(yaml_document_t *d, yaml_node_t *n)
{
        (void)d;
        return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static bool yaml_bool(const char *s, bool *out)
{
        if (!s)
                return false;
        if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 || strcmp(s, "1") == 0) {
                *out = true;
                return true;
        }
        if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 || strcmp(s, "0") == 0) {
                *out = false;
                return true;
        }
        return false;
}

/* Scalars of a sequence (or a single scalar) appended to *v. */
static int string_list(yaml_document_t *d, yaml_node_t *n, char ***v, const char *path,
                       const char *key, struct bh_error *err)
{
        if (n->type == YAML_SCALAR_NODE) {
                bh_strv_push(v, scalar(d, n));
                return 0;
        }
        if (n->type != YAML_SEQUENCE_NODE)
                return bh_error_set(err, EINVAL, "%s: line %zu: %s must be a list", path,
                                    n->start_mark.line + 1, key);
        for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++) {
                const char *s = scalar(d, yaml_document_get_node(d, *it));
                if (!s)
                        return bh_error_set(err, EINVAL, "%s: line %zu: %s must list strings", path,
                                            n->start_mark.line + 1, key);
                bh_strv_push(v, s);
        }
        return 0;
}

static int label_type_parse(const char *s, enum lint_label_type *t)
{
        static const struct {
                const char *name;
                enum lint_label_type t;
        } types[] = {{"text", LABEL_TEXT},  {"url", LABEL_URL},   {"rfc3339", LABEL_RFC3339},
                     {"spdx", LABEL_SPDX},  {"hash", LABEL_HASH}, {"semver", LABEL_SEMVER},
                     {"email", LABEL_EMAIL}};
        for (size_t i = 0; i < BH_ARRAY_SIZE(types); i++)
                if (s && strcasecmp(s, types[i].name) == 0) {
                        *t = types[i].t;
                        return 0;
                }
        return -EINVAL;
}

static int apply_key(struct lint_config *c, yaml_document_t *d, const char *key, yaml_node_t *v,
                     const char *path, struct bh_error *err)
{
        size_t line = v->start_mark.line + 1;
        if (strcmp(key, "ignored") == 0)
                return string_list(d, v, &c->ignored, path, key, err);
        if (strcmp(key, "trustedRegistries") == 0 || strcmp(key, "trusted-registries") == 0)
                return string_list(d, v, &c->trusted_registries, path, key, err);
        if (strcmp(key, "override") == 0) {
                if (v->type != YAML_MAPPING_NODE)
                        return bh_error_set(err, EINVAL,
                                            "%s: line %zu: override must map levels "
                                            "to lists of rule ids",
                                            path, line);
                for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
                     p < v->data.mapping.pairs.top; p++) {
                        const char *lvl = scalar(d, yaml_document_get_node(d, p->key));
                        enum lint_level l;
                        if (!lvl || lint_level_parse(lvl, &l) < 0)
                                return bh_error_set(err, EINVAL,
                                                    "%s: line %zu: override: unknown level \"%s\" "
                                                    "(error, warning, info, style)",
                                                    path, line, lvl ? lvl : "?");
                        _cleanup_strv_ char **ids = NULL;
                        int rc = string_list(d, yaml_document_get_node(d, p->value), &ids, path,
                                             lvl, err);
                        if (rc < 0)
                                return rc;
                        for (size_t i = 0; ids && ids[i]; i++)
                                lint_config_set_level(c, ids[i], l);
                }
                return 0;
        }
        if (strcmp(key, "failure-threshold") == 0) {
                const char *s = scalar(d, v);
                if (!s || lint_level_parse(s, &c->failure_threshold) < 0)
                        return bh_error_set(err, EINVAL,
                                            "%s: line %zu: failure-threshold: expected error, "
                                            "warning, info, style, ignore or none",
                                            path, line);
                c->has_failure_threshold = true;
                return 0;
        }
        if (strcmp(key, "label-schema") == 0) {
                if (v->type != YAML_MAPPING_NODE)
                        return bh_error_set(err, EINVAL,
                                            "%s: line %zu: label-schema must map label names to "
                                            "types",
                                            path, line);
                for (yaml_node_pair_t *p = v->data.mapping.pairs.start;
                     p < v->data.mapping.pairs.top; p++) {
                        const char *name = scalar(d, yaml_document_get_node(d, p->key));
                        const char *type = scalar(d, yaml_document_get_node(d, p->value));
                        enum lint_label_type t;
                        if (!name || label_type_parse(type, &t) < 0)
                                return bh_error_set(err, EINVAL,
                                                    "%s: line %zu: label-schema: %s: expected "
                                                    "text, url, rfc3339, spdx, hash, semver or "
                                                    "email",
                                                    path, line, name ? name : "?");
                        c->labels = bh_xreallocarray(c->labels, c->nlabels + 1, sizeof *c->labels);
                        c->labels[c->nlabels].name = bh_xstrdup(name);
                        c->labels[c->nlabels].type = t;
                        c->nlabels++;
                }
                return 0;
        }
        bool *flag = NULL;
        bool no_shellcheck_inverted = false;
        if (strcmp(key, "strict-labels") == 0)
                flag = &c->strict_labels;
        else if (strcmp(key, "disable-ignore-pragma") == 0)
                flag = &c->disable_ignore_pragma;
        else if (strcmp(key, "shellcheck") == 0) {
                flag = &c->no_shellcheck;
                no_shellcheck_inverted = true;
        }
        if (flag) {
                bool b;
                if (!yaml_bool(scalar(d, v), &b))
                        return bh_error_set(err, EINVAL, "%s: line %zu: %s: expected true or false",
                                            path, line, key);
                *flag = no_shellcheck_inverted ? !b : b;
                return 0;
        }
        if (strcmp(key, "digest-pinning") == 0) {
                const char *s = scalar(d, v);
                if (s && strcmp(s, "all") == 0)
                        c->digest = DIGEST_ALL;
                else if (s && strcmp(s, "final") == 0)
                        c->digest = DIGEST_FINAL;
                else if (s && (strcmp(s, "off") == 0 || strcmp(s, "false") == 0))
                        c->digest = DIGEST_OFF;
                else
                        return bh_error_set(err, EINVAL,
                                            "%s: line %zu: digest-pinning: expected all, final "
                                            "or off",
                                            path, line);
                return 0;
        }
        /* hadolint keys that concern its own output (format, no-color, no-fail,
         * verbose) and unknown keys are accepted and ignored */
        return 0;
}

static int load_text(struct lint_config *c, const char *path, const char *data, size_t len,
                     struct bh_error *err)
{
        yaml_parser_t parser;
        yaml_document_t doc;
        if (!yaml_parser_initialize(&parser))
                return bh_error_set(err, ENOMEM, "%s: cannot start the YAML parser", path);
        yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
        if (!yaml_parser_load(&parser, &doc)) {
                int rc = bh_error_set(err, EINVAL, "%s: line %zu: %s", path,
                                      parser.problem_mark.line + 1,
                                      parser.problem ? parser.problem : "invalid YAML");
                yaml_parser_delete(&parser);
                return rc;
        }
        int rc = 0;
        yaml_node_t *root = yaml_document_get_root_node(&doc);
        if (root && root->type == YAML_MAPPING_NODE) {
                for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
                     p < root->data.mapping.pairs.top && rc == 0; p++) {
                        const char *key = scalar(&doc, yaml_document_get_node(&doc, p->key));
                        yaml_node_t *v = yaml_document_get_node(&doc, p->value);
                        if (key && v)
                                rc = apply_key(c, &doc, key, v, path, err);
                }
        } else if (root && !(root->type == YAML_SCALAR_NODE && !*root->data.scalar.value)) {
                rc = bh_error_set(err, EINVAL, "%s: expected a mapping of settings", path);
        }
        yaml_document_delete(&doc);
        yaml_parser_delete(&parser);
        if (rc == 0)
                bh_strv_push(&c->loaded_from, path);
        return rc;
}

int lint_config_load(struct lint_config *c, const char *path, struct bh_error *err)
{
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        int rc = bh_read_file(path, CONFIG_MAX, &data, &len, err);
        if (rc < 0)
                return rc;
        return load_text(c, path, data, len, err);
}

int lint_config_discover(struct lint_config *c, const char *dir, struct bh_error *err)
{
        /* hadolint's file first, Bulkhead's on top of it */
        static const char *const names[] = {".hadolint.yaml", ".hadolint.yml", ".bulkhead.yaml",
                                            ".bulkhead.yml"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(names); i++) {
                _cleanup_free_ char *p = bh_path_join(dir, names[i]);
                struct stat st;
                if (stat(p, &st) < 0 || !S_ISREG(st.st_mode))
                        continue;
                int rc = lint_config_load(c, p, err);
                if (rc < 0)
                        return rc;
        }
        return 0;
}
