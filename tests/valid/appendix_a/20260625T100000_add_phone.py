"""Add phone column — re-runnable safely."""
import joryu
from joryu import op, types as t

@joryu.migration(id="20260625T100000_add_phone")
def upgrade():
    # First run: column added.
    # Subsequent runs: already exists with matching type → skip (ensure semantics).
    # If someone manually added phone INTEGER, this errors on type mismatch.
    op.add_column("users", "phone", t.Text, nullable=True)
