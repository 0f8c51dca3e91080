/*
 * sema_kinds.c - the argument kinds of the op catalogue (ir_arg_kind):
 * names, SQL, per-dialect SQL dicts, choices, row lists, and the tuple
 * shapes of op.declare_schema_change.
 */
#include "sema_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------- kind checks */

bool sm_ident_ok(sema *s, const ir_value *v, const char *what)
{
    if (v->kind != IR_V_STR) {
        sm_err(s, "sema.argument-kind", v->start, v->end, "%s must be a string, not %s", what,
               sm_value_kind_name(v));
        return false;
    }
    if (v->u.str.len == 0) {
        sm_err(s, "sema.identifier", v->start, v->end, "%s cannot be empty", what);
        return false;
    }
    if (strlen(v->u.str.s) != v->u.str.len) {
        sm_err(s, "sema.identifier", v->start, v->end, "%s holds a NUL byte", what);
        return false;
    }
    if (v->u.str.len > SM_IDENT_MAX) {
        jy_diag *g = sm_err(s, "sema.identifier", v->start, v->end,
                            "%s is %zu bytes long; names are at most %d bytes", what,
                            v->u.str.len, SM_IDENT_MAX);
        jy_diag_hint(g, "PostgreSQL truncates longer names and MySQL refuses them");
        return false;
    }
    return true;
}

bool sm_sql_ok(sema *s, const ir_value *v, const char *what)
{
    if (v->kind != IR_V_STR) {
        sm_err(s, "sema.argument-kind", v->start, v->end, "%s must be a SQL string, not %s", what,
               sm_value_kind_name(v));
        return false;
    }
    for (size_t i = 0; i < v->u.str.len; i++)
        if (v->u.str.s[i] != ' ' && v->u.str.s[i] != '\t' && v->u.str.s[i] != '\n' &&
            v->u.str.s[i] != '\r')
            return true;
    sm_err(s, "sema.empty-sql", v->start, v->end, "%s is empty", what);
    return false;
}

static int cmp_strp(const void *a, const void *b)
{
    const ir_value *x = *(ir_value *const *)a, *y = *(ir_value *const *)b;
    int c = strcmp(x->u.str.s, y->u.str.s);
    if (c)
        return c;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Report the first duplicate among string values (sorted copy: n log n). */
bool sm_no_duplicates(sema *s, ir_value **items, size_t n, const char *what)
{
    if (n < 2)
        return true;
    ir_value **tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        return true;
    memcpy(tmp, items, n * sizeof *tmp);
    qsort(tmp, n, sizeof *tmp, cmp_strp);
    bool ok = true;
    for (size_t i = 1; i < n && ok; i++)
        if (strcmp(tmp[i]->u.str.s, tmp[i - 1]->u.str.s) == 0) {
            sm_err(s, "sema.duplicate-name", tmp[i]->start, tmp[i]->end,
                   "%s \"%s\" is given twice", what, tmp[i]->u.str.s);
            ok = false;
        }
    free(tmp);
    return ok;
}

static bool ident_list_ok(sema *s, const ir_value *v, const char *what)
{
    if (v->kind != IR_V_LIST && v->kind != IR_V_TUPLE) {
        jy_diag *g = sm_err(s, "sema.argument-kind", v->start, v->end,
                            "%s must be a list of names, not %s", what, sm_value_kind_name(v));
        if (v->kind == IR_V_STR)
            jy_diag_hint(g, "write [\"%s\"]", v->u.str.s);
        return false;
    }
    if (v->u.list.n == 0) {
        sm_err(s, "sema.argument-kind", v->start, v->end, "%s needs at least one name", what);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < v->u.list.n; i++)
        if (!sm_ident_ok(s, v->u.list.items[i], "a name in the list"))
            ok = false;
    return ok && sm_no_duplicates(s, v->u.list.items, v->u.list.n, "name");
}

static const char *const sql_keys[] = {"postgresql", "postgres", "pg",     "mysql",
                                       "mariadb",    "sqlite",   "default"};

/* A SQL string, or a dict {dialect key: SQL}; keys normalized (pg ->
 * postgresql).  Returns the value to store, or NULL. */
static ir_value *sql_dialects(sema *s, ir_value *v, const char *what)
{
    if (v->kind != IR_V_DICT) {
        if (v->kind != IR_V_STR) {
            sm_err(s, "sema.argument-kind", v->start, v->end,
                   "%s must be a SQL string or a dict {dialect: SQL}, not %s", what,
                   sm_value_kind_name(v));
            return NULL;
        }
        return sm_sql_ok(s, v, what) ? v : NULL;
    }
    if (v->u.dict.n == 0) {
        sm_err(s, "sema.empty-sql", v->start, v->end, "%s is an empty dict", what);
        return NULL;
    }
    bool ok = true;
    const char *seen[IR_D__COUNT + 1] = {NULL};
    for (size_t i = 0; i < v->u.dict.n; i++) {
        ir_value *k = v->u.dict.keys[i];
        if (k->kind != IR_V_STR) {
            sm_err(s, "sema.argument-kind", k->start, k->end,
                   "a key of %s must be a dialect name string, not %s", what,
                   sm_value_kind_name(k));
            ok = false;
            continue;
        }
        ir_dialect d;
        int slot;
        const char *canon;
        if (sm_name_is(k->u.str.s, k->u.str.len, "default")) {
            slot = IR_D__COUNT;
            canon = "default";
        } else if (ir_dialect_parse(k->u.str.s, k->u.str.len, &d)) {
            slot = (int)d;
            canon = ir_dialect_name(d);
        } else {
            const char *c = jy_closest(k->u.str.s, k->u.str.len, sql_keys, JY_COUNTOF(sql_keys));
            jy_diag *g = sm_err(s, "sema.unknown-dialect", k->start, k->end,
                                "unknown dialect key \"%s\" in %s", k->u.str.s, what);
            if (c)
                jy_diag_hint(g, "did you mean \"%s\"?", c);
            else
                jy_diag_hint(g, "keys are postgresql (postgres, pg), mysql, mariadb, sqlite "
                                "and default");
            ok = false;
            continue;
        }
        if (seen[slot]) {
            sm_err(s, "sema.duplicate-key", k->start, k->end,
                   "key \"%s\" repeats \"%s\" in %s", k->u.str.s, seen[slot], what);
            ok = false;
            continue;
        }
        seen[slot] = k->u.str.s;
        if (!sm_sql_ok(s, v->u.dict.vals[i], "the SQL of each dialect"))
            ok = false;
        if (strcmp(canon, k->u.str.s) != 0) {
            ir_value *nk = sm_new_str(s, canon, strlen(canon), k->start, k->end);
            if (nk)
                v->u.dict.keys[i] = nk;
        }
    }
    return ok ? v : NULL;
}

bool sm_is_const_scalar(const ir_value *v)
{
    return v->kind == IR_V_NONE || v->kind == IR_V_BOOL || v->kind == IR_V_INT ||
           v->kind == IR_V_FLOAT || v->kind == IR_V_STR;
}

static bool value_ok(sema *s, const ir_value *v, const char *what)
{
    if (sm_is_const_scalar(v))
        return true;
    jy_diag *g = sm_err(s, "sema.argument-kind", v->start, v->end,
                        "%s must be a constant (string, number, True, False or None), not %s",
                        what, sm_value_kind_name(v));
    if (v->kind == IR_V_NOW)
        jy_diag_hint(g, "t.now() is a SQL expression: write server_default=t.now()");
    return false;
}

static bool server_default_ok(sema *s, const ir_value *v, const char *what)
{
    if (v->kind == IR_V_NOW || v->kind == IR_V_NONE)
        return true;
    if (v->kind == IR_V_STR)
        return sm_sql_ok(s, v, what);
    jy_diag *g = sm_err(s, "sema.argument-kind", v->start, v->end,
                        "%s must be a SQL string or t.now(), not %s", what,
                        sm_value_kind_name(v));
    if (sm_is_const_scalar(v))
        jy_diag_hint(g, "for a constant write default=...; server_default takes SQL text, "
                        "e.g. server_default=\"0\"");
    return false;
}

/* IR_K_CHOICE: case-insensitive match; the stored string is the choice as
 * the catalogue spells it. */
static ir_value *choice(sema *s, ir_value *v, const ir_param_info *p, const char *what)
{
    const char *list[32];
    size_t n = 0;
    const char *c = p->choices;
    char buf[256];
    sm_cat4(buf, sizeof buf, c ? c : "", NULL, NULL, NULL);
    for (char *q = buf; *q && n < JY_COUNTOF(list);) {
        list[n++] = q;
        char *bar = strchr(q, '|');
        if (!bar)
            break;
        *bar = 0;
        q = bar + 1;
    }
    if (v->kind == IR_V_STR) {
        for (size_t i = 0; i < n; i++)
            if (strlen(list[i]) == v->u.str.len && strncasecmp(list[i], v->u.str.s, v->u.str.len) == 0) {
                if (strcmp(list[i], v->u.str.s) != 0) {
                    ir_value *nv = sm_new_str(s, list[i], strlen(list[i]), v->start, v->end);
                    return nv;
                }
                return v;
            }
    }
    jy_buf b;
    jy_buf_init(&b);
    for (size_t i = 0; i < n; i++)
        jy_buf_printf(&b, "%s\"%s\"", i ? ", " : "", list[i]);
    if (v->kind != IR_V_STR) {
        sm_err(s, "sema.argument-kind", v->start, v->end, "%s must be one of %s, not %s", what,
               b.data ? b.data : "", sm_value_kind_name(v));
    } else {
        const char *cl = jy_closest(v->u.str.s, v->u.str.len, list, n);
        jy_diag *g = sm_err(s, "sema.choice", v->start, v->end, "%s must be one of %s, not \"%s\"",
                            what, b.data ? b.data : "", v->u.str.s);
        if (cl)
            jy_diag_hint(g, "did you mean \"%s\"?", cl);
    }
    jy_buf_free(&b);
    return NULL;
}

static bool set_map_ok(sema *s, const ir_value *v, const char *what)
{
    if (v->kind != IR_V_DICT) {
        jy_diag *g = sm_err(s, "sema.argument-kind", v->start, v->end,
                            "%s must be a dict {column: SQL expression}, not %s", what,
                            sm_value_kind_name(v));
        jy_diag_hint(g, "write set={\"email_normalized\": \"LOWER(email)\"}");
        return false;
    }
    if (v->u.dict.n == 0) {
        sm_err(s, "sema.argument-kind", v->start, v->end, "%s needs at least one column", what);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < v->u.dict.n; i++) {
        if (!sm_ident_ok(s, v->u.dict.keys[i], "a column name in set="))
            ok = false;
        else if (!sm_sql_ok(s, v->u.dict.vals[i], "the SQL expression of a column"))
            ok = false;
    }
    return ok && sm_no_duplicates(s, v->u.dict.keys, v->u.dict.n, "column");
}

/* IR_K_ROWS: a non-empty list of non-empty dicts {column: constant}. */
static bool rows_ok(sema *s, const ir_value *v, const char *what)
{
    if (v->kind != IR_V_LIST && v->kind != IR_V_TUPLE) {
        jy_diag *g = sm_err(s, "sema.argument-kind", v->start, v->end,
                            "%s must be a list of dicts {column: value}, not %s", what,
                            sm_value_kind_name(v));
        jy_diag_hint(g, "write [{\"id\": 1, \"name\": \"admin\"}, ...]");
        return false;
    }
    if (v->u.list.n == 0) {
        sm_err(s, "sema.argument-kind", v->start, v->end, "%s needs at least one row", what);
        return false;
    }
    /* Rows may name different columns: a column a row leaves out gets its
     * default (the backends group consecutive rows with the same columns). */
    bool ok = true;
    for (size_t r = 0; r < v->u.list.n; r++) {
        const ir_value *row = v->u.list.items[r];
        if (row->kind != IR_V_DICT) {
            sm_err(s, "sema.argument-kind", row->start, row->end,
                   "each row must be a dict {column: value}, not %s", sm_value_kind_name(row));
            ok = false;
            continue;
        }
        if (row->u.dict.n == 0) {
            sm_err(s, "sema.argument-kind", row->start, row->end, "a row needs at least one column");
            ok = false;
            continue;
        }
        bool rok = true;
        for (size_t i = 0; i < row->u.dict.n; i++) {
            if (!sm_ident_ok(s, row->u.dict.keys[i], "a column name of a row"))
                rok = false;
            else if (!value_ok(s, row->u.dict.vals[i], "a row value"))
                rok = false;
        }
        if (rok && !sm_no_duplicates(s, row->u.dict.keys, row->u.dict.n, "column"))
            rok = false;
        if (!rok)
            ok = false;
    }
    return ok;
}

/* --------------------------------------------- declare_schema_change */

static const char *const opt_keys[] = {"nullable",    "default", "server_default", "generated",
                                       "primary_key", "unique",  "comment"};

/* String keys, each among keys[] (any string when keys is NULL). */
static bool dict_keys_ok(sema *s, const ir_value *v, const char *const *keys, size_t nk,
                         const char *what)
{
    bool ok = true;
    for (size_t i = 0; i < v->u.dict.n; i++) {
        const ir_value *k = v->u.dict.keys[i];
        if (k->kind != IR_V_STR) {
            sm_err(s, "sema.argument-kind", k->start, k->end, "the keys of %s must be strings",
                   what);
            ok = false;
            continue;
        }
        if (!keys)
            continue;
        size_t j;
        for (j = 0; j < nk; j++)
            if (strcmp(keys[j], k->u.str.s) == 0)
                break;
        if (j == nk) {
            const char *c = jy_closest(k->u.str.s, k->u.str.len, keys, nk);
            jy_diag *g = sm_err(s, "sema.hint-key", k->start, k->end, "unknown key \"%s\" in %s",
                                k->u.str.s, what);
            if (c)
                jy_diag_hint(g, "did you mean \"%s\"?", c);
            ok = false;
        }
    }
    return ok;
}

static const ir_value *dict_get(const ir_value *v, const char *key)
{
    for (size_t i = 0; i < v->u.dict.n; i++)
        if (v->u.dict.keys[i]->kind == IR_V_STR && strcmp(v->u.dict.keys[i]->u.str.s, key) == 0)
            return v->u.dict.vals[i];
    return NULL;
}

/* The column options dict of a column_added hint (the op.add_column
 * keywords of reference §6.3), each with its kind. */
static bool opts_ok(sema *s, const ir_value *v)
{
    if (!dict_keys_ok(s, v, opt_keys, JY_COUNTOF(opt_keys), "the column options"))
        return false;
    bool ok = true;
    for (size_t i = 0; i < v->u.dict.n; i++) {
        const char *k = v->u.dict.keys[i]->u.str.s;
        const ir_value *x = v->u.dict.vals[i];
        if (!strcmp(k, "nullable") || !strcmp(k, "primary_key") || !strcmp(k, "unique")) {
            if (x->kind != IR_V_BOOL) {
                sm_err(s, "sema.argument-kind", x->start, x->end, "\"%s\" must be True or False",
                       k);
                ok = false;
            }
        } else if (!strcmp(k, "default"))
            ok &= value_ok(s, x, "\"default\"");
        else if (!strcmp(k, "server_default"))
            ok &= server_default_ok(s, x, "\"server_default\"");
        else if (!strcmp(k, "generated"))
            ok &= sm_sql_ok(s, x, "\"generated\"");
        else if (x->kind != IR_V_STR && x->kind != IR_V_NONE) {
            sm_err(s, "sema.argument-kind", x->start, x->end, "\"comment\" must be a string");
            ok = false;
        }
    }
    return ok;
}

/* Keyword-specific checks of a D element. */
static bool hint_dict_ok(sema *s, const char *kw, const ir_value *v)
{
    if (!strcmp(kw, "constraint_added") || !strcmp(kw, "constraint_dropped")) {
        static const char *const kinds[] = {"fk", "unique", "check"};
        const ir_value *kind = dict_get(v, "kind");
        if (!kind) {
            if (!strcmp(kw, "constraint_dropped"))
                return true;
            sm_err(s, "sema.hint-key", v->start, v->end,
                   "%s needs {\"kind\": \"fk\" | \"unique\" | \"check\", ...}", kw);
            return false;
        }
        for (size_t i = 0; i < 3; i++)
            if (kind->kind == IR_V_STR && strcmp(kind->u.str.s, kinds[i]) == 0)
                return true;
        jy_diag *g = sm_err(s, "sema.hint-key", kind->start, kind->end,
                            "\"kind\" must be \"fk\", \"unique\" or \"check\"");
        if (kind->kind == IR_V_STR) {
            const char *c = jy_closest(kind->u.str.s, kind->u.str.len, kinds, 3);
            if (c)
                jy_diag_hint(g, "did you mean \"%s\"?", c);
        }
        return false;
    }
    if (!strcmp(kw, "column_altered")) {
        static const char *const keys[] = {"old", "new"};
        static const char *const side[] = {"type", "nullable", "default", "server_default",
                                           "comment"};
        if (!dict_keys_ok(s, v, keys, 2, "column_altered"))
            return false;
        bool ok = true;
        for (size_t i = 0; i < v->u.dict.n; i++) {
            const ir_value *x = v->u.dict.vals[i];
            if (x->kind != IR_V_DICT) {
                sm_err(s, "sema.argument-kind", x->start, x->end,
                       "\"old\" and \"new\" must be dicts");
                ok = false;
            } else if (!dict_keys_ok(s, x, side, JY_COUNTOF(side), "the column state"))
                ok = false;
        }
        return ok;
    }
    if (!strcmp(kw, "enum_value_added")) {
        static const char *const keys[] = {"before", "after"};
        if (!dict_keys_ok(s, v, keys, 2, "enum_value_added"))
            return false;
        if (v->u.dict.n > 1) {
            sm_err(s, "sema.hint-key", v->start, v->end,
                   "enum_value_added takes \"before\" or \"after\", not both");
            return false;
        }
        return true;
    }
    if (!strcmp(kw, "table_added")) {
        static const char *const keys[] = {"columns", "options"};
        return dict_keys_ok(s, v, keys, 2, "table_added");
    }
    return dict_keys_ok(s, v, NULL, 0, kw);
}

/* One element of a declare_schema_change tuple against its shape letter
 * (ir.h, IR_K_HINT). */
static bool hint_elem_ok(sema *s, const char *kw, char shape, const ir_value *x)
{
    switch (shape) {
    case 'I':
        return sm_ident_ok(s, x, "a name in the tuple");
    case 'S':
        return sm_sql_ok(s, x, "the SQL in the tuple");
    case 'T':
        if (x->kind != IR_V_TYPE) {
            sm_err(s, "sema.argument-kind", x->start, x->end,
                   "this element must be a t.* type, not %s", sm_value_kind_name(x));
            return false;
        }
        return true;
    case 'L':
        if (x->kind != IR_V_LIST && x->kind != IR_V_TUPLE) {
            sm_err(s, "sema.argument-kind", x->start, x->end,
                   "this element must be a list of strings, not %s", sm_value_kind_name(x));
            return false;
        }
        for (size_t i = 0; i < x->u.list.n; i++)
            if (!sm_ident_ok(s, x->u.list.items[i], "an item of the list"))
                return false;
        return true;
    case 'D':
    case 'O':
        if (x->kind != IR_V_DICT) {
            sm_err(s, "sema.argument-kind", x->start, x->end,
                   "this element must be a dict, not %s", sm_value_kind_name(x));
            return false;
        }
        return shape == 'O' ? opts_ok(s, x) : hint_dict_ok(s, kw, x);
    }
    return true;
}

/* IR_K_HINT: one tuple, a list of tuples, or (for one-name shapes) a bare
 * string; normalized to a list of tuples. */
static ir_value *hint(sema *s, ir_value *v, const ir_param_info *p)
{
    char shape[8];
    size_t nshape = 0, nreq = 0;
    for (const char *c = p->choices; c && *c && nshape < sizeof shape; c++) {
        if (*c == ',')
            continue;
        if (*c == '?')
            continue;
        shape[nshape++] = *c;
        if (c[1] != '?')
            nreq = nshape;
    }
    ir_value *list = sm_newv(s, IR_V_LIST, v->start, v->end);
    if (!list)
        return NULL;
    ir_value **tuples;
    size_t ntuples;
    if (v->kind == IR_V_LIST) {
        tuples = v->u.list.items;
        ntuples = v->u.list.n;
        if (ntuples == 0) {
            sm_err(s, "sema.hint-shape", v->start, v->end, "%s needs at least one tuple",
                   p->name);
            return NULL;
        }
    } else if (v->kind == IR_V_TUPLE) {
        tuples = jy_arena_alloc(s->A, sizeof *tuples);
        if (!tuples)
            return NULL;
        tuples[0] = v;
        ntuples = 1;
    } else if (v->kind == IR_V_STR && nreq == 1 && shape[0] == 'I') {
        ir_value *t = sm_newv(s, IR_V_TUPLE, v->start, v->end);
        tuples = jy_arena_alloc(s->A, sizeof *tuples);
        ir_value **items = jy_arena_alloc(s->A, sizeof *items);
        if (!t || !tuples || !items)
            return NULL;
        items[0] = v;
        t->u.list.items = items;
        t->u.list.n = 1;
        tuples[0] = t;
        ntuples = 1;
    } else {
        sm_err(s, "sema.hint-shape", v->start, v->end,
               "%s must be a tuple %s (or a list of them), not %s", p->name, p->doc,
               sm_value_kind_name(v));
        return NULL;
    }
    bool ok = true;
    for (size_t i = 0; i < ntuples; i++) {
        ir_value *t = tuples[i];
        if (t->kind != IR_V_TUPLE) {
            sm_err(s, "sema.hint-shape", t->start, t->end,
                   "each item of %s must be a tuple %s, not %s", p->name, p->doc,
                   sm_value_kind_name(t));
            ok = false;
            continue;
        }
        if (t->u.list.n < nreq || t->u.list.n > nshape) {
            sm_err(s, "sema.hint-shape", t->start, t->end,
                   "%s takes a tuple %s: %zu element%s given", p->name, p->doc, t->u.list.n,
                   t->u.list.n == 1 ? "" : "s");
            ok = false;
            continue;
        }
        for (size_t j = 0; j < t->u.list.n; j++)
            if (!hint_elem_ok(s, p->name, shape[j], t->u.list.items[j]))
                ok = false;
    }
    if (!ok)
        return NULL;
    list->u.list.items = tuples;
    list->u.list.n = ntuples;
    return list;
}

/* Check one argument against its catalogue kind; returns what to store. */
ir_value *sm_check_kind(sema *s, const char *callee, const ir_param_info *p, ir_value *v)
{
    char what[160];
    char head[64];
    sm_cat4(what, sizeof what, sm_cat4(head, sizeof head, "argument '", p->name, "' of ", NULL), callee,
         NULL, NULL);
    switch (p->kind) {
    case IR_K_IDENT:
        return sm_ident_ok(s, v, what) ? v : NULL;
    case IR_K_IDENT_LIST:
        return ident_list_ok(s, v, what) ? v : NULL;
    case IR_K_STR:
        if (v->kind == IR_V_STR)
            return v;
        sm_err(s, "sema.argument-kind", v->start, v->end, "%s must be a string, not %s", what,
               sm_value_kind_name(v));
        return NULL;
    case IR_K_SQL:
        return sm_sql_ok(s, v, what) ? v : NULL;
    case IR_K_SQL_DIALECTS:
        return sql_dialects(s, v, what);
    case IR_K_BOOL:
        if (v->kind == IR_V_BOOL)
            return v;
        {
            jy_diag *g = sm_err(s, "sema.argument-kind", v->start, v->end,
                                "%s must be True or False, not %s", what, sm_value_kind_name(v));
            if (v->kind == IR_V_INT)
                jy_diag_hint(g, "write %s", v->u.i ? "True" : "False");
        }
        return NULL;
    case IR_K_INT:
        if (v->kind == IR_V_INT)
            return v;
        sm_err(s, "sema.argument-kind", v->start, v->end, "%s must be an integer, not %s", what,
               sm_value_kind_name(v));
        return NULL;
    case IR_K_TYPE:
        if (v->kind == IR_V_TYPE)
            return v;
        {
            jy_diag *g = sm_err(s, "sema.argument-kind", v->start, v->end,
                                "%s must be a t.* type, not %s", what, sm_value_kind_name(v));
            if (v->kind == IR_V_STR)
                jy_diag_hint(g, "write a joryu type such as t.Text or t.String(255); for a type "
                                "of one dialect t.dialect(\"postgresql.%s\")",
                             v->u.str.s);
        }
        return NULL;
    case IR_K_COLUMN:
        if (v->kind == IR_V_COLUMN)
            return v;
        {
            jy_diag *g = sm_err(s, "sema.argument-kind", v->start, v->end,
                                "%s must be an op.column(...), not %s", what,
                                sm_value_kind_name(v));
            jy_diag_hint(g, "write op.column(\"name\", t.Text, ...)");
        }
        return NULL;
    case IR_K_VALUE:
        return value_ok(s, v, what) ? v : NULL;
    case IR_K_SERVER_DEFAULT:
        return server_default_ok(s, v, what) ? v : NULL;
    case IR_K_CHOICE:
        return choice(s, v, p, what);
    case IR_K_SET_MAP:
        return set_map_ok(s, v, what) ? v : NULL;
    case IR_K_ROWS:
        return rows_ok(s, v, what) ? v : NULL;
    case IR_K_HINT:
        return hint(s, v, p);
    }
    return v;
}
