/*
 * parse_int.h - hand-written; shared by the lexer (grammar/lexer.re), the grammar
 * (grammar/parser.y) and the parse driver (parse.c) only.  Everything else
 * in frontend/ uses fe_int.h.
 *
 * The grammar's actions only call the fe_b_* builders below; they allocate
 * every node in the parse state's arena (no malloc per token or node).
 */
#ifndef JORYU_PARSE_INT_H
#define JORYU_PARSE_INT_H

#include "fe_int.h"

/* Deepest indentation the lexer accepts (Python's limit too). */
#define FE_MAX_INDENT 100

/* ------------------------------------------------------- lexer extras */

/* Errors (not warnings) the lexer has reported so far. */
size_t fe_lexer_nerrors(const fe_lexer *lx);
/* The innermost open bracket: its character and offset; false when none. */
bool fe_lexer_open_bracket(const fe_lexer *lx, char *ch, uint32_t *pos);
/* The parser reported the innermost open bracket: no "never closed" at EOF. */
void fe_lexer_bracket_reported(fe_lexer *lx);

/* ------------------------------------------------------ parse state */

/* A growable array of pointers in the arena. */
typedef struct fe_vec {
    void **v;
    size_t n, cap;
    uint32_t start; /* decorators: where the first '@' is */
} fe_vec;

/* Adjacent string literals, concatenated once when the atom is reduced. */
typedef struct fe_strpart {
    const char *s;
    size_t len;
    struct fe_strpart *next;
} fe_strpart;
typedef struct fe_strlist {
    fe_strpart *first, *last;
    size_t total;
    uint32_t start, end;
} fe_strlist;

/* The statements of one logical line: `first`, and all of them in `more`
 * when `;` put several on the line (rare: no list for the common case). */
typedef struct fe_line {
    fe_stmt *first;
    fe_vec *more;
} fe_line;

/* `if` with its `elif`s while they are parsed: tail is the last FE_S_IF. */
typedef struct fe_ifchain {
    fe_stmt *head, *tail;
} fe_ifchain;

/* One `name [as alias]` of an import statement. */
typedef struct fe_dotted {
    const char *s;  /* made on first use from [start, end) */
    uint32_t start, end;
} fe_dotted;

/* The %extra_context of the lemon parser: everything an action needs. */
typedef struct fe_pstate {
    jy_source *src;
    jy_arena *arena;
    jy_diags *d;
    fe_lexer *lx;
    fe_vec *body;          /* the module's statements, set on accept */
    fe_vec *top;           /* the module's statement list while it grows */
    size_t nerrors;        /* syntax errors reported by the parser */
    bool overflow;         /* the parser stack overflowed: stop feeding it */
    bool failed;           /* lemon gave up (parse failure) */
    /* context for messages, kept by the driver */
    fe_token cur;          /* the token being fed to the parser */
    fe_token prev;         /* the token before it */
    fe_token line_first;   /* first token of the current logical line */
    fe_token header;       /* first token of the last line that ended in ':' */
    bool block_expected;   /* the current token follows such a line */
    bool after_try;        /* the last error was about 'try' */
    bool after_match;      /* ... about 'match' */
    size_t lex_errors_mark; /* lexer errors when the current line began */
} fe_pstate;

/* Syntax-error helpers called from parser.y's directives.  `expect` is a
 * bit set of FE_X_* saying which tokens the parser could accept there. */
enum {
    FE_X_COLON = 1 << 0,
    FE_X_RPAREN = 1 << 1,
    FE_X_RBRACKET = 1 << 2,
    FE_X_RBRACE = 1 << 3,
    FE_X_INDENT = 1 << 4,
    FE_X_NAME = 1 << 5,
    FE_X_IMPORT = 1 << 6,
    FE_X_DEF = 1 << 7,
    FE_X_EXPR = 1 << 8,   /* an expression may start here */
    FE_X_NEWLINE = 1 << 9,
    FE_X_COMMA = 1 << 10
};
void fe_p_syntax_error(fe_pstate *ps, int major, const fe_token *tok, unsigned expect);
void fe_p_stack_overflow(fe_pstate *ps);
void fe_p_parse_failure(fe_pstate *ps);

/* ---------------------------------------------------------- builders */

fe_vec *fe_b_vec(fe_pstate *ps);
void fe_b_push(fe_pstate *ps, fe_vec *v, void *item);
void fe_b_extend(fe_pstate *ps, fe_vec *v, fe_vec *items);

void fe_b_module(fe_pstate *ps, fe_vec *stmts);

fe_expr *fe_b_name(fe_pstate *ps, const fe_token *t);
fe_expr *fe_b_attr(fe_pstate *ps, fe_expr *obj, const fe_token *name);
fe_expr *fe_b_call(fe_pstate *ps, fe_expr *fn, fe_vec *args, const fe_token *rparen);
fe_arg *fe_b_arg(fe_pstate *ps, const fe_token *kw, fe_expr *value, int star, uint32_t start);
fe_strlist *fe_b_strlist(fe_pstate *ps, fe_strlist *l, const fe_token *t);
fe_expr *fe_b_str(fe_pstate *ps, fe_strlist *l);
fe_expr *fe_b_lit(fe_pstate *ps, fe_ekind kind, const fe_token *t);
/* list/tuple from items (NULL = empty) spanning the two bracket tokens */
fe_expr *fe_b_seq(fe_pstate *ps, fe_ekind kind, fe_vec *items, const fe_token *open,
                  const fe_token *close);
/* items alternate key, value, key, value... (NULL = empty) */
fe_expr *fe_b_dict(fe_pstate *ps, fe_vec *items, const fe_token *open, const fe_token *close);
fe_expr *fe_b_paren(fe_pstate *ps, fe_expr *e, const fe_token *open, const fe_token *close);
fe_expr *fe_b_unary(fe_pstate *ps, fe_ekind kind, const fe_token *op, fe_expr *operand);
fe_expr *fe_b_binary(fe_pstate *ps, fe_ekind kind, fe_cmp op, fe_expr *lhs, fe_expr *rhs);

fe_stmt *fe_b_stmt(fe_pstate *ps, fe_skind kind, uint32_t start, uint32_t end);
fe_stmt *fe_b_expr_stmt(fe_pstate *ps, fe_expr *e);
fe_stmt *fe_b_assign(fe_pstate *ps, fe_expr *target, fe_expr *value);
fe_dotted *fe_b_dotted(fe_pstate *ps, fe_dotted *prefix, const fe_token *name);
fe_import_name *fe_b_import_name(fe_pstate *ps, const fe_dotted *module, const fe_token *name,
                                 const fe_token *alias);
/* `from M import ...`: give every name in the list its module M. */
void fe_b_from_module(fe_pstate *ps, fe_vec *names, const fe_dotted *module);
fe_stmt *fe_b_import(fe_pstate *ps, fe_skind kind, const fe_token *kw, fe_vec *names,
                     uint32_t end);
fe_stmt *fe_b_def(fe_pstate *ps, fe_vec *decorators, const fe_token *def, const fe_token *name,
                  fe_vec *params, fe_expr *returns, fe_vec *body);
fe_param *fe_b_param(fe_pstate *ps, const fe_token *name);
fe_stmt *fe_b_with(fe_pstate *ps, const fe_token *kw, fe_expr *ctx, const fe_token *as,
                   fe_vec *body);
fe_ifchain *fe_b_if(fe_pstate *ps, fe_ifchain *chain, const fe_token *kw, fe_expr *cond,
                    fe_vec *body);
fe_stmt *fe_b_if_end(fe_pstate *ps, fe_ifchain *chain, fe_vec *orelse);
/* Lines: append a line's statements to a block; add a statement after `;`;
 * a one-line suite (`def f(): ...`) as a block. */
void fe_b_add_line(fe_pstate *ps, fe_vec *block, fe_line line);
fe_line fe_b_line_add(fe_pstate *ps, fe_line line, fe_stmt *s);
fe_vec *fe_b_line_vec(fe_pstate *ps, fe_line line);
/* A statement that failed to parse (already reported), spanning [start, end). */
fe_stmt *fe_b_error_stmt(fe_pstate *ps, uint32_t start, uint32_t end);
/* An indented block where none may start: reported here, returns an error stmt. */
fe_stmt *fe_b_stray_indent(fe_pstate *ps, const fe_token *indent, const fe_token *dedent);

/* --------------------------------------------------- lemon entry points */

/* lemon's stack: malloc/realloc that refuse to grow past this many bytes. */
#define FE_PARSER_STACK_BYTES ((size_t)1500 * (sizeof(fe_token) + 8))
void *fe_parser_stack_grow(void *old, size_t bytes);

void *feParseAlloc(void *(*mallocProc)(size_t), fe_pstate *ps);
void feParse(void *p, int major, fe_token minor);
void feParseFree(void *p, void (*freeProc)(void *));

#endif /* JORYU_PARSE_INT_H */
