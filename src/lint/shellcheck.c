/* ShellCheck on the RUN scripts of one Dockerfile: every script goes into
 * its own temporary file and one shellcheck process checks them all; its
 * line and column in a script are mapped back to the Dockerfile. ShellCheck
 * is optional: when it is not installed the caller says so once. */
#include "lint/lint_int.h"
#include "base/file.h"
#include "base/json.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define SC_OUTPUT_MAX (16u << 20)
#define SC_TIMEOUT_MS 60000
/* RUN scripts given to one shellcheck process: a bound on its argument
 * list and run time that no real Dockerfile reaches */
#define SC_MAX_SCRIPTS 2000

static char *find_in_path(const char *name)
{
        const char *path = getenv("PATH");
        if (!path || !*path)
                path = "/usr/local/bin:/usr/bin:/bin";
        _cleanup_free_ char *copy = bh_xstrdup(path);
        char *save = NULL;
        for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
                char *p = bh_path_join(*dir ? dir : ".", name);
                if (access(p, X_OK) == 0)
                        return p;
                free(p);
        }
        return NULL;
}

struct sc_file {
        struct lint_script *s;
        size_t idx;
        unsigned preamble; /* lines before the script */
        char *path;
};

/* The dialect ShellCheck should check a script of this shell in. */
static const char *dialect(const char *sh)
{
        static const char *const known[] = {"sh", "bash", "dash", "ksh", "busybox"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(known); i++)
                if (strcmp(sh, known[i]) == 0)
                        return sh;
        return strcmp(sh, "ash") == 0 ? "busybox" : (strcmp(sh, "zsh") == 0 ? "bash" : "sh");
}

static bool var_name(const char *v, size_t n)
{
        for (size_t j = 0; j < n; j++)
                if (!(v[j] == '_' || (v[j] >= 'a' && v[j] <= 'z') || (v[j] >= 'A' && v[j] <= 'Z') ||
                      (j && v[j] >= '0' && v[j] <= '9')))
                        return false;
        return n > 0;
}

/* The variables ARG and ENV define before each RUN, declared to ShellCheck
 * so it does not call them unassigned: one pass over the file, at most
 * SC_MAX_VARS names. */
#define SC_MAX_VARS 256

static enum lint_level sc_level(const char *s)
{
        if (!s)
                return LINT_INFO;
        if (strcmp(s, "error") == 0)
                return LINT_ERROR;
        if (strcmp(s, "warning") == 0)
                return LINT_WARNING;
        if (strcmp(s, "style") == 0)
                return LINT_STYLE;
        return LINT_INFO;
}

/* Script line and column (1-based, a tab counts one) -> script offset. */
static size_t script_offset(const struct lint_script *s, unsigned line, unsigned col)
{
        size_t ofs = 0;
        for (unsigned l = 1; l < line && ofs < s->len; l++) {
                const char *nl = memchr(s->text + ofs, '\n', s->len - ofs);
                if (!nl)
                        return s->len ? s->len - 1 : 0;
                ofs = (size_t)(nl - s->text) + 1;
        }
        for (unsigned k = 1; k < col && ofs < s->len && s->text[ofs] != '\n'; k++) {
                ofs++;
                while (ofs < s->len && ((unsigned char)s->text[ofs] & 0xC0) == 0x80)
                        ofs++;
        }
        return ofs < s->len ? ofs : (s->len ? s->len - 1 : 0);
}

static void push_sc(struct lint_ctx *c, const struct sc_file *sf, json_t *cm)
{
        long long code = bh_json_int(cm, "code", 0);
        char id[32];
        snprintf(id, sizeof id, "SC%lld", code);
        enum lint_level def = sc_level(bh_json_str(cm, "level"));
        enum lint_level level = def;
        for (size_t i = 0; c->cfg->ignored && c->cfg->ignored[i]; i++)
                if (strcasecmp(c->cfg->ignored[i], id) == 0)
                        return;
        for (size_t i = 0; i < c->cfg->noverrides; i++)
                if (strcasecmp(c->cfg->overrides[i].id, id) == 0)
                        level = c->cfg->overrides[i].level;
        if (level == LINT_OFF)
                return;
        long long line = bh_json_int(cm, "line", 1), col = bh_json_int(cm, "column", 1);
        long long eline = bh_json_int(cm, "endLine", line),
                  ecol = bh_json_int(cm, "endColumn", col);
        if (line <= sf->preamble)
                return;
        const struct lint_script *s = sf->s;
        size_t a = script_offset(s, (unsigned)(line - sf->preamble), (unsigned)col);
        size_t b = script_offset(s, (unsigned)(eline - sf->preamble), (unsigned)ecol);
        size_t fa = lint_script_ofs(s, a);
        size_t fb = b > a ? lint_script_ofs(s, b - 1) + 1 : fa;
        if (fb < fa)
                fb = fa;
        if (c->nout == c->capout) {
                c->capout = c->capout ? c->capout * 2 : 16;
                c->out = bh_xreallocarray(c->out, c->capout, sizeof *c->out);
        }
        struct lint_emitted *e = &c->out[c->nout++];
        memset(e, 0, sizeof *e);
        e->sc_id = bh_xstrdup(id);
        e->level = level;
        e->instr = sf->idx;
        e->start = fa;
        e->end = fb;
        const char *msg = bh_json_str(cm, "message");
        e->msg = bh_xstrdup(msg ? msg : id);
}

static int run_shellcheck(const char *prog, struct sc_file *files, size_t n, char **out,
                          size_t *outlen)
{
        int pipefd[2];
        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return -errno;
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        char **argv = bh_xcalloc(n + 8, sizeof(char *));
        size_t k = 0;
        argv[k++] = (char *)prog;
        argv[k++] = (char *)"--format=json1";
        argv[k++] = (char *)"--exclude=SC1090,SC1091,SC2187";
        for (size_t i = 0; i < n; i++)
                argv[k++] = files[i].path;
        argv[k] = NULL;
        pid_t pid;
        int rc = posix_spawn(&pid, prog, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        free(argv);
        close(pipefd[1]);
        if (rc != 0) {
                close(pipefd[0]);
                return -rc;
        }
        struct bh_buf b = BH_BUF_INIT;
        char chunk[65536];
        bool timed_out = false;
        for (;;) {
                struct pollfd p = {.fd = pipefd[0], .events = POLLIN};
                int pr = poll(&p, 1, SC_TIMEOUT_MS);
                if (pr == 0) {
                        timed_out = true;
                        break;
                }
                if (pr < 0 && errno == EINTR)
                        continue;
                ssize_t r = read(pipefd[0], chunk, sizeof chunk);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        break;
                if (b.len + (size_t)r > SC_OUTPUT_MAX) {
                        timed_out = true; /* treat runaway output like a hang */
                        break;
                }
                bh_buf_append(&b, chunk, (size_t)r);
        }
        close(pipefd[0]);
        if (timed_out)
                kill(pid, SIGKILL);
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
        if (timed_out) {
                bh_buf_free(&b);
                return -ETIMEDOUT;
        }
        *outlen = b.len;
        *out = bh_buf_steal(&b);
        return 0;
}

void lint_shellcheck(struct lint_ctx *c, struct lint_shellcheck_state *st)
{
        if (!st->looked_up) {
                st->looked_up = true;
                if (!st->path) {
                        st->found = find_in_path("shellcheck");
                        st->path = st->found;
                        st->missing = st->path == NULL;
                } else {
                        st->missing = access(st->path, X_OK) != 0;
                }
        }
        if (st->missing)
                return;
        struct sc_file *files = NULL;
        size_t n = 0;
        struct bh_buf vars = BH_BUF_INIT;
        size_t nvars = 0;
        char **preambles = NULL;
        for (size_t i = 0; i < c->f->ninstrs && n < SC_MAX_SCRIPTS; i++) {
                const struct bh_df_instr *in = &c->f->instrs[i];
                if ((in->kind == BH_DF_ARG || in->kind == BH_DF_ENV) && nvars < SC_MAX_VARS) {
                        size_t step = in->kind == BH_DF_ENV ? 3 : 1;
                        for (size_t k = 0; k < in->nargs && nvars < SC_MAX_VARS; k += step) {
                                const char *v = in->args[k].value;
                                size_t len = strcspn(v, "=");
                                if (!var_name(v, len))
                                        continue;
                                bh_buf_puts(&vars, nvars++ ? " " : "export ");
                                bh_buf_append(&vars, v, len);
                        }
                }
                struct lint_script *s = lint_run_script(c, in, i);
                if (!s || s->exec || s->len == 0)
                        continue;
                files = bh_xreallocarray(files, n + 1, sizeof *files);
                preambles = bh_xreallocarray(preambles, n + 1, sizeof *preambles);
                files[n] = (struct sc_file){s, i, 0, NULL};
                preambles[n++] = bh_xasprintf("# shellcheck shell=%s\n%s\n", dialect(c->shell[i]),
                                              nvars ? vars.data : ":");
        }
        bh_buf_free(&vars);
        if (n == 0) {
                free(files);
                free(preambles);
                return;
        }
        const char *tmp = getenv("TMPDIR");
        _cleanup_free_ char *dir =
            bh_xasprintf("%s/bulkhead-sc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
                for (size_t i = 0; i < n; i++)
                        free(preambles[i]);
                free(preambles);
                free(files);
                return;
        }
        bool ok = true;
        for (size_t i = 0; i < n && ok; i++) {
                struct bh_buf b = BH_BUF_INIT;
                bh_buf_puts(&b, preambles[i]);
                files[i].preamble = 2;
                bh_buf_append(&b, files[i].s->text, files[i].s->len);
                bh_buf_putc(&b, '\n');
                files[i].path = bh_xasprintf("%s/run-%zu.sh", dir, files[i].idx + 1);
                struct bh_error err = {0};
                ok = bh_write_file_atomic(files[i].path, b.data, b.len, 0600, &err) == 0;
                bh_buf_free(&b);
        }
        char *out = NULL;
        size_t outlen = 0;
        if (ok && run_shellcheck(st->path, files, n, &out, &outlen) == 0) {
                st->runs++;
                struct bh_error err = {0};
                _cleanup_json_ json_t *j = bh_json_parse(out, outlen, "shellcheck output", &err);
                json_t *comments = j ? json_object_get(j, "comments") : NULL;
                size_t i;
                json_t *cm;
                json_array_foreach(comments, i, cm)
                {
                        const char *file = bh_json_str(cm, "file");
                        for (size_t k = 0; file && k < n; k++)
                                if (strcmp(files[k].path, file) == 0) {
                                        push_sc(c, &files[k], cm);
                                        break;
                                }
                }
        }
        free(out);
        for (size_t i = 0; i < n; i++) {
                if (files[i].path)
                        unlink(files[i].path);
                free(files[i].path);
        }
        rmdir(dir);
        for (size_t i = 0; i < n; i++)
                free(preambles[i]);
        free(preambles);
        free(files);
}
