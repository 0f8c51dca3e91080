/*
 * runtime.h - what joryu-run needs at run time: configuration (joryu.toml),
 * database URLs, drivers, state tables, locks.  Prefix: rt_.
 */
#ifndef JORYU_RUNTIME_H
#define JORYU_RUNTIME_H

#include "base.h"

/* ---- config (h4) ---- */
#include "ir.h"

/*
 * joryu.toml (reference §17), read by our own TOML-subset reader: tables
 * `[a]` and `[a.b]`, `key = value` (bare, quoted and dotted keys), basic and
 * literal strings (also multi-line), integers, floats, booleans, arrays
 * (nested), inline tables, comments.  Unknown tables and keys are warnings
 * (config.unknown-table / config.unknown-key, with a did-you-mean);
 * syntax and type errors are errors with the line and column.
 */
typedef enum { RT_ENV_LOCAL, RT_ENV_STAGING, RT_ENV_PRODUCTION } rt_environment;

typedef struct rt_strlist {
    char **v; /* malloc'd strings */
    size_t n;
} rt_strlist;

typedef struct rt_config {
    bool found;               /* a joryu.toml was read (false: defaults) */
    char *path;               /* the file read (malloc'd), or NULL */
    jy_source *src;           /* the file's text: diagnostics point into it (owned) */
    /* [joryu] */
    char *migrations_dir;     /* default "migrations", relative to the toml's folder */
    rt_environment environment; /* default local */
    bool has_environment;     /* environment was written in the file */
    /* [database] */
    char *database_url;       /* as written ("env:VAR" kept verbatim), or NULL */
    size_t url_start, url_end; /* its position in src (for diagnostics) */
    /* [dialects] */
    ir_dmask targets;         /* default IR_DMASK_DEFAULT */
    ir_dmask test_targets;    /* default = targets */
    /* [metadata] */
    char *metadata_target;    /* "pkg.module:Base.metadata" or NULL */
    /* [generate] */
    rt_strlist include_schemas, exclude_tables;
    /* [joryu.test] */
    char *test_default_mode;  /* "unit" (default) or "integration" */
    ir_dmask test_integration_dialects; /* default = test_targets */
    char *test_postgresql_image, *test_mysql_image; /* accepted, unused */
    /* [python] */
    char *python_interpreter; /* NULL: JORYU_PYTHON, then python3, /usr/bin/python3 */
    /* [verify] */
    char *verify_base;        /* base: the git ref `verify` compares with by default, or NULL */
} rt_config;

/* Fill c with the defaults (no file). */
void rt_config_defaults(rt_config *c);

/*
 * Read a joryu.toml.  Returns 0 when the file was read (c->found), 1 when
 * it does not exist (c holds the defaults, no diagnostic: the caller decides
 * whether a project is required), -1 on any error (diagnostics in d, which
 * point into c->src: print them before rt_config_free).  Warnings (unknown
 * keys) do not make it fail.  Always call rt_config_free afterwards.
 */
int rt_config_load(const char *path, rt_config *c, jy_diags *d);
/* The same over text in memory (name is used in diagnostics). */
int rt_config_parse(const char *name, const char *text, size_t len, rt_config *c, jy_diags *d);
void rt_config_free(rt_config *c);

/* Where a database URL came from. */
typedef enum { RT_URL_FROM_FLAG, RT_URL_FROM_ENV, RT_URL_FROM_CONFIG } rt_url_origin;

/*
 * The database URL, in the order of the brief: `--db` (flag, may be NULL),
 * then $JORYU_DATABASE_URL, then [database] url of joryu.toml ("env:VAR"
 * read from the environment).  Returns 0 and a malloc'd URL in *out (and
 * its origin), or -1 with a diagnostic (config.no-database-url,
 * config.env-unset).  Never puts the password into a diagnostic.
 */
int rt_config_database_url(const rt_config *c, const char *flag, char **out,
                           rt_url_origin *origin, jy_diags *d);

/*
 * A URL fit for printing: the password of `scheme://user:pass@host/db` and
 * of `password=` query parameters becomes `***`.  malloc'd (NULL when out
 * of memory).  Use it for every URL that reaches output or a log.
 */
char *rt_url_redact(const char *url);

const char *rt_environment_name(rt_environment e);
/* ---- end config ---- */

/* ---- drivers (h7) ---- */
#include "ir.h"

/*
 * Database URLs (docs/SPEC.md):
 *   sqlite:///relative.db   sqlite:////abs/path.db   sqlite::memory:
 *   postgresql://user:pass@host:port/db?sslmode=require   (also postgres://)
 *   mysql://user:pass@host:port/db   mariadb://...
 * User, password, host and database are percent-decoded; a host may be an
 * [IPv6] literal.  Query parameters are kept (decoded) and passed to the
 * driver where it has the option (PostgreSQL: any libpq keyword; MySQL:
 * ssl-mode, connect_timeout, unix_socket/socket, charset; SQLite: mode=ro).
 * `redacted` is the URL with the password as *** (for every message).
 */
typedef enum { RT_DB_SQLITE, RT_DB_POSTGRESQL, RT_DB_MYSQL } rt_db_kind;

typedef struct rt_url_param {
    char *key, *value;
} rt_url_param;

typedef struct rt_url {
    rt_db_kind kind;
    bool mariadb_scheme;  /* written mariadb:// */
    char *user, *password, *host, *database; /* decoded; NULL when absent */
    int port;             /* 0 when absent */
    char *path;           /* SQLite: the file path, or ":memory:" */
    bool memory;          /* SQLite in-memory */
    rt_url_param *params;
    size_t nparams;
    char *redacted;       /* always set after a successful parse */
} rt_url;

/* Parse a URL.  0 on success; -1 with an rt.url-invalid diagnostic (which
 * shows the URL redacted) otherwise.  Free with rt_url_free in both cases. */
int rt_url_parse(const char *text, rt_url *u, jy_diags *d);
void rt_url_free(rt_url *u);
/* The value of a query parameter, or NULL. */
const char *rt_url_param_get(const rt_url *u, const char *key);
/* The dialect a URL names (mysql:// is IR_D_MYSQL until the server says
 * MariaDB: see rt_conn_dialect). */
ir_dialect rt_url_dialect(const rt_url *u);

/*
 * Connections.  One interface (rt_driver, a table of functions), three
 * implementations (sqlite3, libpq, MariaDB Connector/C).  Every failure
 * records the last error in the connection (the server's message, the
 * SQLSTATE or error code, and the failing statement) and, when d is not
 * NULL, adds one diagnostic:
 *   rt.sql-error   "<server message> (SQLSTATE/code) in statement: <sql>"
 * Passwords never appear in messages (they are scrubbed from server text).
 */
typedef struct rt_conn rt_conn;

/* A fully read result: rows of text values with NULL flags. */
typedef struct rt_rows {
    size_t ncols, nrows;
    char **colnames;      /* ncols */
    char **cells;         /* nrows * ncols, row-major; NULL for SQL NULL */
    size_t cur;           /* cursor: rt_rows_next moves it */
    int64_t affected;     /* rows changed by a DML statement, -1 unknown */
} rt_rows;

/* A row handed to rt_driver.each: cells[i] is malloc'd (NULL = SQL NULL);
 * the callback may take a cell (set it to NULL), the others are freed when
 * it returns.  A nonzero return stops the query and is returned. */
typedef int (*rt_row_fn)(void *ctx, char **cells, size_t ncols);

typedef struct rt_driver {
    const char *name; /* "sqlite", "postgresql", "mysql" */
    int (*connect)(rt_conn *c, const rt_url *u, jy_diags *d);
    void (*close)(rt_conn *c);
    /* One or more statements without parameters or rows. */
    int (*exec)(rt_conn *c, const char *sql, jy_diags *d);
    /* One statement with text parameters (NULL = SQL NULL); placeholders
     * are $1.. on PostgreSQL and ? elsewhere (rt_placeholder).  *out may be
     * NULL to drop the rows. */
    int (*query)(rt_conn *c, const char *sql, const char *const *params, size_t nparams,
                 rt_rows **out, jy_diags *d);
    int (*begin)(rt_conn *c, jy_diags *d);
    int (*commit)(rt_conn *c, jy_diags *d);
    int (*rollback)(rt_conn *c, jy_diags *d);
    /* Optional (NULL: rt_query, then the same walk): one statement without
     * parameters whose rows go to fn one at a time as they come, never all
     * held at once (the state tables, issue 4). */
    int (*each)(rt_conn *c, const char *sql, rt_row_fn fn, void *ctx, jy_diags *d);
} rt_driver;

struct rt_conn {
    const rt_driver *drv;
    rt_url url;
    ir_dialect dialect;    /* MARIADB when the server says so */
    char *server_version;  /* e.g. "16.2", "10.11.6-MariaDB-0+deb12u1", "3.40.1" */
    void *handle;          /* sqlite3*, PGconn*, MYSQL* */
    /* last error (malloc'd, NULL when the last call succeeded) */
    char *err_message, *err_code, *err_statement;
    bool in_tx;
};

/*
 * Connect to the database a URL names.  Returns a connection or NULL with
 * one diagnostic, one line, naming the redacted URL and what to do:
 *   rt.url-invalid     the URL does not parse
 *   rt.connect-refused nothing listens there (server down, wrong host/port)
 *   rt.auth-failed     the server refused the user name or password
 *   rt.unknown-database the database does not exist
 *   rt.connect-failed  anything else (the driver's message)
 */
rt_conn *rt_connect(const char *url, jy_diags *d);
/* Process-wide settings of the client libraries for a joryu program: the
 * programs' cli_main calls it first, before any other thread and any
 * connection (an application that embeds libjoryu need not).  SQLite
 * keeps no memory statistics (SQLITE_CONFIG_MEMSTATUS off): they cost a
 * mutex around every one of its allocations, about a tenth of the
 * instructions of a fresh apply, and nothing in joryu reads them. */
void rt_process_init(void);
/* The same, read-only from the start (dry runs, status): the session can
 * write nothing (rt_set_read_only).  SQLite opens the file read-only
 * (?mode=ro) and never creates it: a file that does not exist reads as an
 * empty database. */
rt_conn *rt_connect_read_only(const char *url, jy_diags *d);
void rt_close(rt_conn *c);
int rt_exec(rt_conn *c, const char *sql, jy_diags *d);
int rt_query(rt_conn *c, const char *sql, const char *const *params, size_t nparams,
             rt_rows **out, jy_diags *d);
int rt_begin(rt_conn *c, jy_diags *d);
int rt_commit(rt_conn *c, jy_diags *d);
int rt_rollback(rt_conn *c, jy_diags *d);
/* SAVEPOINT / RELEASE SAVEPOINT / ROLLBACK TO SAVEPOINT, name quoted. */
int rt_savepoint(rt_conn *c, const char *name, jy_diags *d);
int rt_release(rt_conn *c, const char *name, jy_diags *d);
int rt_rollback_to(rt_conn *c, const char *name, jy_diags *d);
/* Make the session read-only (dry runs): every later write fails with the
 * server's error.  SQLite: PRAGMA query_only; PostgreSQL: SET SESSION
 * CHARACTERISTICS AS TRANSACTION READ ONLY; MySQL: SET SESSION TRANSACTION
 * READ ONLY. */
int rt_set_read_only(rt_conn *c, jy_diags *d);
/* The n-th (1-based) parameter placeholder for this connection: "$n" or "?". */
const char *rt_placeholder(const rt_conn *c, unsigned n, char buf[16]);
/* An identifier quoted for the connection's dialect ("x", `x`); malloc'd. */
char *rt_quote_ident(const rt_conn *c, const char *name);
ir_dialect rt_conn_dialect(const rt_conn *c);
const char *rt_conn_server_version(const rt_conn *c);
/* The last error: the server's message, its code, the statement (or NULL). */
const char *rt_conn_error(const rt_conn *c);
const char *rt_conn_error_code(const rt_conn *c);
const char *rt_conn_error_statement(const rt_conn *c);

/* Result cursors. */
bool rt_rows_next(rt_rows *r);                 /* to the next row; false at the end */
const char *rt_rows_get(const rt_rows *r, size_t col, bool *is_null); /* current row */
const char *rt_rows_cell(const rt_rows *r, size_t row, size_t col);   /* NULL = SQL NULL */
void rt_rows_free(rt_rows *r);

/*
 * Read the live database's catalog into s (allocated by the caller with
 * ir_schema_new): the connection's schema (PostgreSQL current_schema()),
 * database (MySQL DATABASE()) or main database (SQLite).  joryu's state
 * tables are left out.  0, or -1 with a diagnostic.
 */
int rt_introspect(rt_conn *c, ir_schema *s, jy_diags *d);
/* ---- end drivers ---- */

/* ---- state tables (reference §9.2) and the apply lock ---- */

/*
 * joryu_migrations and joryu_migration_steps exactly as reference §9.2
 * (columns, statuses, transitions; docs/SPEC.md "State tables").  Times are
 * the server's CURRENT_TIMESTAMP.  Every writer below runs one statement on
 * the connection as it is (inside the caller's transaction when one is
 * open): the VM decides what commits together.  Statuses are stored as the
 * reference's strings; a value the reader does not know is rt.state-corrupt.
 */
typedef enum {
    RT_MS_NONE,     /* no row */
    RT_MS_PENDING,  /* written only by mark --as=pending */
    RT_MS_RUNNING,
    RT_MS_APPLIED,
    RT_MS_FAILED,
    RT_MS_PAUSED
} rt_mig_status;

typedef enum { RT_SS_PENDING, RT_SS_RUNNING, RT_SS_DONE, RT_SS_FAILED, RT_SS_SKIPPED } rt_step_status;

const char *rt_mig_status_name(rt_mig_status s);   /* "applied" ... ("none" for RT_MS_NONE) */
const char *rt_step_status_name(rt_step_status s); /* "done" ... */
bool rt_mig_status_parse(const char *s, rt_mig_status *out);
bool rt_step_status_parse(const char *s, rt_step_status *out);

typedef struct rt_step_row {
    uint32_t step_index;      /* 0-based as stored */
    char *op_kind, *op_fingerprint;
    rt_step_status status;
    char *started_at, *finished_at; /* text as the server returns it */
    char *progress;           /* JSON text or NULL */
} rt_step_row;

typedef struct rt_mig_row {
    char *id, *checksum;
    rt_mig_status status;
    char *started_at, *finished_at, *joryu_version, *dialect;
    char *last_error, *pause_reason;
    rt_step_row *steps;       /* sorted by step_index */
    size_t nsteps;
} rt_mig_row;

typedef struct rt_state {
    bool exists;              /* joryu_migrations exists */
    bool ready;               /* both tables and the status index exist */
    rt_mig_row *migs;         /* sorted by id */
    size_t n;
    jy_arena *arena;          /* the rows' strings (one block, freed with the state) */
} rt_state;

/* Create both tables and the status index when missing (idempotent; safe
 * when two appliers race).  0, or -1 with rt.sql-error. */
int rt_state_ensure(rt_conn *c, jy_diags *d);
/*
 * Read the state tables into st.  flags:
 *   RT_STATE_UNFINISHED  applied migrations come as id, checksum and status
 *                        only (no times, version, dialect, messages, step
 *                        rows); the others come whole with their steps
 *                        (apply and text status: their work follows pending
 *                        migrations, not history)
 * Never creates anything (status and dry runs read too): tables absent is
 * 0 with st->exists false and no rows; st->ready tells that both tables
 * and the status index are there (rt_state_ensure has nothing to do).
 * 0, or -1 with a diagnostic and st empty.
 */
enum { RT_STATE_UNFINISHED = 1u };
int rt_state_read(rt_conn *c, unsigned flags, rt_state *st, jy_diags *d);
/* rt_state_read(c, 0, ...): every row, every column. */
int rt_state_load(rt_conn *c, rt_state *st, jy_diags *d);
/* rt_state_read(c, RT_STATE_UNFINISHED, ...). */
int rt_state_load_unfinished(rt_conn *c, rt_state *st, jy_diags *d);
void rt_state_free(rt_state *st);
const rt_mig_row *rt_state_find(const rt_state *st, const char *id);

/* Migration rows.  begin: insert (status running) or update the row in place
 * to running with the given checksum, clearing last_error/pause_reason and
 * finished_at, setting started_at. */
int rt_state_mig_begin(rt_conn *c, const char *id, const char *checksum, const char *dialect,
                       jy_diags *d);
/* Set status; last_error / pause_reason are stored (truncated to 4 KB) only
 * for failed / paused and cleared otherwise; finished_at is set for
 * applied/failed/paused. */
int rt_state_mig_set(rt_conn *c, const char *id, rt_mig_status s, const char *last_error,
                     const char *pause_reason, jy_diags *d);
int rt_state_mig_set_checksum(rt_conn *c, const char *id, const char *checksum, jy_diags *d);
/* Delete the migration's row and its steps (after a downgrade). */
int rt_state_mig_delete(rt_conn *c, const char *id, jy_diags *d);

/* Step rows.  begin: insert or update to running (started_at now, progress
 * kept unless reset).  set: status and progress (NULL keeps the stored
 * progress; "" clears it); finished_at set for done/failed/skipped. */
int rt_state_step_begin(rt_conn *c, const char *id, uint32_t step_index, const char *op_kind,
                        const char *fingerprint, jy_diags *d);
int rt_state_step_set(rt_conn *c, const char *id, uint32_t step_index, rt_step_status s,
                      const char *progress, jy_diags *d);
/* Delete the step rows of id with step_index >= from (restart). */
int rt_state_steps_delete(rt_conn *c, const char *id, uint32_t from, jy_diags *d);

/*
 * Batched writes (the VM's commit groups, docs/SPEC.md "Transactions and
 * what commits together"): what several rt_state_mig_begin / step_begin /
 * step_set(done) / mig_set(applied) calls would leave, in a few multi-row
 * statements on the connection as it is.
 *   migs[i].begin: the row is upserted as rt_state_mig_begin would, with
 *     status running or applied (finished_at now when applied);
 *   otherwise status applied is stored as rt_state_mig_set would (a missing
 *     row is rt.state-missing-row) and running changes nothing.
 *   steps[]: each row becomes done (started_at and finished_at now, op_kind
 *     and fingerprint stored, progress kept), inserted when missing.
 * Begun migrations are written before the steps (foreign key).  Strings are
 * borrowed.  0, or -1 with a diagnostic.
 */
typedef struct rt_state_mig_w {
    const char *id, *checksum, *dialect; /* dialect NULL: the connection's */
    bool begin;
    rt_mig_status status;                /* RT_MS_RUNNING or RT_MS_APPLIED */
} rt_state_mig_w;

typedef struct rt_state_step_w {
    const char *id;
    uint32_t step_index;
    const char *op_kind, *fingerprint;
} rt_state_step_w;

int rt_state_write_batch(rt_conn *c, const rt_state_mig_w *migs, size_t nm,
                         const rt_state_step_w *steps, size_t ns, jy_diags *d);
/* Set a step row's op_kind and op_fingerprint, nothing else (repair:
 * runtime/state_admin.c).  -1 with rt.state-missing-row when absent. */
int rt_state_step_set_code(rt_conn *c, const char *id, uint32_t step_index, const char *op_kind,
                           const char *fingerprint, jy_diags *d);

/*
 * The database-wide apply lock (brief: PostgreSQL session advisory lock,
 * MySQL/MariaDB GET_LOCK, SQLite an exclusive lock that does not block the
 * applier's own connection).  timeout < 0 waits forever, 0 tries once.
 * Held until rt_lock_release or the connection closes (or the process dies).
 * -1 with rt.lock-timeout ("another joryu apply holds the lock on <url>;
 * waited N s: retry, or raise --lock-timeout") when it could not be taken.
 */
int rt_lock_acquire(rt_conn *c, double timeout, jy_diags *d);
int rt_lock_release(rt_conn *c, jy_diags *d);

/* ---- guards (reference §9.4, §9.5) ---- */

/*
 * Evaluate an ensure guard (the JSON written by the backends into each
 * step, docs/SPEC.md "Guards") against the live catalog: introspect what the
 * guard names (rt_introspect_table) and compare shapes with abstract types
 * (no false drift for TEXT vs LONGTEXT).
 *   RT_GUARD_RUN        the desired state is missing: run the step
 *   RT_GUARD_SKIP       the desired state exists: skip (detail says so)
 *   RT_GUARD_SKIP_DRIFT it exists with another shape and on_mismatch=skip:
 *                       skip with a warning (detail names the difference)
 *   RT_GUARD_RECONCILE  another shape and on_mismatch=alter: run the
 *                       statements in sql[] instead of the step's body
 *   RT_GUARD_DRIFT      another shape, on_mismatch=error (or a state the op
 *                       cannot start from, e.g. alter_column on a missing
 *                       column): the step fails; detail names the object and
 *                       the difference ("users.phone is VARCHAR(20) here,
 *                       the migration adds TEXT")
 * Returns 0 with *r filled (free with rt_guard_result_free), -1 when the
 * catalog could not be read or the guard JSON is malformed (rt.guard-invalid).
 */
typedef enum {
    RT_GUARD_RUN,
    RT_GUARD_SKIP,
    RT_GUARD_SKIP_DRIFT,
    RT_GUARD_RECONCILE,
    RT_GUARD_DRIFT
} rt_guard_outcome;

typedef struct rt_guard_result {
    rt_guard_outcome outcome;
    char *detail;             /* malloc'd, NULL for plain RUN */
    char **sql;               /* RECONCILE: statements to run (malloc'd) */
    size_t nsql;
} rt_guard_result;

int rt_guard_eval(rt_conn *c, const char *guard_json, rt_guard_result *r, jy_diags *d);
void rt_guard_result_free(rt_guard_result *r);

/* Introspect one table (and the objects it owns) into s; absent table: 0 and
 * nothing added.  Cheaper than rt_introspect for guards. */
int rt_introspect_table(rt_conn *c, const char *table, ir_schema *s, jy_diags *d);


#endif /* JORYU_RUNTIME_H */
