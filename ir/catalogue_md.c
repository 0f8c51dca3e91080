/*
 * catalogue_md.c - the op catalogue (ops.def) and the type table
 * (types.def) as Markdown: the reference section of docs/SPEC.md (between
 * `<!-- BEGIN GENERATED: catalogue -->` and `<!-- END GENERATED: catalogue -->`)
 * and the text of `joryuc ops`.  Generated, never written by hand: a unit
 * test fails when the copy in the docs differs from this output.
 *
 * Headings start at level 3 (`###`) so the text sits under a level-2
 * chapter of SPEC.md.
 */
#include "canon_int.h"

#include <stdlib.h>
#include <string.h>

/* What each argument kind accepts, for the glossary. */
static const char *kind_doc(ir_arg_kind k)
{
    switch (k) {
    case IR_K_IDENT: return "a string naming a database object: 1 to 63 bytes, no NUL; compared exactly (case-sensitive)";
    case IR_K_IDENT_LIST: return "a list or tuple of identifiers, at least one";
    case IR_K_STR: return "any string";
    case IR_K_SQL: return "SQL text (a string), passed to the database as written";
    case IR_K_SQL_DIALECTS: return "SQL text, or a dict `{dialect: SQL}` whose keys are `postgresql` (or `postgres`, `pg`), `mysql`, `mariadb`, `sqlite` and `default`";
    case IR_K_BOOL: return "`True` or `False`";
    case IR_K_INT: return "an integer literal (underscores allowed)";
    case IR_K_TYPE: return "a type of the type table: `t.X` or `t.X(...)`";
    case IR_K_COLUMN: return "a column: `op.column(name, type, ...)`";
    case IR_K_VALUE: return "a constant: string, integer, float, `True`/`False` or `None`";
    case IR_K_SERVER_DEFAULT: return "a SQL expression string, or `t.now()` (also written `op.func.now()`)";
    case IR_K_CHOICE: return "one of the strings listed under choices";
    case IR_K_SET_MAP: return "a dict `{column: SQL expression}`, at least one entry";
    case IR_K_ROWS: return "a list of dicts `{column: constant}`";
    case IR_K_HINT: return "a tuple of the shape shown, or a list of such tuples";
    }
    return "";
}

/* Append s with the characters that would break a Markdown table cell
 * escaped (`|`) and newlines flattened. */
static void cell(jy_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            jy_buf_puts(b, "\\|");
        else if (*s == '\n')
            jy_buf_putc(b, ' ');
        else
            jy_buf_putc(b, *s);
    }
}

/* The shape of a declare_schema_change tuple, "I,I,T,O?" ->
 * "(ident, ident, type, opts?)". */
static void hint_shape(jy_buf *b, const char *shape)
{
    jy_buf_putc(b, '(');
    for (const char *p = shape; p && *p; p++) {
        switch (*p) {
        case 'I': jy_buf_puts(b, "ident"); break;
        case 'S': jy_buf_puts(b, "sql"); break;
        case 'T': jy_buf_puts(b, "type"); break;
        case 'L': jy_buf_puts(b, "list"); break;
        case 'D': jy_buf_puts(b, "dict"); break;
        case 'O': jy_buf_puts(b, "opts"); break;
        case '?': jy_buf_putc(b, '?'); break;
        case ',': jy_buf_puts(b, ", "); break;
        default: jy_buf_putc(b, *p); break;
        }
    }
    if (shape && !strchr(shape, ','))
        jy_buf_putc(b, ',');
    jy_buf_putc(b, ')');
}

static void default_text(jy_buf *b, ir_op_kind k, size_t slot)
{
    ir_param_default d = ir_param_default_of(k, slot);
    switch (d.kind) {
    case IR_PDEF_NULL: jy_buf_puts(b, "`None`"); break;
    case IR_PDEF_TRUE: jy_buf_puts(b, "`True`"); break;
    case IR_PDEF_FALSE: jy_buf_puts(b, "`False`"); break;
    case IR_PDEF_INT: jy_buf_printf(b, "`%lld`", (long long)d.i); break;
    case IR_PDEF_STR: jy_buf_printf(b, "`\"%.*s\"`", (int)d.n, d.s); break;
    case IR_PDEF_ABSENT: jy_buf_puts(b, "—"); break;
    }
}

static void op_section(jy_buf *b, ir_op_kind k)
{
    const ir_op_info *oi = &ir_op_table[k];
    jy_buf_printf(b, "#### `%s`\n\n```python\n%s\n```\n\n%s\n\n", oi->name, oi->signature,
                  oi->synopsis);
    jy_buf_puts(b, "- Kind: ");
    if (oi->flags & IR_OPF_CONSTRUCTOR)
        jy_buf_puts(b, "constructor (a value for another op, not a step)");
    else if (oi->flags & IR_OPF_HINT)
        jy_buf_puts(b, "step that runs nothing (a replay hint)");
    else if (oi->flags & IR_OPF_DATA)
        jy_buf_puts(b, "step changing rows");
    else if (oi->flags & IR_OPF_DDL)
        jy_buf_puts(b, "step changing the schema");
    else
        jy_buf_puts(b, "step (raw SQL)");
    if (oi->flags & IR_OPF_DESTRUCTIVE)
        jy_buf_puts(b, "; destructive (loses data)");
    jy_buf_puts(b, ".\n");
    if (oi->flags & IR_OPF_BATCH) {
        const char *implied = NULL;
        for (size_t i = 0; i < oi->nparams; i++)
            if (oi->params[i].flags & IR_AF_BATCH_TABLE)
                implied = oi->params[i].name;
        jy_buf_printf(b, "- Batch form: `b.%s(...)` inside `with op.batch(table) as b:`", oi->name);
        if (implied)
            jy_buf_printf(b, ", without `%s` (the batch's table)", implied);
        jy_buf_puts(b, ".\n");
    }
    jy_buf_putc(b, '\n');
    if (oi->nparams == 0)
        return;
    bool hint = oi->params[0].kind == IR_K_HINT;
    if (hint)
        jy_buf_puts(b, "| keyword | tuple shape | description |\n|---|---|---|\n");
    else
        jy_buf_puts(b, "| argument | kind | required | position | default | choices | description |\n"
                       "|---|---|---|---|---|---|---|\n");
    unsigned pos = 0;
    for (size_t i = 0; i < oi->nparams; i++) {
        const ir_param_info *pi = &oi->params[i];
        if (hint) {
            jy_buf_printf(b, "| `%s` | ", pi->name);
            hint_shape(b, pi->choices);
            jy_buf_puts(b, " | ");
            cell(b, pi->doc);
            jy_buf_puts(b, " |\n");
            continue;
        }
        jy_buf_printf(b, "| `%s` | %s | %s | ", pi->name, ir_kind_name(pi->kind),
                      (pi->flags & IR_AF_REQ) ? "yes" : "no");
        if (pi->flags & IR_AF_VARIADIC)
            jy_buf_puts(b, "rest (`*`)");
        else if (pi->flags & IR_AF_POS)
            jy_buf_printf(b, "%u", ++pos);
        else
            jy_buf_puts(b, "keyword only");
        jy_buf_puts(b, " | ");
        if (pi->flags & (IR_AF_REQ | IR_AF_VARIADIC))
            jy_buf_puts(b, "—");
        else
            default_text(b, k, i);
        jy_buf_puts(b, " | ");
        if (pi->kind == IR_K_CHOICE && pi->choices) {
            const char *p = pi->choices;
            while (*p) {
                const char *e = strchr(p, '|');
                size_t n = e ? (size_t)(e - p) : strlen(p);
                jy_buf_printf(b, "`%.*s`", (int)n, p);
                p += n;
                if (*p == '|') {
                    jy_buf_puts(b, ", ");
                    p++;
                }
            }
        }
        jy_buf_puts(b, " | ");
        cell(b, pi->doc);
        jy_buf_puts(b, " |\n");
    }
    jy_buf_putc(b, '\n');
}

static const char *params_text(ir_type_params p)
{
    switch (p) {
    case IR_TP_NONE: return "none: `t.X` or `t.X()`";
    case IR_TP_LENGTH: return "`(n)`, n ≥ 1, required";
    case IR_TP_OPT_LENGTH: return "optional `(n)`";
    case IR_TP_PREC_SCALE: return "optional `(p, s)`: 1 ≤ p ≤ 65, 0 ≤ s ≤ p";
    case IR_TP_LABELS: return "`(\"a\", \"b\", ..., name=\"…\")`: one label at least, `name=` required";
    case IR_TP_INNER: return "`(inner)`: an element type, not itself an Array";
    case IR_TP_DIALECT: return "`(\"dialect.type\")`, e.g. `\"postgresql.tsvector\"`";
    }
    return "";
}

/* The whole text; see the file comment.  malloc'd, or NULL on memory. */
char *ir_catalogue_markdown(void)
{
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_puts(&b, "### Ops\n\n"
                    "Generated from `ir/ops.def` (`joryuc ops` prints the same text). "
                    "Arguments marked with a position may be given by position, in that "
                    "order, or by keyword; the others only by keyword. An argument equal to "
                    "its default means the same as leaving it out.\n\n");
    jy_buf_puts(&b, "| op | synopsis |\n|---|---|\n");
    for (int k = 0; k < IR_OP__COUNT; k++) {
        jy_buf_printf(&b, "| [`%s`](#%s) | ", ir_op_table[k].name, ir_op_table[k].name);
        cell(&b, ir_op_table[k].synopsis);
        jy_buf_puts(&b, " |\n");
    }
    jy_buf_putc(&b, '\n');
    for (int k = 0; k < IR_OP__COUNT; k++)
        op_section(&b, (ir_op_kind)k);

    jy_buf_puts(&b, "#### Argument kinds\n\n| kind | accepts |\n|---|---|\n");
    for (int k = IR_K_IDENT; k <= IR_K_HINT; k++) {
        jy_buf_printf(&b, "| %s | ", ir_kind_name((ir_arg_kind)k));
        cell(&b, kind_doc((ir_arg_kind)k));
        jy_buf_puts(&b, " |\n");
    }
    jy_buf_puts(&b, "\nIn a `declare_schema_change` tuple shape, `opts` is a dict with the "
                    "keys of `op.column` (`nullable`, `default`, `server_default`, "
                    "`generated`, `primary_key`, `unique`, `comment`) and a trailing `?` "
                    "marks an element that may be left out.\n\n");

    jy_buf_puts(&b, "#### Rejected ops\n\n"
                    "These ops of the Python reference need a Python runtime; joryuc rejects "
                    "them at their position and names the compiled alternative.\n\n"
                    "| op | use instead |\n|---|---|\n");
    for (size_t i = 0; i < ir_reject_count; i++) {
        jy_buf_printf(&b, "| `op.%s` | ", ir_reject_table[i].name);
        cell(&b, ir_reject_table[i].alternative);
        jy_buf_puts(&b, " |\n");
    }
    const ir_reject_info *fm = ir_reject_lookup("any_from_model", 14);
    if (fm) {
        jy_buf_printf(&b, "| `op.%s` | ", fm->name);
        cell(&b, fm->alternative);
        jy_buf_puts(&b, " |\n");
    }

    jy_buf_puts(&b, "\n### Types\n\n"
                    "Generated from `ir/types.def`. Written `t.Name` after "
                    "`from joryu import types as t`. The columns per dialect give the "
                    "rendering as documented (the backends own the exact spelling with "
                    "parameters); a type marked unsupported is a compile error (exit 6) "
                    "when a migration uses it for that dialect outside a branch that "
                    "excludes it. MariaDB renders as MySQL.\n\n"
                    "| type | parameters | PostgreSQL | MySQL / MariaDB | SQLite | description |\n"
                    "|---|---|---|---|---|---|\n");
    for (int i = 0; i < IR_T__COUNT; i++) {
        const ir_type_info *ti = &ir_type_table[i];
        jy_buf_printf(&b, "| `t.%s` | ", ti->name);
        cell(&b, params_text(ti->params));
        for (int d = 0; d < 3; d++) {
            jy_buf_puts(&b, " | ");
            if (ti->render[d]) {
                jy_buf_putc(&b, '`');
                cell(&b, ti->render[d]);
                jy_buf_putc(&b, '`');
            } else {
                jy_buf_puts(&b, "unsupported");
            }
        }
        jy_buf_puts(&b, " | ");
        cell(&b, ti->synopsis);
        jy_buf_puts(&b, " |\n");
    }
    if (b.failed) {
        jy_buf_free(&b);
        return NULL;
    }
    return jy_buf_take(&b);
}
