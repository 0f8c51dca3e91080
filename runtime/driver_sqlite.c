/* driver_sqlite.c - the SQLite driver (sqlite3_prepare_v2 / bind / step). */
#include "driver_int.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

void rt_process_init(void)
{
    /* SQLITE_MISUSE when SQLite is initialized already: nothing changes */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int lite_error(rt_conn *c, jy_diags *d, const char *stmt, size_t n)
{
    sqlite3 *db = c->handle;
    char code[32];
    snprintf(code, sizeof code, "SQLITE_%d", sqlite3_extended_errcode(db));
    char *s = stmt ? strndup(stmt, n) : NULL;
    int rc = rt__sql_error(c, d, sqlite3_errmsg(db), code, s);
    free(s);
    return rc;
}

/*
 * Open the file (created when missing) or an in-memory database.
 * ?mode=ro opens read-only (dry runs).  Foreign keys are enforced and a
 * busy database is waited for up to 5 s (?busy_timeout= in ms).
 */
static int lite_connect(rt_conn *c, const rt_url *u, jy_diags *d)
{
    const char *mode = rt_url_param_get(u, "mode");
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (mode && strcmp(mode, "ro") == 0)
        flags = SQLITE_OPEN_READONLY;
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(u->memory ? ":memory:" : u->path, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "cannot open the database file: %s",
                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return rt__connect_error(c, d, RT_CONNERR_OTHER, msg);
    }
    c->handle = db;
    const char *bt = rt_url_param_get(u, "busy_timeout");
    sqlite3_busy_timeout(db, bt ? atoi(bt) : 5000);
    sqlite3_extended_result_codes(db, 1);
    c->server_version = strdup(sqlite3_libversion());
    /* joryu's own connection reads the state tables and runs DDL: a small
       page cache (512 KiB instead of SQLite's 2 MB default) keeps joryu-run
       under its memory goal at no measured cost in speed (issue 4) */
    sqlite3_exec(db, "PRAGMA cache_size = -512", NULL, NULL, NULL);
    if (flags != SQLITE_OPEN_READONLY &&
        sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
        return rt__connect_error(c, d, RT_CONNERR_OTHER, sqlite3_errmsg(db));
    /* a file that is not a database fails here, not at the first statement */
    if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK)
        return rt__connect_error(c, d, RT_CONNERR_OTHER, sqlite3_errmsg(db));
    return 0;
}

static void lite_close(rt_conn *c)
{
    sqlite3_stmt *p; /* the statements lite_done kept */
    while ((p = sqlite3_next_stmt(c->handle, NULL)) != NULL)
        sqlite3_finalize(p);
    sqlite3_close_v2(c->handle);
    c->handle = NULL;
}

/* Run statements one by one so that an error names the failing one. */
static int lite_exec(rt_conn *c, const char *sql, jy_diags *d)
{
    sqlite3 *db = c->handle;
    const char *p = sql;
    while (p && *p) {
        while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
            p++;
        if (!*p)
            break;
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        if (sqlite3_prepare_v2(db, p, -1, &st, &tail) != SQLITE_OK)
            return lite_error(c, d, p, tail && tail > p ? (size_t)(tail - p) : strlen(p));
        if (!st) { /* whitespace or a comment */
            p = tail;
            continue;
        }
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
        if (rc != SQLITE_DONE) {
            int r = lite_error(c, d, p, (size_t)(tail - p));
            sqlite3_finalize(st);
            return r;
        }
        sqlite3_finalize(st);
        p = tail;
    }
    return 0;
}

/* How many statements with parameters a connection keeps prepared. */
#define LITE_KEEP 8

/*
 * Prepare sql, one statement (rt_query, rt_each).  keep (a statement with
 * parameters, run by rt_query): a statement kept by an earlier call with
 * the same text (lite_done: one that returns no rows) is reused instead
 * (SQLite re-prepares it by itself when the schema changed since), so a
 * writer called once per row prepares once.  The kept statements are the connection's own list
 * (sqlite3_next_stmt): no other state.  An error (or a text with no
 * statement in it) is the connection's error: -1.
 */
static int lite_prepare(rt_conn *c, const char *sql, bool keep, sqlite3_stmt **st, jy_diags *d)
{
    sqlite3 *db = c->handle;
    *st = NULL;
    if (keep)
        for (sqlite3_stmt *p = sqlite3_next_stmt(db, NULL); p; p = sqlite3_next_stmt(db, p))
            if (!sqlite3_stmt_busy(p) && strcmp(sqlite3_sql(p), sql) == 0) {
                *st = p;
                return 0;
            }
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK && *st)
        return 0;
    if (!*st && sqlite3_errcode(db) == SQLITE_OK)
        return rt__sql_error(c, d, "empty statement", NULL, sql);
    return lite_error(c, d, sql, strlen(sql));
}

/* A statement that ran to its end: kept (reset: it holds no lock; the
 * oldest beyond LITE_KEEP are finalized) or finalized.  Only statements
 * that return no columns are kept: one that SQLite re-prepares for a new
 * schema inside sqlite3_step may change its columns (SELECT *) after
 * rt_query has counted them. */
static void lite_done(sqlite3 *db, sqlite3_stmt *st, bool keep)
{
    if (!keep || sqlite3_column_count(st) != 0) {
        sqlite3_finalize(st);
        return;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    int n = 0;
    for (sqlite3_stmt *p = sqlite3_next_stmt(db, NULL), *next; p; p = next) {
        next = sqlite3_next_stmt(db, p);
        if (!sqlite3_stmt_busy(p) && ++n > LITE_KEEP)
            sqlite3_finalize(p);
    }
}

static int lite_query(rt_conn *c, const char *sql, const char *const *params, size_t nparams,
                      rt_rows **out, jy_diags *d)
{
    sqlite3 *db = c->handle;
    sqlite3_stmt *st = NULL;
    bool keep = nparams > 0;
    if (lite_prepare(c, sql, keep, &st, d))
        return -1;
    if ((int)nparams != sqlite3_bind_parameter_count(st)) {
        char msg[128];
        snprintf(msg, sizeof msg, "the statement has %d parameters, %zu given",
                 sqlite3_bind_parameter_count(st), nparams);
        sqlite3_finalize(st);
        return rt__sql_error(c, d, msg, NULL, sql);
    }
    for (size_t i = 0; i < nparams; i++) {
        int rc = params[i] ? sqlite3_bind_text(st, (int)i + 1, params[i], -1, SQLITE_TRANSIENT)
                           : sqlite3_bind_null(st, (int)i + 1);
        if (rc != SQLITE_OK) {
            int r = lite_error(c, d, sql, strlen(sql));
            sqlite3_finalize(st);
            return r;
        }
    }
    int ncols = sqlite3_column_count(st);
    rt_rows *r = rt__rows_new((size_t)ncols);
    if (!r) {
        sqlite3_finalize(st);
        return rt__sql_error(c, d, "out of memory", NULL, sql);
    }
    for (int i = 0; i < ncols; i++)
        rt__rows_colname(r, (size_t)i, sqlite3_column_name(st, i));
    const char **cells = ncols ? calloc((size_t)ncols, sizeof *cells) : NULL;
    size_t *lens = ncols ? calloc((size_t)ncols, sizeof *lens) : NULL;
    int rc;
    bool oom = ncols && (!cells || !lens);
    while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++) {
            if (sqlite3_column_type(st, i) == SQLITE_NULL) {
                cells[i] = NULL;
                lens[i] = 0;
            } else {
                cells[i] = (const char *)sqlite3_column_text(st, i);
                lens[i] = (size_t)sqlite3_column_bytes(st, i);
                if (!cells[i])
                    cells[i] = "";
            }
        }
        if (!rt__rows_add(r, cells, lens))
            oom = true;
    }
    free(cells);
    free(lens);
    if (oom) {
        sqlite3_finalize(st);
        rt_rows_free(r);
        return rt__sql_error(c, d, "out of memory", NULL, sql);
    }
    if (rc != SQLITE_DONE) {
        int e = lite_error(c, d, sql, strlen(sql));
        sqlite3_finalize(st);
        rt_rows_free(r);
        return e;
    }
    r->affected = sqlite3_stmt_readonly(st) ? 0 : sqlite3_changes64(db);
    lite_done(db, st, keep);
    if (out)
        *out = r;
    else
        rt_rows_free(r);
    return 0;
}

/* Each row as it is stepped to: no result table. */
static int lite_each(rt_conn *c, const char *sql, rt_row_fn fn, void *ctx, jy_diags *d)
{
    sqlite3_stmt *st = NULL;
    if (lite_prepare(c, sql, false, &st, d))
        return -1;
    int ncols = sqlite3_column_count(st);
    char **cells = calloc(ncols ? (size_t)ncols : 1, sizeof *cells);
    int rc, out = 0;
    bool oom = !cells;
    while (!oom && out == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncols && !oom; i++) {
            if (sqlite3_column_type(st, i) == SQLITE_NULL) {
                cells[i] = NULL;
                continue;
            }
            const char *v = (const char *)sqlite3_column_text(st, i);
            size_t n = (size_t)sqlite3_column_bytes(st, i);
            cells[i] = malloc(n + 1);
            if (!cells[i]) {
                oom = true;
                break;
            }
            if (v)
                memcpy(cells[i], v, n);
            cells[i][v ? n : 0] = 0;
        }
        if (!oom)
            out = fn(ctx, cells, (size_t)ncols);
        for (int i = 0; i < ncols; i++) {
            free(cells[i]);
            cells[i] = NULL;
        }
    }
    free(cells);
    if (oom) {
        sqlite3_finalize(st);
        return rt__sql_error(c, d, "out of memory", NULL, sql);
    }
    if (out != 0) {
        sqlite3_finalize(st);
        return out;
    }
    if (rc != SQLITE_DONE) {
        int e = lite_error(c, d, sql, strlen(sql));
        sqlite3_finalize(st);
        return e;
    }
    sqlite3_finalize(st);
    return 0;
}

static int lite_begin(rt_conn *c, jy_diags *d)
{
    return lite_exec(c, "BEGIN", d);
}

static int lite_commit(rt_conn *c, jy_diags *d)
{
    return lite_exec(c, "COMMIT", d);
}

static int lite_rollback(rt_conn *c, jy_diags *d)
{
    return lite_exec(c, "ROLLBACK", d);
}

const rt_driver rt_driver_sqlite = {"sqlite",     lite_connect, lite_close, lite_exec, lite_query,
                                    lite_begin,   lite_commit,  lite_rollback, lite_each};
