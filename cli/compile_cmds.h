/*
 * compile_cmds.h - the commands that compile migration files (check, dump,
 * history, ops), shared by joryu and joryuc.  They call the frontend, so
 * they live outside the cli_*.c library that joryu-run links: each program
 * that wants them compiles compile_cmds.c itself.
 *
 * Each command is declared once, here, as a cli_cmd initializer; both
 * programs put the same initializer in their tables, so their help and
 * parsing cannot drift apart.
 */
#ifndef JORYU_COMPILE_CMDS_H
#define JORYU_COMPILE_CMDS_H

#include "cli_int.h"

extern const cli_flag cc_check_flags[];
extern const cli_flag cc_dump_flags[];
extern const cli_flag cc_history_flags[];
extern const cli_flag cc_ops_flags[];

int cc_check(cli_ctx *c, const cli_args *a);
int cc_dump(cli_ctx *c, const cli_args *a);
int cc_history(cli_ctx *c, const cli_args *a);
int cc_heads(cli_ctx *c, const cli_args *a);
int cc_ops(cli_ctx *c, const cli_args *a);
int cc_sql(cli_ctx *c, const cli_args *a);
int cc_snapshot(cli_ctx *c, const cli_args *a);
int cc_build(cli_ctx *c, const cli_args *a), cc_dis(cli_ctx *c, const cli_args *a); /* cmd_build.c */
/* verify (cmd_verify.c) */
extern const cli_flag cc_verify_flags[];
int cc_verify(cli_ctx *c, const cli_args *a);

#define CC_CHECK_CMD                                                                             \
    {"check", "[DIR|FILE...]", 0, CLI_MANY,                                                      \
     "compile migrations for every target dialect; print nothing on success",                   \
     "DIR is a migrations folder (default: [joryu] migrations_dir of joryu.toml).\n"             \
     "FILE arguments compile alone (single-file mode: depends_on is not resolved).\n"           \
     "Targets: --dialect, else [dialects] targets of joryu.toml, else postgresql, mysql,\n"     \
     "sqlite.  Diagnostics go to stderr; exit 1 on errors, 6 on a type unsupported\n"            \
     "by a targeted dialect.",                                                                  \
     cc_check_flags, cc_check, NULL}

#define CC_DUMP_CMD                                                                              \
    {"dump", "[PATH...]", 0, CLI_MANY,                                                           \
     "print the compiled IR as JSON (for editors and tools)",                                    \
     "PATH is a migration file or a folder (default: the migrations folder).\n"                  \
     "The output is byte-for-byte deterministic; its schema is docs/ir.schema.json.",           \
     cc_dump_flags, cc_dump, NULL}

#define CC_HISTORY_CMD                                                                           \
    {"history", "[DIR]", 0, 1,                                                                   \
     "list the migrations in id order with their checksums and depends_on",                     \
     "Compiles the migrations folder (default: joryu.toml's) and lists every migration:\n"       \
     "id, semantic checksum, depends_on.  A migration whose dialects= leaves out some\n"         \
     "of the targets (joryu.toml's, or --dialect) is marked (only for ...), one for\n"          \
     "none of them (not for ...); joryu-run history lists a bundle the same way.\n"             \
     "No database is read.",                                                                    \
     cc_history_flags, cc_history, NULL}

#define CC_OPS_CMD                                                                               \
    {"ops", "[NAME]", 0, 1, "describe the op catalogue (every op.* call), or one op",            \
     "Without NAME: every op with its synopsis.  With NAME: its signature and arguments.",      \
     cc_ops_flags, cc_ops, NULL}

/* joryu's database commands (cmd_apply.c): cli_apply.c's commands over the
 * project's migrations compiled in memory for the connected dialect. */
int cmd_apply(cli_ctx *c, const cli_args *a);
int cmd_status(cli_ctx *c, const cli_args *a);
int cmd_down(cli_ctx *c, const cli_args *a);
int cmd_mark(cli_ctx *c, const cli_args *a);
int cmd_repair(cli_ctx *c, const cli_args *a);
int cmd_heads(cli_ctx *c, const cli_args *a);

#define CC_VERIFY_CMD                                                                            \
    {"verify", "[DIR]", 0, 1, "find conflicts between concurrent migrations; checksum gates",    \
     "Which migrations are concurrent (docs/SPEC.md, \"Verify\"):\n"                             \
     "  --db URL    the migrations not applied in that database against the applied ones\n"   \
     "              later in apply order (with --pending-pairs also against each other);\n"  \
     "              an applied migration whose file changed is an error (`joryu repair ID`\n" \
     "              records the new checksum)\n"                                              \
     "  --base REF  the migrations added on this branch since `git merge-base HEAD REF`\n"     \
     "              against those added on REF since then (and against migrations of the\n"  \
     "              merge base later in apply order); editing or removing a migration of\n"  \
     "              the merge base is an error\n"                                             \
     "  neither     the default database (JORYU_DATABASE_URL, [database] url) when there is\n" \
     "              one, else [verify] base of joryu.toml\n"                                   \
     "Pairs that depends_on orders are never concurrent.  DIR is the migrations folder\n"      \
     "(default: joryu.toml's).  Exit 4 on any conflict or checksum error, 1 when verify\n"      \
     "cannot run (no git, unknown ref, compile errors), 0 otherwise.",                          \
     cc_verify_flags, cc_verify, NULL}

#endif /* JORYU_COMPILE_CMDS_H */
