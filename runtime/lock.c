/*
 * lock.c - the database-wide apply lock (brief "State, checksums, locks";
 * docs/SPEC.md "The apply lock"), one mechanism per database family:
 *
 *   PostgreSQL  a session advisory lock on RT_LOCK_PG_KEY, taken with
 *               pg_try_advisory_lock polled until the timeout
 *   MySQL       GET_LOCK('joryu_apply:<database>', timeout)
 *   SQLite      flock(2) LOCK_EX on a lock file beside the database
 *               (<file>.joryu-lock); :memory: needs none
 *
 * Each dies with its session: the server drops advisory and GET_LOCK locks
 * when the connection ends, and the kernel drops a flock when the file's
 * last descriptor closes (the process ends, or the SQLite connection that
 * owns the descriptor closes: see sqlite_acquire).  Taking the lock on a
 * connection that holds it already succeeds and changes nothing; one
 * release frees it.
 */
#include "driver_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

/* The PostgreSQL advisory lock key: the first 8 bytes of SHA-256("joryu")
 * read as a big-endian signed 64-bit integer (0x7c087e3ad65f4d6f). */
#define RT_LOCK_PG_KEY "8937532251686522223"
#define RT_LOCK_PG_CLASSID "2080931386" /* 0x7c087e3a */
#define RT_LOCK_PG_OBJID "3596569967"   /* 0xd65f4d6f */

/* How long a poll sleeps between two tries. */
#define POLL_SECONDS 0.05

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_seconds(double s)
{
    if (s <= 0)
        return;
    struct timespec ts;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL);
}

/* A poll loop's clock: the deadline (infinite for timeout < 0). */
typedef struct poll_clock {
    double deadline;
    bool forever;
} poll_clock;

static poll_clock clock_start(double timeout)
{
    poll_clock k = {now_seconds() + (timeout > 0 ? timeout : 0), timeout < 0};
    return k;
}

/* Sleep before the next try; false when the time is up. */
static bool clock_wait(const poll_clock *k)
{
    if (k->forever) {
        sleep_seconds(POLL_SECONDS);
        return true;
    }
    double left = k->deadline - now_seconds();
    if (left <= 0)
        return false;
    sleep_seconds(left < POLL_SECONDS ? left : POLL_SECONDS);
    return true;
}

static int timed_out(const rt_conn *c, double timeout, jy_diags *d)
{
    jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.lock-timeout", NULL,
                  "another joryu apply holds the lock on %s; waited %g s: retry, or raise "
                  "--lock-timeout",
                  c->url.redacted ? c->url.redacted : "the database", timeout < 0 ? 0 : timeout);
    return -1;
}

/* One-value query: 0 with the first cell copied into buf ("" for NULL). */
static int query_value(rt_conn *c, const char *sql, const char *const *p, size_t np, char *buf,
                       size_t size, jy_diags *d)
{
    rt_rows *r = NULL;
    if (rt_query(c, sql, p, np, &r, d) != 0)
        return -1;
    const char *v = rt_rows_cell(r, 0, 0);
    snprintf(buf, size, "%s", v ? v : "");
    rt_rows_free(r);
    return 0;
}

/* ---------------------------------------------------------- PostgreSQL */

/*
 * Advisory locks stack within a session; to keep one level only (so that
 * one release frees it) the try is skipped when pg_locks shows that this
 * session holds the key already (a bigint key is classid = its high 32
 * bits, objid = its low 32 bits, objsubid = 1).
 */
static const char pg_try_sql[] =
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_locks"
    " WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
    " AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())"
    " AND classid = " RT_LOCK_PG_CLASSID " AND objid = " RT_LOCK_PG_OBJID " AND objsubid = 1)"
    " THEN true ELSE pg_try_advisory_lock(" RT_LOCK_PG_KEY ") END";

static int pg_acquire(rt_conn *c, double timeout, jy_diags *d)
{
    poll_clock k = clock_start(timeout);
    for (;;) {
        char v[8];
        if (query_value(c, pg_try_sql, NULL, 0, v, sizeof v, d) != 0)
            return -1;
        if (strcmp(v, "t") == 0)
            return 0;
        if (!clock_wait(&k))
            return timed_out(c, timeout, d);
    }
}

/* Not holding it is no error (pg_advisory_unlock then says false, with a
 * warning the driver swallows). */
static int pg_release(rt_conn *c, jy_diags *d)
{
    char v[8];
    return query_value(c, "SELECT pg_advisory_unlock(" RT_LOCK_PG_KEY ")", NULL, 0, v, sizeof v,
                       d);
}

/* -------------------------------------------------------------- MySQL */

/*
 * The lock's name, computed by the server in the statement that takes or
 * frees the lock (no round trip of its own): GET_LOCK names are
 * server-wide, so the database's name is part of it; when that name is
 * longer than 52 bytes (MySQL's limit for a lock name is 64 characters)
 * the first 52 hex digits of its SHA-256 stand for it.  No database
 * selected: "joryu_apply:".
 */
#define MY_LOCK_NAME                                                                     \
    "(SELECT IF(LENGTH(db) <= 52, CONCAT('joryu_apply:', db),"                           \
    " CONCAT('joryu_apply:', LEFT(SHA2(db, 256), 52))) AS name"                          \
    " FROM (SELECT COALESCE(DATABASE(), '') AS db) AS d) AS k"

/*
 * GET_LOCK waits on the server.  It stacks within a session too, so a
 * session that holds the lock does not take it again.  MariaDB refuses a
 * negative timeout: "forever" waits a day at a time.
 */
static int my_acquire(rt_conn *c, double timeout, jy_diags *d)
{
    /* the timeout is a number we print: a literal, so that the statement
       is one round trip (parameters cost a prepare first) */
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT IF(IS_USED_LOCK(name) = CONNECTION_ID(), 1, GET_LOCK(name, %.3f)), name"
             " FROM " MY_LOCK_NAME,
             timeout < 0 ? 86400.0 : timeout);
    for (;;) {
        rt_rows *r = NULL;
        if (rt_query(c, sql, NULL, 0, &r, d) != 0)
            return -1;
        const char *v = rt_rows_cell(r, 0, 0);
        const char *name = rt_rows_cell(r, 0, 1);
        int got = !v ? -1 : strcmp(v, "1") == 0 ? 1 : 0;
        if (got < 0)
            jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.lock-failed", NULL,
                          "cannot take the apply lock on %s: GET_LOCK('%s') failed; check the "
                          "server's log",
                          c->url.redacted ? c->url.redacted : "the database",
                          name ? name : "joryu_apply");
        rt_rows_free(r);
        if (got > 0)
            return 0;
        if (got < 0)
            return -1;
        if (timeout >= 0)
            return timed_out(c, timeout, d);
    }
}

static int my_release(rt_conn *c, jy_diags *d)
{
    char v[8];
    return query_value(c, "SELECT RELEASE_LOCK(name) FROM " MY_LOCK_NAME, NULL, 0, v, sizeof v,
                       d);
}

/* ------------------------------------------------------------- SQLite */

/* The SQL function whose registration holds the lock file's descriptor:
 * its destructor runs when the function is removed (rt_lock_release) or
 * the SQLite connection closes, and closing the descriptor drops the
 * flock. */
#define LOCK_FN "joryu_apply_lock"

typedef struct lite_lock {
    int fd;
} lite_lock;

static void lite_lock_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    (void)argv;
    sqlite3_result_int(ctx, 1);
}

static void lite_lock_destroy(void *p)
{
    lite_lock *l = p;
    if (l->fd >= 0)
        close(l->fd);
    free(l);
}

/* Does this connection hold the lock (is the function registered)? */
static bool lite_held(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    bool held = sqlite3_prepare_v2(db, "SELECT " LOCK_FN "()", -1, &st, NULL) == SQLITE_OK;
    sqlite3_finalize(st);
    return held;
}

/*
 * The lock file's path: the database file's real path (so that two names
 * of one file, e.g. through a symbolic link, share the lock) + ".joryu-lock".
 * malloc'd.
 */
static char *lite_lock_path(const char *path)
{
    char *real = realpath(path, NULL);
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_printf(&b, "%s.joryu-lock", real ? real : path);
    free(real);
    return jy_buf_take(&b);
}

static int lite_fail(rt_conn *c, const char *path, const char *what, int err, jy_diags *d)
{
    jy_diag *g = jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.lock-failed", NULL,
                               "cannot take the apply lock on %s: %s %s: %s",
                               c->url.redacted ? c->url.redacted : "the database", what, path,
                               strerror(err));
    if (g)
        jy_diag_hint(g, "joryu locks SQLite databases with the file <database>.joryu-lock: "
                        "the folder of the database must let you create it");
    return -1;
}

/*
 * Why a lock file and not the database file itself: closing any descriptor
 * of a file drops every POSIX lock the process holds on it, so a
 * descriptor of our own on the database could silently undo SQLite's
 * locks of another connection in the same process.  The lock file is
 * never deleted (deleting it would let two appliers lock two different
 * files); it is empty and harmless.
 */
static int lite_acquire(rt_conn *c, double timeout, jy_diags *d)
{
    sqlite3 *db = c->handle;
    if (c->url.memory || !c->url.path || !*c->url.path)
        return 0;
    if (lite_held(db))
        return 0;
    char *path = lite_lock_path(c->url.path);
    if (!path)
        return rt__sql_error(c, d, "out of memory", NULL, NULL);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 && (errno == EACCES || errno == EROFS))
        fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int rc = lite_fail(c, path, "cannot open the lock file", errno, d);
        free(path);
        return rc;
    }
    poll_clock k = clock_start(timeout);
    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            break;
        int e = errno;
        if (e == EINTR)
            continue;
        if (e != EWOULDBLOCK) {
            close(fd);
            int rc = lite_fail(c, path, "cannot lock", e, d);
            free(path);
            return rc;
        }
        if (!clock_wait(&k)) {
            close(fd);
            free(path);
            return timed_out(c, timeout, d);
        }
    }
    free(path);
    lite_lock *l = malloc(sizeof *l);
    if (!l) {
        close(fd);
        return rt__sql_error(c, d, "out of memory", NULL, NULL);
    }
    l->fd = fd;
    /* on failure SQLite calls the destructor, which closes fd */
    if (sqlite3_create_function_v2(db, LOCK_FN, 0, SQLITE_UTF8, l, lite_lock_fn, NULL, NULL,
                                   lite_lock_destroy) != SQLITE_OK)
        return rt__sql_error(c, d, sqlite3_errmsg(db), NULL, NULL);
    return 0;
}

static int lite_release(rt_conn *c, jy_diags *d)
{
    sqlite3 *db = c->handle;
    if (!lite_held(db))
        return 0;
    /* removing the function runs its destructor: the descriptor closes */
    if (sqlite3_create_function_v2(db, LOCK_FN, 0, SQLITE_UTF8, NULL, NULL, NULL, NULL, NULL) !=
        SQLITE_OK)
        return rt__sql_error(c, d, sqlite3_errmsg(db), NULL, NULL);
    return 0;
}

/* ------------------------------------------------------------ the API */

int rt_lock_acquire(rt_conn *c, double timeout, jy_diags *d)
{
    if (isnan(timeout))
        timeout = 0;
    switch (c->url.kind) {
    case RT_DB_POSTGRESQL: return pg_acquire(c, timeout, d);
    case RT_DB_MYSQL: return my_acquire(c, timeout, d);
    default: return lite_acquire(c, timeout, d);
    }
}

int rt_lock_release(rt_conn *c, jy_diags *d)
{
    switch (c->url.kind) {
    case RT_DB_POSTGRESQL: return pg_release(c, d);
    case RT_DB_MYSQL: return my_release(c, d);
    default: return lite_release(c, d);
    }
}
