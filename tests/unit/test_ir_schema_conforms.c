/*
 * test_ir_schema_conforms.c - every IR dump conforms to docs/ir.schema.json.
 *
 * A small JSON Schema validator (the draft 2020-12 keywords the schema
 * uses: $ref to #/$defs, type, const, enum, required, properties,
 * additionalProperties, items, oneOf, anyOf, allOf, if/then, pattern,
 * minimum, uniqueItems) checks:
 *   - a hand-built IR holding every step op with every argument given, every
 *     type of the type table, and every kind of value;
 *   - the dumps of the compiled examples/ and tests/valid/ folders;
 * and, so the validator itself is trusted, that broken dumps are refused.
 * An unknown keyword in the schema fails the test (the validator would
 * otherwise ignore it silently).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <regex.h>
#include <string.h>
#include <sys/stat.h>

#include "frontend.h"
#include "ir_build.h"

#define IR_SCHEMA_PATH JORYU_SRC "/docs/ir.schema.json"

/* ------------------------------------------------------------ validator */

typedef struct vctx {
    json_t *root;
    char err[600];
    int quiet; /* > 0 inside oneOf/anyOf/if: failures are not reported */
} vctx;

static bool vfail(vctx *c, const char *path, const char *fmt, ...) JY_PRINTF(3, 4);
static bool vfail(vctx *c, const char *path, const char *fmt, ...)
{
    if (c->quiet || c->err[0])
        return false;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->err, sizeof c->err, "%s: %s", path[0] ? path : "/", msg);
    return false;
}

static bool type_ok(const char *t, json_t *v)
{
    if (!strcmp(t, "null"))
        return json_is_null(v);
    if (!strcmp(t, "boolean"))
        return json_is_boolean(v);
    if (!strcmp(t, "integer"))
        return json_is_integer(v);
    if (!strcmp(t, "number"))
        return json_is_number(v);
    if (!strcmp(t, "string"))
        return json_is_string(v);
    if (!strcmp(t, "array"))
        return json_is_array(v);
    if (!strcmp(t, "object"))
        return json_is_object(v);
    fail_msg("schema: unknown type %s", t);
    return false;
}

static bool validate(vctx *c, json_t *s, json_t *v, const char *path);

static bool sub(vctx *c, json_t *s, json_t *v, const char *path, const char *step)
{
    char p[300];
    snprintf(p, sizeof p, "%s/%s", path, step);
    return validate(c, s, v, p);
}

static const char *const KNOWN[] = {
    "$schema", "$id", "title", "description", "$defs", "$ref", "type", "const", "enum",
    "required", "properties", "additionalProperties", "items", "oneOf", "anyOf", "allOf",
    "if", "then", "pattern", "minimum", "uniqueItems", NULL};

static bool validate(vctx *c, json_t *s, json_t *v, const char *path)
{
    const char *key;
    json_t *val;
    json_object_foreach(s, key, val) {
        size_t i = 0;
        while (KNOWN[i] && strcmp(KNOWN[i], key) != 0)
            i++;
        if (!KNOWN[i])
            fail_msg("schema keyword %s is not understood by this validator", key);
    }
    json_t *k;
    if ((k = json_object_get(s, "$ref"))) {
        const char *ref = json_string_value(k);
        assert_non_null(ref);
        assert_memory_equal(ref, "#/$defs/", 8);
        json_t *target = json_object_get(json_object_get(c->root, "$defs"), ref + 8);
        if (!target)
            fail_msg("schema: dangling $ref %s", ref);
        if (!validate(c, target, v, path))
            return false;
    }
    if ((k = json_object_get(s, "type"))) {
        bool ok = false;
        if (json_is_string(k)) {
            ok = type_ok(json_string_value(k), v);
        } else {
            size_t i;
            json_t *t;
            json_array_foreach(k, i, t) ok = ok || type_ok(json_string_value(t), v);
        }
        if (!ok)
            return vfail(c, path, "wrong type");
    }
    if ((k = json_object_get(s, "const")) && !json_equal(k, v))
        return vfail(c, path, "not the constant");
    if ((k = json_object_get(s, "enum"))) {
        bool ok = false;
        size_t i;
        json_t *e;
        json_array_foreach(k, i, e) ok = ok || json_equal(e, v);
        if (!ok)
            return vfail(c, path, "not in the enum (%s)",
                         json_is_string(v) ? json_string_value(v) : "?");
    }
    if ((k = json_object_get(s, "pattern")) && json_is_string(v)) {
        regex_t re;
        assert_int_equal(regcomp(&re, json_string_value(k), REG_EXTENDED | REG_NOSUB), 0);
        int rc = regexec(&re, json_string_value(v), 0, NULL, 0);
        regfree(&re);
        if (rc != 0)
            return vfail(c, path, "\"%s\" does not match %s", json_string_value(v),
                         json_string_value(k));
    }
    if ((k = json_object_get(s, "minimum")) && json_is_number(v) &&
        json_number_value(v) < json_number_value(k))
        return vfail(c, path, "below the minimum");
    if (json_is_object(v)) {
        json_t *req = json_object_get(s, "required");
        size_t i;
        json_t *r;
        json_array_foreach(req, i, r) {
            if (!json_object_get(v, json_string_value(r)))
                return vfail(c, path, "missing required key %s", json_string_value(r));
        }
        json_t *props = json_object_get(s, "properties");
        json_t *addl = json_object_get(s, "additionalProperties");
        json_object_foreach(v, key, val) {
            json_t *ps = props ? json_object_get(props, key) : NULL;
            if (ps) {
                if (!sub(c, ps, val, path, key))
                    return false;
            } else if (addl && json_is_false(addl)) {
                return vfail(c, path, "key %s is not allowed", key);
            } else if (addl && json_is_object(addl)) {
                if (!sub(c, addl, val, path, key))
                    return false;
            }
        }
    }
    if (json_is_array(v)) {
        json_t *items = json_object_get(s, "items");
        size_t i;
        json_t *it;
        json_array_foreach(v, i, it) {
            char step[24];
            snprintf(step, sizeof step, "%zu", i);
            if (items && !sub(c, items, it, path, step))
                return false;
        }
        if (json_is_true(json_object_get(s, "uniqueItems")))
            for (size_t a = 0; a < json_array_size(v); a++)
                for (size_t b = a + 1; b < json_array_size(v); b++)
                    if (json_equal(json_array_get(v, a), json_array_get(v, b)))
                        return vfail(c, path, "items %zu and %zu are equal", a, b);
    }
    if ((k = json_object_get(s, "allOf"))) {
        size_t i;
        json_t *e;
        json_array_foreach(k, i, e) {
            if (!validate(c, e, v, path))
                return false;
        }
    }
    if ((k = json_object_get(s, "anyOf")) || (k = json_object_get(s, "oneOf"))) {
        bool one = json_object_get(s, "oneOf") != NULL;
        size_t i, n = 0;
        json_t *e;
        c->quiet++;
        json_array_foreach(k, i, e) n += validate(c, e, v, path);
        c->quiet--;
        if (one ? n != 1 : n == 0) {
            /* report why the first branch whose kind matches failed */
            if (!c->quiet && !c->err[0]) {
                json_array_foreach(k, i, e) {
                    json_t *ref = json_object_get(e, "$ref");
                    json_t *kind = json_object_get(v, "kind");
                    json_t *target = ref ? json_object_get(json_object_get(c->root, "$defs"),
                                                           json_string_value(ref) + 8)
                                         : NULL;
                    json_t *kc = json_object_get(
                        json_object_get(json_object_get(target, "properties"), "kind"), "const");
                    if (kind && kc && json_equal(kind, kc)) {
                        validate(c, e, v, path);
                        break;
                    }
                }
            }
            return vfail(c, path, "%s matched %zu of its branches", one ? "oneOf" : "anyOf", n);
        }
    }
    if ((k = json_object_get(s, "if"))) {
        c->quiet++;
        bool cond = validate(c, k, v, path);
        c->quiet--;
        json_t *then = json_object_get(s, "then");
        if (cond && then && !validate(c, then, v, path))
            return false;
    }
    return true;
}

static json_t *load_schema(void)
{
    json_error_t err;
    json_t *s = json_load_file(IR_SCHEMA_PATH, 0, &err);
    if (!s)
        fail_msg("%s:%d: %s", IR_SCHEMA_PATH, err.line, err.text);
    return s;
}

/* Validate a dump; returns NULL when it conforms, else the first error
 * (static storage of the context). */
static bool conforms(json_t *schema, json_t *doc, char *why, size_t n)
{
    vctx c;
    memset(&c, 0, sizeof c);
    c.root = schema;
    bool ok = validate(&c, schema, doc, "");
    snprintf(why, n, "%s", c.err[0] ? c.err : "(no detail)");
    return ok;
}

static void assert_conforms(json_t *schema, const char *text, const char *what)
{
    json_error_t err;
    json_t *doc = json_loads(text, 0, &err);
    if (!doc)
        fail_msg("%s: dump is not JSON: %s", what, err.text);
    char why[600];
    if (!conforms(schema, doc, why, sizeof why))
        fail_msg("%s: dump does not conform to docs/ir.schema.json: %s", what, why);
    json_decref(doc);
}

/* ------------------------------------------------------ a rich hand IR */

static ir_value *sample_type(jy_arena *a, ir_type_id id)
{
    ir_type *t = t_new(a, id);
    switch (ir_type_table[id].params) {
    case IR_TP_LENGTH: t->length = 40; break;
    case IR_TP_OPT_LENGTH: t->length = -1; break;
    case IR_TP_PREC_SCALE:
        t->precision = 12;
        t->scale = 2;
        break;
    case IR_TP_LABELS: {
        static const char *labels[] = {"new", "paid"};
        t->labels = labels;
        t->nlabels = 2;
        t->enum_name = "status";
        break;
    }
    case IR_TP_INNER: t->inner = t_new(a, IR_T_INT); break;
    case IR_TP_DIALECT:
        t->dialect_of = IR_D_POSTGRESQL;
        t->dialect_type = "tsvector";
        break;
    case IR_TP_NONE: break;
    }
    return v_type(a, t);
}

static ir_value *full_column(jy_arena *a, const char *name)
{
    ir_op *c = mk_column(a, name, sample_type(a, IR_T_DECIMAL));
    c->args[IR_A_column_nullable] = v_bool(a, false);
    c->args[IR_A_column_default] = v_float(a, 1.5);
    c->args[IR_A_column_generated] = v_str(a, "a + b");
    c->args[IR_A_column_primary_key] = v_bool(a, false);
    c->args[IR_A_column_autoincrement] = v_bool(a, false);
    c->args[IR_A_column_unique] = v_bool(a, true);
    c->args[IR_A_column_comment] = v_str(a, "a comment");
    return v_col(a, c);
}

/* A value for a parameter of kind k (every kind a different shape). */
static ir_value *sample(jy_arena *a, const ir_param_info *pi, int variant)
{
    switch (pi->kind) {
    case IR_K_IDENT: return v_str(a, "thing");
    case IR_K_IDENT_LIST: return v_seq(a, IR_V_LIST, 2, v_str(a, "a"), v_str(a, "b"));
    case IR_K_STR: return v_str(a, "text \xE2\x9C\x93");
    case IR_K_SQL: return v_str(a, "x > 0");
    case IR_K_SQL_DIALECTS:
        return variant ? v_str(a, "SELECT 1")
                       : v_dict(a, 3, v_str(a, "pg"), v_str(a, "SELECT 1"), v_str(a, "default"),
                                v_str(a, "SELECT 2"), v_str(a, "mariadb"), v_str(a, "SELECT 3"));
    case IR_K_BOOL: return v_bool(a, true);
    case IR_K_INT: return v_int(a, 500);
    case IR_K_TYPE: return sample_type(a, IR_T_STRING);
    case IR_K_COLUMN: return full_column(a, "c");
    case IR_K_VALUE: return variant ? v_none(a) : v_str(a, "pending");
    case IR_K_SERVER_DEFAULT: return variant ? v_str(a, "now()") : v_now(a);
    case IR_K_CHOICE: {
        const char *bar = strchr(pi->choices, '|');
        char *s = tb_must(jy_arena_strndup(a, pi->choices,
                                           bar ? (size_t)(bar - pi->choices) : strlen(pi->choices)));
        return v_str(a, s);
    }
    case IR_K_SET_MAP: return v_dict(a, 1, v_str(a, "n"), v_str(a, "lower(n)"));
    case IR_K_ROWS:
        return v_seq(a, IR_V_LIST, 2,
                     v_dict(a, 5, v_str(a, "a"), v_none(a), v_str(a, "b"), v_bool(a, false),
                            v_str(a, "c"), v_int(a, -3), v_str(a, "d"), v_float(a, 2.25),
                            v_str(a, "e"), v_str(a, "x")),
                     v_dict(a, 1, v_str(a, "a"), v_float(a, 1e300)));
    case IR_K_HINT: {
        ir_value *t = v_seq(a, IR_V_TUPLE, 4, v_str(a, "t"), v_str(a, "c"),
                            sample_type(a, IR_T_TEXT),
                            v_dict(a, 2, v_str(a, "nullable"), v_bool(a, false), v_str(a, "tags"),
                                   v_seq(a, IR_V_LIST, 1, v_str(a, "x"))));
        return variant ? v_seq(a, IR_V_LIST, 2, t, t) : t;
    }
    }
    return v_none(a);
}

static ir_program *rich_program(void)
{
    ir_program *p = ir_program_new();
    assert_non_null(p);
    jy_arena *a = p->arena;
    p->targets = IR_DMASK_ALL;
    ir_migration *m = mk_mig(p, "20260102T000000_everything");
    attach_source(p, m, "# one line\n");
    m->start = 0;
    m->end = 10;
    set_depends(a, m, 1, "group:core");
    m->tx_mode = IR_TX_NONE;
    m->has_dialects = true;
    m->dialects = IR_DMASK(IR_D_POSTGRESQL) | IR_DMASK(IR_D_SQLITE);
    m->group = "core";
    m->on_mismatch = IR_MISMATCH_ALTER;
    m->docstring = "Everything.";
    ir_batch *b = tb_must(jy_arena_alloc(a, sizeof *b));
    b->table = "thing";
    b->id = 0;
    for (int variant = 0; variant < 2; variant++)
        for (int k = 0; k < IR_OP__COUNT; k++) {
            if (!(ir_op_table[k].flags & IR_OPF_STEP))
                continue;
            ir_op *o = mk_op(a, (ir_op_kind)k);
            for (size_t i = 0; i < ir_op_table[k].nparams; i++) {
                const ir_param_info *pi = &ir_op_table[k].params[i];
                if (pi->flags & IR_AF_VARIADIC) {
                    push_variadic(a, o, i, sample(a, pi, variant));
                    push_variadic(a, o, i, full_column(a, "d"));
                } else {
                    o->args[i] = sample(a, pi, variant);
                }
            }
            if (variant && (ir_op_table[k].flags & IR_OPF_BATCH))
                o->batch = b;
            o->start = 2;
            o->end = 5;
            add_up(a, m, o);
        }
    for (int t = 0; t < IR_T__COUNT; t++) {
        ir_op *o = mk_op(a, IR_OP_add_column);
        o->args[IR_A_add_column_table] = v_str(a, "thing");
        o->args[IR_A_add_column_name] = v_str(a, ir_type_table[t].name);
        o->args[IR_A_add_column_type] = sample_type(a, (ir_type_id)t);
        add_down(a, m, o);
    }
    static ir_hint hints[2] = {{"completion-status", "stub", NULL, 0, false, 0, 5},
                               {"schema-impact", NULL, NULL, 0, true, 0, 0}};
    static const char *items[] = {"drop_table: thing"};
    hints[1].items = items;
    hints[1].nitems = 1;
    m->hints = hints;
    m->nhints = 2;
    ir_checksum_migration(m);
    /* an empty migration: no ops, no downgrade, no source */
    mk_mig(p, "20260103T000000_empty");
    return p;
}

/* ---------------------------------------------------------------- tests */

static void test_hand_built_conforms(void **state)
{
    (void)state;
    json_t *schema = load_schema();
    ir_program *p = rich_program();
    char *text = ir_dump_json(p);
    assert_non_null(text);
    assert_conforms(schema, text, "hand-built IR");
    free(text);
    ir_program_free(p);
    json_decref(schema);
}

/* Compile a folder (when it holds migration files) and validate its dump;
 * returns how many migrations were checked. */
static size_t check_folder(json_t *schema, const char *dir)
{
    char **paths = NULL;
    size_t n = 0;
    jy_diags d;
    jy_diags_init(&d);
    if (fe_list_dir(dir, &paths, &n, &d) != 0 || n == 0) {
        fe_free_paths(paths, n);
        jy_diags_free(&d);
        return 0;
    }
    fe_options opt;
    fe_options_init(&opt);
    opt.targets = IR_DMASK_ALL;
    opt.single_file = true;
    ir_program *p = NULL;
    if (fe_compile((const char *const *)paths, n, &opt, &p, &d) != 0) {
        /* tests/valid is other suites' business: only its dumps are ours */
        fe_free_paths(paths, n);
        jy_diags_free(&d);
        return 0;
    }
    char *text = ir_dump_json(p);
    assert_non_null(text);
    assert_conforms(schema, text, dir);
    size_t got = p->n;
    free(text);
    ir_program_free(p);
    fe_free_paths(paths, n);
    jy_diags_free(&d);
    return got;
}

static void test_compiled_folders_conform(void **state)
{
    (void)state;
    json_t *schema = load_schema();
    /* examples/ must compile and conform */
    size_t n = check_folder(schema, JORYU_SRC "/examples/migrations");
    assert_true(n >= 1);
    DIR *dir = opendir(JORYU_SRC "/tests/valid");
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir))) {
            if (e->d_name[0] == '.')
                continue;
            char path[512];
            snprintf(path, sizeof path, "%s/tests/valid/%s", JORYU_SRC, e->d_name);
            struct stat st;
            if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                n += check_folder(schema, path);
        }
        closedir(dir);
    }
    assert_true(n >= 1);
    json_decref(schema);
}

/* The validator refuses what the schema forbids (so a pass means
 * something). */
static void test_validator_refuses_broken_dumps(void **state)
{
    (void)state;
    json_t *schema = load_schema();
    ir_program *p = rich_program();
    char *text = ir_dump_json(p);
    assert_non_null(text);
    static const char *const broken[] = {"op-name", "extra-key", "missing-span", "bad-kind",
                                         "bad-checksum", "bad-nullable", "bad-arg", "bad-type"};
    for (size_t i = 0; i < JY_COUNTOF(broken); i++) {
        json_t *doc = json_loads(text, 0, NULL);
        assert_non_null(doc);
        json_t *m = json_array_get(json_object_get(doc, "migrations"), 0);
        json_t *op0 = json_array_get(json_object_get(m, "ops"), 0);
        json_t *args = json_object_get(op0, "args");
        json_t *col = json_array_get(json_object_get(args, "columns"), 0);
        switch (i) {
        case 0: json_object_set_new(op0, "op", json_string("create_tabel")); break;
        case 1: json_object_set_new(m, "extra", json_true()); break;
        case 2: json_object_del(op0, "span"); break;
        case 3: json_object_set_new(json_object_get(args, "name"), "kind", json_string("str")); break;
        case 4: json_object_set_new(m, "checksum", json_string("v1:abc")); break;
        case 5: json_object_set_new(col, "nullable", json_string("no")); break;
        case 6: json_object_set_new(args, "nonsense", json_object()); break;
        case 7:
            json_object_set_new(json_object_get(col, "type"), "type", json_string("Strin"));
            break;
        }
        char why[600];
        if (conforms(schema, doc, why, sizeof why))
            fail_msg("broken dump '%s' conforms", broken[i]);
        json_decref(doc);
    }
    free(text);
    ir_program_free(p);
    json_decref(schema);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_built_conforms),
        cmocka_unit_test(test_compiled_folders_conform),
        cmocka_unit_test(test_validator_refuses_broken_dumps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
