/* driver.c - the driver interface: connecting from a URL, dispatch to the
 * three implementations, last-error bookkeeping, result cursors,
 * transactions and savepoints (runtime.h, "drivers"). */
#include "driver_int.h"

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ errors */

/*
 * Scrubbing a message of the connection's password (runtime.h: "Passwords
 * never appear in messages").  The password is replaced by *** where it
 * stands as the password, and only there, so that a short password does not
 * mangle unrelated words (password "joryu", table "joryu_migrations"):
 *
 *   - the user info of a URL:         scheme://user:PW@host  -> :***@
 *   - a keyword/value or query item:  password=PW, passwd=, pwd=, pass=
 *                                      (quoted values too)    -> password=***
 *   - a whole token: PW not preceded or followed by an identifier character
 *     ([A-Za-z0-9_$]) where its own first / last character is one (a
 *     password with punctuation at its end needs no boundary there);
 *   - anywhere, when the password is long (RT_SCRUB_ANYWHERE_MIN bytes or
 *     more): an unrelated word does not contain a long password by chance,
 *     and a server that quotes it glued to other text must not leak it.
 *
 * The same for the password's percent-encoded form (as written in the URL).
 * Whitespace runs fold into one space (one-line messages).
 */

#define RT_SCRUB_ANYWHERE_MIN 8

static bool ident_char(unsigned char ch)
{
    return isalnum(ch) || ch == '_' || ch == '$' || ch >= 0x80;
}

/* Does the password pw (n bytes) stand at p as the password? */
static bool pw_at(const char *start, const char *p, const char *pw, size_t n)
{
    if (!pw || !n || strncmp(p, pw, n) != 0)
        return false;
    if (n >= RT_SCRUB_ANYWHERE_MIN)
        return true;
    if (ident_char((unsigned char)pw[0]) && p > start && ident_char((unsigned char)p[-1]))
        return false;
    if (ident_char((unsigned char)pw[n - 1]) && ident_char((unsigned char)p[n]))
        return false;
    return true;
}

/* The user info of a URL at p ("://user:secret@"): the length up to the '@'
 * (the part from the ':' is replaced), or 0. *colon is set. */
static size_t url_userinfo(const char *p, size_t *colon)
{
    if (strncmp(p, "://", 3) != 0)
        return 0;
    const char *auth = p + 3;
    size_t n = strcspn(auth, "/?# \t\r\n\"'<>");
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (auth[i] == '@')
            at = auth + i;
    const char *col = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    if (!col)
        return 0;
    *colon = (size_t)(col - p);
    return (size_t)(at - p);
}

/* A password keyword at p ("password=", "passwd=", "pwd=", "pass=", any
 * case, not inside a longer word): its length with the '=', or 0. */
static size_t pw_keyword(const char *start, const char *p)
{
    static const char *const keys[] = {"password=", "passwd=", "pwd=", "pass="};
    if (p > start && ident_char((unsigned char)p[-1]))
        return 0;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        size_t kl = strlen(keys[k]);
        if (strncasecmp(p, keys[k], kl) == 0)
            return kl;
    }
    return 0;
}

/* The length of the value after a password keyword: a quoted value with its
 * quotes, or up to a separator. */
static size_t kw_value(const char *v)
{
    if (*v == '\'' || *v == '"') {
        const char *e = v + 1;
        while (*e && *e != *v)
            e += (*e == '\\' && e[1]) ? 2 : 1;
        return (size_t)(e - v) + (*e ? 1 : 0);
    }
    return strcspn(v, " \t\r\n&;#,)");
}

/* pw percent-encoded as a URL user info would carry it (malloc'd), or NULL
 * when that is pw itself. */
static char *pct_encoded(const char *pw)
{
    size_t n = strlen(pw), k = 0;
    char *o = malloc(3 * n + 1);
    if (!o)
        return NULL;
    bool changed = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)pw[i];
        if (isalnum(ch) || ch == '-' || ch == '.' || ch == '_' || ch == '~') {
            o[k++] = (char)ch;
        } else {
            snprintf(o + k, 4, "%%%02X", ch);
            k += 3;
            changed = true;
        }
    }
    o[k] = 0;
    if (!changed) {
        free(o);
        return NULL;
    }
    return o;
}

char *rt__scrub(const rt_conn *c, const char *message)
{
    jy_buf b;
    jy_buf_init(&b);
    const char *pw = c && c->url.password && *c->url.password ? c->url.password : NULL;
    size_t pwn = pw ? strlen(pw) : 0;
    char *enc = pw ? pct_encoded(pw) : NULL;
    size_t encn = enc ? strlen(enc) : 0;
    const char *start = message ? message : "";
    bool space = false;
    for (const char *p = start; *p;) {
        size_t colon = 0, n = 0, kw = 0;
        bool pw_here = pw_at(start, p, pw, pwn) || pw_at(start, p, enc, encn);
        if (!pw_here && isspace((unsigned char)*p)) {
            space = true;
            p++;
            continue;
        }
        if (space && b.len)
            jy_buf_putc(&b, ' ');
        space = false;
        if ((n = url_userinfo(p, &colon)) != 0) {
            jy_buf_append(&b, p, colon + 1);
            jy_buf_puts(&b, "***");
            p += n;
        } else if ((kw = pw_keyword(start, p)) != 0) {
            jy_buf_append(&b, p, kw);
            p += kw;
            /* the password itself, whatever separators it holds */
            size_t v = pw && strncmp(p, pw, pwn) == 0     ? pwn
                       : enc && strncmp(p, enc, encn) == 0 ? encn
                                                           : kw_value(p);
            if (v) {
                jy_buf_puts(&b, "***");
                p += v;
            }
        } else if (pw_here) {
            jy_buf_puts(&b, "***");
            p += pw_at(start, p, pw, pwn) ? pwn : encn;
        } else {
            jy_buf_putc(&b, *p++);
        }
    }
    free(enc);
    jy_buf_putc(&b, 0);
    return jy_buf_take(&b);
}

void rt__clear_error(rt_conn *c)
{
    free(c->err_message);
    free(c->err_code);
    free(c->err_statement);
    c->err_message = c->err_code = c->err_statement = NULL;
}

int rt__sql_error(rt_conn *c, jy_diags *d, const char *message, const char *code,
                  const char *statement)
{
    rt__clear_error(c);
    c->err_message = rt__scrub(c, message && *message ? message : "unknown error");
    c->err_code = code && *code ? strdup(code) : NULL;
    c->err_statement = statement ? strdup(statement) : NULL;
    if (d) {
        /* the statement as written, but never with the password in it */
        char *st = statement ? rt__scrub(c, statement) : NULL;
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.sql-error", NULL,
                      "%s: %s%s%s%s%s%s", c->url.redacted ? c->url.redacted : "database",
                      c->err_message ? c->err_message : "error", c->err_code ? " [" : "",
                      c->err_code ? c->err_code : "", c->err_code ? "]" : "",
                      st ? " in statement: " : "", st ? st : "");
        free(st);
    }
    return -1;
}

int rt__connect_error(rt_conn *c, jy_diags *d, rt_connerr kind, const char *message)
{
    rt__clear_error(c);
    c->err_message = rt__scrub(c, message);
    const char *url = c->url.redacted ? c->url.redacted : "?";
    const char *db = c->url.database ? c->url.database : "";
    switch (kind) {
    case RT_CONNERR_REFUSED:
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.connect-refused", NULL,
                      "cannot connect to %s: connection refused; is the server running, "
                      "and are the host and port right?",
                      url);
        break;
    case RT_CONNERR_AUTH:
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.auth-failed", NULL,
                      "cannot connect to %s: the server refused the user name or password; "
                      "check the credentials in the URL",
                      url);
        break;
    case RT_CONNERR_UNKNOWN_DB:
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.unknown-database", NULL,
                      "cannot connect to %s: database '%s' does not exist; create it or fix "
                      "the database name in the URL",
                      url, db);
        break;
    case RT_CONNERR_LIBRARY:
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.driver-missing", NULL,
                      "cannot connect to %s: %s", url,
                      c->err_message ? c->err_message : "the client library is missing");
        break;
    default:
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.connect-failed", NULL,
                      "cannot connect to %s: %s; check the URL and the server", url,
                      c->err_message && *c->err_message ? c->err_message : "unknown error");
        break;
    }
    return -1;
}

/* --------------------------------------------------- client libraries */

/* Record that lib cannot serve: rt.driver-missing with the message fmt. */
static void *client_error(rt_conn *c, jy_diags *d, const char *fmt, ...) JY_PRINTF(3, 4);
static void *client_error(rt_conn *c, jy_diags *d, const char *fmt, ...)
{
    jy_buf b;
    jy_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    jy_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    rt__connect_error(c, d, RT_CONNERR_LIBRARY, b.data ? b.data : "out of memory");
    jy_buf_free(&b);
    return NULL;
}

void *rt__client_load(rt_conn *c, jy_diags *d, const rt_client_lib *lib,
                      const char *const *names, size_t n, void **syms)
{
    const char *file = getenv(lib->env);
    bool from_env = file && *file;
    if (!from_env)
        file = lib->soname;
    void *h = dlopen(file, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!h) {
        const char *why = dlerror();
        return client_error(c, d,
                            "%s support needs %s, which cannot be loaded (%s%s%s); install it: "
                            "apt-get install %s",
                            lib->database, lib->library, from_env ? lib->env : "",
                            from_env ? ": " : "", why ? why : file, lib->package);
    }
    for (size_t i = 0; i < n; i++) {
        dlerror();
        if ((syms[i] = dlsym(h, names[i])) != NULL)
            continue;
        const char *why = dlerror();
        client_error(c, d,
                     "%s support needs a %s with %s (%s); install a current one: "
                     "apt-get install %s",
                     lib->database, lib->library, names[i], why ? why : "not found",
                     lib->package);
        dlclose(h);
        return NULL;
    }
    return h;
}

void rt__client_close(void *h)
{
    if (h)
        dlclose(h);
}

/* ------------------------------------------------------------ results */

rt_rows *rt__rows_new(size_t ncols)
{
    rt_rows *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->ncols = ncols;
    r->affected = -1;
    r->cur = (size_t)-1;
    if (ncols && !(r->colnames = calloc(ncols, sizeof *r->colnames))) {
        free(r);
        return NULL;
    }
    return r;
}

bool rt__rows_colname(rt_rows *r, size_t i, const char *name)
{
    if (i >= r->ncols)
        return false;
    free(r->colnames[i]);
    r->colnames[i] = strdup(name ? name : "");
    return r->colnames[i] != NULL;
}

bool rt__rows_add(rt_rows *r, const char *const *cells, const size_t *lens)
{
    if (r->ncols == 0) {
        r->nrows++;
        return true;
    }
    /* grow by doubling: capacity is tracked as the next power of two */
    size_t n = r->nrows;
    if ((n & (n - 1)) == 0) {
        size_t cap = n ? n * 2 : 1;
        if (cap > SIZE_MAX / r->ncols / sizeof(char *))
            return false;
        char **nc = realloc(r->cells, cap * r->ncols * sizeof *nc);
        if (!nc)
            return false;
        r->cells = nc;
    }
    char **row = r->cells + n * r->ncols;
    for (size_t i = 0; i < r->ncols; i++) {
        if (!cells[i]) {
            row[i] = NULL;
            continue;
        }
        size_t len = lens ? lens[i] : strlen(cells[i]);
        row[i] = malloc(len + 1);
        if (!row[i]) {
            for (size_t j = 0; j < i; j++)
                free(row[j]);
            return false;
        }
        memcpy(row[i], cells[i], len);
        row[i][len] = 0;
    }
    r->nrows++;
    return true;
}

bool rt_rows_next(rt_rows *r)
{
    if (!r)
        return false;
    size_t next = r->cur == (size_t)-1 ? 0 : r->cur + 1;
    if (next >= r->nrows) {
        r->cur = r->nrows;
        return false;
    }
    r->cur = next;
    return true;
}

const char *rt_rows_cell(const rt_rows *r, size_t row, size_t col)
{
    if (!r || row >= r->nrows || col >= r->ncols)
        return NULL;
    return r->cells[row * r->ncols + col];
}

const char *rt_rows_get(const rt_rows *r, size_t col, bool *is_null)
{
    const char *v = r ? rt_rows_cell(r, r->cur, col) : NULL;
    if (is_null)
        *is_null = v == NULL;
    return v;
}

void rt_rows_free(rt_rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nrows * r->ncols; i++)
        free(r->cells[i]);
    free(r->cells);
    for (size_t i = 0; i < r->ncols; i++)
        free(r->colnames[i]);
    free(r->colnames);
    free(r);
}

/* -------------------------------------------------------- connections */

/* Add ?mode=ro to a parsed SQLite URL (unless it has a mode already). */
static int url_read_only(rt_url *u)
{
    if (rt_url_param_get(u, "mode"))
        return 0;
    rt_url_param *p = realloc(u->params, (u->nparams + 1) * sizeof *p);
    if (!p)
        return -1;
    u->params = p;
    p[u->nparams].key = strdup("mode");
    p[u->nparams].value = strdup("ro");
    if (!p[u->nparams].key || !p[u->nparams].value) {
        free(p[u->nparams].key);
        free(p[u->nparams].value);
        return -1;
    }
    u->nparams++;
    return 0;
}

/*
 * Connect; read_only: the session can write nothing (dry runs, status).
 * SQLite then opens the file read-only and never creates it: a file that
 * does not exist is read as an empty database (an in-memory one; the URL
 * and messages still name the file).
 */
static rt_conn *connect_url(const char *url, bool read_only, jy_diags *d)
{
    rt_conn *c = calloc(1, sizeof *c);
    if (!c) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.connect-failed", NULL, "out of memory");
        return NULL;
    }
    if (rt_url_parse(url, &c->url, d) < 0) {
        rt_url_free(&c->url);
        free(c);
        return NULL;
    }
    switch (c->url.kind) {
    case RT_DB_SQLITE: c->drv = &rt_driver_sqlite; break;
    case RT_DB_POSTGRESQL: c->drv = &rt_driver_pg; break;
    default: c->drv = &rt_driver_mysql; break;
    }
    c->dialect = rt_url_dialect(&c->url);
    if (read_only && c->url.kind == RT_DB_SQLITE && !c->url.memory) {
        struct stat sb;
        if (c->url.path && stat(c->url.path, &sb) != 0 && errno == ENOENT)
            c->url.memory = true; /* nothing to read: an empty database */
        else if (url_read_only(&c->url)) {
            jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.connect-failed", NULL,
                          "out of memory");
            rt_close(c);
            return NULL;
        }
    }
    if (c->drv->connect(c, &c->url, d) < 0) {
        rt_close(c);
        return NULL;
    }
    if (read_only && rt_set_read_only(c, d) < 0) {
        rt_close(c);
        return NULL;
    }
    rt__clear_error(c);
    return c;
}

rt_conn *rt_connect(const char *url, jy_diags *d)
{
    return connect_url(url, false, d);
}

rt_conn *rt_connect_read_only(const char *url, jy_diags *d)
{
    return connect_url(url, true, d);
}

void rt_close(rt_conn *c)
{
    if (!c)
        return;
    if (c->handle)
        c->drv->close(c);
    rt__clear_error(c);
    free(c->server_version);
    rt_url_free(&c->url);
    free(c);
}

int rt_exec(rt_conn *c, const char *sql, jy_diags *d)
{
    rt__clear_error(c);
    return c->drv->exec(c, sql, d);
}

int rt_query(rt_conn *c, const char *sql, const char *const *params, size_t nparams,
             rt_rows **out, jy_diags *d)
{
    if (out)
        *out = NULL;
    rt__clear_error(c);
    return c->drv->query(c, sql, params, nparams, out, d);
}

int rt_begin(rt_conn *c, jy_diags *d)
{
    rt__clear_error(c);
    int rc = c->drv->begin(c, d);
    if (rc == 0)
        c->in_tx = true;
    return rc;
}

int rt_commit(rt_conn *c, jy_diags *d)
{
    rt__clear_error(c);
    int rc = c->drv->commit(c, d);
    c->in_tx = false;
    return rc;
}

int rt_rollback(rt_conn *c, jy_diags *d)
{
    rt__clear_error(c);
    int rc = c->drv->rollback(c, d);
    c->in_tx = false;
    return rc;
}

static int sp(rt_conn *c, const char *verb, const char *name, jy_diags *d)
{
    char *q = rt_quote_ident(c, name);
    if (!q)
        return -1;
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_printf(&b, "%s %s", verb, q);
    free(q);
    int rc = b.failed ? -1 : rt_exec(c, b.data, d);
    jy_buf_free(&b);
    return rc;
}

int rt_savepoint(rt_conn *c, const char *name, jy_diags *d)
{
    return sp(c, "SAVEPOINT", name, d);
}

int rt_release(rt_conn *c, const char *name, jy_diags *d)
{
    return sp(c, "RELEASE SAVEPOINT", name, d);
}

int rt_rollback_to(rt_conn *c, const char *name, jy_diags *d)
{
    return sp(c, "ROLLBACK TO SAVEPOINT", name, d);
}

int rt_set_read_only(rt_conn *c, jy_diags *d)
{
    switch (c->url.kind) {
    case RT_DB_SQLITE: return rt_exec(c, "PRAGMA query_only = ON", d);
    case RT_DB_POSTGRESQL:
        return rt_exec(c, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", d);
    default: return rt_exec(c, "SET SESSION TRANSACTION READ ONLY", d);
    }
}

const char *rt_placeholder(const rt_conn *c, unsigned n, char buf[16])
{
    if (c->url.kind == RT_DB_POSTGRESQL)
        snprintf(buf, 16, "$%u", n);
    else
        snprintf(buf, 16, "?");
    return buf;
}

char *rt_quote_ident(const rt_conn *c, const char *name)
{
    char q = c->url.kind == RT_DB_MYSQL ? '`' : '"';
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_putc(&b, q);
    for (const char *p = name; *p; p++) {
        if (*p == q)
            jy_buf_putc(&b, q);
        jy_buf_putc(&b, *p);
    }
    jy_buf_putc(&b, q);
    return jy_buf_take(&b);
}

ir_dialect rt_conn_dialect(const rt_conn *c)
{
    return c->dialect;
}

const char *rt_conn_server_version(const rt_conn *c)
{
    return c->server_version ? c->server_version : "";
}

const char *rt_conn_error(const rt_conn *c)
{
    return c->err_message;
}

const char *rt_conn_error_code(const rt_conn *c)
{
    return c->err_code;
}

const char *rt_conn_error_statement(const rt_conn *c)
{
    return c->err_statement;
}

int rt_introspect(rt_conn *c, ir_schema *s, jy_diags *d)
{
    switch (c->url.kind) {
    case RT_DB_SQLITE: return rt__introspect_sqlite(c, s, d);
    case RT_DB_POSTGRESQL: return rt__introspect_pg(c, s, d);
    default: return rt__introspect_mysql(c, s, d);
    }
}
