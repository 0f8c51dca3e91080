/*
 * fuzz_url.c - libFuzzer target over the database URL parser
 * (rt_url_parse).  The input is one NUL-terminated URL (inputs holding a
 * NUL byte are cut there, as a C string would be).  On success the redacted
 * form must exist and must not contain a password of 4 bytes or more that
 * appears nowhere else in the URL: a password never reaches a message.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Count the occurrences of needle in hay. */
static size_t count(const char *hay, const char *needle) {
    size_t n = 0, len = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += len)
        n++;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    rt_url u;
    jy_diags d;
    jy_diags_init(&d);
    if (rt_url_parse(text, &u, &d) == 0) {
        if (!u.redacted)
            abort();
        /* A password that is not also the user, host, ... must be hidden. */
        if (u.password && strlen(u.password) >= 4 && count(text, u.password) == 1 &&
            strstr(u.redacted, u.password) != NULL)
            abort();
    }
    rt_url_free(&u);
    jy_diags_free(&d);
    free(text);
    return 0;
}
