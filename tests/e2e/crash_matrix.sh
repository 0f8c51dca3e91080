#!/usr/bin/env bash
# crash_matrix.sh - kill `joryu apply` with SIGKILL at many points of a
# 20-migration history (tests/crash/migrations: DDL of every kind, a
# 200,000-row seed, a 20-batch backfill, a NOT NULL after it) on PostgreSQL,
# MariaDB and SQLite, apply again, and check that the result is exactly what
# an uninterrupted apply gives.  docs/SPEC.md describes the matrix.
#
# Per dialect:
#   1. reference: a fresh database, one uninterrupted `apply --json`; its
#      schema snapshot, step rows and data check are kept, and its event
#      stream gives the kill-point layout (vm.h, vm_apply_opts.kill_at):
#      after each statement of a step, after each step is recorded, after
#      each backfill batch UPDATE and after each batch commit.
#   2. at least 30 kill points chosen from that layout (statements inside DDL
#      steps, statements of data steps, step records, batch UPDATEs, batch
#      commits, the first and the last point), each on a fresh database:
#      JORYU_TEST_KILL_AT=N apply must die by SIGKILL (exit 137), then plain
#      apply is run until it exits 0 (at most 4 times), then every check of
#      check_final (tests/crash/lib.sh): snapshot equal to the reference,
#      every backfilled value right, hits = 1 on every row (no batch ran
#      twice), every op.execute ran once, all migrations applied, all steps
#      done/skipped with the reference's op kinds and fingerprints, `joryu
#      status` exits 0; and a further apply executes nothing.
#   3. three real `kill -9` from outside in the middle of a statement: a
#      random one of the reference's five slowest steps (seed, backfill, NOT
#      NULL, index builds), a random 10-60% of its duration after its statement
#      appears in the --json stream (the seed is printed and
#      JORYU_CRASH_SEED repeats it), then the same recovery and checks.
#
# Environment: JORYU_BIN, JORYU_SRC, JORYU_TMP, JORYU_TEST_PG_URL,
# JORYU_TEST_MYSQL_URL (unset or unreachable: FAIL, never skip).
# JORYU_CRASH_DIALECTS="pg my sqlite" restricts the dialects (a development
# aid; the test command runs all three).
set -euo pipefail

source "${JORYU_SRC:?JORYU_SRC is not set}/tests/crash/lib.sh"
crash_init crash_matrix
trap crash_cleanup EXIT

DIALECTS=${JORYU_CRASH_DIALECTS:-pg my sqlite}
SEED=${JORYU_CRASH_SEED:-$(( $(date +%s) % 100000 ))}
RANDOM=$SEED
MIN_POINTS=30
TIMEOUT=180   # seconds per joryu run: a hung applier fails the run

RESULTS="$WORK/results.md"
FAILS=0
declare -A DIALECT_TIME DIALECT_RUNS DIALECT_OK

note "crash_matrix: work folder $WORK, random seed $SEED (JORYU_CRASH_SEED=$SEED repeats it)"
{
    echo "| dialect | kill | where (kill-point layout) | last event before death | kill exit | re-applies | result |"
    echo "|---|---|---|---|---|---|---|"
} >"$RESULTS"

# events FILE: the apply --json stream as TSV: event id step op batches sql
# (compact JSON lines, one object each; read with awk, no JSON tool needed:
# the fields read are the first of their name on the line, and the event's
# own fields come before any SQL text)
events() {
    awk -v OFS='\t' '
        function str(line, key,    r) {
            if (!match(line, "\"" key "\":\"[^\"]*\"")) return ""
            r = substr(line, RSTART + length(key) + 4, RLENGTH - length(key) - 5)
            return r
        }
        function num(line, key) {
            if (!match(line, "\"" key "\":[0-9]+")) return "0"
            return substr(line, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
        }
        /^\{.*\}$/ {
            sql = ""
            if (match($0, "\"sql\":\"")) {
                sql = substr($0, RSTART + 7, 48)
                gsub(/[\t]|\\[nt]/, " ", sql)
            }
            print str($0, "event"), str($0, "id"), num($0, "step"), str($0, "op"), num($0, "batches"), sql
        }' "$1"
}

# layout FILE: the kill points of an uninterrupted run's event stream, one a
# line: N  category  id  step  op  what
#   category: ddl (a statement of a schema step), dml (a statement of
#   op.execute / op.bulk_insert), rec (a step recorded), bupd (a batch UPDATE
#   before its commit), bcom (a batch commit)
layout() {
    events "$1" | awk -F'\t' -v OFS='\t' '
        $1 == "step_start" { op[$2 SUBSEP $3] = $4; nst[$2 SUBSEP $3] = 0; nb[$2 SUBSEP $3] = 0 }
        $1 == "step_sql" {
            k = $2 SUBSEP $3
            if (op[k] == "backfill") next
            nst[k]++
            cat = (op[k] == "execute" || op[k] == "bulk_insert") ? "dml" : "ddl"
            print ++n, cat, $2, $3, op[k], "after statement " nst[k] ": " $6
        }
        $1 == "step_progress" {
            k = $2 SUBSEP $3
            if ($5 + 0 <= nb[k]) next
            nb[k] = $5 + 0
            print ++n, "bupd", $2, $3, op[k], "batch " nb[k] " UPDATE, before its commit"
            print ++n, "bcom", $2, $3, op[k], "after batch " nb[k] " committed"
        }
        $1 == "step_done" || $1 == "step_skip" {
            k = $2 SUBSEP $3
            print ++n, "rec", $2, $3, op[k], "step recorded"
        }'
}

# pick K LIST...: K entries of LIST evenly spread (all when fewer).
pick() {
    local k=$1
    shift
    local m=$# i
    local -a a=("$@")
    if ((m <= k)); then
        printf '%s\n' "${a[@]}"
        return
    fi
    for ((i = 0; i < k; i++)); do
        echo "${a[$(((2 * i + 1) * m / (2 * k)))]}"
    done
}

# last_event FILE: "event id.step" of the last event in FILE.
last_event() {
    events "$1" | awk -F'\t' '$1 != "" && $1 != "finish" { e = $1; id = $2; s = $3 }
        END { if (e == "") print "(none)"; else print e " " id "." s }'
}

short() { # short TEXT: ids without their date (20260301T0000NN_slug -> NN_slug)
    echo "${1//20260301T0000/}"
}

# recover D URL LABEL: plain apply until exit 0 (at most 4 runs); echoes the
# exit codes; returns 1 when it never reached 0.
recover() {
    local d=$1 url=$2 label=$3 i rc codes=""
    for i in 1 2 3 4; do
        rc=0
        timeout $TIMEOUT "$JORYU_BIN/joryu" apply --db "$url" --json \
            >"$WORK/log/$label.resume$i.json" 2>"$WORK/log/$label.resume$i.err" </dev/null ||
            rc=$?
        codes+="${codes:+,}$rc"
        if ((rc == 0)); then
            echo "$codes"
            return 0
        fi
    done
    echo "$codes"
    return 1
}

# nothing_left D URL LABEL: one more apply exits 0 and runs no statement.
nothing_left() {
    local url=$2 label=$3 n
    timeout $TIMEOUT "$JORYU_BIN/joryu" apply --db "$url" --json >"$WORK/log/$label.again.json" \
        2>"$WORK/log/$label.again.err" </dev/null || {
        note "$label: apply after recovery exited non-zero: $(head -c 300 "$WORK/log/$label.again.err")"
        return 1
    }
    n=$(events "$WORK/log/$label.again.json" | awk -F'\t' '$1 == "step_sql" || $1 == "migration_start"' | wc -l)
    if ((n != 0)); then
        note "$label: apply after recovery still ran $n statements/migrations"
        return 1
    fi
}

row() { # row DIALECT KILL WHERE OBSERVED KILLRC RESUMES RESULT
    echo "| $1 | $2 | $3 | $4 | $5 | $6 | $7 |" >>"$RESULTS"
    printf '%-10s %-8s %-58s %-32s %4s %-9s %s\n' "$1" "$2" "${3:0:58}" "${4:0:32}" "$5" "$6" "$7" >&2
}

for d in $DIALECTS; do
    dn=$(dialect_name "$d")
    t0=$(date +%s%N)
    cd "$WORK/project"
    ref="$WORK/ref.$d"
    mkdir -p "$ref"

    # ---------------------------------------------------------- 1. reference
    fresh_db "$d" ref; url=$DB_URL
    rt0=$(date +%s%N)
    rc=0
    timeout $TIMEOUT "$JORYU_BIN/joryu" apply --db "$url" --json >"$ref/apply.json" 2>"$ref/apply.err" </dev/null || rc=$?
    ref_ms=$((($(date +%s%N) - rt0) / 1000000))
    ((rc == 0)) || fail "$dn: the uninterrupted apply exited $rc: $(head -c 800 "$ref/apply.err")"
    save_reference "$d" "$url" "$ref"
    check_final "$d" "$url" "$ref" "$dn reference" || fail "$dn: the reference run fails its own checks"
    drop_db "$d" "$url"
    layout "$ref/apply.json" >"$ref/layout.tsv"
    npoints=$(wc -l <"$ref/layout.tsv")
    note "$dn: uninterrupted apply ${ref_ms} ms, $npoints kill points in the layout"
    ((npoints >= MIN_POINTS)) || fail "$dn: only $npoints kill points in the layout of $ref/apply.json"

    # ------------------------------------------------- 2. choose kill points
    mapfile -t ddl < <(awk -F'\t' '$2 == "ddl" { print $1 }' "$ref/layout.tsv")
    mapfile -t dml < <(awk -F'\t' '$2 == "dml" { print $1 }' "$ref/layout.tsv")
    mapfile -t rec < <(awk -F'\t' '$2 == "rec" { print $1 }' "$ref/layout.tsv")
    mapfile -t bupd < <(awk -F'\t' '$2 == "bupd" { print $1 }' "$ref/layout.tsv")
    mapfile -t bcom < <(awk -F'\t' '$2 == "bcom" { print $1 }' "$ref/layout.tsv")
    ((${#bupd[@]} >= 3)) || fail "$dn: the layout has ${#bupd[@]} backfill batches (want the 20 of 20260301T000009_backfill_score)"
    # the seed's own statement (a 200,000-row INSERT must never run twice)
    seedpt=$(awk -F'\t' '$3 ~ /_seed_accounts$/ && $2 == "dml" { print $1; exit }' "$ref/layout.tsv")
    # the backfill step's record
    bfrec=$(awk -F'\t' '$5 == "backfill" && $2 == "rec" { print $1; exit }' "$ref/layout.tsv")
    mapfile -t points < <({
        echo 1
        echo "$npoints"
        echo "$seedpt"
        echo "$bfrec"
        pick 10 "${ddl[@]}"
        pick 2 "${dml[@]}"
        pick 6 "${rec[@]}"
        # first, middle and last batch, before and after the commit
        pick 4 "${bupd[@]}"
        echo "${bupd[0]}"
        echo "${bupd[$((${#bupd[@]} - 1))]}"
        pick 3 "${bcom[@]}"
        echo "${bcom[$((${#bcom[@]} - 1))]}"
    } | awk 'NF' | sort -n -u)
    # top up to MIN_POINTS + 1 with points spread over the rest of the layout
    if ((${#points[@]} <= MIN_POINTS)); then
        mapfile -t rest < <(awk -F'\t' '{ print $1 }' "$ref/layout.tsv" | grep -vxF -f <(printf '%s\n' "${points[@]}"))
        mapfile -t points < <({
            printf '%s\n' "${points[@]}"
            pick $((MIN_POINTS + 1 - ${#points[@]})) "${rest[@]}"
        } | sort -n -u)
    fi
    note "$dn: ${#points[@]} kill points: ${points[*]}"
    ((${#points[@]} >= MIN_POINTS)) || fail "$dn: only ${#points[@]} kill points chosen"

    runs=0
    ok=0
    declare -A seen_cat=()
    # --------------------------------------------------- 3. kill and recover
    for n in "${points[@]}"; do
        runs=$((runs + 1))
        IFS=$'\t' read -r _ cat mid step op what < <(awk -F'\t' -v n="$n" '$1 == n' "$ref/layout.tsv")
        where="$cat $(short "$mid") step $step ($op): $what"
        label="$d.k$n"
        fresh_db "$d" "k$n"; url=$DB_URL
        rc=0
        JORYU_TEST_KILL_AT=$n timeout $TIMEOUT "$JORYU_BIN/joryu" apply --db "$url" --json \
            >"$WORK/log/$label.kill.json" 2>"$WORK/log/$label.kill.err" </dev/null || rc=$?
        observed=$(last_event "$WORK/log/$label.kill.json")
        result=ok
        codes=-
        if ((rc != 137)); then
            result="FAIL: expected death by SIGKILL (137), got $rc: $(head -c 200 "$WORK/log/$label.kill.err" | tr '\n' ' ')"
        elif [[ $observed != *" $mid.$step" ]]; then
            # the layout said this point is in step `step` of `mid`; the
            # run died elsewhere: the numbering of vm.h does not hold
            result="FAIL: died at '$observed', not in $(short "$mid") step $step"
        fi
        if [[ $result == ok ]]; then
            if ! codes=$(recover "$d" "$url" "$label"); then
                result="FAIL: re-apply never exited 0 ($codes): $(tail -c 300 "$WORK/log/$label.resume4.err" | tr '\n' ' ')"
            elif ! check_final "$d" "$url" "$ref" "$dn kill@$n ($where)"; then
                result="FAIL: final state differs (above)"
            elif ! nothing_left "$d" "$url" "$label"; then
                result="FAIL: a further apply was not a no-op"
            fi
        fi
        if [[ $result == ok ]]; then
            ok=$((ok + 1))
            seen_cat[$cat]=$((${seen_cat[$cat]:-0} + 1))
        else
            FAILS=$((FAILS + 1))
        fi
        row "$dn" "KILL_AT=$n" "$where" "$(short "$observed")" "$rc" "$codes" "$result"
        drop_db "$d" "$url" || note "could not drop the database of $label"
    done

    # ------------------------------------------- 4. real kill -9 from outside
    # in the middle of a statement, which KILL_AT cannot reach: the five
    # slowest steps of the reference (the seed, the backfill, the NOT NULL,
    # index builds) are the candidates; each kill picks one of them at
    # random, waits for its last statement's event in the --json stream and
    # sends SIGKILL a random 10-60% of the reference step duration later
    mapfile -t slow < <(awk '/"event":"step_sql"/ { l = NR }
        /"event":"step_start"/ { l = 0 }
        /"event":"step_done"/ && l && match($0, /"duration_ms":[0-9]+/) {
            ms = substr($0, RSTART + 14, RLENGTH - 14) + 0
            print l, ms
        }' "$ref/apply.json" | sort -k2,2nr | head -5)
    ((${#slow[@]} >= 3)) || fail "$dn: fewer than 3 steps with statements in the reference run"
    for part in 1 2 3; do
        runs=$((runs + 1))
        pickx=$((RANDOM % ${#slow[@]}))
        read -r at stepms <<<"${slow[$pickx]}"
        unset "slow[$pickx]"
        slow=("${slow[@]}")
        extra=$((stepms * (10 + RANDOM % 51) / 100))
        label="$d.ext$part"
        fresh_db "$d" "x$part"; url=$DB_URL
        fifo="$WORK/log/$label.fifo"
        mkfifo "$fifo"
        # joryu itself is the background job (no timeout wrapper: the kill
        # must reach the applier, not a parent of it)
        "$JORYU_BIN/joryu" apply --db "$url" --json >"$fifo" 2>"$WORK/log/$label.kill.err" </dev/null &
        pid=$!
        seen=0
        while IFS= read -r line; do
            echo "$line" >>"$WORK/log/$label.kill.json"
            seen=$((seen + 1))
            if ((seen == at)); then
                sleep "$(printf '%d.%03d' $((extra / 1000)) $((extra % 1000)))"
                kill -9 "$pid" 2>/dev/null || true
            fi
        done <"$fifo"
        rm -f "$fifo"
        rc=0
        wait "$pid" || rc=$?
        observed=$(last_event "$WORK/log/$label.kill.json")
        result=ok
        codes=-
        if ((rc != 137 && rc != 0)); then
            result="FAIL: apply exited $rc before the kill: $(head -c 200 "$WORK/log/$label.kill.err" | tr '\n' ' ')"
        elif ! codes=$(recover "$d" "$url" "$label"); then
            result="FAIL: re-apply never exited 0 ($codes): $(tail -c 300 "$WORK/log/$label.resume4.err" | tr '\n' ' ')"
        elif ! check_final "$d" "$url" "$ref" "$dn kill -9 ${extra} ms after event $at"; then
            result="FAIL: final state differs (above)"
        elif ! nothing_left "$d" "$url" "$label"; then
            result="FAIL: a further apply was not a no-op"
        fi
        ((rc == 0)) && [[ $result == ok ]] && result="ok (finished before the kill)"
        if [[ $result == ok* ]]; then ok=$((ok + 1)); else FAILS=$((FAILS + 1)); fi
        row "$dn" "kill -9" "external SIGKILL ${extra} ms after event $at: $(sed -n "${at}p" "$ref/apply.json" | cut -c1-160 | sed 's/.*"id":"20260301T0000\([^"]*\)","step":\([0-9]*\),"sql":"\(.\{0,50\}\).*/\1 step \2: \3/')" "$(short "$observed")" "$rc" "$codes" "$result"
        drop_db "$d" "$url" || note "could not drop the database of $label"
    done

    DIALECT_TIME[$d]=$((($(date +%s%N) - t0) / 1000000000))
    DIALECT_RUNS[$d]=$runs
    DIALECT_OK[$d]=$ok
    note "$dn: $ok/$runs runs recovered correctly in ${DIALECT_TIME[$d]}s (kills by category: $(for c in "${!seen_cat[@]}"; do printf '%s=%s ' "$c" "${seen_cat[$c]}"; done))"
    # coverage: every category of kill point was hit and recovered
    for c in ddl dml rec bupd bcom; do
        ((${seen_cat[$c]:-0} > 0)) || { note "$dn: no recovered kill in category $c"; FAILS=$((FAILS + 1)); }
    done
    unset seen_cat
done

{
    echo
    echo "| dialect | runs | recovered | seconds |"
    echo "|---|---|---|---|"
    for d in $DIALECTS; do
        echo "| $(dialect_name "$d") | ${DIALECT_RUNS[$d]} | ${DIALECT_OK[$d]} | ${DIALECT_TIME[$d]} |"
    done
} >>"$RESULTS"
cat "$RESULTS"
((FAILS == 0)) || fail "$FAILS kill runs did not recover to the uninterrupted result (table above; logs in $WORK/log)"
echo "ok: crash matrix ($DIALECTS), random seed $SEED"
