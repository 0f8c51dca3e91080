"""A unique constraint on the log: a migration logged twice would stop here (a rebuild on SQLite)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000016_crash_log_unique")
def upgrade():
    with op.batch("crash_log") as b:
        b.create_unique_constraint("uq_crash_log_migration", ["migration"])
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000016_crash_log_unique')")
