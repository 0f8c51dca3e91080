"""Per-dialect SQL with no transaction (CONCURRENTLY)."""
import joryu
from joryu import op

@joryu.migration(
    id="20260101T000000_fuzz",
    transaction_mode="none",     # CREATE INDEX CONCURRENTLY
)
def upgrade():
    op.execute({
        "postgresql": "CREATE INDEX CONCURRENTLY users_settings_idx ON users USING GIN (settings)",
        "mysql":      "CREATE INDEX users_settings_idx ON users ((CAST(settings AS CHAR(255))))",
        "sqlite":     "CREATE INDEX users_settings_idx ON users (json_extract(settings, '$'))",
    })

@joryu.downgrade
def downgrade():
    op.execute("DROP INDEX users_settings_idx")
