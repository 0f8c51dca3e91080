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
 *       "want_sql": "TEXT",          columns: the type as the dialect spells it
 *       "verb": "adds it as",        for the drift message
 *       "missing_ok": false,         shape: a missing object means "run"
 *       "from": "a", "to": "b",      renamed
 *       "reconcile": ["ALTER ..."]}  present/shape: on_mismatch=alter
 *    ]}
 */
#include "be_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char *sarg(const ir_op *op, size_t i)
{
    const ir_value *v = i < op->info->nparams ? op->args[i] : NULL;
    return v && v->kind == IR_V_STR ? v->u.str.s : NULL;
}

/* The normalized JSON of table t alone, as dialect d stores and gives it
 * back (a new reference, or NULL).  The table is shown through a schema
 * that borrows it (no copy). */
static json_t *table_json(const ir_table *t, ir_dialect d)
{
    if (!t)
        return NULL;
    ir_schema *v = ir_schema_new(NULL);
    if (!v)
        return NULL;
    ir_table *one = (ir_table *)t;
    v->tables = &one;
    v->ntables = 1;
    char *text = ir_schema_to_json(v, d);
    v->tables = NULL;
    v->ntables = 0;
    ir_schema_free(v);
    if (!text)
        return NULL;
    json_t *root = json_loads(text, 0, NULL);
    free(text);
    json_t *tj = json_incref(json_array_get(json_object_get(root, "tables"), 0));
    json_decref(root);
    return tj;
}

/* The element of array `list` of table JSON tj whose fields equal those of
 * key (borrowed), or NULL. */
static json_t *find_in(json_t *tj, const char *list, json_t *key)
{
    json_t *arr = json_object_get(tj, list);
    size_t i;
    json_t *el;
    json_array_foreach(arr, i, el) {
        const char *k;
        json_t *v;
        bool ok = true;
        json_object_foreach(key, k, v) {
            if (!json_equal(json_object_get(el, k), v)) {
                ok = false;
                break;
            }
        }
        if (ok)
            return el;
    }
    return NULL;
}

static const char *const named_lists[] = {"indexes", "unique_constraints", "foreign_keys",
                                          "checks"};

static json_t *jlist(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

/*
 * Where the index or constraint `name` of table t is in the normalized
 * JSON tj: the list and a key that finds it there (its name; on SQLite,
 * whose catalog keeps no names of unique constraints and foreign keys,
 * its columns).  false when t has no such object.  *key is a new reference.
 */
static bool locate_named(json_t *tj, const ir_table *t, const char *name, const char **list,
                         json_t **key)
{
    json_t *k = json_pack("{s:s}", "name", name);
    for (size_t i = 0; i < sizeof named_lists / sizeof *named_lists; i++)
        if (find_in(tj, named_lists[i], k)) {
            *list = named_lists[i];
            *key = k;
            return true;
        }
    json_decref(k);
    for (size_t i = 0; t && i < t->nuniques; i++)
        if (t->uniques[i]->name && strcmp(t->uniques[i]->name, name) == 0) {
            *list = "unique_constraints";
            *key = json_pack("{s:o}", "columns", jlist(t->uniques[i]->columns, t->uniques[i]->ncolumns));
            return find_in(tj, *list, *key) != NULL;
        }
    for (size_t i = 0; t && i < t->nfkeys; i++)
        if (t->fkeys[i]->name && strcmp(t->fkeys[i]->name, name) == 0) {
            *list = "foreign_keys";
            *key = json_pack("{s:o,s:s}", "columns",
                             jlist(t->fkeys[i]->columns, t->fkeys[i]->ncolumns), "ref_table",
                             t->fkeys[i]->ref_table);
            return find_in(tj, *list, *key) != NULL;
        }
    *key = NULL;
    return false;
}

/* ------------------------------------------------------------ reconcile */

/* The statements collected in g as plain strings (a JSON array). */
static json_t *stmts_json(be_out *g)
{
    json_t *a = json_array();
    for (size_t i = 0; i < g->n; i++) {
        const be_bstmt *s = &g->v[i];
        if (s->alter_table) {
            char *t = jy_arena_printf(g->a, "ALTER TABLE %s %s", s->alter_table, s->clause);
            json_array_append_new(a, json_string(t ? t : ""));
        } else
            json_array_append_new(a, json_string(s->sql ? s->sql : ""));
    }
    g->n = 0;
    return a;
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

/* A check object for spec sp.  want_s is the schema whose shape is
 * wanted (present/shape), key_s the schema where the object is found to
 * build its key (absent: the schema before).  NULL when the object cannot
 * be described (then the step gets no guard). */
static json_t *make_check(be_out *g, const spec *sp, const ir_schema *want_s,
                          const ir_schema *key_s, bool missing_ok)
{
    json_t *c = json_object();
    json_object_set_new(c, "op", json_string(sp->op));
    json_object_set_new(c, "expect", json_string(sp->expect));
    json_object_set_new(c, "kind", json_string(sp->k == K_TABLE    ? "table"
                                               : sp->k == K_COLUMN ? "column"
                                               : strcmp(sp->op, "create_index") == 0 ||
                                                       strcmp(sp->op, "drop_index") == 0
                                                   ? "index"
                                                   : "constraint"));
    json_object_set_new(c, "table", json_string(sp->table ? sp->table : ""));
    if (!strcmp(sp->expect, "renamed")) {
        json_object_set_new(c, "from", json_string(sp->from));
        json_object_set_new(c, "to", json_string(sp->to));
        json_object_set_new(c, "name", json_string(sp->to));
        return c;
    }
    json_object_set_new(c, "name", json_string(sp->name ? sp->name : sp->table));
    if (sp->verb)
        json_object_set_new(c, "verb", json_string(sp->verb));
    if (missing_ok)
        json_object_set_new(c, "missing_ok", json_true());
    bool wants = strcmp(sp->expect, "present") == 0 || strcmp(sp->expect, "shape") == 0;
    const ir_schema *s = wants ? want_s : key_s;
    const ir_table *t = s && sp->table ? ir_schema_table(s, sp->table) : NULL;
    if (sp->k == K_TABLE) {
        if (wants) {
            json_t *tj = table_json(t, g->d);
            if (!tj) {
                json_decref(c);
                return NULL;
            }
            json_object_set_new(c, "want", tj);
            json_object_set_new(c, "reconcile_why",
                                json_string("a table is never reconciled; change it "
                                            "with explicit ops"));
        }
        return c;
    }
    json_t *tj = table_json(t, g->d);
    if (!tj) {
        json_decref(c);
        return NULL;
    }
    const char *list = "columns";
    json_t *key = NULL;
    if (sp->k == K_COLUMN) {
        key = json_pack("{s:s}", "name", sp->name);
        if (wants && !find_in(tj, list, key)) {
            json_decref(key);
            key = NULL;
        }
    } else if (!locate_named(tj, t, sp->name, &list, &key)) {
        json_decref(key);
        key = NULL;
    }
    if (!key) {
        json_decref(tj);
        json_decref(c);
        return NULL;
    }
    json_object_set_new(c, "list", json_string(list));
    json_object_set_new(c, "key", json_incref(key));
    if (wants) {
        json_object_set_new(c, "want", json_incref(find_in(tj, list, key)));
        if (sp->k == K_COLUMN) {
            const ir_column *col = ir_table_column(t, sp->name);
            jy_buf b;
            jy_buf_init(&b);
            if (col)
                be_type_sql(&b, g->d, &col->type);
            json_object_set_new(c, "want_sql", json_string(b.data ? b.data : ""));
            jy_buf_free(&b);
            if (col)
                reconcile_column(g, s, t, col);
        } else
            reconcile_named(g, s, t, sp->name);
        json_t *rec = stmts_json(g);
        if (!json_array_size(rec) && g->d == IR_D_SQLITE)
            json_object_set_new(c, "reconcile_why",
                                json_string("SQLite changes a column or a constraint only by a "
                                            "table rebuild, which runs in an op.batch block"));
        json_object_set_new(c, "reconcile", rec);
    }
    json_decref(key);
    json_decref(tj);
    return c;
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

static const char *mismatch_of(const ir_migration *m, const ir_op *op)
{
    size_t slot = op->kind == IR_OP_add_column    ? IR_A_add_column_on_mismatch
                  : op->kind == IR_OP_create_table ? IR_A_create_table_on_mismatch
                                                   : (size_t)-1;
    const char *s = slot != (size_t)-1 ? sarg(op, slot) : NULL;
    return s ? s : ir_mismatch_name(m->on_mismatch);
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

/* Does any op of ops[0..i) of a block create column (table, name)? */
static bool added_earlier(ir_op *const *ops, size_t i, const char *table, const char *name)
{
    for (size_t k = 0; k < i; k++)
        if (ops[k]->kind == IR_OP_add_column && strcmp(sarg(ops[k], 0), table) == 0 &&
            strcmp(sarg(ops[k], 1), name) == 0)
            return true;
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

const char *be_guard_json(be_out *o, ir_op *const *ops, const ir_schema *const *pre,
                          const ir_schema *const *post, size_t n, bool inverse, bool outside_tx)
{
    if (!n)
        return NULL;
    be_out g = {.a = o->a, .d = o->d, .diags = o->diags, .m = o->m, .op = ops[0]};
    /* a SQLite rebuild opens its own transaction with foreign keys off:
     * only a step that runs outside one may reconcile that way */
    g.no_tx = outside_tx;
    json_t *checks = json_array();
    json_t *tables = json_array();
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
        if (n > 1 && (strcmp(sp.expect, "present") == 0 || strcmp(sp.expect, "shape") == 0)) {
            const ir_table *ft = sp.table ? ir_schema_table(fin, sp.table) : NULL;
            bool there = ft && (sp.k == K_TABLE || (sp.k == K_COLUMN && ir_table_column(ft, sp.name)) ||
                                (sp.k == K_NAMED && (ir_table_index(ft, sp.name) ||
                                                     ir_table_constraint_kind(ft, sp.name))));
            if (there)
                want = fin;
        }
        bool missing_ok = n > 1 && !inverse && ops[i]->kind == IR_OP_alter_column &&
                          added_earlier(ops, i, sp.table, sp.name);
        json_t *c = make_check(&g, &sp, want, key, missing_ok);
        if (!c) {
            ok = false;
            break;
        }
        json_array_append_new(checks, c);
        const char *tn[2] = {sp.table, sp.k == K_TABLE ? sp.from : NULL};
        for (size_t t = 0; t < 2; t++) {
            if (!tn[t])
                continue;
            bool seen = false;
            size_t x;
            json_t *v;
            json_array_foreach(tables, x, v) seen |= strcmp(json_string_value(v), tn[t]) == 0;
            if (!seen)
                json_array_append_new(tables, json_string(tn[t]));
        }
    }
    const char *out = NULL;
    if (ok && json_array_size(checks) == 0)
        ok = false;
    if (ok) {
        json_t *root = json_object();
        json_object_set_new(root, "format", json_string("joryu.guard/1"));
        json_object_set_new(root, "dialect", json_string(ir_dialect_name(o->d)));
        json_object_set_new(root, "op", json_string(ops[0]->info->name));
        json_object_set_new(root, "summary", json_string(be_step_summary(o, ops[0])));
        json_object_set_new(root, "on_mismatch",
                            json_string(inverse ? "error" : mismatch_of(o->m, ops[0])));
        json_object_set_new(root, "checks", checks);
        json_object_set_new(root, "tables", tables);
        char *text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(root);
        if (text)
            out = jy_arena_strdup(o->a, text);
        free(text);
        if (!out)
            o->failed = true;
    } else {
        json_decref(checks);
        json_decref(tables);
    }
    return out;
}
