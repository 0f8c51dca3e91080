"""Indexes and constraints."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T090200_indexes_constraints",
                 depends_on=["20260301T090100_columns"])
def upgrade():
    op.create_table(
        "owners",
        op.column("id", t.BigInt, primary_key=True, autoincrement=True),
        op.column("name", t.String(100), nullable=False),
    )
    op.create_table(
        "pets",
        op.column("owner_id", t.BigInt, nullable=False),
        op.column("name", t.String(100), nullable=False),
        op.column("kind", t.String(20)),
        op.column("age", t.Int),
        primary_key=["owner_id", "name"],
        on_mismatch="error",
    )
    op.create_index("ix_pets_kind", "pets", ["kind"])
    op.create_index("ix_pets_name", "pets", ("name", "kind"), unique=True,
                    where="kind IS NOT NULL")
    op.create_index("ix_pets_age", "pets", ["age"], method="btree")
    if op.dialect.name == "postgresql":
        op.create_index("ix_zoo_doc", "zoo", ["doc"], concurrent=True, method="gin")
    op.create_unique_constraint("uq_owners_name", "owners", ["name"])
    op.create_check_constraint("ck_pets_age", "pets", "age >= 0")
    op.create_foreign_key("fk_pets_owner", "pets", "owners", ["owner_id"], ["id"],
                          on_delete="cascade", on_update="NO ACTION")
    op.drop_index("ix_pets_kind", "pets")
    op.drop_index("ix_pets_age", table="pets")
    op.drop_constraint("ck_pets_age", "pets")


@joryu.downgrade
def downgrade():
    op.drop_constraint("fk_pets_owner", "pets")
    op.drop_constraint("uq_owners_name", "owners")
    op.drop_index("ix_pets_name", "pets")
    op.drop_table("pets")
    op.drop_table("owners")
