#!/usr/bin/env bash
# compile_cache.sh - joryu's compile cache (.joryu/cache, docs/SPEC.md "The
# compile cache") as a user meets it, on SQLite.  Evidence of a hit or a miss
# is the JORYU_CACHE=verbose note on stderr, never a time.  The first apply
# compiles and stores; status and a second apply hit, and a hit writes
# nothing; an edit of an applied migration is seen (exit 4, checksum changed)
# even when its size and mtime are kept; a new migration is applied (a file
# this fresh is hashed on each lookup until it is 2 s old, then the key is
# written again once and it is not); a removed pending one is gone from
# status; a file renamed into or out of the migrations (mtimes of the file
# and the folder kept) is seen; a file added with an old mtime is seen; a
# folder whose own stat changed without any migration changing is still a
# hit; another joryu binary misses; a change of joryu.toml (a comment, the
# target dialects) misses; a key of the older text format, a damaged or
# truncated cache file is recompiled silently and rewritten; a failing
# compile stores nothing; JORYU_CACHE=off neither reads nor writes; four
# runs at once all work and leave a whole cache; a cache of another dialect
# is kept apart; .joryu/.gitignore ignores the folder; with 600 migrations
# (the bundle loaded on a second thread while the files are compared) a hit
# and a miss.
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
# a hit writes nothing: the key and the bundle are the same files as before
ids() { stat -c '%i %Y %Z %s' .joryu/cache/sqlite.key .joryu/cache/sqlite.jyb; }
before=$(ids)
run "$bin/joryu" apply --quiet
expect_note "hit" "third apply"
run "$bin/joryu" status
expect_note "hit" "status again"
[[ $(ids) == "$before" ]] || fail "a hit rewrote the cache: $before -> $(ids)"

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
run "$bin/joryu" status
expect_note "hit" "status again with the new migration"
grep -Eq "compile cache: hit .*[1-9][0-9]* hashed" "$work/err" || fail "the fresh file was not hashed"
# the same second, same size, new content: seen
sed -i 's/"notes"/"nates"/' migrations/20260601T000000_add_notes.py
run "$bin/joryu" apply --plain
expect_rc 0 "apply of the new migration"
grep -q "applied 1 migration" "$work/out" || fail "apply: $(cat "$work/out")"
[[ $(/usr/bin/python3 -c 'import sqlite3; print(sqlite3.connect("app.db").execute("select count(*) from sqlite_master where name=\"nates\"").fetchone()[0])') == 1 ]] ||
    fail "the edited new migration's SQL did not run (table nates missing)"
# 2 s later the fresh file is trusted by its stat: the key is written again
# once, and later lookups neither hash it nor list the folder
sleep 2.2
run "$bin/joryu" status
expect_note "hit" "status 2 s later"
grep -q "key refreshed" "$work/err" || fail "the key was not written again: $(cat "$work/err")"
run "$bin/joryu" status
expect_note "hit" "status after the refresh"
grep -Eq "compile cache: hit .* 0 hashed\)" "$work/err" || fail "files still hashed after the refresh"

# Now the key trusts the folder's stat (it is 2 s old): a file renamed into
# or out of the migrations with every mtime kept is still seen.
# (touch -r copies a timestamp to the nanosecond; only the ctime moves)
touch -r migrations "$work/dir.ref"
old=migrations/20260514T093000_add_users.py
cat >"$work/draft.txt" <<'EOF'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260604T000000_renamed")
def upgrade():
    op.create_table("renamed", op.column("id", t.BigInt, primary_key=True))
EOF
cp "$work/draft.txt" migrations/draft.txt # not a migration file: not compiled
touch -r "$old" migrations/draft.txt
touch -r "$work/dir.ref" migrations
run "$bin/joryu" status
expect_note "hit" "status with a file that is not a migration"
grep -q "folder listed" "$work/err" || fail "the folder's stat changed but it was not listed"
mv migrations/draft.txt migrations/20260604T000000_renamed.py
touch -r "$work/dir.ref" migrations
run "$bin/joryu" status
expect_note "miss" "status after a rename into the migrations"
grep -q "pending        20260604T000000_renamed" "$work/out" || fail "renamed-in file not pending: $(cat "$work/out")"
mv migrations/20260604T000000_renamed.py migrations/.20260604T000000_renamed.py
touch -r "$work/dir.ref" migrations
run "$bin/joryu" status
expect_note "miss" "status after a rename out of the migrations"
grep -q "20260604T000000_renamed" "$work/out" && fail "renamed-out file still listed: $(cat "$work/out")"
rm migrations/.20260604T000000_renamed.py
cp "$work/draft.txt" migrations/20260604T000000_renamed.py
touch -r "$old" migrations/20260604T000000_renamed.py
touch -r "$work/dir.ref" migrations
run "$bin/joryu" status
expect_note "miss" "status after adding a file with an old mtime"
grep -q "pending        20260604T000000_renamed" "$work/out" || fail "old-mtime file not pending: $(cat "$work/out")"
rm migrations/20260604T000000_renamed.py
run "$bin/joryu" status
expect_note "miss" "status after removing it"


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

# ------------------------------------------------------ another joryu build
cp "$bin/joryu" "$work/joryu2" # the same bytes in another file: another build
run "$work/joryu2" status
expect_note "miss (joryu, joryu.toml or migrations_dir changed)" "another joryu binary"
run "$bin/joryu" status
expect_note "miss" "the first joryu again"

# ------------------------------------------------- joryu.toml changed
echo "# a comment" >>joryu.toml
run "$bin/joryu" status
expect_note "miss" "status after editing joryu.toml"
run "$bin/joryu" status
expect_note "hit" "status again"
sed -i 's/^targets = .*/targets = ["postgresql", "sqlite"]/' joryu.toml
run "$bin/joryu" status
expect_note "miss (joryu, joryu.toml or migrations_dir changed)" "status after changing the targets"

# ------------------------------------------ a key of the older text format
printf 'joryu-compile-cache 1\njoryu 0.1.0 bundle-format 1\n' >.joryu/cache/sqlite.key
run "$bin/joryu" status
expect_note "miss (the cache was written by an older joryu): compiled, stored" "text key"
run "$bin/joryu" status
expect_note "hit" "status after the rewrite"
/usr/bin/python3 - <<'EOF'
p = ".joryu/cache/sqlite.key"
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x01 # one bit of a file's record
open(p, "wb").write(b)
EOF
run "$bin/joryu" status
expect_note "miss (the cache is damaged): compiled, stored" "a flipped bit in the key"

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

# ------------- 600 migrations: the bundle loads while the files are compared
/usr/bin/python3 "$src/bench/genapply.py" 600 "$work/big" >/dev/null
cd "$work/big/joryu"
run "$bin/joryu" apply --quiet --db "sqlite:///$work/big.db"
expect_rc 0 "apply of 600 migrations"
expect_note "miss (no cache yet): compiled, stored" "apply of 600 migrations"
run "$bin/joryu" apply --plain --db "sqlite:///$work/big.db"
expect_rc 0 "no-op apply of 600 migrations"
expect_note "hit (.joryu/cache/sqlite.jyb; 600 files checked" "no-op apply of 600 migrations"
grep -q "nothing to do" "$work/out" || fail "no-op apply did something: $(cat "$work/out")"
last=$(ls migrations/*.py | tail -1)
echo "# an edit" >>"$last"
run "$bin/joryu" status --db "sqlite:///$work/big.db"
expect_rc 0 "status after an edit"
expect_note "miss (a migration file changed): compiled, stored" "status after an edit"
run "$bin/joryu" status --db "sqlite:///$work/big.db"
expect_note "hit" "status again"
grep -q "600 applied, 0 pending" "$work/out" || fail "status: $(cat "$work/out")"
echo "compile_cache: ok"
