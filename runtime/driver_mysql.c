/* driver_mysql.c - the MySQL / MariaDB driver (MariaDB Connector/C:
 * mysql_real_connect, the text protocol for statements without
 * parameters, prepared statements for parameters).  The connector is
 * loaded with dlopen when a MySQL URL is used (driver_int.h, "Client
 * libraries"): joryu and joryu-run do not link it. */
#include "driver_int.h"

#include <mysql.h>
#include <errmsg.h>
#include <stdlib.h>
#include <string.h>

/* Every connector function the driver calls: X(return type, name, (parameters)). */
#define MY_FUNCS(X)                                                                          \
    X(MYSQL *, mysql_init, (MYSQL *))                                                        \
    X(int, mysql_optionsv, (MYSQL *, enum mysql_option, ...))                                \
    X(MYSQL *, mysql_real_connect,                                                           \
      (MYSQL *, const char *, const char *, const char *, const char *, unsigned int,        \
       const char *, unsigned long))                                                         \
    X(char *, mysql_get_server_info, (MYSQL *))                                              \
    X(void, mysql_close, (MYSQL *))                                                          \
    X(unsigned int, mysql_errno, (MYSQL *))                                                  \
    X(const char *, mysql_error, (MYSQL *))                                                  \
    X(const char *, mysql_sqlstate, (MYSQL *))                                               \
    X(int, mysql_real_query, (MYSQL *, const char *, unsigned long))                         \
    X(MYSQL_RES *, mysql_store_result, (MYSQL *))                                            \
    X(unsigned int, mysql_num_fields, (MYSQL_RES *))                                         \
    X(MYSQL_FIELD *, mysql_fetch_fields, (MYSQL_RES *))                                      \
    X(MYSQL_ROW, mysql_fetch_row, (MYSQL_RES *))                                             \
    X(unsigned long *, mysql_fetch_lengths, (MYSQL_RES *))                                   \
    X(void, mysql_free_result, (MYSQL_RES *))                                                \
    X(int, mysql_next_result, (MYSQL *))                                                     \
    X(unsigned int, mysql_field_count, (MYSQL *))                                            \
    X(my_ulonglong, mysql_affected_rows, (MYSQL *))                                          \
    X(MYSQL_STMT *, mysql_stmt_init, (MYSQL *))                                              \
    X(int, mysql_stmt_prepare, (MYSQL_STMT *, const char *, unsigned long))                  \
    X(unsigned long, mysql_stmt_param_count, (MYSQL_STMT *))                                 \
    X(my_bool, mysql_stmt_bind_param, (MYSQL_STMT *, MYSQL_BIND *))                          \
    X(int, mysql_stmt_execute, (MYSQL_STMT *))                                               \
    X(unsigned int, mysql_stmt_field_count, (MYSQL_STMT *))                                  \
    X(my_ulonglong, mysql_stmt_affected_rows, (MYSQL_STMT *))                                \
    X(MYSQL_RES *, mysql_stmt_result_metadata, (MYSQL_STMT *))                               \
    X(my_bool, mysql_stmt_bind_result, (MYSQL_STMT *, MYSQL_BIND *))                         \
    X(int, mysql_stmt_fetch, (MYSQL_STMT *))                                                 \
    X(int, mysql_stmt_fetch_column, (MYSQL_STMT *, MYSQL_BIND *, unsigned int, unsigned long)) \
    X(unsigned int, mysql_stmt_errno, (MYSQL_STMT *))                                        \
    X(const char *, mysql_stmt_error, (MYSQL_STMT *))                                        \
    X(const char *, mysql_stmt_sqlstate, (MYSQL_STMT *))                                     \
    X(my_bool, mysql_stmt_close, (MYSQL_STMT *))

MY_FUNCS(RT_CLIENT_CHECK)

typedef struct my_api {
    MY_FUNCS(RT_CLIENT_FIELD)
} my_api;

/* c->handle of a MySQL connection. */
typedef struct my_link {
    MYSQL *m;
    void *lib; /* dlopen's handle of the connector */
    my_api f;
} my_link;

static const rt_client_lib my_lib = {"MySQL/MariaDB", "MariaDB Connector/C (libmariadb)",
                                     "libmariadb.so.3", "JORYU_LIBMARIADB", "libmariadb3"};

/* Load the connector and fill the table; NULL after the diagnostic. */
static my_link *my_load(rt_conn *c, jy_diags *d)
{
    my_link *l = calloc(1, sizeof *l);
    if (!l) {
        rt__connect_error(c, d, RT_CONNERR_OTHER, "out of memory");
        return NULL;
    }
    static const char *const names[] = {MY_FUNCS(RT_CLIENT_NAME)};
    void *syms[JY_COUNTOF(names)];
    if (!(l->lib = rt__client_load(c, d, &my_lib, names, JY_COUNTOF(names), syms))) {
        free(l);
        return NULL;
    }
    my_api *api = &l->f;
    size_t i = 0;
    MY_FUNCS(RT_CLIENT_SET)
    return l;
}

/* The connection's table of connector functions. */
static const my_api *fns(const rt_conn *c)
{
    return &((const my_link *)c->handle)->f;
}

static MYSQL *mysql_of(const rt_conn *c)
{
    return ((const my_link *)c->handle)->m;
}

static int my_error(rt_conn *c, jy_diags *d, unsigned err, const char *msg, const char *state,
                    const char *sql)
{
    char code[48];
    snprintf(code, sizeof code, "%u%s%s", err, state && *state ? "/" : "", state ? state : "");
    return rt__sql_error(c, d, msg, code, sql);
}

static int conn_error(rt_conn *c, jy_diags *d, const char *sql)
{
    MYSQL *m = mysql_of(c);
    const my_api *f = fns(c);
    return my_error(c, d, f->mysql_errno(m), f->mysql_error(m), f->mysql_sqlstate(m), sql);
}

static int stmt_error(rt_conn *c, jy_diags *d, MYSQL_STMT *st, const char *sql)
{
    const my_api *f = fns(c);
    int rc = my_error(c, d, f->mysql_stmt_errno(st), f->mysql_stmt_error(st),
                      f->mysql_stmt_sqlstate(st), sql);
    f->mysql_stmt_close(st);
    return rc;
}

/*
 * Connect over TCP (or the socket named by ?unix_socket= / ?socket=) with
 * utf8mb4, multi-statement text queries, a 10 s connect timeout
 * (?connect_timeout=), and ?ssl-mode=required|disabled (or ssl=true).
 */
static int my_connect(rt_conn *c, const rt_url *u, jy_diags *d)
{
    my_link *l = my_load(c, d);
    if (!l)
        return -1;
    c->handle = l;
    const my_api *f = &l->f;
    MYSQL *m = l->m = f->mysql_init(NULL);
    if (!m)
        return rt__connect_error(c, d, RT_CONNERR_OTHER, "out of memory");
    const char *ct = rt_url_param_get(u, "connect_timeout");
    unsigned timeout = ct ? (unsigned)atoi(ct) : 10;
    f->mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    f->mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    const char *ssl = rt_url_param_get(u, "ssl-mode");
    if (!ssl)
        ssl = rt_url_param_get(u, "ssl_mode");
    const char *sslb = rt_url_param_get(u, "ssl");
    if ((ssl && (strcasecmp(ssl, "required") == 0 || strcasecmp(ssl, "verify_identity") == 0 ||
                 strcasecmp(ssl, "verify_ca") == 0)) ||
        (sslb && (strcmp(sslb, "true") == 0 || strcmp(sslb, "1") == 0))) {
        my_bool yes = 1;
        f->mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &yes);
        if (ssl && strncasecmp(ssl, "verify", 6) == 0)
            f->mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &yes);
    }
    const char *sock = rt_url_param_get(u, "unix_socket");
    if (!sock)
        sock = rt_url_param_get(u, "socket");
    if (!f->mysql_real_connect(m, u->host, u->user, u->password ? u->password : "", u->database,
                               (unsigned)u->port, sock,
                               CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS)) {
        unsigned e = f->mysql_errno(m);
        rt_connerr kind = RT_CONNERR_OTHER;
        if (e == CR_CONNECTION_ERROR || e == CR_CONN_HOST_ERROR)
            kind = RT_CONNERR_REFUSED;
        else if (e == 1045 /* ER_ACCESS_DENIED_ERROR */ || e == 1044 /* ER_DBACCESS_DENIED */ ||
                 e == 1698)
            kind = RT_CONNERR_AUTH;
        else if (e == 1049 /* ER_BAD_DB_ERROR */)
            kind = RT_CONNERR_UNKNOWN_DB;
        return rt__connect_error(c, d, kind, f->mysql_error(m));
    }
    const char *v = f->mysql_get_server_info(m);
    c->server_version = strdup(v ? v : "");
    if (v && strstr(v, "MariaDB"))
        c->dialect = IR_D_MARIADB;
    else
        c->dialect = IR_D_MYSQL;
    return 0;
}

static void my_close(rt_conn *c)
{
    my_link *l = c->handle;
    if (l->m)
        l->f.mysql_close(l->m);
    rt__client_close(l->lib);
    free(l);
    c->handle = NULL;
}

/* Text protocol: run sql (maybe several statements), keep the last result
 * set when out is not NULL. */
static int my_text(rt_conn *c, const char *sql, rt_rows **out, jy_diags *d)
{
    MYSQL *m = mysql_of(c);
    const my_api *f = fns(c);
    if (f->mysql_real_query(m, sql, strlen(sql)) != 0)
        return conn_error(c, d, sql);
    rt_rows *last = NULL;
    for (;;) {
        MYSQL_RES *res = f->mysql_store_result(m);
        if (res) {
            unsigned nf = f->mysql_num_fields(res);
            rt_rows *r = rt__rows_new(nf);
            MYSQL_FIELD *fs = f->mysql_fetch_fields(res);
            bool oom = !r;
            for (unsigned i = 0; !oom && i < nf; i++)
                oom = !rt__rows_colname(r, i, fs[i].name);
            const char **cells = nf ? calloc(nf, sizeof *cells) : NULL;
            size_t *lens = nf ? calloc(nf, sizeof *lens) : NULL;
            oom = oom || (nf && (!cells || !lens));
            MYSQL_ROW row;
            while (!oom && (row = f->mysql_fetch_row(res))) {
                unsigned long *ls = f->mysql_fetch_lengths(res);
                for (unsigned i = 0; i < nf; i++) {
                    cells[i] = row[i];
                    lens[i] = row[i] ? ls[i] : 0;
                }
                oom = !rt__rows_add(r, cells, lens);
            }
            free(cells);
            free(lens);
            f->mysql_free_result(res);
            if (oom) {
                rt_rows_free(r);
                rt_rows_free(last);
                while (f->mysql_next_result(m) == 0) {
                    MYSQL_RES *x = f->mysql_store_result(m);
                    f->mysql_free_result(x);
                }
                return rt__sql_error(c, d, "out of memory", NULL, sql);
            }
            rt_rows_free(last);
            last = r;
        } else if (f->mysql_field_count(m) != 0) {
            rt_rows_free(last);
            return conn_error(c, d, sql);
        } else {
            if (!last) {
                last = rt__rows_new(0);
                if (last)
                    last->affected = (int64_t)f->mysql_affected_rows(m);
            }
        }
        int nr = f->mysql_next_result(m);
        if (nr > 0) {
            rt_rows_free(last);
            return conn_error(c, d, sql);
        }
        if (nr < 0)
            break;
    }
    if (out)
        *out = last;
    else
        rt_rows_free(last);
    return 0;
}

static int my_exec(rt_conn *c, const char *sql, jy_diags *d)
{
    return my_text(c, sql, NULL, d);
}

/* Prepared statement with string parameters; results fetched as strings
 * of any length (fetch, then fetch_column for each value). */
static int my_prepared(rt_conn *c, const char *sql, const char *const *params, size_t nparams,
                       rt_rows **out, jy_diags *d)
{
    MYSQL *m = mysql_of(c);
    const my_api *f = fns(c);
    MYSQL_STMT *st = f->mysql_stmt_init(m);
    if (!st)
        return conn_error(c, d, sql);
    if (f->mysql_stmt_prepare(st, sql, strlen(sql)) != 0)
        return stmt_error(c, d, st, sql);
    if (f->mysql_stmt_param_count(st) != nparams) {
        char msg[128];
        snprintf(msg, sizeof msg, "the statement has %lu parameters, %zu given",
                 f->mysql_stmt_param_count(st), nparams);
        f->mysql_stmt_close(st);
        return rt__sql_error(c, d, msg, NULL, sql);
    }
    MYSQL_BIND *pb = calloc(nparams, sizeof *pb);
    unsigned long *plen = calloc(nparams, sizeof *plen);
    my_bool *pnull = calloc(nparams, sizeof *pnull);
    if (!pb || !plen || !pnull) {
        free(pb), free(plen), free(pnull);
        f->mysql_stmt_close(st);
        return rt__sql_error(c, d, "out of memory", NULL, sql);
    }
    for (size_t i = 0; i < nparams; i++) {
        pb[i].buffer_type = MYSQL_TYPE_STRING;
        pb[i].buffer = (void *)(params[i] ? params[i] : "");
        plen[i] = params[i] ? strlen(params[i]) : 0;
        pb[i].buffer_length = plen[i];
        pb[i].length = &plen[i];
        pnull[i] = params[i] == NULL;
        pb[i].is_null = &pnull[i];
    }
    int rc = f->mysql_stmt_bind_param(st, pb) ? -1 : f->mysql_stmt_execute(st);
    free(pb), free(plen), free(pnull);
    if (rc != 0)
        return stmt_error(c, d, st, sql);
    unsigned nf = f->mysql_stmt_field_count(st);
    rt_rows *r = rt__rows_new(nf);
    if (!r) {
        f->mysql_stmt_close(st);
        return rt__sql_error(c, d, "out of memory", NULL, sql);
    }
    if (nf == 0) {
        r->affected = (int64_t)f->mysql_stmt_affected_rows(st);
        f->mysql_stmt_close(st);
        if (out)
            *out = r;
        else
            rt_rows_free(r);
        return 0;
    }
    MYSQL_RES *meta = f->mysql_stmt_result_metadata(st);
    if (meta) {
        MYSQL_FIELD *fs = f->mysql_fetch_fields(meta);
        for (unsigned i = 0; i < nf; i++)
            rt__rows_colname(r, i, fs[i].name);
        f->mysql_free_result(meta);
    }
    MYSQL_BIND *rb = calloc(nf, sizeof *rb);
    unsigned long *rlen = calloc(nf, sizeof *rlen);
    my_bool *rnull = calloc(nf, sizeof *rnull);
    char **vals = calloc(nf, sizeof *vals);
    bool fail = !rb || !rlen || !rnull || !vals;
    for (unsigned i = 0; !fail && i < nf; i++) {
        rb[i].buffer_type = MYSQL_TYPE_STRING;
        rb[i].length = &rlen[i];
        rb[i].is_null = &rnull[i];
    }
    if (!fail && f->mysql_stmt_bind_result(st, rb) != 0)
        fail = true;
    int fr = 0;
    while (!fail && ((fr = f->mysql_stmt_fetch(st)) == 0 || fr == MYSQL_DATA_TRUNCATED)) {
        for (unsigned i = 0; i < nf; i++) {
            vals[i] = NULL;
            if (rnull[i])
                continue;
            vals[i] = malloc(rlen[i] + 1);
            if (!vals[i]) {
                fail = true;
                break;
            }
            vals[i][rlen[i]] = 0;
            if (rlen[i]) {
                MYSQL_BIND one;
                memset(&one, 0, sizeof one);
                unsigned long got = 0;
                one.buffer_type = MYSQL_TYPE_STRING;
                one.buffer = vals[i];
                one.buffer_length = rlen[i] + 1;
                one.length = &got;
                if (f->mysql_stmt_fetch_column(st, &one, i, 0) != 0)
                    fail = true;
                vals[i][rlen[i]] = 0;
            }
        }
        size_t *lens = calloc(nf, sizeof *lens);
        if (!fail && lens) {
            for (unsigned i = 0; i < nf; i++)
                lens[i] = vals[i] ? rlen[i] : 0;
            fail = !rt__rows_add(r, (const char *const *)vals, lens);
        } else {
            fail = true;
        }
        free(lens);
        for (unsigned i = 0; i < nf; i++) {
            free(vals[i]);
            vals[i] = NULL;
        }
    }
    free(rb), free(rlen), free(rnull), free(vals);
    if (fail || fr != MYSQL_NO_DATA) {
        rt_rows_free(r);
        if (!fail && f->mysql_stmt_errno(st))
            return stmt_error(c, d, st, sql);
        f->mysql_stmt_close(st);
        return rt__sql_error(c, d, "cannot read the result", NULL, sql);
    }
    f->mysql_stmt_close(st);
    if (out)
        *out = r;
    else
        rt_rows_free(r);
    return 0;
}

static int my_query(rt_conn *c, const char *sql, const char *const *params, size_t nparams,
                    rt_rows **out, jy_diags *d)
{
    if (nparams == 0)
        return my_text(c, sql, out, d);
    return my_prepared(c, sql, params, nparams, out, d);
}

static int my_begin(rt_conn *c, jy_diags *d)
{
    return my_exec(c, "START TRANSACTION", d);
}

static int my_commit(rt_conn *c, jy_diags *d)
{
    return my_exec(c, "COMMIT", d);
}

static int my_rollback(rt_conn *c, jy_diags *d)
{
    return my_exec(c, "ROLLBACK", d);
}

const rt_driver rt_driver_mysql = {"mysql",  my_connect, my_close,   my_exec, my_query,
                                   my_begin, my_commit,  my_rollback, NULL};
