/* lexer.re - placeholder lexer (the real one replaces it). */
#include "fe_int.h"
#include "parser.h"
#include <stdlib.h>

struct fe_lexer { jy_source *src; const char *cur; };

fe_lexer *fe_lexer_new(jy_source *src, jy_arena *arena, jy_diags *d)
{
    (void)arena; (void)d;
    fe_lexer *lx = calloc(1, sizeof *lx);
    if (lx) { lx->src = src; lx->cur = src->text; }
    return lx;
}

int fe_lexer_next(fe_lexer *lx, fe_token *out)
{
    const char *YYCURSOR = lx->cur, *YYMARKER;
    (void)YYMARKER;
    out->start = (uint32_t)(lx->cur - lx->src->text);
    /*!re2c
        re2c:yyfill:enable = 0;
        re2c:define:YYCTYPE = char;
        "\x00" { lx->cur = YYCURSOR - 1; return 0; }
        *      { lx->cur = YYCURSOR; return TK_ILLEGAL; }
    */
}

const fe_comment *fe_lexer_comments(const fe_lexer *lx, size_t *n) { (void)lx; *n = 0; return NULL; }
void fe_lexer_free(fe_lexer *lx) { free(lx); }
