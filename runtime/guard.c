/*
 * guard.c - ensure guards against the live catalog (reference §9.4, §9.5;
 * docs/SPEC.md "Guards").  A guard is the JSON the backends store in each
 * step (backends/guard.c describes its shape).  rt_guard_eval introspects
 * the tables the guard names, normalizes them for the guard's dialect as
 * the schema snapshot does (ir_schema_to_json), and compares each check's
 * wanted fragment with the live one, so abstract types compare equal
 * across their renderings (TEXT vs LONGTEXT, BOOLEAN vs TINYINT(1)).
 */
#include "driver_int.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ introspection */

/*
 * Placeholder 1 spelled for the connection: $1 on PostgreSQL, ? elsewhere.
 * The condition goes before the last top-level " ORDER BY " of sql (the
 * catalog queries end with one), or at the end.
 */
int rt__query_for_table(rt_conn *c, const char *sql, const char *col, const char *table,
                        rt_rows **r, jy_diags *d)
{
    if (!table)
        return rt_query(c, sql, NULL, 0, r, d);
    const char *cut = NULL;
    for (const char *p = strstr(sql, " ORDER BY "); p; p = strstr(p + 1, " ORDER BY "))
        cut = p;
    size_t at = cut ? (size_t)(cut - sql) : strlen(sql);
    char ph[16];
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_printf(&b, "%.*s AND %s = %s%s", (int)at, sql, col, rt_placeholder(c, 1, ph),
                  sql + at);
    if (b.failed) {
        jy_buf_free(&b);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.introspect", NULL,
                      "out of memory while reading the catalog");
        return -1;
    }
    const char *params[1] = {table};
    int rc = rt_query(c, b.data, params, 1, r, d);
    jy_buf_free(&b);
    return rc;
}

/*
 * One table, read by the same code as rt_introspect with the catalog
 * queries restricted to it (so a guard sees exactly what the snapshot
 * sees, at the cost of one table).  Tables already in s are not read again.
 */
int rt_introspect_table(rt_conn *c, const char *table, ir_schema *s, jy_diags *d)
{
    if (!table || ir_schema_table(s, table))
        return 0;
    switch (c->url.kind) {
    case RT_DB_SQLITE: return rt__introspect_sqlite_table(c, table, s, d);
    case RT_DB_POSTGRESQL: return rt__introspect_pg_tables(c, table, s, d);
    default: return rt__introspect_mysql_tables(c, table, s, d);
    }
}

/* ------------------------------------------------------------ JSON */

/* The normalized JSON of table t alone as dialect dl gives it back (a new
 * reference), or NULL when t is NULL or out of memory. */
static json_t *table_json(const ir_table *t, ir_dialect dl)
{
    if (!t)
        return NULL;
    ir_schema *v = ir_schema_new(NULL);
    if (!v)
        return NULL;
    ir_table *one = (ir_table *)t;
    v->tables = &one;
    v->ntables = 1;
    char *text = ir_schema_to_json(v, dl);
    v->tables = NULL;
    v->ntables = 0;
    ir_schema_free(v);
    if (!text)
        return NULL;
    json_t *root = json_loads(text, 0, NULL);
    free(text);
    json_t *tj = json_incref(json_array_get(json_object_get(root, "tables"), 0));
    json_decref(root);
    return tj;
}

static json_t *find_in(json_t *tj, const char *list, json_t *key)
{
    json_t *arr = json_object_get(tj, list);
    size_t i;
    json_t *el;
    json_array_foreach(arr, i, el) {
        const char *k;
        json_t *v;
        bool ok = true;
        json_object_foreach(key, k, v) {
            if (!json_equal(json_object_get(el, k), v)) {
                ok = false;
                break;
            }
        }
        if (ok)
            return el;
    }
    return NULL;
}

static const char *jget(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* ------------------------------------------------------------ descriptions */

/* A database's spelling of a type for messages: upper case, PostgreSQL's
 * long names shortened. */
static void db_type_text(jy_buf *b, const char *t)
{
    static const char *const longn[][2] = {
        {"character varying", "varchar"},
        {"timestamp without time zone", "timestamp"},
        {"timestamp with time zone", "timestamptz"},
        {"time without time zone", "time"},
    };
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", t ? t : "?");
    for (size_t i = 0; i < sizeof longn / sizeof *longn; i++) {
        size_t n = strlen(longn[i][0]);
        if (strncmp(tmp, longn[i][0], n) == 0) {
            char rest[256];
            snprintf(rest, sizeof rest, "%s%s", longn[i][1], tmp + n);
            snprintf(tmp, sizeof tmp, "%s", rest);
            break;
        }
    }
    for (char *p = tmp; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    jy_buf_puts(b, tmp);
}

static void default_text(jy_buf *b, json_t *df)
{
    if (!json_is_object(df)) {
        jy_buf_puts(b, "without default");
        return;
    }
    const char *k = jget(df, "kind"), *v = jget(df, "value");
    if (k && !strcmp(k, "now"))
        jy_buf_puts(b, "DEFAULT CURRENT_TIMESTAMP");
    else if (k && !strcmp(k, "string"))
        jy_buf_printf(b, "DEFAULT '%s'", v ? v : "");
    else if (k && !strcmp(k, "sql"))
        jy_buf_printf(b, "DEFAULT (%s)", v ? v : "");
    else
        jy_buf_printf(b, "DEFAULT %s", v ? v : "?");
}

/* The attributes of column fragment col that differ from other, as text
 * (type first: type_text). */
static void column_text(jy_buf *b, json_t *col, json_t *other, const char *type_text)
{
    size_t n0 = b->len;
#define SEP() (b->len > n0 ? jy_buf_putc(b, ' ') : (void)0)
    if (!json_equal(json_object_get(col, "type"), json_object_get(other, "type"))) {
        SEP();
        jy_buf_puts(b, type_text);
    }
    if (!json_equal(json_object_get(col, "nullable"), json_object_get(other, "nullable"))) {
        SEP();
        jy_buf_puts(b, json_is_true(json_object_get(col, "nullable")) ? "NULL" : "NOT NULL");
    }
    if (!json_equal(json_object_get(col, "default"), json_object_get(other, "default"))) {
        SEP();
        default_text(b, json_object_get(col, "default"));
    }
    json_t *g = json_object_get(col, "generated");
    if (!json_equal(g, json_object_get(other, "generated"))) {
        SEP();
        if (json_is_object(g))
            jy_buf_printf(b, "GENERATED AS (%s)", jget(g, "expr") ? jget(g, "expr") : "?");
        else
            jy_buf_puts(b, "not generated");
    }
    if (!json_equal(json_object_get(col, "identity"), json_object_get(other, "identity"))) {
        SEP();
        const char *i = jget(col, "identity");
        if (i && strcmp(i, "none") != 0)
            jy_buf_printf(b, "with identity (%s)", i);
        else
            jy_buf_puts(b, "without identity");
    }
    json_t *cm = json_object_get(col, "comment");
    if (!json_equal(cm, json_object_get(other, "comment"))) {
        SEP();
        if (json_is_string(cm))
            jy_buf_printf(b, "COMMENT '%s'", json_string_value(cm));
        else
            jy_buf_puts(b, "without comment");
    }
#undef SEP
}

static void names_text(jy_buf *b, json_t *arr)
{
    jy_buf_putc(b, '(');
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) jy_buf_printf(b, "%s%s", i ? ", " : "",
                                                json_is_string(v) ? json_string_value(v) : "?");
    jy_buf_putc(b, ')');
}

/* An index or constraint fragment as text (what list it is in says what
 * it is). */
static void named_text(jy_buf *b, const char *list, json_t *o)
{
    if (!strcmp(list, "indexes")) {
        jy_buf_puts(b, json_is_true(json_object_get(o, "unique")) ? "a UNIQUE index on " : "an index on ");
        names_text(b, json_object_get(o, "columns"));
        if (jget(o, "where"))
            jy_buf_printf(b, " WHERE %s", jget(o, "where"));
        if (jget(o, "method"))
            jy_buf_printf(b, " USING %s", jget(o, "method"));
    } else if (!strcmp(list, "unique_constraints")) {
        jy_buf_puts(b, "UNIQUE ");
        names_text(b, json_object_get(o, "columns"));
    } else if (!strcmp(list, "foreign_keys")) {
        jy_buf_puts(b, "FOREIGN KEY ");
        names_text(b, json_object_get(o, "columns"));
        jy_buf_printf(b, " REFERENCES %s ", jget(o, "ref_table") ? jget(o, "ref_table") : "?");
        names_text(b, json_object_get(o, "ref_columns"));
        jy_buf_printf(b, " ON DELETE %s ON UPDATE %s",
                      jget(o, "on_delete") ? jget(o, "on_delete") : "?",
                      jget(o, "on_update") ? jget(o, "on_update") : "?");
    } else {
        jy_buf_printf(b, "CHECK (%s)", jget(o, "expr") ? jget(o, "expr") : "?");
    }
}

/* The differences of two table fragments (live, want), "; "-separated. */
static void table_diff(jy_buf *b, json_t *live, json_t *want, const ir_table *lt)
{
    size_t n0 = b->len;
#define SEP() (b->len > n0 ? jy_buf_puts(b, "; ") : (void)0)
    json_t *lc = json_object_get(live, "columns"), *wc = json_object_get(want, "columns");
    size_t i;
    json_t *c;
    json_array_foreach(lc, i, c) {
        json_t *key = json_pack("{s:O}", "name", json_object_get(c, "name"));
        json_t *w = find_in(want, "columns", key);
        json_decref(key);
        const char *cn = jget(c, "name");
        if (!w) {
            SEP();
            jy_buf_printf(b, "column %s only in the database", cn);
        } else if (!json_equal(c, w)) {
            SEP();
            jy_buf tt;
            jy_buf_init(&tt);
            const ir_column *col = lt ? ir_table_column(lt, cn) : NULL;
            db_type_text(&tt, col ? col->db_type : NULL);
            jy_buf_printf(b, "column %s is ", cn);
            column_text(b, c, w, tt.data ? tt.data : "?");
            jy_buf_puts(b, " in the database, ");
            jy_buf_free(&tt);
            json_t *ty = json_object_get(json_object_get(w, "type"), "name");
            column_text(b, w, c, json_is_string(ty) ? json_string_value(ty) : "?");
            jy_buf_puts(b, " in the migration");
        }
    }
    json_array_foreach(wc, i, c) {
        json_t *key = json_pack("{s:O}", "name", json_object_get(c, "name"));
        if (!find_in(live, "columns", key)) {
            SEP();
            jy_buf_printf(b, "column %s missing", jget(c, "name"));
        }
        json_decref(key);
    }
    static const char *const rest[] = {"primary_key", "unique_constraints", "indexes",
                                       "foreign_keys", "checks", "comment"};
    for (size_t k = 0; k < sizeof rest / sizeof *rest; k++)
        if (!json_equal(json_object_get(live, rest[k]), json_object_get(want, rest[k]))) {
            SEP();
            jy_buf_printf(b, "%s differ", rest[k]);
        }
    if (b->len == n0)
        jy_buf_puts(b, "the tables differ");
#undef SEP
}

/* ------------------------------------------------------------ evaluation */

typedef enum { ST_DONE, ST_TODO, ST_DIFF, ST_BAD } state;

typedef struct live {
    rt_conn *c;
    jy_diags *d;
    ir_dialect dl;
    ir_schema *s;
} live;

/*
 * Index names are schema-wide on PostgreSQL and SQLite (per table on
 * MySQL): the table that has an index named `name` in the database when it
 * is not `table`, malloc'd; NULL when none, on MySQL, or when the catalog
 * cannot say (the step then meets the database's own error).
 */
static char *index_elsewhere(live *L, const char *name, const char *table)
{
    const char *sql;
    switch (L->c->url.kind) {
    case RT_DB_POSTGRESQL:
        sql = "SELECT t.relname FROM pg_index i "
              "JOIN pg_class x ON x.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
              "JOIN pg_namespace n ON n.oid = x.relnamespace "
              "WHERE n.nspname = current_schema() AND x.relname = $1";
        break;
    case RT_DB_SQLITE:
        sql = "SELECT tbl_name FROM sqlite_schema WHERE type = 'index' AND name = ?";
        break;
    default:
        return NULL;
    }
    jy_diags quiet;
    jy_diags_init(&quiet);
    rt_rows *r = NULL;
    const char *params[1] = {name};
    char *other = NULL;
    if (rt_query(L->c, sql, params, 1, &r, &quiet) == 0 && rt_rows_next(r)) {
        const char *tn = rt_rows_get(r, 0, NULL);
        if (tn && strcmp(tn, table) != 0) {
            size_t n = strlen(tn) + 1;
            if ((other = malloc(n)))
                memcpy(other, tn, n);
        }
    }
    rt_rows_free(r);
    jy_diags_free(&quiet);
    return other;
}

/* The live table's normalized JSON (new reference) or NULL when absent. */
static json_t *live_table(live *L, const char *name, const ir_table **t)
{
    *t = name ? ir_schema_table(L->s, name) : NULL;
    return table_json(*t, L->dl);
}

/*
 * One check: its state, and for DIFF and BAD a message appended to msg
 * (DIFF also appends its reconcile statements to rec when it has some;
 * *can_reconcile false when it has none).
 */
static state eval_check(live *L, json_t *ck, jy_buf *msg, json_t *rec, bool *can_reconcile,
                        jy_buf *why)
{
    const char *expect = jget(ck, "expect"), *kind = jget(ck, "kind");
    const char *table = jget(ck, "table"), *name = jget(ck, "name");
    const char *op = jget(ck, "op") ? jget(ck, "op") : "?";
    if (!expect || !kind || !table)
        return ST_BAD;
    if (!strcmp(expect, "renamed")) {
        const char *from = jget(ck, "from"), *to = jget(ck, "to");
        if (!from || !to)
            return ST_BAD;
        bool has_from, has_to;
        if (!strcmp(kind, "table")) {
            has_from = ir_schema_table(L->s, from) != NULL;
            has_to = ir_schema_table(L->s, to) != NULL;
        } else {
            const ir_table *t = ir_schema_table(L->s, table);
            if (!t) {
                jy_buf_printf(msg, "table %s does not exist in the database; the migration "
                                   "renames its column %s to %s", table, from, to);
                return ST_BAD;
            }
            has_from = ir_table_column(t, from) != NULL;
            has_to = ir_table_column(t, to) != NULL;
        }
        const char *pre = strcmp(kind, "table") ? table : NULL;
        if (has_to && !has_from)
            return ST_DONE;
        if (has_from && !has_to)
            return ST_TODO;
        *can_reconcile = false;
        if (has_from && has_to) {
            jy_buf_printf(msg, "%s%s%s and %s%s%s both exist in the database; the migration "
                               "renames %s to %s", pre ? pre : "", pre ? "." : "", from,
                          pre ? pre : "", pre ? "." : "", to, from, to);
            return ST_DIFF;
        }
        jy_buf_printf(msg, "neither %s%s%s nor %s%s%s exists in the database; the migration "
                           "renames %s to %s", pre ? pre : "", pre ? "." : "", from,
                      pre ? pre : "", pre ? "." : "", to, from, to);
        return ST_BAD;
    }
    bool absent = !strcmp(expect, "absent"), shape = !strcmp(expect, "shape");
    const ir_table *lt = NULL;
    json_t *tj = live_table(L, table, &lt);
    json_t *want = json_object_get(ck, "want");
    if (!want) /* tables: the whole ir_schema_to_json document of the table */
        want = json_array_get(json_object_get(json_object_get(ck, "want_doc"), "tables"), 0);
    const char *verb = jget(ck, "verb") ? jget(ck, "verb") : "wants it as";
    state st;
    if (!strcmp(kind, "table")) {
        if (!tj)
            st = absent ? ST_DONE : ST_TODO;
        else if (absent)
            st = ST_TODO;
        else if (json_equal(tj, want))
            st = ST_DONE;
        else {
            jy_buf_printf(msg, "table %s exists in the database with another shape (", table);
            table_diff(msg, tj, want, lt);
            jy_buf_printf(msg, "); the migration %s%s", op[0] == 'd' ? "restores" : "creates",
                          " it");
            *can_reconcile = false;
            if (jget(ck, "reconcile_why") && !why->len)
                jy_buf_puts(why, jget(ck, "reconcile_why"));
            st = ST_DIFF;
        }
        json_decref(tj);
        return st;
    }
    const char *list = jget(ck, "list");
    json_t *key = json_object_get(ck, "key");
    json_t *cur = tj && list && key ? find_in(tj, list, key) : NULL;
    /* an index or constraint of that name may be of another kind live */
    const char *cur_list = list;
    if (!cur && tj && strcmp(kind, "column") && json_is_string(json_object_get(key, "name"))) {
        static const char *const lists[] = {"indexes", "unique_constraints", "foreign_keys",
                                            "checks"};
        for (size_t i = 0; !cur && i < 4; i++)
            if ((cur = find_in(tj, lists[i], key)))
                cur_list = lists[i];
    }
    const char *what = !strcmp(kind, "column") ? "" : !strcmp(kind, "index") ? "index " : "constraint ";
    /* an index wanted on this table whose name another table holds */
    char *elsewhere = !cur && !absent && !shape && !strcmp(kind, "index") && name
                          ? index_elsewhere(L, name, table)
                          : NULL;
    if (elsewhere) {
        jy_buf_printf(msg, "index %s is on table %s in the database (index names are "
                           "schema-wide on %s); the migration %s on %s",
                      name, elsewhere, ir_dialect_name(L->dl),
                      op[0] == 'd' ? "restores it" : "creates it", table);
        free(elsewhere);
        *can_reconcile = false;
        if (!why->len)
            jy_buf_puts(why, "the index belongs to another table");
        st = ST_DIFF;
    } else if (!cur) {
        if (shape && !json_is_true(json_object_get(ck, "missing_ok"))) {
            jy_buf_printf(msg, "%s%s.%s does not exist in the database; op.%s changes an "
                          "existing column", what, table, name ? name : "?", op);
            st = ST_BAD;
        } else
            st = absent ? ST_DONE : ST_TODO;
    } else if (absent) {
        st = ST_TODO;
    } else if (json_equal(cur, want) && !strcmp(cur_list, list)) {
        st = ST_DONE;
    } else if (shape) {
        st = ST_TODO; /* alter_column: not yet in the desired state */
    } else {
        st = ST_DIFF;
        if (!strcmp(kind, "column")) {
            const ir_column *col = lt ? ir_table_column(lt, name) : NULL;
            jy_buf tt;
            jy_buf_init(&tt);
            db_type_text(&tt, col ? col->db_type : NULL);
            jy_buf_printf(msg, "%s.%s is ", table, name);
            column_text(msg, cur, want, tt.data ? tt.data : "?");
            jy_buf_printf(msg, " in the database; the migration %s ", verb);
            jy_buf_free(&tt);
            column_text(msg, want, cur, jget(ck, "want_sql") ? jget(ck, "want_sql") : "?");
        } else {
            jy_buf_printf(msg, "%s%s on %s is ", what, name ? name : "?", table);
            named_text(msg, cur_list, cur);
            jy_buf_printf(msg, " in the database; the migration %s ", verb);
            named_text(msg, list, want);
        }
        json_t *r = json_object_get(ck, "reconcile");
        /* checks of a block may share one statement list (a SQLite table
         * rebuild): run it once */
        bool dup = false;
        for (size_t i = 0, n = json_array_size(r); !dup && n && i + n <= json_array_size(rec); i++) {
            bool same = true;
            for (size_t k = 0; same && k < n; k++)
                same = json_equal(json_array_get(rec, i + k), json_array_get(r, k));
            dup = same;
        }
        if (!json_array_size(r)) {
            *can_reconcile = false;
            if (jget(ck, "reconcile_why") && !why->len)
                jy_buf_puts(why, jget(ck, "reconcile_why"));
        } else if (!dup)
            json_array_extend(rec, r);
    }
    json_decref(tj);
    return st;
}

static int invalid(jy_diags *d, const char *why)
{
    jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.guard-invalid", NULL,
                  "the step's guard cannot be read (%s): rebuild the bundle with this joryu", why);
    return -1;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *r = malloc(n);
    if (r)
        memcpy(r, s, n);
    return r;
}

int rt_guard_eval(rt_conn *c, const char *guard_json, rt_guard_result *r, jy_diags *d)
{
    memset(r, 0, sizeof *r);
    r->outcome = RT_GUARD_RUN;
    if (!guard_json)
        return 0;
    json_error_t err;
    json_t *g = json_loads(guard_json, 0, &err);
    if (!g)
        return invalid(d, err.text);
    const char *fmt = jget(g, "format"), *dn = jget(g, "dialect");
    const char *onm = jget(g, "on_mismatch") ? jget(g, "on_mismatch") : "error";
    json_t *checks = json_object_get(g, "checks"), *tables = json_object_get(g, "tables");
    ir_dialect dl;
    if (!fmt || strcmp(fmt, "joryu.guard/1") != 0 || !dn ||
        !ir_dialect_parse(dn, strlen(dn), &dl) || !json_is_array(checks) ||
        !json_is_array(tables)) {
        json_decref(g);
        return invalid(d, "not a joryu.guard/1 document");
    }
    live L = {c, d, dl, ir_schema_new(NULL)};
    if (!L.s) {
        json_decref(g);
        return invalid(d, "out of memory");
    }
    size_t i;
    json_t *v;
    json_array_foreach(tables, i, v) {
        if (!json_is_string(v) || rt_introspect_table(c, json_string_value(v), L.s, d)) {
            ir_schema_free(L.s);
            json_decref(g);
            if (!json_is_string(v))
                return invalid(d, "a table name is not a string");
            return -1;
        }
    }
    /* ndone counts the checks done that say the step ran; an alter_column
     * already in its desired state ("shape") says nothing about that */
    size_t ndone = 0, nneutral = 0, ntodo = 0, ndiff = 0, nbad = 0, n = json_array_size(checks);
    jy_buf msg, done_txt, todo_txt, why;
    jy_buf_init(&why);
    jy_buf_init(&msg);
    jy_buf_init(&done_txt);
    jy_buf_init(&todo_txt);
    json_t *rec = json_array();
    bool can_reconcile = true;
    json_array_foreach(checks, i, v) {
        jy_buf one;
        jy_buf_init(&one);
        state st = eval_check(&L, v, &one, rec, &can_reconcile, &why);
        const char *opn = jget(v, "op") ? jget(v, "op") : "?";
        const char *tn = jget(v, "table") ? jget(v, "table") : "?";
        const char *on = jget(v, "name") ? jget(v, "name") : "";
        switch (st) {
        case ST_DONE:
            if (jget(v, "expect") && !strcmp(jget(v, "expect"), "shape"))
                nneutral++;
            else
                ndone++;
            jy_buf_printf(&done_txt, "%s%s %s%s%s", done_txt.len ? ", " : "", opn, tn,
                          strcmp(tn, on) && *on ? "." : "", strcmp(tn, on) ? on : "");
            break;
        case ST_TODO:
            ntodo++;
            jy_buf_printf(&todo_txt, "%s%s %s%s%s", todo_txt.len ? ", " : "", opn, tn,
                          strcmp(tn, on) && *on ? "." : "", strcmp(tn, on) ? on : "");
            break;
        case ST_DIFF:
        case ST_BAD:
            if (st == ST_DIFF)
                ndiff++;
            else
                nbad++;
            if (!one.len)
                jy_buf_printf(&one, "the guard's check %zu of op.%s is malformed", i + 1, opn);
            jy_buf_printf(&msg, "%s%s", msg.len ? "; " : "", one.data);
            break;
        }
        jy_buf_free(&one);
    }
    char *detail = NULL;
    rt_guard_outcome out;
    bool block = n > 1;
    if (nbad) {
        out = RT_GUARD_DRIFT;
        detail = jy_buf_take(&msg);
    } else if (ndiff == 0 && ntodo == 0) {
        out = RT_GUARD_SKIP;
        jy_buf b;
        jy_buf_init(&b);
        jy_buf_printf(&b, "already done: %s", done_txt.data ? done_txt.data : "");
        detail = jy_buf_take(&b);
    } else if (ndiff == 0 && ndone == 0) {
        out = RT_GUARD_RUN;
    } else {
        /* another shape, or a block partly applied */
        jy_buf b;
        jy_buf_init(&b);
        if (msg.len)
            jy_buf_puts(&b, msg.data);
        bool partial = ntodo > 0 && (ndone > 0 || ndiff > 0);
        if (partial && block)
            jy_buf_printf(&b, "%sthe op.batch block is partly applied (done: %s; not done: %s)",
                          b.len ? "; " : "", done_txt.len ? done_txt.data : "none",
                          todo_txt.data ? todo_txt.data : "");
        if (!strcmp(onm, "skip")) {
            out = RT_GUARD_SKIP_DRIFT;
        } else if (!strcmp(onm, "alter") && !partial && can_reconcile && json_array_size(rec)) {
            out = RT_GUARD_RECONCILE;
        } else {
            out = RT_GUARD_DRIFT;
            if (!strcmp(onm, "alter")) {
                if (partial)
                    jy_buf_puts(&b, " (on_mismatch=\"alter\" cannot finish a partly applied block)");
                else
                    jy_buf_printf(&b, " (on_mismatch=\"alter\" cannot reconcile this%s%s)",
                                  why.len ? ": " : "", why.len ? why.data : "");
            }
        }
        detail = jy_buf_take(&b);
    }
    jy_buf_free(&msg);
    jy_buf_free(&why);
    jy_buf_free(&done_txt);
    jy_buf_free(&todo_txt);
    r->outcome = out;
    r->detail = detail;
    int rc = 0;
    if (out == RT_GUARD_RECONCILE) {
        size_t k = json_array_size(rec);
        r->sql = calloc(k, sizeof *r->sql);
        for (size_t q = 0; r->sql && q < k; q++) {
            const char *s = json_string_value(json_array_get(rec, q));
            r->sql[q] = xstrdup(s ? s : "");
            if (!r->sql[q])
                break;
            r->nsql++;
        }
        if (r->nsql != k)
            rc = invalid(d, "out of memory");
    }
    json_decref(rec);
    ir_schema_free(L.s);
    json_decref(g);
    if (rc) {
        rt_guard_result_free(r);
        return -1;
    }
    return 0;
}

void rt_guard_result_free(rt_guard_result *r)
{
    if (!r)
        return;
    free(r->detail);
    for (size_t i = 0; i < r->nsql; i++)
        free(r->sql[i]);
    free(r->sql);
    memset(r, 0, sizeof *r);
}
