/*
 * effects.c - what each op reads and writes (issue 5).  Placeholder bodies
 * while the pass is written: every migration has no effects.
 */
#include "ir.h"

int ir_effects_compute(const ir_program *p, jy_arena *a, ir_effects ***out, jy_diags *d)
{
    (void)d;
    ir_effects **v = jy_arena_calloc(a, p->n ? p->n : 1, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < p->n; i++) {
        v[i] = jy_arena_calloc(a, 1, sizeof **v);
        if (!v[i])
            return -1;
        v[i]->migration = p->migs[i]->id;
        v[i]->mig = p->migs[i];
    }
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
    return jy_arena_calloc(a, 1, sizeof(ir_effects));
}

const char *ir_eff_verb_name(ir_eff_verb v)
{
    (void)v;
    return "?";
}

const char *ir_eff_kind_name(ir_eff_kind k)
{
    (void)k;
    return "?";
}

const char *ir_effect_describe(const ir_effect *e, jy_arena *a)
{
    (void)e;
    (void)a;
    return "";
}
