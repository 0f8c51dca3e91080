/*
 * emit.c - the statements of every op for a dialect, given the schema
 * before and after it (replay), op.batch blocks (one ALTER TABLE, or one
 * SQLite rebuild), downgrade synthesis, the merge pass and the program
 * driver (be_emit_program).
 */
#include "be_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

static const ir_value *arg(const ir_op *op, size_t i)
{
    return i < op->info->nparams ? op->args[i] : NULL;
}

static const char *sarg(const ir_op *op, size_t i)
{
    const ir_value *v = arg(op, i);
    return v && v->kind == IR_V_STR ? v->u.str.s : NULL;
}

static bool streq(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_list(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

/* The table an op works on (first table argument), or NULL. */
static const char *op_table(const ir_op *op)
{
    switch (op->kind) {
    case IR_OP_create_table: return sarg(op, IR_A_create_table_name);
    case IR_OP_drop_table: return sarg(op, IR_A_drop_table_name);
    case IR_OP_rename_table: return sarg(op, IR_A_rename_table_old);
    case IR_OP_add_column: return sarg(op, IR_A_add_column_table);
    case IR_OP_drop_column: return sarg(op, IR_A_drop_column_table);
    case IR_OP_alter_column: return sarg(op, IR_A_alter_column_table);
    case IR_OP_rename_column: return sarg(op, IR_A_rename_column_table);
    case IR_OP_create_index: return sarg(op, IR_A_create_index_table);
    case IR_OP_drop_index: return sarg(op, IR_A_drop_index_table);
    case IR_OP_create_unique_constraint: return sarg(op, IR_A_create_unique_constraint_table);
    case IR_OP_create_check_constraint: return sarg(op, IR_A_create_check_constraint_table);
    case IR_OP_create_foreign_key: return sarg(op, IR_A_create_foreign_key_source_table);
    case IR_OP_drop_constraint: return sarg(op, IR_A_drop_constraint_table);
    case IR_OP_backfill: return sarg(op, IR_A_backfill_table);
    case IR_OP_bulk_insert: return sarg(op, IR_A_bulk_insert_table);
    default: return NULL;
    }
}

static bool same_default(const ir_default *a, const ir_default *b)
{
    return a->kind == b->kind && streq(a->text, b->text);
}

static bool same_type(jy_arena *a, const ir_type *x, const ir_type *y)
{
    const char *dx = ir_type_describe(a, x), *dy = ir_type_describe(a, y);
    return dx && dy && strcmp(dx, dy) == 0;
}

/* ------------------------------------------------------------ enums */

/* How many enums from the start `from` and `to` share (the same ir_enum
 * objects): schemas of one replay share their enum arrays, which change in
 * place only by appending, so one array means a common prefix as long as
 * the shorter list, found without a walk. */
static size_t common_enums(const ir_schema *from, const ir_schema *to)
{
    size_t n = from->nenums < to->nenums ? from->nenums : to->nenums;
    if (from->enums == to->enums)
        return n;
    size_t i = 0;
    while (i < n && to->enums[i] == from->enums[i])
        i++;
    return i;
}

/* PostgreSQL: CREATE TYPE for the enums `to` has and `from` lacks. */
static void enums_created(be_out *o, const ir_schema *from, const ir_schema *to)
{
    if (o->d != IR_D_POSTGRESQL)
        return;
    /* schemas of one replay share their unchanged enums: skip the common
     * prefix (present in both) without looking names up */
    size_t i0 = common_enums(from, to);
    /* when the prefix is all of `from`, the rest of `to` (names are unique
     * in a schema) is new: no lookups */
    bool rest_new = i0 == from->nenums;
    for (size_t i = i0; i < to->nenums; i++) {
        const ir_enum *e = to->enums[i];
        if (!rest_new && ir_schema_enum(from, e->name))
            continue;
        jy_buf b;
        jy_buf_init(&b);
        for (size_t j = 0; j < e->nlabels; j++) {
            if (j)
                jy_buf_puts(&b, ", ");
            be_quote_string(&b, o->d, e->labels[j]);
        }
        be_sql(o, "CREATE TYPE %s AS ENUM (%s)", be_qi(o, e->name), b.data ? b.data : "");
        jy_buf_free(&b);
    }
}

/* PostgreSQL: DROP TYPE for the enums `from` has and `to` lacks. */
static void enums_dropped(be_out *o, const ir_schema *from, const ir_schema *to)
{
    if (o->d != IR_D_POSTGRESQL)
        return;
    size_t i0 = common_enums(from, to);
    bool rest_gone = i0 == to->nenums;
    for (size_t i = i0; i < from->nenums; i++)
        if (rest_gone || !ir_schema_enum(to, from->enums[i]->name))
            be_sql(o, "DROP TYPE %s", be_qi(o, from->enums[i]->name));
}

/* ------------------------------------------------------------ pieces */

static const char *pk_constraint_name(be_out *o, const ir_table *t)
{
    return t->pk_name ? t->pk_name : jy_arena_printf(o->a, "%s_pkey", t->name);
}

/* The primary key went from `from` to `to` (same table). */
static void pk_change(be_out *o, const ir_table *from, const ir_table *to, bool from_gone)
{
    if (same_list(from->pk, from->npk, to->pk, to->npk))
        return;
    if (from->npk && !from_gone) {
        if (o->d == IR_D_POSTGRESQL)
            be_alter(o, to->name, "DROP CONSTRAINT %s", be_qi(o, pk_constraint_name(o, from)));
        else
            be_alter(o, to->name, "DROP PRIMARY KEY");
    }
    if (to->npk)
        be_alter(o, to->name, "ADD PRIMARY KEY (%s)", be_qlist(o, to->pk, to->npk));
}

/* Indexes of `to` that `from` lacks (same table). */
static void indexes_added(be_out *o, const ir_table *from, const ir_table *to)
{
    for (size_t i = 0; i < to->nindexes; i++)
        if (!from || !ir_table_index(from, to->indexes[i]->name))
            be_create_index(o, to, to->indexes[i], false);
}

static bool has_unique(const ir_table *t, const ir_unique *u)
{
    for (size_t i = 0; i < t->nuniques; i++)
        if (streq(t->uniques[i]->name, u->name) &&
            same_list(t->uniques[i]->columns, t->uniques[i]->ncolumns, u->columns, u->ncolumns))
            return true;
    return false;
}

static bool has_fkey(const ir_table *t, const ir_fkey *k)
{
    for (size_t i = 0; i < t->nfkeys; i++)
        if (streq(t->fkeys[i]->name, k->name) &&
            same_list(t->fkeys[i]->columns, t->fkeys[i]->ncolumns, k->columns, k->ncolumns))
            return true;
    return false;
}

static bool has_check(const ir_table *t, const ir_check *k)
{
    for (size_t i = 0; i < t->nchecks; i++)
        if (streq(t->checks[i]->name, k->name) && streq(t->checks[i]->expr, k->expr))
            return true;
    return false;
}

/* Constraints of `to` that `from` lacks (same table). */
static void constraints_added(be_out *o, const ir_table *from, const ir_table *to)
{
    for (size_t i = 0; i < to->nuniques; i++)
        if (!has_unique(from, to->uniques[i]))
            be_alter(o, to->name, "ADD %s", be_unique_clause(o, to, to->uniques[i]));
    for (size_t i = 0; i < to->nfkeys; i++)
        if (!has_fkey(from, to->fkeys[i]))
            be_alter(o, to->name, "ADD %s", be_fkey_clause(o, to->fkeys[i]));
    for (size_t i = 0; i < to->nchecks; i++)
        if (!has_check(from, to->checks[i]) && to->checks[i]->name)
            be_alter(o, to->name, "ADD %s", be_check_clause(o, to->checks[i]));
}

/* Does an index (primary key, unique constraint or index) of t begin with
 * the columns of foreign key k?  (MySQL then creates no index for it.) */
static bool prefix_of(const char *const *cols, size_t n, const char *const *of, size_t nof)
{
    if (n > nof)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(cols[i], of[i]) != 0)
            return false;
    return true;
}

static bool fk_covered(const ir_table *t, const ir_fkey *k)
{
    if (prefix_of(k->columns, k->ncolumns, t->pk, t->npk))
        return true;
    for (size_t i = 0; i < t->nuniques; i++)
        if (prefix_of(k->columns, k->ncolumns, t->uniques[i]->columns, t->uniques[i]->ncolumns))
            return true;
    for (size_t i = 0; i < t->nindexes; i++)
        if (prefix_of(k->columns, k->ncolumns, t->indexes[i]->columns, t->indexes[i]->ncolumns))
            return true;
    return false;
}

/* Drop a named constraint of t by its kind. */
static void drop_constraint_sql(be_out *o, const ir_table *t, const char *name)
{
    const char *kind = ir_table_constraint_kind(t, name);
    if (o->d == IR_D_POSTGRESQL) {
        be_alter(o, t->name, "DROP CONSTRAINT %s", be_qi(o, name));
        return;
    }
    if (!kind)
        return;
    if (!strcmp(kind, "fk")) {
        be_alter(o, t->name, "DROP FOREIGN KEY %s", be_qi(o, name));
        /* MySQL created an index of the same name for the key when no
         * index began with its columns: it outlives the key, drop it too */
        const ir_fkey *k = NULL;
        for (size_t i = 0; i < t->nfkeys; i++)
            if (streq(t->fkeys[i]->name, name))
                k = t->fkeys[i];
        if (k && !fk_covered(t, k))
            be_alter(o, t->name, "DROP INDEX %s", be_qi(o, name));
    }
    else if (!strcmp(kind, "unique")) {
        /* a foreign key the constraint alone served keeps an index */
        const ir_fkey *fks[16];
        size_t nfk = be_is_mysql(o->d) ? be_my_fks_served_only_by(t, name, true, fks, 16) : 0;
        for (size_t i = 0; i < nfk; i++)
            be_alter(o, t->name, "%s", be_my_fk_index_clause(o, t, fks[i]));
        be_alter(o, t->name, "DROP INDEX %s", be_qi(o, name));
    }
    else if (!strcmp(kind, "check"))
        be_alter(o, t->name, o->d == IR_D_MARIADB ? "DROP CONSTRAINT %s" : "DROP CHECK %s",
                 be_qi(o, name));
    else
        be_alter(o, t->name, "DROP PRIMARY KEY");
}

/* Add the named constraint `name` of table t (from the model). */
static void add_constraint_sql(be_out *o, const ir_table *t, const char *name)
{
    for (size_t i = 0; i < t->nuniques; i++)
        if (streq(t->uniques[i]->name, name)) {
            be_alter(o, t->name, "ADD %s", be_unique_clause(o, t, t->uniques[i]));
            /* MySQL: the index InnoDB kept for a foreign key that the
             * constraint now serves goes (see be_create_index) */
            const ir_fkey *fks[16];
            size_t nfk = be_is_mysql(o->d) && name ? be_my_fks_served_only_by(t, name, true, fks, 16) : 0;
            for (size_t j = 0; j < nfk; j++)
                be_alter(o, t->name, "DROP INDEX %s", be_qi(o, fks[j]->name));
        }
    for (size_t i = 0; i < t->nfkeys; i++)
        if (streq(t->fkeys[i]->name, name))
            be_alter(o, t->name, "ADD %s", be_fkey_clause(o, t->fkeys[i]));
    for (size_t i = 0; i < t->nchecks; i++)
        if (streq(t->checks[i]->name, name))
            be_alter(o, t->name, "ADD %s", be_check_clause(o, t->checks[i]));
    if (t->npk && streq(t->pk_name, name))
        be_alter(o, t->name, "ADD PRIMARY KEY (%s)", be_qlist(o, t->pk, t->npk));
}

/* A column changes from `from` to `to` (PostgreSQL, MySQL). */
static void alter_column_sql(be_out *o, const ir_table *t, const ir_column *from,
                             const ir_column *to)
{
    if (be_is_mysql(o->d)) {
        be_alter(o, t->name, "MODIFY COLUMN %s", be_column_def(o, t, to, false));
        return;
    }
    const char *q = be_qi(o, to->name);
    if (!same_type(o->a, &from->type, &to->type)) {
        jy_buf b;
        jy_buf_init(&b);
        be_type_sql(&b, o->d, &to->type);
        const char *ty = jy_arena_strdup(o->a, b.data ? b.data : "");
        jy_buf_free(&b);
        /* a partial index whose predicate names the column was parsed
         * with the old type: drop it around the change */
        for (size_t i = 0; i < t->nindexes; i++)
            if (t->indexes[i]->where && be_mentions(t->indexes[i]->where, to->name))
                be_drop_index(o, t, t->indexes[i]->name);
        if (from->def.kind != IR_DEF_NONE)
            be_alter(o, t->name, "ALTER COLUMN %s DROP DEFAULT", q);
        /* PostgreSQL casts between enums and arrays only through text */
        bool via_text = from->type.id == IR_T_ENUM || to->type.id == IR_T_ENUM;
        be_alter(o, t->name, "ALTER COLUMN %s TYPE %s USING %s%s::%s", q, ty, q,
                 via_text ? "::text" : "", ty);
        if (to->def.kind != IR_DEF_NONE)
            be_alter(o, t->name, "ALTER COLUMN %s SET DEFAULT %s", q, be_default_sql(o, to));
        for (size_t i = 0; i < t->nindexes; i++)
            if (t->indexes[i]->where && be_mentions(t->indexes[i]->where, to->name))
                be_create_index(o, t, t->indexes[i], false);
    } else if (!same_default(&from->def, &to->def)) {
        const char *d = be_default_sql(o, to);
        if (d)
            be_alter(o, t->name, "ALTER COLUMN %s SET DEFAULT %s", q, d);
        else
            be_alter(o, t->name, "ALTER COLUMN %s DROP DEFAULT", q);
    }
    if (from->nullable != to->nullable)
        be_alter(o, t->name, "ALTER COLUMN %s %s NOT NULL", q, to->nullable ? "DROP" : "SET");
    if (!streq(from->comment, to->comment))
        be_sql(o, "COMMENT ON COLUMN %s.%s IS %s", be_qi(o, t->name), q,
               to->comment ? be_qs(o, to->comment) : "NULL");
}

/* ADD COLUMN of column c of table `to` (which the table `from` lacks). */
static void add_column_sql(be_out *o, const ir_table *from, const ir_table *to,
                           const ir_column *c)
{
    const char *def = be_column_def(o, to, c, false);
    if (o->d == IR_D_SQLITE) {
        /* the enum CHECK goes on the column */
        jy_buf b;
        jy_buf_init(&b);
        jy_buf_puts(&b, def);
        for (size_t i = 0; i < to->nchecks; i++)
            if (!to->checks[i]->name && !has_check(from, to->checks[i]))
                jy_buf_printf(&b, " CHECK (%s)", to->checks[i]->expr);
        be_sql(o, "ALTER TABLE %s ADD COLUMN %s", be_qi(o, to->name), b.data ? b.data : def);
        jy_buf_free(&b);
    } else {
        be_alter(o, to->name, "ADD COLUMN %s", def);
        pk_change(o, from, to, false);
    }
    indexes_added(o, from, to);
    if (o->d == IR_D_POSTGRESQL && c->comment)
        be_sql(o, "COMMENT ON COLUMN %s.%s IS %s", be_qi(o, to->name), be_qi(o, c->name),
               be_qs(o, c->comment));
}

/* DROP COLUMN of c from table t (which has it). */
static void drop_column_sql(be_out *o, const ir_table *t, const char *c)
{
    if (o->d == IR_D_SQLITE) {
        for (size_t i = 0; i < t->nindexes; i++)
            if (jy_str_in(t->indexes[i]->columns, t->indexes[i]->ncolumns, c))
                be_drop_index(o, t, t->indexes[i]->name);
        be_sql(o, "ALTER TABLE %s DROP COLUMN %s", be_qi(o, t->name), be_qi(o, c));
        return;
    }
    if (be_is_mysql(o->d))
        be_my_drop_column_keys(o, t, c);
    be_alter(o, t->name, "DROP COLUMN %s", be_qi(o, c));
}

static void rename_table_sql(be_out *o, const char *from, const char *to)
{
    if (be_is_mysql(o->d))
        be_sql(o, "RENAME TABLE %s TO %s", be_qi(o, from), be_qi(o, to));
    else
        be_sql(o, "ALTER TABLE %s RENAME TO %s", be_qi(o, from), be_qi(o, to));
}

static void rename_column_sql(be_out *o, const char *t, const char *from, const char *to)
{
    be_sql(o, "ALTER TABLE %s RENAME COLUMN %s TO %s", be_qi(o, t), be_qi(o, from), be_qi(o, to));
}

/* The SQL of op.execute(...) / reverse= for the dialect: the dialect's
 * key, then default (the keys are normalized by sema).  NULL when none. */
static const char *execute_sql(ir_dialect d, const ir_value *v)
{
    if (!v)
        return NULL;
    if (v->kind == IR_V_STR)
        return v->u.str.s;
    if (v->kind != IR_V_DICT)
        return NULL;
    /* MariaDB runs MySQL's code unless it has its own (docs/SPEC.md) */
    const char *keys[3] = {ir_dialect_name(d),
                           d == IR_D_MARIADB ? ir_dialect_name(IR_D_MYSQL) : "default",
                           d == IR_D_MARIADB ? "default" : NULL};
    for (size_t k = 0; k < 3; k++)
        for (size_t i = 0; keys[k] && i < v->u.dict.n; i++)
            if (v->u.dict.keys[i]->kind == IR_V_STR &&
                strcmp(v->u.dict.keys[i]->u.str.s, keys[k]) == 0 &&
                v->u.dict.vals[i]->kind == IR_V_STR)
                return v->u.dict.vals[i]->u.str.s;
    return NULL;
}

static void execute_op(be_out *o, const ir_value *v, const char *what)
{
    const char *sql = execute_sql(o->d, v);
    if (!sql) {
        jy_diag *g = be_error(o, "be.execute-no-sql", "%s has no SQL for %s", what,
                              ir_dialect_name(o->d));
        if (g)
            jy_diag_hint(g, "add a \"%s\"%s or a \"default\" key", ir_dialect_name(o->d),
                         o->d == IR_D_MARIADB ? ", a \"mysql\"" : "");
        return;
    }
    /* the statement ends without its own ';' (user SQL often has one) */
    size_t n = strlen(sql);
    while (n && (sql[n - 1] == ';' || sql[n - 1] == ' ' || sql[n - 1] == '\n' ||
                 sql[n - 1] == '\t' || sql[n - 1] == '\r'))
        n--;
    be_sql(o, "%.*s", (int)n, sql);
}

static void bulk_insert_sql(be_out *o, const ir_op *op)
{
    const char *t = sarg(op, IR_A_bulk_insert_table);
    const ir_value *rows = arg(op, IR_A_bulk_insert_rows);
    if (!t || !rows || rows->kind != IR_V_LIST)
        return;
    size_t i = 0;
    while (i < rows->u.list.n) {
        const ir_value *r0 = rows->u.list.items[i];
        /* consecutive rows with the same keys make one INSERT */
        size_t j = i + 1;
        while (j < rows->u.list.n) {
            const ir_value *r = rows->u.list.items[j];
            bool same = r->u.dict.n == r0->u.dict.n;
            for (size_t k = 0; same && k < r->u.dict.n; k++)
                same = strcmp(r->u.dict.keys[k]->u.str.s, r0->u.dict.keys[k]->u.str.s) == 0;
            if (!same)
                break;
            j++;
        }
        jy_buf b;
        jy_buf_init(&b);
        jy_buf_printf(&b, "INSERT INTO %s (", be_qi(o, t));
        for (size_t k = 0; k < r0->u.dict.n; k++)
            jy_buf_printf(&b, "%s%s", k ? ", " : "", be_qi(o, r0->u.dict.keys[k]->u.str.s));
        jy_buf_puts(&b, ") VALUES");
        for (size_t q = i; q < j; q++) {
            const ir_value *r = rows->u.list.items[q];
            jy_buf_printf(&b, "%s\n  (", q > i ? "," : "");
            for (size_t k = 0; k < r->u.dict.n; k++)
                jy_buf_printf(&b, "%s%s", k ? ", " : "", be_value_sql(o, r->u.dict.vals[k]));
            jy_buf_putc(&b, ')');
        }
        be_sql(o, "%s", b.data ? b.data : "");
        jy_buf_free(&b);
        i = j;
    }
}

static be_backfill *backfill_of(be_out *o, const ir_op *op)
{
    be_backfill *bf = jy_arena_alloc(o->a, sizeof *bf);
    if (!bf) {
        o->failed = true;
        return NULL;
    }
    const char *t = sarg(op, IR_A_backfill_table);
    const char *key = sarg(op, IR_A_backfill_key) ? sarg(op, IR_A_backfill_key) : "id";
    const char *where = sarg(op, IR_A_backfill_where);
    const ir_value *set = arg(op, IR_A_backfill_set);
    const ir_value *bs = arg(op, IR_A_backfill_batch_size);
    bf->key = key;
    bf->batch_size = bs && bs->kind == IR_V_INT ? bs->u.i : 10000;
    bf->bounds_sql = where ? jy_arena_printf(o->a, "SELECT MIN(%s), MAX(%s) FROM %s WHERE %s",
                                             be_qi(o, key), be_qi(o, key), be_qi(o, t), where)
                           : jy_arena_printf(o->a, "SELECT MIN(%s), MAX(%s) FROM %s",
                                             be_qi(o, key), be_qi(o, key), be_qi(o, t));
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_printf(&b, "UPDATE %s SET ", be_qi(o, t));
    for (size_t i = 0; set && set->kind == IR_V_DICT && i < set->u.dict.n; i++)
        jy_buf_printf(&b, "%s%s = %s", i ? ", " : "", be_qi(o, set->u.dict.keys[i]->u.str.s),
                      set->u.dict.vals[i]->kind == IR_V_STR ? set->u.dict.vals[i]->u.str.s
                                                             : "NULL");
    bool pg = o->d == IR_D_POSTGRESQL;
    jy_buf_printf(&b, " WHERE %s >= %s AND %s <= %s", be_qi(o, key), pg ? "$1" : "?",
                  be_qi(o, key), pg ? "$2" : "?");
    if (where)
        jy_buf_printf(&b, " AND (%s)", where);
    bf->batch_sql = jy_arena_strdup(o->a, b.data ? b.data : "");
    jy_buf_free(&b);
    return bf;
}

/* ------------------------------------------------------------ ops */

/*
 * The statements of one op (outside the SQLite rebuild), from the schema
 * before (B) and after (A) it.
 */
static void render_op(be_out *o, const ir_op *op, const ir_schema *B, const ir_schema *A,
                      be_backfill **bf)
{
    const char *tn = op_table(op);
    const ir_table *tb = tn ? ir_schema_table(B, tn) : NULL;
    const ir_table *ta = tn ? ir_schema_table(A, tn) : NULL;
    if (op->kind != IR_OP_declare_schema_change)
        enums_created(o, B, A);
    switch (op->kind) {
    case IR_OP_create_table:
        if (ta)
            be_create_table(o, A, ta, ta->name);
        break;
    case IR_OP_drop_table:
        be_sql(o, "DROP TABLE %s", be_qi(o, tn));
        break;
    case IR_OP_rename_table:
        rename_table_sql(o, tn, sarg(op, IR_A_rename_table_new));
        break;
    case IR_OP_add_column: {
        const ir_column *c = ta ? ir_table_column(ta, sarg(op, IR_A_add_column_name)) : NULL;
        if (c && tb)
            add_column_sql(o, tb, ta, c);
        break;
    }
    case IR_OP_drop_column:
        if (tb)
            drop_column_sql(o, tb, sarg(op, IR_A_drop_column_name));
        break;
    case IR_OP_alter_column: {
        const char *cn = sarg(op, IR_A_alter_column_name);
        const ir_column *from = tb ? ir_table_column(tb, cn) : NULL;
        const ir_column *to = ta ? ir_table_column(ta, cn) : NULL;
        if (from && to)
            alter_column_sql(o, ta, from, to);
        break;
    }
    case IR_OP_rename_column:
        rename_column_sql(o, tn, sarg(op, IR_A_rename_column_old), sarg(op, IR_A_rename_column_new));
        break;
    case IR_OP_create_index: {
        const ir_index *x = ta ? ir_table_index(ta, sarg(op, IR_A_create_index_name)) : NULL;
        const ir_value *cv = arg(op, IR_A_create_index_concurrent);
        if (x) {
            if (x->where && be_is_mysql(o->d)) {
                jy_diag *g = be_error(o, "be.unsupported", "MySQL has no partial indexes (where=)");
                if (g)
                    jy_diag_hint(g, "put the index in an `if op.dialect.name == ...` branch, "
                                    "or drop where= for MySQL");
            } else if (x->method && o->d == IR_D_SQLITE && strcmp(x->method, "btree") != 0) {
                be_error(o, "be.unsupported", "SQLite has only btree indexes (method=\"%s\")",
                         x->method);
            } else if (x->method && be_is_mysql(o->d) && strcmp(x->method, "btree") != 0 &&
                       strcmp(x->method, "hash") != 0) {
                be_error(o, "be.unsupported", "MySQL has no %s indexes (btree and hash only)",
                         x->method);
            } else
                be_create_index(o, ta, x, cv && cv->kind == IR_V_BOOL && cv->u.b);
        }
        break;
    }
    case IR_OP_drop_index: {
        ir_table *owner = NULL;
        ir_schema_index(B, sarg(op, IR_A_drop_index_name), &owner);
        if (owner)
            be_drop_index(o, owner, sarg(op, IR_A_drop_index_name));
        break;
    }
    case IR_OP_create_unique_constraint:
    case IR_OP_create_check_constraint:
    case IR_OP_create_foreign_key:
        if (ta)
            add_constraint_sql(o, ta, sarg(op, 0));
        break;
    case IR_OP_drop_constraint:
        if (tb)
            drop_constraint_sql(o, tb, sarg(op, IR_A_drop_constraint_name));
        break;
    case IR_OP_execute:
        execute_op(o, arg(op, IR_A_execute_sql), "op.execute");
        break;
    case IR_OP_backfill:
        *bf = backfill_of(o, op);
        break;
    case IR_OP_bulk_insert:
        bulk_insert_sql(o, op);
        break;
    default:
        break;
    }
    if (op->kind != IR_OP_declare_schema_change)
        enums_dropped(o, B, A);
}

/* SQLite: rebuild table `name` from its shape in `cur` to its shape in
 * `target`, copying the columns of the same name. */
static void lite_rebuild_same(be_out *o, const ir_schema *cur, const ir_schema *target,
                              const char *name)
{
    const ir_table *from = ir_schema_table(cur, name), *to = ir_schema_table(target, name);
    if (!from || !to)
        return;
    const char **map = jy_arena_calloc(o->a, to->ncolumns + 1, sizeof *map);
    if (!map) {
        o->failed = true;
        return;
    }
    for (size_t i = 0; i < to->ncolumns; i++)
        map[i] = ir_table_column(from, to->columns[i]->name) ? to->columns[i]->name : NULL;
    be_lite_rebuild(o, cur, target, from, to, map);
}

/*
 * The statements that undo op: the database is as A (after the op) and
 * must become as B (before it).  *why is set when the op cannot be undone.
 */
static void render_inverse(be_out *o, const ir_op *op, const ir_schema *B, const ir_schema *A,
                           const char **why)
{
    const char *tn = op_table(op);
    const ir_table *tb = tn ? ir_schema_table(B, tn) : NULL;
    const ir_table *ta = tn ? ir_schema_table(A, tn) : NULL;
    const char *lite_why = NULL;
    if (op->kind != IR_OP_declare_schema_change)
        enums_created(o, A, B);
    switch (op->kind) {
    case IR_OP_create_table:
        be_sql(o, "DROP TABLE %s", be_qi(o, tn));
        break;
    case IR_OP_drop_table:
        if (tb)
            be_create_table(o, B, tb, tb->name);
        break;
    case IR_OP_rename_table:
        rename_table_sql(o, sarg(op, IR_A_rename_table_new), tn);
        break;
    case IR_OP_add_column: {
        const char *cn = sarg(op, IR_A_add_column_name);
        if (!ta || !tb)
            break;
        if (o->d == IR_D_SQLITE) {
            if (be_lite_drop_ok(A, tn, cn, &lite_why))
                drop_column_sql(o, ta, cn);
            else
                lite_rebuild_same(o, A, B, tn);
            break;
        }
        drop_column_sql(o, ta, cn);
        if (!same_list(ta->pk, ta->npk, tb->pk, tb->npk) && tb->npk)
            be_alter(o, tn, "ADD PRIMARY KEY (%s)", be_qlist(o, tb->pk, tb->npk));
        break;
    }
    case IR_OP_drop_column: {
        const char *cn = sarg(op, IR_A_drop_column_name);
        const ir_column *c = tb ? ir_table_column(tb, cn) : NULL;
        if (!c || !ta)
            break;
        if (o->d == IR_D_SQLITE) {
            if (be_lite_add_ok(B, tn, cn, &lite_why))
                add_column_sql(o, ta, tb, c);
            else
                lite_rebuild_same(o, A, B, tn);
            break;
        }
        if (be_is_mysql(o->d)) {
            /* one ALTER TABLE: the column, then its indexes and keys (the
             * index of a foreign key they serve again goes with them) */
            be_alter(o, tn, "ADD COLUMN %s", be_column_def(o, tb, c, false));
            pk_change(o, ta, tb, false);
            be_my_undo_drop_column_keys(o, ta, tb);
        } else {
            add_column_sql(o, ta, tb, c);
            constraints_added(o, ta, tb);
        }
        /* foreign keys of other tables that referenced the column */
        for (size_t i = 0; i < B->ntables; i++) {
            const ir_table *ob = B->tables[i], *oa = ir_schema_table(A, ob->name);
            if (ob == tb || !oa)
                continue;
            for (size_t k = 0; k < ob->nfkeys; k++)
                if (!has_fkey(oa, ob->fkeys[k]))
                    be_alter(o, ob->name, "ADD %s", be_fkey_clause(o, ob->fkeys[k]));
        }
        break;
    }
    case IR_OP_alter_column: {
        const char *cn = sarg(op, IR_A_alter_column_name);
        const ir_column *from = ta ? ir_table_column(ta, cn) : NULL;
        const ir_column *to = tb ? ir_table_column(tb, cn) : NULL;
        if (!from || !to)
            break;
        if (o->d == IR_D_SQLITE)
            lite_rebuild_same(o, A, B, tn);
        else
            alter_column_sql(o, tb, from, to);
        break;
    }
    case IR_OP_rename_column:
        rename_column_sql(o, tn, sarg(op, IR_A_rename_column_new), sarg(op, IR_A_rename_column_old));
        break;
    case IR_OP_create_index: {
        ir_table *owner = NULL;
        if (ir_schema_index(A, sarg(op, IR_A_create_index_name), &owner) && owner)
            be_drop_index(o, owner, sarg(op, IR_A_create_index_name));
        break;
    }
    case IR_OP_drop_index: {
        ir_table *owner = NULL;
        const ir_index *x = ir_schema_index(B, sarg(op, IR_A_drop_index_name), &owner);
        if (x && owner)
            be_create_index(o, owner, x, false);
        break;
    }
    case IR_OP_create_unique_constraint:
    case IR_OP_create_check_constraint:
    case IR_OP_create_foreign_key:
        if (o->d == IR_D_SQLITE)
            lite_rebuild_same(o, A, B, tn);
        else if (ta)
            drop_constraint_sql(o, ta, sarg(op, 0));
        break;
    case IR_OP_drop_constraint:
        if (o->d == IR_D_SQLITE)
            lite_rebuild_same(o, A, B, tn);
        else if (tb) {
            const char *name = sarg(op, IR_A_drop_constraint_name);
            add_constraint_sql(o, tb, name);
            if (tb->npk && streq(tb->pk_name, name) == false && ta && ta->npk == 0 &&
                !ir_table_constraint_kind(tb, name))
                be_alter(o, tn, "ADD PRIMARY KEY (%s)", be_qlist(o, tb->pk, tb->npk));
        }
        break;
    case IR_OP_execute: {
        const ir_value *rv = arg(op, IR_A_execute_reverse);
        if (!rv)
            *why = "op.execute has no reverse=";
        else
            execute_op(o, rv, "reverse=");
        break;
    }
    case IR_OP_backfill:
        *why = "op.backfill changes rows";
        break;
    case IR_OP_bulk_insert:
        *why = "op.bulk_insert adds rows";
        break;
    default:
        break;
    }
    if (op->kind != IR_OP_declare_schema_change)
        enums_dropped(o, A, B);
}

/* ------------------------------------------------------------ steps */

/* Merge consecutive ALTER TABLE clauses on one table into one statement
 * and store the statements in step st. */
static void finish_step(be_out *o, be_step *st)
{
    be_stmt *v = o->n ? jy_arena_calloc(o->a, o->n, sizeof *v) : NULL;
    size_t n = 0;
    for (size_t i = 0; i < o->n;) {
        const be_bstmt *s = &o->v[i];
        if (!s->alter_table) {
            if (v) {
                v[n].sql = s->sql;
                v[n++].flags = s->flags;
            }
            i++;
            continue;
        }
        jy_buf b;
        jy_buf_init(&b);
        jy_buf_printf(&b, "ALTER TABLE %s %s", s->alter_table, s->clause);
        size_t j = i + 1;
        /* SQLite never merges; PostgreSQL and MySQL combine clauses */
        while (o->d != IR_D_SQLITE && j < o->n && o->v[j].alter_table &&
               strcmp(o->v[j].alter_table, s->alter_table) == 0) {
            jy_buf_printf(&b, ",\n  %s", o->v[j].clause);
            j++;
        }
        if (v) {
            v[n].sql = jy_arena_strdup(o->a, b.data ? b.data : "");
            v[n++].flags = 0;
        }
        jy_buf_free(&b);
        i = j;
    }
    st->stmts = v;
    st->nstmts = n;
    st->no_transaction = st->no_transaction || o->no_tx;
    o->n = 0;
    o->no_tx = false;
}

/* ------------------------------------------------------------ subsets */

/* Copy table t (deeply) into s. */
static void copy_table(ir_schema *s, const ir_table *st)
{
    ir_table *t = ir_schema_add_table(s, st->name);
    if (!t)
        return;
    t->comment = st->comment ? jy_arena_strdup(s->arena, st->comment) : NULL;
    for (size_t j = 0; j < st->ncolumns; j++) {
        const ir_column *sc = st->columns[j];
        ir_column *c = ir_table_add_column(s, t, sc->name, &sc->type);
        if (!c)
            return;
        c->nullable = sc->nullable;
        c->def.kind = sc->def.kind;
        c->def.text = sc->def.text ? jy_arena_strdup(s->arena, sc->def.text) : NULL;
        c->generated = sc->generated ? jy_arena_strdup(s->arena, sc->generated) : NULL;
        c->generated_virtual = sc->generated_virtual;
        c->identity = sc->identity;
        c->comment = sc->comment ? jy_arena_strdup(s->arena, sc->comment) : NULL;
    }
    ir_table_set_pk(s, t, st->pk_name, st->pk, st->npk);
    for (size_t j = 0; j < st->nuniques; j++)
        ir_table_add_unique(s, t, st->uniques[j]->name, st->uniques[j]->columns,
                            st->uniques[j]->ncolumns);
    for (size_t j = 0; j < st->nindexes; j++) {
        const ir_index *x = st->indexes[j];
        ir_table_add_index(s, t, x->name, x->unique, x->columns, x->ncolumns, x->where,
                           x->method);
    }
    for (size_t j = 0; j < st->nfkeys; j++) {
        const ir_fkey *k = st->fkeys[j];
        ir_table_add_fkey(s, t, k->name, k->columns, k->ncolumns, k->ref_table, k->ref_columns,
                          k->nref_columns, k->on_delete, k->on_update);
    }
    for (size_t j = 0; j < st->nchecks; j++)
        ir_table_add_check(s, t, st->checks[j]->name, st->checks[j]->expr);
}

/* The strings inside a value (lists, tuples, dicts), counted / collected. */
static size_t count_strings(const ir_value *v)
{
    if (!v)
        return 0;
    size_t n = 0;
    switch (v->kind) {
    case IR_V_STR: return 1;
    case IR_V_LIST:
    case IR_V_TUPLE:
        for (size_t i = 0; i < v->u.list.n; i++)
            n += count_strings(v->u.list.items[i]);
        return n;
    case IR_V_DICT:
        for (size_t i = 0; i < v->u.dict.n; i++)
            n += count_strings(v->u.dict.vals[i]);
        return n;
    default: return 0;
    }
}

static size_t count_strings_all(const ir_op *op)
{
    size_t n = 0;
    for (size_t a = 0; a < op->info->nparams; a++)
        n += count_strings(op->args[a]);
    return n;
}

static void collect_strings(const ir_value *v, const char **out, size_t *k, size_t cap)
{
    if (!v)
        return;
    switch (v->kind) {
    case IR_V_STR:
        if (*k < cap)
            out[(*k)++] = v->u.str.s;
        return;
    case IR_V_LIST:
    case IR_V_TUPLE:
        for (size_t i = 0; i < v->u.list.n; i++)
            collect_strings(v->u.list.items[i], out, k, cap);
        return;
    case IR_V_DICT:
        for (size_t i = 0; i < v->u.dict.n; i++)
            collect_strings(v->u.dict.vals[i], out, k, cap);
        return;
    default:
        return;
    }
}

/*
 * The part of schema `full` that rendering ops[0..n) reads: the tables the
 * ops name (both names of a rename, the referenced table of a foreign key,
 * the table of an index dropped by name), the tables whose foreign keys
 * reference them, every enum (shared with full, which must outlive the
 * subset) and every object.  Costs the size of the subset, not of full, so
 * a long history replays in linear time.  In arena a (its own arena when
 * NULL).
 */
static ir_schema *subset(const ir_schema *full, ir_op *const *ops, size_t n, jy_arena *a)
{
    ir_schema *s = ir_schema_new(a);
    if (!s)
        return NULL;
    size_t cap = 4 * n + 1;
    for (size_t i = 0; i < n; i++)
        if (ops[i]->kind == IR_OP_declare_schema_change)
            cap += count_strings_all(ops[i]);
    const char **names = calloc(cap, sizeof *names);
    size_t k = 0;
    for (size_t i = 0; names && i < n; i++) {
        const ir_op *op = ops[i];
        if (op->kind == IR_OP_declare_schema_change) {
            /* any string of a hint may name a table */
            for (size_t q = 0; q < op->info->nparams; q++)
                collect_strings(op->args[q], names, &k, cap);
            continue;
        }
        names[k++] = op_table(op);
        if (op->kind == IR_OP_rename_table)
            names[k++] = sarg(op, IR_A_rename_table_new);
        if (op->kind == IR_OP_create_foreign_key)
            names[k++] = sarg(op, IR_A_create_foreign_key_ref_table);
        if (op->kind == IR_OP_drop_index) {
            ir_table *owner = NULL;
            if (ir_schema_index(full, sarg(op, IR_A_drop_index_name), &owner) && owner)
                names[k++] = owner->name;
        }
    }
    /* the enums are shared with `full`, not copied: s never outlives it
     * (the replayer's schema, or a subset of it) and no enum changes in
     * place */
    if (!ir_schema_share_enums(s, full)) {
        free(names);
        ir_schema_free(s);
        return NULL;
    }
    ir_table **take = NULL;
    size_t ntake = names ? ir_schema_tables_touching(full, names, k, &take) : 0;
    if (!names || ntake == (size_t)-1) {
        free(names);
        ir_schema_free(s);
        return NULL;
    }
    for (size_t i = 0; i < ntake; i++)
        copy_table(s, take[i]);
    free(take);
    free(names);
    for (size_t i = 0; i < full->nobjects; i++)
        ir_schema_add_object(s, full->objects[i]->kind, full->objects[i]->name,
                             full->objects[i]->table, full->objects[i]->sql);
    return s;
}

typedef struct emitter {
    jy_arena *a;
    ir_dialect d;
    jy_diags *diags;
    bool failed;
    bool guards; /* write each step's guard (not for be_check_program) */
} emitter;

/*
 * Emit the steps of ops[0..n) of m (upgrade body or explicit downgrade),
 * replaying them on r.  When keep is not NULL, keep[i] and keep[i + 1]
 * receive clones (in arena `a`) of the schema before and after ops[i] for
 * downgrade synthesis (keep has n + 1 slots; NULL for ops not compiled).
 */
static int emit_ops(emitter *e, ir_replayer *r, const ir_migration *m, ir_op **ops, size_t n,
                    be_script *out, jy_arena *keep, ir_schema **before_of, ir_schema **after_of)
{
    out->steps = jy_arena_calloc(e->a, n + 1, sizeof *out->steps);
    if (!out->steps)
        return -1;
    be_out o = {.a = e->a, .d = e->d, .diags = e->diags, .m = m};
    size_t i = 0;
    while (i < n) {
        const ir_op *op = ops[i];
        if (!ir_op_for_dialect(m, op, e->d)) {
            i++;
            continue;
        }
        /* a batch block: the ops of one batch that follow */
        size_t j = i + 1;
        if (op->batch)
            while (j < n && (ops[j]->batch == op->batch || !ir_op_for_dialect(m, ops[j], e->d)))
                j++;
        /* a block of one op: B is also that op's schema before for the
         * synthesized downgrade (the subset of B for the op is B again), so
         * it lives in `keep` */
        bool keep_B = before_of && keep && j == i + 1;
        ir_schema *B = subset(ir_replay_current(r), ops + i, j - i, keep_B ? keep : NULL);
        if (!B)
            return -1;
        /* replay the block, keeping the schema between its ops */
        ir_schema **mid = calloc(j - i + 1, sizeof *mid);
        size_t nmid = 0;
        if (!mid) {
            ir_schema_free(B);
            return -1;
        }
        bool need_rebuild = false;
        const char *why = NULL;
        const ir_op *why_op = NULL;
        int rc = 0;
        for (size_t k = i; k < j && rc == 0; k++) {
            if (!ir_op_for_dialect(m, ops[k], e->d))
                continue;
            /* before the block's first op the replay is where B was taken:
             * B serves (and is freed once, as B) */
            ir_schema *pre = nmid == 0 ? B : subset(ir_replay_current(r), ops + i, j - i, NULL);
            if (ir_replay_apply(r, m, ops[k], e->diags)) {
                if (pre != B)
                    ir_schema_free(pre);
                rc = -1;
                break;
            }
            const ir_schema *post = ir_replay_current(r);
            if (before_of && pre)
                before_of[k] = keep_B && pre == B ? B : subset(pre, ops + k, 1, keep);
            if (after_of)
                after_of[k] = subset(post, ops + k, 1, keep);
            const char *w = NULL;
            if (e->d == IR_D_SQLITE && pre && !be_lite_direct(ops[k], pre, post, &w)) {
                need_rebuild = true;
                if (!why) {
                    why = w;
                    why_op = ops[k];
                }
            }
            mid[nmid++] = pre;
        }
        if (rc) {
            for (size_t k = 0; k < nmid; k++)
                if (mid[k] != B)
                    ir_schema_free(mid[k]);
            free(mid);
            ir_schema_free(B);
            return -1;
        }
        const ir_schema *A = ir_replay_current(r);
        size_t first = i;
        if (need_rebuild && !op->batch) {
            o.op = why_op;
            jy_diag *g = be_error(&o, "be.sqlite-needs-batch",
                                  "op.%s cannot run on SQLite outside op.batch: %s",
                                  why_op->info->name, why);
            if (g)
                jy_diag_hint(g, "SQLite changes this by rebuilding the table; write it inside "
                                "`with op.batch(\"%s\") as b:` as b.%s(...)",
                             op_table(why_op) ? op_table(why_op) : "table", why_op->info->name);
            e->failed = true;
        } else if (need_rebuild) {
            /* one rebuild for the whole block, from the table before it to
             * the table after it; the columns are followed through renames */
            const char *tn = op->batch->table;
            const ir_table *from = ir_schema_table(B, tn), *to = ir_schema_table(A, tn);
            if (from && to) {
                size_t cap = from->ncolumns + (j - i) + 1;
                const char **cur = jy_arena_calloc(e->a, cap, sizeof *cur);
                const char **src = jy_arena_calloc(e->a, cap, sizeof *src);
                size_t nc = 0;
                for (size_t k = 0; cur && src && k < from->ncolumns; k++) {
                    cur[nc] = src[nc] = from->columns[k]->name;
                    nc++;
                }
                for (size_t k = i; cur && src && k < j; k++) {
                    const ir_op *x = ops[k];
                    if (!ir_op_for_dialect(m, x, e->d))
                        continue;
                    if (x->kind == IR_OP_add_column && nc < cap) {
                        cur[nc] = sarg(x, IR_A_add_column_name);
                        src[nc++] = NULL;
                    } else if (x->kind == IR_OP_drop_column || x->kind == IR_OP_rename_column) {
                        const char *old = sarg(x, x->kind == IR_OP_drop_column
                                                      ? IR_A_drop_column_name
                                                      : IR_A_rename_column_old);
                        for (size_t q = 0; q < nc; q++)
                            if (cur[q] && strcmp(cur[q], old) == 0)
                                cur[q] = x->kind == IR_OP_drop_column
                                             ? NULL
                                             : sarg(x, IR_A_rename_column_new);
                    }
                }
                const char **map = jy_arena_calloc(e->a, to->ncolumns + 1, sizeof *map);
                for (size_t k = 0; map && cur && k < to->ncolumns; k++)
                    for (size_t q = 0; q < nc; q++)
                        if (cur[q] && strcmp(cur[q], to->columns[k]->name) == 0)
                            map[k] = src[q];
                o.op = op;
                if (map)
                    be_lite_rebuild(&o, B, A, from, to, map);
            }
        } else {
            /* every op of the block renders with its own schemas, into the
             * first op's step (then merged into one ALTER TABLE) */
            size_t q = 0;
            for (size_t k = i; k < j; k++) {
                if (!ir_op_for_dialect(m, ops[k], e->d))
                    continue;
                const ir_schema *pre = q < nmid ? mid[q] : B;
                const ir_schema *post = q + 1 < nmid ? mid[q + 1] : A;
                q++;
                o.op = ops[k];
                be_backfill *bf = NULL;
                render_op(&o, ops[k], pre, post, &bf);
                if (!op->batch) {
                    be_step *st = &out->steps[out->nsteps++];
                    st->op = ops[k];
                    st->op_index = k;
                    st->backfill = bf;
                    st->destructive = (ops[k]->info->flags & IR_OPF_DESTRUCTIVE) != 0;
                    if (ops[k]->kind == IR_OP_declare_schema_change)
                        st->note = "replay hint: runs nothing";
                    finish_step(&o, st);
                    st->summary = be_step_summary(&o, ops[k]);
                    if (e->guards)
                        st->guard = be_guard_json(&o, ops + k, &pre, &post, 1, false,
                                                  st->no_transaction);
                }
            }
        }
        /* the block's guard covers all its ops (schemas around each) */
        const char *block_guard = NULL;
        if (op->batch && e->guards) {
            ir_op **bops = calloc(nmid + 1, sizeof *bops);
            const ir_schema **bpre = calloc(nmid + 1, sizeof *bpre);
            const ir_schema **bpost = calloc(nmid + 1, sizeof *bpost);
            size_t q = 0;
            for (size_t k = i; bops && bpre && bpost && k < j && q < nmid; k++) {
                if (!ir_op_for_dialect(m, ops[k], e->d))
                    continue;
                bops[q] = ops[k];
                bpre[q] = mid[q];
                bpost[q] = q + 1 < nmid ? mid[q + 1] : A;
                q++;
            }
            if (bops && bpre && bpost && q == nmid)
                block_guard = be_guard_json(&o, bops, bpre, bpost, q, false, need_rebuild || o.no_tx);
            free(bops);
            free(bpre);
            free(bpost);
        }
        for (size_t k = 0; k < nmid; k++)
            if (mid[k] != B)
                ir_schema_free(mid[k]);
        free(mid);
        ir_schema_free(B);
        if (op->batch) {
            /* the block's steps: the SQL in the first, the others empty */
            size_t firststep = out->nsteps;
            bool destructive = false;
            for (size_t k = i; k < j; k++)
                if (ir_op_for_dialect(m, ops[k], e->d))
                    destructive |= (ops[k]->info->flags & IR_OPF_DESTRUCTIVE) != 0;
            for (size_t k = first; k < j; k++) {
                if (!ir_op_for_dialect(m, ops[k], e->d))
                    continue;
                be_step *st = &out->steps[out->nsteps];
                memset(st, 0, sizeof *st);
                st->op = ops[k];
                st->op_index = k;
                st->summary = be_step_summary(&o, ops[k]);
                if (out->nsteps == firststep) {
                    finish_step(&o, st);
                    st->guard = block_guard;
                    st->destructive = destructive;
                    st->note = need_rebuild ? "op.batch block: one SQLite table rebuild"
                                            : (j - i > 1 ? "op.batch block" : NULL);
                } else
                    st->note = jy_arena_printf(e->a, "folded into step %zu (op.batch block)",
                                               firststep + 1);
                out->nsteps++;
            }
        }
        o.n = 0;
        o.no_tx = false;
        if (o.failed)
            e->failed = true;
        o.failed = false;
        i = j;
    }
    return e->failed ? -1 : 0;
}

/* The synthesized downgrade of m from the schemas around each op. */
static int synthesize_down(emitter *e, const ir_migration *m, ir_schema **before_of,
                           ir_schema **after_of, be_script *out)
{
    out->synthesized = true;
    out->steps = jy_arena_calloc(e->a, m->nops + 1, sizeof *out->steps);
    if (!out->steps)
        return -1;
    be_out o = {.a = e->a, .d = e->d, .diags = e->diags, .m = m};
    for (size_t k = 0; k < m->nops; k++) {
        const ir_op *op = m->ops[k];
        if (!ir_op_for_dialect(m, op, e->d) || !before_of[k] || !after_of[k])
            continue;
        const char *why = NULL;
        o.op = op;
        o.n = 0;
        render_inverse(&o, op, before_of[k], after_of[k], &why);
        if (why && !out->irreversible) {
            unsigned line = 0, col = 0;
            if (m->src)
                jy_source_linecol(m->src, op->start, &line, &col);
            out->irreversible = true;
            out->reason = jy_arena_printf(e->a, "%s (line %u)", why, line);
        }
    }
    if (out->irreversible) {
        out->nsteps = 0;
        return o.failed ? -1 : 0;
    }
    /* undo in reverse order: one step per op */
    for (size_t k = m->nops; k-- > 0;) {
        const ir_op *op = m->ops[k];
        if (!ir_op_for_dialect(m, op, e->d) || !before_of[k] || !after_of[k])
            continue;
        const char *why = NULL;
        o.op = op;
        o.n = 0;
        o.no_tx = false;
        render_inverse(&o, op, before_of[k], after_of[k], &why);
        be_step *st = &out->steps[out->nsteps++];
        st->op = op;
        st->op_index = k;
        st->destructive = op->kind == IR_OP_create_table || op->kind == IR_OP_add_column;
        st->note = op->kind == IR_OP_declare_schema_change ? "replay hint: runs nothing" : NULL;
        finish_step(&o, st);
        st->summary = be_step_summary(&o, op);
        if (e->guards) {
            const ir_schema *pre = before_of[k], *post = after_of[k];
            st->guard = be_guard_json(&o, m->ops + k, &pre, &post, 1, true, st->no_transaction);
        }
    }
    if (o.failed)
        e->failed = true;
    return o.failed ? -1 : 0;
}

/* ------------------------------------------------------------ program */

/*
 * The work of be_emit_program and be_check_program.  keep: every
 * migration's steps live in bp->arena and bp->schema is the final schema;
 * !keep (check): each migration's SQL lives in a scratch arena freed once
 * the migration is emitted, so memory stays that of one migration plus the
 * replayed schema.
 */
static int emit_program(const ir_program *p, ir_dialect d, be_program *bp, bool keep,
                        bool history, jy_diags *diags)
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
    if (!r) {
        free(order);
        return -1;
    }
    ir_replay_set_history(r, history);
    bp->dialect = d;
    be_migration one;
    bp->migs = keep ? jy_arena_calloc(bp->arena, n + 1, sizeof *bp->migs) : &one;
    emitter e = {.a = bp->arena, .d = d, .diags = diags, .guards = keep};
    int rc = bp->migs ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const ir_migration *m = order[i];
        be_migration *bm = keep ? &bp->migs[bp->n++] : &one;
        memset(bm, 0, sizeof *bm);
        bm->m = m;
        jy_arena *scratch = jy_arena_new();
        ir_schema **before_of = scratch ? jy_arena_calloc(scratch, m->nops + 1, sizeof *before_of) : NULL;
        ir_schema **after_of = scratch ? jy_arena_calloc(scratch, m->nops + 1, sizeof *after_of) : NULL;
        if (!before_of || !after_of) {
            jy_arena_free(scratch);
            rc = -1;
            break;
        }
        emitter se = e;
        se.a = keep ? bp->arena : scratch;
        /* schemas for synthesis live in the scratch arena */
        if (emit_ops(&se, r, m, m->ops, m->nops, &bm->up, scratch,
                     m->has_downgrade ? NULL : before_of,
                     m->has_downgrade ? NULL : after_of))
            rc = -1;
        if (rc == 0 && m->has_downgrade) {
            /* explicit downgrade: replayed from the schema after m */
            ir_replayer *dr = ir_replay_new(d);
            ir_schema *part = dr ? subset(ir_replay_current(r), m->down, m->ndown, NULL) : NULL;
            if (!part) {
                rc = -1;
            } else {
                /* dr takes the subset (whose enums r's schema keeps alive) */
                ir_replay_adopt(dr, part);
                if (emit_ops(&se, dr, m, m->down, m->ndown, &bm->down, NULL, NULL, NULL))
                    rc = -1;
            }
            ir_replay_free(dr);
        } else if (rc == 0) {
            if (synthesize_down(&se, m, before_of, after_of, &bm->down))
                rc = -1;
        }
        if (se.failed)
            rc = -1;
        jy_arena_free(scratch);
        if (!keep)
            memset(bm, 0, sizeof *bm);
    }
    if (!keep)
        bp->migs = NULL;
    if (rc == 0 && keep)
        bp->schema = ir_schema_clone(ir_replay_current(r), bp->arena);
    free(order);
    ir_replay_free(r);
    if (rc || (keep && !bp->schema) || jy_arena_failed(bp->arena)) {
        if (diags->nerrors == 0)
            jy_diag_where(diags, JY_SEV_ERROR, JY_EXIT_ERROR, "be.memory", NULL,
                          "out of memory while emitting SQL");
        return -1;
    }
    return 0;
}

int be_emit_program(const ir_program *p, ir_dialect d, be_program **out, jy_diags *diags)
{
    *out = NULL;
    be_program *bp = calloc(1, sizeof *bp);
    if (bp)
        bp->arena = jy_arena_new();
    if (!bp || !bp->arena) {
        be_program_free(bp);
        jy_diag_where(diags, JY_SEV_ERROR, JY_EXIT_ERROR, "be.memory", NULL,
                      "out of memory while emitting SQL");
        return -1;
    }
    if (emit_program(p, d, bp, true, true, diags)) {
        be_program_free(bp);
        return -1;
    }
    *out = bp;
    return 0;
}

int be_check_program(const ir_program *p, ir_dialect d, jy_diags *diags)
{
    be_program bp = {.arena = jy_arena_new()};
    if (!bp.arena) {
        jy_diag_where(diags, JY_SEV_ERROR, JY_EXIT_ERROR, "be.memory", NULL,
                      "out of memory while emitting SQL");
        return -1;
    }
    /* Without the replay's history first (it is only for messages); when
     * something fails, again with it so the errors tell the history. */
    jy_diags quiet;
    jy_diags_init(&quiet);
    quiet.max_errors = diags->max_errors;
    int rc = emit_program(p, d, &bp, false, false, &quiet);
    jy_arena_free(bp.arena);
    if (rc == 0) {
        jy_diags_move(diags, &quiet);
        jy_diags_free(&quiet);
        return 0;
    }
    jy_diags_free(&quiet);
    bp = (be_program){.arena = jy_arena_new()};
    if (!bp.arena) {
        jy_diag_where(diags, JY_SEV_ERROR, JY_EXIT_ERROR, "be.memory", NULL,
                      "out of memory while emitting SQL");
        return -1;
    }
    rc = emit_program(p, d, &bp, false, true, diags);
    jy_arena_free(bp.arena);
    return rc;
}

void be_program_free(be_program *bp)
{
    if (!bp)
        return;
    jy_arena_free(bp->arena);
    free(bp);
}

const be_migration *be_program_find(const be_program *bp, const char *id)
{
    for (size_t i = 0; i < bp->n; i++)
        if (strcmp(bp->migs[i].m->id, id) == 0)
            return &bp->migs[i];
    return NULL;
}

char *be_script_text(const be_program *bp, const be_migration *bm, const be_script *s)
{
    jy_buf b;
    jy_buf_init(&b);
    const ir_migration *m = bm->m;
    bool down = s == &bm->down;
    jy_buf_printf(&b, "-- %s %s (%s)\n", m->id, down ? "downgrade" : "upgrade",
                  ir_dialect_name(bp->dialect));
    if (down && s->irreversible) {
        jy_buf_printf(&b, "-- irreversible: %s\n", s->reason ? s->reason : "no downgrade");
        return jy_buf_take(&b);
    }
    if (down)
        jy_buf_puts(&b, s->synthesized ? "-- synthesized from the replayed schema\n"
                                       : "-- written in downgrade()\n");
    for (size_t i = 0; i < s->nsteps; i++) {
        const be_step *st = &s->steps[i];
        unsigned line = 0, col = 0;
        if (m->src)
            jy_source_linecol(m->src, st->op->start, &line, &col);
        jy_buf_printf(&b, "\n-- step %zu: %sop.%s (line %u)", i + 1,
                      down && s->synthesized ? "undo " : "", st->op->info->name, line);
        if (st->no_transaction)
            jy_buf_puts(&b, " [outside a transaction]");
        if (st->destructive)
            jy_buf_puts(&b, " [destructive]");
        jy_buf_putc(&b, '\n');
        if (st->note)
            jy_buf_printf(&b, "-- %s\n", st->note);
        if (st->backfill) {
            jy_buf_printf(&b, "-- backfill in batches of %lld rows by %s:\n",
                          (long long)st->backfill->batch_size, st->backfill->key);
            jy_buf_printf(&b, "%s;\n%s;\n", st->backfill->bounds_sql, st->backfill->batch_sql);
        }
        for (size_t k = 0; k < st->nstmts; k++) {
            if (st->stmts[k].flags & BE_STMT_EXPECT_NO_ROWS)
                jy_buf_puts(&b, "-- must return no rows:\n");
            jy_buf_printf(&b, "%s;\n", st->stmts[k].sql);
        }
    }
    return jy_buf_take(&b);
}

/* ------------------------------------------------------------ snapshot */

static int by_table_name(const void *a, const void *b)
{
    return strcmp((*(const ir_table *const *)a)->name, (*(const ir_table *const *)b)->name);
}

char *be_schema_sql(const ir_schema *s, ir_dialect d)
{
    jy_arena *a = jy_arena_new();
    if (!a)
        return NULL;
    be_out o = {.a = a, .d = d};
    ir_schema *empty = ir_schema_new(a);
    if (empty)
        enums_created(&o, empty, s);
    const ir_table **tables = jy_arena_calloc(a, s->ntables + 1, sizeof *tables);
    for (size_t i = 0; tables && i < s->ntables; i++)
        tables[i] = s->tables[i];
    if (tables)
        qsort(tables, s->ntables, sizeof *tables, by_table_name);
    /* tables first (foreign keys after all of them, except on SQLite,
     * which takes them inline and checks them late) */
    for (size_t i = 0; tables && i < s->ntables; i++) {
        ir_table t = *tables[i];
        if (d != IR_D_SQLITE)
            t.nfkeys = 0;
        be_create_table(&o, s, &t, t.name);
    }
    for (size_t i = 0; tables && d != IR_D_SQLITE && i < s->ntables; i++)
        for (size_t k = 0; k < tables[i]->nfkeys; k++)
            be_alter(&o, tables[i]->name, "ADD %s", be_fkey_clause(&o, tables[i]->fkeys[k]));
    for (size_t i = 0; i < s->nobjects; i++) {
        const ir_object *x = s->objects[i];
        if (x->kind == IR_OBJ_VIEW && x->sql)
            be_sql(&o, "CREATE VIEW %s AS %s", be_qi(&o, x->name), x->sql);
        else if (x->kind == IR_OBJ_MATVIEW && x->sql && d == IR_D_POSTGRESQL)
            be_sql(&o, "CREATE MATERIALIZED VIEW %s AS %s", be_qi(&o, x->name), x->sql);
        else if (x->kind == IR_OBJ_EXTENSION && d == IR_D_POSTGRESQL)
            be_sql(&o, "CREATE EXTENSION IF NOT EXISTS %s", be_qi(&o, x->name));
        else if (x->kind == IR_OBJ_SEQUENCE && d == IR_D_POSTGRESQL)
            be_sql(&o, "CREATE SEQUENCE %s", be_qi(&o, x->name));
        else if (x->kind == IR_OBJ_SCHEMA && d == IR_D_POSTGRESQL)
            be_sql(&o, "CREATE SCHEMA %s", be_qi(&o, x->name));
        else if (x->kind == IR_OBJ_TRIGGER && x->sql && strncmp(x->sql, "CREATE", 6) == 0)
            be_sql(&o, "%s", x->sql);
        else if (x->kind == IR_OBJ_POLICY && x->sql && x->table && d == IR_D_POSTGRESQL)
            be_sql(&o, "CREATE POLICY %s ON %s %s", be_qi(&o, x->name), be_qi(&o, x->table),
                   x->sql);
    }
    be_step st;
    memset(&st, 0, sizeof st);
    finish_step(&o, &st);
    jy_buf b;
    jy_buf_init(&b);
    for (size_t i = 0; i < st.nstmts; i++)
        jy_buf_printf(&b, "%s;\n", st.stmts[i].sql);
    char *r = b.failed || o.failed ? NULL : jy_buf_take(&b);
    jy_buf_free(&b);
    jy_arena_free(a);
    if (!r)
        return NULL;
    return r;
}
