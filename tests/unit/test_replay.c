/*
 * test_replay.c - schema replay: every replay.* error (code, message with
 * the object's history, position), the be.* errors of the backends, the
 * apply order, and the replayed schema itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends.h"
#include "frontend.h"

/* A migration file: id and upgrade body (indented 4). */
typedef struct mig {
    const char *id;
    const char *body;
    const char *extra; /* more decorator arguments, or NULL */
} mig;

static char dir[256];

/* Write the migrations into a fresh folder and compile them. */
static ir_program *build(const mig *m, size_t n)
{
    snprintf(dir, sizeof dir, "/tmp/joryu_h8_replay_XXXXXX");
    assert_non_null(mkdtemp(dir));
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.py", dir, m[i].id);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fprintf(f,
                "import joryu\nfrom joryu import op, types as t\n\n\n"
                "@joryu.migration(id=\"%s\"%s%s)\ndef upgrade():\n%s",
                m[i].id, m[i].extra ? ", " : "", m[i].extra ? m[i].extra : "", m[i].body);
        fclose(f);
    }
    fe_options o;
    fe_options_init(&o);
    o.targets = IR_DMASK_ALL;
    const char *paths[] = {dir};
    ir_program *p = NULL;
    jy_diags d;
    jy_diags_init(&d);
    int rc = fe_compile(paths, 1, &o, &p, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    jy_diags_free(&d);
    assert_int_equal(rc, 0);
    return p;
}

static void cleanup(const mig *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.py", dir, m[i].id);
        unlink(path);
    }
    rmdir(dir);
}

/* Replay (through be_emit_program, which also runs the backend checks)
 * for dialect d and expect exactly one error: code, "line:col: message"
 * with the folder name replaced by DIR. */
static void expect(const mig *m, size_t n, ir_dialect d, const char *code, const char *want)
{
    ir_program *p = build(m, n);
    jy_diags diags;
    jy_diags_init(&diags);
    be_program *bp = NULL;
    int rc = be_emit_program(p, d, &bp, &diags);
    assert_int_equal(rc, -1);
    assert_null(bp);
    if (diags.nerrors != 1)
        jy_diags_print(&diags, stdout, false);
    assert_int_equal(diags.nerrors, 1);
    const jy_diag *g = &diags.v[0];
    assert_string_equal(g->code, code);
    assert_int_equal(diags.exit_code, 1);
    unsigned line = 0, col = 0;
    assert_non_null(g->src);
    jy_source_linecol(g->src, g->offset, &line, &col);
    char got[2048], msg[1600];
    /* the message with the temporary folder shown as DIR */
    const char *s = g->message;
    size_t k = 0, dl = strlen(dir);
    while (*s && k + 4 < sizeof msg) {
        if (strncmp(s, dir, dl) == 0) {
            memcpy(msg + k, "DIR", 3);
            k += 3;
            s += dl;
        } else
            msg[k++] = *s++;
    }
    msg[k] = 0;
    snprintf(got, sizeof got, "%u:%u: %s", line, col, msg);
    assert_string_equal(got, want);
    jy_diags_free(&diags);
    ir_program_free(p);
    cleanup(m, n);
}

#define USERS                                                                                  \
    "    op.create_table(\"users\", op.column(\"id\", t.BigInt, primary_key=True),\n"           \
    "                    op.column(\"email\", t.Text), op.column(\"name\", t.Text))\n"

static void test_column_dropped_history(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260301T101500_drop_email", "    op.drop_column(\"users\", \"email\")\n", NULL},
        {"20260302T000000_alter_email", "    op.alter_column(\"users\", \"email\", nullable=False)\n",
         NULL},
    };
    expect(m, 3, IR_D_POSTGRESQL, "replay.column-missing",
           "7:30: column users.email does not exist here: it was dropped by "
           "20260301T101500_drop_email (DIR/20260301T101500_drop_email.py:7:5)");
}

static void test_column_renamed_history(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260301T110000_rename", "    op.rename_column(\"users\", \"name\", \"full_name\")\n", NULL},
        {"20260302T000000_use_name", "    op.create_index(\"ix_name\", \"users\", [\"name\"])\n", NULL},
    };
    expect(m, 3, IR_D_SQLITE, "replay.column-missing",
           "7:41: column users.name does not exist here: it was renamed to full_name by "
           "20260301T110000_rename (DIR/20260301T110000_rename.py:7:5)");
}

static void test_add_column_missing_table(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_add", "    op.add_column(\"user\", \"age\", t.Int)\n", NULL},
    };
    expect(m, 2, IR_D_MYSQL, "replay.table-missing", "7:19: table user does not exist here");
}

static void test_table_dropped_history(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260301T120000_drop", "    op.drop_table(\"users\")\n", NULL},
        {"20260302T000000_add", "    op.add_column(\"users\", \"age\", t.Int)\n", NULL},
    };
    expect(m, 3, IR_D_POSTGRESQL, "replay.table-missing",
           "7:19: table users does not exist here: it was dropped by 20260301T120000_drop "
           "(DIR/20260301T120000_drop.py:7:5)");
}

static void test_add_existing_column(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_add", "    op.add_column(\"users\", \"email\", t.Text)\n", NULL},
    };
    expect(m, 2, IR_D_SQLITE, "replay.column-exists",
           "7:28: column users.email already exists here: it was created by "
           "20260301T100000_users (DIR/20260301T100000_users.py:7:5)");
}

static void test_create_existing_table(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_again", "    op.create_table(\"users\", op.column(\"id\", t.Int))\n", NULL},
    };
    expect(m, 2, IR_D_POSTGRESQL, "replay.table-exists",
           "7:21: table users already exists here: it was created by 20260301T100000_users "
           "(DIR/20260301T100000_users.py:7:5)");
}

static void test_rename_to_existing_column(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_rename", "    op.rename_column(\"users\", \"name\", \"email\")\n", NULL},
    };
    expect(m, 2, IR_D_MYSQL, "replay.column-exists",
           "7:39: column users.email already exists here: it was created by "
           "20260301T100000_users (DIR/20260301T100000_users.py:7:5)");
}

static void test_index_on_missing_column(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_ix", "    op.create_index(\"ix_age\", \"users\", [\"age\"])\n", NULL},
    };
    expect(m, 2, IR_D_POSTGRESQL, "replay.column-missing",
           "7:40: column users.age does not exist here");
}

static void test_index_exists(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS "    op.create_index(\"ix_name\", \"users\", [\"name\"])\n",
         NULL},
        {"20260302T000000_ix", "    op.create_index(\"ix_name\", \"users\", [\"email\"])\n", NULL},
    };
    expect(m, 2, IR_D_SQLITE, "replay.index-exists",
           "7:21: index ix_name already exists here: it was created by 20260301T100000_users "
           "(DIR/20260301T100000_users.py:9:5)");
}

static void test_drop_missing_index(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_dx", "    op.drop_index(\"ix_nope\", \"users\")\n", NULL},
    };
    expect(m, 2, IR_D_MYSQL, "replay.index-missing", "7:19: index ix_nope does not exist here");
}

static void test_drop_unknown_constraint(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users",
         USERS "    op.create_check_constraint(\"ck_users_email\", \"users\", \"email <> ''\")\n",
         NULL},
        {"20260302T000000_dc",
         "    with op.batch(\"users\") as b:\n        b.drop_constraint(\"ck_user_email\")\n",
         NULL},
    };
    expect(m, 2, IR_D_POSTGRESQL, "replay.constraint-missing",
           "8:27: constraint ck_user_email on users does not exist here");
}

static void test_constraint_exists(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users",
         USERS "    op.create_unique_constraint(\"uq_users_email\", \"users\", [\"email\"])\n", NULL},
        {"20260302T000000_again",
         "    op.create_check_constraint(\"uq_users_email\", \"users\", \"email <> ''\")\n", NULL},
    };
    expect(m, 2, IR_D_MYSQL, "replay.constraint-exists",
           "7:32: constraint uq_users_email on users (unique) already exists here: it was "
           "created by 20260301T100000_users (DIR/20260301T100000_users.py:9:5)");
}

static void test_fk_to_missing_table(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_fk",
         "    op.create_foreign_key(\"fk_x\", \"users\", \"teams\", [\"id\"], [\"id\"])\n", NULL},
    };
    expect(m, 2, IR_D_POSTGRESQL, "replay.table-missing", "7:44: table teams does not exist here");
}

static void test_fk_to_missing_column(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_fk",
         "    op.create_foreign_key(\"fk_x\", \"users\", \"users\", [\"id\"], [\"uid\"])\n", NULL},
    };
    expect(m, 2, IR_D_POSTGRESQL, "replay.column-missing",
           "7:61: column users.uid does not exist here");
}

static void test_fk_not_unique(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_fk",
         "    op.create_foreign_key(\"fk_x\", \"users\", \"users\", [\"id\"], [\"email\"])\n", NULL},
    };
    expect(m, 2, IR_D_MYSQL, "replay.fk-not-unique",
           "7:61: foreign key fk_x references columns of users that are neither its primary "
           "key nor unique");
}

static void test_drop_referenced_table(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users",
         USERS "    op.create_table(\"posts\", op.column(\"id\", t.Int, primary_key=True),\n"
               "                    op.column(\"uid\", t.BigInt))\n"
               "    op.create_foreign_key(\"fk_posts_user\", \"posts\", \"users\", [\"uid\"], [\"id\"])\n",
         NULL},
        {"20260302T000000_drop", "    op.drop_table(\"users\")\n", NULL},
    };
    expect(m, 2, IR_D_POSTGRESQL, "replay.table-referenced",
           "7:19: table users is still referenced by foreign key fk_posts_user of table posts");
}

static void test_backfill_key_not_indexed(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_bf",
         "    op.backfill(\"users\", set={\"name\": \"lower(email)\"}, key=\"email\")\n", NULL},
    };
    expect(m, 2, IR_D_POSTGRESQL, "replay.backfill-key",
           "7:60: backfill key users.email is neither the primary key nor the first column of "
           "an index");
}

static void test_backfill_set_missing_column(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_bf", "    op.backfill(\"users\", set={\"nick\": \"lower(email)\"})\n", NULL},
    };
    expect(m, 2, IR_D_SQLITE, "replay.column-missing", "7:31: column users.nick does not exist here");
}

static void test_enum_conflict(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users",
         USERS "    op.add_column(\"users\", \"st\", t.Enum(\"a\", \"b\", name=\"status\"))\n", NULL},
        {"20260302T000000_enum",
         "    op.add_column(\"users\", \"st2\", t.Enum(\"a\", \"c\", \"d\", name=\"status\"))\n", NULL},
    };
    expect(m, 2, IR_D_POSTGRESQL, "replay.enum-conflict",
           "7:28: enum type status exists here with other labels (2 labels)");
}

static void test_hint_object_missing(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_hint", "    op.declare_schema_change(view_dropped=\"v_users\")\n", NULL},
    };
    expect(m, 2, IR_D_SQLITE, "replay.object-missing", "7:43: view v_users does not exist here");
}

static void test_hint_object_exists(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_ext", "    op.declare_schema_change(extension_added=\"pgcrypto\")\n", NULL},
        {"20260302T000000_ext", "    op.declare_schema_change(extension_added=\"pgcrypto\")\n", NULL},
    };
    expect(m, 2, IR_D_POSTGRESQL, "replay.object-exists",
           "7:46: extension pgcrypto already exists here: it was created by 20260301T100000_ext "
           "(DIR/20260301T100000_ext.py:7:5)");
}

static void test_enum_label(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_enum", "    op.declare_schema_change(enum_added=(\"mood\", [\"ok\"]))\n",
         NULL},
        {"20260302T000000_label",
         "    op.declare_schema_change(enum_value_added=(\"mood\", \"ok\", {}))\n", NULL},
    };
    expect(m, 2, IR_D_POSTGRESQL, "replay.enum-label",
           "7:56: cannot add label 'ok' to enum type mood: the label exists or its neighbour "
           "does not");
}

static void test_sqlite_needs_batch(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_alter", "    op.alter_column(\"users\", \"email\", nullable=False)\n",
         NULL},
    };
    expect(m, 2, IR_D_SQLITE, "be.sqlite-needs-batch",
           "7:5: op.alter_column cannot run on SQLite outside op.batch: SQLite's ALTER TABLE "
           "cannot change a column");
}

static void test_sqlite_add_now_default(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_add",
         "    op.add_column(\"users\", \"seen\", t.Timestamp, server_default=t.now())\n", NULL},
    };
    expect(m, 2, IR_D_SQLITE, "be.sqlite-needs-batch",
           "7:5: op.add_column cannot run on SQLite outside op.batch: SQLite cannot add a column "
           "whose default is an expression");
}

static void test_mysql_partial_index(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_ix",
         "    op.create_index(\"ix_a\", \"users\", [\"email\"], where=\"email IS NOT NULL\")\n", NULL},
    };
    expect(m, 2, IR_D_MARIADB, "be.unsupported", "7:5: MySQL has no partial indexes (where=)");
}

/* depends_on orders before ids; the replayed schema has what was declared. */
static void test_order_and_schema(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_b", "    op.add_column(\"users\", \"age\", t.Int, default=3)\n",
         "depends_on=[\"20260301T110000_a\"]"},
        {"20260301T110000_a", USERS, NULL},
        {"20260301T120000_c",
         "    op.execute(\"ALTER TABLE users ADD COLUMN nick TEXT\")\n"
         "    op.declare_schema_change(column_added=(\"users\", \"nick\", t.Text, "
         "{\"nullable\": False}))\n",
         NULL},
    };
    ir_program *p = build(m, 3);
    jy_diags d;
    jy_diags_init(&d);
    ir_migration **order = NULL;
    size_t n = 0;
    assert_int_equal(ir_replay_order(p, IR_D_SQLITE, &order, &n, &d), 0);
    assert_int_equal(n, 3);
    assert_string_equal(order[0]->id, "20260301T110000_a");
    assert_string_equal(order[1]->id, "20260301T100000_b");
    free(order);
    ir_schema *s = ir_replay_schema(p, IR_D_POSTGRESQL, NULL, &d);
    assert_non_null(s);
    const ir_table *t = ir_schema_table(s, "users");
    assert_non_null(t);
    assert_int_equal(t->ncolumns, 5);
    const ir_column *age = ir_table_column(t, "age");
    assert_non_null(age);
    assert_int_equal(age->def.kind, IR_DEF_NUM);
    assert_string_equal(age->def.text, "3");
    const ir_column *nick = ir_table_column(t, "nick");
    assert_non_null(nick);
    assert_false(nick->nullable);
    ir_schema_free(s);
    /* up to b: no nick yet */
    s = ir_replay_schema(p, IR_D_POSTGRESQL, "20260301T100000_b", &d);
    assert_non_null(s);
    assert_null(ir_table_column(ir_schema_table(s, "users"), "nick"));
    ir_schema_free(s);
    assert_int_equal(d.nerrors, 0);
    jy_diags_free(&d);
    ir_program_free(p);
    cleanup(m, 3);
}

/* ops of another dialect's branch are skipped by replay */
static void test_dialect_branches(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users",
         USERS "    if op.dialect.name == \"postgresql\":\n"
               "        op.add_column(\"users\", \"pg_only\", t.Int)\n"
               "    else:\n"
               "        op.add_column(\"users\", \"other\", t.Int)\n",
         NULL},
    };
    ir_program *p = build(m, 1);
    jy_diags d;
    jy_diags_init(&d);
    ir_schema *pg = ir_replay_schema(p, IR_D_POSTGRESQL, NULL, &d);
    ir_schema *lite = ir_replay_schema(p, IR_D_SQLITE, NULL, &d);
    assert_non_null(pg);
    assert_non_null(lite);
    assert_non_null(ir_table_column(ir_schema_table(pg, "users"), "pg_only"));
    assert_null(ir_table_column(ir_schema_table(pg, "users"), "other"));
    assert_non_null(ir_table_column(ir_schema_table(lite, "users"), "other"));
    assert_null(ir_table_column(ir_schema_table(lite, "users"), "pg_only"));
    ir_schema_free(pg);
    ir_schema_free(lite);
    jy_diags_free(&d);
    ir_program_free(p);
    cleanup(m, 1);
}

/* the sample project (examples/) replays and emits for every dialect */
static void test_examples_emit(void **state)
{
    (void)state;
    fe_options o;
    fe_options_init(&o);
    o.targets = IR_DMASK_ALL;
    const char *paths[] = {JORYU_SRC "/examples/migrations"};
    ir_program *p = NULL;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(fe_compile(paths, 1, &o, &p, &d), 0);
    const ir_dialect ds[] = {IR_D_POSTGRESQL, IR_D_MYSQL, IR_D_MARIADB, IR_D_SQLITE};
    for (size_t k = 0; k < JY_COUNTOF(ds); k++) {
        be_program *bp = NULL;
        int rc = be_emit_program(p, ds[k], &bp, &d);
        if (rc)
            jy_diags_print(&d, stdout, false);
        assert_int_equal(rc, 0);
        assert_int_equal(bp->n, p->n);
        assert_non_null(ir_schema_table(bp->schema, "orders"));
        be_program_free(bp);
    }
    jy_diags_free(&d);
    ir_program_free(p);
}

/* execute SQL loses its trailing ';' (the text adds one) */
static void test_execute_trailing_semicolon(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_raw", "    op.execute(\"CREATE TABLE x (id INT);  \\n\")\n", NULL},
    };
    ir_program *p = build(m, 1);
    jy_diags d;
    jy_diags_init(&d);
    be_program *bp = NULL;
    assert_int_equal(be_emit_program(p, IR_D_SQLITE, &bp, &d), 0);
    assert_int_equal(bp->migs[0].up.nsteps, 1);
    assert_string_equal(bp->migs[0].up.steps[0].stmts[0].sql, "CREATE TABLE x (id INT)");
    assert_true(bp->migs[0].down.irreversible);
    assert_string_equal(bp->migs[0].down.reason, "op.execute has no reverse= (line 7)");
    be_program_free(bp);
    jy_diags_free(&d);
    ir_program_free(p);
    cleanup(m, 1);
}

/* a dialect the program was not compiled for is refused, not emitted empty */
static void test_not_a_target(void **state)
{
    (void)state;
    fe_options o;
    fe_options_init(&o); /* postgresql, mysql, sqlite */
    const char *src = "import joryu\nfrom joryu import op, types as t\n\n\n"
                      "@joryu.migration(id=\"20260301T100000_a\")\ndef upgrade():\n"
                      "    op.create_table(\"a\", op.column(\"id\", t.Int))\n";
    ir_program *p = NULL;
    jy_diags d;
    jy_diags_init(&d);
    assert_int_equal(fe_compile_memory("20260301T100000_a.py", src, strlen(src), &o, &p, &d), 0);
    be_program *bp = NULL;
    assert_int_equal(be_emit_program(p, IR_D_MARIADB, &bp, &d), -1);
    assert_int_equal(d.nerrors, 1);
    assert_string_equal(d.v[0].code, "replay.not-a-target");
    assert_string_equal(d.v[0].message,
                        "the migrations were compiled for postgresql, mysql, sqlite, not for mariadb");
    assert_null(ir_replay_schema(p, IR_D_MARIADB, NULL, &d));
    assert_null(bp);
    jy_diags_free(&d);
    ir_program_free(p);
}

/* SQLite: a label in an enum CHECK is not a reference to a column of that
 * name, so dropping the column needs no rebuild */
static void test_sqlite_drop_beside_enum_label(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_t",
         "    op.create_table(\"t\", op.column(\"id\", t.Int, primary_key=True),\n"
         "        op.column(\"state\", t.Enum(\"draft\", \"archived\", name=\"st\")),\n"
         "        op.column(\"archived\", t.Bool))\n"
         "    op.drop_column(\"t\", \"archived\")\n",
         NULL},
    };
    ir_program *p = build(m, 1);
    jy_diags d;
    jy_diags_init(&d);
    be_program *bp = NULL;
    int rc = be_emit_program(p, IR_D_SQLITE, &bp, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    assert_int_equal(rc, 0);
    assert_string_equal(bp->migs[0].up.steps[1].stmts[0].sql,
                        "ALTER TABLE \"t\" DROP COLUMN \"archived\"");
    be_program_free(bp);
    jy_diags_free(&d);
    ir_program_free(p);
    cleanup(m, 1);
}

static void test_drop_index_wrong_table(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users",
         USERS "    op.create_table(\"teams\", op.column(\"id\", t.Int, primary_key=True))\n"
               "    op.create_index(\"ix_name\", \"users\", [\"name\"])\n",
         NULL},
        {"20260302T000000_dx", "    op.drop_index(\"ix_name\", \"teams\")\n", NULL},
    };
    expect(m, 2, IR_D_POSTGRESQL, "replay.index-missing",
           "7:30: index ix_name is on table users, not on teams");
}

static void test_rename_table_onto_existing(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users",
         USERS "    op.create_table(\"teams\", op.column(\"id\", t.Int, primary_key=True))\n", NULL},
        {"20260302T000000_rn", "    op.rename_table(\"teams\", \"users\")\n", NULL},
    };
    expect(m, 2, IR_D_MYSQL, "replay.table-exists",
           "7:30: table users already exists here: it was created by 20260301T100000_users "
           "(DIR/20260301T100000_users.py:7:5)");
}

/* the visitor sees every op with the schema before and after it, then
 * each migration's end */
typedef struct visits {
    size_t ops, ends;
    bool saw_add;
} visits;

static int visit(void *ctx, const ir_migration *m, const ir_op *op, const ir_schema *before,
                 const ir_schema *after)
{
    visits *v = ctx;
    (void)m;
    if (!op) {
        v->ends++;
        assert_ptr_equal(before, after);
        return 0;
    }
    v->ops++;
    if (op->kind == IR_OP_add_column) {
        assert_null(ir_table_column(ir_schema_table(before, "users"), "age"));
        assert_non_null(ir_table_column(ir_schema_table(after, "users"), "age"));
        v->saw_add = true;
    }
    return 0;
}

static void test_visitor(void **state)
{
    (void)state;
    const mig m[] = {
        {"20260301T100000_users", USERS, NULL},
        {"20260302T000000_add",
         "    op.add_column(\"users\", \"age\", t.Int)\n    op.execute(\"SELECT 1\")\n", NULL},
    };
    ir_program *p = build(m, 2);
    jy_diags d;
    jy_diags_init(&d);
    visits v = {0};
    assert_int_equal(ir_replay(p, IR_D_SQLITE, visit, &v, &d), 0);
    assert_int_equal(v.ops, 3);
    assert_int_equal(v.ends, 2);
    assert_true(v.saw_add);
    jy_diags_free(&d);
    ir_program_free(p);
    cleanup(m, 2);
}

/* quoting: identifiers and strings per dialect */
static void test_quoting(void **state)
{
    (void)state;
    jy_buf b;
    jy_buf_init(&b);
    be_quote_ident(&b, IR_D_POSTGRESQL, "a\"b");
    be_quote_ident(&b, IR_D_MYSQL, "a`b");
    be_quote_ident(&b, IR_D_SQLITE, "naïve x");
    be_quote_string(&b, IR_D_POSTGRESQL, "it's \\");
    be_quote_string(&b, IR_D_MARIADB, "it's \\");
    assert_string_equal(b.data, "\"a\"\"b\"`a``b`\"naïve x\"'it''s \\''it''s \\\\'");
    jy_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_column_dropped_history),
        cmocka_unit_test(test_column_renamed_history),
        cmocka_unit_test(test_add_column_missing_table),
        cmocka_unit_test(test_table_dropped_history),
        cmocka_unit_test(test_add_existing_column),
        cmocka_unit_test(test_create_existing_table),
        cmocka_unit_test(test_rename_to_existing_column),
        cmocka_unit_test(test_index_on_missing_column),
        cmocka_unit_test(test_index_exists),
        cmocka_unit_test(test_drop_missing_index),
        cmocka_unit_test(test_drop_unknown_constraint),
        cmocka_unit_test(test_constraint_exists),
        cmocka_unit_test(test_fk_to_missing_table),
        cmocka_unit_test(test_fk_to_missing_column),
        cmocka_unit_test(test_fk_not_unique),
        cmocka_unit_test(test_drop_referenced_table),
        cmocka_unit_test(test_backfill_key_not_indexed),
        cmocka_unit_test(test_backfill_set_missing_column),
        cmocka_unit_test(test_enum_conflict),
        cmocka_unit_test(test_hint_object_missing),
        cmocka_unit_test(test_hint_object_exists),
        cmocka_unit_test(test_enum_label),
        cmocka_unit_test(test_sqlite_needs_batch),
        cmocka_unit_test(test_sqlite_add_now_default),
        cmocka_unit_test(test_mysql_partial_index),
        cmocka_unit_test(test_order_and_schema),
        cmocka_unit_test(test_dialect_branches),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_drop_index_wrong_table),
        cmocka_unit_test(test_rename_table_onto_existing),
        cmocka_unit_test(test_visitor),
        cmocka_unit_test(test_sqlite_drop_beside_enum_label),
        cmocka_unit_test(test_not_a_target),
        cmocka_unit_test(test_examples_emit),
        cmocka_unit_test(test_execute_trailing_semicolon),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
