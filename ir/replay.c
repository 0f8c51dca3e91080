/*
 * replay.c - schema replay (ir.h, "replay"): the ops of each migration
 * applied to the schema model in apply order, one dialect at a time, with
 * the history of every object so that an op that cannot apply says what
 * happened to the object and where.
 */
#include "ir.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ history */

/* What last happened to an object: created, dropped, renamed ... by which
 * op of which migration. */
typedef struct hist {
    char *key; /* "t:users", "c:users.email", "i:ix_a", "k:users.fk_a", "e:status", "o:3:name" */
    const ir_migration *m;
    const ir_op *op;
    char *what; /* "dropped", "created", "renamed to x" */
} hist;

struct ir_replayer {
    ir_dialect d;
    ir_schema *s;      /* own arena */
    jy_arena *a;       /* history and scratch strings */
    hist *h;           /* open addressing, cap a power of two */
    size_t nh, caph;
    bool no_history;   /* ir_replay_set_history(r, false) */
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static hist *hist_slot(hist *v, size_t cap, const char *key)
{
    size_t i = (size_t)hash_str(key) & (cap - 1);
    while (v[i].key && strcmp(v[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &v[i];
}

static void hist_set(ir_replayer *r, const char *key, const ir_migration *m, const ir_op *op,
                     const char *what)
{
    if (r->nh * 2 >= r->caph) {
        size_t nc = r->caph ? r->caph * 2 : 64;
        hist *nv = calloc(nc, sizeof *nv);
        if (!nv)
            return;
        for (size_t i = 0; i < r->caph; i++)
            if (r->h[i].key)
                *hist_slot(nv, nc, r->h[i].key) = r->h[i];
        free(r->h);
        r->h = nv;
        r->caph = nc;
    }
    hist *e = hist_slot(r->h, r->caph, key);
    if (!e->key) {
        e->key = jy_arena_strdup(r->a, key);
        if (!e->key)
            return;
        r->nh++;
    }
    e->m = m;
    e->op = op;
    e->what = jy_arena_strdup(r->a, what);
}

static const hist *hist_get(const ir_replayer *r, const char *key)
{
    if (!r->caph)
        return NULL;
    const hist *e = hist_slot(r->h, r->caph, key);
    return e->key ? e : NULL;
}

/* ------------------------------------------------------------- state */

ir_replayer *ir_replay_new(ir_dialect d)
{
    ir_replayer *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->d = d;
    r->s = ir_schema_new(NULL);
    r->a = jy_arena_new();
    if (!r->s || !r->a) {
        ir_replay_free(r);
        return NULL;
    }
    return r;
}

void ir_replay_set_history(ir_replayer *r, bool on)
{
    r->no_history = !on;
}

void ir_replay_free(ir_replayer *r)
{
    if (!r)
        return;
    ir_schema_free(r->s);
    jy_arena_free(r->a);
    free(r->h);
    free(r);
}

ir_schema *ir_replay_current(const ir_replayer *r) { return r->s; }
ir_dialect ir_replay_dialect(const ir_replayer *r) { return r->d; }

int ir_replay_reset(ir_replayer *r, const ir_schema *s)
{
    ir_schema *c = ir_schema_clone(s, NULL);
    if (!c)
        return -1;
    ir_schema_free(r->s);
    r->s = c;
    return 0;
}

void ir_replay_adopt(ir_replayer *r, ir_schema *s)
{
    ir_schema_free(r->s);
    r->s = s;
}

bool ir_op_for_dialect(const ir_migration *m, const ir_op *op, ir_dialect d)
{
    if (m && !(m->dialects & IR_DMASK(d)))
        return false;
    return (op->dialects & IR_DMASK(d)) != 0;
}

const char *ir_unique_column_index_name(jy_arena *a, const char *table, const char *column)
{
    return jy_arena_printf(a, "uq_%s_%s", table, column);
}

/* ------------------------------------------------------------ context */

/* One apply: the replay, the op and where errors go. */
typedef struct ctx {
    ir_replayer *r;
    ir_schema *s;
    const ir_migration *m;
    const ir_op *op;
    jy_diags *diags;
    bool failed;
} ctx;

static const char *key_of(ctx *c, char kind, const char *a, const char *b)
{
    return b ? jy_arena_printf(c->r->a, "%c:%s.%s", kind, a, b)
             : jy_arena_printf(c->r->a, "%c:%s", kind, a);
}

static void record(ctx *c, char kind, const char *a, const char *b, const char *what)
{
    if (c->r->no_history)
        return;
    const char *k = key_of(c, kind, a, b);
    if (k)
        hist_set(c->r, k, c->m, c->op, what);
}

/* " by <id> (<file>:<line>:<col>)" for a history entry. */
static char *where_of(ctx *c, const hist *e)
{
    unsigned line = 0, col = 0;
    if (e->m->src)
        jy_source_linecol(e->m->src, e->op->start, &line, &col);
    return jy_arena_printf(c->r->a, "%s (%s:%u:%u)", e->m->id, e->m->file ? e->m->file : "?",
                           line, col);
}

/* Report an error at [start, end) (the op when both are 0). */
static jy_diag *err_at(ctx *c, const char *code, uint32_t start, uint32_t end, const char *msg)
{
    c->failed = true;
    if (start == 0 && end == 0) {
        start = c->op->start;
        end = c->op->end;
    }
    return jy_diag_at(c->diags, JY_SEV_ERROR, JY_EXIT_ERROR, code, c->m->src, start, end, "%s",
                      msg);
}

/* "<what> does not exist here[: it was <x> by <id> (...)]" */
static void missing(ctx *c, const char *code, const ir_value *at, const char *what, char kind,
                    const char *a, const char *b, const char *const *cands, size_t ncands)
{
    const hist *e = hist_get(c->r, key_of(c, kind, a, b));
    char *msg;
    if (e && strcmp(e->what, "created") != 0)
        msg = jy_arena_printf(c->r->a, "%s does not exist here: it was %s by %s", what, e->what,
                              where_of(c, e));
    else
        msg = jy_arena_printf(c->r->a, "%s does not exist here", what);
    jy_diag *g = err_at(c, code, at ? at->start : 0, at ? at->end : 0, msg ? msg : what);
    if (g && cands && ncands) {
        const char *name = b ? b : a;
        const char *close = jy_closest(name, strlen(name), cands, ncands);
        if (close)
            jy_diag_hint(g, "did you mean '%s'?", close);
    }
}

/* "<what> already exists here[: it was <x> by <id> (...)]" */
static void exists(ctx *c, const char *code, const ir_value *at, const char *what, char kind,
                   const char *a, const char *b)
{
    const hist *e = hist_get(c->r, key_of(c, kind, a, b));
    char *msg;
    if (e)
        msg = jy_arena_printf(c->r->a, "%s already exists here: it was %s by %s", what, e->what,
                              where_of(c, e));
    else
        msg = jy_arena_printf(c->r->a, "%s already exists here", what);
    err_at(c, code, at ? at->start : 0, at ? at->end : 0, msg ? msg : what);
}

/* ------------------------------------------------------------- values */

static const ir_value *arg(const ir_op *op, size_t i)
{
    return i < op->info->nparams ? op->args[i] : NULL;
}

static const char *sval(const ir_value *v)
{
    return v && v->kind == IR_V_STR ? v->u.str.s : NULL;
}

static bool bval(const ir_value *v, bool dflt)
{
    return v && v->kind == IR_V_BOOL ? v->u.b : dflt;
}

/* A list/tuple of strings as an array in the replay arena. */
static const char **names_of(ctx *c, const ir_value *v, size_t *n)
{
    *n = 0;
    if (!v)
        return NULL;
    if (v->kind == IR_V_STR) {
        const char **o = jy_arena_alloc(c->r->a, sizeof *o);
        if (o) {
            o[0] = v->u.str.s;
            *n = 1;
        }
        return o;
    }
    if (v->kind != IR_V_LIST && v->kind != IR_V_TUPLE)
        return NULL;
    const char **o = jy_arena_calloc(c->r->a, v->u.list.n ? v->u.list.n : 1, sizeof *o);
    if (!o)
        return NULL;
    for (size_t i = 0; i < v->u.list.n; i++)
        if (v->u.list.items[i]->kind == IR_V_STR)
            o[(*n)++] = v->u.list.items[i]->u.str.s;
    return o;
}

static const ir_value *dict_get(const ir_value *d, const char *key)
{
    if (!d || d->kind != IR_V_DICT)
        return NULL;
    for (size_t i = 0; i < d->u.dict.n; i++)
        if (d->u.dict.keys[i]->kind == IR_V_STR && strcmp(d->u.dict.keys[i]->u.str.s, key) == 0)
            return d->u.dict.vals[i];
    return NULL;
}

static const ir_value *item(const ir_value *tuple, size_t i)
{
    if (!tuple || (tuple->kind != IR_V_TUPLE && tuple->kind != IR_V_LIST) || i >= tuple->u.list.n)
        return NULL;
    return tuple->u.list.items[i];
}

/* default= constant as a model default. */
static ir_default default_of_value(ctx *c, const ir_value *v)
{
    ir_default d = {IR_DEF_NONE, NULL};
    if (!v)
        return d;
    switch (v->kind) {
    case IR_V_BOOL:
        d.kind = IR_DEF_BOOL;
        d.text = v->u.b ? "true" : "false";
        break;
    case IR_V_INT:
        d.kind = IR_DEF_NUM;
        d.text = jy_arena_printf(c->s->arena, "%lld", (long long)v->u.i);
        break;
    case IR_V_FLOAT:
        d.kind = IR_DEF_NUM;
        d.text = jy_arena_printf(c->s->arena, "%.17g", v->u.f);
        break;
    case IR_V_STR:
        d.kind = IR_DEF_STR;
        d.text = jy_arena_strdup(c->s->arena, v->u.str.s);
        break;
    default:
        break;
    }
    return d;
}

/* server_default= (SQL text or t.now()) as a model default. */
static ir_default server_default_of(ctx *c, const ir_type *t, const ir_value *v)
{
    ir_default d = {IR_DEF_NONE, NULL};
    if (!v || v->kind == IR_V_NONE)
        return d;
    if (v->kind == IR_V_NOW) {
        d.kind = IR_DEF_NOW;
        return d;
    }
    if (v->kind == IR_V_STR)
        return ir_default_from_sql(c->s->arena, c->r->d, t, v->u.str.s, false);
    return d;
}

/* ---------------------------------------------------------- enums */

static bool enum_used(const ir_schema *s, const char *name)
{
    for (size_t i = 0; i < s->ntables; i++)
        for (size_t j = 0; j < s->tables[i]->ncolumns; j++) {
            const ir_type *t = &s->tables[i]->columns[j]->type;
            if (t->id == IR_T_ARRAY && t->inner)
                t = t->inner;
            if (t->id == IR_T_ENUM && t->enum_name && strcmp(t->enum_name, name) == 0)
                return true;
        }
    return false;
}

/* The enum type name of a column type (Array of Enum too), or NULL. */
static const char *enum_of(const ir_type *t)
{
    if (t->id == IR_T_ARRAY && t->inner)
        t = t->inner;
    return t->id == IR_T_ENUM ? t->enum_name : NULL;
}

/* PostgreSQL: drop the enum types among names[] that no column uses any
 * more (the backend drops them with their last column).  The names point
 * into the schema arena, which keeps them after their column is gone. */
static void enums_gc(ctx *c, const char *const *names, size_t n)
{
    if (c->r->d != IR_D_POSTGRESQL)
        return;
    for (size_t i = 0; i < n; i++)
        if (names[i] && ir_schema_enum(c->s, names[i]) && !enum_used(c->s, names[i])) {
            record(c, 'e', names[i], NULL, "dropped with its last column");
            ir_schema_remove_enum(c->s, names[i]);
        }
}

/* The SQLite CHECK that stands for an Enum column: "col" IN ('a', 'b'). */
static char *enum_check(jy_arena *a, const char *col, const ir_type *t)
{
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_putc(&b, '"');
    for (const char *p = col; *p; p++) {
        if (*p == '"')
            jy_buf_putc(&b, '"');
        jy_buf_putc(&b, *p);
    }
    jy_buf_puts(&b, "\" IN (");
    for (size_t i = 0; i < t->nlabels; i++) {
        jy_buf_puts(&b, i ? ", '" : "'");
        for (const char *p = t->labels[i]; *p; p++) {
            if (*p == '\'')
                jy_buf_putc(&b, '\'');
            jy_buf_putc(&b, *p);
        }
        jy_buf_putc(&b, '\'');
    }
    jy_buf_putc(&b, ')');
    char *r = b.failed ? NULL : jy_arena_strdup(a, b.data);
    jy_buf_free(&b);
    return r;
}

static void remove_enum_check(ir_schema *s, ir_table *t, const ir_column *col)
{
    if (col->type.id != IR_T_ENUM)
        return;
    char *e = enum_check(s->arena, col->name, &col->type);
    for (size_t i = 0; e && i < t->nchecks; i++)
        if (!t->checks[i]->name && strcmp(t->checks[i]->expr, e) == 0) {
            memmove(&t->checks[i], &t->checks[i + 1], (t->nchecks - i - 1) * sizeof *t->checks);
            t->nchecks--;
            return;
        }
}

/* A column got an Enum type: register the PostgreSQL type, or add the
 * SQLite CHECK.  false (with an error) when the enum exists with other
 * labels. */
static bool enum_attach(ctx *c, ir_table *t, ir_column *col, const ir_value *at)
{
    const ir_type *ty = &col->type;
    if (ty->id == IR_T_ARRAY && ty->inner)
        ty = ty->inner;
    if (ty->id != IR_T_ENUM)
        return true;
    if (c->r->d == IR_D_SQLITE && col->type.id == IR_T_ENUM) {
        char *e = enum_check(c->s->arena, col->name, ty);
        if (e)
            ir_table_add_check(c->s, t, NULL, e);
        return true;
    }
    if (c->r->d != IR_D_POSTGRESQL || !ty->enum_name)
        return true;
    ir_enum *en = ir_schema_enum(c->s, ty->enum_name);
    if (!en) {
        ir_schema_add_enum(c->s, ty->enum_name, ty->labels, ty->nlabels);
        record(c, 'e', ty->enum_name, NULL, "created");
        return true;
    }
    bool same = en->nlabels == ty->nlabels;
    for (size_t i = 0; same && i < ty->nlabels; i++)
        same = strcmp(en->labels[i], ty->labels[i]) == 0;
    if (!same) {
        char *msg = jy_arena_printf(c->r->a,
                                    "enum type %s exists here with other labels (%zu labels)",
                                    ty->enum_name, en->nlabels);
        jy_diag *g = err_at(c, "replay.enum-conflict", at ? at->start : 0, at ? at->end : 0,
                            msg ? msg : "enum conflict");
        if (g)
            jy_diag_hint(g, "use the same labels as the existing type, another name=, or "
                            "declare_schema_change(enum_value_added=...) after adding a label");
        return false;
    }
    return true;
}

/* ---------------------------------------------------------- lookups */

static ir_table *need_table(ctx *c, const char *name, const ir_value *at)
{
    ir_table *t = ir_schema_table(c->s, name);
    if (t)
        return t;
    const char **cands = jy_arena_calloc(c->r->a, c->s->ntables + 1, sizeof *cands);
    for (size_t i = 0; cands && i < c->s->ntables; i++)
        cands[i] = c->s->tables[i]->name;
    char *what = jy_arena_printf(c->r->a, "table %s", name);
    missing(c, "replay.table-missing", at, what ? what : name, 't', name, NULL, cands,
            cands ? c->s->ntables : 0);
    return NULL;
}

static ir_column *need_column(ctx *c, ir_table *t, const char *name, const ir_value *at)
{
    ir_column *col = ir_table_column(t, name);
    if (col)
        return col;
    const char **cands = jy_arena_calloc(c->r->a, t->ncolumns + 1, sizeof *cands);
    for (size_t i = 0; cands && i < t->ncolumns; i++)
        cands[i] = t->columns[i]->name;
    char *what = jy_arena_printf(c->r->a, "column %s.%s", t->name, name);
    missing(c, "replay.column-missing", at, what ? what : name, 'c', t->name, name, cands,
            cands ? t->ncolumns : 0);
    return NULL;
}

static bool need_columns(ctx *c, ir_table *t, const char *const *cols, size_t n,
                         const ir_value *at)
{
    for (size_t i = 0; i < n; i++)
        if (!need_column(c, t, cols[i], at))
            return false;
    return true;
}

static bool no_column(ctx *c, ir_table *t, const char *name, const ir_value *at)
{
    if (!ir_table_column(t, name))
        return true;
    char *what = jy_arena_printf(c->r->a, "column %s.%s", t->name, name);
    exists(c, "replay.column-exists", at, what ? what : name, 'c', t->name, name);
    return false;
}

static bool no_table(ctx *c, const char *name, const ir_value *at)
{
    if (!ir_schema_table(c->s, name))
        return true;
    char *what = jy_arena_printf(c->r->a, "table %s", name);
    exists(c, "replay.table-exists", at, what ? what : name, 't', name, NULL);
    return false;
}

static bool mysql_family(ir_dialect d) { return d == IR_D_MYSQL || d == IR_D_MARIADB; }

/* An index name must be free: schema-wide on PostgreSQL and SQLite, per
 * table on MySQL. */
static bool no_index(ctx *c, ir_table *t, const char *name, const ir_value *at)
{
    ir_table *owner = NULL;
    ir_index *x = mysql_family(c->r->d) ? ir_table_index(t, name)
                                        : ir_schema_index(c->s, name, &owner);
    (void)owner;
    if (!x)
        return true;
    char *what = jy_arena_printf(c->r->a, "index %s", name);
    exists(c, "replay.index-exists", at, what ? what : name, 'i', name, NULL);
    return false;
}

static bool no_constraint(ctx *c, ir_table *t, const char *name, const ir_value *at)
{
    const char *kind = ir_table_constraint_kind(t, name);
    if (!kind)
        return true;
    char *what = jy_arena_printf(c->r->a, "constraint %s on %s (%s)", name, t->name, kind);
    exists(c, "replay.constraint-exists", at, what ? what : name, 'k', t->name, name);
    return false;
}

/* ------------------------------------------------------------- columns */

/* The modifiers of a column, from op.column / op.add_column arguments or
 * a column_added opts dict. */
typedef struct colspec {
    const char *name;
    const ir_type *type;
    const ir_value *nullable, *dflt, *sdflt, *generated, *pk, *autoinc, *unique, *comment;
    const ir_value *at;
} colspec;

/* Add a column to t; pk_out collects primary_key=True.  false on error. */
static bool add_col(ctx *c, ir_table *t, const colspec *cs, bool *is_pk)
{
    if (!no_column(c, t, cs->name, cs->at))
        return false;
    ir_column *col = ir_table_add_column(c->s, t, cs->name, cs->type);
    if (!col)
        return false;
    bool pk = bval(cs->pk, false);
    *is_pk = pk;
    col->nullable = pk ? false : bval(cs->nullable, true);
    if (cs->dflt && cs->dflt->kind != IR_V_NONE)
        col->def = default_of_value(c, cs->dflt);
    else if (cs->sdflt)
        col->def = server_default_of(c, cs->type, cs->sdflt);
    if (sval(cs->generated))
        col->generated = jy_arena_strdup(c->s->arena, sval(cs->generated));
    bool serial = cs->type->id == IR_T_SERIAL || cs->type->id == IR_T_BIGSERIAL;
    if (serial)
        col->identity = IR_IDENT_AUTO;
    else if (bval(cs->autoinc, false))
        col->identity = c->r->d == IR_D_POSTGRESQL ? IR_IDENT_BY_DEFAULT : IR_IDENT_AUTO;
    if (sval(cs->comment))
        col->comment = jy_arena_strdup(c->s->arena, sval(cs->comment));
    record(c, 'c', t->name, cs->name, "created");
    if (!enum_attach(c, t, col, cs->at))
        return false;
    if (bval(cs->unique, false)) {
        const char *ix = ir_unique_column_index_name(c->r->a, t->name, cs->name);
        if (!ix || !no_index(c, t, ix, cs->at))
            return false;
        const char *cols[1] = {cs->name};
        ir_table_add_index(c->s, t, ix, true, cols, 1, NULL, NULL);
        record(c, 'i', ix, NULL, "created");
    }
    return true;
}

static void colspec_from_column(colspec *cs, const ir_value *v)
{
    const ir_op *co = v->u.op;
    memset(cs, 0, sizeof *cs);
    cs->name = sval(arg(co, IR_A_column_name));
    const ir_value *tv = arg(co, IR_A_column_type);
    cs->type = tv && tv->kind == IR_V_TYPE ? tv->u.type : NULL;
    cs->nullable = arg(co, IR_A_column_nullable);
    cs->dflt = arg(co, IR_A_column_default);
    cs->sdflt = arg(co, IR_A_column_server_default);
    cs->generated = arg(co, IR_A_column_generated);
    cs->pk = arg(co, IR_A_column_primary_key);
    cs->autoinc = arg(co, IR_A_column_autoincrement);
    cs->unique = arg(co, IR_A_column_unique);
    cs->comment = arg(co, IR_A_column_comment);
    cs->at = v;
}

static void colspec_from_opts(colspec *cs, const char *name, const ir_type *type,
                              const ir_value *opts, const ir_value *at)
{
    memset(cs, 0, sizeof *cs);
    cs->name = name;
    cs->type = type;
    cs->nullable = dict_get(opts, "nullable");
    cs->dflt = dict_get(opts, "default");
    cs->sdflt = dict_get(opts, "server_default");
    cs->generated = dict_get(opts, "generated");
    cs->pk = dict_get(opts, "primary_key");
    cs->autoinc = dict_get(opts, "autoincrement");
    cs->unique = dict_get(opts, "unique");
    cs->comment = dict_get(opts, "comment");
    cs->at = at;
}

/* Append columns to the primary key. */
static bool pk_append(ctx *c, ir_table *t, const char *const *cols, size_t n)
{
    const char **all = jy_arena_calloc(c->r->a, t->npk + n + 1, sizeof *all);
    if (!all)
        return false;
    for (size_t i = 0; i < t->npk; i++)
        all[i] = t->pk[i];
    for (size_t i = 0; i < n; i++)
        all[t->npk + i] = cols[i];
    return ir_table_set_pk(c->s, t, t->pk_name, all, t->npk + n);
}

/* Alter a column from a state dict / op arguments. */
static void alter_col(ctx *c, ir_table *t, ir_column *col, const ir_value *type,
                      const ir_value *nullable, const ir_value *dflt, const ir_value *sdflt,
                      const ir_value *comment, const ir_value *at)
{
    if (type && type->kind == IR_V_TYPE) {
        const char *old_enum = enum_of(&col->type);
        if (c->r->d == IR_D_SQLITE)
            remove_enum_check(c->s, t, col);
        ir_column tmp = *col;
        ir_column *fresh = ir_table_add_column(c->s, t, "\x01tmp", type->u.type);
        if (fresh) {
            col->type = fresh->type;
            ir_table_remove_column(c->s, t, "\x01tmp");
        }
        (void)tmp;
        enum_attach(c, t, col, at);
        enums_gc(c, &old_enum, 1);
    }
    if (nullable && nullable->kind == IR_V_BOOL)
        col->nullable = nullable->u.b;
    if (dflt)
        col->def = default_of_value(c, dflt);
    else if (sdflt)
        col->def = server_default_of(c, &col->type, sdflt);
    if (comment) {
        const char *s = sval(comment);
        col->comment = s && *s ? jy_arena_strdup(c->s->arena, s) : NULL;
    }
}

/* ---------------------------------------------------------------- ops */

static ir_table *op_table(ctx *c, const ir_value *v)
{
    const char *name = sval(v);
    return name ? need_table(c, name, v) : NULL;
}

static bool drop_column(ctx *c, ir_table *t, const char *name, const ir_value *at)
{
    ir_column *col = need_column(c, t, name, at);
    if (!col)
        return false;
    if (c->r->d == IR_D_SQLITE)
        remove_enum_check(c->s, t, col);
    const char *old_enum = enum_of(&col->type);
    ir_table_remove_column(c->s, t, name);
    record(c, 'c', t->name, name, "dropped");
    enums_gc(c, &old_enum, 1);
    return true;
}

static bool rename_column(ctx *c, ir_table *t, const char *from, const char *to,
                          const ir_value *at_from, const ir_value *at_to)
{
    ir_column *col = need_column(c, t, from, at_from);
    if (!col || !no_column(c, t, to, at_to))
        return false;
    bool en = c->r->d == IR_D_SQLITE && col->type.id == IR_T_ENUM;
    if (en)
        remove_enum_check(c->s, t, col);
    ir_table_rename_column(c->s, t, from, to);
    if (en)
        enum_attach(c, t, ir_table_column(t, to), at_to);
    record(c, 'c', t->name, from, jy_arena_printf(c->r->a, "renamed to %s", to));
    record(c, 'c', t->name, to, jy_arena_printf(c->r->a, "renamed from %s", from));
    return true;
}

static bool drop_table(ctx *c, const char *name, const ir_value *at)
{
    ir_table *t = need_table(c, name, at);
    if (!t)
        return false;
    /* the tables that reference it (and t itself), in table order */
    ir_table **refs = NULL;
    size_t nrefs = ir_schema_tables_touching(c->s, &name, 1, &refs);
    if (nrefs == (size_t)-1) {
        err_at(c, "replay.memory", at ? at->start : 0, at ? at->end : 0, "out of memory");
        return false;
    }
    for (size_t i = 0; i < nrefs; i++) {
        ir_table *o = refs[i];
        if (o == t)
            continue;
        for (size_t j = 0; j < o->nfkeys; j++)
            if (strcmp(o->fkeys[j]->ref_table, name) == 0) {
                char *msg = jy_arena_printf(
                    c->r->a, "table %s is still referenced by foreign key %s of table %s", name,
                    o->fkeys[j]->name ? o->fkeys[j]->name : "(unnamed)", o->name);
                jy_diag *g = err_at(c, "replay.table-referenced", at ? at->start : 0,
                                    at ? at->end : 0, msg ? msg : "referenced");
                if (g)
                    jy_diag_hint(g, "drop the foreign key first: op.drop_constraint(\"%s\", \"%s\")",
                                 o->fkeys[j]->name ? o->fkeys[j]->name : "...", o->name);
                free(refs);
                return false;
            }
    }
    free(refs);
    const char **old_enums = jy_arena_calloc(c->r->a, t->ncolumns + 1, sizeof *old_enums);
    size_t nold = t->ncolumns;
    for (size_t i = 0; old_enums && i < t->ncolumns; i++)
        old_enums[i] = enum_of(&t->columns[i]->type);
    for (size_t i = 0; i < t->nindexes; i++)
        record(c, 'i', t->indexes[i]->name, NULL,
               jy_arena_printf(c->r->a, "dropped with table %s", name));
    ir_schema_remove_table(c->s, name);
    for (size_t i = c->s->nobjects; i-- > 0;) {
        ir_object *o = c->s->objects[i];
        if (o->table && strcmp(o->table, name) == 0)
            ir_schema_remove_object(c->s, o->kind, o->name, o->table);
    }
    record(c, 't', name, NULL, "dropped");
    if (old_enums)
        enums_gc(c, old_enums, nold);
    return true;
}

static bool rename_table(ctx *c, const char *from, const char *to, const ir_value *at_from,
                         const ir_value *at_to)
{
    if (!need_table(c, from, at_from) || !no_table(c, to, at_to))
        return false;
    ir_schema_rename_table(c->s, from, to);
    for (size_t i = 0; i < c->s->nobjects; i++) {
        ir_object *o = c->s->objects[i];
        if (o->table && strcmp(o->table, from) == 0)
            o->table = jy_arena_strdup(c->s->arena, to);
    }
    record(c, 't', from, NULL, jy_arena_printf(c->r->a, "renamed to %s", to));
    record(c, 't', to, NULL, jy_arena_printf(c->r->a, "renamed from %s", from));
    return true;
}

static bool create_index(ctx *c, ir_table *t, const char *name, const char *const *cols,
                         size_t n, bool unique, const char *where, const char *method,
                         const ir_value *at_name, const ir_value *at_cols)
{
    if (!need_columns(c, t, cols, n, at_cols) || !no_index(c, t, name, at_name))
        return false;
    ir_table_add_index(c->s, t, name, unique, cols, n, where, method);
    record(c, 'i', name, NULL, "created");
    return true;
}

static bool drop_index(ctx *c, const char *name, const char *table, const ir_value *at_name,
                       const ir_value *at_table)
{
    ir_table *t = NULL;
    if (table) {
        t = need_table(c, table, at_table);
        if (!t)
            return false;
    }
    ir_table *owner = NULL;
    ir_index *x = t ? ir_table_index(t, name) : ir_schema_index(c->s, name, &owner);
    if (!x) {
        ir_table *elsewhere = NULL;
        if (t && ir_schema_index(c->s, name, &elsewhere) && elsewhere) {
            char *msg = jy_arena_printf(c->r->a, "index %s is on table %s, not on %s", name,
                                        elsewhere->name, t->name);
            err_at(c, "replay.index-missing", at_table ? at_table->start : 0,
                   at_table ? at_table->end : 0, msg ? msg : "index elsewhere");
            return false;
        }
        char *what = jy_arena_printf(c->r->a, "index %s", name);
        missing(c, "replay.index-missing", at_name, what ? what : name, 'i', name, NULL, NULL, 0);
        return false;
    }
    ir_table_remove_index(t ? t : owner, name);
    record(c, 'i', name, NULL, "dropped");
    return true;
}

/* The referenced columns must be the primary key or unique. */
static bool ref_is_unique(const ir_table *t, const char *const *cols, size_t n)
{
    if (t->npk == n) {
        bool all = true;
        for (size_t i = 0; i < n && all; i++) {
            bool f = false;
            for (size_t j = 0; j < n; j++)
                f |= strcmp(t->pk[j], cols[i]) == 0;
            all = f;
        }
        if (all)
            return true;
    }
    for (size_t u = 0; u < t->nuniques; u++)
        if (t->uniques[u]->ncolumns == n) {
            bool all = true;
            for (size_t i = 0; i < n && all; i++)
                all = strcmp(t->uniques[u]->columns[i], cols[i]) == 0;
            if (all)
                return true;
        }
    for (size_t u = 0; u < t->nindexes; u++)
        if (t->indexes[u]->unique && !t->indexes[u]->where && t->indexes[u]->ncolumns == n) {
            bool all = true;
            for (size_t i = 0; i < n && all; i++)
                all = strcmp(t->indexes[u]->columns[i], cols[i]) == 0;
            if (all)
                return true;
        }
    return false;
}

static bool create_fk(ctx *c, ir_table *t, const char *name, const char *ref,
                      const char *const *cols, size_t n, const char *const *rcols, size_t rn,
                      ir_fk_action del, ir_fk_action upd, const ir_value *at_name,
                      const ir_value *at_ref, const ir_value *at_cols, const ir_value *at_rcols)
{
    if (!need_columns(c, t, cols, n, at_cols))
        return false;
    ir_table *rt = need_table(c, ref, at_ref);
    if (!rt || !need_columns(c, rt, rcols, rn, at_rcols))
        return false;
    if (n != rn) {
        char *msg = jy_arena_printf(c->r->a,
                                    "foreign key %s has %zu columns but references %zu", name, n,
                                    rn);
        err_at(c, "replay.fk-columns", at_rcols ? at_rcols->start : 0,
               at_rcols ? at_rcols->end : 0, msg ? msg : "fk columns");
        return false;
    }
    if (!ref_is_unique(rt, rcols, rn)) {
        char *msg = jy_arena_printf(
            c->r->a, "foreign key %s references columns of %s that are neither its primary "
                     "key nor unique",
            name, ref);
        jy_diag *g = err_at(c, "replay.fk-not-unique", at_rcols ? at_rcols->start : 0,
                            at_rcols ? at_rcols->end : 0, msg ? msg : "fk not unique");
        if (g)
            jy_diag_hint(g, "reference the primary key, or add a unique constraint on those "
                            "columns first");
        return false;
    }
    if (!no_constraint(c, t, name, at_name))
        return false;
    ir_table_add_fkey(c->s, t, name, cols, n, ref, rcols, rn, del, upd);
    record(c, 'k', t->name, name, "created");
    return true;
}

static bool drop_constraint(ctx *c, ir_table *t, const char *name, const ir_value *at)
{
    const char *kind = ir_table_constraint_kind(t, name);
    if (!kind) {
        size_t n = t->nuniques + t->nfkeys + t->nchecks;
        const char **cands = jy_arena_calloc(c->r->a, n + 1, sizeof *cands);
        size_t k = 0;
        for (size_t i = 0; cands && i < t->nuniques; i++)
            if (t->uniques[i]->name)
                cands[k++] = t->uniques[i]->name;
        for (size_t i = 0; cands && i < t->nfkeys; i++)
            if (t->fkeys[i]->name)
                cands[k++] = t->fkeys[i]->name;
        for (size_t i = 0; cands && i < t->nchecks; i++)
            if (t->checks[i]->name)
                cands[k++] = t->checks[i]->name;
        char *what = jy_arena_printf(c->r->a, "constraint %s on %s", name, t->name);
        missing(c, "replay.constraint-missing", at, what ? what : name, 'k', t->name, name, cands,
                k);
        return false;
    }
    if (strcmp(kind, "primary_key") == 0)
        ir_table_set_pk(c->s, t, NULL, NULL, 0);
    else
        ir_table_remove_constraint(t, name);
    record(c, 'k', t->name, name, "dropped");
    return true;
}

static ir_fk_action fk_action(const ir_value *v)
{
    ir_fk_action a = IR_FK_NO_ACTION;
    if (sval(v))
        ir_fk_action_parse(sval(v), &a);
    return a;
}

static bool backfill(ctx *c, const ir_op *op)
{
    ir_table *t = op_table(c, arg(op, IR_A_backfill_table));
    if (!t)
        return false;
    const ir_value *set = arg(op, IR_A_backfill_set);
    for (size_t i = 0; set && set->kind == IR_V_DICT && i < set->u.dict.n; i++)
        if (!need_column(c, t, sval(set->u.dict.keys[i]), set->u.dict.keys[i]))
            return false;
    const ir_value *kv = arg(op, IR_A_backfill_key);
    const char *key = sval(kv) ? sval(kv) : "id";
    if (!need_column(c, t, key, kv))
        return false;
    if (t->npk == 1 && strcmp(t->pk[0], key) == 0)
        return true;
    for (size_t i = 0; i < t->nindexes; i++)
        if (t->indexes[i]->ncolumns && strcmp(t->indexes[i]->columns[0], key) == 0 &&
            !t->indexes[i]->where)
            return true;
    for (size_t i = 0; i < t->nuniques; i++)
        if (t->uniques[i]->ncolumns && strcmp(t->uniques[i]->columns[0], key) == 0)
            return true;
    char *msg = jy_arena_printf(c->r->a,
                                "backfill key %s.%s is neither the primary key nor the first "
                                "column of an index",
                                t->name, key);
    jy_diag *g = err_at(c, "replay.backfill-key", kv ? kv->start : 0, kv ? kv->end : 0,
                        msg ? msg : "backfill key");
    if (g)
        jy_diag_hint(g, "every batch looks rows up by the key: use key=\"<primary key>\" or "
                        "create an index on %s first (op.create_index(\"ix_%s_%s\", \"%s\", [\"%s\"]))",
                     key, t->name, key, t->name, key);
    return false;
}

static bool bulk_insert(ctx *c, const ir_op *op)
{
    ir_table *t = op_table(c, arg(op, IR_A_bulk_insert_table));
    if (!t)
        return false;
    const ir_value *rows = arg(op, IR_A_bulk_insert_rows);
    for (size_t i = 0; rows && rows->kind == IR_V_LIST && i < rows->u.list.n; i++) {
        const ir_value *row = rows->u.list.items[i];
        for (size_t j = 0; row->kind == IR_V_DICT && j < row->u.dict.n; j++)
            if (!need_column(c, t, sval(row->u.dict.keys[j]), row->u.dict.keys[j]))
                return false;
    }
    return true;
}

/* ------------------------------------------------------------ hints */

static bool object_added(ctx *c, ir_obj_kind k, const char *name, const char *table,
                         const char *sql, const ir_value *at)
{
    if (table && !need_table(c, table, at))
        return false;
    if (ir_schema_object(c->s, k, name, table)) {
        char *what = jy_arena_printf(c->r->a, "%s %s", ir_obj_kind_name(k), name);
        char *key = jy_arena_printf(c->r->a, "%d:%s", (int)k, name);
        exists(c, "replay.object-exists", at, what ? what : name, 'o', key ? key : name, table);
        return false;
    }
    ir_schema_add_object(c->s, k, name, table, sql);
    char *key = jy_arena_printf(c->r->a, "%d:%s", (int)k, name);
    record(c, 'o', key ? key : name, table, "created");
    return true;
}

static bool object_dropped(ctx *c, ir_obj_kind k, const char *name, const char *table,
                           const ir_value *at)
{
    char *key = jy_arena_printf(c->r->a, "%d:%s", (int)k, name);
    if (!ir_schema_remove_object(c->s, k, name, table)) {
        char *what = jy_arena_printf(c->r->a, "%s %s", ir_obj_kind_name(k), name);
        missing(c, "replay.object-missing", at, what ? what : name, 'o', key ? key : name, table,
                NULL, 0);
        return false;
    }
    record(c, 'o', key ? key : name, table, "dropped");
    return true;
}

/* Apply one tuple of a declare_schema_change keyword. */
static bool hint_one(ctx *c, size_t slot, const ir_value *tu)
{
    const ir_value *a0 = item(tu, 0), *a1 = item(tu, 1), *a2 = item(tu, 2), *a3 = item(tu, 3);
    const char *s0 = sval(a0), *s1 = sval(a1), *s2 = sval(a2);
    ir_table *t;
    size_t n;
    switch (slot) {
    case IR_A_declare_schema_change_column_added: {
        if (!(t = need_table(c, s0, a0)) || !a2 || a2->kind != IR_V_TYPE)
            return false;
        colspec cs;
        colspec_from_opts(&cs, s1, a2->u.type, a3, a1);
        bool pk = false;
        if (!add_col(c, t, &cs, &pk))
            return false;
        return !pk || pk_append(c, t, &s1, 1);
    }
    case IR_A_declare_schema_change_column_dropped:
        return (t = need_table(c, s0, a0)) && drop_column(c, t, s1, a1);
    case IR_A_declare_schema_change_column_altered: {
        ir_column *col;
        if (!(t = need_table(c, s0, a0)) || !(col = need_column(c, t, s1, a1)))
            return false;
        const ir_value *nw = dict_get(a2, "new");
        alter_col(c, t, col, dict_get(nw, "type"), dict_get(nw, "nullable"),
                  dict_get(nw, "default"), dict_get(nw, "server_default"),
                  dict_get(nw, "comment"), a2);
        return true;
    }
    case IR_A_declare_schema_change_column_renamed:
        return (t = need_table(c, s0, a0)) && rename_column(c, t, s1, s2, a1, a2);
    case IR_A_declare_schema_change_table_added: {
        if (!no_table(c, s0, a0) || !(t = ir_schema_add_table(c->s, s0)))
            return false;
        record(c, 't', s0, NULL, "created");
        const ir_value *cols = dict_get(a1, "columns");
        const char **pks = jy_arena_calloc(c->r->a, 64, sizeof *pks);
        size_t npk = 0;
        for (size_t i = 0; cols && (cols->kind == IR_V_LIST || cols->kind == IR_V_TUPLE) &&
                           i < cols->u.list.n;
             i++) {
            const ir_value *cv = cols->u.list.items[i];
            colspec cs;
            if (cv->kind == IR_V_COLUMN)
                colspec_from_column(&cs, cv);
            else if (item(cv, 1) && item(cv, 1)->kind == IR_V_TYPE)
                colspec_from_opts(&cs, sval(item(cv, 0)), item(cv, 1)->u.type, item(cv, 2), cv);
            else
                continue;
            if (!cs.name || !cs.type)
                continue;
            bool pk = false;
            if (!add_col(c, t, &cs, &pk))
                return false;
            if (pk && pks && npk < 64)
                pks[npk++] = cs.name;
        }
        const ir_value *pkv = dict_get(dict_get(a1, "options"), "primary_key");
        if (pkv) {
            const char **l = names_of(c, pkv, &n);
            if (!need_columns(c, t, l, n, pkv))
                return false;
            ir_table_set_pk(c->s, t, NULL, l, n);
        } else if (npk)
            ir_table_set_pk(c->s, t, NULL, pks, npk);
        return true;
    }
    case IR_A_declare_schema_change_table_dropped:
        return drop_table(c, s0, a0);
    case IR_A_declare_schema_change_table_renamed:
        return rename_table(c, s0, s1, a0, a1);
    case IR_A_declare_schema_change_index_added: {
        if (!(t = need_table(c, s1, a1)))
            return false;
        const char **l = names_of(c, a2, &n);
        return create_index(c, t, s0, l, n, bval(dict_get(a3, "unique"), false),
                            sval(dict_get(a3, "where")), sval(dict_get(a3, "method")), a0, a2);
    }
    case IR_A_declare_schema_change_index_dropped:
        return drop_index(c, s0, s1, a0, a1);
    case IR_A_declare_schema_change_constraint_added: {
        if (!(t = need_table(c, s1, a1)))
            return false;
        const char *kind = sval(dict_get(a2, "kind"));
        if (!kind)
            return false;
        if (!strcmp(kind, "unique")) {
            const ir_value *cv = dict_get(a2, "columns");
            const char **l = names_of(c, cv, &n);
            if (!need_columns(c, t, l, n, cv) || !no_constraint(c, t, s0, a0))
                return false;
            ir_table_add_unique(c->s, t, s0, l, n);
        } else if (!strcmp(kind, "check")) {
            if (!no_constraint(c, t, s0, a0))
                return false;
            const char *e = sval(dict_get(a2, "expression"));
            ir_table_add_check(c->s, t, s0, e ? e : "");
        } else {
            const ir_value *lv = dict_get(a2, "local_columns"), *rv = dict_get(a2, "referred_columns");
            const ir_value *tv = dict_get(a2, "referred_table");
            size_t rn;
            const char **l = names_of(c, lv, &n), **rl = names_of(c, rv, &rn);
            if (!sval(tv))
                return false;
            return create_fk(c, t, s0, sval(tv), l, n, rl, rn,
                             fk_action(dict_get(a2, "on_delete")),
                             fk_action(dict_get(a2, "on_update")), a0, tv, lv, rv);
        }
        record(c, 'k', t->name, s0, "created");
        return true;
    }
    case IR_A_declare_schema_change_constraint_dropped:
        return (t = need_table(c, s1, a1)) && drop_constraint(c, t, s0, a0);
    case IR_A_declare_schema_change_extension_added:
        return object_added(c, IR_OBJ_EXTENSION, s0, NULL, NULL, a0);
    case IR_A_declare_schema_change_extension_dropped:
        return object_dropped(c, IR_OBJ_EXTENSION, s0, NULL, a0);
    case IR_A_declare_schema_change_enum_added: {
        if (ir_schema_enum(c->s, s0)) {
            char *what = jy_arena_printf(c->r->a, "enum type %s", s0);
            exists(c, "replay.object-exists", a0, what ? what : s0, 'e', s0, NULL);
            return false;
        }
        const char **l = names_of(c, a1, &n);
        ir_schema_add_enum(c->s, s0, l, n);
        record(c, 'e', s0, NULL, "created");
        return true;
    }
    case IR_A_declare_schema_change_enum_dropped:
        if (!ir_schema_remove_enum(c->s, s0)) {
            char *what = jy_arena_printf(c->r->a, "enum type %s", s0);
            missing(c, "replay.object-missing", a0, what ? what : s0, 'e', s0, NULL, NULL, 0);
            return false;
        }
        record(c, 'e', s0, NULL, "dropped");
        return true;
    case IR_A_declare_schema_change_enum_value_added: {
        if (!ir_schema_enum(c->s, s0)) {
            char *what = jy_arena_printf(c->r->a, "enum type %s", s0);
            missing(c, "replay.object-missing", a0, what ? what : s0, 'e', s0, NULL, NULL, 0);
            return false;
        }
        if (!ir_schema_enum_add_value(c->s, s0, s1, sval(dict_get(a2, "before")),
                                      sval(dict_get(a2, "after")))) {
            char *msg = jy_arena_printf(c->r->a,
                                        "cannot add label '%s' to enum type %s: the label "
                                        "exists or its neighbour does not",
                                        s1, s0);
            err_at(c, "replay.enum-label", a1 ? a1->start : 0, a1 ? a1->end : 0,
                   msg ? msg : "enum label");
            return false;
        }
        /* columns of that enum type see the new label (MySQL/SQLite keep
         * labels on the column) */
        ir_enum *en = ir_schema_enum(c->s, s0);
        for (size_t i = 0; en && i < c->s->ntables; i++)
            for (size_t j = 0; j < c->s->tables[i]->ncolumns; j++) {
                ir_type *ty = &c->s->tables[i]->columns[j]->type;
                if (ty->id == IR_T_ENUM && ty->enum_name && !strcmp(ty->enum_name, s0)) {
                    ty->labels = en->labels;
                    ty->nlabels = en->nlabels;
                }
            }
        return true;
    }
    case IR_A_declare_schema_change_view_added:
        return object_added(c, IR_OBJ_VIEW, s0, NULL, s1, a0);
    case IR_A_declare_schema_change_view_dropped:
        return object_dropped(c, IR_OBJ_VIEW, s0, NULL, a0);
    case IR_A_declare_schema_change_materialized_view_added:
        return object_added(c, IR_OBJ_MATVIEW, s0, NULL, s1, a0);
    case IR_A_declare_schema_change_materialized_view_dropped:
        return object_dropped(c, IR_OBJ_MATVIEW, s0, NULL, a0);
    case IR_A_declare_schema_change_trigger_added:
        return object_added(c, IR_OBJ_TRIGGER, s0, s1, s2, a1);
    case IR_A_declare_schema_change_trigger_dropped:
        return object_dropped(c, IR_OBJ_TRIGGER, s0, s1, a0);
    case IR_A_declare_schema_change_policy_added:
        return object_added(c, IR_OBJ_POLICY, s0, s1, s2, a1);
    case IR_A_declare_schema_change_policy_dropped:
        return object_dropped(c, IR_OBJ_POLICY, s0, s1, a0);
    case IR_A_declare_schema_change_sequence_added:
        return object_added(c, IR_OBJ_SEQUENCE, s0, NULL, NULL, a0);
    case IR_A_declare_schema_change_sequence_dropped:
        return object_dropped(c, IR_OBJ_SEQUENCE, s0, NULL, a0);
    case IR_A_declare_schema_change_schema_added:
        return object_added(c, IR_OBJ_SCHEMA, s0, NULL, NULL, a0);
    case IR_A_declare_schema_change_schema_dropped:
        return object_dropped(c, IR_OBJ_SCHEMA, s0, NULL, a0);
    default:
        return true;
    }
}

static bool hints(ctx *c, const ir_op *op)
{
    for (size_t i = 0; i < op->info->nparams; i++) {
        const ir_value *v = op->args[i];
        if (!v || v->kind != IR_V_LIST)
            continue;
        for (size_t j = 0; j < v->u.list.n; j++)
            if (!hint_one(c, i, v->u.list.items[j]))
                return false;
    }
    return true;
}

/* ------------------------------------------------------------ dispatch */

static bool apply_op(ctx *c, const ir_op *op)
{
    ir_table *t;
    size_t n, rn;
    switch (op->kind) {
    case IR_OP_create_table: {
        const ir_value *nv = arg(op, IR_A_create_table_name);
        const char *name = sval(nv);
        if (!name || !no_table(c, name, nv) || !(t = ir_schema_add_table(c->s, name)))
            return false;
        record(c, 't', name, NULL, "created");
        const ir_value *cols = arg(op, IR_A_create_table_columns);
        const char **pks = jy_arena_calloc(c->r->a, (cols ? cols->u.list.n : 0) + 1, sizeof *pks);
        size_t npk = 0;
        for (size_t i = 0; cols && i < cols->u.list.n; i++) {
            const ir_value *cv = cols->u.list.items[i];
            if (cv->kind != IR_V_COLUMN)
                continue;
            colspec cs;
            colspec_from_column(&cs, cv);
            if (!cs.name || !cs.type)
                continue;
            bool pk = false;
            if (!add_col(c, t, &cs, &pk))
                return false;
            if (pk && pks)
                pks[npk++] = cs.name;
        }
        const ir_value *pkv = arg(op, IR_A_create_table_primary_key);
        if (pkv) {
            const char **l = names_of(c, pkv, &n);
            if (!need_columns(c, t, l, n, pkv))
                return false;
            ir_table_set_pk(c->s, t, NULL, l, n);
        } else if (npk)
            ir_table_set_pk(c->s, t, NULL, pks, npk);
        if (sval(arg(op, IR_A_create_table_comment)))
            t->comment = jy_arena_strdup(c->s->arena, sval(arg(op, IR_A_create_table_comment)));
        return true;
    }
    case IR_OP_drop_table:
        return drop_table(c, sval(arg(op, IR_A_drop_table_name)), arg(op, IR_A_drop_table_name));
    case IR_OP_rename_table:
        return rename_table(c, sval(arg(op, IR_A_rename_table_old)),
                            sval(arg(op, IR_A_rename_table_new)), arg(op, IR_A_rename_table_old),
                            arg(op, IR_A_rename_table_new));
    case IR_OP_add_column: {
        if (!(t = op_table(c, arg(op, IR_A_add_column_table))))
            return false;
        const ir_value *tv = arg(op, IR_A_add_column_type);
        colspec cs = {.name = sval(arg(op, IR_A_add_column_name)),
                      .type = tv && tv->kind == IR_V_TYPE ? tv->u.type : NULL,
                      .nullable = arg(op, IR_A_add_column_nullable),
                      .dflt = arg(op, IR_A_add_column_default),
                      .sdflt = arg(op, IR_A_add_column_server_default),
                      .generated = arg(op, IR_A_add_column_generated),
                      .pk = arg(op, IR_A_add_column_primary_key),
                      .autoinc = arg(op, IR_A_add_column_autoincrement),
                      .unique = arg(op, IR_A_add_column_unique),
                      .comment = arg(op, IR_A_add_column_comment),
                      .at = arg(op, IR_A_add_column_name)};
        if (!cs.name || !cs.type)
            return false;
        bool pk = false;
        if (!add_col(c, t, &cs, &pk))
            return false;
        return !pk || pk_append(c, t, &cs.name, 1);
    }
    case IR_OP_drop_column:
        return (t = op_table(c, arg(op, IR_A_drop_column_table))) &&
               drop_column(c, t, sval(arg(op, IR_A_drop_column_name)),
                           arg(op, IR_A_drop_column_name));
    case IR_OP_alter_column: {
        ir_column *col;
        const ir_value *nv = arg(op, IR_A_alter_column_name);
        if (!(t = op_table(c, arg(op, IR_A_alter_column_table))) ||
            !(col = need_column(c, t, sval(nv), nv)))
            return false;
        alter_col(c, t, col, arg(op, IR_A_alter_column_type), arg(op, IR_A_alter_column_nullable),
                  arg(op, IR_A_alter_column_default), arg(op, IR_A_alter_column_server_default),
                  arg(op, IR_A_alter_column_comment), arg(op, IR_A_alter_column_type));
        record(c, 'c', t->name, col->name, "altered");
        return !c->failed;
    }
    case IR_OP_rename_column:
        return (t = op_table(c, arg(op, IR_A_rename_column_table))) &&
               rename_column(c, t, sval(arg(op, IR_A_rename_column_old)),
                             sval(arg(op, IR_A_rename_column_new)),
                             arg(op, IR_A_rename_column_old), arg(op, IR_A_rename_column_new));
    case IR_OP_create_index: {
        if (!(t = op_table(c, arg(op, IR_A_create_index_table))))
            return false;
        const ir_value *cv = arg(op, IR_A_create_index_columns);
        const char **l = names_of(c, cv, &n);
        return create_index(c, t, sval(arg(op, IR_A_create_index_name)), l, n,
                            bval(arg(op, IR_A_create_index_unique), false),
                            sval(arg(op, IR_A_create_index_where)),
                            sval(arg(op, IR_A_create_index_method)),
                            arg(op, IR_A_create_index_name), cv);
    }
    case IR_OP_drop_index:
        return drop_index(c, sval(arg(op, IR_A_drop_index_name)),
                          sval(arg(op, IR_A_drop_index_table)), arg(op, IR_A_drop_index_name),
                          arg(op, IR_A_drop_index_table));
    case IR_OP_create_unique_constraint: {
        if (!(t = op_table(c, arg(op, IR_A_create_unique_constraint_table))))
            return false;
        const ir_value *cv = arg(op, IR_A_create_unique_constraint_columns);
        const ir_value *nv = arg(op, IR_A_create_unique_constraint_name);
        const char **l = names_of(c, cv, &n);
        if (!need_columns(c, t, l, n, cv) || !no_constraint(c, t, sval(nv), nv))
            return false;
        ir_table_add_unique(c->s, t, sval(nv), l, n);
        record(c, 'k', t->name, sval(nv), "created");
        return true;
    }
    case IR_OP_create_check_constraint: {
        if (!(t = op_table(c, arg(op, IR_A_create_check_constraint_table))))
            return false;
        const ir_value *nv = arg(op, IR_A_create_check_constraint_name);
        if (!no_constraint(c, t, sval(nv), nv))
            return false;
        ir_table_add_check(c->s, t, sval(nv), sval(arg(op, IR_A_create_check_constraint_condition)));
        record(c, 'k', t->name, sval(nv), "created");
        return true;
    }
    case IR_OP_create_foreign_key: {
        if (!(t = op_table(c, arg(op, IR_A_create_foreign_key_source_table))))
            return false;
        const ir_value *cv = arg(op, IR_A_create_foreign_key_source_cols);
        const ir_value *rv = arg(op, IR_A_create_foreign_key_ref_cols);
        const char **l = names_of(c, cv, &n), **rl = names_of(c, rv, &rn);
        return create_fk(c, t, sval(arg(op, IR_A_create_foreign_key_name)),
                         sval(arg(op, IR_A_create_foreign_key_ref_table)), l, n, rl, rn,
                         fk_action(arg(op, IR_A_create_foreign_key_on_delete)),
                         fk_action(arg(op, IR_A_create_foreign_key_on_update)),
                         arg(op, IR_A_create_foreign_key_name),
                         arg(op, IR_A_create_foreign_key_ref_table), cv, rv);
    }
    case IR_OP_drop_constraint:
        return (t = op_table(c, arg(op, IR_A_drop_constraint_table))) &&
               drop_constraint(c, t, sval(arg(op, IR_A_drop_constraint_name)),
                               arg(op, IR_A_drop_constraint_name));
    case IR_OP_backfill:
        return backfill(c, op);
    case IR_OP_bulk_insert:
        return bulk_insert(c, op);
    case IR_OP_declare_schema_change:
        return hints(c, op);
    default: /* execute: opaque */
        return true;
    }
}

int ir_replay_apply(ir_replayer *r, const ir_migration *m, const ir_op *op, jy_diags *diags)
{
    if (!ir_op_for_dialect(m, op, r->d))
        return 0;
    /* applied in place: every check runs before the op changes anything,
     * except in declare_schema_change lists and create_table columns,
     * where an error after the first item leaves the earlier ones applied
     * (replay stops at the first error anyway) */
    ctx c = {.r = r, .s = r->s, .m = m, .op = op, .diags = diags};
    bool ok = apply_op(&c, op) && !c.failed;
    if (jy_arena_failed(r->s->arena)) {
        jy_diag_where(diags, JY_SEV_ERROR, JY_EXIT_ERROR, "replay.memory", m->id,
                      "out of memory during replay");
        return -1;
    }
    if (!ok) {
        if (!c.failed)
            err_at(&c, "replay.failed", 0, 0, "this op cannot be replayed");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ ordering */

/* The position of the migration with that id in p->migs (sorted by id), or
 * p->n when none. */
static size_t mig_index(const ir_program *p, const char *id)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->migs[mid]->id, id);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return p->n;
}

/* A binary min-heap of migration positions: the ready set of the
 * topological sort (the smallest id first). */
static void heap_push(size_t *h, size_t *n, size_t v)
{
    size_t i = (*n)++;
    while (i > 0 && h[(i - 1) / 2] > v) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = v;
}

static size_t heap_pop(size_t *h, size_t *n)
{
    size_t top = h[0], v = h[--*n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1] < h[c])
            c++;
        if (h[c] >= v)
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n)
        h[i] = v;
    return top;
}

/* A member of a migration group: the group's name and the position. */
typedef struct gmember {
    const char *group;
    size_t at;
} gmember;

static int by_group(const void *a, const void *b)
{
    const gmember *x = a, *y = b;
    int c = strcmp(x->group, y->group);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* The members of group `name` in g[0..n) (sorted by_group): [*lo, *hi). */
static void group_range(const gmember *g, size_t n, const char *name, size_t *lo, size_t *hi)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (strcmp(g[mid].group, name) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (a < n && strcmp(g[a].group, name) == 0)
        a++;
    *hi = a;
}

/*
 * Visit the edges into migration i (dep -> i): fn(j, i) for each.  A
 * "group:<name>" entry stands for every other member of the group; an id
 * that names no migration (or i itself) has no edge.
 */
static void edges_into(const ir_program *p, size_t i, const gmember *g, size_t ng,
                       void (*fn)(void *ctx, size_t from, size_t to), void *gctx)
{
    const ir_migration *m = p->migs[i];
    for (size_t k = 0; k < m->ndepends; k++) {
        const char *dep = m->depends_on[k];
        if (strncmp(dep, "group:", 6) == 0) {
            size_t lo, hi;
            group_range(g, ng, dep + 6, &lo, &hi);
            for (size_t q = lo; q < hi; q++)
                if (g[q].at != i)
                    fn(gctx, g[q].at, i);
        } else {
            size_t j = mig_index(p, dep);
            if (j < p->n && strcmp(dep, m->id) != 0)
                fn(gctx, j, i);
        }
    }
}

typedef struct graph {
    size_t *first; /* CSR: the edges out of j are to[first[j] .. first[j + 1]) */
    size_t *to;
    size_t *indeg;
} graph;

static void count_edge(void *gctx, size_t from, size_t to)
{
    graph *gr = gctx;
    gr->first[from + 1]++;
    gr->indeg[to]++;
}

static void fill_edge(void *gctx, size_t from, size_t to)
{
    graph *gr = gctx;
    gr->to[gr->first[from]++] = to;
}

/*
 * Kahn's algorithm on the depends_on graph, the ready migration with the
 * smallest id first (p->migs is sorted by id): linear in migrations and
 * edges, plus a sort of the group members.
 */
int ir_replay_order(const ir_program *p, ir_dialect d, ir_migration ***out, size_t *nout,
                    jy_diags *diags)
{
    *out = NULL;
    *nout = 0;
    size_t n = p->n;
    ir_migration **res = calloc(n + 1, sizeof *res);
    bool *done = calloc(n + 1, sizeof *done);
    gmember *g = calloc(n + 1, sizeof *g);
    size_t *heap = calloc(n + 1, sizeof *heap);
    graph gr = {.first = calloc(n + 2, sizeof(size_t)), .indeg = calloc(n + 1, sizeof(size_t))};
    size_t ng = 0;
    int rc = -1;
    if (!res || !done || !g || !heap || !gr.first || !gr.indeg)
        goto out;
    for (size_t j = 0; j < n; j++)
        if (p->migs[j]->group)
            g[ng++] = (gmember){p->migs[j]->group, j};
    if (ng > 1)
        qsort(g, ng, sizeof *g, by_group);
    /* edges: dep -> m.  indeg counts the unresolved dependencies of m. */
    for (size_t i = 0; i < n; i++)
        edges_into(p, i, g, ng, count_edge, &gr);
    for (size_t j = 0; j < n; j++)
        gr.first[j + 1] += gr.first[j];
    gr.to = calloc(gr.first[n] + 1, sizeof *gr.to);
    if (!gr.to)
        goto out;
    for (size_t i = 0; i < n; i++)
        edges_into(p, i, g, ng, fill_edge, &gr);
    /* fill_edge advanced first[j] to the end of j's edges: shift back */
    for (size_t j = n; j > 0; j--)
        gr.first[j] = gr.first[j - 1];
    gr.first[0] = 0;
    size_t nh = 0, k = 0;
    for (size_t i = 0; i < n; i++)
        if (gr.indeg[i] == 0)
            heap_push(heap, &nh, i);
    while (nh) {
        size_t pick = heap_pop(heap, &nh);
        done[pick] = true;
        res[k++] = p->migs[pick];
        for (size_t e = gr.first[pick]; e < gr.first[pick + 1]; e++) {
            size_t i = gr.to[e];
            if (!done[i] && --gr.indeg[i] == 0)
                heap_push(heap, &nh, i);
        }
    }
    rc = 0;
    if (k < n) {
        for (size_t i = 0; i < n; i++)
            if (!done[i]) {
                const ir_migration *m = p->migs[i];
                jy_diag_at(diags, JY_SEV_ERROR, JY_EXIT_ERROR, "replay.cycle", m->src,
                           m->ndepends ? m->depends_pos[0] : m->start,
                           m->ndepends ? m->depends_pos[0] + 1 : m->end,
                           "migration %s is part of a depends_on cycle", m->id);
                break;
            }
        rc = -1;
    }
    /* keep only the migrations compiled for d */
    size_t w = 0;
    for (size_t i = 0; i < k; i++)
        if (res[i]->dialects & IR_DMASK(d))
            res[w++] = res[i];
    if (rc == 0) {
        *out = res;
        *nout = w;
        res = NULL;
    }
out:
    free(res);
    free(done);
    free(g);
    free(heap);
    free(gr.first);
    free(gr.to);
    free(gr.indeg);
    return rc;
}

/* ------------------------------------------------------------ program */

void ir_replay_not_a_target(const ir_program *p, ir_dialect d, jy_diags *diags)
{
    char names[128] = "";
    for (int k = 0; k < IR_D__COUNT; k++)
        if (p->targets & IR_DMASK((ir_dialect)k)) {
            size_t l = strlen(names);
            snprintf(names + l, sizeof names - l, "%s%s", l ? ", " : "",
                     ir_dialect_name((ir_dialect)k));
        }
    jy_diag *g = jy_diag_where(diags, JY_SEV_ERROR, JY_EXIT_ERROR, "replay.not-a-target", NULL,
                               "the migrations were compiled for %s, not for %s", names,
                               ir_dialect_name(d));
    if (g)
        jy_diag_hint(g, "add %s to [dialects] targets in joryu.toml", ir_dialect_name(d));
}

static int replay_all(const ir_program *p, ir_dialect d, ir_replay_visit fn, void *vctx,
                      const char *upto, ir_schema **final, jy_diags *diags)
{
    if (p->targets && !(p->targets & IR_DMASK(d))) {
        ir_replay_not_a_target(p, d, diags);
        return -1;
    }
    ir_migration **order;
    size_t n;
    if (ir_replay_order(p, d, &order, &n, diags))
        return -1;
    ir_replayer *r = ir_replay_new(d);
    /* with a visitor, a second replayer one op behind gives the schema
     * before each op: replaying the op twice costs the op, where a copy of
     * the schema per op cost the whole schema */
    ir_replayer *lag = fn ? ir_replay_new(d) : NULL;
    jy_diags quiet;
    jy_diags_init(&quiet);
    if (!r || (fn && !lag)) {
        ir_replay_free(r);
        ir_replay_free(lag);
        free(order);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const ir_migration *m = order[i];
        for (size_t j = 0; j < m->nops && rc == 0; j++) {
            const ir_op *op = m->ops[j];
            if (!ir_op_for_dialect(m, op, d))
                continue;
            if (ir_replay_apply(r, m, op, diags)) {
                rc = -1;
                break;
            }
            if (!fn)
                continue;
            rc = fn(vctx, m, op, lag->s, r->s);
            /* the op applied to the same schema applies again; should it
             * not, the lagging schema becomes a copy */
            if (rc == 0 && ir_replay_apply(lag, m, op, &quiet) && ir_replay_reset(lag, r->s))
                rc = -1;
        }
        if (rc == 0 && fn)
            rc = fn(vctx, m, NULL, r->s, r->s);
        if (upto && strcmp(m->id, upto) == 0)
            break;
    }
    if (rc == 0 && final) {
        *final = ir_schema_clone(r->s, NULL);
        if (!*final)
            rc = -1;
    }
    ir_replay_free(r);
    ir_replay_free(lag);
    jy_diags_free(&quiet);
    free(order);
    return rc;
}

int ir_replay(const ir_program *p, ir_dialect d, ir_replay_visit fn, void *vctx, jy_diags *diags)
{
    return replay_all(p, d, fn, vctx, NULL, NULL, diags);
}

ir_schema *ir_replay_schema(const ir_program *p, ir_dialect d, const char *upto, jy_diags *diags)
{
    ir_schema *s = NULL;
    if (replay_all(p, d, NULL, NULL, upto, &s, diags))
        return NULL;
    return s;
}
