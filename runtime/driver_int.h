/* driver_int.h - private to runtime/: what the drivers and introspection
 * share (error recording, result building).  Not a public header. */
#ifndef JORYU_DRIVER_INT_H
#define JORYU_DRIVER_INT_H

#include "runtime.h"

extern const rt_driver rt_driver_sqlite;
extern const rt_driver rt_driver_pg;
extern const rt_driver rt_driver_mysql;

typedef enum {
    RT_CONNERR_REFUSED,
    RT_CONNERR_AUTH,
    RT_CONNERR_UNKNOWN_DB,
    RT_CONNERR_OTHER
} rt_connerr;

/* Clear the last error. */
void rt__clear_error(rt_conn *c);
/* Record a failed statement (message scrubbed of the password, first line
 * kept) and add an rt.sql-error diagnostic when d is not NULL.  Returns -1. */
int rt__sql_error(rt_conn *c, jy_diags *d, const char *message, const char *code,
                  const char *statement);
/* Record a failed connection and add its one-line diagnostic.  Returns -1. */
int rt__connect_error(rt_conn *c, jy_diags *d, rt_connerr kind, const char *message);
/* A malloc'd copy of a server message: the password replaced by ***,
 * line breaks and runs of spaces folded into one space, trimmed. */
char *rt__scrub(const rt_conn *c, const char *message);

/* Result building. */
rt_rows *rt__rows_new(size_t ncols);
/* Set column name i (copied).  false when out of memory. */
bool rt__rows_colname(rt_rows *r, size_t i, const char *name);
/* Append a row; its cells are copied (NULL = SQL NULL); lens may be NULL
 * (then strlen).  false when out of memory. */
bool rt__rows_add(rt_rows *r, const char *const *cells, const size_t *lens);

/* Introspection, one per database family. */
int rt__introspect_sqlite(rt_conn *c, ir_schema *s, jy_diags *d);
int rt__introspect_pg(rt_conn *c, ir_schema *s, jy_diags *d);
int rt__introspect_mysql(rt_conn *c, ir_schema *s, jy_diags *d);
/* The same for one table (and what it owns: columns, keys, indexes,
 * constraints); an absent table adds nothing.  table NULL reads every
 * table (PostgreSQL, MySQL: without the schema-wide objects; SQLite: all
 * of rt_introspect).  (guards: rt_introspect_table) */
int rt__introspect_sqlite_table(rt_conn *c, const char *table, ir_schema *s, jy_diags *d);
int rt__introspect_pg_tables(rt_conn *c, const char *table, ir_schema *s, jy_diags *d);
int rt__introspect_mysql_tables(rt_conn *c, const char *table, ir_schema *s, jy_diags *d);
/* Run a catalog query; when table is not NULL only its rows: the condition
 * "AND <col> = <placeholder 1>" goes before the query's last ORDER BY (or
 * at its end).  (runtime/guard.c) */
int rt__query_for_table(rt_conn *c, const char *sql, const char *col, const char *table,
                        rt_rows **r, jy_diags *d);

#endif /* JORYU_DRIVER_INT_H */
