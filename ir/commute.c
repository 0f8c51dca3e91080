/*
 * commute.c - the commutativity analysis of verify (issue 5): which
 * migrations are concurrent, and for every pair of ops of two concurrent
 * migrations that touch one object, whether they commute or conflict (the
 * reference's five kinds with their priority, plus order dependencies and
 * name collisions).  Candidate pairs come from a hash index keyed by the
 * normalized object, never from comparing all pairs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

static const char *const conflict_names[IR_CONFLICT__COUNT] = {
    "none",          "order_dependency", "name_collision", "double_alter",
    "column_rename", "add_drop",         "table_rename",   "table_drop",
};

const char *ir_conflict_kind_name(ir_conflict_kind k)
{
    return (unsigned)k < IR_CONFLICT__COUNT ? conflict_names[k] : "?";
}

/* ------------------------------------------------------------ verdicts */

static bool eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* The table an effect is about (a table's own name for TABLE). */
static const char *table_of(const ir_effect *e)
{
    return e->kind == IR_EK_TABLE ? e->name : e->table;
}

/* Does e touch table t (under its name, or as the new name of a rename)? */
static bool touches_table(const ir_effect *e, const char *t)
{
    if (eq(table_of(e), t))
        return true;
    return e->kind == IR_EK_TABLE && eq(e->new_name, t);
}

/* Is x about the same object as y, under the name n (x's name or new name)? */
static bool same_obj_named(const ir_effect *x, const char *n, const ir_effect *y)
{
    if (x->kind != y->kind || !n)
        return false;
    bool named = eq(y->name, n) || eq(y->new_name, n);
    switch (x->kind) {
    case IR_EK_TABLE:
    case IR_EK_INDEX: /* index names are schema-wide */
    case IR_EK_ENUM:
    case IR_EK_EXTENSION:
    case IR_EK_VIEW:
    case IR_EK_MATVIEW:
    case IR_EK_SEQUENCE:
    case IR_EK_SCHEMA:
        return named;
    case IR_EK_ROWS:
        return eq(x->table, y->table);
    case IR_EK_SQL:
    case IR_EK__COUNT:
        return false;
    default: /* column, constraint, trigger, policy: per table */
        return named && eq(x->table, y->table);
    }
}

static bool same_obj(const ir_effect *x, const ir_effect *y)
{
    if (x->kind == IR_EK_ROWS)
        return same_obj_named(x, "", y);
    return same_obj_named(x, x->name, y) || same_obj_named(x, x->new_name, y);
}

/* Changes what the object is: others that use it depend on the order. */
static bool shapes(const ir_effect *e)
{
    return e->verb == IR_EFF_CREATE || e->verb == IR_EFF_DROP || e->verb == IR_EFF_RENAME ||
           (e->verb == IR_EFF_ALTER && (e->flags & IR_EFFF_RETYPE));
}

/* Needs the object to exist as it is. */
static bool uses(const ir_effect *e)
{
    return e->verb == IR_EFF_READ || e->verb == IR_EFF_WRITE || e->verb == IR_EFF_ALTER ||
           e->verb == IR_EFF_DROP || e->verb == IR_EFF_RENAME;
}

/* The verdict of x against y, one direction (x is the "actor"). */
static ir_conflict_kind judge_dir(const ir_effect *x, const ir_effect *y)
{
    if (x->kind == IR_EK_TABLE && x->verb == IR_EFF_DROP && touches_table(y, x->name))
        return IR_CONFLICT_TABLE_DROP;
    if (x->kind == IR_EK_TABLE && x->verb == IR_EFF_RENAME &&
        (touches_table(y, x->name) || touches_table(y, x->new_name)))
        return IR_CONFLICT_TABLE_RENAME;
    if (x->verb == IR_EFF_CREATE && y->verb == IR_EFF_DROP && same_obj(x, y))
        return IR_CONFLICT_ADD_DROP;
    if (x->kind == IR_EK_COLUMN && x->verb == IR_EFF_RENAME && y->kind == IR_EK_COLUMN &&
        eq(x->table, y->table) &&
        (eq(y->name, x->name) || eq(y->name, x->new_name) || eq(y->new_name, x->name) ||
         eq(y->new_name, x->new_name)))
        return IR_CONFLICT_COLUMN_RENAME;
    if (x->verb == IR_EFF_ALTER && y->verb == IR_EFF_ALTER && same_obj(x, y))
        return IR_CONFLICT_DOUBLE_ALTER;
    if (x->verb == IR_EFF_CREATE && y->verb == IR_EFF_CREATE && same_obj(x, y))
        return IR_CONFLICT_NAME_COLLISION;
    if (x->verb == IR_EFF_WRITE && y->verb == IR_EFF_WRITE && same_obj(x, y) &&
        x->kind == IR_EK_COLUMN)
        return IR_CONFLICT_ORDER_DEPENDENCY; /* two updates of one column */
    if (x->verb == IR_EFF_WRITE && x->kind == IR_EK_ROWS && y->verb == IR_EFF_WRITE &&
        y->kind == IR_EK_COLUMN && eq(x->table, y->table))
        return IR_CONFLICT_ORDER_DEPENDENCY; /* inserted rows are updated or not */
    if (shapes(x) && uses(y) && same_obj(x, y) &&
        !(x->verb == IR_EFF_DROP && y->verb == IR_EFF_DROP))
        return IR_CONFLICT_ORDER_DEPENDENCY;
    return IR_CONFLICT_NONE;
}

/* The verdict of an effect pair; *actor_x tells whether x is the actor. */
static ir_conflict_kind judge(const ir_effect *x, const ir_effect *y, bool *actor_x)
{
    if (x->verb == IR_EFF_OPAQUE || y->verb == IR_EFF_OPAQUE || !(x->dialects & y->dialects))
        return IR_CONFLICT_NONE;
    ir_conflict_kind a = judge_dir(x, y), b = judge_dir(y, x);
    *actor_x = a >= b;
    return a >= b ? a : b;
}

/* ---------------------------------------------------------- the text */

/* "users.email", "users", "ix_a" */
static const char *obj_text(const ir_effect *e, jy_arena *a, bool new_name)
{
    const char *n = new_name && e->new_name ? e->new_name : e->name;
    if (e->kind == IR_EK_TABLE)
        return n;
    if (e->kind == IR_EK_ROWS)
        return e->table;
    if (e->table && e->kind != IR_EK_INDEX)
        return jy_arena_printf(a, "%s.%s", e->table, n ? n : "?");
    return n;
}

static const char *kind_obj(const ir_effect *e, jy_arena *a)
{
    if (e->kind == IR_EK_ROWS)
        return jy_arena_printf(a, "the rows of %s", e->table ? e->table : "?");
    return jy_arena_printf(a, "%s %s", ir_eff_kind_name(e->kind), obj_text(e, a, false));
}

/* The op's primary effect (its first), or NULL. */
static const ir_effect *primary(const ir_effects *e, uint32_t step)
{
    for (size_t i = 0; i < e->n; i++)
        if (e->v[i].op == step)
            return &e->v[i];
    return NULL;
}

/* What names an op in messages: its primary effect, except for
 * declare_schema_change, which declares many things: there, the effect
 * that decided the verdict. */
static const ir_effect *deciding_or_primary(const ir_effects *e, const ir_effect *x)
{
    if (x->op_kind == IR_OP_declare_schema_change)
        return x;
    const ir_effect *p = primary(e, x->op);
    return p ? p : x;
}

static void fill_ref(ir_opref *r, const ir_effects *e, const ir_effect *x, jy_arena *a)
{
    memset(r, 0, sizeof *r);
    r->migration = e->migration ? e->migration : "?";
    r->mig = e->mig;
    r->step = x->op;
    r->op = (unsigned)x->op_kind < IR_OP__COUNT ? ir_op_table[x->op_kind].name : "?";
    const ir_effect *p = deciding_or_primary(e, x);
    if (p->kind == IR_EK_TABLE || p->kind == IR_EK_ROWS || p->kind == IR_EK_SQL) {
        r->target[0] = table_of(p);
        r->ntarget = r->target[0] ? 1 : 0;
    } else if (p->table) {
        r->target[0] = p->table;
        r->target[1] = p->name;
        r->ntarget = 2;
    } else {
        r->target[0] = p->name;
        r->ntarget = p->name ? 1 : 0;
    }
    (void)a;
    if (e->mig && x->op < e->mig->nops) {
        const ir_op *op = e->mig->ops[x->op];
        r->start = op->start;
        r->end = op->end;
        if (e->mig->src) {
            unsigned line, col;
            jy_source_linecol(e->mig->src, op->start, &line, &col);
            r->line = line;
        }
    }
}

/* "alter_column(users.email)", "rename_column(users.email -> users.email_norm)" */
static const char *op_text(const ir_effects *e, const ir_effect *x, const ir_opref *r,
                           jy_arena *a)
{
    const ir_effect *p = deciding_or_primary(e, x);
    if (p->verb == IR_EFF_RENAME)
        return jy_arena_printf(a, "%s(%s -> %s)", r->op, obj_text(p, a, false),
                               obj_text(p, a, true));
    const char *t = obj_text(p, a, false);
    return jy_arena_printf(a, "%s(%s)", r->op, t ? t : "");
}

/*
 * Fill the conflict: sides ordered by (migration id, step); text from the
 * kind and the deciding effects (x in ex, y in ey; x the actor when
 * actor_x).
 */
static void make_conflict(ir_conflict *c, ir_conflict_kind kind, const ir_effects *ex,
                          const ir_effect *x, const ir_effects *ey, const ir_effect *y,
                          bool actor_x, jy_arena *a)
{
    memset(c, 0, sizeof *c);
    c->kind = kind;
    ir_opref rx, ry;
    fill_ref(&rx, ex, x, a);
    fill_ref(&ry, ey, y, a);
    int cmp = strcmp(rx.migration, ry.migration);
    bool x_left = cmp < 0 || (cmp == 0 && rx.step <= ry.step);
    c->left = x_left ? rx : ry;
    c->right = x_left ? ry : rx;
    const ir_effects *el = x_left ? ex : ey, *er = x_left ? ey : ex;
    const ir_effect *fl = x_left ? x : y, *fr = x_left ? y : x;
    c->message = jy_arena_printf(a, "%s in %s conflicts with %s in %s",
                                 op_text(el, fl, &c->left, a), c->left.migration,
                                 op_text(er, fr, &c->right, a), c->right.migration);
    /* actor / other */
    const ir_effect *act = actor_x ? x : y, *oth = actor_x ? y : x;
    const char *am = actor_x ? rx.migration : ry.migration;
    const char *om = actor_x ? ry.migration : rx.migration;
    const char *lm = c->left.migration, *rm = c->right.migration;
    switch (kind) {
    case IR_CONFLICT_TABLE_DROP:
        c->object = jy_arena_printf(a, "table %s", act->name);
        c->why = jy_arena_printf(a,
                                 "%s drops table %s, which %s also changes; in one order the "
                                 "change fails on a missing table, in the other it is lost "
                                 "with the table.",
                                 am, act->name, om);
        c->fix = jy_arena_printf(a,
                                 "if the table must go, remove the change from %s or merge the "
                                 "two migrations; otherwise add depends_on=[\"%s\"] to %s so "
                                 "the drop runs last.",
                                 om, om, am);
        break;
    case IR_CONFLICT_TABLE_RENAME:
        c->object = jy_arena_printf(a, "table %s", act->name);
        c->why = jy_arena_printf(a,
                                 "%s renames table %s to %s, which %s uses; whichever runs "
                                 "second finds the table under the wrong name.",
                                 am, act->name, act->new_name, om);
        c->fix = jy_arena_printf(a,
                                 "add depends_on=[\"%s\"] to %s and use the name %s there, or "
                                 "merge the two migrations.",
                                 am, om, act->new_name);
        break;
    case IR_CONFLICT_ADD_DROP: {
        const ir_effect *cr = act; /* the actor creates, the other drops */
        c->object = kind_obj(cr, a);
        c->why = jy_arena_printf(a,
                                 "%s creates %s and %s drops it; whether it exists afterwards "
                                 "depends on which runs first.",
                                 am, c->object, om);
        c->fix = jy_arena_printf(a,
                                 "decide whether %s should exist: remove one of the two ops, or "
                                 "add depends_on=[\"%s\"] to %s to fix the order.",
                                 c->object, lm, rm);
        break;
    }
    case IR_CONFLICT_COLUMN_RENAME:
        c->object = jy_arena_printf(a, "column %s.%s", act->table, act->name);
        c->why = jy_arena_printf(a,
                                 "%s renames column %s.%s to %s, which %s uses; whichever runs "
                                 "second finds the column under the wrong name.",
                                 am, act->table, act->name, act->new_name, om);
        c->fix = jy_arena_printf(a,
                                 "add depends_on=[\"%s\"] to %s and use the name %s there, or "
                                 "merge the two migrations.",
                                 am, om, act->new_name);
        break;
    case IR_CONFLICT_DOUBLE_ALTER:
        c->object = kind_obj(act, a);
        c->why = jy_arena_printf(a,
                                 "%s and %s both alter %s; it ends up as whichever runs last "
                                 "leaves it.",
                                 lm, rm, c->object);
        c->fix = jy_arena_printf(a,
                                 "merge the two changes into one migration, or add "
                                 "depends_on=[\"%s\"] to %s so the order is explicit.",
                                 lm, rm);
        break;
    case IR_CONFLICT_NAME_COLLISION:
        c->object = kind_obj(act, a);
        c->why = jy_arena_printf(a,
                                 "%s and %s both create %s; the second one fails or keeps the "
                                 "first one's definition.",
                                 lm, rm, c->object);
        c->fix = jy_arena_printf(a, "rename one of the two, or merge the two migrations.");
        break;
    case IR_CONFLICT_ORDER_DEPENDENCY:
    default:
        c->object = kind_obj(act, a);
        if (act->verb == IR_EFF_CREATE) {
            c->why = jy_arena_printf(a,
                                     "%s uses %s, which %s creates; it works only when %s "
                                     "runs first, and no depends_on says so.",
                                     om, c->object, am, am);
            c->fix = jy_arena_printf(a, "add depends_on=[\"%s\"] to %s.", am, om);
        } else if (act->verb == IR_EFF_DROP) {
            c->why = jy_arena_printf(a,
                                     "%s drops %s, which %s uses; it works only when %s runs "
                                     "first, and no depends_on says so.",
                                     am, c->object, om, om);
            c->fix = jy_arena_printf(a,
                                     "add depends_on=[\"%s\"] to %s so the drop runs last, or "
                                     "stop using it in %s.",
                                     om, am, om);
        } else if (act->verb == IR_EFF_ALTER) {
            c->why = jy_arena_printf(a,
                                     "%s changes the type of %s, which %s uses; the result "
                                     "depends on which runs first.",
                                     am, c->object, om);
            c->fix = jy_arena_printf(a,
                                     "add depends_on=[\"%s\"] to %s (or the reverse) so the "
                                     "order is explicit.",
                                     am, om);
        } else if (act->kind == IR_EK_ROWS) {
            c->why = jy_arena_printf(a,
                                     "%s inserts rows into %s and %s updates %s; whether the "
                                     "new rows are updated depends on which runs first.",
                                     am, act->table, om, obj_text(oth, a, false));
            c->fix = jy_arena_printf(a,
                                     "add depends_on=[\"%s\"] to %s so the update sees the "
                                     "inserted rows (or the reverse).",
                                     am, om);
        } else if (act->verb == IR_EFF_WRITE) {
            c->why = jy_arena_printf(a,
                                     "%s and %s both update %s; the value left is whichever "
                                     "runs last.",
                                     lm, rm, c->object);
            c->fix = jy_arena_printf(a,
                                     "merge the two updates, or add depends_on=[\"%s\"] to %s "
                                     "so the order is explicit.",
                                     lm, rm);
        } else {
            c->why = jy_arena_printf(a,
                                     "%s changes %s, which %s uses; the result depends on "
                                     "which runs first.",
                                     am, c->object, om);
            c->fix = jy_arena_printf(a, "add depends_on=[\"%s\"] to %s.", am, om);
        }
        break;
    }
}

/* --------------------------------------------------------- concurrency */

static unsigned side_of(const ir_concurrency *cc, size_t i)
{
    return cc && cc->side ? cc->side[i] : IR_SIDE_A;
}

/* The rules of ir_concurrency without the depends_on test and pred. */
static bool concurrent_by_side(const ir_dag *g, const ir_concurrency *cc, size_t a, size_t b)
{
    if (a == b)
        return false;
    unsigned sa = side_of(cc, a), sb = side_of(cc, b);
    bool same_side = !cc || !cc->side || cc->same_side;
    if (sa == IR_SIDE_SETTLED && sb == IR_SIDE_SETTLED)
        return false;
    if (sa == IR_SIDE_SETTLED || sb == IR_SIDE_SETTLED) {
        if (!cc || !cc->settled_after)
            return false;
        size_t s = sa == IR_SIDE_SETTLED ? a : b, u = sa == IR_SIDE_SETTLED ? b : a;
        size_t ps = ir_dag_position(g, s), pu = ir_dag_position(g, u);
        return ps != (size_t)-1 && pu != (size_t)-1 && ps > pu;
    }
    return sa != sb || same_side;
}

bool ir_concurrent(ir_dag *g, const ir_concurrency *cc, size_t a, size_t b)
{
    if (!concurrent_by_side(g, cc, a, b) || ir_dag_ordered(g, a, b))
        return false;
    return !(cc && cc->pred) || cc->pred(cc->ctx, a, b);
}

/* ------------------------------------------------------------- indexes */

static uint64_t hash_bytes(uint64_t h, const char *s)
{
    if (!s)
        return h * 0x100000001b3ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return (h ^ 0xff) * 0x100000001b3ULL;
}

/* An object key: a tag and one or two names. */
typedef struct okey {
    char tag;
    const char *a, *b;
} okey;

static bool okey_eq(const okey *x, const okey *y)
{
    return x->tag == y->tag && (x->a == y->a || eq(x->a, y->a)) &&
           (x->b == y->b || eq(x->b, y->b));
}

typedef struct entry {
    size_t mig;  /* index into p->migs */
    size_t eff;  /* index into eff[mig]->v */
    bool settled;
} entry;

typedef struct bucket {
    okey key;
    uint64_t h;
    entry *v;
    size_t n, cap;
    bool used;
} bucket;

typedef struct objmap {
    bucket *b;
    size_t cap, n;
} objmap;

static bucket *om_get(objmap *m, const okey *k, uint64_t h)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 1024;
        bucket *nb = calloc(nc, sizeof *nb);
        if (!nb)
            return NULL;
        for (size_t i = 0; i < m->cap; i++)
            if (m->b[i].used) {
                size_t j = m->b[i].h & (nc - 1);
                while (nb[j].used)
                    j = (j + 1) & (nc - 1);
                nb[j] = m->b[i];
            }
        free(m->b);
        m->b = nb;
        m->cap = nc;
    }
    size_t j = h & (m->cap - 1);
    while (m->b[j].used) {
        if (m->b[j].h == h && okey_eq(&m->b[j].key, k))
            return &m->b[j];
        j = (j + 1) & (m->cap - 1);
    }
    m->b[j].used = true;
    m->b[j].key = *k;
    m->b[j].h = h;
    m->n++;
    return &m->b[j];
}

static bool om_add(objmap *m, const okey *k, entry e)
{
    uint64_t h = hash_bytes(hash_bytes(0xcbf29ce484222325ULL ^ (unsigned char)k->tag, k->a), k->b);
    bucket *b = om_get(m, k, h);
    if (!b)
        return false;
    if (b->n == b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 4;
        entry *nv = realloc(b->v, nc * sizeof *nv);
        if (!nv)
            return false;
        b->v = nv;
        b->cap = nc;
    }
    b->v[b->n++] = e;
    return true;
}

static void om_free(objmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->b[i].v);
    free(m->b);
}

/* The keys an effect is filed under: its table (every table-scoped effect
 * and tables themselves, also under a rename's new name), its index name
 * (schema-wide), or its kind and name. */
static bool file_effect(objmap *m, const ir_effect *e, entry en)
{
    if (e->verb == IR_EFF_OPAQUE)
        return true;
    const char *t = table_of(e);
    if (t && !om_add(m, &(okey){'t', t, NULL}, en))
        return false;
    if (e->kind == IR_EK_TABLE && e->new_name && !om_add(m, &(okey){'t', e->new_name, NULL}, en))
        return false;
    if (e->kind == IR_EK_INDEX && e->name && !om_add(m, &(okey){'i', e->name, NULL}, en))
        return false;
    if (!t && e->kind != IR_EK_INDEX && e->kind != IR_EK_TABLE && e->name &&
        !om_add(m, &(okey){(char)('A' + e->kind), e->name, NULL}, en))
        return false;
    return true;
}

/* --------------------------------------------------------- op pairs */

typedef struct pairval {
    size_t ma, mb;  /* ma < mb */
    uint32_t oa, ob;
    ir_conflict_kind kind;
    size_t ea, eb;  /* deciding effects: ea in ma, eb in mb */
    bool actor_a;
    bool used;
} pairval;

typedef struct pairmap {
    pairval *v;
    size_t cap, n;
} pairmap;

static uint64_t pair_hash(size_t ma, uint32_t oa, size_t mb, uint32_t ob)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    h = (h ^ ma) * 0xff51afd7ed558ccdULL;
    h = (h ^ oa) * 0xc4ceb9fe1a85ec53ULL;
    h = (h ^ mb) * 0xff51afd7ed558ccdULL;
    h = (h ^ ob) * 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 29);
}

static pairval *pm_get(pairmap *m, size_t ma, uint32_t oa, size_t mb, uint32_t ob)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 256;
        pairval *nv = calloc(nc, sizeof *nv);
        if (!nv)
            return NULL;
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].used) {
                size_t j = pair_hash(m->v[i].ma, m->v[i].oa, m->v[i].mb, m->v[i].ob) & (nc - 1);
                while (nv[j].used)
                    j = (j + 1) & (nc - 1);
                nv[j] = m->v[i];
            }
        free(m->v);
        m->v = nv;
        m->cap = nc;
    }
    size_t j = pair_hash(ma, oa, mb, ob) & (m->cap - 1);
    while (m->v[j].used) {
        pairval *p = &m->v[j];
        if (p->ma == ma && p->oa == oa && p->mb == mb && p->ob == ob)
            return p;
        j = (j + 1) & (m->cap - 1);
    }
    m->v[j] = (pairval){.ma = ma, .oa = oa, .mb = mb, .ob = ob, .used = true};
    m->n++;
    return &m->v[j];
}

/* -------------------------------------------------- ordering queries */

/*
 * depends_on order between candidate migrations.  With few unsettled
 * migrations (the usual case: a branch, the pending ones), one pass in
 * apply order computes for every migration the set of unsettled ones it
 * descends from (a bitset over the unsettled); a pair with an unsettled
 * member is then answered in O(1).  When the bitsets would be too large,
 * each query searches the DAG.
 */
typedef struct orderq {
    ir_dag *g;
    size_t *uidx;   /* p->n entries: the bit of an unsettled migration, or SIZE_MAX */
    uint64_t *bits; /* p->n rows of words */
    size_t words;
} orderq;

static bool oq_init(orderq *q, ir_dag *g, const ir_program *p, const ir_concurrency *cc)
{
    memset(q, 0, sizeof *q);
    q->g = g;
    size_t nu = 0;
    for (size_t i = 0; i < p->n; i++)
        if (side_of(cc, i) != IR_SIDE_SETTLED)
            nu++;
    size_t words = (nu + 63) / 64;
    if (!nu || (double)words * (double)p->n > (double)(1u << 22))
        return true; /* search per query */
    q->uidx = malloc(p->n * sizeof *q->uidx);
    q->bits = calloc(words * p->n, sizeof *q->bits);
    if (!q->uidx || !q->bits) {
        free(q->uidx);
        free(q->bits);
        q->uidx = NULL;
        q->bits = NULL;
        return false;
    }
    q->words = words;
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++)
        q->uidx[i] = side_of(cc, i) != IR_SIDE_SETTLED ? k++ : SIZE_MAX;
    size_t no;
    const size_t *order = ir_dag_order(g, &no);
    for (size_t t = 0; t < no; t++) {
        size_t v = order[t];
        uint64_t *row = q->bits + v * words;
        size_t nd;
        const size_t *deps = ir_dag_deps(g, v, &nd);
        for (size_t e = 0; e < nd; e++) {
            const uint64_t *dr = q->bits + deps[e] * words;
            for (size_t w = 0; w < words; w++)
                row[w] |= dr[w];
            if (q->uidx[deps[e]] != SIZE_MAX)
                row[q->uidx[deps[e]] / 64] |= 1ULL << (q->uidx[deps[e]] % 64);
        }
    }
    return true;
}

/* Does b descend from a (a reaches b)? */
static bool oq_reaches(const orderq *q, size_t a, size_t b)
{
    if (q->bits && q->uidx[a] != SIZE_MAX) {
        size_t u = q->uidx[a];
        return (q->bits[b * q->words + u / 64] >> (u % 64)) & 1;
    }
    return ir_dag_reaches(q->g, a, b);
}

static bool oq_ordered(const orderq *q, size_t a, size_t b)
{
    return oq_reaches(q, a, b) || oq_reaches(q, b, a);
}

static void oq_free(orderq *q)
{
    free(q->uidx);
    free(q->bits);
}

/* ------------------------------------------------------------ verify */

static int cmp_conflict(const void *x, const void *y)
{
    const ir_conflict *a = x, *b = y;
    int c = strcmp(a->left.migration, b->left.migration);
    if (c)
        return c;
    if (a->left.step != b->left.step)
        return a->left.step < b->left.step ? -1 : 1;
    c = strcmp(a->right.migration, b->right.migration);
    if (c)
        return c;
    return (a->right.step > b->right.step) - (a->right.step < b->right.step);
}

int ir_verify_pairs(const ir_program *p, ir_dag *g, ir_effects *const *eff,
                    const ir_concurrency *cc, ir_conflict **out, size_t *n, jy_arena *a,
                    jy_diags *d)
{
    *out = NULL;
    *n = 0;
    objmap om = {0};
    pairmap pm = {0};
    orderq oq;
    int rc = -1;
    bool oq_ok = oq_init(&oq, g, p, cc);
    if (!oq_ok)
        goto out;
    /* the earliest unsettled position: settled migrations before it are
     * never concurrent with anything */
    size_t first_u = (size_t)-1;
    for (size_t i = 0; i < p->n; i++)
        if (side_of(cc, i) != IR_SIDE_SETTLED) {
            size_t ps = ir_dag_position(g, i);
            if (ps < first_u)
                first_u = ps;
        }
    if (first_u == (size_t)-1)
        goto done; /* nothing unsettled: nothing is concurrent */
    for (size_t i = 0; i < p->n; i++) {
        bool settled = side_of(cc, i) == IR_SIDE_SETTLED;
        if (settled) {
            size_t ps = ir_dag_position(g, i);
            if (!cc || !cc->settled_after || ps == (size_t)-1 || ps <= first_u)
                continue;
        }
        for (size_t k = 0; k < eff[i]->n; k++)
            if (!file_effect(&om, &eff[i]->v[k], (entry){i, k, settled}))
                goto out;
    }
    /* pairs within each bucket: an unsettled entry against every later
     * entry and every settled one */
    for (size_t bi = 0; bi < om.cap; bi++) {
        const bucket *b = &om.b[bi];
        if (!b->used || b->n < 2)
            continue;
        for (size_t x = 0; x < b->n; x++) {
            const entry *ex = &b->v[x];
            if (ex->settled)
                continue;
            for (size_t y = 0; y < b->n; y++) {
                const entry *ey = &b->v[y];
                if (ey->mig == ex->mig || (!ey->settled && y < x))
                    continue;
                const ir_effect *fx = &eff[ex->mig]->v[ex->eff], *fy = &eff[ey->mig]->v[ey->eff];
                bool actor_x;
                ir_conflict_kind k = judge(fx, fy, &actor_x);
                if (k == IR_CONFLICT_NONE)
                    continue;
                if (!concurrent_by_side(g, cc, ex->mig, ey->mig) ||
                    oq_ordered(&oq, ex->mig, ey->mig))
                    continue;
                if (cc && cc->pred && !cc->pred(cc->ctx, ex->mig, ey->mig))
                    continue;
                bool xa = ex->mig < ey->mig;
                size_t ma = xa ? ex->mig : ey->mig, mb = xa ? ey->mig : ex->mig;
                const ir_effect *ea = xa ? fx : fy, *eb = xa ? fy : fx;
                pairval *pv = pm_get(&pm, ma, ea->op, mb, eb->op);
                if (!pv)
                    goto out;
                if (k > pv->kind) {
                    pv->kind = k;
                    pv->ea = xa ? ex->eff : ey->eff;
                    pv->eb = xa ? ey->eff : ex->eff;
                    pv->actor_a = xa ? actor_x : !actor_x;
                }
            }
        }
    }
done:
    if (pm.n) {
        ir_conflict *v = jy_arena_calloc(a, pm.n, sizeof *v);
        if (!v)
            goto out;
        size_t k = 0;
        for (size_t i = 0; i < pm.cap; i++) {
            const pairval *pv = &pm.v[i];
            if (!pv->used)
                continue;
            make_conflict(&v[k++], pv->kind, eff[pv->ma], &eff[pv->ma]->v[pv->ea], eff[pv->mb],
                          &eff[pv->mb]->v[pv->eb], pv->actor_a, a);
        }
        if (jy_arena_failed(a))
            goto out;
        qsort(v, k, sizeof *v, cmp_conflict);
        *out = v;
        *n = k;
    }
    rc = 0;
out:
    if (rc)
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "verify.oom", NULL,
                      "out of memory during the commutativity analysis");
    if (oq_ok)
        oq_free(&oq);
    om_free(&om);
    free(pm.v);
    return rc;
}

int ir_verify_program(const ir_program *p, const ir_concurrency *cc, ir_conflict **out,
                      size_t *n, jy_arena *a, jy_diags *d)
{
    *out = NULL;
    *n = 0;
    ir_dag *g;
    if (ir_dag_build(p, IR_D__COUNT, &g, d))
        return -1;
    ir_effects **eff;
    int rc = ir_effects_compute(p, a, &eff, d);
    if (rc == 0)
        rc = ir_verify_pairs(p, g, eff, cc, out, n, a, d);
    ir_dag_free(g);
    return rc;
}

bool ir_effects_conflict(const ir_effects *ea, const ir_effects *eb, jy_arena *ar,
                         ir_conflict *out)
{
    ir_conflict_kind best = IR_CONFLICT_NONE;
    size_t bx = 0, by = 0;
    bool bact = false;
    for (size_t x = 0; x < ea->n; x++)
        for (size_t y = 0; y < eb->n; y++) {
            bool actor_x;
            ir_conflict_kind k = judge(&ea->v[x], &eb->v[y], &actor_x);
            if (k > best) {
                best = k;
                bx = x;
                by = y;
                bact = actor_x;
            }
        }
    if (best == IR_CONFLICT_NONE)
        return false;
    if (out)
        make_conflict(out, best, ea, &ea->v[bx], eb, &eb->v[by], bact, ar);
    return true;
}
