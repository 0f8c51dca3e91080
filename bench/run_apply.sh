#!/usr/bin/env bash
# run_apply.sh - the apply benchmark (issue 4): a generated history of N
# migrations (a tenth create a table, the rest alternate between adding a
# nullable column and indexing it) applied by joryu, by the raw floor (the
# same DDL as one script in one transaction) and by Alembic, on SQLite and,
# with --pg, PostgreSQL.  Per tool: fresh apply, no-op apply again, status.
# Prints a Markdown table of medians (wall) and peak RSS; asserts nothing
# about time.
#
#   bench/run_apply.sh [--sizes "100 1000"] [--runs 3] [--build DIR] [--pg]
#                      [--dbs "sqlite postgresql"]   (--pg = both)
#
# DIR (default <repo>/build-applybench) must hold a Release build
# (bin/joryu, bin/joryuc, bin/joryu-run); it is configured and built when
# missing.  --pg needs a PostgreSQL URL in APPLYBENCH_PG_URL or
# JORYU_TEST_PG_URL (scripts/dbservers.sh prints the latter); its schema
# public is dropped and recreated before every run, so never point it at a
# database you care about.  Alembic is Debian's (/usr/bin/python3 -m
# alembic; python3-psycopg2 for PostgreSQL).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES="100 1000"
RUNS=3
BUILD="$ROOT/build-applybench"
PG=0
DBS="sqlite"
while [ $# -gt 0 ]; do
    case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --pg) PG=1; DBS="sqlite postgresql"; shift ;;
    --dbs) DBS=$2; shift 2; case " $DBS " in *" postgresql "*) PG=1 ;; esac ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "run_apply.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
log() { echo "run_apply.sh: $*" >&2; }

if [ ! -x "$BUILD/bin/joryu" ]; then
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DJORYU_TESTS=OFF >&2
    cmake --build "$BUILD" >&2
fi
J="$BUILD/bin/joryu"
JC="$BUILD/bin/joryuc"
JR="$BUILD/bin/joryu-run"
PY=/usr/bin/python3

WORK=$(mktemp -d "${TMPDIR:-/tmp}/joryu-apply-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# measure NAME CMD... : run CMD once (cwd as is), append "wall rss" to
# $WORK/NAME.txt; fail loudly when CMD fails.
measure() {
    local name=$1; shift
    local t0 t1
    t0=$(date +%s%N)
    if ! /usr/bin/time -f %M -o "$WORK/rss.tmp" "$@" >"$WORK/out.tmp" 2>&1; then
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

PGURL=${APPLYBENCH_PG_URL:-${JORYU_TEST_PG_URL:-}}
if [ "$PG" = 1 ] && [ -z "$PGURL" ]; then
    log "--pg needs APPLYBENCH_PG_URL or JORYU_TEST_PG_URL"; exit 2
fi
# pgreset: empty the benchmark database (drop and recreate schema public)
pgreset() {
    psql -q -X "$PGURL" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null 2>&1
}

ROWS=()
for N in $SIZES; do
    G="$WORK/n$N"
    $PY "$ROOT/bench/genapply.py" "$N" "$G"
    (cd "$G/joryu" && "$J" check) || { log "joryu check failed for N=$N"; exit 1; }
    "$JC" build "$G/joryu/migrations" -o "$G/h.jyb" --dialect=sqlite >/dev/null
    for D in $DBS; do
        P="$D-$N"
        log "N=$N on $D: $RUNS runs"
        for _ in $(seq "$RUNS"); do
            if [ "$D" = sqlite ]; then
                rm -f "$G"/*.db
                URL="sqlite:///$G/j.db"
                AURL="sqlite:///$G/a.db"
                measure "$P-raw-fresh" sh -c "sqlite3 '$G/raw.db' < '$G/raw.sql'"
            else
                pgreset
                URL="$PGURL"
                AURL="postgresql+psycopg2://${PGURL#postgresql://}"
                measure "$P-raw-fresh" psql -q -X -v ON_ERROR_STOP=1 "$PGURL" -1 -f "$G/raw.sql"
                pgreset
            fi
            cd "$G/joryu"
            measure "$P-joryu-fresh" "$J" apply --db "$URL" --quiet
            measure "$P-joryu-noop" "$J" apply --db "$URL" --quiet
            measure "$P-joryu-status" "$J" status --db "$URL"
            if [ "$D" = postgresql ]; then
                pgreset
            fi
            cd "$G/alembic"
            export APPLYBENCH_URL="$AURL"
            measure "$P-alembic-fresh" $PY -m alembic upgrade head
            measure "$P-alembic-noop" $PY -m alembic upgrade head
            measure "$P-alembic-status" $PY -m alembic current
            cd "$G/joryu"
            if [ "$D" = sqlite ]; then
                rm -f "$G/r.db"
                measure "$P-run-fresh" "$JR" apply "$G/h.jyb" --db "sqlite:///$G/r.db" --quiet
                measure "$P-run-noop" "$JR" apply "$G/h.jyb" --db "sqlite:///$G/r.db" --quiet
                measure "$P-run-status" "$JR" status "$G/h.jyb" --db "sqlite:///$G/r.db"
            fi
            cd "$ROOT"
        done
        read -r rf rr < <(median "$P-raw-fresh")
        read -r jf jfr < <(median "$P-joryu-fresh")
        read -r jn jnr < <(median "$P-joryu-noop")
        read -r js jsr < <(median "$P-joryu-status")
        read -r af afr < <(median "$P-alembic-fresh")
        read -r an anr < <(median "$P-alembic-noop")
        read -r as asr < <(median "$P-alembic-status")
        if [ "$D" = sqlite ]; then
            read -r xf xfr < <(median "$P-run-fresh")
            read -r xn xnr < <(median "$P-run-noop")
            read -r xs xsr < <(median "$P-run-status")
        else
            xf=-; xfr=-; xn=-; xs=-
        fi
        ROWS+=("| $D | $N | ${rf} s | ${jf} s | $(ratio "$jf" "$rf") | ${af} s | $(ratio "$af" "$jf") | ${jn} s | ${an} s | ${js} s | ${as} s | ${jfr} MiB | ${afr} MiB | $( [ "$xf" = - ] && echo "— | —" || echo "${xf} s / ${xn} s / ${xs} s | ${xfr} MiB") |")
    done
done

echo "| database | N | raw floor fresh | joryu fresh | joryu/raw | Alembic fresh | Alembic/joryu | joryu no-op | Alembic no-op | joryu status | Alembic current | joryu peak RSS | Alembic peak RSS | joryu-run fresh / no-op / status | joryu-run peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) at commit $(git -C "$ROOT" rev-parse --short HEAD) on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(. /etc/os-release; echo "$PRETTY_NAME"); load average before: $(cut -d' ' -f1-3 /proc/loadavg); medians of $RUNS runs."
