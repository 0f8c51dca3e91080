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

#endif /* JORYU_CLI_INT_H */
