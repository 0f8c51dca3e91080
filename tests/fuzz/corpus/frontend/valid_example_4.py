"""Fill users.email_normalized in resumable batches, then require it.

The reference wrote this as a run_python loop; joryu declares it: the VM
walks users.id in ranges of 1,000 rows, each batch committed with its
checkpoint, so an interrupted run resumes where it stopped.
"""
import joryu
from joryu import op, types as t


@joryu.migration(
    id="20260101T000000_fuzz",
    depends_on=["20260515T101200_add_user_profile_columns"],
)
def upgrade():
    op.backfill(
        "users",
        set={"email_normalized": "LOWER(email)"},
        where="email_normalized IS NULL",
        key="id",
        batch_size=1000,
    )
    with op.batch("users") as b:
        b.alter_column("email_normalized", nullable=False)


@joryu.downgrade
def downgrade():
    with op.batch("users") as b:
        b.alter_column("email_normalized", nullable=True)
