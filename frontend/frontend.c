/*
 * frontend.c - compile files and directories: list a migrations folder,
 * read each file (the program owns the sources), lex+parse it into an AST
 * in an arena of its own, check it into the program's IR, free the AST;
 * then the checks across files and the checksums (fe_sema_program).
 */
#include "sema_int.h"

#include <dirent.h>
#include <pthread.h>
#include <unistd.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void fe_options_init(fe_options *o)
{
    o->targets = IR_DMASK_DEFAULT;
    o->single_file = false;
    o->threads = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_migration_name(const char *name)
{
    size_t n = strlen(name);
    if (n <= 3 || strcmp(name + n - 3, ".py") != 0)
        return false;
    if (name[0] == '.' || strcmp(name, "__init__.py") == 0)
        return false;
    return true;
}

int fe_list_dir(const char *dir, char ***paths, size_t *n, jy_diags *d)
{
    *paths = NULL;
    *n = 0;
    DIR *dp = opendir(dir);
    if (!dp) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.open-dir", dir,
                      "cannot read the directory %s: %s", dir, strerror(errno));
        return -1;
    }
    size_t dlen = strlen(dir);
    bool slash = dlen > 0 && dir[dlen - 1] == '/';
    char **v = NULL;
    size_t cnt = 0, cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(dp)) != NULL) {
        if (!is_migration_name(de->d_name))
            continue;
        size_t len = dlen + 1 + strlen(de->d_name) + 1;
        char *p = malloc(len);
        if (!p) {
            rc = -1;
            break;
        }
        /* Every *.py entry is listed, regular or not: loading refuses (with a
         * diagnostic) a dangling symlink, a FIFO or a folder named *.py
         * rather than skipping it silently. */
        snprintf(p, len, "%s%s%s", dir, slash ? "" : "/", de->d_name);
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nv = realloc(v, nc * sizeof *nv);
            if (!nv) {
                free(p);
                rc = -1;
                break;
            }
            v = nv;
            cap = nc;
        }
        v[cnt++] = p;
    }
    closedir(dp);
    if (rc) {
        fe_free_paths(v, cnt);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", dir,
                      "out of memory listing %s", dir);
        return -1;
    }
    if (cnt > 1)
        qsort(v, cnt, sizeof *v, cmp_str);
    *paths = v;
    *n = cnt;
    return 0;
}

void fe_free_paths(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

/* Take ownership of src into the program's source list. */
static bool own_source(ir_program *prog, jy_source *src, size_t *cap)
{
    if (prog->nsources == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        jy_source **nv = realloc(prog->sources, nc * sizeof *nv);
        if (!nv)
            return false;
        prog->sources = nv;
        *cap = nc;
    }
    prog->sources[prog->nsources++] = src;
    return true;
}

static bool add_migration(ir_program *prog, ir_migration *m, size_t *cap)
{
    if (prog->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        ir_migration **nv = jy_arena_grow(prog->arena, prog->migs, prog->n, nc, sizeof *nv);
        if (!nv)
            return false;
        prog->migs = nv;
        *cap = nc;
    }
    prog->migs[prog->n++] = m;
    return true;
}

/* Parse and check one loaded source (owned by prog already). */
static void compile_source(ir_program *prog, jy_source *src, const fe_options *opt, jy_diags *d,
                           size_t *migcap)
{
    jy_arena *ast = jy_arena_new();
    if (!ast) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", src->path, "out of memory");
        return;
    }
    fe_module *mod = NULL;
    int prc = fe_parse(src, ast, d, &mod);
    if (mod) {
        mod->syntax_errors = prc != 0;
        ir_migration *m = NULL;
        fe_sema_module(mod, opt, prog, d, &m);
        if (m && !add_migration(prog, m, migcap))
            jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", src->path,
                          "out of memory");
    }
    jy_arena_free(ast);
}

/*
 * Many files: load and compile them on one thread per core.  Each worker
 * takes a contiguous share of the (sorted) files into its own program and
 * diagnostics; the shares are then appended in order, so the result and
 * the order of diagnostics are those of a sequential run.  Returns 0, or -1
 * when threads could not be used (nothing done: compile sequentially).
 */
#define FE_PARALLEL_MIN 64
#define FE_MAX_THREADS 16

typedef struct fe_share {
    char **files;
    size_t n;
    const fe_options *opt;
    ir_program *prog;
    jy_diags diags;
} fe_share;

static void *compile_share(void *arg)
{
    fe_share *w = arg;
    size_t srccap = 0, migcap = 0;
    for (size_t k = 0; k < w->n; k++) {
        jy_source *src = malloc(sizeof *src);
        if (!src) {
            jy_diag_where(&w->diags, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", w->files[k],
                          "out of memory");
            break;
        }
        if (jy_source_load(src, w->files[k], &w->diags) != 0) {
            free(src);
            continue;
        }
        if (!own_source(w->prog, src, &srccap)) {
            jy_source_free(src);
            free(src);
            jy_diag_where(&w->diags, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", w->files[k],
                          "out of memory");
            break;
        }
        compile_source(w->prog, src, w->opt, &w->diags, &migcap);
    }
    return NULL;
}

static int compile_parallel(ir_program *prog, char **files, size_t nfiles, const fe_options *opt,
                            jy_diags *d, size_t *srccap, size_t *migcap)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = opt->threads ? opt->threads : ncpu > 1 ? (size_t)ncpu : 1;
    if (nt > FE_MAX_THREADS)
        nt = FE_MAX_THREADS;
    if (nt < 2)
        return -1;
    fe_share w[FE_MAX_THREADS];
    pthread_t tid[FE_MAX_THREADS];
    size_t made = 0;
    for (; made < nt; made++) {
        size_t lo = nfiles * made / nt, hi = nfiles * (made + 1) / nt;
        w[made] = (fe_share){.files = files + lo, .n = hi - lo, .opt = opt,
                             .prog = ir_program_new()};
        jy_diags_init(&w[made].diags);
        w[made].diags.max_errors = d->max_errors;
        if (!w[made].prog)
            break;
        w[made].prog->targets = prog->targets;
    }
    size_t started = 0;
    if (made == nt)
        for (started = 1; started < nt; started++)
            if (pthread_create(&tid[started], NULL, compile_share, &w[started]) != 0)
                break;
    if (started < nt) { /* could not use threads: undo, compile sequentially */
        for (size_t i = 1; i < started; i++)
            pthread_join(tid[i], NULL);
        for (size_t i = 0; i < made + (made < nt); i++) {
            ir_program_free(w[i].prog);
            jy_diags_free(&w[i].diags);
        }
        return -1;
    }
    compile_share(&w[0]);
    for (size_t i = 1; i < nt; i++)
        pthread_join(tid[i], NULL);
    bool oom = false;
    for (size_t i = 0; i < nt; i++) {
        ir_program *sub = w[i].prog;
        for (size_t k = 0; k < sub->nsources; k++)
            if (!own_source(prog, sub->sources[k], srccap)) {
                jy_source_free(sub->sources[k]);
                free(sub->sources[k]);
                oom = true;
            }
        sub->nsources = 0;
        for (size_t k = 0; k < sub->n; k++)
            if (!add_migration(prog, sub->migs[k], migcap))
                oom = true;
        if (ir_program_adopt_arena(prog, sub->arena))
            sub->arena = NULL;
        else
            oom = true; /* the IR stays in sub: keep it alive with prog */
        jy_diags_move(d, &w[i].diags);
        jy_diags_free(&w[i].diags);
        if (sub->arena == NULL)
            ir_program_free(sub);
    }
    if (oom)
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", NULL, "out of memory");
    return 0;
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;
    return x < y ? -1 : x > y;
}

/*
 * A failed compile frees the program, but its diagnostics point into its
 * sources: hand those sources over to d (jy_diags_keep) and free the rest.
 */
static void free_failed(ir_program *prog, jy_diags *d, size_t ndiag0)
{
    size_t nd = d->n - ndiag0, nsrc = 0;
    const void **used = malloc((nd ? nd : 1) * sizeof *used);
    for (size_t i = 0; used && i < nd; i++)
        if (d->v[ndiag0 + i].src)
            used[nsrc++] = d->v[ndiag0 + i].src;
    if (used && nsrc > 1)
        qsort(used, nsrc, sizeof *used, cmp_ptr);
    size_t keep = 0;
    for (size_t i = 0; i < prog->nsources; i++) {
        jy_source *src = prog->sources[i];
        const void *key = src;
        if (used && nsrc && bsearch(&key, used, nsrc, sizeof *used, cmp_ptr) &&
            jy_diags_keep(d, src))
            continue;
        prog->sources[keep++] = src;
    }
    prog->nsources = keep;
    free(used);
    ir_program_free(prog);
}

static int finish(ir_program *prog, const fe_options *opt, jy_diags *d, size_t nerr0,
                  size_t ndiag0, ir_program **out)
{
    if (d->nerrors == nerr0)
        fe_sema_program(prog, opt, d);
    else
        sm_program_checks(prog, opt, d, false);
    if (d->nerrors > nerr0 || jy_arena_failed(prog->arena)) {
        if (d->nerrors == nerr0)
            jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", NULL, "out of memory");
        free_failed(prog, d, ndiag0);
        return -1;
    }
    *out = prog;
    return 0;
}

int fe_compile(const char *const *paths, size_t npaths, const fe_options *opt, ir_program **out,
               jy_diags *d)
{
    *out = NULL;
    fe_options defaults;
    if (!opt) {
        fe_options_init(&defaults);
        opt = &defaults;
    }
    size_t nerr0 = d->nerrors, ndiag0 = d->n;
    ir_program *prog = ir_program_new();
    if (!prog) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", NULL, "out of memory");
        return -1;
    }
    prog->targets = opt->targets;
    size_t srccap = 0, migcap = 0;
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        char **files = NULL;
        size_t nfiles = 0;
        const char *one = paths[i];
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (fe_list_dir(paths[i], &files, &nfiles, d) != 0)
                continue;
            if (nfiles == 0) {
                jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.empty-dir", paths[i],
                              "%s holds no migration files (*.py)", paths[i]);
                fe_free_paths(files, nfiles);
                continue;
            }
        } else {
            files = (char **)&one;
            nfiles = 1;
        }
        size_t k = 0;
        if (nfiles >= FE_PARALLEL_MIN && opt->threads != 1 && compile_parallel(prog, files, nfiles, opt, d, &srccap,
                                                          &migcap) == 0)
            k = nfiles; /* done */
        for (; k < nfiles; k++) {
            jy_source *src = malloc(sizeof *src);
            if (!src) {
                jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", files[k],
                              "out of memory");
                break;
            }
            if (jy_source_load(src, files[k], d) != 0) {
                free(src);
                continue;
            }
            if (!own_source(prog, src, &srccap)) {
                jy_source_free(src);
                free(src);
                jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", files[k],
                              "out of memory");
                break;
            }
            compile_source(prog, src, opt, d, &migcap);
        }
        if (files != (char **)&one)
            fe_free_paths(files, nfiles);
    }
    return finish(prog, opt, d, nerr0, ndiag0, out);
}

int fe_compile_memory(const char *name, const char *text, size_t len, const fe_options *opt,
                      ir_program **out, jy_diags *d)
{
    *out = NULL;
    fe_options defaults;
    if (!opt) {
        fe_options_init(&defaults);
        opt = &defaults;
    }
    size_t nerr0 = d->nerrors, ndiag0 = d->n;
    ir_program *prog = ir_program_new();
    jy_source *src = malloc(sizeof *src);
    size_t srccap = 0, migcap = 0;
    if (!prog || !src || jy_source_from_memory(src, name, text, len) != 0 ||
        !own_source(prog, src, &srccap)) {
        if (src && src->text) {
            jy_source_free(src);
        }
        free(src);
        ir_program_free(prog);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", name, "out of memory");
        return -1;
    }
    prog->targets = opt->targets;
    if (memchr(text, 0, len)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.binary", name,
                      "%s holds a NUL byte: not a migration file", name);
        ir_program_free(prog);
        return -1;
    }
    compile_source(prog, src, opt, d, &migcap);
    return finish(prog, opt, d, nerr0, ndiag0, out);
}
