/*
 * vm.h - the bundle (.jyb) format, assembler, writer, loader, disassembler
 * and the step VM that applies a bundle to a database.  Prefix: vm_.
 *
 * One path for both programs:
 *
 *   joryu apply:     fe_compile -> be_emit_program(d) -> vm_assemble -> vm_apply
 *   joryuc build:    fe_compile -> be_emit_program(each target) -> vm_assemble
 *                    -> vm_bundle_write (FILE.jyb)
 *   joryu-run apply: vm_bundle_load(FILE.jyb) -> vm_apply
 *
 * The file format is specified in docs/BUNDLE.md; the instruction set is
 * vm/opcodes.def.  Everything in a vm_bundle lives in its arena; free it
 * with vm_bundle_free.
 *
 * Diagnostic codes: bundle.* (loader/writer), vm.* (execution); each is
 * documented in docs/SPEC.md.  Functions never print; they report through
 * jy_diags (with jy_diag_where: "migration <id>, step <n>") and the progress
 * callback.
 */
#ifndef JORYU_VM_H
#define JORYU_VM_H

#include <signal.h>

#include "base.h"
#include "ir.h"
#include "runtime.h"

/* The bundle format version this build reads and writes. */
#define VM_FORMAT_VERSION 1u
/* The first 8 bytes of every bundle. */
#define VM_MAGIC "JORYUBC\x1a"

unsigned vm_format_version(void);

/* ------------------------------------------------------ instructions */

typedef enum { VM_OPND_NONE, VM_OPND_STR, VM_OPND_U32 } vm_operand_kind;

typedef enum {
#define VM_OP(name, a, b, c, doc) VM_OP_##name,
#include "opcodes.def"
#undef VM_OP
    VM_OP__COUNT
} vm_opcode;

typedef struct vm_opcode_info {
    const char *name;          /* "EXEC" */
    vm_operand_kind a, b, c;
    const char *doc;
} vm_opcode_info;

/* The row of opcodes.def for op (NULL when op >= VM_OP__COUNT). */
const vm_opcode_info *vm_opcode_get(unsigned op);

enum {
    VM_F_EXPECT_NO_ROWS = 1u << 0 /* EXEC: fail when the statement returns a row */
};

/* 16 bytes, stored little-endian in the file. */
typedef struct vm_insn {
    uint8_t op;    /* vm_opcode */
    uint8_t flags; /* VM_F_* */
    uint16_t aux;  /* reserved, 0 */
    uint32_t a, b, c;
} vm_insn;

/* ------------------------------------------------------------ bundle */

enum {
    VM_STEP_NO_TX = 1u << 0,       /* runs outside a transaction (CONCURRENTLY,
                                      SQLite rebuild) */
    VM_STEP_DESTRUCTIVE = 1u << 1, /* loses data */
    VM_STEP_BACKFILL = 1u << 2     /* body is one BACKFILL */
};

typedef struct vm_step {
    const char *op_kind;     /* "add_column" (joryu_migration_steps.op_kind) */
    const char *fingerprint; /* ir_op_fingerprint ("v1:<hex>") */
    const char *summary;     /* "users.email" style target for status lines, or "" */
    uint32_t line;           /* source line of the op (0 unknown) */
    uint32_t flags;          /* VM_STEP_* */
    const vm_insn *code;     /* the body (points into the bundle's code) */
    uint32_t ncode;
} vm_step;

typedef struct vm_script {     /* 24 bytes: a bundle holds 8 per migration */
    const vm_step *steps;
    const char *reason;      /* why irreversible, or NULL */
    uint32_t nsteps;
    bool present;            /* compiled for this dialect */
    bool synthesized;        /* downgrade computed from the schema */
    bool irreversible;       /* downgrade: none (steps empty) */
} vm_script;

typedef struct vm_migration {
    const char *id;
    const char *file;            /* source path at build time (messages only) */
    const char *checksum;        /* "v1:<hex>" */
    const char *down_checksum;
    const char *const *depends_on; /* ids ("group:" references resolved) */
    uint32_t ndepends;
    const char *const *effects;  /* ir_effects_strings (issue 5), may be empty */
    uint32_t neffects;
    ir_tx_mode tx_mode;
    ir_mismatch on_mismatch;
    ir_dmask dialects;           /* the dialects this migration runs on */
    vm_script up[IR_D__COUNT];
    vm_script down[IR_D__COUNT];
} vm_migration;

typedef struct vm_bundle {
    jy_arena *arena;             /* everything below lives here */
    uint32_t flags;              /* header flags (docs/BUNDLE.md) */
    ir_dmask dialects;           /* dialects compiled in */
    const char *joryu_version;   /* the compiler that built it */
    char body_sha256[65];        /* hex */
    const vm_migration *migs;    /* sorted by id */
    uint32_t nmigs;
    /* apply order per dialect: indexes into migs (a topological order of
       depends_on, ties by id: ir_replay_order at build time) */
    const uint32_t *order[IR_D__COUNT];
    uint32_t norder[IR_D__COUNT];
    /* the string table: a VM_OPND_STR operand x is strings[x] (x < nstrings;
       the assembler and the loader guarantee it, NUL-terminated UTF-8) */
    const char *const *strings;
    uint32_t nstrings;
    /* statements left in the file until first used (vm_bundle_load_code):
       read them with vm_bundle_str; private to vm/bundle.c, NULL otherwise */
    struct vm_lazy *lazy;
} vm_bundle;

/*
 * String x of b's table: strings[x], or, for a statement that
 * vm_bundle_load_code left in the file (long instruction operands, checked
 * and hashed at load like every string), the string read now from the file
 * the bundle was loaded from, compared with the fingerprint taken at load
 * (from the bytes the body's SHA-256 covered) and kept for the bundle's
 * lifetime.  NULL when x is out of range, the string
 * was not kept, or the file no longer holds the same bytes.
 */
const char *vm_bundle_str(const vm_bundle *b, uint32_t x);

struct be_program;

/*
 * Assemble a bundle from the programs emitted for one or more dialects
 * (each be_program of a different dialect, all from p).  Effects come from
 * ir_effects_compute.  0 and *out (vm_bundle_free), or -1 with a diagnostic.
 */
int vm_assemble(const ir_program *p, const struct be_program *const *bps, size_t nbps,
                vm_bundle **out, jy_diags *d);

/* Serialize to a file (written to a temporary name, then renamed: a failed
 * build never leaves a partial bundle).  0, or -1 with io.* diagnostic. */
int vm_bundle_write(const vm_bundle *b, const char *path, jy_diags *d);
/* Serialize to memory (malloc'd *data, *len). */
int vm_bundle_serialize(const vm_bundle *b, unsigned char **data, size_t *len, jy_diags *d);

/*
 * Load a bundle.  The input is untrusted: magic, version, sizes and the
 * body's SHA-256 are checked before anything else; every offset, length,
 * string index, count and opcode is checked before use.  A damaged bundle
 * is refused with one bundle.* diagnostic naming what is wrong (exit 1).
 */
int vm_bundle_load(const char *path, vm_bundle **out, jy_diags *d);
int vm_bundle_load_memory(const unsigned char *data, size_t len, vm_bundle **out, jy_diags *d);
/* The same checks, keeping only the code of `dialects` (the others are
 * left out as if not compiled in; their strings are checked, not kept):
 * joryu-run connecting to one server needs a third of the memory.  The file
 * is streamed, never held whole.  vm_bundle_load is this with every dialect. */
int vm_bundle_load_dialects(const char *path, ir_dmask dialects, vm_bundle **out, jy_diags *d);
/* Whose statements vm_bundle_load_code keeps (every string is still
 * checked and hashed; the strings only code names are dropped otherwise). */
enum {
    VM_KEEP_UP_CODE = 1u << 0,   /* the operands of upgrade steps (apply) */
    VM_KEEP_DOWN_CODE = 1u << 1, /* the operands of downgrade steps (down) */
    VM_KEEP_ALL_CODE = VM_KEEP_UP_CODE | VM_KEEP_DOWN_CODE
};
/* vm_bundle_load_dialects keeping the instruction operands (SQL, guards,
 * backfill statements) of the scripts in `code` only.  An operand that was
 * not kept reads as NULL in b->strings, which the VM refuses to run
 * ("a statement is missing"): load with the code of what will run, e.g.
 * VM_KEEP_UP_CODE for apply, 0 for status, mark and repair.  Everything
 * else (ids, checksums, effects, steps' kinds, fingerprints and summaries)
 * is kept. */
int vm_bundle_load_code(const char *path, ir_dmask dialects, unsigned code, vm_bundle **out,
                        jy_diags *d);
void vm_bundle_free(vm_bundle *b);

const vm_migration *vm_bundle_find(const vm_bundle *b, const char *id);

/* `joryuc dis`: the bundle readably, one instruction a line with operands
 * and the SQL it carries.  malloc'd text, NULL when out of memory. */
char *vm_disassemble(const vm_bundle *b);

/* ---------------------------------------------------------- the VM */

/* What happened, for progress output (cli renders it: text, live line,
 * --json events of reference §14.3). */
typedef enum {
    VM_EV_PLAN,            /* before anything runs: n = migrations to apply/undo */
    VM_EV_MIGRATION_START, /* mig */
    VM_EV_STEP_START,      /* mig, step (1-based), nsteps, st */
    VM_EV_STEP_SQL,        /* sql: a statement about to run (dry run: would run) */
    VM_EV_STEP_SKIP,       /* guard said the desired state exists; message says why */
    VM_EV_STEP_DONE,
    VM_EV_BATCH,           /* backfill progress: batches, rows, key range, total */
    VM_EV_WARNING,         /* message (e.g. on_mismatch=skip drift, MySQL per_migration) */
    VM_EV_MIGRATION_DONE,
    VM_EV_MIGRATION_FAILED,/* message: server error; sql: failing statement */
    VM_EV_PAUSED,          /* message: why (signal, --max-duration) */
    VM_EV_FINISH           /* exit_code */
} vm_event_kind;

typedef struct vm_event {
    vm_event_kind kind;
    const vm_migration *mig;
    const vm_step *st;
    uint32_t step;           /* 1-based */
    uint32_t nsteps;
    const char *sql;
    const char *message;
    /* VM_EV_BATCH */
    uint64_t batches_done, batches_total, rows_done;
    int64_t key_low, key_high, key_max;
    double elapsed;          /* seconds since the step started */
    size_t n;
    int exit_code;
} vm_event;

typedef void (*vm_progress_fn)(void *ctx, const vm_event *ev);

typedef enum {
    VM_ONFAIL_RESUME,   /* re-run only failed/pending steps (default) */
    VM_ONFAIL_RESTART,  /* clear the migration's steps and start over */
    VM_ONFAIL_ABORT,    /* do nothing: exit 2 */
    VM_ONFAIL_ASK       /* call ask() (a terminal) */
} vm_on_failure;

/* Interactive recovery (reference §10.5).  Called for a failed migration
 * before anything runs; returns the choice, and for RESTART with a step,
 * *from_step (1-based; 1 = full restart).  VM_ONFAIL_SKIP_STEP marks the
 * failed step skipped and continues. */
enum { VM_ONFAIL_SKIP_STEP = 10 };
typedef int (*vm_ask_fn)(void *ctx, const vm_migration *m, const rt_mig_row *row,
                         uint32_t *from_step);

typedef struct vm_apply_opts {
    const char *target;          /* apply up to and including this id, or NULL */
    bool dry_run;                /* read-only session; prints SQL; writes nothing */
    bool no_resume;              /* a failed/paused migration is not resumed: exit 2/3 */
    bool continue_past_failed;
    bool retry_paused;
    vm_on_failure on_failure;
    vm_ask_fn ask;
    void *ask_ctx;
    double lock_timeout;         /* seconds; < 0 = wait forever */
    double max_duration;         /* seconds; 0 = none: pause at the next boundary after it */
    volatile sig_atomic_t *interrupt; /* set non-zero by SIGINT/SIGTERM: pause */
    vm_progress_fn progress;
    void *progress_ctx;
    /* Test hook for the crash matrix (the CLI reads JORYU_TEST_KILL_AT=N;
     * docs/SPEC.md says so): the VM raises SIGKILL on itself at the N-th
     * kill point, 1-based, 0 = off.  Kill points, in order as they occur:
     * after each statement of a step has executed (before the step is
     * recorded), after each step is recorded, after each backfill batch
     * UPDATE (before its commit) and after each batch commit. */
    uint32_t kill_at;
} vm_apply_opts;

typedef struct vm_result {
    int exit_code;               /* JY_EXIT_* */
    uint32_t applied, skipped_steps, failed;
} vm_result;

/*
 * Apply the pending migrations of b for the connection's dialect (reference
 * §9.6 with the brief's rules): lock, create the state tables, checksum
 * gate, halt rules (§10.4), resume with fingerprint checks (§10.3), steps
 * guarded/executed/recorded per transaction mode, backfills in batches with
 * checkpoints, pause on *interrupt / max_duration.  Returns 0 when the run
 * itself worked (r->exit_code says 0, 2, 3, 4); -1 with a diagnostic when it
 * could not run (connection, lock timeout, bundle lacks the dialect: exit 1).
 */
int vm_apply(rt_conn *c, const vm_bundle *b, const vm_apply_opts *o, vm_result *r, jy_diags *d);

typedef struct vm_down_opts {
    uint32_t steps;          /* undo the last N applied migrations (default 1) */
    const char *to;          /* undo down to, not including, this id */
    bool dry_run;
    double lock_timeout;
    volatile sig_atomic_t *interrupt;
    vm_progress_fn progress;
    void *progress_ctx;
} vm_down_opts;

/* Run downgrades in reverse apply order; an irreversible one stops with
 * exit 2 naming the reason.  The production guard is the CLI's. */
int vm_down(rt_conn *c, const vm_bundle *b, const vm_down_opts *o, vm_result *r, jy_diags *d);

/* Status (reference §10.1): one entry per migration of the bundle in apply
 * order, plus rows the database has that the bundle does not know. */
typedef struct vm_status_step {
    uint32_t step;           /* 1-based */
    const char *op_kind;
    const char *summary;
    const char *status;      /* "pending", "running", "done", "failed", "skipped" */
    const char *progress;    /* JSON or NULL */
    const char *started_at, *finished_at;
} vm_status_step;

typedef struct vm_status_entry {
    const char *id;
    const vm_migration *mig;     /* NULL: recorded in the database, unknown to the bundle */
    const char *status;          /* "pending" (no row), "running", "applied", "failed",
                                    "paused", "marked-pending" */
    bool checksum_mismatch;      /* applied, and the bundle's checksum differs */
    const char *last_error, *pause_reason, *started_at, *finished_at;
    vm_status_step *steps;       /* from the state table (and the bundle for pending) */
    uint32_t nsteps;
    /* A downgrade that stopped half way (vm_down recorded the migration
       `failed`, see docs/SPEC.md "down"): down_nsteps > 0, the steps its
       downgrade had, of which the first down_undone are undone and
       committed (the next down continues at down_undone + 1).  0 and 0
       for every other entry.  down_steps: the bundle's downgrade steps
       (ndown_steps of them, numbered from 1), status "undone" for those
       the next down passes over, "pending" for the rest; NULL (0) when
       the bundle does not know the migration or has no downgrade for it. */
    uint32_t down_undone, down_nsteps;
    vm_status_step *down_steps;
    uint32_t ndown_steps;
} vm_status_entry;

typedef struct vm_status {
    jy_arena *arena;
    rt_state state;              /* the rows read; entries point into them */
    ir_dialect dialect;
    vm_status_entry *e;
    size_t n;
    size_t npending, napplied, nfailed, npaused;
} vm_status;

/* Read-only: never creates the state tables. */
int vm_status_read(rt_conn *c, const vm_bundle *b, vm_status **out, jy_diags *d);
/* The same; without applied_steps, applied migrations come with no steps
 * (nsteps 0) and no times or messages (NULL), and neither is read: what the
 * text status needs, in time and memory that follow unfinished work rather
 * than history. */
int vm_status_read_ex(rt_conn *c, const vm_bundle *b, bool applied_steps, vm_status **out,
                      jy_diags *d);
void vm_status_free(vm_status *s);

/* `mark <id>[.<step>] --as=STATE` with the transitions of §9.2 (step 0 =
 * the migration itself; steps are 1-based). */
int vm_mark(rt_conn *c, const vm_bundle *b, const char *id, uint32_t step, const char *as,
            const char *reason, jy_diags *d);

/* `repair <id>`: record the bundle's checksum for an applied migration and
 * its steps' new code (op kind and fingerprint; new steps skipped, removed
 * steps' rows deleted), one vm.repair-step note per change. */
int vm_repair(rt_conn *c, const vm_bundle *b, const char *id, jy_diags *d);

#endif /* JORYU_VM_H */
