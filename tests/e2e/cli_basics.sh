#!/usr/bin/env bash
# cli_basics.sh - the three programs as a user meets them: init, generate,
# check, history, show, --help of every command, unknown commands and
# options, exit codes, and joryu-run linking no frontend code.
set -euo pipefail

: "${JORYU_BIN:?set JORYU_BIN to the bin folder of a build}"
: "${JORYU_TMP:=${TMPDIR:-/tmp}}"
mkdir -p "$JORYU_TMP"
WORK=$(mktemp -d "$JORYU_TMP/cli_basics.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

JORYU="$JORYU_BIN/joryu"
JORYUC="$JORYU_BIN/joryuc"
RUN="$JORYU_BIN/joryu-run"
export NO_COLOR=1
unset JORYU_DATABASE_URL JORYU_NOW || true

fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# expect CODE CMD...: run CMD, keep stdout/stderr in $WORK/out, $WORK/err;
# a wrong exit code is recorded as a failure (the script goes on)
expect() {
    local want=$1; shift
    local got=0
    "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
    if [ "$got" != "$want" ]; then
        fail "'$*' exited $got, want $want"
        sed 's/^/  stdout: /' "$WORK/out" >&2
        sed 's/^/  stderr: /' "$WORK/err" >&2
    fi
    return 0
}
has() { # has FILE TEXT
    grep -qF -- "$2" "$WORK/$1" || { fail "$1 lacks '$2'"; sed 's/^/  | /' "$WORK/$1" >&2; }
}

# ---------------------------------------------------------------- version, help
for prog in "$JORYU" "$JORYUC" "$RUN"; do
    name=$(basename "$prog")
    expect 0 "$prog" --version && has out "$name "
    expect 0 "$prog" --help && has out "usage: $name <command>"
    has out "exit codes:"
    # every command listed has its own --help, exiting 0
    cmds=$(awk '/^commands:/{on=1; next} on && /^$/{on=0} on {print $1}' "$WORK/out")
    [ -n "$cmds" ] || fail "$name --help lists no commands"
    for cmd in $cmds; do
        expect 0 "$prog" "$cmd" --help && has out "usage: $name $cmd"
        expect 0 "$prog" help "$cmd"
    done
    # no command: the listing on stderr, exit 1
    expect 1 "$prog" && has err "no command given"
done

# unknown command: exit 1 with did-you-mean
expect 1 "$JORYUC" chek && has err "unknown command 'chek'" && has err "did you mean 'check'"
expect 1 "$JORYU" genrate x && has err "did you mean 'generate'"
# a command of another program says which
expect 1 "$RUN" check && has err "joryuc check"
# unknown option: exit 1 with did-you-mean
expect 1 "$JORYUC" check --dialekt=sqlite && has err "did you mean '--dialect'"
expect 1 "$JORYU" --frobnicate && has err "unknown option"
# a flag that needs a value
expect 1 "$JORYUC" check --dialect && has err "needs a value"
# not implemented yet: exit 1, saying so
expect 1 "$JORYU" explain x && has err "not implemented yet"
# apply outside a project, a missing bundle: exit 1, saying what to do
expect 1 "$JORYU" apply && has err "joryu init"
expect 1 "$RUN" apply x.jyb && has err "cannot open bundle x.jyb"
# wrong number of arguments
expect 1 "$JORYU" show && has err "missing argument"

# colors: on a terminal only (script(1) gives us one), never with NO_COLOR or
# --no-color; never when the output is a file (every run above)
ESC=$(printf '\033[')
env -u NO_COLOR script -qec "$JORYUC chek" /dev/null >"$WORK/tty" 2>&1 || true
grep -qF "$ESC" "$WORK/tty" || fail "no colors on a terminal"
grep -qF "did you mean" "$WORK/tty" || fail "terminal run printed no hint"
NO_COLOR=1 script -qec "$JORYUC chek" /dev/null >"$WORK/tty" 2>&1 || true
! grep -qF "$ESC" "$WORK/tty" || fail "colors despite NO_COLOR"
env -u NO_COLOR script -qec "$JORYUC --no-color chek" /dev/null >"$WORK/tty" 2>&1 || true
! grep -qF "$ESC" "$WORK/tty" || fail "colors despite --no-color"
env -u NO_COLOR "$JORYUC" chek >"$WORK/out" 2>"$WORK/err" || true
! grep -qF "$ESC" "$WORK/err" || fail "colors in a file"

# ------------------------------------------------------------ joryu-run is small
if nm "$RUN" | grep -E ' fe_' >/dev/null; then
    fail "joryu-run links frontend symbols: $(nm "$RUN" | grep -E ' fe_' | head -3)"
fi

# ------------------------------------------------------------------------ init
P="$WORK/proj"
mkdir "$P"
cd "$P"
# commands that need the project say how to make one
expect 1 "$JORYU" generate x --empty && has err "run \`joryu init\`"
expect 1 "$JORYUC" check && has err "no joryu.toml here"
# --json reports it as a diagnostic on stdout
expect 1 "$JORYUC" check --json && has out '"code": "cli.no-project"'
has out '"ok": false'
# an explicit path needs no project (defaults apply)
mkdir "$WORK/loose"
expect 1 "$JORYUC" check "$WORK/loose" && has err "no migration files in $WORK/loose"
expect 1 "$JORYUC" check "$WORK/nope" && has err "does not exist"
expect 0 "$JORYU" init && has out "created joryu.toml"
[ -f joryu.toml ] || fail "init wrote no joryu.toml"
[ -d migrations ] || fail "init made no migrations/"
cp joryu.toml "$WORK/toml.before"
expect 1 "$JORYU" init && has err "already exists"
cmp -s joryu.toml "$WORK/toml.before" || fail "init again changed joryu.toml"
# init refuses an existing migrations/ too, writing nothing
mkdir "$WORK/p2" "$WORK/p2/migrations"
cd "$WORK/p2"
expect 1 "$JORYU" init && has err "migrations already exists"
cd "$P"
[ ! -e "$WORK/p2/joryu.toml" ] || fail "init wrote joryu.toml next to an existing migrations/"
# init DIR
expect 0 "$JORYU" init "$WORK/p3"
[ -f "$WORK/p3/joryu.toml" ] && [ -d "$WORK/p3/migrations" ] || fail "init DIR"

# check on the empty migrations folder
expect 1 "$JORYUC" check && has err "no migration files in migrations"
expect 1 "$JORYU" check && has err "no migration files"

# -------------------------------------------------------------------- generate
expect 1 "$JORYU" generate "add users table" && has err "--empty"
expect 1 "$JORYU" generate "2fa codes" --empty && has err "must start with a letter"
expect 1 "$JORYU" generate "!!!" --empty && has err "no ASCII letters or digits"
JORYU_NOW=bad expect 1 "$JORYU" generate x --empty && has err "JORYU_NOW"
export JORYU_NOW=20260314T150926
expect 0 "$JORYU" generate "Add Users-Table!!" --empty
f1=$(cat "$WORK/out")
[ "$f1" = "migrations/20260314T150926_add_users_table.py" ] || fail "generate printed '$f1'"
# same second, same slug: _2, then _3 (words may come unquoted)
expect 0 "$JORYU" generate add users table --empty
f2=$(cat "$WORK/out")
[ "$f2" = "migrations/20260314T150926_add_users_table_2.py" ] || fail "second generate printed '$f2'"
expect 0 "$JORYU" generate add users table --empty
[ "$(cat "$WORK/out")" = "migrations/20260314T150926_add_users_table_3.py" ] ||
    fail "third generate printed '$(cat "$WORK/out")'"
# a long slug is cut to fit 60 characters with its suffix
JORYU_NOW=20260314T150927 expect 0 "$JORYU" generate "$(printf 'word %.0s' {1..40})" --empty
long=$(basename "$(cat "$WORK/out")" .py)
slug=${long#*_}
[ ${#slug} -le 60 ] || fail "slug '$slug' is longer than 60"
[[ "$slug" =~ ^[a-z][a-z0-9_]*$ ]] || fail "slug '$slug' is not [a-z][a-z0-9_]*"
unset JORYU_NOW
for f in "$f1" "$f2"; do
    id=$(basename "$f" .py)
    grep -qF "@joryu.migration(id=\"$id\")" "$f" || fail "$f: decorator id is not $id"
    grep -qF 'import joryu' "$f" || fail "$f: no import joryu"
    grep -qF 'from joryu import op, types as t' "$f" || fail "$f: no from joryu import"
    grep -qF '@joryu.downgrade' "$f" || fail "$f: no downgrade"
    grep -qF '# JORYU-DOWN-HINT: completion-status: stub' "$f" || fail "$f: no stub hint"
    head -1 "$f" | grep -q '^"""' || fail "$f: no docstring"
done

# ------------------------------------------ generated files compile (frontend)
expect 0 "$JORYUC" check
[ ! -s "$WORK/out" ] && [ ! -s "$WORK/err" ] || fail "joryuc check printed on success"
expect 0 "$JORYU" check
expect 0 "$JORYUC" check "$f1"                 # single-file mode
expect 0 "$JORYUC" check --dialect=sqlite,postgresql migrations
expect 1 "$JORYUC" check --dialect=oracle && has err "unknown dialect 'oracle'"
expect 0 "$JORYUC" check --json && has out '"ok": true'
expect 0 "$JORYUC" dump --format=json && has out '"format": "joryu-ir"'
expect 1 "$JORYUC" dump --format=yaml && has err "--format=json"

# history: id order, checksum, depends_on
expect 0 "$JORYU" history
has out "20260314T150926_add_users_table "
has out "v1:"
[ "$(grep -c '^20260314T' "$WORK/out")" = 4 ] || fail "history does not list 4 migrations"
{ grep '^2026' "$WORK/out" || true; } | awk '{print $1}' >"$WORK/ids"
sort "$WORK/ids" | cmp -s - "$WORK/ids" || fail "history is not in id order"
expect 0 "$JORYU" history --json && has out '"checksum": "v1:'

# show: the file, by id or unique prefix
expect 0 "$JORYU" show 20260314T150926_add_users_table_2
cmp -s "$WORK/out" "$f2" || fail "show did not print $f2"
expect 1 "$JORYU" show 20260314T150926 && has err "matches"
expect 1 "$JORYU" show 20260314T150926_add_user_table && has err "did you mean"

# a broken migration: exit 1 with file:line:col
cat >migrations/20260314T160000_broken.py <<'EOF'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260314T160000_broken")
def upgrade():
    op.create_table("x", op.column("id", t.BigInt, primary_key=True)
EOF
expect 1 "$JORYUC" check && has err "migrations/20260314T160000_broken.py:"
expect 1 "$JORYUC" check --json && has out '"file": "migrations/20260314T160000_broken.py"'
has out '"ok": false'
has out '"line": '
[ ! -s "$WORK/err" ] || fail "check --json wrote to stderr"
rm migrations/20260314T160000_broken.py

# ------------------------------------------------------------ joryu.toml errors
printf '[joryu]\nmigrations_dir = "migrations"\n[dialects]\ntargets = ["postgress"]\n' >joryu.toml
expect 1 "$JORYUC" check && has err "joryu.toml:4:12: error: unknown dialect"
has err 'did you mean "postgresql"'
printf '[joryu]\nmigration_dir = "migrations"\n' >joryu.toml
expect 0 "$JORYUC" check && has err "joryu.toml:2:1: warning: unknown key 'migration_dir'"
printf '[joryu]\nmigrations_dir = \n' >joryu.toml
expect 1 "$JORYU" history && has err "joryu.toml:2:"

# ------------------------------------------------------------------ ops
expect 0 "$JORYUC" ops && has out "create_table"
expect 0 "$JORYUC" ops add_column && has out "op.add_column("
expect 1 "$JORYUC" ops add_colum && has err "did you mean 'add_column'"
expect 1 "$JORYUC" ops run_python && has err "Python runtime"

if [ "$fails" -ne 0 ]; then
    echo "cli_basics: $fails failure(s)" >&2
    exit 1
fi
echo "cli_basics: ok"
