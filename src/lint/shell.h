/* Enough of the POSIX shell grammar to find the simple commands in a RUN
 * script: words with quotes removed, separators (; && || & newline),
 * pipelines, redirections and their targets, here-documents, comments,
 * leading assignments and reserved words. It never executes or expands
 * anything: $VAR, $(...) and `...` stay as written inside their word. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct bh_df_arena;

struct sh_word {
        char *text;  /* quotes and escapes removed */
        size_t ofs;  /* offset of the word in the script */
        bool quoted; /* some part was quoted */
};

struct sh_cmd {
        struct sh_word *argv; /* assignments and reserved words removed */
        size_t argc;
        struct sh_word *assigns; /* NAME=value before the command */
        size_t nassigns;
        bool pipe_in;     /* reads from a pipe */
        bool pipe_out;    /* writes into a pipe */
        bool or_next;     /* followed by || */
        size_t start;     /* see sh_cmd_start */
        const char *name; /* see sh_cmd_name */
};

struct sh_script {
        struct sh_cmd *cmds;
        size_t ncmds;
        bool has_pipe;
        bool parse_error; /* an unterminated quote or substitution */
        struct bh_df_arena *arena;
};

void sh_parse(const char *script, size_t len, struct sh_script *out);
void sh_free(struct sh_script *s);

/* The command's name after wrappers (sudo, env, exec, nohup, nice, time,
 * command, gosu/su-exec USER): its index in argv, or argc when none. */
size_t sh_cmd_start(const struct sh_cmd *c);
/* Basename of argv[sh_cmd_start] ("" when none). */
const char *sh_cmd_name(const struct sh_cmd *c);
bool sh_cmd_is(const struct sh_cmd *c, const char *name);
/* argv[sh_cmd_start + 1 + i] when it exists and does not start with '-'
 * ... simple subcommand look-up: the first non-option word after the name. */
const char *sh_subcommand(const struct sh_cmd *c);
/* True when any word after the command name is one of the long options
 * ("--yes") given, or a short-option cluster ("-qy") holding one of the
 * letters in shorts. longs is NULL-terminated; shorts may be NULL. */
bool sh_has_option(const struct sh_cmd *c, const char *shorts, const char *const *longs);
/* True when the script has a command named name. */
bool sh_any(const struct sh_script *s, const char *name);
