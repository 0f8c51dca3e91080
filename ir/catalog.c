/* catalog.c - the tables generated from types.def and ops.def, dialect
 * names, and the program container. */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- dialects */

static const char *const dialect_names[IR_D__COUNT] = {"postgresql", "mysql", "mariadb", "sqlite"};

const char *ir_dialect_name(ir_dialect d)
{
    return (unsigned)d < IR_D__COUNT ? dialect_names[d] : "?";
}

static bool eq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

bool ir_dialect_parse(const char *s, size_t n, ir_dialect *out)
{
    if (eq(s, n, "postgresql") || eq(s, n, "postgres") || eq(s, n, "pg"))
        *out = IR_D_POSTGRESQL;
    else if (eq(s, n, "mysql"))
        *out = IR_D_MYSQL;
    else if (eq(s, n, "mariadb"))
        *out = IR_D_MARIADB;
    else if (eq(s, n, "sqlite"))
        *out = IR_D_SQLITE;
    else
        return false;
    return true;
}

const char *ir_tx_mode_name(ir_tx_mode m)
{
    switch (m) {
    case IR_TX_PER_MIGRATION: return "per_migration";
    case IR_TX_NONE: return "none";
    default: return "per_step";
    }
}

const char *ir_mismatch_name(ir_mismatch m)
{
    switch (m) {
    case IR_MISMATCH_ALTER: return "alter";
    case IR_MISMATCH_SKIP: return "skip";
    default: return "error";
    }
}

/* ------------------------------------------------------------- type table */

const ir_type_info ir_type_table[IR_T__COUNT] = {
#define IR_TYPE(id, name, params, pg, my, lite, syn) {name, IR_TP_##params, {pg, my, lite}, syn},
#include "types.def"
#undef IR_TYPE
};

bool ir_type_lookup(const char *name, size_t n, ir_type_id *out)
{
    for (int i = 0; i < IR_T__COUNT; i++)
        if (eq(name, n, ir_type_table[i].name)) {
            *out = (ir_type_id)i;
            return true;
        }
    return false;
}

static int family(ir_dialect d)
{
    switch (d) {
    case IR_D_POSTGRESQL: return 0;
    case IR_D_SQLITE: return 2;
    default: return 1;
    }
}

bool ir_type_supported(const ir_type *t, ir_dialect d)
{
    if (!t)
        return true;
    if (t->id == IR_T_DIALECT)
        return t->dialect_of == d || (family(t->dialect_of) == 1 && family(d) == 1);
    if (!ir_type_table[t->id].render[family(d)])
        return false;
    return ir_type_supported(t->inner, d);
}

/* ------------------------------------------------------------ op catalogue */

#define IR_OP(name, flags, sig, syn) static const ir_param_info params_##name[] = {
#define IR_ARG(op, name, kind, flags, choices, doc) {#name, kind, flags, choices, doc},
#define IR_OP_END(op) };
#define IR_REJECT(name, alt)
#include "ops.def"
#undef IR_OP
#undef IR_ARG
#undef IR_OP_END
#undef IR_REJECT

const ir_op_info ir_op_table[IR_OP__COUNT] = {
#define IR_OP(name, flags, sig, syn) \
    {#name, flags, sig, syn, params_##name, JY_COUNTOF(params_##name)},
#define IR_ARG(op, name, kind, flags, choices, doc)
#define IR_OP_END(op)
#define IR_REJECT(name, alt)
#include "ops.def"
#undef IR_OP
#undef IR_ARG
#undef IR_OP_END
#undef IR_REJECT
};

const ir_reject_info ir_reject_table[] = {
#define IR_OP(name, flags, sig, syn)
#define IR_ARG(op, name, kind, flags, choices, doc)
#define IR_OP_END(op)
#define IR_REJECT(name, alt) {#name, alt},
#include "ops.def"
#undef IR_OP
#undef IR_ARG
#undef IR_OP_END
#undef IR_REJECT
};
const size_t ir_reject_count = JY_COUNTOF(ir_reject_table);

bool ir_op_lookup(const char *name, size_t n, ir_op_kind *out)
{
    for (int i = 0; i < IR_OP__COUNT; i++)
        if (eq(name, n, ir_op_table[i].name)) {
            *out = (ir_op_kind)i;
            return true;
        }
    return false;
}

const ir_reject_info *ir_reject_lookup(const char *name, size_t n)
{
    static const ir_reject_info from_model = {
        "*_from_model", "op.create_table(...) / op.add_column(...) written out column by column"};
    for (size_t i = 0; i < ir_reject_count; i++)
        if (eq(name, n, ir_reject_table[i].name))
            return &ir_reject_table[i];
    if (n > 11 && memcmp(name + n - 11, "_from_model", 11) == 0)
        return &from_model;
    return NULL;
}

/* ----------------------------------------------------------------- program */

ir_program *ir_program_new(void)
{
    ir_program *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->arena = jy_arena_new();
    if (!p->arena) {
        free(p);
        return NULL;
    }
    p->targets = IR_DMASK_DEFAULT;
    return p;
}

void ir_program_free(ir_program *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nsources; i++) {
        jy_source_free(p->sources[i]);
        free(p->sources[i]);
    }
    free(p->sources);
    for (size_t i = 0; i < p->narenas; i++)
        jy_arena_free(p->arenas[i]);
    free(p->arenas);
    jy_arena_free(p->arena);
    free(p);
}

bool ir_program_adopt_arena(ir_program *p, jy_arena *a)
{
    jy_arena **v = realloc(p->arenas, (p->narenas + 1) * sizeof *v);
    if (!v)
        return false;
    p->arenas = v;
    p->arenas[p->narenas++] = a;
    return true;
}

ir_migration *ir_program_find(const ir_program *p, const char *id)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->migs[mid]->id, id);
        if (c == 0)
            return p->migs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
