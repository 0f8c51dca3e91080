/* test_schema_maps.c - the schema model on schemas big enough for its name
 * maps (ir/schema.c builds them from 16 tables or enums on): lookups,
 * renames, removals, index names shared by several tables, foreign keys
 * followed through renames, direct edits of the arrays, enums shared by a
 * subset and changed afterwards.  The answers must be those of the small
 * (linear) case. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

enum { NT = 40 };

static ir_type T(ir_type_id id)
{
    ir_type t = {.id = id, .length = -1, .precision = -1, .scale = -1};
    return t;
}

/* t0..t{n-1}, each with an int column id (the key) and ref; t{i} (i > 0)
 * has fk_t{i} (ref) -> t{i/2}(id) and index ix_t{i} on ref. */
static ir_schema *chain(size_t n)
{
    ir_schema *s = ir_schema_new(NULL);
    ir_type it = T(IR_T_INT);
    const char *id[] = {"id"}, *ref[] = {"ref"};
    for (size_t i = 0; i < n; i++) {
        char name[32], fk[32], ix[32], parent[32];
        snprintf(name, sizeof name, "t%zu", i);
        ir_table *t = ir_schema_add_table(s, name);
        assert_non_null(t);
        ir_table_add_column(s, t, "id", &it);
        ir_table_add_column(s, t, "ref", &it);
        assert_true(ir_table_set_pk(s, t, NULL, id, 1));
        if (i > 0) {
            snprintf(fk, sizeof fk, "fk_t%zu", i);
            snprintf(ix, sizeof ix, "ix_t%zu", i);
            snprintf(parent, sizeof parent, "t%zu", i / 2);
            assert_non_null(ir_table_add_fkey(s, t, fk, ref, 1, parent, id, 1, IR_FK_NO_ACTION,
                                              IR_FK_NO_ACTION));
            assert_non_null(ir_table_add_index(s, t, ix, false, ref, 1, NULL, NULL));
        }
    }
    return s;
}

static void names_are(ir_table **v, size_t n, const char *const *want, size_t nwant)
{
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(v[i]->name, want[i]);
}

static void test_lookup_and_edit(void **state)
{
    (void)state;
    ir_schema *s = chain(NT);
    for (size_t i = 0; i < NT; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%zu", i);
        ir_table *t = ir_schema_table(s, name);
        assert_non_null(t);
        assert_ptr_equal(t, s->tables[i]);
    }
    assert_null(ir_schema_table(s, "t40"));
    assert_null(ir_schema_add_table(s, "t7"));
    /* remove, then add the name again: a new, last table */
    assert_true(ir_schema_remove_table(s, "t39"));
    assert_null(ir_schema_table(s, "t39"));
    assert_false(ir_schema_remove_table(s, "t39"));
    ir_table *n = ir_schema_add_table(s, "t39");
    assert_ptr_equal(ir_schema_table(s, "t39"), n);
    assert_ptr_equal(s->tables[s->ntables - 1], n);
    /* rename: old name gone, new one found, references follow */
    assert_true(ir_schema_rename_table(s, "t3", "three"));
    assert_null(ir_schema_table(s, "t3"));
    ir_table *three = ir_schema_table(s, "three");
    assert_non_null(three);
    assert_false(ir_schema_rename_table(s, "t4", "three"));
    assert_string_equal(ir_schema_table(s, "t6")->fkeys[0]->ref_table, "three");
    assert_string_equal(ir_schema_table(s, "t7")->fkeys[0]->ref_table, "three");
    /* renaming a column of three renames the referencing key columns */
    assert_true(ir_table_rename_column(s, three, "id", "key"));
    assert_string_equal(ir_schema_table(s, "t6")->fkeys[0]->ref_columns[0], "key");
    assert_string_equal(ir_schema_table(s, "t2")->fkeys[0]->ref_columns[0], "id");
    ir_schema_free(s);
}

static void test_touching(void **state)
{
    (void)state;
    ir_schema *s = chain(NT);
    ir_table **v = NULL;
    /* t5 is referenced by t10 and t11; t2 by t4 and t5 */
    const char *q1[] = {"t5"};
    size_t n = ir_schema_tables_touching(s, q1, 1, &v);
    const char *w1[] = {"t5", "t10", "t11"};
    names_are(v, n, w1, 3);
    free(v);
    const char *q2[] = {"t11", NULL, "t2", "t5", "nope"};
    n = ir_schema_tables_touching(s, q2, 5, &v);
    /* t11 is referenced by t22 and t23 */
    const char *w2[] = {"t2", "t4", "t5", "t10", "t11", "t22", "t23"};
    names_are(v, n, w2, 7);
    free(v);
    /* after dropping t10's key and renaming t5, the new name is followed */
    assert_true(ir_table_remove_constraint(ir_schema_table(s, "t10"), "fk_t10"));
    assert_true(ir_schema_rename_table(s, "t5", "five"));
    const char *q3[] = {"five"};
    n = ir_schema_tables_touching(s, q3, 1, &v);
    const char *w3[] = {"five", "t11"};
    names_are(v, n, w3, 2);
    free(v);
    /* a dropped referencing table is not reported */
    assert_true(ir_schema_remove_table(s, "t11"));
    n = ir_schema_tables_touching(s, q3, 1, &v);
    names_are(v, n, w3, 1);
    free(v);
    ir_schema_free(s);
}

static void test_index_names(void **state)
{
    (void)state;
    ir_schema *s = chain(NT);
    ir_table *owner = NULL;
    assert_non_null(ir_schema_index(s, "ix_t30", &owner));
    assert_string_equal(owner->name, "t30");
    /* the same name on a later and an earlier table: the first in table
     * order wins, as in a scan */
    const char *ref[] = {"ref"};
    ir_table *t35 = ir_schema_table(s, "t35"), *t1 = ir_schema_table(s, "t1");
    assert_non_null(ir_table_add_index(s, t35, "shared", false, ref, 1, NULL, NULL));
    assert_true(ir_schema_index(s, "shared", &owner) && owner == t35);
    assert_non_null(ir_table_add_index(s, t1, "shared", false, ref, 1, NULL, NULL));
    assert_true(ir_schema_index(s, "shared", &owner) && owner == t1);
    /* removed from t1 (through the table only), t35 has it again */
    assert_true(ir_table_remove_index(t1, "shared"));
    assert_true(ir_schema_index(s, "shared", &owner) && owner == t35);
    /* a column drop takes its index; a rename moves the name */
    assert_true(ir_table_remove_column(s, t35, "ref"));
    assert_null(ir_schema_index(s, "shared", NULL));
    assert_true(ir_table_rename_index(s, ir_schema_table(s, "t20"), "ix_t20", "renamed"));
    assert_null(ir_schema_index(s, "ix_t20", NULL));
    assert_true(ir_schema_index(s, "renamed", &owner));
    assert_string_equal(owner->name, "t20");
    /* the index of a dropped table is gone */
    assert_true(ir_schema_remove_table(s, "t20"));
    assert_null(ir_schema_index(s, "renamed", NULL));
    ir_schema_free(s);
}

static void test_direct_edits(void **state)
{
    (void)state;
    ir_schema *s = chain(NT);
    assert_non_null(ir_schema_table(s, "t0"));
    /* code that edits the arrays itself: the maps notice */
    s->ntables = 10;
    assert_null(ir_schema_table(s, "t20"));
    assert_non_null(ir_schema_table(s, "t9"));
    s->ntables = NT;
    assert_non_null(ir_schema_table(s, "t20"));
    ir_schema_free(s);
}

static void test_enums_shared(void **state)
{
    (void)state;
    ir_schema *s = ir_schema_new(NULL);
    const char *ab[] = {"a", "b"};
    for (int i = 0; i < 30; i++) {
        char name[16];
        snprintf(name, sizeof name, "e%d", i);
        assert_non_null(ir_schema_add_enum(s, name, ab, 2));
    }
    assert_null(ir_schema_add_enum(s, "e3", ab, 2));
    assert_non_null(ir_schema_enum(s, "e29"));
    ir_schema *sub = ir_schema_new(NULL);
    assert_true(ir_schema_share_enums(sub, s));
    assert_int_equal(sub->nenums, 30);
    assert_ptr_equal(ir_schema_enum(sub, "e7"), ir_schema_enum(s, "e7"));
    /* a label added in s does not show in the subset taken before */
    assert_true(ir_schema_enum_add_value(s, "e7", "c", "b", NULL));
    ir_enum *e = ir_schema_enum(s, "e7");
    assert_int_equal(e->nlabels, 3);
    assert_string_equal(e->labels[0], "a");
    assert_string_equal(e->labels[1], "c");
    assert_string_equal(e->labels[2], "b");
    assert_int_equal(ir_schema_enum(sub, "e7")->nlabels, 2);
    assert_false(ir_schema_enum_add_value(s, "e7", "c", NULL, NULL));
    assert_true(ir_schema_enum_add_value(s, "e7", "d", NULL, NULL));
    assert_string_equal(ir_schema_enum(s, "e7")->labels[3], "d");
    /* the subset's own list: removing there leaves s alone */
    assert_true(ir_schema_remove_enum(sub, "e7"));
    assert_null(ir_schema_enum(sub, "e7"));
    assert_non_null(ir_schema_enum(s, "e7"));
    assert_non_null(ir_schema_add_enum(sub, "extra", ab, 2));
    assert_null(ir_schema_enum(s, "extra"));
    /* and changes in s after the sharing do not show in a subset */
    ir_schema *sub2 = ir_schema_new(NULL);
    assert_true(ir_schema_share_enums(sub2, s));
    assert_true(ir_schema_remove_enum(s, "e0"));
    assert_non_null(ir_schema_add_enum(s, "late", ab, 2));
    assert_int_equal(sub2->nenums, 30);
    assert_string_equal(sub2->enums[0]->name, "e0");
    assert_string_equal(sub2->enums[29]->name, "e29");
    assert_non_null(ir_schema_enum(sub2, "e0"));
    assert_null(ir_schema_enum(sub2, "late"));
    assert_null(ir_schema_enum(s, "e0"));
    assert_string_equal(s->enums[0]->name, "e1");
    ir_schema_free(sub2);
    ir_schema_free(sub);
    ir_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup_and_edit),
        cmocka_unit_test(test_touching),
        cmocka_unit_test(test_index_names),
        cmocka_unit_test(test_direct_edits),
        cmocka_unit_test(test_enums_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
