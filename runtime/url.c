/* url.c - database URLs: parse, percent-decode, redact (runtime.h,
 * "drivers").  The password is kept in rt_url.password for the driver and
 * never reaches a message: every message uses the redacted form. */
#include "runtime.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Redact any URL-looking text, parsed or not: the password of the
 * authority's user info and password=/pass= query values become ***. */
static char *redact_text(const char *text)
{
    jy_buf b;
    jy_buf_init(&b);
    const char *sep = strstr(text, "://");
    const char *p = text;
    if (sep) {
        /* the user info ends at the last '@' before the query: a password
         * with an unencoded '/' is hidden too (over-redacting is fine) */
        const char *auth = sep + 3;
        const char *end = auth + strcspn(auth, "?#");
        const char *at = NULL;
        for (const char *x = auth; x < end; x++)
            if (*x == '@')
                at = x;
        if (at) {
            const char *colon = memchr(auth, ':', (size_t)(at - auth));
            if (colon) {
                jy_buf_append(&b, text, (size_t)(colon + 1 - text));
                jy_buf_puts(&b, "***");
                p = at;
            }
        }
    }
    const char *qm = strchr(p, '?');
    if (!qm) {
        jy_buf_puts(&b, p);
    } else {
        jy_buf_append(&b, p, (size_t)(qm - p));
        p = qm;
        while (*p) {
            jy_buf_putc(&b, *p); /* ? or & */
            p++;
            size_t n = strcspn(p, "&#");
            const char *eq = memchr(p, '=', n);
            if (eq && ((eq - p == 8 && strncasecmp(p, "password", 8) == 0) ||
                       (eq - p == 4 && strncasecmp(p, "pass", 4) == 0))) {
                jy_buf_append(&b, p, (size_t)(eq + 1 - p));
                jy_buf_puts(&b, "***");
            } else {
                jy_buf_append(&b, p, n);
            }
            p += n;
            if (*p == '#') {
                jy_buf_puts(&b, p);
                break;
            }
        }
    }
    jy_buf_putc(&b, 0);
    return jy_buf_take(&b);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Percent-decode [s, s+n) into a malloc'd string; NULL (and *bad set)
 * when a %XX is malformed or decodes to NUL.  '+' stays '+'. */
static char *pct_decode(const char *s, size_t n, bool *bad)
{
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                free(o);
                *bad = true;
                return NULL;
            }
            o[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            o[k++] = s[i];
        }
    }
    o[k] = 0;
    return o;
}

static int bad_url(jy_diags *d, const char *text, const char *why, const char *fix)
{
    char *r = redact_text(text);
    for (char *p = r; p && *p; p++) /* the message stays on one line */
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.url-invalid", NULL,
                  "invalid database URL '%s': %s; %s", r ? r : "?", why, fix);
    free(r);
    return -1;
}

void rt_url_free(rt_url *u)
{
    if (!u)
        return;
    free(u->user);
    if (u->password) {
        /* do not leave the password behind in freed memory */
        memset(u->password, 0, strlen(u->password));
        free(u->password);
    }
    free(u->host);
    free(u->database);
    free(u->path);
    for (size_t i = 0; i < u->nparams; i++) {
        free(u->params[i].key);
        free(u->params[i].value);
    }
    free(u->params);
    free(u->redacted);
    memset(u, 0, sizeof *u);
}

const char *rt_url_param_get(const rt_url *u, const char *key)
{
    for (size_t i = 0; i < u->nparams; i++)
        if (strcmp(u->params[i].key, key) == 0)
            return u->params[i].value;
    return NULL;
}

ir_dialect rt_url_dialect(const rt_url *u)
{
    switch (u->kind) {
    case RT_DB_POSTGRESQL: return IR_D_POSTGRESQL;
    case RT_DB_SQLITE: return IR_D_SQLITE;
    default: return u->mariadb_scheme ? IR_D_MARIADB : IR_D_MYSQL;
    }
}

/* Parse "k=v&k2=v2" (after '?').  0, or -1 on a bad escape. */
static int parse_query(rt_url *u, const char *q)
{
    while (*q) {
        size_t n = strcspn(q, "&");
        if (n) {
            const char *eq = memchr(q, '=', n);
            size_t kn = eq ? (size_t)(eq - q) : n;
            bool bad = false;
            char *k = pct_decode(q, kn, &bad);
            char *v = eq ? pct_decode(eq + 1, n - kn - 1, &bad) : strdup("");
            rt_url_param *np = realloc(u->params, (u->nparams + 1) * sizeof *np);
            if (!k || !v || !np || bad || !*k) {
                free(k);
                free(v);
                if (np)
                    u->params = np;
                return -1;
            }
            u->params = np;
            u->params[u->nparams].key = k;
            u->params[u->nparams].value = v;
            u->nparams++;
        }
        q += n;
        if (*q == '&')
            q++;
    }
    return 0;
}

static const char *const FIX_FORMS =
    "write sqlite:///relative.db, sqlite:////abs/path.db, sqlite::memory:, "
    "postgresql://user:pass@host:port/db or mysql://user:pass@host:port/db";

static int parse_sqlite(const char *text, const char *rest, rt_url *u, jy_diags *d)
{
    u->kind = RT_DB_SQLITE;
    /* rest follows "sqlite:" */
    if (strcmp(rest, ":memory:") == 0 || strncmp(rest, ":memory:?", 9) == 0) {
        u->memory = true;
        u->path = strdup(":memory:");
        if (rest[8] == '?' && parse_query(u, rest + 9) < 0)
            return bad_url(d, text, "malformed query parameters", "write ?key=value&key=value");
        return u->path ? 0 : -1;
    }
    if (strncmp(rest, "//", 2) != 0)
        return bad_url(d, text, "a sqlite URL is sqlite:///path or sqlite::memory:", FIX_FORMS);
    rest += 2;
    if (*rest != '/')
        return bad_url(d, text,
                       "a host is not allowed in a sqlite URL (use three slashes for a "
                       "relative path, four for an absolute one)",
                       FIX_FORMS);
    rest += 1; /* the path starts after the third slash */
    size_t n = strcspn(rest, "?#");
    if (n == 0)
        return bad_url(d, text, "the database file path is missing", FIX_FORMS);
    bool bad = false;
    u->path = pct_decode(rest, n, &bad);
    if (bad || !u->path)
        return bad_url(d, text, "malformed percent-escape in the path",
                       "write %XX with two hexadecimal digits");
    if (strcmp(u->path, ":memory:") == 0)
        u->memory = true;
    if (rest[n] == '?' && parse_query(u, rest + n + 1) < 0)
        return bad_url(d, text, "malformed query parameters", "write ?key=value&key=value");
    return 0;
}

int rt_url_parse(const char *text, rt_url *u, jy_diags *d)
{
    memset(u, 0, sizeof *u);
    if (!text || !*text) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.url-invalid", NULL,
                      "empty database URL; %s", FIX_FORMS);
        return -1;
    }
    for (const char *p = text; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return bad_url(d, text, "it holds a control character (percent-encode it)",
                           FIX_FORMS);
    u->redacted = redact_text(text);
    if (!u->redacted)
        return -1;
    const char *colon = strchr(text, ':');
    if (!colon)
        return bad_url(d, text, "no scheme", FIX_FORMS);
    size_t sn = (size_t)(colon - text);
    char scheme[16];
    if (sn == 0 || sn >= sizeof scheme)
        return bad_url(d, text, "unknown scheme", FIX_FORMS);
    for (size_t i = 0; i < sn; i++)
        scheme[i] = (char)tolower((unsigned char)text[i]);
    scheme[sn] = 0;
    if (strcmp(scheme, "sqlite") == 0 || strcmp(scheme, "sqlite3") == 0)
        return parse_sqlite(text, colon + 1, u, d);
    if (strcmp(scheme, "postgresql") == 0 || strcmp(scheme, "postgres") == 0) {
        u->kind = RT_DB_POSTGRESQL;
    } else if (strcmp(scheme, "mysql") == 0) {
        u->kind = RT_DB_MYSQL;
    } else if (strcmp(scheme, "mariadb") == 0) {
        u->kind = RT_DB_MYSQL;
        u->mariadb_scheme = true;
    } else {
        char why[64];
        snprintf(why, sizeof why, "unknown scheme '%.*s'", (int)(sn > 20 ? 20 : sn), text);
        return bad_url(d, text, why, FIX_FORMS);
    }
    const char *p = colon + 1;
    if (strncmp(p, "//", 2) != 0)
        return bad_url(d, text, "'//' must follow the scheme", FIX_FORMS);
    p += 2;
    size_t an = strcspn(p, "/?#");
    const char *auth_end = p + an;
    const char *at = NULL;
    for (const char *x = p; x < auth_end; x++)
        if (*x == '@')
            at = x;
    bool bad = false;
    if (at) {
        const char *c2 = memchr(p, ':', (size_t)(at - p));
        size_t un = c2 ? (size_t)(c2 - p) : (size_t)(at - p);
        if (un) {
            u->user = pct_decode(p, un, &bad);
            if (bad)
                return bad_url(d, text, "malformed percent-escape in the user name",
                               "write %XX with two hexadecimal digits");
        }
        if (c2) {
            u->password = pct_decode(c2 + 1, (size_t)(at - c2 - 1), &bad);
            if (bad)
                return bad_url(d, text, "malformed percent-escape in the password",
                               "percent-encode the password's special characters (%XX)");
        }
        p = at + 1;
    }
    /* host[:port] */
    const char *hend;
    const char *pc = NULL;
    if (*p == '[') {
        const char *rb = memchr(p, ']', (size_t)(auth_end - p));
        if (!rb)
            return bad_url(d, text, "unterminated [IPv6] host", FIX_FORMS);
        u->host = pct_decode(p + 1, (size_t)(rb - p - 1), &bad);
        hend = rb + 1;
        if (hend < auth_end && *hend != ':')
            return bad_url(d, text, "unexpected text after the [IPv6] host", FIX_FORMS);
        pc = hend < auth_end ? hend : NULL;
    } else {
        pc = memchr(p, ':', (size_t)(auth_end - p));
        hend = pc ? pc : auth_end;
        if (hend > p)
            u->host = pct_decode(p, (size_t)(hend - p), &bad);
    }
    if (bad)
        return bad_url(d, text, "malformed percent-escape in the host",
                       "write %XX with two hexadecimal digits");
    if (pc) {
        const char *q = pc + 1;
        long port = 0;
        if (q == auth_end)
            return bad_url(d, text, "the port after ':' is missing", "write host:port, e.g. :5432");
        for (; q < auth_end; q++) {
            if (!isdigit((unsigned char)*q) || port > 65535)
                return bad_url(d, text, "the port is not a number from 1 to 65535",
                               "write host:port, e.g. :5432");
            port = port * 10 + (*q - '0');
        }
        if (port < 1 || port > 65535)
            return bad_url(d, text, "the port is not a number from 1 to 65535",
                           "write host:port, e.g. :5432");
        u->port = (int)port;
    }
    p = auth_end;
    if (*p == '/') {
        p++;
        size_t dn = strcspn(p, "?#");
        if (dn) {
            u->database = pct_decode(p, dn, &bad);
            if (bad)
                return bad_url(d, text, "malformed percent-escape in the database name",
                               "write %XX with two hexadecimal digits");
            if (strchr(u->database, '/'))
                return bad_url(d, text, "the database name holds '/'",
                               "percent-encode it as %2F if it is really part of the name");
        }
        p += dn;
    }
    if (*p == '?') {
        size_t qn = strcspn(p + 1, "#");
        char *qs = strndup(p + 1, qn);
        int rc = qs ? parse_query(u, qs) : -1;
        free(qs);
        if (rc < 0)
            return bad_url(d, text, "malformed query parameters", "write ?key=value&key=value");
    }
    if (u->kind == RT_DB_MYSQL && !u->database)
        return bad_url(d, text, "the database name is missing",
                       "write mysql://user:pass@host:port/database");
    return 0;
}
