/*
 * test_ir_dump_json.c - ir_dump_json on hand-built IR with a real source
 * (so spans resolve): fixed key order, determinism, resolved column
 * modifiers, typed argument values, spans; and docs/ir.schema.json: it
 * parses, and what it says about ops, arguments, types and key order
 * matches ir/ops.def, ir/types.def and the dump itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "ir_build.h"

#define IR_SCHEMA_PATH JORYU_SRC "/docs/ir.schema.json"

static const char SOURCE[] =
    "from joryu import op, types as t\n"                                      /* 1 */
    "import joryu\n"                                                          /* 2 */
    "\n"                                                                      /* 3 */
    "@joryu.migration(id=\"20260102T000000_users\")\n"                        /* 4 */
    "def upgrade():\n"                                                        /* 5 */
    "    op.create_table(\"users\",\n"                                        /* 6 */
    "        op.column(\"id\", t.BigInt, primary_key=True),\n"                /* 7 */
    "        op.column(\"email\", t.String(255), nullable=False))\n"          /* 8 */
    "    op.execute({\"pg\": \"SELECT 1\", \"sqlite\": \"SELECT 2\"})\n"     /* 9 */
    "    op.bulk_insert(\"users\", [{\"id\": 1, \"score\": 0.1}])\n"         /* 10 */
    "\n"
    "@joryu.downgrade\n"
    "def downgrade():\n"
    "    # JORYU-DOWN-HINT: completion-status: stub\n"
    "    op.drop_table(\"users\")\n";

/* Offset of the n-th (0-based) occurrence of s in SOURCE. */
static uint32_t at(const char *s, int n)
{
    const char *p = SOURCE;
    for (;;) {
        p = strstr(p, s);
        assert_non_null(p);
        if (n-- == 0)
            return (uint32_t)(p - SOURCE);
        p++;
    }
}

static uint32_t end_of(const char *s, int n)
{
    return at(s, n) + (uint32_t)strlen(s);
}

/* A program with two migrations: the one of SOURCE, and a bare one without
 * downgrade or source. */
static ir_program *build(void)
{
    ir_program *p = ir_program_new();
    assert_non_null(p);
    jy_arena *a = p->arena;
    ir_migration *m = mk_mig(p, "20260102T000000_users");
    attach_source(p, m, SOURCE);
    m->start = at("@joryu.migration", 0);
    m->end = end_of("_users\")", 0);
    static const char *tags[] = {"core"};
    m->tags = tags;
    m->ntags = 1;

    ir_op *ct = mk_op(a, IR_OP_create_table);
    ct->start = at("op.create_table", 0);
    ct->end = end_of("nullable=False))", 0);
    ct->name_start = at("create_table", 0);
    ct->name_end = end_of("create_table", 0);
    ct->args[IR_A_create_table_name] = v_str_at(a, "users", at("\"users\"", 0), end_of("\"users\"", 0));
    ir_op *cid = mk_column(a, "id", v_simple_type(a, IR_T_BIGINT));
    cid->args[IR_A_column_primary_key] = v_bool(a, true);
    ir_value *vid = v_col(a, cid);
    vid->start = at("op.column(\"id\"", 0);
    vid->end = end_of("primary_key=True)", 0);
    ir_value *tstr = v_string_type(a, 255);
    tstr->u.type->start = at("t.String", 0);
    tstr->u.type->end = end_of("t.String(255)", 0);
    ir_op *cemail = mk_column(a, "email", tstr);
    cemail->args[IR_A_column_nullable] = v_bool(a, false);
    push_variadic(a, ct, IR_A_create_table_columns, vid);
    push_variadic(a, ct, IR_A_create_table_columns, v_col(a, cemail));
    add_up(a, m, ct);

    ir_op *ex = mk_op(a, IR_OP_execute);
    ex->start = at("op.execute", 0);
    ex->end = end_of("\"SELECT 2\"})", 0);
    ex->args[IR_A_execute_sql] = v_dict(a, 2, v_str(a, "pg"), v_str(a, "SELECT 1"),
                                        v_str(a, "sqlite"), v_str(a, "SELECT 2"));
    add_up(a, m, ex);

    ir_op *bi = mk_op(a, IR_OP_bulk_insert);
    bi->args[IR_A_bulk_insert_table] = v_str(a, "users");
    bi->args[IR_A_bulk_insert_rows] = v_seq(
        a, IR_V_LIST, 1, v_dict(a, 2, v_str(a, "id"), v_int(a, 1), v_str(a, "score"), v_float(a, 0.1)));
    add_up(a, m, bi);

    ir_op *dt = mk_op(a, IR_OP_drop_table);
    dt->args[IR_A_drop_table_name] = v_str(a, "users");
    add_down(a, m, dt);
    ir_hint *h = tb_must(jy_arena_alloc(a, sizeof *h));
    h->field = "completion-status";
    h->value = "stub";
    h->start = at("# JORYU-DOWN-HINT", 0);
    h->end = end_of("status: stub", 0);
    m->hints = h;
    m->nhints = 1;
    ir_checksum_migration(m);

    ir_migration *m2 = mk_mig(p, "20260103T000000_bare");
    ir_op *dc = mk_op(a, IR_OP_drop_column);
    dc->args[IR_A_drop_column_table] = v_str(a, "users");
    dc->args[IR_A_drop_column_name] = v_str(a, "legacy");
    add_up(a, m2, dc);
    /* no checksum filled: the dump computes it */
    return p;
}

/* The keys of an object, in order, equal the NULL-terminated list. */
static void assert_keys(json_t *o, const char *const *keys)
{
    assert_true(json_is_object(o));
    size_t i = 0;
    for (void *it = json_object_iter(o); it; it = json_object_iter_next(o, it), i++) {
        assert_non_null(keys[i]);
        assert_string_equal(json_object_iter_key(it), keys[i]);
    }
    assert_null(keys[i]);
}

static const char *const TOP_KEYS[] = {"format", "version", "targets", "migrations", NULL};
static const char *const MIG_KEYS[] = {"id", "file", "checksum", "down_checksum", "depends_on",
                                       "transaction_mode", "dialects", "tags", "group",
                                       "on_mismatch", "docstring", "ops", "downgrade", "hints",
                                       "span", NULL};
static const char *const OP_KEYS[] = {"op", "step", "fingerprint", "dialects", "batch",
                                      "batch_id", "args", "span", "name_span", NULL};
static const char *const COLUMN_KEYS[] = {"kind", "name", "type", "nullable", "default",
                                          "server_default", "generated", "primary_key",
                                          "autoincrement", "unique", "comment", "span", NULL};

static json_t *path(json_t *j, const char *fmt)
{
    json_t *r = json_object_get(j, fmt);
    assert_non_null(r);
    return r;
}

static void assert_span(json_t *s, int line, int col, int end_line, int end_col)
{
    assert_true(json_is_object(s));
    assert_string_equal(json_string_value(path(s, "file")), "migrations/20260102T000000_users.py");
    assert_int_equal(json_integer_value(path(s, "line")), line);
    assert_int_equal(json_integer_value(path(s, "col")), col);
    assert_int_equal(json_integer_value(path(s, "end_line")), end_line);
    assert_int_equal(json_integer_value(path(s, "end_col")), end_col);
}

static void test_deterministic(void **state)
{
    (void)state;
    ir_program *p1 = build(), *p2 = build();
    char *a = ir_dump_json(p1), *b = ir_dump_json(p1), *c = ir_dump_json(p2);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    size_t n = strlen(a);
    assert_true(n > 2 && a[n - 1] == '\n' && a[n - 2] == '}');
    /* JSON_INDENT(2): the second line is the first key, indented by two */
    assert_memory_equal(a, "{\n  \"format\": \"joryu-ir\",\n", 26);
    free(a);
    free(b);
    free(c);
    ir_program_free(p1);
    ir_program_free(p2);
}

static void test_content(void **state)
{
    (void)state;
    ir_program *p = build();
    char *text = ir_dump_json(p);
    assert_non_null(text);
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    assert_non_null(root);
    assert_keys(root, TOP_KEYS);
    assert_string_equal(json_string_value(path(root, "format")), "joryu-ir");
    assert_int_equal(json_integer_value(path(root, "version")), 1);
    json_t *targets = path(root, "targets");
    assert_int_equal(json_array_size(targets), 3);
    assert_string_equal(json_string_value(json_array_get(targets, 2)), "sqlite");

    json_t *migs = path(root, "migrations");
    assert_int_equal(json_array_size(migs), 2);
    json_t *m = json_array_get(migs, 0);
    assert_keys(m, MIG_KEYS);
    assert_string_equal(json_string_value(path(m, "checksum")), p->migs[0]->checksum);
    assert_string_equal(json_string_value(path(m, "down_checksum")), p->migs[0]->down_checksum);
    assert_string_equal(json_string_value(path(m, "transaction_mode")), "per_step");
    assert_true(json_is_null(path(m, "dialects")));
    assert_string_equal(json_string_value(json_array_get(path(m, "tags"), 0)), "core");
    assert_span(path(m, "span"), 4, 1, 4, 45);

    json_t *ops = path(m, "ops");
    assert_int_equal(json_array_size(ops), 3);
    json_t *ct = json_array_get(ops, 0);
    assert_keys(ct, OP_KEYS);
    assert_string_equal(json_string_value(path(ct, "op")), "create_table");
    assert_int_equal(json_integer_value(path(ct, "step")), 1);
    assert_true(json_is_null(path(ct, "batch")));
    assert_span(path(ct, "span"), 6, 5, 8, 59);
    assert_span(path(ct, "name_span"), 6, 8, 6, 20);
    json_t *args = path(ct, "args");
    json_t *name = path(args, "name");
    assert_string_equal(json_string_value(path(name, "kind")), "ident");
    assert_string_equal(json_string_value(path(name, "value")), "users");
    assert_span(path(name, "span"), 6, 21, 6, 28);

    json_t *cols = path(args, "columns");
    assert_int_equal(json_array_size(cols), 2);
    json_t *cid = json_array_get(cols, 0), *cemail = json_array_get(cols, 1);
    assert_keys(cid, COLUMN_KEYS);
    assert_keys(cemail, COLUMN_KEYS);
    assert_string_equal(json_string_value(path(cid, "name")), "id");
    assert_true(json_is_false(path(cid, "nullable"))); /* primary key */
    assert_true(json_is_true(path(cid, "primary_key")));
    assert_true(json_is_false(path(cid, "unique")));
    assert_true(json_is_null(path(cid, "default")));
    assert_string_equal(json_string_value(path(path(cid, "type"), "type")), "BigInt");
    assert_span(path(cid, "span"), 7, 9, 7, 52);
    json_t *ty = path(cemail, "type");
    assert_string_equal(json_string_value(path(ty, "type")), "String");
    assert_int_equal(json_integer_value(path(ty, "length")), 255);
    assert_int_equal(json_array_size(path(ty, "supported")), 4);
    assert_span(path(ty, "span"), 8, 28, 8, 41);
    assert_true(json_is_false(path(cemail, "nullable")));
    assert_true(json_is_null(path(cemail, "span")));

    json_t *ex = json_array_get(ops, 1);
    json_t *sql = path(path(ex, "args"), "sql");
    assert_string_equal(json_string_value(path(sql, "kind")), "sql_dialects");
    json_t *e0 = json_array_get(path(sql, "entries"), 0);
    assert_string_equal(json_string_value(path(e0, "dialect")), "postgresql");
    assert_string_equal(json_string_value(path(e0, "key")), "pg");
    assert_string_equal(json_string_value(path(path(e0, "sql"), "value")), "SELECT 1");
    assert_int_equal(json_integer_value(path(ex, "step")), 2);

    json_t *rows = path(path(json_array_get(ops, 2), "args"), "rows");
    json_t *row = json_array_get(path(rows, "rows"), 0);
    json_t *score = path(path(row, "values"), "score");
    assert_string_equal(json_string_value(path(score, "kind")), "float");
    assert_string_equal(json_string_value(path(score, "repr")), "0.1");
    assert_true(json_real_value(path(score, "value")) == 0.1);

    json_t *down = path(m, "downgrade");
    assert_int_equal(json_array_size(down), 1);
    assert_string_equal(json_string_value(path(json_array_get(down, 0), "op")), "drop_table");
    json_t *hint = json_array_get(path(m, "hints"), 0);
    assert_string_equal(json_string_value(path(hint, "field")), "completion-status");
    assert_string_equal(json_string_value(path(hint, "value")), "stub");

    json_t *bare = json_array_get(migs, 1);
    assert_keys(bare, MIG_KEYS);
    assert_true(json_is_null(path(bare, "downgrade")));
    assert_true(json_is_null(path(bare, "span")));
    ir_migration tmp = *p->migs[1];
    ir_checksum_migration(&tmp);
    assert_string_equal(json_string_value(path(bare, "checksum")), tmp.checksum);

    json_decref(root);
    free(text);
    ir_program_free(p);
}

/* ------------------------------------------------------------ the schema */

static json_t *load_schema(void)
{
    json_error_t err;
    json_t *s = json_load_file(IR_SCHEMA_PATH, 0, &err);
    if (!s)
        fail_msg("%s:%d: %s", IR_SCHEMA_PATH, err.line, err.text);
    return s;
}

static json_t *def(json_t *schema, const char *name)
{
    json_t *d = json_object_get(json_object_get(schema, "$defs"), name);
    if (!d)
        fail_msg("docs/ir.schema.json: no $defs/%s", name);
    return d;
}

/* A schema "required" list equals the dump's key order. */
static void assert_required(json_t *obj, const char *const *keys)
{
    json_t *req = json_object_get(obj, "required");
    assert_true(json_is_array(req));
    size_t i = 0;
    for (; keys[i]; i++) {
        json_t *k = json_array_get(req, i);
        if (!k || strcmp(json_string_value(k), keys[i]) != 0)
            fail_msg("schema required[%zu] should be \"%s\"", i, keys[i]);
    }
    assert_int_equal(json_array_size(req), i);
}

static void test_schema_matches_catalogue(void **state)
{
    (void)state;
    json_t *s = load_schema();
    assert_string_equal(json_string_value(json_object_get(s, "$schema")),
                        "https://json-schema.org/draft/2020-12/schema");
    assert_required(s, TOP_KEYS);
    assert_required(def(s, "migration"), MIG_KEYS);
    assert_required(def(s, "op"), OP_KEYS);
    assert_required(def(s, "column"), COLUMN_KEYS);

    /* the op enum is exactly the catalogue's steps, in catalogue order */
    json_t *en = json_object_get(json_object_get(json_object_get(def(s, "op"), "properties"), "op"),
                                 "enum");
    assert_true(json_is_array(en));
    size_t j = 0;
    for (int k = 0; k < IR_OP__COUNT; k++) {
        const ir_op_info *oi = &ir_op_table[k];
        /* every op has its argument object, with exactly its parameters */
        char name[80];
        snprintf(name, sizeof name, "args_%s", oi->name);
        json_t *props = json_object_get(def(s, name), "properties");
        assert_true(json_is_object(props));
        if (json_object_size(props) != oi->nparams)
            fail_msg("schema %s has %zu properties, ops.def %zu", name, json_object_size(props),
                     oi->nparams);
        size_t nreq = 0;
        for (size_t i = 0; i < oi->nparams; i++) {
            if (!json_object_get(props, oi->params[i].name))
                fail_msg("schema %s lacks %s", name, oi->params[i].name);
            if (oi->params[i].flags & (IR_AF_REQ | IR_AF_VARIADIC))
                nreq++;
        }
        assert_int_equal(json_array_size(json_object_get(def(s, name), "required")), nreq);
        if (!(oi->flags & IR_OPF_STEP))
            continue;
        json_t *e = json_array_get(en, j++);
        if (!e || strcmp(json_string_value(e), oi->name) != 0)
            fail_msg("schema op enum[%zu] should be %s", j - 1, oi->name);
    }
    assert_int_equal(json_array_size(en), j);

    /* the type enum is the type table */
    json_t *te = json_object_get(
        json_object_get(json_object_get(def(s, "type"), "properties"), "type"), "enum");
    assert_int_equal(json_array_size(te), IR_T__COUNT);
    for (int t = 0; t < IR_T__COUNT; t++)
        assert_string_equal(json_string_value(json_array_get(te, (size_t)t)),
                            ir_type_table[t].name);
    json_decref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_content),
        cmocka_unit_test(test_schema_matches_catalogue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
