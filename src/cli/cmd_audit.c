/* bulkhead audit: the CIS Docker Benchmark against this host's live engine. */
#include "audit/audit.h"
#include "audit/checks.h"
#include "base/util.h"
#include "cli/cli.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char audit_usage[] =
    "Usage: bulkhead audit [OPTIONS]\n"
    "\n"
    "Checks this Docker host against the CIS Docker Benchmark (sections 1 to 7)\n"
    "and the parts of the ten security steps a live host shows: the seccomp filter\n"
    "each container really runs under, containers and images running as root, user\n"
    "namespaces, rootless readiness and content trust. Run it as root: what cannot\n"
    "be read is reported as an error, never guessed.\n"
    "\n"
    "Selection:\n"
    "  --check PATTERN      only checks whose id or rule matches (e.g. '5.*', 2.14,\n"
    "                       container-host-network, 5 for a section); repeatable\n"
    "  --skip PATTERN       leave out matching checks; repeatable\n"
    "  --level 1|2          1: level-1 checks only; 2: both levels (default)\n"
    "  --cis-version V      numbering of 1.6 (default), 1.7 or 1.8\n"
    "  --all                also audit containers that are not running\n"
    "  --trusted-users LIST comma-separated users allowed in the docker group (1.1.2)\n"
    "  --list               print the selected checks and exit (with --format json:\n"
    "                       the catalogue, with remediation)\n"
    "\n"
    "Engine:\n"
    "  -H, --host ADDR      the daemon (unix:///path or tcp://host:port); default:\n"
    "                       DOCKER_HOST, the current docker context, the system\n"
    "                       socket, then rootless and Podman sockets\n"
    "  --timeout SECONDS    per request to the daemon (default 10)\n"
    "  --root DIR           read the host's files under DIR (an offline host image)\n"
    "  --no-cache           read every image's files afresh (4.8); by default the\n"
    "                       answer is cached by image id under $XDG_CACHE_HOME\n"
    "\n"
    "Output:\n"
    "  --format FORMAT      text (default), json, sarif, junit or html\n"
    "  -o, --output FILE    write the report to FILE instead of stdout\n"
    "  --fail-on LEVEL      exit 1 when a result is at or above LEVEL: fail (default),\n"
    "                       warn, info, a severity (low, medium, high, critical: fails\n"
    "                       of at least that severity) or none\n"
    "  --no-color           no colour in text output (also: NO_COLOR=1)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage error,\n"
    "3 the audit could not run.\n";

enum {
        OPT_CHECK = CLI_OPT_FIRST_COMMAND_OPTION,
        OPT_SKIP,
        OPT_LEVEL,
        OPT_CIS,
        OPT_ALL,
        OPT_TRUSTED,
        OPT_LIST,
        OPT_TIMEOUT,
        OPT_ROOT,
        OPT_NO_CACHE,
};

static void split_into(char ***v, const char *arg)
{
        _cleanup_free_ char *copy = bh_xstrdup(arg);
        char *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
                if (*bh_strstrip(t))
                        bh_strv_push(v, t);
}

static const char *scope_name(enum audit_scope s)
{
        static const char *const names[] = {"host",      "daemon", "engine",
                                            "container", "image",  "swarm"};
        return names[s];
}

/* The catalogue as JSON: what docs/checks.md is generated from. */
static void list_checks_json(const struct audit_options *o)
{
        json_t *list = json_array();
        for (size_t i = 0; audit_check_at(i); i++) {
                const struct audit_check *ck = audit_check_at(i);
                if (!audit_check_selected(ck, o))
                        continue;
                json_t *e =
                    json_pack("{s:s,s:s,s:s?,s:s?,s:i,s:s,s:s,s:s,s:s}", "id",
                              audit_check_id(ck, o->cis_version), "rule", ck->rule, "cis_1_6",
                              ck->cis16, "cis_1_8", ck->cis18, "level", ck->level, "severity",
                              bh_severity_name(ck->severity), "scope", scope_name(ck->scope),
                              "title", ck->title, "remediation", ck->remediation);
                json_array_append_new(list, e);
        }
        json_dumpf(list, stdout, JSON_INDENT(1));
        fputc('\n', stdout);
        json_decref(list);
}

static void list_checks(const struct audit_options *o, enum bh_format fmt)
{
        if (fmt == BH_FORMAT_JSON) {
                list_checks_json(o);
                return;
        }
        printf("%-8s %-40s %-5s %s\n", "ID", "RULE", "LEVEL", "TITLE");
        for (size_t i = 0; audit_check_at(i); i++) {
                const struct audit_check *ck = audit_check_at(i);
                if (!audit_check_selected(ck, o))
                        continue;
                printf("%-8s %-40s %-5u %s\n", audit_check_id(ck, o->cis_version), ck->rule,
                       ck->level, ck->title);
        }
}

int cmd_audit(int argc, char **argv)
{
        static const struct option longopts[] = {
            CLI_OUTPUT_LONG_OPTIONS,
            {"check", required_argument, NULL, OPT_CHECK},
            {"skip", required_argument, NULL, OPT_SKIP},
            {"level", required_argument, NULL, OPT_LEVEL},
            {"cis-version", required_argument, NULL, OPT_CIS},
            {"all", no_argument, NULL, OPT_ALL},
            {"trusted-users", required_argument, NULL, OPT_TRUSTED},
            {"list", no_argument, NULL, OPT_LIST},
            {"host", required_argument, NULL, 'H'},
            {"timeout", required_argument, NULL, OPT_TIMEOUT},
            {"root", required_argument, NULL, OPT_ROOT},
            {"no-cache", no_argument, NULL, OPT_NO_CACHE},
            {"help", no_argument, NULL, 'h'},
            {NULL, 0, NULL, 0},
        };
        struct cli_output out;
        cli_output_init(&out);
        struct audit_options opt = {.cis_version = AUDIT_CIS_1_6};
        struct audit_gather_options gopt = {.root = "/", .timeout_ms = 10000};
        bool list = false;
        int c, rc = BH_EXIT_USAGE;
        optind = 1;
        while ((c = getopt_long(argc, argv, "ho:H:", longopts, NULL)) != -1) {
                int r = cli_output_option(&out, c, optarg);
                if (r < 0)
                        goto done;
                if (r > 0)
                        continue;
                switch (c) {
                case 'h':
                        fputs(audit_usage, stdout);
                        rc = BH_EXIT_OK;
                        goto done;
                case OPT_CHECK:
                        split_into(&opt.checks, optarg);
                        break;
                case OPT_SKIP:
                        split_into(&opt.skips, optarg);
                        break;
                case OPT_LEVEL:
                        if (strcmp(optarg, "1") != 0 && strcmp(optarg, "2") != 0) {
                                rc =
                                    cli_usage_error("audit", "--level %s: expected 1 or 2", optarg);
                                goto done;
                        }
                        opt.level = atoi(optarg);
                        break;
                case OPT_CIS:
                        if (audit_cis_version_parse(optarg, &opt.cis_version) < 0) {
                                rc = cli_usage_error(
                                    "audit", "--cis-version %s: expected 1.6, 1.7 or 1.8", optarg);
                                goto done;
                        }
                        break;
                case OPT_ALL:
                        opt.all_containers = gopt.all_containers = true;
                        break;
                case OPT_TRUSTED:
                        split_into(&opt.trusted_users, optarg);
                        break;
                case OPT_LIST:
                        list = true;
                        break;
                case 'H':
                        gopt.host = optarg;
                        break;
                case OPT_TIMEOUT: {
                        char *end = NULL;
                        double secs = strtod(optarg, &end);
                        if (!end || *end || secs <= 0 || secs > 3600) {
                                rc = cli_usage_error(
                                    "audit", "--timeout %s: expected seconds (0-3600)", optarg);
                                goto done;
                        }
                        gopt.timeout_ms = (long)(secs * 1000);
                        break;
                }
                case OPT_ROOT:
                        gopt.root = optarg;
                        break;
                case OPT_NO_CACHE:
                        gopt.no_cache = true;
                        break;

                default:
                        rc = cli_usage_error("audit", "unknown option");
                        goto done;
                }
        }
        if (optind < argc) {
                rc = cli_usage_error("audit", "unexpected argument '%s'", argv[optind]);
                goto done;
        }
        if (list) {
                list_checks(&opt, out.format);

                rc = BH_EXIT_OK;
                goto done;
        }
        bool any = false;
        for (size_t i = 0; audit_check_at(i) && !any; i++)
                any = audit_check_selected(audit_check_at(i), &opt);
        if (!any) {
                rc = cli_usage_error("audit", "no check matches the selection");
                goto done;
        }

        double start = bh_now_ms();
        struct audit_snapshot snap = {0};
        gopt.image_files = audit_needs_image_files(&opt);
        audit_gather(&snap, &gopt);
        snap.trusted_users = opt.trusted_users;
        opt.trusted_users = NULL;
        if (snap.api_fail.code)
                cli_error("audit: %s; checks that need the daemon are reported as errors",
                          snap.api_fail.msg);
        if (geteuid() != 0 && strcmp(gopt.root, "/") == 0)
                cli_error(
                    "audit: not running as root: what cannot be read is reported as an error");
        struct bh_report report;
        bh_report_init(&report, "audit");
        audit_judge(&snap, &opt, &report);
        report.duration_ms = bh_now_ms() - start;
        rc = cli_finish_report(&report, &out, false);
        bh_report_free(&report);
        audit_snapshot_free(&snap);
done:
        bh_strv_free(opt.checks);
        bh_strv_free(opt.skips);
        bh_strv_free(opt.trusted_users);
        return rc;
}
