/* introspect_pg.c - read a PostgreSQL schema (current_schema()) into the
 * schema model from pg_catalog: pg_class / pg_attribute / pg_attrdef for
 * tables and columns, pg_constraint for keys and checks, pg_index for
 * indexes, pg_type / pg_enum for enums, pg_extension, pg_views,
 * pg_matviews, pg_trigger, pg_policy, pg_class (sequences not owned by a
 * column), pg_namespace. */
#include "driver_int.h"

#include <stdlib.h>
#include <string.h>

#define IN_SCHEMA "n.nspname = current_schema()"
#define NOT_STATE "c.relname NOT IN ('joryu_migrations', 'joryu_migration_steps')"

static bool is_t(const char *v)
{
    return v && (strcmp(v, "t") == 0 || strcmp(v, "true") == 0);
}

/* Run a catalog query; -1 with the driver's diagnostic. */
static int q(rt_conn *c, const char *sql, rt_rows **r, jy_diags *d)
{
    return rt_query(c, sql, NULL, 0, r, d);
}

static int tables_and_columns(rt_conn *c, ir_schema *s, const char *table, jy_diags *d)
{
    jy_arena *a = s->arena;
    rt_rows *r = NULL;
    if (rt__query_for_table(c,
          "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c "
          "JOIN pg_namespace n ON n.oid = c.relnamespace "
          "WHERE " IN_SCHEMA " AND c.relkind IN ('r', 'p') AND " NOT_STATE " ORDER BY 1",
          "c.relname", table, &r, d) < 0)
        return -1;
    while (rt_rows_next(r)) {
        ir_table *t = ir_schema_add_table(s, rt_rows_get(r, 0, NULL));
        if (t && rt_rows_get(r, 1, NULL))
            t->comment = jy_arena_strdup(a, rt_rows_get(r, 1, NULL));
    }
    rt_rows_free(r);
    if (rt__query_for_table(c,
          "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
          "  pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, "
          "  col_description(c.oid, a.attnum), t.typtype, t.typname, et.typtype, et.typname "
          "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
          "JOIN pg_namespace n ON n.oid = c.relnamespace "
          "JOIN pg_type t ON t.oid = a.atttypid "
          "LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A' "
          "LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
          "WHERE " IN_SCHEMA " AND c.relkind IN ('r', 'p') AND " NOT_STATE
          " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
          "c.relname", table, &r, d) < 0)
        return -1;
    while (rt_rows_next(r)) {
        ir_table *t = ir_schema_table(s, rt_rows_get(r, 0, NULL));
        if (!t)
            continue;
        const char *fmt = rt_rows_get(r, 2, NULL);
        ir_type type;
        const char *typtype = rt_rows_get(r, 8, NULL), *typname = rt_rows_get(r, 9, NULL);
        const char *etyptype = rt_rows_get(r, 10, NULL), *etypname = rt_rows_get(r, 11, NULL);
        if (typtype && strcmp(typtype, "e") == 0) {
            memset(&type, 0, sizeof type);
            type.id = IR_T_ENUM;
            type.length = type.precision = type.scale = -1;
            type.enum_name = jy_arena_strdup(a, typname);
        } else if (etyptype && strcmp(etyptype, "e") == 0) {
            ir_type *in = jy_arena_alloc(a, sizeof *in);
            memset(&type, 0, sizeof type);
            type.id = IR_T_ARRAY;
            type.length = type.precision = type.scale = -1;
            if (in) {
                in->id = IR_T_ENUM;
                in->length = in->precision = in->scale = -1;
                in->enum_name = jy_arena_strdup(a, etypname);
                type.inner = in;
            }
        } else {
            ir_type_from_sql(a, IR_D_POSTGRESQL, fmt, &type);
        }
        ir_column *col = ir_table_add_column(s, t, rt_rows_get(r, 1, NULL), &type);
        if (!col)
            continue;
        col->db_type = jy_arena_strdup(a, fmt);
        col->nullable = !is_t(rt_rows_get(r, 3, NULL));
        const char *def = rt_rows_get(r, 4, NULL);
        const char *ident = rt_rows_get(r, 5, NULL), *gen = rt_rows_get(r, 6, NULL);
        const char *comment = rt_rows_get(r, 7, NULL);
        if (gen && *gen) {
            col->generated = jy_arena_strdup(a, def);
            col->generated_virtual = strcmp(gen, "v") == 0;
        } else if (def && strncmp(def, "nextval(", 8) == 0) {
            col->identity = IR_IDENT_AUTO; /* serial */
        } else {
            col->def = ir_default_from_sql(a, IR_D_POSTGRESQL, &type, def, false);
        }
        if (ident && strcmp(ident, "a") == 0)
            col->identity = IR_IDENT_ALWAYS;
        else if (ident && strcmp(ident, "d") == 0)
            col->identity = IR_IDENT_BY_DEFAULT;
        col->comment = comment ? jy_arena_strdup(a, comment) : NULL;
    }
    rt_rows_free(r);
    return 0;
}

static int constraints(rt_conn *c, ir_schema *s, const char *table, jy_diags *d)
{
    jy_arena *a = s->arena;
    rt_rows *r = NULL, *k = NULL;
    if (rt__query_for_table(c,
          "SELECT con.oid, con.conname, con.contype, c.relname, fc.relname, con.confupdtype, "
          "  con.confdeltype, pg_get_expr(con.conbin, con.conrelid) "
          "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
          "JOIN pg_namespace n ON n.oid = c.relnamespace "
          "LEFT JOIN pg_class fc ON fc.oid = con.confrelid "
          "WHERE " IN_SCHEMA " AND " NOT_STATE " AND con.contype IN ('p', 'u', 'f', 'c') "
          "ORDER BY c.relname, con.conname",
          "c.relname", table, &r, d) < 0)
        return -1;
    if (rt__query_for_table(c,
          "SELECT con.oid, k.o, a.attname, fa.attname "
          "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
          "JOIN pg_namespace n ON n.oid = c.relnamespace "
          "CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(n, o) "
          "JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n "
          "LEFT JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[k.o] "
          "WHERE " IN_SCHEMA " AND " NOT_STATE " AND con.contype IN ('p', 'u', 'f') "
          "ORDER BY con.oid, k.o",
          "c.relname", table, &k, d) < 0) {
        rt_rows_free(r);
        return -1;
    }
    while (rt_rows_next(r)) {
        const char *oid = rt_rows_get(r, 0, NULL), *name = rt_rows_get(r, 1, NULL);
        const char *type = rt_rows_get(r, 2, NULL);
        ir_table *t = ir_schema_table(s, rt_rows_get(r, 3, NULL));
        if (!t)
            continue;
        const char *cols[256], *refs[256];
        size_t n = 0;
        for (size_t i = 0; i < k->nrows && n < 256; i++)
            if (strcmp(rt_rows_cell(k, i, 0), oid) == 0) {
                cols[n] = jy_arena_strdup(a, rt_rows_cell(k, i, 2));
                const char *fr = rt_rows_cell(k, i, 3);
                refs[n] = fr ? jy_arena_strdup(a, fr) : "";
                n++;
            }
        switch (type[0]) {
        case 'p':
            ir_table_set_pk(s, t, name, cols, n);
            break;
        case 'u':
            ir_table_add_unique(s, t, name, cols, n);
            break;
        case 'f': {
            ir_fk_action ou = IR_FK_NO_ACTION, od = IR_FK_NO_ACTION;
            ir_fk_action_parse(rt_rows_get(r, 5, NULL), &ou);
            ir_fk_action_parse(rt_rows_get(r, 6, NULL), &od);
            ir_table_add_fkey(s, t, name, cols, n, rt_rows_get(r, 4, NULL), refs, n, od, ou);
            break;
        }
        default:
            ir_table_add_check(s, t, name, rt_rows_get(r, 7, NULL));
            break;
        }
    }
    rt_rows_free(r);
    rt_rows_free(k);
    return 0;
}

static int indexes(rt_conn *c, ir_schema *s, const char *table, jy_diags *d)
{
    jy_arena *a = s->arena;
    rt_rows *r = NULL, *k = NULL;
    /* indexes that are not the backing of a constraint */
    static const char *const from =
        "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
        "JOIN pg_class c ON c.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE " IN_SCHEMA " AND " NOT_STATE " AND c.relkind IN ('r', 'p') "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid "
        "  AND con.contype IN ('p', 'u', 'x')) ";
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_printf(&b,
                  "SELECT i.indexrelid, ic.relname, c.relname, i.indisunique, "
                  "  (SELECT amname FROM pg_am WHERE oid = ic.relam), "
                  "  pg_get_expr(i.indpred, i.indrelid) %s ORDER BY ic.relname",
                  from);
    int rc = b.failed ? -1 : rt__query_for_table(c, b.data, "c.relname", table, &r, d);
    jy_buf_reset(&b);
    jy_buf_printf(&b,
                  "SELECT i.indexrelid, k.o, CASE WHEN k.n <> 0 THEN a.attname "
                  "  ELSE pg_get_indexdef(i.indexrelid, k.o::int, true) END "
                  "%s"
                  "ORDER BY 1, 2",
                  "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
                  "JOIN pg_class c ON c.oid = i.indrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(n, o) "
                  "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n "
                  "WHERE " IN_SCHEMA " AND " NOT_STATE " AND k.o <= i.indnkeyatts ");
    if (rc == 0)
        rc = b.failed ? -1 : rt__query_for_table(c, b.data, "c.relname", table, &k, d);
    jy_buf_free(&b);
    if (rc < 0) {
        rt_rows_free(r);
        return -1;
    }
    while (rt_rows_next(r)) {
        const char *oid = rt_rows_get(r, 0, NULL);
        ir_table *t = ir_schema_table(s, rt_rows_get(r, 2, NULL));
        if (!t)
            continue;
        const char *cols[256];
        size_t n = 0;
        for (size_t i = 0; i < k->nrows && n < 256; i++)
            if (strcmp(rt_rows_cell(k, i, 0), oid) == 0)
                cols[n++] = jy_arena_strdup(a, rt_rows_cell(k, i, 2) ? rt_rows_cell(k, i, 2) : "?");
        ir_table_add_index(s, t, rt_rows_get(r, 1, NULL), is_t(rt_rows_get(r, 3, NULL)), cols, n,
                           rt_rows_get(r, 5, NULL), rt_rows_get(r, 4, NULL));
    }
    rt_rows_free(r);
    rt_rows_free(k);
    return 0;
}

static int objects(rt_conn *c, ir_schema *s, jy_diags *d)
{
    rt_rows *r = NULL;
    /* enums */
    if (q(c,
          "SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid "
          "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE " IN_SCHEMA
          " ORDER BY t.typname, e.enumsortorder",
          &r, d) < 0)
        return -1;
    for (size_t i = 0; i < r->nrows;) {
        const char *name = rt_rows_cell(r, i, 0);
        size_t j = i;
        while (j < r->nrows && strcmp(rt_rows_cell(r, j, 0), name) == 0)
            j++;
        const char **labels = jy_arena_calloc(s->arena, j - i, sizeof *labels);
        for (size_t x = i; labels && x < j; x++)
            labels[x - i] = rt_rows_cell(r, x, 1);
        if (labels)
            ir_schema_add_enum(s, name, labels, j - i);
        i = j;
    }
    rt_rows_free(r);
    static const struct {
        ir_obj_kind kind;
        const char *sql;
    } qs[] = {
        {IR_OBJ_EXTENSION,
         "SELECT e.extname, NULL, NULL FROM pg_extension e "
         "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE " IN_SCHEMA
         " AND e.extname <> 'plpgsql'"},
        {IR_OBJ_VIEW, "SELECT viewname, NULL, definition FROM pg_views "
                      "WHERE schemaname = current_schema()"},
        {IR_OBJ_MATVIEW, "SELECT matviewname, NULL, definition FROM pg_matviews "
                         "WHERE schemaname = current_schema()"},
        {IR_OBJ_TRIGGER,
         "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
         "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE " IN_SCHEMA " AND " NOT_STATE " AND NOT t.tgisinternal"},
        {IR_OBJ_POLICY,
         "SELECT p.polname, c.relname, pg_get_expr(p.polqual, p.polrelid) FROM pg_policy p "
         "JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
         "WHERE " IN_SCHEMA},
        {IR_OBJ_SEQUENCE,
         "SELECT c.relname, NULL, NULL FROM pg_class c "
         "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " IN_SCHEMA
         " AND c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend dep "
         "WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid "
         "AND dep.deptype IN ('a', 'i'))"},
        {IR_OBJ_SCHEMA,
         "SELECT nspname, NULL, NULL FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
         "AND nspname NOT IN ('information_schema', 'public') "
         "AND nspname <> current_schema()"},
    };
    for (size_t i = 0; i < JY_COUNTOF(qs); i++) {
        if (q(c, qs[i].sql, &r, d) < 0)
            return -1;
        while (rt_rows_next(r))
            ir_schema_add_object(s, qs[i].kind, rt_rows_get(r, 0, NULL), rt_rows_get(r, 1, NULL),
                                 rt_rows_get(r, 2, NULL));
        rt_rows_free(r);
    }
    return 0;
}

int rt__introspect_pg_tables(rt_conn *c, const char *table, ir_schema *s, jy_diags *d)
{
    if (tables_and_columns(c, s, table, d) < 0 || constraints(c, s, table, d) < 0 ||
        indexes(c, s, table, d) < 0)
        return -1;
    if (jy_arena_failed(s->arena)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.introspect", NULL,
                      "out of memory while reading the catalog of %s", c->url.redacted);
        return -1;
    }
    return 0;
}

int rt__introspect_pg(rt_conn *c, ir_schema *s, jy_diags *d)
{
    if (rt__introspect_pg_tables(c, NULL, s, d) < 0 || objects(c, s, d) < 0)
        return -1;
    if (jy_arena_failed(s->arena)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.introspect", NULL,
                      "out of memory while reading the catalog of %s", c->url.redacted);
        return -1;
    }
    return 0;
}
