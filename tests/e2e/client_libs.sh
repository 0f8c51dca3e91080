#!/usr/bin/env bash
# client_libs.sh - libpq and MariaDB Connector/C are loaded only when a URL
# of theirs is used (SPEC.md, "Client libraries"): joryu and joryu-run do not
# name them as needed libraries (readelf -d), SQLite works when neither can
# be loaded, and a PostgreSQL or MySQL URL whose library cannot be loaded
# (JORYU_LIBPQ / JORYU_LIBMARIADB naming a file that is not there, or a
# library without the functions) is exit 1 with one line that names the
# redacted URL and the package to install.  Then the real libraries connect
# (JORYU_TEST_PG_URL, JORYU_TEST_MYSQL_URL: the test FAILS when they are
# unset or unreachable).
set -euo pipefail
bin=${JORYU_BIN:?}
src=${JORYU_SRC:?}
mkdir -p "${JORYU_TMP:-/tmp}"
work=$(mktemp -d "${JORYU_TMP:-/tmp}/client_libs.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; [[ -f $work/err ]] && sed 's/^/  stderr: /' "$work/err" | head -20 >&2; exit 1; }
export NO_COLOR=1
unset JORYU_DATABASE_URL JORYU_ENV JORYU_LIBPQ JORYU_LIBMARIADB
run() { set +e; "$@" >"$work/out" 2>"$work/err" </dev/null; rc=$?; set -e; }
[[ -n ${JORYU_TEST_PG_URL:-} ]] || fail "JORYU_TEST_PG_URL is not set: run scripts/test.sh"
[[ -n ${JORYU_TEST_MYSQL_URL:-} ]] || fail "JORYU_TEST_MYSQL_URL is not set: run scripts/test.sh"

# 1. No client library among the programs' needed libraries.
command -v readelf >/dev/null || fail "readelf is missing (binutils)"
for p in joryu joryu-run; do
    needed=$(readelf -d "$bin/$p" | grep NEEDED || true)
    [[ -n $needed ]] || fail "readelf -d $p lists no needed library: not a dynamic executable?"
    if grep -E 'libpq|libmariadb|libmysqlclient' <<<"$needed" >/dev/null; then
        fail "$p links a database client library: $needed"
    fi
done

mkdir "$work/ex"
cp -r "$src/examples/." "$work/ex/"
rm -f "$work/ex"/*.db
cd "$work/ex"
run "$bin/joryuc" build -o "$work/app.jyb" --dialect=sqlite --dialect=postgresql --dialect=mysql
[[ $rc == 0 ]] || fail "joryuc build: exit $rc"
cd "$work"
B=$work/app.jyb

# 2. SQLite needs neither library.
JORYU_LIBPQ=/nonexistent/libpq.so.5 JORYU_LIBMARIADB=/nonexistent/libmariadb.so.3 \
    run "$bin/joryu-run" apply "$B" --db sqlite:///s.db --plain
[[ $rc == 0 ]] || fail "SQLite apply with no client library loadable: exit $rc"

# 3. A library that cannot be loaded: exit 1, one line, what to install.
# one_line_error WHAT PATTERN...
one_line_error() {
    local what=$1
    shift
    [[ $rc == 1 ]] || fail "$what: exit $rc, expected 1 (as a connection failure)"
    [[ ! -s $work/out ]] || fail "$what: wrote to stdout: $(head -3 "$work/out")"
    [[ $(wc -l <"$work/err") == 1 ]] || fail "$what: expected one line on stderr"
    local p
    for p in "$@"; do
        grep -qF -- "$p" "$work/err" || fail "$what: stderr lacks '$p'"
    done
    if grep -qF -e "$JORYU_TEST_PG_URL" -e "$JORYU_TEST_MYSQL_URL" "$work/err"; then
        fail "$what: the URL is shown with its password"
    fi
}
PGR=$(sed -E 's#^([a-z]+://[^:@/]+):[^@/]*@#\1:***@#' <<<"$JORYU_TEST_PG_URL")
MYR=$(sed -E 's#^([a-z]+://[^:@/]+):[^@/]*@#\1:***@#' <<<"$JORYU_TEST_MYSQL_URL")

JORYU_LIBPQ=/nonexistent/libpq.so.5 run "$bin/joryu-run" status "$B" --db "$JORYU_TEST_PG_URL"
one_line_error "joryu-run, libpq missing" "cannot connect to $PGR" \
    "PostgreSQL support needs libpq" "/nonexistent/libpq.so.5" "apt-get install libpq5"
JORYU_LIBPQ=/nonexistent/libpq.so.5 run "$bin/joryu-run" apply "$B" --db "$JORYU_TEST_PG_URL"
one_line_error "joryu-run apply, libpq missing" "apt-get install libpq5"
JORYU_LIBMARIADB=/nonexistent/libmariadb.so.3 \
    run "$bin/joryu-run" status "$B" --db "$JORYU_TEST_MYSQL_URL"
one_line_error "joryu-run, libmariadb missing" "cannot connect to $MYR" \
    "MySQL/MariaDB support needs MariaDB Connector/C" "apt-get install libmariadb3"
# joryu (the developer's program) says the same.
JORYU_LIBPQ=/nonexistent/libpq.so.5 \
    run "$bin/joryu" schema-snapshot --db "$JORYU_TEST_PG_URL"
one_line_error "joryu schema-snapshot, libpq missing" "apt-get install libpq5"
# A library that loads but is not libpq: the missing function is named.
JORYU_LIBPQ=libsqlite3.so.0 run "$bin/joryu-run" status "$B" --db "$JORYU_TEST_PG_URL"
one_line_error "joryu-run, not a libpq" "needs a libpq with PQconnectdbParams" \
    "apt-get install libpq5"
JORYU_LIBMARIADB=libsqlite3.so.0 run "$bin/joryu-run" status "$B" --db "$JORYU_TEST_MYSQL_URL"
one_line_error "joryu-run, not a libmariadb" "with mysql_init" "apt-get install libmariadb3"

# 4. The real libraries (the default sonames) connect.
run "$bin/joryu-run" status "$B" --db "$JORYU_TEST_PG_URL"
[[ $rc == 0 ]] || fail "joryu-run status on PostgreSQL: exit $rc"
run "$bin/joryu-run" status "$B" --db "$JORYU_TEST_MYSQL_URL"
[[ $rc == 0 ]] || fail "joryu-run status on MariaDB: exit $rc"
echo "client_libs: ok"
