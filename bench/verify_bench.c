/*
 * verify_bench.c - times the analysis of `verify` (the depends_on DAG, the
 * effects of every op, the commutativity analysis) on one history
 * (bench/run_verify.sh builds and runs it; it is not part of the CMake
 * build).
 *
 *   verify_bench DIR [RUNS] [CONCURRENT]
 *
 * Compiles DIR once (fe_compile), then runs the analysis RUNS times
 * (default 3) in two set-ups of CONCURRENT (default 200) concurrent
 * migrations, and prints one line per set-up with the median times:
 *
 *   base: the last CONCURRENT migrations by id were added since a merge
 *         base, alternately on this branch (side A) and on the other one
 *         (side B); the rest is settled (verify --base).
 *   db:   CONCURRENT migrations spread over the history (every N/C-th) are
 *         pending in the database, the rest applied: pending ones are
 *         compared with each other and with the applied ones after them
 *         (verify --db, out-of-order pending migrations).
 *
 *   <setup> dag=<s> effects=<s> pairs=<s> total=<s> conflicts=<n> arena_kb=<n> best=<s>
 *
 * (best: the fastest run's total, less sensitive to a loaded machine).
 *
 * and first `compile=<s> migrations=<n> rss_kb=<peak after compile>`, then
 * `replay=<median s>` (ir_replay_schema for the dialect effects replay, the
 * floor of the effects pass), last `rss_kb=<peak at the end>`.  Exit 1 when the history does not compile or
 * the analysis fails (diagnostics on stderr).
 */
#include "frontend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One analysis: times in t[0..3) (dag, effects, pairs).  -1 on failure. */
static int analyse(const ir_program *p, const ir_concurrency *cc, double t[3], size_t *nconf,
                   size_t *arena_bytes, jy_diags *d)
{
    jy_arena *a = jy_arena_new();
    if (!a)
        return -1;
    double t0 = now();
    ir_dag *g = NULL;
    ir_effects **eff = NULL;
    ir_conflict *c = NULL;
    int rc = ir_dag_build(p, IR_D__COUNT, &g, d);
    double t1 = now();
    if (rc == 0)
        rc = ir_effects_compute(p, a, &eff, d);
    double t2 = now();
    if (rc == 0)
        rc = ir_verify_pairs(p, g, eff, cc, &c, nconf, a, d);
    double t3 = now();
    t[0] = t1 - t0;
    t[1] = t2 - t1;
    t[2] = t3 - t2;
    *arena_bytes = jy_arena_bytes(a);
    ir_dag_free(g);
    jy_arena_free(a);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: verify_bench DIR [RUNS] [CONCURRENT]\n");
        return 2;
    }
    int runs = argc >= 3 ? atoi(argv[2]) : 3;
    long conc = argc >= 4 ? atol(argv[3]) : 200;
    if (runs < 1 || runs > 100 || conc < 2) {
        fprintf(stderr, "verify_bench: RUNS must be 1..100, CONCURRENT at least 2\n");
        return 2;
    }
    fe_options o;
    fe_options_init(&o);
    jy_diags d;
    jy_diags_init(&d);
    ir_program *p = NULL;
    const char *paths[] = {argv[1]};
    double c0 = now();
    if (fe_compile(paths, 1, &o, &p, &d)) {
        jy_diags_print(&d, stderr, 0);
        return 1;
    }
    printf("compile=%.3f migrations=%zu rss_kb=%ld\n", now() - c0, p->n, peak_rss_kb());
    double rp[100];
    ir_dialect rd = IR_D_POSTGRESQL;
    for (int di = 0; di < IR_D__COUNT; di++)
        if (p->targets & IR_DMASK((ir_dialect)di)) {
            rd = (ir_dialect)di;
            break;
        }
    for (int r = 0; r < runs; r++) {
        double a = now();
        ir_schema *s = ir_replay_schema(p, rd, NULL, &d);
        rp[r] = now() - a;
        if (!s) {
            jy_diags_print(&d, stderr, 0);
            return 1;
        }
        ir_schema_free(s);
    }
    printf("replay=%.4f\n", median(rp, runs));
    size_t n = p->n, k = (size_t)conc < n ? (size_t)conc : n;
    unsigned char *side = calloc(n ? n : 1, 1);
    if (!side)
        return 1;
    int rc = 0;
    for (int setup = 0; setup < 2 && rc == 0; setup++) {
        memset(side, IR_SIDE_SETTLED, n);
        ir_concurrency cc = {.side = side};
        if (setup == 0) {
            for (size_t i = n - k, j = 0; i < n; i++, j++)
                side[i] = j % 2 ? IR_SIDE_B : IR_SIDE_A;
        } else {
            size_t step = n / k;
            for (size_t j = 0; j < k; j++)
                side[j * step + step / 2] = IR_SIDE_A;
            cc.same_side = true;
            cc.settled_after = true;
        }
        double t[4][100];
        size_t nconf = 0, bytes = 0;
        for (int r = 0; r < runs && rc == 0; r++) {
            double one[3];
            if (analyse(p, &cc, one, &nconf, &bytes, &d)) {
                jy_diags_print(&d, stderr, 0);
                rc = 1;
                break;
            }
            t[0][r] = one[0];
            t[1][r] = one[1];
            t[2][r] = one[2];
            t[3][r] = one[0] + one[1] + one[2];
        }
        if (rc)
            break;
        double best = t[3][0];
        for (int r = 1; r < runs; r++)
            if (t[3][r] < best)
                best = t[3][r];
        printf("%s dag=%.4f effects=%.4f pairs=%.4f total=%.4f conflicts=%zu arena_kb=%zu "
               "best=%.4f\n",
               setup == 0 ? "base" : "db", median(t[0], runs), median(t[1], runs),
               median(t[2], runs), median(t[3], runs), nconf, bytes / 1024, best);
    }
    printf("rss_kb=%ld\n", peak_rss_kb());
    free(side);
    ir_program_free(p);
    jy_diags_free(&d);
    return rc;
}
