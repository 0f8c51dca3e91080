"""Depends on a group: whichever member the dialect applies."""
import joryu
from joryu import op


@joryu.migration(id="20260301T090900_after_group", depends_on=["group:20260301_extras"])
def upgrade():
    """Docstrings and pass are fine."""
    pass
