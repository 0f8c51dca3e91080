/* commute.c - the commutativity analysis (issue 5).  Placeholder bodies. */
#include "ir.h"

const char *ir_conflict_kind_name(ir_conflict_kind k)
{
    (void)k;
    return "none";
}
bool ir_concurrent(ir_dag *g, const ir_concurrency *cc, size_t a, size_t b)
{
    (void)g;
    (void)cc;
    (void)a;
    (void)b;
    return false;
}
int ir_verify_pairs(const ir_program *p, ir_dag *g, ir_effects *const *eff,
                    const ir_concurrency *cc, ir_conflict **out, size_t *n, jy_arena *a,
                    jy_diags *d)
{
    (void)p;
    (void)g;
    (void)eff;
    (void)cc;
    (void)a;
    (void)d;
    *out = NULL;
    *n = 0;
    return 0;
}
int ir_verify_program(const ir_program *p, const ir_concurrency *cc, ir_conflict **out,
                      size_t *n, jy_arena *a, jy_diags *d)
{
    return ir_verify_pairs(p, NULL, NULL, cc, out, n, a, d);
}
bool ir_effects_conflict(const ir_effects *a, const ir_effects *b, jy_arena *ar,
                         ir_conflict *out)
{
    (void)a;
    (void)b;
    (void)ar;
    (void)out;
    return false;
}
