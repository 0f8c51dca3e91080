/* source.c - source files read whole, with a lazily built line table. */
#include "base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

int jy_source_load(jy_source *src, const char *path, jy_diags *d)
{
    memset(src, 0, sizeof *src);
    struct stat st;
    if (stat(path, &st) != 0) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.open", path, "cannot read %s: %s",
                      path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.directory", path,
                      "%s is a directory, not a migration file", path);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.not-regular", path,
                      "%s is not a regular file", path);
        return -1;
    }
    if ((unsigned long long)st.st_size > JY_SOURCE_MAX_BYTES) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.too-large", path,
                      "%s is %lld bytes; a migration file may be at most %u bytes", path,
                      (long long)st.st_size, JY_SOURCE_MAX_BYTES);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.open", path, "cannot read %s: %s",
                      path, strerror(errno));
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, len = 0;
    char *text = malloc(cap + 1);
    if (!text) {
        fclose(f);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.memory", path, "out of memory reading %s",
                      path);
        return -1;
    }
    for (;;) {
        size_t got = fread(text + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
        if (len == cap) {
            if (cap > JY_SOURCE_MAX_BYTES)
                break;
            char *p = realloc(text, cap * 2 + 1);
            if (!p)
                break;
            text = p;
            cap *= 2;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(text);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.read", path, "error reading %s", path);
        return -1;
    }
    if (len > JY_SOURCE_MAX_BYTES) {
        free(text);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.too-large", path,
                      "%s is larger than %u bytes, the most a migration file may be", path,
                      JY_SOURCE_MAX_BYTES);
        return -1;
    }
    text[len] = 0;
    if (memchr(text, 0, len)) {
        free(text);
        jy_diag_where(d, JY_SEV_ERROR, JY_EXIT_ERROR, "io.binary", path,
                      "%s holds a NUL byte: it is a binary file, not a migration", path);
        return -1;
    }
    src->path = xstrdup(path);
    if (!src->path) {
        free(text);
        return -1;
    }
    src->text = text;
    src->len = len;
    return 0;
}

int jy_source_from_memory(jy_source *src, const char *name, const char *data, size_t len)
{
    memset(src, 0, sizeof *src);
    src->path = xstrdup(name);
    src->text = malloc(len + 1);
    if (!src->path || !src->text) {
        jy_source_free(src);
        return -1;
    }
    if (len)
        memcpy(src->text, data, len);
    src->text[len] = 0;
    src->len = len;
    return 0;
}

void jy_source_free(jy_source *src)
{
    if (!src)
        return;
    free(src->path);
    free(src->text);
    free(src->line_starts);
    memset(src, 0, sizeof *src);
}

/* Lines end at \n, \r\n or a lone \r. */
static bool build_lines(jy_source *src)
{
    if (src->line_starts)
        return true;
    size_t n = 1;
    for (size_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n' || (src->text[i] == '\r' && src->text[i + 1] != '\n'))
            n++;
    uint32_t *ls = malloc(n * sizeof *ls);
    if (!ls)
        return false;
    size_t k = 0;
    ls[k++] = 0;
    for (size_t i = 0; i < src->len; i++)
        if (src->text[i] == '\n' || (src->text[i] == '\r' && src->text[i + 1] != '\n'))
            ls[k++] = (uint32_t)(i + 1);
    src->line_starts = ls;
    src->nlines = n;
    return true;
}

void jy_source_linecol(jy_source *src, size_t offset, unsigned *line, unsigned *col)
{
    *line = 1;
    *col = (unsigned)offset + 1;
    if (offset > src->len)
        offset = src->len;
    if (!build_lines(src))
        return;
    size_t lo = 0, hi = src->nlines;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (src->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    *line = (unsigned)lo + 1;
    *col = (unsigned)(offset - src->line_starts[lo]) + 1;
}

const char *jy_source_line(jy_source *src, unsigned line, size_t *len)
{
    *len = 0;
    if (!build_lines(src) || line == 0 || line > src->nlines)
        return "";
    size_t s = src->line_starts[line - 1];
    size_t e = s;
    while (e < src->len && src->text[e] != '\n' && src->text[e] != '\r')
        e++;
    *len = e - s;
    return src->text + s;
}
