#!/usr/bin/env bash
# apply_bundle.sh - production's path: `joryuc build` writes a bundle and
# `joryu-run` applies it with no compiler.  joryu-run links no frontend
# symbol (nm); it applies the sample project's bundle to SQLite (exit 0,
# status all applied, a second apply does nothing), lists history and heads
# without a database, undoes with down; a damaged or missing bundle is exit 1
# before any connection is tried; a changed applied migration is exit 4 until
# `repair`; mark works on a bundle; the production guard is exit 5.  Then the
# same bundle on PostgreSQL and MariaDB (JORYU_TEST_PG_URL,
# JORYU_TEST_MYSQL_URL: the test FAILS when they are unset or unreachable).
set -euo pipefail
bin=${JORYU_BIN:?}
src=${JORYU_SRC:?}
mkdir -p "${JORYU_TMP:-/tmp}"
work=$(mktemp -d "${JORYU_TMP:-/tmp}/apply_bundle.XXXXXX")
cleanup() {
    [[ -n ${pg_drop:-} ]] && "${pg[@]}" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    [[ -n ${my_drop:-} ]] && "${my[@]}" -e "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [[ -f $work/err ]] && sed 's/^/  stderr: /' "$work/err" | head -20 >&2; exit 1; }
PY=/usr/bin/python3
export NO_COLOR=1
unset JORYU_DATABASE_URL JORYU_ENV JORYU_TEST_KILL_AT
jr() { "$bin/joryu-run" "$@"; }
run() { set +e; "$@" >"$work/out" 2>"$work/err" </dev/null; rc=$?; set -e; }
expect_rc() { [[ $rc == "$1" ]] || fail "$2: exit $rc, expected $1"; }
count_status() { # STATUS < status --json
    $PY -c 'import json,sys; d=json.load(sys.stdin); print(sum(1 for m in d["migrations"] if m["status"]==sys.argv[1]))' "$1"
}

# joryu-run has no compiler in it
if nm "$bin/joryu-run" | grep -E ' [TtDdBb] fe_' >/dev/null; then
    fail "joryu-run contains frontend symbols: $(nm "$bin/joryu-run" | grep -E ' [TtDdBb] fe_' | head -3)"
fi

mkdir "$work/ex"
cp -r "$src/examples/." "$work/ex/"
rm -f "$work/ex"/*.db
cd "$work/ex"
nmig=$(ls migrations/*.py | wc -l)
run "$bin/joryuc" build -o "$work/app.jyb"
expect_rc 0 "joryuc build"
# joryu-run runs outside the project: no joryu.toml, no migrations/
mkdir "$work/prod"
cd "$work/prod"
B=$work/app.jyb

run jr apply "$B" --db sqlite:///prod.db --plain
expect_rc 0 "joryu-run apply"
grep -q "applied $nmig migrations" "$work/out" || fail "joryu-run apply did not report $nmig migrations"
run jr status "$B" --db sqlite:///prod.db --json
[[ $(count_status applied <"$work/out") == "$nmig" ]] || fail "joryu-run status: not all applied"
run jr apply "$B" --db sqlite:///prod.db --plain
expect_rc 0 "second joryu-run apply"
grep -q "nothing to do" "$work/out" || fail "the second joryu-run apply did something"
JORYU_DATABASE_URL=sqlite:///prod.db run jr status "$B"
expect_rc 0 "joryu-run status with JORYU_DATABASE_URL"
grep -q "$nmig applied, 0 pending" "$work/out" || fail "JORYU_DATABASE_URL not used: $(cat "$work/out")"
run jr history "$B"
expect_rc 0 "joryu-run history"
[[ $(grep -c '^2026' "$work/out") == "$nmig" ]] || fail "joryu-run history does not list $nmig migrations"
run jr history "$B" --json
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["migrations"])==int(sys.argv[2]) and all(m["checksum"].startswith("v1:") for m in d["migrations"])' "$work/out" "$nmig" ||
    fail "joryu-run history --json"
run jr heads "$B"
expect_rc 0 "joryu-run heads"
grep -q 20260519T100000_active_users_view "$work/out" || fail "heads misses the last migration"
grep -q 20260515T101200_add_user_profile_columns "$work/out" && fail "heads lists a migration another depends on"
echo "ok: joryu-run applies the bundle, status, history, heads"

# damaged and missing bundles: exit 1 before connecting (the URL is unreachable)
cp "$B" "$work/bad.jyb"
$PY -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=0xff; open(p,"wb").write(b)' "$work/bad.jyb"
run jr apply "$work/bad.jyb" --db postgresql://u:secret@127.0.0.1:1/x
expect_rc 1 "a damaged bundle"
grep -qi "connect\|refused" "$work/err" && fail "a damaged bundle tried to connect: $(cat "$work/err")"
grep -q "secret" "$work/err" && fail "the password was printed"
run jr status "$work/nothere.jyb" --db sqlite:///prod.db
expect_rc 1 "a missing bundle"
grep -q "nothere.jyb" "$work/err" || fail "the missing bundle is not named"
echo "ok: damaged or missing bundles are exit 1 without a connection"

# mark, production guard, down
run jr mark "$B" 20260519T100000_active_users_view --as=pending --db sqlite:///prod.db
expect_rc 0 "joryu-run mark"
run jr status "$B" --db sqlite:///prod.db --json
[[ $(count_status applied <"$work/out") == $((nmig - 1)) ]] || fail "joryu-run mark did not change the state"
run jr mark "$B" 20260519T100000_active_users_view --as=applied --db sqlite:///prod.db
expect_rc 0 "joryu-run mark back"
JORYU_ENV=production run jr down "$B" --db sqlite:///prod.db
expect_rc 5 "joryu-run down with JORYU_ENV=production"
grep -q -- "--allow-prod" "$work/err" || fail "the guard does not say what to pass"
JORYU_ENV=production run jr mark "$B" 20260519T100000_active_users_view --as=pending --db sqlite:///prod.db
expect_rc 5 "joryu-run mark on production without a terminal"
run jr down "$B" --db postgresql://u:secret@db.example.com/app
expect_rc 5 "down on a non-local host"
grep -q "db.example.com is not local" "$work/err" || fail "the guard does not say why: $(cat "$work/err")"
grep -q "secret" "$work/err" && fail "the password was printed by the guard"
run jr down "$B" --db sqlite:///prod.db --steps=2 --plain
expect_rc 0 "joryu-run down --steps=2"
run jr status "$B" --db sqlite:///prod.db --json
[[ $(count_status pending <"$work/out") == 2 ]] || fail "down --steps=2 did not leave 2 pending"
run jr apply "$B" --db sqlite:///prod.db --plain
expect_rc 0 "re-apply after down"
echo "ok: mark, the production guard (exit 5), down"

# a changed applied migration: exit 4 until repair
cd "$work/ex"
sed -i 's/server_default=t.now()/server_default=t.now(), comment="when"/' migrations/20260514T093000_add_users.py
grep -q 'comment="when"' migrations/20260514T093000_add_users.py || fail "could not edit the migration"
run "$bin/joryuc" build -o "$work/app2.jyb"
expect_rc 0 "joryuc build of the changed project"
cd "$work/prod"
run jr apply "$work/app2.jyb" --db sqlite:///prod.db --plain
expect_rc 4 "apply with a changed applied migration"
grep -q 20260514T093000_add_users "$work/err" || fail "the checksum error does not name the migration"
run jr status "$work/app2.jyb" --db sqlite:///prod.db --json
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [m["id"] for m in d["migrations"] if m["checksum_mismatch"]]==["20260514T093000_add_users"]' "$work/out" ||
    fail "status --json does not flag the changed migration"
run jr repair "$work/app2.jyb" 20260514T093000_add_users --db sqlite:///prod.db
expect_rc 0 "joryu-run repair"
run jr apply "$work/app2.jyb" --db sqlite:///prod.db --plain
expect_rc 0 "apply after repair"
echo "ok: a changed applied migration is exit 4 until repair"

# PostgreSQL and MariaDB
[[ -n ${JORYU_TEST_PG_URL:-} ]] ||
    fail "JORYU_TEST_PG_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""
[[ -n ${JORYU_TEST_MYSQL_URL:-} ]] ||
    fail "JORYU_TEST_MYSQL_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""
re='^([a-z]+)://([^:@/]+):([^@/]*)@([^:/]+):([0-9]+)/([^/?]+)$'
db="joryu_apply_bundle_$$"
[[ $JORYU_TEST_PG_URL =~ $re ]] || fail "JORYU_TEST_PG_URL is not scheme://user:pass@host:port/db"
pg=(env PGPASSWORD="${BASH_REMATCH[3]}" psql -X -q -t -A -v ON_ERROR_STOP=1 -h "${BASH_REMATCH[4]}"
    -p "${BASH_REMATCH[5]}" -U "${BASH_REMATCH[2]}" -d "${BASH_REMATCH[6]}")
"${pg[@]}" -c "CREATE DATABASE $db" >/dev/null || fail "cannot create a PostgreSQL database"
pg_drop=1
pg_url="${BASH_REMATCH[1]}://${BASH_REMATCH[2]}:${BASH_REMATCH[3]}@${BASH_REMATCH[4]}:${BASH_REMATCH[5]}/$db"
[[ $JORYU_TEST_MYSQL_URL =~ $re ]] || fail "JORYU_TEST_MYSQL_URL is not scheme://user:pass@host:port/db"
my=(env MYSQL_PWD="${BASH_REMATCH[3]}" mariadb --no-defaults --protocol=TCP -N -B -h "${BASH_REMATCH[4]}"
    -P "${BASH_REMATCH[5]}" -u "${BASH_REMATCH[2]}")
"${my[@]}" -e "CREATE DATABASE $db" || fail "cannot create a MariaDB database"
my_drop=1
my_url="${BASH_REMATCH[1]}://${BASH_REMATCH[2]}:${BASH_REMATCH[3]}@${BASH_REMATCH[4]}:${BASH_REMATCH[5]}/$db"
for url in "$pg_url" "$my_url"; do
    name=${url%%:*}
    run jr apply "$B" --db "$url" --plain
    expect_rc 0 "joryu-run apply on $name"
    run jr status "$B" --db "$url" --json
    [[ $(count_status applied <"$work/out") == "$nmig" ]] || fail "joryu-run status on $name"
    run jr apply "$B" --db "$url" --plain
    grep -q "nothing to do" "$work/out" || fail "second joryu-run apply on $name did something"
    run jr down "$B" --db "$url" --steps="$nmig" --plain
    expect_rc 0 "joryu-run down to the start on $name"
    run jr status "$B" --db "$url" --json
    [[ $(count_status pending <"$work/out") == "$nmig" ]] || fail "down on $name left something applied"
    echo "ok: $name: joryu-run apply, status, apply again, down to the start"
done
echo "apply_bundle: all ok"
