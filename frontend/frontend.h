/*
 * frontend.h - migration files to the typed IR.
 *
 * Prefix: fe_.  The pipeline per file: lexer (grammar/lexer.re, re2c) ->
 * parser (grammar/parser.y, lemon) -> AST -> sema -> IR.  Then the checks
 * over the whole directory (ids unique, depends_on resolvable) and the
 * semantic checksums.  Nothing here prints: every problem is a diagnostic in
 * the jy_diags the caller passes.
 */
#ifndef JORYU_FRONTEND_H
#define JORYU_FRONTEND_H

#include "base.h"
#include "ir.h"

typedef struct fe_options {
    ir_dmask targets;    /* dialects to fold branches for and check types against */
    bool single_file;    /* checks that need the whole directory are skipped
                            (depends_on naming a missing id) */
    unsigned threads;    /* 0: one per core for folders of 64 files or more;
                            1: compile on the calling thread only */
} fe_options;

/* Default options: targets IR_DMASK_DEFAULT. */
void fe_options_init(fe_options *o);

/*
 * List the migration files of a directory: every regular `*.py` file directly
 * inside it except `__init__.py`, sorted by name (malloc'd array of malloc'd
 * paths "dir/name").  An empty directory yields n = 0 and status 0; a missing
 * or unreadable directory is an error.  Free with fe_free_paths.
 */
int fe_list_dir(const char *dir, char ***paths, size_t *n, jy_diags *d);
void fe_free_paths(char **paths, size_t n);

/*
 * Compile files.  Each path may be a file or a directory (expanded with
 * fe_list_dir).  On success returns 0 and *out holds the program (migrations
 * sorted by id, checksums filled); on any error returns -1, *out is NULL and
 * d holds every error found (several per file where recovery allows).
 * d->exit_code says 1 (compile error) or 6 (unsupported type usage).
 */
int fe_compile(const char *const *paths, size_t npaths, const fe_options *opt, ir_program **out,
               jy_diags *d);

/* Compile one file held in memory (fuzzing, tests, editors): name is used
 * for diagnostics and for the id = file-stem rule. */
int fe_compile_memory(const char *name, const char *text, size_t len, const fe_options *opt,
                      ir_program **out, jy_diags *d);

#endif /* JORYU_FRONTEND_H */
