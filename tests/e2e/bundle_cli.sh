#!/usr/bin/env bash
# bundle_cli.sh - `joryuc build` and `joryuc dis` as a user runs them:
# the sample project (examples/) builds into one bundle for its targets and
# for a chosen --dialect; `dis` shows the header, every migration and the
# SQL of each step; the build is deterministic; a damaged bundle (wrong
# magic, truncated, a flipped byte anywhere, random flips and truncations)
# is refused with exit 1 and a message saying what is wrong; a build that
# fails writes nothing and leaves an existing bundle as it was.
set -euo pipefail

: "${JORYU_BIN:?}" "${JORYU_SRC:?}" "${JORYU_TMP:?}"
export NO_COLOR=1
fail() { echo "FAIL: $*" >&2; exit 1; }
JC=$JORYU_BIN/joryuc

W=$JORYU_TMP/bundle_cli.$$
rm -rf "$W"; mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
cp -r "$JORYU_SRC/examples/." "$W/"
cd "$W"
nmig=$(ls migrations/*.py | wc -l)

# --- build: the project's targets, -o FILE
out=$("$JC" build -o app.jyb 2>&1) || fail "joryuc build failed: $out"
[[ $out == "wrote app.jyb: $nmig migrations for postgresql, mysql, sqlite ("*" bytes)" ]] ||
    fail "unexpected build output: $out"
[[ -s app.jyb ]] || fail "no app.jyb"
[[ $(head -c 7 app.jyb) == JORYUBC ]] || fail "app.jyb does not start with the magic"
ls -a | grep -q '\.tmp\.' && fail "a temporary file was left: $(ls -a)"

# deterministic: the same sources give the same bytes; --output= works too
"$JC" build migrations --output=again.jyb >/dev/null
cmp -s app.jyb again.jyb || fail "two builds of the same folder differ"

# --- dis: header, migrations, SQL per instruction
dis=$("$JC" dis app.jyb) || fail "joryuc dis failed"
grep -q '^; joryu bundle, format 1, built by joryu ' <<<"$dis" || fail "dis: no header line"
grep -q '^; dialects: postgresql mysql sqlite$' <<<"$dis" || fail "dis: dialects line"
grep -q "^; $nmig migrations, " <<<"$dis" || fail "dis: counts line"
for f in migrations/*.py; do
    id=$(basename "$f" .py)
    grep -q "^  $id\$" <<<"$dis" || fail "dis: migration $id not listed"
    for d in postgresql mysql sqlite; do
        grep -q "^-- [0-9]*\. $id ($d)\$" <<<"$dis" || fail "dis: $id has no $d code"
    done
done
grep -Eq '^ +[0-9]+  EXEC +@[0-9]+ +CREATE TABLE "users"' <<<"$dis" ||
    fail "dis: no EXEC line carrying CREATE TABLE \"users\" (PostgreSQL/SQLite quoting)"
grep -Eq '^ +[0-9]+  EXEC +@[0-9]+ +CREATE TABLE `users`' <<<"$dis" ||
    fail "dis: no EXEC line carrying CREATE TABLE \`users\` (MySQL quoting)"
grep -Eq '^ +[0-9]+  GUARD +@[0-9]+ +\{' <<<"$dis" || fail "dis: no GUARD line with its JSON"
grep -Eq '^  step 1  create_table users  \(line [0-9]+\)' <<<"$dis" || fail "dis: no step line"

# --dialect: one dialect only
"$JC" build --dialect=sqlite -o lite.jyb >/dev/null || fail "build --dialect=sqlite failed"
dl=$("$JC" dis lite.jyb)
grep -q '^; dialects: sqlite$' <<<"$dl" || fail "lite.jyb is not sqlite-only"
grep -q '^== postgresql' <<<"$dl" && fail "lite.jyb has postgresql code"
(( $(stat -c %s lite.jyb) < $(stat -c %s app.jyb) )) || fail "one dialect is not smaller"

# --- damaged bundles: exit 1, a message naming the problem, nothing on stdout
refused() { # FILE CODE-TEXT
    local o e rc=0
    o=$("$JC" dis "$1" 2>"$W/err") || rc=$?
    e=$(cat "$W/err")
    [[ $rc == 1 ]] || fail "dis $1: exit $rc, want 1 (stderr: $e)"
    [[ -z $o ]] || fail "dis $1 printed on stdout for a damaged bundle"
    [[ $e == *"$2"* ]] || fail "dis $1: message does not say '$2': $e"
}

cp app.jyb bad_magic.jyb
printf 'X' | dd of=bad_magic.jyb bs=1 seek=0 conv=notrunc status=none
refused bad_magic.jyb "not a joryu bundle"

size=$(stat -c %s app.jyb)
head -c $((size - 100)) app.jyb > cut.jyb
refused cut.jyb "cut.jyb: error: the file is $((size - 100)) bytes, the header says $size: it is incomplete; rebuild it with \`joryuc build\`"
head -c 50 app.jyb > tiny.jyb
refused tiny.jyb "shorter than the 128-byte bundle header"
: > empty.jyb
refused empty.jyb "the file is empty"

cp app.jyb ver.jyb
printf '\x07' | dd of=ver.jyb bs=1 seek=8 conv=notrunc status=none
refused ver.jyb "bundle format version 7"

flip() { # FILE OFFSET: xor the byte at OFFSET with a non-zero value
    local b x
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    x=$(( b ^ (1 + RANDOM % 255) ))
    printf "\\x$(printf %02x "$x")" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
cp app.jyb body.jyb
flip body.jyb $((size - 10))
refused body.jyb "the file is damaged"

# random flips and truncations: every one refused with exit 1, no crash
RANDOM=4242
for i in $(seq 1 300); do
    cp app.jyb r.jyb
    flip r.jyb $(( (RANDOM * 32768 + RANDOM) % size ))
    refused r.jyb "error:"
done
for i in $(seq 1 60); do
    head -c $(( (RANDOM * 32768 + RANDOM) % size )) app.jyb > r.jyb
    refused r.jyb "error:"
done

# not a file, missing file
refused . "not a regular file"
refused missing.jyb "cannot open bundle missing.jyb"

# --- a failing build writes nothing and keeps an existing bundle
mkdir broken
cp migrations/*.py broken/
first=$(ls broken/*.py | head -1)
printf '\n    op.add_colum("users", op.column("x", t.Int))\n' >> "$first"
rc=0; err=$("$JC" build broken -o new.jyb 2>&1) || rc=$?
[[ $rc == 1 ]] || fail "build of a broken folder: exit $rc, want 1: $err"
[[ $err == *"nothing was written"* ]] || fail "build error does not say nothing was written: $err"
[[ ! -e new.jyb ]] || fail "a failed build left new.jyb"
ls -a | grep -q '\.tmp\.' && fail "a failed build left a temporary file"
cp app.jyb keep.jyb
rc=0; "$JC" build broken -o keep.jyb >/dev/null 2>&1 || rc=$?
[[ $rc == 1 ]] || fail "second broken build: exit $rc"
cmp -s app.jyb keep.jyb || fail "a failed build changed an existing bundle"

# an error for one dialect only (SQLite changes a column only in op.batch):
# the default targets refuse it, a build for the others works
mkdir lite_err
cp migrations/*.py lite_err/
cat > lite_err/20270101T000000_alter_name.py <<'PY'
import joryu
from joryu import op, types as t


@joryu.migration(id="20270101T000000_alter_name")
def upgrade():
    op.alter_column("users", "email", nullable=True)
PY
rc=0; err=$("$JC" build lite_err -o le.jyb 2>&1) || rc=$?
[[ $rc == 1 && $err == *"cannot run on SQLite outside op.batch"* ]] ||
    fail "SQLite-only error: exit $rc: $err"
[[ ! -e le.jyb ]] || fail "le.jyb written although SQLite failed"
"$JC" build lite_err --dialect=postgresql,mysql -o le.jyb >/dev/null ||
    fail "build for postgresql,mysql failed"
grep -q '^; dialects: postgresql mysql$' <<<"$("$JC" dis le.jyb)" || fail "le.jyb dialects"

# a folder that does not exist, a file instead of a folder, an unwritable target
rc=0; err=$("$JC" build nowhere -o x.jyb 2>&1) || rc=$?
[[ $rc == 1 && $err == *"'nowhere' does not exist"* ]] || fail "build nowhere: $rc $err"
rc=0; err=$("$JC" build "$first" -o x.jyb 2>&1) || rc=$?
[[ $rc == 1 && $err == *"is not a folder"* ]] || fail "build FILE: $rc $err"
rc=0; err=$("$JC" build -o no/such/dir/x.jyb 2>&1) || rc=$?
[[ $rc == 1 && $err == *"cannot create no/such/dir/x.jyb"* ]] || fail "build into a missing folder: $rc $err"
[[ ! -e x.jyb ]] || fail "x.jyb written"

# --help comes from the table
h=$("$JC" build --help)
[[ $h == *"--output=FILE"* && $h == *"-o FILE"* && $h == *"--dialect=D"* ]] || fail "build --help: $h"
h=$("$JC" dis --help)
[[ $h == *"usage: joryuc dis BUNDLE"* ]] || fail "dis --help: $h"
rc=0; "$JC" dis >/dev/null 2>&1 || rc=$?
[[ $rc == 1 ]] || fail "dis without a file: exit $rc"

echo "bundle_cli: ok"
