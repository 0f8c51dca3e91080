/*
 * sqlite.c - SQLite: the type table (§6.3, by storage class), what ALTER
 * TABLE can do directly, and the documented table rebuild
 * (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of
 * Table Schema Changes") for everything else, inside op.batch.
 */
#include "be_int.h"

#include <string.h>

void be_lite_type(jy_buf *b, const ir_type *t)
{
    switch (t->id) {
    case IR_T_SMALLINT: case IR_T_INT: case IR_T_BIGINT: case IR_T_SERIAL:
    case IR_T_BIGSERIAL: case IR_T_BOOL:
        jy_buf_puts(b, "INTEGER");
        return;
    case IR_T_FLOAT: case IR_T_DOUBLE: jy_buf_puts(b, "REAL"); return;
    case IR_T_DECIMAL: jy_buf_puts(b, "NUMERIC"); return;
    case IR_T_BINARY: jy_buf_puts(b, "BLOB"); return;
    case IR_T_DIALECT: jy_buf_puts(b, t->dialect_type ? t->dialect_type : "TEXT"); return;
    default: jy_buf_puts(b, "TEXT"); return;
    }
}

static const char *str_arg(const ir_op *op, size_t i)
{
    const ir_value *v = i < op->info->nparams ? op->args[i] : NULL;
    return v && v->kind == IR_V_STR ? v->u.str.s : NULL;
}

/*
 * SQLite's ALTER TABLE supports RENAME TO, RENAME COLUMN, ADD COLUMN (not
 * PRIMARY KEY or UNIQUE, no CURRENT_TIMESTAMP or expression default, NOT
 * NULL only with a non-NULL default, no STORED generated column) and DROP
 * COLUMN (not for a key, unique, foreign-key or CHECK column).  Indexes are
 * their own statements.  Everything else needs the rebuild.
 */
bool be_lite_add_ok(const ir_schema *after, const char *tn, const char *cn, const char **why)
{
    *why = NULL;
    const ir_table *t = tn ? ir_schema_table(after, tn) : NULL;
    const ir_column *c = t && cn ? ir_table_column(t, cn) : NULL;
    if (!c)
        return true;
    if (jy_str_in(t->pk, t->npk, cn))
        *why = "SQLite cannot add a PRIMARY KEY column";
    else if (c->def.kind == IR_DEF_NOW || c->def.kind == IR_DEF_SQL)
        *why = "SQLite cannot add a column whose default is an expression";
    else if (!c->nullable && (c->def.kind == IR_DEF_NONE || c->def.kind == IR_DEF_NULL))
        *why = "SQLite cannot add a NOT NULL column without a default";
    else if (c->generated)
        *why = "SQLite cannot add a STORED generated column";
    return *why == NULL;
}

bool be_lite_drop_ok(const ir_schema *before, const char *tn, const char *cn, const char **why)
{
    *why = NULL;
    const ir_table *t = tn ? ir_schema_table(before, tn) : NULL;
    if (!t || !cn)
        return true;
    if (jy_str_in(t->pk, t->npk, cn))
        *why = "SQLite cannot drop a PRIMARY KEY column";
    for (size_t i = 0; !*why && i < t->nuniques; i++)
        if (jy_str_in(t->uniques[i]->columns, t->uniques[i]->ncolumns, cn))
            *why = "SQLite cannot drop a column of a UNIQUE constraint";
    for (size_t i = 0; !*why && i < t->nfkeys; i++)
        if (jy_str_in(t->fkeys[i]->columns, t->fkeys[i]->ncolumns, cn))
            *why = "SQLite cannot drop a column of a foreign key";
    for (size_t i = 0; !*why && i < before->ntables; i++)
        for (size_t j = 0; !*why && j < before->tables[i]->nfkeys; j++) {
            const ir_fkey *k = before->tables[i]->fkeys[j];
            if (strcmp(k->ref_table, tn) == 0 && jy_str_in(k->ref_columns, k->nref_columns, cn))
                *why = "SQLite cannot drop a column a foreign key references";
        }
    for (size_t i = 0; !*why && i < t->nchecks; i++)
        if (be_mentions(t->checks[i]->expr, cn))
            *why = "SQLite cannot drop a column named in a CHECK constraint";
    for (size_t i = 0; !*why && i < t->ncolumns; i++)
        if (t->columns[i]->generated && be_mentions(t->columns[i]->generated, cn))
                *why = "SQLite cannot drop a column a generated column uses";
    return *why == NULL;
}

bool be_lite_direct(const ir_op *op, const ir_schema *before, const ir_schema *after,
                    const char **why)
{
    *why = NULL;
    switch (op->kind) {
    case IR_OP_add_column:
        return be_lite_add_ok(after, str_arg(op, IR_A_add_column_table),
                              str_arg(op, IR_A_add_column_name), why);
    case IR_OP_drop_column:
        return be_lite_drop_ok(before, str_arg(op, IR_A_drop_column_table),
                               str_arg(op, IR_A_drop_column_name), why);
    case IR_OP_alter_column:
        *why = "SQLite's ALTER TABLE cannot change a column";
        return false;
    case IR_OP_create_unique_constraint:
    case IR_OP_create_check_constraint:
    case IR_OP_create_foreign_key:
        *why = "SQLite's ALTER TABLE cannot add a constraint";
        return false;
    case IR_OP_drop_constraint:
        *why = "SQLite's ALTER TABLE cannot drop a constraint";
        return false;
    default:
        return true;
    }
}

/*
 * The rebuild, as the SQLite documentation gives it: with foreign keys
 * off (which only works outside a transaction, so the step runs outside
 * joryu's transaction and opens its own), create the new table under a
 * temporary name, copy the rows, drop the old table, rename the new one,
 * recreate the indexes, triggers and views, check foreign keys, commit,
 * and turn foreign keys back on.
 */
void be_lite_rebuild(be_out *o, const ir_schema *before, const ir_schema *after,
                     const ir_table *from, const ir_table *to, const char *const *srcmap)
{
    (void)before;
    const char *tmp = jy_arena_printf(o->a, "_joryu_new_%s", to->name);
    o->no_tx = true;
    be_sql(o, "PRAGMA foreign_keys = OFF");
    be_sql(o, "BEGIN");
    /* views may name the table: drop them around the swap */
    for (size_t i = 0; i < after->nobjects; i++)
        if (after->objects[i]->kind == IR_OBJ_VIEW && after->objects[i]->sql)
            be_sql(o, "DROP VIEW IF EXISTS %s", be_qi(o, after->objects[i]->name));
    ir_table tt = *to;
    tt.nindexes = 0; /* indexes come after the rename */
    be_create_table(o, after, &tt, tmp);
    jy_buf cols, srcs;
    jy_buf_init(&cols);
    jy_buf_init(&srcs);
    size_t k = 0;
    for (size_t i = 0; i < to->ncolumns; i++) {
        if (!srcmap[i] || to->columns[i]->generated || !ir_table_column(from, srcmap[i]))
            continue;
        jy_buf_puts(&cols, k ? ", " : "");
        jy_buf_puts(&srcs, k ? ", " : "");
        be_quote_ident(&cols, IR_D_SQLITE, to->columns[i]->name);
        be_quote_ident(&srcs, IR_D_SQLITE, srcmap[i]);
        k++;
    }
    if (k)
        be_sql(o, "INSERT INTO %s (%s) SELECT %s FROM %s", be_qi(o, tmp), cols.data, srcs.data,
               be_qi(o, from->name));
    jy_buf_free(&cols);
    jy_buf_free(&srcs);
    be_sql(o, "DROP TABLE %s", be_qi(o, from->name));
    be_sql(o, "ALTER TABLE %s RENAME TO %s", be_qi(o, tmp), be_qi(o, to->name));
    for (size_t i = 0; i < to->nindexes; i++)
        be_create_index(o, to, to->indexes[i], false);
    for (size_t i = 0; i < after->nobjects; i++) {
        const ir_object *x = after->objects[i];
        if (x->kind == IR_OBJ_TRIGGER && x->table && strcmp(x->table, to->name) == 0 && x->sql)
            be_sql(o, "%s", x->sql);
    }
    for (size_t i = 0; i < after->nobjects; i++)
        if (after->objects[i]->kind == IR_OBJ_VIEW && after->objects[i]->sql)
            be_sql(o, "CREATE VIEW %s AS %s", be_qi(o, after->objects[i]->name),
                   after->objects[i]->sql);
    be_sql(o, "PRAGMA foreign_key_check(%s)", be_qi(o, to->name));
    if (o->n)
        o->v[o->n - 1].flags |= BE_STMT_EXPECT_NO_ROWS;
    be_sql(o, "COMMIT");
    be_sql(o, "PRAGMA foreign_keys = ON");
}
