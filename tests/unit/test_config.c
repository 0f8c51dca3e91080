/*
 * test_config.c - joryu.toml: the TOML subset, the known keys and their
 * defaults, every config.* error with its line and column, the database URL
 * order and URL redaction.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime.h"

static int parse(const char *text, rt_config *c, jy_diags *d)
{
    jy_diags_init(d);
    return rt_config_parse("joryu.toml", text, strlen(text), c, d);
}

/* The first diagnostic of a given severity, or NULL. */
static jy_diag *first(jy_diags *d, jy_severity sev)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].sev == sev)
            return &d->v[i];
    return NULL;
}

static void test_reference_example(void **state)
{
    (void)state;
    /* reference §17, plus the keys of the brief */
    const char *text = "[joryu]\n"
                       "migrations_dir = \"db/migrations\"\n"
                       "environment = \"staging\"\n"
                       "\n"
                       "[metadata]\n"
                       "target = \"myapp.models:Base.metadata\"\n"
                       "\n"
                       "[database]\n"
                       "url = \"env:DATABASE_URL\"\n"
                       "\n"
                       "[generate]\n"
                       "include_schemas = [\"public\"]\n"
                       "exclude_tables  = [\"spatial_ref_sys\", 'geometry_columns']\n"
                       "\n"
                       "[dialects]\n"
                       "# Dialects to exercise during development (joryu test default).\n"
                       "targets = [\"postgresql\", \"sqlite\"]\n"
                       "test_targets = [\"postgresql\", \"mysql\", \"sqlite\"]\n"
                       "\n"
                       "[joryu.test]\n"
                       "default_mode = \"integration\"\n"
                       "integration_dialects = [\"postgresql\", \"mariadb\"]\n"
                       "postgresql_image = \"postgres:16\"\n"
                       "mysql_image = \"mysql:8\"\n"
                       "\n"
                       "[python]\n"
                       "interpreter = \"/usr/bin/python3\"\n";
    rt_config c;
    jy_diags d;
    assert_int_equal(parse(text, &c, &d), 0);
    assert_int_equal(d.n, 0);
    assert_true(c.found);
    assert_string_equal(c.migrations_dir, "db/migrations");
    assert_int_equal(c.environment, RT_ENV_STAGING);
    assert_true(c.has_environment);
    assert_string_equal(c.metadata_target, "myapp.models:Base.metadata");
    assert_string_equal(c.database_url, "env:DATABASE_URL");
    assert_int_equal(c.include_schemas.n, 1);
    assert_string_equal(c.include_schemas.v[0], "public");
    assert_int_equal(c.exclude_tables.n, 2);
    assert_string_equal(c.exclude_tables.v[1], "geometry_columns");
    assert_int_equal(c.targets, IR_DMASK(IR_D_POSTGRESQL) | IR_DMASK(IR_D_SQLITE));
    assert_int_equal(c.test_targets, IR_DMASK_DEFAULT);
    assert_string_equal(c.test_default_mode, "integration");
    assert_int_equal(c.test_integration_dialects,
                     IR_DMASK(IR_D_POSTGRESQL) | IR_DMASK(IR_D_MARIADB));
    assert_string_equal(c.test_postgresql_image, "postgres:16");
    assert_string_equal(c.python_interpreter, "/usr/bin/python3");
    rt_config_free(&c);
    jy_diags_free(&d);
}

static void test_defaults(void **state)
{
    (void)state;
    rt_config c;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(rt_config_load(JORYU_BIN "/no/such/dir/joryu.toml", &c, &d), 1);
    assert_int_equal(d.n, 0);
    assert_false(c.found);
    assert_string_equal(c.migrations_dir, "migrations");
    assert_int_equal(c.environment, RT_ENV_LOCAL);
    assert_false(c.has_environment);
    assert_null(c.database_url);
    assert_int_equal(c.targets, IR_DMASK_DEFAULT);
    assert_int_equal(c.test_targets, IR_DMASK_DEFAULT);
    assert_string_equal(c.test_default_mode, "unit");
    assert_null(c.python_interpreter);
    rt_config_free(&c);

    /* an empty file: found, every default */
    assert_int_equal(parse("", &c, &d), 0);
    assert_true(c.found);
    assert_string_equal(c.migrations_dir, "migrations");
    assert_int_equal(c.targets, IR_DMASK_DEFAULT);
    rt_config_free(&c);
    jy_diags_free(&d);

    /* test_targets defaults to targets, integration_dialects to test_targets */
    assert_int_equal(parse("[dialects]\ntargets = [\"sqlite\"]\n", &c, &d), 0);
    assert_int_equal(c.test_targets, IR_DMASK(IR_D_SQLITE));
    assert_int_equal(c.test_integration_dialects, IR_DMASK(IR_D_SQLITE));
    rt_config_free(&c);
    jy_diags_free(&d);
}

static void test_migrations_dir_relative_to_file(void **state)
{
    (void)state;
    rt_config c;
    jy_diags d;
    jy_diags_init(&d);
    const char *t = "[joryu]\nmigrations_dir = \"mig\"\n";
    assert_int_equal(rt_config_parse("proj/joryu.toml", t, strlen(t), &c, &d), 0);
    assert_string_equal(c.migrations_dir, "proj/mig");
    rt_config_free(&c);
    const char *abs = "[joryu]\nmigrations_dir = \"/srv/mig\"\n";
    assert_int_equal(rt_config_parse("proj/joryu.toml", abs, strlen(abs), &c, &d), 0);
    assert_string_equal(c.migrations_dir, "/srv/mig");
    rt_config_free(&c);
    jy_diags_free(&d);
}

static void test_toml_forms(void **state)
{
    (void)state;
    /* everything the reader accepts; unknown keys only warn */
    const char *text =
        "\xEF\xBB\xBF# a BOM, then comments\n"
        "[joryu]   # trailing comment\n"
        "\"migrations_dir\" = 'lit\\eral'\r\n"
        "[x]\n"
        "ints = [1, +2, -3, 1_000, 0xff, 0o17, 0b101]\n"
        "floats = [1.5, -0.25, 1e3, 6.02E+23, inf, -inf, nan]\n"
        "bools = [true, false]\n"
        "nested = [[1, 2], [\"a\", [3]], ]\n"
        "multi = [\n"
        "  \"a\",  # comment inside an array\n"
        "  \"b\",\n"
        "]\n"
        "inline = { a = 1, b.c = \"d\" }\n"
        "dotted.key.here = 1\n"
        "esc = \"tab\\tquote\\\"back\\\\ \\u00e9 \\U0001F600\"\n"
        "ml = \"\"\"\n"
        "first \\\n"
        "   second\"\"\"\n"
        "mll = '''\n"
        "raw \\n'''\n"
        "[x.sub]\n"
        "k = 'v'\n";
    rt_config c;
    jy_diags d;
    assert_int_equal(parse(text, &c, &d), 0);
    assert_int_equal(d.nerrors, 0);
    assert_string_equal(c.migrations_dir, "lit\\eral");
    /* one warning: the unknown table [x] */
    size_t warnings = 0;
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].sev == JY_SEV_WARNING)
            warnings++;
    assert_int_equal(warnings, 1);
    assert_string_equal(first(&d, JY_SEV_WARNING)->code, "config.unknown-table");
    rt_config_free(&c);
    jy_diags_free(&d);
}

static void test_escapes_decode(void **state)
{
    (void)state;
    rt_config c;
    jy_diags d;
    assert_int_equal(parse("[metadata]\ntarget = \"a\\tb\\u00e9\\\"\"\n", &c, &d), 0);
    assert_string_equal(c.metadata_target, "a\tb\xC3\xA9\"");
    rt_config_free(&c);
    jy_diags_free(&d);
    assert_int_equal(parse("[metadata]\ntarget = \"\"\"\nx \\\n    y\"\"\"\n", &c, &d), 0);
    assert_string_equal(c.metadata_target, "x y");
    rt_config_free(&c);
    jy_diags_free(&d);
    assert_int_equal(parse("[metadata]\ntarget = '''a\\nb'''\n", &c, &d), 0);
    assert_string_equal(c.metadata_target, "a\\nb");
    rt_config_free(&c);
    jy_diags_free(&d);
}

typedef struct err_case {
    const char *text;
    const char *code;
    unsigned line, col;
    const char *message_part;
} err_case;

static const err_case errors[] = {
    {"[joryu]\nmigrations_dir = \"abc\n", "config.unterminated-string", 2, 18, "closing \""},
    {"[joryu]\nmigrations_dir = 'abc\n", "config.unterminated-string", 2, 18, "closing '"},
    {"[metadata]\ntarget = \"\"\"abc\n", "config.unterminated-string", 2, 10, "\"\"\""},
    {"[metadata]\ntarget = \"a\\qb\"\n", "config.bad-escape", 2, 12, "\\q"},
    {"[metadata]\ntarget = \"\\u12\"\n", "config.bad-escape", 2, 11, "4 hex digits"},
    {"[metadata]\ntarget = \"\\uD800\"\n", "config.bad-escape", 2, 11, "Unicode"},
    {"[metadata]\ntarget = \"a\x01\"\n", "config.control-char", 2, 12, "control character"},
    {"[joryu]\nmigrations_dir \"x\"\n", "config.expected", 2, 16, "expected '='"},
    {"[joryu]\nmigrations_dir: \"x\"\n", "config.expected", 2, 15, "expected '='"},
    {"[joryu]\n= 1\n", "config.bad-key", 2, 1, "expected a key"},
    {"[joryu\n", "config.expected", 1, 7, "']'"},
    {"[[joryu]]\n", "config.unsupported", 1, 1, "arrays of tables"},
    {"[joryu]\nmigrations_dir = migrations\n", "config.bad-value", 2, 18, "need quotes"},
    {"[x]\nn = 1__0\n", "config.bad-value", 2, 5, "not a valid number"},
    {"[x]\nn = 012\n", "config.bad-value", 2, 5, "not a valid number"},
    {"[x]\nn = 1.\n", "config.bad-value", 2, 5, "not a valid number"},
    {"[x]\nn = 99999999999999999999\n", "config.bad-value", 2, 5, "64 bits"},
    {"[x]\nwhen = 1979-05-27\n", "config.unsupported", 2, 8, "dates and times"},
    {"[x]\nv =\n", "config.bad-value", 2, 4, "expected a value"},
    {"[x]\na = [1, 2\n", "config.unterminated-array", 2, 5, "']'"},
    {"[x]\na = [1 2]\n", "config.expected", 2, 8, "',' or ']'"},
    {"[x]\nt = { a = 1\n", "config.unterminated-table", 2, 5, "'}'"},
    {"[x]\nt = { a = 1 b = 2 }\n", "config.expected", 2, 13, "',' or '}'"},
    {"[x]\na = 1 b = 2\n", "config.expected", 2, 7, "end of the line"},
    {"[joryu]\nmigrations_dir = \"a\"\nmigrations_dir = \"b\"\n", "config.duplicate-key", 3, 1,
     "first defined on line 2"},
    {"[joryu]\n[database]\n[joryu]\n", "config.duplicate-table", 3, 1, "defined twice"},
    {"[x]\na = 1\n[x.a]\n", "config.duplicate-key", 3, 4, "already defined"},
    {"[x]\nt = {a = 1}\nt.b = 2\n", "config.duplicate-key", 3, 1, "inline table"},
    {"[dialects]\ntargets = \"sqlite\"\n", "config.type", 2, 11, "array of dialect names"},
    {"[dialects]\ntargets = [\"postgress\"]\n", "config.unknown-dialect", 2, 12, "postgress"},
    {"[dialects]\ntargets = []\n", "config.bad-value", 2, 11, "at least one dialect"},
    {"[dialects]\ntargets = [1]\n", "config.type", 2, 12, "not an integer"},
    {"[joryu]\nenvironment = \"prod\"\n", "config.bad-value", 2, 15, "must be one of"},
    {"[joryu]\nmigrations_dir = 5\n", "config.type", 2, 18, "must be a string"},
    {"[joryu]\nmigrations_dir = \"\"\n", "config.bad-value", 2, 18, "non-empty"},
    {"[database]\nurl = \"env:1BAD\"\n", "config.bad-value", 2, 7, "environment variable"},
    {"[generate]\nexclude_tables = [\"a\", 2]\n", "config.type", 2, 24, "must hold strings"},
    {"[joryu.test]\ndefault_mode = \"units\"\n", "config.bad-value", 2, 16, "unit"},
    {"joryu = 1\n", "config.type", 1, 9, "must be a table"},
    {"[x]\na = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]\n",
     "config.too-deep", 2, 0, "nested deeper"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        const err_case *e = &errors[i];
        rt_config c;
        jy_diags d;
        int rc = parse(e->text, &c, &d);
        jy_diag *g = first(&d, JY_SEV_ERROR);
        if (rc != -1 || !g || strcmp(g->code, e->code) != 0) {
            print_error("case %zu (%s): rc %d, first error %s: %s\n", i, e->code, rc,
                        g ? g->code : "(none)", g && g->message ? g->message : "");
            fail();
        }
        assert_int_equal(g->exit_code, JY_EXIT_ERROR);
        assert_non_null(g->src);
        unsigned line, col;
        jy_source_linecol(g->src, g->offset, &line, &col);
        if (line != e->line || (e->col && col != e->col) || !strstr(g->message, e->message_part)) {
            print_error("case %zu (%s): got %u:%u '%s', want %u:%u '...%s...'\n", i, e->code, line,
                        col, g->message, e->line, e->col, e->message_part);
            fail();
        }
        rt_config_free(&c);
        jy_diags_free(&d);
    }
}

static void test_several_errors_reported(void **state)
{
    (void)state;
    rt_config c;
    jy_diags d;
    assert_int_equal(parse("[x]\na = \"x\nb = 1.\nc = ok\n", &c, &d), -1);
    assert_int_equal(d.nerrors, 3);
    rt_config_free(&c);
    jy_diags_free(&d);
}

static void test_unknown_keys_warn(void **state)
{
    (void)state;
    rt_config c;
    jy_diags d;
    assert_int_equal(parse("[joryu]\nmigration_dir = \"m\"\n[databse]\nurl = \"x\"\n"
                           "[dialects]\ntarget = [\"sqlite\"]\n", &c, &d), 0);
    assert_int_equal(d.nerrors, 0);
    assert_int_equal(d.n, 3);
    assert_string_equal(d.v[0].code, "config.unknown-key");
    assert_int_equal(d.v[0].sev, JY_SEV_WARNING);
    assert_non_null(strstr(d.v[0].hint, "migrations_dir"));
    unsigned line, col;
    jy_source_linecol(d.v[0].src, d.v[0].offset, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
    assert_string_equal(d.v[1].code, "config.unknown-table");
    assert_non_null(strstr(d.v[1].hint, "[database]"));
    assert_string_equal(d.v[2].code, "config.unknown-key");
    assert_non_null(strstr(d.v[2].hint, "targets"));
    /* the misspelled keys did not change the defaults */
    assert_string_equal(c.migrations_dir, "migrations");
    assert_int_equal(c.targets, IR_DMASK_DEFAULT);
    rt_config_free(&c);
    jy_diags_free(&d);

    /* a known key outside its table: the hint names the table */
    assert_int_equal(parse("url = \"sqlite:///x.db\"\n", &c, &d), 0);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].hint, "[database]"));
    assert_null(c.database_url);
    rt_config_free(&c);
    jy_diags_free(&d);
}

static void test_dialect_did_you_mean(void **state)
{
    (void)state;
    rt_config c;
    jy_diags d;
    assert_int_equal(parse("[joryu]\nenvironment = \"prod\"\n", &c, &d), -1);
    assert_non_null(first(&d, JY_SEV_ERROR)->hint);
    assert_non_null(strstr(first(&d, JY_SEV_ERROR)->hint, "\"production\""));
    rt_config_free(&c);
    jy_diags_free(&d);
    assert_int_equal(parse("[dialects]\ntargets = [\"sqlite\", \"postgress\"]\n", &c, &d), -1);
    jy_diag *g = first(&d, JY_SEV_ERROR);
    assert_non_null(g->hint);
    assert_non_null(strstr(g->hint, "postgresql"));
    rt_config_free(&c);
    jy_diags_free(&d);
}

static void test_load_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/jy_test_config_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/joryu.toml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("[joryu]\nmigrations_dir = \"m\"\n[database]\nurl = \"sqlite:///a.db\"\n", f);
    fclose(f);
    rt_config c;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(rt_config_load(path, &c, &d), 0);
    assert_true(c.found);
    char want[300];
    snprintf(want, sizeof want, "%s/m", dir);
    assert_string_equal(c.migrations_dir, want);
    assert_string_equal(c.database_url, "sqlite:///a.db");
    rt_config_free(&c);
    /* a broken file: the diagnostic names the file and points into it */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("[joryu]\nmigrations_dir = \n", f);
    fclose(f);
    assert_int_equal(rt_config_load(path, &c, &d), -1);
    assert_non_null(d.v[0].src);
    assert_string_equal(d.v[0].src->path, path);
    rt_config_free(&c);
    jy_diags_free(&d);
    /* a directory where the file should be: an io.* error */
    jy_diags_init(&d);
    assert_int_equal(rt_config_load(dir, &c, &d), -1);
    assert_non_null(strstr(d.v[0].code, "io."));
    rt_config_free(&c);
    jy_diags_free(&d);
    unlink(path);
    rmdir(dir);
}

static void test_url_order(void **state)
{
    (void)state;
    rt_config c;
    jy_diags d;
    assert_int_equal(parse("[database]\nurl = \"env:JY_TEST_URL_VAR\"\n", &c, &d), 0);
    char *url = NULL;
    rt_url_origin origin;
    unsetenv("JORYU_DATABASE_URL");
    unsetenv("JY_TEST_URL_VAR");

    /* the env: variable is not set: an error pointing at the url value */
    assert_int_equal(rt_config_database_url(&c, NULL, &url, &origin, &d), -1);
    assert_null(url);
    jy_diag *g = first(&d, JY_SEV_ERROR);
    assert_string_equal(g->code, "config.env-unset");
    assert_non_null(strstr(g->message, "JY_TEST_URL_VAR"));
    unsigned line, col;
    jy_source_linecol(g->src, g->offset, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 7);
    jy_diags_free(&d);

    /* joryu.toml through env: */
    setenv("JY_TEST_URL_VAR", "postgresql://u:secret@db/app", 1);
    assert_int_equal(rt_config_database_url(&c, NULL, &url, &origin, &d), 0);
    assert_string_equal(url, "postgresql://u:secret@db/app");
    assert_int_equal(origin, RT_URL_FROM_CONFIG);
    free(url);

    /* JORYU_DATABASE_URL beats joryu.toml */
    setenv("JORYU_DATABASE_URL", "sqlite:///env.db", 1);
    assert_int_equal(rt_config_database_url(&c, NULL, &url, &origin, &d), 0);
    assert_string_equal(url, "sqlite:///env.db");
    assert_int_equal(origin, RT_URL_FROM_ENV);
    free(url);

    /* --db beats both */
    assert_int_equal(rt_config_database_url(&c, "sqlite::memory:", &url, &origin, &d), 0);
    assert_string_equal(url, "sqlite::memory:");
    assert_int_equal(origin, RT_URL_FROM_FLAG);
    free(url);
    rt_config_free(&c);
    unsetenv("JORYU_DATABASE_URL");
    unsetenv("JY_TEST_URL_VAR");

    /* nothing anywhere */
    rt_config_defaults(&c);
    assert_int_equal(rt_config_database_url(&c, NULL, &url, &origin, &d), -1);
    assert_string_equal(first(&d, JY_SEV_ERROR)->code, "config.no-database-url");
    assert_non_null(first(&d, JY_SEV_ERROR)->hint);
    rt_config_free(&c);
    jy_diags_free(&d);

    /* a plain URL in joryu.toml */
    assert_int_equal(parse("[database]\nurl = \"sqlite:///app.db\"\n", &c, &d), 0);
    assert_int_equal(rt_config_database_url(&c, NULL, &url, &origin, &d), 0);
    assert_string_equal(url, "sqlite:///app.db");
    free(url);
    rt_config_free(&c);
    jy_diags_free(&d);
}

static void check_redact(const char *in, const char *want)
{
    char *got = rt_url_redact(in);
    assert_non_null(got);
    if (strcmp(got, want) != 0) {
        print_error("redact(%s) = %s, want %s\n", in, got, want);
        free(got);
        fail();
    }
    free(got);
}

static void test_redact(void **state)
{
    (void)state;
    check_redact("postgresql://user:s3cret@host:5432/db", "postgresql://user:***@host:5432/db");
    check_redact("mysql://root:p@ss:w@rd@127.0.0.1/app", "mysql://root:***@127.0.0.1/app");
    check_redact("postgresql://user@host/db", "postgresql://user@host/db");
    check_redact("postgresql://host/db", "postgresql://host/db");
    check_redact("sqlite:///relative.db", "sqlite:///relative.db");
    check_redact("sqlite:////abs/path.db", "sqlite:////abs/path.db");
    check_redact("sqlite::memory:", "sqlite::memory:");
    check_redact("postgresql://u@h/db?sslmode=require&password=x&a=b",
                 "postgresql://u@h/db?sslmode=require&password=***&a=b");
    check_redact("mariadb://u:pw@h/db?Password=pw", "mariadb://u:***@h/db?Password=***");
    check_redact("host=db user=u password='a b' dbname=x",
                 "host=db user=u password=*** dbname=x");
    check_redact("", "");
    /* a path segment with an @ is not userinfo */
    check_redact("postgresql://h/db@x", "postgresql://h/db@x");
}

static void test_environment_names(void **state)
{
    (void)state;
    assert_string_equal(rt_environment_name(RT_ENV_LOCAL), "local");
    assert_string_equal(rt_environment_name(RT_ENV_PRODUCTION), "production");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_example),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_migrations_dir_relative_to_file),
        cmocka_unit_test(test_toml_forms),
        cmocka_unit_test(test_escapes_decode),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_several_errors_reported),
        cmocka_unit_test(test_unknown_keys_warn),
        cmocka_unit_test(test_dialect_did_you_mean),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_url_order),
        cmocka_unit_test(test_redact),
        cmocka_unit_test(test_environment_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
