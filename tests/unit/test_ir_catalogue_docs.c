/*
 * test_ir_catalogue_docs.c - the op and type reference in the docs is the
 * text ir_catalogue_markdown() generates from ir/ops.def and ir/types.def,
 * byte for byte, so the docs cannot drift from the catalogue.
 *
 * docs/SPEC.md must hold that text between
 * `<!-- BEGIN GENERATED: catalogue -->\n` and `<!-- END GENERATED: catalogue -->`.
 *
 * To refresh after editing ops.def or types.def, run this test with
 * JORYU_UPDATE_DOCS=1: it rewrites the marked section of docs/SPEC.md, then
 * fails once so the change is seen.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

#define SPEC JORYU_SRC "/docs/SPEC.md"
#define BEGIN_MARK "<!-- BEGIN GENERATED: catalogue -->\n"
#define END_MARK "<!-- END GENERATED: catalogue -->"

/* Read a whole file (malloc'd, NUL-terminated) or NULL when missing. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    jy_buf b;
    jy_buf_init(&b);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        jy_buf_append(&b, chunk, n);
    fclose(f);
    jy_buf_putc(&b, 0);
    assert_false(b.failed);
    *len = b.len - 1;
    return jy_buf_take(&b);
}

static bool update_mode(void)
{
    const char *u = getenv("JORYU_UPDATE_DOCS");
    return u && *u && strcmp(u, "0") != 0;
}

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Where the texts differ, for the failure message. */
static void report_diff(const char *what, const char *have, const char *want)
{
    size_t i = 0, line = 1;
    while (have[i] && have[i] == want[i]) {
        if (have[i] == '\n')
            line++;
        i++;
    }
    fail_msg("%s differs from ir_catalogue_markdown() at line %zu; regenerate with "
             "JORYU_UPDATE_DOCS=1 %s",
             what, line, "build/tests/test_ir_catalogue_docs");
}

static void test_spec_section_is_generated(void **state)
{
    (void)state;
    size_t len = 0;
    char *spec = slurp(SPEC, &len);
    if (!spec)
        fail_msg("docs/SPEC.md is missing");
    char *want = ir_catalogue_markdown();
    assert_non_null(want);
    char *b = strstr(spec, BEGIN_MARK);
    if (!b)
        fail_msg("docs/SPEC.md lacks the line " BEGIN_MARK);
    char *body = b + strlen(BEGIN_MARK);
    char *e = strstr(body, END_MARK);
    if (!e)
        fail_msg("docs/SPEC.md lacks the line " END_MARK);
    size_t n = (size_t)(e - body);
    if (n != strlen(want) || memcmp(body, want, n) != 0) {
        if (update_mode()) {
            jy_buf out;
            jy_buf_init(&out);
            jy_buf_append(&out, spec, (size_t)(body - spec));
            jy_buf_puts(&out, want);
            jy_buf_puts(&out, e);
            assert_false(out.failed);
            write_file(SPEC, out.data, out.len);
            jy_buf_free(&out);
            fail_msg("rewrote the catalogue section of docs/SPEC.md: run the test again");
        }
        char saved = *e;
        *e = 0;
        report_diff("the catalogue section of docs/SPEC.md", body, want);
        *e = saved;
    }
    free(spec);
    free(want);
}

/* The text names every op, every argument, every type and every rejected
 * op (a generator that lost a table would still match its own output). */
static void test_text_covers_catalogue(void **state)
{
    (void)state;
    char *md = ir_catalogue_markdown();
    assert_non_null(md);
    char key[200];
    for (int k = 0; k < IR_OP__COUNT; k++) {
        const ir_op_info *oi = &ir_op_table[k];
        snprintf(key, sizeof key, "#### `%s`\n", oi->name);
        const char *sec = strstr(md, key);
        if (!sec)
            fail_msg("no section for op %s", oi->name);
        if (!strstr(sec, oi->signature))
            fail_msg("no signature for op %s", oi->name);
        const char *next = strstr(sec + 1, "\n#### ");
        for (size_t i = 0; i < oi->nparams; i++) {
            snprintf(key, sizeof key, "| `%s` |", oi->params[i].name);
            const char *hit = strstr(sec, key);
            if (!hit || (next && hit > next))
                fail_msg("op %s: argument %s missing from its table", oi->name,
                         oi->params[i].name);
        }
    }
    for (int t = 0; t < IR_T__COUNT; t++) {
        snprintf(key, sizeof key, "| `t.%s` |", ir_type_table[t].name);
        if (!strstr(md, key))
            fail_msg("type %s missing", ir_type_table[t].name);
    }
    for (size_t r = 0; r < ir_reject_count; r++) {
        snprintf(key, sizeof key, "| `op.%s` |", ir_reject_table[r].name);
        if (!strstr(md, key))
            fail_msg("rejected op %s missing", ir_reject_table[r].name);
    }
    assert_non_null(strstr(md, "| `t.Interval` | none: `t.X` or `t.X()` | `INTERVAL` | unsupported | unsupported |"));
    assert_non_null(strstr(md, "| `batch_size` | int | no | keyword only | `10000` |"));
    assert_non_null(strstr(md, "`CASCADE`, `SET NULL`, `SET DEFAULT`, `RESTRICT`, `NO ACTION`"));
    free(md);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_section_is_generated),
        cmocka_unit_test(test_text_covers_catalogue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
