import joryu
from joryu import op, types as t

@joryu.migration(id="20260101T000000_fuzz")
def upgrade():
    with op.batch("users") as batch:
        batch.alter_column("email", nullable=False, type=t.String(255), server_default="''")
        batch.drop_column("legacy_field")
        batch.create_check_constraint("email_lower", "email = LOWER(email)")
        batch.create_unique_constraint("uq_users_email", ["email"])
        batch.create_foreign_key("fk_users_org", "orgs", ["org_id"], ["id"], on_delete="SET NULL", on_update="CASCADE")
        batch.rename_column("name", "full_name")
        batch.create_index("ix_users_full_name", ["full_name"])
        batch.drop_index("ix_users_old")
        batch.drop_constraint("ck_old")
        batch.add_column("phone", t.String(32), unique=True)
    op.create_table(
        "memberships",
        op.column("user_id", t.BigInt, nullable=False),
        op.column("org_id", t.BigInt, nullable=False),
        op.column("role", t.Enum("owner", "member", name="membership_role")),
        op.column("meta", t.Json, server_default="{}"),
        op.column("token", t.Uuid),
        op.column("since", t.Date),
        op.column("at", t.Time),
        op.column("ratio", t.Double),
        op.column("small", t.SmallInt),
        op.column("flag", t.Bool, default=False),
        op.column("blob", t.Binary),
        primary_key=["user_id", "org_id"],
        comment="who belongs where",
    )
    op.create_table("counters", op.column("id", t.Serial, primary_key=True),
                    op.column("n", t.BigSerial, primary_key=True), on_mismatch="skip")
