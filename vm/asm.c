/*
 * asm.c - the assembler: one ir_program and the be_programs emitted from it
 * for one or more dialects become one vm_bundle (vm.h), the in-memory form
 * of a .jyb file.  Every string the bundle holds is interned once in its
 * string table (bundle->strings); VM_OPND_STR operands index that table.
 *
 * Layout built here (docs/BUNDLE.md describes the file form):
 *   migs       every migration of p, sorted by id (p->migs is sorted)
 *   order[d]   indexes into migs in the be_program's order (apply order)
 *   up/down[d] one vm_step per be_step; a step's body is
 *              GUARD (when the step has a guard), then one EXEC per
 *              statement or one BACKFILL, then NOTE (when it has a note)
 *   code       all bodies, one array; steps point into it
 */
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "vm.h"

/* ------------------------------------------------------------ interning */

/* An open-addressing set of strings (content -> string table index).  The
 * strings live in the bundle's arena; the table and the list are malloc'd
 * scratch, freed by intern_free. */
typedef struct intern {
    jy_arena *a;
    const char **list; /* index -> string */
    uint32_t n, cap;
    uint32_t *slots;   /* index + 1, 0 = empty */
    size_t nslots;     /* power of two */
    bool failed;
} intern;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static bool intern_rehash(intern *t, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return false;
    for (uint32_t i = 0; i < t->n; i++) {
        size_t j = (size_t)hash_str(t->list[i]) & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    return true;
}

/* The index of s in the table (added when new; copied into the arena).
 * On failure t->failed is set and 0 is returned. */
static uint32_t intern_str(intern *t, const char *s)
{
    if (t->failed)
        return 0;
    if (!s)
        s = "";
    if ((size_t)(t->n + 1) * 2 > t->nslots &&
        !intern_rehash(t, t->nslots ? t->nslots * 2 : 256)) {
        t->failed = true;
        return 0;
    }
    size_t j = (size_t)hash_str(s) & (t->nslots - 1);
    while (t->slots[j]) {
        if (strcmp(t->list[t->slots[j] - 1], s) == 0)
            return t->slots[j] - 1;
        j = (j + 1) & (t->nslots - 1);
    }
    if (t->n == UINT32_MAX - 1) {
        t->failed = true;
        return 0;
    }
    if (t->n == t->cap) {
        uint32_t ncap = t->cap ? t->cap * 2 : 256;
        const char **nl = realloc(t->list, (size_t)ncap * sizeof *nl);
        if (!nl) {
            t->failed = true;
            return 0;
        }
        t->list = nl;
        t->cap = ncap;
    }
    char *copy = jy_arena_strdup(t->a, s);
    if (!copy) {
        t->failed = true;
        return 0;
    }
    t->list[t->n] = copy;
    t->slots[j] = t->n + 1;
    return t->n++;
}

static const char *intern_ptr(intern *t, const char *s)
{
    uint32_t i = intern_str(t, s);
    return t->failed ? "" : t->list[i];
}

static void intern_free(intern *t)
{
    free(t->list);
    free(t->slots);
}

/* ------------------------------------------------------------ the code */

typedef struct code {
    vm_insn *v;
    size_t n, cap;
    bool failed;
} code;

static void emit(code *c, uint8_t op, uint8_t flags, uint32_t a, uint32_t b, uint32_t cc)
{
    if (c->failed)
        return;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 1024;
        vm_insn *nv = realloc(c->v, ncap * sizeof *nv);
        if (!nv) {
            c->failed = true;
            return;
        }
        c->v = nv;
        c->cap = ncap;
    }
    c->v[c->n++] = (vm_insn){.op = op, .flags = flags, .aux = 0, .a = a, .b = b, .c = cc};
}

typedef struct asm_ctx {
    vm_bundle *b;
    intern strs;
    code code;
    jy_diags *d;
    /* per step: where its body starts in code (fixed up at the end) */
    vm_step **fix_step;
    size_t *fix_start;
    size_t nfix, capfix;
    bool failed;
} asm_ctx;

static void remember_step(asm_ctx *cx, vm_step *st, size_t start)
{
    if (cx->nfix == cx->capfix) {
        size_t ncap = cx->capfix ? cx->capfix * 2 : 256;
        vm_step **ns = realloc(cx->fix_step, ncap * sizeof *ns);
        if (!ns) {
            cx->failed = true;
            return;
        }
        cx->fix_step = ns;
        size_t *nst = realloc(cx->fix_start, ncap * sizeof *nst);
        if (!nst) {
            cx->failed = true;
            return;
        }
        cx->fix_start = nst;
        cx->capfix = ncap;
    }
    cx->fix_step[cx->nfix] = st;
    cx->fix_start[cx->nfix] = start;
    cx->nfix++;
}

/* The 1-based source line of op in m, 0 when unknown. */
static uint32_t op_line(const ir_migration *m, const ir_op *op)
{
    if (!m->src || !op || op->start > m->src->len)
        return 0;
    unsigned line = 0, col = 0;
    jy_source_linecol(m->src, op->start, &line, &col);
    return line;
}

/* Assemble one script (upgrade or downgrade of one migration for one
 * dialect) into *out.  0, or -1 with a diagnostic. */
static int asm_script(asm_ctx *cx, const ir_migration *m, const be_script *s, ir_dialect dia,
                      vm_script *out)
{
    out->present = true;
    out->synthesized = s->synthesized;
    out->irreversible = s->irreversible;
    out->reason = s->reason ? intern_ptr(&cx->strs, s->reason) : NULL;
    if (s->nsteps > UINT32_MAX) {
        jy_diag_where(cx->d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.too-large", m->id,
                      "migration %s has too many steps for a bundle", m->id);
        return -1;
    }
    out->nsteps = (uint32_t)s->nsteps;
    if (!s->nsteps)
        return 0;
    vm_step *steps = jy_arena_calloc(cx->b->arena, s->nsteps, sizeof *steps);
    if (!steps) {
        cx->failed = true;
        return 0;
    }
    out->steps = steps;
    for (size_t i = 0; i < s->nsteps; i++) {
        const be_step *bs = &s->steps[i];
        vm_step *st = &steps[i];
        char fp[80] = "";
        if (bs->op) {
            ir_op_fingerprint(bs->op, fp);
            st->op_kind = intern_ptr(&cx->strs, bs->op->info->name);
        } else {
            st->op_kind = intern_ptr(&cx->strs, "");
        }
        st->fingerprint = intern_ptr(&cx->strs, fp);
        st->summary = intern_ptr(&cx->strs, bs->summary ? bs->summary : "");
        st->line = op_line(m, bs->op);
        st->flags = (bs->no_transaction ? VM_STEP_NO_TX : 0u) |
                    (bs->destructive ? VM_STEP_DESTRUCTIVE : 0u) |
                    (bs->backfill ? VM_STEP_BACKFILL : 0u);
        size_t start = cx->code.n;
        if (bs->guard)
            emit(&cx->code, VM_OP_GUARD, 0, intern_str(&cx->strs, bs->guard), 0, 0);
        if (bs->backfill) {
            const be_backfill *bf = bs->backfill;
            if (bf->batch_size < 1 || bf->batch_size > (int64_t)UINT32_MAX) {
                char where[160];
                snprintf(where, sizeof where, "migration %s, step %zu", m->id, i + 1);
                jy_diag_where(cx->d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.batch-size", where,
                              "the backfill's batch_size %lld is out of range for a bundle "
                              "(%s, 1 to %u)",
                              (long long)bf->batch_size, ir_dialect_name(dia), UINT32_MAX);
                return -1;
            }
            emit(&cx->code, VM_OP_BACKFILL, 0, intern_str(&cx->strs, bf->bounds_sql),
                 intern_str(&cx->strs, bf->batch_sql), (uint32_t)bf->batch_size);
        }
        for (size_t k = 0; k < bs->nstmts; k++)
            emit(&cx->code, VM_OP_EXEC,
                 (bs->stmts[k].flags & BE_STMT_EXPECT_NO_ROWS) ? VM_F_EXPECT_NO_ROWS : 0,
                 intern_str(&cx->strs, bs->stmts[k].sql), 0, 0);
        if (bs->note)
            emit(&cx->code, VM_OP_NOTE, 0, intern_str(&cx->strs, bs->note), 0, 0);
        if (cx->code.n - start > UINT32_MAX) {
            cx->failed = true;
            return 0;
        }
        st->ncode = (uint32_t)(cx->code.n - start);
        remember_step(cx, st, start);
    }
    return 0;
}

/* The index of id among p's migrations (sorted by id), or -1. */
static long find_index(const ir_program *p, const char *id)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->migs[mid]->id, id);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* depends_on with "group:<name>" entries expanded (ir_depends_expand), the
 * ids interned. */
static int asm_depends(asm_ctx *cx, const ir_program *p, const ir_migration *m,
                       vm_migration *vm)
{
    size_t cap = ir_depends_bound(p, m);
    if (!cap)
        return 0;
    const char **v = jy_arena_calloc(cx->b->arena, cap, sizeof *v);
    if (!v) {
        cx->failed = true;
        return 0;
    }
    size_t n = ir_depends_expand(p, m, v);
    for (size_t k = 0; k < n; k++)
        v[k] = intern_ptr(&cx->strs, v[k]);
    vm->depends_on = v;
    vm->ndepends = (uint32_t)n;
    return 0;
}

static void asm_free_scratch(asm_ctx *cx)
{
    intern_free(&cx->strs);
    free(cx->code.v);
    free(cx->fix_step);
    free(cx->fix_start);
}

int vm_assemble(const ir_program *p, const struct be_program *const *bps, size_t nbps,
                vm_bundle **out, jy_diags *d)
{
    *out = NULL;
    if (p->n > UINT32_MAX / 2) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.too-large", NULL,
                      "%zu migrations are too many for one bundle", p->n);
        return -1;
    }
    jy_arena *a = jy_arena_new();
    if (!a)
        goto oom_noarena;
    vm_bundle *b = jy_arena_calloc(a, 1, sizeof *b);
    if (!b) {
        jy_arena_free(a);
        goto oom_noarena;
    }
    b->arena = a;
    asm_ctx cx = {.b = b, .d = d};
    cx.strs.a = a;

    /* the dialects */
    for (size_t i = 0; i < nbps; i++) {
        ir_dialect dia = bps[i]->dialect;
        if ((unsigned)dia >= IR_D__COUNT || (b->dialects & IR_DMASK(dia))) {
            jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.dialect", NULL,
                          "the programs given to the assembler repeat a dialect (%u)",
                          (unsigned)dia);
            goto fail;
        }
        b->dialects |= IR_DMASK(dia);
    }
    b->joryu_version = intern_ptr(&cx.strs, JORYU_VERSION);

    /* the migrations, sorted by id as p->migs is */
    vm_migration *migs = jy_arena_calloc(a, p->n ? p->n : 1, sizeof *migs);
    ir_effects **eff = NULL;
    if (!migs)
        goto oom;
    if (ir_effects_compute(p, a, &eff, d))
        goto fail;
    for (size_t i = 0; i < p->n; i++) {
        const ir_migration *m = p->migs[i];
        vm_migration *vm = &migs[i];
        vm->id = intern_ptr(&cx.strs, m->id);
        vm->file = intern_ptr(&cx.strs, m->file ? m->file : "");
        vm->checksum = intern_ptr(&cx.strs, m->checksum);
        vm->down_checksum = intern_ptr(&cx.strs, m->down_checksum);
        if (asm_depends(&cx, p, m, vm))
            goto fail;
        if (eff && eff[i]) {
            const char **es = NULL;
            size_t ne = ir_effects_strings(eff[i], a, &es);
            if (ne) {
                const char **v = jy_arena_calloc(a, ne, sizeof *v);
                if (!v)
                    goto oom;
                for (size_t k = 0; k < ne; k++)
                    v[k] = intern_ptr(&cx.strs, es[k]);
                vm->effects = v;
                vm->neffects = (uint32_t)ne;
            }
        }
        vm->tx_mode = m->tx_mode;
        vm->on_mismatch = m->on_mismatch;
        vm->dialects = m->dialects & b->dialects;
    }
    b->migs = migs;
    b->nmigs = (uint32_t)p->n;

    /* per dialect: the apply order and the scripts */
    for (size_t i = 0; i < nbps; i++) {
        const be_program *bp = bps[i];
        ir_dialect dia = bp->dialect;
        uint32_t *order = jy_arena_calloc(a, bp->n ? bp->n : 1, sizeof *order);
        if (!order)
            goto oom;
        for (size_t k = 0; k < bp->n; k++) {
            const be_migration *bm = &bp->migs[k];
            long idx = find_index(p, bm->m->id);
            if (idx < 0 || migs[idx].up[dia].present) {
                jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.program", bm->m->id,
                              "the %s program lists migration %s %s", ir_dialect_name(dia),
                              bm->m->id, idx < 0 ? "that the program does not have" : "twice");
                goto fail;
            }
            order[k] = (uint32_t)idx;
            if (asm_script(&cx, bm->m, &bm->up, dia, &migs[idx].up[dia]) ||
                asm_script(&cx, bm->m, &bm->down, dia, &migs[idx].down[dia]))
                goto fail;
        }
        b->order[dia] = order;
        b->norder[dia] = (uint32_t)bp->n;
    }
    if (cx.failed || cx.code.failed || cx.strs.failed)
        goto oom;

    /* the code, then the steps' pointers into it */
    vm_insn *codev = jy_arena_calloc(a, cx.code.n ? cx.code.n : 1, sizeof *codev);
    if (!codev)
        goto oom;
    if (cx.code.n)
        memcpy(codev, cx.code.v, cx.code.n * sizeof *codev);
    for (size_t k = 0; k < cx.nfix; k++)
        cx.fix_step[k]->code = codev + cx.fix_start[k];

    /* the string table */
    const char **strs = jy_arena_calloc(a, cx.strs.n ? cx.strs.n : 1, sizeof *strs);
    if (!strs)
        goto oom;
    if (cx.strs.n)
        memcpy(strs, cx.strs.list, cx.strs.n * sizeof *strs);
    b->strings = strs;
    b->nstrings = cx.strs.n;
    if (jy_arena_failed(a))
        goto oom;
    asm_free_scratch(&cx);
    *out = b;
    return 0;

oom:
    jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.out-of-memory", NULL,
                  "out of memory while assembling the bundle");
fail:
    asm_free_scratch(&cx);
    jy_arena_free(a);
    return -1;
oom_noarena:
    jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "bundle.out-of-memory", NULL,
                  "out of memory while assembling the bundle");
    return -1;
}
