/*
 * be_int.h - what the backend files share (private to backends/).
 */
#ifndef JORYU_BE_INT_H
#define JORYU_BE_INT_H

#include "backends.h"

/* One statement being built: plain SQL, or one clause of an ALTER TABLE
 * that the merge pass may join with its neighbours on the same table. */
typedef struct be_bstmt {
    char *sql;         /* plain statement (alter_table == NULL) */
    char *alter_table; /* quoted table name of a mergeable ALTER TABLE clause */
    char *clause;      /* the clause after "ALTER TABLE <t> " */
    unsigned flags;
} be_bstmt;

/* The statements of one step and the emission context. */
typedef struct be_out {
    jy_arena *a;       /* the program arena */
    ir_dialect d;
    jy_diags *diags;
    const ir_migration *m;
    const ir_op *op;   /* the op reported on errors */
    be_bstmt *v;
    size_t n, cap;
    bool no_tx;
    bool failed;
} be_out;

/* Append a plain statement (printf-style). */
void be_sql(be_out *o, const char *fmt, ...) JY_PRINTF(2, 3);
/* Append "ALTER TABLE <table> <clause>" as a mergeable clause. */
void be_alter(be_out *o, const char *table, const char *fmt, ...) JY_PRINTF(3, 4);
/* An error at the op (be.* code). */
jy_diag *be_error(be_out *o, const char *code, const char *fmt, ...) JY_PRINTF(3, 4);

/* Quoted identifier / string literal in the arena. */
const char *be_qi(be_out *o, const char *name);
const char *be_qs(be_out *o, const char *s);
/* "a", "b" list of quoted identifiers. */
const char *be_qlist(be_out *o, const char *const *names, size_t n);
bool be_is_mysql(ir_dialect d);
/* Does the SQL text name the identifier as a whole word? */
bool be_mentions(const char *sql, const char *name);

/* Per-dialect type spelling (postgresql.c, mysql.c, sqlite.c). */
void be_pg_type(jy_buf *b, const ir_type *t);
void be_my_type(jy_buf *b, const ir_type *t);
void be_lite_type(jy_buf *b, const ir_type *t);

/* MySQL/MariaDB (mysql.c): the named foreign keys of t that the index
 * `name` (or, with unique_constraint, the unique constraint `name`) alone
 * serves: its columns begin with theirs and no other index, unique
 * constraint or the primary key of t does.  InnoDB keeps an index named
 * after such a key while nothing else serves it (docs/SPEC.md, "MySQL and
 * MariaDB").  Up to cap of them in out; returns how many. */
size_t be_my_fks_served_only_by(const ir_table *t, const char *name, bool unique_constraint,
                                const ir_fkey **out, size_t cap);
/* "ADD [UNIQUE] INDEX n (cols)[ USING ...]" for index x of t, and "ADD
 * INDEX <fk> (cols)" for the own index of foreign key k of t (backends.c). */
const char *be_my_add_index_clause(be_out *o, const ir_table *t, const ir_index *x);
const char *be_my_fk_index_clause(be_out *o, const ir_table *t, const ir_fkey *k);
/* drop_column of c from t on MySQL/MariaDB: the clauses before the DROP
 * COLUMN (the server refuses a column in a foreign key or a unique
 * constraint of several columns, and shrinks the other indexes, where the
 * model drops them all): DROP FOREIGN KEY (and its own index), DROP INDEX of
 * every unique constraint and index with c, ADD INDEX for a key they alone
 * served.  The undo (schema `from` without the column, `to` with it, the
 * ADD COLUMN already written): DROP INDEX of a key's own index that the
 * restored indexes serve, ADD INDEX / unique / foreign key / check. */
void be_my_drop_column_keys(be_out *o, const ir_table *t, const char *c);
void be_my_undo_drop_column_keys(be_out *o, const ir_table *from, const ir_table *to);

/* A column definition (name, type, modifiers) for CREATE TABLE / ADD
 * COLUMN; inline_pk puts PRIMARY KEY on the column (SQLite rowid). */
const char *be_column_def(be_out *o, const ir_table *t, const ir_column *c, bool inline_pk);
/* The default as SQL for a column (NULL when none). */
const char *be_default_sql(be_out *o, const ir_column *c);
/* CREATE TABLE <name> (...) for table t (name may differ: SQLite rebuild),
 * then its indexes (and comments on PostgreSQL). */
void be_create_table(be_out *o, const ir_schema *s, const ir_table *t, const char *name);
void be_create_index(be_out *o, const ir_table *t, const ir_index *x, bool concurrent);
void be_drop_index(be_out *o, const ir_table *t, const char *name);
/* A table constraint clause: "CONSTRAINT n UNIQUE (...)" etc. */
const char *be_unique_clause(be_out *o, const ir_table *t, const ir_unique *u);
const char *be_fkey_clause(be_out *o, const ir_fkey *k);
const char *be_check_clause(be_out *o, const ir_check *k);
/* The literal of an IR constant (bulk_insert). */
const char *be_value_sql(be_out *o, const ir_value *v);

/* SQLite: the documented table rebuild from table `from` (in schema
 * `before`) to table `to` (in `after`); srcmap[i] is the column of `from`
 * that fills to->columns[i] (NULL: none). */
void be_lite_rebuild(be_out *o, const ir_schema *before, const ir_schema *after,
                     const ir_table *from, const ir_table *to, const char *const *srcmap);
/* SQLite: can ALTER TABLE do this op directly?  false with a reason. */
bool be_lite_add_ok(const ir_schema *after, const char *table, const char *col, const char **why);
bool be_lite_drop_ok(const ir_schema *before, const char *table, const char *col,
                     const char **why);
bool be_lite_direct(const ir_op *op, const ir_schema *before, const ir_schema *after,
                    const char **why);

/* guard.c: the ensure guard of a step as JSON (docs/SPEC.md "Guards"),
 * in o->a.  ops[0..n) are the step's ops (one, or an op.batch block),
 * pre[i] / post[i] the schemas around ops[i]; inverse: the guard of the
 * synthesized downgrade step that undoes ops[0]; outside_tx: the step runs
 * outside a transaction (SQLite may then reconcile by a table rebuild).
 * NULL when the step has no guard (execute, backfill, bulk_insert,
 * declare_schema_change). */
const char *be_guard_json(be_out *o, ir_op *const *ops, const ir_schema *const *pre,
                          const ir_schema *const *post, size_t n, bool inverse, bool outside_tx);
/* The op's target for status lines: "users.email", "idx_users_email", "". */
const char *be_step_summary(be_out *o, const ir_op *op);

#endif /* JORYU_BE_INT_H */
