#include "report/report.h"
#include "base/util.h"

#include <string.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define BULKHEAD_URI "https://github.com/bulkhead-security/bulkhead"

static const char *sarif_rule_id(const struct bh_finding *f)
{
        return f->rule ? f->rule : (f->id ? f->id : "unknown");
}

/* GitHub code scanning ranks security results by this 0-10 score. */
static const char *security_severity(enum bh_severity s)
{
        static const char *const scores[BH_SEV_COUNT] = {"0.0", "3.0", "5.5", "8.0", "9.5"};
        return scores[s];
}

static const char *sarif_level(const struct bh_finding *f)
{
        if (f->status == BH_STATUS_FAIL)
                return f->severity >= BH_SEV_HIGH ? "error" : "warning";
        if (f->status == BH_STATUS_WARN)
                return "warning";
        return "note";
}

static json_t *sarif_rule(const struct bh_finding *f)
{
        json_t *rule = json_object();
        json_object_set_new(rule, "id", json_string(sarif_rule_id(f)));
        if (f->id && f->rule)
                json_object_set_new(rule, "name", json_string(f->id));
        char *text =
            bh_xasprintf("%s%s%s", f->id && f->rule ? f->id : "", f->id && f->rule ? " " : "",
                         f->title ? f->title : sarif_rule_id(f));
        json_object_set_new(rule, "shortDescription", json_pack("{s:s}", "text", text));
        json_object_set_new(rule, "fullDescription", json_pack("{s:s}", "text", text));

        free(text);
        if (f->remediation)
                json_object_set_new(rule, "help", json_pack("{s:s}", "text", f->remediation));
        json_object_set_new(rule, "defaultConfiguration",
                            json_pack("{s:s}", "level", sarif_level(f)));
        json_t *tags = json_pack("[s]", "security");
        json_object_set_new(rule, "properties",
                            json_pack("{s:o,s:s}", "tags", tags, "security-severity",
                                      security_severity(f->severity)));
        return rule;
}

static json_t *sarif_location(const struct bh_finding *f)
{
        const struct bh_target *t = &f->target;
        json_t *phys = json_object();
        char *uri;
        if (t->kind == BH_TARGET_FILE && t->path)
                uri = bh_xstrdup(t->path[0] == '/' ? t->path + 1 : t->path);
        else
                uri = bh_xasprintf("%s/%s", bh_target_kind_name(t->kind),
                                   t->name ? t->name : (t->id ? t->id : "local"));
        json_object_set_new(phys, "artifactLocation", json_pack("{s:s}", "uri", uri));
        json_t *region = json_object();
        json_object_set_new(region, "startLine", json_integer(t->line ? t->line : 1));
        if (t->column)
                json_object_set_new(region, "startColumn", json_integer(t->column));
        if (t->end_line)
                json_object_set_new(region, "endLine", json_integer(t->end_line));
        if (t->end_column)
                json_object_set_new(region, "endColumn", json_integer(t->end_column));
        json_object_set_new(phys, "region", region);
        json_t *loc = json_object();
        json_object_set_new(loc, "physicalLocation", phys);
        if (t->kind != BH_TARGET_FILE)
                json_object_set_new(
                    loc, "logicalLocations",
                    json_pack("[{s:s,s:s}]", "name", uri, "kind", bh_target_kind_name(t->kind)));
        free(uri);
        return loc;
}

json_t *bh_report_to_sarif(const struct bh_report *r, const struct bh_render_options *opt)
{
        json_t *rules = json_array(), *results = json_array(), *notes = json_array();
        json_t *rule_index = json_object();
        for (size_t i = 0; i < r->count; i++) {
                const struct bh_finding *f = &r->findings[i];
                const char *rid = sarif_rule_id(f);
                if (!json_object_get(rule_index, rid)) {
                        json_object_set_new(rule_index, rid,
                                            json_integer((json_int_t)json_array_size(rules)));
                        json_array_append_new(rules, sarif_rule(f));
                }
                if (f->status == BH_STATUS_ERROR) {
                        json_array_append_new(notes, json_pack("{s:s,s:{s:s}}", "level", "error",
                                                               "message", "text",
                                                               f->message ? f->message : rid));
                        continue;
                }
                if (f->status != BH_STATUS_FAIL && f->status != BH_STATUS_WARN &&
                    f->status != BH_STATUS_INFO)
                        continue;
                json_t *res = json_object();
                json_object_set_new(res, "ruleId", json_string(rid));
                json_object_set(res, "ruleIndex", json_object_get(rule_index, rid));
                json_object_set_new(res, "level", json_string(sarif_level(f)));
                json_object_set_new(
                    res, "message",
                    json_pack("{s:s}", "text",
                              f->message ? f->message : (f->title ? f->title : rid)));
                json_object_set_new(res, "locations", json_pack("[o]", sarif_location(f)));
                char *fp = bh_xasprintf("%s/%s/%s", rid, bh_target_kind_name(f->target.kind),
                                        f->target.id ? f->target.id
                                                     : (f->target.path ? f->target.path : "-"));
                json_object_set_new(res, "partialFingerprints",
                                    json_pack("{s:s}", "bulkhead/v1", fp));
                free(fp);
                json_array_append_new(results, res);
        }
        json_decref(rule_index);
        json_t *driver = json_pack("{s:s,s:s,s:s,s:o}", "name", "bulkhead", "version",
                                   opt->tool_version ? opt->tool_version : "", "informationUri",
                                   BULKHEAD_URI, "rules", rules);
        json_t *invocation =
            json_pack("{s:b,s:o}", "executionSuccessful", 1, "toolExecutionNotifications", notes);
        json_t *run = json_pack("{s:{s:o},s:o,s:[o]}", "tool", "driver", driver, "results", results,
                                "invocations", invocation);
        return json_pack("{s:s,s:s,s:[o]}", "$schema", SARIF_SCHEMA, "version", "2.1.0", "runs",
                         run);
}
