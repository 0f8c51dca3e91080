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
    RT_CONNERR_OTHER,
    RT_CONNERR_LIBRARY /* the client library cannot be loaded: message says what to install */
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

/*
 * Client libraries (libpq, MariaDB Connector/C) are loaded with dlopen when
 * a URL of their database is used, never linked: joryu-run on SQLite maps
 * neither of them nor their dependencies (krb5, LDAP, GnuTLS, OpenSSL's
 * libssl), which cost memory and dynamic-linking time at every start
 * (issue 4).  Each driver lists the functions it calls once, in an X-macro
 * X(return type, name, (parameter types)) that declares its table of
 * pointers (RT_CLIENT_FIELD), checks every signature against the library's
 * header at compile time (RT_CLIENT_CHECK) and resolves them
 * (RT_CLIENT_NAME, RT_CLIENT_SET).  The table lives in the connection
 * (c->handle): no global state.
 */
typedef struct rt_client_lib {
    const char *database; /* "PostgreSQL" */
    const char *library;  /* "libpq" */
    const char *soname;   /* "libpq.so.5": what dlopen loads by default */
    const char *env;      /* "JORYU_LIBPQ": when set, the file to load instead */
    const char *package;  /* "libpq5": the Debian package that installs it */
} rt_client_lib;

/* Load the library (RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE: it stays mapped
 * after rt__client_close, so that the exit handlers of OpenSSL and krb5
 * never point into unmapped code, and the next connection's dlopen is only
 * a reference count) and look up the n functions names[] into syms[].
 * The handle, or NULL after one diagnostic (rt.driver-missing, exit 1 as a
 * connection failure) that names the package to install, or the function
 * missing from a library too old. */
void *rt__client_load(rt_conn *c, jy_diags *d, const rt_client_lib *lib,
                      const char *const *names, size_t n, void **syms);
void rt__client_close(void *h);

/* In an X-macro list: a compile error when the header declares the function
 * with another signature (a conditional between incompatible pointer types
 * is a constraint violation; sizeof evaluates nothing, so nothing refers to
 * the library's symbols and the linker never asks for the library). */
#define RT_CLIENT_CHECK(ret, name, args) \
    _Static_assert(sizeof(1 ? (ret(*) args)0 : &name) > 0, #name);
/* Declare a member of the table. */
#define RT_CLIENT_FIELD(ret, name, args) ret(*name) args;
/* The list's names, for rt__client_load. */
#define RT_CLIENT_NAME(ret, name, args) #name,
/* Set a member from rt__client_load's syms (an index i counts them). */
#define RT_CLIENT_SET(ret, name, args) api->name = (ret(*) args)syms[i++];

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
