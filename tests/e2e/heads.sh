#!/usr/bin/env bash
# heads (issue 3, item 5): the migrations the history ends with, the same
# from `joryu heads` (the folder compiled) and `joryu-run heads BUNDLE`, text
# and --json.  A migration comes after those it names in depends_on
# (directly or through group:) and, when its depends_on is empty (timestamp
# order, reference §3.2), after every migration with a smaller id.  So an
# id-ordered history has one head, its last migration; a DAG has one per tip.
# Every migration counts, whatever its dialects=, so both programs agree
# whichever dialects the bundle was built for; with --dialect (both
# programs), the heads of the migrations that run on one of those dialects,
# coming after one another also through migrations of other dialects.
set -euo pipefail
bin=${JORYU_BIN:?}
work=$(mktemp -d "${JORYU_TMP:-/tmp}/heads.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$work"
printf '[joryu]\nmigrations_dir = "migrations"\n' > joryu.toml
mk() { # id, extra decorator arguments, table
    printf 'import joryu\nfrom joryu import op, types as t\n\n\n@joryu.migration(id="%s"%s)\ndef upgrade():\n    op.create_table("%s", op.column("id", t.Int, primary_key=True))\n' \
        "$1" "$2" "$3" > "migrations/$1.py"
}
check() { # name, expected heads (space-separated, sorted), flags of both, bundle
    local name=$1 want=$2 flags=${3:-} bundle=${4:-b.jyb} got run json
    got=$("$bin/joryu" heads $flags | sort | tr '\n' ' ' | sed 's/ $//') || fail "$name: joryu heads $flags"
    [ "$got" = "$want" ] || fail "$name: joryu heads $flags printed '$got', want '$want'"
    if [ "$bundle" = b.jyb ]; then
        "$bin/joryuc" build migrations -o b.jyb >/dev/null || fail "$name: joryuc build"
    fi
    run=$("$bin/joryu-run" heads "$bundle" $flags | sort | tr '\n' ' ' | sed 's/ $//') ||
        fail "$name: joryu-run heads $bundle $flags"
    [ "$run" = "$want" ] || fail "$name: joryu-run heads $bundle $flags printed '$run', want '$want'"
    json=$("$bin/joryu" heads $flags --json | /usr/bin/python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)["heads"])))')
    [ "$json" = "$want" ] || fail "$name: joryu heads $flags --json: '$json', want '$want'"
    json=$("$bin/joryu-run" heads "$bundle" $flags --json | /usr/bin/python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)["heads"])))')
    [ "$json" = "$want" ] || fail "$name: joryu-run heads $bundle $flags --json: '$json', want '$want'"
}
a=20260101T000000_a b=20260102T000000_b c=20260103T000000_c d=20260104T000000_d
e=20260105T000000_e

# ordered by id: one head, the last
rm -rf migrations; mkdir migrations
mk $a "" ta; mk $b "" tb; mk $c "" tc
check "id-ordered" "$c"

# a DAG with two tips
rm -rf migrations; mkdir migrations
mk $a "" ta; mk $b ", depends_on=[\"$a\"]" tb; mk $c ", depends_on=[\"$a\"]" tc
check "two branches" "$b $c"

# a merge migration ends the branches
mk $d ", depends_on=[\"$b\", \"$c\"]" td
check "merged" "$d"

# a later migration with no depends_on comes after everything before it
rm -f "migrations/$d.py"
mk $d "" td
check "tips, then one in timestamp order" "$d"

# a branch started after it: its own tip and the id-ordered one
mk $e ", depends_on=[\"$b\"]" te
check "a branch after a timestamp-ordered one" "$d $e"

# dialect-restricted members of a group, and a migration after the group
rm -rf migrations; mkdir migrations
mk $a "" ta
mk $b ", dialects=[\"postgresql\"], group=\"g\", depends_on=[\"$a\"]" tb
mk $c ", dialects=[\"sqlite\", \"mysql\"], group=\"g\", depends_on=[\"$a\"]" tc
check "group members" "$b $c"
mk $d ", depends_on=[\"group:g\"]" td
check "after a group" "$d"
check "after a group, postgresql" "$d" --dialect=postgresql

# dialect-restricted migrations in timestamp order: every migration counts
# (the last one), whatever the bundle was built for; --dialect: the last one
# that runs there
rm -rf migrations .joryu; mkdir migrations
printf '[joryu]\nmigrations_dir = "migrations"\n[dialects]\ntargets = ["postgresql", "sqlite"]\n' > joryu.toml
mk $a "" ta
mk $b ", dialects=[\"postgresql\"]" tb
mk $c ", dialects=[\"sqlite\"]" tc
check "restricted, every migration" "$c"
"$bin/joryuc" build migrations -o pg.jyb --dialect=postgresql >/dev/null || fail "joryuc build --dialect=postgresql"
"$bin/joryuc" build migrations -o lite.jyb --dialect=sqlite >/dev/null || fail "joryuc build --dialect=sqlite"
check "restricted, every migration, a postgresql bundle" "$c" "" pg.jyb
check "restricted, every migration, a SQLite bundle" "$c" "" lite.jyb
check "restricted, postgresql" "$b" --dialect=postgresql
check "restricted, postgresql, its bundle" "$b" --dialect=postgresql pg.jyb
check "restricted, sqlite" "$c" --dialect=sqlite
check "restricted, sqlite, its bundle" "$c" --dialect=sqlite lite.jyb
check "restricted, both" "$c" --dialect=postgresql,sqlite

# a branch through a postgresql-only migration: on SQLite, d still comes
# after a (through b), and c, before d in id order, is not before it
mk $d ", depends_on=[\"$b\"]" td
check "through another dialect, every migration" "$c $d"
check "through another dialect, postgresql" "$d" --dialect=postgresql
check "through another dialect, sqlite" "$c $d" --dialect=sqlite
# a migration only for a dialect that is not a target still counts without
# --dialect (history lists it too)
mk $e ", dialects=[\"mysql\"], depends_on=[\"$d\"]" te
check "for no target, every migration" "$c $e"
check "for no target, sqlite" "$c $d" --dialect=sqlite

# a merge on SQLite ends it there
mk $e ", depends_on=[\"$c\", \"$d\"]" te
check "merged again, sqlite" "$e" --dialect=sqlite

# a dialect the bundle was not built for: exit 1, named, as history does
set +e
"$bin/joryu-run" heads lite.jyb --dialect=postgresql >out.txt 2>err.txt; rc=$?
set -e
[ "$rc" = 1 ] || fail "heads of a dialect the bundle lacks: exit $rc, want 1"
grep -q "the bundle has no code for postgresql (it was built for: sqlite)" err.txt ||
    fail "heads of a dialect the bundle lacks: $(cat err.txt)"
[ ! -s out.txt ] || fail "heads of a dialect the bundle lacks printed: $(cat out.txt)"
set +e
"$bin/joryu" heads --dialect=sqlit >out.txt 2>err.txt; rc=$?
set -e
[ "$rc" = 1 ] && grep -q "did you mean 'sqlite'" err.txt || fail "joryu heads --dialect=sqlit: exit $rc: $(cat err.txt)"
echo "heads: ok"
