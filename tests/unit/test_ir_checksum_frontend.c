/*
 * test_ir_checksum_frontend.c - the semantic checksum through the real
 * compiler (fe_compile_memory): the same after reformatting, re-quoting,
 * reordering keyword arguments, positional vs keyword form, explicit
 * defaults, editing comments, the docstring or tags; different after
 * changing any argument, adding an op, changing a type or depends_on.  The
 * downgrade changes down_checksum only.  Also: the dump of a compiled file
 * has the spans of the source.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"

#define NAME "20260102T000000_users.py"

static const char BASE[] =
    "\"\"\"Users.\"\"\"\n"
    "import joryu\n"
    "from joryu import op, types as t\n"
    "\n"
    "\n"
    "@joryu.migration(id=\"20260102T000000_users\",\n"
    "                 depends_on=[\"20260101T000000_a\", \"20260101T000001_b\"], tags=[\"x\"])\n"
    "def upgrade():\n"
    "    # create the table\n"
    "    op.create_table(\n"
    "        \"users\",\n"
    "        op.column(\"id\", t.BigInt, primary_key=True),\n"
    "        op.column(\"email\", t.String(255), nullable=False, unique=True),\n"
    "    )\n"
    "    op.add_column(\"users\", \"nick\", t.Text)\n"
    "    op.execute({\"postgresql\": \"SELECT 1\", \"default\": \"SELECT 2\"})\n"
    "\n"
    "\n"
    "@joryu.downgrade\n"
    "def downgrade():\n"
    "    op.drop_table(\"users\")\n";

/* The same migration, written differently. */
static const char *const SAME[] = {
    /* reformatted, comments and docstring edited, tags changed, trailing commas */
    "\"\"\"Users, with a longer docstring.\n\nSecond paragraph.\n\"\"\"\n"
    "import joryu\n"
    "from joryu import op, types as t\n"
    "@joryu.migration(id=\"20260102T000000_users\", depends_on=[\"20260101T000000_a\", \"20260101T000001_b\"], tags=[\"y\", \"z\"])\n"
    "def upgrade():\n"
    "    op.create_table(\"users\", op.column(\"id\", t.BigInt, primary_key=True), op.column(\"email\", t.String(255), nullable=False, unique=True))\n"
    "    # a comment\n"
    "    op.add_column(\"users\",\n"
    "                  \"nick\",\n"
    "                  t.Text,)  # trailing comma\n"
    "    op.execute({\n"
    "        \"postgresql\": \"SELECT 1\",\n"
    "        \"default\": \"SELECT 2\",\n"
    "    })\n"
    "@joryu.downgrade\n"
    "def downgrade():\n"
    "    op.drop_table(\"users\")\n",
    /* re-quoted: single quotes, triple quotes, implicit concatenation */
    "import joryu\n"
    "from joryu import op, types as t\n"
    "\n"
    "@joryu.migration(id='20260102T000000_users',\n"
    "                 depends_on=['20260101T000000_a', \"\"\"20260101T000001_b\"\"\"], tags=['x'])\n"
    "def upgrade():\n"
    "    op.create_table(\n"
    "        'users',\n"
    "        op.column('id', t.BigInt, primary_key=True),\n"
    "        op.column('em' 'ail', t.String(255), nullable=False, unique=True),\n"
    "    )\n"
    "    op.add_column('users', 'nick', t.Text)\n"
    "    op.execute({'postgresql': 'SELECT 1', 'default': '''SELECT 2'''})\n"
    "\n"
    "@joryu.downgrade\n"
    "def downgrade():\n"
    "    op.drop_table('users')\n",
    /* keyword order, keyword form of positional arguments, explicit defaults,
     * depends_on reordered, execute dict reordered with an alias key */
    "import joryu\n"
    "from joryu import op, types as t\n"
    "\n"
    "@joryu.migration(tags=[\"x\"], depends_on=[\"20260101T000001_b\", \"20260101T000000_a\"],\n"
    "                 id=\"20260102T000000_users\")\n"
    "def upgrade():\n"
    "    op.create_table(\n"
    "        \"users\",\n"
    "        op.column(\"id\", t.BigInt, nullable=False, primary_key=True),\n"
    "        op.column(\"email\", t.String(255), unique=True, nullable=False, default=None),\n"
    "    )\n"
    "    op.add_column(type=t.Text, name=\"nick\", table=\"users\", nullable=True, unique=False)\n"
    "    op.execute({\"default\": \"SELECT 2\", \"pg\": \"SELECT 1\"})\n"
    "\n"
    "@joryu.downgrade\n"
    "def downgrade():\n"
    "    op.drop_table(\"users\")\n",
};

/* A text edit applied to BASE: replace the first `from` with `to`. */
typedef struct edit {
    const char *from, *to;
    const char *what;
} edit;

static const edit DIFFERENT[] = {
    {"t.String(255)", "t.String(256)", "a type parameter"},
    {"\"nick\", t.Text", "\"nick\", t.String(10)", "a type"},
    {"\"nick\"", "\"nickname\"", "an identifier"},
    {"\"SELECT 2\"", "\"SELECT  2\"", "SQL text"},
    {"nullable=False, unique=True", "nullable=True, unique=True", "nullability"},
    {"unique=True", "unique=False", "a modifier"},
    {"    op.add_column(\"users\", \"nick\", t.Text)\n",
     "    op.add_column(\"users\", \"nick\", t.Text)\n    op.drop_column(\"users\", \"legacy\")\n",
     "an added op"},
    {"\"20260101T000001_b\"", "\"20260101T000002_c\"", "depends_on"},
    {"tags=[\"x\"]", "tags=[\"x\"], transaction_mode=\"per_migration\"", "the transaction mode"},
    {"\"users\",\n        op.column", "\"Users\",\n        op.column", "identifier case"},
    {"\"postgresql\": \"SELECT 1\"", "\"sqlite\": \"SELECT 1\"", "a dialect key"},
};

static char *apply_edit(const char *base, const edit *e)
{
    const char *p = strstr(base, e->from);
    assert_non_null(p);
    size_t pre = (size_t)(p - base), fl = strlen(e->from), tl = strlen(e->to);
    char *out = malloc(strlen(base) - fl + tl + 1);
    assert_non_null(out);
    memcpy(out, base, pre);
    memcpy(out + pre, e->to, tl);
    strcpy(out + pre + tl, p + fl);
    return out;
}

/* Compile one text; fail the test (printing the diagnostics) when it does
 * not compile. */
static ir_program *compile_for(const char *text, ir_dmask targets)
{
    fe_options opt;
    fe_options_init(&opt);
    opt.single_file = true;
    if (targets)
        opt.targets = targets;
    jy_diags d;
    jy_diags_init(&d);
    ir_program *p = NULL;
    int rc = fe_compile_memory(NAME, text, strlen(text), &opt, &p, &d);
    if (rc != 0 || !p) {
        /* messages only: the sources may be gone with the program */
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "error at byte %zu: %s\n", d.v[i].offset, d.v[i].message);
        fprintf(stderr, "---- source:\n%s", text);
        jy_diags_free(&d);
        fail_msg("the migration does not compile");
    }
    jy_diags_free(&d);
    assert_int_equal(p->n, 1);
    return p;
}

static ir_program *compile(const char *text)
{
    return compile_for(text, 0);
}

static void sums(const char *text, char sum[80], char down[80])
{
    ir_program *p = compile(text);
    memcpy(sum, p->migs[0]->checksum, 80);
    memcpy(down, p->migs[0]->down_checksum, 80);
    assert_memory_equal(sum, "v1:", 3);
    assert_int_equal(strlen(sum), 67);
    ir_program_free(p);
}

static void test_same_meaning(void **state)
{
    (void)state;
    char base[80], bdown[80], s[80], d[80];
    sums(BASE, base, bdown);
    for (size_t i = 0; i < JY_COUNTOF(SAME); i++) {
        sums(SAME[i], s, d);
        if (strcmp(s, base) != 0)
            fail_msg("variant %zu means the same but changed the checksum", i);
        assert_string_equal(d, bdown);
    }
}

static void test_different_meaning(void **state)
{
    (void)state;
    char base[80], bdown[80], s[80], d[80];
    sums(BASE, base, bdown);
    for (size_t i = 0; i < JY_COUNTOF(DIFFERENT); i++) {
        char *text = apply_edit(BASE, &DIFFERENT[i]);
        sums(text, s, d);
        free(text);
        if (strcmp(s, base) == 0)
            fail_msg("changing %s kept the checksum", DIFFERENT[i].what);
        assert_string_equal(d, bdown);
    }
}

static void test_downgrade_edit(void **state)
{
    (void)state;
    char base[80], bdown[80], s[80], d[80];
    sums(BASE, base, bdown);
    edit e = {"    op.drop_table(\"users\")\n", "    op.drop_table(\"accounts\")\n", "downgrade"};
    char *text = apply_edit(BASE, &e);
    sums(text, s, d);
    free(text);
    assert_string_equal(s, base);
    assert_string_not_equal(d, bdown);
}

/* The targets of joryu.toml change what is compiled, not the checksum: a
 * migration with dialect branches has one checksum for every target set,
 * and moving an op into a branch changes it. */
static void test_targets_do_not_count(void **state)
{
    (void)state;
    edit e = {"    op.add_column(\"users\", \"nick\", t.Text)\n",
              "    if op.dialect.name == \"postgresql\":\n"
              "        op.add_column(\"users\", \"nick\", t.Text)\n"
              "    elif op.dialect.name == \"sqlite\":\n"
              "        op.add_column(\"users\", \"nick\", t.String(20))\n"
              "    else:\n"
              "        op.add_column(\"users\", \"nick\", t.Text, nullable=False, default=\"\")\n",
              "branches"};
    char *text = apply_edit(BASE, &e);
    static const ir_dmask targets[] = {
        IR_DMASK_ALL, IR_DMASK_DEFAULT, IR_DMASK(IR_D_POSTGRESQL), IR_DMASK(IR_D_SQLITE),
        IR_DMASK(IR_D_MYSQL) | IR_DMASK(IR_D_MARIADB)};
    char first[80] = "", fdown[80] = "";
    for (size_t i = 0; i < JY_COUNTOF(targets); i++) {
        ir_program *p = compile_for(text, targets[i]);
        if (i == 0) {
            memcpy(first, p->migs[0]->checksum, 80);
            memcpy(fdown, p->migs[0]->down_checksum, 80);
        } else if (strcmp(first, p->migs[0]->checksum) != 0) {
            fail_msg("targets mask %#x changed the checksum", targets[i]);
        }
        assert_string_equal(fdown, p->migs[0]->down_checksum);
        ir_program_free(p);
    }
    char base[80], bdown[80];
    sums(BASE, base, bdown);
    assert_string_not_equal(first, base);
    free(text);
}

static json_t *get(json_t *o, const char *k)
{
    json_t *r = json_object_get(o, k);
    if (!r)
        fail_msg("dump: no key %s", k);
    return r;
}

/* The dump of a compiled file: spans point into the source, columns are
 * resolved, checksums are the compiler's. */
static void test_dump_of_compiled(void **state)
{
    (void)state;
    ir_program *p = compile(BASE);
    char *text = ir_dump_json(p);
    assert_non_null(text);
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    assert_non_null(root);
    json_t *m = json_array_get(get(root, "migrations"), 0);
    assert_string_equal(json_string_value(get(m, "checksum")), p->migs[0]->checksum);
    json_t *ops = get(m, "ops");
    assert_int_equal(json_array_size(ops), 3);
    json_t *ct = json_array_get(ops, 0);
    assert_string_equal(json_string_value(get(ct, "op")), "create_table");
    json_t *sp = get(ct, "span");
    assert_int_equal(json_integer_value(get(sp, "line")), 10);
    assert_int_equal(json_integer_value(get(sp, "col")), 5);
    assert_int_equal(json_integer_value(get(sp, "end_line")), 14);
    json_t *cols = get(get(ct, "args"), "columns");
    assert_int_equal(json_array_size(cols), 2);
    json_t *email = json_array_get(cols, 1);
    assert_string_equal(json_string_value(get(email, "name")), "email");
    assert_true(json_is_false(get(email, "nullable")));
    assert_true(json_is_true(get(email, "unique")));
    assert_int_equal(json_integer_value(get(get(email, "type"), "length")), 255);
    json_t *ac = json_array_get(ops, 1);
    assert_int_equal(json_integer_value(get(ac, "step")), 2);
    json_t *table = get(get(ac, "args"), "table");
    assert_string_equal(json_string_value(get(table, "kind")), "ident");
    assert_int_equal(json_integer_value(get(get(table, "span"), "line")), 15);
    assert_int_equal(json_integer_value(get(get(table, "span"), "col")), 19);
    /* add_column also shows the column it adds, resolved */
    json_t *added = get(ac, "column");
    assert_string_equal(json_string_value(get(added, "name")), "nick");
    assert_string_equal(json_string_value(get(get(added, "type"), "type")), "Text");
    assert_true(json_is_true(get(added, "nullable")));
    assert_true(json_is_false(get(added, "unique")));
    assert_true(json_is_null(get(added, "server_default")));
    json_t *down = get(m, "downgrade");
    assert_int_equal(json_array_size(down), 1);
    /* the same text compiled again dumps the same bytes */
    ir_program *p2 = compile(BASE);
    char *text2 = ir_dump_json(p2);
    assert_non_null(text2);
    assert_string_equal(text, text2);
    free(text2);
    ir_program_free(p2);
    json_decref(root);
    free(text);
    ir_program_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_meaning),
        cmocka_unit_test(test_different_meaning),
        cmocka_unit_test(test_downgrade_edit),
        cmocka_unit_test(test_targets_do_not_count),
        cmocka_unit_test(test_dump_of_compiled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
