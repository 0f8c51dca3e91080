#!/usr/bin/env bash
# MariaDB corners of issue 3 through the real binaries, with a small history
# of its own: the index InnoDB keeps for a foreign key while nothing else
# serves it (made by InnoDB, dropped silently by a later index; joryu gives
# the key its own index when it drops the last one that served it, and drops
# that index when a new one serves the key again), a Json column renamed
# (MariaDB's JSON is LONGTEXT + CHECK (json_valid(col)), the check keeps the
# old column's name), an index on a Text column (prefix 255) next to
# one with another prefix made by hand, and drop_column of columns in
# indexes, unique constraints and foreign keys. After every migration the live
# snapshot equals the replayed one; each migration then goes down (the
# snapshot equals the one before it) and up again, twice; at the end the
# whole history goes down to nothing and up again.
# A fresh database, dropped at the end; fails when JORYU_TEST_MYSQL_URL is
# unset.
set -euo pipefail
bin=${JORYU_BIN:?}
: "${JORYU_TEST_MYSQL_URL:?JORYU_TEST_MYSQL_URL is not set: start the servers (scripts/dbservers.sh)}"
work=$(mktemp -d "${JORYU_TMP:-/tmp}/snapshot_mariadb.XXXXXX" 2>/dev/null || mktemp -d)
name="joryu_snapm_$$"
db="${JORYU_TEST_MYSQL_URL%/*}/$name"
my_args() {
    local u=${JORYU_TEST_MYSQL_URL#mysql://}
    local cred=${u%%@*} hp=${u#*@}
    hp=${hp%%/*}
    echo "-u${cred%%:*} -p${cred#*:} -h${hp%%:*} -P${hp#*:} --protocol=TCP"
}
# shellcheck disable=SC2046
my() { mariadb $(my_args) "$@"; }
cleanup() {
    my -e "DROP DATABASE IF EXISTS $name" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
my -e "CREATE DATABASE $name" >/dev/null

mig() { # id, body of upgrade()
    printf 'import joryu\nfrom joryu import op, types as t\n\n\n@joryu.migration(id="%s")\ndef upgrade():\n%s\n' \
        "$1" "$2" > "$work/src/$1.py"
}
mkdir -p "$work/src"
mig 20260201T000001_tables '    op.create_table(
        "teams",
        op.column("id", t.BigInt, primary_key=True),
        op.column("name", t.String(50), nullable=False),
    )
    op.create_table(
        "projects",
        op.column("id", t.BigInt, primary_key=True),
        op.column("team_id", t.BigInt, nullable=False),
        op.column("status", t.String(20)),
        op.column("title", t.String(100)),
        op.column("body", t.Text),
        op.column("meta", t.Json),
    )'
# no index serves the key: InnoDB makes one named after it
mig 20260201T000002_fk '    op.create_foreign_key("fk_projects_team", "projects", "teams", ["team_id"], ["id"])'
# the new index serves the key: the key's index goes
mig 20260201T000003_index '    op.create_index("ix_projects_team_status", "projects", ["team_id", "status"])'
# a second server of the key
mig 20260201T000004_unique '    op.create_unique_constraint("uq_projects_team_title", "projects", ["team_id", "title"])'
# the unique constraint still serves the key: a plain DROP INDEX
mig 20260201T000005_drop_index '    op.drop_index("ix_projects_team_status", table="projects")'
# the last server goes: the key gets its own index in the same statement
mig 20260201T000006_drop_unique '    op.drop_constraint("uq_projects_team_title", "projects")'
mig 20260201T000007_index_again '    op.create_index("ix_projects_team", "projects", ["team_id"])'
mig 20260201T000008_drop_fk '    op.drop_constraint("fk_projects_team", "projects")'
mig 20260201T000009_fk_again '    op.drop_index("ix_projects_team", table="projects")
    op.create_foreign_key("fk_projects_team", "projects", "teams", ["team_id"], ["id"], on_delete="CASCADE")'
mig 20260201T000010_rename_json '    op.rename_column("projects", "meta", "details")'
mig 20260201T000011_json_again '    op.add_column("projects", "meta", t.Json)
    op.alter_column("projects", "details", nullable=False)'
mig 20260201T000012_text_index '    op.create_index("ix_projects_body", "projects", ["body"])'
# drop_column: the server refuses a column of a foreign key or of a unique
# constraint of several columns and shrinks an index of several columns,
# where the model drops them all
mig 20260201T000013_tasks '    op.create_table(
        "tasks",
        op.column("id", t.BigInt, primary_key=True),
        op.column("project_id", t.BigInt, nullable=False),
        op.column("kind", t.String(10)),
        op.column("n", t.Int),
        op.column("team_id", t.BigInt),
    )
    op.create_index("ix_tasks_project_kind", "tasks", ["project_id", "kind"])
    op.create_unique_constraint("uq_tasks_kind_n", "tasks", ["kind", "n"])
    op.create_foreign_key("fk_tasks_project", "tasks", "projects", ["project_id"], ["id"])
    op.create_foreign_key("fk_tasks_team", "tasks", "teams", ["team_id"], ["id"])'
# the key on project_id loses its only index: it gets its own
mig 20260201T000014_drop_kind '    op.drop_column("tasks", "kind")'
mig 20260201T000015_drop_team '    op.drop_column("tasks", "team_id")'

proj="$work/p"
mkdir -p "$proj/migrations"
printf '[joryu]\nmigrations_dir = "migrations"\n[dialects]\ntargets = ["mariadb"]\n' > "$proj/joryu.toml"
cd "$proj"
snap() { "$bin/joryu" schema-snapshot --db "$db" > "$1"; }
"$bin/joryu" schema-snapshot --db "$db" > empty.json
cp empty.json before.json
mapfile -t files < <(printf '%s\n' "$work"/src/*.py | sort)
for f in "${files[@]}"; do
    id=$(basename "$f" .py)
    cp "$f" migrations/
    "$bin/joryu" apply --db "$db" --quiet || fail "apply $id"
    snap live.json
    "$bin/joryu" schema-snapshot --dialect=mariadb > replay.json
    cmp -s live.json replay.json ||
        fail "after $id the live schema differs from the replayed one: $(diff replay.json live.json | head -20)"
    for round in 1 2; do
        "$bin/joryu" down --steps=1 --db "$db" --quiet --allow-prod || fail "down $id (round $round)"
        snap down.json
        cmp -s down.json before.json ||
            fail "round $round: the downgrade of $id does not restore the schema: $(diff before.json down.json | head -20)"
        "$bin/joryu" apply --db "$db" --quiet || fail "apply $id again (round $round)"
        snap again.json
        cmp -s again.json live.json ||
            fail "round $round: $id applied again gives another schema: $(diff live.json again.json | head -20)"
    done
    cp live.json before.json
done

# the SQL that does it (backquotes are MySQL's identifier quotes)
# shellcheck disable=SC2016
"$bin/joryu" sql 20260201T000003_index --dialect=mariadb | grep -q 'ADD INDEX `ix_projects_team_status` (`team_id`, `status`),' ||
    fail "create_index that serves a foreign key: not one ALTER TABLE"
# shellcheck disable=SC2016
"$bin/joryu" sql 20260201T000006_drop_unique --dialect=mariadb | grep -q 'ADD INDEX `fk_projects_team` (`team_id`),' ||
    fail "drop of the last unique constraint serving a foreign key: no index for the key"
# shellcheck disable=SC2016
"$bin/joryu" sql 20260201T000014_drop_kind --dialect=mariadb | tr -d '\n' |
    grep -q 'DROP INDEX `uq_tasks_kind_n`,.*DROP INDEX `ix_tasks_project_kind`,.*ADD INDEX `fk_tasks_project` (`project_id`),.*DROP COLUMN `kind`;' ||
    fail "drop_column: not one ALTER TABLE with the keys first"

# InnoDB's own index is not the user's; one the user changes is
my "$name" -e 'CREATE INDEX ix_manual ON projects (body(100))'
snap manual.json
# (an index part that is not a bare column is compared, and shown, in the
# squashed form of expressions: body(100) is "body100")
grep -q '"body100"' manual.json || fail "an index prefix other than 255 is not shown: $(grep -A3 ix_manual manual.json)"
my "$name" -e 'DROP INDEX ix_manual ON projects'

# all the way down and up again
"$bin/joryu" down --steps=${#files[@]} --db "$db" --quiet --allow-prod || fail "down to the start"
snap down.json
cmp -s down.json empty.json || fail "down to the start leaves: $(diff empty.json down.json | head -20)"
"$bin/joryu" apply --db "$db" --quiet || fail "apply after down to the start"
snap again.json
cmp -s again.json live.json || fail "down to the start and up: another schema: $(diff live.json again.json | head -20)"
echo "snapshot_mariadb: ok (${#files[@]} migrations, down and up twice each)"
