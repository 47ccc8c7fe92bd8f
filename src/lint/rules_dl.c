/* Rules whose meaning matches one of hadolint's: they carry its DL id and
 * default level so existing pragmas and .hadolint.yaml files keep working.
 * The wording (title, why, fix) is Bulkhead's own. */
#include "lint/lint_int.h"
#include "lint/text.h"
#include "base/secret.h"
#include "base/util.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define MAXW 256

static const struct sh_word *name_word(const struct sh_cmd *cmd)
{
        size_t i = sh_cmd_start(cmd);
        return i < cmd->argc ? &cmd->argv[i] : (cmd->argc ? &cmd->argv[0] : NULL);
}

static void emit_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                     const struct sh_cmd *cmd, const char *msg)
{
        const struct sh_word *w = name_word(cmd);
        if (w)
                lint_emit_sh(c, idx, s, w, "%s", msg);
}

/* The subcommand of a package manager, skipping options and their values. */
static const char *pm_sub(const struct sh_cmd *cmd, const char *const *with_value, size_t *at)
{
        for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++) {
                const char *t = cmd->argv[i].text;
                if (t[0] == '-') {
                        for (size_t k = 0; with_value && with_value[k]; k++)
                                if (strcmp(t, with_value[k]) == 0)
                                        i++;
                        continue;
                }
                if (at)
                        *at = i;
                return t;
        }
        return NULL;
}

static bool word_in(const char *w, const char *const *list)
{
        for (size_t i = 0; list[i]; i++)
                if (strcmp(w, list[i]) == 0)
                        return true;
        return false;
}

/* Positional words after position at (options and their values dropped). */
static size_t args_after(const struct sh_cmd *cmd, size_t at, const char *const *with_value,
                         const struct sh_word **out, size_t max)
{
        size_t n = 0;
        bool options = true;
        for (size_t i = at + 1; i < cmd->argc; i++) {
                const char *t = cmd->argv[i].text;
                if (options && strcmp(t, "--") == 0) {
                        options = false;
                        continue;
                }
                if (options && t[0] == '-' && t[1]) {
                        if (with_value && word_in(t, with_value))
                                i++;
                        continue;
                }
                if (n < max)
                        out[n++] = &cmd->argv[i];
        }
        return n;
}

static bool has_opt(const struct sh_cmd *cmd, const char *shorts, const char *const *longs)
{
        return sh_has_option(cmd, shorts, longs);
}

/* ---- apt-get ---- */

static const char *const apt_value_opts[] = {
    "-o", "-c", "-t", "--option", "--config-file", "--target-release", "--default-release", NULL};

static bool apt_install(const struct sh_cmd *cmd, size_t *at)
{
        if (!sh_cmd_is(cmd, "apt-get") && !sh_cmd_is(cmd, "apt"))
                return false;
        const char *sub = pm_sub(cmd, apt_value_opts, at);
        if (!sub || strcmp(sub, "install") != 0)
                return false;
        /* a simulation installs nothing */
        static const char *const sim[] = {"--simulate", "--dry-run", "--just-print",
                                          "--no-act",   "--recon",   NULL};
        return !sh_has_option(cmd, "s", sim);
}

static void dl3008_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        size_t at;
        if (!sh_cmd_is(cmd, "apt-get") || !apt_install(cmd, &at))
                return;
        const struct sh_word *pk[MAXW];
        size_t n = args_after(cmd, at, apt_value_opts, pk, MAXW);
        for (size_t i = 0; i < n; i++) {
                const char *p = pk[i]->text;
                /* hadolint: a / anywhere is a release (pkg/bookworm-backports) or a path */
                if (strchr(p, '=') || lint_has_var(p) || bh_endswith(p, ".deb") || strchr(p, '/') ||
                    p[0] == '.')
                        continue;
                lint_emit_sh(c, idx, s, pk[i],
                             "apt-get installs \"%s\" at whatever version the mirror has today: "
                             "pin it (%s=<version>)",
                             p, p);
        }
}

static bool rm_path(const struct sh_script *sh, const char *prefix)
{
        for (size_t k = 0; k < sh->ncmds; k++) {
                const struct sh_cmd *cmd = &sh->cmds[k];
                if (!sh_cmd_is(cmd, "rm"))
                        continue;
                for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++)
                        if (bh_startswith(cmd->argv[i].text, prefix))
                                return true;
        }
        return false;
}

static bool pm_clean(const struct sh_script *sh, const char *tool, const char *sub, const char *arg)
{
        for (size_t k = 0; k < sh->ncmds; k++) {
                const struct sh_cmd *cmd = &sh->cmds[k];
                if (!sh_cmd_is(cmd, tool))
                        continue;
                bool have_sub = false, have_arg = arg == NULL;
                for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++) {
                        if (strcmp(cmd->argv[i].text, sub) == 0)
                                have_sub = true;
                        else if (have_sub && arg && strcmp(cmd->argv[i].text, arg) == 0)
                                have_arg = true;
                }
                if (have_sub && have_arg)
                        return true;
        }
        return false;
}

/* rm of the lists or of a directory above them */
static bool rm_apt_lists(const struct sh_script *sh)
{
        static const char *const above[] = {"/var/lib/apt", "/var/lib/apt/", "/var/lib/apt/*",
                                            NULL};
        for (size_t k = 0; k < sh->ncmds; k++) {
                const struct sh_cmd *cmd = &sh->cmds[k];
                if (!sh_cmd_is(cmd, "rm"))
                        continue;
                for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++)
                        if (bh_startswith(cmd->argv[i].text, "/var/lib/apt/lists") ||
                            word_in(cmd->argv[i].text, above))
                                return true;
        }
        return false;
}

/* A cache mount on dir or below it (hadolint: the target starts with dir). */
static bool cache_mount_under(const struct bh_df_instr *in, const char *dir)
{
        size_t n = strlen(dir);
        for (size_t i = 0; i < in->nflags; i++) {
                const char *v = in->flags[i].value;
                if (strncmp(v, "--mount=", 8) != 0)
                        continue;
                bool cache = false, under = false;
                char *copy = bh_xstrdup(v + 8), *save = NULL;
                for (char *kv = strtok_r(copy, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
                        if (strcmp(kv, "type=cache") == 0)
                                cache = true;
                        const char *eq = strchr(kv, '=');
                        if (!eq)
                                continue;
                        size_t kl = (size_t)(eq - kv);
                        bool target = (kl == 6 && strncmp(kv, "target", 6) == 0) ||
                                      (kl == 3 && strncmp(kv, "dst", 3) == 0) ||
                                      (kl == 11 && strncmp(kv, "destination", 11) == 0);
                        if (target && strncmp(eq + 1, dir, n) == 0 &&
                            (eq[1 + n] == '\0' || eq[1 + n] == '/'))
                                under = true;
                }
                free(copy);
                if (cache && under)
                        return true;
        }
        return false;
}

/* hadolint's DL3009 looks at the final stage and at stages a later FROM
 * builds on; stages only copied from are not shipped as they are. */
static bool dl3009_stage(const struct lint_ctx *c, size_t idx)
{
        if (idx >= c->f->ninstrs || c->stage_of[idx] == SIZE_MAX)
                return c->nstages == 0; /* hadolint's stand-in stage when there is no FROM */
        size_t s = c->stage_of[idx];
        if (s + 1 == c->nstages)
                return true;
        for (size_t t = s + 1; t < c->nstages; t++)
                if (c->stages[t].parent == (int)s)
                        return true;
        return false;
}

static void dl3009_run(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in,
                       struct lint_script *s)
{
        if (!dl3009_stage(c, idx))
                return;
        for (size_t k = 0; k < s->sh.ncmds; k++) {
                const struct sh_cmd *cmd = &s->sh.cmds[k];
                if (!sh_cmd_is(cmd, "apt-get") && !sh_cmd_is(cmd, "apt"))
                        continue;
                const char *sub = pm_sub(cmd, apt_value_opts, NULL);
                if (!sub || strcmp(sub, "update") != 0)
                        continue;
                if (rm_apt_lists(&s->sh) || cache_mount_under(in, "/var/lib/apt/lists") ||
                    (cache_mount_under(in, "/var/lib/apt") &&
                     cache_mount_under(in, "/var/cache/apt")))
                        return;
                emit_cmd(c, idx, s, cmd,
                         "apt-get update leaves the package lists in /var/lib/apt/lists in this "
                         "layer: remove them in the same RUN (rm -rf /var/lib/apt/lists/*)");
                return;
        }
}

static void dl3014_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        size_t at;
        if (!sh_cmd_is(cmd, "apt-get") || !apt_install(cmd, &at))
                return;
        static const char *const yes[] = {"--yes", "--assume-yes", "--quiet=2", NULL};
        if (has_opt(cmd, "y", yes))
                return;
        /* -qq implies --yes */
        for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++) {
                const char *t = cmd->argv[i].text;
                if (t[0] == '-' && t[1] != '-') {
                        int q = 0;
                        for (const char *p = t + 1; *p; p++)
                                q += *p == 'q';
                        if (q >= 2 || strcmp(t, "-q=2") == 0)
                                return;
                }
        }
        emit_cmd(c, idx, s, cmd, "apt-get install without -y waits for an answer no build gives");
}

static void dl3015_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        size_t at;
        if (!sh_cmd_is(cmd, "apt-get") || !apt_install(cmd, &at))
                return;
        static const char *const norec[] = {"--no-install-recommends", NULL};
        if (has_opt(cmd, NULL, norec))
                return;
        for (size_t i = sh_cmd_start(cmd) + 1; i + 1 < cmd->argc; i++)
                if (strcmp(cmd->argv[i].text, "-o") == 0 &&
                    strcasestr(cmd->argv[i + 1].text, "Install-Recommends"))
                        return;
        emit_cmd(c, idx, s, cmd,
                 "apt-get install pulls in recommended packages too: add "
                 "--no-install-recommends");
}

static void dl3027_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        if (sh_cmd_is(cmd, "apt"))
                emit_cmd(c, idx, s, cmd,
                         "apt is meant for people at a terminal and its interface may change: "
                         "use apt-get or apt-cache");
}

/* ---- simple RUN commands ---- */

static void dl3001_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        static const char *const pointless[] = {"free",    "kill",     "mount", "ps",
                                                "service", "shutdown", "ssh",   "top",
                                                "vim",     "ifconfig", "nano",  NULL};
        const char *n = sh_cmd_name(cmd);
        if (word_in(n, pointless))
                emit_cmd(c, idx, s, cmd, "this command does nothing useful while an image builds");
}

static void dl3003_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        if (sh_cmd_is(cmd, "cd"))
                emit_cmd(c, idx, s, cmd,
                         "cd changes the directory for this RUN only: use WORKDIR to set it");
}

static void dl3004_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        size_t start = sh_cmd_start(cmd);
        for (size_t i = 0; i < start && i < cmd->argc; i++) {
                const char *t = cmd->argv[i].text, *b = strrchr(t, '/');
                if (strcmp(b ? b + 1 : t, "sudo") == 0) {
                        lint_emit_sh(c, idx, s, &cmd->argv[i],
                                     "sudo in a build behaves differently from one machine to the "
                                     "next and needs a TTY setup: RUN already runs as the USER "
                                     "in force");
                        return;
                }
        }
}

static void dl3047_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        if (!sh_cmd_is(cmd, "wget"))
                return;
        static const char *const quiet[] = {"--progress",    "--quiet",         "--no-verbose",
                                            "--output-file", "--append-output", NULL};
        for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++) {
                const char *t = cmd->argv[i].text;
                if (strcmp(t, "-nv") == 0)
                        return;
        }
        if (has_opt(cmd, "qoa", quiet))
                return;
        emit_cmd(c, idx, s, cmd,
                 "wget prints a progress line for every few kilobytes: add --progress=dot:giga "
                 "or -q");
}

static void dl3046_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        if (!sh_cmd_is(cmd, "useradd"))
                return;
        static const char *const nolog[] = {"--no-log-init", NULL};
        if (has_opt(cmd, "l", nolog))
                return;
        for (size_t i = sh_cmd_start(cmd) + 1; i < cmd->argc; i++) {
                const char *t = cmd->argv[i].text, *uid = NULL;
                if ((strcmp(t, "-u") == 0 || strcmp(t, "--uid") == 0) && i + 1 < cmd->argc)
                        uid = cmd->argv[i + 1].text;
                else if (bh_startswith(t, "--uid="))
                        uid = t + 6;
                else if (bh_startswith(t, "-u") && t[2])
                        uid = t + 2;
                if (uid && strspn(uid, "0123456789") == strlen(uid) && strlen(uid) > 5) {
                        emit_cmd(c, idx, s, cmd,
                                 "useradd with a large UID and without -l fills /var/log/faillog "
                                 "and lastlog with zeros up to that UID");
                        return;
                }
        }
}

static void dl4005_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        if (!sh_cmd_is(cmd, "ln") || cmd->argc < 2)
                return;
        const char *last = cmd->argv[cmd->argc - 1].text;
        if (strcmp(last, "/bin/sh") == 0)
                emit_cmd(c, idx, s, cmd,
                         "replacing /bin/sh changes the shell behind everyone's back: use the "
                         "SHELL instruction");
}

/* ---- pip, npm, gem, go, apk, yum, dnf, zypper, yarn ---- */

static bool pip_install(const struct sh_cmd *cmd, size_t *at)
{
        size_t i = sh_cmd_start(cmd);
        if (i >= cmd->argc)
                return false;
        const char *n = sh_cmd_name(cmd);
        if (bh_startswith(n, "python")) {
                if (i + 2 < cmd->argc && strcmp(cmd->argv[i + 1].text, "-m") == 0 &&
                    bh_startswith(cmd->argv[i + 2].text, "pip"))
                        i += 2;
                else
                        return false;
        } else if (!bh_startswith(n, "pip") || strspn(n + 3, "0123456789.") != strlen(n + 3)) {
                return false;
        }
        for (size_t k = i + 1; k < cmd->argc; k++) {
                if (cmd->argv[k].text[0] == '-')
                        continue;
                if (strcmp(cmd->argv[k].text, "install") == 0) {
                        *at = k;
                        return true;
                }
                return false;
        }
        return false;
}

static const char *const pip_value_opts[] = {"-c",
                                             "--constraint",
                                             "-e",
                                             "--editable",
                                             "-t",
                                             "--target",
                                             "--platform",
                                             "--python-version",
                                             "--implementation",
                                             "--abi",
                                             "--root",
                                             "--prefix",
                                             "--src",
                                             "--upgrade-strategy",
                                             "-i",
                                             "--index-url",
                                             "--extra-index-url",
                                             "-f",
                                             "--find-links",
                                             "--trusted-host",
                                             "--cache-dir",
                                             "--log",
                                             "--proxy",
                                             "--retries",
                                             "--timeout",
                                             "--exists-action",
                                             "--cert",
                                             "--client-cert",
                                             "--no-binary",
                                             "--only-binary",
                                             "--progress-bar",
                                             "--report",
                                             "--config-settings",
                                             "-C",
                                             "-r",
                                             "--requirement",
                                             NULL};

/* A pip VCS requirement (git+https://..., hg+ssh://..., svn://...). */
static bool pip_vcs(const char *p)
{
        static const char *const schemes[] = {"git+",   "hg+",    "svn+", "bzr+",
                                              "git://", "svn://", NULL};
        for (size_t i = 0; schemes[i]; i++)
                if (bh_startswith(p, schemes[i]))
                        return true;
        return false;
}

/* hadolint's DL3013 leaves a pip install alone when it installs a
 * requirements file (-r, --requirement) or the project (.), or when a
 * constraints file (-c, --constraint) pins what it installs. */
static bool pip_pinned_elsewhere(const struct sh_cmd *cmd, size_t at)
{
        static const char *const constraint[] = {"--constraint", NULL};
        if (sh_has_option(cmd, "c", constraint))
                return true;
        for (size_t i = at + 1; i < cmd->argc; i++) {
                const char *t = cmd->argv[i].text;
                if (strcmp(t, "-r") == 0 || strcmp(t, "--requirement") == 0 ||
                    bh_startswith(t, "--requirement=") || strcmp(t, ".") == 0)
                        return true;
        }
        return false;
}

static void dl3013_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        size_t at;
        if (!pip_install(cmd, &at) || pip_pinned_elsewhere(cmd, at))
                return;
        const struct sh_word *pk[MAXW];
        size_t n = args_after(cmd, at, pip_value_opts, pk, MAXW);
        for (size_t i = 0; i < n; i++) {
                const char *p = pk[i]->text;
                /* a VCS URL is pinned by @ref; any other / is a local path */
                bool vcs = pip_vcs(p);
                if (strpbrk(p, "=<>~!") || (vcs && strchr(p, '@')) || (!vcs && strchr(p, '/')) ||
                    lint_has_var(p) || bh_endswith(p, ".whl") || bh_endswith(p, ".tar.gz") ||
                    bh_endswith(p, ".zip") || p[0] == '.')
                        continue;
                lint_emit_sh(c, idx, s, pk[i],
                             "pip installs the newest \"%s\" there is at build time: pin it "
                             "(%s==<version>)",
                             p, p);
        }
}

/* Whether ARG or ENV sets name before instruction idx, in its stage or the
 * stages it is built from. Looks back at most ENV_LOOKBACK instructions, so a
 * hostile file cannot make this quadratic; real stages are far shorter. */
#define ENV_LOOKBACK 4096

static bool env_in_stage(struct lint_ctx *c, size_t idx, const char *name)
{
        const struct lint_stage *st = lint_stage_of(c, idx);
        size_t budget = ENV_LOOKBACK, n = strlen(name);
        size_t until = idx;
        while (st && budget) {
                for (size_t i = until; i > st->from && budget; i--, budget--) {
                        const struct bh_df_instr *in = &c->f->instrs[i - 1];
                        if (in->kind != BH_DF_ENV && in->kind != BH_DF_ARG)
                                continue;
                        for (size_t k = 0; k < in->nargs; k++) {
                                const char *v = in->args[k].value;
                                if (in->kind == BH_DF_ENV && k % 3 == 0 && strcmp(v, name) == 0)
                                        return true;
                                if (in->kind == BH_DF_ARG && strncmp(v, name, n) == 0 &&
                                    (v[n] == '=' || v[n] == '\0'))
                                        return true;
                        }
                }
                if (st->parent < 0)
                        break;
                st = &c->stages[st->parent];
                until = st->end;
        }
        return false;
}

static void dl3042_run(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in,
                       struct lint_script *s)
{
        for (size_t k = 0; k < s->sh.ncmds; k++) {
                const struct sh_cmd *cmd = &s->sh.cmds[k];
                size_t at;
                if (!pip_install(cmd, &at))
                        continue;
                static const char *const nocache[] = {"--no-cache-dir", NULL};
                if (has_opt(cmd, NULL, nocache) || lint_has_cache_mount(in, "/root/.cache") ||
                    env_in_stage(c, idx, "PIP_NO_CACHE_DIR"))
                        continue;
                bool assigned = false;
                for (size_t a = 0; a < cmd->nassigns; a++)
                        if (bh_startswith(cmd->assigns[a].text, "PIP_NO_CACHE_DIR="))
                                assigned = true;
                if (assigned)
                        continue;
                emit_cmd(c, idx, s, cmd,
                         "pip keeps its download cache in the layer: add --no-cache-dir");
        }
}

static void dl3016_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        if (!sh_cmd_is(cmd, "npm"))
                return;
        static const char *const npm_value_opts[] = {"--prefix", "--registry",  "--cache", "--tag",
                                                     "-w",       "--workspace", NULL};
        size_t at;
        const char *sub = pm_sub(cmd, npm_value_opts, &at);
        static const char *const installs[] = {"install", "i", "add", "isntall", NULL};
        if (!sub || !word_in(sub, installs))
                return;
        const struct sh_word *pk[MAXW];
        size_t n = args_after(cmd, at, npm_value_opts, pk, MAXW);
        for (size_t i = 0; i < n; i++) {
                const char *p = pk[i]->text;
                const char *at_ver = p[0] == '@' ? strchr(p + 1, '@') : strchr(p, '@');
                if (at_ver || lint_has_var(p) || p[0] == '.' || p[0] == '/' || p[0] == '~' ||
                    strstr(p, "://") || bh_startswith(p, "git") || strstr(p, ".tgz") ||
                    strstr(p, ".tar.gz") || (p[0] != '@' && strchr(p, '/')) || strchr(p, ':'))
                        continue;
                lint_emit_sh(c, idx, s, pk[i],
                             "npm installs whatever \"%s\" is tagged latest at build time: pin it "
                             "(%s@<version>)",
                             p, p);
        }
}

static void dl3028_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        if (!sh_cmd_is(cmd, "gem"))
                return;
        size_t at;
        const char *sub = pm_sub(cmd, NULL, &at);
        if (!sub || (strcmp(sub, "install") != 0 && strcmp(sub, "i") != 0))
                return;
        static const char *const ver[] = {"--version", NULL};
        if (has_opt(cmd, "v", ver))
                return;
        static const char *const gem_value_opts[] = {
            "-i",       "--install-dir", "-n", "--bindir", "-s",
            "--source", "--platform",    "-g", "--file",   NULL};
        const struct sh_word *pk[MAXW];
        size_t n = args_after(cmd, at, gem_value_opts, pk, MAXW);
        for (size_t i = 0; i < n; i++) {
                const char *p = pk[i]->text;
                if (strchr(p, ':') || lint_has_var(p) || bh_endswith(p, ".gem"))
                        continue;
                lint_emit_sh(c, idx, s, pk[i],
                             "gem installs the newest \"%s\" at build time: pin it (%s:<version> "
                             "or -v <version>)",
                             p, p);
        }
}

static void dl3062_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        if (!sh_cmd_is(cmd, "go"))
                return;
        static const char *const go_value_opts[] = {"-o",        "-ldflags",   "-tags",   "-mod",
                                                    "-modfile",  "-gcflags",   "-p",      "-C",
                                                    "-asmflags", "-buildmode", "-pkgdir", NULL};
        size_t at;
        const char *sub = pm_sub(cmd, go_value_opts, &at);
        if (!sub ||
            (strcmp(sub, "install") != 0 && strcmp(sub, "get") != 0 && strcmp(sub, "run") != 0))
                return;
        const struct sh_word *pk[MAXW];
        size_t n = args_after(cmd, at, go_value_opts, pk, MAXW);
        for (size_t i = 0; i < n; i++) {
                const char *p = pk[i]->text;
                const char *slash = strchr(p, '/');
                bool remote = slash && memchr(p, '.', (size_t)(slash - p));
                if (!remote || strchr(p, '@') || lint_has_var(p) || p[0] == '.' || p[0] == '/')
                        continue;
                lint_emit_sh(c, idx, s, pk[i],
                             "go %s fetches whatever \"%s\" is at build time: pin it "
                             "(%s@<version>)",
                             sub, p, p);
                if (strcmp(sub, "run") == 0)
                        break; /* the rest are the program's arguments */
        }
}

static const char *const apk_value_opts[] = {"-t",         "--virtual", "-X",     "--repository",
                                             "-p",         "--root",    "--arch", "--cache-dir",
                                             "--keys-dir", NULL};

static bool apk_add(const struct sh_cmd *cmd, size_t *at)
{
        if (!sh_cmd_is(cmd, "apk"))
                return false;
        const char *sub = pm_sub(cmd, apk_value_opts, at);
        return sub && strcmp(sub, "add") == 0;
}

static void dl3018_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        size_t at;
        if (!apk_add(cmd, &at))
                return;
        const struct sh_word *pk[MAXW];
        size_t n = args_after(cmd, at, apk_value_opts, pk, MAXW);
        for (size_t i = 0; i < n; i++) {
                const char *p = pk[i]->text;
                if (strpbrk(p, "=~<>") || lint_has_var(p) || bh_endswith(p, ".apk") ||
                    p[0] == '/' || p[0] == '.')
                        continue;
                lint_emit_sh(c, idx, s, pk[i],
                             "apk adds whatever \"%s\" the repository has today: pin it "
                             "(%s=<version>)",
                             p, p);
        }
}

static void dl3019_run(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in,
                       struct lint_script *s)
{
        for (size_t k = 0; k < s->sh.ncmds; k++) {
                const struct sh_cmd *cmd = &s->sh.cmds[k];
                size_t at;
                if (!apk_add(cmd, &at))
                        continue;
                static const char *const nc[] = {"--no-cache", NULL};
                if (has_opt(cmd, NULL, nc) || lint_has_cache_mount(in, "/var/cache/apk") ||
                    lint_has_cache_mount(in, "/etc/apk/cache"))
                        continue;
                emit_cmd(c, idx, s, cmd,
                         "apk add keeps the package index in /var/cache/apk: use --no-cache "
                         "instead of --update and rm");
        }
}

/* yum and dnf: versions are written name-version */
static bool rpm_pinned(const char *p)
{
        for (const char *d = strchr(p, '-'); d; d = strchr(d + 1, '-'))
                if (isdigit((unsigned char)d[1]))
                        return true;
        return strchr(p, '=') || bh_endswith(p, ".rpm") || p[0] == '/' || p[0] == '.' ||
               p[0] == '@' || strstr(p, "://") || lint_has_var(p);
}

static bool rpm_install(const struct sh_cmd *cmd, const char *const *tools, size_t *at)
{
        if (!word_in(sh_cmd_name(cmd), tools))
                return false;
        static const char *const value_opts[] = {"-c",
                                                 "--config",
                                                 "--installroot",
                                                 "--releasever",
                                                 "--enablerepo",
                                                 "--disablerepo",
                                                 "--setopt",
                                                 "-x",
                                                 "--exclude",
                                                 "--repo",
                                                 NULL};
        const char *sub = pm_sub(cmd, value_opts, at);
        static const char *const installs[] = {"install", "groupinstall", "localinstall", NULL};
        return sub && word_in(sub, installs);
}

static const char *const yum_tools[] = {"yum", NULL};
static const char *const dnf_tools[] = {"dnf", "microdnf", "dnf5", NULL};

static void rpm_yes(struct lint_ctx *c, size_t idx, struct lint_script *s, const struct sh_cmd *cmd,
                    const char *const *tools)
{
        size_t at;
        if (!rpm_install(cmd, tools, &at))
                return;
        static const char *const yes[] = {"--assumeyes", NULL};
        if (has_opt(cmd, "y", yes))
                return;
        char msg[160];
        snprintf(msg, sizeof msg, "%s install without -y waits for an answer no build gives",
                 sh_cmd_name(cmd));
        emit_cmd(c, idx, s, cmd, msg);
}

static void dl3030_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        rpm_yes(c, idx, s, cmd, yum_tools);
}

static void dl3038_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        rpm_yes(c, idx, s, cmd, dnf_tools);
}

static void rpm_pins(struct lint_ctx *c, size_t idx, struct lint_script *s,
                     const struct sh_cmd *cmd, const char *const *tools)
{
        size_t at;
        if (!rpm_install(cmd, tools, &at))
                return;
        const struct sh_word *pk[MAXW];
        size_t n = args_after(cmd, at, NULL, pk, MAXW);
        for (size_t i = 0; i < n; i++) {
                if (rpm_pinned(pk[i]->text))
                        continue;
                lint_emit_sh(c, idx, s, pk[i],
                             "%s installs whatever \"%s\" the repository has today: pin it "
                             "(%s-<version>)",
                             sh_cmd_name(cmd), pk[i]->text, pk[i]->text);
        }
}

static void dl3033_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        rpm_pins(c, idx, s, cmd, yum_tools);
}

static void dl3041_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        rpm_pins(c, idx, s, cmd, dnf_tools);
}

static void rpm_clean(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in,
                      struct lint_script *s, const char *const *tools, const char *cache)
{
        for (size_t k = 0; k < s->sh.ncmds; k++) {
                const struct sh_cmd *cmd = &s->sh.cmds[k];
                size_t at;
                if (!rpm_install(cmd, tools, &at))
                        continue;
                bool cleaned = false;
                for (size_t t = 0; tools[t]; t++)
                        cleaned |= pm_clean(&s->sh, tools[t], "clean", "all");
                if (cleaned || rm_path(&s->sh, cache) || lint_has_cache_mount(in, cache))
                        return;
                char msg[160];
                snprintf(msg, sizeof msg,
                         "%s leaves its cache in this layer: end the RUN with %s clean all",
                         sh_cmd_name(cmd), sh_cmd_name(cmd));
                emit_cmd(c, idx, s, cmd, msg);
                return;
        }
}

static void dl3032_run(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in,
                       struct lint_script *s)
{
        rpm_clean(c, idx, in, s, yum_tools, "/var/cache/yum");
}

static void dl3040_run(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in,
                       struct lint_script *s)
{
        rpm_clean(c, idx, in, s, dnf_tools, "/var/cache/dnf");
}

static const char *const zypper_installs[] = {"install", "in", NULL};

static bool zypper_sub(const struct sh_cmd *cmd, const char *const *subs, size_t *at)
{
        if (!sh_cmd_is(cmd, "zypper"))
                return false;
        static const char *const value_opts[] = {"--root",       "-R", "--config", "-c",
                                                 "--reposd-dir", "-D", NULL};
        const char *sub = pm_sub(cmd, value_opts, at);
        return sub && word_in(sub, subs);
}

static void dl3034_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        static const char *const subs[] = {"install", "in",    "remove", "rm", "source-install",
                                           "si",      "patch", "update", "up", NULL};
        size_t at;
        if (!zypper_sub(cmd, subs, &at))
                return;
        static const char *const yes[] = {"--non-interactive", "--no-confirm", NULL};
        if (has_opt(cmd, "ny", yes))
                return;
        emit_cmd(c, idx, s, cmd, "zypper without -n or -y waits for an answer no build gives");
}

static void dl3035_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        static const char *const subs[] = {"dist-upgrade", "dup", NULL};
        size_t at;
        if (zypper_sub(cmd, subs, &at))
                emit_cmd(c, idx, s, cmd,
                         "zypper dist-upgrade replaces the base image's distribution release: "
                         "pick a newer base image instead");
}

static void dl3036_run(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in,
                       struct lint_script *s)
{
        for (size_t k = 0; k < s->sh.ncmds; k++) {
                size_t at;
                if (!zypper_sub(&s->sh.cmds[k], zypper_installs, &at))
                        continue;
                if (pm_clean(&s->sh, "zypper", "clean", NULL) ||
                    pm_clean(&s->sh, "zypper", "cc", NULL) || rm_path(&s->sh, "/var/cache/zypp") ||
                    lint_has_cache_mount(in, "/var/cache/zypp"))
                        return;
                emit_cmd(c, idx, s, &s->sh.cmds[k],
                         "zypper leaves its cache in this layer: end the RUN with zypper clean");
                return;
        }
}

static void dl3037_cmd(struct lint_ctx *c, size_t idx, struct lint_script *s,
                       const struct sh_cmd *cmd)
{
        size_t at;
        if (!zypper_sub(cmd, zypper_installs, &at))
                return;
        const struct sh_word *pk[MAXW];
        size_t n = args_after(cmd, at, NULL, pk, MAXW);
        for (size_t i = 0; i < n; i++) {
                const char *p = pk[i]->text;
                if (strpbrk(p, "=<>") || lint_has_var(p) || bh_endswith(p, ".rpm") || p[0] == '/' ||
                    p[0] == '.')
                        continue;
                lint_emit_sh(c, idx, s, pk[i],
                             "zypper installs whatever \"%s\" the repository has today: pin it "
                             "(%s=<version>)",
                             p, p);
        }
}

static void dl3060_run(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in,
                       struct lint_script *s)
{
        for (size_t k = 0; k < s->sh.ncmds; k++) {
                const struct sh_cmd *cmd = &s->sh.cmds[k];
                if (!sh_cmd_is(cmd, "yarn"))
                        continue;
                const char *sub = sh_subcommand(cmd);
                if (sub && strcmp(sub, "install") != 0 && strcmp(sub, "add") != 0)
                        continue;
                if (pm_clean(&s->sh, "yarn", "cache", "clean"))
                        return;
                for (size_t f = 0; f < in->nflags; f++)
                        if (strstr(in->flags[f].value, "type=cache") &&
                            strstr(in->flags[f].value, "yarn"))
                                return;
                emit_cmd(c, idx, s, cmd,
                         "yarn keeps its package cache in this layer: end the RUN with yarn cache "
                         "clean");
                return;
        }
}

/* DL4001: one download tool is enough. */
static void dl4001(struct lint_ctx *c)
{
        size_t stage = SIZE_MAX;
        bool curl = false, wget = false, reported = false;
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_RUN))) {
                if (c->stage_of[it.idx] != stage) {
                        stage = c->stage_of[it.idx];
                        curl = wget = reported = false;
                }
                struct lint_script *s = lint_run_script(c, in, it.idx);
                if (!s)
                        continue;
                for (size_t k = 0; k < s->sh.ncmds && !reported; k++) {
                        const struct sh_cmd *cmd = &s->sh.cmds[k];
                        bool is_curl = sh_cmd_is(cmd, "curl"), is_wget = sh_cmd_is(cmd, "wget");
                        if ((is_curl && wget) || (is_wget && curl)) {
                                emit_cmd(c, it.idx, s, cmd,
                                         "this stage uses both curl and wget: one of them is "
                                         "enough");
                                reported = true;
                        }
                        curl |= is_curl;
                        wget |= is_wget;
                }
        }
}

static void dl4006_run(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in,
                       struct lint_script *s)
{
        if (s->exec || !s->sh.has_pipe || c->pipefail[idx])
                return;
        for (size_t k = 0; k < s->sh.ncmds; k++) {
                const struct sh_cmd *cmd = &s->sh.cmds[k];
                if (sh_cmd_is(cmd, "set"))
                        for (size_t i = 1; i < cmd->argc; i++)
                                if (strstr(cmd->argv[i].text, "pipefail"))
                                        return;
                if (cmd->pipe_out) {
                        emit_cmd(c, idx, s, cmd,
                                 "without pipefail a failing command before | goes unnoticed: "
                                 "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]");
                        return;
                }
        }
}

/* ---- instructions ---- */

static bool absolute_path(const char *p)
{
        return p[0] == '/' || p[0] == '$' || p[0] == '\\' ||
               (isalpha((unsigned char)p[0]) && p[1] == ':');
}

static void dl3000(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_WORKDIR))) {
                if (!in->nargs)
                        continue;
                const char *p = lint_unquote(c, in->args[0].value);
                if (!absolute_path(p))
                        lint_emit_word(c, it.idx, &in->args[0],
                                       "WORKDIR %s is relative to whatever the directory was "
                                       "before: use an absolute path",
                                       p);
        }
}

static const char *user_part(struct lint_ctx *c, const char *u)
{
        const char *colon = strchr(u, ':');
        return colon ? bh_arena_strndup(c->f->arena, u, (size_t)(colon - u)) : u;
}

static void dl3002(struct lint_ctx *c)
{
        const struct lint_stage *st = lint_final_stage(c);
        if (!st)
                return;
        const struct bh_df_instr *last = NULL;
        size_t last_idx = 0;
        for (size_t i = st->from; i < st->end; i++)
                if (c->f->instrs[i].kind == BH_DF_USER && c->f->instrs[i].nargs) {
                        last = &c->f->instrs[i];
                        last_idx = i;
                }
        if (!last)
                return;
        const char *u = user_part(c, lint_unquote(c, last->args[0].value));
        if (strcmp(u, "root") == 0 || strcmp(u, "0") == 0)
                lint_emit_word(c, last_idx, &last->args[0],
                               "the image runs as root: switch to an unprivileged USER last");
}

static bool image_tagged(const char *img, bool *latest)
{
        const char *slash = strrchr(img, '/');
        const char *last = slash ? slash + 1 : img;
        const char *colon = strchr(last, ':');
        *latest = colon && strcmp(colon + 1, "latest") == 0;
        return colon != NULL || strchr(img, '@') != NULL;
}

static bool from_checkable(const struct lint_stage *st)
{
        return st->parent < 0 && strcasecmp(st->resolved, "scratch") != 0 &&
               !lint_has_var(st->resolved) && *st->resolved;
}

static void dl3006(struct lint_ctx *c)
{
        for (size_t s = 0; s < c->nstages; s++) {
                const struct lint_stage *st = &c->stages[s];
                bool latest;
                if (!from_checkable(st) || image_tagged(st->resolved, &latest))
                        continue;
                const struct bh_df_instr *in = &c->f->instrs[st->from];
                lint_emit_word(c, st->from, &in->args[0],
                               "%s has no tag: it means whatever latest is on the day of the "
                               "build",
                               st->resolved);
        }
}

static void dl3007(struct lint_ctx *c)
{
        for (size_t s = 0; s < c->nstages; s++) {
                const struct lint_stage *st = &c->stages[s];
                bool latest;
                if (!from_checkable(st) || !image_tagged(st->resolved, &latest) || !latest ||
                    strchr(st->resolved, '@'))
                        continue;
                const struct bh_df_instr *in = &c->f->instrs[st->from];
                lint_emit_word(c, st->from, &in->args[0],
                               "%s: the latest tag moves; pin a release tag", st->resolved);
        }
}

static bool is_archive(const char *p)
{
        static const char *const exts[] = {
            ".tar",   ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2",
            ".tb2",   ".tar.xz", ".txz", ".tar.lz",  ".tlz", ".tar.lzma",
            ".tar.Z", ".tZ",     ".tpz", ".tar.zst", NULL};
        for (size_t i = 0; exts[i]; i++)
                if (bh_endswith(p, exts[i]))
                        return true;
        return false;
}

static void dl3010(struct lint_ctx *c)
{
        for (size_t i = 0; i < c->f->ninstrs; i++) {
                const struct bh_df_instr *in = &c->f->instrs[i];
                if (in->kind != BH_DF_COPY || in->nargs < 2 || bh_df_flag(in, "from", NULL))
                        continue;
                for (size_t a = 0; a + 1 < in->nargs; a++) {
                        const char *src = lint_unquote(c, in->args[a].value);
                        if (!is_archive(src))
                                continue;
                        const char *base = strrchr(src, '/');
                        base = base ? base + 1 : src;
                        const struct lint_stage *st = lint_stage_of(c, i);
                        size_t end = st ? st->end : c->f->ninstrs;
                        if (end > i + 64)
                                end = i + 64; /* the unpacking follows the copy closely */
                        for (size_t j = i + 1; j < end; j++) {
                                const struct bh_df_instr *r = &c->f->instrs[j];
                                struct lint_script *s = lint_run_script(c, r, j);
                                if (!s)
                                        continue;
                                bool extracts = false;
                                for (size_t k = 0; k < s->sh.ncmds; k++) {
                                        const struct sh_cmd *cmd = &s->sh.cmds[k];
                                        if (!sh_cmd_is(cmd, "tar"))
                                                continue;
                                        for (size_t w = 1; w < cmd->argc; w++)
                                                if (bh_endswith(cmd->argv[w].text, base))
                                                        extracts = true;
                                }
                                if (extracts) {
                                        lint_emit_word(c, i, &in->args[a],
                                                       "%s is copied and then unpacked by tar: "
                                                       "ADD unpacks a local archive in one step",
                                                       src);
                                        break;
                                }
                        }
                }
        }
}

static void dl3011(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_EXPOSE))) {
                for (size_t a = 0; a < in->nargs; a++) {
                        const char *p = in->args[a].value;
                        if (lint_has_var(p))
                                continue;
                        char buf[64];
                        snprintf(buf, sizeof buf, "%s", p);
                        char *slash = strchr(buf, '/');
                        if (slash)
                                *slash = '\0';
                        char *dash = strchr(buf, '-');
                        const char *parts[2] = {buf, dash ? dash + 1 : NULL};
                        if (dash)
                                *dash = '\0';
                        for (int k = 0; k < 2 && parts[k]; k++) {
                                const char *q = parts[k];
                                bool digits = *q && strspn(q, "0123456789") == strlen(q);
                                if (!digits || strlen(q) > 5 || atol(q) > 65535) {
                                        lint_emit_word(c, it.idx, &in->args[a],
                                                       "%s is not a port: ports run from 0 to "
                                                       "65535",
                                                       p);
                                        break;
                                }
                        }
                }
        }
}

static void count_per_stage(struct lint_ctx *c, enum bh_df_kind k, const char *msg)
{
        for (size_t s = 0; s < c->nstages; s++) {
                const struct lint_stage *st = &c->stages[s];
                size_t seen = 0;
                for (size_t i = st->from; i < st->end; i++) {
                        const struct bh_df_instr *in = &c->f->instrs[i];
                        if (in->kind != k)
                                continue;
                        if (seen++)
                                lint_emit_instr(c, i, in, "%s", msg);
                }
        }
}

static void dl3012(struct lint_ctx *c)
{
        count_per_stage(c, BH_DF_HEALTHCHECK,
                        "a second HEALTHCHECK in this stage: only the last one counts");
}

static void dl4003(struct lint_ctx *c)
{
        count_per_stage(c, BH_DF_CMD, "a second CMD in this stage: only the last one counts");
}

static void dl4004(struct lint_ctx *c)
{
        count_per_stage(c, BH_DF_ENTRYPOINT,
                        "a second ENTRYPOINT in this stage: only the last one counts");
}

static void dl3020(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_ADD))) {
                for (size_t a = 0; a + 1 < in->nargs; a++) {
                        const char *src = lint_unquote(c, in->args[a].value);
                        if (bh_df_remote_source(src) || is_archive(src) ||
                            bh_startswith(src, "<<") || lint_has_var(src))
                                continue;
                        lint_emit_word(c, it.idx, &in->args[a],
                                       "ADD of the local %s does what COPY does, plus surprises "
                                       "(URLs, unpacking): use COPY",
                                       src);
                        break;
                }
        }
}

static void dl3021(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_COPY))) {
                if (in->nargs < 3)
                        continue;
                const struct bh_df_word *d = &in->args[in->nargs - 1];
                const char *dest = lint_unquote(c, d->value);
                /* BuildKit copies into a directory when the destination is
                 * ".", empty or ends with a separator (hadolint wants "/") */
                if (!*dest || strcmp(dest, ".") == 0 || bh_endswith(dest, "/") ||
                    bh_endswith(dest, "\\") || lint_has_var(dest))
                        continue;
                lint_emit_word(c, it.idx, d,
                               "COPY of several sources needs a directory destination: end %s "
                               "with /",
                               dest);
        }
}

static size_t stage_index_of(const struct lint_ctx *c, size_t idx)
{
        return c->stage_of[idx] == SIZE_MAX ? 0 : c->stage_of[idx];
}

static bool looks_like_image(const char *ref)
{
        return strpbrk(ref, ":/@.") != NULL;
}

static void dl3022(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_COPY))) {
                const struct bh_df_word *w;
                const char *from = bh_df_flag(in, "from", &w);
                if (!from || !*from || lint_has_var(from) || looks_like_image(from))
                        continue;
                size_t cur = stage_index_of(c, it.idx);
                const struct lint_stage *own = lint_stage_of(c, it.idx);
                if ((own && lint_streq_ci(own->alias, from)) ||
                    (strspn(from, "0123456789") == strlen(from) && (size_t)atol(from) == cur))
                        continue; /* DL3023 */
                if (lint_stage_ref(c, from, cur) >= 0)
                        continue;
                bool later = lint_stage_ref(c, from, c->nstages) >= 0;
                lint_emit_word(c, it.idx, w,
                               "COPY --from=%s names no earlier stage%s: BuildKit will pull an "
                               "image called %s",
                               from, later ? " (it is defined further down)" : "", from);
        }
}

static void dl3023(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_COPY))) {
                const struct bh_df_word *w;
                const char *from = bh_df_flag(in, "from", &w);
                const struct lint_stage *own = lint_stage_of(c, it.idx);
                if (!from || !own)
                        continue;
                size_t cur = stage_index_of(c, it.idx);
                if (lint_streq_ci(own->alias, from) ||
                    (*from && strspn(from, "0123456789") == strlen(from) &&
                     (size_t)atol(from) == cur))
                        lint_emit_word(c, it.idx, w,
                                       "COPY --from=%s copies from the stage it is in", from);
        }
}

static void dl3024(struct lint_ctx *c)
{
        for (size_t s = 1; s < c->nstages; s++) {
                const char *a = c->stages[s].alias;
                if (!a)
                        continue;
                for (size_t t = 0; t < s; t++)
                        if (lint_streq_ci(c->stages[t].alias, a)) {
                                const struct bh_df_instr *in = &c->f->instrs[c->stages[s].from];
                                lint_emit_word(c, c->stages[s].from, &in->args[2],
                                               "a second stage named %s: stage names must be "
                                               "unique",
                                               a);
                                break;
                        }
        }
}

static void dl3025_kind(struct lint_ctx *c, enum bh_df_kind k)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, k)))
                if (!in->json && in->nargs)
                        lint_emit_instr(c, it.idx, in,
                                        "%s in shell form runs under /bin/sh -c, which does not "
                                        "pass signals on: write it as a JSON array",
                                        bh_df_kind_name(in->kind));
}

static void dl3025(struct lint_ctx *c)
{
        dl3025_kind(c, BH_DF_CMD);
        dl3025_kind(c, BH_DF_ENTRYPOINT);
}

/* The registry part of an image reference. */
static void registry_of(const char *img, char *out, size_t cap)
{
        const char *slash = strchr(img, '/');
        if (slash) {
                size_t n = (size_t)(slash - img);
                if (memchr(img, '.', n) || memchr(img, ':', n) ||
                    (n == 9 && strncmp(img, "localhost", 9) == 0)) {
                        snprintf(out, cap, "%.*s", (int)n, img);
                        return;
                }
        }
        snprintf(out, cap, "docker.io");
}

static bool registry_trusted(const struct lint_config *cfg, const char *reg)
{
        for (size_t i = 0; cfg->trusted_registries[i]; i++) {
                const char *t = cfg->trusted_registries[i];
                if (strcasecmp(t, reg) == 0)
                        return true;
                if (t[0] == '*' && bh_endswith(reg, t + 1))
                        return true;
                if (strcmp(reg, "docker.io") == 0 &&
                    (strcasecmp(t, "hub.docker.com") == 0 || strcasecmp(t, "index.docker.io") == 0))
                        return true;
        }
        return false;
}

static void dl3026(struct lint_ctx *c)
{
        if (!c->cfg->trusted_registries || !c->cfg->trusted_registries[0])
                return;
        char reg[256];
        for (size_t s = 0; s < c->nstages; s++) {
                const struct lint_stage *st = &c->stages[s];
                if (!from_checkable(st))
                        continue;
                registry_of(st->resolved, reg, sizeof reg);
                if (!registry_trusted(c->cfg, reg)) {
                        const struct bh_df_instr *in = &c->f->instrs[st->from];
                        lint_emit_word(c, st->from, &in->args[0],
                                       "%s comes from %s, which is not a trusted registry",
                                       st->resolved, reg);
                }
        }
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_COPY))) {
                const struct bh_df_word *w;
                const char *from = bh_df_flag(in, "from", &w);
                if (!from || lint_has_var(from) || !looks_like_image(from) ||
                    lint_stage_ref(c, from, c->nstages) >= 0)
                        continue;
                registry_of(from, reg, sizeof reg);
                if (!registry_trusted(c->cfg, reg))
                        lint_emit_word(c, it.idx, w,
                                       "COPY --from=%s comes from %s, which is not a trusted "
                                       "registry",
                                       from, reg);
        }
}

static void dl3029(struct lint_ctx *c)
{
        for (size_t s = 0; s < c->nstages; s++) {
                const struct bh_df_instr *in = &c->f->instrs[c->stages[s].from];
                const struct bh_df_word *w;
                const char *p = bh_df_flag(in, "platform", &w);
                if (p && !lint_has_var(p))
                        lint_emit_word(c, c->stages[s].from, w,
                                       "FROM --platform=%s fixes the platform in the file: let "
                                       "the build choose it (or use $BUILDPLATFORM)",
                                       p);
        }
}

static void dl3043(struct lint_ctx *c)
{
        for (size_t i = 0; i < c->f->ninstrs; i++) {
                const struct bh_df_instr *in = &c->f->instrs[i];
                if (in->kind != BH_DF_ONBUILD || !in->sub)
                        continue;
                enum bh_df_kind k = in->sub->kind;
                if (k == BH_DF_ONBUILD || k == BH_DF_FROM || k == BH_DF_MAINTAINER)
                        lint_emit_instr(c, i, in, "ONBUILD cannot trigger %s", bh_df_kind_name(k));
        }
}

/* Whether value, as BuildKit expands an ENV value, refers to $name or
 * ${name}: nothing in single quotes expands, and the escape character makes
 * a $ literal outside quotes (\$A) and inside double quotes. */
static bool refers_to(const char *value, const char *name, char esc)
{
        size_t n = strlen(name);
        char quote = 0;
        for (const char *p = value; *p; p++) {
                if (quote == '\'') {
                        if (*p == '\'')
                                quote = 0;
                        continue;
                }
                if (*p == esc) {
                        /* in double quotes only ", $ and the escape itself are escaped */
                        if (p[1] && (!quote || p[1] == '"' || p[1] == '$' || p[1] == esc))
                                p++;
                        continue;
                }
                if (*p == '"' || (*p == '\'' && !quote)) {
                        quote = quote == *p ? 0 : (quote ? quote : *p);
                        continue;
                }
                if (*p != '$')
                        continue;
                const char *q = p + 1;
                if (*q == '{')
                        q++;
                if (strncmp(q, name, n) == 0) {
                        char e = q[n];
                        if (!(isalnum((unsigned char)e) || e == '_'))
                                return true;
                }
        }
        return false;
}

static void dl3044(struct lint_ctx *c)
{
        for (size_t i = 0; i < c->f->ninstrs; i++) {
                const struct bh_df_instr *in = &c->f->instrs[i];
                if (in->kind != BH_DF_ENV)
                        continue;
                /* real ENVs have a few pairs; cap the pairwise look-up */
                for (size_t j = 3; j + 1 < in->nargs && j < 3 * 256; j += 3) {
                        const char *val = in->args[j + 1].value;
                        for (size_t k = 0; k < j; k += 3) {
                                const char *name = in->args[k].value;
                                if (refers_to(val, name, c->f->escape) &&
                                    !env_in_stage(c, i, name)) {
                                        lint_emit_word(c, i, &in->args[j + 1],
                                                       "%s is set in this same ENV: the "
                                                       "reference sees its old value",
                                                       name);
                                        break;
                                }
                        }
                }
        }
}

static void dl3045(struct lint_ctx *c)
{
        /* one pass: whether a WORKDIR was set in the stage (or the stages it
         * is built from) before each instruction */
        bool *stage_wd = bh_xcalloc(c->nstages + 1, sizeof(bool));
        bool wd = false;
        for (size_t i = 0; i < c->f->ninstrs; i++) {
                const struct bh_df_instr *in = &c->f->instrs[i];
                const struct lint_stage *st = lint_stage_of(c, i);
                if (in->kind == BH_DF_FROM && st) {
                        wd = st->parent >= 0 && stage_wd[st->parent];
                        stage_wd[c->stage_of[i]] = wd;
                }
                if (in->kind == BH_DF_WORKDIR) {
                        wd = true;
                        if (st)
                                stage_wd[c->stage_of[i]] = true;
                }
                if (in->kind != BH_DF_COPY || in->nargs < 2 || wd)
                        continue;
                const struct bh_df_word *d = &in->args[in->nargs - 1];
                const char *dest = lint_unquote(c, d->value);
                if (absolute_path(dest))
                        continue;
                lint_emit_word(c, i, d,
                               "COPY to the relative %s lands in whatever the base image's "
                               "working directory is: set WORKDIR first or use an absolute path",
                               dest);
        }
        free(stage_wd);
}

/* ---- labels ---- */

static bool valid_label_key(const char *k)
{
        static const char *const reserved[] = {"com.docker.", "io.docker.", "org.dockerproject.",
                                               NULL};
        for (size_t i = 0; reserved[i]; i++)
                if (bh_startswith(k, reserved[i]))
                        return false;
        size_t n = strlen(k);
        if (n == 0 || !(islower((unsigned char)k[0]) || isdigit((unsigned char)k[0])) ||
            !(islower((unsigned char)k[n - 1]) || isdigit((unsigned char)k[n - 1])))
                return false;
        for (size_t i = 0; i < n; i++) {
                char ch = k[i];
                if (!(islower((unsigned char)ch) || isdigit((unsigned char)ch) || ch == '.' ||
                      ch == '-'))
                        return false;
                if ((ch == '.' || ch == '-') && (k[i + 1] == '.' || k[i + 1] == '-'))
                        return false;
        }
        return true;
}

static void dl3048(struct lint_ctx *c)
{
        for (size_t i = 0; i < c->f->ninstrs; i++) {
                const struct bh_df_instr *in = &c->f->instrs[i];
                if (in->kind != BH_DF_LABEL)
                        continue;
                for (size_t k = 0; k + 1 < in->nargs; k += 3) {
                        const char *key = lint_unquote(c, in->args[k].value);
                        if (!lint_has_var(key) && !valid_label_key(key))
                                lint_emit_word(c, i, &in->args[k],
                                               "label key %s: use lower-case letters, digits, "
                                               "dots and dashes in reverse-DNS form, outside "
                                               "Docker's own namespaces",
                                               key);
                }
        }
}

struct label_seen {
        const char *key, *value;
        size_t idx;
        const struct bh_df_word *kw, *vw;
};

/* Labels of the final stage and the stages it is built from. */
static size_t final_labels(struct lint_ctx *c, struct label_seen *out, size_t max)
{
        size_t n = 0;
        const struct lint_stage *st = lint_final_stage(c);
        while (st) {
                for (size_t i = st->from; i < st->end; i++) {
                        const struct bh_df_instr *in = &c->f->instrs[i];
                        if (in->kind != BH_DF_LABEL)
                                continue;
                        for (size_t k = 0; k + 1 < in->nargs && n < max; k += 3)
                                out[n++] =
                                    (struct label_seen){lint_unquote(c, in->args[k].value),
                                                        lint_unquote(c, in->args[k + 1].value), i,
                                                        &in->args[k], &in->args[k + 1]};
                }
                st = st->parent >= 0 ? &c->stages[st->parent] : NULL;
        }
        return n;
}

static void dl3049(struct lint_ctx *c)
{
        const struct lint_stage *st = lint_final_stage(c);
        if (!st || !c->cfg->nlabels)
                return;
        struct label_seen seen[512];
        size_t n = final_labels(c, seen, BH_ARRAY_SIZE(seen));
        for (size_t l = 0; l < c->cfg->nlabels; l++) {
                bool found = false;
                for (size_t i = 0; i < n && !found; i++)
                        found = strcmp(seen[i].key, c->cfg->labels[l].name) == 0;
                if (!found)
                        lint_emit_instr(c, st->from, &c->f->instrs[st->from],
                                        "the image has no label %s, which the label schema "
                                        "requires",
                                        c->cfg->labels[l].name);
        }
}

static const struct lint_label_rule *schema_label(const struct lint_config *cfg, const char *k)
{
        for (size_t l = 0; l < cfg->nlabels; l++)
                if (strcmp(cfg->labels[l].name, k) == 0)
                        return &cfg->labels[l];
        return NULL;
}

static void dl3050(struct lint_ctx *c)
{
        if (!c->cfg->strict_labels)
                return;
        for (size_t i = 0; i < c->f->ninstrs; i++) {
                const struct bh_df_instr *in = &c->f->instrs[i];
                if (in->kind != BH_DF_LABEL)
                        continue;
                for (size_t k = 0; k + 1 < in->nargs; k += 3) {
                        const char *key = lint_unquote(c, in->args[k].value);
                        if (!schema_label(c->cfg, key))
                                lint_emit_word(c, i, &in->args[k],
                                               "label %s is not in the label schema", key);
                }
        }
}

static bool valid_url(const char *v)
{
        const char *p = v;
        if (!isalpha((unsigned char)*p))
                return false;
        while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
                p++;
        if (*p != ':' || !p[1])
                return false;
        for (const char *q = p + 1; *q; q++)
                if (isspace((unsigned char)*q))
                        return false;
        return true;
}

static bool digits(const char *p, int n)
{
        for (int i = 0; i < n; i++)
                if (!isdigit((unsigned char)p[i]))
                        return false;
        return true;
}

static bool valid_rfc3339(const char *v)
{
        if (strlen(v) < 20 || !digits(v, 4) || v[4] != '-' || !digits(v + 5, 2) || v[7] != '-' ||
            !digits(v + 8, 2) || (v[10] != 'T' && v[10] != 't' && v[10] != ' ') ||
            !digits(v + 11, 2) || v[13] != ':' || !digits(v + 14, 2) || v[16] != ':' ||
            !digits(v + 17, 2))
                return false;
        const char *p = v + 19;
        if (*p == '.') {
                p++;
                if (!isdigit((unsigned char)*p))
                        return false;
                while (isdigit((unsigned char)*p))
                        p++;
        }
        if (*p == 'Z' || *p == 'z')
                return p[1] == '\0';
        return (*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' && digits(p + 4, 2) &&
               p[6] == '\0';
}

static bool valid_hash(const char *v)
{
        size_t n = strlen(v);
        return n >= 7 && n <= 40 && strspn(v, "0123456789abcdefABCDEF") == n;
}

static bool semver_ident(const char **pp, bool numeric_only)
{
        const char *p = *pp;
        if (!*p)
                return false;
        if (numeric_only) {
                if (!isdigit((unsigned char)*p))
                        return false;
                if (*p == '0' && isdigit((unsigned char)p[1]))
                        return false;
                while (isdigit((unsigned char)*p))
                        p++;
        } else {
                const char *s = p;
                while (isalnum((unsigned char)*p) || *p == '-')
                        p++;
                if (p == s)
                        return false;
        }
        *pp = p;
        return true;
}

static bool valid_semver(const char *v)
{
        const char *p = v;
        for (int i = 0; i < 3; i++) {
                if (!semver_ident(&p, true))
                        return false;
                if (i < 2 && *p++ != '.')
                        return false;
        }
        if (*p == '-') {
                p++;
                do {
                        if (!semver_ident(&p, false))
                                return false;
                } while (*p == '.' && p++);
        }
        if (*p == '+') {
                p++;
                do {
                        if (!semver_ident(&p, false))
                                return false;
                } while (*p == '.' && p++);
        }
        return *p == '\0';
}

static bool valid_email(const char *v)
{
        const char *at = strchr(v, '@');
        if (!at || at == v || strchr(at + 1, '@'))
                return false;
        const char *dot = strrchr(at, '.');
        if (!dot || dot == at + 1 || !dot[1])
                return false;
        for (const char *p = v; *p; p++)
                if (isspace((unsigned char)*p) || *p == '<' || *p == '>')
                        return false;
        return true;
}

static bool valid_spdx(const char *v)
{
        static const char *const ids[] = {"0BSD",
                                          "AFL-3.0",
                                          "AGPL-3.0",
                                          "AGPL-3.0-only",
                                          "AGPL-3.0-or-later",
                                          "Apache-1.1",
                                          "Apache-2.0",
                                          "APSL-2.0",
                                          "Artistic-2.0",
                                          "BSD-1-Clause",
                                          "BSD-2-Clause",
                                          "BSD-2-Clause-Patent",
                                          "BSD-3-Clause",
                                          "BSD-3-Clause-Clear",
                                          "BSD-4-Clause",
                                          "BSL-1.0",
                                          "CC-BY-4.0",
                                          "CC-BY-SA-4.0",
                                          "CC0-1.0",
                                          "CDDL-1.0",
                                          "CDDL-1.1",
                                          "CPL-1.0",
                                          "ECL-2.0",
                                          "EPL-1.0",
                                          "EPL-2.0",
                                          "EUPL-1.1",
                                          "EUPL-1.2",
                                          "GPL-2.0",
                                          "GPL-2.0-only",
                                          "GPL-2.0-or-later",
                                          "GPL-3.0",
                                          "GPL-3.0-only",
                                          "GPL-3.0-or-later",
                                          "ISC",
                                          "LGPL-2.0-only",
                                          "LGPL-2.0-or-later",
                                          "LGPL-2.1",
                                          "LGPL-2.1-only",
                                          "LGPL-2.1-or-later",
                                          "LGPL-3.0",
                                          "LGPL-3.0-only",
                                          "LGPL-3.0-or-later",
                                          "MIT",
                                          "MIT-0",
                                          "MPL-1.1",
                                          "MPL-2.0",
                                          "MS-PL",
                                          "MS-RL",
                                          "NCSA",
                                          "OFL-1.1",
                                          "OpenSSL",
                                          "OSL-3.0",
                                          "PostgreSQL",
                                          "PSF-2.0",
                                          "Python-2.0",
                                          "Ruby",
                                          "Unicode-3.0",
                                          "Unlicense",
                                          "UPL-1.0",
                                          "Vim",
                                          "W3C",
                                          "WTFPL",
                                          "X11",
                                          "Zlib",
                                          "ZPL-2.1",
                                          NULL};
        char *copy = bh_xstrdup(v), *save = NULL;
        bool ok = true, any = false;
        for (char *t = strtok_r(copy, " ()", &save); t && ok; t = strtok_r(NULL, " ()", &save)) {
                if (strcmp(t, "AND") == 0 || strcmp(t, "OR") == 0 || strcmp(t, "WITH") == 0)
                        continue;
                size_t n = strlen(t);
                if (n && t[n - 1] == '+')
                        t[n - 1] = '\0';
                bool known = bh_startswith(t, "LicenseRef-") || strstr(t, "-exception");
                for (size_t i = 0; ids[i] && !known; i++)
                        known = strcasecmp(t, ids[i]) == 0;
                ok = known;
                any = true;
        }
        free(copy);
        return ok && any;
}

static void label_type_rule(struct lint_ctx *c, enum lint_label_type type,
                            bool (*valid)(const char *), const char *what)
{
        for (size_t i = 0; i < c->f->ninstrs; i++) {
                const struct bh_df_instr *in = &c->f->instrs[i];
                if (in->kind != BH_DF_LABEL)
                        continue;
                for (size_t k = 0; k + 1 < in->nargs; k += 3) {
                        const char *key = lint_unquote(c, in->args[k].value);
                        const char *val = lint_unquote(c, in->args[k + 1].value);
                        const struct lint_label_rule *lr = schema_label(c->cfg, key);
                        if (!lr || lr->type != type || !*val || lint_has_var(val))
                                continue;
                        if (!valid(val))
                                lint_emit_word(c, i, &in->args[k + 1], "label %s: \"%s\" is not %s",
                                               key, val, what);
                }
        }
}

static void dl3051(struct lint_ctx *c)
{
        for (size_t i = 0; i < c->f->ninstrs; i++) {
                const struct bh_df_instr *in = &c->f->instrs[i];
                if (in->kind != BH_DF_LABEL)
                        continue;
                for (size_t k = 0; k + 1 < in->nargs; k += 3) {
                        const char *key = lint_unquote(c, in->args[k].value);
                        const char *val = lint_unquote(c, in->args[k + 1].value);
                        if (schema_label(c->cfg, key) && !*val)
                                lint_emit_word(c, i, &in->args[k], "label %s is empty", key);
                }
        }
}

static void dl3052(struct lint_ctx *c)
{
        label_type_rule(c, LABEL_URL, valid_url, "a URL");
}

static void dl3053(struct lint_ctx *c)
{
        label_type_rule(c, LABEL_RFC3339, valid_rfc3339, "an RFC 3339 time");
}

static void dl3054(struct lint_ctx *c)
{
        label_type_rule(c, LABEL_SPDX, valid_spdx, "an SPDX license identifier");
}

static void dl3055(struct lint_ctx *c)
{
        label_type_rule(c, LABEL_HASH, valid_hash, "a git commit hash");
}

static void dl3056(struct lint_ctx *c)
{
        label_type_rule(c, LABEL_SEMVER, valid_semver, "a semantic version");
}

static void dl3058(struct lint_ctx *c)
{
        label_type_rule(c, LABEL_EMAIL, valid_email, "an e-mail address");
}

static bool stage_chain_has(const struct lint_ctx *c, const struct lint_stage *st,
                            enum bh_df_kind k)
{
        while (st) {
                for (size_t i = st->from; i < st->end; i++)
                        if (c->f->instrs[i].kind == k)
                                return true;
                st = st->parent >= 0 ? &c->stages[st->parent] : NULL;
        }
        return false;
}

static void dl3057(struct lint_ctx *c)
{
        const struct lint_stage *st = lint_final_stage(c);
        if (st && !stage_chain_has(c, st, BH_DF_HEALTHCHECK))
                lint_emit_instr(c, st->from, &c->f->instrs[st->from],
                                "the final stage has no HEALTHCHECK");
}

static bool same_flags(const struct bh_df_instr *a, const struct bh_df_instr *b)
{
        if (a->nflags != b->nflags)
                return false;
        for (size_t i = 0; i < a->nflags; i++)
                if (strcmp(a->flags[i].value, b->flags[i].value) != 0)
                        return false;
        return true;
}

/* The commands a RUN runs, as hadolint counts them: simple commands with a
 * name (a bare assignment is none). A script we cannot read counts as one. */
static size_t run_commands(struct lint_ctx *c, const struct bh_df_instr *in, size_t idx)
{
        const struct lint_script *s = lint_run_script(c, in, idx);
        if (!s || !s->usable)
                return 1;
        size_t n = 0;
        for (size_t k = 0; k < s->sh.ncmds; k++)
                if (s->sh.cmds[k].argc)
                        n++;
        return n;
}

/* hadolint: a RUN right after a RUN (comments between do not count) with the
 * same flags, when neither runs more than two commands: a RUN of several
 * chained commands is taken as a deliberate layer. */
static void dl3059(struct lint_ctx *c)
{
        for (size_t i = 1; i < c->f->ninstrs; i++) {
                const struct bh_df_instr *a = &c->f->instrs[i - 1], *b = &c->f->instrs[i];
                if (a->kind != BH_DF_RUN || b->kind != BH_DF_RUN || !same_flags(a, b) ||
                    b->nheredocs || a->nheredocs)
                        continue;
                if (run_commands(c, a, i - 1) > 2 || run_commands(c, b, i) > 2)
                        continue;
                lint_emit_instr(c, i, b, "RUN straight after RUN adds a layer: join them with &&");
        }
}

static void dl3061(struct lint_ctx *c)
{
        for (size_t i = 0; i < c->f->ninstrs; i++) {
                const struct bh_df_instr *in = &c->f->instrs[i];
                if (in->kind == BH_DF_FROM)
                        return;
                if (in->kind != BH_DF_ARG) {
                        lint_emit_instr(c, i, in,
                                        "%s before the first FROM: only ARG may come before FROM",
                                        bh_df_kind_name(in->kind));
                        return;
                }
        }
}

static void dl3063(struct lint_ctx *c)
{
        for (size_t s = 0; s < c->nstages; s++) {
                const char *a = c->stages[s].alias;
                if (a && (strcasecmp(a, "scratch") == 0 || strcasecmp(a, "context") == 0)) {
                        const struct bh_df_instr *in = &c->f->instrs[c->stages[s].from];
                        lint_emit_word(c, c->stages[s].from, &in->args[2],
                                       "stage name %s is a reserved word in BuildKit", a);
                }
        }
}

bool lint_dl3064_name(const char *name);
bool lint_dl3064_name(const char *name)
{
        static const char *const names[] = {"ACCESS_TOKEN",
                                            "APPLICATION_KEY",
                                            "APP_SECRET",
                                            "AUTH_TOKEN",
                                            "AWS_ACCESS_KEY_ID",
                                            "AWS_SECRET_ACCESS_KEY",
                                            "CF_PASSWORD",
                                            "CF_USERNAME",
                                            "CIRCLE_TOKEN",
                                            "CI_DEPLOY_PASSWORD",
                                            "CI_DEPLOY_USER",
                                            "DOCKERHUB_PASSWORD",
                                            "DOCKER_EMAIL",
                                            "DOCKER_PASSWORD",
                                            "DOCKER_USERNAME",
                                            "FIREBASE_TOKEN",
                                            "GH_TOKEN",
                                            "GITHUB_TOKEN",
                                            "HEROKU_API_KEY",
                                            "NPM_AUTH_TOKEN",
                                            "NPM_TOKEN",
                                            "OPENAI_API_KEY",
                                            "OS_PASSWORD",
                                            "OS_USERNAME",
                                            "POSTGRES_PASSWORD",
                                            "SLACK_TOKEN",
                                            "STRIPE_API_KEY",
                                            "VAULT_TOKEN",
                                            NULL};
        static const char *const parts[] = {"api_key", "client_key", "password", "private",
                                            "secret",  "token",      "username", NULL};
        char up[128], low[128];
        size_t n = strlen(name);
        if (n >= sizeof up)
                n = sizeof up - 1;
        for (size_t i = 0; i < n; i++) {
                up[i] = (char)toupper((unsigned char)name[i]);
                low[i] = (char)tolower((unsigned char)name[i]);
        }
        up[n] = low[n] = '\0';
        for (size_t i = 0; names[i]; i++)
                if (strcmp(up, names[i]) == 0)
                        return true;
        for (size_t i = 0; parts[i]; i++)
                if (strstr(low, parts[i]))
                        return true;
        return false;
}

static void dl3064(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_UNKNOWN))) {
                if (in->kind == BH_DF_ARG) {
                        for (size_t k = 0; k < in->nargs; k++) {
                                char name[128];
                                snprintf(name, sizeof name, "%s", in->args[k].value);
                                name[strcspn(name, "=")] = '\0';
                                if (lint_dl3064_name(name))
                                        lint_emit_word(c, it.idx, &in->args[k],
                                                       "ARG %s looks like a credential: build "
                                                       "arguments are kept in the image history",
                                                       name);
                        }
                } else if (in->kind == BH_DF_ENV) {
                        for (size_t k = 0; k + 1 < in->nargs; k += 3)
                                if (lint_dl3064_name(in->args[k].value))
                                        lint_emit_word(c, it.idx, &in->args[k],
                                                       "ENV %s looks like a credential: it is "
                                                       "stored in the image",
                                                       in->args[k].value);
                }
        }
}

static void dl3065(struct lint_ctx *c)
{
        for (size_t s = 0; s < c->nstages; s++) {
                const struct bh_df_instr *in = &c->f->instrs[c->stages[s].from];
                const struct bh_df_word *w;
                const char *p = bh_df_flag(in, "platform", &w);
                if (p && (strcmp(p, "$TARGETPLATFORM") == 0 || strcmp(p, "${TARGETPLATFORM}") == 0))
                        lint_emit_word(c, c->stages[s].from, w,
                                       "--platform=%s is what FROM does anyway: drop it", p);
        }
}

static void dl3066(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_USER))) {
                if (!in->nargs)
                        continue;
                const char *u = user_part(c, lint_unquote(c, in->args[0].value));
                /* BH1002 reports the final stage's last USER, with the stronger reason */
                const struct lint_stage *fin = lint_final_stage(c);
                if (fin && it.idx >= fin->from && lint_rule_active(c, "BH1002") &&
                    in == &c->f->instrs[it.idx]) {
                        bool last = true;
                        for (size_t j = it.idx + 1; j < fin->end; j++)
                                if (c->f->instrs[j].kind == BH_DF_USER)
                                        last = false;
                        if (last)
                                continue;
                }
                if (*u && !lint_has_var(u) && strspn(u, "0123456789") != strlen(u))
                        lint_emit_word(c, it.idx, &in->args[0],
                                       "USER %s is a name: the host and orchestrators see only "
                                       "numbers",
                                       u);
        }
}

static void dl3067(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_COPY))) {
                if (!bh_df_flag(in, "from", NULL) || in->nargs < 2)
                        continue;
                const char *dest = lint_unquote(c, in->args[in->nargs - 1].value);
                for (size_t a = 0; a + 1 < in->nargs; a++)
                        if (strcmp(lint_unquote(c, in->args[a].value), "/") == 0 &&
                            strcmp(dest, "/") == 0) {
                                lint_emit_instr(c, it.idx, in,
                                                "this copies the other stage's whole filesystem "
                                                "over this one");
                                break;
                        }
        }
}

static void dl4000(struct lint_ctx *c)
{
        struct lint_iter it = {0};
        const struct bh_df_instr *in;
        while ((in = lint_next(c, &it, BH_DF_MAINTAINER)))
                lint_emit_instr(c, it.idx, in,
                                "MAINTAINER is deprecated: use LABEL "
                                "org.opencontainers.image.authors=...");
}

/* DL1001 is emitted by the engine while it reads the pragmas. */

#define W LINT_WARNING
#define E LINT_ERROR
#define I LINT_INFO
#define S LINT_STYLE
#define OFF LINT_OFF

const struct lint_rule lint_dl_rules[] = {
    {"DL1001", "no-inline-ignore", OFF, BH_SEV_INFO, false, "Inline ignore pragma",
     "An `# hadolint ignore=` or `# bulkhead ignore=` comment silences a finding where a reviewer "
     "may not look.",
     "Fix the finding, or record the exception in .bulkhead.yaml where it is reviewed.", NULL},
    {"DL3000", "workdir-absolute", E, BH_SEV_HIGH, false, "WORKDIR is a relative path",
     "A relative WORKDIR depends on the directory the base image happened to leave.",
     "Give WORKDIR an absolute path.", dl3000},
    {"DL3001", "pointless-command", I, BH_SEV_LOW, true, "Command that makes no sense in a build",
     "Commands such as ssh, vim, service, ps, top, kill, mount or shutdown do nothing useful "
     "while an image is built, and usually show a misunderstanding of what RUN does.",
     "Remove the command; start services from the container's entry point.", NULL, dl3001_cmd},
    {"DL3002", "last-user-root", W, BH_SEV_MEDIUM, false, "The last USER is root",
     "A container that runs as root turns any bug in the process into root in the container.",
     "End the final stage with USER and an unprivileged numeric uid.", dl3002},
    {"DL3003", "cd-in-run", W, BH_SEV_MEDIUM, false, "cd inside RUN",
     "The directory change lasts for one RUN only, which is easy to misread.",
     "Set the directory with WORKDIR.", NULL, dl3003_cmd},
    {"DL3004", "no-sudo", E, BH_SEV_HIGH, true, "sudo inside RUN",
     "RUN already runs as the user in force; sudo needs configuration, may prompt, and hides "
     "which commands run as root.",
     "Drop sudo; switch users with USER, or use gosu/su-exec in an entry point.", NULL, dl3004_cmd},
    {"DL3006", "image-tag", W, BH_SEV_MEDIUM, false, "Base image without a tag",
     "Without a tag the build takes whatever latest means that day.",
     "Name a release tag, and better a digest: FROM image:1.2@sha256:...", dl3006},
    {"DL3007", "image-latest", W, BH_SEV_MEDIUM, false, "Base image tagged latest",
     "latest moves with every release, so two builds of the same file differ.",
     "Pin a release tag (and a digest).", dl3007},
    {"DL3008", "apt-pin", W, BH_SEV_MEDIUM, true, "apt-get install without versions",
     "Unpinned packages make builds unreproducible and let an upgrade slip in unreviewed.",
     "Install name=version for each package.", NULL, dl3008_cmd},
    {"DL3009", "apt-lists", I, BH_SEV_LOW, true, "apt lists left in the image",
     "/var/lib/apt/lists adds tens of megabytes to the layer and goes stale at once.",
     "End the RUN that runs apt-get update with `rm -rf /var/lib/apt/lists/*`, or mount a cache "
     "on /var/lib/apt/lists (or on both /var/lib/apt and /var/cache/apt).",
     NULL, NULL, dl3009_run},
    {"DL3010", "add-archive", I, BH_SEV_LOW, false, "Archive copied, then unpacked",
     "COPY and a later tar keep the archive in one layer and its contents in another.",
     "ADD a local tar archive: it is unpacked in one step.", dl3010},
    {"DL3011", "expose-port-range", E, BH_SEV_HIGH, false, "EXPOSE of an invalid port",
     "Ports are numbers from 0 to 65535; anything else is a typo.", "Fix the port number.", dl3011},
    {"DL3012", "one-healthcheck", E, BH_SEV_HIGH, false, "More than one HEALTHCHECK",
     "Only the last HEALTHCHECK of a stage takes effect; the others mislead readers.",
     "Keep one HEALTHCHECK per stage.", dl3012},
    {"DL3013", "pip-pin", W, BH_SEV_MEDIUM, true, "pip install without versions",
     "Unpinned Python packages change between builds and can pull in a compromised release.",
     "Pin each package (name==version), or install from a locked requirements file (-r) or "
     "with a constraints file (-c).",
     NULL, dl3013_cmd},
    {"DL3014", "apt-yes", W, BH_SEV_MEDIUM, true, "apt-get install without -y",
     "apt-get asks for confirmation, and a build cannot answer.", "Add -y.", NULL, dl3014_cmd},
    {"DL3015", "apt-no-recommends", I, BH_SEV_LOW, true,
     "apt-get install without --no-install-recommends",
     "Recommended packages add size and attack surface nobody asked for.",
     "Add --no-install-recommends.", NULL, dl3015_cmd},
    {"DL3016", "npm-pin", W, BH_SEV_MEDIUM, true, "npm install without versions",
     "Unpinned npm packages change between builds.", "Install name@version.", NULL, dl3016_cmd},
    {"DL3018", "apk-pin", W, BH_SEV_MEDIUM, true, "apk add without versions",
     "Unpinned Alpine packages change between builds.", "Add name=version.", NULL, dl3018_cmd},
    {"DL3019", "apk-no-cache", I, BH_SEV_LOW, true, "apk add without --no-cache",
     "The package index stays in /var/cache/apk in the layer.", "Use apk add --no-cache.", NULL,
     NULL, dl3019_run},
    {"DL3020", "add-local", E, BH_SEV_HIGH, false, "ADD for local files",
     "ADD fetches URLs and unpacks archives; using it for plain files hides which one happens.",
     "Use COPY for files and directories.", dl3020},
    {"DL3021", "copy-dest-dir", E, BH_SEV_HIGH, false, "COPY of several sources to a non-directory",
     "With more than one source the destination must be a directory; BuildKit refuses otherwise. "
     "Unlike hadolint, a destination of . is taken as a directory, as BuildKit does.",
     "End the destination with /.", dl3021},
    {"DL3022", "copy-from-stage", W, BH_SEV_MEDIUM, false, "COPY --from an unknown stage",
     "A --from value that names no earlier stage is taken as an image to pull: a typo becomes a "
     "download.",
     "Name a stage defined above (FROM ... AS name) or a full image reference.", dl3022},
    {"DL3023", "copy-from-self", E, BH_SEV_HIGH, false, "COPY --from its own stage",
     "A stage cannot copy from itself.", "Copy from an earlier stage.", dl3023},
    {"DL3024", "stage-name-unique", E, BH_SEV_HIGH, false, "Duplicate stage name",
     "Stage names must be unique; references to a duplicated name are ambiguous.",
     "Rename one of the stages.", dl3024},
    {"DL3025", "json-cmd", W, BH_SEV_MEDIUM, false, "CMD or ENTRYPOINT in shell form",
     "Shell form runs the program under /bin/sh -c, which does not forward SIGTERM: the "
     "container is killed instead of stopped.",
     "Write CMD [\"program\", \"arg\"].", dl3025},
    {"DL3026", "trusted-registry", E, BH_SEV_HIGH, false, "Image from an untrusted registry",
     "Only the registries listed in trustedRegistries are allowed for base images.",
     "Use an image from a trusted registry, or add the registry to the configuration.", dl3026},
    {"DL3027", "no-apt", W, BH_SEV_MEDIUM, true, "apt instead of apt-get",
     "apt's interface is for people at a terminal and may change between releases.",
     "Use apt-get or apt-cache.", NULL, dl3027_cmd},
    {"DL3028", "gem-pin", W, BH_SEV_MEDIUM, true, "gem install without versions",
     "Unpinned gems change between builds.", "Install name:version or add -v.", NULL, dl3028_cmd},
    {"DL3029", "from-platform", W, BH_SEV_MEDIUM, false, "FROM --platform with a fixed value",
     "A fixed platform breaks multi-platform builds and surprises people on other machines.",
     "Drop --platform, or use $BUILDPLATFORM for build stages.", dl3029},
    {"DL3030", "yum-yes", W, BH_SEV_MEDIUM, true, "yum install without -y",
     "yum asks for confirmation, and a build cannot answer.", "Add -y.", NULL, dl3030_cmd},
    {"DL3032", "yum-clean", W, BH_SEV_MEDIUM, true, "yum cache left in the image",
     "yum's metadata and package cache stay in the layer.", "End the RUN with yum clean all.", NULL,
     NULL, dl3032_run},
    {"DL3033", "yum-pin", W, BH_SEV_MEDIUM, true, "yum install without versions",
     "Unpinned packages change between builds.", "Install name-version.", NULL, dl3033_cmd},
    {"DL3034", "zypper-yes", W, BH_SEV_MEDIUM, true, "zypper without -n",
     "zypper asks for confirmation, and a build cannot answer.",
     "Add -n (--non-interactive) or -y.", NULL, dl3034_cmd},
    {"DL3035", "zypper-dist-upgrade", W, BH_SEV_MEDIUM, true, "zypper dist-upgrade",
     "A distribution upgrade inside a build replaces the base image's release behind its tag.",
     "Use a newer base image instead.", NULL, dl3035_cmd},
    {"DL3036", "zypper-clean", W, BH_SEV_MEDIUM, true, "zypper cache left in the image",
     "zypper's cache stays in the layer.", "End the RUN with zypper clean.", NULL, NULL,
     dl3036_run},
    {"DL3037", "zypper-pin", W, BH_SEV_MEDIUM, true, "zypper install without versions",
     "Unpinned packages change between builds.", "Install name=version.", NULL, dl3037_cmd},
    {"DL3038", "dnf-yes", W, BH_SEV_MEDIUM, true, "dnf install without -y",
     "dnf asks for confirmation, and a build cannot answer.", "Add -y.", NULL, dl3038_cmd},
    {"DL3040", "dnf-clean", W, BH_SEV_MEDIUM, true, "dnf cache left in the image",
     "dnf's metadata and package cache stay in the layer.", "End the RUN with dnf clean all.", NULL,
     NULL, dl3040_run},
    {"DL3041", "dnf-pin", W, BH_SEV_MEDIUM, true, "dnf install without versions",
     "Unpinned packages change between builds.", "Install name-version.", NULL, dl3041_cmd},
    {"DL3042", "pip-no-cache", W, BH_SEV_MEDIUM, true, "pip install keeps its cache",
     "pip's wheel cache stays in the layer.",
     "Add --no-cache-dir, set PIP_NO_CACHE_DIR=1, or use a cache mount.", NULL, NULL, dl3042_run},
    {"DL3043", "onbuild-trigger", E, BH_SEV_HIGH, false,
     "ONBUILD triggering ONBUILD, FROM or MAINTAINER",
     "These instructions are not allowed as ONBUILD triggers.",
     "Move the instruction out of ONBUILD.", dl3043},
    {"DL3044", "env-self-reference", E, BH_SEV_HIGH, false,
     "ENV refers to a variable it sets itself",
     "Within one ENV instruction references see the values from before it, not the new ones.",
     "Split the ENV in two.", dl3044},
    {"DL3045", "copy-relative-dest", W, BH_SEV_MEDIUM, false,
     "COPY to a relative path without WORKDIR",
     "The destination depends on the base image's working directory.",
     "Set WORKDIR first or use an absolute destination.", dl3045},
    {"DL3046", "useradd-large-uid", W, BH_SEV_MEDIUM, true, "useradd of a large UID without -l",
     "Without -l, useradd writes lastlog and faillog entries up to the UID: gigabytes of zeros.",
     "Add -l (--no-log-init).", NULL, dl3046_cmd},
    {"DL3047", "wget-progress", I, BH_SEV_LOW, true, "wget without --progress",
     "wget's default progress bar floods build logs.", "Add --progress=dot:giga, or -q.", NULL,
     dl3047_cmd},
    {"DL3048", "label-key", S, BH_SEV_INFO, false, "Invalid label key",
     "Label keys should be lower-case reverse-DNS names outside Docker's reserved namespaces.",
     "Rename the key: org.example.name.", dl3048},
    {"DL3049", "label-missing", I, BH_SEV_LOW, false, "Required label missing",
     "The label schema in the configuration requires this label.", "Add the label.", dl3049},
    {"DL3050", "label-superfluous", I, BH_SEV_LOW, false, "Label not in the schema",
     "With strict-labels only the labels of the schema are allowed.",
     "Remove the label or add it to the schema.", dl3050},
    {"DL3051", "label-empty", W, BH_SEV_MEDIUM, false, "Label is empty",
     "A label of the schema has no value.", "Give the label a value.", dl3051},
    {"DL3052", "label-url", W, BH_SEV_MEDIUM, false, "Label is not a valid URL",
     "The schema says this label holds a URL.", "Write a full URL with its scheme.", dl3052},
    {"DL3053", "label-time", W, BH_SEV_MEDIUM, false, "Label is not an RFC 3339 time",
     "The schema says this label holds a time.", "Write 2024-01-31T12:00:00Z.", dl3053},
    {"DL3054", "label-spdx", W, BH_SEV_MEDIUM, false, "Label is not an SPDX identifier",
     "The schema says this label holds a license identifier.",
     "Use an SPDX identifier such as Apache-2.0.", dl3054},
    {"DL3055", "label-hash", W, BH_SEV_MEDIUM, false, "Label is not a git hash",
     "The schema says this label holds a commit hash.", "Use a 7 to 40 character hex hash.",
     dl3055},
    {"DL3056", "label-semver", W, BH_SEV_MEDIUM, false, "Label is not a semantic version",
     "The schema says this label holds a semantic version.", "Use MAJOR.MINOR.PATCH.", dl3056},
    {"DL3057", "healthcheck-missing", OFF, BH_SEV_INFO, false, "No HEALTHCHECK",
     "Without a HEALTHCHECK the engine only knows whether the process runs, not whether it "
     "works.",
     "Add a HEALTHCHECK (Bulkhead's BH1015 reports this at info level by default).", dl3057},
    {"DL3058", "label-email", W, BH_SEV_MEDIUM, false, "Label is not an e-mail address",
     "The schema says this label holds an e-mail address.", "Write name@example.org.", dl3058},
    {"DL3059", "consecutive-run", I, BH_SEV_LOW, false, "Consecutive RUN instructions",
     "Each RUN makes a layer; consecutive ones can usually be one. As in hadolint, a RUN of more "
     "than two commands, or one with other flags, is taken as a deliberate layer and not reported.",
     "Join them with &&.", dl3059},
    {"DL3060", "yarn-cache", I, BH_SEV_LOW, true, "yarn cache left in the image",
     "yarn's package cache stays in the layer.",
     "End the RUN with yarn cache clean, or use a cache mount.", NULL, NULL, dl3060_run},
    {"DL3061", "instruction-order", E, BH_SEV_HIGH, false, "Instruction before FROM",
     "Only ARG (and comments and parser directives) may come before the first FROM.",
     "Move the instruction after FROM.", dl3061},
    {"DL3062", "go-pin", W, BH_SEV_MEDIUM, true, "go install without a version",
     "go install of a module without @version fetches whatever is newest.", "Write module@version.",
     NULL, dl3062_cmd},
    {"DL3063", "stage-name-reserved", W, BH_SEV_MEDIUM, false, "Stage named with a reserved word",
     "scratch and context mean something else to BuildKit.", "Rename the stage.", dl3063},
    {"DL3064", "sensitive-arg-env", W, BH_SEV_MEDIUM, true, "Credential-like ARG or ENV name",
     "ARG values are recorded in the image history and ENV values in its configuration: "
     "anyone who can pull the image can read them.",
     "Pass secrets with RUN --mount=type=secret.", dl3064},
    {"DL3065", "platform-redundant", W, BH_SEV_MEDIUM, false,
     "FROM --platform=$TARGETPLATFORM is redundant", "FROM already builds for the target platform.",
     "Drop the flag.", dl3065},
    {"DL3066", "user-numeric", I, BH_SEV_LOW, false, "USER is a name, not a number",
     "A user name means nothing outside the image; the host and Kubernetes see only numbers.",
     "Use a numeric uid (and gid).", dl3066},
    {"DL3067", "copy-whole-filesystem", W, BH_SEV_MEDIUM, false,
     "COPY of a whole filesystem from another stage",
     "Copying / onto / overwrites the stage with everything of the other, package databases "
     "included.",
     "Copy the directories you need.", dl3067},
    {"DL4000", "maintainer-deprecated", E, BH_SEV_HIGH, false, "MAINTAINER is deprecated",
     "MAINTAINER was replaced by labels.", "Use LABEL org.opencontainers.image.authors=\"...\".",
     dl4000},
    {"DL4001", "curl-or-wget", W, BH_SEV_MEDIUM, true, "Both curl and wget",
     "Two download tools where one does: more size and attack surface.", "Use one of them.",
     dl4001},
    {"DL4003", "one-cmd", W, BH_SEV_MEDIUM, false, "More than one CMD",
     "Only the last CMD of a stage takes effect.", "Keep one CMD.", dl4003},
    {"DL4004", "one-entrypoint", E, BH_SEV_HIGH, false, "More than one ENTRYPOINT",
     "Only the last ENTRYPOINT of a stage takes effect.", "Keep one ENTRYPOINT.", dl4004},
    {"DL4005", "shell-instruction", W, BH_SEV_MEDIUM, true, "/bin/sh replaced by ln",
     "Relinking /bin/sh changes the shell for everything that follows, silently.",
     "Use the SHELL instruction.", NULL, dl4005_cmd},
    {"DL4006", "pipefail", W, BH_SEV_MEDIUM, false, "Pipe without pipefail",
     "A pipeline's status is its last command's: a failed download piped into tar still "
     "succeeds.",
     "Start the stage with SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"] or run set -o "
     "pipefail.",
     NULL, NULL, dl4006_run},
};
const size_t lint_dl_rule_count = BH_ARRAY_SIZE(lint_dl_rules);
