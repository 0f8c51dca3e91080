# EXPECT: 8:21: error: id "20260401T000000_other_name" does not match the file name "20260401T000014_sema_id_mismatch.py"
# EXIT: 1
"""id= differs from the file name."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000000_other_name")
def upgrade():
    pass
