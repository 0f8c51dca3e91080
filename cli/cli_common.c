/*
 * cli_common.c - messages, colors, joryu.toml for commands, --dialect.
 * Shared by the three programs; calls no frontend code.
 */
#include "cli_int.h"

#include <stdlib.h>
#include <string.h>

#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_CYAN "\033[1;36m"
#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"

const char *cli_bold(const cli_ctx *c)
{
    return c->color_out ? C_BOLD : "";
}

const char *cli_reset(const cli_ctx *c)
{
    return c->color_out ? C_RESET : "";
}

static void vmsg(cli_ctx *c, const char *label, const char *color, const char *fmt, va_list ap)
{
    FILE *f = c->err ? c->err : stderr;
    /* "joryu generate: error: ..." once a command is known */
    fprintf(f, "%s%s%s: ", c->prog->name, c->cmd ? " " : "", c->cmd ? c->cmd->name : "");
    if (c->color_err)
        fprintf(f, "%s%s:%s ", color, label, C_RESET);
    else
        fprintf(f, "%s: ", label);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
}

void cli_error(cli_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(c, "error", C_RED, fmt, ap);
    va_end(ap);
}

void cli_warn(cli_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(c, "warning", C_YELLOW, fmt, ap);
    va_end(ap);
}

void cli_hint(cli_ctx *c, const char *fmt, ...)
{
    FILE *f = c->err ? c->err : stderr;
    va_list ap;
    va_start(ap, fmt);
    fprintf(f, "%shint:%s ", c->color_err ? C_CYAN : "", c->color_err ? C_RESET : "");
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    va_end(ap);
}

void cli_print_diags(cli_ctx *c, jy_diags *d)
{
    jy_diags_print(d, c->err ? c->err : stderr, c->color_err);
}

int cli_load_config(cli_ctx *c, rt_config *cfg, bool required)
{
    jy_diags d;
    jy_diags_init(&d);
    int rc = rt_config_load(CLI_CONFIG_FILE, cfg, &d);
    cli_print_diags(c, &d);
    jy_diags_free(&d);
    if (rc < 0) {
        cli_hint(c, "fix %s (see docs: joryu.toml), then run the command again", CLI_CONFIG_FILE);
        return -1;
    }
    if (rc == 1 && required) {
        cli_error(c, "no %s here: run `joryu init` to create a project in this folder",
                  CLI_CONFIG_FILE);
        cli_hint(c, "or run %s from the folder that holds %s", c->prog->name, CLI_CONFIG_FILE);
        return -1;
    }
    return 0;
}

static const char *const dialect_cands[] = {"postgresql", "mysql", "mariadb", "sqlite"};

int cli_dialects(cli_ctx *c, const cli_args *a, const char *flag, ir_dmask fallback,
                 ir_dmask *mask)
{
    size_t n;
    const char *const *v = cli_list(a, flag, &n);
    if (n == 0) {
        *mask = fallback;
        return 0;
    }
    ir_dmask m = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = v[i];
        while (*s) { /* comma-separated lists are allowed */
            size_t len = strcspn(s, ",");
            ir_dialect dl;
            if (len == 0) {
                s++;
                continue;
            }
            if (!ir_dialect_parse(s, len, &dl)) {
                cli_error(c, "unknown dialect '%.*s' in --%s", (int)len, s, flag);
                const char *close = jy_closest(s, len, dialect_cands, JY_COUNTOF(dialect_cands));
                if (close)
                    cli_hint(c, "did you mean '%s'? joryu knows postgresql, mysql, mariadb, "
                                "sqlite", close);
                else
                    cli_hint(c, "joryu knows postgresql, mysql, mariadb and sqlite");
                return -1;
            }
            m |= IR_DMASK(dl);
            s += len;
        }
    }
    if (!m) {
        cli_error(c, "--%s names no dialect", flag);
        return -1;
    }
    *mask = m;
    return 0;
}
