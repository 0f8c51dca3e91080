/*
 * test_vm.c - the step VM on SQLite files: fresh apply and no-op, a failed
 * step and its resume (per_step, per_migration, none), fingerprint and
 * checksum checks with repair, backfill batches with pause / resume /
 * --max-duration, down, mark transitions, status, dry run, --target,
 * --continue-past-failed, a bundle without the dialect.  The core cases
 * (test_vm_common.h) also run on PostgreSQL and MariaDB (test_vm_pg.c,
 * test_vm_mysql.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_vm_common.h"

static int setup(void **state)
{
    vt_env *e = calloc(1, sizeof *e);
    assert_non_null(e);
    vt_mkdir(e);
    snprintf(e->url, sizeof e->url, "sqlite:///%s/db.sqlite", e->dir);
    e->want = IR_D_SQLITE;
    *state = e;
    return 0;
}

/* A dry run on a fresh database writes nothing, not even the state tables,
 * and says what would run. */
static void test_dry_run(void **state)
{
    vt_env *e = *state;
    vt_fresh_db(e);
    vt_history(e);
    vt_build x;
    vt_compile(e, IR_D_SQLITE, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    o.dry_run = true;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    assert_true(ev.n[VM_EV_STEP_SQL] >= 4);
    rt_conn *c = vt_connect(e);
    assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM sqlite_master"), 0);
    rt_close(c);
    /* after ID1 is applied, the dry run shows ID2 only */
    vt_opts(&o, &ev);
    o.target = ID1;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    vt_opts(&o, &ev);
    o.dry_run = true;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    assert_int_equal(ev.n[VM_EV_MIGRATION_START], 1);
    c = vt_connect(e);
    vt_assert_mig(c, ID2, "");
    assert_false(vt_column_exists(c, "items", "a"));
    rt_close(c);
    vt_build_free(&x);
}

/* status never creates the state tables; it lists steps and progress. */
static void test_status(void **state)
{
    vt_env *e = *state;
    vt_fresh_db(e);
    vt_history(e);
    vt_build x;
    vt_compile(e, IR_D_SQLITE, &x);
    rt_conn *c = vt_connect(e);
    vm_status *s = NULL;
    jy_diags dg;
    jy_diags_init(&dg);
    assert_int_equal(vm_status_read(c, x.b, &s, &dg), 0);
    assert_int_equal(s->n, 2);
    assert_int_equal(s->npending, 2);
    assert_string_equal(s->e[0].id, ID1);
    assert_string_equal(s->e[1].status, "pending");
    assert_int_equal(s->e[1].nsteps, 3);
    assert_string_equal(s->e[1].steps[2].op_kind, "create_index");
    assert_string_equal(s->e[1].steps[2].status, "pending");
    vm_status_free(s);
    assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM sqlite_master"), 0);
    rt_close(c);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    o.target = ID1;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    c = vt_connect(e);
    /* a row the bundle does not know */
    vt_exec(c, "INSERT INTO joryu_migrations (id, checksum, status, started_at, joryu_version, "
               "dialect) VALUES ('20250101T000000_gone', 'v1:00', 'applied', CURRENT_TIMESTAMP, "
               "'0', 'sqlite')");
    assert_int_equal(vm_status_read(c, x.b, &s, &dg), 0);
    assert_int_equal(s->n, 3);
    assert_int_equal(s->napplied, 2);
    assert_string_equal(s->e[0].status, "applied");
    assert_string_equal(s->e[0].steps[0].status, "done");
    assert_non_null(s->e[0].steps[0].finished_at);
    assert_null(s->e[2].mig);
    assert_string_equal(s->e[2].id, "20250101T000000_gone");
    vm_status_free(s);
    /* the text status's lean read: the same entries; applied ones come
       without steps and times, pending ones with the bundle's steps */
    assert_int_equal(vm_status_read_ex(c, x.b, false, &s, &dg), 0);
    assert_int_equal(s->n, 3);
    assert_int_equal(s->napplied, 2);
    assert_int_equal(s->npending, 1);
    assert_string_equal(s->e[0].id, ID1);
    assert_string_equal(s->e[0].status, "applied");
    assert_false(s->e[0].checksum_mismatch);
    assert_int_equal(s->e[0].nsteps, 0);
    assert_null(s->e[0].started_at);
    assert_string_equal(s->e[1].status, "pending");
    assert_int_equal(s->e[1].nsteps, 3);
    assert_null(s->e[2].mig);
    assert_string_equal(s->e[2].id, "20250101T000000_gone");
    assert_string_equal(s->e[2].status, "applied");
    vm_status_free(s);
    /* an edited applied migration shows in both reads */
    vt_exec(c, "UPDATE joryu_migrations SET checksum = 'v1:edited' WHERE id = '" ID1 "'");
    for (int lean = 0; lean < 2; lean++) {
        assert_int_equal(vm_status_read_ex(c, x.b, !lean, &s, &dg), 0);
        assert_true(s->e[0].checksum_mismatch);
        assert_false(s->e[1].checksum_mismatch);
        vm_status_free(s);
    }
    jy_diags_free(&dg);
    rt_close(c);
    vt_build_free(&x);
}

/* A downgrade that stopped half way (vm_down records it failed with
 * "downgrade stopped after undoing M of N steps: ..."): status carries M, N
 * and the bundle's downgrade steps as the next down takes them, in both
 * reads; only that wording, on a failed row, counts (down and status parse
 * it in one place, vx_down_stopped). */
static void test_status_down_stopped(void **state)
{
    vt_env *e = *state;
    vt_fresh_db(e);
    vt_history(e);
    vt_build x;
    vt_compile(e, IR_D_SQLITE, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    rt_conn *c = vt_connect(e);
    vt_exec(c, "UPDATE joryu_migrations SET status = 'failed', last_error = 'downgrade stopped "
               "after undoing 1 of 3 steps: step 2 (drop_column): boom' WHERE id = '" ID2 "'");
    vt_exec(c, "DELETE FROM joryu_migration_steps WHERE migration_id = '" ID2 "'");
    vm_status *s = NULL;
    jy_diags dg;
    jy_diags_init(&dg);
    for (int lean = 0; lean < 2; lean++) {
        assert_int_equal(vm_status_read_ex(c, x.b, !lean, &s, &dg), 0);
        assert_int_equal(s->n, 2);
        assert_int_equal(s->e[0].down_nsteps, 0);
        assert_int_equal(s->e[0].down_undone, 0);
        assert_null(s->e[0].down_steps);
        const vm_status_entry *h = &s->e[1];
        assert_string_equal(h->id, ID2);
        assert_string_equal(h->status, "failed");
        assert_int_equal(h->down_undone, 1);
        assert_int_equal(h->down_nsteps, 3);
        const vm_script *dn = &h->mig->down[IR_D_SQLITE];
        assert_true(dn->nsteps >= 2);
        assert_int_equal(h->ndown_steps, dn->nsteps);
        for (uint32_t k = 0; k < h->ndown_steps; k++) {
            assert_int_equal(h->down_steps[k].step, k + 1);
            assert_string_equal(h->down_steps[k].op_kind, dn->steps[k].op_kind);
            assert_string_equal(h->down_steps[k].status, k < 1 ? "undone" : "pending");
        }
        /* the upgrade's steps are still there, all pending (no rows) */
        assert_int_equal(h->nsteps, 3);
        assert_string_equal(h->steps[0].status, "pending");
        vm_status_free(s);
    }
    /* anything else is an ordinary failure */
    static const char *const other[] = {
        "downgrade stopped after undoing 0 of 3 steps: x",
        "downgrade stopped after undoing 4 of 3 steps: x",
        "downgrade stopped after undoing  1 of 3 steps: x",
        "downgrade stopped after undoing -1 of 3 steps: x",
        "downgrade stopped after undoing 1 of 3: x",
        "downgrade stopped after undoing 1of 3 steps: x",
        "downgrade stopped after undoing 1234567890 of 1234567891 steps: x",
        "step 2: downgrade stopped after undoing 1 of 3 steps: x",
        "",
    };
    char sql[256];
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        snprintf(sql, sizeof sql, "UPDATE joryu_migrations SET last_error = '%s' WHERE id = '" ID2
                 "'", other[i]);
        vt_exec(c, sql);
        assert_int_equal(vm_status_read_ex(c, x.b, false, &s, &dg), 0);
        assert_string_equal(s->e[1].status, "failed");
        assert_int_equal(s->e[1].down_nsteps, 0);
        assert_int_equal(s->e[1].ndown_steps, 0);
        vm_status_free(s);
    }
    /* the wording on a row that is not failed */
    vt_exec(c, "UPDATE joryu_migrations SET status = 'paused', pause_reason = 'r', last_error = "
               "'downgrade stopped after undoing 1 of 3 steps: x' WHERE id = '" ID2 "'");
    assert_int_equal(vm_status_read_ex(c, x.b, false, &s, &dg), 0);
    assert_string_equal(s->e[1].status, "paused");
    assert_int_equal(s->e[1].down_nsteps, 0);
    vm_status_free(s);
    jy_diags_free(&dg);
    rt_close(c);
    vt_build_free(&x);
}

/* mark: the transitions of reference §9.2. */
static void test_mark(void **state)
{
    vt_env *e = *state;
    vt_fresh_db(e);
    vt_history(e);
    vt_build x;
    vt_compile(e, IR_D_SQLITE, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    rt_conn *c = vt_connect(e);
    jy_diags dg;
    jy_diags_init(&dg);
    /* a step of an applied migration set pending: the migration is failed */
    assert_int_equal(vm_mark(c, x.b, ID2, 3, "pending", NULL, &dg), 0);
    vt_assert_mig(c, ID2, "failed");
    vt_assert_step(c, ID2, 2, "pending");
    vt_assert_last_error(c, ID2, "step 3");
    /* applied cannot become failed; paused needs a reason */
    assert_int_equal(vm_mark(c, x.b, ID1, 0, "failed", NULL, &dg), -1);
    assert_true(vt_has(&dg, "vm.mark-invalid"));
    assert_int_equal(vm_mark(c, x.b, ID2, 0, "paused", NULL, &dg), -1);
    assert_true(vt_has(&dg, "vm.mark-reason-required"));
    assert_int_equal(vm_mark(c, x.b, ID2, 0, "paused", "waiting for the replica", &dg), 0);
    vt_assert_mig(c, ID2, "paused");
    assert_int_equal(vm_mark(c, x.b, ID2, 9, "done", NULL, &dg), -1);
    assert_true(vt_has(&dg, "vm.unknown-step"));
    assert_int_equal(vm_mark(c, x.b, "20990101T000000_nope", 0, "applied", NULL, &dg), -1);
    assert_true(vt_has(&dg, "vm.unknown-migration"));
    /* paused -> applied clears the pause reason */
    assert_int_equal(vm_mark(c, x.b, ID2, 0, "applied", NULL, &dg), 0);
    vt_assert_mig(c, ID2, "applied");
    char *pr = vt_scalar(c, "SELECT pause_reason FROM joryu_migrations WHERE id = '" ID2 "'");
    assert_string_equal(pr, "NULL");
    free(pr);
    /* any -> pending: the steps are forgotten; apply runs it again and the
     * guards find everything there */
    assert_int_equal(vm_mark(c, x.b, ID2, 0, "pending", NULL, &dg), 0);
    vt_assert_mig(c, ID2, "pending");
    assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM joryu_migration_steps WHERE migration_id = '" ID2 "'"), 0);
    rt_close(c);
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    assert_int_equal(ev.n[VM_EV_MIGRATION_DONE], 1);
    assert_int_equal(ev.n[VM_EV_STEP_SKIP], 3); /* all three skipped by their guards */
    c = vt_connect(e);
    vt_assert_mig(c, ID2, "applied");
    /* a step marked skipped before it runs is not run */
    vt_mig(e, ID3, NULL, "    op.execute(\"UPDATE items SET no_such = 1\")\n");
    vt_build_free(&x);
    vt_compile(e, IR_D_SQLITE, &x);
    assert_int_equal(vm_mark(c, x.b, ID3, 1, "skipped", NULL, &dg), 0);
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    vt_assert_mig(c, ID3, "applied");
    vt_assert_step(c, ID3, 0, "skipped");
    jy_diags_free(&dg);
    rt_close(c);
    vt_build_free(&x);
    vt_rm_mig(e, ID3);
}

/* --continue-past-failed runs what does not depend on the failed one. */
static void test_continue_past_failed(void **state)
{
    vt_env *e = *state;
    vt_fresh_db(e);
    vt_history(e);
    vt_mig(e, ID3, ", depends_on=[\"" ID1 "\"]",
           "    op.execute(\"UPDATE items SET no_such = 1\")\n");
    vt_mig(e, ID4, ", depends_on=[\"" ID3 "\"]", "    op.add_column(\"items\", \"d\", t.Text)\n");
    vt_mig(e, "20260101T000005_other", ", depends_on=[\"" ID2 "\"]",
           "    op.add_column(\"items\", \"e\", t.Text)\n");
    vt_build x;
    vt_compile(e, IR_D_SQLITE, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 2);
    rt_conn *c = vt_connect(e);
    vt_assert_mig(c, ID3, "failed");
    vt_assert_mig(c, "20260101T000005_other", "");
    vt_opts(&o, &ev);
    o.no_resume = true;
    o.continue_past_failed = true;
    assert_int_equal(vt_apply(e, x.b, &o), 2); /* ID3 is still failed */
    vt_assert_mig(c, ID3, "failed");
    vt_assert_mig(c, ID4, "");
    vt_assert_mig(c, "20260101T000005_other", "applied");
    /* on_failure=abort: nothing runs */
    vt_opts(&o, &ev);
    o.on_failure = VM_ONFAIL_ABORT;
    assert_int_equal(vt_apply(e, x.b, &o), 2);
    assert_int_equal(ev.n[VM_EV_MIGRATION_START], 0);
    rt_close(c);
    vt_build_free(&x);
    vt_rm_mig(e, ID3);
    vt_rm_mig(e, ID4);
    vt_rm_mig(e, "20260101T000005_other");
}

/* The ask callback: skip the failed step and continue. */
static int ask_skip(void *ctx, const vm_migration *m, const rt_mig_row *row, uint32_t *from)
{
    (void)m;
    (void)from;
    int *calls = ctx;
    (*calls)++;
    assert_int_equal(row->status, RT_MS_FAILED);
    return VM_ONFAIL_SKIP_STEP;
}

static void test_ask_skip(void **state)
{
    vt_env *e = *state;
    vt_fresh_db(e);
    vt_history(e);
    vt_mig(e, ID3, NULL,
           "    op.execute(\"UPDATE items SET no_such = 1\")\n"
           "    op.add_column(\"items\", \"d\", t.Text)\n");
    vt_build x;
    vt_compile(e, IR_D_SQLITE, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 2);
    vt_opts(&o, &ev);
    int calls = 0;
    o.on_failure = VM_ONFAIL_ASK;
    o.ask = ask_skip;
    o.ask_ctx = &calls;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    assert_int_equal(calls, 1);
    rt_conn *c = vt_connect(e);
    vt_assert_mig(c, ID3, "applied");
    vt_assert_step(c, ID3, 0, "skipped");
    vt_assert_step(c, ID3, 1, "done");
    assert_true(vt_column_exists(c, "items", "d"));
    rt_close(c);
    vt_build_free(&x);
    vt_rm_mig(e, ID3);
}

/* A bundle without the connection's dialect is refused. */
static void test_dialect_missing(void **state)
{
    vt_env *e = *state;
    vt_fresh_db(e);
    vt_history(e);
    vt_build x;
    vt_compile(e, IR_D_POSTGRESQL, &x);
    rt_conn *c = vt_connect(e);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    vm_result r;
    jy_diags dg;
    jy_diags_init(&dg);
    assert_int_equal(vm_apply(c, x.b, &o, &r, &dg), -1);
    assert_int_equal(r.exit_code, 1);
    assert_true(vt_has(&dg, "vm.dialect-missing"));
    assert_non_null(strstr(dg.v[0].hint, "--dialect=sqlite"));
    jy_diags_free(&dg);
    rt_close(c);
    vt_build_free(&x);
}

/*
 * A fresh database: the state tables are created in the transaction of
 * the first commit group, so a kill anywhere in that group leaves nothing
 * at all (no table of the history, no state table: status says nothing is
 * applied), and the next apply creates the tables and applies everything.
 */
static void test_fresh_kill_first_group(void **state)
{
    vt_env *e = *state;
    vt_history(e);
    vt_build x;
    vt_compile(e, IR_D_SQLITE, &x);
    uint32_t kills = 0;
    for (uint32_t n = 1;; n++) {
        vt_fresh_db(e);
        int ws;
        bool killed = vt_apply_killed_at(e, x.b, n, &ws);
        rt_conn *c = vt_connect(e);
        if (killed) {
            assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM sqlite_master WHERE name IN"
                                        " ('items', 'joryu_migrations', 'joryu_migration_steps')"),
                             0);
        } else {
            assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
        }
        rt_close(c);
        vm_apply_opts o;
        vt_events ev;
        vt_opts(&o, &ev);
        assert_int_equal(vt_apply(e, x.b, &o), 0);
        assert_int_equal(ev.n[VM_EV_MIGRATION_DONE], killed ? 2 : 0);
        c = vt_connect(e);
        vt_assert_mig(c, ID1, "applied");
        vt_assert_mig(c, ID2, "applied");
        assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM joryu_migration_steps WHERE status = 'done'"), 4);
        assert_true(vt_column_exists(c, "items", "b"));
        rt_close(c);
        if (!killed)
            break;
        kills++;
    }
    assert_true(kills >= 4);
    vt_build_free(&x);
}

/* The ask callback: restart from step 2 (step 1 stays done, its
 * fingerprint checked; steps 2.. run again). */
static int ask_restart2(void *ctx, const vm_migration *m, const rt_mig_row *row, uint32_t *from)
{
    (void)m;
    (void)row;
    (void)ctx;
    *from = 2;
    return VM_ONFAIL_RESTART;
}

static void test_ask_restart_from(void **state)
{
    vt_env *e = *state;
    vt_fresh_db(e);
    vt_history(e);
    vt_mig(e, ID3, NULL,
           "    op.add_column(\"items\", \"c1\", t.Text)\n"
           "    op.add_column(\"items\", \"c2\", t.Text)\n"
           "    op.execute(\"UPDATE items SET no_such = 1\")\n");
    vt_build x;
    vt_compile(e, IR_D_SQLITE, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 2);
    vt_build_free(&x);
    vt_mig(e, ID3, NULL,
           "    op.add_column(\"items\", \"c1\", t.Text)\n"
           "    op.add_column(\"items\", \"c2\", t.Text)\n"
           "    op.execute(\"UPDATE items SET c2 = c1\")\n");
    vt_compile(e, IR_D_SQLITE, &x);
    vt_opts(&o, &ev);
    o.on_failure = VM_ONFAIL_ASK;
    o.ask = ask_restart2;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    /* step 1 was done: not run again; step 2 restarted: its guard skipped
       it (c2 exists); step 3 ran */
    assert_int_equal(ev.n[VM_EV_STEP_START], 2);
    assert_int_equal(ev.n[VM_EV_STEP_SKIP], 2);
    rt_conn *c = vt_connect(e);
    vt_assert_mig(c, ID3, "applied");
    vt_assert_step(c, ID3, 2, "done");
    rt_close(c);
    vt_build_free(&x);
    vt_rm_mig(e, ID3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        VT_CORE_TESTS(setup, vt_teardown),
        cmocka_unit_test_setup_teardown(test_dry_run, setup, vt_teardown),
        cmocka_unit_test_setup_teardown(test_status, setup, vt_teardown),
        cmocka_unit_test_setup_teardown(test_status_down_stopped, setup, vt_teardown),
        cmocka_unit_test_setup_teardown(test_mark, setup, vt_teardown),
        cmocka_unit_test_setup_teardown(test_continue_past_failed, setup, vt_teardown),
        cmocka_unit_test_setup_teardown(test_ask_skip, setup, vt_teardown),
        cmocka_unit_test_setup_teardown(test_ask_restart_from, setup, vt_teardown),
        cmocka_unit_test_setup_teardown(test_dialect_missing, setup, vt_teardown),
        cmocka_unit_test_setup_teardown(test_fresh_kill_first_group, setup, vt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
