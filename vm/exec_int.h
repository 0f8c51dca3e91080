/*
 * exec_int.h - private to vm/exec*.c: the state of one VM run (apply or
 * down) and the helpers the execution files share.  Nothing outside vm/
 * includes it.
 */
#ifndef JORYU_VM_EXEC_INT_H
#define JORYU_VM_EXEC_INT_H

#include "vm.h"

/* What running one step (or one migration) came to. */
typedef enum {
    VX_OK = 0,     /* done (run or skipped by its guard) */
    VX_FAILED,     /* the database refused: recorded, exit 2 */
    VX_PAUSED,     /* interrupt / max-duration at a boundary: exit 3 */
    VX_ERROR,      /* could not run at all (state write failed...): -1, exit 1 */
    VX_RETRY       /* a statement of a fast commit group failed: the group is
                      rolled back and redone carefully (exec.c) */
} vx_status;

typedef struct vx_run {
    rt_conn *c;
    const vm_bundle *b;
    jy_diags *d;
    ir_dialect cd;           /* the dialect whose code runs */
    ir_dialect conn_d;       /* the connection's dialect (stored in the state rows) */
    bool txddl;              /* DDL is transactional (PostgreSQL, SQLite) */
    bool dry;                /* dry run: read-only, no state writes */
    /* the commit group (transactional DDL only): one transaction spanning
       consecutive steps, a savepoint around each step */
    bool grp_open;
    double grp_t0;
    bool sp_open;            /* the step savepoint of the group is set (it is
                                released when the next one is set) */
    bool grp_adopt;          /* the open transaction is not a group yet: the
                                next vx_grp_begin makes it one (vm_apply) */
    bool grp_state;          /* the open transaction created the state tables:
                                rolling it back drops them */
    /* A fast group (PostgreSQL, SQLite: run.fast and not careful) runs
       fresh steps with no savepoint and defers their state rows (mw, sw),
       written at the group's commit; a failing statement rolls the whole
       group back and it is redone carefully (savepoint per step, state
       rows as they happen) from where it began: migration grp_plan of the
       plan, step grp_step (UINT32_MAX: before the migration's first
       write).  The events the fast attempt emitted (grp_events) are not
       emitted again (ev_skip).  MySQL/MariaDB defer the rows of fresh
       single-statement guarded steps the same way (no group: a lost row
       is the guard's business on resume). */
    bool fast;               /* deferring is allowed in this run */
    bool careful;            /* the open group is a careful redo */
    size_t cur_plan, grp_plan;
    uint32_t cur_step, grp_step;
    uint32_t grp_events, ev_skip;
    vm_result grp_r;         /* the counters when the group began */
    bool grp_progressed;
    rt_state_mig_w *mw;      /* deferred migration rows */
    size_t nmw, cmw;
    rt_state_step_w *sw;     /* deferred step rows (done) */
    size_t nsw, csw;
    double defer_t0;         /* when the oldest deferred row was queued */
    /* pause and kill */
    double t0;
    double max_duration;
    /* statement progress of the current step where DDL commits by itself
       (MySQL/MariaDB): the step's first stmt_skip statements committed in
       an earlier attempt and are not run again; when tolerate_first, the
       first one that runs may have committed before a kill, so an
       "already exists / already gone" error from it means done */
    bool stmt_progress;      /* record {"stmts_done":N} after each DDL statement */
    uint32_t stmt_skip;
    bool tolerate_first;
    uint32_t stmts_committed;/* statements of this attempt known committed */
    const char *cur_id;      /* the migration and 0-based step of the body */
    uint32_t cur_k;
    bool progressed;         /* a step or batch was completed in this run:
                                --max-duration pauses only after one */
    volatile sig_atomic_t *interrupt;
    uint32_t kill_at, kills;
    vm_progress_fn progress;
    void *pctx;
    vm_result *r;
    /* the last failure of a step (malloc'd) */
    char *fail_msg, *fail_sql;
    bool fail_drift;         /* the failure is the guard's drift verdict */
} vx_run;

/* The last_error of a migration whose downgrade stopped half way
 * (exec_admin.c, record_down_failure): "downgrade stopped after undoing M
 * of N steps: ...", the wording docs/SPEC.md documents under `down`.
 * vx_down_stopped is the one place that parses it back (down continues
 * from it, status reports it): true for a failed row whose last_error
 * starts that way with 0 < M <= N, with *undone = M and *nsteps = N. */
#define VX_DOWN_PREFIX "downgrade stopped after undoing "
bool vx_down_stopped(const rt_mig_row *row, uint32_t *undone, uint32_t *nsteps);

/* An event of kind k about m (NULL for run-wide events), the rest zero. */
vm_event vx_ev(vm_event_kind k, const vm_migration *m);
/* Record a failed step (exec.c): its row failed, the migration failed
 * with last_error, a vm.step-failed / vm.drift diagnostic (exit 2) and the
 * MIGRATION_FAILED event.  VX_FAILED, or VX_ERROR when the state could not
 * be written. */
vx_status vx_record_failure(vx_run *run, const vm_migration *m, const vm_step *st, uint32_t k,
                            uint32_t nsteps, bool drift);
/* Pause m at a boundary (exec.c): commit what is done, record paused. */
vx_status vx_pause_migration(vx_run *run, const vm_migration *m, const char *reason);
/* Run an op.backfill step (exec_backfill.c); srow is its state row or NULL. */
vx_status vx_run_backfill(vx_run *run, const vm_migration *m, const vm_step *st, uint32_t k,
                          uint32_t nsteps, const rt_step_row *srow);

/* Seconds on a monotonic clock. */
double vx_now(void);
/* Emit an event (no-op without a callback). */
void vx_emit(vx_run *run, vm_event *ev);
/* A kill point of the crash-matrix hook (vm.h, kill_at). */
void vx_kill_point(vx_run *run);
/* The string operand x of the bundle, or NULL when out of range. */
const char *vx_str(const vx_run *run, uint32_t x);
/* The migration with this id (b->migs is sorted by id), or NULL. */
const vm_migration *vx_find(const vm_bundle *b, const char *id);
/* The code dialect for connection dialect cd: cd itself, or MySQL's code
 * for a MariaDB server when the bundle has no MariaDB code; -1 (with
 * vm.dialect-missing) when the bundle has neither. */
int vx_code_dialect(const vm_bundle *b, ir_dialect cd, ir_dialect *out, jy_diags *d);
/* Remember the connection's last error as the step failure (or msg). */
void vx_set_fail(vx_run *run, const char *msg, const char *sql);
void vx_clear_fail(vx_run *run);

/* The commit group.  vx_grp_begin records where it began (cur_plan,
 * cur_step) and the counters; vx_grp_commit writes the deferred state rows
 * first (MySQL/MariaDB: in their own transaction when no group is open);
 * vx_grp_rollback forgets them. */
int vx_grp_begin(vx_run *run);
int vx_grp_commit(vx_run *run);
void vx_grp_rollback(vx_run *run);
/* Defer state rows (fast groups, MySQL/MariaDB fresh steps).  -1 when out
 * of memory (vm.out-of-memory). */
int vx_defer_mig(vx_run *run, const vm_migration *m, bool begin, rt_mig_status s);
int vx_defer_step(vx_run *run, const vm_migration *m, const vm_step *st, uint32_t k);
/* Write the deferred rows on the connection as it is. */
int vx_flush_state(vx_run *run);
/* The deferred row of migration id, or NULL. */
rt_state_mig_w *vx_deferred_mig(vx_run *run, const char *id);
void vx_run_free(vx_run *run);

/* Pause check at a boundary: NULL, or the reason (static text). */
const char *vx_pause_reason(vx_run *run, char buf[96]);

/* What of a step's body to run. */
typedef enum {
    VX_BODY_ALL,        /* the guard, then the statements */
    VX_BODY_NO_GUARD,   /* the statements only (optimistic: the guard is asked
                           only if they fail, see run_step) */
    VX_BODY_GUARD_ONLY  /* the guard only: skip / drift / reconcile are acted
                           on; "run" sets *would_run and runs nothing */
} vx_body_mode;

bool vx_step_has_guard(const vm_step *st);
/* The step runs exactly one statement, a DDL one (and no backfill), for an
 * op whose statement fails when run again (create_table, add_column,
 * create_index, drop_*, rename_*): MySQL/MariaDB may run it before its
 * guard and queue its row (exec.c). */
bool vx_single_ddl(const vx_run *run, const vm_step *st);
/* The statement is DDL (CREATE, ALTER, DROP, RENAME, TRUNCATE): on
 * MySQL/MariaDB it commits by itself and everything before it. */
bool vx_is_ddl(const char *sql);

/*
 * Run a step's body: its guard (unless dry and the guard cannot be read),
 * then its statements (or the guard's reconcile statements).  Transactions
 * are the caller's.  VX_OK with *skipped when the guard said the desired
 * state exists; VX_FAILED with run->fail_msg/fail_sql on a database error
 * or drift; backfill bodies are not run here (run_backfill).  would_run may
 * be NULL except for VX_BODY_GUARD_ONLY.
 */
vx_status vx_step_body(vx_run *run, const vm_migration *m, const vm_step *st, uint32_t stepno,
                       uint32_t nsteps, vx_body_mode mode, bool *skipped, bool *would_run);

#endif /* JORYU_VM_EXEC_INT_H */
