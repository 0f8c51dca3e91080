/*
 * test_vm_pg.c - the VM's core cases (test_vm_common.h) on PostgreSQL, in a
 * fresh schema of the database JORYU_TEST_PG_URL names.  Fails (never
 * skips) when it is unset or unreachable: start the servers with
 * eval "$(scripts/dbservers.sh start DIR)".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_vm_common.h"

static int setup(void **state)
{
    const char *url = getenv("JORYU_TEST_PG_URL");
    if (!url || !*url)
        fail_msg("JORYU_TEST_PG_URL is not set: start the servers with "
                 "eval \"$(scripts/dbservers.sh start DIR)\" or run scripts/test.sh");
    vt_env *e = calloc(1, sizeof *e);
    vt_mkdir(e);
    snprintf(e->url, sizeof e->url, "%s", url);
    e->want = IR_D_POSTGRESQL;
    e->pg_schema = "jy_vm_test";
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    vt_env *e = *state;
    /* leave no schema behind: introspection of the database lists schemas,
     * so another suite would see it */
    jy_diags d;
    jy_diags_init(&d);
    rt_conn *c = rt_connect(e->url, &d);
    if (c) {
        rt_exec(c, "DROP SCHEMA IF EXISTS jy_vm_test CASCADE", &d);
        rt_close(c);
    }
    jy_diags_free(&d);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", e->dir);
    free(e);
    return 0;
}

static void test_fresh_then_noop(void **state) { vt_case_fresh_then_noop(*state); }
static void test_fail_resume_per_step(void **state) { vt_case_fail_resume(*state, IR_TX_PER_STEP); }
static void test_fail_resume_per_migration(void **state)
{
    vt_case_fail_resume(*state, IR_TX_PER_MIGRATION);
}
static void test_fail_resume_none(void **state) { vt_case_fail_resume(*state, IR_TX_NONE); }
static void test_fingerprint(void **state) { vt_case_fingerprint(*state); }
static void test_checksum_repair(void **state) { vt_case_checksum_repair(*state); }
static void test_backfill_pause(void **state) { vt_case_backfill_pause(*state); }
static void test_down(void **state) { vt_case_down(*state); }

static void test_kill_matrix(void **state)
{
    vt_case_kill_matrix(*state, 1);
}

static void test_concurrent(void **state)
{
    vt_case_concurrent(*state);
}

static void test_guards(void **state)
{
    vt_case_guards(*state);
}

static void test_failed_half_step(void **state)
{
    vt_case_failed_half_step(*state);
}

/*
 * A fast commit group that began in the middle of a migration (the group
 * before it committed at a step boundary once a second old, after the
 * pg_sleep step) fails at a later step: it is redone carefully from that
 * step only.  The steps before it stay done, the redone step is done once,
 * the failing one is recorded failed with its statement, and every event
 * comes once.
 */
static void test_fail_in_second_group(void **state)
{
    vt_env *e = *state;
    vt_fresh_db(e);
    vt_history(e);
    vt_mig(e, ID3, NULL,
           "    op.add_column(\"items\", \"c1\", t.String(20))\n"
           "    op.execute(\"SELECT pg_sleep(1.2)\")\n"
           "    op.add_column(\"items\", \"c2\", t.String(20))\n"
           "    op.execute(\"UPDATE items SET c1 = 'x' WHERE no_such_column = 1\")\n");
    vt_build x;
    vt_compile(e, e->want, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    jy_diags dg;
    jy_diags_init(&dg);
    assert_int_equal(vt_apply_d(e, x.b, &o, &dg), 2);
    bool named = false;
    for (size_t i = 0; i < dg.n; i++)
        if (!strcmp(dg.v[i].code, "vm.step-failed") && dg.v[i].where &&
            strstr(dg.v[i].where, ID3 ", step 4 (execute)") &&
            strstr(dg.v[i].message, "no_such_column"))
            named = true;
    if (!named)
        jy_diags_print(&dg, stdout, false);
    assert_true(named);
    jy_diags_free(&dg);
    assert_int_equal(ev.n[VM_EV_MIGRATION_START], 3);
    assert_int_equal(ev.n[VM_EV_MIGRATION_DONE], 2);
    assert_int_equal(ev.n[VM_EV_MIGRATION_FAILED], 1);
    assert_int_equal(ev.n[VM_EV_STEP_START], 1 + 3 + 4);
    assert_int_equal(ev.n[VM_EV_STEP_DONE], 1 + 3 + 3);
    rt_conn *c = vt_connect(e);
    vt_assert_mig(c, ID2, "applied");
    vt_assert_mig(c, ID3, "failed");
    vt_assert_step(c, ID3, 0, "done");
    vt_assert_step(c, ID3, 1, "done");
    vt_assert_step(c, ID3, 2, "done");
    vt_assert_step(c, ID3, 3, "failed");
    char *le = vt_scalar(c, "SELECT last_error FROM joryu_migrations WHERE id = '" ID3 "'");
    assert_non_null(strstr(le, "step 4 (execute)"));
    assert_non_null(strstr(le, "statement: UPDATE items SET c1"));
    free(le);
    assert_true(vt_column_exists(c, "items", "c1"));
    assert_true(vt_column_exists(c, "items", "c2"));
    rt_close(c);
    vt_build_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_then_noop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fail_resume_per_step, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fail_resume_per_migration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fail_resume_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fail_in_second_group, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fingerprint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_checksum_repair, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backfill_pause, setup, teardown),
        cmocka_unit_test_setup_teardown(test_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guards, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_half_step, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_matrix, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
