/* schema_json.c - the schema model as normalized, deterministic JSON
 * (`joryu schema-snapshot --format=json`; the shape is documented in
 * docs/SPEC.md). */
#include "ir.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct jctx {
    jy_arena *a;
    bool norm; /* normalized for a dialect: expressions squashed, object SQL left out */
} jctx;

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

/* An SQL expression: squashed when normalized. */
static json_t *jexpr(const jctx *c, const char *s)
{
    if (!s)
        return json_null();
    if (!c->norm)
        return json_string(s);
    char *q = ir_sql_squash(s);
    json_t *j = json_string(q ? q : s);
    free(q);
    return j;
}

static json_t *jlist(const char *const *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, jstr(v[i]));
    return arr;
}

static json_t *jexprs(const jctx *c, const char *const *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, jexpr(c, v[i]));
    return arr;
}

static json_t *jtype(const ir_type *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string((unsigned)t->id < IR_T__COUNT
                                                   ? ir_type_table[t->id].name
                                                   : "?"));
    switch (t->id) {
    case IR_T_STRING:
    case IR_T_BINARY:
        if (t->length >= 0)
            json_object_set_new(o, "length", json_integer(t->length));
        break;
    case IR_T_DECIMAL:
        if (t->precision >= 0) {
            json_object_set_new(o, "precision", json_integer(t->precision));
            json_object_set_new(o, "scale", json_integer(t->scale < 0 ? 0 : t->scale));
        }
        break;
    case IR_T_ENUM:
        if (t->enum_name)
            json_object_set_new(o, "enum_name", json_string(t->enum_name));
        if (t->nlabels)
            json_object_set_new(o, "labels", jlist(t->labels, t->nlabels));
        break;
    case IR_T_ARRAY:
        if (t->inner)
            json_object_set_new(o, "inner", jtype(t->inner));
        break;
    case IR_T_DIALECT:
        json_object_set_new(o, "dialect", json_string(ir_dialect_name(t->dialect_of)));
        json_object_set_new(o, "type", jstr(t->dialect_type));
        break;
    default:
        break;
    }
    return o;
}

static const char *const def_kinds[] = {"none", "null", "string", "number", "bool", "now", "sql"};

static json_t *jdefault(const jctx *c, const ir_default *d)
{
    if (d->kind == IR_DEF_NONE || d->kind == IR_DEF_NULL)
        return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "kind", json_string(def_kinds[d->kind]));
    if (d->kind == IR_DEF_SQL)
        json_object_set_new(o, "value", jexpr(c, d->text));
    else if (d->kind != IR_DEF_NOW)
        json_object_set_new(o, "value", jstr(d->text));
    return o;
}

static int by_name(const void *x, const void *y)
{
    const char *a = json_string_value(json_object_get(*(json_t *const *)x, "name"));
    const char *b = json_string_value(json_object_get(*(json_t *const *)y, "name"));
    if (!a || !b) {
        if (a || b)
            return a ? -1 : 1; /* named ones first */
        /* unnamed: by their whole text */
        char *sa = json_dumps(*(json_t *const *)x, JSON_SORT_KEYS | JSON_COMPACT);
        char *sb = json_dumps(*(json_t *const *)y, JSON_SORT_KEYS | JSON_COMPACT);
        int r = strcmp(sa ? sa : "", sb ? sb : "");
        free(sa);
        free(sb);
        return r;
    }
    int r = strcmp(a, b);
    if (r)
        return r;
    const char *ta = json_string_value(json_object_get(*(json_t *const *)x, "table"));
    const char *tb = json_string_value(json_object_get(*(json_t *const *)y, "table"));
    return strcmp(ta ? ta : "", tb ? tb : "");
}

/* Sort an array of objects by "name" (then "table"), in place. */
static json_t *sorted(json_t *arr)
{
    size_t n = json_array_size(arr);
    if (n < 2)
        return arr;
    json_t **v = malloc(n * sizeof *v);
    if (!v)
        return arr;
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(arr, i));
    qsort(v, n, sizeof *v, by_name);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, v[i]);
    free(v);
    return arr;
}

static int str_cmp(const void *x, const void *y)
{
    return strcmp(json_string_value(*(json_t *const *)x), json_string_value(*(json_t *const *)y));
}

static json_t *sorted_strings(json_t *arr)
{
    size_t n = json_array_size(arr);
    json_t **v = n ? malloc(n * sizeof *v) : NULL;
    if (!v)
        return arr;
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(arr, i));
    qsort(v, n, sizeof *v, str_cmp);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, v[i]);
    free(v);
    return arr;
}

static json_t *jtable(const jctx *c, const ir_table *t)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(t->name));
    json_object_set_new(o, "comment", jstr(t->comment));
    json_t *cols = json_array();
    for (size_t i = 0; i < t->ncolumns; i++) {
        const ir_column *col = t->columns[i];
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(col->name));
        json_object_set_new(j, "type", jtype(&col->type));
        json_object_set_new(j, "nullable", json_boolean(col->nullable));
        json_object_set_new(j, "default", jdefault(c, &col->def));
        if (col->generated) {
            json_t *g = json_object();
            json_object_set_new(g, "expr", jexpr(c, col->generated));
            json_object_set_new(g, "stored", json_boolean(!col->generated_virtual));
            json_object_set_new(j, "generated", g);
        } else {
            json_object_set_new(j, "generated", json_null());
        }
        json_object_set_new(j, "identity", json_string(ir_identity_name(col->identity)));
        json_object_set_new(j, "comment", jstr(col->comment));
        if (!c->norm && col->db_type)
            json_object_set_new(j, "db_type", json_string(col->db_type));
        json_array_append_new(cols, j);
    }
    json_object_set_new(o, "columns", sorted(cols));
    json_t *pk = json_object();
    json_object_set_new(pk, "name", jstr(t->pk_name));
    json_object_set_new(pk, "columns", jlist(t->pk, t->npk));
    json_object_set_new(o, "primary_key", t->npk ? pk : json_null());
    if (!t->npk)
        json_decref(pk);
    json_t *u = json_array();
    for (size_t i = 0; i < t->nuniques; i++) {
        json_t *j = json_object();
        json_object_set_new(j, "name", jstr(t->uniques[i]->name));
        json_object_set_new(j, "columns", jlist(t->uniques[i]->columns, t->uniques[i]->ncolumns));
        json_array_append_new(u, j);
    }
    json_object_set_new(o, "unique_constraints", sorted(u));
    json_t *ix = json_array();
    for (size_t i = 0; i < t->nindexes; i++) {
        const ir_index *x = t->indexes[i];
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(x->name));
        json_object_set_new(j, "unique", json_boolean(x->unique));
        json_object_set_new(j, "columns", jexprs(c, x->columns, x->ncolumns));
        json_object_set_new(j, "where", jexpr(c, x->where));
        json_object_set_new(j, "method", jstr(x->method));
        json_array_append_new(ix, j);
    }
    json_object_set_new(o, "indexes", sorted(ix));
    json_t *fk = json_array();
    for (size_t i = 0; i < t->nfkeys; i++) {
        const ir_fkey *f = t->fkeys[i];
        json_t *j = json_object();
        json_object_set_new(j, "name", jstr(f->name));
        json_object_set_new(j, "columns", jlist(f->columns, f->ncolumns));
        json_object_set_new(j, "ref_table", jstr(f->ref_table));
        json_object_set_new(j, "ref_columns", jlist(f->ref_columns, f->nref_columns));
        json_object_set_new(j, "on_delete", json_string(ir_fk_action_name(f->on_delete)));
        json_object_set_new(j, "on_update", json_string(ir_fk_action_name(f->on_update)));
        json_array_append_new(fk, j);
    }
    json_object_set_new(o, "foreign_keys", sorted(fk));
    json_t *ck = json_array();
    for (size_t i = 0; i < t->nchecks; i++) {
        json_t *j = json_object();
        json_object_set_new(j, "name", jstr(t->checks[i]->name));
        json_object_set_new(j, "expr", jexpr(c, t->checks[i]->expr));
        json_array_append_new(ck, j);
    }
    json_object_set_new(o, "checks", sorted(ck));
    return o;
}

static const char *const obj_keys[IR_OBJ__COUNT] = {
    "extensions", "views", "materialized_views", "triggers", "policies", "sequences", "schemas"};

char *ir_schema_to_json(const ir_schema *s0, ir_dialect d)
{
    jctx c = {NULL, d < IR_D__COUNT};
    const ir_schema *s = s0;
    ir_schema *norm = NULL;
    if (c.norm) {
        norm = ir_schema_normalize(s0, d, NULL);
        if (!norm)
            return NULL;
        s = norm;
    }
    json_t *root = json_object();
    json_object_set_new(root, "format", json_string("joryu.schema/1"));
    json_object_set_new(root, "dialect", c.norm ? json_string(ir_dialect_name(d)) : json_null());
    json_t *tables = json_array();
    for (size_t i = 0; i < s->ntables; i++)
        json_array_append_new(tables, jtable(&c, s->tables[i]));
    json_object_set_new(root, "tables", sorted(tables));
    json_t *enums = json_array();
    for (size_t i = 0; i < s->nenums; i++) {
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(s->enums[i]->name));
        json_object_set_new(j, "labels", jlist(s->enums[i]->labels, s->enums[i]->nlabels));
        json_array_append_new(enums, j);
    }
    json_object_set_new(root, "enums", sorted(enums));
    for (int k = 0; k < IR_OBJ__COUNT; k++) {
        json_t *arr = json_array();
        bool named_only = k == IR_OBJ_EXTENSION || k == IR_OBJ_SEQUENCE || k == IR_OBJ_SCHEMA;
        for (size_t i = 0; i < s->nobjects; i++) {
            const ir_object *o = s->objects[i];
            if ((int)o->kind != k)
                continue;
            if (named_only) {
                json_array_append_new(arr, json_string(o->name));
                continue;
            }
            json_t *j = json_object();
            json_object_set_new(j, "name", json_string(o->name));
            if (k == IR_OBJ_TRIGGER || k == IR_OBJ_POLICY)
                json_object_set_new(j, "table", jstr(o->table));
            if (!c.norm)
                json_object_set_new(j, "sql", jstr(o->sql));
            json_array_append_new(arr, j);
        }
        json_object_set_new(root, obj_keys[k], named_only ? sorted_strings(arr) : sorted(arr));
    }
    char *text = json_dumps(root, JSON_SORT_KEYS | JSON_INDENT(2));
    json_decref(root);
    if (norm)
        ir_schema_free(norm);
    if (!text)
        return NULL;
    size_t n = strlen(text);
    char *out = malloc(n + 2);
    if (out) {
        memcpy(out, text, n);
        out[n] = '\n';
        out[n + 1] = 0;
    }
    free(text);
    return out;
}
