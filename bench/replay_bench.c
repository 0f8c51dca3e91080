/*
 * replay_bench.c - times schema replay and SQL emission of one history
 * (bench/run_replay.sh builds and runs it; it is not part of the CMake
 * build).
 *
 *   replay_bench DIR [RUNS]
 *
 * Compiles DIR once (fe_compile), then for every target dialect of the
 * program runs ir_replay_schema and be_emit_program RUNS times (default 3)
 * and prints one line per dialect:
 *
 *   <dialect> tables=<n> replay=<median s> emit=<median s>
 *
 * and first a line `compile=<s> migrations=<n>`.  Exit 1 when the history
 * does not compile, replay or emit (diagnostics on stderr).
 */
#include "backends.h"
#include "frontend.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
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

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: replay_bench DIR [RUNS]\n");
        return 2;
    }
    int runs = argc == 3 ? atoi(argv[2]) : 3;
    if (runs < 1 || runs > 100) {
        fprintf(stderr, "replay_bench: RUNS must be 1..100\n");
        return 2;
    }
    fe_options o;
    fe_options_init(&o);
    jy_diags d;
    jy_diags_init(&d);
    ir_program *p = NULL;
    const char *paths[] = {argv[1]};
    double t0 = now();
    if (fe_compile(paths, 1, &o, &p, &d)) {
        jy_diags_print(&d, stderr, 0);
        return 1;
    }
    printf("compile=%.3f migrations=%zu\n", now() - t0, p->n);
    double rt[100], et[100];
    int rc = 0;
    for (int di = 0; di < IR_D__COUNT && rc == 0; di++) {
        ir_dialect dl = (ir_dialect)di;
        if (p->targets && !(p->targets & IR_DMASK(dl)))
            continue;
        size_t ntables = 0;
        for (int r = 0; r < runs && rc == 0; r++) {
            double a = now();
            ir_schema *s = ir_replay_schema(p, dl, NULL, &d);
            double b = now();
            be_program *bp = NULL;
            if (!s || be_emit_program(p, dl, &bp, &d)) {
                jy_diags_print(&d, stderr, 0);
                rc = 1;
            }
            double c = now();
            if (s)
                ntables = s->ntables;
            ir_schema_free(s);
            be_program_free(bp);
            rt[r] = b - a;
            et[r] = c - b;
        }
        if (rc == 0)
            printf("%s tables=%zu replay=%.3f emit=%.3f\n", ir_dialect_name(dl), ntables,
                   median(rt, runs), median(et, runs));
    }
    jy_diags_free(&d);
    ir_program_free(p);
    return rc;
}
