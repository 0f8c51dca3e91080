/*
 * genmig.c - generate a realistic history of N joryu migration files for the
 * frontend benchmark (bench/run_frontend.sh) and, later, the apply benchmarks.
 *
 *     genmig [--seed S] N OUTDIR
 *
 * writes OUTDIR/<id>.py for N migrations whose ids `YYYYMMDDTHHMMSS_slug`
 * start at 2021-01-01T00:00:00Z and strictly increase (file stem == id).  The
 * same seed gives byte-identical output.
 *
 * The generator keeps a model of the schema as the history builds it (tables,
 * columns with type and modifiers, what is referenced by an index, a foreign
 * key or a constraint) so that every op names a table and columns that exist
 * at that point, names never collide (index and constraint names are unique
 * in the database, enum type names too), and the history applies on a real
 * PostgreSQL, MySQL/MariaDB and SQLite database, not only compiles:
 *   - ALTER COLUMN and constraint changes run inside `with op.batch(...)` (or
 *     in an `if op.dialect.name == "sqlite":` branch), as SQLite requires;
 *   - NOT NULL columns added later carry a constant default;
 *   - only columns of indexable types (no TEXT/JSON/BLOB) are indexed;
 *   - referenced columns and tables are never dropped or renamed.
 *
 * The mix of migration kinds (weights below) follows what a product team's
 * history looks like: mostly new tables, new columns and indexes, then
 * alterations, renames, data backfills, raw SQL with per-dialect variants,
 * foreign keys, the odd table rename or drop.  Files carry docstrings,
 * comments, depends_on chains, tags and downgrade bodies.
 *
 * Not part of libjoryu: a standalone tool, C17, no dependencies.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ------------------------------------------------------------ fact tables */

enum ty {
    TY_SMALLINT, TY_INT, TY_BIGINT, TY_FLOAT, TY_DOUBLE, TY_DECIMAL, TY_BOOL, TY_STRING,
    TY_TEXT, TY_BINARY, TY_DATE, TY_TIME, TY_TIMESTAMP, TY_JSON, TY_UUID, TY_ENUM,
    TY_SERIAL, TY_BIGSERIAL, TY_COUNT
};

/* Per type: spelling after `t.`, whether MySQL can index it without a prefix
 * length, relative weight for ordinary columns, and column names that fit. */
typedef struct ty_info {
    const char *tname;
    bool indexable;
    bool integer;
    int weight;
    const char *names[10];
} ty_info;

static const ty_info TYPES[TY_COUNT] = {
    [TY_SMALLINT] = {"SmallInt", true, true, 2, {"level", "kind", "tier_no", "grade", NULL}},
    [TY_INT] = {"Int", true, true, 12,
                {"quantity", "position", "ranking", "attempts", "score", "version", "priority",
                 "retries", "seats", NULL}},
    [TY_BIGINT] = {"BigInt", true, true, 7,
                   {"external_ref", "views", "size_bytes", "visits", "total_cents", NULL}},
    [TY_FLOAT] = {"Float", true, false, 1, {"weight", "ratio_f", NULL}},
    [TY_DOUBLE] = {"Double", true, false, 3, {"latitude", "longitude", "ratio", NULL}},
    [TY_DECIMAL] = {"Decimal", true, false, 6,
                    {"amount", "price", "balance", "tax", "discount", "fee", NULL}},
    [TY_BOOL] = {"Bool", true, false, 10,
                 {"is_active", "is_deleted", "verified", "archived", "enabled", "flagged",
                  "is_public", NULL}},
    [TY_STRING] = {"String", true, false, 25,
                   {"email", "name", "title", "slug", "code", "country", "city", "phone", "sku",
                    NULL}},
    [TY_TEXT] = {"Text", false, false, 10,
                 {"description", "notes", "body", "bio", "summary", "address_text", NULL}},
    [TY_BINARY] = {"Binary", false, false, 2, {"avatar", "digest", "blob_data", NULL}},
    [TY_DATE] = {"Date", true, false, 4, {"birth_date", "due_date", "start_date", "end_date", NULL}},
    [TY_TIME] = {"Time", true, false, 1, {"opens_at", "closes_at", NULL}},
    [TY_TIMESTAMP] = {"Timestamp", true, false, 8,
                      {"published_at", "deleted_at", "expires_at", "last_seen_at", "confirmed_at",
                       NULL}},
    [TY_JSON] = {"Json", false, false, 5, {"metadata", "settings", "payload", "attributes", NULL}},
    [TY_UUID] = {"Uuid", true, false, 3, {"public_id", "tenant_id", "token", NULL}},
    [TY_ENUM] = {"Enum", true, false, 3, {"status", "state", "tier", NULL}},
    [TY_SERIAL] = {"Serial", true, true, 0, {NULL}},
    [TY_BIGSERIAL] = {"BigSerial", true, true, 0, {NULL}},
};

static const char *const ENUM_LABELS[][5] = {
    {"draft", "active", "archived", NULL},
    {"low", "medium", "high", "urgent", NULL},
    {"pending", "paid", "refunded", "void", NULL},
};

static const char *const TABLE_WORDS[] = {
    "users", "accounts", "orders", "order_items", "products", "invoices", "payments",
    "customers", "sessions", "events", "comments", "posts", "tags", "teams", "projects",
    "tasks", "documents", "shipments", "warehouses", "suppliers", "coupons", "reviews",
    "notifications", "subscriptions", "plans", "addresses", "audit_logs", "api_keys",
    "webhooks", "reports", "carts", "refunds", "licenses", "devices", "messages",
};

static const char *const COMMENTS[] = {
    "keeps the API response stable",
    "requested by the billing team",
    "see the data model notes",
    "used by the nightly export",
    "mirrors the app model",
    "needed for the search page",
};

#define JY_COUNT_TW (sizeof TABLE_WORDS / sizeof TABLE_WORDS[0])
#define JY_COUNT_COMMENTS (sizeof COMMENTS / sizeof COMMENTS[0])
#define JY_COUNT_ENUMS (sizeof ENUM_LABELS / sizeof ENUM_LABELS[0])
#define JY_COUNT_HITS 256
#define JY_COUNT_TOUCHED 4

enum kind {
    K_CREATE_TABLE, K_ADD_COLUMNS, K_CREATE_INDEX, K_ALTER_BATCH, K_ALTER_IF, K_RENAME_COLUMN,
    K_DROP_COLUMN, K_EXEC_INDEX, K_EXEC_DATA, K_BATCH_MIX, K_BACKFILL, K_FOREIGN_KEY,
    K_RENAME_TABLE, K_DROP_TABLE, K_COUNT
};

static const int KIND_WEIGHT[K_COUNT] = {
    [K_CREATE_TABLE] = 14, [K_ADD_COLUMNS] = 18, [K_CREATE_INDEX] = 11, [K_ALTER_BATCH] = 7,
    [K_ALTER_IF] = 3,      [K_RENAME_COLUMN] = 5, [K_DROP_COLUMN] = 5, [K_EXEC_INDEX] = 6,
    [K_EXEC_DATA] = 5,     [K_BATCH_MIX] = 8,     [K_BACKFILL] = 7,    [K_FOREIGN_KEY] = 6,
    [K_RENAME_TABLE] = 1,  [K_DROP_TABLE] = 1,
};

/* ------------------------------------------------------------ text buffer */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("genmig: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* Append printf-style text; dies on allocation failure (a tool, not a library). */
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->p ? b->p + b->len : NULL, room, fmt, ap);
        va_end(ap);
        if (n < 0)
            die("formatting failed");
        if ((size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t ncap = b->cap ? b->cap * 2 : 4096;
        while (ncap - b->len <= (size_t)n)
            ncap *= 2;
        char *p = realloc(b->p, ncap);
        if (!p)
            die("out of memory");
        b->p = p;
        b->cap = ncap;
    }
}

/* snprintf into a fixed name buffer; names are kept short by the callers,
 * truncation only guards the buffer. */
static void set_name(char *out, size_t outsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_name(char *out, size_t outsz, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, outsz, fmt, ap);
    va_end(ap);
}

static void sb_reset(sbuf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = 0;
}

/* ----------------------------------------------------------- schema model */

enum dflt { DF_NONE, DF_CONST, DF_SERVER, DF_NOW };

typedef struct gcol {
    char name[40];
    int ty;
    int len;         /* String(n) */
    int enum_set;    /* ENUM_LABELS index */
    char enum_name[80];
    bool nullable, pk, autoinc, unique;
    bool pinned;     /* referenced by an index, key, constraint or expression */
    int dflt;
    char generated[96];
} gcol;

typedef struct gtable {
    char name[40];
    bool alive;
    bool referenced; /* target of a foreign key: never dropped */
    gcol *cols;
    size_t ncols, capcols;
    char (*used)[40]; /* every column name this table ever had */
    size_t nused, capused;
    char last_mig[80]; /* id of the last migration that touched it */
} gtable;

typedef struct gen {
    uint64_t rng;
    gtable *tables;
    size_t ntables, captables, nalive;
    time_t ts;
    unsigned serial;     /* for unique index / constraint names */
    char id[80];         /* id of the migration being written */
    char prev_id[80];
    /* pieces of the file being written */
    sbuf doc, up, down, consts, slug;
    char deps[2][80];
    int ndeps;
    const char *tmode;
    const char *tags;
    bool uses_t;
    bool fn_doc;
    size_t touched[JY_COUNT_TOUCHED]; /* tables whose last_mig is the provisional id */
    size_t ntouched;
    unsigned word_uses[JY_COUNT_TW]; /* tables named after each TABLE_WORDS entry */
} gen;

static uint64_t rnd64(gen *g)
{
    /* splitmix64: small, good enough, deterministic */
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static unsigned rnd(gen *g, unsigned n)
{
    return n ? (unsigned)(rnd64(g) % n) : 0;
}

static bool chance(gen *g, unsigned pct)
{
    return rnd(g, 100) < pct;
}

static void *xrealloc(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        die("size overflow");
    void *q = realloc(p, n * size);
    if (!q && n)
        die("out of memory");
    return q;
}

static bool table_name_used(const gen *g, const char *name)
{
    for (size_t i = 0; i < g->ntables; i++)
        if (strcmp(g->tables[i].name, name) == 0)
            return true;
    return false;
}

/* A table name never used before in the history (so index, enum and unique
 * names derived from it never collide). */
static void fresh_table_name(gen *g, char *out, size_t outsz)
{
    unsigned wi = rnd(g, (unsigned)JY_COUNT_TW);
    const char *w = TABLE_WORDS[wi];
    /* the n-th table named after a word is word_n: no search through every
     * name (the check below only guards the invariant) */
    unsigned k = ++g->word_uses[wi];
    if (k == 1)
        snprintf(out, outsz, "%s", w);
    else
        snprintf(out, outsz, "%s_%u", w, k);
    while (table_name_used(g, out))
        snprintf(out, outsz, "%s_%u", w, k = ++g->word_uses[wi]);
}

static bool col_name_used(const gtable *t, const char *name)
{
    if (strcmp(name, "id") == 0)
        return true;
    for (size_t i = 0; i < t->nused; i++)
        if (strcmp(t->used[i], name) == 0)
            return true;
    return false;
}

static void remember_name(gtable *t, const char *name)
{
    if (t->nused == t->capused) {
        t->capused = t->capused ? t->capused * 2 : 16;
        t->used = xrealloc(t->used, t->capused, sizeof *t->used);
    }
    snprintf(t->used[t->nused++], sizeof t->used[0], "%s", name);
}

/* A column name fitting the type, never used in this table before. */
static void fresh_col_name(gen *g, const gtable *t, int ty, const char *suffix, char *out,
                           size_t outsz)
{
    const char *const *names = TYPES[ty].names;
    unsigned n = 0;
    while (names[n])
        n++;
    const char *w = n ? names[rnd(g, n)] : "value";
    snprintf(out, outsz, "%s%s", w, suffix ? suffix : "");
    for (int tries = 0; tries < 4 && n > 1 && col_name_used(t, out); tries++) {
        w = names[rnd(g, n)];
        snprintf(out, outsz, "%s%s", w, suffix ? suffix : "");
    }
    for (unsigned k = 2; col_name_used(t, out); k++)
        snprintf(out, outsz, "%s%s_%u", w, suffix ? suffix : "", k);
}

static gcol *add_col(gtable *t, const gcol *c)
{
    if (t->ncols == t->capcols) {
        t->capcols = t->capcols ? t->capcols * 2 : 16;
        t->cols = xrealloc(t->cols, t->capcols, sizeof *t->cols);
    }
    t->cols[t->ncols] = *c;
    remember_name(t, c->name);
    return &t->cols[t->ncols++];
}

static void remove_col(gtable *t, size_t i)
{
    memmove(&t->cols[i], &t->cols[i + 1], (t->ncols - i - 1) * sizeof *t->cols);
    t->ncols--;
}

static gtable *new_table(gen *g)
{
    if (g->ntables == g->captables) {
        g->captables = g->captables ? g->captables * 2 : 64;
        g->tables = xrealloc(g->tables, g->captables, sizeof *g->tables);
    }
    gtable *t = &g->tables[g->ntables];
    memset(t, 0, sizeof *t);
    fresh_table_name(g, t->name, sizeof t->name);
    g->ntables++;
    g->nalive++;
    t->alive = true;
    return t;
}

/* A live table, biased toward recent ones (recent tables change most). */
static gtable *pick_table(gen *g)
{
    for (int tries = 0; tries < 1000; tries++) {
        size_t i;
        if (g->ntables > 20 && chance(g, 50))
            i = g->ntables - 1 - rnd(g, 20);
        else
            i = rnd(g, (unsigned)g->ntables);
        if (g->tables[i].alive)
            return &g->tables[i];
    }
    for (size_t i = g->ntables; i-- > 0;)
        if (g->tables[i].alive)
            return &g->tables[i];
    return NULL;
}

typedef bool (*col_pred)(const gcol *c);

/* A random column of t satisfying pred, or -1. */
static long pick_col(gen *g, const gtable *t, col_pred pred)
{
    long hits[JY_COUNT_HITS];
    size_t n = 0;
    for (size_t i = 0; i < t->ncols && n < JY_COUNT_HITS; i++)
        if (pred(&t->cols[i]))
            hits[n++] = (long)i;
    return n ? hits[rnd(g, (unsigned)n)] : -1;
}

/* SQLite cannot ALTER TABLE DROP COLUMN a column that is unique, indexed,
 * referenced, generated or carries a CHECK (joryu renders Bool and Enum with
 * one there): those drops go through op.batch (a table rebuild). */
static bool sqlite_drop_needs_batch(const gcol *c)
{
    return c->ty == TY_BOOL || c->ty == TY_ENUM || c->unique || c->pinned || c->generated[0];
}

static bool is_plain(const gcol *c)
{
    return !c->pk && !c->pinned && !c->unique && !c->generated[0] && c->ty != TY_ENUM;
}
static bool is_indexable(const gcol *c)
{
    return !c->pk && TYPES[c->ty].indexable && !c->generated[0] &&
           (c->ty != TY_STRING || c->len <= 255);
}
static bool is_stringy(const gcol *c)
{
    return (c->ty == TY_STRING || c->ty == TY_TEXT) && !c->generated[0];
}
static bool is_backfill_source(const gcol *c)
{
    return is_stringy(c) && strlen(c->name) <= 28;
}
static bool is_string_indexable(const gcol *c)
{
    return c->ty == TY_STRING && c->len <= 255 && !c->generated[0];
}
static bool is_alterable(const gcol *c)
{
    return is_plain(c) && (c->ty == TY_STRING || c->ty == TY_INT || c->ty == TY_TEXT ||
                           c->ty == TY_BOOL || c->ty == TY_DECIMAL);
}
static bool is_number(const gcol *c)
{
    return !c->pk && TYPES[c->ty].integer && !c->generated[0];
}

/* --------------------------------------------------------------- rendering */

static void render_type(sbuf *b, const gcol *c)
{
    switch (c->ty) {
    case TY_STRING:
        sb_printf(b, "t.String(%d)", c->len);
        break;
    case TY_DECIMAL:
        sb_printf(b, "t.Decimal(12, 2)");
        break;
    case TY_BINARY:
        sb_printf(b, c->len ? "t.Binary(%d)" : "t.Binary", c->len);
        break;
    case TY_ENUM: {
        sb_printf(b, "t.Enum(");
        for (const char *const *l = ENUM_LABELS[c->enum_set]; *l; l++)
            sb_printf(b, "\"%s\", ", *l);
        sb_printf(b, "name=\"%s\")", c->enum_name);
        break;
    }
    default:
        sb_printf(b, "t.%s", TYPES[c->ty].tname);
    }
}

/* The keyword modifiers of a column (after name and type), comma-led. */
static void render_mods(sbuf *b, const gcol *c)
{
    if (c->pk)
        sb_printf(b, ", primary_key=True");
    if (c->autoinc)
        sb_printf(b, ", autoincrement=True");
    if (!c->nullable && !c->pk)
        sb_printf(b, ", nullable=False");
    switch (c->dflt) {
    case DF_CONST:
        if (c->ty == TY_BOOL)
            sb_printf(b, ", default=False");
        else if (c->ty == TY_STRING)
            sb_printf(b, ", default=\"\"");
        else if (c->ty == TY_ENUM)
            sb_printf(b, ", default=\"%s\"", ENUM_LABELS[c->enum_set][0]);
        else if (c->ty == TY_DOUBLE || c->ty == TY_FLOAT)
            sb_printf(b, ", default=0.0");
        else
            sb_printf(b, ", default=0");
        break;
    case DF_SERVER:
        sb_printf(b, ", server_default=\"0\"");
        break;
    case DF_NOW:
        sb_printf(b, ", server_default=t.now()");
        break;
    default:
        break;
    }
    if (c->generated[0])
        sb_printf(b, ", generated=\"%s\"", c->generated);
    if (c->unique)
        sb_printf(b, ", unique=True");
}

static void render_column(sbuf *b, const char *indent, const gcol *c, bool with_comment,
                          unsigned comment_no)
{
    sb_printf(b, "%sop.column(\"%s\", ", indent, c->name);
    render_type(b, c);
    render_mods(b, c);
    if (with_comment)
        sb_printf(b, ", comment=\"%s\"", COMMENTS[comment_no % JY_COUNT_COMMENTS]);
    sb_printf(b, "),\n");
}

/* ----------------------------------------------------------- column makers */

static int pick_type(gen *g, bool allow_enum)
{
    int total = 0;
    for (int i = 0; i < TY_COUNT; i++)
        if (allow_enum || i != TY_ENUM)
            total += TYPES[i].weight;
    int r = (int)rnd(g, (unsigned)total);
    for (int i = 0; i < TY_COUNT; i++) {
        if (!allow_enum && i == TY_ENUM)
            continue;
        if (r < TYPES[i].weight)
            return i;
        r -= TYPES[i].weight;
    }
    return TY_TEXT;
}

/*
 * A new ordinary column for table t.  in_create: it is part of a
 * create_table (server defaults from functions allowed, enums allowed);
 * otherwise it is added to an existing table (NOT NULL needs a constant
 * default, no t.now(): SQLite refuses non-constant defaults in ADD COLUMN).
 */
static gcol make_col(gen *g, const gtable *t, bool in_create)
{
    gcol c;
    memset(&c, 0, sizeof c);
    c.ty = pick_type(g, in_create);
    c.nullable = true;
    fresh_col_name(g, t, c.ty, NULL, c.name, sizeof c.name);
    switch (c.ty) {
    case TY_STRING:
        c.len = (int)(32 + 32 * rnd(g, 7)); /* 32..224 */
        if (chance(g, 25)) {
            c.nullable = false;
            c.dflt = DF_CONST;
        } else if (chance(g, in_create ? 12 : 4)) {
            c.unique = true;
        }
        break;
    case TY_SMALLINT:
    case TY_INT:
    case TY_BIGINT:
        if (chance(g, 35)) {
            c.nullable = false;
            c.dflt = chance(g, 70) ? DF_CONST : DF_SERVER;
        }
        break;
    case TY_DECIMAL:
        if (chance(g, 30)) {
            c.nullable = false;
            c.dflt = DF_SERVER;
        }
        break;
    case TY_DOUBLE:
    case TY_FLOAT:
        if (chance(g, 20)) {
            c.nullable = false;
            c.dflt = DF_CONST;
        }
        break;
    case TY_BOOL:
        if (chance(g, 65)) {
            c.nullable = false;
            c.dflt = DF_CONST;
        }
        break;
    case TY_TIMESTAMP:
        if (in_create && chance(g, 25))
            c.dflt = DF_NOW;
        break;
    case TY_BINARY:
        if (chance(g, 40))
            c.len = 32;
        break;
    case TY_UUID:
        if (chance(g, 25))
            c.unique = true;
        break;
    case TY_ENUM:
        c.enum_set = (int)rnd(g, JY_COUNT_ENUMS);
        set_name(c.enum_name, sizeof c.enum_name, "%s_%s_enum", t->name, c.name);
        if (chance(g, 50)) {
            c.nullable = false;
            c.dflt = DF_CONST;
        }
        break;
    default:
        break;
    }
    return c;
}

/* --------------------------------------------------------- file assembling */

static void add_dep(gen *g, const char *id)
{
    if (!id[0] || g->ndeps >= 2 || strcmp(id, g->id) == 0)
        return;
    for (int i = 0; i < g->ndeps; i++)
        if (strcmp(g->deps[i], id) == 0)
            return;
    snprintf(g->deps[g->ndeps++], sizeof g->deps[0], "%s", id);
}

/* Declare that this migration touches t: maybe depend on the last migration
 * that did (an explicit ordering, as teams write when it matters). */
static void touch(gen *g, gtable *t, unsigned dep_pct)
{
    if (chance(g, dep_pct))
        add_dep(g, t->last_mig);
    snprintf(t->last_mig, sizeof t->last_mig, "%s", g->id);
    if (g->ntouched < JY_COUNT_TOUCHED)
        g->touched[g->ntouched++] = (size_t)(t - g->tables);
}

static void set_slug(gen *g, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    tmp[60] = 0; /* slugs are at most 60 characters */
    size_t n = strlen(tmp);
    while (n > 1 && tmp[n - 1] == '_')
        tmp[--n] = 0;
    sb_reset(&g->slug);
    sb_printf(&g->slug, "%s", tmp);
}

/* Write OUTDIR/<id>.py from the pieces in g. */
static void write_file(gen *g, const char *outdir, sbuf *file)
{
    sb_reset(file);
    if (chance(g, 15))
        sb_printf(file, "# Generated by joryu generate; edited by hand.\n");
    sb_printf(file, "\"\"\"%s\"\"\"\n", g->doc.p);
    sb_printf(file, "import joryu\n");
    sb_printf(file, g->uses_t ? "from joryu import op, types as t\n" : "from joryu import op\n");
    if (chance(g, 3))
        sb_printf(file, "from sqlalchemy import text  # noqa: F401 (kept from the Alembic import)\n");
    if (g->consts.len)
        sb_printf(file, "\n%s", g->consts.p);
    sb_printf(file, "\n\n");
    bool compact = g->ndeps == 0 && !g->tmode && !g->tags && chance(g, 50);
    if (compact) {
        sb_printf(file, "@joryu.migration(id=\"%s\")\n", g->id);
    } else {
        sb_printf(file, "@joryu.migration(\n    id=\"%s\",\n", g->id);
        if (g->ndeps) {
            sb_printf(file, "    depends_on=[");
            for (int i = 0; i < g->ndeps; i++)
                sb_printf(file, "%s\"%s\"", i ? ", " : "", g->deps[i]);
            sb_printf(file, "],\n");
        } else if (chance(g, 40)) {
            sb_printf(file, "    depends_on=[],  # timestamp order is enough\n");
        }
        if (g->tmode)
            sb_printf(file, "    transaction_mode=\"%s\",\n", g->tmode);
        if (g->tags)
            sb_printf(file, "    tags=[%s],\n", g->tags);
        sb_printf(file, ")\n");
    }
    sb_printf(file, "def upgrade():\n");
    if (g->fn_doc)
        sb_printf(file, "    \"\"\"%s\"\"\"\n", g->doc.p);
    sb_printf(file, "%s", g->up.p);
    if (g->down.len) {
        sb_printf(file, "\n\n@joryu.downgrade\ndef downgrade():\n%s", g->down.p);
    }

    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s.py", outdir, g->id);
    if (n < 0 || (size_t)n >= sizeof path)
        die("path too long: %s", outdir);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot write %s: %s", path, strerror(errno));
    if (fwrite(file->p, 1, file->len, f) != file->len || fclose(f) != 0)
        die("cannot write %s: %s", path, strerror(errno));
}

/* --------------------------------------------------------- migration kinds */

static void k_create_table(gen *g)
{
    gtable *t = new_table(g);
    gcol pk;
    memset(&pk, 0, sizeof pk);
    snprintf(pk.name, sizeof pk.name, "id");
    pk.pk = true;
    pk.pinned = true;
    unsigned r = rnd(g, 100);
    if (r < 60) {
        pk.ty = TY_BIGINT;
        pk.autoinc = true;
    } else if (r < 75) {
        pk.ty = TY_BIGSERIAL;
    } else if (r < 85) {
        pk.ty = TY_SERIAL;
    } else {
        pk.ty = TY_UUID;
    }
    add_col(t, &pk);
    unsigned ncols = 3 + rnd(g, 6);
    for (unsigned i = 0; i < ncols; i++) {
        gcol c = make_col(g, t, true);
        add_col(t, &c);
    }
    if (chance(g, 15)) {
        long src = pick_col(g, t, is_number);
        if (src >= 0) {
            gcol c;
            memset(&c, 0, sizeof c);
            c.ty = TY_BIGINT;
            c.nullable = true;
            t->cols[src].pinned = true;
            snprintf(c.generated, sizeof c.generated, "%s * 100", t->cols[src].name);
            set_name(c.name, sizeof c.name, "%s_x100", t->cols[src].name);
            for (unsigned k = 2; col_name_used(t, c.name); k++)
                set_name(c.name, sizeof c.name, "%s_x100_%u", t->cols[src].name, k);
            add_col(t, &c);
        }
    }
    bool stamps = chance(g, 70);
    if (stamps) {
        gcol c;
        memset(&c, 0, sizeof c);
        c.ty = TY_TIMESTAMP;
        snprintf(c.name, sizeof c.name, "created_at");
        c.dflt = DF_NOW;
        add_col(t, &c);
        snprintf(c.name, sizeof c.name, "updated_at");
        c.dflt = DF_NONE;
        c.nullable = true;
        add_col(t, &c);
    }

    sb_printf(&g->doc, "Create the %s table.", t->name);
    set_slug(g, "create_%s", t->name);
    g->uses_t = true;
    g->tags = chance(g, 40) ? "\"schema\"" : NULL;
    if (chance(g, 30))
        sb_printf(&g->up, "    # Columns follow the app model; keep the order.\n");
    sb_printf(&g->up, "    op.create_table(\n        \"%s\",\n", t->name);
    for (size_t i = 0; i < t->ncols; i++)
        render_column(&g->up, "        ", &t->cols[i], i > 0 && chance(g, 8), g->serial + (unsigned)i);
    if (chance(g, 30))
        sb_printf(&g->up, "        comment=\"%s\",\n", COMMENTS[rnd(g, JY_COUNT_COMMENTS)]);
    sb_printf(&g->up, "    )\n");
    if (chance(g, 25)) {
        long ci = pick_col(g, t, is_indexable);
        if (ci >= 0) {
            gcol *c = &t->cols[ci];
            c->pinned = true;
            unsigned k = ++g->serial;
            sb_printf(&g->up, "    op.create_index(\"ix_%s_%s_%u\", \"%s\", [\"%s\"])\n", t->name,
                      c->name, k, t->name, c->name);
        }
    }
    if (chance(g, 85))
        sb_printf(&g->down, "    op.drop_table(\"%s\")\n", t->name);
    touch(g, t, 0);
    if (chance(g, 20) && g->prev_id[0])
        add_dep(g, g->prev_id);
}

static void k_add_columns(gen *g, gtable *t)
{
    unsigned n = 1 + rnd(g, 3);
    char names[3][40];
    sb_printf(&g->doc, "Add ");
    for (unsigned i = 0; i < n; i++) {
        gcol c = make_col(g, t, false);
        add_col(t, &c);
        snprintf(names[i], sizeof names[i], "%s", c.name);
        sb_printf(&g->doc, "%s%s", i == 0 ? "" : (i + 1 == n ? " and " : ", "), c.name);
        sb_printf(&g->up, "    op.add_column(\"%s\", \"%s\", ", t->name, c.name);
        render_type(&g->up, &c);
        render_mods(&g->up, &c);
        if (chance(g, 10))
            sb_printf(&g->up, ", comment=\"%s\"", COMMENTS[rnd(g, JY_COUNT_COMMENTS)]);
        sb_printf(&g->up, ")\n");
    }
    sb_printf(&g->doc, " to %s.", t->name);
    set_slug(g, "add_%s_to_%s", names[0], t->name);
    g->uses_t = true;
    char ix[96] = "";
    if (chance(g, 20)) {
        gcol *c = &t->cols[t->ncols - 1];
        if (is_indexable(c) && !c->unique) {
            c->pinned = true;
            set_name(ix, sizeof ix, "ix_%s_%s_%u", t->name, c->name, ++g->serial);
            ix[63] = 0;
            sb_printf(&g->up, "    op.create_index(\"%s\", \"%s\", [\"%s\"])\n", ix, t->name,
                      c->name);
        }
    }
    bool rebuild = false;
    for (size_t i = t->ncols - n; i < t->ncols; i++)
        rebuild = rebuild || sqlite_drop_needs_batch(&t->cols[i]);
    if (chance(g, 80)) {
        if (ix[0])
            sb_printf(&g->down, "    op.drop_index(\"%s\", \"%s\")\n", ix, t->name);
        if (rebuild)
            sb_printf(&g->down, "    with op.batch(\"%s\") as b:\n", t->name);
        for (unsigned i = n; i-- > 0;) {
            if (rebuild)
                sb_printf(&g->down, "        b.drop_column(\"%s\")\n", names[i]);
            else
                sb_printf(&g->down, "    op.drop_column(\"%s\", \"%s\")\n", t->name, names[i]);
        }
    }
    touch(g, t, 35);
}

static void k_create_index(gen *g, gtable *t)
{
    long a = pick_col(g, t, is_indexable);
    if (a < 0) {
        k_add_columns(g, t);
        return;
    }
    long b = chance(g, 30) ? pick_col(g, t, is_indexable) : -1;
    if (b == a)
        b = -1;
    gcol *ca = &t->cols[a];
    gcol *cb = b >= 0 ? &t->cols[b] : NULL;
    ca->pinned = true;
    if (cb)
        cb->pinned = true;
    char name[128];
    snprintf(name, sizeof name, "ix_%s_%s%s%s_%u", t->name, ca->name, cb ? "_" : "",
             cb ? cb->name : "", ++g->serial);
    name[63] = 0;
    bool uniq = !cb && chance(g, 15);
    bool conc = chance(g, 10);
    sb_printf(&g->doc, "Index %s.%s%s%s.", t->name, ca->name, cb ? " and " : "", cb ? cb->name : "");
    set_slug(g, "index_%s_%s", t->name, ca->name);
    if (conc) {
        g->tmode = "none";
        sb_printf(&g->up, "    # CONCURRENTLY on PostgreSQL: the step runs outside a transaction.\n");
    }
    sb_printf(&g->up, "    op.create_index(\n        \"%s\",\n        \"%s\",\n        [\"%s\"", name,
              t->name, ca->name);
    if (cb)
        sb_printf(&g->up, ", \"%s\"", cb->name);
    sb_printf(&g->up, "],\n");
    if (uniq)
        sb_printf(&g->up, "        unique=True,\n");
    if (conc)
        sb_printf(&g->up, "        concurrent=True,\n");
    sb_printf(&g->up, "    )\n");
    if (chance(g, 85))
        sb_printf(&g->down, "    op.drop_index(\"%s\", \"%s\")\n", name, t->name);
    touch(g, t, 40);
}

/* One reversible change to column c: writes the new value to `up` and the old
 * one to `down` as alter_column keyword text; updates the model. */
static void alter_change(gen *g, gcol *c, sbuf *up, sbuf *down, const char **what)
{
    switch (c->ty) {
    case TY_STRING:
        if (c->len < 224 && chance(g, 60)) {
            sb_printf(up, "type=t.String(%d)", c->len + 32);
            sb_printf(down, "type=t.String(%d)", c->len);
            c->len += 32;
            *what = "widen";
            return;
        }
        break;
    case TY_INT:
        if (chance(g, 60)) {
            sb_printf(up, "type=t.BigInt");
            sb_printf(down, "type=t.Int");
            c->ty = TY_BIGINT;
            *what = "widen";
            return;
        }
        break;
    case TY_TEXT:
        if (chance(g, 40)) {
            sb_printf(up, "comment=\"%s\"", COMMENTS[rnd(g, JY_COUNT_COMMENTS)]);
            sb_printf(down, "comment=\"\"");
            *what = "document";
            return;
        }
        break;
    default:
        break;
    }
    if (c->nullable && c->dflt == DF_CONST) {
        sb_printf(up, "nullable=False");
        sb_printf(down, "nullable=True");
        c->nullable = false;
        *what = "require";
    } else if (!c->nullable) {
        sb_printf(up, "nullable=True");
        sb_printf(down, "nullable=False");
        c->nullable = true;
        *what = "relax";
    } else {
        sb_printf(up, "comment=\"%s\"", COMMENTS[rnd(g, JY_COUNT_COMMENTS)]);
        sb_printf(down, "comment=\"\"");
        *what = "document";
    }
}

static void k_alter(gen *g, gtable *t, bool with_if)
{
    long ci = pick_col(g, t, is_alterable);
    if (ci < 0) {
        k_add_columns(g, t);
        return;
    }
    gcol *c = &t->cols[ci];
    sbuf up = {0}, down = {0};
    const char *what = "alter";
    alter_change(g, c, &up, &down, &what);
    g->uses_t = true;
    sb_printf(&g->doc, "%c%s %s.%s.", what[0] - 'a' + 'A', what + 1, t->name, c->name);
    set_slug(g, "%s_%s_%s", what, t->name, c->name);
    if (with_if) {
        sb_printf(&g->up,
                  "    if op.dialect.name == \"sqlite\":\n"
                  "        # SQLite has no ALTER COLUMN: rebuild the table.\n"
                  "        with op.batch(\"%s\") as b:\n"
                  "            b.alter_column(\"%s\", %s)\n"
                  "    else:\n"
                  "        op.alter_column(\"%s\", \"%s\", %s)\n",
                  t->name, c->name, up.p, t->name, c->name, up.p);
        sb_printf(&g->down,
                  "    if op.dialect.name == \"sqlite\":\n"
                  "        with op.batch(\"%s\") as b:\n"
                  "            b.alter_column(\"%s\", %s)\n"
                  "    else:\n"
                  "        op.alter_column(\"%s\", \"%s\", %s)\n",
                  t->name, c->name, down.p, t->name, c->name, down.p);
    } else {
        sb_printf(&g->up, "    with op.batch(\"%s\") as batch:\n        batch.alter_column(\"%s\", %s)\n",
                  t->name, c->name, up.p);
        if (chance(g, 80))
            sb_printf(&g->down,
                      "    with op.batch(\"%s\") as batch:\n        batch.alter_column(\"%s\", %s)\n",
                      t->name, c->name, down.p);
    }
    free(up.p);
    free(down.p);
    touch(g, t, 50);
}

static void k_rename_column(gen *g, gtable *t)
{
    long ci = pick_col(g, t, is_plain);
    if (ci < 0) {
        k_add_columns(g, t);
        return;
    }
    gcol *c = &t->cols[ci];
    char old[40];
    snprintf(old, sizeof old, "%s", c->name);
    fresh_col_name(g, t, c->ty, NULL, c->name, sizeof c->name);
    remember_name(t, c->name);
    sb_printf(&g->doc, "Rename %s.%s to %s.", t->name, old, c->name);
    set_slug(g, "rename_%s_%s", t->name, old);
    sb_printf(&g->up, "    op.rename_column(\"%s\", \"%s\", \"%s\")\n", t->name, old, c->name);
    sb_printf(&g->down, "    op.rename_column(\"%s\", \"%s\", \"%s\")\n", t->name, c->name, old);
    touch(g, t, 50);
}

static void k_drop_column(gen *g, gtable *t)
{
    long ci = t->ncols > 3 ? pick_col(g, t, is_plain) : -1;
    if (ci < 0) {
        k_add_columns(g, t);
        return;
    }
    gcol c = t->cols[ci];
    remove_col(t, (size_t)ci);
    sb_printf(&g->doc, "Drop %s.%s (no longer read by the app).", t->name, c.name);
    set_slug(g, "drop_%s_%s", t->name, c.name);
    g->tags = "\"destructive\"";
    sb_printf(&g->up, "    # WARNING: drops data in %s.%s\n", t->name, c.name);
    if (c.ty == TY_BOOL || chance(g, 30))
        sb_printf(&g->up, "    with op.batch(\"%s\") as b:\n        b.drop_column(\"%s\")\n", t->name,
                  c.name);
    else
        sb_printf(&g->up, "    op.drop_column(\"%s\", \"%s\")\n", t->name, c.name);
    if (chance(g, 70)) {
        g->uses_t = true;
        sb_printf(&g->down, "    # The data is gone; only the column comes back.\n");
        /* SQLite's ADD COLUMN takes neither a non-constant default nor NOT
         * NULL without a default: those columns come back by a rebuild */
        if (c.dflt == DF_NOW || (!c.nullable && c.dflt == DF_NONE))
            sb_printf(&g->down, "    with op.batch(\"%s\") as b:\n        b.add_column(\"%s\", ", t->name,
                      c.name);
        else
            sb_printf(&g->down, "    op.add_column(\"%s\", \"%s\", ", t->name, c.name);
        render_type(&g->down, &c);
        render_mods(&g->down, &c);
        sb_printf(&g->down, ")\n");
    }
    touch(g, t, 50);
}

static void k_exec_index(gen *g, gtable *t)
{
    long ci = pick_col(g, t, is_string_indexable);
    if (ci < 0) {
        k_create_index(g, t);
        return;
    }
    gcol *c = &t->cols[ci];
    c->pinned = true;
    char ix[96];
    snprintf(ix, sizeof ix, "ix_%s_%s_raw_%u", t->name, c->name, ++g->serial);
    ix[63] = 0;
    sb_printf(&g->doc, "Index %s.%s with hand-written SQL.\n\n"
                       "Each dialect gets its own spelling; replay learns about the index\n"
                       "from declare_schema_change.",
              t->name, c->name);
    set_slug(g, "raw_index_%s_%s", t->name, c->name);
    sb_printf(&g->up, "    op.execute(\n        {\n");
    sb_printf(&g->up, "            \"postgresql\": \"CREATE INDEX %s ON %s USING btree (%s)\",\n", ix,
              t->name, c->name);
    sb_printf(&g->up, "            \"sqlite\": \"CREATE INDEX IF NOT EXISTS %s ON %s (%s)\",\n", ix,
              t->name, c->name);
    if (chance(g, 50)) {
        sb_printf(&g->up, "            \"default\": \"CREATE INDEX %s ON %s (%s)\",\n", ix, t->name,
                  c->name);
    } else {
        sb_printf(&g->up, "            \"mysql\": \"CREATE INDEX %s USING BTREE ON %s (%s)\",\n", ix, t->name,
                  c->name);
        sb_printf(&g->up, "            \"mariadb\": \"CREATE INDEX %s USING BTREE ON %s (%s)\",\n", ix, t->name,
                  c->name);
    }
    sb_printf(&g->up, "        },\n        reverse={\"default\": \"DROP INDEX %s\", \"mysql\": \"DROP "
                      "INDEX %s ON %s\", \"mariadb\": \"DROP INDEX %s ON %s\"},\n    )\n",
              ix, ix, t->name, ix, t->name);
    sb_printf(&g->up, "    op.declare_schema_change(index_added=(\"%s\", \"%s\", [\"%s\"]))\n", ix,
              t->name, c->name);
    touch(g, t, 40);
}

static void k_exec_data(gen *g, gtable *t)
{
    long ci = pick_col(g, t, is_stringy);
    g->tags = "\"data\"";
    if (ci >= 0) {
        gcol *c = &t->cols[ci];
        sb_printf(&g->doc, "Trim whitespace in %s.%s.", t->name, c->name);
        set_slug(g, "trim_%s_%s", t->name, c->name);
        if (chance(g, 50)) {
            sb_printf(&g->up, "    op.execute(\"UPDATE %s SET %s = TRIM(%s) WHERE %s IS NOT NULL\")\n",
                      t->name, c->name, c->name, c->name);
        } else {
            sb_printf(&g->up,
                      "    op.execute(\n        \"\"\"\n        UPDATE %s\n           SET %s = TRIM(%s)\n"
                      "         WHERE %s <> TRIM(%s)\n        \"\"\"\n    )\n",
                      t->name, c->name, c->name, c->name, c->name);
        }
    } else {
        sb_printf(&g->doc, "Refresh planner statistics for %s.", t->name);
        set_slug(g, "analyze_%s", t->name);
        sb_printf(&g->up,
                  "    op.execute({\n        \"postgresql\": \"ANALYZE %s\",\n        \"sqlite\": "
                  "\"ANALYZE %s\",\n        \"default\": \"ANALYZE TABLE %s\",\n    })\n",
                  t->name, t->name, t->name);
    }
    if (chance(g, 60))
        sb_printf(&g->down, "    pass  # nothing to undo: the data fix is harmless\n");
    touch(g, t, 30);
}

static void k_batch_mix(gen *g, gtable *t)
{
    g->uses_t = true;
    sb_printf(&g->doc, "Reshape %s in one batch (one table rebuild on SQLite).", t->name);
    set_slug(g, "reshape_%s", t->name);
    sbuf downs = {0};
    sb_printf(&g->up, "    with op.batch(\"%s\") as b:\n", t->name);
    /* a new NOT NULL counter with a check constraint */
    gcol c;
    memset(&c, 0, sizeof c);
    c.ty = TY_INT;
    c.nullable = false;
    c.dflt = DF_CONST;
    c.pinned = true;
    fresh_col_name(g, t, TY_INT, NULL, c.name, sizeof c.name);
    add_col(t, &c);
    sb_printf(&g->up, "        b.add_column(\"%s\", t.Int, nullable=False, default=0)\n", c.name);
    char ck[96];
    snprintf(ck, sizeof ck, "ck_%s_%s_%u", t->name, c.name, ++g->serial);
    ck[63] = 0;
    sb_printf(&g->up, "        b.create_check_constraint(\"%s\", \"%s >= 0\")\n", ck, c.name);
    sb_printf(&downs, "        b.drop_constraint(\"%s\")\n", ck);
    if (chance(g, 50)) {
        char ix[96];
        snprintf(ix, sizeof ix, "ix_%s_%s_%u", t->name, c.name, ++g->serial);
        ix[63] = 0;
        sb_printf(&g->up, "        b.create_index(\"%s\", [\"%s\"])\n", ix, c.name);
        sb_printf(&downs, "        b.drop_index(\"%s\")\n", ix);
    }
    long ai = pick_col(g, t, is_alterable);
    if (ai >= 0) {
        sbuf up = {0}, down = {0};
        const char *what;
        alter_change(g, &t->cols[ai], &up, &down, &what);
        sb_printf(&g->up, "        b.alter_column(\"%s\", %s)\n", t->cols[ai].name, up.p);
        sb_printf(&downs, "        b.alter_column(\"%s\", %s)\n", t->cols[ai].name, down.p);
        free(up.p);
        free(down.p);
    }
    sb_printf(&downs, "        b.drop_column(\"%s\")\n", c.name);
    if (chance(g, 75))
        sb_printf(&g->down, "    with op.batch(\"%s\") as b:\n%s", t->name, downs.p);
    free(downs.p);
    touch(g, t, 50);
}

static void k_backfill(gen *g, gtable *t)
{
    long si = pick_col(g, t, is_backfill_source);
    g->uses_t = true;
    g->tags = "\"data\"";
    gcol c;
    memset(&c, 0, sizeof c);
    c.nullable = true;
    if (si >= 0) {
        t->cols[si].pinned = true;
        /* a copy: add_col below may move t->cols */
        const gcol src = t->cols[si];
        const gcol *s = &src;
        c.ty = s->ty;
        c.len = s->ty == TY_STRING ? s->len : 0;
        set_name(c.name, sizeof c.name, "%s_norm", s->name);
        for (unsigned k = 2; col_name_used(t, c.name); k++)
            set_name(c.name, sizeof c.name, "%s_norm_%u", s->name, k);
        c.pinned = true;
        add_col(t, &c);
        sb_printf(&g->doc, "Add %s.%s and fill it from %s.", t->name, c.name, s->name);
        set_slug(g, "backfill_%s_%s", t->name, c.name);
        if (chance(g, 50))
            sb_printf(&g->consts, "BATCH_SIZE = %u_000\n", 1 + rnd(g, 20));
        sb_printf(&g->up, "    op.add_column(\"%s\", \"%s\", ", t->name, c.name);
        render_type(&g->up, &c);
        sb_printf(&g->up, ")\n");
        sb_printf(&g->up,
                  "    # Batched by primary key; an interrupted run resumes from its checkpoint.\n"
                  "    op.backfill(\n        \"%s\",\n        set={\"%s\": \"COALESCE(LOWER(%s), '')\"},\n"
                  "        where=\"%s IS NULL\",\n        key=\"id\",\n",
                  t->name, c.name, s->name, c.name);
        if (g->consts.len)
            sb_printf(&g->up, "        batch_size=BATCH_SIZE,\n");
        else if (chance(g, 50))
            sb_printf(&g->up, "        batch_size=%u,\n", 500 * (1 + rnd(g, 10)));
        sb_printf(&g->up, "    )\n");
        if (chance(g, 60)) {
            sb_printf(&g->up, "    with op.batch(\"%s\") as b:\n        b.alter_column(\"%s\", nullable=False)\n",
                      t->name, c.name);
            t->cols[t->ncols - 1].nullable = false;
        }
    } else {
        c.ty = TY_BOOL;
        fresh_col_name(g, t, TY_BOOL, NULL, c.name, sizeof c.name);
        c.pinned = true;
        add_col(t, &c);
        sb_printf(&g->doc, "Add %s.%s and set it on every row.", t->name, c.name);
        set_slug(g, "backfill_%s_%s", t->name, c.name);
        sb_printf(&g->up, "    op.add_column(\"%s\", \"%s\", t.Bool)\n", t->name, c.name);
        sb_printf(&g->up, "    op.backfill(\"%s\", set={\"%s\": \"FALSE\"}, where=\"%s IS NULL\")\n",
                  t->name, c.name, c.name);
    }
    sb_printf(&g->down, "    with op.batch(\"%s\") as b:\n        b.drop_column(\"%s\")\n", t->name, c.name);
    touch(g, t, 60);
}

static void k_foreign_key(gen *g, gtable *t)
{
    gtable *ref = NULL;
    for (int tries = 0; tries < 8 && !ref; tries++) {
        gtable *r = pick_table(g);
        if (r && r != t)
            ref = r;
    }
    if (!ref) {
        k_add_columns(g, t);
        return;
    }
    const gcol *rpk = &ref->cols[0];
    gcol c;
    memset(&c, 0, sizeof c);
    c.ty = rpk->ty == TY_SERIAL ? TY_INT : rpk->ty == TY_UUID ? TY_UUID : TY_BIGINT;
    c.nullable = true;
    c.pinned = true;
    char base[48];
    snprintf(base, sizeof base, "%s", ref->name);
    size_t bl = strlen(base);
    if (bl > 1 && base[bl - 1] == 's')
        base[bl - 1] = 0;
    base[24] = 0;
    set_name(c.name, sizeof c.name, "%s_id", base);
    for (unsigned k = 2; col_name_used(t, c.name); k++)
        set_name(c.name, sizeof c.name, "%s_id_%u", base, k);
    add_col(t, &c);
    ref->referenced = true;
    unsigned k = ++g->serial;
    char fk[96], ix[96];
    snprintf(fk, sizeof fk, "fk_%s_%s_%u", t->name, c.name, k);
    snprintf(ix, sizeof ix, "ix_%s_%s_%u", t->name, c.name, k);
    fk[63] = ix[63] = 0;
    static const char *const ACTIONS[] = {"CASCADE", "SET NULL", "RESTRICT", "NO ACTION"};
    g->uses_t = true;
    sb_printf(&g->doc, "Link %s to %s.", t->name, ref->name);
    set_slug(g, "link_%s_to_%s", t->name, ref->name);
    sb_printf(&g->up, "    op.add_column(\"%s\", \"%s\", t.%s)\n", t->name, c.name, TYPES[c.ty].tname);
    sb_printf(&g->up, "    op.create_index(\"%s\", \"%s\", [\"%s\"])\n", ix, t->name, c.name);
    sb_printf(&g->up, "    with op.batch(\"%s\") as b:\n        b.create_foreign_key(\"%s\", \"%s\", "
                      "[\"%s\"], [\"id\"], on_delete=\"%s\")\n",
              t->name, fk, ref->name, c.name, ACTIONS[rnd(g, 4)]);
    sb_printf(&g->down,
              "    with op.batch(\"%s\") as b:\n        b.drop_constraint(\"%s\")\n"
              "        b.drop_index(\"%s\")\n        b.drop_column(\"%s\")\n",
              t->name, fk, ix, c.name);
    touch(g, t, 50);
    if (chance(g, 60))
        add_dep(g, ref->last_mig);
}

static void k_rename_table(gen *g, gtable *t)
{
    char old[40];
    snprintf(old, sizeof old, "%s", t->name);
    char nw[40];
    fresh_table_name(g, nw, sizeof nw);
    snprintf(t->name, sizeof t->name, "%s", nw);
    sb_printf(&g->doc, "Rename %s to %s.", old, nw);
    set_slug(g, "rename_%s", old);
    sb_printf(&g->up, "    op.rename_table(\"%s\", \"%s\")\n", old, nw);
    sb_printf(&g->down, "    op.rename_table(\"%s\", \"%s\")\n", nw, old);
    /* keep the old name reserved so nothing reuses it */
    gtable *ghost = new_table(g);
    snprintf(ghost->name, sizeof ghost->name, "%s", old);
    ghost->alive = false;
    g->nalive--;
    /* new_table may have moved the array: t is stale from here on */
    for (size_t i = 0; i < g->ntables; i++)
        if (strcmp(g->tables[i].name, nw) == 0)
            touch(g, &g->tables[i], 50);
}

static bool has_enum(const gtable *t)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].ty == TY_ENUM)
            return true;
    return false;
}

static void k_drop_table(gen *g, gtable *t)
{
    if (t->referenced || has_enum(t) || g->nalive < 5) {
        k_add_columns(g, t);
        return;
    }
    g->uses_t = true;
    g->tags = "\"destructive\"";
    sb_printf(&g->doc, "Drop %s: the feature was removed.", t->name);
    set_slug(g, "drop_%s", t->name);
    sb_printf(&g->up, "    # WARNING: drops the %s table and its data\n", t->name);
    sb_printf(&g->up, "    op.drop_table(\"%s\")\n", t->name);
    if (chance(g, 60)) {
        sb_printf(&g->down, "    op.create_table(\n        \"%s\",\n", t->name);
        for (size_t i = 0; i < t->ncols; i++)
            render_column(&g->down, "        ", &t->cols[i], false, 0);
        sb_printf(&g->down, "    )\n");
    }
    touch(g, t, 50);
    t->alive = false;
    g->nalive--;
}

/* ------------------------------------------------------------------ driver */

static int pick_kind(gen *g)
{
    if (g->nalive < 3)
        return K_CREATE_TABLE;
    int total = 0;
    for (int i = 0; i < K_COUNT; i++)
        total += KIND_WEIGHT[i];
    int r = (int)rnd(g, (unsigned)total);
    for (int i = 0; i < K_COUNT; i++) {
        if (r < KIND_WEIGHT[i])
            return i;
        r -= KIND_WEIGHT[i];
    }
    return K_ADD_COLUMNS;
}

static void gen_one(gen *g)
{
    sb_reset(&g->doc);
    sb_reset(&g->up);
    sb_reset(&g->down);
    sb_reset(&g->consts);
    g->ndeps = 0;
    g->ntouched = 0;
    g->tmode = NULL;
    g->tags = NULL;
    g->uses_t = false;
    g->fn_doc = false;

    /* the id: a timestamp a few minutes to a few hours after the last one
     * (the slug is appended once the kind has chosen it) */
    g->ts += 60 + (time_t)rnd(g, 7200);
    struct tm tm;
    gmtime_r(&g->ts, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    /* provisional id for touch(); the slug is fixed below */
    snprintf(g->id, sizeof g->id, "%s_pending", stamp);

    int k = pick_kind(g);
    gtable *t = k == K_CREATE_TABLE ? NULL : pick_table(g);
    if (!t)
        k = K_CREATE_TABLE;
    /* remember which tables point at the provisional id, to fix them up */
    switch (k) {
    case K_CREATE_TABLE: k_create_table(g); break;
    case K_ADD_COLUMNS: k_add_columns(g, t); break;
    case K_CREATE_INDEX: k_create_index(g, t); break;
    case K_ALTER_BATCH: k_alter(g, t, false); break;
    case K_ALTER_IF: k_alter(g, t, true); break;
    case K_RENAME_COLUMN: k_rename_column(g, t); break;
    case K_DROP_COLUMN: k_drop_column(g, t); break;
    case K_EXEC_INDEX: k_exec_index(g, t); break;
    case K_EXEC_DATA: k_exec_data(g, t); break;
    case K_BATCH_MIX: k_batch_mix(g, t); break;
    case K_BACKFILL: k_backfill(g, t); break;
    case K_FOREIGN_KEY: k_foreign_key(g, t); break;
    case K_RENAME_TABLE: k_rename_table(g, t); break;
    case K_DROP_TABLE: k_drop_table(g, t); break;
    default: k_add_columns(g, t); break;
    }
    char final_id[80];
    snprintf(final_id, sizeof final_id, "%s_%s", stamp, g->slug.p);
    for (size_t i = 0; i < g->ntouched; i++) {
        gtable *tt = &g->tables[g->touched[i]];
        if (strcmp(tt->last_mig, g->id) == 0)
            snprintf(tt->last_mig, sizeof tt->last_mig, "%s", final_id);
    }
    snprintf(g->id, sizeof g->id, "%s", final_id);
    if (chance(g, 10))
        g->fn_doc = true;
    if (!g->tmode && chance(g, 4))
        g->tmode = "per_migration";
}

static void usage(void)
{
    fputs("usage: genmig [--seed S] N OUTDIR\n"
          "  writes N migration files OUTDIR/<id>.py (OUTDIR must exist)\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    uint64_t seed = 20260101;
    int i = 1;
    if (i + 1 < argc && strcmp(argv[i], "--seed") == 0) {
        seed = strtoull(argv[i + 1], NULL, 10);
        i += 2;
    }
    if (argc - i != 2)
        usage();
    char *end;
    errno = 0;
    unsigned long n = strtoul(argv[i], &end, 10);
    if (errno || *end || n == 0 || n > 10000000ul)
        usage();
    const char *outdir = argv[i + 1];
    struct stat st;
    if (stat(outdir, &st) != 0 || !S_ISDIR(st.st_mode))
        die("%s is not a directory", outdir);

    gen g;
    memset(&g, 0, sizeof g);
    g.rng = seed;
    g.ts = 1609459200; /* 2021-01-01T00:00:00Z */
    sbuf file = {0};
    for (unsigned long m = 0; m < n; m++) {
        gen_one(&g);
        write_file(&g, outdir, &file);
        snprintf(g.prev_id, sizeof g.prev_id, "%s", g.id);
    }

    for (size_t t = 0; t < g.ntables; t++) {
        free(g.tables[t].cols);
        free(g.tables[t].used);
    }
    free(g.tables);
    free(g.doc.p);
    free(g.up.p);
    free(g.down.p);
    free(g.consts.p);
    free(g.slug.p);
    free(file.p);
    return 0;
}
