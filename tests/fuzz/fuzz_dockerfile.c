/* libFuzzer target for the Dockerfile parser and the rules over what it
 * parses: whatever the bytes, no crash, no leak, no hang. */
#include "base/buf.h"
#include "lint/dockerfile.h"
#include "lint/lint.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct bh_df_file *f = NULL;
        struct bh_error err = {0};
        if (bh_df_parse("fuzz", (const char *)data, size, &f, &err) == 0) {
                struct bh_buf b = BH_BUF_INIT;
                bh_df_dump_sexp(f, &b);
                bh_df_dump_json(f, &b);
                bh_buf_free(&b);
                bh_df_free(f);
        }
        /* the rules see every shape of tree the parser accepts */
        struct lint_config cfg;
        lint_config_init(&cfg);
        cfg.no_shellcheck = true;
        lint_config_set_level(&cfg, "DL3057", LINT_INFO);
        lint_config_set_level(&cfg, "DL1001", LINT_INFO);
        struct bh_report r;
        bh_report_init(&r, "lint");
        struct lint_input in = {
            .path = "fuzz", .data = (const char *)data, .len = size, .context_known = true};
        lint_dockerfile(&in, &cfg, NULL, &r, &err);
        bh_report_free(&r);
        lint_config_free(&cfg);
        return 0;
}
