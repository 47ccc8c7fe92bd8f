/* ps [--format table|json] ID [PS ARGS...]: the container's processes. */
#include "runtime/commands.h"
#include "base/buf.h"
#include "base/file.h"
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static bool has_pid(const pid_t *pids, size_t n, pid_t p)
{
        for (size_t i = 0; i < n; i++)
                if (pids[i] == p)
                        return true;
        return false;
}

/* ps(1)'s output, keeping the header and the container's lines. */
static int ps_table(char **ps_args, const pid_t *pids, size_t n, struct bh_error *err)
{
        int p[2];
        if (pipe(p) < 0)
                return bh_error_errno(err, errno, "pipe");
        pid_t child = fork();
        if (child == 0) {
                dup2(p[1], 1);
                close(p[0]);
                close(p[1]);
                char **argv = NULL;
                bh_strv_push(&argv, "ps");
                if (!ps_args || !*ps_args)
                        bh_strv_push(&argv, "-ef");
                for (char **a = ps_args; a && *a; a++)
                        bh_strv_push(&argv, *a);
                execvp("ps", argv);
                _exit(127);
        }
        close(p[1]);
        _cleanup_free_ char *out = NULL;
        int r = bh_read_fd(p[0], "ps output", 16 << 20, &out, NULL, err);
        close(p[0]);
        int status = 0;
        waitpid(child, &status, 0);
        if (r < 0)
                return r;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                return bh_error_set(err, EIO, "ps failed (is procps installed?)");
        char *save = NULL;
        char *header = strtok_r(out, "\n", &save);
        if (!header)
                return 0;
        /* the PID column, by the header */
        int col = -1, k = 0;
        _cleanup_free_ char *h = bh_xstrdup(header);
        char *hs = NULL;
        for (char *w = strtok_r(h, " \t", &hs); w; w = strtok_r(NULL, " \t", &hs), k++)
                if (strcmp(w, "PID") == 0)
                        col = k;
        if (col < 0)
                return bh_error_set(err, EINVAL, "ps: its output has no PID column");
        puts(header);
        for (char *line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                _cleanup_free_ char *l = bh_xstrdup(line);
                char *ls = NULL;
                char *w = strtok_r(l, " \t", &ls);
                for (int i = 0; i < col && w; i++)
                        w = strtok_r(NULL, " \t", &ls);
                if (w && has_pid(pids, n, (pid_t)atoi(w)))
                        puts(line);
        }
        return 0;
}

int cmd_ps(const struct rt_global *g, int argc, char **argv)
{
        static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        const char *format = "table";
        int c;
        rt_getopt_reset();
        while ((c = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
                if (c == 'f') {
                        format = optarg;
                } else if (c == 'h') {
                        rt_command_usage("ps", stdout);
                        return 0;
                } else {
                        return rt_usage_error("ps", "unknown flag %s", argv[optind - 1]);
                }
        }
        if (optind >= argc)
                return rt_usage_error("ps", "give a container id");
        bool json = strcmp(format, "json") == 0;
        if (!json && strcmp(format, "table") != 0)
                return rt_usage_error("ps", "--format must be table or json");
        struct bh_error err = {0};
        struct rt_state st;
        enum rt_status status;
        if (rt_load(g, argv[optind], &st, &status, &err) < 0)
                return rt_fail(&err);
        pid_t *pids = NULL;
        size_t n = 0;
        int r = 0;
        if (status == RT_STOPPED) {
                /* nothing runs: an empty list */
        } else if (st.cgroup.mode == RT_CGROUP_NONE) {
                pids = bh_xmalloc(sizeof *pids);
                pids[n++] = st.pid;
        } else if (rt_cgroup_pids(&st.cgroup, &pids, &n, &err) < 0) {
                r = rt_fail(&err);
        }
        if (r == 0 && json) {
                putchar('[');
                for (size_t i = 0; i < n; i++)
                        printf("%s%d", i ? "," : "", pids[i]);
                puts("]");
        } else if (r == 0 && ps_table(argv + optind + 1, pids, n, &err) < 0) {
                r = rt_fail(&err);
        }
        free(pids);
        rt_state_free(&st);
        return r;
}
