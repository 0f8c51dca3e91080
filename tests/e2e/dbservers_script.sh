#!/usr/bin/env bash
# dbservers_script.sh - scripts/dbservers.sh itself: two pairs of servers
# side by side on distinct ports, `start` refused while running, `stop`
# idempotent and really stopping, a restart keeping its ports and its data.
set -euo pipefail

: "${JORYU_SRC:?}" "${JORYU_TMP:?}"
S=$JORYU_SRC/scripts/dbservers.sh
fail() { echo "FAIL: $*" >&2; exit 1; }

W=$JORYU_TMP/dbservers.$$
rm -rf "$W"; mkdir -p "$W"
trap 'bash "$S" stop "$W/a" >/dev/null 2>&1 || true; bash "$S" stop "$W/b" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT

# url_parts URL: "host port user pass db"
url_parts() {
    [[ $1 =~ ^[a-z]+://([^:@/]+):([^@/]*)@([^:/]+):([0-9]+)/([^/?]+)$ ]] || fail "malformed URL from dbservers.sh"
    echo "${BASH_REMATCH[3]} ${BASH_REMATCH[4]} ${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[5]}"
}
pg_sql() { # DIR SQL
    local h p u pw db
    read -r h p u pw db < <(url_parts "$(. "$1/env.sh"; echo "$JORYU_TEST_PG_URL")")
    PGPASSWORD=$pw PGCONNECT_TIMEOUT=5 psql -X -q -t -A -v ON_ERROR_STOP=1 -h "$h" -p "$p" -U "$u" -d "$db" -c "$2"
}
my_sql() { # DIR SQL
    local h p u pw db
    read -r h p u pw db < <(url_parts "$(. "$1/env.sh"; echo "$JORYU_TEST_MYSQL_URL")")
    MYSQL_PWD=$pw mariadb --no-defaults --protocol=TCP --connect-timeout=5 -N -B -h "$h" -P "$p" -u "$u" "$db" -e "$2"
}

# two pairs at once
bash "$S" start "$W/a" >"$W/a.out" 2>"$W/a.err" & pa=$!
bash "$S" start "$W/b" >"$W/b.out" 2>"$W/b.err" & pb=$!
wait $pa || fail "start a failed: $(cat "$W/a.err")"
wait $pb || fail "start b failed: $(cat "$W/b.err")"
for d in a b; do
    [[ $(grep -c '^export JORYU_TEST_\(PG\|MYSQL\)_URL=' "$W/$d.out") == 2 ]] ||
        fail "start $d printed: $(cat "$W/$d.out")"
    cmp -s "$W/$d.out" "$W/$d/env.sh" || fail "start $d: env.sh differs from what it printed"
done
ports=$(grep -ho ':[0-9]*/joryu_test' "$W/a.out" "$W/b.out" | sort -u | wc -l)
[[ $ports == 4 ]] || fail "two pairs share ports: $(cat "$W/a.out" "$W/b.out")"

for d in a b; do
    [[ $(pg_sql "$W/$d" "SELECT 1") == 1 ]] || fail "PostgreSQL of $d does not answer"
    [[ $(my_sql "$W/$d" "SELECT 1") == 1 ]] || fail "MariaDB of $d does not answer"
done
# the user may create its own databases (tests that want a fresh one)
pg_sql "$W/a" "CREATE DATABASE joryu_extra" && pg_sql "$W/a" "DROP DATABASE joryu_extra" ||
    fail "PostgreSQL: joryu cannot create a database"
my_sql "$W/a" "CREATE DATABASE joryu_extra; DROP DATABASE joryu_extra" ||
    fail "MariaDB: joryu cannot create a database named joryu_%"

# data that must survive a restart
pg_sql "$W/a" "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)"
my_sql "$W/a" "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)"

# start while running: refused, servers untouched
if bash "$S" start "$W/a" >/dev/null 2>&1; then fail "a second start on a running DIR succeeded"; fi
[[ $(pg_sql "$W/a" "SELECT 1") == 1 ]] || fail "a refused start stopped PostgreSQL"
[[ $(my_sql "$W/a" "SELECT 1") == 1 ]] || fail "a refused start stopped MariaDB"

# stop, twice; the other pair keeps running
before=$(cat "$W/a/env.sh")
bash "$S" stop "$W/a" || fail "stop a failed"
bash "$S" stop "$W/a" || fail "a second stop failed"
if pg_sql "$W/a" "SELECT 1" >/dev/null 2>&1; then fail "PostgreSQL still answers after stop"; fi
if my_sql "$W/a" "SELECT 1" >/dev/null 2>&1; then fail "MariaDB still answers after stop"; fi
[[ ! -f $W/a/my.pid ]] || fail "MariaDB pid file left after stop"
[[ $(pg_sql "$W/b" "SELECT 1") == 1 ]] || fail "stopping a stopped b's PostgreSQL"
[[ $(my_sql "$W/b" "SELECT 1") == 1 ]] || fail "stopping a stopped b's MariaDB"

# restart: same URLs (ports still free), data kept
bash "$S" start "$W/a" >"$W/a2.out" || fail "restart of a failed"
[[ $(cat "$W/a/env.sh") == "$before" ]] || fail "restart changed the URLs: $(cat "$W/a/env.sh")"
[[ $(my_sql "$W/a" "SELECT v FROM kept") == 42 ]] || fail "MariaDB lost its data over a restart"
if [[ ! -f $W/a/pgroot || $(cat "$W/a/pgroot") == "$W/a" ]]; then
    # (a cluster that had to live in /tmp is a throwaway: only check when in DIR)
    [[ $(pg_sql "$W/a" "SELECT v FROM kept") == 42 ]] || fail "PostgreSQL lost its data over a restart"
fi

bash "$S" stop "$W/a" && bash "$S" stop "$W/b" || fail "final stop failed"
echo "ok: dbservers.sh: parallel pairs, refused double start, idempotent stop, restart"
