/*
 * base.h - what every stage of joryu shares: arenas, growable buffers,
 * source files with a line table, and diagnostics as values.
 *
 * Prefix: jy_.  Nothing here prints or exits on its own; functions that can
 * fail return a status (0 = success) and append a diagnostic to a jy_diags.
 */
#ifndef JORYU_BASE_H
#define JORYU_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define JY_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define JY_PRINTF(f, a)
#endif

#define JY_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* Exit codes of the reference §16.2, shared by all three programs. */
enum {
    JY_EXIT_OK = 0,
    JY_EXIT_ERROR = 1,       /* general / compile error / bad arguments */
    JY_EXIT_FAILED = 2,      /* a migration step failed */
    JY_EXIT_PAUSED = 3,      /* paused (signal, --max-duration) */
    JY_EXIT_VERIFY = 4,      /* verify failure: conflict, checksum mismatch */
    JY_EXIT_PROD_GUARD = 5,  /* production guard */
    JY_EXIT_UNSUPPORTED = 6  /* type used incorrectly for a targeted dialect */
};

/* ------------------------------------------------------------------ arena */

/*
 * One arena per lifetime (AST, IR, scratch): bump allocation, freed in one
 * call.  Every allocation returns zeroed memory aligned for any scalar, or
 * NULL when memory (or the size computation) fails; the arena then remembers
 * the failure (jy_arena_failed) so a caller may check once at the end.
 */
typedef struct jy_arena jy_arena;

jy_arena *jy_arena_new(void);
void jy_arena_free(jy_arena *a);
void *jy_arena_alloc(jy_arena *a, size_t size);
/* n * size with an overflow check. */
void *jy_arena_calloc(jy_arena *a, size_t n, size_t size);
/* Grow an arena array: returns a new block of new_n elements holding the old
 * old_n ones (the old block is abandoned to the arena). */
void *jy_arena_grow(jy_arena *a, void *old, size_t old_n, size_t new_n, size_t size);
char *jy_arena_strndup(jy_arena *a, const char *s, size_t n);
char *jy_arena_strdup(jy_arena *a, const char *s);
char *jy_arena_printf(jy_arena *a, const char *fmt, ...) JY_PRINTF(2, 3);
char *jy_arena_vprintf(jy_arena *a, const char *fmt, va_list ap);
bool jy_arena_failed(const jy_arena *a);
size_t jy_arena_bytes(const jy_arena *a); /* bytes reserved from the system */

/* --------------------------------------------------------------- buffers */

/* A growable byte buffer on malloc.  Always NUL-terminated when len > 0 or
 * after any append.  On allocation failure `failed` is set and later appends
 * do nothing. */
typedef struct jy_buf {
    char *data;
    size_t len, cap;
    bool failed;
} jy_buf;

void jy_buf_init(jy_buf *b);
void jy_buf_free(jy_buf *b);
void jy_buf_reset(jy_buf *b);
bool jy_buf_append(jy_buf *b, const void *p, size_t n);
bool jy_buf_puts(jy_buf *b, const char *s);
bool jy_buf_putc(jy_buf *b, char c);
bool jy_buf_printf(jy_buf *b, const char *fmt, ...) JY_PRINTF(2, 3);
bool jy_buf_vprintf(jy_buf *b, const char *fmt, va_list ap);
/* Hand the data over to the caller (malloc'd, NUL-terminated); b is reset. */
char *jy_buf_take(jy_buf *b);

/* ---------------------------------------------------------- source files */

/*
 * A source file read whole, with a terminating NUL (text[len] == 0) so the
 * lexer can use the NUL as its sentinel.  The line table is built on first
 * use; positions everywhere else are byte offsets into text.
 */
typedef struct jy_source {
    char *path;            /* as the user named it (malloc'd) */
    char *text;            /* malloc'd, len + 1 bytes */
    size_t len;
    uint32_t *line_starts; /* malloc'd on demand; line_starts[0] == 0 */
    size_t nlines;
} jy_source;

/* Largest file joryu will read, in bytes (a migration is a few KB). */
#define JY_SOURCE_MAX_BYTES (16u * 1024u * 1024u)

struct jy_diags;
/* Read a file.  Refuses (with a diagnostic, returns -1) a missing or
 * unreadable file, a directory, a file over JY_SOURCE_MAX_BYTES, and a file
 * that holds a NUL byte (binary). */
int jy_source_load(jy_source *src, const char *path, struct jy_diags *d);
/* Wrap a memory buffer (copied).  Never fails except on memory. */
int jy_source_from_memory(jy_source *src, const char *name, const char *data, size_t len);
void jy_source_free(jy_source *src);
/* 1-based line and column (column counts bytes from the line start + 1). */
void jy_source_linecol(jy_source *src, size_t offset, unsigned *line, unsigned *col);
/* The text of a 1-based line without its line terminator. */
const char *jy_source_line(jy_source *src, unsigned line, size_t *len);

/* ----------------------------------------------------------- diagnostics */

typedef enum { JY_SEV_ERROR, JY_SEV_WARNING, JY_SEV_NOTE } jy_severity;

/*
 * One diagnostic.  `src` (when not NULL) gives a position [offset, end) in a
 * source file; otherwise `where` says where in words ("joryu.toml",
 * "migration X, step 3").  `code` is a stable identifier (e.g.
 * "lex.unterminated-string") used by tests and JSON output; `exit_code` is
 * what the CLI exits with when this is the worst diagnostic (1 or 6).
 */
typedef struct jy_diag {
    const char *code;
    jy_severity sev;
    int exit_code;
    jy_source *src;
    size_t offset, end;
    char *where;   /* malloc'd or NULL */
    char *message; /* malloc'd */
    char *hint;    /* malloc'd or NULL */
} jy_diag;

typedef struct jy_diags {
    jy_diag *v;
    size_t n, cap;
    size_t nerrors;
    int exit_code; /* the highest exit_code among errors, 0 when none */
    size_t max_errors; /* stop recording after this many errors (0 = 1000) */
    jy_source **kept;  /* sources handed over by jy_diags_keep (freed by jy_diags_free) */
    size_t nkept;
} jy_diags;

void jy_diags_init(jy_diags *d);
void jy_diags_free(jy_diags *d);
/* Hand a source (malloc'd, loaded) over to d so that diagnostics pointing
 * into it stay printable after its program is freed (a failed compile).
 * false (and src untouched) when out of memory. */
bool jy_diags_keep(jy_diags *d, jy_source *src);
/* Add a diagnostic at a source position.  Returns the new diagnostic (so a
 * hint can be attached with jy_diag_hint) or NULL when out of memory or past
 * max_errors. */
jy_diag *jy_diag_at(jy_diags *d, jy_severity sev, int exit_code, const char *code,
                    jy_source *src, size_t offset, size_t end, const char *fmt, ...)
    JY_PRINTF(8, 9);
/* The same with fmt's arguments in a va_list: for a function of its own
 * that adds the code or the position and passes its arguments on. */
jy_diag *jy_diag_vat(jy_diags *d, jy_severity sev, int exit_code, const char *code,
                     jy_source *src, size_t offset, size_t end, const char *fmt, va_list ap);
/* Add a diagnostic without a source position. */
jy_diag *jy_diag_where(jy_diags *d, jy_severity sev, int exit_code, const char *code,
                       const char *where, const char *fmt, ...) JY_PRINTF(6, 7);
void jy_diag_hint(jy_diag *g, const char *fmt, ...) JY_PRINTF(2, 3);
/* True when an error with this code, source and offset is already recorded
 * (used so that one problem is reported once). */
bool jy_diags_has(const jy_diags *d, const char *code, const jy_source *src, size_t offset);
/* Move every diagnostic of src to the end of dst (one already in dst with
 * the same code and position is dropped), with the sources src keeps; src
 * is left empty (still initialized). */
void jy_diags_move(jy_diags *dst, jy_diags *src);

/*
 * Print every diagnostic in the one format of joryu:
 *   path:line:col: error: message
 *      12 |     op.add_colum("users", ...)
 *         |        ^~~~~~~~~
 *   hint: did you mean 'add_column'?
 * Diagnostics are printed sorted by file, then offset, in a stable order.
 */
void jy_diags_print(jy_diags *d, FILE *out, bool color);

/* -------------------------------------------------------------- helpers */

/* Levenshtein distance with a cap: returns cap + 1 when larger. */
size_t jy_edit_distance(const char *a, size_t an, const char *b, size_t bn, size_t cap);
/* The closest of `n` candidates to `s` (NULL when none is close enough). */
const char *jy_closest(const char *s, size_t sn, const char *const *cands, size_t n);
/* Is s one of v[0..n)? */
bool jy_str_in(const char *const *v, size_t n, const char *s);

/* SHA-256 (libcrypto) of data, as 64 lowercase hex digits + NUL. */
void jy_sha256_hex(const void *data, size_t len, char out[65]);

#endif /* JORYU_BASE_H */
