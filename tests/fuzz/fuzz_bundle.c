/*
 * fuzz_bundle.c - libFuzzer target over the bundle loader
 * (vm_bundle_load_memory): every input is either refused with exactly one
 * bundle.* diagnostic or loaded, never a crash, a leak or undefined
 * behaviour.  A loaded bundle must disassemble, and what the writer makes
 * of it must load again and write back the same bytes.
 *
 * Random bytes almost never carry a right SHA-256, so each input is tried
 * twice: as given, then with the header's body size and hash recomputed so
 * that the table checks behind the hash are fuzzed too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void try_load(const uint8_t *data, size_t size)
{
    jy_diags d;
    jy_diags_init(&d);
    vm_bundle *b = NULL;
    int rc = vm_bundle_load_memory(data, size, &b, &d);
    if (rc != 0) {
        if (b || d.nerrors != 1 || strncmp(d.v[0].code, "bundle.", 7) != 0 ||
            d.exit_code != JY_EXIT_ERROR)
            abort();
        jy_diags_free(&d);
        return;
    }
    if (!b || d.n)
        abort();
    char *text = vm_disassemble(b);
    if (!text)
        abort();
    free(text);
    for (uint32_t i = 0; i < b->nmigs; i++)
        if (vm_bundle_find(b, b->migs[i].id) != &b->migs[i])
            abort();
    /* what the writer makes of a loaded bundle loads again and writes the
     * same bytes (a crafted input may share or repeat strings, so its own
     * bytes need not come back) */
    unsigned char *out = NULL, *out2 = NULL;
    size_t len = 0, len2 = 0;
    vm_bundle *b2 = NULL;
    if (vm_bundle_serialize(b, &out, &len, &d) != 0 ||
        vm_bundle_load_memory(out, len, &b2, &d) != 0 ||
        vm_bundle_serialize(b2, &out2, &len2, &d) != 0)
        abort();
    if (len != len2 || memcmp(out, out2, len) != 0 || b2->nmigs != b->nmigs)
        abort();
    free(out);
    free(out2);
    vm_bundle_free(b2);
    vm_bundle_free(b);
    jy_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try_load(data, size);
    if (size < 128 || memcmp(data, VM_MAGIC, 8) != 0)
        return 0;
    uint8_t *c = malloc(size);
    if (!c)
        return 0;
    memcpy(c, data, size);
    /* header: body size (u64 at 16), SHA-256 of bytes 64.. (at 32) */
    uint64_t body = size - 128;
    for (int i = 0; i < 8; i++)
        c[16 + i] = (uint8_t)(body >> (8 * i));
    char hex[65];
    jy_sha256_hex(c + 64, size - 64, hex);
    for (int i = 0; i < 32; i++) {
        unsigned hi = (unsigned)(hex[2 * i] <= '9' ? hex[2 * i] - '0' : hex[2 * i] - 'a' + 10);
        unsigned lo =
            (unsigned)(hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0' : hex[2 * i + 1] - 'a' + 10);
        c[32 + i] = (uint8_t)(hi << 4 | lo);
    }
    try_load(c, size);
    free(c);
    return 0;
}
