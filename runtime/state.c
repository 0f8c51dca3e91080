/*
 * state.c - joryu's state tables (reference §9.2): joryu_migrations and
 * joryu_migration_steps, created by rt_state_ensure, read by rt_state_read,
 * written by the rt_state_* writers (docs/SPEC.md "State tables").
 *
 * Every writer is one statement with bound parameters, run on the
 * connection as it is: inside the caller's transaction when one is open,
 * autocommitted otherwise.  The writers store what they are told; which
 * transitions are legal is the VM's business (vm/exec.c).
 */
#include "driver_int.h"

#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------- status names */

/* Indexed by rt_mig_status / rt_step_status: the strings stored in the
 * status columns (reference §9.2). */
static const char *const mig_status_names[] = {"none",   "pending", "running",
                                               "applied", "failed", "paused"};
static const char *const step_status_names[] = {"pending", "running", "done", "failed",
                                                "skipped"};

const char *rt_mig_status_name(rt_mig_status s)
{
    return (unsigned)s < JY_COUNTOF(mig_status_names) ? mig_status_names[s] : "?";
}

const char *rt_step_status_name(rt_step_status s)
{
    return (unsigned)s < JY_COUNTOF(step_status_names) ? step_status_names[s] : "?";
}

/* "none" is not a stored value: it does not parse. */
bool rt_mig_status_parse(const char *s, rt_mig_status *out)
{
    for (size_t i = RT_MS_PENDING; s && i < JY_COUNTOF(mig_status_names); i++)
        if (strcmp(s, mig_status_names[i]) == 0) {
            *out = (rt_mig_status)i;
            return true;
        }
    return false;
}

bool rt_step_status_parse(const char *s, rt_step_status *out)
{
    for (size_t i = 0; s && i < JY_COUNTOF(step_status_names); i++)
        if (strcmp(s, step_status_names[i]) == 0) {
            *out = (rt_step_status)i;
            return true;
        }
    return false;
}

/* -------------------------------------------------------------- the DDL */

/*
 * The tables of reference §9.2, per database family.  The steps' foreign
 * key cascades so that deleting a migration row deletes its steps in the
 * same statement (rt_state_mig_delete).  MySQL/MariaDB: the status index is
 * declared inside CREATE TABLE (MySQL has no CREATE INDEX IF NOT EXISTS),
 * started_at has an explicit default so that a server running with
 * explicit_defaults_for_timestamp=OFF does not add ON UPDATE
 * CURRENT_TIMESTAMP to it, and the binary collation makes ids compare
 * byte for byte.
 */
static const char ddl_pg[] =
    "CREATE TABLE IF NOT EXISTS joryu_migrations (\n"
    "    id            VARCHAR(120) PRIMARY KEY,\n"
    "    checksum      VARCHAR(80)  NOT NULL,\n"
    "    status        VARCHAR(20)  NOT NULL,\n"
    "    started_at    TIMESTAMP    NOT NULL,\n"
    "    finished_at   TIMESTAMP    NULL,\n"
    "    joryu_version VARCHAR(20)  NOT NULL,\n"
    "    dialect       VARCHAR(20)  NOT NULL,\n"
    "    last_error    TEXT         NULL,\n"
    "    pause_reason  TEXT         NULL\n"
    ");\n"
    "CREATE INDEX IF NOT EXISTS idx_joryu_migrations_status ON joryu_migrations (status);\n"
    "CREATE TABLE IF NOT EXISTS joryu_migration_steps (\n"
    "    migration_id   VARCHAR(120) NOT NULL\n"
    "                   REFERENCES joryu_migrations (id) ON DELETE CASCADE,\n"
    "    step_index     INTEGER      NOT NULL,\n"
    "    op_kind        VARCHAR(40)  NOT NULL,\n"
    "    op_fingerprint VARCHAR(80)  NOT NULL,\n"
    "    status         VARCHAR(20)  NOT NULL,\n"
    "    started_at     TIMESTAMP    NOT NULL,\n"
    "    finished_at    TIMESTAMP    NULL,\n"
    "    progress       TEXT         NULL,\n"
    "    PRIMARY KEY (migration_id, step_index)\n"
    ")";

/* SQLite: the same text (its type names take the same affinities). */
#define ddl_sqlite ddl_pg

static const char ddl_mysql[] =
    "CREATE TABLE IF NOT EXISTS joryu_migrations (\n"
    "    id            VARCHAR(120) NOT NULL PRIMARY KEY,\n"
    "    checksum      VARCHAR(80)  NOT NULL,\n"
    "    status        VARCHAR(20)  NOT NULL,\n"
    "    started_at    TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
    "    finished_at   TIMESTAMP    NULL DEFAULT NULL,\n"
    "    joryu_version VARCHAR(20)  NOT NULL,\n"
    "    dialect       VARCHAR(20)  NOT NULL,\n"
    "    last_error    TEXT         NULL,\n"
    "    pause_reason  TEXT         NULL,\n"
    "    INDEX idx_joryu_migrations_status (status)\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;\n"
    "CREATE TABLE IF NOT EXISTS joryu_migration_steps (\n"
    "    migration_id   VARCHAR(120) NOT NULL,\n"
    "    step_index     INTEGER      NOT NULL,\n"
    "    op_kind        VARCHAR(40)  NOT NULL,\n"
    "    op_fingerprint VARCHAR(80)  NOT NULL,\n"
    "    status         VARCHAR(20)  NOT NULL,\n"
    "    started_at     TIMESTAMP    NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
    "    finished_at    TIMESTAMP    NULL DEFAULT NULL,\n"
    "    progress       TEXT         NULL,\n"
    "    PRIMARY KEY (migration_id, step_index),\n"
    "    CONSTRAINT fk_joryu_migration_steps_migration FOREIGN KEY (migration_id)\n"
    "        REFERENCES joryu_migrations (id) ON DELETE CASCADE\n"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

/*
 * How many of joryu's state objects exist in the connection's own schema
 * (PostgreSQL current_schema(), MySQL DATABASE(), SQLite main): the two
 * tables, and with `with_index` the status index too.  Returns the count,
 * or -1 with the driver's diagnostic.  *has_migs / *has_steps tell which
 * table is there (either may be NULL).
 */
static int count_objects(rt_conn *c, bool with_index, bool *has_migs, bool *has_steps,
                         jy_diags *d)
{
    const char *sql;
    switch (c->url.kind) {
    case RT_DB_POSTGRESQL:
        sql = "SELECT c.relname FROM pg_catalog.pg_class c"
              " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
              " WHERE n.nspname = current_schema() AND c.relname IN"
              " ('joryu_migrations', 'joryu_migration_steps', 'idx_joryu_migrations_status')";
        break;
    case RT_DB_SQLITE:
        sql = "SELECT name FROM main.sqlite_master WHERE name IN"
              " ('joryu_migrations', 'joryu_migration_steps', 'idx_joryu_migrations_status')";
        break;
    default:
        sql = "SELECT table_name FROM information_schema.tables"
              " WHERE table_schema = DATABASE() AND table_name IN"
              " ('joryu_migrations', 'joryu_migration_steps')"
              " UNION ALL SELECT DISTINCT index_name FROM information_schema.statistics"
              " WHERE table_schema = DATABASE() AND table_name = 'joryu_migrations'"
              " AND index_name = 'idx_joryu_migrations_status'";
        break;
    }
    rt_rows *r = NULL;
    if (rt_query(c, sql, NULL, 0, &r, d) != 0)
        return -1;
    int n = 0;
    bool m = false, s = false;
    for (size_t i = 0; i < r->nrows; i++) {
        const char *name = rt_rows_cell(r, i, 0);
        if (!name)
            continue;
        if (strcmp(name, "joryu_migrations") == 0)
            m = true, n++;
        else if (strcmp(name, "joryu_migration_steps") == 0)
            s = true, n++;
        else if (with_index)
            n++;
    }
    rt_rows_free(r);
    if (has_migs)
        *has_migs = m;
    if (has_steps)
        *has_steps = s;
    return n;
}

/* PostgreSQL: two sessions creating the same table at once can fail on the
 * catalog's unique index (23505) or with "already exists" (42P07, 42710
 * for the index). */
static bool pg_race_code(const char *code)
{
    return code && (strcmp(code, "23505") == 0 || strcmp(code, "42P07") == 0 ||
                    strcmp(code, "42710") == 0);
}

/* The connection's last error, kept across the statements that undo a
 * failed step (they would overwrite it). */
typedef struct saved_err {
    char *msg, *code, *st;
} saved_err;

static saved_err err_save(const rt_conn *c)
{
    saved_err e = {c->err_message ? strdup(c->err_message) : NULL,
                   c->err_code ? strdup(c->err_code) : NULL,
                   c->err_statement ? strdup(c->err_statement) : NULL};
    return e;
}

/* Make e the connection's last error again (with a diagnostic when d is
 * not NULL) and free it.  Returns -1. */
static int err_restore(rt_conn *c, saved_err *e, jy_diags *d)
{
    rt__sql_error(c, d, e->msg, e->code, e->st);
    free(e->msg), free(e->code), free(e->st);
    return -1;
}

/*
 * Run the DDL once, atomically where the database allows it: PostgreSQL
 * runs a multi-statement string as one transaction (or inside a savepoint
 * of the caller's); SQLite inside BEGIN IMMEDIATE (or a savepoint).  MySQL
 * commits DDL implicitly whatever we do; there CREATE TABLE IF NOT EXISTS
 * does not add an index to a table that exists, so a missing status index
 * is created on its own (a concurrent applier's is as good: error 1061).
 * Diagnostics go to d only when `report` (a lost PostgreSQL race is
 * retried quietly).
 */
static int create_once(rt_conn *c, bool report, jy_diags *d)
{
    jy_diags *dd = report ? d : NULL;
    switch (c->url.kind) {
    case RT_DB_MYSQL: {
        if (rt_exec(c, ddl_mysql, dd) != 0)
            return -1;
        int n = count_objects(c, true, NULL, NULL, dd);
        if (n < 0)
            return -1;
        if (n >= 3)
            return 0;
        if (rt_exec(c, "CREATE INDEX idx_joryu_migrations_status ON joryu_migrations (status)",
                    NULL) == 0 ||
            (c->err_code && strncmp(c->err_code, "1061/", 5) == 0))
            return 0;
        saved_err e = err_save(c);
        return err_restore(c, &e, dd);
    }
    case RT_DB_POSTGRESQL:
        if (!c->in_tx)
            return rt_exec(c, ddl_pg, dd);
        break;
    case RT_DB_SQLITE:
        if (!c->in_tx) {
            if (rt_exec(c, "BEGIN IMMEDIATE", dd) != 0)
                return -1;
            if (rt_exec(c, ddl_sqlite, NULL) != 0 || rt_exec(c, "COMMIT", NULL) != 0) {
                saved_err e = err_save(c);
                rt_exec(c, "ROLLBACK", NULL);
                return err_restore(c, &e, dd);
            }
            return 0;
        }
        break;
    }
    /* inside the caller's transaction: a savepoint keeps a failure from
     * aborting it (PostgreSQL) or leaving half the tables (SQLite) */
    const char *sp = "joryu_state_ensure";
    if (rt_savepoint(c, sp, dd) != 0)
        return -1;
    if (rt_exec(c, c->url.kind == RT_DB_SQLITE ? ddl_sqlite : ddl_pg, NULL) != 0) {
        saved_err e = err_save(c);
        rt_rollback_to(c, sp, NULL);
        rt_release(c, sp, NULL);
        return err_restore(c, &e, dd);
    }
    return rt_release(c, sp, dd);
}

/*
 * Create the tables and the status index when missing.  Fast path: when
 * all three objects exist nothing is run (no DDL: on MySQL DDL would commit
 * the caller's transaction).  A PostgreSQL race lost to another applier is
 * retried after re-checking: the winner's tables are as good as ours.
 */
int rt_state_ensure(rt_conn *c, jy_diags *d)
{
    int n = count_objects(c, true, NULL, NULL, d);
    if (n < 0)
        return -1;
    if (n == 3)
        return 0;
    if (c->url.kind != RT_DB_POSTGRESQL)
        return create_once(c, true, d);
    for (int attempt = 0;; attempt++) {
        if (create_once(c, false, d) == 0)
            return 0;
        if (attempt >= 4 || !pg_race_code(c->err_code)) {
            saved_err e = err_save(c);
            return err_restore(c, &e, d);
        }
        /* the other applier's transaction has committed by now (we waited
         * on its catalog rows): re-check */
        n = count_objects(c, true, NULL, NULL, d);
        if (n < 0)
            return -1;
        if (n == 3)
            return 0;
    }
}

/* ------------------------------------------------------------- loading */

static int cmp_mig(const void *a, const void *b)
{
    return strcmp(((const rt_mig_row *)a)->id, ((const rt_mig_row *)b)->id);
}

/* A step row read before it is attached to its migration. */
typedef struct loose_step {
    char *migration_id;
    rt_step_row row;
} loose_step;

static int cmp_loose(const void *a, const void *b)
{
    const loose_step *x = a, *y = b;
    int k = strcmp(x->migration_id, y->migration_id);
    if (k)
        return k;
    return x->row.step_index < y->row.step_index ? -1 : x->row.step_index > y->row.step_index;
}


static const char *where_of(const rt_conn *c)
{
    return c->url.redacted ? c->url.redacted : "database";
}

static void corrupt_mig(rt_conn *c, jy_diags *d, const char *id, const char *status)
{
    jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.state-corrupt", where_of(c),
                               "joryu_migrations row '%s' has status '%s', which joryu does "
                               "not know",
                               id, status ? status : "NULL");
    if (g)
        jy_diag_hint(g, "the row was edited by hand or by a newer joryu: set it with "
                        "`joryu mark %s --as=applied|failed|pending`, or use that joryu",
                     id);
}

/*
 * Run a parameterless query and hand its rows to fn one at a time: through
 * the driver's `each` (the rows are never all held: issue 4, joryu-run's
 * memory), or from a whole rt_query result.  0, fn's nonzero return, or -1
 * with the driver's diagnostic.
 */
static int rows_each(rt_conn *c, const char *sql, rt_row_fn fn, void *ctx, jy_diags *d)
{
    rt__clear_error(c);
    if (c->drv->each)
        return c->drv->each(c, sql, fn, ctx, d);
    rt_rows *r = NULL;
    if (rt_query(c, sql, NULL, 0, &r, d) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < r->nrows && rc == 0; i++)
        rc = fn(ctx, r->cells + i * r->ncols, r->ncols);
    rt_rows_free(r);
    return rc;
}

/* Make room for one more element in *v (n used, *cap allocated). */
static bool reserve(void **v, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return true;
    size_t nc = *cap ? *cap * 2 : 64;
    void *p = realloc(*v, nc * size);
    if (!p)
        return false;
    *v = p;
    *cap = nc;
    return true;
}

typedef struct load_ctx {
    rt_conn *c;
    rt_state *st;
    jy_diags *d;
    size_t mcap;      /* st->migs allocated */
    size_t unfinished; /* migration rows whose status is not applied */
    loose_step *v;    /* step rows not yet attached */
    size_t n, cap;
    int rc;           /* -1 once a row was refused (the others are still read) */
} load_ctx;

/* Move a cell out of a row (the driver frees what is left). */
static char *take_cell(char **cells, size_t i)
{
    char *v = cells[i];
    cells[i] = NULL;
    return v;
}

/* A copy of a cell in the state's arena (NULL stays NULL): the strings of
 * thousands of rows in a few blocks, not one allocation each. */
static char *keep_cell(load_ctx *x, char **cells, size_t i)
{
    return cells[i] ? jy_arena_strdup(x->st->arena, cells[i]) : NULL;
}

/* The details of a migration row (started_at ... pause_reason: cells[0..5]). */
static void keep_details(load_ctx *x, rt_mig_row *m, char **cells)
{
    m->started_at = keep_cell(x, cells, 0);
    m->finished_at = keep_cell(x, cells, 1);
    m->joryu_version = keep_cell(x, cells, 2);
    m->dialect = keep_cell(x, cells, 3);
    m->last_error = keep_cell(x, cells, 4);
    m->pause_reason = keep_cell(x, cells, 5);
}

/* One row of MIG_LEAN (3 columns: id, checksum, status) or MIG_FULL (9:
 * the details follow). */
static int mig_row(void *ctx, char **cells, size_t ncols)
{
    load_ctx *x = ctx;
    rt_state *st = x->st;
    if (ncols != 3 && ncols < 9)
        return rt__sql_error(x->c, x->d, "joryu_migrations has too few columns", NULL, NULL);
    const char *status = cells[2];
    const char *id = cells[0];
    if (!id)
        return 0;
    void *v = st->migs;
    if (!reserve(&v, st->n, &x->mcap, sizeof *st->migs))
        return rt__sql_error(x->c, x->d, "out of memory reading joryu_migrations", NULL, NULL);
    st->migs = v;
    rt_mig_row *m = &st->migs[st->n];
    memset(m, 0, sizeof *m);
    if (!rt_mig_status_parse(status, &m->status)) {
        corrupt_mig(x->c, x->d, id, status);
        x->rc = -1;
        return 0;
    }
    m->id = keep_cell(x, cells, 0);
    m->checksum = keep_cell(x, cells, 1);
    if (ncols >= 9)
        keep_details(x, m, cells + 3);
    if (!m->id)
        return rt__sql_error(x->c, x->d, "out of memory reading joryu_migrations", NULL, NULL);
    x->unfinished += m->status != RT_MS_APPLIED;
    st->n++;
    return 0;
}

#define MIG_LEAN "SELECT id, checksum, status FROM joryu_migrations"
#define MIG_FULL                                                                         \
    "SELECT id, checksum, status, started_at, finished_at, joryu_version, dialect,"      \
    " last_error, pause_reason FROM joryu_migrations"

/* Read the migration rows into st (sorted by id): all columns, or with
 * `lean` id, checksum and status only.  0 or -1. */
static int load_migs(load_ctx *x, bool lean)
{
    if (rows_each(x->c, lean ? MIG_LEAN : MIG_FULL, mig_row, x, x->d) != 0)
        return -1;
    if (x->st->n > 1)
        qsort(x->st->migs, x->st->n, sizeof *x->st->migs, cmp_mig);
    return x->rc;
}

/* One step row: cells[0..7] are migration_id, step_index, op_kind,
 * op_fingerprint, status, started_at, finished_at, progress. */
static int step_row(void *ctx, char **cells, size_t ncols)
{
    load_ctx *x = ctx;
    if (ncols < 8)
        return rt__sql_error(x->c, x->d, "joryu_migration_steps has too few columns", NULL,
                             NULL);
    const char *mid = cells[0];
    const char *idx = cells[1];
    const char *status = cells[4];
    if (!mid)
        return 0;
    char *end = NULL;
    unsigned long long k = idx ? strtoull(idx, &end, 10) : 0;
    if (!idx || !*idx || *end || *idx == '-' || k > UINT32_MAX) {
        jy_diag_where(x->d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.state-corrupt", where_of(x->c),
                      "joryu_migration_steps row of migration '%s' has step_index '%s', "
                      "which is not a step number",
                      mid, idx ? idx : "NULL");
        x->rc = -1;
        return 0;
    }
    void *vv = x->v;
    if (!reserve(&vv, x->n, &x->cap, sizeof *x->v))
        return rt__sql_error(x->c, x->d, "out of memory reading joryu_migration_steps", NULL,
                             NULL);
    x->v = vv;
    loose_step *s = &x->v[x->n];
    memset(s, 0, sizeof *s);
    if (!rt_step_status_parse(status, &s->row.status)) {
        jy_diag *g = jy_diag_where(x->d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.state-corrupt",
                                   where_of(x->c),
                                   "joryu_migration_steps row of migration '%s', step %llu "
                                   "(step_index %llu), has status '%s', which joryu does "
                                   "not know",
                                   mid, k + 1, k, status ? status : "NULL");
        if (g)
            jy_diag_hint(g, "the row was edited by hand or by a newer joryu: set it with "
                            "`joryu mark %s.%llu --as=...`, or use that joryu",
                         mid, k + 1);
        x->rc = -1;
        return 0;
    }
    s->row.step_index = (uint32_t)k;
    s->migration_id = take_cell(cells, 0);
    s->row.op_kind = keep_cell(x, cells, 2);
    s->row.op_fingerprint = keep_cell(x, cells, 3);
    s->row.started_at = keep_cell(x, cells, 5);
    s->row.finished_at = keep_cell(x, cells, 6);
    s->row.progress = keep_cell(x, cells, 7);
    x->n++;
    return 0;
}

/* The migration row of st with this id (st sorted), mutable. */
static rt_mig_row *find_mig(rt_state *st, const char *id)
{
    return (rt_mig_row *)rt_state_find(st, id);
}

/* One row of UNFINISHED: a step row (cells[0..7], all NULL for a
 * migration without steps) and its migration's details (cells[9..14]). */
static int unfinished_row(void *ctx, char **cells, size_t ncols)
{
    load_ctx *x = ctx;
    if (ncols < 15)
        return rt__sql_error(x->c, x->d, "joryu_migrations has too few columns", NULL, NULL);
    rt_mig_row *m = cells[8] ? find_mig(x->st, cells[8]) : NULL;
    if (m && !m->started_at) /* started_at is NOT NULL: set once per migration */
        keep_details(x, m, cells + 9);
    return step_row(ctx, cells, 8);
}

/*
 * The step rows of every migration (STEPS_ALL), or the steps and the
 * details of the unfinished migrations only (UNFINISHED: one statement,
 * the index on status finds them; without the steps table the step columns
 * are NULL).  `IN` lists the stored statuses other than applied: a row
 * with another status was refused by mig_row already.
 */
#define STEP_COLUMNS(t)                                                                  \
    t "migration_id, " t "step_index, " t "op_kind, " t "op_fingerprint, " t "status, " t \
      "started_at, " t "finished_at, " t "progress"
#define STEPS_ALL "SELECT " STEP_COLUMNS("") " FROM joryu_migration_steps"
#define UNFINISHED_DETAILS                                                               \
    " m.id, m.started_at, m.finished_at, m.joryu_version, m.dialect, m.last_error,"     \
    " m.pause_reason FROM joryu_migrations m"
#define UNFINISHED_WHERE " WHERE m.status IN ('pending', 'running', 'failed', 'paused')"
#define UNFINISHED                                                                       \
    "SELECT " STEP_COLUMNS("s.") "," UNFINISHED_DETAILS                                  \
    " LEFT JOIN joryu_migration_steps s ON s.migration_id = m.id" UNFINISHED_WHERE
#define UNFINISHED_NO_STEPS                                                              \
    "SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL," UNFINISHED_DETAILS            \
    UNFINISHED_WHERE

/* Attach the loose steps of x to their migrations (sorted by step_index);
 * steps of a migration without a row are left out.  Frees x->v. */
static int attach_steps(load_ctx *x)
{
    rt_state *st = x->st;
    loose_step *v = x->v;
    size_t n = x->n;
    int rc = x->rc;
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_loose);
    /* both lists are sorted by id: walk them together */
    size_t j = 0;
    for (size_t i = 0; i < st->n && rc == 0; i++) {
        rt_mig_row *m = &st->migs[i];
        while (j < n && strcmp(v[j].migration_id, m->id) < 0) {
            free(v[j].migration_id); /* orphan */
            j++;
        }
        size_t k = j;
        while (k < n && strcmp(v[k].migration_id, m->id) == 0)
            k++;
        if (k > j) {
            m->steps = calloc(k - j, sizeof *m->steps);
            if (!m->steps) {
                rc = rt__sql_error(x->c, x->d, "out of memory reading joryu_migration_steps",
                                   NULL, NULL);
                break;
            }
            for (size_t t = j; t < k; t++) {
                m->steps[m->nsteps++] = v[t].row;
                free(v[t].migration_id);
                v[t].migration_id = NULL;
                memset(&v[t].row, 0, sizeof v[t].row);
            }
        }
        j = k;
    }
    for (; j < n; j++)
        free(v[j].migration_id);
    free(v);
    x->v = NULL;
    x->n = x->cap = 0;
    return rc;
}

/*
 * Read the state (see rt_state_read).  The statements: one catalog query,
 * the migration rows, and the step rows - with RT_STATE_UNFINISHED only
 * when some migration is not applied, joined with those migrations'
 * details.  No count(*) first: the arrays grow.  On any error st is left
 * empty (exists false).
 */
int rt_state_read(rt_conn *c, unsigned flags, rt_state *st, jy_diags *d)
{
    memset(st, 0, sizeof *st);
    bool has_migs = false, has_steps = false;
    int nobj = count_objects(c, true, &has_migs, &has_steps, d);
    if (nobj < 0)
        return -1;
    if (!has_migs)
        return 0;
    st->exists = true;
    st->ready = nobj == 3;
    if (!(st->arena = jy_arena_new())) {
        memset(st, 0, sizeof *st);
        return rt__sql_error(c, d, "out of memory reading joryu_migrations", NULL, NULL);
    }
    bool lean = flags & RT_STATE_UNFINISHED;
    load_ctx x = {.c = c, .st = st, .d = d};
    int rc = load_migs(&x, lean);
    if (rc == 0 && lean && x.unfinished)
        rc = rows_each(c, has_steps ? UNFINISHED : UNFINISHED_NO_STEPS, unfinished_row, &x, d);
    else if (rc == 0 && !lean && has_steps)
        rc = rows_each(c, STEPS_ALL, step_row, &x, d);
    if (rc != 0)
        x.rc = -1;
    if (attach_steps(&x) != 0) {
        rt_state_free(st);
        return -1;
    }
    if (jy_arena_failed(st->arena)) {
        rt_state_free(st);
        return rt__sql_error(c, d, "out of memory reading the state tables", NULL, NULL);
    }
    return 0;
}

int rt_state_load(rt_conn *c, rt_state *st, jy_diags *d)
{
    return rt_state_read(c, 0, st, d);
}

int rt_state_load_unfinished(rt_conn *c, rt_state *st, jy_diags *d)
{
    return rt_state_read(c, RT_STATE_UNFINISHED, st, d);
}

void rt_state_free(rt_state *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->n; i++)
        free(st->migs[i].steps);
    free(st->migs);
    jy_arena_free(st->arena);
    memset(st, 0, sizeof *st);
}

/* Binary search (the rows are sorted by id with strcmp). */
const rt_mig_row *rt_state_find(const rt_state *st, const char *id)
{
    if (!st || !id)
        return NULL;
    size_t lo = 0, hi = st->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int k = strcmp(st->migs[mid].id, id);
        if (k == 0)
            return &st->migs[mid];
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ------------------------------------------------------------- writers */

/* Most bytes of last_error / pause_reason that are stored (reference §9.2). */
#define TEXT_MAX 4096

/*
 * A copy of s fit for a TEXT column: invalid UTF-8 bytes become '?' (a
 * server's message in another encoding must not make the write fail), then
 * cut to at most TEXT_MAX bytes at a character boundary.  NULL stays NULL;
 * *oom is set when memory fails.
 */
static char *clean_text(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *o = malloc(n + 1);
    if (!o) {
        *oom = true;
        return NULL;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, len = 0;
    while (i < n) {
        unsigned char b = p[i];
        size_t need = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3
                                                          : (b & 0xF8) == 0xF0 ? 4 : 0;
        bool valid = need > 0 && i + need <= n && !(need == 2 && b < 0xC2) &&
                     !(need == 4 && b > 0xF4);
        for (size_t k = 1; valid && k < need; k++)
            valid = (p[i + k] & 0xC0) == 0x80;
        if (valid && need == 3) {
            unsigned cp = (b & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu);
            valid = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF);
        }
        if (valid && need == 4) {
            unsigned cp = (b & 0x07u) << 18 | (p[i + 1] & 0x3Fu) << 12;
            valid = cp >= 0x10000 && cp <= 0x10FFFF;
        }
        if (!valid) {
            if (len + 1 > TEXT_MAX)
                break;
            o[len++] = '?';
            i++;
            continue;
        }
        if (len + need > TEXT_MAX)
            break;
        memcpy(o + len, s + i, need);
        len += need;
        i += need;
    }
    o[len] = 0;
    return o;
}

/*
 * Run one writer statement.  `sql` is written with `?` placeholders, which
 * become $1, $2, ... on PostgreSQL (rt_placeholder).  *affected (when not
 * NULL) receives the rows the statement matched.
 */
static int write1(rt_conn *c, const char *sql, const char *const *params, size_t nparams,
                  int64_t *affected, jy_diags *d)
{
    jy_buf b;
    jy_buf_init(&b);
    unsigned n = 0;
    char ph[16];
    for (const char *p = sql; *p; p++) {
        if (*p == '?')
            jy_buf_puts(&b, rt_placeholder(c, ++n, ph));
        else
            jy_buf_putc(&b, *p);
    }
    if (b.failed || n != nparams) {
        const char *why = b.failed ? "out of memory" : "wrong parameter count";
        jy_buf_free(&b);
        return rt__sql_error(c, d, why, NULL, sql);
    }
    rt_rows *r = NULL;
    int rc = rt_query(c, b.data, params, nparams, affected ? &r : NULL, d);
    jy_buf_free(&b);
    if (rc == 0 && affected)
        *affected = r ? r->affected : -1;
    rt_rows_free(r);
    return rc;
}

/* The row a writer should have changed is not there: a VM bug or a
 * concurrent hand edit.  rt.state-missing-row. */
static int missing_row(rt_conn *c, jy_diags *d, const char *table, const char *id,
                       const char *step, const char *what)
{
    jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.state-missing-row",
                               where_of(c), "%s has no row for migration '%s'%s: cannot %s",
                               table, id, step ? step : "", what);
    if (g)
        jy_diag_hint(g, "someone changed the state tables during this run; check "
                        "`joryu status` and apply again");
    return -1;
}

int rt_state_mig_begin(rt_conn *c, const char *id, const char *checksum, const char *dialect,
                       jy_diags *d)
{
    if (!dialect)
        dialect = ir_dialect_name(rt_conn_dialect(c));
    const char *p[] = {id, checksum, JORYU_VERSION, dialect, checksum, JORYU_VERSION, dialect};
    if (c->url.kind == RT_DB_MYSQL)
        return write1(c,
                      "INSERT INTO joryu_migrations (id, checksum, status, started_at,"
                      " finished_at, joryu_version, dialect, last_error, pause_reason)"
                      " VALUES (?, ?, 'running', CURRENT_TIMESTAMP, NULL, ?, ?, NULL, NULL)"
                      " ON DUPLICATE KEY UPDATE checksum = ?, status = 'running',"
                      " started_at = CURRENT_TIMESTAMP, finished_at = NULL, joryu_version = ?,"
                      " dialect = ?, last_error = NULL, pause_reason = NULL",
                      p, 7, NULL, d);
    return write1(c,
                  "INSERT INTO joryu_migrations (id, checksum, status, started_at,"
                  " finished_at, joryu_version, dialect, last_error, pause_reason)"
                  " VALUES (?, ?, 'running', CURRENT_TIMESTAMP, NULL, ?, ?, NULL, NULL)"
                  " ON CONFLICT (id) DO UPDATE SET checksum = excluded.checksum,"
                  " status = 'running', started_at = CURRENT_TIMESTAMP, finished_at = NULL,"
                  " joryu_version = excluded.joryu_version, dialect = excluded.dialect,"
                  " last_error = NULL, pause_reason = NULL",
                  p, 4, NULL, d);
}

int rt_state_mig_set(rt_conn *c, const char *id, rt_mig_status s, const char *last_error,
                     const char *pause_reason, jy_diags *d)
{
    if (s == RT_MS_NONE || (unsigned)s >= JY_COUNTOF(mig_status_names)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.state-invalid", where_of(c),
                      "cannot store status '%s' for migration '%s' (delete the row instead)",
                      rt_mig_status_name(s), id);
        return -1;
    }
    bool oom = false;
    char *err = s == RT_MS_FAILED ? clean_text(last_error, &oom) : NULL;
    char *why = s == RT_MS_PAUSED ? clean_text(pause_reason, &oom) : NULL;
    if (oom) {
        free(err), free(why);
        return rt__sql_error(c, d, "out of memory", NULL, NULL);
    }
    bool finished = s == RT_MS_APPLIED || s == RT_MS_FAILED || s == RT_MS_PAUSED;
    const char *p[] = {rt_mig_status_name(s), err, why, id};
    int64_t n = -1;
    int rc = write1(c,
                    finished ? "UPDATE joryu_migrations SET status = ?, last_error = ?,"
                               " pause_reason = ?, finished_at = CURRENT_TIMESTAMP WHERE id = ?"
                             : "UPDATE joryu_migrations SET status = ?, last_error = ?,"
                               " pause_reason = ?, finished_at = NULL WHERE id = ?",
                    p, 4, &n, d);
    free(err), free(why);
    if (rc == 0 && n == 0) {
        char what[64];
        snprintf(what, sizeof what, "set its status to %s", rt_mig_status_name(s));
        return missing_row(c, d, "joryu_migrations", id, NULL, what);
    }
    return rc;
}

int rt_state_mig_set_checksum(rt_conn *c, const char *id, const char *checksum, jy_diags *d)
{
    const char *p[] = {checksum, id};
    int64_t n = -1;
    int rc = write1(c, "UPDATE joryu_migrations SET checksum = ? WHERE id = ?", p, 2, &n, d);
    if (rc == 0 && n == 0)
        return missing_row(c, d, "joryu_migrations", id, NULL, "store its checksum");
    return rc;
}

/* Its steps go with it: the foreign key cascades. */
int rt_state_mig_delete(rt_conn *c, const char *id, jy_diags *d)
{
    const char *p[] = {id};
    return write1(c, "DELETE FROM joryu_migrations WHERE id = ?", p, 1, NULL, d);
}

int rt_state_step_begin(rt_conn *c, const char *id, uint32_t step_index, const char *op_kind,
                        const char *fingerprint, jy_diags *d)
{
    char idx[16];
    snprintf(idx, sizeof idx, "%u", (unsigned)step_index);
    const char *p[] = {id, idx, op_kind, fingerprint, op_kind, fingerprint};
    if (c->url.kind == RT_DB_MYSQL)
        return write1(c,
                      "INSERT INTO joryu_migration_steps (migration_id, step_index, op_kind,"
                      " op_fingerprint, status, started_at, finished_at, progress)"
                      " VALUES (?, ?, ?, ?, 'running', CURRENT_TIMESTAMP, NULL, NULL)"
                      " ON DUPLICATE KEY UPDATE op_kind = ?, op_fingerprint = ?,"
                      " status = 'running', started_at = CURRENT_TIMESTAMP, finished_at = NULL",
                      p, 6, NULL, d);
    return write1(c,
                  "INSERT INTO joryu_migration_steps (migration_id, step_index, op_kind,"
                  " op_fingerprint, status, started_at, finished_at, progress)"
                  " VALUES (?, CAST(? AS INTEGER), ?, ?, 'running', CURRENT_TIMESTAMP, NULL, NULL)"
                  " ON CONFLICT (migration_id, step_index) DO UPDATE SET"
                  " op_kind = excluded.op_kind, op_fingerprint = excluded.op_fingerprint,"
                  " status = 'running', started_at = CURRENT_TIMESTAMP, finished_at = NULL",
                  p, 4, NULL, d);
}

int rt_state_step_set(rt_conn *c, const char *id, uint32_t step_index, rt_step_status s,
                      const char *progress, jy_diags *d)
{
    if ((unsigned)s >= JY_COUNTOF(step_status_names)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.state-invalid", where_of(c),
                      "cannot store step status %d for migration '%s'", (int)s, id);
        return -1;
    }
    char idx[16];
    snprintf(idx, sizeof idx, "%u", (unsigned)step_index);
    bool finished = s == RT_SS_DONE || s == RT_SS_FAILED || s == RT_SS_SKIPPED;
    const char *cast = c->url.kind == RT_DB_MYSQL ? "?" : "CAST(? AS INTEGER)";
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_printf(&b, "UPDATE joryu_migration_steps SET status = ?, finished_at = %s%s"
                      " WHERE migration_id = ? AND step_index = %s",
                  finished ? "CURRENT_TIMESTAMP" : "NULL",
                  !progress ? "" : *progress ? ", progress = ?" : ", progress = NULL", cast);
    const char *p[4];
    size_t np = 0;
    p[np++] = rt_step_status_name(s);
    if (progress && *progress)
        p[np++] = progress;
    p[np++] = id;
    p[np++] = idx;
    int64_t n = -1;
    int rc = b.failed ? rt__sql_error(c, d, "out of memory", NULL, NULL)
                      : write1(c, b.data, p, np, &n, d);
    jy_buf_free(&b);
    if (rc == 0 && n == 0) {
        char step[48], what[64];
        snprintf(step, sizeof step, ", step %llu", (unsigned long long)step_index + 1);
        snprintf(what, sizeof what, "set the step's status to %s", rt_step_status_name(s));
        return missing_row(c, d, "joryu_migration_steps", id, step, what);
    }
    return rc;
}

int rt_state_steps_delete(rt_conn *c, const char *id, uint32_t from, jy_diags *d)
{
    char idx[16];
    snprintf(idx, sizeof idx, "%u", (unsigned)from);
    const char *p[] = {id, idx};
    return write1(c,
                  c->url.kind == RT_DB_MYSQL
                      ? "DELETE FROM joryu_migration_steps WHERE migration_id = ?"
                        " AND step_index >= ?"
                      : "DELETE FROM joryu_migration_steps WHERE migration_id = ?"
                        " AND step_index >= CAST(? AS INTEGER)",
                  p, 2, NULL, d);
}

/* ------------------------------------------------------- batched writes */

/* Rows per statement of rt_state_write_batch (at most 5 parameters a
 * row): SQLite's oldest variable limit is 999; PostgreSQL and MySQL take
 * 65535. */
static size_t batch_rows(const rt_conn *c)
{
    return c->url.kind == RT_DB_SQLITE ? 100 : 1000;
}

/* One table's multi-row INSERT: head, then the rows' "(...)" (values adds
 * one with its parameters, at most nparams, and returns how many; scratch
 * holds text a parameter points into), then what a row that exists already
 * becomes (MySQL's and the others' spelling). */
typedef struct batch_table {
    const char *head, *upsert_mysql, *upsert;
    size_t nparams;
    size_t (*values)(rt_conn *c, const void *rows, size_t i, jy_buf *b, const char **p,
                     char scratch[16]);
} batch_table;

static size_t mig_values(rt_conn *c, const void *rows, size_t i, jy_buf *b, const char **p,
                         char scratch[16])
{
    (void)scratch;
    const rt_state_mig_w *m = (const rt_state_mig_w *)rows + i;
    jy_buf_printf(b, "(?, ?, ?, CURRENT_TIMESTAMP, %s, ?, ?, NULL, NULL)",
                  m->status == RT_MS_APPLIED ? "CURRENT_TIMESTAMP" : "NULL");
    p[0] = m->id;
    p[1] = m->checksum;
    p[2] = rt_mig_status_name(m->status);
    p[3] = JORYU_VERSION;
    p[4] = m->dialect ? m->dialect : ir_dialect_name(rt_conn_dialect(c));
    return 5;
}

static const batch_table batch_migs = {
    "INSERT INTO joryu_migrations (id, checksum, status, started_at, finished_at,"
    " joryu_version, dialect, last_error, pause_reason) VALUES ",
    " ON DUPLICATE KEY UPDATE checksum = VALUES(checksum), status = VALUES(status),"
    " started_at = VALUES(started_at), finished_at = VALUES(finished_at),"
    " joryu_version = VALUES(joryu_version), dialect = VALUES(dialect),"
    " last_error = NULL, pause_reason = NULL",
    " ON CONFLICT (id) DO UPDATE SET checksum = excluded.checksum,"
    " status = excluded.status, started_at = excluded.started_at,"
    " finished_at = excluded.finished_at, joryu_version = excluded.joryu_version,"
    " dialect = excluded.dialect, last_error = NULL, pause_reason = NULL",
    5, mig_values};

static size_t step_values(rt_conn *c, const void *rows, size_t i, jy_buf *b, const char **p,
                          char scratch[16])
{
    const rt_state_step_w *s = (const rt_state_step_w *)rows + i;
    snprintf(scratch, 16, "%u", (unsigned)s->step_index);
    jy_buf_printf(b, "(?, %s, ?, ?, 'done', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, NULL)",
                  c->url.kind == RT_DB_MYSQL ? "?" : "CAST(? AS INTEGER)");
    p[0] = s->id;
    p[1] = scratch;
    p[2] = s->op_kind;
    p[3] = s->fingerprint;
    return 4;
}

static const batch_table batch_steps = {
    "INSERT INTO joryu_migration_steps (migration_id, step_index, op_kind,"
    " op_fingerprint, status, started_at, finished_at, progress) VALUES ",
    " ON DUPLICATE KEY UPDATE op_kind = VALUES(op_kind),"
    " op_fingerprint = VALUES(op_fingerprint), status = 'done',"
    " started_at = CURRENT_TIMESTAMP, finished_at = CURRENT_TIMESTAMP",
    " ON CONFLICT (migration_id, step_index) DO UPDATE SET"
    " op_kind = excluded.op_kind, op_fingerprint = excluded.op_fingerprint,"
    " status = 'done', started_at = CURRENT_TIMESTAMP, finished_at = CURRENT_TIMESTAMP",
    4, step_values};

/*
 * SQLite: one single-row statement per row, the same text for rows alike,
 * which the driver prepares once and binds again (driver_sqlite.c keeps
 * statements with parameters): SQLite compiles a multi-row VALUES as a
 * compound SELECT, and the parse of 100 rows cost more than running them
 * (issue 4: a fresh apply of 100 migrations ran 8.1 M of its 58 M
 * instructions here, 3.8 M this way).  Same rows, same transaction as the
 * multi-row form.
 */
static int batch_insert_each(rt_conn *c, const batch_table *t, const void *rows, size_t n,
                             jy_diags *d)
{
    const char *p[8];
    char scratch[16];
    jy_buf b;
    jy_buf_init(&b);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        jy_buf_reset(&b);
        jy_buf_puts(&b, t->head);
        size_t np = t->values(c, rows, i, &b, p, scratch);
        jy_buf_puts(&b, t->upsert);
        rc = b.failed ? rt__sql_error(c, d, "out of memory", NULL, NULL)
                      : rt_query(c, b.data, p, np, NULL, d);
    }
    jy_buf_free(&b);
    return rc;
}

/* Insert n rows of table t, batch_rows(c) per statement ("?" expanded by
 * write1). */
static int batch_insert(rt_conn *c, const batch_table *t, const void *rows, size_t n,
                        jy_diags *d)
{
    if (c->url.kind == RT_DB_SQLITE)
        return batch_insert_each(c, t, rows, n, d);
    size_t per = batch_rows(c);
    for (size_t at = 0; at < n; at += per) {
        size_t k = n - at < per ? n - at : per;
        const char **p = malloc(k * t->nparams * sizeof *p);
        char (*scratch)[16] = malloc(k * sizeof *scratch);
        jy_buf b;
        jy_buf_init(&b);
        jy_buf_puts(&b, t->head);
        size_t np = 0;
        for (size_t i = 0; p && scratch && i < k; i++) {
            if (i)
                jy_buf_puts(&b, ", ");
            np += t->values(c, rows, at + i, &b, p + np, scratch[i]);
        }
        jy_buf_puts(&b, c->url.kind == RT_DB_MYSQL ? t->upsert_mysql : t->upsert);
        int rc = !p || !scratch || b.failed ? rt__sql_error(c, d, "out of memory", NULL, NULL)
                                            : write1(c, b.data, p, np, NULL, d);
        free(p);
        free(scratch);
        jy_buf_free(&b);
        if (rc)
            return rc;
    }
    return 0;
}

/* The migrations that were begun earlier and are now applied. */
static int batch_applied(rt_conn *c, const rt_state_mig_w *w, size_t n, jy_diags *d)
{
    const char **p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        return rt__sql_error(c, d, "out of memory", NULL, NULL);
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        if (!w[i].begin && w[i].status == RT_MS_APPLIED)
            p[np++] = w[i].id;
    size_t rows = batch_rows(c);
    for (size_t at = 0; at < np; at += rows) {
        size_t k = np - at < rows ? np - at : rows;
        jy_buf b;
        jy_buf_init(&b);
        jy_buf_puts(&b, "UPDATE joryu_migrations SET status = 'applied', last_error = NULL,"
                        " pause_reason = NULL, finished_at = CURRENT_TIMESTAMP WHERE id IN (");
        for (size_t i = 0; i < k; i++)
            jy_buf_puts(&b, i ? ", ?" : "?");
        jy_buf_puts(&b, ")");
        int64_t got = -1;
        int rc = b.failed ? rt__sql_error(c, d, "out of memory", NULL, NULL)
                          : write1(c, b.data, p + at, k, &got, d);
        jy_buf_free(&b);
        if (rc == 0 && got >= 0 && (size_t)got != k)
            rc = missing_row(c, d, "joryu_migrations", p[at], NULL,
                             "set its status to applied");
        if (rc) {
            free(p);
            return rc;
        }
    }
    free(p);
    return 0;
}

int rt_state_write_batch(rt_conn *c, const rt_state_mig_w *migs, size_t nm,
                         const rt_state_step_w *steps, size_t ns, jy_diags *d)
{
    for (size_t i = 0; i < nm; i++)
        if (migs[i].status != RT_MS_RUNNING && migs[i].status != RT_MS_APPLIED) {
            jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.state-invalid", where_of(c),
                          "cannot batch status '%s' for migration '%s'",
                          rt_mig_status_name(migs[i].status), migs[i].id);
            return -1;
        }
    /* begun migrations first: their step rows need them (foreign key) */
    rt_state_mig_w *begun = malloc((nm ? nm : 1) * sizeof *begun);
    if (!begun)
        return rt__sql_error(c, d, "out of memory", NULL, NULL);
    size_t nb = 0;
    for (size_t i = 0; i < nm; i++)
        if (migs[i].begin)
            begun[nb++] = migs[i];
    int rc = batch_insert(c, &batch_migs, begun, nb, d);
    free(begun);
    if (rc == 0)
        rc = batch_insert(c, &batch_steps, steps, ns, d);
    if (rc == 0)
        rc = batch_applied(c, migs, nm, d);
    return rc;
}
