/* sema.c - AST to IR (placeholder). */
#include "fe_int.h"

int fe_sema_module(fe_module *m, const fe_options *opt, ir_program *prog, jy_diags *d,
                   ir_migration **out)
{
    (void)m; (void)opt; (void)prog; (void)d;
    *out = NULL;
    return -1;
}

int fe_sema_program(ir_program *prog, const fe_options *opt, jy_diags *d)
{
    (void)prog; (void)opt; (void)d;
    return 0;
}
