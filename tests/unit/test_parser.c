/* test_parser.c - the lemon grammar: AST shapes for the reference's
 * examples and every construct of the subset, error messages, recovery
 * (several errors per file, each once), and robustness on hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "parse_int.h"

typedef struct prun {
    jy_source src;
    jy_arena *arena;
    jy_diags d;
    fe_module *m;
    int rc;
} prun;

static prun *parse(const char *text, size_t len)
{
    prun *r = calloc(1, sizeof *r);
    assert_non_null(r);
    assert_int_equal(jy_source_from_memory(&r->src, "t.py", text, len), 0);
    r->arena = jy_arena_new();
    jy_diags_init(&r->d);
    r->rc = fe_parse(&r->src, r->arena, &r->d, &r->m);
    return r;
}

static prun *parses(const char *text)
{
    return parse(text, strlen(text));
}

static void done(prun *r)
{
    jy_arena_free(r->arena);
    jy_source_free(&r->src);
    jy_diags_free(&r->d);
    free(r);
}

static void show(prun *r)
{
    for (size_t i = 0; i < r->d.n; i++) {
        unsigned l, c;
        jy_source_linecol(&r->src, r->d.v[i].offset, &l, &c);
        print_message("  %u:%u %s: %s\n", l, c, r->d.v[i].code, r->d.v[i].message);
    }
}

static prun *parse_ok(const char *text)
{
    prun *r = parses(text);
    if (r->rc != 0 || r->d.nerrors)
        show(r);
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->d.nerrors, 0);
    assert_non_null(r->m);
    return r;
}

/* The n-th diagnostic is `code` at line:col with this message. */
static void assert_diag(prun *r, size_t i, const char *code, unsigned line, unsigned col,
                        const char *msg)
{
    if (i >= r->d.n)
        show(r);
    assert_true(i < r->d.n);
    unsigned l, c;
    jy_source_linecol(&r->src, r->d.v[i].offset, &l, &c);
    if (strcmp(r->d.v[i].code, code) != 0 || l != line || c != col ||
        (msg && strcmp(r->d.v[i].message, msg) != 0))
        show(r);
    assert_string_equal(r->d.v[i].code, code);
    assert_int_equal(l, line);
    assert_int_equal(c, col);
    if (msg)
        assert_string_equal(r->d.v[i].message, msg);
}

static const char *A1 =
    "\"\"\"Add users table.\"\"\"\n"
    "import joryu\n"
    "from joryu import op, types as t\n"
    "\n"
    "# JORYU-DOWN-HINT: none\n"
    "@joryu.migration(id=\"20260514T093000_add_users\")\n"
    "def upgrade():\n"
    "    op.create_table(\n"
    "        \"users\",\n"
    "        op.column(\"id\",    t.BigInt, primary_key=True, autoincrement=True),\n"
    "        op.column(\"email\", t.Text,   nullable=False, unique=True),\n"
    "        op.column(\"created_at\", t.Timestamp, server_default=op.func.now()),\n"
    "    )\n"
    "\n"
    "@joryu.downgrade\n"
    "def downgrade():\n"
    "    op.drop_table(\"users\")\n";

static void test_reference_a1(void **state)
{
    (void)state;
    prun *r = parse_ok(A1);
    fe_module *m = r->m;
    assert_int_equal(m->body.n, 5);
    assert_int_equal(m->ncomments, 1);
    /* docstring */
    assert_int_equal(m->body.v[0]->kind, FE_S_EXPR);
    assert_int_equal(m->body.v[0]->u.expr->kind, FE_E_STR);
    assert_string_equal(m->body.v[0]->u.expr->u.str.s, "Add users table.");
    /* import joryu */
    fe_stmt *s = m->body.v[1];
    assert_int_equal(s->kind, FE_S_IMPORT);
    assert_int_equal(s->u.import.n, 1);
    assert_string_equal(s->u.import.names[0].module, "joryu");
    assert_null(s->u.import.names[0].name);
    assert_null(s->u.import.names[0].alias);
    /* from joryu import op, types as t */
    s = m->body.v[2];
    assert_int_equal(s->kind, FE_S_FROM_IMPORT);
    assert_int_equal(s->u.import.n, 2);
    assert_string_equal(s->u.import.names[0].module, "joryu");
    assert_string_equal(s->u.import.names[0].name, "op");
    assert_null(s->u.import.names[0].alias);
    assert_string_equal(s->u.import.names[1].name, "types");
    assert_string_equal(s->u.import.names[1].alias, "t");
    /* the decorated upgrade */
    s = m->body.v[3];
    assert_int_equal(s->kind, FE_S_DEF);
    assert_string_equal(s->u.def.name, "upgrade");
    assert_int_equal(s->u.def.nparams, 0);
    assert_null(s->u.def.returns);
    assert_int_equal(s->u.def.ndecorators, 1);
    fe_expr *dec = s->u.def.decorators[0];
    assert_int_equal(dec->kind, FE_E_CALL);
    assert_int_equal(dec->u.call.fn->kind, FE_E_ATTR);
    assert_string_equal(dec->u.call.fn->u.attr.name, "migration");
    assert_int_equal(dec->u.call.fn->u.attr.obj->kind, FE_E_NAME);
    assert_string_equal(dec->u.call.fn->u.attr.obj->u.name.s, "joryu");
    assert_int_equal(dec->u.call.nargs, 1);
    assert_string_equal(dec->u.call.args[0].kw, "id");
    assert_string_equal(dec->u.call.args[0].value->u.str.s, "20260514T093000_add_users");
    unsigned l, c;
    jy_source_linecol(&r->src, s->start, &l, &c);
    assert_int_equal(l, 6); /* the def starts at its decorator */
    assert_int_equal(s->u.def.body.n, 1);
    fe_expr *call = s->u.def.body.v[0]->u.expr;
    assert_int_equal(call->kind, FE_E_CALL);
    assert_string_equal(call->u.call.fn->u.attr.name, "create_table");
    assert_int_equal(call->u.call.nargs, 4);
    fe_expr *col = call->u.call.args[1].value;
    assert_int_equal(col->kind, FE_E_CALL);
    assert_int_equal(col->u.call.nargs, 4);
    assert_string_equal(col->u.call.args[2].kw, "primary_key");
    assert_int_equal(col->u.call.args[2].value->kind, FE_E_TRUE);
    fe_expr *dflt = call->u.call.args[3].value->u.call.args[2].value;
    assert_int_equal(dflt->kind, FE_E_CALL);
    assert_int_equal(dflt->u.call.nargs, 0);
    /* argument positions point into the source */
    assert_memory_equal(r->src.text + col->u.call.args[2].kw_start, "primary_key", 11);
    /* the downgrade */
    s = m->body.v[4];
    assert_int_equal(s->u.def.ndecorators, 1);
    assert_int_equal(s->u.def.decorators[0]->kind, FE_E_ATTR);
    done(r);
}

static void test_dialect_branches_and_batch(void **state)
{
    (void)state;
    prun *r = parse_ok("def upgrade():\n"
                       "    d = op.dialect.name\n"
                       "    if op.dialect.name == \"postgresql\":\n"
                       "        op.execute(\"A\")\n"
                       "    elif op.dialect.name not in (\"mysql\", \"mariadb\"):\n"
                       "        pass\n"
                       "    elif d is not None: pass\n"
                       "    else:\n"
                       "        with op.batch(\"users\") as batch:\n"
                       "            batch.drop_column(\"x\")\n");
    fe_stmt *def = r->m->body.v[0];
    assert_int_equal(def->u.def.body.n, 2);
    assert_int_equal(def->u.def.body.v[0]->kind, FE_S_ASSIGN);
    assert_string_equal(def->u.def.body.v[0]->u.assign.target, "d");
    fe_stmt *i1 = def->u.def.body.v[1];
    assert_int_equal(i1->kind, FE_S_IF);
    assert_int_equal(i1->u.if_.cond->kind, FE_E_CMP);
    assert_int_equal(i1->u.if_.cond->u.bin.op, FE_CMP_EQ);
    assert_int_equal(i1->u.if_.orelse.n, 1);
    fe_stmt *i2 = i1->u.if_.orelse.v[0];
    assert_int_equal(i2->kind, FE_S_IF);
    assert_int_equal(i2->u.if_.cond->u.bin.op, FE_CMP_NOT_IN);
    assert_int_equal(i2->u.if_.cond->u.bin.rhs->kind, FE_E_TUPLE);
    assert_int_equal(i2->u.if_.cond->u.bin.rhs->u.seq.n, 2);
    fe_stmt *i3 = i2->u.if_.orelse.v[0];
    assert_int_equal(i3->u.if_.cond->u.bin.op, FE_CMP_IS_NOT);
    assert_int_equal(i3->u.if_.body.v[0]->kind, FE_S_PASS);
    assert_int_equal(i3->u.if_.orelse.n, 1);
    fe_stmt *w = i3->u.if_.orelse.v[0];
    assert_int_equal(w->kind, FE_S_WITH);
    assert_string_equal(w->u.with.as, "batch");
    assert_int_equal(w->u.with.body.n, 1);
    /* the whole chain spans to the end of the else */
    assert_true(i1->end == w->end);
    done(r);
}

static void test_expressions(void **state)
{
    (void)state;
    prun *r = parse_ok("A = not a == b or c and -d\n"
                       "B = (1,)\n"
                       "C = ()\n"
                       "D = (1)\n"
                       "E = [1, 2.5, 'x',]\n"
                       "F = {'a': None, 'b': [True, False],}\n"
                       "G = f(1, k=2, *x, **y,)\n"
                       "H = 'a' \"b\" '''c'''\n"
                       "I = a is b\n"
                       "J = x in (1, 2, 3,)\n"
                       "K = {}\n"
                       "L = ...\n");
    fe_stmt **v = r->m->body.v;
    assert_int_equal(r->m->body.n, 12);
    fe_expr *e = v[0]->u.assign.value;
    assert_int_equal(e->kind, FE_E_OR);
    assert_int_equal(e->u.bin.lhs->kind, FE_E_NOT);
    assert_int_equal(e->u.bin.lhs->u.operand->kind, FE_E_CMP);
    assert_int_equal(e->u.bin.rhs->kind, FE_E_AND);
    assert_int_equal(e->u.bin.rhs->u.bin.rhs->kind, FE_E_NEG);
    e = v[1]->u.assign.value;
    assert_int_equal(e->kind, FE_E_TUPLE);
    assert_int_equal(e->u.seq.n, 1);
    assert_int_equal(v[2]->u.assign.value->kind, FE_E_TUPLE);
    assert_int_equal(v[2]->u.assign.value->u.seq.n, 0);
    assert_int_equal(v[3]->u.assign.value->kind, FE_E_INT);
    assert_int_equal(v[3]->u.assign.value->u.i, 1);
    e = v[4]->u.assign.value;
    assert_int_equal(e->kind, FE_E_LIST);
    assert_int_equal(e->u.seq.n, 3);
    assert_int_equal(e->u.seq.items[1]->kind, FE_E_FLOAT);
    assert_true(e->u.seq.items[1]->u.f == 2.5);
    e = v[5]->u.assign.value;
    assert_int_equal(e->kind, FE_E_DICT);
    assert_int_equal(e->u.dict.n, 2);
    assert_string_equal(e->u.dict.keys[1]->u.str.s, "b");
    assert_int_equal(e->u.dict.vals[1]->kind, FE_E_LIST);
    e = v[6]->u.assign.value;
    assert_int_equal(e->u.call.nargs, 4);
    assert_null(e->u.call.args[0].kw);
    assert_string_equal(e->u.call.args[1].kw, "k");
    assert_int_equal(e->u.call.args[2].star, 1);
    assert_int_equal(e->u.call.args[3].star, 2);
    e = v[7]->u.assign.value;
    assert_int_equal(e->kind, FE_E_STR);
    assert_string_equal(e->u.str.s, "abc");
    assert_int_equal(e->u.str.len, 3);
    assert_int_equal(v[8]->u.assign.value->u.bin.op, FE_CMP_IS);
    assert_int_equal(v[9]->u.assign.value->u.bin.op, FE_CMP_IN);
    assert_int_equal(v[10]->u.assign.value->kind, FE_E_DICT);
    assert_int_equal(v[10]->u.assign.value->u.dict.n, 0);
    assert_int_equal(v[11]->u.assign.value->kind, FE_E_ELLIPSIS);
    done(r);
}

static void test_statements(void **state)
{
    (void)state;
    prun *r = parse_ok("import a.b as c, d\n"
                       "from x.y import (p as q,\n    r,\n)\n"
                       "def f(a, b,) -> t.Int: ...\n"
                       "def g(): pass; pass\n"
                       "def h():\n    def inner(conn):\n        conn.execute(1)\n    op.run_python(inner)\n"
                       "x = 1; y = 2;\n");
    fe_stmt **v = r->m->body.v;
    assert_int_equal(r->m->body.n, 7);
    assert_int_equal(v[0]->u.import.n, 2);
    assert_string_equal(v[0]->u.import.names[0].module, "a.b");
    assert_string_equal(v[0]->u.import.names[0].alias, "c");
    assert_string_equal(v[0]->u.import.names[1].module, "d");
    assert_int_equal(v[1]->u.import.n, 2);
    assert_string_equal(v[1]->u.import.names[0].module, "x.y");
    assert_string_equal(v[1]->u.import.names[0].name, "p");
    assert_string_equal(v[1]->u.import.names[0].alias, "q");
    assert_string_equal(v[1]->u.import.names[1].module, "x.y");
    assert_int_equal(v[2]->u.def.nparams, 2);
    assert_string_equal(v[2]->u.def.params[1].name, "b");
    assert_non_null(v[2]->u.def.returns);
    assert_int_equal(v[2]->u.def.body.n, 1);
    assert_int_equal(v[2]->u.def.body.v[0]->u.expr->kind, FE_E_ELLIPSIS);
    assert_int_equal(v[3]->u.def.body.n, 2);
    assert_int_equal(v[4]->u.def.body.n, 2);
    assert_int_equal(v[4]->u.def.body.v[0]->kind, FE_S_DEF); /* nested: sema rejects it */
    assert_int_equal(v[5]->kind, FE_S_ASSIGN);
    assert_int_equal(v[6]->kind, FE_S_ASSIGN);
    done(r);
    /* dotted names as written, whatever separates their parts */
    r = parse_ok("import a . b \\\n  .c\nfrom x .y import z\n");
    assert_string_equal(r->m->body.v[0]->u.import.names[0].module, "a.b.c");
    assert_string_equal(r->m->body.v[1]->u.import.names[0].module, "x.y");
    assert_string_equal(r->m->body.v[1]->u.import.names[0].name, "z");
    done(r);
}

static void test_empty_and_comments(void **state)
{
    (void)state;
    prun *r = parse_ok("");
    assert_int_equal(r->m->body.n, 0);
    done(r);
    r = parse_ok("# a\n\n# JORYU-DOWN-HINT: x\n");
    assert_int_equal(r->m->body.n, 0);
    assert_int_equal(r->m->ncomments, 2);
    done(r);
}

static void test_syntax_messages(void **state)
{
    (void)state;
    struct {
        const char *text, *code;
        unsigned line, col;
        const char *msg;
    } cases[] = {
        {"def f():\n    for x in y:\n        pass\n", "parse.python-logic", 2, 5,
         "'for' loops are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)"},
        {"x = a + 1\n", "parse.python-operator", 1, 7,
         "the '+' operator is Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)"},
        {"x = 1\n    y = 2\n", "parse.unexpected-indent", 2, 5, "unexpected indent"},
        {"def f():\npass\n", "parse.expected-block", 2, 1,
         "expected an indented block after 'def' on line 1"},
        {"if x:\n\nx = 1\n", "parse.expected-block", 3, 1,
         "expected an indented block after 'if' on line 1"},
        {"def f():", "parse.expected-block", 1, 9,
         "expected an indented block after 'def' on line 1"},
        {"def f()\n    pass\n", "parse.expected", 1, 8, "expected ':', found end of line"},
        {"f(a,\n  b\ny = 2\n", "parse.unclosed-bracket", 3, 1,
         "expected ')' to close '(' at 1:2"},
        {"f(a b)\n", "parse.expected", 1, 5, "expected ',' or ')', found 'b'"},
        {"x = [1 2]\n", "parse.expected", 1, 8, "expected ',' or ']', found '2'"},
        {"import\n", "parse.expected", 1, 7, "expected a name, found end of line"},
        {"from a b\n", "parse.expected", 1, 8, "expected 'import', found 'b'"},
        {"@dec\n", "parse.unexpected-eof", 2, 1, "unexpected end of file"},
        {"@dec\nx = 1\n", "parse.expected", 2, 1, "expected 'def' after the decorator, found 'x'"},
        {"a.b = 1\n", "parse.assign-target", 1, 1,
         "cannot assign to an attribute; joryuc accepts only `NAME = value`"},
        {"x =\n", "parse.unexpected-eol", 1, 4,
         "unexpected end of line: the statement is incomplete"},
        {"else:\n    pass\n", "parse.syntax", 1, 1, "invalid syntax near 'else'"},
        {"x = T[0]\n", "parse.python-logic", 1, 6,
         "subscripts and slices are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)"},
        {"match x:\n    case 1:\n        pass\n", "parse.python-logic", 1, 1,
         "'match' statements are Python logic; joryuc compiles a declarative subset (see docs/SPEC.md)"},
        {"try:\n    pass\nexcept E:\n    pass\n", "parse.python-logic", 1, 1, NULL},
        {"x = lambda: 1\n", "parse.python-logic", 1, 5, NULL},
    };
    for (size_t i = 0; i < JY_COUNTOF(cases); i++) {
        print_message("case %zu\n", i);
        prun *r = parses(cases[i].text);
        assert_int_equal(r->rc, -1);
        if (r->d.nerrors != 1)
            show(r);
        assert_int_equal(r->d.nerrors, 1);
        assert_diag(r, 0, cases[i].code, cases[i].line, cases[i].col, cases[i].msg);
        done(r);
    }
    /* `match` stays an ordinary name */
    prun *r = parse_ok("match = 1\ncase = match\n");
    done(r);
}

static void test_recovery(void **state)
{
    (void)state;
    /* three broken statements, each reported once; the good ones survive */
    prun *r = parses("def upgrade():\n"
                     "    op.a(1 2)\n"
                     "    op.b()\n"
                     "    op.c(,)\n"
                     "    x = = 1\n"
                     "    op.d()\n"
                     "def downgrade()\n"
                     "    op.e()\n"
                     "y = 1\n");
    assert_int_equal(r->rc, -1);
    if (r->d.nerrors != 4)
        show(r);
    assert_int_equal(r->d.nerrors, 4);
    assert_diag(r, 0, "parse.expected", 2, 12, NULL);
    assert_diag(r, 1, "parse.syntax", 4, 10, NULL);
    assert_diag(r, 2, "parse.syntax", 5, 9, NULL);
    assert_diag(r, 3, "parse.expected", 7, 16, NULL);
    /* the partial module: upgrade with error statements, the broken header
     * as one error statement, and the constant after it */
    assert_non_null(r->m);
    assert_int_equal(r->m->body.n, 3);
    fe_stmt *up = r->m->body.v[0];
    assert_int_equal(up->kind, FE_S_DEF);
    assert_int_equal(up->u.def.body.n, 5);
    assert_int_equal(up->u.def.body.v[0]->kind, FE_S_ERROR);
    assert_int_equal(up->u.def.body.v[1]->kind, FE_S_EXPR);
    assert_int_equal(up->u.def.body.v[4]->kind, FE_S_EXPR);
    assert_int_equal(r->m->body.v[1]->kind, FE_S_ERROR);
    assert_int_equal(r->m->body.v[2]->kind, FE_S_ASSIGN);
    done(r);

    /* a lexer error is not reported again by the parser */
    r = parses("x = f('abc)\ny = $\nz = 1\n");
    assert_int_equal(r->d.nerrors, 2);
    assert_string_equal(r->d.v[0].code, "lex.unterminated-string");
    assert_string_equal(r->d.v[1].code, "lex.illegal-char");
    assert_int_equal(r->m->body.v[r->m->body.n - 1]->kind, FE_S_ASSIGN);
    done(r);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    size_t n = 10000;
    char *text = malloc(4 * n + 16);
    /* 10,000 nested brackets: one error from the lexer */
    size_t k = 0;
    memcpy(text, "x = ", 4);
    k = 4;
    for (size_t i = 0; i < n; i++)
        text[k++] = "([{"[i % 3];
    for (size_t i = n; i-- > 0;)
        text[k++] = ")]}"[i % 3];
    text[k++] = '\n';
    prun *r = parse(text, k);
    assert_int_equal(r->rc, -1);
    assert_int_equal(r->d.nerrors, 1);
    assert_string_equal(r->d.v[0].code, "lex.too-deep");
    done(r);
    /* a unary chain deeper than the parser stack: one error */
    memcpy(text, "x = ", 4);
    memset(text + 4, '-', 4 * n);
    memcpy(text + 4 + 4 * n, "1\n", 2);
    r = parse(text, 4 * n + 6);
    assert_int_equal(r->rc, -1);
    assert_int_equal(r->d.nerrors, 1);
    assert_string_equal(r->d.v[0].code, "parse.too-deep");
    done(r);
    /* many sibling statements and long adjacent-string runs are fine */
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_puts(&b, "def upgrade():\n");
    for (int i = 0; i < 2000; i++)
        jy_buf_printf(&b, "    op.execute(\"a\" 'b' \"c%d\")\n", i);
    jy_buf_puts(&b, "X = (");
    for (int i = 0; i < 5000; i++)
        jy_buf_puts(&b, "'x' ");
    jy_buf_puts(&b, ")\n");
    r = parse(b.data, b.len);
    assert_int_equal(r->rc, 0);
    assert_int_equal(r->m->body.v[0]->u.def.body.n, 2000);
    assert_int_equal(r->m->body.v[1]->u.assign.value->u.str.len, 5000);
    done(r);
    jy_buf_free(&b);
    free(text);
}

/* Hostile input: random bytes and random token soup never crash, always
 * end, and a failed parse always leaves at least one error. */
static void test_random_input(void **state)
{
    (void)state;
    static const char *const frags[] = {
        "(", ")", "[", "]", "{", "}", ",", ":", ".", "=", "==", "@", "*", "**", "-", "def ",
        "if ", "elif ", "else", "with ", " as ", "pass", "import ", "from ", "not ", " in ",
        " is ", "x", "op", "'s'", "\"\"\"t", "1", "1.5", "\n", "\n    ", "\n        ", "\t",
        "\\\n", "#c\n", "for ", "return", "+", "f'", "\r\n", "\xff", "...", ";", "lambda",
    };
    uint64_t seed = 0x9E3779B97F4A7C15u;
    char buf[512];
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = 0;
        int parts = (int)(seed % 60);
        for (int i = 0; i < parts; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            if (iter % 3 == 0) {
                buf[n++] = (char)(seed >> 56);
            } else {
                const char *f = frags[(seed >> 33) % JY_COUNTOF(frags)];
                size_t fl = strlen(f);
                if (n + fl >= sizeof buf)
                    break;
                memcpy(buf + n, f, fl);
                n += fl;
            }
        }
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        prun *r = parse(buf, n);
        if (r->rc != 0)
            assert_true(r->d.nerrors > 0);
        else
            assert_int_equal(r->d.nerrors, 0);
        done(r);
    }
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    jy_buf b;
    jy_buf_init(&b);
    char tmp[4096];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        jy_buf_append(&b, tmp, k);
    fclose(f);
    return jy_buf_take(&b);
}

/* Every lex.* / parse.* code in the sources is documented in
 * docs/SPEC.md (as `code` in its table). */
static void test_codes_documented(void **state)
{
    (void)state;
    char *doc = slurp(JORYU_SRC "/docs/SPEC.md");
    const char *srcs[] = {JORYU_SRC "/grammar/lexer.re", JORYU_SRC "/frontend/parse.c"};
    size_t found = 0;
    for (size_t i = 0; i < JY_COUNTOF(srcs); i++) {
        char *text = slurp(srcs[i]);
        for (char *p = text; (p = strchr(p, '"')) != NULL; p++) {
            if (strncmp(p + 1, "lex.", 4) != 0 && strncmp(p + 1, "parse.", 6) != 0)
                continue;
            char *e = p + 1;
            while ((*e >= 'a' && *e <= 'z') || *e == '.' || *e == '-' || (*e >= '0' && *e <= '9'))
                e++;
            if (*e != '"')
                continue;
            char code[80];
            snprintf(code, sizeof code, "`%.*s`", (int)(e - p - 1), p + 1);
            if (!strstr(doc, code))
                print_error("%s is not documented in docs/SPEC.md\n", code);
            assert_non_null(strstr(doc, code));
            found++;
        }
        free(text);
    }
    assert_true(found >= 30);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_a1),
        cmocka_unit_test(test_dialect_branches_and_batch),
        cmocka_unit_test(test_expressions),
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_empty_and_comments),
        cmocka_unit_test(test_syntax_messages),
        cmocka_unit_test(test_recovery),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_random_input),
        cmocka_unit_test(test_codes_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
