#include "base/json.h"
#include "base/util.h"
#include "report/report.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static void make_report(struct bh_report *r)
{
        bh_report_init(r, "audit");
        bh_report_add_section(r, "5", "Container runtime");
        struct bh_finding *f = bh_report_add(r);
        f->id = bh_xstrdup("5.10");
        f->rule = bh_xstrdup("container-host-network");
        f->title = bh_xstrdup("Host network namespace not shared");
        f->section = bh_xstrdup("5");
        f->level = 1;
        f->severity = BH_SEV_HIGH;
        f->status = BH_STATUS_FAIL;
        f->target.kind = BH_TARGET_CONTAINER;
        f->target.id =
            bh_xstrdup("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        f->target.name = bh_xstrdup("web");
        f->message = bh_xstrdup("web uses the host's network namespace <&\">");
        f->remediation = bh_xstrdup("Run it without --network host.");
        bh_finding_add_reference(f, "CIS Docker 1.6.0 5.10");
        f = bh_report_add(r);
        f->id = bh_xstrdup("5.1");
        f->section = bh_xstrdup("5");
        f->title = bh_xstrdup("Swarm mode off");
        f->severity = BH_SEV_LOW;
        f->status = BH_STATUS_PASS;
        f = bh_report_add(r);
        f->id = bh_xstrdup("5.2");
        f->section = bh_xstrdup("5");
        f->title = bh_xstrdup("AppArmor");
        f->status = BH_STATUS_NA;
        f->message = bh_xstrdup("the kernel has no AppArmor");
}

static void test_json_contract(void **state)
{
        struct bh_report r;
        make_report(&r);
        r.duration_ms = 12.34;
        struct bh_render_options opt = {.tool_version = "9.9"};
        _cleanup_json_ json_t *j = bh_report_to_json(&r, &opt);
        assert_string_equal(bh_json_str(j, "tool.name"), "bulkhead");
        assert_string_equal(bh_json_str(j, "tool.version"), "9.9");
        assert_string_equal(bh_json_str(j, "command"), "audit");
        assert_true(json_is_number(bh_json_get(j, "duration_ms")));
        assert_int_equal(bh_json_int(j, "summary.fail", -1), 1);
        assert_int_equal(bh_json_int(j, "summary.pass", -1), 1);
        assert_int_equal(bh_json_int(j, "summary.na", -1), 1);
        assert_int_equal(bh_json_int(j, "summary.error", -1), 0);
        json_t *res = json_array_get(bh_json_get(j, "results"), 0);
        assert_string_equal(bh_json_str(res, "id"), "5.10");
        assert_string_equal(bh_json_str(res, "rule"), "container-host-network");
        assert_string_equal(bh_json_str(res, "section"), "5");
        assert_int_equal(bh_json_int(res, "level", 0), 1);
        assert_string_equal(bh_json_str(res, "severity"), "high");
        assert_string_equal(bh_json_str(res, "status"), "fail");
        assert_string_equal(bh_json_str(res, "target.kind"), "container");
        assert_string_equal(bh_json_str(res, "target.name"), "web");
        assert_int_equal(strlen(bh_json_str(res, "target.id")), 64);
        assert_string_equal(json_string_value(json_array_get(bh_json_get(res, "references"), 0)),
                            "CIS Docker 1.6.0 5.10");
        bh_report_free(&r);
}

static void test_threshold(void **state)
{
        struct bh_report r;
        make_report(&r);
        struct bh_threshold t;
        assert_int_equal(bh_threshold_parse("fail", &t), 0);
        assert_int_equal(bh_report_failures(&r, &t), 1);
        assert_int_equal(bh_threshold_parse("critical", &t), 0);
        assert_int_equal(bh_report_failures(&r, &t), 0);
        assert_int_equal(bh_threshold_parse("high", &t), 0);
        assert_int_equal(bh_report_failures(&r, &t), 1);
        assert_int_equal(bh_threshold_parse("none", &t), 0);
        assert_int_equal(bh_report_failures(&r, &t), 0);
        r.findings[1].status = BH_STATUS_WARN;
        assert_int_equal(bh_threshold_parse("warn", &t), 0);
        assert_int_equal(bh_report_failures(&r, &t), 2);
        assert_true(bh_threshold_parse("bogus", &t) < 0);
        assert_true(bh_threshold_parse("pass", &t) < 0);
        bh_report_free(&r);
}

static void test_sarif_shape(void **state)
{
        struct bh_report r;
        make_report(&r);
        struct bh_render_options opt = {.tool_version = "1"};
        _cleanup_json_ json_t *s = bh_report_to_sarif(&r, &opt);
        assert_string_equal(bh_json_str(s, "version"), "2.1.0");
        json_t *run = json_array_get(bh_json_get(s, "runs"), 0);
        assert_string_equal(bh_json_str(run, "tool.driver.name"), "bulkhead");
        /* one rule per distinct rule id, results only for problems */
        assert_int_equal(bh_json_array_len(run, "tool.driver.rules"), 3);
        assert_int_equal(bh_json_array_len(run, "results"), 1);
        json_t *res = json_array_get(bh_json_get(run, "results"), 0);
        assert_string_equal(bh_json_str(res, "ruleId"), "container-host-network");
        assert_string_equal(bh_json_str(res, "level"), "error");
        json_t *loc = json_array_get(bh_json_get(res, "locations"), 0);
        assert_string_equal(bh_json_str(loc, "physicalLocation.artifactLocation.uri"),
                            "container/web");
        assert_int_equal(bh_json_int(loc, "physicalLocation.region.startLine", 0), 1);
        bh_report_free(&r);
}

static char *render_to_string(const struct bh_report *r, enum bh_format fmt,
                              const struct bh_render_options *opt)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        struct bh_error err;
        assert_int_equal(bh_render(r, fmt, f, opt, &err), 0);
        fclose(f);
        return buf;
}

static void test_text_and_markup_escaping(void **state)
{
        struct bh_report r;
        make_report(&r);
        struct bh_render_options opt = {.tool_version = "1"};
        bh_threshold_parse("fail", &opt.threshold);
        _cleanup_free_ char *text = render_to_string(&r, BH_FORMAT_TEXT, &opt);
        assert_non_null(strstr(text, "5 Container runtime"));
        assert_non_null(strstr(text, "FAIL"));
        assert_null(strstr(text, "\033[")); /* no colour unless asked */
        _cleanup_free_ char *html = render_to_string(&r, BH_FORMAT_HTML, &opt);
        assert_non_null(strstr(html, "&lt;&amp;&quot;&gt;"));
        assert_null(strstr(html, "<&\">"));
        assert_non_null(strstr(html, "id=\"scorecard\""));
        _cleanup_free_ char *junit = render_to_string(&r, BH_FORMAT_JUNIT, &opt);
        assert_non_null(strstr(junit, "failures=\"1\""));
        assert_non_null(strstr(junit, "skipped=\"1\""));
        assert_non_null(strstr(junit, "&lt;&amp;&quot;&gt;"));
        opt.color = true;
        _cleanup_free_ char *coloured = render_to_string(&r, BH_FORMAT_TEXT, &opt);
        assert_non_null(strstr(coloured, "\033["));
        bh_report_free(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_json_contract),
            cmocka_unit_test(test_threshold),
            cmocka_unit_test(test_sarif_shape),
            cmocka_unit_test(test_text_and_markup_escaping),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
