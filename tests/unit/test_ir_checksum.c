/*
 * test_ir_checksum.c - the semantic checksum and op fingerprints on
 * hand-built IR: what must not change them (spans, tags, docstring, hints,
 * explicit defaults, depends_on order, dict order where it means nothing,
 * dialect key aliases, list vs tuple) and what must (any argument, type,
 * op, dependency, mode, dialect, batch grouping, order where it means
 * something).  A golden value pins the v1 encoding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "canon_int.h"
#include "ir_build.h"

/* The v1 checksums of build(V_BASE): see test_golden_v1. */
#define GOLDEN_SUM "v1:c3a51edcf2df6aea52b8159c148664ebf3f16d6540aedf50f6cebfbd77c3933e"
#define GOLDEN_DOWN "v1:dd64bb4c7b194a4d9ac7560933bd477c12225378c7f9d9b9746ac851070627ff"
#define GOLDEN_FP "v1:8f6382f4240402820676c7b71cc130d068194aed20247b85b839ab32f72873bb"

enum {
    V_BASE,
    /* same meaning */
    V_SPANS_TAGS_DOCS,
    V_EXPLICIT_DEFAULTS,
    V_DEPENDS_REORDERED,
    V_EXECUTE_DICT_REORDERED,
    V_LIST_AS_TUPLE,
    V_ROW_KEYS_REORDERED,
    V_HINT_OPTS_REORDERED,
    V_SAME_FLOAT,
    V_TARGETS_CHANGED,
    V_HINT_AS_LIST,
    V_PK_NULLABLE_FALSE,
    V__SAME_END,
    /* different meaning */
    V_COLUMN_RENAMED = 100,
    V_TYPE_LENGTH,
    V_EXTRA_OP,
    V_DEPENDS_CHANGED,
    V_TX_MODE,
    V_OP_DIALECTS,
    V_BATCH_SPLIT,
    V_ROWS_REORDERED,
    V_SET_REORDERED,
    V_PK_NULLABLE_TRUE,
    V_GROUP,
    V_ON_MISMATCH,
    V_DIALECTS_RESTRICTED,
    V_FLOAT_CHANGED,
    V_SQL_CHANGED,
    V_NOT_NULL,
    V_STRING_SPLIT,
    V_OPS_REORDERED,
    V_INT_VS_FLOAT,
    V_ALTER_DEFAULT_NONE,
    V_HINT_CHANGED,
    V__DIFF_END
};

/* Build the reference migration, changed as `variant` says; fill its
 * checksums (and the fingerprint of its first op when fp != NULL). */
static void build(int variant, char sum[80], char down[80], char fp[80])
{
    ir_program *p = ir_program_new();
    assert_non_null(p);
    jy_arena *a = p->arena;
    ir_migration *m = mk_mig(p, "20260102T000000_users");

    if (variant == V_DEPENDS_REORDERED)
        set_depends(a, m, 2, "20260101T000001_b", "20260101T000000_a");
    else if (variant == V_DEPENDS_CHANGED)
        set_depends(a, m, 1, "20260101T000000_a");
    else
        set_depends(a, m, 2, "20260101T000000_a", "20260101T000001_b");
    if (variant == V_TX_MODE)
        m->tx_mode = IR_TX_PER_MIGRATION;
    if (variant == V_GROUP)
        m->group = "accounts";
    if (variant == V_ON_MISMATCH)
        m->on_mismatch = IR_MISMATCH_SKIP;
    if (variant == V_DIALECTS_RESTRICTED) {
        m->has_dialects = true;
        m->dialects = IR_DMASK(IR_D_POSTGRESQL);
    }
    if (variant == V_SPANS_TAGS_DOCS) {
        static const char *tags[] = {"billing", "slow"};
        m->tags = tags;
        m->ntags = 2;
        m->docstring = "Add users.";
        m->start = 10;
        m->end = 90;
        /* an unrestricted dialects= list naming all four is no restriction */
        m->has_dialects = true;
        m->dialects = IR_DMASK_ALL;
    }

    /* create_table("users", id BigInt pk, email String(255) not null, score Double default 0.1) */
    ir_op *ct = mk_op(a, IR_OP_create_table);
    ct->args[IR_A_create_table_name] = v_str(a, "users");
    ir_op *cid = mk_column(a, "id", v_simple_type(a, IR_T_BIGINT));
    cid->args[IR_A_column_primary_key] = v_bool(a, true);
    if (variant == V_PK_NULLABLE_TRUE)
        cid->args[IR_A_column_nullable] = v_bool(a, true);
    if (variant == V_PK_NULLABLE_FALSE) /* a primary key is NOT NULL anyway */
        cid->args[IR_A_column_nullable] = v_bool(a, false);
    ir_op *cemail = mk_column(a, variant == V_COLUMN_RENAMED ? "mail" : "email",
                              v_string_type(a, variant == V_TYPE_LENGTH ? 256 : 255));
    cemail->args[IR_A_column_nullable] = v_bool(a, false);
    ir_op *cscore = mk_column(a, "score", v_simple_type(a, IR_T_DOUBLE));
    cscore->args[IR_A_column_default] =
        variant == V_FLOAT_CHANGED ? v_float(a, 0.2)
        : variant == V_INT_VS_FLOAT ? v_int(a, 0)
        : variant == V_SAME_FLOAT  ? v_float(a, 1.0 / 10.0)
                                   : v_float(a, 0.1);
    if (variant == V_EXPLICIT_DEFAULTS) {
        cscore->args[IR_A_column_nullable] = v_bool(a, true);
        cscore->args[IR_A_column_unique] = v_bool(a, false);
        cscore->args[IR_A_column_comment] = v_none(a);
        ct->args[IR_A_create_table_on_mismatch] = v_none(a);
    }
    if (variant == V_NOT_NULL)
        cscore->args[IR_A_column_nullable] = v_bool(a, false);
    push_variadic(a, ct, IR_A_create_table_columns, v_col(a, cid));
    push_variadic(a, ct, IR_A_create_table_columns, v_col(a, cemail));
    push_variadic(a, ct, IR_A_create_table_columns, v_col(a, cscore));
    if (variant == V_SPANS_TAGS_DOCS) {
        ct->start = 100;
        ct->end = 200;
        ct->args[IR_A_create_table_name]->start = 117;
        ct->args[IR_A_create_table_name]->end = 124;
    }

    /* create_index("ix_users_email", "users", ["email", "name"]) */
    ir_op *ci = mk_op(a, IR_OP_create_index);
    ci->args[IR_A_create_index_name] = v_str(a, "ix_users_email");
    ci->args[IR_A_create_index_table] = v_str(a, "users");
    ci->args[IR_A_create_index_columns] =
        variant == V_STRING_SPLIT
            ? v_seq(a, IR_V_LIST, 2, v_str(a, "emailn"), v_str(a, "ame"))
            : v_seq(a, variant == V_LIST_AS_TUPLE ? IR_V_TUPLE : IR_V_LIST, 2, v_str(a, "email"),
                    v_str(a, "name"));
    if (variant == V_EXPLICIT_DEFAULTS) {
        ci->args[IR_A_create_index_unique] = v_bool(a, false);
        ci->args[IR_A_create_index_concurrent] = v_bool(a, false);
        ci->args[IR_A_create_index_where] = v_none(a);
    }

    /* with op.batch("users") as b: b.add_column("nick", t.Text); b.drop_column("legacy") */
    ir_batch *b1 = tb_must(jy_arena_alloc(a, sizeof *b1));
    b1->table = "users";
    ir_batch *b2 = b1;
    if (variant == V_BATCH_SPLIT) {
        b2 = tb_must(jy_arena_alloc(a, sizeof *b2));
        b2->table = "users";
        b2->id = 1;
    }
    ir_op *ac = mk_op(a, IR_OP_add_column);
    ac->batch = b1;
    ac->args[IR_A_add_column_table] = v_str(a, "users");
    ac->args[IR_A_add_column_name] = v_str(a, "nick");
    ac->args[IR_A_add_column_type] = v_simple_type(a, IR_T_TEXT);
    if (variant == V_EXPLICIT_DEFAULTS) {
        ac->args[IR_A_add_column_nullable] = v_bool(a, true);
        ac->args[IR_A_add_column_default] = v_none(a);
        ac->args[IR_A_add_column_primary_key] = v_bool(a, false);
        ac->args[IR_A_add_column_autoincrement] = v_bool(a, false);
    }
    ir_op *dc = mk_op(a, IR_OP_drop_column);
    dc->batch = b2;
    dc->args[IR_A_drop_column_table] = v_str(a, "users");
    dc->args[IR_A_drop_column_name] = v_str(a, "legacy");

    /* execute({"postgresql": "SELECT 1", "sqlite": "SELECT 2"}) */
    ir_op *ex = mk_op(a, IR_OP_execute);
    const char *pgsql = variant == V_SQL_CHANGED ? "SELECT  1" : "SELECT 1";
    if (variant == V_EXECUTE_DICT_REORDERED)
        ex->args[IR_A_execute_sql] = v_dict(a, 2, v_str(a, "sqlite"), v_str(a, "SELECT 2"),
                                            v_str(a, "pg"), v_str(a, pgsql));
    else
        ex->args[IR_A_execute_sql] = v_dict(a, 2, v_str(a, "postgresql"), v_str(a, pgsql),
                                            v_str(a, "sqlite"), v_str(a, "SELECT 2"));
    if (variant == V_OP_DIALECTS) /* in an `if op.dialect.name` branch */
        ex->dialects = ex->cond_dialects = IR_DMASK(IR_D_POSTGRESQL) | IR_DMASK(IR_D_SQLITE);
    if (variant == V_TARGETS_CHANGED) /* joryu.toml targets: postgresql only */
        ex->dialects = IR_DMASK(IR_D_POSTGRESQL);

    /* backfill("users", set={"nick": "lower(email)", "email": "trim(email)"}) */
    ir_op *bf = mk_op(a, IR_OP_backfill);
    bf->args[IR_A_backfill_table] = v_str(a, "users");
    if (variant == V_SET_REORDERED)
        bf->args[IR_A_backfill_set] = v_dict(a, 2, v_str(a, "email"), v_str(a, "trim(email)"),
                                             v_str(a, "nick"), v_str(a, "lower(email)"));
    else
        bf->args[IR_A_backfill_set] = v_dict(a, 2, v_str(a, "nick"), v_str(a, "lower(email)"),
                                             v_str(a, "email"), v_str(a, "trim(email)"));
    if (variant == V_EXPLICIT_DEFAULTS) {
        bf->args[IR_A_backfill_key] = v_str(a, "id");
        bf->args[IR_A_backfill_batch_size] = v_int(a, 10000);
    }

    /* bulk_insert("users", [{"id": 1, "email": "a"}, {"id": 2, "email": "b"}]) */
    ir_op *bi = mk_op(a, IR_OP_bulk_insert);
    bi->args[IR_A_bulk_insert_table] = v_str(a, "users");
    ir_value *r1 = variant == V_ROW_KEYS_REORDERED
                       ? v_dict(a, 2, v_str(a, "email"), v_str(a, "a"), v_str(a, "id"), v_int(a, 1))
                       : v_dict(a, 2, v_str(a, "id"), v_int(a, 1), v_str(a, "email"), v_str(a, "a"));
    ir_value *r2 = v_dict(a, 2, v_str(a, "id"), v_int(a, 2), v_str(a, "email"), v_str(a, "b"));
    bi->args[IR_A_bulk_insert_rows] = variant == V_ROWS_REORDERED
                                          ? v_seq(a, IR_V_LIST, 2, r2, r1)
                                          : v_seq(a, IR_V_LIST, 2, r1, r2);

    /* declare_schema_change(column_added=("users", "api_key", t.Text, {...})) */
    ir_op *dsc = mk_op(a, IR_OP_declare_schema_change);
    ir_value *opts =
        variant == V_HINT_OPTS_REORDERED
            ? v_dict(a, 2, v_str(a, "generated"), v_str(a, "lower(email)"), v_str(a, "nullable"),
                     v_bool(a, false))
            : v_dict(a, 2, v_str(a, "nullable"), v_bool(a, variant == V_HINT_CHANGED),
                     v_str(a, "generated"), v_str(a, "lower(email)"));
    dsc->args[IR_A_declare_schema_change_column_added] =
        v_seq(a, IR_V_TUPLE, 4, v_str(a, "users"), v_str(a, "api_key"),
              v_simple_type(a, IR_T_TEXT), opts);
    if (variant == V_HINT_AS_LIST) /* column_added=[(...)] */
        dsc->args[IR_A_declare_schema_change_column_added] =
            v_seq(a, IR_V_LIST, 1, dsc->args[IR_A_declare_schema_change_column_added]);

    /* alter_column("users", "nick") [default=None] */
    ir_op *alt = mk_op(a, IR_OP_alter_column);
    alt->args[IR_A_alter_column_table] = v_str(a, "users");
    alt->args[IR_A_alter_column_name] = v_str(a, "nick");
    alt->args[IR_A_alter_column_nullable] = v_bool(a, true);
    if (variant == V_ALTER_DEFAULT_NONE)
        alt->args[IR_A_alter_column_default] = v_none(a);
    if (variant == V_EXPLICIT_DEFAULTS)
        alt->args[IR_A_alter_column_type] = v_none(a);

    if (variant == V_OPS_REORDERED) {
        add_up(a, m, ci);
        add_up(a, m, ct);
    } else {
        add_up(a, m, ct);
        add_up(a, m, ci);
    }
    add_up(a, m, ac);
    add_up(a, m, dc);
    add_up(a, m, ex);
    add_up(a, m, bf);
    add_up(a, m, bi);
    add_up(a, m, dsc);
    add_up(a, m, alt);
    if (variant == V_EXTRA_OP) {
        ir_op *dt = mk_op(a, IR_OP_drop_table);
        dt->args[IR_A_drop_table_name] = v_str(a, "old");
        add_up(a, m, dt);
    }

    ir_op *dt = mk_op(a, IR_OP_drop_table);
    dt->args[IR_A_drop_table_name] = v_str(a, "users");
    add_down(a, m, dt);
    if (variant == V_SPANS_TAGS_DOCS) {
        static ir_hint hint = {"completion-status", "stub", NULL, 0, false, 5, 9};
        m->hints = &hint;
        m->nhints = 1;
    }

    ir_checksum_migration(m);
    memcpy(sum, m->checksum, 80);
    memcpy(down, m->down_checksum, 80);
    if (fp)
        ir_op_fingerprint(m->ops[0], fp);
    ir_program_free(p);
}

static void assert_well_formed(const char *sum)
{
    assert_int_equal(strlen(sum), 3 + 64);
    assert_memory_equal(sum, "v1:", 3);
    for (size_t i = 3; i < 67; i++)
        assert_non_null(strchr("0123456789abcdef", sum[i]));
}

static void test_format_and_determinism(void **state)
{
    (void)state;
    char s1[80], d1[80], s2[80], d2[80], f1[80], f2[80];
    build(V_BASE, s1, d1, f1);
    build(V_BASE, s2, d2, f2);
    assert_well_formed(s1);
    assert_well_formed(d1);
    assert_well_formed(f1);
    assert_string_equal(s1, s2);
    assert_string_equal(d1, d2);
    assert_string_equal(f1, f2);
    assert_string_not_equal(s1, d1);
}

/* Pins the v1 encoding: if this fails, the canonical form changed, and
 * every stored checksum with it.  Bump IR_CHECKSUM_VERSION (and update
 * docs/SPEC.md ("The IR")) before updating the expected value. */
static void test_golden_v1(void **state)
{
    (void)state;
    char s[80], d[80], f[80];
    build(V_BASE, s, d, f);
    assert_string_equal(IR_CHECKSUM_VERSION, "v1");
    assert_string_equal(s, GOLDEN_SUM);
    assert_string_equal(d, GOLDEN_DOWN);
    assert_string_equal(f, GOLDEN_FP);
}

static void test_same_meaning_same_checksum(void **state)
{
    (void)state;
    char base[80], bdown[80], s[80], d[80];
    build(V_BASE, base, bdown, NULL);
    for (int v = V_BASE + 1; v < V__SAME_END; v++) {
        build(v, s, d, NULL);
        if (strcmp(s, base) != 0)
            fail_msg("variant %d changed the checksum but means the same", v);
        assert_string_equal(d, bdown);
    }
}

static void test_different_meaning_different_checksum(void **state)
{
    (void)state;
    char base[80], bdown[80], s[80], d[80];
    char seen[V__DIFF_END - V_COLUMN_RENAMED][80];
    build(V_BASE, base, bdown, NULL);
    for (int v = V_COLUMN_RENAMED; v < V__DIFF_END; v++) {
        build(v, s, d, NULL);
        if (strcmp(s, base) == 0)
            fail_msg("variant %d means something else but kept the checksum", v);
        /* the upgrade changed, not the downgrade */
        assert_string_equal(d, bdown);
        for (int w = V_COLUMN_RENAMED; w < v; w++)
            if (strcmp(seen[w - V_COLUMN_RENAMED], s) == 0)
                fail_msg("variants %d and %d share a checksum", w, v);
        memcpy(seen[v - V_COLUMN_RENAMED], s, 80);
    }
}

/* The downgrade has its own checksum: no downgrade, an empty one and a
 * different one all differ, and none touches the upgrade checksum. */
static void test_down_checksum(void **state)
{
    (void)state;
    char sums[3][80], downs[3][80];
    for (int k = 0; k < 3; k++) {
        ir_program *p = ir_program_new();
        jy_arena *a = p->arena;
        ir_migration *m = mk_mig(p, "20260102T000000_x");
        ir_op *dt = mk_op(a, IR_OP_drop_table);
        dt->args[IR_A_drop_table_name] = v_str(a, "t");
        add_up(a, m, dt);
        if (k == 1)
            m->has_downgrade = true;
        if (k == 2) {
            ir_op *ct = mk_op(a, IR_OP_create_table);
            ct->args[IR_A_create_table_name] = v_str(a, "t");
            add_down(a, m, ct);
        }
        ir_checksum_migration(m);
        memcpy(sums[k], m->checksum, 80);
        memcpy(downs[k], m->down_checksum, 80);
        ir_program_free(p);
    }
    assert_string_equal(sums[0], sums[1]);
    assert_string_equal(sums[0], sums[2]);
    assert_string_not_equal(downs[0], downs[1]);
    assert_string_not_equal(downs[0], downs[2]);
    assert_string_not_equal(downs[1], downs[2]);
}

/* A fingerprint depends on the op alone, not on the migration around it,
 * and changes with any argument, its dialects or its batch table. */
static void test_fingerprint(void **state)
{
    (void)state;
    ir_program *p = ir_program_new();
    jy_arena *a = p->arena;
    char f[6][80];
    for (int k = 0; k < 6; k++) {
        ir_op *o = mk_op(a, IR_OP_add_column);
        o->args[IR_A_add_column_table] = v_str(a, "users");
        o->args[IR_A_add_column_name] = v_str(a, k == 2 ? "nick2" : "nick");
        o->args[IR_A_add_column_type] = v_simple_type(a, IR_T_TEXT);
        o->start = (uint32_t)(k * 40);
        o->end = (uint32_t)(k * 40 + 30);
        if (k == 1)
            o->args[IR_A_add_column_nullable] = v_bool(a, true); /* the default */
        if (k == 3)
            o->dialects = o->cond_dialects = IR_DMASK(IR_D_SQLITE);
        if (k == 4) {
            ir_batch *b = tb_must(jy_arena_alloc(a, sizeof *b));
            b->table = "users";
            o->batch = b;
        }
        if (k == 5)
            o->args[IR_A_add_column_type] = v_string_type(a, 10);
        ir_op_fingerprint(o, f[k]);
        assert_well_formed(f[k]);
    }
    assert_string_equal(f[0], f[1]);
    for (int i = 2; i < 6; i++) {
        assert_string_not_equal(f[0], f[i]);
        for (int j = 2; j < i; j++)
            assert_string_not_equal(f[j], f[i]);
    }
    ir_program_free(p);
}

/* Every optional parameter's default in ops.def parses, so the "explicit
 * default = omitted" rule covers it (declare_schema_change keywords have
 * none: leaving one out declares nothing). */
static void test_signature_defaults_parse(void **state)
{
    (void)state;
    size_t checked = 0;
    for (int k = 0; k < IR_OP__COUNT; k++)
        for (size_t i = 0; i < ir_op_table[k].nparams; i++) {
            const ir_param_info *pi = &ir_op_table[k].params[i];
            if ((pi->flags & (IR_AF_REQ | IR_AF_VARIADIC)) || pi->kind == IR_K_HINT)
                continue;
            ir_param_default d = ir_param_default_of((ir_op_kind)k, i);
            if (d.kind == IR_PDEF_ABSENT)
                fail_msg("op.%s: parameter %s has no default in its signature",
                         ir_op_table[k].name, pi->name);
            checked++;
        }
    assert_true(checked > 30);
    ir_param_default d = ir_param_default_of(IR_OP_backfill, IR_A_backfill_batch_size);
    assert_int_equal(d.kind, IR_PDEF_INT);
    assert_int_equal(d.i, 10000);
    d = ir_param_default_of(IR_OP_backfill, IR_A_backfill_key);
    assert_int_equal(d.kind, IR_PDEF_STR);
    assert_int_equal(d.n, 2);
    assert_memory_equal(d.s, "id", 2);
}

static void test_float_repr(void **state)
{
    (void)state;
    char buf[32];
    ir_float_repr(0.1, buf);
    assert_string_equal(buf, "0.1");
    ir_float_repr(1e300, buf);
    assert_string_equal(buf, "1e+300");
    ir_float_repr(2.5, buf);
    assert_string_equal(buf, "2.5");
    ir_float_repr(1.0 / 3.0, buf);
    assert_string_equal(buf, "0.3333333333333333");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_and_determinism),
        cmocka_unit_test(test_golden_v1),
        cmocka_unit_test(test_same_meaning_same_checksum),
        cmocka_unit_test(test_different_meaning_different_checksum),
        cmocka_unit_test(test_down_checksum),
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_signature_defaults_parse),
        cmocka_unit_test(test_float_repr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
