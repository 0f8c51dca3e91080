#!/usr/bin/env bash
# A dry run writes nothing, not even a file (issue 3, item 4): on SQLite,
# `apply --dry-run`, `down --dry-run` and `status` open the database
# read-only and never create it; a file that does not exist reads as an
# empty database (everything pending).  An existing file is left byte for
# byte as it was (no state tables created).  joryu and joryu-run.
set -euo pipefail
bin=${JORYU_BIN:?}
src=${JORYU_SRC:?}
work=$(mktemp -d "${JORYU_TMP:-/tmp}/sqlite_ro.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cp -r "$src/examples/joryu.toml" "$src/examples/migrations" "$work/"
cd "$work"
nmig=$(ls migrations/*.py | wc -l)
"$bin/joryuc" build migrations -o app.jyb >/dev/null ||
    fail "joryuc build"

# a file that does not exist
"$bin/joryu" apply --dry-run --db sqlite:///missing.db >out.txt 2>err.txt ||
    fail "apply --dry-run on a missing file: $(cat err.txt)"
[ -e missing.db ] && fail "apply --dry-run created missing.db"
grep -q '^CREATE TABLE "users"' out.txt || fail "the dry run prints the SQL of every migration: $(cat out.txt)"
grep -q "dry run: $nmig migrations would be applied; nothing was written" out.txt ||
    fail "the dry run counts every migration: $(tail -3 out.txt)"
"$bin/joryu" status --db sqlite:///missing.db >out.txt 2>err.txt || fail "status on a missing file: $(cat err.txt)"
[ -e missing.db ] && fail "status created missing.db"
grep -q "$nmig migrations: 0 applied, $nmig pending" out.txt || fail "status of a missing file: $(cat out.txt)"
"$bin/joryu" down --dry-run --db sqlite:///missing.db >out.txt 2>err.txt || fail "down --dry-run on a missing file"
[ -e missing.db ] && fail "down --dry-run created missing.db"
"$bin/joryu-run" apply app.jyb --dry-run --db sqlite:///missing.db >/dev/null 2>err.txt ||
    fail "joryu-run apply --dry-run on a missing file: $(cat err.txt)"
"$bin/joryu-run" status app.jyb --db sqlite:///missing.db --json >out.txt 2>err.txt ||
    fail "joryu-run status on a missing file: $(cat err.txt)"
[ -e missing.db ] && fail "joryu-run created missing.db"
grep -q '"pending"' out.txt || fail "joryu-run status --json of a missing file: $(cat out.txt)"

# an existing database without the state tables: unchanged byte for byte
sqlite3 own.db "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'x');"
cp own.db own.before
"$bin/joryu" apply --dry-run --db sqlite:///own.db >/dev/null 2>err.txt || fail "dry run on own.db: $(cat err.txt)"
"$bin/joryu" status --db sqlite:///own.db >/dev/null 2>err.txt || fail "status on own.db: $(cat err.txt)"
cmp -s own.db own.before || fail "a dry run or status changed own.db"
[ "$(sqlite3 own.db "SELECT count(*) FROM sqlite_master WHERE name LIKE 'joryu%'")" = 0 ] ||
    fail "the state tables were created by a dry run"
ls own.db-* 2>/dev/null && fail "a journal was left next to own.db"

# an applied database: the dry run of down reads it, writes nothing
"$bin/joryu" apply --db sqlite:///app.db --quiet || fail "apply"
cp app.db app.before
"$bin/joryu" down --dry-run --steps=2 --db sqlite:///app.db >out.txt 2>err.txt || fail "down --dry-run: $(cat err.txt)"
grep -q "dry run: 2 migrations would be reverted" out.txt || fail "down --dry-run: $(tail -2 out.txt)"
"$bin/joryu" apply --dry-run --db sqlite:///app.db >/dev/null 2>&1 || fail "apply --dry-run on app.db"
cmp -s app.db app.before || fail "down --dry-run changed app.db"
# and a real apply still creates a missing file
"$bin/joryu" apply --db sqlite:///fresh.db --quiet || fail "apply on a missing file"
[ -s fresh.db ] || fail "apply did not create fresh.db"
echo "sqlite_readonly: ok"
