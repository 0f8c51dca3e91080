/*
 * dis.c - the disassembler (`joryuc dis FILE.jyb`): a bundle as text.
 *
 * First the header (format, compiler, hash, dialects, sizes), then the
 * migration table (id order), then for each dialect of the bundle its
 * migrations in apply order, each script (up, then down) step by step: a
 * step line (number, op kind, summary, source line, flags, fingerprint),
 * then one line per instruction, as SQLite's EXPLAIN does:
 *
 *      0  EXEC      @13             CREATE TABLE "users" (...)
 *
 * address within the step, opcode, operands (@N is string N of the table,
 * a number is a U32 operand) and the text the string operands carry
 * (continuation lines indented under it; a second string operand on a line
 * of its own, labelled with its operand letter).  The opcode names and
 * operand kinds come from opcodes.def through vm_opcode_get.
 */
#include <string.h>

#include "vm.h"

/* Text column of an instruction line. */
#define TEXT_COL 39

/* Append s, indenting every line after the first by `indent` spaces. */
static void put_text(jy_buf *o, const char *s, int indent)
{
    for (const char *p = s; *p; p++) {
        jy_buf_putc(o, *p);
        if (*p == '\n' && p[1])
            jy_buf_printf(o, "%*s", indent, "");
    }
}

static void put_dialects(jy_buf *o, ir_dmask m)
{
    bool any = false;
    for (int d = 0; d < IR_D__COUNT; d++)
        if (m & IR_DMASK(d)) {
            jy_buf_printf(o, "%s%s", any ? " " : "", ir_dialect_name((ir_dialect)d));
            any = true;
        }
    if (!any)
        jy_buf_puts(o, "(none)");
}

static const char *str_at(const vm_bundle *b, uint32_t i)
{
    return i < b->nstrings && b->strings[i] ? b->strings[i] : "<bad string index>";
}

static void dis_insn(jy_buf *o, const vm_bundle *b, uint32_t addr, const vm_insn *in)
{
    const vm_opcode_info *oi = vm_opcode_get(in->op);
    if (!oi) {
        jy_buf_printf(o, "  %4u  ??%-6u\n", addr, in->op);
        return;
    }
    char ops[96];
    size_t n = 0;
    const vm_operand_kind kinds[3] = {oi->a, oi->b, oi->c};
    const uint32_t vals[3] = {in->a, in->b, in->c};
    uint32_t nstr = 0;
    for (int k = 0; k < 3; k++) {
        if (kinds[k] == VM_OPND_NONE)
            continue;
        nstr += kinds[k] == VM_OPND_STR;
        int w = snprintf(ops + n, sizeof ops - n, "%s%s%u", n ? " " : "",
                         kinds[k] == VM_OPND_STR ? "@" : "", vals[k]);
        if (w > 0 && (size_t)w < sizeof ops - n)
            n += (size_t)w;
    }
    if (in->flags & VM_F_EXPECT_NO_ROWS) {
        int w = snprintf(ops + n, sizeof ops - n, "%sexpect-no-rows", n ? " " : "");
        if (w > 0 && (size_t)w < sizeof ops - n)
            n += (size_t)w;
    }
    ops[n] = 0;
    jy_buf_printf(o, "  %4u  %-9s %-20s ", addr, oi->name, ops);
    /* the text: one string operand inline; several, each labelled */
    uint32_t shown = 0;
    for (int k = 0; k < 3; k++) {
        if (kinds[k] != VM_OPND_STR)
            continue;
        const char *s = str_at(b, vals[k]);
        if (nstr == 1) {
            put_text(o, s, TEXT_COL);
        } else {
            if (shown)
                jy_buf_printf(o, "\n%*s", TEXT_COL, "");
            jy_buf_printf(o, "%c: ", 'a' + k);
            put_text(o, s, TEXT_COL + 3);
        }
        shown++;
    }
    jy_buf_putc(o, '\n');
}

static void dis_script(jy_buf *o, const vm_bundle *b, const vm_script *s, const char *what)
{
    if (s->irreversible) {
        jy_buf_printf(o, "  %s: irreversible%s%s\n", what, s->reason ? ": " : "",
                      s->reason ? s->reason : "");
        return;
    }
    jy_buf_printf(o, "  %s%s: %u step%s\n", what, s->synthesized ? " (synthesized)" : "",
                  s->nsteps, s->nsteps == 1 ? "" : "s");
    for (uint32_t i = 0; i < s->nsteps; i++) {
        const vm_step *st = &s->steps[i];
        jy_buf_printf(o, "  step %u  %s", i + 1, st->op_kind);
        if (st->summary && *st->summary)
            jy_buf_printf(o, " %s", st->summary);
        if (st->line)
            jy_buf_printf(o, "  (line %u)", st->line);
        if (st->flags & VM_STEP_NO_TX)
            jy_buf_puts(o, "  no-transaction");
        if (st->flags & VM_STEP_DESTRUCTIVE)
            jy_buf_puts(o, "  destructive");
        if (st->flags & VM_STEP_BACKFILL)
            jy_buf_puts(o, "  backfill");
        jy_buf_printf(o, "\n        fingerprint %s\n", st->fingerprint);
        for (uint32_t k = 0; k < st->ncode; k++)
            dis_insn(o, b, k, &st->code[k]);
    }
}

char *vm_disassemble(const vm_bundle *b)
{
    jy_buf o;
    jy_buf_init(&o);
    size_t ncode = 0, nsteps = 0;
    for (uint32_t i = 0; i < b->nmigs; i++)
        for (int d = 0; d < IR_D__COUNT; d++)
            for (int w = 0; w < 2; w++) {
                const vm_script *s = w ? &b->migs[i].down[d] : &b->migs[i].up[d];
                nsteps += s->nsteps;
                for (uint32_t k = 0; k < s->nsteps; k++)
                    ncode += s->steps[k].ncode;
            }
    jy_buf_printf(&o, "; joryu bundle, format %u, built by joryu %s\n", vm_format_version(),
                  b->joryu_version ? b->joryu_version : "?");
    if (b->body_sha256[0])
        jy_buf_printf(&o, "; sha256 %s\n", b->body_sha256);
    jy_buf_puts(&o, "; dialects: ");
    put_dialects(&o, b->dialects);
    jy_buf_printf(&o, "\n; %u migrations, %zu steps, %zu instructions, %u strings, flags 0x%x\n",
                  b->nmigs, nsteps, ncode, b->nstrings, b->flags);

    jy_buf_puts(&o, "\nmigrations (by id):\n");
    for (uint32_t i = 0; i < b->nmigs; i++) {
        const vm_migration *m = &b->migs[i];
        jy_buf_printf(&o, "  %s\n", m->id);
        jy_buf_printf(&o, "      file           %s\n", m->file);
        jy_buf_printf(&o, "      checksum       %s\n", m->checksum);
        jy_buf_printf(&o, "      down checksum  %s\n", m->down_checksum);
        jy_buf_printf(&o, "      transaction    %s    on_mismatch %s\n",
                      ir_tx_mode_name(m->tx_mode), ir_mismatch_name(m->on_mismatch));
        jy_buf_puts(&o, "      dialects       ");
        put_dialects(&o, m->dialects);
        jy_buf_puts(&o, "\n      depends_on     ");
        for (uint32_t k = 0; k < m->ndepends; k++)
            jy_buf_printf(&o, "%s%s", k ? ", " : "", m->depends_on[k]);
        if (!m->ndepends)
            jy_buf_puts(&o, "-");
        jy_buf_puts(&o, "\n      effects        ");
        if (!m->neffects)
            jy_buf_puts(&o, "-");
        for (uint32_t k = 0; k < m->neffects; k++) {
            /* one a line, fields (tab-separated in the bundle) by spaces */
            if (k)
                jy_buf_printf(&o, "\n%21s", "");
            for (const char *e = m->effects[k]; *e; e++)
                jy_buf_putc(&o, *e == '\t' ? ' ' : *e == '\n' ? ' ' : *e);
        }
        jy_buf_putc(&o, '\n');
    }

    for (int d = 0; d < IR_D__COUNT; d++) {
        if (!(b->dialects & IR_DMASK(d)))
            continue;
        jy_buf_printf(&o, "\n== %s: %u migration%s in apply order\n",
                      ir_dialect_name((ir_dialect)d), b->norder[d],
                      b->norder[d] == 1 ? "" : "s");
        for (uint32_t k = 0; k < b->norder[d]; k++) {
            uint32_t ix = b->order[d][k];
            if (ix >= b->nmigs)
                continue;
            const vm_migration *m = &b->migs[ix];
            jy_buf_printf(&o, "\n-- %u. %s (%s)\n", k + 1, m->id,
                          ir_dialect_name((ir_dialect)d));
            dis_script(&o, b, &m->up[d], "up");
            dis_script(&o, b, &m->down[d], "down");
        }
    }
    if (o.failed) {
        jy_buf_free(&o);
        return NULL;
    }
    return jy_buf_take(&o);
}
