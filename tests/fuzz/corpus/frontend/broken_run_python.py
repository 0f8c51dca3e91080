"""Backfill written the Python way (rejected: needs a runtime)."""
import joryu
from joryu import op, types as t
from sqlalchemy import text

BATCH_SIZE = 10_000

@joryu.migration(
    id="20260101T000000_fuzz",
    depends_on=["20260619T120000_add_email_normalized_col"],
    transaction_mode="per_step",   # default, but explicit
)
def upgrade():
    op.add_column("users", "email_normalized", t.Text, nullable=True)
    op.create_index("tmp_users_unnormalized", "users", ["id"],
                    where="email_normalized IS NULL")

    def backfill(conn, dialect, checkpoint):
        cursor = checkpoint.get("last_id", 0)
        while True:
            rows = conn.execute(text(
                "SELECT id FROM users "
                "WHERE id > :c ORDER BY id LIMIT :n"
            ), {"c": cursor, "n": BATCH_SIZE}).fetchall()
            if not rows:
                return
            cursor = rows[-1].id
            checkpoint.set("last_id", cursor)

    op.run_python(backfill)
    op.drop_index("tmp_users_unnormalized")
    op.alter_column("users", "email_normalized", nullable=False)

    @op.step
    def wait(conn, dialect, checkpoint):
        raise op.PauseStep(f"lag={lag:.1f}s")
