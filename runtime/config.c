/*
 * config.c - joryu.toml: a reader for the TOML subset joryu needs, the
 * mapping of its tables onto rt_config, the database URL resolution order
 * and URL redaction.
 *
 * Reading happens in two passes.  The parser turns the text into a tree of
 * values (arena-allocated, positions kept as byte offsets); the mapper walks
 * the tree against the table of known keys and copies what it finds into
 * rt_config (malloc'd).  The tree is freed before rt_config_parse returns.
 *
 * Supported TOML: comments, `[table]` and `[a.b]` headers, `key = value`
 * with bare, quoted and dotted keys, basic strings (escapes \b \t \n \f \r
 * \" \\ \uXXXX \UXXXXXXXX), literal strings, multi-line forms of both,
 * integers (decimal with `_`, 0x/0o/0b), floats (fraction, exponent, inf,
 * nan), booleans, arrays (nested, multi-line, trailing comma) and inline
 * tables.  Not supported (a clear error): arrays of tables `[[x]]` and
 * dates/times.
 */
#include "runtime.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ------------------------------------------------------------ value tree */

typedef enum { TV_STR, TV_INT, TV_FLOAT, TV_BOOL, TV_ARRAY, TV_TABLE } tv_kind;

typedef struct tv tv;

typedef struct tentry {
    const char *key; /* decoded, NUL-terminated */
    size_t koff, kend;
    tv *val;
} tentry;

struct tv {
    tv_kind kind;
    size_t off, end;
    union {
        struct {
            const char *s;
            size_t len;
        } str;
        int64_t i;
        double f;
        bool b;
        struct {
            tv **items;
            size_t n, cap;
        } arr;
        struct {
            tentry *e;
            size_t n, cap;
            bool header;   /* defined by a [header] */
            bool frozen;   /* inline table or a value: no later additions */
        } tab;
    } u;
};

#define TOML_MAX_DEPTH 64

typedef struct tparser {
    jy_source *src;
    const char *s;
    size_t n, i;
    jy_diags *d;
    jy_arena *a;
    tv *root;
    int depth;
    bool failed; /* an error in the current line: skip to its end */
} tparser;

static const char *kind_name(tv_kind k)
{
    switch (k) {
    case TV_STR: return "a string";
    case TV_INT: return "an integer";
    case TV_FLOAT: return "a float";
    case TV_BOOL: return "a boolean";
    case TV_ARRAY: return "an array";
    default: return "a table";
    }
}

static jy_diag *perr(tparser *p, const char *code, size_t off, size_t end, const char *fmt, ...)
    JY_PRINTF(5, 6);

/* Record an error at [off, end) and mark the line as failed. */
static jy_diag *perr(tparser *p, const char *code, size_t off, size_t end, const char *fmt, ...)
{
    p->failed = true;
    if (jy_diags_has(p->d, code, p->src, off))
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    jy_diag *g = jy_diag_vat(p->d, JY_SEV_ERROR, JY_EXIT_ERROR, code, p->src, off, end, fmt, ap);
    va_end(ap);
    return g;
}

static tv *tv_new(tparser *p, tv_kind k, size_t off)
{
    tv *v = jy_arena_alloc(p->a, sizeof *v);
    if (v) {
        v->kind = k;
        v->off = off;
        v->end = off;
    }
    return v;
}

static bool arr_push(tparser *p, tv *arr, tv *item)
{
    if (arr->u.arr.n == arr->u.arr.cap) {
        size_t nc = arr->u.arr.cap ? arr->u.arr.cap * 2 : 4;
        tv **ni = jy_arena_grow(p->a, arr->u.arr.items, arr->u.arr.n, nc, sizeof *ni);
        if (!ni)
            return false;
        arr->u.arr.items = ni;
        arr->u.arr.cap = nc;
    }
    arr->u.arr.items[arr->u.arr.n++] = item;
    return true;
}

static tentry *tab_find(tv *t, const char *key)
{
    for (size_t i = 0; i < t->u.tab.n; i++)
        if (strcmp(t->u.tab.e[i].key, key) == 0)
            return &t->u.tab.e[i];
    return NULL;
}

static tentry *tab_add(tparser *p, tv *t, const char *key, size_t koff, size_t kend)
{
    if (t->u.tab.n == t->u.tab.cap) {
        size_t nc = t->u.tab.cap ? t->u.tab.cap * 2 : 8;
        tentry *ne = jy_arena_grow(p->a, t->u.tab.e, t->u.tab.n, nc, sizeof *ne);
        if (!ne)
            return NULL;
        t->u.tab.e = ne;
        t->u.tab.cap = nc;
    }
    tentry *e = &t->u.tab.e[t->u.tab.n++];
    e->key = key;
    e->koff = koff;
    e->kend = kend;
    e->val = NULL;
    return e;
}

/* ---------------------------------------------------------------- lexing */

static int peek(const tparser *p, size_t k)
{
    return p->i + k < p->n ? (unsigned char)p->s[p->i + k] : -1;
}

static bool at_eol(const tparser *p)
{
    int c = peek(p, 0);
    return c < 0 || c == '\n' || (c == '\r' && peek(p, 1) == '\n');
}

static void skip_ws(tparser *p)
{
    while (peek(p, 0) == ' ' || peek(p, 0) == '\t')
        p->i++;
}

/* Skip spaces, comments and newlines (inside arrays). */
static void skip_ws_nl(tparser *p)
{
    for (;;) {
        int c = peek(p, 0);
        if (c == ' ' || c == '\t' || c == '\n')
            p->i++;
        else if (c == '\r' && peek(p, 1) == '\n')
            p->i += 2;
        else if (c == '#') {
            while (!at_eol(p))
                p->i++;
        } else
            return;
    }
}

static void skip_line(tparser *p)
{
    while (!at_eol(p))
        p->i++;
}

static bool is_bare(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

static void put_utf8(jy_buf *b, uint32_t cp)
{
    if (cp < 0x80) {
        jy_buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        jy_buf_putc(b, (char)(0xC0 | (cp >> 6)));
        jy_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        jy_buf_putc(b, (char)(0xE0 | (cp >> 12)));
        jy_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        jy_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        jy_buf_putc(b, (char)(0xF0 | (cp >> 18)));
        jy_buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
        jy_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        jy_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

/*
 * A string starting at p->i (on its opening quote).  Handles the four
 * forms; multi = the triple-quoted forms, which may span lines.  On success
 * returns the decoded text in the arena (NUL-terminated, *len bytes) and
 * leaves p->i after the closing quote; on error returns NULL (diagnostic
 * recorded).
 */
static const char *lex_string(tparser *p, bool allow_multi, size_t *len)
{
    size_t start = p->i;
    char q = p->s[p->i];
    bool literal = q == '\'';
    bool multi = allow_multi && peek(p, 1) == q && peek(p, 2) == q;
    p->i += multi ? 3 : 1;
    if (multi) { /* a newline right after the opening delimiter is trimmed */
        if (peek(p, 0) == '\n')
            p->i++;
        else if (peek(p, 0) == '\r' && peek(p, 1) == '\n')
            p->i += 2;
    }
    jy_buf b;
    jy_buf_init(&b);
    for (;;) {
        int c = peek(p, 0);
        if (c < 0 || (!multi && (c == '\n' || c == '\r'))) {
            perr(p, "config.unterminated-string", start, p->i,
                 "unterminated string: add the closing %s", multi ? (literal ? "'''" : "\"\"\"")
                                                                   : (literal ? "'" : "\""));
            jy_buf_free(&b);
            return NULL;
        }
        if (c == (unsigned char)q) {
            if (!multi) {
                p->i++;
                break;
            }
            if (peek(p, 1) == q && peek(p, 2) == q) {
                /* up to two quotes may precede the closing delimiter */
                size_t extra = 0;
                while (extra < 2 && peek(p, 3 + extra) == q)
                    extra++;
                jy_buf_append(&b, p->s + p->i, extra);
                p->i += 3 + extra;
                break;
            }
            jy_buf_putc(&b, (char)c);
            p->i++;
            continue;
        }
        if (c == '\\' && !literal) {
            size_t esc = p->i;
            int e = peek(p, 1);
            p->i += 2;
            switch (e) {
            case 'b': jy_buf_putc(&b, '\b'); break;
            case 't': jy_buf_putc(&b, '\t'); break;
            case 'n': jy_buf_putc(&b, '\n'); break;
            case 'f': jy_buf_putc(&b, '\f'); break;
            case 'r': jy_buf_putc(&b, '\r'); break;
            case 'e': jy_buf_putc(&b, '\x1b'); break;
            case '"': jy_buf_putc(&b, '"'); break;
            case '\\': jy_buf_putc(&b, '\\'); break;
            case 'u':
            case 'U': {
                int nd = e == 'u' ? 4 : 8;
                uint32_t cp = 0;
                for (int k = 0; k < nd; k++) {
                    int h = peek(p, 0);
                    int v = h >= '0' && h <= '9'   ? h - '0'
                            : h >= 'a' && h <= 'f' ? h - 'a' + 10
                            : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                   : -1;
                    if (v < 0) {
                        perr(p, "config.bad-escape", esc, p->i + 1,
                             "\\%c needs exactly %d hex digits", e, nd);
                        jy_buf_free(&b);
                        return NULL;
                    }
                    cp = cp * 16 + (uint32_t)v;
                    p->i++;
                }
                if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    perr(p, "config.bad-escape", esc, p->i, "\\%c%0*X is not a Unicode scalar value",
                         e, nd, cp);
                    jy_buf_free(&b);
                    return NULL;
                }
                put_utf8(&b, cp);
                break;
            }
            default:
                if (multi && (e == ' ' || e == '\t' || e == '\n' || e == '\r')) {
                    /* line-ending backslash: trim whitespace up to the next text */
                    p->i = esc + 1;
                    size_t j = p->i;
                    while (j < p->n && (p->s[j] == ' ' || p->s[j] == '\t'))
                        j++;
                    if (j < p->n && (p->s[j] == '\n' || p->s[j] == '\r')) {
                        p->i = j;
                        while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
                                               p->s[p->i] == '\n' || p->s[p->i] == '\r'))
                            p->i++;
                        break;
                    }
                }
                p->i = esc;
                perr(p, "config.bad-escape", esc, esc + 2,
                     "unknown escape sequence \\%c in a string", e > 32 && e < 127 ? e : '?');
                jy_buf_free(&b);
                return NULL;
            }
            continue;
        }
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
            perr(p, "config.control-char", p->i, p->i + 1,
                 "control character 0x%02X in a string: write it as an escape", c);
            jy_buf_free(&b);
            return NULL;
        }
        jy_buf_putc(&b, (char)c);
        p->i++;
    }
    if (b.failed) {
        jy_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    const char *out = jy_arena_strndup(p->a, b.data ? b.data : "", b.len);
    jy_buf_free(&b);
    return out;
}

/* One key part (bare or quoted) at p->i; NULL on error. */
static const char *lex_key_part(tparser *p, size_t *koff, size_t *kend)
{
    *koff = p->i;
    int c = peek(p, 0);
    const char *k = NULL;
    if (c == '"' || c == '\'') {
        size_t len;
        k = lex_string(p, false, &len);
        if (k && strlen(k) != len) {
            perr(p, "config.bad-key", *koff, p->i, "a key may not contain a NUL character");
            return NULL;
        }
    } else if (is_bare(c)) {
        size_t s = p->i;
        while (is_bare(peek(p, 0)))
            p->i++;
        k = jy_arena_strndup(p->a, p->s + s, p->i - s);
    } else {
        size_t e = p->i < p->n ? p->i + 1 : p->i;
        perr(p, "config.bad-key", p->i, e,
             c < 0 || c == '\n' || c == '\r' ? "expected a key" : "expected a key, found '%c'",
             c > 32 && c < 127 ? c : '?');
        return NULL;
    }
    *kend = p->i;
    return k;
}

typedef struct keypath {
    const char *parts[16];
    size_t off[16], end[16];
    size_t n;
} keypath;

/* A dotted key: part (. part)*, spaces allowed around the dots. */
static bool lex_keypath(tparser *p, keypath *kp)
{
    kp->n = 0;
    for (;;) {
        skip_ws(p);
        if (kp->n == JY_COUNTOF(kp->parts)) {
            perr(p, "config.bad-key", p->i, p->i + 1, "a key may have at most %zu dotted parts",
                 JY_COUNTOF(kp->parts));
            return false;
        }
        const char *k = lex_key_part(p, &kp->off[kp->n], &kp->end[kp->n]);
        if (!k)
            return false;
        kp->parts[kp->n++] = k;
        skip_ws(p);
        if (peek(p, 0) != '.')
            return true;
        p->i++;
    }
}

static void first_defined(tparser *p, const tentry *e, unsigned *line)
{
    unsigned col;
    jy_source_linecol(p->src, e->koff, line, &col);
}

/*
 * Walk (creating implicit tables) from t along kp->parts[0..upto).  Used by
 * headers and by dotted keys.  Returns the table reached or NULL (error).
 */
static tv *walk_tables(tparser *p, tv *t, const keypath *kp, size_t upto)
{
    for (size_t k = 0; k < upto; k++) {
        tentry *e = tab_find(t, kp->parts[k]);
        if (!e) {
            e = tab_add(p, t, kp->parts[k], kp->off[k], kp->end[k]);
            tv *nt = e ? tv_new(p, TV_TABLE, kp->off[k]) : NULL;
            if (!nt)
                return NULL;
            e->val = nt;
            t = nt;
            continue;
        }
        if (e->val->kind != TV_TABLE || e->val->u.tab.frozen) {
            unsigned line;
            first_defined(p, e, &line);
            perr(p, "config.duplicate-key", kp->off[k], kp->end[k],
                 "'%s' is already defined as %s on line %u, not a table", kp->parts[k],
                 e->val->kind == TV_TABLE ? "an inline table" : kind_name(e->val->kind), line);
            return NULL;
        }
        t = e->val;
    }
    return t;
}

static tv *parse_value(tparser *p);

/* Numbers, booleans, and the things that look like them. */
static tv *parse_scalar(tparser *p)
{
    size_t s = p->i;
    while (p->i < p->n) {
        int c = peek(p, 0);
        if (is_bare(c) || c == '.' || c == '+' || c == ':')
            p->i++;
        else
            break;
    }
    size_t len = p->i - s;
    const char *t = p->s + s;
    if (len == 0) {
        int c = peek(p, 0);
        perr(p, "config.bad-value", s, s + (c >= 0),
             "expected a value (a string, number, boolean, array or inline table)");
        return NULL;
    }
    tv *v = NULL;
    if ((len == 4 && memcmp(t, "true", 4) == 0) || (len == 5 && memcmp(t, "false", 5) == 0)) {
        v = tv_new(p, TV_BOOL, s);
        if (v)
            v->u.b = len == 4;
    } else {
        /* dates and times: 1979-05-27, 07:32:00 */
        if ((len >= 10 && t[4] == '-' && t[0] >= '0' && t[0] <= '9') ||
            (len >= 8 && t[2] == ':' && t[0] >= '0' && t[0] <= '9')) {
            perr(p, "config.unsupported", s, p->i,
                 "dates and times are not supported in joryu.toml; write the value as a string");
            return NULL;
        }
        char buf[128];
        size_t bl = 0;
        bool ok = len < sizeof buf;
        bool is_float = false;
        int base = 10;
        size_t k = 0;
        if (ok && (t[0] == '+' || t[0] == '-'))
            buf[bl++] = t[k++];
        if (ok && len - k > 2 && t[k] == '0' && (t[k + 1] == 'x' || t[k + 1] == 'o' || t[k + 1] == 'b')) {
            base = t[k + 1] == 'x' ? 16 : t[k + 1] == 'o' ? 8 : 2;
            if (k > 0)
                ok = false; /* no sign on prefixed integers */
            k += 2;
        }
        const char *rest = t + k;
        size_t rl = len - k;
        if (ok && base == 10 && ((rl == 3 && memcmp(rest, "inf", 3) == 0) ||
                                 (rl == 3 && memcmp(rest, "nan", 3) == 0))) {
            is_float = true;
            memcpy(buf + bl, rest, 3);
            bl += 3;
        } else if (ok) {
            int prev = 0; /* last character copied; underscores must sit between digits */
            for (size_t j = 0; j < rl && ok; j++) {
                char c = rest[j];
                bool digit = base == 16 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                                           (c >= 'A' && c <= 'F'))
                             : base == 8 ? (c >= '0' && c <= '7')
                             : base == 2 ? (c == '0' || c == '1')
                                         : (c >= '0' && c <= '9');
                if (c == '_') {
                    bool next_digit = j + 1 < rl && ((rest[j + 1] >= '0' && rest[j + 1] <= '9') ||
                                                     (base == 16 && ((rest[j + 1] | 32) >= 'a' &&
                                                                     (rest[j + 1] | 32) <= 'f')));
                    ok = prev == 'd' && next_digit;
                    continue;
                }
                if (digit) {
                    buf[bl++] = c;
                    prev = 'd';
                } else if (base == 10 && c == '.' && prev == 'd' && j + 1 < rl &&
                           rest[j + 1] >= '0' && rest[j + 1] <= '9') {
                    buf[bl++] = c;
                    prev = '.';
                    is_float = true;
                } else if (base == 10 && (c == 'e' || c == 'E') && prev == 'd') {
                    buf[bl++] = 'e';
                    prev = 'e';
                    is_float = true;
                    if (j + 1 < rl && (rest[j + 1] == '+' || rest[j + 1] == '-'))
                        buf[bl++] = rest[++j];
                } else
                    ok = false;
            }
            if (prev != 'd')
                ok = false;
            /* no leading zeros in decimal integers and integer parts */
            if (ok && base == 10) {
                size_t d0 = (buf[0] == '+' || buf[0] == '-') ? 1 : 0;
                if (buf[d0] == '0' && d0 + 1 < bl && buf[d0 + 1] >= '0' && buf[d0 + 1] <= '9')
                    ok = false;
            }
        }
        if (!ok) {
            bool bareword = (t[0] >= 'a' && t[0] <= 'z') || (t[0] >= 'A' && t[0] <= 'Z');
            jy_diag *g = perr(p, "config.bad-value", s, p->i,
                              bareword ? "'%.*s' is not a value: strings need quotes"
                                       : "'%.*s' is not a valid number",
                              (int)(len > 60 ? 60 : len), t);
            if (bareword)
                jy_diag_hint(g, "write \"%.*s\"", (int)(len > 60 ? 60 : len), t);
            return NULL;
        }
        buf[bl] = 0;
        errno = 0;
        if (is_float) {
            v = tv_new(p, TV_FLOAT, s);
            if (v)
                v->u.f = strtod(buf, NULL);
        } else {
            long long x = strtoll(buf, NULL, base);
            if (errno == ERANGE) {
                perr(p, "config.bad-value", s, p->i, "integer '%.*s' does not fit in 64 bits",
                     (int)(len > 60 ? 60 : len), t);
                return NULL;
            }
            v = tv_new(p, TV_INT, s);
            if (v)
                v->u.i = x;
        }
    }
    if (v)
        v->end = p->i;
    return v;
}

static tv *parse_array(tparser *p)
{
    tv *arr = tv_new(p, TV_ARRAY, p->i);
    if (!arr)
        return NULL;
    size_t open = p->i++;
    for (;;) {
        skip_ws_nl(p);
        if (peek(p, 0) == ']') {
            p->i++;
            break;
        }
        if (peek(p, 0) < 0) {
            perr(p, "config.unterminated-array", open, open + 1, "unterminated array: add ']'");
            return NULL;
        }
        tv *item = parse_value(p);
        if (!item || !arr_push(p, arr, item))
            return NULL;
        skip_ws_nl(p);
        if (peek(p, 0) == ',') {
            p->i++;
            continue;
        }
        if (peek(p, 0) == ']') {
            p->i++;
            break;
        }
        if (peek(p, 0) < 0)
            perr(p, "config.unterminated-array", open, open + 1, "unterminated array: add ']'");
        else
            perr(p, "config.expected", p->i, p->i + 1,
                 "expected ',' or ']' after an array element");
        return NULL;
    }
    arr->end = p->i;
    return arr;
}

/* key = value, stored into table t; p->i at the key.  Also used for the
 * entries of inline tables. */
static bool parse_keyval(tparser *p, tv *t)
{
    keypath kp;
    if (!lex_keypath(p, &kp))
        return false;
    if (peek(p, 0) != '=') {
        int c = peek(p, 0);
        jy_diag *g = perr(p, "config.expected", p->i, p->i + (c >= 0 && c != '\n'),
                          "expected '=' after the key '%s'", kp.parts[kp.n - 1]);
        if (c == ':')
            jy_diag_hint(g, "TOML writes key = value");
        return false;
    }
    p->i++;
    skip_ws(p);
    tv *parent = walk_tables(p, t, &kp, kp.n - 1);
    if (!parent)
        return false;
    const char *last = kp.parts[kp.n - 1];
    tentry *old = tab_find(parent, last);
    if (old) {
        unsigned line;
        first_defined(p, old, &line);
        perr(p, "config.duplicate-key", kp.off[kp.n - 1], kp.end[kp.n - 1],
             "duplicate key '%s' (first defined on line %u)", last, line);
        return false;
    }
    tv *v = parse_value(p);
    if (!v)
        return false;
    tentry *e = tab_add(p, parent, last, kp.off[kp.n - 1], kp.end[kp.n - 1]);
    if (!e)
        return false;
    e->val = v;
    return true;
}

static tv *parse_inline_table(tparser *p)
{
    tv *t = tv_new(p, TV_TABLE, p->i);
    if (!t)
        return NULL;
    size_t open = p->i++;
    skip_ws(p);
    if (peek(p, 0) == '}') {
        p->i++;
    } else {
        for (;;) {
            skip_ws(p);
            if (at_eol(p)) {
                perr(p, "config.unterminated-table", open, open + 1,
                     "unterminated inline table: add '}' (inline tables fit on one line)");
                return NULL;
            }
            if (!parse_keyval(p, t))
                return NULL;
            skip_ws(p);
            if (peek(p, 0) == ',') {
                p->i++;
                continue;
            }
            if (peek(p, 0) == '}') {
                p->i++;
                break;
            }
            if (at_eol(p))
                perr(p, "config.unterminated-table", open, open + 1,
                     "unterminated inline table: add '}' (inline tables fit on one line)");
            else
                perr(p, "config.expected", p->i, p->i + 1,
                     "expected ',' or '}' in an inline table");
            return NULL;
        }
    }
    t->end = p->i;
    /* freeze the inline table and the tables made inside it by dotted keys */
    t->u.tab.frozen = true;
    return t;
}

static tv *parse_value(tparser *p)
{
    if (++p->depth > TOML_MAX_DEPTH) {
        perr(p, "config.too-deep", p->i, p->i + 1, "values nested deeper than %d levels",
             TOML_MAX_DEPTH);
        p->depth--;
        return NULL;
    }
    tv *v;
    int c = peek(p, 0);
    if (c == '"' || c == '\'') {
        size_t s = p->i, len;
        const char *str = lex_string(p, true, &len);
        v = str ? tv_new(p, TV_STR, s) : NULL;
        if (v) {
            v->u.str.s = str;
            v->u.str.len = len;
            v->end = p->i;
        }
    } else if (c == '[') {
        v = parse_array(p);
    } else if (c == '{') {
        v = parse_inline_table(p);
    } else {
        v = parse_scalar(p);
    }
    p->depth--;
    return v;
}

/* After a statement: spaces, an optional comment, then the end of line. */
static void expect_eol(tparser *p)
{
    skip_ws(p);
    if (peek(p, 0) == '#') {
        skip_line(p);
        return;
    }
    if (!at_eol(p))
        perr(p, "config.expected", p->i, p->i + 1,
             "expected the end of the line after the value (one key = value per line)");
}

/* Control characters outside strings and comments are refused early. */
static void parse_document(tparser *p)
{
    tv *cur = p->root;
    while (p->i < p->n) {
        p->failed = false;
        skip_ws(p);
        int c = peek(p, 0);
        if (c == '#') {
            skip_line(p);
        } else if (c == '\n' || c == '\r' || c < 0) {
            /* blank line */
        } else if (c == '[') {
            size_t hs = p->i;
            if (peek(p, 1) == '[') {
                perr(p, "config.unsupported", hs, hs + 2,
                     "arrays of tables ([[...]]) are not used by joryu.toml");
            } else {
                p->i++;
                keypath kp;
                if (lex_keypath(p, &kp)) {
                    if (peek(p, 0) != ']') {
                        perr(p, "config.expected", p->i, p->i + 1,
                             "expected ']' to close the table header");
                    } else {
                        p->i++;
                        tv *t = walk_tables(p, p->root, &kp, kp.n - 1);
                        if (t) {
                            const char *last = kp.parts[kp.n - 1];
                            tentry *e = tab_find(t, last);
                            if (e && (e->val->kind != TV_TABLE || e->val->u.tab.frozen)) {
                                unsigned line;
                                first_defined(p, e, &line);
                                perr(p, "config.duplicate-key", kp.off[kp.n - 1],
                                     kp.end[kp.n - 1], "'%s' is already defined on line %u",
                                     last, line);
                            } else if (e && e->val->u.tab.header) {
                                unsigned line;
                                first_defined(p, e, &line);
                                perr(p, "config.duplicate-table", hs, p->i,
                                     "table [%.*s] is defined twice (first on line %u)",
                                     (int)(p->i - hs - 2), p->s + hs + 1, line);
                            } else {
                                if (!e) {
                                    e = tab_add(p, t, last, kp.off[kp.n - 1], kp.end[kp.n - 1]);
                                    if (e)
                                        e->val = tv_new(p, TV_TABLE, kp.off[kp.n - 1]);
                                } else {
                                    /* implicitly created before: the header defines it now */
                                    e->koff = kp.off[kp.n - 1];
                                    e->kend = kp.end[kp.n - 1];
                                }
                                if (e && e->val) {
                                    e->val->u.tab.header = true;
                                    cur = e->val;
                                }
                            }
                        }
                        if (!p->failed)
                            expect_eol(p);
                    }
                }
            }
        } else {
            if (parse_keyval(p, cur))
                expect_eol(p);
        }
        if (p->failed || jy_arena_failed(p->a)) {
            if (jy_arena_failed(p->a)) {
                jy_diag_where(p->d, JY_SEV_ERROR, JY_EXIT_ERROR, "config.memory", p->src->path,
                              "out of memory reading %s", p->src->path);
                return;
            }
            skip_line(p);
        }
        /* consume the line terminator */
        if (peek(p, 0) == '\r' && peek(p, 1) == '\n')
            p->i += 2;
        else if (peek(p, 0) == '\n')
            p->i++;
        else if (peek(p, 0) == '\r') { /* a lone CR */
            perr(p, "config.expected", p->i, p->i + 1, "a carriage return must be followed by a newline");
            p->i++;
        }
    }
}

/* ---------------------------------------------------------------- mapping */

typedef enum { K_STR, K_STRLIST, K_DIALECTS, K_ENV, K_MODE, K_URL, K_DIR } key_kind;

typedef struct known_key {
    const char *table; /* dotted table path */
    const char *key;
    key_kind kind;
    size_t field; /* offsetof in rt_config */
} known_key;

static const char *const known_tables[] = {"joryu",    "database", "dialects",  "metadata",
                                           "generate", "python",   "joryu.test", "verify"};

static const known_key known_keys[] = {
    {"joryu", "migrations_dir", K_DIR, offsetof(rt_config, migrations_dir)},
    {"joryu", "environment", K_ENV, offsetof(rt_config, environment)},
    {"database", "url", K_URL, offsetof(rt_config, database_url)},
    {"dialects", "targets", K_DIALECTS, offsetof(rt_config, targets)},
    {"dialects", "test_targets", K_DIALECTS, offsetof(rt_config, test_targets)},
    {"metadata", "target", K_STR, offsetof(rt_config, metadata_target)},
    {"generate", "include_schemas", K_STRLIST, offsetof(rt_config, include_schemas)},
    {"generate", "exclude_tables", K_STRLIST, offsetof(rt_config, exclude_tables)},
    {"joryu.test", "default_mode", K_MODE, offsetof(rt_config, test_default_mode)},
    {"joryu.test", "integration_dialects", K_DIALECTS,
     offsetof(rt_config, test_integration_dialects)},
    {"joryu.test", "postgresql_image", K_STR, offsetof(rt_config, test_postgresql_image)},
    {"joryu.test", "mysql_image", K_STR, offsetof(rt_config, test_mysql_image)},
    {"python", "interpreter", K_STR, offsetof(rt_config, python_interpreter)},
    {"verify", "base", K_STR, offsetof(rt_config, verify_base)},
};

static const char *const dialect_names[] = {"postgresql", "mysql", "mariadb", "sqlite"};
static const char *const env_names[] = {"local", "staging", "production"};
static const char *const mode_names[] = {"unit", "integration"};

typedef struct mapper {
    jy_source *src;
    jy_diags *d;
    rt_config *c;
    bool set_test_targets, set_integration;
} mapper;

static char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *r = malloc(n + 1);
    if (r)
        memcpy(r, s, n + 1);
    return r;
}

static jy_diag *merr(mapper *m, const char *code, const tv *v, const char *fmt, ...)
    JY_PRINTF(4, 5);

static jy_diag *merr(mapper *m, const char *code, const tv *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jy_diag *g = jy_diag_vat(m->d, JY_SEV_ERROR, JY_EXIT_ERROR, code, m->src, v->off, v->end,
                             fmt, ap);
    va_end(ap);
    return g;
}

/* "[table] key" for messages. */
static void key_label(char *out, size_t n, const known_key *k)
{
    snprintf(out, n, "[%s] %s", k->table, k->key);
}

static bool one_of(mapper *m, const tv *v, const char *label, const char *const *names, size_t n,
                   size_t *idx)
{
    if (v->kind != TV_STR) {
        merr(m, "config.type", v, "%s must be a string, not %s", label, kind_name(v->kind));
        return false;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(v->u.str.s, names[i]) == 0) {
            *idx = i;
            return true;
        }
    jy_buf list;
    jy_buf_init(&list);
    for (size_t i = 0; i < n; i++)
        jy_buf_printf(&list, "%s\"%s\"", i ? ", " : "", names[i]);
    jy_diag *g = merr(m, "config.bad-value", v, "%s is \"%s\"; it must be one of %s", label,
                      v->u.str.s, list.data ? list.data : "");
    const char *close = jy_closest(v->u.str.s, v->u.str.len, names, n);
    for (size_t i = 0; !close && v->u.str.len > 0 && i < n; i++)
        if (strncmp(names[i], v->u.str.s, v->u.str.len) == 0) /* "prod" */
            close = names[i];
    if (close)
        jy_diag_hint(g, "did you mean \"%s\"?", close);
    jy_buf_free(&list);
    return false;
}

static bool map_dialects(mapper *m, const tv *v, const char *label, ir_dmask *out)
{
    if (v->kind != TV_ARRAY) {
        jy_diag *g = merr(m, "config.type", v, "%s must be an array of dialect names, not %s",
                          label, kind_name(v->kind));
        jy_diag_hint(g, "for example: [\"postgresql\", \"mysql\", \"sqlite\"]");
        return false;
    }
    ir_dmask mask = 0;
    bool ok = true;
    for (size_t i = 0; i < v->u.arr.n; i++) {
        const tv *it = v->u.arr.items[i];
        ir_dialect dl;
        if (it->kind != TV_STR) {
            merr(m, "config.type", it, "%s must hold dialect names (strings), not %s", label,
                 kind_name(it->kind));
            ok = false;
        } else if (!ir_dialect_parse(it->u.str.s, it->u.str.len, &dl)) {
            jy_diag *g = merr(m, "config.unknown-dialect", it,
                              "unknown dialect \"%s\" in %s", it->u.str.s, label);
            const char *close =
                jy_closest(it->u.str.s, it->u.str.len, dialect_names, JY_COUNTOF(dialect_names));
            if (close)
                jy_diag_hint(g, "did you mean \"%s\"?", close);
            else
                jy_diag_hint(g, "joryu knows postgresql, mysql, mariadb and sqlite");
            ok = false;
        } else {
            mask |= IR_DMASK(dl);
        }
    }
    if (ok && mask == 0) {
        merr(m, "config.bad-value", v, "%s is empty: name at least one dialect", label);
        ok = false;
    }
    if (ok)
        *out = mask;
    return ok;
}

static bool map_strlist(mapper *m, const tv *v, const char *label, rt_strlist *out)
{
    if (v->kind != TV_ARRAY) {
        merr(m, "config.type", v, "%s must be an array of strings, not %s", label,
             kind_name(v->kind));
        return false;
    }
    for (size_t i = 0; i < v->u.arr.n; i++)
        if (v->u.arr.items[i]->kind != TV_STR) {
            merr(m, "config.type", v->u.arr.items[i], "%s must hold strings, not %s", label,
                 kind_name(v->u.arr.items[i]->kind));
            return false;
        }
    char **vv = v->u.arr.n ? calloc(v->u.arr.n, sizeof *vv) : NULL;
    if (v->u.arr.n && !vv)
        return false;
    for (size_t i = 0; i < v->u.arr.n; i++)
        vv[i] = xstrdup(v->u.arr.items[i]->u.str.s);
    for (size_t i = 0; i < out->n; i++)
        free(out->v[i]);
    free(out->v);
    out->v = vv;
    out->n = v->u.arr.n;
    return true;
}

static bool valid_env_name(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

static void map_key(mapper *m, const known_key *k, const tv *v)
{
    char label[96];
    key_label(label, sizeof label, k);
    char *base = (char *)m->c;
    switch (k->kind) {
    case K_STR:
    case K_DIR:
    case K_URL: {
        if (v->kind != TV_STR) {
            merr(m, "config.type", v, "%s must be a string, not %s", label, kind_name(v->kind));
            return;
        }
        if (strlen(v->u.str.s) != v->u.str.len || v->u.str.len == 0) {
            merr(m, "config.bad-value", v, "%s must be a non-empty string without NUL characters",
                 label);
            return;
        }
        if (k->kind == K_URL && strncmp(v->u.str.s, "env:", 4) == 0 &&
            !valid_env_name(v->u.str.s + 4)) {
            jy_diag *g = merr(m, "config.bad-value", v,
                              "%s: \"%s\" does not name an environment variable", label,
                              v->u.str.s);
            jy_diag_hint(g, "write \"env:NAME\", e.g. \"env:DATABASE_URL\"");
            return;
        }
        char **slot = (char **)(base + k->field);
        free(*slot);
        *slot = xstrdup(v->u.str.s);
        if (k->kind == K_URL) {
            m->c->url_start = v->off;
            m->c->url_end = v->end;
        }
        return;
    }
    case K_STRLIST:
        map_strlist(m, v, label, (rt_strlist *)(base + k->field));
        return;
    case K_DIALECTS: {
        ir_dmask mask;
        if (map_dialects(m, v, label, &mask)) {
            *(ir_dmask *)(base + k->field) = mask;
            if (k->field == offsetof(rt_config, test_targets))
                m->set_test_targets = true;
            if (k->field == offsetof(rt_config, test_integration_dialects))
                m->set_integration = true;
        }
        return;
    }
    case K_ENV: {
        size_t idx;
        if (one_of(m, v, label, env_names, JY_COUNTOF(env_names), &idx)) {
            m->c->environment = (rt_environment)idx;
            m->c->has_environment = true;
        }
        return;
    }
    case K_MODE: {
        size_t idx;
        if (one_of(m, v, label, mode_names, JY_COUNTOF(mode_names), &idx)) {
            free(m->c->test_default_mode);
            m->c->test_default_mode = xstrdup(mode_names[idx]);
        }
        return;
    }
    }
}

static void warn_unknown(mapper *m, const char *path, const tentry *e)
{
    char full[256];
    if (*path)
        snprintf(full, sizeof full, "%s.%s", path, e->key);
    else
        snprintf(full, sizeof full, "%s", e->key);
    if (e->val->kind == TV_TABLE) {
        jy_diag *g = jy_diag_at(m->d, JY_SEV_WARNING, 0, "config.unknown-table", m->src, e->koff,
                                e->kend, "unknown table [%s] (ignored)", full);
        const char *close = jy_closest(full, strlen(full), known_tables, JY_COUNTOF(known_tables));
        if (close)
            jy_diag_hint(g, "did you mean [%s]?", close);
        else
            jy_diag_hint(g, "joryu.toml knows [joryu], [database], [dialects], [metadata], "
                            "[generate], [joryu.test], [python] and [verify]");
        return;
    }
    /* candidate keys: the known keys of this table (or, at top level, all) */
    const char *cands[JY_COUNTOF(known_keys)];
    size_t nc = 0;
    for (size_t i = 0; i < JY_COUNTOF(known_keys); i++)
        if (!*path || strcmp(known_keys[i].table, path) == 0)
            cands[nc++] = known_keys[i].key;
    jy_diag *g;
    if (*path)
        g = jy_diag_at(m->d, JY_SEV_WARNING, 0, "config.unknown-key", m->src, e->koff, e->kend,
                       "unknown key '%s' in [%s] (ignored)", e->key, path);
    else
        g = jy_diag_at(m->d, JY_SEV_WARNING, 0, "config.unknown-key", m->src, e->koff, e->kend,
                       "key '%s' outside any table (ignored)", e->key);
    const char *close = jy_closest(e->key, strlen(e->key), cands, nc);
    for (size_t i = 0; close && i < JY_COUNTOF(known_keys); i++)
        if (known_keys[i].key == close && (!*path || strcmp(known_keys[i].table, path) == 0)) {
            if (*path)
                jy_diag_hint(g, "did you mean '%s'?", close);
            else
                jy_diag_hint(g, "did you mean '%s' under [%s]?", close, known_keys[i].table);
            break;
        }
}

static bool is_known_table(const char *path)
{
    for (size_t i = 0; i < JY_COUNTOF(known_tables); i++)
        if (strcmp(known_tables[i], path) == 0)
            return true;
    return false;
}

static void map_table(mapper *m, const char *path, const tv *t)
{
    for (size_t i = 0; i < t->u.tab.n; i++) {
        const tentry *e = &t->u.tab.e[i];
        char full[256];
        if (*path)
            snprintf(full, sizeof full, "%s.%s", path, e->key);
        else
            snprintf(full, sizeof full, "%s", e->key);
        const known_key *k = NULL;
        for (size_t j = 0; *path && j < JY_COUNTOF(known_keys); j++)
            if (strcmp(known_keys[j].table, path) == 0 && strcmp(known_keys[j].key, e->key) == 0)
                k = &known_keys[j];
        if (k) {
            map_key(m, k, e->val);
        } else if (e->val->kind == TV_TABLE && is_known_table(full)) {
            map_table(m, full, e->val);
        } else if (e->val->kind != TV_TABLE && !*path && is_known_table(full)) {
            merr(m, "config.type", e->val, "'%s' must be a table ([%s]), not %s", full, full,
                 kind_name(e->val->kind));
        } else {
            warn_unknown(m, path, e);
        }
    }
}

/* ----------------------------------------------------------------- API */

const char *rt_environment_name(rt_environment e)
{
    return e < JY_COUNTOF(env_names) ? env_names[e] : "local";
}

void rt_config_defaults(rt_config *c)
{
    memset(c, 0, sizeof *c);
    c->migrations_dir = xstrdup("migrations");
    c->environment = RT_ENV_LOCAL;
    c->targets = IR_DMASK_DEFAULT;
    c->test_targets = IR_DMASK_DEFAULT;
    c->test_integration_dialects = IR_DMASK_DEFAULT;
    c->test_default_mode = xstrdup("unit");
}

static void strlist_free(rt_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void rt_config_free(rt_config *c)
{
    if (!c)
        return;
    free(c->path);
    if (c->src) {
        jy_source_free(c->src);
        free(c->src);
    }
    free(c->migrations_dir);
    free(c->database_url);
    free(c->metadata_target);
    strlist_free(&c->include_schemas);
    strlist_free(&c->exclude_tables);
    free(c->test_default_mode);
    free(c->test_postgresql_image);
    free(c->test_mysql_image);
    free(c->python_interpreter);
    free(c->verify_base);
    memset(c, 0, sizeof *c);
}

/* migrations_dir is relative to the folder that holds joryu.toml. */
static void resolve_dir(rt_config *c, const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!slash || !c->migrations_dir || c->migrations_dir[0] == '/')
        return;
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_printf(&b, "%.*s/%s", (int)(slash - path), path, c->migrations_dir);
    if (b.failed) {
        jy_buf_free(&b);
        return;
    }
    free(c->migrations_dir);
    c->migrations_dir = jy_buf_take(&b);
}

/* Parse the text held by c->src into c (defaults already set). */
static int parse_into(rt_config *c, jy_diags *d)
{
    size_t before = d->nerrors;
    jy_arena *a = jy_arena_new();
    if (!a) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "config.memory", c->src->path,
                      "out of memory reading %s", c->src->path);
        return -1;
    }
    tparser p = {.src = c->src, .s = c->src->text, .n = c->src->len, .d = d, .a = a};
    /* a UTF-8 byte order mark is allowed */
    if (p.n >= 3 && memcmp(p.s, "\xEF\xBB\xBF", 3) == 0)
        p.i = 3;
    p.root = tv_new(&p, TV_TABLE, 0);
    if (p.root) {
        parse_document(&p);
        if (d->nerrors == before) {
            mapper m = {.src = c->src, .d = d, .c = c};
            map_table(&m, "", p.root);
            if (!m.set_test_targets)
                c->test_targets = c->targets;
            if (!m.set_integration)
                c->test_integration_dialects = c->test_targets;
        }
    }
    bool oom = jy_arena_failed(a) || !p.root;
    jy_arena_free(a);
    if (oom && d->nerrors == before)
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "config.memory", c->src->path,
                      "out of memory reading %s", c->src->path);
    return d->nerrors == before ? 0 : -1;
}

int rt_config_parse(const char *name, const char *text, size_t len, rt_config *c, jy_diags *d)
{
    rt_config_defaults(c);
    c->src = calloc(1, sizeof *c->src);
    if (!c->src || jy_source_from_memory(c->src, name, text, len) != 0) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "config.memory", name,
                      "out of memory reading %s", name);
        return -1;
    }
    c->path = xstrdup(name);
    c->found = true;
    int rc = parse_into(c, d);
    resolve_dir(c, name);
    return rc;
}

int rt_config_load(const char *path, rt_config *c, jy_diags *d)
{
    rt_config_defaults(c);
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT)
        return 1;
    c->src = calloc(1, sizeof *c->src);
    if (!c->src) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "config.memory", path,
                      "out of memory reading %s", path);
        return -1;
    }
    if (jy_source_load(c->src, path, d) != 0) {
        free(c->src);
        c->src = NULL;
        return -1;
    }
    c->path = xstrdup(path);
    c->found = true;
    int rc = parse_into(c, d);
    resolve_dir(c, path);
    return rc;
}

int rt_config_database_url(const rt_config *c, const char *flag, char **out,
                           rt_url_origin *origin, jy_diags *d)
{
    *out = NULL;
    if (flag && *flag) {
        *out = xstrdup(flag);
        if (origin)
            *origin = RT_URL_FROM_FLAG;
        return *out ? 0 : -1;
    }
    const char *env = getenv("JORYU_DATABASE_URL");
    if (env && *env) {
        *out = xstrdup(env);
        if (origin)
            *origin = RT_URL_FROM_ENV;
        return *out ? 0 : -1;
    }
    if (c && c->database_url) {
        const char *u = c->database_url;
        if (strncmp(u, "env:", 4) == 0) {
            const char *val = getenv(u + 4);
            if (!val || !*val) {
                jy_diag *g;
                if (c->src)
                    g = jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "config.env-unset", c->src,
                                   c->url_start, c->url_end,
                                   "[database] url reads the environment variable %s, which is "
                                   "not set",
                                   u + 4);
                else
                    g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "config.env-unset",
                                      "joryu.toml",
                                      "[database] url reads the environment variable %s, which "
                                      "is not set",
                                      u + 4);
                jy_diag_hint(g, "export %s=<url>, or pass --db URL, or set JORYU_DATABASE_URL",
                             u + 4);
                return -1;
            }
            u = val;
        }
        *out = xstrdup(u);
        if (origin)
            *origin = RT_URL_FROM_CONFIG;
        return *out ? 0 : -1;
    }
    jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "config.no-database-url",
                               c && c->path ? c->path : "joryu.toml", "no database URL given");
    jy_diag_hint(g, "pass --db URL, set JORYU_DATABASE_URL, or set [database] url in joryu.toml "
                    "(e.g. \"sqlite:///app.db\" or \"env:DATABASE_URL\")");
    return -1;
}

static bool is_sep(char c)
{
    return c == '?' || c == '&' || c == ';' || c == ' ' || c == '\t';
}

char *rt_url_redact(const char *url)
{
    if (!url)
        return NULL;
    jy_buf b;
    jy_buf_init(&b);
    size_t n = strlen(url), i = 0;
    const char *scheme_end = strstr(url, "://");
    if (scheme_end) {
        size_t auth = (size_t)(scheme_end - url) + 3;
        size_t aend = auth;
        while (aend < n && url[aend] != '/' && url[aend] != '?' && url[aend] != '#')
            aend++;
        /* the userinfo ends at the last '@' of the authority */
        size_t at = aend;
        for (size_t k = auth; k < aend; k++)
            if (url[k] == '@')
                at = k;
        if (at < aend) {
            size_t colon = auth;
            while (colon < at && url[colon] != ':')
                colon++;
            if (colon < at) {
                jy_buf_append(&b, url, colon + 1);
                jy_buf_puts(&b, "***");
                i = at;
            }
        }
    }
    /* password=... in a query string or a keyword/value connection string */
    while (i < n) {
        static const char *const keys[] = {"password=", "passwd=", "pwd="};
        bool hit = false;
        if (i == 0 || is_sep(url[i - 1])) {
            for (size_t k = 0; k < JY_COUNTOF(keys) && !hit; k++) {
                size_t kl = strlen(keys[k]);
                if (strncasecmp(url + i, keys[k], kl) == 0) {
                    jy_buf_append(&b, url + i, kl);
                    jy_buf_puts(&b, "***");
                    i += kl;
                    if (i < n && url[i] == '\'') { /* password='quoted value' */
                        i++;
                        while (i < n && url[i] != '\'')
                            i += (url[i] == '\\' && i + 1 < n) ? 2 : 1;
                        if (i < n)
                            i++;
                    } else {
                        while (i < n && url[i] != '&' && url[i] != '#' && url[i] != ';' &&
                               url[i] != ' ')
                            i++;
                    }
                    hit = true;
                }
            }
        }
        if (!hit)
            jy_buf_putc(&b, url[i++]);
    }
    if (n == 0)
        jy_buf_puts(&b, "");
    if (b.failed) {
        jy_buf_free(&b);
        return NULL;
    }
    return jy_buf_take(&b);
}
