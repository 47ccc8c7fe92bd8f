/* One self-contained HTML file: inline CSS and a few lines of inline script,
 * no external resources, so it can be archived as a CI artifact. */
#include "report/report.h"
#include "base/util.h"

#include <string.h>

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
    "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n";

static const char html_style[] =
    "<style>\n"
    "body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}\n"
    "header{background:#1d2330;color:#fff;padding:16px 28px}\n"
    "header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#c5cad6}\n"
    "main{padding:20px 28px}\n"
    "table{border-collapse:collapse;width:100%;background:#fff;margin-bottom:24px}\n"
    "th,td{border-bottom:1px solid #e3e6eb;padding:6px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#eceff3;font-weight:600}\n"
    ".num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".bar{display:flex;height:10px;width:180px;border-radius:3px;overflow:hidden;background:#"
    "e3e6eb}\n"
    ".bar span{display:block;height:100%}\n"
    ".s-pass{background:#2e9d57;color:#fff}.s-fail{background:#d23c3c;color:#fff}\n"
    ".s-warn{background:#e3a21a;color:#1d2330}.s-info{background:#2f86c9;color:#fff}\n"
    ".s-na,.s-manual{background:#9aa3b2;color:#fff}.s-error{background:#8d3fb8;color:#fff}\n"
    ".badge{display:inline-block;min-width:52px;text-align:center;border-radius:3px;"
    "padding:1px 6px;font-size:12px;font-weight:600;text-transform:uppercase}\n"
    ".fix{color:#4a5366}.target{color:#4a5366;font-family:monospace;font-size:12px}\n"
    "#filters label{margin-right:12px}\n"
    "</style>\n";

static const char html_script[] =
    "<script>\n"
    "document.querySelectorAll('#filters input').forEach(function(box){\n"
    "  box.addEventListener('change',function(){\n"
    "    document.querySelectorAll('tr.finding.st-'+box.value).forEach(function(row){\n"
    "      row.hidden=!box.checked;});});});\n"
    "</script>\n";

static void put_bar(FILE *out, const size_t c[BH_STATUS_COUNT])
{
        size_t total = 0;
        for (int s = 0; s < BH_STATUS_COUNT; s++)
                total += c[s];
        fputs("<div class=\"bar\">", out);
        for (int s = 0; s < BH_STATUS_COUNT && total; s++)
                if (c[s])
                        fprintf(out, "<span class=\"s-%s\" style=\"width:%.1f%%\"></span>",
                                bh_status_name((enum bh_status)s),
                                100.0 * (double)c[s] / (double)total);
        fputs("</div>", out);
}

static void put_score_row(FILE *out, const char *id, const char *title,
                          const size_t c[BH_STATUS_COUNT])
{
        size_t judged = c[BH_STATUS_PASS] + c[BH_STATUS_FAIL] + c[BH_STATUS_WARN];
        fputs("<tr><td>", out);
        bh_xml_escape(out, id);
        fputs("</td><td>", out);
        bh_xml_escape(out, title);
        fputs("</td>", out);
        for (int s = 0; s < BH_STATUS_COUNT; s++)
                fprintf(out, "<td class=\"num\">%zu</td>", c[s]);
        if (judged)
                fprintf(out, "<td class=\"num\">%.0f%%</td>",
                        100.0 * (double)c[BH_STATUS_PASS] / (double)judged);
        else
                fputs("<td class=\"num\">&ndash;</td>", out);
        fputs("<td>", out);
        put_bar(out, c);
        fputs("</td></tr>\n", out);
}

static void count_section(const struct bh_report *r, const char *sid, size_t c[BH_STATUS_COUNT])
{
        memset(c, 0, sizeof(size_t) * BH_STATUS_COUNT);
        for (size_t i = 0; i < r->count; i++)
                if (!sid || bh_streq(r->findings[i].section, sid))
                        c[r->findings[i].status]++;
}

static void put_scorecard(FILE *out, const struct bh_report *r)
{
        fputs("<h2>Scorecard</h2>\n<table id=\"scorecard\"><thead><tr><th>Section</th><th></th>",
              out);
        for (int s = 0; s < BH_STATUS_COUNT; s++)
                fprintf(out, "<th class=\"num\">%s</th>", bh_status_name((enum bh_status)s));
        fputs("<th class=\"num\">score</th><th></th></tr></thead><tbody>\n", out);
        size_t c[BH_STATUS_COUNT];
        for (size_t s = 0; s < r->nsections; s++) {
                count_section(r, r->sections[s].id, c);
                put_score_row(out, r->sections[s].id, r->sections[s].title, c);
        }
        count_section(r, NULL, c);
        put_score_row(out, "", "All", c);
        fputs("</tbody></table>\n", out);
}

static void put_finding_row(FILE *out, const struct bh_finding *f)
{
        const char *st = bh_status_name(f->status);
        fprintf(out,
                "<tr class=\"finding st-%s\"><td><span class=\"badge s-%s\">%s</span></td><td>", st,
                st, st);
        bh_xml_escape(out, f->id);
        fputs("</td><td>", out);
        bh_xml_escape(out, bh_severity_name(f->severity));
        fputs("</td><td><b>", out);
        bh_xml_escape(out, f->title);
        fputs("</b>", out);
        const struct bh_target *t = &f->target;
        if (t->name || t->path || t->id) {
                fprintf(out, "<div class=\"target\">%s ", bh_target_kind_name(t->kind));
                bh_xml_escape(out, t->path ? t->path : (t->name ? t->name : t->id));
                if (t->line)
                        fprintf(out, ":%u", t->line);
                fputs("</div>", out);
        }
        if (f->message) {
                fputs("<div>", out);
                bh_xml_escape(out, f->message);
                fputs("</div>", out);
        }
        if (f->remediation && (f->status == BH_STATUS_FAIL || f->status == BH_STATUS_WARN)) {
                fputs("<div class=\"fix\">Fix: ", out);
                bh_xml_escape(out, f->remediation);
                fputs("</div>", out);
        }
        fputs("</td></tr>\n", out);
}

int bh_render_html(const struct bh_report *r, FILE *out, const struct bh_render_options *opt)
{
        size_t total[BH_STATUS_COUNT];
        bh_report_count(r, total);
        fputs(html_head, out);
        fputs("<title>Bulkhead ", out);
        bh_xml_escape(out, r->command);
        fputs(" report</title>\n", out);
        fputs(html_style, out);
        fputs("</head>\n<body>\n<header><h1>Bulkhead ", out);
        bh_xml_escape(out, r->command);
        fputs("</h1><p>", out);
        fprintf(out, "%zu results in %.0f ms", r->count, r->duration_ms);
        for (int s = 0; s < BH_STATUS_COUNT; s++)
                fprintf(out, " &middot; %zu %s", total[s], bh_status_name((enum bh_status)s));
        fputs(" &middot; bulkhead ", out);
        bh_xml_escape(out, opt->tool_version);
        fputs("</p></header>\n<main>\n", out);
        if (r->nsections)
                put_scorecard(out, r);
        fputs("<h2>Findings</h2>\n<p id=\"filters\">", out);
        for (int s = 0; s < BH_STATUS_COUNT; s++)
                fprintf(out, "<label><input type=\"checkbox\" value=\"%s\" checked> %s</label>",
                        bh_status_name((enum bh_status)s), bh_status_name((enum bh_status)s));
        fputs("</p>\n<table id=\"findings\"><thead><tr><th>Status</th><th>Id</th><th>Severity</th>"
              "<th>Finding</th></tr></thead><tbody>\n",
              out);
        for (size_t i = 0; i < r->count; i++)
                put_finding_row(out, &r->findings[i]);
        fputs("</tbody></table>\n</main>\n", out);
        fputs(html_script, out);
        fputs("</body>\n</html>\n", out);
        return 0;
}
