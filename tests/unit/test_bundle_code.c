/*
 * test_bundle_code.c - vm_bundle_load_code (what joryu-run and joryu's
 * compile cache read): tests/valid-history built for every dialect, written,
 * then loaded keeping the code of one dialect and of the upgrades, the
 * downgrades or neither.  Everything but the dropped statements equals the
 * whole load (ids, files, checksums, depends_on, effects, orders, steps'
 * kinds, fingerprints, summaries, flags and instructions); the kept
 * statements are the whole load's, byte for byte; the dropped ones read as
 * NULL, never as another string; the other dialects are left out.  A
 * damaged byte in a dropped statement is still refused.
 */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends.h"
#include "frontend.h"
#include "vm.h"

#define HISTORY JORYU_SRC "/tests/valid-history"

typedef struct fixture {
    char path[64];
    vm_bundle *whole;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    fe_options o;
    fe_options_init(&o);
    o.targets = IR_DMASK_ALL;
    const char *paths[] = {HISTORY};
    ir_program *p = NULL;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(fe_compile(paths, 1, &o, &p, &d), 0);
    static const ir_dialect ds[] = {IR_D_POSTGRESQL, IR_D_MYSQL, IR_D_MARIADB, IR_D_SQLITE};
    be_program *bp[IR_D__COUNT];
    const be_program *bps[IR_D__COUNT];
    for (size_t i = 0; i < IR_D__COUNT; i++) {
        assert_int_equal(be_emit_program(p, ds[i], &bp[i], &d), 0);
        bps[i] = bp[i];
    }
    vm_bundle *b = NULL;
    assert_int_equal(vm_assemble(p, bps, IR_D__COUNT, &b, &d), 0);
    snprintf(f->path, sizeof f->path, "/tmp/test_bundle_code.%ld.jyb", (long)getpid());
    assert_int_equal(vm_bundle_write(b, f->path, &d), 0);
    vm_bundle_free(b);
    for (size_t i = 0; i < IR_D__COUNT; i++)
        be_program_free(bp[i]);
    ir_program_free(p);
    assert_int_equal(vm_bundle_load(f->path, &f->whole, &d), 0);
    jy_diags_free(&d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    unlink(f->path);
    vm_bundle_free(f->whole);
    free(f);
    return 0;
}

static void same_str(const char *x, const char *y)
{
    if (!x || !y)
        assert_ptr_equal(x, y);
    else
        assert_string_equal(x, y);
}

/* Every operand string of sc's steps: kept (equal to the whole load's) or
 * dropped (NULL).  Counts the dropped ones. */
static size_t check_script(const vm_bundle *w, const vm_bundle *b, const vm_script *ws,
                           const vm_script *bs, bool kept)
{
    size_t dropped = 0;
    assert_int_equal(ws->present, bs->present);
    assert_int_equal(ws->nsteps, bs->nsteps);
    for (uint32_t k = 0; k < ws->nsteps; k++) {
        const vm_step *x = &ws->steps[k], *y = &bs->steps[k];
        same_str(x->op_kind, y->op_kind);
        same_str(x->fingerprint, y->fingerprint);
        same_str(x->summary, y->summary);
        assert_int_equal(x->flags, y->flags);
        assert_int_equal(x->ncode, y->ncode);
        for (uint32_t i = 0; i < x->ncode; i++) {
            assert_memory_equal(&x->code[i], &y->code[i], sizeof x->code[i]);
            const vm_opcode_info *oi = vm_opcode_get(x->code[i].op);
            const uint32_t ops[3] = {x->code[i].a, x->code[i].b, x->code[i].c};
            const vm_operand_kind kinds[3] = {oi->a, oi->b, oi->c};
            for (int o = 0; o < 3; o++) {
                if (kinds[o] != VM_OPND_STR)
                    continue;
                const char *s = vm_bundle_str(b, ops[o]); /* reads a lazy one */
                assert_non_null(w->strings[ops[o]]);
                if (kept)
                    assert_non_null(s);
                if (s)
                    assert_string_equal(s, w->strings[ops[o]]);
                else
                    dropped++;
            }
        }
    }
    return dropped;
}

static void check_load(fixture *f, ir_dmask mask, unsigned code, size_t *ndropped_up,
                       size_t *ndropped_down)
{
    vm_bundle *b = NULL;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(vm_bundle_load_code(f->path, mask, code, &b, &d), 0);
    jy_diags_free(&d);
    const vm_bundle *w = f->whole;
    assert_int_equal(b->dialects, w->dialects & mask);
    assert_int_equal(b->nmigs, w->nmigs);
    assert_string_equal(b->body_sha256, w->body_sha256);
    *ndropped_up = *ndropped_down = 0;
    for (uint32_t i = 0; i < w->nmigs; i++) {
        const vm_migration *x = &w->migs[i], *y = &b->migs[i];
        assert_string_equal(x->id, y->id);
        same_str(x->file, y->file);
        same_str(x->checksum, y->checksum);
        same_str(x->down_checksum, y->down_checksum);
        assert_int_equal(x->ndepends, y->ndepends);
        for (uint32_t k = 0; k < x->ndepends; k++)
            assert_string_equal(x->depends_on[k], y->depends_on[k]);
        assert_int_equal(x->neffects, y->neffects);
        for (uint32_t k = 0; k < x->neffects; k++)
            assert_string_equal(x->effects[k], y->effects[k]);
        for (int dl = 0; dl < IR_D__COUNT; dl++) {
            if (!(mask & IR_DMASK(dl))) {
                assert_false(y->up[dl].present);
                assert_false(y->down[dl].present);
                continue;
            }
            *ndropped_up += check_script(w, b, &x->up[dl], &y->up[dl], code & VM_KEEP_UP_CODE);
            *ndropped_down +=
                check_script(w, b, &x->down[dl], &y->down[dl], code & VM_KEEP_DOWN_CODE);
        }
    }
    for (int dl = 0; dl < IR_D__COUNT; dl++) {
        assert_int_equal(b->norder[dl], (mask & IR_DMASK(dl)) ? w->norder[dl] : 0);
        for (uint32_t k = 0; k < b->norder[dl]; k++)
            assert_int_equal(b->order[dl][k], w->order[dl][k]);
    }
    vm_bundle_free(b);
}

static void test_code_selection(void **state)
{
    fixture *f = *state;
    size_t up, down;
    /* everything: nothing dropped */
    check_load(f, IR_DMASK_ALL, VM_KEEP_ALL_CODE, &up, &down);
    assert_int_equal(up + down, 0);
    /* apply on SQLite: the upgrades' statements, no downgrade's */
    check_load(f, IR_DMASK(IR_D_SQLITE), VM_KEEP_UP_CODE, &up, &down);
    assert_int_equal(up, 0);
    assert_true(down > 0);
    /* down on PostgreSQL */
    check_load(f, IR_DMASK(IR_D_POSTGRESQL), VM_KEEP_DOWN_CODE, &up, &down);
    assert_true(up > 0);
    assert_int_equal(down, 0);
    /* status on MySQL and MariaDB: no statement at all */
    check_load(f, IR_DMASK(IR_D_MYSQL) | IR_DMASK(IR_D_MARIADB), 0, &up, &down);
    assert_true(up > 0 && down > 0);
}

/* A byte of the last string (a downgrade's statement or guard, dropped by
 * status) changed: refused all the same. */
static void test_dropped_still_checked(void **state)
{
    fixture *f = *state;
    FILE *fp = fopen(f->path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)n);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    data[n - 3] ^= 0x01;
    char bad[80];
    snprintf(bad, sizeof bad, "%s.bad", f->path);
    fp = fopen(bad, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    free(data);
    vm_bundle *b = NULL;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_not_equal(vm_bundle_load_code(bad, IR_DMASK(IR_D_SQLITE), 0, &b, &d), 0);
    assert_null(b);
    assert_true(d.nerrors > 0);
    assert_string_equal(d.v[0].code, "bundle.checksum");
    jy_diags_free(&d);
    unlink(bad);
}

/* Read the whole file at path (*n bytes, malloc'd). */
static unsigned char *slurp(const char *path, long *n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    *n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *data = malloc((size_t)*n);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)*n, fp), (size_t)*n);
    fclose(fp);
    return data;
}

/* The long statements of an apply load stay in the file until used
 * (vm_bundle_str): read back equal to the whole load's; once the file is
 * rewritten in place so that one of them changes, that one reads as NULL
 * (missing), never as the new bytes, and the others still read. */
static void test_lazy_changed_in_place(void **state)
{
    fixture *f = *state;
    long n = 0;
    unsigned char *data = slurp(f->path, &n);
    char copy[80];
    snprintf(copy, sizeof copy, "%s.lazy", f->path);
    FILE *fp = fopen(copy, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    vm_bundle *b = NULL;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(vm_bundle_load_code(copy, IR_DMASK(IR_D_SQLITE), VM_KEEP_UP_CODE, &b, &d),
                     0);
    jy_diags_free(&d);
    /* two long operands still in the file */
    const vm_bundle *w = f->whole;
    uint32_t lazy[2], nl = 0;
    for (uint32_t x = 0; x < b->nstrings && nl < 2; x++)
        if (!b->strings[x] && w->strings[x] && strlen(w->strings[x]) >= 64 &&
            memmem(data, (size_t)n, w->strings[x], strlen(w->strings[x]) + 1)) {
            /* an operand of the upgrades: vm_bundle_str reads it */
            const char *s = vm_bundle_str(b, x);
            if (!s)
                continue; /* a dropped one (a downgrade's) */
            assert_string_equal(s, w->strings[x]);
            lazy[nl++] = x;
        }
    assert_int_equal(nl, 2);
    vm_bundle_free(b);
    jy_diags_init(&d);
    assert_int_equal(vm_bundle_load_code(copy, IR_DMASK(IR_D_SQLITE), VM_KEEP_UP_CODE, &b, &d),
                     0);
    jy_diags_free(&d);
    assert_null(b->strings[lazy[0]]);
    /* rewrite the file in place: one byte of the first statement */
    const char *s0 = w->strings[lazy[0]];
    unsigned char *at = memmem(data, (size_t)n, s0, strlen(s0) + 1);
    assert_non_null(at);
    fp = fopen(copy, "r+b");
    assert_non_null(fp);
    fseek(fp, (long)(at - data) + 3, SEEK_SET);
    fputc(at[3] ^ 0x01, fp);
    fclose(fp);
    assert_null(vm_bundle_str(b, lazy[0]));
    assert_string_equal(vm_bundle_str(b, lazy[1]), w->strings[lazy[1]]);
    vm_bundle_free(b);
    free(data);
    unlink(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_selection),
        cmocka_unit_test(test_dropped_still_checked),
        cmocka_unit_test(test_lazy_changed_in_place),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
