#!/usr/bin/env bash
# run_verify.sh - the verify benchmark: the analysis behind `verify` (the
# depends_on DAG, the effects of every op from one replay, the
# commutativity analysis through the object index) on generated histories
# of N migrations with C concurrent ones, in two set-ups (--base: the last C
# split between two branches; --db: C pending migrations spread over the
# history, compared with the applied ones after them).  Prints a Markdown
# table with the median times and the peak RSS, and the cost of each added
# migration between sizes (equal slopes = linear).  Asserts nothing about
# time.
#
#   bench/run_verify.sh [--sizes "2500 5000 10000 20000"] [--concurrent 200]
#                       [--runs 3] [--build DIR] [--seed S]
#
# Builds the static libraries (Release) in DIR (default:
# <repo>/build-release) when missing or stale, compiles bench/genmig.c and
# bench/verify_bench.c with cc against them, generates each N into a
# temporary directory (never the repo) and runs verify_bench.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES="2500 5000 10000 20000"
CONC=200
RUNS=3
BUILD="$ROOT/build-release"
SEED=20260101

while [ $# -gt 0 ]; do
    case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --concurrent) CONC=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run_verify.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$RUNS" in '' | *[!0-9]* | 0) echo "run_verify.sh: --runs needs a positive integer" >&2; exit 2 ;; esac
case "$CONC" in '' | *[!0-9]* | 0 | 1) echo "run_verify.sh: --concurrent needs an integer >= 2" >&2; exit 2 ;; esac
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)

log() { echo "run_verify.sh: $*" >&2; }

# ---------------------------------------------------------------- build
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    log "configuring a Release build in $BUILD"
    gen=()
    command -v ninja >/dev/null && gen=(-G Ninja)
    cmake -S "$ROOT" -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DJORYU_TESTS=OFF >&2
fi
if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD/CMakeCache.txt" ||
    grep -q '^JORYU_SANITIZE:BOOL=ON$' "$BUILD/CMakeCache.txt"; then
    echo "run_verify.sh: $BUILD is not a Release build without sanitizers; pick another --build" >&2
    exit 2
fi
log "building the libraries in $BUILD"
cmake --build "$BUILD" --target joryu_frontend joryu_ir joryu_base >&2

WORK=$(mktemp -d "${TMPDIR:-/tmp}/joryu-verify-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

CFLAGS=(-std=c17 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L)
${CC:-cc} "${CFLAGS[@]}" -o "$WORK/genmig" "$ROOT/bench/genmig.c"
${CC:-cc} "${CFLAGS[@]}" -I "$ROOT/base" -I "$ROOT/ir" -I "$ROOT/frontend" \
    -o "$WORK/verify_bench" "$ROOT/bench/verify_bench.c" \
    "$BUILD/frontend/libjoryu_frontend.a" "$BUILD/ir/libjoryu_ir.a" \
    "$BUILD/base/libjoryu_base.a" -ljansson -lcrypto -lpthread

# ---------------------------------------------------------------- runs
: >"$WORK/rows.txt"
for N in $SIZES; do
    dir="$WORK/n$N"
    mkdir -p "$dir"
    log "N=$N: generating"
    "$WORK/genmig" --seed "$SEED" "$N" "$dir" >/dev/null
    log "N=$N: analysing ($RUNS runs per set-up, $CONC concurrent)"
    "$WORK/verify_bench" "$dir" "$RUNS" "$CONC" >"$WORK/out.txt"
    # rows: 1 N, 2 set-up, 3 dag, 4 effects, 5 pairs, 6 total, 7 conflicts, 8 arena,
    # 9 fastest total, 10 compile, 11 RSS after compile, 12 RSS at the end, 13 replay
    awk -v n="$N" '
        /^compile=/ { split($1, c, "="); comp = c[2]; split($3, r, "="); rss0 = r[2]; next }
        /^rss_kb=/ { split($1, r, "="); rss = r[2]; next }
        /^replay=/ { split($1, r, "="); rep = r[2]; next }
        { split($2, g, "="); split($3, e, "="); split($4, p, "="); split($5, t, "=");
          split($6, k, "="); split($7, a, "="); split($8, b, "=");
          row[++nr] = n " " $1 " " g[2] " " e[2] " " p[2] " " t[2] " " k[2] " " a[2] " " b[2] }
        END { for (i = 1; i <= nr; i++) print row[i], comp, rss0, rss, rep }' "$WORK/out.txt" >>"$WORK/rows.txt"
    rm -rf "$dir"
done

echo "| N migrations | set-up | DAG | effects (replay alone) | pairs | verify total (fastest run) | conflicts | arena | compile (not in total) | peak RSS after compile | peak RSS at the end |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
sort -k2,2 -k1,1n "$WORK/rows.txt" | awk '{ printf "| %d | %s | %.1f ms | %.1f ms (%.1f ms) | %.1f ms | **%.1f ms** (%.1f ms) | %d | %.1f MB | %.2f s | %.0f MB | %.0f MB |\n",
    $1, $2, $3 * 1e3, $4 * 1e3, $13 * 1e3, $5 * 1e3, $6 * 1e3, $9 * 1e3, $7, $8 / 1024, $10, $11 / 1024, $12 / 1024 }'
echo
echo "Cost of each added migration (slope of the verify total between sizes, median and fastest run; equal slopes = linear in N):"
sort -k2,2 -k1,1n "$WORK/rows.txt" | awk '
    $2 != pd { pd = $2; pn = $1; pt = $6; pb = $9; next }
    { printf "  %s, N=%d to N=%d: %.2f µs (fastest: %.2f µs) per migration\n", $2, pn, $1,
             ($6 - pt) * 1e6 / ($1 - pn), ($9 - pb) * 1e6 / ($1 - pn);
      pn = $1; pt = $6; pb = $9 }'
echo
echo "Median of $RUNS runs; $CONC concurrent migrations; generator seed $SEED; $(nproc) CPUs; 1-minute load $(cut -d' ' -f1 /proc/loadavg); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)."
