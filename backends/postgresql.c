/*
 * postgresql.c - the PostgreSQL spelling of the type table (§6.3).  The
 * statements themselves are built in emit.c, which asks the dialect.
 */
#include "be_int.h"

/* Append the PostgreSQL type of t: SERIAL/BIGSERIAL keep their name, an
 * Enum is its named type, an Array is inner[]. */
void be_pg_type(jy_buf *b, const ir_type *t)
{
    switch (t->id) {
    case IR_T_SMALLINT: jy_buf_puts(b, "SMALLINT"); return;
    case IR_T_INT: jy_buf_puts(b, "INTEGER"); return;
    case IR_T_BIGINT: jy_buf_puts(b, "BIGINT"); return;
    case IR_T_SERIAL: jy_buf_puts(b, "SERIAL"); return;
    case IR_T_BIGSERIAL: jy_buf_puts(b, "BIGSERIAL"); return;
    case IR_T_FLOAT: jy_buf_puts(b, "REAL"); return;
    case IR_T_DOUBLE: jy_buf_puts(b, "DOUBLE PRECISION"); return;
    case IR_T_DECIMAL:
        if (t->precision >= 0 && t->scale >= 0)
            jy_buf_printf(b, "NUMERIC(%lld, %lld)", (long long)t->precision, (long long)t->scale);
        else if (t->precision >= 0)
            jy_buf_printf(b, "NUMERIC(%lld)", (long long)t->precision);
        else
            jy_buf_puts(b, "NUMERIC");
        return;
    case IR_T_BOOL: jy_buf_puts(b, "BOOLEAN"); return;
    case IR_T_STRING: jy_buf_printf(b, "VARCHAR(%lld)", (long long)t->length); return;
    case IR_T_TEXT: jy_buf_puts(b, "TEXT"); return;
    case IR_T_BINARY: jy_buf_puts(b, "BYTEA"); return;
    case IR_T_DATE: jy_buf_puts(b, "DATE"); return;
    case IR_T_TIME: jy_buf_puts(b, "TIME"); return;
    case IR_T_TIMESTAMP: jy_buf_puts(b, "TIMESTAMPTZ"); return;
    case IR_T_INTERVAL: jy_buf_puts(b, "INTERVAL"); return;
    case IR_T_JSON: jy_buf_puts(b, "JSONB"); return;
    case IR_T_UUID: jy_buf_puts(b, "UUID"); return;
    case IR_T_ENUM: be_quote_ident(b, IR_D_POSTGRESQL, t->enum_name ? t->enum_name : "enum"); return;
    case IR_T_ARRAY:
        if (t->inner)
            be_pg_type(b, t->inner);
        jy_buf_puts(b, "[]");
        return;
    case IR_T_DIALECT: jy_buf_puts(b, t->dialect_type ? t->dialect_type : "TEXT"); return;
    default: jy_buf_puts(b, "TEXT"); return;
    }
}
