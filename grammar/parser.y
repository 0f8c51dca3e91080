/*
 * parser.y - the grammar of joryu's migration language, a declarative
 * subset of Python (lemon LALR(1); generated into the build tree).
 *
 * Directives:
 *   %name feParse            entry points feParseAlloc / feParse / feParseFree
 *   %token_prefix TK_        token codes TK_* in the generated parser.h, which
 *                            the lexer (grammar/lexer.re) includes
 *   %token_type fe_token     every terminal carries its token (a slice of the
 *                            source plus the decoded string / number)
 *   %extra_context ps        the parse state (fe_pstate, frontend/parse_int.h):
 *                            arena, diagnostics, lexer, context for messages
 *   %syntax_error            one message per error, telling the end of the file
 *                            from "near X"; parse.c words it from the token and
 *                            the set of tokens this state accepts
 *   %stack_overflow          a clear error (the driver stops feeding tokens)
 *   %parse_failure           lemon gave up: make sure something was reported
 *   %stack_size 0            a growing stack, capped at FE_PARSER_STACK_BYTES
 *                            (about 1,500 entries); the lexer caps bracket
 *                            nesting (FE_MAX_NESTING) and indentation
 *                            (FE_MAX_INDENT), so only absurd unary chains
 *                            reach the cap
 *
 * Actions only call the fe_b_* builders of parse.c, which allocate AST nodes
 * in the arena; no value owns memory outside it, so there is no %destructor.
 *
 * Error recovery: `error NEWLINE` (and `error NEWLINE INDENT ... DEDENT` for a
 * broken compound-statement header followed by its body) resynchronise at
 * the next statement; lemon reports no new error until three tokens were
 * shifted after a recovery, so one mistake gives one message.
 */

%name feParse
%token_prefix TK_
%token_type { fe_token }
%extra_context { fe_pstate *ps }
%stack_size 0
%start_symbol module

%include {
#include "parse_int.h"
#include <stdlib.h>
/* The stack grows on demand (most files need a few dozen entries) up to
 * FE_PARSER_STACK_BYTES; past that the grow fails and %stack_overflow
 * reports it.  lempar.c grows with plain malloc/realloc. */
#define malloc(n) fe_parser_stack_grow(NULL, (n))
#define realloc(p, n) fe_parser_stack_grow((p), (n))
}

%syntax_error {
    /* Which tokens would this state take?  Used to say "expected ':'". */
    static const struct { int tk; unsigned bit; } cand[] = {
        {TK_COLON, FE_X_COLON},       {TK_RPAREN, FE_X_RPAREN},
        {TK_RBRACKET, FE_X_RBRACKET}, {TK_RBRACE, FE_X_RBRACE},
        {TK_INDENT, FE_X_INDENT},     {TK_NAME, FE_X_NAME},
        {TK_IMPORT, FE_X_IMPORT},     {TK_DEF, FE_X_DEF},
        {TK_INTEGER, FE_X_EXPR},      {TK_NEWLINE, FE_X_NEWLINE},
        {TK_COMMA, FE_X_COMMA},
    };
    unsigned expect = 0;
    YYACTIONTYPE st = yypParser->yytos->stateno;
    if (st <= YY_SHIFT_COUNT) {
        for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
            if (yy_find_shift_action((YYCODETYPE)cand[i].tk, st) != YY_ERROR_ACTION)
                expect |= cand[i].bit;
    }
    fe_p_syntax_error(ps, yymajor, &yyminor, expect);
}
%stack_overflow { fe_p_stack_overflow(ps); }
%parse_failure { fe_p_parse_failure(ps); }

/* Token order fixes the TK_* numbers (0 is the end of input). */
%token NEWLINE INDENT DEDENT NAME STRING INTEGER FLOAT
       LPAREN RPAREN LBRACKET RBRACKET LBRACE RBRACE COMMA COLON DOT SEMI
       EQ EQEQ NE ARROW AT STAR DOUBLESTAR MINUS ELLIPSIS
       IMPORT FROM AS DEF IF ELIF ELSE WITH PASS TRUE FALSE NONE
       AND OR NOT IN IS ISNOT PYKW PYOP ILLEGAL.

/* Precedence, lowest first. */
%nonassoc ERRLINE.
%nonassoc INDENT.
%left OR.
%left AND.
%right NOT.
%nonassoc EQEQ NE IN IS ISNOT.
%right MINUS.
%left DOT LPAREN.

%type errline { fe_token }
%type stmts { fe_vec * }
%type stmt_line { fe_line }
%type simple_list { fe_line }
%type small { fe_stmt * }
%type compound { fe_stmt * }
%type suite { fe_vec * }
%type decorators { fe_vec * }
%type funcdef { fe_stmt * }
%type params { fe_vec * }
%type paramlist { fe_vec * }
%type ret { fe_expr * }
%type ifchain { fe_ifchain * }
%type dotted { fe_dotted * }
%type import_as_list { fe_vec * }
%type import_list { fe_vec * }
%type import_item { fe_import_name * }
%type expr { fe_expr * }
%type primary { fe_expr * }
%type atom { fe_expr * }
%type strings { fe_strlist * }
%type exprlist { fe_vec * }
%type args { fe_vec * }
%type arglist { fe_vec * }
%type arg { fe_arg * }
%type dictitems { fe_vec * }

/* ------------------------------------------------------------ module */

module ::= stmts(B).                          { fe_b_module(ps, B); }

/* The first `stmts` of a parse is the module's: kept so that a parse that
 * lemon abandons (stack overflow, end of file in recovery) still hands
 * its complete top-level statements to sema. */
stmts(A) ::= .                                { A = fe_b_vec(ps); if (!ps->top) ps->top = A; }
stmts(A) ::= stmts(L) stmt_line(S).           { A = L; fe_b_add_line(ps, A, S); }

stmt_line(A) ::= simple_list(L) NEWLINE.      { A = L; }
stmt_line(A) ::= simple_list(L) SEMI NEWLINE. { A = L; }
stmt_line(A) ::= compound(C).                 { A.first = C; A.more = NULL; }
/* recovery: skip to the end of the line (and over the body of a broken header) */
stmt_line(A) ::= errline(N). [ERRLINE]         { A.first = fe_b_error_stmt(ps, N.start, N.end); A.more = NULL; }
stmt_line(A) ::= errline(N) INDENT stmts DEDENT(D).
                                              { A.first = fe_b_error_stmt(ps, N.start, D.end); A.more = NULL; }
/* The statement is over: the next line may report its own error at once
 * (lemon would otherwise wait for three shifted tokens). */
errline(A) ::= error NEWLINE(N).              { A = N; yypParser->yyerrcnt = -1; }
/* an indented block where no block may start */
stmt_line(A) ::= INDENT(I) stmts DEDENT(D).   { A.first = fe_b_stray_indent(ps, &I, &D); A.more = NULL; }

simple_list(A) ::= small(S).                  { A.first = S; A.more = NULL; }
simple_list(A) ::= simple_list(L) SEMI small(S). { A = fe_b_line_add(ps, L, S); }

/* ---------------------------------------------------- simple statements */

small(A) ::= PASS(P).                         { A = fe_b_stmt(ps, FE_S_PASS, P.start, P.end); }
small(A) ::= expr(E).                         { A = fe_b_expr_stmt(ps, E); }
small(A) ::= expr(T) EQ expr(V).              { A = fe_b_assign(ps, T, V); }
small(A) ::= IMPORT(K) import_as_list(L).     { A = fe_b_import(ps, FE_S_IMPORT, &K, L, 0); }
small(A) ::= FROM(K) dotted(M) IMPORT import_list(L).
                                              { fe_b_from_module(ps, L, M);
                                                A = fe_b_import(ps, FE_S_FROM_IMPORT, &K, L, 0); }
small(A) ::= FROM(K) dotted(M) IMPORT LPAREN import_list(L) RPAREN(R).
                                              { fe_b_from_module(ps, L, M);
                                                A = fe_b_import(ps, FE_S_FROM_IMPORT, &K, L, R.end); }
small(A) ::= FROM(K) dotted(M) IMPORT LPAREN import_list(L) COMMA RPAREN(R).
                                              { fe_b_from_module(ps, L, M);
                                                A = fe_b_import(ps, FE_S_FROM_IMPORT, &K, L, R.end); }

dotted(A) ::= NAME(N).                        { A = fe_b_dotted(ps, NULL, &N); }
dotted(A) ::= dotted(P) DOT NAME(N).          { A = fe_b_dotted(ps, P, &N); }

import_as_list(A) ::= dotted(M).              { A = fe_b_vec(ps);
                                                fe_b_push(ps, A, fe_b_import_name(ps, M, NULL, NULL)); }
import_as_list(A) ::= dotted(M) AS NAME(N).   { A = fe_b_vec(ps);
                                                fe_b_push(ps, A, fe_b_import_name(ps, M, NULL, &N)); }
import_as_list(A) ::= import_as_list(L) COMMA dotted(M).
                                              { A = L; fe_b_push(ps, A, fe_b_import_name(ps, M, NULL, NULL)); }
import_as_list(A) ::= import_as_list(L) COMMA dotted(M) AS NAME(N).
                                              { A = L; fe_b_push(ps, A, fe_b_import_name(ps, M, NULL, &N)); }

import_list(A) ::= import_item(I).            { A = fe_b_vec(ps); fe_b_push(ps, A, I); }
import_list(A) ::= import_list(L) COMMA import_item(I). { A = L; fe_b_push(ps, A, I); }
import_item(A) ::= NAME(N).                   { A = fe_b_import_name(ps, NULL, &N, NULL); }
import_item(A) ::= NAME(N) AS NAME(B).        { A = fe_b_import_name(ps, NULL, &N, &B); }

/* -------------------------------------------------- compound statements */

compound(A) ::= funcdef(F).                   { A = F; }
compound(A) ::= decorators(D) funcdef(F).     { A = F; F->u.def.decorators = (fe_expr **)D->v;
                                                F->u.def.ndecorators = D->n;
                                                F->start = D->start; }
decorators(A) ::= AT(T) expr(E) NEWLINE.      { A = fe_b_vec(ps); A->start = T.start; fe_b_push(ps, A, E); }
decorators(A) ::= decorators(L) AT expr(E) NEWLINE. { A = L; fe_b_push(ps, A, E); }

funcdef(A) ::= DEF(K) NAME(N) LPAREN params(P) RPAREN ret(R) COLON suite(B).
                                              { A = fe_b_def(ps, NULL, &K, &N, P, R, B); }
params(A) ::= .                               { A = fe_b_vec(ps); }
params(A) ::= paramlist(L).                   { A = L; }
params(A) ::= paramlist(L) COMMA.             { A = L; }
paramlist(A) ::= NAME(N).                     { A = fe_b_vec(ps); fe_b_push(ps, A, fe_b_param(ps, &N)); }
paramlist(A) ::= paramlist(L) COMMA NAME(N).  { A = L; fe_b_push(ps, A, fe_b_param(ps, &N)); }
ret(A) ::= .                                  { A = NULL; }
ret(A) ::= ARROW expr(E).                     { A = E; }

compound(A) ::= WITH(K) expr(E) AS NAME(N) COLON suite(B). { A = fe_b_with(ps, &K, E, &N, B); }
compound(A) ::= WITH(K) expr(E) COLON suite(B).            { A = fe_b_with(ps, &K, E, NULL, B); }

compound(A) ::= ifchain(C).                   { A = fe_b_if_end(ps, C, NULL); }
compound(A) ::= ifchain(C) ELSE COLON suite(B). { A = fe_b_if_end(ps, C, B); }
ifchain(A) ::= IF(K) expr(E) COLON suite(B).  { A = fe_b_if(ps, NULL, &K, E, B); }
ifchain(A) ::= ifchain(C) ELIF(K) expr(E) COLON suite(B). { A = fe_b_if(ps, C, &K, E, B); }

suite(A) ::= simple_list(L) NEWLINE.          { A = fe_b_line_vec(ps, L); }
suite(A) ::= simple_list(L) SEMI NEWLINE.     { A = fe_b_line_vec(ps, L); }
suite(A) ::= NEWLINE INDENT stmts(L) DEDENT.  { A = L; }

/* ---------------------------------------------------------- expressions */

expr(A) ::= primary(P).                       { A = P; }
expr(A) ::= expr(L) OR expr(R).               { A = fe_b_binary(ps, FE_E_OR, FE_CMP_EQ, L, R); }
expr(A) ::= expr(L) AND expr(R).              { A = fe_b_binary(ps, FE_E_AND, FE_CMP_EQ, L, R); }
expr(A) ::= NOT(K) expr(E).                   { A = fe_b_unary(ps, FE_E_NOT, &K, E); }
expr(A) ::= expr(L) EQEQ expr(R).             { A = fe_b_binary(ps, FE_E_CMP, FE_CMP_EQ, L, R); }
expr(A) ::= expr(L) NE expr(R).               { A = fe_b_binary(ps, FE_E_CMP, FE_CMP_NE, L, R); }
expr(A) ::= expr(L) IN expr(R).               { A = fe_b_binary(ps, FE_E_CMP, FE_CMP_IN, L, R); }
expr(A) ::= expr(L) NOT IN expr(R). [IN]      { A = fe_b_binary(ps, FE_E_CMP, FE_CMP_NOT_IN, L, R); }
expr(A) ::= expr(L) IS expr(R).               { A = fe_b_binary(ps, FE_E_CMP, FE_CMP_IS, L, R); }
expr(A) ::= expr(L) ISNOT expr(R).            { A = fe_b_binary(ps, FE_E_CMP, FE_CMP_IS_NOT, L, R); }
expr(A) ::= MINUS(K) expr(E). [MINUS]         { A = fe_b_unary(ps, FE_E_NEG, &K, E); }

primary(A) ::= atom(E).                       { A = E; }
primary(A) ::= NAME(N).                       { A = fe_b_name(ps, &N); }
primary(A) ::= primary(O) DOT NAME(N).        { A = fe_b_attr(ps, O, &N); }
primary(A) ::= primary(F) LPAREN args(L) RPAREN(R). { A = fe_b_call(ps, F, L, &R); }

atom(A) ::= strings(L).                       { A = fe_b_str(ps, L); }
atom(A) ::= INTEGER(T).                       { A = fe_b_lit(ps, FE_E_INT, &T); }
atom(A) ::= FLOAT(T).                         { A = fe_b_lit(ps, FE_E_FLOAT, &T); }
atom(A) ::= TRUE(T).                          { A = fe_b_lit(ps, FE_E_TRUE, &T); }
atom(A) ::= FALSE(T).                         { A = fe_b_lit(ps, FE_E_FALSE, &T); }
atom(A) ::= NONE(T).                          { A = fe_b_lit(ps, FE_E_NONE, &T); }
atom(A) ::= ELLIPSIS(T).                      { A = fe_b_lit(ps, FE_E_ELLIPSIS, &T); }
atom(A) ::= LPAREN(O) RPAREN(C).              { A = fe_b_seq(ps, FE_E_TUPLE, NULL, &O, &C); }
atom(A) ::= LPAREN(O) expr(E) RPAREN(C).      { A = fe_b_paren(ps, E, &O, &C); }
atom(A) ::= LPAREN(O) expr(E) COMMA RPAREN(C). { fe_vec *v = fe_b_vec(ps); fe_b_push(ps, v, E);
                                                A = fe_b_seq(ps, FE_E_TUPLE, v, &O, &C); }
atom(A) ::= LPAREN(O) expr(E) COMMA exprlist(L) RPAREN(C).
                                              { fe_vec *v = fe_b_vec(ps); fe_b_push(ps, v, E);
                                                fe_b_extend(ps, v, L);
                                                A = fe_b_seq(ps, FE_E_TUPLE, v, &O, &C); }
atom(A) ::= LPAREN(O) expr(E) COMMA exprlist(L) COMMA RPAREN(C).
                                              { fe_vec *v = fe_b_vec(ps); fe_b_push(ps, v, E);
                                                fe_b_extend(ps, v, L);
                                                A = fe_b_seq(ps, FE_E_TUPLE, v, &O, &C); }
atom(A) ::= LBRACKET(O) RBRACKET(C).          { A = fe_b_seq(ps, FE_E_LIST, NULL, &O, &C); }
atom(A) ::= LBRACKET(O) exprlist(L) RBRACKET(C). { A = fe_b_seq(ps, FE_E_LIST, L, &O, &C); }
atom(A) ::= LBRACKET(O) exprlist(L) COMMA RBRACKET(C). { A = fe_b_seq(ps, FE_E_LIST, L, &O, &C); }
atom(A) ::= LBRACE(O) RBRACE(C).              { A = fe_b_dict(ps, NULL, &O, &C); }
atom(A) ::= LBRACE(O) dictitems(L) RBRACE(C). { A = fe_b_dict(ps, L, &O, &C); }
atom(A) ::= LBRACE(O) dictitems(L) COMMA RBRACE(C). { A = fe_b_dict(ps, L, &O, &C); }

strings(A) ::= STRING(T).                     { A = fe_b_strlist(ps, NULL, &T); }
strings(A) ::= strings(L) STRING(T).          { A = fe_b_strlist(ps, L, &T); }

exprlist(A) ::= expr(E).                      { A = fe_b_vec(ps); fe_b_push(ps, A, E); }
exprlist(A) ::= exprlist(L) COMMA expr(E).    { A = L; fe_b_push(ps, A, E); }

/* dict items are pushed key, value, key, value... */
dictitems(A) ::= expr(K) COLON expr(V).       { A = fe_b_vec(ps); fe_b_push(ps, A, K); fe_b_push(ps, A, V); }
dictitems(A) ::= dictitems(L) COMMA expr(K) COLON expr(V).
                                              { A = L; fe_b_push(ps, A, K); fe_b_push(ps, A, V); }

args(A) ::= .                                 { A = fe_b_vec(ps); }
args(A) ::= arglist(L).                       { A = L; }
args(A) ::= arglist(L) COMMA.                 { A = L; }
arglist(A) ::= arg(X).                        { A = fe_b_vec(ps); fe_b_push(ps, A, X); }
arglist(A) ::= arglist(L) COMMA arg(X).       { A = L; fe_b_push(ps, A, X); }
arg(A) ::= expr(E).                           { A = fe_b_arg(ps, NULL, E, 0, E->start); }
arg(A) ::= NAME(K) EQ expr(E).                { A = fe_b_arg(ps, &K, E, 0, K.start); }
arg(A) ::= STAR(S) expr(E).                   { A = fe_b_arg(ps, NULL, E, 1, S.start); }
arg(A) ::= DOUBLESTAR(S) expr(E).             { A = fe_b_arg(ps, NULL, E, 2, S.start); }
