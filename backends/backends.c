/*
 * backends.c - what the three backends share: quoting, the statement
 * builder, column definitions, CREATE TABLE, indexes and constraint
 * clauses, all rendered from the schema model.
 */
#include "be_int.h"

#include <stdlib.h>
#include <string.h>

const char *be_family_name(ir_dialect d)
{
    switch (d) {
    case IR_D_POSTGRESQL: return "postgresql";
    case IR_D_SQLITE: return "sqlite";
    default: return "mysql";
    }
}

bool be_is_mysql(ir_dialect d) { return d == IR_D_MYSQL || d == IR_D_MARIADB; }

/* ------------------------------------------------------------ quoting */

void be_quote_ident(jy_buf *b, ir_dialect d, const char *name)
{
    char q = be_is_mysql(d) ? '`' : '"';
    jy_buf_putc(b, q);
    for (const char *p = name; *p; p++) {
        if (*p == q)
            jy_buf_putc(b, q);
        jy_buf_putc(b, *p);
    }
    jy_buf_putc(b, q);
}

void be_quote_string(jy_buf *b, ir_dialect d, const char *s)
{
    jy_buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            jy_buf_putc(b, '\'');
        else if (*p == '\\' && be_is_mysql(d))
            jy_buf_putc(b, '\\');
        jy_buf_putc(b, *p);
    }
    jy_buf_putc(b, '\'');
}

void be_type_sql(jy_buf *b, ir_dialect d, const ir_type *t)
{
    if (d == IR_D_POSTGRESQL)
        be_pg_type(b, t);
    else if (d == IR_D_SQLITE)
        be_lite_type(b, t);
    else
        be_my_type(b, t);
}

/* A jy_buf's text copied into the arena (the buffer is freed). */
static const char *take(be_out *o, jy_buf *b)
{
    const char *r = b->failed ? NULL : jy_arena_strdup(o->a, b->data ? b->data : "");
    jy_buf_free(b);
    if (!r)
        o->failed = true;
    return r ? r : "";
}

/* The text of fmt and ap in o's arena ("" and o->failed when out of
 * memory). */
static const char *vtake(be_out *o, const char *fmt, va_list ap)
{
    const char *r = jy_arena_vprintf(o->a, fmt, ap);
    if (!r)
        o->failed = true;
    return r ? r : "";
}

const char *be_qi(be_out *o, const char *name)
{
    jy_buf b;
    jy_buf_init(&b);
    be_quote_ident(&b, o->d, name ? name : "");
    return take(o, &b);
}

const char *be_qs(be_out *o, const char *s)
{
    jy_buf b;
    jy_buf_init(&b);
    be_quote_string(&b, o->d, s ? s : "");
    return take(o, &b);
}

const char *be_qlist(be_out *o, const char *const *names, size_t n)
{
    jy_buf b;
    jy_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i)
            jy_buf_puts(&b, ", ");
        be_quote_ident(&b, o->d, names[i]);
    }
    return take(o, &b);
}

/* Does the SQL text name the identifier as a whole word?  (A heuristic
 * for expressions joryu does not parse: CHECK, WHERE, generated.) */
bool be_mentions(const char *sql, const char *name)
{
    size_t n = strlen(name);
    if (!sql || n == 0)
        return false;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'') { /* a string literal names nothing */
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p++)
                if (*p == '\'' && p[1] == '\'')
                    p++;
            if (!*p)
                break;
            continue;
        }
        if (strncmp(p, name, n) != 0)
            continue;
        char before = p == sql ? ' ' : p[-1], after = p[n];
        bool wb = !(before == '_' || (before >= 'a' && before <= 'z') ||
                    (before >= 'A' && before <= 'Z') || (before >= '0' && before <= '9'));
        bool wa = !(after == '_' || (after >= 'a' && after <= 'z') ||
                    (after >= 'A' && after <= 'Z') || (after >= '0' && after <= '9'));
        if (wb && wa)
            return true;
    }
    return false;
}

/* ------------------------------------------------------------ builder */

static be_bstmt *push(be_out *o)
{
    if (o->n == o->cap) {
        size_t nc = o->cap ? o->cap * 2 : 8;
        be_bstmt *nv = jy_arena_grow(o->a, o->v, o->n, nc, sizeof *nv);
        if (!nv) {
            o->failed = true;
            return NULL;
        }
        o->v = nv;
        o->cap = nc;
    }
    be_bstmt *s = &o->v[o->n++];
    memset(s, 0, sizeof *s);
    return s;
}

void be_sql(be_out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *sql = vtake(o, fmt, ap);
    va_end(ap);
    be_bstmt *s = push(o);
    if (s)
        s->sql = (char *)sql;
}

void be_alter(be_out *o, const char *table, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *clause = vtake(o, fmt, ap);
    va_end(ap);
    be_bstmt *s = push(o);
    if (!s)
        return;
    s->alter_table = (char *)be_qi(o, table);
    s->clause = (char *)clause;
}

jy_diag *be_error(be_out *o, const char *code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    o->failed = true;
    return jy_diag_at(o->diags, JY_SEV_ERROR, JY_EXIT_ERROR, code, o->m->src,
                      o->op ? o->op->start : o->m->start, o->op ? o->op->end : o->m->end, "%s",
                      msg);
}

/* ------------------------------------------------------------ columns */

const char *be_default_sql(be_out *o, const ir_column *c)
{
    const ir_default *d = &c->def;
    bool mysql_blob = be_is_mysql(o->d) &&
                      (c->type.id == IR_T_TEXT || c->type.id == IR_T_JSON ||
                       (c->type.id == IR_T_BINARY && c->type.length < 0));
    switch (d->kind) {
    case IR_DEF_STR:
        /* MySQL takes TEXT/BLOB/JSON defaults only as expressions */
        return mysql_blob ? jy_arena_printf(o->a, "(%s)", be_qs(o, d->text)) : be_qs(o, d->text);
    case IR_DEF_NUM:
        return mysql_blob ? jy_arena_printf(o->a, "(%s)", d->text) : d->text;
    case IR_DEF_BOOL: {
        bool t = d->text && strcmp(d->text, "true") == 0;
        if (o->d == IR_D_POSTGRESQL)
            return t ? "TRUE" : "FALSE";
        return t ? "1" : "0";
    }
    case IR_DEF_NOW:
        return "CURRENT_TIMESTAMP";
    case IR_DEF_SQL:
        return jy_arena_printf(o->a, "(%s)", d->text);
    default:
        return NULL;
    }
}

const char *be_column_def(be_out *o, const ir_table *t, const ir_column *c, bool inline_pk)
{
    jy_buf b;
    jy_buf_init(&b);
    be_quote_ident(&b, o->d, c->name);
    jy_buf_putc(&b, ' ');
    ir_type ty = c->type;
    /* PostgreSQL: an identity column keeps its integer type */
    if (o->d == IR_D_POSTGRESQL && c->identity == IR_IDENT_AUTO &&
        (ty.id == IR_T_INT || ty.id == IR_T_BIGINT || ty.id == IR_T_SMALLINT))
        ty.id = ty.id == IR_T_BIGINT ? IR_T_BIGSERIAL : IR_T_SERIAL;
    be_type_sql(&b, o->d, &ty);
    if (c->generated)
        jy_buf_printf(&b, " GENERATED ALWAYS AS (%s) %s", c->generated,
                      c->generated_virtual ? "VIRTUAL" : "STORED");
    if (o->d == IR_D_POSTGRESQL && c->identity == IR_IDENT_BY_DEFAULT)
        jy_buf_puts(&b, " GENERATED BY DEFAULT AS IDENTITY");
    if (o->d == IR_D_POSTGRESQL && c->identity == IR_IDENT_ALWAYS)
        jy_buf_puts(&b, " GENERATED ALWAYS AS IDENTITY");
    bool pk = jy_str_in(t->pk, t->npk, c->name);
    if (!c->nullable || pk)
        jy_buf_puts(&b, " NOT NULL");
    else if (be_is_mysql(o->d) && c->type.id == IR_T_TIMESTAMP)
        jy_buf_puts(&b, " NULL");
    const char *def = be_default_sql(o, c);
    if (def && !c->generated)
        jy_buf_printf(&b, " DEFAULT %s", def);
    if (be_is_mysql(o->d) && c->identity != IR_IDENT_NONE)
        jy_buf_puts(&b, " AUTO_INCREMENT");
    if (inline_pk)
        jy_buf_puts(&b, " PRIMARY KEY");
    if (be_is_mysql(o->d) && c->comment)
        jy_buf_printf(&b, " COMMENT %s", be_qs(o, c->comment));
    return take(o, &b);
}

/* ------------------------------------------------------------ clauses */

static const char *fk_action_sql(ir_fk_action a)
{
    return ir_fk_action_name(a);
}

/* MySQL: TEXT and BLOB columns are indexed through a prefix. */
static const char *index_cols(be_out *o, const ir_table *t, const char *const *cols, size_t n)
{
    jy_buf b;
    jy_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        if (i)
            jy_buf_puts(&b, ", ");
        be_quote_ident(&b, o->d, cols[i]);
        const ir_column *c = ir_table_column(t, cols[i]);
        if (be_is_mysql(o->d) && c &&
            (c->type.id == IR_T_TEXT || (c->type.id == IR_T_BINARY && c->type.length < 0)))
            jy_buf_puts(&b, "(255)");
    }
    return take(o, &b);
}

const char *be_unique_clause(be_out *o, const ir_table *t, const ir_unique *u)
{
    if (u->name)
        return jy_arena_printf(o->a, "CONSTRAINT %s UNIQUE (%s)", be_qi(o, u->name),
                               index_cols(o, t, u->columns, u->ncolumns));
    return jy_arena_printf(o->a, "UNIQUE (%s)", index_cols(o, t, u->columns, u->ncolumns));
}

const char *be_fkey_clause(be_out *o, const ir_fkey *k)
{
    jy_buf b;
    jy_buf_init(&b);
    if (k->name)
        jy_buf_printf(&b, "CONSTRAINT %s ", be_qi(o, k->name));
    jy_buf_printf(&b, "FOREIGN KEY (%s) REFERENCES %s (%s)", be_qlist(o, k->columns, k->ncolumns),
                  be_qi(o, k->ref_table), be_qlist(o, k->ref_columns, k->nref_columns));
    if (k->on_delete != IR_FK_NO_ACTION)
        jy_buf_printf(&b, " ON DELETE %s", fk_action_sql(k->on_delete));
    if (k->on_update != IR_FK_NO_ACTION)
        jy_buf_printf(&b, " ON UPDATE %s", fk_action_sql(k->on_update));
    return take(o, &b);
}

const char *be_check_clause(be_out *o, const ir_check *k)
{
    if (k->name)
        return jy_arena_printf(o->a, "CONSTRAINT %s CHECK (%s)", be_qi(o, k->name), k->expr);
    return jy_arena_printf(o->a, "CHECK (%s)", k->expr);
}

const char *be_my_add_index_clause(be_out *o, const ir_table *t, const ir_index *x)
{
    return jy_arena_printf(o->a, "ADD %sINDEX %s (%s)%s", x->unique ? "UNIQUE " : "",
                           be_qi(o, x->name), index_cols(o, t, x->columns, x->ncolumns),
                           x->method ? (strcmp(x->method, "hash") == 0 ? " USING HASH"
                                                                        : " USING BTREE")
                                     : "");
}

const char *be_my_fk_index_clause(be_out *o, const ir_table *t, const ir_fkey *k)
{
    return jy_arena_printf(o->a, "ADD INDEX %s (%s)", be_qi(o, k->name),
                           index_cols(o, t, k->columns, k->ncolumns));
}

/* MySQL/MariaDB: the foreign keys that index x of t (just created, or
 * about to be dropped) alone serves; see be_my_fks_served_only_by. */
enum { FK_MAX = 16 };

void be_create_index(be_out *o, const ir_table *t, const ir_index *x, bool concurrent)
{
    const ir_fkey *fks[FK_MAX];
    size_t nfk = be_is_mysql(o->d) ? be_my_fks_served_only_by(t, x->name, false, fks, FK_MAX) : 0;
    if (nfk) {
        /* InnoDB kept an index named after each of these keys (made for it,
         * or by our drop below): the new index serves the key now, drop
         * that one in the same statement (a made one would go silently, one
         * we added would stay) */
        be_alter(o, t->name, "%s", be_my_add_index_clause(o, t, x));
        for (size_t i = 0; i < nfk; i++)
            be_alter(o, t->name, "DROP INDEX %s", be_qi(o, fks[i]->name));
        return;
    }
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_printf(&b, "CREATE %sINDEX %s%s ON %s", x->unique ? "UNIQUE " : "",
                  concurrent && o->d == IR_D_POSTGRESQL ? "CONCURRENTLY " : "",
                  be_qi(o, x->name), be_qi(o, t->name));
    if (x->method && o->d == IR_D_POSTGRESQL && strcmp(x->method, "btree") != 0)
        jy_buf_printf(&b, " USING %s", x->method);
    jy_buf_printf(&b, " (%s)", index_cols(o, t, x->columns, x->ncolumns));
    if (x->method && be_is_mysql(o->d))
        jy_buf_printf(&b, " USING %s", strcmp(x->method, "hash") == 0 ? "HASH" : "BTREE");
    if (x->where && !be_is_mysql(o->d))
        jy_buf_printf(&b, " WHERE %s", x->where);
    be_sql(o, "%s", take(o, &b));
    if (concurrent && o->d == IR_D_POSTGRESQL)
        o->no_tx = true;
}

void be_drop_index(be_out *o, const ir_table *t, const char *name)
{
    const ir_fkey *fks[FK_MAX];
    size_t nfk = be_is_mysql(o->d) ? be_my_fks_served_only_by(t, name, false, fks, FK_MAX) : 0;
    if (nfk) {
        /* a foreign key needs an index: InnoDB refuses to drop its last
         * one ("needed in a foreign key constraint"); give the key its own
         * index, named after it, in the same statement */
        for (size_t i = 0; i < nfk; i++)
            be_alter(o, t->name, "%s", be_my_fk_index_clause(o, t, fks[i]));
        be_alter(o, t->name, "DROP INDEX %s", be_qi(o, name));
        return;
    }
    if (be_is_mysql(o->d))
        be_sql(o, "DROP INDEX %s ON %s", be_qi(o, name), be_qi(o, t->name));
    else
        be_sql(o, "DROP INDEX %s", be_qi(o, name));
}

/* ------------------------------------------------------------ tables */

void be_create_table(be_out *o, const ir_schema *s, const ir_table *t, const char *name)
{
    (void)s;
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_printf(&b, "CREATE TABLE %s (", be_qi(o, name));
    /* SQLite: a one-column integer key is written on the column (the rowid) */
    bool inline_pk = false;
    if (o->d == IR_D_SQLITE && t->npk == 1) {
        const ir_column *c = ir_table_column(t, t->pk[0]);
        inline_pk = c && (c->type.id == IR_T_INT || c->type.id == IR_T_BIGINT ||
                          c->type.id == IR_T_SMALLINT || c->type.id == IR_T_SERIAL ||
                          c->type.id == IR_T_BIGSERIAL);
    }
    size_t k = 0;
    for (size_t i = 0; i < t->ncolumns; i++, k++)
        jy_buf_printf(&b, "%s\n  %s", k ? "," : "",
                      be_column_def(o, t, t->columns[i],
                                    inline_pk && strcmp(t->columns[i]->name, t->pk[0]) == 0));
    if (t->npk && !inline_pk) {
        if (t->pk_name && o->d == IR_D_POSTGRESQL)
            jy_buf_printf(&b, ",\n  CONSTRAINT %s PRIMARY KEY (%s)", be_qi(o, t->pk_name),
                          be_qlist(o, t->pk, t->npk));
        else
            jy_buf_printf(&b, ",\n  PRIMARY KEY (%s)", be_qlist(o, t->pk, t->npk));
    }
    for (size_t i = 0; i < t->nuniques; i++)
        jy_buf_printf(&b, ",\n  %s", be_unique_clause(o, t, t->uniques[i]));
    for (size_t i = 0; i < t->nfkeys; i++)
        jy_buf_printf(&b, ",\n  %s", be_fkey_clause(o, t->fkeys[i]));
    for (size_t i = 0; i < t->nchecks; i++)
        jy_buf_printf(&b, ",\n  %s", be_check_clause(o, t->checks[i]));
    jy_buf_puts(&b, "\n)");
    if (be_is_mysql(o->d) && t->comment)
        jy_buf_printf(&b, " COMMENT=%s", be_qs(o, t->comment));
    be_sql(o, "%s", take(o, &b));
    for (size_t i = 0; i < t->nindexes; i++)
        be_create_index(o, t, t->indexes[i], false);
    if (o->d == IR_D_POSTGRESQL) {
        if (t->comment)
            be_sql(o, "COMMENT ON TABLE %s IS %s", be_qi(o, name), be_qs(o, t->comment));
        for (size_t i = 0; i < t->ncolumns; i++)
            if (t->columns[i]->comment)
                be_sql(o, "COMMENT ON COLUMN %s.%s IS %s", be_qi(o, name),
                       be_qi(o, t->columns[i]->name), be_qs(o, t->columns[i]->comment));
    }
}

/* ------------------------------------------------------------ values */

const char *be_value_sql(be_out *o, const ir_value *v)
{
    switch (v->kind) {
    case IR_V_NONE: return "NULL";
    case IR_V_BOOL:
        if (o->d == IR_D_POSTGRESQL)
            return v->u.b ? "TRUE" : "FALSE";
        return v->u.b ? "1" : "0";
    case IR_V_INT: return jy_arena_printf(o->a, "%lld", (long long)v->u.i);
    case IR_V_FLOAT: return jy_arena_printf(o->a, "%.17g", v->u.f);
    case IR_V_STR: return be_qs(o, v->u.str.s);
    case IR_V_NOW: return "CURRENT_TIMESTAMP";
    default: return "NULL";
    }
}
