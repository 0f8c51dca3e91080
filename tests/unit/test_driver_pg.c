/* test_driver_pg.c - the libpq driver against the real server named by
 * JORYU_TEST_PG_URL (scripts/dbservers.sh starts one).  Fails, never
 * skips, when the variable is unset or the server unreachable.  Works in a
 * private database created for this run and dropped at the end. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"

typedef struct fixture {
    char *admin_url; /* the URL given */
    char *url;       /* the private database's */
    char dbname[64];
} fixture;

/* The URL with its database replaced (text up to the path's '/'). */
static char *with_db(const char *url, const char *db)
{
    const char *auth = strstr(url, "://");
    assert_non_null(auth);
    const char *slash = strchr(auth + 3, '/');
    const char *qm = strchr(auth + 3, '?');
    size_t head = slash ? (size_t)(slash - url) : qm ? (size_t)(qm - url) : strlen(url);
    const char *tail = qm ? qm : "";
    size_t n = head + strlen(db) + strlen(tail) + 2;
    char *o = malloc(n);
    snprintf(o, n, "%.*s/%s%s", (int)head, url, db, tail);
    return o;
}

static rt_conn *must_connect(const char *url)
{
    jy_diags d;
    jy_diags_init(&d);
    rt_conn *c = rt_connect(url, &d);
    if (!c)
        fail_msg("cannot connect: %s", d.n ? d.v[0].message : "?");
    jy_diags_free(&d);
    return c;
}

static void ok(rt_conn *c, const char *sql)
{
    jy_diags d;
    jy_diags_init(&d);
    if (rt_exec(c, sql, &d) != 0)
        fail_msg("%s", d.n ? d.v[0].message : sql);
    jy_diags_free(&d);
}

static int setup(void **state)
{
    const char *url = getenv("JORYU_TEST_PG_URL");
    if (!url || !*url) {
        fprintf(stderr, "JORYU_TEST_PG_URL is not set: start the servers with "
                        "scripts/dbservers.sh start DIR and export its lines\n");
        return -1;
    }
    fixture *f = calloc(1, sizeof *f);
    f->admin_url = strdup(url);
    snprintf(f->dbname, sizeof f->dbname, "joryu_h7_%ld_%ld", (long)getpid(), (long)time(NULL));
    jy_diags d;
    jy_diags_init(&d);
    rt_conn *c = rt_connect(url, &d);
    if (!c) {
        fprintf(stderr, "cannot reach the PostgreSQL test server: %s\n",
                d.n ? d.v[0].message : "?");
        jy_diags_free(&d);
        return -1;
    }
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE \"%s\"", f->dbname);
    int rc = rt_exec(c, sql, &d);
    if (rc)
        fprintf(stderr, "%s\n", d.v[0].message);
    jy_diags_free(&d);
    rt_close(c);
    f->url = with_db(url, f->dbname);
    *state = f;
    return rc;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return -1; /* setup failed */
    rt_conn *c = rt_connect(f->admin_url, NULL);
    int rc = -1;
    if (c) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", f->dbname);
        rc = rt_exec(c, sql, NULL);
        rt_close(c);
    }
    free(f->admin_url);
    free(f->url);
    free(f);
    return rc;
}

static void test_basics(void **state)
{
    fixture *f = *state;
    rt_conn *c = must_connect(f->url);
    assert_string_equal(c->drv->name, "postgresql");
    assert_int_equal(rt_conn_dialect(c), IR_D_POSTGRESQL);
    assert_true(strlen(rt_conn_server_version(c)) > 0);
    char buf[16];
    assert_string_equal(rt_placeholder(c, 3, buf), "$3");
    ok(c, "CREATE TABLE t (id serial PRIMARY KEY, name text NOT NULL, note text)");
    const char *p[] = {"it's", NULL};
    rt_rows *r = NULL;
    assert_int_equal(rt_query(c, "INSERT INTO t (name, note) VALUES ($1, $2)", p, 2, &r, NULL), 0);
    assert_int_equal(r->affected, 1);
    rt_rows_free(r);
    assert_int_equal(rt_query(c, "SELECT id, name, note FROM t WHERE name = $1", p, 1, &r, NULL), 0);
    assert_true(rt_rows_next(r));
    assert_string_equal(rt_rows_get(r, 0, NULL), "1");
    assert_string_equal(rt_rows_get(r, 1, NULL), "it's");
    bool isnull = false;
    assert_null(rt_rows_get(r, 2, &isnull));
    assert_true(isnull);
    assert_string_equal(r->colnames[2], "note");
    rt_rows_free(r);

    /* transactions and savepoints */
    assert_int_equal(rt_begin(c, NULL), 0);
    ok(c, "INSERT INTO t (name) VALUES ('a')");
    assert_int_equal(rt_savepoint(c, "s 1", NULL), 0);
    ok(c, "INSERT INTO t (name) VALUES ('b')");
    assert_int_equal(rt_rollback_to(c, "s 1", NULL), 0);
    assert_int_equal(rt_commit(c, NULL), 0);
    assert_int_equal(rt_begin(c, NULL), 0);
    ok(c, "INSERT INTO t (name) VALUES ('c')");
    assert_int_equal(rt_rollback(c, NULL), 0);
    assert_int_equal(rt_query(c, "SELECT string_agg(name, ',' ORDER BY id) FROM t", NULL, 0, &r,
                              NULL),
                     0);
    assert_true(rt_rows_next(r));
    assert_string_equal(rt_rows_get(r, 0, NULL), "it's,a");
    rt_rows_free(r);

    /* errors: server message, SQLSTATE, statement */
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(rt_query(c, "INSERT INTO t (name) VALUES ($1)", (const char *[]){NULL}, 1,
                              NULL, &d),
                     -1);
    assert_string_equal(d.v[0].code, "rt.sql-error");
    assert_non_null(strstr(d.v[0].message, "null value in column \"name\""));
    assert_non_null(strstr(d.v[0].message, "[23502]"));
    assert_non_null(strstr(d.v[0].message, "in statement: INSERT INTO t (name) VALUES ($1)"));
    assert_string_equal(rt_conn_error_code(c), "23502");
    assert_string_equal(rt_conn_error_statement(c), "INSERT INTO t (name) VALUES ($1)");
    jy_diags_free(&d);
    jy_diags_init(&d);
    assert_int_equal(rt_exec(c, "SELEC 1", &d), -1);
    assert_non_null(strstr(d.v[0].message, "syntax error"));
    assert_null(strstr(d.v[0].message, "joryu:joryu")); /* the password stays out */
    jy_diags_free(&d);
    /* the server's hint comes along */
    jy_diags_init(&d);
    assert_int_equal(rt_exec(c, "SELECT nam FROM t", &d), -1);
    assert_non_null(strstr(d.v[0].message, "column \"nam\" does not exist"));
    assert_non_null(strstr(d.v[0].message, "hint: Perhaps you meant"));
    jy_diags_free(&d);
    ok(c, "DROP TABLE t");
    rt_close(c);
}

/* A TCP port nothing listens on (bound, then closed). */
/* A read-only session refuses writes, with the server's message. */
static void test_read_only(void **state)
{
    fixture *f = *state;
    rt_conn *c = must_connect(f->url);
    ok(c, "CREATE TABLE ro_t (x INTEGER)");
    assert_int_equal(rt_set_read_only(c, NULL), 0);
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(rt_exec(c, "INSERT INTO ro_t VALUES (1)", &d), -1);
    assert_int_equal(d.nerrors, 1);
    assert_non_null(strstr(d.v[0].message, "INSERT INTO ro_t VALUES (1)"));
    jy_diags_free(&d);
    rt_close(c);
    c = must_connect(f->url);
    ok(c, "DROP TABLE ro_t");
    rt_close(c);
}

static int closed_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t n = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &n);
    close(s);
    return ntohs(a.sin_port);
}

static void test_connect_errors(void **state)
{
    fixture *f = *state;
    jy_diags d;
    /* refused */
    char url[256];
    snprintf(url, sizeof url, "postgresql://joryu:Sekr1t-pw@127.0.0.1:%d/x", closed_port());
    jy_diags_init(&d);
    assert_null(rt_connect(url, &d));
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "rt.connect-refused");
    assert_null(strchr(d.v[0].message, '\n'));
    assert_null(strstr(d.v[0].message, "Sekr1t-pw"));
    assert_non_null(strstr(d.v[0].message, "postgresql://joryu:***@127.0.0.1:"));
    assert_non_null(strstr(d.v[0].message, "is the server running"));
    jy_diags_free(&d);

    /* wrong password: take the real URL, change the password */
    rt_url u;
    assert_int_equal(rt_url_parse(f->url, &u, NULL), 0);
    snprintf(url, sizeof url, "postgresql://%s:Wr0ng-Passw0rd@%s:%d/%s", u.user, u.host, u.port,
             u.database);
    jy_diags_init(&d);
    assert_null(rt_connect(url, &d));
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "rt.auth-failed");
    assert_null(strchr(d.v[0].message, '\n'));
    assert_null(strstr(d.v[0].message, "Wr0ng-Passw0rd"));
    assert_non_null(strstr(d.v[0].message, ":***@"));
    jy_diags_free(&d);

    /* unknown database */
    snprintf(url, sizeof url, "postgresql://%s:%s@%s:%d/joryu_no_such_db", u.user, u.password,
             u.host, u.port);
    jy_diags_init(&d);
    assert_null(rt_connect(url, &d));
    assert_string_equal(d.v[0].code, "rt.unknown-database");
    char pw[200];
    snprintf(pw, sizeof pw, ":%s@", u.password);
    assert_null(strstr(d.v[0].message, pw));
    assert_non_null(strstr(d.v[0].message, ":***@"));
    assert_non_null(strstr(d.v[0].message, "joryu_no_such_db"));
    jy_diags_free(&d);
    rt_url_free(&u);
}

static const char *const status_labels[] = {"new", "it's", "done"};

static void test_introspection(void **state)
{
    fixture *f = *state;
    rt_conn *c = must_connect(f->url);
    ok(c,
       "CREATE TYPE \"Status Ënum\" AS ENUM ('new', 'it''s', 'done');"
       "CREATE EXTENSION IF NOT EXISTS pgcrypto;"
       "CREATE TABLE \"Odd \"\"Table\" ("
       "  id bigserial PRIMARY KEY,"
       "  s smallint NOT NULL DEFAULT 0,"
       "  i integer DEFAULT -1,"
       "  b bigint,"
       "  f real,"
       "  dbl double precision,"
       "  dec numeric(10, 2) DEFAULT 1.50,"
       "  flag boolean NOT NULL DEFAULT true,"
       "  \"select\" varchar(20) DEFAULT 'x''y',"
       "  \"Mixed Case\" text,"
       "  bin bytea,"
       "  d date,"
       "  tm time,"
       "  ts timestamptz DEFAULT now(),"
       "  iv interval,"
       "  js jsonb,"
       "  u uuid,"
       "  st \"Status Ënum\" DEFAULT 'new',"
       "  arr integer[],"
       "  tsv tsvector,"
       "  sr serial,"
       "  \"naïve\" text GENERATED ALWAYS AS (lower(\"Mixed Case\")) STORED,"
       "  CONSTRAINT \"chk pos\" CHECK (dec > 0),"
       "  CONSTRAINT uq_sel UNIQUE (\"select\", i)"
       ");"
       "COMMENT ON TABLE \"Odd \"\"Table\" IS 'the odd one';"
       "COMMENT ON COLUMN \"Odd \"\"Table\".s IS 'small';"
       "CREATE TABLE child ("
       "  k integer GENERATED ALWAYS AS IDENTITY,"
       "  parent bigint REFERENCES \"Odd \"\"Table\" (id) ON DELETE CASCADE ON UPDATE SET NULL,"
       "  PRIMARY KEY (k)"
       ");"
       "CREATE INDEX ix_part ON \"Odd \"\"Table\" (b) WHERE b > 10;"
       "CREATE UNIQUE INDEX \"Ix Expr\" ON \"Odd \"\"Table\" (lower(\"Mixed Case\"), d);"
       "CREATE INDEX ix_gin ON \"Odd \"\"Table\" USING gin (js);"
       "CREATE VIEW v1 AS SELECT id FROM \"Odd \"\"Table\";"
       "CREATE MATERIALIZED VIEW mv1 AS SELECT id FROM \"Odd \"\"Table\";"
       "CREATE FUNCTION trg_fn() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
       "CREATE TRIGGER trg1 BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION trg_fn();"
       "ALTER TABLE child ENABLE ROW LEVEL SECURITY;"
       "CREATE POLICY pol1 ON child USING (k > 0);"
       "CREATE SEQUENCE seq1;"
       "CREATE SCHEMA other_schema;"
       "CREATE TABLE joryu_migrations (id varchar(120) PRIMARY KEY);");
    ir_schema *live = ir_schema_new(NULL);
    jy_diags d;
    jy_diags_init(&d);
    if (rt_introspect(c, live, &d) != 0)
        fail_msg("%s", d.n ? d.v[0].message : "?");
    jy_diags_free(&d);

    /* the expected model, built with the API as replay would */
    ir_schema *e = ir_schema_new(NULL);
    ir_table *t = ir_schema_add_table(e, "Odd \"Table");
    t->comment = "the odd one";
    ir_type ty = {.length = -1, .precision = -1, .scale = -1};
#define COL(name, tid) (ty.id = (tid), ir_table_add_column(e, t, (name), &ty))
    COL("id", IR_T_BIGSERIAL);
    ir_column *c_s = COL("s", IR_T_SMALLINT);
    c_s->nullable = false;
    c_s->def = (ir_default){IR_DEF_NUM, "0"};
    c_s->comment = "small";
    COL("i", IR_T_INT)->def = (ir_default){IR_DEF_NUM, "-1"};
    COL("b", IR_T_BIGINT);
    COL("f", IR_T_FLOAT);
    COL("dbl", IR_T_DOUBLE);
    ty.precision = 10, ty.scale = 2;
    COL("dec", IR_T_DECIMAL)->def = (ir_default){IR_DEF_SQL, "1.5"}; /* a number, see below */
    ty.precision = ty.scale = -1;
    ir_column *c_flag = COL("flag", IR_T_BOOL);
    c_flag->nullable = false;
    c_flag->def = (ir_default){IR_DEF_BOOL, "true"};
    ty.length = 20;
    COL("select", IR_T_STRING)->def = (ir_default){IR_DEF_STR, "x'y"};
    ty.length = -1;
    COL("Mixed Case", IR_T_TEXT);
    ty.length = 16; /* Binary(16): PostgreSQL keeps no length: equal */
    COL("bin", IR_T_BINARY);
    ty.length = -1;
    COL("d", IR_T_DATE);
    COL("tm", IR_T_TIME);
    COL("ts", IR_T_TIMESTAMP)->def = (ir_default){IR_DEF_NOW, NULL};
    COL("iv", IR_T_INTERVAL);
    COL("js", IR_T_JSON);
    COL("u", IR_T_UUID);
    ty.enum_name = "Status Ënum";
    ty.labels = (const char **)status_labels;
    ty.nlabels = 3;
    COL("st", IR_T_ENUM)->def = (ir_default){IR_DEF_STR, "new"};
    ty.enum_name = NULL, ty.labels = NULL, ty.nlabels = 0;
    ir_type inner = {.id = IR_T_INT, .length = -1, .precision = -1, .scale = -1};
    ty.inner = &inner;
    COL("arr", IR_T_ARRAY);
    ty.inner = NULL;
    ty.dialect_of = IR_D_POSTGRESQL;
    ty.dialect_type = "tsvector";
    COL("tsv", IR_T_DIALECT);
    ty.dialect_type = NULL;
    COL("sr", IR_T_SERIAL)->nullable = false;
    COL("naïve", IR_T_TEXT)->generated = "lower(\"Mixed Case\")";
    const char *pk[] = {"id"};
    ir_table_set_pk(e, t, NULL, pk, 1);
    ir_table_add_check(e, t, "chk pos", "dec > 0");
    const char *uq[] = {"select", "i"};
    ir_table_add_unique(e, t, "uq_sel", uq, 2);
    const char *ib[] = {"b"};
    ir_table_add_index(e, t, "ix_part", false, ib, 1, "b > 10", NULL);
    const char *ie[] = {"lower(\"Mixed Case\")", "d"};
    ir_table_add_index(e, t, "Ix Expr", true, ie, 2, NULL, NULL);
    const char *ij[] = {"js"};
    ir_table_add_index(e, t, "ix_gin", false, ij, 1, NULL, "gin");
    ir_table *ch = ir_schema_add_table(e, "child");
    ty.id = IR_T_INT;
    ir_table_add_column(e, ch, "k", &ty)->identity = IR_IDENT_ALWAYS;
    ty.id = IR_T_BIGINT;
    ir_table_add_column(e, ch, "parent", &ty);
    const char *kk[] = {"k"}, *pc[] = {"parent"}, *rc[] = {"id"};
    ir_table_set_pk(e, ch, NULL, kk, 1);
    ir_table_add_fkey(e, ch, "child_parent_fkey", pc, 1, "Odd \"Table", rc, 1, IR_FK_CASCADE,
                      IR_FK_SET_NULL);
    ir_schema_add_enum(e, "Status Ënum", status_labels, 3);
    ir_schema_add_object(e, IR_OBJ_EXTENSION, "pgcrypto", NULL, NULL);
    ir_schema_add_object(e, IR_OBJ_VIEW, "v1", NULL, "SELECT id FROM \"Odd \"\"Table\"");
    ir_schema_add_object(e, IR_OBJ_MATVIEW, "mv1", NULL, "SELECT id FROM \"Odd \"\"Table\"");
    ir_schema_add_object(e, IR_OBJ_TRIGGER, "trg1", "child", NULL);
    ir_schema_add_object(e, IR_OBJ_POLICY, "pol1", "child", "k > 0");
    ir_schema_add_object(e, IR_OBJ_SEQUENCE, "seq1", NULL, NULL);
    ir_schema_add_object(e, IR_OBJ_SCHEMA, "other_schema", NULL, NULL);

    /* 1.50 as written in a migration would be default=1.5: a number */
    ir_table_column(t, "dec")->def = (ir_default){IR_DEF_NUM, "1.5"};

    jy_buf diff;
    jy_buf_init(&diff);
    bool eq = ir_schema_equal(e, live, IR_D_POSTGRESQL, &diff);
    if (!eq)
        fail_msg("expected vs live:\n%s", diff.data);
    jy_buf_free(&diff);

    /* a few facts straight from the live model */
    ir_table *lt = ir_schema_table(live, "Odd \"Table");
    assert_non_null(lt);
    assert_null(ir_schema_table(live, "joryu_migrations"));
    assert_int_equal(ir_table_column(lt, "id")->identity, IR_IDENT_AUTO);
    assert_int_equal(ir_table_column(lt, "st")->type.id, IR_T_ENUM);
    assert_string_equal(ir_table_column(lt, "st")->type.enum_name, "Status Ënum");
    assert_int_equal(ir_schema_enum(live, "Status Ënum")->nlabels, 3);
    assert_string_equal(ir_schema_enum(live, "Status Ënum")->labels[1], "it's");
    assert_string_equal(ir_table_column(lt, "dec")->db_type, "numeric(10,2)");

    /* the snapshot is stable and shows a drift */
    char *j1 = ir_schema_to_json(live, IR_D_POSTGRESQL);
    char *j2 = ir_schema_to_json(e, IR_D_POSTGRESQL);
    assert_string_equal(j1, j2);
    free(j1);
    free(j2);
    ok(c, "ALTER TABLE child ALTER COLUMN parent SET NOT NULL");
    ir_schema *live2 = ir_schema_new(NULL);
    assert_int_equal(rt_introspect(c, live2, NULL), 0);
    jy_buf_init(&diff);
    assert_false(ir_schema_equal(e, live2, IR_D_POSTGRESQL, &diff));
    assert_string_equal(diff.data, "column child.parent: nullable differs (true vs false)\n");
    jy_buf_free(&diff);
    ir_schema_free(live2);
    ir_schema_free(live);
    ir_schema_free(e);
    rt_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basics),
        cmocka_unit_test(test_connect_errors),
        cmocka_unit_test(test_introspection),
        cmocka_unit_test(test_read_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
