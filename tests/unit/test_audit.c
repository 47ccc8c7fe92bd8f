/* The audit's checks judged on snapshots built from fixtures: a well-kept
 * host (tests/data/audit/base.json) where every check passes or does not
 * apply, and one case per way to fail (cases.json). Plus the parsers the
 * gatherers use: dockerd flags, systemd ExecStart, audit rules, versions. */
#include "audit/audit.h"
#include "audit/audit_rules.h"
#include "audit/caps.h"
#include "audit/checks.h"
#include "audit/daemon_config.h"
#include "audit/engine_eol.h"
#include "audit/overlay_files.h"
#include "audit_fixture.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

static int cmp_strp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static json_t *load_data(const char *name)
{
        const char *dir = getenv("BH_TESTDATA");
        _cleanup_free_ char *path = bh_xasprintf("%s/audit/%s", dir ? dir : "tests/data", name);
        struct bh_error err = {0};
        json_t *j = bh_json_load_file(path, 16u << 20, &err);
        if (!j)
                fail_msg("%s", err.msg);
        return j;
}

static void judge(const json_t *fixture, const char *check, struct bh_report *r,
                  enum audit_cis_version v)
{
        struct audit_snapshot s;
        audit_fixture_load(&s, fixture);
        struct audit_options o = {.cis_version = v};
        if (check)
                bh_strv_push(&o.checks, check);
        bh_report_init(r, "audit");
        audit_judge(&s, &o, r);
        bh_strv_free(o.checks);
        audit_snapshot_free(&s);
}

static void test_well_kept_host(void **state)
{
        _cleanup_json_ json_t *data = load_data("base.json");
        json_t *expect = json_object_get(data, "base_expect");
        struct bh_report r;
        judge(json_object_get(data, "base"), NULL, &r, AUDIT_CIS_1_6);
        size_t bad = 0;
        for (size_t i = 0; i < r.count; i++) {
                const struct bh_finding *f = &r.findings[i];
                const char *want = json_string_value(json_object_get(expect, f->id));
                if (!want || strcmp(want, bh_status_name(f->status)) != 0) {
                        print_error("%s [%s]: got %s, want %s: %s\n", f->id,
                                    f->target.name ? f->target.name : "", bh_status_name(f->status),
                                    want ? want : "?", f->message ? f->message : "");
                        bad++;
                }
                if (f->status == BH_STATUS_FAIL || f->status == BH_STATUS_WARN)
                        assert_non_null(f->remediation);
        }
        const char *id;
        json_t *v;
        json_object_foreach(expect, id, v)
        {
                bool seen = false;
                for (size_t i = 0; i < r.count && !seen; i++)
                        seen = strcmp(r.findings[i].id, id) == 0;
                if (!seen) {
                        print_error("%s: no result\n", id);
                        bad++;
                }
        }
        bh_report_free(&r);
        assert_int_equal(bad, 0);
}

static void apply_case(json_t *fx, const json_t *c)
{
        json_t *patch = json_object_get(c, "patch");
        if (patch)
                audit_fixture_merge(fx, patch);
        json_t *ct = json_array_get(json_object_get(fx, "containers"), 0);
        json_t *im = json_array_get(json_object_get(fx, "images"), 0);
        if (json_object_get(c, "container") && ct)
                audit_fixture_merge(json_object_get(ct, "inspect"),
                                    json_object_get(c, "container"));
        if (json_object_get(c, "proc") && ct)
                audit_fixture_merge(json_object_get(ct, "proc"), json_object_get(c, "proc"));
        if (json_object_get(c, "container_entry") && ct)
                audit_fixture_merge(ct, json_object_get(c, "container_entry"));
        if (json_object_get(c, "execs") && ct)
                json_object_set(ct, "execs", json_object_get(c, "execs"));
        if (json_object_get(c, "image") && im)
                audit_fixture_merge(json_object_get(im, "inspect"), json_object_get(c, "image"));
        if (json_object_get(c, "image_entry") && im)
                audit_fixture_merge(im, json_object_get(c, "image_entry"));
        if (json_is_true(json_object_get(c, "extra_image"))) {
                json_t *images = json_object_get(fx, "images");
                if (!images) {
                        _cleanup_json_ json_t *base = load_data("base.json");
                        images = json_deep_copy(bh_json_get(base, "base.images"));
                        json_object_set_new(fx, "images", images);
                }
                json_t *other = json_deep_copy(json_array_get(images, 0));
                json_object_set_new(json_object_get(other, "inspect"), "Id",
                                    json_string("sha256:eeeeeeeeeeee"));
                json_array_append_new(images, other);
        }
}

/* Every case: the check's results include the wanted status (all pass when
 * pass is wanted), and the message of that result matches msg. */
static void test_cases(void **state)
{
        _cleanup_json_ json_t *data = load_data("base.json");
        _cleanup_json_ json_t *cases = load_data("cases.json");
        size_t i, bad = 0;
        json_t *c;
        json_array_foreach(cases, i, c)
        {
                json_t *fx = json_deep_copy(json_object_get(data, "base"));
                apply_case(fx, c);
                const char *check = bh_json_str(c, "check"), *want = bh_json_str(c, "want"),
                           *msg = bh_json_str(c, "msg");
                struct bh_report r;
                judge(fx, check, &r, AUDIT_CIS_1_6);
                bool found = false, all_pass = r.count > 0;
                for (size_t k = 0; k < r.count; k++) {
                        const struct bh_finding *f = &r.findings[k];
                        all_pass &= f->status == BH_STATUS_PASS;
                        if (strcmp(bh_status_name(f->status), want) != 0)
                                continue;
                        if (msg) {
                                regex_t re;
                                assert_int_equal(regcomp(&re, msg, REG_EXTENDED | REG_NOSUB), 0);
                                bool m = f->message && regexec(&re, f->message, 0, NULL, 0) == 0;
                                regfree(&re);
                                if (!m)
                                        continue;
                        }
                        found = true;
                }
                if (strcmp(want, "pass") == 0)
                        found = found && all_pass;
                if (!found) {
                        print_error("case %zu (%s want %s%s%s):", i, check, want, msg ? " /" : "",
                                    msg ? msg : "");
                        for (size_t k = 0; k < r.count; k++)
                                print_error(" got %s: %s;", bh_status_name(r.findings[k].status),
                                            r.findings[k].message);
                        print_error("\n");
                        bad++;
                }
                bh_report_free(&r);
                json_decref(fx);
        }
        assert_int_equal(bad, 0);
}

/* Every check has a passing case and a case that is not a pass, except the
 * ones the benchmark leaves to people (manual only). */
static void test_every_check_has_both_cases(void **state)
{
        static const char *const manual_only[] = {"1.2.1", "4.2", "4.3", "4.4", "4.11",
                                                  "4.12",  "7.6", "7.8", "7.9", "BH-6"};
        _cleanup_json_ json_t *data = load_data("base.json");
        _cleanup_json_ json_t *cases = load_data("cases.json");
        json_t *expect = json_object_get(data, "base_expect");
        size_t bad = 0;
        for (size_t k = 0; audit_check_at(k); k++) {
                const char *id = audit_check_id(audit_check_at(k), AUDIT_CIS_1_6);
                if (!id)
                        continue;
                bool skip = false;
                for (size_t m = 0; m < BH_ARRAY_SIZE(manual_only); m++)
                        skip |= strcmp(manual_only[m], id) == 0;
                if (skip)
                        continue;
                /* checks that cannot prove a clean state say manual instead of pass */
                bool clean_is_manual = strcmp(id, "5.23") == 0 || strcmp(id, "5.24") == 0;
                const char *good = clean_is_manual ? "manual" : "pass";
                bool pass = bh_streq(json_string_value(json_object_get(expect, id)), good),
                     other = false;
                size_t i;
                json_t *c;
                json_array_foreach(cases, i, c)
                {
                        if (!bh_streq(bh_json_str(c, "check"), id))
                                continue;
                        if (bh_streq(bh_json_str(c, "want"), good))
                                pass = true;

                        else if (!bh_streq(bh_json_str(c, "want"), "na"))
                                other = true;
                }
                if (!pass || !other) {
                        print_error("%s lacks a %s case\n", id, pass ? "failing" : "passing");
                        bad++;
                }
        }
        assert_int_equal(bad, 0);
}

/* The ids follow the benchmark: the checklist's 1.6 ids and their 1.8 ids. */
static void test_numbering_matches_checklist(void **state)
{
        /* the checklist is shared data beside the checkout, or at its usual place */
        const char *shared = getenv("BH_SHARED");
        const char *dirs[] = {shared ? shared : "../shared", "/work/shared"};
        char *tsv = NULL;
        struct bh_error err;
        for (size_t d = 0; d < BH_ARRAY_SIZE(dirs) && !tsv; d++) {
                _cleanup_free_ char *path =
                    bh_xasprintf("%s/reference/cis-docker-1.6.0-checks.tsv", dirs[d]);
                if (bh_read_file(path, 1 << 20, &tsv, NULL, &err) < 0)
                        tsv = NULL;
        }
        if (!tsv)
                skip();
        size_t rows = 0, bad = 0;
        char *save = NULL;
        for (char *line = strtok_r(tsv, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *cols[7] = {0};
                char *p = line;
                for (int i = 0; i < 7 && p; i++) {
                        cols[i] = p;
                        p = strchr(p, '\t');
                        if (p)
                                *p++ = '\0';
                }
                if (!cols[5] || strcmp(cols[0], "id") == 0)
                        continue;
                rows++;
                bool found = false;
                for (size_t k = 0; audit_check_at(k); k++) {
                        const struct audit_check *ck = audit_check_at(k);
                        if (!bh_streq(ck->cis16, cols[0]))
                                continue;
                        found = true;
                        if (!bh_streq(ck->cis18, cols[5])) {
                                print_error("%s: 1.8 id %s, checklist says %s\n", cols[0],
                                            ck->cis18, cols[5]);
                                bad++;
                        }
                        bool manual = strcmp(cols[3], "Manual") == 0;
                        (void)manual;
                }
                if (!found) {
                        print_error("%s (%s) has no check\n", cols[0], cols[2]);
                        bad++;
                }
        }
        free(tsv);
        assert_int_equal(rows, 117);
        assert_int_equal(bad, 0);
        size_t n16 = 0, n18 = 0;
        for (size_t k = 0; audit_check_at(k); k++) {
                n16 += audit_check_at(k)->cis16 != NULL;
                n18 += audit_check_at(k)->cis18 != NULL;
        }
        assert_int_equal(n16, 117);
        assert_int_equal(n18, 118);
}

static void test_selection(void **state)
{
        struct audit_options o = {0};
        const struct audit_check *tls = NULL, *dm = NULL;
        for (size_t k = 0; audit_check_at(k); k++) {
                if (strcmp(audit_check_at(k)->rule, "daemon-tls-auth") == 0)
                        tls = audit_check_at(k);
                if (strcmp(audit_check_at(k)->rule, "daemon-no-devicemapper") == 0)
                        dm = audit_check_at(k);
        }
        assert_string_equal(audit_check_id(tls, AUDIT_CIS_1_6), "2.7");
        assert_string_equal(audit_check_id(tls, AUDIT_CIS_1_8), "2.8");
        assert_false(audit_check_selected(dm, &o)); /* not in 1.6 */
        o.cis_version = AUDIT_CIS_1_8;
        assert_true(audit_check_selected(dm, &o));
        bh_strv_push(&o.checks, "2");
        assert_true(audit_check_selected(tls, &o));
        bh_strv_free(o.checks);
        o.checks = NULL;
        bh_strv_push(&o.checks, "daemon-tls-*");
        assert_true(audit_check_selected(tls, &o));
        bh_strv_push(&o.skips, "2.8");
        assert_false(audit_check_selected(tls, &o));
        bh_strv_free(o.checks);
        bh_strv_free(o.skips);
        o = (struct audit_options){.level = 1};
        for (size_t k = 0; audit_check_at(k); k++)
                if (audit_check_at(k)->level == 2)
                        assert_false(audit_check_selected(audit_check_at(k), &o));
}

static void test_dockerd_flags(void **state)
{
        char *argv[] = {"/usr/bin/dockerd",
                        "-H",
                        "fd://",
                        "--host=tcp://0.0.0.0:2376",
                        "--icc=false",
                        "--tlsverify",
                        "-l",
                        "warn",
                        "--insecure-registry",
                        "a:5000",
                        "--insecure-registry=b:5000",
                        "--default-ulimit",
                        "nofile=1024:2048",
                        "--log-opt",
                        "max-size=10m",
                        "-D",
                        "--storage-opt",
                        "dm.basesize=20G",
                        "--unknown-flag",
                        "x",
                        "--unknown-switch",
                        NULL};
        struct bh_error err = {0};
        _cleanup_json_ json_t *f = audit_dockerd_flags(argv, &err);
        assert_non_null(f);
        assert_int_equal(bh_json_array_len(f, "hosts"), 2);
        assert_true(json_is_false(json_object_get(f, "icc")));
        assert_true(bh_json_bool(f, "tlsverify", false));
        assert_string_equal(bh_json_str(f, "log-level"), "warn");
        assert_int_equal(bh_json_array_len(f, "insecure-registries"), 2);
        assert_int_equal(bh_json_int(f, "default-ulimits.nofile.Hard", 0), 2048);
        assert_string_equal(bh_json_str(f, "log-opts.max-size"), "10m");
        assert_true(bh_json_bool(f, "debug", false));
        assert_string_equal(bh_json_str(f, "unknown-flag"), "x");
        assert_true(json_is_true(json_object_get(f, "unknown-switch")));
        /* merged onto daemon.json: lists join, flags win */
        _cleanup_json_ json_t *dj = json_pack("{s:[s],s:b,s:s}", "insecure-registries", "c:1",
                                              "live-restore", 1, "log-level", "info");
        _cleanup_json_ json_t *m = audit_config_merge(dj, f);
        assert_int_equal(bh_json_array_len(m, "insecure-registries"), 3);
        assert_true(bh_json_bool(m, "live-restore", false));
        assert_string_equal(bh_json_str(m, "log-level"), "warn");
        /* errors name the argument */
        char *bad1[] = {"dockerd", "--icc=perhaps", NULL};
        assert_null(audit_dockerd_flags(bad1, &err));
        assert_non_null(strstr(err.msg, "--icc"));
        char *bad2[] = {"dockerd", "--log-level", NULL};
        assert_null(audit_dockerd_flags(bad2, &err));
        assert_non_null(strstr(err.msg, "--log-level"));
        char *bad3[] = {"dockerd", "--default-ulimit", "nofile", NULL};
        assert_null(audit_dockerd_flags(bad3, &err));
        char *cf[] = {"dockerd", "--config-file", "/srv/d.json", NULL};
        assert_string_equal(audit_dockerd_config_file(cf), "/srv/d.json");
        _cleanup_strv_ char **split = audit_cmdline_split("a\0b c\0\0d\0", 8);
        assert_int_equal(bh_strv_len(split), 4);
        assert_string_equal(split[1], "b c");
        assert_string_equal(split[2], "");
}

static void test_unit_execstart(void **state)
{
        char *unit = "[Unit]\nDescription=Docker\n[Service]\nType=notify\n"
                     "EnvironmentFile=-/etc/default/docker\n"
                     "Environment=\"EXTRA=--live-restore\" OTHER=1\n"
                     "ExecStart=/usr/bin/dockerd -H fd:// \\\n  "
                     "--containerd=/run/containerd/containerd.sock "
                     "$DOCKER_OPTS ${EXTRA}\n";
        char *dropin =
            "[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd --icc=false $DOCKER_OPTS "
            "\"--label=a b\"\n";
        char *texts[] = {unit, NULL};
        struct bh_error err = {0};
        const char *env = "# comment\nDOCKER_OPTS=\"--userns-remap=default --no-new-privileges\"\n";
        _cleanup_strv_ char **argv = audit_unit_execstart(texts, 1, env, &err);
        assert_non_null(argv);
        assert_string_equal(argv[0], "/usr/bin/dockerd");
        assert_string_equal(argv[3], "--containerd=/run/containerd/containerd.sock");
        assert_string_equal(argv[4], "--userns-remap=default");
        assert_string_equal(argv[5], "--no-new-privileges");
        assert_string_equal(argv[6], "--live-restore");
        assert_null(argv[7]);
        char *both[] = {unit, dropin, NULL};
        _cleanup_strv_ char **argv2 = audit_unit_execstart(both, 2, env, &err);
        assert_string_equal(argv2[0], "/usr/sbin/dockerd");
        assert_string_equal(argv2[1], "--icc=false");
        assert_string_equal(argv2[4], "--label=a b");
        _cleanup_strv_ char **files = audit_unit_environment_files(texts, 1);
        assert_string_equal(files[0], "/etc/default/docker");
        char *none[] = {"[Service]\nType=simple\n", NULL};
        assert_null(audit_unit_execstart(none, 1, NULL, &err));
}

static void test_audit_rules_text(void **state)
{
        const char *rules = "## comment\n-D\n-b 8192\n-w /usr/bin/dockerd -p rwxa -k docker\n"
                            "-w /var/lib/docker/ -k docker # trailing\n"
                            "-a always,exit -F path=/usr/bin/runc -F perm=x -k docker\n"
                            "-a exit,always -F dir=/etc/docker -F perm=wa\n"
                            "-w relative/path\n-W /usr/bin/dockerd\n";
        _cleanup_strv_ char **paths = NULL;
        audit_rules_parse_text(rules, "t.rules", &paths);
        assert_false(audit_rules_cover(paths, "/usr/bin/dockerd")); /* removed by -W */
        assert_true(audit_rules_cover(paths, "/var/lib/docker"));
        assert_true(
            audit_rules_cover(paths, "/var/lib/docker/volumes/x")); /* inside a watched dir */
        assert_false(audit_rules_cover(paths, "/var/lib/dockerx"));
        assert_true(audit_rules_cover(paths, "/usr/bin/runc"));
        assert_true(audit_rules_cover(paths, "/etc/docker/daemon.json"));
        _cleanup_strv_ char **cleared = NULL;
        audit_rules_parse_text("-w /a\n-D\n-w /b\n", "t", &cleared);
        assert_false(audit_rules_cover(cleared, "/a"));
        assert_true(audit_rules_cover(cleared, "/b"));
}

/* A netlink answer as the kernel sends it: one AUDIT_LIST_RULES message per
 * rule, with string fields packed in order in buf. */
static size_t put_rule(unsigned char *out, const char *key, const char *watch, __u32 watch_field)
{
        size_t klen = strlen(key), wlen = strlen(watch);
        size_t plen = sizeof(struct audit_rule_data) + klen + wlen;
        struct nlmsghdr *h = (struct nlmsghdr *)out;
        h->nlmsg_len = (__u32)NLMSG_LENGTH(plen);
        h->nlmsg_type = AUDIT_LIST_RULES;
        struct audit_rule_data *r = NLMSG_DATA(h);
        memset(r, 0, plen);
        r->field_count = 3;
        r->fields[0] = AUDIT_FILTERKEY; /* a string before the watch: must be skipped */
        r->values[0] = (__u32)klen;
        r->fields[1] = AUDIT_PERM;
        r->values[1] = 2;
        r->fields[2] = watch_field;
        r->values[2] = (__u32)wlen;
        r->buflen = (__u32)(klen + wlen);
        memcpy(r->buf, key, klen);
        memcpy(r->buf + klen, watch, wlen);
        return NLMSG_ALIGN(h->nlmsg_len);
}

static void test_audit_rules_netlink(void **state)
{
        _Alignas(struct nlmsghdr) unsigned char buf[4096] = {0};
        size_t n = put_rule(buf, "docker", "/usr/sbin/dockerd", AUDIT_WATCH);
        n += put_rule(buf + n, "k", "/var/lib/docker", AUDIT_DIR);
        _cleanup_strv_ char **paths = NULL;
        struct bh_error err = {0};
        assert_int_equal(audit_rules_parse_netlink(buf, n, &paths, &err), 0);
        assert_int_equal(bh_strv_len(paths), 2);
        assert_true(audit_rules_cover(paths, "/usr/sbin/dockerd"));
        assert_true(audit_rules_cover(paths, "/var/lib/docker/image"));
        /* a string length that overruns the rule is an error, not a read past it */
        struct audit_rule_data *r = NLMSG_DATA((struct nlmsghdr *)buf);
        r->values[2] = 5000;
        _cleanup_strv_ char **p2 = NULL;
        assert_true(audit_rules_parse_netlink(buf, n, &p2, &err) < 0);
        /* and a message length beyond the buffer too */
        ((struct nlmsghdr *)buf)->nlmsg_len = 100000;
        assert_true(audit_rules_parse_netlink(buf, n, &p2, &err) < 0);
}

static void test_engine_eol(void **state)
{
        time_t nov2026 = 1795000000;
        struct engine_support s = engine_support_of("20.10.24+dfsg1", nov2026);
        assert_true(s.known && s.eol && s.distribution);
        assert_string_equal(s.eol_date, "2023-12-10");
        s = engine_support_of("27.3.1", nov2026);
        assert_true(s.known && s.eol && !s.distribution);
        s = engine_support_of("29.1.2", nov2026);
        assert_true(s.known && !s.eol);
        s = engine_support_of("27.3.1", 1725000000); /* 2024-08: 27 was current */
        assert_false(s.eol);
        s = engine_support_of("40.0.0", nov2026);
        assert_false(s.known);
        s = engine_support_of("1.13.1", nov2026);
        assert_true(s.eol);
        s = engine_support_of("garbage", nov2026);
        assert_false(s.known);
}

static void put_file(const char *dir, const char *rel, mode_t mode)
{
        _cleanup_free_ char *p = bh_path_join(dir, rel);
        _cleanup_free_ char *cmd = bh_xasprintf("mkdir -p \"$(dirname '%s')\" && : > '%s'", p, p);
        assert_int_equal(system(cmd), 0);
        assert_int_equal(chmod(p, mode), 0);
}

/* Layers merged as overlayfs merges them: a whiteout hides a lower file, an
 * opaque directory hides a lower directory's contents, an upper file hides a
 * lower one, and the top layer's own files count. */
static void test_overlay_merge(void **state)
{
        if (geteuid() != 0)
                skip(); /* whiteouts and trusted.* attributes need root */
        char top[] = "/tmp/bh-ov-XXXXXX";
        assert_non_null(mkdtemp(top));
        _cleanup_free_ char *upper = bh_path_join(top, "upper");
        _cleanup_free_ char *lower = bh_path_join(top, "lower");
        put_file(lower, "bin/su", 04755);
        put_file(lower, "bin/gone", 04755);
        put_file(lower, "usr/bin/wall", 02755);
        put_file(lower, "opt/keep/suid", 04755);
        put_file(lower, "bin/ping", 04755);
        put_file(upper, "bin/ping", 0755); /* copied up without the bit */
        put_file(upper, "sbin/new", 06755);
        _cleanup_free_ char *wh = bh_path_join(upper, "bin/gone");
        _cleanup_free_ char *ubin = bh_path_join(upper, "usr/bin");
        _cleanup_free_ char *mk = bh_xasprintf("mkdir -p '%s'", ubin);
        assert_int_equal(system(mk), 0);
        assert_int_equal(mknod(wh, S_IFCHR | 0, makedev(0, 0)), 0);
        assert_int_equal(setxattr(ubin, "trusted.overlay.opaque", "y", 1, 0), 0);
        char *layers[] = {upper, lower, NULL};
        char **files = NULL;
        size_t n = 0;
        struct bh_error err = {0};
        assert_int_equal(audit_overlay_setid_files(layers, &files, &n, &err), 0);
        qsort(files, n, sizeof(char *), cmp_strp);
        assert_int_equal(n, 3);
        assert_string_equal(files[0], "/bin/su");
        assert_string_equal(files[1], "/opt/keep/suid");
        assert_string_equal(files[2], "/sbin/new");
        bh_strv_free(files);
        char *missing[] = {"/nonexistent-layer", NULL};
        files = NULL;
        assert_true(audit_overlay_setid_files(missing, &files, &n, &err) < 0);
        assert_non_null(strstr(err.msg, "/nonexistent-layer"));
        _cleanup_free_ char *rm = bh_xasprintf("rm -rf '%s'", top);
        assert_int_equal(system(rm), 0);
}

static void test_caps(void **state)
{
        assert_int_equal(audit_cap_number("SYS_ADMIN"), 21);
        assert_int_equal(audit_cap_number("cap_sys_admin"), 21);
        assert_int_equal(audit_cap_number("NOPE"), -1);
        assert_int_equal(audit_docker_default_caps(), 0xa80425fbULL);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_well_kept_host),
            cmocka_unit_test(test_cases),
            cmocka_unit_test(test_every_check_has_both_cases),
            cmocka_unit_test(test_numbering_matches_checklist),
            cmocka_unit_test(test_selection),
            cmocka_unit_test(test_dockerd_flags),
            cmocka_unit_test(test_unit_execstart),
            cmocka_unit_test(test_audit_rules_text),
            cmocka_unit_test(test_audit_rules_netlink),
            cmocka_unit_test(test_engine_eol),
            cmocka_unit_test(test_caps),
            cmocka_unit_test(test_overlay_merge),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
