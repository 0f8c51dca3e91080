"""Seed rows: strings with quotes and backslashes, NULL, numbers."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260101T000015_seed_teams")
def upgrade():
    op.bulk_insert(
        "teams",
        [
            {"name": "core", "slug": "core", "headcount": 3, "rating": 4.5},
            {"name": "ops", "slug": "ops", "headcount": 2, "rating": None},
            {"name": "O'Brien \\ co", "slug": "obrien", "headcount": 1, "rating": 3},
        ],
    )
