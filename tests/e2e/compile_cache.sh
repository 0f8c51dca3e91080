#!/usr/bin/env bash
# compile_cache.sh - joryu's compile cache (.joryu/cache, docs/SPEC.md "The
# compile cache") as a user meets it, on SQLite.  Evidence of a hit or a miss
# is the JORYU_CACHE=verbose note on stderr, never a time.  The first apply
# compiles and stores; status and a second apply hit; an edit of an applied
# migration is seen (exit 4, checksum changed) even when its size and mtime
# are kept; a new migration is applied; a removed pending one is gone from
# status; a change of joryu.toml misses; a damaged or truncated cache file is
# recompiled silently and rewritten; a failing compile stores nothing;
# JORYU_CACHE=off neither reads nor writes; four runs at once all work and
# leave a whole cache; a cache of another dialect is
# kept apart; .joryu/.gitignore ignores the folder.
set -euo pipefail
bin=${JORYU_BIN:?}
src=${JORYU_SRC:?}
mkdir -p "${JORYU_TMP:-/tmp}"
work=$(mktemp -d "${JORYU_TMP:-/tmp}/compile_cache.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; [[ -f $work/err ]] && sed 's/^/  stderr: /' "$work/err" | head -30 >&2; exit 1; }
export NO_COLOR=1
unset JORYU_DATABASE_URL JORYU_ENV JORYU_TEST_KILL_AT
export JORYU_CACHE=verbose
run() { set +e; "$@" >"$work/out" 2>"$work/err"; rc=$?; set -e; }
expect_rc() { [[ $rc == "$1" ]] || fail "$2: exit $rc, expected $1"; }
expect_note() { # WORD WHAT: the cache note on stderr says WORD
    grep -q "note: compile cache: $1" "$work/err" || fail "$2: no 'compile cache: $1' note"
}

mkdir "$work/p"
cp -r "$src/examples/." "$work/p/"
rm -rf "$work/p"/*.db "$work/p/.joryu"
cd "$work/p"
nmig=$(ls migrations/*.py | wc -l)

# ------------------------------------------- first run stores, then hits
run "$bin/joryu" apply --quiet
expect_rc 0 "first apply"
expect_note "miss (no cache yet): compiled, stored" "first apply"
[[ -f .joryu/cache/sqlite.jyb && -f .joryu/cache/sqlite.key ]] || fail "no .joryu/cache/sqlite.{jyb,key} after the first apply"
"$bin/joryuc" dis .joryu/cache/sqlite.jyb >/dev/null || fail "the cached bundle is not a bundle joryuc reads"
grep -qx '\*' .joryu/.gitignore || fail ".joryu/.gitignore does not ignore the folder"
run "$bin/joryu" status
expect_rc 0 "status"
expect_note "hit" "status after apply"
grep -q "$nmig applied, 0 pending" "$work/out" || fail "status: $(cat "$work/out")"
run "$bin/joryu" apply --plain
expect_rc 0 "second apply"
expect_note "hit" "second apply"
grep -q "nothing to do" "$work/out" || fail "second apply did something: $(cat "$work/out")"

# ---------------- an applied migration edited (same size, mtime restored)
f=migrations/20260518T090000_create_orders.py
cp "$f" "$work/orders.bak"
mtime=$(stat -c %Y "$f")
grep -q '"orders"' "$f" || fail "the sample's create_orders does not name \"orders\""
sed -i 's/"orders"/"ordrs_"/' "$f" # same length: same size
touch -d "@$mtime" "$f"
run "$bin/joryu" apply --quiet
expect_rc 4 "apply after editing an applied migration"
expect_note "miss" "apply after an edit"
grep -q "20260518T090000_create_orders" "$work/err" || fail "the checksum error does not name the migration"
run "$bin/joryu" status
grep -q "checksum changed" "$work/out" || fail "status does not flag the edit: $(cat "$work/out")"
cp "$work/orders.bak" "$f"
run "$bin/joryu" apply --quiet
expect_rc 0 "apply after restoring the file"

# ----------------------------------------------------- a new migration
cat >migrations/20260601T000000_add_notes.py <<'EOF'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260601T000000_add_notes")
def upgrade():
    op.create_table("notes", op.column("id", t.BigInt, primary_key=True))
EOF
run "$bin/joryu" status
expect_rc 0 "status with a new migration"
expect_note "miss" "status with a new migration"
grep -q "pending        20260601T000000_add_notes" "$work/out" || fail "new migration not pending: $(cat "$work/out")"
# a file this fresh is hashed, not trusted by its timestamps alone
grep -Eq '^f [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9a-f]{64} migrations/20260601T000000_add_notes.py$' \
    .joryu/cache/sqlite.key || fail "the fresh file's manifest line has no content hash"
# the same second, same size, new content: seen
sed -i 's/"notes"/"nates"/' migrations/20260601T000000_add_notes.py
run "$bin/joryu" apply --plain
expect_rc 0 "apply of the new migration"
grep -q "applied 1 migration" "$work/out" || fail "apply: $(cat "$work/out")"
[[ $(/usr/bin/python3 -c 'import sqlite3; print(sqlite3.connect("app.db").execute("select count(*) from sqlite_master where name=\"nates\"").fetchone()[0])') == 1 ]] ||
    fail "the edited new migration's SQL did not run (table nates missing)"

# ------------------------------------------- a pending migration removed
cat >migrations/20260602T000000_pending.py <<'EOF'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260602T000000_pending")
def upgrade():
    op.create_table("pend", op.column("id", t.BigInt, primary_key=True))
EOF
run "$bin/joryu" status
grep -q "20260602T000000_pending" "$work/out" || fail "status misses the pending file"
rm migrations/20260602T000000_pending.py
run "$bin/joryu" status
expect_note "miss" "status after removing a file"
! grep -q "20260602T000000_pending" "$work/out" || fail "status still lists a removed file"
run "$bin/joryu" status
expect_note "hit" "status again"

# ------------------------------------------------- joryu.toml changed
echo "# a comment" >>joryu.toml
run "$bin/joryu" status
expect_note "miss" "status after editing joryu.toml"

# --------------------------------------- a damaged cache is recompiled
/usr/bin/python3 - <<'EOF'
p = ".joryu/cache/sqlite.jyb"
b = bytearray(open(p, "rb").read())
b[-100] ^= 0x55 # a byte of the bundle's string data
open(p, "wb").write(b)
EOF
run "$bin/joryu" status
expect_rc 0 "status with a damaged cache"
expect_note "miss (the cached bundle is damaged): compiled, stored" "damaged cache"
grep -q "error" "$work/err" && fail "a damaged cache printed an error"
run "$bin/joryu" status
expect_note "hit" "status after the rewrite"
head -c 300 .joryu/cache/sqlite.jyb >"$work/t" && cp "$work/t" .joryu/cache/sqlite.jyb
run "$bin/joryu" apply --quiet
expect_rc 0 "apply with a truncated cache"
expect_note "miss" "truncated cache"
printf 'garbage' >.joryu/cache/sqlite.key
run "$bin/joryu" apply --quiet
expect_rc 0 "apply with a garbage key"
expect_note "miss (the cache is damaged)" "garbage key"
# a valid bundle that is not the one the key names (another writer's)
run "$bin/joryu" status
expect_note "hit" "status after the rewrite"
cp .joryu/cache/sqlite.jyb "$work/sqlite.jyb.bak"
"$bin/joryuc" build migrations -o .joryu/cache/sqlite.jyb --dialect=postgresql >/dev/null
run "$bin/joryu" status
expect_rc 0 "status with another bundle in the cache"
expect_note "miss" "another bundle in the cache"

# ---------------------------------------- a failing compile stores nothing
rm -rf .joryu
printf 'import joryu\n@joryu.migration(id="20260603T000000_bad")\ndef upgrade(:\n' \
    >migrations/20260603T000000_bad.py
run "$bin/joryu" status
expect_rc 1 "status with a broken migration"
expect_note "miss: the compile failed, nothing stored" "broken migration"
[[ ! -e .joryu/cache/sqlite.jyb && ! -e .joryu/cache/sqlite.key ]] || fail "a failing compile wrote the cache"
rm migrations/20260603T000000_bad.py

# ------------------------------------------------ JORYU_CACHE=off
rm -rf .joryu
JORYU_CACHE=off run "$bin/joryu" status
expect_rc 0 "status with JORYU_CACHE=off"
grep -q "compile cache" "$work/err" && fail "JORYU_CACHE=off still used the cache"
[[ ! -e .joryu ]] || fail "JORYU_CACHE=off created .joryu"

# ----------------------- concurrent runs: every one works, the cache is whole
rm -rf .joryu
pids=()
for i in 1 2 3 4; do
    "$bin/joryu" status >"$work/c$i.out" 2>"$work/c$i.err" &
    pids+=($!)
done
for i in 0 1 2 3; do
    wait "${pids[$i]}" || fail "concurrent status $((i + 1)) failed: $(cat "$work/c$((i + 1)).err")"
done
run "$bin/joryu" status
expect_rc 0 "status after concurrent runs"
expect_note "hit" "status after concurrent runs"
ls -a .joryu/cache | grep -q '^\.sqlite' && fail "temporary files left in .joryu/cache: $(ls -a .joryu/cache)"

# ------------------------------------- one file per dialect (heads: postgresql)
run "$bin/joryu" heads
expect_rc 0 "heads"
run "$bin/joryu" status
expect_rc 0 "status"
[[ -f .joryu/cache/postgresql.key && -f .joryu/cache/sqlite.key ]] ||
    fail "expected one cache file per dialect: $(ls .joryu/cache)"
run "$bin/joryu" heads
expect_note "hit" "heads again"
echo "compile_cache: ok"
