/*
 * cmd_apply.c - joryu's database commands: the project's migrations folder
 * compiled in memory for the connected database's dialect (fe_compile ->
 * be_emit_program -> vm_assemble), then the same code as joryu-run
 * (cli_apply.c).  Built into joryu only: it calls the frontend.
 */
#include "compile_cmds.h"
#include "compile_cache.h"

#include "backends.h"
#include "frontend.h"

#include <string.h>
#include <sys/stat.h>

/* The dialect to compile for without a database (history, heads): the
 * first of joryu.toml's targets. */
static ir_dialect first_target(const rt_config *cfg)
{
    for (int i = 0; i < IR_D__COUNT; i++)
        if (cfg->targets & IR_DMASK(i))
            return (ir_dialect)i;
    return IR_D_SQLITE;
}

/* JORYU_CACHE=verbose: one line on stderr saying where the bundle came from. */
static void cache_note(cli_ctx *c, const cc_cache *k, const char *what)
{
    if (k->mode == CC_CACHE_VERBOSE)
        fprintf(c->err ? c->err : stderr, "%s %s: note: compile cache: %s\n", c->prog->name,
                c->cmd->name, what);
}

/*
 * The cli_bundle_src of joryu: compile cfg->migrations_dir for dl (the
 * connected database's dialect) and assemble a bundle in memory.  Compile
 * errors are printed (with their source lines) and nothing touches the
 * database: the brief's "compile first".  An unchanged history comes from
 * the compile cache (.joryu/cache, cmd_cache.c) instead of being compiled
 * again; a clean compile (no diagnostic at all) is stored there.
 */
static int compile_open(cli_ctx *c, const cli_args *a, const rt_config *cfg, ir_dialect dl,
                        vm_bundle **out)
{
    (void)a;
    *out = NULL;
    if (dl >= IR_D__COUNT)
        dl = first_target(cfg);
    const char *dir = cfg->migrations_dir ? cfg->migrations_dir : "migrations";
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cli_error(c, "the migrations folder '%s' (joryu.toml [joryu] migrations_dir) does not "
                     "exist", dir);
        cli_hint(c, "create a migration with `joryu generate <slug> --empty`, or fix "
                    "migrations_dir in joryu.toml");
        return JY_EXIT_ERROR;
    }
    cc_cache k;
    cc_cache_init(&k, cc_cache_mode_get(), dir, dl, cli_code_for(c));
    if (k.mode != CC_CACHE_OFF && cc_cache_lookup(&k, out) == 0) {
        char what[400];
        snprintf(what, sizeof what, "hit (%s; %zu files checked, %zu hashed%s%s)", k.path,
                 k.nfiles, k.nhashed, k.listed ? ", folder listed" : "",
                 k.refreshed ? ", key refreshed" : "");
        cache_note(c, &k, what);
        cc_cache_free(&k);
        return JY_EXIT_OK;
    }
    cc_cache_begin(&k);
    fe_options opt;
    fe_options_init(&opt);
    opt.targets = IR_DMASK(dl);
    jy_diags d;
    jy_diags_init(&d);
    ir_program *prog = NULL;
    be_program *bp = NULL;
    int rc = JY_EXIT_OK;
    const char *paths[1] = {dir};
    if (fe_compile(paths, 1, &opt, &prog, &d) != 0 || !prog) {
        rc = d.exit_code ? d.exit_code : JY_EXIT_ERROR;
    } else if (be_emit_program(prog, dl, &bp, &d) != 0) {
        rc = d.exit_code ? d.exit_code : JY_EXIT_ERROR;
    } else {
        const be_program *const bps[1] = {bp};
        if (vm_assemble(prog, bps, 1, out, &d) != 0) {
            *out = NULL;
            rc = d.exit_code ? d.exit_code : JY_EXIT_ERROR;
        }
    }
    /* only a compile that said nothing at all is cached: a hit would not
     * repeat its warnings */
    if (rc == JY_EXIT_OK && d.n == 0 && k.mode != CC_CACHE_OFF) {
        /* the bundle is all that is needed now (no diagnostic points into
         * the program): free the compiler's data before serializing */
        be_program_free(bp);
        ir_program_free(prog);
        bp = NULL;
        prog = NULL;
        char what[480];
        bool stored = cc_cache_store(&k, *out);
        snprintf(what, sizeof what, "miss (%s): compiled, %s", k.why,
                 stored ? "stored" : "not stored");
        cache_note(c, &k, what);
    } else if (k.mode == CC_CACHE_VERBOSE) {
        cache_note(c, &k, rc == JY_EXIT_OK ? "miss: compiled with diagnostics, not stored"
                                          : "miss: the compile failed, nothing stored");
    }
    cc_cache_free(&k);
    cli_print_diags(c, &d); /* before the program goes: they point into its sources */
    if (rc != JY_EXIT_OK)
        cli_hint(c, "nothing was run: fix the migration%s above for %s, then run `%s %s` again",
                 d.nerrors == 1 ? "" : "s", ir_dialect_name(dl), c->prog->name, c->cmd->name);
    be_program_free(bp);
    ir_program_free(prog);
    jy_diags_free(&d);
    return rc;
}

static const cli_bundle_src compile_src = {0, true, compile_open};

int cmd_apply(cli_ctx *c, const cli_args *a)
{
    return cli_apply(c, a, &compile_src);
}

int cmd_status(cli_ctx *c, const cli_args *a)
{
    return cli_status(c, a, &compile_src);
}

int cmd_down(cli_ctx *c, const cli_args *a)
{
    return cli_down(c, a, &compile_src);
}

int cmd_mark(cli_ctx *c, const cli_args *a)
{
    return cli_mark(c, a, &compile_src);
}

int cmd_repair(cli_ctx *c, const cli_args *a)
{
    return cli_repair(c, a, &compile_src);
}

/* heads: every migration from the cached bundle; --dialect compiles the
 * folder for those dialects (compile_cmds.c) */
int cmd_heads(cli_ctx *c, const cli_args *a)
{
    if (cli_has(a, "dialect"))
        return cc_heads(c, a);
    return cli_heads(c, a, &compile_src);
}
