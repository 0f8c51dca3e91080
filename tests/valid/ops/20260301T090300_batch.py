"""A batch block (SQLite table rebuild) with every batchable op."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T090300_batch",
                 depends_on=["20260301T090200_indexes_constraints"])
def upgrade():
    with op.batch("pets") as b:
        b.add_column("weight", t.Decimal(6, 2))
        b.alter_column("kind", nullable=False, server_default="'cat'")
        b.rename_column("age", "age_years")
        b.create_index("ix_pets_weight", ["weight"])
        b.create_unique_constraint("uq_pets_weight", ["weight", "name"])
        b.create_check_constraint("ck_pets_weight", "weight > 0")
        b.create_foreign_key("fk_pets_owner2", "owners", ["owner_id"], ["id"])
        b.drop_constraint("fk_pets_owner2")
        b.drop_index("ix_pets_weight")
        b.drop_column("weight")
        if op.dialect.name == "sqlite":
            b.drop_column("age_years")
        op.execute("UPDATE pets SET kind = 'cat' WHERE kind IS NULL")
    with op.batch(table="owners") as owners:
        owners.add_column("email", t.String(200))
        pass


@joryu.downgrade
def downgrade():
    with op.batch("owners") as b:
        b.drop_column("email")
