/*
 * test_invalid_corpus.c - the invalid-file corpus runner.
 *
 * Every tests/invalid/ file (*.py) starts with header comments naming every
 * diagnostic the compiler must print for it, in output order, and the exit
 * code:
 *     # EXPECT: 7:12: error: unterminated string literal
 *     # EXIT: 1
 * Each file is compiled alone (fe_compile, single-file mode); the header
 * lines of jy_diags_print's output (`path:LINE:COL: SEV: MSG`, compared
 * without the `path:` prefix; `where: SEV: MSG` when there is no position)
 * must equal the EXPECT lines, and d.exit_code the EXIT code.  Every
 * mismatch is printed (file, expected, got) before the test fails.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend.h"

#define MAXLINES 64

typedef struct lines {
    char *v[MAXLINES];
    size_t n;
    bool overflow;
} lines;

static void lines_add(lines *l, const char *s, size_t n)
{
    if (l->n == MAXLINES) {
        l->overflow = true;
        return;
    }
    char *c = malloc(n + 1);
    assert_non_null(c);
    memcpy(c, s, n);
    c[n] = 0;
    l->v[l->n++] = c;
}

static void lines_free(lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    l->n = 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    jy_buf b;
    jy_buf_init(&b);
    char tmp[4096];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        jy_buf_append(&b, tmp, k);
    fclose(f);
    *len = b.len;
    return jy_buf_take(&b);
}

/* Parse the `# EXPECT:` / `# EXIT:` header (leading comment lines only). */
static int read_header(const char *text, lines *expect, int *exit_code)
{
    *exit_code = -1;
    const char *p = text;
    while (*p == '#') {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n > 10 && strncmp(p, "# EXPECT: ", 10) == 0)
            lines_add(expect, p + 10, n - 10);
        else if (n > 8 && strncmp(p, "# EXIT: ", 8) == 0)
            *exit_code = atoi(p + 8);
        if (!e)
            break;
        p = e + 1;
    }
    return *exit_code >= 0 ? 0 : -1;
}

/* The header lines of the printed diagnostics, `path:` stripped. */
static void printed_headers(jy_diags *d, const char *path, lines *got)
{
    char *out = NULL;
    size_t outlen = 0;
    FILE *f = open_memstream(&out, &outlen);
    assert_non_null(f);
    jy_diags_print(d, f, false);
    fclose(f);
    size_t plen = strlen(path);
    for (char *p = out; p && *p;) {
        char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        /* excerpt lines start with a space; hints with "hint:" */
        if (n && p[0] != ' ' && strncmp(p, "hint:", 5) != 0) {
            if (n > plen && strncmp(p, path, plen) == 0 && p[plen] == ':')
                lines_add(got, p + plen + 1, n - plen - 1);
            else
                lines_add(got, p, n);
        }
        if (!e)
            break;
        p = e + 1;
    }
    free(out);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Check one file; prints every difference (when verbose) and returns the
 * number found. */
static int check_file(const char *path, bool verbose)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    if (!text) {
        if (verbose)
            print_error("%s: cannot read\n", path);
        return 1;
    }
    lines expect = {0}, got = {0};
    int want_exit;
    int bad = 0;
    if (read_header(text, &expect, &want_exit) != 0 || expect.n == 0) {
        if (verbose)
            print_error("%s: no '# EXPECT:' / '# EXIT:' header\n", path);
        bad++;
    }
    fe_options opt;
    fe_options_init(&opt);
    opt.single_file = true;
    jy_diags d;
    jy_diags_init(&d);
    ir_program *prog = NULL;
    const char *paths[] = {path};
    int rc = fe_compile(paths, 1, &opt, &prog, &d);
    printed_headers(&d, path, &got);
    if (rc == 0 && want_exit != 0) {
        if (verbose)
            print_error("%s: compiled without error\n", path);
        bad++;
    }
    size_t n = expect.n > got.n ? expect.n : got.n;
    for (size_t i = 0; i < n; i++) {
        const char *e = i < expect.n ? expect.v[i] : "(nothing)";
        const char *g = i < got.n ? got.v[i] : "(nothing)";
        if (strcmp(e, g) != 0) {
            if (verbose)
                print_error("%s: diagnostic %zu\n  expected: %s\n  got:      %s\n", path, i + 1,
                            e, g);
            bad++;
        }
    }
    if (d.exit_code != want_exit) {
        if (verbose)
            print_error("%s: exit code expected %d, got %d\n", path, want_exit, d.exit_code);
        bad++;
    }
    jy_diags_free(&d);
    lines_free(&expect);
    lines_free(&got);
    free(text);
    return bad;
}

static void test_invalid_corpus(void **state)
{
    (void)state;
    const char *dir = JORYU_SRC "/tests/invalid";
    DIR *dh = opendir(dir);
    assert_non_null(dh);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 4 || strcmp(de->d_name + l - 3, ".py") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
            assert_non_null(names);
        }
        names[n++] = strdup(de->d_name);
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_names);
    int bad = 0;
    size_t lexparse = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        bad += check_file(path, true);
        if (strstr(names[i], "_lex_") || strstr(names[i], "_parse_"))
            lexparse++;
        free(names[i]);
    }
    free(names);
    print_message("%zu invalid files checked (%zu lexer/parser), %d mismatches\n", n, lexparse,
                  bad);
    assert_true(lexparse >= 30);
    assert_int_equal(bad, 0);
}

/* The runner itself must notice a wrong expectation. */
static void test_runner_catches_mismatch(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/joryu_corpus_XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char path[512];
    snprintf(path, sizeof path, "%s/20260301T000000_lex_selftest.py", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# EXPECT: 3:5: error: not the real message\n# EXIT: 1\nx = $\n", f);
    fclose(f);
    assert_true(check_file(path, false) > 0);
    remove(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_runner_catches_mismatch),
        cmocka_unit_test(test_invalid_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
