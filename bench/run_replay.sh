#!/usr/bin/env bash
# run_replay.sh - the replay/emission benchmark: schema replay
# (ir_replay_schema) and SQL emission (be_emit_program) per dialect on
# generated histories of N migration files, to see that both grow linearly
# in N.  Prints a Markdown table and the cost of each added migration
# between sizes (equal slopes = linear).  Asserts nothing about time.
#
#   bench/run_replay.sh [--sizes "1000 10000 50000"] [--runs 3]
#                       [--build DIR] [--seed S]
#
# Builds the static libraries (Release) in DIR (default:
# <repo>/build-release) when missing or stale, compiles bench/genmig.c and
# bench/replay_bench.c with cc against them, generates each N into a
# temporary directory (never the repo) and runs replay_bench, which compiles
# the history once and reports the median of RUNS replays and emissions.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES="1000 10000 50000"
RUNS=3
BUILD="$ROOT/build-release"
SEED=20260101

while [ $# -gt 0 ]; do
    case "$1" in
    --sizes) SIZES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --build) BUILD=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "run_replay.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$RUNS" in '' | *[!0-9]* | 0) echo "run_replay.sh: --runs needs a positive integer" >&2; exit 2 ;; esac
mkdir -p "$BUILD"
BUILD=$(cd "$BUILD" && pwd)

log() { echo "run_replay.sh: $*" >&2; }

# ---------------------------------------------------------------- build
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    log "configuring a Release build in $BUILD"
    gen=()
    command -v ninja >/dev/null && gen=(-G Ninja)
    cmake -S "$ROOT" -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DJORYU_TESTS=OFF >&2
fi
log "building the libraries in $BUILD"
cmake --build "$BUILD" --target joryu_backends joryu_frontend joryu_ir joryu_base >&2

WORK=$(mktemp -d "${TMPDIR:-/tmp}/joryu-replay-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

CFLAGS=(-std=c17 -O2 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L)
${CC:-cc} "${CFLAGS[@]}" -o "$WORK/genmig" "$ROOT/bench/genmig.c"
${CC:-cc} "${CFLAGS[@]}" -I "$ROOT/base" -I "$ROOT/ir" -I "$ROOT/frontend" -I "$ROOT/backends" \
    -o "$WORK/replay_bench" "$ROOT/bench/replay_bench.c" \
    "$BUILD/backends/libjoryu_backends.a" "$BUILD/frontend/libjoryu_frontend.a" \
    "$BUILD/ir/libjoryu_ir.a" "$BUILD/base/libjoryu_base.a" -ljansson -lcrypto

# ---------------------------------------------------------------- runs
: >"$WORK/rows.txt"
for N in $SIZES; do
    dir="$WORK/n$N"
    mkdir -p "$dir"
    log "N=$N: generating"
    "$WORK/genmig" --seed "$SEED" "$N" "$dir" >/dev/null
    log "N=$N: replaying and emitting ($RUNS runs per dialect)"
    "$WORK/replay_bench" "$dir" "$RUNS" >"$WORK/out.txt"
    awk -v n="$N" '
        /^compile=/ { split($1, c, "="); comp = c[2]; next }
        { split($2, t, "="); split($3, r, "="); split($4, e, "=");
          print n, $1, t[2], r[2], e[2], comp }' "$WORK/out.txt" >>"$WORK/rows.txt"
    rm -rf "$dir"
done

echo "| N migrations | dialect | tables at the end | replay (ir_replay_schema) | emit (be_emit_program) | emit µs/migration |"
echo "|---:|---|---:|---:|---:|---:|"
sort -k2,2 -k1,1n "$WORK/rows.txt" | awk '{ printf "| %d | %s | %d | %.3f s | %.3f s | %.1f |\n", $1, $2, $3, $4, $5, $5 * 1e6 / $1 }'
echo
echo "Cost of each added migration (slope between sizes; equal slopes = linear in N):"
sort -k2,2 -k1,1n "$WORK/rows.txt" | awk '
    $2 != pd { pd = $2; pn = $1; pr = $4; pe = $5; next }
    { printf "  %s, N=%d to N=%d: replay %.1f µs, emit %.1f µs\n", $2, pn, $1,
             ($4 - pr) * 1e6 / ($1 - pn), ($5 - pe) * 1e6 / ($1 - pn);
      pn = $1; pr = $4; pe = $5 }'
echo
echo "Median of $RUNS runs; generator seed $SEED; $(nproc) CPUs; 1-minute load $(cut -d' ' -f1 /proc/loadavg); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)."
