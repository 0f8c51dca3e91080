/*
 * exec_backfill.c - op.backfill in the step VM: the bounds query once, then
 * key-range batches, each committed together with its checkpoint.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_int.h"

/* ------------------------------------------------------------ backfill */

typedef struct bf_progress {
    bool have;               /* bounds known */
    bool empty;              /* nothing to do (no rows) */
    int64_t min_key, next_key, max_key;
    uint64_t batches, rows, batch_size;
    bool finished;           /* next_key passed max_key */
} bf_progress;

static char *bf_json(const bf_progress *p)
{
    json_t *o;
    if (p->empty)
        o = json_pack("{s:b,s:I,s:I}", "empty", 1, "batches", (json_int_t)0, "rows", (json_int_t)0);
    else
        o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:b}", "min_key", (json_int_t)p->min_key, "next_key",
                      (json_int_t)p->next_key, "max_key", (json_int_t)p->max_key, "batch_size",
                      (json_int_t)p->batch_size, "batches", (json_int_t)p->batches, "rows",
                      (json_int_t)p->rows, "finished", p->finished);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return s;
}

static bool bf_parse(const char *text, bf_progress *p)
{
    memset(p, 0, sizeof *p);
    if (!text || !*text)
        return false;
    json_t *o = json_loads(text, 0, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return false;
    }
    bool ok;
    if (json_is_true(json_object_get(o, "empty"))) {
        p->have = p->empty = p->finished = true;
        ok = true;
    } else {
        json_t *mn = json_object_get(o, "min_key"), *nx = json_object_get(o, "next_key"),
               *mx = json_object_get(o, "max_key"), *bt = json_object_get(o, "batches"),
               *rw = json_object_get(o, "rows");
        ok = json_is_integer(mn) && json_is_integer(nx) && json_is_integer(mx) &&
             json_is_integer(bt) && json_is_integer(rw);
        if (ok) {
            p->have = true;
            p->min_key = json_integer_value(mn);
            p->next_key = json_integer_value(nx);
            p->max_key = json_integer_value(mx);
            p->batches = (uint64_t)json_integer_value(bt);
            p->rows = (uint64_t)json_integer_value(rw);
            p->finished = json_is_true(json_object_get(o, "finished")) || p->next_key > p->max_key;
        }
    }
    json_decref(o);
    return ok;
}

static bool parse_i64(const char *s, int64_t *out)
{
    if (!s || !*s)
        return false;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (*end == '.') { /* "12.0" from a driver that returns numerics */
        for (const char *q = end + 1; *q; q++)
            if (*q != '0')
                return false;
    } else if (*end)
        return false;
    *out = (int64_t)v;
    return true;
}

static uint64_t bf_total(const bf_progress *p)
{
    if (p->empty || p->max_key < p->min_key || !p->batch_size)
        return 0;
    uint64_t span = (uint64_t)p->max_key - (uint64_t)p->min_key + 1u;
    return span / p->batch_size + (span % p->batch_size != 0);
}

/*
 * op.backfill: the bounds query once (stored as progress), then batches:
 * BEGIN; the UPDATE for [next, next + size - 1]; the progress row; COMMIT.
 * A batch and its checkpoint commit together, so a batch never runs twice;
 * resume continues at next_key.  Pauses between batches.
 */
vx_status vx_run_backfill(vx_run *run, const vm_migration *m, const vm_step *st, uint32_t k,
                          uint32_t nsteps, const rt_step_row *srow)
{
    const vm_insn *in = NULL;
    for (uint32_t i = 0; i < st->ncode; i++)
        if (st->code[i].op == VM_OP_BACKFILL)
            in = &st->code[i];
    const char *bounds = in ? vx_str(run, in->a) : NULL, *batch = in ? vx_str(run, in->b) : NULL;
    if (!bounds || !batch || !in->c) {
        vx_set_fail(run, "damaged bundle: the backfill has no queries", "");
        return run->dry ? VX_FAILED : vx_record_failure(run, m, st, k, nsteps, false);
    }
    vm_event sq = vx_ev(VM_EV_STEP_SQL, m);
    sq.st = st;
    sq.step = k + 1;
    sq.nsteps = nsteps;
    if (run->dry) {
        sq.sql = bounds;
        vx_emit(run, &sq);
        sq.sql = batch;
        vx_emit(run, &sq);
        return VX_OK;
    }
    jy_diags *d = run->d;
    if (vx_grp_commit(run))
        return VX_ERROR;
    double t0 = vx_now();
    bf_progress p;
    bool resumed = bf_parse(srow ? srow->progress : NULL, &p);
    p.batch_size = in->c;
    if (rt_state_step_begin(run->c, m->id, k, st->op_kind, st->fingerprint, d))
        return VX_ERROR;
    if (!resumed) {
        sq.sql = bounds;
        vx_emit(run, &sq);
        rt_rows *rows = NULL;
        if (rt_query(run->c, bounds, NULL, 0, &rows, NULL)) {
            vx_set_fail(run, NULL, bounds);
            return vx_record_failure(run, m, st, k, nsteps, false);
        }
        const char *lo = rows && rows->nrows && rows->ncols >= 2 ? rt_rows_cell(rows, 0, 0) : NULL;
        const char *hi = rows && rows->nrows && rows->ncols >= 2 ? rt_rows_cell(rows, 0, 1) : NULL;
        memset(&p, 0, sizeof p);
        p.batch_size = in->c;
        p.have = true;
        if (!lo || !hi) {
            p.empty = p.finished = true;
        } else if (!parse_i64(lo, &p.min_key) || !parse_i64(hi, &p.max_key)) {
            char msg[256];
            snprintf(msg, sizeof msg, "the backfill key is not an integer (%.60s .. %.60s)", lo, hi);
            rt_rows_free(rows);
            vx_set_fail(run, msg, bounds);
            return vx_record_failure(run, m, st, k, nsteps, false);
        } else {
            p.next_key = p.min_key;
        }
        rt_rows_free(rows);
        char *js = bf_json(&p);
        int w = js ? rt_state_step_set(run->c, m->id, k, RT_SS_RUNNING, js, d) : -1;
        free(js);
        if (w)
            return VX_ERROR;
    }
    uint64_t total = bf_total(&p);
    while (!p.finished) {
        char buf[96];
        const char *why = vx_pause_reason(run, buf);
        if (why) {
            if (rt_state_step_set(run->c, m->id, k, RT_SS_PENDING, NULL, d))
                return VX_ERROR;
            return vx_pause_migration(run, m, why);
        }
        int64_t lo = p.next_key, hi;
        bool last = false;
        if (p.max_key - lo < (int64_t)p.batch_size - 1 || lo > INT64_MAX - ((int64_t)p.batch_size - 1)) {
            hi = p.max_key;
            last = true;
        } else {
            hi = lo + (int64_t)p.batch_size - 1;
            last = hi >= p.max_key;
        }
        char los[32], his[32];
        snprintf(los, sizeof los, "%" PRId64, lo);
        snprintf(his, sizeof his, "%" PRId64, hi);
        const char *params[2] = {los, his};
        if (p.batches == 0) {
            sq.sql = batch;
            vx_emit(run, &sq);
        }
        if (rt_begin(run->c, d))
            return VX_ERROR;
        rt_rows *res = NULL;
        if (rt_query(run->c, batch, params, 2, &res, NULL)) {
            vx_set_fail(run, NULL, batch);
            char *msg = NULL;
            size_t n = strlen(run->fail_msg) + 120;
            if ((msg = malloc(n))) {
                snprintf(msg, n, "%s (batch %" PRIu64 ", keys %s..%s)", run->fail_msg,
                         p.batches + 1, los, his);
                free(run->fail_msg);
                run->fail_msg = msg;
            }
            rt_rollback(run->c, NULL);
            return vx_record_failure(run, m, st, k, nsteps, false);
        }
        int64_t aff = res && res->affected > 0 ? res->affected : 0;
        rt_rows_free(res);
        vx_kill_point(run);
        bf_progress np = p;
        np.batches++;
        np.rows += (uint64_t)aff;
        if (last) {
            np.finished = true;
            np.next_key = p.max_key; /* stays representable; finished says it is past */
        } else
            np.next_key = hi + 1;
        char *js = bf_json(&np);
        if (!js || rt_state_step_set(run->c, m->id, k, RT_SS_RUNNING, js, d) ||
            rt_commit(run->c, d)) {
            free(js);
            return VX_ERROR;
        }
        free(js);
        vx_kill_point(run);
        run->progressed = true;
        p = np;
        vm_event ev = vx_ev(VM_EV_BATCH, m);
        ev.st = st;
        ev.step = k + 1;
        ev.nsteps = nsteps;
        ev.batches_done = p.batches;
        ev.batches_total = total;
        ev.rows_done = p.rows;
        ev.key_low = lo;
        ev.key_high = hi;
        ev.key_max = p.max_key;
        ev.elapsed = vx_now() - t0;
        vx_emit(run, &ev);
    }
    if (rt_state_step_set(run->c, m->id, k, RT_SS_DONE, NULL, d))
        return VX_ERROR;
    vx_kill_point(run);
    run->progressed = true;
    return VX_OK;
}

