#!/usr/bin/env bash
# concurrency.sh - four `joryu apply` started at once on one database, for
# each of PostgreSQL, MariaDB and SQLite, with the 20-migration history of
# tests/crash/migrations (each migration's op.execute inserts its id into
# crash_log).  Expected: all four exit 0; every migration ran exactly once
# (one crash_log row each, one migration_start event in all four outputs
# together); the others waited for the apply lock and found nothing to do;
# the state tables say applied/done; the data is right (hits = 1 on every
# row: the backfill ran once).  docs/SPEC.md.
#
# Environment: JORYU_BIN, JORYU_SRC, JORYU_TMP, JORYU_TEST_PG_URL,
# JORYU_TEST_MYSQL_URL (unset or unreachable: FAIL, never skip).
set -euo pipefail

source "${JORYU_SRC:?JORYU_SRC is not set}/tests/crash/lib.sh"
crash_init concurrency
trap crash_cleanup EXIT

DIALECTS=${JORYU_CRASH_DIALECTS:-pg my sqlite}
NAPPLY=4
TIMEOUT=300

for d in $DIALECTS; do
    dn=$(dialect_name "$d")
    cd "$WORK/project"

    # the reference: one uninterrupted apply on its own database
    ref="$WORK/ref.$d"
    fresh_db "$d" ref; url=$DB_URL
    jy apply --db "$url" --quiet >/dev/null 2>"$WORK/log/$d.ref.err" ||
        fail "$dn: a lone apply failed: $(head -c 600 "$WORK/log/$d.ref.err")"
    save_reference "$d" "$url" "$ref"
    drop_db "$d" "$url"

    # four at once
    fresh_db "$d" conc; url=$DB_URL
    pids=()
    for i in $(seq 1 $NAPPLY); do
        timeout $TIMEOUT "$JORYU_BIN/joryu" apply --db "$url" --json \
            >"$WORK/log/$d.a$i.json" 2>"$WORK/log/$d.a$i.err" </dev/null &
        pids+=($!)
    done
    bad=0
    for i in $(seq 1 $NAPPLY); do
        rc=0
        wait "${pids[$((i - 1))]}" || rc=$?
        if ((rc != 0)); then
            note "$dn: applier $i exited $rc: $(head -c 600 "$WORK/log/$d.a$i.err")"
            bad=1
        fi
    done
    ((bad == 0)) || fail "$dn: not every concurrent apply exited 0"

    # every migration started exactly once over the four outputs
    starts=$(cat "$WORK/log/$d".a*.json | grep -o '"event":"migration_start","id":"[^"]*"' | sort | uniq -c |
        awk '{ print $1 }' | sort | uniq -c | awk '{ printf "%s x%s ", $1, $2 }')
    nstart=$(cat "$WORK/log/$d".a*.json | grep -c '"event":"migration_start"' || true)
    [[ $nstart -eq $NMIGS ]] ||
        fail "$dn: $nstart migration starts over $NAPPLY appliers, want $NMIGS (migrations x times started: $starts)"
    # at most one applier did the work: the others found nothing to do
    workers=0
    for i in $(seq 1 $NAPPLY); do
        grep -q '"event":"migration_start"' "$WORK/log/$d.a$i.json" && workers=$((workers + 1))
    done
    ((workers == 1)) || note "$dn: $workers appliers ran migrations (each migration still ran once)"

    check_final "$d" "$url" "$ref" "$dn concurrent" ||
        fail "$dn: the database after $NAPPLY concurrent appliers differs from a lone apply (above)"
    echo "ok: $dn: $NAPPLY concurrent appliers exited 0; $NMIGS migrations applied once each ($workers applier(s) did the work)"
    drop_db "$d" "$url"
done
echo "ok: concurrency ($DIALECTS)"
