/* A compact table for terminals: vulnerabilities one a row (package,
 * installed, fixed, id, severity, title), then the other findings that are
 * not passes. */
#include "report/report.h"
#include "base/json.h"
#include "base/util.h"

#include <string.h>

static const char *sev_colour(enum bh_severity s)
{
        switch (s) {
        case BH_SEV_CRITICAL:
                return "\033[1;31m";
        case BH_SEV_HIGH:
                return "\033[31m";
        case BH_SEV_MEDIUM:
                return "\033[33m";
        case BH_SEV_LOW:
                return "\033[36m";
        default:
                return "\033[2m";
        }
}

static int width(const char *s)
{
        return s ? (int)strlen(s) : 0;
}

static void cell(FILE *out, const char *s, int w, int max)
{
        if (!s)
                s = "";
        if (w > max)
                w = max;
        if ((int)strlen(s) > w)
                fprintf(out, "%-*.*s~ ", w - 1, w - 1, s);
        else
                fprintf(out, "%-*s ", w, s);
}

int bh_render_table(const struct bh_report *r, FILE *out, const struct bh_render_options *opt)
{
        int wp = 7, wi = 9, wf = 5, wid = 2, ws = 8;
        size_t nv = 0, no = 0;
        for (size_t i = 0; i < r->count; i++) {
                const struct bh_finding *f = &r->findings[i];
                const char *fixed = bh_json_str(f->extra, "fixed_version");
                if (!bh_json_str(f->extra, "installed_version")) {
                        if (f->status != BH_STATUS_PASS && f->status != BH_STATUS_NA)
                                no++;
                        continue;
                }
                nv++;
                wp = width(bh_json_str(f->extra, "package")) > wp
                         ? width(bh_json_str(f->extra, "package"))
                         : wp;
                wi = width(bh_json_str(f->extra, "installed_version")) > wi
                         ? width(bh_json_str(f->extra, "installed_version"))
                         : wi;
                wf = width(fixed) > wf ? width(fixed) : wf;
                wid = width(f->id) > wid ? width(f->id) : wid;
        }
        if (nv) {
                if (opt->color)
                        fputs("\033[1m", out);
                cell(out, "PACKAGE", wp, 32);
                cell(out, "INSTALLED", wi, 28);
                cell(out, "FIXED", wf, 28);
                cell(out, "ID", wid, 24);
                cell(out, "SEVERITY", ws, 10);
                fputs("TITLE\n", out);
                if (opt->color)
                        fputs("\033[0m", out);
        }
        for (size_t i = 0; i < r->count; i++) {
                const struct bh_finding *f = &r->findings[i];
                if (!bh_json_str(f->extra, "installed_version"))
                        continue;
                const char *fixed = bh_json_str(f->extra, "fixed_version");
                const char *sev = bh_json_str(f->extra, "severity");
                cell(out, bh_json_str(f->extra, "package"), wp, 32);
                cell(out, bh_json_str(f->extra, "installed_version"), wi, 28);
                cell(out, fixed ? fixed : "-", wf, 28);
                cell(out, f->id, wid, 24);
                if (opt->color)
                        fputs(sev_colour(f->severity), out);
                cell(out, sev ? sev : bh_severity_name(f->severity), ws, 10);
                if (opt->color)
                        fputs("\033[0m", out);
                fprintf(out, "%.70s\n", f->title ? f->title : "");
        }
        if (no) {
                fprintf(out, "%s%-18s %-8s %-8s %s\n", nv ? "\n" : "", "CHECK", "STATUS",
                        "SEVERITY", "MESSAGE");
                for (size_t i = 0; i < r->count; i++) {
                        const struct bh_finding *f = &r->findings[i];
                        if (bh_json_str(f->extra, "installed_version") ||
                            f->status == BH_STATUS_PASS || f->status == BH_STATUS_NA)
                                continue;
                        fprintf(out, "%-18s %-8s %-8s %s\n", f->id ? f->id : "",
                                bh_status_name(f->status), bh_severity_name(f->severity),
                                f->message ? f->message : "");
                }
        }
        size_t counts[BH_SEV_COUNT] = {0};
        for (size_t i = 0; i < r->count; i++)
                if (bh_json_str(r->findings[i].extra, "installed_version"))
                        counts[r->findings[i].severity]++;
        fprintf(out,
                "\n%zu vulnerabilities (critical %zu, high %zu, medium %zu, low %zu, info %zu)", nv,
                counts[BH_SEV_CRITICAL], counts[BH_SEV_HIGH], counts[BH_SEV_MEDIUM],
                counts[BH_SEV_LOW], counts[BH_SEV_INFO]);
        fprintf(out, ", %zu other findings\n", no);
        return 0;
}
