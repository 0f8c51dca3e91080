#!/usr/bin/env bash
# test.sh - build joryu and run every test: the README's test command, and
# the whole of CI (.ci/run runs this and nothing else).
#
#   scripts/test.sh                  everything (about 5-20 minutes on 2 cores)
#   scripts/test.sh --quick          deps, servers, build/, ctest (no ASan, no fuzzing)
#   scripts/test.sh [...] -- ARGS    ARGS go to every ctest run (e.g. -- -L unit, -- -R e2e.db)
#
# Options: --quick, --no-asan, --no-fuzz, --no-deps (skip apt), --fuzz-seconds=N
# (frontend and backends targets, default 60; the others get half).  Environment:
# JORYU_BUILD_PREFIX (default "build": build/, build-asan/, build-fuzz/).
#
# Stages, each reported PASS or FAIL; a failed stage does not stop the
# others (a build that fails makes its test stage fail too):
#   deps        scripts/deps.sh: apt-get installs whatever is missing
#   servers     scripts/dbservers.sh starts PostgreSQL and MariaDB on loopback;
#               JORYU_TEST_PG_URL / JORYU_TEST_MYSQL_URL are exported for ctest.
#               They are stopped on any exit (success, failure, signal).
#   build       build/ (RelWithDebInfo, Ninja) and its ctest
#   asan        build-asan/ (-DJORYU_SANITIZE=ON) and its ctest
#   fuzz        build-fuzz/ (clang, -DJORYU_FUZZ=ON), every fuzz target run for a
#               bounded time on a working copy of its seed corpus; any crash,
#               leak, timeout or OOM fails
# The last line is "N passed, N failed" (stages); exit status 0 only when
# nothing failed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

QUICK=0 ASAN=1 FUZZ=1 DEPS=1
FUZZ_SECONDS=${JORYU_FUZZ_SECONDS:-60}
PREFIX=${JORYU_BUILD_PREFIX:-build}
CTEST_ARGS=()
while (( $# )); do
    case $1 in
    --quick) QUICK=1; ASAN=0; FUZZ=0 ;;
    --no-asan) ASAN=0 ;;
    --no-fuzz) FUZZ=0 ;;
    --no-deps) DEPS=0 ;;
    --fuzz-seconds=*) FUZZ_SECONDS=${1#*=} ;;
    --) shift; CTEST_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "test.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
[[ $FUZZ_SECONDS =~ ^[0-9]+$ ]] || { echo "test.sh: --fuzz-seconds needs a number" >&2; exit 2; }

JOBS=$(nproc 2>/dev/null || echo 2)
SUMMARY=()          # one line per stage
PASSED=0 FAILED=0
T0=$SECONDS
TMPROOT=$(mktemp -d /tmp/joryu-test.XXXXXX)
DBDIR=$TMPROOT/db
CHILD=""

# kill_tree PID: stop PID, kill its descendants (ctest's tests, ninja's
# compilers, ...), then PID itself.
kill_tree() {
    local c
    kill -STOP "$1" 2>/dev/null || return 0
    for c in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$c"; done
    kill -TERM "$1" 2>/dev/null
    kill -CONT "$1" 2>/dev/null
}

cleanup() {
    if [[ -n $CHILD ]]; then kill_tree "$CHILD"; fi
    if [[ -d $DBDIR ]]; then
        bash "$ROOT/scripts/dbservers.sh" stop "$DBDIR" >/dev/null 2>&1 ||
            echo "test.sh: stopping the database servers failed (data in $DBDIR)" >&2
    fi
    rm -rf "$TMPROOT"
}
trap cleanup EXIT
trap 'echo "test.sh: interrupted" >&2; exit 130' INT
trap 'echo "test.sh: terminated" >&2; exit 143' TERM
trap 'exit 129' HUP

# run CMD...: run in the background and wait, so that a signal reaches our
# traps at once (the EXIT trap then stops the servers).
run() {
    "$@" &
    CHILD=$!
    wait "$CHILD"
    local rc=$?
    CHILD=""
    return $rc
}

banner() { printf '\n==== %s ====\n' "$*"; }

# record NAME RC DETAIL SECONDS
record() {
    local word=PASS
    if [[ $2 -ne 0 ]]; then word=FAIL; FAILED=$((FAILED + 1)); else PASSED=$((PASSED + 1)); fi
    SUMMARY+=("$(printf '%-4s  %-22s %5ss  %s' "$word" "$1" "$4" "$3")")
    printf '==== %s: %s (%ss) %s\n' "$1" "$word" "$4" "$3"
}

# stage NAME CMD...: run one stage and record it.
stage() {
    local name=$1; shift
    banner "$name"
    local t=$SECONDS rc
    run "$@"; rc=$?
    record "$name" $rc "$([[ $rc -ne 0 ]] && echo "exit $rc")" $((SECONDS - t))
    return $rc
}

# configure_build DIR TARGET CMAKE-ARGS...: configure (Ninja, unless DIR was
# already configured with another generator) and build TARGET (all when "").
configure_build() {
    local dir=$1 target=$2; shift 2
    local gen=(-G Ninja)
    [[ -f $dir/CMakeCache.txt ]] && gen=()
    cmake -S "$ROOT" -B "$dir" "${gen[@]}" "$@" || return
    if [[ -n $target ]]; then
        cmake --build "$dir" --parallel "$JOBS" --target "$target"
    else
        cmake --build "$dir" --parallel "$JOBS"
    fi
}

# ctest_stage NAME DIR BUILD-RC: ctest in DIR (or a failure when its build
# failed); the ctest tally goes into the summary.
ctest_stage() {
    local name=$1 dir=$2 brc=$3
    banner "$name"
    if [[ $brc -ne 0 ]]; then
        record "$name" 1 "not run: the build failed" 0
        return
    fi
    local t=$SECONDS rc log=$TMPROOT/$name.log
    run ctest --test-dir "$dir" --output-on-failure --no-tests=error -j2 "${CTEST_ARGS[@]}" \
        > >(tee "$log") 2>&1
    rc=$?
    sleep 0.5 # let tee finish
    local tally failed
    tally=$(grep -E '^[0-9]+% tests passed' "$log" | tail -n 1)
    # the names of the failed tests, from ctest's closing list
    failed=$(sed -n '/The following tests FAILED:/,$p' "$log" |
        sed -n 's/^[[:space:]]*[0-9]* - \([^ ]*\) .*/\1/p' | head -n 8 | paste -sd ' ' -)
    record "$name" $rc "${tally:-no ctest summary}${failed:+ (failed: $failed)}" $((SECONDS - t))
}

# fuzz_target NAME EXE SECONDS: run one libFuzzer target on a working copy of
# its seed corpus (the source corpus is never written).
fuzz_target() {
    local name=$1 exe=$2 secs=$3 bdir=$4
    local seeds=$ROOT/tests/fuzz/corpus/$name
    local work=$bdir/fuzz-corpus/$name art=$bdir/fuzz-artifacts/$name
    mkdir -p "$work" "$art"
    rm -f "$art"/*
    if [[ -d $seeds ]]; then cp -rn "$seeds"/. "$work"/ || true; fi
    local dict=()
    if [[ -f $ROOT/tests/fuzz/$name.dict ]]; then dict=(-dict="$ROOT/tests/fuzz/$name.dict")
    elif [[ ($name == frontend || $name == backends) && -f $ROOT/tests/fuzz/dict ]]; then
        dict=(-dict="$ROOT/tests/fuzz/dict") # the migration language
    fi
    # the outer timeout is a safety net: libFuzzer stops itself
    timeout -k 10 $((secs * 2 + 300)) \
        "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -print_final_stats=1 -artifact_prefix="$art/" "${dict[@]}" "$work"
    local rc=$?
    if compgen -G "$art/*" >/dev/null; then
        echo "fuzz $name: artifacts in $art:"; ls -l "$art"
        [[ $rc -eq 0 ]] && rc=1
    fi
    return $rc
}

# ------------------------------------------------------------------ run

echo "joryu tests: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?') on $(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-?}"), $JOBS cores"

if (( DEPS )); then
    stage deps bash "$ROOT/scripts/deps.sh"
fi

banner servers
t=$SECONDS
if bash "$ROOT/scripts/dbservers.sh" start "$DBDIR" >"$TMPROOT/servers.env"; then
    # shellcheck disable=SC1090
    . "$TMPROOT/servers.env"
    export JORYU_TEST_PG_URL JORYU_TEST_MYSQL_URL
    echo "PostgreSQL: ${JORYU_TEST_PG_URL/:joryu@/:***@}"
    echo "MariaDB:    ${JORYU_TEST_MYSQL_URL/:joryu@/:***@}"
    record servers 0 "" $((SECONDS - t))
else
    record servers 1 "could not start PostgreSQL/MariaDB (tests that need them will fail)" $((SECONDS - t))
fi

B=$ROOT/$PREFIX
stage build configure_build "$B" "" -DCMAKE_BUILD_TYPE=RelWithDebInfo
brc=$?
ctest_stage ctest "$B" $brc

if (( ASAN )); then
    BA=$ROOT/$PREFIX-asan
    stage asan-build configure_build "$BA" "" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJORYU_SANITIZE=ON
    brc=$?
    supp=()
    [[ -f $ROOT/scripts/lsan.supp ]] && supp=(":suppressions=$ROOT/scripts/lsan.supp")
    ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:check_initialization_order=1" \
    LSAN_OPTIONS="print_suppressions=0${supp[*]}" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
        ctest_stage asan-ctest "$BA" $brc
fi

if (( FUZZ )); then
    BF=$ROOT/$PREFIX-fuzz
    stage fuzz-build configure_build "$BF" joryu_fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_COMPILER=clang -DJORYU_FUZZ=ON -DJORYU_TESTS=ON
    brc=$?
    targets=()
    for src in "$ROOT"/tests/fuzz/fuzz_*.c; do
        [[ -f $src ]] && targets+=("$(basename "$src" .c)")
    done
    for tgt in "${targets[@]}"; do
        name=${tgt#fuzz_}
        secs=$FUZZ_SECONDS
        [[ $name == frontend || $name == backends ]] || secs=$(( (FUZZ_SECONDS + 1) / 2 ))
        if [[ $brc -ne 0 || ! -x $BF/fuzz/$tgt ]]; then
            banner "fuzz-$name"
            record "fuzz-$name" 1 "not run: the fuzz build failed" 0
            continue
        fi
        ASAN_OPTIONS="detect_leaks=1" UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1" \
            stage "fuzz-$name" fuzz_target "$name" "$BF/fuzz/$tgt" "$secs" "$BF"
    done
fi

banner summary
for line in "${SUMMARY[@]}"; do echo "$line"; done
echo "total $((SECONDS - T0))s"
echo "$PASSED passed, $FAILED failed"
(( FAILED == 0 ))
