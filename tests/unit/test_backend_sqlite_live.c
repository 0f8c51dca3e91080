/*
 * test_backend_sqlite_live.c - the emitted SQL really does what replay
 * says, on SQLite: every migration of tests/valid-history is applied to a
 * real database (sqlite3 through the runtime driver), and after each one
 * the live schema (introspection) must equal the replayed one
 * (ir_schema_equal).  Then the downgrades run from the top, and after each
 * the live schema must equal the one before that migration, down to the
 * first irreversible migration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends.h"
#include "frontend.h"
#include "runtime.h"

#define HISTORY JORYU_SRC "/tests/valid-history"

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

/* Run a script's steps; 0 or -1 (the error printed). */
static int run_script(rt_conn *c, const be_script *s, const char *what)
{
    jy_diags d;
    jy_diags_init(&d);
    int rc = 0;
    for (size_t i = 0; i < s->nsteps && rc == 0; i++) {
        const be_step *st = &s->steps[i];
        for (size_t k = 0; k < st->nstmts && rc == 0; k++) {
            if (st->stmts[k].flags & BE_STMT_EXPECT_NO_ROWS) {
                rt_rows *rows = NULL;
                rc = rt_query(c, st->stmts[k].sql, NULL, 0, &rows, &d);
                if (rc == 0 && rows && rows->nrows) {
                    print_message("%s: %s returned rows\n", what, st->stmts[k].sql);
                    rc = -1;
                }
                rt_rows_free(rows);
            } else
                rc = rt_exec(c, st->stmts[k].sql, &d);
        }
        if (rc == 0 && st->backfill) {
            const char *params[2] = {"-9223372036854775807", "9223372036854775807"};
            rc = rt_query(c, st->backfill->batch_sql, params, 2, NULL, &d);
        }
    }
    if (rc) {
        print_message("%s failed:\n", what);
        jy_diags_print(&d, stdout, false);
    }
    jy_diags_free(&d);
    return rc;
}

/* The live schema equals the replayed schema after `upto` (NULL: empty). */
static int compare(rt_conn *c, const ir_program *p, const char *upto, const char *what)
{
    jy_diags d;
    jy_diags_init(&d);
    ir_schema *want = upto ? ir_replay_schema(p, IR_D_SQLITE, upto, &d) : ir_schema_new(NULL);
    ir_schema *live = ir_schema_new(NULL);
    assert_non_null(want);
    assert_non_null(live);
    int rc = rt_introspect(c, live, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    assert_int_equal(rc, 0);
    jy_buf diff;
    jy_buf_init(&diff);
    bool eq = ir_schema_equal(want, live, IR_D_SQLITE, &diff);
    if (!eq)
        print_message("%s: replayed (first) and live (second) schemas differ:\n%s\n", what,
                      diff.data ? diff.data : "");
    jy_buf_free(&diff);
    ir_schema_free(want);
    ir_schema_free(live);
    jy_diags_free(&d);
    return eq ? 0 : 1;
}

static void test_sqlite_live(void **state)
{
    (void)state;
    ir_program *p = compile_history();
    jy_diags d;
    jy_diags_init(&d);
    be_program *bp = NULL;
    assert_int_equal(be_emit_program(p, IR_D_SQLITE, &bp, &d), 0);
    char path[256];
    snprintf(path, sizeof path, "/tmp/joryu_h8_live_%d.db", (int)getpid());
    unlink(path);
    char url[300];
    snprintf(url, sizeof url, "sqlite:///%s", path);
    rt_conn *c = rt_connect(url, &d);
    if (!c)
        jy_diags_print(&d, stdout, false);
    assert_non_null(c);
    assert_int_equal(rt_exec(c, "PRAGMA foreign_keys = ON", &d), 0);
    int bad = 0;
    for (size_t i = 0; i < bp->n && !bad; i++) {
        const be_migration *bm = &bp->migs[i];
        char what[300];
        snprintf(what, sizeof what, "upgrade %s", bm->m->id);
        bad += run_script(c, &bm->up, what) != 0;
        if (!bad)
            bad += compare(c, p, bm->m->id, what);
    }
    /* downgrades from the top, while they exist */
    size_t downs = 0;
    for (size_t i = bp->n; i-- > 0 && !bad;) {
        const be_migration *bm = &bp->migs[i];
        if (bm->down.irreversible)
            break;
        char what[300];
        snprintf(what, sizeof what, "downgrade %s", bm->m->id);
        bad += run_script(c, &bm->down, what) != 0;
        if (!bad)
            bad += compare(c, p, i ? bp->migs[i - 1].m->id : NULL, what);
        downs++;
    }
    print_message("applied %zu migrations, downgraded %zu\n", bp->n, downs);
    assert_int_equal(bad, 0);
    assert_true(downs >= 20);
    rt_close(c);
    unlink(path);
    be_program_free(bp);
    jy_diags_free(&d);
    ir_program_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
