# benchlib.sh - sourced by bench/run_apply.sh and bench/run_backfill.sh.
#
#   bench_build ROOT BUILD REV   set J, JC, JR (joryu, joryuc, joryu-run) and
#                        BENCH_CODE (what was measured: "commit X" and how it
#                        was built).  REV empty: the Release build in BUILD
#                        (configured and built from the working tree when
#                        missing; the working tree may hold uncommitted
#                        changes, which BENCH_CODE then says).  REV a commit:
#                        `git archive REV` into ${TMPDIR:-/tmp}/joryu-bench-SHA
#                        built Release there once (nothing in the working
#                        tree is touched), so the numbers belong to REV.
#
# One database under test per name (sqlite, postgresql, mariadb), reached
# through its own command-line client:
#
#   db_init D WORK       check the URL (PostgreSQL: APPLYBENCH_PG_URL or
#                        JORYU_TEST_PG_URL; MariaDB: APPLYBENCH_MYSQL_URL or
#                        JORYU_TEST_MYSQL_URL), write client settings to WORK
#   db_url D             the URL joryu and joryu-run are given
#   db_alembic_url D     the SQLAlchemy URL for Alembic (psycopg2, PyMySQL)
#   db_dialect D         the dialect name for `joryuc build --dialect`
#   db_reset D           empty the database (SQLite: delete the file;
#                        PostgreSQL: drop and create schema public; MariaDB:
#                        drop and create the database)
#   db_sql D SQL         run one statement (autocommit), print its rows bare
#   db_script D FILE     run a script file, stopping at the first error
#                        (psql without -1: the file's own BEGIN/COMMIT count)
#   db_versions "D..."   a phrase naming the servers' versions
# shellcheck shell=bash

bench_build() {
    local root=$1 build=$2 rev=$3 src sha
    if [ -n "$rev" ]; then
        sha=$(git -C "$root" rev-parse --short "$rev^{commit}") || return 1
        src="${TMPDIR:-/tmp}/joryu-bench-$sha"
        if [ ! -x "$src/build/bin/joryu" ]; then
            rm -rf "$src" && mkdir -p "$src"
            git -C "$root" archive "$sha" | tar -x -C "$src"
            cmake -S "$src" -B "$src/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DJORYU_TESTS=OFF >&2
            cmake --build "$src/build" -j2 >&2
        fi
        build="$src/build"
        BENCH_CODE="commit $sha (built Release from git archive)"
    else
        if [ ! -x "$build/bin/joryu" ]; then
            cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DJORYU_TESTS=OFF >&2
            cmake --build "$build" -j2 >&2
        fi
        build=$(cd "$build" && pwd)
        # the binaries may be older than the tree: say when they were built
        BENCH_CODE="binaries in $build built $(date -u -r "$build/bin/joryu" +%Y-%m-%dT%H:%MZ)"
        BENCH_CODE+=" from the working tree (now at commit $(git -C "$root" rev-parse --short HEAD)"
        git -C "$root" diff --quiet HEAD -- cli vm runtime frontend ir backends grammar ||
            BENCH_CODE+=", with uncommitted changes in the sources"
        BENCH_CODE+="; --rev measures a commit)"
    fi
    # shellcheck disable=SC2034 # used by the scripts that source this file
    J="$build/bin/joryu"
    # shellcheck disable=SC2034
    JC="$build/bin/joryuc"
    # shellcheck disable=SC2034
    JR="$build/bin/joryu-run"
}

_DB_WORK=
_PGURL=
_MY_DB=
_MY_CNF=
_MY_URL=

db_init() {
    local d=$1
    _DB_WORK=$2
    case $d in
    sqlite) ;;
    postgresql)
        _PGURL=${APPLYBENCH_PG_URL:-${JORYU_TEST_PG_URL:-}}
        [ -n "$_PGURL" ] || { echo "bench: postgresql needs APPLYBENCH_PG_URL or JORYU_TEST_PG_URL" >&2; return 1; }
        ;;
    mariadb)
        _MY_URL=${APPLYBENCH_MYSQL_URL:-${JORYU_TEST_MYSQL_URL:-}}
        [ -n "$_MY_URL" ] || { echo "bench: mariadb needs APPLYBENCH_MYSQL_URL or JORYU_TEST_MYSQL_URL" >&2; return 1; }
        # mysql://user:password@host:port/database
        local rest=${_MY_URL#*://} user pass host port
        local cred=${rest%%@*} hp=${rest#*@}
        user=${cred%%:*}; pass=${cred#*:}
        _MY_DB=${hp#*/}; _MY_DB=${_MY_DB%%\?*}; hp=${hp%%/*}
        host=${hp%%:*}; port=${hp#*:}; [ "$port" = "$hp" ] && port=3306
        _MY_CNF="$_DB_WORK/my.cnf"
        printf '[client]\nuser=%s\npassword=%s\nhost=%s\nport=%s\nprotocol=tcp\n' \
            "$user" "$pass" "$host" "$port" >"$_MY_CNF"
        chmod 600 "$_MY_CNF"
        ;;
    *) echo "bench: unknown database $d (sqlite, postgresql, mariadb)" >&2; return 1 ;;
    esac
}

db_url() {
    case $1 in
    sqlite) echo "sqlite:///$_DB_WORK/bench.db" ;;
    postgresql) echo "$_PGURL" ;;
    mariadb) echo "$_MY_URL" ;;
    esac
}

db_alembic_url() {
    case $1 in
    sqlite) echo "sqlite:///$_DB_WORK/alembic.db" ;;
    postgresql) echo "postgresql+psycopg2://${_PGURL#*://}" ;;
    mariadb) echo "mysql+pymysql://${_MY_URL#*://}" ;;
    esac
}

db_dialect() {
    case $1 in
    sqlite) echo sqlite ;;
    postgresql) echo postgresql ;;
    mariadb) echo mysql ;;
    esac
}

db_reset() {
    case $1 in
    sqlite) rm -f "$_DB_WORK/bench.db" "$_DB_WORK/bench.db-journal" "$_DB_WORK/bench.db-wal" \
                  "$_DB_WORK/alembic.db" ;;
    postgresql) psql -q -X -v ON_ERROR_STOP=1 "$_PGURL" \
                    -c "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public" >/dev/null 2>&1 ;;
    mariadb) mariadb --defaults-file="$_MY_CNF" \
                 -e "DROP DATABASE IF EXISTS \`$_MY_DB\`; CREATE DATABASE \`$_MY_DB\`" ;;
    esac
}

db_sql() {
    case $1 in
    sqlite) sqlite3 -bail "$_DB_WORK/bench.db" "$2" ;;
    postgresql) psql -q -X -A -t -v ON_ERROR_STOP=1 "$_PGURL" -c "$2" ;;
    mariadb) mariadb --defaults-file="$_MY_CNF" -N -B "$_MY_DB" -e "$2" ;;
    esac
}

db_script() {
    case $1 in
    sqlite) sqlite3 -bail "$_DB_WORK/bench.db" <"$2" ;;
    postgresql) psql -q -X -v ON_ERROR_STOP=1 "$_PGURL" -f "$2" ;;
    mariadb) mariadb --defaults-file="$_MY_CNF" "$_MY_DB" <"$2" ;;
    esac
}

db_versions() {
    local out=() d
    for d in $1; do
        case $d in
        sqlite) out+=("SQLite $(sqlite3 -version | cut -d' ' -f1)") ;;
        postgresql) out+=("PostgreSQL $(psql -X -A -t "$_PGURL" -c 'SHOW server_version' | cut -d' ' -f1)") ;;
        mariadb) out+=("MariaDB $(mariadb --defaults-file="$_MY_CNF" -N -B -e 'SELECT VERSION()' | cut -d- -f1)") ;;
        esac
    done
    local s
    s=$(printf '%s, ' "${out[@]}")
    echo "${s%, }"
}

# measure NAME CMD... : run CMD once (cwd as is), append "wall_us rss_kb" to
# $WORK/NAME.txt (the caller sets WORK and defines log); fail loudly when CMD fails.  A shell function (the db_*
# clients) runs without /usr/bin/time: RSS 0.
measure() {
    local name=$1; shift
    local t0 t1
    local timer=(/usr/bin/time -f %M -o "$WORK/rss.tmp")
    if declare -F "$1" >/dev/null; then timer=(); echo 0 >"$WORK/rss.tmp"; fi
    t0=$(date +%s%N)
    if ! "${timer[@]}" "$@" >"$WORK/out.tmp" 2>&1; then
        log "FAILED: $*"; tail -20 "$WORK/out.tmp" >&2; exit 1
    fi
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 )) $(tail -1 "$WORK/rss.tmp")" >>"$WORK/$name.txt"
}
# median NAME -> "seconds MiB" (median wall, max peak RSS)
median() {
    sort -n "$WORK/$1.txt" | awk '{w[NR]=$1; if ($2>r) r=$2} END {
        m = (NR % 2) ? w[(NR+1)/2] : (w[NR/2]+w[NR/2+1])/2;
        printf "%.3f %.1f\n", m/1e6, r/1024 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a/b; else print "—" }'; }
