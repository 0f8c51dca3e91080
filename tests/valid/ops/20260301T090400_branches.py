"""Dialect branches folded per target."""
import joryu
from joryu import op, types as t

PG = "postgresql"
LITE_AND_MY = ("sqlite", "mysql")


@joryu.migration(id="20260301T090400_branches",
                 depends_on=["20260301T090300_batch"])
def upgrade():
    d = op.dialect.name
    if d == "postgresql":
        op.execute("CREATE TYPE mood AS ENUM ('ok', 'sad')")               # pg
    elif d == "mysql":
        op.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'")           # mysql, mariadb
    else:
        op.create_table("moods", op.column("value", t.Text, primary_key=True))  # sqlite
    if op.dialect.name != "sqlite":
        op.execute("SELECT 1")                                               # pg, mysql, mariadb
    if op.dialect.name in ("mysql", "sqlite"):
        op.execute("SELECT 2")                                               # mysql, mariadb, sqlite
    if op.dialect.name not in ["mysql", "mariadb"]:
        op.execute("SELECT 3")                                               # pg, sqlite
    if d == "mariadb":
        op.execute("SELECT 4")                                               # mariadb
    if op.dialect.name == PG or d in LITE_AND_MY and not d == "mysql":
        op.execute("SELECT 5")                                               # pg, sqlite
    if "postgres" == op.dialect.name:
        if d == "sqlite":
            op.execute("SELECT 6")                                           # nothing
        else:
            op.execute("SELECT 7")                                           # pg
    if not (d == "pg"):
        op.execute({"mysql": "SELECT 8", "mariadb": "SELECT 8", "sqlite": "SELECT 8"})


@joryu.downgrade
def downgrade():
    if op.dialect.name == "sqlite":
        op.drop_table("moods")
