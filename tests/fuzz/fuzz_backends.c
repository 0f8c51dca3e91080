/*
 * fuzz_backends.c - libFuzzer target over the whole compile pipeline of
 * `joryuc check` and `joryu sql`: one migration file through the front end
 * (for every dialect), then, when it compiles, schema replay and SQL
 * emission for each dialect (be_emit_program), every upgrade and downgrade
 * script as text, and the final schema as SQL.
 *
 * Findings: any crash, leak, undefined behaviour or hang, and a broken
 * contract: a failed emit that still returns a program, or a successful one
 * whose text cannot be produced.  Shares its seed corpus with fuzz_frontend
 * (tests/fuzz/corpus/backends is a link to corpus/frontend).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "backends.h"
#include "frontend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Emit for one dialect and render everything a user can print. */
static void emit_dialect(const ir_program *prog, ir_dialect dialect) {
    jy_diags d;
    jy_diags_init(&d);
    be_program *bp = NULL;
    int rc = be_emit_program(prog, dialect, &bp, &d);
    if (rc != 0 && bp != NULL)
        abort();
    if (rc == 0) {
        if (bp == NULL)
            abort();
        for (size_t i = 0; i < bp->n; i++) {
            const be_migration *bm = &bp->migs[i];
            char *up = be_script_text(bp, bm, &bm->up);
            char *down = be_script_text(bp, bm, &bm->down);
            if (!up || !down)
                abort();
            free(up);
            free(down);
        }
        if (bp->schema) {
            char *sql = be_schema_sql(bp->schema, dialect);
            if (!sql)
                abort();
            free(sql);
        }
    }
    be_program_free(bp);
    jy_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fe_options opt;
    fe_options_init(&opt);
    opt.single_file = true;
    opt.targets = IR_DMASK_ALL;

    jy_diags d;
    jy_diags_init(&d);
    ir_program *prog = NULL;
    int rc = fe_compile_memory("20260101T000000_fuzz.py", (const char *)data, size, &opt, &prog,
                               &d);
    if (rc != 0 && prog != NULL)
        abort();
    if (rc == 0 && prog != NULL) {
        for (int dialect = 0; dialect < IR_D__COUNT; dialect++)
            emit_dialect(prog, (ir_dialect)dialect);
    }
    ir_program_free(prog);
    jy_diags_free(&d);
    return 0;
}
