#!/usr/bin/env bash
# examples.sh - the README's sample project (examples/) compiles for every
# target dialect, and `joryu history` lists its migrations in order with
# semantic checksums that ignore comments and follow real changes.  This is
# what scripts/demo.sh shows; here it is checked.
set -euo pipefail

: "${JORYU_BIN:?}" "${JORYU_SRC:?}" "${JORYU_TMP:?}"
export NO_COLOR=1
fail() { echo "FAIL: $*" >&2; exit 1; }

W=$JORYU_TMP/examples.$$
rm -rf "$W"; mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
cp -r "$JORYU_SRC/examples/." "$W/"
cd "$W"

ids=()
for f in migrations/*.py; do ids+=("$(basename "$f" .py)"); done
(( ${#ids[@]} >= 4 )) || fail "examples/migrations holds ${#ids[@]} migrations"

# check: exit 0 and silent
out=$("$JORYU_BIN/joryuc" check 2>&1) || fail "joryuc check failed on examples/:
$out"
[[ -z $out ]] || fail "joryuc check printed on success: $out"

# history: every id, in file-name order, each with a SHA-256 checksum
hist=$("$JORYU_BIN/joryu" history 2>&1) || fail "joryu history failed: $hist"
listed=$(awk 'NR > 1 { print $1 }' <<<"$hist")
[[ $listed == "$(printf '%s\n' "${ids[@]}")" ]] ||
    fail "joryu history lists
$listed
want
$(printf '%s\n' "${ids[@]}")"
while read -r id sum _; do
    [[ $sum =~ [0-9a-f]{64} ]] || fail "no checksum for $id in: $sum"
done < <(tail -n +2 <<<"$hist")
[[ $("$JORYU_BIN/joryu" history) == "$hist" ]] || fail "joryu history differs between two runs"

checksum_of() { "$JORYU_BIN/joryu" history | awk -v id="$1" '$1 == id { print $2 }'; }
id=20260517T140000_normalize_emails
f=migrations/$id.py
[[ -f $f ]] || fail "$f missing"
before=$(checksum_of "$id")

# a comment and blank lines: same checksum
printf '\n# a comment added in review\n\n' >>"$f"
[[ $(checksum_of "$id") == "$before" ]] || fail "adding a comment changed the checksum of $id"

# a real change (batch size): another checksum, and only for that migration
other_before=$(checksum_of 20260514T093000_add_users)
sed -i 's/batch_size=1000/batch_size=2000/' "$f"
grep -q 'batch_size=2000' "$f" || fail "could not edit $f"
after=$(checksum_of "$id")
[[ -n $after && $after != "$before" ]] || fail "changing batch_size kept the checksum of $id"
[[ $(checksum_of 20260514T093000_add_users) == "$other_before" ]] ||
    fail "editing $id changed another migration's checksum"

# dump: deterministic JSON
d1=$("$JORYU_BIN/joryuc" dump migrations --format=json) || fail "joryuc dump failed"
d2=$("$JORYU_BIN/joryuc" dump migrations --format=json)
[[ $d1 == "$d2" ]] || fail "joryuc dump is not deterministic"
[[ $d1 == *'"joryu-ir"'* ]] || fail "joryuc dump lacks \"format\": \"joryu-ir\""
for i in "${ids[@]}"; do
    [[ $d1 == *"\"$i\""* ]] || fail "joryuc dump lacks migration $i"
done
# the SQLite SQL of every migration runs in order on an empty database, and
# the downgrades, in reverse order, leave it empty again (joryu sql, no VM)
command -v sqlite3 >/dev/null || fail "sqlite3 missing (apt-get install sqlite3)"
# put the edited migration back as committed
restore_edited() { cp "$JORYU_SRC/examples/migrations/$id.py" "$f"; }
restore_edited
db=$W/app.db
for i in "${ids[@]}"; do
    sql=$("$JORYU_BIN/joryu" sql "$i" --dialect=sqlite) || fail "joryu sql $i failed"
    out=$(sqlite3 -bail "$db" <<<"$sql" 2>&1) || fail "SQLite refused the SQL of $i: $out"
done
tables=$(sqlite3 "$db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name)")
[[ $tables == "active_users orders users" ]] || fail "after every upgrade SQLite holds: $tables"
for (( k = ${#ids[@]} - 1; k >= 0; k-- )); do
    i=${ids[k]}
    sql=$("$JORYU_BIN/joryu" sql "$i" --dialect=sqlite --backward) || fail "joryu sql $i --backward failed"
    out=$(sqlite3 -bail "$db" <<<"$sql" 2>&1) || fail "SQLite refused the downgrade SQL of $i: $out"
done
left=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master")
[[ $left == 0 ]] || fail "after every downgrade SQLite still holds: $(sqlite3 "$db" "SELECT name FROM sqlite_master")"

echo "ok: examples/ (${#ids[@]} migrations) check, history, checksums, dump, SQLite SQL up and down"
