/* What the rules see: the rule table row, the context of one Dockerfile and
 * helpers. Private to src/lint. */
#pragma once

#include "lint/dockerfile.h"
#include "lint/lint.h"
#include "lint/shell.h"

struct lint_ctx;
struct lint_script;

/* A rule judging each command of each RUN script, or each RUN script. */
typedef void (*lint_cmd_fn)(struct lint_ctx *c, size_t idx, struct lint_script *s,
                            const struct sh_cmd *cmd);
typedef void (*lint_run_fn)(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in,
                            struct lint_script *s);

struct lint_rule {
        const char *id;   /* DL3008, BH1001 */
        const char *name; /* stable slug: apt-get-pin-versions */
        enum lint_level level;
        enum bh_severity severity;         /* for BH rules at their default level */
        bool onbuild;                      /* also checked inside ONBUILD triggers */
        const char *title;                 /* what */
        const char *why;                   /* why it matters */
        const char *fix;                   /* what to do */
        void (*check)(struct lint_ctx *c); /* the whole file; or one of: */
        lint_cmd_fn per_command;           /* each command of each RUN script */
        lint_run_fn per_run;               /* each RUN script */
};

/* The rows, defined in rules_dl.c and rules_bh.c. */
extern const struct lint_rule lint_dl_rules[];
extern const size_t lint_dl_rule_count;
extern const struct lint_rule lint_bh_rules[];
extern const size_t lint_bh_rule_count;

struct lint_stage {
        size_t from;       /* index of its FROM */
        size_t end;        /* one past its last instruction */
        const char *image; /* as written */
        char *resolved;    /* global ARG defaults substituted */
        const char *alias; /* NULL when unnamed */
        const char *platform;
        int parent;   /* stage it is built FROM, or -1 */
        bool ships;   /* the final stage or one it is built from */
        bool windows; /* a Windows base image */
};

/* A piece of a script: script offsets from sofs on come from file offset
 * fofs (heredoc bodies), or from the instruction's logical line (logical). */
struct lint_piece {
        size_t sofs, fofs;
        bool logical;
};

struct lint_script {
        bool parsed;
        bool usable; /* a POSIX shell script or an exec-form command */
        bool exec;   /* exec form: not run by a shell */
        char *text;  /* what the shell runs */
        size_t len;
        const struct bh_df_instr *in;
        struct lint_piece *pieces;
        size_t npieces;
        struct sh_script sh;
};

struct lint_emitted {
        const struct lint_rule *rule; /* NULL for ShellCheck */
        char *sc_id;
        enum lint_level level;
        size_t instr; /* top-level index for pragmas; SIZE_MAX = none */
        size_t start, end;
        char *msg;
};

struct lint_ctx {
        struct bh_df_file *f;
        const struct lint_config *cfg;
        const struct lint_input *input;
        const struct lint_rule *rule; /* the rule running */
        struct lint_stage *stages;
        size_t nstages;
        size_t *stage_of;            /* instruction -> stage, SIZE_MAX before the first FROM */
        struct lint_script *scripts; /* 2 per instruction: itself, its ONBUILD trigger */
        /* per top-level instruction, from one pass over SHELL, FROM and
         * `# hadolint shell=` comments: */
        bool *posix;        /* RUN here runs under a POSIX shell */
        bool *pipefail;     /* ... with -o pipefail (or a shell with its own rules) */
        const char **shell; /* ... named this (basename) */
        struct lint_emitted *out;
        size_t nout, capout;
};

/* Walks instructions of a kind (BH_DF_UNKNOWN = all) in file order,
 * including ONBUILD triggers when the rule checks them. */
struct lint_iter {
        size_t i;
        bool sub_next;
        size_t idx; /* top-level index of what was returned */
};
const struct bh_df_instr *lint_next(struct lint_ctx *c, struct lint_iter *it, enum bh_df_kind k);

/* The script a RUN (or the trigger) runs, parsed; NULL when not POSIX shell. */
struct lint_script *lint_run_script(struct lint_ctx *c, const struct bh_df_instr *in, size_t idx);
/* Calls fn for each RUN script / each command of each RUN script of the file. */
void lint_each_run(struct lint_ctx *c, lint_run_fn fn);
void lint_each_cmd(struct lint_ctx *c, lint_cmd_fn fn);
/* File offset of offset ofs in the script. */
size_t lint_script_ofs(const struct lint_script *s, size_t ofs);

void lint_emit(struct lint_ctx *c, size_t idx, size_t start, size_t end, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Convenience: the whole instruction, or one word of it. */
void lint_emit_instr(struct lint_ctx *c, size_t idx, const struct bh_df_instr *in, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));
void lint_emit_word(struct lint_ctx *c, size_t idx, const struct bh_df_word *w, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));
/* A word of a RUN script. */
void lint_emit_sh(struct lint_ctx *c, size_t idx, const struct lint_script *s,
                  const struct sh_word *w, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Whether a rule is in force (not ignored, level not off). */
bool lint_rule_active(const struct lint_ctx *c, const char *id);
enum lint_level lint_effective_level(const struct lint_config *cfg, const struct lint_rule *r);

/* The stage of instruction idx (NULL before the first FROM). */
const struct lint_stage *lint_stage_of(const struct lint_ctx *c, size_t idx);
const struct lint_stage *lint_final_stage(const struct lint_ctx *c);
/* Stage named by a --from value: alias (case-insensitive) or index, else -1. */
int lint_stage_ref(const struct lint_ctx *c, const char *ref, size_t before);

/* Text helpers for rules. */
bool lint_streq_ci(const char *a, const char *b);
/* Removes one layer of matching surrounding quotes into a new arena string. */
const char *lint_unquote(struct lint_ctx *c, const char *s);
bool lint_has_var(const char *s);
/* --mount=type=cache,target=... among the RUN's flags, with a target under prefix. */
bool lint_has_cache_mount(const struct bh_df_instr *in, const char *prefix);
/* Positional arguments of a command after subcommand sub (options dropped;
 * options listed in with_value take the next word). Returns count; fills out. */
size_t lint_cmd_args(const struct sh_cmd *cmd, const char *sub, const char *const *with_value,
                     const struct sh_word **out, size_t max);

/* ShellCheck over every POSIX RUN script of the file, one process. */
void lint_shellcheck(struct lint_ctx *c, struct lint_shellcheck_state *st);
