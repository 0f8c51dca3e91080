/*
 * arena.c - bump allocation in chunks, freed in one call.
 *
 * Chunks come from calloc and bytes are handed out once (nothing is ever
 * given back to a chunk), so every allocation is zero already: there is no
 * memset per allocation.  calloc clears only what it recycles; fresh pages
 * from the system (every big block, and a new heap's top) come zeroed by
 * the kernel, untouched until written.
 */
#include "base.h"

#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16u
#define ARENA_CHUNK (64u * 1024u)
/* An arena's first chunk; each next one is as big as all before it, up to
 * ARENA_CHUNK.  A small arena (a lexer's, one replayed schema's: hundreds
 * per compile) then clears 2 KiB of recycled heap, not 64 KiB: a cold
 * `joryu apply` of 100 migrations spent a fifth of its instructions in
 * calloc's memset of whole chunks (issue 4). */
#define ARENA_FIRST (2u * 1024u)

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} chunk;

struct jy_arena {
    chunk *head;
    size_t reserved;
    bool failed;
};

jy_arena *jy_arena_new(void)
{
    return calloc(1, sizeof(jy_arena));
}

void jy_arena_free(jy_arena *a)
{
    if (!a)
        return;
    chunk *c = a->head;
    while (c) {
        chunk *n = c->next;
        free(c);
        c = n;
    }
    free(a);
}

void *jy_arena_alloc(jy_arena *a, size_t size)
{
    if (!a)
        return NULL;
    if (size == 0)
        size = 1;
    if (size > SIZE_MAX - ARENA_ALIGN) {
        a->failed = true;
        return NULL;
    }
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t step = a->reserved < ARENA_FIRST   ? ARENA_FIRST
                      : a->reserved < ARENA_CHUNK ? a->reserved
                                                  : ARENA_CHUNK;
        bool big = size > step / 4;
        size_t want = big ? size : step;
        if (want > SIZE_MAX - sizeof(chunk)) {
            a->failed = true;
            return NULL;
        }
        chunk *n = calloc(1, sizeof(chunk) + want);
        if (!n) {
            a->failed = true;
            return NULL;
        }
        n->size = want;
        n->used = 0;
        a->reserved += want;
        if (c && big) {
            /* A big block: keep the current chunk as the head for small ones. */
            n->next = c->next;
            c->next = n;
        } else {
            n->next = c;
            a->head = n;
        }
        c = n;
    }
    void *p = c->data + c->used;
    c->used += size;
    return p; /* zero: the chunk was calloc'd and these bytes never handed out */
}

void *jy_arena_calloc(jy_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size) {
        if (a)
            a->failed = true;
        return NULL;
    }
    return jy_arena_alloc(a, n * size);
}

void *jy_arena_grow(jy_arena *a, void *old, size_t old_n, size_t new_n, size_t size)
{
    void *p = jy_arena_calloc(a, new_n, size);
    if (p && old && old_n)
        memcpy(p, old, (old_n < new_n ? old_n : new_n) * size);
    return p;
}

char *jy_arena_strndup(jy_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX) {
        if (a)
            a->failed = true;
        return NULL;
    }
    char *p = jy_arena_alloc(a, n + 1);
    if (p && n)
        memcpy(p, s, n);
    return p;
}

char *jy_arena_strdup(jy_arena *a, const char *s)
{
    return jy_arena_strndup(a, s, strlen(s));
}

char *jy_arena_vprintf(jy_arena *a, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    char *p = NULL;
    if (n >= 0 && (p = jy_arena_alloc(a, (size_t)n + 1)) != NULL)
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *jy_arena_printf(jy_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = jy_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

bool jy_arena_failed(const jy_arena *a)
{
    return !a || a->failed;
}

size_t jy_arena_bytes(const jy_arena *a)
{
    return a ? a->reserved : 0;
}
