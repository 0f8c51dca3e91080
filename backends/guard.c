/*
 * guard.c - the ensure guard of each step (reference §9.4, §9.5;
 * docs/SPEC.md "Guards"): a JSON document, stored in the step (and so in
 * the bundle), that tells rt_guard_eval which objects the step ensures,
 * the shape each must have afterwards (the normalized fragments of
 * ir_schema_to_json for the step's dialect, taken from the replayed
 * schema), what to do on a mismatch (on_mismatch) and, for
 * on_mismatch="alter", the statements that reconcile an object of another
 * shape.  Also the step's summary ("users.email").
 *
 * The document (keys sorted, compact):
 *   {"format": "joryu.guard/1", "dialect": "postgresql", "op": "add_column",
 *    "summary": "users.phone", "on_mismatch": "error",
 *    "tables": ["users"],            tables rt_guard_eval introspects
 *    "checks": [ one per op of the step (several for an op.batch block):
 *      {"op": "add_column", "expect": "present"|"absent"|"shape"|"renamed",
 *       "kind": "table"|"column"|"index"|"constraint",
 *       "table": "users", "name": "phone",
 *       "list": "columns"|"indexes"|"unique_constraints"|"foreign_keys"|"checks",
 *       "key": {"name": "phone"},    how to find the object in list
 *       "want": {...},               present/shape: the normalized fragment
 *       "want_doc": {...},           tables: ir_schema_to_json of the table alone
 *       "want_sql": "TEXT",          columns: the type as the dialect spells it
 *       "verb": "adds it as",        for the drift message
 *       "missing_ok": false,         shape: a missing object means "run"
 *       "from": "a", "to": "b",      renamed
 *       "reconcile": ["ALTER ..."],  present/shape: on_mismatch=alter
 *       "reconcile_why": "..."}      why there is none
 *    ]}
 *
 * Cost: the document is written as text (no JSON tree), and each object is
 * normalized alone (ir_schema_normalize of a view of its table holding
 * just that part) in a scratch arena per step, so a guard costs about what
 * its SQL costs.  The fragments are written exactly as ir_schema_to_json
 * writes them (rt_guard_eval compares them with the live database's
 * ir_schema_to_json as JSON values; test_guard checks the two agree over
 * the whole test history).
 */
#include "be_int.h"

#include <stdlib.h>
#include <string.h>

static const char *sarg(const ir_op *op, size_t i)
{
    const ir_value *v = i < op->info->nparams ? op->args[i] : NULL;
    return v && v->kind == IR_V_STR ? v->u.str.s : NULL;
}


/* ------------------------------------------------------------ JSON text */

/* A JSON string (or null) appended to b. */
static void jstr(jy_buf *b, const char *s)
{
    if (!s) {
        jy_buf_puts(b, "null");
        return;
    }
    jy_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        /* the run of characters that need no escape, in one append */
        const unsigned char *q = p;
        while (*q && *q >= 0x20 && *q != '"' && *q != '\\')
            q++;
        if (q > p) {
            jy_buf_append(b, p, (size_t)(q - p));
            p = q;
            if (!*p)
                break;
        }
        switch (*p) {
        case '"': jy_buf_puts(b, "\\\""); break;
        case '\\': jy_buf_puts(b, "\\\\"); break;
        case '\n': jy_buf_puts(b, "\\n"); break;
        case '\r': jy_buf_puts(b, "\\r"); break;
        case '\t': jy_buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20)
                jy_buf_printf(b, "\\u%04x", *p);
            else
                jy_buf_putc(b, (char)*p);
        }
    }
    jy_buf_putc(b, '"');
}

/* An SQL expression as the normalized JSON has it: squashed. */
static void jexpr(jy_buf *b, const char *s)
{
    if (!s) {
        jy_buf_puts(b, "null");
        return;
    }
    char *q = ir_sql_squash(s);
    jstr(b, q ? q : s);
    free(q);
}

/* `"key":` after a comma unless first. */
static void jkey(jy_buf *b, bool *first, const char *k)
{
    if (!*first)
        jy_buf_putc(b, ',');
    *first = false;
    jstr(b, k);
    jy_buf_putc(b, ':');
}

static void jlist(jy_buf *b, const char *const *v, size_t n, bool exprs)
{
    jy_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            jy_buf_putc(b, ',');
        if (exprs)
            jexpr(b, v[i]);
        else
            jstr(b, v[i]);
    }
    jy_buf_putc(b, ']');
}

static void jtype(jy_buf *b, const ir_type *t)
{
    bool f = true;
    jy_buf_putc(b, '{');
    switch (t->id) {
    case IR_T_STRING:
    case IR_T_BINARY:
        if (t->length >= 0) {
            jkey(b, &f, "length");
            jy_buf_printf(b, "%lld", (long long)t->length);
        }
        break;
    case IR_T_DECIMAL:
        if (t->precision >= 0) {
            jkey(b, &f, "precision");
            jy_buf_printf(b, "%lld", (long long)t->precision);
            jkey(b, &f, "scale");
            jy_buf_printf(b, "%lld", (long long)(t->scale < 0 ? 0 : t->scale));
        }
        break;
    case IR_T_ENUM:
        if (t->enum_name) {
            jkey(b, &f, "enum_name");
            jstr(b, t->enum_name);
        }
        if (t->nlabels) {
            jkey(b, &f, "labels");
            jlist(b, t->labels, t->nlabels, false);
        }
        break;
    case IR_T_ARRAY:
        if (t->inner) {
            jkey(b, &f, "inner");
            jtype(b, t->inner);
        }
        break;
    case IR_T_DIALECT:
        jkey(b, &f, "dialect");
        jstr(b, ir_dialect_name(t->dialect_of));
        jkey(b, &f, "type");
        jstr(b, t->dialect_type);
        break;
    default:
        break;
    }
    jkey(b, &f, "name");
    jstr(b, (unsigned)t->id < IR_T__COUNT ? ir_type_table[t->id].name : "?");
    jy_buf_putc(b, '}');
}

static const char *const def_kinds[] = {"none", "null", "string", "number", "bool", "now", "sql"};

static void jcolumn(jy_buf *b, const ir_column *c)
{
    bool f = true;
    jy_buf_putc(b, '{');
    jkey(b, &f, "comment");
    jstr(b, c->comment);
    jkey(b, &f, "default");
    if (c->def.kind == IR_DEF_NONE || c->def.kind == IR_DEF_NULL ||
        (unsigned)c->def.kind >= sizeof def_kinds / sizeof *def_kinds)
        jy_buf_puts(b, "null");
    else {
        bool g = true;
        jy_buf_putc(b, '{');
        jkey(b, &g, "kind");
        jstr(b, def_kinds[c->def.kind]);
        if (c->def.kind != IR_DEF_NOW) {
            jkey(b, &g, "value");
            if (c->def.kind == IR_DEF_SQL)
                jexpr(b, c->def.text);
            else
                jstr(b, c->def.text);
        }
        jy_buf_putc(b, '}');
    }
    jkey(b, &f, "generated");
    if (c->generated) {
        jy_buf_puts(b, "{\"expr\":");
        jexpr(b, c->generated);
        jy_buf_printf(b, ",\"stored\":%s}", c->generated_virtual ? "false" : "true");
    } else
        jy_buf_puts(b, "null");
    jkey(b, &f, "identity");
    jstr(b, ir_identity_name(c->identity));
    jkey(b, &f, "name");
    jstr(b, c->name);
    jkey(b, &f, "nullable");
    jy_buf_puts(b, c->nullable ? "true" : "false");
    jkey(b, &f, "type");
    jtype(b, &c->type);
    jy_buf_putc(b, '}');
}

static void jindex(jy_buf *b, const ir_index *x)
{
    jy_buf_puts(b, "{\"columns\":");
    jlist(b, x->columns, x->ncolumns, true);
    jy_buf_puts(b, ",\"method\":");
    jstr(b, x->method);
    jy_buf_puts(b, ",\"name\":");
    jstr(b, x->name);
    jy_buf_printf(b, ",\"unique\":%s,\"where\":", x->unique ? "true" : "false");
    jexpr(b, x->where);
    jy_buf_putc(b, '}');
}

static void junique(jy_buf *b, const ir_unique *u)
{
    jy_buf_puts(b, "{\"columns\":");
    jlist(b, u->columns, u->ncolumns, false);
    jy_buf_puts(b, ",\"name\":");
    jstr(b, u->name);
    jy_buf_putc(b, '}');
}

static void jfkey(jy_buf *b, const ir_fkey *k)
{
    jy_buf_puts(b, "{\"columns\":");
    jlist(b, k->columns, k->ncolumns, false);
    jy_buf_puts(b, ",\"name\":");
    jstr(b, k->name);
    jy_buf_puts(b, ",\"on_delete\":");
    jstr(b, ir_fk_action_name(k->on_delete));
    jy_buf_puts(b, ",\"on_update\":");
    jstr(b, ir_fk_action_name(k->on_update));
    jy_buf_puts(b, ",\"ref_columns\":");
    jlist(b, k->ref_columns, k->nref_columns, false);
    jy_buf_puts(b, ",\"ref_table\":");
    jstr(b, k->ref_table);
    jy_buf_putc(b, '}');
}

static void jcheck(jy_buf *b, const ir_check *k)
{
    jy_buf_puts(b, "{\"expr\":");
    jexpr(b, k->expr);
    jy_buf_puts(b, ",\"name\":");
    jstr(b, k->name);
    jy_buf_putc(b, '}');
}

/* JSON text without the whitespace outside strings (ir_schema_to_json
 * indents), appended to b. */
static void jminify(jy_buf *b, const char *s)
{
    bool in = false;
    for (const char *p = s; *p; p++) {
        /* runs without quotes, escapes or white space go in one append */
        const char *q = p;
        while (*q && *q != '"' && *q != '\\' && *q != ' ' && *q != '\n' && *q != '\t' &&
               *q != '\r')
            q++;
        if (q > p) {
            jy_buf_append(b, p, (size_t)(q - p));
            p = q;
            if (!*p)
                break;
        }
        if (in) {
            jy_buf_putc(b, *p);
            if (*p == '\\' && p[1])
                jy_buf_putc(b, *++p);
            else if (*p == '"')
                in = false;
        } else if (*p == '"') {
            in = true;
            jy_buf_putc(b, *p);
        } else if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\r')
            jy_buf_putc(b, *p);
    }
}

/* ------------------------------------------------------------ views */

/*
 * Part of table t (in arena a) normalized for dialect d: only column `col`
 * (with the key, which decides its nullability, and on SQLite its rowid
 * identity), or no columns and all indexes and constraints (named).
 * Normalization treats each column, index and constraint on its own, so
 * what it gives equals that part of the whole table normalized.  NULL when
 * out of memory.
 */
static ir_table *normalized_part(jy_arena *a, const ir_table *t, ir_dialect d, bool named,
                                 const char *col)
{
    ir_table v = *t;
    ir_column *c = col ? ir_table_column(t, col) : NULL;
    v.columns = c ? &c : NULL;
    v.ncolumns = c ? 1 : 0;
    if (!named)
        v.nuniques = v.nindexes = v.nfkeys = v.nchecks = 0;
    ir_table *one = &v;
    ir_schema *view = ir_schema_new(a);
    if (!view)
        return NULL;
    view->tables = &one;
    view->ntables = 1;
    ir_schema *n = ir_schema_normalize(view, d, a);
    return n && n->ntables == 1 ? n->tables[0] : NULL;
}

/* The normalized JSON of table t alone (minified) appended to b. */
static bool table_doc(jy_buf *b, jy_arena *a, const ir_table *t, ir_dialect d)
{
    ir_table *one = (ir_table *)t; /* only read */
    ir_schema *view = ir_schema_new(a);
    if (!view)
        return false;
    view->tables = &one;
    view->ntables = 1;
    char *text = ir_schema_to_json(view, d);
    if (!text)
        return false;
    jminify(b, text);
    free(text);
    return true;
}

static bool same_names(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

/*
 * The index or constraint `name` of table t (model form) in its normalized
 * part nt: appends `"list":...,"key":...` and, when want, `"want":{...}`
 * to b.  The key is its name; on SQLite, whose catalog keeps no names of
 * unique constraints and foreign keys, its columns.  false when t has no
 * such object.
 */
static bool named_check(jy_buf *b, const ir_table *t, const ir_table *nt, const char *name,
                        bool want)
{
    for (size_t i = 0; i < nt->nindexes; i++)
        if (strcmp(nt->indexes[i]->name, name) == 0) {
            jy_buf_puts(b, ",\"list\":\"indexes\",\"key\":{\"name\":");
            jstr(b, name);
            jy_buf_putc(b, '}');
            if (want) {
                jy_buf_puts(b, ",\"want\":");
                jindex(b, nt->indexes[i]);
            }
            return true;
        }
    for (size_t i = 0; i < nt->nchecks; i++)
        if (nt->checks[i]->name && strcmp(nt->checks[i]->name, name) == 0) {
            jy_buf_puts(b, ",\"list\":\"checks\",\"key\":{\"name\":");
            jstr(b, name);
            jy_buf_putc(b, '}');
            if (want) {
                jy_buf_puts(b, ",\"want\":");
                jcheck(b, nt->checks[i]);
            }
            return true;
        }
    /* unique constraints (on MySQL also unique indexes) and foreign keys:
     * by name, or by what names them in the model */
    const ir_unique *mu = NULL;
    const ir_fkey *mk = NULL;
    for (size_t i = 0; i < t->nuniques; i++)
        if (t->uniques[i]->name && strcmp(t->uniques[i]->name, name) == 0)
            mu = t->uniques[i];
    for (size_t i = 0; i < t->nfkeys; i++)
        if (t->fkeys[i]->name && strcmp(t->fkeys[i]->name, name) == 0)
            mk = t->fkeys[i];
    for (size_t i = 0; i < nt->nuniques; i++) {
        const ir_unique *u = nt->uniques[i];
        bool by_name = u->name && strcmp(u->name, name) == 0;
        bool by_cols = !u->name && mu && same_names(u->columns, u->ncolumns, mu->columns, mu->ncolumns);
        if (!by_name && !by_cols)
            continue;
        jy_buf_puts(b, ",\"list\":\"unique_constraints\",\"key\":{");
        if (by_name) {
            jy_buf_puts(b, "\"name\":");
            jstr(b, name);
        } else {
            jy_buf_puts(b, "\"columns\":");
            jlist(b, u->columns, u->ncolumns, false);
        }
        jy_buf_putc(b, '}');
        if (want) {
            jy_buf_puts(b, ",\"want\":");
            junique(b, u);
        }
        return true;
    }
    for (size_t i = 0; i < nt->nfkeys; i++) {
        const ir_fkey *k = nt->fkeys[i];
        bool by_name = k->name && strcmp(k->name, name) == 0;
        bool by_cols = !k->name && mk && same_names(k->columns, k->ncolumns, mk->columns, mk->ncolumns) &&
                       strcmp(k->ref_table, mk->ref_table) == 0;
        if (!by_name && !by_cols)
            continue;
        jy_buf_puts(b, ",\"list\":\"foreign_keys\",\"key\":{");
        if (by_name) {
            jy_buf_puts(b, "\"name\":");
            jstr(b, name);
        } else {
            jy_buf_puts(b, "\"columns\":");
            jlist(b, k->columns, k->ncolumns, false);
            jy_buf_puts(b, ",\"ref_table\":");
            jstr(b, k->ref_table);
        }
        jy_buf_putc(b, '}');
        if (want) {
            jy_buf_puts(b, ",\"want\":");
            jfkey(b, k);
        }
        return true;
    }
    return false;
}

/* ------------------------------------------------------------ reconcile */

/* The statements collected in g as a JSON array appended to b (g emptied). */
static void stmts_json(jy_buf *b, be_out *g)
{
    jy_buf_putc(b, '[');
    for (size_t i = 0; i < g->n; i++) {
        const be_bstmt *s = &g->v[i];
        if (i)
            jy_buf_putc(b, ',');
        if (s->alter_table) {
            jy_buf t;
            jy_buf_init(&t);
            jy_buf_printf(&t, "ALTER TABLE %s %s", s->alter_table, s->clause);
            jstr(b, t.data ? t.data : "");
            jy_buf_free(&t);
        } else
            jstr(b, s->sql ? s->sql : "");
    }
    jy_buf_putc(b, ']');
    g->n = 0;
}

/* SQLite: rebuild table t of schema s as the model has it (only where the
 * step runs outside a transaction, which g->no_tx says on entry). */
static void lite_rebuild_as_model(be_out *g, const ir_schema *s, const ir_table *t)
{
    if (!g->no_tx)
        return;
    const char **map = jy_arena_calloc(g->a, t->ncolumns + 1, sizeof *map);
    if (!map)
        return;
    for (size_t i = 0; i < t->ncolumns; i++)
        map[i] = t->columns[i]->name;
    be_lite_rebuild(g, s, s, t, t, map);
}

/* Turn column c of table t (in s), present with any shape, into the shape
 * the model gives it. */
static void reconcile_column(be_out *g, const ir_schema *s, const ir_table *t, const ir_column *c)
{
    if (g->d == IR_D_SQLITE) {
        lite_rebuild_as_model(g, s, t);
        return;
    }
    if (be_is_mysql(g->d)) {
        be_alter(g, t->name, "MODIFY COLUMN %s", be_column_def(g, t, c, false));
        return;
    }
    const char *q = be_qi(g, c->name);
    jy_buf b;
    jy_buf_init(&b);
    be_type_sql(&b, g->d, &c->type);
    const char *ty = jy_arena_strdup(g->a, b.data ? b.data : "");
    jy_buf_free(&b);
    be_alter(g, t->name, "ALTER COLUMN %s DROP DEFAULT", q);
    be_alter(g, t->name, "ALTER COLUMN %s TYPE %s USING %s%s::%s", q, ty, q,
             c->type.id == IR_T_ENUM ? "::text" : "", ty);
    const char *def = be_default_sql(g, c);
    if (def && !c->generated)
        be_alter(g, t->name, "ALTER COLUMN %s SET DEFAULT %s", q, def);
    bool pk = false;
    for (size_t i = 0; i < t->npk; i++)
        pk |= strcmp(t->pk[i], c->name) == 0;
    be_alter(g, t->name, "ALTER COLUMN %s %s NOT NULL", q, c->nullable && !pk ? "DROP" : "SET");
    be_sql(g, "COMMENT ON COLUMN %s.%s IS %s", be_qi(g, t->name), q,
           c->comment ? be_qs(g, c->comment) : "NULL");
}

/* Drop the index or constraint `name` of t (as the model has it) and
 * create it again as the model has it. */
static void reconcile_named(be_out *g, const ir_schema *s, const ir_table *t, const char *name)
{
    const ir_index *x = ir_table_index(t, name);
    if (x && be_is_mysql(g->d)) {
        /* one statement: the index may be the one a foreign key needs */
        be_alter(g, t->name, "DROP INDEX %s, %s", be_qi(g, name),
                 be_my_add_index_clause(g, t, x));
        return;
    }
    if (x) {
        be_drop_index(g, t, name);
        be_create_index(g, t, x, false);
        return;
    }
    const char *kind = ir_table_constraint_kind(t, name);
    if (!kind || strcmp(kind, "primary_key") == 0)
        return;
    if (g->d == IR_D_SQLITE) {
        lite_rebuild_as_model(g, s, t);
        return;
    }
    if (g->d == IR_D_POSTGRESQL)
        be_alter(g, t->name, "DROP CONSTRAINT %s", be_qi(g, name));
    else if (strcmp(kind, "fk") == 0)
        be_alter(g, t->name, "DROP FOREIGN KEY %s", be_qi(g, name));
    else if (strcmp(kind, "unique") == 0)
        be_alter(g, t->name, "DROP INDEX %s", be_qi(g, name));
    else
        be_alter(g, t->name, g->d == IR_D_MARIADB ? "DROP CONSTRAINT %s" : "DROP CHECK %s",
                 be_qi(g, name));
    for (size_t i = 0; i < t->nuniques; i++)
        if (t->uniques[i]->name && strcmp(t->uniques[i]->name, name) == 0)
            be_alter(g, t->name, "ADD %s", be_unique_clause(g, t, t->uniques[i]));
    for (size_t i = 0; i < t->nfkeys; i++)
        if (t->fkeys[i]->name && strcmp(t->fkeys[i]->name, name) == 0)
            be_alter(g, t->name, "ADD %s", be_fkey_clause(g, t->fkeys[i]));
    for (size_t i = 0; i < t->nchecks; i++)
        if (t->checks[i]->name && strcmp(t->checks[i]->name, name) == 0)
            be_alter(g, t->name, "ADD %s", be_check_clause(g, t->checks[i]));
}
/* ------------------------------------------------------------ checks */

/* What a check is about. */
typedef enum { K_TABLE, K_COLUMN, K_NAMED } kind;

typedef struct spec {
    const char *op;     /* the op's name, for messages */
    const char *expect; /* present / absent / shape / renamed */
    kind k;
    const char *table, *name, *from, *to;
    const char *verb;
} spec;
/*
 * Append the check object for spec sp to b.  want_s is the schema whose
 * shape is wanted (present/shape), key_s the schema where the object is
 * found to build its key (absent: the schema before); scratch holds the
 * normalized views.  false when the object cannot be described (then the
 * step gets no guard).
 */
/* The last SQLite rebuild written for a step: the checks of a block that
 * want the same table of the same schema share its text. */
typedef struct rebuild_cache {
    const ir_schema *s;
    const ir_table *t;
    char *json; /* malloc'd */
} rebuild_cache;

static bool make_check(jy_buf *b, be_out *g, jy_arena *scratch, rebuild_cache *rc,
                       const spec *sp, const ir_schema *want_s, const ir_schema *key_s,
                       bool missing_ok)
{
    const char *kname = sp->k == K_TABLE    ? "table"
                       : sp->k == K_COLUMN ? "column"
                       : strcmp(sp->op, "create_index") == 0 || strcmp(sp->op, "drop_index") == 0
                           ? "index"
                           : "constraint";
    jy_buf_puts(b, "{\"op\":");
    jstr(b, sp->op);
    jy_buf_puts(b, ",\"expect\":");
    jstr(b, sp->expect);
    jy_buf_puts(b, ",\"kind\":");
    jstr(b, kname);
    jy_buf_puts(b, ",\"table\":");
    jstr(b, sp->table ? sp->table : "");
    if (!strcmp(sp->expect, "renamed")) {
        jy_buf_puts(b, ",\"from\":");
        jstr(b, sp->from);
        jy_buf_puts(b, ",\"to\":");
        jstr(b, sp->to);
        jy_buf_puts(b, ",\"name\":");
        jstr(b, sp->to);
        jy_buf_putc(b, '}');
        return true;
    }
    jy_buf_puts(b, ",\"name\":");
    jstr(b, sp->name ? sp->name : sp->table);
    if (sp->verb) {
        jy_buf_puts(b, ",\"verb\":");
        jstr(b, sp->verb);
    }
    if (missing_ok)
        jy_buf_puts(b, ",\"missing_ok\":true");
    bool wants = strcmp(sp->expect, "present") == 0 || strcmp(sp->expect, "shape") == 0;
    const ir_schema *s = wants ? want_s : key_s;
    const ir_table *t = s && sp->table ? ir_schema_table(s, sp->table) : NULL;
    if (sp->k == K_TABLE) {
        if (wants) {
            if (!t)
                return false;
            jy_buf_puts(b, ",\"want_doc\":");
            if (!table_doc(b, scratch, t, g->d))
                return false;
            jy_buf_puts(b, ",\"reconcile\":[],\"reconcile_why\":");
            jstr(b, "a table is never reconciled; change it with explicit ops");
        }
        jy_buf_putc(b, '}');
        return true;
    }
    if (!t)
        return false;
    ir_table *nt = normalized_part(scratch, t, g->d, sp->k == K_NAMED,
                                   sp->k == K_COLUMN ? sp->name : NULL);
    if (!nt)
        return false;
    if (sp->k == K_COLUMN) {
        const ir_column *nc = ir_table_column(nt, sp->name);
        if (wants && !nc)
            return false;
        jy_buf_puts(b, ",\"list\":\"columns\",\"key\":{\"name\":");
        jstr(b, sp->name);
        jy_buf_putc(b, '}');
        if (wants) {
            jy_buf_puts(b, ",\"want\":");
            jcolumn(b, nc);
            const ir_column *col = ir_table_column(t, sp->name);
            jy_buf ty;
            jy_buf_init(&ty);
            be_type_sql(&ty, g->d, &col->type);
            jy_buf_puts(b, ",\"want_sql\":");
            jstr(b, ty.data ? ty.data : "");
            jy_buf_free(&ty);
        }
    } else if (!named_check(b, t, nt, sp->name, wants))
        return false;
    if (wants && g->d == IR_D_SQLITE && g->no_tx && (sp->k == K_COLUMN || !ir_table_index(t, sp->name)) &&
        rc->s == s && rc->t == t && rc->json) {
        /* the same rebuild as an earlier check of the step */
        jy_buf_puts(b, ",\"reconcile\":");
        jy_buf_puts(b, rc->json);
    } else if (wants) {
        if (sp->k == K_COLUMN)
            reconcile_column(g, s, t, ir_table_column(t, sp->name));
        else
            reconcile_named(g, s, t, sp->name);
        bool none = g->n == 0;
        bool rebuild = g->d == IR_D_SQLITE && !none && (sp->k == K_COLUMN || !ir_table_index(t, sp->name));
        jy_buf_puts(b, ",\"reconcile\":");
        size_t at = b->len;
        stmts_json(b, g);
        if (rebuild && !b->failed) {
            free(rc->json);
            rc->json = malloc(b->len - at + 1);
            if (rc->json) {
                memcpy(rc->json, b->data + at, b->len - at);
                rc->json[b->len - at] = 0;
                rc->s = s;
                rc->t = t;
            }
        }
        if (none && g->d == IR_D_SQLITE) {
            jy_buf_puts(b, ",\"reconcile_why\":");
            jstr(b, "SQLite changes a column or a constraint only by a table rebuild, which runs "
                    "in an op.batch block");
        }
    }
    jy_buf_putc(b, '}');
    return true;
}

/* The table an index belongs to: the op's table= or the table in s that
 * has it. */
static const char *index_table(const ir_op *op, size_t tslot, const ir_schema *s)
{
    const char *t = sarg(op, tslot);
    if (t)
        return t;
    ir_table *owner = NULL;
    if (s && ir_schema_index(s, sarg(op, 0), &owner) && owner)
        return owner->name;
    return NULL;
}

/*
 * The spec of op's check, forward (the op runs: the database goes from
 * `pre` to `post`) or inverse (the synthesized downgrade undoes it: from
 * `post` to `pre`).  *want / *key get the schemas to describe it by.
 * false for ops without a check.
 */
static bool op_spec(const ir_op *op, bool inverse, const ir_schema *pre, const ir_schema *post,
                    spec *sp, const ir_schema **want, const ir_schema **key)
{
    memset(sp, 0, sizeof *sp);
    sp->op = op->info->name;
    /* forward: present wants post, absent is keyed in pre; inverse: the
     * other way round */
    const ir_schema *now = inverse ? pre : post, *was = inverse ? post : pre;
    *want = now;
    *key = was;
    const char *create = inverse ? "absent" : "present", *drop = inverse ? "present" : "absent";
    const char *verb_c = inverse ? "restores it as" : "creates it as";
    switch (op->kind) {
    case IR_OP_create_table:
    case IR_OP_drop_table:
        sp->k = K_TABLE;
        sp->table = sarg(op, 0);
        sp->expect = op->kind == IR_OP_create_table ? create : drop;
        sp->verb = verb_c;
        return true;
    case IR_OP_rename_table:
        sp->k = K_TABLE;
        sp->expect = "renamed";
        sp->from = sarg(op, inverse ? IR_A_rename_table_new : IR_A_rename_table_old);
        sp->to = sarg(op, inverse ? IR_A_rename_table_old : IR_A_rename_table_new);
        sp->table = sp->to;
        return true;
    case IR_OP_add_column:
    case IR_OP_drop_column:
        sp->k = K_COLUMN;
        sp->table = sarg(op, 0);
        sp->name = sarg(op, 1);
        sp->expect = op->kind == IR_OP_add_column ? create : drop;
        sp->verb = inverse ? "restores it as" : "adds it as";
        return true;
    case IR_OP_alter_column:
        sp->k = K_COLUMN;
        sp->table = sarg(op, IR_A_alter_column_table);
        sp->name = sarg(op, IR_A_alter_column_name);
        sp->expect = "shape";
        sp->verb = "changes it to";
        return true;
    case IR_OP_rename_column:
        sp->k = K_COLUMN;
        sp->expect = "renamed";
        sp->table = sarg(op, IR_A_rename_column_table);
        sp->from = sarg(op, inverse ? IR_A_rename_column_new : IR_A_rename_column_old);
        sp->to = sarg(op, inverse ? IR_A_rename_column_old : IR_A_rename_column_new);
        return true;
    case IR_OP_create_index:
    case IR_OP_drop_index: {
        sp->k = K_NAMED;
        sp->name = sarg(op, 0);
        bool c = op->kind == IR_OP_create_index;
        sp->expect = c ? create : drop;
        /* the index lives in the schema where it exists */
        sp->table = index_table(op, c ? IR_A_create_index_table : IR_A_drop_index_table,
                                c ? post : pre);
        sp->verb = verb_c;
        return sp->table != NULL;
    }
    case IR_OP_create_unique_constraint:
    case IR_OP_create_check_constraint:
    case IR_OP_create_foreign_key:
    case IR_OP_drop_constraint:
        sp->k = K_NAMED;
        sp->name = sarg(op, 0);
        sp->table = sarg(op, 1);
        sp->expect = op->kind == IR_OP_drop_constraint ? drop : create;
        sp->verb = verb_c;
        return true;
    default:
        return false;
    }
}

/* on_mismatch of a step: the first on_mismatch= written on one of its ops
 * (add_column, create_table), else the migration's. */
static const char *mismatch_of(const ir_migration *m, ir_op *const *ops, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const ir_op *op = ops[i];
        size_t slot = op->kind == IR_OP_add_column    ? IR_A_add_column_on_mismatch
                      : op->kind == IR_OP_create_table ? IR_A_create_table_on_mismatch
                                                       : (size_t)-1;
        const char *s = slot != (size_t)-1 ? sarg(op, slot) : NULL;
        if (s)
            return s;
    }
    return ir_mismatch_name(m->on_mismatch);
}

const char *be_step_summary(be_out *o, const ir_op *op)
{
    switch (op->kind) {
    case IR_OP_create_table:
    case IR_OP_drop_table:
    case IR_OP_backfill:
    case IR_OP_bulk_insert:
        return sarg(op, 0) ? sarg(op, 0) : "";
    case IR_OP_rename_table:
        return jy_arena_printf(o->a, "%s -> %s", sarg(op, 0), sarg(op, 1));
    case IR_OP_add_column:
    case IR_OP_drop_column:
    case IR_OP_alter_column:
        return jy_arena_printf(o->a, "%s.%s", sarg(op, 0), sarg(op, 1));
    case IR_OP_rename_column:
        return jy_arena_printf(o->a, "%s.%s -> %s.%s", sarg(op, 0), sarg(op, 1), sarg(op, 0),
                               sarg(op, 2));
    case IR_OP_create_index:
    case IR_OP_drop_index:
    case IR_OP_create_unique_constraint:
    case IR_OP_create_check_constraint:
    case IR_OP_create_foreign_key:
    case IR_OP_drop_constraint:
        return sarg(op, 0) ? sarg(op, 0) : "";
    default:
        return "";
    }
}

/* Does any op of ops[0..i) of a block create column (table, name), by
 * add_column or as the new name of a rename_column? */
static bool added_earlier(ir_op *const *ops, size_t i, const char *table, const char *name)
{
    for (size_t k = 0; k < i; k++) {
        if (!sarg(ops[k], 0) || !sarg(ops[k], 1) || strcmp(sarg(ops[k], 0), table) != 0)
            continue;
        if (ops[k]->kind == IR_OP_add_column && strcmp(sarg(ops[k], 1), name) == 0)
            return true;
        if (ops[k]->kind == IR_OP_rename_column && sarg(ops[k], 2) &&
            strcmp(sarg(ops[k], 2), name) == 0)
            return true;
    }
    return false;
}

/* The objects op names: its table and up to two names within it (columns;
 * index and constraint names; both names of a rename). */
static void op_objects(const ir_op *op, const char **table, const char *names[2])
{
    *table = NULL;
    names[0] = names[1] = NULL;
    switch (op->kind) {
    case IR_OP_add_column:
    case IR_OP_drop_column:
    case IR_OP_alter_column:
        *table = sarg(op, 0);
        names[0] = sarg(op, 1);
        return;
    case IR_OP_rename_column:
        *table = sarg(op, 0);
        names[0] = sarg(op, 1);
        names[1] = sarg(op, 2);
        return;
    case IR_OP_create_index:
    case IR_OP_drop_index:
    case IR_OP_create_unique_constraint:
    case IR_OP_create_check_constraint:
    case IR_OP_create_foreign_key:
    case IR_OP_drop_constraint:
        names[0] = sarg(op, 0);
        return;
    default:
        return;
    }
}

/* In a block: does an op after ops[i] name an object ops[i] names?  Its
 * check would then test a state the block does not leave behind. */
static bool superseded(ir_op *const *ops, size_t i, size_t n)
{
    const char *t, *a[2];
    op_objects(ops[i], &t, a);
    for (size_t k = i + 1; k < n; k++) {
        const char *u, *b[2];
        op_objects(ops[k], &u, b);
        if ((t || u) && !(t && u && strcmp(t, u) == 0))
            continue;
        for (size_t x = 0; x < 2; x++)
            for (size_t y = 0; y < 2; y++)
                if (a[x] && b[y] && strcmp(a[x], b[y]) == 0)
                    return true;
    }
    return false;
}

/* Does table `table` of s have the column or the index / constraint? */
static bool object_in(const ir_schema *s, kind k, const char *table, const char *name)
{
    const ir_table *t = table ? ir_schema_table(s, table) : NULL;
    if (!t)
        return false;
    if (k == K_TABLE)
        return true;
    if (k == K_COLUMN)
        return ir_table_column(t, name) != NULL;
    return ir_table_index(t, name) || ir_table_constraint_kind(t, name);
}
/* The normalized shape of column `col` of `table` in s as JSON text (in a),
 * or NULL. */
static const char *column_shape(jy_arena *a, const ir_schema *s, const char *table,
                                const char *col, ir_dialect d)
{
    const ir_table *t = s && table ? ir_schema_table(s, table) : NULL;
    ir_table *nt = t ? normalized_part(a, t, d, false, col) : NULL;
    const ir_column *c = nt ? ir_table_column(nt, col) : NULL;
    if (!c)
        return NULL;
    jy_buf b;
    jy_buf_init(&b);
    jcolumn(&b, c);
    const char *out = b.failed || !b.data ? NULL : jy_arena_strdup(a, b.data);
    jy_buf_free(&b);
    return out;
}

/*
 * A step the live catalog cannot tell done from not done: on SQLite an
 * alter_column whose change normalizes away in the column (an Enum's labels
 * live in a CHECK with no name; the column stays TEXT).  Such a step gets
 * no guard: it runs again on resume, which is safe because its table
 * rebuild goes to the same final shape (not when the block also renames:
 * then the guard stays).
 */
static bool invisible_on_sqlite(be_out *o, ir_op *const *ops, const ir_schema *const *pre,
                                const ir_schema *const *post, size_t n)
{
    if (o->d != IR_D_SQLITE)
        return false;
    bool invisible = false;
    jy_arena *a = jy_arena_new();
    if (!a)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (ops[i]->kind == IR_OP_rename_column || ops[i]->kind == IR_OP_rename_table) {
            invisible = false;
            break;
        }
        if (ops[i]->kind != IR_OP_alter_column || IR_A_alter_column_type >= ops[i]->info->nparams ||
            !ops[i]->args[IR_A_alter_column_type])
            continue;
        const char *t = sarg(ops[i], IR_A_alter_column_table);
        const char *c = sarg(ops[i], IR_A_alter_column_name);
        const ir_table *bt = pre[i] && t ? ir_schema_table(pre[i], t) : NULL;
        const ir_table *at = post[i] && t ? ir_schema_table(post[i], t) : NULL;
        const ir_column *bc = bt && c ? ir_table_column(bt, c) : NULL;
        const ir_column *ac = at && c ? ir_table_column(at, c) : NULL;
        if (!bc || !ac || bc->type.id != IR_T_ENUM || ac->type.id != IR_T_ENUM)
            continue;
        const char *x = column_shape(a, pre[i], t, c, o->d), *y = column_shape(a, post[i], t, c, o->d);
        if (x && y && strcmp(x, y) == 0)
            invisible = true;
    }
    jy_arena_free(a);
    return invisible;
}

const char *be_guard_json(be_out *o, ir_op *const *ops, const ir_schema *const *pre,
                          const ir_schema *const *post, size_t n, bool inverse, bool outside_tx)
{
    if (!n)
        return NULL;
    if (invisible_on_sqlite(o, ops, pre, post, n))
        return NULL;
    be_out g = {.a = o->a, .d = o->d, .diags = o->diags, .m = o->m, .op = ops[0]};
    /* a SQLite rebuild opens its own transaction with foreign keys off:
     * only a step that runs outside one may reconcile that way */
    g.no_tx = outside_tx;
    jy_arena *scratch = jy_arena_new();
    if (!scratch) {
        o->failed = true;
        return NULL;
    }
    rebuild_cache rc = {NULL, NULL, NULL};
    jy_buf checks, tables;
    jy_buf_init(&checks);
    jy_buf_init(&tables);
    const char *seen[2 * 64];
    size_t nseen = 0, nchecks = 0;
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        spec sp;
        const ir_schema *want, *key;
        if (!op_spec(ops[i], inverse, pre[i], post[i], &sp, &want, &key)) {
            ok = false;
            break;
        }
        /* in a block, an op whose object a later op changes again, and a
         * drop of what was not there before the block (made and dropped
         * in it), are not checked: the later op's check tells */
        if (n > 1 && (superseded(ops, i, n) ||
                      (!strcmp(sp.expect, "absent") && !object_in(pre[0], sp.k, sp.table, sp.name))))
            continue;
        /* a rename of what the block itself made: the new name must be there */
        if (n > 1 && !strcmp(sp.expect, "renamed") && !inverse &&
            !object_in(pre[0], sp.k, sp.k == K_TABLE ? sp.from : sp.table, sp.from)) {
            sp.expect = "present";
            sp.name = sp.to;
            sp.verb = "creates it as";
            want = post[i];
        }
        /* in a block, an object the block changes again later is wanted
         * as the block leaves it */
        const ir_schema *fin = inverse ? pre[0] : post[n - 1];
        if (n > 1 && (strcmp(sp.expect, "present") == 0 || strcmp(sp.expect, "shape") == 0) &&
            object_in(fin, sp.k, sp.table, sp.name))
            want = fin;
        bool missing_ok = n > 1 && !inverse && ops[i]->kind == IR_OP_alter_column &&
                          added_earlier(ops, i, sp.table, sp.name);
        if (nchecks++)
            jy_buf_putc(&checks, ',');
        if (!make_check(&checks, &g, scratch, &rc, &sp, want, key, missing_ok)) {
            ok = false;
            break;
        }
        const char *tn[2] = {sp.table, sp.k == K_TABLE ? sp.from : NULL};
        for (size_t t = 0; t < 2; t++) {
            bool dup = !tn[t];
            for (size_t x = 0; !dup && x < nseen; x++)
                dup = strcmp(seen[x], tn[t]) == 0;
            if (dup)
                continue;
            if (nseen < sizeof seen / sizeof *seen)
                seen[nseen++] = tn[t];
            if (tables.len)
                jy_buf_putc(&tables, ',');
            jstr(&tables, tn[t]);
        }
    }
    const char *out = NULL;
    if (ok && nchecks && !checks.failed && !tables.failed) {
        jy_buf b;
        jy_buf_init(&b);
        jy_buf_puts(&b, "{\"checks\":[");
        jy_buf_puts(&b, checks.data);
        jy_buf_puts(&b, "],\"dialect\":");
        jstr(&b, ir_dialect_name(o->d));
        jy_buf_puts(&b, ",\"format\":\"joryu.guard/1\",\"on_mismatch\":");
        jstr(&b, inverse ? "error" : mismatch_of(o->m, ops, n));
        jy_buf_puts(&b, ",\"op\":");
        jstr(&b, ops[0]->info->name);
        jy_buf_puts(&b, ",\"summary\":");
        jstr(&b, be_step_summary(o, ops[0]));
        jy_buf_puts(&b, ",\"tables\":[");
        jy_buf_puts(&b, tables.data ? tables.data : "");
        jy_buf_puts(&b, "]}");
        out = b.failed ? NULL : jy_arena_strdup(o->a, b.data);
        jy_buf_free(&b);
        if (!out)
            o->failed = true;
    }
    jy_buf_free(&checks);
    jy_buf_free(&tables);
    free(rc.json);
    jy_arena_free(scratch);
    return out;
}
