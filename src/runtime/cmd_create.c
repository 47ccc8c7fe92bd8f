/* create and run: the bundle's container, created (and, for run, started,
 * waited for and deleted). */
#include "runtime/commands.h"
#include "base/util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

static int create_or_run(const struct rt_global *g, int argc, char **argv, bool run)
{
        const char *name = run ? "run" : "create";
        static const struct option opts[] = {{"bundle", required_argument, NULL, 'b'},
                                             {"pid-file", required_argument, NULL, 'P'},
                                             {"console-socket", required_argument, NULL, 'C'},
                                             {"pidfd-socket", required_argument, NULL, 'F'},
                                             {"preserve-fds", required_argument, NULL, 'N'},
                                             {"no-pivot", no_argument, NULL, 'n'},
                                             {"no-new-keyring", no_argument, NULL, 'k'},
                                             {"detach", no_argument, NULL, 'd'},
                                             {"keep", no_argument, NULL, 'K'},
                                             {"no-subreaper", no_argument, NULL, 'S'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        struct rt_create_opts o = {0};
        const char *bundle = ".";
        int c;
        rt_getopt_reset();
        while ((c = getopt_long(argc, argv, "+b:dh", opts, NULL)) != -1) {
                switch (c) {
                case 'b':
                        bundle = optarg;
                        break;
                case 'P':
                        o.pid_file = optarg;
                        break;
                case 'C':
                        o.console_socket = optarg;
                        break;
                case 'F':
                        o.pidfd_socket = optarg;
                        break;
                case 'N': {
                        char *end;
                        long n = strtol(optarg, &end, 10);
                        if (*end || n < 0 || n > 1024)
                                return rt_usage_error(name, "--preserve-fds wants a count");
                        o.preserve_fds = (int)n;
                        break;
                }
                case 'n':
                        o.no_pivot = true;
                        break;
                case 'k':
                        o.no_new_keyring = true;
                        break;
                case 'd':
                        if (!run)
                                return rt_usage_error(name, "unknown flag --detach");
                        o.detach = true;
                        break;
                case 'K':
                        o.keep = true;
                        break;
                case 'S':
                        break;
                case 'h':
                        rt_command_usage(name, stdout);
                        return 0;
                default:
                        return rt_usage_error(name, "unknown flag %s", argv[optind - 1]);
                }
        }
        if (optind != argc - 1)
                return rt_usage_error(name, "give exactly one container id");
        o.id = argv[optind];
        char abs[PATH_MAX];
        if (!realpath(bundle, abs)) {
                struct bh_error err;
                bh_error_errno(&err, errno, "bundle %s", bundle);
                return rt_fail(&err);
        }
        o.bundle = abs;
        /* descriptors 3..3+N-1 belong to the container: if the caller left
         * gaps there, fill them so nothing of ours lands in one */
        for (int fd = 3; fd < 3 + o.preserve_fds; fd++)
                if (fcntl(fd, F_GETFD) < 0) {
                        int n = open("/dev/null", O_RDWR);
                        if (n >= 0 && n != fd) {
                                dup2(n, fd);
                                close(n);
                        }
                }
        struct bh_error err = {0};
        int status = 0;
        if (rt_create(g, &o, run, &status, &err) < 0)
                return rt_fail(&err);
        return run && !o.detach ? status : 0;
}

int cmd_create(const struct rt_global *g, int argc, char **argv)
{
        return create_or_run(g, argc, argv, false);
}

int cmd_run(const struct rt_global *g, int argc, char **argv)
{
        return create_or_run(g, argc, argv, true);
}
