/*
 * dump_json.c - the IR as JSON for editors (`joryuc dump --format=json`),
 * specified by docs/ir.schema.json and docs/SPEC.md.
 *
 * Deterministic byte for byte: every object is built with a fixed key order
 * and printed by jansson with JSON_INDENT(2) | JSON_PRESERVE_ORDER; floats
 * carry their exact value (17 significant digits) and their shortest
 * round-trip spelling in "repr"; the text ends with one newline.
 */
#include "canon_int.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One dump: the migration being dumped (for spans) and whether any
 * allocation failed (then the whole dump is NULL, never a partial one). */
typedef struct dctx {
    ir_migration *m;
    bool failed;
} dctx;

/* ------------------------------------------------------------- helpers */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    unsigned cp = c & (0xFFu >> (len + 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* A JSON string of n bytes; bytes that are not valid UTF-8 become U+FFFD
 * (JSON strings are Unicode; the checksum still sees the exact bytes). */
static json_t *jstr(dctx *c, const char *s, size_t n)
{
    json_t *j = json_stringn(s ? s : "", s ? n : 0);
    if (!j && s) {
        jy_buf b;
        jy_buf_init(&b);
        const unsigned char *u = (const unsigned char *)s;
        for (size_t i = 0; i < n;) {
            size_t l = utf8_len(u + i, n - i);
            if (l) {
                jy_buf_append(&b, s + i, l);
                i += l;
            } else {
                jy_buf_puts(&b, "\xEF\xBF\xBD");
                i++;
            }
        }
        if (!b.failed)
            j = json_stringn(b.data ? b.data : "", b.len);
        jy_buf_free(&b);
    }
    if (!j)
        c->failed = true;
    return j;
}

/* A C string, or null. */
static json_t *jcstr(dctx *c, const char *s)
{
    return s ? jstr(c, s, strlen(s)) : json_null();
}

static void set(dctx *c, json_t *o, const char *k, json_t *v)
{
    if (!o || !v || json_object_set_new(o, k, v) != 0)
        c->failed = true;
}

static void push(dctx *c, json_t *a, json_t *v)
{
    if (!a || !v || json_array_append_new(a, v) != 0)
        c->failed = true;
}

static json_t *jint(dctx *c, long long i)
{
    json_t *j = json_integer(i);
    if (!j)
        c->failed = true;
    return j;
}

static json_t *jobj(dctx *c)
{
    json_t *j = json_object();
    if (!j)
        c->failed = true;
    return j;
}

static json_t *jarr(dctx *c)
{
    json_t *j = json_array();
    if (!j)
        c->failed = true;
    return j;
}

/* {"file","line","col","end_line","end_col"}: 1-based; col counts bytes;
 * end_line/end_col is the position just past the last byte.  null when the
 * node has no source range (end == 0) or the migration no source. */
static json_t *span(dctx *c, uint32_t start, uint32_t end)
{
    ir_migration *m = c->m;
    if (!m || !m->src || end == 0 || end < start)
        return json_null();
    unsigned l1, c1, l2, c2;
    jy_source_linecol(m->src, start, &l1, &c1);
    jy_source_linecol(m->src, end, &l2, &c2);
    json_t *o = jobj(c);
    set(c, o, "file", jcstr(c, m->file ? m->file : m->src->path));
    set(c, o, "line", jint(c, l1));
    set(c, o, "col", jint(c, c1));
    set(c, o, "end_line", jint(c, l2));
    set(c, o, "end_col", jint(c, c2));
    return o;
}

static json_t *dialect_list(dctx *c, ir_dmask m)
{
    json_t *a = jarr(c);
    for (int d = 0; d < IR_D__COUNT; d++)
        if (m & IR_DMASK(d))
            push(c, a, jcstr(c, ir_dialect_name((ir_dialect)d)));
    return a;
}

/* A {"kind": k, "value": s} object for a string value. */
static json_t *kind_str(dctx *c, const char *kind, const ir_value *v)
{
    json_t *o = jobj(c);
    set(c, o, "kind", jcstr(c, kind));
    set(c, o, "value", jstr(c, v->u.str.s, v->u.str.len));
    set(c, o, "span", span(c, v->start, v->end));
    return o;
}

/* --------------------------------------------------------------- values */

static json_t *dump_value(dctx *c, const ir_value *v);
static json_t *dump_column(dctx *c, const ir_op *col, uint32_t start, uint32_t end);

static json_t *opt_len(dctx *c, int64_t x)
{
    return x < 0 ? json_null() : jint(c, (long long)x);
}

/* {"kind":"type","type":name, parameters..., "supported":[dialects], "span"} */
static json_t *dump_type(dctx *c, const ir_type *t)
{
    if (!t || (unsigned)t->id >= IR_T__COUNT)
        return json_null();
    const ir_type_info *ti = &ir_type_table[t->id];
    json_t *o = jobj(c);
    set(c, o, "kind", jcstr(c, "type"));
    set(c, o, "type", jcstr(c, ti->name));
    switch (ti->params) {
    case IR_TP_LENGTH:
    case IR_TP_OPT_LENGTH:
        set(c, o, "length", opt_len(c, t->length));
        break;
    case IR_TP_PREC_SCALE:
        set(c, o, "precision", opt_len(c, t->precision));
        set(c, o, "scale", opt_len(c, t->scale));
        break;
    case IR_TP_LABELS: {
        json_t *a = jarr(c);
        for (size_t i = 0; i < t->nlabels; i++)
            push(c, a, jcstr(c, t->labels[i]));
        set(c, o, "labels", a);
        set(c, o, "name", jcstr(c, t->enum_name));
        break;
    }
    case IR_TP_INNER:
        set(c, o, "inner", dump_type(c, t->inner));
        break;
    case IR_TP_DIALECT:
        set(c, o, "dialect", jcstr(c, ir_dialect_name(t->dialect_of)));
        set(c, o, "dialect_type", jcstr(c, t->dialect_type));
        break;
    case IR_TP_NONE:
        break;
    }
    ir_dmask sup = 0;
    for (int d = 0; d < IR_D__COUNT; d++)
        if (ir_type_supported(t, (ir_dialect)d))
            sup |= IR_DMASK(d);
    set(c, o, "supported", dialect_list(c, sup));
    set(c, o, "span", span(c, t->start, t->end));
    return o;
}

/* Any value, by what it is (no catalogue kind known). */
static json_t *dump_value(dctx *c, const ir_value *v)
{
    if (!v)
        return json_null();
    json_t *o;
    char f[32];
    switch (v->kind) {
    case IR_V_STR:
        return kind_str(c, "str", v);
    case IR_V_TYPE:
        return dump_type(c, v->u.type);
    case IR_V_COLUMN:
        return v->u.op ? dump_column(c, v->u.op, v->start, v->end) : json_null();
    default:
        break;
    }
    o = jobj(c);
    switch (v->kind) {
    case IR_V_NONE:
        set(c, o, "kind", jcstr(c, "none"));
        break;
    case IR_V_BOOL:
        set(c, o, "kind", jcstr(c, "bool"));
        set(c, o, "value", json_boolean(v->u.b));
        break;
    case IR_V_INT:
        set(c, o, "kind", jcstr(c, "int"));
        set(c, o, "value", jint(c, (long long)v->u.i));
        break;
    case IR_V_FLOAT:
        set(c, o, "kind", jcstr(c, "float"));
        set(c, o, "value", isfinite(v->u.f) ? json_real(v->u.f) : json_null());
        ir_float_repr(v->u.f, f);
        set(c, o, "repr", jcstr(c, f));
        break;
    case IR_V_LIST:
    case IR_V_TUPLE: {
        set(c, o, "kind", jcstr(c, v->kind == IR_V_LIST ? "list" : "tuple"));
        json_t *a = jarr(c);
        for (size_t i = 0; i < v->u.list.n; i++)
            push(c, a, dump_value(c, v->u.list.items[i]));
        set(c, o, "items", a);
        break;
    }
    case IR_V_DICT: {
        set(c, o, "kind", jcstr(c, "dict"));
        json_t *a = jarr(c);
        for (size_t i = 0; i < v->u.dict.n; i++) {
            json_t *e = jobj(c);
            set(c, e, "key", dump_value(c, v->u.dict.keys[i]));
            set(c, e, "value", dump_value(c, v->u.dict.vals[i]));
            push(c, a, e);
        }
        set(c, o, "entries", a);
        break;
    }
    case IR_V_NOW:
        set(c, o, "kind", jcstr(c, "now"));
        break;
    default:
        break;
    }
    set(c, o, "span", span(c, v->start, v->end));
    return o;
}

static bool is_str(const ir_value *v)
{
    return v && v->kind == IR_V_STR;
}

static bool is_seq(const ir_value *v)
{
    return v && (v->kind == IR_V_LIST || v->kind == IR_V_TUPLE);
}

/* A value as the catalogue kind of its parameter says; a value of an
 * unexpected shape falls back to dump_value. */
static json_t *dump_arg(dctx *c, ir_arg_kind k, const ir_value *v)
{
    if (!v)
        return json_null();
    switch (k) {
    case IR_K_IDENT:
        if (is_str(v))
            return kind_str(c, "ident", v);
        break;
    case IR_K_SQL:
        if (is_str(v))
            return kind_str(c, "sql", v);
        break;
    case IR_K_CHOICE:
        if (is_str(v))
            return kind_str(c, "choice", v);
        break;
    case IR_K_SERVER_DEFAULT:
        if (is_str(v))
            return kind_str(c, "sql", v);
        break;
    case IR_K_IDENT_LIST:
        if (is_seq(v)) {
            json_t *o = jobj(c), *a = jarr(c);
            set(c, o, "kind", jcstr(c, "ident_list"));
            for (size_t i = 0; i < v->u.list.n; i++)
                push(c, a, dump_arg(c, IR_K_IDENT, v->u.list.items[i]));
            set(c, o, "items", a);
            set(c, o, "span", span(c, v->start, v->end));
            return o;
        }
        break;
    case IR_K_SQL_DIALECTS:
        if (is_str(v))
            return kind_str(c, "sql", v);
        if (v->kind == IR_V_DICT) {
            json_t *o = jobj(c), *a = jarr(c);
            set(c, o, "kind", jcstr(c, "sql_dialects"));
            for (size_t i = 0; i < v->u.dict.n; i++) {
                const ir_value *key = v->u.dict.keys[i];
                json_t *e = jobj(c);
                const char *canon =
                    is_str(key) ? ir_dialect_key_canonical(key->u.str.s, key->u.str.len) : NULL;
                set(c, e, "dialect", jcstr(c, canon));
                set(c, e, "key", is_str(key) ? jstr(c, key->u.str.s, key->u.str.len)
                                             : json_null());
                set(c, e, "sql", dump_arg(c, IR_K_SQL, v->u.dict.vals[i]));
                push(c, a, e);
            }
            set(c, o, "entries", a);
            set(c, o, "span", span(c, v->start, v->end));
            return o;
        }
        break;
    case IR_K_SET_MAP:
        if (v->kind == IR_V_DICT) {
            json_t *o = jobj(c), *a = jarr(c);
            set(c, o, "kind", jcstr(c, "set_map"));
            for (size_t i = 0; i < v->u.dict.n; i++) {
                json_t *e = jobj(c);
                set(c, e, "column", dump_arg(c, IR_K_IDENT, v->u.dict.keys[i]));
                set(c, e, "sql", dump_arg(c, IR_K_SQL, v->u.dict.vals[i]));
                push(c, a, e);
            }
            set(c, o, "entries", a);
            set(c, o, "span", span(c, v->start, v->end));
            return o;
        }
        break;
    case IR_K_ROWS:
        if (is_seq(v)) {
            json_t *o = jobj(c), *a = jarr(c);
            set(c, o, "kind", jcstr(c, "rows"));
            for (size_t i = 0; i < v->u.list.n; i++) {
                const ir_value *row = v->u.list.items[i];
                bool keyed = row && row->kind == IR_V_DICT;
                for (size_t j = 0; keyed && j < row->u.dict.n; j++)
                    keyed = is_str(row->u.dict.keys[j]);
                if (!keyed) {
                    push(c, a, dump_value(c, row));
                    continue;
                }
                json_t *r = jobj(c), *vals = jobj(c);
                set(c, r, "kind", jcstr(c, "row"));
                for (size_t j = 0; j < row->u.dict.n; j++) {
                    const ir_value *key = row->u.dict.keys[j];
                    /* jansson keys are NUL-terminated: the decoded string is. */
                    if (!vals || json_object_setn_new(vals, key->u.str.s, key->u.str.len,
                                                      dump_value(c, row->u.dict.vals[j])) != 0)
                        c->failed = true;
                }
                set(c, r, "values", vals);
                set(c, r, "span", span(c, row->start, row->end));
                push(c, a, r);
            }
            set(c, o, "rows", a);
            set(c, o, "span", span(c, v->start, v->end));
            return o;
        }
        break;
    case IR_K_HINT: {
        json_t *o = jobj(c), *a = jarr(c);
        set(c, o, "kind", jcstr(c, "hint"));
        if (v->kind == IR_V_LIST)
            for (size_t i = 0; i < v->u.list.n; i++)
                push(c, a, dump_value(c, v->u.list.items[i]));
        else
            push(c, a, dump_value(c, v));
        set(c, o, "tuples", a);
        set(c, o, "span", span(c, v->start, v->end));
        return o;
    }
    default:
        break;
    }
    return dump_value(c, v);
}

/* The slot of parameter `name` of an op, or -1. */
static long slot_of(const ir_op_info *info, const char *name)
{
    for (size_t i = 0; i < info->nparams; i++)
        if (strcmp(info->params[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* A modifier of a column: as given, else its documented default (false for
 * a boolean, null otherwise). */
static json_t *modifier(dctx *c, const ir_op *o, const char *name)
{
    long slot = slot_of(o->info, name);
    if (slot < 0)
        return json_null();
    const ir_param_info *pi = &o->info->params[slot];
    const ir_value *v = o->args[slot];
    if (pi->kind == IR_K_BOOL && (!v || v->kind == IR_V_BOOL))
        return json_boolean(v ? v->u.b : ir_param_default_of(o->kind, (size_t)slot).kind == IR_PDEF_TRUE);
    return v ? dump_arg(c, pi->kind, v) : json_null();
}

/*
 * A column (op.column(...), or the column op.add_column adds): its name,
 * type and every modifier with its effective value: nullable resolved
 * (False for a primary key unless given), booleans as true/false, the
 * others as a value or null.
 */
static json_t *dump_column(dctx *c, const ir_op *col, uint32_t start, uint32_t end)
{
    json_t *o = jobj(c);
    set(c, o, "kind", jcstr(c, "column"));
    if ((col->kind != IR_OP_column && col->kind != IR_OP_add_column) || !col->args || !col->info) {
        set(c, o, "span", span(c, start, end));
        return o;
    }
    const ir_value *name = col->args[slot_of(col->info, "name")];
    set(c, o, "name", is_str(name) ? jstr(c, name->u.str.s, name->u.str.len) : json_null());
    const ir_value *ty = col->args[slot_of(col->info, "type")];
    set(c, o, "type", ty ? dump_arg(c, IR_K_TYPE, ty) : json_null());
    set(c, o, "nullable", json_boolean(ir_column_nullable(col)));
    static const char *const mods[] = {"default",       "server_default", "generated", "primary_key",
                                       "autoincrement", "unique",         "comment"};
    for (size_t i = 0; i < JY_COUNTOF(mods); i++)
        set(c, o, mods[i], modifier(c, col, mods[i]));
    set(c, o, "span", span(c, start, end));
    return o;
}

/* ------------------------------------------------------------------ ops */

/* One step: op name, 1-based step number, fingerprint, dialects, batch,
 * the given arguments in catalogue order, spans. */
static json_t *dump_op(dctx *c, const ir_op *op, size_t step)
{
    const ir_op_info *info = op->info ? op->info : &ir_op_table[op->kind];
    char fp[80];
    json_t *o = jobj(c);
    set(c, o, "op", jcstr(c, info->name));
    set(c, o, "step", step ? jint(c, (long long)step) : json_null());
    ir_op_fingerprint(op, fp);
    set(c, o, "fingerprint", jcstr(c, fp));
    set(c, o, "dialects", dialect_list(c, op->dialects));
    set(c, o, "batch", op->batch ? jcstr(c, op->batch->table) : json_null());
    set(c, o, "batch_id", op->batch ? jint(c, op->batch->id) : json_null());
    json_t *args = jobj(c);
    for (size_t i = 0; i < info->nparams; i++) {
        const ir_value *v = op->args ? op->args[i] : NULL;
        if (!v)
            continue;
        const ir_param_info *pi = &info->params[i];
        json_t *j;
        if ((pi->flags & IR_AF_VARIADIC) && is_seq(v)) {
            j = jarr(c);
            for (size_t k = 0; k < v->u.list.n; k++)
                push(c, j, dump_arg(c, pi->kind, v->u.list.items[k]));
        } else {
            j = dump_arg(c, pi->kind, v);
        }
        set(c, args, pi->name, j);
    }
    set(c, o, "args", args);
    if (op->kind == IR_OP_add_column) /* the column it adds, every modifier resolved */
        set(c, o, "column", dump_column(c, op, op->start, op->end));
    set(c, o, "span", span(c, op->start, op->end));
    set(c, o, "name_span", span(c, op->name_start, op->name_end));
    return o;
}

static json_t *dump_ops(dctx *c, ir_op *const *ops, size_t n)
{
    json_t *a = jarr(c);
    size_t step = 0;
    for (size_t i = 0; i < n; i++) {
        const ir_op *op = ops[i];
        const ir_op_info *info = op->info ? op->info : &ir_op_table[op->kind];
        push(c, a, dump_op(c, op, (info->flags & IR_OPF_STEP) ? ++step : 0));
    }
    return a;
}

static json_t *str_list(dctx *c, const char *const *v, size_t n)
{
    json_t *a = jarr(c);
    for (size_t i = 0; i < n; i++)
        push(c, a, jcstr(c, v[i]));
    return a;
}

static json_t *dump_migration(dctx *c, ir_migration *m)
{
    c->m = m;
    json_t *o = jobj(c);
    ir_migration sums;
    const char *sum = m->checksum, *down = m->down_checksum;
    if (!m->checksum[0] || !m->down_checksum[0]) {
        sums = *m;
        ir_checksum_migration(&sums);
        sum = sums.checksum;
        down = sums.down_checksum;
    }
    set(c, o, "id", jcstr(c, m->id));
    set(c, o, "file", jcstr(c, m->file));
    set(c, o, "checksum", jcstr(c, sum));
    set(c, o, "down_checksum", jcstr(c, down));
    set(c, o, "depends_on", str_list(c, m->depends_on, m->ndepends));
    set(c, o, "transaction_mode", jcstr(c, ir_tx_mode_name(m->tx_mode)));
    set(c, o, "dialects", m->has_dialects ? dialect_list(c, m->dialects) : json_null());
    set(c, o, "tags", str_list(c, m->tags, m->ntags));
    set(c, o, "group", jcstr(c, m->group));
    set(c, o, "on_mismatch", jcstr(c, ir_mismatch_name(m->on_mismatch)));
    set(c, o, "docstring", jcstr(c, m->docstring));
    set(c, o, "ops", dump_ops(c, m->ops, m->nops));
    set(c, o, "downgrade", m->has_downgrade ? dump_ops(c, m->down, m->ndown) : json_null());
    json_t *hints = jarr(c);
    for (size_t i = 0; i < m->nhints; i++) {
        const ir_hint *h = &m->hints[i];
        json_t *ho = jobj(c);
        set(c, ho, "field", jcstr(c, h->field));
        if (h->is_list)
            set(c, ho, "items", str_list(c, h->items, h->nitems));
        else
            set(c, ho, "value", jcstr(c, h->value ? h->value : ""));
        set(c, ho, "span", span(c, h->start, h->end));
        push(c, hints, ho);
    }
    set(c, o, "hints", hints);
    set(c, o, "span", span(c, m->start, m->end));
    c->m = NULL;
    return o;
}

char *ir_dump_json(const ir_program *p)
{
    dctx c = {NULL, false};
    json_t *root = jobj(&c);
    set(&c, root, "format", jcstr(&c, "joryu-ir"));
    set(&c, root, "version", jint(&c, 1));
    set(&c, root, "targets", dialect_list(&c, p->targets));
    json_t *migs = jarr(&c);
    for (size_t i = 0; i < p->n; i++)
        push(&c, migs, dump_migration(&c, p->migs[i]));
    set(&c, root, "migrations", migs);
    char *text = NULL;
    if (!c.failed)
        text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(root);
    if (!text)
        return NULL;
    /* one trailing newline, in memory we own with malloc */
    size_t n = strlen(text);
    char *out = malloc(n + 2);
    if (out) {
        memcpy(out, text, n);
        out[n] = '\n';
        out[n + 1] = 0;
    }
    free(text);
    return out;
}
