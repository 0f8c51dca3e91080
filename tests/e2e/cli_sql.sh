#!/usr/bin/env bash
# joryu sql and joryu schema-snapshot on a small project: the SQL printed for
# SQLite, run by the sqlite3 shell, builds a database whose live snapshot
# (--db) equals the snapshot replayed from the files; --backward undoes it;
# bad ids and formats are one-line errors with exit 1.
set -euo pipefail
bin=${JORYU_BIN:?}
work=$(mktemp -d "${JORYU_TMP:-/tmp}/cli_sql.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin/joryu" init >/dev/null
cat > migrations/20260101T000000_add_users.py <<'PY'
"""Add users."""
import joryu
from joryu import op, types as t

@joryu.migration(id="20260101T000000_add_users")
def upgrade():
    op.create_table(
        "users",
        op.column("id", t.BigInt, primary_key=True, autoincrement=True),
        op.column("email", t.String(320), nullable=False, unique=True),
        op.column("created_at", t.Timestamp, server_default=t.now()),
    )
PY
cat > migrations/20260102T000000_add_orders.py <<'PY'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260102T000000_add_orders", depends_on=["20260101T000000_add_users"])
def upgrade():
    op.create_table(
        "orders",
        op.column("id", t.BigInt, primary_key=True, autoincrement=True),
        op.column("user_id", t.BigInt, nullable=False),
        op.column("total", t.Decimal(12, 2), nullable=False, default=0),
    )
    op.create_index("ix_orders_user_id", "orders", ["user_id"])
    with op.batch("orders") as b:
        b.create_foreign_key("fk_orders_user", "users", ["user_id"], ["id"],
                             on_delete="CASCADE")
    with op.batch("users") as b:
        b.add_column("nickname", t.Text)
PY

"$bin/joryu" check || fail "check of a good project"

# one migration, one dialect
up=$("$bin/joryu" sql 20260101T000000_add_users --dialect=sqlite)
grep -q 'CREATE TABLE "users"' <<<"$up" || fail "sql: no CREATE TABLE: $up"
down=$("$bin/joryu" sql 20260101T000000_add --dialect=postgresql --backward)
grep -q 'DROP TABLE "users"' <<<"$down" || fail "sql --backward (prefix id): no DROP TABLE: $down"
all=$("$bin/joryu" sql)
for d in postgresql mysql sqlite; do
    grep -q "===== $d =====" <<<"$all" || fail "sql without --dialect lacks $d"
done
grep -q 'AUTO_INCREMENT' <<<"$all" || fail "sql: no AUTO_INCREMENT for mysql"

# unknown id: exit 1, did-you-mean
set +e
err=$("$bin/joryu" sql 20260101T000000_add_userz 2>&1 >/dev/null); rc=$?
set -e
[ "$rc" = 1 ] || fail "unknown id exit $rc"
grep -q "did you mean '20260101T000000_add_users'" <<<"$err" || fail "no did-you-mean: $err"

# the printed SQLite script builds what replay says
"$bin/joryu" sql --dialect=sqlite | sqlite3 live.db || fail "sqlite3 rejected joryu's SQL"
"$bin/joryu" schema-snapshot --dialect=sqlite > replayed.json
"$bin/joryu" schema-snapshot --db "sqlite:///live.db" > live.json
diff -u replayed.json live.json || fail "live snapshot differs from the replayed one"
grep -q '"orders"' live.json || fail "snapshot lacks orders"

# and the downgrades, newest first, take it back to empty
"$bin/joryu" sql 20260102T000000_add_orders --dialect=sqlite --backward | sqlite3 live.db
"$bin/joryu" sql 20260101T000000_add_users --dialect=sqlite --backward | sqlite3 live.db
tables=$(sqlite3 live.db "SELECT count(*) FROM sqlite_schema WHERE type='table'")
[ "$tables" = 0 ] || fail "downgrades left $tables tables"

# --format=sql is runnable too
"$bin/joryu" schema-snapshot --dialect=sqlite --format=sql | sqlite3 again.db
"$bin/joryu" schema-snapshot --db "sqlite:///again.db" > again.json
diff -u replayed.json again.json || fail "schema-snapshot --format=sql does not rebuild the schema"

set +e
"$bin/joryu" schema-snapshot --format=yaml >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 1 ] || fail "bad --format exit $rc"

# a replay error is a compile error of check, with the history
cat > migrations/20260103T000000_drop_nick.py <<'PY'
import joryu
from joryu import op

@joryu.migration(id="20260103T000000_drop_nick")
def upgrade():
    with op.batch("users") as b:
        b.drop_column("nickname")
    op.drop_column("orders", "nickname")
PY
set +e
err=$("$bin/joryu" check 2>&1); rc=$?
set -e
[ "$rc" = 1 ] || fail "check with a replay error exit $rc"
grep -q "20260103T000000_drop_nick.py:8:" <<<"$err" || fail "replay error position: $err"

# op.execute with a per-dialect dict: MariaDB runs the "mysql" key when it
# has none of its own; a dialect with no key and no "default" is an error.
mkdir -p "$work/exec/migrations"
cat > "$work/exec/migrations/20260101T000000_raw.py" <<'PY'
import joryu
from joryu import op

@joryu.migration(id="20260101T000000_raw")
def upgrade():
    op.execute({"mysql": "SELECT 'from mysql'", "postgresql": "SELECT 'from pg'"})
PY
out=$("$bin/joryuc" check --dialect=mariadb "$work/exec/migrations" 2>&1) || fail "mariadb should use the mysql key: $out"
out=$("$bin/joryuc" check --dialect=sqlite "$work/exec/migrations" 2>&1) && fail "sqlite has no key: $out"
grep -q 'has no SQL for sqlite' <<<"$out" || fail "no be.execute-no-sql message: $out"
echo "cli_sql: ok"
