/* introspect_sqlite.c - read a SQLite database's catalog into the schema
 * model: sqlite_schema, pragma table_xinfo / index_list / index_xinfo /
 * foreign_key_list, and the CREATE TABLE text for what the pragmas do not
 * report (CHECK constraints, generated expressions, constraint names). */
#include "driver_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------- a small CREATE scanner */

typedef enum { TK_END, TK_WORD, TK_QUOTED, TK_GROUP, TK_PUNCT } tk_kind;

typedef struct tok {
    tk_kind kind;
    const char *s; /* start in the text */
    size_t n;
} tok;

/* The next token of [*p, end): a word, a quoted name or string, a whole
 * balanced (...) group, or one punctuation character. */
static tok next_tok(const char **pp, const char *end)
{
    const char *p = *pp;
    tok t = {TK_END, p, 0};
    for (;;) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p + 1 < end && p[0] == '-' && p[1] == '-') {
            while (p < end && *p != '\n')
                p++;
            continue;
        }
        if (p + 1 < end && p[0] == '/' && p[1] == '*') {
            p += 2;
            while (p + 1 < end && !(p[0] == '*' && p[1] == '/'))
                p++;
            p = p + 2 <= end ? p + 2 : end;
            continue;
        }
        break;
    }
    t.s = p;
    if (p >= end) {
        *pp = p;
        return t;
    }
    char c = *p;
    if (c == '"' || c == '\'' || c == '`' || c == '[') {
        char close = c == '[' ? ']' : c;
        p++;
        while (p < end) {
            if (*p == close) {
                if (close != ']' && p + 1 < end && p[1] == close) {
                    p += 2;
                    continue;
                }
                break;
            }
            p++;
        }
        if (p < end)
            p++;
        t.kind = TK_QUOTED;
    } else if (c == '(') {
        int depth = 0;
        while (p < end) {
            char x = *p;
            if (x == '\'' || x == '"' || x == '`') {
                p++;
                while (p < end && *p != x)
                    p++;
            } else if (x == '(') {
                depth++;
            } else if (x == ')' && --depth == 0) {
                p++;
                break;
            }
            if (p < end)
                p++;
        }
        t.kind = TK_GROUP;
    } else if (isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80) {
        while (p < end && (isalnum((unsigned char)*p) || *p == '_' || *p == '$' ||
                           (unsigned char)*p >= 0x80))
            p++;
        t.kind = TK_WORD;
    } else {
        p++;
        t.kind = TK_PUNCT;
    }
    t.n = (size_t)(p - t.s);
    *pp = p;
    return t;
}

static bool is_kw(tok t, const char *kw)
{
    return t.kind == TK_WORD && strlen(kw) == t.n && strncasecmp(t.s, kw, t.n) == 0;
}

/* A name token, unquoted, in the arena. */
static char *tok_name(jy_arena *a, tok t)
{
    if (t.kind != TK_QUOTED)
        return jy_arena_strndup(a, t.s, t.n);
    char q = t.s[0] == '[' ? ']' : t.s[0];
    jy_buf b;
    jy_buf_init(&b);
    for (size_t i = 1; i + 1 < t.n; i++) {
        if (t.s[i] == q && q != ']' && i + 2 < t.n && t.s[i + 1] == q)
            i++;
        jy_buf_putc(&b, t.s[i]);
    }
    char *r = jy_arena_strdup(a, b.data ? b.data : "");
    jy_buf_free(&b);
    return r;
}

/* The inside of a (...) group, trimmed, in the arena. */
static char *group_inner(jy_arena *a, tok t)
{
    const char *s = t.s + 1, *e = t.s + t.n - 1;
    while (s < e && isspace((unsigned char)*s))
        s++;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    return jy_arena_strndup(a, s, (size_t)(e - s));
}

/* Split [s, end) at top-level commas; calls fn for each item. */
static void split_items(const char *s, const char *end, void (*fn)(void *, const char *, const char *),
                        void *arg)
{
    const char *p = s, *item = s;
    while (p < end) {
        const char *before = p;
        tok t = next_tok(&p, end);
        if (t.kind == TK_END)
            break;
        if (t.kind == TK_PUNCT && *t.s == ',') {
            fn(arg, item, before + (size_t)(t.s - before));
            item = p;
        }
    }
    if (item < end)
        fn(arg, item, end);
}

typedef struct scan_ctx {
    ir_schema *s;
    ir_table *t;
} scan_ctx;

/* The column names of a "(a, "b c" DESC, ...)" group (first token of each
 * item); returns how many (at most max). */
static size_t group_names(jy_arena *a, tok g, const char **out, size_t max)
{
    const char *p = g.s + 1, *end = g.s + g.n - 1;
    size_t n = 0;
    bool first = true;
    while (p < end && n < max) {
        tok t = next_tok(&p, end);
        if (t.kind == TK_END)
            break;
        if (t.kind == TK_PUNCT && *t.s == ',') {
            first = true;
            continue;
        }
        if (first && (t.kind == TK_WORD || t.kind == TK_QUOTED))
            out[n++] = tok_name(a, t);
        first = false;
    }
    return n;
}

static bool same_cols(const char *const *x, size_t nx, const char *const *y, size_t ny)
{
    if (nx != ny)
        return false;
    for (size_t i = 0; i < nx; i++)
        if (!x[i] || !y[i] || strcmp(x[i], y[i]) != 0)
            return false;
    return true;
}

/* Give the unnamed unique constraint / foreign key on these columns the
 * name the CREATE TABLE text gives it (the pragmas do not report names). */
static void name_unique(ir_table *t, const char *const *cols, size_t n, const char *name)
{
    for (size_t i = 0; i < t->nuniques; i++)
        if (!t->uniques[i]->name && same_cols(t->uniques[i]->columns, t->uniques[i]->ncolumns, cols, n)) {
            t->uniques[i]->name = name;
            return;
        }
}

static void name_fkey(ir_table *t, const char *const *cols, size_t n, const char *name)
{
    for (size_t i = 0; i < t->nfkeys; i++)
        if (!t->fkeys[i]->name && same_cols(t->fkeys[i]->columns, t->fkeys[i]->ncolumns, cols, n)) {
            t->fkeys[i]->name = name;
            return;
        }
}

/* One item of a CREATE TABLE body: a table constraint (we take CHECKs and
 * constraint names) or a column definition (we take CHECKs and GENERATED
 * expressions). */
static void scan_item(void *arg, const char *s, const char *end)
{
    scan_ctx *x = arg;
    jy_arena *a = x->s->arena;
    const char *p = s;
    tok t = next_tok(&p, end);
    if (t.kind == TK_END)
        return;
    const char *cname = NULL;
    if (is_kw(t, "CONSTRAINT") || is_kw(t, "CHECK") || is_kw(t, "PRIMARY") ||
        is_kw(t, "UNIQUE") || is_kw(t, "FOREIGN")) {
        if (is_kw(t, "CONSTRAINT")) {
            cname = tok_name(a, next_tok(&p, end));
            t = next_tok(&p, end);
        }
        if (is_kw(t, "CHECK")) {
            tok g = next_tok(&p, end);
            if (g.kind == TK_GROUP)
                ir_table_add_check(x->s, x->t, cname, group_inner(a, g));
        } else if (is_kw(t, "PRIMARY") && cname) {
            x->t->pk_name = cname;
        } else if (cname && (is_kw(t, "UNIQUE") || is_kw(t, "FOREIGN"))) {
            bool unique = is_kw(t, "UNIQUE");
            tok g = next_tok(&p, end);
            if (!unique && is_kw(g, "KEY"))
                g = next_tok(&p, end);
            const char *cols[64];
            size_t n = g.kind == TK_GROUP ? group_names(a, g, cols, 64) : 0;
            if (n && unique)
                name_unique(x->t, cols, n, cname);
            else if (n)
                name_fkey(x->t, cols, n, cname);
        }
        return;
    }
    /* a column */
    char *col = tok_name(a, t);
    ir_column *c = col ? ir_table_column(x->t, col) : NULL;
    const char *pending = NULL;
    for (;;) {
        tok u = next_tok(&p, end);
        if (u.kind == TK_END)
            break;
        if (is_kw(u, "CONSTRAINT")) {
            pending = tok_name(a, next_tok(&p, end));
            continue;
        }
        if (is_kw(u, "CHECK")) {
            tok g = next_tok(&p, end);
            if (g.kind == TK_GROUP)
                ir_table_add_check(x->s, x->t, pending, group_inner(a, g));
        } else if (is_kw(u, "AS") && c) {
            const char *save = p;
            tok g = next_tok(&p, end);
            if (g.kind == TK_GROUP) {
                c->generated = group_inner(a, g);
                c->generated_virtual = true;
                const char *q = p;
                tok k = next_tok(&q, end);
                if (is_kw(k, "STORED")) {
                    c->generated_virtual = false;
                    p = q;
                } else if (is_kw(k, "VIRTUAL")) {
                    p = q;
                }
            } else {
                p = save;
            }
        } else if (is_kw(u, "PRIMARY") && pending) {
            x->t->pk_name = pending;
        } else if (is_kw(u, "UNIQUE") && pending && col) {
            const char *one[] = {col};
            name_unique(x->t, one, 1, pending);
        } else if (is_kw(u, "REFERENCES") && pending && col) {
            const char *one[] = {col};
            name_fkey(x->t, one, 1, pending);
        }
        pending = NULL;
    }
}

static void scan_create_table(ir_schema *s, ir_table *t, const char *sql)
{
    if (!sql)
        return;
    const char *end = sql + strlen(sql);
    const char *p = sql;
    for (;;) {
        tok t0 = next_tok(&p, end);
        if (t0.kind == TK_END)
            return;
        if (t0.kind == TK_GROUP) {
            scan_ctx x = {s, t};
            split_items(t0.s + 1, t0.s + t0.n - 1, scan_item, &x);
            return;
        }
    }
}

/* The WHERE of a CREATE INDEX, and its column list items. */
static void scan_create_index(jy_arena *a, const char *sql, const char **where, char ***items,
                              size_t *nitems)
{
    *where = NULL;
    *items = NULL;
    *nitems = 0;
    if (!sql)
        return;
    const char *end = sql + strlen(sql);
    const char *p = sql;
    bool on = false;
    for (;;) {
        tok t = next_tok(&p, end);
        if (t.kind == TK_END)
            return;
        if (is_kw(t, "ON"))
            on = true;
        else if (on && t.kind == TK_GROUP) {
            /* the items */
            const char *q = t.s + 1, *e = t.s + t.n - 1, *item = q;
            size_t cap = 0;
            while (q <= e) {
                const char *before = q;
                tok u = q < e ? next_tok(&q, e) : (tok){TK_END, e, 0};
                if (u.kind == TK_END || (u.kind == TK_PUNCT && *u.s == ',')) {
                    const char *ie = u.kind == TK_END ? e : u.s;
                    (void)before;
                    while (item < ie && isspace((unsigned char)*item))
                        item++;
                    while (ie > item && isspace((unsigned char)ie[-1]))
                        ie--;
                    if (*nitems == cap) {
                        size_t nc = cap ? cap * 2 : 4;
                        char **nv = jy_arena_grow(a, *items, *nitems, nc, sizeof *nv);
                        if (!nv)
                            return;
                        *items = nv;
                        cap = nc;
                    }
                    (*items)[(*nitems)++] = jy_arena_strndup(a, item, (size_t)(ie - item));
                    item = q;
                    if (u.kind == TK_END)
                        break;
                }
            }
            tok w = next_tok(&p, end);
            if (is_kw(w, "WHERE")) {
                while (p < end && isspace((unsigned char)*p))
                    p++;
                const char *we = end;
                while (we > p && (isspace((unsigned char)we[-1]) || we[-1] == ';'))
                    we--;
                *where = jy_arena_strndup(a, p, (size_t)(we - p));
            }
            return;
        }
    }
}

/* ------------------------------------------------------------ queries */

static bool is_state_table(const char *n)
{
    return strcmp(n, "joryu_migrations") == 0 || strcmp(n, "joryu_migration_steps") == 0;
}

static int one_table(rt_conn *c, ir_schema *s, const char *name, const char *sql, jy_diags *d)
{
    jy_arena *a = s->arena;
    ir_table *t = ir_schema_add_table(s, name);
    if (!t)
        return -1;
    const char *p1[] = {name};
    rt_rows *r = NULL;
    if (rt_query(c,
                 "SELECT name, type, \"notnull\", dflt_value, pk, hidden "
                 "FROM pragma_table_xinfo(?) ORDER BY cid",
                 p1, 1, &r, d) < 0)
        return -1;
    const char *pkcols[64];
    size_t npk = 0;
    while (rt_rows_next(r)) {
        const char *cn = rt_rows_get(r, 0, NULL), *ty = rt_rows_get(r, 1, NULL);
        ir_type type;
        ir_type_from_sql(a, IR_D_SQLITE, ty ? ty : "", &type);
        ir_column *col = ir_table_add_column(s, t, cn, &type);
        if (!col)
            continue;
        col->db_type = jy_arena_strdup(a, ty ? ty : "");
        col->nullable = strcmp(rt_rows_get(r, 2, NULL), "0") == 0;
        col->def = ir_default_from_sql(a, IR_D_SQLITE, &type, rt_rows_get(r, 3, NULL), false);
        int pk = atoi(rt_rows_get(r, 4, NULL));
        if (pk > 0 && pk <= 64) {
            pkcols[pk - 1] = col->name;
            if ((size_t)pk > npk)
                npk = (size_t)pk;
        }
    }
    rt_rows_free(r);
    if (npk)
        ir_table_set_pk(s, t, NULL, pkcols, npk);
    if (sql) {
        const char *q = sql;
        bool autoinc = false;
        const char *end = sql + strlen(sql);
        for (tok k; (k = next_tok(&q, end)).kind != TK_END;)
            if (is_kw(k, "AUTOINCREMENT"))
                autoinc = true;
        if (autoinc && npk == 1)
            ir_table_column(t, pkcols[0])->identity = IR_IDENT_AUTO;
    }

    /* indexes and unique constraints */
    if (rt_query(c, "SELECT l.name, l.\"unique\", l.origin, m.sql FROM pragma_index_list(?) l "
                    "LEFT JOIN sqlite_schema m ON m.type = 'index' AND m.name = l.name "
                    "ORDER BY l.name",
                 p1, 1, &r, d) < 0)
        return -1;
    while (rt_rows_next(r)) {
        const char *iname = rt_rows_get(r, 0, NULL);
        bool unique = strcmp(rt_rows_get(r, 1, NULL), "1") == 0;
        const char *origin = rt_rows_get(r, 2, NULL);
        const char *isql = rt_rows_get(r, 3, NULL);
        if (strcmp(origin, "pk") == 0)
            continue;
        const char *p2[] = {iname};
        rt_rows *cr = NULL;
        if (rt_query(c, "SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno", p2,
                     1, &cr, d) < 0) {
            rt_rows_free(r);
            return -1;
        }
        const char *where = NULL;
        char **items = NULL;
        size_t nitems = 0;
        scan_create_index(a, isql, &where, &items, &nitems);
        const char **cols = jy_arena_calloc(a, cr->nrows ? cr->nrows : 1, sizeof *cols);
        size_t n = 0;
        while (cols && rt_rows_next(cr)) {
            const char *cn = rt_rows_get(cr, 0, NULL);
            if (cn)
                cols[n] = jy_arena_strdup(a, cn);
            else /* an expression: take it from the CREATE INDEX text */
                cols[n] = n < nitems ? items[n] : "?";
            n++;
        }
        rt_rows_free(cr);
        if (strcmp(origin, "u") == 0)
            ir_table_add_unique(s, t, NULL, cols, n);
        else
            ir_table_add_index(s, t, iname, unique, cols, n, where, NULL);
    }
    rt_rows_free(r);

    /* foreign keys */
    if (rt_query(c,
                 "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
                 "FROM pragma_foreign_key_list(?) ORDER BY id, seq",
                 p1, 1, &r, d) < 0)
        return -1;
    size_t i = 0;
    while (i < r->nrows) {
        const char *id = rt_rows_cell(r, i, 0);
        size_t j = i;
        while (j < r->nrows && strcmp(rt_rows_cell(r, j, 0), id) == 0)
            j++;
        size_t n = j - i;
        const char **from = jy_arena_calloc(a, n, sizeof *from);
        const char **to = jy_arena_calloc(a, n, sizeof *to);
        bool to_pk = false;
        for (size_t k = 0; from && to && k < n; k++) {
            from[k] = rt_rows_cell(r, i + k, 2);
            to[k] = rt_rows_cell(r, i + k, 3);
            if (!to[k])
                to_pk = true;
        }
        const char *rt = rt_rows_cell(r, i, 1);
        ir_fk_action ou = IR_FK_NO_ACTION, od = IR_FK_NO_ACTION;
        ir_fk_action_parse(rt_rows_cell(r, i, 4), &ou);
        ir_fk_action_parse(rt_rows_cell(r, i, 5), &od);
        if (from && to) {
            size_t nref = n;
            if (to_pk) {
                /* REFERENCES t without columns: its primary key, read later */
                nref = 0;
            }
            ir_table_add_fkey(s, t, NULL, from, n, rt, to, nref, od, ou);
        }
        i = j;
    }
    rt_rows_free(r);
    /* what only the CREATE TABLE text tells: checks, generated columns,
     * constraint names */
    scan_create_table(s, t, sql);
    return 0;
}

int rt__introspect_sqlite(rt_conn *c, ir_schema *s, jy_diags *d)
{
    rt_rows *r = NULL;
    if (rt_query(c,
                 "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                 "WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                 "ORDER BY type, name",
                 NULL, 0, &r, d) < 0)
        return -1;
    int rc = 0;
    while (rc == 0 && rt_rows_next(r)) {
        const char *type = rt_rows_get(r, 0, NULL), *name = rt_rows_get(r, 1, NULL);
        const char *tbl = rt_rows_get(r, 2, NULL), *sql = rt_rows_get(r, 3, NULL);
        if (strcmp(type, "table") == 0) {
            if (!is_state_table(name) && (!sql || strncasecmp(sql, "CREATE VIRTUAL", 14) != 0))
                rc = one_table(c, s, name, sql, d);
        } else if (strcmp(type, "view") == 0) {
            ir_schema_add_object(s, IR_OBJ_VIEW, name, NULL, sql);
        } else if (!is_state_table(tbl)) {
            ir_schema_add_object(s, IR_OBJ_TRIGGER, name, tbl, sql);
        }
    }
    rt_rows_free(r);
    /* foreign keys written without columns reference the primary key */
    for (size_t i = 0; i < s->ntables; i++) {
        ir_table *t = s->tables[i];
        for (size_t j = 0; j < t->nfkeys; j++) {
            ir_fkey *f = t->fkeys[j];
            ir_table *rt = ir_schema_table(s, f->ref_table);
            if (f->nref_columns == 0 && rt) {
                f->ref_columns = rt->pk;
                f->nref_columns = rt->npk;
            }
        }
    }
    if (rc == 0 && jy_arena_failed(s->arena)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.introspect", NULL,
                      "out of memory while reading the catalog of %s", c->url.redacted);
        return -1;
    }
    return rc;
}

int rt__introspect_sqlite_table(rt_conn *c, const char *table, ir_schema *s, jy_diags *d)
{
    if (!table)
        return rt__introspect_sqlite(c, s, d);
    if (is_state_table(table) || ir_schema_table(s, table))
        return 0;
    const char *p1[] = {table};
    rt_rows *r = NULL;
    if (rt_query(c, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", p1, 1, &r,
                 d) < 0)
        return -1;
    int rc = 0;
    if (rt_rows_next(r)) {
        const char *sql = rt_rows_get(r, 0, NULL);
        if (!sql || strncasecmp(sql, "CREATE VIRTUAL", 14) != 0)
            rc = one_table(c, s, table, sql, d);
    }
    rt_rows_free(r);
    /* foreign keys written without columns reference the primary key of
     * the other table: read just that */
    ir_table *t = rc == 0 ? ir_schema_table(s, table) : NULL;
    for (size_t j = 0; t && rc == 0 && j < t->nfkeys; j++) {
        ir_fkey *f = t->fkeys[j];
        if (f->nref_columns)
            continue;
        const char *p2[] = {f->ref_table};
        if (rt_query(c, "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", p2, 1,
                     &r, d) < 0)
            return -1;
        const char **cols = jy_arena_calloc(s->arena, r->nrows + 1, sizeof *cols);
        for (size_t k = 0; cols && k < r->nrows; k++)
            cols[k] = jy_arena_strdup(s->arena, rt_rows_cell(r, k, 0));
        if (cols) {
            f->ref_columns = cols;
            f->nref_columns = r->nrows;
        }
        rt_rows_free(r);
    }
    if (rc == 0 && jy_arena_failed(s->arena)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.introspect", NULL,
                      "out of memory while reading the catalog of %s", c->url.redacted);
        return -1;
    }
    return rc;
}
