#!/usr/bin/env bash
# heads (issue 3, item 5): the migrations the history ends with, the same
# from `joryu heads` (the folder compiled) and `joryu-run heads BUNDLE`, text
# and --json.  A migration comes after those it names in depends_on
# (directly or through group:) and, when its depends_on is empty (timestamp
# order, reference §3.2), after every migration with a smaller id.  So an
# id-ordered history has one head, its last migration; a DAG has one per tip.
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
check() { # name, expected heads (space-separated, sorted)
    local name=$1 want=$2 got run json
    got=$("$bin/joryu" heads | sort | tr '\n' ' ' | sed 's/ $//') || fail "$name: joryu heads"
    [ "$got" = "$want" ] || fail "$name: joryu heads printed '$got', want '$want'"
    "$bin/joryuc" build migrations -o b.jyb >/dev/null || fail "$name: joryuc build"
    run=$("$bin/joryu-run" heads b.jyb | sort | tr '\n' ' ' | sed 's/ $//') || fail "$name: joryu-run heads"
    [ "$run" = "$want" ] || fail "$name: joryu-run heads printed '$run', want '$want'"
    json=$("$bin/joryu" heads --json | /usr/bin/python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)["heads"])))')
    [ "$json" = "$want" ] || fail "$name: joryu heads --json: '$json', want '$want'"
    json=$("$bin/joryu-run" heads b.jyb --json | /usr/bin/python3 -c 'import json,sys; print(" ".join(sorted(json.load(sys.stdin)["heads"])))')
    [ "$json" = "$want" ] || fail "$name: joryu-run heads --json: '$json', want '$want'"
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
echo "heads: ok"
