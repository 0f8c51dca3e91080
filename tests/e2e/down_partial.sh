#!/usr/bin/env bash
# down (issue 4, item 2): a downgrade that fails after some of its steps
# committed (transaction_mode="none", a step outside a transaction, or any
# MySQL/MariaDB DDL) records the truth: the migration `failed` with
# "downgrade stopped after undoing M of N steps: ...", its step rows gone;
# `down` again continues at step M+1 (earlier steps "undone in an earlier
# run"); `apply` instead redoes the migration (guards skip what is there).
# `status` (joryu and joryu-run) says so on its "next:" line with the exact
# commands, and the test runs the commands it names; it lists the
# downgrade's steps (undone / pending; --json: downgrade_stopped).
# A downgrade that fails with nothing committed (one transaction) leaves the
# migration applied, as before.  SQLite, PostgreSQL and MariaDB (fresh
# databases, dropped at the end).
set -euo pipefail
bin=${JORYU_BIN:?}
: "${JORYU_TEST_PG_URL:?JORYU_TEST_PG_URL is not set: start the servers (scripts/dbservers.sh)}"
: "${JORYU_TEST_MYSQL_URL:?JORYU_TEST_MYSQL_URL is not set: start the servers (scripts/dbservers.sh)}"
re='^([a-z]+)://([^:@/]+):([^@/]*)@([^:/]+):([0-9]+)/([^/?]+)$'
[[ $JORYU_TEST_MYSQL_URL =~ $re ]] || { echo "JORYU_TEST_MYSQL_URL is not scheme://user:pass@host:port/db" >&2; exit 1; }
my=(env MYSQL_PWD="${BASH_REMATCH[3]}" mariadb --no-defaults --protocol=TCP -N -B -h "${BASH_REMATCH[4]}"
    -P "${BASH_REMATCH[5]}" -u "${BASH_REMATCH[2]}")
mybase="${BASH_REMATCH[1]}://${BASH_REMATCH[2]}:${BASH_REMATCH[3]}@${BASH_REMATCH[4]}:${BASH_REMATCH[5]}"
work=$(mktemp -d "${JORYU_TMP:-/tmp}/down_partial.XXXXXX" 2>/dev/null || mktemp -d)
pgdb="joryu_downp_$$"
mydb="joryu_downp_$$"
pgbase=${JORYU_TEST_PG_URL%/*}
cleanup() {
    psql "$JORYU_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1 || true
    "${my[@]}" -e "DROP DATABASE IF EXISTS $mydb" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$work"
psql "$JORYU_TEST_PG_URL" -qc "CREATE DATABASE $pgdb" >/dev/null
"${my[@]}" -e "CREATE DATABASE $mydb" || fail "cannot create a MariaDB database"
dbs=("sqlite:///$work/a.db" "$pgbase/$pgdb" "$mybase/$mydb")

m1=20260101T000000_items
m2=20260102T000000_more
write() { # $1: extra decorator arguments of m2
    rm -rf migrations
    mkdir -p migrations
    printf '[joryu]\nmigrations_dir = "migrations"\nenvironment = "local"\n' > joryu.toml
    cat > migrations/$m1.py <<'PY'
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000000_items")
def upgrade():
    op.create_table("items", op.column("id", t.Int, primary_key=True), op.column("a", t.Text))


@joryu.downgrade
def downgrade():
    op.drop_table("items")
PY
    cat > migrations/$m2.py <<PY
import joryu
from joryu import op, types as t


@joryu.migration(id="20260102T000000_more"$1)
def upgrade():
    op.add_column("items", "b", t.Text)
    op.add_column("items", "c", t.Text)
    op.create_index("ix_items_c", "items", ["c"])


@joryu.downgrade
def downgrade():
    op.drop_index("ix_items_c", "items")
    op.drop_column("items", "c")
    op.execute("DELETE FROM items WHERE blocker = 1")
    op.drop_column("items", "b")
PY
}
q() { # one value from the database
    local db=$1 sql=$2
    if [[ $db == sqlite* ]]; then sqlite3 "${db#sqlite:///}" "$sql"
    elif [[ $db == mysql* ]]; then "${my[@]}" "$mydb" -e "$sql"
    else psql "$db" -Atc "$sql"; fi
}
has_col() { # does items.$2 exist?
    local db=$1
    if [[ $db == sqlite* ]]; then
        [ "$(q "$db" "SELECT count(*) FROM pragma_table_info('items') WHERE name = '$2'")" = 1 ]
    elif [[ $db == mysql* ]]; then
        [ "$(q "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = '$2' AND table_schema = DATABASE()")" = 1 ]
    else
        [ "$(q "$db" "SELECT count(*) FROM information_schema.columns WHERE table_name = 'items' AND column_name = '$2' AND table_schema = current_schema()")" = 1 ]
    fi
}
# the "next:" line of `status` for a downgrade of $m2 stopped after 2 of 4
# steps, from joryu (no $2) or joryu-run with the bundle $2; checks it and
# prints the commands it names, one a line: the down, then the apply
next_of() {
    local db=$1 bundle=${2:-} prog=joryu
    if [ -n "$bundle" ]; then
        prog="joryu-run"
        "$bin/joryu-run" status "$bundle" --db "$db" >st.txt || fail "joryu-run status on $db"
    else
        "$bin/joryu" status --db "$db" >st.txt || fail "joryu status on $db"
    fi
    [ "$(grep -c '^next:' st.txt)" = 1 ] || fail "$prog status: one next: line on $db: $(cat st.txt)"
    local sp=${bundle:+ $bundle}
    grep -qxF "next: the downgrade of $m2 stopped after undoing 2 of 4 steps: fix the cause and run \`$prog down$sp\` (it continues at step 3), or run \`$prog apply$sp\` to redo the migration" st.txt ||
        fail "$prog status: the next: line of a half downgrade on $db: $(grep '^next:' st.txt)"
    grep '^next:' st.txt | grep -o '`[^`]*`' | tr -d '`'
}
status_of() { "$bin/joryu" status --db "$1" --json | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
m = [x for x in d["migrations"] if x["id"] == sys.argv[1]][0]
print(m["status"]); print(m["last_error"] or "")' "$2"; }

for db in "${dbs[@]}"; do
    # --- half way: transaction_mode="none" commits each step
    write ', transaction_mode="none"'
    "$bin/joryu" apply --db "$db" --quiet || fail "apply on $db"
    set +e
    "$bin/joryu" down --db "$db" --plain >out.txt 2>err.txt; rc=$?
    set -e
    [ "$rc" = 2 ] || fail "down with a failing step 3: exit $rc, want 2 on $db: $(cat err.txt)"
    grep -q "the downgrade stopped half way: steps 1-2 are undone and committed" err.txt ||
        fail "the diagnostic says the downgrade stopped half way on $db: $(cat err.txt)"
    st=$(status_of "$db" "$m2")
    grep -q "^failed$" <<<"$st" || fail "status after a half downgrade on $db: $st"
    grep -q "^downgrade stopped after undoing 2 of 4 steps: step 3 (execute): " <<<"$st" ||
        fail "last_error after a half downgrade on $db: $st"
    has_col "$db" c && fail "column c is back on $db"
    has_col "$db" b || fail "column b is gone too early on $db"
    [ "$(q "$db" "SELECT count(*) FROM joryu_migration_steps WHERE migration_id = '$m2'")" = 0 ] ||
        fail "the upgrade's step rows are still recorded done on $db"
    # status has the facts from the VM: M, N and the downgrade's steps,
    # undone or to undo (--json: downgrade_stopped, null for the others;
    # text: "down step" lines instead of the upgrade's all-pending steps)
    "$bin/joryu" status --db "$db" --json | /usr/bin/python3 -c '
import json, sys
ms = {m["id"]: m for m in json.load(sys.stdin)["migrations"]}
ds = ms[sys.argv[1]]["downgrade_stopped"]
assert ds["undone"] == 2 and ds["total"] == 4, ds
assert [s["step"] for s in ds["steps"]] == [1, 2, 3, 4], ds
assert [s["op"] for s in ds["steps"]] == ["drop_index", "drop_column", "execute", "drop_column"], ds
assert [s["status"] for s in ds["steps"]] == ["undone", "undone", "pending", "pending"], ds
assert ms[sys.argv[2]]["downgrade_stopped"] is None, ms[sys.argv[2]]
' "$m2" "$m1" || fail "status --json: downgrade_stopped of the half downgrade on $db"
    "$bin/joryu" status --db "$db" >st.txt || fail "status (text) on $db"
    printf '%s\n' "  failed         $m2" "      down step 1/4  undone    drop_index ix_items_c" \
        "      down step 2/4  undone    drop_column items.c" "      down step 3/4  pending   execute" \
        "      down step 4/4  pending   drop_column items.b" >want.txt
    grep -A4 -xF "  failed         $m2" st.txt | diff want.txt - >/dev/null ||
        fail "status: the downgrade's steps of the half downgrade on $db: $(cat st.txt)"
    grep -q "^      step " st.txt && fail "status lists the upgrade's steps of the half downgrade on $db: $(cat st.txt)"
    # status names both ways on: down again, or apply; both programs
    "$bin/joryuc" build migrations -o app.jyb >/dev/null || fail "joryuc build"
    mapfile -t hint < <(next_of "$db")
    [ "${hint[0]:-}" = "joryu down" ] && [ "${hint[1]:-}" = "joryu apply" ] || fail "joryu hints: ${hint[*]}"
    mapfile -t rhint < <(next_of "$db" app.jyb)
    [ "${rhint[0]:-}" = "joryu-run down app.jyb" ] && [ "${rhint[1]:-}" = "joryu-run apply app.jyb" ] ||
        fail "joryu-run hints: ${rhint[*]}"
    # fix the cause; down again (the command status named) continues at step 3
    q "$db" "ALTER TABLE items ADD COLUMN blocker INT" >/dev/null
    eval "\"\$bin\"/${hint[0]} --db \"\$db\" --plain" >out.txt 2>err.txt ||
        fail "${hint[0]} (from status) on $db: $(cat err.txt)"
    grep -q "step 1/4: skipped (undone in an earlier run)" out.txt ||
        fail "down again passes over step 1 on $db: $(cat out.txt)"
    grep -q "step 2/4: skipped (undone in an earlier run)" out.txt ||
        fail "down again passes over step 2 on $db: $(cat out.txt)"
    grep -q "reverted 1 migration" out.txt || fail "down again reverts it on $db: $(cat out.txt)"
    has_col "$db" b && fail "column b is still there after down on $db"
    st=$(status_of "$db" "$m2")
    grep -q "^pending$" <<<"$st" || fail "status after the resumed down on $db: $st"
    "$bin/joryu" status --db "$db" --json | /usr/bin/python3 -c '
import json, sys
assert all(m["downgrade_stopped"] is None for m in json.load(sys.stdin)["migrations"])' ||
        fail "status --json: downgrade_stopped after the resumed down on $db"
    [ "$(status_of "$db" "$m1" | sed -n 1p)" = applied ] || fail "$m1 was undone too on $db"

    # --- half way, then apply redoes the migration instead
    q "$db" "ALTER TABLE items DROP COLUMN blocker" >/dev/null
    "$bin/joryu" apply --db "$db" --quiet || fail "apply again on $db"
    set +e
    "$bin/joryu" down --db "$db" --quiet 2>err.txt; rc=$?
    set -e
    [ "$rc" = 2 ] || fail "second half downgrade: exit $rc on $db"
    # the apply joryu-run's status names redoes it
    mapfile -t rhint < <(next_of "$db" app.jyb)
    [ "${rhint[1]:-}" = "joryu-run apply app.jyb" ] || fail "joryu-run hints after the second half downgrade: ${rhint[*]}"
    eval "\"\$bin\"/${rhint[1]} --db \"\$db\" --non-interactive --quiet" 2>err.txt ||
        fail "${rhint[1]} (from status) after a half downgrade on $db: $(cat err.txt)"
    "$bin/joryu" status --db "$db" >st.txt
    grep -q '^next:' st.txt && fail "status after the redo still says what to do: $(cat st.txt)"
    [ "$(status_of "$db" "$m2" | sed -n 1p)" = applied ] || fail "not applied after apply on $db"
    has_col "$db" c || fail "apply did not redo column c on $db"
    "$bin/joryu" down --steps=2 --db "$db" --quiet 2>/dev/null && fail "down --steps=2 should fail at step 3 again on $db"
    q "$db" "ALTER TABLE items ADD COLUMN blocker INT" >/dev/null
    # --steps=2 continues the half-done one and then undoes m1
    "$bin/joryu" down --steps=2 --db "$db" --quiet 2>err.txt || fail "down --steps=2 after the fix on $db: $(cat err.txt)"
    [ "$(status_of "$db" "$m1" | sed -n 1p)" = pending ] || fail "$m1 still applied on $db"

    # --- one transaction (per_step on PostgreSQL/SQLite): nothing committed,
    #     the migration stays applied (MariaDB: DDL commits by itself, so
    #     per_step stops half way as above)
    [[ $db == mysql* ]] && continue
    write ''
    "$bin/joryu" apply --db "$db" --quiet || fail "apply (per_step) on $db"
    set +e
    "$bin/joryu" down --db "$db" --quiet 2>err.txt; rc=$?
    set -e
    [ "$rc" = 2 ] || fail "down (per_step) with a failing step: exit $rc on $db"
    grep -q "the migration stays applied (its downgrade was rolled back)" err.txt ||
        fail "per_step down failure message on $db: $(cat err.txt)"
    [ "$(status_of "$db" "$m2" | sed -n 1p)" = applied ] || fail "per_step: not applied after the failed down on $db"
    has_col "$db" c || fail "per_step: column c was not rolled back on $db"
    "$bin/joryu" down --steps=2 --db "$db" --quiet >/dev/null 2>&1 || true
done
# one step undone: the hint says "step 1 is" (SQLite)
rm -rf migrations; mkdir migrations
cat > migrations/20260103T000000_one.py <<'PY'
import joryu
from joryu import op, types as t


@joryu.migration(id="20260103T000000_one", transaction_mode="none")
def upgrade():
    op.create_table("ones", op.column("id", t.Int, primary_key=True))
    op.add_column("ones", "c", t.Text)


@joryu.downgrade
def downgrade():
    op.drop_column("ones", "c")
    op.execute("DELETE FROM ones WHERE blocker = 1")
    op.drop_table("ones")
PY
"$bin/joryu" apply --db "sqlite:///$work/one.db" --quiet || fail "apply one"
set +e
"$bin/joryu" down --db "sqlite:///$work/one.db" --quiet 2>err.txt; rc=$?
set -e
[ "$rc" = 2 ] && grep -q "stopped half way: step 1 is undone and committed" err.txt &&
    grep -q "it continues at step 2" err.txt || fail "one step undone: exit $rc: $(cat err.txt)"
# a migration applied after the half-undone one (it depends on $m1 only, so
# apply --continue-past-failed runs it): status says `down --steps=2`, which
# undoes it and then continues the downgrade (SQLite)
write ', transaction_mode="none"'
cat > migrations/20260103T000000_tags.py <<'PY'
import joryu
from joryu import op, types as t


@joryu.migration(id="20260103T000000_tags", depends_on=["20260101T000000_items"])
def upgrade():
    op.create_table("tags", op.column("id", t.Int, primary_key=True))
PY
db="sqlite:///$work/later.db"
"$bin/joryu" apply --db "$db" --target=$m2 --quiet || fail "apply to $m2 (later)"
"$bin/joryu" down --db "$db" --quiet 2>/dev/null && fail "down should stop half way (later)"
set +e
"$bin/joryu" apply --db "$db" --continue-past-failed --non-interactive --on-failure=abort --quiet 2>err.txt; rc=$?
set -e
[ "$rc" = 2 ] || fail "apply --continue-past-failed past the half-undone one: exit $rc: $(cat err.txt)"
[ "$(status_of "$db" 20260103T000000_tags | sed -n 1p)" = applied ] || fail "tags not applied (later)"
"$bin/joryuc" build migrations -o later.jyb >/dev/null || fail "joryuc build (later)"
later=" (it continues at step 3, after undoing the 1 migration applied after it)"
for prog in joryu joryu-run; do
    if [ $prog = joryu ]; then "$bin/joryu" status --db "$db" >st.txt; sp=""
    else "$bin/joryu-run" status later.jyb --db "$db" >st.txt; sp=" later.jyb"; fi
    grep -qxF "next: the downgrade of $m2 stopped after undoing 2 of 4 steps: fix the cause and run \`$prog down$sp --steps=2\`$later, or run \`$prog apply$sp\` to redo the migration" st.txt ||
        fail "$prog status with a migration applied after the half-undone one: $(grep '^next:' st.txt)"
done
# a bundle path that needs quoting comes quoted; the command runs as printed
cp later.jyb "my app's.jyb"
"$bin/joryu-run" status "my app's.jyb" --db "$db" >st.txt
cmd=$(grep '^next:' st.txt | grep -o '`[^`]*`' | head -1 | tr -d '`')
[ "$cmd" = "joryu-run down 'my app'\\''s.jyb' --steps=2" ] || fail "the quoted bundle path: $cmd"
q "$db" "ALTER TABLE items ADD COLUMN blocker INT" >/dev/null
eval "\"\$bin\"/$cmd --db \"\$db\" --quiet" 2>err.txt || fail "$cmd (from status): $(cat err.txt)"
for id in $m2 20260103T000000_tags; do
    [ "$(status_of "$db" $id | sed -n 1p)" = pending ] || fail "$id not undone by $cmd"
done
[ "$(status_of "$db" "$m1" | sed -n 1p)" = applied ] || fail "$m1 was undone by $cmd"
echo "down_partial: ok"
