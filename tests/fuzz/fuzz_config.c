/*
 * fuzz_config.c - libFuzzer target over the joryu.toml reader
 * (rt_config_parse): every input ends in a config or diagnostics, never a
 * crash, a leak or undefined behaviour.  The diagnostics point into the
 * config's source, so they are freed before the config (the documented
 * order: print, then rt_config_free).
 */
#include <stddef.h>
#include <stdint.h>

#include "runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    rt_config c;
    jy_diags d;
    jy_diags_init(&d);
    (void)rt_config_parse("joryu.toml", (const char *)data, size, &c, &d);
    jy_diags_free(&d);
    rt_config_free(&c);
    return 0;
}
