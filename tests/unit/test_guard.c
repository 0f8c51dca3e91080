/*
 * test_guard.c - ensure guards (backends/guard.c writes them, runtime/guard.c
 * evaluates them) on live SQLite, PostgreSQL (JORYU_TEST_PG_URL) and
 * MariaDB/MySQL (JORYU_TEST_MYSQL_URL).  A suite whose server URL is unset
 * or unreachable fails; nothing is skipped.
 *
 * What a user would check: before a step runs its guard says RUN, after it
 * ran SKIP (re-running a migration is safe), over the whole valid history
 * and its downgrades; an object made by hand with another shape is DRIFT
 * with a message naming the object and the difference; on_mismatch="skip"
 * and "alter" (whose statements really reconcile); renames in each state;
 * op.batch blocks all, none or partly applied; no false drift between a
 * dialect's renderings of one abstract type (MariaDB TEXT vs LONGTEXT).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "frontend.h"
#include "runtime.h"

#define HISTORY JORYU_SRC "/tests/valid-history"

enum { DB_SQLITE, DB_PG, DB_MYSQL };

typedef struct db {
    int which;
    rt_conn *c;
    ir_dialect d;
} db;

static void reset(db *x);

static void db_open(db *x, int which)
{
    memset(x, 0, sizeof *x);
    x->which = which;
    const char *url = "sqlite::memory:";
    if (which == DB_PG) {
        url = getenv("JORYU_TEST_PG_URL");
        if (!url || !*url)
            fail_msg("JORYU_TEST_PG_URL is not set: start the servers with "
                     "eval \"$(scripts/dbservers.sh start DIR)\" or run scripts/test.sh");
    } else if (which == DB_MYSQL) {
        url = getenv("JORYU_TEST_MYSQL_URL");
        if (!url || !*url)
            fail_msg("JORYU_TEST_MYSQL_URL is not set: start the servers with "
                     "eval \"$(scripts/dbservers.sh start DIR)\" or run scripts/test.sh");
    }
    jy_diags d;
    jy_diags_init(&d);
    x->c = rt_connect(url, &d);
    if (!x->c)
        jy_diags_print(&d, stdout, false);
    jy_diags_free(&d);
    assert_non_null(x->c);
    x->d = rt_conn_dialect(x->c);
    reset(x);
}

static void must_exec(db *x, const char *sql)
{
    jy_diags d;
    jy_diags_init(&d);
    int rc = rt_exec(x->c, sql, &d);
    if (rc) {
        print_message("statement failed: %s\n", sql);
        jy_diags_print(&d, stdout, false);
    }
    jy_diags_free(&d);
    assert_int_equal(rc, 0);
}

/* An empty schema to work in. */
static void reset(db *x)
{
    if (x->which == DB_PG) {
        must_exec(x, "DROP SCHEMA IF EXISTS jy_guards CASCADE; DROP SCHEMA IF EXISTS reporting "
                     "CASCADE; DROP EXTENSION IF EXISTS pg_trgm; CREATE SCHEMA jy_guards; "
                     "SET search_path TO jy_guards");
    } else if (x->which == DB_MYSQL) {
        must_exec(x, "DROP DATABASE IF EXISTS joryu_guards; CREATE DATABASE joryu_guards "
                     "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; USE joryu_guards");
    } else {
        jy_diags d;
        jy_diags_init(&d);
        rt_close(x->c);
        x->c = rt_connect("sqlite::memory:", &d);
        jy_diags_free(&d);
        assert_non_null(x->c);
    }
}

static void db_close(db *x)
{
    if (x->which == DB_PG)
        must_exec(x, "DROP SCHEMA IF EXISTS jy_guards CASCADE; DROP SCHEMA IF EXISTS reporting "
                     "CASCADE");
    else if (x->which == DB_MYSQL)
        must_exec(x, "DROP DATABASE IF EXISTS joryu_guards");
    rt_close(x->c);
}

/* pg / mysql / sqlite spelling of a statement. */
static const char *pick(const db *x, const char *pg, const char *my, const char *lite)
{
    return x->which == DB_PG ? pg : x->which == DB_MYSQL ? my : lite;
}

/* Run a step's statements (its backfill with the whole key range). */
static int run_step(db *x, const be_step *st)
{
    jy_diags d;
    jy_diags_init(&d);
    int rc = 0;
    for (size_t k = 0; k < st->nstmts && rc == 0; k++) {
        if (st->stmts[k].flags & BE_STMT_EXPECT_NO_ROWS) {
            rt_rows *rows = NULL;
            rc = rt_query(x->c, st->stmts[k].sql, NULL, 0, &rows, &d);
            rt_rows_free(rows);
        } else
            rc = rt_exec(x->c, st->stmts[k].sql, &d);
    }
    if (rc == 0 && st->backfill) {
        const char *params[2] = {"-9223372036854775807", "9223372036854775807"};
        rc = rt_query(x->c, st->backfill->batch_sql, params, 2, NULL, &d);
    }
    if (rc)
        jy_diags_print(&d, stdout, false);
    jy_diags_free(&d);
    return rc;
}

/* Evaluate a guard; the detail is copied into detail (may be NULL). */
static rt_guard_outcome eval(db *x, const char *guard, char *detail, size_t n,
                             rt_guard_result *keep)
{
    rt_guard_result r;
    jy_diags d;
    jy_diags_init(&d);
    int rc = rt_guard_eval(x->c, guard, &r, &d);
    if (rc) {
        print_message("guard failed: %s\n", guard);
        jy_diags_print(&d, stdout, false);
    }
    jy_diags_free(&d);
    assert_int_equal(rc, 0);
    if (detail)
        snprintf(detail, n, "%s", r.detail ? r.detail : "");
    rt_guard_outcome o = r.outcome;
    if (keep)
        *keep = r;
    else
        rt_guard_result_free(&r);
    return o;
}

static const char *outcome_name(rt_guard_outcome o)
{
    static const char *const n[] = {"RUN", "SKIP", "SKIP_DRIFT", "RECONCILE", "DRIFT"};
    return n[o];
}

#define EXPECT_OUTCOME(got, want, what, detail)                                                   \
    do {                                                                                          \
        if ((got) != (want))                                                                      \
            fail_msg("%s: guard says %s, expected %s (%s)", (what), outcome_name(got),            \
                     outcome_name(want), (detail));                                               \
    } while (0)

/* ------------------------------------------------------------ history */

static ir_program *compile_history(void)
{
    fe_options o;
    fe_options_init(&o);
    o.targets = IR_DMASK_ALL;
    const char *paths[] = {HISTORY};
    ir_program *p = NULL;
    jy_diags d;
    jy_diags_init(&d);
    int rc = fe_compile(paths, 1, &o, &p, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    jy_diags_free(&d);
    assert_int_equal(rc, 0);
    return p;
}

/* Every step of a script: RUN before, SKIP after (steps without a guard
 * just run).  Returns the number of guards checked. */
static size_t script_idempotent(db *x, const be_migration *bm, const be_script *s, bool down)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nsteps; i++) {
        const be_step *st = &s->steps[i];
        char what[512], detail[2048];
        snprintf(what, sizeof what, "%s %s step %zu op.%s (%s)", bm->m->id,
                 down ? "downgrade" : "upgrade", i + 1, st->op->info->name,
                 st->summary ? st->summary : "?");
        assert_non_null(st->summary);
        if (st->guard) {
            rt_guard_outcome o = eval(x, st->guard, detail, sizeof detail, NULL);
            /* an alter_column may already be so where the dialect cannot
             * tell the difference (SQLite: Int and BigInt, comments) */
            if (!(o == RT_GUARD_SKIP && strstr(st->guard, "\"expect\":\"shape\"") &&
                  !strstr(st->guard, "\"expect\":\"present\"") &&
                  !strstr(st->guard, "\"expect\":\"absent\"") &&
                  !strstr(st->guard, "\"expect\":\"renamed\"")))
                EXPECT_OUTCOME(o, RT_GUARD_RUN, what, detail);
        }
        if (run_step(x, st))
            fail_msg("%s: the step's SQL failed", what);
        if (st->guard) {
            rt_guard_outcome o = eval(x, st->guard, detail, sizeof detail, NULL);
            EXPECT_OUTCOME(o, RT_GUARD_SKIP, what, detail);
            n++;
        }
    }
    return n;
}

/* Apply the whole history with a guard check around every step, then the
 * downgrades from the top. */
static void history(int which)
{
    db x;
    db_open(&x, which);
    ir_program *p = compile_history();
    be_program *bp = NULL;
    jy_diags d;
    jy_diags_init(&d);
    int rc = be_emit_program(p, x.d, &bp, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    assert_int_equal(rc, 0);
    size_t guards = 0, kinds = 0;
    bool seen[IR_OP__COUNT] = {false};
    for (size_t i = 0; i < bp->n; i++) {
        guards += script_idempotent(&x, &bp->migs[i], &bp->migs[i].up, false);
        for (size_t k = 0; k < bp->migs[i].up.nsteps; k++)
            if (bp->migs[i].up.steps[k].guard)
                seen[bp->migs[i].up.steps[k].op->kind] = true;
    }
    /* rt_introspect_table reads each table as rt_introspect does */
    ir_schema *full = ir_schema_new(NULL), *each = ir_schema_new(NULL);
    assert_int_equal(rt_introspect(x.c, full, &d), 0);
    assert_true(full->ntables >= 5);
    for (size_t i = 0; i < full->ntables; i++)
        assert_int_equal(rt_introspect_table(x.c, full->tables[i]->name, each, &d), 0);
    assert_int_equal(rt_introspect_table(x.c, "no_such_table", each, &d), 0);
    full->nobjects = 0; /* schema-wide objects are not a table's */
    full->nenums = 0;
    jy_buf diff;
    jy_buf_init(&diff);
    if (!ir_schema_equal(full, each, x.d, &diff))
        fail_msg("rt_introspect_table differs from rt_introspect:\n%s", diff.data);
    jy_buf_free(&diff);
    ir_schema_free(full);
    ir_schema_free(each);
    for (size_t i = bp->n; i-- > 0;) {
        if (bp->migs[i].down.irreversible)
            break;
        guards += script_idempotent(&x, &bp->migs[i], &bp->migs[i].down, true);
    }
    for (size_t k = 0; k < IR_OP__COUNT; k++)
        kinds += seen[k];
    print_message("%s: %zu guards checked, %zu op kinds\n", ir_dialect_name(x.d), guards, kinds);
    assert_true(guards >= 60);
    assert_true(kinds >= 12);
    be_program_free(bp);
    ir_program_free(p);
    jy_diags_free(&d);
    db_close(&x);
}

static void test_history_sqlite(void **state)
{
    (void)state;
    history(DB_SQLITE);
}

static void test_history_pg(void **state)
{
    (void)state;
    history(DB_PG);
}

static void test_history_mysql(void **state)
{
    (void)state;
    history(DB_MYSQL);
}


/* ------------------------------------------------------------ scenarios */

/* One migration compiled in memory and emitted for the database's dialect. */
typedef struct mig {
    ir_program *p;
    be_program *bp;
    const be_script *up;
} mig;

static void mig_build(mig *g, const db *x, const char *decor, const char *body)
{
    char src[16384];
    snprintf(src, sizeof src,
             "import joryu\nfrom joryu import op, types as t\n\n\n"
             "@joryu.migration(id=\"20260101T000001_g\"%s)\ndef upgrade():\n%s",
             decor ? decor : "", body);
    fe_options o;
    fe_options_init(&o);
    o.targets = IR_DMASK(x->d); /* dialect types and PostgreSQL-only types */
    jy_diags d;
    jy_diags_init(&d);
    int rc = fe_compile_memory("20260101T000001_g.py", src, strlen(src), &o, &g->p, &d);
    if (rc == 0)
        rc = be_emit_program(g->p, x->d, &g->bp, &d);
    if (rc) {
        print_message("%s\n", src);
        jy_diags_print(&d, stdout, false);
    }
    jy_diags_free(&d);
    assert_int_equal(rc, 0);
    assert_int_equal(g->bp->n, 1);
    g->up = &g->bp->migs[0].up;
}

static void mig_free(mig *g)
{
    be_program_free(g->bp);
    ir_program_free(g->p);
}

static const be_step *step(const mig *g, size_t i)
{
    assert_true(i < g->up->nsteps);
    return &g->up->steps[i];
}

static void run_ok(db *x, const be_step *st)
{
    assert_int_equal(run_step(x, st), 0);
}

/* The step's guard gives `want` and its detail contains every `has`. */
static void expect(db *x, const be_step *st, rt_guard_outcome want, const char *has1,
                   const char *has2)
{
    char detail[4096];
    assert_non_null(st->guard);
    rt_guard_outcome o = eval(x, st->guard, detail, sizeof detail, NULL);
    char what[128];
    snprintf(what, sizeof what, "%s: op.%s", ir_dialect_name(x->d), st->op->info->name);
    EXPECT_OUTCOME(o, want, what, detail);
    if (o == RT_GUARD_DRIFT || o == RT_GUARD_SKIP_DRIFT)
        print_message("%s: %s: %s\n", what, outcome_name(o), detail);
    if (has1 && !strstr(detail, has1))
        fail_msg("%s: detail \"%s\" lacks \"%s\"", what, detail, has1);
    if (has2 && !strstr(detail, has2))
        fail_msg("%s: detail \"%s\" lacks \"%s\"", what, detail, has2);
}

/* on_mismatch="alter": RECONCILE; its statements run; then SKIP. */
static void reconcile(db *x, const be_step *st)
{
    rt_guard_result r;
    char detail[4096];
    rt_guard_outcome o = eval(x, st->guard, detail, sizeof detail, &r);
    EXPECT_OUTCOME(o, RT_GUARD_RECONCILE, "on_mismatch=alter", detail);
    assert_true(r.nsql > 0);
    for (size_t i = 0; i < r.nsql; i++)
        must_exec(x, r.sql[i]);
    rt_guard_result_free(&r);
    expect(x, st, RT_GUARD_SKIP, NULL, NULL);
}

#define USERS "    op.create_table(\"users\", op.column(\"id\", t.Int, primary_key=True), " \
              "op.column(\"name\", t.String(50)))\n"

static void scenario_add_column(db *x)
{
    const char *body = USERS "    op.add_column(\"users\", \"phone\", t.Text)\n";
    const char *hand = pick(x, "ALTER TABLE users ADD COLUMN phone VARCHAR(20)",
                            "ALTER TABLE users ADD COLUMN phone VARCHAR(20)",
                            "ALTER TABLE users ADD COLUMN phone INTEGER");
    const char *is = pick(x, "users.phone is VARCHAR(20) in the database; the migration adds it as TEXT",
                          "users.phone is VARCHAR(20) in the database; the migration adds it as LONGTEXT",
                          "users.phone is INTEGER in the database; the migration adds it as TEXT");
    mig g;
    mig_build(&g, x, NULL, body);
    /* fresh: run; after: skip */
    reset(x);
    run_ok(x, step(&g, 0));
    expect(x, step(&g, 1), RT_GUARD_RUN, NULL, NULL);
    run_ok(x, step(&g, 1));
    expect(x, step(&g, 1), RT_GUARD_SKIP, "users.phone", NULL);
    /* made by hand with another type: drift naming both */
    reset(x);
    run_ok(x, step(&g, 0));
    must_exec(x, hand);
    expect(x, step(&g, 1), RT_GUARD_DRIFT, is, NULL);
    /* another nullability */
    reset(x);
    run_ok(x, step(&g, 0));
    must_exec(x, pick(x, "ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT 'x'",
                      "ALTER TABLE users ADD COLUMN phone LONGTEXT NOT NULL",
                      "ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT 'x'"));
    expect(x, step(&g, 1), RT_GUARD_DRIFT, "users.phone is NOT NULL", "adds it as NULL");
    mig_free(&g);

    /* on_mismatch="skip": skip with the warning */
    mig_build(&g, x, NULL, USERS "    op.add_column(\"users\", \"phone\", t.Text, on_mismatch=\"skip\")\n");
    reset(x);
    run_ok(x, step(&g, 0));
    must_exec(x, hand);
    expect(x, step(&g, 1), RT_GUARD_SKIP_DRIFT, is, NULL);
    mig_free(&g);

    /* on_mismatch="alter" on the op, and as the migration's default */
    for (int k = 0; k < 2; k++) {
        if (k == 0)
            mig_build(&g, x, NULL,
                      USERS "    op.add_column(\"users\", \"phone\", t.Text, nullable=False, "
                            "default=\"n/a\", on_mismatch=\"alter\")\n");
        else
            mig_build(&g, x, ", on_mismatch=\"alter\"",
                      USERS "    op.add_column(\"users\", \"phone\", t.Text, nullable=False, "
                            "default=\"n/a\")\n");
        reset(x);
        run_ok(x, step(&g, 0));
        must_exec(x, pick(x, "INSERT INTO users (id, name) VALUES (1, 'a')",
                          "INSERT INTO users (id, name) VALUES (1, 'a')",
                          "INSERT INTO users (id, name) VALUES (1, 'a')"));
        must_exec(x, pick(x, "ALTER TABLE users ADD COLUMN phone VARCHAR(20) DEFAULT 'x'",
                          "ALTER TABLE users ADD COLUMN phone VARCHAR(20) DEFAULT 'x'",
                          "ALTER TABLE users ADD COLUMN phone INTEGER DEFAULT 7"));
        if (x->which == DB_SQLITE) /* a rebuild needs the step outside a transaction */
            expect(x, step(&g, 1), RT_GUARD_DRIFT, "cannot reconcile this: SQLite changes a column",
                   "op.batch");
        else
            reconcile(x, step(&g, 1));
        mig_free(&g);
    }
    /* in an op.batch block that SQLite runs as a rebuild, alter reconciles
     * there too (by rebuilding the table as the migration has it) */
    mig_build(&g, x, ", on_mismatch=\"alter\"",
              USERS "    with op.batch(\"users\") as b:\n"
                    "        b.add_column(\"phone\", t.Text, nullable=False, default=\"n/a\")\n"
                    "        b.alter_column(\"name\", nullable=False)\n");
    reset(x);
    must_exec(x, pick(x, "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, "
                         "phone VARCHAR(20) DEFAULT 'x')",
                      "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, "
                      "phone VARCHAR(20) DEFAULT 'x')",
                      "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, "
                      "phone INTEGER DEFAULT 7)"));
    must_exec(x, "INSERT INTO users (id, name, phone) VALUES (1, 'a', '5')");
    reconcile(x, step(&g, 1));
    rt_rows *rows = NULL;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(rt_query(x->c, "SELECT name, phone FROM users", NULL, 0, &rows, &d), 0);
    assert_int_equal(rows->nrows, 1); /* the rows survive the reconcile */
    assert_string_equal(rt_rows_cell(rows, 0, 0), "a");
    assert_string_equal(rt_rows_cell(rows, 0, 1), "5");
    rt_rows_free(rows);
    jy_diags_free(&d);
    mig_free(&g);
}

/* The dialect's other renderings of an abstract type are no drift. */
static void scenario_renderings(db *x)
{
    mig g;
    mig_build(&g, x, NULL,
              USERS "    op.add_column(\"users\", \"bio\", t.Text)\n"
                    "    op.add_column(\"users\", \"active\", t.Bool)\n"
                    "    op.add_column(\"users\", \"code\", t.String(20))\n");
    reset(x);
    run_ok(x, step(&g, 0));
    must_exec(x, pick(x, "ALTER TABLE users ADD COLUMN bio text",
                      "ALTER TABLE users ADD COLUMN bio TEXT",
                      "ALTER TABLE users ADD COLUMN bio CLOB"));
    must_exec(x, pick(x, "ALTER TABLE users ADD COLUMN active bool",
                      "ALTER TABLE users ADD COLUMN active BOOLEAN",
                      "ALTER TABLE users ADD COLUMN active TINYINT"));
    must_exec(x, pick(x, "ALTER TABLE users ADD COLUMN code character varying(20)",
                      "ALTER TABLE users ADD COLUMN code varchar(20)",
                      "ALTER TABLE users ADD COLUMN code NVARCHAR(20)"));
    expect(x, step(&g, 1), RT_GUARD_SKIP, NULL, NULL);
    expect(x, step(&g, 2), RT_GUARD_SKIP, NULL, NULL);
    expect(x, step(&g, 3), RT_GUARD_SKIP, NULL, NULL);
    mig_free(&g);
}

static void scenario_create_table(db *x)
{
    mig g;
    mig_build(&g, x, NULL, USERS);
    reset(x);
    expect(x, step(&g, 0), RT_GUARD_RUN, NULL, NULL);
    run_ok(x, step(&g, 0));
    expect(x, step(&g, 0), RT_GUARD_SKIP, NULL, NULL);
    reset(x);
    must_exec(x, "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50), extra INTEGER)");
    expect(x, step(&g, 0), RT_GUARD_DRIFT, "table users exists in the database with another shape",
           "column extra only in the database");
    mig_free(&g);
    /* alter cannot reconcile a table: it acts as error */
    mig_build(&g, x, ", on_mismatch=\"alter\"", USERS);
    expect(x, step(&g, 0), RT_GUARD_DRIFT, "cannot reconcile", NULL);
    mig_free(&g);
}

static void scenario_index(db *x)
{
    mig g;
    mig_build(&g, x, ", on_mismatch=\"alter\"",
              USERS "    op.create_index(\"ix_users_name\", \"users\", [\"name\"])\n"
                    "    op.drop_index(\"ix_users_name\", \"users\")\n"
                    "    op.drop_column(\"users\", \"name\")\n"
                    "    op.drop_table(\"users\")\n");
    reset(x);
    run_ok(x, step(&g, 0));
    expect(x, step(&g, 1), RT_GUARD_RUN, NULL, NULL);
    run_ok(x, step(&g, 1));
    expect(x, step(&g, 1), RT_GUARD_SKIP, NULL, NULL);
    for (size_t i = 2; i < 5; i++) {
        expect(x, step(&g, i), RT_GUARD_RUN, NULL, NULL);
        run_ok(x, step(&g, i));
        expect(x, step(&g, i), RT_GUARD_SKIP, NULL, NULL);
    }
    /* another definition by hand: drift, and alter recreates it */
    reset(x);
    run_ok(x, step(&g, 0));
    must_exec(x, pick(x, "CREATE UNIQUE INDEX ix_users_name ON users (name, id)",
                      "CREATE UNIQUE INDEX ix_users_name ON users (name, id)",
                      "CREATE UNIQUE INDEX ix_users_name ON users (name, id)"));
    rt_guard_result r;
    char detail[2048];
    assert_int_equal(eval(x, step(&g, 1)->guard, detail, sizeof detail, &r), RT_GUARD_RECONCILE);
    rt_guard_result_free(&r);
    if (!strstr(detail, "index ix_users_name on users is ") || !strstr(detail, "(name, id)") ||
        !strstr(detail, "the migration creates it as an index on (name)"))
        fail_msg("detail: %s", detail);
    reconcile(x, step(&g, 1));
    mig_free(&g);
}

/* Index names are schema-wide on PostgreSQL and SQLite, per table on
 * MySQL: an index of the same name on another table is drift there (alter
 * cannot move it), nothing here. */
static void scenario_index_other_table(db *x)
{
    mig g;
    mig_build(&g, x, ", on_mismatch=\"alter\"",
              USERS "    op.create_table(\"teams\", op.column(\"id\", t.Int, primary_key=True), "
                    "op.column(\"name\", t.String(50)))\n"
                    "    op.create_index(\"ix_name\", \"users\", [\"name\"])\n"
                    "    op.drop_index(\"ix_name\", \"users\")\n");
    reset(x);
    run_ok(x, step(&g, 0));
    run_ok(x, step(&g, 1));
    must_exec(x, "CREATE INDEX ix_name ON teams (name)");
    if (x->which == DB_MYSQL) {
        expect(x, step(&g, 2), RT_GUARD_RUN, NULL, NULL);
        run_ok(x, step(&g, 2));
        expect(x, step(&g, 2), RT_GUARD_SKIP, NULL, NULL);
        expect(x, step(&g, 3), RT_GUARD_RUN, NULL, NULL);
    } else {
        expect(x, step(&g, 2), RT_GUARD_DRIFT, "index ix_name is on table teams in the database",
               "the migration creates it on users (on_mismatch=\"alter\" cannot reconcile "
               "this: the index belongs to another table)");
        /* the drop of users' index does not touch the one of teams */
        expect(x, step(&g, 3), RT_GUARD_SKIP, NULL, NULL);
    }
    mig_free(&g);
}

/* MySQL: on_mismatch="alter" of an index that a foreign key needs (the
 * only one beginning with its columns) rebuilds it in one statement; a
 * DROP INDEX on its own would be refused. */
static void scenario_index_fk(db *x)
{
    if (x->which != DB_MYSQL)
        return;
    mig g;
    mig_build(&g, x, ", on_mismatch=\"alter\"",
              "    op.create_table(\"teams\", op.column(\"id\", t.Int, primary_key=True))\n"
              "    op.create_table(\"projects\", op.column(\"id\", t.Int, primary_key=True), "
              "op.column(\"team_id\", t.Int), op.column(\"status\", t.String(10)))\n"
              "    op.create_foreign_key(\"fk_projects_team\", \"projects\", \"teams\", "
              "[\"team_id\"], [\"id\"])\n"
              "    op.create_index(\"ix_projects_team\", \"projects\", [\"team_id\", \"status\"])\n");
    reset(x);
    for (size_t i = 0; i < 3; i++)
        run_ok(x, step(&g, i));
    /* by hand, another shape that serves the key: InnoDB drops its own */
    must_exec(x, "CREATE INDEX ix_projects_team ON projects (team_id)");
    reconcile(x, step(&g, 3));
    mig_free(&g);
}

static void scenario_renames(db *x)
{
    mig g;
    mig_build(&g, x, NULL,
              USERS "    op.rename_column(\"users\", \"name\", \"full_name\")\n"
                    "    op.rename_table(\"users\", \"people\")\n");
    reset(x);
    run_ok(x, step(&g, 0));
    expect(x, step(&g, 1), RT_GUARD_RUN, NULL, NULL);
    run_ok(x, step(&g, 1));
    expect(x, step(&g, 1), RT_GUARD_SKIP, NULL, NULL);
    expect(x, step(&g, 2), RT_GUARD_RUN, NULL, NULL);
    run_ok(x, step(&g, 2));
    expect(x, step(&g, 2), RT_GUARD_SKIP, NULL, NULL);
    /* both names: drift */
    must_exec(x, "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50), full_name VARCHAR(50))");
    expect(x, step(&g, 2), RT_GUARD_DRIFT, "users and people both exist in the database", NULL);
    expect(x, step(&g, 1), RT_GUARD_DRIFT, "users.name and users.full_name both exist", NULL);
    /* neither: an error */
    reset(x);
    must_exec(x, "CREATE TABLE users (id INTEGER PRIMARY KEY, other VARCHAR(50))");
    expect(x, step(&g, 1), RT_GUARD_DRIFT, "neither users.name nor users.full_name exists", NULL);
    expect(x, step(&g, 2), RT_GUARD_RUN, NULL, NULL);
    must_exec(x, "DROP TABLE users");
    expect(x, step(&g, 2), RT_GUARD_DRIFT, "neither users nor people exists", NULL);
    mig_free(&g);
}

static void scenario_alter_and_batch(db *x)
{
    mig g;
    mig_build(&g, x, NULL,
              "    op.create_table(\"users\", op.column(\"id\", t.Int, primary_key=True), "
              "op.column(\"name\", t.String(50)), op.column(\"email\", t.String(100)), "
              "op.column(\"age\", t.Int))\n"
              "    with op.batch(\"users\") as b:\n"
              "        b.alter_column(\"name\", type=t.String(100), nullable=False)\n"
              "    with op.batch(\"users\") as b:\n"
              "        b.create_unique_constraint(\"uq_users_email\", [\"email\"])\n"
              "        b.create_check_constraint(\"ck_users_age\", \"age >= 0\")\n");
    reset(x);
    run_ok(x, step(&g, 0));
    expect(x, step(&g, 1), RT_GUARD_RUN, NULL, NULL);
    run_ok(x, step(&g, 1));
    expect(x, step(&g, 1), RT_GUARD_SKIP, NULL, NULL);
    /* the block: none, all */
    expect(x, step(&g, 2), RT_GUARD_RUN, NULL, NULL);
    assert_null(step(&g, 3)->guard); /* folded into step 3 */
    run_ok(x, step(&g, 2));
    expect(x, step(&g, 2), RT_GUARD_SKIP, NULL, NULL);
    /* alter_column of a missing column: an error */
    reset(x);
    must_exec(x, "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(100), age INTEGER)");
    expect(x, step(&g, 1), RT_GUARD_DRIFT, "users.name does not exist in the database", NULL);
    /* the block partly applied */
    reset(x);
    must_exec(x, "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50), email VARCHAR(100), "
                 "age INTEGER, CONSTRAINT uq_users_email UNIQUE (email))");
    expect(x, step(&g, 2), RT_GUARD_DRIFT, "partly applied", "not done: create_check_constraint");
    /* a constraint of another definition */
    reset(x);
    must_exec(x, "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50), email VARCHAR(100), "
                 "age INTEGER, CONSTRAINT uq_users_email UNIQUE (email), "
                 "CONSTRAINT ck_users_age CHECK (age > 5))");
    expect(x, step(&g, 2), RT_GUARD_DRIFT, "constraint ck_users_age on users is CHECK (",
           "the migration creates it as CHECK (");
    /* a unique constraint on other columns: SQLite keeps no constraint
     * names, so there it is another constraint and this one is missing */
    reset(x);
    must_exec(x, "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50), email VARCHAR(100), "
                 "age INTEGER, CONSTRAINT uq_users_email UNIQUE (email, age), "
                 "CONSTRAINT ck_users_age CHECK (age >= 0))");
    if (x->which == DB_SQLITE)
        expect(x, step(&g, 2), RT_GUARD_DRIFT, "partly applied",
               "not done: create_unique_constraint users.uq_users_email");
    else
        expect(x, step(&g, 2), RT_GUARD_DRIFT,
               "constraint uq_users_email on users is UNIQUE (email, age) in the database",
               "the migration creates it as UNIQUE (email)");
    mig_free(&g);
}


/* Every type and modifier through add_column (the fragments guards write
 * for columns against the database's): RUN, then SKIP. */
static void scenario_types(db *x)
{
    char body[8192];
    snprintf(body, sizeof body,
             USERS
             "    op.add_column(\"users\", \"c_small\", t.SmallInt, nullable=False, default=3)\n"
             "%s"
             "    op.add_column(\"users\", \"c_bool\", t.Bool, nullable=False, default=True)\n"
             "    op.add_column(\"users\", \"c_float\", t.Float)\n"
             "    op.add_column(\"users\", \"c_double\", t.Double, default=1.5)\n"
             "    op.add_column(\"users\", \"c_dec\", t.Decimal(12, 2), default=0)\n"
             "    op.add_column(\"users\", \"c_dec0\", t.Decimal)\n"
             "    op.add_column(\"users\", \"c_str\", t.String(20), default=\"it's\", comment=\"a note\")\n"
             "    op.add_column(\"users\", \"c_text\", t.Text)\n"
             "    op.add_column(\"users\", \"c_bin\", t.Binary)\n"
             "    op.add_column(\"users\", \"c_bin16\", t.Binary(16))\n"
             "    op.add_column(\"users\", \"c_json\", t.Json)\n"
             "    op.add_column(\"users\", \"c_uuid\", t.Uuid)\n"
             "    op.add_column(\"users\", \"c_date\", t.Date)\n"
             "    op.add_column(\"users\", \"c_time\", t.Time)\n"
             "%s"
             "    op.add_column(\"users\", \"c_enum\", t.Enum(\"a\", \"b\", name=\"c_mood\"), default=\"a\")\n"
             "%s",
             x->which == DB_SQLITE
                 ? "    with op.batch(\"users\") as b:\n"
                   "        b.add_column(\"c_big\", t.BigInt, server_default=\"1 + 1\")\n"
                 : "    op.add_column(\"users\", \"c_big\", t.BigInt, server_default=\"1 + 1\")\n",
             x->which == DB_SQLITE
                 ? "    with op.batch(\"users\") as b:\n"
                   "        b.add_column(\"c_ts\", t.Timestamp, server_default=t.now())\n"
                 : "    op.add_column(\"users\", \"c_ts\", t.Timestamp, server_default=t.now())\n",
             pick(x,
                  "    op.add_column(\"users\", \"c_arr\", t.Array(t.Int))\n"
                  "    op.add_column(\"users\", \"c_iv\", t.Interval)\n"
                  "    op.add_column(\"users\", \"c_tsv\", t.dialect(\"postgresql.tsvector\"))\n"
                  "    op.add_column(\"users\", \"c_gen\", t.Int, generated=\"c_small * 2\")\n",
                  "    op.add_column(\"users\", \"c_med\", t.dialect(\"mysql.MEDIUMTEXT\"))\n"
                  "    op.add_column(\"users\", \"c_gen\", t.Int, generated=\"c_small * 2\")\n",
                  "    op.add_column(\"users\", \"c_lite\", t.dialect(\"sqlite.TEXT\"))\n"));
    mig g;
    mig_build(&g, x, NULL, body);
    reset(x);
    for (size_t i = 0; i < g.up->nsteps; i++) {
        if (i)
            expect(x, step(&g, i), RT_GUARD_RUN, NULL, NULL);
        run_ok(x, step(&g, i));
        expect(x, step(&g, i), RT_GUARD_SKIP, NULL, NULL);
    }
    mig_free(&g);
}


/* A foreign key: run, skip, another ON DELETE (drift naming both), and
 * on_mismatch="alter" recreates it (SQLite: the block's rebuild). */
static void scenario_fk(db *x)
{
    mig g;
    mig_build(&g, x, ", on_mismatch=\"alter\"",
              "    op.create_table(\"teams\", op.column(\"id\", t.Int, primary_key=True))\n"
              "    op.create_table(\"users\", op.column(\"id\", t.Int, primary_key=True), "
              "op.column(\"team_id\", t.Int))\n"
              "    with op.batch(\"users\") as b:\n"
              "        b.create_foreign_key(\"fk_users_team\", \"teams\", [\"team_id\"], [\"id\"], "
              "on_delete=\"CASCADE\")\n");
    reset(x);
    run_ok(x, step(&g, 0));
    run_ok(x, step(&g, 1));
    expect(x, step(&g, 2), RT_GUARD_RUN, NULL, NULL);
    run_ok(x, step(&g, 2));
    expect(x, step(&g, 2), RT_GUARD_SKIP, NULL, NULL);
    reset(x);
    run_ok(x, step(&g, 0));
    must_exec(x, "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, team_id INTEGER, "
                 "CONSTRAINT fk_users_team FOREIGN KEY (team_id) REFERENCES teams (id) "
                 "ON DELETE SET NULL)");
    must_exec(x, "INSERT INTO teams (id) VALUES (1)");
    must_exec(x, "INSERT INTO users (id, team_id) VALUES (1, 1)");
    rt_guard_result r;
    char detail[2048];
    assert_int_equal(eval(x, step(&g, 2)->guard, detail, sizeof detail, &r), RT_GUARD_RECONCILE);
    rt_guard_result_free(&r);
    if (!strstr(detail, "on users is FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL") ||
        !strstr(detail, "the migration creates it as FOREIGN KEY (team_id) REFERENCES teams (id) "
                        "ON DELETE CASCADE"))
        fail_msg("detail: %s", detail);
    reconcile(x, step(&g, 2));
    /* the key is the migration's now: deleting the team deletes the user */
    must_exec(x, "DELETE FROM teams WHERE id = 1");
    rt_rows *rows = NULL;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(rt_query(x->c, "SELECT id FROM users", NULL, 0, &rows, &d), 0);
    assert_int_equal(rows->nrows, 0);
    rt_rows_free(rows);
    jy_diags_free(&d);
    mig_free(&g);
}

static void scenarios(int which)
{
    db x;
    db_open(&x, which);
    scenario_add_column(&x);
    scenario_types(&x);
    scenario_renderings(&x);
    scenario_create_table(&x);
    scenario_index(&x);
    scenario_index_other_table(&x);
    scenario_index_fk(&x);
    scenario_renames(&x);
    scenario_alter_and_batch(&x);
    scenario_fk(&x);
    db_close(&x);
}

static void test_ops_sqlite(void **state)
{
    (void)state;
    scenarios(DB_SQLITE);
}

static void test_ops_pg(void **state)
{
    (void)state;
    scenarios(DB_PG);
}

static void test_ops_mysql(void **state)
{
    (void)state;
    scenarios(DB_MYSQL);
}

static void test_no_guard(void **state)
{
    (void)state;
    db x = {.which = DB_SQLITE, .d = IR_D_SQLITE};
    mig g;
    mig_build(&g, &x, NULL,
              USERS "    op.execute(\"UPDATE users SET name = 'x'\")\n"
                    "    op.bulk_insert(\"users\", [{\"id\": 1, \"name\": \"a\"}])\n"
                    "    op.backfill(\"users\", set={\"name\": \"'b'\"})\n");
    assert_non_null(step(&g, 0)->guard);
    assert_null(step(&g, 1)->guard);
    assert_null(step(&g, 2)->guard);
    assert_null(step(&g, 3)->guard);
    assert_string_equal(step(&g, 0)->summary, "users");
    assert_string_equal(step(&g, 2)->summary, "users");
    /* a malformed guard is an error, not a decision */
    rt_guard_result r;
    jy_diags d;
    jy_diags_init(&d);
    db_open(&x, DB_SQLITE);
    assert_int_equal(rt_guard_eval(x.c, "{\"format\": 1}", &r, &d), -1);
    assert_int_equal(rt_guard_eval(x.c, "not json", &r, &d), -1);
    assert_true(d.nerrors == 2);
    assert_string_equal(d.v[0].code, "rt.guard-invalid");
    jy_diags_free(&d);
    db_close(&x);
    mig_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_sqlite),
        cmocka_unit_test(test_history_pg),
        cmocka_unit_test(test_history_mysql),
        cmocka_unit_test(test_no_guard),
        cmocka_unit_test(test_ops_sqlite),
        cmocka_unit_test(test_ops_pg),
        cmocka_unit_test(test_ops_mysql),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
