/*
 * sema.c - semantic analysis, module level: imports, constants, the
 * @joryu.migration decorator and its fields, the upgrade/downgrade
 * functions; then the checks across files (fe_sema_program).  Op calls,
 * values and types are sema_ops.c's; DOWN-HINT comments sema_hints.c's.
 */
#include "sema_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- helpers */

bool sm_vec_push(sema *s, sm_vec *v, void *p)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        void **nv = jy_arena_grow(s->A, v->v, v->n, cap, sizeof *nv);
        if (!nv)
            return false;
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = p;
    return true;
}

jy_diag *sm_err(sema *s, const char *code, uint32_t start, uint32_t end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jy_diag *g = jy_diag_vat(s->d, JY_SEV_ERROR, JY_EXIT_ERROR, code, s->src, start, end, fmt, ap);
    va_end(ap);
    return g;
}

jy_diag *sm_err6(sema *s, const char *code, uint32_t start, uint32_t end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jy_diag *g =
        jy_diag_vat(s->d, JY_SEV_ERROR, JY_EXIT_UNSUPPORTED, code, s->src, start, end, fmt, ap);
    va_end(ap);
    return g;
}

jy_diag *sm_warn(sema *s, const char *code, uint32_t start, uint32_t end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jy_diag *g = jy_diag_vat(s->d, JY_SEV_WARNING, 0, code, s->src, start, end, fmt, ap);
    va_end(ap);
    return g;
}

static size_t name_hash(const char *p, size_t n)
{
    size_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

static sm_binding *slot_for(sm_binding *tab, size_t cap, const char *name, size_t n)
{
    size_t i = name_hash(name, n) & (cap - 1);
    while (tab[i].name && !(tab[i].n == n && memcmp(tab[i].name, name, n) == 0))
        i = (i + 1) & (cap - 1);
    return &tab[i];
}

sm_binding *sm_lookup(sema *s, const char *name, size_t n)
{
    if (!s->names)
        return NULL;
    sm_binding *b = slot_for(s->names, s->names_cap, name, n);
    if (!b->name)
        return NULL;
    if (b->kind == SM_N_DIALECT && b->scope != s->fn_scope)
        return NULL;
    if (b->kind == SM_N_BATCH && (!s->batch || b->scope != s->batch_scope))
        return NULL;
    return b;
}

sm_binding *sm_bind(sema *s, const char *name, size_t n, sm_name_kind kind)
{
    if (s->names_n * 2 >= s->names_cap) {
        size_t cap = s->names_cap ? s->names_cap * 2 : 32;
        sm_binding *tab = calloc(cap, sizeof *tab);
        if (!tab)
            return NULL;
        for (size_t i = 0; i < s->names_cap; i++)
            if (s->names[i].name)
                *slot_for(tab, cap, s->names[i].name, s->names[i].n) = s->names[i];
        free(s->names);
        s->names = tab;
        s->names_cap = cap;
    }
    sm_binding *b = slot_for(s->names, s->names_cap, name, n);
    if (!b->name) {
        s->names_n++;
        b->name = name;
        b->n = n;
    }
    b->kind = kind;
    b->value = NULL;
    b->scope = kind == SM_N_BATCH ? s->batch_scope : s->fn_scope;
    return b;
}

sm_name_kind sm_resolve(sema *s, const fe_expr *e)
{
    if (!e)
        return SM_N_NONE;
    if (e->kind == FE_E_NAME) {
        sm_binding *b = sm_lookup(s, e->u.name.s, e->u.name.n);
        return b ? b->kind : SM_N_NONE;
    }
    if (e->kind == FE_E_ATTR && sm_resolve(s, e->u.attr.obj) == SM_N_JORYU) {
        const char *n = e->u.attr.name;
        size_t nn = e->u.attr.n;
        if (nn == 2 && memcmp(n, "op", 2) == 0)
            return SM_N_OP;
        if (nn == 5 && memcmp(n, "types", 5) == 0)
            return SM_N_TYPES;
        if (nn == 9 && memcmp(n, "migration", 9) == 0)
            return SM_N_MIGRATION;
        if (nn == 9 && memcmp(n, "downgrade", 9) == 0)
            return SM_N_DOWNGRADE;
    }
    return SM_N_NONE;
}

static bool attr_is(const fe_expr *e, const char *name)
{
    return e && e->kind == FE_E_ATTR && e->u.attr.n == strlen(name) &&
           memcmp(e->u.attr.name, name, e->u.attr.n) == 0;
}

bool sm_is_dialect_name(sema *s, const fe_expr *e)
{
    if (!e)
        return false;
    if (e->kind == FE_E_NAME) {
        sm_binding *b = sm_lookup(s, e->u.name.s, e->u.name.n);
        return b && b->kind == SM_N_DIALECT;
    }
    return attr_is(e, "name") && attr_is(e->u.attr.obj, "dialect") &&
           sm_resolve(s, e->u.attr.obj->u.attr.obj) == SM_N_OP;
}

void sm_mask_text(ir_dmask mask, char *buf, size_t cap)
{
    size_t len = 0, k = 0, total = 0;
    for (int d = 0; d < IR_D__COUNT; d++)
        total += (mask >> d) & 1u;
    buf[0] = 0;
    for (int d = 0; d < IR_D__COUNT; d++) {
        if (!(mask & IR_DMASK(d)))
            continue;
        const char *sep = k == 0 ? "" : (k + 1 == total ? " and " : ", ");
        int w = snprintf(buf + len, cap - len, "%s%s", sep, ir_dialect_name((ir_dialect)d));
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
        k++;
    }
}

bool sm_dialect_mask(const char *name, size_t n, ir_dmask *out)
{
    ir_dialect d;
    if (!ir_dialect_parse(name, n, &d))
        return false;
    *out = IR_DMASK(d);
    if (d == IR_D_MYSQL)
        *out |= IR_DMASK(IR_D_MARIADB); /* mysql names the family */
    return true;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

bool sm_valid_id(const char *s, size_t n, const char **why)
{
    if (n < 17 || !digits(s, 8) || s[8] != 'T' || !digits(s + 9, 6) || s[15] != '_') {
        *why = "an id is a UTC timestamp YYYYMMDDTHHMMSS, '_' and a slug";
        return false;
    }
    int y = num(s, 4), mo = num(s + 4, 2), dd = num(s + 6, 2);
    int h = num(s + 9, 2), mi = num(s + 11, 2), se = num(s + 13, 2);
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || mo < 1 || mo > 12 || dd < 1 || dd > mdays[mo - 1] ||
        (mo == 2 && dd == 29 && !leap)) {
        *why = "the date of the timestamp does not exist";
        return false;
    }
    if (h > 23 || mi > 59 || se > 59) {
        *why = "the time of the timestamp does not exist";
        return false;
    }
    const char *slug = s + 16;
    size_t sn = n - 16;
    if (sn > 60) {
        *why = "the slug is longer than 60 characters";
        return false;
    }
    if (slug[0] < 'a' || slug[0] > 'z') {
        *why = "the slug must start with a lowercase letter";
        return false;
    }
    for (size_t i = 0; i < sn; i++) {
        char c = slug[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            *why = "the slug may hold only lowercase letters, digits and '_'";
            return false;
        }
    }
    return true;
}

/* The file name without directory and without ".py". */
static const char *file_stem(sema *s, size_t *n)
{
    const char *p = s->src->path ? s->src->path : "";
    const char *slash = strrchr(p, '/');
    const char *base = slash ? slash + 1 : p;
    size_t len = strlen(base);
    if (len > 3 && memcmp(base + len - 3, ".py", 3) == 0)
        len -= 3;
    *n = len;
    return base;
}

static const char *astr(sema *s, const char *p, size_t n)
{
    return jy_arena_strndup(s->A, p, n);
}

/* ------------------------------------------------------------- imports */

static const char *const joryu_names[] = {"op", "types", "migration", "downgrade"};

static void import_error(sema *s, const fe_import_name *in, const char *what)
{
    const char *bound = in->alias ? in->alias : in->name ? in->name : in->module;
    if (bound) {
        size_t n = strlen(bound);
        const char *dot = in->alias || in->name ? NULL : memchr(bound, '.', n);
        sm_bind(s, bound, dot ? (size_t)(dot - bound) : n, SM_N_BAD);
    }
    jy_diag *g = sm_err(s, "sema.import", in->start, in->end,
                        "joryuc runs no Python: '%s' cannot be imported", what);
    jy_diag_hint(g, "a migration imports only joryu: `import joryu` and "
                    "`from joryu import op, types as t`");
}

static void bind_import(sema *s, const char *alias, sm_name_kind kind, const fe_import_name *in)
{
    sm_binding *b = sm_bind(s, alias, strlen(alias), kind);
    if (b) {
        b->start = in->start;
        b->end = in->end;
    }
}

/* Bind the names of an import statement (joryu, op, types, migration,
 * downgrade, sqlalchemy.text); refuse every other module. */
static void do_import(sema *s, const fe_stmt *st)
{
    for (size_t i = 0; i < st->u.import.n; i++) {
        const fe_import_name *in = &st->u.import.names[i];
        const char *mod = in->module ? in->module : "";
        if (st->kind == FE_S_IMPORT) {
            if (strcmp(mod, "joryu") == 0)
                bind_import(s, in->alias ? in->alias : "joryu", SM_N_JORYU, in);
            else if (strcmp(mod, "joryu.types") == 0) {
                if (in->alias)
                    bind_import(s, in->alias, SM_N_TYPES, in);
                else
                    bind_import(s, "joryu", SM_N_JORYU, in);
            } else
                import_error(s, in, mod);
            continue;
        }
        const char *name = in->name ? in->name : "";
        const char *alias = in->alias ? in->alias : name;
        if (strcmp(mod, "__future__") == 0)
            continue; /* `from __future__ import annotations` changes nothing here */
        if (strcmp(mod, "joryu") == 0) {
            sm_name_kind k = SM_N_NONE;
            if (strcmp(name, "op") == 0)
                k = SM_N_OP;
            else if (strcmp(name, "types") == 0)
                k = SM_N_TYPES;
            else if (strcmp(name, "migration") == 0)
                k = SM_N_MIGRATION;
            else if (strcmp(name, "downgrade") == 0)
                k = SM_N_DOWNGRADE;
            if (k != SM_N_NONE) {
                bind_import(s, alias, k, in);
                continue;
            }
            const char *c = jy_closest(name, strlen(name), joryu_names, JY_COUNTOF(joryu_names));
            jy_diag *g = sm_err(s, "sema.import-name", in->start, in->end,
                                "joryu has no importable name '%s'", name);
            if (c)
                jy_diag_hint(g, "did you mean '%s'?", c);
            else
                jy_diag_hint(g, "joryuc knows `from joryu import op, types as t` "
                                "(and migration, downgrade)");
            continue;
        }
        if (strcmp(mod, "sqlalchemy") == 0 && strcmp(name, "text") == 0) {
            bind_import(s, alias, SM_N_TEXT, in);
            continue;
        }
        jy_buf b;
        jy_buf_init(&b);
        jy_buf_printf(&b, "from %s import %s", mod, name);
        import_error(s, in, b.data ? b.data : mod);
        jy_buf_free(&b);
    }
}

/* ----------------------------------------------------------- constants */

static bool const_ok(const ir_value *v)
{
    switch (v->kind) {
    case IR_V_COLUMN:
        return false;
    case IR_V_LIST:
    case IR_V_TUPLE:
        for (size_t i = 0; i < v->u.list.n; i++)
            if (!const_ok(v->u.list.items[i]))
                return false;
        return true;
    case IR_V_DICT:
        for (size_t i = 0; i < v->u.dict.n; i++)
            if (!const_ok(v->u.dict.keys[i]) || !const_ok(v->u.dict.vals[i]))
                return false;
        return true;
    default:
        return true;
    }
}

/* A module constant `NAME = value`: checked once here, bound for later
 * uses (a refused one is bound as SM_N_BAD so uses stay silent). */
static void do_assign(sema *s, const fe_stmt *st)
{
    const char *name = st->u.assign.target;
    size_t n = strlen(name);
    uint32_t ts = st->u.assign.target_start, te = st->u.assign.target_end;
    sm_binding *old = sm_lookup(s, name, n);
    if (old && old->kind != SM_N_CONST) {
        sm_err(s, "sema.assign-import", ts, te,
               "'%s' is an imported name; a constant cannot reuse it", name);
        return;
    }
    if (old) {
        jy_diag *g = sm_err(s, "sema.const-reassigned", ts, te,
                            "constant '%s' is assigned twice", name);
        jy_diag_hint(g, "module constants are assigned once; use another name");
        return;
    }
    const fe_expr *e = st->u.assign.value;
    if (e && sm_is_dialect_name(s, e)) {
        sm_err(s, "sema.module-dialect", e->start, e->end,
               "op.dialect.name can only be read inside upgrade() or downgrade()");
        return;
    }
    ir_value *v = sm_value(s, e);
    if (!v) {
        sm_bind(s, name, n, SM_N_BAD);
        return;
    }
    if (!const_ok(v)) {
        sm_bind(s, name, n, SM_N_BAD);
        jy_diag *g = sm_err(s, "sema.const-value", e->start, e->end,
                            "a module constant must be a literal (string, number, True, False, "
                            "None, or a list, tuple or dict of them) or a t.* type");
        jy_diag_hint(g, "write op.column(...) where it is used");
        return;
    }
    sm_binding *b = sm_bind(s, name, n, SM_N_CONST);
    if (b) {
        b->value = v;
        b->start = ts;
        b->end = te;
    }
}

/* ----------------------------------------------------------- decorator */

static const char *const mig_fields[] = {"id",     "depends_on", "transaction_mode", "dialects",
                                         "tags",   "group",      "on_mismatch"};

static bool want_str(sema *s, const ir_value *v, const char *field)
{
    if (v->kind == IR_V_STR)
        return true;
    sm_err(s, "sema.decorator-value", v->start, v->end,
           "%s= must be a string, not %s", field, sm_value_kind_name(v));
    return false;
}

static bool want_list(sema *s, const ir_value *v, const char *field)
{
    if (v->kind == IR_V_LIST || v->kind == IR_V_TUPLE)
        return true;
    jy_diag *g = sm_err(s, "sema.decorator-value", v->start, v->end,
                        "%s= must be a list of strings, not %s", field, sm_value_kind_name(v));
    if (v->kind == IR_V_STR)
        jy_diag_hint(g, "write %s=[\"%s\"]", field, v->u.str.s);
    return false;
}

static void choice_error(sema *s, const ir_value *v, const char *field,
                         const char *const *choices, size_t n)
{
    const char *c = jy_closest(v->u.str.s, v->u.str.len, choices, n);
    jy_buf b;
    jy_buf_init(&b);
    for (size_t i = 0; i < n; i++)
        jy_buf_printf(&b, "%s\"%s\"", i ? ", " : "", choices[i]);
    jy_diag *g = sm_err(s, "sema.decorator-choice", v->start, v->end,
                        "%s=\"%s\" is not one of %s", field, v->u.str.s,
                        b.data ? b.data : "");
    if (c)
        jy_diag_hint(g, "did you mean \"%s\"?", c);
    jy_buf_free(&b);
}

static void field_id(sema *s, ir_value *v)
{
    if (!want_str(s, v, "id"))
        return;
    ir_migration *m = s->m;
    m->id = v->u.str.s;
    m->id_start = v->start;
    m->id_end = v->end;
    const char *why;
    if (!sm_valid_id(v->u.str.s, v->u.str.len, &why)) {
        jy_diag *g = sm_err(s, "sema.id-format", v->start, v->end,
                            "id \"%s\" is not a valid migration id: %s", v->u.str.s, why);
        jy_diag_hint(g, "ids look like 20260514T093000_add_users (reference §3.1)");
        return;
    }
    size_t sn;
    const char *stem = file_stem(s, &sn);
    if (sn != v->u.str.len || memcmp(stem, v->u.str.s, sn) != 0) {
        jy_diag *g = sm_err(s, "sema.id-mismatch", v->start, v->end,
                            "id \"%s\" does not match the file name \"%.*s.py\"", v->u.str.s,
                            (int)sn, stem);
        jy_diag_hint(g, "rename the file to %s.py, or write id=\"%.*s\"", v->u.str.s, (int)sn,
                     stem);
    }
}

/* depends_on=[...]: ids or "group:<name>", no repeats; resolution is
 * fe_sema_program's. */
static void field_depends(sema *s, ir_value *v)
{
    if (!want_list(s, v, "depends_on"))
        return;
    ir_migration *m = s->m;
    size_t n = v->u.list.n;
    m->depends_on = jy_arena_calloc(s->A, n ? n : 1, sizeof *m->depends_on);
    m->depends_pos = jy_arena_calloc(s->A, n ? n : 1, sizeof *m->depends_pos);
    if (!m->depends_on || !m->depends_pos)
        return;
    for (size_t i = 0; i < n; i++) {
        ir_value *it = v->u.list.items[i];
        if (it->kind != IR_V_STR) {
            sm_err(s, "sema.decorator-value", it->start, it->end,
                   "depends_on items must be strings, not %s", sm_value_kind_name(it));
            continue;
        }
        const char *str = it->u.str.s;
        size_t len = it->u.str.len;
        const char *why;
        if (len >= 6 && memcmp(str, "group:", 6) == 0) {
            if (len == 6) {
                sm_err(s, "sema.depends-format", it->start, it->end,
                       "\"group:\" needs a group name after the colon");
                continue;
            }
        } else if (!sm_valid_id(str, len, &why)) {
            jy_diag *g = sm_err(s, "sema.depends-format", it->start, it->end,
                                "depends_on entry \"%s\" is not a migration id: %s", str, why);
            jy_diag_hint(g, "write a migration id (20260514T093000_add_users) or "
                            "\"group:<name>\"");
            continue;
        }
        bool dup = false;
        for (size_t j = 0; j < m->ndepends && j < 64; j++)
            if (strcmp(m->depends_on[j], str) == 0)
                dup = true;
        if (dup) {
            sm_err(s, "sema.depends-duplicate", it->start, it->end,
                   "\"%s\" is listed twice in depends_on", str);
            continue;
        }
        m->depends_on[m->ndepends] = str;
        m->depends_pos[m->ndepends] = it->start;
        m->ndepends++;
    }
}

static void field_tx(sema *s, ir_value *v)
{
    static const char *const modes[] = {"per_step", "per_migration", "none"};
    if (!want_str(s, v, "transaction_mode"))
        return;
    for (size_t i = 0; i < JY_COUNTOF(modes); i++)
        if (strcmp(v->u.str.s, modes[i]) == 0) {
            s->m->tx_mode = (ir_tx_mode)i;
            return;
        }
    choice_error(s, v, "transaction_mode", modes, JY_COUNTOF(modes));
}

static void field_mismatch(sema *s, ir_value *v)
{
    static const char *const modes[] = {"error", "alter", "skip"};
    if (!want_str(s, v, "on_mismatch"))
        return;
    for (size_t i = 0; i < JY_COUNTOF(modes); i++)
        if (strcmp(v->u.str.s, modes[i]) == 0) {
            s->m->on_mismatch = (ir_mismatch)i;
            return;
        }
    choice_error(s, v, "on_mismatch", modes, JY_COUNTOF(modes));
}

static const char *const dialect_words[] = {"postgresql", "postgres", "pg",
                                            "mysql",      "mariadb",  "sqlite"};

/* dialects=[...]: known names; sets the migration mask every op starts
 * from ("mysql" covers MariaDB). */
static void field_dialects(sema *s, ir_value *v)
{
    if (!want_list(s, v, "dialects"))
        return;
    ir_dmask mask = 0;
    bool bad = false;
    for (size_t i = 0; i < v->u.list.n; i++) {
        ir_value *it = v->u.list.items[i];
        ir_dmask one;
        if (it->kind != IR_V_STR) {
            sm_err(s, "sema.decorator-value", it->start, it->end,
                   "dialects items must be strings, not %s", sm_value_kind_name(it));
            bad = true;
        } else if (!sm_dialect_mask(it->u.str.s, it->u.str.len, &one)) {
            const char *c = jy_closest(it->u.str.s, it->u.str.len, dialect_words,
                                       JY_COUNTOF(dialect_words));
            jy_diag *g = sm_err(s, "sema.unknown-dialect", it->start, it->end,
                                "unknown dialect \"%s\"", it->u.str.s);
            if (c)
                jy_diag_hint(g, "did you mean \"%s\"?", c);
            else
                jy_diag_hint(g, "dialects are postgresql, mysql, mariadb and sqlite");
            bad = true;
        } else
            mask |= one;
    }
    if (!bad && mask == 0) {
        sm_err(s, "sema.dialects-empty", v->start, v->end,
               "dialects=[] restricts the migration to no dialect at all");
        return;
    }
    if (!bad) {
        s->m->dialects = mask;
        s->m->has_dialects = true;
        s->mig_mask = mask;
    }
}

static void field_tags(sema *s, ir_value *v)
{
    if (!want_list(s, v, "tags"))
        return;
    size_t n = v->u.list.n;
    s->m->tags = jy_arena_calloc(s->A, n ? n : 1, sizeof *s->m->tags);
    if (!s->m->tags)
        return;
    for (size_t i = 0; i < n; i++) {
        ir_value *it = v->u.list.items[i];
        if (it->kind != IR_V_STR)
            sm_err(s, "sema.decorator-value", it->start, it->end,
                   "tags items must be strings, not %s", sm_value_kind_name(it));
        else if (it->u.str.len == 0)
            sm_err(s, "sema.decorator-value", it->start, it->end, "a tag cannot be empty");
        else
            s->m->tags[s->m->ntags++] = it->u.str.s;
    }
}

static void field_group(sema *s, ir_value *v)
{
    if (!want_str(s, v, "group"))
        return;
    const char *g = v->u.str.s;
    size_t n = v->u.str.len;
    bool ok = n > 0 && n <= 100;
    for (size_t i = 0; ok && i < n; i++) {
        unsigned char c = (unsigned char)g[i];
        if (c <= ' ' || c == ':' || c >= 0x7f)
            ok = false;
    }
    if (!ok) {
        jy_diag *dg = sm_err(s, "sema.group-format", v->start, v->end,
                             "group \"%s\" is not a valid group name", g);
        jy_diag_hint(dg, "a group name is 1 to 100 printable ASCII characters without "
                         "spaces or ':', e.g. \"20260601_partitions\"");
        return;
    }
    s->m->group = g;
}

/* Apply the keyword arguments of @joryu.migration(...). */
static void do_decorator(sema *s, const fe_expr *call)
{
    bool seen[JY_COUNTOF(mig_fields)] = {false};
    bool have_id = false, positional = false;
    for (size_t i = 0; i < call->u.call.nargs; i++) {
        const fe_arg *a = &call->u.call.args[i];
        if (a->star) {
            sm_err(s, "sema.star-arg", a->value ? a->value->start : call->start,
                   a->value ? a->value->end : call->end,
                   "*args and **kwargs are not part of the compiled subset");
            continue;
        }
        if (!a->kw) {
            positional = true;
            if (a->value && a->value->kind == FE_E_ERROR)
                continue;
            jy_diag *g = sm_err(s, "sema.decorator-positional", a->value->start, a->value->end,
                                "@joryu.migration takes keyword arguments only");
            jy_diag_hint(g, "write id=\"...\", depends_on=[...], ...");
            continue;
        }
        size_t k;
        size_t kn = strlen(a->kw);
        for (k = 0; k < JY_COUNTOF(mig_fields); k++)
            if (strcmp(a->kw, mig_fields[k]) == 0)
                break;
        if (k == JY_COUNTOF(mig_fields)) {
            const char *c = jy_closest(a->kw, kn, mig_fields, JY_COUNTOF(mig_fields));
            jy_diag *g = sm_err(s, "sema.decorator-keyword", a->kw_start, a->kw_end,
                                "@joryu.migration has no argument '%s'", a->kw);
            if (c)
                jy_diag_hint(g, "did you mean '%s'?", c);
            else
                jy_diag_hint(g, "the arguments are id, depends_on, transaction_mode, "
                                "dialects, tags, group and on_mismatch");
            continue;
        }
        if (seen[k]) {
            sm_err(s, "sema.duplicate-keyword", a->kw_start, a->kw_end,
                   "argument '%s' is given twice", a->kw);
            continue;
        }
        seen[k] = true;
        if (k == 0)
            have_id = true;
        ir_value *v = sm_value(s, a->value);
        if (!v)
            continue;
        switch (k) {
        case 0: field_id(s, v); break;
        case 1: field_depends(s, v); break;
        case 2: field_tx(s, v); break;
        case 3: field_dialects(s, v); break;
        case 4: field_tags(s, v); break;
        case 5: field_group(s, v); break;
        default: field_mismatch(s, v); break;
        }
    }
    if (!have_id && !positional) {
        size_t sn;
        const char *stem = file_stem(s, &sn);
        jy_diag *g = sm_err(s, "sema.missing-id", call->start, call->end,
                            "@joryu.migration needs id=");
        jy_diag_hint(g, "add id=\"%.*s\" (the file name without .py)", (int)sn, stem);
    }
}

/* -------------------------------------------------------- the functions */

typedef enum { FN_NONE, FN_MIGRATION, FN_DOWNGRADE, FN_BAD } fn_role;

/* Classify a function by its decorators; report bad ones.  *deco gets the
 * @joryu.migration(...) call. */
static fn_role classify(sema *s, const fe_stmt *st, const fe_expr **deco)
{
    fn_role role = FN_NONE;
    for (size_t i = 0; i < st->u.def.ndecorators; i++) {
        const fe_expr *e = st->u.def.decorators[i];
        if (!e || e->kind == FE_E_ERROR)
            return FN_BAD;
        const fe_expr *fn = e->kind == FE_E_CALL ? e->u.call.fn : e;
        sm_name_kind k = sm_resolve(s, fn);
        fn_role r = FN_BAD;
        if (k == SM_N_MIGRATION) {
            if (e->kind != FE_E_CALL) {
                size_t sn;
                const char *stem = file_stem(s, &sn);
                jy_diag *g = sm_err(s, "sema.missing-id", e->start, e->end,
                                    "@joryu.migration needs id=");
                jy_diag_hint(g, "write @joryu.migration(id=\"%.*s\")", (int)sn, stem);
            } else {
                r = FN_MIGRATION;
                *deco = e;
            }
        } else if (k == SM_N_DOWNGRADE) {
            if (e->kind == FE_E_CALL && e->u.call.nargs > 0)
                sm_err(s, "sema.downgrade-args", e->start, e->end,
                       "@joryu.downgrade takes no arguments");
            else
                r = FN_DOWNGRADE;
        } else if (fn->kind == FE_E_ATTR && sm_resolve(s, fn->u.attr.obj) == SM_N_OP &&
                   ir_reject_lookup(fn->u.attr.name, fn->u.attr.n)) {
            const ir_reject_info *rj = ir_reject_lookup(fn->u.attr.name, fn->u.attr.n);
            jy_diag *g = sm_err(s, "sema.rejected-op", fn->u.attr.name_start, fn->u.attr.name_end,
                                "op.%s needs a Python runtime; joryuc compiles a declarative "
                                "subset", fn->u.attr.name);
            jy_diag_hint(g, "use %s", rj->alternative);
        } else if (fn->kind == FE_E_ATTR && sm_resolve(s, fn->u.attr.obj) == SM_N_JORYU) {
            static const char *const decos[] = {"migration", "downgrade"};
            const char *c = jy_closest(fn->u.attr.name, fn->u.attr.n, decos, 2);
            jy_diag *g = sm_err(s, "sema.unknown-decorator", fn->u.attr.name_start,
                                fn->u.attr.name_end, "joryu has no decorator '%s'",
                                fn->u.attr.name);
            if (c)
                jy_diag_hint(g, "did you mean '%s'?", c);
            else
                jy_diag_hint(g, "use @joryu.migration(...) or @joryu.downgrade");
        } else {
            sm_err(s, "sema.unknown-decorator", e->start, e->end,
                   "unknown decorator: joryuc knows only @joryu.migration(...) "
                   "and @joryu.downgrade");
        }
        if (r == FN_BAD)
            return FN_BAD;
        if (role != FN_NONE) {
            sm_err(s, "sema.decorators", e->start, e->end,
                   "a function is either the migration or the downgrade, not both");
            return FN_BAD;
        }
        role = r;
    }
    return role;
}

static bool check_params(sema *s, const fe_stmt *st)
{
    if (st->u.def.nparams == 0)
        return true;
    const fe_param *p = &st->u.def.params[0];
    sm_err(s, "sema.function-params", p->start, st->u.def.params[st->u.def.nparams - 1].end,
           "%s() takes no parameters", st->u.def.name);
    return false;
}

/* Check a function body into a vector; returns the ops. */
static ir_op **do_body(sema *s, const fe_stmt *st, size_t *n)
{
    sm_vec v = {0};
    s->ops = &v;
    s->fn_scope = ++s->scope;
    sm_body(s, &st->u.def.body, s->mig_mask);
    s->fn_scope = ++s->scope;
    s->ops = NULL;
    *n = v.n;
    return (ir_op **)v.v;
}

/* --------------------------------------------------------- the module */

int fe_sema_module(fe_module *mod, const fe_options *opt, ir_program *prog, jy_diags *d,
                   ir_migration **out)
{
    *out = NULL;
    sema S;
    memset(&S, 0, sizeof S);
    sema *s = &S;
    s->src = mod->src;
    s->opt = opt;
    s->prog = prog;
    s->A = prog->arena;
    s->d = d;
    s->mod = mod;
    s->nerrors0 = d->nerrors;
    s->mig_mask = IR_DMASK_ALL;
    /* this file's lexer/parser diagnostics are the last ones recorded */
    for (size_t i = d->n; i > 0 && d->v[i - 1].src == mod->src; i--)
        if (d->v[i - 1].sev == JY_SEV_ERROR)
            s->parse_errors = true;

    ir_migration *m = jy_arena_alloc(s->A, sizeof *m);
    if (!m) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "sema.memory", mod->src->path,
                      "out of memory");
        return -1;
    }
    s->m = m;
    m->file = mod->src->path;
    m->src = mod->src;
    m->dialects = IR_DMASK_ALL;
    m->tx_mode = IR_TX_PER_STEP;
    m->on_mismatch = IR_MISMATCH_ERROR;

    const fe_block *body = &mod->body;
    bool parse_damage = mod->syntax_errors, bad_function = false;
    const fe_stmt *up = NULL, *down = NULL;
    const fe_expr *deco = NULL;
    size_t down_index = 0;

    /* Pass 1: imports, constants, functions found; everything else refused. */
    for (size_t i = 0; i < body->n; i++) {
        const fe_stmt *st = body->v[i];
        switch (st->kind) {
        case FE_S_ERROR:
            parse_damage = true;
            break;
        case FE_S_PASS:
            break;
        case FE_S_IMPORT:
        case FE_S_FROM_IMPORT:
            do_import(s, st);
            break;
        case FE_S_ASSIGN:
            do_assign(s, st);
            break;
        case FE_S_EXPR:
            if (st->u.expr && st->u.expr->kind == FE_E_STR) {
                if (i == 0)
                    m->docstring = astr(s, st->u.expr->u.str.s, st->u.expr->u.str.len);
                break;
            }
            if (st->u.expr && st->u.expr->kind == FE_E_ERROR)
                break;
            /* fallthrough */
        case FE_S_IF:
        case FE_S_WITH: {
            jy_diag *g = sm_err(s, "sema.module-statement", st->start, st->end,
                                "only imports, constants and the decorated upgrade() and "
                                "downgrade() functions may appear at module level");
            jy_diag_hint(g, "joryuc compiles a declarative subset of Python; put op.* calls "
                            "inside upgrade()");
            break;
        }
        case FE_S_DEF:
            break;
        }
    }
    for (size_t i = 0; i < body->n; i++) {
        const fe_stmt *st = body->v[i];
        if (st->kind != FE_S_DEF)
            continue;
        const fe_expr *dc = NULL;
        fn_role r = classify(s, st, &dc);
        if (r == FN_BAD)
            bad_function = true;
        if (r == FN_NONE) {
            jy_diag *g = sm_err(s, "sema.undecorated-function", st->u.def.name_start,
                                st->u.def.name_end,
                                "function '%s' is not decorated: joryuc compiles only the "
                                "@joryu.migration upgrade and the @joryu.downgrade functions",
                                st->u.def.name);
            if (strcmp(st->u.def.name, "upgrade") == 0)
                jy_diag_hint(g, "add @joryu.migration(id=\"...\") above it");
            else if (strcmp(st->u.def.name, "downgrade") == 0)
                jy_diag_hint(g, "add @joryu.downgrade above it");
            else
                jy_diag_hint(g, "helper functions need a Python runtime; write the op.* "
                                "calls in upgrade() itself");
        } else if (r == FN_MIGRATION) {
            if (up) {
                jy_diag *g = sm_err(s, "sema.duplicate-migration", dc->start, dc->end,
                                    "a second @joryu.migration in one file");
                jy_diag_hint(g, "one file holds one migration; move this one to a file "
                                "of its own");
            } else {
                up = st;
                deco = dc;
            }
        } else if (r == FN_DOWNGRADE) {
            if (down)
                sm_err(s, "sema.duplicate-downgrade", st->u.def.name_start, st->u.def.name_end,
                       "a second @joryu.downgrade in one file");
            else {
                down = st;
                down_index = i;
            }
        }
    }

    if (!up) {
        if (!parse_damage && !bad_function) {
            size_t sn;
            const char *stem = file_stem(s, &sn);
            uint32_t at = 0, at_end = 0;
            for (size_t i = 0; i < body->n; i++)
                if (body->v[i]->kind == FE_S_DEF) {
                    at = body->v[i]->u.def.name_start;
                    at_end = body->v[i]->u.def.name_end;
                    break;
                }
            if (!at_end && body->n) {
                at = body->v[body->n - 1]->start;
                at_end = body->v[body->n - 1]->end;
            }
            jy_diag *g = sm_err(s, "sema.no-migration", at, at_end,
                                "no @joryu.migration function in this file");
            jy_diag_hint(g, "add @joryu.migration(id=\"%.*s\") above def upgrade():", (int)sn,
                         stem);
        }
        size_t sn;
        const char *stem = file_stem(s, &sn);
        m->id = astr(s, stem, sn);
    } else {
        do_decorator(s, deco);
        if (!m->id) {
            size_t sn;
            const char *stem = file_stem(s, &sn);
            m->id = astr(s, stem, sn);
        }
        m->start = deco->start;
        m->end = deco->end;
        m->up_start = up->start;
        m->up_end = up->end;
        check_params(s, up);
        m->ops = do_body(s, up, &m->nops);
    }
    uint32_t hint_end = (uint32_t)mod->src->len;
    if (down) {
        m->has_downgrade = true;
        m->down_start = down->start;
        m->down_end = down->end;
        check_params(s, down);
        m->down = do_body(s, down, &m->ndown);
        if (down_index + 1 < body->n)
            hint_end = body->v[down_index + 1]->start;
        sm_hints(s, down->start, hint_end);
        sm_hints_outside(s, 0, down->start);
        sm_hints_outside(s, hint_end, (uint32_t)mod->src->len);
    } else
        sm_hints_outside(s, 0, (uint32_t)mod->src->len);

    free(s->names);
    if (jy_arena_failed(s->A)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "sema.memory", mod->src->path,
                      "out of memory");
        return -1;
    }
    *out = m;
    return d->nerrors > s->nerrors0 ? -1 : 0;
}

/* ------------------------------------------------------------- program */

static int cmp_mig(const void *a, const void *b)
{
    const ir_migration *x = *(ir_migration *const *)a, *y = *(ir_migration *const *)b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return strcmp(x->file ? x->file : "", y->file ? y->file : "");
}

typedef struct group_ref {
    const char *name;
    size_t mig; /* index into prog->migs */
} group_ref;

static int cmp_group(const void *a, const void *b)
{
    const group_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->mig < y->mig ? -1 : x->mig > y->mig;
}

static size_t group_lower(const group_ref *g, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(g[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static ir_migration *find_first(ir_program *p, const char *id, size_t *index)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(p->migs[mid]->id, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < p->n && strcmp(p->migs[lo]->id, id) == 0) {
        *index = lo;
        return p->migs[lo];
    }
    return NULL;
}

static jy_diag *perr(jy_diags *d, ir_migration *m, const char *code, uint32_t start,
                     uint32_t end, const char *fmt, ...) JY_PRINTF(6, 7);
static jy_diag *perr(jy_diags *d, ir_migration *m, const char *code, uint32_t start,
                     uint32_t end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jy_diag *g = jy_diag_vat(d, JY_SEV_ERROR, JY_EXIT_ERROR, code, m->src, start, end, fmt, ap);
    va_end(ap);
    return g;
}

typedef struct edge_list {
    size_t *v;
    size_t n, cap;
} edge_list;

static void edge_push(edge_list *e, size_t to)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 4;
        size_t *nv = realloc(e->v, cap * sizeof *nv);
        if (!nv)
            return;
        e->v = nv;
        e->cap = cap;
    }
    e->v[e->n++] = to;
}

static uint32_t dep_end(const ir_migration *m, size_t k)
{
    return m->depends_pos[k] + (uint32_t)strlen(m->depends_on[k]) + 2;
}

/* Iterative depth-first search for a depends_on cycle; reports the first. */
static void find_cycles(ir_program *p, const edge_list *edges, jy_diags *d)
{
    size_t n = p->n;
    unsigned char *color = calloc(n ? n : 1, 1);
    size_t *stack = malloc((n ? n : 1) * sizeof *stack);
    size_t *pos = malloc((n ? n : 1) * sizeof *pos);
    if (!color || !stack || !pos)
        goto done;
    for (size_t root = 0; root < n; root++) {
        if (color[root])
            continue;
        size_t sp = 0;
        stack[sp] = root;
        pos[sp] = 0;
        color[root] = 1;
        sp++;
        while (sp) {
            size_t v = stack[sp - 1];
            if (pos[sp - 1] >= edges[v].n) {
                color[v] = 2;
                sp--;
                continue;
            }
            size_t w = edges[v].v[pos[sp - 1]++];
            if (color[w] == 0) {
                color[w] = 1;
                stack[sp] = w;
                pos[sp] = 0;
                sp++;
                continue;
            }
            if (color[w] != 1)
                continue;
            /* A cycle: w ... v -> w.  Reported at v's depends_on entry. */
            jy_buf b;
            jy_buf_init(&b);
            size_t k = sp;
            while (k > 0 && stack[k - 1] != w)
                k--;
            for (size_t j = k ? k - 1 : 0; j < sp; j++)
                jy_buf_printf(&b, "%s -> ", p->migs[stack[j]]->id);
            jy_buf_puts(&b, p->migs[w]->id);
            ir_migration *m = p->migs[v];
            uint32_t at = m->start, end = m->end;
            for (size_t q = 0; q < m->ndepends; q++) {
                const char *dep = m->depends_on[q];
                if (strcmp(dep, p->migs[w]->id) == 0 ||
                    (strncmp(dep, "group:", 6) == 0 && p->migs[w]->group &&
                     strcmp(dep + 6, p->migs[w]->group) == 0)) {
                    at = m->depends_pos[q];
                    end = dep_end(m, q);
                }
            }
            jy_diag *g = perr(d, m, "sema.depends-cycle", at, end,
                              "depends_on forms a cycle: %s", b.data ? b.data : "");
            jy_diag_hint(g, "remove one of these depends_on entries");
            jy_buf_free(&b);
            goto done;
        }
    }
done:
    free(color);
    free(stack);
    free(pos);
}

/*
 * Checks across the migrations of a program, after every file's sema:
 * migs sorted by id, ids unique (the error names both files), depends_on
 * naming existing ids and groups (skipped in single-file mode, and when
 * !resolve: after a file failed, its id may be missing), no cycle.
 * fe_sema_program adds the checksums when all is well.
 */
int sm_program_checks(ir_program *prog, const fe_options *opt, jy_diags *d, bool resolve)
{
    size_t nerr0 = d->nerrors;
    size_t n = prog->n;
    bool single = (opt && opt->single_file) || !resolve;
    if (n > 1)
        qsort(prog->migs, n, sizeof *prog->migs, cmp_mig);

    for (size_t i = 1; i < n; i++) {
        ir_migration *a = prog->migs[i - 1], *b = prog->migs[i];
        if (strcmp(a->id, b->id) != 0)
            continue;
        uint32_t bs = b->id_end ? b->id_start : b->start, be = b->id_end ? b->id_end : b->end;
        uint32_t as = a->id_end ? a->id_start : a->start, ae = a->id_end ? a->id_end : a->end;
        jy_diag *g = perr(d, b, "sema.duplicate-id", bs, be,
                          "migration id \"%s\" is also used by %s", b->id, a->file);
        jy_diag_hint(g, "every migration needs its own id; rename one of the files");
        jy_diag_at(d, JY_SEV_NOTE, 0, "sema.duplicate-id", a->src, as, ae,
                   "\"%s\" is first used here", a->id);
    }

    size_t ng = 0, ngn = 0;
    group_ref *groups = malloc((n ? n : 1) * sizeof *groups);
    const char **ids = malloc((n ? n : 1) * sizeof *ids);
    const char **gnames = malloc((n ? n : 1) * sizeof *gnames);
    edge_list *edges = calloc(n ? n : 1, sizeof *edges);
    if (!groups || !ids || !gnames || !edges) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "sema.memory", NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        ids[i] = prog->migs[i]->id;
        if (prog->migs[i]->group) {
            groups[ng].name = prog->migs[i]->group;
            groups[ng].mig = i;
            ng++;
        }
    }
    if (ng > 1)
        qsort(groups, ng, sizeof *groups, cmp_group);
    for (size_t i = 0; i < ng; i++)
        if (i == 0 || strcmp(groups[i].name, groups[i - 1].name) != 0)
            gnames[ngn++] = groups[i].name;

    for (size_t i = 0; i < n; i++) {
        ir_migration *m = prog->migs[i];
        for (size_t k = 0; k < m->ndepends; k++) {
            const char *dep = m->depends_on[k];
            uint32_t at = m->depends_pos[k], end = dep_end(m, k);
            if (strncmp(dep, "group:", 6) == 0) {
                const char *gname = dep + 6;
                size_t lo = group_lower(groups, ng, gname);
                if (lo >= ng || strcmp(groups[lo].name, gname) != 0) {
                    if (single)
                        continue;
                    const char *c = jy_closest(gname, strlen(gname), gnames, ngn);
                    jy_diag *g = perr(d, m, "sema.unknown-group", at, end,
                                      "depends_on names group \"%s\", but no migration has "
                                      "group=\"%s\"",
                                      gname, gname);
                    if (c)
                        jy_diag_hint(g, "did you mean \"group:%s\"?", c);
                    continue;
                }
                for (size_t q = lo; q < ng && strcmp(groups[q].name, gname) == 0; q++)
                    if (groups[q].mig != i)
                        edge_push(&edges[i], groups[q].mig);
                continue;
            }
            if (strcmp(dep, m->id) == 0) {
                perr(d, m, "sema.depends-self", at, end, "migration \"%s\" depends on itself",
                     dep);
                continue;
            }
            size_t idx;
            if (!find_first(prog, dep, &idx)) {
                if (single)
                    continue;
                const char *c = jy_closest(dep, strlen(dep), ids, n);
                jy_diag *g = perr(d, m, "sema.unknown-dependency", at, end,
                                  "depends_on names \"%s\", which is not a migration of this "
                                  "program",
                                  dep);
                if (c)
                    jy_diag_hint(g, "did you mean \"%s\"?", c);
                continue;
            }
            edge_push(&edges[i], idx);
        }
    }
    if (d->nerrors == nerr0)
        find_cycles(prog, edges, d);
out:
    free(groups);
    free(ids);
    free(gnames);
    if (edges)
        for (size_t i = 0; i < n; i++)
            free(edges[i].v);
    free(edges);
    return d->nerrors > nerr0 ? -1 : 0;
}

int fe_sema_program(ir_program *prog, const fe_options *opt, jy_diags *d)
{
    if (sm_program_checks(prog, opt, d, true) != 0)
        return -1;
    for (size_t i = 0; i < prog->n; i++)
        ir_checksum_migration(prog->migs[i]);
    return 0;
}
