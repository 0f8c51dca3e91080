#!/usr/bin/env bash
# verify_git.sh - `verify --base` in a real git repository, as a team meets it:
# two branches each add migrations and merge without any merge file; verify
# passes (0) when the pairs commute and fails (4) with both positions, the ops,
# the reason and the fix when they do not; editing or removing a migration of
# the merge base fails; a missing git, an unknown ref or a folder outside git
# is a clear error (1); and the merged history applies on SQLite in either
# arrival order when the pair commutes, to the same schema.
set -euo pipefail

: "${JORYU_BIN:?set JORYU_BIN to the bin folder of a build}"
: "${JORYU_TMP:=${TMPDIR:-/tmp}}"
mkdir -p "$JORYU_TMP"
WORK=$(mktemp -d "$JORYU_TMP/verify_git.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

JORYU="$JORYU_BIN/joryu"
JORYUC="$JORYU_BIN/joryuc"
export NO_COLOR=1
# under -DJORYU_SANITIZE=ON a sanitizer report must not pass for an expected exit 1
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
unset JORYU_DATABASE_URL || true
# a git of our own: no user config, fixed identity and dates
export GIT_CONFIG_NOSYSTEM=1 HOME="$WORK/home"
mkdir -p "$HOME"
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t \
    GIT_COMMITTER_EMAIL=t@example.com
command -v git >/dev/null || { echo "FAIL: git is not installed (scripts/deps.sh installs it)" >&2; exit 1; }

fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# expect CODE CMD...: run CMD, keep stdout/stderr in $WORK/out, $WORK/err
expect() {
    local want=$1; shift
    local got=0
    "$@" >"$WORK/out" 2>"$WORK/err" || got=$?
    if [ "$got" != "$want" ]; then
        fail "'$*' exited $got, want $want"
        sed 's/^/  stdout: /' "$WORK/out" >&2
        sed 's/^/  stderr: /' "$WORK/err" >&2
    fi
    return 0
}
has() { # has FILE TEXT
    grep -qF -- "$2" "$WORK/$1" || { fail "$1 lacks '$2'"; sed 's/^/  | /' "$WORK/$1" >&2; }
}
lacks() { # lacks FILE TEXT
    if grep -qF -- "$2" "$WORK/$1"; then fail "$1 has '$2'"; sed 's/^/  | /' "$WORK/$1" >&2; fi
}

# mig FILE-ID BODY...: write migrations/<id>.py with the given upgrade body lines
mig() {
    local id=$1; shift
    {
        echo 'import joryu'
        echo 'from joryu import op, types as t'
        echo
        echo
        echo "@joryu.migration(id=\"$id\")"
        echo 'def upgrade():'
        for line in "$@"; do echo "    $line"; done
    } >"migrations/$id.py"
}

REPO="$WORK/repo"
mkdir -p "$REPO/migrations"
cd "$REPO"
git init -q -b main
git config color.ui always # verify reads git's output whatever the configuration says
cat >joryu.toml <<'EOF'
[joryu]
migrations_dir = "migrations"

[dialects]
targets = ["postgresql", "mysql", "sqlite"]
EOF
mig 20260101T000000_create_users \
    'op.create_table(' \
    '    "users",' \
    '    op.column("id", t.BigInt, primary_key=True),' \
    '    op.column("email", t.Text),' \
    '    op.column("name", t.Text),' \
    ')'
git add -A && git commit -qm "create users"
BASE=$(git rev-parse --short=7 HEAD)

# ------------------------------------------------------------ commuting branches
git checkout -qb feat-phone main
mig 20260201T000000_add_phone \
    'op.add_column("users", "phone", t.String(20))' \
    'op.create_index("ix_users_phone", "users", ["phone"])'
git add -A && git commit -qm "users.phone"

git checkout -qb feat-orders main
# an earlier id than feat-phone's: it arrives out of order after feat-phone
mig 20260115T000000_create_orders \
    'op.create_table(' \
    '    "orders",' \
    '    op.column("id", t.BigInt, primary_key=True),' \
    '    op.column("user_id", t.BigInt),' \
    ')' \
    'op.add_column("users", "nickname", t.Text)'
git add -A && git commit -qm "orders"

git checkout -q feat-phone
expect 0 "$JORYU" verify --base feat-orders
has out "joryu verify: no conflicts (1 migration added on this branch and 1 on feat-orders since $BASE)"
expect 0 "$JORYUC" verify --base feat-orders
has out "joryuc verify: no conflicts"
git checkout -q feat-orders
expect 0 "$JORYUC" verify --base feat-phone --format=github
has out "joryuc verify: no conflicts"
lacks out "::error"

# both merge into main without any merge file
git checkout -q main
git merge -q --no-edit feat-phone
git merge -q --no-edit feat-orders
[ -z "$(git status --porcelain)" ] || fail "merging left changes: $(git status --porcelain)"
[ "$(ls migrations | wc -l)" = 3 ] || fail "merged migrations: $(ls migrations)"
expect 0 "$JORYU" verify --base feat-phone
has out "1 migration added on this branch and 0 on feat-phone"

# ------------------------------------------------------------ conflicting branches
git checkout -qb feat-rename "$BASE"
mig 20260120T000000_rename_email 'op.rename_column("users", "email", "mail")'
git add -A && git commit -qm "rename email"
git checkout -qb feat-email "$BASE"
# alter_column outside op.batch: SQLite cannot run it (check says so), verify never does
mig 20260125T000000_email_not_null 'op.alter_column("users", "email", nullable=False)'
git add -A && git commit -qm "email not null"

expect 4 "$JORYU" verify --base feat-rename
has out "migrations/20260125T000000_email_not_null.py:7:5: "
has out "feat-rename:migrations/20260120T000000_rename_email.py:7:5: "
has out 'op.alter_column("users", "email", nullable=False)'
has out 'op.rename_column("users", "email", "mail")'
has out "column_rename"
has out "rename_column(users.email -> users.mail) in 20260120T000000_rename_email conflicts with alter_column(users.email) in 20260125T000000_email_not_null"
has out "whichever runs second"
has out 'hint: add depends_on=["20260120T000000_rename_email"] to 20260125T000000_email_not_null'
has out "joryu verify: 1 conflict (1 migration added on this branch and 1 on feat-rename since $BASE)"
lacks out "op.batch"
expect 4 "$JORYUC" verify --base feat-rename
has out "column_rename"
# the other side sees the same pair
git checkout -q feat-rename
expect 4 "$JORYU" verify --base feat-email
has out "column_rename"
has out "feat-email:migrations/20260125T000000_email_not_null.py:7:5: "
# GitHub annotations point at this branch's file
git checkout -q feat-email
expect 4 "$JORYUC" verify --base feat-rename --format=github
has out "::error file=migrations/20260125T000000_email_not_null.py,line=7,col=5,title=joryu verify%3A column_rename::"
# annotation paths are relative to the repository, wherever verify runs
mkdir -p tools
expect 4 env -C tools "$JORYUC" verify ../migrations --base feat-rename --format=github
has out "::error file=migrations/20260125T000000_email_not_null.py,line=7,col=5,"
expect 4 "$JORYUC" verify "$REPO/migrations" --base feat-rename --format=github
has out "::error file=migrations/20260125T000000_email_not_null.py,line=7,col=5,"
rmdir tools
# once the other branch is merged in, nothing is concurrent any more
git merge -q --no-edit feat-rename
expect 0 "$JORYU" verify --base feat-rename
has out "1 migration added on this branch and 0 on feat-rename"

# ------------------------------------------------------------ out of order against the base
# A migration of this branch that sorts before merge-base migrations runs after
# them on every database that has them: it is compared with them.
git checkout -qb stale-id main
mig 20251215T000000_add_bio 'op.add_column("users", "bio", t.Text)'
expect 4 "$JORYU" verify --base main
has out "migrations/20251215T000000_add_bio.py:7:5: error: order_dependency: "
has out 'hint: 20260101T000000_create_users is on the merge base with main already and cannot change: add depends_on=["20260101T000000_create_users"] to 20251215T000000_add_bio'
rm migrations/20251215T000000_add_bio.py
# ... but the other branch's stale id is that branch's to fix, not this one's
mig 20251215T000000_add_bio 'op.add_column("users", "bio", t.Text)'
git add -A && git commit -qm "stale bio"
git checkout -qb mine main
mig 20260301T000000_add_title 'op.add_column("users", "title", t.Text)'
expect 0 "$JORYU" verify --base stale-id
has out "1 migration added on this branch and 1 on stale-id"
rm migrations/20260301T000000_add_title.py
# CI checking out the pull request merged into its target (GitHub's default):
# the target's newer migration is already in the merge base, and still compared
git checkout -q --detach feat-rename
git merge -q --no-edit feat-phone
git tag main-with-later-rename
git checkout -qb pr-merge-checkout "$BASE"
mig 20260110T000000_email_unique 'op.create_index("ix_users_email", "users", ["email"], unique=True)'
git add -A && git commit -qm "index on email"
git checkout -q --detach main-with-later-rename
git merge -q --no-edit pr-merge-checkout
expect 4 "$JORYU" verify --base main-with-later-rename
has out "migrations/20260110T000000_email_unique.py:7:5: error: column_rename: "
has out "0 on main-with-later-rename"
git checkout -q main

# ------------------------------------------------------------ the merge base is history
git checkout -qb edit-base main
echo "# a comment changes no checksum" >>migrations/20260101T000000_create_users.py
expect 0 "$JORYU" verify --base main
sed -i 's/op.column("name", t.Text),/op.column("name", t.Text, nullable=False),/' \
    migrations/20260101T000000_create_users.py
expect 4 "$JORYU" verify --base main
has out "migrations/20260101T000000_create_users.py:5:21: error: migration 20260101T000000_create_users exists on the merge base with main"
has out "was changed on this branch (checksum v1:"
has out "hint: a merged migration may be applied somewhere already: restore it (git checkout "
git commit -qam "edit an old migration"
expect 4 "$JORYU" verify --base main --format=json
/usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["ok"] is False and r["exit_code"] == 4, r
assert [e["code"] for e in r["errors"]] == ["verify.base-edited"], r["errors"]
e = r["errors"][0]
assert e["migration_id"] == "20260101T000000_create_users" and e["line"] == 5, e
assert e["recorded_checksum"].startswith("v1:") and e["checksum"] != e["recorded_checksum"], e
' "$WORK/out" || fail "verify --format=json for an edited base migration: $(cat "$WORK/out")"
git checkout -q -- . && git checkout -q main
git checkout -qb remove-base main
git rm -q migrations/20260115T000000_create_orders.py
expect 4 "$JORYU" verify --base main
has out "migrations/20260115T000000_create_orders.py was removed on this branch, but it exists on the merge base with main"
git checkout -q main

# [verify] base of joryu.toml is the default when no database is configured
cp joryu.toml "$WORK/toml.bak"
printf '\n[verify]\nbase = "feat-phone"\n' >>joryu.toml
expect 0 "$JORYU" verify
has out "on feat-phone since"
cp "$WORK/toml.bak" joryu.toml
expect 1 "$JORYU" verify
has err "verify needs to know which migrations are concurrent"

# ------------------------------------------------------------ clear errors (exit 1)
# a file of the other branch that does not compile: its errors, at REF:path
git checkout -qb broken main
mig 20260401T000000_bad 'op.add_colum("users", "x", t.Text)'
git add -A && git commit -qm "a typo"
git checkout -q main
expect 1 "$JORYU" verify --base broken
has err "broken:migrations/20260401T000000_bad.py:7:8: error: "
expect 1 "$JORYU" verify --base no-such-branch
has err "unknown git ref 'no-such-branch'"
has err "fetch-depth: 0"
expect 1 "$JORYUC" verify --base no-such-branch --format=github
has out "::error title=verify.unknown-ref::--base: unknown git ref 'no-such-branch' (fetch it first"
expect 1 env PATH=/nonexistent "$JORYU" verify --base main
has err "git is not installed (or not on PATH)"
mkdir -p "$WORK/nogit"
cp -r migrations joryu.toml "$WORK/nogit/"
(cd "$WORK/nogit" && GIT_CEILING_DIRECTORIES="$WORK" "$JORYU" verify --base main) \
    >"$WORK/out" 2>"$WORK/err" && fail "verify outside git succeeded" || true
has err "is not inside a git work tree"

# ------------------------------------------------------------ apply in either order
# The commuting pair applies on SQLite whichever branch reached the database
# first (feat-orders' migration sorts before feat-phone's: out of order in the
# first case), and both databases end with the same schema as a fresh one.
snapshot() { "$JORYU" schema-snapshot --db "sqlite:///$1" >"$WORK/$2" 2>"$WORK/err" \
    || fail "schema-snapshot $1: $(cat "$WORK/err")"; }
for first in feat-phone feat-orders; do
    db="$WORK/$first.db"
    git checkout -q "$first"
    expect 0 "$JORYU" apply --db "sqlite:///$db" --plain
    git checkout -q main
    expect 0 "$JORYU" verify --db "sqlite:///$db"
    expect 0 "$JORYU" apply --db "sqlite:///$db" --plain
    expect 0 "$JORYU" status --db "sqlite:///$db"
    has out "20260115T000000_create_orders"
    has out "20260201T000000_add_phone"
    snapshot "$db" "schema.$first"
done
expect 0 "$JORYU" apply --db "sqlite:///$WORK/fresh.db" --plain
snapshot "$WORK/fresh.db" schema.fresh
cmp -s "$WORK/schema.feat-phone" "$WORK/schema.fresh" ||
    fail "feat-phone first: schema differs from a fresh apply: $(diff "$WORK/schema.feat-phone" "$WORK/schema.fresh")"
cmp -s "$WORK/schema.feat-orders" "$WORK/schema.fresh" ||
    fail "feat-orders first: schema differs from a fresh apply"
grep -q '"nickname"' "$WORK/schema.fresh" && grep -q '"phone"' "$WORK/schema.fresh" ||
    fail "the merged schema lacks a column: $(cat "$WORK/schema.fresh")"

# ------------------------------------------------------------ a late arrival that does not commute
# Two branches set the default of users.name.  The merged history replays in
# apply order, but a database that ran the later one first ends with the other
# default than a fresh one: verify --db reports the late arrival (exit 4).
git checkout -qb default-b "$BASE"
mig 20260210T000000_name_default_b \
    'with op.batch("users") as b:' \
    '    b.alter_column("name", default="b")'
git add -A && git commit -qm "name default b"
git checkout -qb default-a "$BASE"
mig 20260205T000000_name_default_a \
    'with op.batch("users") as b:' \
    '    b.alter_column("name", default="a")'
git add -A && git commit -qm "name default a"
db="$WORK/late.db"
git checkout -q default-b
expect 0 "$JORYU" apply --db "sqlite:///$db" --plain
git checkout -q --detach default-b
git merge -q --no-edit default-a
expect 4 "$JORYU" verify --db "sqlite:///$db"
has out "migrations/20260205T000000_name_default_a.py:8:9: error: double_alter: "
has out "is applied to sqlite:///$db already and cannot change"
expect 0 "$JORYU" verify --db "sqlite:///$WORK/late-fresh.db"
# apply refuses the late arrival the same way (exit 4, nothing run)
expect 4 "$JORYU" apply --db "sqlite:///$db" --plain
has err "20260205T000000_name_default_a"
has err "double_alter"
expect 0 "$JORYU" status --db "sqlite:///$db"
grep -q "pending *20260205T000000_name_default_a" "$WORK/out" ||
    fail "the refused migration ran: $(cat "$WORK/out")"
git checkout -q main

if [ "$fails" -ne 0 ]; then
    echo "verify_git: $fails failure(s)" >&2
    exit 1
fi
echo "verify_git: ok"
