/*
 * ir_build.h - build IR by hand for the ir/ unit tests (test_ir_*.c), so
 * they do not depend on the parser and sema.  Everything is allocated in
 * the program's arena; every helper asserts its allocation.
 */
#ifndef JORYU_TEST_IR_BUILD_H
#define JORYU_TEST_IR_BUILD_H

#include "ir.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static inline void *tb_must(void *p)
{
    if (!p) {
        fprintf(stderr, "ir_build: out of memory\n");
        abort();
    }
    return p;
}

static inline ir_value *tb_val(jy_arena *a, ir_vkind k)
{
    ir_value *v = tb_must(jy_arena_alloc(a, sizeof *v));
    v->kind = k;
    return v;
}

static inline ir_value *v_str(jy_arena *a, const char *s)
{
    ir_value *v = tb_val(a, IR_V_STR);
    v->u.str.s = tb_must(jy_arena_strdup(a, s));
    v->u.str.len = strlen(s);
    return v;
}

/* A string with a source range (for span tests). */
static inline ir_value *v_str_at(jy_arena *a, const char *s, uint32_t start, uint32_t end)
{
    ir_value *v = v_str(a, s);
    v->start = start;
    v->end = end;
    return v;
}

static inline ir_value *v_int(jy_arena *a, int64_t i)
{
    ir_value *v = tb_val(a, IR_V_INT);
    v->u.i = i;
    return v;
}

static inline ir_value *v_float(jy_arena *a, double f)
{
    ir_value *v = tb_val(a, IR_V_FLOAT);
    v->u.f = f;
    return v;
}

static inline ir_value *v_bool(jy_arena *a, bool b)
{
    ir_value *v = tb_val(a, IR_V_BOOL);
    v->u.b = b;
    return v;
}

static inline ir_value *v_none(jy_arena *a)
{
    return tb_val(a, IR_V_NONE);
}

static inline ir_value *v_now(jy_arena *a)
{
    return tb_val(a, IR_V_NOW);
}

/* A list (or tuple) of n values given as arguments. */
static inline ir_value *v_seq(jy_arena *a, ir_vkind k, size_t n, ...)
{
    ir_value *v = tb_val(a, k);
    v->u.list.items = n ? tb_must(jy_arena_calloc(a, n, sizeof(ir_value *))) : NULL;
    v->u.list.n = n;
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        v->u.list.items[i] = va_arg(ap, ir_value *);
    va_end(ap);
    return v;
}

/* A dict of n entries given as key, value, key, value, ... */
static inline ir_value *v_dict(jy_arena *a, size_t n, ...)
{
    ir_value *v = tb_val(a, IR_V_DICT);
    v->u.dict.keys = n ? tb_must(jy_arena_calloc(a, n, sizeof(ir_value *))) : NULL;
    v->u.dict.vals = n ? tb_must(jy_arena_calloc(a, n, sizeof(ir_value *))) : NULL;
    v->u.dict.n = n;
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        v->u.dict.keys[i] = va_arg(ap, ir_value *);
        v->u.dict.vals[i] = va_arg(ap, ir_value *);
    }
    va_end(ap);
    return v;
}

static inline ir_type *t_new(jy_arena *a, ir_type_id id)
{
    ir_type *t = tb_must(jy_arena_alloc(a, sizeof *t));
    t->id = id;
    t->length = t->precision = t->scale = -1;
    return t;
}

static inline ir_value *v_type(jy_arena *a, ir_type *t)
{
    ir_value *v = tb_val(a, IR_V_TYPE);
    v->u.type = t;
    return v;
}

static inline ir_value *v_simple_type(jy_arena *a, ir_type_id id)
{
    return v_type(a, t_new(a, id));
}

static inline ir_value *v_string_type(jy_arena *a, int64_t n)
{
    ir_type *t = t_new(a, IR_T_STRING);
    t->length = n;
    return v_type(a, t);
}

/* An op with empty argument slots, compiled for every dialect. */
static inline ir_op *mk_op(jy_arena *a, ir_op_kind k)
{
    ir_op *o = tb_must(jy_arena_alloc(a, sizeof *o));
    o->kind = k;
    o->info = &ir_op_table[k];
    o->args = ir_op_table[k].nparams
                  ? tb_must(jy_arena_calloc(a, ir_op_table[k].nparams, sizeof(ir_value *)))
                  : NULL;
    o->dialects = IR_DMASK_ALL;
    o->cond_dialects = IR_DMASK_ALL;
    for (size_t i = 0; i < ir_op_table[k].nparams; i++)
        if (ir_op_table[k].params[i].flags & IR_AF_VARIADIC)
            o->args[i] = v_seq(a, IR_V_LIST, 0);
    return o;
}

/* Append a value to a variadic slot. */
static inline void push_variadic(jy_arena *a, ir_op *o, size_t slot, ir_value *v)
{
    ir_value *l = o->args[slot];
    l->u.list.items = tb_must(jy_arena_grow(a, l->u.list.items, l->u.list.n, l->u.list.n + 1,
                                            sizeof(ir_value *)));
    l->u.list.items[l->u.list.n++] = v;
}

static inline ir_value *v_col(jy_arena *a, ir_op *col)
{
    ir_value *v = tb_val(a, IR_V_COLUMN);
    v->u.op = col;
    return v;
}

/* op.column(name, type) */
static inline ir_op *mk_column(jy_arena *a, const char *name, ir_value *type)
{
    ir_op *c = mk_op(a, IR_OP_column);
    c->args[IR_A_column_name] = v_str(a, name);
    c->args[IR_A_column_type] = type;
    return c;
}

/* A migration added to the program (kept sorted by the caller: add in id
 * order). */
static inline ir_migration *mk_mig(ir_program *p, const char *id)
{
    jy_arena *a = p->arena;
    ir_migration *m = tb_must(jy_arena_alloc(a, sizeof *m));
    m->id = tb_must(jy_arena_strdup(a, id));
    m->file = tb_must(jy_arena_printf(a, "migrations/%s.py", id));
    m->dialects = IR_DMASK_ALL;
    p->migs = tb_must(jy_arena_grow(a, p->migs, p->n, p->n + 1, sizeof(ir_migration *)));
    p->migs[p->n++] = m;
    return m;
}

static inline void add_up(jy_arena *a, ir_migration *m, ir_op *o)
{
    m->ops = tb_must(jy_arena_grow(a, m->ops, m->nops, m->nops + 1, sizeof(ir_op *)));
    m->ops[m->nops++] = o;
}

static inline void add_down(jy_arena *a, ir_migration *m, ir_op *o)
{
    m->has_downgrade = true;
    m->down = tb_must(jy_arena_grow(a, m->down, m->ndown, m->ndown + 1, sizeof(ir_op *)));
    m->down[m->ndown++] = o;
}

static inline void set_depends(jy_arena *a, ir_migration *m, size_t n, ...)
{
    m->depends_on = n ? tb_must(jy_arena_calloc(a, n, sizeof(char *))) : NULL;
    m->depends_pos = n ? tb_must(jy_arena_calloc(a, n, sizeof(uint32_t))) : NULL;
    m->ndepends = n;
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++)
        m->depends_on[i] = tb_must(jy_arena_strdup(a, va_arg(ap, const char *)));
    va_end(ap);
}

/* Give the migration a source text (owned by the program). */
static inline jy_source *attach_source(ir_program *p, ir_migration *m, const char *text)
{
    jy_source *src = tb_must(calloc(1, sizeof *src));
    if (jy_source_from_memory(src, m->file, text, strlen(text)) != 0)
        abort();
    p->sources = tb_must(realloc(p->sources, (p->nsources + 1) * sizeof *p->sources));
    p->sources[p->nsources++] = src;
    m->src = src;
    return src;
}

#endif /* JORYU_TEST_IR_BUILD_H */
