/*
 * sema_values.c - semantic analysis of values: literals, module constants,
 * t.* types with their parameters, t.now() / op.func.now(), op.column(...);
 * everything else is refused as Python logic.
 */
#include "sema_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------- values */

/* Concatenate up to four strings into buf (truncating); cheaper than
 * snprintf, which this runs for every argument. */
const char *sm_cat4(char *buf, size_t cap, const char *a, const char *b, const char *c,
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

ir_value *sm_newv(sema *s, ir_vkind k, uint32_t start, uint32_t end)
{
    ir_value *v = jy_arena_alloc(s->A, sizeof *v);
    if (v) {
        v->kind = k;
        v->start = start;
        v->end = end;
    }
    return v;
}

ir_value *sm_new_str(sema *s, const char *p, size_t n, uint32_t start, uint32_t end)
{
    ir_value *v = sm_newv(s, IR_V_STR, start, end);
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

bool sm_name_is(const char *p, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(p, lit, n) == 0;
}

/* The NAME at the root of an attribute/call chain, or NULL. */
const fe_expr *sm_root_name(const fe_expr *e)
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
bool sm_find_rejected(sema *s, const fe_expr *e)
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

void sm_undefined_name(sema *s, const fe_expr *e)
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

/* A call used as a value: t.X(...), t.now(), op.func.now(),
 * op.column(...); anything else is reported (rejected ops, text(...),
 * undefined names, other calls). */
static ir_value *call_value(sema *s, const fe_expr *e)
{
    const fe_expr *fn = e->u.call.fn;
    if (fn->kind == FE_E_ATTR) {
        sm_name_kind k = sm_resolve(s, fn->u.attr.obj);
        if (k == SM_N_TYPES) {
            if (sm_name_is(fn->u.attr.name, fn->u.attr.n, "now")) {
                if (e->u.call.nargs)
                    sm_err(s, "sema.type-params", e->start, e->end, "t.now() takes no arguments");
                return sm_newv(s, IR_V_NOW, e->start, e->end);
            }
            return type_value(s, e, fn);
        }
        if (k == SM_N_OP) {
            if (sm_name_is(fn->u.attr.name, fn->u.attr.n, "column"))
                return column_value(s, e);
            if (sm_find_rejected(s, fn))
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
        if (sm_name_is(fn->u.attr.name, fn->u.attr.n, "now") && fn->u.attr.obj->kind == FE_E_ATTR &&
            sm_name_is(fn->u.attr.obj->u.attr.name, fn->u.attr.obj->u.attr.n, "func") &&
            sm_resolve(s, fn->u.attr.obj->u.attr.obj) == SM_N_OP) {
            if (e->u.call.nargs)
                sm_err(s, "sema.type-params", e->start, e->end,
                       "op.func.now() takes no arguments");
            return sm_newv(s, IR_V_NOW, e->start, e->end);
        }
        if (fn->u.attr.obj->kind == FE_E_ATTR &&
            sm_name_is(fn->u.attr.obj->u.attr.name, fn->u.attr.obj->u.attr.n, "func") &&
            sm_resolve(s, fn->u.attr.obj->u.attr.obj) == SM_N_OP) {
            jy_diag *g = sm_err(s, "sema.unknown-func", fn->u.attr.name_start,
                                fn->u.attr.name_end, "op.func.%s is not known to joryuc",
                                fn->u.attr.name);
            jy_diag_hint(g, "op.func.now() (or t.now()) is the one function; write any other "
                            "SQL expression as a string: server_default=\"...\"");
            return NULL;
        }
    }
    if (sm_find_rejected(s, fn))
        return NULL;
    const fe_expr *root = sm_root_name(fn);
    if (root) {
        sm_binding *b = sm_lookup(s, root->u.name.s, root->u.name.n);
        if (!b) {
            sm_undefined_name(s, root);
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
        return sm_new_str(s, e->u.str.s, e->u.str.len, e->start, e->end);
    case FE_E_INT:
        if ((v = sm_newv(s, IR_V_INT, e->start, e->end)))
            v->u.i = e->u.i;
        return v;
    case FE_E_FLOAT:
        if ((v = sm_newv(s, IR_V_FLOAT, e->start, e->end)))
            v->u.f = e->u.f;
        return v;
    case FE_E_TRUE:
    case FE_E_FALSE:
        if ((v = sm_newv(s, IR_V_BOOL, e->start, e->end)))
            v->u.b = e->kind == FE_E_TRUE;
        return v;
    case FE_E_NONE:
        return sm_newv(s, IR_V_NONE, e->start, e->end);
    case FE_E_NEG: {
        const fe_expr *o = e->u.operand;
        if (o && o->kind == FE_E_INT) {
            if ((v = sm_newv(s, IR_V_INT, e->start, e->end)))
                v->u.i = -o->u.i;
            return v;
        }
        if (o && o->kind == FE_E_FLOAT) {
            if ((v = sm_newv(s, IR_V_FLOAT, e->start, e->end)))
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
        v = sm_newv(s, e->kind == FE_E_LIST ? IR_V_LIST : IR_V_TUPLE, e->start, e->end);
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
        v = sm_newv(s, IR_V_DICT, e->start, e->end);
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
            sm_undefined_name(s, e);
            return NULL;
        }
        if (b->kind == SM_N_BAD)
            return NULL;
        if (b->kind == SM_N_CONST) {
            if (!b->value || !(v = sm_newv(s, IR_V_NONE, e->start, e->end)))
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
            if (sm_name_is(e->u.attr.name, e->u.attr.n, "now")) {
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
        if (sm_find_rejected(s, e))
            return NULL;
        const fe_expr *root = sm_root_name(e);
        sm_binding *rb = root ? sm_lookup(s, root->u.name.s, root->u.name.n) : NULL;
        if (root && !rb) {
            sm_undefined_name(s, root);
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
    ir_value *v = sm_newv(s, IR_V_TYPE, e->start, e->end);
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
        if (!nv || !sm_ident_ok(s, nv, "the enum name= (a type name)"))
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


static ir_value *column_value(sema *s, const fe_expr *call)
{
    ir_op *op = sm_build_op(s, IR_OP_column, call, call->u.call.fn, "op");
    if (!op)
        return NULL;
    sm_op_rules(s, op, "op.column", call);
    ir_value *v = sm_newv(s, IR_V_COLUMN, call->start, call->end);
    if (v)
        v->u.op = op;
    return v;
}
