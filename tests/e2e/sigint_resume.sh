#!/usr/bin/env bash
# sigint_resume.sh - operator pauses on PostgreSQL, MariaDB and SQLite with
# the 20-migration history of tests/crash/migrations (a 200,000-row backfill
# in 20 batches, each row's `hits` counts the batches that updated it):
#
#   SIGINT / SIGTERM during the backfill (sent as soon as the --json stream
#   reports the second batch): apply exits 3 with a `paused` event inside the
#   backfill; `joryu status` shows the migration paused; the state row is
#   'paused' with a pause_reason; exactly the committed batches are in the
#   data (hits = 1 on the rows of finished batches, 0 elsewhere, never 2);
#   plain `apply` resumes and exits 0; the end state equals an uninterrupted
#   apply's (tests/crash/lib.sh check_final: snapshot, values, hits = 1,
#   state tables, status exit 0).
#
#   --max-duration=1ms: every apply pauses (exit 3) at its first step or
#   batch boundary; each run must get past at least one step or batch (a
#   run that pauses before its first step makes no progress: three in a row
#   fail the test); applying again and again reaches exit 0 with the same
#   end state; several pauses fall between backfill batches.
#
# Environment: JORYU_BIN, JORYU_SRC, JORYU_TMP, JORYU_TEST_PG_URL,
# JORYU_TEST_MYSQL_URL (unset or unreachable: FAIL, never skip).
set -euo pipefail

source "${JORYU_SRC:?JORYU_SRC is not set}/tests/crash/lib.sh"
crash_init sigint_resume
trap 'crash_cleanup; [[ -n ${FIFO:-} ]] && rm -f "$FIFO"' EXIT

DIALECTS=${JORYU_CRASH_DIALECTS:-pg my sqlite}
BACKFILL=20260301T000009_backfill_score
TIMEOUT=300
FIFO="$WORK/events.fifo"

# interrupt D URL SIGNAL LABEL: apply, send SIGNAL once the second backfill
# batch is reported; check the pause; resume; check the end state.
interrupt() {
    local d=$1 url=$2 sig=$3 label=$4 dn line sent=0 rc=0 out done_batches
    dn=$(dialect_name "$d")
    rm -f "$FIFO"
    mkfifo "$FIFO"
    # joryu itself is the background job: the signal must reach it
    "$JORYU_BIN/joryu" apply --db "$url" --json >"$FIFO" 2>"$WORK/log/$label.err" </dev/null &
    local pid=$!
    # read the stream as it comes: the signal goes out right after the
    # second batch's event, while the backfill has 18 batches to go
    while IFS= read -r line; do
        echo "$line" >>"$WORK/log/$label.json"
        if ((sent == 0)) && [[ $line == *'"event":"step_progress"'* && $line == *"\"$BACKFILL\""* &&
            $line =~ \"batches\":([0-9]+) ]] && ((BASH_REMATCH[1] >= 2)); then
            kill -s "$sig" "$pid"
            sent=1
        fi
    done <"$FIFO"
    wait "$pid" || rc=$?
    rm -f "$FIFO"
    ((sent == 1)) || fail "$dn $sig: the backfill never reported a second batch (apply exited $rc): $(head -c 600 "$WORK/log/$label.err")"
    ((rc == 3)) || fail "$dn $sig: apply exited $rc after SIG$sig, want 3 (paused): $(head -c 600 "$WORK/log/$label.err")"
    grep -q "\"event\":\"paused\",\"id\":\"$BACKFILL\"" "$WORK/log/$label.json" ||
        fail "$dn $sig: no paused event for $BACKFILL in the --json stream: $(grep '"paused"' "$WORK/log/$label.json" || echo none)"

    # status shows it paused
    rc=0
    out=$(jy status --db "$url" 2>&1) || rc=$?
    ((rc == 0 || rc == 3)) || fail "$dn $sig: status exited $rc: $out"
    grep "$BACKFILL" <<<"$out" | grep -q paused ||
        fail "$dn $sig: joryu status does not show $BACKFILL paused:"$'\n'"$out"
    out=$(dbq "$d" "$url" "SELECT status, CASE WHEN pause_reason IS NULL THEN 'no reason' ELSE 'reason' END FROM joryu_migrations WHERE id = '$BACKFILL'")
    [[ $out == $'paused\treason' ]] || fail "$dn $sig: joryu_migrations row of $BACKFILL is '$out', want paused with a pause_reason"

    # the data holds exactly the committed batches: rows 1..k*10000 have
    # hits = 1, the others 0, none 2
    out=$(dbq "$d" "$url" "SELECT SUM(CASE WHEN hits = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN hits = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN hits > 1 THEN 1 ELSE 0 END), MAX(CASE WHEN hits = 1 THEN id ELSE 0 END) FROM accounts")
    local ones zeros twos maxid
    IFS=$'\t' read -r ones zeros twos maxid <<<"$out"
    ((twos == 0)) || fail "$dn $sig: $twos rows were updated twice before the pause"
    ((ones >= 20000 && ones < 200000 && ones % 10000 == 0 && maxid == ones && ones + zeros == 200000)) ||
        fail "$dn $sig: after the pause hits=1 on $ones rows (max id $maxid), hits=0 on $zeros: not whole batches from the start"
    done_batches=$((ones / 10000))

    # plain apply resumes
    rc=0
    jy apply --db "$url" --json >"$WORK/log/$label.resume.json" 2>"$WORK/log/$label.resume.err" </dev/null || rc=$?
    ((rc == 0)) || fail "$dn $sig: plain apply after the pause exited $rc, want 0 (a paused migration resumes on the next apply): $(head -c 600 "$WORK/log/$label.resume.err")"
    check_final "$d" "$url" "$WORK/ref.$d" "$dn $sig" || fail "$dn $sig: the resumed database differs from an uninterrupted apply (above)"
    echo "ok: $dn: SIG$sig paused the backfill after $done_batches batches (exit 3, status paused), plain apply resumed it to exit 0 with every row updated once"
}

# max_duration D URL LABEL
max_duration() {
    local d=$1 url=$2 label=$3 dn i rc pauses=0 bf_pauses=0 shown=0 stuck=0 out
    dn=$(dialect_name "$d")
    for ((i = 1; i <= 400; i++)); do
        rc=0
        timeout $TIMEOUT "$JORYU_BIN/joryu" apply --db "$url" --max-duration=1ms --json \
            >"$WORK/log/$label.$i.json" 2>"$WORK/log/$label.$i.err" </dev/null || rc=$?
        if ((rc == 0)); then
            break
        fi
        ((rc == 3)) || fail "$dn --max-duration: apply number $i exited $rc, want 3 or 0: $(head -c 600 "$WORK/log/$label.$i.err")"
        pauses=$((pauses + 1))
        # each run must get past at least one boundary: a pause before the
        # first step would leave every later apply where this one started
        if ! grep -q '"event":"step_done"\|"event":"step_progress"' "$WORK/log/$label.$i.json"; then
            stuck=$((stuck + 1))
            ((stuck < 3)) || fail "$dn --max-duration=1ms: $stuck applies in a row paused before finishing any step or batch (no progress; the duration ran out before the first step): $(grep '"paused"' "$WORK/log/$label.$i.json" | head -c 300)"
        else
            stuck=0
        fi
        grep -q "\"event\":\"paused\",\"id\":\"$BACKFILL\"" "$WORK/log/$label.$i.json" && bf_pauses=$((bf_pauses + 1))
        if ((shown == 0)); then
            # the first pause is visible in status
            out=$(jy status --db "$url" 2>&1) || true
            grep -q paused <<<"$out" || fail "$dn --max-duration: status after exit 3 shows nothing paused:"$'\n'"$out"
            shown=1
        fi
    done
    ((rc == 0)) || fail "$dn --max-duration: 400 applies did not finish"
    ((pauses >= 2)) || fail "$dn --max-duration=1ms: only $pauses pauses over the whole history"
    ((bf_pauses >= 2)) || fail "$dn --max-duration=1ms: $bf_pauses pauses inside the 20-batch backfill, want at least 2 (a pause at each batch boundary)"
    check_final "$d" "$url" "$WORK/ref.$d" "$dn --max-duration" || fail "$dn --max-duration: the end state differs (above)"
    echo "ok: $dn: --max-duration=1ms paused $pauses times ($bf_pauses inside the backfill), $i applies reached exit 0 with the uninterrupted result"
}

for d in $DIALECTS; do
    dn=$(dialect_name "$d")
    cd "$WORK/project"
    fresh_db "$d" ref; url=$DB_URL
    jy apply --db "$url" --quiet >/dev/null 2>"$WORK/log/$d.ref.err" ||
        fail "$dn: an uninterrupted apply failed: $(head -c 600 "$WORK/log/$d.ref.err")"
    save_reference "$d" "$url" "$WORK/ref.$d"
    drop_db "$d" "$url"

    fresh_db "$d" int; url=$DB_URL
    interrupt "$d" "$url" INT "$d.int"
    drop_db "$d" "$url"

    fresh_db "$d" term; url=$DB_URL
    interrupt "$d" "$url" TERM "$d.term"
    drop_db "$d" "$url"

    fresh_db "$d" maxd; url=$DB_URL
    max_duration "$d" "$url" "$d.maxd"
    drop_db "$d" "$url"
done
echo "ok: sigint_resume ($DIALECTS)"
