#!/usr/bin/env bash
# history with dialect-restricted migrations (issue 4): `joryu history` (the
# folder compiled) and `joryu-run history BUNDLE` print the same lines, text
# and --json: every migration in id order, one whose dialects= leaves out
# some of the dialects in question marked "(only for ...)", one for none of
# them "(not for ...)".  The dialects in question: --dialect, else joryu.toml's
# targets / the bundle's dialects (joryuc build compiles the targets).  A
# group: entry of depends_on is listed as its members' ids by both.  The
# migrations history --dialect=sqlite leaves unmarked are the ones `status`
# lists for a SQLite database.
set -euo pipefail
bin=${JORYU_BIN:?}
work=$(mktemp -d "${JORYU_TMP:-/tmp}/history_dialects.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export NO_COLOR=1
unset JORYU_DATABASE_URL JORYU_ENV
cd "$work"
mkdir migrations
printf '[joryu]\nmigrations_dir = "migrations"\n' > joryu.toml
mk() { # id, extra decorator arguments, column
    printf 'import joryu\nfrom joryu import op, types as t\n\n\n@joryu.migration(id="%s"%s)\ndef upgrade():\n    op.add_column("items", "%s", t.Text)\n' \
        "$1" "$2" "$3" > "migrations/$1.py"
}
a=20260101T000000_items b=20260102T000000_pg_only c=20260103T000000_common
d=20260104T000000_mysql_sqlite e=20260105T000000_after_group
cat > migrations/$a.py <<PY
import joryu
from joryu import op, types as t


@joryu.migration(id="$a")
def upgrade():
    op.create_table("items", op.column("id", t.Int, primary_key=True))
PY
mk $b ', dialects=["postgresql"]' b
mk $c '' c
mk $d ', dialects=["mysql", "sqlite"], group="g"' d
mk $e ", depends_on=[\"group:g\", \"$a\"]" e

"$bin/joryuc" build migrations -o all.jyb >/dev/null || fail "joryuc build (every target)"
"$bin/joryuc" build migrations -o lite.jyb --dialect=sqlite >/dev/null || fail "joryuc build --dialect=sqlite"

# the same lines from both programs: $1 = joryu's flags, $2 = the bundle, $3 = its flags
same() {
    "$bin/joryu" history $1 >j.txt || fail "joryu history $1"
    "$bin/joryu-run" history "$2" $3 >r.txt || fail "joryu-run history $2 $3"
    diff j.txt r.txt >/dev/null ||
        fail "joryu history $1 and joryu-run history $2 $3 differ: $(diff j.txt r.txt)"
    "$bin/joryu" history $1 --json | /usr/bin/python3 -c 'import json,sys
for m in json.load(sys.stdin)["migrations"]:
    m.pop("reversible", None); print(json.dumps(m, sort_keys=True))' >j.json
    "$bin/joryu-run" history "$2" $3 --json | /usr/bin/python3 -c 'import json,sys
for m in json.load(sys.stdin)["migrations"]:
    m.pop("reversible", None); print(json.dumps(m, sort_keys=True))' >r.json
    diff j.json r.json >/dev/null ||
        fail "joryu history $1 --json and joryu-run history $2 $3 --json differ: $(diff j.json r.json)"
}
line() { # the line of id $1 in j.txt, from the DEPENDS_ON column on
    awk -v id="$1" '$1 == id { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' j.txt
}
want() { # id, expected DEPENDS_ON column and mark
    [ "$(line "$1")" = "$2" ] || fail "$3: the line of $1 is '$(line "$1")', want '$2'"
}

# the targets (joryu.toml's default: postgresql, mysql, sqlite) / the bundle's
same "" all.jyb ""
[ "$(grep -c '^2026' j.txt)" = 5 ] || fail "history lists every migration: $(cat j.txt)"
[ "$(grep '^2026' j.txt | awk '{print $1}' | tr '\n' ' ')" = "$a $b $c $d $e " ] ||
    fail "history is in id order: $(cat j.txt)"
want $a "-" "targets"
want $b "- (only for postgresql)" "targets"
want $c "-" "targets"
want $d "- (only for mysql, sqlite)" "targets"
want $e "$d,$a" "targets"

# one dialect: those that do not run on it are marked, the rest are not
same "--dialect=sqlite" all.jyb "--dialect=sqlite"
want $b "- (not for sqlite)" "sqlite"
want $d "-" "sqlite"
same "--dialect=sqlite" lite.jyb ""
same "--dialect=sqlite" lite.jyb "--dialect=sqlite"
same "--dialect=postgresql" all.jyb "--dialect=postgresql"
want $b "-" "postgresql"
want $d "- (not for postgresql)" "postgresql"
same "--dialect=mysql" all.jyb "--dialect=mysql"
want $b "- (not for mysql)" "mysql"
same "--dialect=postgresql,sqlite" all.jyb "--dialect=postgresql,sqlite"
want $b "- (only for postgresql)" "postgresql,sqlite"
want $d "- (only for sqlite)" "postgresql,sqlite"
"$bin/joryu-run" history all.jyb --dialect=sqlite --json | /usr/bin/python3 -c 'import json,sys
m = {x["id"]: x for x in json.load(sys.stdin)["migrations"]}
assert m[sys.argv[1]]["dialects"] == [], m[sys.argv[1]]
assert m[sys.argv[2]]["dialects"] == ["sqlite"], m[sys.argv[2]]
assert m[sys.argv[3]]["depends_on"] == [sys.argv[4], sys.argv[5]], m[sys.argv[3]]' $b $d $e $d $a ||
    fail "history --json: dialects and depends_on"

# what history --dialect=sqlite leaves unmarked is what status lists on SQLite
"$bin/joryu" history --dialect=sqlite | grep '^2026' | grep -v '(not for' | awk '{print $1}' >h.ids
"$bin/joryu" status --db "sqlite:///$work/s.db" --json | /usr/bin/python3 -c 'import json,sys
print("\n".join(m["id"] for m in json.load(sys.stdin)["migrations"]))' >s.ids
diff h.ids s.ids >/dev/null || fail "history --dialect=sqlite and status on SQLite differ: $(diff h.ids s.ids)"
"$bin/joryu-run" status all.jyb --db "sqlite:///$work/s.db" --json | /usr/bin/python3 -c 'import json,sys
print("\n".join(m["id"] for m in json.load(sys.stdin)["migrations"]))' >s.ids
diff h.ids s.ids >/dev/null || fail "history --dialect=sqlite and joryu-run status differ: $(diff h.ids s.ids)"

# a dialect the bundle was not built for: exit 1, named
set +e
"$bin/joryu-run" history lite.jyb --dialect=postgresql >out.txt 2>err.txt; rc=$?
set -e
[ "$rc" = 1 ] || fail "history of a dialect the bundle lacks: exit $rc, want 1"
grep -q "the bundle has no code for postgresql (it was built for: sqlite)" err.txt ||
    fail "history of a dialect the bundle lacks: $(cat err.txt)"
[ ! -s out.txt ] || fail "history of a dialect the bundle lacks printed: $(cat out.txt)"
set +e
"$bin/joryu" history --dialect=sqlit >out.txt 2>err.txt; rc=$?
set -e
[ "$rc" = 1 ] && grep -q "did you mean 'sqlite'" err.txt || fail "joryu history --dialect=sqlit: exit $rc: $(cat err.txt)"
echo "history_dialects: ok"
