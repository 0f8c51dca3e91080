#!/usr/bin/env bash
# run_backfill.sh - the backfill benchmark (issue 4): a table of R rows
# (integer primary key id, an integer v, a nullable integer w) and a
# migration `op.backfill("items", set={"w": "v * 2"}, batch_size=B)`, timed
# beside
#   (a) one UPDATE of all rows (`UPDATE items SET w = v * 2`, autocommit), and
#   (b) the raw batched loop: one script of R/B
#       `BEGIN; UPDATE items SET w = v * 2 WHERE id >= x AND id <= y; COMMIT;`
#       run by the database's own client (sqlite3, psql, mariadb),
# and measured as `joryu apply` and `joryu-run apply` (a bundle built for the
# dialect).  Every measurement starts from the same freshly set-up table:
# the database is emptied, `joryu apply --target` runs the two migrations
# before the backfill (create the table, fill it with one INSERT ... SELECT),
# PostgreSQL gets VACUUM ANALYZE, then `sync`; none of that is timed.  The
# four variants run in an order rotated from one run to the next.
# After each timed run the script checks that every row has w = v * 2.
# Prints Markdown tables of medians (wall) and peak RSS; asserts nothing
# about time.
#
#   bench/run_backfill.sh [--dbs "sqlite postgresql mariadb"]
#                         [--rows "100000 1000000"] [--batch 10000]
#                         [--runs 3] [--build DIR] [--rev REF]
#
# DIR (default <repo>/build-applybench) must hold a Release build (bin/joryu,
# bin/joryuc, bin/joryu-run); it is configured and built when missing.
# --rev REF measures commit REF instead (`git archive` into
# ${TMPDIR:-/tmp}/joryu-bench-SHA, built Release there).
# PostgreSQL: URL from APPLYBENCH_PG_URL or JORYU_TEST_PG_URL (schema public
# is dropped and recreated before every run); MariaDB: URL from
# APPLYBENCH_MYSQL_URL or JORYU_TEST_MYSQL_URL (its database is dropped and
# created again).  Never point them at a database you care about;
# scripts/dbservers.sh starts throwaway servers and prints both URLs.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DBS="sqlite postgresql mariadb"
ROWSET="100000 1000000"
BATCH=10000
RUNS=3
BUILD="$ROOT/build-applybench"
REV=
while [ $# -gt 0 ]; do
    case "$1" in
    --dbs) DBS=$2; shift 2 ;;
    --rows) ROWSET=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --rev) REV=$2; shift 2 ;;
    -h | --help) sed -n '2,32p' "$0"; exit 0 ;;
    *) echo "run_backfill.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
# shellcheck source=bench/benchlib.sh
. "$ROOT/bench/benchlib.sh"
log() { echo "run_backfill.sh: $*" >&2; }


bench_build "$ROOT" "$BUILD" "$REV" || exit 1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/joryu-backfill-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT



# project DIR R: the three migrations (create, fill with R rows, backfill)
project() {
    local dir=$1 r=$2
    mkdir -p "$dir/migrations"
    printf '[joryu]\nmigrations_dir = "migrations"\n\n[dialects]\ntargets = ["postgresql", "mysql", "sqlite"]\n' \
        >"$dir/joryu.toml"
    cat >"$dir/migrations/20260101T000001_items.py" <<EOF
"""The backfill benchmark's table."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000001_items")
def upgrade():
    op.create_table(
        "items",
        op.column("id", t.Int, primary_key=True),
        op.column("v", t.Int, nullable=False),
        op.column("w", t.Int),
    )
EOF
    cat >"$dir/migrations/20260101T000002_fill.py" <<EOF
"""$r rows (id = v = 1..$r, w NULL)."""
import joryu
from joryu import op


@joryu.migration(id="20260101T000002_fill")
def upgrade():
    op.execute({
        "postgresql": "INSERT INTO items (id, v) SELECT g, g FROM generate_series(1, $r) AS g",
        "mysql": "INSERT INTO items (id, v) SELECT seq, seq FROM seq_1_to_$r",
        "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < $r) "
                  "INSERT INTO items (id, v) SELECT x, x FROM c",
    })
EOF
    cat >"$dir/migrations/20260101T000003_backfill.py" <<EOF
"""The backfill being measured."""
import joryu
from joryu import op


@joryu.migration(id="20260101T000003_backfill")
def upgrade():
    op.backfill("items", set={"w": "v * 2"}, key="id", batch_size=$BATCH)
EOF
}

# loopsql R B: the raw batched loop, one transaction per batch
loopsql() {
    awk -v r="$1" -v b="$2" 'BEGIN { for (lo = 1; lo <= r; lo += b) {
        hi = lo + b - 1; if (hi > r) hi = r;
        printf "BEGIN;\nUPDATE items SET w = v * 2 WHERE id >= %d AND id <= %d;\nCOMMIT;\n", lo, hi } }'
}

ONE_UPDATE="UPDATE items SET w = v * 2"
CHECK="SELECT COUNT(*) FROM items WHERE w = v * 2"

for D in $DBS; do
    db_init "$D" "$WORK" || exit 2
done

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A TABLES
for D in $DBS; do
    dial=$(db_dialect "$D")
    for R in $ROWSET; do
        P="$WORK/$D-$R"
        project "$P" "$R"
        loopsql "$R" "$BATCH" >"$P/loop.sql"
        "$JC" build "$P/migrations" -o "$P/h.jyb" --dialect="$dial" >/dev/null
        URL=$(db_url "$D")
        # setup: an empty database with the table filled, the backfill pending
        setup() {
            db_reset "$D"
            (cd "$P" && "$J" apply --db "$URL" --quiet --target 20260101T000002_fill) >/dev/null ||
                { log "setup failed on $D"; exit 1; }
            if [ "$D" = postgresql ]; then
                db_sql "$D" "VACUUM ANALYZE items"
            fi
            sync # the setup's dirty pages are written now, not during the timing
        }
        verify() {
            local n
            n=$(db_sql "$D" "$CHECK" | tr -d '[:space:]')
            [ "$n" = "$R" ] || { log "$D after $1: $n rows have w = v * 2, want $R"; exit 1; }
        }
        log "$D, $R rows, batch $BATCH: $RUNS runs"
        # the four variants, in an order rotated each run (so that none is
        # always the one right after the setup's writes)
        variant() {
            setup
            case $1 in
            0) measure "$D-$R-update" db_sql "$D" "$ONE_UPDATE"; verify "one UPDATE" ;;
            1) measure "$D-$R-loop" db_script "$D" "$P/loop.sql"; verify "the raw loop" ;;
            2) measure "$D-$R-joryu" sh -c "cd '$P' && exec '$J' apply --db '$URL' --quiet"
               verify "joryu apply" ;;
            3) measure "$D-$R-run" "$JR" apply "$P/h.jyb" --db "$URL" --quiet
               verify "joryu-run apply" ;;
            esac
        }
        for i in $(seq 0 $((RUNS - 1))); do
            for v in 0 1 2 3; do variant $(( (v + i) % 4 )); done
        done
        read -r u _ < <(median "$D-$R-update")
        read -r l _ < <(median "$D-$R-loop")
        read -r j jr < <(median "$D-$R-joryu")
        read -r x xr < <(median "$D-$R-run")
        TABLES[$D]+="| $D | $R | $(( (R + BATCH - 1) / BATCH )) | ${u} s | ${l} s | ${j} s | $(ratio "$j" "$l") | ${x} s | $(ratio "$x" "$l") | $(ratio "$l" "$u") | ${jr} MiB | ${xr} MiB |"$'\n'
    done
done

echo "| database | rows | batches | one UPDATE | raw batched loop | joryu apply | joryu/loop | joryu-run apply | joryu-run/loop | loop/one UPDATE | joryu peak RSS | joryu-run peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for D in $DBS; do printf '%s' "${TABLES[$D]}"; done
echo
echo "Measured $(date -u +%Y-%m-%dT%H:%MZ), $BENCH_CODE, on $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(. /etc/os-release; echo "$PRETTY_NAME"); $(db_versions "$DBS"); batch size $BATCH; medians of $RUNS runs; load average before: $LOAD0, after: $(cut -d' ' -f1-3 /proc/loadavg)."
