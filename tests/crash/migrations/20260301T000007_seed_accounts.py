"""200,000 accounts in one statement (generate_series, a digits cross join, a recursive CTE)."""
import joryu
from joryu import op, types as t


@joryu.migration(id="20260301T000007_seed_accounts")
def upgrade():
    op.execute(
        {
            "postgresql": (
                "INSERT INTO accounts (id, grp, name, balance, region_id) "
                "SELECT n, n % 97, 'acct-' || n, n * 3, n % 10 + 1 "
                "FROM generate_series(1, 200000) AS n"
            ),
            # MySQL and MariaDB (no generate_series, no deep recursion); a
            # "mysql" key would do once MariaDB falls back to it (docs/SPEC.md
            # "Per-dialect rules"; it does not yet: be.execute-no-sql)
            "default": (
                "INSERT INTO accounts (id, grp, name, balance, region_id) "
                "SELECT n, n % 97, CONCAT('acct-', n), n * 3, n % 10 + 1 FROM ("
                "SELECT a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d + 100000 * g.d + 1 AS n "
                "FROM (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) a "
                "CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) b "
                "CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) c "
                "CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) e "
                "CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 "
                "UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) f "
                "CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1) g"
                ") AS digits WHERE n <= 200000"
            ),
            "sqlite": (
                "INSERT INTO accounts (id, grp, name, balance, region_id) "
                "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 200000) "
                "SELECT n, n % 97, 'acct-' || n, n * 3, n % 10 + 1 FROM s"
            ),
        }
    )
    op.execute("INSERT INTO crash_log (migration) VALUES ('20260301T000007_seed_accounts')")
