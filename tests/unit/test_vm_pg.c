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
    vt_env *e = vt_env_server("JORYU_TEST_PG_URL", IR_D_POSTGRESQL);
    e->pg_schema = "jy_vm_test";
    *state = e;
    return 0;
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
    assert_true(vt_diag_at(&dg, "vm.step-failed", ID3 ", step 4 (execute)", "no_such_column"));
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
    vt_assert_last_error(c, ID3, "step 4 (execute)");
    vt_assert_last_error(c, ID3, "statement: UPDATE items SET c1");
    assert_true(vt_column_exists(c, "items", "c1"));
    assert_true(vt_column_exists(c, "items", "c2"));
    rt_close(c);
    vt_build_free(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        VT_CORE_TESTS(setup, vt_teardown),
        cmocka_unit_test_setup_teardown(test_fail_in_second_group, setup, vt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
