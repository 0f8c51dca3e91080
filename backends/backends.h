/*
 * backends.h - per-dialect SQL from the IR (PostgreSQL, MySQL/MariaDB,
 * SQLite).  Prefix: be_.  docs/SPEC.md describes the SQL
 * of every op and type, the SQLite table rebuild, statement merging,
 * downgrade synthesis and every be.* diagnostic.
 *
 * How the CLI uses it:
 *
 *   be_program *bp;
 *   if (be_emit_program(prog, IR_D_SQLITE, &bp, &diags))   // replays too
 *       -> print diags, exit diags.exit_code (1)
 *   const be_migration *bm = be_program_find(bp, id);
 *   char *sql = be_script_text(bp, &bm->up);     // `joryu sql <id>`
 *   char *down = be_script_text(bp, &bm->down);  // `joryu sql <id> --backward`
 *   ... free(sql); free(down); be_program_free(bp);
 *
 *   `joryuc check`:    be_emit_program for every target dialect (replay
 *                      errors and be.* errors are reported there).
 *   `schema-snapshot`: bp->schema is the replayed schema (ir_schema_to_json).
 *
 * Steps.  Every op of a migration compiled for the dialect is exactly one
 * step (be_step), in source order, so step numbers match the ops for resume
 * (reference §9.2).  A declare_schema_change step has no statements.  An
 * op.batch block is one unit of work: its SQL (one ALTER TABLE on
 * PostgreSQL/MySQL where the clauses combine, one table rebuild on SQLite)
 * is in the step of its first op; the other steps of the block have no
 * statements and a note saying so.
 */
#ifndef JORYU_BACKENDS_H
#define JORYU_BACKENDS_H

#include "ir.h"

/* The backend family of a dialect: "postgresql", "mysql" or "sqlite". */
const char *be_family_name(ir_dialect d);

enum {
    BE_STMT_EXPECT_NO_ROWS = 1u << 0 /* a check: fails when it returns a row
                                        (SQLite PRAGMA foreign_key_check) */
};

typedef struct be_stmt {
    const char *sql; /* one statement, no trailing semicolon */
    unsigned flags;  /* BE_STMT_* */
} be_stmt;

/* A backfill step (op.backfill): the VM walks the key in ranges. */
typedef struct be_backfill {
    const char *bounds_sql; /* SELECT MIN(key), MAX(key) FROM t [WHERE pred] */
    const char *batch_sql;  /* UPDATE t SET ... WHERE key >= <p1> AND key <= <p2> [AND (pred)]:
                               placeholders $1/$2 on PostgreSQL, ?/? elsewhere */
    const char *key;        /* the key column */
    int64_t batch_size;
} be_backfill;

typedef struct be_step {
    const ir_op *op;     /* upgrade: the op; explicit downgrade: the downgrade op;
                            synthesized downgrade: the upgrade op it undoes */
    size_t op_index;     /* index of op in m->ops (or m->down) */
    be_stmt *stmts;
    size_t nstmts;
    bool no_transaction; /* must run outside a transaction (CREATE INDEX
                            CONCURRENTLY; SQLite table rebuild, which opens
                            its own transaction) */
    bool destructive;    /* loses data (drop table/column) */
    be_backfill *backfill; /* non-NULL for op.backfill (stmts then empty) */
    const char *note;    /* e.g. "folded into step 2 (op.batch block)", or NULL */
    const char *guard;   /* the ensure guard as JSON (docs/SPEC.md "Guards"):
                            what rt_guard_eval checks before the step runs;
                            NULL when the step has none (execute, backfill,
                            bulk_insert, folded steps) */
    const char *summary; /* the op's target for status lines: "users.email",
                            "idx_users_email", "" when none */
} be_step;

typedef struct be_script {
    be_step *steps;
    size_t nsteps;
    bool synthesized;    /* downgrade: computed from the replayed schema */
    bool irreversible;   /* downgrade: none can be written (steps empty) */
    const char *reason;  /* why irreversible, e.g. "step 2 (op.backfill) changes rows" */
} be_script;

typedef struct be_migration {
    const ir_migration *m;
    be_script up, down;
} be_migration;

typedef struct be_program {
    jy_arena *arena;     /* everything below lives here */
    ir_dialect dialect;
    be_migration *migs;  /* in apply order (ir_replay_order); migrations whose
                            dialects= leaves the dialect out are not listed */
    size_t n;
    ir_schema *schema;   /* the schema after the last migration (in arena) */
} be_program;

/*
 * Replay p for dialect d and emit the SQL of every migration, upgrade and
 * downgrade (explicit, or synthesized from the schema before each op).
 * Returns 0 and *out (free with be_program_free), or -1 with diagnostics
 * (replay.*, be.*; exit code 1) and *out NULL.
 */
int be_emit_program(const ir_program *p, ir_dialect d, be_program **out, jy_diags *diags);
void be_program_free(be_program *bp);
/*
 * What `joryuc check` needs: the same replay and emission as
 * be_emit_program, with the same diagnostics, but each migration's SQL is
 * dropped once emitted (memory: one migration plus the replayed schema).
 * 0, or -1 with diagnostics.  Safe to run for different dialects on
 * different threads over one program (p is only read).
 */
int be_check_program(const ir_program *p, ir_dialect d, jy_diags *diags);
/* The migration with that id, or NULL. */
const be_migration *be_program_find(const be_program *bp, const char *id);

/*
 * A script as text for `joryu sql`: each step introduced by a comment
 * ("-- step 2: op.add_column (line 12)"), statements ended by ";", notes and
 * flags as comments; an irreversible downgrade is one comment with the
 * reason.  malloc'd, NULL when out of memory.
 */
char *be_script_text(const be_program *bp, const be_migration *bm, const be_script *s);

/*
 * The schema as SQL for dialect d (`schema-snapshot --format=sql`): enum
 * types, CREATE TABLE for every table (by name) with its indexes and
 * comments, then the foreign keys (inline on SQLite), then views and the
 * other objects whose SQL is known.  malloc'd, NULL when out of memory.
 */
char *be_schema_sql(const ir_schema *s, ir_dialect d);

/* Quoting, exposed for drivers and guards: an identifier ("x" / `x`) and a
 * string literal ('x', with backslashes doubled on MySQL) appended to b. */
void be_quote_ident(jy_buf *b, ir_dialect d, const char *name);
void be_quote_string(jy_buf *b, ir_dialect d, const char *s);
/* The column type as dialect d spells it (e.g. "VARCHAR(255)"), appended. */
void be_type_sql(jy_buf *b, ir_dialect d, const ir_type *t);

#endif /* JORYU_BACKENDS_H */
