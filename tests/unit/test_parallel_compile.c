/*
 * test_parallel_compile.c - a folder of 64 files or more compiles on one
 * thread per core (fe_options.threads = 0).  What a user sees must not
 * depend on it: the IR (its JSON dump), the diagnostics and their order are
 * those of a sequential compile, with 2 and 3 threads alike.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend.h"

#define NFILES 150

static void write_file(const char *dir, const char *id, const char *body)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.py", dir, id);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "import joryu\nfrom joryu import op, types as t\n\n%s", body);
    fclose(f);
}

/* NFILES migrations: tables, columns, indexes; with_errors adds files
 * whose errors come from the file itself (syntax, unknown op) and from
 * the folder (unknown depends_on). */
static char *make_dir(bool with_errors)
{
    char *dir = strdup("/tmp/joryu-par-XXXXXX");
    assert_non_null(mkdtemp(dir));
    for (int i = 0; i < NFILES; i++) {
        char id[64], body[1024];
        snprintf(id, sizeof id, "20260101T00%02d%02d_m%d", i / 60, i % 60, i);
        if (i % 3 == 0)
            snprintf(body, sizeof body,
                     "@joryu.migration(id=\"%s\")\ndef upgrade():\n"
                     "    op.create_table(\"t%d\", op.column(\"id\", t.Int, primary_key=True))\n",
                     id, i);
        else if (i % 3 == 1)
            snprintf(body, sizeof body,
                     "@joryu.migration(id=\"%s\")\ndef upgrade():\n"
                     "    op.add_column(\"t%d\", \"c%d\", t.Text)\n",
                     id, i - 1, i);
        else
            snprintf(body, sizeof body,
                     "@joryu.migration(id=\"%s\")\ndef upgrade():\n"
                     "    op.create_index(\"ix_%d\", \"t%d\", [\"c%d\"])\n",
                     id, i, i - 2, i - 1);
        if (with_errors && i % 37 == 5)
            snprintf(body, sizeof body,
                     "@joryu.migration(id=\"%s\")\ndef upgrade():\n    op.add_colum(\"t0\", \"x\", t.Text)\n",
                     id);
        if (with_errors && i % 41 == 7)
            snprintf(body, sizeof body,
                     "@joryu.migration(id=\"%s\")\ndef upgrade(:\n    pass\n", id);
        if (with_errors && i == 100)
            snprintf(body, sizeof body,
                     "@joryu.migration(id=\"%s\", depends_on=[\"20250101T000000_nope\"])\n"
                     "def upgrade():\n    pass\n",
                     id);
        write_file(dir, id, body);
    }
    return dir;
}

static void remove_dir(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

typedef struct result {
    int rc;
    char *dump;  /* NULL when the compile failed */
    jy_diags d;
} result;

static result compile_with(const char *dir, unsigned threads)
{
    result r = {0};
    jy_diags_init(&r.d);
    fe_options o;
    fe_options_init(&o);
    o.threads = threads;
    ir_program *p = NULL;
    const char *paths[] = {dir};
    r.rc = fe_compile(paths, 1, &o, &p, &r.d);
    if (p) {
        r.dump = ir_dump_json(p);
        ir_program_free(p);
    }
    return r;
}

static void assert_same(result *a, result *b)
{
    assert_int_equal(a->rc, b->rc);
    assert_int_equal(a->d.n, b->d.n);
    assert_int_equal(a->d.nerrors, b->d.nerrors);
    assert_int_equal(a->d.exit_code, b->d.exit_code);
    for (size_t i = 0; i < a->d.n; i++) {
        jy_diag *x = &a->d.v[i], *y = &b->d.v[i];
        assert_string_equal(x->code, y->code);
        assert_string_equal(x->message, y->message);
        assert_int_equal(x->offset, y->offset);
        assert_true((x->src == NULL) == (y->src == NULL));
        if (x->src)
            assert_string_equal(x->src->path, y->src->path);
    }
    assert_true((a->dump == NULL) == (b->dump == NULL));
    if (a->dump)
        assert_string_equal(a->dump, b->dump);
}

static void result_free(result *r)
{
    free(r->dump);
    jy_diags_free(&r->d);
}

static void valid_folder_same_ir(void **state)
{
    (void)state;
    char *dir = make_dir(false);
    result seq = compile_with(dir, 1), two = compile_with(dir, 2), three = compile_with(dir, 3);
    assert_int_equal(seq.rc, 0);
    assert_non_null(seq.dump);
    assert_non_null(strstr(seq.dump, "20260101T000229_m149"));
    assert_same(&seq, &two);
    assert_same(&seq, &three);
    result_free(&seq);
    result_free(&two);
    result_free(&three);
    remove_dir(dir);
}

static void errors_same_order(void **state)
{
    (void)state;
    char *dir = make_dir(true);
    result seq = compile_with(dir, 1), two = compile_with(dir, 2), three = compile_with(dir, 3);
    assert_int_not_equal(seq.rc, 0);
    assert_true(seq.d.nerrors >= 6); /* 4 unknown ops, 3 syntax errors, 1 depends_on */
    assert_same(&seq, &two);
    assert_same(&seq, &three);
    result_free(&seq);
    result_free(&two);
    result_free(&three);
    remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_folder_same_ir),
        cmocka_unit_test(errors_same_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
