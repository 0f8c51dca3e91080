#!/usr/bin/env bash
# An op.batch block that renames a column and then alters the new name: the
# block's guard starts from the table as it was before the block, so a fresh
# apply and a re-run after `mark --as=pending` (the guard decides) both work.
set -euo pipefail
bin=${JORYU_BIN:?}
work=$(mktemp -d "${JORYU_TMP:-/tmp}/guard_batch.XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
"$bin/joryu" init >/dev/null
cat > migrations/20260101T000001_t.py <<'PY'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260101T000001_t")
def upgrade():
    op.create_table("areas", op.column("id", t.Int, primary_key=True), op.column("label", t.Text))
PY
cat > migrations/20260101T000002_b.py <<'PY'
import joryu
from joryu import op, types as t

@joryu.migration(id="20260101T000002_b", depends_on=["20260101T000001_t"])
def upgrade():
    with op.batch("areas") as b:
        b.rename_column("label", "title")
        b.alter_column("title", nullable=False)
PY
db="sqlite:///$work/a.db"
out=$("$bin/joryu" apply --db "$db" --plain 2>&1) || fail "fresh apply: $out"
"$bin/joryu" mark 20260101T000002_b --as=pending --db "$db" --allow-prod >/dev/null 2>&1 ||
    fail "mark pending"
out=$("$bin/joryu" apply --db "$db" --plain 2>&1) || fail "re-apply after mark pending: $out"
grep -q "applied 1 migration" <<<"$out" || fail "re-apply output: $out"
echo "guard_batch: ok"
