/* frontend.c - compile files and directories (placeholder). */
#include "fe_int.h"

#include <stdlib.h>

void fe_options_init(fe_options *o)
{
    o->targets = IR_DMASK_DEFAULT;
    o->single_file = false;
}

int fe_list_dir(const char *dir, char ***paths, size_t *n, jy_diags *d)
{
    (void)dir; (void)d;
    *paths = NULL;
    *n = 0;
    return 0;
}

void fe_free_paths(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

int fe_compile(const char *const *paths, size_t npaths, const fe_options *opt, ir_program **out,
               jy_diags *d)
{
    (void)paths; (void)npaths; (void)opt; (void)d;
    *out = NULL;
    return -1;
}

int fe_compile_memory(const char *name, const char *text, size_t len, const fe_options *opt,
                      ir_program **out, jy_diags *d)
{
    (void)name; (void)text; (void)len; (void)opt; (void)d;
    *out = NULL;
    return -1;
}
