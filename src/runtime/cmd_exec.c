/* exec: a new process in a running container, described by --process FILE
 * (containerd) or by runc's inline flags and a command. */
#include "runtime/commands.h"
#include "base/util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_exec(const struct rt_global *g, int argc, char **argv)
{
        static const struct option opts[] = {{"process", required_argument, NULL, 'p'},
                                             {"detach", no_argument, NULL, 'd'},
                                             {"pid-file", required_argument, NULL, 'P'},
                                             {"console-socket", required_argument, NULL, 'C'},
                                             {"pidfd-socket", required_argument, NULL, 'F'},
                                             {"tty", no_argument, NULL, 't'},
                                             {"cwd", required_argument, NULL, 'w'},
                                             {"env", required_argument, NULL, 'e'},
                                             {"user", required_argument, NULL, 'u'},
                                             {"additional-gids", required_argument, NULL, 'g'},
                                             {"cap", required_argument, NULL, 'c'},
                                             {"no-new-privs", no_argument, NULL, 'n'},
                                             {"preserve-fds", required_argument, NULL, 'N'},
                                             {"cgroup", required_argument, NULL, 'G'},
                                             {"ignore-paused", no_argument, NULL, 'I'},
                                             {"apparmor", required_argument, NULL, 'A'},
                                             {"process-label", required_argument, NULL, 'L'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
        struct rt_exec_opts o = {0};
        _cleanup_strv_ char **env = NULL, **caps = NULL, **gids = NULL;
        int c;
        rt_getopt_reset();
        while ((c = getopt_long(argc, argv, "+p:dte:u:g:c:h", opts, NULL)) != -1) {
                switch (c) {
                case 'p':
                        o.process_file = optarg;
                        break;
                case 'd':
                        o.detach = true;
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
                case 't':
                        o.tty = true;
                        break;
                case 'w':
                        o.cwd = optarg;
                        break;
                case 'e':
                        bh_strv_push(&env, optarg);
                        break;
                case 'u':
                        o.user = optarg;
                        break;
                case 'g':
                        bh_strv_push(&gids, optarg);
                        break;
                case 'c':
                        bh_strv_push(&caps, optarg);
                        break;
                case 'n':
                        o.no_new_privs = true;
                        break;
                case 'N':
                        o.preserve_fds = atoi(optarg);
                        if (o.preserve_fds < 0 || o.preserve_fds > 1024)
                                return rt_usage_error("exec", "--preserve-fds wants a count");
                        break;
                case 'G':
                        o.cgroup = optarg;
                        if (strstr(optarg, ".."))
                                return rt_usage_error("exec", "--cgroup must not contain \"..\"");
                        break;
                case 'I':
                        o.ignore_paused = true;
                        break;
                case 'A':
                        o.apparmor = optarg;
                        break;
                case 'L':
                        o.process_label = optarg;
                        break;
                case 'h':
                        rt_command_usage("exec", stdout);
                        return 0;
                default:
                        return rt_usage_error("exec", "unknown flag %s", argv[optind - 1]);
                }
        }
        if (optind >= argc)
                return rt_usage_error("exec", "give a container id");
        o.id = argv[optind];
        o.args = argv + optind + 1;
        o.env = env;
        o.caps = caps;
        o.additional_gids = gids;
        if (o.process_file && o.args[0])
                return rt_usage_error("exec", "give either --process or a command, not both");
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
        if (rt_exec(g, &o, &status, &err) < 0)
                return rt_fail(&err);
        return o.detach ? 0 : status;
}
