#!/usr/bin/python3
"""genapply.py - generate the apply benchmark's inputs for N migrations.

    /usr/bin/python3 bench/genapply.py N OUTDIR

Writes into OUTDIR (which must not exist or be empty):
  joryu/       a joryu project (joryu.toml, migrations/*.py), N files
  raw.sql      the same DDL as one script in one transaction (BEGIN ... COMMIT),
               valid for sqlite3 and psql
  alembic/     the same history as N Alembic revisions (alembic.ini, env.py
               reading the URL from $APPLYBENCH_URL, versions/*.py)

The history (issue 4, "Benchmarks"): migration i (0-based) creates a table
when i % 10 == 0 (a tenth of them); the others alternate between adding a
nullable column to the newest table and indexing the column just added.
Deterministic: the same N gives the same files.
"""
import datetime
import os
import sys


def plan(n):
    """Yield (i, kind, table, column) for each migration."""
    table = None
    col = None
    for i in range(n):
        if i % 10 == 0:
            table = "t%05d" % i
            yield i, "create", table, None
        elif i % 2 == 1:
            col = "c%05d" % i
            yield i, "add", table, col
        else:
            yield i, "index", table, col


def mig_id(i):
    base = datetime.datetime(2026, 1, 1)
    ts = base + datetime.timedelta(seconds=i)
    return ts.strftime("%Y%m%dT%H%M%S") + "_m%05d" % i


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: genapply.py N OUTDIR\n")
        return 2
    n = int(sys.argv[1])
    out = sys.argv[2]
    jdir = os.path.join(out, "joryu")
    adir = os.path.join(out, "alembic")
    os.makedirs(os.path.join(jdir, "migrations"), exist_ok=True)
    os.makedirs(os.path.join(adir, "versions"), exist_ok=True)

    write(os.path.join(jdir, "joryu.toml"),
          '[joryu]\nmigrations_dir = "migrations"\n\n'
          '[database]\nurl = "sqlite:///joryu.db"\n\n'
          '[dialects]\ntargets = ["postgresql", "mysql", "sqlite"]\n')
    write(os.path.join(adir, "alembic.ini"),
          "[alembic]\nscript_location = %s\n" % adir)
    write(os.path.join(adir, "env.py"),
          "import os\n"
          "from alembic import context\n"
          "from sqlalchemy import create_engine, pool\n"
          "engine = create_engine(os.environ['APPLYBENCH_URL'], poolclass=pool.NullPool)\n"
          "with engine.connect() as connection:\n"
          "    context.configure(connection=connection, target_metadata=None)\n"
          "    with context.begin_transaction():\n"
          "        context.run_migrations()\n")
    write(os.path.join(adir, "script.py.mako"), "")

    sql = ["BEGIN;"]
    prev = None
    for i, kind, table, col in plan(n):
        mid = mig_id(i)
        ix = "ix_%s_%s" % (table, col) if col else None
        if kind == "create":
            jop = ('    op.create_table(\n        "%s",\n'
                   '        op.column("id", t.Int, primary_key=True),\n    )\n' % table)
            aop = ('    op.create_table("%s", sa.Column("id", sa.Integer, primary_key=True))\n'
                   % table)
            sql.append("CREATE TABLE %s (id INTEGER NOT NULL PRIMARY KEY);" % table)
        elif kind == "add":
            jop = '    op.add_column("%s", "%s", t.Int)\n' % (table, col)
            aop = ('    op.add_column("%s", sa.Column("%s", sa.Integer, nullable=True))\n'
                   % (table, col))
            sql.append("ALTER TABLE %s ADD COLUMN %s INTEGER;" % (table, col))
        else:
            jop = '    op.create_index("%s", "%s", ["%s"])\n' % (ix, table, col)
            aop = '    op.create_index("%s", "%s", ["%s"])\n' % (ix, table, col)
            sql.append("CREATE INDEX %s ON %s (%s);" % (ix, table, col))
        write(os.path.join(jdir, "migrations", mid + ".py"),
              '"""Benchmark migration %d (%s)."""\n'
              "import joryu\nfrom joryu import op, types as t\n\n\n"
              '@joryu.migration(id="%s")\ndef upgrade():\n%s'
              % (i, kind, mid, jop))
        rev = "r%05d" % i
        write(os.path.join(adir, "versions", rev + ".py"),
              '"""Benchmark migration %d (%s)."""\n'
              "from alembic import op\nimport sqlalchemy as sa\n\n"
              "revision = %r\ndown_revision = %r\nbranch_labels = None\n"
              "depends_on = None\n\n\ndef upgrade():\n%s\n\ndef downgrade():\n    pass\n"
              % (i, kind, rev, prev, aop))
        prev = rev
    sql.append("COMMIT;")
    write(os.path.join(out, "raw.sql"), "\n".join(sql) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
