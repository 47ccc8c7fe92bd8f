/* Every lint rule with a Dockerfile that breaks it and one that does not,
 * plus pragmas, configuration files, ONBUILD, positions, ShellCheck and the
 * generated documentation. */
#include "base/buf.h"
#include "base/file.h"
#include "base/util.h"
#include "lint/lint.h"
#include "lint/lint_int.h"
#include "report/report.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

enum cfgk { CFG_NONE, CFG_ON, CFG_TRUSTED, CFG_LABELS, CFG_STRICT, CFG_NO_IGNORE_FILE };

struct rule_case {
        const char *id;
        enum cfgk cfg;
        const char *bad;
        const char *good;
};

#define SHA "sha256:0000000000000000000000000000000000000000000000000000000000000000"

static const struct rule_case cases[] = {
    {"BH1000", CFG_NONE, "FROM alpine\nCOPY --frm=x a /b\n", "FROM alpine\nCOPY a /b\n"},
    {"BH1001", CFG_NONE, "FROM alpine\nRUN true\n", "FROM alpine\nUSER 1000\n"},
    {"BH1002", CFG_NONE, "FROM alpine\nUSER app\n", "FROM alpine\nUSER 10001:10001\n"},
    {"BH1003", CFG_NONE, "FROM alpine:3.19\n", "FROM alpine:3.19@" SHA "\n"},
    {"BH1004", CFG_NONE, "FROM alpine\nADD https://example.com/x.tgz /x\n",
     "FROM alpine\nADD --checksum=" SHA " https://example.com/x.tgz /x\n"},
    {"BH1005", CFG_NONE, "FROM alpine\nRUN wget -qO- https://get.example.com | sudo sh -s -- -y\n",
     "FROM alpine\nRUN curl -fsSL https://x/api | python3 -c 'import json,sys; print(1)'\n"},
    {"BH1006", CFG_NONE, "FROM alpine\nCOPY config/.env /app/\n",
     "FROM alpine\nCOPY .env.example /app/\n"},
    {"BH1007", CFG_NONE, "FROM alpine\nENV DB_PASS=hunter2\n",
     "FROM alpine\nENV DB_PASS_FILE=/run/secrets/db\n"},
    {"BH1008", CFG_NONE, "FROM alpine\nRUN chmod -R 777 /app\n",
     "FROM alpine\nRUN chmod 1777 /tmp && chmod 755 /app\n"},
    {"BH1009", CFG_NONE, "FROM alpine\nCOPY --chmod=4755 x /usr/bin/x\n",
     "FROM alpine\nRUN chmod u+x /usr/bin/x\n"},
    {"BH1010", CFG_NONE, "FROM debian\nRUN apt-get install -y openssh-server\n",
     "FROM debian\nRUN apt-get install -y openssh-client\n"},
    {"BH1011", CFG_NONE, "FROM alpine\nRUN --security=insecure make\n",
     "FROM alpine\nRUN --security=sandbox make\n"},
    {"BH1012", CFG_NONE, "FROM node:20\nRUN npm ci\n",
     "FROM node:20\nRUN npm ci && npm cache clean --force\n"},
    {"BH1013", CFG_NONE,
     "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM debian:12\nCOPY --from=build /app "
     "/app\n",
     "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM "
     "gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\n"},
    {"BH1014", CFG_NONE,
     "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerAdministrator\n",
     "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerUser\n"},
    {"BH1015", CFG_NONE, "FROM alpine\n", "FROM alpine\nHEALTHCHECK CMD [\"true\"]\n"},
    {"BH1016", CFG_NONE, "FROM alpine\nRUN curl -sk https://x -o /y\n",
     "FROM alpine\nRUN curl -fsSL https://x -o /y\n"},
    {"BH1017", CFG_NONE, "FROM alpine\nRUN a \\\n\n  b\n", "FROM alpine\nRUN a \\\n  b\n"},
    {"BH1018", CFG_NO_IGNORE_FILE, "FROM alpine\nWORKDIR /app\nCOPY . .\n",
     "FROM alpine\nWORKDIR /app\nCOPY src/ ./src/\n"},
    {"DL1001", CFG_ON, "FROM alpine\n# hadolint ignore=DL3018\nRUN apk add curl\n",
     "FROM alpine\nRUN true\n"},
    {"DL3000", CFG_NONE, "FROM alpine\nWORKDIR app\n", "FROM alpine\nWORKDIR /app\n"},
    {"DL3001", CFG_NONE, "FROM alpine\nRUN ps aux\n", "FROM alpine\nRUN echo ps\n"},
    {"DL3002", CFG_NONE, "FROM alpine\nUSER root\n", "FROM alpine\nUSER root\nRUN x\nUSER 1000\n"},
    {"DL3003", CFG_NONE, "FROM alpine\nRUN cd /tmp && make\n",
     "FROM alpine\nWORKDIR /tmp\nRUN make\n"},
    {"DL3004", CFG_NONE, "FROM alpine\nRUN sudo apk add x\n", "FROM alpine\nRUN apk add x\n"},
    {"DL3006", CFG_NONE, "FROM alpine\n", "FROM alpine:3.19\n"},
    {"DL3007", CFG_NONE, "FROM alpine:latest\n", "FROM alpine:3.19\n"},
    {"DL3008", CFG_NONE, "FROM debian\nRUN apt-get install -y curl\n",
     "FROM debian\nRUN apt-get install -y curl=7.88.1-10 ./local.deb\n"},
    {"DL3009", CFG_NONE, "FROM debian\nRUN apt-get update && apt-get install -y curl\n",
     "FROM debian\nRUN apt-get update && apt-get install -y curl && rm -rf "
     "/var/lib/apt/lists/*\n"},
    {"DL3010", CFG_NONE, "FROM alpine\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n",
     "FROM alpine\nADD app.tar.gz /opt/\n"},
    {"DL3011", CFG_NONE, "FROM alpine\nEXPOSE 80000\n", "FROM alpine\nEXPOSE 8080/tcp 9000-9010\n"},
    {"DL3012", CFG_NONE, "FROM alpine\nHEALTHCHECK CMD a\nHEALTHCHECK CMD b\n",
     "FROM alpine\nHEALTHCHECK CMD a\n"},
    {"DL3013", CFG_NONE, "FROM python\nRUN pip install requests\n",
     "FROM python\nRUN pip install requests==2.31.0 -r requirements.txt .\n"},
    {"DL3014", CFG_NONE, "FROM debian\nRUN apt-get install curl\n",
     "FROM debian\nRUN apt-get -qq install curl\n"},
    {"DL3015", CFG_NONE, "FROM debian\nRUN apt-get install -y curl\n",
     "FROM debian\nRUN apt-get install -y --no-install-recommends curl\n"},
    {"DL3016", CFG_NONE, "FROM node\nRUN npm install express\n",
     "FROM node\nRUN npm install express@4.18.2 @types/node@20.1.0 ./local\n"},
    {"DL3018", CFG_NONE, "FROM alpine\nRUN apk add --virtual .deps curl\n",
     "FROM alpine\nRUN apk add --no-cache --virtual .deps curl=8.5.0-r0\n"},
    {"DL3019", CFG_NONE, "FROM alpine\nRUN apk add curl=8\n",
     "FROM alpine\nRUN apk add --no-cache curl=8\n"},
    {"DL3020", CFG_NONE, "FROM alpine\nADD app.py /app/\n", "FROM alpine\nADD app.tar.gz /app/\n"},
    {"DL3021", CFG_NONE, "FROM alpine\nCOPY a b /dest\n", "FROM alpine\nCOPY a b /dest/\n"},
    {"DL3022", CFG_NONE, "FROM alpine\nCOPY --from=builder /a /b\n",
     "FROM alpine AS builder\nFROM alpine\nCOPY --from=builder /a /b\nCOPY --from=0 /a /c\n"},
    {"DL3023", CFG_NONE, "FROM alpine AS x\nCOPY --from=x /a /b\n",
     "FROM alpine AS y\nFROM alpine AS x\nCOPY --from=y /a /b\n"},
    {"DL3024", CFG_NONE, "FROM alpine AS x\nFROM alpine AS X\n",
     "FROM alpine AS x\nFROM alpine AS y\n"},
    {"DL3025", CFG_NONE, "FROM alpine\nENTRYPOINT /app --serve\n",
     "FROM alpine\nENTRYPOINT [\"/app\", \"--serve\"]\n"},
    {"DL3026", CFG_TRUSTED, "FROM quay.io/x/y:1\n", "FROM alpine:3\n"},
    {"DL3027", CFG_NONE, "FROM debian\nRUN apt install -y curl\n",
     "FROM debian\nRUN apt-get install -y curl\n"},
    {"DL3028", CFG_NONE, "FROM ruby\nRUN gem install rails\n",
     "FROM ruby\nRUN gem install rails:7.1.0\n"},
    {"DL3029", CFG_NONE, "FROM --platform=linux/amd64 alpine\n",
     "FROM --platform=$BUILDPLATFORM alpine\n"},
    {"DL3030", CFG_NONE, "FROM centos\nRUN yum install httpd-2.4 && yum clean all\n",
     "FROM centos\nRUN yum install -y httpd-2.4 && yum clean all\n"},
    {"DL3032", CFG_NONE, "FROM centos\nRUN yum install -y httpd-2.4\n",
     "FROM centos\nRUN yum install -y httpd-2.4 && yum clean all\n"},
    {"DL3033", CFG_NONE, "FROM centos\nRUN yum install -y httpd && yum clean all\n",
     "FROM centos\nRUN yum install -y httpd-2.4.6 && yum clean all\n"},
    {"DL3034", CFG_NONE, "FROM opensuse/leap\nRUN zypper install curl=8 && zypper clean\n",
     "FROM opensuse/leap\nRUN zypper -n install curl=8 && zypper clean\n"},
    {"DL3035", CFG_NONE, "FROM opensuse/leap\nRUN zypper -n dist-upgrade\n",
     "FROM opensuse/leap\nRUN zypper -n refresh\n"},
    {"DL3036", CFG_NONE, "FROM opensuse/leap\nRUN zypper -n install curl=8\n",
     "FROM opensuse/leap\nRUN zypper -n install curl=8 && zypper clean -a\n"},
    {"DL3037", CFG_NONE, "FROM opensuse/leap\nRUN zypper -n install curl && zypper clean\n",
     "FROM opensuse/leap\nRUN zypper -n install curl=8.0 && zypper clean\n"},
    {"DL3038", CFG_NONE, "FROM fedora\nRUN dnf install httpd-2.4 && dnf clean all\n",
     "FROM fedora\nRUN dnf install -y httpd-2.4 && dnf clean all\n"},
    {"DL3040", CFG_NONE, "FROM fedora\nRUN dnf install -y httpd-2.4\n",
     "FROM fedora\nRUN dnf install -y httpd-2.4 && dnf clean all\n"},
    {"DL3041", CFG_NONE, "FROM fedora\nRUN microdnf install -y httpd && microdnf clean all\n",
     "FROM fedora\nRUN dnf install -y httpd-2.4.6 && dnf clean all\n"},
    {"DL3042", CFG_NONE, "FROM python\nRUN pip install flask==3.0.0\n",
     "FROM python\nRUN pip install --no-cache-dir flask==3.0.0\n"},
    {"DL3043", CFG_NONE, "FROM alpine\nONBUILD FROM alpine\n", "FROM alpine\nONBUILD RUN true\n"},
    {"DL3044", CFG_NONE, "FROM alpine\nENV A=1 B=$A\n", "FROM alpine\nENV A=1\nENV B=$A\n"},
    {"DL3045", CFG_NONE, "FROM alpine\nCOPY a.txt b/\n",
     "FROM alpine\nWORKDIR /app\nCOPY a.txt b/\n"},
    {"DL3046", CFG_NONE, "FROM debian\nRUN useradd -u 123456 app\n",
     "FROM debian\nRUN useradd -l -u 123456 app\n"},
    {"DL3047", CFG_NONE, "FROM debian\nRUN wget https://x/y\n",
     "FROM debian\nRUN wget --progress=dot:giga https://x/y\n"},
    {"DL3048", CFG_NONE, "FROM alpine\nLABEL Maintainer=x\n",
     "FROM alpine\nLABEL org.opencontainers.image.authors=x\n"},
    {"DL3049", CFG_LABELS, "FROM alpine\n",
     "FROM alpine\nLABEL version=1.0.0 url=https://x created=2024-01-31T12:00:00Z "
     "license=MIT rev=abcdef1 contact=a@example.org text=x\n"},
    {"DL3050", CFG_STRICT, "FROM alpine\nLABEL version=1.0.0 other=x\n",
     "FROM alpine\nLABEL version=1.0.0\n"},
    {"DL3051", CFG_LABELS, "FROM alpine\nLABEL text=\"\"\n", "FROM alpine\nLABEL text=x\n"},
    {"DL3052", CFG_LABELS, "FROM alpine\nLABEL url=not-a-url\n",
     "FROM alpine\nLABEL url=https://example.com/x\n"},
    {"DL3053", CFG_LABELS, "FROM alpine\nLABEL created=yesterday\n",
     "FROM alpine\nLABEL created=2024-01-31T12:00:00+01:00\n"},
    {"DL3054", CFG_LABELS, "FROM alpine\nLABEL license=Apache2\n",
     "FROM alpine\nLABEL license=\"(MIT OR Apache-2.0)\"\n"},
    {"DL3055", CFG_LABELS, "FROM alpine\nLABEL rev=xyz\n", "FROM alpine\nLABEL rev=0123abcd\n"},
    {"DL3056", CFG_LABELS, "FROM alpine\nLABEL version=1.0\n",
     "FROM alpine\nLABEL version=1.0.0-rc.1+b5\n"},
    {"DL3057", CFG_ON, "FROM alpine\n", "FROM alpine\nHEALTHCHECK CMD [\"true\"]\n"},
    {"DL3058", CFG_LABELS, "FROM alpine\nLABEL contact=nobody\n",
     "FROM alpine\nLABEL contact=a@example.org\n"},
    {"DL3059", CFG_NONE, "FROM alpine\nRUN a\nRUN b\n", "FROM alpine\nRUN a && b\n"},
    {"DL3060", CFG_NONE, "FROM node\nRUN yarn install\n",
     "FROM node\nRUN yarn install && yarn cache clean\n"},
    {"DL3061", CFG_NONE, "LABEL a=b\nFROM alpine\n", "ARG V=1\nFROM alpine:$V\n"},
    {"DL3062", CFG_NONE, "FROM golang\nRUN go install github.com/x/y\n",
     "FROM golang\nRUN go install github.com/x/y@v1.2.3 ./cmd/...\n"},
    {"DL3063", CFG_NONE, "FROM alpine AS scratch\n", "FROM alpine AS base\n"},
    {"DL3064", CFG_NONE, "FROM alpine\nARG GITHUB_TOKEN\n", "FROM alpine\nARG VERSION\n"},
    {"DL3065", CFG_NONE, "FROM --platform=$TARGETPLATFORM alpine\n",
     "FROM --platform=$BUILDPLATFORM alpine\n"},
    {"DL3066", CFG_NONE, "FROM alpine\nUSER app\nRUN x\nUSER 1000\n", "FROM alpine\nUSER 1000\n"},
    {"DL3067", CFG_NONE, "FROM alpine AS a\nFROM alpine\nCOPY --from=a / /\n",
     "FROM alpine AS a\nFROM alpine\nCOPY --from=a /app /app\n"},
    {"DL4000", CFG_NONE, "FROM alpine\nMAINTAINER me\n",
     "FROM alpine\nLABEL org.opencontainers.image.authors=me\n"},
    {"DL4001", CFG_NONE, "FROM alpine\nRUN curl -o a x && wget y\n",
     "FROM alpine AS a\nRUN curl -o a x\nFROM alpine\nRUN wget y\n"},
    {"DL4003", CFG_NONE, "FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\n",
     "FROM alpine\nCMD [\"a\"]\nFROM alpine\nCMD [\"b\"]\n"},
    {"DL4004", CFG_NONE, "FROM alpine\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n",
     "FROM alpine\nENTRYPOINT [\"a\"]\n"},
    {"DL4005", CFG_NONE, "FROM alpine\nRUN ln -sf /bin/bash /bin/sh\n",
     "FROM alpine\nSHELL [\"/bin/bash\", \"-c\"]\n"},
    {"DL4006", CFG_NONE, "FROM alpine\nRUN curl x | tar xz\n",
     "FROM alpine\nSHELL [\"/bin/ash\", \"-eo\", \"pipefail\", \"-c\"]\nRUN curl x | tar xz\n"},
};

static void config_for(struct lint_config *cfg, const struct rule_case *rc)
{
        lint_config_init(cfg);
        cfg->no_shellcheck = true;
        static const struct {
                const char *name;
                enum lint_label_type t;
        } labels[] = {{"version", LABEL_SEMVER}, {"url", LABEL_URL},  {"created", LABEL_RFC3339},
                      {"license", LABEL_SPDX},   {"rev", LABEL_HASH}, {"contact", LABEL_EMAIL},
                      {"text", LABEL_TEXT}};
        switch (rc ? rc->cfg : CFG_NONE) {
        case CFG_ON:
                lint_config_set_level(cfg, rc->id, LINT_INFO);
                break;
        case CFG_TRUSTED:
                bh_strv_push(&cfg->trusted_registries, "docker.io");
                break;
        case CFG_STRICT:
                cfg->strict_labels = true;
                cfg->labels = bh_xcalloc(1, sizeof *cfg->labels);
                cfg->labels[0].name = bh_xstrdup("version");
                cfg->labels[0].type = LABEL_SEMVER;
                cfg->nlabels = 1;
                break;
        case CFG_LABELS:
                cfg->labels = bh_xcalloc(BH_ARRAY_SIZE(labels), sizeof *cfg->labels);
                for (size_t i = 0; i < BH_ARRAY_SIZE(labels); i++) {
                        cfg->labels[i].name = bh_xstrdup(labels[i].name);
                        cfg->labels[i].type = labels[i].t;
                }
                cfg->nlabels = BH_ARRAY_SIZE(labels);
                break;
        case CFG_NONE:
        case CFG_NO_IGNORE_FILE:
                break;
        }
}

static bool no_dockerignore;

static void lint_text(const char *text, const struct lint_config *cfg, struct bh_report *r)
{
        bh_report_init(r, "lint");
        struct lint_input in = {.path = "Dockerfile",
                                .data = text,
                                .len = strlen(text),
                                .context_known = true,
                                .has_dockerignore = !no_dockerignore};
        struct bh_error err = {0};
        if (lint_dockerfile(&in, cfg, NULL, r, &err) < 0)
                fail_msg("lint failed: %s", err.msg);
}

static const struct bh_finding *find_id(const struct bh_report *r, const char *id)
{
        for (size_t i = 0; i < r->count; i++)
                if (strcmp(r->findings[i].id, id) == 0)
                        return &r->findings[i];
        return NULL;
}

static void test_each_rule_bad_and_good(void **state)
{
        for (size_t i = 0; i < BH_ARRAY_SIZE(cases); i++) {
                const struct rule_case *rc = &cases[i];
                struct lint_config cfg;
                config_for(&cfg, rc);
                no_dockerignore = rc->cfg == CFG_NO_IGNORE_FILE;
                struct bh_report r;
                lint_text(rc->bad, &cfg, &r);
                if (!find_id(&r, rc->id))
                        fail_msg("%s: not reported for\n%s", rc->id, rc->bad);
                const struct bh_finding *f = find_id(&r, rc->id);
                assert_int_equal(f->target.kind, BH_TARGET_FILE);
                assert_true(f->target.line >= 1 && f->target.column >= 1);
                assert_non_null(f->message);
                assert_non_null(f->remediation);
                bh_report_free(&r);
                lint_text(rc->good, &cfg, &r);
                if (find_id(&r, rc->id))
                        fail_msg("%s: reported for the good case (%s)\n%s", rc->id,
                                 find_id(&r, rc->id)->message, rc->good);
                bh_report_free(&r);
                lint_config_free(&cfg);
                no_dockerignore = false;
        }
}

static void test_every_rule_has_a_case(void **state)
{
        for (size_t i = 0; i < lint_rule_count(); i++) {
                const char *id = lint_rule_id(lint_rule_at(i));
                bool found = false;
                for (size_t k = 0; k < BH_ARRAY_SIZE(cases) && !found; k++)
                        found = strcmp(cases[k].id, id) == 0;
                if (!found)
                        fail_msg("rule %s has no test case", id);
                assert_ptr_equal(lint_rule_find(id), lint_rule_at(i));
        }
}

static void test_hadolint_ids_covered(void **state)
{
        /* every DL id in the reference table has a rule, except those
         * hadolint itself retired (DL3005 upgrade, DL3017 apk upgrade, DL3031
         * yum update, DL3039 dnf update: all removed from hadolint) */
        const char *shared = getenv("BH_SHARED");
        _cleanup_free_ char *path =
            bh_path_join(shared ? shared : "../shared", "reference/hadolint-rule-ids.tsv");
        _cleanup_free_ char *data = NULL;
        size_t len;
        struct bh_error err = {0};
        if (bh_read_file(path, 1 << 20, &data, &len, &err) < 0) {
                free(bh_steal_ptr(&path)); /* skip() jumps over the cleanup */
                skip();
        }
        size_t n = 0;
        for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
                if (!bh_startswith(line, "DL"))
                        continue;
                char id[8], level[16], onbuild[8];
                if (sscanf(line, "%7s %15s %7s", id, level, onbuild) != 3)
                        fail_msg("bad line: %s", line);
                const struct lint_rule *rule = lint_rule_find(id);
                if (!rule)
                        fail_msg("no rule for %s", id);
                /* hadolint's default level and its choice to look into ONBUILD */
                const char *mine =
                    rule->level == LINT_OFF ? "ignore" : lint_level_name(rule->level);
                if (strcmp(mine, level) != 0)
                        fail_msg("%s: level %s, hadolint's is %s", id, mine, level);
                if (rule->onbuild != (strcmp(onbuild, "yes") == 0))
                        fail_msg("%s: ONBUILD %d, hadolint's is %s", id, rule->onbuild, onbuild);
                n++;
        }
        assert_int_equal(n, 71);
}

static void test_onbuild(void **state)
{
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        lint_text("FROM debian:12\nONBUILD RUN apt-get install -y curl\nONBUILD CMD echo hi\n",
                  &cfg, &r);
        const struct bh_finding *f = find_id(&r, "DL3008");
        assert_non_null(f); /* DL3008 looks into ONBUILD triggers */
        assert_int_equal(f->target.line, 2);
        assert_int_equal(f->target.column, 32);
        assert_null(find_id(&r, "DL3025")); /* DL3025 does not */
        bh_report_free(&r);
        lint_config_free(&cfg);
}

static void test_positions_on_continuation_lines(void **state)
{
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        lint_text("FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y \\\n      curl "
                  "\\\n      wget=1.21\n",
                  &cfg, &r);
        const struct bh_finding *f = find_id(&r, "DL3008");
        assert_non_null(f);
        assert_int_equal(f->target.line, 4);
        assert_int_equal(f->target.column, 7);
        assert_int_equal(f->target.end_line, 4);
        assert_int_equal(f->target.end_column, 11);
        bh_report_free(&r);
        lint_config_free(&cfg);
}

static void test_pragmas(void **state)
{
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        const char *df = "FROM alpine:3\n"
                         "# hadolint ignore=DL3018,DL3019 because we must\n"
                         "RUN apk add curl\n"
                         "RUN apk add wget\n"
                         "# bulkhead ignore=BH1005\n"
                         "RUN curl x | sh\n";
        lint_text(df, &cfg, &r);
        size_t dl3018 = 0;
        for (size_t i = 0; i < r.count; i++)
                if (strcmp(r.findings[i].id, "DL3018") == 0) {
                        dl3018++;
                        assert_int_equal(r.findings[i].target.line, 4);
                }
        assert_int_equal(dl3018, 1);
        assert_null(find_id(&r, "BH1005"));
        bh_report_free(&r);
        /* global ignore */
        lint_text("# hadolint global ignore=DL3018\nFROM alpine:3\nRUN apk add a\nRUN apk add b\n",
                  &cfg, &r);
        assert_null(find_id(&r, "DL3018"));
        bh_report_free(&r);
        /* disable-ignore-pragma */
        cfg.disable_ignore_pragma = true;
        lint_text(df, &cfg, &r);
        assert_non_null(find_id(&r, "BH1005"));
        bh_report_free(&r);
        cfg.disable_ignore_pragma = false;
        /* shell=powershell: no shell rules after it */
        lint_text("FROM alpine:3\n# hadolint shell=powershell\nRUN cd x; apk add y\n", &cfg, &r);
        assert_null(find_id(&r, "DL3003"));
        assert_null(find_id(&r, "DL3018"));
        bh_report_free(&r);
        /* a Windows base image: cmd.exe, no POSIX shell rules */
        lint_text("FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN cd x && dir\n", &cfg,
                  &r);
        assert_null(find_id(&r, "DL3003"));
        assert_null(find_id(&r, "BH1001"));
        bh_report_free(&r);
        lint_config_free(&cfg);
}

static char *write_tmp(const char *text)
{
        char *path = bh_xstrdup("/tmp/bh-lint-cfg-XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        close(fd);
        return path;
}

static void test_config_file(void **state)
{
        _cleanup_free_ char *path =
            write_tmp("ignored:\n  - DL3018\n"
                      "override:\n  error: [DL3059]\n  info:\n    - DL3057\n"
                      "trustedRegistries:\n  - docker.io\n  - '*.corp.example'\n"
                      "failure-threshold: warning\n"
                      "label-schema:\n  version: semver\n"
                      "strict-labels: true\n"
                      "disable-ignore-pragma: true\n"
                      "digest-pinning: final\n"
                      "format: tty\n");
        struct lint_config cfg;
        lint_config_init(&cfg);
        struct bh_error err = {0};
        assert_int_equal(lint_config_load(&cfg, path, &err), 0);
        unlink(path);
        cfg.no_shellcheck = true;
        assert_true(cfg.has_failure_threshold);
        assert_int_equal(cfg.failure_threshold, LINT_WARNING);
        assert_true(cfg.strict_labels && cfg.disable_ignore_pragma);
        assert_int_equal(cfg.nlabels, 1);
        assert_int_equal(cfg.digest, DIGEST_FINAL);
        struct bh_report r;
        lint_text("FROM registry.corp.example/base:1 AS b\nFROM quay.io/x:1\nRUN apk add x\nRUN "
                  "true\nLABEL version=1.0.0\n",
                  &cfg, &r);
        assert_null(find_id(&r, "DL3018"));
        const struct bh_finding *f = find_id(&r, "DL3059");
        assert_non_null(f);
        assert_int_equal(f->status, BH_STATUS_FAIL);
        assert_non_null(find_id(&r, "DL3057"));
        f = find_id(&r, "DL3026");
        assert_non_null(f);
        assert_int_equal(f->target.line, 2);
        /* digest pinning only for the final stage */
        size_t digest = 0;
        for (size_t i = 0; i < r.count; i++)
                if (strcmp(r.findings[i].id, "BH1003") == 0)
                        digest++;
        assert_int_equal(digest, 1);
        bh_report_free(&r);
        lint_config_free(&cfg);
        /* errors name the file and the line */
        _cleanup_free_ char *bad = write_tmp("override:\n  fatal: [DL1]\n");
        lint_config_init(&cfg);
        assert_true(lint_config_load(&cfg, bad, &err) < 0);
        assert_non_null(strstr(err.msg, "line 2"));
        assert_non_null(strstr(err.msg, "fatal"));
        unlink(bad);
        lint_config_free(&cfg);
        _cleanup_free_ char *broken = write_tmp("ignored: [DL3000\n");
        lint_config_init(&cfg);
        assert_true(lint_config_load(&cfg, broken, &err) < 0);
        assert_non_null(strstr(err.msg, broken));
        unlink(broken);
        lint_config_free(&cfg);
}

static void test_config_discovery(void **state)
{
        char dir[] = "/tmp/bh-lint-dir-XXXXXX";
        assert_non_null(mkdtemp(dir));
        _cleanup_free_ char *h = bh_path_join(dir, ".hadolint.yaml");
        _cleanup_free_ char *b = bh_path_join(dir, ".bulkhead.yaml");
        FILE *f = fopen(h, "w");
        fputs("ignored: [DL3018]\noverride:\n  error: [DL3059]\n", f);
        fclose(f);
        f = fopen(b, "w");
        fputs("override:\n  info: [DL3059]\ndigest-pinning: off\nshellcheck: false\n", f);
        fclose(f);
        struct lint_config cfg;
        lint_config_init(&cfg);
        struct bh_error err = {0};
        assert_int_equal(lint_config_discover(&cfg, dir, &err), 0);
        /* both read, hadolint's first, Bulkhead's on top */
        assert_int_equal(bh_strv_len(cfg.loaded_from), 2);
        assert_true(bh_endswith(cfg.loaded_from[1], ".bulkhead.yaml"));
        assert_true(cfg.no_shellcheck);
        assert_int_equal(cfg.digest, DIGEST_OFF);
        struct bh_report r;
        lint_text("FROM alpine:3\nRUN apk add --no-cache a\nRUN true\n", &cfg, &r);
        assert_null(find_id(&r, "DL3018"));
        assert_null(find_id(&r, "BH1003"));
        const struct bh_finding *fd = find_id(&r, "DL3059");
        assert_non_null(fd);
        assert_int_equal(fd->status, BH_STATUS_INFO);
        bh_report_free(&r);
        lint_config_free(&cfg);
        unlink(h);
        unlink(b);
        rmdir(dir);
}

static void test_buildkit_checks(void **state)
{
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        lint_text("FROM alpine:3 AS a b\n"
                  "RUN --mount=type=nfs,target=/x --network=bridge true\n"
                  "HEALTHCHECK --interval=5 --retries=x CMD true\n"
                  "HEALTHCHECK PING\n"
                  "FROBNICATE now\n"
                  "SHELL /bin/sh -c\n"
                  "COPY onlyone\n"
                  "ONBUILD ADD --checksum=x\n",
                  &cfg, &r);
        const char *want[] = {"FROM takes an image",
                              "unknown mount type \"nfs\"",
                              "--network=bridge",
                              "--interval=5: expected a duration",
                              "--retries=x",
                              "HEALTHCHECK type \"PING\"",
                              "unknown instruction FROBNICATE",
                              "SHELL needs a JSON array",
                              "COPY needs at least a source",
                              "ADD needs at least a source"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(want); i++) {
                bool found = false;
                for (size_t k = 0; k < r.count && !found; k++)
                        found = strcmp(r.findings[k].id, "BH1000") == 0 &&
                                strstr(r.findings[k].message, want[i]);
                if (!found)
                        fail_msg("no BH1000 finding says \"%s\"", want[i]);
        }
        bh_report_free(&r);
        lint_text("FROM alpine:3\nRUN --mount=type=secret,id=t --mount=type=ssh "
                  "--mount=type=tmpfs,target=/t --mount=type=bind,source=.,target=/s "
                  "--network=none true\nHEALTHCHECK --interval=1m30s --start-period=0s "
                  "--retries=3 CMD true\nHEALTHCHECK NONE\n",
                  &cfg, &r);
        assert_null(find_id(&r, "BH1000"));
        bh_report_free(&r);
        /* what BuildKit refuses after parsing (stage names, blank names,
         * EXPOSE specs, ADD --checksum sources, no stage at all) */
        lint_text("FROM alpine AS 1stage\nENV =x\nLABEL =z\nARG =y\n"
                  "EXPOSE 80/foo 70000 8000-8080/udp 9/SCTP ${PORT}\n"
                  "ADD --checksum=sha256:abc local.txt /x\n"
                  "ADD --checksum=sha256:abc a b /d/\n",
                  &cfg, &r);
        const char *refused[] = {"invalid stage name \"1stage\"",
                                 "ENV names cannot be blank",
                                 "LABEL names cannot be blank",
                                 "ARG names cannot be blank",
                                 "EXPOSE 80/foo: the protocol",
                                 "EXPOSE 70000: a port",
                                 "needs an HTTP(S) or Git source, not local.txt",
                                 "--checksum takes exactly one source"};
        size_t refusals = 0;
        for (size_t k = 0; k < r.count; k++)
                refusals += strcmp(r.findings[k].id, "BH1000") == 0;
        for (size_t i = 0; i < BH_ARRAY_SIZE(refused); i++) {
                bool found = false;
                for (size_t k = 0; k < r.count && !found; k++)
                        found = strcmp(r.findings[k].id, "BH1000") == 0 &&
                                strstr(r.findings[k].message, refused[i]);
                if (!found)
                        fail_msg("no BH1000 finding says \"%s\"", refused[i]);
        }
        assert_int_equal(refusals, BH_ARRAY_SIZE(refused)); /* 8000-8080/udp, 9/SCTP, $PORT pass */
        bh_report_free(&r);
        lint_text("ARG V=1\n# no stage\n", &cfg, &r);
        assert_non_null(find_id(&r, "BH1000"));
        assert_non_null(strstr(find_id(&r, "BH1000")->message, "no FROM"));
        bh_report_free(&r);
        lint_text("FROM alpine AS Build.Stage-2_x\nADD --checksum=sha256:abc "
                  "https://example.com/x.tgz /x\nADD --checksum=sha256:abc "
                  "https://github.com/a/b.git#v1 /src\nEXPOSE 80 443/tcp\nENV A=1 B=2\n",
                  &cfg, &r);
        assert_null(find_id(&r, "BH1000"));
        bh_report_free(&r);
        lint_config_free(&cfg);
}

static void test_parse_error_finding(void **state)
{
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        bh_report_init(&r, "lint");
        struct lint_input in = {.path = "x/Dockerfile", .data = "FROM a\nENV PATH\n", .len = 16};
        struct bh_error err = {0};
        assert_true(lint_dockerfile(&in, &cfg, NULL, &r, &err) < 0);
        assert_int_equal(r.count, 1);
        assert_string_equal(r.findings[0].id, "DL1000");
        assert_int_equal(r.findings[0].status, BH_STATUS_ERROR);
        assert_int_equal(r.findings[0].target.line, 2);
        assert_non_null(strstr(err.msg, "x/Dockerfile:2: ENV must have two arguments"));
        bh_report_free(&r);
        lint_config_free(&cfg);
}

static void test_secret_values(void **state)
{
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        lint_text("FROM alpine:3\nARG GIT=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n"
                  "LABEL k=AKIAABCDEFGHIJKLMNOP\nENV SHA=" SHA "\n",
                  &cfg, &r);
        size_t n = 0;
        for (size_t i = 0; i < r.count; i++)
                if (strcmp(r.findings[i].id, "BH1007") == 0) {
                        n++;
                        /* the value itself is never repeated */
                        assert_null(strstr(r.findings[i].message, "ghp_"));
                        assert_null(strstr(r.findings[i].message, "AKIA"));
                }
        assert_int_equal(n, 2);
        bh_report_free(&r);
        lint_config_free(&cfg);
}

static void test_shellcheck_mapping(void **state)
{
        if (access("/usr/bin/shellcheck", X_OK) != 0)
                skip();
        struct lint_config cfg;
        lint_config_init(&cfg);
        struct lint_shellcheck_state sc = {.path = "/usr/bin/shellcheck"};
        struct bh_report r;
        bh_report_init(&r, "lint");
        const char *df =
            "FROM alpine:3\nARG lower\nRUN echo hello && \\\n    echo $1 $lower && \\\n"
            "    [ $foo = 1 ]\nRUN <<EOF\nset -e\nrm -rf $dir/*\nEOF\n";
        struct lint_input in = {.path = "Dockerfile", .data = df, .len = strlen(df)};
        struct bh_error err = {0};
        assert_int_equal(lint_dockerfile(&in, &cfg, &sc, &r, &err), 0);
        assert_int_equal(sc.runs, 1); /* one process for both RUNs */
        bool line4 = false, line8 = false;
        for (size_t i = 0; i < r.count; i++) {
                const struct bh_finding *f = &r.findings[i];
                if (!bh_startswith(f->id, "SC"))
                        continue;
                if (f->target.line == 4 && f->target.column == 10)
                        line4 = true; /* $1 on the continuation line */
                if (f->target.line == 8)
                        line8 = true; /* inside the heredoc */
                /* ARG lower is declared: no "referenced but not assigned" */
                assert_false(strcmp(f->id, "SC2154") == 0 && strstr(f->message, "lower"));
        }
        assert_true(line4);
        assert_true(line8);
        bh_report_free(&r);
        lint_config_free(&cfg);
        /* a missing program is noticed, not an error */
        struct lint_shellcheck_state none = {.path = "/nonexistent/shellcheck"};
        bh_report_init(&r, "lint");
        assert_int_equal(lint_dockerfile(&in, &cfg, &none, &r, &err), 0);
        assert_true(none.missing);
        bh_report_free(&r);
}

static size_t count_id(const struct bh_report *r, const char *id)
{
        size_t n = 0;
        for (size_t i = 0; i < r->count; i++)
                if (strcmp(r->findings[i].id, id) == 0)
                        n++;
        return n;
}

static bool has_at(const struct bh_report *r, const char *id, unsigned line, unsigned col)
{
        for (size_t i = 0; i < r->count; i++)
                if (strcmp(r->findings[i].id, id) == 0 && r->findings[i].target.line == line &&
                    (col == 0 || r->findings[i].target.column == col))
                        return true;
        return false;
}

/* Lints text with the default configuration and counts the findings of id. */
static size_t count_in(const char *text, const char *id)
{
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        lint_text(text, &cfg, &r);
        size_t n = count_id(&r, id);
        bh_report_free(&r);
        lint_config_free(&cfg);
        return n;
}

static void test_json_with_trailing_text(void **state)
{
        /* BuildKit: text after the array makes it shell form */
        assert_int_equal(count_in("FROM alpine:3\nENTRYPOINT [\"/e.sh\"] # start\n"
                                  "CMD [\"a\"] x\n",
                                  "DL3025"),
                         2);
        assert_int_equal(count_in("FROM alpine:3\nCMD [\"a\"]]\n", "DL3025"), 1);
        assert_int_equal(count_in("FROM alpine:3\nCMD [\"a\"]  \n", "DL3025"), 0);
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        lint_text("FROM alpine:3\nSHELL [\"/bin/bash\", \"-c\"] # bash\n", &cfg, &r);
        const struct bh_finding *f = find_id(&r, "BH1000");
        assert_non_null(f);
        assert_non_null(strstr(f->message, "SHELL needs a JSON array"));
        bh_report_free(&r);
        lint_config_free(&cfg);
}

static void test_copy_dest_directory(void **state)
{
        /* BuildKit: ".", "" and a trailing separator are directories */
        assert_int_equal(count_in("FROM alpine:3\nWORKDIR /app\nCOPY a b .\nCOPY a b ./\n"
                                  "COPY [\"a\", \"b\", \".\"]\nCOPY a b \"\"\n",
                                  "DL3021"),
                         0);
        assert_int_equal(
            count_in("FROM alpine:3\nWORKDIR /app\nCOPY a b ..\nCOPY a b app\n", "DL3021"), 2);
}

static void test_secret_names_locations(void **state)
{
        /* a last segment naming a location or a handle is not a secret */
        const char *harmless[] = {
            "SSH_AUTH_SOCK", "AUTH_SOCKET", "DB_PASSWORD_FILE", "TOKEN_PATH", "SECRETS_DIR",
            "AUTH_URL",      "AUTH_URI",    "PASSWORD_HOST",    "AUTH_PORT",  "vault-token.sock"};
        const char *secret[] = {"AUTH_TOKEN", "API_KEY", "PASSWORD", "DB_PASS", "SOCK_PASSWORD"};
        char df[128];
        for (size_t i = 0; i < BH_ARRAY_SIZE(harmless); i++) {
                snprintf(df, sizeof df, "FROM alpine:3\nENV %s=/run/x\n", harmless[i]);
                if (count_in(df, "BH1007"))
                        fail_msg("BH1007 reported for %s", harmless[i]);
        }
        for (size_t i = 0; i < BH_ARRAY_SIZE(secret); i++) {
                snprintf(df, sizeof df, "FROM alpine:3\nENV %s=x\nARG %s\n", secret[i], secret[i]);
                /* DL3064 takes the names it knows; BH1007 the others */
                if (count_in(df, "BH1007") + count_in(df, "DL3064") != 2)
                        fail_msg("BH1007 not reported twice for %s", secret[i]);
        }
}

static void test_pragma_spacing(void **state)
{
        /* hadolint allows blanks around '=' and after commas */
        const char *forms[] = {
            "# hadolint ignore=DL3003, DL4006\n", "# hadolint ignore = DL3003,DL4006\n",
            "#hadolint\tignore =DL3003 ,\tDL4006 # why\n", "# bulkhead ignore= DL3003 , DL4006\n"};
        char df[256];
        for (size_t i = 0; i < BH_ARRAY_SIZE(forms); i++) {
                snprintf(df, sizeof df,
                         "FROM alpine:3\n%sRUN cd /tmp && wget -qO- https://x/y | tar -xz\n",
                         forms[i]);
                if (count_in(df, "DL3003") || count_in(df, "DL4006"))
                        fail_msg("not both ignored by %s", forms[i]);
        }
        snprintf(df, sizeof df,
                 "# hadolint global ignore = DL3003, DL4006\nFROM alpine:3\n"
                 "RUN cd /tmp && wget -qO- https://x/y | tar -xz\n");
        assert_int_equal(count_in(df, "DL3003") + count_in(df, "DL4006"), 0);
        /* not a pragma: no '=', or another word */
        snprintf(df, sizeof df,
                 "FROM alpine:3\n# hadolint ignore DL3003\n# hadolintignore=DL3003\n"
                 "RUN cd /tmp && true\n");
        assert_int_equal(count_in(df, "DL3003"), 1);
}

static void test_case_patterns_are_no_pipes(void **state)
{
        const char *no_pipe[] = {
            "RUN case \"$(uname -m)\" in x86_64|aarch64|ppc64le) echo ok ;; *) exit 1 ;; esac\n",
            "RUN case \"$a\" in (a|b) echo ;; (c|d) ;; esac\n",
            "RUN arch=\"$(dpkg --print-architecture)\"; \\\n    case \"$arch\" in \\\n"
            "        amd64|arm64) echo supported ;; \\\n        *) exit 1 ;; \\\n    esac\n",
            "RUN case $a in x|y) case $b in p|q) true ;; esac ;; z|w) ( cd / ) esac\n",
            "RUN if true; then case $a in x|y) echo ;; esac; fi && echo 'a|b'\n",
        };
        char df[512];
        for (size_t i = 0; i < BH_ARRAY_SIZE(no_pipe); i++) {
                snprintf(df, sizeof df, "FROM debian:12\n%s", no_pipe[i]);
                if (count_in(df, "DL4006"))
                        fail_msg("DL4006 reported for %s", no_pipe[i]);
        }
        /* a real pipe after the case is still found, at its own place */
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        lint_text("FROM debian:12\nRUN case \"$x\" in \\\n        amd64|i386) echo a ;; \\\n"
                  "    esac \\\n    && apt-mark showmanual | xargs apt-mark auto\n"
                  "RUN case $a in a|b) curl -s x | sh ;; esac\n",
                  &cfg, &r);
        assert_int_equal(count_id(&r, "DL4006"), 2);
        assert_true(has_at(&r, "DL4006", 5, 8));
        assert_true(has_at(&r, "DL4006", 6, 21));
        bh_report_free(&r);
        /* and the patterns are no commands */
        lint_text("FROM debian:12\nRUN curl -o /a x\nRUN case $a in x|wget) true ;; esac\n", &cfg,
                  &r);
        assert_null(find_id(&r, "DL4001"));
        bh_report_free(&r);
        lint_config_free(&cfg);
}

static void test_apt_lists_follow_update(void **state)
{
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        /* the RUN with apt-get update is reported, not the one that installs */
        lint_text("FROM debian:12\nRUN apt-get -o Acquire::Retries=3 update\n"
                  "RUN apt-get install -y curl\n",
                  &cfg, &r);
        assert_int_equal(count_id(&r, "DL3009"), 1);
        assert_true(has_at(&r, "DL3009", 2, 5));
        bh_report_free(&r);
        lint_config_free(&cfg);
        /* installing a local package without update leaves no lists */
        assert_int_equal(count_in("FROM debian:12\nRUN apt-get update && apt-get install -y x "
                                  "&& rm -rf /var/lib/apt/lists/*\n"
                                  "RUN apt-get install -y /tmp/local.deb\n",
                                  "DL3009"),
                         0);
        /* cache mounts: the lists, or both /var/lib/apt and /var/cache/apt */
        assert_int_equal(
            count_in("FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists "
                     "apt-get update\n"
                     "RUN --mount=type=cache,target=/var/lib/apt "
                     "--mount=type=cache,target=/var/cache/apt,sharing=locked "
                     "apt-get update\n",
                     "DL3009"),
            0);
        assert_int_equal(count_in("FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt "
                                  "apt-get update\n",
                                  "DL3009"),
                         1);
        /* a stage only copied from does not ship; one built upon does */
        assert_int_equal(count_in("FROM debian:12 AS build\nRUN apt-get update\n"
                                  "FROM scratch\nCOPY --from=build /a /a\n",
                                  "DL3009"),
                         0);
        assert_int_equal(count_in("FROM debian:12 AS base\nRUN apt-get update\n"
                                  "FROM base AS build\nRUN make\n"
                                  "FROM scratch\nCOPY --from=build /a /a\n",
                                  "DL3009"),
                         1);
}

static void test_consecutive_runs(void **state)
{
        /* more than two commands on either side: a deliberate layer */
        assert_int_equal(
            count_in("FROM alpine:3\nRUN mkdir -p /a && chown 1000 /a && chmod 755 /a\n"
                     "RUN mkdir -p /b && chown 1000 /b && chmod 755 /b\n",
                     "DL3059"),
            0);
        assert_int_equal(count_in("FROM alpine:3\nRUN a\nRUN b; c; d\n", "DL3059"), 0);
        /* two commands each, an assignment is none; comments do not separate */
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        lint_text("FROM alpine:3\nRUN a && b\n# why\n\nRUN X=1 c && d\n", &cfg, &r);
        assert_int_equal(count_id(&r, "DL3059"), 1);
        assert_true(has_at(&r, "DL3059", 5, 1));
        bh_report_free(&r);
        lint_config_free(&cfg);
        /* other flags, or any instruction between */
        assert_int_equal(count_in("FROM alpine:3\nRUN --mount=type=cache,target=/c a\nRUN b\n"
                                  "RUN c\nWORKDIR /x\nRUN d\n",
                                  "DL3059"),
                         1);
}

static void test_release_and_constraint_pins(void **state)
{
        /* apt: pkg/release is a pin for hadolint */
        assert_int_equal(count_in("FROM debian:12\nRUN apt-get install -y --no-install-recommends "
                                  "openjdk-17-jdk/bookworm-backports\n",
                                  "DL3008"),
                         0);
        /* pip: constraints, requirement files and the project pin elsewhere */
        const char *exempt[] = {"pip install --no-cache-dir -c /tmp/constraints.txt flask",
                                "pip install --constraint c.txt flask",
                                "pip install --constraint=c.txt flask",
                                "python3 -m pip install -r requirements.txt flask",
                                "pip install --requirement r.txt flask",
                                "pip install . flask",
                                "pip install git+https://github.com/x/y.git@v1.2 ./lib"};
        char df[256];
        for (size_t i = 0; i < BH_ARRAY_SIZE(exempt); i++) {
                snprintf(df, sizeof df, "FROM python:3\nRUN %s\n", exempt[i]);
                if (count_in(df, "DL3013"))
                        fail_msg("DL3013 reported for %s", exempt[i]);
        }
        /* a VCS URL without @ref is not pinned */
        assert_int_equal(count_in("FROM python:3\nRUN pip install git+https://github.com/x/y.git "
                                  "flask\n",
                                  "DL3013"),
                         2);
}

static void test_env_literal_dollar(void **state)
{
        /* escaped or single-quoted, $A is literal to BuildKit */
        assert_int_equal(
            count_in("FROM alpine:3\nENV A=1 B=\\$A C='$A' D=\"\\$A\" E='x'\\$A\n", "DL3044"), 0);
        assert_int_equal(count_in("# escape=`\nFROM alpine:3\nENV A=1 B=`$A\n", "DL3044"), 0);
        /* references still count, in double quotes too */
        assert_int_equal(count_in("FROM alpine:3\nENV A=1 B=$A C=${A} D=\"${A:-x}\" E='x'$A "
                                  "F=\"'$A'\"\n",
                                  "DL3044"),
                         5);
        assert_int_equal(count_in("# escape=`\nFROM alpine:3\nENV A=1 B=\\$A\n", "DL3044"), 1);
}

static void test_quoted_from(void **state)
{
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        lint_text("ARG BASE=\"alpine@" SHA "\"\nFROM \"${BASE}\" AS a\nFROM \"alpine:3.20\" AS b\n"
                  "FROM 'alpine'\n",
                  &cfg, &r);
        assert_int_equal(count_id(&r, "BH1003"), 2);
        for (size_t i = 0; i < r.count; i++) {
                if (strcmp(r.findings[i].id, "BH1003") && strcmp(r.findings[i].id, "DL3006"))
                        continue;
                if (strpbrk(r.findings[i].message, "\"'"))
                        fail_msg("quotes in \"%s\"", r.findings[i].message);
                assert_true(bh_startswith(r.findings[i].message, "alpine"));
        }
        assert_true(has_at(&r, "DL3006", 4, 6));
        bh_report_free(&r);
        lint_config_free(&cfg);
}

static void test_add_every_url(void **state)
{
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        lint_text("FROM alpine:3\nADD https://a.example/x.tgz local.txt http://b.example/y /d/\n",
                  &cfg, &r);
        assert_int_equal(count_id(&r, "BH1004"), 2);
        assert_true(has_at(&r, "BH1004", 2, 5));
        assert_true(has_at(&r, "BH1004", 2, 39));
        bh_report_free(&r);
        lint_config_free(&cfg);
}

static void test_go_cache_names_subcommand(void **state)
{
        struct lint_config cfg;
        config_for(&cfg, NULL);
        struct bh_report r;
        lint_text("FROM golang:1.22\nRUN go install example.com/x@v1.2.3\nRUN go build -o /a .\n",
                  &cfg, &r);
        assert_int_equal(count_id(&r, "BH1012"), 2);
        const char *want[] = {"go install leaves", "go build leaves"};
        size_t k = 0;
        for (size_t i = 0; i < r.count; i++)
                if (strcmp(r.findings[i].id, "BH1012") == 0)
                        assert_true(bh_startswith(r.findings[i].message, want[k++]));
        bh_report_free(&r);
        lint_config_free(&cfg);
}

static void test_rules_doc_is_current(void **state)
{
        const char *td = getenv("BH_TESTDATA");
        if (!td)
                skip();
        /* BH_TESTDATA is <source>/tests/data */
        _cleanup_free_ char *root = bh_xstrdup(td);
        char *cut = strstr(root, "/tests/data");
        if (cut)
                *cut = '\0';
        _cleanup_free_ char *path = bh_path_join(root, "docs/rules.md");
        _cleanup_free_ char *data = NULL;
        size_t len;
        struct bh_error err = {0};
        assert_int_equal(bh_read_file(path, 1 << 22, &data, &len, &err), 0);
        struct bh_buf b = BH_BUF_INIT;
        lint_rules_markdown(&b);
        if (b.len != len || memcmp(b.data, data, len) != 0)
                fail_msg("docs/rules.md is stale: regenerate it with "
                         "build/src/cli/bulkhead lint --rules-markdown > docs/rules.md");
        bh_buf_free(&b);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_each_rule_bad_and_good),
            cmocka_unit_test(test_every_rule_has_a_case),
            cmocka_unit_test(test_hadolint_ids_covered),
            cmocka_unit_test(test_onbuild),
            cmocka_unit_test(test_positions_on_continuation_lines),
            cmocka_unit_test(test_pragmas),
            cmocka_unit_test(test_config_file),
            cmocka_unit_test(test_config_discovery),
            cmocka_unit_test(test_buildkit_checks),
            cmocka_unit_test(test_parse_error_finding),
            cmocka_unit_test(test_secret_values),
            cmocka_unit_test(test_shellcheck_mapping),
            cmocka_unit_test(test_json_with_trailing_text),
            cmocka_unit_test(test_copy_dest_directory),
            cmocka_unit_test(test_secret_names_locations),
            cmocka_unit_test(test_pragma_spacing),
            cmocka_unit_test(test_case_patterns_are_no_pipes),
            cmocka_unit_test(test_apt_lists_follow_update),
            cmocka_unit_test(test_consecutive_runs),
            cmocka_unit_test(test_release_and_constraint_pins),
            cmocka_unit_test(test_env_literal_dollar),
            cmocka_unit_test(test_quoted_from),
            cmocka_unit_test(test_add_every_url),
            cmocka_unit_test(test_go_cache_names_subcommand),
            cmocka_unit_test(test_rules_doc_is_current),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
