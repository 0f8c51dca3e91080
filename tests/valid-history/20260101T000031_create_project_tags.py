"""A join table with two foreign keys."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000031_create_project_tags")
def upgrade():
    op.create_table(
        "project_tags",
        op.column("project_id", t.BigInt, nullable=False),
        op.column("tag_id", t.BigInt, nullable=False),
        primary_key=["project_id", "tag_id"],
    )
    with op.batch("project_tags") as b:
        b.create_foreign_key("fk_project_tags_project", "projects", ["project_id"], ["id"], on_delete="CASCADE")
        b.create_foreign_key("fk_project_tags_tag", "tags", ["tag_id"], ["id"], on_delete="CASCADE")
