#!/usr/bin/env bash
# repair (issue 4, item 1): after an applied migration was edited, `repair ID`
# records the new checksum AND the new code of its steps (op_kind,
# op_fingerprint; a new step recorded skipped, a removed one's row deleted),
# reporting each change.  So a later resume agrees with the file: marking a
# step pending and applying again resumes without vm.fingerprint-mismatch.
# On SQLite and PostgreSQL (a fresh database, dropped at the end).
set -euo pipefail
bin=${JORYU_BIN:?}
: "${JORYU_TEST_PG_URL:?JORYU_TEST_PG_URL is not set: start the servers (scripts/dbservers.sh)}"
work=$(mktemp -d "${JORYU_TMP:-/tmp}/repair_steps.XXXXXX" 2>/dev/null || mktemp -d)
pgdb="joryu_repair_$$"
pgbase=${JORYU_TEST_PG_URL%/*}
cleanup() {
    psql "$JORYU_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$work"
psql "$JORYU_TEST_PG_URL" -qc "CREATE DATABASE $pgdb" >/dev/null

id=20260101T000000_items
write_v1() {
    mkdir -p migrations
    printf '[joryu]\nmigrations_dir = "migrations"\nenvironment = "local"\n' > joryu.toml
    cat > migrations/$id.py <<'PY'
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000000_items")
def upgrade():
    op.create_table("items", op.column("id", t.Int, primary_key=True), op.column("a", t.Text))
    op.execute("CREATE INDEX ix_items_a ON items (a)")
    op.add_column("items", "b", t.Text)
    op.add_column("items", "gone", t.Text)
PY
}
# the same database effect, written differently: step 2 becomes
# create_index, step 4 is dropped, step 4 is a new op that never ran
write_v2() {
    cat > migrations/$id.py <<'PY'
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000000_items")
def upgrade():
    op.create_table("items", op.column("id", t.Int, primary_key=True), op.column("a", t.Text))
    op.create_index("ix_items_a", "items", ["a"])
    op.add_column("items", "b", t.Text)
    op.add_column("items", "c", t.Text, nullable=True)
    op.add_column("items", "d", t.Text)
PY
}
steps() { # the recorded steps: index|op_kind|status
    local db=$1
    if [[ $db == sqlite* ]]; then
        sqlite3 "${db#sqlite:///}" "SELECT step_index, op_kind, status FROM joryu_migration_steps ORDER BY step_index"
    else
        psql "$db" -AtF'|' -c "SELECT step_index, op_kind, status FROM joryu_migration_steps ORDER BY step_index"
    fi
}

for db in "sqlite:///$work/a.db" "$pgbase/$pgdb"; do
    rm -rf migrations
    write_v1
    "$bin/joryu" apply --db "$db" --quiet || fail "apply v1 on $db"
    write_v2
    set +e
    "$bin/joryu" apply --db "$db" --quiet 2>err.txt; rc=$?
    set -e
    [ "$rc" = 4 ] || fail "apply after the edit: exit $rc, want 4 (checksum) on $db: $(cat err.txt)"

    "$bin/joryu" repair "$id" --db "$db" >out.txt 2>err.txt || fail "repair on $db: $(cat err.txt)"
    grep -q "recorded checksum v1:" out.txt || fail "repair says what it recorded: $(cat out.txt)"
    grep -q "step 2 is now create_index (was execute)" err.txt || fail "repair reports step 2: $(cat err.txt)"
    grep -q "step 4 is now add_column" err.txt && fail "step 4 kept its kind: $(cat err.txt)"
    grep -q "step 4 (add_column): recorded the new fingerprint" err.txt ||
        fail "repair reports step 4's new fingerprint: $(cat err.txt)"
    grep -q "step 5 (add_column) is new: it never ran, recorded skipped" err.txt ||
        fail "repair reports the new step 5: $(cat err.txt)"
    got=$(steps "$db" | tr '\n' ' ')
    want="0|create_table|done 1|create_index|done 2|add_column|done 3|add_column|done 4|add_column|skipped "
    [ "$got" = "$want" ] || fail "step rows after repair on $db: '$got', want '$want'"

    # repair again: nothing to change, no notes
    "$bin/joryu" repair "$id" --db "$db" >out.txt 2>err.txt || fail "second repair on $db"
    ! grep -q "step" err.txt || fail "second repair changed steps again: $(cat err.txt)"

    # a later resume agrees with the file: rewind step 3 and apply
    "$bin/joryu" mark "$id.3" --as=pending --db "$db" --allow-prod >/dev/null || fail "mark on $db"
    "$bin/joryu" apply --db "$db" --non-interactive --quiet 2>err.txt ||
        fail "resume after repair on $db: $(cat err.txt)"
    "$bin/joryu" status --db "$db" | grep -q "^ *applied  *$id" || fail "not applied after resume on $db: $("$bin/joryu" status --db "$db")"

    # a removed step's row goes: back to four steps
    cat > migrations/$id.py <<'PY'
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000000_items")
def upgrade():
    op.create_table("items", op.column("id", t.Int, primary_key=True), op.column("a", t.Text))
    op.create_index("ix_items_a", "items", ["a"])
    op.add_column("items", "b", t.Text)
PY
    "$bin/joryu" repair "$id" --db "$db" >out.txt 2>err.txt || fail "repair (fewer steps) on $db"
    grep -q "step 4 (add_column) is gone from the migration: its record is removed" err.txt ||
        fail "repair reports the removed step: $(cat err.txt)"
    got=$(steps "$db" | wc -l)
    [ "$got" = 3 ] || fail "step rows after repair with fewer steps on $db: $got"
    # and repair of a migration that is not applied is refused
    "$bin/joryu" down --db "$db" --quiet --allow-prod || fail "down on $db"
    set +e
    "$bin/joryu" repair "$id" --db "$db" >/dev/null 2>err.txt; rc=$?
    set -e
    [ "$rc" = 1 ] && grep -q "repair records the checksum of an applied migration only" err.txt ||
        fail "repair of a migration that is not applied: exit $rc: $(cat err.txt)"
done
echo "repair_steps: ok"
