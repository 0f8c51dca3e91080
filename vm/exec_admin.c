/*
 * exec_admin.c - the VM's other entry points: vm_down (downgrades in
 * reverse apply order), vm_mark (the manual transitions of reference §9.2)
 * and vm_repair (record a new checksum).  vm_status_read is in
 * exec_status.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_int.h"

/* mark and repair wait this long for an apply that holds the lock. */
#define VX_ADMIN_LOCK_SECONDS 10.0

static void finish(vx_run *run, int code)
{
    run->r->exit_code = code;
    vm_event ev = vx_ev(VM_EV_FINISH, NULL);
    ev.exit_code = code;
    vx_emit(run, &ev);
}

/* ------------------------------------------------------------ down */

/*
 * A downgrade failed at 0-based step k after its first `undone` steps were
 * committed (they ran outside a transaction, or before one that had to):
 * the database is no longer what "applied" says.  Record the truth in one
 * transaction: the migration `failed` with last_error VX_DOWN_PREFIX...
 * (exec_int.h; vx_down_stopped parses it back), its step rows deleted (the
 * upgrade's `done` rows no longer hold: a later apply redoes every step
 * with its guard).  down resumes at step undone+1.
 */
static vx_status record_down_failure(vx_run *run, const vm_migration *m, const vm_step *st,
                                     uint32_t k, uint32_t nsteps, uint32_t undone)
{
    const char *msg = run->fail_msg ? run->fail_msg : "unknown error";
    jy_buf le;
    jy_buf_init(&le);
    jy_buf_printf(&le, VX_DOWN_PREFIX "%" PRIu32 " of %" PRIu32 " steps: step %" PRIu32
                       " (%s): %s",
                  undone, nsteps, k + 1, st->op_kind, msg);
    if (run->fail_sql && *run->fail_sql)
        jy_buf_printf(&le, "\nstatement: %s", run->fail_sql);
    int rc = le.failed ? -1 : rt_begin(run->c, run->d);
    if (rc == 0) {
        rc = rt_state_steps_delete(run->c, m->id, 0, run->d);
        if (rc == 0)
            rc = rt_state_mig_set(run->c, m->id, RT_MS_FAILED, le.data, NULL, run->d);
        if (rc == 0)
            rc = rt_commit(run->c, run->d);
        else
            rt_rollback(run->c, NULL);
    }
    jy_buf_free(&le);
    return rc ? VX_ERROR : VX_FAILED;
}

/*
 * Undo one migration: its downgrade steps (guards, statements), then its
 * state rows.  Where DDL is transactional and the migration is not
 * transaction_mode=none, all of it is one transaction (a step that must run
 * outside one splits it).  Steps before `from` (0-based) were undone and
 * committed by an earlier down that stopped half way: they are passed over.
 * A failure after some steps committed is recorded (record_down_failure);
 * one with nothing committed leaves the migration applied.  VX_OK,
 * VX_FAILED (diagnostic vm.down-failed), or VX_ERROR.
 */
static vx_status down_one(vx_run *run, const vm_migration *m, uint32_t from)
{
    const vm_script *sc = &m->down[run->cd];
    bool tx = run->txddl && m->tx_mode != IR_TX_NONE && !run->dry;
    vm_event ev = vx_ev(VM_EV_MIGRATION_START, m);
    ev.nsteps = sc->nsteps;
    vx_emit(run, &ev);
    if (tx && vx_grp_begin(run))
        return VX_ERROR;
    uint32_t durable = from; /* down steps whose effects are committed */
    for (uint32_t k = 0; k < sc->nsteps; k++) {
        const vm_step *st = &sc->steps[k];
        if (k < from) {
            vm_event e = vx_ev(VM_EV_STEP_SKIP, m);
            e.st = st;
            e.step = k + 1;
            e.nsteps = sc->nsteps;
            e.message = "undone in an earlier run";
            vx_emit(run, &e);
            continue;
        }
        vm_event e = vx_ev(VM_EV_STEP_START, m);
        e.st = st;
        e.step = k + 1;
        e.nsteps = sc->nsteps;
        vx_emit(run, &e);
        bool notx = (st->flags & VM_STEP_NO_TX) != 0;
        if (tx && notx) {
            if (vx_grp_commit(run))
                return VX_ERROR;
            durable = k;
        }
        bool own = !run->txddl && !run->dry && m->tx_mode != IR_TX_NONE && !notx;
        if (own && rt_begin(run->c, run->d))
            return VX_ERROR;
        bool skipped = false;
        vx_clear_fail(run);
        vx_status rc = (st->flags & VM_STEP_BACKFILL) ? VX_OK
                                                      : vx_step_body(run, m, st, k + 1, sc->nsteps,
                                                                     VX_BODY_ALL, &skipped, NULL);
        if (rc != VX_OK) {
            if (own)
                rt_rollback(run->c, NULL);
            else if (!notx)
                vx_grp_rollback(run);
            else if (run->conn_d == IR_D_SQLITE) {
                rt_exec(run->c, "ROLLBACK", NULL);
                rt_exec(run->c, "PRAGMA foreign_keys = ON", NULL);
            }
            const char *msg = run->fail_msg ? run->fail_msg : "unknown error";
            jy_diag *g;
            if (run->fail_sql && *run->fail_sql)
                g = jy_diag_where(run->d, JY_SEV_ERROR, JY_EXIT_FAILED, "vm.down-failed", m->id,
                                  "downgrade of migration %s, step %" PRIu32 " (%s): %s; statement: %s",
                                  m->id, k + 1, st->op_kind, msg, run->fail_sql);
            else
                g = jy_diag_where(run->d, JY_SEV_ERROR, JY_EXIT_FAILED, "vm.down-failed", m->id,
                                  "downgrade of migration %s, step %" PRIu32 " (%s): %s", m->id,
                                  k + 1, st->op_kind, msg);
            bool half = durable > 0 && !run->dry;
            if (g && half) {
                char done[48];
                if (durable == 1)
                    snprintf(done, sizeof done, "step 1 is");
                else
                    snprintf(done, sizeof done, "steps 1-%" PRIu32 " are", durable);
                jy_diag_hint(g, "the downgrade stopped half way: %s undone and committed (%s), "
                                "so the migration is recorded failed; fix the cause and run down "
                                "again (it continues at step %" PRIu32 "), or run apply to redo "
                                "the migration",
                             done,
                             run->txddl ? "a step ran outside a transaction"
                                        : "DDL commits by itself on MySQL/MariaDB",
                             durable + 1);
            }
            else if (g)
                jy_diag_hint(g, run->txddl ? "the migration stays applied (its downgrade was "
                                             "rolled back); fix the cause and run down again"
                                           : "the migration stays applied (no step of its "
                                             "downgrade completed); fix the cause and run down "
                                             "again (guards skip what is already undone)");
            vm_event f = vx_ev(VM_EV_MIGRATION_FAILED, m);
            f.st = st;
            f.step = k + 1;
            f.nsteps = sc->nsteps;
            f.message = msg;
            f.sql = run->fail_sql;
            vx_emit(run, &f);
            run->r->failed++;
            if (half)
                return record_down_failure(run, m, st, k, sc->nsteps, durable);
            return VX_FAILED;
        }
        if (own && rt_commit(run->c, run->d))
            return VX_ERROR;
        if (!tx || notx)
            durable = k + 1; /* committed: its own transaction, or none */
        if (tx && notx && vx_grp_begin(run))
            return VX_ERROR;
        if (skipped)
            run->r->skipped_steps++;
        e.kind = VM_EV_STEP_DONE;
        vx_emit(run, &e);
    }
    if (!run->dry) {
        if (rt_state_mig_delete(run->c, m->id, run->d))
            return VX_ERROR;
        if (vx_grp_commit(run))
            return VX_ERROR;
    }
    ev = vx_ev(VM_EV_MIGRATION_DONE, m);
    ev.nsteps = sc->nsteps;
    vx_emit(run, &ev);
    run->r->applied++;
    return VX_OK;
}

static int down_run(vx_run *run, const vm_down_opts *o, const rt_state *st)
{
    const vm_bundle *b = run->b;
    jy_diags *d = run->d;
    const uint32_t *order = b->order[run->cd];
    size_t n = b->norder[run->cd];
    size_t stop = 0; /* undo order positions >= stop */
    if (o->to) {
        size_t t = n;
        for (size_t i = 0; i < n; i++)
            if (order[i] < b->nmigs && strcmp(b->migs[order[i]].id, o->to) == 0)
                t = i;
        if (t == n) {
            jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.unknown-target", NULL,
                                       "--to=%s: no such migration for %s in the bundle", o->to,
                                       ir_dialect_name(run->cd));
            if (g)
                jy_diag_hint(g, "`joryu status` lists the migrations in apply order");
            return -1;
        }
        stop = t + 1;
    }
    const vm_migration **todo = calloc(n ? n : 1, sizeof *todo);
    uint32_t *from = calloc(n ? n : 1, sizeof *from);
    if (!todo || !from) {
        free(todo);
        free(from);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.out-of-memory", NULL, "out of memory");
        return -1;
    }
    /* what to undo: applied migrations, and one whose downgrade stopped half
       way (it continues where it stopped) */
    size_t nt = 0;
    uint32_t want = o->steps ? o->steps : 1;
    for (size_t i = n; i-- > stop;) {
        if (order[i] >= b->nmigs)
            continue;
        const vm_migration *m = &b->migs[order[i]];
        const rt_mig_row *row = rt_state_find(st, m->id);
        uint32_t undone = 0, nrec;
        bool resume = vx_down_stopped(row, &undone, &nrec);
        if (!row || (row->status != RT_MS_APPLIED && !resume))
            continue;
        if (!o->to && nt >= want)
            break;
        const vm_script *sc = &m->down[run->cd];
        from[nt] = resume ? (undone < sc->nsteps ? undone : sc->nsteps) : 0;
        todo[nt++] = m;
    }
    /* any other failed, paused or interrupted migration is settled first */
    bool halted_failed = false, halted = false;
    for (size_t i = 0; i < st->n; i++) {
        rt_mig_status s = st->migs[i].status;
        if (s != RT_MS_FAILED && s != RT_MS_PAUSED && s != RT_MS_RUNNING)
            continue;
        bool selected = false;
        for (size_t k = 0; k < nt && !selected; k++)
            selected = strcmp(todo[k]->id, st->migs[i].id) == 0;
        if (selected)
            continue;
        uint32_t undone, nrec;
        bool half = vx_down_stopped(&st->migs[i], &undone, &nrec);
        jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, s == RT_MS_FAILED ? JY_EXIT_FAILED : JY_EXIT_PAUSED,
                                   "vm.down-halted", st->migs[i].id,
                                   "migration %s is %s%s: nothing was undone", st->migs[i].id,
                                   rt_mig_status_name(s),
                                   half ? " (its downgrade stopped half way)" : "");
        if (g && half)
            jy_diag_hint(g, "include it in what down undoes (it continues where it stopped), "
                            "or redo it with apply");
        else if (g)
            jy_diag_hint(g, "finish it with apply, or settle it with `joryu mark %s --as=...`, "
                            "then run down",
                         st->migs[i].id);
        halted = true;
        halted_failed |= s == RT_MS_FAILED;
    }
    if (halted) {
        free(todo);
        free(from);
        finish(run, halted_failed ? JY_EXIT_FAILED : JY_EXIT_PAUSED);
        return 0;
    }
    /* refuse before undoing anything when one of them cannot be undone */
    bool irr = false;
    for (size_t i = 0; i < nt; i++) {
        const vm_script *sc = &todo[i]->down[run->cd];
        if (sc->present && !sc->irreversible)
            continue;
        jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_FAILED, "vm.irreversible", todo[i]->id,
                                   "migration %s cannot be downgraded: %s; nothing was undone",
                                   todo[i]->id,
                                   sc->reason ? sc->reason : "it has no downgrade for this dialect");
        if (g)
            jy_diag_hint(g, "write a @joryu.downgrade for it, or stop above it with --to=%s",
                         todo[i]->id);
        irr = true;
        break;
    }
    if (irr) {
        free(todo);
        free(from);
        finish(run, JY_EXIT_FAILED);
        return 0;
    }
    vm_event pe = vx_ev(VM_EV_PLAN, NULL);
    pe.n = nt;
    vx_emit(run, &pe);
    int code = JY_EXIT_OK, rc = 0;
    for (size_t i = 0; i < nt; i++) {
        char buf[96];
        const char *why = run->dry ? NULL : vx_pause_reason(run, buf);
        if (why) {
            vm_event p = vx_ev(VM_EV_PAUSED, todo[i]);
            p.message = why;
            vx_emit(run, &p);
            code = JY_EXIT_PAUSED;
            break;
        }
        vx_status s = down_one(run, todo[i], from[i]);
        if (s == VX_ERROR) {
            vx_grp_rollback(run);
            rc = -1;
            break;
        }
        if (s == VX_FAILED) {
            code = JY_EXIT_FAILED;
            break;
        }
    }
    free(todo);
    free(from);
    if (rc == 0)
        finish(run, code);
    return rc;
}

int vm_down(rt_conn *c, const vm_bundle *b, const vm_down_opts *o, vm_result *r, jy_diags *d)
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
    run.t0 = vx_now();
    run.interrupt = o->interrupt;
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
    int rc = rt_state_load(c, &st, d);
    if (rc == 0)
        rc = down_run(&run, o, &st);
    rt_state_free(&st);
    vx_clear_fail(&run);
    if (locked && rt_lock_release(c, rc ? NULL : d))
        rc = -1;
    if (rc)
        r->exit_code = JY_EXIT_ERROR;
    return rc;
}

/* ------------------------------------------------------------ mark, repair */

/* Lock, create and read the state: 0, or -1 (nothing held). */
static int admin_open(rt_conn *c, rt_state *st, jy_diags *d)
{
    memset(st, 0, sizeof *st);
    if (rt_lock_acquire(c, VX_ADMIN_LOCK_SECONDS, d))
        return -1;
    if (rt_state_ensure(c, d) || rt_state_load(c, st, d)) {
        rt_state_free(st);
        rt_lock_release(c, NULL);
        return -1;
    }
    return 0;
}

static jy_diag *mark_invalid(jy_diags *d, const char *id, const char *fmt, const char *a,
                             const char *b)
{
    return jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.mark-invalid", id, fmt, a, b);
}

static int unknown_mig(jy_diags *d, const char *id)
{
    jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.unknown-migration", NULL,
                               "no migration %s in the bundle or the database", id);
    if (g)
        jy_diag_hint(g, "`joryu status` lists the migrations");
    return -1;
}

/* The migration-level transitions of §9.2 (writes inside the caller's tx). */
static int mark_migration(rt_conn *c, const vm_migration *m, const rt_mig_row *row, const char *id,
                          const char *as, const char *reason, jy_diags *d)
{
    rt_mig_status cur = row ? row->status : RT_MS_NONE;
    const char *dname = ir_dialect_name(rt_conn_dialect(c));
    if (!strcmp(as, "applied")) {
        if (!m)
            return unknown_mig(d, id);
        if (cur == RT_MS_APPLIED)
            return 0;
        if (!row ? rt_state_mig_begin(c, id, m->checksum, dname, d)
                 : rt_state_mig_set_checksum(c, id, m->checksum, d))
            return -1;
        for (size_t i = 0; row && i < row->nsteps; i++) {
            rt_step_status s = row->steps[i].status;
            if (s != RT_SS_DONE && s != RT_SS_SKIPPED &&
                rt_state_step_set(c, id, row->steps[i].step_index, RT_SS_SKIPPED, NULL, d))
                return -1;
        }
        return rt_state_mig_set(c, id, RT_MS_APPLIED, NULL, NULL, d);
    }
    if (!strcmp(as, "pending")) {
        if (!row) {
            if (!m)
                return unknown_mig(d, id);
            if (rt_state_mig_begin(c, id, m->checksum, dname, d))
                return -1;
        }
        if (rt_state_steps_delete(c, id, 0, d))
            return -1;
        return rt_state_mig_set(c, id, RT_MS_PENDING, NULL, NULL, d);
    }
    if (!strcmp(as, "failed") || !strcmp(as, "paused")) {
        bool paused = as[0] == 'p';
        if (cur == RT_MS_NONE) {
            jy_diag *g = mark_invalid(d, id, "migration %s has not run: it cannot be marked %s", id, as);
            if (g)
                jy_diag_hint(g, "mark it applied or pending instead");
            return -1;
        }
        if (cur == RT_MS_APPLIED) {
            jy_diag *g = mark_invalid(d, id, "migration %s is applied: it cannot be marked %s", id, as);
            if (g)
                jy_diag_hint(g, "to re-run part of it, mark a step pending (`joryu mark %s.<step> "
                                "--as=pending`): the migration becomes failed",
                             id);
            return -1;
        }
        if (paused && (!reason || !*reason)) {
            jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.mark-reason-required", id,
                                       "--as=paused needs --reason=\"...\"");
            if (g)
                jy_diag_hint(g, "say why it is paused, e.g. --reason=\"waiting for the replica\"");
            return -1;
        }
        if (paused)
            return rt_state_mig_set(c, id, RT_MS_PAUSED, NULL, reason, d);
        return rt_state_mig_set(c, id, RT_MS_FAILED,
                                reason && *reason ? reason : "marked failed with joryu mark", NULL, d);
    }
    jy_diag *g = mark_invalid(d, id, "cannot mark migration %s as '%s'", id, as);
    if (g)
        jy_diag_hint(g, "a migration can be marked applied, pending, failed or paused; a step "
                        "(<id>.<step>) done, pending or skipped");
    return -1;
}

static int mark_step(rt_conn *c, ir_dialect cd, const vm_migration *m, const rt_mig_row *row,
                     const char *id, uint32_t step, const char *as, jy_diags *d)
{
    rt_step_status to;
    if (!strcmp(as, "done"))
        to = RT_SS_DONE;
    else if (!strcmp(as, "pending"))
        to = RT_SS_PENDING;
    else if (!strcmp(as, "skipped"))
        to = RT_SS_SKIPPED;
    else {
        jy_diag *g = mark_invalid(d, id, "cannot mark a step of %s as '%s'", id, as);
        if (g)
            jy_diag_hint(g, "a step can be marked done, pending or skipped");
        return -1;
    }
    if (!m)
        return unknown_mig(d, id);
    const vm_script *sc = &m->up[cd];
    if (step > sc->nsteps) {
        char n[32];
        snprintf(n, sizeof n, "%" PRIu32, sc->nsteps);
        jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.unknown-step", id,
                                   "migration %s has %s step%s", id, n, sc->nsteps == 1 ? "" : "s");
        if (g)
            jy_diag_hint(g, "steps count from 1 (`joryu status` lists them)");
        return -1;
    }
    const vm_step *st = &sc->steps[step - 1];
    if (!row) {
        /* keep the mark: the migration gets a row, pending */
        if (rt_state_mig_begin(c, id, m->checksum, ir_dialect_name(rt_conn_dialect(c)), d) ||
            rt_state_mig_set(c, id, RT_MS_PENDING, NULL, NULL, d))
            return -1;
    }
    if (rt_state_step_begin(c, id, step - 1, st->op_kind, st->fingerprint, d) ||
        rt_state_step_set(c, id, step - 1, to, to == RT_SS_PENDING ? "" : NULL, d))
        return -1;
    if (row && row->status == RT_MS_APPLIED && to == RT_SS_PENDING) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "step %" PRIu32 " was marked pending with joryu mark (a manual rewind); "
                 "apply runs it again",
                 step);
        return rt_state_mig_set(c, id, RT_MS_FAILED, msg, NULL, d);
    }
    return 0;
}

int vm_mark(rt_conn *c, const vm_bundle *b, const char *id, uint32_t step, const char *as,
            const char *reason, jy_diags *d)
{
    ir_dialect cd;
    if (vx_code_dialect(b, rt_conn_dialect(c), &cd, d))
        return -1;
    const vm_migration *m = vx_find(b, id);
    rt_state st;
    if (admin_open(c, &st, d))
        return -1;
    const rt_mig_row *row = rt_state_find(&st, id);
    int rc;
    if (!m && !row)
        rc = unknown_mig(d, id);
    else if (rt_begin(c, d))
        rc = -1;
    else {
        rc = step ? mark_step(c, cd, m, row, id, step, as, d)
                  : mark_migration(c, m, row, id, as, reason, d);
        if (rc == 0)
            rc = rt_commit(c, d);
        else
            rt_rollback(c, NULL);
    }
    rt_state_free(&st);
    if (rt_lock_release(c, rc ? NULL : d))
        rc = -1;
    return rc;
}

/* The step row of a migration row with this 0-based index, or NULL. */
static const rt_step_row *step_row(const rt_mig_row *row, uint32_t k)
{
    for (size_t i = 0; i < row->nsteps; i++)
        if (row->steps[i].step_index == k)
            return &row->steps[i];
    return NULL;
}

/* A note of what repair changed (printed before the CLI's summary). */
static void repair_note(jy_diags *d, const char *id, const char *fmt, uint32_t k, const char *a,
                        const char *b)
{
    jy_diag_where(d, JY_SEV_NOTE, 0, "vm.repair-step", id, fmt, k, a, b);
}

/*
 * Bring the step rows of an applied migration in line with the bundle's
 * code for it (reference §9.2: op_fingerprint detects edits at resume; after
 * repair the recorded steps are the new code's, so a later resume or mark
 * agrees with it).  Only when the migration has step rows at all (a
 * migration marked applied without running has none: nothing to disagree
 * with).  Per step: a row whose op_kind or op_fingerprint differs gets the
 * new ones (status, times and progress kept); a step the migration did not
 * have when it ran gets a `skipped` row (it never ran); rows past the new
 * last step are deleted.  Each change is a vm.repair-step note.  *changed
 * counts them.
 */
static int repair_steps(rt_conn *c, const vm_migration *m, const vm_script *sc,
                        const rt_mig_row *row, size_t *changed, jy_diags *d)
{
    if (row->nsteps == 0)
        return 0;
    for (uint32_t k = 0; k < sc->nsteps; k++) {
        const vm_step *st = &sc->steps[k];
        const rt_step_row *sr = step_row(row, k);
        if (!sr) {
            if (rt_state_step_begin(c, m->id, k, st->op_kind, st->fingerprint, d) ||
                rt_state_step_set(c, m->id, k, RT_SS_SKIPPED, NULL, d))
                return -1;
            repair_note(d, m->id,
                        "step %" PRIu32 " (%s) is new: it never ran, recorded skipped%s", k + 1,
                        st->op_kind, "");
            (*changed)++;
            continue;
        }
        bool kind_same = sr->op_kind && strcmp(sr->op_kind, st->op_kind) == 0;
        bool fp_same = sr->op_fingerprint && strcmp(sr->op_fingerprint, st->fingerprint) == 0;
        if (kind_same && fp_same)
            continue;
        if (rt_state_step_set_code(c, m->id, k, st->op_kind, st->fingerprint, d))
            return -1;
        if (kind_same)
            repair_note(d, m->id, "step %" PRIu32 " (%s): recorded the new fingerprint%s", k + 1,
                        st->op_kind, "");
        else
            repair_note(d, m->id, "step %" PRIu32 " is now %s (was %s): recorded its fingerprint",
                        k + 1, st->op_kind, sr->op_kind ? sr->op_kind : "?");
        (*changed)++;
    }
    for (size_t i = 0; i < row->nsteps; i++) {
        const rt_step_row *sr = &row->steps[i];
        if (sr->step_index < sc->nsteps)
            continue;
        repair_note(d, m->id, "step %" PRIu32 " (%s) is gone from the migration: its record is "
                              "removed%s",
                    sr->step_index + 1, sr->op_kind ? sr->op_kind : "?", "");
        (*changed)++;
    }
    if (row->nsteps && row->steps[row->nsteps - 1].step_index >= sc->nsteps &&
        rt_state_steps_delete(c, m->id, sc->nsteps, d))
        return -1;
    return 0;
}

int vm_repair(rt_conn *c, const vm_bundle *b, const char *id, jy_diags *d)
{
    const vm_migration *m = vx_find(b, id);
    if (!m) {
        jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.unknown-migration", NULL,
                                   "no migration %s in the bundle", id);
        if (g)
            jy_diag_hint(g, "repair records the checksum the bundle has for it");
        return -1;
    }
    ir_dialect cd;
    if (vx_code_dialect(b, rt_conn_dialect(c), &cd, d))
        return -1;
    rt_state st;
    if (admin_open(c, &st, d))
        return -1;
    const rt_mig_row *row = rt_state_find(&st, id);
    int rc = 0;
    if (!row || row->status != RT_MS_APPLIED) {
        jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.repair-not-applied", id,
                                   "migration %s is %s: repair records the checksum of an applied "
                                   "migration only",
                                   id, row ? rt_mig_status_name(row->status) : "not applied");
        if (g)
            jy_diag_hint(g, "a failed or paused migration may change freely: run apply");
        rc = -1;
    } else if (rt_begin(c, d)) {
        rc = -1;
    } else {
        size_t changed = 0;
        if (!row->checksum || strcmp(row->checksum, m->checksum) != 0)
            rc = rt_state_mig_set_checksum(c, id, m->checksum, d);
        if (rc == 0)
            rc = repair_steps(c, m, &m->up[cd], row, &changed, d);
        if (rc == 0)
            rc = rt_commit(c, d);
        else
            rt_rollback(c, NULL);
    }
    rt_state_free(&st);
    if (rt_lock_release(c, rc ? NULL : d))
        rc = -1;
    return rc;
}
