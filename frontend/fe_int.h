/*
 * fe_int.h - private to frontend/: tokens, the lexer, the AST, the parser
 * and sema entry points.  Nothing outside frontend/ includes this file.
 *
 * All AST memory lives in one arena (freed once the file's IR is built);
 * strings in the AST are decoded copies in that arena, NUL-terminated;
 * positions are byte offsets [start, end) into the file's jy_source.
 */
#ifndef JORYU_FE_INT_H
#define JORYU_FE_INT_H

#include "frontend.h"

/* ---------------------------------------------------------------- tokens */

/* Token codes are lemon's TK_* from the generated parser.h. */
typedef struct fe_token {
    int type;
    uint32_t start, end; /* bytes in the source */
    /* TK_STRING: the decoded value (escapes applied, UTF-8) */
    const char *str;
    size_t len;
    bool raw;            /* the literal had an r prefix (for diagnostics) */
    /* TK_INTEGER / TK_FLOAT */
    int64_t ival;
    double fval;
} fe_token;

/* A comment, `#` to the end of the line (trivia: kept for DOWN-HINT). */
typedef struct fe_comment {
    uint32_t start, end;
} fe_comment;

/* ----------------------------------------------------------------- lexer */

typedef struct fe_lexer fe_lexer;

/*
 * Create a lexer over src.  The lexer produces NEWLINE, INDENT and DEDENT
 * from an indent stack (4 spaces or tabs, never mixed within one file's
 * indentation), joins lines inside brackets and after a backslash, and ends
 * with NEWLINE (if the last line lacks one), the pending DEDENTs, then
 * TK_EOF... (lemon's end is token 0).  Errors (an illegal character, an
 * unterminated string, tabs mixed with spaces, an inconsistent dedent, a
 * bracket nesting deeper than FE_MAX_NESTING) are diagnostics; after an
 * error the lexer returns TK_ILLEGAL for that token and goes on.
 * Comments are collected (fe_lexer_comments).
 */
#define FE_MAX_NESTING 200
fe_lexer *fe_lexer_new(jy_source *src, jy_arena *arena, jy_diags *d);
/* The next token; 0 at the end of input (lemon's end-of-input code). */
int fe_lexer_next(fe_lexer *lx, fe_token *out);
const fe_comment *fe_lexer_comments(const fe_lexer *lx, size_t *n);
void fe_lexer_free(fe_lexer *lx);

/* ------------------------------------------------------------------- AST */

typedef enum {
    FE_E_NAME,   /* u.name */
    FE_E_ATTR,   /* u.attr: obj.name */
    FE_E_CALL,   /* u.call */
    FE_E_STR,    /* u.str (adjacent literals already concatenated) */
    FE_E_INT,    /* u.i */
    FE_E_FLOAT,  /* u.f */
    FE_E_TRUE,
    FE_E_FALSE,
    FE_E_NONE,
    FE_E_LIST,   /* u.seq */
    FE_E_TUPLE,  /* u.seq */
    FE_E_DICT,   /* u.dict */
    FE_E_NEG,    /* u.operand: -x */
    FE_E_NOT,    /* u.operand: not x */
    FE_E_AND,    /* u.bin */
    FE_E_OR,     /* u.bin */
    FE_E_CMP,    /* u.bin with op */
    FE_E_ERROR,  /* a recovered syntax error: sema ignores it silently */
    FE_E_ELLIPSIS /* `...` (as in `def upgrade(): ...`) */
} fe_ekind;

typedef enum { FE_CMP_EQ, FE_CMP_NE, FE_CMP_IN, FE_CMP_NOT_IN, FE_CMP_IS, FE_CMP_IS_NOT } fe_cmp;

typedef struct fe_expr fe_expr;

/* One argument of a call: positional (kw == NULL) or keyword. */
typedef struct fe_arg {
    const char *kw;       /* keyword name or NULL */
    uint32_t kw_start, kw_end;
    fe_expr *value;
    int star;             /* 1 for *x, 2 for **x (always an error in sema) */
} fe_arg;

struct fe_expr {
    fe_ekind kind;
    uint32_t start, end;
    union {
        struct { const char *s; size_t n; } name;
        struct { fe_expr *obj; const char *name; size_t n; uint32_t name_start, name_end; } attr;
        struct { fe_expr *fn; fe_arg *args; size_t nargs; } call;
        struct { const char *s; size_t len; } str;
        int64_t i;
        double f;
        struct { fe_expr **items; size_t n; } seq;
        struct { fe_expr **keys; fe_expr **vals; size_t n; } dict;
        struct { fe_cmp op; fe_expr *lhs, *rhs; } bin;
        fe_expr *operand;
    } u;
};

typedef enum {
    FE_S_IMPORT,      /* import a.b [as c], ...   u.import */
    FE_S_FROM_IMPORT, /* from a.b import x [as y], ...   u.import */
    FE_S_ASSIGN,      /* NAME = expr   u.assign */
    FE_S_EXPR,        /* expression statement (a call, or a docstring)   u.expr */
    FE_S_DEF,         /* decorated or plain function   u.def */
    FE_S_WITH,        /* with expr as NAME: body   u.with */
    FE_S_IF,          /* if cond: body [elif ...] [else: ...]   u.if_ */
    FE_S_PASS,
    FE_S_ERROR        /* a recovered syntax error: sema ignores it silently */
} fe_skind;

typedef struct fe_stmt fe_stmt;

typedef struct fe_block {
    fe_stmt **v;
    size_t n;
} fe_block;

/* One imported name: `import joryu` has module "joryu", name NULL;
 * `from joryu import types as t` has module "joryu", name "types", alias "t". */
typedef struct fe_import_name {
    const char *module; /* dotted, as written */
    const char *name;   /* NULL for `import module` */
    const char *alias;  /* NULL when no `as` */
    uint32_t start, end;
} fe_import_name;

typedef struct fe_param {
    const char *name;
    uint32_t start, end;
} fe_param;

struct fe_stmt {
    fe_skind kind;
    uint32_t start, end;
    union {
        struct { fe_import_name *names; size_t n; } import;
        struct { const char *target; uint32_t target_start, target_end; fe_expr *value; } assign;
        fe_expr *expr;
        struct {
            fe_expr **decorators; /* each an expression after `@` */
            size_t ndecorators;
            const char *name;
            uint32_t name_start, name_end;
            fe_param *params;
            size_t nparams;
            fe_expr *returns;     /* `-> X` or NULL */
            fe_block body;
        } def;
        struct { fe_expr *ctx; const char *as; uint32_t as_start, as_end; fe_block body; } with;
        struct { fe_expr *cond; fe_block body; fe_block orelse; /* elif = one FE_S_IF in orelse */ } if_;
    } u;
};

typedef struct fe_module {
    jy_source *src;
    fe_block body;
    const fe_comment *comments; /* every comment of the file, in order */
    size_t ncomments;
    bool syntax_errors; /* fe_parse reported errors (set by the caller) */
} fe_module;

/* ---------------------------------------------------------------- parser */

/*
 * Lex and parse one file into an AST allocated in `arena`.  Returns 0 and
 * *out on success; on syntax errors returns -1, records each error once (the
 * parser recovers at the next statement), and *out may still hold the
 * partial module (with FE_S_ERROR / FE_E_ERROR nodes) for sema to check
 * what it can.
 */
int fe_parse(jy_source *src, jy_arena *arena, jy_diags *d, fe_module **out);

/* ------------------------------------------------------------------ sema */

/*
 * Check one parsed module and build its migration in the program's arena.
 * Returns 0 and *out, or -1 with diagnostics.  Directory-wide checks are
 * fe_sema_program's.
 */
int fe_sema_module(fe_module *m, const fe_options *opt, ir_program *prog, jy_diags *d,
                   ir_migration **out);
/* Checks across the migrations of a program: ids unique, depends_on naming
 * existing ids (unless opt->single_file), groups.  Then sorts prog->migs by
 * id and fills the checksums. */
int fe_sema_program(ir_program *prog, const fe_options *opt, jy_diags *d);

#endif /* JORYU_FE_INT_H */
