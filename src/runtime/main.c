/* bulkhead-runtime: a hardened OCI runtime, a drop-in for runc and crun as
 * Docker and containerd call them. */
#include "runtime/commands.h"
#include "runtime/log.h"
#include "runtime/sealed.h"
#include "base/util.h"
#include "bh_config.h"

#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

const struct rt_command rt_commands[] = {
    {"create", cmd_create, "create a container (its process waits for start)",
     "  -b, --bundle DIR          the bundle (config.json and rootfs); default: .\n"
     "      --pid-file FILE       write the init's PID there\n"
     "      --console-socket PATH send the terminal's master to this unix socket\n"
     "      --preserve-fds N      pass N descriptors after stdio (3...) to the process\n"
     "      --pidfd-socket PATH   send a pidfd of the init to this unix socket\n"
     "      --no-pivot            chroot instead of pivot_root (for a ramdisk root)\n"
     "      --no-new-keyring      keep the caller's session keyring\n"},
    {"start", cmd_start, "start the process of a created container", ""},
    {"run", cmd_run, "create and start a container, wait for it, delete it",
     "  -b, --bundle DIR          the bundle; default: .\n"
     "  -d, --detach              return once the process runs\n"
     "      --keep                do not delete the container when it exits\n"
     "      --pid-file FILE, --console-socket PATH, --preserve-fds N, --no-pivot,\n"
     "      --no-new-keyring      as for create\n"},
    {"exec", cmd_exec, "run a new process in a running container",
     "  -p, --process FILE        the process as JSON (the spec's \"process\")\n"
     "  -d, --detach              return once the process runs\n"
     "      --pid-file FILE       write its PID there\n"
     "      --console-socket PATH send its terminal's master there\n"
     "      --pidfd-socket PATH   send a pidfd of it there\n"
     "  -t, --tty                 give it a terminal\n"
     "      --cwd DIR             working directory\n"
     "  -e, --env KEY=VALUE       add to the environment (repeatable)\n"
     "  -u, --user UID[:GID]      run as this user\n"
     "  -g, --additional-gids GID supplementary group (repeatable)\n"
     "  -c, --cap CAP             add a capability (repeatable)\n"
     "      --no-new-privs        set no_new_privileges\n"
     "      --preserve-fds N      pass N descriptors after stdio\n"
     "      --cgroup PATH         join this sub-cgroup of the container\n"
     "      --ignore-paused       exec even in a paused container\n"
     "  (without --process: COMMAND [ARGS...] after the container id)\n"},
    {"kill", cmd_kill, "send a signal to the container's init (or all its processes)",
     "  -a, --all                 signal every process in the container's cgroup\n"
     "  SIGNAL is a name (TERM, SIGKILL) or a number; default TERM\n"},
    {"delete", cmd_delete, "delete a stopped (or, with --force, any) container",
     "  -f, --force               kill it first if it is running\n"},
    {"state", cmd_state, "print the container's state as JSON (OCI runtime spec)", ""},
    {"list", cmd_list, "list containers",
     "  -f, --format table|json   output format (default table)\n"
     "  -q, --quiet               ids only\n"},
    {"ps", cmd_ps, "list the processes of a container",
     "  -f, --format table|json   json: an array of host PIDs\n"
     "  (table: ps(1) output filtered to the container; extra ARGS go to ps)\n"},
    {"pause", cmd_pause, "freeze every process of a container", ""},
    {"resume", cmd_resume, "thaw a paused container", ""},
    {"update", cmd_update, "change a running container's resource limits",
     "  -r, --resources FILE      linux.resources JSON (\"-\": stdin)\n"
     "      --memory BYTES, --memory-swap BYTES, --memory-reservation BYTES,\n"
     "      --kernel-memory BYTES, --kernel-memory-tcp BYTES,\n"
     "      --cpu-shares N, --cpu-period US, --cpu-quota US, --cpu-rt-period US,\n"
     "      --cpu-rt-runtime US, --cpuset-cpus LIST, --cpuset-mems LIST,\n"
     "      --pids-limit N, --blkio-weight N   (sizes take k, m, g suffixes)\n"},
    {"features", cmd_features, "print what this runtime supports (JSON)", ""},
    {"spec", cmd_spec, "write a starting config.json",
     "  -b, --bundle DIR          where to write it; default: .\n"
     "      --rootless            a spec for running as an unprivileged user\n"},
    {NULL, NULL, NULL, NULL}};

static void usage(FILE *out)
{
        fputs("Usage: bulkhead-runtime [GLOBAL FLAGS] COMMAND [FLAGS] [ID] ...\n\n"
              "A hardened OCI runtime: secure by default (Docker's seccomp profile when the\n"
              "spec has none, no_new_privileges, a capability allow-list, masked kernel\n"
              "paths, privileged containers refused), driven by the policy in\n"
              "/etc/bulkhead/runtime.json.\n\n"
              "Commands:\n",
              out);
        for (const struct rt_command *c = rt_commands; c->name; c++)
                fprintf(out, "  %-9s %s\n", c->name, c->summary);
        fputs("\nGlobal flags:\n"
              "  --root DIR            state directory (default /run/bulkhead, or\n"
              "                        $XDG_RUNTIME_DIR/bulkhead when rootless)\n"
              "  --log FILE            append log lines there (default stderr)\n"
              "  --log-format FORMAT   text or json\n"
              "  --systemd-cgroup      cgroupsPath is \"slice:prefix:name\"\n"
              "  --rootless BOOL       true, false or auto (default: auto, by user id)\n"
              "  --policy FILE         runtime policy (default /etc/bulkhead/runtime.json)\n"
              "  --debug               log debug lines\n"
              "  --version, --help\n\n"
              "Run 'bulkhead-runtime COMMAND --help' for a command's flags; see\n"
              "bulkhead-runtime(8).\n",
              out);
}

void rt_command_usage(const char *name, FILE *out)
{
        for (const struct rt_command *c = rt_commands; c->name; c++)
                if (strcmp(c->name, name) == 0) {
                        const char *arg = strcmp(name, "list") == 0 ||
                                                  strcmp(name, "features") == 0 ||
                                                  strcmp(name, "spec") == 0
                                              ? ""
                                              : " ID";
                        fprintf(out, "Usage: bulkhead-runtime %s [FLAGS]%s%s\n\n%s.\n", name, arg,
                                strcmp(name, "kill") == 0   ? " [SIGNAL]"
                                : strcmp(name, "exec") == 0 ? " [COMMAND [ARGS...]]"
                                                            : "",
                                c->summary);
                        if (*c->usage)
                                fprintf(out, "\nFlags:\n%s", c->usage);
                        return;
                }
}

int rt_usage_error(const char *name, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        char msg[512];
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        rt_log(RT_LOG_ERROR, "%s: %s", name, msg);
        fprintf(stderr, "bulkhead-runtime %s: %s\n", name, msg);
        rt_command_usage(name, stderr);
        return 2;
}

int rt_fail(const struct bh_error *err)
{
        rt_log_error(err->msg[0] ? err->msg : "failed");
        return 1;
}

int rt_getopt_reset(void)
{
        optind = 0;
        opterr = 0;
        return 0;
}

static void version(void)
{
        const struct scmp_version *v = seccomp_version();
        printf("bulkhead-runtime version %s\nspec: 1.2.0\nlibseccomp: %u.%u.%u\n", BH_VERSION,
               v->major, v->minor, v->micro);
}

int main(int argc, char **argv)
{
        /* CVE-2019-5736: a container process must not open /proc/<pid>/exe of
         * the runtime (or of the init before it execs) and write through it
         * into this binary. Non-dumpable processes' /proc entries belong to
         * root and ptrace access to them needs CAP_SYS_PTRACE over the
         * runtime's own (initial) user namespace, which the policy never
         * grants. Rootless runs keep dumpable until the init's ids are
         * mapped (the mapping is written through /proc); there the binary is
         * not the user's to overwrite anyway. */
        bool root = geteuid() == 0;
        if (root)
                prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        signal(SIGPIPE, SIG_IGN);
        rt_sealed_init(argv);
        unsetenv("_BULKHEAD_RUNTIME_SEALED");
        rt_note_inherited_fds();
        static const struct option opts[] = {{"root", required_argument, NULL, 'r'},
                                             {"log", required_argument, NULL, 'l'},
                                             {"log-format", required_argument, NULL, 'f'},
                                             {"systemd-cgroup", no_argument, NULL, 's'},
                                             {"debug", no_argument, NULL, 'd'},
                                             {"rootless", required_argument, NULL, 'R'},
                                             {"criu", required_argument, NULL, 'c'},
                                             {"policy", required_argument, NULL, 'p'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'v'},
                                             {NULL, 0, NULL, 0}};
        struct rt_global g = {0};
        const char *rootless = "auto";
        const char *log_format = "text";
        int c;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
                switch (c) {
                case 'r':
                        g.root = optarg;
                        break;
                case 'l':
                        g.log = optarg;
                        break;
                case 'f':
                        log_format = optarg;
                        break;
                case 's':
                        g.systemd_cgroup = true;
                        break;
                case 'd':
                        g.debug = true;
                        break;
                case 'R':
                        rootless = optarg;
                        break;
                case 'c':
                        break;
                case 'p':
                        g.policy_path = optarg;
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                case 'v':
                        version();
                        return 0;
                default:
                        fprintf(stderr, "bulkhead-runtime: unknown global flag %s\n\n",
                                argv[optind - 1]);
                        usage(stderr);
                        return 2;
                }
        }
        g.log_json = strcmp(log_format, "json") == 0;
        if (!g.log_json && strcmp(log_format, "text") != 0) {
                fprintf(stderr, "bulkhead-runtime: --log-format must be text or json\n");
                return 2;
        }
        if (rt_log_open(g.log, g.log_json, g.debug) < 0) {
                fprintf(stderr, "bulkhead-runtime: --log %s: %s\n", g.log, strerror(errno));
                return 1;
        }
        if (strcmp(rootless, "true") == 0)
                g.rootless = true;
        else if (strcmp(rootless, "false") == 0)
                g.rootless = false;
        else if (strcmp(rootless, "auto") == 0)
                g.rootless = !root;
        else
                return rt_usage_error("--rootless", "must be true, false or auto");
        _cleanup_free_ char *root_default = NULL;
        if (!g.root) {
                const char *xdg = getenv("XDG_RUNTIME_DIR");
                if (g.rootless && xdg && *xdg)
                        root_default = bh_xasprintf("%s/bulkhead", xdg);
                else if (g.rootless)
                        root_default = bh_xasprintf("/tmp/bulkhead-%u", (unsigned)geteuid());
                else
                        root_default = bh_xstrdup("/run/bulkhead");
                g.root = root_default;
        }
        if (optind >= argc) {
                usage(stderr);
                return 2;
        }
        const char *name = argv[optind];
        if (strcmp(name, "help") == 0) {
                if (optind + 1 < argc)
                        rt_command_usage(argv[optind + 1], stdout);
                else
                        usage(stdout);
                return 0;
        }
        if (strcmp(name, "version") == 0) {
                version();
                return 0;
        }
        for (const struct rt_command *cmd = rt_commands; cmd->name; cmd++)
                if (strcmp(cmd->name, name) == 0)
                        return cmd->run(&g, argc - optind, argv + optind);
        struct bh_error err;
        bh_error_set(&err, EINVAL,
                     "unknown command %s (run 'bulkhead-runtime --help' for the list)", name);
        return rt_fail(&err);
}
