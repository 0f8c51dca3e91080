/* test_driver_mysql.c - the MariaDB Connector/C driver against the real
 * server named by JORYU_TEST_MYSQL_URL (scripts/dbservers.sh starts a
 * MariaDB).  Fails, never skips, when the variable is unset or the server
 * unreachable.  Works in a private database created for this run (named
 * joryu_..., which the test user may create) and dropped at the end. */
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
    char *admin_url;
    char *url;
    char dbname[64];
} fixture;

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
    const char *url = getenv("JORYU_TEST_MYSQL_URL");
    if (!url || !*url) {
        fprintf(stderr, "JORYU_TEST_MYSQL_URL is not set: start the servers with "
                        "scripts/dbservers.sh start DIR and export its lines\n");
        return -1;
    }
    fixture *f = calloc(1, sizeof *f);
    f->admin_url = strdup(url);
    snprintf(f->dbname, sizeof f->dbname, "joryu_h7_%ld_%ld", (long)getpid(), (long)time(NULL));
    *state = f;
    jy_diags d;
    jy_diags_init(&d);
    rt_conn *c = rt_connect(url, &d);
    if (!c) {
        fprintf(stderr, "cannot reach the MySQL test server: %s\n", d.n ? d.v[0].message : "?");
        jy_diags_free(&d);
        return -1;
    }
    char sql[160];
    snprintf(sql, sizeof sql,
             "CREATE DATABASE `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", f->dbname);
    int rc = rt_exec(c, sql, &d);
    if (rc)
        fprintf(stderr, "%s\n", d.v[0].message);
    jy_diags_free(&d);
    rt_close(c);
    f->url = with_db(url, f->dbname);
    return rc;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return -1;
    rt_conn *c = rt_connect(f->admin_url, NULL);
    int rc = -1;
    if (c) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`", f->dbname);
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
    assert_string_equal(c->drv->name, "mysql");
    /* the test server is MariaDB: the flavour comes from the server */
    if (strstr(rt_conn_server_version(c), "MariaDB"))
        assert_int_equal(rt_conn_dialect(c), IR_D_MARIADB);
    else
        assert_int_equal(rt_conn_dialect(c), IR_D_MYSQL);
    char buf[16];
    assert_string_equal(rt_placeholder(c, 3, buf), "?");
    char *qi = rt_quote_ident(c, "we`ird");
    assert_string_equal(qi, "`we``ird`");
    free(qi);
    ok(c, "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, "
          "note LONGTEXT) ENGINE=InnoDB; INSERT INTO t (name) VALUES ('first');");
    const char *p[] = {"it's \\ ok", NULL};
    rt_rows *r = NULL;
    assert_int_equal(rt_query(c, "INSERT INTO t (name, note) VALUES (?, ?)", p, 2, &r, NULL), 0);
    assert_int_equal(r->affected, 1);
    rt_rows_free(r);
    assert_int_equal(rt_query(c, "SELECT id, name, note FROM t WHERE name = ?", p, 1, &r, NULL), 0);
    assert_int_equal(r->nrows, 1);
    assert_true(rt_rows_next(r));
    assert_string_equal(rt_rows_get(r, 0, NULL), "2");
    assert_string_equal(rt_rows_get(r, 1, NULL), "it's \\ ok");
    bool isnull = false;
    assert_null(rt_rows_get(r, 2, &isnull));
    assert_true(isnull);
    assert_string_equal(r->colnames[1], "name");
    rt_rows_free(r);
    /* a long value through a prepared statement */
    char *big = malloc(100001);
    memset(big, 'z', 100000);
    big[100000] = 0;
    const char *pb[] = {big, "x"};
    assert_int_equal(rt_query(c, "UPDATE t SET note = ? WHERE name = ?", (const char *[]){big, "first"},
                              2, NULL, NULL),
                     0);
    (void)pb;
    assert_int_equal(rt_query(c, "SELECT note FROM t WHERE name = ?", (const char *[]){"first"}, 1,
                              &r, NULL),
                     0);
    assert_true(rt_rows_next(r));
    assert_int_equal(strlen(rt_rows_get(r, 0, NULL)), 100000);
    rt_rows_free(r);
    free(big);

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
    assert_int_equal(rt_query(c, "SELECT GROUP_CONCAT(name ORDER BY id) FROM t WHERE id > 2",
                              NULL, 0, &r, NULL),
                     0);
    assert_true(rt_rows_next(r));
    assert_string_equal(rt_rows_get(r, 0, NULL), "a");
    rt_rows_free(r);

    /* errors: server message, code, statement */
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(rt_query(c, "INSERT INTO t (name) VALUES (?)", (const char *[]){NULL}, 1,
                              NULL, &d),
                     -1);
    assert_string_equal(d.v[0].code, "rt.sql-error");
    assert_non_null(strstr(d.v[0].message, "cannot be null"));
    assert_non_null(strstr(d.v[0].message, "[1048/23000]"));
    assert_non_null(strstr(d.v[0].message, "in statement: INSERT INTO t (name) VALUES (?)"));
    assert_string_equal(rt_conn_error_statement(c), "INSERT INTO t (name) VALUES (?)");
    jy_diags_free(&d);
    jy_diags_init(&d);
    assert_int_equal(rt_exec(c, "SELECT 1; SELEC 2", &d), -1);
    assert_non_null(strstr(d.v[0].message, "syntax"));
    jy_diags_free(&d);
    ok(c, "SELECT 1"); /* the connection is usable after a failed multi-statement */
    ok(c, "DROP TABLE t");
    rt_close(c);
}

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
    char url[256];
    snprintf(url, sizeof url, "mysql://joryu:Sekr1t-pw@127.0.0.1:%d/x", closed_port());
    jy_diags_init(&d);
    assert_null(rt_connect(url, &d));
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "rt.connect-refused");
    assert_null(strchr(d.v[0].message, '\n'));
    assert_null(strstr(d.v[0].message, "Sekr1t-pw"));
    assert_non_null(strstr(d.v[0].message, "mysql://joryu:***@127.0.0.1:"));
    jy_diags_free(&d);

    rt_url u;
    assert_int_equal(rt_url_parse(f->url, &u, NULL), 0);
    snprintf(url, sizeof url, "mariadb://%s:Wr0ng-Passw0rd@%s:%d/%s", u.user, u.host, u.port,
             u.database);
    jy_diags_init(&d);
    assert_null(rt_connect(url, &d));
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "rt.auth-failed");
    assert_null(strchr(d.v[0].message, '\n'));
    assert_null(strstr(d.v[0].message, "Wr0ng-Passw0rd"));
    assert_non_null(strstr(d.v[0].message, "mariadb://"));
    jy_diags_free(&d);

    snprintf(url, sizeof url, "mysql://%s:%s@%s:%d/joryu_no_such_db", u.user, u.password,
             u.host, u.port);
    jy_diags_init(&d);
    assert_null(rt_connect(url, &d));
    assert_string_equal(d.v[0].code, "rt.unknown-database");
    char pw[200];
    snprintf(pw, sizeof pw, ":%s@", u.password);
    assert_null(strstr(d.v[0].message, pw));
    jy_diags_free(&d);
    rt_url_free(&u);
}

static const char *const ab[] = {"a", "b'c"};

static void test_introspection(void **state)
{
    fixture *f = *state;
    rt_conn *c = must_connect(f->url);
    ir_dialect dia = rt_conn_dialect(c);
    ok(c,
       "CREATE TABLE `Odd ``Table` ("
       "  id BIGINT AUTO_INCREMENT PRIMARY KEY,"
       "  s SMALLINT NOT NULL DEFAULT 0 COMMENT 'small',"
       "  i INT DEFAULT -1,"
       "  f FLOAT,"
       "  dbl DOUBLE,"
       "  `dec` DECIMAL(10,2) DEFAULT 1.50,"
       "  flag TINYINT(1) NOT NULL DEFAULT 1,"
       "  `select` VARCHAR(20) DEFAULT 'x''y',"
       "  `Mixed Case` LONGTEXT,"
       "  bin VARBINARY(16),"
       "  blb LONGBLOB,"
       "  d DATE,"
       "  tm TIME,"
       "  ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP,"
       "  js JSON,"
       "  u CHAR(36),"
       "  st ENUM('a', 'b''c') DEFAULT 'a',"
       "  `naïve` VARCHAR(50) GENERATED ALWAYS AS (lower(`select`)) STORED,"
       "  CONSTRAINT `chk pos` CHECK (`dec` > 0),"
       "  CONSTRAINT uq_sel UNIQUE (`select`, i)"
       ") COMMENT 'the odd one';"
       "CREATE TABLE child ("
       "  k INT NOT NULL AUTO_INCREMENT,"
       "  parent BIGINT,"
       "  PRIMARY KEY (k),"
       "  CONSTRAINT fk_parent FOREIGN KEY (parent) REFERENCES `Odd ``Table` (id) "
       "    ON DELETE CASCADE ON UPDATE SET NULL"
       ");"
       "CREATE INDEX ix_i ON `Odd ``Table` (i, d);"
       "CREATE VIEW v1 AS SELECT id FROM `Odd ``Table`;"
       "CREATE TRIGGER trg1 BEFORE INSERT ON child FOR EACH ROW SET NEW.k = NEW.k;"
       "CREATE TABLE joryu_migration_steps (migration_id VARCHAR(120) NOT NULL);");
    ir_schema *live = ir_schema_new(NULL);
    jy_diags d;
    jy_diags_init(&d);
    if (rt_introspect(c, live, &d) != 0)
        fail_msg("%s", d.n ? d.v[0].message : "?");
    jy_diags_free(&d);

    ir_schema *e = ir_schema_new(NULL);
    ir_table *t = ir_schema_add_table(e, "Odd `Table");
    t->comment = "the odd one";
    ir_type ty = {.length = -1, .precision = -1, .scale = -1};
#define COL(name, tid) (ty.id = (tid), ir_table_add_column(e, t, (name), &ty))
    COL("id", IR_T_BIGSERIAL);
    ir_column *c_s = COL("s", IR_T_SMALLINT);
    c_s->nullable = false;
    c_s->def = (ir_default){IR_DEF_NUM, "0"};
    c_s->comment = "small";
    COL("i", IR_T_INT)->def = (ir_default){IR_DEF_NUM, "-1"};
    COL("f", IR_T_FLOAT);
    COL("dbl", IR_T_DOUBLE);
    ty.precision = 10, ty.scale = 2;
    COL("dec", IR_T_DECIMAL)->def = (ir_default){IR_DEF_NUM, "1.5"};
    ty.precision = ty.scale = -1;
    ir_column *c_flag = COL("flag", IR_T_BOOL);
    c_flag->nullable = false;
    c_flag->def = (ir_default){IR_DEF_BOOL, "true"};
    ty.length = 20;
    COL("select", IR_T_STRING)->def = (ir_default){IR_DEF_STR, "x'y"};
    ty.length = -1;
    COL("Mixed Case", IR_T_TEXT);
    ty.length = 16;
    COL("bin", IR_T_BINARY);
    ty.length = -1;
    COL("blb", IR_T_BINARY);
    COL("d", IR_T_DATE);
    COL("tm", IR_T_TIME);
    COL("ts", IR_T_TIMESTAMP)->def = (ir_default){IR_DEF_NOW, NULL};
    COL("js", IR_T_JSON);
    COL("u", IR_T_UUID);
    ty.enum_name = "st_enum"; /* the name is not kept by MySQL: still equal */
    ty.labels = (const char **)ab;
    ty.nlabels = 2;
    COL("st", IR_T_ENUM)->def = (ir_default){IR_DEF_STR, "a"};
    ty.enum_name = NULL, ty.labels = NULL, ty.nlabels = 0;
    ty.length = 50;
    COL("naïve", IR_T_STRING)->generated = "lower(`select`)";
    ty.length = -1;
    const char *pk[] = {"id"};
    ir_table_set_pk(e, t, NULL, pk, 1);
    ir_table_add_check(e, t, "chk pos", "`dec` > 0");
    const char *uq[] = {"select", "i"};
    ir_table_add_unique(e, t, "uq_sel", uq, 2);
    const char *ii[] = {"i", "d"};
    ir_table_add_index(e, t, "ix_i", false, ii, 2, NULL, NULL);
    ir_table *ch = ir_schema_add_table(e, "child");
    ty.id = IR_T_SERIAL;
    ir_table_add_column(e, ch, "k", &ty)->nullable = false;
    ty.id = IR_T_BIGINT;
    ir_table_add_column(e, ch, "parent", &ty);
    const char *kk[] = {"k"}, *pc[] = {"parent"}, *rc[] = {"id"};
    ir_table_set_pk(e, ch, NULL, kk, 1);
    ir_table_add_fkey(e, ch, "fk_parent", pc, 1, "Odd `Table", rc, 1, IR_FK_CASCADE,
                      IR_FK_SET_NULL);
    ir_schema_add_object(e, IR_OBJ_VIEW, "v1", NULL, NULL);
    ir_schema_add_object(e, IR_OBJ_TRIGGER, "trg1", "child", NULL);

    jy_buf diff;
    jy_buf_init(&diff);
    if (!ir_schema_equal(e, live, dia, &diff))
        fail_msg("expected vs live (%s):\n%s", ir_dialect_name(dia), diff.data);
    jy_buf_free(&diff);

    ir_table *lt = ir_schema_table(live, "Odd `Table");
    assert_non_null(lt);
    assert_null(ir_schema_table(live, "joryu_migration_steps"));
    assert_int_equal(ir_table_column(lt, "id")->identity, IR_IDENT_AUTO);
    assert_int_equal(ir_table_column(lt, "flag")->type.id, IR_T_BOOL);
    assert_int_equal(ir_table_column(lt, "js")->type.id, IR_T_JSON);
    assert_int_equal(ir_table_column(lt, "st")->type.nlabels, 2);
    assert_string_equal(ir_table_column(lt, "st")->type.labels[1], "b'c");
    /* no index is invented for the foreign key */
    assert_int_equal(ir_schema_table(live, "child")->nindexes, 0);

    char *j1 = ir_schema_to_json(live, dia);
    char *j2 = ir_schema_to_json(e, dia);
    assert_string_equal(j1, j2);
    free(j1);
    free(j2);

    ok(c, "ALTER TABLE `Odd ``Table` MODIFY f FLOAT NOT NULL");
    ir_schema *live2 = ir_schema_new(NULL);
    assert_int_equal(rt_introspect(c, live2, NULL), 0);
    jy_buf_init(&diff);
    assert_false(ir_schema_equal(e, live2, dia, &diff));
    assert_string_equal(diff.data, "column Odd `Table.f: nullable differs (true vs false)\n");
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
