/*
 * test_commute.c - the depends_on DAG, effects and the commutativity
 * analysis of verify (issue 5).  Runs every scenario of
 * tests/verify/scenarios/ (each folder: migration files and an `expected`
 * file with the verdicts), then the DAG errors (unknown id, cycle), the
 * apply order against ir_replay_order, the linear-history rule, the
 * effects string form and ir_effects_conflict.
 *
 * expected: one directive per line, '#' comments:
 *   settled <id>          the migration is applied / on the base (default: pending, side A)
 *   side <id> A|B         the migration's side
 *   mode branches         same-side migrations are not compared (--base)
 *   settled_after         pending migrations are compared with later settled ones (--db)
 *   commute               no conflict expected
 *   conflict <kind> <left id> <left step> <right id> <right step>   (steps 0-based)
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "frontend.h"

#define SCEN_DIR JORYU_SRC "/tests/verify/scenarios"

static ir_program *compile_dir(const char *dir)
{
    fe_options o;
    fe_options_init(&o);
    o.threads = 1;
    jy_diags d;
    jy_diags_init(&d);
    ir_program *p = NULL;
    const char *paths[] = {dir};
    int rc = fe_compile(paths, 1, &o, &p, &d);
    if (rc != 0) {
        jy_diags_print(&d, stderr, false);
        fail_msg("%s does not compile", dir);
    }
    jy_diags_free(&d);
    return p;
}

static size_t mig_at(const ir_program *p, const char *id)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->migs[i]->id, id) == 0)
            return i;
    fail_msg("no migration %s", id);
    return 0;
}

typedef struct want {
    char kind[32], l[80], r[80];
    unsigned ls, rs;
    bool found;
} want;

/* Run one scenario; returns the number of concurrent pairs it holds. */
static size_t run_scenario(const char *name)
{
    char dir[1024], path[1100];
    snprintf(dir, sizeof dir, "%s/%s", SCEN_DIR, name);
    snprintf(path, sizeof path, "%s/expected", dir);
    ir_program *p = compile_dir(dir);
    unsigned char *side = malloc(p->n);
    assert_non_null(side);
    memset(side, IR_SIDE_A, p->n);
    ir_concurrency cc = {.side = side, .same_side = true};
    want w[16];
    size_t nw = 0;
    bool commute = false;
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("%s: no expected file", name);
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char a[80], b[80];
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (strncmp(line, "settled_after", 13) == 0)
            cc.settled_after = true;
        else if (sscanf(line, "settled %79s", a) == 1)
            side[mig_at(p, a)] = IR_SIDE_SETTLED;
        else if (sscanf(line, "side %79s %79s", a, b) == 2)
            side[mig_at(p, a)] = b[0] == 'B' ? IR_SIDE_B : IR_SIDE_A;
        else if (strncmp(line, "mode branches", 13) == 0)
            cc.same_side = false;
        else if (strncmp(line, "commute", 7) == 0)
            commute = true;
        else if (nw < 16 && sscanf(line, "conflict %31s %79s %u %79s %u", w[nw].kind, w[nw].l,
                                   &w[nw].ls, w[nw].r, &w[nw].rs) == 5)
            w[nw++].found = false;
        else
            fail_msg("%s: bad line in expected: %s", name, line);
    }
    fclose(f);
    if (!commute && nw == 0)
        fail_msg("%s: expected says nothing", name);

    jy_arena *a = jy_arena_new();
    jy_diags d;
    jy_diags_init(&d);
    ir_conflict *c;
    size_t n;
    int rc = ir_verify_program(p, &cc, &c, &n, a, &d);
    if (rc)
        jy_diags_print(&d, stderr, false);
    assert_int_equal(rc, 0);
    for (size_t i = 0; i < n; i++) {
        bool ok = false;
        for (size_t k = 0; k < nw; k++)
            if (!w[k].found && strcmp(w[k].kind, ir_conflict_kind_name(c[i].kind)) == 0 &&
                strcmp(w[k].l, c[i].left.migration) == 0 && w[k].ls == c[i].left.step &&
                strcmp(w[k].r, c[i].right.migration) == 0 && w[k].rs == c[i].right.step) {
                w[k].found = ok = true;
                break;
            }
        if (!ok)
            fail_msg("%s: unexpected %s: %s\n  why: %s", name, ir_conflict_kind_name(c[i].kind),
                     c[i].message, c[i].why);
        if (getenv("COMMUTE_VERBOSE"))
            fprintf(stderr, "%s: %s %s\n  %s:%u / %s:%u  object: %s\n  why: %s\n  fix: %s\n", name,
                    ir_conflict_kind_name(c[i].kind), c[i].message, c[i].left.migration,
                    c[i].left.line, c[i].right.migration, c[i].right.line, c[i].object, c[i].why,
                    c[i].fix);
        /* what a user reads: both positions, both ops, why and how to fix */
        assert_true(c[i].left.line > 0 && c[i].right.line > 0);
        assert_true(c[i].left.end > c[i].left.start);
        assert_non_null(strstr(c[i].message, c[i].left.migration));
        assert_non_null(strstr(c[i].message, c[i].right.migration));
        assert_non_null(strstr(c[i].message, c[i].left.op));
        assert_true(c[i].why && strlen(c[i].why) > 20 && c[i].fix && strlen(c[i].fix) > 10);
        assert_true(c[i].fix[strlen(c[i].fix) - 1] == '.');
        assert_non_null(c[i].object);
        assert_true(c[i].left.ntarget >= 1);
    }
    for (size_t k = 0; k < nw; k++)
        if (!w[k].found)
            fail_msg("%s: missing conflict %s %s %u %s %u (got %zu conflicts)", name, w[k].kind,
                     w[k].l, w[k].ls, w[k].r, w[k].rs, n);

    /* count the concurrent pairs */
    ir_dag *g;
    assert_int_equal(ir_dag_build(p, IR_D__COUNT, &g, &d), 0);
    size_t pairs = 0;
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = i + 1; j < p->n; j++)
            pairs += ir_concurrent(g, &cc, i, j);

    /* ir_effects_conflict (effects alone, through the bundle's strings)
     * agrees with the analysis on every concurrent pair */
    ir_effects **eff;
    assert_int_equal(ir_effects_compute(p, a, &eff, &d), 0);
    for (size_t i = 0; i < p->n; i++)
        for (size_t j = i + 1; j < p->n; j++) {
            if (!ir_concurrent(g, &cc, i, j))
                continue;
            const char **si, **sj;
            size_t ni = ir_effects_strings(eff[i], a, &si);
            size_t nj = ir_effects_strings(eff[j], a, &sj);
            ir_effects *ei = ir_effects_from_strings(si, ni, a);
            ir_effects *ej = ir_effects_from_strings(sj, nj, a);
            assert_non_null(ei);
            assert_non_null(ej);
            ei->migration = p->migs[i]->id;
            ej->migration = p->migs[j]->id;
            ir_conflict one;
            bool conflict = ir_effects_conflict(ei, ej, a, &one);
            ir_conflict_kind best = IR_CONFLICT_NONE;
            for (size_t k = 0; k < n; k++)
                if ((strcmp(c[k].left.migration, p->migs[i]->id) == 0 &&
                     strcmp(c[k].right.migration, p->migs[j]->id) == 0) &&
                    c[k].kind > best)
                    best = c[k].kind;
            if (conflict != (best != IR_CONFLICT_NONE) || (conflict && one.kind != best))
                fail_msg("%s: ir_effects_conflict says %s for %s / %s, the analysis %s", name,
                         conflict ? ir_conflict_kind_name(one.kind) : "none", p->migs[i]->id,
                         p->migs[j]->id, ir_conflict_kind_name(best));
        }
    ir_dag_free(g);
    jy_diags_free(&d);
    jy_arena_free(a);
    free(side);
    ir_program_free(p);
    return pairs;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void test_scenarios(void **state)
{
    (void)state;
    DIR *dd = opendir(SCEN_DIR);
    assert_non_null(dd);
    char *names[256];
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(dd)) && nn < 256) {
        char path[1024];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", SCEN_DIR, de->d_name);
        if (de->d_name[0] != '.' && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            names[nn++] = strdup(de->d_name);
    }
    closedir(dd);
    qsort(names, nn, sizeof *names, by_name);
    size_t pairs = 0;
    for (size_t i = 0; i < nn; i++) {
        pairs += run_scenario(names[i]);
        free(names[i]);
    }
    if (getenv("COMMUTE_VERBOSE"))
        fprintf(stderr, "%zu scenarios, %zu concurrent pairs\n", nn, pairs);
    /* the suite covers at least 40 concurrent pairs */
    assert_true(nn >= 40);
    assert_true(pairs >= 40);
}

/* Every conflict kind appears in some scenario's expected file. */
static void test_every_kind_has_a_scenario(void **state)
{
    (void)state;
    for (int k = 1; k < IR_CONFLICT__COUNT; k++) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "grep -rqs '^conflict %s ' %s", ir_conflict_kind_name(k),
                 SCEN_DIR);
        if (system(cmd) != 0)
            fail_msg("no scenario expects %s", ir_conflict_kind_name(k));
    }
}

/* ---------------------------------------------------------- the DAG */

/* A program in a temporary folder from (id, extra decorator args, body). */
static ir_program *build(const char *const (*m)[3], size_t n)
{
    char dir[] = "/tmp/joryu_commute_XXXXXX";
    assert_non_null(mkdtemp(dir));
    for (size_t i = 0; i < n; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s.py", dir, m[i][0]);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f,
                "import joryu\nfrom joryu import op, types as t\n\n\n"
                "@joryu.migration(id=\"%s\"%s%s)\ndef upgrade():\n    %s\n",
                m[i][0], m[i][1][0] ? ", " : "", m[i][1], m[i][2]);
        fclose(f);
    }
    ir_program *p = compile_dir(dir);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    return p;
}

static const char *const chain[][3] = {
    {"20260101T000000_a", "", "op.create_table(\"t\", op.column(\"id\", t.Int))"},
    {"20260101T000001_b", "depends_on=[\"20260101T000000_a\"]", "op.add_column(\"t\", \"x\", t.Int)"},
    {"20260101T000002_c", "depends_on=[\"20260101T000001_b\"]", "op.drop_column(\"t\", \"x\")"},
    {"20260101T000003_d", "group=\"g\", depends_on=[\"20260101T000000_a\"]", "op.add_column(\"t\", \"y\", t.Int)"},
    {"20260101T000004_e", "depends_on=[\"group:g\"]", "op.drop_column(\"t\", \"y\")"},
};

static void test_dag_cycle_and_unknown(void **state)
{
    (void)state;
    ir_program *p = build(chain, 5);
    /* make a -> c -> b -> a: a depends on c (arena strings stay valid) */
    ir_migration *a = p->migs[0];
    const char **deps = jy_arena_calloc(p->arena, 1, sizeof *deps);
    uint32_t *pos = jy_arena_calloc(p->arena, 1, sizeof *pos);
    deps[0] = "20260101T000002_c";
    pos[0] = a->start;
    a->depends_on = deps;
    a->depends_pos = pos;
    a->ndepends = 1;
    jy_diags d;
    jy_diags_init(&d);
    ir_dag *g = NULL;
    assert_int_equal(ir_dag_build(p, IR_D__COUNT, &g, &d), -1);
    assert_null(g);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "dag.cycle");
    /* the message prints the whole cycle */
    assert_non_null(strstr(d.v[0].message, "20260101T000000_a"));
    assert_non_null(strstr(d.v[0].message, "20260101T000001_b"));
    assert_non_null(strstr(d.v[0].message, "20260101T000002_c"));
    assert_non_null(strstr(d.v[0].message, " -> "));
    /* effects need the order too */
    jy_arena *ar = jy_arena_new();
    ir_effects **eff;
    jy_diags_free(&d);
    jy_diags_init(&d);
    assert_int_equal(ir_effects_compute(p, ar, &eff, &d), -1);
    assert_true(d.nerrors >= 1);
    jy_diags_free(&d);

    /* an unknown id and an unknown group */
    deps[0] = "20260101T999999_nope";
    jy_diags_init(&d);
    assert_int_equal(ir_dag_build(p, IR_D__COUNT, &g, &d), -1);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "dag.unknown-dependency");
    assert_non_null(strstr(d.v[0].message, "20260101T999999_nope"));
    jy_diags_free(&d);
    deps[0] = "group:nogroup";
    jy_diags_init(&d);
    assert_int_equal(ir_dag_build(p, IR_D__COUNT, &g, &d), -1);
    assert_string_equal(d.v[0].code, "dag.unknown-group");
    jy_diags_free(&d);
    jy_arena_free(ar);
    ir_program_free(p);
}

static void test_dag_order_matches_replay(void **state)
{
    (void)state;
    static const char *const m[][3] = {
        {"20260101T000005_z", "", "op.create_table(\"z\", op.column(\"id\", t.Int))"},
        {"20260101T000001_b", "depends_on=[\"20260101T000005_z\"]", "op.create_table(\"b\", op.column(\"id\", t.Int))"},
        {"20260101T000002_c", "group=\"g\"", "op.create_table(\"c\", op.column(\"id\", t.Int))"},
        {"20260101T000003_d", "group=\"g\", dialects=[\"postgresql\"]", "op.create_table(\"d\", op.column(\"id\", t.Int))"},
        {"20260101T000000_a", "depends_on=[\"group:g\"]", "op.create_table(\"a\", op.column(\"id\", t.Int))"},
        {"20260101T000004_e", "", "op.create_table(\"e\", op.column(\"id\", t.Int))"},
    };
    ir_program *p = build(m, 6);
    for (int dl = 0; dl <= IR_D__COUNT; dl++) {
        jy_diags d;
        jy_diags_init(&d);
        ir_dag *g;
        assert_int_equal(ir_dag_build(p, (ir_dialect)dl, &g, &d), 0);
        size_t n;
        const size_t *order = ir_dag_order(g, &n);
        if (dl < IR_D__COUNT) {
            ir_migration **ro;
            size_t rn;
            assert_int_equal(ir_replay_order(p, (ir_dialect)dl, &ro, &rn, &d), 0);
            assert_int_equal(n, rn);
            for (size_t i = 0; i < n; i++) {
                assert_ptr_equal(p->migs[order[i]], ro[i]);
                assert_int_equal(ir_dag_position(g, order[i]), i);
            }
            free(ro);
        } else {
            assert_int_equal(n, 6);
        }
        /* z before b; every group member before a; c, d not ordered with b */
        size_t z = mig_at(p, "20260101T000005_z"), b = mig_at(p, "20260101T000001_b"),
               c = mig_at(p, "20260101T000002_c"), a = mig_at(p, "20260101T000000_a"),
               e = mig_at(p, "20260101T000004_e");
        assert_true(ir_dag_reaches(g, z, b));
        assert_false(ir_dag_reaches(g, b, z));
        assert_true(ir_dag_reaches(g, c, a));
        assert_false(ir_dag_ordered(g, c, b));
        assert_false(ir_dag_ordered(g, e, a));
        ir_dag_free(g);
        jy_diags_free(&d);
    }
    ir_program_free(p);
}

/* ------------------------------------------------- linear history rule */

static void test_linear_history_never_reported(void **state)
{
    (void)state;
    ir_program *p = build(chain, 5);
    jy_arena *a = jy_arena_new();
    jy_diags d;
    jy_diags_init(&d);
    ir_conflict *c;
    size_t n;
    /* all pending, ordered by depends_on (b -> c; d -> e through the group) */
    ir_concurrency cc = {0};
    assert_int_equal(ir_verify_program(p, &cc, &c, &n, a, &d), 0);
    assert_int_equal(n, 0);
    /* all applied: nothing is concurrent, even without depends_on */
    unsigned char side[5] = {0};
    cc.side = side;
    assert_int_equal(ir_verify_program(p, &cc, &c, &n, a, &d), 0);
    assert_int_equal(n, 0);
    /* the same add/drop as one branch's two migrations (--base) */
    memset(side, IR_SIDE_A, sizeof side);
    side[4] = IR_SIDE_B;
    cc.same_side = false;
    assert_int_equal(ir_verify_program(p, &cc, &c, &n, a, &d), 0);
    assert_int_equal(n, 0);
    /* the test can fail: drop the depends_on edges and the add/drop
     * pairs are concurrent */
    for (size_t i = 0; i < p->n; i++)
        p->migs[i]->ndepends = 0;
    cc = (ir_concurrency){0};
    assert_int_equal(ir_verify_program(p, &cc, &c, &n, a, &d), 0);
    assert_true(n >= 2);
    jy_diags_free(&d);
    jy_arena_free(a);
    ir_program_free(p);
}

/* ------------------------------------------------- effects themselves */

static bool has_effect(const ir_effects *e, const char *desc)
{
    jy_arena *a = jy_arena_new();
    bool found = false;
    for (size_t i = 0; i < e->n && !found; i++)
        found = strcmp(ir_effect_describe(&e->v[i], a), desc) == 0;
    jy_arena_free(a);
    return found;
}

static void test_effects_from_replay(void **state)
{
    (void)state;
    static const char *const m[][3] = {
        {"20260101T000000_a", "",
         "op.create_table(\"t\", op.column(\"id\", t.Int, primary_key=True), op.column(\"x\", t.Int), op.column(\"u\", t.Text, unique=True))\n"
         "    op.create_index(\"ix_t_x\", \"t\", [\"x\"])\n"
         "    op.create_check_constraint(\"ck_x\", \"t\", \"x > 0\")"},
        {"20260101T000001_b", "", "op.drop_column(\"t\", \"x\")\n    op.drop_index(\"uq_t_u\")\n    op.execute(\"SELECT 1\")"},
        {"20260101T000002_c", "", "op.drop_table(\"t\")"},
    };
    ir_program *p = build(m, 3);
    jy_arena *a = jy_arena_new();
    jy_diags d;
    jy_diags_init(&d);
    ir_effects **eff;
    assert_int_equal(ir_effects_compute(p, a, &eff, &d), 0);
    assert_true(has_effect(eff[0], "create table t"));
    assert_true(has_effect(eff[0], "create column t.x"));
    assert_true(has_effect(eff[0], "create index t.uq_t_u"));
    assert_true(has_effect(eff[0], "read column t.x"));
    assert_true(has_effect(eff[0], "create constraint t.ck_x"));
    /* drop_column takes the index on x; drop_index finds its table */
    assert_true(has_effect(eff[1], "drop column t.x"));
    assert_true(has_effect(eff[1], "drop index t.ix_t_x"));
    assert_true(has_effect(eff[1], "drop index t.uq_t_u"));
    assert_int_equal(eff[1]->nopaque, 1);
    assert_true(has_effect(eff[1], "opaque raw SQL"));
    /* drop_table takes what is left of t */
    assert_true(has_effect(eff[2], "drop table t"));
    assert_true(has_effect(eff[2], "drop column t.u"));
    assert_false(has_effect(eff[2], "drop column t.x"));
    assert_false(has_effect(eff[2], "drop index t.uq_t_u"));

    /* strings: a round trip, and refusal of damaged ones */
    const char **s;
    size_t n = ir_effects_strings(eff[0], a, &s);
    assert_int_equal(n, eff[0]->n);
    ir_effects *back = ir_effects_from_strings(s, n, a);
    assert_non_null(back);
    assert_int_equal(back->n, n);
    for (size_t i = 0; i < n; i++) {
        const ir_effect *x = &eff[0]->v[i], *y = &back->v[i];
        assert_int_equal(x->verb, y->verb);
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->op, y->op);
        assert_int_equal(x->op_kind, y->op_kind);
        assert_int_equal(x->dialects, y->dialects);
        assert_int_equal(x->flags, y->flags);
        assert_string_equal(ir_effect_describe(x, a), ir_effect_describe(y, a));
    }
    const char *weird[] = {"e1\t0\tadd_column\tcreate\tcolumn\tf\t0\tta\\tb\t\\-x\t-"};
    ir_effects *w = ir_effects_from_strings(weird, 1, a);
    assert_non_null(w);
    assert_string_equal(w->v[0].table, "ta\tb");
    assert_string_equal(w->v[0].name, "-x");
    assert_null(w->v[0].new_name);
    const char **s2;
    assert_int_equal(ir_effects_strings(w, a, &s2), 1);
    assert_string_equal(s2[0], weird[0]);
    static const char *const bad[] = {
        "e2\t0\tadd_column\tcreate\tcolumn\tf\t0\tt\tx\t-",
        "e1\t0\tadd_colum\tcreate\tcolumn\tf\t0\tt\tx\t-",
        "e1\t0\tadd_column\tmake\tcolumn\tf\t0\tt\tx\t-",
        "e1\tz\tadd_column\tcreate\tcolumn\tf\t0\tt\tx\t-",
        "e1\t0\tadd_column\tcreate\tcolumn\tf\t0\tt\tx",
        "e1\t0\tadd_column\tcreate\tcolumn\tf\t0\tt\tx\t-\textra",
        "e1\t0\tadd_column\tcreate\tcolumn\tq\t0\tt\tx\t-",
        "e1\t0\tadd_column\tcreate\tcolumn\tf\t0\tt\\q\tx\t-",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *one[] = {bad[i]};
        if (ir_effects_from_strings(one, 1, a))
            fail_msg("accepted a damaged effect string: %s", bad[i]);
    }
    jy_diags_free(&d);
    jy_arena_free(a);
    ir_program_free(p);
}

/* ir_concurrency.pred vetoes pairs (verify: a migration that never runs on
 * the database's dialect); ir_concurrent follows the same rules. */
static bool veto_b(void *ctx, size_t a, size_t b)
{
    size_t vb = *(const size_t *)ctx;
    return a != vb && b != vb;
}

static void test_pred_veto(void **state)
{
    (void)state;
    ir_program *p = compile_dir(SCEN_DIR "/add_drop_column");
    size_t base = mig_at(p, "20260101T000000_base"), a = mig_at(p, "20260201T000000_a"),
           b = mig_at(p, "20260201T000001_b");
    unsigned char side[3];
    side[base] = IR_SIDE_SETTLED;
    side[a] = IR_SIDE_A;
    side[b] = IR_SIDE_A;
    ir_concurrency cc = {.side = side, .same_side = true};
    jy_arena *ar = jy_arena_new();
    jy_diags d;
    jy_diags_init(&d);
    ir_conflict *c;
    size_t n;
    assert_int_equal(ir_verify_program(p, &cc, &c, &n, ar, &d), 0);
    assert_int_equal(n, 1);
    cc.pred = veto_b;
    cc.ctx = &b;
    assert_int_equal(ir_verify_program(p, &cc, &c, &n, ar, &d), 0);
    assert_int_equal(n, 0);
    ir_dag *g;
    assert_int_equal(ir_dag_build(p, IR_D__COUNT, &g, &d), 0);
    assert_false(ir_concurrent(g, &cc, a, b));
    cc.pred = NULL;
    assert_true(ir_concurrent(g, &cc, a, b));
    assert_false(ir_concurrent(g, &cc, a, a));
    assert_false(ir_concurrent(g, &cc, base, a)); /* settled, before: not concurrent */
    /* --base: one side each */
    side[b] = IR_SIDE_B;
    cc.same_side = false;
    assert_true(ir_concurrent(g, &cc, a, b));
    side[b] = IR_SIDE_A;
    assert_false(ir_concurrent(g, &cc, a, b));
    /* --db out of order: a pending before an applied b */
    side[b] = IR_SIDE_SETTLED;
    assert_false(ir_concurrent(g, &cc, a, b));
    cc.settled_after = true;
    assert_true(ir_concurrent(g, &cc, a, b));
    assert_int_equal(ir_verify_program(p, &cc, &c, &n, ar, &d), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ir_conflict_kind_name(c[0].kind), "add_drop");
    /* pending after the applied one: in order, not concurrent */
    side[a] = IR_SIDE_SETTLED;
    side[b] = IR_SIDE_A;
    assert_false(ir_concurrent(g, &cc, a, b));
    ir_dag_free(g);
    jy_diags_free(&d);
    jy_arena_free(ar);
    ir_program_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenarios),
        cmocka_unit_test(test_every_kind_has_a_scenario),
        cmocka_unit_test(test_dag_cycle_and_unknown),
        cmocka_unit_test(test_dag_order_matches_replay),
        cmocka_unit_test(test_linear_history_never_reported),
        cmocka_unit_test(test_effects_from_replay),
        cmocka_unit_test(test_pred_veto),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
