/* GitLab code quality: a JSON array of Code Climate issues. GitLab needs a
 * fingerprint that stays the same for the same problem between runs. */
#include "report/report.h"
#include "base/util.h"

#include <stdint.h>
#include <string.h>

static const char *gitlab_severity(enum bh_severity s)
{
        static const char *const names[BH_SEV_COUNT] = {"info", "minor", "major", "critical",
                                                        "blocker"};
        return (unsigned)s < BH_SEV_COUNT ? names[s] : "info";
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
        for (; s && *s; s++) {
                h ^= (unsigned char)*s;
                h *= 0x100000001b3ULL;
        }
        return h ^ 0xff; /* separates consecutive fields */
}

json_t *bh_report_to_gitlab(const struct bh_report *r, const struct bh_render_options *opt)
{
        json_t *arr = json_array();
        for (size_t i = 0; i < r->count; i++) {
                const struct bh_finding *f = &r->findings[i];
                if (f->status != BH_STATUS_FAIL && f->status != BH_STATUS_WARN &&
                    f->status != BH_STATUS_INFO && f->status != BH_STATUS_ERROR)
                        continue;
                const struct bh_target *t = &f->target;
                const char *path = t->path ? t->path : (t->name ? t->name : "-");
                char line[16];
                snprintf(line, sizeof line, "%u", t->line);
                uint64_t a = 0xcbf29ce484222325ULL, b = 0x84222325cbf29ce4ULL;
                const char *parts[] = {f->id, path, line, f->message};
                for (size_t k = 0; k < BH_ARRAY_SIZE(parts); k++) {
                        a = fnv1a(a, parts[k]);
                        b = fnv1a(b, parts[k]);
                }
                char fp[33];
                snprintf(fp, sizeof fp, "%016llx%016llx", (unsigned long long)a,
                         (unsigned long long)b);
                json_t *lines = json_pack("{s:i}", "begin", t->line ? t->line : 1);
                if (t->end_line)
                        json_object_set_new(lines, "end", json_integer(t->end_line));
                json_t *issue = json_pack(
                    "{s:s,s:s,s:s,s:s,s:[s],s:{s:s,s:o}}", "type", "issue", "check_name",
                    f->id ? f->id : (f->rule ? f->rule : "bulkhead"), "description",
                    f->message ? f->message : (f->title ? f->title : ""), "severity",
                    f->status == BH_STATUS_ERROR ? "blocker" : gitlab_severity(f->severity),
                    "categories", "Security", "location", "path", path, "lines", lines);
                json_object_set_new(issue, "fingerprint", json_string(fp));
                json_array_append_new(arr, issue);
        }
        (void)opt;
        return arr;
}
