#!/usr/bin/env bash
# apply_cli.sh - `joryu apply`, status, down and mark as a user runs them.
# On SQLite: the sample project applies (exit 0) and status shows every
# migration applied; a second apply has nothing to do; --json writes one
# parseable event per line; --dry-run writes nothing (no state tables
# afterwards); a bad statement exits 2 naming the migration, the step, the SQL
# and the server's message, status shows it failed, and fixing the file
# resumes it; mark changes the recorded state; SIGINT during a slow backfill
# exits 3, status shows it paused, and the next apply finishes it; down
# undoes; the production guard exits 5.  Then a smoke run of the sample
# project on PostgreSQL and MariaDB (JORYU_TEST_PG_URL, JORYU_TEST_MYSQL_URL:
# the test FAILS when they are unset or unreachable).  joryu-run:
# apply_bundle.sh.
set -euo pipefail
bin=${JORYU_BIN:?}
src=${JORYU_SRC:?}
mkdir -p "${JORYU_TMP:-/tmp}"
work=$(mktemp -d "${JORYU_TMP:-/tmp}/apply_cli.XXXXXX")
cleanup() {
    [[ -n ${pg_drop:-} ]] && eval "$pg_drop" >/dev/null 2>&1 || true
    [[ -n ${my_drop:-} ]] && eval "$my_drop" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [[ -f $work/err ]] && sed 's/^/  stderr: /' "$work/err" | head -30 >&2; exit 1; }
PY=/usr/bin/python3
export NO_COLOR=1
unset JORYU_DATABASE_URL JORYU_ENV JORYU_TEST_KILL_AT
joryu() { "$bin/joryu" "$@"; }
# run CMD...: runs it with stdout in $work/out, stderr in $work/err; sets rc
run() { set +e; "$@" >"$work/out" 2>"$work/err"; rc=$?; set -e; }
expect_rc() { [[ $rc == "$1" ]] || fail "$2: exit $rc, expected $1"; }
# count the rows of `status --json` with a given status
count_status() { # FILE STATUS
    $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for m in d["migrations"] if m["status"]==sys.argv[2]))' "$1" "$2"
}
sqlite_q() { # FILE SQL -> rows, one per line, | separated
    $PY -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print("|".join(map(str,r))) for r in c.execute(sys.argv[2])]' "$1" "$2"
}

# ------------------------------------------------- the sample project
mkdir "$work/ex"
cp -r "$src/examples/." "$work/ex/"
rm -f "$work/ex"/*.db
cd "$work/ex"
nmig=$(ls migrations/*.py | wc -l)

run joryu apply --plain
expect_rc 0 "joryu apply on the sample project"
grep -q "applied $nmig migrations" "$work/out" || fail "apply did not report $nmig migrations: $(cat "$work/out")"
grep -q "step 1/" "$work/out" || fail "plain progress has no step lines"
run joryu status
expect_rc 0 "joryu status"
[[ $(grep -c '^  applied ' "$work/out") == "$nmig" ]] || fail "status does not show $nmig applied: $(cat "$work/out")"
grep -q "$nmig applied, 0 pending, 0 failed, 0 paused" "$work/out" || fail "status summary wrong: $(cat "$work/out")"
run joryu status --json
expect_rc 0 "joryu status --json"
cp "$work/out" "$work/st.json"
[[ $(count_status "$work/st.json" applied) == "$nmig" ]] || fail "status --json: not all applied"
[[ $(sqlite_q app.db "SELECT count(*) FROM joryu_migrations WHERE status='applied'") == "$nmig" ]] ||
    fail "joryu_migrations does not hold $nmig applied rows"
echo "ok: the sample project applies on SQLite and status shows $nmig applied"

run joryu apply --plain
expect_rc 0 "second apply"
grep -q "nothing to do" "$work/out" || fail "second apply did something: $(cat "$work/out")"
grep -q "step 1/" "$work/out" && fail "second apply ran steps: $(cat "$work/out")"
echo "ok: a second apply has nothing to do"

# --json: every line is one event object; the run is complete
run joryu apply --json --db sqlite:///json.db
expect_rc 0 "apply --json"
$PY - "$work/out" "$nmig" <<'PYEOF' || fail "--json output is not the documented event stream"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
kinds = [e["event"] for e in events]
n = int(sys.argv[2])
assert all(isinstance(e, dict) and "event" in e for e in events)
assert kinds.count("migration_start") == n, kinds
assert kinds.count("migration_done") == n, kinds
assert "step_start" in kinds and "step_done" in kinds
for e in events:
    if e["event"] == "migration_start":
        assert e["id"] and e["steps"] >= 1 and e["transaction_mode"] in ("per_step", "per_migration", "none")
    if e["event"] == "step_start":
        assert e["step"] >= 1 and e["op"], e
    if e["event"] == "step_done":
        assert isinstance(e["duration_ms"], int), e
assert events[-1]["event"] == "finish" and events[-1]["exit_code"] == 0, events[-1]
PYEOF
echo "ok: --json writes one parseable event per line"

# --dry-run: prints SQL, writes nothing (not even the state tables)
run joryu apply --dry-run --plain --db sqlite:///dry.db
expect_rc 0 "apply --dry-run"
grep -qi "CREATE TABLE" "$work/out" || fail "--dry-run printed no SQL: $(cat "$work/out")"
if [[ -f dry.db ]]; then
    [[ -z $(sqlite_q dry.db "SELECT name FROM sqlite_master") ]] || fail "--dry-run wrote to the database: $(sqlite_q dry.db "SELECT name FROM sqlite_master")"
fi
echo "ok: --dry-run prints the SQL and writes nothing"

# down, and the production guard
run joryu down --plain
expect_rc 0 "joryu down"
run joryu status --json
cp "$work/out" "$work/st.json"
[[ $(count_status "$work/st.json" applied) == $((nmig - 1)) ]] || fail "down did not undo one migration"
[[ $(count_status "$work/st.json" pending) == 1 ]] || fail "down: the undone migration is not pending"
sed -i 's/^environment = "local"/environment = "production"/' joryu.toml
grep -q '^environment = "production"' joryu.toml || fail "could not declare production in joryu.toml"
run joryu down
expect_rc 5 "down on a production database"
grep -q -- "--allow-prod" "$work/err" || fail "the production guard does not say what to pass: $(cat "$work/err")"
run joryu status --json
cp "$work/out" "$work/st.json"
[[ $(count_status "$work/st.json" applied) == $((nmig - 1)) ]] || fail "the refused down changed something"
run joryu down --allow-prod --plain
expect_rc 0 "down --allow-prod"
sed -i 's/^environment = "production"/environment = "local"/' joryu.toml
run joryu apply --plain
expect_rc 0 "apply after down"
run joryu status --json
cp "$work/out" "$work/st.json"
[[ $(count_status "$work/st.json" applied) == "$nmig" ]] || fail "apply after down did not re-apply"
echo "ok: down undoes, the production guard exits 5 and --allow-prod passes it"

# heads, history
run joryu heads
expect_rc 0 "joryu heads"
[[ -s $work/out ]] || fail "heads printed nothing"
cd "$work"

# --------------------------------------- a failing step, fixed and resumed
mkdir "$work/bad"
cd "$work/bad"
joryu init >/dev/null
sed -i 's|^url = .*|url = "sqlite:///bad.db"|' joryu.toml
cat > migrations/20260101T000000_add_items.py <<'PY'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260101T000000_add_items")
def upgrade():
    op.create_table("items", op.column("id", t.BigInt, primary_key=True), op.column("name", t.Text))
PY
cat > migrations/20260102T000000_fill_items.py <<'PY'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260102T000000_fill_items")
def upgrade():
    op.create_table("tags", op.column("id", t.BigInt, primary_key=True))
    op.execute("INSERT INTO no_such_table (id) VALUES (1)", reverse="DELETE FROM items")
    op.create_table("labels", op.column("id", t.BigInt, primary_key=True))
PY
run joryu apply --plain
expect_rc 2 "apply with a bad statement"
for w in 20260102T000000_fill_items "step 2" "INSERT INTO no_such_table" "no such table"; do
    grep -q "$w" "$work/err" || fail "the failure message does not name '$w'"
done
run joryu status
expect_rc 0 "status after a failure"
grep -q "failed .*20260102T000000_fill_items" "$work/out" || fail "status does not show the migration failed: $(cat "$work/out")"
grep -q "no such table" "$work/out" || fail "status does not show the last error: $(cat "$work/out")"
run joryu apply --plain
expect_rc 2 "apply again without a fix"
sed -i 's/no_such_table/items/' migrations/20260102T000000_fill_items.py
run joryu apply --plain --non-interactive
expect_rc 0 "apply after fixing the file"
grep -q "step 1/3: skipped" "$work/out" || fail "the resumed apply re-ran step 1: $(cat "$work/out")"
[[ $(sqlite_q bad.db "SELECT count(*) FROM items") == 1 ]] || fail "the fixed step did not run once"
[[ $(sqlite_q bad.db "SELECT count(*) FROM joryu_migrations WHERE status='applied'") == 2 ]] || fail "not both applied"
echo "ok: a bad statement exits 2 with migration, step, SQL and server message; the fix resumes"

# mark: a step, a migration; bad states are refused
run joryu mark 20260102T000000_fill_items --as=bogus
expect_rc 1 "mark --as=bogus"
run joryu mark 20260102T000000_fill_items --as=pending
expect_rc 0 "mark --as=pending"
run joryu status --json
cp "$work/out" "$work/st.json"
[[ $(count_status "$work/st.json" applied) == 1 ]] || fail "mark --as=pending did not change the status"
run joryu mark 20260102T000000_fill_items --as=applied
expect_rc 0 "mark --as=applied"
run joryu status --json
cp "$work/out" "$work/st.json"
[[ $(count_status "$work/st.json" applied) == 2 ]] || fail "mark --as=applied did not change the status"
echo "ok: mark changes the recorded state and refuses unknown states"
cd "$work"

# -------------------------------------------- SIGINT during a backfill
mkdir "$work/slow"
cd "$work/slow"
joryu init >/dev/null
sed -i 's|^url = .*|url = "sqlite:///slow.db"|' joryu.toml
cat > migrations/20260101T000000_add_big.py <<'PY'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260101T000000_add_big")
def upgrade():
    op.create_table("big", op.column("id", t.BigInt, primary_key=True), op.column("v", t.Text),
                    op.column("w", t.Text))
PY
cat > migrations/20260102T000000_fill_big.py <<'PY'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260102T000000_fill_big")
def upgrade():
    op.backfill("big", set={"w": "UPPER(v)"}, where="w IS NULL", key="id", batch_size=50)
PY
run joryu apply --plain --target=20260101T000000_add_big
expect_rc 0 "apply --target"
$PY -c 'import sqlite3; c=sqlite3.connect("slow.db"); c.executemany("INSERT INTO big (id, v) VALUES (?, ?)", ((i, "v%d" % i) for i in range(1, 200001))); c.commit()'
"$bin/joryu" apply --json >"$work/events" 2>"$work/err" &
pid=$!
for _ in $(seq 1 600); do
    grep -q '"step_progress"' "$work/events" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
done
grep -q '"step_progress"' "$work/events" || fail "the backfill reported no progress before it ended"
kill -INT "$pid" 2>/dev/null || fail "the applier ended before SIGINT: the backfill was too fast to interrupt"
set +e; wait "$pid"; rc=$?; set -e
expect_rc 3 "apply interrupted by SIGINT"
grep -q "resumes" "$work/err" || fail "the pause message does not say the next apply resumes: $(cat "$work/err")"
grep -q '"event":"paused"' "$work/events" || fail "no paused event in --json"
run joryu status
grep -q "paused .*20260102T000000_fill_big" "$work/out" || fail "status does not show the backfill paused: $(cat "$work/out")"
left=$(sqlite_q slow.db "SELECT count(*) FROM big WHERE w IS NULL")
(( left > 0 )) || fail "the backfill finished although it was paused"
run joryu apply --plain
expect_rc 0 "apply after the pause"
[[ $(sqlite_q slow.db "SELECT count(*) FROM big WHERE w IS NULL OR w <> UPPER(v)") == 0 ]] || fail "the resumed backfill left rows wrong"
echo "ok: SIGINT pauses a backfill (exit 3, status paused), the next apply resumes it"
cd "$work"

# ------------------------------------- PostgreSQL and MariaDB smoke runs
[[ -n ${JORYU_TEST_PG_URL:-} ]] ||
    fail "JORYU_TEST_PG_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""
[[ -n ${JORYU_TEST_MYSQL_URL:-} ]] ||
    fail "JORYU_TEST_MYSQL_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""
re='^([a-z]+)://([^:@/]+):([^@/]*)@([^:/]+):([0-9]+)/([^/?]+)$'
db="joryu_apply_cli_$$"

[[ $JORYU_TEST_PG_URL =~ $re ]] || fail "JORYU_TEST_PG_URL is not scheme://user:pass@host:port/db"
pg=(env PGPASSWORD="${BASH_REMATCH[3]}" psql -X -q -t -A -v ON_ERROR_STOP=1 -h "${BASH_REMATCH[4]}"
    -p "${BASH_REMATCH[5]}" -U "${BASH_REMATCH[2]}" -d "${BASH_REMATCH[6]}")
"${pg[@]}" -c "CREATE DATABASE $db" >/dev/null || fail "cannot create a PostgreSQL database"
pg_drop="${pg[*]@Q} -c 'DROP DATABASE IF EXISTS $db'"
pg_url="${BASH_REMATCH[1]}://${BASH_REMATCH[2]}:${BASH_REMATCH[3]}@${BASH_REMATCH[4]}:${BASH_REMATCH[5]}/$db"

[[ $JORYU_TEST_MYSQL_URL =~ $re ]] || fail "JORYU_TEST_MYSQL_URL is not scheme://user:pass@host:port/db"
my=(env MYSQL_PWD="${BASH_REMATCH[3]}" mariadb --no-defaults --protocol=TCP -N -B -h "${BASH_REMATCH[4]}"
    -P "${BASH_REMATCH[5]}" -u "${BASH_REMATCH[2]}")
"${my[@]}" -e "CREATE DATABASE $db" || fail "cannot create a MariaDB database"
my_drop="${my[*]@Q} -e 'DROP DATABASE IF EXISTS $db'"
my_url="${BASH_REMATCH[1]}://${BASH_REMATCH[2]}:${BASH_REMATCH[3]}@${BASH_REMATCH[4]}:${BASH_REMATCH[5]}/$db"

cd "$work/ex"
for url in "$pg_url" "$my_url"; do
    name=${url%%:*}
    run joryu apply --plain --db "$url"
    expect_rc 0 "apply on $name"
    run joryu status --json --db "$url"
    cp "$work/out" "$work/st.json"
    [[ $(count_status "$work/st.json" applied) == "$nmig" ]] || fail "status on $name: not all applied"
    run joryu apply --plain --db "$url"
    expect_rc 0 "second apply on $name"
    grep -q "nothing to do" "$work/out" || fail "second apply on $name did something"
    run joryu down --plain --db "$url"
    expect_rc 0 "down on $name"
    run joryu apply --plain --db "$url"
    expect_rc 0 "apply after down on $name"
    echo "ok: $name: apply, status, apply again, down, apply"
done
echo "apply_cli: all ok"
