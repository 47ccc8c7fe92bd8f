#include "report/report.h"
#include "base/util.h"

#include <string.h>

struct junit_counts {
        size_t tests, failures, errors, skipped;
};

static bool is_skipped(enum bh_status s)
{
        return s == BH_STATUS_NA || s == BH_STATUS_MANUAL;
}

static struct junit_counts count_suite(const struct bh_report *r, const char *section,
                                       const struct bh_threshold *t)
{
        struct junit_counts c = {0};
        for (size_t i = 0; i < r->count; i++) {
                const struct bh_finding *f = &r->findings[i];
                if (section && !bh_streq(f->section, section))
                        continue;
                c.tests++;
                if (f->status == BH_STATUS_ERROR)
                        c.errors++;
                else if (bh_finding_meets(f, t))
                        c.failures++;
                else if (is_skipped(f->status))
                        c.skipped++;
        }
        return c;
}

static void put_testcase(FILE *out, const struct bh_finding *f, const char *suite,
                         const struct bh_threshold *t)
{
        fputs("    <testcase classname=\"", out);
        bh_xml_escape(out, suite);
        fputs("\" name=\"", out);
        bh_xml_escape(out, f->id);
        fputc(' ', out);
        bh_xml_escape(out, f->title);
        if (f->target.name || f->target.path) {
                fputs(" [", out);
                bh_xml_escape(out, f->target.name ? f->target.name : f->target.path);
                fputc(']', out);
        }
        fputs("\">\n", out);
        const char *msg = f->message ? f->message : "";
        if (f->status == BH_STATUS_ERROR) {
                fputs("      <error message=\"", out);
                bh_xml_escape(out, msg);
                fputs("\"/>\n", out);
        } else if (bh_finding_meets(f, t)) {
                fprintf(out, "      <failure type=\"%s\" message=\"", bh_status_name(f->status));
                bh_xml_escape(out, msg);
                fputs("\">", out);
                bh_xml_escape(out, f->remediation);
                fputs("</failure>\n", out);
        } else if (is_skipped(f->status)) {
                fputs("      <skipped message=\"", out);
                bh_xml_escape(out, msg);
                fputs("\"/>\n", out);
        } else if (f->message) {
                fputs("      <system-out>", out);
                fprintf(out, "%s: ", bh_status_name(f->status));
                bh_xml_escape(out, msg);
                fputs("</system-out>\n", out);
        }
        fputs("    </testcase>\n", out);
}

static void put_suite(FILE *out, const struct bh_report *r, const char *section, const char *title,
                      const struct bh_threshold *t)
{
        struct junit_counts c = count_suite(r, section, t);
        if (c.tests == 0)
                return;
        _cleanup_free_ char *name =
            section ? bh_xasprintf("%s %s", section, title) : bh_xstrdup(r->command);
        fputs("  <testsuite name=\"", out);
        bh_xml_escape(out, name);
        fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n", c.tests,
                c.failures, c.errors, c.skipped);
        for (size_t i = 0; i < r->count; i++)
                if (!section || bh_streq(r->findings[i].section, section))
                        put_testcase(out, &r->findings[i], name, t);
        fputs("  </testsuite>\n", out);
}

int bh_render_junit(const struct bh_report *r, FILE *out, const struct bh_render_options *opt)
{
        struct junit_counts all = count_suite(r, NULL, &opt->threshold);
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
        fprintf(out,
                "<testsuites name=\"bulkhead %s\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                "skipped=\"%zu\" time=\"%.3f\">\n",
                r->command, all.tests, all.failures, all.errors, all.skipped,
                r->duration_ms / 1000);
        if (r->nsections == 0) {
                put_suite(out, r, NULL, NULL, &opt->threshold);
        } else {
                for (size_t s = 0; s < r->nsections; s++)
                        put_suite(out, r, r->sections[s].id, r->sections[s].title, &opt->threshold);
        }
        fputs("</testsuites>\n", out);
        return 0;
}
