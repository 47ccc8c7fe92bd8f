/* The Dockerfile parser: BuildKit's test cases (dump must match byte for
 * byte), the negative cases, the corpus of real Dockerfiles, positions,
 * heredocs, directives and hostile input. */
#include "base/buf.h"
#include "base/file.h"
#include "base/util.h"
#include "lint/dockerfile.h"

#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static char *shared_path(const char *rel)
{
        const char *shared = getenv("BH_SHARED");
        return bh_path_join(shared ? shared : "../shared", rel);
}

static struct bh_df_file *parse_ok(const char *text)
{
        struct bh_df_file *f = NULL;
        struct bh_error err = {0};
        int rc = bh_df_parse("Dockerfile", text, strlen(text), &f, &err);
        if (rc < 0)
                fail_msg("parse failed: %s", err.msg);
        return f;
}

static void parse_fails(const char *text, size_t len, const char *want)
{
        struct bh_df_file *f = NULL;
        struct bh_error err = {0};
        int rc = bh_df_parse("Dockerfile", text, len, &f, &err);
        assert_true(rc < 0);
        assert_null(f);
        if (!strstr(err.msg, want))
                fail_msg("error \"%s\" lacks \"%s\"", err.msg, want);
}

static char *dump(struct bh_df_file *f)
{
        struct bh_buf b = BH_BUF_INIT;
        bh_df_dump_sexp(f, &b);
        return bh_buf_steal(&b);
}

static void test_buildkit_positive_cases(void **state)
{
        _cleanup_free_ char *dir = shared_path("testdata/dockerfile-parser/testfiles");
        DIR *d = opendir(dir);
        if (!d) {
                free(bh_steal_ptr(&dir)); /* skip() jumps over the cleanup */
                skip();
        }
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (e->d_name[0] == '.')
                        continue;
                _cleanup_free_ char *sub = bh_path_join(dir, e->d_name);
                _cleanup_free_ char *df = bh_path_join(sub, "Dockerfile");
                _cleanup_free_ char *res = bh_path_join(sub, "result");
                _cleanup_free_ char *data = NULL, *want = NULL;
                size_t dlen, wlen;
                struct bh_error err = {0};
                assert_int_equal(bh_read_file(df, 1 << 20, &data, &dlen, &err), 0);
                assert_int_equal(bh_read_file(res, 1 << 20, &want, &wlen, &err), 0);
                struct bh_df_file *f = NULL;
                if (bh_df_parse(df, data, dlen, &f, &err) < 0)
                        fail_msg("%s: %s", e->d_name, err.msg);
                _cleanup_free_ char *got = dump(f);
                if (strcmp(got, want) != 0)
                        fail_msg("%s: dump differs\n--- got\n%s--- want\n%s", e->d_name, got, want);
                bh_df_free(f);
                n++;
        }
        closedir(d);
        assert_int_equal(n, 33);
}

static void test_buildkit_negative_cases(void **state)
{
        _cleanup_free_ char *dir = shared_path("testdata/dockerfile-parser/testfiles-negative");
        DIR *d = opendir(dir);
        if (!d) {
                free(bh_steal_ptr(&dir)); /* skip() jumps over the cleanup */
                skip();
        }
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (e->d_name[0] == '.')
                        continue;
                _cleanup_free_ char *df = bh_path_join(dir, e->d_name);
                _cleanup_free_ char *path = bh_path_join(df, "Dockerfile");
                _cleanup_free_ char *data = NULL;
                size_t len;
                struct bh_error err = {0};
                assert_int_equal(bh_read_file(path, 1 << 20, &data, &len, &err), 0);
                struct bh_df_file *f = NULL;
                assert_true(bh_df_parse(path, data, len, &f, &err) < 0);
                /* the message names the file and a line */
                assert_true(bh_startswith(err.msg, path));
                assert_true(err.msg[strlen(path)] == ':');
                n++;
        }
        closedir(d);
        assert_int_equal(n, 4);
}

static void test_corpus_parses(void **state)
{
        _cleanup_free_ char *dir = shared_path("corpus/dockerfiles");
        DIR *d = opendir(dir);
        if (!d) {
                free(bh_steal_ptr(&dir)); /* skip() jumps over the cleanup */
                skip();
        }
        size_t n = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (!strstr(e->d_name, "Dockerfile"))
                        continue;
                _cleanup_free_ char *path = bh_path_join(dir, e->d_name);
                _cleanup_free_ char *data = NULL;
                size_t len;
                struct bh_error err = {0};
                assert_int_equal(bh_read_file(path, 1 << 24, &data, &len, &err), 0);
                struct bh_df_file *f = NULL;
                if (bh_df_parse(path, data, len, &f, &err) < 0)
                        fail_msg("%s", err.msg);
                /* every stage starts with FROM, and the dump round-trips */
                assert_true(f->ninstrs > 0);
                free(dump(f));
                bh_df_free(f);
                n++;
        }
        closedir(d);
        assert_int_equal(n, 168);
}

static void test_line_numbers(void **state)
{
        /* BuildKit's TestParseIncludesLineNumbers expectations */
        _cleanup_free_ char *path =
            shared_path("testdata/dockerfile-parser/testfile-line/Dockerfile");
        _cleanup_free_ char *data = NULL;
        size_t len;
        struct bh_error err = {0};
        if (bh_read_file(path, 1 << 20, &data, &len, &err) < 0) {
                free(bh_steal_ptr(&path)); /* skip() jumps over the cleanup */
                skip();
        }
        struct bh_df_file *f = NULL;
        assert_int_equal(bh_df_parse(path, data, len, &f, &err), 0);
        assert_int_equal(f->ninstrs, 3);
        unsigned want[3][2] = {{5, 5}, {11, 12}, {17, 31}};
        for (int i = 0; i < 3; i++) {
                assert_int_equal(f->instrs[i].start_line, want[i][0]);
                assert_int_equal(f->instrs[i].end_line, want[i][1]);
        }
        bh_df_free(f);
}

static void assert_pos(struct bh_df_file *f, size_t ofs, unsigned line, unsigned col)
{
        struct bh_df_pos p = bh_df_position(f, ofs);
        if (p.line != line || p.column != col)
                fail_msg("offset %zu is %u:%u, want %u:%u", ofs, p.line, p.column, line, col);
}

static void test_positions(void **state)
{
        struct bh_df_file *f = parse_ok("FROM alpine AS b\n"
                                        "RUN --mount=type=cache,target=/x apt-get update && \\\n"
                                        "    apt-get install -y \\\n"
                                        "      curl\n"
                                        "ENV A=1 \\\n"
                                        "  B=\"x y\"\n"
                                        "LABEL é=ü x=y\n");
        assert_int_equal(f->ninstrs, 4);
        const struct bh_df_instr *from = &f->instrs[0];
        assert_pos(f, from->args[2].start, 1, 16);
        const struct bh_df_instr *run = &f->instrs[1];
        assert_int_equal(run->nflags, 1);
        assert_string_equal(run->flags[0].value, "--mount=type=cache,target=/x");
        assert_pos(f, run->flags[0].start, 2, 5);
        assert_pos(f, run->flags[0].end, 2, 33);
        assert_pos(f, run->args[0].start, 2, 34);
        assert_pos(f, run->args[0].end, 4, 11);
        /* the logical offset of "curl" maps to line 4 */
        const char *curl = strstr(run->args[0].value, "curl");
        size_t lofs = run->rest_lofs + (size_t)(curl - run->args[0].value);
        assert_pos(f, bh_df_map(run, lofs), 4, 7);
        const struct bh_df_instr *env = &f->instrs[2];
        assert_int_equal(env->nargs, 6);
        assert_string_equal(env->args[3].value, "B");
        assert_pos(f, env->args[3].start, 6, 3);
        assert_pos(f, env->args[4].start, 6, 5);
        /* columns count characters, not bytes */
        const struct bh_df_instr *label = &f->instrs[3];
        assert_pos(f, label->args[3].start, 7, 11);
        bh_df_free(f);
}

static void test_heredocs(void **state)
{
        struct bh_df_file *f = parse_ok("FROM alpine\n"
                                        "COPY <<EOF /a\nhello\nEOF\n"
                                        "RUN <<-\"EOT\" bash\n\techo $x\n\tEOT\n"
                                        "RUN cat <<A <<'B' > /f\none\nA\ntwo\nB\n"
                                        "RUN [\"echo\", \"<<EOF\"]\n"
                                        "RUN echo '<<NOT' \"<<NOR\"\n"
                                        "ONBUILD RUN cat <<X\nbody\nX\n");
        assert_int_equal(f->ninstrs, 7);
        const struct bh_df_instr *copy = &f->instrs[1];
        assert_int_equal(copy->nheredocs, 1);
        assert_string_equal(copy->heredocs[0].name, "EOF");
        assert_string_equal(copy->heredocs[0].content, "hello\n");
        assert_true(copy->heredocs[0].expand);
        assert_int_equal(copy->end_line, 4);
        const struct bh_df_instr *run = &f->instrs[2];
        assert_int_equal(run->nheredocs, 1);
        assert_true(run->heredocs[0].chomp);
        assert_false(run->heredocs[0].expand);
        assert_string_equal(run->heredocs[0].content, "\techo $x\n");
        const struct bh_df_instr *two = &f->instrs[3];
        assert_int_equal(two->nheredocs, 2);
        assert_string_equal(two->heredocs[1].name, "B");
        assert_string_equal(two->heredocs[1].content, "two\n");
        assert_int_equal(two->start_line, 8);
        assert_int_equal(two->end_line, 12);
        assert_int_equal(f->instrs[4].nheredocs, 0); /* exec form has no heredocs */
        assert_int_equal(f->instrs[5].nheredocs, 0); /* quoted << is text */
        const struct bh_df_instr *ob = &f->instrs[6];
        assert_non_null(ob->sub);
        assert_int_equal(ob->sub->nheredocs, 1);
        assert_string_equal(ob->sub->heredocs[0].content, "body\n");
        bh_df_free(f);
        parse_fails("FROM a\nRUN <<EOF\nnever closed\n", 27, "unterminated heredoc");
}

static void test_directives(void **state)
{
        struct bh_df_file *f = parse_ok("# syntax=docker/dockerfile:1\n"
                                        "# escape=`\n"
                                        "# check=skip=JSONArgsRecommended\n"
                                        "FROM mcr.microsoft.com/windows/servercore\n"
                                        "RUN dir `\n"
                                        "  c:\\\n"
                                        "# escape=\\\n");
        assert_int_equal(f->escape, '`');
        assert_int_equal(f->ndirectives, 3);
        assert_string_equal(f->directives[2].name, "check");
        assert_string_equal(f->instrs[1].args[0].value, "dir   c:\\");
        bh_df_free(f);
        parse_fails("# escape=\\\n# escape=`\nFROM a\n", 29, "only one escape parser directive");
        parse_fails("# escape=x\nFROM a\n", 18, "invalid escape token");
        /* a BOM is skipped; a directive after a comment is a comment */
        f = parse_ok("\xEF\xBB\xBF# hello\n# escape=`\nFROM a\nRUN a \\\nb\n");
        assert_int_equal(f->escape, '\\');
        assert_string_equal(f->instrs[1].args[0].value, "a b");
        bh_df_free(f);
}

static void test_forms_and_flags(void **state)
{
        struct bh_df_file *f = parse_ok(
            "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n"
            "COPY --from=build --chown=1:1 --chmod=755 --link --parents --exclude=*.md a b /c/\n"
            "ADD --checksum=sha256:abc --keep-git-dir=true https://x/y /z\n"
            "RUN --mount=type=secret,id=t --network=none --security=insecure [\"a\", \"b\"]\n");
        bh_df_free(f);
        /* invalid JSON falls back to shell form; an array of non-strings is an error */
        parse_fails("FROM a\nCMD [\"a\", 1]\n", 19, "comprised of strings only");
        f = parse_ok("FROM a\nCMD [\"a\", \nRUN [ \"x\" ]  \t\n");
        assert_false(f->instrs[1].json);
        assert_true(f->instrs[2].json);
        assert_int_equal(f->instrs[2].nargs, 1);
        bh_df_free(f);
        /* BuildKit unmarshals the whole rest of the line: anything after the
         * array makes it shell form, kept as the literal text */
        f = parse_ok("FROM a\nENTRYPOINT [\"/e.sh\"] # start\nCMD [\"a\"] x\nCMD [\"a\"]]\n"
                     "RUN [\"a\", 1] x\nSHELL [\"sh\", \"-c\"] [\"x\"]\n");
        const char *literal[] = {"[\"/e.sh\"] # start", "[\"a\"] x", "[\"a\"]]", "[\"a\", 1] x",
                                 "[\"sh\", \"-c\"] [\"x\"]"};
        for (size_t i = 0; i < BH_ARRAY_SIZE(literal); i++) {
                assert_false(f->instrs[i + 1].json);
                assert_int_equal(f->instrs[i + 1].nargs, 1);
                assert_string_equal(f->instrs[i + 1].args[0].value, literal[i]);
        }
        bh_df_free(f);
        f = parse_ok("FROM --platform=linux/arm64 alpine:3 AS x\n"
                     "COPY --from=x --chown=\"a b\" /s /d\n");
        const struct bh_df_word *w = NULL;
        assert_string_equal(bh_df_flag(&f->instrs[0], "platform", &w), "linux/arm64");
        assert_non_null(w);
        assert_string_equal(bh_df_flag(&f->instrs[1], "chown", NULL), "a b");
        assert_null(bh_df_flag(&f->instrs[1], "chmod", NULL));
        bh_df_free(f);
}

static void test_hostile_input(void **state)
{
        parse_fails("FROM a\n\0RUN x\n", 14, "binary file");
        parse_fails("FROM a\nRUN \xff\n", 12, "invalid UTF-8");
        parse_fails("", 0, "no instructions");
        parse_fails("# only\n\n", 8, "no instructions");
        /* a 10 MB line: refused with its line number, not read into a parse */
        size_t big = 10u << 20;
        char *s = bh_xmalloc(big + 16);
        memcpy(s, "FROM a\nRUN ", 11);
        memset(s + 11, 'x', big);
        parse_fails(s, big + 11, "Dockerfile:2: line is");
        /* deeply nested ONBUILD */
        size_t n = 0;
        n += (size_t)sprintf(s, "FROM a\n");
        for (int i = 0; i < 5000; i++)
                n += (size_t)sprintf(s + n, "ONBUILD ");
        n += (size_t)sprintf(s + n, "RUN x\n");
        parse_fails(s, n, "ONBUILD ONBUILD ONBUILD");
        /* unterminated JSON is shell form, as in BuildKit */
        struct bh_df_file *f = parse_ok("FROM a\nCMD [\"a\", [[[[[[[[[[[[[[\n");
        assert_false(f->instrs[1].json);
        bh_df_free(f);
        /* deep JSON nesting does not recurse */
        n = (size_t)sprintf(s, "FROM a\nCMD ");
        for (int i = 0; i < 200000; i++)
                s[n++] = '[';
        struct bh_df_file *g = NULL;
        struct bh_error err = {0};
        assert_int_equal(bh_df_parse("Dockerfile", s, n, &g, &err), 0);
        bh_df_free(g);
        /* thousands of continuations make one instruction; too many are refused */
        n = (size_t)sprintf(s, "FROM a\nRUN a \\\n");
        for (int i = 0; i < 20000; i++)
                n += (size_t)sprintf(s + n, "  b%d \\\n", i);
        n += (size_t)sprintf(s + n, "  end\nUSER 1\n");
        assert_int_equal(bh_df_parse("Dockerfile", s, n, &g, &err), 0);
        assert_int_equal(g->ninstrs, 3);
        assert_int_equal(g->instrs[1].end_line, 20003);
        bh_df_free(g);
        free(s);
        s = bh_xmalloc(8u << 20);
        n = (size_t)sprintf(s, "FROM a\nRUN a \\\n");
        while (n < (7u << 20))
                n += (size_t)sprintf(s + n, "  bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb \\\n");
        parse_fails(s, n, "instruction is longer than");
        /* too many lines, too many instructions: refused before memory grows */
        n = (size_t)sprintf(s, "FROM a\n");
        while (n < 2100000)
                s[n++] = '\n';
        parse_fails(s, n, "more than 1000000 lines");
        n = (size_t)sprintf(s, "FROM a\n");
        for (int i = 0; i < 100001; i++)
                n += (size_t)sprintf(s + n, "USER %d\n", i);
        parse_fails(s, n, "more than 100000 instructions");
        free(s);
}

static void test_go_quote(void **state)
{
        struct bh_buf b = BH_BUF_INIT;
        bh_go_quote(&b, "a\"b\\c\n\t\x01\x7f\xc2\xa0\xe2\x99\xa5\xff", 15);
        assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\t\\x01\\x7f\\u00a0♥\\xff\"");
        bh_buf_free(&b);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_buildkit_positive_cases),
            cmocka_unit_test(test_buildkit_negative_cases),
            cmocka_unit_test(test_corpus_parses),
            cmocka_unit_test(test_line_numbers),
            cmocka_unit_test(test_positions),
            cmocka_unit_test(test_heredocs),
            cmocka_unit_test(test_directives),
            cmocka_unit_test(test_forms_and_flags),
            cmocka_unit_test(test_hostile_input),
            cmocka_unit_test(test_go_quote),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
