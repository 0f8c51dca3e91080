#!/usr/bin/env bash
# db_errors.sh - what `joryu schema-snapshot --db URL` says when it cannot
# connect, on PostgreSQL (JORYU_TEST_PG_URL) and MariaDB
# (JORYU_TEST_MYSQL_URL): a wrong password, a port nothing listens on, a
# database that does not exist.  Each exits 1 with one message on stderr
# that names the URL with its password as *** and says what to do; the
# password (as written, percent-decoded, or any recognisable piece of it)
# never appears in stdout or stderr.
# Fails (never skips) when a variable is unset or its server unreachable.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }

: "${JORYU_BIN:?JORYU_BIN is not set}"
: "${JORYU_TMP:?JORYU_TMP is not set}"
[[ -n ${JORYU_TEST_PG_URL:-} ]] ||
    fail "JORYU_TEST_PG_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""
[[ -n ${JORYU_TEST_MYSQL_URL:-} ]] ||
    fail "JORYU_TEST_MYSQL_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""

joryu="$JORYU_BIN/joryu"
[[ -x $joryu ]] || fail "$joryu is missing: build first"
work="$JORYU_TMP/db_errors.$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cd "$work" # no joryu.toml here

# A wrong password nobody could mistake for other text: percent-encoded in
# the URL ("%21" is "!").
WRONG_ENC='Zq9%21xWrongPw7731'
WRONG_DEC='Zq9!xWrongPw7731'
WRONG_PIECE='xWrongPw7731'

# parse_url URL: sets U_SCHEME U_USER U_PASS U_HOST U_PORT U_DB
parse_url() {
    local re='^([a-z]+)://([^:@/]+):([^@/]*)@([^:/]+):([0-9]+)/([^/?]+)$'
    [[ $1 =~ $re ]] || fail "malformed URL (expected scheme://user:pass@host:port/db): ${1%%@*}@..."
    U_SCHEME=${BASH_REMATCH[1]} U_USER=${BASH_REMATCH[2]} U_PASS=${BASH_REMATCH[3]}
    U_HOST=${BASH_REMATCH[4]} U_PORT=${BASH_REMATCH[5]} U_DB=${BASH_REMATCH[6]}
}

# A loopback port where a connection is refused.
closed_port() {
    local p
    for p in 9 19 47 1 2 3 4 5; do
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    fail "no closed port found on 127.0.0.1"
}

# expect NAME URL REDACTED WANT SECRET...: run `schema-snapshot --db URL`;
# exit 1, nothing on stdout, stderr one error naming REDACTED and containing
# WANT, none of the SECRETs anywhere.
expect() {
    local name=$1 url=$2 redacted=$3 want=$4
    shift 4
    local rc=0 out err
    env -u JORYU_DATABASE_URL "$joryu" schema-snapshot --db "$url" \
        >"$work/out" 2>"$work/err" || rc=$?
    out=$(<"$work/out")
    err=$(<"$work/err")
    [[ $rc -eq 1 ]] || fail "$name: exit $rc, expected 1; stderr: $err"
    [[ -z $out ]] || fail "$name: wrote to stdout: $out"
    [[ $err == *"error: cannot connect to $redacted: "* ]] ||
        fail "$name: the message does not name $redacted: $err"
    [[ $err == *"$want"* ]] || fail "$name: the message does not say '$want': $err"
    [[ $(grep -c 'error:' "$work/err") -eq 1 ]] || fail "$name: not one error: $err"
    local s
    for s in "$@"; do
        if grep -qF -- "$s" "$work/out" "$work/err"; then
            fail "$name: the password ($s) appears in the output"
        fi
    done
    echo "ok: $name: $err"
}

for var in JORYU_TEST_PG_URL JORYU_TEST_MYSQL_URL; do
    parse_url "${!var}"
    case $U_SCHEME in
    postgresql | postgres) kind=PostgreSQL ;;
    mysql | mariadb) kind=MariaDB ;;
    *) fail "$var has scheme $U_SCHEME" ;;
    esac
    base="$U_SCHEME://$U_USER"
    # the server must be there, or the refusals below prove nothing
    "$joryu" schema-snapshot --db "${!var}" >/dev/null 2>"$work/err" ||
        fail "$kind at $U_HOST:$U_PORT unreachable ($var): $(<"$work/err")"

    expect "$kind wrong password" \
        "$base:$WRONG_ENC@$U_HOST:$U_PORT/$U_DB" "$base:***@$U_HOST:$U_PORT/$U_DB" \
        "the server refused the user name or password; check the credentials in the URL" \
        "$WRONG_ENC" "$WRONG_DEC" "$WRONG_PIECE"

    port=$(closed_port)
    expect "$kind refused port" \
        "$base:$WRONG_ENC@$U_HOST:$port/$U_DB" "$base:***@$U_HOST:$port/$U_DB" \
        "connection refused; is the server running, and are the host and port right?" \
        "$WRONG_ENC" "$WRONG_DEC" "$WRONG_PIECE"

    # the right password (the database is checked after it): it must not
    # show, not even next to the user name
    nodb="joryu_no_such_db_$$"
    expect "$kind unknown database" \
        "$base:$U_PASS@$U_HOST:$U_PORT/$nodb" "$base:***@$U_HOST:$U_PORT/$nodb" \
        "database '$nodb' does not exist; create it or fix the database name in the URL" \
        "$U_USER:$U_PASS@" ":$U_PASS@"
done
echo "db_errors: all ok"
