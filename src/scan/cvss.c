/* CVSS v3.0/v3.1 base scores from vector strings (FIRST's specification). */
#include "scan/vulndb.h"
#include "base/util.h"

#include <math.h>
#include <string.h>

static double roundup(double x)
{
        long long i = llround(x * 100000.0);
        if (i % 10000 == 0)
                return (double)i / 100000.0;
        return (double)(i / 10000 + 1) / 10.0;
}

/* The value letter of metric m in the vector, or 0. */
static char metric(const char *vector, const char *m)
{
        size_t n = strlen(m);
        for (const char *p = vector; (p = strstr(p, m));) {
                if ((p == vector || p[-1] == '/') && p[n] == ':')
                        return p[n + 1];
                p += n;
        }
        return 0;
}

double bh_cvss3_score(const char *vector)
{
        if (!vector || !bh_startswith(vector, "CVSS:3."))
                return -1;
        char av = metric(vector, "AV"), ac = metric(vector, "AC"), pr = metric(vector, "PR");
        char ui = metric(vector, "UI"), s = metric(vector, "S"), c = metric(vector, "C");
        char in = metric(vector, "I"), a = metric(vector, "A");
        double AV = av == 'N' ? 0.85 : av == 'A' ? 0.62 : av == 'L' ? 0.55 : av == 'P' ? 0.2 : -1;
        double AC = ac == 'L' ? 0.77 : ac == 'H' ? 0.44 : -1;
        bool changed = s == 'C';
        if (s != 'U' && s != 'C')
                return -1;
        double PR = pr == 'N'   ? 0.85
                    : pr == 'L' ? (changed ? 0.68 : 0.62)
                    : pr == 'H' ? (changed ? 0.5 : 0.27)
                                : -1;
        double UI = ui == 'N' ? 0.85 : ui == 'R' ? 0.62 : -1;
        double C = c == 'H' ? 0.56 : c == 'L' ? 0.22 : c == 'N' ? 0 : -1;
        double I = in == 'H' ? 0.56 : in == 'L' ? 0.22 : in == 'N' ? 0 : -1;
        double A = a == 'H' ? 0.56 : a == 'L' ? 0.22 : a == 'N' ? 0 : -1;
        if (AV < 0 || AC < 0 || PR < 0 || UI < 0 || C < 0 || I < 0 || A < 0)
                return -1;
        double iss = 1 - (1 - C) * (1 - I) * (1 - A);
        double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
        double expl = 8.22 * AV * AC * PR * UI;
        if (impact <= 0)
                return 0;
        double base = changed ? 1.08 * (impact + expl) : impact + expl;
        return roundup(base > 10 ? 10 : base);
}

const char *bh_cvss_severity(double score)
{
        if (score >= 9.0)
                return "critical";
        if (score >= 7.0)
                return "high";
        if (score >= 4.0)
                return "medium";
        return "low";
}
