#!/usr/bin/env bash
# verify_cli.sh - `verify` against a database (SQLite, state written by a real
# `joryu apply`): pending migrations that sort before applied ones are compared
# with them, a linear history is never reported, an applied migration whose
# file changed fails until `repair`; the three output formats (text, JSON with
# the reference's Conflict shape, GitHub annotations); flag and mode errors.
set -euo pipefail

: "${JORYU_BIN:?set JORYU_BIN to the bin folder of a build}"
: "${JORYU_TMP:=${TMPDIR:-/tmp}}"
mkdir -p "$JORYU_TMP"
WORK=$(mktemp -d "$JORYU_TMP/verify_cli.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

JORYU="$JORYU_BIN/joryu"
JORYUC="$JORYU_BIN/joryuc"
PY=/usr/bin/python3
export NO_COLOR=1
# under -DJORYU_SANITIZE=ON a sanitizer report must not pass for an expected exit 1
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}exitcode=86"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}exitcode=86"
unset JORYU_DATABASE_URL || true

fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
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
has() {
    grep -qF -- "$2" "$WORK/$1" || { fail "$1 lacks '$2'"; sed 's/^/  | /' "$WORK/$1" >&2; }
}
lacks() {
    if grep -qF -- "$2" "$WORK/$1"; then fail "$1 has '$2'"; sed 's/^/  | /' "$WORK/$1" >&2; fi
}
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

P="$WORK/proj"
mkdir -p "$P/migrations"
cd "$P"
cat >joryu.toml <<'EOF'
[joryu]
migrations_dir = "migrations"

[database]
url = "sqlite:///app.db"

[dialects]
targets = ["sqlite", "postgresql"]
EOF
DB="sqlite:///$P/app.db"

# ------------------------------------------------------- a linear history
mig 20260101T000000_create_users \
    'op.create_table(' \
    '    "users",' \
    '    op.column("id", t.BigInt, primary_key=True),' \
    '    op.column("email", t.Text),' \
    '    op.column("name", t.Text),' \
    ')'
mig 20260102T000000_add_age 'op.add_column("users", "age", t.Int)'
mig 20260103T000000_drop_age 'op.drop_column("users", "age")'
# the default database (joryu.toml) does not exist yet: everything is pending,
# and a column added then dropped is history, not a conflict
expect 0 "$JORYU" verify
has out "joryu verify: no conflicts (3 pending migrations in sqlite:///app.db)"
[ ! -e app.db ] || fail "verify created the database file"
expect 0 "$JORYUC" verify migrations --db "$DB"
# the reference's rule (every pending pair) flags it: --pending-pairs opts in
expect 4 "$JORYU" verify --pending-pairs
has out "add_drop"
rm migrations/20260102T000000_add_age.py migrations/20260103T000000_drop_age.py
# a type one target lacks is check's to report (exit 6), never verify's
mig 20260104T000000_add_duration 'op.add_column("users", "duration", t.Interval)'
expect 6 "$JORYUC" check
expect 0 "$JORYUC" verify
lacks out "Interval"
rm migrations/20260104T000000_add_duration.py

# ------------------------------------------------------- applied, then a late arrival
mig 20260301T000000_email_not_null \
    'with op.batch("users") as b:' \
    '    b.alter_column("email", nullable=False)'
expect 0 "$JORYU" apply --plain
expect 0 "$JORYU" verify
has out "no conflicts (0 pending migrations in sqlite:///app.db)"
# a migration written on another branch before 20260301..., merged after it was applied
mig 20260225T000000_rename_email 'op.rename_column("users", "email", "mail")'
# and one that commutes with everything applied after it
mig 20260226T000000_add_phone 'op.add_column("users", "phone", t.Text)'
expect 4 "$JORYU" verify
has out "migrations/20260225T000000_rename_email.py:7:5: error: column_rename: rename_column(users.email -> users.mail) in 20260225T000000_rename_email conflicts with alter_column(users.email) in 20260301T000000_email_not_null"
has out 'op.rename_column("users", "email", "mail")'
has out "migrations/20260301T000000_email_not_null.py:8:9: note: alter_column(users.email) in 20260301T000000_email_not_null: "
has out 'b.alter_column("email", nullable=False)'
has out "hint: "
has out "joryu verify: 1 conflict (2 pending migrations in sqlite:///app.db)"
has out "hint: 20260301T000000_email_not_null is applied to sqlite:///app.db already and cannot change: add depends_on=[\"20260301T000000_email_not_null\"] to 20260225T000000_rename_email"
lacks out "add_phone"

# JSON: the reference's Conflict shape (kind, left, right, message; OpRef fields)
expect 4 "$JORYU" verify --format=json
$PY -c '
import json, sys
r = json.load(sys.stdin)
assert r["ok"] is False and r["exit_code"] == 4, r
assert r["db"].startswith("sqlite:///") and r["concurrent"] == {"pending": 2}, r
(c,) = r["conflicts"]
assert c["kind"] == "column_rename", c
for side in ("left", "right"):
    for key in ("migration_id", "step_index", "op_kind", "target", "source_line"):
        assert key in c[side], (side, key, c)
assert c["left"] == dict(c["left"], migration_id="20260225T000000_rename_email",
                         step_index=0, op_kind="rename_column", target=["users", "email"],
                         source_line=7), c["left"]
assert c["right"]["migration_id"] == "20260301T000000_email_not_null", c["right"]
assert c["right"]["op_kind"] == "alter_column" and c["right"]["source_line"] == 8, c["right"]
assert c["message"].startswith("rename_column(users.email -> users.mail) in 20260225"), c
assert c["why"] and c["fix"], c
assert r["errors"] == [] and r["diagnostics"] == [], r
' <"$WORK/out" || fail "verify --format=json: $(cat "$WORK/out")"
expect 4 "$JORYUC" verify --json
$PY -c 'import json,sys; assert json.load(sys.stdin)["conflicts"][0]["kind"] == "column_rename"' \
    <"$WORK/out" || fail "verify --json does not give the JSON report"

# GitHub workflow annotations
expect 4 "$JORYUC" verify --format=github
has out "::error file=migrations/20260225T000000_rename_email.py,line=7,col=5,title=joryu verify%3A column_rename::rename_column(users.email -> users.mail) in 20260225T000000_rename_email conflicts with"
has out "(other op: migrations/20260301T000000_email_not_null.py:8)"
[ "$(grep -c '^::error ' "$WORK/out")" = 1 ] || fail "one annotation per conflict: $(cat "$WORK/out")"

# apply refuses nothing verify accepts: drop the conflicting one, apply the late arrival
rm migrations/20260225T000000_rename_email.py
expect 0 "$JORYU" verify
expect 0 "$JORYU" apply --plain
expect 0 "$JORYU" verify
has out "(0 pending migrations in"

# a late arrival that never runs on this database's dialect is compared with nothing
cat >migrations/20260228T000000_pg_rename.py <<'PY'
import joryu
from joryu import op, types as t


@joryu.migration(id="20260228T000000_pg_rename", dialects=["postgresql"])
def upgrade():
    op.rename_column("users", "email", "mail")
PY
expect 0 "$JORYU" verify
rm migrations/20260228T000000_pg_rename.py

# raw SQL arriving late is not analysed: a note, not an error
mig 20260227T000000_fix_names 'op.execute("UPDATE users SET name = lower(name)")'
expect 0 "$JORYU" verify
has out "migrations/20260227T000000_fix_names.py:7:5: note: step 1 of 20260227T000000_fix_names runs raw SQL that verify cannot see into"
expect 0 "$JORYU" verify --format=github
has out "::notice file=migrations/20260227T000000_fix_names.py,line=7,col=5,title=joryu verify%3A raw SQL::"
rm migrations/20260227T000000_fix_names.py

# ------------------------------------------------------- checksum gate (reference §7.1)
cp migrations/20260101T000000_create_users.py "$WORK/orig.py"
echo "# comments and formatting change no checksum" >>migrations/20260101T000000_create_users.py
expect 0 "$JORYU" verify
sed -i 's/op.column("name", t.Text),/op.column("name", t.Text, nullable=False),/' \
    migrations/20260101T000000_create_users.py
expect 4 "$JORYU" verify --db "$DB"
has out "migrations/20260101T000000_create_users.py:5:21: error: migration 20260101T000000_create_users was applied to $DB with checksum v1:"
has out "an applied migration was edited"
has out "joryu repair 20260101T000000_create_users"
expect 4 "$JORYU" verify --format=json
$PY -c '
import json, sys
r = json.load(sys.stdin)
(e,) = r["errors"]
assert e["code"] == "verify.checksum-mismatch" and e["migration_id"] == "20260101T000000_create_users", e
assert e["recorded_checksum"] != e["checksum"], e
assert r["conflicts"] == [] and r["exit_code"] == 4, r
' <"$WORK/out" || fail "checksum mismatch as JSON: $(cat "$WORK/out")"
expect 4 "$JORYUC" verify --format=github
has out "::error file=migrations/20260101T000000_create_users.py,line=5,col=21,title=joryu verify.checksum-mismatch::"
expect 4 "$JORYU" apply --plain
expect 0 "$JORYU" repair 20260101T000000_create_users
expect 0 "$JORYU" verify
cp "$WORK/orig.py" migrations/20260101T000000_create_users.py

# JORYU_DATABASE_URL comes before joryu.toml; a missing SQLite file is an empty database
JORYU_DATABASE_URL="sqlite:///$WORK/none.db" expect 0 "$JORYU" verify
has out "(3 pending migrations in sqlite:///$WORK/none.db)"
[ ! -e "$WORK/none.db" ] || fail "verify created $WORK/none.db"

# ------------------------------------------------------- errors (exit 1)
expect 1 "$JORYU" verify --format=xml
has err "unknown --format 'xml'"
expect 1 "$JORYU" verify --json --format=github
has err "--json and --format=github contradict each other"
expect 1 "$JORYU" verify --db "postgresql://app:s3cret@127.0.0.1:1/app"
lacks err "s3cret"
lacks out "s3cret"
expect 1 "$JORYU" verify no-such-folder --db "$DB"
has err "'no-such-folder' is not a migrations folder"
cat >"$WORK/env.toml" <<'EOF'
[database]
url = "env:JORYU_TEST_UNSET_URL"
EOF
mkdir -p "$WORK/envp" && cp -r migrations "$WORK/envp/" && cp "$WORK/env.toml" "$WORK/envp/joryu.toml"
(cd "$WORK/envp" && "$JORYU" verify) >"$WORK/out" 2>"$WORK/err" && fail "verify without a usable database or base succeeded" || true
has err "JORYU_TEST_UNSET_URL"
has err "verify needs to know which migrations are concurrent"
# a compile error is reported as such (exit 1), not as a conflict
mig 20260401T000000_broken 'op.add_colum("users", "x", t.Text)'
expect 1 "$JORYU" verify
has err "migrations/20260401T000000_broken.py:7:8: error: "
rm migrations/20260401T000000_broken.py

# ------------------------------------------------------- PostgreSQL and MariaDB
# The state tables as each driver reads them: a late arrival and an edited
# applied migration, in a database of this run's own (dropped at exit).
[[ -n ${JORYU_TEST_PG_URL:-} ]] ||
    fail "JORYU_TEST_PG_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""
[[ -n ${JORYU_TEST_MYSQL_URL:-} ]] ||
    fail "JORYU_TEST_MYSQL_URL is not set: run scripts/test.sh, or eval \"\$(scripts/dbservers.sh start DIR)\""
re='^([a-z]+)://([^:@/]+):([^@/]*)@([^:/]+):([0-9]+)/([^/?]+)$'
dbname="joryu_verify_cli_$$"
urls=()
drops=()
if [[ ${JORYU_TEST_PG_URL:-} =~ $re ]]; then
    pg=(env PGPASSWORD="${BASH_REMATCH[3]}" psql -X -q -t -A -v ON_ERROR_STOP=1
        -h "${BASH_REMATCH[4]}" -p "${BASH_REMATCH[5]}" -U "${BASH_REMATCH[2]}" -d "${BASH_REMATCH[6]}")
    if "${pg[@]}" -c "CREATE DATABASE $dbname" >/dev/null; then
        urls+=("${BASH_REMATCH[1]}://${BASH_REMATCH[2]}:${BASH_REMATCH[3]}@${BASH_REMATCH[4]}:${BASH_REMATCH[5]}/$dbname")
        drops+=("${pg[*]@Q} -c 'DROP DATABASE IF EXISTS $dbname'")
    else
        fail "cannot create a PostgreSQL database"
    fi
fi
if [[ ${JORYU_TEST_MYSQL_URL:-} =~ $re ]]; then
    my=(env MYSQL_PWD="${BASH_REMATCH[3]}" mariadb --no-defaults --protocol=TCP -N -B
        -h "${BASH_REMATCH[4]}" -P "${BASH_REMATCH[5]}" -u "${BASH_REMATCH[2]}")
    if "${my[@]}" -e "CREATE DATABASE $dbname"; then
        urls+=("${BASH_REMATCH[1]}://${BASH_REMATCH[2]}:${BASH_REMATCH[3]}@${BASH_REMATCH[4]}:${BASH_REMATCH[5]}/$dbname")
        drops+=("${my[*]@Q} -e 'DROP DATABASE IF EXISTS $dbname'")
    else
        fail "cannot create a MariaDB database"
    fi
fi
trap 'for d in "${drops[@]}"; do eval "$d" >/dev/null 2>&1 || true; done; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/srv/migrations"
cd "$WORK/srv"
printf '[joryu]\nmigrations_dir = "migrations"\n' >joryu.toml
mig 20260101T000000_create_users \
    'op.create_table("users", op.column("id", t.BigInt, primary_key=True), op.column("email", t.Text))'
mig 20260301T000000_email_not_null 'op.alter_column("users", "email", nullable=False)'
for url in "${urls[@]}"; do
    name=${url%%:*}
    pw=${url#*://*:}
    pw=${pw%%@*}
    expect 0 "$JORYU" apply --db "$url" --plain
    expect 0 "$JORYU" verify --db "$url"
    has out "(0 pending migrations in $name://"
    mig 20260225T000000_rename_email 'op.rename_column("users", "email", "mail")'
    expect 4 "$JORYU" verify --db "$url" --format=json
    $PY -c 'import json,sys; r=json.load(sys.stdin); assert [c["kind"] for c in r["conflicts"]] == ["column_rename"], r' \
        <"$WORK/out" || fail "$name: late rename: $(cat "$WORK/out")"
    lacks out ":$pw@"
    rm migrations/20260225T000000_rename_email.py
    sed -i 's/t.Text))/t.Text, nullable=False))/' migrations/20260101T000000_create_users.py
    expect 4 "$JORYU" verify --db "$url"
    has out "error: migration 20260101T000000_create_users was applied to $name://"
    lacks out ":$pw@"
    sed -i 's/t.Text, nullable=False))/t.Text))/' migrations/20260101T000000_create_users.py
    expect 0 "$JORYU" verify --db "$url"
done
cd "$P"

# ------------------------------------------------------- the CI templates use what exists
if [ -n "${JORYU_SRC:-}" ]; then
    CI="$JORYU_SRC/examples/ci"
    for f in github-actions.yml gitlab-ci.yml; do
        grep -q 'joryuc verify --base ' "$CI/$f" || fail "$f does not run joryuc verify --base"
        grep -q 'joryu test --unit' "$CI/$f" || fail "$f does not run joryu test --unit"
        grep -q 'joryu-run apply joryu.jyb --non-interactive' "$CI/$f" || fail "$f does not run joryu-run apply"
        grep -q 'joryuc build --output joryu.jyb' "$CI/$f" || fail "$f does not build the bundle"
    done
    grep -q 'fetch-depth: 0' "$CI/github-actions.yml" || fail "github-actions.yml: shallow checkout"
    grep -q 'GIT_DEPTH: 0' "$CI/gitlab-ci.yml" || fail "gitlab-ci.yml: shallow clone"
    grep -q 'entry: joryuc verify --base ' "$CI/pre-commit-config.yaml" || fail "pre-commit: no verify hook"
    [ -s "$CI/README.md" ] || fail "examples/ci/README.md is missing"
    expect 0 "$JORYUC" verify --help
    has out "--base=REF"
    has out "--format=F"
    expect 0 "$JORYUC" build --help
    has out "--output=FILE"
    expect 0 "$JORYU_BIN/joryu-run" apply --help
    has out "--non-interactive"
    expect 0 "$JORYU" test --help
    has out "--unit"
else
    fail "JORYU_SRC is not set: the CI templates were not checked"
fi

if [ "$fails" -ne 0 ]; then
    echo "verify_cli: $fails failure(s)" >&2
    exit 1
fi
echo "verify_cli: ok"
