/* Checkstyle XML: one <file> per target path, one <error> per finding, as
 * read by Jenkins' warnings plugin, reviewdog and most CI dashboards. */
#include "report/report.h"
#include "base/util.h"

#include <string.h>

static const char *checkstyle_severity(const struct bh_finding *f)
{
        switch (f->status) {
        case BH_STATUS_FAIL:
        case BH_STATUS_ERROR:
                return "error";
        case BH_STATUS_WARN:
                return "warning";
        default:
                return "info";
        }
}

static bool reportable(const struct bh_finding *f)
{
        return f->status == BH_STATUS_FAIL || f->status == BH_STATUS_WARN ||
               f->status == BH_STATUS_INFO || f->status == BH_STATUS_ERROR;
}

static const char *target_name(const struct bh_finding *f)
{
        const struct bh_target *t = &f->target;
        return t->path ? t->path : (t->name ? t->name : (t->id ? t->id : "-"));
}

int bh_render_checkstyle(const struct bh_report *r, FILE *out, const struct bh_render_options *opt)
{
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n", out);
        bool *done = bh_xcalloc(r->count ? r->count : 1, sizeof(bool));
        for (size_t i = 0; i < r->count; i++) {
                if (done[i] || !reportable(&r->findings[i]))
                        continue;
                const char *name = target_name(&r->findings[i]);
                fputs("  <file name=\"", out);
                bh_xml_escape(out, name);
                fputs("\">\n", out);
                for (size_t j = i; j < r->count; j++) {
                        const struct bh_finding *f = &r->findings[j];
                        if (done[j] || !reportable(f) || strcmp(target_name(f), name) != 0)
                                continue;
                        done[j] = true;
                        fprintf(out, "    <error line=\"%u\"", f->target.line ? f->target.line : 1);
                        if (f->target.column)
                                fprintf(out, " column=\"%u\"", f->target.column);
                        fprintf(out, " severity=\"%s\" message=\"", checkstyle_severity(f));
                        bh_xml_escape(out, f->message ? f->message : f->title);
                        fputs("\" source=\"", out);
                        bh_xml_escape(out, f->id ? f->id : f->rule);
                        fputs("\"/>\n", out);
                }
                fputs("  </file>\n", out);
        }
        free(done);
        fputs("</checkstyle>\n", out);
        (void)opt;
        return 0;
}
