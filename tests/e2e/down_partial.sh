#!/usr/bin/env bash
# down (issue 4, item 2): a downgrade that fails after some of its steps
# committed (transaction_mode="none", a step outside a transaction, or any
# MySQL/MariaDB DDL) records the truth: the migration `failed` with
# "downgrade stopped after undoing M of N steps: ...", its step rows gone;
# `down` again continues at step M+1 (earlier steps "undone in an earlier
# run"); `apply` instead redoes the migration (guards skip what is there).
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
    # apply refuses nothing else meanwhile; down of something else halts
    # fix the cause; down again continues at step 3
    q "$db" "ALTER TABLE items ADD COLUMN blocker INT" >/dev/null
    "$bin/joryu" down --db "$db" --plain >out.txt 2>err.txt || fail "down again on $db: $(cat err.txt)"
    grep -q "step 1/4: skipped (undone in an earlier run)" out.txt ||
        fail "down again passes over step 1 on $db: $(cat out.txt)"
    grep -q "step 2/4: skipped (undone in an earlier run)" out.txt ||
        fail "down again passes over step 2 on $db: $(cat out.txt)"
    grep -q "reverted 1 migration" out.txt || fail "down again reverts it on $db: $(cat out.txt)"
    has_col "$db" b && fail "column b is still there after down on $db"
    st=$(status_of "$db" "$m2")
    grep -q "^pending$" <<<"$st" || fail "status after the resumed down on $db: $st"
    [ "$(status_of "$db" "$m1" | sed -n 1p)" = applied ] || fail "$m1 was undone too on $db"

    # --- half way, then apply redoes the migration instead
    q "$db" "ALTER TABLE items DROP COLUMN blocker" >/dev/null
    "$bin/joryu" apply --db "$db" --quiet || fail "apply again on $db"
    set +e
    "$bin/joryu" down --db "$db" --quiet 2>err.txt; rc=$?
    set -e
    [ "$rc" = 2 ] || fail "second half downgrade: exit $rc on $db"
    "$bin/joryu" apply --db "$db" --non-interactive --quiet 2>err.txt ||
        fail "apply after a half downgrade on $db: $(cat err.txt)"
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
echo "down_partial: ok"
