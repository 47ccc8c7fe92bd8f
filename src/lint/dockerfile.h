/* The Dockerfile as BuildKit reads it: parser directives, continuation
 * lines, heredocs, exec and shell forms, flags. Every instruction, flag and
 * argument keeps its place in the file (byte offsets, turned into 1-based
 * line and column on demand), so findings point at the exact text.
 *
 * The parse tree follows BuildKit's frontend/dockerfile/parser semantics; its
 * s-expression dump (bh_df_dump_sexp) is byte-compatible with BuildKit's
 * Node.Dump(). Checks that BuildKit makes later (unknown instructions, flags,
 * argument counts) are in bh_df_validate, so the tree of a file that would not
 * build can still be dumped and linted. */
#pragma once

#include "base/buf.h"
#include "base/error.h"

#include <stdbool.h>
#include <stddef.h>

/* Hard limits that keep memory and time bounded on hostile input. */
#define BH_DF_MAX_FILE (16u << 20)       /* bytes in a Dockerfile */
#define BH_DF_MAX_LINE (1u << 20)        /* bytes in one physical line */
#define BH_DF_MAX_INSTRUCTION (2u << 20) /* bytes in one logical line */
#define BH_DF_MAX_LINES 1000000u         /* lines in a Dockerfile */
#define BH_DF_MAX_INSTRS 100000u         /* instructions in a Dockerfile */
#define BH_DF_MAX_STAGES 1000u           /* FROM instructions in a Dockerfile */

enum bh_df_kind {
        BH_DF_UNKNOWN,
        BH_DF_ADD,
        BH_DF_ARG,
        BH_DF_CMD,
        BH_DF_COPY,
        BH_DF_ENTRYPOINT,
        BH_DF_ENV,
        BH_DF_EXPOSE,
        BH_DF_FROM,
        BH_DF_HEALTHCHECK,
        BH_DF_LABEL,
        BH_DF_MAINTAINER,
        BH_DF_ONBUILD,
        BH_DF_RUN,
        BH_DF_SHELL,
        BH_DF_STOPSIGNAL,
        BH_DF_USER,
        BH_DF_VOLUME,
        BH_DF_WORKDIR,
};

/* A position: 1-based line, 1-based column counted in characters. */
struct bh_df_pos {
        unsigned line, column;
};

/* A piece of text with its decoded value and where it was written: [start,
 * end) byte offsets in the file. Values may hold NUL (from JSON "\u0000"),
 * hence len. */
struct bh_df_word {
        char *value;
        size_t len;
        size_t start, end;
};

struct bh_df_heredoc {
        char *name;    /* the delimiter, quotes removed */
        bool expand;   /* false when the delimiter was quoted */
        bool chomp;    /* <<- : leading tabs are removed */
        unsigned fd;   /* 3<<EOF */
        char *content; /* the body, line endings kept */
        size_t content_len;
        size_t start;        /* file offset of the body */
        unsigned first_line; /* line of the body's first line */
        unsigned end_line;   /* line of the terminator */
};

/* One piece of a logical line: logical offset lofs comes from file offset fofs. */
struct bh_df_seg {
        size_t lofs, fofs;
};

struct bh_df_instr {
        enum bh_df_kind kind;
        char *keyword;  /* as written: "run", "RUN" */
        char *name;     /* lower case: "run" */
        char *original; /* the logical line, continuations joined */
        size_t original_len;
        size_t start, end;        /* file offsets of the instruction text */
        unsigned start_line;      /* first line */
        unsigned end_line;        /* last line, heredoc terminators included */
        struct bh_df_word *flags; /* "--from=build" with quotes removed */
        size_t nflags;
        struct bh_df_word *args;
        size_t nargs;
        bool json;               /* exec (JSON array) form */
        size_t rest_lofs;        /* logical offset of the arguments after the flags */
        struct bh_df_instr *sub; /* ONBUILD's trigger */
        struct bh_df_heredoc *heredocs;
        size_t nheredocs;
        const struct bh_df_seg *segs; /* shared with the ONBUILD trigger */
        size_t nsegs;
        bool empty_continuation; /* a blank line inside the continuation */
};

struct bh_df_comment {
        unsigned line;
        size_t start; /* file offset of '#' */
        char *text;   /* after '#', trimmed */
};

struct bh_df_directive {
        char *name; /* lower case: syntax, escape, check */
        char *value;
        unsigned line;
};

struct bh_df_arena;

struct bh_df_file {
        char *path;       /* for messages */
        const char *data; /* the file (BOM removed); owned */
        size_t len;
        size_t *line_starts; /* offset of each line */
        unsigned nlines;
        char escape; /* '\\' or '`' */
        struct bh_df_directive *directives;
        size_t ndirectives;
        struct bh_df_instr *instrs;
        size_t ninstrs;
        struct bh_df_comment *comments;
        size_t ncomments;
        struct bh_df_arena *arena;
        /* a cache that makes consecutive position look-ups on one line cheap */
        size_t pos_cache_ofs;
        unsigned pos_cache_line, pos_cache_col;
};

/* Parses data[0..len) (the bytes are copied). path names the file in error
 * messages, which read "PATH:LINE: ...". */
int bh_df_parse(const char *path, const char *data, size_t len, struct bh_df_file **out,
                struct bh_error *err);
void bh_df_free(struct bh_df_file *f);
static inline void bh_df_freep(struct bh_df_file **f)
{
        bh_df_free(*f);
}
#define _cleanup_df_ __attribute__((cleanup(bh_df_freep)))

/* File offset -> 1-based line and column (characters). */
struct bh_df_pos bh_df_position(struct bh_df_file *f, size_t ofs);
/* Logical offset in instruction in -> file offset. */
size_t bh_df_map(const struct bh_df_instr *in, size_t lofs);

enum bh_df_kind bh_df_kind_from_name(const char *lower);
const char *bh_df_kind_name(enum bh_df_kind k); /* upper case */

/* The value of --name=value among the flags: NULL when absent, "" for a bare
 * --name. *word (optional) receives the flag. */
const char *bh_df_flag(const struct bh_df_instr *in, const char *name,
                       const struct bh_df_word **word);

/* Whether an ADD source is fetched rather than taken from the context: a URL
 * (scheme://...) or a Git address (git@host:...). */
bool bh_df_remote_source(const char *src);

/* The shell-form script of RUN/CMD/ENTRYPOINT/HEALTHCHECK (args joined as
 * written), or NULL for exec form. */
const char *bh_df_shell_script(const struct bh_df_instr *in);

/* BuildKit's later checks: unknown instructions and flags, argument counts,
 * ONBUILD chaining. Calls report() for each problem found; returns the count. */
typedef void (*bh_df_problem_fn)(void *ud, size_t idx, size_t start, size_t end, const char *msg);
size_t bh_df_validate(struct bh_df_file *f, bh_df_problem_fn report, void *ud);

/* BuildKit's `Node.Dump()` s-expressions, one instruction a line. */
void bh_df_dump_sexp(const struct bh_df_file *f, struct bh_buf *out);
/* The tree as JSON with positions (an array of instruction objects). */
void bh_df_dump_json(struct bh_df_file *f, struct bh_buf *out);

/* Go's strconv.Quote of s[0..len), appended to out. */
void bh_go_quote(struct bh_buf *out, const char *s, size_t len);
