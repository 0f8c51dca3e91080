/*
 * test_backend_golden.c - the SQL every backend emits for the test history
 * (tests/valid-history) against the golden files tests/golden/<dialect>/
 * <id>.up.sql and .down.sql.  JORYU_UPDATE_GOLDEN=1 rewrites them (review
 * the diff before committing).  Also: the history compiles and replays for
 * every dialect, uses every op and type, and has no stale golden file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backends.h"
#include "frontend.h"

#define HISTORY JORYU_SRC "/tests/valid-history"
#define GOLDEN JORYU_SRC "/tests/golden"

static const ir_dialect dialects[] = {IR_D_POSTGRESQL, IR_D_MYSQL, IR_D_MARIADB, IR_D_SQLITE};

static ir_program *compile_history(void)
{
    fe_options o;
    fe_options_init(&o);
    o.targets = IR_DMASK_ALL;
    const char *paths[] = {HISTORY};
    ir_program *p = NULL;
    jy_diags d;
    jy_diags_init(&d);
    int rc = fe_compile(paths, 1, &o, &p, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    jy_diags_free(&d);
    assert_int_equal(rc, 0);
    return p;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = 0;
    fclose(f);
    return s;
}

static int check_golden(const char *path, const char *text, bool update)
{
    if (update) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        return 0;
    }
    char *want = slurp(path);
    if (!want) {
        print_message("missing golden file %s (run with JORYU_UPDATE_GOLDEN=1)\n", path);
        return 1;
    }
    int bad = strcmp(want, text) != 0;
    if (bad)
        print_message("golden mismatch: %s\n--- expected ---\n%s\n--- got ---\n%s\n", path, want,
                      text);
    free(want);
    return bad;
}

static void test_history_size(void **state)
{
    (void)state;
    ir_program *p = compile_history();
    assert_true(p->n >= 40);
    /* every op and every type is used at least once */
    bool ops[IR_OP__COUNT] = {0}, types[IR_T__COUNT] = {0};
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = 0; j < p->migs[i]->nops; j++) {
            const ir_op *op = p->migs[i]->ops[j];
            ops[op->kind] = true;
            for (size_t a = 0; a < op->info->nparams; a++) {
                const ir_value *v = op->args[a];
                if (v && v->kind == IR_V_TYPE)
                    types[v->u.type->id] = true;
                if (v && v->kind == IR_V_LIST)
                    for (size_t k = 0; k < v->u.list.n; k++) {
                        const ir_value *c = v->u.list.items[k];
                        if (c->kind == IR_V_COLUMN) {
                            const ir_value *t = c->u.op->args[IR_A_column_type];
                            if (t && t->kind == IR_V_TYPE) {
                                types[t->u.type->id] = true;
                                if (t->u.type->inner)
                                    types[t->u.type->inner->id] = true;
                            }
                        }
                    }
            }
        }
    for (size_t k = 0; k < IR_OP__COUNT; k++)
        if (!(ir_op_table[k].flags & IR_OPF_CONSTRUCTOR) && !ops[k])
            fail_msg("op.%s is not used by the test history", ir_op_table[k].name);
    for (size_t k = 0; k < IR_T__COUNT; k++)
        if (!types[k])
            fail_msg("t.%s is not used by the test history", ir_type_table[k].name);
    ir_program_free(p);
}

static void test_golden(void **state)
{
    (void)state;
    const char *u = getenv("JORYU_UPDATE_GOLDEN");
    bool update = u && strcmp(u, "1") == 0;
    ir_program *p = compile_history();
    int bad = 0;
    for (size_t k = 0; k < JY_COUNTOF(dialects); k++) {
        ir_dialect d = dialects[k];
        jy_diags diags;
        jy_diags_init(&diags);
        be_program *bp = NULL;
        int rc = be_emit_program(p, d, &bp, &diags);
        if (rc)
            jy_diags_print(&diags, stdout, false);
        jy_diags_free(&diags);
        assert_int_equal(rc, 0);
        char dir[512];
        snprintf(dir, sizeof dir, "%s/%s", GOLDEN, ir_dialect_name(d));
        if (update)
            mkdir(dir, 0777);
        for (size_t i = 0; i < bp->n; i++) {
            const be_migration *bm = &bp->migs[i];
            char path[1024];
            char *up = be_script_text(bp, bm, &bm->up);
            char *down = be_script_text(bp, bm, &bm->down);
            assert_non_null(up);
            assert_non_null(down);
            snprintf(path, sizeof path, "%s/%s.up.sql", dir, bm->m->id);
            bad += check_golden(path, up, update);
            snprintf(path, sizeof path, "%s/%s.down.sql", dir, bm->m->id);
            bad += check_golden(path, down, update);
            free(up);
            free(down);
        }
        /* no stale golden file */
        DIR *dd = opendir(dir);
        assert_non_null(dd);
        struct dirent *de;
        while ((de = readdir(dd)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            char id[256];
            snprintf(id, sizeof id, "%s", de->d_name);
            char *dot = strchr(id, '.');
            if (dot)
                *dot = 0;
            if (!be_program_find(bp, id)) {
                print_message("stale golden file %s/%s\n", dir, de->d_name);
                bad++;
            }
        }
        closedir(dd);
        be_program_free(bp);
    }
    ir_program_free(p);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history_size),
        cmocka_unit_test(test_golden),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
