/*
 * cli_int.h - what the three mains share: a table-driven argument parser
 * (each program declares its commands and their flags once; parsing,
 * `--help` of every command and the `PROG --help` listing are produced from
 * that table), colors, messages, and the joryu.toml loader for commands.
 *
 * Prefix: cli_.  Nothing here may call the frontend (fe_*): joryu-run links
 * this code and must not contain a compiler.
 */
#ifndef JORYU_CLI_INT_H
#define JORYU_CLI_INT_H

#include "base.h"
#include "runtime.h"

typedef enum {
    CLI_BOOL, /* --name */
    CLI_STR,  /* --name=V or --name V; given twice is an error */
    CLI_LIST  /* --name=V, repeatable */
} cli_flag_kind;

typedef struct cli_flag {
    const char *name;    /* without the dashes; NULL ends a table */
    cli_flag_kind kind;
    const char *metavar; /* "D", "URL" (CLI_STR / CLI_LIST) */
    const char *help;    /* one line */
} cli_flag;

struct cli_ctx;
struct cli_args;
typedef int (*cli_run_fn)(struct cli_ctx *c, const struct cli_args *a);

#define CLI_MANY 0xFFFFu

typedef struct cli_cmd {
    const char *name;
    const char *usage;           /* the positional part: "[DIR|FILE...]" */
    unsigned min_args, max_args; /* positional count; CLI_MANY = no limit */
    const char *summary;         /* one line for the listing */
    const char *help;            /* longer text (lines separated by \n), or NULL */
    const cli_flag *flags;       /* table ended by {NULL}; NULL = none */
    cli_run_fn run;              /* NULL: "not implemented yet" */
    const char *later;           /* when run is NULL: what to use meanwhile */
} cli_cmd;

typedef struct cli_prog {
    const char *name;    /* "joryuc" */
    const char *summary; /* one line */
    const cli_cmd *cmds;
    size_t ncmds;
    const char *const *foreign; /* "cmd:prog" pairs: commands of the other programs */
} cli_prog;

typedef struct cli_ctx {
    const cli_prog *prog;
    const cli_cmd *cmd;
    FILE *out, *err;
    bool color_out, color_err;
} cli_ctx;

typedef struct cli_opt {
    bool set;
    const char *value;   /* CLI_STR: the value; CLI_LIST: the last value */
    const char **values; /* CLI_LIST: every value (malloc'd array) */
    size_t n;
} cli_opt;

typedef struct cli_args {
    const cli_cmd *cmd;
    const char **pos; /* positional arguments (malloc'd array of argv pointers) */
    size_t npos;
    cli_opt *opts;    /* one per entry of cmd->flags */
    size_t nopts;
} cli_args;

/* Run a program: parse argv against prog's table, print help or errors,
 * run the command.  Returns the process exit code (JY_EXIT_*). */
int cli_main(const cli_prog *prog, int argc, char **argv);

/* Flag values of a parsed command (the name must be in the command's table). */
bool cli_has(const cli_args *a, const char *flag);
const char *cli_str(const cli_args *a, const char *flag);
const char *const *cli_list(const cli_args *a, const char *flag, size_t *n);

/* Messages on stderr: "prog: error: ...", "hint: ...", "prog: warning: ...". */
void cli_error(cli_ctx *c, const char *fmt, ...) JY_PRINTF(2, 3);
void cli_warn(cli_ctx *c, const char *fmt, ...) JY_PRINTF(2, 3);
void cli_hint(cli_ctx *c, const char *fmt, ...) JY_PRINTF(2, 3);
/* Print diagnostics to stderr (colors on a TTY). */
void cli_print_diags(cli_ctx *c, jy_diags *d);

/* Bold text on stdout when colors are on (for listings). */
const char *cli_bold(const cli_ctx *c);
const char *cli_reset(const cli_ctx *c);

/* The project file every command reads, in the current directory. */
#define CLI_CONFIG_FILE "joryu.toml"

/*
 * Load ./joryu.toml into cfg (always call rt_config_free afterwards).
 * Warnings are printed.  When the file is absent: with `required` an error
 * "no joryu.toml here: run `joryu init`" is printed and -1 returned;
 * otherwise cfg holds the defaults and 0 is returned.  On a broken file the
 * diagnostics are printed and -1 returned.
 */
int cli_load_config(cli_ctx *c, rt_config *cfg, bool required);

/*
 * Parse --dialect values (repeatable, comma lists allowed) into a mask.
 * Returns 0, or prints an error (with a did-you-mean) and returns -1.
 * When no --dialect was given, *mask = fallback.
 */
int cli_dialects(cli_ctx *c, const cli_args *a, const char *flag, ir_dmask fallback,
                 ir_dmask *mask);

/* Shared flag descriptions, so the same flag reads the same everywhere. */
#define CLI_FLAG_JSON_HELP "print the result as JSON on stdout"
#define CLI_FLAG_DB {"db", CLI_STR, "URL", "database URL (before JORYU_DATABASE_URL and joryu.toml)"}


/* ---- database commands (cli_apply.c): apply, status, down, mark, repair,
 * history, heads.  The same code runs in joryu (the bundle is compiled in
 * memory for the connected database's dialect: cmd_apply.c) and joryu-run
 * (the bundle is a .jyb file: cli_bundle_file).  Nothing here calls fe_*. */
#include "vm.h"

typedef struct cli_bundle_src {
    /* positional arguments the source takes before the command's own
     * (joryu-run: 1, the BUNDLE path; joryu: 0) */
    unsigned npos;
    /* true: compiled for the connected database's dialect (open after
     * connecting); false: a file, read before connecting */
    bool needs_dialect;
    /* Produce the bundle.  cfg is ./joryu.toml (defaults when absent); dl
     * is the connected database's dialect, or IR_D__COUNT when no database
     * is involved (history, heads).  Prints its own errors; returns 0 and
     * *out (vm_bundle_free) or an exit code. */
    int (*open)(cli_ctx *c, const cli_args *a, const rt_config *cfg, ir_dialect dl,
                vm_bundle **out);
} cli_bundle_src;

/* The code a database command may run, for vm_bundle_load_code: apply the
 * upgrades, down the downgrades; status, mark, repair, history and heads
 * run no SQL of the bundle (dropping it is most of a bundle's memory). */
unsigned cli_code_for(const cli_ctx *c);

/* joryu-run's source: a/pos[0] names a .jyb file (vm_bundle_load). */
extern const cli_bundle_src cli_bundle_file;

extern const cli_flag cli_apply_flags[];
extern const cli_flag cli_status_flags[];
extern const cli_flag cli_down_flags[];
extern const cli_flag cli_mark_flags[];
extern const cli_flag cli_repair_flags[];
extern const cli_flag cli_history_flags[];
extern const cli_flag cli_heads_flags[];

int cli_apply(cli_ctx *c, const cli_args *a, const cli_bundle_src *src);
int cli_status(cli_ctx *c, const cli_args *a, const cli_bundle_src *src);
int cli_down(cli_ctx *c, const cli_args *a, const cli_bundle_src *src);
int cli_mark(cli_ctx *c, const cli_args *a, const cli_bundle_src *src);
int cli_repair(cli_ctx *c, const cli_args *a, const cli_bundle_src *src);
int cli_history(cli_ctx *c, const cli_args *a, const cli_bundle_src *src);

/* One migration as `history` lists it: joryu-run's from the bundle,
 * joryu's from the compiled program, printed by the same code. */
typedef struct cli_history_row {
    const char *id, *file, *checksum;
    const char *const *depends_on; /* ids: a "group:<name>" entry is its members */
    size_t ndepends;
    ir_dmask dialects;             /* the dialects it runs on (dialects=) */
    ir_tx_mode tx_mode;
    int reversible;                /* 1 or 0; -1 when not known (not in --json) */
} cli_history_row;

/* Print rows (in id order) as `history` does, text or --json.  `listed`:
 * the dialects the listing is about (--dialect, else every target); a
 * migration that runs on none of them is marked "(not for ...)", one that
 * runs on some "(only for ...)". */
int cli_history_print(cli_ctx *c, const cli_args *a, const cli_history_row *rows, size_t n,
                      ir_dmask listed);
/* Print the heads of rows (in id order) as `heads` does, text or --json:
 * of the rows that run on a dialect of `on` (0: every row), those none of
 * them comes after (depends_on, or an empty depends_on: every smaller id). */
int cli_heads_print(cli_ctx *c, const cli_args *a, const cli_history_row *rows, size_t n,
                    ir_dmask on);
int cli_heads(cli_ctx *c, const cli_args *a, const cli_bundle_src *src);

/* The --help texts of the database commands, shared by both programs. */
#define CLI_APPLY_SUMMARY "apply pending migrations to the database"
#define CLI_APPLY_HELP                                                                          \
    "Applies every pending migration in apply order (depends_on, then id), each step\n"          \
    "guarded, executed and recorded in joryu_migrations / joryu_migration_steps.\n"             \
    "Database: --db, else JORYU_DATABASE_URL, else [database] url of joryu.toml.\n"             \
    "A failed or paused migration resumes where it stopped on the next apply.\n"                \
    "Progress: auto (a live display when stderr is a terminal, else plain lines),\n"            \
    "--interactive, --plain, --json (one JSON event per line on stdout), --quiet.\n"            \
    "SIGINT/SIGTERM pause at the next step or batch boundary (exit 3); a second one\n"          \
    "kills at once.  Exit: 0 done, 1 error, 2 a step failed, 3 paused, 4 checksum\n"            \
    "mismatch of an applied migration (run repair).  JORYU_TEST_KILL_AT=N (tests\n"             \
    "only) makes the VM SIGKILL itself at its N-th kill point."
#define CLI_STATUS_SUMMARY "list applied, pending, failed and paused migrations"
#define CLI_STATUS_HELP                                                                         \
    "One line per migration in apply order; failed, paused and running ones also\n"             \
    "show their steps with batch progress and the last error.  A changed checksum\n"            \
    "of an applied migration is flagged.  Reads only: never creates the state tables."
#define CLI_DOWN_SUMMARY "run downgrades (dev only; production needs --allow-prod)"
#define CLI_DOWN_HELP                                                                           \
    "Undoes the last applied migration (--steps=N: the last N; --to=ID: every one\n"            \
    "applied after ID) in reverse apply order.  A production-like database (joryu.toml\n"       \
    "environment other than local, JORYU_ENV, or a non-local host) is refused with\n"           \
    "exit 5 unless --allow-prod is given."
#define CLI_MARK_SUMMARY "correct the recorded state of a migration or step"
#define CLI_MARK_HELP                                                                           \
    "ID --as=applied|pending|failed|paused (paused needs --reason), or\n"                       \
    "ID.STEP --as=done|pending|skipped (STEP counts from 1, as status shows it).\n"             \
    "A last resort: nothing is executed.  On a production-like database a terminal\n"           \
    "asks for confirmation; without a terminal --allow-prod is required (else exit 5)."
#define CLI_REPAIR_SUMMARY "record the current checksum of an applied migration"
#define CLI_REPAIR_HELP                                                                         \
    "After an applied migration's file was changed on purpose (apply and verify\n"              \
    "report exit 4), records its new checksum.  Nothing is executed."
#define CLI_HISTORY_SUMMARY "list the bundle's migrations with their checksums"
#define CLI_HEADS_SUMMARY "list the migrations the history ends with"

#endif /* JORYU_CLI_INT_H */
