/*
 * joryuc.c - the compiler, for CI: check, build, verify, dump, dis, ops.
 * Every command and flag is declared once in the table below.
 */
#include "compile_cmds.h"

static const cli_flag build_flags[] = {
    {"output", CLI_STR, "FILE", "bundle to write, also -o FILE (default: joryu.jyb)"},
    {"dialect", CLI_LIST, "D", "compile for dialect D (default: joryu.toml targets)"},
    {NULL, CLI_BOOL, NULL, NULL},
};

static const cli_cmd joryuc_cmds[] = {
    CC_CHECK_CMD,
    {"build", "[DIR]", 0, 1, "compile the migrations folder into one bundle (.jyb)",
     "Compiles DIR (default: [joryu] migrations_dir of joryu.toml) for every target\n"
     "dialect (--dialect, else [dialects] targets of joryu.toml) and writes one bundle:\n"
     "every migration's upgrade and downgrade steps, checksums, depends_on and apply\n"
     "order, for joryu-run.  -o FILE is --output=FILE.  The file is written whole or\n"
     "not at all.  Exit 1 on a compile error (nothing written), 6 on a type a target\n"
     "does not support.  docs/BUNDLE.md specifies the format.",
     build_flags, cc_build, NULL},
    CC_VERIFY_CMD,
    CC_DUMP_CMD,
    {"dis", "BUNDLE", 1, 1, "disassemble a bundle",
     "Prints the bundle's header, its migrations, then per dialect every migration in\n"
     "apply order, step by step, one instruction a line with its operands (@N is\n"
     "string N of the bundle) and the SQL it carries.  A damaged bundle is refused\n"
     "(exit 1) with what is wrong.",
     NULL, cc_dis, NULL},
    CC_OPS_CMD,
};

static const char *const foreign[] = {
    "init:joryu", "generate:joryu", "apply:joryu", "status:joryu", "down:joryu",
    "history:joryu", "show:joryu", "explain:joryu", "test:joryu", "sql:joryu", NULL,
};

static const cli_prog joryuc_prog = {
    "joryuc", "the joryu compiler: checks, builds and dumps migrations (for CI)", joryuc_cmds,
    JY_COUNTOF(joryuc_cmds), foreign,
};

int main(int argc, char **argv)
{
    return cli_main(&joryuc_prog, argc, argv);
}
