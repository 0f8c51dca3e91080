/*
 * checksum.c - the canonical form of ops and migrations, and the two hashes
 * computed from it: the semantic checksum of a migration (upgrade and
 * downgrade) and the fingerprint of one op.  One serializer serves all
 * three; docs/SPEC.md documents the rules (what counts, what does not).
 *
 * The canonical form is a byte string, never shown to users, built so that
 * two IRs get the same bytes exactly when they do the same thing:
 *   - every string is length-prefixed (s<len>:<bytes>), every sequence and
 *     dict count-prefixed, so no two different structures share an encoding;
 *   - ops and arguments are named, not numbered (an op is its name after
 *     `op.`, an argument its catalogue name): reordering ops.def changes no
 *     checksum, and adding an optional parameter changes none of the
 *     migrations that do not use it;
 *   - an argument equal to its documented default is left out (ir_arg_is_default);
 *   - arguments are written sorted by name (keyword order never counts);
 *   - dict entries are sorted where their order means nothing (see ser_arg).
 * Any change to these rules that changes a byte must bump
 * IR_CHECKSUM_VERSION, since applied migrations store the checksum.
 */
#include "canon_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------- shared helpers */

/*
 * Find parameter `name` in a signature such as
 * "op.add_column(table, name, type, nullable=True, default=None)" and return
 * its default.  The signatures of ops.def hold no nested parentheses and no
 * commas inside default strings.
 */
static ir_param_default parse_default(const char *sig, const char *name)
{
    ir_param_default d = {IR_PDEF_ABSENT, 0, NULL, 0};
    const char *p = strchr(sig, '(');
    if (!p)
        return d;
    p++;
    size_t nlen = strlen(name);
    while (*p && *p != ')') {
        while (*p == ' ' || *p == '*')
            p++;
        const char *tok = p;
        while (*p && *p != ',' && *p != ')')
            p++;
        const char *tend = p;
        if (*p == ',')
            p++;
        const char *eqs = memchr(tok, '=', (size_t)(tend - tok));
        const char *nend = eqs ? eqs : tend;
        while (nend > tok && nend[-1] == ' ')
            nend--;
        if ((size_t)(nend - tok) != nlen || memcmp(tok, name, nlen) != 0)
            continue;
        if (!eqs)
            return d;
        const char *v = eqs + 1;
        while (v < tend && *v == ' ')
            v++;
        const char *vend = tend;
        while (vend > v && vend[-1] == ' ')
            vend--;
        size_t vn = (size_t)(vend - v);
        if (vn == 4 && memcmp(v, "None", 4) == 0) {
            d.kind = IR_PDEF_NULL;
        } else if (vn == 4 && memcmp(v, "True", 4) == 0) {
            d.kind = IR_PDEF_TRUE;
        } else if (vn == 5 && memcmp(v, "False", 5) == 0) {
            d.kind = IR_PDEF_FALSE;
        } else if (vn >= 2 && v[0] == '"' && vend[-1] == '"') {
            d.kind = IR_PDEF_STR;
            d.s = v + 1;
            d.n = vn - 2;
        } else if (vn > 0) {
            char *e = NULL;
            long long x = strtoll(v, &e, 10);
            if (e == vend) {
                d.kind = IR_PDEF_INT;
                d.i = x;
            }
        }
        return d;
    }
    return d;
}

ir_param_default ir_param_default_of(ir_op_kind k, size_t slot)
{
    ir_param_default none = {IR_PDEF_ABSENT, 0, NULL, 0};
    if ((unsigned)k >= IR_OP__COUNT || slot >= ir_op_table[k].nparams)
        return none;
    return parse_default(ir_op_table[k].signature, ir_op_table[k].params[slot].name);
}

static bool is_true(const ir_value *v)
{
    return v && v->kind == IR_V_BOOL && v->u.b;
}

bool ir_column_nullable(const ir_op *o)
{
    const ir_value *n = NULL, *pk = NULL;
    if (o->kind == IR_OP_column) {
        n = o->args[IR_A_column_nullable];
        pk = o->args[IR_A_column_primary_key];
    } else if (o->kind == IR_OP_add_column) {
        n = o->args[IR_A_add_column_nullable];
        pk = o->args[IR_A_add_column_primary_key];
    } else {
        return true;
    }
    if (n && n->kind == IR_V_BOOL)
        return n->u.b;
    return !is_true(pk);
}

bool ir_arg_is_default(const ir_op *o, size_t slot)
{
    const ir_value *v = o->args ? o->args[slot] : NULL;
    if (!v)
        return true;
    const ir_param_info *pi = &o->info->params[slot];
    if (pi->flags & IR_AF_VARIADIC)
        return (v->kind == IR_V_LIST || v->kind == IR_V_TUPLE) && v->u.list.n == 0;
    /* alter_column: None drops the default / comment, unlike leaving it out. */
    if (o->kind == IR_OP_alter_column &&
        (slot == IR_A_alter_column_default || slot == IR_A_alter_column_server_default ||
         slot == IR_A_alter_column_comment))
        return false;
    /* nullable= of a column: the default is False for a primary key (the
     * column is NOT NULL either way), True otherwise. */
    if ((o->kind == IR_OP_column && slot == IR_A_column_nullable) ||
        (o->kind == IR_OP_add_column && slot == IR_A_add_column_nullable)) {
        const ir_value *pk = o->args[o->kind == IR_OP_column ? IR_A_column_primary_key
                                                              : IR_A_add_column_primary_key];
        return v->kind == IR_V_BOOL && v->u.b == !is_true(pk);
    }
    ir_param_default d = ir_param_default_of(o->kind, slot);
    switch (d.kind) {
    case IR_PDEF_NULL: return v->kind == IR_V_NONE;
    case IR_PDEF_TRUE: return v->kind == IR_V_BOOL && v->u.b;
    case IR_PDEF_FALSE: return v->kind == IR_V_BOOL && !v->u.b;
    case IR_PDEF_INT: return v->kind == IR_V_INT && v->u.i == d.i;
    case IR_PDEF_STR:
        return v->kind == IR_V_STR && v->u.str.len == d.n && memcmp(v->u.str.s, d.s, d.n) == 0;
    default: return false;
    }
}

const char *ir_kind_name(ir_arg_kind k)
{
    switch (k) {
    case IR_K_IDENT: return "ident";
    case IR_K_IDENT_LIST: return "ident_list";
    case IR_K_STR: return "str";
    case IR_K_SQL: return "sql";
    case IR_K_SQL_DIALECTS: return "sql_dialects";
    case IR_K_BOOL: return "bool";
    case IR_K_INT: return "int";
    case IR_K_TYPE: return "type";
    case IR_K_COLUMN: return "column";
    case IR_K_VALUE: return "value";
    case IR_K_SERVER_DEFAULT: return "server_default";
    case IR_K_CHOICE: return "choice";
    case IR_K_SET_MAP: return "set_map";
    case IR_K_ROWS: return "rows";
    case IR_K_HINT: return "hint";
    }
    return "?";
}

const char *ir_dialect_key_canonical(const char *s, size_t n)
{
    ir_dialect d;
    if (n == 7 && memcmp(s, "default", 7) == 0)
        return "default";
    if (ir_dialect_parse(s, n, &d))
        return ir_dialect_name(d);
    return NULL;
}

void ir_float_repr(double f, char out[32])
{
    if (isnan(f)) {
        strcpy(out, "nan");
        return;
    }
    if (isinf(f)) {
        strcpy(out, f < 0 ? "-inf" : "inf");
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, 32, "%.*g", prec, f);
        if (strtod(out, NULL) == f)
            return;
    }
}

/* ------------------------------------------------------ serializer */

/* How dicts inside a value are written. */
typedef enum {
    DICTS_IN_ORDER, /* source order: order may carry meaning */
    DICTS_SORTED    /* sorted by key, recursively (declare_schema_change) */
} dict_mode;

static void put_str(jy_buf *b, const char *s, size_t n)
{
    jy_buf_printf(b, "s%zu:", n);
    jy_buf_append(b, s, n);
}

static void put_cstr(jy_buf *b, const char *s)
{
    if (s)
        put_str(b, s, strlen(s));
    else
        jy_buf_putc(b, '-');
}

static void ser_value(jy_buf *b, const ir_value *v, dict_mode dm);
static void ser_op_body(jy_buf *b, const ir_op *o);

static void ser_type(jy_buf *b, const ir_type *t)
{
    if (!t) {
        jy_buf_putc(b, '-');
        return;
    }
    if ((unsigned)t->id >= IR_T__COUNT) {
        jy_buf_puts(b, "t?");
        return;
    }
    jy_buf_putc(b, 't');
    put_cstr(b, ir_type_table[t->id].name);
    switch (ir_type_table[t->id].params) {
    case IR_TP_LENGTH:
    case IR_TP_OPT_LENGTH:
        jy_buf_printf(b, "l%lld;", (long long)(t->length < 0 ? -1 : t->length));
        break;
    case IR_TP_PREC_SCALE:
        jy_buf_printf(b, "p%lld;s%lld;", (long long)(t->precision < 0 ? -1 : t->precision),
                      (long long)(t->scale < 0 ? -1 : t->scale));
        break;
    case IR_TP_LABELS:
        jy_buf_printf(b, "[%zu:", t->nlabels);
        for (size_t i = 0; i < t->nlabels; i++)
            put_cstr(b, t->labels[i]);
        jy_buf_putc(b, ']');
        put_cstr(b, t->enum_name);
        break;
    case IR_TP_INNER:
        ser_type(b, t->inner);
        break;
    case IR_TP_DIALECT:
        put_cstr(b, ir_dialect_name(t->dialect_of));
        put_cstr(b, t->dialect_type);
        break;
    case IR_TP_NONE:
        break;
    }
}

/* One dict entry serialized for sorting: key bytes then value bytes. */
typedef struct entry {
    jy_buf key, val;
} entry;

static int entry_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    size_t n = x->key.len < y->key.len ? x->key.len : y->key.len;
    int c = n ? memcmp(x->key.data, y->key.data, n) : 0;
    if (c)
        return c;
    if (x->key.len != y->key.len)
        return x->key.len < y->key.len ? -1 : 1;
    n = x->val.len < y->val.len ? x->val.len : y->val.len;
    c = n ? memcmp(x->val.data, y->val.data, n) : 0;
    if (c)
        return c;
    return x->val.len < y->val.len ? -1 : x->val.len > y->val.len;
}

/*
 * A dict with its entries sorted by the canonical bytes of the key.  When
 * `dialect_keys`, string keys naming a dialect are first replaced by the
 * dialect's canonical name (pg, postgres -> postgresql).  Values are written
 * with `dm`.  On allocation failure the buffer is marked failed.
 */
static void ser_dict_sorted(jy_buf *b, const ir_value *v, dict_mode dm, bool dialect_keys)
{
    size_t n = v->u.dict.n;
    entry *es = n ? calloc(n, sizeof *es) : NULL;
    if (n && !es) {
        b->failed = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const ir_value *k = v->u.dict.keys[i];
        jy_buf_init(&es[i].key);
        jy_buf_init(&es[i].val);
        const char *canon = NULL;
        if (dialect_keys && k && k->kind == IR_V_STR)
            canon = ir_dialect_key_canonical(k->u.str.s, k->u.str.len);
        if (canon)
            put_cstr(&es[i].key, canon);
        else
            ser_value(&es[i].key, k, dm);
        ser_value(&es[i].val, v->u.dict.vals[i], dm);
        if (es[i].key.failed || es[i].val.failed)
            b->failed = true;
    }
    if (n)
        qsort(es, n, sizeof *es, entry_cmp);
    jy_buf_printf(b, "{%zu:", n);
    for (size_t i = 0; i < n; i++) {
        jy_buf_append(b, es[i].key.data, es[i].key.len);
        jy_buf_append(b, es[i].val.data, es[i].val.len);
        jy_buf_free(&es[i].key);
        jy_buf_free(&es[i].val);
    }
    jy_buf_putc(b, '}');
    free(es);
}

/* A constant or structure, recursively.  Lists and tuples are the same
 * sequence; NULL (an absent value) is '_'. */
static void ser_value(jy_buf *b, const ir_value *v, dict_mode dm)
{
    char f[32];
    if (!v) {
        jy_buf_putc(b, '_');
        return;
    }
    switch (v->kind) {
    case IR_V_NONE: jy_buf_putc(b, 'N'); break;
    case IR_V_BOOL: jy_buf_putc(b, v->u.b ? 'T' : 'F'); break;
    case IR_V_INT: jy_buf_printf(b, "i%lld;", (long long)v->u.i); break;
    case IR_V_FLOAT:
        ir_float_repr(v->u.f, f);
        jy_buf_printf(b, "f%s;", f);
        break;
    case IR_V_STR: put_str(b, v->u.str.s ? v->u.str.s : "", v->u.str.len); break;
    case IR_V_LIST:
    case IR_V_TUPLE:
        jy_buf_printf(b, "[%zu:", v->u.list.n);
        for (size_t i = 0; i < v->u.list.n; i++)
            ser_value(b, v->u.list.items[i], dm);
        jy_buf_putc(b, ']');
        break;
    case IR_V_DICT:
        if (dm == DICTS_SORTED) {
            ser_dict_sorted(b, v, dm, false);
        } else {
            jy_buf_printf(b, "{%zu:", v->u.dict.n);
            for (size_t i = 0; i < v->u.dict.n; i++) {
                ser_value(b, v->u.dict.keys[i], dm);
                ser_value(b, v->u.dict.vals[i], dm);
            }
            jy_buf_putc(b, '}');
        }
        break;
    case IR_V_TYPE: ser_type(b, v->u.type); break;
    case IR_V_COLUMN:
        jy_buf_putc(b, 'c');
        if (v->u.op)
            ser_op_body(b, v->u.op);
        else
            jy_buf_putc(b, '-');
        break;
    case IR_V_NOW: jy_buf_puts(b, "@now;"); break;
    }
}

/*
 * One argument, by its catalogue kind:
 *   sql_dialects  a dict is sorted by dialect, keys canonical (pg = postgresql);
 *   rows          the rows keep their order, each row's columns are sorted;
 *   hint          every dict inside is sorted (opts and {"old","new"} dicts),
 *                 and one tuple is written as a list of that one tuple;
 *   set_map and everything else keep source order (MySQL evaluates
 *   `UPDATE ... SET a = ..., b = ...` left to right, so backfill's set
 *   order can matter).
 */
static void ser_arg(jy_buf *b, ir_arg_kind k, const ir_value *v)
{
    if (k == IR_K_SQL_DIALECTS && v->kind == IR_V_DICT) {
        ser_dict_sorted(b, v, DICTS_IN_ORDER, true);
    } else if (k == IR_K_ROWS && (v->kind == IR_V_LIST || v->kind == IR_V_TUPLE)) {
        jy_buf_printf(b, "[%zu:", v->u.list.n);
        for (size_t i = 0; i < v->u.list.n; i++) {
            const ir_value *row = v->u.list.items[i];
            if (row && row->kind == IR_V_DICT)
                ser_dict_sorted(b, row, DICTS_IN_ORDER, false);
            else
                ser_value(b, row, DICTS_IN_ORDER);
        }
        jy_buf_putc(b, ']');
    } else if (k == IR_K_HINT && v->kind == IR_V_TUPLE) {
        /* one tuple means the same as a list holding that tuple */
        jy_buf_puts(b, "[1:");
        ser_value(b, v, DICTS_SORTED);
        jy_buf_putc(b, ']');
    } else {
        ser_value(b, v, k == IR_K_HINT ? DICTS_SORTED : DICTS_IN_ORDER);
    }
}

/* The op's name and its non-default arguments sorted by parameter name. */
static void ser_op_body(jy_buf *b, const ir_op *o)
{
    const ir_op_info *info = o->info ? o->info : &ir_op_table[o->kind];
    size_t idx[64], n = 0;
    if (info->nparams > JY_COUNTOF(idx)) {
        b->failed = true; /* never a silently partial checksum: grow idx[] */
        return;
    }
    jy_buf_putc(b, 'o');
    put_cstr(b, info->name);
    for (size_t i = 0; i < info->nparams; i++) {
        if (o->args && o->args[i] && !ir_arg_is_default(o, i)) {
            size_t j = n++;
            /* insertion sort by name: at most a few dozen parameters */
            while (j > 0 && strcmp(info->params[idx[j - 1]].name, info->params[i].name) > 0) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = i;
        }
    }
    jy_buf_printf(b, "(%zu:", n);
    for (size_t j = 0; j < n; j++) {
        const ir_param_info *pi = &info->params[idx[j]];
        put_cstr(b, pi->name);
        ser_arg(b, pi->kind, o->args[idx[j]]);
    }
    jy_buf_putc(b, ')');
}

static void ser_dmask(jy_buf *b, ir_dmask m)
{
    jy_buf_putc(b, '<');
    for (int d = 0; d < IR_D__COUNT; d++)
        if (m & IR_DMASK(d))
            put_cstr(b, ir_dialect_name((ir_dialect)d));
    jy_buf_putc(b, '>');
}

/*
 * A step as the VM sees it alone: body, dialects, and its batch table.  The
 * dialects are the branch mask over all dialects (cond_dialects), not the
 * ones compiled for: changing joryu.toml's targets changes no checksum.
 * IR built without cond_dialects (0) falls back to dialects, which is then
 * 0 as well when sema set it (dialects = cond_dialects & targets).
 */
static void ser_step(jy_buf *b, const ir_op *o)
{
    ser_op_body(b, o);
    ser_dmask(b, o->cond_dialects ? o->cond_dialects : o->dialects);
    if (o->batch) {
        jy_buf_putc(b, 'B');
        put_cstr(b, o->batch->table);
    } else {
        jy_buf_putc(b, '-');
    }
}

/* A list of steps; `with op.batch` groups are marked where they start and
 * end (so two consecutive batches differ from one, whatever their ids). */
static void ser_steps(jy_buf *b, ir_op *const *ops, size_t n)
{
    const ir_batch *cur = NULL;
    jy_buf_printf(b, "[%zu:", n);
    for (size_t i = 0; i < n; i++) {
        const ir_op *o = ops[i];
        if (o->batch != cur) {
            if (cur)
                jy_buf_puts(b, "/batch;");
            if (o->batch)
                jy_buf_puts(b, "batch;");
            cur = o->batch;
        }
        ser_step(b, o);
    }
    if (cur)
        jy_buf_puts(b, "/batch;");
    jy_buf_putc(b, ']');
}

static int str_ptr_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What the migration header contributes: id, depends_on (sorted, without
 * duplicates: their order means nothing), transaction mode, dialects
 * restriction (by mask: aliases and order do not count; all four dialects
 * is no restriction), group and on_mismatch. */
static void ser_header(jy_buf *b, const ir_migration *m)
{
    jy_buf_puts(b, "id");
    put_cstr(b, m->id);
    const char **deps = m->ndepends ? malloc(m->ndepends * sizeof *deps) : NULL;
    if (m->ndepends && !deps) {
        b->failed = true;
        return;
    }
    if (m->ndepends)
        memcpy(deps, m->depends_on, m->ndepends * sizeof *deps);
    if (m->ndepends > 1)
        qsort(deps, m->ndepends, sizeof *deps, str_ptr_cmp);
    size_t nu = 0;
    for (size_t i = 0; i < m->ndepends; i++)
        if (i == 0 || strcmp(deps[i], deps[i - 1]) != 0)
            deps[nu++] = deps[i];
    jy_buf_printf(b, "depends[%zu:", nu);
    for (size_t i = 0; i < nu; i++)
        put_cstr(b, deps[i]);
    jy_buf_putc(b, ']');
    free(deps);
    jy_buf_puts(b, "tx");
    put_cstr(b, ir_tx_mode_name(m->tx_mode));
    jy_buf_puts(b, "dialects");
    if (m->has_dialects && (m->dialects & IR_DMASK_ALL) != IR_DMASK_ALL)
        ser_dmask(b, m->dialects);
    else
        jy_buf_putc(b, '*');
    jy_buf_puts(b, "group");
    put_cstr(b, m->group);
    jy_buf_puts(b, "mismatch");
    put_cstr(b, ir_mismatch_name(m->on_mismatch));
}

static void finish(jy_buf *b, char out[80])
{
    char hex[65];
    if (b->failed) {
        /* Never equal to a real checksum: a stored value cannot match it. */
        snprintf(out, 80, "%s:error-out-of-memory", IR_CHECKSUM_VERSION);
        return;
    }
    jy_sha256_hex(b->data ? b->data : "", b->len, hex);
    snprintf(out, 80, "%s:%s", IR_CHECKSUM_VERSION, hex);
}

void ir_checksum_migration(ir_migration *m)
{
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_puts(&b, "joryu-migration\n" IR_CHECKSUM_VERSION "\n");
    ser_header(&b, m);
    jy_buf_puts(&b, "up");
    ser_steps(&b, m->ops, m->nops);
    finish(&b, m->checksum);

    jy_buf_free(&b); /* also clears a failure of the first hash */
    jy_buf_puts(&b, "joryu-downgrade\n" IR_CHECKSUM_VERSION "\n");
    jy_buf_puts(&b, "id");
    put_cstr(&b, m->id);
    if (m->has_downgrade) {
        jy_buf_puts(&b, "down");
        ser_steps(&b, m->down, m->ndown);
    } else {
        jy_buf_puts(&b, "no-downgrade");
    }
    finish(&b, m->down_checksum);
    jy_buf_free(&b);
}

void ir_op_fingerprint(const ir_op *op, char out[80])
{
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_puts(&b, "joryu-op\n" IR_CHECKSUM_VERSION "\n");
    ser_step(&b, op);
    finish(&b, out);
    jy_buf_free(&b);
}
