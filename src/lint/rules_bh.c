/* Bulkhead's own rules: the security checks no hadolint id covers. */
#include "lint/lint_int.h"
#include "lint/text.h"
#include "base/secret.h"
#include "base/util.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

bool lint_dl3064_name(const char *name);

static void validate_problem(void *ud, size_t idx, size_t start, size_t end, const char *msg)
{
        lint_emit(ud, idx, start, end, "%s", msg);
}

static void bh1000(struct lint_ctx *c)
{
        bh_df_validate(c->f, validate_problem, c);
}

static const struct bh_df_instr *last_user(const struct lint_ctx *c, const struct lint_stage *st,
                                           size_t *idx)
{
        while (st) {
                for (size_t i = st->end; i > st->from; i--)
                        if (c->f->instrs[i - 1].kind == BH_DF_USER && c->f->instrs[i - 1].nargs) {
                                *idx = i - 1;
                                return &c->f->instrs[i - 1];
                        }
                st = st->parent >= 0 ? &c->stages[st->parent] : NULL;
        }
        return NULL;
}

static const char *base_of_chain(const struct lint_ctx *c, const struct lint_stage *st)
{
        while (st->parent >= 0)
                st = &c->stages[st->parent];
        return st->resolved;
}

static bool nonroot_base(const char *img)
{
        return strcasestr(img, "nonroot") || strcasestr(img, "rootless") ||
               strcasestr(img, "non-root");
}

static void bh1001(struct lint_ctx *c)
{
        const struct lint_stage *st = lint_final_stage(c);
        size_t idx;
        if (!st || st->windows || last_user(c, st, &idx) || nonroot_base(base_of_chain(c, st)))
                return;
        const struct bh_df_instr *from = &c->f->instrs[st->from];
        lint_emit_instr(c, st->from, from,
                        "the final stage sets no USER, so the container runs as root (uid 0) "
                        "unless whoever runs it remembers to override it");
}

static void bh1002(struct lint_ctx *c)
{
        const struct lint_stage *st = lint_final_stage(c);
        size_t idx;
        const struct bh_df_instr *u = st && !st->windows ? last_user(c, st, &idx) : NULL;
        if (!u)
                return;
        const char *v = lint_unquote(c, u->args[0].value);
        char user[256];
        snprintf(user, sizeof user, "%s", v);
        user[strcspn(user, ":")] = '\0';
        if (!*user || lint_has_var(user) || strcmp(user, "root") == 0 ||
            strspn(user, "0123456789") == strlen(user))
                return;
        lint_emit_word(c, idx, &u->args[0],
                       "the final USER is the name \"%s\": Kubernetes runAsNonRoot cannot prove "
                       "a name is not root and refuses to start the pod",
                       user);
}

static void bh1003(struct lint_ctx *c)
{
        if (c->cfg->digest == DIGEST_OFF)
                return;
        for (size_t s = 0; s < c->nstages; s++) {
                const struct lint_stage *st = &c->stages[s];
                if (c->cfg->digest == DIGEST_FINAL && !st->ships)
                        continue;
                if (st->parent >= 0 || strcasecmp(st->resolved, "scratch") == 0 || !*st->resolved ||
                    strstr(st->resolved, "@sha256:") || lint_has_var(st->resolved))
                        continue;
                const struct bh_df_instr *in = &c->f->instrs[st->from];
                lint_emit_word(c, st->from, &in->args[0],
                               "%s is not pinned by digest: the tag can be moved to other "
                               "content at any time",
                               st->resolved);
        }
}

static bool http_url(const char *s)
{
        return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

static void bh1004(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_ADD))) {
                if (bh_df_flag(in, "checksum", NULL))
                        continue;
                /* every remote source, each at its place */
                for (size_t a = 0; a + 1 < in->nargs; a++)
                        if (http_url(lint_unquote(c, in->args[a].value)))
                                lint_emit_word(c, it.idx, &in->args[a],
                                               "ADD downloads %s and nothing checks what "
                                               "arrives: add --checksum=sha256:...",
                                               lint_unquote(c, in->args[a].value));
        }
}

static bool downloader(const struct sh_cmd *cmd)
{
        return sh_cmd_is(cmd, "curl") || sh_cmd_is(cmd, "wget") || sh_cmd_is(cmd, "fetch");
}

static bool interpreter(const char *n)
{
        static const char *const names[] = {"sh",   "bash", "zsh",  "dash", "ash", "ksh",
                                            "mksh", "perl", "ruby", "node", "php", NULL};
        for (size_t i = 0; names[i]; i++)
                if (strcmp(n, names[i]) == 0)
                        return true;
        return bh_startswith(n, "python");
}

/* An interpreter that takes its program from standard input. */
static bool runs_stdin(const struct sh_cmd *cmd)
{
        if (!interpreter(sh_cmd_name(cmd)))
                return false;
        for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++) {
                const char *t = cmd->argv[i].text;
                if (strcmp(t, "-") == 0 || strcmp(t, "-s") == 0 || strcmp(t, "--") == 0)
                        return true;
                if (t[0] == '-' && t[1] != '-' &&
                    (strchr(t, 'c') || strchr(t, 'e') || strchr(t, 'm')))
                        return false;
                if (t[0] != '-')
                        return false; /* a script file */
        }
        return true;
}

static void bh1005_run(struct lint_ctx *c, size_t idx, struct lint_script *s)
{
        for (size_t k = 0; k < s->sh.ncmds; k++) {
                const struct sh_cmd *cmd = &s->sh.cmds[k];
                if (downloader(cmd) && cmd->pipe_out) {
                        /* the rest of the pipeline, a few commands at most */
                        for (size_t j = k + 1;
                             j < s->sh.ncmds && j <= k + 8 && s->sh.cmds[j].pipe_in; j++) {
                                if (runs_stdin(&s->sh.cmds[j])) {
                                        const struct sh_word *w =
                                            &cmd->argv[sh_cmd_start(cmd) < cmd->argc
                                                           ? sh_cmd_start(cmd)
                                                           : 0];
                                        lint_emit_sh(c, idx, s, w,
                                                     "%s pipes a download straight into %s: "
                                                     "whatever the server sends runs in the "
                                                     "build, unverified",
                                                     sh_cmd_name(cmd), sh_cmd_name(&s->sh.cmds[j]));
                                        return;
                                }
                                if (!s->sh.cmds[j].pipe_out)
                                        break;
                        }
                }
                if (interpreter(sh_cmd_name(cmd))) {
                        for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++) {
                                const char *t = cmd->argv[i].text;
                                if (strstr(t, "$(curl") || strstr(t, "$(wget") ||
                                    strstr(t, "`curl") || strstr(t, "`wget")) {
                                        lint_emit_sh(c, idx, s, &cmd->argv[sh_cmd_start(cmd)],
                                                     "%s runs a script fetched by command "
                                                     "substitution, unverified",
                                                     sh_cmd_name(cmd));
                                        return;
                                }
                        }
                }
        }
        /* bash <(curl ...) */
        for (const char *p = strstr(s->text, "<(curl"); p || (p = strstr(s->text, "<(wget"));) {
                lint_emit(c, idx, lint_script_ofs(s, (size_t)(p - s->text)),
                          lint_script_ofs(s, (size_t)(p - s->text)) + 2,
                          "a shell reads a script from a download through <(...), unverified");
                return;
        }
}

static void bh1005(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_RUN))) {
                struct lint_script *s = lint_run_script(c, in, it.idx);
                if (s)
                        bh1005_run(c, it.idx, s);
        }
}

/* Why a path looks like a secret, or NULL. */
static const char *secret_path(const char *p)
{
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", p);
        size_t n = strlen(buf);
        while (n > 1 && buf[n - 1] == '/')
                buf[--n] = '\0';
        const char *base = strrchr(buf, '/');
        base = base ? base + 1 : buf;
        static const struct {
                const char *name, *why;
        } exact[] = {
            {"id_rsa", "an SSH private key"},
            {"id_dsa", "an SSH private key"},
            {"id_ecdsa", "an SSH private key"},
            {"id_ed25519", "an SSH private key"},
            {".ssh", "SSH keys"},
            {".env", "environment secrets"},
            {".npmrc", "an npm token"},
            {".pypirc", "a PyPI token"},
            {".netrc", "login credentials"},
            {".git-credentials", "git credentials"},
            {".dockercfg", "registry credentials"},
            {".git", "the git history, with everything ever committed"},
            {".aws", "cloud credentials"},
            {".kube", "cluster credentials"},
            {".gnupg", "private keys"},
            {"credentials.json", "credentials"},
            {".htpasswd", "password hashes"},
        };
        for (size_t i = 0; i < BH_ARRAY_SIZE(exact); i++)
                if (strcmp(base, exact[i].name) == 0)
                        return exact[i].why;
        if (bh_startswith(base, ".env.") && !strstr(base, "example") && !strstr(base, "sample") &&
            !strstr(base, "template") && !strstr(base, "dist"))
                return "environment secrets";
        if (strstr(buf, ".aws/credentials") || strstr(buf, ".docker/config.json") ||
            strstr(buf, ".kube/config"))
                return "credentials";
        static const struct {
                const char *ext, *why;
        } exts[] = {{".pem", "a private key or certificate bundle"},
                    {".key", "a private key"},
                    {".p12", "a key store"},
                    {".pfx", "a key store"},
                    {".jks", "a key store"},
                    {".keystore", "a key store"},
                    {".kdbx", "a password database"},
                    {".tfstate", "Terraform state, which holds secrets"},
                    {".tfvars", "Terraform variables, often secrets"}};
        for (size_t i = 0; i < BH_ARRAY_SIZE(exts); i++)
                if (bh_endswith(base, exts[i].ext))
                        return exts[i].why;
        return NULL;
}

static void bh1006(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_UNKNOWN))) {
                if ((in->kind != BH_DF_COPY && in->kind != BH_DF_ADD) ||
                    bh_df_flag(in, "from", NULL))
                        continue;
                for (size_t a = 0; a + 1 < in->nargs; a++) {
                        const char *src = lint_unquote(c, in->args[a].value);
                        if (http_url(src) || bh_startswith(src, "<<"))
                                continue;
                        const char *why = secret_path(src);
                        if (why)
                                lint_emit_word(c, it.idx, &in->args[a],
                                               "%s copies %s into the image, where every layer "
                                               "keeps it",
                                               src, why);
                }
        }
}

static void bh1018(struct lint_ctx *c)
{
        if (!c->input->context_known || c->input->has_dockerignore)
                return;
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_UNKNOWN))) {
                if ((in->kind != BH_DF_COPY && in->kind != BH_DF_ADD) ||
                    bh_df_flag(in, "from", NULL))
                        continue;
                for (size_t a = 0; a + 1 < in->nargs; a++) {
                        const char *src = lint_unquote(c, in->args[a].value);
                        if (strcmp(src, ".") == 0 || strcmp(src, "./") == 0 ||
                            strcmp(src, "*") == 0) {
                                lint_emit_word(c, it.idx, &in->args[a],
                                               "%s copies the whole build context and no "
                                               ".dockerignore limits it: .git, .env files and "
                                               "keys beside the Dockerfile go into the image",
                                               src);
                                break;
                        }
                }
        }
}

static void secret_check(struct lint_ctx *c, size_t idx, const char *kind, const char *name,
                         const char *value, bool has_value, const struct bh_df_word *w)
{
        bool by_name = bh_secret_name(name) && (has_value || strcmp(kind, "ARG") == 0);
        if (by_name && lint_rule_active(c, "DL3064") && lint_dl3064_name(name))
                by_name = false; /* DL3064 reports this one */
        const char *why = value && !lint_has_var(value) ? bh_secret_value(value) : NULL;
        if (why)
                lint_emit_word(c, idx, w,
                               "%s %s holds what looks like a secret (%s): it stays readable in "
                               "the image",
                               kind, name, why);
        else if (by_name)
                lint_emit_word(c, idx, w,
                               "%s %s is a credential by its name: %s values are readable by "
                               "anyone with the image",
                               kind, name, kind);
}

static void bh1007(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_UNKNOWN))) {
                if (in->kind == BH_DF_ARG) {
                        for (size_t k = 0; k < in->nargs; k++) {
                                const char *v = in->args[k].value, *eq = strchr(v, '=');
                                char name[256];
                                snprintf(name, sizeof name, "%.*s",
                                         (int)(eq ? (size_t)(eq - v) : strlen(v)), v);
                                const char *val = eq ? lint_unquote(c, eq + 1) : NULL;
                                secret_check(c, it.idx, "ARG", name, val, val && *val,
                                             &in->args[k]);
                        }
                } else if (in->kind == BH_DF_ENV || in->kind == BH_DF_LABEL) {
                        for (size_t k = 0; k + 1 < in->nargs; k += 3) {
                                const char *val = lint_unquote(c, in->args[k + 1].value);
                                if (in->kind == BH_DF_LABEL) {
                                        const char *why =
                                            lint_has_var(val) ? NULL : bh_secret_value(val);
                                        if (why)
                                                lint_emit_word(c, it.idx, &in->args[k + 1],
                                                               "LABEL %s holds what looks like "
                                                               "a secret (%s)",
                                                               in->args[k].value, why);
                                        continue;
                                }
                                secret_check(c, it.idx, "ENV", in->args[k].value, val, *val,
                                             &in->args[k]);
                        }
                }
        }
}

/* chmod modes: world-writable and set-id bits. */
static bool mode_world_writable(const char *m)
{
        size_t n = strlen(m);
        if (n >= 3 && n <= 4 && strspn(m, "01234567") == n) {
                if (n == 4 && (m[0] - '0') & 1)
                        return false; /* sticky, like /tmp's 1777 */
                return ((m[n - 1] - '0') & 2) != 0;
        }
        /* o+w, a+w, +w is umask-dependent; a=rwx */
        for (const char *clause = m; clause && *clause;) {
                const char *end = strchr(clause, ',');
                size_t len = end ? (size_t)(end - clause) : strlen(clause);
                const char *op = clause;
                while (op < clause + len && strchr("ugoa", *op))
                        op++;
                bool others = op == clause || memchr(clause, 'o', (size_t)(op - clause)) ||
                              memchr(clause, 'a', (size_t)(op - clause));
                if (op < clause + len && (*op == '+' || *op == '=') && others && op > clause &&
                    memchr(op, 'w', (size_t)(clause + len - op)))
                        return true;
                clause = end ? end + 1 : NULL;
        }
        return false;
}

static bool mode_setid(const char *m)
{
        size_t n = strlen(m);
        if (n == 4 && strspn(m, "01234567") == 4)
                return ((m[0] - '0') & 6) != 0;
        for (const char *p = strpbrk(m, "+="); p; p = strpbrk(p + 1, "+="))
                for (const char *q = p + 1; *q && *q != ',' && *q != '+' && *q != '-'; q++)
                        if (*q == 's')
                                return true;
        return false;
}

static void chmod_rules(struct lint_ctx *c, bool (*bad)(const char *), const char *what)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_UNKNOWN))) {
                if (in->kind == BH_DF_COPY || in->kind == BH_DF_ADD) {
                        const struct bh_df_word *w;
                        const char *m = bh_df_flag(in, "chmod", &w);
                        if (m && bad(m))
                                lint_emit_word(c, it.idx, w, "--chmod=%s %s", m, what);
                        continue;
                }
                if (in->kind != BH_DF_RUN)
                        continue;
                struct lint_script *s = lint_run_script(c, in, it.idx);
                if (!s)
                        continue;
                for (size_t k = 0; k < s->sh.ncmds; k++) {
                        const struct sh_cmd *cmd = &s->sh.cmds[k];
                        if (!sh_cmd_is(cmd, "chmod"))
                                continue;
                        for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++) {
                                const char *t = cmd->argv[i].text;
                                if (t[0] == '-' && !strpbrk(t + 1, "rwxst"))
                                        continue;
                                if (bad(t)) {
                                        lint_emit_sh(c, it.idx, s, &cmd->argv[i], "chmod %s %s", t,
                                                     what);
                                        break;
                                }
                                if (t[0] != '-')
                                        break; /* only the mode operand matters */
                        }
                }
        }
}

static void bh1008(struct lint_ctx *c)
{
        chmod_rules(c, mode_world_writable,
                    "lets every user in the container change the file: any process can plant "
                    "code there");
}

static void bh1009(struct lint_ctx *c)
{
        chmod_rules(c, mode_setid,
                    "sets a set-uid or set-gid bit: the file runs with its owner's rights, a "
                    "classic way from an ordinary user to root");
}

static bool ssh_package(const char *p)
{
        char name[128];
        snprintf(name, sizeof name, "%s", p);
        name[strcspn(name, "=<>~")] = '\0';
        return strcmp(name, "openssh-server") == 0 || strcmp(name, "dropbear") == 0 ||
               strcmp(name, "openssh") == 0 || strcmp(name, "openssh-server-pam") == 0 ||
               strcmp(name, "ssh-server") == 0 || strcmp(name, "tinysshd") == 0;
}

static void bh1010(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_UNKNOWN))) {
                if (in->kind == BH_DF_EXPOSE) {
                        for (size_t a = 0; a < in->nargs; a++)
                                if (strcmp(in->args[a].value, "22") == 0 ||
                                    bh_startswith(in->args[a].value, "22/"))
                                        lint_emit_word(c, it.idx, &in->args[a],
                                                       "EXPOSE 22 suggests an SSH server in the "
                                                       "container");
                        continue;
                }
                if (in->kind != BH_DF_RUN)
                        continue;
                struct lint_script *s = lint_run_script(c, in, it.idx);
                if (!s)
                        continue;
                for (size_t k = 0; k < s->sh.ncmds; k++) {
                        const struct sh_cmd *cmd = &s->sh.cmds[k];
                        const char *n = sh_cmd_name(cmd);
                        if (strcmp(n, "apt-get") != 0 && strcmp(n, "apt") != 0 &&
                            strcmp(n, "apk") != 0 && strcmp(n, "yum") != 0 &&
                            strcmp(n, "dnf") != 0 && strcmp(n, "microdnf") != 0 &&
                            strcmp(n, "zypper") != 0)
                                continue;
                        for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++)
                                if (ssh_package(cmd->argv[i].text)) {
                                        lint_emit_sh(c, it.idx, s, &cmd->argv[i],
                                                     "%s installs an SSH server: one more "
                                                     "daemon, keys and a login to protect",
                                                     cmd->argv[i].text);
                                        break;
                                }
                }
        }
}

static void bh1011(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_RUN))) {
                const struct bh_df_word *w;
                const char *sec = bh_df_flag(in, "security", &w);
                if (sec && strcmp(sec, "insecure") == 0)
                        lint_emit_word(c, it.idx, w,
                                       "RUN --security=insecure runs this step with all "
                                       "capabilities and no seccomp or AppArmor: as root on "
                                       "the builder");
        }
}

/* Package caches left behind in a stage that ships, by managers no active
 * DL rule already reports. */
static void bh1012_run(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in,
                       struct lint_script *s)
{
        bool npm_cleaned = false;
        for (size_t j = 0; j < s->sh.ncmds; j++) {
                const struct sh_cmd *o = &s->sh.cmds[j];
                const char *osub = sh_subcommand(o);
                if (sh_cmd_is(o, "npm") && osub && strcmp(osub, "cache") == 0)
                        npm_cleaned = true;
        }
        for (size_t k = 0; k < s->sh.ncmds; k++) {
                const struct sh_cmd *cmd = &s->sh.cmds[k];
                const char *n = sh_cmd_name(cmd), *sub = sh_subcommand(cmd);
                const char *what = NULL;
                char go_msg[192];
                if (strcmp(n, "npm") == 0 && sub &&
                    (strcmp(sub, "install") == 0 || strcmp(sub, "ci") == 0 ||
                     strcmp(sub, "i") == 0)) {
                        if (!npm_cleaned && !lint_has_cache_mount(in, "/root/.npm") &&
                            !strstr(s->text, ".npm"))
                                what = "npm keeps its cache in ~/.npm: run npm cache clean "
                                       "--force in the same RUN or use a cache mount";
                } else if (strcmp(n, "composer") == 0 && sub && strcmp(sub, "install") == 0) {
                        static const char *const nc[] = {"--no-cache", NULL};
                        if (!sh_has_option(cmd, NULL, nc) && !strstr(s->text, "clear-cache") &&
                            !lint_has_cache_mount(in, NULL))
                                what = "composer keeps its cache in the layer: add --no-cache";
                } else if (strcmp(n, "go") == 0 && sub &&
                           (strcmp(sub, "build") == 0 || strcmp(sub, "install") == 0)) {
                        if (!lint_has_cache_mount(in, "/root/.cache") &&
                            !strstr(s->text, "go clean")) {
                                snprintf(go_msg, sizeof go_msg,
                                         "go %s leaves its build cache in /root/.cache/go-build "
                                         "in a stage that ships: build in an earlier stage or use "
                                         "a cache mount",
                                         sub);
                                what = go_msg;
                        }
                } else if (strcmp(n, "apt-get") == 0 && sub && strcmp(sub, "install") == 0 &&
                           !lint_rule_active(c, "DL3009")) {
                        if (!strstr(s->text, "/var/lib/apt/lists") &&
                            !lint_has_cache_mount(in, "/var/lib/apt"))
                                what = "apt-get leaves its package lists in the layer";
                } else if (strcmp(n, "apk") == 0 && sub && strcmp(sub, "add") == 0 &&
                           !lint_rule_active(c, "DL3019")) {
                        static const char *const nc[] = {"--no-cache", NULL};
                        if (!sh_has_option(cmd, NULL, nc))
                                what = "apk keeps its index in /var/cache/apk";
                } else if (bh_startswith(n, "pip") && sub && strcmp(sub, "install") == 0 &&
                           !lint_rule_active(c, "DL3042")) {
                        static const char *const nc[] = {"--no-cache-dir", NULL};
                        if (!sh_has_option(cmd, NULL, nc))
                                what = "pip keeps its cache in the layer";
                }
                if (what) {
                        const struct sh_word *w =
                            &cmd->argv[sh_cmd_start(cmd) < cmd->argc ? sh_cmd_start(cmd) : 0];
                        lint_emit_sh(c, idx, s, w, "%s", what);
                }
        }
}

static void bh1012(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_RUN))) {
                const struct lint_stage *st = lint_stage_of(c, it.idx);
                if (!st || !st->ships)
                        continue;
                struct lint_script *s = lint_run_script(c, in, it.idx);
                if (s)
                        bh1012_run(c, it.idx, in, s);
        }
}

/* The image name without registry, path or tag: "debian", "python". */
static void image_name(const char *ref, char *out, size_t cap)
{
        const char *slash = strrchr(ref, '/');
        const char *n = slash ? slash + 1 : ref;
        snprintf(out, cap, "%s", n);
        out[strcspn(out, ":@")] = '\0';
}

static const char *image_tag(const char *ref)
{
        const char *slash = strrchr(ref, '/');
        const char *colon = strchr(slash ? slash : ref, ':');
        return colon ? colon + 1 : "";
}

static bool full_distro(const char *ref)
{
        static const char *const distros[] = {"debian",         "ubuntu",
                                              "centos",         "fedora",
                                              "rockylinux",     "almalinux",
                                              "amazonlinux",    "oraclelinux",
                                              "archlinux",      "leap",
                                              "tumbleweed",     "ubi8",
                                              "ubi9",           "ubi",
                                              "buildpack-deps", "golang",
                                              "rust",           "gcc",
                                              "maven",          "gradle",
                                              "openjdk",        "eclipse-temurin",
                                              "node",           "python",
                                              "ruby",           "php",
                                              "perl",           "elixir",
                                              "haskell",        "swift",
                                              "dotnet",         NULL};
        char name[128];
        image_name(ref, name, sizeof name);
        const char *tag = image_tag(ref);
        if (strstr(tag, "slim") || strstr(tag, "alpine") || strstr(tag, "minimal") ||
            strstr(tag, "distroless") || strstr(tag, "micro"))
                return false;
        for (size_t i = 0; distros[i]; i++)
                if (strcmp(name, distros[i]) == 0)
                        return true;
        return false;
}

static bool builds_software(const struct lint_ctx *c, const struct lint_stage *st)
{
        for (size_t i = st->from; i < st->end; i++) {
                const struct lint_script *s = &c->scripts[i * 2];
                if (c->f->instrs[i].kind != BH_DF_RUN || !s->parsed || !s->usable)
                        continue;
                for (size_t k = 0; k < s->sh.ncmds; k++) {
                        const struct sh_cmd *cmd = &s->sh.cmds[k];
                        const char *n = sh_cmd_name(cmd), *sub = sh_subcommand(cmd);
                        if (strcmp(n, "make") == 0 || strcmp(n, "gcc") == 0 ||
                            strcmp(n, "cc") == 0 || strcmp(n, "javac") == 0 ||
                            strcmp(n, "mvn") == 0 || strcmp(n, "gradle") == 0 ||
                            (sub && strcmp(sub, "build") == 0 &&
                             (strcmp(n, "go") == 0 || strcmp(n, "cargo") == 0 ||
                              strcmp(n, "dotnet") == 0)))
                                return true;
                }
        }
        return false;
}

static void bh1013(struct lint_ctx *c)
{
        const struct lint_stage *st = lint_final_stage(c);
        if (!st || st->parent >= 0 || st->windows || !full_distro(st->resolved))
                return;
        /* make sure the scripts of the final stage are parsed */
        for (size_t i = st->from; i < st->end; i++)
                lint_run_script(c, &c->f->instrs[i], i);
        bool copies_artifacts = false;
        for (size_t i = st->from; i < st->end; i++)
                if (c->f->instrs[i].kind == BH_DF_COPY &&
                    bh_df_flag(&c->f->instrs[i], "from", NULL))
                        copies_artifacts = true;
        const struct bh_df_instr *from = &c->f->instrs[st->from];
        if (c->nstages > 1 && copies_artifacts)
                lint_emit_word(c, st->from, &from->args[0],
                               "the final stage ships all of %s although it only receives "
                               "built files: a distroless or scratch base would carry no shell "
                               "or package manager to attack",
                               st->resolved);
        else if (c->nstages == 1 && builds_software(c, st))
                lint_emit_word(c, st->from, &from->args[0],
                               "the image is built and shipped on %s, compilers included: build "
                               "in one stage and copy the result into a distroless or scratch "
                               "stage",
                               st->resolved);
}

static void bh1014(struct lint_ctx *c)
{
        const struct lint_stage *st = lint_final_stage(c);
        if (!st || !st->windows)
                return;
        size_t idx;
        const struct bh_df_instr *u = last_user(c, st, &idx);
        if (u) {
                if (strcasecmp(lint_unquote(c, u->args[0].value), "ContainerAdministrator") == 0)
                        lint_emit_word(c, idx, &u->args[0],
                                       "the container runs as ContainerAdministrator: use "
                                       "USER ContainerUser");
                return;
        }
        const char *base = base_of_chain(c, st);
        if (!strcasestr(base, "nanoserver"))
                lint_emit_instr(c, st->from, &c->f->instrs[st->from],
                                "%s runs as ContainerAdministrator unless a USER says otherwise: "
                                "add USER ContainerUser",
                                base);
}

static void bh1015(struct lint_ctx *c)
{
        if (lint_rule_active(c, "DL3057"))
                return;
        const struct lint_stage *st = lint_final_stage(c);
        while (st && st->parent >= 0)
                st = &c->stages[st->parent];
        const struct lint_stage *fin = lint_final_stage(c);
        if (!fin)
                return;
        for (const struct lint_stage *s = fin; s; s = s->parent >= 0 ? &c->stages[s->parent] : NULL)
                for (size_t i = s->from; i < s->end; i++)
                        if (c->f->instrs[i].kind == BH_DF_HEALTHCHECK)
                                return;
        lint_emit_instr(c, fin->from, &c->f->instrs[fin->from],
                        "the final stage has no HEALTHCHECK: the engine cannot tell a hung "
                        "service from a working one");
}

/* apk add --allow-untrusted of files built earlier involves no network. */
static bool local_packages_only(const struct sh_cmd *cmd)
{
        bool any = false;
        for (size_t i = sh_cmd_start(cmd) + 2; i < cmd->argc; i++) {
                const char *t = cmd->argv[i].text;
                if (t[0] == '-')
                        continue;
                if (!(t[0] == '/' || t[0] == '.' || bh_endswith(t, ".apk")))
                        return false;
                any = true;
        }
        return any;
}

static void bh1016(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_UNKNOWN))) {
                if (in->kind == BH_DF_ADD) {
                        for (size_t a = 0; a + 1 < in->nargs; a++)
                                if (strncasecmp(in->args[a].value, "http://", 7) == 0 &&
                                    !bh_df_flag(in, "checksum", NULL))
                                        lint_emit_word(c, it.idx, &in->args[a],
                                                       "ADD over plain HTTP: anyone on the path "
                                                       "can change what arrives");
                        continue;
                }
                if (in->kind != BH_DF_RUN)
                        continue;
                struct lint_script *s = lint_run_script(c, in, it.idx);
                if (!s)
                        continue;
                for (size_t k = 0; k < s->sh.ncmds; k++) {
                        const struct sh_cmd *cmd = &s->sh.cmds[k];
                        const char *n = sh_cmd_name(cmd);
                        for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++) {
                                const char *t = cmd->argv[i].text, *what = NULL;
                                if (strcmp(n, "curl") == 0 &&
                                    (strcmp(t, "-k") == 0 || strcmp(t, "--insecure") == 0 ||
                                     (t[0] == '-' && t[1] != '-' && strchr(t, 'k'))))
                                        what = "curl -k accepts any certificate";
                                else if (strcmp(n, "wget") == 0 &&
                                         strcmp(t, "--no-check-certificate") == 0)
                                        what = "wget --no-check-certificate accepts any "
                                               "certificate";
                                else if (strcmp(t, "--allow-unauthenticated") == 0 ||
                                         (strchr(t, '=') &&
                                          (strcasestr(t, "AllowUnauthenticated=true") ||
                                           strcasestr(t, "Verify-Peer=false"))))
                                        what = "apt accepts unsigned packages";
                                else if (strcmp(t, "--allow-untrusted") == 0 &&
                                         !local_packages_only(cmd))
                                        what = "apk accepts unsigned packages";
                                else if (strcmp(t, "--nogpgcheck") == 0)
                                        what = "package signatures are not checked";
                                else if (strcmp(t, "--trusted-host") == 0 ||
                                         bh_startswith(t, "--trusted-host="))
                                        what = "pip trusts a host without TLS verification";
                                else if ((strchr(t, '=') && strcasestr(t, "sslVerify=false")) ||
                                         (strcasecmp(t, "http.sslVerify") == 0 &&
                                          i + 1 < cmd->argc &&
                                          strcmp(cmd->argv[i + 1].text, "false") == 0))
                                        what = "git does not verify TLS certificates";
                                else if (strcmp(t, "strict-ssl") == 0 && i + 1 < cmd->argc &&
                                         strcmp(cmd->argv[i + 1].text, "false") == 0)
                                        what = "npm does not verify TLS certificates";
                                if (what) {
                                        lint_emit_sh(c, it.idx, s, &cmd->argv[i],
                                                     "%s: whoever sits on the network path "
                                                     "chooses what gets installed",
                                                     what);
                                        break;
                                }
                        }
                }
        }
}

static void bh1017(struct lint_ctx *c)
{
        for (size_t i = 0; i < c->f->ninstrs; i++)
                if (c->f->instrs[i].empty_continuation)
                        lint_emit_instr(c, i, &c->f->instrs[i],
                                        "a blank line inside this continued instruction: BuildKit "
                                        "warns and plans to make it an error");
}

#define W LINT_WARNING
#define E LINT_ERROR
#define I LINT_INFO
#define S LINT_STYLE

const struct lint_rule lint_bh_rules[] = {
    {"BH1000", "buildkit-rejects", E, BH_SEV_HIGH, false, "Instruction BuildKit refuses",
     "An unknown instruction or flag, a missing argument, a malformed option, an invalid stage "
     "name, a blank ENV/LABEL/ARG name, an EXPOSE that is no port, ADD --checksum on a local "
     "source, or a file with no FROM stops the build.",
     "Correct the instruction; the message says what BuildKit expects.", bh1000},
    {"BH1001", "final-user-missing", E, BH_SEV_HIGH, false, "Final stage runs as root",
     "With no USER the container runs as uid 0. Any flaw in the process is then a flaw run as "
     "root, one kernel bug away from the host.",
     "Create an unprivileged user in the image and end the final stage with USER <uid>:<gid>, "
     "e.g. USER 10001:10001.",
     bh1001},
    {"BH1002", "final-user-name", W, BH_SEV_MEDIUM, false, "Final USER is a name, not a uid",
     "Kubernetes' runAsNonRoot can only verify a numeric uid; with a name it refuses to start the "
     "pod or, with runAsUser, the name is ignored. Scanners cannot tell either.",
     "Use the numeric uid (and gid) of the user: USER 10001:10001.", bh1002},
    {"BH1003", "base-image-digest", W, BH_SEV_MEDIUM, false, "Base image not pinned by digest",
     "A tag is a pointer its owner (or whoever takes over the account) can move; a digest names "
     "exactly the content you reviewed and scanned.",
     "Append the digest: FROM image:tag@sha256:<digest>; let a bot update it. Set "
     "`digest-pinning: final` or `off` in .bulkhead.yaml to relax.",
     bh1003},
    {"BH1004", "add-url-checksum", E, BH_SEV_HIGH, true, "ADD of a URL without --checksum",
     "ADD fetches the URL at build time and trusts whatever the server returns.",
     "Add --checksum=sha256:<hash> (BuildKit verifies it), or download in RUN and verify.", bh1004},
    {"BH1005", "curl-pipe-shell", E, BH_SEV_HIGH, true, "Download piped into a shell",
     "curl ... | sh runs whatever the server sends today, with no record and no check; a "
     "compromised server or a network attacker owns the build.",
     "Download to a file, verify its checksum or signature, then run it.", bh1005},
    {"BH1006", "secret-file-copied", E, BH_SEV_CRITICAL, true, "Secret file copied into the image",
     "Keys, tokens and .git copied by COPY/ADD stay in the layer even if a later step deletes "
     "them; anyone who pulls the image can extract them.",
     "Keep them out of the build context (.dockerignore) and pass secrets with RUN "
     "--mount=type=secret or --mount=type=ssh.",
     bh1006},
    {"BH1007", "secret-in-arg-env", E, BH_SEV_HIGH, true, "Secret passed as ARG, ENV or LABEL",
     "ARG values are recorded in the image history, ENV and LABEL values in its configuration: "
     "docker history and docker inspect show them to anyone with the image.",
     "Use RUN --mount=type=secret,id=name and read /run/secrets/name inside the RUN.", bh1007},
    {"BH1008", "world-writable", W, BH_SEV_MEDIUM, true, "World-writable permissions",
     "chmod 777 (or o+w) lets any process in the container replace files other processes trust.",
     "Grant write access to the owning user only (755/644), or chown to the user that needs it.",
     bh1008},
    {"BH1009", "setuid-bit", W, BH_SEV_MEDIUM, true, "Set-uid or set-gid bit",
     "A set-uid binary runs with its owner's rights; in an image that is usually root.",
     "Drop the bit; grant a specific capability if the program really needs one.", bh1009},
    {"BH1010", "ssh-server", W, BH_SEV_HIGH, true, "SSH server in the image",
     "An SSH daemon adds keys, a login and a network service to the attack surface; containers "
     "are entered with docker exec or kubectl exec.",
     "Remove the SSH server and EXPOSE 22.", bh1010},
    {"BH1011", "run-insecure", E, BH_SEV_HIGH, true, "RUN --security=insecure",
     "The step runs without seccomp and AppArmor and with all capabilities: a privileged "
     "container on the builder.",
     "Remove the flag; find the capability the step needs and question it.", bh1011},
    {"BH1012", "package-cache", I, BH_SEV_LOW, false, "Package cache left in a shipped stage",
     "Caches of npm, composer, go (and of apt, apk and pip when their DL rules are off) make the "
     "final image larger and hold files nobody audits.",
     "Clean the cache in the same RUN, use --mount=type=cache, or build in an earlier stage.",
     bh1012},
    {"BH1013", "full-distro-final", I, BH_SEV_LOW, false, "Full distribution in the final stage",
     "A full distribution or SDK image ships a shell, a package manager and hundreds of packages "
     "the application never uses, each a possible vulnerability.",
     "Build in one stage and copy the result into a distroless or scratch final stage.", bh1013},
    {"BH1014", "windows-container-admin", W, BH_SEV_HIGH, false,
     "Windows container runs as ContainerAdministrator",
     "ContainerAdministrator is the administrator of the container; servercore images default to "
     "it.",
     "End the final stage with USER ContainerUser.", bh1014},
    {"BH1015", "healthcheck-missing", I, BH_SEV_INFO, false, "No HEALTHCHECK",
     "Without a HEALTHCHECK the engine only knows whether the process runs, not whether it "
     "works (orchestrators with their own probes may not need one).",
     "Add HEALTHCHECK CMD [\"/app\", \"healthcheck\"].", bh1015},
    {"BH1016", "verification-disabled", W, BH_SEV_HIGH, true,
     "TLS or signature verification turned off",
     "curl -k, wget --no-check-certificate, --allow-unauthenticated, --nogpgcheck or plain-HTTP "
     "ADD let anyone on the network path choose what is installed.",
     "Remove the option; install the CA certificate you need instead.", bh1016},
    {"BH1017", "empty-continuation-line", S, BH_SEV_INFO, false,
     "Blank line inside a continued instruction",
     "BuildKit warns about blank lines in a continuation and plans to refuse them.",
     "Remove the blank line or end the instruction before it.", bh1017},
    {"BH1018", "context-without-dockerignore", W, BH_SEV_MEDIUM, true,
     "Whole build context copied without .dockerignore",
     "COPY . copies everything beside the Dockerfile: .git, .env files, keys and old build "
     "output, unless a .dockerignore excludes them; whatever is copied stays in the layer.",
     "Add a .dockerignore (start from `*` and re-include what the image needs), or copy named "
     "paths.",
     bh1018},
};
const size_t lint_bh_rule_count = BH_ARRAY_SIZE(lint_bh_rules);
