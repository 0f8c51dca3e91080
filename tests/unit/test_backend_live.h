/*
 * test_backend_live.h - shared by the test_backend_*_live.c suites: compile
 * tests/valid-history, apply every migration's SQL to a live database
 * through the runtime driver, and after each one compare the introspected
 * schema with the replayed one (ir_schema_equal); then run the downgrades
 * from the top and compare with the schema before each migration, down to
 * the first irreversible migration.
 */
#ifndef JORYU_TEST_BACKEND_LIVE_H
#define JORYU_TEST_BACKEND_LIVE_H

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
static int compare(rt_conn *c, ir_dialect d, const ir_program *p, const char *upto, const char *what)
{
    jy_diags dg;
    jy_diags_init(&dg);
    ir_schema *want = upto ? ir_replay_schema(p, d, upto, &dg) : ir_schema_new(NULL);
    ir_schema *live = ir_schema_new(NULL);
    assert_non_null(want);
    assert_non_null(live);
    int rc = rt_introspect(c, live, &dg);
    if (rc)
        jy_diags_print(&dg, stdout, false);
    assert_int_equal(rc, 0);
    jy_buf diff;
    jy_buf_init(&diff);
    bool eq = ir_schema_equal(want, live, d, &diff);
    if (!eq)
        print_message("%s: replayed (first) and live (second) schemas differ:\n%s\n", what,
                      diff.data ? diff.data : "");
    jy_buf_free(&diff);
    ir_schema_free(want);
    ir_schema_free(live);
    jy_diags_free(&dg);
    return eq ? 0 : 1;
}


/* The id of the last migration replayed for d (static storage). */
static const char *bp_last_id(const ir_program *p, ir_dialect d)
{
    static char id[256];
    ir_migration **order = NULL;
    size_t n = 0;
    jy_diags dg;
    jy_diags_init(&dg);
    assert_int_equal(ir_replay_order(p, d, &order, &n, &dg), 0);
    assert_true(n > 0);
    snprintf(id, sizeof id, "%s", order[n - 1]->id);
    free(order);
    jy_diags_free(&dg);
    return id;
}

/* Apply and check the whole history on connection c (dialect d); returns
 * the number of downgrades run.  Fails the test on any difference. */
static size_t live_check(rt_conn *c, ir_dialect d, const ir_program *p)
{
    jy_diags dg;
    jy_diags_init(&dg);
    be_program *bp = NULL;
    int rc = be_emit_program(p, d, &bp, &dg);
    if (rc)
        jy_diags_print(&dg, stdout, false);
    assert_int_equal(rc, 0);
    int bad = 0;
    for (size_t i = 0; i < bp->n && !bad; i++) {
        const be_migration *bm = &bp->migs[i];
        char what[300];
        snprintf(what, sizeof what, "upgrade %s", bm->m->id);
        bad += run_script(c, &bm->up, what) != 0;
        if (!bad)
            bad += compare(c, d, p, bm->m->id, what);
    }
    size_t downs = 0;
    for (size_t i = bp->n; i-- > 0 && !bad;) {
        const be_migration *bm = &bp->migs[i];
        if (bm->down.irreversible) {
            print_message("%s: downgrades stop at %s: %s\n", ir_dialect_name(d), bm->m->id,
                          bm->down.reason);
            break;
        }
        char what[300];
        snprintf(what, sizeof what, "downgrade %s", bm->m->id);
        bad += run_script(c, &bm->down, what) != 0;
        if (!bad)
            bad += compare(c, d, p, i ? bp->migs[i - 1].m->id : NULL, what);
        downs++;
    }
    print_message("%s: applied %zu migrations, downgraded %zu\n", ir_dialect_name(d), bp->n,
                  downs);
    be_program_free(bp);
    jy_diags_free(&dg);
    assert_int_equal(bad, 0);
    return downs;
}

/* be_schema_sql of the final replayed schema, run on an empty database
 * (connection c), gives back that schema. */
static void live_snapshot(rt_conn *c, ir_dialect d, const ir_program *p)
{
    jy_diags dg;
    jy_diags_init(&dg);
    ir_schema *want = ir_replay_schema(p, d, NULL, &dg);
    assert_non_null(want);
    char *sql = be_schema_sql(want, d);
    assert_non_null(sql);
    int rc = rt_exec(c, sql, &dg);
    if (rc) {
        print_message("schema SQL failed:\n%s\n", sql);
        jy_diags_print(&dg, stdout, false);
    }
    assert_int_equal(rc, 0);
    free(sql);
    ir_schema_free(want);
    jy_diags_free(&dg);
    assert_int_equal(compare(c, d, p, bp_last_id(p, d), "schema-snapshot --format=sql"), 0);
}

#endif /* JORYU_TEST_BACKEND_LIVE_H */
