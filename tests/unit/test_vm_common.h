/*
 * test_vm_common.h - shared by the test_vm*.c suites: write a small history
 * of migrations into a temporary folder, compile it for one dialect
 * (fe_compile -> be_emit_program -> vm_assemble, the path of `joryu
 * apply`), connect to a fresh database, record the VM's events, and the
 * core apply / resume / backfill / down cases every dialect must pass.
 */
#ifndef JORYU_TEST_VM_COMMON_H
#define JORYU_TEST_VM_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends.h"
#include "frontend.h"
#include "runtime.h"
#include "vm.h"

/* ------------------------------------------------------------ histories */

typedef struct vt_env {
    char dir[64];        /* the migrations folder */
    char url[512];       /* the database */
    ir_dialect want;     /* expected connection dialect family */
    const char *pg_schema;   /* PostgreSQL: the schema the test works in */
    const char *my_db;       /* MySQL: the database the test works in */
} vt_env;

static void vt_mkdir(vt_env *e)
{
    snprintf(e->dir, sizeof e->dir, "/tmp/jyvm-XXXXXX");
    assert_non_null(mkdtemp(e->dir));
}

/* Write (or overwrite) one migration file. */
static void vt_mig(const vt_env *e, const char *id, const char *decor_extra, const char *body)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.py", e->dir, id);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "import joryu\nfrom joryu import op, types as t\n\n\n"
            "@joryu.migration(id=\"%s\"%s)\ndef upgrade():\n%s\n",
            id, decor_extra ? decor_extra : "", body);
    fclose(f);
}

static void vt_rm_mig(const vt_env *e, const char *id)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.py", e->dir, id);
    unlink(path);
}

typedef struct vt_build {
    ir_program *p;
    be_program *bp;
    vm_bundle *b;
} vt_build;

static void vt_build_free(vt_build *x)
{
    vm_bundle_free(x->b);
    be_program_free(x->bp);
    ir_program_free(x->p);
    memset(x, 0, sizeof *x);
}

/* Compile the folder for dialect d into a bundle. */
static void vt_compile(const vt_env *e, ir_dialect d, vt_build *x)
{
    memset(x, 0, sizeof *x);
    fe_options o;
    fe_options_init(&o);
    o.targets = IR_DMASK_ALL;
    o.threads = 1;
    jy_diags dg;
    jy_diags_init(&dg);
    const char *paths[] = {e->dir};
    int rc = fe_compile(paths, 1, &o, &x->p, &dg);
    if (rc == 0)
        rc = be_emit_program(x->p, d, &x->bp, &dg);
    if (rc == 0) {
        const be_program *bps[1] = {x->bp};
        rc = vm_assemble(x->p, bps, 1, &x->b, &dg);
    }
    if (rc)
        jy_diags_print(&dg, stdout, false);
    jy_diags_free(&dg);
    assert_int_equal(rc, 0);
}

/* ------------------------------------------------------------ database */

/* Work in the test's PostgreSQL schema or MySQL database (nothing to do
 * on SQLite); 0 or rt_exec's error.  No assertion: forked children use it. */
static int vt_use(const vt_env *e, rt_conn *c, jy_diags *d)
{
    char sql[256];
    if (e->pg_schema)
        snprintf(sql, sizeof sql, "SET search_path TO %s", e->pg_schema);
    else if (e->my_db)
        snprintf(sql, sizeof sql, "USE %s", e->my_db);
    else
        return 0;
    return rt_exec(c, sql, d);
}

static rt_conn *vt_connect(const vt_env *e)
{
    jy_diags d;
    jy_diags_init(&d);
    rt_conn *c = rt_connect(e->url, &d);
    if (!c)
        jy_diags_print(&d, stdout, false);
    assert_non_null(c);
    int rc = vt_use(e, c, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    assert_int_equal(rc, 0);
    jy_diags_free(&d);
    return c;
}

/* An empty database for the test. */
static void vt_fresh_db(vt_env *e)
{
    jy_diags d;
    jy_diags_init(&d);
    char sql[512];
    int rc = 0;
    if (e->pg_schema || e->my_db) {
        rt_conn *c = rt_connect(e->url, &d);
        if (!c)
            jy_diags_print(&d, stdout, false);
        assert_non_null(c);
        if (e->pg_schema)
            snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s",
                     e->pg_schema, e->pg_schema);
        else
            snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", e->my_db);
        rc = rt_exec(c, sql, &d);
        if (rc == 0 && e->my_db) {
            snprintf(sql, sizeof sql, "CREATE DATABASE %s", e->my_db);
            rc = rt_exec(c, sql, &d);
        }
        if (rc)
            jy_diags_print(&d, stdout, false);
        assert_int_equal(rc, 0);
        rt_close(c);
    } else {
        snprintf(sql, sizeof sql, "%s/db.sqlite", e->dir);
        unlink(sql);
    }
    jy_diags_free(&d);
}

/*
 * A suite's environment on a database server: the URL from the environment
 * variable `var`, which the suite needs (it fails, never skips, when the
 * variable is unset: start the servers), and a new migrations folder.  The
 * caller names the schema (pg_schema) or database (my_db) to work in.
 * Free it with vt_teardown.  (inline: not every suite uses it.)
 */
static inline vt_env *vt_env_server(const char *var, ir_dialect want)
{
    const char *url = getenv(var);
    if (!url || !*url)
        fail_msg("%s is not set: start the servers with "
                 "eval \"$(scripts/dbservers.sh start DIR)\" or run scripts/test.sh", var);
    vt_env *e = calloc(1, sizeof *e);
    assert_non_null(e);
    vt_mkdir(e);
    snprintf(e->url, sizeof e->url, "%s", url);
    e->want = want;
    return e;
}

/* cmocka teardown of a vt_env: drops its PostgreSQL schema (introspection
 * of the database lists schemas, so another suite would see it) or its
 * MySQL database, removes the migrations folder, frees it. */
static inline int vt_teardown(void **state)
{
    vt_env *e = *state;
    if (e->pg_schema || e->my_db) {
        jy_diags d;
        jy_diags_init(&d);
        rt_conn *c = rt_connect(e->url, &d);
        if (c) {
            char sql[128];
            if (e->pg_schema)
                snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", e->pg_schema);
            else
                snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", e->my_db);
            rt_exec(c, sql, &d);
            rt_close(c);
        }
        jy_diags_free(&d);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", e->dir);
    free(e);
    return 0;
}

/* The first cell of a query's first row (malloc'd; "NULL" for SQL NULL,
 * "" when there is no row). */
static char *vt_scalar(rt_conn *c, const char *sql)
{
    jy_diags d;
    jy_diags_init(&d);
    rt_rows *r = NULL;
    int rc = rt_query(c, sql, NULL, 0, &r, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    assert_int_equal(rc, 0);
    const char *v = r->nrows ? rt_rows_cell(r, 0, 0) : "";
    char *out = strdup(v ? v : "NULL");
    rt_rows_free(r);
    jy_diags_free(&d);
    return out;
}

static long vt_long(rt_conn *c, const char *sql)
{
    char *s = vt_scalar(c, sql);
    long v = strtol(s, NULL, 10);
    free(s);
    return v;
}

static void vt_exec(rt_conn *c, const char *sql)
{
    jy_diags d;
    jy_diags_init(&d);
    int rc = rt_exec(c, sql, &d);
    if (rc)
        jy_diags_print(&d, stdout, false);
    assert_int_equal(rc, 0);
    jy_diags_free(&d);
}

/* Does a column exist? */
static bool vt_column_exists(rt_conn *c, const char *table, const char *col)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE 1 = 0", col, table);
    return rt_query(c, sql, NULL, 0, NULL, NULL) == 0;
}

/* The stored status of a migration ("" when no row). */
static char *vt_mig_status(rt_conn *c, const char *id)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT status FROM joryu_migrations WHERE id = '%s'", id);
    return vt_scalar(c, sql);
}

static char *vt_step_status(rt_conn *c, const char *id, int index0)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT status FROM joryu_migration_steps WHERE migration_id = '%s' AND step_index = %d",
             id, index0);
    return vt_scalar(c, sql);
}

#define vt_assert_mig(c, id, want)                                                                 \
    do {                                                                                           \
        char *s_ = vt_mig_status(c, id);                                                           \
        assert_string_equal(s_, want);                                                             \
        free(s_);                                                                                  \
    } while (0)

#define vt_assert_step(c, id, k, want)                                                             \
    do {                                                                                           \
        char *s_ = vt_step_status(c, id, k);                                                       \
        assert_string_equal(s_, want);                                                             \
        free(s_);                                                                                  \
    } while (0)

/* ------------------------------------------------------------ events */

typedef struct vt_events {
    size_t n[VM_EV_FINISH + 1];
    volatile sig_atomic_t interrupt;
    /* set interrupt when the n-th event of this kind arrives (0 = never) */
    vm_event_kind stop_kind;
    size_t stop_after;
    char last_warning[512];
    char last_skip[512];
} vt_events;

static void vt_on_event(void *ctx, const vm_event *ev)
{
    vt_events *x = ctx;
    x->n[ev->kind]++;
    if (ev->kind == VM_EV_WARNING && ev->message)
        snprintf(x->last_warning, sizeof x->last_warning, "%s", ev->message);
    if (ev->kind == VM_EV_STEP_SKIP && ev->message)
        snprintf(x->last_skip, sizeof x->last_skip, "%s", ev->message);
    if (x->stop_after && ev->kind == x->stop_kind && x->n[ev->kind] == x->stop_after)
        x->interrupt = 1;
}

static void vt_opts(vm_apply_opts *o, vt_events *ev)
{
    memset(o, 0, sizeof *o);
    memset(ev, 0, sizeof *ev);
    o->lock_timeout = 10;
    o->on_failure = VM_ONFAIL_RESUME;
    o->interrupt = &ev->interrupt;
    o->progress = vt_on_event;
    o->progress_ctx = ev;
}

/* Apply; returns the exit code (vm_apply itself must work) and leaves the
 * diagnostics in *dg when given (else prints and frees them). */
static int vt_apply_d(const vt_env *e, const vm_bundle *b, const vm_apply_opts *o, jy_diags *dg)
{
    rt_conn *c = vt_connect(e);
    jy_diags own;
    jy_diags_init(&own);
    jy_diags *d = dg ? dg : &own;
    vm_result r;
    int rc = vm_apply(c, b, o, &r, d);
    if (rc || !dg)
        jy_diags_print(d, stdout, false);
    rt_close(c);
    jy_diags_free(&own);
    assert_int_equal(rc, 0);
    return r.exit_code;
}

static int vt_apply(const vt_env *e, const vm_bundle *b, const vm_apply_opts *o)
{
    return vt_apply_d(e, b, o, NULL);
}

/*
 * The body of a forked child: connect (in the test's schema or database),
 * apply with this lock timeout and kill point (vm.h; 0 = none), print the
 * diagnostics of a failed apply, and end the process with the apply's exit
 * code (90: no connection, 91: vt_use failed, 92: vm_apply failed).  No
 * cmocka assertion here: a failing one would jump back into the parent's
 * copy of the test; the parent waits for the status and asserts on it.
 */
static _Noreturn void vt_child_apply(const vt_env *e, const vm_bundle *b, double lock_timeout,
                                     uint32_t kill_at)
{
    jy_diags d;
    jy_diags_init(&d);
    rt_conn *c = rt_connect(e->url, &d);
    if (!c)
        _exit(90);
    if (vt_use(e, c, &d))
        _exit(91);
    vm_apply_opts ko;
    memset(&ko, 0, sizeof ko);
    ko.lock_timeout = lock_timeout;
    ko.kill_at = kill_at;
    vm_result r;
    int rc = vm_apply(c, b, &ko, &r, &d);
    if (rc || r.exit_code)
        jy_diags_print(&d, stdout, false);
    _exit(rc ? 92 : r.exit_code);
}

/* Fork a child that applies with kill point n (vt_child_apply) and wait for
 * it: true when it was killed there (SIGKILL), its wait status in *ws. */
static bool vt_apply_killed_at(const vt_env *e, const vm_bundle *b, uint32_t n, int *ws)
{
    fflush(stdout);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        vt_child_apply(e, b, 10, n);
    *ws = 0;
    assert_int_equal(waitpid(pid, ws, 0), pid);
    return WIFSIGNALED(*ws) && WTERMSIG(*ws) == SIGKILL;
}

static bool vt_has(const jy_diags *d, const char *code)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->v[i].code, code) == 0)
            return true;
    return false;
}

/* Is there a diagnostic `code` whose place contains `where` (NULL: any
 * place, e.g. ID ", step 2 (execute)") and whose message contains `msg`?
 * When not, the diagnostics are printed, so a failing assertion shows what
 * came instead. */
static bool vt_diag_at(jy_diags *d, const char *code, const char *where, const char *msg)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->v[i].code, code) &&
            (!where || (d->v[i].where && strstr(d->v[i].where, where))) &&
            strstr(d->v[i].message, msg))
            return true;
    jy_diags_print(d, stdout, false);
    return false;
}

/* The stored last_error of a migration contains `part`. */
#define vt_assert_last_error(c, id, part)                                                          \
    do {                                                                                           \
        char *le_ = vt_scalar(c, "SELECT last_error FROM joryu_migrations WHERE id = '" id "'");   \
        if (!strstr(le_, part))                                                                    \
            print_error("last_error of %s: %s\n", id, le_);                                        \
        assert_non_null(strstr(le_, part));                                                        \
        free(le_);                                                                                 \
    } while (0)

/* ------------------------------------------------------------ the core cases */

#define ID1 "20260101T000001_create_items"
#define ID2 "20260101T000002_item_columns"
#define ID3 "20260101T000003_backfill"
#define ID4 "20260101T000004_more"

static void vt_history(const vt_env *e)
{
    vt_mig(e, ID1, NULL,
           "    op.create_table(\"items\",\n"
           "        op.column(\"id\", t.BigInt, primary_key=True),\n"
           "        op.column(\"name\", t.String(50)),\n"
           "        op.column(\"v\", t.BigInt),\n"
           "        op.column(\"cnt\", t.Int, nullable=False, server_default=\"0\"))\n");
    vt_mig(e, ID2, NULL,
           "    op.add_column(\"items\", \"a\", t.String(20))\n"
           "    op.add_column(\"items\", \"b\", t.String(20))\n"
           "    op.create_index(\"idx_items_b\", \"items\", [\"b\"])\n");
}

/* Fresh apply, then nothing to do. */
static void vt_case_fresh_then_noop(vt_env *e)
{
    vt_fresh_db(e);
    vt_history(e);
    vt_build x;
    vt_compile(e, e->want, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    assert_int_equal(ev.n[VM_EV_MIGRATION_DONE], 2);
    assert_true(ev.n[VM_EV_STEP_SQL] >= 4);
    rt_conn *c = vt_connect(e);
    vt_assert_mig(c, ID1, "applied");
    vt_assert_mig(c, ID2, "applied");
    vt_assert_step(c, ID2, 2, "done");
    assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM joryu_migration_steps"), 4);
    vt_exec(c, "INSERT INTO items (id, name, a, b) VALUES (1, 'x', 'a', 'b')");
    rt_close(c);
    /* again: nothing runs */
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    assert_int_equal(ev.n[VM_EV_MIGRATION_START], 0);
    assert_int_equal(ev.n[VM_EV_STEP_SQL], 0);
    vt_build_free(&x);
}

/* A failing step: exit 2, the earlier steps done, the later pending; fix
 * the step (checksum changes are allowed while failed) and resume. */
static void vt_case_fail_resume(vt_env *e, ir_tx_mode mode)
{
    vt_fresh_db(e);
    vt_history(e);
    const char *decor = mode == IR_TX_PER_MIGRATION ? ", transaction_mode=\"per_migration\""
                        : mode == IR_TX_NONE        ? ", transaction_mode=\"none\""
                                                    : NULL;
    vt_mig(e, ID3, decor,
           "    op.add_column(\"items\", \"c1\", t.String(20))\n"
           "    op.execute(\"UPDATE items SET c1 = 'x' WHERE no_such_column = 1\")\n"
           "    op.add_column(\"items\", \"c2\", t.String(20))\n");
    vt_build x;
    vt_compile(e, e->want, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    jy_diags dg;
    jy_diags_init(&dg);
    assert_int_equal(vt_apply_d(e, x.b, &o, &dg), 2);
    assert_true(vt_has(&dg, "vm.step-failed"));
    assert_true(vt_diag_at(&dg, "vm.step-failed", ID3 ", step 2 (execute)", "no_such_column"));
    jy_diags_free(&dg);
    /* each event once, although a fast commit group (PostgreSQL, SQLite)
       is rolled back at the failure and redone step by step */
    assert_int_equal(ev.n[VM_EV_MIGRATION_START], 3);
    assert_int_equal(ev.n[VM_EV_MIGRATION_DONE], 2);
    assert_int_equal(ev.n[VM_EV_MIGRATION_FAILED], 1);
    assert_int_equal(ev.n[VM_EV_STEP_START], 6);
    assert_int_equal(ev.n[VM_EV_STEP_DONE], 5);
    rt_conn *c = vt_connect(e);
    vt_assert_mig(c, ID1, "applied");
    vt_assert_mig(c, ID2, "applied");
    vt_assert_step(c, ID2, 2, "done");
    vt_assert_mig(c, ID3, "failed");
    vt_assert_step(c, ID3, 0, "done");
    vt_assert_step(c, ID3, 1, "failed");
    vt_assert_last_error(c, ID3, "no_such_column");
    /* step 1 committed whatever the grouping; step 3 never ran */
    assert_true(vt_column_exists(c, "items", "c1"));
    assert_false(vt_column_exists(c, "items", "c2"));
    rt_close(c);
    /* a plain apply again: still failing, nothing else changes */
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 2);
    /* --no-resume: halted, exit 2 */
    vt_opts(&o, &ev);
    o.no_resume = true;
    jy_diags_init(&dg);
    assert_int_equal(vt_apply_d(e, x.b, &o, &dg), 2);
    assert_true(vt_has(&dg, "vm.halted"));
    jy_diags_free(&dg);
    vt_build_free(&x);
    /* fix the step and resume */
    vt_mig(e, ID3, decor,
           "    op.add_column(\"items\", \"c1\", t.String(20))\n"
           "    op.execute(\"UPDATE items SET c1 = 'x'\")\n"
           "    op.add_column(\"items\", \"c2\", t.String(20))\n");
    vt_compile(e, e->want, &x);
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    assert_int_equal(ev.n[VM_EV_MIGRATION_DONE], 1);
    c = vt_connect(e);
    vt_assert_mig(c, ID3, "applied");
    vt_assert_step(c, ID3, 1, "done");
    vt_assert_step(c, ID3, 2, "done");
    assert_true(vt_column_exists(c, "items", "c2"));
    char *cs = vt_scalar(c, "SELECT checksum FROM joryu_migrations WHERE id = '" ID3 "'");
    assert_string_equal(cs, vm_bundle_find(x.b, ID3)->checksum);
    free(cs);
    rt_close(c);
    vt_build_free(&x);
}

/* A done step edited while its migration is failed: refused before
 * anything runs (exit 4), naming the step. */
static void vt_case_fingerprint(vt_env *e)
{
    vt_fresh_db(e);
    vt_history(e);
    vt_mig(e, ID3, NULL,
           "    op.add_column(\"items\", \"c1\", t.String(20))\n"
           "    op.execute(\"UPDATE items SET c1 = 'x' WHERE no_such_column = 1\")\n");
    vt_build x;
    vt_compile(e, e->want, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 2);
    vt_build_free(&x);
    vt_mig(e, ID3, NULL,
           "    op.add_column(\"items\", \"c9\", t.String(20))\n"
           "    op.execute(\"UPDATE items SET c9 = 'x'\")\n");
    vt_compile(e, e->want, &x);
    vt_opts(&o, &ev);
    jy_diags dg;
    jy_diags_init(&dg);
    assert_int_equal(vt_apply_d(e, x.b, &o, &dg), 4);
    assert_true(vt_diag_at(&dg, "vm.fingerprint-mismatch", NULL, "step 1"));
    jy_diags_free(&dg);
    assert_int_equal(ev.n[VM_EV_STEP_SQL], 0);
    rt_conn *c = vt_connect(e);
    vt_assert_mig(c, ID3, "failed");
    vt_assert_step(c, ID3, 1, "failed");
    assert_false(vt_column_exists(c, "items", "c9"));
    rt_close(c);
    /* --on-failure=restart clears the steps and runs the new ones */
    vt_opts(&o, &ev);
    o.on_failure = VM_ONFAIL_RESTART;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    c = vt_connect(e);
    vt_assert_mig(c, ID3, "applied");
    assert_true(vt_column_exists(c, "items", "c9"));
    assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM joryu_migration_steps WHERE migration_id = '" ID3 "'"), 2);
    rt_close(c);
    vt_build_free(&x);
}

/* An applied migration edited: exit 4 until repair. */
static void vt_case_checksum_repair(vt_env *e)
{
    vt_fresh_db(e);
    vt_history(e);
    vt_build x;
    vt_compile(e, e->want, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    vt_build_free(&x);
    /* a comment does not change the checksum; an edited op does */
    vt_mig(e, ID2, NULL,
           "    # a comment\n"
           "    op.add_column(\"items\", \"a\", t.String(20))\n"
           "    op.add_column(\"items\", \"b\", t.String(20))\n"
           "    op.create_index(\"idx_items_b\", \"items\", [\"b\"])\n");
    vt_compile(e, e->want, &x);
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    vt_build_free(&x);
    vt_mig(e, ID2, NULL,
           "    op.add_column(\"items\", \"a\", t.String(20))\n"
           "    op.add_column(\"items\", \"b\", t.String(30))\n"
           "    op.create_index(\"idx_items_b\", \"items\", [\"b\"])\n");
    vt_mig(e, ID4, NULL, "    op.add_column(\"items\", \"d\", t.String(20))\n");
    vt_compile(e, e->want, &x);
    vt_opts(&o, &ev);
    jy_diags dg;
    jy_diags_init(&dg);
    assert_int_equal(vt_apply_d(e, x.b, &o, &dg), 4);
    assert_true(vt_has(&dg, "vm.checksum-mismatch"));
    jy_diags_free(&dg);
    rt_conn *c = vt_connect(e);
    vt_assert_mig(c, ID4, ""); /* nothing ran */
    jy_diags_init(&dg);
    assert_int_equal(vm_repair(c, x.b, ID2, &dg), 0);
    /* repair of a migration that is not applied is refused */
    assert_int_equal(vm_repair(c, x.b, ID4, &dg), -1);
    assert_true(vt_has(&dg, "vm.repair-not-applied"));
    jy_diags_free(&dg);
    char *cs = vt_scalar(c, "SELECT checksum FROM joryu_migrations WHERE id = '" ID2 "'");
    assert_string_equal(cs, vm_bundle_find(x.b, ID2)->checksum);
    free(cs);
    rt_close(c);
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    c = vt_connect(e);
    vt_assert_mig(c, ID4, "applied");
    rt_close(c);
    vt_build_free(&x);
    vt_rm_mig(e, ID4);
}

/* The backfill migration of the core cases: every row's v = id * 2 and its
 * counter incremented once per batch that touched it. */
static void vt_backfill_history(const vt_env *e)
{
    vt_history(e);
    vt_mig(e, ID3, NULL,
           "    op.backfill(\"items\", set={\"v\": \"id * 2\", \"cnt\": \"cnt + 1\"}, key=\"id\",\n"
           "                batch_size=7)\n"
           "    op.add_column(\"items\", \"after_fill\", t.String(5))\n");
}

static void vt_insert_rows(const vt_env *e, int n)
{
    rt_conn *c = vt_connect(e);
    char sql[128];
    vt_exec(c, "BEGIN");
    for (int i = 1; i <= n; i++) {
        snprintf(sql, sizeof sql, "INSERT INTO items (id, name) VALUES (%d, 'n%d')", i * 3, i);
        vt_exec(c, sql);
    }
    vt_exec(c, "COMMIT");
    rt_close(c);
}

static void vt_check_backfill(const vt_env *e, long rows)
{
    rt_conn *c = vt_connect(e);
    assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM items"), rows);
    assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM items WHERE v = id * 2 AND cnt = 1"), rows);
    vt_assert_mig(c, ID3, "applied");
    vt_assert_step(c, ID3, 0, "done");
    char *p = vt_scalar(c, "SELECT progress FROM joryu_migration_steps WHERE migration_id = '" ID3
                           "' AND step_index = 0");
    assert_non_null(strstr(p, "\"batches\""));
    free(p);
    rt_close(c);
}

/* Backfill: values right, each row updated once; then interrupted between
 * batches (exit 3, paused) and resumed; then --max-duration. */
static void vt_case_backfill_pause(vt_env *e)
{
    vt_fresh_db(e);
    vt_backfill_history(e);
    vt_build x;
    vt_compile(e, e->want, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    o.target = ID2;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    vt_insert_rows(e, 100); /* ids 3..300: 43 batches of 7 keys */
    /* interrupted after the 5th batch */
    vt_opts(&o, &ev);
    ev.stop_kind = VM_EV_BATCH;
    ev.stop_after = 5;
    jy_diags dg;
    jy_diags_init(&dg);
    assert_int_equal(vt_apply_d(e, x.b, &o, &dg), 3);
    jy_diags_free(&dg);
    assert_int_equal(ev.n[VM_EV_PAUSED], 1);
    rt_conn *c = vt_connect(e);
    vt_assert_mig(c, ID3, "paused");
    char *pr = vt_scalar(c, "SELECT pause_reason FROM joryu_migrations WHERE id = '" ID3 "'");
    assert_non_null(strstr(pr, "signal"));
    free(pr);
    assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM items WHERE cnt = 1"), 5 * 7 / 3 + 1);
    assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM items WHERE cnt > 1"), 0);
    rt_close(c);
    /* --no-resume leaves it paused: exit 3 */
    vt_opts(&o, &ev);
    o.no_resume = true;
    assert_int_equal(vt_apply(e, x.b, &o), 3);
    /* --max-duration already spent: one batch (every run makes progress),
       then the pause at the next boundary */
    vt_opts(&o, &ev);
    o.max_duration = 1e-9;
    assert_int_equal(vt_apply(e, x.b, &o), 3);
    assert_int_equal(ev.n[VM_EV_BATCH], 1);
    c = vt_connect(e);
    pr = vt_scalar(c, "SELECT pause_reason FROM joryu_migrations WHERE id = '" ID3 "'");
    assert_non_null(strstr(pr, "max-duration"));
    free(pr);
    rt_close(c);
    /* a plain apply resumes */
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    assert_int_equal(ev.n[VM_EV_BATCH], 43 - 5 - 1);
    vt_check_backfill(e, 100);
    vt_build_free(&x);
}

/* down: the last migration, then to the first; an irreversible one refuses. */
static void vt_case_down(vt_env *e)
{
    vt_fresh_db(e);
    vt_history(e);
    vt_mig(e, ID4, NULL, "    op.add_column(\"items\", \"d\", t.String(20))\n");
    vt_build x;
    vt_compile(e, e->want, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    rt_conn *c = vt_connect(e);
    vm_down_opts dn;
    memset(&dn, 0, sizeof dn);
    dn.lock_timeout = 10;
    vm_result r;
    jy_diags dg;
    jy_diags_init(&dg);
    assert_int_equal(vm_down(c, x.b, &dn, &r, &dg), 0);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.applied, 1);
    vt_assert_mig(c, ID4, "");
    assert_false(vt_column_exists(c, "items", "d"));
    assert_true(vt_column_exists(c, "items", "b"));
    dn.to = ID1;
    assert_int_equal(vm_down(c, x.b, &dn, &r, &dg), 0);
    assert_int_equal(r.exit_code, 0);
    vt_assert_mig(c, ID2, "");
    vt_assert_mig(c, ID1, "applied");
    assert_false(vt_column_exists(c, "items", "b"));
    jy_diags_print(&dg, stdout, false);
    jy_diags_free(&dg);
    rt_close(c);
    /* apply again: the same schema back */
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    assert_int_equal(ev.n[VM_EV_MIGRATION_DONE], 2);
    vt_build_free(&x);
    /* a backfill has no downgrade: refused, nothing undone */
    vt_mig(e, ID4, NULL,
           "    op.backfill(\"items\", set={\"v\": \"id\"}, key=\"id\")\n");
    vt_compile(e, e->want, &x);
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 4); /* ID4 changed after it was applied */
    c = vt_connect(e);
    jy_diags_init(&dg);
    assert_int_equal(vm_repair(c, x.b, ID4, &dg), 0);
    memset(&dn, 0, sizeof dn);
    dn.steps = 2;
    assert_int_equal(vm_down(c, x.b, &dn, &r, &dg), 0);
    assert_int_equal(r.exit_code, 2);
    assert_true(vt_has(&dg, "vm.irreversible"));
    vt_assert_mig(c, ID4, "applied");
    jy_diags_free(&dg);
    rt_close(c);
    vt_build_free(&x);
    vt_rm_mig(e, ID4);
}

/* The crash matrix in small: for every kill point N (vm.h, kill_at) a fresh
 * database, an apply killed with SIGKILL at point N, then a plain apply:
 * everything applied, every backfilled value right, no batch twice, every
 * step recorded done.  Returns after the first N the run no longer reaches. */
static void vt_case_kill_matrix(vt_env *e, uint32_t every)
{
    vt_backfill_history(e);
    /* tags: a CREATE TABLE and a CREATE UNIQUE INDEX in one step on
       MySQL/MariaDB, where a kill between them leaves the step half done */
    vt_mig(e, ID4, NULL,
           "    op.create_table(\"tags\", op.column(\"id\", t.Int, primary_key=True),\n"
           "        op.column(\"code\", t.String(8), nullable=False, unique=True),\n"
           "        op.column(\"item_id\", t.BigInt))\n"
           "    with op.batch(\"tags\") as b:\n"
           "        b.create_index(\"ix_tags_item\", [\"item_id\"])\n"
           "        b.create_foreign_key(\"fk_tags_item\", \"items\", [\"item_id\"], [\"id\"])\n"
           "    op.add_column(\"items\", \"k1\", t.String(20))\n"
           "    with op.batch(\"items\") as b:\n"
           "        b.alter_column(\"name\", type=t.String(80))\n"
           "        b.rename_column(\"after_fill\", \"filled\")\n"
           "    op.create_index(\"idx_items_k1\", \"items\", [\"k1\"])\n");
    vt_build x;
    vt_compile(e, e->want, &x);
    uint32_t kills = 0;
    for (uint32_t n = 1;; n += every) {
        vt_fresh_db(e);
        vm_apply_opts o;
        vt_events ev;
        vt_opts(&o, &ev);
        o.target = ID1;
        assert_int_equal(vt_apply(e, x.b, &o), 0);
        vt_insert_rows(e, 30); /* ids 3..90: 13 batches of 7 keys */
        int ws;
        bool killed = vt_apply_killed_at(e, x.b, n, &ws);
        if (!killed) {
            if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
                print_message("kill point %u: the apply ended with status %d\n", n, ws);
            assert_true(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
        }
        vt_opts(&o, &ev);
        int code = vt_apply(e, x.b, &o);
        if (code != 0)
            print_message("kill point %u: resume exited %d\n", n, code);
        assert_int_equal(code, 0);
        vt_check_backfill(e, 30);
        rt_conn *c = vt_connect(e);
        assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM joryu_migrations WHERE status = 'applied'"), 4);
        assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM joryu_migration_steps WHERE status <> 'done'"), 0);
        assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM joryu_migration_steps"), 4 + 2 + 3 + 4);
        assert_true(vt_column_exists(c, "items", "filled"));
        assert_false(vt_column_exists(c, "items", "after_fill"));
        assert_true(vt_column_exists(c, "tags", "code"));
        assert_true(vt_column_exists(c, "items", "k1"));
        assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM items WHERE name LIKE 'n%'"), 30);
        rt_close(c);
        if (!killed)
            break;
        kills++;
    }
    assert_true(kills >= 30 / every);
    vt_build_free(&x);
    vt_rm_mig(e, ID4);
}

/* Four appliers at once: each migration applied once, every batch once,
 * all exit 0 (the others wait for the lock, then find nothing to do). */
static void vt_case_concurrent(vt_env *e)
{
    vt_fresh_db(e);
    vt_backfill_history(e);
    vt_build x;
    vt_compile(e, e->want, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    o.target = ID1;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    vt_insert_rows(e, 30);
    fflush(stdout);
    pid_t kids[4];
    for (int i = 0; i < 4; i++) {
        kids[i] = fork();
        assert_true(kids[i] >= 0);
        if (kids[i] == 0)
            vt_child_apply(e, x.b, -1, 0);
    }
    for (int i = 0; i < 4; i++) {
        int ws = 0;
        assert_int_equal(waitpid(kids[i], &ws, 0), kids[i]);
        assert_true(WIFEXITED(ws));
        assert_int_equal(WEXITSTATUS(ws), 0);
    }
    vt_check_backfill(e, 30);
    rt_conn *c = vt_connect(e);
    assert_int_equal(vt_long(c, "SELECT COUNT(*) FROM joryu_migrations WHERE status = 'applied'"), 3);
    rt_close(c);
    vt_build_free(&x);
}

/* Guards at work: a column made by hand with the wanted shape is skipped;
 * one with another shape is drift (exit 2, vm.drift naming it); a guarded
 * statement that fails for another reason keeps the server's error. */
static void vt_case_guards(vt_env *e)
{
    vt_fresh_db(e);
    vt_history(e);
    vt_mig(e, ID4, NULL, "    op.add_column(\"items\", \"e\", t.String(20))\n");
    vt_build x;
    vt_compile(e, e->want, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    o.target = ID1;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    rt_conn *c = vt_connect(e);
    vt_exec(c, "ALTER TABLE items ADD COLUMN a VARCHAR(20)");
    rt_close(c);
    vt_opts(&o, &ev);
    o.target = ID2;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    assert_int_equal(ev.n[VM_EV_STEP_SKIP], 1);
    assert_non_null(strstr(ev.last_skip, "a"));
    c = vt_connect(e);
    vt_assert_mig(c, ID2, "applied");
    vt_assert_step(c, ID2, 0, "done");
    vt_assert_step(c, ID2, 1, "done");
    /* drift: the column exists with another type */
    vt_exec(c, "ALTER TABLE items ADD COLUMN e INTEGER");
    rt_close(c);
    vt_opts(&o, &ev);
    jy_diags dg;
    jy_diags_init(&dg);
    assert_int_equal(vt_apply_d(e, x.b, &o, &dg), 2);
    assert_true(vt_diag_at(&dg, "vm.drift", ID4 ", step 1 (add_column)", "e"));
    jy_diags_free(&dg);
    c = vt_connect(e);
    vt_assert_mig(c, ID4, "failed");
    vt_assert_step(c, ID4, 0, "failed");
    /* fixed by hand: the resume finds the column right and skips the step */
    vt_exec(c, "ALTER TABLE items DROP COLUMN e");
    vt_exec(c, "ALTER TABLE items ADD COLUMN e VARCHAR(20)");
    rt_close(c);
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    assert_int_equal(ev.n[VM_EV_STEP_SKIP], 1);
    vt_build_free(&x);
    /* the guard says run (no such index) but the statement fails: the
       server's error stands */
    c = vt_connect(e);
    vt_exec(c, "INSERT INTO items (id, name) VALUES (1001, 'dup')");
    vt_exec(c, "INSERT INTO items (id, name) VALUES (1002, 'dup')");
    rt_close(c);
    vt_mig(e, "20260101T000005_unique", NULL,
           "    op.create_index(\"ux_items_name\", \"items\", [\"name\"], unique=True)\n");
    vt_compile(e, e->want, &x);
    vt_opts(&o, &ev);
    jy_diags_init(&dg);
    assert_int_equal(vt_apply_d(e, x.b, &o, &dg), 2);
    assert_true(vt_has(&dg, "vm.step-failed"));
    assert_false(vt_has(&dg, "vm.drift"));
    jy_diags_free(&dg);
    c = vt_connect(e);
    vt_assert_step(c, "20260101T000005_unique", 0, "failed");
    rt_close(c);
    vt_build_free(&x);
    vt_rm_mig(e, "20260101T000005_unique");
    vt_rm_mig(e, ID4);
}

/* A step of several statements that fails half way (on MySQL/MariaDB the
 * first statement has committed): fix the cause, apply again, and the step
 * completes (reference §10.2, path A). */
static void vt_case_failed_half_step(vt_env *e)
{
    vt_fresh_db(e);
    vt_history(e);
    vt_mig(e, ID3, NULL,
           "    with op.batch(\"items\") as b:\n"
           "        b.rename_column(\"a\", \"a2\")\n"
           "        b.create_index(\"ux_items_name\", [\"name\"], unique=True)\n");
    vt_build x;
    vt_compile(e, e->want, &x);
    vm_apply_opts o;
    vt_events ev;
    vt_opts(&o, &ev);
    o.target = ID2;
    assert_int_equal(vt_apply(e, x.b, &o), 0);
    rt_conn *c = vt_connect(e);
    vt_exec(c, "INSERT INTO items (id, name) VALUES (1, 'dup')");
    vt_exec(c, "INSERT INTO items (id, name) VALUES (2, 'dup')");
    rt_close(c);
    vt_opts(&o, &ev);
    assert_int_equal(vt_apply(e, x.b, &o), 2);
    c = vt_connect(e);
    vt_assert_mig(c, ID3, "failed");
    vt_assert_step(c, ID3, 0, "failed");
    vt_exec(c, "DELETE FROM items WHERE id = 2");
    rt_close(c);
    vt_opts(&o, &ev);
    jy_diags dg;
    jy_diags_init(&dg);
    int code = vt_apply_d(e, x.b, &o, &dg);
    if (code)
        jy_diags_print(&dg, stdout, false);
    jy_diags_free(&dg);
    assert_int_equal(code, 0);
    c = vt_connect(e);
    vt_assert_mig(c, ID3, "applied");
    assert_true(vt_column_exists(c, "items", "a2"));
    assert_false(vt_column_exists(c, "items", "a"));
    rt_close(c);
    vt_build_free(&x);
    vt_rm_mig(e, ID3);
}

/* ------------------------------------------------------------ the core tests */

/* The core cases as cmocka tests, for a suite's table: VT_CORE_TESTS(setup,
 * teardown) lists them all (inline: not every suite uses them). */
static inline void vt_test_fresh_then_noop(void **state) { vt_case_fresh_then_noop(*state); }
static inline void vt_test_fail_resume_per_step(void **state)
{
    vt_case_fail_resume(*state, IR_TX_PER_STEP);
}
static inline void vt_test_fail_resume_per_migration(void **state)
{
    vt_case_fail_resume(*state, IR_TX_PER_MIGRATION);
}
static inline void vt_test_fail_resume_none(void **state) { vt_case_fail_resume(*state, IR_TX_NONE); }
static inline void vt_test_fingerprint(void **state) { vt_case_fingerprint(*state); }
static inline void vt_test_checksum_repair(void **state) { vt_case_checksum_repair(*state); }
static inline void vt_test_backfill_pause(void **state) { vt_case_backfill_pause(*state); }
static inline void vt_test_down(void **state) { vt_case_down(*state); }
static inline void vt_test_guards(void **state) { vt_case_guards(*state); }
static inline void vt_test_failed_half_step(void **state) { vt_case_failed_half_step(*state); }
static inline void vt_test_concurrent(void **state) { vt_case_concurrent(*state); }
static inline void vt_test_kill_matrix(void **state) { vt_case_kill_matrix(*state, 1); }

#define VT_CORE_TESTS(setup, teardown)                                                             \
    cmocka_unit_test_setup_teardown(vt_test_fresh_then_noop, setup, teardown),                     \
    cmocka_unit_test_setup_teardown(vt_test_fail_resume_per_step, setup, teardown),                \
    cmocka_unit_test_setup_teardown(vt_test_fail_resume_per_migration, setup, teardown),           \
    cmocka_unit_test_setup_teardown(vt_test_fail_resume_none, setup, teardown),                    \
    cmocka_unit_test_setup_teardown(vt_test_fingerprint, setup, teardown),                         \
    cmocka_unit_test_setup_teardown(vt_test_checksum_repair, setup, teardown),                     \
    cmocka_unit_test_setup_teardown(vt_test_backfill_pause, setup, teardown),                      \
    cmocka_unit_test_setup_teardown(vt_test_down, setup, teardown),                                \
    cmocka_unit_test_setup_teardown(vt_test_guards, setup, teardown),                              \
    cmocka_unit_test_setup_teardown(vt_test_failed_half_step, setup, teardown),                    \
    cmocka_unit_test_setup_teardown(vt_test_concurrent, setup, teardown),                          \
    cmocka_unit_test_setup_teardown(vt_test_kill_matrix, setup, teardown)

#endif /* JORYU_TEST_VM_COMMON_H */
