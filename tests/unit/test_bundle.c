/*
 * test_bundle.c - the assembler (vm_assemble) over tests/valid-history for
 * every dialect: migrations sorted by id with their checksums and resolved
 * depends_on, the apply order of each dialect, one vm_step per be_step
 * with op kind, fingerprint, summary, source line, flags, and a body of
 * GUARD / EXEC / BACKFILL / NOTE that carries the backend's SQL through the
 * string table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "frontend.h"
#include "vm.h"

#define HISTORY JORYU_SRC "/tests/valid-history"

static const ir_dialect all_dialects[] = {IR_D_POSTGRESQL, IR_D_MYSQL, IR_D_MARIADB,
                                          IR_D_SQLITE};

typedef struct fixture {
    ir_program *p;
    be_program *bp[IR_D__COUNT];
    vm_bundle *b;
} fixture;

static ir_program *compile_dir(const char *dir)
{
    fe_options o;
    fe_options_init(&o);
    o.targets = IR_DMASK_ALL;
    const char *paths[] = {dir};
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

static int setup_history(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->p = compile_dir(HISTORY);
    jy_diags d;
    jy_diags_init(&d);
    const be_program *bps[IR_D__COUNT];
    for (size_t i = 0; i < IR_D__COUNT; i++) {
        int rc = be_emit_program(f->p, all_dialects[i], &f->bp[i], &d);
        if (rc)
            jy_diags_print(&d, stdout, false);
        assert_int_equal(rc, 0);
        bps[i] = f->bp[i];
    }
    int rc = vm_assemble(f->p, bps, IR_D__COUNT, &f->b, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    assert_int_equal(rc, 0);
    jy_diags_free(&d);
    *state = f;
    return 0;
}

static int teardown_history(void **state)
{
    fixture *f = *state;
    vm_bundle_free(f->b);
    for (size_t i = 0; i < IR_D__COUNT; i++)
        be_program_free(f->bp[i]);
    ir_program_free(f->p);
    free(f);
    return 0;
}

/* Is s one of the bundle's strings (by pointer: everything is interned)? */
static bool in_table(const vm_bundle *b, const char *s)
{
    for (uint32_t i = 0; i < b->nstrings; i++)
        if (b->strings[i] == s)
            return true;
    return false;
}

/* Check one script against the backend's. */
static void check_script(const vm_bundle *b, const ir_migration *m, const be_script *s,
                         const vm_script *v)
{
    assert_true(v->present);
    assert_int_equal(v->synthesized, s->synthesized);
    assert_int_equal(v->irreversible, s->irreversible);
    if (s->reason)
        assert_string_equal(v->reason, s->reason);
    else
        assert_null(v->reason);
    assert_int_equal(v->nsteps, s->nsteps);
    for (size_t i = 0; i < s->nsteps; i++) {
        const be_step *bs = &s->steps[i];
        const vm_step *st = &v->steps[i];
        assert_string_equal(st->op_kind, bs->op->info->name);
        char fp[80];
        ir_op_fingerprint(bs->op, fp);
        assert_string_equal(st->fingerprint, fp);
        assert_true(strncmp(st->fingerprint, "v1:", 3) == 0);
        assert_string_equal(st->summary, bs->summary ? bs->summary : "");
        unsigned line = 0, col = 0;
        jy_source_linecol(m->src, bs->op->start, &line, &col);
        assert_int_equal(st->line, line);
        assert_true(st->line > 0);
        assert_int_equal(!!(st->flags & VM_STEP_NO_TX), bs->no_transaction);
        assert_int_equal(!!(st->flags & VM_STEP_DESTRUCTIVE), bs->destructive);
        assert_int_equal(!!(st->flags & VM_STEP_BACKFILL), bs->backfill != NULL);
        assert_true(in_table(b, st->op_kind) && in_table(b, st->fingerprint));
        /* the body */
        size_t k = 0;
        if (bs->guard) {
            assert_true(k < st->ncode);
            assert_int_equal(st->code[k].op, VM_OP_GUARD);
            assert_string_equal(b->strings[st->code[k].a], bs->guard);
            k++;
        }
        if (bs->backfill) {
            assert_int_equal(st->code[k].op, VM_OP_BACKFILL);
            assert_string_equal(b->strings[st->code[k].a], bs->backfill->bounds_sql);
            assert_string_equal(b->strings[st->code[k].b], bs->backfill->batch_sql);
            assert_int_equal(st->code[k].c, bs->backfill->batch_size);
            k++;
        }
        for (size_t j = 0; j < bs->nstmts; j++, k++) {
            assert_true(k < st->ncode);
            assert_int_equal(st->code[k].op, VM_OP_EXEC);
            assert_string_equal(b->strings[st->code[k].a], bs->stmts[j].sql);
            assert_int_equal(st->code[k].flags & VM_F_EXPECT_NO_ROWS,
                             (bs->stmts[j].flags & BE_STMT_EXPECT_NO_ROWS) ? VM_F_EXPECT_NO_ROWS
                                                                           : 0);
        }
        if (bs->note) {
            assert_int_equal(st->code[k].op, VM_OP_NOTE);
            assert_string_equal(b->strings[st->code[k].a], bs->note);
            k++;
        }
        assert_int_equal(k, st->ncode);
    }
}

static void test_assemble_history(void **state)
{
    fixture *f = *state;
    const vm_bundle *b = f->b;
    assert_int_equal(b->nmigs, f->p->n);
    assert_int_equal(b->nmigs, 52);
    assert_int_equal(b->dialects, IR_DMASK_ALL);
    assert_string_equal(b->joryu_version, JORYU_VERSION);
    size_t nbackfill = 0, nguard = 0, nexec = 0;
    for (uint32_t i = 0; i < b->nmigs; i++) {
        const vm_migration *vm = &b->migs[i];
        const ir_migration *m = f->p->migs[i];
        assert_string_equal(vm->id, m->id);
        if (i)
            assert_true(strcmp(b->migs[i - 1].id, vm->id) < 0);
        assert_ptr_equal(vm_bundle_find(b, m->id), vm);
        assert_string_equal(vm->file, m->file);
        assert_string_equal(vm->checksum, m->checksum);
        assert_string_equal(vm->down_checksum, m->down_checksum);
        assert_int_equal(vm->tx_mode, m->tx_mode);
        assert_int_equal(vm->on_mismatch, m->on_mismatch);
        assert_int_equal(vm->dialects, m->dialects & IR_DMASK_ALL);
        /* depends_on: every entry is an id of the bundle */
        for (uint32_t k = 0; k < vm->ndepends; k++)
            assert_non_null(vm_bundle_find(b, vm->depends_on[k]));
        for (size_t k = 0; k < m->ndepends; k++)
            if (strncmp(m->depends_on[k], "group:", 6) != 0) {
                bool found = false;
                for (uint32_t j = 0; j < vm->ndepends; j++)
                    found |= strcmp(vm->depends_on[j], m->depends_on[k]) == 0;
                assert_true(found);
            }
        for (uint32_t s = 0; s < 4; s++)
            for (uint32_t k = 0; k < vm->up[s].nsteps; k++)
                for (uint32_t j = 0; j < vm->up[s].steps[k].ncode; j++) {
                    const vm_insn *in = &vm->up[s].steps[k].code[j];
                    nbackfill += in->op == VM_OP_BACKFILL;
                    nguard += in->op == VM_OP_GUARD;
                    nexec += in->op == VM_OP_EXEC;
                    assert_true(in->a < b->nstrings);
                }
    }
    (void)nguard; /* guards come from the backends once they emit them */
    assert_true(nbackfill > 0 && nexec > 0);
    for (size_t di = 0; di < IR_D__COUNT; di++) {
        const be_program *bp = f->bp[di];
        ir_dialect dia = bp->dialect;
        assert_int_equal(b->norder[dia], bp->n);
        for (size_t k = 0; k < bp->n; k++) {
            const be_migration *bm = &bp->migs[k];
            const vm_migration *vm = &b->migs[b->order[dia][k]];
            assert_string_equal(vm->id, bm->m->id);
            check_script(b, bm->m, &bm->up, &vm->up[dia]);
            assert_true(vm->down[dia].present);
            if (!bm->down.irreversible)
                check_script(b, bm->m, &bm->down, &vm->down[dia]);
            else
                assert_true(vm->down[dia].irreversible && vm->down[dia].nsteps == 0);
        }
    }
    /* the string table has no duplicates */
    for (uint32_t i = 0; i < b->nstrings; i++)
        for (uint32_t j = i + 1; j < b->nstrings && j < i + 64; j++)
            assert_string_not_equal(b->strings[i], b->strings[j]);
}

/* One dialect only: the others are absent. */
static void test_assemble_one_dialect(void **state)
{
    fixture *f = *state;
    const be_program *bps[] = {f->bp[3]}; /* sqlite */
    vm_bundle *b = NULL;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(vm_assemble(f->p, bps, 1, &b, &d), 0);
    assert_int_equal(b->dialects, IR_DMASK(IR_D_SQLITE));
    assert_int_equal(b->norder[IR_D_POSTGRESQL], 0);
    assert_int_equal(b->norder[IR_D_SQLITE], f->bp[3]->n);
    for (uint32_t i = 0; i < b->nmigs; i++) {
        assert_false(b->migs[i].up[IR_D_POSTGRESQL].present);
        assert_int_equal(b->migs[i].dialects & ~IR_DMASK(IR_D_SQLITE), 0);
    }
    vm_bundle_free(b);
    /* the same dialect twice is refused */
    const be_program *twice[] = {f->bp[3], f->bp[3]};
    assert_int_equal(vm_assemble(f->p, twice, 2, &b, &d), -1);
    assert_null(b);
    assert_string_equal(d.v[0].code, "bundle.dialect");
    jy_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_assemble_history, setup_history, teardown_history),
        cmocka_unit_test_setup_teardown(test_assemble_one_dialect, setup_history,
                                        teardown_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
