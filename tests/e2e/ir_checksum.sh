#!/usr/bin/env bash
# ir_checksum.sh - `joryuc dump --format=json` through the real binary: the
# dump is byte-for-byte deterministic, and the semantic checksum survives
# reformatting, re-quoting, keyword reordering, comment/docstring/tag edits,
# but not a change of what the migration does.
set -euo pipefail

: "${JORYU_BIN:?}" "${JORYU_SRC:?}" "${JORYU_TMP:?}"
JORYUC="$JORYU_BIN/joryuc"
T="$JORYU_TMP/ir_checksum"
rm -rf "$T"
mkdir -p "$T"
ID=20260514T093000_add_users
fail() { echo "FAIL: $*" >&2; exit 1; }

# checksum DIR: the "checksum" of the one migration in DIR's dump.
checksum() {
    "$JORYUC" dump "$1/$ID.py" --format=json >"$1/dump.json" || fail "dump of $1 failed"
    local c
    c=$(grep -m1 -o '"checksum": "v1:[0-9a-f]\{64\}"' "$1/dump.json") || fail "no checksum in $1/dump.json"
    echo "$c"
}

variant() { mkdir -p "$T/$1"; cat >"$T/$1/$ID.py"; }

variant base <<'EOF'
"""Add the users table."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260514T093000_add_users", tags=["schema"])
def upgrade():
    op.create_table(
        "users",
        op.column("id", t.BigInt, primary_key=True, autoincrement=True),
        op.column("email", t.String(320), nullable=False, unique=True),
        op.column("created_at", t.Timestamp, nullable=False, server_default=t.now()),
    )


@joryu.downgrade
def downgrade():
    op.drop_table("users")
EOF

# Same meaning: one line per call, single quotes, keywords reordered,
# explicit defaults, comments, another docstring and other tags.
variant same <<'EOF'
'''The users table (docstring edited).'''
import joryu
from joryu import op, types as t
# a comment
@joryu.migration(tags=['schema', 'core'], id='20260514T093000_add_users')
def upgrade():
    # one line, other quotes
    op.create_table('users', op.column('id', t.BigInt, autoincrement=True, primary_key=True), op.column('email', t.String(320), unique=True, nullable=False, default=None), op.column('created_at', t.Timestamp, server_default=t.now(), nullable=False))
@joryu.downgrade
def downgrade():
    op.drop_table('users')  # trailing comment
EOF

# Different meaning: one type parameter changed.
sed 's/t.String(320)/t.String(255)/' "$T/base/$ID.py" | variant length
# Different meaning: one op added.
sed 's/^    )$/    )\n    op.create_index("ix_users_created_at", "users", ["created_at"])/' \
    "$T/base/$ID.py" | variant added_op
# Different meaning: a modifier changed.
sed 's/unique=True/unique=False/' "$T/base/$ID.py" | variant modifier

base=$(checksum "$T/base")
[ "$(checksum "$T/same")" = "$base" ] || fail "same meaning, different checksum"
for v in length added_op modifier; do
    [ "$(checksum "$T/$v")" != "$base" ] || fail "variant $v kept the checksum $base"
done

# Deterministic: dumping twice gives the same bytes; so does the examples folder.
"$JORYUC" dump "$T/base/$ID.py" --format=json >"$T/again.json"
cmp -s "$T/base/dump.json" "$T/again.json" || fail "two dumps of one file differ"
"$JORYUC" dump "$JORYU_SRC/examples/migrations" --format=json >"$T/ex1.json"
"$JORYUC" dump "$JORYU_SRC/examples/migrations" --format=json >"$T/ex2.json"
cmp -s "$T/ex1.json" "$T/ex2.json" || fail "two dumps of examples/ differ"
head -c 40 "$T/ex1.json" | grep -q '^{$' || fail "dump does not start with an object"
grep -q '^  "format": "joryu-ir",$' "$T/ex1.json" || fail "no format key"
n=$(grep -c '^      "id": "' "$T/ex1.json")
m=$(find "$JORYU_SRC/examples/migrations" -maxdepth 1 -name '2*.py' | wc -l)
[ "$n" = "$m" ] || fail "examples/: $m migrations, $n in the dump"
echo "ok"
