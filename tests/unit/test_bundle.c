/*
 * test_bundle.c - the assembler (vm_assemble) over tests/valid-history for
 * every dialect: migrations sorted by id with their checksums and resolved
 * depends_on, the apply order of each dialect, one vm_step per be_step
 * with op kind, fingerprint, summary, source line, flags, and a body of
 * GUARD / EXEC / BACKFILL / NOTE that carries the backend's SQL through the
 * string table.  The writer and loader: serialize, load, every field equal;
 * the file written whole (temp + rename).  The loader's refusals: wrong
 * magic and version, a flipped bit anywhere, every truncation, and crafted
 * bundles whose hash is right but whose tables are wrong (the offsets below
 * are docs/BUNDLE.md's).  The disassembler shows the SQL.
 */
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
    assert_true(nbackfill > 0 && nexec > 0 && nguard > 0);
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


/* ------------------------------------------------- write, load, compare */

static void compare_scripts(const vm_script *x, const vm_script *y)
{
    assert_int_equal(x->present, y->present);
    assert_int_equal(x->synthesized, y->synthesized);
    assert_int_equal(x->irreversible, y->irreversible);
    if (x->reason || y->reason)
        assert_string_equal(x->reason, y->reason);
    assert_int_equal(x->nsteps, y->nsteps);
    for (uint32_t i = 0; i < x->nsteps; i++) {
        const vm_step *s = &x->steps[i], *t = &y->steps[i];
        assert_string_equal(s->op_kind, t->op_kind);
        assert_string_equal(s->fingerprint, t->fingerprint);
        assert_string_equal(s->summary, t->summary);
        assert_int_equal(s->line, t->line);
        assert_int_equal(s->flags, t->flags);
        assert_int_equal(s->ncode, t->ncode);
        for (uint32_t k = 0; k < s->ncode; k++) {
            assert_int_equal(s->code[k].op, t->code[k].op);
            assert_int_equal(s->code[k].flags, t->code[k].flags);
            assert_int_equal(s->code[k].aux, t->code[k].aux);
            assert_int_equal(s->code[k].a, t->code[k].a);
            assert_int_equal(s->code[k].b, t->code[k].b);
            assert_int_equal(s->code[k].c, t->code[k].c);
        }
    }
}

/* Every field of two bundles (x assembled, y loaded). */
static void compare_bundles(const vm_bundle *x, const vm_bundle *y)
{
    assert_int_equal(x->flags, y->flags);
    assert_int_equal(x->dialects, y->dialects);
    assert_string_equal(x->joryu_version, y->joryu_version);
    assert_int_equal(x->nstrings, y->nstrings);
    for (uint32_t i = 0; i < x->nstrings; i++)
        assert_string_equal(x->strings[i], y->strings[i]);
    assert_int_equal(x->nmigs, y->nmigs);
    for (uint32_t i = 0; i < x->nmigs; i++) {
        const vm_migration *m = &x->migs[i], *n = &y->migs[i];
        assert_string_equal(m->id, n->id);
        assert_string_equal(m->file, n->file);
        assert_string_equal(m->checksum, n->checksum);
        assert_string_equal(m->down_checksum, n->down_checksum);
        assert_int_equal(m->ndepends, n->ndepends);
        for (uint32_t k = 0; k < m->ndepends; k++)
            assert_string_equal(m->depends_on[k], n->depends_on[k]);
        assert_int_equal(m->neffects, n->neffects);
        for (uint32_t k = 0; k < m->neffects; k++)
            assert_string_equal(m->effects[k], n->effects[k]);
        assert_int_equal(m->tx_mode, n->tx_mode);
        assert_int_equal(m->on_mismatch, n->on_mismatch);
        assert_int_equal(m->dialects, n->dialects);
        for (int d = 0; d < IR_D__COUNT; d++) {
            compare_scripts(&m->up[d], &n->up[d]);
            compare_scripts(&m->down[d], &n->down[d]);
        }
    }
    for (int d = 0; d < IR_D__COUNT; d++) {
        assert_int_equal(x->norder[d], y->norder[d]);
        for (uint32_t k = 0; k < x->norder[d]; k++)
            assert_int_equal(x->order[d][k], y->order[d][k]);
    }
}

static unsigned char *serialize(const vm_bundle *b, size_t *len)
{
    unsigned char *data = NULL;
    jy_diags d;
    jy_diags_init(&d);
    int rc = vm_bundle_serialize(b, &data, len, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    assert_int_equal(rc, 0);
    jy_diags_free(&d);
    return data;
}

static void test_roundtrip_history(void **state)
{
    fixture *f = *state;
    size_t len = 0;
    unsigned char *data = serialize(f->b, &len);
    assert_memory_equal(data, VM_MAGIC, 8);
    vm_bundle *y = NULL;
    jy_diags d;
    jy_diags_init(&d);
    int rc = vm_bundle_load_memory(data, len, &y, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    assert_int_equal(rc, 0);
    compare_bundles(f->b, y);
    assert_int_equal(strlen(y->body_sha256), 64);
    /* deterministic: the loaded bundle writes the same bytes */
    size_t len2 = 0;
    unsigned char *data2 = serialize(y, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(data, data2, len);
    free(data2);

    /* through a file: written whole, no temporary left behind */
    char dir[] = "/tmp/joryu_bundle_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/h.jyb", dir);
    assert_int_equal(vm_bundle_write(f->b, path, &d), 0);
    vm_bundle *z = NULL;
    assert_int_equal(vm_bundle_load(path, &z, &d), 0);
    compare_bundles(f->b, z);
    assert_string_equal(z->body_sha256, y->body_sha256);
    vm_bundle_free(z);
    z = NULL;
    FILE *fp = popen("ls -a /tmp/joryu_bundle_* 2>/dev/null | grep -c tmp", "r");
    assert_non_null(fp);
    int leftovers = -1;
    assert_int_equal(fscanf(fp, "%d", &leftovers), 1);
    pclose(fp);
    assert_int_equal(leftovers, 0);
    /* a write that cannot happen leaves nothing (the folder is missing) */
    char bad[600];
    snprintf(bad, sizeof bad, "%s/missing/x.jyb", dir);
    assert_int_equal(vm_bundle_write(f->b, bad, &d), -1);
    assert_string_equal(d.v[d.n - 1].code, "io.write");
    unlink(path);
    rmdir(dir);
    /* a missing file */
    assert_int_equal(vm_bundle_load(path, &z, &d), -1);
    assert_null(z);
    assert_string_equal(d.v[d.n - 1].code, "io.open");
    vm_bundle_free(y);
    jy_diags_free(&d);
    free(data);
}

/* ------------------------------------------------------ small bundle */

/* Two migrations (one a backfill, one with a group dependency) compiled
 * for PostgreSQL and SQLite. */
static const char *const small_files[][2] = {
    {"20260101T000001_users",
     "import joryu\nfrom joryu import op, types as t\n\n\n"
     "@joryu.migration(id=\"20260101T000001_users\", group=\"base\")\n"
     "def upgrade():\n"
     "    op.create_table(\"users\", op.column(\"id\", t.BigInt, primary_key=True),\n"
     "                    op.column(\"n\", t.Int))\n"
     "    op.create_index(\"ix_users_n\", \"users\", [\"n\"])\n"},
    {"20260101T000002_fill",
     "import joryu\nfrom joryu import op, types as t\n\n\n"
     "@joryu.migration(id=\"20260101T000002_fill\", depends_on=[\"group:base\"])\n"
     "def upgrade():\n"
     "    op.backfill(\"users\", set={\"n\": \"0\"}, where=\"n IS NULL\", key=\"id\",\n"
     "                batch_size=100)\n"},
};

typedef struct small {
    ir_program *p;
    be_program *bp[2];
    vm_bundle *b;
    unsigned char *data;
    size_t len;
} small;

static int setup_small(void **state)
{
    small *s = calloc(1, sizeof *s);
    assert_non_null(s);
    char dir[] = "/tmp/joryu_bundle_small_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    for (size_t i = 0; i < JY_COUNTOF(small_files); i++) {
        snprintf(path, sizeof path, "%s/%s.py", dir, small_files[i][0]);
        FILE *fp = fopen(path, "w");
        assert_non_null(fp);
        fputs(small_files[i][1], fp);
        fclose(fp);
    }
    s->p = compile_dir(dir);
    for (size_t i = 0; i < JY_COUNTOF(small_files); i++) {
        snprintf(path, sizeof path, "%s/%s.py", dir, small_files[i][0]);
        unlink(path);
    }
    rmdir(dir);
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(be_emit_program(s->p, IR_D_POSTGRESQL, &s->bp[0], &d), 0);
    assert_int_equal(be_emit_program(s->p, IR_D_SQLITE, &s->bp[1], &d), 0);
    const be_program *bps[] = {s->bp[0], s->bp[1]};
    assert_int_equal(vm_assemble(s->p, bps, 2, &s->b, &d), 0);
    jy_diags_free(&d);
    s->data = serialize(s->b, &s->len);
    *state = s;
    return 0;
}

static int teardown_small(void **state)
{
    small *s = *state;
    free(s->data);
    vm_bundle_free(s->b);
    be_program_free(s->bp[0]);
    be_program_free(s->bp[1]);
    ir_program_free(s->p);
    free(s);
    return 0;
}

/* Load data and expect a refusal with this code whose message contains
 * `want` (when not NULL). */
static void expect_refusal(const unsigned char *data, size_t len, const char *code,
                           const char *want)
{
    vm_bundle *b = (vm_bundle *)1;
    jy_diags d;
    jy_diags_init(&d);
    int rc = vm_bundle_load_memory(data, len, &b, &d);
    if (rc == 0)
        fail_msg("a damaged bundle (%zu bytes) was accepted; expected %s", len,
                 code ? code : "a refusal");
    assert_null(b);
    assert_int_equal(d.nerrors, 1);
    assert_int_equal(d.exit_code, JY_EXIT_ERROR);
    assert_true(strncmp(d.v[0].code, "bundle.", 7) == 0);
    if (code && strcmp(d.v[0].code, code) != 0)
        fail_msg("expected %s, got %s: %s", code, d.v[0].code, d.v[0].message);
    if (want && !strstr(d.v[0].message, want))
        fail_msg("the message '%s' does not say '%s'", d.v[0].message, want);
    jy_diags_free(&d);
}

static void test_small_roundtrip(void **state)
{
    small *s = *state;
    vm_bundle *y = NULL;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(vm_bundle_load_memory(s->data, s->len, &y, &d), 0);
    compare_bundles(s->b, y);
    assert_int_equal(y->dialects, IR_DMASK(IR_D_POSTGRESQL) | IR_DMASK(IR_D_SQLITE));
    /* group:base resolved */
    const vm_migration *m = vm_bundle_find(y, "20260101T000002_fill");
    assert_non_null(m);
    assert_int_equal(m->ndepends, 1);
    assert_string_equal(m->depends_on[0], "20260101T000001_users");
    assert_true(m->up[IR_D_SQLITE].steps[0].flags & VM_STEP_BACKFILL);
    assert_int_equal(m->up[IR_D_SQLITE].steps[0].code[0].op, VM_OP_BACKFILL);
    assert_int_equal(m->up[IR_D_SQLITE].steps[0].code[0].c, 100);
    assert_true(m->down[IR_D_SQLITE].irreversible);
    vm_bundle_free(y);
    jy_diags_free(&d);
}

static void test_refuse_magic_version(void **state)
{
    small *s = *state;
    unsigned char *c = malloc(s->len);
    memcpy(c, s->data, s->len);
    c[0] = 'X';
    expect_refusal(c, s->len, "bundle.magic", "not a joryu bundle");
    memcpy(c, s->data, s->len);
    c[8] = 2; /* version 2 */
    expect_refusal(c, s->len, "bundle.version", "version 2");
    c[8] = 0;
    expect_refusal(c, s->len, "bundle.version", "version 0");
    expect_refusal((const unsigned char *)"hello world, not a bundle", 25, "bundle.magic", NULL);
    expect_refusal((const unsigned char *)"", 0, "bundle.truncated", "empty");
    free(c);
}

/* Any one flipped bit, anywhere, is refused (the hash covers what the
 * prelude's field checks do not). */
static void test_refuse_every_flip(void **state)
{
    small *s = *state;
    unsigned char *c = malloc(s->len);
    for (size_t i = 0; i < s->len; i++)
        for (int bit = 0; bit < 8; bit += 3) {
            memcpy(c, s->data, s->len);
            c[i] ^= (unsigned char)(1u << bit);
            expect_refusal(c, s->len, NULL, NULL);
        }
    /* a flipped body byte is a checksum error */
    memcpy(c, s->data, s->len);
    c[s->len - 1] ^= 0x40;
    expect_refusal(c, s->len, "bundle.checksum", "damaged");
    free(c);
}

static void test_refuse_every_truncation(void **state)
{
    small *s = *state;
    for (size_t n = 0; n < s->len; n++) {
        unsigned char *c = malloc(n ? n : 1);
        memcpy(c, s->data, n);
        expect_refusal(c, n, n >= 8 || n == 0 ? "bundle.truncated" : NULL, NULL);
        free(c);
    }
    /* the message says how long the file is and what the header says */
    char want[128];
    snprintf(want, sizeof want, "the file is %zu bytes, the header says %zu", s->len - 1,
             s->len);
    expect_refusal(s->data, s->len - 1, "bundle.truncated", want);
    /* and extra bytes */
    unsigned char *c = calloc(1, s->len + 3);
    memcpy(c, s->data, s->len);
    expect_refusal(c, s->len + 3, "bundle.trailing", "3 bytes follow");
    free(c);
}

/* ---- crafted bundles: the hash is right, a table is wrong ---- */

/* docs/BUNDLE.md: header fields and record sizes. */
enum {
    T_HDR = 128, T_STR = 8, T_MIG = 68, T_SCRIPT = 16, T_STEP = 28, T_REF = 4, T_ORD = 4,
    T_INSN = 16
};

static uint32_t g32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void p32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

typedef struct sect {
    size_t strings, migs, scripts, steps, refs, order, code, strdata;
    uint32_t nstrings, nstrdata, nmigs, nscripts, nsteps, nrefs, norder, ncode;
} sect;

static sect sections(const unsigned char *c)
{
    sect s;
    s.nstrings = g32(c + 76);
    s.nstrdata = g32(c + 80);
    s.nmigs = g32(c + 84);
    s.nscripts = g32(c + 88);
    s.nsteps = g32(c + 92);
    s.nrefs = g32(c + 96);
    s.norder = g32(c + 100) + g32(c + 104) + g32(c + 108) + g32(c + 112);
    s.ncode = g32(c + 116);
    s.strings = T_HDR;
    s.migs = s.strings + (size_t)s.nstrings * T_STR;
    s.scripts = s.migs + (size_t)s.nmigs * T_MIG;
    s.steps = s.scripts + (size_t)s.nscripts * T_SCRIPT;
    s.refs = s.steps + (size_t)s.nsteps * T_STEP;
    s.order = s.refs + (size_t)s.nrefs * T_REF;
    s.code = s.order + (size_t)s.norder * T_ORD;
    s.strdata = s.code + (size_t)s.ncode * T_INSN;
    return s;
}

/* Recompute the SHA-256 (bytes 64..end) into bytes 32..63. */
static void rehash(unsigned char *c, size_t len)
{
    char hex[65];
    jy_sha256_hex(c + 64, len - 64, hex);
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(hex + 2 * i, "%2x", &v);
        c[32 + i] = (unsigned char)v;
    }
}

typedef void (*crafter)(unsigned char *c, const sect *s);

static void craft(const small *sm, crafter fn, const char *code, const char *want)
{
    unsigned char *c = malloc(sm->len);
    memcpy(c, sm->data, sm->len);
    sect s = sections(c);
    fn(c, &s);
    rehash(c, sm->len);
    expect_refusal(c, sm->len, code, want);
    free(c);
}

static void c_mig_id_index(unsigned char *c, const sect *s)
{
    p32(c + s->migs + 0, s->nstrings); /* migration 0's id */
}
static void c_step_summary_index(unsigned char *c, const sect *s)
{
    p32(c + s->steps + 8, 0xFFFFFFF0u);
}
static void c_string_offset(unsigned char *c, const sect *s)
{
    p32(c + s->strings + 0, s->nstrdata); /* string 0 starts past the data */
}
static void c_string_length(unsigned char *c, const sect *s)
{
    p32(c + s->strings + 4, 0xFFFFFFFFu);
}
static void c_string_gap(unsigned char *c, const sect *s)
{
    /* string 1 starts one byte late (a gap after string 0) */
    p32(c + s->strings + T_STR, g32(c + s->strings + T_STR) + 1);
}
static void c_string_overlap(unsigned char *c, const sect *s)
{
    /* string 2 shares string 1's bytes */
    p32(c + s->strings + 2 * T_STR, g32(c + s->strings + T_STR));
}
static void c_string_unterminated(unsigned char *c, const sect *s)
{
    /* string 0's length one short: its last byte is not a NUL */
    uint32_t n = g32(c + s->strings + 4);
    if (n)
        p32(c + s->strings + 4, n - 1);
    else
        c[s->strdata + g32(c + s->strings)] = 'x';
}
static void c_string_utf8(unsigned char *c, const sect *s)
{
    uint32_t off = g32(c + s->strings + 8), n = g32(c + s->strings + 12);
    assert_true(n > 0);
    c[s->strdata + off] = 0xC0; /* an overlong lead byte */
}
static void c_count(unsigned char *c, const sect *s)
{
    p32(c + 84, s->nmigs + 1); /* one migration more than the sections hold */
}
static void c_count_huge(unsigned char *c, const sect *s)
{
    (void)s;
    p32(c + 116, 0xFFFFFFFFu); /* instructions */
}
static void c_opcode(unsigned char *c, const sect *s)
{
    c[s->code] = 200;
}
static void c_opcode_count(unsigned char *c, const sect *s)
{
    c[s->code] = VM_OP__COUNT;
}
static void c_operand_none(unsigned char *c, const sect *s)
{
    /* find an EXEC and give it a b operand */
    for (uint32_t i = 0; i < s->ncode; i++)
        if (c[s->code + i * T_INSN] == VM_OP_EXEC) {
            p32(c + s->code + i * T_INSN + 8, 7);
            return;
        }
    fail();
}
static void c_operand_str(unsigned char *c, const sect *s)
{
    p32(c + s->code + 4, s->nstrings + 5);
}
static void c_operand_flags(unsigned char *c, const sect *s)
{
    c[s->code + 1] = 0x80;
}
static void c_backfill_zero(unsigned char *c, const sect *s)
{
    for (uint32_t i = 0; i < s->ncode; i++)
        if (c[s->code + i * T_INSN] == VM_OP_BACKFILL) {
            p32(c + s->code + i * T_INSN + 12, 0);
            return;
        }
    fail();
}
static void c_step_range(unsigned char *c, const sect *s)
{
    p32(c + s->steps + 20, s->ncode); /* step 0's code starts past the end */
}
static void c_step_range_wrap(unsigned char *c, const sect *s)
{
    p32(c + s->steps + 24, 0xFFFFFFFFu);
}
static void c_script_range(unsigned char *c, const sect *s)
{
    p32(c + s->scripts + 8, s->nsteps);
    p32(c + s->scripts + 12, 1);
}
static void c_script_index(unsigned char *c, const sect *s)
{
    p32(c + s->migs + 36, s->nscripts); /* migration 0, up, postgresql */
}
static void c_order_dup(unsigned char *c, const sect *s)
{
    uint32_t a = g32(c + s->order);
    p32(c + s->order + 4, a);
}
static void c_order_range(unsigned char *c, const sect *s)
{
    p32(c + s->order, s->nmigs);
}
static void c_order_deps(unsigned char *c, const sect *s)
{
    /* swap the two postgresql entries: fill runs before what it depends on */
    uint32_t a = g32(c + s->order), b = g32(c + s->order + 4);
    p32(c + s->order, b);
    p32(c + s->order + 4, a);
}
static void c_mig_unsorted(unsigned char *c, const sect *s)
{
    /* swap the ids of the two migrations */
    uint32_t a = g32(c + s->migs), b = g32(c + s->migs + T_MIG);
    p32(c + s->migs, b);
    p32(c + s->migs + T_MIG, a);
}
static void c_mig_txmode(unsigned char *c, const sect *s)
{
    c[s->migs + 32] = 9;
}
static void c_refs_range(unsigned char *c, const sect *s)
{
    p32(c + s->migs + T_MIG + 20, s->nrefs + 1); /* migration 1's depends count */
}
static void c_ref_index(unsigned char *c, const sect *s)
{
    /* a reference holds a string index too, whether a migration covers it
     * or not (found by fuzz_bundle) */
    assert_true(s->nrefs > 0);
    p32(c + s->refs + (size_t)(s->nrefs - 1) * T_REF, 0xFFFFFF00u);
}
static void c_header_flags(unsigned char *c, const sect *s)
{
    (void)s;
    p32(c + 64, 0x10);
}
static void c_header_dialects(unsigned char *c, const sect *s)
{
    (void)s;
    p32(c + 68, 0x3F);
}
static void c_version_string(unsigned char *c, const sect *s)
{
    p32(c + 72, s->nstrings);
}

static void test_refuse_crafted(void **state)
{
    small *sm = *state;
    craft(sm, c_mig_id_index, "bundle.string-index", "migration record 0's id");
    craft(sm, c_step_summary_index, "bundle.string-index", "summary");
    craft(sm, c_version_string, "bundle.string-index", "version");
    craft(sm, c_string_offset, "bundle.string", "must start at byte 0");
    craft(sm, c_string_length, "bundle.string", "is not where the format puts it");
    craft(sm, c_string_gap, "bundle.string", "must start at byte");
    craft(sm, c_string_overlap, "bundle.string", "must start at byte");
    craft(sm, c_string_unterminated, "bundle.string", "NUL-terminated");
    craft(sm, c_string_utf8, "bundle.string", "UTF-8");
    craft(sm, c_count, "bundle.sections", "3 migrations");
    craft(sm, c_count, "bundle.sections", NULL);
    craft(sm, c_count_huge, "bundle.sections", NULL);
    craft(sm, c_opcode, "bundle.opcode", "opcode 200");
    craft(sm, c_opcode_count, "bundle.opcode", NULL);
    craft(sm, c_operand_none, "bundle.operand", "operand b = 7");
    craft(sm, c_operand_str, "bundle.operand", "names string");
    craft(sm, c_operand_flags, "bundle.operand", "flags");
    craft(sm, c_backfill_zero, "bundle.operand", "batch size 0");
    craft(sm, c_step_range, "bundle.step", "runs past");
    craft(sm, c_step_range_wrap, "bundle.step", "runs past");
    craft(sm, c_script_range, "bundle.script", "run past");
    craft(sm, c_script_index, "bundle.migration", "script index");
    craft(sm, c_order_dup, "bundle.order", "twice");
    craft(sm, c_order_range, "bundle.order", "there are 2 migrations");
    craft(sm, c_order_deps, "bundle.order", "depends on");
    craft(sm, c_mig_unsorted, "bundle.migration", "sorted by id");
    craft(sm, c_mig_txmode, "bundle.migration", "transaction mode");
    craft(sm, c_refs_range, "bundle.migration", "references");
    craft(sm, c_ref_index, "bundle.string-index", "reference");
    craft(sm, c_header_flags, "bundle.header", "flags");
    craft(sm, c_header_dialects, "bundle.header", "dialect");
}

/* File-level errors name the file. */
static void test_load_file_errors(void **state)
{
    small *sm = *state;
    char path[] = "/tmp/joryu_bundle_cut_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, sm->data, 100), 100);
    close(fd);
    vm_bundle *b = NULL;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(vm_bundle_load(path, &b, &d), -1);
    assert_string_equal(d.v[0].code, "bundle.truncated");
    assert_string_equal(d.v[0].where, path);
    assert_non_null(strstr(d.v[0].message, "the file is 100 bytes, shorter than the 128-byte"));
    assert_non_null(strstr(d.v[0].message, "joryuc build"));
    unlink(path);
    assert_int_equal(vm_bundle_load("/nonexistent/x.jyb", &b, &d), -1);
    assert_string_equal(d.v[1].code, "io.open");
    assert_int_equal(vm_bundle_load("/tmp", &b, &d), -1);
    assert_string_equal(d.v[2].code, "io.not-regular");
    jy_diags_free(&d);
}

/* vm_bundle_load_dialects keeps only the code of the dialects asked for;
 * the rest of the bundle is the same as a full load. */
static void test_load_one_dialect(void **state)
{
    small *sm = *state;
    char path[] = "/tmp/joryu_bundle_dl_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, sm->data, sm->len), (ssize_t)sm->len);
    close(fd);
    jy_diags d;
    jy_diags_init(&d);
    vm_bundle *all = NULL, *lite = NULL, *none = NULL;
    assert_int_equal(vm_bundle_load(path, &all, &d), 0);
    assert_int_equal(vm_bundle_load_dialects(path, IR_DMASK(IR_D_SQLITE), &lite, &d), 0);
    assert_int_equal(vm_bundle_load_dialects(path, IR_DMASK(IR_D_MYSQL), &none, &d), 0);
    assert_int_equal(d.n, 0);
    compare_bundles(sm->b, all);
    assert_int_equal(lite->dialects, IR_DMASK(IR_D_SQLITE));
    assert_int_equal(none->dialects, 0);
    assert_int_equal(lite->norder[IR_D_POSTGRESQL], 0);
    assert_int_equal(lite->norder[IR_D_SQLITE], all->norder[IR_D_SQLITE]);
    assert_int_equal(lite->nmigs, all->nmigs);
    size_t kept = 0, dropped = 0;
    for (uint32_t i = 0; i < lite->nstrings; i++)
        lite->strings[i] ? kept++ : dropped++;
    assert_true(kept > 0 && dropped > 0);
    for (uint32_t i = 0; i < all->nmigs; i++) {
        const vm_migration *m = &all->migs[i], *n = &lite->migs[i];
        assert_string_equal(m->id, n->id);
        assert_string_equal(m->checksum, n->checksum);
        assert_int_equal(m->ndepends, n->ndepends);
        assert_int_equal(n->dialects, IR_DMASK(IR_D_SQLITE));
        assert_false(n->up[IR_D_POSTGRESQL].present);
        assert_false(n->down[IR_D_POSTGRESQL].present);
        compare_scripts(&m->up[IR_D_SQLITE], &n->up[IR_D_SQLITE]);
        compare_scripts(&m->down[IR_D_SQLITE], &n->down[IR_D_SQLITE]);
        /* every string the SQLite code names is there */
        for (uint32_t k = 0; k < n->up[IR_D_SQLITE].nsteps; k++) {
            const vm_step *st = &n->up[IR_D_SQLITE].steps[k];
            for (uint32_t j = 0; j < st->ncode; j++)
                assert_non_null(lite->strings[st->code[j].a]);
        }
    }
    char *t = vm_disassemble(lite);
    assert_non_null(t);
    assert_non_null(strstr(t, "; dialects: sqlite\n"));
    assert_null(strstr(t, "== postgresql"));
    free(t);
    /* damage is refused whatever is kept */
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, (long)sm->len - 3, SEEK_SET);
    fputc('~', f);
    fclose(f);
    vm_bundle *bad = NULL;
    assert_int_equal(vm_bundle_load_dialects(path, IR_DMASK(IR_D_SQLITE), &bad, &d), -1);
    assert_null(bad);
    assert_string_equal(d.v[0].code, "bundle.checksum");
    unlink(path);
    vm_bundle_free(all);
    vm_bundle_free(lite);
    vm_bundle_free(none);
    jy_diags_free(&d);
}

static void test_disassemble(void **state)
{
    small *sm = *state;
    char *t = vm_disassemble(sm->b);
    assert_non_null(t);
    assert_non_null(strstr(t, "; joryu bundle, format 1"));
    assert_non_null(strstr(t, "; dialects: postgresql sqlite"));
    assert_non_null(strstr(t, "== postgresql: 2 migrations in apply order"));
    assert_non_null(strstr(t, "== sqlite: 2 migrations in apply order"));
    assert_non_null(strstr(t, "step 1  create_table"));
    assert_non_null(strstr(t, "CREATE TABLE"));
    assert_non_null(strstr(t, "BACKFILL"));
    assert_non_null(strstr(t, "@"));
    assert_non_null(strstr(t, "depends_on     20260101T000001_users"));
    /* each instruction line carries its SQL */
    const vm_migration *m = vm_bundle_find(sm->b, "20260101T000001_users");
    const vm_step *st = &m->up[IR_D_SQLITE].steps[1];
    const vm_insn *in = NULL;
    for (uint32_t k = 0; k < st->ncode && !in; k++)
        if (st->code[k].op == VM_OP_EXEC)
            in = &st->code[k];
    assert_non_null(in);
    if (getenv("JORYU_TEST_VERBOSE"))
        fputs(t, stdout);
    char line[512];
    snprintf(line, sizeof line, "EXEC      @%-19u %s", in->a, sm->b->strings[in->a]);
    assert_non_null(strstr(t, line));
    free(t);
}


/* ------------------------------------------------ the opcode table doc */

#define BUNDLE_DOC JORYU_SRC "/docs/BUNDLE.md"
#define OPS_BEGIN "<!-- BEGIN GENERATED: opcodes -->\n"
#define OPS_END "<!-- END GENERATED: opcodes -->"

static const char *kind_word(vm_operand_kind k)
{
    return k == VM_OPND_STR ? "str" : k == VM_OPND_U32 ? "u32" : "\xE2\x80\x94"; /* — */
}

/* The opcode table of docs/BUNDLE.md, from opcodes.def (malloc'd). */
static char *opcode_markdown(void)
{
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_puts(&b, "| code | opcode | a | b | c | what it does |\n|---|---|---|---|---|---|\n");
    for (unsigned i = 0; vm_opcode_get(i); i++) {
        const vm_opcode_info *oi = vm_opcode_get(i);
        jy_buf_printf(&b, "| %u | `%s` | %s | %s | %s | %s |\n", i, oi->name, kind_word(oi->a),
                      kind_word(oi->b), kind_word(oi->c), oi->doc);
    }
    assert_false(b.failed);
    return jy_buf_take(&b);
}

static char *slurp_file(const char *path, size_t *len)
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
    *len = b.len - 1;
    return jy_buf_take(&b);
}

/* docs/BUNDLE.md's opcode table is the one opcodes.def gives, byte for
 * byte.  JORYU_UPDATE_DOCS=1 rewrites the section (then fails once so the
 * change is seen). */
static void test_opcode_doc(void **state)
{
    (void)state;
    size_t len = 0;
    char *doc = slurp_file(BUNDLE_DOC, &len);
    assert_non_null(doc);
    char *b = strstr(doc, OPS_BEGIN);
    char *e = b ? strstr(b, OPS_END) : NULL;
    if (!b || !e)
        fail_msg("docs/BUNDLE.md lacks the markers %s ... %s", OPS_BEGIN, OPS_END);
    b += strlen(OPS_BEGIN);
    char *want = opcode_markdown();
    size_t have_n = (size_t)(e - b);
    bool same = have_n == strlen(want) && memcmp(b, want, have_n) == 0;
    const char *u = getenv("JORYU_UPDATE_DOCS");
    if (!same && u && *u && strcmp(u, "0") != 0) {
        FILE *f = fopen(BUNDLE_DOC, "wb");
        assert_non_null(f);
        fwrite(doc, 1, (size_t)(b - doc), f);
        fputs(want, f);
        fputs(e, f);
        assert_int_equal(fclose(f), 0);
        free(want);
        free(doc);
        fail_msg("docs/BUNDLE.md: opcode table rewritten from opcodes.def; run again");
    }
    if (!same)
        fail_msg("docs/BUNDLE.md's opcode table differs from vm/opcodes.def; regenerate with "
                 "JORYU_UPDATE_DOCS=1 build/tests/test_bundle");
    /* every opcode of the enum is in the table, and nothing past it */
    assert_null(vm_opcode_get(VM_OP__COUNT));
    for (unsigned i = 0; i < VM_OP__COUNT; i++) {
        char cell[64];
        snprintf(cell, sizeof cell, "| %u | `%s` |", i, vm_opcode_get(i)->name);
        assert_non_null(strstr(want, cell));
    }
    free(want);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest history[] = {
        cmocka_unit_test(test_assemble_history),
        cmocka_unit_test(test_assemble_one_dialect),
        cmocka_unit_test(test_roundtrip_history),
    };
    const struct CMUnitTest small_tests[] = {
        cmocka_unit_test(test_small_roundtrip),
        cmocka_unit_test(test_refuse_magic_version),
        cmocka_unit_test(test_refuse_every_flip),
        cmocka_unit_test(test_refuse_every_truncation),
        cmocka_unit_test(test_refuse_crafted),
        cmocka_unit_test(test_load_file_errors),
        cmocka_unit_test(test_load_one_dialect),
        cmocka_unit_test(test_disassemble),
    };
    const struct CMUnitTest docs[] = {
        cmocka_unit_test(test_opcode_doc),
    };
    int rc = cmocka_run_group_tests_name("history", history, setup_history, teardown_history);
    rc |= cmocka_run_group_tests_name("docs", docs, NULL, NULL);
    rc |= cmocka_run_group_tests_name("small", small_tests, setup_small, teardown_small);
    return rc;
}
