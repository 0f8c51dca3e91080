/*
 * cmd_verify.c - `joryu verify` and `joryuc verify`: which migrations are
 * concurrent, whether each concurrent pair commutes, and the checksum gates
 * (docs/SPEC.md has the rules with examples).
 *
 *   --db URL    the migrations not applied in that database against the
 *               applied ones later in apply order (the only pairs whose
 *               order there differs from a fresh database's; with
 *               --pending-pairs also against each other); an applied
 *               migration whose file changed is an error
 *   --base REF  the migrations added on this branch since `git merge-base
 *               HEAD REF` against those added on REF since then (and
 *               against merge-base migrations later in apply order);
 *               editing (or removing) a migration of the merge base is an
 *               error
 *   neither     the default database when one is configured, else
 *               [verify] base of joryu.toml, else an error
 *
 * In every mode a pair that depends_on orders is not concurrent.  The
 * analysis itself (effects, commutativity) is ir/'s; this file finds the
 * concurrent sets, runs git as a subprocess (fork/exec, never a shell),
 * and prints the findings as text, JSON or GitHub workflow annotations.
 * Exit 4 on any finding, 1 when verify could not run, 0 otherwise.
 */
#include "compile_cmds.h"

#include "frontend.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const cli_flag cc_verify_flags[] = {
    {"base", CLI_STR, "REF",
     "compare the migrations added on this branch and on REF since their git merge base"},
    CLI_FLAG_DB,
    {"pending-pairs", CLI_BOOL, NULL,
     "with a database: also compare pending migrations with each other (the reference's rule)"},
    {"format", CLI_STR, "F", "output: text (default), json, or github (workflow annotations)"},
    {"json", CLI_BOOL, NULL, "the same as --format=json"},
    {NULL, CLI_BOOL, NULL, NULL},
};

/* ----------------------------------------------------------- subprocess */

/* What one git run gave back. */
typedef struct vf_proc {
    int status;     /* exit status; 128 + signal when killed */
    int exec_errno; /* exec failed with this errno (git missing: ENOENT); 0 when it ran */
    jy_buf out, err;
} vf_proc;

static void proc_free(vf_proc *p)
{
    jy_buf_free(&p->out);
    jy_buf_free(&p->err);
}

/* Read what is there on fd into b; false at end of file or on an error. */
static bool drain(int fd, jy_buf *b)
{
    char chunk[65536];
    ssize_t r = read(fd, chunk, sizeof chunk);
    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (r <= 0)
        return false;
    jy_buf_append(b, chunk, (size_t)r);
    return true;
}

/* Close both ends of a pipe in the child once it execs. */
static bool cloexec(const int fd[2])
{
    return fcntl(fd[0], F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd[1], F_SETFD, FD_CLOEXEC) == 0;
}

/*
 * Run `git --no-optional-locks -C dir ARGS...` (args ends with NULL) with
 * `in` on its standard input (NULL: /dev/null), collecting its output.  No
 * shell is involved: the arguments reach git as they are.  Returns 0 when
 * git ran (whatever its exit status: see p->status), -1 when it could not
 * be started (p->exec_errno; ENOENT when git is not installed).  The
 * optional locks are off so that verify never takes the index lock of a
 * checkout others are committing in, and colors are off whatever the
 * user's git configuration says.  Free p with proc_free.
 */
static int run_git(const char *dir, const char *const *args, const char *in, size_t inlen,
                   vf_proc *p)
{
    memset(p, 0, sizeof *p);
    jy_buf_init(&p->out);
    jy_buf_init(&p->err);
    const char *argv[32];
    size_t n = 0;
    argv[n++] = "git";
    argv[n++] = "--no-optional-locks";
    argv[n++] = "-c"; /* whatever the user's configuration says: plain output */
    argv[n++] = "color.ui=never";
    argv[n++] = "-C";
    argv[n++] = dir;
    for (size_t i = 0; args[i] && n < JY_COUNTOF(argv) - 1; i++)
        argv[n++] = args[i];
    argv[n] = NULL;

    int out[2] = {-1, -1}, err[2] = {-1, -1}, ex[2] = {-1, -1}, inp[2] = {-1, -1};
    /* stdin is a socket so that a write to a git that has exited fails
     * with EPIPE (MSG_NOSIGNAL) instead of raising SIGPIPE in joryu */
    if (pipe(out) != 0 || pipe(err) != 0 || pipe(ex) != 0 ||
        (in && socketpair(AF_UNIX, SOCK_STREAM, 0, inp) != 0) || !cloexec(out) ||
        !cloexec(err) || !cloexec(ex) || (in && !cloexec(inp))) {
        p->exec_errno = errno;
        goto fail;
    }
    pid_t pid = fork();
    if (pid < 0) {
        p->exec_errno = errno;
        goto fail;
    }
    if (pid == 0) {
        int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
        int fin = in ? inp[1] : nul;
        if (fin < 0 || dup2(fin, 0) < 0 || dup2(out[1], 1) < 0 || dup2(err[1], 2) < 0)
            _exit(127);
        execvp("git", (char *const *)argv);
        int e = errno;
        ssize_t w = write(ex[1], &e, sizeof e);
        (void)w;
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    close(ex[1]);
    out[1] = err[1] = ex[1] = -1;
    if (in) {
        close(inp[1]);
        inp[1] = -1;
    }
    int e = 0;
    ssize_t r;
    do
        r = read(ex[0], &e, sizeof e);
    while (r < 0 && errno == EINTR);
    close(ex[0]);
    ex[0] = -1;
    if (r == (ssize_t)sizeof e) {
        p->exec_errno = e;
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
        }
        goto fail;
    }

    size_t sent = 0;
    int inpfd = -1;
    if (in) {
        inpfd = inp[0];
        inp[0] = -1;
        if (inlen == 0) {
            close(inpfd);
            inpfd = -1;
        } else {
            fcntl(inpfd, F_SETFL, fcntl(inpfd, F_GETFL) | O_NONBLOCK);
        }
    }
    bool open_out = true, open_err = true;
    while (open_out || open_err) {
        struct pollfd fds[3];
        int nf = 0, io = -1, ie = -1, ii = -1;
        if (open_out) {
            fds[nf] = (struct pollfd){out[0], POLLIN, 0};
            io = nf++;
        }
        if (open_err) {
            fds[nf] = (struct pollfd){err[0], POLLIN, 0};
            ie = nf++;
        }
        if (inpfd >= 0) {
            fds[nf] = (struct pollfd){inpfd, POLLOUT, 0};
            ii = nf++;
        }
        if (poll(fds, (nfds_t)nf, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (io >= 0 && fds[io].revents && !drain(out[0], &p->out))
            open_out = false;
        if (ie >= 0 && fds[ie].revents && !drain(err[0], &p->err))
            open_err = false;
        if (ii >= 0 && fds[ii].revents) {
            ssize_t w = send(inpfd, in + sent, inlen - sent, MSG_NOSIGNAL);
            if (w > 0)
                sent += (size_t)w;
            if ((w < 0 && errno != EAGAIN && errno != EINTR) || sent == inlen) {
                close(inpfd);
                inpfd = -1;
            }
        }
    }
    if (inpfd >= 0)
        close(inpfd);
    close(out[0]);
    close(err[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            st = 0x7f00;
            break;
        }
    }
    p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    /* make sure both buffers hold a string */
    jy_buf_append(&p->out, "", 0);
    jy_buf_append(&p->err, "", 0);
    return p->out.failed || p->err.failed ? (p->exec_errno = ENOMEM, -1) : 0;

fail:
    for (int i = 0; i < 2; i++) {
        if (out[i] >= 0)
            close(out[i]);
        if (err[i] >= 0)
            close(err[i]);
        if (ex[i] >= 0)
            close(ex[i]);
        if (inp[i] >= 0)
            close(inp[i]);
    }
    return -1;
}

/* ------------------------------------------------------------ the run */

/* A finding that is not a conflict: a checksum gate or an id clash. */
typedef struct vf_gate {
    const char *code;          /* verify.checksum-mismatch, verify.base-edited, ... */
    const char *migration;     /* id */
    const ir_migration *mig;   /* the working-tree migration (position), or NULL */
    const char *file;          /* path for messages when mig is NULL */
    const char *recorded;      /* the checksum on record (database / merge base), or NULL */
    const char *current;       /* the checksum of the file now, or NULL */
    const char *message, *hint;
} vf_gate;

/* A raw SQL op of a concurrent migration that verify cannot see into. */
typedef struct vf_note {
    const ir_migration *mig;
    uint32_t step, start, end;
} vf_note;

/* How the migrations of one analysed program are labelled, for messages. */
typedef struct vf_mode {
    const char *db_redacted;   /* --db: the URL with its password hidden */
    const char *base;          /* --base: the ref as given */
    char merge_base[65];       /* --base: the merge base commit */
    const char *toplevel;      /* --base: the work tree's root (real path), or NULL */
    size_t n_pending;          /* --db: migrations not applied there */
    size_t n_ours, n_theirs;   /* --base: added on each side */
} vf_mode;

typedef struct vf_ctx {
    cli_ctx *c;
    jy_arena *a;               /* everything of the run */
    jy_diags d;                /* why verify could not run (exit 1) */
    rt_config cfg;
    const char *dir;           /* the migrations folder */
    ir_dmask targets;          /* replay dialect comes from these */
    ir_program **progs;        /* every program compiled (freed at the end) */
    size_t nprogs, capprogs;
    ir_program *work;          /* the working tree */
    vf_mode mode;
    /* while analysing: what "settled" means, for fixes ("applied to URL",
     * "on the merge base with REF") */
    const char *settled_where;
    ir_conflict *conf;
    size_t nconf, capconf;
    vf_gate *gates;
    size_t ngates, capgates;
    vf_note *notes;
    size_t nnotes, capnotes;
} vf_ctx;

static bool keep_prog(vf_ctx *v, ir_program *p)
{
    if (v->nprogs == v->capprogs) {
        size_t cap = v->capprogs ? v->capprogs * 2 : 8;
        ir_program **np = realloc(v->progs, cap * sizeof *np);
        if (!np)
            return false;
        v->progs = np;
        v->capprogs = cap;
    }
    v->progs[v->nprogs++] = p;
    return true;
}

static void oom(vf_ctx *v)
{
    jy_diag_where(&v->d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.memory", NULL, "out of memory");
}

static vf_gate *add_gate(vf_ctx *v, const char *code, const char *migration)
{
    if (v->ngates == v->capgates) {
        size_t cap = v->capgates ? v->capgates * 2 : 8;
        vf_gate *ng = jy_arena_grow(v->a, v->gates, v->ngates, cap, sizeof *ng);
        if (!ng) {
            oom(v);
            return NULL;
        }
        v->gates = ng;
        v->capgates = cap;
    }
    vf_gate *g = &v->gates[v->ngates++];
    memset(g, 0, sizeof *g);
    g->code = code;
    g->migration = migration;
    return g;
}

/*
 * The dialect-neutral IR: a program compiled without targets (so without
 * any target's per-dialect rules: a type one dialect lacks is check's and
 * build's to report, never verify's) gets every op marked for every
 * dialect its branches reach (cond_dialects, which sema fills whatever the
 * targets), and the project's targets as its own (the effects pass replays
 * for the first of them).
 */
static void neutralize(vf_ctx *v, ir_program *p)
{
    p->targets = v->targets;
    for (size_t i = 0; i < p->n; i++) {
        ir_migration *m = p->migs[i];
        for (size_t k = 0; k < m->nops; k++) {
            ir_op *op = m->ops[k];
            op->dialects = op->cond_dialects;
            const ir_value *cols =
                op->kind == IR_OP_create_table ? op->args[IR_A_create_table_columns] : NULL;
            for (size_t j = 0; cols && cols->kind == IR_V_LIST && j < cols->u.list.n; j++)
                if (cols->u.list.items[j]->kind == IR_V_COLUMN)
                    cols->u.list.items[j]->u.op->dialects = op->cond_dialects;
        }
    }
}

/* Compile the working tree's folder for the dialect-neutral analysis (it
 * stays in v->progs).  NULL with the compile errors in v->d. */
static ir_program *compile_dir(vf_ctx *v, const char *dir)
{
    fe_options opt;
    fe_options_init(&opt);
    opt.targets = 0;
    ir_program *p = NULL;
    const char *paths[1] = {dir};
    if (fe_compile(paths, 1, &opt, &p, &v->d) != 0 || !p)
        return NULL;
    if (!keep_prog(v, p)) {
        ir_program_free(p);
        oom(v);
        return NULL;
    }
    neutralize(v, p);
    return p;
}

/* One file held in memory (a blob of another commit), alone: its
 * depends_on is resolved later, in the program it joins. */
static ir_program *compile_blob(vf_ctx *v, const char *name, const char *text, size_t len,
                                jy_diags *d)
{
    fe_options opt;
    fe_options_init(&opt);
    opt.targets = 0;
    opt.single_file = true;
    ir_program *p = NULL;
    if (fe_compile_memory(name, text, len, &opt, &p, d) != 0 || !p)
        return NULL;
    if (!keep_prog(v, p)) {
        ir_program_free(p);
        oom(v);
        return NULL;
    }
    neutralize(v, p);
    return p;
}

/* "dir/name" as the user would write it ("name" when dir is "."). */
static const char *join_path(jy_arena *a, const char *dir, const char *name)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n == 1 && dir[0] == '.')
        return jy_arena_strdup(a, name);
    return jy_arena_printf(a, "%.*s/%s", (int)n, dir, name);
}

/* ------------------------------------------------------------ analysis */

typedef struct vf_side_ctx {
    const ir_program *p;
    const unsigned char *side;
    ir_dmask runs_on; /* --db: the database's dialect; 0 = every migration runs */
    bool ours_only;   /* --base: out of order is this branch's business only */
} vf_side_ctx;

/*
 * ir_concurrency.pred, asked only about pairs the side rules call
 * concurrent.  A migration whose dialects= leaves the database's dialect
 * out never runs there, so it is concurrent with nothing.  With --base, a
 * migration of the other branch that sorts before merge-base migrations is
 * that branch's out-of-order problem (its own verify reports it), not this
 * one's.
 */
static bool pair_veto(void *ctx, size_t a, size_t b)
{
    const vf_side_ctx *s = ctx;
    if (s->runs_on &&
        (!(s->p->migs[a]->dialects & s->runs_on) || !(s->p->migs[b]->dialects & s->runs_on)))
        return false;
    if (s->ours_only && s->side &&
        ((s->side[a] == IR_SIDE_B && s->side[b] == IR_SIDE_SETTLED) ||
         (s->side[b] == IR_SIDE_B && s->side[a] == IR_SIDE_SETTLED)))
        return false;
    return true;
}

static bool same_conflict(const ir_conflict *x, const ir_conflict *y)
{
    return x->left.step == y->left.step && x->right.step == y->right.step &&
           strcmp(x->left.migration, y->left.migration) == 0 &&
           strcmp(x->right.migration, y->right.migration) == 0;
}

/* The index of migration `id` in p->migs (sorted by id), p->n when absent. */
static size_t mig_index(const ir_program *p, const char *id)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(p->migs[mid]->id, id);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return p->n;
}

/*
 * A conflict between an unsettled migration and a settled one (applied in
 * the database, or on the merge base): the settled one cannot change, so
 * the fix is the other one's (run after it: depends_on), whatever the
 * analysis suggests for a pair of unsettled migrations.
 */
static void settled_fix(vf_ctx *v, const ir_program *p, const unsigned char *side, ir_conflict *k)
{
    if (!side || !v->settled_where)
        return;
    size_t li = mig_index(p, k->left.migration), ri = mig_index(p, k->right.migration);
    if (li == p->n || ri == p->n)
        return;
    const ir_migration *l = p->migs[li], *r = p->migs[ri];
    const ir_migration *applied = NULL, *pending = NULL;
    if (side[li] == IR_SIDE_SETTLED && side[ri] != IR_SIDE_SETTLED) {
        applied = l;
        pending = r;
    } else if (side[ri] == IR_SIDE_SETTLED && side[li] != IR_SIDE_SETTLED) {
        applied = r;
        pending = l;
    }
    if (!applied)
        return;
    const char *fix = jy_arena_printf(v->a,
                                      "%s is %s already and cannot change: add "
                                      "depends_on=[\"%s\"] to %s so that it runs after it, and "
                                      "write it for the schema %s leaves (or give it a new id "
                                      "and make it such a migration).",
                                      applied->id, v->settled_where, applied->id, pending->id,
                                      applied->id);
    if (fix)
        k->fix = fix;
}

/*
 * Run the analysis over p with the migrations labelled by side (see
 * ir_concurrency); append the conflicts (without duplicates: --db and
 * --base may find one pair twice) and a note for each raw SQL op of a
 * migration that is concurrent with another.  ours_only vetoes pairs of a
 * side-B migration with a settled one; runs_on (when not 0) pairs with a
 * migration that does not run on the database's dialect.  0, or -1 with
 * diagnostics (a broken DAG, out of memory).
 */
static int analyse(vf_ctx *v, const ir_program *p, const unsigned char *side, bool same_side,
                   bool settled_after, bool ours_only, ir_dmask runs_on)
{
    ir_dag *g = NULL;
    if (ir_dag_build(p, IR_D__COUNT, &g, &v->d) != 0)
        return -1;
    ir_effects **eff = NULL;
    vf_side_ctx sc = {p, side, runs_on, ours_only};
    ir_concurrency cc = {side, same_side, settled_after, pair_veto, &sc};
    ir_conflict *out = NULL;
    size_t n = 0;
    int rc = -1;
    if (ir_effects_compute(p, v->a, &eff, &v->d) != 0 ||
        ir_verify_pairs(p, g, eff, &cc, &out, &n, v->a, &v->d) != 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        bool dup = false;
        for (size_t k = 0; k < v->nconf && !dup; k++)
            dup = same_conflict(&v->conf[k], &out[i]);
        if (dup)
            continue;
        if (v->nconf == v->capconf) {
            size_t cap = v->capconf ? v->capconf * 2 : 8;
            ir_conflict *nc = jy_arena_grow(v->a, v->conf, v->nconf, cap, sizeof *nc);
            if (!nc) {
                oom(v);
                goto done;
            }
            v->conf = nc;
            v->capconf = cap;
        }
        ir_conflict *k = &v->conf[v->nconf++];
        *k = out[i];
        settled_fix(v, p, side, k);
    }
    /* notes: raw SQL in a migration that is concurrent with some other */
    for (size_t i = 0; i < p->n; i++) {
        if (!eff[i] || !eff[i]->nopaque || (side && side[i] == IR_SIDE_SETTLED))
            continue;
        bool conc = false;
        for (size_t j = 0; j < p->n && !conc; j++)
            conc = j != i && ir_concurrent(g, &cc, i, j);
        if (!conc)
            continue;
        for (size_t k = 0; k < eff[i]->n; k++) {
            const ir_effect *e = &eff[i]->v[k];
            if (e->verb != IR_EFF_OPAQUE)
                continue;
            bool seen = false;
            for (size_t q = 0; q < v->nnotes && !seen; q++)
                seen = v->notes[q].mig == p->migs[i] && v->notes[q].step == e->op;
            if (seen)
                continue;
            if (v->nnotes == v->capnotes) {
                size_t cap = v->capnotes ? v->capnotes * 2 : 8;
                vf_note *nn = jy_arena_grow(v->a, v->notes, v->nnotes, cap, sizeof *nn);
                if (!nn) {
                    oom(v);
                    goto done;
                }
                v->notes = nn;
                v->capnotes = cap;
            }
            v->notes[v->nnotes++] = (vf_note){p->migs[i], e->op, e->start, e->end};
        }
    }
    rc = 0;
done:
    ir_dag_free(g);
    return rc;
}

/* ------------------------------------------------------------------ --db */

/*
 * The URL verify opens: SQLite files read-only (mode=ro), so that verify
 * never creates a database file or writes to one.  NULL when the SQLite
 * file does not exist (*missing set: nothing is applied there).  malloc'd.
 */
static char *readonly_url(const char *url, bool *missing, jy_diags *d)
{
    *missing = false;
    rt_url u;
    memset(&u, 0, sizeof u);
    if (rt_url_parse(url, &u, d) != 0) {
        rt_url_free(&u);
        return NULL;
    }
    jy_buf b;
    jy_buf_init(&b);
    if (u.kind == RT_DB_SQLITE && !u.memory) {
        struct stat st;
        if (u.path && stat(u.path, &st) != 0) {
            *missing = true;
            rt_url_free(&u);
            return NULL;
        }
        jy_buf_puts(&b, url);
        if (!rt_url_param_get(&u, "mode"))
            jy_buf_puts(&b, strchr(url, '?') ? "&mode=ro" : "?mode=ro");
    } else {
        jy_buf_puts(&b, url);
    }
    rt_url_free(&u);
    return jy_buf_take(&b);
}

/*
 * --db: read the state tables; an applied migration whose checksum differs
 * from its file is a gate error (reference §7.1); every migration without
 * a row (or marked pending) is pending, and pending migrations are compared
 * with applied ones later in apply order (and, with pending_pairs, with
 * each other).  A migration whose dialects= leaves the database's dialect
 * out never runs there and is compared with nothing.
 */
static int run_db(vf_ctx *v, const char *flag_url, bool pending_pairs)
{
    char *url = NULL;
    rt_url_origin origin;
    if (rt_config_database_url(&v->cfg, flag_url, &url, &origin, &v->d) != 0)
        return -1;
    char *red = rt_url_redact(url);
    v->mode.db_redacted = jy_arena_strdup(v->a, red ? red : "(database)");
    free(red);

    bool missing = false;
    char *ro = readonly_url(url, &missing, &v->d);
    free(url);
    if (!ro && !missing)
        return -1;
    rt_state st;
    memset(&st, 0, sizeof st);
    rt_conn *conn = NULL;
    ir_dmask runs_on = missing ? IR_DMASK(IR_D_SQLITE) : 0; /* only SQLite files go missing */
    int rc = -1;
    if (ro) {
        conn = rt_connect(ro, &v->d);
        free(ro);
        if (!conn)
            return -1;
        runs_on = IR_DMASK(rt_conn_dialect(conn));
        if (rt_conn_dialect(conn) == IR_D_MARIADB)
            runs_on |= IR_DMASK(IR_D_MYSQL);
        if (rt_state_load(conn, &st, &v->d) != 0)
            goto done;
    }

    const ir_program *p = v->work;
    unsigned char *side = jy_arena_calloc(v->a, p->n ? p->n : 1, 1);
    if (!side) {
        oom(v);
        goto done;
    }
    for (size_t i = 0; i < p->n; i++) {
        const ir_migration *m = p->migs[i];
        const rt_mig_row *row = st.exists ? rt_state_find(&st, m->id) : NULL;
        if (!row || row->status == RT_MS_NONE || row->status == RT_MS_PENDING) {
            side[i] = IR_SIDE_A;
            if (!runs_on || (m->dialects & runs_on))
                v->mode.n_pending++;
            continue;
        }
        side[i] = IR_SIDE_SETTLED;
        if (row->status != RT_MS_APPLIED || !row->checksum || strcmp(row->checksum, m->checksum) == 0)
            continue;
        vf_gate *g = add_gate(v, "verify.checksum-mismatch", m->id);
        if (!g)
            goto done;
        g->mig = m;
        g->file = m->file;
        g->recorded = jy_arena_strdup(v->a, row->checksum);
        g->current = m->checksum;
        g->message = jy_arena_printf(v->a,
                                     "migration %s was applied to %s with checksum %s, but its "
                                     "file now has %s: an applied migration was edited",
                                     m->id, v->mode.db_redacted, row->checksum, m->checksum);
        g->hint = jy_arena_printf(v->a,
                                  "undo the edit and put the change in a new migration; if the "
                                  "database already matches the edited file, record the new "
                                  "checksum with `joryu repair %s`",
                                  m->id);
    }
    v->settled_where = jy_arena_printf(v->a, "applied to %s", v->mode.db_redacted);
    rc = analyse(v, p, side, pending_pairs, true, false, runs_on);
done:
    rt_state_free(&st);
    rt_close(conn);
    return rc;
}

/* ---------------------------------------------------------------- --base */

typedef struct vf_blob {
    const char *name; /* file name inside the migrations folder */
    const char *oid;
} vf_blob;

typedef struct vf_tree {
    vf_blob *v;
    size_t n;
} vf_tree;

/* A migration file name: "*.py" directly in the folder, not __init__.py. */
static bool migration_name(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".py") == 0 && strcmp(name, "__init__.py") != 0 &&
           !strchr(name, '/');
}

static int cmp_blob(const void *x, const void *y)
{
    return strcmp(((const vf_blob *)x)->name, ((const vf_blob *)y)->name);
}

static const vf_blob *tree_find(const vf_tree *t, const char *name)
{
    vf_blob key = {name, NULL};
    return t->n ? bsearch(&key, t->v, t->n, sizeof key, cmp_blob) : NULL;
}

/* The first line of git's stderr (for messages), in a. */
static const char *git_first_line(jy_arena *a, const vf_proc *p)
{
    const char *s = p->err.data ? p->err.data : "";
    if (strncmp(s, "fatal: ", 7) == 0)
        s += 7;
    size_t n = strcspn(s, "\n");
    return n ? jy_arena_strndup(a, s, n) : "(no message)";
}

/*
 * Run git; a git that could not be started, or (when must_succeed) one that
 * failed, becomes an error in v->d.  0 when git ran (p filled), else -1.
 */
static int git(vf_ctx *v, const char *const *args, const char *in, size_t inlen, vf_proc *p,
               bool must_succeed)
{
    if (run_git(v->dir, args, in, inlen, p) != 0) {
        jy_diag *g;
        if (p->exec_errno == ENOENT) {
            g = jy_diag_where(&v->d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.no-git", "git",
                              "git is not installed (or not on PATH): verify --base runs git "
                              "to find what each branch added");
            jy_diag_hint(g, "install git (Debian: apt-get install git), or verify against a "
                            "database with --db URL");
        } else {
            g = jy_diag_where(&v->d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.git-failed", "git",
                              "could not run git: %s", strerror(p->exec_errno));
        }
        proc_free(p);
        return -1;
    }
    if (must_succeed && p->status != 0) {
        jy_diag_where(&v->d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.git-failed", "git",
                      "git %s failed (exit %d): %s", args[0], p->status, git_first_line(v->a, p));
        proc_free(p);
        return -1;
    }
    return 0;
}

/* The migration files of the folder at commit `rev` (an empty list when the
 * folder did not exist there).  0, or -1 with an error. */
static int git_tree(vf_ctx *v, const char *rev, vf_tree *t)
{
    memset(t, 0, sizeof *t);
    const char *spec = jy_arena_printf(v->a, "%s:./", rev);
    const char *args[] = {"ls-tree", "-z", "--full-tree", spec, NULL};
    vf_proc p;
    if (!spec || git(v, args, NULL, 0, &p, false) != 0)
        return -1;
    if (p.status != 0) { /* the folder is not in that commit: nothing there */
        proc_free(&p);
        return 0;
    }
    size_t cap = 0;
    for (const char *s = p.out.data, *end = p.out.data + p.out.len; s < end;) {
        size_t len = strnlen(s, (size_t)(end - s));
        /* "<mode> SP <type> SP <oid> TAB <name>" */
        const char *tab = memchr(s, '\t', len);
        if (tab && strncmp(s, "100", 3) == 0) {
            const char *sp1 = memchr(s, ' ', (size_t)(tab - s));
            const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(tab - sp1 - 1)) : NULL;
            char *name = jy_arena_strndup(v->a, tab + 1, len - (size_t)(tab + 1 - s));
            if (sp2 && name && migration_name(name) && strncmp(sp1 + 1, "blob ", 5) == 0) {
                if (t->n == cap) {
                    size_t nc = cap ? cap * 2 : 64;
                    vf_blob *nv = jy_arena_grow(v->a, t->v, t->n, nc, sizeof *nv);
                    if (!nv)
                        break;
                    t->v = nv;
                    cap = nc;
                }
                t->v[t->n].name = name;
                t->v[t->n].oid = jy_arena_strndup(v->a, sp2 + 1, (size_t)(tab - sp2 - 1));
                t->n++;
            }
        }
        s += len + 1;
    }
    proc_free(&p);
    if (jy_arena_failed(v->a)) {
        oom(v);
        return -1;
    }
    if (t->n > 1)
        qsort(t->v, t->n, sizeof *t->v, cmp_blob);
    return 0;
}

/*
 * The contents of blobs (one `git cat-file --batch` for all of them):
 * texts[i] / lens[i] in v->a.  0, or -1 with an error.
 */
static int git_blobs(vf_ctx *v, const char *const *oids, size_t n, const char **texts,
                     size_t *lens)
{
    if (n == 0)
        return 0;
    jy_buf in;
    jy_buf_init(&in);
    for (size_t i = 0; i < n; i++)
        jy_buf_printf(&in, "%s\n", oids[i]);
    if (in.failed) {
        jy_buf_free(&in);
        oom(v);
        return -1;
    }
    const char *args[] = {"cat-file", "--batch", NULL};
    vf_proc p;
    int rc = git(v, args, in.data, in.len, &p, true);
    jy_buf_free(&in);
    if (rc != 0)
        return -1;
    const char *s = p.out.data, *end = p.out.data + p.out.len;
    for (size_t i = 0; i < n; i++) {
        /* "<oid> blob <size>\n<contents>\n" */
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *sp = nl ? memchr(s, ' ', (size_t)(nl - s)) : NULL;
        unsigned long long size = 0;
        if (!sp || strncmp(sp, " blob ", 6) != 0 || sscanf(sp + 6, "%llu", &size) != 1 ||
            size > (unsigned long long)(end - nl - 1)) {
            jy_diag_where(&v->d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.git-failed", "git",
                          "git cat-file did not give blob %s back", oids[i]);
            proc_free(&p);
            return -1;
        }
        texts[i] = jy_arena_strndup(v->a, nl + 1, (size_t)size);
        lens[i] = (size_t)size;
        s = nl + 1 + size + 1;
        if (s > end)
            s = end;
    }
    proc_free(&p);
    if (jy_arena_failed(v->a)) {
        oom(v);
        return -1;
    }
    return 0;
}

/* Names changed between `rev` and the working tree inside the folder. */
static int git_changed(vf_ctx *v, const char *rev, vf_tree *t)
{
    memset(t, 0, sizeof *t);
    const char *args[] = {"diff", "-z", "--name-only", "--no-renames", "--relative", rev, "--",
                          ".", NULL};
    vf_proc p;
    if (git(v, args, NULL, 0, &p, true) != 0)
        return -1;
    size_t cap = 0;
    for (const char *s = p.out.data, *end = p.out.data + p.out.len; s < end;) {
        size_t len = strnlen(s, (size_t)(end - s));
        char *name = jy_arena_strndup(v->a, s, len);
        if (name && migration_name(name)) {
            if (t->n == cap) {
                size_t nc = cap ? cap * 2 : 16;
                vf_blob *nv = jy_arena_grow(v->a, t->v, t->n, nc, sizeof *nv);
                if (!nv)
                    break;
                t->v = nv;
                cap = nc;
            }
            t->v[t->n++].name = name;
        }
        s += len + 1;
    }
    proc_free(&p);
    if (jy_arena_failed(v->a)) {
        oom(v);
        return -1;
    }
    if (t->n > 1)
        qsort(t->v, t->n, sizeof *t->v, cmp_blob);
    return 0;
}

/* git's answer on stdout, first line, in v->a ("" when none). */
static const char *out_line(vf_ctx *v, const vf_proc *p)
{
    const char *s = p->out.data ? p->out.data : "";
    return jy_arena_strndup(v->a, s, strcspn(s, "\n"));
}

/* Check the repository and resolve the ref and the merge base. */
static int git_resolve(vf_ctx *v, const char *ref, const char **ref_oid)
{
    vf_proc p;
    const char *inside[] = {"rev-parse", "--is-inside-work-tree", NULL};
    if (git(v, inside, NULL, 0, &p, false) != 0)
        return -1;
    bool ok = p.status == 0 && strcmp(out_line(v, &p), "true") == 0;
    proc_free(&p);
    if (!ok) {
        jy_diag *g = jy_diag_where(&v->d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.not-a-repo",
                                   v->dir, "%s is not inside a git work tree: --base compares "
                                   "git branches", v->dir);
        jy_diag_hint(g, "run verify in a clone of the repository, or verify against a database "
                        "with --db URL");
        return -1;
    }
    if (ref[0] == '-' || !ref[0]) {
        jy_diag *g = jy_diag_where(&v->d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.unknown-ref",
                                   "--base", "'%s' is not a git ref", ref);
        jy_diag_hint(g, "name a branch, tag or commit: --base main, --base origin/main");
        return -1;
    }
    const char *spec = jy_arena_printf(v->a, "%s^{commit}", ref);
    const char *verify[] = {"rev-parse", "--verify", "--quiet", spec, NULL};
    if (!spec || git(v, verify, NULL, 0, &p, false) != 0)
        return -1;
    *ref_oid = p.status == 0 ? out_line(v, &p) : NULL;
    proc_free(&p);
    if (!*ref_oid || !**ref_oid) {
        jy_diag *g = jy_diag_where(&v->d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.unknown-ref",
                                   "--base", "unknown git ref '%s'", ref);
        jy_diag_hint(g, "fetch it first (git fetch origin main, then --base origin/main); CI "
                        "checkouts are often shallow: fetch the whole history (GitHub "
                        "Actions: actions/checkout with fetch-depth: 0)");
        return -1;
    }
    const char *head[] = {"rev-parse", "--verify", "--quiet", "HEAD^{commit}", NULL};
    if (git(v, head, NULL, 0, &p, false) != 0)
        return -1;
    ok = p.status == 0;
    proc_free(&p);
    if (!ok) {
        jy_diag *g = jy_diag_where(&v->d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.no-head", v->dir,
                                   "this repository has no commit yet: there is no branch to "
                                   "compare with '%s'", ref);
        jy_diag_hint(g, "commit your branch first");
        return -1;
    }
    const char *mb[] = {"merge-base", "HEAD", *ref_oid, NULL};
    if (git(v, mb, NULL, 0, &p, false) != 0)
        return -1;
    const char *line = p.status == 0 ? out_line(v, &p) : "";
    proc_free(&p);
    if (!line || !*line || strlen(line) >= sizeof v->mode.merge_base) {
        jy_diag *g = jy_diag_where(&v->d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.no-merge-base",
                                   "--base", "HEAD and '%s' have no common ancestor", ref);
        jy_diag_hint(g, "a shallow clone hides it: fetch the whole history (git fetch "
                        "--unshallow; GitHub Actions: actions/checkout with fetch-depth: 0)");
        return -1;
    }
    snprintf(v->mode.merge_base, sizeof v->mode.merge_base, "%s", line);
    /* the root, for paths GitHub understands (relative to the repository) */
    const char *top[] = {"rev-parse", "--show-toplevel", NULL};
    if (git(v, top, NULL, 0, &p, false) != 0)
        return -1;
    if (p.status == 0) {
        char *real = realpath(out_line(v, &p), NULL);
        v->mode.toplevel = real ? jy_arena_strdup(v->a, real) : NULL;
        free(real);
    }
    proc_free(&p);
    return 0;
}

typedef struct vf_entry {
    ir_migration *m;
    unsigned char side;
} vf_entry;

static int cmp_entry(const void *x, const void *y)
{
    return strcmp(((const vf_entry *)x)->m->id, ((const vf_entry *)y)->m->id);
}

/* "<id>" of "<id>.py" (in a). */
static const char *stem_of(jy_arena *a, const char *name)
{
    size_t n = strlen(name);
    return jy_arena_strndup(a, name, n > 3 ? n - 3 : n);
}

/*
 * --base REF: the merge base M of HEAD and REF; "ours" are the migration
 * files of the working tree that M lacks, "theirs" the files REF has and M
 * lacks (compiled from git's blobs, in memory).  A file of M that the
 * working tree changed (semantic checksum) or removed is a gate error.
 * Ours and theirs are analysed together with everything else in one
 * program: M's migrations settled, ours side A, theirs side B.
 */
static int run_base(vf_ctx *v, const char *ref)
{
    v->mode.base = ref;
    const char *ref_oid = NULL;
    if (git_resolve(v, ref, &ref_oid) != 0)
        return -1;
    vf_tree mbt, reft, changed;
    if (git_tree(v, v->mode.merge_base, &mbt) != 0 || git_tree(v, ref_oid, &reft) != 0 ||
        git_changed(v, v->mode.merge_base, &changed) != 0)
        return -1;
    ir_program *w = v->work;
    char mb7[8];
    snprintf(mb7, sizeof mb7, "%.7s", v->mode.merge_base);

    /* which blobs to read: edited base files, files REF added */
    size_t cap = mbt.n + reft.n + 1, nb = 0;
    const char **oids = jy_arena_calloc(v->a, cap, sizeof *oids);
    const char **names = jy_arena_calloc(v->a, cap, sizeof *names);
    bool *theirs = jy_arena_calloc(v->a, cap, sizeof *theirs);
    const char **texts = jy_arena_calloc(v->a, cap, sizeof *texts);
    size_t *lens = jy_arena_calloc(v->a, cap, sizeof *lens);
    if (!oids || !names || !theirs || !texts || !lens) {
        oom(v);
        return -1;
    }
    for (size_t i = 0; i < mbt.n; i++) {
        const vf_blob *b = &mbt.v[i];
        const ir_migration *m = ir_program_find(w, stem_of(v->a, b->name));
        if (!m) {
            vf_gate *g = add_gate(v, "verify.base-removed", stem_of(v->a, b->name));
            if (!g)
                return -1;
            g->file = join_path(v->a, v->dir, b->name);
            g->message = jy_arena_printf(v->a,
                                         "%s was removed on this branch, but it exists on the "
                                         "merge base with %s (%s): a merged migration may be "
                                         "applied somewhere already",
                                         g->file, ref, mb7);
            g->hint = jy_arena_printf(v->a,
                                      "restore it (git checkout %s -- %s); to undo what it "
                                      "does, write a new migration",
                                      mb7, g->file);
            continue;
        }
        if (tree_find(&changed, b->name)) {
            oids[nb] = b->oid;
            names[nb] = b->name;
            theirs[nb++] = false;
        }
    }
    for (size_t i = 0; i < reft.n; i++) {
        const vf_blob *b = &reft.v[i];
        if (tree_find(&mbt, b->name))
            continue;
        oids[nb] = b->oid;
        names[nb] = b->name;
        theirs[nb++] = true;
    }
    if (git_blobs(v, oids, nb, texts, lens) != 0)
        return -1;

    size_t nt = 0;
    ir_migration **tm = jy_arena_calloc(v->a, nb + 1, sizeof *tm);
    if (!tm) {
        oom(v);
        return -1;
    }
    size_t nerr0 = v->d.nerrors;
    for (size_t i = 0; i < nb; i++) {
        const char *rel = join_path(v->a, v->dir, names[i]);
        if (!theirs[i]) {
            /* an edited file of the merge base: the same migration? */
            jy_diags scratch;
            jy_diags_init(&scratch);
            const char *name = jy_arena_printf(v->a, "%s:%s", mb7, rel);
            ir_program *bp = compile_blob(v, name, texts[i], lens[i], &scratch);
            jy_diags_free(&scratch);
            const ir_migration *m = ir_program_find(w, stem_of(v->a, names[i]));
            const ir_migration *old = bp && bp->n == 1 ? bp->migs[0] : NULL;
            if (!m || (old && strcmp(old->checksum, m->checksum) == 0))
                continue; /* comments or formatting only */
            vf_gate *g = add_gate(v, "verify.base-edited", m->id);
            if (!g)
                return -1;
            g->mig = m;
            g->file = m->file;
            g->recorded = old ? old->checksum : NULL;
            g->current = m->checksum;
            g->message = jy_arena_printf(v->a,
                                         "migration %s exists on the merge base with %s (%s) "
                                         "and was changed on this branch (checksum %s -> %s)",
                                         m->id, ref, mb7, old ? old->checksum : "?",
                                         m->checksum);
            g->hint = jy_arena_printf(v->a,
                                      "a merged migration may be applied somewhere already: "
                                      "restore it (git checkout %s -- %s) and make the change "
                                      "in a new migration",
                                      mb7, rel);
            continue;
        }
        const char *name = jy_arena_printf(v->a, "%s:%s", ref, rel);
        ir_program *tp = compile_blob(v, name, texts[i], lens[i], &v->d);
        if (!tp)
            continue;
        for (size_t k = 0; k < tp->n; k++)
            tm[nt++] = tp->migs[k];
    }
    if (v->d.nerrors > nerr0)
        return -1;

    /* the merged history: the working tree and what REF added */
    ir_program *p = ir_program_new();
    if (!p || !keep_prog(v, p)) {
        ir_program_free(p);
        oom(v);
        return -1;
    }
    p->targets = v->targets;
    vf_entry *all = jy_arena_calloc(v->a, w->n + nt + 1, sizeof *all);
    p->migs = jy_arena_calloc(p->arena, w->n + nt + 1, sizeof *p->migs);
    unsigned char *side = jy_arena_calloc(v->a, w->n + nt + 1, 1);
    if (!all || !p->migs || !side) {
        oom(v);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < w->n; i++) {
        ir_migration *m = w->migs[i];
        char *file = jy_arena_printf(v->a, "%s.py", m->id);
        bool on_base = file && tree_find(&mbt, file);
        all[n++] = (vf_entry){m, on_base ? IR_SIDE_SETTLED : IR_SIDE_A};
    }
    size_t nw = n;
    for (size_t i = 0; i < nt; i++) {
        ir_migration *t = tm[i];
        ir_migration key_m = {.id = t->id};
        vf_entry key = {&key_m, 0};
        vf_entry *mine = nw ? bsearch(&key, all, nw, sizeof key, cmp_entry) : NULL;
        if (!mine) {
            all[n++] = (vf_entry){t, IR_SIDE_B};
            continue;
        }
        if (strcmp(mine->m->checksum, t->checksum) == 0) {
            mine->side = IR_SIDE_SETTLED; /* the same migration on both sides */
            continue;
        }
        vf_gate *g = add_gate(v, "verify.same-id", t->id);
        if (!g)
            return -1;
        g->mig = mine->m;
        g->file = mine->m->file;
        g->recorded = t->checksum;
        g->current = mine->m->checksum;
        g->message = jy_arena_printf(v->a,
                                     "migration id %s is also added on %s (%s), with other "
                                     "contents: after the merge one would replace the other",
                                     t->id, ref, t->file);
        g->hint = "give this migration a new id (rename the file and its id=) with `joryu "
                  "generate`, or take theirs and drop yours";
    }
    qsort(all, n, sizeof *all, cmp_entry);
    for (size_t i = 0; i < n; i++) {
        p->migs[i] = all[i].m;
        side[i] = all[i].side;
        v->mode.n_ours += all[i].side == IR_SIDE_A;
        v->mode.n_theirs += all[i].side == IR_SIDE_B;
    }
    p->n = n;
    /* settled_after: a migration of this branch that sorts before migrations
     * of the merge base runs after them on every database that has them
     * (a stale id, or a checkout of the pull request merged into REF) */
    v->settled_where = jy_arena_printf(v->a, "on the merge base with %s", ref);
    return analyse(v, p, side, false, true, true, 0);
}

/* ---------------------------------------------------------------- output */

typedef enum { VF_TEXT, VF_JSON, VF_GITHUB } vf_format;

/* The path of a migration's file in the repository: a file read from git
 * is named "<rev>:<path>"; the part after the colon is where it will be. */
static const char *repo_path(const vf_ctx *v, const ir_migration *m, bool *from_git)
{
    const char *f = m && m->file ? m->file : "";
    *from_git = false;
    size_t rn = v->mode.base ? strlen(v->mode.base) : 0;
    if (rn && strncmp(f, v->mode.base, rn) == 0 && f[rn] == ':') {
        *from_git = true;
        f += rn + 1;
    } else if (strlen(f) > 8 && f[7] == ':' && v->mode.merge_base[0] &&
               strncmp(f, v->mode.merge_base, 7) == 0) {
        *from_git = true;
        f += 8;
    }
    while (strncmp(f, "./", 2) == 0)
        f += 2;
    return f;
}

static void linecol(const ir_migration *m, uint32_t off, unsigned *line, unsigned *col)
{
    *line = *col = 0;
    if (m && m->src && off <= m->src->len)
        jy_source_linecol(m->src, off, line, col);
}

/* The span a gate points at: the id="..." string, else the decorator. */
static void gate_span(const vf_gate *g, uint32_t *start, uint32_t *end)
{
    *start = *end = 0;
    if (!g->mig)
        return;
    *start = g->mig->id_end ? g->mig->id_start : g->mig->start;
    *end = g->mig->id_end ? g->mig->id_end : g->mig->end;
}

/* Print one diagnostic in the common format (source line and caret). */
static void print_one(vf_ctx *v, jy_severity sev, const char *code, const ir_migration *m,
                      const char *where, uint32_t start, uint32_t end, const char *hint,
                      const char *msg)
{
    jy_diags one;
    jy_diags_init(&one);
    jy_diag *g = m && m->src
                     ? jy_diag_at(&one, sev, JY_EXIT_VERIFY, code, m->src, start, end, "%s", msg)
                     : jy_diag_where(&one, sev, JY_EXIT_VERIFY, code, where, "%s", msg);
    if (g && hint)
        jy_diag_hint(g, "%s", hint);
    jy_diags_print(&one, v->c->out, v->c->color_out);
    jy_diags_free(&one);
}

/* Which op of a conflict the error points at: the one in the working tree
 * (a file read from git, on the other branch, is not the author's to edit
 * and not in the pull request's diff); the earlier one when both are. */
static void pick_sides(const vf_ctx *v, const ir_conflict *k, const ir_opref **at,
                       const ir_opref **other)
{
    bool left_git, right_git;
    repo_path(v, k->left.mig, &left_git);
    repo_path(v, k->right.mig, &right_git);
    bool swap = left_git && !right_git;
    *at = swap ? &k->right : &k->left;
    *other = swap ? &k->left : &k->right;
}

static const char *op_text(jy_arena *a, const ir_opref *r)
{
    if (r->ntarget == 2)
        return jy_arena_printf(a, "%s(%s.%s)", r->op, r->target[0], r->target[1]);
    if (r->ntarget == 1)
        return jy_arena_printf(a, "%s(%s)", r->op, r->target[0]);
    return jy_arena_printf(a, "%s", r->op);
}

static const char *summary(vf_ctx *v)
{
    jy_buf b;
    jy_buf_init(&b);
    if (v->mode.db_redacted)
        jy_buf_printf(&b, "%zu pending migration%s in %s", v->mode.n_pending,
                      v->mode.n_pending == 1 ? "" : "s", v->mode.db_redacted);
    if (v->mode.base)
        jy_buf_printf(&b, "%s%zu migration%s added on this branch and %zu on %s since %.7s",
                      v->mode.db_redacted ? "; " : "", v->mode.n_ours,
                      v->mode.n_ours == 1 ? "" : "s", v->mode.n_theirs, v->mode.base,
                      v->mode.merge_base);
    const char *s = jy_arena_strdup(v->a, b.data ? b.data : "");
    jy_buf_free(&b);
    return s;
}

/* The last line: "joryu verify: 1 conflict and 1 other error (what was compared)". */
static void print_verdict(vf_ctx *v, bool bold)
{
    const char *sum = summary(v);
    const char *b = bold ? cli_bold(v->c) : "", *r = bold ? cli_reset(v->c) : "";
    if (!v->nconf && !v->ngates) {
        fprintf(v->c->out, "%s verify: no conflicts (%s)\n", v->c->prog->name, sum);
        return;
    }
    fprintf(v->c->out, "%s%s verify: ", b, v->c->prog->name);
    if (v->nconf)
        fprintf(v->c->out, "%zu conflict%s", v->nconf, v->nconf == 1 ? "" : "s");
    if (v->nconf && v->ngates)
        fputs(" and ", v->c->out);
    if (v->ngates)
        fprintf(v->c->out, "%zu %serror%s", v->ngates, v->nconf ? "other " : "",
                v->ngates == 1 ? "" : "s");
    fprintf(v->c->out, " (%s)%s\n", sum, r);
}

static void print_text(vf_ctx *v)
{
    for (size_t i = 0; i < v->ngates; i++) {
        const vf_gate *g = &v->gates[i];
        uint32_t s, e;
        gate_span(g, &s, &e);
        print_one(v, JY_SEV_ERROR, g->code, g->mig, g->file, s, e, g->hint, g->message);
    }
    for (size_t i = 0; i < v->nconf; i++) {
        const ir_conflict *k = &v->conf[i];
        const ir_opref *at, *other;
        pick_sides(v, k, &at, &other);
        const char *msg = jy_arena_printf(v->a, "%s: %s", ir_conflict_kind_name(k->kind),
                                          k->message);
        print_one(v, JY_SEV_ERROR, "verify.conflict", at->mig, at->migration, at->start,
                  at->end, NULL, msg ? msg : k->message);
        const char *why = jy_arena_printf(v->a, "%s in %s: %s", op_text(v->a, other),
                                          other->migration, k->why);
        print_one(v, JY_SEV_NOTE, "verify.conflict", other->mig, other->migration, other->start,
                  other->end, k->fix, why ? why : k->why);
    }
    for (size_t i = 0; i < v->nnotes; i++) {
        const vf_note *n = &v->notes[i];
        const char *msg = jy_arena_printf(
            v->a,
            "step %u of %s runs raw SQL that verify cannot see into: check by hand that it "
            "commutes with the concurrent migrations",
            n->step + 1, n->mig->id);
        print_one(v, JY_SEV_NOTE, "verify.opaque", n->mig, n->mig->file, n->start, n->end,
                  "declare what it changes with op.declare_schema_change(...) and verify "
                  "checks it too",
                  msg);
    }
    print_verdict(v, true);
}

static json_t *opref_json(const ir_opref *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "migration_id", json_string(r->migration));
    json_object_set_new(o, "step_index", json_integer(r->step));
    json_object_set_new(o, "op_kind", json_string(r->op));
    json_t *t = json_array();
    for (size_t i = 0; i < r->ntarget; i++)
        json_array_append_new(t, json_string(r->target[i]));
    json_object_set_new(o, "target", t);
    unsigned line, col;
    linecol(r->mig, r->start, &line, &col);
    if (!line)
        line = r->line;
    json_object_set_new(o, "source_line", line ? json_integer(line) : json_null());
    json_object_set_new(o, "source_col", col ? json_integer(col) : json_null());
    json_object_set_new(o, "file", r->mig && r->mig->file ? json_string(r->mig->file)
                                                          : json_null());
    return o;
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *diags_to_json(jy_diags *d)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < d->n; i++) {
        const jy_diag *g = &d->v[i];
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(g->code ? g->code : ""));
        json_object_set_new(o, "severity", json_string(g->sev == JY_SEV_ERROR     ? "error"
                                                       : g->sev == JY_SEV_WARNING ? "warning"
                                                                                  : "note"));
        if (g->src) {
            unsigned l, c;
            jy_source_linecol(g->src, g->offset, &l, &c);
            json_object_set_new(o, "file", json_string(g->src->path));
            json_object_set_new(o, "line", json_integer(l));
            json_object_set_new(o, "col", json_integer(c));
        } else {
            json_object_set_new(o, "file", str_or_null(g->where));
        }
        json_object_set_new(o, "message", json_string(g->message ? g->message : ""));
        json_object_set_new(o, "hint", str_or_null(g->hint));
        json_array_append_new(arr, o);
    }
    return arr;
}

static int print_json(vf_ctx *v, int rc)
{
    json_t *root = json_object();
    json_object_set_new(root, "ok", json_boolean(rc == 0));
    json_object_set_new(root, "exit_code", json_integer(rc));
    json_object_set_new(root, "db", str_or_null(v->mode.db_redacted));
    json_object_set_new(root, "base", str_or_null(v->mode.base));
    json_object_set_new(root, "merge_base",
                        v->mode.merge_base[0] ? json_string(v->mode.merge_base) : json_null());
    json_t *counts = json_object();
    if (v->mode.db_redacted)
        json_object_set_new(counts, "pending", json_integer((json_int_t)v->mode.n_pending));
    if (v->mode.base) {
        json_object_set_new(counts, "ours", json_integer((json_int_t)v->mode.n_ours));
        json_object_set_new(counts, "theirs", json_integer((json_int_t)v->mode.n_theirs));
    }
    json_object_set_new(root, "concurrent", counts);
    json_t *conf = json_array();
    for (size_t i = 0; i < v->nconf; i++) {
        const ir_conflict *k = &v->conf[i];
        json_t *o = json_object();
        json_object_set_new(o, "kind", json_string(ir_conflict_kind_name(k->kind)));
        json_object_set_new(o, "left", opref_json(&k->left));
        json_object_set_new(o, "right", opref_json(&k->right));
        json_object_set_new(o, "message", json_string(k->message ? k->message : ""));
        json_object_set_new(o, "object", str_or_null(k->object));
        json_object_set_new(o, "why", str_or_null(k->why));
        json_object_set_new(o, "fix", str_or_null(k->fix));
        json_array_append_new(conf, o);
    }
    json_object_set_new(root, "conflicts", conf);
    json_t *errs = json_array();
    for (size_t i = 0; i < v->ngates; i++) {
        const vf_gate *g = &v->gates[i];
        json_t *o = json_object();
        uint32_t s, e;
        unsigned line, col;
        gate_span(g, &s, &e);
        linecol(g->mig, s, &line, &col);
        json_object_set_new(o, "code", json_string(g->code));
        json_object_set_new(o, "migration_id", str_or_null(g->migration));
        json_object_set_new(o, "file", str_or_null(g->file));
        json_object_set_new(o, "line", line ? json_integer(line) : json_null());
        json_object_set_new(o, "recorded_checksum", str_or_null(g->recorded));
        json_object_set_new(o, "checksum", str_or_null(g->current));
        json_object_set_new(o, "message", json_string(g->message ? g->message : ""));
        json_object_set_new(o, "hint", str_or_null(g->hint));
        json_array_append_new(errs, o);
    }
    json_object_set_new(root, "errors", errs);
    json_t *notes = json_array();
    for (size_t i = 0; i < v->nnotes; i++) {
        const vf_note *n = &v->notes[i];
        json_t *o = json_object();
        unsigned line, col;
        linecol(n->mig, n->start, &line, &col);
        json_object_set_new(o, "code", json_string("verify.opaque"));
        json_object_set_new(o, "migration_id", json_string(n->mig->id));
        json_object_set_new(o, "step_index", json_integer(n->step));
        json_object_set_new(o, "file", str_or_null(n->mig->file));
        json_object_set_new(o, "line", line ? json_integer(line) : json_null());
        json_array_append_new(notes, o);
    }
    json_object_set_new(root, "notes", notes);
    json_object_set_new(root, "diagnostics", diags_to_json(&v->d));
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!s) {
        cli_error(v->c, "out of memory");
        return JY_EXIT_ERROR;
    }
    fputs(s, v->c->out);
    fputc('\n', v->c->out);
    free(s);
    return rc;
}

/*
 * The file= of an annotation: relative to the repository's root when it is
 * known (--base), since GitHub resolves it there whatever the folder verify
 * ran in; else the path as verify prints it.  In v->a.
 */
static const char *gh_path(vf_ctx *v, const ir_migration *m)
{
    bool from_git;
    const char *f = repo_path(v, m, &from_git);
    if (!v->mode.toplevel)
        return f;
    const char *slash = strrchr(f, '/');
    const char *dir = slash ? jy_arena_strndup(v->a, f, (size_t)(slash - f)) : ".";
    const char *name = slash ? slash + 1 : f;
    char *real = dir ? realpath(*dir ? dir : "/", NULL) : NULL;
    size_t tn = strlen(v->mode.toplevel);
    const char *out = f;
    if (real && strncmp(real, v->mode.toplevel, tn) == 0 && (real[tn] == '/' || !real[tn]))
        out = real[tn] ? jy_arena_printf(v->a, "%s/%s", real + tn + 1, name)
                       : jy_arena_strdup(v->a, name);
    free(real);
    return out ? out : f;
}

/* GitHub workflow command escaping: data (message) and property values. */
static void gh_put(FILE *out, const char *s, bool property)
{
    for (; s && *s; s++) {
        if (*s == '%')
            fputs("%25", out);
        else if (*s == '\r')
            fputs("%0D", out);
        else if (*s == '\n')
            fputs("%0A", out);
        else if (property && *s == ':')
            fputs("%3A", out);
        else if (property && *s == ',')
            fputs("%2C", out);
        else
            fputc(*s, out);
    }
}

/* ::error file=F,line=L,col=C,title=T::MESSAGE */
static void gh_line(FILE *out, const char *level, const char *file, unsigned line, unsigned col,
                    const char *title, const char *msg)
{
    fprintf(out, "::%s ", level);
    if (file && *file) {
        fputs("file=", out);
        gh_put(out, file, true);
        if (line)
            fprintf(out, ",line=%u", line);
        if (col)
            fprintf(out, ",col=%u", col);
        fputc(',', out);
    }
    fputs("title=", out);
    gh_put(out, title, true);
    fputs("::", out);
    gh_put(out, msg, false);
    fputc('\n', out);
}

static void print_github(vf_ctx *v)
{
    FILE *out = v->c->out;
    for (size_t i = 0; i < v->d.n; i++) {
        const jy_diag *g = &v->d.v[i];
        unsigned l = 0, c = 0;
        if (g->src)
            jy_source_linecol(g->src, g->offset, &l, &c);
        /* no file property without a position: GitHub would look for a file
         * named like `where` ("git", "--base") */
        const char *msg = jy_arena_printf(v->a, "%s%s%s%s%s%s", !g->src && g->where ? g->where : "",
                                          !g->src && g->where ? ": " : "",
                                          g->message ? g->message : "", g->hint ? " (" : "",
                                          g->hint ? g->hint : "", g->hint ? ")" : "");
        gh_line(out, g->sev == JY_SEV_ERROR ? "error" : g->sev == JY_SEV_WARNING ? "warning"
                                                                                : "notice",
                g->src ? g->src->path : NULL, l, c, g->code ? g->code : "joryu",
                msg ? msg : "");
    }
    for (size_t i = 0; i < v->ngates; i++) {
        const vf_gate *g = &v->gates[i];
        uint32_t s, e;
        unsigned line, col;
        gate_span(g, &s, &e);
        linecol(g->mig, s, &line, &col);
        const char *file = g->mig ? gh_path(v, g->mig) : g->file;
        const char *msg = jy_arena_printf(v->a, "%s. %s", g->message, g->hint ? g->hint : "");
        gh_line(out, "error", file, line, col, jy_arena_printf(v->a, "joryu %s", g->code),
                msg ? msg : g->message);
    }
    for (size_t i = 0; i < v->nconf; i++) {
        const ir_conflict *k = &v->conf[i];
        const ir_opref *at, *other;
        pick_sides(v, k, &at, &other);
        unsigned line, col, oline, ocol;
        linecol(at->mig, at->start, &line, &col);
        linecol(other->mig, other->start, &oline, &ocol);
        const char *ofile = other->mig ? other->mig->file : other->migration;
        const char *msg = jy_arena_printf(v->a, "%s (other op: %s:%u). %s %s", k->message, ofile,
                                          oline, k->why ? k->why : "", k->fix ? k->fix : "");
        gh_line(out, "error", gh_path(v, at->mig), line, col,
                jy_arena_printf(v->a, "joryu verify: %s", ir_conflict_kind_name(k->kind)),
                msg ? msg : k->message);
    }
    for (size_t i = 0; i < v->nnotes; i++) {
        const vf_note *n = &v->notes[i];
        unsigned line, col;
        linecol(n->mig, n->start, &line, &col);
        const char *msg = jy_arena_printf(
            v->a,
            "step %u of %s runs raw SQL that verify cannot see into: check by hand that it "
            "commutes with the concurrent migrations, or declare its effects with "
            "op.declare_schema_change(...)",
            n->step + 1, n->mig->id);
        gh_line(out, "notice", gh_path(v, n->mig), line, col,
                "joryu verify: raw SQL", msg ? msg : "");
    }
    if (!v->d.nerrors)
        print_verdict(v, false);
}

/* ------------------------------------------------------------ the command */

static int parse_format(cli_ctx *c, const cli_args *a, vf_format *f)
{
    const char *fmt = cli_str(a, "format");
    if (cli_has(a, "json")) {
        if (fmt && strcmp(fmt, "json") != 0) {
            cli_error(c, "--json and --format=%s contradict each other", fmt);
            cli_hint(c, "give one of them");
            return -1;
        }
        fmt = "json";
    }
    if (!fmt || strcmp(fmt, "text") == 0)
        *f = VF_TEXT;
    else if (strcmp(fmt, "json") == 0)
        *f = VF_JSON;
    else if (strcmp(fmt, "github") == 0)
        *f = VF_GITHUB;
    else {
        cli_error(c, "unknown --format '%s'", fmt);
        cli_hint(c, "use --format=text (default), --format=json or --format=github");
        return -1;
    }
    return 0;
}

/*
 * Decide what to compare with when neither --db nor --base is given: the
 * default database (JORYU_DATABASE_URL, [database] url) when there is one,
 * else [verify] base.  Returns 0 and sets *use_db or *base, or -1 with an
 * error saying how to give one.
 */
static int default_mode(vf_ctx *v, bool *use_db, const char **base)
{
    jy_diags scratch;
    jy_diags_init(&scratch);
    char *url = NULL;
    rt_url_origin origin;
    int rc = rt_config_database_url(&v->cfg, NULL, &url, &origin, &scratch);
    free(url);
    if (rc == 0) {
        jy_diags_free(&scratch);
        *use_db = true;
        return 0;
    }
    if (v->cfg.verify_base) {
        jy_diags_free(&scratch);
        *base = v->cfg.verify_base;
        return 0;
    }
    /* an env: URL whose variable is unset is worth saying */
    for (size_t i = 0; i < scratch.n; i++)
        if (scratch.v[i].code && strcmp(scratch.v[i].code, "config.env-unset") == 0) {
            jy_diags_move(&v->d, &scratch);
            break;
        }
    jy_diags_free(&scratch);
    jy_diag *g = jy_diag_where(&v->d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.nothing-to-compare",
                               NULL,
                               "verify needs to know which migrations are concurrent: give "
                               "--base REF (a git branch) or --db URL (a database)");
    jy_diag_hint(g, "or set [verify] base = \"origin/main\" or [database] url in joryu.toml");
    return -1;
}

int cc_verify(cli_ctx *c, const cli_args *a)
{
    vf_format fmt;
    if (parse_format(c, a, &fmt) != 0)
        return JY_EXIT_ERROR;
    vf_ctx v;
    memset(&v, 0, sizeof v);
    v.c = c;
    jy_diags_init(&v.d);
    v.a = jy_arena_new();
    int rc = 0;
    if (!v.a) {
        cli_error(c, "out of memory");
        return JY_EXIT_ERROR;
    }
    int crc = rt_config_load(CLI_CONFIG_FILE, &v.cfg, &v.d);
    if (crc < 0)
        goto out;
    if (crc == 1 && a->npos == 0) {
        jy_diag *g = jy_diag_where(&v.d, JY_SEV_ERROR, JY_EXIT_ERROR, "cli.no-project",
                                   CLI_CONFIG_FILE,
                                   "no joryu.toml here: run `joryu init` to create a project "
                                   "in this folder");
        jy_diag_hint(g, "or name the migrations folder: %s verify DIR", c->prog->name);
        goto out;
    }
    v.dir = a->npos ? a->pos[0] : v.cfg.migrations_dir;
    v.targets = v.cfg.targets ? v.cfg.targets : IR_DMASK_DEFAULT;
    struct stat st;
    if (stat(v.dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        jy_diag *g = jy_diag_where(&v.d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.no-dir", v.dir,
                                   "'%s' is not a migrations folder", v.dir);
        jy_diag_hint(g, "verify compares the migrations of a folder: name one, or set "
                        "[joryu] migrations_dir in joryu.toml");
        goto out;
    }
    const char *base = cli_str(a, "base");
    const char *db = cli_str(a, "db");
    bool use_db = db != NULL;
    if (!base && !db && default_mode(&v, &use_db, &base) != 0)
        goto out;
    v.work = compile_dir(&v, v.dir);
    if (!v.work)
        goto out;
    if (use_db && run_db(&v, db, cli_has(a, "pending-pairs")) != 0)
        goto out;
    if (base)
        run_base(&v, base);
out:
    if (v.d.nerrors)
        rc = v.d.exit_code ? v.d.exit_code : JY_EXIT_ERROR;
    else if (v.nconf || v.ngates)
        rc = JY_EXIT_VERIFY;
    switch (fmt) {
    case VF_JSON:
        rc = print_json(&v, rc);
        break;
    case VF_GITHUB:
        print_github(&v);
        cli_print_diags(c, &v.d);
        break;
    case VF_TEXT:
        cli_print_diags(c, &v.d);
        if (!v.d.nerrors)
            print_text(&v);
        break;
    }
    for (size_t i = 0; i < v.nprogs; i++)
        ir_program_free(v.progs[i]);
    free(v.progs);
    jy_diags_free(&v.d);
    rt_config_free(&v.cfg);
    jy_arena_free(v.a);
    return rc;
}
