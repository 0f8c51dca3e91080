/*
 * effects.c - what each op reads and writes (issue 5, docs/SPEC.md
 * "Effects"): normalized targets derived from the op's arguments and the
 * schema replayed up to the op, the stable string form the bundle stores,
 * and its parser.
 */
#include <stdlib.h>
#include <string.h>

#include "ir.h"

static const char *const verb_names[IR_EFF__COUNT] = {
    "read", "write", "create", "drop", "alter", "rename", "opaque",
};

static const char *const kind_names[IR_EK__COUNT] = {
    "table",  "column",   "index",    "constraint", "rows",   "enum",   "extension",
    "view",   "materialized_view", "trigger", "policy", "sequence", "schema", "sql",
};

const char *ir_eff_verb_name(ir_eff_verb v)
{
    return (unsigned)v < IR_EFF__COUNT ? verb_names[v] : "?";
}

const char *ir_eff_kind_name(ir_eff_kind k)
{
    return (unsigned)k < IR_EK__COUNT ? kind_names[k] : "?";
}

/* ------------------------------------------------------------ collector */

/* The effects of the migration being computed (malloc'd, reused). */
typedef struct collector {
    ir_effect *v;
    size_t n, cap;
    jy_arena *a;         /* where copied names go */
    bool oom;
    /* the op being looked at */
    const ir_migration *m;
    const ir_op *op;
    uint32_t step;
    ir_dmask dialects;
    /* every table and column name the history created so far (keys
     * "t\x1f<table>" and "c\x1f<table>\x1f<column>"): SQL text is matched
     * against it, so a column mentioned under a name a concurrent
     * migration renamed or dropped is still seen */
    char **names;
    size_t nnames, capnames;
    jy_buf key;
} collector;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

/* The slot of key in the open-addressing set (empty or equal). */
static size_t names_slot(char **v, size_t cap, const char *key)
{
    size_t j = hash_str(key) & (cap - 1);
    while (v[j] && strcmp(v[j], key) != 0)
        j = (j + 1) & (cap - 1);
    return j;
}

static const char *name_key(collector *c, char tag, const char *table, const char *col)
{
    jy_buf_reset(&c->key);
    jy_buf_putc(&c->key, tag);
    jy_buf_putc(&c->key, '\x1f');
    jy_buf_puts(&c->key, table);
    if (col) {
        jy_buf_putc(&c->key, '\x1f');
        jy_buf_puts(&c->key, col);
    }
    return c->key.data ? c->key.data : "";
}

static void names_add(collector *c, char tag, const char *table, const char *col)
{
    if (!table || (tag == 'c' && !col))
        return;
    if ((c->nnames + 1) * 2 > c->capnames) {
        size_t nc = c->capnames ? c->capnames * 2 : 256;
        char **nv = calloc(nc, sizeof *nv);
        if (!nv) {
            c->oom = true;
            return;
        }
        for (size_t i = 0; i < c->capnames; i++)
            if (c->names[i])
                nv[names_slot(nv, nc, c->names[i])] = c->names[i];
        free(c->names);
        c->names = nv;
        c->capnames = nc;
    }
    const char *k = name_key(c, tag, table, col);
    size_t j = names_slot(c->names, c->capnames, k);
    if (c->names[j])
        return;
    if (!(c->names[j] = strdup(k))) {
        c->oom = true;
        return;
    }
    c->nnames++;
}

static bool names_has(collector *c, char tag, const char *table, const char *col)
{
    if (!c->capnames || !table)
        return false;
    const char *k = name_key(c, tag, table, col);
    return c->names[names_slot(c->names, c->capnames, k)] != NULL;
}

static void names_free(collector *c)
{
    for (size_t i = 0; i < c->capnames; i++)
        free(c->names[i]);
    free(c->names);
    jy_buf_free(&c->key);
}

static void add(collector *c, ir_eff_verb verb, ir_eff_kind kind, unsigned flags,
                const char *table, const char *name, const char *new_name)
{
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 16;
        ir_effect *nv = realloc(c->v, nc * sizeof *nv);
        if (!nv) {
            c->oom = true;
            return;
        }
        c->v = nv;
        c->cap = nc;
    }
    c->v[c->n++] = (ir_effect){
        .verb = verb,
        .kind = kind,
        .flags = flags,
        .table = table,
        .name = name,
        .new_name = new_name,
        .op = c->step,
        .op_kind = c->op->kind,
        .dialects = c->dialects,
        .start = c->op->start,
        .end = c->op->end,
    };
    if (kind == IR_EK_TABLE && (verb == IR_EFF_CREATE || verb == IR_EFF_RENAME))
        names_add(c, 't', verb == IR_EFF_RENAME ? new_name : name, NULL);
    else if (kind == IR_EK_COLUMN && (verb == IR_EFF_CREATE || verb == IR_EFF_RENAME))
        names_add(c, 'c', table, verb == IR_EFF_RENAME ? new_name : name);
}

/* A name that comes from the replayed schema (freed after the pass): copied. */
static const char *keep(collector *c, const char *s)
{
    if (!s)
        return NULL;
    const char *r = jy_arena_strdup(c->a, s);
    if (!r)
        c->oom = true;
    return r;
}

/* ------------------------------------------------------------- values */

static const char *sval(const ir_value *v)
{
    return v && v->kind == IR_V_STR ? v->u.str.s : NULL;
}

static const ir_value *arg(const ir_op *op, size_t slot)
{
    return slot < op->info->nparams ? op->args[slot] : NULL;
}

static const ir_value *item(const ir_value *t, size_t i)
{
    if (!t || (t->kind != IR_V_TUPLE && t->kind != IR_V_LIST) || i >= t->u.list.n)
        return NULL;
    return t->u.list.items[i];
}

static size_t count(const ir_value *t)
{
    return t && (t->kind == IR_V_TUPLE || t->kind == IR_V_LIST) ? t->u.list.n : 0;
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

static bool bval(const ir_value *v)
{
    return v && v->kind == IR_V_BOOL && v->u.b;
}

static bool alpha(char ch)
{
    return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool alnum(char ch)
{
    return alpha(ch) || (ch >= '0' && ch <= '9');
}

static bool is_ident(const char *s)
{
    if (!s || !alpha(s[0]))
        return false;
    for (const char *q = s; *q; q++)
        if (!alnum(*q))
            return false;
    return true;
}

/* ------------------------------------------------------- SQL mentions */

/*
 * Call fn for every identifier in SQL text (bare words and "quoted" or
 * `quoted` names; string literals skipped).  Used to find the columns a
 * check, a backfill expression or an index expression mentions, and the
 * tables a view reads: the candidates are matched against the schema.
 */
static void sql_idents(const char *sql, void (*fn)(void *ctx, const char *s, size_t n), void *ctx)
{
    const char *p = sql;
    while (p && *p) {
        char ch = *p;
        if (ch == '\'') {
            p++;
            while (*p && !(*p == '\'' && p[1] != '\''))
                p += (*p == '\'' ? 2 : 1);
            if (*p)
                p++;
        } else if (ch == '"' || ch == '`') {
            const char *s = ++p;
            while (*p && *p != ch)
                p++;
            fn(ctx, s, (size_t)(p - s));
            if (*p)
                p++;
        } else if (alpha(ch)) {
            const char *s = p;
            while (alnum(*p))
                p++;
            fn(ctx, s, (size_t)(p - s));
        } else if (ch >= '0' && ch <= '9') {
            while (alnum(*p) || *p == '.')
                p++;
        } else {
            p++;
        }
    }
}

typedef struct mention_ctx {
    collector *c;
    const char *table; /* columns of table; or tables when NULL */
    ir_eff_verb verb;
    const char *tables[16]; /* tables found (views: their columns count too) */
    size_t ntables;
    char buf[128];
} mention_ctx;

static void on_ident(void *vctx, const char *s, size_t n)
{
    mention_ctx *x = vctx;
    if (n == 0 || n >= sizeof x->buf)
        return;
    memcpy(x->buf, s, n);
    x->buf[n] = '\0';
    if (x->table) {
        if (names_has(x->c, 'c', x->table, x->buf))
            add(x->c, x->verb, IR_EK_COLUMN, 0, x->table, keep(x->c, x->buf), NULL);
    } else if (names_has(x->c, 't', x->buf, NULL) &&
               x->ntables < sizeof x->tables / sizeof x->tables[0]) {
        const char *t = keep(x->c, x->buf);
        add(x->c, x->verb, IR_EK_TABLE, 0, NULL, t, NULL);
        x->tables[x->ntables++] = t;
    }
}

/* READ effects for the columns of `table` that `sql` mentions. */
static void sql_columns(collector *c, const ir_schema *s, const char *table, const char *sql)
{
    (void)s;
    if (!table || !sql)
        return;
    mention_ctx x = {.c = c, .table = table, .verb = IR_EFF_READ};
    sql_idents(sql, on_ident, &x);
}

/* READ effects for the tables that `sql` mentions (views). */
static void sql_tables(collector *c, const ir_schema *s, const char *sql)
{
    (void)s;
    if (!sql)
        return;
    mention_ctx x = {.c = c, .table = NULL, .verb = IR_EFF_READ};
    sql_idents(sql, on_ident, &x);
    for (size_t i = 0; i < x.ntables; i++) {
        mention_ctx y = {.c = c, .table = x.tables[i], .verb = IR_EFF_READ};
        sql_idents(sql, on_ident, &y);
    }
}

/* READ effects for index/constraint columns: names of columns (or, for an
 * expression entry, the columns it mentions). */
static void read_columns(collector *c, const ir_schema *s, const char *table,
                         const ir_value *cols)
{
    const ir_table *t = s && table ? ir_schema_table(s, table) : NULL;
    for (size_t i = 0; i < count(cols); i++) {
        const char *col = sval(item(cols, i));
        if (!col)
            continue;
        if ((t && ir_table_column(t, col)) || is_ident(col))
            add(c, IR_EFF_READ, IR_EK_COLUMN, 0, table, col, NULL);
        else
            sql_columns(c, s, table, col);
    }
}

/* The enum a column type names (Array of Enum too), or NULL. */
static const char *enum_of(const ir_type *t)
{
    if (t && t->id == IR_T_ARRAY && t->inner)
        t = t->inner;
    return t && t->id == IR_T_ENUM ? t->enum_name : NULL;
}

/* A t.Enum(name=...) column: creates the enum type (PostgreSQL) when the
 * schema before the op has none of that name, else uses it. */
static void column_type(collector *c, const ir_schema *s, const ir_value *tv)
{
    const ir_type *t = tv && tv->kind == IR_V_TYPE ? tv->u.type : NULL;
    const char *en = enum_of(t);
    if (!en)
        return;
    bool exists = s && ir_schema_enum(s, en);
    add(c, exists ? IR_EFF_READ : IR_EFF_CREATE, IR_EK_ENUM, 0, NULL, en, NULL);
}

/* What dropping a column takes with it: indexes and constraints using it. */
static void drop_column_deps(collector *c, const ir_schema *s, const char *table, const char *col)
{
    const ir_table *t = s && table ? ir_schema_table(s, table) : NULL;
    if (!t)
        return;
    for (size_t i = 0; i < t->nindexes; i++)
        for (size_t k = 0; k < t->indexes[i]->ncolumns; k++)
            if (strcmp(t->indexes[i]->columns[k], col) == 0) {
                add(c, IR_EFF_DROP, IR_EK_INDEX, 0, table, keep(c, t->indexes[i]->name), NULL);
                break;
            }
    for (size_t i = 0; i < t->nuniques; i++)
        for (size_t k = 0; k < t->uniques[i]->ncolumns; k++)
            if (t->uniques[i]->name && strcmp(t->uniques[i]->columns[k], col) == 0) {
                add(c, IR_EFF_DROP, IR_EK_CONSTRAINT, 0, table, keep(c, t->uniques[i]->name),
                    NULL);
                break;
            }
    for (size_t i = 0; i < t->nfkeys; i++)
        for (size_t k = 0; k < t->fkeys[i]->ncolumns; k++)
            if (t->fkeys[i]->name && strcmp(t->fkeys[i]->columns[k], col) == 0) {
                add(c, IR_EFF_DROP, IR_EK_CONSTRAINT, 0, table, keep(c, t->fkeys[i]->name),
                    NULL);
                break;
            }
}

/* What dropping a table takes with it: its columns, indexes, constraints. */
static void drop_table_deps(collector *c, const ir_schema *s, const char *table)
{
    const ir_table *t = s && table ? ir_schema_table(s, table) : NULL;
    if (!t)
        return;
    for (size_t i = 0; i < t->ncolumns; i++)
        add(c, IR_EFF_DROP, IR_EK_COLUMN, 0, table, keep(c, t->columns[i]->name), NULL);
    for (size_t i = 0; i < t->nindexes; i++)
        add(c, IR_EFF_DROP, IR_EK_INDEX, 0, table, keep(c, t->indexes[i]->name), NULL);
    for (size_t i = 0; i < t->nuniques; i++)
        if (t->uniques[i]->name)
            add(c, IR_EFF_DROP, IR_EK_CONSTRAINT, 0, table, keep(c, t->uniques[i]->name), NULL);
    for (size_t i = 0; i < t->nfkeys; i++)
        if (t->fkeys[i]->name)
            add(c, IR_EFF_DROP, IR_EK_CONSTRAINT, 0, table, keep(c, t->fkeys[i]->name), NULL);
    for (size_t i = 0; i < t->nchecks; i++)
        if (t->checks[i]->name)
            add(c, IR_EFF_DROP, IR_EK_CONSTRAINT, 0, table, keep(c, t->checks[i]->name), NULL);
}

/* A new column (create_table's op.column, add_column, a column_added hint). */
static void new_column(collector *c, const ir_schema *s, const char *table, const char *name,
                       const ir_value *type, bool unique)
{
    add(c, IR_EFF_CREATE, IR_EK_COLUMN, 0, table, name, NULL);
    column_type(c, s, type);
    if (unique && table && name) {
        const char *ix = ir_unique_column_index_name(c->a, table, name);
        if (!ix)
            c->oom = true;
        add(c, IR_EFF_CREATE, IR_EK_INDEX, 0, table, ix, NULL);
    }
}

/* ---------------------------------------------------------------- hints */

static const ir_eff_kind obj_kind[IR_OBJ__COUNT] = {
    [IR_OBJ_EXTENSION] = IR_EK_EXTENSION, [IR_OBJ_VIEW] = IR_EK_VIEW,
    [IR_OBJ_MATVIEW] = IR_EK_MATVIEW,     [IR_OBJ_TRIGGER] = IR_EK_TRIGGER,
    [IR_OBJ_POLICY] = IR_EK_POLICY,       [IR_OBJ_SEQUENCE] = IR_EK_SEQUENCE,
    [IR_OBJ_SCHEMA] = IR_EK_SCHEMA,
};

/* One tuple of a declare_schema_change keyword (reference §12.2). */
static void hint_one(collector *c, const ir_schema *s, size_t slot, const ir_value *tu)
{
    const char *s0 = sval(item(tu, 0)), *s1 = sval(item(tu, 1)), *s2 = sval(item(tu, 2));
    if (!s0)
        return;
    switch (slot) {
    case IR_A_declare_schema_change_column_added:
        if (!s1)
            return;
        new_column(c, s, s0, s1, item(tu, 2), bval(dict_get(item(tu, 3), "unique")));
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, s0, NULL);
        return;
    case IR_A_declare_schema_change_column_dropped:
        if (!s1)
            return;
        add(c, IR_EFF_DROP, IR_EK_COLUMN, 0, s0, s1, NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, s0, NULL);
        drop_column_deps(c, s, s0, s1);
        return;
    case IR_A_declare_schema_change_column_altered: {
        if (!s1)
            return;
        const ir_value *nw = dict_get(item(tu, 2), "new");
        add(c, IR_EFF_ALTER, IR_EK_COLUMN, dict_get(nw, "type") ? IR_EFFF_RETYPE : 0, s0, s1,
            NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, s0, NULL);
        return;
    }
    case IR_A_declare_schema_change_column_renamed:
        if (!s1 || !s2)
            return;
        add(c, IR_EFF_RENAME, IR_EK_COLUMN, 0, s0, s1, s2);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, s0, NULL);
        return;
    case IR_A_declare_schema_change_table_added: {
        add(c, IR_EFF_CREATE, IR_EK_TABLE, 0, NULL, s0, NULL);
        const ir_value *cols = dict_get(item(tu, 1), "columns");
        for (size_t i = 0; i < count(cols); i++) {
            const ir_value *cv = item(cols, i);
            if (cv && cv->kind == IR_V_COLUMN)
                new_column(c, s, s0, sval(arg(cv->u.op, IR_A_column_name)),
                           arg(cv->u.op, IR_A_column_type),
                           bval(arg(cv->u.op, IR_A_column_unique)));
            else if (sval(item(cv, 0)))
                new_column(c, s, s0, sval(item(cv, 0)), item(cv, 1),
                           bval(dict_get(item(cv, 2), "unique")));
        }
        return;
    }
    case IR_A_declare_schema_change_table_dropped:
        add(c, IR_EFF_DROP, IR_EK_TABLE, 0, NULL, s0, NULL);
        drop_table_deps(c, s, s0);
        return;
    case IR_A_declare_schema_change_table_renamed:
        if (s1)
            add(c, IR_EFF_RENAME, IR_EK_TABLE, 0, NULL, s0, s1);
        return;
    case IR_A_declare_schema_change_index_added:
        if (!s1)
            return;
        add(c, IR_EFF_CREATE, IR_EK_INDEX, 0, s1, s0, NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, s1, NULL);
        read_columns(c, s, s1, item(tu, 2));
        return;
    case IR_A_declare_schema_change_index_dropped: {
        const char *t = s1;
        ir_table *it = NULL;
        if (!t && s && ir_schema_index(s, s0, &it) && it)
            t = keep(c, it->name);
        add(c, IR_EFF_DROP, IR_EK_INDEX, 0, t, s0, NULL);
        return;
    }
    case IR_A_declare_schema_change_constraint_added: {
        if (!s1)
            return;
        add(c, IR_EFF_CREATE, IR_EK_CONSTRAINT, 0, s1, s0, NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, s1, NULL);
        const ir_value *d = item(tu, 2);
        const ir_value *cols = dict_get(d, "local_columns");
        read_columns(c, s, s1, cols ? cols : dict_get(d, "columns"));
        const char *ref = sval(dict_get(d, "referred_table"));
        const ir_value *rcols = dict_get(d, "referred_columns");
        if (!ref)
            ref = sval(dict_get(d, "ref_table"));
        if (!rcols)
            rcols = dict_get(d, "ref_columns");
        if (ref) {
            add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, ref, NULL);
            read_columns(c, s, ref, rcols);
        }
        sql_columns(c, s, s1, sval(dict_get(d, "condition")));
        return;
    }
    case IR_A_declare_schema_change_constraint_dropped:
        if (s1)
            add(c, IR_EFF_DROP, IR_EK_CONSTRAINT, 0, s1, s0, NULL);
        return;
    case IR_A_declare_schema_change_enum_added:
        add(c, IR_EFF_CREATE, IR_EK_ENUM, 0, NULL, s0, NULL);
        return;
    case IR_A_declare_schema_change_enum_dropped:
        add(c, IR_EFF_DROP, IR_EK_ENUM, 0, NULL, s0, NULL);
        return;
    case IR_A_declare_schema_change_enum_value_added:
        add(c, IR_EFF_ALTER, IR_EK_ENUM, IR_EFFF_RETYPE, NULL, s0, NULL);
        return;
    default:
        break;
    }
    /* the other objects: <kind>_added / <kind>_dropped */
    static const struct {
        size_t slot;
        ir_obj_kind kind;
        bool added;
    } objs[] = {
        {IR_A_declare_schema_change_extension_added, IR_OBJ_EXTENSION, true},
        {IR_A_declare_schema_change_extension_dropped, IR_OBJ_EXTENSION, false},
        {IR_A_declare_schema_change_view_added, IR_OBJ_VIEW, true},
        {IR_A_declare_schema_change_view_dropped, IR_OBJ_VIEW, false},
        {IR_A_declare_schema_change_materialized_view_added, IR_OBJ_MATVIEW, true},
        {IR_A_declare_schema_change_materialized_view_dropped, IR_OBJ_MATVIEW, false},
        {IR_A_declare_schema_change_trigger_added, IR_OBJ_TRIGGER, true},
        {IR_A_declare_schema_change_trigger_dropped, IR_OBJ_TRIGGER, false},
        {IR_A_declare_schema_change_policy_added, IR_OBJ_POLICY, true},
        {IR_A_declare_schema_change_policy_dropped, IR_OBJ_POLICY, false},
        {IR_A_declare_schema_change_sequence_added, IR_OBJ_SEQUENCE, true},
        {IR_A_declare_schema_change_sequence_dropped, IR_OBJ_SEQUENCE, false},
        {IR_A_declare_schema_change_schema_added, IR_OBJ_SCHEMA, true},
        {IR_A_declare_schema_change_schema_dropped, IR_OBJ_SCHEMA, false},
    };
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) {
        if (objs[i].slot != slot)
            continue;
        bool on_table = objs[i].kind == IR_OBJ_TRIGGER || objs[i].kind == IR_OBJ_POLICY;
        const char *table = on_table ? s1 : NULL;
        if (on_table && !table)
            return;
        add(c, objs[i].added ? IR_EFF_CREATE : IR_EFF_DROP, obj_kind[objs[i].kind], 0, table, s0,
            NULL);
        if (on_table)
            add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, table, NULL);
        if (objs[i].added && (objs[i].kind == IR_OBJ_VIEW || objs[i].kind == IR_OBJ_MATVIEW))
            sql_tables(c, s, s1);
        if (objs[i].added && on_table)
            sql_columns(c, s, table, s2);
        return;
    }
}

/* ------------------------------------------------------------------ ops */

/*
 * The effects of one op, from its arguments and the schema before it (s,
 * NULL when unknown).  The first effect of an op is its primary target
 * (what conflicts name).  has_hint: the migration carries
 * declare_schema_change, so its raw SQL is described, not opaque.
 */
static void op_effects(collector *c, const ir_schema *s, bool has_hint)
{
    const ir_op *op = c->op;
    const char *t;
    switch (op->kind) {
    case IR_OP_create_table: {
        t = sval(arg(op, IR_A_create_table_name));
        if (!t)
            return;
        add(c, IR_EFF_CREATE, IR_EK_TABLE, 0, NULL, t, NULL);
        const ir_value *cols = arg(op, IR_A_create_table_columns);
        for (size_t i = 0; i < count(cols); i++) {
            const ir_value *cv = item(cols, i);
            if (!cv || cv->kind != IR_V_COLUMN)
                continue;
            const char *cn = sval(arg(cv->u.op, IR_A_column_name));
            if (cn)
                new_column(c, s, t, cn, arg(cv->u.op, IR_A_column_type),
                           bval(arg(cv->u.op, IR_A_column_unique)));
        }
        return;
    }
    case IR_OP_drop_table:
        t = sval(arg(op, IR_A_drop_table_name));
        if (!t)
            return;
        add(c, IR_EFF_DROP, IR_EK_TABLE, 0, NULL, t, NULL);
        drop_table_deps(c, s, t);
        return;
    case IR_OP_rename_table: {
        const char *o = sval(arg(op, IR_A_rename_table_old)),
                   *n = sval(arg(op, IR_A_rename_table_new));
        if (o && n)
            add(c, IR_EFF_RENAME, IR_EK_TABLE, 0, NULL, o, n);
        return;
    }
    case IR_OP_add_column: {
        t = sval(arg(op, IR_A_add_column_table));
        const char *n = sval(arg(op, IR_A_add_column_name));
        if (!t || !n)
            return;
        new_column(c, s, t, n, arg(op, IR_A_add_column_type),
                   bval(arg(op, IR_A_add_column_unique)));
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        sql_columns(c, s, t, sval(arg(op, IR_A_add_column_generated)));
        return;
    }
    case IR_OP_drop_column: {
        t = sval(arg(op, IR_A_drop_column_table));
        const char *n = sval(arg(op, IR_A_drop_column_name));
        if (!t || !n)
            return;
        add(c, IR_EFF_DROP, IR_EK_COLUMN, 0, t, n, NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        drop_column_deps(c, s, t, n);
        return;
    }
    case IR_OP_alter_column: {
        t = sval(arg(op, IR_A_alter_column_table));
        const char *n = sval(arg(op, IR_A_alter_column_name));
        if (!t || !n)
            return;
        const ir_value *ty = arg(op, IR_A_alter_column_type);
        add(c, IR_EFF_ALTER, IR_EK_COLUMN, ty ? IR_EFFF_RETYPE : 0, t, n, NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        column_type(c, s, ty);
        return;
    }
    case IR_OP_rename_column: {
        t = sval(arg(op, IR_A_rename_column_table));
        const char *o = sval(arg(op, IR_A_rename_column_old)),
                   *n = sval(arg(op, IR_A_rename_column_new));
        if (!t || !o || !n)
            return;
        add(c, IR_EFF_RENAME, IR_EK_COLUMN, 0, t, o, n);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        return;
    }
    case IR_OP_create_index: {
        const char *n = sval(arg(op, IR_A_create_index_name));
        t = sval(arg(op, IR_A_create_index_table));
        if (!n || !t)
            return;
        add(c, IR_EFF_CREATE, IR_EK_INDEX, 0, t, n, NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        read_columns(c, s, t, arg(op, IR_A_create_index_columns));
        sql_columns(c, s, t, sval(arg(op, IR_A_create_index_where)));
        return;
    }
    case IR_OP_drop_index: {
        const char *n = sval(arg(op, IR_A_drop_index_name));
        t = sval(arg(op, IR_A_drop_index_table));
        if (!n)
            return;
        ir_table *it = NULL;
        if (!t && s && ir_schema_index(s, n, &it) && it)
            t = keep(c, it->name);
        add(c, IR_EFF_DROP, IR_EK_INDEX, 0, t, n, NULL);
        if (t)
            add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        return;
    }
    case IR_OP_create_unique_constraint: {
        const char *n = sval(arg(op, IR_A_create_unique_constraint_name));
        t = sval(arg(op, IR_A_create_unique_constraint_table));
        if (!n || !t)
            return;
        add(c, IR_EFF_CREATE, IR_EK_CONSTRAINT, 0, t, n, NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        read_columns(c, s, t, arg(op, IR_A_create_unique_constraint_columns));
        return;
    }
    case IR_OP_create_check_constraint: {
        const char *n = sval(arg(op, IR_A_create_check_constraint_name));
        t = sval(arg(op, IR_A_create_check_constraint_table));
        if (!n || !t)
            return;
        add(c, IR_EFF_CREATE, IR_EK_CONSTRAINT, 0, t, n, NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        sql_columns(c, s, t, sval(arg(op, IR_A_create_check_constraint_condition)));
        return;
    }
    case IR_OP_create_foreign_key: {
        const char *n = sval(arg(op, IR_A_create_foreign_key_name));
        t = sval(arg(op, IR_A_create_foreign_key_source_table));
        const char *r = sval(arg(op, IR_A_create_foreign_key_ref_table));
        if (!n || !t || !r)
            return;
        add(c, IR_EFF_CREATE, IR_EK_CONSTRAINT, 0, t, n, NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        read_columns(c, s, t, arg(op, IR_A_create_foreign_key_source_cols));
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, r, NULL);
        read_columns(c, s, r, arg(op, IR_A_create_foreign_key_ref_cols));
        return;
    }
    case IR_OP_drop_constraint: {
        const char *n = sval(arg(op, IR_A_drop_constraint_name));
        t = sval(arg(op, IR_A_drop_constraint_table));
        if (!n || !t)
            return;
        add(c, IR_EFF_DROP, IR_EK_CONSTRAINT, 0, t, n, NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        return;
    }
    case IR_OP_execute:
        if (!has_hint)
            add(c, IR_EFF_OPAQUE, IR_EK_SQL, 0, NULL, NULL, NULL);
        return;
    case IR_OP_backfill: {
        t = sval(arg(op, IR_A_backfill_table));
        if (!t)
            return;
        const ir_value *set = arg(op, IR_A_backfill_set);
        bool first = true;
        for (size_t i = 0; set && set->kind == IR_V_DICT && i < set->u.dict.n; i++) {
            const char *col = sval(set->u.dict.keys[i]);
            if (!col)
                continue;
            add(c, IR_EFF_WRITE, IR_EK_COLUMN, 0, t, col, NULL);
            if (first) {
                add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
                first = false;
            }
            sql_columns(c, s, t, sval(set->u.dict.vals[i]));
        }
        if (first)
            add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        const char *key = sval(arg(op, IR_A_backfill_key));
        add(c, IR_EFF_READ, IR_EK_COLUMN, 0, t, key ? key : "id", NULL);
        sql_columns(c, s, t, sval(arg(op, IR_A_backfill_where)));
        return;
    }
    case IR_OP_bulk_insert: {
        t = sval(arg(op, IR_A_bulk_insert_table));
        if (!t)
            return;
        add(c, IR_EFF_WRITE, IR_EK_ROWS, 0, t, NULL, NULL);
        add(c, IR_EFF_READ, IR_EK_TABLE, 0, NULL, t, NULL);
        const ir_value *rows = arg(op, IR_A_bulk_insert_rows);
        size_t mark = c->n;
        for (size_t i = 0; i < count(rows); i++) {
            const ir_value *row = item(rows, i);
            for (size_t k = 0; row && row->kind == IR_V_DICT && k < row->u.dict.n; k++) {
                const char *col = sval(row->u.dict.keys[k]);
                bool seen = !col;
                for (size_t q = mark; q < c->n && !seen; q++)
                    seen = strcmp(c->v[q].name, col) == 0;
                if (!seen)
                    add(c, IR_EFF_READ, IR_EK_COLUMN, 0, t, col, NULL);
            }
        }
        return;
    }
    case IR_OP_declare_schema_change:
        for (size_t i = 0; i < op->info->nparams; i++) {
            const ir_value *v = op->args[i];
            if (!v)
                continue;
            if (v->kind == IR_V_LIST && count(v) && item(v, 0)->kind == IR_V_TUPLE)
                for (size_t j = 0; j < count(v); j++)
                    hint_one(c, s, i, item(v, j));
            else
                hint_one(c, s, i, v);
        }
        return;
    default:
        return;
    }
}

/* --------------------------------------------------------------- pass */

static ir_dmask op_dialects(const ir_migration *m, const ir_op *op)
{
    ir_dmask d = op->cond_dialects ? op->cond_dialects : op->dialects;
    if (!d)
        d = m->dialects ? m->dialects : IR_DMASK_ALL;
    return d;
}

static bool has_hint(const ir_migration *m)
{
    for (size_t j = 0; j < m->nops; j++)
        if (m->ops[j]->kind == IR_OP_declare_schema_change)
            return true;
    return false;
}

/* Compute the effects of m into e (in a), with a replayer (NULL: no schema). */
static int mig_effects(collector *c, const ir_migration *m, ir_replayer *r, jy_diags *quiet,
                       ir_effects *e)
{
    c->n = 0;
    c->m = m;
    bool hint = has_hint(m);
    for (size_t j = 0; j < m->nops; j++) {
        c->op = m->ops[j];
        c->step = (uint32_t)j;
        c->dialects = op_dialects(m, c->op);
        op_effects(c, r ? ir_replay_current(r) : NULL, hint);
        if (r && ir_op_for_dialect(m, c->op, ir_replay_dialect(r)))
            (void)ir_replay_apply(r, m, c->op, quiet); /* best effort: keep going */
        if (quiet->n > 64) {
            jy_diags_free(quiet);
            jy_diags_init(quiet);
        }
    }
    if (c->oom)
        return -1;
    e->migration = m->id;
    e->mig = m;
    e->n = c->n;
    e->v = jy_arena_calloc(c->a, c->n ? c->n : 1, sizeof *e->v);
    if (!e->v)
        return -1;
    if (c->n)
        memcpy(e->v, c->v, c->n * sizeof *e->v);
    e->nopaque = 0;
    for (size_t k = 0; k < c->n; k++)
        if (c->v[k].verb == IR_EFF_OPAQUE)
            e->nopaque++;
    return 0;
}

/*
 * One replay (in apply order) for the first target dialect of postgresql,
 * mysql, mariadb, sqlite; a replay error is not fatal (the op's effects
 * come from its arguments; the schema carries on best effort).  Migrations
 * not compiled for that dialect get effects without a schema.
 */
int ir_effects_compute(const ir_program *p, jy_arena *a, ir_effects ***out, jy_diags *d)
{
    *out = NULL;
    ir_dialect rd = IR_D_POSTGRESQL;
    if (p->targets)
        for (int k = 0; k < IR_D__COUNT; k++)
            if (p->targets & IR_DMASK((ir_dialect)k)) {
                rd = (ir_dialect)k;
                break;
            }
    ir_effects **v = jy_arena_calloc(a, p->n ? p->n : 1, sizeof *v);
    bool *done = calloc(p->n ? p->n : 1, sizeof *done);
    ir_dag *g = NULL;
    ir_replayer *r = NULL;
    collector c = {.a = a};
    jy_diags quiet;
    jy_diags_init(&quiet);
    int rc = -1;
    if (!v || !done)
        goto out;
    for (size_t i = 0; i < p->n; i++)
        if (!(v[i] = jy_arena_calloc(a, 1, sizeof **v)))
            goto out;
    if (ir_dag_build(p, rd, &g, d)) {
        rc = -2;
        goto out;
    }
    if (!(r = ir_replay_new(rd)))
        goto out;
    size_t no;
    const size_t *order = ir_dag_order(g, &no);
    for (size_t k = 0; k < no; k++) {
        if (mig_effects(&c, p->migs[order[k]], r, &quiet, v[order[k]]))
            goto out;
        done[order[k]] = true;
    }
    for (size_t i = 0; i < p->n; i++)
        if (!done[i] && mig_effects(&c, p->migs[i], NULL, &quiet, v[i]))
            goto out;
    *out = v;
    rc = 0;
out:
    if (rc == -1)
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "effects.oom", NULL,
                      "out of memory while computing effects");
    free(c.v);
    names_free(&c);
    free(done);
    ir_dag_free(g);
    ir_replay_free(r);
    jy_diags_free(&quiet);
    return rc ? -1 : 0;
}

/* ------------------------------------------------------------- strings */

static void put_field(jy_buf *b, const char *s)
{
    jy_buf_putc(b, '\t');
    if (!s) {
        jy_buf_putc(b, '-');
        return;
    }
    if (*s == '-')
        jy_buf_putc(b, '\\');
    for (; *s; s++) {
        if (*s == '\t')
            jy_buf_puts(b, "\\t");
        else if (*s == '\n')
            jy_buf_puts(b, "\\n");
        else if (*s == '\\')
            jy_buf_puts(b, "\\\\");
        else
            jy_buf_putc(b, *s);
    }
}

const char *ir_effect_describe(const ir_effect *e, jy_arena *a)
{
    const char *verb = ir_eff_verb_name(e->verb), *kind = ir_eff_kind_name(e->kind);
    if (e->kind == IR_EK_SQL)
        return jy_arena_strdup(a, "opaque raw SQL");
    if (e->kind == IR_EK_ROWS)
        return jy_arena_printf(a, "%s rows of %s", verb, e->table ? e->table : "?");
    const char *n = e->name ? e->name : "?";
    if (e->verb == IR_EFF_RENAME) {
        if (e->table)
            return jy_arena_printf(a, "rename %s %s.%s -> %s.%s", kind, e->table, n, e->table,
                                   e->new_name ? e->new_name : "?");
        return jy_arena_printf(a, "rename %s %s -> %s", kind, n, e->new_name ? e->new_name : "?");
    }
    if (e->table)
        return jy_arena_printf(a, "%s %s %s.%s", verb, kind, e->table, n);
    return jy_arena_printf(a, "%s %s %s", verb, kind, n);
}

size_t ir_effects_strings(const ir_effects *e, jy_arena *a, const char ***out)
{
    *out = NULL;
    if (!e || !e->n)
        return 0;
    const char **v = jy_arena_calloc(a, e->n, sizeof *v);
    if (!v)
        return 0;
    jy_buf b;
    jy_buf_init(&b);
    for (size_t i = 0; i < e->n; i++) {
        const ir_effect *x = &e->v[i];
        jy_buf_reset(&b);
        jy_buf_printf(&b, "e1\t%u\t%s\t%s\t%s\t%x\t%x", x->op,
                      (unsigned)x->op_kind < IR_OP__COUNT ? ir_op_table[x->op_kind].name : "?",
                      ir_eff_verb_name(x->verb), ir_eff_kind_name(x->kind), x->dialects, x->flags);
        put_field(&b, x->table);
        put_field(&b, x->name);
        put_field(&b, x->new_name);
        v[i] = jy_arena_strndup(a, b.data ? b.data : "", b.len);
        if (!v[i]) {
            jy_buf_free(&b);
            return 0;
        }
    }
    jy_buf_free(&b);
    *out = v;
    return e->n;
}

/* Split s at tabs into at most max fields (in a); returns the count. */
static size_t split(const char *s, jy_arena *a, char **f, size_t max)
{
    size_t n = 0;
    while (n < max) {
        const char *t = strchr(s, '\t');
        size_t len = t ? (size_t)(t - s) : strlen(s);
        f[n++] = jy_arena_strndup(a, s, len);
        if (!f[n - 1])
            return 0;
        if (!t)
            break;
        s = t + 1;
    }
    return n;
}

/* Undo put_field: NULL for "-"; false on a bad escape. */
static bool unescape(char *f, const char **out)
{
    if (strcmp(f, "-") == 0) {
        *out = NULL;
        return true;
    }
    char *w = f;
    for (const char *r = f; *r; r++) {
        if (*r != '\\') {
            *w++ = *r;
            continue;
        }
        r++;
        if (*r == 't')
            *w++ = '\t';
        else if (*r == 'n')
            *w++ = '\n';
        else if (*r == '\\' || (*r == '-' && r == f + 1))
            *w++ = *r;
        else
            return false;
    }
    *w = '\0';
    *out = f;
    return true;
}

static bool parse_name(const char *s, const char *const *names, size_t n, unsigned *out)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (unsigned)i;
            return true;
        }
    return false;
}

static bool parse_hex(const char *s, unsigned *out)
{
    char *end;
    if (!*s)
        return false;
    unsigned long v = strtoul(s, &end, 16);
    if (*end || v > 0xffffffffUL)
        return false;
    *out = (unsigned)v;
    return true;
}

ir_effects *ir_effects_from_strings(const char *const *s, size_t n, jy_arena *a)
{
    ir_effects *e = jy_arena_calloc(a, 1, sizeof *e);
    if (!e)
        return NULL;
    e->v = jy_arena_calloc(a, n ? n : 1, sizeof *e->v);
    if (!e->v)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char *f[11];
        if (!s[i] || split(s[i], a, f, 11) != 10 || strcmp(f[0], "e1") != 0)
            return NULL;
        ir_effect *x = &e->v[i];
        char *end;
        unsigned long step = strtoul(f[1], &end, 10);
        unsigned verb, kind, dm, fl;
        ir_op_kind ok;
        if (!*f[1] || *end || step > 0xffffffffUL || !ir_op_lookup(f[2], strlen(f[2]), &ok) ||
            !parse_name(f[3], verb_names, IR_EFF__COUNT, &verb) ||
            !parse_name(f[4], kind_names, IR_EK__COUNT, &kind) || !parse_hex(f[5], &dm) ||
            !parse_hex(f[6], &fl) || !unescape(f[7], &x->table) || !unescape(f[8], &x->name) ||
            !unescape(f[9], &x->new_name))
            return NULL;
        x->op = (uint32_t)step;
        x->op_kind = ok;
        x->verb = (ir_eff_verb)verb;
        x->kind = (ir_eff_kind)kind;
        x->dialects = dm;
        x->flags = fl;
        if (x->verb == IR_EFF_OPAQUE)
            e->nopaque++;
    }
    e->n = n;
    return e;
}
