/* test_schema.c - the schema model: editing, per-dialect comparison with
 * its difference lines, type and default normalization, deterministic
 * JSON. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

static ir_type T(ir_type_id id)
{
    ir_type t = {.id = id, .length = -1, .precision = -1, .scale = -1};
    return t;
}

/* users(id BigSerial pk, email String(255) not null, age Int default 0),
 * orgs(id Int pk), users.org -> orgs.id, index ix_email, unique uq_email,
 * check chk_age.  Columns added in the order given by `rev`. */
static ir_schema *sample(bool rev)
{
    ir_schema *s = ir_schema_new(NULL);
    ir_table *o = ir_schema_add_table(s, "orgs");
    ir_type it = T(IR_T_INT);
    ir_table_add_column(s, o, "id", &it);
    const char *oid[] = {"id"};
    ir_table_set_pk(s, o, NULL, oid, 1);
    ir_table *u = ir_schema_add_table(s, "users");
    ir_type bs = T(IR_T_BIGSERIAL), str = T(IR_T_STRING), in = T(IR_T_INT);
    str.length = 255;
    for (int k = 0; k < 4; k++) {
        int i = rev ? 3 - k : k;
        if (i == 0)
            ir_table_add_column(s, u, "id", &bs);
        else if (i == 1)
            ir_table_add_column(s, u, "email", &str)->nullable = false;
        else if (i == 2)
            ir_table_add_column(s, u, "age", &in)->def = (ir_default){IR_DEF_NUM, "0"};
        else
            ir_table_add_column(s, u, "org", &in);
    }
    const char *pk[] = {"id"}, *em[] = {"email"}, *org[] = {"org"};
    ir_table_set_pk(s, u, "users_pkey", pk, 1);
    ir_table_add_index(s, u, "ix_email", false, em, 1, "email IS NOT NULL", NULL);
    ir_table_add_unique(s, u, "uq_email", em, 1);
    ir_table_add_check(s, u, "chk_age", "age >= 0");
    ir_table_add_fkey(s, u, "fk_org", org, 1, "orgs", oid, 1, IR_FK_CASCADE, IR_FK_NO_ACTION);
    return s;
}

static char *diff_of(const ir_schema *a, const ir_schema *b, ir_dialect d, bool *eq)
{
    jy_buf buf;
    jy_buf_init(&buf);
    *eq = ir_schema_equal(a, b, d, &buf);
    jy_buf_putc(&buf, 0);
    return jy_buf_take(&buf);
}

static void test_equal_regardless_of_column_order(void **state)
{
    (void)state;
    ir_schema *a = sample(false), *b = sample(true);
    for (int d = 0; d < IR_D__COUNT; d++) {
        bool eq;
        char *diff = diff_of(a, b, (ir_dialect)d, &eq);
        assert_true(eq);
        assert_string_equal(diff, "");
        free(diff);
        char *ja = ir_schema_to_json(a, (ir_dialect)d), *jb = ir_schema_to_json(b, (ir_dialect)d);
        assert_non_null(ja);
        assert_string_equal(ja, jb);
        free(ja);
        free(jb);
    }
    ir_schema_free(a);
    ir_schema_free(b);
}

static void test_differences_are_listed(void **state)
{
    (void)state;
    ir_schema *a = sample(false), *b = sample(false);
    ir_table *u = ir_schema_table(b, "users");
    ir_table_column(u, "email")->nullable = true;
    ir_table_column(u, "age")->def = (ir_default){IR_DEF_NUM, "1"};
    ir_type big = T(IR_T_BIGINT);
    ir_table_column(u, "org")->type = big;
    ir_table_remove_index(u, "ix_email");
    ir_schema_add_table(b, "Extra");
    ir_table_add_column(b, ir_schema_table(b, "Extra"), "x", &big);
    bool eq;
    char *diff = diff_of(a, b, IR_D_POSTGRESQL, &eq);
    assert_false(eq);
    assert_string_equal(diff, "column users.age: default differs (0 vs 1)\n"
                              "column users.email: nullable differs (false vs true)\n"
                              "column users.org: type differs (Int vs BigInt)\n"
                              "index ix_email on users: only in the first schema\n"
                              "table Extra: only in the second schema\n");
    free(diff);
    /* on SQLite Int and BigInt are one family: that line goes away */
    diff = diff_of(a, b, IR_D_SQLITE, &eq);
    assert_null(strstr(diff, "type differs"));
    assert_non_null(strstr(diff, "nullable differs"));
    free(diff);
    /* a diff is NULL-safe */
    assert_false(ir_schema_equal(a, b, IR_D_MYSQL, NULL));
    ir_schema_free(a);
    ir_schema_free(b);
}

static void test_names_are_case_sensitive(void **state)
{
    (void)state;
    ir_schema *a = ir_schema_new(NULL), *b = ir_schema_new(NULL);
    ir_type t = T(IR_T_TEXT);
    ir_table_add_column(a, ir_schema_add_table(a, "Users"), "Email", &t);
    ir_table_add_column(b, ir_schema_add_table(b, "Users"), "email", &t);
    bool eq;
    char *diff = diff_of(a, b, IR_D_POSTGRESQL, &eq);
    assert_false(eq);
    assert_string_equal(diff, "column Users.Email: only in the first schema\n"
                              "column Users.email: only in the second schema\n");
    free(diff);
    assert_null(ir_schema_table(a, "users"));
    ir_schema_free(a);
    ir_schema_free(b);
}

/* one column of type `x` vs of type `y` on dialect d */
static bool same_type(ir_type x, ir_type y, ir_dialect d)
{
    ir_schema *a = ir_schema_new(NULL), *b = ir_schema_new(NULL);
    ir_table_add_column(a, ir_schema_add_table(a, "t"), "c", &x);
    ir_table_add_column(b, ir_schema_add_table(b, "t"), "c", &y);
    bool eq = ir_schema_equal(a, b, d, NULL);
    ir_schema_free(a);
    ir_schema_free(b);
    return eq;
}

static ir_type from_sql(jy_arena *ar, ir_dialect d, const char *sql)
{
    ir_type t;
    ir_type_from_sql(ar, d, sql, &t);
    return t;
}

static void test_type_equivalence(void **state)
{
    (void)state;
    jy_arena *ar = jy_arena_new();
    /* the abstract type equals what each database gives back */
    assert_true(same_type(T(IR_T_TEXT), from_sql(ar, IR_D_MYSQL, "longtext"), IR_D_MYSQL));
    assert_true(same_type(T(IR_T_TEXT), from_sql(ar, IR_D_MARIADB, "mediumtext"), IR_D_MARIADB));
    assert_true(same_type(T(IR_T_BOOL), from_sql(ar, IR_D_MYSQL, "tinyint(1)"), IR_D_MYSQL));
    assert_true(same_type(T(IR_T_INT), from_sql(ar, IR_D_MARIADB, "int(11)"), IR_D_MARIADB));
    assert_true(same_type(T(IR_T_UUID), from_sql(ar, IR_D_MYSQL, "char(36)"), IR_D_MYSQL));
    assert_true(same_type(T(IR_T_TIMESTAMP), from_sql(ar, IR_D_POSTGRESQL,
                                                      "timestamp with time zone"),
                          IR_D_POSTGRESQL));
    assert_true(same_type(T(IR_T_JSON), from_sql(ar, IR_D_POSTGRESQL, "jsonb"), IR_D_POSTGRESQL));
    assert_true(same_type(T(IR_T_DATE), from_sql(ar, IR_D_SQLITE, "TEXT"), IR_D_SQLITE));
    assert_true(same_type(T(IR_T_BOOL), from_sql(ar, IR_D_SQLITE, "INTEGER"), IR_D_SQLITE));
    assert_true(same_type(T(IR_T_BIGINT), from_sql(ar, IR_D_SQLITE, "BIGINT"), IR_D_SQLITE));
    assert_true(same_type(T(IR_T_DOUBLE), from_sql(ar, IR_D_SQLITE, "FLOAT"), IR_D_SQLITE));
    ir_type s20 = T(IR_T_STRING);
    s20.length = 20;
    assert_true(same_type(s20, from_sql(ar, IR_D_POSTGRESQL, "character varying(20)"),
                          IR_D_POSTGRESQL));
    assert_true(same_type(s20, from_sql(ar, IR_D_SQLITE, "VARCHAR(20)"), IR_D_SQLITE));
    ir_type dec = T(IR_T_DECIMAL);
    assert_true(same_type(dec, from_sql(ar, IR_D_MYSQL, "decimal(10,0)"), IR_D_MYSQL));
    dec.precision = 12, dec.scale = 3;
    assert_true(same_type(dec, from_sql(ar, IR_D_POSTGRESQL, "numeric(12,3)"), IR_D_POSTGRESQL));
    ir_type arr = T(IR_T_ARRAY), inner = T(IR_T_INT);
    arr.inner = &inner;
    assert_true(same_type(arr, from_sql(ar, IR_D_POSTGRESQL, "integer[]"), IR_D_POSTGRESQL));
    /* a dialect type with an abstract equivalent compares as it */
    ir_type dt = T(IR_T_DIALECT);
    dt.dialect_of = IR_D_MYSQL;
    dt.dialect_type = "MEDIUMTEXT";
    assert_true(same_type(dt, T(IR_T_TEXT), IR_D_MYSQL));
    dt.dialect_of = IR_D_MARIADB;
    dt.dialect_type = "mediumint";
    assert_true(same_type(dt, from_sql(ar, IR_D_MARIADB, "mediumint(9)"), IR_D_MARIADB));
    dt.dialect_of = IR_D_POSTGRESQL;
    dt.dialect_type = "timestamp";
    assert_true(same_type(dt, from_sql(ar, IR_D_POSTGRESQL, "timestamp without time zone"),
                          IR_D_POSTGRESQL));
    dt.dialect_type = "varchar(3)";
    assert_true(same_type(dt, T(IR_T_STRING), IR_D_POSTGRESQL) == false);
    assert_true(same_type(T(IR_T_UUID), from_sql(ar, IR_D_MARIADB, "uuid"), IR_D_MARIADB));
    /* and real differences stay */
    assert_false(same_type(T(IR_T_TEXT), s20, IR_D_POSTGRESQL));
    assert_false(same_type(T(IR_T_INT), T(IR_T_BIGINT), IR_D_MYSQL));
    assert_false(same_type(T(IR_T_DATE), T(IR_T_TIMESTAMP), IR_D_POSTGRESQL));
    ir_type other = from_sql(ar, IR_D_POSTGRESQL, "tsvector");
    assert_int_equal(other.id, IR_T_DIALECT);
    assert_string_equal(other.dialect_type, "tsvector");
    ir_type en = from_sql(ar, IR_D_MYSQL, "enum('a','it''s')");
    assert_int_equal(en.id, IR_T_ENUM);
    assert_int_equal(en.nlabels, 2);
    assert_string_equal(en.labels[1], "it's");
    jy_arena_free(ar);
}

static void test_defaults(void **state)
{
    (void)state;
    jy_arena *a = jy_arena_new();
    ir_type txt = T(IR_T_TEXT), num = T(IR_T_INT), bl = T(IR_T_BOOL);
    ir_default d = ir_default_from_sql(a, IR_D_POSTGRESQL, &txt, "'it''s'::text", false);
    assert_int_equal(d.kind, IR_DEF_STR);
    assert_string_equal(d.text, "it's");
    d = ir_default_from_sql(a, IR_D_POSTGRESQL, &num, "'-1'::integer", false);
    assert_int_equal(d.kind, IR_DEF_STR); /* a string until compared with its type */
    d = ir_default_from_sql(a, IR_D_POSTGRESQL, &num, "(-1)", false);
    assert_int_equal(d.kind, IR_DEF_NUM);
    assert_string_equal(d.text, "-1");
    d = ir_default_from_sql(a, IR_D_POSTGRESQL, &txt, "(now() AT TIME ZONE 'UTC'::text)", false);
    assert_int_equal(d.kind, IR_DEF_NOW);
    d = ir_default_from_sql(a, IR_D_MARIADB, &txt, "current_timestamp()", false);
    assert_int_equal(d.kind, IR_DEF_NOW);
    d = ir_default_from_sql(a, IR_D_MARIADB, &txt, "NULL", false);
    assert_int_equal(d.kind, IR_DEF_NONE);
    d = ir_default_from_sql(a, IR_D_MYSQL, &bl, "1", true);
    assert_int_equal(d.kind, IR_DEF_BOOL);
    assert_string_equal(d.text, "true");
    d = ir_default_from_sql(a, IR_D_MYSQL, &txt, "0", true);
    assert_int_equal(d.kind, IR_DEF_STR);
    d = ir_default_from_sql(a, IR_D_MYSQL, &num, "2.50", true);
    assert_string_equal(d.text, "2.5");
    d = ir_default_from_sql(a, IR_D_SQLITE, &txt, "(lower('X') || 'y')", false);
    assert_int_equal(d.kind, IR_DEF_SQL);
    /* type-directed comparison: '5' on an integer column is the number 5,
     * and a Bool default 1 equals true */
    ir_schema *x = ir_schema_new(NULL), *y = ir_schema_new(NULL);
    ir_table *tx = ir_schema_add_table(x, "t"), *ty = ir_schema_add_table(y, "t");
    ir_table_add_column(x, tx, "n", &num)->def = (ir_default){IR_DEF_STR, "5"};
    ir_table_add_column(y, ty, "n", &num)->def = (ir_default){IR_DEF_NUM, "5"};
    ir_table_add_column(x, tx, "b", &bl)->def = (ir_default){IR_DEF_NUM, "1"};
    ir_table_add_column(y, ty, "b", &bl)->def = (ir_default){IR_DEF_BOOL, "true"};
    ir_table_add_column(x, tx, "s", &txt)->def = (ir_default){IR_DEF_SQL, "lower( 'A' )"};
    ir_table_add_column(y, ty, "s", &txt)->def = (ir_default){IR_DEF_SQL, "LOWER('A')"};
    assert_true(ir_schema_equal(x, y, IR_D_POSTGRESQL, NULL));
    ir_schema_free(x);
    ir_schema_free(y);
    jy_arena_free(a);
}

static void test_squash(void **state)
{
    (void)state;
    char *a = ir_sql_squash("(price > (0)::numeric) AND \"name\" <> 'A b'");
    char *b = ir_sql_squash("price>0 and Name <> 'A b'");
    assert_string_equal(a, b);
    free(a);
    free(b);
    a = ir_sql_squash("((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))");
    assert_string_equal(a, "status=anyarray['a','b']");
    free(a);
    a = ir_sql_squash("lcase(`x`)");
    b = ir_sql_squash("LOWER(x)");
    assert_string_equal(a, b);
    free(a);
    free(b);
    a = ir_sql_squash("'Keep  CASE'");
    assert_string_equal(a, "'Keep  CASE'");
    free(a);
}

static void test_editing(void **state)
{
    (void)state;
    ir_schema *s = sample(false);
    /* duplicates are refused */
    assert_null(ir_schema_add_table(s, "users"));
    ir_table *u = ir_schema_table(s, "users");
    ir_type t = T(IR_T_TEXT);
    assert_null(ir_table_add_column(s, u, "email", &t));
    assert_null(ir_table_add_check(s, u, "uq_email", "x")); /* one namespace for constraints */
    assert_string_equal(ir_table_constraint_kind(u, "uq_email"), "unique");
    assert_string_equal(ir_table_constraint_kind(u, "fk_org"), "fk");
    assert_string_equal(ir_table_constraint_kind(u, "users_pkey"), "primary_key");
    assert_null(ir_table_constraint_kind(u, "nope"));

    /* renaming a column follows it into keys, indexes, constraints */
    assert_true(ir_table_rename_column(s, u, "email", "mail"));
    assert_false(ir_table_rename_column(s, u, "email", "x"));
    assert_false(ir_table_rename_column(s, u, "mail", "age")); /* taken */
    assert_string_equal(ir_table_index(u, "ix_email")->columns[0], "mail");
    assert_string_equal(u->uniques[0]->columns[0], "mail");
    /* renaming a referenced column follows into other tables' foreign keys */
    ir_table *o = ir_schema_table(s, "orgs");
    assert_true(ir_table_rename_column(s, o, "id", "org_id"));
    assert_string_equal(u->fkeys[0]->ref_columns[0], "org_id");
    assert_string_equal(o->pk[0], "org_id");
    /* renaming a table follows into foreign keys */
    assert_true(ir_schema_rename_table(s, "orgs", "organisations"));
    assert_false(ir_schema_rename_table(s, "orgs", "x"));
    assert_string_equal(u->fkeys[0]->ref_table, "organisations");
    assert_non_null(ir_schema_index(s, "ix_email", NULL));

    /* renaming indexes and constraints */
    assert_true(ir_table_rename_index(s, u, "ix_email", "ix_mail"));
    assert_false(ir_table_rename_index(s, u, "ix_email", "x"));
    assert_true(ir_table_rename_index(s, u, "ix_mail", "ix_email"));
    assert_true(ir_table_rename_constraint(s, u, "chk_age", "ck_age"));
    assert_string_equal(ir_table_constraint_kind(u, "ck_age"), "check");
    assert_false(ir_table_rename_constraint(s, u, "ck_age", "fk_org")); /* taken */
    assert_true(ir_table_rename_constraint(s, u, "ck_age", "chk_age"));
    assert_true(ir_table_rename_constraint(s, u, "users_pkey", "pk_users"));
    assert_string_equal(u->pk_name, "pk_users");

    /* removing a column removes what uses it */
    assert_true(ir_table_remove_column(s, u, "mail"));
    assert_null(ir_table_index(u, "ix_email"));
    assert_int_equal(u->nuniques, 0);
    assert_true(ir_table_remove_column(s, u, "org"));
    assert_int_equal(u->nfkeys, 0);
    assert_false(ir_table_remove_column(s, u, "mail"));
    assert_true(ir_table_remove_constraint(u, "chk_age"));
    assert_false(ir_table_remove_constraint(u, "chk_age"));

    /* enums and objects */
    const char *labels[] = {"a", "c"};
    assert_non_null(ir_schema_add_enum(s, "st", labels, 2));
    assert_true(ir_schema_enum_add_value(s, "st", "b", "c", NULL));
    assert_true(ir_schema_enum_add_value(s, "st", "d", NULL, "c"));
    assert_true(ir_schema_enum_add_value(s, "st", "z", NULL, NULL));
    assert_false(ir_schema_enum_add_value(s, "st", "a", NULL, NULL));
    assert_false(ir_schema_enum_add_value(s, "st", "q", "nope", NULL));
    ir_enum *e = ir_schema_enum(s, "st");
    assert_int_equal(e->nlabels, 5);
    assert_string_equal(e->labels[0], "a");
    assert_string_equal(e->labels[1], "b");
    assert_string_equal(e->labels[2], "c");
    assert_string_equal(e->labels[3], "d");
    assert_string_equal(e->labels[4], "z");
    assert_non_null(ir_schema_add_object(s, IR_OBJ_TRIGGER, "trg", "users", "..."));
    assert_non_null(ir_schema_add_object(s, IR_OBJ_TRIGGER, "trg", "organisations", "..."));
    assert_null(ir_schema_add_object(s, IR_OBJ_TRIGGER, "trg", "users", "..."));
    assert_non_null(ir_schema_add_object(s, IR_OBJ_EXTENSION, "pgcrypto", NULL, NULL));

    /* a clone is equal and independent */
    ir_schema *c = ir_schema_clone(s, NULL);
    assert_true(ir_schema_equal(s, c, IR_D_POSTGRESQL, NULL));
    char *j1 = ir_schema_to_json(s, IR_D__COUNT), *j2 = ir_schema_to_json(c, IR_D__COUNT);
    assert_string_equal(j1, j2);
    free(j1);
    free(j2);
    ir_table_column(ir_schema_table(c, "users"), "age")->nullable = false;
    assert_true(ir_table_column(u, "age")->nullable);
    assert_false(ir_schema_equal(s, c, IR_D_POSTGRESQL, NULL));

    /* dropping a table drops its triggers */
    assert_true(ir_schema_remove_table(s, "users"));
    assert_false(ir_schema_remove_table(s, "users"));
    assert_null(ir_schema_object(s, IR_OBJ_TRIGGER, "trg", "users"));
    assert_non_null(ir_schema_object(s, IR_OBJ_TRIGGER, "trg", "organisations"));
    /* PostgreSQL-only objects do not count elsewhere */
    ir_schema *empty = ir_schema_new(NULL);
    ir_schema_remove_table(s, "organisations");
    assert_false(ir_schema_equal(s, empty, IR_D_POSTGRESQL, NULL));
    assert_true(ir_schema_equal(s, empty, IR_D_SQLITE, NULL));
    ir_schema_free(empty);
    ir_schema_free(c);
    ir_schema_free(s);
}

static void test_json_shape(void **state)
{
    (void)state;
    ir_schema *s = sample(false);
    ir_schema_add_table(s, "joryu_migrations"); /* never part of a snapshot */
    char *j = ir_schema_to_json(s, IR_D_POSTGRESQL);
    assert_non_null(j);
    assert_int_equal(j[strlen(j) - 1], '\n');
    json_error_t err;
    json_t *root = json_loads(j, 0, &err);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "format")), "joryu.schema/1");
    assert_string_equal(json_string_value(json_object_get(root, "dialect")), "postgresql");
    json_t *tables = json_object_get(root, "tables");
    assert_int_equal(json_array_size(tables), 2);
    json_t *users = json_array_get(tables, 1); /* sorted: orgs, users */
    assert_string_equal(json_string_value(json_object_get(users, "name")), "users");
    json_t *cols = json_object_get(users, "columns");
    /* sorted by name */
    assert_string_equal(json_string_value(json_object_get(json_array_get(cols, 0), "name")), "age");
    json_t *id = json_array_get(cols, 2);
    assert_string_equal(json_string_value(json_object_get(id, "name")), "id");
    assert_string_equal(json_string_value(json_object_get(id, "identity")), "auto");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(id, "type"), "name")), "BigInt");
    json_t *email = json_array_get(cols, 1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(email, "type"), "length")),
                     255);
    json_t *age = json_array_get(cols, 0);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(age, "default"), "kind")), "number");
    json_t *ix = json_array_get(json_object_get(users, "indexes"), 0);
    assert_string_equal(json_string_value(json_object_get(ix, "where")), "emailisnotnull");
    json_decref(root);
    free(j);
    ir_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_regardless_of_column_order),
        cmocka_unit_test(test_differences_are_listed),
        cmocka_unit_test(test_names_are_case_sensitive),
        cmocka_unit_test(test_type_equivalence),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_squash),
        cmocka_unit_test(test_editing),
        cmocka_unit_test(test_json_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
