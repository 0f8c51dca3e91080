"""Ten regions."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000003_seed_regions")
def upgrade():
    op.bulk_insert(
        "regions",
        [
            {"id": 1, "code": "r01", "label": "North"},
            {"id": 2, "code": "r02", "label": "South"},
            {"id": 3, "code": "r03", "label": "East"},
            {"id": 4, "code": "r04", "label": "West"},
            {"id": 5, "code": "r05", "label": "Centre"},
            {"id": 6, "code": "r06", "label": "Coast"},
            {"id": 7, "code": "r07", "label": "Hills"},
            {"id": 8, "code": "r08", "label": "Plains"},
            {"id": 9, "code": "r09", "label": "Islands"},
            {"id": 10, "code": "r10", "label": "O'Brien \\ Co"},
        ],
    )
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000003_seed_regions')")
