/*
 * joryu_run.c - applies a compiled bundle in production.  Links the VM and
 * the drivers only: no frontend, it never reads a `.py` file.
 * Every command and flag is declared once in the table below.
 */
#include "cli_int.h"

static const cli_flag apply_flags[] = {
    CLI_FLAG_DB,
    {"target", CLI_STR, "ID", "apply up to this migration only"},
    {"dry-run", CLI_BOOL, NULL, "open the database read-only and show what would run"},
    {"max-duration", CLI_STR, "DURATION", "pause at the next step boundary after DURATION"},
    {"lock-timeout", CLI_STR, "DURATION", "give up when another applier holds the lock"},
    {"plain", CLI_BOOL, NULL, "progress as plain lines"},
    {"json", CLI_BOOL, NULL, "progress as JSON lines"},
    {"quiet", CLI_BOOL, NULL, "print only failures"},
    {NULL, CLI_BOOL, NULL, NULL},
};

static const cli_flag db_flags[] = {
    CLI_FLAG_DB,
    {"json", CLI_BOOL, NULL, CLI_FLAG_JSON_HELP},
    {NULL, CLI_BOOL, NULL, NULL},
};

static const cli_flag down_flags[] = {
    CLI_FLAG_DB,
    {"steps", CLI_STR, "N", "undo the last N migrations"},
    {"to", CLI_STR, "ID", "undo down to (not including) this migration"},
    {"allow-prod", CLI_BOOL, NULL, "allow a production-like database"},
    {NULL, CLI_BOOL, NULL, NULL},
};

static const cli_flag mark_flags[] = {
    CLI_FLAG_DB,
    {"as", CLI_STR, "STATE", "applied|pending|failed|paused, or done|pending|skipped for a step"},
    {"reason", CLI_STR, "TEXT", "why (required with --as=paused)"},
    {NULL, CLI_BOOL, NULL, NULL},
};

#define LATER "Applying bundles arrives with the bytecode VM and the drivers."

static const cli_cmd run_cmds[] = {
    {"apply", "BUNDLE", 1, 1, "apply a bundle's pending migrations to the database", NULL,
     apply_flags, NULL, LATER},
    {"status", "BUNDLE", 1, 1, "list applied, pending, failed and paused migrations", NULL,
     db_flags, NULL, LATER},
    {"down", "BUNDLE", 1, 1, "run downgrades (dev only; production needs --allow-prod)", NULL,
     down_flags, NULL, LATER},
    {"mark", "BUNDLE ID[.STEP]", 2, 2, "correct the recorded state of a migration or step", NULL,
     mark_flags, NULL, LATER},
    {"repair", "BUNDLE ID", 2, 2, "record the current checksum of an applied migration", NULL,
     db_flags, NULL, LATER},
    {"history", "BUNDLE", 1, 1, "list the bundle's migrations with their checksums", NULL,
     db_flags, NULL, LATER},
    {"heads", "BUNDLE", 1, 1, "list the migrations nothing depends on", NULL, db_flags, NULL,
     LATER},
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
