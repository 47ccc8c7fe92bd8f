#include "report/report.h"
#include "base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

static const char *const status_names[BH_STATUS_COUNT] = {
    "pass", "fail", "warn", "info", "na", "manual", "error",
};
static const char *const severity_names[BH_SEV_COUNT] = {
    "info", "low", "medium", "high", "critical",
};

const char *bh_status_name(enum bh_status s)
{
        return (unsigned)s < BH_STATUS_COUNT ? status_names[s] : "error";
}

int bh_status_parse(const char *s, enum bh_status *out)
{
        for (int i = 0; i < BH_STATUS_COUNT; i++)
                if (strcmp(s, status_names[i]) == 0) {
                        *out = (enum bh_status)i;
                        return 0;
                }
        return -EINVAL;
}

const char *bh_severity_name(enum bh_severity s)
{
        return (unsigned)s < BH_SEV_COUNT ? severity_names[s] : "info";
}

int bh_severity_parse(const char *s, enum bh_severity *out)
{
        for (int i = 0; i < BH_SEV_COUNT; i++)
                if (strcmp(s, severity_names[i]) == 0) {
                        *out = (enum bh_severity)i;
                        return 0;
                }
        return -EINVAL;
}

const char *bh_target_kind_name(enum bh_target_kind k)
{
        switch (k) {
        case BH_TARGET_HOST:
                return "host";
        case BH_TARGET_DAEMON:
                return "daemon";
        case BH_TARGET_FILE:
                return "file";
        case BH_TARGET_CONTAINER:
                return "container";
        case BH_TARGET_IMAGE:
                return "image";
        case BH_TARGET_PACKAGE:
                return "package";
        }
        return "host";
}

void bh_report_init(struct bh_report *r, const char *command)
{
        memset(r, 0, sizeof *r);
        r->command = bh_xstrdup(command);
}

void bh_finding_free(struct bh_finding *f)
{
        free(f->id);
        free(f->rule);
        free(f->title);
        free(f->section);
        free(f->target.id);
        free(f->target.name);
        free(f->target.path);
        free(f->message);
        free(f->remediation);
        bh_strv_free(f->references);
        json_decref(f->extra);
        memset(f, 0, sizeof *f);
}

void bh_report_free(struct bh_report *r)
{
        for (size_t i = 0; i < r->count; i++)
                bh_finding_free(&r->findings[i]);
        free(r->findings);
        for (size_t i = 0; i < r->nsections; i++) {
                free(r->sections[i].id);
                free(r->sections[i].title);
        }
        free(r->sections);
        free(r->command);
        json_decref(r->meta);
        memset(r, 0, sizeof *r);
}

struct bh_finding *bh_report_add(struct bh_report *r)
{
        if (r->count == r->cap) {
                r->cap = r->cap ? r->cap * 2 : 64;
                r->findings = bh_xreallocarray(r->findings, r->cap, sizeof *r->findings);
        }
        struct bh_finding *f = &r->findings[r->count++];
        memset(f, 0, sizeof *f);
        return f;
}

void bh_report_add_section(struct bh_report *r, const char *id, const char *title)
{
        r->sections = bh_xreallocarray(r->sections, r->nsections + 1, sizeof *r->sections);
        r->sections[r->nsections].id = bh_xstrdup(id);
        r->sections[r->nsections].title = bh_xstrdup(title);
        r->nsections++;
}

void bh_report_count(const struct bh_report *r, size_t counts[BH_STATUS_COUNT])
{
        memset(counts, 0, sizeof(size_t) * BH_STATUS_COUNT);
        for (size_t i = 0; i < r->count; i++)
                counts[r->findings[i].status]++;
}

void bh_set(char **field, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        char *s = NULL;
        if (vasprintf(&s, fmt, ap) < 0)
                abort();
        va_end(ap);
        free(*field);
        *field = s;
}

void bh_finding_add_reference(struct bh_finding *f, const char *ref)
{
        bh_strv_push(&f->references, ref);
}

int bh_threshold_parse(const char *s, struct bh_threshold *t)
{
        memset(t, 0, sizeof *t);
        if (strcmp(s, "none") == 0 || strcmp(s, "never") == 0) {
                t->never = true;
                return 0;
        }
        if (strcmp(s, "fail") == 0 || strcmp(s, "warn") == 0 || strcmp(s, "info") == 0)
                return bh_status_parse(s, &t->status);
        if (bh_severity_parse(s, &t->severity) == 0 && t->severity != BH_SEV_INFO) {
                t->by_severity = true;
                return 0;
        }
        return -EINVAL;
}

bool bh_finding_meets(const struct bh_finding *f, const struct bh_threshold *t)
{
        if (t->never)
                return false;
        if (t->by_severity)
                return f->status == BH_STATUS_FAIL && f->severity >= t->severity;
        switch (t->status) {
        case BH_STATUS_INFO:
                return f->status == BH_STATUS_FAIL || f->status == BH_STATUS_WARN ||
                       f->status == BH_STATUS_INFO;
        case BH_STATUS_WARN:
                return f->status == BH_STATUS_FAIL || f->status == BH_STATUS_WARN;
        default:
                return f->status == BH_STATUS_FAIL;
        }
}

size_t bh_report_failures(const struct bh_report *r, const struct bh_threshold *t)
{
        size_t n = 0;
        for (size_t i = 0; i < r->count; i++)
                n += bh_finding_meets(&r->findings[i], t);
        return n;
}

int bh_format_parse(const char *s, enum bh_format *out)
{
        static const struct {
                const char *name;
                enum bh_format fmt;
        } formats[] = {
            {"text", BH_FORMAT_TEXT},
            {"json", BH_FORMAT_JSON},
            {"sarif", BH_FORMAT_SARIF},
            {"junit", BH_FORMAT_JUNIT},
            {"html", BH_FORMAT_HTML},
            {"checkstyle", BH_FORMAT_CHECKSTYLE},
            {"gitlab", BH_FORMAT_GITLAB},
            {"gitlab-codequality", BH_FORMAT_GITLAB},
            {"gitlab_codeclimate", BH_FORMAT_GITLAB},
            {"table", BH_FORMAT_TABLE},
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(formats); i++)
                if (strcmp(s, formats[i].name) == 0) {
                        *out = formats[i].fmt;
                        return 0;
                }
        return -EINVAL;
}

static int dump_json(json_t *j, FILE *out, size_t flags)
{
        if (!j)
                return -ENOMEM;
        int r = json_dumpf(j, out, flags);
        json_decref(j);
        if (r == 0)
                fputc('\n', out);
        return r;
}

int bh_render(const struct bh_report *r, enum bh_format fmt, FILE *out,
              const struct bh_render_options *opt, struct bh_error *err)
{
        int rc = 0;
        switch (fmt) {
        case BH_FORMAT_TEXT:
                rc = bh_render_text(r, out, opt);
                break;
        case BH_FORMAT_JSON:
                rc = dump_json(bh_report_to_json(r, opt), out, JSON_COMPACT);
                break;
        case BH_FORMAT_SARIF:
                rc = dump_json(bh_report_to_sarif(r, opt), out, JSON_INDENT(2));
                break;
        case BH_FORMAT_JUNIT:
                rc = bh_render_junit(r, out, opt);
                break;
        case BH_FORMAT_HTML:
                rc = bh_render_html(r, out, opt);
                break;
        case BH_FORMAT_CHECKSTYLE:
                rc = bh_render_checkstyle(r, out, opt);
                break;
        case BH_FORMAT_GITLAB:
                rc = dump_json(bh_report_to_gitlab(r, opt), out, JSON_INDENT(2));
                break;
        case BH_FORMAT_TABLE:
                rc = bh_render_table(r, out, opt);
                break;
        }
        if (rc == 0 && (fflush(out) != 0 || ferror(out)))
                rc = -EIO;
        if (rc < 0)
                return bh_error_errno(err, errno ? errno : EIO, "cannot write the report");
        return 0;
}

void bh_xml_escape(FILE *out, const char *s)
{
        for (; s && *s; s++) {
                unsigned char c = (unsigned char)*s;
                switch (c) {
                case '<':
                        fputs("&lt;", out);
                        break;
                case '>':
                        fputs("&gt;", out);
                        break;
                case '&':
                        fputs("&amp;", out);
                        break;
                case '"':
                        fputs("&quot;", out);
                        break;
                case '\'':
                        fputs("&#39;", out);
                        break;
                default:
                        /* XML 1.0 forbids most control characters even as references. */
                        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
                                fputc('?', out);
                        else
                                fputc(c, out);
                }
        }
}
