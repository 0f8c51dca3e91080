/*
 * dag.c - the depends_on DAG of a program (issue 5): resolved edges
 * (ids and "group:<name>"), the apply order (Kahn's algorithm, the smallest
 * ready id first: the rule of ir_replay_order), and reachability queries
 * for the concurrency rule of verify.
 */
#include <stdlib.h>
#include <string.h>

#include "ir.h"

struct ir_dag {
    const ir_program *p;
    size_t n;
    size_t *first;   /* CSR of the dependencies of i: dep[first[i] .. first[i + 1]) */
    size_t *dep;
    size_t *order;   /* apply order (dialect-filtered) */
    size_t norder;
    size_t *fullpos; /* position in the unfiltered order (used to prune searches) */
    size_t *pos;     /* position in the filtered order, (size_t)-1 when not listed */
    unsigned *stamp; /* search scratch: stamp[i] == gen means visited */
    unsigned gen;
    size_t *stack;
};

/* The index of id in p->migs (sorted by id), or p->n. */
static size_t find_id(const ir_program *p, const char *id)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->migs[mid]->id, id);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return p->n;
}

typedef struct gm {
    const char *group;
    size_t at;
} gm;

static int gm_cmp(const void *a, const void *b)
{
    const gm *x = a, *y = b;
    int c = strcmp(x->group, y->group);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* [*lo, *hi) of the members of group `name` in g (sorted). */
static void gm_range(const gm *g, size_t n, const char *name, size_t *lo, size_t *hi)
{
    size_t a = 0, b = n;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (strcmp(g[mid].group, name) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (a < n && strcmp(g[a].group, name) == 0)
        a++;
    *hi = a;
}

static uint32_t dep_end(const ir_migration *m, size_t k)
{
    /* the string literal: the id plus its two quotes */
    return m->depends_pos[k] + (uint32_t)strlen(m->depends_on[k]) + 2;
}

/*
 * Resolve the depends_on entries of every migration: pass 0 counts, pass 1
 * fills.  Unknown ids and groups are reported (pass 0 only).  Returns the
 * number of errors.
 */
static size_t resolve(ir_dag *g, const gm *grp, size_t ngrp, int pass, jy_diags *diags)
{
    const ir_program *p = g->p;
    size_t errors = 0;
    for (size_t i = 0; i < g->n; i++) {
        const ir_migration *m = p->migs[i];
        for (size_t k = 0; k < m->ndepends; k++) {
            const char *dep = m->depends_on[k];
            if (strncmp(dep, "group:", 6) == 0) {
                size_t lo, hi;
                gm_range(grp, ngrp, dep + 6, &lo, &hi);
                if (lo == hi) {
                    if (pass == 0) {
                        errors++;
                        jy_diag *dg = jy_diag_at(
                            diags, JY_SEV_ERROR, JY_EXIT_ERROR, "dag.unknown-group", m->src,
                            m->depends_pos[k], dep_end(m, k),
                            "depends_on names group \"%s\", but no migration has group=\"%s\"",
                            dep + 6, dep + 6);
                        if (dg)
                            jy_diag_hint(dg, "add group=\"%s\" to the migrations of that group, "
                                             "or correct the name", dep + 6);
                    }
                    continue;
                }
                for (size_t q = lo; q < hi; q++)
                    if (grp[q].at != i) {
                        if (pass == 0)
                            g->first[i + 1]++;
                        else
                            g->dep[g->first[i]++] = grp[q].at;
                    }
                continue;
            }
            size_t j = find_id(p, dep);
            if (j == p->n || j == i) {
                if (pass == 0) {
                    errors++;
                    jy_diag *dg = jy_diag_at(
                        diags, JY_SEV_ERROR, JY_EXIT_ERROR,
                        j == i ? "dag.cycle" : "dag.unknown-dependency", m->src,
                        m->depends_pos[k], dep_end(m, k),
                        j == i ? "depends_on cycle: %s -> %s"
                               : "depends_on names \"%s\", which is not a migration of this "
                                 "program%s",
                        dep, j == i ? dep : "");
                    if (dg)
                        jy_diag_hint(dg, j == i ? "a migration cannot depend on itself: remove "
                                                  "the entry"
                                                : "correct the id, or add the missing migration");
                }
                continue;
            }
            if (pass == 0)
                g->first[i + 1]++;
            else
                g->dep[g->first[i]++] = j;
        }
    }
    return errors;
}

static void heap_push(size_t *h, size_t *n, size_t v)
{
    size_t i = (*n)++;
    while (i > 0 && h[(i - 1) / 2] > v) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = v;
}

static size_t heap_pop(size_t *h, size_t *n)
{
    size_t top = h[0], v = h[--*n], i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && h[c + 1] < h[c])
            c++;
        if (v <= h[c])
            break;
        h[i] = h[c];
        i = c;
    }
    if (*n)
        h[i] = v;
    return top;
}

/*
 * Report one cycle among the nodes Kahn could not place (each has an
 * unplaced dependency): walk unplaced dependencies from one of them until
 * a node repeats, then print that loop in depends order.
 */
static void report_cycle(const ir_dag *g, const bool *placed, jy_diags *diags)
{
    const ir_program *p = g->p;
    size_t start = g->n;
    for (size_t i = 0; i < g->n && start == g->n; i++)
        if (!placed[i])
            start = i;
    if (start == g->n)
        return;
    size_t *seen = calloc(g->n, sizeof *seen); /* step + 1 at which a node was met */
    size_t *path = calloc(g->n + 1, sizeof *path);
    if (!seen || !path) {
        free(seen);
        free(path);
        return;
    }
    size_t v = start, steps = 0;
    while (!seen[v]) {
        seen[v] = ++steps;
        path[steps - 1] = v;
        size_t next = g->n;
        for (size_t e = g->first[v]; e < g->first[v + 1] && next == g->n; e++)
            if (!placed[g->dep[e]])
                next = g->dep[e];
        if (next == g->n)
            break; /* cannot happen: an unplaced node has an unplaced dependency */
        v = next;
    }
    /* path[seen[v] - 1 .. steps) is the loop: each depends on the next */
    jy_buf b;
    jy_buf_init(&b);
    size_t from = seen[v] ? seen[v] - 1 : 0;
    for (size_t k = from; k < steps; k++)
        jy_buf_printf(&b, "%s -> ", p->migs[path[k]]->id);
    jy_buf_puts(&b, p->migs[v]->id);
    /* point at the entry of the loop's first migration naming the next one */
    const ir_migration *m = p->migs[path[from]];
    size_t nxt = from + 1 < steps ? path[from + 1] : v;
    uint32_t at = m->start, end = m->end;
    for (size_t q = 0; q < m->ndepends; q++) {
        const char *dep = m->depends_on[q];
        const ir_migration *w = p->migs[nxt];
        if (strcmp(dep, w->id) == 0 ||
            (strncmp(dep, "group:", 6) == 0 && w->group && strcmp(dep + 6, w->group) == 0)) {
            at = m->depends_pos[q];
            end = dep_end(m, q);
            break;
        }
    }
    jy_diag *dg = jy_diag_at(diags, JY_SEV_ERROR, JY_EXIT_ERROR, "dag.cycle", m->src, at, end,
                             "depends_on cycle: %s", b.data ? b.data : "");
    if (dg)
        jy_diag_hint(dg, "remove one of these depends_on entries");
    jy_buf_free(&b);
    free(seen);
    free(path);
}

int ir_dag_build(const ir_program *p, ir_dialect d, ir_dag **out, jy_diags *diags)
{
    *out = NULL;
    size_t n = p->n;
    ir_dag *g = calloc(1, sizeof *g);
    gm *grp = calloc(n + 1, sizeof *grp);
    size_t *indeg = NULL, *heap = NULL, *succ_first = NULL, *succ = NULL;
    bool *placed = NULL;
    int rc = -1;
    if (!g || !grp)
        goto out;
    g->p = p;
    g->n = n;
    g->first = calloc(n + 2, sizeof *g->first);
    g->order = calloc(n + 1, sizeof *g->order);
    g->fullpos = calloc(n + 1, sizeof *g->fullpos);
    g->pos = calloc(n + 1, sizeof *g->pos);
    g->stamp = calloc(n + 1, sizeof *g->stamp);
    g->stack = calloc(n + 1, sizeof *g->stack);
    indeg = calloc(n + 1, sizeof *indeg);
    heap = calloc(n + 1, sizeof *heap);
    placed = calloc(n + 1, sizeof *placed);
    succ_first = calloc(n + 2, sizeof *succ_first);
    if (!g->first || !g->order || !g->fullpos || !g->pos || !g->stamp || !g->stack || !indeg ||
        !heap || !placed || !succ_first)
        goto out;
    size_t ngrp = 0;
    for (size_t j = 0; j < n; j++)
        if (p->migs[j]->group)
            grp[ngrp++] = (gm){p->migs[j]->group, j};
    if (ngrp > 1)
        qsort(grp, ngrp, sizeof *grp, gm_cmp);
    if (resolve(g, grp, ngrp, 0, diags))
        goto out;
    for (size_t i = 0; i < n; i++)
        g->first[i + 1] += g->first[i];
    g->dep = calloc(g->first[n] + 1, sizeof *g->dep);
    if (!g->dep)
        goto out;
    resolve(g, grp, ngrp, 1, diags);
    for (size_t i = n; i > 0; i--)
        g->first[i] = g->first[i - 1];
    g->first[0] = 0;
    /* successors (CSR) for Kahn */
    for (size_t i = 0; i < n; i++)
        for (size_t e = g->first[i]; e < g->first[i + 1]; e++) {
            succ_first[g->dep[e] + 1]++;
            indeg[i]++;
        }
    for (size_t j = 0; j < n; j++)
        succ_first[j + 1] += succ_first[j];
    succ = calloc(succ_first[n] + 1, sizeof *succ);
    if (!succ)
        goto out;
    for (size_t i = 0; i < n; i++)
        for (size_t e = g->first[i]; e < g->first[i + 1]; e++)
            succ[succ_first[g->dep[e]]++] = i;
    for (size_t j = n; j > 0; j--)
        succ_first[j] = succ_first[j - 1];
    succ_first[0] = 0;
    /*
     * Kahn, the smallest ready index first, without a heap in the common
     * case: a cursor scans the indexes in order and takes each ready one;
     * a migration that becomes ready behind the cursor (its dependencies
     * were placed after the cursor passed it) goes into a min-heap, whose
     * members are all smaller than the cursor and so come first.  A history
     * whose depends_on point back in id order never uses the heap.
     */
    size_t nh = 0, k = 0, cur = 0;
    for (;;) {
        while (cur < n && indeg[cur] != 0)
            cur++;
        size_t v;
        if (nh)
            v = heap_pop(heap, &nh);
        else if (cur < n)
            v = cur++;
        else
            break;
        placed[v] = true;
        g->fullpos[v] = k;
        g->order[k++] = v;
        for (size_t e = succ_first[v]; e < succ_first[v + 1]; e++)
            if (--indeg[succ[e]] == 0 && succ[e] < cur)
                heap_push(heap, &nh, succ[e]);
    }
    if (k < n) {
        report_cycle(g, placed, diags);
        goto out;
    }
    size_t w = 0;
    for (size_t q = 0; q < n; q++) {
        size_t v = g->order[q];
        g->pos[v] = (size_t)-1;
        if (d == IR_D__COUNT || (p->migs[v]->dialects & IR_DMASK(d))) {
            g->pos[v] = w;
            g->order[w++] = v;
        }
    }
    g->norder = w;
    *out = g;
    g = NULL;
    rc = 0;
out:
    free(grp);
    free(indeg);
    free(heap);
    free(placed);
    free(succ_first);
    free(succ);
    ir_dag_free(g);
    return rc;
}

void ir_dag_free(ir_dag *g)
{
    if (!g)
        return;
    free(g->first);
    free(g->dep);
    free(g->order);
    free(g->fullpos);
    free(g->pos);
    free(g->stamp);
    free(g->stack);
    free(g);
}

const size_t *ir_dag_order(const ir_dag *g, size_t *n)
{
    *n = g->norder;
    return g->order;
}

size_t ir_dag_position(const ir_dag *g, size_t i)
{
    return i < g->n ? g->pos[i] : (size_t)-1;
}

const size_t *ir_dag_deps(const ir_dag *g, size_t i, size_t *n)
{
    if (i >= g->n) {
        *n = 0;
        return NULL;
    }
    *n = g->first[i + 1] - g->first[i];
    return g->dep + g->first[i];
}

/*
 * Depth-first search from `to` through its dependencies, visiting only
 * nodes placed after `from` in the full order (a dependency always comes
 * earlier, so nothing placed before `from` can lead to it).
 */
bool ir_dag_reaches(ir_dag *g, size_t from, size_t to)
{
    if (from >= g->n || to >= g->n || from == to)
        return false;
    size_t lim = g->fullpos[from];
    if (g->fullpos[to] <= lim)
        return false;
    if (++g->gen == 0) { /* wrapped: clear the stamps */
        memset(g->stamp, 0, g->n * sizeof *g->stamp);
        g->gen = 1;
    }
    size_t sp = 0;
    g->stack[sp++] = to;
    g->stamp[to] = g->gen;
    while (sp) {
        size_t v = g->stack[--sp];
        for (size_t e = g->first[v]; e < g->first[v + 1]; e++) {
            size_t w = g->dep[e];
            if (w == from)
                return true;
            if (g->stamp[w] == g->gen || g->fullpos[w] <= lim)
                continue;
            g->stamp[w] = g->gen;
            g->stack[sp++] = w;
        }
    }
    return false;
}

bool ir_dag_ordered(ir_dag *g, size_t a, size_t b)
{
    return ir_dag_reaches(g, a, b) || ir_dag_reaches(g, b, a);
}

/* ------------------------------------------ depends_on, groups expanded */

size_t ir_depends_bound(const ir_program *p, const ir_migration *m)
{
    size_t n = m->ndepends;
    for (size_t i = 0; i < m->ndepends; i++)
        if (strncmp(m->depends_on[i], "group:", 6) == 0)
            n += p->n;
    return n;
}

size_t ir_depends_expand(const ir_program *p, const ir_migration *m, const char **v)
{
    size_t n = 0;
    for (size_t i = 0; i < m->ndepends; i++) {
        const char *dep = m->depends_on[i];
        if (strncmp(dep, "group:", 6) != 0) {
            if (!jy_str_in(v, n, dep))
                v[n++] = dep;
            continue;
        }
        /* a group's members are distinct (ids are unique in a program):
           each is looked for only among what earlier entries listed */
        size_t before = n;
        for (size_t j = 0; j < p->n; j++) {
            const ir_migration *g = p->migs[j];
            if (g != m && g->group && strcmp(g->group, dep + 6) == 0 &&
                !jy_str_in(v, before, g->id))
                v[n++] = g->id;
        }
    }
    return n;
}
