#!/usr/bin/env bash
# Idempotency (issue 4): apply, then apply again: nothing runs the second
# time; down to the start leaves no table; apply again gives the same live
# snapshot as the first apply.  On SQLite and PostgreSQL (a fresh database,
# dropped at the end); fails when JORYU_TEST_PG_URL is unset.
set -euo pipefail
bin=${JORYU_BIN:?}
src=${JORYU_SRC:?}
: "${JORYU_TEST_PG_URL:?JORYU_TEST_PG_URL is not set: start the servers (scripts/dbservers.sh)}"
work=$(mktemp -d "${JORYU_TMP:-/tmp}/idempotency.XXXXXX" 2>/dev/null || mktemp -d)
pgdb="joryu_idem_$$"
pgbase=${JORYU_TEST_PG_URL%/*}
cleanup() {
    psql "$JORYU_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cp -r "$src/examples/joryu.toml" "$src/examples/migrations" "$work/"
cd "$work"
nmig=$(ls migrations/*.py | wc -l)
psql "$JORYU_TEST_PG_URL" -qc "CREATE DATABASE $pgdb" >/dev/null

for db in "sqlite:///$work/a.db" "$pgbase/$pgdb"; do
    "$bin/joryu" apply --db "$db" --quiet || fail "first apply on $db"
    "$bin/joryu" schema-snapshot --db "$db" > first.json
    out=$("$bin/joryu" apply --db "$db" --json) || fail "second apply on $db"
    ! grep -q '"step_start"\|"migration_start"' <<<"$out" || fail "the second apply ran something: $out"
    "$bin/joryu" down --steps="$nmig" --db "$db" --quiet --allow-prod || fail "down to the start on $db"
    "$bin/joryu" schema-snapshot --db "$db" > empty.json
    /usr/bin/python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tables"]; sys.exit(1 if t else 0)' empty.json ||
        fail "tables left after down to the start on $db: $(cat empty.json)"
    "$bin/joryu" apply --db "$db" --quiet || fail "apply after down on $db"
    "$bin/joryu" schema-snapshot --db "$db" > again.json
    cmp -s first.json again.json || fail "apply, down, apply: another snapshot on $db: $(diff first.json again.json | head -20)"
done
echo "idempotency: ok"
