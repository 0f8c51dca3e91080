/*
 * sema_int.h - private to frontend/sema_*.c: the context of semantic
 * analysis (AST -> IR) shared by the module-level checks (sema.c), the op
 * and value checks (sema_ops.c) and the DOWN-HINT reader (sema_hints.c).
 *
 * Memory: the IR goes into the program's arena (s->A); scratch (the name
 * table) goes into the file's AST arena (s->scratch), freed with the AST.
 * Every string that reaches the IR is copied into s->A.
 */
#ifndef JORYU_SEMA_INT_H
#define JORYU_SEMA_INT_H

#include "fe_int.h"

/* What a name stands for. */
typedef enum {
    SM_N_NONE,
    SM_N_JORYU,     /* the joryu module */
    SM_N_OP,        /* joryu.op */
    SM_N_TYPES,     /* joryu.types */
    SM_N_MIGRATION, /* joryu.migration (from joryu import migration) */
    SM_N_DOWNGRADE, /* joryu.downgrade */
    SM_N_TEXT,      /* sqlalchemy.text: tolerated when unused */
    SM_N_CONST,     /* a module constant: value */
    SM_N_DIALECT,   /* a local `d = op.dialect.name` (scope) */
    SM_N_BATCH,     /* the `as b` of the current `with op.batch(...)` (scope) */
    SM_N_BAD        /* a name whose import or assignment was refused: uses are silent */
} sm_name_kind;

typedef struct sm_binding {
    const char *name; /* NULL: empty slot */
    size_t n;
    sm_name_kind kind;
    ir_value *value;  /* SM_N_CONST */
    unsigned scope;   /* SM_N_DIALECT / SM_N_BATCH: valid while s->scope == scope */
    uint32_t start, end;
} sm_binding;

typedef struct sm_vec {
    void **v;
    size_t n, cap;
} sm_vec;

typedef struct sema {
    jy_source *src;
    const fe_options *opt;
    ir_program *prog;
    jy_arena *A;       /* the program's arena: IR */
    jy_arena *scratch; /* the file's AST arena */
    jy_diags *d;
    fe_module *mod;
    size_t nerrors0;   /* d->nerrors when this file started */
    bool parse_errors; /* the parser reported errors in this file: names it
                          dropped may look undefined, so that is not reported */

    sm_binding *names; /* open addressing, power-of-two capacity */
    size_t names_cap, names_n;
    unsigned scope;    /* counter: a fresh id for every function and batch body */
    unsigned fn_scope; /* the current function's id (SM_N_DIALECT bindings) */
    unsigned batch_scope; /* the current batch's id (SM_N_BATCH bindings) */

    ir_migration *m;
    ir_dmask mig_mask; /* migration dialects= over all dialects */
    ir_batch *batch;   /* the current `with op.batch(...)`, or NULL */
    const char *batch_alias; /* as written, even when refused */
    uint32_t batch_tstart, batch_tend; /* the table argument of op.batch(...) */
    int nbatches;
    sm_vec *ops;       /* where the current function's ops go */
} sema;

/* ---- sema.c: helpers shared by the files ---- */

bool sm_vec_push(sema *s, sm_vec *v, void *p);
/* Error at [start, end) with code and message; returns the diagnostic for a hint. */
jy_diag *sm_err(sema *s, const char *code, uint32_t start, uint32_t end, const char *fmt, ...)
    JY_PRINTF(5, 6);
/* Exit-6 error (type used where a targeted dialect cannot run it). */
jy_diag *sm_err6(sema *s, const char *code, uint32_t start, uint32_t end, const char *fmt, ...)
    JY_PRINTF(5, 6);
jy_diag *sm_warn(sema *s, const char *code, uint32_t start, uint32_t end, const char *fmt, ...)
    JY_PRINTF(5, 6);
sm_binding *sm_lookup(sema *s, const char *name, size_t n);
/* Bind a name (replaces a binding of the same name). NULL on memory failure. */
sm_binding *sm_bind(sema *s, const char *name, size_t n, sm_name_kind kind);
/* The namespace an expression names (joryu, op, types, ...), or SM_N_NONE. */
sm_name_kind sm_resolve(sema *s, const fe_expr *e);
/* Is e `op.dialect.name` (or a local bound to it)? */
bool sm_is_dialect_name(sema *s, const fe_expr *e);
/* Write "a, b and c" for the dialects of mask into buf. */
void sm_mask_text(ir_dmask mask, char *buf, size_t cap);
/* The mask `op.dialect.name == name` is true for (mysql covers mariadb). */
bool sm_dialect_mask(const char *name, size_t n, ir_dmask *out);
/* Well-formed migration id (reference §3.1 plus a real date and time). */
bool sm_valid_id(const char *s, size_t n, const char **why);

/* The checks across files without the checksums (fe_sema_program runs
 * them with resolve = true); frontend.c runs them with resolve = false when
 * a file already failed, so duplicate ids and cycles are still reported
 * without "unknown dependency" cascades. */
int sm_program_checks(ir_program *prog, const fe_options *opt, jy_diags *d, bool resolve);

#define SM_IDENT_MAX 63         /* bytes in a database name (PostgreSQL's limit) */
#define SM_STRING_MAX 10485760  /* VARCHAR(n) / VARBINARY(n) upper bound */

/* ---- sema_values.c ---- */

/*
 * Convert an expression to a value: literals, lists, tuples, dicts,
 * constants, t.X / t.X(...), t.now(), op.func.now(), op.column(...).
 * Anything else is an error.  Returns NULL after reporting (or silently
 * for an FE_E_ERROR node or a name whose definition was refused).
 */
ir_value *sm_value(sema *s, const fe_expr *e);
const char *sm_value_kind_name(const ir_value *v);
ir_value *sm_newv(sema *s, ir_vkind k, uint32_t start, uint32_t end);
/* A string value (copied into the IR arena). */
ir_value *sm_new_str(sema *s, const char *p, size_t n, uint32_t start, uint32_t end);
/* Concatenate up to four strings (NULLs skipped) into buf, truncating. */
const char *sm_cat4(char *buf, size_t cap, const char *a, const char *b, const char *c,
                    const char *d);
bool sm_name_is(const char *p, size_t n, const char *lit);
/* The NAME at the root of an attribute/call chain, or NULL. */
const fe_expr *sm_root_name(const fe_expr *e);
/* Report `op.<rejected op>` anywhere in an attribute/call chain; true if found. */
bool sm_find_rejected(sema *s, const fe_expr *e);
/* "name 'x' is not defined" with a did-you-mean over the bound names. */
void sm_undefined_name(sema *s, const fe_expr *e);

/* ---- sema_kinds.c ---- */

/* A string naming a database object: 1..SM_IDENT_MAX bytes, no NUL. */
bool sm_ident_ok(sema *s, const ir_value *v, const char *what);
/* A non-blank SQL string. */
bool sm_sql_ok(sema *s, const ir_value *v, const char *what);
bool sm_is_const_scalar(const ir_value *v);
/* Report the first repeated string among items (n log n). */
bool sm_no_duplicates(sema *s, ir_value **items, size_t n, const char *what);
/* Check an argument against its catalogue kind; returns the value to store
 * (possibly normalized: dialect keys, choices, hint tuples) or NULL. */
ir_value *sm_check_kind(sema *s, const char *callee, const ir_param_info *p, ir_value *v);
const char *sm_str_of(const ir_value *v);

/* ---- sema_ops.c ---- */

/* Bind the arguments of a call to catalogue entry k (see sema_ops.c). */
ir_op *sm_build_op(sema *s, ir_op_kind k, const fe_expr *call, const fe_expr *fn,
                   const char *prefix);
/* The rules of one op that need no dialect (exclusive arguments, ranges). */
void sm_op_rules(sema *s, ir_op *op, const char *callee, const fe_expr *call);
/* Check one statement list of a function body (ops go to s->ops). */
void sm_body(sema *s, const fe_block *b, ir_dmask cond);

/* ---- sema_hints.c ---- */

/* Read the JORYU-DOWN-HINT comments in [start, end) into m->hints. */
void sm_hints(sema *s, uint32_t start, uint32_t end);
/* Warn about DOWN-HINT comments outside any downgrade function. */
void sm_hints_outside(sema *s, uint32_t start, uint32_t end);

#endif /* JORYU_SEMA_INT_H */
