/*
 * test_backend_sqlite_live.c - the emitted SQL really does what replay
 * says, on SQLite (test_backend_live.h): each migration of
 * tests/valid-history applied to a database file, the live schema compared
 * with the replayed one after each, then the downgrades.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_backend_live.h"

static void test_sqlite_live(void **state)
{
    (void)state;
    ir_program *p = compile_history();
    jy_diags d;
    jy_diags_init(&d);
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
    size_t downs = live_check(c, IR_D_SQLITE, p);
    assert_true(downs >= 20);
    rt_close(c);
    unlink(path);
    jy_diags_free(&d);
    ir_program_free(p);
}

static void test_sqlite_snapshot_sql(void **state)
{
    (void)state;
    ir_program *p = compile_history();
    jy_diags d;
    jy_diags_init(&d);
    rt_conn *c = rt_connect("sqlite::memory:", &d);
    assert_non_null(c);
    live_snapshot(c, IR_D_SQLITE, p);
    rt_close(c);
    jy_diags_free(&d);
    ir_program_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_live),
        cmocka_unit_test(test_sqlite_snapshot_sql),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
