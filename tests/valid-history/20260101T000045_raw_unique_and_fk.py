"""A unique constraint and a foreign key declared, then dropped."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000045_raw_unique_and_fk", dialects=["postgresql"])
def upgrade():
    op.execute(
        {
            "mysql": "ALTER TABLE tags ADD CONSTRAINT uq_tags_color_label UNIQUE (color, label)",
            "default": "ALTER TABLE tags ADD CONSTRAINT uq_tags_color_label UNIQUE (color, label)",
        },
        reverse="ALTER TABLE tags DROP CONSTRAINT uq_tags_color_label",
    )
    op.declare_schema_change(
        constraint_added=("uq_tags_color_label", "tags", {"kind": "unique", "columns": ["color", "label"]}),
    )
    op.execute(
        "ALTER TABLE tags DROP CONSTRAINT uq_tags_color_label",
        reverse="ALTER TABLE tags ADD CONSTRAINT uq_tags_color_label UNIQUE (color, label)",
    )
    op.declare_schema_change(constraint_dropped=("uq_tags_color_label", "tags", {"kind": "unique"}))
