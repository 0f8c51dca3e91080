# EXPECT: 10:8: error: op.create_table_from_model needs a Python runtime; joryuc compiles a declarative subset
# EXIT: 1
"""op.create_table_from_model needs the models."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260401T000034_sema_rejected_from_model")
def upgrade():
    op.create_table_from_model(Order)
