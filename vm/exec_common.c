/*
 * exec_common.c - what apply and down share: the run's clock, events, the
 * crash-matrix kill points, the commit group, the pause check, and the body
 * of a step (guard, then statements).
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "exec_int.h"

vm_event vx_ev(vm_event_kind k, const vm_migration *m)
{
    vm_event ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = k;
    ev.mig = m;
    return ev;
}

/* A whole number of at most 9 digits at *p (no sign, no space): true,
 * with *p after it. */
static bool down_count(const char **p, uint32_t *out)
{
    const char *s = *p;
    uint32_t v = 0;
    size_t n = 0;
    for (; s[n] >= '0' && s[n] <= '9'; n++) {
        if (n == 9)
            return false;
        v = v * 10 + (uint32_t)(s[n] - '0');
    }
    if (!n)
        return false;
    *p = s + n;
    *out = v;
    return true;
}

bool vx_down_stopped(const rt_mig_row *row, uint32_t *undone, uint32_t *nsteps)
{
    static const char prefix[] = VX_DOWN_PREFIX;
    if (!row || row->status != RT_MS_FAILED || !row->last_error ||
        strncmp(row->last_error, prefix, sizeof prefix - 1) != 0)
        return false;
    const char *p = row->last_error + sizeof prefix - 1;
    uint32_t m, n;
    if (!down_count(&p, &m) || strncmp(p, " of ", 4) != 0)
        return false;
    p += 4;
    if (!down_count(&p, &n) || strncmp(p, " steps", 6) != 0 || m == 0 || m > n)
        return false;
    *undone = m;
    *nsteps = n;
    return true;
}

double vx_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Events of a careful redo that the fast attempt already emitted are not
 * emitted again (exec.c): the first ev_skip events are swallowed.  A
 * failure, a pause and the end are always emitted (and end the skipping).
 */
void vx_emit(vx_run *run, vm_event *ev)
{
    if (ev->kind == VM_EV_MIGRATION_FAILED || ev->kind == VM_EV_PAUSED ||
        ev->kind == VM_EV_FINISH)
        run->ev_skip = 0;
    if (run->ev_skip) {
        run->ev_skip--;
        return;
    }
    if (run->grp_open && run->fast && !run->careful)
        run->grp_events++;
    if (run->progress)
        run->progress(run->pctx, ev);
}

void vx_kill_point(vx_run *run)
{
    if (run->kill_at && ++run->kills == run->kill_at)
        raise(SIGKILL);
}

const char *vx_str(const vx_run *run, uint32_t x)
{
    return vm_bundle_str(run->b, x);
}

const vm_migration *vx_find(const vm_bundle *b, const char *id)
{
    size_t lo = 0, hi = b->nmigs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(b->migs[mid].id, id);
        if (c == 0)
            return &b->migs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* not sorted after all (a hand-built bundle): look at every one */
    for (size_t i = 0; i < b->nmigs; i++)
        if (strcmp(b->migs[i].id, id) == 0)
            return &b->migs[i];
    return NULL;
}

int vx_code_dialect(const vm_bundle *b, ir_dialect cd, ir_dialect *out, jy_diags *d)
{
    if (b->dialects & IR_DMASK(cd)) {
        *out = cd;
        return 0;
    }
    if (cd == IR_D_MARIADB && (b->dialects & IR_DMASK(IR_D_MYSQL))) {
        *out = IR_D_MYSQL;
        return 0;
    }
    jy_buf have;
    jy_buf_init(&have);
    for (unsigned i = 0; i < IR_D__COUNT; i++)
        if (b->dialects & IR_DMASK(i))
            jy_buf_printf(&have, "%s%s", have.len ? ", " : "", ir_dialect_name((ir_dialect)i));
    jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.dialect-missing", NULL,
                               "the bundle has no code for %s (it was built for: %s)",
                               ir_dialect_name(cd), have.len ? have.data : "no dialect");
    if (g)
        jy_diag_hint(g, "rebuild it with `joryuc build --dialect=%s` (or add %s to "
                        "[dialects] targets in joryu.toml)",
                     ir_dialect_name(cd), ir_dialect_name(cd));
    jy_buf_free(&have);
    return -1;
}

void vx_clear_fail(vx_run *run)
{
    free(run->fail_msg);
    free(run->fail_sql);
    run->fail_msg = run->fail_sql = NULL;
    run->fail_drift = false;
}

void vx_set_fail(vx_run *run, const char *msg, const char *sql)
{
    char *m = strdup(msg ? msg : rt_conn_error(run->c) ? rt_conn_error(run->c) : "unknown error");
    const char *s0 = sql ? sql : rt_conn_error_statement(run->c);
    char *s = s0 ? strdup(s0) : NULL;
    vx_clear_fail(run);
    run->fail_msg = m;
    run->fail_sql = s;
}

int vx_grp_begin(vx_run *run)
{
    if (run->grp_open && !run->grp_adopt)
        return 0;
    if (!run->grp_open && rt_begin(run->c, run->d))
        return -1;
    /* an adopted transaction (the one vm_apply created the state tables
       in) becomes this group: the group begins here */
    run->grp_open = true;
    run->grp_adopt = false;
    run->grp_t0 = vx_now();
    run->grp_plan = run->cur_plan;
    run->grp_step = run->cur_step;
    run->grp_events = 0;
    if (run->r)
        run->grp_r = *run->r;
    run->grp_progressed = run->progressed;
    return 0;
}

int vx_grp_commit(vx_run *run)
{
    if (!run->grp_open) {
        if (!run->nmw && !run->nsw)
            return 0;
        /* MySQL/MariaDB: the deferred rows in a transaction of their own */
        if (rt_begin(run->c, run->d))
            return -1;
        if (vx_flush_state(run)) {
            rt_rollback(run->c, NULL);
            return -1;
        }
        return rt_commit(run->c, run->d);
    }
    if (vx_flush_state(run))
        return -1; /* the group stays open: the caller rolls it back */
    run->grp_open = run->sp_open = run->careful = run->grp_adopt = run->grp_state = false;
    return rt_commit(run->c, run->d);
}

void vx_grp_rollback(vx_run *run)
{
    run->nmw = run->nsw = 0;
    if (!run->grp_open)
        return;
    run->grp_open = run->sp_open = run->grp_adopt = run->grp_state = false;
    rt_rollback(run->c, NULL);
}

/* Grow an array of elements of size sz to hold one more; -1 out of memory. */
static int grow(void **v, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    void *p = realloc(*v, nc * sz);
    if (!p)
        return -1;
    *v = p;
    *cap = nc;
    return 0;
}

static int defer_oom(vx_run *run)
{
    jy_diag_where(run->d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.out-of-memory", NULL, "out of memory");
    return -1;
}

rt_state_mig_w *vx_deferred_mig(vx_run *run, const char *id)
{
    for (size_t i = run->nmw; i-- > 0;)
        if (strcmp(run->mw[i].id, id) == 0)
            return &run->mw[i];
    return NULL;
}

int vx_defer_mig(vx_run *run, const vm_migration *m, bool begin, rt_mig_status s)
{
    rt_state_mig_w *w = vx_deferred_mig(run, m->id);
    if (w) {
        w->status = s;
        return 0;
    }
    if (grow((void **)&run->mw, run->nmw, &run->cmw, sizeof *run->mw))
        return defer_oom(run);
    if (!run->nmw && !run->nsw)
        run->defer_t0 = vx_now();
    run->mw[run->nmw++] = (rt_state_mig_w){.id = m->id, .checksum = m->checksum,
                                           .dialect = ir_dialect_name(run->conn_d),
                                           .begin = begin, .status = s};
    return 0;
}

int vx_defer_step(vx_run *run, const vm_migration *m, const vm_step *st, uint32_t k)
{
    if (grow((void **)&run->sw, run->nsw, &run->csw, sizeof *run->sw))
        return defer_oom(run);
    if (!run->nmw && !run->nsw)
        run->defer_t0 = vx_now();
    run->sw[run->nsw++] = (rt_state_step_w){.id = m->id, .step_index = k,
                                            .op_kind = st->op_kind,
                                            .fingerprint = st->fingerprint};
    return 0;
}

int vx_flush_state(vx_run *run)
{
    if (!run->nmw && !run->nsw)
        return 0;
    int rc = rt_state_write_batch(run->c, run->mw, run->nmw, run->sw, run->nsw, run->d);
    run->nmw = run->nsw = 0;
    return rc;
}

void vx_run_free(vx_run *run)
{
    free(run->mw);
    free(run->sw);
    run->mw = NULL;
    run->sw = NULL;
    run->nmw = run->cmw = run->nsw = run->csw = 0;
}

const char *vx_pause_reason(vx_run *run, char buf[96])
{
    if (run->interrupt && *run->interrupt)
        return "interrupted by a signal (SIGINT/SIGTERM)";
    /* every run gets at least one step or batch done before
       --max-duration pauses it: a duration shorter than connecting would
       otherwise make no run ever progress */
    if (run->max_duration > 0 && run->progressed && vx_now() - run->t0 >= run->max_duration) {
        snprintf(buf, 96, "--max-duration of %g s reached", run->max_duration);
        return buf;
    }
    return NULL;
}

/* The first error message of d, or NULL. */
static const char *first_error(const jy_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].sev == JY_SEV_ERROR)
            return d->v[i].message;
    return NULL;
}

static void emit_sql(vx_run *run, const vm_migration *m, const vm_step *st, uint32_t stepno,
                     uint32_t nsteps, const char *sql)
{
    vm_event ev = {.kind = VM_EV_STEP_SQL, .mig = m, .st = st, .step = stepno,
                   .nsteps = nsteps, .sql = sql};
    vx_emit(run, &ev);
}

/*
 * MySQL/MariaDB errors that say a DDL statement's effect is already there
 * (or its object already gone): table exists, unknown table, unknown
 * column, duplicate column, duplicate key name, can't drop (check that it
 * exists), duplicate key on write (an FK name), no such table, multiple
 * primary keys, duplicate constraint name; and MariaDB's duplicate foreign
 * key name (1005 with errno 121).  Only consulted for a step that
 * an interrupted run had started with the same statements.
 */
static bool already_done_error(const rt_conn *c)
{
    static const unsigned codes[] = {1050, 1051, 1054, 1060, 1061, 1068, 1091, 1022, 1146, 1826};
    const char *code = rt_conn_error_code(c);
    if (!code)
        return false;
    unsigned long v = strtoul(code, NULL, 10);
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (v == codes[i])
            return true;
    /* MariaDB: a foreign key whose name exists is "Can't create table ...
       (errno: 121 "Duplicate key on write or update")" */
    const char *msg = rt_conn_error(c);
    return v == 1005 && msg && strstr(msg, "errno: 121");
}

bool vx_is_ddl(const char *sql)
{
    static const char *const kw[] = {"CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE"};
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r')
        sql++;
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++) {
        size_t n = strlen(kw[i]);
        if (strncasecmp(sql, kw[i], n) == 0 && (sql[n] == ' ' || sql[n] == '\n' || sql[n] == '\t'))
            return true;
    }
    return false;
}

/* One statement: run (or, dry, only announce) it.  VX_OK / VX_FAILED.
 * tolerate: an "already done" error counts as done (see vx_run). */
static vx_status exec_one(vx_run *run, const vm_migration *m, const vm_step *st, uint32_t stepno,
                          uint32_t nsteps, const char *sql, unsigned flags, bool tolerate)
{
    emit_sql(run, m, st, stepno, nsteps, sql);
    if (run->dry)
        return VX_OK;
    if (flags & VM_F_EXPECT_NO_ROWS) {
        rt_rows *rows = NULL;
        if (rt_query(run->c, sql, NULL, 0, &rows, NULL)) {
            vx_set_fail(run, NULL, sql);
            return VX_FAILED;
        }
        if (rows && rows->nrows) {
            jy_buf b;
            jy_buf_init(&b);
            jy_buf_printf(&b, "the check returned %zu row%s (first: ", rows->nrows,
                          rows->nrows == 1 ? "" : "s");
            for (size_t k = 0; k < rows->ncols; k++) {
                const char *v = rt_rows_cell(rows, 0, k);
                jy_buf_printf(&b, "%s%s=%s", k ? ", " : "", rows->colnames[k], v ? v : "NULL");
            }
            jy_buf_puts(&b, ")");
            vx_set_fail(run, b.data ? b.data : "the check returned rows", sql);
            jy_buf_free(&b);
            rt_rows_free(rows);
            return VX_FAILED;
        }
        rt_rows_free(rows);
    } else if (rt_exec(run->c, sql, NULL)) {
        if (tolerate && already_done_error(run->c)) {
            char msg[600];
            snprintf(msg, sizeof msg,
                     "the interrupted run had already done this statement (%.500s)",
                     rt_conn_error(run->c) ? rt_conn_error(run->c) : "");
            vm_event ev = {.kind = VM_EV_WARNING, .mig = m, .st = st, .step = stepno,
                           .nsteps = nsteps, .sql = sql, .message = msg};
            vx_emit(run, &ev);
            return VX_OK;
        }
        vx_set_fail(run, NULL, sql);
        return VX_FAILED;
    }
    vx_kill_point(run);
    return VX_OK;
}

bool vx_step_has_guard(const vm_step *st)
{
    return st->ncode && st->code[0].op == VM_OP_GUARD;
}

bool vx_single_ddl(const vx_run *run, const vm_step *st)
{
    /* ops whose statement fails when its effect is already there (or its
       object already gone): run again after a kill lost the step's row, it
       cannot do the step twice (an unnamed CHECK constraint could) */
    static const char *const rerun_fails[] = {
        "create_table", "add_column",  "create_index",  "drop_table",
        "drop_column",  "drop_index",  "rename_table",  "rename_column"};
    bool kind_ok = false;
    for (size_t i = 0; i < sizeof rerun_fails / sizeof rerun_fails[0] && st->op_kind; i++)
        kind_ok = kind_ok || strcmp(st->op_kind, rerun_fails[i]) == 0;
    if (!kind_ok)
        return false;
    uint32_t n = 0;
    for (size_t j = 0; j < st->ncode; j++) {
        const vm_insn *in = &st->code[j];
        if (in->op == VM_OP_BACKFILL)
            return false;
        if (in->op != VM_OP_EXEC)
            continue;
        const char *sql = vx_str(run, in->a);
        if (++n > 1 || !sql || (in->flags & VM_F_EXPECT_NO_ROWS) || !vx_is_ddl(sql))
            return false;
    }
    return n == 1;
}

vx_status vx_step_body(vx_run *run, const vm_migration *m, const vm_step *st, uint32_t stepno,
                       uint32_t nsteps, vx_body_mode mode, bool *skipped, bool *would_run)
{
    *skipped = false;
    if (would_run)
        *would_run = false;
    vx_status rc = VX_OK;
    size_t i = vx_step_has_guard(st) ? 1 : 0;
    if (i && mode != VX_BODY_NO_GUARD) {
        const char *g = vx_str(run, st->code[0].a);
        rt_guard_result gr;
        memset(&gr, 0, sizeof gr);
        jy_diags scratch;
        jy_diags_init(&scratch);
        int grc = g ? rt_guard_eval(run->c, g, &gr, &scratch) : -1;
        if (grc) {
            const char *msg = g ? first_error(&scratch) : "the step's guard is missing from the bundle";
            char *text = NULL;
            if (msg && strlen(msg) < 4000) {
                size_t n = strlen(msg) + 64;
                text = malloc(n);
                if (text)
                    snprintf(text, n, "the ensure guard could not be evaluated: %s", msg);
            }
            if (run->dry) {
                vm_event ev = {.kind = VM_EV_WARNING, .mig = m, .st = st, .step = stepno,
                               .nsteps = nsteps, .message = text ? text : msg};
                vx_emit(run, &ev);
            } else {
                vx_set_fail(run, text ? text : msg ? msg : "the ensure guard could not be evaluated",
                            NULL);
                free(run->fail_sql); /* not a statement of the step */
                run->fail_sql = NULL;
                rc = VX_FAILED;
            }
            free(text);
            jy_diags_free(&scratch);
            rt_guard_result_free(&gr);
            if (rc != VX_OK)
                return rc;
        } else {
            jy_diags_free(&scratch);
            vm_event ev = {.mig = m, .st = st, .step = stepno, .nsteps = nsteps,
                           .message = gr.detail};
            switch (gr.outcome) {
            case RT_GUARD_RUN:
                if (mode == VX_BODY_GUARD_ONLY) {
                    if (would_run)
                        *would_run = true;
                    rt_guard_result_free(&gr);
                    return VX_OK;
                }
                break;
            case RT_GUARD_SKIP:
                ev.kind = VM_EV_STEP_SKIP;
                if (!ev.message)
                    ev.message = "the desired state already exists";
                vx_emit(run, &ev);
                *skipped = true;
                break;
            case RT_GUARD_SKIP_DRIFT:
                ev.kind = VM_EV_WARNING;
                if (!ev.message)
                    ev.message = "the object exists with another shape (on_mismatch=skip)";
                vx_emit(run, &ev);
                *skipped = true;
                break;
            case RT_GUARD_RECONCILE:
                ev.kind = VM_EV_WARNING;
                if (!ev.message)
                    ev.message = "reconciling the object's shape (on_mismatch=alter)";
                vx_emit(run, &ev);
                for (size_t k = 0; k < gr.nsql && rc == VX_OK; k++)
                    rc = exec_one(run, m, st, stepno, nsteps, gr.sql[k], 0, false);
                rt_guard_result_free(&gr);
                return rc;
            case RT_GUARD_DRIFT:
                if (run->dry) {
                    ev.kind = VM_EV_WARNING;
                    if (!ev.message)
                        ev.message = "drift: the object exists with another shape";
                    vx_emit(run, &ev);
                    break;
                }
                vx_set_fail(run, gr.detail ? gr.detail : "drift: the object exists with another shape",
                            NULL);
                free(run->fail_sql);
                run->fail_sql = NULL;
                run->fail_drift = true;
                rc = VX_FAILED;
                break;
            }
            rt_guard_result_free(&gr);
            if (rc != VX_OK || *skipped)
                return rc;
        }
    }
    if (mode == VX_BODY_GUARD_ONLY) {
        if (would_run)
            *would_run = true;
        return rc;
    }
    uint32_t nexec = 0, idx = 0;
    for (size_t j = i; j < st->ncode; j++)
        nexec += st->code[j].op == VM_OP_EXEC;
    run->stmts_committed = run->stmt_skip;
    for (; i < st->ncode && rc == VX_OK; i++) {
        const vm_insn *in = &st->code[i];
        switch ((vm_opcode)in->op) {
        case VM_OP_EXEC: {
            const char *sql = vx_str(run, in->a);
            if (!sql) {
                vx_set_fail(run,
                            "damaged bundle: a statement is missing (or the bundle file was "
                            "changed in place while it ran)",
                            "");
                return VX_FAILED;
            }
            if (idx < run->stmt_skip) { /* committed by an earlier attempt */
                idx++;
                break;
            }
            bool ddl = vx_is_ddl(sql);
            rc = exec_one(run, m, st, stepno, nsteps, sql, in->flags,
                          run->tolerate_first && idx == run->stmt_skip && ddl);
            idx++;
            if (rc == VX_OK && run->stmt_progress && ddl) {
                /* a DDL statement commits everything before it */
                run->stmts_committed = idx;
                if (idx < nexec) {
                    char js[48];
                    snprintf(js, sizeof js, "{\"stmts_done\":%" PRIu32 "}", idx);
                    if (rt_state_step_set(run->c, run->cur_id, run->cur_k, RT_SS_RUNNING, js,
                                          run->d)) {
                        vx_set_fail(run, "the step's progress could not be recorded", "");
                        return VX_FAILED;
                    }
                }
            }
            break;
        }
        case VM_OP_GUARD:    /* at most one, first: anything else is ignored */
        case VM_OP_NOTE:     /* a remark */
        case VM_OP_BACKFILL: /* vx_backfill runs it */
        case VM_OP__COUNT: break;
        }
    }
    return rc;
}
