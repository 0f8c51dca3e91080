#!/usr/bin/env bash
# db_servers.sh - the test database servers are there and really check
# passwords.  Fails (never skips) when JORYU_TEST_PG_URL or
# JORYU_TEST_MYSQL_URL is unset or its server unreachable: scripts/test.sh
# starts both (scripts/dbservers.sh) and exports the URLs.
#
# For each URL (scheme://user:password@host:port/database): connect with the
# server's own client and run SELECT 1; create and drop a table in the
# database; then connect with a wrong password and expect a refusal.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }

# parse_url URL: sets U_SCHEME U_USER U_PASS U_HOST U_PORT U_DB
parse_url() {
    local re='^([a-z]+)://([^:@/]+):([^@/]*)@([^:/]+):([0-9]+)/([^/?]+)$'
    [[ $1 =~ $re ]] || fail "malformed URL (expected scheme://user:pass@host:port/db): ${1%%@*}@..."
    U_SCHEME=${BASH_REMATCH[1]} U_USER=${BASH_REMATCH[2]} U_PASS=${BASH_REMATCH[3]}
    U_HOST=${BASH_REMATCH[4]} U_PORT=${BASH_REMATCH[5]} U_DB=${BASH_REMATCH[6]}
}

[[ -n ${JORYU_TEST_PG_URL:-} ]] ||
    fail "JORYU_TEST_PG_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""
[[ -n ${JORYU_TEST_MYSQL_URL:-} ]] ||
    fail "JORYU_TEST_MYSQL_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""

command -v psql >/dev/null || fail "psql missing (apt-get install postgresql-client)"
command -v mariadb >/dev/null || fail "mariadb client missing (apt-get install mariadb-client)"

tbl="jy_e2e_probe_$$"

# ------------------------------------------------------------ PostgreSQL
parse_url "$JORYU_TEST_PG_URL"
[[ $U_SCHEME == postgresql || $U_SCHEME == postgres ]] || fail "JORYU_TEST_PG_URL scheme is $U_SCHEME"
pg() { # pg PASSWORD SQL
    PGPASSWORD=$1 PGCONNECT_TIMEOUT=10 psql -X -q -t -A -v ON_ERROR_STOP=1 \
        -h "$U_HOST" -p "$U_PORT" -U "$U_USER" -d "$U_DB" -c "$2"
}
out=$(pg "$U_PASS" "SELECT 1" 2>&1) || fail "PostgreSQL at $U_HOST:$U_PORT unreachable: $out"
[[ $out == 1 ]] || fail "PostgreSQL SELECT 1 returned '$out'"
out=$(pg "$U_PASS" "CREATE TABLE $tbl (id int primary key); INSERT INTO $tbl VALUES (7); SELECT id FROM $tbl; DROP TABLE $tbl" 2>&1) ||
    fail "PostgreSQL: user $U_USER cannot create tables in $U_DB: $out"
[[ $out == 7 ]] || fail "PostgreSQL round trip returned '$out'"
if out=$(pg "${U_PASS}-wrong" "SELECT 1" 2>&1); then
    fail "PostgreSQL accepted a wrong password (pg_hba.conf must use scram-sha-256 for host lines)"
fi
[[ $out == *"password authentication failed"* ]] ||
    fail "PostgreSQL refused a wrong password, but not for the password: $out"
echo "ok: PostgreSQL $U_HOST:$U_PORT/$U_DB (SELECT 1, DDL, wrong password refused)"

# --------------------------------------------------------------- MariaDB
parse_url "$JORYU_TEST_MYSQL_URL"
[[ $U_SCHEME == mysql || $U_SCHEME == mariadb ]] || fail "JORYU_TEST_MYSQL_URL scheme is $U_SCHEME"
my() { # my PASSWORD SQL  (password through the environment, not argv)
    MYSQL_PWD=$1 mariadb --no-defaults --protocol=TCP --connect-timeout=10 -N -B \
        -h "$U_HOST" -P "$U_PORT" -u "$U_USER" "$U_DB" -e "$2"
}
out=$(my "$U_PASS" "SELECT 1" 2>&1) || fail "MariaDB at $U_HOST:$U_PORT unreachable: $out"
[[ $out == 1 ]] || fail "MariaDB SELECT 1 returned '$out'"
out=$(my "$U_PASS" "CREATE TABLE $tbl (id int primary key); INSERT INTO $tbl VALUES (7); SELECT id FROM $tbl; DROP TABLE $tbl" 2>&1) ||
    fail "MariaDB: user $U_USER cannot create tables in $U_DB: $out"
[[ $out == 7 ]] || fail "MariaDB round trip returned '$out'"
out=$(my "$U_PASS" "SELECT @@character_set_server" 2>&1) || fail "MariaDB: $out"
[[ $out == utf8mb4 ]] || fail "MariaDB character_set_server is '$out', want utf8mb4"
if out=$(my "${U_PASS}-wrong" "SELECT 1" 2>&1); then
    fail "MariaDB accepted a wrong password"
fi
[[ $out == *"Access denied"* ]] || fail "MariaDB refused a wrong password, but not for the password: $out"
echo "ok: MariaDB $U_HOST:$U_PORT/$U_DB (SELECT 1, DDL, utf8mb4, wrong password refused)"
