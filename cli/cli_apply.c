/*
 * cli_apply.c - the database commands of joryu and joryu-run: apply,
 * status, down, mark, repair, history, heads.  One implementation for both
 * programs; they differ only in where the bundle comes from (cli_bundle_src:
 * a .jyb file here, or migrations/ compiled in memory by cmd_apply.c).
 *
 * What the user sees is documented in docs/SPEC.md: progress
 * modes (§14.2 of the reference), the JSON event shape (§14.3), the recovery
 * prompt (§10.5), the production guard (§15), exit codes (§16.2).
 *
 * This file is part of the joryu_cli library that joryu-run links: it must
 * never call the frontend (fe_*).
 */
#include "cli_int.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ flag tables */

#define FLAG_END {NULL, CLI_BOOL, NULL, NULL}
#define FLAG_LOCK {"lock-timeout", CLI_STR, "DURATION", "wait at most DURATION for the apply lock (default: forever)"}
#define FLAG_PROGRESS                                                                               \
    {"interactive", CLI_BOOL, NULL, "live progress display (default when stderr is a terminal)"}, \
    {"plain", CLI_BOOL, NULL, "progress as plain lines on stdout"},                             \
    {"json", CLI_BOOL, NULL, "progress as JSON events, one per line on stdout"},                \
    {"quiet", CLI_BOOL, NULL, "print only failures and pauses"}

const cli_flag cli_apply_flags[] = {
    CLI_FLAG_DB,
    {"target", CLI_STR, "ID", "apply up to and including this migration only"},
    {"dry-run", CLI_BOOL, NULL, "open the database read-only, print the SQL that would run"},
    {"no-resume", CLI_BOOL, NULL, "do not resume a failed or paused migration (exit 2/3)"},
    {"continue-past-failed", CLI_BOOL, NULL, "apply migrations that do not depend on a failed one"},
    {"retry-paused", CLI_BOOL, NULL, "resume paused migrations (a plain apply does too)"},
    {"non-interactive", CLI_BOOL, NULL, "never prompt; a failed migration gets --on-failure"},
    {"on-failure", CLI_STR, "MODE",
     "resume, restart or abort a failed migration without a prompt (default resume)"},
    {"max-duration", CLI_STR, "DURATION", "pause at the next step or batch boundary after DURATION"},
    FLAG_LOCK,
    FLAG_PROGRESS,
    FLAG_END,
};

const cli_flag cli_status_flags[] = {
    CLI_FLAG_DB,
    {"json", CLI_BOOL, NULL, "print the status as one JSON document"},
    FLAG_END,
};

const cli_flag cli_down_flags[] = {
    CLI_FLAG_DB,
    {"steps", CLI_STR, "N", "undo the last N applied migrations (default 1)"},
    {"to", CLI_STR, "ID", "undo every migration applied after ID (ID stays applied)"},
    {"allow-prod", CLI_BOOL, NULL, "allow a production-like database"},
    {"dry-run", CLI_BOOL, NULL, "open the database read-only, print the SQL that would run"},
    FLAG_LOCK,
    FLAG_PROGRESS,
    FLAG_END,
};

const cli_flag cli_mark_flags[] = {
    CLI_FLAG_DB,
    {"as", CLI_STR, "STATE", "applied|pending|failed|paused, or done|pending|skipped for a step"},
    {"reason", CLI_STR, "TEXT", "why (required with --as=paused)"},
    {"allow-prod", CLI_BOOL, NULL, "allow a production-like database without a prompt"},
    FLAG_END,
};

const cli_flag cli_repair_flags[] = {
    CLI_FLAG_DB,
    FLAG_END,
};

const cli_flag cli_history_flags[] = {
    {"dialect", CLI_LIST, "D",
     "mark the migrations that do not run on dialect D (default: the bundle's dialects)"},
    {"json", CLI_BOOL, NULL, "print {migrations: [{id, file, checksum, depends_on, ...}]}"},
    FLAG_END,
};

const cli_flag cli_heads_flags[] = {
    {"dialect", CLI_LIST, "D",
     "the heads of the migrations that run on dialect D (default: every migration)"},
    {"json", CLI_BOOL, NULL, "print {heads: [ids]}"},
    FLAG_END,
};

/* ---------------------------------------------------------------- helpers */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * A duration: seconds (90, 1.5) or a number with a unit: ms, s, m, h.
 * 0 and *out (seconds), or -1 after printing an error naming the flag.
 */
static int parse_duration(cli_ctx *c, const char *flag, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    double mul = 1;
    if (end != s && errno == 0) {
        if (*end == 0 || strcmp(end, "s") == 0)
            mul = 1;
        else if (strcmp(end, "ms") == 0)
            mul = 0.001;
        else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
            mul = 60;
        else if (strcmp(end, "h") == 0)
            mul = 3600;
        else
            end = NULL;
    } else {
        end = NULL;
    }
    if (!end || !isfinite(v) || v < 0) {
        cli_error(c, "--%s: '%s' is not a duration", flag, s);
        cli_hint(c, "write seconds (90) or a number with a unit: 500ms, 90s, 5m, 1h");
        return -1;
    }
    *out = v * mul;
    return 0;
}

/* A positive integer flag value; 0, or -1 after printing an error. */
static int parse_count(cli_ctx *c, const char *flag, const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end || errno || v == 0 || v > 1000000000ul) {
        cli_error(c, "--%s: '%s' is not a positive whole number", flag, s);
        cli_hint(c, "e.g. --%s=1", flag);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static void print_json_line(FILE *f, json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s) {
        fputs(s, f);
        fputc('\n', f);
        free(s);
    }
    fflush(f);
    json_decref(o);
}

static void print_json_doc(FILE *f, json_t *o)
{
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s) {
        fputs(s, f);
        fputc('\n', f);
        free(s);
    }
    json_decref(o);
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* Does an error of d carry a hint (then the CLI adds none of its own)? */
static bool diags_hinted(const jy_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].sev == JY_SEV_ERROR && d->v[i].hint)
            return true;
    return false;
}

/* ----------------------------------------------------------- the session */

/*
 * What every database command sets up: joryu.toml, the bundle, the URL and
 * the connection.  Each part is optional (history needs no database).
 */
typedef struct session {
    cli_ctx *c;
    const cli_args *a;
    const cli_bundle_src *src;
    rt_config cfg;
    char *url;          /* malloc'd; never printed (use redacted) */
    char *redacted;     /* malloc'd */
    rt_conn *conn;
    ir_dialect dl;
    vm_bundle *b;
    char rerun[512];    /* how to run this command again ("joryu apply") */
} session;

static void session_init(session *s, cli_ctx *c, const cli_args *a, const cli_bundle_src *src)
{
    memset(s, 0, sizeof *s);
    s->c = c;
    s->a = a;
    s->src = src;
    s->dl = IR_D__COUNT;
    rt_config_defaults(&s->cfg);
    if (src->npos && a->npos)
        snprintf(s->rerun, sizeof s->rerun, "%s %s %s", c->prog->name, c->cmd->name, a->pos[0]);
    else
        snprintf(s->rerun, sizeof s->rerun, "%s %s", c->prog->name, c->cmd->name);
}

static void session_free(session *s)
{
    if (s->conn)
        rt_close(s->conn);
    vm_bundle_free(s->b);
    free(s->url);
    free(s->redacted);
    rt_config_free(&s->cfg);
}

/* The command's own positional argument i (after the source's). */
static const char *arg_pos(const session *s, size_t i)
{
    size_t k = s->src->npos + i;
    return k < s->a->npos ? s->a->pos[k] : NULL;
}

static int open_bundle(session *s, ir_dialect dl)
{
    return s->src->open(s->c, s->a, &s->cfg, dl, &s->b);
}

/* Read joryu.toml (required when the bundle is compiled from the project). */
static int session_config(session *s)
{
    rt_config_free(&s->cfg);
    if (cli_load_config(s->c, &s->cfg, s->src->needs_dialect) != 0)
        return JY_EXIT_ERROR;
    return 0;
}

/* The database URL (--db, JORYU_DATABASE_URL, joryu.toml). */
static int session_url(session *s)
{
    jy_diags d;
    jy_diags_init(&d);
    rt_url_origin origin;
    int rc = rt_config_database_url(&s->cfg, cli_str(s->a, "db"), &s->url, &origin, &d);
    bool hinted = diags_hinted(&d);
    cli_print_diags(s->c, &d);
    jy_diags_free(&d);
    if (rc != 0) {
        if (!hinted)
            cli_hint(s->c, "name the database with --db URL, JORYU_DATABASE_URL or [database] "
                           "url in joryu.toml (e.g. sqlite:///app.db)");
        return JY_EXIT_ERROR;
    }
    s->redacted = rt_url_redact(s->url);
    if (!s->redacted) {
        cli_error(s->c, "out of memory");
        return JY_EXIT_ERROR;
    }
    return 0;
}

static int session_connect(session *s)
{
    jy_diags d;
    jy_diags_init(&d);
    /* a dry run and status write nothing: read-only from the start (a
       SQLite file that does not exist is not created) */
    bool ro = cli_has(s->a, "dry-run") || strcmp(s->c->cmd->name, "status") == 0;
    s->conn = ro ? rt_connect_read_only(s->url, &d) : rt_connect(s->url, &d);
    cli_print_diags(s->c, &d);
    jy_diags_free(&d);
    if (!s->conn)
        return JY_EXIT_ERROR;
    s->dl = rt_conn_dialect(s->conn);
    return 0;
}

/*
 * Config, bundle and connection, in the order that fails cheapest first: a
 * bundle file is read (and checked) before connecting; a project is
 * compiled for the dialect the server reports, so after.  `guard` runs
 * between resolving the URL and connecting (the production guard).
 */
/*
 * The dialect the URL names, before connecting, without a word on failure
 * (session_url reports problems in its turn): lets a bundle file be read
 * with the code of that dialect only (vm_bundle_load_dialects).  MySQL URLs
 * say IR_D_MYSQL: the server tells MariaDB apart, so the reader keeps both.
 * IR_D__COUNT when it is not known.
 */
static ir_dialect url_dialect(session *s)
{
    if (!cli_str(s->a, "db") && !getenv("JORYU_DATABASE_URL") && !s->cfg.database_url)
        return IR_D__COUNT; /* history, heads, or no URL at all */
    jy_diags d;
    jy_diags_init(&d);
    char *url = NULL;
    rt_url_origin origin;
    ir_dialect dl = IR_D__COUNT;
    rt_url u;
    memset(&u, 0, sizeof u);
    if (rt_config_database_url(&s->cfg, cli_str(s->a, "db"), &url, &origin, &d) == 0 &&
        rt_url_parse(url, &u, &d) == 0)
        dl = u.kind == RT_DB_SQLITE       ? IR_D_SQLITE
             : u.kind == RT_DB_POSTGRESQL ? IR_D_POSTGRESQL
                                          : IR_D_MYSQL;
    rt_url_free(&u);
    free(url);
    jy_diags_free(&d);
    return dl;
}

static int session_open(session *s, int (*guard)(session *s))
{
    int rc = session_config(s);
    if (rc == 0 && !s->src->needs_dialect)
        rc = open_bundle(s, url_dialect(s));
    if (rc == 0)
        rc = session_url(s);
    if (rc == 0 && guard)
        rc = guard(s);
    if (rc == 0)
        rc = session_connect(s);
    if (rc == 0 && s->src->needs_dialect)
        rc = open_bundle(s, s->dl);
    return rc;
}

/* -------------------------------------------------------- production guard */

static bool host_is_local(const char *h)
{
    if (!h || !*h)
        return true; /* no host: a Unix socket on this machine */
    if (strcasecmp(h, "localhost") == 0 || strcmp(h, "127.0.0.1") == 0 || strcmp(h, "::1") == 0 ||
        strcmp(h, "[::1]") == 0 || strcasecmp(h, "host.docker.internal") == 0)
        return true;
    if (strncmp(h, "127.", 4) == 0)
        return true;
    if (h[0] == '/')
        return true; /* a socket directory */
    return strstr(h, ".local") || strstr(h, "local-") || strstr(h, "-local");
}

/*
 * Is the database production-like (reference §15)?  Decided in this order:
 * joryu.toml [joryu] environment when written (local: no; staging,
 * production: yes); JORYU_ENV (local/dev/development/test: no; staging,
 * production, prod: yes); the URL (SQLite, a local host or a Unix socket:
 * no; any other host: yes).  *why says what decided it (for the message).
 */
static bool production_like(session *s, char *why, size_t nwhy)
{
    if (s->cfg.has_environment) {
        snprintf(why, nwhy, "joryu.toml declares environment = \"%s\"",
                 rt_environment_name(s->cfg.environment));
        return s->cfg.environment != RT_ENV_LOCAL;
    }
    const char *env = getenv("JORYU_ENV");
    if (env && *env) {
        static const char *const local_words[] = {"local", "dev", "development", "test"};
        static const char *const prod_words[] = {"staging", "production", "prod"};
        for (size_t i = 0; i < JY_COUNTOF(local_words); i++)
            if (strcasecmp(env, local_words[i]) == 0) {
                snprintf(why, nwhy, "JORYU_ENV=%s", env);
                return false;
            }
        for (size_t i = 0; i < JY_COUNTOF(prod_words); i++)
            if (strcasecmp(env, prod_words[i]) == 0) {
                snprintf(why, nwhy, "JORYU_ENV=%s", env);
                return true;
            }
    }
    rt_url u;
    jy_diags d;
    jy_diags_init(&d);
    memset(&u, 0, sizeof u);
    bool prod = true;
    if (rt_url_parse(s->url, &u, &d) != 0) {
        snprintf(why, nwhy, "the URL does not parse");
    } else if (u.kind == RT_DB_SQLITE) {
        snprintf(why, nwhy, "a SQLite file");
        prod = false;
    } else if (host_is_local(u.host)) {
        snprintf(why, nwhy, "the host %s is local", u.host ? u.host : "(socket)");
        prod = false;
    } else {
        snprintf(why, nwhy, "the host %s is not local", u.host);
    }
    rt_url_free(&u);
    jy_diags_free(&d);
    return prod;
}

static int down_guard(session *s)
{
    char why[256];
    if (!production_like(s, why, sizeof why) || cli_has(s->a, "allow-prod"))
        return 0;
    cli_error(s->c, "refusing to run downgrades on a production-like database %s (%s)",
              s->redacted, why);
    cli_hint(s->c, "downgrades are for development; restore a backup in production.  If you "
                   "mean it, run again with --allow-prod; if this database is not production, "
                   "write environment = \"local\" under [joryu] in joryu.toml or set "
                   "JORYU_ENV=dev");
    return JY_EXIT_PROD_GUARD;
}

static bool terminal_io(void)
{
    return isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1;
}

/* Ask a yes/no question on the terminal (stderr, stdin); default no. */
static bool confirm(const char *question)
{
    fprintf(stderr, "%s [y/N] ", question);
    fflush(stderr);
    char line[64];
    if (!fgets(line, sizeof line, stdin))
        return false;
    return line[0] == 'y' || line[0] == 'Y';
}

/* ---------------------------------------------------------------- signals */

/*
 * The one piece of mutable static state in joryu (TEAM.md allows it here
 * and only here): a signal handler can reach nothing else.  SIGINT and
 * SIGTERM store the signal number; the VM reads it through
 * vm_apply_opts.interrupt / vm_down_opts.interrupt and pauses at the next
 * step or batch boundary.  The handler is installed with SA_RESETHAND, so a
 * second signal terminates the process at once (the state tables stay
 * consistent: resume redoes what was not committed).
 */
static volatile sig_atomic_t g_interrupt;

static void on_signal(int sig)
{
    g_interrupt = sig;
}

typedef struct sig_saved {
    struct sigaction intr, term;
} sig_saved;

static void signals_install(sig_saved *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    g_interrupt = 0;
    sigaction(SIGINT, &sa, &old->intr);
    sigaction(SIGTERM, &sa, &old->term);
}

static void signals_restore(const sig_saved *old)
{
    sigaction(SIGINT, &old->intr, NULL);
    sigaction(SIGTERM, &old->term, NULL);
}

/* --------------------------------------------------------------- progress */

typedef enum { PM_INTERACTIVE, PM_PLAIN, PM_JSON, PM_QUIET } pmode;

typedef struct render {
    cli_ctx *c;
    pmode mode;
    bool down, dry_run;
    ir_dialect dl;
    FILE *out;            /* plain and JSON: stdout; interactive: stderr */
    double mig_t0, step_t0;
    double last_draw;     /* live line / plain batch lines: rate limit */
    bool live;            /* the live line is on screen (interactive) */
    bool any_migration;   /* a migration started */
    bool failed_shown;    /* a failure was printed */
    size_t plan_n;
    /* the first batch event of the running step: rate and ETA count only
     * this run's work (a resumed backfill starts with rows already done) */
    bool have_base;
    uint64_t base_rows;
    double base_t, base_pct;
} render;

/* --interactive / --plain / --json / --quiet: at most one (§14.2). */
static int pick_mode(cli_ctx *c, const cli_args *a, pmode *m)
{
    static const char *const names[] = {"interactive", "plain", "json", "quiet"};
    int n = 0;
    const char *term = getenv("TERM");
    bool dumb = term && strcmp(term, "dumb") == 0; /* no \r redraws there */
    *m = isatty(STDERR_FILENO) == 1 && !dumb ? PM_INTERACTIVE : PM_PLAIN;
    for (int i = 0; i < 4; i++)
        if (cli_has(a, names[i])) {
            *m = (pmode)i;
            n++;
        }
    if (n > 1) {
        cli_error(c, "--interactive, --plain, --json and --quiet choose one progress display: "
                     "give at most one");
        return -1;
    }
    return 0;
}

static const vm_script *script_of(const render *r, const vm_migration *m)
{
    if (!m || r->dl >= IR_D__COUNT)
        return NULL;
    return r->down ? &m->down[r->dl] : &m->up[r->dl];
}

static const vm_step *step_at(const render *r, const vm_migration *m, uint32_t step)
{
    const vm_script *sc = script_of(r, m);
    if (!sc || step == 0 || step > sc->nsteps || !sc->steps)
        return NULL;
    return &sc->steps[step - 1];
}

/* "add_column users.email" */
static void step_desc(char *buf, size_t n, const vm_step *st)
{
    if (!st) {
        snprintf(buf, n, "step");
        return;
    }
    snprintf(buf, n, "%s%s%s", st->op_kind ? st->op_kind : "step",
             st->summary && *st->summary ? " " : "", st->summary ? st->summary : "");
}

static void live_clear(render *r)
{
    if (r->live) {
        fputs("\r\033[K", stderr);
        r->live = false;
    }
}

static double percent_of(const vm_event *ev)
{
    if (ev->batches_total > 0)
        return 100.0 * (double)ev->batches_done / (double)ev->batches_total;
    if (ev->key_max > 0 && ev->key_high >= 0)
        return 100.0 * (double)(ev->key_high > ev->key_max ? ev->key_max : ev->key_high) /
               (double)ev->key_max;
    return -1;
}

static void fmt_hms(char *buf, size_t n, double secs)
{
    if (secs < 0 || !isfinite(secs))
        secs = 0;
    unsigned long t = (unsigned long)(secs + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%lu:%02lu", t / 60, t % 60);
}

/* The live backfill line (interactive): batches, rows, rate, ETA. */
static void draw_batch(render *r, const vm_event *ev)
{
    char desc[256];
    step_desc(desc, sizeof desc, ev->st ? ev->st : step_at(r, ev->mig, ev->step));
    double pct = percent_of(ev);
    double t = now_s();
    if (!r->have_base) {
        r->have_base = true;
        r->base_rows = ev->rows_done;
        r->base_t = t;
        r->base_pct = pct;
    }
    double el = t - r->base_t;
    double rate = el > 0 ? (double)(ev->rows_done - r->base_rows) / el : 0;
    char eta[32] = "?";
    if (pct > r->base_pct && pct < 100 && el > 0)
        fmt_hms(eta, sizeof eta, el * (100 - pct) / (pct - r->base_pct));
    else if (pct >= 100)
        snprintf(eta, sizeof eta, "0:00");
    char batches[64];
    if (ev->batches_total)
        snprintf(batches, sizeof batches, "batch %llu/%llu", (unsigned long long)ev->batches_done,
                 (unsigned long long)ev->batches_total);
    else
        snprintf(batches, sizeof batches, "batch %llu", (unsigned long long)ev->batches_done);
    char pcts[16] = "";
    if (pct >= 0)
        snprintf(pcts, sizeof pcts, " %3.0f%%", pct);
    fprintf(stderr, "\r  \xe2\x97\x90 %u/%u  %s  %s%s  %llu rows  %.0f rows/s  ETA %s\033[K",
            ev->step, ev->nsteps, desc, batches, pcts, (unsigned long long)ev->rows_done, rate,
            eta);
    fflush(stderr);
    r->live = true;
}

static void json_event(render *r, const vm_event *ev)
{
    json_t *o = json_object();
    const char *id = ev->mig ? ev->mig->id : NULL;
    const vm_step *st = ev->st ? ev->st : step_at(r, ev->mig, ev->step);
    switch (ev->kind) {
    case VM_EV_PLAN:
        json_object_set_new(o, "event", json_string("plan"));
        json_object_set_new(o, "direction", json_string(r->down ? "down" : "up"));
        json_object_set_new(o, "migrations", json_integer((json_int_t)ev->n));
        json_object_set_new(o, "dry_run", json_boolean(r->dry_run));
        if (r->dl < IR_D__COUNT)
            json_object_set_new(o, "dialect", json_string(ir_dialect_name(r->dl)));
        break;
    case VM_EV_MIGRATION_START: {
        const vm_script *sc = script_of(r, ev->mig);
        json_object_set_new(o, "event", json_string("migration_start"));
        json_object_set_new(o, "id", jstr(id));
        json_object_set_new(o, "direction", json_string(r->down ? "down" : "up"));
        json_object_set_new(o, "steps",
                            json_integer(ev->nsteps ? ev->nsteps : sc ? sc->nsteps : 0));
        if (ev->mig)
            json_object_set_new(o, "transaction_mode",
                                json_string(ir_tx_mode_name(ev->mig->tx_mode)));
        break;
    }
    case VM_EV_STEP_START: {
        json_object_set_new(o, "event", json_string("step_start"));
        json_object_set_new(o, "id", jstr(id));
        json_object_set_new(o, "step", json_integer(ev->step));
        json_object_set_new(o, "steps", json_integer(ev->nsteps));
        json_object_set_new(o, "op", jstr(st ? st->op_kind : NULL));
        json_object_set_new(o, "description", jstr(st ? st->summary : NULL));
        const vm_step *nx = step_at(r, ev->mig, ev->step + 1);
        if (nx) {
            char nd[256];
            step_desc(nd, sizeof nd, nx);
            json_object_set_new(o, "next", json_string(nd));
        } else {
            json_object_set_new(o, "next", json_null());
        }
        break;
    }
    case VM_EV_STEP_SQL:
        json_object_set_new(o, "event", json_string("step_sql"));
        json_object_set_new(o, "id", jstr(id));
        json_object_set_new(o, "step", json_integer(ev->step));
        json_object_set_new(o, "sql", jstr(ev->sql));
        break;
    case VM_EV_STEP_SKIP:
        json_object_set_new(o, "event", json_string("step_skip"));
        json_object_set_new(o, "id", jstr(id));
        json_object_set_new(o, "step", json_integer(ev->step));
        json_object_set_new(o, "reason", jstr(ev->message));
        break;
    case VM_EV_STEP_DONE:
        json_object_set_new(o, "event", json_string("step_done"));
        json_object_set_new(o, "id", jstr(id));
        json_object_set_new(o, "step", json_integer(ev->step));
        json_object_set_new(o, "duration_ms",
                            json_integer((json_int_t)((now_s() - r->step_t0) * 1000 + 0.5)));
        break;
    case VM_EV_BATCH: {
        json_object_set_new(o, "event", json_string("step_progress"));
        json_object_set_new(o, "id", jstr(id));
        json_object_set_new(o, "step", json_integer(ev->step));
        json_t *p = json_object();
        json_object_set_new(p, "batches", json_integer((json_int_t)ev->batches_done));
        if (ev->batches_total)
            json_object_set_new(p, "batches_total", json_integer((json_int_t)ev->batches_total));
        json_object_set_new(p, "rows", json_integer((json_int_t)ev->rows_done));
        json_object_set_new(p, "last_id", json_integer(ev->key_high));
        if (ev->key_max)
            json_object_set_new(p, "max_id", json_integer(ev->key_max));
        double pct = percent_of(ev);
        if (pct >= 0)
            json_object_set_new(p, "percent", json_integer((json_int_t)pct));
        json_object_set_new(p, "elapsed_ms", json_integer((json_int_t)(ev->elapsed * 1000)));
        json_object_set_new(o, "progress", p);
        break;
    }
    case VM_EV_WARNING:
        json_object_set_new(o, "event", json_string("warning"));
        json_object_set_new(o, "id", jstr(id));
        if (ev->step)
            json_object_set_new(o, "step", json_integer(ev->step));
        json_object_set_new(o, "message", jstr(ev->message));
        break;
    case VM_EV_MIGRATION_DONE:
        json_object_set_new(o, "event", json_string("migration_done"));
        json_object_set_new(o, "id", jstr(id));
        json_object_set_new(o, "duration_ms",
                            json_integer((json_int_t)((now_s() - r->mig_t0) * 1000 + 0.5)));
        break;
    case VM_EV_MIGRATION_FAILED:
        json_object_set_new(o, "event", json_string("migration_failed"));
        json_object_set_new(o, "id", jstr(id));
        json_object_set_new(o, "step", json_integer(ev->step));
        json_object_set_new(o, "op", jstr(st ? st->op_kind : NULL));
        json_object_set_new(o, "sql", jstr(ev->sql));
        json_object_set_new(o, "error", jstr(ev->message));
        break;
    case VM_EV_PAUSED:
        json_object_set_new(o, "event", json_string("paused"));
        json_object_set_new(o, "id", jstr(id));
        if (ev->step)
            json_object_set_new(o, "step", json_integer(ev->step));
        json_object_set_new(o, "reason", jstr(ev->message));
        break;
    case VM_EV_FINISH:
        /* the CLI writes its own finish event with the final exit code */
        json_decref(o);
        return;
    }
    print_json_line(r->out, o);
}

/*
 * The vm_progress_fn: renders one VM event in the chosen mode.  Plain lines
 * follow reference §14.3 ("[joryu] ..."); the interactive display redraws a
 * live line (\r) for running steps and backfills, at most every 100 ms.
 */
static void on_event(void *ctx, const vm_event *ev)
{
    render *r = ctx;
    double t = now_s();
    if (ev->kind == VM_EV_MIGRATION_START) {
        r->mig_t0 = t;
        r->any_migration = true;
    }
    if (ev->kind == VM_EV_STEP_START) {
        r->step_t0 = t;
        r->have_base = false;
    }
    if (ev->kind == VM_EV_PLAN)
        r->plan_n = ev->n;

    /* A failure's details (migration, step, SQL, the server's message) are
     * the VM's diagnostic, printed on stderr after the run in every mode. */
    if (ev->kind == VM_EV_MIGRATION_FAILED)
        r->failed_shown = true;
    if (r->mode == PM_JSON) {
        json_event(r, ev);
        return;
    }
    if (ev->kind == VM_EV_MIGRATION_FAILED) {
        live_clear(r);
        if (r->mode == PM_INTERACTIVE && ev->step) {
            char desc[256];
            step_desc(desc, sizeof desc, ev->st ? ev->st : step_at(r, ev->mig, ev->step));
            fprintf(stderr, "  \xe2\x9c\x97 %u/%u  %s  failed\n", ev->step, ev->nsteps, desc);
        } else if (r->mode == PM_PLAIN) {
            fprintf(r->out, "[joryu] failed %s at step %u/%u\n", ev->mig ? ev->mig->id : "?",
                    ev->step, ev->nsteps);
            fflush(r->out);
        }
        return;
    }
    if (ev->kind == VM_EV_STEP_SQL) {
        /* the SQL is the result of a dry run: stdout in every text mode */
        if (r->dry_run) {
            live_clear(r);
            fprintf(stdout, "%s%s\n", ev->sql ? ev->sql : "",
                    ev->sql && *ev->sql && ev->sql[strlen(ev->sql) - 1] == ';' ? "" : ";");
            fflush(stdout);
        }
        return;
    }
    if (r->mode == PM_QUIET)
        return;

    const bool inter = r->mode == PM_INTERACTIVE;
    FILE *f = r->out;
    const char *id = ev->mig ? ev->mig->id : "";
    char desc[256];
    const vm_step *st = ev->st ? ev->st : step_at(r, ev->mig, ev->step);
    step_desc(desc, sizeof desc, st);
    switch (ev->kind) {
    case VM_EV_PLAN:
        if (ev->n && !inter)
            fprintf(f, "[joryu] %zu migration%s to %s%s\n", ev->n, ev->n == 1 ? "" : "s",
                    r->down ? "undo" : "apply", r->dry_run ? " (dry run: nothing is written)" : "");
        break;
    case VM_EV_MIGRATION_START: {
        const vm_script *sc = script_of(r, ev->mig);
        uint32_t n = ev->nsteps ? ev->nsteps : sc ? sc->nsteps : 0;
        if (inter) {
            live_clear(r);
            fprintf(f, "\xe2\x96\xb6 %s  (%u step%s, transaction_mode=%s)%s\n", id, n,
                    n == 1 ? "" : "s", ev->mig ? ir_tx_mode_name(ev->mig->tx_mode) : "?",
                    r->down ? "  downgrade" : "");
        } else {
            fprintf(f, "[joryu] %s %s (%u step%s)\n", r->down ? "reverting" : "applying", id, n,
                    n == 1 ? "" : "s");
        }
        break;
    }
    case VM_EV_STEP_START:
        if (inter) {
            live_clear(r);
            fprintf(stderr, "  \xe2\x97\x90 %u/%u  %s\033[K", ev->step, ev->nsteps, desc);
            fflush(stderr);
            r->live = true;
            r->last_draw = t;
        } else {
            fprintf(f, "[joryu]   step %u/%u: %s\n", ev->step, ev->nsteps, desc);
        }
        break;
    case VM_EV_STEP_SKIP:
        if (inter) {
            live_clear(r);
            fprintf(f, "  - %u/%u  %s  skipped%s%s\n", ev->step, ev->nsteps, desc,
                    ev->message ? ": " : "", ev->message ? ev->message : "");
        } else if (ev->message) {
            fprintf(f, "[joryu]   step %u/%u: skipped (%s)\n", ev->step, ev->nsteps, ev->message);
        } else {
            fprintf(f, "[joryu]   step %u/%u: skipped\n", ev->step, ev->nsteps);
        }
        break;
    case VM_EV_STEP_DONE:
        if (inter) {
            live_clear(r);
            fprintf(f, "  \xe2\x9c\x93 %u/%u  %s  (%.2fs)\n", ev->step, ev->nsteps, desc,
                    t - r->step_t0);
        } else {
            fprintf(f, "[joryu]   step %u/%u: done (%.2fs)\n", ev->step, ev->nsteps,
                    t - r->step_t0);
        }
        break;
    case VM_EV_BATCH:
        if (inter) {
            if (t - r->last_draw >= 0.1 || (ev->batches_total && ev->batches_done >= ev->batches_total)) {
                draw_batch(r, ev);
                r->last_draw = t;
            }
        } else if (t - r->last_draw >= 1.0) {
            double pct = percent_of(ev);
            char pcts[32] = "";
            if (pct >= 0)
                snprintf(pcts, sizeof pcts, " (%.0f%%)", pct);
            fprintf(f, "[joryu]   step %u/%u: progress batch %llu, %llu rows, last_id=%lld%s\n",
                    ev->step, ev->nsteps, (unsigned long long)ev->batches_done,
                    (unsigned long long)ev->rows_done, (long long)ev->key_high, pcts);
            r->last_draw = t;
        }
        break;
    case VM_EV_WARNING:
        live_clear(r);
        fflush(f);
        if (ev->mig && ev->step)
            cli_warn(r->c, "%s, step %u: %s", id, ev->step, ev->message ? ev->message : "");
        else
            cli_warn(r->c, "%s", ev->message ? ev->message : "");
        break;
    case VM_EV_MIGRATION_DONE:
        if (inter) {
            live_clear(r);
            fprintf(f, "\xe2\x9c\x93 %s %s (%.2fs)\n", id, r->down ? "reverted" : "applied",
                    t - r->mig_t0);
        } else {
            fprintf(f, "[joryu] %s %s (%.2fs)\n", r->down ? "reverted" : "applied", id,
                    t - r->mig_t0);
        }
        break;
    case VM_EV_PAUSED: {
        live_clear(r);
        const char *mark = inter ? "\xe2\x8f\xb8" : "[joryu]";
        const char *why = ev->message ? ev->message : "interrupted";
        if (ev->mig && ev->step)
            fprintf(f, "%s paused %s at step %u/%u: %s\n", mark, id, ev->step, ev->nsteps, why);
        else if (ev->mig)
            fprintf(f, "%s paused %s: %s\n", mark, id, why);
        else
            fprintf(f, "%s paused: %s\n", mark, why);
        break;
    }
    case VM_EV_STEP_SQL: /* handled above */
    case VM_EV_MIGRATION_FAILED:
    case VM_EV_FINISH:
        break;
    }
    fflush(f);
}

/* label + text, continuation lines indented under the text. */
static void print_indented(FILE *f, const char *label, const char *text)
{
    const char *nl = strrchr(label, '\n');
    int w = (int)strlen(nl ? nl + 1 : label);
    fputs(label, f);
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        fwrite(p, 1, n, f);
        fputc('\n', f);
        p += n;
        if (*p == '\n' && p[1])
            fprintf(f, "%*s", w, "");
        if (*p)
            p++;
    }
}

/* ------------------------------------------------ recovery prompt (§10.5) */

typedef struct ask_ctx {
    ir_dialect dl;
    bool prod;              /* production-like: say so in the prompt */
} ask_ctx;

static const rt_step_row *row_step(const rt_mig_row *row, uint32_t idx)
{
    for (size_t i = 0; row && i < row->nsteps; i++)
        if (row->steps[i].step_index == idx)
            return &row->steps[i];
    return NULL;
}

/* Read one line from stdin; false on EOF or an interrupt.  While the
 * prompt waits, SIGINT has its default action: Ctrl-C ends joryu at once
 * (the VM asks before it runs anything). */
static bool read_answer(char *buf, size_t n)
{
    fflush(stderr);
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGINT, &dfl, &old);
    char *got = g_interrupt ? NULL : fgets(buf, (int)n, stdin);
    sigaction(SIGINT, &old, NULL);
    if (!got || g_interrupt)
        return false;
    buf[strcspn(buf, "\r\n")] = 0;
    return true;
}

/*
 * The vm_ask_fn: shows the failed migration's steps and asks how to go on
 * (reference §10.5): [1] resume (default), [2] restart from a chosen step,
 * [3] full restart, [4] skip the failed step, [5] abort.  End of input or
 * Ctrl-C answers abort: nothing is changed.
 */
static int ask_recovery(void *ctx, const vm_migration *m, const rt_mig_row *row,
                        uint32_t *from_step)
{
    ask_ctx *ac = ctx;
    const vm_script *sc = m && ac->dl < IR_D__COUNT ? &m->up[ac->dl] : NULL;
    uint32_t nsteps = sc ? sc->nsteps : 0;
    uint32_t failed = 0;
    for (size_t i = 0; row && i < row->nsteps; i++)
        if (row->steps[i].status == RT_SS_FAILED) {
            failed = row->steps[i].step_index + 1;
            break;
        }
    if (!failed) /* no failed step row: the first one not done */
        for (uint32_t k = 0; k < nsteps; k++) {
            const rt_step_row *sr = row_step(row, k);
            if (!sr || (sr->status != RT_SS_DONE && sr->status != RT_SS_SKIPPED)) {
                failed = k + 1;
                break;
            }
        }
    if (!failed)
        failed = 1;
    fprintf(stderr, "\nMigration %s is in failed state%s.\n\n", m ? m->id : row->id,
            ac->prod ? " (on a PRODUCTION-LIKE database)" : "");
    for (uint32_t k = 0; k < nsteps; k++) {
        const rt_step_row *sr = row_step(row, k);
        const vm_step *st = &sc->steps[k];
        char desc[256];
        if (st->summary && *st->summary)
            snprintf(desc, sizeof desc, "%s(%s)", st->op_kind ? st->op_kind : "step",
                     st->summary);
        else
            snprintf(desc, sizeof desc, "%s", st->op_kind ? st->op_kind : "step");
        const char *status = sr ? rt_step_status_name(sr->status) : "pending";
        const char *mark = !sr || sr->status == RT_SS_PENDING ? "\xc2\xb7"
                           : sr->status == RT_SS_DONE ? "\xe2\x9c\x93"
                           : sr->status == RT_SS_FAILED ? "\xe2\x9c\x97"
                           : sr->status == RT_SS_SKIPPED ? "-"
                                                         : "\xe2\x9a\xa0";
        fprintf(stderr, "  %s step %u %-40s %s", mark, k + 1, desc, status);
        if (sr && sr->progress && *sr->progress)
            fprintf(stderr, " at %s", sr->progress);
        fputc('\n', stderr);
    }
    if (row->last_error && *row->last_error)
        print_indented(stderr, "\n  error: ", row->last_error);
    fprintf(stderr,
            "\nHow would you like to proceed?\n"
            "  [1] Resume from step %u (re-run only failed/pending steps)\n"
            "  [2] Restart from a chosen step (re-run from it)\n"
            "  [3] Restart from step 1 (full restart, clears all checkpoints)\n"
            "  [4] Skip step %u and continue (mark as skipped)\n"
            "  [5] Abort (do nothing)\n",
            failed, failed);
    char line[64];
    for (int tries = 0; tries < 5; tries++) {
        fprintf(stderr, "Choose [1-5] (default 1): ");
        if (!read_answer(line, sizeof line))
            break;
        if (!*line || strcmp(line, "1") == 0)
            return VM_ONFAIL_RESUME;
        if (strcmp(line, "3") == 0) {
            *from_step = 1;
            return VM_ONFAIL_RESTART;
        }
        if (strcmp(line, "4") == 0)
            return VM_ONFAIL_SKIP_STEP;
        if (strcmp(line, "5") == 0)
            break;
        if (strcmp(line, "2") == 0) {
            fprintf(stderr, "Restart from step [1-%u]: ", nsteps ? nsteps : failed);
            if (!read_answer(line, sizeof line))
                break;
            char *end;
            unsigned long k = strtoul(line, &end, 10);
            if (*line && !*end && k >= 1 && k <= (nsteps ? nsteps : failed)) {
                *from_step = (uint32_t)k;
                return VM_ONFAIL_RESTART;
            }
            fprintf(stderr, "'%s' is not a step number\n", line);
            continue;
        }
        fprintf(stderr, "answer 1, 2, 3, 4 or 5\n");
    }
    fprintf(stderr, "aborted: nothing was changed\n");
    return VM_ONFAIL_ABORT;
}

/* ------------------------------------------------------- diagnostics out */

/* In JSON mode every error also becomes an {"event":"error"} line. */
static void report_diags(cli_ctx *c, jy_diags *d, const render *r)
{
    if (r && r->mode == PM_JSON)
        for (size_t i = 0; i < d->n; i++) {
            const jy_diag *g = &d->v[i];
            json_t *o = json_object();
            json_object_set_new(o, "event", json_string(g->sev == JY_SEV_ERROR ? "error"
                                                                               : "warning"));
            json_object_set_new(o, "code", jstr(g->code));
            json_object_set_new(o, "where", jstr(g->where));
            json_object_set_new(o, "message", jstr(g->message));
            if (g->hint)
                json_object_set_new(o, "hint", json_string(g->hint));
            print_json_line(r->out, o);
        }
    cli_print_diags(c, d);
}

static void json_finish(render *r, int exit_code, const vm_result *res)
{
    if (r->mode != PM_JSON)
        return;
    json_t *o = json_object();
    json_object_set_new(o, "event", json_string("finish"));
    json_object_set_new(o, "exit_code", json_integer(exit_code));
    json_object_set_new(o, r->down ? "reverted" : "applied", json_integer(res ? res->applied : 0));
    json_object_set_new(o, "failed", json_integer(res ? res->failed : 0));
    json_object_set_new(o, "skipped_steps", json_integer(res ? res->skipped_steps : 0));
    print_json_line(r->out, o);
}

/* JORYU_TEST_KILL_AT=N: the crash-matrix hook (vm_apply_opts.kill_at). */
static int kill_at_env(cli_ctx *c, uint32_t *out)
{
    *out = 0;
    const char *s = getenv("JORYU_TEST_KILL_AT");
    if (!s || !*s)
        return 0;
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || errno || v > 0xFFFFFFFFul || s[0] < '0' || s[0] > '9') {
        cli_error(c, "JORYU_TEST_KILL_AT='%s' is not a kill point number", s);
        cli_hint(c, "it is a test hook: a whole number N kills the applier at its N-th kill "
                    "point; unset it for normal use");
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static const vm_script *up_script(const vm_migration *m, ir_dialect dl)
{
    return m && dl < IR_D__COUNT ? &m->up[dl] : NULL;
}

/* A migration id of the bundle, or an error with a did-you-mean. */
static const vm_migration *find_mig(session *s, const char *id, const char *what)
{
    const vm_migration *m = vm_bundle_find(s->b, id);
    if (m)
        return m;
    cli_error(s->c, "%s '%s' is not a migration of %s", what, id,
              s->src->npos ? "the bundle" : "this project");
    const char **cands = calloc(s->b->nmigs ? s->b->nmigs : 1, sizeof *cands);
    const char *close = NULL;
    if (cands) {
        for (uint32_t i = 0; i < s->b->nmigs; i++)
            cands[i] = s->b->migs[i].id;
        close = jy_closest(id, strlen(id), cands, s->b->nmigs);
        free(cands);
    }
    if (close)
        cli_hint(s->c, "did you mean '%s'?", close);
    else
        cli_hint(s->c, "`%s history%s%s` lists the migrations", s->c->prog->name,
                 s->src->npos ? " " : "", s->src->npos ? s->a->pos[0] : "");
    return NULL;
}

/* ------------------------------------------------------------------ apply */

static int on_failure_parse(cli_ctx *c, const char *v, vm_on_failure *out)
{
    static const char *const names[] = {"resume", "restart", "abort"};
    static const vm_on_failure vals[] = {VM_ONFAIL_RESUME, VM_ONFAIL_RESTART, VM_ONFAIL_ABORT};
    for (size_t i = 0; i < 3; i++)
        if (strcmp(v, names[i]) == 0) {
            *out = vals[i];
            return 0;
        }
    cli_error(c, "--on-failure must be resume, restart or abort, not '%s'", v);
    const char *close = jy_closest(v, strlen(v), names, 3);
    if (close)
        cli_hint(c, "did you mean --on-failure=%s?", close);
    return -1;
}

/*
 * `apply`: flags -> vm_apply_opts, signals, the renderer, then the VM.
 * Exit code: the VM's (0, 2, 3, 4), 1 when it could not run.
 */
int cli_apply(cli_ctx *c, const cli_args *a, const cli_bundle_src *src)
{
    vm_apply_opts o;
    memset(&o, 0, sizeof o);
    render r;
    memset(&r, 0, sizeof r);
    r.c = c;
    r.dl = IR_D__COUNT;
    if (pick_mode(c, a, &r.mode) != 0)
        return JY_EXIT_ERROR;
    r.out = r.mode == PM_INTERACTIVE ? stderr : stdout;
    o.dry_run = r.dry_run = cli_has(a, "dry-run");
    o.no_resume = cli_has(a, "no-resume");
    o.continue_past_failed = cli_has(a, "continue-past-failed");
    o.retry_paused = cli_has(a, "retry-paused");
    o.target = cli_str(a, "target");
    o.lock_timeout = -1;
    o.on_failure = VM_ONFAIL_RESUME;
    bool explicit_failure = false;
    if (cli_str(a, "on-failure")) {
        if (on_failure_parse(c, cli_str(a, "on-failure"), &o.on_failure) != 0)
            return JY_EXIT_ERROR;
        explicit_failure = true;
    }
    if (cli_str(a, "max-duration") &&
        parse_duration(c, "max-duration", cli_str(a, "max-duration"), &o.max_duration) != 0)
        return JY_EXIT_ERROR;
    if (cli_str(a, "max-duration") && o.max_duration <= 0) {
        cli_error(c, "--max-duration must be more than 0");
        return JY_EXIT_ERROR;
    }
    if (cli_str(a, "lock-timeout") &&
        parse_duration(c, "lock-timeout", cli_str(a, "lock-timeout"), &o.lock_timeout) != 0)
        return JY_EXIT_ERROR;
    if (kill_at_env(c, &o.kill_at) != 0)
        return JY_EXIT_ERROR;

    session s;
    session_init(&s, c, a, src);
    int rc = session_open(&s, NULL);
    if (rc != 0) {
        json_finish(&r, rc, NULL);
        session_free(&s);
        return rc;
    }
    r.dl = s.dl;
    if (o.target && !find_mig(&s, o.target, "--target")) {
        session_free(&s);
        return JY_EXIT_ERROR;
    }
    char why[256];
    bool prod = production_like(&s, why, sizeof why);
    bool prompt = !cli_has(a, "non-interactive") && terminal_io();
    if (o.continue_past_failed && prod && prompt && !o.dry_run) {
        fprintf(stderr, "%s is production-like (%s).\n", s.redacted, why);
        if (!confirm("Apply migrations past a failed one on it?")) {
            fprintf(stderr, "aborted: nothing was changed\n");
            session_free(&s);
            return JY_EXIT_PROD_GUARD;
        }
    }
    ask_ctx ac = {s.dl, prod};
    if (prompt && !explicit_failure) {
        o.on_failure = VM_ONFAIL_ASK;
        o.ask = ask_recovery;
        o.ask_ctx = &ac;
    }
    o.interrupt = &g_interrupt;
    o.progress = on_event;
    o.progress_ctx = &r;

    sig_saved old;
    signals_install(&old);
    vm_result res;
    memset(&res, 0, sizeof res);
    jy_diags d;
    jy_diags_init(&d);
    double t0 = now_s();
    int vrc = vm_apply(s.conn, s.b, &o, &res, &d);
    signals_restore(&old);
    live_clear(&r);
    fflush(r.out);
    rc = vrc == 0 ? res.exit_code : (d.exit_code ? d.exit_code : JY_EXIT_ERROR);
    bool hinted = diags_hinted(&d);
    report_diags(c, &d, &r);
    jy_diags_free(&d);
    json_finish(&r, rc, vrc == 0 ? &res : NULL);

    const bool text = r.mode != PM_JSON;
    if (rc == JY_EXIT_OK && text && r.mode != PM_QUIET) {
        if (o.dry_run)
            fprintf(r.out, "dry run: %zu migration%s would be applied; nothing was written\n",
                    r.plan_n, r.plan_n == 1 ? "" : "s");
        else if (res.applied == 0 && !r.any_migration)
            fprintf(r.out, "nothing to do: every migration%s is applied on %s\n",
                    o.target ? " up to the target" : "", s.redacted);
        else
            fprintf(r.out, "applied %u migration%s to %s in %.2fs\n", res.applied,
                    res.applied == 1 ? "" : "s", s.redacted, now_s() - t0);
    } else if (rc == JY_EXIT_FAILED && !hinted) {
        if (r.failed_shown)
            cli_hint(c, "fix the cause (the migration file or the database), then run `%s` "
                        "again: it resumes at the failed step.  `%s status` shows the state",
                     s.rerun, c->prog->name);
        else
            cli_hint(c, "`%s status` shows the failed migration; fix it and run `%s` again "
                        "(or `%s --continue-past-failed`)",
                     c->prog->name, s.rerun, s.rerun);
    } else if (rc == JY_EXIT_PAUSED) {
        if (g_interrupt)
            cli_warn(c, "interrupted by %s: paused at a step boundary; everything done so far "
                        "is recorded", g_interrupt == SIGTERM ? "SIGTERM" : "SIGINT");
        cli_hint(c, "the next `%s` resumes where it stopped (`%s status` shows where)", s.rerun,
                 c->prog->name);
    } else if (rc == JY_EXIT_VERIFY && !hinted) {
        cli_hint(c, "an applied migration changed: restore its file, or record the change with "
                    "`%s repair ID`", c->prog->name);
    }
    session_free(&s);
    return rc;
}

/* ------------------------------------------------------------------- down */

int cli_down(cli_ctx *c, const cli_args *a, const cli_bundle_src *src)
{
    vm_down_opts o;
    memset(&o, 0, sizeof o);
    render r;
    memset(&r, 0, sizeof r);
    r.c = c;
    r.down = true;
    r.dl = IR_D__COUNT;
    if (pick_mode(c, a, &r.mode) != 0)
        return JY_EXIT_ERROR;
    r.out = r.mode == PM_INTERACTIVE ? stderr : stdout;
    o.dry_run = r.dry_run = cli_has(a, "dry-run");
    o.lock_timeout = -1;
    o.to = cli_str(a, "to");
    if (cli_str(a, "steps") && o.to) {
        cli_error(c, "--steps and --to are two ways to say how far: give one");
        return JY_EXIT_ERROR;
    }
    o.steps = 1;
    if (cli_str(a, "steps") && parse_count(c, "steps", cli_str(a, "steps"), &o.steps) != 0)
        return JY_EXIT_ERROR;
    if (o.to)
        o.steps = 0;
    if (cli_str(a, "lock-timeout") &&
        parse_duration(c, "lock-timeout", cli_str(a, "lock-timeout"), &o.lock_timeout) != 0)
        return JY_EXIT_ERROR;
    session s;
    session_init(&s, c, a, src);
    int rc = session_open(&s, down_guard);
    if (rc != 0) {
        json_finish(&r, rc, NULL);
        session_free(&s);
        return rc;
    }
    r.dl = s.dl;
    if (o.to && !find_mig(&s, o.to, "--to")) {
        session_free(&s);
        return JY_EXIT_ERROR;
    }
    o.interrupt = &g_interrupt;
    o.progress = on_event;
    o.progress_ctx = &r;
    sig_saved old;
    signals_install(&old);
    vm_result res;
    memset(&res, 0, sizeof res);
    jy_diags d;
    jy_diags_init(&d);
    int vrc = vm_down(s.conn, s.b, &o, &res, &d);
    signals_restore(&old);
    live_clear(&r);
    fflush(r.out);
    rc = vrc == 0 ? res.exit_code : (d.exit_code ? d.exit_code : JY_EXIT_ERROR);
    bool hinted = diags_hinted(&d);
    report_diags(c, &d, &r);
    jy_diags_free(&d);
    json_finish(&r, rc, vrc == 0 ? &res : NULL);
    if (r.mode != PM_JSON && r.mode != PM_QUIET && rc == JY_EXIT_OK) {
        if (o.dry_run)
            fprintf(r.out, "dry run: %zu migration%s would be reverted; nothing was written\n",
                    r.plan_n, r.plan_n == 1 ? "" : "s");
        else if (res.applied == 0 && !r.any_migration)
            fprintf(r.out, "nothing to undo on %s\n", s.redacted);
        else
            fprintf(r.out, "reverted %u migration%s on %s\n", res.applied,
                    res.applied == 1 ? "" : "s", s.redacted);
    } else if (rc == JY_EXIT_PAUSED) {
        cli_hint(c, "run `%s` again to continue (`%s status` shows the state)", s.rerun,
                 c->prog->name);
    } else if (rc == JY_EXIT_FAILED && !hinted) {
        cli_hint(c, "`%s status` shows the state; fix the cause and run `%s` again", c->prog->name,
                 s.rerun);
    }
    session_free(&s);
    return rc;
}

/* ----------------------------------------------------------------- status */

/* A step's progress JSON as "k=v, k=v" (NULL-safe). */
static void progress_words(char *buf, size_t n, const char *progress)
{
    buf[0] = 0;
    if (!progress || !*progress)
        return;
    json_error_t err;
    json_t *p = json_loads(progress, 0, &err);
    if (!json_is_object(p)) {
        snprintf(buf, n, "%s", progress);
        json_decref(p);
        return;
    }
    size_t off = 0;
    const char *k;
    json_t *v;
    json_object_foreach(p, k, v) {
        char val[64];
        if (json_is_integer(v))
            snprintf(val, sizeof val, "%lld", (long long)json_integer_value(v));
        else if (json_is_real(v))
            snprintf(val, sizeof val, "%g", json_real_value(v));
        else if (json_is_string(v))
            snprintf(val, sizeof val, "%s", json_string_value(v));
        else if (json_is_boolean(v))
            snprintf(val, sizeof val, "%s", json_is_true(v) ? "true" : "false");
        else
            snprintf(val, sizeof val, "...");
        int w = snprintf(buf + off, n - off, "%s%s=%s", off ? ", " : "", k, val);
        if (w < 0 || (size_t)w >= n - off)
            break;
        off += (size_t)w;
    }
    json_decref(p);
}

static json_t *status_json(const session *s, const vm_status *st)
{
    json_t *root = json_object();
    json_object_set_new(root, "database", json_string(s->redacted));
    json_object_set_new(root, "dialect", json_string(ir_dialect_name(st->dialect)));
    json_t *arr = json_array();
    for (size_t i = 0; i < st->n; i++) {
        const vm_status_entry *e = &st->e[i];
        json_t *o = json_object();
        json_object_set_new(o, "id", jstr(e->id));
        json_object_set_new(o, "status", jstr(e->status));
        json_object_set_new(o, "known", json_boolean(e->mig != NULL));
        json_object_set_new(o, "checksum", jstr(e->mig ? e->mig->checksum : NULL));
        json_object_set_new(o, "checksum_mismatch", json_boolean(e->checksum_mismatch));
        json_object_set_new(o, "started_at", jstr(e->started_at));
        json_object_set_new(o, "finished_at", jstr(e->finished_at));
        json_object_set_new(o, "last_error", jstr(e->last_error));
        json_object_set_new(o, "pause_reason", jstr(e->pause_reason));
        json_t *steps = json_array();
        for (uint32_t k = 0; k < e->nsteps; k++) {
            const vm_status_step *ss = &e->steps[k];
            json_t *so = json_object();
            json_object_set_new(so, "step", json_integer(ss->step));
            json_object_set_new(so, "op", jstr(ss->op_kind));
            json_object_set_new(so, "description", jstr(ss->summary));
            json_object_set_new(so, "status", jstr(ss->status));
            json_t *pj = NULL;
            if (ss->progress && *ss->progress) {
                json_error_t err;
                pj = json_loads(ss->progress, 0, &err);
                if (!pj)
                    pj = json_string(ss->progress);
            }
            json_object_set_new(so, "progress", pj ? pj : json_null());
            json_object_set_new(so, "started_at", jstr(ss->started_at));
            json_object_set_new(so, "finished_at", jstr(ss->finished_at));
            json_array_append_new(steps, so);
        }
        json_object_set_new(o, "steps", steps);
        /* a downgrade stopped half way: how far it came, and its steps */
        json_t *ds = json_null();
        if (e->down_nsteps) {
            ds = json_object();
            json_object_set_new(ds, "undone", json_integer(e->down_undone));
            json_object_set_new(ds, "total", json_integer(e->down_nsteps));
            json_t *dl = json_array();
            for (uint32_t k = 0; k < e->ndown_steps; k++) {
                const vm_status_step *ss = &e->down_steps[k];
                json_t *so = json_object();
                json_object_set_new(so, "step", json_integer(ss->step));
                json_object_set_new(so, "op", jstr(ss->op_kind));
                json_object_set_new(so, "description", jstr(ss->summary));
                json_object_set_new(so, "status", jstr(ss->status));
                json_array_append_new(dl, so);
            }
            json_object_set_new(ds, "steps", dl);
        }
        json_object_set_new(o, "downgrade_stopped", ds);
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "migrations", arr);
    json_t *sum = json_object();
    json_object_set_new(sum, "total", json_integer((json_int_t)st->n));
    json_object_set_new(sum, "applied", json_integer((json_int_t)st->napplied));
    json_object_set_new(sum, "pending", json_integer((json_int_t)st->npending));
    json_object_set_new(sum, "failed", json_integer((json_int_t)st->nfailed));
    json_object_set_new(sum, "paused", json_integer((json_int_t)st->npaused));
    json_object_set_new(root, "summary", sum);
    return root;
}

/*
 * The command line a status hint names: "joryu down", "joryu-run down
 * app.jyb" (joryu-run takes the bundle first), with `extra` flags after.
 */
static const char *hint_cmd(char *buf, size_t n, const session *s, const char *cmd,
                            const char *extra)
{
    /* the bundle path as a shell word: quoted when it holds anything else
       than letters, digits and ./_-+=:,@% */
    char path[512] = "";
    if (s->src->npos) {
        const char *p = s->a->pos[0];
        if (*p && strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                            "./_-+=:,@%") == strlen(p)) {
            snprintf(path, sizeof path, " %s", p);
        } else {
            size_t o = 0;
            path[o++] = ' ';
            path[o++] = '\'';
            for (; *p && o + 6 < sizeof path; p++) {
                if (*p == '\'') {
                    memcpy(path + o, "'\\''", 4);
                    o += 4;
                } else {
                    path[o++] = *p;
                }
            }
            path[o++] = '\'';
            path[o] = 0;
        }
    }
    snprintf(buf, n, "%s %s%s%s%s", s->c->prog->name, cmd, path, extra && *extra ? " " : "",
             extra ? extra : "");
    return buf;
}

/*
 * A failed migration whose downgrade stopped half way (the VM's
 * vm_status_entry says so: down_nsteps > 0).  true with *undone = the
 * steps of the downgrade undone and committed, *nsteps = all of them.
 */
static bool down_stopped(const vm_status_entry *e, unsigned *undone, unsigned *nsteps)
{
    if (!e->down_nsteps)
        return false;
    *undone = e->down_undone;
    *nsteps = e->down_nsteps;
    return true;
}

/*
 * What to do next about entry i, whose downgrade stopped half way: `down`
 * again continues it (after undoing whatever was applied after it: down
 * takes the last applied first), or `apply` redoes the migration.
 */
static void status_next_down(const session *s, const vm_status *st, size_t i, unsigned undone,
                             unsigned nsteps)
{
    FILE *f = s->c->out;
    const vm_status_entry *e = &st->e[i];
    size_t later = 0; /* applied after it in apply order: down undoes them first */
    for (size_t k = i + 1; k < st->n; k++)
        if (st->e[k].mig && strcmp(st->e[k].status, "applied") == 0)
            later++;
    char steps[32] = "", down[600], apply[600];
    if (later)
        snprintf(steps, sizeof steps, "--steps=%zu", later + 1);
    fprintf(f, "next: the downgrade of %s stopped after undoing %u of %u steps: fix the cause and "
               "run `%s` (it continues at step %u",
            e->id, undone, nsteps, hint_cmd(down, sizeof down, s, "down", steps), undone + 1);
    if (later)
        fprintf(f, ", after undoing the %zu migration%s applied after it", later,
                later == 1 ? "" : "s");
    fprintf(f, "), or run `%s` to redo the migration\n",
            hint_cmd(apply, sizeof apply, s, "apply", NULL));
}

static void status_text(const session *s, const vm_status *st)
{
    cli_ctx *c = s->c;
    FILE *f = c->out;
    fprintf(f, "%sdatabase%s %s (%s)\n\n", cli_bold(c), cli_reset(c), s->redacted,
            ir_dialect_name(st->dialect));
    size_t nmismatch = 0;
    for (size_t i = 0; i < st->n; i++) {
        const vm_status_entry *e = &st->e[i];
        bool detail = strcmp(e->status, "applied") != 0 && strcmp(e->status, "pending") != 0;
        fprintf(f, "  %-14s %s", e->status, e->id);
        if (e->checksum_mismatch) {
            nmismatch++;
            fprintf(f, "  (checksum changed since it was applied)");
        }
        if (!e->mig) {
            fprintf(f, "  (recorded in the database, not in the %s)",
                    s->src->npos ? "bundle" : "project");
        }
        fputc('\n', f);
        if (!detail)
            continue;
        /* a downgrade stopped half way: its steps, undone or to undo (the
           upgrade's step rows are gone: its steps would all say pending) */
        bool down = e->ndown_steps > 0;
        const vm_status_step *steps = down ? e->down_steps : e->steps;
        uint32_t nsteps = down ? e->ndown_steps : e->nsteps;
        for (uint32_t k = 0; k < nsteps; k++) {
            const vm_status_step *ss = &steps[k];
            char desc[256], prog[512];
            snprintf(desc, sizeof desc, "%s%s%s", ss->op_kind ? ss->op_kind : "step",
                     ss->summary && *ss->summary ? " " : "", ss->summary ? ss->summary : "");
            progress_words(prog, sizeof prog, ss->progress);
            fprintf(f, "      %sstep %u/%u  %-9s %s%s%s%s\n", down ? "down " : "", ss->step,
                    nsteps, ss->status ? ss->status : "?", desc, *prog ? "  [" : "", prog,
                    *prog ? "]" : "");
        }
        if (e->last_error && *e->last_error)
            print_indented(f, "      error: ", e->last_error);
        if (e->pause_reason && *e->pause_reason)
            print_indented(f, "      paused: ", e->pause_reason);
    }
    fprintf(f, "\n%zu migration%s: %zu applied, %zu pending, %zu failed, %zu paused\n", st->n,
            st->n == 1 ? "" : "s", st->napplied, st->npending, st->nfailed, st->npaused);
    /* a downgrade that stopped half way can go either way; any other
       failure resumes with apply */
    size_t nhalf = 0;
    for (size_t i = 0; i < st->n; i++) {
        unsigned undone, nsteps;
        if (st->e[i].mig && down_stopped(&st->e[i], &undone, &nsteps)) {
            status_next_down(s, st, i, undone, nsteps);
            nhalf++;
        }
    }
    char cmd[600];
    hint_cmd(cmd, sizeof cmd, s, "apply", NULL);
    if (st->nfailed > nhalf)
        fprintf(f, "next: fix the failed migration and run `%s` (it resumes), or see "
                   "`%s mark --help`\n",
                cmd, c->prog->name);
    else if (!st->nfailed && st->npaused)
        fprintf(f, "next: `%s` resumes the paused migration\n", cmd);
    else if (!st->nfailed && st->npending)
        fprintf(f, "next: `%s` applies the pending ones\n", cmd);
    if (nmismatch)
        fprintf(f, "checksum changed: restore the file, or record the change with `%s repair "
                   "ID`\n", c->prog->name);
}

int cli_status(cli_ctx *c, const cli_args *a, const cli_bundle_src *src)
{
    session s;
    session_init(&s, c, a, src);
    int rc = session_open(&s, NULL);
    if (rc != 0) {
        session_free(&s);
        return rc;
    }
    jy_diags d;
    jy_diags_init(&d);
    vm_status *st = NULL;
    /* the text lists steps of unfinished migrations only: applied ones'
       step rows are not read */
    if (vm_status_read_ex(s.conn, s.b, cli_has(a, "json"), &st, &d) != 0) {
        cli_print_diags(c, &d);
        rc = d.exit_code ? d.exit_code : JY_EXIT_ERROR;
    } else {
        cli_print_diags(c, &d);
        if (cli_has(a, "json"))
            print_json_doc(c->out, status_json(&s, st));
        else
            status_text(&s, st);
    }
    vm_status_free(st);
    jy_diags_free(&d);
    session_free(&s);
    return rc;
}

/* ------------------------------------------------------------ mark, repair */

static const char *const mig_states[] = {"applied", "pending", "failed", "paused"};
static const char *const step_states[] = {"done", "pending", "skipped"};

static bool in_list(const char *v, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, list[i]) == 0)
            return true;
    return false;
}

/* The production confirmation of §15.2 for mark: a terminal asks; without
 * one, --allow-prod is required. */
static int mark_guard(session *s)
{
    char why[256];
    if (!production_like(s, why, sizeof why) || cli_has(s->a, "allow-prod"))
        return 0;
    if (terminal_io()) {
        fprintf(stderr, "%s is production-like (%s).\n", s->redacted, why);
        if (confirm("Change the recorded state on it?"))
            return 0;
        fprintf(stderr, "aborted: nothing was changed\n");
        return JY_EXIT_PROD_GUARD;
    }
    cli_error(s->c, "refusing to change the recorded state of a production-like database %s "
                    "(%s) without confirmation", s->redacted, why);
    cli_hint(s->c, "run it on a terminal to confirm, or pass --allow-prod");
    return JY_EXIT_PROD_GUARD;
}

int cli_mark(cli_ctx *c, const cli_args *a, const cli_bundle_src *src)
{
    session s;
    session_init(&s, c, a, src);
    const char *target = arg_pos(&s, 0);
    const char *as = cli_str(a, "as");
    const char *reason = cli_str(a, "reason");
    if (!target) {
        cli_error(c, "missing ID[.STEP]");
        session_free(&s);
        return JY_EXIT_ERROR;
    }
    /* ID[.STEP]: ids have no '.', so a dot starts the step number */
    char id[256];
    uint32_t step = 0;
    const char *dot = strchr(target, '.');
    size_t idlen = dot ? (size_t)(dot - target) : strlen(target);
    if (idlen == 0 || idlen >= sizeof id) {
        cli_error(c, "'%s' is not a migration id", target);
        cli_hint(c, "write ID or ID.STEP, e.g. 20260514T093000_add_users.2");
        session_free(&s);
        return JY_EXIT_ERROR;
    }
    memcpy(id, target, idlen);
    id[idlen] = 0;
    if (dot) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(dot + 1, &end, 10);
        if (dot[1] < '0' || dot[1] > '9' || *end || errno || v == 0 || v > 0xFFFFFFul) {
            cli_error(c, "'%s' is not a step number (steps count from 1, as `%s status` shows "
                         "them)", dot + 1, c->prog->name);
            session_free(&s);
            return JY_EXIT_ERROR;
        }
        step = (uint32_t)v;
    }
    const char *const *states = step ? step_states : mig_states;
    size_t nstates = step ? JY_COUNTOF(step_states) : JY_COUNTOF(mig_states);
    if (!as) {
        cli_error(c, "--as is required: the state to record");
        cli_hint(c, step ? "--as=done, --as=pending or --as=skipped for a step"
                         : "--as=applied, --as=pending, --as=failed or --as=paused");
        session_free(&s);
        return JY_EXIT_ERROR;
    }
    if (!in_list(as, states, nstates)) {
        cli_error(c, "--as=%s is not a state of a %s", as, step ? "step" : "migration");
        const char *close = jy_closest(as, strlen(as), states, nstates);
        cli_hint(c, "%s%s%s%s", close ? "did you mean --as=" : "", close ? close : "",
                 close ? "? " : "",
                 step ? "a step is done, pending or skipped"
                      : "a migration is applied, pending, failed or paused (ID.STEP marks a "
                        "step)");
        session_free(&s);
        return JY_EXIT_ERROR;
    }
    if (!step && strcmp(as, "paused") == 0 && (!reason || !*reason)) {
        cli_error(c, "--as=paused needs --reason=\"...\": status shows it to whoever resumes");
        session_free(&s);
        return JY_EXIT_ERROR;
    }
    int rc = session_open(&s, mark_guard);
    if (rc == 0) {
        const vm_migration *m = find_mig(&s, id, "migration");
        if (!m) {
            rc = JY_EXIT_ERROR;
        } else {
            const vm_script *sc = up_script(m, s.dl);
            if (step && sc && step > sc->nsteps) {
                cli_error(c, "%s has %u step%s on %s: there is no step %u", id, sc->nsteps,
                          sc->nsteps == 1 ? "" : "s", ir_dialect_name(s.dl), step);
                rc = JY_EXIT_ERROR;
            }
        }
    }
    if (rc == 0) {
        jy_diags d;
        jy_diags_init(&d);
        if (vm_mark(s.conn, s.b, id, step, as, reason, &d) != 0) {
            cli_print_diags(c, &d);
            rc = d.exit_code ? d.exit_code : JY_EXIT_ERROR;
        } else {
            cli_print_diags(c, &d);
            if (step)
                fprintf(c->out, "marked %s step %u as %s on %s\n", id, step, as, s.redacted);
            else
                fprintf(c->out, "marked %s as %s on %s\n", id, as, s.redacted);
        }
        jy_diags_free(&d);
    }
    session_free(&s);
    return rc;
}

int cli_repair(cli_ctx *c, const cli_args *a, const cli_bundle_src *src)
{
    session s;
    session_init(&s, c, a, src);
    const char *id = arg_pos(&s, 0);
    int rc = session_open(&s, NULL);
    if (rc == 0 && !find_mig(&s, id, "migration"))
        rc = JY_EXIT_ERROR;
    if (rc == 0) {
        jy_diags d;
        jy_diags_init(&d);
        if (vm_repair(s.conn, s.b, id, &d) != 0) {
            cli_print_diags(c, &d);
            rc = d.exit_code ? d.exit_code : JY_EXIT_ERROR;
        } else {
            cli_print_diags(c, &d);
            fprintf(c->out, "recorded checksum %s for %s on %s\n", vm_bundle_find(s.b, id)->checksum,
                    id, s.redacted);
        }
        jy_diags_free(&d);
    }
    session_free(&s);
    return rc;
}

/* ---------------------------------------------------------- history, heads */

/* A session over the bundle alone (no database): joryu.toml, then the
 * bundle with every dialect.  On an error s is freed already. */
static int session_bundle_only(session *s, cli_ctx *c, const cli_args *a,
                               const cli_bundle_src *src)
{
    session_init(s, c, a, src);
    int rc = session_config(s);
    if (rc == 0)
        rc = open_bundle(s, IR_D__COUNT);
    if (rc != 0)
        session_free(s);
    return rc;
}

static bool reversible_somewhere(const vm_migration *m)
{
    for (int i = 0; i < IR_D__COUNT; i++)
        if (m->down[i].present && !m->down[i].irreversible)
            return true;
    return false;
}

/* "postgresql, sqlite": the names of the dialects of m, in enum order. */
static void dialect_names(char *buf, size_t n, ir_dmask m)
{
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < IR_D__COUNT && o < n; i++)
        if (m & IR_DMASK(i)) {
            int w = snprintf(buf + o, n - o, "%s%s", o ? ", " : "", ir_dialect_name((ir_dialect)i));
            if (w < 0)
                break;
            o += (size_t)w;
        }
}

int cli_history_print(cli_ctx *c, const cli_args *a, const cli_history_row *rows, size_t n,
                      ir_dmask listed)
{
    char names[96];
    if (cli_has(a, "json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            const cli_history_row *r = &rows[i];
            json_t *o = json_object();
            json_object_set_new(o, "id", jstr(r->id));
            json_object_set_new(o, "file", jstr(r->file));
            json_object_set_new(o, "checksum", jstr(r->checksum));
            json_t *deps = json_array();
            for (size_t k = 0; k < r->ndepends; k++)
                json_array_append_new(deps, jstr(r->depends_on[k]));
            json_object_set_new(o, "depends_on", deps);
            json_t *dl = json_array();
            for (int k = 0; k < IR_D__COUNT; k++)
                if (r->dialects & listed & IR_DMASK(k))
                    json_array_append_new(dl, json_string(ir_dialect_name((ir_dialect)k)));
            json_object_set_new(o, "dialects", dl);
            json_object_set_new(o, "transaction_mode", json_string(ir_tx_mode_name(r->tx_mode)));
            if (r->reversible >= 0)
                json_object_set_new(o, "reversible", json_boolean(r->reversible));
            json_array_append_new(arr, o);
        }
        json_t *root = json_object();
        json_object_set_new(root, "migrations", arr);
        print_json_doc(c->out, root);
        return JY_EXIT_OK;
    }
    int w = 2;
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(rows[i].id) > w)
            w = (int)strlen(rows[i].id);
    fprintf(c->out, "%s%-*s  %-67s  %s%s\n", cli_bold(c), w, "ID", "CHECKSUM", "DEPENDS_ON",
            cli_reset(c));
    for (size_t i = 0; i < n; i++) {
        const cli_history_row *r = &rows[i];
        fprintf(c->out, "%-*s  %-67s  ", w, r->id, r->checksum ? r->checksum : "");
        if (r->ndepends == 0)
            fputs("-", c->out);
        for (size_t k = 0; k < r->ndepends; k++)
            fprintf(c->out, "%s%s", k ? "," : "", r->depends_on[k]);
        ir_dmask on = r->dialects & listed;
        if (!on) {
            dialect_names(names, sizeof names, listed);
            fprintf(c->out, "  (not for %s)", names);
        } else if (on != listed) {
            dialect_names(names, sizeof names, on);
            fprintf(c->out, "  (only for %s)", names);
        }
        fputc('\n', c->out);
    }
    return JY_EXIT_OK;
}

static int row_cmp(const void *k, const void *r)
{
    return strcmp((const char *)k, ((const cli_history_row *)r)->id);
}

/* Heads: the migrations nothing comes after (docs/SPEC.md "history, heads").
 * Of the rows in question (on == 0: every row; else those that run on one of
 * the dialects of on), the ones no row in question comes after, directly or
 * through others (whatever their dialects: the apply order of one dialect is
 * the whole order with the other dialects' migrations left out).  Row i comes
 * after the rows its depends_on names and, when that is empty (timestamp
 * order, reference §3.2), after every row with a smaller id (rows are in id
 * order).  So an id-ordered history has one head, its last. */
int cli_heads_print(cli_ctx *c, const cli_args *a, const cli_history_row *rows, size_t n,
                    ir_dmask on)
{
    size_t m = n ? n : 1;
    bool *before = calloc(m, sizeof *before); /* something in question comes after it */
    bool *done = calloc(m, sizeof *done);
    size_t *stack = calloc(2 * m, sizeof *stack);
    if (!before || !done || !stack) {
        free(before);
        free(done);
        free(stack);
        cli_error(c, "out of memory");
        return JY_EXIT_ERROR;
    }
    size_t top = 0, prefix = 0; /* rows below prefix: all marked and stacked */
    for (size_t i = 0; i < n; i++)
        if (!on || (rows[i].dialects & on))
            stack[top++] = i;
    while (top) {
        size_t v = stack[--top];
        if (done[v])
            continue;
        done[v] = true;
        const cli_history_row *r = &rows[v];
        for (size_t k = 0; k < r->ndepends; k++) {
            const cli_history_row *t = bsearch(r->depends_on[k], rows, n, sizeof *rows, row_cmp);
            if (t && !before[t - rows]) {
                before[t - rows] = true;
                stack[top++] = (size_t)(t - rows);
            }
        }
        if (r->ndepends == 0 && v > prefix) {
            for (size_t k = prefix; k < v; k++)
                if (!before[k]) {
                    before[k] = true;
                    stack[top++] = k;
                }
            prefix = v;
        }
    }
    json_t *arr = cli_has(a, "json") ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        if (before[i] || (on && !(rows[i].dialects & on)))
            continue;
        if (arr)
            json_array_append_new(arr, json_string(rows[i].id));
        else
            fprintf(c->out, "%s\n", rows[i].id);
    }
    if (arr) {
        json_t *root = json_object();
        json_object_set_new(root, "heads", arr);
        print_json_doc(c->out, root);
    }
    free(before);
    free(done);
    free(stack);
    return JY_EXIT_OK;
}

/* history and heads of a bundle: its migrations as rows (migs is sorted by
 * id).  The dialects the listing is about: --dialect, else for history every
 * one the bundle was built for (what joryu history lists for joryu.toml's
 * targets, which joryuc build compiles by default), for heads none (every
 * migration counts; with --dialect, the migrations that run there: the
 * bundle's masks know the dialects it was built for only). */
static int bundle_listing(cli_ctx *c, const cli_args *a, const cli_bundle_src *src, bool heads)
{
    session s;
    int rc = session_bundle_only(&s, c, a, src);
    if (rc != 0)
        return rc;
    const vm_bundle *b = s.b;
    ir_dmask on;
    if (cli_dialects(c, a, "dialect", heads ? 0 : b->dialects, &on) != 0) {
        session_free(&s);
        return JY_EXIT_ERROR;
    }
    if (on & ~b->dialects) {
        char want[96], have[96];
        dialect_names(want, sizeof want, on & ~b->dialects);
        dialect_names(have, sizeof have, b->dialects);
        cli_error(c, "the bundle has no code for %s (it was built for: %s)", want, have);
        dialect_names(want, sizeof want, on);
        cli_hint(c, "build it with `joryuc build --dialect=%s`, or name a dialect it has", want);
        session_free(&s);
        return JY_EXIT_ERROR;
    }
    cli_history_row *rows = calloc(b->nmigs ? b->nmigs : 1, sizeof *rows);
    if (!rows) {
        cli_error(c, "out of memory");
        session_free(&s);
        return JY_EXIT_ERROR;
    }
    for (uint32_t i = 0; i < b->nmigs; i++) {
        const vm_migration *m = &b->migs[i];
        rows[i] = (cli_history_row){m->id, m->file, m->checksum, m->depends_on, m->ndepends,
                                    m->dialects, m->tx_mode,
                                    heads ? -1 : reversible_somewhere(m)};
    }
    rc = heads ? cli_heads_print(c, a, rows, b->nmigs, on)
               : cli_history_print(c, a, rows, b->nmigs, on);
    free(rows);
    session_free(&s);
    return rc;
}

int cli_history(cli_ctx *c, const cli_args *a, const cli_bundle_src *src)
{
    return bundle_listing(c, a, src, false);
}

int cli_heads(cli_ctx *c, const cli_args *a, const cli_bundle_src *src)
{
    return bundle_listing(c, a, src, true);
}

/* ------------------------------------------------------- the bundle file */

unsigned cli_code_for(const cli_ctx *c)
{
    const char *cmd = c->cmd ? c->cmd->name : "";
    if (!strcmp(cmd, "apply"))
        return VM_KEEP_UP_CODE;
    if (!strcmp(cmd, "down"))
        return VM_KEEP_DOWN_CODE;
    if (!strcmp(cmd, "status") || !strcmp(cmd, "mark") || !strcmp(cmd, "repair") ||
        !strcmp(cmd, "history") || !strcmp(cmd, "heads"))
        return 0;
    return VM_KEEP_ALL_CODE;
}

static int file_open(cli_ctx *c, const cli_args *a, const rt_config *cfg, ir_dialect dl,
                     vm_bundle **out)
{
    (void)cfg;
    jy_diags d;
    jy_diags_init(&d);
    /* the code of the URL's dialect only (MySQL and MariaDB together): a
     * third of the memory of a bundle built for three dialects */
    ir_dmask want = dl == IR_D_MYSQL || dl == IR_D_MARIADB
                        ? IR_DMASK(IR_D_MYSQL) | IR_DMASK(IR_D_MARIADB)
                    : dl < IR_D__COUNT ? IR_DMASK(dl)
                                       : IR_DMASK_ALL;
    /* and the statements of what the command may run (cli_code_for) */
    int rc = vm_bundle_load_code(a->pos[0], want, cli_code_for(c), out, &d);
    if (rc == 0 && want != IR_DMASK_ALL && !(*out)->dialects) {
        /* no code for that dialect: load it whole, so that the VM's
         * vm.dialect-missing says what it was built for */
        vm_bundle_free(*out);
        *out = NULL;
        rc = vm_bundle_load(a->pos[0], out, &d);
    }
    bool hinted = diags_hinted(&d);
    cli_print_diags(c, &d);
    jy_diags_free(&d);
    if (rc != 0) {
        *out = NULL;
        if (!hinted)
            cli_hint(c, "build the bundle again with `joryuc build -o %s` and copy it whole",
                     a->pos[0]);
        return JY_EXIT_ERROR;
    }
    return 0;
}

const cli_bundle_src cli_bundle_file = {1, false, file_open};
