/* buf.c - growable byte buffers. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

void jy_buf_init(jy_buf *b)
{
    memset(b, 0, sizeof *b);
}

void jy_buf_free(jy_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void jy_buf_reset(jy_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
}

static bool reserve(jy_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool jy_buf_append(jy_buf *b, const void *p, size_t n)
{
    if (!reserve(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return true;
}

bool jy_buf_puts(jy_buf *b, const char *s)
{
    return jy_buf_append(b, s, strlen(s));
}

bool jy_buf_putc(jy_buf *b, char c)
{
    return jy_buf_append(b, &c, 1);
}

bool jy_buf_vprintf(jy_buf *b, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0 || !reserve(b, (size_t)n))
        return false;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return true;
}

bool jy_buf_printf(jy_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = jy_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return ok;
}

char *jy_buf_take(jy_buf *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    memset(b, 0, sizeof *b);
    return p;
}
