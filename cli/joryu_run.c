/*
 * joryu_run.c - applies a compiled bundle in production.  Links the VM and
 * the drivers only: no frontend, it never reads a `.py` file.
 * Every command and flag is declared once in the table below.
 */
#include "cli_int.h"

/* The database commands run the shared code of cli_apply.c on the bundle
 * named by the first argument (cli_bundle_file). */
static int run_apply(cli_ctx *c, const cli_args *a)
{
    return cli_apply(c, a, &cli_bundle_file);
}

static int run_status(cli_ctx *c, const cli_args *a)
{
    return cli_status(c, a, &cli_bundle_file);
}

static int run_down(cli_ctx *c, const cli_args *a)
{
    return cli_down(c, a, &cli_bundle_file);
}

static int run_mark(cli_ctx *c, const cli_args *a)
{
    return cli_mark(c, a, &cli_bundle_file);
}

static int run_repair(cli_ctx *c, const cli_args *a)
{
    return cli_repair(c, a, &cli_bundle_file);
}

static int run_history(cli_ctx *c, const cli_args *a)
{
    return cli_history(c, a, &cli_bundle_file);
}

static int run_heads(cli_ctx *c, const cli_args *a)
{
    return cli_heads(c, a, &cli_bundle_file);
}

#define BUNDLE_NOTE "\nBUNDLE is a .jyb file written by `joryuc build`."

static const cli_cmd run_cmds[] = {
    {"apply", "BUNDLE", 1, 1, CLI_APPLY_SUMMARY, CLI_APPLY_HELP BUNDLE_NOTE, cli_apply_flags,
     run_apply, NULL},
    {"status", "BUNDLE", 1, 1, CLI_STATUS_SUMMARY, CLI_STATUS_HELP BUNDLE_NOTE, cli_status_flags,
     run_status, NULL},
    {"down", "BUNDLE", 1, 1, CLI_DOWN_SUMMARY, CLI_DOWN_HELP BUNDLE_NOTE, cli_down_flags,
     run_down, NULL},
    {"mark", "BUNDLE ID[.STEP]", 2, 2, CLI_MARK_SUMMARY, CLI_MARK_HELP BUNDLE_NOTE,
     cli_mark_flags, run_mark, NULL},
    {"repair", "BUNDLE ID", 2, 2, CLI_REPAIR_SUMMARY, CLI_REPAIR_HELP BUNDLE_NOTE,
     cli_repair_flags, run_repair, NULL},
    {"history", "BUNDLE", 1, 1, CLI_HISTORY_SUMMARY,
     "Lists every migration of the bundle in id order with its semantic checksum and\n"
     "depends_on, as `joryu history` lists the project's.  A migration whose dialects=\n"
     "leaves out some of the bundle's dialects (or those of --dialect) is marked\n"
     "(only for ...), one for none of them (not for ...).  No database is read.",
     cli_history_flags, run_history, NULL},
    {"heads", "BUNDLE", 1, 1, CLI_HEADS_SUMMARY,
     "Prints the ids of the bundle's migrations that nothing comes after: no other\n"
     "migration names them in depends_on, and none with an empty depends_on (which\n"
     "means timestamp order) has a larger id.  Every migration counts, whatever its\n"
     "dialects=; with --dialect, those that run on one of them.  No database is read.",
     cli_heads_flags, run_heads, NULL},
};

static const char *const foreign[] = {
    "check:joryuc", "build:joryuc", "dump:joryuc", "dis:joryuc", "verify:joryuc", "ops:joryuc",
    "init:joryu",   "generate:joryu", "show:joryu", NULL,
};

static const cli_prog run_prog = {
    "joryu-run", "applies compiled joryu bundles (.jyb) in production", run_cmds,
    JY_COUNTOF(run_cmds), foreign,
};

int main(int argc, char **argv)
{
    return cli_main(&run_prog, argc, argv);
}
