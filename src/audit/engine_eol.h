/* Docker Engine releases and when upstream stopped maintaining them. */
#pragma once

#include <stdbool.h>
#include <time.h>

struct engine_support {
        bool known;        /* the major version is in the table */
        bool eol;          /* upstream no longer maintains it at `now` */
        bool distribution; /* a distribution's build (+dfsg, ubuntu, el...): fixes may be backported
                            */
        char eol_date[11]; /* YYYY-MM-DD when known */
        char major[16];    /* "20.10", "27" */
};

/* Judges a ServerVersion string ("20.10.24+dfsg1", "27.3.1") at time now. */
struct engine_support engine_support_of(const char *version, time_t now);
