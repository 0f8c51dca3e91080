/* schema.c - the schema model: construction, editing, copying, and the
 * per-dialect normalization of types and defaults (ir.h, "schema model").
 * Comparison is in schema_cmp.c, JSON in schema_json.c. */
#include "ir.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

static const char *sdup(ir_schema *s, const char *p)
{
    return p ? jy_arena_strdup(s->arena, p) : NULL;
}

static const char **sdup_list(ir_schema *s, const char *const *v, size_t n)
{
    if (n == 0)
        return NULL;
    const char **out = jy_arena_calloc(s->arena, n, sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = sdup(s, v[i]);
    return out;
}

/* The capacity of an arena array of n pointers is at least cap_of(n):
 * arrays grow 4, 8, 16, ...  (after removals the real capacity may be
 * larger, which only means an early grow). */
static size_t cap_of(size_t n)
{
    if (n == 0)
        return 0;
    size_t c = 4;
    while (c < n)
        c *= 2;
    return c;
}

/* Append p to the arena array *v of *n pointers. */
static bool push(jy_arena *a, void ***v, size_t *n, void *p)
{
    size_t cap = *v ? cap_of(*n) : 0;
    if (*n == cap) {
        void **nv = jy_arena_grow(a, *v, *n, cap ? cap * 2 : 4, sizeof(void *));
        if (!nv)
            return false;
        *v = nv;
    }
    (*v)[(*n)++] = p;
    return true;
}
#define PUSH(a, arr, n, p) push((a), (void ***)&(arr), &(n), (p))

/* Remove element i of a pointer array, keeping order. */
static void remove_at(void **v, size_t *n, size_t i)
{
    memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof *v);
    (*n)--;
}
#define REMOVE_AT(arr, n, i) remove_at((void **)(arr), &(n), (i))

static bool streq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool list_has(const char *const *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (streq(v[i], name))
            return true;
    return false;
}

/* ------------------------------------------------------------- schema */

ir_schema *ir_schema_new(jy_arena *a)
{
    bool own = a == NULL;
    if (own && !(a = jy_arena_new()))
        return NULL;
    ir_schema *s = jy_arena_alloc(a, sizeof *s);
    if (!s) {
        if (own)
            jy_arena_free(a);
        return NULL;
    }
    s->arena = a;
    s->owns_arena = own;
    return s;
}

void ir_schema_free(ir_schema *s)
{
    if (s && s->owns_arena)
        jy_arena_free(s->arena);
}

static const char *const obj_names[IR_OBJ__COUNT] = {
    "extension", "view", "materialized_view", "trigger", "policy", "sequence", "schema"};

const char *ir_obj_kind_name(ir_obj_kind k)
{
    return (unsigned)k < IR_OBJ__COUNT ? obj_names[k] : "?";
}

static const char *const fk_names[] = {"NO ACTION", "RESTRICT", "CASCADE", "SET NULL",
                                       "SET DEFAULT"};

const char *ir_fk_action_name(ir_fk_action a)
{
    return (unsigned)a < JY_COUNTOF(fk_names) ? fk_names[a] : "NO ACTION";
}

bool ir_fk_action_parse(const char *s, ir_fk_action *out)
{
    char buf[32];
    size_t n = 0;
    for (; *s && n + 1 < sizeof buf; s++)
        buf[n++] = *s == '_' ? ' ' : (char)toupper((unsigned char)*s);
    buf[n] = 0;
    for (size_t i = 0; i < JY_COUNTOF(fk_names); i++)
        if (strcmp(buf, fk_names[i]) == 0) {
            *out = (ir_fk_action)i;
            return true;
        }
    /* PostgreSQL's pg_constraint codes */
    if (n == 1) {
        static const char codes[] = "arcnd";
        const char *p = strchr(codes, buf[0] | 0x20);
        if (p) {
            *out = (ir_fk_action)(p - codes);
            return true;
        }
    }
    return false;
}

const char *ir_identity_name(ir_identity i)
{
    switch (i) {
    case IR_IDENT_AUTO: return "auto";
    case IR_IDENT_ALWAYS: return "always";
    case IR_IDENT_BY_DEFAULT: return "by_default";
    default: return "none";
    }
}

/* -------------------------------------------------------------- tables */

ir_table *ir_schema_table(const ir_schema *s, const char *name)
{
    for (size_t i = 0; i < s->ntables; i++)
        if (streq(s->tables[i]->name, name))
            return s->tables[i];
    return NULL;
}

ir_table *ir_schema_add_table(ir_schema *s, const char *name)
{
    if (!name || ir_schema_table(s, name))
        return NULL;
    ir_table *t = jy_arena_alloc(s->arena, sizeof *t);
    if (!t || !(t->name = sdup(s, name)) || !PUSH(s->arena, s->tables, s->ntables, t))
        return NULL;
    return t;
}

bool ir_schema_remove_table(ir_schema *s, const char *name)
{
    for (size_t i = 0; i < s->ntables; i++)
        if (streq(s->tables[i]->name, name)) {
            REMOVE_AT(s->tables, s->ntables, i);
            /* its triggers and policies go with it */
            for (size_t j = s->nobjects; j-- > 0;)
                if (streq(s->objects[j]->table, name))
                    REMOVE_AT(s->objects, s->nobjects, j);
            return true;
        }
    return false;
}

bool ir_schema_rename_table(ir_schema *s, const char *from, const char *to)
{
    ir_table *t = ir_schema_table(s, from);
    if (!t || !to || ir_schema_table(s, to))
        return false;
    const char *old = t->name;
    const char *nn = sdup(s, to);
    if (!nn)
        return false;
    for (size_t i = 0; i < s->ntables; i++) {
        ir_table *u = s->tables[i];
        for (size_t j = 0; j < u->nfkeys; j++)
            if (streq(u->fkeys[j]->ref_table, old))
                u->fkeys[j]->ref_table = nn;
    }
    for (size_t j = 0; j < s->nobjects; j++)
        if (streq(s->objects[j]->table, old))
            s->objects[j]->table = nn;
    t->name = nn;
    return true;
}

/* ------------------------------------------------------------- columns */

ir_column *ir_table_column(const ir_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (streq(t->columns[i]->name, name))
            return t->columns[i];
    return NULL;
}

/* Deep-copy a type into the arena. */
static bool copy_type(jy_arena *a, ir_type *dst, const ir_type *src)
{
    *dst = *src;
    if (src->nlabels) {
        dst->labels = jy_arena_calloc(a, src->nlabels, sizeof *dst->labels);
        if (!dst->labels)
            return false;
        for (size_t i = 0; i < src->nlabels; i++)
            if (!(dst->labels[i] = jy_arena_strdup(a, src->labels[i])))
                return false;
    }
    if (src->enum_name && !(dst->enum_name = jy_arena_strdup(a, src->enum_name)))
        return false;
    if (src->dialect_type && !(dst->dialect_type = jy_arena_strdup(a, src->dialect_type)))
        return false;
    if (src->inner) {
        ir_type *in = jy_arena_alloc(a, sizeof *in);
        if (!in || !copy_type(a, in, src->inner))
            return false;
        dst->inner = in;
    }
    return true;
}

ir_column *ir_table_add_column(ir_schema *s, ir_table *t, const char *name, const ir_type *type)
{
    if (!name || ir_table_column(t, name))
        return NULL;
    ir_column *c = jy_arena_alloc(s->arena, sizeof *c);
    if (!c || !(c->name = sdup(s, name)))
        return NULL;
    if (type) {
        if (!copy_type(s->arena, &c->type, type))
            return NULL;
    } else {
        c->type.id = IR_T_TEXT;
        c->type.length = c->type.precision = c->type.scale = -1;
    }
    c->nullable = true;
    if (!PUSH(s->arena, t->columns, t->ncolumns, c))
        return NULL;
    return c;
}

bool ir_table_remove_column(ir_schema *s, ir_table *t, const char *name)
{
    (void)s;
    size_t i;
    for (i = 0; i < t->ncolumns; i++)
        if (streq(t->columns[i]->name, name))
            break;
    if (i == t->ncolumns)
        return false;
    REMOVE_AT(t->columns, t->ncolumns, i);
    for (size_t j = t->npk; j-- > 0;)
        if (streq(t->pk[j], name)) {
            memmove(&t->pk[j], &t->pk[j + 1], (t->npk - j - 1) * sizeof *t->pk);
            t->npk--;
        }
    if (t->npk == 0)
        t->pk_name = NULL;
    for (size_t j = t->nindexes; j-- > 0;)
        if (list_has(t->indexes[j]->columns, t->indexes[j]->ncolumns, name))
            REMOVE_AT(t->indexes, t->nindexes, j);
    for (size_t j = t->nuniques; j-- > 0;)
        if (list_has(t->uniques[j]->columns, t->uniques[j]->ncolumns, name))
            REMOVE_AT(t->uniques, t->nuniques, j);
    for (size_t j = t->nfkeys; j-- > 0;)
        if (list_has(t->fkeys[j]->columns, t->fkeys[j]->ncolumns, name))
            REMOVE_AT(t->fkeys, t->nfkeys, j);
    return true;
}

static void rename_in(const char **v, size_t n, const char *from, const char *to)
{
    for (size_t i = 0; i < n; i++)
        if (streq(v[i], from))
            v[i] = to;
}

bool ir_table_rename_column(ir_schema *s, ir_table *t, const char *from, const char *to)
{
    ir_column *c = ir_table_column(t, from);
    if (!c || !to || ir_table_column(t, to))
        return false;
    const char *nn = sdup(s, to);
    if (!nn)
        return false;
    rename_in(t->pk, t->npk, from, nn);
    for (size_t j = 0; j < t->nindexes; j++)
        rename_in(t->indexes[j]->columns, t->indexes[j]->ncolumns, from, nn);
    for (size_t j = 0; j < t->nuniques; j++)
        rename_in(t->uniques[j]->columns, t->uniques[j]->ncolumns, from, nn);
    for (size_t j = 0; j < t->nfkeys; j++)
        rename_in(t->fkeys[j]->columns, t->fkeys[j]->ncolumns, from, nn);
    for (size_t i = 0; i < s->ntables; i++) {
        ir_table *u = s->tables[i];
        for (size_t j = 0; j < u->nfkeys; j++)
            if (streq(u->fkeys[j]->ref_table, t->name))
                rename_in(u->fkeys[j]->ref_columns, u->fkeys[j]->nref_columns, from, nn);
    }
    c->name = nn;
    return true;
}

bool ir_table_set_pk(ir_schema *s, ir_table *t, const char *name, const char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ir_table_column(t, cols[i]))
            return false;
    const char **v = sdup_list(s, cols, n);
    if (n && !v)
        return false;
    t->pk = v;
    t->npk = n;
    t->pk_name = n ? sdup(s, name) : NULL;
    for (size_t i = 0; i < n; i++)
        ir_table_column(t, cols[i])->nullable = false;
    return true;
}

/* ------------------------------------------------------------- indexes */

ir_index *ir_table_index(const ir_table *t, const char *name)
{
    for (size_t i = 0; i < t->nindexes; i++)
        if (streq(t->indexes[i]->name, name))
            return t->indexes[i];
    return NULL;
}

ir_index *ir_schema_index(const ir_schema *s, const char *name, ir_table **table_out)
{
    for (size_t i = 0; i < s->ntables; i++) {
        ir_index *x = ir_table_index(s->tables[i], name);
        if (x) {
            if (table_out)
                *table_out = s->tables[i];
            return x;
        }
    }
    return NULL;
}

ir_index *ir_table_add_index(ir_schema *s, ir_table *t, const char *name, bool unique,
                             const char *const *cols, size_t n, const char *where,
                             const char *method)
{
    if (!name || ir_table_index(t, name))
        return NULL;
    ir_index *x = jy_arena_alloc(s->arena, sizeof *x);
    if (!x || !(x->name = sdup(s, name)))
        return NULL;
    x->unique = unique;
    x->columns = sdup_list(s, cols, n);
    x->ncolumns = n;
    x->where = sdup(s, where);
    x->method = sdup(s, method);
    if (!PUSH(s->arena, t->indexes, t->nindexes, x))
        return NULL;
    return x;
}

bool ir_table_remove_index(ir_table *t, const char *name)
{
    for (size_t i = 0; i < t->nindexes; i++)
        if (streq(t->indexes[i]->name, name)) {
            REMOVE_AT(t->indexes, t->nindexes, i);
            return true;
        }
    return false;
}

bool ir_table_rename_index(ir_schema *s, ir_table *t, const char *from, const char *to)
{
    ir_index *x = ir_table_index(t, from);
    if (!x || !to || ir_table_index(t, to))
        return false;
    const char *nn = sdup(s, to);
    if (!nn)
        return false;
    x->name = nn;
    return true;
}

/* --------------------------------------------------------- constraints */

const char *ir_table_constraint_kind(const ir_table *t, const char *name)
{
    if (!name)
        return NULL;
    if (t->npk && streq(t->pk_name, name))
        return "primary_key";
    for (size_t i = 0; i < t->nuniques; i++)
        if (streq(t->uniques[i]->name, name))
            return "unique";
    for (size_t i = 0; i < t->nfkeys; i++)
        if (streq(t->fkeys[i]->name, name))
            return "fk";
    for (size_t i = 0; i < t->nchecks; i++)
        if (streq(t->checks[i]->name, name))
            return "check";
    return NULL;
}

ir_unique *ir_table_add_unique(ir_schema *s, ir_table *t, const char *name,
                               const char *const *cols, size_t n)
{
    if (ir_table_constraint_kind(t, name))
        return NULL;
    ir_unique *u = jy_arena_alloc(s->arena, sizeof *u);
    if (!u)
        return NULL;
    u->name = sdup(s, name);
    u->columns = sdup_list(s, cols, n);
    u->ncolumns = n;
    if (!PUSH(s->arena, t->uniques, t->nuniques, u))
        return NULL;
    return u;
}

ir_fkey *ir_table_add_fkey(ir_schema *s, ir_table *t, const char *name, const char *const *cols,
                           size_t n, const char *ref_table, const char *const *ref_cols,
                           size_t nref, ir_fk_action on_delete, ir_fk_action on_update)
{
    if (ir_table_constraint_kind(t, name))
        return NULL;
    ir_fkey *f = jy_arena_alloc(s->arena, sizeof *f);
    if (!f)
        return NULL;
    f->name = sdup(s, name);
    f->columns = sdup_list(s, cols, n);
    f->ncolumns = n;
    f->ref_table = sdup(s, ref_table);
    f->ref_columns = sdup_list(s, ref_cols, nref);
    f->nref_columns = nref;
    f->on_delete = on_delete;
    f->on_update = on_update;
    if (!PUSH(s->arena, t->fkeys, t->nfkeys, f))
        return NULL;
    return f;
}

ir_check *ir_table_add_check(ir_schema *s, ir_table *t, const char *name, const char *expr)
{
    if (ir_table_constraint_kind(t, name))
        return NULL;
    ir_check *c = jy_arena_alloc(s->arena, sizeof *c);
    if (!c)
        return NULL;
    c->name = sdup(s, name);
    c->expr = sdup(s, expr);
    if (!PUSH(s->arena, t->checks, t->nchecks, c))
        return NULL;
    return c;
}

bool ir_table_remove_constraint(ir_table *t, const char *name)
{
    if (!name)
        return false;
    if (t->npk && streq(t->pk_name, name)) {
        t->npk = 0;
        t->pk = NULL;
        t->pk_name = NULL;
        return true;
    }
    for (size_t i = 0; i < t->nuniques; i++)
        if (streq(t->uniques[i]->name, name)) {
            REMOVE_AT(t->uniques, t->nuniques, i);
            return true;
        }
    for (size_t i = 0; i < t->nfkeys; i++)
        if (streq(t->fkeys[i]->name, name)) {
            REMOVE_AT(t->fkeys, t->nfkeys, i);
            return true;
        }
    for (size_t i = 0; i < t->nchecks; i++)
        if (streq(t->checks[i]->name, name)) {
            REMOVE_AT(t->checks, t->nchecks, i);
            return true;
        }
    return false;
}

bool ir_table_rename_constraint(ir_schema *s, ir_table *t, const char *from, const char *to)
{
    if (!from || !to || !ir_table_constraint_kind(t, from) || ir_table_constraint_kind(t, to))
        return false;
    const char *nn = sdup(s, to);
    if (!nn)
        return false;
    if (t->npk && streq(t->pk_name, from)) {
        t->pk_name = nn;
        return true;
    }
    for (size_t i = 0; i < t->nuniques; i++)
        if (streq(t->uniques[i]->name, from)) {
            t->uniques[i]->name = nn;
            return true;
        }
    for (size_t i = 0; i < t->nfkeys; i++)
        if (streq(t->fkeys[i]->name, from)) {
            t->fkeys[i]->name = nn;
            return true;
        }
    for (size_t i = 0; i < t->nchecks; i++)
        if (streq(t->checks[i]->name, from)) {
            t->checks[i]->name = nn;
            return true;
        }
    return false;
}

/* ------------------------------------------------------ enums, objects */

ir_enum *ir_schema_enum(const ir_schema *s, const char *name)
{
    for (size_t i = 0; i < s->nenums; i++)
        if (streq(s->enums[i]->name, name))
            return s->enums[i];
    return NULL;
}

ir_enum *ir_schema_add_enum(ir_schema *s, const char *name, const char *const *labels, size_t n)
{
    if (!name || ir_schema_enum(s, name))
        return NULL;
    ir_enum *e = jy_arena_alloc(s->arena, sizeof *e);
    if (!e || !(e->name = sdup(s, name)))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *l = sdup(s, labels[i]);
        if (!l || !PUSH(s->arena, e->labels, e->nlabels, (void *)l))
            return NULL;
    }
    if (!PUSH(s->arena, s->enums, s->nenums, e))
        return NULL;
    return e;
}

bool ir_schema_remove_enum(ir_schema *s, const char *name)
{
    for (size_t i = 0; i < s->nenums; i++)
        if (streq(s->enums[i]->name, name)) {
            REMOVE_AT(s->enums, s->nenums, i);
            return true;
        }
    return false;
}

bool ir_schema_enum_add_value(ir_schema *s, const char *name, const char *label,
                              const char *before, const char *after)
{
    ir_enum *e = ir_schema_enum(s, name);
    if (!e || !label || list_has(e->labels, e->nlabels, label))
        return false;
    size_t at = e->nlabels;
    const char *nb = before ? before : after;
    if (nb) {
        size_t i;
        for (i = 0; i < e->nlabels; i++)
            if (streq(e->labels[i], nb))
                break;
        if (i == e->nlabels)
            return false;
        at = before ? i : i + 1;
    }
    const char *l = sdup(s, label);
    if (!l || !PUSH(s->arena, e->labels, e->nlabels, (void *)l))
        return false;
    memmove(&e->labels[at + 1], &e->labels[at], (e->nlabels - 1 - at) * sizeof *e->labels);
    e->labels[at] = l;
    return true;
}

ir_object *ir_schema_object(const ir_schema *s, ir_obj_kind k, const char *name, const char *table)
{
    for (size_t i = 0; i < s->nobjects; i++) {
        ir_object *o = s->objects[i];
        if (o->kind == k && streq(o->name, name) &&
            ((k != IR_OBJ_TRIGGER && k != IR_OBJ_POLICY) || streq(o->table, table)))
            return o;
    }
    return NULL;
}

ir_object *ir_schema_add_object(ir_schema *s, ir_obj_kind k, const char *name, const char *table,
                                const char *sql)
{
    if (!name || ir_schema_object(s, k, name, table))
        return NULL;
    ir_object *o = jy_arena_alloc(s->arena, sizeof *o);
    if (!o || !(o->name = sdup(s, name)))
        return NULL;
    o->kind = k;
    o->table = sdup(s, table);
    o->sql = sdup(s, sql);
    if (!PUSH(s->arena, s->objects, s->nobjects, o))
        return NULL;
    return o;
}

bool ir_schema_remove_object(ir_schema *s, ir_obj_kind k, const char *name, const char *table)
{
    ir_object *o = ir_schema_object(s, k, name, table);
    if (!o)
        return false;
    for (size_t i = 0; i < s->nobjects; i++)
        if (s->objects[i] == o) {
            REMOVE_AT(s->objects, s->nobjects, i);
            break;
        }
    return true;
}

/* ---------------------------------------------------------------- clone */

ir_schema *ir_schema_clone(const ir_schema *src, jy_arena *a)
{
    ir_schema *s = ir_schema_new(a);
    if (!s)
        return NULL;
    for (size_t i = 0; i < src->ntables; i++) {
        const ir_table *st = src->tables[i];
        ir_table *t = ir_schema_add_table(s, st->name);
        if (!t)
            goto fail;
        t->comment = sdup(s, st->comment);
        for (size_t j = 0; j < st->ncolumns; j++) {
            const ir_column *sc = st->columns[j];
            ir_column *c = ir_table_add_column(s, t, sc->name, &sc->type);
            if (!c)
                goto fail;
            c->nullable = sc->nullable;
            c->def.kind = sc->def.kind;
            c->def.text = sdup(s, sc->def.text);
            c->generated = sdup(s, sc->generated);
            c->generated_virtual = sc->generated_virtual;
            c->identity = sc->identity;
            c->comment = sdup(s, sc->comment);
            c->db_type = sdup(s, sc->db_type);
        }
        t->pk = sdup_list(s, st->pk, st->npk);
        t->npk = st->npk;
        t->pk_name = sdup(s, st->pk_name);
        for (size_t j = 0; j < st->nuniques; j++)
            if (!ir_table_add_unique(s, t, st->uniques[j]->name, st->uniques[j]->columns,
                                     st->uniques[j]->ncolumns))
                goto fail;
        for (size_t j = 0; j < st->nindexes; j++) {
            const ir_index *x = st->indexes[j];
            if (!ir_table_add_index(s, t, x->name, x->unique, x->columns, x->ncolumns, x->where,
                                    x->method))
                goto fail;
        }
        for (size_t j = 0; j < st->nfkeys; j++) {
            const ir_fkey *f = st->fkeys[j];
            if (!ir_table_add_fkey(s, t, f->name, f->columns, f->ncolumns, f->ref_table,
                                   f->ref_columns, f->nref_columns, f->on_delete, f->on_update))
                goto fail;
        }
        for (size_t j = 0; j < st->nchecks; j++) {
            ir_check *c = jy_arena_alloc(s->arena, sizeof *c);
            if (!c)
                goto fail;
            c->name = sdup(s, st->checks[j]->name);
            c->expr = sdup(s, st->checks[j]->expr);
            if (!PUSH(s->arena, t->checks, t->nchecks, c))
                goto fail;
        }
    }
    for (size_t i = 0; i < src->nenums; i++)
        if (!ir_schema_add_enum(s, src->enums[i]->name, src->enums[i]->labels,
                                src->enums[i]->nlabels))
            goto fail;
    for (size_t i = 0; i < src->nobjects; i++) {
        const ir_object *o = src->objects[i];
        if (!ir_schema_add_object(s, o->kind, o->name, o->table, o->sql))
            goto fail;
    }
    if (jy_arena_failed(s->arena))
        goto fail;
    return s;
fail:
    ir_schema_free(s);
    return NULL;
}
