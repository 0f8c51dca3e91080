/*
 * test_vm_mysql.c - the VM's core cases (test_vm_common.h) on MySQL/MariaDB, in
 * a fresh database joryu_vm_test on the server JORYU_TEST_MYSQL_URL names.  Fails (never
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
    vt_env *e = vt_env_server("JORYU_TEST_MYSQL_URL", IR_D_MARIADB);
    e->my_db = "joryu_vm_test";
    *state = e;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        VT_CORE_TESTS(setup, vt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
