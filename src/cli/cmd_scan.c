/* bulkhead scan: known vulnerabilities and risky configuration in images. */
#include "cli/cli.h"
#include "base/util.h"
#include "docker/image.h"
#include "scan/scan.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
        fputs("Usage: bulkhead scan [OPTIONS] IMAGE...\n\n"
              "Scans container images for known vulnerabilities in their OS packages (dpkg,\n"
              "apk, rpm) and for risky configuration (runs as root, secrets in ENV, labels or\n"
              "history, setuid/setgid and world-writable files, remote ADD, no HEALTHCHECK,\n"
              "a shell in the final image, the 'latest' tag, image age).\n\n"
              "IMAGE is one of:\n"
              "  NAME[:TAG]                an image in the local engine (streamed, never saved)\n"
              "  docker-daemon:NAME        the same, explicitly\n"
              "  docker-archive:PATH       `docker save` output, plain or gzip/zstd\n"
              "  oci:PATH, oci-archive:PATH an OCI image layout, as a directory or a tar\n"
              "  ...:PATH:TAG, ...:PATH:@N one image of an archive or layout of several, by\n"
              "                            tag (or OCI ref name) or by index from 0\n"
              "  dir:PATH                  a plain root filesystem directory\n"
              "  docker://REG/REPO[:TAG]   a registry (v2 API)\n"
              "  PATH                      a file or directory, recognised by its content\n\n"
              "Options:\n"
              "      --db PATH             vulnerability database (default\n"
              "                            $XDG_CACHE_HOME/bulkhead/vuln.db; env BULKHEAD_DB)\n"
              "      --ignore-unfixed      leave out vulnerabilities that have no fix yet\n"
              "      --no-vulns            only the configuration checks (no database needed)\n"
              "      --no-config           only the vulnerabilities\n"
              "      --ignore-file PATH    suppressions (default ./.bulkheadignore when present):\n"
              "                            ID [package=NAME] [until=YYYY-MM-DD] [reason=TEXT]\n"
              "      --vex PATH            an OpenVEX document: not_affected/fixed statements\n"
              "                            hide those vulnerabilities (repeatable)\n"
              "      --max-age DAYS        image-age check threshold (default 90)\n"
              "  -H, --host ADDR           Docker engine (unix:///var/run/docker.sock, tcp://...)\n"
              "      --insecure            registry over plain http (loopback tests)\n"
              "      --username U, --password P  registry credentials (or\n"
              "                            BULKHEAD_REGISTRY_USER / BULKHEAD_REGISTRY_PASSWORD)\n"
              "      --no-verify           do not check layer digests\n"
              "      --no-cache            hash every layer file afresh: by default a layer\n"
              "                            file that has not changed (same inode, size, mtime\n"
              "                            and ctime) since it was last hashed is not hashed\n"
              "                            again ($XDG_CACHE_HOME/bulkhead/digests-v1)\n"
              "      --format FMT          table (default on a terminal), text, json, sarif,\n"
              "                            junit, html\n"
              "  -o, --output FILE         write the report to FILE\n"
              "      --fail-on LEVEL       fail, warn, info, low, medium, high, critical, none\n"
              "                            (default fail: any vulnerability fails)\n"
              "      --no-color            no colours\n"
              "  -h, --help                this help\n\n"
              "Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage error,\n"
              "3 could not scan (no database, unreadable image...).\n",
              out);
}

enum {
        OPT_DB = CLI_OPT_FIRST_COMMAND_OPTION,
        OPT_IGNORE_UNFIXED,
        OPT_NO_VULNS,
        OPT_NO_CONFIG,
        OPT_IGNORE_FILE,
        OPT_VEX,
        OPT_MAX_AGE,
};

/* The last image, whose layer digests may still be hashing while its
 * report renders: nothing is written unless they match. */
struct pending_image {
        struct bh_image *img;
        const char *name;
};

static int verify_pending(void *user)
{
        struct pending_image *p = user;
        struct bh_error err = {0};
        if (!p->img || bh_image_verify(p->img, &err) == 0)
                return 0;
        cli_error("%s: %s", p->name, err.msg);
        return -1;
}

int cmd_scan(int argc, char **argv)
{
        static const struct option longopts[] = {
            {"db", required_argument, NULL, OPT_DB},
            {"ignore-unfixed", no_argument, NULL, OPT_IGNORE_UNFIXED},
            {"no-vulns", no_argument, NULL, OPT_NO_VULNS},
            {"no-config", no_argument, NULL, OPT_NO_CONFIG},
            {"ignore-file", required_argument, NULL, OPT_IGNORE_FILE},
            {"vex", required_argument, NULL, OPT_VEX},
            {"max-age", required_argument, NULL, OPT_MAX_AGE},
            {"help", no_argument, NULL, 'h'},
            CLI_IMAGE_LONG_OPTIONS,
            CLI_OUTPUT_LONG_OPTIONS,
            {NULL, 0, NULL, 0},
        };
        struct cli_output out;
        cli_output_init(&out);
        struct cli_image_options io = {0};
        const char *db_flag = NULL, *ignore_file = NULL;
        _cleanup_strv_ char **vex = NULL;
        bool no_vulns = false, no_config = false, ignore_unfixed = false;
        unsigned max_age = 90;
        int c;
        optind = 1;
        while ((c = getopt_long(argc, argv, "ho:H:", longopts, NULL)) != -1) {
                int r = cli_output_option(&out, c, optarg);
                if (r < 0)
                        return BH_EXIT_USAGE;
                if (r > 0 || cli_image_option(&io, c, optarg))
                        continue;
                switch (c) {
                case 'h':
                        usage(stdout);
                        return BH_EXIT_OK;
                case OPT_DB:
                        db_flag = optarg;
                        break;
                case OPT_IGNORE_UNFIXED:
                        ignore_unfixed = true;
                        break;
                case OPT_NO_VULNS:
                        no_vulns = true;
                        break;
                case OPT_NO_CONFIG:
                        no_config = true;
                        break;
                case OPT_IGNORE_FILE:
                        ignore_file = optarg;
                        break;
                case OPT_VEX:
                        bh_strv_push(&vex, optarg);
                        break;
                case OPT_MAX_AGE: {
                        char *end;
                        unsigned long v = strtoul(optarg, &end, 10);
                        if (*end || v == 0 || v > 100000)
                                return cli_usage_error("scan", "--max-age %s: expected days",
                                                       optarg);
                        max_age = (unsigned)v;
                        break;
                }
                default:
                        return cli_usage_error("scan", "unknown option");
                }
        }
        if (optind >= argc)
                return cli_usage_error("scan", "name an image to scan");
        if (no_vulns && no_config)
                return cli_usage_error("scan", "--no-vulns and --no-config leave nothing to do");
        if (!out.format_set)
                out.format =
                    isatty(STDOUT_FILENO) && !out.output_path ? BH_FORMAT_TABLE : BH_FORMAT_TEXT;
        time_t now = time(NULL);
        struct bh_error err = {0};
        struct bh_vulndb *db = NULL;
        _cleanup_free_ char *db_path = cli_db_path(db_flag);
        if (!no_vulns && bh_vulndb_open(db_path, &db, &err) < 0) {
                cli_error("%s", err.msg);
                return BH_EXIT_FAILED;
        }
        struct bh_suppressions *sup = bh_suppressions_new();
        char **warnings = NULL;
        int exit_code = BH_EXIT_OK;
        if (!ignore_file && access(".bulkheadignore", R_OK) == 0)
                ignore_file = ".bulkheadignore";
        if (ignore_file && bh_suppressions_load_ignore(sup, ignore_file, now, &warnings, &err) < 0)
                exit_code = BH_EXIT_FAILED;
        for (size_t i = 0; exit_code == BH_EXIT_OK && vex && vex[i]; i++)
                if (bh_suppressions_load_vex(sup, vex[i], &err) < 0)
                        exit_code = BH_EXIT_FAILED;
        if (exit_code != BH_EXIT_OK) {
                cli_error("%s", err.msg);
                goto out;
        }
        for (size_t i = 0; warnings && warnings[i]; i++)
                cli_error("warning: %s", warnings[i]);
        struct bh_report report;
        bh_report_init(&report, "scan");
        struct pending_image pending = {0};
        double t0 = bh_now_ms();
        json_t *images = json_array();
        for (int a = optind; a < argc; a++) {
                const char *name = argv[a];
                struct bh_image *img = NULL;
                bool is_name = false;
                if (cli_open_image(name, &io, &img, &is_name) < 0) {
                        exit_code = BH_EXIT_FAILED;
                        break;
                }
                struct bh_scan_options so = {
                    .db = db,
                    .ignore_unfixed = ignore_unfixed,
                    .config_checks = !no_config,
                    .ref = name,
                    .ref_is_name = is_name,
                    .now = now,
                    .max_age_days = max_age,
                    .suppress = sup,
                };
                struct bh_scan_result res = {0};
                /* the last image's digests finish while the report renders */
                bool last = a == argc - 1;
                if (bh_scan_image(img, &so, &res, &report, &err) < 0 ||
                    (!last && bh_image_verify(img, &err) < 0)) {
                        cli_error("%s: %s", name, err.msg);
                        exit_code = BH_EXIT_FAILED;
                }
                for (size_t k = 0; res.warnings && res.warnings[k]; k++)
                        cli_error("warning: %s: %s", name, res.warnings[k]);
                json_t *meta = json_object();
                json_object_set_new(meta, "name", json_string(name));
                if (bh_image_id(img))
                        json_object_set_new(meta, "id", json_string(bh_image_id(img)));
                json_t *os = json_object();
                if (res.os.id)
                        json_object_set_new(os, "id", json_string(res.os.id));
                if (res.os.version_id)
                        json_object_set_new(os, "version", json_string(res.os.version_id));
                if (res.ns)
                        json_object_set_new(os, "advisories", json_string(res.ns));
                json_object_set_new(meta, "os", os);
                json_object_set_new(meta, "packages", json_integer((json_int_t)res.packages.n));
                json_object_set_new(meta, "vulnerabilities",
                                    json_integer((json_int_t)res.vulnerabilities));
                json_object_set_new(meta, "suppressed", json_integer((json_int_t)res.suppressed));
                size_t nl;
                bh_image_layers(img, &nl);
                json_object_set_new(meta, "layers", json_integer((json_int_t)nl));
                json_array_append_new(images, meta);
                bh_scan_result_free(&res);
                if (last && exit_code == BH_EXIT_OK) {
                        pending.img = img;
                        pending.name = name;
                } else {
                        bh_image_free(img);
                }
                if (exit_code != BH_EXIT_OK)
                        break;
        }
        report.duration_ms = bh_now_ms() - t0;
        if (!report.meta)
                report.meta = json_object();
        json_object_set_new(report.meta, "images", images);
        if (db)
                json_object_set_new(report.meta, "database", json_string(db_path));
        if (exit_code == BH_EXIT_OK)
                exit_code =
                    cli_finish_report_checked(&report, &out, false, verify_pending, &pending);
        bh_image_free(pending.img);
        bh_report_free(&report);
out:
        bh_strv_free(warnings);
        bh_suppressions_free(sup);
        bh_vulndb_close(db);
        return exit_code;
}
