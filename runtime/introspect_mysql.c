/* introspect_mysql.c - read a MySQL / MariaDB database (DATABASE()) into
 * the schema model from information_schema: TABLES, COLUMNS, STATISTICS,
 * KEY_COLUMN_USAGE + REFERENTIAL_CONSTRAINTS, TABLE_CONSTRAINTS +
 * CHECK_CONSTRAINTS, VIEWS, TRIGGERS.
 *
 * Quirks handled: MariaDB quotes string defaults ('abc') and writes NULL /
 * current_timestamp() as text, MySQL gives the raw value; MariaDB keeps
 * JSON as LONGTEXT with a CHECK (json_valid(col)) named after the column
 * (the name stays when the column is renamed, the expression follows it),
 * read back as t.Json without that check; index prefix lengths (SUB_PART)
 * other than the backend's (255 on TEXT/BLOB) show as "col(N)"; MySQL
 * adds an index named after a foreign key for its columns (and joryu adds
 * one when it drops the last index that served the key), which is left
 * out. */
#include "driver_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NOT_STATE(col) col " NOT IN ('joryu_migrations', 'joryu_migration_steps')"

static int q(rt_conn *c, const char *sql, rt_rows **r, jy_diags *d)
{
    return rt_query(c, sql, NULL, 0, r, d);
}

static int tables_and_columns(rt_conn *c, ir_schema *s, const char *table, bool maria,
                              jy_diags *d)
{
    jy_arena *a = s->arena;
    rt_rows *r = NULL;
    if (rt__query_for_table(c,
          "SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES "
          "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND " NOT_STATE(
              "TABLE_NAME") " ORDER BY TABLE_NAME",
          "TABLE_NAME", table, &r, d) < 0)
        return -1;
    while (rt_rows_next(r)) {
        ir_table *t = ir_schema_add_table(s, rt_rows_get(r, 0, NULL));
        const char *cm = rt_rows_get(r, 1, NULL);
        if (t && cm && *cm)
            t->comment = jy_arena_strdup(a, cm);
    }
    rt_rows_free(r);
    if (rt__query_for_table(c,
          "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, "
          "  GENERATION_EXPRESSION, COLUMN_COMMENT "
          "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
          "ORDER BY TABLE_NAME, ORDINAL_POSITION",
          "TABLE_NAME", table, &r, d) < 0)
        return -1;
    while (rt_rows_next(r)) {
        ir_table *t = ir_schema_table(s, rt_rows_get(r, 0, NULL));
        if (!t)
            continue;
        const char *ctype = rt_rows_get(r, 2, NULL);
        ir_type type;
        ir_type_from_sql(a, c->dialect, ctype, &type);
        ir_column *col = ir_table_add_column(s, t, rt_rows_get(r, 1, NULL), &type);
        if (!col)
            continue;
        col->db_type = jy_arena_strdup(a, ctype);
        col->nullable = strcmp(rt_rows_get(r, 3, NULL), "YES") == 0;
        const char *def = rt_rows_get(r, 4, NULL), *extra = rt_rows_get(r, 5, NULL);
        const char *gen = rt_rows_get(r, 6, NULL), *cm = rt_rows_get(r, 7, NULL);
        if (!extra)
            extra = "";
        bool generated = strstr(extra, "GENERATED") && !strstr(extra, "DEFAULT_GENERATED");
        if (generated && gen && *gen) {
            col->generated = jy_arena_strdup(a, gen);
            col->generated_virtual = strstr(extra, "VIRTUAL") != NULL;
        } else if (def) {
            bool unquoted = !maria && !strstr(extra, "DEFAULT_GENERATED");
            col->def = ir_default_from_sql(a, c->dialect, &type, def, unquoted);
        }
        if (strstr(extra, "auto_increment"))
            col->identity = IR_IDENT_AUTO;
        if (cm && *cm)
            col->comment = jy_arena_strdup(a, cm);
    }
    rt_rows_free(r);
    return 0;
}

/* An index part: the column, with its prefix length "col(N)" unless it is
 * the one the backend writes (255 for TEXT and BLOB columns, none for the
 * others), so an index made elsewhere with another prefix shows. */
static const char *index_part(jy_arena *a, const ir_table *t, const char *col,
                              const char *sub_part)
{
    const ir_column *c = ir_table_column(t, col);
    bool blob = c && (c->type.id == IR_T_TEXT || (c->type.id == IR_T_BINARY && c->type.length < 0));
    if (!sub_part || !*sub_part || (blob && strcmp(sub_part, "255") == 0))
        return jy_arena_strdup(a, col);
    return jy_arena_printf(a, "%s(%s)", col, sub_part);
}

static int indexes(rt_conn *c, ir_schema *s, const char *table, jy_diags *d)
{
    jy_arena *a = s->arena;
    rt_rows *r = NULL;
    if (rt__query_for_table(c,
          "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, INDEX_TYPE, SUB_PART "
          "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND " NOT_STATE(
              "TABLE_NAME") " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
          "TABLE_NAME", table, &r, d) < 0)
        return -1;
    for (size_t i = 0; i < r->nrows;) {
        const char *tn = rt_rows_cell(r, i, 0), *in = rt_rows_cell(r, i, 1);
        size_t j = i;
        while (j < r->nrows && strcmp(rt_rows_cell(r, j, 0), tn) == 0 &&
               strcmp(rt_rows_cell(r, j, 1), in) == 0)
            j++;
        ir_table *t = ir_schema_table(s, tn);
        const char **cols = jy_arena_calloc(a, j - i, sizeof *cols);
        if (t && cols) {
            for (size_t k = i; k < j; k++) {
                const char *cn = rt_rows_cell(r, k, 3);
                cols[k - i] = index_part(a, t, cn ? cn : "?", rt_rows_cell(r, k, 5));
            }
            bool unique = strcmp(rt_rows_cell(r, i, 2), "0") == 0;
            const char *method = rt_rows_cell(r, i, 4);
            if (strcmp(in, "PRIMARY") == 0) {
                ir_table_set_pk(s, t, "PRIMARY", cols, j - i);
                t->pk_name = NULL;
            } else {
                ir_table_add_index(s, t, in, unique, cols, j - i, NULL, method);
            }
        }
        i = j;
    }
    rt_rows_free(r);
    return 0;
}

static int fkeys(rt_conn *c, ir_schema *s, const char *table, jy_diags *d)
{
    jy_arena *a = s->arena;
    rt_rows *r = NULL;
    if (rt__query_for_table(c,
          "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, "
          "  k.REFERENCED_COLUMN_NAME, rc.UPDATE_RULE, rc.DELETE_RULE "
          "FROM information_schema.KEY_COLUMN_USAGE k "
          "JOIN information_schema.REFERENTIAL_CONSTRAINTS rc "
          "  ON rc.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA "
          "  AND rc.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND rc.TABLE_NAME = k.TABLE_NAME "
          "WHERE k.TABLE_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL "
          "ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
          "k.TABLE_NAME", table, &r, d) < 0)
        return -1;
    for (size_t i = 0; i < r->nrows;) {
        const char *tn = rt_rows_cell(r, i, 0), *fn = rt_rows_cell(r, i, 1);
        size_t j = i;
        while (j < r->nrows && strcmp(rt_rows_cell(r, j, 0), tn) == 0 &&
               strcmp(rt_rows_cell(r, j, 1), fn) == 0)
            j++;
        ir_table *t = ir_schema_table(s, tn);
        const char **cols = jy_arena_calloc(a, j - i, sizeof *cols);
        const char **refs = jy_arena_calloc(a, j - i, sizeof *refs);
        if (t && cols && refs) {
            for (size_t k = i; k < j; k++) {
                cols[k - i] = rt_rows_cell(r, k, 2);
                refs[k - i] = rt_rows_cell(r, k, 4);
            }
            ir_fk_action ou = IR_FK_RESTRICT, od = IR_FK_RESTRICT;
            ir_fk_action_parse(rt_rows_cell(r, i, 5), &ou);
            ir_fk_action_parse(rt_rows_cell(r, i, 6), &od);
            ir_table_add_fkey(s, t, fn, cols, j - i, rt_rows_cell(r, i, 3), refs, j - i, od, ou);
            /* the index MySQL made for the foreign key is not the user's */
            ir_index *x = ir_table_index(t, fn);
            if (x && !x->unique && x->ncolumns == j - i) {
                bool same = true;
                for (size_t k = 0; k < x->ncolumns; k++)
                    same = same && strcmp(x->columns[k], cols[k]) == 0;
                if (same)
                    ir_table_remove_index(t, fn);
            }
        }
        i = j;
    }
    rt_rows_free(r);
    return 0;
}

/* The column of "json_valid(`col`)" (in any spelling the servers use:
 * backquoted with `` for a backquote, or bare), malloc'd; NULL when the
 * expression is something else. */
static char *json_valid_column(const char *expr)
{
    const char *p = expr;
    while (*p == ' ' || *p == '(')
        p++;
    if (strncasecmp(p, "json_valid", 10) != 0)
        return NULL;
    p += 10;
    while (*p == ' ')
        p++;
    if (*p++ != '(')
        return NULL;
    while (*p == ' ')
        p++;
    size_t n = strlen(p);
    char *col = malloc(n + 1), *w = col;
    if (!col)
        return NULL;
    if (*p == '`') {
        for (p++; *p; p++) {
            if (*p == '`' && p[1] == '`')
                p++;
            else if (*p == '`')
                break;
            *w++ = *p;
        }
        if (*p++ != '`') {
            free(col);
            return NULL;
        }
    } else {
        while (*p && *p != ')' && *p != ' ')
            *w++ = *p++;
    }
    *w = '\0';
    while (*p == ' ')
        p++;
    if (*p++ != ')' || w == col) {
        free(col);
        return NULL;
    }
    while (*p == ' ' || *p == ')')
        p++;
    if (*p) {
        free(col);
        return NULL;
    }
    return col;
}

static int checks(rt_conn *c, ir_schema *s, const char *table, bool maria, jy_diags *d)
{
    rt_rows *r = NULL;
    const char *sql =
        maria ? "SELECT cc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE "
                "FROM information_schema.CHECK_CONSTRAINTS cc "
                "WHERE cc.CONSTRAINT_SCHEMA = DATABASE() ORDER BY 1, 2"
              : "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE "
                "FROM information_schema.TABLE_CONSTRAINTS tc "
                "JOIN information_schema.CHECK_CONSTRAINTS cc "
                "  ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA "
                "  AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
                "WHERE tc.CONSTRAINT_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK' "
                "ORDER BY 1, 2";
    if (rt__query_for_table(c, sql, maria ? "cc.TABLE_NAME" : "tc.TABLE_NAME", table, &r, d) < 0)
        return -1;
    while (rt_rows_next(r)) {
        ir_table *t = ir_schema_table(s, rt_rows_get(r, 0, NULL));
        if (!t)
            continue;
        const char *name = rt_rows_get(r, 1, NULL), *expr = rt_rows_get(r, 2, NULL);
        /* MariaDB's JSON: the check is named after the column when made
         * and keeps that name when the column is renamed (its expression
         * follows the column), so the expression names the column */
        char *jc = maria && expr ? json_valid_column(expr) : NULL;
        ir_column *col = jc ? ir_table_column(t, jc) : NULL;
        free(jc);
        if (col && col->type.id == IR_T_TEXT) {
            col->type.id = IR_T_JSON;
            continue;
        }
        ir_table_add_check(s, t, name, expr);
    }
    rt_rows_free(r);
    return 0;
}

static int objects(rt_conn *c, ir_schema *s, jy_diags *d)
{
    rt_rows *r = NULL;
    if (q(c,
          "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
          "WHERE TABLE_SCHEMA = DATABASE()",
          &r, d) < 0)
        return -1;
    while (rt_rows_next(r))
        ir_schema_add_object(s, IR_OBJ_VIEW, rt_rows_get(r, 0, NULL), NULL,
                             rt_rows_get(r, 1, NULL));
    rt_rows_free(r);
    if (q(c,
          "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_STATEMENT "
          "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND " NOT_STATE(
              "EVENT_OBJECT_TABLE"),
          &r, d) < 0)
        return -1;
    while (rt_rows_next(r))
        ir_schema_add_object(s, IR_OBJ_TRIGGER, rt_rows_get(r, 0, NULL), rt_rows_get(r, 1, NULL),
                             rt_rows_get(r, 2, NULL));
    rt_rows_free(r);
    return 0;
}

int rt__introspect_mysql_tables(rt_conn *c, const char *table, ir_schema *s, jy_diags *d)
{
    bool maria = c->dialect == IR_D_MARIADB;
    if (tables_and_columns(c, s, table, maria, d) < 0 || indexes(c, s, table, d) < 0 ||
        fkeys(c, s, table, d) < 0 || checks(c, s, table, maria, d) < 0)
        return -1;
    if (jy_arena_failed(s->arena)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.introspect", NULL,
                      "out of memory while reading the catalog of %s", c->url.redacted);
        return -1;
    }
    return 0;
}

int rt__introspect_mysql(rt_conn *c, ir_schema *s, jy_diags *d)
{
    if (rt__introspect_mysql_tables(c, NULL, s, d) < 0 || objects(c, s, d) < 0)
        return -1;
    if (jy_arena_failed(s->arena)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "rt.introspect", NULL,
                      "out of memory while reading the catalog of %s", c->url.redacted);
        return -1;
    }
    return 0;
}
