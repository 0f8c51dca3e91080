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
    ir_dmask cond_dialects; /* sema: of all dialects (not only the targets), those whose
                               branch reaches this op, within the migration's dialects=;
                               independent of fe_options.targets (for checksums) */
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
    uint32_t id_start, id_end; /* sema: the id="..." string (0, 0 when absent) */
    uint32_t up_start, up_end, down_start, down_end; /* the functions */
} ir_migration;

typedef struct ir_program {
    jy_arena *arena;
    ir_migration **migs; /* sorted by id */
    size_t n;
    ir_dmask targets;
    jy_source **sources; /* owned: freed by ir_program_free */
    size_t nsources;
    jy_arena **arenas;   /* more arenas holding IR (files compiled on other
                            threads): freed with the program */
    size_t narenas;
} ir_program;

ir_program *ir_program_new(void);
void ir_program_free(ir_program *p);
/* Take ownership of arena a (freed by ir_program_free).  false when out of
 * memory (a untouched). */
bool ir_program_adopt_arena(ir_program *p, jy_arena *a);
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

/* ---- schema model (h7) ---- */

/*
 * The schema model: what a database holds, as joryu sees it (tables with
 * their columns, keys, indexes and constraints; enums, extensions, views,
 * materialized views, triggers, policies, sequences and schemas: the
 * vocabulary of reference §12.2).  Replay builds one from migrations;
 * rt_introspect builds one from a live database; ir_schema_equal compares
 * two and ir_schema_to_json prints one (schema-snapshot --format=json).
 *
 * Everything lives in the schema's arena.  Names are compared exactly
 * (byte for byte: identifiers are case-sensitive as quoted).  Column order
 * does not count.  Comparison and JSON are per dialect: both sides are first
 * normalized to what that dialect can store and give back (docs/SPEC.md, "The schema model and
 * the database drivers" has the table), so t.Text equals LONGTEXT on MySQL and
 * every integer type is one family on SQLite.
 */

typedef enum {
    IR_DEF_NONE,  /* no default */
    IR_DEF_NULL,  /* DEFAULT NULL written out (normalized to NONE) */
    IR_DEF_STR,   /* a string constant: text is the decoded string */
    IR_DEF_NUM,   /* a number: text is its canonical spelling */
    IR_DEF_BOOL,  /* text is "true" or "false" */
    IR_DEF_NOW,   /* t.now() / CURRENT_TIMESTAMP / now() */
    IR_DEF_SQL    /* any other SQL expression: text is the SQL */
} ir_default_kind;

/* A column default: default= (a constant) and server_default= (SQL text or
 * t.now()) share it, since a database cannot tell them apart; a
 * server_default that is a plain literal normalizes to a constant. */
typedef struct ir_default {
    ir_default_kind kind;
    const char *text;
} ir_default;

typedef enum {
    IR_IDENT_NONE,
    IR_IDENT_AUTO,       /* SERIAL / AUTO_INCREMENT / SQLite rowid alias */
    IR_IDENT_ALWAYS,     /* GENERATED ALWAYS AS IDENTITY (PostgreSQL) */
    IR_IDENT_BY_DEFAULT  /* GENERATED BY DEFAULT AS IDENTITY (PostgreSQL) */
} ir_identity;

typedef enum {
    IR_FK_NO_ACTION,
    IR_FK_RESTRICT,
    IR_FK_CASCADE,
    IR_FK_SET_NULL,
    IR_FK_SET_DEFAULT
} ir_fk_action;

typedef struct ir_column {
    const char *name;
    ir_type type;          /* abstract type; Serial/BigSerial are kept as written */
    bool nullable;         /* true unless NOT NULL (or part of the primary key) */
    ir_default def;
    const char *generated; /* generated expression (SQL) or NULL */
    bool generated_virtual;/* VIRTUAL rather than STORED */
    ir_identity identity;
    const char *comment;   /* NULL when none */
    const char *db_type;   /* introspection: the database's own spelling (not compared) */
} ir_column;

typedef struct ir_index {
    const char *name;
    bool unique;
    const char **columns;  /* column names, or expressions as SQL */
    size_t ncolumns;
    const char *where;     /* partial index predicate or NULL */
    const char *method;    /* "btree", "gin", ... or NULL (= the default) */
} ir_index;

typedef struct ir_unique {
    const char *name;
    const char **columns;
    size_t ncolumns;
} ir_unique;

typedef struct ir_fkey {
    const char *name;
    const char **columns;
    size_t ncolumns;
    const char *ref_table;
    const char **ref_columns;
    size_t nref_columns;
    ir_fk_action on_delete, on_update;
} ir_fkey;

typedef struct ir_check {
    const char *name;      /* may be NULL (SQLite column checks) */
    const char *expr;      /* SQL, without the CHECK keyword */
} ir_check;

typedef struct ir_table {
    const char *name;
    const char *comment;
    ir_column **columns;   /* in creation order (order is not compared) */
    size_t ncolumns;
    const char *pk_name;   /* NULL when unnamed or unknown */
    const char **pk;       /* primary key columns, in key order */
    size_t npk;
    ir_unique **uniques;
    size_t nuniques;
    ir_index **indexes;
    size_t nindexes;
    ir_fkey **fkeys;
    size_t nfkeys;
    ir_check **checks;
    size_t nchecks;
} ir_table;

typedef struct ir_enum {
    const char *name;
    const char **labels;   /* in sort order of the type */
    size_t nlabels;
} ir_enum;

/* The other objects of the §12.2 vocabulary. */
typedef enum {
    IR_OBJ_EXTENSION,
    IR_OBJ_VIEW,
    IR_OBJ_MATVIEW,
    IR_OBJ_TRIGGER,
    IR_OBJ_POLICY,
    IR_OBJ_SEQUENCE,
    IR_OBJ_SCHEMA,
    IR_OBJ__COUNT
} ir_obj_kind;

typedef struct ir_object {
    ir_obj_kind kind;
    const char *name;
    const char *table;     /* triggers and policies: the table; else NULL */
    const char *sql;       /* views: the query; triggers/policies: the definition; or NULL */
} ir_object;

typedef struct ir_schema {
    jy_arena *arena;
    bool owns_arena;
    ir_table **tables;
    size_t ntables;
    ir_enum **enums;
    size_t nenums;
    ir_object **objects;
    size_t nobjects;
    /* Name indexes (tables, enums, index names, referenced tables) that the
     * ir_schema_* functions build on demand and keep up to date; private
     * to ir/schema.c.  Code that edits the arrays above directly (not
     * through the functions below) is noticed by a change of count or
     * array and makes them rebuild. */
    struct ir_schema_maps *maps;
} ir_schema;

/* A new empty schema allocated in `a`, or in an arena of its own when a is
 * NULL (freed by ir_schema_free).  NULL when out of memory. */
ir_schema *ir_schema_new(jy_arena *a);
void ir_schema_free(ir_schema *s);
/* A deep copy in `a` (or its own arena when NULL). */
ir_schema *ir_schema_clone(const ir_schema *s, jy_arena *a);

/*
 * The tables of s that names[0..n) name (NULL entries are skipped) or that
 * hold a foreign key referencing one of them, each once, in s's table
 * order.  *out is malloc'd (free it; NULL when none).  Returns the count,
 * or (size_t)-1 when out of memory.  Cost: the size of the answer, not of
 * s (backends copy these tables to render an op).
 */
size_t ir_schema_tables_touching(const ir_schema *s, const char *const *names, size_t n,
                                 ir_table ***out);
/*
 * Give dst (which has no enums yet) the enums of src without copying them:
 * dst borrows src's enum array and ir_enum objects, so src must outlive dst.
 * The ir_schema_* functions keep both views apart: an enum array is changed
 * in place only by appending past its count, removing an enum or adding a
 * label makes a new array (and a new enum), and a borrowing schema copies
 * the array before its first change.  Code must not write s->enums[i] or
 * an ir_enum itself.  false when out of memory.
 */
bool ir_schema_share_enums(ir_schema *dst, const ir_schema *src);

/* "users", "json", ...: the names used in JSON and messages. */
const char *ir_obj_kind_name(ir_obj_kind k);
const char *ir_fk_action_name(ir_fk_action a);   /* "NO ACTION", "CASCADE", ... */
bool ir_fk_action_parse(const char *s, ir_fk_action *out);
const char *ir_identity_name(ir_identity i);     /* "none", "auto", "always", "by_default" */

/*
 * Editing.  Every name is copied into the schema's arena.  add_* returns
 * the new object, or NULL when one of that name exists already (or out of
 * memory); remove_* and rename_* return false when the object is missing
 * (or, for rename, when the new name is taken).  Renaming a table updates
 * foreign keys that reference it; renaming a column updates the key,
 * indexes, unique constraints and foreign keys (of every table) naming it;
 * removing a column removes the indexes, unique constraints and foreign
 * keys that use it and takes it out of the primary key, as PostgreSQL does.
 */
ir_table *ir_schema_table(const ir_schema *s, const char *name);
ir_table *ir_schema_add_table(ir_schema *s, const char *name);
bool ir_schema_remove_table(ir_schema *s, const char *name);
bool ir_schema_rename_table(ir_schema *s, const char *from, const char *to);

ir_column *ir_table_column(const ir_table *t, const char *name);
/* A new nullable column without default; `type` is copied (labels, inner). */
ir_column *ir_table_add_column(ir_schema *s, ir_table *t, const char *name, const ir_type *type);
bool ir_table_remove_column(ir_schema *s, ir_table *t, const char *name);
bool ir_table_rename_column(ir_schema *s, ir_table *t, const char *from, const char *to);
/* Set the primary key (replaces it; n == 0 removes it); its columns become
 * NOT NULL.  false if a column is missing. */
bool ir_table_set_pk(ir_schema *s, ir_table *t, const char *name, const char *const *cols, size_t n);

ir_index *ir_table_index(const ir_table *t, const char *name);
/* The index of that name in any table (index names are schema-wide on
 * PostgreSQL and SQLite); *table_out gets its table when not NULL. */
ir_index *ir_schema_index(const ir_schema *s, const char *name, ir_table **table_out);
ir_index *ir_table_add_index(ir_schema *s, ir_table *t, const char *name, bool unique,
                             const char *const *cols, size_t n, const char *where,
                             const char *method);
bool ir_table_remove_index(ir_table *t, const char *name);
/* false when the index is missing or the new name is taken on the table. */
bool ir_table_rename_index(ir_schema *s, ir_table *t, const char *from, const char *to);

/* Constraints share one namespace per table (unique, fk, check, and the
 * primary key name). */
ir_unique *ir_table_add_unique(ir_schema *s, ir_table *t, const char *name,
                               const char *const *cols, size_t n);
ir_fkey *ir_table_add_fkey(ir_schema *s, ir_table *t, const char *name, const char *const *cols,
                           size_t n, const char *ref_table, const char *const *ref_cols,
                           size_t nref, ir_fk_action on_delete, ir_fk_action on_update);
ir_check *ir_table_add_check(ir_schema *s, ir_table *t, const char *name, const char *expr);
/* What kind of constraint has that name: "unique", "fk", "check",
 * "primary_key", or NULL when none. */
const char *ir_table_constraint_kind(const ir_table *t, const char *name);
bool ir_table_remove_constraint(ir_table *t, const char *name);
/* Rename a constraint of any kind (the primary key's name too). */
bool ir_table_rename_constraint(ir_schema *s, ir_table *t, const char *from, const char *to);

ir_enum *ir_schema_enum(const ir_schema *s, const char *name);
ir_enum *ir_schema_add_enum(ir_schema *s, const char *name, const char *const *labels, size_t n);
bool ir_schema_remove_enum(ir_schema *s, const char *name);
/* Add a label before or after a neighbour (both NULL: at the end).  false
 * when the enum or the neighbour is missing or the label exists. */
bool ir_schema_enum_add_value(ir_schema *s, const char *name, const char *label,
                              const char *before, const char *after);

/* Objects are keyed by (kind, name, table): triggers and policies by table. */
ir_object *ir_schema_object(const ir_schema *s, ir_obj_kind k, const char *name, const char *table);
ir_object *ir_schema_add_object(ir_schema *s, ir_obj_kind k, const char *name, const char *table,
                                const char *sql);
bool ir_schema_remove_object(ir_schema *s, ir_obj_kind k, const char *name, const char *table);

/*
 * Default normalization: turn a default as SQL text (server_default=, or a
 * database's catalog) into an ir_default for a column of type `type` on
 * dialect d: literals become constants (PostgreSQL casts such as
 * 'a'::text are dropped; MySQL's unquoted COLUMN_DEFAULT is read by type),
 * CURRENT_TIMESTAMP / now() and their variants become IR_DEF_NOW, NULL
 * becomes IR_DEF_NONE, anything else stays SQL.  Allocated in a.
 */
ir_default ir_default_from_sql(jy_arena *a, ir_dialect d, const ir_type *type, const char *sql,
                               bool mysql_unquoted);

/*
 * The type as dialect d stores it and gives it back: the canonical member
 * of its equivalence class (SQLite: by type affinity; MySQL: TINYINT(1) is
 * Bool, LONGTEXT is Text, an unnamed ENUM; PostgreSQL: bytea has no
 * length).  Serial/BigSerial become Int/BigInt (the identity is on the
 * column).  Pure: `out` may share labels/inner with `in`.
 */
void ir_type_normalize(jy_arena *a, const ir_type *in, ir_dialect d, ir_type *out);
/*
 * Map a database's spelling of a type back to the abstract type, as
 * introspection reads it: PostgreSQL's format_type() text ("character
 * varying(20)", "timestamp with time zone", "integer[]"), MySQL's
 * COLUMN_TYPE ("tinyint(1)", "enum('a','b')", "longtext"), SQLite's
 * declared type (mapped by affinity).  What has no abstract type becomes
 * t.dialect("<dialect>.<text>").  Strings are allocated in a.
 */
void ir_type_from_sql(jy_arena *a, ir_dialect d, const char *sql, ir_type *out);
/*
 * The schema as dialect d stores and gives it back (a normalized deep copy
 * in a, or its own arena when NULL): types and defaults normalized, the
 * primary key's columns NOT NULL, what d cannot keep dropped (comments on
 * SQLite; enums, extensions, sequences, schemas, policies and materialized
 * views outside PostgreSQL; constraint names SQLite does not report),
 * MySQL unique indexes as unique constraints, joryu's state tables left out.
 * ir_schema_equal and ir_schema_to_json work on this form.
 */
ir_schema *ir_schema_normalize(const ir_schema *s, ir_dialect d, jy_arena *a);
/* Whitespace-, case-, quote- and parenthesis-insensitive form of an SQL
 * expression (PostgreSQL ::casts removed), used to compare CHECK, WHERE and
 * generated expressions across dialect renderings.  malloc'd. */
char *ir_sql_squash(const char *sql);
/* A short text for a type in messages and JSON keys: "String(255)",
 * "Decimal(10, 2)", "Enum(status: a, b)", "Array(Int)", "dialect(postgresql.tsvector)". */
char *ir_type_describe(jy_arena *a, const ir_type *t);

/*
 * Compare two schemas as dialect d sees them.  Returns true when equal.
 * When diff is not NULL, appends one line per difference, sorted, e.g.
 *   column users.email: nullable differs (true vs false)
 *   table orders: only in the second schema
 * ("first" is a, "second" is b).
 */
bool ir_schema_equal(const ir_schema *a, const ir_schema *b, ir_dialect d, jy_buf *diff);

/*
 * The normalized JSON of `s` as dialect d sees it (docs/SPEC.md, "The schema model and
 * "The schema model and the database drivers"): keys sorted, arrays of named things sorted by name,
 * two-space indentation, a final newline; byte-for-byte deterministic, so
 * two schemas that compare equal print the same text.  d may be
 * IR_D__COUNT: no dialect normalization (the model as written).  malloc'd,
 * or NULL when out of memory.
 */
char *ir_schema_to_json(const ir_schema *s, ir_dialect d);

/* ---- end schema model ---- */

/* ---- replay (h8) ---- */

/*
 * Schema replay (docs/SPEC.md): the ops of every migration
 * applied to a schema model in apply order, for one dialect at a time (ops
 * whose `dialects` mask leaves the dialect out are skipped, and so are
 * migrations whose dialects= leaves it out).  An op that cannot apply is an
 * error (code replay.*, exit 1) at the op, telling the history of the
 * object: "column users.email does not exist here: it was dropped by
 * 20260301T101500_drop_email (migrations/x.py:12:5)".
 *
 * Apply order: the topological order of depends_on (a "group:<name>"
 * entry stands for every migration of that group), ties broken by id.
 */
typedef struct ir_replayer ir_replayer;

/* A replay state: an empty schema and no history.  NULL when out of memory. */
ir_replayer *ir_replay_new(ir_dialect d);
void ir_replay_free(ir_replayer *r);
/* History is on by default: an op that cannot apply says which migration
 * dropped or renamed what it names.  Off, the error says only that it does
 * not exist (cheaper: be_check_program replays without history and replays
 * again with it when an error shows up). */
void ir_replay_set_history(ir_replayer *r, bool on);
/* The schema as replayed so far (owned by r; valid until the next apply). */
ir_schema *ir_replay_current(const ir_replayer *r);
ir_dialect ir_replay_dialect(const ir_replayer *r);
/* Replace the current schema by a copy of s (the history is kept).
 * -1 when out of memory. */
int ir_replay_reset(ir_replayer *r, const ir_schema *s);
/* Like ir_replay_reset without the copy: r takes s, which must own its
 * arena (ir_schema_new(NULL)); r frees it.  Cheap for a schema built from
 * a subset of another (ir_schema_share_enums): that one must outlive r. */
void ir_replay_adopt(ir_replayer *r, ir_schema *s);
/* Apply one op of m (upgrade or downgrade body).  Ops not compiled for the
 * replay's dialect are skipped (0).  Returns 0, or -1 with a diagnostic;
 * after an error the replay should stop (a hint list or a create_table may
 * be half applied). */
int ir_replay_apply(ir_replayer *r, const ir_migration *m, const ir_op *op, jy_diags *diags);
/* Is this op compiled for dialect d (mask and migration dialects=)? */
bool ir_op_for_dialect(const ir_migration *m, const ir_op *op, ir_dialect d);

/* The migrations of p in apply order for dialect d (those whose dialects=
 * leaves d out are not listed).  *out is malloc'd (free it); -1 with a
 * replay.cycle diagnostic when depends_on has a cycle. */
int ir_replay_order(const ir_program *p, ir_dialect d, ir_migration ***out, size_t *n,
                    jy_diags *diags);

/*
 * Replay a whole program.  fn (may be NULL) is called for every op compiled
 * for d with the schema before it (`before`) and after it (`after`), then
 * once per migration with op == NULL and before == after == the schema
 * after the migration.  The schemas are valid only during the call.  A
 * non-zero return from fn stops the replay and is returned.  Returns 0, or
 * -1 after the first error (diagnostics in diags).
 */
typedef int (*ir_replay_visit)(void *ctx, const ir_migration *m, const ir_op *op,
                               const ir_schema *before, const ir_schema *after);
int ir_replay(const ir_program *p, ir_dialect d, ir_replay_visit fn, void *ctx, jy_diags *diags);

/* The schema after replaying every migration (or up to and including the
 * migration `upto` when not NULL), in its own arena (ir_schema_free).
 * NULL on a replay error (diagnostics in diags) or out of memory. */
ir_schema *ir_replay_schema(const ir_program *p, ir_dialect d, const char *upto, jy_diags *diags);

/* The error when d is not among the dialects p was compiled for (its ops
 * carry no code for d): replay.not-a-target.  ir_replay, ir_replay_schema
 * and be_emit_program report it themselves. */
void ir_replay_not_a_target(const ir_program *p, ir_dialect d, jy_diags *diags);

/* The index name op.column(unique=True) gets: uq_<table>_<column> (in a). */
const char *ir_unique_column_index_name(jy_arena *a, const char *table, const char *column);

/* ---- end replay ---- */


/* ---- effects (issue 5: the depends_on DAG, effects, commutativity) ---- */

/*
 * The depends_on DAG (ir/dag.c).  Nodes are the migrations of a program
 * (indexes into p->migs); an edge j -> i means migs[i] lists migs[j] in
 * depends_on, directly or through "group:<name>" (which stands for every
 * other member of the group compiled for the DAG's dialect).  The apply
 * order is Kahn's algorithm with the smallest ready id first: the same
 * order as ir_replay_order, computed once and shared by apply, status,
 * down and verify.
 *
 * Errors (exit 1), each at the depends_on string:
 *   dag.unknown-dependency  depends_on names "X", which is not a migration of this program
 *   dag.unknown-group       depends_on names group "g", but no migration has group="g"
 *   dag.cycle               depends_on cycle: A -> B -> C -> A
 * (sema reports the first two as sema.* for compiled programs; the DAG
 * checks again for programs built otherwise, e.g. from a bundle.)
 */
typedef struct ir_dag ir_dag;

/* Build the DAG of p for dialect d (IR_D__COUNT: dialect-neutral, every
 * group member counts, every migration is listed).  For a dialect, the
 * migrations whose dialects= leaves d out are not in the order.  0 and *out
 * (ir_dag_free), or -1 with diagnostics (every unknown id, the first cycle). */
int ir_dag_build(const ir_program *p, ir_dialect d, ir_dag **out, jy_diags *diags);
void ir_dag_free(ir_dag *g);
/* The apply order: n indexes into p->migs (owned by g). */
const size_t *ir_dag_order(const ir_dag *g, size_t *n);
/* Position of p->migs[i] in the apply order, or (size_t)-1 when not listed. */
size_t ir_dag_position(const ir_dag *g, size_t i);
/* The resolved direct dependencies of p->migs[i] (indexes, owned by g). */
const size_t *ir_dag_deps(const ir_dag *g, size_t i, size_t *n);
/* Does migs[to] depend on migs[from], directly or transitively?  Queries
 * use scratch memory inside g: one thread at a time.  Cost: the part of
 * the graph between the two positions, usually a few nodes. */
bool ir_dag_reaches(ir_dag *g, size_t from, size_t to);
/* Is there a depends_on path between a and b, either way? */
bool ir_dag_ordered(ir_dag *g, size_t a, size_t b);

/* m's depends_on with each "group:<name>" entry replaced by the ids of the
 * other members of that group (in p->migs order: by id), each id listed
 * once, first place kept: what a bundle stores (vm/asm.c) and what joryu
 * history and joryu-run history print.  Unknown ids and groups are not
 * checked (the DAG and sema do that).  v must hold ir_depends_bound(p, m)
 * entries; returns how many it filled (pointers into p's strings). */
size_t ir_depends_bound(const ir_program *p, const ir_migration *m);
size_t ir_depends_expand(const ir_program *p, const ir_migration *m, const char **v);

/*
 * Effects (ir/effects.c): for every op, the objects it reads and writes as
 * normalized targets (docs/SPEC.md "Effects").  Derived from the op's
 * arguments and the schema replayed up to it (one replay, for the first
 * target dialect of postgresql, mysql, mariadb, sqlite): drop_table also
 * drops the table's indexes and constraints, drop_column the indexes and
 * constraints using the column, create_index reads its columns,
 * create_foreign_key reads the referenced table and columns, a t.Enum
 * column creates or reads the enum.  op.execute is OPAQUE unless its
 * migration carries op.declare_schema_change, whose keywords (reference
 * §12.2) give the effects instead (attributed to the hint op).
 */
typedef enum {
    IR_EFF_READ,   /* uses the object: it must exist (and keep its name/type) */
    IR_EFF_WRITE,  /* changes rows: backfill's set columns, bulk_insert's rows */
    IR_EFF_CREATE,
    IR_EFF_DROP,
    IR_EFF_ALTER,  /* changes the object in place (flags: IR_EFFF_RETYPE) */
    IR_EFF_RENAME, /* name -> new_name */
    IR_EFF_OPAQUE, /* raw SQL verify cannot see into (kind IR_EK_SQL) */
    IR_EFF__COUNT
} ir_eff_verb;

typedef enum {
    IR_EK_TABLE,      /* name = table */
    IR_EK_COLUMN,     /* table.name */
    IR_EK_INDEX,      /* name (schema-wide); table when known */
    IR_EK_CONSTRAINT, /* table.name (unique, fk, check, primary key) */
    IR_EK_ROWS,       /* the rows of table (name NULL) */
    IR_EK_ENUM,
    IR_EK_EXTENSION,
    IR_EK_VIEW,
    IR_EK_MATVIEW,
    IR_EK_TRIGGER,    /* table.name */
    IR_EK_POLICY,     /* table.name */
    IR_EK_SEQUENCE,
    IR_EK_SCHEMA,
    IR_EK_SQL,        /* an opaque op.execute */
    IR_EK__COUNT
} ir_eff_kind;

#define IR_EFFF_RETYPE 1u /* ALTER of a column that changes its type (enum: its labels) */

typedef struct ir_effect {
    ir_eff_verb verb;
    ir_eff_kind kind;
    unsigned flags;        /* IR_EFFF_* */
    const char *table;     /* COLUMN, INDEX (may be NULL), CONSTRAINT, ROWS, TRIGGER, POLICY */
    const char *name;      /* the object (the table for TABLE; NULL for ROWS and SQL) */
    const char *new_name;  /* RENAME: the new name; else NULL */
    uint32_t op;           /* index of the op in its migration's ops[] (0-based step) */
    ir_op_kind op_kind;
    ir_dmask dialects;     /* dialects the op runs on (branch folding, dialects=) */
    uint32_t start, end;   /* the op's source span; 0, 0 when built from strings */
} ir_effect;

/* The effects of one migration, in op order. */
struct ir_effects {
    const char *migration;   /* its id (from strings: NULL until the caller sets it) */
    const ir_migration *mig; /* NULL when built from strings */
    ir_effect *v;
    size_t n;
    size_t nopaque;          /* how many ops are opaque raw SQL */
};
typedef struct ir_effects ir_effects;

/*
 * The effects of every migration of p.  out[i] belongs to p->migs[i] and
 * lives in a.  A replay error does not stop it: effects after the failing op
 * are computed from the arguments alone (verify then reports the order
 * problem; check/build report the replay error).  0, or -1 when out of
 * memory or depends_on is broken (diagnostics in d).
 */
int ir_effects_compute(const ir_program *p, jy_arena *a, ir_effects ***out, jy_diags *d);
/* The effects as strings (one per effect, stable text: the bundle stores
 * them), and back.  Format "e1 <step> <op> <verb> <kind> <dmask> <flags>
 * <table> <name> <new_name>", fields separated by one tab, '-' for NULL,
 * backslash escapes for tab, newline, backslash and a leading '-'.
 * ir_effects_from_strings returns NULL on a malformed string.  In a. */
size_t ir_effects_strings(const ir_effects *e, jy_arena *a, const char ***out);
ir_effects *ir_effects_from_strings(const char *const *s, size_t n, jy_arena *a);
const char *ir_eff_verb_name(ir_eff_verb v);  /* "read", "write", "create", ... */
const char *ir_eff_kind_name(ir_eff_kind k);  /* "table", "column", "index", ... */
/* "create column users.email", "rename table users -> accounts" (in a). */
const char *ir_effect_describe(const ir_effect *e, jy_arena *a);

/*
 * Conflicts (ir/commute.c).  Kinds in increasing priority: when one op pair
 * matches several rules the highest wins and one conflict per op pair is
 * reported (reference §7.2.1: table_drop > table_rename > add_drop >
 * column_rename > double_alter; then ours: name_collision >
 * order_dependency).
 */
typedef enum {
    IR_CONFLICT_NONE = 0,
    IR_CONFLICT_ORDER_DEPENDENCY, /* one creates/drops/renames/retypes what the other uses */
    IR_CONFLICT_NAME_COLLISION,   /* both create an object of one name */
    IR_CONFLICT_DOUBLE_ALTER,     /* both alter one object */
    IR_CONFLICT_COLUMN_RENAME,    /* a change to a column + its rename */
    IR_CONFLICT_ADD_DROP,         /* one creates, the other drops one object */
    IR_CONFLICT_TABLE_RENAME,     /* a change to a table + its rename */
    IR_CONFLICT_TABLE_DROP,       /* a change to a table + its drop */
    IR_CONFLICT__COUNT
} ir_conflict_kind;

/* "double_alter", "add_drop", "table_drop", "column_rename",
 * "table_rename", "order_dependency", "name_collision" ("none" for 0). */
const char *ir_conflict_kind_name(ir_conflict_kind k);

/* One side of a conflict: the reference's OpRef. */
typedef struct ir_opref {
    const char *migration;     /* id */
    const ir_migration *mig;   /* NULL when from effects strings */
    uint32_t step;             /* 0-based index into mig->ops (step_index) */
    const char *op;            /* "alter_column" */
    const char *target[2];     /* canonical target: ("users", "email") or ("users") */
    size_t ntarget;
    uint32_t start, end;       /* the op's source span (0, 0 unknown) */
    unsigned line;             /* 1-based source line, 0 when unknown */
} ir_opref;

typedef struct ir_conflict {
    ir_conflict_kind kind;
    ir_opref left, right;      /* left is earlier by (migration id, step) */
    const char *object;        /* "column users.email", "table users", "index ix_a" */
    const char *message;       /* reference Conflict.message: 'alter_column(users.email) in A
                                  conflicts with rename_column(users.email -> users.email_norm) in B' */
    const char *why;           /* one sentence: why the order matters */
    const char *fix;           /* one sentence: add depends_on / rename / merge */
} ir_conflict;

/*
 * Which migrations are concurrent.  side[i] labels p->migs[i]:
 *   IR_SIDE_SETTLED  applied in the database / present on the merge base
 *   IR_SIDE_A        pending / added on this branch
 *   IR_SIDE_B        added on the other branch (--base REF)
 * A pair (a, b) of different migrations is concurrent when no depends_on
 * path joins them and:
 *   - both are unsettled on different sides (A with B); or
 *   - both are unsettled on one side and same_side is set; or
 *   - one is settled, the other unsettled, settled_after is set and the
 *     settled one comes later in apply order (an out-of-order pending
 *     migration against what the database already ran).
 * side == NULL means every migration is IR_SIDE_A with same_side set: the
 * pairs depends_on leaves unordered.  pred (optional) vetoes pairs: it is
 * asked only about pairs the rules above call concurrent.
 */
enum { IR_SIDE_SETTLED = 0, IR_SIDE_A = 1, IR_SIDE_B = 2 };

typedef struct ir_concurrency {
    const unsigned char *side; /* p->n entries, or NULL */
    bool same_side;
    bool settled_after;
    bool (*pred)(void *ctx, size_t a, size_t b);
    void *ctx;
} ir_concurrency;

/* Are migs[a] and migs[b] concurrent under cc (rules above)? */
bool ir_concurrent(ir_dag *g, const ir_concurrency *cc, size_t a, size_t b);

/*
 * The commutativity analysis: every pair of ops from two concurrent
 * migrations that touch one object (found through a hash index keyed by
 * the normalized object, never by comparing all pairs) either commutes or
 * yields one ir_conflict.  eff[i] belongs to p->migs[i] (ir_effects_compute).
 * Ops on disjoint dialects never conflict; opaque ops never conflict
 * (reference: human review; verify prints a note for each, see
 * ir_effects.nopaque).  *out (in a) is sorted by (left id, left step, right id,
 * right step).  0, or -1 when out of memory (diagnostics in d).
 */
int ir_verify_pairs(const ir_program *p, ir_dag *g, ir_effects *const *eff,
                    const ir_concurrency *cc, ir_conflict **out, size_t *n, jy_arena *a,
                    jy_diags *d);

/* All of it: ir_dag_build (dialect-neutral), ir_effects_compute and
 * ir_verify_pairs.  -1 with diagnostics on a broken DAG. */
int ir_verify_program(const ir_program *p, const ir_concurrency *cc, ir_conflict **out,
                      size_t *n, jy_arena *a, jy_diags *d);

/*
 * Do two migrations commute, on effects alone (e.g. from bundle strings:
 * joryu-run's out-of-order check)?  false when they commute; true with the
 * highest-priority conflict in *out (strings in ar; a->migration and
 * b->migration name the sides, left is the earlier by id).
 */
bool ir_effects_conflict(const ir_effects *a, const ir_effects *b, jy_arena *ar,
                         ir_conflict *out);

/* ---- end effects ---- */

#endif /* JORYU_IR_H */
