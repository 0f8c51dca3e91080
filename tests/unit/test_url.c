/* test_url.c - database URLs: every form, percent-decoding, query
 * parameters, redaction, and refusals with one-line diagnostics. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "runtime.h"

static void parse_ok(const char *text, rt_url *u)
{
    jy_diags d;
    jy_diags_init(&d);
    int rc = rt_url_parse(text, u, &d);
    if (rc != 0 && d.n)
        fail_msg("%s: %s", text, d.v[0].message);
    assert_int_equal(rc, 0);
    assert_int_equal(d.n, 0);
    jy_diags_free(&d);
}

/* Parse must fail with rt.url-invalid; returns the message (malloc'd). */
static char *parse_bad(const char *text)
{
    jy_diags d;
    jy_diags_init(&d);
    rt_url u;
    assert_int_equal(rt_url_parse(text, &u, &d), -1);
    rt_url_free(&u);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "rt.url-invalid");
    assert_null(strchr(d.v[0].message, '\n'));
    char *m = strdup(d.v[0].message);
    jy_diags_free(&d);
    return m;
}

static void test_sqlite_forms(void **state)
{
    (void)state;
    rt_url u;
    parse_ok("sqlite:///relative.db", &u);
    assert_int_equal(u.kind, RT_DB_SQLITE);
    assert_string_equal(u.path, "relative.db");
    assert_false(u.memory);
    assert_int_equal(rt_url_dialect(&u), IR_D_SQLITE);
    rt_url_free(&u);

    parse_ok("sqlite:////abs/path.db", &u);
    assert_string_equal(u.path, "/abs/path.db");
    rt_url_free(&u);

    parse_ok("sqlite::memory:", &u);
    assert_true(u.memory);
    rt_url_free(&u);

    parse_ok("sqlite:///:memory:", &u);
    assert_true(u.memory);
    rt_url_free(&u);

    parse_ok("sqlite:///dir/my%20db.sqlite?mode=ro", &u);
    assert_string_equal(u.path, "dir/my db.sqlite");
    assert_string_equal(rt_url_param_get(&u, "mode"), "ro");
    rt_url_free(&u);
}

static void test_postgres_forms(void **state)
{
    (void)state;
    rt_url u;
    parse_ok("postgresql://alice:s3cret@db.example.com:6543/app", &u);
    assert_int_equal(u.kind, RT_DB_POSTGRESQL);
    assert_string_equal(u.user, "alice");
    assert_string_equal(u.password, "s3cret");
    assert_string_equal(u.host, "db.example.com");
    assert_int_equal(u.port, 6543);
    assert_string_equal(u.database, "app");
    assert_string_equal(u.redacted, "postgresql://alice:***@db.example.com:6543/app");
    assert_null(strstr(u.redacted, "s3cret"));
    rt_url_free(&u);

    parse_ok("postgres://bob@localhost/app?sslmode=require&application_name=x%20y", &u);
    assert_int_equal(u.kind, RT_DB_POSTGRESQL);
    assert_null(u.password);
    assert_int_equal(u.port, 0);
    assert_string_equal(rt_url_param_get(&u, "sslmode"), "require");
    assert_string_equal(rt_url_param_get(&u, "application_name"), "x y");
    assert_null(rt_url_param_get(&u, "nope"));
    rt_url_free(&u);

    parse_ok("postgresql://[::1]:5432/db", &u);
    assert_string_equal(u.host, "::1");
    assert_int_equal(u.port, 5432);
    rt_url_free(&u);

    /* a database-less URL is allowed for PostgreSQL (libpq defaults) */
    parse_ok("postgresql://localhost", &u);
    assert_null(u.database);
    rt_url_free(&u);
}

static void test_mysql_forms(void **state)
{
    (void)state;
    rt_url u;
    parse_ok("mysql://root:pw@127.0.0.1:3306/shop", &u);
    assert_int_equal(u.kind, RT_DB_MYSQL);
    assert_false(u.mariadb_scheme);
    assert_int_equal(rt_url_dialect(&u), IR_D_MYSQL);
    assert_string_equal(u.database, "shop");
    rt_url_free(&u);

    parse_ok("mariadb://root:pw@127.0.0.1/shop?ssl-mode=required", &u);
    assert_int_equal(u.kind, RT_DB_MYSQL);
    assert_true(u.mariadb_scheme);
    assert_int_equal(rt_url_dialect(&u), IR_D_MARIADB);
    assert_string_equal(rt_url_param_get(&u, "ssl-mode"), "required");
    rt_url_free(&u);

    parse_ok("MySQL://u:p@h/db", &u); /* the scheme is case-insensitive */
    assert_int_equal(u.kind, RT_DB_MYSQL);
    rt_url_free(&u);
}

static void test_percent_decoding(void **state)
{
    (void)state;
    rt_url u;
    /* a password with @ : / % and a user with a space */
    parse_ok("postgresql://us%20er:p%40ss%3Aw%2Fo%25rd@host/d%C3%A9mo", &u);
    assert_string_equal(u.user, "us er");
    assert_string_equal(u.password, "p@ss:w/o%rd");
    assert_string_equal(u.database, "d\xc3\xa9mo");
    assert_null(strstr(u.redacted, "p%40ss"));
    assert_string_equal(u.redacted, "postgresql://us%20er:***@host/d%C3%A9mo");
    rt_url_free(&u);

    /* an unencoded @ in the password: the last @ ends the user info */
    parse_ok("mysql://u:pa@ss@h/db", &u);
    assert_string_equal(u.password, "pa@ss");
    assert_string_equal(u.host, "h");
    assert_string_equal(u.redacted, "mysql://u:***@h/db");
    rt_url_free(&u);
}

static void test_redaction(void **state)
{
    (void)state;
    rt_url u;
    parse_ok("postgresql://u@h/db?password=hunter2&sslmode=disable", &u);
    assert_null(strstr(u.redacted, "hunter2"));
    assert_string_equal(u.redacted, "postgresql://u@h/db?password=***&sslmode=disable");
    rt_url_free(&u);

    /* a bad URL's message never shows the password either */
    char *m = parse_bad("postgresql://u:topsecret@h:99999/db");
    assert_null(strstr(m, "topsecret"));
    assert_non_null(strstr(m, "postgresql://u:***@h:99999/db"));
    assert_non_null(strstr(m, "port"));
    free(m);

    /* an unencoded '/' in the password: not a valid URL, still hidden */
    m = parse_bad("postgresql://u:pa/ss@h:5432/db");
    assert_null(strstr(m, "pa/ss"));
    assert_null(strstr(m, "ss@"));
    free(m);
}

static void test_bad_urls(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "nonsense",
        "oracle://u:p@h/db",
        "postgresql:/h/db",
        "postgresql://h:/db",
        "postgresql://h:abc/db",
        "postgresql://h:0/db",
        "postgresql://[::1/db",
        "postgresql://u:p%zz@h/db",
        "postgresql://u:p%00@h/db",
        "mysql://u:p@h",
        "mysql://u:p@h/",
        "sqlite://host/file.db",
        "sqlite:relative.db",
        "sqlite:///",
        "sqlite:///bad%2",
        "postgresql://h/db\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *m = parse_bad(bad[i]);
        assert_non_null(strstr(m, "invalid database URL") ? m : strstr(m, "empty database URL"));
        free(m);
    }
    char *m = parse_bad("oracle://u:p@h/db");
    assert_non_null(strstr(m, "unknown scheme 'oracle'"));
    assert_non_null(strstr(m, "sqlite:///relative.db")); /* says what to write */
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_forms),   cmocka_unit_test(test_postgres_forms),
        cmocka_unit_test(test_mysql_forms),    cmocka_unit_test(test_percent_decoding),
        cmocka_unit_test(test_redaction),      cmocka_unit_test(test_bad_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
