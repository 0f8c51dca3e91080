/* schema.c - the schema model: construction, editing, copying, and the
 * per-dialect normalization of types and defaults (ir.h, "schema model").
 * Comparison is in schema_cmp.c, JSON in schema_json.c. */
#include "ir.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

static const char *sdup(ir_schema *s, const char *p)
{
    return p ? jy_arena_strdup(s->arena, p) : NULL;
}

static const char **sdup_list(ir_schema *s, const char *const *v, size_t n)
{
    if (n == 0)
        return NULL;
    const char **out = jy_arena_calloc(s->arena, n, sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = sdup(s, v[i]);
    return out;
}

/* The capacity of an arena array of n pointers is at least cap_of(n):
 * arrays grow 4, 8, 16, ...  (after removals the real capacity may be
 * larger, which only means an early grow). */
static size_t cap_of(size_t n)
{
    if (n == 0)
        return 0;
    size_t c = 4;
    while (c < n)
        c *= 2;
    return c;
}

/* Append p to the arena array *v of *n pointers. */
static bool push(jy_arena *a, void ***v, size_t *n, void *p)
{
    size_t cap = *v ? cap_of(*n) : 0;
    if (*n == cap) {
        void **nv = jy_arena_grow(a, *v, *n, cap ? cap * 2 : 4, sizeof(void *));
        if (!nv)
            return false;
        *v = nv;
    }
    (*v)[(*n)++] = p;
    return true;
}
#define PUSH(a, arr, n, p) push((a), (void ***)&(arr), &(n), (p))

/* Remove element i of a pointer array, keeping order. */
static void remove_at(void **v, size_t *n, size_t i)
{
    memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof *v);
    (*n)--;
}
#define REMOVE_AT(arr, n, i) remove_at((void **)(arr), &(n), (i))

static bool streq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    /* most names differ in the first byte: no call for those */
    return a[0] == b[0] && strcmp(a, b) == 0;
}

static bool list_has(const char *const *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (streq(v[i], name))
            return true;
    return false;
}

/* ----------------------------------------------------------- name maps */

/*
 * An open-addressing hash map from a name to a pointer, in the schema's
 * arena: linear probing, capacity a power of two, at most half full;
 * removal shifts back the entries after it (no tombstones).  Keys point to
 * strings that live as long as the entry (names in the arena).  `aux` is a
 * number kept with the entry (a table's creation order).
 */
typedef struct nent {
    const char *key;
    void *val;
    uint64_t h;
    size_t aux;
} nent;

typedef struct nmap {
    nent *e;
    size_t cap, n;
} nmap;

/* A list of candidate tables (a superset of the tables that have an index
 * of some name, or a foreign key to some table): checked when read. */
typedef struct cands {
    ir_table **v;
    size_t n, cap;
} cands;

/* The maps of a schema: two parts, each built on demand and kept in step
 * by the functions here (tables: tables, index names, referenced tables;
 * enums), so a schema with many enums and few tables builds no table map. */
struct ir_schema_maps {
    bool tables_built;
    nmap tables;   /* name -> ir_table (aux: creation order) */
    nmap indexes;  /* index name -> cands */
    nmap refs;     /* referenced table name -> cands */
    ir_table **tables_seen; /* the array the part was built from */
    size_t ntables_seen;
    size_t seq;    /* the next table's creation order */
    bool enums_built;
    /* s->enums is another schema's array (ir_schema_share_enums): copy it
     * before any change */
    bool enums_borrowed;
    nmap enums;    /* name -> ir_enum */
    ir_enum **enums_seen;
    size_t nenums_seen;
};

/* Schemas smaller than this are searched linearly and get no maps. */
enum { MAP_MIN = 16 };

static uint64_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static nent *nmap_find(const nmap *m, const char *key, uint64_t h)
{
    if (!m->cap || !key)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        nent *e = &m->e[i];
        if (!e->key)
            return NULL;
        if (e->h == h && strcmp(e->key, key) == 0)
            return e;
    }
}

static nent *nmap_get(const nmap *m, const char *key)
{
    return key ? nmap_find(m, key, hash_name(key)) : NULL;
}

/* Insert or replace; the entry, or NULL when out of memory. */
static nent *nmap_put(jy_arena *a, nmap *m, const char *key, void *val, size_t aux)
{
    uint64_t h = hash_name(key);
    nent *e = nmap_find(m, key, h);
    if (e) {
        e->key = key;
        e->val = val;
        e->aux = aux;
        return e;
    }
    if (2 * (m->n + 1) > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 32;
        nent *ne = jy_arena_calloc(a, nc, sizeof *ne);
        if (!ne)
            return NULL;
        for (size_t i = 0; i < m->cap; i++)
            if (m->e[i].key) {
                size_t j = m->e[i].h & (nc - 1);
                while (ne[j].key)
                    j = (j + 1) & (nc - 1);
                ne[j] = m->e[i];
            }
        m->e = ne;
        m->cap = nc;
    }
    size_t mask = m->cap - 1, i = h & mask;
    while (m->e[i].key)
        i = (i + 1) & mask;
    m->e[i] = (nent){key, val, h, aux};
    m->n++;
    return &m->e[i];
}

static void nmap_del(nmap *m, const char *key)
{
    nent *e = nmap_get(m, key);
    if (!e)
        return;
    size_t mask = m->cap - 1, i = (size_t)(e - m->e);
    for (size_t j = (i + 1) & mask; m->e[j].key; j = (j + 1) & mask) {
        size_t k = m->e[j].h & mask;
        /* the entry at j stays when its home k lies cyclically in (i, j] */
        bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (!stays) {
            m->e[i] = m->e[j];
            i = j;
        }
    }
    m->e[i] = (nent){0};
    m->n--;
}

/* Add t to the candidate list of `key` in m (once). */
static void cands_add(jy_arena *a, nmap *m, const char *key, ir_table *t)
{
    if (!key)
        return;
    nent *e = nmap_get(m, key);
    if (!e) {
        cands *c = jy_arena_alloc(a, sizeof *c);
        const char *k = jy_arena_strdup(a, key);
        if (!c || !k || !(e = nmap_put(a, m, k, c, 0)))
            return;
    }
    cands *c = e->val;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i] == t)
            return;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 4;
        ir_table **nv = jy_arena_grow(a, c->v, c->n, nc, sizeof *nv);
        if (!nv)
            return;
        c->v = nv;
        c->cap = nc;
    }
    c->v[c->n++] = t;
}

/* The table part of s's maps when built and in step with s->tables (a
 * change of array or count means a direct edit), else NULL. */
static struct ir_schema_maps *tmaps_ok(const ir_schema *s)
{
    struct ir_schema_maps *mp = s->maps;
    if (!mp || !mp->tables_built || mp->tables_seen != s->tables ||
        mp->ntables_seen != s->ntables)
        return NULL;
    return mp;
}

static struct ir_schema_maps *emaps_ok(const ir_schema *s)
{
    struct ir_schema_maps *mp = s->maps;
    if (!mp || !mp->enums_built || mp->enums_seen != s->enums || mp->nenums_seen != s->nenums)
        return NULL;
    return mp;
}

static void tmaps_drop(ir_schema *s)
{
    if (s->maps)
        s->maps->tables_built = false;
}

static void emaps_drop(ir_schema *s)
{
    if (s->maps)
        s->maps->enums_built = false;
}

/* Note that s->tables / s->enums changed through the functions here (which
 * updated the maps). */
static void tseen(ir_schema *s)
{
    if (s->maps) {
        s->maps->tables_seen = s->tables;
        s->maps->ntables_seen = s->ntables;
    }
}

static void eseen(ir_schema *s)
{
    if (s->maps) {
        s->maps->enums_seen = s->enums;
        s->maps->nenums_seen = s->nenums;
    }
}

/* s's maps struct, allocated when missing (NULL when out of memory). */
static struct ir_schema_maps *maps_alloc(ir_schema *s)
{
    if (!s->maps)
        s->maps = jy_arena_alloc(s->arena, sizeof *s->maps);
    return s->maps;
}

/*
 * The table part of the maps of s, built (again) when missing or out of
 * step and s has enough tables to want it; NULL for a small schema or when
 * out of memory (callers then search linearly).  The maps are a cache:
 * building them changes nothing a caller can see, hence the cast.
 */
static struct ir_schema_maps *tmaps_of(const ir_schema *cs)
{
    struct ir_schema_maps *mp = tmaps_ok(cs);
    if (mp)
        return mp;
    ir_schema *s = (ir_schema *)cs;
    tmaps_drop(s);
    if (s->ntables < MAP_MIN || !(mp = maps_alloc(s)))
        return NULL;
    mp->tables = mp->indexes = mp->refs = (nmap){0};
    for (size_t i = 0; i < s->ntables; i++) {
        ir_table *t = s->tables[i];
        if (!nmap_put(s->arena, &mp->tables, t->name, t, i))
            return NULL;
        for (size_t j = 0; j < t->nindexes; j++)
            cands_add(s->arena, &mp->indexes, t->indexes[j]->name, t);
        for (size_t j = 0; j < t->nfkeys; j++)
            cands_add(s->arena, &mp->refs, t->fkeys[j]->ref_table, t);
    }
    if (jy_arena_failed(s->arena))
        return NULL;
    mp->seq = s->ntables;
    mp->tables_built = true;
    tseen(s);
    return mp;
}

static struct ir_schema_maps *emaps_of(const ir_schema *cs)
{
    struct ir_schema_maps *mp = emaps_ok(cs);
    if (mp)
        return mp;
    ir_schema *s = (ir_schema *)cs;
    emaps_drop(s);
    if (s->nenums < MAP_MIN || !(mp = maps_alloc(s)))
        return NULL;
    mp->enums = (nmap){0};
    for (size_t i = 0; i < s->nenums; i++)
        if (!nmap_put(s->arena, &mp->enums, s->enums[i]->name, s->enums[i], 0))
            return NULL;
    mp->enums_built = true;
    eseen(s);
    return mp;
}

/* Is t a table of s (mp: s's maps)?  Its creation order in *seq. */
static bool is_member(const struct ir_schema_maps *mp, const ir_table *t, size_t *seq)
{
    const nent *e = nmap_get(&mp->tables, t->name);
    if (!e || e->val != t)
        return false;
    if (seq)
        *seq = e->aux;
    return true;
}

/* The maps of s for an edit through the functions here: NULL (and the
 * part dropped) when out of step, so an edit never marks stale maps as
 * current. */
static struct ir_schema_maps *tmaps_edit(ir_schema *s)
{
    struct ir_schema_maps *mp = tmaps_ok(s);
    if (!mp)
        tmaps_drop(s);
    return mp;
}

static struct ir_schema_maps *emaps_edit(ir_schema *s)
{
    struct ir_schema_maps *mp = emaps_ok(s);
    if (!mp)
        emaps_drop(s);
    return mp;
}

/* ------------------------------------------------------------- schema */

ir_schema *ir_schema_new(jy_arena *a)
{
    bool own = a == NULL;
    if (own && !(a = jy_arena_new()))
        return NULL;
    ir_schema *s = jy_arena_alloc(a, sizeof *s);
    if (!s) {
        if (own)
            jy_arena_free(a);
        return NULL;
    }
    s->arena = a;
    s->owns_arena = own;
    return s;
}

void ir_schema_free(ir_schema *s)
{
    if (s && s->owns_arena)
        jy_arena_free(s->arena);
}

static const char *const obj_names[IR_OBJ__COUNT] = {
    "extension", "view", "materialized_view", "trigger", "policy", "sequence", "schema"};

const char *ir_obj_kind_name(ir_obj_kind k)
{
    return (unsigned)k < IR_OBJ__COUNT ? obj_names[k] : "?";
}

static const char *const fk_names[] = {"NO ACTION", "RESTRICT", "CASCADE", "SET NULL",
                                       "SET DEFAULT"};

const char *ir_fk_action_name(ir_fk_action a)
{
    return (unsigned)a < JY_COUNTOF(fk_names) ? fk_names[a] : "NO ACTION";
}

bool ir_fk_action_parse(const char *s, ir_fk_action *out)
{
    char buf[32];
    size_t n = 0;
    for (; *s && n + 1 < sizeof buf; s++)
        buf[n++] = *s == '_' ? ' ' : (char)toupper((unsigned char)*s);
    buf[n] = 0;
    for (size_t i = 0; i < JY_COUNTOF(fk_names); i++)
        if (strcmp(buf, fk_names[i]) == 0) {
            *out = (ir_fk_action)i;
            return true;
        }
    /* PostgreSQL's pg_constraint codes */
    if (n == 1) {
        static const char codes[] = "arcnd";
        const char *p = strchr(codes, buf[0] | 0x20);
        if (p) {
            *out = (ir_fk_action)(p - codes);
            return true;
        }
    }
    return false;
}

const char *ir_identity_name(ir_identity i)
{
    switch (i) {
    case IR_IDENT_AUTO: return "auto";
    case IR_IDENT_ALWAYS: return "always";
    case IR_IDENT_BY_DEFAULT: return "by_default";
    default: return "none";
    }
}

/* -------------------------------------------------------------- tables */

ir_table *ir_schema_table(const ir_schema *s, const char *name)
{
    const struct ir_schema_maps *mp = tmaps_of(s);
    if (mp) {
        const nent *e = nmap_get(&mp->tables, name);
        return e ? e->val : NULL;
    }
    for (size_t i = 0; i < s->ntables; i++)
        if (streq(s->tables[i]->name, name))
            return s->tables[i];
    return NULL;
}

ir_table *ir_schema_add_table(ir_schema *s, const char *name)
{
    if (!name || ir_schema_table(s, name))
        return NULL;
    struct ir_schema_maps *mp = tmaps_edit(s);
    ir_table *t = jy_arena_alloc(s->arena, sizeof *t);
    if (!t || !(t->name = sdup(s, name)) || !PUSH(s->arena, s->tables, s->ntables, t)) {
        tmaps_drop(s);
        return NULL;
    }
    if (mp) {
        if (!nmap_put(s->arena, &mp->tables, t->name, t, mp->seq++))
            tmaps_drop(s);
        tseen(s);
    }
    return t;
}

bool ir_schema_remove_table(ir_schema *s, const char *name)
{
    struct ir_schema_maps *mp = tmaps_edit(s);
    for (size_t i = 0; i < s->ntables; i++)
        if (streq(s->tables[i]->name, name)) {
            if (mp)
                nmap_del(&mp->tables, s->tables[i]->name);
            REMOVE_AT(s->tables, s->ntables, i);
            tseen(s);
            /* its triggers and policies go with it */
            for (size_t j = s->nobjects; j-- > 0;)
                if (streq(s->objects[j]->table, name))
                    REMOVE_AT(s->objects, s->nobjects, j);
            return true;
        }
    return false;
}

bool ir_schema_rename_table(ir_schema *s, const char *from, const char *to)
{
    ir_table *t = ir_schema_table(s, from);
    if (!t || !to || ir_schema_table(s, to))
        return false;
    const char *old = t->name;
    const char *nn = sdup(s, to);
    if (!nn)
        return false;
    struct ir_schema_maps *mp = tmaps_edit(s);
    if (mp) {
        /* only the candidates can reference the table */
        const nent *ce = nmap_get(&mp->refs, old);
        const cands *c = ce ? ce->val : NULL;
        for (size_t i = 0; c && i < c->n; i++) {
            ir_table *u = c->v[i];
            if (!is_member(mp, u, NULL))
                continue;
            for (size_t j = 0; j < u->nfkeys; j++)
                if (streq(u->fkeys[j]->ref_table, old))
                    u->fkeys[j]->ref_table = nn;
            cands_add(s->arena, &mp->refs, nn, u);
        }
        const nent *te = nmap_get(&mp->tables, old);
        size_t seq = te ? te->aux : mp->seq++;
        nmap_del(&mp->tables, old);
        if (!nmap_put(s->arena, &mp->tables, nn, t, seq))
            tmaps_drop(s);
    } else {
        for (size_t i = 0; i < s->ntables; i++) {
            ir_table *u = s->tables[i];
            for (size_t j = 0; j < u->nfkeys; j++)
                if (streq(u->fkeys[j]->ref_table, old))
                    u->fkeys[j]->ref_table = nn;
        }
    }
    for (size_t j = 0; j < s->nobjects; j++)
        if (streq(s->objects[j]->table, old))
            s->objects[j]->table = nn;
    t->name = nn;
    return true;
}

/* ------------------------------------------------------------- columns */

ir_column *ir_table_column(const ir_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncolumns; i++)
        if (streq(t->columns[i]->name, name))
            return t->columns[i];
    return NULL;
}

/* Deep-copy a type into the arena. */
static bool copy_type(jy_arena *a, ir_type *dst, const ir_type *src)
{
    *dst = *src;
    if (src->nlabels) {
        dst->labels = jy_arena_calloc(a, src->nlabels, sizeof *dst->labels);
        if (!dst->labels)
            return false;
        for (size_t i = 0; i < src->nlabels; i++)
            if (!(dst->labels[i] = jy_arena_strdup(a, src->labels[i])))
                return false;
    }
    if (src->enum_name && !(dst->enum_name = jy_arena_strdup(a, src->enum_name)))
        return false;
    if (src->dialect_type && !(dst->dialect_type = jy_arena_strdup(a, src->dialect_type)))
        return false;
    if (src->inner) {
        ir_type *in = jy_arena_alloc(a, sizeof *in);
        if (!in || !copy_type(a, in, src->inner))
            return false;
        dst->inner = in;
    }
    return true;
}

ir_column *ir_table_add_column(ir_schema *s, ir_table *t, const char *name, const ir_type *type)
{
    if (!name || ir_table_column(t, name))
        return NULL;
    ir_column *c = jy_arena_alloc(s->arena, sizeof *c);
    if (!c || !(c->name = sdup(s, name)))
        return NULL;
    if (type) {
        if (!copy_type(s->arena, &c->type, type))
            return NULL;
    } else {
        c->type.id = IR_T_TEXT;
        c->type.length = c->type.precision = c->type.scale = -1;
    }
    c->nullable = true;
    if (!PUSH(s->arena, t->columns, t->ncolumns, c))
        return NULL;
    return c;
}

bool ir_table_remove_column(ir_schema *s, ir_table *t, const char *name)
{
    (void)s;
    size_t i;
    for (i = 0; i < t->ncolumns; i++)
        if (streq(t->columns[i]->name, name))
            break;
    if (i == t->ncolumns)
        return false;
    REMOVE_AT(t->columns, t->ncolumns, i);
    for (size_t j = t->npk; j-- > 0;)
        if (streq(t->pk[j], name)) {
            memmove(&t->pk[j], &t->pk[j + 1], (t->npk - j - 1) * sizeof *t->pk);
            t->npk--;
        }
    if (t->npk == 0)
        t->pk_name = NULL;
    for (size_t j = t->nindexes; j-- > 0;)
        if (list_has(t->indexes[j]->columns, t->indexes[j]->ncolumns, name))
            REMOVE_AT(t->indexes, t->nindexes, j);
    for (size_t j = t->nuniques; j-- > 0;)
        if (list_has(t->uniques[j]->columns, t->uniques[j]->ncolumns, name))
            REMOVE_AT(t->uniques, t->nuniques, j);
    for (size_t j = t->nfkeys; j-- > 0;)
        if (list_has(t->fkeys[j]->columns, t->fkeys[j]->ncolumns, name))
            REMOVE_AT(t->fkeys, t->nfkeys, j);
    return true;
}

static void rename_in(const char **v, size_t n, const char *from, const char *to)
{
    for (size_t i = 0; i < n; i++)
        if (streq(v[i], from))
            v[i] = to;
}

bool ir_table_rename_column(ir_schema *s, ir_table *t, const char *from, const char *to)
{
    ir_column *c = ir_table_column(t, from);
    if (!c || !to || ir_table_column(t, to))
        return false;
    const char *nn = sdup(s, to);
    if (!nn)
        return false;
    rename_in(t->pk, t->npk, from, nn);
    for (size_t j = 0; j < t->nindexes; j++)
        rename_in(t->indexes[j]->columns, t->indexes[j]->ncolumns, from, nn);
    for (size_t j = 0; j < t->nuniques; j++)
        rename_in(t->uniques[j]->columns, t->uniques[j]->ncolumns, from, nn);
    for (size_t j = 0; j < t->nfkeys; j++)
        rename_in(t->fkeys[j]->columns, t->fkeys[j]->ncolumns, from, nn);
    const struct ir_schema_maps *mp = tmaps_of(s);
    const nent *ce = mp ? nmap_get(&mp->refs, t->name) : NULL;
    const cands *cl = ce ? ce->val : NULL;
    /* with maps, only the candidates can reference t */
    size_t nu = mp ? (cl ? cl->n : 0) : s->ntables;
    for (size_t i = 0; i < nu; i++) {
        ir_table *u = mp ? cl->v[i] : s->tables[i];
        if (mp && !is_member(mp, u, NULL))
            continue;
        for (size_t j = 0; j < u->nfkeys; j++)
            if (streq(u->fkeys[j]->ref_table, t->name))
                rename_in(u->fkeys[j]->ref_columns, u->fkeys[j]->nref_columns, from, nn);
    }
    c->name = nn;
    return true;
}

bool ir_table_set_pk(ir_schema *s, ir_table *t, const char *name, const char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!ir_table_column(t, cols[i]))
            return false;
    const char **v = sdup_list(s, cols, n);
    if (n && !v)
        return false;
    t->pk = v;
    t->npk = n;
    t->pk_name = n ? sdup(s, name) : NULL;
    for (size_t i = 0; i < n; i++)
        ir_table_column(t, cols[i])->nullable = false;
    return true;
}

/* ------------------------------------------------------------- indexes */

ir_index *ir_table_index(const ir_table *t, const char *name)
{
    for (size_t i = 0; i < t->nindexes; i++)
        if (streq(t->indexes[i]->name, name))
            return t->indexes[i];
    return NULL;
}

ir_index *ir_schema_index(const ir_schema *s, const char *name, ir_table **table_out)
{
    const struct ir_schema_maps *mp = tmaps_of(s);
    if (mp) {
        /* the first table in table order among the candidates that have it;
         * candidates that no longer do are dropped from the list */
        const nent *e = nmap_get(&mp->indexes, name);
        cands *c = e ? e->val : NULL;
        ir_table *best = NULL;
        ir_index *bx = NULL;
        size_t bseq = 0, w = 0;
        for (size_t i = 0; c && i < c->n; i++) {
            ir_table *t = c->v[i];
            size_t seq;
            ir_index *x = is_member(mp, t, &seq) ? ir_table_index(t, name) : NULL;
            if (!x)
                continue;
            c->v[w++] = t;
            if (!best || seq < bseq) {
                best = t;
                bx = x;
                bseq = seq;
            }
        }
        if (c)
            c->n = w;
        if (bx && table_out)
            *table_out = best;
        return bx;
    }
    for (size_t i = 0; i < s->ntables; i++) {
        ir_index *x = ir_table_index(s->tables[i], name);
        if (x) {
            if (table_out)
                *table_out = s->tables[i];
            return x;
        }
    }
    return NULL;
}

ir_index *ir_table_add_index(ir_schema *s, ir_table *t, const char *name, bool unique,
                             const char *const *cols, size_t n, const char *where,
                             const char *method)
{
    if (!name || ir_table_index(t, name))
        return NULL;
    ir_index *x = jy_arena_alloc(s->arena, sizeof *x);
    if (!x || !(x->name = sdup(s, name)))
        return NULL;
    x->unique = unique;
    x->columns = sdup_list(s, cols, n);
    x->ncolumns = n;
    x->where = sdup(s, where);
    x->method = sdup(s, method);
    if (!PUSH(s->arena, t->indexes, t->nindexes, x))
        return NULL;
    struct ir_schema_maps *mp = tmaps_edit(s);
    if (mp)
        cands_add(s->arena, &mp->indexes, x->name, t);
    return x;
}

bool ir_table_remove_index(ir_table *t, const char *name)
{
    for (size_t i = 0; i < t->nindexes; i++)
        if (streq(t->indexes[i]->name, name)) {
            REMOVE_AT(t->indexes, t->nindexes, i);
            return true;
        }
    return false;
}

bool ir_table_rename_index(ir_schema *s, ir_table *t, const char *from, const char *to)
{
    ir_index *x = ir_table_index(t, from);
    if (!x || !to || ir_table_index(t, to))
        return false;
    const char *nn = sdup(s, to);
    if (!nn)
        return false;
    x->name = nn;
    struct ir_schema_maps *mp = tmaps_edit(s);
    if (mp)
        cands_add(s->arena, &mp->indexes, nn, t);
    return true;
}

/* --------------------------------------------------------- constraints */

const char *ir_table_constraint_kind(const ir_table *t, const char *name)
{
    if (!name)
        return NULL;
    if (t->npk && streq(t->pk_name, name))
        return "primary_key";
    for (size_t i = 0; i < t->nuniques; i++)
        if (streq(t->uniques[i]->name, name))
            return "unique";
    for (size_t i = 0; i < t->nfkeys; i++)
        if (streq(t->fkeys[i]->name, name))
            return "fk";
    for (size_t i = 0; i < t->nchecks; i++)
        if (streq(t->checks[i]->name, name))
            return "check";
    return NULL;
}

ir_unique *ir_table_add_unique(ir_schema *s, ir_table *t, const char *name,
                               const char *const *cols, size_t n)
{
    if (ir_table_constraint_kind(t, name))
        return NULL;
    ir_unique *u = jy_arena_alloc(s->arena, sizeof *u);
    if (!u)
        return NULL;
    u->name = sdup(s, name);
    u->columns = sdup_list(s, cols, n);
    u->ncolumns = n;
    if (!PUSH(s->arena, t->uniques, t->nuniques, u))
        return NULL;
    return u;
}

ir_fkey *ir_table_add_fkey(ir_schema *s, ir_table *t, const char *name, const char *const *cols,
                           size_t n, const char *ref_table, const char *const *ref_cols,
                           size_t nref, ir_fk_action on_delete, ir_fk_action on_update)
{
    if (ir_table_constraint_kind(t, name))
        return NULL;
    ir_fkey *f = jy_arena_alloc(s->arena, sizeof *f);
    if (!f)
        return NULL;
    f->name = sdup(s, name);
    f->columns = sdup_list(s, cols, n);
    f->ncolumns = n;
    f->ref_table = sdup(s, ref_table);
    f->ref_columns = sdup_list(s, ref_cols, nref);
    f->nref_columns = nref;
    f->on_delete = on_delete;
    f->on_update = on_update;
    if (!PUSH(s->arena, t->fkeys, t->nfkeys, f))
        return NULL;
    struct ir_schema_maps *mp = tmaps_edit(s);
    if (mp)
        cands_add(s->arena, &mp->refs, f->ref_table, t);
    return f;
}

ir_check *ir_table_add_check(ir_schema *s, ir_table *t, const char *name, const char *expr)
{
    if (ir_table_constraint_kind(t, name))
        return NULL;
    ir_check *c = jy_arena_alloc(s->arena, sizeof *c);
    if (!c)
        return NULL;
    c->name = sdup(s, name);
    c->expr = sdup(s, expr);
    if (!PUSH(s->arena, t->checks, t->nchecks, c))
        return NULL;
    return c;
}

bool ir_table_remove_constraint(ir_table *t, const char *name)
{
    if (!name)
        return false;
    if (t->npk && streq(t->pk_name, name)) {
        t->npk = 0;
        t->pk = NULL;
        t->pk_name = NULL;
        return true;
    }
    for (size_t i = 0; i < t->nuniques; i++)
        if (streq(t->uniques[i]->name, name)) {
            REMOVE_AT(t->uniques, t->nuniques, i);
            return true;
        }
    for (size_t i = 0; i < t->nfkeys; i++)
        if (streq(t->fkeys[i]->name, name)) {
            REMOVE_AT(t->fkeys, t->nfkeys, i);
            return true;
        }
    for (size_t i = 0; i < t->nchecks; i++)
        if (streq(t->checks[i]->name, name)) {
            REMOVE_AT(t->checks, t->nchecks, i);
            return true;
        }
    return false;
}

bool ir_table_rename_constraint(ir_schema *s, ir_table *t, const char *from, const char *to)
{
    if (!from || !to || !ir_table_constraint_kind(t, from) || ir_table_constraint_kind(t, to))
        return false;
    const char *nn = sdup(s, to);
    if (!nn)
        return false;
    if (t->npk && streq(t->pk_name, from)) {
        t->pk_name = nn;
        return true;
    }
    for (size_t i = 0; i < t->nuniques; i++)
        if (streq(t->uniques[i]->name, from)) {
            t->uniques[i]->name = nn;
            return true;
        }
    for (size_t i = 0; i < t->nfkeys; i++)
        if (streq(t->fkeys[i]->name, from)) {
            t->fkeys[i]->name = nn;
            return true;
        }
    for (size_t i = 0; i < t->nchecks; i++)
        if (streq(t->checks[i]->name, from)) {
            t->checks[i]->name = nn;
            return true;
        }
    return false;
}

/* ------------------------------------------------------ enums, objects */

/*
 * Enum arrays change in place only by appending (push writes past the
 * count, which schemas sharing the array do not see); removing or
 * replacing an enum makes a new array.  A schema that borrows another's
 * array copies it before its first change.  A new array of s's enums
 * without the one at `skip` (s->nenums for none); false when out of memory.
 */
static bool enums_copy(ir_schema *s, size_t skip)
{
    size_t n = s->nenums - (skip < s->nenums);
    ir_enum **v = jy_arena_calloc(s->arena, cap_of(n + 1), sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0, k = 0; i < s->nenums; i++)
        if (i != skip)
            v[k++] = s->enums[i];
    s->enums = v;
    s->nenums = n;
    if (s->maps)
        s->maps->enums_borrowed = false;
    return true;
}

static bool enums_borrowed(const ir_schema *s)
{
    return s->maps && s->maps->enums_borrowed;
}

ir_enum *ir_schema_enum(const ir_schema *s, const char *name)
{
    const struct ir_schema_maps *mp = emaps_of(s);
    if (mp) {
        const nent *e = nmap_get(&mp->enums, name);
        return e ? e->val : NULL;
    }
    for (size_t i = 0; i < s->nenums; i++)
        if (streq(s->enums[i]->name, name))
            return s->enums[i];
    return NULL;
}

ir_enum *ir_schema_add_enum(ir_schema *s, const char *name, const char *const *labels, size_t n)
{
    if (!name || ir_schema_enum(s, name))
        return NULL;
    ir_enum *e = jy_arena_alloc(s->arena, sizeof *e);
    if (!e || !(e->name = sdup(s, name)))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *l = sdup(s, labels[i]);
        if (!l || !PUSH(s->arena, e->labels, e->nlabels, (void *)l))
            return NULL;
    }
    struct ir_schema_maps *mp = emaps_edit(s);
    if (enums_borrowed(s) && !enums_copy(s, s->nenums)) {
        emaps_drop(s);
        return NULL;
    }
    if (!PUSH(s->arena, s->enums, s->nenums, e)) {
        emaps_drop(s);
        return NULL;
    }
    if (mp) {
        if (!nmap_put(s->arena, &mp->enums, e->name, e, 0))
            emaps_drop(s);
        eseen(s);
    }
    return e;
}

bool ir_schema_remove_enum(ir_schema *s, const char *name)
{
    struct ir_schema_maps *mp = emaps_edit(s);
    for (size_t i = 0; i < s->nenums; i++)
        if (streq(s->enums[i]->name, name)) {
            if (mp)
                nmap_del(&mp->enums, s->enums[i]->name);
            if (!enums_copy(s, i)) {
                emaps_drop(s);
                return false;
            }
            eseen(s);
            return true;
        }
    return false;
}

bool ir_schema_enum_add_value(ir_schema *s, const char *name, const char *label,
                              const char *before, const char *after)
{
    ir_enum *e = ir_schema_enum(s, name);
    if (!e || !label || list_has(e->labels, e->nlabels, label))
        return false;
    size_t at = e->nlabels;
    const char *nb = before ? before : after;
    if (nb) {
        size_t i;
        for (i = 0; i < e->nlabels; i++)
            if (streq(e->labels[i], nb))
                break;
        if (i == e->nlabels)
            return false;
        at = before ? i : i + 1;
    }
    /* a new enum replaces the old one (which other schemas may share:
     * ir_schema_share_enums) */
    struct ir_schema_maps *mp = emaps_edit(s);
    ir_enum *ne = jy_arena_alloc(s->arena, sizeof *ne);
    const char **nl = jy_arena_calloc(s->arena, cap_of(e->nlabels + 1), sizeof *nl);
    if (!ne || !nl || !(ne->name = sdup(s, e->name)))
        return false;
    for (size_t i = 0, k = 0; i <= e->nlabels; i++)
        if (!(nl[i] = sdup(s, i == at ? label : e->labels[k++])))
            return false;
    ne->labels = nl;
    ne->nlabels = e->nlabels + 1;
    if (!enums_copy(s, s->nenums)) {
        emaps_drop(s);
        return false;
    }
    for (size_t i = 0; i < s->nenums; i++)
        if (s->enums[i] == e)
            s->enums[i] = ne;
    eseen(s);
    if (mp && !nmap_put(s->arena, &mp->enums, ne->name, ne, 0))
        emaps_drop(s);
    return true;
}

ir_object *ir_schema_object(const ir_schema *s, ir_obj_kind k, const char *name, const char *table)
{
    for (size_t i = 0; i < s->nobjects; i++) {
        ir_object *o = s->objects[i];
        if (o->kind == k && streq(o->name, name) &&
            ((k != IR_OBJ_TRIGGER && k != IR_OBJ_POLICY) || streq(o->table, table)))
            return o;
    }
    return NULL;
}

ir_object *ir_schema_add_object(ir_schema *s, ir_obj_kind k, const char *name, const char *table,
                                const char *sql)
{
    if (!name || ir_schema_object(s, k, name, table))
        return NULL;
    ir_object *o = jy_arena_alloc(s->arena, sizeof *o);
    if (!o || !(o->name = sdup(s, name)))
        return NULL;
    o->kind = k;
    o->table = sdup(s, table);
    o->sql = sdup(s, sql);
    if (!PUSH(s->arena, s->objects, s->nobjects, o))
        return NULL;
    return o;
}

bool ir_schema_remove_object(ir_schema *s, ir_obj_kind k, const char *name, const char *table)
{
    ir_object *o = ir_schema_object(s, k, name, table);
    if (!o)
        return false;
    for (size_t i = 0; i < s->nobjects; i++)
        if (s->objects[i] == o) {
            REMOVE_AT(s->objects, s->nobjects, i);
            break;
        }
    return true;
}

/* ---------------------------------------------------------------- clone */

ir_schema *ir_schema_clone(const ir_schema *src, jy_arena *a)
{
    ir_schema *s = ir_schema_new(a);
    if (!s)
        return NULL;
    for (size_t i = 0; i < src->ntables; i++) {
        const ir_table *st = src->tables[i];
        ir_table *t = ir_schema_add_table(s, st->name);
        if (!t)
            goto fail;
        t->comment = sdup(s, st->comment);
        for (size_t j = 0; j < st->ncolumns; j++) {
            const ir_column *sc = st->columns[j];
            ir_column *c = ir_table_add_column(s, t, sc->name, &sc->type);
            if (!c)
                goto fail;
            c->nullable = sc->nullable;
            c->def.kind = sc->def.kind;
            c->def.text = sdup(s, sc->def.text);
            c->generated = sdup(s, sc->generated);
            c->generated_virtual = sc->generated_virtual;
            c->identity = sc->identity;
            c->comment = sdup(s, sc->comment);
            c->db_type = sdup(s, sc->db_type);
        }
        t->pk = sdup_list(s, st->pk, st->npk);
        t->npk = st->npk;
        t->pk_name = sdup(s, st->pk_name);
        for (size_t j = 0; j < st->nuniques; j++)
            if (!ir_table_add_unique(s, t, st->uniques[j]->name, st->uniques[j]->columns,
                                     st->uniques[j]->ncolumns))
                goto fail;
        for (size_t j = 0; j < st->nindexes; j++) {
            const ir_index *x = st->indexes[j];
            if (!ir_table_add_index(s, t, x->name, x->unique, x->columns, x->ncolumns, x->where,
                                    x->method))
                goto fail;
        }
        for (size_t j = 0; j < st->nfkeys; j++) {
            const ir_fkey *f = st->fkeys[j];
            if (!ir_table_add_fkey(s, t, f->name, f->columns, f->ncolumns, f->ref_table,
                                   f->ref_columns, f->nref_columns, f->on_delete, f->on_update))
                goto fail;
        }
        for (size_t j = 0; j < st->nchecks; j++) {
            ir_check *c = jy_arena_alloc(s->arena, sizeof *c);
            if (!c)
                goto fail;
            c->name = sdup(s, st->checks[j]->name);
            c->expr = sdup(s, st->checks[j]->expr);
            if (!PUSH(s->arena, t->checks, t->nchecks, c))
                goto fail;
        }
    }
    for (size_t i = 0; i < src->nenums; i++)
        if (!ir_schema_add_enum(s, src->enums[i]->name, src->enums[i]->labels,
                                src->enums[i]->nlabels))
            goto fail;
    for (size_t i = 0; i < src->nobjects; i++) {
        const ir_object *o = src->objects[i];
        if (!ir_schema_add_object(s, o->kind, o->name, o->table, o->sql))
            goto fail;
    }
    if (jy_arena_failed(s->arena))
        goto fail;
    return s;
fail:
    ir_schema_free(s);
    return NULL;
}

/* ------------------------------------------------------------ subsets */

typedef struct seqd {
    ir_table *t;
    size_t seq;
} seqd;

static int by_seq(const void *a, const void *b)
{
    const seqd *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Does t have a foreign key to table `name`? */
static bool references(const ir_table *t, const char *name)
{
    for (size_t j = 0; j < t->nfkeys; j++)
        if (streq(t->fkeys[j]->ref_table, name))
            return true;
    return false;
}

size_t ir_schema_tables_touching(const ir_schema *s, const char *const *names, size_t n,
                                 ir_table ***out)
{
    *out = NULL;
    const struct ir_schema_maps *mp = tmaps_of(s);
    if (!mp) {
        /* small schema: one pass in table order */
        ir_table **v = calloc(s->ntables + 1, sizeof *v);
        if (!v)
            return (size_t)-1;
        size_t k = 0;
        for (size_t i = 0; i < s->ntables; i++) {
            ir_table *t = s->tables[i];
            bool take = false;
            for (size_t q = 0; !take && q < n; q++)
                take = names[q] && (streq(t->name, names[q]) || references(t, names[q]));
            if (take)
                v[k++] = t;
        }
        *out = v;
        return k;
    }
    size_t cap = 16, k = 0;
    seqd *v = malloc(cap * sizeof *v);
    if (!v)
        return (size_t)-1;
    for (size_t q = 0; q < n; q++) {
        if (!names[q])
            continue;
        const nent *te = nmap_get(&mp->tables, names[q]);
        const nent *ce = nmap_get(&mp->refs, names[q]);
        const cands *c = ce ? ce->val : NULL;
        size_t need = k + 1 + (c ? c->n : 0);
        if (need > cap) {
            while (cap < need)
                cap *= 2;
            seqd *nv = realloc(v, cap * sizeof *v);
            if (!nv) {
                free(v);
                return (size_t)-1;
            }
            v = nv;
        }
        if (te)
            v[k++] = (seqd){te->val, te->aux};
        for (size_t i = 0; c && i < c->n; i++) {
            size_t seq;
            if (is_member(mp, c->v[i], &seq) && references(c->v[i], names[q]))
                v[k++] = (seqd){c->v[i], seq};
        }
    }
    qsort(v, k, sizeof *v, by_seq);
    ir_table **res = calloc(k + 1, sizeof *res);
    if (!res) {
        free(v);
        return (size_t)-1;
    }
    size_t w = 0;
    for (size_t i = 0; i < k; i++)
        if (w == 0 || res[w - 1] != v[i].t)
            res[w++] = v[i].t;
    free(v);
    *out = res;
    return w;
}

bool ir_schema_share_enums(ir_schema *dst, const ir_schema *src)
{
    if (dst->nenums || !src->nenums)
        return dst->nenums == 0;
    /* borrow src's array: enum arrays are only appended to in place */
    struct ir_schema_maps *mp = maps_alloc(dst);
    if (!mp)
        return false;
    emaps_drop(dst);
    mp->enums_borrowed = true;
    dst->enums = src->enums;
    dst->nenums = src->nenums;
    return true;
}
