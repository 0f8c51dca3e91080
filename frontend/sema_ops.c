/*
 * sema_ops.c - semantic analysis inside upgrade()/downgrade(): op.* calls
 * bound to the catalogue (ir/ops.def) and their rules,
 * `with op.batch(...) as b:` blocks, and the folding of
 * `if op.dialect.name ...` branches into per-op dialect masks.
 */
#include "sema_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>


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
ir_op *sm_build_op(sema *s, ir_op_kind k, const fe_expr *call, const fe_expr *fn,
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
    sm_cat4(callee, sizeof callee, prefix, ".", info->name, NULL);
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
                if (v && (v = sm_check_kind(s, callee, &info->params[variadic], v)))
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
        if (v && v->kind == IR_V_NONE && !(info->params[slot].flags & IR_AF_REQ) &&
            !(k == IR_OP_alter_column &&
              (slot == IR_A_alter_column_default || slot == IR_A_alter_column_server_default)))
            continue; /* `x=None` is the documented default: the same as leaving it out */
        if (v)
            args[slot] = sm_check_kind(s, callee, &info->params[slot], v);
    }
    if (variadic >= 0) {
        ir_value *lv = sm_newv(s, IR_V_LIST, call->start, call->end);
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
            args[i] = sm_new_str(s, batch->table, strlen(batch->table), s->batch_tstart,
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
    if (!t || !v || v->kind == IR_V_NONE || !sm_is_const_scalar(v))
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

const char *sm_str_of(const ir_value *v)
{
    return v && v->kind == IR_V_STR ? v->u.str.s : NULL;
}

void sm_op_rules(sema *s, ir_op *op, const char *callee, const fe_expr *call)
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
            sm_no_duplicates(s, names, nn, "column");
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
                const char *want = sm_str_of(pk->u.list.items[i]);
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
        const char *o = sm_str_of(a[op->kind == IR_OP_rename_table ? IR_A_rename_table_old
                                                                 : IR_A_rename_column_old]);
        const ir_value *nv = a[op->kind == IR_OP_rename_table ? IR_A_rename_table_new
                                                               : IR_A_rename_column_new];
        if (o && sm_str_of(nv) && strcmp(o, sm_str_of(nv)) == 0)
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

/* autoincrement=True off the primary key: PostgreSQL has identity columns
 * anywhere, but MySQL needs AUTO_INCREMENT on a key and SQLite's rowid
 * alias is the INTEGER PRIMARY KEY (exit 6 for those). */
static void autoincrement_rule(sema *s, const ir_value *av, const ir_value *tv, bool is_pk,
                               ir_dmask mask)
{
    ir_dmask bad = mask & (IR_DMASK(IR_D_MYSQL) | IR_DMASK(IR_D_MARIADB) | IR_DMASK(IR_D_SQLITE));
    if (!is_true(av) || is_pk || !bad || !tv || tv->kind != IR_V_TYPE ||
        !integer_type(tv->u.type->id))
        return; /* a non-integer type is sema.autoincrement-type already */
    char list[96];
    sm_mask_text(bad, list, sizeof list);
    jy_diag *g = sm_err6(s, "sema.autoincrement-primary-key", av->start, av->end,
                         "autoincrement=True without primary_key=True is not supported on %s",
                         list);
    jy_diag_hint(g, "add primary_key=True, or generate the value with server_default=\"...\"");
}

/* The dict keys of an op.execute argument against the dialects compiled. */
static void sql_keys_for(sema *s, const ir_value *v, ir_dmask mask, const char *what)
{
    if (!v || v->kind != IR_V_DICT || !mask)
        return;
    ir_dmask have = 0;
    for (size_t i = 0; i < v->u.dict.n; i++) {
        const char *k = sm_str_of(v->u.dict.keys[i]);
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
        autoincrement_rule(s, a[IR_A_add_column_autoincrement], a[IR_A_add_column_type],
                           is_true(a[IR_A_add_column_primary_key]), mask);
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
                              ? sm_str_of(pk->u.list.items[0])
                              : NULL;
        for (size_t i = 0; cols && i < cols->u.list.n; i++) {
            ir_op *c = cols->u.list.items[i]->u.op;
            const char *cn = sm_str_of(c->args[IR_A_column_name]);
            bool is_pk = is_true(c->args[IR_A_column_primary_key]) ||
                         (pk1 && cn && strcmp(pk1, cn) == 0);
            type_for_dialects(s, c->args[IR_A_column_type], mask);
            serial_rule(s, c->args[IR_A_column_type], is_pk, "");
            autoincrement_rule(s, c->args[IR_A_column_autoincrement], c->args[IR_A_column_type],
                               is_pk, mask);
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
    const ir_value *cols = op->kind == IR_OP_create_table ? op->args[IR_A_create_table_columns]
                                                          : NULL;
    for (size_t i = 0; cols && i < cols->u.list.n; i++) {
        ir_op *c = cols->u.list.items[i]->u.op; /* columns share their table's masks */
        c->cond_dialects = op->cond_dialects;
        c->dialects = op->dialects;
    }
    sm_op_rules(s, op, callee, call);
    dialect_rules(s, op);
    sm_vec_push(s, s->ops, op);
}

/* One call statement: op.<name>(...) or <batch alias>.<name>(...). */
static void do_call(sema *s, const fe_stmt *st, const fe_expr *e, ir_dmask cond)
{
    const fe_expr *fn = e->u.call.fn;
    if (fn->kind != FE_E_ATTR) {
        if (fn->kind == FE_E_NAME && !sm_lookup(s, fn->u.name.s, fn->u.name.n)) {
            sm_undefined_name(s, fn);
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
                      sm_name_is(obj->u.name.s, obj->u.name.n, s->batch_alias));
    if (k != SM_N_OP && !via_batch) {
        if (sm_find_rejected(s, fn))
            return;
        const fe_expr *root = sm_root_name(fn);
        sm_binding *rb = root ? sm_lookup(s, root->u.name.s, root->u.name.n) : NULL;
        if (root && !rb) {
            sm_undefined_name(s, root);
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
    ir_op *op = sm_build_op(s, ok, e, fn, prefix);
    s->batch = saved;
    if (!op)
        return;
    char callee[96];
    sm_cat4(callee, sizeof callee, prefix, ".", name, NULL);
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
            sm_err(s, "sema.condition", e->start, e->end,
                   "compare op.dialect.name with == or !=, not `is`");
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
    if (sm_find_rejected(s, e))
        return false;
    if (e->kind == FE_E_CMP && (sm_find_rejected(s, e->u.bin.lhs) || sm_find_rejected(s, e->u.bin.rhs)))
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

/* `with op.batch(table) as b:`: the block's ops get the batch (and its
 * table in their BATCH_TABLE slot); blocks do not nest. */
static void do_with(sema *s, const fe_stmt *st, ir_dmask cond)
{
    const fe_expr *ctx = st->u.with.ctx;
    if (!ctx || ctx->kind == FE_E_ERROR)
        return;
    const fe_expr *fn = ctx->kind == FE_E_CALL ? ctx->u.call.fn : NULL;
    if (!fn || fn->kind != FE_E_ATTR || sm_resolve(s, fn->u.attr.obj) != SM_N_OP ||
        !sm_name_is(fn->u.attr.name, fn->u.attr.n, "batch")) {
        if (fn && sm_find_rejected(s, fn))
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
    ir_op *bop = sm_build_op(s, IR_OP_batch, ctx, fn, "op");
    if (!bop)
        return;
    const ir_value *tv = bop->args[IR_A_batch_table];
    const char *alias = st->u.with.as;
    if (!alias) {
        jy_diag *g = sm_err(s, "sema.batch-alias", st->start, ctx->end,
                            "op.batch needs a name for the block");
        jy_diag_hint(g, "write `with op.batch(\"%s\") as b:`", sm_str_of(tv) ? sm_str_of(tv) : "table");
    }
    bool bind_alias = alias && name_free(s, alias, st->u.with.as_start, st->u.with.as_end);
    ir_batch *b = jy_arena_alloc(s->A, sizeof *b);
    if (!b)
        return;
    b->table = sm_str_of(tv) ? sm_str_of(tv) : "";
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

/* In a function, only `d = op.dialect.name` (binds d for conditions). */
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
    if (v && sm_find_rejected(s, v))
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
        if (e && sm_find_rejected(s, e->kind == FE_E_CALL ? e->u.call.fn : e))
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
            else if (!sm_find_rejected(s, e))
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
