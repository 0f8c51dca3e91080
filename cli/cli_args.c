/*
 * cli_args.c - the table-driven command line: parsing, `--help` of every
 * command, the program listing, `--version`, and the dispatch.
 *
 * Grammar: PROG [--help|-h|--version|help [CMD]] | PROG CMD [ARGS] [FLAGS].
 * Flags may come anywhere after the command; `--name=value` or
 * `--name value` for flags that take a value; `--` ends the flags.  Every
 * command also accepts -h/--help and --no-color.
 */
#include "cli_int.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const cli_flag common_flags[] = {
    {"no-color", CLI_BOOL, NULL, "never color the output (NO_COLOR=1 does the same)"},
    {"help", CLI_BOOL, NULL, "show this help and exit"},
    {NULL, CLI_BOOL, NULL, NULL},
};

static size_t nflags(const cli_cmd *cmd)
{
    size_t n = 0;
    while (cmd->flags && cmd->flags[n].name)
        n++;
    return n;
}

static int flag_index(const cli_cmd *cmd, const char *name)
{
    for (size_t i = 0; cmd->flags && cmd->flags[i].name; i++)
        if (strcmp(cmd->flags[i].name, name) == 0)
            return (int)i;
    return -1;
}

bool cli_has(const cli_args *a, const char *flag)
{
    int i = flag_index(a->cmd, flag);
    return i >= 0 && a->opts[i].set;
}

const char *cli_str(const cli_args *a, const char *flag)
{
    int i = flag_index(a->cmd, flag);
    return i >= 0 && a->opts[i].set ? a->opts[i].value : NULL;
}

const char *const *cli_list(const cli_args *a, const char *flag, size_t *n)
{
    int i = flag_index(a->cmd, flag);
    if (i < 0 || !a->opts[i].set) {
        *n = 0;
        return NULL;
    }
    *n = a->opts[i].n;
    return a->opts[i].values;
}

static void args_free(cli_args *a)
{
    for (size_t i = 0; i < a->nopts; i++)
        free(a->opts[i].values);
    free(a->opts);
    free(a->pos);
    memset(a, 0, sizeof *a);
}

/* ------------------------------------------------------------------ help */

static void flag_usage(char *buf, size_t n, const cli_flag *f)
{
    if (f->kind == CLI_BOOL)
        snprintf(buf, n, "--%s", f->name);
    else
        snprintf(buf, n, "--%s=%s%s", f->name, f->metavar ? f->metavar : "V",
                 f->kind == CLI_LIST ? " ..." : "");
}

static void print_flag(cli_ctx *c, FILE *out, const cli_flag *f, bool short_h)
{
    char u[64];
    flag_usage(u, sizeof u, f);
    char left[80];
    snprintf(left, sizeof left, "%s%s", short_h ? "-h, " : "", u);
    fprintf(out, "  %s%-26s%s %s\n", cli_bold(c), left, cli_reset(c), f->help);
}

/* `PROG CMD --help`: usage, text, arguments, flags. */
static void print_cmd_help(cli_ctx *c, const cli_cmd *cmd)
{
    FILE *out = c->out;
    fprintf(out, "usage: %s %s%s%s%s\n\n", c->prog->name, cmd->name, nflags(cmd) ? " [options]" : "",
            cmd->usage && *cmd->usage ? " " : "", cmd->usage ? cmd->usage : "");
    fprintf(out, "%s\n", cmd->summary);
    if (cmd->help)
        fprintf(out, "\n%s\n", cmd->help);
    if (!cmd->run)
        fprintf(out, "\nNot implemented yet: this command answers with exit code 1.%s%s\n",
                cmd->later ? " " : "", cmd->later ? cmd->later : "");
    fprintf(out, "\noptions:\n");
    for (size_t i = 0; cmd->flags && cmd->flags[i].name; i++)
        print_flag(c, out, &cmd->flags[i], false);
    print_flag(c, out, &common_flags[0], false);
    print_flag(c, out, &common_flags[1], true);
}

/* `PROG --help`: every command with its summary, then the exit codes. */
static void print_prog_help(cli_ctx *c, FILE *out)
{
    const cli_prog *p = c->prog;
    fprintf(out, "%s %s - %s\n\n", p->name, JORYU_VERSION, p->summary);
    fprintf(out, "usage: %s <command> [options] [arguments]\n\ncommands:\n", p->name);
    size_t w = 0;
    for (size_t i = 0; i < p->ncmds; i++)
        if (strlen(p->cmds[i].name) > w)
            w = strlen(p->cmds[i].name);
    for (size_t i = 0; i < p->ncmds; i++)
        fprintf(out, "  %s%-*s%s  %s%s\n", cli_bold(c), (int)w, p->cmds[i].name, cli_reset(c),
                p->cmds[i].summary, p->cmds[i].run ? "" : " (not implemented yet)");
    fprintf(out,
            "\nRun '%s <command> --help' for the options of a command.\n"
            "Global options: --help, --version, --no-color (NO_COLOR=1 does the same).\n"
            "\nexit codes:\n"
            "  0  success\n"
            "  1  error: compile error, bad arguments, missing files\n"
            "  2  a migration step failed\n"
            "  3  paused (signal, --max-duration)\n"
            "  4  verification failed: conflict, checksum mismatch\n"
            "  5  refused by the production guard (pass --allow-prod)\n"
            "  6  a type used incorrectly for a targeted dialect\n",
            p->name);
}

/* ----------------------------------------------------------------- parse */

static const cli_cmd *find_cmd(const cli_prog *p, const char *name)
{
    for (size_t i = 0; i < p->ncmds; i++)
        if (strcmp(p->cmds[i].name, name) == 0)
            return &p->cmds[i];
    return NULL;
}

static int unknown_command(cli_ctx *c, const char *name)
{
    const cli_prog *p = c->prog;
    cli_error(c, "unknown command '%s'", name);
    for (size_t i = 0; p->foreign && p->foreign[i]; i++) {
        const char *colon = strchr(p->foreign[i], ':');
        if (colon && strlen(name) == (size_t)(colon - p->foreign[i]) &&
            strncmp(name, p->foreign[i], strlen(name)) == 0) {
            cli_hint(c, "'%s' is a command of %s: run '%s %s'", name, colon + 1, colon + 1, name);
            return JY_EXIT_ERROR;
        }
    }
    const char *cands[64];
    size_t n = 0;
    for (size_t i = 0; i < p->ncmds && n < JY_COUNTOF(cands); i++)
        cands[n++] = p->cmds[i].name;
    const char *close = jy_closest(name, strlen(name), cands, n);
    if (close)
        cli_hint(c, "did you mean '%s'? Run '%s --help' for the list of commands", close, p->name);
    else
        cli_hint(c, "run '%s --help' for the list of commands", p->name);
    return JY_EXIT_ERROR;
}

static int unknown_flag(cli_ctx *c, const cli_cmd *cmd, const char *arg)
{
    const char *name = arg[1] == '-' ? arg + 2 : arg + 1;
    size_t nl = strcspn(name, "=");
    cli_error(c, "unknown option '%.*s'",
              (int)(nl + (size_t)(name - arg)), arg);
    const char *cands[64];
    size_t n = 0;
    for (size_t i = 0; cmd->flags && cmd->flags[i].name && n < JY_COUNTOF(cands) - 2; i++)
        cands[n++] = cmd->flags[i].name;
    cands[n++] = "no-color";
    cands[n++] = "help";
    const char *close = jy_closest(name, nl, cands, n);
    if (close)
        cli_hint(c, "did you mean '--%s'? Run '%s %s --help' for its options", close,
                 c->prog->name, cmd->name);
    else
        cli_hint(c, "run '%s %s --help' for its options", c->prog->name, cmd->name);
    return JY_EXIT_ERROR;
}

static bool push_value(cli_opt *o, const char *v)
{
    const char **nv = realloc(o->values, (o->n + 1) * sizeof *nv);
    if (!nv)
        return false;
    o->values = nv;
    o->values[o->n++] = v;
    o->value = v;
    return true;
}

/*
 * Parse argv[i..argc) for cmd into a (allocated here; args_free).  Returns
 * 0 (*want_help set when -h/--help was among the flags), or -1 on a usage
 * error (message printed).
 */
static int parse_cmd(cli_ctx *c, const cli_cmd *cmd, int argc, char **argv, int i, cli_args *a,
                     bool *want_help)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->nopts = nflags(cmd);
    a->opts = calloc(a->nopts + 1, sizeof *a->opts);
    a->pos = calloc((size_t)argc + 1, sizeof *a->pos);
    if (!a->opts || !a->pos) {
        cli_error(c, "out of memory");
        return -1;
    }
    bool flags_done = false;
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (flags_done || arg[0] != '-' || arg[1] == 0) {
            a->pos[a->npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            flags_done = true;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            *want_help = true;
            continue;
        }
        if (strcmp(arg, "--no-color") == 0) {
            c->color_out = c->color_err = false;
            continue;
        }
        if (strcmp(arg, "-o") == 0 && flag_index(cmd, "output") >= 0)
            arg = "--output"; /* the one short flag: build -o FILE.jyb */
        if (arg[1] != '-') {
            unknown_flag(c, cmd, arg);
            return -1;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t nl = eq ? (size_t)(eq - name) : strlen(name);
        int fi = -1;
        for (size_t k = 0; k < a->nopts; k++)
            if (strlen(cmd->flags[k].name) == nl && strncmp(cmd->flags[k].name, name, nl) == 0)
                fi = (int)k;
        if (fi < 0) {
            unknown_flag(c, cmd, arg);
            return -1;
        }
        const cli_flag *f = &cmd->flags[fi];
        cli_opt *o = &a->opts[fi];
        if (f->kind == CLI_BOOL) {
            if (eq) {
                cli_error(c, "--%s takes no value", f->name);
                return -1;
            }
            o->set = true;
            continue;
        }
        const char *val;
        if (eq) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            cli_error(c, "--%s needs a value", f->name);
            cli_hint(c, "write --%s=%s", f->name, f->metavar ? f->metavar : "VALUE");
            return -1;
        }
        if (!*val) {
            cli_error(c, "--%s needs a non-empty value",
                      f->name);
            return -1;
        }
        if (f->kind == CLI_STR && o->set) {
            cli_error(c, "--%s given twice", f->name);
            return -1;
        }
        o->set = true;
        if (!push_value(o, val)) {
            cli_error(c, "out of memory");
            return -1;
        }
    }
    return 0;
}

static bool want_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc)
        return false;
    const char *term = getenv("TERM");
    if (term && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(f)) == 1;
}

int cli_main(const cli_prog *prog, int argc, char **argv)
{
    rt_process_init();
    cli_ctx c = {.prog = prog, .out = stdout, .err = stderr};
    c.color_out = want_color(stdout);
    c.color_err = want_color(stderr);
    /* program-level flags before the command */
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--no-color") == 0) {
            c.color_out = c.color_err = false;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_prog_help(&c, stdout);
            return JY_EXIT_OK;
        } else if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
            printf("%s %s\n", prog->name, JORYU_VERSION);
            return JY_EXIT_OK;
        } else {
            cli_error(&c, "unknown option '%s'", argv[i]);
            cli_hint(&c, "options go after the command: '%s <command> [options]'; "
                         "run '%s --help'", prog->name, prog->name);
            return JY_EXIT_ERROR;
        }
    }
    if (i >= argc) {
        print_prog_help(&c, stderr);
        fprintf(stderr, "\n");
        cli_error(&c, "no command given");
        return JY_EXIT_ERROR;
    }
    const char *name = argv[i++];
    if (strcmp(name, "help") == 0) {
        if (i >= argc) {
            print_prog_help(&c, stdout);
            return JY_EXIT_OK;
        }
        const cli_cmd *hc = find_cmd(prog, argv[i]);
        if (!hc)
            return unknown_command(&c, argv[i]);
        c.cmd = hc;
        print_cmd_help(&c, hc);
        return JY_EXIT_OK;
    }
    const cli_cmd *cmd = find_cmd(prog, name);
    if (!cmd)
        return unknown_command(&c, name);
    c.cmd = cmd;
    cli_args a;
    bool help = false;
    int rc = parse_cmd(&c, cmd, argc, argv, i, &a, &help);
    if (rc != 0) {
        args_free(&a);
        return JY_EXIT_ERROR;
    }
    if (help) {
        print_cmd_help(&c, cmd);
        args_free(&a);
        return JY_EXIT_OK;
    }
    if (a.npos < cmd->min_args || (cmd->max_args != CLI_MANY && a.npos > cmd->max_args)) {
        if (a.npos < cmd->min_args)
            cli_error(&c, "missing argument %s",
                      cmd->usage ? cmd->usage : "");
        else
            cli_error(&c, "unexpected argument '%s'",
                      a.pos[cmd->max_args]);
        cli_hint(&c, "usage: %s %s%s%s; run '%s %s --help'", prog->name, cmd->name,
                 cmd->usage && *cmd->usage ? " " : "", cmd->usage ? cmd->usage : "", prog->name,
                 cmd->name);
        args_free(&a);
        return JY_EXIT_ERROR;
    }
    if (!cmd->run) {
        cli_error(&c, "not implemented yet");
        if (cmd->later)
            cli_hint(&c, "%s", cmd->later);
        args_free(&a);
        return JY_EXIT_ERROR;
    }
    rc = cmd->run(&c, &a);
    args_free(&a);
    fflush(stdout);
    if (ferror(stdout)) {
        cli_error(&c, "cannot write the output");
        return JY_EXIT_ERROR;
    }
    return rc;
}
