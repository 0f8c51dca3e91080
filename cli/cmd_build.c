/*
 * cmd_build.c - `joryuc build [DIR] -o FILE.jyb [--dialect=D ...]` and
 * `joryuc dis FILE.jyb` (docs/BUNDLE.md, docs/SPEC.md).
 *
 * build: the migrations folder (DIR, else joryu.toml's migrations_dir)
 * compiled for every target dialect (--dialect, else joryu.toml's
 * [dialects] targets), replayed and emitted per dialect, assembled into one
 * bundle and written whole (vm_bundle_write: a temporary file renamed over
 * FILE).  Any error writes nothing: an existing FILE is left as it was.
 * dis: the bundle loaded (every check of the loader) and printed readably.
 */
#include "compile_cmds.h"

#include "backends.h"
#include "frontend.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_BUNDLE "joryu.jyb"

/*
 * Find the folder to build: the one positional argument, else joryu.toml's
 * migrations_dir.  It must be a folder holding migration files (a bundle
 * holds a whole history: depends_on must resolve).  Problems become
 * diagnostics in d; returns 0 and *dir, or -1.
 */
static int build_dir(cli_ctx *c, const cli_args *a, const rt_config *cfg, const char **dir,
                     jy_diags *d)
{
    bool from_config = a->npos == 0;
    const char *p = from_config ? cfg->migrations_dir : a->pos[0];
    struct stat st;
    if (stat(p, &st) != 0) {
        jy_diag *g;
        if (from_config) {
            g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.no-migrations-dir", p,
                              "the migrations folder '%s' (joryu.toml [joryu] migrations_dir) "
                              "does not exist", p);
            jy_diag_hint(g, "create it with `joryu generate <slug> --empty`, or fix "
                            "migrations_dir in joryu.toml");
        } else {
            g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.no-such-path", p,
                              "'%s' does not exist", p);
            jy_diag_hint(g, "name the migrations folder: %s build DIR -o FILE.jyb",
                         c->prog->name);
        }
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.not-a-dir", p,
                                   "'%s' is not a folder: a bundle holds a whole migrations "
                                   "folder", p);
        jy_diag_hint(g, "name the folder that holds it; `%s check FILE` compiles one file",
                     c->prog->name);
        return -1;
    }
    char **files = NULL;
    size_t nfiles = 0;
    int rc = fe_list_dir(p, &files, &nfiles, d);
    fe_free_paths(files, nfiles);
    if (rc != 0)
        return -1;
    if (nfiles == 0) {
        jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.empty-dir", p,
                                   "no migration files in %s", p);
        jy_diag_hint(g, "create one with `joryu generate <slug> --empty` (migration files "
                        "are <id>.py directly inside the folder)");
        return -1;
    }
    *dir = p;
    return 0;
}

static void list_dialects(char *buf, size_t n, ir_dmask m)
{
    size_t at = 0;
    buf[0] = 0;
    for (int i = 0; i < IR_D__COUNT; i++)
        if (m & IR_DMASK(i)) {
            int w = snprintf(buf + at, n - at, "%s%s", at ? ", " : "",
                             ir_dialect_name((ir_dialect)i));
            if (w < 0 || (size_t)w >= n - at)
                return;
            at += (size_t)w;
        }
}

/* Emission of every target, one dialect per core (be_emit_program only
 * reads the program).  Diagnostics are reported as a sequential run would:
 * up to the first dialect that fails. */
typedef struct emit_job {
    const ir_program *prog;
    ir_dialect dl[IR_D__COUNT];
    be_program *bp[IR_D__COUNT];
    jy_diags diags[IR_D__COUNT];
    int rc[IR_D__COUNT];
    size_t n;
    atomic_size_t next;
} emit_job;

static void *emit_worker(void *arg)
{
    emit_job *w = arg;
    for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->n;)
        w->rc[i] = be_emit_program(w->prog, w->dl[i], &w->bp[i], &w->diags[i]);
    return NULL;
}

/* Fill bps[0..*nbps) with the programs of every target; 0, or the exit
 * code with diagnostics moved to d (programs emitted are then freed). */
static int emit_all(const ir_program *prog, ir_dmask targets, be_program **bps, size_t *nbps,
                    jy_diags *d)
{
    emit_job w = {.prog = prog};
    atomic_init(&w.next, 0);
    for (int i = 0; i < IR_D__COUNT; i++)
        if (targets & IR_DMASK(i)) {
            w.dl[w.n] = (ir_dialect)i;
            jy_diags_init(&w.diags[w.n]);
            w.diags[w.n].max_errors = d->max_errors;
            w.n++;
        }
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nthreads = ncpu > 1 ? (size_t)ncpu : 1;
    if (nthreads > w.n)
        nthreads = w.n;
    pthread_t tid[IR_D__COUNT];
    size_t started = 0;
    if (nthreads > 1) {
        /* line tables are built on first use: build them before sharing */
        for (size_t i = 0; i < prog->nsources; i++) {
            unsigned l, col;
            jy_source_linecol(prog->sources[i], 0, &l, &col);
        }
        for (; started + 1 < nthreads; started++)
            if (pthread_create(&tid[started], NULL, emit_worker, &w) != 0)
                break;
    }
    emit_worker(&w);
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    int rc = JY_EXIT_OK;
    for (size_t i = 0; i < w.n; i++) {
        if (rc == JY_EXIT_OK) {
            jy_diags_move(d, &w.diags[i]);
            if (w.rc[i] != 0)
                rc = d->exit_code ? d->exit_code : JY_EXIT_ERROR;
        }
        jy_diags_free(&w.diags[i]);
    }
    *nbps = 0;
    for (size_t i = 0; i < w.n; i++) {
        if (rc != JY_EXIT_OK)
            be_program_free(w.bp[i]);
        else
            bps[(*nbps)++] = w.bp[i];
    }
    return rc;
}

int cc_build(cli_ctx *c, const cli_args *a)
{
    const char *out = cli_str(a, "output");
    if (!out)
        out = DEFAULT_BUNDLE;
    jy_diags d;
    jy_diags_init(&d);
    rt_config cfg;
    ir_program *prog = NULL;
    be_program *bps[IR_D__COUNT] = {0};
    size_t nbps = 0;
    vm_bundle *b = NULL;
    int rc = JY_EXIT_ERROR;
    ir_dmask targets = 0;
    const char *dir = NULL;

    int crc = rt_config_load(CLI_CONFIG_FILE, &cfg, &d);
    if (crc < 0)
        goto done;
    if (crc == 1 && a->npos == 0) {
        jy_diag *g = jy_diag_where(&d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.no-project",
                                   CLI_CONFIG_FILE,
                                   "no joryu.toml here: run `joryu init` to create a project "
                                   "in this folder");
        jy_diag_hint(g, "or name the migrations folder: %s build DIR -o FILE.jyb",
                     c->prog->name);
        goto done;
    }
    if (cli_dialects(c, a, "dialect", cfg.targets, &targets) != 0)
        goto done;
    if (build_dir(c, a, &cfg, &dir, &d) != 0)
        goto done;

    fe_options opt;
    fe_options_init(&opt);
    opt.targets = targets;
    opt.single_file = false;
    const char *paths[] = {dir};
    if (fe_compile(paths, 1, &opt, &prog, &d) != 0 || !prog) {
        rc = d.exit_code ? d.exit_code : JY_EXIT_ERROR;
        goto done;
    }
    rc = emit_all(prog, targets, bps, &nbps, &d);
    if (rc != JY_EXIT_OK)
        goto done;
    rc = JY_EXIT_ERROR;
    if (vm_assemble(prog, (const be_program *const *)bps, nbps, &b, &d) != 0)
        goto done;
    if (vm_bundle_write(b, out, &d) != 0)
        goto done;
    struct stat st;
    long long size = stat(out, &st) == 0 ? (long long)st.st_size : -1;
    char dl[128];
    list_dialects(dl, sizeof dl, targets);
    fprintf(c->out, "wrote %s: %u migration%s for %s (%lld bytes)\n", out, b->nmigs,
            b->nmigs == 1 ? "" : "s", dl, size);
    rc = JY_EXIT_OK;

done:
    /* diagnostics first: some point into joryu.toml or the program's sources */
    cli_print_diags(c, &d);
    if (rc != JY_EXIT_OK && dir)
        cli_hint(c, "nothing was written%s%s", out ? "; " : "",
                 out ? "an existing bundle of that name is left as it was" : "");
    vm_bundle_free(b);
    for (size_t i = 0; i < nbps; i++)
        be_program_free(bps[i]);
    ir_program_free(prog);
    jy_diags_free(&d);
    rt_config_free(&cfg);
    return rc;
}

int cc_dis(cli_ctx *c, const cli_args *a)
{
    jy_diags d;
    jy_diags_init(&d);
    vm_bundle *b = NULL;
    if (vm_bundle_load(a->pos[0], &b, &d) != 0) {
        cli_print_diags(c, &d);
        jy_diags_free(&d);
        return JY_EXIT_ERROR;
    }
    jy_diags_free(&d);
    char *text = vm_disassemble(b);
    vm_bundle_free(b);
    if (!text) {
        cli_error(c, "out of memory disassembling %s", a->pos[0]);
        return JY_EXIT_ERROR;
    }
    fputs(text, c->out);
    free(text);
    return JY_EXIT_OK;
}
