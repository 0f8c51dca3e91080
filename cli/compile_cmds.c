/*
 * compile_cmds.c - check, dump, history and ops: the commands that compile
 * migration files, shared by joryu and joryuc (see compile_cmds.h).
 */
#include "compile_cmds.h"

#include "backends.h"
#include "frontend.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const cli_flag cc_check_flags[] = {
    {"dialect", CLI_LIST, "D",
     "compile for dialect D (repeatable or comma-separated; default: joryu.toml targets)"},
    {"json", CLI_BOOL, NULL, "print {ok, exit_code, targets, migrations, diagnostics} as JSON"},
    {NULL, CLI_BOOL, NULL, NULL},
};

const cli_flag cc_dump_flags[] = {
    {"format", CLI_STR, "json", "output format (only json)"},
    {"dialect", CLI_LIST, "D", "fold dialect branches for D (default: joryu.toml targets)"},
    {NULL, CLI_BOOL, NULL, NULL},
};

const cli_flag cc_history_flags[] = {
    {"dialect", CLI_LIST, "D",
     "mark the migrations that do not run on dialect D (default: joryu.toml targets)"},
    {"json", CLI_BOOL, NULL, "print {migrations: [{id, file, checksum, depends_on, ...}]} as JSON"},
    {NULL, CLI_BOOL, NULL, NULL},
};

const cli_flag cc_ops_flags[] = {
    {NULL, CLI_BOOL, NULL, NULL},
};

/* -------------------------------------------------------------- compile */

typedef struct cc_job {
    rt_config cfg;
    fe_options opt;
    const char **paths;
    size_t npaths;
    const char *default_dir; /* set when the folder came from joryu.toml */
} cc_job;

static void job_free(cc_job *j)
{
    rt_config_free(&j->cfg);
    free(j->paths);
}

/*
 * Work out what to compile: the positional paths (or joryu.toml's
 * migrations folder), the target dialects and single-file mode.  Refuses a
 * missing project, a missing path and a folder without migration files.
 * Problems become diagnostics in d (config.*, io.*, cli.*: the caller
 * prints them as text or JSON; those of joryu.toml point into j->cfg, so
 * print before job_free).  Returns 0 or an exit code.  --dialect errors
 * are argument errors, printed at once.
 */
static int job_prepare(cli_ctx *c, const cli_args *a, const char *dialect_flag, cc_job *j,
                       jy_diags *d)
{
    memset(j, 0, sizeof *j);
    fe_options_init(&j->opt);
    int crc = rt_config_load(CLI_CONFIG_FILE, &j->cfg, d);
    if (crc < 0)
        return JY_EXIT_ERROR;
    if (crc == 1 && a->npos == 0) {
        jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.no-project",
                                   CLI_CONFIG_FILE,
                                   "no joryu.toml here: run `joryu init` to create a project "
                                   "in this folder");
        jy_diag_hint(g, "or name what to compile: %s %s DIR|FILE...", c->prog->name,
                     a->cmd->name);
        return JY_EXIT_ERROR;
    }
    if (cli_dialects(c, a, dialect_flag, j->cfg.targets, &j->opt.targets) != 0)
        return JY_EXIT_ERROR;
    j->paths = calloc(a->npos ? a->npos : 1, sizeof *j->paths);
    if (!j->paths) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.memory", NULL, "out of memory");
        return JY_EXIT_ERROR;
    }
    if (a->npos == 0) {
        j->default_dir = j->cfg.migrations_dir;
        j->paths[j->npaths++] = j->cfg.migrations_dir;
    } else {
        for (size_t i = 0; i < a->npos; i++)
            j->paths[j->npaths++] = a->pos[i];
    }
    bool all_files = true;
    for (size_t i = 0; i < j->npaths; i++) {
        const char *p = j->paths[i];
        struct stat st;
        if (stat(p, &st) != 0) {
            jy_diag *g;
            if (j->default_dir) {
                g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.no-migrations-dir", p,
                                  "the migrations folder '%s' (joryu.toml [joryu] "
                                  "migrations_dir) does not exist", p);
                jy_diag_hint(g, "create it with `joryu generate <slug> --empty`, or fix "
                                "migrations_dir in joryu.toml");
            } else {
                g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.no-such-path", p,
                                  "'%s' does not exist", p);
                jy_diag_hint(g, "name a migrations folder or a migration file");
            }
            return JY_EXIT_ERROR;
        }
        if (!S_ISDIR(st.st_mode))
            continue;
        all_files = false;
        char **files = NULL;
        size_t nfiles = 0;
        int rc = fe_list_dir(p, &files, &nfiles, d);
        fe_free_paths(files, nfiles);
        if (rc != 0)
            return JY_EXIT_ERROR;
        if (nfiles == 0) {
            jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.empty-dir", p,
                                       "no migration files in %s", p);
            jy_diag_hint(g, "create one with `joryu generate <slug> --empty` (migration files "
                            "are <id>.py directly inside the folder)");
            return JY_EXIT_ERROR;
        }
    }
    j->opt.single_file = all_files;
    return 0;
}

/* Compile (d may already hold warnings of joryu.toml).  Returns 0 or the
 * exit code of the worst error (1 or 6). */
static int job_compile(cc_job *j, ir_program **prog, jy_diags *d)
{
    int rc = fe_compile(j->paths, j->npaths, &j->opt, prog, d);
    if (rc != 0 || !*prog) {
        if (*prog) {
            ir_program_free(*prog);
            *prog = NULL;
        }
        return d->exit_code ? d->exit_code : JY_EXIT_ERROR;
    }
    return JY_EXIT_OK;
}

/*
 * Replay the compiled history and emit its SQL for every target dialect, so
 * that an op which cannot apply (replay.*) or cannot be rendered for a
 * dialect (be.*, e.g. SQLite ALTER outside op.batch) is a compile error.
 * Skipped in single-file mode: a lone file's tables come from files not
 * compiled.  Returns 0 or the exit code; the program stays (its sources
 * hold the diagnostics' positions): the caller frees it after printing.
 */
typedef struct emit_work {
    const ir_program *prog;
    ir_dialect dl[IR_D__COUNT];
    jy_diags diags[IR_D__COUNT];
    int rc[IR_D__COUNT];
    size_t n;
    atomic_size_t next;
} emit_work;

static void *emit_worker(void *arg)
{
    emit_work *w = arg;
    for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->n;)
        w->rc[i] = be_check_program(w->prog, w->dl[i], &w->diags[i]);
    return NULL;
}

static int job_emit(cc_job *j, ir_program **prog, jy_diags *d)
{
    if (j->opt.single_file)
        return JY_EXIT_OK;
    emit_work w = {.prog = *prog};
    atomic_init(&w.next, 0);
    for (int i = 0; i < IR_D__COUNT; i++)
        if (j->opt.targets & IR_DMASK(i)) {
            w.dl[w.n] = (ir_dialect)i;
            jy_diags_init(&w.diags[w.n]);
            w.diags[w.n].max_errors = d->max_errors;
            w.n++;
        }
    /* The dialects are independent: one worker per core.  Line tables are
     * built lazily on first use, so build them before threads share them. */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nthreads = ncpu > 1 ? (size_t)ncpu : 1;
    if (nthreads > w.n)
        nthreads = w.n;
    pthread_t tid[IR_D__COUNT];
    size_t started = 0;
    if (nthreads > 1) {
        for (size_t i = 0; i < (*prog)->nsources; i++) {
            unsigned l, c;
            jy_source_linecol((*prog)->sources[i], 0, &l, &c);
        }
        for (; started + 1 < nthreads; started++)
            if (pthread_create(&tid[started], NULL, emit_worker, &w) != 0)
                break;
    }
    emit_worker(&w);
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    /* Report as a sequential run would: up to the first dialect that fails. */
    int rc = JY_EXIT_OK;
    for (size_t i = 0; i < w.n; i++) {
        if (rc == JY_EXIT_OK) {
            jy_diags_move(d, &w.diags[i]);
            if (w.rc[i] != 0)
                rc = d->exit_code ? d->exit_code : JY_EXIT_ERROR;
        }
        jy_diags_free(&w.diags[i]);
    }
    return rc;
}

static json_t *targets_json(ir_dmask m)
{
    json_t *arr = json_array();
    for (int i = 0; i < IR_D__COUNT; i++)
        if (m & IR_DMASK(i))
            json_array_append_new(arr, json_string(ir_dialect_name((ir_dialect)i)));
    return arr;
}

static const char *sev_word(jy_severity s)
{
    return s == JY_SEV_ERROR ? "error" : s == JY_SEV_WARNING ? "warning" : "note";
}

static json_t *diags_json(jy_diags *d)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < d->n; i++) {
        jy_diag *g = &d->v[i];
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(g->code ? g->code : ""));
        json_object_set_new(o, "severity", json_string(sev_word(g->sev)));
        if (g->src) {
            unsigned l, col, el, ec;
            jy_source_linecol(g->src, g->offset, &l, &col);
            jy_source_linecol(g->src, g->end, &el, &ec);
            json_object_set_new(o, "file", json_string(g->src->path));
            json_object_set_new(o, "line", json_integer(l));
            json_object_set_new(o, "col", json_integer(col));
            json_object_set_new(o, "end_line", json_integer(el));
            json_object_set_new(o, "end_col", json_integer(ec));
        } else {
            json_object_set_new(o, "file", g->where ? json_string(g->where) : json_null());
        }
        json_object_set_new(o, "message", json_string(g->message ? g->message : ""));
        json_object_set_new(o, "hint", g->hint ? json_string(g->hint) : json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}

static int print_json(cli_ctx *c, json_t *root)
{
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!s) {
        cli_error(c, "out of memory");
        return JY_EXIT_ERROR;
    }
    fputs(s, c->out);
    fputc('\n', c->out);
    free(s);
    return JY_EXIT_OK;
}

int cc_check(cli_ctx *c, const cli_args *a)
{
    bool json = cli_has(a, "json");
    cc_job j;
    jy_diags d;
    jy_diags_init(&d);
    ir_program *prog = NULL;
    int rc = job_prepare(c, a, "dialect", &j, &d);
    if (rc == 0)
        rc = job_compile(&j, &prog, &d);
    if (rc == 0)
        rc = job_emit(&j, &prog, &d);
    if (json) {
        /* the same report whatever failed: project, paths or compile */
        json_t *root = json_object();
        json_object_set_new(root, "ok", json_boolean(rc == 0));
        json_object_set_new(root, "exit_code", json_integer(rc));
        json_object_set_new(root, "targets", targets_json(j.opt.targets));
        json_object_set_new(root, "migrations", json_integer(prog ? (json_int_t)prog->n : 0));
        json_object_set_new(root, "diagnostics", diags_json(&d));
        if (print_json(c, root) != 0 && rc == 0)
            rc = JY_EXIT_ERROR;
    } else {
        cli_print_diags(c, &d);
    }
    ir_program_free(prog);
    jy_diags_free(&d);
    job_free(&j);
    return rc;
}

int cc_dump(cli_ctx *c, const cli_args *a)
{
    const char *fmt = cli_str(a, "format");
    if (fmt && strcmp(fmt, "json") != 0) {
        cli_error(c, "unknown --format '%s'", fmt);
        cli_hint(c, "the IR dump is JSON: --format=json");
        return JY_EXIT_ERROR;
    }
    cc_job j;
    jy_diags d;
    jy_diags_init(&d);
    ir_program *prog = NULL;
    int rc = job_prepare(c, a, "dialect", &j, &d);
    if (rc == 0)
        rc = job_compile(&j, &prog, &d);
    cli_print_diags(c, &d);
    if (rc == 0) {
        char *s = ir_dump_json(prog);
        if (!s) {
            cli_error(c, "out of memory writing the IR dump");
            rc = JY_EXIT_ERROR;
        } else {
            fputs(s, c->out);
            if (!*s || s[strlen(s) - 1] != '\n')
                fputc('\n', c->out);
            free(s);
        }
    }
    ir_program_free(prog);
    jy_diags_free(&d);
    job_free(&j);
    return rc;
}

/* history and heads --dialect: every migration of the folder as a row
 * (depends_on as a bundle stores it, groups expanded), printed as joryu-run
 * prints a bundle's (cli_history_print, cli_heads_print).  The targets
 * compiled are the dialects the listing is about; for heads, --dialect's
 * (the masks of joryu's cached one-dialect bundle know its dialect only). */
static int cc_listing(cli_ctx *c, const cli_args *a, bool heads)
{
    cc_job j;
    jy_diags d;
    jy_diags_init(&d);
    ir_program *prog = NULL;
    int rc = job_prepare(c, a, "dialect", &j, &d);
    /* the whole folder: depends_on must resolve */
    j.opt.single_file = false;
    if (rc == 0)
        rc = job_compile(&j, &prog, &d);
    cli_print_diags(c, &d);
    cli_history_row *rows = NULL;
    if (rc == 0) {
        rows = calloc(prog->n ? prog->n : 1, sizeof *rows);
        for (size_t i = 0; rows && i < prog->n; i++) {
            const ir_migration *m = prog->migs[i];
            size_t cap = ir_depends_bound(prog, m);
            const char **deps = cap ? calloc(cap, sizeof *deps) : NULL;
            if (cap && !deps) {
                for (size_t k = 0; k < i; k++)
                    free((void *)rows[k].depends_on);
                free(rows);
                rows = NULL;
                break;
            }
            size_t ndeps = deps ? ir_depends_expand(prog, m, deps) : 0;
            rows[i] = (cli_history_row){m->id, m->file, m->checksum, deps, ndeps,
                                        m->dialects, m->tx_mode, -1};
        }
        if (!rows) {
            cli_error(c, "out of memory");
            rc = JY_EXIT_ERROR;
        }
    }
    if (rc == 0) {
        rc = heads ? cli_heads_print(c, a, rows, prog->n, j.opt.targets)
                   : cli_history_print(c, a, rows, prog->n, prog->targets);
        for (size_t i = 0; i < prog->n; i++)
            free((void *)rows[i].depends_on);
        free(rows);
    }
    ir_program_free(prog);
    jy_diags_free(&d);
    job_free(&j);
    return rc;
}

int cc_heads(cli_ctx *c, const cli_args *a)
{
    return cc_listing(c, a, true);
}

int cc_history(cli_ctx *c, const cli_args *a)
{
    return cc_listing(c, a, false);
}

/* ------------------------------------------------------------------ ops */

static const char *kind_word(ir_arg_kind k)
{
    switch (k) {
    case IR_K_IDENT: return "name";
    case IR_K_IDENT_LIST: return "list of names";
    case IR_K_STR: return "string";
    case IR_K_SQL: return "SQL string";
    case IR_K_SQL_DIALECTS: return "SQL string or {dialect: SQL}";
    case IR_K_BOOL: return "bool";
    case IR_K_INT: return "int";
    case IR_K_TYPE: return "t.* type";
    case IR_K_COLUMN: return "op.column(...)";
    case IR_K_VALUE: return "constant";
    case IR_K_SERVER_DEFAULT: return "SQL string or t.now()";
    case IR_K_CHOICE: return "one of";
    case IR_K_SET_MAP: return "{column: SQL}";
    case IR_K_ROWS: return "list of {column: constant}";
    case IR_K_HINT: return "tuple or list of tuples";
    }
    return "value";
}

static void print_op(cli_ctx *c, const ir_op_info *op)
{
    FILE *out = c->out;
    fprintf(out, "%s%s%s\n\n%s\n", cli_bold(c), op->signature, cli_reset(c), op->synopsis);
    if (op->flags & IR_OPF_BATCH)
        fprintf(out, "Also allowed inside `with op.batch(table) as b:` as b.%s(...).\n", op->name);
    if (op->flags & IR_OPF_DESTRUCTIVE)
        fprintf(out, "Destructive: loses data.\n");
    if (op->nparams)
        fprintf(out, "\narguments:\n");
    for (size_t i = 0; i < op->nparams; i++) {
        const ir_param_info *p = &op->params[i];
        char kind[160];
        if (p->kind == IR_K_CHOICE || p->kind == IR_K_HINT)
            snprintf(kind, sizeof kind, "%s %s", kind_word(p->kind), p->choices ? p->choices : "");
        else
            snprintf(kind, sizeof kind, "%s", kind_word(p->kind));
        char name[64];
        snprintf(name, sizeof name, "%s%s", p->flags & IR_AF_VARIADIC ? "*" : "", p->name);
        fprintf(out, "  %s%-16s%s %s%s%s%s: %s\n", cli_bold(c), name, cli_reset(c), kind,
                p->flags & IR_AF_REQ ? ", required" : "",
                p->flags & IR_AF_POS ? ", positional" : "",
                p->flags & IR_AF_BATCH_TABLE ? ", implied inside op.batch" : "", p->doc);
    }
}

int cc_ops(cli_ctx *c, const cli_args *a)
{
    if (a->npos == 0) {
        size_t w = 0;
        for (int i = 0; i < IR_OP__COUNT; i++)
            if (strlen(ir_op_table[i].name) > w)
                w = strlen(ir_op_table[i].name);
        for (int i = 0; i < IR_OP__COUNT; i++)
            fprintf(c->out, "  %s%-*s%s  %s\n", cli_bold(c), (int)w, ir_op_table[i].name,
                    cli_reset(c), ir_op_table[i].synopsis);
        fprintf(c->out, "\nNot available (they need a Python runtime):\n");
        for (size_t i = 0; i < ir_reject_count; i++)
            fprintf(c->out, "  %-*s  use %s\n", (int)w, ir_reject_table[i].name,
                    ir_reject_table[i].alternative);
        fprintf(c->out, "\nRun '%s ops NAME' for the arguments of one op.\n", c->prog->name);
        return JY_EXIT_OK;
    }
    const char *name = a->pos[0];
    if (strncmp(name, "op.", 3) == 0)
        name += 3;
    ir_op_kind k;
    if (ir_op_lookup(name, strlen(name), &k)) {
        print_op(c, &ir_op_table[k]);
        return JY_EXIT_OK;
    }
    const ir_reject_info *rej = ir_reject_lookup(name, strlen(name));
    if (rej) {
        cli_error(c, "op.%s needs a Python runtime and is not available in joryu", name);
        cli_hint(c, "use %s", rej->alternative);
        return JY_EXIT_ERROR;
    }
    cli_error(c, "unknown op '%s'", name);
    const char *cands[IR_OP__COUNT];
    for (int i = 0; i < IR_OP__COUNT; i++)
        cands[i] = ir_op_table[i].name;
    const char *close = jy_closest(name, strlen(name), cands, IR_OP__COUNT);
    if (close)
        cli_hint(c, "did you mean '%s'? Run '%s ops' for the list", close, c->prog->name);
    else
        cli_hint(c, "run '%s ops' for the list", c->prog->name);
    return JY_EXIT_ERROR;
}

/* ------------------------------------------------------- sql, snapshot */

/*
 * The migration named by id or by a unique prefix of it.  Prints an error
 * (with a did-you-mean) and returns NULL when there is none or several.
 */
static const ir_migration *find_migration(cli_ctx *c, const ir_program *p, const char *id)
{
    const ir_migration *hit = ir_program_find(p, id);
    if (hit)
        return hit;
    size_t n = 0, len = strlen(id);
    for (size_t i = 0; i < p->n; i++)
        if (strncmp(p->migs[i]->id, id, len) == 0) {
            hit = p->migs[i];
            n++;
        }
    if (n == 1)
        return hit;
    if (n > 1) {
        cli_error(c, "'%s' names %zu migrations", id, n);
        cli_hint(c, "give more of the id (`joryu history` lists them)");
        return NULL;
    }
    cli_error(c, "no migration '%s'", id);
    const char **cands = malloc((p->n ? p->n : 1) * sizeof *cands);
    const char *close = NULL;
    if (cands) {
        for (size_t i = 0; i < p->n; i++)
            cands[i] = p->migs[i]->id;
        close = jy_closest(id, len, cands, p->n);
        free(cands);
    }
    if (close)
        cli_hint(c, "did you mean '%s'?", close);
    else
        cli_hint(c, "`joryu history` lists the migrations");
    return NULL;
}

/* Compile the project's migrations folder (positional arguments are not
 * paths for these commands).  Returns 0 or an exit code, diagnostics printed. */
static int compile_project(cli_ctx *c, const cli_args *a, cc_job *j, ir_program **prog,
                           jy_diags *d)
{
    cli_args b = *a;
    b.npos = 0;
    int rc = job_prepare(c, &b, "dialect", j, d);
    if (rc == 0)
        rc = job_compile(j, prog, d);
    return rc;
}

int cc_sql(cli_ctx *c, const cli_args *a)
{
    cc_job j;
    jy_diags d;
    jy_diags_init(&d);
    ir_program *prog = NULL;
    int rc = compile_project(c, a, &j, &prog, &d);
    const ir_migration *m = NULL;
    if (rc == 0 && a->npos == 1 && !(m = find_migration(c, prog, a->pos[0])))
        rc = JY_EXIT_ERROR;
    bool backward = cli_has(a, "backward");
    int ndialects = 0;
    for (int i = 0; i < IR_D__COUNT; i++)
        ndialects += (j.opt.targets & IR_DMASK(i)) != 0;
    for (int i = 0; i < IR_D__COUNT && rc == 0; i++) {
        if (!(j.opt.targets & IR_DMASK(i)))
            continue;
        ir_dialect dl = (ir_dialect)i;
        be_program *bp = NULL;
        if (be_emit_program(prog, dl, &bp, &d) != 0) {
            rc = d.exit_code ? d.exit_code : JY_EXIT_ERROR;
            break;
        }
        if (ndialects > 1)
            fprintf(c->out, "%s-- ===== %s =====%s\n", cli_bold(c), ir_dialect_name(dl),
                    cli_reset(c));
        for (size_t k = 0; k < bp->n && rc == 0; k++) {
            const be_migration *bm = &bp->migs[k];
            if (m && bm->m != m)
                continue;
            char *text = be_script_text(bp, bm, backward ? &bm->down : &bm->up);
            if (!text) {
                cli_error(c, "out of memory rendering SQL");
                rc = JY_EXIT_ERROR;
                break;
            }
            fputs(text, c->out);
            if (*text && text[strlen(text) - 1] != '\n')
                fputc('\n', c->out);
            free(text);
        }
        if (m && !be_program_find(bp, m->id))
            fprintf(c->out, "-- %s does not run on %s (its dialects= leaves it out)\n", m->id,
                    ir_dialect_name(dl));
        be_program_free(bp);
    }
    cli_print_diags(c, &d);
    ir_program_free(prog);
    jy_diags_free(&d);
    job_free(&j);
    return rc;
}

/* The first dialect of a mask (postgresql when empty). */
static ir_dialect first_dialect(ir_dmask m)
{
    for (int i = 0; i < IR_D__COUNT; i++)
        if (m & IR_DMASK(i))
            return (ir_dialect)i;
    return IR_D_POSTGRESQL;
}

static int print_schema(cli_ctx *c, const ir_schema *s, ir_dialect dl, bool sql)
{
    char *text = sql ? be_schema_sql(s, dl) : ir_schema_to_json(s, dl);
    if (!text) {
        cli_error(c, "out of memory printing the schema");
        return JY_EXIT_ERROR;
    }
    fputs(text, c->out);
    if (*text && text[strlen(text) - 1] != '\n')
        fputc('\n', c->out);
    free(text);
    return JY_EXIT_OK;
}

/* schema-snapshot with --db: the live database's schema. */
static int snapshot_live(cli_ctx *c, const char *url, bool sql)
{
    jy_diags d;
    jy_diags_init(&d);
    int rc = JY_EXIT_ERROR;
    jy_arena *arena = jy_arena_new();
    rt_conn *conn = rt_connect(url, &d);
    ir_schema *s = arena ? ir_schema_new(arena) : NULL;
    if (conn && s && rt_introspect(conn, s, &d) == 0)
        rc = print_schema(c, s, rt_conn_dialect(conn), sql);
    cli_print_diags(c, &d);
    rt_close(conn);
    jy_arena_free(arena);
    jy_diags_free(&d);
    return rc;
}

int cc_snapshot(cli_ctx *c, const cli_args *a)
{
    const char *fmt = cli_str(a, "format");
    if (fmt && strcmp(fmt, "json") != 0 && strcmp(fmt, "sql") != 0) {
        cli_error(c, "unknown --format '%s'", fmt);
        cli_hint(c, "use --format=json (default) or --format=sql");
        return JY_EXIT_ERROR;
    }
    bool sql = fmt && strcmp(fmt, "sql") == 0;
    const char *db = cli_str(a, "db");
    if (db)
        return snapshot_live(c, db, sql);
    cc_job j;
    jy_diags d;
    jy_diags_init(&d);
    ir_program *prog = NULL;
    int rc = compile_project(c, a, &j, &prog, &d);
    be_program *bp = NULL;
    ir_dialect dl = first_dialect(j.opt.targets);
    if (rc == 0 && cli_list(a, "dialect", &(size_t){0}) && __builtin_popcount(j.opt.targets) > 1) {
        cli_error(c, "schema-snapshot prints one dialect: give one --dialect");
        rc = JY_EXIT_ERROR;
    }
    if (rc == 0 && be_emit_program(prog, dl, &bp, &d) != 0)
        rc = d.exit_code ? d.exit_code : JY_EXIT_ERROR;
    cli_print_diags(c, &d);
    if (rc == 0)
        rc = print_schema(c, bp->schema, dl, sql);
    be_program_free(bp);
    ir_program_free(prog);
    jy_diags_free(&d);
    job_free(&j);
    return rc;
}
