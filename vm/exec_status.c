/*
 * exec_status.c - vm_status_read: the bundle's migrations beside the state
 * tables' rows, per migration and step (reference §10.1).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_int.h"

/* ------------------------------------------------------------ status */

static void fill_steps(jy_arena *a, vm_status_entry *e, const vm_script *sc, const rt_mig_row *row)
{
    uint32_t n = sc ? sc->nsteps : 0;
    for (size_t i = 0; row && i < row->nsteps; i++)
        if (row->steps[i].step_index + 1 > n)
            n = row->steps[i].step_index + 1;
    e->nsteps = n;
    e->steps = n ? jy_arena_calloc(a, n, sizeof *e->steps) : NULL;
    if (!e->steps) {
        e->nsteps = 0;
        return;
    }
    for (uint32_t k = 0; k < n; k++) {
        vm_status_step *s = &e->steps[k];
        s->step = k + 1;
        s->status = "pending";
        if (sc && k < sc->nsteps) {
            s->op_kind = sc->steps[k].op_kind;
            s->summary = sc->steps[k].summary;
        }
    }
    for (size_t i = 0; row && i < row->nsteps; i++) {
        const rt_step_row *r = &row->steps[i];
        vm_status_step *s = &e->steps[r->step_index];
        if (!s->op_kind)
            s->op_kind = r->op_kind;
        if (!s->summary)
            s->summary = "";
        s->status = rt_step_status_name(r->status);
        s->progress = r->progress;
        s->started_at = r->started_at;
        s->finished_at = r->finished_at;
    }
}

/*
 * A downgrade that stopped half way (vx_down_stopped): its counts, and the
 * bundle's downgrade steps (sc: NULL when the bundle does not know the
 * migration) as down would take them: the first min(undone, steps) passed
 * over, the rest to run.
 */
static void fill_down(jy_arena *a, vm_status_entry *e, const vm_script *sc,
                      const rt_mig_row *row)
{
    uint32_t undone, nsteps;
    if (!vx_down_stopped(row, &undone, &nsteps))
        return;
    e->down_undone = undone;
    e->down_nsteps = nsteps;
    if (!sc || !sc->present || sc->irreversible || !sc->nsteps)
        return;
    e->down_steps = jy_arena_calloc(a, sc->nsteps, sizeof *e->down_steps);
    if (!e->down_steps)
        return;
    e->ndown_steps = sc->nsteps;
    for (uint32_t k = 0; k < sc->nsteps; k++) {
        vm_status_step *s = &e->down_steps[k];
        s->step = k + 1;
        s->op_kind = sc->steps[k].op_kind;
        s->summary = sc->steps[k].summary ? sc->steps[k].summary : "";
        s->status = k < undone ? "undone" : "pending";
    }
}

static const char *mig_status_text(const rt_mig_row *row)
{
    if (!row)
        return "pending";
    if (row->status == RT_MS_PENDING)
        return "marked-pending";
    return rt_mig_status_name(row->status);
}

int vm_status_read(rt_conn *c, const vm_bundle *b, vm_status **out, jy_diags *d)
{
    return vm_status_read_ex(c, b, true, out, d);
}

/*
 * Pair the bundle's migrations with the state rows: row[k] is the row of
 * b->migs[k] (NULL: none); known[j] tells that row j belongs to a migration
 * listed for this dialect.  Both lists are sorted by id (the loader's and
 * rt_state_read's order), so one walk pairs them (status over a long
 * history: no search per migration); a bundle that is not sorted (built by
 * hand) is paired by lookups.  The number of rows not known, or SIZE_MAX
 * when memory fails.
 */
static size_t pair_rows(jy_arena *a, const vm_bundle *b, const rt_state *st, const bool *listed,
                        const rt_mig_row ***row_out, bool **known_out)
{
    const rt_mig_row **row = jy_arena_calloc(a, b->nmigs ? b->nmigs : 1, sizeof *row);
    bool *known = jy_arena_calloc(a, st->n ? st->n : 1, sizeof *known);
    if (!row || !known)
        return SIZE_MAX;
    bool sorted = true;
    for (size_t k = 1; k < b->nmigs && sorted; k++)
        sorted = strcmp(b->migs[k - 1].id, b->migs[k].id) < 0;
    size_t j = 0, nknown = 0;
    for (size_t k = 0; k < b->nmigs; k++) {
        const char *id = b->migs[k].id;
        const rt_mig_row *r = NULL;
        if (sorted) {
            while (j < st->n && strcmp(st->migs[j].id, id) < 0)
                j++;
            if (j < st->n && strcmp(st->migs[j].id, id) == 0)
                r = &st->migs[j];
        } else {
            r = rt_state_find(st, id);
        }
        row[k] = r;
        if (r && listed[k] && !known[r - st->migs]) {
            known[r - st->migs] = true;
            nknown++;
        }
    }
    *row_out = row;
    *known_out = known;
    return st->n - nknown;
}

int vm_status_read_ex(rt_conn *c, const vm_bundle *b, bool applied_steps, vm_status **out,
                      jy_diags *d)
{
    *out = NULL;
    ir_dialect cd;
    if (vx_code_dialect(b, rt_conn_dialect(c), &cd, d))
        return -1;
    /* the entries point into the state rows, which the status keeps (no
       copies: status over a long history stays small) */
    vm_status *s = calloc(1, sizeof *s);
    if (!s) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.out-of-memory", NULL, "out of memory");
        return -1;
    }
    if (rt_state_read(c, applied_steps ? 0 : RT_STATE_UNFINISHED, &s->state, d)) {
        vm_status_free(s);
        return -1;
    }
    const rt_state st = s->state;
    jy_arena *a = s->arena = jy_arena_new();
    size_t n = b->norder[cd];
    /* the migrations listed for this dialect, and the rows beside them */
    bool *listed = a ? jy_arena_calloc(a, b->nmigs ? b->nmigs : 1, sizeof *listed) : NULL;
    for (size_t k = 0; listed && k < n; k++)
        if (b->order[cd][k] < b->nmigs)
            listed[b->order[cd][k]] = true;
    const rt_mig_row **rowof = NULL;
    bool *known = NULL;
    size_t unknown = listed ? pair_rows(a, b, &st, listed, &rowof, &known) : SIZE_MAX;
    if (unknown == SIZE_MAX || !(s->e = jy_arena_calloc(a, n + unknown ? n + unknown : 1,
                                                         sizeof *s->e))) {
        vm_status_free(s);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.out-of-memory", NULL, "out of memory");
        return -1;
    }
    s->dialect = rt_conn_dialect(c);
    for (size_t i = 0; i < n; i++) {
        if (b->order[cd][i] >= b->nmigs)
            continue;
        const vm_migration *m = &b->migs[b->order[cd][i]];
        const rt_mig_row *row = rowof[b->order[cd][i]];
        vm_status_entry *e = &s->e[s->n++];
        e->id = m->id;
        e->mig = m;
        e->status = mig_status_text(row);
        if (row) {
            e->checksum_mismatch = row->status == RT_MS_APPLIED && row->checksum &&
                                   strcmp(row->checksum, m->checksum) != 0;
            e->last_error = row->last_error;
            e->pause_reason = row->pause_reason;
            e->started_at = row->started_at;
            e->finished_at = row->finished_at;
        }
        if (applied_steps || !row || row->status != RT_MS_APPLIED)
            fill_steps(a, e, &m->up[cd], row);
        fill_down(a, e, &m->down[cd], row);
    }
    /* rows the bundle does not know (for this dialect) */
    for (size_t i = 0; i < st.n; i++) {
        const rt_mig_row *row = &st.migs[i];
        if (known[i])
            continue;
        vm_status_entry *e = &s->e[s->n++];
        e->id = row->id;
        e->mig = NULL;
        e->status = mig_status_text(row);
        e->last_error = row->last_error;
        e->pause_reason = row->pause_reason;
        e->started_at = row->started_at;
        e->finished_at = row->finished_at;
        if (applied_steps || row->status != RT_MS_APPLIED)
            fill_steps(a, e, NULL, row);
        fill_down(a, e, NULL, row);
    }
    for (size_t i = 0; i < s->n; i++) {
        const char *x = s->e[i].status;
        if (!strcmp(x, "applied"))
            s->napplied++;
        else if (!strcmp(x, "failed"))
            s->nfailed++;
        else if (!strcmp(x, "paused") || !strcmp(x, "running"))
            s->npaused++;
        else
            s->npending++;
    }
    if (jy_arena_failed(a)) {
        vm_status_free(s);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "vm.out-of-memory", NULL, "out of memory");
        return -1;
    }
    *out = s;
    return 0;
}

void vm_status_free(vm_status *s)
{
    if (!s)
        return;
    jy_arena_free(s->arena);
    rt_state_free(&s->state);
    free(s);
}

