/*
 * sema_ops.c - semantic analysis inside upgrade()/downgrade(): values,
 * t.* types, op.* calls checked against the catalogue (ir/ops.def),
 * `with op.batch(...) as b:` blocks, and the folding of
 * `if op.dialect.name ...` branches into per-op dialect masks.
 */
#include "sema_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SM_IDENT_MAX 63
#define SM_STRING_MAX 10485760 /* VARCHAR(n) / VARBINARY(n) upper bound */

/* ------------------------------------------------------------- values */

/* Concatenate up to four strings into buf (truncating); cheaper than
 * snprintf, which this runs for every argument. */
static const char *cat4(char *buf, size_t cap, const char *a, const char *b, const char *c,
                        const char *d)
{
    const char *parts[4] = {a, b, c, d};
    size_t len = 0;
    for (int i = 0; i < 4; i++) {
        if (!parts[i])
            continue;
        size_t n = strlen(parts[i]);
        if (n > cap - 1 - len)
            n = cap - 1 - len;
        memcpy(buf + len, parts[i], n);
        len += n;
    }
    buf[len] = 0;
    return buf;
}

static ir_value *newv(sema *s, ir_vkind k, uint32_t start, uint32_t end)
{
    ir_value *v = jy_arena_alloc(s->A, sizeof *v);
    if (v) {
        v->kind = k;
        v->start = start;
        v->end = end;
    }
    return v;
}

static ir_value *new_str(sema *s, const char *p, size_t n, uint32_t start, uint32_t end)
{
    ir_value *v = newv(s, IR_V_STR, start, end);
    if (v) {
        v->u.str.s = jy_arena_strndup(s->A, p, n);
        v->u.str.len = n;
        if (!v->u.str.s)
            return NULL;
    }
    return v;
}

const char *sm_value_kind_name(const ir_value *v)
{
    switch (v->kind) {
    case IR_V_NONE: return "None";
    case IR_V_BOOL: return v->u.b ? "True" : "False";
    case IR_V_INT: return "an integer";
    case IR_V_FLOAT: return "a float";
    case IR_V_STR: return "a string";
    case IR_V_LIST: return "a list";
    case IR_V_TUPLE: return "a tuple";
    case IR_V_DICT: return "a dict";
    case IR_V_TYPE: return "a type";
    case IR_V_COLUMN: return "an op.column(...)";
    case IR_V_NOW: return "t.now()";
    }
    return "a value";
}

static bool name_is(const char *p, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(p, lit, n) == 0;
}

/* The NAME at the root of an attribute/call chain, or NULL. */
static const fe_expr *root_name(const fe_expr *e)
{
    while (e) {
        if (e->kind == FE_E_NAME)
            return e;
        if (e->kind == FE_E_ATTR)
            e = e->u.attr.obj;
        else if (e->kind == FE_E_CALL)
            e = e->u.call.fn;
        else
            return NULL;
    }
    return NULL;
}

/* Report `op.<rejected>` anywhere in an attribute/call chain; true if found. */
static bool find_rejected(sema *s, const fe_expr *e)
{
    while (e) {
        if (e->kind == FE_E_ATTR) {
            if (sm_resolve(s, e->u.attr.obj) == SM_N_OP) {
                const ir_reject_info *rj = ir_reject_lookup(e->u.attr.name, e->u.attr.n);
                if (rj) {
                    jy_diag *g = sm_err(s, "sema.rejected-op", e->u.attr.name_start,
                                        e->u.attr.name_end,
                                        "op.%s needs a Python runtime; joryuc compiles a "
                                        "declarative subset",
                                        e->u.attr.name);
                    jy_diag_hint(g, "use %s", rj->alternative);
                    return true;
                }
            }
            e = e->u.attr.obj;
        } else if (e->kind == FE_E_CALL)
            e = e->u.call.fn;
        else
            return false;
    }
    return false;
}

static void undefined_name(sema *s, const fe_expr *e)
{
    if (s->parse_errors)
        return; /* likely bound by a statement the parser refused */
    const char **cands = malloc((s->names_n + 1) * sizeof *cands);
    size_t nc = 0;
    for (size_t i = 0; cands && i < s->names_cap; i++) {
        sm_binding *b = &s->names[i];
        if (b->name && b->name[b->n] == 0 && sm_lookup(s, b->name, b->n))
            cands[nc++] = b->name;
    }
    const char *c = cands ? jy_closest(e->u.name.s, e->u.name.n, cands, nc) : NULL;
    jy_diag *g = sm_err(s, "sema.undefined-name", e->start, e->end, "name '%.*s' is not defined",
                        (int)e->u.name.n, e->u.name.s);
    if (c)
        jy_diag_hint(g, "did you mean '%s'?", c);
    else
        jy_diag_hint(g, "a migration knows joryu's op and t, and the module constants "
                        "(NAME = literal) defined above");
    free(cands);
}

static ir_value *type_value(sema *s, const fe_expr *e, const fe_expr *attr);
static ir_value *column_value(sema *s, const fe_expr *call);

static void not_declarative(sema *s, const fe_expr *e, const char *what)
{
    jy_diag *g = sm_err(s, "sema.not-declarative", e->start, e->end,
                        "%s: joryuc compiles a declarative subset and evaluates no Python", what);
    jy_diag_hint(g, "write the value as a literal, a module constant, a t.* type or "
                    "op.column(...)");
}

static ir_value *call_value(sema *s, const fe_expr *e)
{
    const fe_expr *fn = e->u.call.fn;
    if (fn->kind == FE_E_ATTR) {
        sm_name_kind k = sm_resolve(s, fn->u.attr.obj);
        if (k == SM_N_TYPES) {
            if (name_is(fn->u.attr.name, fn->u.attr.n, "now")) {
                if (e->u.call.nargs)
                    sm_err(s, "sema.type-params", e->start, e->end, "t.now() takes no arguments");
                return newv(s, IR_V_NOW, e->start, e->end);
            }
            return type_value(s, e, fn);
        }
        if (k == SM_N_OP) {
            if (name_is(fn->u.attr.name, fn->u.attr.n, "column"))
                return column_value(s, e);
            if (find_rejected(s, fn))
                return NULL;
            ir_op_kind ok;
            if (ir_op_lookup(fn->u.attr.name, fn->u.attr.n, &ok)) {
                jy_diag *g = sm_err(s, "sema.op-as-value", e->start, e->end,
                                    "op.%s(...) is a step, not a value", fn->u.attr.name);
                jy_diag_hint(g, "write it as a statement of its own in upgrade()");
                return NULL;
            }
        }
        /* op.func.now() */
        if (name_is(fn->u.attr.name, fn->u.attr.n, "now") && fn->u.attr.obj->kind == FE_E_ATTR &&
            name_is(fn->u.attr.obj->u.attr.name, fn->u.attr.obj->u.attr.n, "func") &&
            sm_resolve(s, fn->u.attr.obj->u.attr.obj) == SM_N_OP) {
            if (e->u.call.nargs)
                sm_err(s, "sema.type-params", e->start, e->end,
                       "op.func.now() takes no arguments");
            return newv(s, IR_V_NOW, e->start, e->end);
        }
        if (fn->u.attr.obj->kind == FE_E_ATTR &&
            name_is(fn->u.attr.obj->u.attr.name, fn->u.attr.obj->u.attr.n, "func") &&
            sm_resolve(s, fn->u.attr.obj->u.attr.obj) == SM_N_OP) {
            jy_diag *g = sm_err(s, "sema.unknown-func", fn->u.attr.name_start,
                                fn->u.attr.name_end, "op.func.%s is not known to joryuc",
                                fn->u.attr.name);
            jy_diag_hint(g, "op.func.now() (or t.now()) is the one function; write any other "
                            "SQL expression as a string: server_default=\"...\"");
            return NULL;
        }
    }
    if (find_rejected(s, fn))
        return NULL;
    const fe_expr *root = root_name(fn);
    if (root) {
        sm_binding *b = sm_lookup(s, root->u.name.s, root->u.name.n);
        if (!b) {
            undefined_name(s, root);
            return NULL;
        }
        if (b->kind == SM_N_BAD)
            return NULL;
        if (b->kind == SM_N_TEXT) {
            jy_diag *g = sm_err(s, "sema.text-call", e->start, e->end,
                                "joryuc runs no Python: text(...) is not needed");
            jy_diag_hint(g, "pass the SQL string itself: op.execute(\"...\")");
            return NULL;
        }
    }
    not_declarative(s, e, "this call is not a t.* type, t.now() or op.column(...)");
    return NULL;
}

ir_value *sm_value(sema *s, const fe_expr *e)
{
    if (!e || e->kind == FE_E_ERROR)
        return NULL;
    ir_value *v = NULL;
    switch (e->kind) {
    case FE_E_STR:
        return new_str(s, e->u.str.s, e->u.str.len, e->start, e->end);
    case FE_E_INT:
        if ((v = newv(s, IR_V_INT, e->start, e->end)))
            v->u.i = e->u.i;
        return v;
    case FE_E_FLOAT:
        if ((v = newv(s, IR_V_FLOAT, e->start, e->end)))
            v->u.f = e->u.f;
        return v;
    case FE_E_TRUE:
    case FE_E_FALSE:
        if ((v = newv(s, IR_V_BOOL, e->start, e->end)))
            v->u.b = e->kind == FE_E_TRUE;
        return v;
    case FE_E_NONE:
        return newv(s, IR_V_NONE, e->start, e->end);
    case FE_E_NEG: {
        const fe_expr *o = e->u.operand;
        if (o && o->kind == FE_E_INT) {
            if ((v = newv(s, IR_V_INT, e->start, e->end)))
                v->u.i = -o->u.i;
            return v;
        }
        if (o && o->kind == FE_E_FLOAT) {
            if ((v = newv(s, IR_V_FLOAT, e->start, e->end)))
                v->u.f = -o->u.f;
            return v;
        }
        if (o && o->kind == FE_E_ERROR)
            return NULL;
        not_declarative(s, e, "only a number literal can be negated");
        return NULL;
    }
    case FE_E_LIST:
    case FE_E_TUPLE: {
        size_t n = e->u.seq.n;
        v = newv(s, e->kind == FE_E_LIST ? IR_V_LIST : IR_V_TUPLE, e->start, e->end);
        ir_value **items = jy_arena_calloc(s->A, n ? n : 1, sizeof *items);
        if (!v || !items)
            return NULL;
        bool ok = true;
        for (size_t i = 0; i < n; i++)
            if (!(items[i] = sm_value(s, e->u.seq.items[i])))
                ok = false;
        v->u.list.items = items;
        v->u.list.n = n;
        return ok ? v : NULL;
    }
    case FE_E_DICT: {
        size_t n = e->u.dict.n;
        v = newv(s, IR_V_DICT, e->start, e->end);
        ir_value **keys = jy_arena_calloc(s->A, n ? n : 1, sizeof *keys);
        ir_value **vals = jy_arena_calloc(s->A, n ? n : 1, sizeof *vals);
        if (!v || !keys || !vals)
            return NULL;
        bool ok = true;
        for (size_t i = 0; i < n; i++) {
            if (!(keys[i] = sm_value(s, e->u.dict.keys[i])))
                ok = false;
            if (!(vals[i] = sm_value(s, e->u.dict.vals[i])))
                ok = false;
        }
        v->u.dict.keys = keys;
        v->u.dict.vals = vals;
        v->u.dict.n = n;
        return ok ? v : NULL;
    }
    case FE_E_NAME: {
        sm_binding *b = sm_lookup(s, e->u.name.s, e->u.name.n);
        if (!b) {
            undefined_name(s, e);
            return NULL;
        }
        if (b->kind == SM_N_BAD)
            return NULL;
        if (b->kind == SM_N_CONST) {
            if (!b->value || !(v = newv(s, IR_V_NONE, e->start, e->end)))
                return NULL;
            *v = *b->value; /* shallow: the items keep the constant's spans */
            v->start = e->start;
            v->end = e->end;
            return v;
        }
        if (b->kind == SM_N_DIALECT) {
            sm_err(s, "sema.dialect-value", e->start, e->end,
                   "op.dialect.name can only be compared in an if condition");
            return NULL;
        }
        sm_err(s, "sema.not-a-value", e->start, e->end, "'%.*s' is not a value",
               (int)e->u.name.n, e->u.name.s);
        return NULL;
    }
    case FE_E_ATTR: {
        if (sm_resolve(s, e->u.attr.obj) == SM_N_TYPES) {
            if (name_is(e->u.attr.name, e->u.attr.n, "now")) {
                jy_diag *g = sm_err(s, "sema.type-params", e->start, e->end,
                                    "t.now is a function");
                jy_diag_hint(g, "write t.now()");
                return NULL;
            }
            return type_value(s, e, e);
        }
        if (sm_is_dialect_name(s, e)) {
            sm_err(s, "sema.dialect-value", e->start, e->end,
                   "op.dialect.name can only be compared in an if condition");
            return NULL;
        }
        if (find_rejected(s, e))
            return NULL;
        const fe_expr *root = root_name(e);
        sm_binding *rb = root ? sm_lookup(s, root->u.name.s, root->u.name.n) : NULL;
        if (root && !rb) {
            undefined_name(s, root);
            return NULL;
        }
        if (rb && rb->kind == SM_N_BAD)
            return NULL;
        not_declarative(s, e, "this attribute is not a t.* type");
        return NULL;
    }
    case FE_E_CALL:
        return call_value(s, e);
    default:
        not_declarative(s, e, "this expression is not a literal");
        return NULL;
    }
}

/* --------------------------------------------------------------- types */

static const char *const type_names[] = {
#define IR_TYPE(id, name, params, pg, my, lite, syn) name,
#include "types.def"
#undef IR_TYPE
    "now"};

/*
 * Positional and keyword arguments of a t.X(...) call: pos[] gets up to
 * maxpos positional expressions; kws[] (names in kwnames) the keywords.
 * Reports stars, extra positionals, unknown and repeated keywords.
 */
static bool type_args(sema *s, const fe_expr *call, const char *tname, const fe_expr **pos,
                      size_t maxpos, size_t *npos, const char *const *kwnames, size_t nkw,
                      const fe_expr **kws)
{
    bool ok = true;
    *npos = 0;
    for (size_t i = 0; i < call->u.call.nargs; i++) {
        const fe_arg *a = &call->u.call.args[i];
        if (!a->value || a->value->kind == FE_E_ERROR) {
            ok = false;
            continue;
        }
        if (a->star) {
            sm_err(s, "sema.star-arg", a->value->start, a->value->end,
                   "*args and **kwargs are not part of the compiled subset");
            ok = false;
        } else if (!a->kw) {
            if (*npos < maxpos)
                pos[(*npos)++] = a->value;
            else {
                sm_err(s, "sema.type-params", a->value->start, a->value->end,
                       "t.%s takes %s", tname,
                       maxpos == 0 ? "no positional arguments"
                                   : maxpos == 1 ? "one positional argument"
                                                 : "at most two positional arguments");
                ok = false;
            }
        } else {
            size_t k;
            for (k = 0; k < nkw; k++)
                if (strcmp(a->kw, kwnames[k]) == 0)
                    break;
            if (k == nkw) {
                const char *c = jy_closest(a->kw, strlen(a->kw), kwnames, nkw);
                jy_diag *g = sm_err(s, "sema.type-params", a->kw_start, a->kw_end,
                                    "t.%s has no argument '%s'", tname, a->kw);
                if (c)
                    jy_diag_hint(g, "did you mean '%s'?", c);
                ok = false;
            } else if (kws[k]) {
                sm_err(s, "sema.duplicate-keyword", a->kw_start, a->kw_end,
                       "argument '%s' is given twice", a->kw);
                ok = false;
            } else
                kws[k] = a->value;
        }
    }
    return ok;
}

static bool int_arg(sema *s, const fe_expr *e, const char *tname, const char *what, int64_t lo,
                    int64_t hi, int64_t *out)
{
    ir_value *v = sm_value(s, e);
    if (!v)
        return false;
    if (v->kind != IR_V_INT) {
        sm_err(s, "sema.type-params", v->start, v->end, "t.%s: %s must be an integer, not %s",
               tname, what, sm_value_kind_name(v));
        return false;
    }
    if (v->u.i < lo || v->u.i > hi) {
        sm_err(s, "sema.type-params", v->start, v->end,
               "t.%s: %s must be between %lld and %lld, not %lld", tname, what, (long long)lo,
               (long long)hi, (long long)v->u.i);
        return false;
    }
    *out = v->u.i;
    return true;
}

static bool ident_ok(sema *s, const ir_value *v, const char *what);

/* t.X or t.X(...): e is the whole expression, attr the t.X part. */
static ir_value *type_value(sema *s, const fe_expr *e, const fe_expr *attr)
{
    const char *name = attr->u.attr.name;
    size_t nn = attr->u.attr.n;
    ir_type_id id;
    if (!ir_type_lookup(name, nn, &id)) {
        const char *c = jy_closest(name, nn, type_names, JY_COUNTOF(type_names));
        jy_diag *g = sm_err(s, "sema.unknown-type", attr->u.attr.name_start, attr->u.attr.name_end,
                            "joryu.types has no type '%.*s'", (int)nn, name);
        if (c)
            jy_diag_hint(g, "did you mean 't.%s'?", c);
        else
            jy_diag_hint(g, "for a type of one dialect write t.dialect(\"postgresql.%.*s\")",
                         (int)nn, name);
        return NULL;
    }
    const ir_type_info *info = &ir_type_table[id];
    const char *tn = info->name;
    ir_type *t = jy_arena_alloc(s->A, sizeof *t);
    ir_value *v = newv(s, IR_V_TYPE, e->start, e->end);
    if (!t || !v)
        return NULL;
    t->id = id;
    t->length = t->precision = t->scale = -1;
    t->start = e->start;
    t->end = e->end;
    v->u.type = t;
    bool call = e->kind == FE_E_CALL;
    const fe_expr *pos[2] = {NULL, NULL}, *kws[2] = {NULL, NULL};
    size_t npos = 0;
    switch (info->params) {
    case IR_TP_NONE:
        if (call && e->u.call.nargs) {
            sm_err(s, "sema.type-params", e->start, e->end, "t.%s takes no arguments", tn);
            return NULL;
        }
        return v;
    case IR_TP_LENGTH:
    case IR_TP_OPT_LENGTH: {
        if (!call) {
            if (info->params == IR_TP_OPT_LENGTH)
                return v;
            jy_diag *g = sm_err(s, "sema.type-params", e->start, e->end,
                                "t.%s needs a length", tn);
            jy_diag_hint(g, "write t.%s(255)", tn);
            return NULL;
        }
        static const char *const kw[] = {"length"};
        if (!type_args(s, e, tn, pos, 1, &npos, kw, 1, kws))
            return NULL;
        const fe_expr *len = npos ? pos[0] : kws[0];
        if (npos && kws[0]) {
            sm_err(s, "sema.duplicate-keyword", kws[0]->start, kws[0]->end,
                   "t.%s: the length is given twice", tn);
            return NULL;
        }
        if (!len) {
            if (info->params == IR_TP_OPT_LENGTH)
                return v;
            jy_diag *g = sm_err(s, "sema.type-params", e->start, e->end,
                                "t.%s needs a length", tn);
            jy_diag_hint(g, "write t.%s(255)", tn);
            return NULL;
        }
        if (!int_arg(s, len, tn, "the length", 1, SM_STRING_MAX, &t->length))
            return NULL;
        return v;
    }
    case IR_TP_PREC_SCALE: {
        if (!call)
            return v;
        static const char *const kw[] = {"precision", "scale"};
        if (!type_args(s, e, tn, pos, 2, &npos, kw, 2, kws))
            return NULL;
        const fe_expr *p = npos > 0 ? pos[0] : NULL, *sc = npos > 1 ? pos[1] : NULL;
        if ((p && kws[0]) || (sc && kws[1])) {
            const fe_expr *x = p && kws[0] ? kws[0] : kws[1];
            sm_err(s, "sema.duplicate-keyword", x->start, x->end,
                   "t.%s: an argument is given twice", tn);
            return NULL;
        }
        if (!p)
            p = kws[0];
        if (!sc)
            sc = kws[1];
        if (sc && !p) {
            sm_err(s, "sema.type-params", sc->start, sc->end,
                   "t.%s: a scale needs a precision: t.%s(10, 2)", tn, tn);
            return NULL;
        }
        if (p && !int_arg(s, p, tn, "the precision", 1, 65, &t->precision))
            return NULL;
        if (sc) {
            if (!int_arg(s, sc, tn, "the scale", 0, t->precision, &t->scale))
                return NULL;
        } else if (p)
            t->scale = 0;
        return v;
    }
    case IR_TP_LABELS: {
        if (!call) {
            jy_diag *g = sm_err(s, "sema.type-params", e->start, e->end,
                                "t.Enum needs its labels and a name");
            jy_diag_hint(g, "write t.Enum(\"a\", \"b\", name=\"status\")");
            return NULL;
        }
        size_t n = e->u.call.nargs;
        const char **labels = jy_arena_calloc(s->A, n ? n : 1, sizeof *labels);
        if (!labels)
            return NULL;
        bool ok = true;
        const fe_expr *namex = NULL;
        for (size_t i = 0; i < n; i++) {
            const fe_arg *a = &e->u.call.args[i];
            if (!a->value || a->value->kind == FE_E_ERROR) {
                ok = false;
                continue;
            }
            if (a->star) {
                sm_err(s, "sema.star-arg", a->value->start, a->value->end,
                       "*args and **kwargs are not part of the compiled subset");
                ok = false;
                continue;
            }
            if (a->kw) {
                if (strcmp(a->kw, "name") != 0) {
                    static const char *const kw[] = {"name"};
                    const char *c = jy_closest(a->kw, strlen(a->kw), kw, 1);
                    jy_diag *g = sm_err(s, "sema.type-params", a->kw_start, a->kw_end,
                                        "t.Enum has no argument '%s'", a->kw);
                    if (c)
                        jy_diag_hint(g, "did you mean 'name'?");
                    ok = false;
                } else if (namex) {
                    sm_err(s, "sema.duplicate-keyword", a->kw_start, a->kw_end,
                           "argument 'name' is given twice");
                    ok = false;
                } else
                    namex = a->value;
                continue;
            }
            ir_value *lv = sm_value(s, a->value);
            if (!lv) {
                ok = false;
                continue;
            }
            if (lv->kind != IR_V_STR) {
                jy_diag *g = sm_err(s, "sema.type-params", lv->start, lv->end,
                                    "t.Enum labels must be strings, not %s",
                                    sm_value_kind_name(lv));
                if (lv->kind == IR_V_LIST || lv->kind == IR_V_TUPLE)
                    jy_diag_hint(g, "write the labels one by one: t.Enum(\"a\", \"b\", "
                                    "name=\"status\")");
                ok = false;
                continue;
            }
            if (lv->u.str.len == 0 || lv->u.str.len > SM_IDENT_MAX ||
                strlen(lv->u.str.s) != lv->u.str.len) {
                sm_err(s, "sema.type-params", lv->start, lv->end,
                       "an enum label must be 1 to %d bytes without NUL", SM_IDENT_MAX);
                ok = false;
                continue;
            }
            bool dup = false;
            for (size_t j = 0; j < t->nlabels && j < 1024; j++)
                if (strcmp(labels[j], lv->u.str.s) == 0)
                    dup = true;
            if (dup) {
                sm_err(s, "sema.type-params", lv->start, lv->end,
                       "enum label \"%s\" is given twice", lv->u.str.s);
                ok = false;
                continue;
            }
            labels[t->nlabels++] = lv->u.str.s;
        }
        t->labels = labels;
        if (ok && t->nlabels == 0) {
            jy_diag *g = sm_err(s, "sema.type-params", e->start, e->end,
                                "t.Enum needs at least one label");
            jy_diag_hint(g, "write t.Enum(\"a\", \"b\", name=\"status\")");
            ok = false;
        }
        if (!namex) {
            if (ok) {
                jy_diag *g = sm_err(s, "sema.type-params", e->start, e->end,
                                    "t.Enum needs name= (the PostgreSQL type name)");
                jy_diag_hint(g, "add name=\"status\"");
            }
            return NULL;
        }
        ir_value *nv = sm_value(s, namex);
        if (!nv || !ident_ok(s, nv, "the enum name= (a type name)"))
            return NULL;
        t->enum_name = nv->u.str.s;
        return ok ? v : NULL;
    }
    case IR_TP_INNER: {
        if (!call) {
            jy_diag *g = sm_err(s, "sema.type-params", e->start, e->end,
                                "t.Array needs an element type");
            jy_diag_hint(g, "write t.Array(t.Int)");
            return NULL;
        }
        if (!type_args(s, e, tn, pos, 1, &npos, NULL, 0, kws))
            return NULL;
        if (!npos) {
            jy_diag *g = sm_err(s, "sema.type-params", e->start, e->end,
                                "t.Array needs an element type");
            jy_diag_hint(g, "write t.Array(t.Int)");
            return NULL;
        }
        ir_value *iv = sm_value(s, pos[0]);
        if (!iv)
            return NULL;
        if (iv->kind != IR_V_TYPE) {
            sm_err(s, "sema.type-params", iv->start, iv->end,
                   "t.Array takes a t.* element type, not %s", sm_value_kind_name(iv));
            return NULL;
        }
        if (iv->u.type->id == IR_T_ARRAY) {
            sm_err(s, "sema.type-params", iv->start, iv->end,
                   "t.Array cannot hold another t.Array");
            return NULL;
        }
        t->inner = iv->u.type;
        return v;
    }
    case IR_TP_DIALECT: {
        if (!call) {
            jy_diag *g = sm_err(s, "sema.type-params", e->start, e->end,
                                "t.dialect needs the type's name");
            jy_diag_hint(g, "write t.dialect(\"postgresql.tsvector\")");
            return NULL;
        }
        if (!type_args(s, e, tn, pos, 1, &npos, NULL, 0, kws))
            return NULL;
        ir_value *dv = npos ? sm_value(s, pos[0]) : NULL;
        if (!npos) {
            jy_diag *g = sm_err(s, "sema.type-params", e->start, e->end,
                                "t.dialect needs the type's name");
            jy_diag_hint(g, "write t.dialect(\"postgresql.tsvector\")");
            return NULL;
        }
        if (!dv)
            return NULL;
        if (dv->kind != IR_V_STR) {
            sm_err(s, "sema.type-params", dv->start, dv->end,
                   "t.dialect takes a string \"<dialect>.<type>\", not %s",
                   sm_value_kind_name(dv));
            return NULL;
        }
        const char *str = dv->u.str.s;
        const char *dot = memchr(str, '.', dv->u.str.len);
        ir_dialect dd;
        if (!dot || dot == str || (size_t)(dot - str) + 1 >= dv->u.str.len) {
            jy_diag *g = sm_err(s, "sema.dialect-type", dv->start, dv->end,
                                "t.dialect(\"%s\") needs \"<dialect>.<type>\"", str);
            jy_diag_hint(g, "write t.dialect(\"postgresql.tsvector\")");
            return NULL;
        }
        if (!ir_dialect_parse(str, (size_t)(dot - str), &dd)) {
            static const char *const dn[] = {"postgresql", "postgres", "pg",
                                             "mysql",      "mariadb",  "sqlite"};
            const char *c = jy_closest(str, (size_t)(dot - str), dn, JY_COUNTOF(dn));
            jy_diag *g = sm_err(s, "sema.dialect-type", dv->start, dv->end,
                                "t.dialect(\"%s\"): unknown dialect \"%.*s\"", str,
                                (int)(dot - str), str);
            if (c)
                jy_diag_hint(g, "did you mean \"%s%s\"?", c, dot);
            else
                jy_diag_hint(g, "the dialects are postgresql, mysql, mariadb and sqlite");
            return NULL;
        }
        if (strlen(str) != dv->u.str.len) {
            sm_err(s, "sema.dialect-type", dv->start, dv->end,
                   "t.dialect: the type name holds a NUL byte");
            return NULL;
        }
        t->dialect_of = dd;
        t->dialect_type = dot + 1;
        return v;
    }
    }
    return v;
}

static ir_op *build_op(sema *s, ir_op_kind k, const fe_expr *call, const fe_expr *fn,
                       const char *prefix);
static void op_rules(sema *s, ir_op *op, const char *callee, const fe_expr *call);

static ir_value *column_value(sema *s, const fe_expr *call)
{
    ir_op *op = build_op(s, IR_OP_column, call, call->u.call.fn, "op");
    if (!op)
        return NULL;
    op_rules(s, op, "op.column", call);
    ir_value *v = newv(s, IR_V_COLUMN, call->start, call->end);
    if (v)
        v->u.op = op;
    return v;
}

/* ------------------------------------------------------- kind checks */

static bool ident_ok(sema *s, const ir_value *v, const char *what)
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

static bool sql_ok(sema *s, const ir_value *v, const char *what)
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
static bool no_duplicates(sema *s, ir_value **items, size_t n, const char *what)
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
        if (!ident_ok(s, v->u.list.items[i], "a name in the list"))
            ok = false;
    return ok && no_duplicates(s, v->u.list.items, v->u.list.n, "name");
}

static const char *const sql_keys[] = {"postgresql", "postgres", "pg",     "mysql",
                                       "mariadb",    "sqlite",   "default"};

/* A SQL string, or a dict {dialect key: SQL}; keys normalized (pg ->
 * postgresql).  Returns the value to store, or NULL. */
static ir_value *sql_dialects(sema *s, ir_value *v, const char *what)
{
    if (v->kind != IR_V_DICT) {
        if (v->kind != IR_V_STR) {
            jy_diag *g = sm_err(s, "sema.argument-kind", v->start, v->end,
                                "%s must be a SQL string or a dict {dialect: SQL}, not %s", what,
                                sm_value_kind_name(v));
            (void)g;
            return NULL;
        }
        return sql_ok(s, v, what) ? v : NULL;
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
        if (name_is(k->u.str.s, k->u.str.len, "default")) {
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
        if (!sql_ok(s, v->u.dict.vals[i], "the SQL of each dialect"))
            ok = false;
        if (strcmp(canon, k->u.str.s) != 0) {
            ir_value *nk = new_str(s, canon, strlen(canon), k->start, k->end);
            if (nk)
                v->u.dict.keys[i] = nk;
        }
    }
    return ok ? v : NULL;
}

static bool is_const_scalar(const ir_value *v)
{
    return v->kind == IR_V_NONE || v->kind == IR_V_BOOL || v->kind == IR_V_INT ||
           v->kind == IR_V_FLOAT || v->kind == IR_V_STR;
}

static bool value_ok(sema *s, const ir_value *v, const char *what)
{
    if (is_const_scalar(v))
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
        return sql_ok(s, v, what);
    jy_diag *g = sm_err(s, "sema.argument-kind", v->start, v->end,
                        "%s must be a SQL string or t.now(), not %s", what,
                        sm_value_kind_name(v));
    if (is_const_scalar(v))
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
    cat4(buf, sizeof buf, c ? c : "", NULL, NULL, NULL);
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
                    ir_value *nv = new_str(s, list[i], strlen(list[i]), v->start, v->end);
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
        if (!ident_ok(s, v->u.dict.keys[i], "a column name in set="))
            ok = false;
        else if (!sql_ok(s, v->u.dict.vals[i], "the SQL expression of a column"))
            ok = false;
    }
    return ok && no_duplicates(s, v->u.dict.keys, v->u.dict.n, "column");
}

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
            if (!ident_ok(s, row->u.dict.keys[i], "a column name of a row"))
                rok = false;
            else if (!value_ok(s, row->u.dict.vals[i], "a row value"))
                rok = false;
        }
        if (rok && !no_duplicates(s, row->u.dict.keys, row->u.dict.n, "column"))
            rok = false;
        if (!rok)
            ok = false;
    }
    return ok;
}

/* --------------------------------------------- declare_schema_change */

static const char *const opt_keys[] = {"nullable",    "default", "server_default", "generated",
                                       "primary_key", "unique",  "comment"};

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
            ok &= sql_ok(s, x, "\"generated\"");
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
            jy_diag *g = sm_err(s, "sema.hint-key", v->start, v->end,
                                "%s needs {\"kind\": \"fk\" | \"unique\" | \"check\", ...}", kw);
            (void)g;
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

static bool hint_elem_ok(sema *s, const char *kw, char shape, const ir_value *x)
{
    switch (shape) {
    case 'I':
        return ident_ok(s, x, "a name in the tuple");
    case 'S':
        return sql_ok(s, x, "the SQL in the tuple");
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
            if (!ident_ok(s, x->u.list.items[i], "an item of the list"))
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
    ir_value *list = newv(s, IR_V_LIST, v->start, v->end);
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
        ir_value *t = newv(s, IR_V_TUPLE, v->start, v->end);
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
        jy_diag *g = sm_err(s, "sema.hint-shape", v->start, v->end,
                            "%s must be a tuple %s (or a list of them), not %s", p->name, p->doc,
                            sm_value_kind_name(v));
        (void)g;
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
static ir_value *check_kind(sema *s, const char *callee, const ir_param_info *p, ir_value *v)
{
    char what[160];
    char head[64];
    cat4(what, sizeof what, cat4(head, sizeof head, "argument '", p->name, "' of ", NULL), callee,
         NULL, NULL);
    switch (p->kind) {
    case IR_K_IDENT:
        return ident_ok(s, v, what) ? v : NULL;
    case IR_K_IDENT_LIST:
        return ident_list_ok(s, v, what) ? v : NULL;
    case IR_K_STR:
        if (v->kind == IR_V_STR)
            return v;
        sm_err(s, "sema.argument-kind", v->start, v->end, "%s must be a string, not %s", what,
               sm_value_kind_name(v));
        return NULL;
    case IR_K_SQL:
        return sql_ok(s, v, what) ? v : NULL;
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

/* ------------------------------------------------------------- op calls */

static void op_signature_hint(jy_diag *g, const ir_op_info *info)
{
    jy_diag_hint(g, "%s", info->signature);
}

/*
 * Bind the arguments of a call to the catalogue entry k: positional ones in
 * declaration order (the batch table skipped inside a batch), the rest into
 * the variadic slot; keywords by name.  Each value is converted and checked
 * against its kind.  Returns the op (even with bad arguments: their slots
 * are NULL and errors were reported), or NULL on memory failure.
 */
static ir_op *build_op(sema *s, ir_op_kind k, const fe_expr *call, const fe_expr *fn,
                       const char *prefix)
{
    const ir_op_info *info = &ir_op_table[k];
    size_t np = info->nparams;
    ir_op *op = jy_arena_alloc(s->A, sizeof *op);
    ir_value **args = jy_arena_calloc(s->A, np ? np : 1, sizeof *args);
    bool *given = calloc(np ? np : 1, sizeof *given);
    if (!op || !args || !given) {
        free(given);
        return NULL;
    }
    op->kind = k;
    op->info = info;
    op->args = args;
    op->start = call->start;
    op->end = call->end;
    op->name_start = fn->kind == FE_E_ATTR ? fn->u.attr.name_start : fn->start;
    op->name_end = fn->kind == FE_E_ATTR ? fn->u.attr.name_end : fn->end;
    ir_batch *batch = k == IR_OP_batch || k == IR_OP_column ? NULL : s->batch;
    op->batch = batch;

    char callee[96];
    cat4(callee, sizeof callee, prefix, ".", info->name, NULL);
    const char *pnames[40];
    size_t npn = 0;
    int variadic = -1;
    for (size_t i = 0; i < np; i++) {
        if (info->params[i].flags & IR_AF_VARIADIC)
            variadic = (int)i;
        if (npn < JY_COUNTOF(pnames) &&
            !(batch && (info->params[i].flags & IR_AF_BATCH_TABLE)))
            pnames[npn++] = info->params[i].name;
    }
    sm_vec var = {0};
    size_t posi = 0;
    bool star = false;
    for (size_t ai = 0; ai < call->u.call.nargs; ai++) {
        const fe_arg *a = &call->u.call.args[ai];
        if (!a->value || a->value->kind == FE_E_ERROR) {
            /* the parser reported it; do not also call the argument missing */
            if (!a->kw) {
                while (posi < np && (!(info->params[posi].flags & IR_AF_POS) ||
                                     (batch && (info->params[posi].flags & IR_AF_BATCH_TABLE))))
                    posi++;
                if (posi < np)
                    given[posi++] = true;
            }
            continue;
        }
        if (a->star) {
            sm_err(s, "sema.star-arg", a->value->start, a->value->end,
                   "*args and **kwargs are not part of the compiled subset");
            star = true;
            continue;
        }
        size_t slot;
        if (!a->kw) {
            while (posi < np && (!(info->params[posi].flags & IR_AF_POS) ||
                                 (batch && (info->params[posi].flags & IR_AF_BATCH_TABLE))))
                posi++;
            if (posi < np) {
                slot = posi++;
            } else if (variadic >= 0) {
                ir_value *v = sm_value(s, a->value);
                if (v && (v = check_kind(s, callee, &info->params[variadic], v)))
                    sm_vec_push(s, &var, v);
                continue;
            } else {
                size_t maxpos = 0;
                for (size_t i = 0; i < np; i++)
                    if ((info->params[i].flags & IR_AF_POS) &&
                        !(batch && (info->params[i].flags & IR_AF_BATCH_TABLE)))
                        maxpos++;
                jy_diag *g = sm_err(s, "sema.too-many-arguments", a->value->start, a->value->end,
                                    "%s takes %zu positional argument%s", callee, maxpos,
                                    maxpos == 1 ? "" : "s");
                op_signature_hint(g, info);
                continue;
            }
        } else {
            for (slot = 0; slot < np; slot++)
                if (strcmp(info->params[slot].name, a->kw) == 0)
                    break;
            if (slot == np) {
                const char *c = jy_closest(a->kw, strlen(a->kw), pnames, npn);
                jy_diag *g = sm_err(s, "sema.unknown-keyword", a->kw_start, a->kw_end,
                                    "%s has no argument '%s'", callee, a->kw);
                if (c)
                    jy_diag_hint(g, "did you mean '%s'?", c);
                else
                    op_signature_hint(g, info);
                continue;
            }
            if (batch && (info->params[slot].flags & IR_AF_BATCH_TABLE)) {
                jy_diag *g = sm_err(s, "sema.batch-table", a->kw_start, a->value->end,
                                    "inside `with op.batch(\"%s\")` the table is implied",
                                    batch->table);
                jy_diag_hint(g, "remove %s=", a->kw);
                continue;
            }
            if ((int)slot == variadic) {
                jy_diag *g = sm_err(s, "sema.variadic-keyword", a->kw_start, a->kw_end,
                                    "%s takes its %s by position, not as %s=", callee, a->kw,
                                    a->kw);
                op_signature_hint(g, info);
                continue;
            }
            if (given[slot]) {
                sm_err(s, "sema.duplicate-argument", a->kw_start, a->kw_end,
                       "%s: argument '%s' is given twice", callee, a->kw);
                continue;
            }
        }
        given[slot] = true;
        ir_value *v = sm_value(s, a->value);
        if (v)
            args[slot] = check_kind(s, callee, &info->params[slot], v);
    }
    if (variadic >= 0) {
        ir_value *lv = newv(s, IR_V_LIST, call->start, call->end);
        if (lv) {
            lv->u.list.items = (ir_value **)var.v;
            lv->u.list.n = var.n;
            if (var.n) {
                lv->start = ((ir_value *)var.v[0])->start;
                lv->end = ((ir_value *)var.v[var.n - 1])->end;
            }
        }
        args[variadic] = lv;
        given[variadic] = true;
    }
    for (size_t i = 0; i < np; i++) {
        const ir_param_info *p = &info->params[i];
        if (batch && (p->flags & IR_AF_BATCH_TABLE)) {
            args[i] = new_str(s, batch->table, strlen(batch->table), s->batch_tstart,
                              s->batch_tend);
            given[i] = true;
            continue;
        }
        if ((p->flags & IR_AF_REQ) && !given[i] && !star) {
            jy_diag *g = sm_err(s, "sema.missing-argument", op->name_start, op->name_end,
                                "%s needs argument '%s' (%s)", callee, p->name, p->doc);
            op_signature_hint(g, info);
        }
    }
    free(given);
    return op;
}

/* ------------------------------------------------------ op-level rules */

static bool is_true(const ir_value *v)
{
    return v && v->kind == IR_V_BOOL && v->u.b;
}

static bool set(const ir_value *v)
{
    return v && v->kind != IR_V_NONE;
}

static bool integer_type(ir_type_id id)
{
    return id == IR_T_SMALLINT || id == IR_T_INT || id == IR_T_BIGINT || id == IR_T_SERIAL ||
           id == IR_T_BIGSERIAL;
}

static size_t utf8_chars(const char *p, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* default= against the column type. */
static void default_fits(sema *s, const ir_type *t, const ir_value *v)
{
    if (!t || !v || v->kind == IR_V_NONE || !is_const_scalar(v))
        return;
    const char *tn = ir_type_table[t->id].name;
    bool ok = true;
    switch (t->id) {
    case IR_T_SMALLINT:
    case IR_T_INT:
    case IR_T_BIGINT:
    case IR_T_SERIAL:
    case IR_T_BIGSERIAL:
        ok = v->kind == IR_V_INT;
        break;
    case IR_T_FLOAT:
    case IR_T_DOUBLE:
    case IR_T_DECIMAL:
        ok = v->kind == IR_V_INT || v->kind == IR_V_FLOAT;
        break;
    case IR_T_BOOL:
        ok = v->kind == IR_V_BOOL;
        break;
    case IR_T_STRING:
    case IR_T_TEXT:
    case IR_T_UUID:
    case IR_T_DATE:
    case IR_T_TIME:
    case IR_T_TIMESTAMP:
    case IR_T_BINARY:
    case IR_T_ENUM:
        ok = v->kind == IR_V_STR;
        break;
    default:
        return;
    }
    if (!ok) {
        jy_diag *g = sm_err(s, "sema.default-type", v->start, v->end,
                            "default= is %s, which does not fit a t.%s column",
                            sm_value_kind_name(v), tn);
        jy_diag_hint(g, "default= is a constant of the column's type; for a SQL expression "
                        "write server_default=\"...\"");
        return;
    }
    if (t->id == IR_T_STRING && t->length > 0 &&
        utf8_chars(v->u.str.s, v->u.str.len) > (size_t)t->length)
        sm_err(s, "sema.default-type", v->start, v->end,
               "default= is longer than the column's t.String(%lld)", (long long)t->length);
    if (t->id == IR_T_ENUM) {
        for (size_t i = 0; i < t->nlabels; i++)
            if (strcmp(t->labels[i], v->u.str.s) == 0)
                return;
        sm_err(s, "sema.default-type", v->start, v->end,
               "default=\"%s\" is not a label of the enum", v->u.str.s);
    }
}

/* Rules of op.column and op.add_column (same argument names). */
static void column_rules(sema *s, ir_value **a, size_t i_type, size_t i_null, size_t i_def,
                         size_t i_sdef, size_t i_gen, size_t i_pk, size_t i_auto)
{
    if (set(a[i_def]) && set(a[i_sdef])) {
        jy_diag *g = sm_err(s, "sema.default-exclusive", a[i_sdef]->start, a[i_sdef]->end,
                            "default= and server_default= exclude each other");
        jy_diag_hint(g, "default= takes a constant, server_default= SQL text or t.now(): "
                        "keep one");
    }
    if (set(a[i_gen]) && (set(a[i_def]) || set(a[i_sdef]))) {
        const ir_value *d = set(a[i_def]) ? a[i_def] : a[i_sdef];
        sm_err(s, "sema.generated-default", d->start, d->end,
               "a generated column cannot have a default");
    }
    if (is_true(a[i_pk]) && is_true(a[i_null]))
        sm_err(s, "sema.nullable-primary-key", a[i_null]->start, a[i_null]->end,
               "a primary-key column cannot be nullable=True");
    const ir_type *t = a[i_type] ? a[i_type]->u.type : NULL;
    if (is_true(a[i_auto]) && t && !integer_type(t->id)) {
        jy_diag *g = sm_err(s, "sema.autoincrement-type", a[i_auto]->start, a[i_auto]->end,
                            "autoincrement=True needs an integer column, not t.%s",
                            ir_type_table[t->id].name);
        jy_diag_hint(g, "use t.Int or t.BigInt");
    }
    if (a[i_def])
        default_fits(s, t, a[i_def]);
}

static const char *str_of(const ir_value *v)
{
    return v && v->kind == IR_V_STR ? v->u.str.s : NULL;
}

static void op_rules(sema *s, ir_op *op, const char *callee, const fe_expr *call)
{
    size_t nargs = call->u.call.nargs;
    ir_value **a = op->args;
    switch (op->kind) {
    case IR_OP_column:
        column_rules(s, a, IR_A_column_type, IR_A_column_nullable, IR_A_column_default,
                     IR_A_column_server_default, IR_A_column_generated, IR_A_column_primary_key,
                     IR_A_column_autoincrement);
        break;
    case IR_OP_add_column:
        column_rules(s, a, IR_A_add_column_type, IR_A_add_column_nullable,
                     IR_A_add_column_default, IR_A_add_column_server_default,
                     IR_A_add_column_generated, IR_A_add_column_primary_key,
                     IR_A_add_column_autoincrement);
        break;
    case IR_OP_alter_column: {
        if (!a[IR_A_alter_column_type] && !a[IR_A_alter_column_nullable] &&
            !a[IR_A_alter_column_default] && !a[IR_A_alter_column_server_default] &&
            !a[IR_A_alter_column_comment] && a[IR_A_alter_column_name]) {
            jy_diag *g = sm_err(s, "sema.alter-nothing", op->name_start, op->name_end,
                                "%s changes nothing", callee);
            jy_diag_hint(g, "give type=, nullable=, default=, server_default= or comment=");
        }
        if (set(a[IR_A_alter_column_default]) && set(a[IR_A_alter_column_server_default]))
            sm_err(s, "sema.default-exclusive", a[IR_A_alter_column_server_default]->start,
                   a[IR_A_alter_column_server_default]->end,
                   "default= and server_default= exclude each other");
        if (a[IR_A_alter_column_type] && a[IR_A_alter_column_default])
            default_fits(s, a[IR_A_alter_column_type]->u.type, a[IR_A_alter_column_default]);
        break;
    }
    case IR_OP_create_table: {
        const ir_value *cols = a[IR_A_create_table_columns];
        if (!cols)
            break;
        size_t n = cols->u.list.n;
        if (n == 0) {
            /* a column argument that failed was reported already */
            size_t tried = 0;
            for (size_t i = 0; i < nargs; i++)
                if (!call->u.call.args[i].kw || strcmp(call->u.call.args[i].kw, "columns") == 0)
                    tried++;
            if (a[IR_A_create_table_name] && tried <= 1) {
                jy_diag *g = sm_err(s, "sema.no-columns", op->name_start, op->name_end,
                                    "%s needs at least one column", callee);
                jy_diag_hint(g, "op.create_table(\"t\", op.column(\"id\", t.BigInt, "
                                "primary_key=True), ...)");
            }
            break;
        }
        ir_value **names = malloc(n * sizeof *names);
        size_t nn = 0;
        bool col_pk = false;
        for (size_t i = 0; names && i < n; i++) {
            ir_op *c = cols->u.list.items[i]->u.op;
            if (c->args[IR_A_column_name] && c->args[IR_A_column_name]->kind == IR_V_STR)
                names[nn++] = c->args[IR_A_column_name];
            if (is_true(c->args[IR_A_column_primary_key]))
                col_pk = true;
        }
        if (names)
            no_duplicates(s, names, nn, "column");
        const ir_value *pk = a[IR_A_create_table_primary_key];
        if (pk && pk->kind != IR_V_NONE && col_pk) {
            jy_diag *g = sm_err(s, "sema.primary-key-twice", pk->start, pk->end,
                                "primary_key= and a column's primary_key=True exclude each "
                                "other");
            jy_diag_hint(g, "declare the key once: primary_key=[...] for a composite key");
        }
        if (pk && (pk->kind == IR_V_LIST || pk->kind == IR_V_TUPLE) && names) {
            const char **cn = malloc((nn ? nn : 1) * sizeof *cn);
            for (size_t i = 0; cn && i < nn; i++)
                cn[i] = names[i]->u.str.s;
            for (size_t i = 0; cn && i < pk->u.list.n; i++) {
                const char *want = str_of(pk->u.list.items[i]);
                bool found = false;
                for (size_t j = 0; want && j < nn && !found; j++)
                    found = strcmp(cn[j], want) == 0;
                if (want && !found) {
                    const char *c = jy_closest(want, strlen(want), cn, nn);
                    jy_diag *g = sm_err(s, "sema.unknown-column", pk->u.list.items[i]->start,
                                        pk->u.list.items[i]->end,
                                        "primary_key names \"%s\", which is not a column of "
                                        "this table",
                                        want);
                    if (c)
                        jy_diag_hint(g, "did you mean \"%s\"?", c);
                }
            }
            free(cn);
        }
        free(names);
        break;
    }
    case IR_OP_rename_table:
    case IR_OP_rename_column: {
        const char *o = str_of(a[op->kind == IR_OP_rename_table ? IR_A_rename_table_old
                                                                 : IR_A_rename_column_old]);
        const ir_value *nv = a[op->kind == IR_OP_rename_table ? IR_A_rename_table_new
                                                               : IR_A_rename_column_new];
        if (o && str_of(nv) && strcmp(o, str_of(nv)) == 0)
            sm_err(s, "sema.rename-same", nv->start, nv->end,
                   "the new name is the old name \"%s\"", o);
        break;
    }
    case IR_OP_create_foreign_key: {
        const ir_value *sc = a[IR_A_create_foreign_key_source_cols];
        const ir_value *rc = a[IR_A_create_foreign_key_ref_cols];
        if (sc && rc && sc->u.list.n != rc->u.list.n)
            sm_err(s, "sema.fk-columns", rc->start, rc->end,
                   "the foreign key has %zu referencing and %zu referenced columns",
                   sc->u.list.n, rc->u.list.n);
        break;
    }
    case IR_OP_backfill: {
        const ir_value *bs = a[IR_A_backfill_batch_size];
        if (bs && (bs->u.i < 1 || bs->u.i > 1000000)) {
            jy_diag *g = sm_err(s, "sema.batch-size", bs->start, bs->end,
                                "batch_size must be between 1 and 1000000, not %lld",
                                (long long)bs->u.i);
            jy_diag_hint(g, "10000 (the default) suits most tables");
        }
        break;
    }
    case IR_OP_declare_schema_change: {
        if (nargs == 0) {
            jy_diag *g = sm_err(s, "sema.declare-empty", op->name_start, op->name_end,
                                "%s declares nothing", callee);
            jy_diag_hint(g, "e.g. op.declare_schema_change(extension_added=(\"pgcrypto\",))");
        }
        break;
    }
    default:
        break;
    }
}

/* --------------------------------------------------- per-dialect rules */

static const char *const hint_branch =
    "put the op in an `if op.dialect.name == \"...\":` branch, restrict the migration "
    "with dialects=[...], or leave the dialect out of [dialects] targets in joryu.toml";

/* A type used for the dialects of mask (exit 6 when one cannot run it). */
static void type_for_dialects(sema *s, const ir_value *tv, ir_dmask mask)
{
    if (!tv || tv->kind != IR_V_TYPE || !mask)
        return;
    const ir_type *t = tv->u.type;
    ir_dmask bad = 0;
    for (int d = 0; d < IR_D__COUNT; d++)
        if ((mask & IR_DMASK(d)) && !ir_type_supported(t, (ir_dialect)d))
            bad |= IR_DMASK(d);
    if (!bad)
        return;
    char list[96];
    sm_mask_text(bad, list, sizeof list);
    jy_diag *g;
    if (t->id == IR_T_DIALECT)
        g = sm_err6(s, "sema.type-dialect", tv->start, tv->end,
                    "t.dialect(\"%s.%s\") is a %s type, but this op is compiled for %s",
                    ir_dialect_name(t->dialect_of), t->dialect_type,
                    ir_dialect_name(t->dialect_of), list);
    else
        g = sm_err6(s, "sema.type-unsupported", tv->start, tv->end,
                    "t.%s is not supported on %s", ir_type_table[t->id].name, list);
    jy_diag_hint(g, "%s", hint_branch);
}

static void serial_rule(sema *s, const ir_value *tv, bool is_pk, const char *how)
{
    if (!tv || tv->kind != IR_V_TYPE)
        return;
    ir_type_id id = tv->u.type->id;
    if ((id != IR_T_SERIAL && id != IR_T_BIGSERIAL) || is_pk)
        return;
    jy_diag *g = sm_err6(s, "sema.serial-primary-key", tv->start, tv->end,
                         "t.%s needs primary_key=True%s", ir_type_table[id].name, how);
    jy_diag_hint(g, "MySQL requires AUTO_INCREMENT columns to be a key and SQLite's rowid "
                    "alias is INTEGER PRIMARY KEY; add primary_key=True or use t.Int / t.BigInt");
}

/* The dict keys of an op.execute argument against the dialects compiled. */
static void sql_keys_for(sema *s, const ir_value *v, ir_dmask mask, const char *what)
{
    if (!v || v->kind != IR_V_DICT || !mask)
        return;
    ir_dmask have = 0;
    for (size_t i = 0; i < v->u.dict.n; i++) {
        const char *k = str_of(v->u.dict.keys[i]);
        ir_dialect d;
        if (!k)
            continue;
        if (strcmp(k, "default") == 0)
            return;
        if (ir_dialect_parse(k, strlen(k), &d))
            have |= IR_DMASK(d);
    }
    /* MariaDB runs the "mysql" SQL unless a "mariadb" key overrides it (the
     * family rule of op.dialect.name; the backends pick mariadb, mysql, default) */
    if (have & IR_DMASK(IR_D_MYSQL))
        have |= IR_DMASK(IR_D_MARIADB);
    ir_dmask missing = mask & ~have;
    if (!missing)
        return;
    char list[96];
    sm_mask_text(missing, list, sizeof list);
    jy_diag *g = sm_err(s, "sema.execute-missing-dialect", v->start, v->end,
                        "%s has no SQL for %s and no \"default\" key", what, list);
    jy_diag_hint(g, "add a key for %s or a \"default\" key, or %s", list,
                 "put the op in an `if op.dialect.name == ...:` branch or restrict the "
                 "migration with dialects=[...]");
}

/* Checks that depend on the dialects the op is compiled for. */
static void dialect_rules(sema *s, ir_op *op)
{
    ir_dmask mask = op->dialects;
    ir_value **a = op->args;
    if (!mask || (op->info->flags & IR_OPF_HINT))
        return;
    switch (op->kind) {
    case IR_OP_execute:
        sql_keys_for(s, a[IR_A_execute_sql], mask, "op.execute");
        sql_keys_for(s, a[IR_A_execute_reverse], mask, "op.execute's reverse=");
        break;
    case IR_OP_add_column:
        type_for_dialects(s, a[IR_A_add_column_type], mask);
        serial_rule(s, a[IR_A_add_column_type], is_true(a[IR_A_add_column_primary_key]), "");
        break;
    case IR_OP_alter_column:
        type_for_dialects(s, a[IR_A_alter_column_type], mask);
        serial_rule(s, a[IR_A_alter_column_type], false,
                    ", which op.alter_column cannot set: create the column with it");
        break;
    case IR_OP_create_table: {
        const ir_value *cols = a[IR_A_create_table_columns];
        const ir_value *pk = a[IR_A_create_table_primary_key];
        const char *pk1 = pk && (pk->kind == IR_V_LIST || pk->kind == IR_V_TUPLE) &&
                                  pk->u.list.n == 1
                              ? str_of(pk->u.list.items[0])
                              : NULL;
        for (size_t i = 0; cols && i < cols->u.list.n; i++) {
            ir_op *c = cols->u.list.items[i]->u.op;
            c->dialects = op->dialects;
            c->cond_dialects = op->cond_dialects;
            c->batch = NULL;
            const char *cn = str_of(c->args[IR_A_column_name]);
            bool is_pk = is_true(c->args[IR_A_column_primary_key]) ||
                         (pk1 && cn && strcmp(pk1, cn) == 0);
            type_for_dialects(s, c->args[IR_A_column_type], mask);
            serial_rule(s, c->args[IR_A_column_type], is_pk, "");
        }
        break;
    }
    default:
        break;
    }
}

/* ------------------------------------------------------------ bodies */

static void body_stmt_error(sema *s, const fe_stmt *st)
{
    jy_diag *g = sm_err(s, "sema.statement", st->start, st->end,
                        "joryuc compiles a declarative subset: a function body holds op.* "
                        "calls, `with op.batch(...) as b:`, `if op.dialect.name ...:`, pass "
                        "and docstrings");
    jy_diag_hint(g, "computed values and other Python logic need a Python runtime");
}

static const char *const *op_names(size_t *n, bool batch_only)
{
    static const char *const all[] = {
#define IR_OP(name, flags, sig, syn) #name,
#define IR_ARG(op, name, kind, flags, choices, doc)
#define IR_OP_END(op)
#define IR_REJECT(name, alt)
#include "ops.def"
#undef IR_OP
#undef IR_ARG
#undef IR_OP_END
#undef IR_REJECT
    };
    static const char *const batchable[] = {
#define IR_OP(name, flags, sig, syn) ((flags) & IR_OPF_BATCH) ? #name : "",
#define IR_ARG(op, name, kind, flags, choices, doc)
#define IR_OP_END(op)
#define IR_REJECT(name, alt)
#include "ops.def"
#undef IR_OP
#undef IR_ARG
#undef IR_OP_END
#undef IR_REJECT
    };
    *n = JY_COUNTOF(all);
    return batch_only ? batchable : all;
}

static void add_op(sema *s, ir_op *op, ir_dmask cond, const char *callee, const fe_expr *call)
{
    op->cond_dialects = cond;
    op->dialects = cond & s->opt->targets;
    op_rules(s, op, callee, call);
    dialect_rules(s, op);
    sm_vec_push(s, s->ops, op);
}

/* One call statement: op.<name>(...) or <batch alias>.<name>(...). */
static void do_call(sema *s, const fe_stmt *st, const fe_expr *e, ir_dmask cond)
{
    const fe_expr *fn = e->u.call.fn;
    if (fn->kind != FE_E_ATTR) {
        if (fn->kind == FE_E_NAME && !sm_lookup(s, fn->u.name.s, fn->u.name.n)) {
            undefined_name(s, fn);
            return;
        }
        if (fn->kind == FE_E_NAME) {
            sm_binding *b = sm_lookup(s, fn->u.name.s, fn->u.name.n);
            if (b && b->kind == SM_N_TEXT) {
                jy_diag *g = sm_err(s, "sema.text-call", e->start, e->end,
                                    "joryuc runs no Python: text(...) is not needed");
                jy_diag_hint(g, "pass the SQL string itself: op.execute(\"...\")");
                return;
            }
        }
        body_stmt_error(s, st);
        return;
    }
    const fe_expr *obj = fn->u.attr.obj;
    const char *name = fn->u.attr.name;
    size_t nn = fn->u.attr.n;
    sm_name_kind k = sm_resolve(s, obj);
    bool via_batch = k == SM_N_BATCH ||
                     (s->batch && obj->kind == FE_E_NAME && s->batch_alias &&
                      name_is(obj->u.name.s, obj->u.name.n, s->batch_alias));
    if (k != SM_N_OP && !via_batch) {
        if (find_rejected(s, fn))
            return;
        const fe_expr *root = root_name(fn);
        sm_binding *rb = root ? sm_lookup(s, root->u.name.s, root->u.name.n) : NULL;
        if (root && !rb) {
            undefined_name(s, root);
            return;
        }
        if (rb && rb->kind == SM_N_BAD)
            return;
        body_stmt_error(s, st);
        return;
    }
    const ir_reject_info *rj = ir_reject_lookup(name, nn);
    if (rj) {
        jy_diag *g = sm_err(s, "sema.rejected-op", fn->u.attr.name_start, fn->u.attr.name_end,
                            "op.%s needs a Python runtime; joryuc compiles a declarative subset",
                            name);
        jy_diag_hint(g, "use %s", rj->alternative);
        return;
    }
    ir_op_kind ok;
    const char *prefix = via_batch ? s->batch_alias : "op";
    if (!ir_op_lookup(name, nn, &ok)) {
        size_t n;
        const char *const *names = op_names(&n, via_batch);
        const char *c = jy_closest(name, nn, names, n);
        jy_diag *g = sm_err(s, "sema.unknown-op", fn->u.attr.name_start, fn->u.attr.name_end,
                            "%s has no operation '%s'", via_batch ? "op.batch" : "op", name);
        if (c && *c)
            jy_diag_hint(g, "did you mean '%s.%s'?", prefix, c);
        else
            jy_diag_hint(g, "`joryuc ops` lists the operations");
        return;
    }
    const ir_op_info *info = &ir_op_table[ok];
    if (ok == IR_OP_column) {
        jy_diag *g = sm_err(s, "sema.column-statement", fn->u.attr.name_start, fn->u.attr.name_end,
                            "op.column(...) builds a column for op.create_table; it is not a "
                            "step");
        jy_diag_hint(g, "to add a column to an existing table write "
                        "op.add_column(table, name, type, ...)");
        return;
    }
    if (ok == IR_OP_batch) {
        jy_diag *g = sm_err(s, "sema.batch-statement", fn->u.attr.name_start, fn->u.attr.name_end,
                            "op.batch(...) opens a block");
        jy_diag_hint(g, "write `with op.batch(\"table\") as b:` and b.<op>(...) inside");
        return;
    }
    if (via_batch && !(info->flags & IR_OPF_BATCH)) {
        jy_diag *g = sm_err(s, "sema.not-batchable", fn->u.attr.name_start, fn->u.attr.name_end,
                            "%s cannot run inside op.batch", name);
        jy_diag_hint(g, "batch blocks take add_column, drop_column, alter_column, "
                        "rename_column, create_index, drop_index and the constraint ops; "
                        "write op.%s(...) outside the block",
                     name);
        return;
    }
    if (!via_batch && s->batch && (info->flags & IR_OPF_BATCH)) {
        jy_diag *g = sm_err(s, "sema.batch-outer-op", obj->start, fn->u.attr.name_end,
                            "op.%s inside `with op.batch(...) as %s:` would not be part of "
                            "the batch",
                            name, s->batch_alias ? s->batch_alias : "b");
        jy_diag_hint(g, "write %s.%s(...) (the table is implied)",
                     s->batch_alias ? s->batch_alias : "b", name);
        return;
    }
    ir_batch *saved = s->batch;
    if (!via_batch)
        s->batch = NULL; /* op.execute(...) etc. inside a block is not batched */
    ir_op *op = build_op(s, ok, e, fn, prefix);
    s->batch = saved;
    if (!op)
        return;
    char callee[96];
    cat4(callee, sizeof callee, prefix, ".", name, NULL);
    add_op(s, op, cond, callee, e);
}

static const char *const dialect_words[] = {"postgresql", "postgres", "pg",
                                            "mysql",      "mariadb",  "sqlite"};

static bool dialect_literal(sema *s, const ir_value *v, ir_dmask *out)
{
    if (v->kind != IR_V_STR) {
        sm_err(s, "sema.condition", v->start, v->end,
               "op.dialect.name is compared with a string, not %s", sm_value_kind_name(v));
        return false;
    }
    if (sm_dialect_mask(v->u.str.s, v->u.str.len, out))
        return true;
    const char *c = jy_closest(v->u.str.s, v->u.str.len, dialect_words, JY_COUNTOF(dialect_words));
    jy_diag *g = sm_err(s, "sema.unknown-dialect", v->start, v->end, "unknown dialect \"%s\"",
                        v->u.str.s);
    if (c)
        jy_diag_hint(g, "did you mean \"%s\"?", c);
    else
        jy_diag_hint(g, "dialects are postgresql, mysql, mariadb and sqlite");
    return false;
}

/* The dialects (of all) for which a condition is true. */
static bool cond_mask(sema *s, const fe_expr *e, ir_dmask *out)
{
    if (!e || e->kind == FE_E_ERROR)
        return false;
    switch (e->kind) {
    case FE_E_NOT: {
        ir_dmask m;
        if (!cond_mask(s, e->u.operand, &m))
            return false;
        *out = IR_DMASK_ALL & ~m;
        return true;
    }
    case FE_E_AND:
    case FE_E_OR: {
        ir_dmask l, r;
        bool okl = cond_mask(s, e->u.bin.lhs, &l);
        bool okr = cond_mask(s, e->u.bin.rhs, &r);
        if (!okl || !okr)
            return false;
        *out = e->kind == FE_E_AND ? (l & r) : (l | r);
        return true;
    }
    case FE_E_CMP: {
        const fe_expr *lhs = e->u.bin.lhs, *rhs = e->u.bin.rhs;
        const fe_expr *other;
        if (sm_is_dialect_name(s, lhs))
            other = rhs;
        else if (sm_is_dialect_name(s, rhs) &&
                 (e->u.bin.op == FE_CMP_EQ || e->u.bin.op == FE_CMP_NE))
            other = lhs;
        else
            break;
        if (e->u.bin.op == FE_CMP_IS || e->u.bin.op == FE_CMP_IS_NOT) {
            jy_diag *g = sm_err(s, "sema.condition", e->start, e->end,
                                "compare op.dialect.name with == or !=, not `is`");
            (void)g;
            return false;
        }
        ir_value *v = sm_value(s, other);
        if (!v)
            return false;
        ir_dmask m = 0;
        if (e->u.bin.op == FE_CMP_IN || e->u.bin.op == FE_CMP_NOT_IN) {
            if (v->kind != IR_V_LIST && v->kind != IR_V_TUPLE) {
                sm_err(s, "sema.condition", v->start, v->end,
                       "`in` takes a tuple or list of dialect names, not %s",
                       sm_value_kind_name(v));
                return false;
            }
            bool ok = true;
            for (size_t i = 0; i < v->u.list.n; i++) {
                ir_dmask one;
                if (dialect_literal(s, v->u.list.items[i], &one))
                    m |= one;
                else
                    ok = false;
            }
            if (!ok)
                return false;
        } else if (!dialect_literal(s, v, &m))
            return false;
        *out = (e->u.bin.op == FE_CMP_NE || e->u.bin.op == FE_CMP_NOT_IN) ? IR_DMASK_ALL & ~m
                                                                          : m;
        return true;
    }
    default:
        break;
    }
    if (find_rejected(s, e))
        return false;
    if (e->kind == FE_E_CMP && (find_rejected(s, e->u.bin.lhs) || find_rejected(s, e->u.bin.rhs)))
        return false;
    jy_diag *g = sm_err(s, "sema.condition", e->start, e->end,
                        "joryuc folds only conditions on op.dialect.name");
    jy_diag_hint(g, "write `if op.dialect.name == \"postgresql\":` (also !=, in, not in, and, "
                    "or, not)");
    return false;
}

static void do_if(sema *s, const fe_stmt *st, ir_dmask cond)
{
    ir_dmask c;
    if (!cond_mask(s, st->u.if_.cond, &c)) {
        /* check the branches anyway, compiled for no dialect */
        sm_body(s, &st->u.if_.body, 0);
        sm_body(s, &st->u.if_.orelse, 0);
        return;
    }
    sm_body(s, &st->u.if_.body, cond & c);
    sm_body(s, &st->u.if_.orelse, cond & ~c);
}

static bool name_free(sema *s, const char *name, uint32_t start, uint32_t end)
{
    sm_binding *b = sm_lookup(s, name, strlen(name));
    if (!b || b->kind == SM_N_DIALECT || b->kind == SM_N_BATCH)
        return true;
    sm_err(s, "sema.shadowed-name", start, end, "'%s' is already %s; use another name", name,
           b->kind == SM_N_CONST ? "a module constant" : "an imported name");
    return false;
}

static void do_with(sema *s, const fe_stmt *st, ir_dmask cond)
{
    const fe_expr *ctx = st->u.with.ctx;
    if (!ctx || ctx->kind == FE_E_ERROR)
        return;
    const fe_expr *fn = ctx->kind == FE_E_CALL ? ctx->u.call.fn : NULL;
    if (!fn || fn->kind != FE_E_ATTR || sm_resolve(s, fn->u.attr.obj) != SM_N_OP ||
        !name_is(fn->u.attr.name, fn->u.attr.n, "batch")) {
        if (fn && find_rejected(s, fn))
            return;
        jy_diag *g = sm_err(s, "sema.with", ctx->start, ctx->end,
                            "joryuc compiles only `with op.batch(table) as b:` blocks");
        jy_diag_hint(g, "other context managers need a Python runtime");
        return;
    }
    if (s->batch) {
        sm_err(s, "sema.nested-batch", st->start, ctx->end,
               "op.batch blocks cannot be nested");
        return;
    }
    ir_op *bop = build_op(s, IR_OP_batch, ctx, fn, "op");
    if (!bop)
        return;
    const ir_value *tv = bop->args[IR_A_batch_table];
    const char *alias = st->u.with.as;
    if (!alias) {
        jy_diag *g = sm_err(s, "sema.batch-alias", st->start, ctx->end,
                            "op.batch needs a name for the block");
        jy_diag_hint(g, "write `with op.batch(\"%s\") as b:`", str_of(tv) ? str_of(tv) : "table");
    }
    bool bind_alias = alias && name_free(s, alias, st->u.with.as_start, st->u.with.as_end);
    ir_batch *b = jy_arena_alloc(s->A, sizeof *b);
    if (!b)
        return;
    b->table = str_of(tv) ? str_of(tv) : "";
    b->start = st->start; /* the with statement */
    b->end = st->end;
    b->id = s->nbatches++;
    uint32_t saved_ts = s->batch_tstart, saved_te = s->batch_tend;
    s->batch_tstart = tv ? tv->start : ctx->start;
    s->batch_tend = tv ? tv->end : ctx->end;
    ir_batch *saved = s->batch;
    const char *saved_alias = s->batch_alias;
    unsigned saved_scope = s->batch_scope;
    s->batch = b;
    s->batch_alias = alias ? jy_arena_strdup(s->A, alias) : "b";
    s->batch_scope = ++s->scope;
    if (bind_alias)
        sm_bind(s, alias, strlen(alias), SM_N_BATCH);
    sm_body(s, &st->u.with.body, cond);
    s->batch = saved;
    s->batch_alias = saved_alias;
    s->batch_scope = saved_scope;
    s->batch_tstart = saved_ts;
    s->batch_tend = saved_te;
}

static void do_assign(sema *s, const fe_stmt *st)
{
    const fe_expr *v = st->u.assign.value;
    if (v && v->kind == FE_E_ERROR)
        return;
    if (v && sm_is_dialect_name(s, v)) {
        if (name_free(s, st->u.assign.target, st->u.assign.target_start,
                      st->u.assign.target_end)) {
            sm_binding *b = sm_bind(s, st->u.assign.target, strlen(st->u.assign.target),
                                    SM_N_DIALECT);
            if (b) {
                b->start = st->u.assign.target_start;
                b->end = st->u.assign.target_end;
            }
        }
        return;
    }
    if (name_free(s, st->u.assign.target, 0, 0))
        sm_bind(s, st->u.assign.target, strlen(st->u.assign.target), SM_N_BAD);
    if (v && find_rejected(s, v))
        return;
    jy_diag *g = sm_err(s, "sema.assignment", st->start, st->end,
                        "joryuc compiles a declarative subset: the one assignment allowed in a "
                        "function is `d = op.dialect.name`");
    jy_diag_hint(g, "for a value used several times, assign a module constant "
                    "(NAME = literal) above the functions");
}

static void do_nested_def(sema *s, const fe_stmt *st)
{
    for (size_t i = 0; i < st->u.def.ndecorators; i++) {
        const fe_expr *e = st->u.def.decorators[i];
        if (e && find_rejected(s, e->kind == FE_E_CALL ? e->u.call.fn : e))
            return;
    }
    jy_diag *g = sm_err(s, "sema.nested-def", st->u.def.name_start, st->u.def.name_end,
                        "a function inside a migration needs a Python runtime; joryuc "
                        "compiles a declarative subset");
    jy_diag_hint(g, "use op.backfill(table, set={...}, where=...) for batched updates or "
                    "op.execute(...) for SQL");
}

void sm_body(sema *s, const fe_block *b, ir_dmask cond)
{
    for (size_t i = 0; i < b->n; i++) {
        const fe_stmt *st = b->v[i];
        switch (st->kind) {
        case FE_S_ERROR:
        case FE_S_PASS:
            break;
        case FE_S_EXPR: {
            const fe_expr *e = st->u.expr;
            if (!e || e->kind == FE_E_ERROR || e->kind == FE_E_STR)
                break;
            if (e->kind == FE_E_CALL)
                do_call(s, st, e, cond);
            else if (!find_rejected(s, e))
                body_stmt_error(s, st);
            break;
        }
        case FE_S_ASSIGN:
            do_assign(s, st);
            break;
        case FE_S_IF:
            do_if(s, st, cond);
            break;
        case FE_S_WITH:
            do_with(s, st, cond);
            break;
        case FE_S_DEF:
            do_nested_def(s, st);
            break;
        case FE_S_IMPORT:
        case FE_S_FROM_IMPORT: {
            jy_diag *g = sm_err(s, "sema.import", st->start, st->end,
                                "joryuc runs no Python: imports inside a function are not "
                                "allowed");
            jy_diag_hint(g, "a migration imports only joryu, at module level");
            break;
        }
        }
    }
}
