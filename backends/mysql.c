/*
 * mysql.c - the MySQL/MariaDB spelling of the type table (§6.3): inline
 * ENUM, TINYINT(1) booleans, LONGTEXT, VARBINARY(n)/LONGBLOB, CHAR(36)
 * UUIDs.  AUTO_INCREMENT is a column modifier (emit.c).
 */
#include "be_int.h"

#include <string.h>

void be_my_type(jy_buf *b, const ir_type *t)
{
    switch (t->id) {
    case IR_T_SMALLINT: jy_buf_puts(b, "SMALLINT"); return;
    case IR_T_INT: case IR_T_SERIAL: jy_buf_puts(b, "INT"); return;
    case IR_T_BIGINT: case IR_T_BIGSERIAL: jy_buf_puts(b, "BIGINT"); return;
    case IR_T_FLOAT: jy_buf_puts(b, "FLOAT"); return;
    case IR_T_DOUBLE: jy_buf_puts(b, "DOUBLE"); return;
    case IR_T_DECIMAL:
        jy_buf_printf(b, "DECIMAL(%lld, %lld)", (long long)(t->precision >= 0 ? t->precision : 10),
                      (long long)(t->scale >= 0 ? t->scale : 0));
        return;
    case IR_T_BOOL: jy_buf_puts(b, "TINYINT(1)"); return;
    case IR_T_STRING: jy_buf_printf(b, "VARCHAR(%lld)", (long long)t->length); return;
    case IR_T_TEXT: jy_buf_puts(b, "LONGTEXT"); return;
    case IR_T_BINARY:
        if (t->length >= 0)
            jy_buf_printf(b, "VARBINARY(%lld)", (long long)t->length);
        else
            jy_buf_puts(b, "LONGBLOB");
        return;
    case IR_T_DATE: jy_buf_puts(b, "DATE"); return;
    case IR_T_TIME: jy_buf_puts(b, "TIME"); return;
    case IR_T_TIMESTAMP: jy_buf_puts(b, "TIMESTAMP"); return;
    case IR_T_JSON: jy_buf_puts(b, "JSON"); return;
    case IR_T_UUID: jy_buf_puts(b, "CHAR(36)"); return;
    case IR_T_ENUM:
        jy_buf_puts(b, "ENUM(");
        for (size_t i = 0; i < t->nlabels; i++) {
            if (i)
                jy_buf_puts(b, ", ");
            be_quote_string(b, IR_D_MYSQL, t->labels[i]);
        }
        jy_buf_putc(b, ')');
        return;
    case IR_T_DIALECT: jy_buf_puts(b, t->dialect_type ? t->dialect_type : "LONGTEXT"); return;
    default: jy_buf_puts(b, "LONGTEXT"); return;
    }
}

/* ------------------------------------------------------------ foreign key indexes */

/* Do the columns of foreign key k begin cols[0..n)? */
static bool fk_prefix(const ir_fkey *k, const char *const *cols, size_t n)
{
    if (k->ncolumns == 0 || k->ncolumns > n)
        return false;
    for (size_t i = 0; i < k->ncolumns; i++)
        if (strcmp(k->columns[i], cols[i]) != 0)
            return false;
    return true;
}

size_t be_my_fks_served_only_by(const ir_table *t, const char *name, bool unique_constraint,
                                const ir_fkey **out, size_t cap)
{
    const char *const *cols = NULL;
    size_t ncols = 0;
    if (unique_constraint) {
        for (size_t i = 0; i < t->nuniques; i++)
            if (t->uniques[i]->name && strcmp(t->uniques[i]->name, name) == 0) {
                cols = t->uniques[i]->columns;
                ncols = t->uniques[i]->ncolumns;
            }
    } else {
        const ir_index *x = ir_table_index(t, name);
        /* an expression index serves no foreign key (its "columns" are SQL) */
        if (x && !x->where) {
            cols = x->columns;
            ncols = x->ncolumns;
        }
    }
    if (!cols)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < t->nfkeys; i++) {
        const ir_fkey *k = t->fkeys[i];
        if (!k->name || !fk_prefix(k, cols, ncols))
            continue;
        bool other = fk_prefix(k, t->pk, t->npk);
        for (size_t j = 0; !other && j < t->nuniques; j++)
            other = !(unique_constraint && t->uniques[j]->name &&
                      strcmp(t->uniques[j]->name, name) == 0) &&
                    fk_prefix(k, t->uniques[j]->columns, t->uniques[j]->ncolumns);
        for (size_t j = 0; !other && j < t->nindexes; j++)
            other = !(!unique_constraint && strcmp(t->indexes[j]->name, name) == 0) &&
                    fk_prefix(k, t->indexes[j]->columns, t->indexes[j]->ncolumns);
        if (!other && n < cap)
            out[n++] = k;
    }
    return n;
}

/* Is foreign key k served by the primary key, a unique constraint or an
 * index of t, once column `gone` (NULL: none) is dropped?  The server
 * drops a column from the primary key; the model drops the unique
 * constraints and indexes that have it (be_my_drop_column_keys drops them
 * too). */
static bool fk_served(const ir_table *t, const ir_fkey *k, const char *gone)
{
    const char *pk[64];
    size_t npk = 0;
    for (size_t i = 0; i < t->npk && npk < 64; i++)
        if (!gone || strcmp(t->pk[i], gone) != 0)
            pk[npk++] = t->pk[i];
    if (fk_prefix(k, pk, npk))
        return true;
    for (size_t i = 0; i < t->nuniques; i++) {
        const ir_unique *u = t->uniques[i];
        if (!(gone && jy_str_in(u->columns, u->ncolumns, gone)) &&
            fk_prefix(k, u->columns, u->ncolumns))
            return true;
    }
    for (size_t i = 0; i < t->nindexes; i++) {
        const ir_index *x = t->indexes[i];
        if (!x->where && !(gone && jy_str_in(x->columns, x->ncolumns, gone)) &&
            fk_prefix(k, x->columns, x->ncolumns))
            return true;
    }
    return false;
}

void be_my_drop_column_keys(be_out *o, const ir_table *t, const char *c)
{
    for (size_t i = 0; i < t->nfkeys; i++) {
        const ir_fkey *k = t->fkeys[i];
        if (!k->name || !jy_str_in(k->columns, k->ncolumns, c))
            continue;
        be_alter(o, t->name, "DROP FOREIGN KEY %s", be_qi(o, k->name));
        if (!fk_served(t, k, NULL) && k->ncolumns > 1) /* its own index */
            be_alter(o, t->name, "DROP INDEX %s", be_qi(o, k->name));
    }
    /* (an index of c alone goes with the column) */
    for (size_t i = 0; i < t->nuniques; i++)
        if (t->uniques[i]->name && t->uniques[i]->ncolumns > 1 &&
            jy_str_in(t->uniques[i]->columns, t->uniques[i]->ncolumns, c))
            be_alter(o, t->name, "DROP INDEX %s", be_qi(o, t->uniques[i]->name));
    for (size_t i = 0; i < t->nindexes; i++)
        if (t->indexes[i]->ncolumns > 1 &&
            jy_str_in(t->indexes[i]->columns, t->indexes[i]->ncolumns, c))
            be_alter(o, t->name, "DROP INDEX %s", be_qi(o, t->indexes[i]->name));
    for (size_t i = 0; i < t->nfkeys; i++) {
        const ir_fkey *k = t->fkeys[i];
        if (k->name && !jy_str_in(k->columns, k->ncolumns, c) && fk_served(t, k, NULL) &&
            !fk_served(t, k, c))
            be_alter(o, t->name, "%s", be_my_fk_index_clause(o, t, k));
    }
}

void be_my_undo_drop_column_keys(be_out *o, const ir_table *from, const ir_table *to)
{
    for (size_t i = 0; i < from->nfkeys; i++) {
        const ir_fkey *k = from->fkeys[i];
        if (k->name && !fk_served(from, k, NULL) && fk_served(to, k, NULL))
            be_alter(o, to->name, "DROP INDEX %s", be_qi(o, k->name));
    }
    for (size_t i = 0; i < to->nindexes; i++)
        if (!ir_table_index(from, to->indexes[i]->name))
            be_alter(o, to->name, "%s", be_my_add_index_clause(o, to, to->indexes[i]));
    for (size_t i = 0; i < to->nuniques; i++) {
        bool had = false;
        for (size_t j = 0; !had && j < from->nuniques; j++)
            had = from->uniques[j]->name && to->uniques[i]->name &&
                  strcmp(from->uniques[j]->name, to->uniques[i]->name) == 0;
        if (!had)
            be_alter(o, to->name, "ADD %s", be_unique_clause(o, to, to->uniques[i]));
    }
    for (size_t i = 0; i < to->nfkeys; i++) {
        bool had = false;
        for (size_t j = 0; !had && j < from->nfkeys; j++)
            had = from->fkeys[j]->name && to->fkeys[i]->name &&
                  strcmp(from->fkeys[j]->name, to->fkeys[i]->name) == 0;
        if (!had)
            be_alter(o, to->name, "ADD %s", be_fkey_clause(o, to->fkeys[i]));
    }
    for (size_t i = 0; i < to->nchecks; i++) {
        const ir_check *k = to->checks[i];
        bool had = false;
        for (size_t j = 0; !had && j < from->nchecks; j++)
            had = from->checks[j]->name && k->name && strcmp(from->checks[j]->name, k->name) == 0;
        if (!had && k->name)
            be_alter(o, to->name, "ADD %s", be_check_clause(o, k));
    }
}
