/*
 * fuzz_frontend.c - libFuzzer target over the whole front end: lexer (re2c),
 * parser (lemon) and sema, on one migration file held in memory.
 *
 * Every input must end in either a program or diagnostics, never a crash, a
 * leak (ASan's leak check runs at exit and per input with -detect_leaks=1),
 * undefined behaviour or a hang.  On success the IR is also dumped as JSON,
 * which walks every node sema produced.  The file name is a valid migration
 * id, so inputs that declare `@joryu.migration(id="20260101T000000_fuzz")`
 * get past the id = file-stem rule and reach the deeper checks.
 *
 * Build: cmake -DJORYU_FUZZ=ON -DCMAKE_C_COMPILER=clang (see
 * docs/SPEC.md ("Testing")); run: build-fuzz/fuzz/fuzz_frontend
 * -dict=tests/fuzz/dict CORPUS_COPY tests/fuzz/corpus/frontend
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "frontend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fe_options opt;
    fe_options_init(&opt);
    opt.single_file = true;

    jy_diags d;
    jy_diags_init(&d);
    ir_program *prog = NULL;
    int rc = fe_compile_memory("20260101T000000_fuzz.py", (const char *)data, size, &opt, &prog,
                               &d);
    if (rc == 0 && prog != NULL) {
        char *json = ir_dump_json(prog);
        free(json);
    }
    /* The contract: failure leaves no program behind. */
    if (rc != 0 && prog != NULL)
        abort();
    ir_program_free(prog);
    jy_diags_free(&d);
    return 0;
}
