/* parse.c - drives the lexer and the lemon parser (placeholder). */
#include "fe_int.h"

int fe_parse(jy_source *src, jy_arena *arena, jy_diags *d, fe_module **out)
{
    (void)arena;
    *out = NULL;
    jy_diag_at(d, JY_SEV_ERROR, JY_EXIT_ERROR, "parse.unimplemented", src, 0, 0,
               "the parser is not built yet");
    return -1;
}
