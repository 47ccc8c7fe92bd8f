/* bulkhead db: the vulnerability database (import, update, info) and a
 * version comparison helper. */
#include "cli/cli.h"
#include "base/json.h"
#include "base/util.h"
#include "scan/db_update.h"
#include "scan/version.h"
#include "scan/vulndb.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define OSV_BASE_URL "https://osv-vulnerabilities.storage.googleapis.com"

static const char *const default_ecosystems[] = {
    "Debian",  "Ubuntu", "Alpine",   "Rocky Linux", "AlmaLinux",
    "Red Hat", "SUSE",   "openSUSE", "Wolfi",       "Chainguard",
};

static void usage(FILE *out)
{
        fputs("Usage: bulkhead db COMMAND [OPTIONS]\n\n"
              "The vulnerability database used by 'bulkhead scan': one SQLite file, by default\n"
              "$XDG_CACHE_HOME/bulkhead/vuln.db (~/.cache/bulkhead/vuln.db).\n\n"
              "Commands:\n"
              "  import PATH...    import OSV records (a .json file, a directory, an ecosystem\n"
              "                    .zip as osv.dev publishes them), a Debian Security Tracker\n"
              "                    JSON, or an Alpine secdb (JSON or YAML)\n"
              "  update            download the OSV zips of the chosen ecosystems and import them\n"
              "  info              sources, counts and age of the data\n"
              "  compare SCHEME A B  compare two versions as dpkg, apk or rpm do (prints <, = or\n"
              "                    >); with A = '-', reads \"A B\" pairs from standard input\n\n"
              "Options:\n"
              "      --db PATH           the database file (env BULKHEAD_DB)\n"
              "      --name NAME         import: the source name to record (re-importing a name\n"
              "                          replaces what it had)\n"
              "      --ecosystem NAME    update: an OSV ecosystem (repeatable; default Debian,\n"
              "                          Ubuntu, Alpine, Rocky Linux, AlmaLinux, Red Hat, SUSE,\n"
              "                          openSUSE, Wolfi, Chainguard)\n"
              "      --url BASE          update: where the zips are (default " OSV_BASE_URL ";\n"
              "                          env BULKHEAD_OSV_URL)\n"
              "      --max-age DAYS      info: warn when the data is older (default 7)\n"
              "      --format text|json  info: output format\n"
              "  -h, --help              this help\n\n"
              "Updates are atomic: a failed or interrupted import or update leaves the old\n"
              "database as it was.\n",
              out);
}

enum {
        OPT_DB = CLI_OPT_FIRST_COMMAND_OPTION,
        OPT_NAME,
        OPT_ECOSYSTEM,
        OPT_URL,
        OPT_MAX_AGE,
        OPT_FORMAT,
};

struct db_opts {
        const char *db, *name, *url, *format;
        char **ecosystems;
        unsigned max_age;
};

/* Interrupted (Ctrl-C, SIGTERM): the database was never touched; remove the
 * half-written copy and the download beside it, then go. */
static char interrupted_tmp[2][4096];

static void on_interrupt(int sig)
{
        for (int i = 0; i < 2; i++)
                if (interrupted_tmp[i][0])
                        unlink(interrupted_tmp[i]);
        _exit(128 + sig);
}

static void guard_temp(int slot, const char *path)
{
        snprintf(interrupted_tmp[slot], sizeof interrupted_tmp[slot], "%s", path ? path : "");
        struct sigaction sa = {.sa_handler = on_interrupt};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
}

static void print_stats(const char *what, const struct bh_import_stats *s, double ms)
{
        fprintf(stderr, "%s: %zu files, %zu advisories, %zu affected ranges in %.1f s\n", what,
                s->files, s->advisories, s->ranges, ms / 1000);
}

/* Starts an import into path (a copy beside it, removed if we are
 * interrupted); NULL when it cannot, having said why. */
static struct bh_vulndb_import *begin_import(const char *path)
{
        struct bh_error err = {0};
        struct bh_vulndb_import *imp = NULL;
        int old_schema = 0;
        if (bh_vulndb_import_begin(path, &imp, &old_schema, &err) < 0) {
                cli_error("%s", err.msg);
                return NULL;
        }
        if (old_schema)
                cli_error("warning: %s is of an older schema (%d): it is replaced by what this "
                          "run imports; import its other sources again",
                          path, old_schema);
        guard_temp(0, bh_vulndb_import_temp_path(imp));
        return imp;
}

static int db_import(struct db_opts *o, int argc, char **argv)
{
        if (argc == 0)
                return cli_usage_error("db", "import: name a file, directory or zip");
        _cleanup_free_ char *path = cli_db_path(o->db);
        struct bh_error err = {0};
        struct bh_vulndb_import *imp = begin_import(path);
        if (!imp)
                return BH_EXIT_FAILED;
        for (int i = 0; i < argc; i++) {
                struct bh_import_stats st = {0};
                double t0 = bh_now_ms();
                if (bh_vulndb_import_path(imp, argv[i], o->name, &st, &err) < 0) {
                        cli_error("%s", err.msg);
                        cli_error("nothing was imported; %s is unchanged", path);
                        bh_vulndb_import_abort(imp);
                        return BH_EXIT_FAILED;
                }
                print_stats(argv[i], &st, bh_now_ms() - t0);
        }
        if (bh_vulndb_import_commit(imp, &err) < 0) {
                cli_error("%s", err.msg);
                return BH_EXIT_FAILED;
        }
        return BH_EXIT_OK;
}

struct progress {
        const char *name;
        double last;
};

static void show_progress(uint64_t now, uint64_t total, void *user)
{
        struct progress *p = user;
        double t = bh_now_ms();
        if (t - p->last < 100 && !(total && now == total))
                return;
        p->last = t;
        if (total)
                fprintf(stderr, "\r%-12s %6.1f / %.1f MiB %3d%%", p->name, now / 1048576.0,
                        total / 1048576.0, (int)(now * 100 / total));
        else
                fprintf(stderr, "\r%-12s %6.1f MiB", p->name, now / 1048576.0);
}

static int db_update(struct db_opts *o)
{
        _cleanup_free_ char *path = cli_db_path(o->db);
        const char *base = o->url ? o->url : getenv("BULKHEAD_OSV_URL");
        if (!base || !*base)
                base = OSV_BASE_URL;
        struct bh_error err = {0};
        struct bh_vulndb_import *imp = begin_import(path);
        if (!imp)
                return BH_EXIT_FAILED;
        bool tty = isatty(STDERR_FILENO);
        size_t n = o->ecosystems ? bh_strv_len(o->ecosystems) : BH_ARRAY_SIZE(default_ecosystems);
        for (size_t i = 0; i < n; i++) {
                const char *eco = o->ecosystems ? o->ecosystems[i] : default_ecosystems[i];
                _cleanup_free_ char *url = bh_osv_zip_url(base, eco);
                _cleanup_free_ char *tmp = bh_xasprintf("%s.download-%d", path, (int)getpid());
                struct progress p = {.name = eco};
                guard_temp(1, tmp);
                if (bh_download(url, tmp, tty ? show_progress : NULL, &p, &err) < 0) {
                        if (tty)
                                fputc('\n', stderr);
                        cli_error("%s", err.msg);
                        cli_error("update failed; %s is unchanged", path);
                        bh_vulndb_import_abort(imp);
                        return BH_EXIT_FAILED;
                }
                if (tty)
                        fputc('\n', stderr);
                _cleanup_free_ char *name = bh_xasprintf("osv:%s", eco);
                struct bh_import_stats st = {0};
                double t0 = bh_now_ms();
                int rc = bh_vulndb_import_path(imp, tmp, name, &st, &err);
                unlink(tmp);
                if (rc < 0) {
                        cli_error("%s: %s", url, err.msg);
                        cli_error("update failed; %s is unchanged", path);
                        bh_vulndb_import_abort(imp);
                        return BH_EXIT_FAILED;
                }
                print_stats(eco, &st, bh_now_ms() - t0);
        }
        if (bh_vulndb_import_commit(imp, &err) < 0) {
                cli_error("%s", err.msg);
                return BH_EXIT_FAILED;
        }
        fprintf(stderr, "updated %s\n", path);
        return BH_EXIT_OK;
}

static int db_info(struct db_opts *o)
{
        _cleanup_free_ char *path = cli_db_path(o->db);
        struct bh_error err = {0};
        struct bh_vulndb *db = NULL;
        if (bh_vulndb_open(path, &db, &err) < 0) {
                cli_error("%s", err.msg);
                return BH_EXIT_FAILED;
        }
        struct bh_vulndb_info info;
        int rc = bh_vulndb_info(db, &info, &err);
        bh_vulndb_close(db);
        if (rc < 0) {
                cli_error("%s", err.msg);
                return BH_EXIT_FAILED;
        }
        time_t now = time(NULL);
        time_t oldest = 0;
        for (size_t i = 0; i < info.n; i++)
                if (!oldest || info.sources[i].imported < oldest)
                        oldest = info.sources[i].imported;
        long age_days = oldest ? (long)((now - oldest) / 86400) : -1;
        bool stale = age_days > (long)o->max_age;
        if (o->format && strcmp(o->format, "json") == 0) {
                json_t *root = json_pack("{s:s, s:i, s:I, s:I, s:b}", "path", path, "schema",
                                         info.schema, "advisories", (json_int_t)info.advisories,
                                         "ranges", (json_int_t)info.ranges, "stale", stale);
                json_t *arr = json_array();
                for (size_t i = 0; i < info.n; i++) {
                        const struct bh_vulndb_source *s = &info.sources[i];
                        json_t *j =
                            json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "name", s->name, "kind",
                                      s->kind, "imported", (json_int_t)s->imported, "age_days",
                                      (json_int_t)((now - s->imported) / 86400), "advisories",
                                      (json_int_t)s->advisories, "ranges", (json_int_t)s->ranges);
                        if (s->origin)
                                json_object_set_new(j, "origin", json_string(s->origin));
                        if (s->newest)
                                json_object_set_new(j, "newest", json_string(s->newest));
                        json_array_append_new(arr, j);
                }
                json_object_set_new(root, "sources", arr);
                char *s = json_dumps(root, JSON_INDENT(2));
                puts(s);
                free(s);
                json_decref(root);
        } else {
                printf("database: %s (schema %d)\n", path, info.schema);
                printf("%lld advisories, %lld affected package ranges, %zu sources\n\n",
                       info.advisories, info.ranges, info.n);
                printf("%-34s %-15s %10s %10s %-12s %s\n", "SOURCE", "KIND", "ADVISORIES", "RANGES",
                       "IMPORTED", "NEWEST RECORD");
                for (size_t i = 0; i < info.n; i++) {
                        const struct bh_vulndb_source *s = &info.sources[i];
                        char when[16];
                        struct tm tm;
                        gmtime_r(&s->imported, &tm);
                        strftime(when, sizeof when, "%Y-%m-%d", &tm);
                        printf("%-34s %-15s %10lld %10lld %-12s %.10s\n", s->name, s->kind,
                               s->advisories, s->ranges, when, s->newest ? s->newest : "-");
                }
        }
        if (info.n == 0)
                cli_error("warning: %s holds no advisories: run 'bulkhead db update'", path);
        else if (stale)
                cli_error("warning: the data is %ld days old (more than %u): run 'bulkhead db "
                          "update'",
                          age_days, o->max_age);
        bh_vulndb_info_free(&info);
        return BH_EXIT_OK;
}

static int parse_scheme(const char *s, enum bh_version_scheme *out)
{
        if (strcmp(s, "dpkg") == 0 || strcmp(s, "deb") == 0)
                *out = BH_VERSION_DPKG;
        else if (strcmp(s, "apk") == 0)
                *out = BH_VERSION_APK;
        else if (strcmp(s, "rpm") == 0)
                *out = BH_VERSION_RPM;
        else
                return -1;
        return 0;
}

static char cmp_char(int r)
{
        return r < 0 ? '<' : r > 0 ? '>' : '=';
}

static int db_compare(int argc, char **argv)
{
        enum bh_version_scheme scheme;
        if (argc < 2 || parse_scheme(argv[0], &scheme) < 0)
                return cli_usage_error("db", "compare dpkg|apk|rpm A B (or - for pairs on stdin)");
        if (strcmp(argv[1], "-") == 0) {
                char a[1024], b[1024];
                while (scanf("%1023s %1023s", a, b) == 2)
                        printf("%s %c %s\n", a, cmp_char(bh_vercmp(scheme, a, b)), b);
                return BH_EXIT_OK;
        }
        if (argc != 3)
                return cli_usage_error("db", "compare dpkg|apk|rpm A B");
        printf("%c\n", cmp_char(bh_vercmp(scheme, argv[1], argv[2])));
        return BH_EXIT_OK;
}

/* One option of `bulkhead db`, before or after the subcommand: 0 when taken,
 * -1 after printing the help, or the usage exit code. */
static int db_option(struct db_opts *o, int c, const char *arg)
{
        switch (c) {
        case 'h':
                usage(stdout);
                return -1;
        case OPT_DB:
                o->db = arg;
                return 0;
        case OPT_NAME:
                o->name = arg;
                return 0;
        case OPT_ECOSYSTEM:
                bh_strv_push(&o->ecosystems, arg);
                return 0;
        case OPT_URL:
                o->url = arg;
                return 0;
        case OPT_MAX_AGE:
                o->max_age = (unsigned)strtoul(arg, NULL, 10);
                return 0;
        case OPT_FORMAT:
                o->format = arg;
                if (strcmp(arg, "json") != 0 && strcmp(arg, "text") != 0)
                        return cli_usage_error("db", "--format: text or json");
                return 0;
        default:
                return cli_usage_error("db", "unknown option");
        }
}

int cmd_db(int argc, char **argv)
{
        static const struct option longopts[] = {
            {"db", required_argument, NULL, OPT_DB},
            {"name", required_argument, NULL, OPT_NAME},
            {"ecosystem", required_argument, NULL, OPT_ECOSYSTEM},
            {"url", required_argument, NULL, OPT_URL},
            {"max-age", required_argument, NULL, OPT_MAX_AGE},
            {"format", required_argument, NULL, OPT_FORMAT},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
        };
        struct db_opts o = {.max_age = 7};
        int c, r;
        optind = 1;
        /* options may come before or after the subcommand */
        while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
                if ((r = db_option(&o, c, optarg)) != 0)
                        goto early;
                if (optind < argc && argv[optind][0] != '-')
                        break;
        }
        if (optind >= argc) {
                r = cli_usage_error("db", "name a command: import, update, info or compare");
                goto early;
        }
        const char *sub = argv[optind];
        /* the subcommand's own arguments, options allowed among them */
        int sargc = argc - optind;
        char **sargv = argv + optind;
        optind = 1;
        while ((c = getopt_long(sargc, sargv, "h", longopts, NULL)) != -1)
                if ((r = db_option(&o, c, optarg)) != 0)
                        goto early;
        int rest = sargc - optind;
        char **restv = sargv + optind;
        int rc;
        if (strcmp(sub, "import") == 0)
                rc = db_import(&o, rest, restv);
        else if (strcmp(sub, "update") == 0)
                rc = db_update(&o);
        else if (strcmp(sub, "info") == 0)
                rc = db_info(&o);
        else if (strcmp(sub, "compare") == 0)
                rc = db_compare(rest, restv);
        else
                rc = cli_usage_error("db",
                                     "'%s' is not a db command (import, update, info, "
                                     "compare)",
                                     sub);
        bh_strv_free(o.ecosystems);
        return rc;
early: /* --help or a usage error; r is the exit code */
        bh_strv_free(o.ecosystems);
        return r == -1 ? BH_EXIT_OK : r;
}
