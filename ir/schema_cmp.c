/* schema_cmp.c - per-dialect normalization of the schema model (types,
 * defaults, what each database can give back) and the comparison
 * ir_schema_equal that reports differences one line each. */
#include "ir.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool streq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool ieq(const char *a, const char *b)
{
    while (*a && *b && tolower((unsigned char)*a) == tolower((unsigned char)*b))
        a++, b++;
    return *a == 0 && *b == 0;
}

static bool istarts(const char *s, const char *pre)
{
    while (*pre && tolower((unsigned char)*s) == tolower((unsigned char)*pre))
        s++, pre++;
    return *pre == 0;
}

static bool is_mysql(ir_dialect d)
{
    return d == IR_D_MYSQL || d == IR_D_MARIADB;
}

/* ------------------------------------------------------- SQL squashing */

/*
 * Squash an expression: outside quotes lower-case, drop whitespace and
 * parentheses; keep '...' literals verbatim; keep "..." and `...`
 * identifiers' text without the quotes; drop PostgreSQL casts (::type,
 * ::"type", ::character varying, ::text[]).
 */
char *ir_sql_squash(const char *sql)
{
    jy_buf b;
    jy_buf_init(&b);
    if (!sql)
        sql = "";
    const char *p = sql;
    while (*p) {
        char c = *p;
        if (c == '\'') {
            jy_buf_putc(&b, c);
            p++;
            while (*p) {
                if (*p == '\'' && p[1] == '\'') {
                    jy_buf_append(&b, p, 2);
                    p += 2;
                    continue;
                }
                if (*p == '\'')
                    break;
                jy_buf_putc(&b, *p++);
            }
            if (*p)
                jy_buf_putc(&b, *p++);
            continue;
        }
        if (c == '"' || c == '`') {
            p++;
            while (*p) {
                if (*p == c && p[1] == c) {
                    jy_buf_putc(&b, c);
                    p += 2;
                    continue;
                }
                if (*p == c)
                    break;
                jy_buf_putc(&b, *p++);
            }
            if (*p)
                p++;
            continue;
        }
        if (c == ':' && p[1] == ':') {
            p += 2;
            /* a type: words separated by single spaces, optional (n), [] */
            for (;;) {
                while (*p == ' ')
                    p++;
                if (*p == '"') {
                    p++;
                    while (*p && *p != '"')
                        p++;
                    if (*p)
                        p++;
                } else if (isalpha((unsigned char)*p) || *p == '_') {
                    const char *w = p;
                    while (isalnum((unsigned char)*p) || *p == '_' || *p == '.')
                        p++;
                    /* stop at keywords that follow a cast in expressions */
                    size_t n = (size_t)(p - w);
                    if ((n == 3 && strncasecmp(w, "and", 3) == 0) ||
                        (n == 2 && strncasecmp(w, "or", 2) == 0) ||
                        (n == 2 && strncasecmp(w, "is", 2) == 0) ||
                        (n == 2 && strncasecmp(w, "in", 2) == 0) ||
                        (n == 3 && strncasecmp(w, "not", 3) == 0) ||
                        (n == 4 && strncasecmp(w, "like", 4) == 0) ||
                        (n == 2 && strncasecmp(w, "at", 2) == 0)) {
                        p = w;
                        break;
                    }
                } else {
                    break;
                }
                while (*p == '[' && p[1] == ']')
                    p += 2;
                const char *q = p;
                while (*q == ' ')
                    q++;
                if (!(isalpha((unsigned char)*q) || *q == '"'))
                    break;
            }
            continue;
        }
        if (c == '(' || c == ')' || isspace((unsigned char)c)) {
            p++;
            continue;
        }
        /* function synonyms servers rewrite to (MariaDB: lower -> lcase) */
        if ((isalpha((unsigned char)c)) &&
            (p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
            static const char *const syn[][2] = {{"lcase", "lower"}, {"ucase", "upper"}};
            bool done = false;
            for (size_t i = 0; i < JY_COUNTOF(syn) && !done; i++) {
                size_t n = strlen(syn[i][0]);
                if (strncasecmp(p, syn[i][0], n) == 0 &&
                    !(isalnum((unsigned char)p[n]) || p[n] == '_')) {
                    jy_buf_puts(&b, syn[i][1]);
                    p += n;
                    done = true;
                }
            }
            if (done)
                continue;
        }
        jy_buf_putc(&b, (char)tolower((unsigned char)c));
        p++;
    }
    jy_buf_putc(&b, 0);
    char *out = jy_buf_take(&b);
    return out;
}

static bool squash_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    char *x = ir_sql_squash(a), *y = ir_sql_squash(b);
    bool eq = x && y && strcmp(x, y) == 0;
    free(x);
    free(y);
    return eq;
}

/* ------------------------------------------------------- type mapping */

static void type_init(ir_type *t, ir_type_id id)
{
    memset(t, 0, sizeof *t);
    t->id = id;
    t->length = t->precision = t->scale = -1;
}

/* Trim and lower-case into the arena. */
static char *lower_trim(jy_arena *a, const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *o = jy_arena_strndup(a, s, n);
    if (o)
        for (char *p = o; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    return o;
}

/* "name(a,b)" -> the numbers; returns how many were read (0..2). */
static int paren_nums(const char *s, int64_t *x, int64_t *y)
{
    const char *p = strchr(s, '(');
    if (!p)
        return 0;
    char *end;
    long long v = strtoll(p + 1, &end, 10);
    if (end == p + 1)
        return 0;
    *x = v;
    while (*end == ' ')
        end++;
    if (*end != ',')
        return 1;
    const char *q = end + 1;
    v = strtoll(q, &end, 10);
    if (end == q)
        return 1;
    *y = v;
    return 2;
}

/* SQLite type affinity of a declared type (SQLite's documented rules). */
static ir_type_id sqlite_affinity(const char *decl)
{
    char buf[128];
    size_t n = 0;
    for (const char *p = decl ? decl : ""; *p && n + 1 < sizeof buf; p++)
        buf[n++] = (char)toupper((unsigned char)*p);
    buf[n] = 0;
    if (strstr(buf, "INT"))
        return IR_T_BIGINT;
    if (strstr(buf, "CHAR") || strstr(buf, "CLOB") || strstr(buf, "TEXT"))
        return IR_T_TEXT;
    if (n == 0 || strstr(buf, "BLOB"))
        return IR_T_BINARY;
    if (strstr(buf, "REAL") || strstr(buf, "FLOA") || strstr(buf, "DOUB"))
        return IR_T_DOUBLE;
    return IR_T_DECIMAL;
}

/* MySQL "enum('a','b''c')" labels. */
static void mysql_enum_labels(jy_arena *a, const char *s, ir_type *out)
{
    const char *p = strchr(s, '(');
    size_t cap = 0;
    while (p && *p) {
        const char *q = strchr(p, '\'');
        if (!q)
            break;
        jy_buf lb;
        jy_buf_init(&lb);
        q++;
        while (*q) {
            if (*q == '\'' && q[1] == '\'') {
                jy_buf_putc(&lb, '\'');
                q += 2;
            } else if (*q == '\\' && q[1]) {
                jy_buf_putc(&lb, q[1]);
                q += 2;
            } else if (*q == '\'') {
                break;
            } else {
                jy_buf_putc(&lb, *q++);
            }
        }
        const char *label = jy_arena_strdup(a, lb.data ? lb.data : "");
        jy_buf_free(&lb);
        if (out->nlabels == cap) {
            size_t nc = cap ? cap * 2 : 4;
            const char **nl = jy_arena_grow(a, out->labels, out->nlabels, nc, sizeof *nl);
            if (!nl)
                return;
            out->labels = nl;
            cap = nc;
        }
        out->labels[out->nlabels++] = label;
        p = *q ? q + 1 : q;
    }
}

static void pg_from_sql(jy_arena *a, const char *s, ir_type *out)
{
    size_t n = strlen(s);
    if (n > 2 && strcmp(s + n - 2, "[]") == 0) {
        char *inner_s = jy_arena_strndup(a, s, n - 2);
        ir_type *in = jy_arena_alloc(a, sizeof *in);
        if (inner_s && in) {
            pg_from_sql(a, inner_s, in);
            type_init(out, IR_T_ARRAY);
            out->inner = in;
            return;
        }
    }
    static const struct {
        const char *name;
        ir_type_id id;
    } plain[] = {
        {"smallint", IR_T_SMALLINT}, {"int2", IR_T_SMALLINT}, {"integer", IR_T_INT},
        {"int", IR_T_INT}, {"int4", IR_T_INT}, {"bigint", IR_T_BIGINT}, {"int8", IR_T_BIGINT},
        {"serial", IR_T_SERIAL}, {"bigserial", IR_T_BIGSERIAL}, {"real", IR_T_FLOAT},
        {"float4", IR_T_FLOAT}, {"double precision", IR_T_DOUBLE}, {"float8", IR_T_DOUBLE},
        {"boolean", IR_T_BOOL}, {"bool", IR_T_BOOL}, {"text", IR_T_TEXT},
        {"bytea", IR_T_BINARY}, {"date", IR_T_DATE}, {"time without time zone", IR_T_TIME},
        {"time", IR_T_TIME}, {"timestamp with time zone", IR_T_TIMESTAMP},
        {"timestamptz", IR_T_TIMESTAMP}, {"interval", IR_T_INTERVAL}, {"jsonb", IR_T_JSON},
        {"uuid", IR_T_UUID},
    };
    for (size_t i = 0; i < JY_COUNTOF(plain); i++)
        if (strcmp(s, plain[i].name) == 0) {
            type_init(out, plain[i].id);
            return;
        }
    int64_t x = -1, y = -1;
    if (istarts(s, "character varying(") || istarts(s, "varchar(")) {
        type_init(out, IR_T_STRING);
        if (paren_nums(s, &x, &y) >= 1)
            out->length = x;
        return;
    }
    if (strcmp(s, "numeric") == 0 || strcmp(s, "decimal") == 0 || istarts(s, "numeric(") ||
        istarts(s, "decimal(")) {
        type_init(out, IR_T_DECIMAL);
        int k = paren_nums(s, &x, &y);
        if (k >= 1) {
            out->precision = x;
            out->scale = k == 2 ? y : 0;
        }
        return;
    }
    /* other types: the spelling format_type() gives back */
    static const struct {
        const char *alias, *canon;
    } aliases[] = {{"timestamp", "timestamp without time zone"},
                   {"timetz", "time with time zone"},
                   {"varchar", "character varying"},
                   {"bpchar", "character"},
                   {"char", "character"},
                   {"varbit", "bit varying"}};
    const char *canon = s;
    for (size_t i = 0; i < JY_COUNTOF(aliases); i++) {
        size_t an = strlen(aliases[i].alias);
        if (strncmp(s, aliases[i].alias, an) == 0 && (s[an] == 0 || s[an] == '(')) {
            canon = jy_arena_printf(a, "%s%s", aliases[i].canon, s + an);
            break;
        }
    }
    type_init(out, IR_T_DIALECT);
    out->dialect_of = IR_D_POSTGRESQL;
    out->dialect_type = canon ? canon : s;
}

static void mysql_from_sql(jy_arena *a, const char *s, ir_dialect d, ir_type *out)
{
    int64_t x = -1, y = -1;
    if (strcmp(s, "tinyint(1)") == 0 || strcmp(s, "bool") == 0 || strcmp(s, "boolean") == 0) {
        type_init(out, IR_T_BOOL);
        return;
    }
    if (strstr(s, "unsigned") || strstr(s, "zerofill"))
        goto other;
    /* integer types: the display width (int(11)) means nothing */
    static const struct {
        const char *name;
        ir_type_id id;
    } ints[] = {{"smallint", IR_T_SMALLINT}, {"int", IR_T_INT}, {"integer", IR_T_INT},
                {"bigint", IR_T_BIGINT}};
    for (size_t i = 0; i < JY_COUNTOF(ints); i++) {
        size_t n = strlen(ints[i].name);
        if (strncmp(s, ints[i].name, n) == 0 && (s[n] == 0 || s[n] == '(')) {
            type_init(out, ints[i].id);
            return;
        }
    }
    static const struct {
        const char *name;
        ir_type_id id;
    } plain[] = {{"float", IR_T_FLOAT}, {"double", IR_T_DOUBLE}, {"double precision", IR_T_DOUBLE},
                 {"real", IR_T_DOUBLE}, {"longtext", IR_T_TEXT}, {"mediumtext", IR_T_TEXT},
                 {"text", IR_T_TEXT}, {"tinytext", IR_T_TEXT}, {"longblob", IR_T_BINARY},
                 {"mediumblob", IR_T_BINARY}, {"blob", IR_T_BINARY}, {"date", IR_T_DATE},
                 {"time", IR_T_TIME}, {"timestamp", IR_T_TIMESTAMP}, {"datetime", IR_T_TIMESTAMP},
                 {"json", IR_T_JSON}, {"char(36)", IR_T_UUID}};
    for (size_t i = 0; i < JY_COUNTOF(plain); i++)
        if (strcmp(s, plain[i].name) == 0) {
            type_init(out, plain[i].id);
            return;
        }
    if (istarts(s, "varchar(")) {
        type_init(out, IR_T_STRING);
        if (paren_nums(s, &x, &y) >= 1)
            out->length = x;
        return;
    }
    if (istarts(s, "varbinary(")) {
        type_init(out, IR_T_BINARY);
        if (paren_nums(s, &x, &y) >= 1)
            out->length = x;
        return;
    }
    if (strcmp(s, "decimal") == 0 || istarts(s, "decimal(") || istarts(s, "numeric(")) {
        type_init(out, IR_T_DECIMAL);
        int k = paren_nums(s, &x, &y);
        out->precision = k >= 1 ? x : 10;
        out->scale = k == 2 ? y : 0;
        return;
    }
    if (istarts(s, "enum(")) {
        type_init(out, IR_T_ENUM);
        mysql_enum_labels(a, s, out);
        return;
    }
    if (strcmp(s, "uuid") == 0) { /* MariaDB 10.7+ */
        type_init(out, IR_T_UUID);
        return;
    }
    /* display widths of the other integer types mean nothing either */
    static const char *const widths[] = {"tinyint(", "mediumint(", "year("};
    for (size_t i = 0; i < JY_COUNTOF(widths); i++)
        if (istarts(s, widths[i])) {
            const char *close = strchr(s, ')');
            if (close && close[1] == 0) {
                s = jy_arena_strndup(a, s, strlen(widths[i]) - 1);
                if (!s)
                    s = "?";
            }
            break;
        }
other:
    type_init(out, IR_T_DIALECT);
    out->dialect_of = d;
    out->dialect_type = s;
}

void ir_type_from_sql(jy_arena *a, ir_dialect d, const char *sql, ir_type *out)
{
    char *s = lower_trim(a, sql ? sql : "");
    if (!s) {
        type_init(out, IR_T_TEXT);
        return;
    }
    switch (d) {
    case IR_D_POSTGRESQL:
        pg_from_sql(a, s, out);
        break;
    case IR_D_SQLITE:
        type_init(out, sqlite_affinity(s));
        break;
    default:
        mysql_from_sql(a, s, d, out);
        break;
    }
}

/* ---------------------------------------------------- type normalization */

void ir_type_normalize(jy_arena *a, const ir_type *in, ir_dialect d, ir_type *out)
{
    *out = *in;
    out->start = out->end = 0;
    if (out->id == IR_T_SERIAL)
        out->id = IR_T_INT;
    else if (out->id == IR_T_BIGSERIAL)
        out->id = IR_T_BIGINT;
    if (out->id == IR_T_DIALECT && out->dialect_type &&
        (out->dialect_of == d || (is_mysql(d) && is_mysql(out->dialect_of)))) {
        /* a dialect type that has an abstract equivalent compares as it */
        ir_type m;
        ir_type_from_sql(a, d, out->dialect_type, &m);
        if (m.id != IR_T_DIALECT || d == IR_D_SQLITE) {
            ir_type_normalize(a, &m, d, out);
            return;
        }
        out->dialect_type = m.dialect_type;
    }
    switch (d) {
    case IR_D_SQLITE: {
        const char *r = out->id == IR_T_DIALECT ? out->dialect_type
                                                : ir_type_table[out->id].render[2];
        if (out->id == IR_T_DIALECT && out->dialect_of != IR_D_SQLITE)
            return; /* unsupported here: keep as written */
        if (!r)
            return;
        type_init(out, sqlite_affinity(r));
        return;
    }
    case IR_D_POSTGRESQL:
        if (out->id == IR_T_BINARY)
            out->length = -1;
        if (out->id == IR_T_DECIMAL && out->precision >= 0 && out->scale < 0)
            out->scale = 0;
        if (out->id == IR_T_ENUM) {
            out->labels = NULL; /* the labels live in the schema's enums */
            out->nlabels = 0;
        }
        if (out->id == IR_T_ARRAY && out->inner) {
            ir_type *el = jy_arena_alloc(a, sizeof *el);
            if (el) {
                ir_type_normalize(a, out->inner, d, el);
                out->inner = el;
            }
        }
        return;
    default:
        if (out->id == IR_T_DECIMAL) {
            if (out->precision < 0)
                out->precision = 10;
            if (out->scale < 0)
                out->scale = 0;
        }
        if (out->id == IR_T_ENUM)
            out->enum_name = NULL; /* inline: the name is not stored */
        return;
    }
}

char *ir_type_describe(jy_arena *a, const ir_type *t)
{
    const char *name = (unsigned)t->id < IR_T__COUNT ? ir_type_table[t->id].name : "?";
    switch (t->id) {
    case IR_T_STRING:
    case IR_T_BINARY:
        if (t->length >= 0)
            return jy_arena_printf(a, "%s(%lld)", name, (long long)t->length);
        return jy_arena_strdup(a, name);
    case IR_T_DECIMAL:
        if (t->precision >= 0)
            return jy_arena_printf(a, "%s(%lld, %lld)", name, (long long)t->precision,
                                   (long long)(t->scale < 0 ? 0 : t->scale));
        return jy_arena_strdup(a, name);
    case IR_T_ENUM: {
        jy_buf b;
        jy_buf_init(&b);
        jy_buf_printf(&b, "Enum(");
        if (t->enum_name)
            jy_buf_printf(&b, "%s%s", t->enum_name, t->nlabels ? ": " : "");
        for (size_t i = 0; i < t->nlabels; i++)
            jy_buf_printf(&b, "%s%s", i ? ", " : "", t->labels[i]);
        jy_buf_putc(&b, ')');
        char *r = jy_arena_strdup(a, b.data);
        jy_buf_free(&b);
        return r;
    }
    case IR_T_ARRAY:
        return jy_arena_printf(a, "Array(%s)",
                               t->inner ? ir_type_describe(a, t->inner) : "?");
    case IR_T_DIALECT:
        return jy_arena_printf(a, "dialect(%s.%s)", ir_dialect_name(t->dialect_of),
                               t->dialect_type ? t->dialect_type : "?");
    default:
        return jy_arena_strdup(a, name);
    }
}

/* ---------------------------------------------------------- defaults */

static bool is_number(const char *s)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    bool digits = false;
    while (isdigit((unsigned char)*p))
        p++, digits = true;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++, digits = true;
    }
    if (digits && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return false;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return digits && *p == 0;
}

/* The canonical spelling of a number: no '+', no trailing fractional
 * zeros, "-0" is "0". */
static const char *canon_number(jy_arena *a, const char *s)
{
    if (*s == '+')
        s++;
    char *o = jy_arena_strdup(a, s);
    if (!o)
        return s;
    if (strchr(o, '.') && !strpbrk(o, "eE")) {
        size_t n = strlen(o);
        while (n && o[n - 1] == '0')
            o[--n] = 0;
        if (n && o[n - 1] == '.')
            o[--n] = 0;
        if (n == 0 || strcmp(o, "-") == 0)
            return "0";
    }
    if (strcmp(o, "-0") == 0)
        return "0";
    return o;
}

static bool is_now(const char *squashed)
{
    static const char *const nows[] = {
        "current_timestamp", "current_timestamp()", "now()", "localtimestamp",
        "localtimestamp()", "current_timestamp(0)", "current_timestamp(6)", "now()attimezone'utc'",
        "timezone'utc',now()", "timezone('utc',now())", "datetime'now'", "current_timestamp", 
        "transaction_timestamp()", "statement_timestamp()"};
    for (size_t i = 0; i < JY_COUNTOF(nows); i++)
        if (strcasecmp(squashed, nows[i]) == 0)
            return true;
    /* the parentheses are squashed away */
    static const char *const nows2[] = {"current_timestamp", "now", "localtimestamp",
                                        "nowattimezone'utc'", "timezone'utc',now",
                                        "current_timestamp0", "current_timestamp6",
                                        "datetime'now'", "transaction_timestamp",
                                        "statement_timestamp"};
    for (size_t i = 0; i < JY_COUNTOF(nows2); i++)
        if (strcasecmp(squashed, nows2[i]) == 0)
            return true;
    return false;
}

/* Strip one layer of balanced outer parentheses; true when stripped. */
static bool strip_parens(char *s)
{
    size_t n = strlen(s);
    if (n < 2 || s[0] != '(' || s[n - 1] != ')')
        return false;
    int depth = 0;
    bool inq = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'')
            inq = !inq;
        if (inq)
            continue;
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && --depth == 0 && i != n - 1)
            return false;
    }
    memmove(s, s + 1, n - 2);
    s[n - 2] = 0;
    return true;
}

/* Cut a trailing top-level PostgreSQL cast ("'a'::character varying"). */
static bool strip_cast(char *s)
{
    bool inq = false;
    int depth = 0;
    char *last = NULL;
    for (char *p = s; *p; p++) {
        if (*p == '\'')
            inq = !inq;
        else if (!inq && *p == '(')
            depth++;
        else if (!inq && *p == ')')
            depth--;
        else if (!inq && depth == 0 && p[0] == ':' && p[1] == ':')
            last = p;
    }
    if (!last)
        return false;
    *last = 0;
    return true;
}

static void trim_inplace(char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    while (n > i && isspace((unsigned char)s[n - 1]))
        n--;
    memmove(s, s + i, n - i);
    s[n - i] = 0;
}

static bool type_is_numeric(ir_type_id id)
{
    switch (id) {
    case IR_T_SMALLINT: case IR_T_INT: case IR_T_BIGINT: case IR_T_SERIAL:
    case IR_T_BIGSERIAL: case IR_T_FLOAT: case IR_T_DOUBLE: case IR_T_DECIMAL:
        return true;
    default:
        return false;
    }
}

ir_default ir_default_from_sql(jy_arena *a, ir_dialect d, const ir_type *type, const char *sql,
                               bool mysql_unquoted)
{
    ir_default r = {IR_DEF_NONE, NULL};
    if (!sql)
        return r;
    char *s = jy_arena_strdup(a, sql);
    if (!s)
        return r;
    trim_inplace(s);
    if (mysql_unquoted) {
        /* MySQL's COLUMN_DEFAULT: the value itself, unquoted */
        char *sq = ir_sql_squash(s);
        bool now = sq && is_now(sq);
        free(sq);
        if (now) {
            r.kind = IR_DEF_NOW;
        } else if (type && type->id == IR_T_BOOL && (strcmp(s, "0") == 0 || strcmp(s, "1") == 0)) {
            r.kind = IR_DEF_BOOL;
            r.text = s[0] == '1' ? "true" : "false";
        } else if (type && type_is_numeric(type->id) && is_number(s)) {
            r.kind = IR_DEF_NUM;
            r.text = canon_number(a, s);
        } else {
            r.kind = IR_DEF_STR;
            r.text = s;
        }
        return r;
    }
    for (bool again = true; again;) {
        again = false;
        trim_inplace(s);
        if (strip_parens(s))
            again = true;
        if (d == IR_D_POSTGRESQL && strip_cast(s))
            again = true;
    }
    if (*s == 0 || ieq(s, "null"))
        return r;
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'') {
        /* a single string literal? */
        jy_buf b;
        jy_buf_init(&b);
        bool single = true;
        for (size_t i = 1; i + 1 < n; i++) {
            if (s[i] == '\'') {
                if (s[i + 1] == '\'' && i + 2 < n) {
                    jy_buf_putc(&b, '\'');
                    i++;
                    continue;
                }
                single = false;
                break;
            }
            if (s[i] == '\\' && is_mysql(d) && i + 2 < n) {
                jy_buf_putc(&b, s[++i]);
                continue;
            }
            jy_buf_putc(&b, s[i]);
        }
        if (single) {
            r.kind = IR_DEF_STR;
            r.text = jy_arena_strdup(a, b.data ? b.data : "");
            jy_buf_free(&b);
            return r;
        }
        jy_buf_free(&b);
    }
    if (is_number(s)) {
        r.kind = IR_DEF_NUM;
        r.text = canon_number(a, s);
        return r;
    }
    if (ieq(s, "true") || ieq(s, "false")) {
        r.kind = IR_DEF_BOOL;
        r.text = tolower((unsigned char)s[0]) == 't' ? "true" : "false";
        return r;
    }
    char *sq = ir_sql_squash(s);
    bool now = sq && is_now(sq);
    free(sq);
    if (now) {
        r.kind = IR_DEF_NOW;
        return r;
    }
    r.kind = IR_DEF_SQL;
    r.text = s;
    return r;
}

/* Make a default agree with its (normalized) column type. */
static void canon_default(ir_default *df, const ir_type *t)
{
    if (df->kind == IR_DEF_NULL) {
        df->kind = IR_DEF_NONE;
        df->text = NULL;
    }
    if (df->kind == IR_DEF_NONE || df->kind == IR_DEF_NOW) {
        df->text = NULL;
        return;
    }
    if (!df->text)
        return;
    if (t->id == IR_T_BOOL) {
        const char *x = df->text;
        if (df->kind != IR_DEF_SQL &&
            (ieq(x, "1") || ieq(x, "t") || ieq(x, "true") || ieq(x, "yes") || ieq(x, "on"))) {
            df->kind = IR_DEF_BOOL;
            df->text = "true";
        } else if (df->kind != IR_DEF_SQL &&
                   (ieq(x, "0") || ieq(x, "f") || ieq(x, "false") || ieq(x, "no") ||
                    ieq(x, "off"))) {
            df->kind = IR_DEF_BOOL;
            df->text = "false";
        }
    } else if (type_is_numeric(t->id)) {
        if (df->kind == IR_DEF_BOOL)
            df->kind = IR_DEF_NUM, df->text = strcmp(df->text, "true") == 0 ? "1" : "0";
        else if (df->kind == IR_DEF_STR && is_number(df->text))
            df->kind = IR_DEF_NUM;
    } else if (df->kind == IR_DEF_NUM || df->kind == IR_DEF_BOOL) {
        df->kind = IR_DEF_STR;
    }
}

/* ----------------------------------------------------- normalization */

static bool is_state_table(const char *name)
{
    return strcmp(name, "joryu_migrations") == 0 || strcmp(name, "joryu_migration_steps") == 0;
}

static bool pg_only(ir_obj_kind k)
{
    return k == IR_OBJ_EXTENSION || k == IR_OBJ_MATVIEW || k == IR_OBJ_POLICY ||
           k == IR_OBJ_SEQUENCE || k == IR_OBJ_SCHEMA;
}

static bool integer_family(ir_type_id id)
{
    return id == IR_T_SMALLINT || id == IR_T_INT || id == IR_T_BIGINT || id == IR_T_SERIAL ||
           id == IR_T_BIGSERIAL;
}

ir_schema *ir_schema_normalize(const ir_schema *src, ir_dialect d, jy_arena *arena)
{
    ir_schema *s = ir_schema_clone(src, arena);
    if (!s)
        return NULL;
    jy_arena *a = s->arena;
    for (size_t i = s->ntables; i-- > 0;)
        if (is_state_table(s->tables[i]->name))
            ir_schema_remove_table(s, s->tables[i]->name);
    for (size_t i = 0; i < s->ntables; i++) {
        ir_table *t = s->tables[i];
        t->pk_name = NULL; /* PostgreSQL <t>_pkey, MySQL PRIMARY, SQLite none */
        for (size_t j = 0; j < t->ncolumns; j++) {
            ir_column *c = t->columns[j];
            bool serial = c->type.id == IR_T_SERIAL || c->type.id == IR_T_BIGSERIAL;
            ir_type nt;
            ir_type_normalize(a, &c->type, d, &nt);
            c->type = nt;
            if (serial && c->identity == IR_IDENT_NONE)
                c->identity = IR_IDENT_AUTO;
            c->db_type = NULL;
            canon_default(&c->def, &c->type);
            if (d == IR_D_SQLITE)
                c->comment = NULL;
            if (c->comment && !*c->comment)
                c->comment = NULL;
        }
        if (d == IR_D_SQLITE) {
            t->comment = NULL;
            /* a single-column INTEGER PRIMARY KEY is the rowid: it
             * auto-increments whatever was written */
            for (size_t j = 0; j < t->ncolumns; j++) {
                ir_column *c = t->columns[j];
                bool rowid = t->npk == 1 && streq(t->pk[0], c->name) && c->type.id == IR_T_BIGINT;
                c->identity = rowid ? IR_IDENT_AUTO : IR_IDENT_NONE;
            }
        }
        if (t->comment && !*t->comment)
            t->comment = NULL;
        for (size_t j = 0; j < t->npk; j++) {
            ir_column *c = ir_table_column(t, t->pk[j]);
            if (c)
                c->nullable = false;
        }
        for (size_t j = 0; j < t->ncolumns; j++)
            if (t->columns[j]->identity != IR_IDENT_NONE && d != IR_D_SQLITE &&
                integer_family(t->columns[j]->type.id))
                t->columns[j]->def = (ir_default){IR_DEF_NONE, NULL};
        for (size_t j = 0; j < t->nindexes; j++) {
            ir_index *x = t->indexes[j];
            if (x->method && ieq(x->method, "btree"))
                x->method = NULL;
            if (x->method) {
                char *m = lower_trim(a, x->method);
                x->method = m;
            }
        }
        if (is_mysql(d)) {
            /* a unique constraint is a unique index on MySQL */
            for (size_t j = t->nindexes; j-- > 0;) {
                ir_index *x = t->indexes[j];
                if (x->unique && !x->where) {
                    if (!ir_table_add_unique(s, t, x->name, x->columns, x->ncolumns))
                        continue;
                    ir_table_remove_index(t, x->name);
                }
            }
            for (size_t j = 0; j < t->nfkeys; j++) {
                if (t->fkeys[j]->on_delete == IR_FK_NO_ACTION)
                    t->fkeys[j]->on_delete = IR_FK_RESTRICT;
                if (t->fkeys[j]->on_update == IR_FK_NO_ACTION)
                    t->fkeys[j]->on_update = IR_FK_RESTRICT;
            }
        }
        if (d == IR_D_SQLITE) {
            for (size_t j = 0; j < t->nuniques; j++)
                t->uniques[j]->name = NULL;
            for (size_t j = 0; j < t->nfkeys; j++)
                t->fkeys[j]->name = NULL;
        }
    }
    if (d != IR_D_POSTGRESQL) {
        s->nenums = 0;
        for (size_t i = s->nobjects; i-- > 0;)
            if (pg_only(s->objects[i]->kind))
                ir_schema_remove_object(s, s->objects[i]->kind, s->objects[i]->name,
                                        s->objects[i]->table);
    }
    if (jy_arena_failed(a)) {
        ir_schema_free(s);
        return NULL;
    }
    return s;
}

/* ---------------------------------------------------------- comparison */

typedef struct diffs {
    jy_arena *a;
    const char **v;
    size_t n, cap;
} diffs;

static void addf(diffs *D, const char *fmt, ...) JY_PRINTF(2, 3);
static void addf(diffs *D, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *line = jy_arena_vprintf(D->a, fmt, ap);
    va_end(ap);
    if (D->n == D->cap) {
        size_t nc = D->cap ? D->cap * 2 : 16;
        const char **nv = jy_arena_grow(D->a, D->v, D->n, nc, sizeof *nv);
        if (!nv)
            return;
        D->v = nv;
        D->cap = nc;
    }
    D->v[D->n++] = line ? line : "(out of memory)";
}

static const char *q(const char *s)
{
    return s ? s : "(none)";
}

static char *list_text(jy_arena *a, const char *const *v, size_t n)
{
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_putc(&b, '(');
    for (size_t i = 0; i < n; i++)
        jy_buf_printf(&b, "%s%s", i ? ", " : "", v[i]);
    jy_buf_putc(&b, ')');
    char *r = jy_arena_strdup(a, b.data);
    jy_buf_free(&b);
    return r;
}

static bool list_eq(const char *const *x, size_t nx, const char *const *y, size_t ny, bool exprs)
{
    if (nx != ny)
        return false;
    for (size_t i = 0; i < nx; i++)
        if (exprs ? !squash_eq(x[i], y[i]) : !streq(x[i], y[i]))
            return false;
    return true;
}

static const char *default_text(jy_arena *a, const ir_default *df)
{
    switch (df->kind) {
    case IR_DEF_NONE:
    case IR_DEF_NULL: return "none";
    case IR_DEF_NOW: return "now";
    case IR_DEF_STR: return jy_arena_printf(a, "'%s'", df->text ? df->text : "");
    case IR_DEF_SQL: return jy_arena_printf(a, "sql %s", df->text ? df->text : "");
    default: return df->text ? df->text : "?";
    }
}

static bool default_eq(const ir_default *x, const ir_default *y)
{
    if (x->kind != y->kind)
        return false;
    if (x->kind == IR_DEF_SQL)
        return squash_eq(x->text, y->text);
    return streq(x->text, y->text);
}

static void cmp_columns(diffs *D, const ir_table *ta, const ir_table *tb)
{
    const char *tn = ta->name;
    for (size_t i = 0; i < ta->ncolumns; i++) {
        const ir_column *x = ta->columns[i];
        const ir_column *y = ir_table_column(tb, x->name);
        if (!y) {
            addf(D, "column %s.%s: only in the first schema", tn, x->name);
            continue;
        }
        const char *dx = ir_type_describe(D->a, &x->type), *dy = ir_type_describe(D->a, &y->type);
        if (!streq(dx, dy))
            addf(D, "column %s.%s: type differs (%s vs %s)", tn, x->name, dx, dy);
        if (x->nullable != y->nullable)
            addf(D, "column %s.%s: nullable differs (%s vs %s)", tn, x->name,
                 x->nullable ? "true" : "false", y->nullable ? "true" : "false");
        if (!default_eq(&x->def, &y->def))
            addf(D, "column %s.%s: default differs (%s vs %s)", tn, x->name,
                 default_text(D->a, &x->def), default_text(D->a, &y->def));
        if (!squash_eq(x->generated, y->generated) ||
            (x->generated && x->generated_virtual != y->generated_virtual))
            addf(D, "column %s.%s: generated expression differs (%s%s vs %s%s)", tn, x->name,
                 q(x->generated), x->generated && x->generated_virtual ? " virtual" : "",
                 q(y->generated), y->generated && y->generated_virtual ? " virtual" : "");
        if (x->identity != y->identity)
            addf(D, "column %s.%s: identity differs (%s vs %s)", tn, x->name,
                 ir_identity_name(x->identity), ir_identity_name(y->identity));
        if (!streq(x->comment, y->comment))
            addf(D, "column %s.%s: comment differs (%s vs %s)", tn, x->name, q(x->comment),
                 q(y->comment));
    }
    for (size_t i = 0; i < tb->ncolumns; i++)
        if (!ir_table_column(ta, tb->columns[i]->name))
            addf(D, "column %s.%s: only in the second schema", tn, tb->columns[i]->name);
}

static const ir_unique *find_unique(const ir_table *t, const ir_unique *u)
{
    for (size_t i = 0; i < t->nuniques; i++) {
        const ir_unique *v = t->uniques[i];
        if (u->name && v->name ? streq(u->name, v->name)
                               : list_eq(u->columns, u->ncolumns, v->columns, v->ncolumns, false))
            return v;
    }
    return NULL;
}

static const char *uname(jy_arena *a, const ir_unique *u)
{
    return u->name ? u->name : list_text(a, u->columns, u->ncolumns);
}

static const ir_fkey *find_fkey(const ir_table *t, const ir_fkey *f)
{
    for (size_t i = 0; i < t->nfkeys; i++) {
        const ir_fkey *g = t->fkeys[i];
        if (f->name && g->name ? streq(f->name, g->name)
                               : (list_eq(f->columns, f->ncolumns, g->columns, g->ncolumns, false) &&
                                  streq(f->ref_table, g->ref_table)))
            return g;
    }
    return NULL;
}

static const char *fname(jy_arena *a, const ir_fkey *f)
{
    return f->name ? f->name
                   : jy_arena_printf(a, "%s -> %s", list_text(a, f->columns, f->ncolumns),
                                     f->ref_table);
}

static const ir_check *find_check(const ir_table *t, const ir_check *c)
{
    for (size_t i = 0; i < t->nchecks; i++) {
        const ir_check *d = t->checks[i];
        if (c->name && d->name ? streq(c->name, d->name) : squash_eq(c->expr, d->expr))
            return d;
    }
    return NULL;
}

static void cmp_table(diffs *D, const ir_table *ta, const ir_table *tb)
{
    const char *tn = ta->name;
    jy_arena *a = D->a;
    cmp_columns(D, ta, tb);
    if (!list_eq(ta->pk, ta->npk, tb->pk, tb->npk, false))
        addf(D, "table %s: primary key differs (%s vs %s)", tn, list_text(a, ta->pk, ta->npk),
             list_text(a, tb->pk, tb->npk));
    if (!streq(ta->comment, tb->comment))
        addf(D, "table %s: comment differs (%s vs %s)", tn, q(ta->comment), q(tb->comment));
    for (size_t i = 0; i < ta->nindexes; i++) {
        const ir_index *x = ta->indexes[i], *y = ir_table_index(tb, x->name);
        if (!y) {
            addf(D, "index %s on %s: only in the first schema", x->name, tn);
            continue;
        }
        if (x->unique != y->unique)
            addf(D, "index %s on %s: unique differs (%s vs %s)", x->name, tn,
                 x->unique ? "true" : "false", y->unique ? "true" : "false");
        if (!list_eq(x->columns, x->ncolumns, y->columns, y->ncolumns, true))
            addf(D, "index %s on %s: columns differ (%s vs %s)", x->name, tn,
                 list_text(a, x->columns, x->ncolumns), list_text(a, y->columns, y->ncolumns));
        if (!squash_eq(x->where, y->where))
            addf(D, "index %s on %s: where differs (%s vs %s)", x->name, tn, q(x->where),
                 q(y->where));
        if (!streq(x->method, y->method))
            addf(D, "index %s on %s: method differs (%s vs %s)", x->name, tn, q(x->method),
                 q(y->method));
    }
    for (size_t i = 0; i < tb->nindexes; i++)
        if (!ir_table_index(ta, tb->indexes[i]->name))
            addf(D, "index %s on %s: only in the second schema", tb->indexes[i]->name, tn);
    for (size_t i = 0; i < ta->nuniques; i++) {
        const ir_unique *x = ta->uniques[i], *y = find_unique(tb, x);
        if (!y)
            addf(D, "unique constraint %s on %s: only in the first schema", uname(a, x), tn);
        else if (!list_eq(x->columns, x->ncolumns, y->columns, y->ncolumns, false))
            addf(D, "unique constraint %s on %s: columns differ (%s vs %s)", uname(a, x), tn,
                 list_text(a, x->columns, x->ncolumns), list_text(a, y->columns, y->ncolumns));
    }
    for (size_t i = 0; i < tb->nuniques; i++)
        if (!find_unique(ta, tb->uniques[i]))
            addf(D, "unique constraint %s on %s: only in the second schema",
                 uname(a, tb->uniques[i]), tn);
    for (size_t i = 0; i < ta->nfkeys; i++) {
        const ir_fkey *x = ta->fkeys[i], *y = find_fkey(tb, x);
        const char *n = fname(a, x);
        if (!y) {
            addf(D, "foreign key %s on %s: only in the first schema", n, tn);
            continue;
        }
        if (!list_eq(x->columns, x->ncolumns, y->columns, y->ncolumns, false))
            addf(D, "foreign key %s on %s: columns differ (%s vs %s)", n, tn,
                 list_text(a, x->columns, x->ncolumns), list_text(a, y->columns, y->ncolumns));
        if (!streq(x->ref_table, y->ref_table) ||
            !list_eq(x->ref_columns, x->nref_columns, y->ref_columns, y->nref_columns, false))
            addf(D, "foreign key %s on %s: reference differs (%s%s vs %s%s)", n, tn,
                 q(x->ref_table), list_text(a, x->ref_columns, x->nref_columns), q(y->ref_table),
                 list_text(a, y->ref_columns, y->nref_columns));
        if (x->on_delete != y->on_delete)
            addf(D, "foreign key %s on %s: on delete differs (%s vs %s)", n, tn,
                 ir_fk_action_name(x->on_delete), ir_fk_action_name(y->on_delete));
        if (x->on_update != y->on_update)
            addf(D, "foreign key %s on %s: on update differs (%s vs %s)", n, tn,
                 ir_fk_action_name(x->on_update), ir_fk_action_name(y->on_update));
    }
    for (size_t i = 0; i < tb->nfkeys; i++)
        if (!find_fkey(ta, tb->fkeys[i]))
            addf(D, "foreign key %s on %s: only in the second schema", fname(a, tb->fkeys[i]), tn);
    for (size_t i = 0; i < ta->nchecks; i++) {
        const ir_check *x = ta->checks[i], *y = find_check(tb, x);
        const char *n = x->name ? x->name : x->expr;
        if (!y)
            addf(D, "check %s on %s: only in the first schema", q(n), tn);
        else if (!squash_eq(x->expr, y->expr))
            addf(D, "check %s on %s: expression differs (%s vs %s)", q(n), tn, q(x->expr),
                 q(y->expr));
    }
    for (size_t i = 0; i < tb->nchecks; i++)
        if (!find_check(ta, tb->checks[i]))
            addf(D, "check %s on %s: only in the second schema",
                 q(tb->checks[i]->name ? tb->checks[i]->name : tb->checks[i]->expr), tn);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

bool ir_schema_equal(const ir_schema *a0, const ir_schema *b0, ir_dialect d, jy_buf *diff)
{
    jy_arena *arena = jy_arena_new();
    if (!arena)
        return false;
    diffs D = {arena, NULL, 0, 0};
    ir_schema *a = ir_schema_normalize(a0, d, arena);
    ir_schema *b = ir_schema_normalize(b0, d, arena);
    if (!a || !b) {
        addf(&D, "out of memory while comparing schemas");
        goto out;
    }
    for (size_t i = 0; i < a->ntables; i++) {
        const ir_table *y = ir_schema_table(b, a->tables[i]->name);
        if (!y)
            addf(&D, "table %s: only in the first schema", a->tables[i]->name);
        else
            cmp_table(&D, a->tables[i], y);
    }
    for (size_t i = 0; i < b->ntables; i++)
        if (!ir_schema_table(a, b->tables[i]->name))
            addf(&D, "table %s: only in the second schema", b->tables[i]->name);
    for (size_t i = 0; i < a->nenums; i++) {
        const ir_enum *x = a->enums[i], *y = ir_schema_enum(b, x->name);
        if (!y)
            addf(&D, "enum %s: only in the first schema", x->name);
        else if (!list_eq(x->labels, x->nlabels, y->labels, y->nlabels, false))
            addf(&D, "enum %s: labels differ (%s vs %s)", x->name,
                 list_text(arena, x->labels, x->nlabels), list_text(arena, y->labels, y->nlabels));
    }
    for (size_t i = 0; i < b->nenums; i++)
        if (!ir_schema_enum(a, b->enums[i]->name))
            addf(&D, "enum %s: only in the second schema", b->enums[i]->name);
    /* other objects: presence (databases rewrite view and trigger text) */
    for (int pass = 0; pass < 2; pass++) {
        const ir_schema *x = pass ? b : a, *y = pass ? a : b;
        for (size_t i = 0; i < x->nobjects; i++) {
            const ir_object *o = x->objects[i];
            if (!ir_schema_object(y, o->kind, o->name, o->table)) {
                if (o->table)
                    addf(&D, "%s %s on %s: only in the %s schema", ir_obj_kind_name(o->kind),
                         o->name, o->table, pass ? "second" : "first");
                else
                    addf(&D, "%s %s: only in the %s schema", ir_obj_kind_name(o->kind), o->name,
                         pass ? "second" : "first");
            }
        }
    }
out:;
    bool equal = D.n == 0;
    if (D.n)
        qsort(D.v, D.n, sizeof *D.v, cmp_str);
    if (diff)
        for (size_t i = 0; i < D.n; i++)
            jy_buf_printf(diff, "%s\n", D.v[i]);
    if (a)
        ir_schema_free(a);
    if (b)
        ir_schema_free(b);
    jy_arena_free(arena);
    return equal;
}
