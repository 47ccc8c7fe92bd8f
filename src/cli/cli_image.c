/* Opening images for scan and sbom: source names, engine and registry options. */
#include "cli/cli.h"
#include "base/util.h"
#include "docker/engine.h"
#include "docker/image.h"
#include "scan/package.h"
#include "scan/vulndb.h"

#include <stdlib.h>
#include <string.h>

int cli_image_option(struct cli_image_options *o, int opt, const char *arg)
{
        switch (opt) {
        case 'H':
                o->host = arg;
                return 1;
        case CLI_OPT_INSECURE:
                o->insecure = true;
                return 1;
        case CLI_OPT_USERNAME:
                o->username = arg;
                return 1;
        case CLI_OPT_PASSWORD:
                o->password = arg;
                return 1;
        case CLI_OPT_NO_VERIFY:
                o->no_verify = true;
                return 1;
        case CLI_OPT_NO_CACHE:
                o->no_cache = true;
                return 1;
        default:
                return 0;
        }
}

char *cli_db_path(const char *flag)
{
        if (flag)
                return bh_xstrdup(flag);
        const char *env = getenv("BULKHEAD_DB");
        return env && *env ? bh_xstrdup(env) : bh_vulndb_default_path();
}

int cli_open_image(const char *name, const struct cli_image_options *o, struct bh_image **out,
                   bool *is_name)
{
        struct bh_error err = {0};
        struct bh_image_source src;
        if (bh_image_source_parse(name, &src, &err) < 0) {
                cli_error("%s", err.msg);
                return -1;
        }
        src.insecure = o->insecure;
        src.username = o->username ? o->username : getenv("BULKHEAD_REGISTRY_USER");
        src.password = o->password ? o->password : getenv("BULKHEAD_REGISTRY_PASSWORD");
        if (is_name)
                *is_name = src.kind == BH_IMAGE_DAEMON || src.kind == BH_IMAGE_REGISTRY;
        struct bh_docker *d = NULL;
        if (src.kind == BH_IMAGE_DAEMON) {
                struct bh_docker_endpoint ep = {0};
                struct bh_docker_options dopt = {.timeout_ms = 60000};
                if (bh_docker_endpoint_resolve(o->host, NULL, &ep, &err) < 0 ||
                    bh_docker_open(&d, &ep, &dopt, &err) < 0) {
                        bh_docker_endpoint_free(&ep);
                        cli_error("%s: %s", name, err.msg);
                        return -1;
                }
                bh_docker_endpoint_free(&ep);
                src.docker = d;
        }
        /* the digests finish while the caller matches packages; it calls
         * bh_image_verify before it prints anything */
        struct bh_image_options opt = {.want = bh_scan_wants,
                                       .no_verify = o->no_verify,
                                       .no_cache = o->no_cache,
                                       .defer_verify = true};
        int rc = bh_image_open(out, &src, &opt, &err);
        bh_docker_close(d);
        if (rc < 0) {
                cli_error("%s", err.msg);
                return -1;
        }
        return 0;
}
