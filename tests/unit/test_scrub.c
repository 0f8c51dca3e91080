/*
 * test_scrub.c - the password never appears in a message, and scrubbing it
 * leaves unrelated words alone (runtime/driver.c rt__scrub, docs/SPEC.md
 * "Database URLs"): with password "joryu", a message about the table
 * joryu_migrations must still say joryu_migrations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "driver_int.h"

static char *scrub(const char *pw, const char *msg)
{
    rt_conn c;
    memset(&c, 0, sizeof c);
    c.url.password = (char *)pw;
    char *s = rt__scrub(&c, msg);
    assert_non_null(s);
    return s;
}

static void expect(const char *pw, const char *msg, const char *want)
{
    char *s = scrub(pw, msg);
    if (strcmp(s, want) != 0)
        print_message("password '%s'\n  message: %s\n  got:     %s\n  want:    %s\n",
                      pw ? pw : "(none)", msg, s, want);
    assert_string_equal(s, want);
    free(s);
}

/* Unrelated words that contain a short password stay as they are. */
static void test_unrelated_words_intact(void **state)
{
    (void)state;
    expect("joryu", "relation \"joryu_migrations\" does not exist",
           "relation \"joryu_migrations\" does not exist");
    expect("joryu", "database \"joryu_test\" does not exist",
           "database \"joryu_test\" does not exist");
    expect("joryu", "Table 'joryu_test.joryu_migration_steps' doesn't exist",
           "Table 'joryu_test.joryu_migration_steps' doesn't exist");
    expect("joryu", "column myjoryu and $joryu and joryu2", "column myjoryu and $joryu and joryu2");
    expect("secret", "UPDATE t SET secrets = 1 WHERE topsecret", "UPDATE t SET secrets = 1 WHERE topsecret");
    /* no password: nothing but whitespace folding */
    expect(NULL, "a\n   b\tc", "a b c");
    expect("", "joryu", "joryu");
}

/* Where the password stands as the password, it is hidden. */
static void test_password_hidden(void **state)
{
    (void)state;
    /* a whole token */
    expect("joryu", "password authentication failed for user \"joryu\"",
           "password authentication failed for user \"***\"");
    expect("joryu", "joryu", "***");
    expect("joryu", "near 'joryu': syntax error", "near '***': syntax error");
    /* a URL's user info, whatever the password (the user name stays) */
    expect("joryu", "could not connect to postgresql://joryu:joryu@127.0.0.1:5432/joryu_test",
           "could not connect to postgresql://joryu:***@127.0.0.1:5432/joryu_test");
    expect("pw", "see mysql://app:other-pass@db/x now", "see mysql://app:***@db/x now");
    /* keyword/value and query items */
    expect("joryu", "host=db password=joryu dbname=joryu_test",
           "host=db password=*** dbname=joryu_test");
    expect("x", "conninfo: PASSWORD='a b c' user=u", "conninfo: PASSWORD=*** user=u");
    expect("x", "postgresql://db/app?sslmode=require&password=hunter2",
           "postgresql://db/app?sslmode=require&password=***");
    /* a long password is hidden even glued to other text */
    expect("S3cretPassw0rd", "value xS3cretPassw0rdy here", "value x***y here");
    /* punctuation at the password's edge needs no boundary there */
    expect("pa!", "got pa!x", "got ***x");
    /* spaces inside the password */
    expect("my pw", "value my pw here", "value *** here");
    /* the percent-encoded form, as the URL carried it */
    expect("p@ss/w:rd", "bad p%40ss%2Fw%3Ard here", "bad *** here");
    expect("p@ss/w:rd", "postgresql://u:p%40ss%2Fw%3Ard@h/db", "postgresql://u:***@h/db");
}

/* Never a leak: every message built around a password comes out without
 * it as a token. */
static void test_no_leak(void **state)
{
    (void)state;
    static const char *const pws[] = {"joryu", "hunter2", "p@ss w0rd!", "Tr0ub4dor&3",
                                      "verylongpassword123"};
    static const char *const fmts[] = {
        "%s", "'%s'", "\"%s\"", "(%s)", "postgresql://u:%s@h/db", "password=%s",
        "pwd=%s;", "auth failed: %s.", "user %s\nnext line", "[%s]"};
    for (size_t i = 0; i < sizeof pws / sizeof pws[0]; i++)
        for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++) {
            char msg[256];
            snprintf(msg, sizeof msg, fmts[k], pws[i]);
            char *s = scrub(pws[i], msg);
            if (strstr(s, pws[i]))
                print_message("leak: password '%s' in '%s' -> '%s'\n", pws[i], msg, s);
            assert_null(strstr(s, pws[i]));
            free(s);
        }
}

/* The diagnostic of a failed statement: the statement and the message keep
 * the state tables' names, and the password is not there. */
static void test_sql_error_diag(void **state)
{
    (void)state;
    rt_conn c;
    memset(&c, 0, sizeof c);
    c.url.password = (char *)"joryu";
    c.url.redacted = (char *)"postgresql://joryu:***@127.0.0.1/joryu_test";
    jy_diags d;
    jy_diags_init(&d);
    rt__sql_error(&c, &d, "relation \"joryu_migrations\" does not exist (password joryu)", "42P01",
                  "SELECT id FROM joryu_migrations");
    assert_int_equal(d.n, 1);
    const char *m = d.v[0].message;
    assert_non_null(strstr(m, "relation \"joryu_migrations\" does not exist (password ***)"));
    assert_non_null(strstr(m, "in statement: SELECT id FROM joryu_migrations"));
    assert_null(strstr(m, "***_"));
    assert_string_equal(rt_conn_error(&c), "relation \"joryu_migrations\" does not exist (password ***)");
    rt__clear_error(&c);
    jy_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unrelated_words_intact),
        cmocka_unit_test(test_password_hidden),
        cmocka_unit_test(test_no_leak),
        cmocka_unit_test(test_sql_error_diag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
