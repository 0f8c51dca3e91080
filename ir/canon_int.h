/*
 * canon_int.h - private to ir/: what the checksum (checksum.c), the JSON
 * dump (dump_json.c) and the catalogue docs (catalogue_md.c) share about an
 * op's arguments: the documented default of each parameter (read from the
 * signature in ops.def, so it cannot drift), whether an argument as given
 * equals that default, and the names of the argument kinds.
 */
#ifndef JORYU_IR_CANON_INT_H
#define JORYU_IR_CANON_INT_H

#include "ir.h"

/* A parameter's documented default, as written in its op's signature. */
typedef enum {
    IR_PDEF_ABSENT, /* no default in the signature (required, variadic) */
    IR_PDEF_NULL,       /* =None */
    IR_PDEF_TRUE,       /* =True */
    IR_PDEF_FALSE,      /* =False */
    IR_PDEF_INT,        /* =10000 */
    IR_PDEF_STR         /* ="id" */
} ir_pdefault_kind;

typedef struct ir_param_default {
    ir_pdefault_kind kind;
    int64_t i;
    const char *s; /* IR_PDEF_STR: points into the signature text (n bytes) */
    size_t n;
} ir_param_default;

/*
 * The documented default of parameter `slot` of op `k`, parsed from the
 * signature string of ops.def (`name=None`, `name=True`, `name=10000`,
 * `name="id"`).  Parameters without `=` in the signature get
 * IR_PDEF_ABSENT.  Pure function of the const tables.
 */
ir_param_default ir_param_default_of(ir_op_kind k, size_t slot);

/*
 * True when argument `slot` of op `o`, as given, means exactly what leaving
 * it out means, so the checksum drops it ("no behaviour change => same
 * checksum").  Never true for a slot whose None has its own meaning
 * (alter_column's default, server_default and comment: None drops them).
 * nullable= of a column defaults to False on a primary key, True otherwise.
 * A NULL slot counts as default.
 */
bool ir_arg_is_default(const ir_op *o, size_t slot);

/* The effective nullability of a column constructor or add_column:
 * nullable= when given, else false for primary keys, true otherwise. */
bool ir_column_nullable(const ir_op *o);

/* The lower-case name of an argument kind as the dump and docs use it
 * ("ident", "ident_list", "sql_dialects", ...). */
const char *ir_kind_name(ir_arg_kind k);

/* The dialect an `op.execute` dict key names (postgresql, postgres, pg,
 * mysql, mariadb, sqlite), or "default"; NULL if none. */
const char *ir_dialect_key_canonical(const char *s, size_t n);

/* Shortest decimal text that reads back as exactly f ("0.1", "1e+300",
 * "inf", "-0"); out has at least 32 bytes. */
void ir_float_repr(double f, char out[32]);

#endif /* JORYU_IR_CANON_INT_H */
