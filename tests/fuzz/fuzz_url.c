/*
 * fuzz_url.c - libFuzzer target over the database URL parser
 * (rt_url_parse).  The input is one NUL-terminated URL (inputs holding a
 * NUL byte are cut there, as a C string would be).  On success the redacted
 * form must exist and must not contain a password of 4 bytes or more written
 * literally that appears nowhere else in the URL: a password never reaches
 * a message.
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

/* True when the URL begins "<scheme>://<user>:<pw>@" with user and password
 * written literally (no percent-encoding): then that is where the password
 * is, and every other occurrence of it is some other part of the URL. */
static int literal_password(const char *text, const char *user, const char *pw) {
    const char *p = strstr(text, "://");
    if (!p || !user)
        return 0;
    p += 3;
    size_t nu = strlen(user), np = strlen(pw);
    return strncmp(p, user, nu) == 0 && p[nu] == ':' && strncmp(p + nu + 1, pw, np) == 0 &&
           p[nu + 1 + np] == '@';
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
        /* A password written literally ("://user:pw@", no percent-encoding) that
         * occurs nowhere else in the URL must be gone from the redacted
         * form.  (A decoded password may legitimately equal other text:
         * "p%2F" decodes to "p/", which a query string may hold.) */
        if (u.password && strlen(u.password) >= 4 && count(text, u.password) == 1 &&
            literal_password(text, u.user, u.password) && strstr(u.redacted, u.password) != NULL)
            abort();
    }
    rt_url_free(&u);
    jy_diags_free(&d);
    free(text);
    return 0;
}
