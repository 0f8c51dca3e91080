/*
 * ir.h - the typed IR of joryu: dialects, the type table, the op catalogue,
 * values, ops, migrations and programs; and what is computed from the IR
 * alone (the JSON dump, the semantic checksum, the catalogue docs).
 *
 * Prefix: ir_.  The IR of one compilation lives in one arena
 * (ir_program.arena) and is freed by ir_program_free.  Positions are byte
 * offsets [start, end) into the migration's source (ir_migration.src).
 */
#ifndef JORYU_IR_H
#define JORYU_IR_H

#include "base.h"

/* --------------------------------------------------------------- dialects */

/*
 * The dialects code is compiled for.  MYSQL and MARIADB share the MySQL
 * backend; a MariaDB server runs MYSQL code unless MARIADB is a target.
 * `op.dialect.name == "mysql"` is true for both (mysql names the family).
 */
typedef enum {
    IR_D_POSTGRESQL,
    IR_D_MYSQL,
    IR_D_MARIADB,
    IR_D_SQLITE,
    IR_D__COUNT
} ir_dialect;

typedef unsigned ir_dmask; /* bit (1u << ir_dialect) */
#define IR_DMASK(d) (1u << (d))
#define IR_DMASK_ALL ((1u << IR_D__COUNT) - 1u)
/* The default targets: postgresql, mysql, sqlite. */
#define IR_DMASK_DEFAULT (IR_DMASK(IR_D_POSTGRESQL) | IR_DMASK(IR_D_MYSQL) | IR_DMASK(IR_D_SQLITE))

const char *ir_dialect_name(ir_dialect d);
/* Accepts postgresql, postgres, pg, mysql, mariadb, sqlite.  false if unknown. */
bool ir_dialect_parse(const char *s, size_t n, ir_dialect *out);

/* ----------------------------------------------------------- type table */

typedef enum {
#define IR_TYPE(id, name, params, pg, my, lite, syn) IR_T_##id,
#include "types.def"
#undef IR_TYPE
    IR_T__COUNT
} ir_type_id;

typedef enum {
    IR_TP_NONE,
    IR_TP_LENGTH,
    IR_TP_OPT_LENGTH,
    IR_TP_PREC_SCALE,
    IR_TP_LABELS,
    IR_TP_INNER,
    IR_TP_DIALECT
} ir_type_params;

typedef struct ir_type_info {
    const char *name;   /* "BigInt" */
    ir_type_params params;
    const char *render[3]; /* postgresql, mysql, sqlite family; NULL = unsupported */
    const char *synopsis;
} ir_type_info;

extern const ir_type_info ir_type_table[IR_T__COUNT];
/* Look a type up by its name after `t.`; false if unknown. */
bool ir_type_lookup(const char *name, size_t n, ir_type_id *out);
/* Is the type (with its inner types) supported on dialect d? */
struct ir_type;
bool ir_type_supported(const struct ir_type *t, ir_dialect d);

typedef struct ir_type {
    ir_type_id id;
    int64_t length;            /* String(n), Binary(n); -1 when absent */
    int64_t precision, scale;  /* Decimal(p, s); -1 when absent */
    const char **labels;       /* Enum labels */
    size_t nlabels;
    const char *enum_name;     /* Enum name= */
    struct ir_type *inner;     /* Array element type */
    const char *dialect_type;  /* t.dialect("postgresql.tsvector"): the part after the dot */
    ir_dialect dialect_of;     /* t.dialect: the dialect before the dot */
    uint32_t start, end;
} ir_type;

/* ---------------------------------------------------------- op catalogue */

enum {
    IR_OPF_STEP = 1u << 0,        /* a step of a migration */
    IR_OPF_DDL = 1u << 1,         /* changes the schema */
    IR_OPF_DATA = 1u << 2,        /* changes rows */
    IR_OPF_BATCH = 1u << 3,       /* allowed as b.<op> inside `with op.batch(t) as b:` */
    IR_OPF_DESTRUCTIVE = 1u << 4, /* loses data */
    IR_OPF_HINT = 1u << 5,        /* declare_schema_change: runs nothing */
    IR_OPF_CONSTRUCTOR = 1u << 6  /* op.column, op.batch: not steps */
};

enum {
    IR_AF_REQ = 1u << 0,
    IR_AF_POS = 1u << 1,
    IR_AF_VARIADIC = 1u << 2,
    IR_AF_BATCH_TABLE = 1u << 3
};

/* What value an argument takes (sema checks it, the dump names it). */
typedef enum {
    IR_K_IDENT,          /* string naming a database object: 1..63 bytes, no NUL */
    IR_K_IDENT_LIST,     /* list or tuple of IR_K_IDENT, at least one */
    IR_K_STR,            /* any string */
    IR_K_SQL,            /* SQL text (a string) */
    IR_K_SQL_DIALECTS,   /* SQL string, or dict {dialect key: SQL string} */
    IR_K_BOOL,
    IR_K_INT,            /* integer */
    IR_K_TYPE,           /* t.X or t.X(...) */
    IR_K_COLUMN,         /* op.column(...) */
    IR_K_VALUE,          /* constant: string, int, float, bool, None */
    IR_K_SERVER_DEFAULT, /* SQL string, or t.now() / op.func.now() */
    IR_K_CHOICE,         /* string among ir_param_info.choices */
    IR_K_SET_MAP,        /* dict {column ident: SQL string}, at least one */
    IR_K_ROWS,           /* list of dicts {column ident: constant} */
    /*
     * declare_schema_change keyword: a tuple, or a list of tuples, whose
     * shape is ir_param_info.choices: comma-separated element kinds,
     * `?` marks an optional trailing element.  I ident, S string (SQL),
     * T type, L list of strings, D dict, O column opts dict (keys of
     * op.column: nullable, default, server_default, generated,
     * primary_key, unique, comment).
     */
    IR_K_HINT
} ir_arg_kind;

typedef struct ir_param_info {
    const char *name;
    ir_arg_kind kind;
    unsigned flags;      /* IR_AF_* */
    const char *choices; /* see ops.def */
    const char *doc;
} ir_param_info;

typedef enum {
#define IR_OP(name, flags, sig, syn) IR_OP_##name,
#define IR_ARG(op, name, kind, flags, choices, doc)
#define IR_OP_END(op)
#define IR_REJECT(name, alt)
#include "ops.def"
#undef IR_OP
#undef IR_ARG
#undef IR_OP_END
#undef IR_REJECT
    IR_OP__COUNT
} ir_op_kind;

/* Argument slots: IR_A_<op>_<arg> indexes ir_op.args; IR_A_<op>__COUNT. */
#define IR_OP(name, flags, sig, syn) enum {
#define IR_ARG(op, name, kind, flags, choices, doc) IR_A_##op##_##name,
#define IR_OP_END(op) IR_A_##op##__COUNT };
#define IR_REJECT(name, alt)
#include "ops.def"
#undef IR_OP
#undef IR_ARG
#undef IR_OP_END
#undef IR_REJECT

typedef struct ir_op_info {
    const char *name;
    unsigned flags; /* IR_OPF_* */
    const char *signature;
    const char *synopsis;
    const ir_param_info *params;
    size_t nparams;
} ir_op_info;

extern const ir_op_info ir_op_table[IR_OP__COUNT];

typedef struct ir_reject_info {
    const char *name;
    const char *alternative;
} ir_reject_info;

extern const ir_reject_info ir_reject_table[];
extern const size_t ir_reject_count;

/* Look an op up by name; false if unknown. */
bool ir_op_lookup(const char *name, size_t n, ir_op_kind *out);
/* The rejected op of that name (any name ending in _from_model counts), or NULL. */
const ir_reject_info *ir_reject_lookup(const char *name, size_t n);

/* ----------------------------------------------------------------- values */

typedef enum {
    IR_V_NONE,  /* Python None */
    IR_V_BOOL,
    IR_V_INT,
    IR_V_FLOAT,
    IR_V_STR,
    IR_V_LIST,
    IR_V_TUPLE,
    IR_V_DICT,
    IR_V_TYPE,   /* t.X */
    IR_V_COLUMN, /* op.column(...): u.op is an IR_OP_column constructor */
    IR_V_NOW     /* t.now() / op.func.now() */
} ir_vkind;

typedef struct ir_value ir_value;
struct ir_op;

struct ir_value {
    ir_vkind kind;
    uint32_t start, end;
    union {
        bool b;
        int64_t i;
        double f;
        struct {
            const char *s; /* decoded bytes, NUL-terminated */
            size_t len;
        } str;
        struct {
            ir_value **items;
            size_t n;
        } list; /* IR_V_LIST and IR_V_TUPLE */
        struct {
            ir_value **keys; /* in source order */
            ir_value **vals;
            size_t n;
        } dict;
        ir_type *type;
        struct ir_op *op;
    } u;
};

/* ------------------------------------------------------------------- ops */

typedef struct ir_batch {
    const char *table;
    uint32_t start, end; /* the `with` statement */
    int id;              /* 0, 1, ... within the migration */
} ir_batch;

/*
 * One op call.  args[] has info->nparams slots indexed by IR_A_<op>_<arg>,
 * NULL where the argument was not given.  A VARIADIC slot holds an
 * IR_V_LIST of the collected positional values (empty list when none).
 * Inside `with op.batch(...)`, batch is set and the BATCH_TABLE slot holds
 * the batch table (as an IR_V_STR spanning the `with` target).
 */
typedef struct ir_op {
    ir_op_kind kind;
    const ir_op_info *info;
    ir_value **args;
    ir_dmask dialects;   /* the dialects this op is compiled for (branch folding) */
    ir_batch *batch;     /* NULL outside op.batch */
    uint32_t start, end; /* the call, from `op` to `)` */
    uint32_t name_start, name_end; /* the op name after `op.` */
} ir_op;

/* ------------------------------------------------------------- migrations */

typedef enum { IR_TX_PER_STEP, IR_TX_PER_MIGRATION, IR_TX_NONE } ir_tx_mode;
typedef enum { IR_MISMATCH_ERROR, IR_MISMATCH_ALTER, IR_MISMATCH_SKIP } ir_mismatch;

const char *ir_tx_mode_name(ir_tx_mode m);
const char *ir_mismatch_name(ir_mismatch m);

/* One `# JORYU-DOWN-HINT: field: value` entry of a function (reference §11.2).
 * A list field (`schema-impact:` followed by `#   - item` lines, or `[]`)
 * has items; a scalar field has value. */
typedef struct ir_hint {
    const char *field;
    const char *value; /* NULL for a list */
    const char **items;
    size_t nitems;
    bool is_list;
    uint32_t start, end;
} ir_hint;

typedef struct ir_migration {
    const char *id;
    const char *file;        /* path as given */
    jy_source *src;          /* owned by the program */
    const char *docstring;   /* module docstring or NULL */
    const char **depends_on; /* as written; "group:<name>" kept verbatim */
    uint32_t *depends_pos;   /* start offset of each depends_on string */
    size_t ndepends;
    ir_tx_mode tx_mode;
    ir_dmask dialects;       /* dialects= restriction; IR_DMASK_ALL when absent */
    bool has_dialects;
    const char **tags;
    size_t ntags;
    const char *group;       /* NULL when absent */
    ir_mismatch on_mismatch;
    ir_op **ops;             /* upgrade steps and hints, in source order */
    size_t nops;
    bool has_downgrade;
    ir_op **down;            /* explicit downgrade body */
    size_t ndown;
    ir_hint *hints;          /* JORYU-DOWN-HINT entries of the downgrade */
    size_t nhints;
    char checksum[80];       /* ir_checksum_migration(); "v1:<64 hex>" */
    char down_checksum[80];  /* the same over the downgrade body */
    uint32_t start, end;     /* the @joryu.migration decorator */
    uint32_t up_start, up_end, down_start, down_end; /* the functions */
} ir_migration;

typedef struct ir_program {
    jy_arena *arena;
    ir_migration **migs; /* sorted by id */
    size_t n;
    ir_dmask targets;
    jy_source **sources; /* owned: freed by ir_program_free */
    size_t nsources;
} ir_program;

ir_program *ir_program_new(void);
void ir_program_free(ir_program *p);
/* The migration with that id, or NULL (binary search: migs are sorted). */
ir_migration *ir_program_find(const ir_program *p, const char *id);

/* ------------------------------------------------- what the IR computes */

/*
 * Semantic checksum (versioned): "v1:" + SHA-256 hex of a canonical
 * serialization of what the migration does: id, depends_on, transaction
 * mode, dialects, group, on_mismatch and the upgrade ops with their
 * arguments (keyword order, quoting, formatting, comments, docstrings, tags
 * and spans do not count).  down_checksum covers the downgrade body.
 * Fills m->checksum and m->down_checksum.
 */
void ir_checksum_migration(ir_migration *m);
#define IR_CHECKSUM_VERSION "v1"

/* The fingerprint of one op (reference §9.2 op_fingerprint): "v1:" + SHA-256
 * hex of its kind and canonical arguments.  out has 80 bytes. */
void ir_op_fingerprint(const ir_op *op, char out[80]);

/*
 * The IR as JSON for editors (docs/ir.schema.json): byte-for-byte
 * deterministic.  Returns a malloc'd NUL-terminated string, or NULL when out
 * of memory.
 */
char *ir_dump_json(const ir_program *p);

/* The op catalogue and type table as Markdown (the reference section of
 * docs/SPEC.md is this text).  malloc'd, or NULL. */
char *ir_catalogue_markdown(void);

#endif /* JORYU_IR_H */
