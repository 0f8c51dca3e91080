/* test_lexer.c - the re2c lexer: token streams, INDENT/DEDENT, strings,
 * numbers, line ends, comments, and each lexical error reported once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "parse_int.h"
#include "parser.h"

static const char *tk_name(int t)
{
    switch (t) {
    case 0: return "EOF";
    case TK_NEWLINE: return "NL";
    case TK_INDENT: return "IN";
    case TK_DEDENT: return "DE";
    case TK_NAME: return "NAME";
    case TK_STRING: return "STR";
    case TK_INTEGER: return "INT";
    case TK_FLOAT: return "FLOAT";
    case TK_LPAREN: return "(";
    case TK_RPAREN: return ")";
    case TK_LBRACKET: return "[";
    case TK_RBRACKET: return "]";
    case TK_LBRACE: return "{";
    case TK_RBRACE: return "}";
    case TK_COMMA: return ",";
    case TK_COLON: return ":";
    case TK_DOT: return ".";
    case TK_SEMI: return ";";
    case TK_EQ: return "=";
    case TK_EQEQ: return "==";
    case TK_NE: return "!=";
    case TK_ARROW: return "->";
    case TK_AT: return "@";
    case TK_STAR: return "*";
    case TK_DOUBLESTAR: return "**";
    case TK_MINUS: return "-";
    case TK_ELLIPSIS: return "...";
    case TK_IMPORT: return "import";
    case TK_FROM: return "from";
    case TK_AS: return "as";
    case TK_DEF: return "def";
    case TK_IF: return "if";
    case TK_ELIF: return "elif";
    case TK_ELSE: return "else";
    case TK_WITH: return "with";
    case TK_PASS: return "pass";
    case TK_TRUE: return "True";
    case TK_FALSE: return "False";
    case TK_NONE: return "None";
    case TK_AND: return "and";
    case TK_OR: return "or";
    case TK_NOT: return "not";
    case TK_IN: return "in";
    case TK_IS: return "is";
    case TK_ISNOT: return "isnot";
    case TK_PYKW: return "PYKW";
    case TK_PYOP: return "PYOP";
    case TK_ILLEGAL: return "ILLEGAL";
    default: return "?";
    }
}

/* One lexing run: the token names joined by spaces, the tokens, the diags. */
typedef struct run {
    jy_source src;
    jy_arena *arena;
    jy_diags d;
    fe_lexer *lx;
    char names[8192];
    fe_token toks[512];
    size_t n;
} run;

static run *lex(const char *text, size_t len)
{
    run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(jy_source_from_memory(&r->src, "t.py", text, len), 0);
    r->arena = jy_arena_new();
    jy_diags_init(&r->d);
    r->lx = fe_lexer_new(&r->src, r->arena, &r->d);
    assert_non_null(r->lx);
    size_t used = 0;
    for (;;) {
        fe_token t;
        int k = fe_lexer_next(r->lx, &t);
        if (r->n < JY_COUNTOF(r->toks))
            r->toks[r->n++] = t;
        used += (size_t)snprintf(r->names + used, sizeof r->names - used, "%s%s",
                                 used ? " " : "", tk_name(k));
        assert_true(used < sizeof r->names);
        if (k == 0)
            break;
    }
    return r;
}

static run *lexs(const char *text)
{
    return lex(text, strlen(text));
}

static void done(run *r)
{
    fe_lexer_free(r->lx);
    jy_arena_free(r->arena);
    jy_source_free(&r->src);
    jy_diags_free(&r->d);
    free(r);
}

/* The one error's code and 1-based line:col. */
static void assert_one_error(run *r, const char *code, unsigned line, unsigned col)
{
    size_t errors = 0;
    for (size_t i = 0; i < r->d.n; i++)
        if (r->d.v[i].sev == JY_SEV_ERROR)
            errors++;
    if (errors != 1) {
        for (size_t i = 0; i < r->d.n; i++)
            print_message("diag %s: %s\n", r->d.v[i].code, r->d.v[i].message);
    }
    assert_int_equal(errors, 1);
    assert_string_equal(r->d.v[0].code, code);
    unsigned l, c;
    jy_source_linecol(&r->src, r->d.v[0].offset, &l, &c);
    assert_int_equal(l, line);
    assert_int_equal(c, col);
}

static void test_blocks(void **state)
{
    (void)state;
    run *r = lexs("def f():\n    if x:\n        pass\n    pass\n");
    assert_string_equal(r->names, "def NAME ( ) : NL IN if NAME : NL IN pass NL DE pass NL DE EOF");
    assert_int_equal(r->d.n, 0);
    done(r);
    /* no final newline: NEWLINE and every DEDENT still come */
    r = lexs("def f():\n    if x:\n        pass");
    assert_string_equal(r->names, "def NAME ( ) : NL IN if NAME : NL IN pass NL DE DE EOF");
    done(r);
    /* tabs only: consistent, fine */
    r = lexs("def f():\n\tif a:\n\t\tpass\n");
    assert_string_equal(r->names, "def NAME ( ) : NL IN if NAME : NL IN pass NL DE DE EOF");
    assert_int_equal(r->d.n, 0);
    done(r);
}

static void test_blank_and_comment_lines(void **state)
{
    (void)state;
    run *r = lexs("# head\n\nx = 1  # trailing\ndef f():\n    a\n  # odd comment\n\n\n    b\n");
    assert_string_equal(r->names, "NAME = INT NL def NAME ( ) : NL IN NAME NL NAME NL DE EOF");
    size_t n;
    const fe_comment *c = fe_lexer_comments(r->lx, &n);
    assert_int_equal(n, 3);
    assert_int_equal(c[0].start, 0);
    assert_int_equal(c[0].end, 6);
    assert_memory_equal(r->src.text + c[1].start, "# trailing", 10);
    assert_memory_equal(r->src.text + c[2].start, "# odd comment", 13);
    done(r);
    r = lexs("");
    assert_string_equal(r->names, "EOF");
    done(r);
    r = lexs("# only a comment");
    assert_string_equal(r->names, "EOF");
    done(r);
}

static void test_line_joining(void **state)
{
    (void)state;
    run *r = lexs("f(a,\n\n  # c\n      b)\nx = 1 + \\\n  2\n");
    assert_string_equal(r->names, "NAME ( NAME , NAME ) NL NAME = INT PYOP INT NL EOF");
    assert_int_equal(r->d.n, 0);
    done(r);
}

static void test_line_ends(void **state)
{
    (void)state;
    run *r = lexs("def f():\r\n    pass\r\nx = 1\r\n");
    assert_string_equal(r->names, "def NAME ( ) : NL IN pass NL DE NAME = INT NL EOF");
    done(r);
    r = lexs("def f():\r    pass\rx = 1\r");
    assert_string_equal(r->names, "def NAME ( ) : NL IN pass NL DE NAME = INT NL EOF");
    done(r);
    /* a byte order mark is skipped */
    r = lexs("\xEF\xBB\xBFx = 1\n");
    assert_string_equal(r->names, "NAME = INT NL EOF");
    done(r);
}

static void test_strings(void **state)
{
    (void)state;
    run *r = lexs("x = 'a' \"b\" '''c\"d\r\ne''' \"\"\"f\"\"\" '' r'\\d\\'' R\"\\n\" u'g'\n");
    assert_string_equal(r->names, "NAME = STR STR STR STR STR STR STR STR NL EOF");
    assert_string_equal(r->toks[2].str, "a");
    assert_string_equal(r->toks[3].str, "b");
    assert_string_equal(r->toks[4].str, "c\"d\ne");
    assert_string_equal(r->toks[5].str, "f");
    assert_int_equal(r->toks[6].len, 0);
    assert_string_equal(r->toks[7].str, "\\d\\'");
    assert_true(r->toks[7].raw);
    assert_string_equal(r->toks[8].str, "\\n");
    assert_string_equal(r->toks[9].str, "g");
    assert_int_equal(r->d.n, 0);
    done(r);
}

static void test_escapes(void **state)
{
    (void)state;
    run *r = lexs("x = \"\\n\\t\\\\\\'\\\"\\x41\\u00e9\\U0001F600\\101\\7\\\nz\"\n");
    assert_string_equal(r->names, "NAME = STR NL EOF");
    assert_string_equal(r->toks[2].str, "\n\t\\'\"A\xC3\xA9\xF0\x9F\x98\x80" "A\x07z");
    assert_int_equal(r->d.n, 0);
    done(r);
    /* UTF-8 passes through */
    r = lexs("x = \"caf\xC3\xA9 \xE6\x97\xA5\"\n");
    assert_string_equal(r->toks[2].str, "caf\xC3\xA9 \xE6\x97\xA5");
    assert_int_equal(r->d.n, 0);
    done(r);
    /* an unknown escape is kept, with a warning (as Python does) */
    r = lexs("x = \"\\d\"\n");
    assert_string_equal(r->toks[2].str, "\\d");
    assert_int_equal(r->d.n, 1);
    assert_int_equal(r->d.nerrors, 0);
    assert_string_equal(r->d.v[0].code, "lex.unknown-escape");
    done(r);
}

static void test_numbers(void **state)
{
    (void)state;
    run *r = lexs("a = 10_000 0x_FF 0o17 0b1_01 0 00 9223372036854775807 1.5 1e3 1_000.5 .5 2. 1E-2\n");
    assert_string_equal(r->names,
                        "NAME = INT INT INT INT INT INT INT FLOAT FLOAT FLOAT FLOAT FLOAT FLOAT NL EOF");
    assert_int_equal(r->toks[2].ival, 10000);
    assert_int_equal(r->toks[3].ival, 255);
    assert_int_equal(r->toks[4].ival, 15);
    assert_int_equal(r->toks[5].ival, 5);
    assert_int_equal(r->toks[6].ival, 0);
    assert_int_equal(r->toks[7].ival, 0);
    assert_true(r->toks[8].ival == INT64_MAX);
    assert_true(r->toks[9].fval == 1.5);
    assert_true(r->toks[10].fval == 1000.0);
    assert_true(r->toks[11].fval == 1000.5);
    assert_true(r->toks[12].fval == 0.5);
    assert_true(r->toks[13].fval == 2.0);
    assert_true(r->toks[14].fval == 0.01);
    assert_int_equal(r->d.n, 0);
    done(r);
    r = lexs("a = 9223372036854775808\n");
    assert_string_equal(r->names, "NAME = ILLEGAL NL EOF");
    assert_one_error(r, "lex.int-overflow", 1, 5);
    done(r);
}

static void test_keywords_and_operators(void **state)
{
    (void)state;
    run *r = lexs("iffy if is not isnot is nothing not in notx None True False and or "
                  "for while return class lambda\n");
    assert_string_equal(r->names, "NAME if isnot NAME is NAME not in NAME None True False and "
                                  "or PYKW PYKW PYKW PYKW PYKW NL EOF");
    done(r);
    r = lexs("a.b(c=-1, *d, **e) -> f == g != h @ ... + < >= += ; :\n");
    assert_string_equal(r->names, "NAME . NAME ( NAME = - INT , * NAME , ** NAME ) -> NAME == "
                                  "NAME != NAME @ ... PYOP PYOP PYOP PYOP ; : NL EOF");
    assert_int_equal(r->d.n, 0);
    done(r);
}

static void test_positions(void **state)
{
    (void)state;
    run *r = lexs("x = \"ab\"\n");
    assert_int_equal(r->toks[0].start, 0);
    assert_int_equal(r->toks[0].end, 1);
    assert_int_equal(r->toks[2].start, 4);
    assert_int_equal(r->toks[2].end, 8);
    assert_int_equal(r->toks[3].start, 8); /* NEWLINE sits at the line end */
    done(r);
}

static void test_errors(void **state)
{
    (void)state;
    struct {
        const char *text, *code;
        unsigned line, col;
    } cases[] = {
        {"x = 'abc\ny = 1\n", "lex.unterminated-string", 1, 5},
        {"x = f('abc)\ny = 1\n", "lex.unterminated-string", 1, 7},
        {"x = 1\ny = '''abc\n\n", "lex.unterminated-string", 2, 5},
        {"def f():\n    a\n\tb\n", "lex.tab-space", 3, 1},
        {"def f():\n \ta\n", "lex.tab-space", 2, 1},
        {"def f():\n    a\n  b\n", "lex.bad-dedent", 3, 3},
        {"x = $ $ ?\n", "lex.illegal-char", 1, 5},
        {"x = \xE2\x80\x9Cy\xE2\x80\x9D\n", "lex.illegal-char", 1, 5},
        {"x = \xFF\n", "lex.invalid-utf8", 1, 5},
        {"x = 'a\xC0\xAF" "b'\n", "lex.invalid-utf8", 1, 7},
        {"# \xFE\n", "lex.invalid-utf8", 1, 3},
        {"x = 1)\n", "lex.unmatched-bracket", 1, 6},
        {"x = [1, 2)\n", "lex.mismatched-bracket", 1, 10},
        {"x = f([1, 2)\n", "lex.mismatched-bracket", 1, 12},
        {"x = (1,\n  2\n", "lex.unclosed-bracket", 1, 5},
        {"x = 1 \\ 2\n", "lex.stray-backslash", 1, 7},
        {"x = 1 \\", "lex.stray-backslash", 1, 7},
        {"x = f'a{b}'\n", "lex.fstring", 1, 5},
        {"x = b'a'\n", "lex.bytes", 1, 5},
        {"x = Rb'a'\n", "lex.bytes", 1, 5},
        {"x = ub'a'\n", "lex.string-prefix", 1, 5},
        {"x = 012\n", "lex.bad-number", 1, 5},
        {"x = 1j\n", "lex.bad-number", 1, 5},
        {"x = 1_\n", "lex.bad-number", 1, 5},
        {"x = 0x\n", "lex.bad-number", 1, 5},
        {"x = 1e999\n", "lex.float-range", 1, 5},
        {"x = '\\x4'\n", "lex.bad-escape", 1, 6},
        {"x = '\\u12'\n", "lex.bad-escape", 1, 6},
        {"x = '\\N{BULLET}'\n", "lex.bad-escape", 1, 6},
        {"x = '\\400'\n", "lex.bad-escape", 1, 6},
        {"x = '\\U00110000'\n", "lex.bad-escape", 1, 6},
        {"x = '\\ud800'\n", "lex.bad-escape", 1, 6},
        {"x = '\\0'\n", "lex.bad-escape", 1, 6},
    };
    for (size_t i = 0; i < JY_COUNTOF(cases); i++) {
        print_message("case %zu: %s\n", i, cases[i].code);
        run *r = lexs(cases[i].text);
        assert_one_error(r, cases[i].code, cases[i].line, cases[i].col);
        assert_true(fe_lexer_nerrors(r->lx) >= 1);
        done(r);
    }
}

static void test_nul_byte(void **state)
{
    (void)state;
    run *r = lex("x = 1\0\ny = 'a\0b'\n", 17);
    size_t nul = 0;
    for (size_t i = 0; i < r->d.n; i++)
        if (strcmp(r->d.v[i].code, "lex.nul-byte") == 0)
            nul++;
    assert_int_equal(nul, 2);
    done(r);
}

static void test_nesting_limit(void **state)
{
    (void)state;
    size_t n = 10000;
    char *text = malloc(2 * n + 8);
    memcpy(text, "x = ", 4);
    memset(text + 4, '(', n);
    memset(text + 4 + n, ')', n);
    text[4 + 2 * n] = '\n';
    run *r = lex(text, 4 + 2 * n + 1);
    assert_one_error(r, "lex.too-deep", 1, 5 + FE_MAX_NESTING);
    free(text);
    done(r);

    /* indentation deeper than FE_MAX_INDENT */
    jy_buf b;
    jy_buf_init(&b);
    for (int i = 0; i <= FE_MAX_INDENT + 1; i++) {
        for (int k = 0; k < i; k++)
            jy_buf_puts(&b, " ");
        jy_buf_puts(&b, "if x:\n");
    }
    r = lex(b.data, b.len);
    assert_one_error(r, "lex.too-deep", FE_MAX_INDENT + 2, FE_MAX_INDENT + 2);
    jy_buf_free(&b);
    done(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_blank_and_comment_lines),
        cmocka_unit_test(test_line_joining),
        cmocka_unit_test(test_line_ends),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_keywords_and_operators),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_nesting_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
