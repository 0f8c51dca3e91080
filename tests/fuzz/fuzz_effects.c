/*
 * fuzz_effects.c - libFuzzer target over the effects strings a bundle
 * stores (ir_effects_from_strings; issue 5).  The input is split at
 * newlines into at most 64 strings.  An accepted set must print back
 * (ir_effects_strings) to strings that parse to the same text again, and
 * describing the effects and judging the set against itself
 * (ir_effects_conflict) must not fail.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *lines[64];
    size_t n = 0;
    for (char *p = text; n < 64;) {
        lines[n++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    jy_arena *a = jy_arena_new();
    ir_effects *e = a ? ir_effects_from_strings(lines, n, a) : NULL;
    if (e) {
        const char **s1, **s2;
        size_t n1 = ir_effects_strings(e, a, &s1);
        if (n1 != e->n && !jy_arena_failed(a))
            abort();
        ir_effects *back = ir_effects_from_strings(s1, n1, a);
        if (!back && !jy_arena_failed(a))
            abort();
        if (back) {
            size_t n2 = ir_effects_strings(back, a, &s2);
            if (n2 != n1)
                abort();
            for (size_t i = 0; i < n1; i++)
                if (strcmp(s1[i], s2[i]) != 0)
                    abort();
        }
        for (size_t i = 0; i < e->n; i++)
            (void)ir_effect_describe(&e->v[i], a);
        e->migration = "20260101T000000_a";
        ir_conflict c;
        (void)ir_effects_conflict(e, e, a, &c);
    }
    jy_arena_free(a);
    free(text);
    return 0;
}
