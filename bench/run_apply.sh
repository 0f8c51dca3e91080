#!/usr/bin/env bash
# run_apply.sh - the apply benchmark (issue 4): a generated history of N
# migrations (a tenth create a table, the rest alternate between adding a
# nullable column and indexing it) applied by joryu, by joryu-run (a bundle
# built for the database's dialect), by the raw floor (the same DDL as one
# script in one transaction, run by sqlite3, psql or mariadb) and by Alembic,
# on SQLite, PostgreSQL and MariaDB.  Per tool: fresh apply, no-op apply
# again, status.  The database is emptied before each tool's fresh apply.
# Prints a Markdown table of medians (wall) and peak RSS per database;
# asserts nothing about time.
#
#   bench/run_apply.sh [--sizes "100 1000"] [--runs 3] [--build DIR] [--rev REF]
#                      [--dbs "sqlite postgresql mariadb"]   (default sqlite)
#                      [--pg]                       (= --dbs "sqlite postgresql")
#
# DIR (default <repo>/build-applybench) must hold a Release build
# (bin/joryu, bin/joryuc, bin/joryu-run); it is configured and built when
# missing, from the working tree (which may hold uncommitted work: the
# footer says so).  --rev REF measures commit REF instead: `git archive`
# into ${TMPDIR:-/tmp}/joryu-bench-SHA, built Release there; the working
# tree is not touched.  PostgreSQL: URL from APPLYBENCH_PG_URL or JORYU_TEST_PG_URL
# (schema public is dropped and recreated before every run); MariaDB: URL
# from APPLYBENCH_MYSQL_URL or JORYU_TEST_MYSQL_URL (the database is dropped
# and created again).  Never point them at a database you care about;
# scripts/dbservers.sh starts throwaway servers and prints both URLs.
# Alembic is Debian's (/usr/bin/python3 -m alembic; python3-psycopg2 for
# PostgreSQL, python3-pymysql for MariaDB).  On MariaDB every DDL statement
# commits implicitly, so the raw floor's BEGIN ... COMMIT is not one
# transaction there.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES="100 1000"
RUNS=3
BUILD="$ROOT/build-applybench"
DBS="sqlite"
REV=
while [ $# -gt 0 ]; do
    case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --rev) REV=$2; shift 2 ;;
    --pg) DBS="sqlite postgresql"; shift ;;
    --dbs) DBS=$2; shift 2 ;;
    -h | --help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "run_apply.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
# shellcheck source=bench/benchlib.sh
. "$ROOT/bench/benchlib.sh"
log() { echo "run_apply.sh: $*" >&2; }

PY=/usr/bin/python3

bench_build "$ROOT" "$BUILD" "$REV" || exit 1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/joryu-apply-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT



for D in $DBS; do
    db_init "$D" "$WORK" || exit 2
done
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

declare -A TABLES
for N in $SIZES; do
    G="$WORK/n$N"
    $PY "$ROOT/bench/genapply.py" "$N" "$G"
    (cd "$G/joryu" && "$J" check) >/dev/null || { log "joryu check failed for N=$N"; exit 1; }
    for D in $DBS; do
        P="$D-$N"
        B="$G/h-$(db_dialect "$D").jyb"
        [ -f "$B" ] || "$JC" build "$G/joryu/migrations" -o "$B" --dialect="$(db_dialect "$D")" >/dev/null
        URL=$(db_url "$D")
        log "N=$N on $D: $RUNS runs"
        for _ in $(seq "$RUNS"); do
            db_reset "$D"
            measure "$P-raw-fresh" db_script "$D" "$G/raw.sql"
            db_reset "$D"
            cd "$G/joryu"
            measure "$P-joryu-fresh" "$J" apply --db "$URL" --quiet
            measure "$P-joryu-noop" "$J" apply --db "$URL" --quiet
            measure "$P-joryu-status" "$J" status --db "$URL"
            db_reset "$D"
            measure "$P-run-fresh" "$JR" apply "$B" --db "$URL" --quiet
            measure "$P-run-noop" "$JR" apply "$B" --db "$URL" --quiet
            measure "$P-run-status" "$JR" status "$B" --db "$URL"
            db_reset "$D"
            cd "$G/alembic"
            APPLYBENCH_URL=$(db_alembic_url "$D")
            export APPLYBENCH_URL
            measure "$P-alembic-fresh" $PY -m alembic upgrade head
            measure "$P-alembic-noop" $PY -m alembic upgrade head
            measure "$P-alembic-status" $PY -m alembic current
            cd "$ROOT"
        done
        db_reset "$D"
        read -r rf _ < <(median "$P-raw-fresh")
        read -r jf jfr < <(median "$P-joryu-fresh")
        read -r jn _ < <(median "$P-joryu-noop")
        read -r js _ < <(median "$P-joryu-status")
        read -r xf xfr < <(median "$P-run-fresh")
        read -r xn xnr < <(median "$P-run-noop")
        read -r xs xsr < <(median "$P-run-status")
        read -r af afr < <(median "$P-alembic-fresh")
        read -r an _ < <(median "$P-alembic-noop")
        read -r as _ < <(median "$P-alembic-status")
        TABLES[$D]+="| $D | $N | ${rf} s | ${jf} s | $(ratio "$jf" "$rf") | ${xf} s | $(ratio "$xf" "$rf") | ${af} s | $(ratio "$af" "$jf") | ${jn} s | ${xn} s | ${an} s | ${js} s | ${xs} s | ${as} s | ${jfr} MiB | ${xfr} / ${xnr} / ${xsr} MiB | ${afr} MiB |"$'\n'
    done
done

for D in $DBS; do
    echo "| database | N | raw floor fresh | joryu fresh | joryu/raw | joryu-run fresh | joryu-run/raw | Alembic fresh | Alembic/joryu | joryu no-op | joryu-run no-op | Alembic no-op | joryu status | joryu-run status | Alembic current | joryu peak RSS (fresh) | joryu-run peak RSS fresh / no-op / status | Alembic peak RSS (fresh) |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s' "${TABLES[$D]}"
    echo
done
echo "Measured $(date -u +%Y-%m-%dT%H:%MZ), $BENCH_CODE, on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(. /etc/os-release; echo "$PRETTY_NAME"); $(db_versions "$DBS"); Alembic $($PY -c 'import alembic; print(alembic.__version__)'); medians of $RUNS runs; load average before: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg)."
