/* bulkhead-runtime's commands: one file each (cmd_<name>.c). Each parses
 * its own flags and returns the process exit status. */
#pragma once

#include "runtime/runtime.h"

#include <getopt.h>
#include <stdio.h>

struct rt_command {
        const char *name;
        int (*run)(const struct rt_global *g, int argc, char **argv);
        const char *summary;
        const char *usage; /* the flags, one per line, for `COMMAND --help` */
};

extern const struct rt_command rt_commands[];

/* Reports a failed command (log and stderr) and returns 1. */
int rt_fail(const struct bh_error *err);
/* Prints "COMMAND: ..." usage to out. */
void rt_command_usage(const char *name, FILE *out);
/* Wrong usage: a message, the command's usage on stderr, returns 2. */
int rt_usage_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Resets getopt for a command's arguments (argv[0] is the command). */
int rt_getopt_reset(void);
/* For commands that take only an id: 0 with *id set, 1 when --help was
 * printed, 2 on wrong usage. */
int rt_id_only_args(const char *name, int argc, char **argv, const char **id);

int cmd_create(const struct rt_global *g, int argc, char **argv);
int cmd_run(const struct rt_global *g, int argc, char **argv);
int cmd_start(const struct rt_global *g, int argc, char **argv);
int cmd_exec(const struct rt_global *g, int argc, char **argv);
int cmd_kill(const struct rt_global *g, int argc, char **argv);
int cmd_delete(const struct rt_global *g, int argc, char **argv);
int cmd_state(const struct rt_global *g, int argc, char **argv);
int cmd_list(const struct rt_global *g, int argc, char **argv);
int cmd_ps(const struct rt_global *g, int argc, char **argv);
int cmd_pause(const struct rt_global *g, int argc, char **argv);
int cmd_resume(const struct rt_global *g, int argc, char **argv);
int cmd_update(const struct rt_global *g, int argc, char **argv);
int cmd_features(const struct rt_global *g, int argc, char **argv);
int cmd_spec(const struct rt_global *g, int argc, char **argv);
