#!/usr/bin/env bash
# apply_flags.sh - the flags of `joryu apply` / `down` on SQLite, as a user
# checks them: --quiet prints nothing on success; two progress modes are
# refused; --max-duration pauses a backfill (exit 3) and --no-resume leaves
# it paused; SIGTERM pauses a backfill (exit 3); --lock-timeout gives up
# while another applier (waiting at the prompt) holds the lock; --non-interactive
# --on-failure=abort changes nothing and exits 2, --on-failure=restart redoes
# the migration from step 1; the recovery prompt on a terminal (via script(1))
# aborts on 5 and skips the failed step on 4; --json reports a failure as
# migration_failed and finish with exit_code 2; --target names a known
# migration; down --to and --steps; JORYU_TEST_KILL_AT kills the applier and
# the next apply finishes the work with every backfilled value right; on a
# terminal a backfill shows a live line (batches, rows, rate, ETA).
set -euo pipefail
bin=${JORYU_BIN:?}
mkdir -p "${JORYU_TMP:-/tmp}"
work=$(mktemp -d "${JORYU_TMP:-/tmp}/apply_flags.XXXXXX")
bg=
cleanup() { [[ -n $bg ]] && kill -9 "$bg" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; [[ -f $work/err ]] && sed 's/^/  stderr: /' "$work/err" | head -20 >&2; exit 1; }
PY=/usr/bin/python3
export NO_COLOR=1
unset JORYU_DATABASE_URL JORYU_ENV JORYU_TEST_KILL_AT
joryu() { "$bin/joryu" "$@"; }
run() { set +e; "$@" >"$work/out" 2>"$work/err" </dev/null; rc=$?; set -e; }
expect_rc() { [[ $rc == "$1" ]] || fail "$2: exit $rc, expected $1"; }
q() { $PY -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print("|".join(map(str,r))) for r in c.execute(sys.argv[2])]' "$@"; }
status_of() { # ID -> its status from `joryu status --json`
    joryu status --json | $PY -c 'import json,sys; d=json.load(sys.stdin); print([m["status"] for m in d["migrations"] if m["id"]==sys.argv[1]][0])' "$1"
}
wait_progress() { # FILE PID: until FILE has a step_progress event
    for _ in $(seq 1 600); do
        grep -q '"step_progress"' "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.01
    done
    return 1
}

cd "$work"
joryu init >/dev/null
sed -i 's|^url = .*|url = "sqlite:///f.db"|' joryu.toml
cat > migrations/20260101T000000_add_big.py <<'PY'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260101T000000_add_big")
def upgrade():
    op.create_table("big", op.column("id", t.BigInt, primary_key=True), op.column("v", t.Text),
                    op.column("w", t.Text))

@joryu.downgrade
def downgrade():
    op.drop_table("big")
PY
cat > migrations/20260102T000000_fill_big.py <<'PY'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260102T000000_fill_big")
def upgrade():
    op.backfill("big", set={"w": "UPPER(v)"}, where="w IS NULL", key="id", batch_size=20)

@joryu.downgrade
def downgrade():
    pass
PY

run joryu apply --plain --json
expect_rc 1 "two progress modes"
grep -q "at most one" "$work/err" || fail "two progress modes: no clear message"
run joryu apply --target=20260101T000000_add_bi
expect_rc 1 "--target with an unknown id"
grep -q "did you mean '20260101T000000_add_big'" "$work/err" || fail "--target: no did-you-mean"
run joryu apply --quiet --target=20260101T000000_add_big
expect_rc 0 "apply --quiet"
[[ ! -s $work/out && ! -s $work/err ]] || fail "--quiet printed something on success"
$PY -c 'import sqlite3; c=sqlite3.connect("f.db"); c.executemany("INSERT INTO big (id, v) VALUES (?, ?)", ((i, "v%d" % i) for i in range(1, 100001))); c.commit()'
echo "ok: one progress mode, --target checked, --quiet silent"

# --max-duration pauses; --no-resume keeps the pause
run joryu apply --plain --max-duration=200ms
expect_rc 3 "--max-duration"
grep -q "max-duration" "$work/out" || fail "the pause does not name --max-duration: $(cat "$work/out")"
[[ $(status_of 20260102T000000_fill_big) == paused ]] || fail "--max-duration: not paused"
before=$(q f.db "SELECT count(*) FROM big WHERE w IS NULL")
(( before > 0 )) || fail "--max-duration: the backfill finished anyway"
run joryu apply --plain --no-resume
expect_rc 3 "--no-resume with a paused migration"
[[ $(q f.db "SELECT count(*) FROM big WHERE w IS NULL") == "$before" ]] || fail "--no-resume ran the backfill"
echo "ok: --max-duration pauses (exit 3), --no-resume leaves it paused"

# SIGTERM pauses a running backfill
"$bin/joryu" apply --json >"$work/events" 2>"$work/err1" </dev/null &
bg=$!
wait_progress "$work/events" "$bg" || fail "the applier reported no progress"
kill -TERM "$bg" 2>/dev/null || fail "the applier ended before SIGTERM: the backfill was too fast to interrupt"
set +e; wait "$bg"; rc=$?; set -e; bg=
expect_rc 3 "SIGTERM"
grep -q "SIGTERM" "$work/err1" || fail "the pause after SIGTERM does not say so: $(cat "$work/err1")"
[[ $(status_of 20260102T000000_fill_big) == paused ]] || fail "SIGTERM: not paused"
run joryu apply --plain
expect_rc 0 "apply after SIGTERM"
[[ $(q f.db "SELECT count(*) FROM big WHERE w IS NULL OR w <> UPPER(v)") == 0 ]] || fail "backfill values wrong after resume"
echo "ok: SIGTERM pauses (exit 3); apply resumes"

# failures: --on-failure=abort, restart; --json failure events
cat > migrations/20260103T000000_broken.py <<'PY'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260103T000000_broken")
def upgrade():
    op.create_table("side", op.column("id", t.BigInt, primary_key=True))
    op.execute("UPDATE no_such_table SET x = 1", reverse="SELECT 1")
    op.create_table("after", op.column("id", t.BigInt, primary_key=True))
PY
run joryu apply --json
expect_rc 2 "failing apply --json"
$PY - "$work/out" <<'PYEOF' || fail "--json failure events"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
f = [e for e in ev if e["event"] == "migration_failed"]
assert len(f) == 1 and f[0]["id"] == "20260103T000000_broken" and f[0]["step"] == 2, f
assert "no_such_table" in f[0]["sql"] and "no such table" in f[0]["error"], f
assert any(e["event"] == "error" for e in ev)
assert ev[-1]["event"] == "finish" and ev[-1]["exit_code"] == 2 and ev[-1]["failed"] == 1, ev[-1]
PYEOF
steps_before=$(q f.db "SELECT count(*) FROM joryu_migration_steps")
run joryu apply --plain --non-interactive --on-failure=abort
expect_rc 2 "--on-failure=abort"
[[ $(q f.db "SELECT count(*) FROM joryu_migration_steps") == "$steps_before" ]] || fail "--on-failure=abort changed the state"
grep -q "step 1/3" "$work/out" && fail "--on-failure=abort ran steps"
# --lock-timeout: an applier waiting at the recovery prompt holds the apply lock
command -v script >/dev/null || fail "script(1) (bsdutils) is missing: the prompt needs a terminal"
mkfifo "$work/answers"
script -qec "$bin/joryu apply" /dev/null <"$work/answers" >"$work/tty1" 2>&1 &
bg=$!
exec 3>"$work/answers"
for _ in $(seq 1 1000); do
    grep -q "Choose \[1-5\]" "$work/tty1" 2>/dev/null && break
    sleep 0.01
done
grep -q "Choose \[1-5\]" "$work/tty1" || fail "no prompt on a terminal: $(cat "$work/tty1")"
run joryu apply --plain --lock-timeout=0
expect_rc 1 "--lock-timeout=0 while another applier holds the lock"
grep -qi "lock" "$work/err" || fail "the lock timeout message does not mention the lock"
run joryu apply --plain --lock-timeout=300ms
expect_rc 1 "--lock-timeout=300ms while another applier holds the lock"
printf '5\n' >&3
exec 3>&-
set +e; wait "$bg"; rc=$?; set -e; bg=
expect_rc 2 "the prompting applier answered abort"
echo "ok: --lock-timeout gives up while another applier holds the lock (exit 1)"
run joryu apply --plain --on-failure=resum
expect_rc 1 "--on-failure with a typo"
grep -q "did you mean --on-failure=resume" "$work/err" || fail "--on-failure: no did-you-mean"
echo "ok: --json reports the failure; --on-failure=abort changes nothing"

# the recovery prompt on a terminal
if command -v script >/dev/null; then
    (sleep 1; printf '5\n') | script -qec "$bin/joryu apply" /dev/null >"$work/tty" 2>&1 && rc=0 || rc=$?
    expect_rc 2 "prompt answered 5 (abort)"
    grep -q "How would you like to proceed" "$work/tty" || fail "no recovery prompt on a terminal: $(cat "$work/tty")"
    grep -q "\[4\] Skip step 2" "$work/tty" || fail "the prompt does not name the failed step"
    [[ $(status_of 20260103T000000_broken) == failed ]] || fail "abort changed the status"
    (sleep 1; printf '4\n') | script -qec "$bin/joryu apply" /dev/null >"$work/tty" 2>&1 && rc=0 || rc=$?
    expect_rc 0 "prompt answered 4 (skip the failed step)"
    [[ $(status_of 20260103T000000_broken) == applied ]] || fail "skip: not applied"
    joryu status --json | grep -q '"skipped"' || fail "status does not show the skipped step"
    q f.db "SELECT name FROM sqlite_master WHERE name='after'" | grep -q after || fail "skip: step 3 did not run"
    echo "ok: the recovery prompt aborts on 5 and skips the failed step on 4"
else
    fail "script(1) (bsdutils) is missing: the prompt needs a terminal"
fi

# --on-failure=restart: mark it failed at step 2 again, fix, restart from 1
sed -i 's/UPDATE no_such_table SET x = 1/UPDATE big SET w = w/' migrations/20260103T000000_broken.py
run joryu mark 20260103T000000_broken.2 --as=pending
expect_rc 0 "mark a step pending"
[[ $(status_of 20260103T000000_broken) == failed ]] || fail "marking a step pending did not make the migration failed"
run joryu apply --plain --non-interactive --on-failure=restart
expect_rc 0 "--on-failure=restart"
grep -q "step 1/3: skipped (done in an earlier run)" "$work/out" && fail "restart resumed instead of restarting"
[[ $(status_of 20260103T000000_broken) == applied ]] || fail "restart did not apply"
echo "ok: --on-failure=restart redoes the migration from step 1"

# down --steps, --to
run joryu down --plain --steps=2
expect_rc 0 "down --steps=2"
[[ $(status_of 20260103T000000_broken) == pending && $(status_of 20260102T000000_fill_big) == pending ]] || fail "down --steps=2"
[[ $(status_of 20260101T000000_add_big) == applied ]] || fail "down --steps=2 undid too much"
run joryu down --steps=1 --to=20260101T000000_add_big
expect_rc 1 "--steps with --to"
run joryu apply --plain
expect_rc 0 "apply after down"
run joryu down --plain --to=20260101T000000_add_big
expect_rc 0 "down --to"
[[ $(status_of 20260101T000000_add_big) == applied && $(status_of 20260102T000000_fill_big) == pending ]] || fail "down --to"
echo "ok: down --steps and --to"

# JORYU_TEST_KILL_AT: killed mid-backfill, the next apply finishes
$PY -c 'import sqlite3; c=sqlite3.connect("f.db"); c.execute("UPDATE big SET w = NULL"); c.commit()'
run env JORYU_TEST_KILL_AT=7 "$bin/joryu" apply --plain
[[ $rc == 137 ]] || fail "JORYU_TEST_KILL_AT=7: exit $rc, expected 137 (SIGKILL)"
run joryu apply --plain
expect_rc 0 "apply after a SIGKILL"
[[ $(q f.db "SELECT count(*) FROM big WHERE w IS NULL OR w <> UPPER(v)") == 0 ]] || fail "backfill wrong after SIGKILL"
run env JORYU_TEST_KILL_AT=x "$bin/joryu" apply
expect_rc 1 "JORYU_TEST_KILL_AT=x"
echo "ok: JORYU_TEST_KILL_AT kills the applier; the next apply finishes the work"
# the live backfill line on a terminal: batches, rows, rate, ETA, redrawn with \r
run joryu down --plain --to=20260101T000000_add_big
expect_rc 0 "down before the live-line run"
$PY -c 'import sqlite3; c=sqlite3.connect("f.db"); c.execute("UPDATE big SET w = NULL"); c.commit()'
script -qec "$bin/joryu apply" /dev/null </dev/null >"$work/tty" 2>&1 || fail "apply on a terminal: $(tr '\r' '\n' <"$work/tty" | tail -5)"
tr '\r' '\n' <"$work/tty" | grep -E 'backfill big +batch [0-9]+/[0-9]+ .* rows +[0-9]+ rows/s +ETA [0-9]+:[0-9]{2}' >/dev/null ||
    fail "no live backfill line on a terminal: $(tr '\r' '\n' <"$work/tty" | head -8)"
grep -q $'\r' "$work/tty" || fail "the live line is not redrawn with \\r"
[[ $(q f.db "SELECT count(*) FROM big WHERE w IS NULL OR w <> UPPER(v)") == 0 ]] || fail "backfill wrong after the terminal run"
echo "ok: a terminal shows the live backfill line (batches, rows, rate, ETA)"
echo "apply_flags: all ok"
