/*
 * effects.c - what each op reads and writes (issue 5).  Placeholder until
 * the effects pass lands: every migration has no effects.
 */
#include "ir.h"

struct ir_effects {
    size_t n;
};

int ir_effects_compute(const ir_program *p, jy_arena *a, ir_effects ***out, jy_diags *d)
{
    (void)d;
    ir_effects **v = jy_arena_alloc(a, (p->n ? p->n : 1) * sizeof *v);
    for (size_t i = 0; i < p->n; i++)
        v[i] = jy_arena_alloc(a, sizeof **v);
    *out = v;
    return 0;
}

size_t ir_effects_strings(const ir_effects *e, jy_arena *a, const char ***out)
{
    (void)e;
    (void)a;
    *out = NULL;
    return 0;
}

ir_effects *ir_effects_from_strings(const char *const *s, size_t n, jy_arena *a)
{
    (void)s;
    (void)n;
    return jy_arena_alloc(a, sizeof(ir_effects));
}
