#include "report/report.h"
#include "base/util.h"

#include <string.h>

#define ANSI_RESET "\033[0m"
#define ANSI_BOLD "\033[1m"
#define ANSI_DIM "\033[2m"

static const char *status_colour(enum bh_status s)
{
        switch (s) {
        case BH_STATUS_PASS:
                return "\033[32m";
        case BH_STATUS_FAIL:
                return "\033[1;31m";
        case BH_STATUS_WARN:
                return "\033[33m";
        case BH_STATUS_INFO:
                return "\033[36m";
        case BH_STATUS_ERROR:
                return "\033[35m";
        default:
                return "\033[2m";
        }
}

static void put_status(FILE *out, enum bh_status s, bool color)
{
        char label[8];
        const char *name = bh_status_name(s);
        size_t i;
        for (i = 0; i < sizeof label - 1 && name[i]; i++)
                label[i] = (char)(name[i] - ('a' - 'A'));
        label[i] = '\0';
        if (color)
                fprintf(out, "%s%-6s" ANSI_RESET, status_colour(s), label);
        else
                fprintf(out, "%-6s", label);
}

static void put_target(FILE *out, const struct bh_target *t)
{
        switch (t->kind) {
        case BH_TARGET_CONTAINER:
        case BH_TARGET_IMAGE:
        case BH_TARGET_PACKAGE:
                fprintf(out, " [%s %s]", bh_target_kind_name(t->kind),
                        t->name ? t->name : (t->id ? t->id : "?"));
                break;
        case BH_TARGET_FILE:
                if (t->path)
                        fprintf(out, " [%s]", t->path);
                break;
        default:
                break;
        }
}

static void put_finding(FILE *out, const struct bh_finding *f, bool color)
{
        fputs("  ", out);
        put_status(out, f->status, color);
        fprintf(out, " %-7s %s", f->id ? f->id : "", f->title ? f->title : "");
        put_target(out, &f->target);
        fputc('\n', out);
        if (f->message && f->status != BH_STATUS_PASS)
                fprintf(out, "%s         %s%s\n", color ? ANSI_DIM : "", f->message,
                        color ? ANSI_RESET : "");
        if (f->remediation && (f->status == BH_STATUS_FAIL || f->status == BH_STATUS_WARN))
                fprintf(out, "         fix: %s\n", f->remediation);
}

static void put_summary(FILE *out, const struct bh_report *r, bool color)
{
        size_t counts[BH_STATUS_COUNT];
        bh_report_count(r, counts);
        fprintf(out, "\n%s%zu results:%s", color ? ANSI_BOLD : "", r->count,
                color ? ANSI_RESET : "");
        for (int s = 0; s < BH_STATUS_COUNT; s++)
                fprintf(out, "%s %zu %s", s ? "," : "", counts[s],
                        bh_status_name((enum bh_status)s));
        fprintf(out, " (%.0f ms)\n", r->duration_ms);
}

static void render_locations(const struct bh_report *r, FILE *out,
                             const struct bh_render_options *opt)
{
        for (size_t i = 0; i < r->count; i++) {
                const struct bh_finding *f = &r->findings[i];
                const struct bh_target *t = &f->target;
                if (opt->color)
                        fputs(ANSI_BOLD, out);
                fprintf(out, "%s", t->path ? t->path : (t->name ? t->name : "-"));
                if (t->line)
                        fprintf(out, ":%u", t->line);
                if (t->column)
                        fprintf(out, ":%u", t->column);
                if (opt->color)
                        fputs(ANSI_RESET, out);
                fputs(": ", out);
                const char *sev = bh_severity_name(f->severity);
                if (opt->color)
                        fprintf(out, "%s%s" ANSI_RESET, status_colour(f->status), sev);
                else
                        fputs(sev, out);
                fprintf(out, " %s: %s\n", f->id ? f->id : "", f->message ? f->message : f->title);
        }
}

int bh_render_text(const struct bh_report *r, FILE *out, const struct bh_render_options *opt)
{
        if (opt->locations) {
                render_locations(r, out, opt);
                return 0;
        }
        bool *shown = bh_xcalloc(r->count, sizeof(bool));
        for (size_t s = 0; s <= r->nsections; s++) {
                const char *sid = s < r->nsections ? r->sections[s].id : NULL;
                bool header = false;
                for (size_t i = 0; i < r->count; i++) {
                        const struct bh_finding *f = &r->findings[i];
                        if (shown[i] || (sid && !bh_streq(f->section, sid)))
                                continue;
                        if (!header) {
                                if (sid)
                                        fprintf(out, "%s%s %s%s\n", opt->color ? ANSI_BOLD : "",
                                                sid, r->sections[s].title,
                                                opt->color ? ANSI_RESET : "");
                                else if (r->nsections)
                                        fprintf(out, "%sOther%s\n", opt->color ? ANSI_BOLD : "",
                                                opt->color ? ANSI_RESET : "");
                                header = true;
                        }
                        shown[i] = true;
                        put_finding(out, f, opt->color);
                }
        }
        free(shown);
        put_summary(out, r, opt->color);
        return 0;
}
