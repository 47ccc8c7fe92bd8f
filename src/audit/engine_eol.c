#include "audit/engine_eol.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Upstream keeps one release branch maintained; the previous one gets fixes
 * for about a month after the next major ships. 20.10 was kept alive until
 * 2023-12-10. Dates of the first release of each major. */
static const struct {
        const char *major;
        const char *released;
        const char *eol; /* explicit end, else a month after the next major */
} releases[] = {
    {"17.03", "2017-03-01", "2017-07-01"},
    {"17.06", "2017-06-28", "2017-10-01"},
    {"17.09", "2017-09-26", "2018-01-01"},
    {"17.12", "2017-12-27", "2018-04-01"},
    {"18.03", "2018-03-21", "2018-08-01"},
    {"18.06", "2018-07-18", "2018-12-01"},
    {"18.09", "2018-11-08", "2019-08-22"},
    {"19.03", "2019-07-22", "2021-01-08"},
    {"20.10", "2020-12-08", "2023-12-10"},
    {"23", "2023-02-01", NULL},
    {"24", "2023-05-16", NULL},
    {"25", "2024-01-19", NULL},
    {"26", "2024-03-20", NULL},
    {"27", "2024-06-24", NULL},
    {"28", "2025-02-19", NULL},
    {"29", "2025-11-10", NULL},
};

static time_t parse_date(const char *d)
{
        struct tm tm = {0};
        if (!d || sscanf(d, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
                return 0;
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        return timegm(&tm);
}

static void month_after(const char *date, char out[11])
{
        int y = 0, m = 0, d = 0;
        sscanf(date, "%d-%d-%d", &y, &m, &d);
        if (++m > 12) {
                m = 1;
                y++;
        }
        snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
}

static bool distribution_build(const char *v)
{
        static const char *const marks[] = {"dfsg", "ubuntu", "deb", ".el",
                                            "fc",   "suse",   "~",   "-0"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(marks); i++)
                if (strstr(v, marks[i]))
                        return true;
        return false;
}

struct engine_support engine_support_of(const char *version, time_t now)
{
        struct engine_support s = {0};
        if (!version)
                return s;
        s.distribution = distribution_build(version);
        unsigned a = 0, b = 0;
        if (sscanf(version, "%u.%u", &a, &b) < 1)
                return s;
        if (a >= 23)
                snprintf(s.major, sizeof s.major, "%u", a);
        else
                snprintf(s.major, sizeof s.major, "%u.%02u", a, b);
        size_t n = BH_ARRAY_SIZE(releases);
        for (size_t i = 0; i < n; i++) {
                if (strcmp(releases[i].major, s.major) != 0)
                        continue;
                s.known = true;
                if (releases[i].eol)
                        snprintf(s.eol_date, sizeof s.eol_date, "%s", releases[i].eol);
                else if (i + 1 < n)
                        month_after(releases[i + 1].released, s.eol_date);
                if (s.eol_date[0])
                        s.eol = now >= parse_date(s.eol_date);
                return s;
        }
        /* Older than the table: long unmaintained. Newer: not judged here. */
        if (a < 17) {
                s.known = true;
                s.eol = true;
                snprintf(s.eol_date, sizeof s.eol_date, "2017-07-01");
        }
        return s;
}
