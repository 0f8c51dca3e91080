/* test_state.c - the state tables (reference §9.2) and the apply lock on
 * SQLite (a temporary file), PostgreSQL (JORYU_TEST_PG_URL) and MariaDB
 * (JORYU_TEST_MYSQL_URL).  A server test fails, never skips, when its
 * variable is unset or the server unreachable.  Each server group works in
 * a private database created for the run and dropped at the end; every
 * test starts by dropping the state tables. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"

typedef struct fixture {
    rt_db_kind kind;
    char *admin_url; /* servers: the URL given */
    char *url;       /* the private database's */
    char dbname[64];
    char dir[64];    /* SQLite: the temporary folder */
    char *db_path;   /* SQLite: the database file */
} fixture;

/* ------------------------------------------------------------ helpers */

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

static const char *first_message(const jy_diags *d)
{
    return d->n ? d->v[0].message : "(no diagnostic)";
}

static rt_conn *must_connect(const char *url)
{
    jy_diags d;
    jy_diags_init(&d);
    rt_conn *c = rt_connect(url, &d);
    if (!c)
        fail_msg("cannot connect: %s", first_message(&d));
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

/* Call a state/lock function that must succeed: any diagnostic fails the
 * test with its message. */
#define MUST(call)                                                                                 \
    do {                                                                                           \
        jy_diags d_;                                                                               \
        jy_diags_init(&d_);                                                                        \
        jy_diags *d = &d_;                                                                         \
        if ((call) != 0)                                                                           \
            fail_msg("%s failed: %s", #call, first_message(&d_));                                  \
        assert_int_equal(d_.n, 0);                                                                 \
        jy_diags_free(&d_);                                                                        \
    } while (0)

/* The first diagnostic's code of a call that must fail (copied to out). */
#define MUST_FAIL(call, code_out, msg_out)                                                         \
    do {                                                                                           \
        jy_diags d_;                                                                               \
        jy_diags_init(&d_);                                                                        \
        jy_diags *d = &d_;                                                                         \
        if ((call) == 0)                                                                           \
            fail_msg("%s succeeded, expected a failure", #call);                                   \
        assert_true(d_.n >= 1);                                                                    \
        snprintf(code_out, sizeof code_out, "%s", d_.v[0].code);                                   \
        snprintf(msg_out, sizeof msg_out, "%s", d_.v[0].message);                                  \
        jy_diags_free(&d_);                                                                        \
    } while (0)

/* A fresh start: no state tables. */
static rt_conn *fresh(const fixture *f)
{
    rt_conn *c = must_connect(f->url);
    ok(c, "DROP TABLE IF EXISTS joryu_migration_steps");
    ok(c, "DROP TABLE IF EXISTS joryu_migrations");
    return c;
}

static rt_state load(rt_conn *c)
{
    rt_state st;
    MUST(rt_state_load(c, &st, d));
    return st;
}

/* One value of a query (malloc'd; NULL for SQL NULL). */
static char *value(rt_conn *c, const char *sql)
{
    rt_rows *r = NULL;
    jy_diags d;
    jy_diags_init(&d);
    if (rt_query(c, sql, NULL, 0, &r, &d) != 0)
        fail_msg("%s: %s", sql, first_message(&d));
    jy_diags_free(&d);
    assert_true(r->nrows >= 1);
    const char *v = rt_rows_cell(r, 0, 0);
    char *o = v ? strdup(v) : NULL;
    rt_rows_free(r);
    return o;
}

static bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
                                                         : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (!n)
            return false;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

/* ---------------------------------------------------------- fixtures */

static int server_setup(void **state, rt_db_kind kind, const char *var)
{
    const char *url = getenv(var);
    if (!url || !*url) {
        fprintf(stderr, "%s is not set: start the servers with scripts/dbservers.sh start DIR "
                        "and export its lines\n", var);
        return -1;
    }
    fixture *f = calloc(1, sizeof *f);
    f->kind = kind;
    f->admin_url = strdup(url);
    snprintf(f->dbname, sizeof f->dbname, "joryu_state_%ld_%ld", (long)getpid(),
             (long)time(NULL));
    *state = f;
    jy_diags d;
    jy_diags_init(&d);
    rt_conn *c = rt_connect(url, &d);
    if (!c) {
        fprintf(stderr, "cannot reach the test server (%s): %s\n", var, first_message(&d));
        jy_diags_free(&d);
        return -1;
    }
    char sql[160];
    snprintf(sql, sizeof sql, kind == RT_DB_POSTGRESQL ? "CREATE DATABASE \"%s\""
                                                       : "CREATE DATABASE `%s`",
             f->dbname);
    int rc = rt_exec(c, sql, &d);
    if (rc)
        fprintf(stderr, "%s\n", first_message(&d));
    jy_diags_free(&d);
    rt_close(c);
    f->url = with_db(url, f->dbname);
    return rc;
}

static int server_teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return -1;
    int rc = -1;
    rt_conn *c = f->url ? rt_connect(f->admin_url, NULL) : NULL;
    if (c) {
        char sql[192];
        snprintf(sql, sizeof sql,
                 f->kind == RT_DB_POSTGRESQL ? "DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)"
                                             : "DROP DATABASE IF EXISTS `%s`",
                 f->dbname);
        rc = rt_exec(c, sql, NULL);
        rt_close(c);
    }
    free(f->admin_url);
    free(f->url);
    free(f);
    return rc;
}

static int pg_setup(void **state)
{
    return server_setup(state, RT_DB_POSTGRESQL, "JORYU_TEST_PG_URL");
}

static int my_setup(void **state)
{
    return server_setup(state, RT_DB_MYSQL, "JORYU_TEST_MYSQL_URL");
}

static int lite_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->kind = RT_DB_SQLITE;
    snprintf(f->dir, sizeof f->dir, "/tmp/joryu_state_XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    size_t n = strlen(f->dir) + 32;
    f->db_path = malloc(n);
    snprintf(f->db_path, n, "%s/state.db", f->dir);
    f->url = malloc(n + 16);
    snprintf(f->url, n + 16, "sqlite:///%s", f->db_path); /* sqlite:////tmp/... */
    *state = f;
    return 0;
}

static int lite_teardown(void **state)
{
    fixture *f = *state;
    const char *suffix[] = {"", "-journal", "-wal", "-shm", ".joryu-lock"};
    for (size_t i = 0; i < 5; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", f->db_path, suffix[i]);
        unlink(p);
    }
    int rc = rmdir(f->dir);
    free(f->db_path);
    free(f->url);
    free(f);
    return rc;
}

/* ------------------------------------------------------------- tests */

/* The status names round-trip; "none" is not a stored value. */
static void test_status_names(void **state)
{
    (void)state;
    for (int s = RT_MS_PENDING; s <= RT_MS_PAUSED; s++) {
        rt_mig_status o;
        assert_true(rt_mig_status_parse(rt_mig_status_name((rt_mig_status)s), &o));
        assert_int_equal(o, s);
    }
    rt_mig_status o;
    assert_false(rt_mig_status_parse("none", &o));
    assert_false(rt_mig_status_parse("APPLIED", &o));
    assert_string_equal(rt_mig_status_name(RT_MS_APPLIED), "applied");
    assert_string_equal(rt_step_status_name(RT_SS_DONE), "done");
    for (int s = RT_SS_PENDING; s <= RT_SS_SKIPPED; s++) {
        rt_step_status so;
        assert_true(rt_step_status_parse(rt_step_status_name((rt_step_status)s), &so));
        assert_int_equal(so, s);
    }
    rt_step_status so;
    assert_false(rt_step_status_parse("paused", &so));
}

/* Absent tables load as "not there" and are not created by loading;
 * ensure creates both tables and the index, twice is fine. */
static void test_ensure(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    rt_state st = load(c);
    assert_false(st.exists);
    assert_int_equal(st.n, 0);
    rt_state_free(&st);
    st = load(c); /* still not created by the load */
    assert_false(st.exists);
    rt_state_free(&st);

    MUST(rt_state_ensure(c, d));
    MUST(rt_state_ensure(c, d));
    st = load(c);
    assert_true(st.exists);
    assert_int_equal(st.n, 0);
    rt_state_free(&st);

    /* every column of §9.2 is there */
    ok(c, "SELECT id, checksum, status, started_at, finished_at, joryu_version, dialect,"
          " last_error, pause_reason FROM joryu_migrations");
    ok(c, "SELECT migration_id, step_index, op_kind, op_fingerprint, status, started_at,"
          " finished_at, progress FROM joryu_migration_steps");
    /* the status index */
    const char *q = f->kind == RT_DB_POSTGRESQL
                        ? "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
                          " AND indexname = 'idx_joryu_migrations_status'"
                    : f->kind == RT_DB_SQLITE
                        ? "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                          " AND name = 'idx_joryu_migrations_status'"
                        : "SELECT count(DISTINCT index_name) FROM information_schema.statistics"
                          " WHERE table_schema = DATABASE() AND table_name = 'joryu_migrations'"
                          " AND index_name = 'idx_joryu_migrations_status' AND column_name = "
                          "'status'";
    char *v = value(c, q);
    assert_string_equal(v, "1");
    free(v);
    /* the primary keys: a duplicate row is refused */
    ok(c, "INSERT INTO joryu_migrations (id, checksum, status, started_at, joryu_version, dialect)"
          " VALUES ('x', 'c', 'applied', CURRENT_TIMESTAMP, '0', 'sqlite')");
    assert_int_equal(rt_exec(c,
                             "INSERT INTO joryu_migrations (id, checksum, status, started_at,"
                             " joryu_version, dialect) VALUES ('x', 'c', 'applied',"
                             " CURRENT_TIMESTAMP, '0', 'sqlite')",
                             NULL),
                     -1);
    ok(c, "INSERT INTO joryu_migration_steps (migration_id, step_index, op_kind, op_fingerprint,"
          " status, started_at) VALUES ('x', 0, 'k', 'f', 'done', CURRENT_TIMESTAMP)");
    assert_int_equal(rt_exec(c,
                             "INSERT INTO joryu_migration_steps (migration_id, step_index,"
                             " op_kind, op_fingerprint, status, started_at) VALUES ('x', 0, 'k',"
                             " 'f', 'done', CURRENT_TIMESTAMP)",
                             NULL),
                     -1);
    /* a third ensure over tables with rows keeps them */
    MUST(rt_state_ensure(c, d));
    st = load(c);
    assert_int_equal(st.n, 1);
    assert_int_equal(st.migs[0].nsteps, 1);
    rt_state_free(&st);

    /* a lost index comes back */
    ok(c, f->kind == RT_DB_MYSQL ? "DROP INDEX idx_joryu_migrations_status ON joryu_migrations"
                                 : "DROP INDEX idx_joryu_migrations_status");
    v = value(c, q);
    assert_string_equal(v, "0");
    free(v);
    MUST(rt_state_ensure(c, d));
    v = value(c, q);
    assert_string_equal(v, "1");
    free(v);

    /* half the pair (an applier killed between two CREATE TABLEs on
     * MySQL): loading works, ensure completes it */
    ok(c, "DROP TABLE joryu_migration_steps");
    st = load(c);
    assert_true(st.exists);
    assert_int_equal(st.n, 1);
    assert_int_equal(st.migs[0].nsteps, 0);
    rt_state_free(&st);
    MUST(rt_state_ensure(c, d));
    MUST(rt_state_step_begin(c, "x", 2, "execute", "fp", d));
    st = load(c);
    assert_int_equal(st.migs[0].nsteps, 1);
    rt_state_free(&st);
    rt_close(c);
}

/* Ensure inside the caller's transaction (PostgreSQL and SQLite: a
 * savepoint; the tables commit with the caller). */
static void test_ensure_in_transaction(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    MUST(rt_begin(c, d));
    MUST(rt_state_ensure(c, d));
    MUST(rt_state_mig_begin(c, "20260101T000000_a", "c1", NULL, d));
    MUST(rt_commit(c, d));
    rt_state st = load(c);
    assert_true(st.exists);
    assert_int_equal(st.n, 1);
    rt_state_free(&st);
    rt_close(c);
}

/* Ensure on a session that cannot create tables fails with the server's
 * error as a diagnostic (PostgreSQL and SQLite: a read-only session). */
static void test_ensure_error(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    if (f->kind == RT_DB_SQLITE) {
        rt_close(c);
        char url[256];
        snprintf(url, sizeof url, "%s?mode=ro", f->url);
        c = must_connect(url);
    } else {
        MUST(rt_set_read_only(c, d));
    }
    char code[64], msg[512];
    MUST_FAIL(rt_state_ensure(c, d), code, msg);
    assert_string_equal(code, "rt.sql-error");
    assert_non_null(strstr(msg, "CREATE TABLE"));
    rt_state st = load(c);
    assert_false(st.exists);
    rt_state_free(&st);
    rt_close(c);
}

/* Four processes ensure at once on a fresh database: all succeed. */
static void test_ensure_race(void **state)
{
    fixture *f = *state;
    for (int round = 0; round < 3; round++) {
        rt_close(fresh(f));
        int go[2];
        assert_int_equal(pipe(go), 0);
        pid_t kids[4];
        for (int i = 0; i < 4; i++) {
            kids[i] = fork();
            assert_true(kids[i] >= 0);
            if (kids[i] == 0) {
                close(go[1]);
                rt_conn *c = rt_connect(f->url, NULL);
                char b;
                if (!c || read(go[0], &b, 1) != 0)
                    _exit(2);
                jy_diags d;
                jy_diags_init(&d);
                int rc = rt_state_ensure(c, &d);
                if (rc)
                    fprintf(stderr, "child %d: %s\n", i, first_message(&d));
                _exit(rc ? 1 : 0);
            }
        }
        close(go[0]);
        usleep(200 * 1000); /* let every child connect */
        close(go[1]);       /* go */
        for (int i = 0; i < 4; i++) {
            int ws = 0;
            assert_int_equal(waitpid(kids[i], &ws, 0), kids[i]);
            assert_true(WIFEXITED(ws));
            assert_int_equal(WEXITSTATUS(ws), 0);
        }
    }
    rt_conn *c = must_connect(f->url);
    rt_state st = load(c);
    assert_true(st.exists);
    rt_state_free(&st);
    rt_close(c);
}

/* Migration rows: begin, set (failed, paused, applied, pending),
 * checksum, delete (with its steps). */
static void test_migration_rows(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    MUST(rt_state_ensure(c, d));
    const char *id = "20260101T000001_users";
    MUST(rt_state_mig_begin(c, id, "sha1", NULL, d));
    rt_state st = load(c);
    assert_int_equal(st.n, 1);
    const rt_mig_row *m = rt_state_find(&st, id);
    assert_non_null(m);
    assert_string_equal(m->id, id);
    assert_string_equal(m->checksum, "sha1");
    assert_int_equal(m->status, RT_MS_RUNNING);
    assert_non_null(m->started_at);
    assert_true(strlen(m->started_at) >= 19); /* YYYY-MM-DD HH:MM:SS */
    assert_null(m->finished_at);
    assert_string_equal(m->joryu_version, JORYU_VERSION);
    assert_string_equal(m->dialect, ir_dialect_name(rt_conn_dialect(c)));
    assert_null(m->last_error);
    assert_null(m->pause_reason);
    assert_null(rt_state_find(&st, "20260101T000002_other"));
    rt_state_free(&st);

    /* failed: last_error stored, finished_at set; pause_reason not stored */
    MUST(rt_state_mig_set(c, id, RT_MS_FAILED, "duplicate column: phone", "ignored", d));
    st = load(c);
    m = rt_state_find(&st, id);
    assert_int_equal(m->status, RT_MS_FAILED);
    assert_string_equal(m->last_error, "duplicate column: phone");
    assert_null(m->pause_reason);
    assert_non_null(m->finished_at);
    rt_state_free(&st);

    /* retry: begin again updates in place, clears the error */
    MUST(rt_state_mig_begin(c, id, "sha2", "postgresql", d));
    st = load(c);
    assert_int_equal(st.n, 1);
    m = rt_state_find(&st, id);
    assert_int_equal(m->status, RT_MS_RUNNING);
    assert_string_equal(m->checksum, "sha2");
    assert_string_equal(m->dialect, "postgresql");
    assert_null(m->last_error);
    assert_null(m->finished_at);
    rt_state_free(&st);

    /* paused: pause_reason stored, last_error not */
    MUST(rt_state_mig_set(c, id, RT_MS_PAUSED, "err", "SIGINT", d));
    st = load(c);
    m = rt_state_find(&st, id);
    assert_int_equal(m->status, RT_MS_PAUSED);
    assert_string_equal(m->pause_reason, "SIGINT");
    assert_null(m->last_error);
    assert_non_null(m->finished_at);
    rt_state_free(&st);

    /* applied: no error metadata */
    MUST(rt_state_mig_set(c, id, RT_MS_APPLIED, "x", "y", d));
    st = load(c);
    m = rt_state_find(&st, id);
    assert_int_equal(m->status, RT_MS_APPLIED);
    assert_null(m->pause_reason);
    assert_null(m->last_error);
    assert_non_null(m->finished_at);
    rt_state_free(&st);

    /* pending (mark): finished_at cleared */
    MUST(rt_state_mig_set(c, id, RT_MS_PENDING, NULL, NULL, d));
    st = load(c);
    assert_int_equal(rt_state_find(&st, id)->status, RT_MS_PENDING);
    assert_null(rt_state_find(&st, id)->finished_at);
    rt_state_free(&st);

    MUST(rt_state_mig_set_checksum(c, id, "sha3", d));
    st = load(c);
    assert_string_equal(rt_state_find(&st, id)->checksum, "sha3");
    rt_state_free(&st);

    /* a row that is not there */
    char code[64], msg[512];
    MUST_FAIL(rt_state_mig_set(c, "20260101T000009_nope", RT_MS_APPLIED, NULL, NULL, d), code,
              msg);
    assert_string_equal(code, "rt.state-missing-row");
    assert_non_null(strstr(msg, "20260101T000009_nope"));
    MUST_FAIL(rt_state_mig_set_checksum(c, "20260101T000009_nope", "x", d), code, msg);
    assert_string_equal(code, "rt.state-missing-row");
    MUST_FAIL(rt_state_mig_set(c, id, RT_MS_NONE, NULL, NULL, d), code, msg);
    assert_string_equal(code, "rt.state-invalid");

    /* delete takes the steps along */
    MUST(rt_state_step_begin(c, id, 0, "add_column", "fp0", d));
    MUST(rt_state_step_begin(c, id, 1, "create_index", "fp1", d));
    MUST(rt_state_mig_begin(c, "20260101T000002_keep", "k", NULL, d));
    MUST(rt_state_step_begin(c, "20260101T000002_keep", 0, "add_column", "fpk", d));
    MUST(rt_state_mig_delete(c, id, d));
    MUST(rt_state_mig_delete(c, id, d)); /* twice: nothing to do, no error */
    st = load(c);
    assert_int_equal(st.n, 1);
    assert_null(rt_state_find(&st, id));
    assert_int_equal(st.migs[0].nsteps, 1);
    rt_state_free(&st);
    char *v = value(c, "SELECT count(*) FROM joryu_migration_steps");
    assert_string_equal(v, "1");
    free(v);
    rt_close(c);
}

/* Step rows: begin, set with progress kept / replaced / cleared,
 * finished_at, begin again, delete from an index. */
/* rt_state_load_unfinished (apply, text status): applied migrations come
 * without their step rows; unfinished ones keep theirs; the migration rows
 * are all there. */
static void test_load_unfinished(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    MUST(rt_state_ensure(c, d));
    const char *done = "20260101T000001_done", *failed = "20260101T000002_failed";
    MUST(rt_state_mig_begin(c, done, "s1", NULL, d));
    MUST(rt_state_step_begin(c, done, 0, "create_table", "fpa", d));
    MUST(rt_state_step_set(c, done, 0, RT_SS_DONE, NULL, d));
    MUST(rt_state_mig_set(c, done, RT_MS_APPLIED, NULL, NULL, d));
    MUST(rt_state_mig_begin(c, failed, "s2", NULL, d));
    MUST(rt_state_step_begin(c, failed, 0, "add_column", "fpb", d));
    MUST(rt_state_step_set(c, failed, 0, RT_SS_DONE, NULL, d));
    MUST(rt_state_step_begin(c, failed, 1, "create_index", "fpc", d));
    MUST(rt_state_step_set(c, failed, 1, RT_SS_FAILED, NULL, d));
    MUST(rt_state_mig_set(c, failed, RT_MS_FAILED, "boom", NULL, d));

    rt_state st;
    MUST(rt_state_load_unfinished(c, &st, d));
    assert_true(st.exists);
    assert_int_equal(st.n, 2);
    const rt_mig_row *m = rt_state_find(&st, done);
    assert_non_null(m);
    assert_int_equal(m->status, RT_MS_APPLIED);
    assert_string_equal(m->checksum, "s1");
    assert_int_equal(m->nsteps, 0);
    m = rt_state_find(&st, failed);
    assert_non_null(m);
    assert_int_equal(m->status, RT_MS_FAILED);
    assert_string_equal(m->last_error, "boom");
    assert_int_equal(m->nsteps, 2);
    assert_string_equal(m->steps[1].op_fingerprint, "fpc");
    assert_int_equal(m->steps[1].status, RT_SS_FAILED);
    rt_state_free(&st);

    /* the full load still has every step */
    st = load(c);
    assert_true(st.ready);
    assert_int_equal(rt_state_find(&st, done)->nsteps, 1);
    assert_non_null(rt_state_find(&st, done)->started_at);
    assert_string_equal(rt_state_find(&st, done)->joryu_version, JORYU_VERSION);
    rt_state_free(&st);
    rt_close(c);
}

/* rt_state_read(RT_STATE_UNFINISHED): an applied migration is id, checksum
 * and status only; an unfinished one comes whole, with or without steps,
 * and without the steps table (a MySQL applier killed between the two
 * CREATE TABLEs); st.ready says whether rt_state_ensure has work left. */
static void test_read_lean(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    rt_state st;
    MUST(rt_state_read(c, RT_STATE_UNFINISHED, &st, d));
    assert_false(st.exists);
    assert_false(st.ready);
    assert_int_equal(st.n, 0);
    rt_state_free(&st);

    MUST(rt_state_ensure(c, d));
    const char *done = "20260101T000001_done", *failed = "20260101T000002_failed",
               *paused = "20260101T000003_paused";
    MUST(rt_state_mig_begin(c, done, "s1", NULL, d));
    MUST(rt_state_step_begin(c, done, 0, "create_table", "fpa", d));
    MUST(rt_state_mig_set(c, done, RT_MS_APPLIED, NULL, NULL, d));
    MUST(rt_state_mig_begin(c, failed, "s2", NULL, d));
    MUST(rt_state_step_begin(c, failed, 0, "add_column", "fpb", d));
    MUST(rt_state_step_set(c, failed, 0, RT_SS_FAILED, "{\"stmts_done\":1}", d));
    MUST(rt_state_mig_set(c, failed, RT_MS_FAILED, "boom", NULL, d));
    MUST(rt_state_mig_begin(c, paused, "s3", "sqlite", d));
    MUST(rt_state_mig_set(c, paused, RT_MS_PAUSED, NULL, "max-duration", d));

    MUST(rt_state_read(c, RT_STATE_UNFINISHED, &st, d));
    assert_true(st.exists);
    assert_true(st.ready);
    assert_int_equal(st.n, 3);
    const rt_mig_row *m = rt_state_find(&st, done);
    assert_int_equal(m->status, RT_MS_APPLIED);
    assert_string_equal(m->checksum, "s1");
    assert_null(m->started_at);
    assert_null(m->finished_at);
    assert_null(m->joryu_version);
    assert_null(m->dialect);
    assert_int_equal(m->nsteps, 0);
    m = rt_state_find(&st, failed);
    assert_int_equal(m->status, RT_MS_FAILED);
    assert_string_equal(m->checksum, "s2");
    assert_non_null(m->started_at);
    assert_non_null(m->finished_at);
    assert_string_equal(m->joryu_version, JORYU_VERSION);
    assert_string_equal(m->last_error, "boom");
    assert_null(m->pause_reason);
    assert_int_equal(m->nsteps, 1);
    assert_string_equal(m->steps[0].op_kind, "add_column");
    assert_string_equal(m->steps[0].progress, "{\"stmts_done\":1}");
    assert_non_null(m->steps[0].started_at);
    m = rt_state_find(&st, paused);
    assert_int_equal(m->status, RT_MS_PAUSED);
    assert_string_equal(m->dialect, "sqlite");
    assert_string_equal(m->pause_reason, "max-duration");
    assert_int_equal(m->nsteps, 0);
    rt_state_free(&st);

    /* no steps table: the unfinished migrations' details, no steps */
    ok(c, "DROP TABLE joryu_migration_steps");
    MUST(rt_state_read(c, RT_STATE_UNFINISHED, &st, d));
    assert_true(st.exists);
    assert_false(st.ready);
    assert_int_equal(st.n, 3);
    m = rt_state_find(&st, failed);
    assert_string_equal(m->last_error, "boom");
    assert_non_null(m->started_at);
    assert_int_equal(m->nsteps, 0);
    assert_null(rt_state_find(&st, done)->started_at);
    rt_state_free(&st);
    MUST(rt_state_ensure(c, d));
    MUST(rt_state_read(c, RT_STATE_UNFINISHED, &st, d));
    assert_true(st.ready);
    rt_state_free(&st);
    rt_close(c);
}

static void test_step_rows(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    MUST(rt_state_ensure(c, d));
    const char *id = "20260101T000001_backfill";
    MUST(rt_state_mig_begin(c, id, "sum", NULL, d));
    MUST(rt_state_step_begin(c, id, 0, "add_column", "fp0", d));
    MUST(rt_state_step_begin(c, id, 1, "backfill", "fp1", d));
    MUST(rt_state_step_begin(c, id, 2, "alter_column", "fp2", d));

    MUST(rt_state_step_set(c, id, 0, RT_SS_DONE, NULL, d));
    MUST(rt_state_step_set(c, id, 1, RT_SS_RUNNING, "{\"cursor\": 5000}", d));
    rt_state st = load(c);
    const rt_mig_row *m = rt_state_find(&st, id);
    assert_int_equal(m->nsteps, 3);
    assert_int_equal(m->steps[0].step_index, 0);
    assert_int_equal(m->steps[0].status, RT_SS_DONE);
    assert_string_equal(m->steps[0].op_kind, "add_column");
    assert_string_equal(m->steps[0].op_fingerprint, "fp0");
    assert_non_null(m->steps[0].started_at);
    assert_non_null(m->steps[0].finished_at);
    assert_null(m->steps[0].progress);
    assert_int_equal(m->steps[1].status, RT_SS_RUNNING);
    assert_null(m->steps[1].finished_at);
    assert_string_equal(m->steps[1].progress, "{\"cursor\": 5000}");
    assert_int_equal(m->steps[2].status, RT_SS_RUNNING);
    rt_state_free(&st);

    /* NULL keeps the progress; begin again keeps it too */
    MUST(rt_state_step_set(c, id, 1, RT_SS_PENDING, NULL, d));
    MUST(rt_state_step_begin(c, id, 1, "backfill", "fp1b", d));
    st = load(c);
    m = rt_state_find(&st, id);
    assert_int_equal(m->steps[1].status, RT_SS_RUNNING);
    assert_string_equal(m->steps[1].op_fingerprint, "fp1b");
    assert_string_equal(m->steps[1].progress, "{\"cursor\": 5000}");
    rt_state_free(&st);

    /* a new value replaces it; failed and skipped finish the step */
    MUST(rt_state_step_set(c, id, 1, RT_SS_FAILED, "{\"cursor\": 9000}", d));
    MUST(rt_state_step_set(c, id, 2, RT_SS_SKIPPED, NULL, d));
    st = load(c);
    m = rt_state_find(&st, id);
    assert_int_equal(m->steps[1].status, RT_SS_FAILED);
    assert_string_equal(m->steps[1].progress, "{\"cursor\": 9000}");
    assert_non_null(m->steps[1].finished_at);
    assert_int_equal(m->steps[2].status, RT_SS_SKIPPED);
    assert_non_null(m->steps[2].finished_at);
    rt_state_free(&st);

    /* "" clears it */
    MUST(rt_state_step_set(c, id, 1, RT_SS_DONE, "", d));
    st = load(c);
    assert_null(rt_state_find(&st, id)->steps[1].progress);
    rt_state_free(&st);

    /* a step that is not there */
    char code[64], msg[512];
    MUST_FAIL(rt_state_step_set(c, id, 7, RT_SS_DONE, NULL, d), code, msg);
    assert_string_equal(code, "rt.state-missing-row");
    assert_non_null(strstr(msg, "step 8"));

    /* restart from step index 1 */
    MUST(rt_state_steps_delete(c, id, 1, d));
    st = load(c);
    m = rt_state_find(&st, id);
    assert_int_equal(m->nsteps, 1);
    assert_int_equal(m->steps[0].step_index, 0);
    rt_state_free(&st);
    MUST(rt_state_steps_delete(c, id, 0, d));
    st = load(c);
    assert_int_equal(rt_state_find(&st, id)->nsteps, 0);
    rt_state_free(&st);
    rt_close(c);
}

/* rt_state_write_batch leaves what the single writers would: begun rows
 * (running or applied), done steps (progress kept), applied updates of
 * rows begun earlier; more rows than one statement takes; a missing row. */
static void test_batch(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    MUST(rt_state_ensure(c, d));
    /* an earlier run: a failed migration with a step's progress */
    MUST(rt_state_mig_begin(c, "20260101T000000_old", "old", NULL, d));
    MUST(rt_state_step_begin(c, "20260101T000000_old", 0, "backfill", "fp", d));
    MUST(rt_state_step_set(c, "20260101T000000_old", 0, RT_SS_RUNNING, "{\"next_key\":5}", d));
    MUST(rt_state_mig_set(c, "20260101T000000_old", RT_MS_FAILED, "boom", NULL, d));
    enum { N = 1203 };
    char(*ids)[40] = malloc(N * sizeof *ids);
    rt_state_mig_w *mw = malloc((N + 1) * sizeof *mw);
    rt_state_step_w *sw = malloc((N + 1) * sizeof *sw);
    assert_true(ids && mw && sw);
    for (size_t i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "20260102T%06zu_m", i);
        mw[i] = (rt_state_mig_w){.id = ids[i], .checksum = "sum", .begin = true,
                                 .status = i == 7 ? RT_MS_RUNNING : RT_MS_APPLIED};
        sw[i] = (rt_state_step_w){.id = ids[i], .step_index = (uint32_t)(i % 3),
                                  .op_kind = "add_column", .fingerprint = "fp1"};
    }
    mw[N] = (rt_state_mig_w){.id = "20260101T000000_old", .checksum = "old",
                             .status = RT_MS_APPLIED};
    sw[N] = (rt_state_step_w){.id = "20260101T000000_old", .step_index = 0,
                              .op_kind = "backfill", .fingerprint = "fp"};
    MUST(rt_begin(c, d));
    MUST(rt_state_write_batch(c, mw, N + 1, sw, N + 1, d));
    MUST(rt_commit(c, d));
    rt_state st = load(c);
    assert_int_equal(st.n, N + 1);
    const rt_mig_row *m = rt_state_find(&st, ids[5]);
    assert_int_equal(m->status, RT_MS_APPLIED);
    assert_string_equal(m->checksum, "sum");
    assert_non_null(m->finished_at);
    assert_string_equal(m->joryu_version, JORYU_VERSION);
    assert_int_equal(m->nsteps, 1);
    assert_int_equal(m->steps[0].step_index, 2);
    assert_int_equal(m->steps[0].status, RT_SS_DONE);
    assert_non_null(m->steps[0].finished_at);
    m = rt_state_find(&st, ids[7]);
    assert_int_equal(m->status, RT_MS_RUNNING);
    assert_null(m->finished_at);
    m = rt_state_find(&st, "20260101T000000_old");
    assert_int_equal(m->status, RT_MS_APPLIED);
    assert_null(m->last_error);
    assert_string_equal(m->checksum, "old");
    assert_int_equal(m->steps[0].status, RT_SS_DONE);
    assert_string_equal(m->steps[0].progress, "{\"next_key\":5}");
    rt_state_free(&st);
    /* applied for a row nobody began */
    rt_state_mig_w lost = {.id = "20260103T000000_none", .checksum = "x",
                           .status = RT_MS_APPLIED};
    char code[64], msg[512];
    MUST_FAIL(rt_state_write_batch(c, &lost, 1, NULL, 0, d), code, msg);
    assert_string_equal(code, "rt.state-missing-row");
    free(ids);
    free(mw);
    free(sw);
    rt_close(c);
}

/* Writers run inside the caller's transaction: a rollback undoes them. */
static void test_writers_in_transaction(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    MUST(rt_state_ensure(c, d));
    MUST(rt_begin(c, d));
    MUST(rt_state_mig_begin(c, "20260101T000001_a", "c", NULL, d));
    MUST(rt_state_step_begin(c, "20260101T000001_a", 0, "execute", "fp", d));
    MUST(rt_rollback(c, d));
    rt_state st = load(c);
    assert_int_equal(st.n, 0);
    rt_state_free(&st);
    rt_close(c);
}

/* Loading sorts migrations by id and steps by number (10 after 9). */
static void test_load_sorted(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    MUST(rt_state_ensure(c, d));
    const char *ids[] = {"20260301T000000_c", "20260101T000000_a", "20260201T000000_b",
                         "20260101T000000_a_2"};
    for (size_t i = 0; i < 4; i++)
        MUST(rt_state_mig_begin(c, ids[i], "x", NULL, d));
    const uint32_t idx[] = {10, 2, 9, 0, 1};
    for (size_t i = 0; i < 5; i++)
        MUST(rt_state_step_begin(c, ids[2], idx[i], "execute", "fp", d));
    MUST(rt_state_step_begin(c, ids[1], 3, "execute", "fp", d));
    rt_state st = load(c);
    assert_int_equal(st.n, 4);
    assert_string_equal(st.migs[0].id, "20260101T000000_a");
    assert_string_equal(st.migs[1].id, "20260101T000000_a_2");
    assert_string_equal(st.migs[2].id, "20260201T000000_b");
    assert_string_equal(st.migs[3].id, "20260301T000000_c");
    assert_int_equal(st.migs[0].nsteps, 1);
    assert_int_equal(st.migs[0].steps[0].step_index, 3);
    assert_int_equal(st.migs[1].nsteps, 0);
    assert_int_equal(st.migs[3].nsteps, 0);
    const rt_mig_row *b = rt_state_find(&st, "20260201T000000_b");
    assert_ptr_equal(b, &st.migs[2]);
    assert_int_equal(b->nsteps, 5);
    const uint32_t want[] = {0, 1, 2, 9, 10};
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(b->steps[i].step_index, want[i]);
    for (size_t i = 0; i < 4; i++)
        assert_ptr_equal(rt_state_find(&st, st.migs[i].id), &st.migs[i]);
    rt_state_free(&st);
    rt_close(c);
}

/* last_error and pause_reason: at most 4096 bytes, cut on a character
 * boundary; bytes that are not UTF-8 become '?'. */
static void test_truncation(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    MUST(rt_state_ensure(c, d));
    const char *id = "20260101T000001_long";
    MUST(rt_state_mig_begin(c, id, "x", NULL, d));
    /* "x" then 3000 two-byte characters: the cut at 4096 would split one */
    size_t n = 1 + 3000 * 2;
    char *big = malloc(n + 1);
    big[0] = 'x';
    for (size_t i = 0; i < 3000; i++)
        memcpy(big + 1 + 2 * i, "\xc3\xa9", 2); /* é */
    big[n] = 0;
    MUST(rt_state_mig_set(c, id, RT_MS_FAILED, big, NULL, d));
    rt_state st = load(c);
    const char *e = rt_state_find(&st, id)->last_error;
    assert_int_equal(strlen(e), 4095);
    assert_true(utf8_valid(e));
    assert_memory_equal(e, big, 4095);
    rt_state_free(&st);

    /* pause_reason likewise; a short text is kept whole */
    MUST(rt_state_mig_set(c, id, RT_MS_PAUSED, NULL, big + 1, d));
    st = load(c);
    assert_int_equal(strlen(rt_state_find(&st, id)->pause_reason), 4096);
    rt_state_free(&st);
    free(big);

    MUST(rt_state_mig_set(c, id, RT_MS_FAILED, "bad \xff byte \xc3 end \xe2\x82\xac", NULL, d));
    st = load(c);
    assert_string_equal(rt_state_find(&st, id)->last_error, "bad ? byte ? end \xe2\x82\xac");
    rt_state_free(&st);
    rt_close(c);
}

/* A status joryu does not know: rt.state-corrupt naming the row. */
static void test_corrupt(void **state)
{
    fixture *f = *state;
    rt_conn *c = fresh(f);
    MUST(rt_state_ensure(c, d));
    MUST(rt_state_mig_begin(c, "20260101T000001_a", "x", NULL, d));
    MUST(rt_state_step_begin(c, "20260101T000001_a", 4, "execute", "fp", d));
    ok(c, "UPDATE joryu_migration_steps SET status = 'exploded'");
    rt_state st;
    char code[64], msg[512];
    MUST_FAIL(rt_state_load(c, &st, d), code, msg);
    assert_string_equal(code, "rt.state-corrupt");
    assert_non_null(strstr(msg, "20260101T000001_a"));
    assert_non_null(strstr(msg, "step 5"));
    assert_non_null(strstr(msg, "'exploded'"));
    assert_false(st.exists);
    assert_int_equal(st.n, 0);
    rt_state_free(&st);

    ok(c, "UPDATE joryu_migration_steps SET status = 'done'");
    ok(c, "UPDATE joryu_migrations SET status = 'half-done'");
    MUST_FAIL(rt_state_load(c, &st, d), code, msg);
    assert_string_equal(code, "rt.state-corrupt");
    assert_non_null(strstr(msg, "joryu_migrations row '20260101T000001_a'"));
    assert_non_null(strstr(msg, "'half-done'"));
    rt_state_free(&st);
    rt_close(c);
}

/* The lock: a second connection cannot take it while the first holds it,
 * can after a release, and after the first connection closes. */
static void test_lock(void **state)
{
    fixture *f = *state;
    rt_conn *a = fresh(f);
    MUST(rt_state_ensure(a, d));
    rt_conn *b = must_connect(f->url);
    char code[64], msg[512];

    MUST(rt_lock_acquire(a, 0, d));
    /* the holder's own connection is not blocked, nor other readers */
    MUST(rt_state_mig_begin(a, "20260101T000001_a", "x", NULL, d));
    rt_state st = load(b);
    assert_int_equal(st.n, 1);
    rt_state_free(&st);

    MUST_FAIL(rt_lock_acquire(b, 0.5, d), code, msg);
    assert_string_equal(code, "rt.lock-timeout");
    char want[512];
    char *red = rt_url_redact(f->url);
    snprintf(want, sizeof want,
             "another joryu apply holds the lock on %s; waited 0.5 s: retry, or raise "
             "--lock-timeout",
             red);
    free(red);
    assert_string_equal(msg, want);
    if (f->kind != RT_DB_SQLITE)
        assert_null(strstr(msg, ":joryu@")); /* no password */
    MUST_FAIL(rt_lock_acquire(b, 0, d), code, msg);
    assert_string_equal(code, "rt.lock-timeout");

    /* taking it again on the holder changes nothing; one release frees it */
    MUST(rt_lock_acquire(a, 0, d));
    MUST(rt_lock_release(a, d));
    MUST(rt_lock_acquire(b, 0.5, d));
    MUST_FAIL(rt_lock_acquire(a, 0, d), code, msg);
    assert_string_equal(code, "rt.lock-timeout");
    MUST(rt_lock_release(b, d));
    MUST(rt_lock_release(b, d)); /* not held: no error */

    /* closing the holder's connection frees it */
    MUST(rt_lock_acquire(a, 0, d));
    MUST_FAIL(rt_lock_acquire(b, 0, d), code, msg);
    rt_close(a);
    /* a server notices the closed session a moment later: wait for it */
    MUST(rt_lock_acquire(b, 30, d));
    MUST(rt_lock_release(b, d));
    rt_close(b);
}

/* The lock dies with its process; timeout < 0 waits until it is free. */
static void test_lock_process(void **state)
{
    fixture *f = *state;
    rt_close(fresh(f));
    int held[2];
    assert_int_equal(pipe(held), 0);
    pid_t kid = fork();
    assert_true(kid >= 0);
    if (kid == 0) {
        close(held[0]);
        rt_conn *c = rt_connect(f->url, NULL);
        if (!c || rt_lock_acquire(c, 0, NULL) != 0)
            _exit(1);
        if (write(held[1], "x", 1) != 1)
            _exit(1);
        usleep(700 * 1000);
        _exit(0); /* dies holding it: no release, no close */
    }
    close(held[1]);
    char x;
    assert_int_equal(read(held[0], &x, 1), 1);
    close(held[0]);
    rt_conn *c = must_connect(f->url);
    char code[64], msg[512];
    MUST_FAIL(rt_lock_acquire(c, 0, d), code, msg);
    assert_string_equal(code, "rt.lock-timeout");
    MUST(rt_lock_acquire(c, -1, d)); /* waits for the child's death */
    int ws = 0;
    assert_int_equal(waitpid(kid, &ws, 0), kid);
    assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
    MUST(rt_lock_release(c, d));
    rt_close(c);
}

/* Servers: the lock belongs to one database; two databases on one server
 * do not block each other.  The second database's name is 60 characters
 * long (MySQL: the lock's name then uses a hash of it). */
static void test_lock_per_database(void **state)
{
    fixture *f = *state;
    char other[160];
    snprintf(other, sizeof other, "%s_%s", f->dbname,
             "other_database_with_a_rather_long_name_xxxxxxxxxxxxxxxxxxxxx");
    other[60] = 0;
    char sql[256];
    const char *q = f->kind == RT_DB_POSTGRESQL ? "\"" : "`";
    rt_conn *admin = must_connect(f->admin_url);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s%s%s", q, other, q);
    ok(admin, sql);
    char *url2 = with_db(f->admin_url, other);
    rt_conn *a = must_connect(f->url);
    rt_conn *b = must_connect(url2);
    rt_conn *b2 = must_connect(url2);
    char code[64], msg[512];
    MUST(rt_lock_acquire(a, 0, d));
    MUST(rt_lock_acquire(b, 0, d));
    MUST_FAIL(rt_lock_acquire(b2, 0, d), code, msg);
    assert_string_equal(code, "rt.lock-timeout");
    assert_non_null(strstr(msg, other));
    MUST(rt_lock_release(b, d));
    MUST(rt_lock_acquire(b2, 0, d));
    rt_close(b2);
    rt_close(b);
    rt_close(a);
    free(url2);
    snprintf(sql, sizeof sql,
             f->kind == RT_DB_POSTGRESQL ? "DROP DATABASE \"%s\" WITH (FORCE)"
                                         : "DROP DATABASE `%s`",
             other);
    ok(admin, sql);
    rt_close(admin);
}

/* SQLite: the lock file sits beside the database; :memory: needs none. */
static void test_lock_sqlite_file(void **state)
{
    fixture *f = *state;
    rt_conn *c = must_connect(f->url);
    MUST(rt_lock_acquire(c, 0, d));
    char p[160];
    snprintf(p, sizeof p, "%s.joryu-lock", f->db_path);
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    /* the database itself stays writable through its own connection and
     * through a second one */
    ok(c, "CREATE TABLE IF NOT EXISTS t_lock (x INTEGER)");
    rt_conn *o = must_connect(f->url);
    ok(o, "INSERT INTO t_lock VALUES (1)");
    ok(o, "DROP TABLE t_lock");
    rt_close(o);
    MUST(rt_lock_release(c, d));
    rt_close(c);

    rt_conn *m1 = must_connect("sqlite::memory:");
    rt_conn *m2 = must_connect("sqlite::memory:");
    MUST(rt_lock_acquire(m1, 0, d));
    MUST(rt_lock_acquire(m2, 0, d));
    MUST(rt_lock_release(m1, d));
    MUST(rt_lock_release(m2, d));
    rt_close(m1);
    rt_close(m2);
}

#define STATE_TESTS                                                                                \
    cmocka_unit_test(test_ensure), cmocka_unit_test(test_ensure_in_transaction),                   \
        cmocka_unit_test(test_ensure_race), cmocka_unit_test(test_migration_rows),                 \
        cmocka_unit_test(test_step_rows), cmocka_unit_test(test_load_unfinished),                  \
        cmocka_unit_test(test_read_lean),                                                          \
        cmocka_unit_test(test_batch),                            \
        cmocka_unit_test(test_writers_in_transaction),                                             \
        cmocka_unit_test(test_load_sorted), cmocka_unit_test(test_truncation),                     \
        cmocka_unit_test(test_corrupt), cmocka_unit_test(test_lock),                               \
        cmocka_unit_test(test_lock_process)

int main(void)
{
    const struct CMUnitTest plain[] = {cmocka_unit_test(test_status_names)};
    const struct CMUnitTest lite[] = {STATE_TESTS, cmocka_unit_test(test_ensure_error),
                                      cmocka_unit_test(test_lock_sqlite_file)};
    const struct CMUnitTest pg[] = {STATE_TESTS, cmocka_unit_test(test_ensure_error),
                                    cmocka_unit_test(test_lock_per_database)};
    const struct CMUnitTest my[] = {STATE_TESTS, cmocka_unit_test(test_lock_per_database)};
    int fails = cmocka_run_group_tests_name("state", plain, NULL, NULL);
    fails += cmocka_run_group_tests_name("state.sqlite", lite, lite_setup, lite_teardown);
    fails += cmocka_run_group_tests_name("state.postgresql", pg, pg_setup, server_teardown);
    fails += cmocka_run_group_tests_name("state.mariadb", my, my_setup, server_teardown);
    return fails ? 1 : 0;
}
