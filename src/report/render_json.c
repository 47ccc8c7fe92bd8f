#include "report/report.h"

#include <math.h>

static void set_str(json_t *o, const char *key, const char *v)
{
        if (v)
                json_object_set_new(o, key, json_string(v));
}

static json_t *target_to_json(const struct bh_target *t)
{
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_string(bh_target_kind_name(t->kind)));
        set_str(o, "id", t->id);
        set_str(o, "name", t->name);
        set_str(o, "path", t->path);
        if (t->line)
                json_object_set_new(o, "line", json_integer(t->line));
        if (t->column)
                json_object_set_new(o, "column", json_integer(t->column));
        if (t->end_line)
                json_object_set_new(o, "end_line", json_integer(t->end_line));
        if (t->end_column)
                json_object_set_new(o, "end_column", json_integer(t->end_column));
        return o;
}

static json_t *finding_to_json(const struct bh_finding *f)
{
        json_t *o = json_object();
        set_str(o, "id", f->id);
        set_str(o, "rule", f->rule);
        set_str(o, "title", f->title);
        set_str(o, "section", f->section);
        if (f->level)
                json_object_set_new(o, "level", json_integer(f->level));
        json_object_set_new(o, "severity", json_string(bh_severity_name(f->severity)));
        json_object_set_new(o, "status", json_string(bh_status_name(f->status)));
        json_object_set_new(o, "target", target_to_json(&f->target));
        set_str(o, "message", f->message);
        set_str(o, "remediation", f->remediation);
        json_t *refs = json_array();
        for (size_t i = 0; f->references && f->references[i]; i++)
                json_array_append_new(refs, json_string(f->references[i]));
        json_object_set_new(o, "references", refs);
        if (json_is_object(f->extra))
                json_object_update(o, f->extra);
        return o;
}

json_t *bh_report_to_json(const struct bh_report *r, const struct bh_render_options *opt)
{
        json_t *root = json_object();
        json_t *tool = json_object();
        json_object_set_new(tool, "name", json_string("bulkhead"));
        json_object_set_new(tool, "version",
                            json_string(opt->tool_version ? opt->tool_version : ""));
        json_object_set_new(root, "tool", tool);
        json_object_set_new(root, "command", json_string(r->command));
        json_object_set_new(root, "duration_ms", json_real(round(r->duration_ms * 10) / 10));
        if (json_is_object(r->meta))
                json_object_update(root, r->meta);
        size_t counts[BH_STATUS_COUNT];
        bh_report_count(r, counts);
        json_t *summary = json_object();
        for (int s = 0; s < BH_STATUS_COUNT; s++)
                json_object_set_new(summary, bh_status_name((enum bh_status)s),
                                    json_integer((json_int_t)counts[s]));
        json_object_set_new(root, "summary", summary);
        json_t *results = json_array();
        for (size_t i = 0; i < r->count; i++)
                json_array_append_new(results, finding_to_json(&r->findings[i]));
        json_object_set_new(root, "results", results);
        return root;
}
