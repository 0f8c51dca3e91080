/*
 * test_backend_pg_live.c - the emitted SQL really does what replay says, on
 * PostgreSQL (test_backend_live.h), in a fresh schema of the database
 * JORYU_TEST_PG_URL names.  Fails (never skips) when it is unset or
 * unreachable: scripts/test.sh starts the servers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_backend_live.h"

static void test_pg_live(void **state)
{
    (void)state;
    const char *url = getenv("JORYU_TEST_PG_URL");
    if (!url || !*url)
        fail_msg("JORYU_TEST_PG_URL is not set: start the servers with "
                 "eval \"$(scripts/dbservers.sh start DIR)\" or run scripts/test.sh");
    ir_program *p = compile_history();
    jy_diags d;
    jy_diags_init(&d);
    rt_conn *c = rt_connect(url, &d);
    if (!c)
        jy_diags_print(&d, stdout, false);
    assert_non_null(c);
    int rc = rt_exec(c,
                     "DROP SCHEMA IF EXISTS jy_h8_live CASCADE; "
                     "DROP SCHEMA IF EXISTS reporting CASCADE; "
                     "DROP EXTENSION IF EXISTS pg_trgm; "
                     "CREATE SCHEMA jy_h8_live; SET search_path TO jy_h8_live",
                     &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    assert_int_equal(rc, 0);
    size_t downs = live_check(c, IR_D_POSTGRESQL, p);
    assert_true(downs >= 10);
    /* the snapshot SQL in a fresh schema gives the same schema back */
    rc = rt_exec(c,
                 "DROP SCHEMA jy_h8_live CASCADE; DROP SCHEMA IF EXISTS reporting CASCADE; "
                 "CREATE SCHEMA jy_h8_live; SET search_path TO jy_h8_live",
                 &d);
    assert_int_equal(rc, 0);
    live_snapshot(c, IR_D_POSTGRESQL, p);
    assert_int_equal(rt_exec(c, "DROP SCHEMA jy_h8_live CASCADE", &d), 0);
    rt_close(c);
    jy_diags_free(&d);
    ir_program_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pg_live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
