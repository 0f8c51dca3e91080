/*
 * joryu.c - the developer's CLI (reference §16): init, generate, check,
 * dump, history, show, ops, and the database commands still to come.
 * Every command and flag is declared once in the table at the end.
 */
#include "compile_cmds.h"

#include "frontend.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------ init */

/* The joryu.toml that `joryu init` writes: every key, defaults commented. */
static const char init_toml[] =
    "# joryu.toml - the joryu project file (keys: docs/SPEC.md, \"joryu.toml\").\n"
    "# Commented-out keys show their defaults.\n"
    "\n"
    "[joryu]\n"
    "# Folder of the migration files, relative to this file.\n"
    "migrations_dir = \"migrations\"\n"
    "# local | staging | production.  Anything but local makes `joryu down`\n"
    "# require --allow-prod.\n"
    "# environment = \"local\"\n"
    "\n"
    "[database]\n"
    "# sqlite:///relative.db, sqlite:////abs/path.db, sqlite::memory:,\n"
    "# postgresql://user:pass@host:port/db, mysql://..., mariadb://...,\n"
    "# or \"env:NAME\" to read the URL from the environment variable NAME.\n"
    "# --db URL and JORYU_DATABASE_URL take precedence over this key.\n"
    "url = \"sqlite:///joryu.db\"\n"
    "\n"
    "[dialects]\n"
    "# Every migration is compiled and checked for these dialects\n"
    "# (postgresql, mysql, mariadb, sqlite).\n"
    "targets = [\"postgresql\", \"mysql\", \"sqlite\"]\n"
    "# Dialects `joryu test` exercises (default: targets).\n"
    "# test_targets = [\"postgresql\", \"mysql\", \"sqlite\"]\n"
    "\n"
    "# [metadata]\n"
    "# The SQLAlchemy metadata `joryu generate` compares with.\n"
    "# target = \"myapp.models:Base.metadata\"\n"
    "\n"
    "# [generate]\n"
    "# include_schemas = [\"public\"]\n"
    "# exclude_tables = [\"spatial_ref_sys\"]\n"
    "\n"
    "# [joryu.test]\n"
    "# default_mode = \"unit\"    # unit | integration\n"
    "# integration_dialects = [\"postgresql\", \"mysql\", \"sqlite\"]\n"
    "\n"
    "# [python]\n"
    "# Interpreter for the Python helpers (SQLAlchemy exporter, Alembic importer).\n"
    "# Default: $JORYU_PYTHON, then python3 on PATH, then /usr/bin/python3.\n"
    "# interpreter = \"/usr/bin/python3\"\n";

static char *path_join(const char *dir, const char *name)
{
    jy_buf b;
    jy_buf_init(&b);
    if (dir && *dir && strcmp(dir, ".") != 0)
        jy_buf_printf(&b, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    else
        jy_buf_puts(&b, name);
    if (b.failed) {
        jy_buf_free(&b);
        return NULL;
    }
    return jy_buf_take(&b);
}

/* Write text to a new file (O_EXCL): 0, or errno. */
static int write_new_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0)
        return errno;
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            unlink(path);
            return e;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(path);
        return e;
    }
    return 0;
}

static int cmd_init(cli_ctx *c, const cli_args *a)
{
    const char *dir = a->npos ? a->pos[0] : ".";
    if (a->npos && mkdir(dir, 0777) != 0 && errno != EEXIST) {
        cli_error(c, "cannot create the folder %s: %s", dir, strerror(errno));
        return JY_EXIT_ERROR;
    }
    char *toml = path_join(dir, CLI_CONFIG_FILE);
    char *mig = path_join(dir, "migrations");
    int rc = JY_EXIT_ERROR;
    struct stat st;
    if (!toml || !mig) {
        cli_error(c, "out of memory");
    } else if (lstat(toml, &st) == 0) {
        cli_error(c, "%s already exists: joryu init does not overwrite it", toml);
        cli_hint(c, "this folder is already a joryu project; edit %s to change its settings",
                 toml);
    } else if (lstat(mig, &st) == 0) {
        cli_error(c, "%s already exists: joryu init writes nothing when it would touch it", mig);
        cli_hint(c, "to keep the existing folder, create an empty %s by hand: every key "
                    "has a default, and migrations_dir defaults to \"migrations\"",
                 toml);
    } else if (mkdir(mig, 0777) != 0) {
        cli_error(c, "cannot create %s: %s", mig, strerror(errno));
    } else {
        int e = write_new_file(toml, init_toml);
        if (e) {
            cli_error(c, "cannot write %s: %s", toml, strerror(e));
            rmdir(mig); /* leave nothing behind */
        } else {
            fprintf(c->out, "created %s\ncreated %s/\n", toml, mig);
            fprintf(c->out, "next: joryu generate \"create users\" --empty\n");
            rc = JY_EXIT_OK;
        }
    }
    free(toml);
    free(mig);
    return rc;
}

/* -------------------------------------------------------------- generate */

#define SLUG_MAX 60

/*
 * Normalize free text into a slug (reference §3.1): ASCII letters
 * lowercased, digits kept, every run of anything else one '_', no '_' at
 * either end, at most `max` bytes.  Returns the length (0: nothing left).
 */
static size_t slugify(const char *text, char *out, size_t max)
{
    size_t n = 0;
    bool pending_sep = false;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        int ch = *p;
        bool keep = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z');
        if (!keep) {
            pending_sep = n > 0;
            continue;
        }
        if (pending_sep) {
            if (n + 1 >= max)
                break;
            out[n++] = '_';
            pending_sep = false;
        }
        if (n >= max)
            break;
        out[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
    while (n > 0 && out[n - 1] == '_')
        n--;
    out[n] = 0;
    return n;
}

/* The UTC timestamp of ids: JORYU_NOW (YYYYMMDDTHHMMSS, for tests and
 * reproducible scripts) or the clock.  Returns false on a bad JORYU_NOW. */
static bool utc_stamp(char out[16])
{
    const char *now = getenv("JORYU_NOW");
    if (now && *now) {
        if (strlen(now) != 15 || now[8] != 'T')
            return false;
        for (int i = 0; i < 15; i++)
            if (i != 8 && (now[i] < '0' || now[i] > '9'))
                return false;
        memcpy(out, now, 16);
        return true;
    }
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return false;
    return strftime(out, 16, "%Y%m%dT%H%M%S", &tm) == 15;
}

/* Python string body: backslashes and double quotes escaped, control
 * characters dropped. */
static void py_escape(jy_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '\\' || ch == '"')
            jy_buf_putc(b, '\\');
        if (ch >= 0x20 && ch != 0x7f)
            jy_buf_putc(b, (char)ch);
    }
}

static char *migration_text(const char *id, const char *title)
{
    jy_buf b;
    jy_buf_init(&b);
    jy_buf_puts(&b, "\"\"\"");
    py_escape(&b, title);
    jy_buf_printf(&b,
                  "\"\"\"\n"
                  "import joryu\n"
                  "from joryu import op, types as t\n"
                  "\n"
                  "\n"
                  "@joryu.migration(id=\"%s\")\n"
                  "def upgrade():\n"
                  "    pass\n"
                  "\n"
                  "\n"
                  "@joryu.downgrade\n"
                  "def downgrade():\n"
                  "    # JORYU-DOWN-HINT: schema-impact: []\n"
                  "    # JORYU-DOWN-HINT: cross-references: []\n"
                  "    # JORYU-DOWN-HINT: data-loss-risk: none\n"
                  "    # JORYU-DOWN-HINT: requires-app-knowledge: false\n"
                  "    # JORYU-DOWN-HINT: completion-status: stub\n"
                  "    pass\n",
                  id);
    if (b.failed) {
        jy_buf_free(&b);
        return NULL;
    }
    return jy_buf_take(&b);
}

static int cmd_generate(cli_ctx *c, const cli_args *a)
{
    /* the words of the slug may come unquoted: joryu generate add users --empty */
    jy_buf title;
    jy_buf_init(&title);
    for (size_t i = 0; i < a->npos; i++)
        jy_buf_printf(&title, "%s%s", i ? " " : "", a->pos[i]);
    if (title.failed) {
        jy_buf_free(&title);
        cli_error(c, "out of memory");
        return JY_EXIT_ERROR;
    }
    const char *against = cli_str(a, "against");
    if (against && strcmp(against, "db") != 0 && strcmp(against, "replay") != 0) {
        cli_error(c, "unknown --against '%s'", against);
        cli_hint(c, "--against=db or --against=replay");
        jy_buf_free(&title);
        return JY_EXIT_ERROR;
    }
    if (!cli_has(a, "empty")) {
        cli_error(c, "generating a migration from your SQLAlchemy models is not implemented yet");
        cli_hint(c, "write the ops by hand: joryu generate \"%s\" --empty", title.data);
        jy_buf_free(&title);
        return JY_EXIT_ERROR;
    }
    char slug[SLUG_MAX + 1];
    size_t sn = slugify(title.data, slug, SLUG_MAX - 4); /* room for a _NNN suffix */
    if (sn == 0 || !(slug[0] >= 'a' && slug[0] <= 'z')) {
        if (sn == 0)
            cli_error(c, "the slug \"%s\" has no ASCII letters or digits", title.data);
        else
            cli_error(c, "the slug '%s' must start with a letter", slug);
        cli_hint(c, "describe the change in a few words, e.g. joryu generate \"add users "
                    "table\" --empty");
        jy_buf_free(&title);
        return JY_EXIT_ERROR;
    }
    rt_config cfg;
    if (cli_load_config(c, &cfg, true) != 0) {
        rt_config_free(&cfg);
        jy_buf_free(&title);
        return JY_EXIT_ERROR;
    }
    int rc = JY_EXIT_ERROR;
    char stamp[16];
    if (!utc_stamp(stamp)) {
        cli_error(c, "JORYU_NOW must be a UTC timestamp YYYYMMDDTHHMMSS");
        goto out;
    }
    const char *dir = cfg.migrations_dir;
    struct stat st;
    if (stat(dir, &st) != 0) {
        if (mkdir(dir, 0777) != 0) {
            cli_error(c, "cannot create the migrations folder %s: %s", dir, strerror(errno));
            goto out;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        cli_error(c, "%s (joryu.toml [joryu] migrations_dir) is not a folder", dir);
        goto out;
    }
    /* same-second collisions: _2, _3, ... (O_EXCL makes the choice race-free) */
    for (int k = 1; k < 1000; k++) {
        char id[16 + 1 + SLUG_MAX + 16];
        if (k == 1)
            snprintf(id, sizeof id, "%s_%s", stamp, slug);
        else
            snprintf(id, sizeof id, "%s_%s_%d", stamp, slug, k);
        jy_buf fb;
        jy_buf_init(&fb);
        jy_buf_printf(&fb, "%s.py", id);
        char *path = fb.failed ? NULL : path_join(dir, fb.data);
        jy_buf_free(&fb);
        char *text = migration_text(id, title.data);
        if (!path || !text) {
            free(path);
            free(text);
            cli_error(c, "out of memory");
            goto out;
        }
        int e = write_new_file(path, text);
        free(text);
        if (e == 0) {
            fprintf(c->out, "%s\n", path);
            free(path);
            rc = JY_EXIT_OK;
            goto out;
        }
        if (e != EEXIST) {
            cli_error(c, "cannot write %s: %s", path, strerror(e));
            free(path);
            goto out;
        }
        free(path);
    }
    cli_error(c, "999 migrations named %s_%s already exist", stamp, slug);
out:
    rt_config_free(&cfg);
    jy_buf_free(&title);
    return rc;
}

/* ------------------------------------------------------------------ show */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int print_file(cli_ctx *c, const char *path)
{
    jy_diags d;
    jy_diags_init(&d);
    jy_source src;
    if (jy_source_load(&src, path, &d) != 0) {
        cli_print_diags(c, &d);
        jy_diags_free(&d);
        return JY_EXIT_ERROR;
    }
    jy_diags_free(&d);
    fwrite(src.text, 1, src.len, c->out);
    if (src.len && src.text[src.len - 1] != '\n')
        fputc('\n', c->out);
    jy_source_free(&src);
    return JY_EXIT_OK;
}

/* `joryu show ID`: the migration's file; ID may be a unique prefix. */
static int cmd_show(cli_ctx *c, const cli_args *a)
{
    rt_config cfg;
    if (cli_load_config(c, &cfg, true) != 0) {
        rt_config_free(&cfg);
        return JY_EXIT_ERROR;
    }
    const char *id = a->pos[0];
    int rc = JY_EXIT_ERROR;
    jy_diags d;
    jy_diags_init(&d);
    char **files = NULL;
    size_t n = 0;
    if (fe_list_dir(cfg.migrations_dir, &files, &n, &d) != 0) {
        cli_print_diags(c, &d);
        cli_hint(c, "check [joryu] migrations_dir in joryu.toml");
        goto out;
    }
    const char *match = NULL;
    size_t nmatch = 0;
    const char **stems = calloc(n ? n : 1, sizeof *stems);
    char **stem_buf = calloc(n ? n : 1, sizeof *stem_buf);
    if (!stems || !stem_buf) {
        cli_error(c, "out of memory");
        free(stems);
        free(stem_buf);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const char *base = strrchr(files[i], '/');
        base = base ? base + 1 : files[i];
        size_t bl = strlen(base);
        if (ends_with(base, ".py"))
            bl -= 3;
        stem_buf[i] = malloc(bl + 1);
        if (stem_buf[i]) {
            memcpy(stem_buf[i], base, bl);
            stem_buf[i][bl] = 0;
        }
        stems[i] = stem_buf[i] ? stem_buf[i] : "";
        if (strcmp(stems[i], id) == 0) {
            match = files[i];
            nmatch = 1;
            break;
        }
        if (strncmp(stems[i], id, strlen(id)) == 0) {
            if (!nmatch++)
                match = files[i];
        }
    }
    if (nmatch == 1) {
        rc = print_file(c, match);
    } else if (nmatch > 1) {
        cli_error(c, "'%s' matches %zu migrations", id, nmatch);
        cli_hint(c, "give more of the id; `joryu history` lists them");
    } else {
        cli_error(c, "no migration '%s' in %s", id, cfg.migrations_dir);
        const char *close = jy_closest(id, strlen(id), stems, n);
        if (close)
            cli_hint(c, "did you mean '%s'?", close);
        else
            cli_hint(c, "`joryu history` lists the migrations");
    }
    for (size_t i = 0; i < n; i++)
        free(stem_buf[i]);
    free(stem_buf);
    free(stems);
out:
    fe_free_paths(files, n);
    jy_diags_free(&d);
    rt_config_free(&cfg);
    return rc;
}

/* --------------------------------------------------------------- tables */

static const cli_flag init_flags[] = {
    {NULL, CLI_BOOL, NULL, NULL},
};

static const cli_flag generate_flags[] = {
    {"empty", CLI_BOOL, NULL, "write an empty migration (required for now)"},
    {"against", CLI_STR, "db|replay", "what to compare the models with (later)"},
    {NULL, CLI_BOOL, NULL, NULL},
};

static const cli_flag snapshot_flags[] = {
    CLI_FLAG_DB,
    {"format", CLI_STR, "json|sql", "output format (default json)"},
    {"dialect", CLI_LIST, "D", "the dialect to replay for (default: the first target)"},
    {NULL, CLI_BOOL, NULL, NULL},
};

static const cli_flag test_flags[] = {
    {"unit", CLI_BOOL, NULL, "apply to in-memory SQLite twice (default)"},
    {"integration", CLI_BOOL, NULL, "apply to the databases named by URL"},
    {"dialects", CLI_LIST, "D", "dialects to test (default: joryu.toml)"},
    {"plain", CLI_BOOL, NULL, "progress as plain lines"},
    {"json", CLI_BOOL, NULL, "progress as JSON lines"},
    {"quiet", CLI_BOOL, NULL, "print only failures"},
    {NULL, CLI_BOOL, NULL, NULL},
};

static const cli_flag import_flags[] = {
    {"alembic-dir", CLI_STR, "DIR", "the Alembic folder (holds versions/)"},
    {"output-dir", CLI_STR, "DIR", "where to write the migrations"},
    {"migrate-state", CLI_BOOL, NULL, "record the Alembic revision as applied migrations"},
    {"drop-alembic-table", CLI_BOOL, NULL, "drop alembic_version afterwards"},
    {"report", CLI_BOOL, NULL, "list what needs manual review"},
    {NULL, CLI_BOOL, NULL, NULL},
};

static const cli_flag sql_flags[] = {
    {"dialect", CLI_LIST, "D", "the dialect(s) to render SQL for (default: every target)"},
    {"backward", CLI_BOOL, NULL, "print the downgrade SQL instead"},
    {NULL, CLI_BOOL, NULL, NULL},
};

#define NEEDS_DB "It arrives with the drivers and the step VM."
#define PROJECT_NOTE                                                                             \
    "\nThe migrations folder of joryu.toml is compiled in memory for the database's\n"             \
    "dialect first: a history that does not compile runs nothing.  An unchanged\n"               \
    "history comes from the compile cache in .joryu/cache/ (safe to delete;\n"                   \
    "JORYU_CACHE=off bypasses it, JORYU_CACHE=verbose says hit or miss on stderr)."

static const cli_cmd joryu_cmds[] = {
    {"init", "[DIR]", 0, 1, "create joryu.toml and migrations/ (in DIR, default here)",
     "Writes joryu.toml with every key (defaults commented) and an empty migrations/\n"
     "folder.  Refuses (exit 1, nothing written) when either exists.",
     init_flags, cmd_init, NULL},
    {"generate", "SLUG...", 1, CLI_MANY, "write a new migration file",
     "Writes <migrations_dir>/<UTC YYYYMMDDTHHMMSS>_<slug>.py and prints its path.\n"
     "The slug is made from the words given: \"add users table\" -> add_users_table\n"
     "(lowercase ASCII letters, digits and _, at most 60, starting with a letter).\n"
     "A second file in the same second with the same slug gets _2, _3, ...\n"
     "JORYU_NOW=YYYYMMDDTHHMMSS fixes the timestamp (tests, reproducible scripts).",
     generate_flags, cmd_generate, NULL},
    {"apply", "", 0, 0, CLI_APPLY_SUMMARY, CLI_APPLY_HELP PROJECT_NOTE, cli_apply_flags,
     cmd_apply, NULL},
    {"status", "", 0, 0, CLI_STATUS_SUMMARY, CLI_STATUS_HELP PROJECT_NOTE, cli_status_flags,
     cmd_status, NULL},
    {"down", "", 0, 0, CLI_DOWN_SUMMARY, CLI_DOWN_HELP PROJECT_NOTE, cli_down_flags, cmd_down,
     NULL},
    {"schema-snapshot", "", 0, 0, "print the schema replayed from the files, or a database's",
     "Without --db: replays every migration of the project for one dialect (--dialect,\n"
     "default the first target) and prints the resulting schema.  With --db URL:\n"
     "reads the live database's catalog.  Both print the same normalized JSON\n"
     "(--format=json, default) or CREATE statements (--format=sql).",
     snapshot_flags, cc_snapshot, NULL},
    CC_VERIFY_CMD,
    {"repair", "ID", 1, 1, CLI_REPAIR_SUMMARY, CLI_REPAIR_HELP PROJECT_NOTE, cli_repair_flags,
     cmd_repair, NULL},
    {"mark", "ID[.STEP]", 1, 1, CLI_MARK_SUMMARY, CLI_MARK_HELP PROJECT_NOTE, cli_mark_flags,
     cmd_mark, NULL},
    {"show", "ID", 1, 1, "print a migration's file (ID or a unique prefix of it)", NULL, NULL,
     cmd_show, NULL},
    {"explain", "ID", 1, 1, "describe a migration in plain words", NULL, NULL, NULL,
     "Use `joryu show ID` meanwhile."},
    {"test", "", 0, 0, "apply every migration to test databases, twice", NULL, test_flags, NULL,
     NEEDS_DB},
    {"import", "alembic", 1, 1, "convert an Alembic project (joryu import alembic ...)", NULL,
     import_flags, NULL, "The Alembic importer arrives in a later release."},
    CC_HISTORY_CMD,
    {"heads", "", 0, 0, CLI_HEADS_SUMMARY,
     "Compiles the migrations folder and prints the ids of the migrations that nothing\n"
     "comes after: no other migration names them in depends_on, and none with an empty\n"
     "depends_on (which means timestamp order) has a larger id.  Every migration counts,\n"
     "whatever its dialects=; with --dialect, those that run on one of them.  No\n"
     "database is read.",
     cli_heads_flags, cmd_heads, NULL},
    {"sql", "[ID]", 0, 1, "print the SQL a migration runs, without a database",
     "ID (or a unique prefix of it) names one migration; without ID every migration\n"
     "is printed, in apply order.  Each step is introduced by a comment.  --backward\n"
     "prints the downgrade (the explicit downgrade(), else the one synthesized from\n"
     "the replayed schema, or why there is none).",
     sql_flags, cc_sql, NULL},
    CC_CHECK_CMD,
    CC_DUMP_CMD,
    CC_OPS_CMD,
};

static const char *const foreign[] = {"build:joryuc", "dis:joryuc", NULL};

static const cli_prog joryu_prog = {
    "joryu", "database migrations: write, check and apply them", joryu_cmds,
    JY_COUNTOF(joryu_cmds), foreign,
};

int main(int argc, char **argv)
{
    return cli_main(&joryu_prog, argc, argv);
}
