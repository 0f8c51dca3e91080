/* test_driver_sqlite.c - the SQLite driver in memory: statements,
 * parameters, transactions and savepoints, errors that carry the statement,
 * and introspection into the schema model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"

static rt_conn *open_mem(void)
{
    jy_diags d;
    jy_diags_init(&d);
    rt_conn *c = rt_connect("sqlite::memory:", &d);
    assert_non_null(c);
    assert_int_equal(d.n, 0);
    jy_diags_free(&d);
    return c;
}

static void ok(rt_conn *c, const char *sql)
{
    jy_diags d;
    jy_diags_init(&d);
    int rc = rt_exec(c, sql, &d);
    if (rc)
        fail_msg("%s: %s", sql, d.n ? d.v[0].message : "?");
    jy_diags_free(&d);
}

static char *scalar(rt_conn *c, const char *sql, const char *const *p, size_t n)
{
    rt_rows *r = NULL;
    assert_int_equal(rt_query(c, sql, p, n, &r, NULL), 0);
    char *v = NULL;
    if (rt_rows_next(r)) {
        const char *x = rt_rows_get(r, 0, NULL);
        v = x ? strdup(x) : NULL;
    }
    rt_rows_free(r);
    return v;
}

static void test_exec_and_params(void **state)
{
    (void)state;
    rt_conn *c = open_mem();
    assert_string_equal(c->drv->name, "sqlite");
    assert_int_equal(rt_conn_dialect(c), IR_D_SQLITE);
    assert_true(strlen(rt_conn_server_version(c)) > 0);
    ok(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, note TEXT); "
          "INSERT INTO t (name) VALUES ('a');");
    const char *p[] = {"b'quote", NULL};
    rt_rows *r = NULL;
    assert_int_equal(rt_query(c, "INSERT INTO t (name, note) VALUES (?, ?)", p, 2, &r, NULL), 0);
    assert_int_equal(r->affected, 1);
    rt_rows_free(r);
    const char *q[] = {"b'quote"};
    assert_int_equal(rt_query(c, "SELECT id, name, note FROM t WHERE name = ?", q, 1, &r, NULL), 0);
    assert_int_equal(r->ncols, 3);
    assert_string_equal(r->colnames[1], "name");
    assert_true(rt_rows_next(r));
    bool isnull = false;
    assert_string_equal(rt_rows_get(r, 0, &isnull), "2");
    assert_false(isnull);
    assert_string_equal(rt_rows_get(r, 1, NULL), "b'quote");
    assert_null(rt_rows_get(r, 2, &isnull));
    assert_true(isnull);
    assert_false(rt_rows_next(r));
    rt_rows_free(r);
    char buf[16];
    assert_string_equal(rt_placeholder(c, 2, buf), "?");
    char *qi = rt_quote_ident(c, "we\"ird");
    assert_string_equal(qi, "\"we\"\"ird\"");
    free(qi);
    rt_close(c);
}

/*
 * A statement with parameters run again (the driver keeps it prepared):
 * each run sees its own parameters (a NULL where the last run bound text),
 * the schema as it is now (a column added between two runs, a dropped and
 * recreated table), and an error of one run does not stick to the next.
 * More texts than the driver keeps all still run; closing frees them (ASan).
 */
static void test_statement_reuse(void **state)
{
    (void)state;
    rt_conn *c = open_mem();
    ok(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, note TEXT)");
    const char *ins = "INSERT INTO t (name, note) VALUES (?, ?)";
    for (int i = 0; i < 20; i++) {
        char name[16];
        snprintf(name, sizeof name, "n%d", i);
        const char *p[] = {name, i % 2 ? NULL : "even"};
        assert_int_equal(rt_query(c, ins, p, 2, NULL, NULL), 0);
    }
    const char *q1[] = {"n3"};
    char *v = scalar(c, "SELECT coalesce(note, 'null') FROM t WHERE name = ?", q1, 1);
    assert_string_equal(v, "null");
    free(v);
    const char *q2[] = {"n4"};
    v = scalar(c, "SELECT coalesce(note, 'null') FROM t WHERE name = ?", q2, 1);
    assert_string_equal(v, "even");
    free(v);
    /* a duplicate fails, the next run of the same text works */
    const char *dup[] = {"n4", "x"};
    assert_int_equal(rt_query(c, ins, dup, 2, NULL, NULL), -1);
    const char *fresh[] = {"n20", "x"};
    assert_int_equal(rt_query(c, ins, fresh, 2, NULL, NULL), 0);
    /* the schema changes between two runs of a kept SELECT */
    const char *q3[] = {"n20"};
    const char *sel = "SELECT * FROM t WHERE name = ?";
    rt_rows *r = NULL;
    assert_int_equal(rt_query(c, sel, q3, 1, &r, NULL), 0);
    assert_int_equal(r->ncols, 3);
    rt_rows_free(r);
    ok(c, "ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'e'");
    assert_int_equal(rt_query(c, sel, q3, 1, &r, NULL), 0);
    assert_int_equal(r->ncols, 4);
    assert_true(rt_rows_next(r));
    assert_string_equal(rt_rows_get(r, 3, NULL), "e");
    rt_rows_free(r);
    ok(c, "DROP TABLE t; CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, note TEXT)");
    assert_int_equal(rt_query(c, ins, fresh, 2, NULL, NULL), 0);
    v = scalar(c, "SELECT count(*) FROM t WHERE name = ?", q3, 1);
    assert_string_equal(v, "1");
    free(v);
    /* more distinct texts than are kept */
    for (int i = 0; i < 30; i++) {
        char sql[64], want[16];
        snprintf(sql, sizeof sql, "SELECT ? || '%d'", i);
        snprintf(want, sizeof want, "x%d", i);
        const char *x[] = {"x"};
        v = scalar(c, sql, x, 1);
        assert_string_equal(v, want);
        free(v);
    }
    /* a transaction ends with statements kept */
    ok(c, "BEGIN");
    assert_int_equal(rt_query(c, ins, q1, 1, NULL, NULL), -1); /* 1 parameter given, 2 wanted */
    const char *p2[] = {"n21", NULL};
    assert_int_equal(rt_query(c, ins, p2, 2, NULL, NULL), 0);
    ok(c, "COMMIT");
    rt_close(c);
}

/* A read-only session refuses writes, with the server's message. */
static void test_read_only(void **state)
{
    (void)state;
    rt_conn *c = open_mem();
    ok(c, "CREATE TABLE ro_t (x INTEGER)");
    assert_int_equal(rt_set_read_only(c, NULL), 0);
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(rt_exec(c, "INSERT INTO ro_t VALUES (1)", &d), -1);
    assert_int_equal(d.nerrors, 1);
    assert_non_null(strstr(d.v[0].message, "INSERT INTO ro_t VALUES (1)"));
    jy_diags_free(&d);
    rt_close(c); /* in memory: nothing to clean up */
}

static void test_transactions(void **state)
{
    (void)state;
    rt_conn *c = open_mem();
    ok(c, "CREATE TABLE t (x INTEGER)");
    assert_int_equal(rt_begin(c, NULL), 0);
    ok(c, "INSERT INTO t VALUES (1)");
    assert_int_equal(rt_rollback(c, NULL), 0);
    char *n = scalar(c, "SELECT count(*) FROM t", NULL, 0);
    assert_string_equal(n, "0");
    free(n);

    assert_int_equal(rt_begin(c, NULL), 0);
    ok(c, "INSERT INTO t VALUES (1)");
    assert_int_equal(rt_savepoint(c, "step 1", NULL), 0);
    ok(c, "INSERT INTO t VALUES (2)");
    assert_int_equal(rt_rollback_to(c, "step 1", NULL), 0);
    assert_int_equal(rt_release(c, "step 1", NULL), 0);
    assert_int_equal(rt_commit(c, NULL), 0);
    n = scalar(c, "SELECT group_concat(x) FROM t", NULL, 0);
    assert_string_equal(n, "1");
    free(n);
    rt_close(c);
}

static void test_errors_carry_statement(void **state)
{
    (void)state;
    rt_conn *c = open_mem();
    jy_diags d;
    jy_diags_init(&d);
    /* the second statement fails: the error names it, not the first */
    assert_int_equal(rt_exec(c, "CREATE TABLE a (x INTEGER); INSERT INTO nowhere VALUES (1);", &d),
                     -1);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "rt.sql-error");
    assert_non_null(strstr(d.v[0].message, "no such table: nowhere"));
    assert_non_null(strstr(d.v[0].message, "in statement: INSERT INTO nowhere VALUES (1);"));
    assert_null(strstr(d.v[0].message, "CREATE TABLE"));
    assert_non_null(strstr(rt_conn_error(c), "no such table"));
    assert_string_equal(rt_conn_error_statement(c), "INSERT INTO nowhere VALUES (1);");
    assert_non_null(rt_conn_error_code(c));
    jy_diags_free(&d);

    /* a constraint violation with parameters */
    jy_diags_init(&d);
    ok(c, "CREATE TABLE u (x INTEGER NOT NULL)");
    const char *p[] = {NULL};
    assert_int_equal(rt_query(c, "INSERT INTO u VALUES (?)", p, 1, NULL, &d), -1);
    assert_non_null(strstr(d.v[0].message, "NOT NULL constraint failed: u.x"));
    assert_non_null(strstr(d.v[0].message, "INSERT INTO u VALUES (?)"));
    jy_diags_free(&d);

    /* a wrong parameter count is an error, not a crash */
    jy_diags_init(&d);
    assert_int_equal(rt_query(c, "SELECT ?", NULL, 0, NULL, &d), -1);
    assert_int_equal(d.nerrors, 1);
    jy_diags_free(&d);
    /* success clears the last error */
    ok(c, "SELECT 1");
    assert_null(rt_conn_error(c));
    rt_close(c);
}

static void test_open_errors(void **state)
{
    (void)state;
    jy_diags d;
    jy_diags_init(&d);
    assert_null(rt_connect("sqlite:////nonexistent-dir-joryu/x.db", &d));
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "rt.connect-failed");
    assert_non_null(strstr(d.v[0].message, "sqlite:////nonexistent-dir-joryu/x.db"));
    assert_null(strchr(d.v[0].message, '\n'));
    jy_diags_free(&d);

    /* a file that is not a database */
    char path[] = "/tmp/joryu-notdb-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "this is not a database, just some text padding it out....", 57), 57);
    close(fd);
    char url[128];
    snprintf(url, sizeof url, "sqlite:///%s", path);
    jy_diags_init(&d);
    assert_null(rt_connect(url, &d));
    assert_int_equal(d.nerrors, 1);
    assert_non_null(strstr(d.v[0].message, "not a database"));
    jy_diags_free(&d);
    unlink(path);

    jy_diags_init(&d);
    assert_null(rt_connect("sqlite:relative.db", &d));
    assert_string_equal(d.v[0].code, "rt.url-invalid");
    jy_diags_free(&d);
}

static void test_introspection(void **state)
{
    (void)state;
    rt_conn *c = open_mem();
    ok(c, "CREATE TABLE \"Users\" ("
          "  id INTEGER PRIMARY KEY,"
          "  \"e mail\" TEXT NOT NULL DEFAULT 'x@y',"
          "  age INTEGER DEFAULT (0) CHECK (age >= 0),"
          "  score REAL,"
          "  amount NUMERIC,"
          "  data BLOB,"
          "  created TEXT DEFAULT CURRENT_TIMESTAMP,"
          "  \"select\" TEXT,"
          "  lower_mail TEXT GENERATED ALWAYS AS (lower(\"e mail\")) STORED,"
          "  CONSTRAINT users_age_max CHECK (age < 200),"
          "  CONSTRAINT \"uq mail\" UNIQUE (\"e mail\")"
          ");"
          "CREATE TABLE posts ("
          "  pid INTEGER NOT NULL,"
          "  uid INTEGER CONSTRAINT fk_uid REFERENCES \"Users\" (id) ON DELETE CASCADE,"
          "  \"Ünïcode\" TEXT,"
          "  PRIMARY KEY (uid, pid),"
          "  CONSTRAINT \"fk \"\"pid\" FOREIGN KEY (pid) REFERENCES \"Users\" ON UPDATE SET NULL"
          ");"
          "CREATE INDEX ix_posts_u ON posts (\"Ünïcode\") WHERE uid > 0;"
          "CREATE UNIQUE INDEX ix_lower ON \"Users\" (lower(\"select\"), age);"
          "CREATE VIEW v_users AS SELECT id FROM \"Users\";"
          "CREATE TRIGGER trg AFTER INSERT ON posts BEGIN SELECT 1; END;"
          "CREATE TABLE joryu_migrations (id TEXT PRIMARY KEY);");
    ir_schema *s = ir_schema_new(NULL);
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(rt_introspect(c, s, &d), 0);
    jy_diags_free(&d);
    assert_null(ir_schema_table(s, "joryu_migrations"));
    ir_table *u = ir_schema_table(s, "Users");
    assert_non_null(u);
    assert_null(ir_schema_table(s, "users")); /* case-sensitive */
    assert_int_equal(u->ncolumns, 9);
    ir_column *id = ir_table_column(u, "id");
    assert_int_equal(id->type.id, IR_T_BIGINT);
    assert_int_equal(u->npk, 1);
    assert_string_equal(u->pk[0], "id");
    ir_column *em = ir_table_column(u, "e mail");
    assert_non_null(em);
    assert_false(em->nullable);
    assert_int_equal(em->def.kind, IR_DEF_STR);
    assert_string_equal(em->def.text, "x@y");
    ir_column *age = ir_table_column(u, "age");
    assert_int_equal(age->def.kind, IR_DEF_NUM);
    assert_string_equal(age->def.text, "0");
    assert_int_equal(ir_table_column(u, "score")->type.id, IR_T_DOUBLE);
    assert_int_equal(ir_table_column(u, "amount")->type.id, IR_T_DECIMAL);
    assert_int_equal(ir_table_column(u, "data")->type.id, IR_T_BINARY);
    assert_int_equal(ir_table_column(u, "created")->def.kind, IR_DEF_NOW);
    assert_non_null(ir_table_column(u, "select"));
    ir_column *lm = ir_table_column(u, "lower_mail");
    assert_non_null(lm);
    assert_string_equal(lm->generated, "lower(\"e mail\")");
    assert_false(lm->generated_virtual);
    assert_int_equal(u->nchecks, 2);
    assert_string_equal(ir_table_constraint_kind(u, "users_age_max"), "check");
    assert_int_equal(u->nuniques, 1);
    assert_string_equal(u->uniques[0]->columns[0], "e mail");
    assert_string_equal(ir_table_constraint_kind(u, "uq mail"), "unique");
    ir_index *il = ir_table_index(u, "ix_lower");
    assert_non_null(il);
    assert_true(il->unique);
    assert_int_equal(il->ncolumns, 2);
    assert_string_equal(il->columns[0], "lower(\"select\")");
    assert_string_equal(il->columns[1], "age");

    ir_table *p = ir_schema_table(s, "posts");
    assert_non_null(p);
    assert_int_equal(p->npk, 2);
    assert_string_equal(p->pk[0], "uid");
    assert_string_equal(p->pk[1], "pid");
    assert_non_null(ir_table_column(p, "Ünïcode"));
    ir_index *ix = ir_table_index(p, "ix_posts_u");
    assert_non_null(ix);
    assert_string_equal(ix->where, "uid > 0");
    assert_int_equal(p->nfkeys, 2);
    bool cascade = false, setnull = false;
    for (size_t i = 0; i < p->nfkeys; i++) {
        ir_fkey *f = p->fkeys[i];
        assert_string_equal(f->ref_table, "Users");
        assert_int_equal(f->nref_columns, 1);
        assert_string_equal(f->ref_columns[0], "id");
        if (f->on_delete == IR_FK_CASCADE)
            cascade = true;
        if (f->on_update == IR_FK_SET_NULL)
            setnull = true;
    }
    assert_true(cascade && setnull);
    assert_string_equal(ir_table_constraint_kind(p, "fk_uid"), "fk");
    assert_string_equal(ir_table_constraint_kind(p, "fk \"pid"), "fk");
    assert_non_null(ir_schema_object(s, IR_OBJ_VIEW, "v_users", NULL));
    assert_non_null(ir_schema_object(s, IR_OBJ_TRIGGER, "trg", "posts"));

    /* the snapshot is deterministic and the model equals itself */
    char *j1 = ir_schema_to_json(s, IR_D_SQLITE);
    ir_schema *s2 = ir_schema_new(NULL);
    assert_int_equal(rt_introspect(c, s2, NULL), 0);
    char *j2 = ir_schema_to_json(s2, IR_D_SQLITE);
    assert_string_equal(j1, j2);
    jy_buf diff;
    jy_buf_init(&diff);
    assert_true(ir_schema_equal(s, s2, IR_D_SQLITE, &diff));
    assert_int_equal(diff.len, 0);

    /* a change shows as a difference */
    ok(c, "ALTER TABLE posts ADD COLUMN extra TEXT");
    ir_schema *s3 = ir_schema_new(NULL);
    assert_int_equal(rt_introspect(c, s3, NULL), 0);
    assert_false(ir_schema_equal(s, s3, IR_D_SQLITE, &diff));
    assert_string_equal(diff.data, "column posts.extra: only in the second schema\n");
    jy_buf_free(&diff);
    free(j1);
    free(j2);
    ir_schema_free(s);
    ir_schema_free(s2);
    ir_schema_free(s3);
    rt_close(c);
}

/* Every type of the type table, created as the SQLite column of types.def
 * renders it, reads back equal to the abstract type. */
static void test_type_table_round_trip(void **state)
{
    (void)state;
    rt_conn *c = open_mem();
    ir_schema *e = ir_schema_new(NULL);
    ir_table *t = ir_schema_add_table(e, "all types");
    jy_buf sql;
    jy_buf_init(&sql);
    jy_buf_puts(&sql, "CREATE TABLE \"all types\" (k INTEGER PRIMARY KEY");
    ir_type kt = {.id = IR_T_SERIAL, .length = -1, .precision = -1, .scale = -1};
    ir_table_add_column(e, t, "k", &kt);
    const char *pk[] = {"k"};
    ir_table_set_pk(e, t, NULL, pk, 1);
    static const char *const labels[] = {"a", "b"};
    for (int id = 0; id < IR_T__COUNT; id++) {
        const char *r = ir_type_table[id].render[2];
        if (!r || id == IR_T_SERIAL || id == IR_T_BIGSERIAL || id == IR_T_DIALECT)
            continue; /* unsupported here, or a key (k above) */
        ir_type ty = {.id = (ir_type_id)id, .length = -1, .precision = -1, .scale = -1};
        if (id == IR_T_STRING)
            ty.length = 40;
        if (id == IR_T_DECIMAL)
            ty.precision = 10, ty.scale = 2;
        if (id == IR_T_ENUM)
            ty.labels = (const char **)labels, ty.nlabels = 2, ty.enum_name = "ab";
        char name[48];
        snprintf(name, sizeof name, "c %s", ir_type_table[id].name);
        ir_table_add_column(e, t, name, &ty);
        if (id == IR_T_ENUM) {
            jy_buf_printf(&sql, ", \"%s\" TEXT CHECK (\"%s\" IN ('a', 'b'))", name, name);
            ir_table_add_check(e, t, NULL, "\"c Enum\" IN ('a', 'b')");
        } else {
            jy_buf_printf(&sql, ", \"%s\" %s", name, r);
        }
    }
    jy_buf_puts(&sql, ")");
    ok(c, sql.data);
    jy_buf_free(&sql);
    ir_schema *live = ir_schema_new(NULL);
    assert_int_equal(rt_introspect(c, live, NULL), 0);
    jy_buf diff;
    jy_buf_init(&diff);
    if (!ir_schema_equal(e, live, IR_D_SQLITE, &diff))
        fail_msg("%s", diff.data);
    jy_buf_free(&diff);
    char *j1 = ir_schema_to_json(e, IR_D_SQLITE), *j2 = ir_schema_to_json(live, IR_D_SQLITE);
    assert_string_equal(j1, j2);
    free(j1);
    free(j2);
    ir_schema_free(live);
    ir_schema_free(e);
    rt_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exec_and_params),
        cmocka_unit_test(test_statement_reuse),
        cmocka_unit_test(test_transactions),
        cmocka_unit_test(test_errors_carry_statement),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_introspection),
        cmocka_unit_test(test_type_table_round_trip),
        cmocka_unit_test(test_read_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
