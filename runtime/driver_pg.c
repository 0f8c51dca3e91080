/* driver_pg.c - the PostgreSQL driver (libpq: PQconnectdbParams,
 * PQexec, PQsendQueryParams in single-row mode).  Blocking calls; notices
 * are swallowed (a library never prints).  libpq is loaded with dlopen when
 * a PostgreSQL URL is used (driver_int.h, "Client libraries"): joryu and
 * joryu-run do not link it. */
#include "driver_int.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

/* Every libpq function the driver calls: X(return type, name, (parameters)). */
#define PG_FUNCS(X)                                                                          \
    X(PGconn *, PQconnectdbParams, (const char *const *, const char *const *, int))          \
    X(ConnStatusType, PQstatus, (const PGconn *))                                            \
    X(char *, PQerrorMessage, (const PGconn *))                                              \
    X(PQnoticeProcessor, PQsetNoticeProcessor, (PGconn *, PQnoticeProcessor, void *))        \
    X(const char *, PQparameterStatus, (const PGconn *, const char *))                       \
    X(void, PQfinish, (PGconn *))                                                            \
    X(PGresult *, PQexec, (PGconn *, const char *))                                          \
    X(int, PQsendQueryParams,                                                                \
      (PGconn *, const char *, int, const Oid *, const char *const *, const int *,           \
       const int *, int))                                                                    \
    X(int, PQsetSingleRowMode, (PGconn *))                                                   \
    X(PGresult *, PQgetResult, (PGconn *))                                                   \
    X(ExecStatusType, PQresultStatus, (const PGresult *))                                    \
    X(char *, PQresultErrorField, (const PGresult *, int))                                   \
    X(void, PQclear, (PGresult *))                                                           \
    X(int, PQnfields, (const PGresult *))                                                    \
    X(int, PQntuples, (const PGresult *))                                                    \
    X(char *, PQfname, (const PGresult *, int))                                              \
    X(int, PQgetisnull, (const PGresult *, int, int))                                        \
    X(char *, PQgetvalue, (const PGresult *, int, int))                                      \
    X(int, PQgetlength, (const PGresult *, int, int))                                        \
    X(char *, PQcmdTuples, (PGresult *))

PG_FUNCS(RT_CLIENT_CHECK)

typedef struct pg_api {
    PG_FUNCS(RT_CLIENT_FIELD)
} pg_api;

/* c->handle of a PostgreSQL connection. */
typedef struct pg_link {
    PGconn *pg;
    void *lib; /* dlopen's handle of libpq */
    pg_api f;
} pg_link;

static const rt_client_lib pg_lib = {"PostgreSQL", "libpq", "libpq.so.5", "JORYU_LIBPQ",
                                     "libpq5"};

/* Load libpq and fill the table; NULL after the diagnostic. */
static pg_link *pg_load(rt_conn *c, jy_diags *d)
{
    pg_link *l = calloc(1, sizeof *l);
    if (!l) {
        rt__connect_error(c, d, RT_CONNERR_OTHER, "out of memory");
        return NULL;
    }
    static const char *const names[] = {PG_FUNCS(RT_CLIENT_NAME)};
    void *syms[JY_COUNTOF(names)];
    if (!(l->lib = rt__client_load(c, d, &pg_lib, names, JY_COUNTOF(names), syms))) {
        free(l);
        return NULL;
    }
    pg_api *api = &l->f;
    size_t i = 0;
    PG_FUNCS(RT_CLIENT_SET)
    return l;
}

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static bool contains(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

/*
 * Connect with the URL's parts as libpq keywords (host, port, user,
 * password, dbname) plus every query parameter (sslmode, connect_timeout,
 * application_name, ...); libpq rejects unknown keywords.  A connect
 * timeout of 10 s applies unless the URL sets one.
 */
static int pg_connect(rt_conn *c, const rt_url *u, jy_diags *d)
{
    const char *keys[32], *vals[32];
    size_t n = 0;
    char port[16];
    if (u->host) {
        keys[n] = "host", vals[n++] = u->host;
    }
    if (u->port) {
        snprintf(port, sizeof port, "%d", u->port);
        keys[n] = "port", vals[n++] = port;
    }
    if (u->user) {
        keys[n] = "user", vals[n++] = u->user;
    }
    if (u->password) {
        keys[n] = "password", vals[n++] = u->password;
    }
    if (u->database) {
        keys[n] = "dbname", vals[n++] = u->database;
    }
    if (!rt_url_param_get(u, "connect_timeout")) {
        keys[n] = "connect_timeout", vals[n++] = "10";
    }
    if (!rt_url_param_get(u, "application_name")) {
        keys[n] = "application_name", vals[n++] = "joryu";
    }
    for (size_t i = 0; i < u->nparams && n + 2 < JY_COUNTOF(keys); i++) {
        keys[n] = u->params[i].key;
        vals[n++] = u->params[i].value;
    }
    keys[n] = NULL;
    vals[n] = NULL;
    pg_link *l = pg_load(c, d);
    if (!l)
        return -1;
    c->handle = l;
    const pg_api *f = &l->f;
    PGconn *pg = l->pg = f->PQconnectdbParams(keys, vals, 0);
    if (!pg)
        return rt__connect_error(c, d, RT_CONNERR_OTHER, "out of memory");
    if (f->PQstatus(pg) != CONNECTION_OK) {
        const char *m = f->PQerrorMessage(pg);
        rt_connerr kind = RT_CONNERR_OTHER;
        if (contains(m, "Connection refused") || contains(m, "No such file or directory"))
            kind = RT_CONNERR_REFUSED;
        else if (contains(m, "password authentication failed") ||
                 contains(m, "no password supplied") || contains(m, "authentication failed") ||
                 contains(m, "role \"") )
            kind = RT_CONNERR_AUTH;
        else if (contains(m, "database \"") && contains(m, "does not exist"))
            kind = RT_CONNERR_UNKNOWN_DB;
        return rt__connect_error(c, d, kind, m);
    }
    f->PQsetNoticeProcessor(pg, quiet_notice, NULL);
    const char *v = f->PQparameterStatus(pg, "server_version");
    c->server_version = strdup(v ? v : "");
    return 0;
}

static void pg_close(rt_conn *c)
{
    pg_link *l = c->handle;
    if (l->pg)
        l->f.PQfinish(l->pg);
    rt__client_close(l->lib);
    free(l);
    c->handle = NULL;
}

/* Record the error of a failed result (or of the connection). */
static int pg_error(rt_conn *c, jy_diags *d, PGresult *res, const char *sql)
{
    pg_link *l = c->handle;
    const pg_api *f = &l->f;
    const char *msg = res ? f->PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *code = res ? f->PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *detail = res ? f->PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_puts(&b, msg ? msg : f->PQerrorMessage(l->pg));
    const char *hint = res ? f->PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL;
    if (detail)
        jy_buf_printf(&b, " (%s)", detail);
    if (hint)
        jy_buf_printf(&b, " (hint: %s)", hint);
    int rc = rt__sql_error(c, d, b.data ? b.data : "error", code, sql);
    jy_buf_free(&b);
    f->PQclear(res);
    return rc;
}

static bool ok_status(const pg_api *f, PGresult *res)
{
    ExecStatusType s = f->PQresultStatus(res);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

static int pg_exec(rt_conn *c, const char *sql, jy_diags *d)
{
    pg_link *l = c->handle;
    PGresult *res = l->f.PQexec(l->pg, sql);
    if (!res || !ok_status(&l->f, res))
        return pg_error(c, d, res, sql);
    l->f.PQclear(res);
    return 0;
}

/* Hand one row to fn: each cell a malloc'd copy that fn may take (rt_row_fn),
 * the others freed when it returns.  false when out of memory (fn not
 * called); *stop is fn's value. */
static bool pg_row_to_fn(char **copies, const char *const *cells, const size_t *lens, size_t n,
                         rt_row_fn fn, void *ctx, int *stop)
{
    size_t i = 0;
    for (; i < n; i++) {
        copies[i] = NULL;
        if (!cells[i])
            continue;
        if (!(copies[i] = malloc(lens[i] + 1)))
            break;
        memcpy(copies[i], cells[i], lens[i]);
        copies[i][lens[i]] = 0;
    }
    if (i == n)
        *stop = fn(ctx, copies, n);
    for (size_t j = 0; j < i; j++) {
        free(copies[j]);
        copies[j] = NULL;
    }
    return i == n;
}

/*
 * Run one statement and take its rows one at a time as libpq hands them
 * over (single-row mode), so that a 10,000-row state table is never held
 * twice, once by libpq and once by us (issue 4, joryu-run's memory).  The
 * rows go either into *keep (rt_query: copied into an rt_rows) or, when
 * keep is NULL, to fn one by one (rt_driver.each; fn's nonzero value stops
 * the statement and is returned).  Every result is drained, whatever
 * happens, so that the connection is ready for the next statement.
 */
static int pg_run(rt_conn *c, const char *sql, const char *const *params, size_t nparams,
                  rt_rows **keep, rt_row_fn fn, void *ctx, jy_diags *d)
{
    if (nparams > 65535)
        return rt__sql_error(c, d, "too many parameters", NULL, sql);
    pg_link *l = c->handle;
    const pg_api *f = &l->f;
    PGconn *pg = l->pg;
    if (!f->PQsendQueryParams(pg, sql, (int)nparams, NULL, params, NULL, NULL, 0))
        return pg_error(c, d, NULL, sql);
    f->PQsetSingleRowMode(pg); /* when it fails, the rows come whole: the same */
    rt_rows *r = NULL;
    const char **cells = NULL;
    size_t *lens = NULL;
    char **copies = NULL;
    int ncols = -1;
    PGresult *err = NULL, *res;
    bool oom = false, done = false;
    int stop = 0; /* fn's nonzero value */
    long long affected = -1;
    while ((res = f->PQgetResult(pg)) != NULL) {
        if (err || oom || done || stop) { /* drain */
            f->PQclear(res);
            continue;
        }
        ExecStatusType st = f->PQresultStatus(res);
        if (st != PGRES_SINGLE_TUPLE && !ok_status(f, res)) {
            err = res;
            continue;
        }
        int nf = f->PQnfields(res), nt = f->PQntuples(res);
        if (ncols < 0) { /* the first result: the row shape */
            ncols = nf;
            size_t m = nf ? (size_t)nf : 1;
            cells = calloc(m, sizeof *cells);
            lens = calloc(m, sizeof *lens);
            oom = !cells || !lens;
            if (keep) {
                r = rt__rows_new((size_t)nf);
                oom = oom || !r;
                for (int i = 0; !oom && i < nf; i++)
                    oom = !rt__rows_colname(r, (size_t)i, f->PQfname(res, i));
            } else {
                copies = calloc(m, sizeof *copies);
                oom = oom || !copies;
            }
        }
        if (!oom && nf != ncols)
            oom = true; /* cannot happen: one statement, one row shape */
        for (int t = 0; !oom && !stop && t < nt; t++) {
            for (int i = 0; i < nf; i++) {
                cells[i] = f->PQgetisnull(res, t, i) ? NULL : f->PQgetvalue(res, t, i);
                lens[i] = cells[i] ? (size_t)f->PQgetlength(res, t, i) : 0;
            }
            if (keep) {
                oom = !rt__rows_add(r, cells, lens);
            } else {
                oom = !pg_row_to_fn(copies, cells, lens, (size_t)nf, fn, ctx, &stop);
            }
        }
        if (st != PGRES_SINGLE_TUPLE) {
            const char *ct = f->PQcmdTuples(res);
            affected = ct && *ct ? strtoll(ct, NULL, 10) : -1;
            done = true;
        }
        f->PQclear(res);
    }
    free(cells);
    free(lens);
    free(copies);
    if (err || oom || stop || !done)
        rt_rows_free(r);
    if (err)
        return pg_error(c, d, err, sql);
    if (oom)
        return rt__sql_error(c, d, "out of memory", NULL, sql);
    if (stop)
        return stop;
    if (!done) /* no final result: the connection failed */
        return pg_error(c, d, NULL, sql);
    if (keep) {
        r->affected = affected;
        *keep = r;
    }
    return 0;
}

static int pg_query(rt_conn *c, const char *sql, const char *const *params, size_t nparams,
                    rt_rows **out, jy_diags *d)
{
    rt_rows *r = NULL;
    int rc = pg_run(c, sql, params, nparams, &r, NULL, NULL, d);
    if (out)
        *out = r;
    else
        rt_rows_free(r);
    return rc;
}

static int pg_each(rt_conn *c, const char *sql, rt_row_fn fn, void *ctx, jy_diags *d)
{
    return pg_run(c, sql, NULL, 0, NULL, fn, ctx, d);
}

static int pg_begin(rt_conn *c, jy_diags *d)
{
    return pg_exec(c, "BEGIN", d);
}

static int pg_commit(rt_conn *c, jy_diags *d)
{
    return pg_exec(c, "COMMIT", d);
}

static int pg_rollback(rt_conn *c, jy_diags *d)
{
    return pg_exec(c, "ROLLBACK", d);
}

const rt_driver rt_driver_pg = {"postgresql", pg_connect, pg_close,   pg_exec, pg_query,
                                pg_begin,     pg_commit,  pg_rollback, pg_each};
