/*
 * test_sema.c - semantic analysis: compile tests/valid/ and check what the
 * IR says (column attributes, dialect masks after folding, batch tables,
 * DOWN-HINTs, constants), then the checks across files and per dialect.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend.h"

#define PG IR_DMASK(IR_D_POSTGRESQL)
#define MY IR_DMASK(IR_D_MYSQL)
#define MA IR_DMASK(IR_D_MARIADB)
#define LITE IR_DMASK(IR_D_SQLITE)

static void dump_diags(jy_diags *d)
{
    jy_diags_print(d, stderr, false);
}

static ir_program *compile_dir(const char *sub, ir_dmask targets)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/valid/%s", JORYU_SRC, sub);
    fe_options opt;
    fe_options_init(&opt);
    opt.targets = targets;
    jy_diags d;
    jy_diags_init(&d);
    ir_program *p = NULL;
    const char *paths[] = {path};
    int rc = fe_compile(paths, 1, &opt, &p, &d);
    if (rc != 0 || !p) {
        dump_diags(&d);
        jy_diags_free(&d);
        fail_msg("tests/valid/%s does not compile", sub);
    }
    /* a valid file compiles without any diagnostic, warnings included */
    if (d.n)
        dump_diags(&d);
    assert_int_equal(d.n, 0);
    jy_diags_free(&d);
    return p;
}

/* Compile one text; returns the program or NULL, diagnostics in d. */
static ir_program *compile_text(const char *name, const char *text, ir_dmask targets,
                                jy_diags *d)
{
    fe_options opt;
    fe_options_init(&opt);
    opt.targets = targets;
    opt.single_file = true;
    ir_program *p = NULL;
    int rc = fe_compile_memory(name, text, strlen(text), &opt, &p, d);
    if (rc != 0)
        assert_null(p);
    return p;
}

static bool has_code(const jy_diags *d, const char *code)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].code && strcmp(d->v[i].code, code) == 0)
            return true;
    return false;
}

static const jy_diag *find_code(const jy_diags *d, const char *code)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].code && strcmp(d->v[i].code, code) == 0)
            return &d->v[i];
    return NULL;
}

static ir_migration *mig(ir_program *p, const char *id)
{
    ir_migration *m = ir_program_find(p, id);
    if (!m)
        fail_msg("no migration %s", id);
    return m;
}

/* The n-th (from 0) op of that kind in a list. */
static ir_op *nth(ir_op **ops, size_t nops, ir_op_kind k, size_t n)
{
    for (size_t i = 0; i < nops; i++)
        if (ops[i]->kind == k && n-- == 0)
            return ops[i];
    fail_msg("no op %s #%zu", ir_op_table[k].name, n);
    return NULL;
}

static const char *sval(const ir_value *v)
{
    assert_non_null(v);
    assert_int_equal(v->kind, IR_V_STR);
    return v->u.str.s;
}

static bool bval(const ir_value *v)
{
    assert_non_null(v);
    assert_int_equal(v->kind, IR_V_BOOL);
    return v->u.b;
}

/* The op.column(...) named `name` of a create_table. */
static ir_op *column(const ir_op *ct, const char *name)
{
    const ir_value *cols = ct->args[IR_A_create_table_columns];
    assert_non_null(cols);
    for (size_t i = 0; i < cols->u.list.n; i++) {
        ir_op *c = cols->u.list.items[i]->u.op;
        if (strcmp(sval(c->args[IR_A_column_name]), name) == 0)
            return c;
    }
    fail_msg("no column %s", name);
    return NULL;
}

static const ir_type *ctype(const ir_op *c)
{
    assert_non_null(c->args[IR_A_column_type]);
    assert_int_equal(c->args[IR_A_column_type]->kind, IR_V_TYPE);
    return c->args[IR_A_column_type]->u.type;
}

/* ------------------------------------------------------------------ */

static void test_seed(void **state)
{
    (void)state;
    ir_program *p = compile_dir("seed", IR_DMASK_DEFAULT);
    assert_int_equal(p->n, 1);
    ir_migration *m = mig(p, "20260514T093000_add_users");
    assert_int_equal(m->nops, 1);
    ir_op *ct = m->ops[0];
    assert_int_equal(ct->kind, IR_OP_create_table);
    assert_string_equal(sval(ct->args[IR_A_create_table_name]), "users");
    assert_int_equal(ct->args[IR_A_create_table_columns]->u.list.n, 3);
    assert_int_equal(ct->dialects, IR_DMASK_DEFAULT);

    ir_op *id = column(ct, "id");
    assert_int_equal(ctype(id)->id, IR_T_BIGINT);
    assert_true(bval(id->args[IR_A_column_primary_key]));
    assert_true(bval(id->args[IR_A_column_autoincrement]));
    ir_op *email = column(ct, "email");
    assert_int_equal(ctype(email)->id, IR_T_TEXT);
    assert_false(bval(email->args[IR_A_column_nullable]));
    assert_true(bval(email->args[IR_A_column_unique]));
    assert_null(email->args[IR_A_column_default]);
    ir_op *at = column(ct, "created_at");
    assert_int_equal(ctype(at)->id, IR_T_TIMESTAMP);
    assert_int_equal(at->args[IR_A_column_server_default]->kind, IR_V_NOW);

    assert_true(m->has_downgrade);
    assert_int_equal(m->ndown, 1);
    assert_int_equal(m->down[0]->kind, IR_OP_drop_table);
    assert_memory_equal(m->checksum, "v1:", 3);
    assert_int_equal(m->tx_mode, IR_TX_PER_STEP);
    assert_int_equal(m->on_mismatch, IR_MISMATCH_ERROR);
    assert_false(m->has_dialects);
    ir_program_free(p);
}

static void test_appendix_a(void **state)
{
    (void)state;
    ir_program *p = compile_dir("appendix_a", IR_DMASK_DEFAULT);
    assert_int_equal(p->n, 6);
    /* sorted by id */
    for (size_t i = 1; i < p->n; i++)
        assert_true(strcmp(p->migs[i - 1]->id, p->migs[i]->id) < 0);

    ir_migration *a1 = mig(p, "20260514T093000_add_users");
    assert_string_equal(a1->docstring, "Add users table.");
    ir_op *at = column(a1->ops[0], "created_at");
    assert_int_equal(at->args[IR_A_column_server_default]->kind, IR_V_NOW); /* op.func.now() */

    ir_migration *a3 = mig(p, "20260520T100000_settings_index");
    assert_int_equal(a3->tx_mode, IR_TX_NONE);
    const ir_value *sql = a3->ops[0]->args[IR_A_execute_sql];
    assert_int_equal(sql->kind, IR_V_DICT);
    assert_int_equal(sql->u.dict.n, 3);
    assert_string_equal(sval(sql->u.dict.keys[0]), "postgresql");
    assert_string_equal(sval(sql->u.dict.keys[2]), "sqlite");

    ir_migration *a4 = mig(p, "20260525T093000_pg_rls");
    assert_true(a4->has_dialects);
    assert_int_equal(a4->dialects, PG);
    assert_string_equal(a4->group, "20260525_rls");
    assert_int_equal(a4->ndepends, 1);
    assert_string_equal(a4->depends_on[0], "20260514T093000_add_users");
    assert_int_equal(a4->nops, 3);
    for (size_t i = 0; i < a4->nops; i++) {
        assert_int_equal(a4->ops[i]->dialects, PG);
        assert_int_equal(a4->ops[i]->cond_dialects, PG);
    }

    ir_migration *a5 = mig(p, "20260601T120000_email_not_null");
    assert_int_equal(a5->nops, 1);
    ir_op *alt = a5->ops[0];
    assert_int_equal(alt->kind, IR_OP_alter_column);
    assert_non_null(alt->batch);
    assert_string_equal(alt->batch->table, "users");
    assert_string_equal(sval(alt->args[IR_A_alter_column_table]), "users");
    assert_string_equal(sval(alt->args[IR_A_alter_column_name]), "email");
    assert_false(bval(alt->args[IR_A_alter_column_nullable]));

    ir_migration *a8 = mig(p, "20260622T100000_add_columns_and_idx");
    assert_int_equal(a8->nops, 4);
    ir_op *ix = a8->ops[2];
    assert_int_equal(ix->kind, IR_OP_create_index);
    assert_string_equal(sval(ix->args[IR_A_create_index_columns]->u.list.items[0]), "col2");

    ir_migration *a9 = mig(p, "20260625T100000_add_phone");
    assert_true(bval(a9->ops[0]->args[IR_A_add_column_nullable]));
    ir_program_free(p);

    /* every valid folder compiles for all four dialects as well */
    const char *dirs[] = {"seed", "appendix_a", "ops"};
    for (size_t i = 0; i < JY_COUNTOF(dirs); i++)
        ir_program_free(compile_dir(dirs[i], IR_DMASK_ALL));
}

/* Branch folding: every op's mask for all four dialects as targets. */
static void test_branches(void **state)
{
    (void)state;
    ir_program *p = compile_dir("ops", IR_DMASK_ALL);
    ir_migration *m = mig(p, "20260301T090400_branches");
    const ir_dmask want[] = {
        PG,                 /* if d == postgresql */
        MY | MA,            /* elif d == mysql (the family) */
        LITE,               /* else */
        PG | MY | MA,       /* != sqlite */
        MY | MA | LITE,     /* in (mysql, sqlite) */
        PG | LITE,          /* not in [mysql, mariadb] */
        MA,                 /* == mariadb */
        PG | LITE,          /* == PG or d in LITE_AND_MY and not d == mysql */
        0,                  /* postgres == ... and inner == sqlite */
        PG,                 /* else of it */
        MY | MA | LITE,     /* not (d == pg) */
    };
    assert_int_equal(m->nops, JY_COUNTOF(want));
    for (size_t i = 0; i < m->nops; i++) {
        if (m->ops[i]->dialects != want[i])
            fail_msg("op %zu: mask %#x, want %#x", i, m->ops[i]->dialects, want[i]);
        assert_int_equal(m->ops[i]->cond_dialects, want[i]);
    }
    assert_int_equal(m->ops[2]->kind, IR_OP_create_table);
    assert_int_equal(m->ndown, 1);
    assert_int_equal(m->down[0]->dialects, LITE);
    ir_program_free(p);

    /* With the default targets, masks are cut to the targets, cond_dialects are not. */
    p = compile_dir("ops", IR_DMASK_DEFAULT);
    m = mig(p, "20260301T090400_branches");
    assert_int_equal(m->ops[1]->dialects, MY);
    assert_int_equal(m->ops[1]->cond_dialects, MY | MA);
    assert_int_equal(m->ops[6]->dialects, 0);
    assert_int_equal(m->ops[6]->cond_dialects, MA);
    ir_program_free(p);
}

static void test_types(void **state)
{
    (void)state;
    ir_program *p = compile_dir("ops", IR_DMASK_DEFAULT);
    ir_migration *m = mig(p, "20260301T090000_all_types");
    ir_op *ct = m->ops[0];
    assert_int_equal(ctype(column(ct, "id"))->id, IR_T_BIGSERIAL);
    const ir_type *code = ctype(column(ct, "code"));
    assert_int_equal(code->id, IR_T_STRING);
    assert_int_equal(code->length, 8);
    assert_int_equal(ctype(column(ct, "code2"))->length, 255);
    const ir_type *money = ctype(column(ct, "money"));
    assert_int_equal(money->precision, 12);
    assert_int_equal(money->scale, 2);
    assert_int_equal(ctype(column(ct, "loose_money"))->precision, -1);
    assert_int_equal(ctype(column(ct, "scaled"))->precision, 10);
    assert_int_equal(ctype(column(ct, "scaled"))->scale, 0);
    assert_int_equal(ctype(column(ct, "blob"))->length, -1);
    assert_int_equal(ctype(column(ct, "digest"))->length, 32);
    const ir_type *st = ctype(column(ct, "status"));
    assert_int_equal(st->id, IR_T_ENUM);
    assert_int_equal(st->nlabels, 3);
    assert_string_equal(st->labels[1], "active");
    assert_string_equal(st->enum_name, "zoo_status");
    const ir_value *big = column(ct, "big")->args[IR_A_column_default];
    assert_int_equal(big->kind, IR_V_INT);
    assert_true(big->u.i == -9000000000LL);
    assert_int_equal(column(ct, "ratio")->args[IR_A_column_default]->kind, IR_V_FLOAT);
    assert_false(bval(column(ct, "flag")->args[IR_A_column_default]));
    assert_string_equal(sval(column(ct, "body")->args[IR_A_column_comment]), "free text");
    assert_string_equal(sval(ct->args[IR_A_create_table_comment]), "one column of each type");
    assert_int_equal(column(ct, "id")->dialects, IR_DMASK_DEFAULT);

    ir_op *span = nth(m->ops, m->nops, IR_OP_add_column, 0);
    assert_int_equal(span->args[IR_A_add_column_type]->u.type->id, IR_T_INTERVAL);
    assert_int_equal(span->dialects, PG);
    ir_op *tags = nth(m->ops, m->nops, IR_OP_add_column, 1);
    const ir_type *arr = tags->args[IR_A_add_column_type]->u.type;
    assert_int_equal(arr->id, IR_T_ARRAY);
    assert_int_equal(arr->inner->id, IR_T_STRING);
    assert_int_equal(arr->inner->length, 40);
    ir_op *search = nth(m->ops, m->nops, IR_OP_add_column, 2);
    const ir_type *dt = search->args[IR_A_add_column_type]->u.type;
    assert_int_equal(dt->id, IR_T_DIALECT);
    assert_int_equal(dt->dialect_of, IR_D_POSTGRESQL);
    assert_string_equal(dt->dialect_type, "tsvector");
    ir_op *lite = nth(m->ops, m->nops, IR_OP_add_column, 3);
    assert_int_equal(lite->dialects, LITE);
    assert_int_equal(lite->args[IR_A_add_column_type]->u.type->dialect_of, IR_D_SQLITE);
    assert_int_equal(m->ntags, 2);

    ir_migration *c = mig(p, "20260301T090100_columns");
    assert_int_equal(c->on_mismatch, IR_MISMATCH_ALTER);
    ir_op *nick = c->ops[0];
    assert_string_equal(sval(nick->args[IR_A_add_column_on_mismatch]), "skip");
    assert_string_equal(sval(nick->args[IR_A_add_column_default]), "anon");
    assert_string_equal(sval(c->ops[1]->args[IR_A_add_column_generated]), "lower(nick)");
    assert_string_equal(sval(c->ops[2]->args[IR_A_add_column_server_default]), "0");
    assert_string_equal(sval(c->ops[3]->args[IR_A_add_column_name]), "score"); /* by keyword */
    assert_int_equal(c->ops[5]->args[IR_A_alter_column_server_default]->kind, IR_V_NONE);
    ir_program_free(p);
}

static void test_constraints_and_batch(void **state)
{
    (void)state;
    ir_program *p = compile_dir("ops", IR_DMASK_DEFAULT);
    ir_migration *m = mig(p, "20260301T090200_indexes_constraints");
    ir_op *pets = nth(m->ops, m->nops, IR_OP_create_table, 1);
    const ir_value *pk = pets->args[IR_A_create_table_primary_key];
    assert_int_equal(pk->u.list.n, 2);
    ir_op *fk = nth(m->ops, m->nops, IR_OP_create_foreign_key, 0);
    /* choices are stored as the catalogue spells them */
    assert_string_equal(sval(fk->args[IR_A_create_foreign_key_on_delete]), "CASCADE");
    assert_string_equal(sval(fk->args[IR_A_create_foreign_key_on_update]), "NO ACTION");
    ir_op *gin = nth(m->ops, m->nops, IR_OP_create_index, 3);
    assert_int_equal(gin->dialects, PG);
    assert_true(bval(gin->args[IR_A_create_index_concurrent]));
    ir_op *di = nth(m->ops, m->nops, IR_OP_drop_index, 1);
    assert_string_equal(sval(di->args[IR_A_drop_index_table]), "pets");

    ir_migration *b = mig(p, "20260301T090300_batch");
    size_t inside = 0;
    for (size_t i = 0; i < b->nops; i++) {
        ir_op *op = b->ops[i];
        if (op->kind == IR_OP_execute) {
            assert_null(op->batch); /* op.execute inside the block is not batched */
            continue;
        }
        assert_non_null(op->batch);
        const ir_param_info *pi = op->info->params;
        for (size_t k = 0; k < op->info->nparams; k++)
            if (pi[k].flags & IR_AF_BATCH_TABLE)
                assert_string_equal(sval(op->args[k]), op->batch->table);
        if (op->batch->id == 0) {
            assert_string_equal(op->batch->table, "pets");
            inside++;
        } else {
            assert_int_equal(op->batch->id, 1);
            assert_string_equal(op->batch->table, "owners");
        }
    }
    assert_int_equal(inside, 11);
    ir_op *cond = nth(b->ops, b->nops, IR_OP_drop_column, 1);
    assert_int_equal(cond->dialects, LITE);
    ir_op *fk2 = nth(b->ops, b->nops, IR_OP_create_foreign_key, 0);
    assert_string_equal(sval(fk2->args[IR_A_create_foreign_key_ref_table]), "owners");
    assert_string_equal(sval(fk2->args[IR_A_create_foreign_key_source_table]), "pets");
    ir_program_free(p);
}

static void test_declare_and_data(void **state)
{
    (void)state;
    ir_program *p = compile_dir("ops", IR_DMASK_DEFAULT);
    ir_migration *m = mig(p, "20260301T090500_declare_schema_change");
    ir_op *ext = m->ops[1];
    assert_int_equal(ext->kind, IR_OP_declare_schema_change);
    const ir_value *ea = ext->args[IR_A_declare_schema_change_extension_added];
    /* a bare string is normalized to a list of one 1-tuple */
    assert_int_equal(ea->kind, IR_V_LIST);
    assert_int_equal(ea->u.list.n, 1);
    assert_int_equal(ea->u.list.items[0]->kind, IR_V_TUPLE);
    assert_string_equal(sval(ea->u.list.items[0]->u.list.items[0]), "pgcrypto");
    ir_op *all = m->ops[4];
    size_t nkw = ir_op_table[IR_OP_declare_schema_change].nparams, given = 0;
    for (size_t i = 0; i < nkw; i++) {
        bool seen = false;
        for (size_t k = 0; k < m->nops; k++)
            if (m->ops[k]->kind == IR_OP_declare_schema_change && m->ops[k]->args[i]) {
                seen = true;
                assert_int_equal(m->ops[k]->args[i]->kind, IR_V_LIST);
            }
        given += seen;
    }
    assert_int_equal(given, nkw); /* every keyword of the v1 vocabulary */
    assert_int_equal(all->args[IR_A_declare_schema_change_column_added]->u.list.n, 2);

    ir_migration *d = mig(p, "20260301T090600_data");
    assert_int_equal(d->tx_mode, IR_TX_PER_MIGRATION);
    ir_op *bi = nth(d->ops, d->nops, IR_OP_bulk_insert, 0);
    const ir_value *rows = bi->args[IR_A_bulk_insert_rows]; /* the constant ROLES */
    assert_int_equal(rows->u.list.n, 2);
    const ir_value *r1 = rows->u.list.items[1];
    assert_int_equal(r1->u.dict.vals[2]->kind, IR_V_FLOAT);
    assert_true(r1->u.dict.vals[2]->u.f == -0.5);
    ir_op *bf = nth(d->ops, d->nops, IR_OP_backfill, 1);
    assert_int_equal(bf->args[IR_A_backfill_batch_size]->u.i, 500);
    assert_string_equal(sval(bf->args[IR_A_backfill_key]), "id");
    assert_int_equal(bf->args[IR_A_backfill_set]->u.dict.n, 2);
    assert_null(nth(d->ops, d->nops, IR_OP_backfill, 0)->args[IR_A_backfill_batch_size]);
    ir_op *ex = nth(d->ops, d->nops, IR_OP_execute, 1);
    const ir_value *sql = ex->args[IR_A_execute_sql];
    assert_string_equal(sval(sql->u.dict.keys[0]), "postgresql"); /* "pg" normalized */
    assert_string_equal(sval(sql->u.dict.keys[1]), "default");
    const ir_value *rev = ex->args[IR_A_execute_reverse];
    assert_string_equal(sval(rev->u.dict.keys[0]), "postgresql"); /* "postgres" */
    ir_op *cat = nth(d->ops, d->nops, IR_OP_execute, 2);
    assert_string_equal(sval(cat->args[IR_A_execute_sql]),
                        "SELECT 'a' 'b' -- implicit concatenation");
    ir_program_free(p);
}

static const ir_hint *hint(const ir_migration *m, const char *field)
{
    for (size_t i = 0; i < m->nhints; i++)
        if (strcmp(m->hints[i].field, field) == 0)
            return &m->hints[i];
    fail_msg("no hint %s", field);
    return NULL;
}

static void test_hints(void **state)
{
    (void)state;
    ir_program *p = compile_dir("ops", IR_DMASK_DEFAULT);
    ir_migration *m = mig(p, "20260301T090600_data");
    assert_int_equal(m->nhints, 9);
    const ir_hint *si = hint(m, "schema-impact");
    assert_true(si->is_list);
    assert_int_equal(si->nitems, 2);
    assert_string_equal(si->items[0], "drop_table: roles");
    assert_string_equal(si->items[1], "drop_column: owners.name_lower");
    const ir_hint *cr = hint(m, "cross-references");
    assert_true(cr->is_list);
    assert_int_equal(cr->nitems, 0);
    assert_string_equal(hint(m, "data-loss-risk")->value, "high");
    assert_string_equal(hint(m, "data-loss-reason")->value,
                        "role rows and lower-cased names are lost");
    assert_string_equal(hint(m, "order-constraint")->items[0], "drop_index before drop_table");
    assert_string_equal(hint(m, "requires-app-knowledge")->value, "true");
    assert_int_equal(hint(m, "app-knowledge-needed")->nitems, 1);
    assert_string_equal(hint(m, "completion-status")->value, "complete");
    const ir_hint *ms = hint(m, "manual-steps");
    assert_int_equal(ms->nitems, 2);
    assert_string_equal(ms->items[1], "purge cache");

    ir_migration *pg = mig(p, "20260301T090700_pg_only");
    assert_int_equal(pg->nhints, 5);
    assert_string_equal(hint(pg, "completion-status")->value, "stub");
    assert_int_equal(pg->ndown, 0);
    assert_true(pg->has_downgrade);
    ir_program_free(p);
}

static void test_constants_and_groups(void **state)
{
    (void)state;
    ir_program *p = compile_dir("ops", IR_DMASK_DEFAULT);
    ir_migration *m = mig(p, "20260301T091000_import_variants");
    ir_op *ct = m->ops[0];
    assert_string_equal(sval(ct->args[IR_A_create_table_name]), "variants");
    assert_int_equal(ctype(column(ct, "code"))->length, 20);
    assert_int_equal(ctype(column(ct, "owner"))->id, IR_T_BIGINT);
    assert_int_equal(ctype(column(ct, "id"))->id, IR_T_SERIAL);
    assert_int_equal(m->ndown, 1);

    ir_migration *pg = mig(p, "20260301T090700_pg_only");
    assert_int_equal(pg->dialects, PG); /* "pg" */
    ir_migration *lite = mig(p, "20260301T090800_sqlite_extras");
    assert_int_equal(lite->dialects, LITE | MY | MA); /* mysql names the family */
    assert_int_equal(lite->ops[0]->dialects, LITE | MY);
    ir_migration *after = mig(p, "20260301T090900_after_group");
    assert_string_equal(after->depends_on[0], "group:20260301_extras");
    assert_string_equal(after->docstring, "Depends on a group: whichever member the dialect applies.");
    assert_int_equal(after->nops, 0);
    ir_program_free(p);
}

/* ------------------------------------------------ errors and dialects */

#define HEADER "import joryu\nfrom joryu import op, types as t\n\n"

static void test_exit_6(void **state)
{
    (void)state;
    const char *text = HEADER "@joryu.migration(id=\"20260101T000000_x\")\ndef upgrade():\n"
                              "    op.add_column(\"u\", \"span\", t.Interval)\n";
    jy_diags d;
    jy_diags_init(&d);
    assert_null(compile_text("20260101T000000_x.py", text, IR_DMASK_DEFAULT, &d));
    assert_int_equal(d.exit_code, JY_EXIT_UNSUPPORTED);
    const jy_diag *g = find_code(&d, "sema.type-unsupported");
    assert_non_null(g);
    assert_string_equal(g->message, "t.Interval is not supported on mysql and sqlite");
    /* the source stays printable after the failed program is gone */
    unsigned line, col;
    jy_source_linecol(g->src, g->offset, &line, &col);
    assert_int_equal(line, 6);
    assert_int_equal(col, 32);
    jy_diags_free(&d);

    /* targeting PostgreSQL only, the same file compiles */
    jy_diags_init(&d);
    ir_program *p = compile_text("20260101T000000_x.py", text, PG, &d);
    assert_non_null(p);
    assert_int_equal(p->migs[0]->ops[0]->dialects, PG);
    ir_program_free(p);
    jy_diags_free(&d);
}

static void test_mariadb_target(void **state)
{
    (void)state;
    /* MariaDB runs the "mysql" SQL unless a "mariadb" key overrides it. */
    const char *text = HEADER "@joryu.migration(id=\"20260101T000000_x\")\ndef upgrade():\n"
                              "    op.execute({\"postgresql\": \"a\", \"mysql\": \"b\", \"sqlite\": \"c\"})\n";
    jy_diags d;
    jy_diags_init(&d);
    ir_program *p = compile_text("20260101T000000_x.py", text, IR_DMASK_ALL, &d);
    assert_non_null(p);
    ir_program_free(p);
    jy_diags_free(&d);
    /* but a "mariadb" key does not serve MySQL */
    text = HEADER "@joryu.migration(id=\"20260101T000000_x\")\ndef upgrade():\n"
                  "    op.execute({\"postgresql\": \"a\", \"mariadb\": \"b\", \"sqlite\": \"c\"})\n";
    jy_diags_init(&d);
    assert_null(compile_text("20260101T000000_x.py", text, IR_DMASK_ALL, &d));
    const jy_diag *g = find_code(&d, "sema.execute-missing-dialect");
    assert_non_null(g);
    assert_string_equal(g->message, "op.execute has no SQL for mysql and no \"default\" key");
    jy_diags_free(&d);
    /* rows may name different columns */
    text = HEADER "@joryu.migration(id=\"20260101T000000_x\")\ndef upgrade():\n"
                  "    op.bulk_insert(\"t\", [{\"a\": 1, \"b\": 2}, {\"a\": 3}])\n";
    jy_diags_init(&d);
    p = compile_text("20260101T000000_x.py", text, IR_DMASK_ALL, &d);
    assert_non_null(p);
    ir_program_free(p);
    jy_diags_free(&d);
}

static void test_single_file_skips_dependencies(void **state)
{
    (void)state;
    const char *text = HEADER "@joryu.migration(id=\"20260101T000000_x\", "
                              "depends_on=[\"20250101T000000_gone\", \"group:nobody\"])\n"
                              "def upgrade():\n    pass\n";
    jy_diags d;
    jy_diags_init(&d);
    ir_program *p = compile_text("20260101T000000_x.py", text, IR_DMASK_DEFAULT, &d);
    assert_non_null(p);
    assert_int_equal(d.nerrors, 0);
    ir_program_free(p);
    jy_diags_free(&d);
}

static void test_none_is_absent(void **state)
{
    (void)state;
    /* `x=None` for an optional argument is its documented default; except
     * alter_column's default=/server_default=None, which drop the default */
    const char *text = HEADER "@joryu.migration(id=\"20260101T000000_x\")\ndef upgrade():\n"
                              "    op.drop_index(\"ix\", table=None)\n"
                              "    op.add_column(\"u\", \"c\", t.Text, default=None, comment=None)\n"
                              "    op.alter_column(\"u\", \"c\", type=None, default=None)\n";
    jy_diags d;
    jy_diags_init(&d);
    ir_program *p = compile_text("20260101T000000_x.py", text, IR_DMASK_DEFAULT, &d);
    if (!p)
        dump_diags(&d);
    assert_non_null(p);
    ir_migration *m = p->migs[0];
    assert_null(m->ops[0]->args[IR_A_drop_index_table]);
    assert_null(m->ops[1]->args[IR_A_add_column_default]);
    assert_null(m->ops[1]->args[IR_A_add_column_comment]);
    assert_null(m->ops[2]->args[IR_A_alter_column_type]);
    assert_int_equal(m->ops[2]->args[IR_A_alter_column_default]->kind, IR_V_NONE);
    ir_program_free(p);
    jy_diags_free(&d);
}

static void test_hint_lists(void **state)
{
    (void)state;
    /* items follow their field (blank lines allowed); another comment ends
     * the list; hints before the decorator are ignored with a warning */
    const char *text =
        HEADER "@joryu.migration(id=\"20260101T000000_x\")\ndef upgrade():\n    pass\n\n"
               "# JORYU-DOWN-HINT: completion-status: stub\n"
               "@joryu.downgrade\ndef downgrade():\n"
               "    # JORYU-DOWN-HINT: schema-impact:\n"
               "    #   - drop_table: a\n"
               "\n"
               "    #   -   drop_table: b  \n"
               "    # a plain comment\n"
               "    #   - not an item\n"
               "    # JORYU-DOWN-HINT: cross-references: [foreign_key: fk -> a.id]\n"
               "    op.drop_table(\"a\")\n"
               "    # JORYU-DOWN-HINT: completion-status: partial\r\n";
    jy_diags d;
    jy_diags_init(&d);
    ir_program *p = compile_text("20260101T000000_x.py", text, IR_DMASK_DEFAULT, &d);
    if (!p)
        dump_diags(&d);
    assert_non_null(p);
    assert_int_equal(d.nerrors, 0);
    assert_true(has_code(&d, "sema.hint-outside"));
    ir_migration *m = p->migs[0];
    assert_int_equal(m->nhints, 3);
    const ir_hint *si = hint(m, "schema-impact");
    assert_int_equal(si->nitems, 2);
    assert_string_equal(si->items[1], "drop_table: b");
    const ir_hint *cr = hint(m, "cross-references");
    assert_int_equal(cr->nitems, 1);
    assert_string_equal(cr->items[0], "foreign_key: fk -> a.id");
    assert_string_equal(hint(m, "completion-status")->value, "partial");
    ir_program_free(p);
    jy_diags_free(&d);
}

/* Directory checks: write files into a scratch folder and compile it. */
static char scratch[256];

static void put(const char *name, const char *body)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(body, f);
    fclose(f);
}

static void clear_scratch(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    assert_int_equal(system(cmd), 0);
}

static int compile_scratch(jy_diags *d, ir_program **out)
{
    fe_options opt;
    fe_options_init(&opt);
    const char *paths[] = {scratch};
    *out = NULL;
    return fe_compile(paths, 1, &opt, out, d);
}

#define MIG(id, extra, body)                                                                 \
    HEADER "@joryu.migration(id=\"" id "\"" extra ")\ndef upgrade():\n" body "\n"

static void test_directory_checks(void **state)
{
    (void)state;
    snprintf(scratch, sizeof scratch, "/tmp/joryu_test_sema_%ld", (long)getpid());
    clear_scratch();
    assert_int_equal(mkdir(scratch, 0700), 0);

    /* unknown dependency (did you mean), unknown group, duplicate id */
    put("20260101T000000_a.py", MIG("20260101T000000_a", ", group=\"g1\"", "    pass"));
    put("20260101T000001_b.py",
        MIG("20260101T000001_b", ", depends_on=[\"20260101T000000_aa\", \"group:g2\"]",
            "    pass"));
    put("20260101T000002_c.py", MIG("20260101T000000_a", "", "    pass"));
    jy_diags d;
    jy_diags_init(&d);
    ir_program *p;
    assert_int_equal(compile_scratch(&d, &p), -1);
    assert_null(p);
    /* the copy's file name does not match its id, and the id is taken */
    assert_true(has_code(&d, "sema.id-mismatch"));
    jy_diags_free(&d);

    put("20260101T000002_c.py", MIG("20260101T000002_c", "", "    pass"));
    jy_diags_init(&d);
    assert_int_equal(compile_scratch(&d, &p), -1);
    const jy_diag *g = find_code(&d, "sema.unknown-dependency");
    assert_non_null(g);
    assert_non_null(strstr(g->hint, "20260101T000000_a"));
    g = find_code(&d, "sema.unknown-group");
    assert_non_null(g);
    assert_non_null(strstr(g->hint, "group:g1"));
    jy_diags_free(&d);

    /* a cycle */
    put("20260101T000001_b.py",
        MIG("20260101T000001_b", ", depends_on=[\"20260101T000002_c\"]", "    pass"));
    put("20260101T000002_c.py",
        MIG("20260101T000002_c", ", depends_on=[\"group:g1\", \"20260101T000001_b\"]",
            "    pass"));
    jy_diags_init(&d);
    assert_int_equal(compile_scratch(&d, &p), -1);
    g = find_code(&d, "sema.depends-cycle");
    assert_non_null(g);
    assert_non_null(strstr(g->message, "20260101T000001_b"));
    assert_non_null(strstr(g->message, "20260101T000002_c"));
    jy_diags_free(&d);

    /* fixed: compiles, sorted, checksums filled */
    put("20260101T000001_b.py",
        MIG("20260101T000001_b", ", depends_on=[\"20260101T000000_a\", \"group:g1\"]",
            "    pass"));
    put("20260101T000002_c.py",
        MIG("20260101T000002_c", ", depends_on=[\"20260101T000001_b\"]", "    pass"));
    put("__init__.py", "");
    put("notes.txt", "not a migration");
    jy_diags_init(&d);
    assert_int_equal(compile_scratch(&d, &p), 0);
    assert_int_equal(p->n, 3);
    assert_string_equal(p->migs[0]->id, "20260101T000000_a");
    assert_string_equal(p->migs[2]->id, "20260101T000002_c");
    for (size_t i = 0; i < p->n; i++)
        assert_memory_equal(p->migs[i]->checksum, "v1:", 3);
    ir_program_free(p);
    jy_diags_free(&d);

    /* duplicate ids in two files whose names both match: error + note */
    char sub[300];
    snprintf(sub, sizeof sub, "%s/sub", scratch);
    assert_int_equal(mkdir(sub, 0700), 0);
    char path[400];
    snprintf(path, sizeof path, "%s/20260101T000000_a.py", sub);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(MIG("20260101T000000_a", "", "    pass"), f);
    fclose(f);
    const char *two[] = {scratch, sub};
    fe_options opt;
    fe_options_init(&opt);
    jy_diags_init(&d);
    assert_int_equal(fe_compile(two, 2, &opt, &p, &d), -1);
    g = find_code(&d, "sema.duplicate-id");
    assert_non_null(g);
    assert_int_equal(g->sev, JY_SEV_ERROR);
    size_t notes = 0;
    for (size_t i = 0; i < d.n; i++)
        notes += d.v[i].sev == JY_SEV_NOTE;
    assert_int_equal(notes, 1);
    jy_diags_free(&d);

    /* an empty folder is an error */
    clear_scratch();
    assert_int_equal(mkdir(scratch, 0700), 0);
    jy_diags_init(&d);
    assert_int_equal(compile_scratch(&d, &p), -1);
    assert_true(has_code(&d, "io.empty-dir"));
    jy_diags_free(&d);
    clear_scratch();
}

static void test_errors_recover(void **state)
{
    (void)state;
    /* every error of the file is reported, each once */
    const char *text =
        HEADER "@joryu.migration(id=\"20260101T000000_x\", transaction_mode=\"sometimes\")\n"
               "def upgrade():\n"
               "    op.add_colum(\"users\", \"a\", t.Text)\n"
               "    op.drop_table(\"\")\n"
               "    op.add_column(\"users\", \"b\", t.Strng)\n"
               "    op.add_column(\"users\", \"c\", t.Text, nulable=False)\n"
               "    op.run_python(fn)\n";
    jy_diags d;
    jy_diags_init(&d);
    assert_null(compile_text("20260101T000000_x.py", text, IR_DMASK_DEFAULT, &d));
    assert_int_equal(d.nerrors, 6);
    const char *codes[] = {"sema.decorator-choice", "sema.unknown-op", "sema.identifier",
                           "sema.unknown-type", "sema.unknown-keyword", "sema.rejected-op"};
    for (size_t i = 0; i < JY_COUNTOF(codes); i++)
        assert_true(has_code(&d, codes[i]));
    const jy_diag *g = find_code(&d, "sema.unknown-op");
    assert_string_equal(g->hint, "did you mean 'op.add_column'?");
    g = find_code(&d, "sema.unknown-keyword");
    assert_string_equal(g->hint, "did you mean 'nullable'?");
    g = find_code(&d, "sema.rejected-op");
    assert_non_null(strstr(g->hint, "op.backfill"));
    jy_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_appendix_a),
        cmocka_unit_test(test_branches),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_constraints_and_batch),
        cmocka_unit_test(test_declare_and_data),
        cmocka_unit_test(test_hints),
        cmocka_unit_test(test_constants_and_groups),
        cmocka_unit_test(test_exit_6),
        cmocka_unit_test(test_mariadb_target),
        cmocka_unit_test(test_single_file_skips_dependencies),
        cmocka_unit_test(test_none_is_absent),
        cmocka_unit_test(test_hint_lists),
        cmocka_unit_test(test_directory_checks),
        cmocka_unit_test(test_errors_recover),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
