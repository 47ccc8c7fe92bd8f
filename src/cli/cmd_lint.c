/* bulkhead lint: options, finding Dockerfiles, configuration, rendering. */
#include "cli/cli.h"
#include "base/file.h"
#include "base/util.h"
#include "lint/dockerfile.h"
#include "lint/lint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_WALK_DEPTH 16
#define MAX_FILES 100000

enum {
        OPT_DUMP = CLI_OPT_FIRST_COMMAND_OPTION,
        OPT_LIST_RULES,
        OPT_RULES_MD,
        OPT_CONFIG,
        OPT_NO_CONFIG,
        OPT_NO_SHELLCHECK,
        OPT_SHELLCHECK,
        OPT_IGNORE,
        OPT_ERROR,
        OPT_WARNING,
        OPT_INFO,
        OPT_STYLE,
        OPT_TRUSTED,
        OPT_REQUIRE_LABEL,
        OPT_STRICT_LABELS,
        OPT_DISABLE_PRAGMA,
        OPT_FAILURE_THRESHOLD,
        OPT_DIGEST,
        OPT_STDIN_PATH,
        OPT_NO_FAIL,
};

static void usage(FILE *out)
{
        fputs("Usage: bulkhead lint [OPTIONS] [PATH|-]...\n"
              "\n"
              "Lints Dockerfiles: BuildKit's syntax, hadolint's DL rules, Bulkhead's BH\n"
              "security rules and ShellCheck on RUN scripts. A directory is searched for\n"
              "Dockerfile, Containerfile, *.Dockerfile and Dockerfile.*; - reads standard\n"
              "input. Without a PATH, the current directory.\n"
              "\n"
              "Output:\n"
              "  --format FMT         text (file:line:col), json, sarif, checkstyle, junit,\n"
              "                       gitlab (code quality) or html\n"
              "  -o, --output FILE    write the report to FILE\n"
              "  --fail-on LEVEL      exit 1 for findings at or above LEVEL: fail (error rules,\n"
              "                       the default), warn, info, low..critical, or none\n"
              "  --failure-threshold L  the same in hadolint's words: error, warning, info, style\n"
              "  --no-fail            never exit 1 for findings (hadolint's option)\n"
              "  --no-color           no ANSI colours\n"
              "\n"
              "Rules:\n"
              "  --config FILE        read this .bulkhead.yaml/.hadolint.yaml (repeatable)\n"
              "  --no-config          do not read .hadolint.yaml/.bulkhead.yaml from the\n"
              "                       current directory (or ~/.config/hadolint.yaml)\n"
              "  --ignore ID          never report rule ID (DL3008, BH1003, SC2086); repeatable\n"
              "  --error ID, --warning ID, --info ID, --style ID\n"
              "                       change a rule's level (also turns on rules that are off)\n"
              "  --trusted-registry R allow base images only from registry R (DL3026)\n"
              "  --require-label NAME:TYPE  label schema (text, url, rfc3339, spdx, hash,\n"
              "                       semver, email)\n"
              "  --strict-labels      report labels outside the schema\n"
              "  --disable-ignore-pragma  do not honour `# hadolint ignore=` comments\n"
              "  --digest-pinning M   base images that need a digest: all, final or off\n"
              "  --no-shellcheck      do not run ShellCheck on RUN scripts\n"
              "  --shellcheck PATH    the shellcheck program to run\n"
              "\n"
              "Other:\n"
              "  --dump[=sexp|json]   print the parse tree (BuildKit's s-expressions, or JSON\n"
              "                       with positions) instead of linting\n"
              "  --list-rules         list the rules\n"
              "  --rules-markdown     print docs/rules.md\n"
              "  --stdin-path NAME    the name to show for standard input\n"
              "  -h, --help           this help\n"
              "\n"
              "Exit codes: 0 nothing at or above --fail-on, 1 findings, 2 usage error,\n"
              "3 a file could not be read or parsed.\n",
              out);
}

struct lint_run {
        struct lint_config cfg;
        struct cli_output out;
        bool fail_on_given;
        const char *dump; /* NULL, "sexp" or "json" */
        const char *stdin_path;
        char **config_files;
        bool no_config;
        struct lint_shellcheck_state sc;
        char **files;
        bool failed;
        size_t linted;
};

/* Dockerfile, Containerfile, *.Dockerfile, Dockerfile.* and the like
 * (app_Dockerfile, Dockerfile.alpine), but not their .dockerignore files
 * or documents about them. */
static bool dockerfile_name(const char *n)
{
        static const char *const not_ext[] = {".dockerignore", ".md",   ".txt",  ".sh",
                                              ".yml",          ".yaml", ".json", ".orig",
                                              ".bak",          ".swp",  NULL};
        if (!strstr(n, "Dockerfile") && !strstr(n, "dockerfile") && !strstr(n, "Containerfile"))
                return false;
        for (size_t i = 0; not_ext[i]; i++)
                if (bh_endswith(n, not_ext[i]))
                        return false;
        return true;
}

static int cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(struct lint_run *run, const char *dir, int depth)
{
        if (depth > MAX_WALK_DEPTH || bh_strv_len(run->files) >= MAX_FILES)
                return;
        DIR *d = opendir(dir);
        if (!d) {
                cli_error("%s: cannot read the directory: %s", dir, strerror(errno));
                run->failed = true;
                return;
        }
        char **names = NULL;
        struct dirent *e;
        while ((e = readdir(d)))
                if (e->d_name[0] != '.' || dockerfile_name(e->d_name))
                        bh_strv_push(&names, e->d_name);
        closedir(d);
        size_t n = bh_strv_len(names);
        if (n)
                qsort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n; i++) {
                if (strcmp(names[i], "node_modules") == 0)
                        continue;
                char *p =
                    strcmp(dir, ".") == 0 ? bh_xstrdup(names[i]) : bh_path_join(dir, names[i]);
                struct stat st;
                /* lstat: a symbolic link to a directory is not followed */
                if (lstat(p, &st) == 0) {
                        if (S_ISDIR(st.st_mode))
                                walk(run, p, depth + 1);
                        else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
                                 dockerfile_name(names[i]))
                                bh_strv_push(&run->files, p);
                }
                free(p);
        }
        bh_strv_free(names);
}

static bool exists(const char *p)
{
        struct stat st;
        return stat(p, &st) == 0;
}

static bool has_dockerignore(const char *path)
{
        _cleanup_free_ char *own = bh_xasprintf("%s.dockerignore", path);
        if (exists(own))
                return true;
        const char *slash = strrchr(path, '/');
        _cleanup_free_ char *dir =
            slash ? bh_xstrndup(path, (size_t)(slash - path) + 1) : bh_xstrdup("");
        _cleanup_free_ char *di = bh_xasprintf("%s.dockerignore", dir);
        return exists(di);
}

static void lint_one(struct lint_run *run, const char *path, struct bh_report *r, FILE *dump_out)
{
        bool is_stdin = strcmp(path, "-") == 0;
        const char *shown = is_stdin ? (run->stdin_path ? run->stdin_path : "-") : path;
        _cleanup_free_ char *data = NULL;
        size_t len = 0;
        struct bh_error err = {0};
        int rc = is_stdin
                     ? bh_read_fd(STDIN_FILENO, "standard input", BH_DF_MAX_FILE, &data, &len, &err)
                     : bh_read_file(path, BH_DF_MAX_FILE, &data, &len, &err);
        if (rc < 0) {
                cli_error("%s", err.msg);
                run->failed = true;
                return;
        }
        run->linted++;
        if (run->dump) {
                struct bh_df_file *f = NULL;
                if (bh_df_parse(shown, data, len, &f, &err) < 0) {
                        cli_error("%s", err.msg);
                        run->failed = true;
                        return;
                }
                struct bh_buf b = BH_BUF_INIT;
                if (strcmp(run->dump, "json") == 0)
                        bh_df_dump_json(f, &b);
                else
                        bh_df_dump_sexp(f, &b);
                fwrite(b.data ? b.data : "", 1, b.len, dump_out);
                bh_buf_free(&b);
                bh_df_free(f);
                return;
        }
        struct lint_input in = {
            .path = shown,
            .data = data,
            .len = len,
            .context_known = !is_stdin,
            .has_dockerignore = !is_stdin && has_dockerignore(path),
        };
        if (lint_dockerfile(&in, &run->cfg, &run->sc, r, &err) < 0) {
                cli_error("%s", err.msg);
                run->failed = true;
        }
}

static int add_label(struct lint_config *cfg, const char *spec)
{
        const char *colon = strchr(spec, ':');
        if (!colon || colon == spec)
                return -1;
        _cleanup_free_ char *yaml =
            bh_xasprintf("label-schema:\n  \"%.*s\": %s\n", (int)(colon - spec), spec, colon + 1);
        char tmpl[] = "/tmp/bulkhead-label-XXXXXX";
        int fd = mkstemp(tmpl);
        if (fd < 0)
                return -1;
        bool ok = write(fd, yaml, strlen(yaml)) == (ssize_t)strlen(yaml);
        close(fd);
        struct bh_error err = {0};
        int rc = ok ? lint_config_load(cfg, tmpl, &err) : -1;
        unlink(tmpl);
        if (rc == 0) {
                /* the temporary file is no configuration the user wrote */
                size_t n = bh_strv_len(cfg->loaded_from);
                free(cfg->loaded_from[n - 1]);
                cfg->loaded_from[n - 1] = NULL;
        }
        return rc;
}

static int set_fail_on_from_level(struct cli_output *o, enum lint_level l)
{
        const char *t = l == LINT_ERROR ? "fail" : l == LINT_WARNING ? "warn" : "info";
        return bh_threshold_parse(t, &o->fail_on);
}

static int parse_options(struct lint_run *run, int argc, char **argv)
{
        static const struct option longopts[] = {
            CLI_OUTPUT_LONG_OPTIONS,
            {"dump", optional_argument, NULL, OPT_DUMP},
            {"list-rules", no_argument, NULL, OPT_LIST_RULES},
            {"rules-markdown", no_argument, NULL, OPT_RULES_MD},
            {"config", required_argument, NULL, OPT_CONFIG},
            {"no-config", no_argument, NULL, OPT_NO_CONFIG},
            {"no-shellcheck", no_argument, NULL, OPT_NO_SHELLCHECK},
            {"shellcheck", required_argument, NULL, OPT_SHELLCHECK},
            {"ignore", required_argument, NULL, OPT_IGNORE},
            {"error", required_argument, NULL, OPT_ERROR},
            {"warning", required_argument, NULL, OPT_WARNING},
            {"info", required_argument, NULL, OPT_INFO},
            {"style", required_argument, NULL, OPT_STYLE},
            {"trusted-registry", required_argument, NULL, OPT_TRUSTED},
            {"require-label", required_argument, NULL, OPT_REQUIRE_LABEL},
            {"strict-labels", no_argument, NULL, OPT_STRICT_LABELS},
            {"disable-ignore-pragma", no_argument, NULL, OPT_DISABLE_PRAGMA},
            {"failure-threshold", required_argument, NULL, OPT_FAILURE_THRESHOLD},
            {"digest-pinning", required_argument, NULL, OPT_DIGEST},
            {"stdin-path", required_argument, NULL, OPT_STDIN_PATH},
            {"no-fail", no_argument, NULL, OPT_NO_FAIL},
            {"help", no_argument, NULL, 'h'},
            {0},
        };
        int opt;
        optind = 1;
        while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
                int r = cli_output_option(&run->out, opt, optarg);
                if (r < 0)
                        return BH_EXIT_USAGE;
                if (r > 0) {
                        if (opt == CLI_OPT_FAIL_ON)
                                run->fail_on_given = true;
                        continue;
                }
                enum lint_level l;
                switch (opt) {
                case 'h':
                        usage(stdout);
                        return -1;
                case OPT_DUMP:
                        run->dump = optarg ? optarg : "sexp";
                        if (strcmp(run->dump, "sexp") != 0 && strcmp(run->dump, "json") != 0)
                                return cli_usage_error("lint", "--dump=%s: expected sexp or json",
                                                       optarg);
                        break;
                case OPT_LIST_RULES:
                case OPT_RULES_MD: {
                        struct bh_buf b = BH_BUF_INIT;
                        if (opt == OPT_LIST_RULES)
                                lint_rules_list(&b);
                        else
                                lint_rules_markdown(&b);
                        fwrite(b.data, 1, b.len, stdout);
                        bh_buf_free(&b);
                        return -1;
                }
                case OPT_CONFIG:
                        bh_strv_push(&run->config_files, optarg);
                        break;
                case OPT_NO_CONFIG:
                        run->no_config = true;
                        break;
                case OPT_NO_SHELLCHECK:
                        run->cfg.no_shellcheck = true;
                        break;
                case OPT_SHELLCHECK:
                        run->sc.path = optarg;
                        break;
                case OPT_IGNORE:
                        bh_strv_push(&run->cfg.ignored, optarg);
                        break;
                case OPT_ERROR:
                case OPT_WARNING:
                case OPT_INFO:
                case OPT_STYLE:
                        l = opt == OPT_ERROR     ? LINT_ERROR
                            : opt == OPT_WARNING ? LINT_WARNING
                            : opt == OPT_INFO    ? LINT_INFO
                                                 : LINT_STYLE;
                        lint_config_set_level(&run->cfg, optarg, l);
                        break;
                case OPT_TRUSTED:
                        bh_strv_push(&run->cfg.trusted_registries, optarg);
                        break;
                case OPT_REQUIRE_LABEL:
                        if (add_label(&run->cfg, optarg) < 0)
                                return cli_usage_error("lint",
                                                       "--require-label %s: expected NAME:TYPE "
                                                       "with TYPE text, url, rfc3339, spdx, hash, "
                                                       "semver or email",
                                                       optarg);
                        break;
                case OPT_STRICT_LABELS:
                        run->cfg.strict_labels = true;
                        break;
                case OPT_DISABLE_PRAGMA:
                        run->cfg.disable_ignore_pragma = true;
                        break;
                case OPT_FAILURE_THRESHOLD:
                        if (lint_level_parse(optarg, &l) < 0)
                                return cli_usage_error("lint",
                                                       "--failure-threshold %s: expected error, "
                                                       "warning, info, style or none",
                                                       optarg);
                        set_fail_on_from_level(&run->out, l);
                        run->fail_on_given = true;
                        break;
                case OPT_DIGEST:
                        if (strcmp(optarg, "all") == 0)
                                run->cfg.digest = DIGEST_ALL;
                        else if (strcmp(optarg, "final") == 0)
                                run->cfg.digest = DIGEST_FINAL;
                        else if (strcmp(optarg, "off") == 0)
                                run->cfg.digest = DIGEST_OFF;
                        else
                                return cli_usage_error("lint",
                                                       "--digest-pinning %s: expected all, final "
                                                       "or off",
                                                       optarg);
                        break;
                case OPT_STDIN_PATH:
                        run->stdin_path = optarg;
                        break;
                case OPT_NO_FAIL:
                        bh_threshold_parse("none", &run->out.fail_on);
                        run->fail_on_given = true;
                        break;
                default:
                        return cli_usage_error("lint", "unknown option");
                }
        }
        return 0;
}

/* Without a configuration in the current directory, the user's own, where
 * hadolint looks for it: $XDG_CONFIG_HOME/hadolint.yaml, then
 * ~/.config/hadolint.yaml and ~/.hadolint.yaml. */
static int load_user_config(struct lint_config *c, struct bh_error *err)
{
        const char *xdg = getenv("XDG_CONFIG_HOME");
        const char *home = getenv("HOME");
        char *candidates[3] = {0};
        if (xdg && *xdg)
                candidates[0] = bh_path_join(xdg, "hadolint.yaml");
        if (home && *home) {
                candidates[1] = bh_path_join(home, ".config/hadolint.yaml");
                candidates[2] = bh_path_join(home, ".hadolint.yaml");
        }
        int rc = 0;
        for (size_t i = 0; i < BH_ARRAY_SIZE(candidates); i++) {
                if (candidates[i] && rc == 0 && !c->loaded_from && exists(candidates[i]))
                        rc = lint_config_load(c, candidates[i], err);
                free(candidates[i]);
        }
        return rc;
}

/* Configuration files first, command-line options on top. */
static int load_configs(struct lint_run *run)
{
        struct lint_config file_cfg;
        lint_config_init(&file_cfg);
        struct bh_error err = {0};
        int rc = 0;
        if (!run->no_config)
                rc = lint_config_discover(&file_cfg, ".", &err);
        if (rc == 0 && !run->no_config && !file_cfg.loaded_from)
                rc = load_user_config(&file_cfg, &err);
        for (size_t i = 0; rc == 0 && run->config_files && run->config_files[i]; i++)
                rc = lint_config_load(&file_cfg, run->config_files[i], &err);
        if (rc < 0) {
                cli_error("%s", err.msg);
                lint_config_free(&file_cfg);
                return BH_EXIT_USAGE;
        }
        /* merge: lists add up, command-line overrides come after the file's */
        struct lint_config *c = &run->cfg;
        for (size_t i = 0; file_cfg.ignored && file_cfg.ignored[i]; i++)
                bh_strv_push(&c->ignored, file_cfg.ignored[i]);
        for (size_t i = 0; file_cfg.trusted_registries && file_cfg.trusted_registries[i]; i++)
                bh_strv_push(&c->trusted_registries, file_cfg.trusted_registries[i]);
        struct lint_override *cli_over = c->overrides;
        size_t ncli = c->noverrides;
        c->overrides = NULL;
        c->noverrides = 0;
        for (size_t i = 0; i < file_cfg.noverrides; i++)
                lint_config_set_level(c, file_cfg.overrides[i].id, file_cfg.overrides[i].level);
        for (size_t i = 0; i < ncli; i++) {
                lint_config_set_level(c, cli_over[i].id, cli_over[i].level);
                free(cli_over[i].id);
        }
        free(cli_over);
        for (size_t i = 0; i < file_cfg.nlabels; i++) {
                c->labels = bh_xreallocarray(c->labels, c->nlabels + 1, sizeof *c->labels);
                c->labels[c->nlabels].name = bh_xstrdup(file_cfg.labels[i].name);
                c->labels[c->nlabels].type = file_cfg.labels[i].type;
                c->nlabels++;
        }
        c->strict_labels |= file_cfg.strict_labels;
        c->disable_ignore_pragma |= file_cfg.disable_ignore_pragma;
        c->no_shellcheck |= file_cfg.no_shellcheck;
        if (c->digest == DIGEST_ALL)
                c->digest = file_cfg.digest;
        if (file_cfg.has_failure_threshold && !run->fail_on_given)
                set_fail_on_from_level(&run->out, file_cfg.failure_threshold);
        for (size_t i = 0; file_cfg.loaded_from && file_cfg.loaded_from[i]; i++)
                bh_strv_push(&c->loaded_from, file_cfg.loaded_from[i]);
        lint_config_free(&file_cfg);
        return 0;
}

static void free_run(struct lint_run *run)
{
        lint_config_free(&run->cfg);
        bh_strv_free(run->config_files);
        bh_strv_free(run->files);
        free(run->sc.found);
}

static int collect_files(struct lint_run *run, int argc, char **argv)
{
        if (optind >= argc) {
                walk(run, ".", 0);
                if (!run->files) {
                        cli_error("no Dockerfile here: name a file, a directory or - for "
                                  "standard input");
                        return BH_EXIT_USAGE;
                }
                return 0;
        }
        for (int i = optind; i < argc; i++) {
                struct stat st;
                if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
                        size_t before = bh_strv_len(run->files);
                        walk(run, argv[i], 0);
                        if (bh_strv_len(run->files) == before)
                                cli_error("%s: no Dockerfile, Containerfile, *.Dockerfile or "
                                          "Dockerfile.* in this directory",
                                          argv[i]);
                } else {
                        bh_strv_push(&run->files, argv[i]);
                }
        }
        return 0;
}

int cmd_lint(int argc, char **argv)
{
        double t0 = bh_now_ms();
        struct lint_run run = {0};
        lint_config_init(&run.cfg);
        cli_output_init(&run.out);
        int rc = parse_options(&run, argc, argv);
        if (rc != 0) {
                free_run(&run);
                return rc < 0 ? BH_EXIT_OK : rc;
        }
        if (!run.dump && (rc = load_configs(&run)) != 0) {
                free_run(&run);
                return rc;
        }
        if ((rc = collect_files(&run, argc, argv)) != 0) {
                free_run(&run);
                return rc;
        }
        struct bh_report r;
        bh_report_init(&r, "lint");
        for (size_t i = 0; run.files && run.files[i]; i++)
                lint_one(&run, run.files[i], &r, stdout);
        if (run.dump) {
                bh_report_free(&r);
                free_run(&run);
                return run.failed ? BH_EXIT_FAILED : BH_EXIT_OK;
        }
        const char *sc_state = run.cfg.no_shellcheck ? "disabled"
                               : run.sc.missing      ? "not installed"
                               : run.sc.runs         ? "used"
                                                     : "no scripts";
        if (!run.cfg.no_shellcheck && run.sc.missing)
                fputs("bulkhead lint: shellcheck is not installed, so RUN scripts were not "
                      "checked by it (install the shellcheck package, or pass --no-shellcheck)\n",
                      stderr);
        r.duration_ms = bh_now_ms() - t0;
        r.meta = json_pack("{s:i,s:s}", "files", (json_int_t)run.linted, "shellcheck", sc_state);
        json_t *cfgs = json_array();
        for (size_t i = 0; run.cfg.loaded_from && run.cfg.loaded_from[i]; i++)
                json_array_append_new(cfgs, json_string(run.cfg.loaded_from[i]));
        json_object_set_new(r.meta, "config_files", cfgs);
        rc = cli_finish_report(&r, &run.out, true);
        if (run.failed && rc != BH_EXIT_USAGE)
                rc = BH_EXIT_FAILED;
        bh_report_free(&r);
        free_run(&run);
        return rc;
}
