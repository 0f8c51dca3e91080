/* parser.y - placeholder grammar (the real one replaces it). */
%name feParse
%token_prefix TK_
%token_type { fe_token }
%include {
#include "fe_int.h"
}
%token ILLEGAL INDENT DEDENT.
module ::= NEWLINE.
