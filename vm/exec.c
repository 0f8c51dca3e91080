/*
 * exec.c - the step VM: vm_apply (reference §9.6 with the brief's rules).
 *
 * A run: pick the code for the connection's dialect; take the apply lock;
 * create and read the state tables; refuse applied migrations whose
 * checksum changed (exit 4); decide what to do with failed / paused /
 * interrupted migrations (§10.4, §10.5) and check the fingerprints of their
 * done steps (§10.3) - all before anything is written; then run the plan in
 * apply order.
 *
 * Transactions.  Where DDL is transactional (PostgreSQL, SQLite) steps of
 * per_step and per_migration migrations run inside a commit group: one
 * transaction spanning consecutive steps.  The group commits at the end,
 * before a step that must run outside a transaction, before a backfill, at
 * a pause, after a failure, and at a step boundary (per_step) or migration
 * boundary (per_migration) once it is older than VX_GROUP_SECONDS.  A crash
 * loses at most the open group, which rolls back whole with its state
 * rows; resume redoes it.
 *
 * A group runs fast first: steps never attempted run their statements with
 * no savepoint, and the state rows of the group (migration rows, step rows
 * done, migrations applied) are queued and written at its commit in a few
 * multi-row statements (rt_state_write_batch).  When a statement fails, the
 * step returns VX_RETRY: the whole group is rolled back (with nothing of it
 * written) and redone carefully from where it began (grp_plan, grp_step):
 * a savepoint around each step, the state rows written as they happen, the
 * optimistic guard on a failing statement; so the failure is located,
 * judged by its guard and recorded exactly as before, every earlier step
 * of the group ends up committed and done, and the events the fast attempt
 * already emitted are not emitted twice.  The careful mode lasts until that
 * group commits.
 *
 * On MySQL/MariaDB each step runs in its own transaction (DDL commits
 * implicitly there), the state row is written right after, and the guard
 * decides on resume whether an interrupted step's DDL already happened.  A
 * step never attempted whose one statement is DDL and which has a guard
 * runs that statement first and queues its row (and a fresh migration's
 * row) like a fast group; the queue is written in one transaction at
 * migration boundaries once older than VX_GROUP_SECONDS, before any other
 * state write, at a pause, a failure and the end.  A kill loses at most the
 * queued rows; their steps' guards find them done on resume.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_int.h"

#define VX_GROUP_SECONDS 1.0
#define VX_SAVEPOINT "joryu_step"

/* What the plan does with one migration of the apply order. */
typedef enum {
    PL_NONE,        /* applied, or past the target */
    PL_FRESH,       /* no row (or marked pending): run from step 1 */
    PL_RESUME,      /* failed / paused / interrupted: skip done steps */
    PL_HELD_FAILED, /* failed and not resumed (--no-resume, abort) */
    PL_HELD_PAUSED, /* paused / interrupted and --no-resume */
    PL_BLOCKED      /* depends on a held or newly failed migration */
} plan_kind;

typedef struct plan_item {
    const vm_migration *m;
    const rt_mig_row *row;
    plan_kind kind;
    uint32_t restart_from;   /* 0-based step index from which rows are cleared (UINT32_MAX: none) */
    bool skip_failed_step;   /* ask: mark the failed step skipped */
} plan_item;

/* ------------------------------------------------------------ helpers */

static const rt_step_row *row_step(const rt_mig_row *row, uint32_t k)
{
    if (!row)
        return NULL;
    for (size_t i = 0; i < row->nsteps; i++)
        if (row->steps[i].step_index == k)
            return &row->steps[i];
    return NULL;
}

/* "migration <id>, step <n> (<op_kind>)" */
static char *where_of(const vm_migration *m, const vm_step *st, uint32_t stepno)
{
    size_t n = strlen(m->id) + (st ? strlen(st->op_kind) : 0) + 64;
    char *w = malloc(n);
    if (w) {
        if (st)
            snprintf(w, n, "migration %s, step %" PRIu32 " (%s)", m->id, stepno, st->op_kind);
        else
            snprintf(w, n, "migration %s", m->id);
    }
    return w;
}

/* {"stmts_done":N} of a step's progress (0 when absent). */
static uint32_t stmts_done_of(const char *progress)
{
    if (!progress || !*progress)
        return 0;
    json_t *o = json_loads(progress, 0, NULL);
    json_t *v = json_object_get(o, "stmts_done");
    json_int_t n = json_is_integer(v) ? json_integer_value(v) : 0;
    json_decref(o);
    return n > 0 && n < (json_int_t)UINT32_MAX ? (uint32_t)n : 0;
}

/* ------------------------------------------------------------ failure */

/*
 * Record a failed step: its row failed, the migration failed with
 * last_error (server message + statement), a vm.step-failed / vm.drift
 * diagnostic (exit 2) and the MIGRATION_FAILED event.  The caller has
 * rolled back whatever the failed step did; this writes in autocommit (or
 * inside the open group, which it commits).  VX_FAILED, or VX_ERROR when
 * the state could not be written.
 */
vx_status vx_record_failure(vx_run *run, const vm_migration *m, const vm_step *st, uint32_t k,
                            uint32_t nsteps, bool drift)
{
    const char *msg = run->fail_msg ? run->fail_msg : "unknown error";
    jy_buf le;
    jy_buf_init(&le);
    jy_buf_printf(&le, "step %" PRIu32 " (%s): %s", k + 1, st->op_kind, msg);
    if (run->fail_sql && *run->fail_sql)
        jy_buf_printf(&le, "\nstatement: %s", run->fail_sql);
    vx_status rc = VX_FAILED;
    char prog[48];
    const char *progress = NULL; /* NULL: keep (a backfill's checkpoint) */
    if (!run->txddl && !(st->flags & VM_STEP_BACKFILL)) {
        /* MySQL/MariaDB: the statements committed before the failure */
        if (run->stmts_committed)
            snprintf(prog, sizeof prog, "{\"stmts_done\":%" PRIu32 "}", run->stmts_committed);
        else
            prog[0] = 0;
        progress = prog;
    }
    if (!run->dry) {
        /* deferred rows first: the migration's own row may be one of them
           (MySQL/MariaDB: in their own transaction; else in the group) */
        if ((run->txddl ? vx_flush_state(run) : vx_grp_commit(run)) ||
            rt_state_step_begin(run->c, m->id, k, st->op_kind, st->fingerprint, run->d) ||
            rt_state_step_set(run->c, m->id, k, RT_SS_FAILED, progress, run->d) ||
            rt_state_mig_set(run->c, m->id, RT_MS_FAILED, le.data ? le.data : msg, NULL, run->d) ||
            vx_grp_commit(run))
            rc = VX_ERROR;
    }
    char *w = where_of(m, st, k + 1);
    jy_diag *g;
    if (run->fail_sql && *run->fail_sql)
        g = jy_diag_where(run->d, JY_SEV_ERROR, JY_EXIT_FAILED, drift ? "vm.drift" : "vm.step-failed",
                          w, "%s; statement: %s", msg, run->fail_sql);
    else
        g = jy_diag_where(run->d, JY_SEV_ERROR, JY_EXIT_FAILED, drift ? "vm.drift" : "vm.step-failed",
                          w, "%s", msg);
    if (g)
        jy_diag_hint(g, drift ? "the database differs from what the migration expects: fix the "
                                "object (or set on_mismatch), then run apply again; it resumes at "
                                "step %" PRIu32
                              : "fix the cause, then run apply again: it resumes at step %" PRIu32
                                " (joryu status shows the state)",
                     k + 1);
    free(w);
    vm_event ev = vx_ev(VM_EV_MIGRATION_FAILED, m);
    ev.st = st;
    ev.step = k + 1;
    ev.nsteps = nsteps;
    ev.message = msg;
    ev.sql = run->fail_sql;
    vx_emit(run, &ev);
    jy_buf_free(&le);
    run->r->failed++;
    return rc;
}

/* Pause the migration at a boundary: commit what is done, record paused. */
vx_status vx_pause_migration(vx_run *run, const vm_migration *m, const char *reason)
{
    if (!run->dry) {
        if (vx_grp_commit(run) ||
            rt_state_mig_set(run->c, m->id, RT_MS_PAUSED, NULL, reason, run->d))
            return VX_ERROR;
    }
    vm_event ev = vx_ev(VM_EV_PAUSED, m);
    ev.message = reason;
    vx_emit(run, &ev);
    return VX_PAUSED;
}

/* ------------------------------------------------------------ one step */

/*
 * Run one ordinary step (not a backfill) of m in transaction mode mode.
 * Writes the step row running, runs the guard and the statements, records
 * the step done; on failure rolls the step back and records it failed.
 */
static vx_status run_step(vx_run *run, const vm_migration *m, ir_tx_mode mode, const vm_step *st,
                          uint32_t k, uint32_t nsteps, const rt_step_row *sr)
{
    bool fresh = !sr;
    bool skipped = false;
    if (run->dry)
        return vx_step_body(run, m, st, k + 1, nsteps, VX_BODY_ALL, &skipped, NULL) == VX_OK
                   ? VX_OK
                   : VX_FAILED;
    bool notx = mode == IR_TX_NONE || (st->flags & VM_STEP_NO_TX);
    bool grouped = run->txddl && !notx;
    bool own_tx = !run->txddl && !notx;
    jy_diags *d = run->d;
    if (grouped && fresh && run->fast && !run->careful) {
        /*
         * Fast: a step never attempted runs its statements with no
         * savepoint and its state row is deferred to the group's commit.
         * Any failing statement aborts the group: VX_RETRY makes the caller
         * roll it back and redo it carefully (below), which attributes the
         * failure, asks the guard and records it exactly.
         */
        if (mode == IR_TX_PER_STEP && run->grp_open && vx_now() - run->grp_t0 > VX_GROUP_SECONDS &&
            vx_grp_commit(run))
            return VX_ERROR;
        if (vx_grp_begin(run))
            return VX_ERROR;
        run->stmt_progress = false;
        run->stmt_skip = 0;
        run->tolerate_first = false;
        if (vx_step_body(run, m, st, k + 1, nsteps, VX_BODY_NO_GUARD, &skipped, NULL) != VX_OK)
            return VX_RETRY;
        if (vx_defer_step(run, m, st, k))
            return VX_ERROR;
        vx_kill_point(run);
        run->progressed = true;
        return VX_OK;
    }
    if (!run->txddl && fresh && run->fast && own_tx && vx_step_has_guard(st) &&
        vx_single_ddl(run, st)) {
        /*
         * MySQL/MariaDB, a step never attempted whose one DDL statement
         * commits by itself: the statement runs first and the step's row
         * is deferred (a kill before it is written leaves the guard to
         * find the statement done on resume).  When the statement fails
         * (a failed DDL statement changes nothing), the step runs again the
         * usual way below: guard first, rows as they happen.
         */
        if (vx_step_body(run, m, st, k + 1, nsteps, VX_BODY_NO_GUARD, &skipped, NULL) == VX_OK) {
            if (vx_defer_step(run, m, st, k))
                return VX_ERROR;
            vx_kill_point(run);
            run->progressed = true;
            return VX_OK;
        }
        vx_clear_fail(run);
    }
    if (grouped) {
        if (mode == IR_TX_PER_STEP && run->grp_open && vx_now() - run->grp_t0 > VX_GROUP_SECONDS &&
            vx_grp_commit(run))
            return VX_ERROR;
        /* the previous step's savepoint is released together with setting
           this one: one round trip per step */
        if (vx_grp_begin(run) ||
            (run->sp_open ? rt_exec(run->c, "RELEASE SAVEPOINT " VX_SAVEPOINT "; SAVEPOINT " VX_SAVEPOINT, d)
                          : rt_savepoint(run->c, VX_SAVEPOINT, d)))
            return VX_ERROR;
        run->sp_open = true;
    } else {
        if (vx_grp_commit(run))
            return VX_ERROR;
        if (own_tx && rt_begin(run->c, d))
            return VX_ERROR;
    }
    if (rt_state_step_begin(run->c, m->id, k, st->op_kind, st->fingerprint, d))
        return VX_ERROR;
    /* where DDL commits by itself, the statements done are recorded */
    bool same_fp = sr && sr->op_fingerprint && strcmp(sr->op_fingerprint, st->fingerprint) == 0;
    uint32_t done_before = same_fp ? stmts_done_of(sr->progress) : 0;
    run->cur_id = m->id;
    run->cur_k = k;
    run->stmt_progress = !run->txddl;
    run->stmts_committed = 0;
    vx_status rc;
    if (grouped && fresh && vx_step_has_guard(st)) {
        /*
         * Optimistic: inside the savepoint the statements run first and the
         * guard is read only when they fail (the catalog queries of a guard
         * cost more than the DDL).  The outcome is the guard-first one: a
         * statement that fails because the desired state exists, or exists
         * with another shape, is rolled back to the savepoint and the guard
         * then says skip, reconcile or drift; if it says run, the
         * statement's own error stands.  Only where DDL is transactional and
         * only for a step never attempted (its state rows agree with the
         * schema there); NO_TX steps and MySQL/MariaDB read the guard first.
         */
        rc = vx_step_body(run, m, st, k + 1, nsteps, VX_BODY_NO_GUARD, &skipped, NULL);
        if (rc == VX_FAILED) {
            char *msg = run->fail_msg, *sql = run->fail_sql;
            run->fail_msg = run->fail_sql = NULL;
            bool would_run = false;
            if (rt_rollback_to(run->c, VX_SAVEPOINT, NULL) ||
                rt_state_step_begin(run->c, m->id, k, st->op_kind, st->fingerprint, NULL)) {
                rc = VX_FAILED; /* below: roll back again and record msg */
                would_run = true;
            } else {
                rc = vx_step_body(run, m, st, k + 1, nsteps, VX_BODY_GUARD_ONLY, &skipped,
                                  &would_run);
            }
            if ((rc == VX_OK && would_run) ||
                (rc == VX_FAILED && !run->fail_drift && !run->fail_sql)) {
                /* the guard wants the step run (or could not be read): the
                   statement's error is the failure (a failed reconcile
                   statement keeps its own) */
                vx_clear_fail(run);
                run->fail_msg = msg;
                run->fail_sql = sql;
                rc = VX_FAILED;
            } else {
                free(msg);
                free(sql);
            }
        }
    } else if (!run->txddl && sr &&
               (sr->status == RT_SS_RUNNING || (sr->status == RT_SS_FAILED && done_before)) &&
               same_fp) {
        /*
         * An interrupted or failed step on MySQL/MariaDB: its DDL statements
         * commit one by one, so a kill or an error between two of them
         * leaves the step half done, which its guard would call drift.  The
         * statements recorded done are not run again; after a kill, the
         * first one that runs may have committed before the kill without
         * being recorded, so an "already exists / already gone" error from
         * it counts as done.  Then the guard checks the result (drift still
         * fails the step).
         */
        run->stmt_skip = done_before;
        run->tolerate_first = sr->status == RT_SS_RUNNING;
        rc = vx_step_body(run, m, st, k + 1, nsteps, VX_BODY_NO_GUARD, &skipped, NULL);
        run->stmt_skip = 0;
        run->tolerate_first = false;
        if (rc == VX_OK && vx_step_has_guard(st)) {
            bool would_run = false, sk = false;
            rc = vx_step_body(run, m, st, k + 1, nsteps, VX_BODY_GUARD_ONLY, &sk, &would_run);
        }
    } else {
        if (!run->txddl && sr && sr->progress && *sr->progress &&
            rt_state_step_set(run->c, m->id, k, RT_SS_RUNNING, "", d))
            return VX_ERROR; /* statement progress of other statements */
        rc = vx_step_body(run, m, st, k + 1, nsteps, VX_BODY_ALL, &skipped, NULL);
    }
    run->stmt_progress = false;
    if (rc == VX_OK) {
        if (rt_state_step_set(run->c, m->id, k, RT_SS_DONE, NULL, d))
            return VX_ERROR;
        vx_kill_point(run);
        if (own_tx && rt_commit(run->c, d))
            return VX_ERROR;
        if (skipped)
            run->r->skipped_steps++;
        run->progressed = true;
        return VX_OK;
    }
    /* failed: undo the step, keep what came before */
    bool drift = run->fail_drift;
    if (grouped) {
        if (rt_rollback_to(run->c, VX_SAVEPOINT, NULL)) {
            /* the savepoint is gone (connection trouble): lose the group */
            vx_grp_rollback(run);
        }
    } else if (own_tx) {
        rt_rollback(run->c, NULL);
    } else if (run->conn_d == IR_D_SQLITE && (st->flags & VM_STEP_NO_TX)) {
        /* a table rebuild opens its own transaction with foreign keys off:
           end it and turn them back on (errors ignored: nothing may be open) */
        rt_exec(run->c, "ROLLBACK", NULL);
        rt_exec(run->c, "PRAGMA foreign_keys = ON", NULL);
    }
    return vx_record_failure(run, m, st, k, nsteps, drift);
}

/* ------------------------------------------------------------ one migration */

/*
 * Run one migration of the plan.  redo_from is UINT32_MAX for a normal run.
 * Otherwise this is the careful redo of a fast group that began in this
 * migration (exec.c, top): its start event (and warning) was emitted before
 * the group began and is not emitted again; when redo_from is a step, the
 * group began at that step: the migration's row and the steps before it
 * were committed by earlier groups, and that step's start event and pause
 * check happened already.
 */
static vx_status run_migration(vx_run *run, const plan_item *pi, bool redo, uint32_t redo_from)
{
    const vm_migration *m = pi->m;
    const vm_script *sc = &m->up[run->cd];
    uint32_t nsteps = sc->nsteps;
    const rt_mig_row *row = pi->kind == PL_RESUME ? pi->row : NULL;
    ir_tx_mode mode = m->tx_mode;
    vm_event ev = vx_ev(VM_EV_MIGRATION_START, m);
    ev.nsteps = nsteps;
    if (!redo)
        vx_emit(run, &ev);
    if (!run->txddl && mode == IR_TX_PER_MIGRATION) {
        vm_event w = vx_ev(VM_EV_WARNING, m);
        w.message = "transaction_mode=per_migration is not atomic on MySQL/MariaDB (DDL commits "
                    "implicitly): the steps run and are recorded one by one";
        if (!redo)
            vx_emit(run, &w);
        mode = IR_TX_PER_STEP;
    }
    run->cur_step = UINT32_MAX;
    if (!run->dry && !(redo && redo_from != UINT32_MAX)) {
        bool grouped = run->txddl && mode != IR_TX_NONE;
        if (run->grp_open && (!grouped || vx_now() - run->grp_t0 > VX_GROUP_SECONDS) &&
            vx_grp_commit(run))
            return VX_ERROR;
        if (!run->txddl && (run->nmw || run->nsw) &&
            vx_now() - run->defer_t0 > VX_GROUP_SECONDS && vx_grp_commit(run))
            return VX_ERROR;
        if (grouped && vx_grp_begin(run))
            return VX_ERROR;
        /* a fresh migration's row is deferred with its steps' rows in a
           fast group (and on MySQL/MariaDB) */
        bool defer = run->fast && pi->kind == PL_FRESH && pi->restart_from == UINT32_MAX &&
                     !pi->skip_failed_step &&
                     (run->txddl ? grouped && !run->careful : true);
        if (defer) {
            if (vx_defer_mig(run, m, true, RT_MS_RUNNING))
                return VX_ERROR;
        } else if (rt_state_mig_begin(run->c, m->id, m->checksum, ir_dialect_name(run->conn_d),
                                      run->d))
            return VX_ERROR;
        if (pi->restart_from != UINT32_MAX &&
            rt_state_steps_delete(run->c, m->id, pi->restart_from, run->d))
            return VX_ERROR;
        if (pi->skip_failed_step && row) {
            for (size_t i = 0; i < row->nsteps; i++)
                if (row->steps[i].status == RT_SS_FAILED &&
                    rt_state_step_set(run->c, m->id, row->steps[i].step_index, RT_SS_SKIPPED, NULL,
                                      run->d))
                    return VX_ERROR;
        }
    }
    for (uint32_t k = 0; k < nsteps; k++) {
        const vm_step *st = &sc->steps[k];
        const rt_step_row *sr = pi->restart_from != UINT32_MAX && k >= pi->restart_from
                                    ? NULL
                                    : row_step(row, k);
        bool skipped_now = pi->skip_failed_step && sr && sr->status == RT_SS_FAILED;
        bool again = redo && redo_from != UINT32_MAX && k <= redo_from;
        if (again && k < redo_from)
            continue; /* committed by an earlier group, reported then */
        run->cur_step = k;
        if (again) {
            /* the step where the redone group began: started already */
            vx_clear_fail(run);
            vx_status rc = run_step(run, m, mode, st, k, nsteps, sr);
            if (rc != VX_OK)
                return rc;
            vm_event e = vx_ev(VM_EV_STEP_DONE, m);
            e.st = st;
            e.step = k + 1;
            e.nsteps = nsteps;
            vx_emit(run, &e);
            continue;
        }
        if (sr && (sr->status == RT_SS_DONE || sr->status == RT_SS_SKIPPED || skipped_now)) {
            vm_event e = vx_ev(VM_EV_STEP_SKIP, m);
            e.st = st;
            e.step = k + 1;
            e.nsteps = nsteps;
            e.message = sr->status == RT_SS_DONE ? "done in an earlier run" : "marked skipped";
            vx_emit(run, &e);
            continue;
        }
        char buf[96];
        const char *why = run->dry ? NULL : vx_pause_reason(run, buf);
        if (why)
            return vx_pause_migration(run, m, why);
        vm_event e = vx_ev(VM_EV_STEP_START, m);
        e.st = st;
        e.step = k + 1;
        e.nsteps = nsteps;
        vx_emit(run, &e);
        vx_clear_fail(run);
        vx_status rc = (st->flags & VM_STEP_BACKFILL) ? vx_run_backfill(run, m, st, k, nsteps, sr)
                                                      : run_step(run, m, mode, st, k, nsteps, sr);
        if (rc != VX_OK)
            return rc;
        e.kind = VM_EV_STEP_DONE;
        vx_emit(run, &e);
    }
    if (!run->dry) {
        /* deferred with its steps when its row is (or in a fast group) */
        bool defer = vx_deferred_mig(run, m->id) ||
                     (run->fast && (run->txddl ? run->grp_open && !run->careful
                                               : run->nmw || run->nsw));
        if (defer ? vx_defer_mig(run, m, false, RT_MS_APPLIED)
                  : rt_state_mig_set(run->c, m->id, RT_MS_APPLIED, NULL, NULL, run->d))
            return VX_ERROR;
    }
    ev = vx_ev(VM_EV_MIGRATION_DONE, m);
    ev.nsteps = nsteps;
    vx_emit(run, &ev);
    run->r->applied++;
    return VX_OK;
}

/* ------------------------------------------------------------ planning */

/* Block every migration that depends (transitively) on a held or failed
 * one.  The plan is in topological order, so one pass suffices; pos maps a
 * migration (index in b->migs) to its plan position (or SIZE_MAX). */
static void block_dependents(const vm_bundle *b, plan_item *plan, size_t n, const bool *bad,
                             const size_t *pos)
{
    bool any = false;
    for (size_t i = 0; i < n && !any; i++)
        any = bad[i];
    if (!any)
        return;
    bool *blocked = calloc(n ? n : 1, sizeof *blocked);
    if (!blocked)
        return;
    for (size_t i = 0; i < n; i++) {
        blocked[i] = bad[i];
        for (uint32_t j = 0; plan[i].m && j < plan[i].m->ndepends && !blocked[i]; j++) {
            const vm_migration *dm = vx_find(b, plan[i].m->depends_on[j]);
            size_t x = dm ? pos[dm - b->migs] : SIZE_MAX;
            if (x < i && blocked[x])
                blocked[i] = true;
        }
        if (blocked[i] && !bad[i] && plan[i].kind != PL_NONE)
            plan[i].kind = PL_BLOCKED;
    }
    free(blocked);
}

/*
 * The fingerprint check of §10.3: every step the database has as done must
 * be the bundle's step at that position (from restart_from on, rows are
 * cleared, so they do not count).  One vm.fingerprint-mismatch (exit 4) per
 * step that differs.  Returns the number of mismatches.
 */
static size_t check_fingerprints(vx_run *run, const plan_item *pi)
{
    const vm_script *sc = &pi->m->up[run->cd];
    size_t bad = 0;
    for (size_t i = 0; pi->row && i < pi->row->nsteps; i++) {
        const rt_step_row *sr = &pi->row->steps[i];
        if (sr->status != RT_SS_DONE || sr->step_index >= pi->restart_from)
            continue;
        const vm_step *st = sr->step_index < sc->nsteps ? &sc->steps[sr->step_index] : NULL;
        if (st && sr->op_fingerprint && strcmp(st->fingerprint, sr->op_fingerprint) == 0)
            continue;
        char *w = where_of(pi->m, st, sr->step_index + 1);
        jy_diag *g;
        if (st)
            g = jy_diag_where(run->d, JY_SEV_ERROR, JY_EXIT_VERIFY, "vm.fingerprint-mismatch", w,
                              "step %" PRIu32 " is done in the database (%s) but the migration "
                              "now has a different step %" PRIu32 " (%s): an applied step was "
                              "edited; nothing was run",
                              sr->step_index + 1, sr->op_kind ? sr->op_kind : "?",
                              sr->step_index + 1, st->op_kind);
        else
            g = jy_diag_where(run->d, JY_SEV_ERROR, JY_EXIT_VERIFY, "vm.fingerprint-mismatch", w,
                              "step %" PRIu32 " (%s) is done in the database but the migration "
                              "now has only %" PRIu32 " steps; nothing was run",
                              sr->step_index + 1, sr->op_kind ? sr->op_kind : "?", sc->nsteps);
        if (g)
            jy_diag_hint(g, "restore the step as it was applied (edit only the failed step and "
                            "those after it), or rerun the whole migration with "
                            "`apply --on-failure=restart`");
        free(w);
        bad++;
    }
    return bad;
}

static void finish(vx_run *run, int code)
{
    run->r->exit_code = code;
    vm_event ev = vx_ev(VM_EV_FINISH, NULL);
    ev.exit_code = code;
    vx_emit(run, &ev);
}


/* Does m depend on dep, directly or through other migrations? */
static bool depends_on_mig(const vm_bundle *b, const vm_migration *m, const char *dep,
                           unsigned depth)
{
    if (depth > 64 || !m)
        return false;
    for (uint32_t k = 0; k < m->ndepends; k++)
        if (strcmp(m->depends_on[k], dep) == 0 ||
            depends_on_mig(b, vx_find(b, m->depends_on[k]), dep, depth + 1))
            return true;
    return false;
}

/*
 * The out-of-order gate (issue 5, docs/SPEC.md "Apply-time safety"): every
 * pending migration P before the last started one in apply order is checked
 * against each started migration S after it that does not depend on it;
 * one vm.out-of-order-conflict diagnostic (exit 4) per pair that does not
 * commute.  Returns the number of conflicts.
 */
static size_t out_of_order_conflicts(const vm_bundle *b, const plan_item *plan, size_t n,
                                     jy_diags *d)
{
    size_t last = n;
    for (size_t i = 0; i < n; i++)
        if (plan[i].m && plan[i].row && plan[i].row->status != RT_MS_PENDING)
            last = i;
    if (last == n)
        return 0;
    jy_arena *ea = NULL;
    size_t conflicts = 0;
    for (size_t i = 0; i < last; i++) {
        const rt_mig_row *pr = plan[i].row;
        if (!plan[i].m || (pr && pr->status != RT_MS_PENDING))
            continue;
        if (!ea && !(ea = jy_arena_new()))
            return 0;
        ir_effects *pe = ir_effects_from_strings(plan[i].m->effects, plan[i].m->neffects, ea);
        if (!pe)
            continue;
        pe->migration = plan[i].m->id;
        for (size_t j = i + 1; j <= last; j++) {
            const rt_mig_row *sr = plan[j].row;
            if (!plan[j].m || !sr || sr->status == RT_MS_PENDING ||
                depends_on_mig(b, plan[j].m, plan[i].m->id, 0))
                continue;
            ir_effects *se = ir_effects_from_strings(plan[j].m->effects, plan[j].m->neffects, ea);
            if (!se)
                continue;
            se->migration = plan[j].m->id;
            ir_conflict k;
            if (!ir_effects_conflict(pe, se, ea, &k))
                continue;
            jy_diag *g = jy_diag_where(
                d, JY_SEV_ERROR, JY_EXIT_VERIFY, "vm.out-of-order-conflict", plan[i].m->id,
                "%s is pending but comes before %s, which is already applied, and they do not "
                "commute (%s): %s. %s",
                plan[i].m->id, plan[j].m->id, ir_conflict_kind_name(k.kind),
                k.message ? k.message : "", k.why ? k.why : "");
            if (g && k.fix)
                jy_diag_hint(g, "%s", k.fix);
            conflicts++;
        }
    }
    jy_arena_free(ea);
    return conflicts;
}

static int apply_run(vx_run *run, const vm_apply_opts *o, rt_state *st)
{
    const vm_bundle *b = run->b;
    jy_diags *d = run->d;
    const uint32_t *order = b->order[run->cd];
    size_t n = b->norder[run->cd];
    size_t limit = n;
    if (o->target) {
        size_t t = n;
        for (size_t i = 0; i < n; i++)
            if (order[i] < b->nmigs && strcmp(b->migs[order[i]].id, o->target) == 0)
                t = i;
        if (t == n) {
            jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.unknown-target", NULL,
                                       "--target=%s: no such migration for %s in the bundle",
                                       o->target, ir_dialect_name(run->cd));
            if (g)
                jy_diag_hint(g, "`joryu status` lists the migrations in apply order");
            return -1;
        }
        limit = t + 1;
    }
    plan_item *plan = calloc(n ? n : 1, sizeof *plan);
    bool *bad = calloc(n ? n : 1, sizeof *bad);
    size_t *pos = malloc((b->nmigs ? b->nmigs : 1) * sizeof *pos);
    if (!plan || !bad || !pos) {
        free(plan);
        free(bad);
        free(pos);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.out-of-memory", NULL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < b->nmigs; i++)
        pos[i] = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        if (order[i] < b->nmigs)
            pos[order[i]] = i;
    /* 1. the checksum gate (every applied migration the bundle knows) */
    size_t mismatches = 0;
    for (size_t i = 0; i < n; i++) {
        if (order[i] >= b->nmigs)
            continue;
        const vm_migration *m = &b->migs[order[i]];
        plan[i].m = m;
        plan[i].row = rt_state_find(st, m->id);
        plan[i].restart_from = UINT32_MAX;
        const rt_mig_row *row = plan[i].row;
        if (row && row->status == RT_MS_APPLIED && row->checksum &&
            strcmp(row->checksum, m->checksum) != 0) {
            jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_VERIFY, "vm.checksum-mismatch", m->id,
                                       "migration %s was applied with checksum %s; its file now "
                                       "has checksum %s: an applied migration was edited",
                                       m->id, row->checksum, m->checksum);
            if (g)
                jy_diag_hint(g, "undo the edit (write a new migration for the change), or, if the "
                                "edit changes nothing in the database, record it with "
                                "`joryu repair %s`",
                             m->id);
            mismatches++;
        }
    }
    int rc = 0;
    if (mismatches) {
        finish(run, JY_EXIT_VERIFY);
        goto out;
    }
    /* 1b. out of order: a pending migration that comes before started ones
     * runs only when it commutes with each of them (their effects travel in
     * the bundle); otherwise nothing runs, exit 4, with verify's sentences */
    if (out_of_order_conflicts(b, plan, n, d)) {
        finish(run, JY_EXIT_VERIFY);
        goto out;
    }
    /* 2. what to do with each migration */
    size_t fp_bad = 0, held_failed = 0, held_paused = 0;
    for (size_t i = 0; i < n; i++) {
        plan_item *pi = &plan[i];
        if (!pi->m || i >= limit) {
            pi->kind = PL_NONE;
            continue;
        }
        const rt_mig_row *row = pi->row;
        rt_mig_status s = row ? row->status : RT_MS_NONE;
        switch (s) {
        case RT_MS_APPLIED: pi->kind = PL_NONE; break;
        case RT_MS_NONE: pi->kind = PL_FRESH; break;
        case RT_MS_PENDING: pi->kind = PL_RESUME; break;
        case RT_MS_RUNNING:
        case RT_MS_PAUSED: pi->kind = o->no_resume ? PL_HELD_PAUSED : PL_RESUME; break;
        case RT_MS_FAILED: {
            int choice = o->no_resume ? VM_ONFAIL_ABORT : (int)o->on_failure;
            uint32_t from = 1;
            if (choice == VM_ONFAIL_ASK)
                choice = run->dry || !o->ask ? VM_ONFAIL_RESUME : o->ask(o->ask_ctx, pi->m, row, &from);
            if (choice == VM_ONFAIL_RESTART) {
                pi->kind = PL_RESUME;
                pi->restart_from = from ? from - 1 : 0;
                if (pi->restart_from > pi->m->up[run->cd].nsteps)
                    pi->restart_from = 0;
            } else if (choice == VM_ONFAIL_SKIP_STEP) {
                pi->kind = PL_RESUME;
                pi->skip_failed_step = true;
            } else if (choice == VM_ONFAIL_RESUME) {
                pi->kind = PL_RESUME;
            } else {
                pi->kind = PL_HELD_FAILED;
            }
            break;
        }
        }
        if (pi->kind == PL_RESUME)
            fp_bad += check_fingerprints(run, pi);
        if (pi->kind == PL_HELD_FAILED) {
            held_failed++;
            bad[i] = true;
        }
        if (pi->kind == PL_HELD_PAUSED)
            held_paused++;
    }
    /* failed rows the bundle does not know hold the run as well */
    size_t unknown_failed = 0;
    for (size_t i = 0; i < st->n; i++) {
        const rt_mig_row *row = &st->migs[i];
        if ((row->status == RT_MS_FAILED || row->status == RT_MS_PAUSED) &&
            !vx_find(b, row->id)) {
            jy_diag *g = jy_diag_where(d, JY_SEV_ERROR,
                                       row->status == RT_MS_FAILED ? JY_EXIT_FAILED : JY_EXIT_PAUSED,
                                       "vm.halted", row->id,
                                       "migration %s is %s in the database but not in this bundle",
                                       row->id, rt_mig_status_name(row->status));
            if (g)
                jy_diag_hint(g, "apply with a bundle that has it, or settle it with `joryu mark %s "
                                "--as=applied|pending`",
                             row->id);
            if (row->status == RT_MS_FAILED)
                unknown_failed++;
            else
                held_paused++;
        }
    }
    if (fp_bad) {
        finish(run, JY_EXIT_VERIFY);
        goto out;
    }
    bool cpf = o->continue_past_failed;
    if ((held_failed && !cpf) || unknown_failed || held_paused) {
        for (size_t i = 0; i < n; i++) {
            if (plan[i].kind != PL_HELD_FAILED && plan[i].kind != PL_HELD_PAUSED)
                continue;
            bool f = plan[i].kind == PL_HELD_FAILED;
            if (f && cpf)
                continue;
            jy_diag *g = jy_diag_where(
                d, JY_SEV_ERROR, f ? JY_EXIT_FAILED : JY_EXIT_PAUSED, "vm.halted", plan[i].m->id,
                "migration %s is %s%s: nothing was applied", plan[i].m->id,
                plan[i].row ? rt_mig_status_name(plan[i].row->status) : "failed",
                o->no_resume ? " and --no-resume was given" : "");
            if (g)
                jy_diag_hint(g, f ? "see `joryu status`; fix the cause and run apply (it resumes), "
                                    "or run the migrations that do not depend on it with "
                                    "--continue-past-failed"
                                  : "run apply without --no-resume to resume it");
        }
        if ((held_failed && !cpf) || unknown_failed || held_paused) {
            finish(run, (held_failed && !cpf) || unknown_failed ? JY_EXIT_FAILED : JY_EXIT_PAUSED);
            goto out;
        }
    }
    block_dependents(b, plan, n, bad, pos);
    /* 3. run */
    size_t todo = 0;
    for (size_t i = 0; i < n; i++)
        todo += plan[i].kind == PL_FRESH || plan[i].kind == PL_RESUME;
    vm_event pe = vx_ev(VM_EV_PLAN, NULL);
    pe.n = todo;
    vx_emit(run, &pe);
    int code = JY_EXIT_OK;
    bool redo = false;
    uint32_t redo_from = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        if (plan[i].kind != PL_FRESH && plan[i].kind != PL_RESUME)
            continue;
        run->cur_plan = i;
        vx_status s = run_migration(run, &plan[i], redo, redo_from);
        redo = false;
        redo_from = UINT32_MAX;
        if (s == VX_RETRY) {
            /* a statement of the fast group failed: roll the group back
               and redo it carefully from where it began */
            bool state_lost = run->grp_state;
            vx_grp_rollback(run);
            /* the state tables were created in that group: again, alone */
            if (state_lost && rt_state_ensure(run->c, d)) {
                rc = -1;
                goto out;
            }
            *run->r = run->grp_r;
            run->progressed = run->grp_progressed;
            run->ev_skip = run->grp_events;
            run->careful = true;
            vx_clear_fail(run);
            redo = true;
            redo_from = run->grp_step;
            i = run->grp_plan - 1; /* wraps for 0: the loop's i++ undoes it */
            continue;
        }
        if (s == VX_ERROR) {
            vx_grp_rollback(run);
            rc = -1;
            goto out;
        }
        if (s == VX_PAUSED) {
            code = JY_EXIT_PAUSED;
            break;
        }
        if (s == VX_FAILED) {
            code = JY_EXIT_FAILED;
            if (!cpf)
                break;
            bad[i] = true;
            block_dependents(b, plan, n, bad, pos);
        }
    }
    if (!run->dry && vx_grp_commit(run)) {
        rc = -1;
        goto out;
    }
    if (code == JY_EXIT_OK && held_failed)
        code = JY_EXIT_FAILED; /* --continue-past-failed: the failed ones remain */
    if (code == JY_EXIT_PAUSED && run->r->failed)
        code = JY_EXIT_FAILED;
    finish(run, code);
out:
    free(plan);
    free(bad);
    free(pos);
    return rc;
}

int vm_apply(rt_conn *c, const vm_bundle *b, const vm_apply_opts *o, vm_result *r, jy_diags *d)
{
    memset(r, 0, sizeof *r);
    r->exit_code = JY_EXIT_ERROR;
    vx_run run;
    memset(&run, 0, sizeof run);
    run.c = c;
    run.b = b;
    run.d = d;
    run.r = r;
    run.conn_d = rt_conn_dialect(c);
    run.txddl = run.conn_d == IR_D_POSTGRESQL || run.conn_d == IR_D_SQLITE;
    run.dry = o->dry_run;
    run.fast = !o->dry_run;
    run.t0 = vx_now();
    run.max_duration = o->max_duration;
    run.interrupt = o->interrupt;
    run.kill_at = o->dry_run ? 0 : o->kill_at;
    run.progress = o->progress;
    run.pctx = o->progress_ctx;
    if (vx_code_dialect(b, run.conn_d, &run.cd, d))
        return -1;
    bool locked = false;
    if (run.dry) {
        if (rt_set_read_only(c, d))
            return -1;
    } else {
        if (rt_lock_acquire(c, o->lock_timeout, d))
            return -1;
        locked = true;
    }
    rt_state st;
    memset(&st, 0, sizeof st);
    int rc = rt_state_load_unfinished(c, &st, d);
    if (rc == 0 && !run.dry) {
        /* No state tables where DDL is transactional: they are created in
           the transaction of the first commit group (one commit fewer); a
           crash before it commits loses them with the group, and the next
           run creates them again. */
        if (run.txddl && !st.exists) {
            rc = rt_begin(c, d);
            run.grp_open = run.grp_adopt = run.grp_state = rc == 0;
            run.grp_t0 = vx_now();
        }
        if (rc == 0 && !st.ready) /* the read's catalog query found all */
            rc = rt_state_ensure(c, d);
    }
    if (rc == 0)
        rc = apply_run(&run, o, &st);
    /* a run that ended before its first group (an error, a refusal)
       leaves the adopted transaction open */
    if (run.grp_open) {
        if (rc == 0 && vx_grp_commit(&run))
            rc = -1;
        vx_grp_rollback(&run);
    }
    rt_state_free(&st);
    vx_clear_fail(&run);
    vx_run_free(&run);
    if (locked && rt_lock_release(c, rc ? NULL : d))
        rc = -1;
    if (rc)
        r->exit_code = JY_EXIT_ERROR;
    return rc;
}
