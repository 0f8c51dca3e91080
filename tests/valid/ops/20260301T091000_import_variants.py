"""Other spellings of the imports, and module constants."""
from __future__ import annotations

import joryu.types as t
from joryu import op
from joryu import migration, downgrade

TABLE = "variants"
WIDTH = 20
KEY_TYPE = t.BigInt
FLAGS = {"enabled": True, "ratio": 0.25, "nothing": None}


@migration(id="20260301T091000_import_variants", depends_on=["20260301T090900_after_group"])
def upgrade() -> None:
    op.create_table(
        TABLE,
        op.column("id", t.Serial, primary_key=True),
        op.column("owner", KEY_TYPE, nullable=False),
        op.column("code", t.String(WIDTH), default="x"),
    )


@downgrade()
def downgrade():
    op.drop_table(TABLE)
