/* diag.c - diagnostics as values, printed in one format. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

void jy_diags_init(jy_diags *d)
{
    memset(d, 0, sizeof *d);
}

void jy_diags_free(jy_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].where);
        free(d->v[i].message);
        free(d->v[i].hint);
    }
    free(d->v);
    for (size_t i = 0; i < d->nkept; i++) {
        jy_source_free(d->kept[i]);
        free(d->kept[i]);
    }
    free(d->kept);
    memset(d, 0, sizeof *d);
}

bool jy_diags_keep(jy_diags *d, jy_source *src)
{
    size_t n = d->nkept;
    if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) { /* capacity 4, 8, 16, ... */
        jy_source **v = realloc(d->kept, (n ? n * 2 : 4) * sizeof *v);
        if (!v)
            return false;
        d->kept = v;
    }
    d->kept[d->nkept++] = src;
    return true;
}

static char *vfmt(const char *fmt, va_list ap)
{
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_vprintf(&b, fmt, ap);
    if (b.failed) {
        jy_buf_free(&b);
        return NULL;
    }
    return jy_buf_take(&b);
}

static jy_diag *push(jy_diags *d, jy_severity sev, int exit_code, const char *code)
{
    size_t max = d->max_errors ? d->max_errors : 1000;
    if (sev == JY_SEV_ERROR) {
        d->nerrors++;
        if (exit_code > d->exit_code)
            d->exit_code = exit_code;
        if (d->nerrors > max)
            return NULL;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        jy_diag *v = realloc(d->v, cap * sizeof *v);
        if (!v)
            return NULL;
        d->v = v;
        d->cap = cap;
    }
    jy_diag *g = &d->v[d->n++];
    memset(g, 0, sizeof *g);
    g->code = code;
    g->sev = sev;
    g->exit_code = exit_code;
    return g;
}

jy_diag *jy_diag_vat(jy_diags *d, jy_severity sev, int exit_code, const char *code,
                     jy_source *src, size_t offset, size_t end, const char *fmt, va_list ap)
{
    jy_diag *g = push(d, sev, exit_code, code);
    if (!g)
        return NULL;
    g->src = src;
    g->offset = offset;
    g->end = end < offset ? offset : end;
    g->message = vfmt(fmt, ap);
    return g;
}

jy_diag *jy_diag_at(jy_diags *d, jy_severity sev, int exit_code, const char *code,
                    jy_source *src, size_t offset, size_t end, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jy_diag *g = jy_diag_vat(d, sev, exit_code, code, src, offset, end, fmt, ap);
    va_end(ap);
    return g;
}

jy_diag *jy_diag_where(jy_diags *d, jy_severity sev, int exit_code, const char *code,
                       const char *where, const char *fmt, ...)
{
    jy_diag *g = push(d, sev, exit_code, code);
    if (!g)
        return NULL;
    if (where) {
        size_t n = strlen(where);
        g->where = malloc(n + 1);
        if (g->where)
            memcpy(g->where, where, n + 1);
    }
    va_list ap;
    va_start(ap, fmt);
    g->message = vfmt(fmt, ap);
    va_end(ap);
    return g;
}

void jy_diag_hint(jy_diag *g, const char *fmt, ...)
{
    if (!g)
        return;
    free(g->hint);
    va_list ap;
    va_start(ap, fmt);
    g->hint = vfmt(fmt, ap);
    va_end(ap);
}

bool jy_diags_has(const jy_diags *d, const char *code, const jy_source *src, size_t offset)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].src == src && d->v[i].offset == offset && d->v[i].code && code &&
            strcmp(d->v[i].code, code) == 0)
            return true;
    return false;
}

static const char *sev_name(jy_severity s)
{
    switch (s) {
    case JY_SEV_ERROR: return "error";
    case JY_SEV_WARNING: return "warning";
    default: return "note";
    }
}

static int cmp_diag(const void *pa, const void *pb)
{
    const jy_diag *a = *(const jy_diag *const *)pa, *b = *(const jy_diag *const *)pb;
    const char *fa = a->src ? a->src->path : (a->where ? a->where : "");
    const char *fb = b->src ? b->src->path : (b->where ? b->where : "");
    int c = strcmp(fa, fb);
    if (c)
        return c;
    if (a->offset != b->offset)
        return a->offset < b->offset ? -1 : 1;
    return a < b ? -1 : (a > b);
}

/* Print the source line and a caret run under [offset, end) (clipped to the line). */
static void print_excerpt(FILE *out, jy_diag *g, unsigned line, unsigned col, bool color)
{
    size_t len;
    const char *text = jy_source_line(g->src, line, &len);
    char num[16];
    int w = snprintf(num, sizeof num, "%u", line);
    size_t start = col - 1;
    /* A long line shows a window of EXCERPT_WIDTH bytes around the caret,
     * cut on UTF-8 boundaries and marked with "..." where cut. */
    enum { EXCERPT_WIDTH = 160, EXCERPT_BEFORE = 60 };
    size_t from = 0, to = len;
    if (len > EXCERPT_WIDTH) {
        from = start > EXCERPT_BEFORE ? start - EXCERPT_BEFORE : 0;
        while (from > 0 && ((unsigned char)text[from] & 0xC0) == 0x80)
            from--;
        to = from + EXCERPT_WIDTH < len ? from + EXCERPT_WIDTH : len;
        while (to < len && to > from && ((unsigned char)text[to] & 0xC0) == 0x80)
            to--;
    }
    const char *pre = from > 0 ? "..." : "", *post = to < len ? "..." : "";
    fprintf(out, " %s | %s%.*s%s\n", num, pre, (int)(to - from), text + from, post);
    fprintf(out, " %*s | %s", w, "", from > 0 ? "   " : "");
    for (size_t i = from; i < start && i < to; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c & 0xC0) == 0x80)
            continue; /* UTF-8 continuation: no column of its own */
        fputc(c == '\t' ? '\t' : ' ', out);
    }
    if (color)
        fputs("\033[1;32m", out);
    fputc('^', out);
    size_t span = g->end > g->offset ? g->end - g->offset : 1;
    for (size_t i = start + 1; i < start + span && i < to; i++)
        if (((unsigned char)text[i] & 0xC0) != 0x80)
            fputc('~', out);
    if (color)
        fputs("\033[0m", out);
    fputc('\n', out);
}

void jy_diags_print(jy_diags *d, FILE *out, bool color)
{
    if (!d->n)
        return;
    jy_diag **order = malloc(d->n * sizeof *order);
    if (!order)
        return;
    for (size_t i = 0; i < d->n; i++)
        order[i] = &d->v[i];
    qsort(order, d->n, sizeof *order, cmp_diag);
    for (size_t i = 0; i < d->n; i++) {
        jy_diag *g = order[i];
        const char *sc = g->sev == JY_SEV_ERROR ? "\033[1;31m"
                         : g->sev == JY_SEV_WARNING ? "\033[1;35m" : "\033[1;36m";
        if (g->src) {
            unsigned line, col;
            jy_source_linecol(g->src, g->offset, &line, &col);
            fprintf(out, "%s%s:%u:%u:%s %s%s:%s %s\n", color ? "\033[1m" : "", g->src->path,
                    line, col, color ? "\033[0m" : "", color ? sc : "", sev_name(g->sev),
                    color ? "\033[0m" : "", g->message ? g->message : "(out of memory)");
            print_excerpt(out, g, line, col, color);
        } else {
            fprintf(out, "%s%s:%s %s%s:%s %s\n", color ? "\033[1m" : "",
                    g->where ? g->where : "joryu", color ? "\033[0m" : "", color ? sc : "",
                    sev_name(g->sev), color ? "\033[0m" : "",
                    g->message ? g->message : "(out of memory)");
        }
        if (g->hint)
            fprintf(out, "%shint:%s %s\n", color ? "\033[1;36m" : "", color ? "\033[0m" : "",
                    g->hint);
    }
    size_t max = d->max_errors ? d->max_errors : 1000;
    if (d->nerrors > max)
        fprintf(out, "(%zu more errors not shown)\n", d->nerrors - max);
    free(order);
}

void jy_diags_move(jy_diags *dst, jy_diags *src)
{
    for (size_t i = 0; i < src->n; i++) {
        jy_diag *g = &src->v[i];
        jy_diag *h = NULL;
        if (!(g->src && jy_diags_has(dst, g->code, g->src, g->offset)))
            h = push(dst, g->sev, g->exit_code, g->code);
        if (!h) {
            free(g->where);
            free(g->message);
            free(g->hint);
            continue;
        }
        *h = *g;
    }
    for (size_t i = 0; i < src->nkept; i++)
        if (!jy_diags_keep(dst, src->kept[i])) {
            jy_source_free(src->kept[i]);
            free(src->kept[i]);
        }
    free(src->v);
    free(src->kept);
    src->v = NULL;
    src->kept = NULL;
    src->n = src->cap = src->nerrors = src->nkept = 0;
    src->exit_code = 0;
}
