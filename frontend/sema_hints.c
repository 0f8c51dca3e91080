/*
 * sema_hints.c - `# JORYU-DOWN-HINT: field: value` comments of the
 * downgrade function (reference §11.2) into ir_migration.hints.
 *
 *   # JORYU-DOWN-HINT: schema-impact:
 *   #   - drop_column: users.email_normalized
 *   # JORYU-DOWN-HINT: cross-references: []
 *   # JORYU-DOWN-HINT: data-loss-risk: high
 *
 * A field with an empty value opens a list whose items are the directly
 * following `#   - item` comment lines; `[]` is an empty list and
 * `[a, b]` an inline one.  Unknown fields are kept and warned about; a bad
 * enum or boolean value, or a list field given a scalar, is an error.
 */
#include "sema_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HINT_TAG "JORYU-DOWN-HINT:"

typedef enum { HF_LIST, HF_TEXT, HF_RISK, HF_STATUS, HF_BOOL } hint_kind;

static const struct {
    const char *name;
    hint_kind kind;
} fields[] = {
    {"schema-impact", HF_LIST},         {"cross-references", HF_LIST},
    {"data-loss-risk", HF_RISK},        {"data-loss-reason", HF_TEXT},
    {"order-constraint", HF_LIST},      {"requires-app-knowledge", HF_BOOL},
    {"app-knowledge-needed", HF_LIST},  {"completion-status", HF_STATUS},
    {"manual-steps", HF_LIST},
};

static const char *const field_names[] = {
    "schema-impact",    "cross-references",       "data-loss-risk",
    "data-loss-reason", "order-constraint",       "requires-app-knowledge",
    "app-knowledge-needed", "completion-status",  "manual-steps"};

static const char *const risks[] = {"none", "low", "medium", "high", "irreversible"};
static const char *const statuses[] = {"stub", "partial", "complete", "manual-review-required"};

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* The first comment at or after offset (comments are sorted). */
static size_t first_comment(const fe_module *m, uint32_t offset)
{
    size_t lo = 0, hi = m->ncomments;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->comments[mid].start < offset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The comment's text after `#` and leading blanks: [*p, *p + *n). */
static uint32_t comment_body(sema *s, const fe_comment *c, const char **p, size_t *n)
{
    const char *t = s->src->text + c->start;
    size_t len = c->end - c->start;
    size_t i = 0;
    if (i < len && t[i] == '#')
        i++;
    while (i < len && blank(t[i]))
        i++;
    while (len > i && blank(t[len - 1]))
        len--;
    *p = t + i;
    *n = len - i;
    return c->start + (uint32_t)i;
}

static bool is_hint(const char *p, size_t n)
{
    return n >= strlen(HINT_TAG) && memcmp(p, HINT_TAG, strlen(HINT_TAG)) == 0;
}

static bool only_space_between(sema *s, uint32_t a, uint32_t b)
{
    for (uint32_t i = a; i < b && i < s->src->len; i++) {
        char c = s->src->text[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

static bool one_of(const char *v, size_t n, const char *const *list, size_t nl)
{
    for (size_t i = 0; i < nl; i++)
        if (strlen(list[i]) == n && memcmp(list[i], v, n) == 0)
            return true;
    return false;
}

static void enum_error(sema *s, const char *field, const char *v, size_t n, uint32_t at,
                       const char *const *list, size_t nl)
{
    jy_buf b;
    jy_buf_init(&b);
    for (size_t i = 0; i < nl; i++)
        jy_buf_printf(&b, "%s%s", i ? ", " : "", list[i]);
    const char *c = jy_closest(v, n, list, nl);
    jy_diag *g = sm_err(s, "sema.hint-value", at, at + (uint32_t)n,
                        "%s must be one of %s, not \"%.*s\"", field, b.data ? b.data : "",
                        (int)n, v);
    if (c)
        jy_diag_hint(g, "did you mean '%s'?", c);
    jy_buf_free(&b);
}

typedef struct hint_vec {
    ir_hint *v;
    size_t n, cap;
} hint_vec;

static ir_hint *push_hint(sema *s, hint_vec *hv)
{
    if (hv->n == hv->cap) {
        size_t cap = hv->cap ? hv->cap * 2 : 8;
        ir_hint *nv = jy_arena_grow(s->A, hv->v, hv->n, cap, sizeof *nv);
        if (!nv)
            return NULL;
        hv->v = nv;
        hv->cap = cap;
    }
    ir_hint *h = &hv->v[hv->n++];
    memset(h, 0, sizeof *h);
    return h;
}

static void push_item(sema *s, ir_hint *h, size_t *cap, const char *p, size_t n)
{
    if (h->nitems == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        const char **nv = jy_arena_grow(s->A, (void *)h->items, h->nitems, nc, sizeof *nv);
        if (!nv)
            return;
        h->items = nv;
        *cap = nc;
    }
    h->items[h->nitems++] = jy_arena_strndup(s->A, p, n);
}

void sm_hints(sema *s, uint32_t start, uint32_t end)
{
    const fe_module *m = s->mod;
    hint_vec hv = {0};
    ir_hint *open = NULL; /* a list field taking `- item` lines */
    size_t open_cap = 0;
    uint32_t prev_end = 0;
    int risk = -1;
    bool have_reason = false, needs_knowledge = false, have_knowledge = false;
    uint32_t risk_at = 0, risk_end = 0, knowledge_at = 0, knowledge_end = 0;
    for (size_t i = first_comment(m, start); i < m->ncomments && m->comments[i].start < end; i++) {
        const fe_comment *c = &m->comments[i];
        const char *p;
        size_t n;
        uint32_t at = comment_body(s, c, &p, &n);
        if (open && !is_hint(p, n) && n >= 1 && p[0] == '-' &&
            only_space_between(s, prev_end, c->start)) {
            size_t k = 1;
            while (k < n && blank(p[k]))
                k++;
            open->end = c->end;
            push_item(s, open, &open_cap, p + k, n - k);
            prev_end = c->end;
            continue;
        }
        open = NULL;
        prev_end = c->end;
        if (!is_hint(p, n))
            continue;
        size_t k = strlen(HINT_TAG);
        while (k < n && blank(p[k]))
            k++;
        const char *f = p + k;
        const char *colon = memchr(f, ':', n - k);
        if (!colon || colon == f) {
            jy_diag *g = sm_err(s, "sema.hint-syntax", c->start, c->end,
                                "a JORYU-DOWN-HINT line is `# JORYU-DOWN-HINT: field: value`");
            jy_diag_hint(g, "fields: schema-impact, cross-references, data-loss-risk, "
                            "data-loss-reason, order-constraint, requires-app-knowledge, "
                            "app-knowledge-needed, completion-status, manual-steps");
            continue;
        }
        size_t fn = (size_t)(colon - f);
        while (fn && blank(f[fn - 1]))
            fn--;
        const char *v = colon + 1;
        size_t vn = (size_t)(p + n - v);
        while (vn && blank(*v)) {
            v++;
            vn--;
        }
        uint32_t f_at = at + (uint32_t)k;
        uint32_t v_at = at + (uint32_t)(v - p);
        int idx = -1;
        for (size_t q = 0; q < JY_COUNTOF(fields); q++)
            if (strlen(fields[q].name) == fn && memcmp(fields[q].name, f, fn) == 0)
                idx = (int)q;
        for (size_t q = 0; q < hv.n; q++)
            if (strlen(hv.v[q].field) == fn && memcmp(hv.v[q].field, f, fn) == 0) {
                sm_warn(s, "sema.hint-duplicate", f_at, f_at + (uint32_t)fn,
                        "JORYU-DOWN-HINT field '%.*s' is given twice", (int)fn, f);
                break;
            }
        if (idx < 0) {
            const char *cl = jy_closest(f, fn, field_names, JY_COUNTOF(field_names));
            jy_diag *g = sm_warn(s, "sema.hint-unknown-field", f_at, f_at + (uint32_t)fn,
                                 "unknown JORYU-DOWN-HINT field '%.*s'", (int)fn, f);
            if (cl)
                jy_diag_hint(g, "did you mean '%s'?", cl);
            else
                jy_diag_hint(g, "the v1 fields are listed in reference §11.2");
        }
        ir_hint *h = push_hint(s, &hv);
        if (!h)
            return;
        h->field = jy_arena_strndup(s->A, f, fn);
        h->start = c->start;
        h->end = c->end;
        hint_kind kind = idx >= 0 ? fields[idx].kind : (vn ? HF_TEXT : HF_LIST);
        if (kind == HF_LIST) {
            h->is_list = true;
            if (vn == 0) {
                open = h;
                open_cap = 0;
            } else if (v[0] == '[' && v[vn - 1] == ']') {
                const char *q = v + 1, *qe = v + vn - 1;
                open_cap = 0;
                while (q < qe) {
                    const char *comma = memchr(q, ',', (size_t)(qe - q));
                    const char *ie = comma ? comma : qe;
                    const char *a = q, *b = ie;
                    while (a < b && blank(*a))
                        a++;
                    while (b > a && blank(b[-1]))
                        b--;
                    if (b > a)
                        push_item(s, h, &open_cap, a, (size_t)(b - a));
                    q = comma ? comma + 1 : qe;
                }
                open_cap = 0;
            } else {
                jy_diag *g = sm_err(s, "sema.hint-value", v_at, v_at + (uint32_t)vn,
                                    "%.*s is a list", (int)fn, f);
                jy_diag_hint(g, "write `# JORYU-DOWN-HINT: %.*s:` and the items on "
                                "`#   - item` lines below, or `[]`",
                             (int)fn, f);
            }
            if (idx >= 0 && strcmp(fields[idx].name, "app-knowledge-needed") == 0)
                have_knowledge = true;
            continue;
        }
        h->value = jy_arena_strndup(s->A, v, vn);
        if (vn == 0) {
            sm_err(s, "sema.hint-value", f_at, f_at + (uint32_t)fn,
                   "JORYU-DOWN-HINT field '%.*s' needs a value", (int)fn, f);
            continue;
        }
        switch (kind) {
        case HF_RISK:
            if (!one_of(v, vn, risks, JY_COUNTOF(risks)))
                enum_error(s, "data-loss-risk", v, vn, v_at, risks, JY_COUNTOF(risks));
            else {
                for (size_t q = 0; q < JY_COUNTOF(risks); q++)
                    if (strlen(risks[q]) == vn && memcmp(risks[q], v, vn) == 0)
                        risk = (int)q;
                risk_at = f_at;
                risk_end = v_at + (uint32_t)vn;
            }
            break;
        case HF_STATUS:
            if (!one_of(v, vn, statuses, JY_COUNTOF(statuses)))
                enum_error(s, "completion-status", v, vn, v_at, statuses, JY_COUNTOF(statuses));
            break;
        case HF_BOOL:
            if (vn == 4 && strncasecmp(v, "true", 4) == 0) {
                needs_knowledge = true;
                knowledge_at = f_at;
                knowledge_end = v_at + 4;
            } else if (!(vn == 5 && strncasecmp(v, "false", 5) == 0))
                sm_err(s, "sema.hint-value", v_at, v_at + (uint32_t)vn,
                       "requires-app-knowledge must be true or false, not \"%.*s\"", (int)vn, v);
            break;
        case HF_TEXT:
            if (idx >= 0 && strcmp(fields[idx].name, "data-loss-reason") == 0)
                have_reason = true;
            break;
        default:
            break;
        }
    }
    if (risk >= 2 && !have_reason) /* medium, high, irreversible */
        sm_warn(s, "sema.hint-reason", risk_at, risk_end,
                "data-loss-risk %s needs a data-loss-reason field", risks[risk]);
    if (needs_knowledge && !have_knowledge)
        sm_warn(s, "sema.hint-knowledge", knowledge_at, knowledge_end,
                "requires-app-knowledge: true needs an app-knowledge-needed list");
    s->m->hints = hv.v;
    s->m->nhints = hv.n;
}

void sm_hints_outside(sema *s, uint32_t start, uint32_t end)
{
    const fe_module *m = s->mod;
    for (size_t i = first_comment(m, start); i < m->ncomments && m->comments[i].start < end; i++) {
        const char *p;
        size_t n;
        uint32_t at = comment_body(s, &m->comments[i], &p, &n);
        if (!is_hint(p, n))
            continue;
        jy_diag *g = sm_warn(s, "sema.hint-outside", at, at + (uint32_t)strlen(HINT_TAG),
                             "JORYU-DOWN-HINT outside the @joryu.downgrade function is ignored");
        jy_diag_hint(g, "put the hints at the top of downgrade()'s body");
    }
}
