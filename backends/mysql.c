/*
 * mysql.c - the MySQL/MariaDB spelling of the type table (§6.3): inline
 * ENUM, TINYINT(1) booleans, LONGTEXT, VARBINARY(n)/LONGBLOB, CHAR(36)
 * UUIDs.  AUTO_INCREMENT is a column modifier (emit.c).
 */
#include "be_int.h"

void be_my_type(jy_buf *b, const ir_type *t)
{
    switch (t->id) {
    case IR_T_SMALLINT: jy_buf_puts(b, "SMALLINT"); return;
    case IR_T_INT: case IR_T_SERIAL: jy_buf_puts(b, "INT"); return;
    case IR_T_BIGINT: case IR_T_BIGSERIAL: jy_buf_puts(b, "BIGINT"); return;
    case IR_T_FLOAT: jy_buf_puts(b, "FLOAT"); return;
    case IR_T_DOUBLE: jy_buf_puts(b, "DOUBLE"); return;
    case IR_T_DECIMAL:
        jy_buf_printf(b, "DECIMAL(%lld, %lld)", (long long)(t->precision >= 0 ? t->precision : 10),
                      (long long)(t->scale >= 0 ? t->scale : 0));
        return;
    case IR_T_BOOL: jy_buf_puts(b, "TINYINT(1)"); return;
    case IR_T_STRING: jy_buf_printf(b, "VARCHAR(%lld)", (long long)t->length); return;
    case IR_T_TEXT: jy_buf_puts(b, "LONGTEXT"); return;
    case IR_T_BINARY:
        if (t->length >= 0)
            jy_buf_printf(b, "VARBINARY(%lld)", (long long)t->length);
        else
            jy_buf_puts(b, "LONGBLOB");
        return;
    case IR_T_DATE: jy_buf_puts(b, "DATE"); return;
    case IR_T_TIME: jy_buf_puts(b, "TIME"); return;
    case IR_T_TIMESTAMP: jy_buf_puts(b, "TIMESTAMP"); return;
    case IR_T_JSON: jy_buf_puts(b, "JSON"); return;
    case IR_T_UUID: jy_buf_puts(b, "CHAR(36)"); return;
    case IR_T_ENUM:
        jy_buf_puts(b, "ENUM(");
        for (size_t i = 0; i < t->nlabels; i++) {
            if (i)
                jy_buf_puts(b, ", ");
            be_quote_string(b, IR_D_MYSQL, t->labels[i]);
        }
        jy_buf_putc(b, ')');
        return;
    case IR_T_DIALECT: jy_buf_puts(b, t->dialect_type ? t->dialect_type : "LONGTEXT"); return;
    default: jy_buf_puts(b, "LONGTEXT"); return;
    }
}
