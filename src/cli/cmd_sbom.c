/* bulkhead sbom: the packages of an image as CycloneDX 1.5 or SPDX 2.3 JSON. */
#include "cli/cli.h"
#include "base/util.h"
#include "bh_config.h"
#include "docker/image.h"
#include "scan/scan.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void usage(FILE *out)
{
        fputs("Usage: bulkhead sbom [OPTIONS] IMAGE\n\n"
              "Writes the software bill of materials of an image: its operating system and\n"
              "every OS package (dpkg, apk, rpm) with its version, source package, licence\n"
              "where the package database records one, package URL (purl) and layer.\n"
              "IMAGE is named as for 'bulkhead scan' (engine name, docker-archive:PATH,\n"
              "oci:PATH, oci-archive:PATH, dir:PATH, docker://REG/REPO:TAG, or a path).\n\n"
              "Options:\n"
              "      --format FMT      cyclonedx (CycloneDX 1.5 JSON, the default) or spdx\n"
              "                        (SPDX 2.3 JSON)\n"
              "  -o, --output FILE     write to FILE instead of standard output\n"
              "  -H, --host ADDR       Docker engine\n"
              "      --insecure, --username U, --password P, --no-verify, --no-cache\n"
              "                        as for scan\n"
              "  -h, --help            this help\n\n"
              "Exit codes: 0 written, 2 usage error, 3 could not read the image.\n",
              out);
}

int cmd_sbom(int argc, char **argv)
{
        static const struct option longopts[] = {
            {"format", required_argument, NULL, 'f'},
            {"output", required_argument, NULL, 'o'},
            {"help", no_argument, NULL, 'h'},
            CLI_IMAGE_LONG_OPTIONS,
            {NULL, 0, NULL, 0},
        };
        struct cli_image_options io = {0};
        enum bh_sbom_format fmt = BH_SBOM_CYCLONEDX;
        const char *output = NULL;
        int c;
        optind = 1;
        while ((c = getopt_long(argc, argv, "ho:H:", longopts, NULL)) != -1) {
                if (cli_image_option(&io, c, optarg))
                        continue;
                switch (c) {
                case 'h':
                        usage(stdout);
                        return BH_EXIT_OK;
                case 'f':
                        if (strcmp(optarg, "cyclonedx") == 0 || strcmp(optarg, "cdx") == 0)
                                fmt = BH_SBOM_CYCLONEDX;
                        else if (strcmp(optarg, "spdx") == 0 || strcmp(optarg, "spdx-json") == 0)
                                fmt = BH_SBOM_SPDX;
                        else
                                return cli_usage_error("sbom", "--format %s: cyclonedx or spdx",
                                                       optarg);
                        break;
                case 'o':
                        output = optarg;
                        break;
                default:
                        return cli_usage_error("sbom", "unknown option");
                }
        }
        if (optind != argc - 1)
                return cli_usage_error("sbom", "name one image");
        const char *name = argv[optind];
        struct bh_image *img = NULL;
        if (cli_open_image(name, &io, &img, NULL) < 0)
                return BH_EXIT_FAILED;
        struct bh_scan_result res = {0};
        struct bh_error err = {0};
        int exit_code = BH_EXIT_OK;
        if (bh_scan_inventory(img, &res, &err) < 0 || bh_image_verify(img, &err) < 0) {
                cli_error("%s: %s", name, err.msg);
                exit_code = BH_EXIT_FAILED;
        } else {
                for (size_t k = 0; res.warnings && res.warnings[k]; k++)
                        cli_error("warning: %s: %s", name, res.warnings[k]);
                json_t *doc = bh_sbom(img, &res, fmt, name, BH_VERSION, time(NULL));
                FILE *f = output && strcmp(output, "-") != 0 ? fopen(output, "we") : stdout;
                if (!f) {
                        cli_error("%s: %s", output, strerror(errno));
                        exit_code = BH_EXIT_FAILED;
                } else {
                        if (json_dumpf(doc, f, JSON_INDENT(2)) < 0 || fputc('\n', f) == EOF ||
                            fflush(f) != 0) {
                                cli_error("cannot write the SBOM: %s", strerror(errno));
                                exit_code = BH_EXIT_FAILED;
                        }
                        if (f != stdout && fclose(f) != 0)
                                exit_code = BH_EXIT_FAILED;
                }
                json_decref(doc);
        }
        bh_scan_result_free(&res);
        bh_image_free(img);
        return exit_code;
}
