#!/usr/bin/python3
"""cache_hit.py - joryu's compile-cache hit path against joryu-run (issue 4).

    /usr/bin/python3 bench/cache_hit.py N BIN [BIN_BEFORE] [--runs R] [--db URL]

Generates the apply benchmark's history of N migrations (bench/genapply.py)
in a temporary folder, applies it once, then times a no-op `apply` and a
`status` of joryu-run (the bundle built by BIN/joryuc) and of BIN/joryu (a
compile-cache hit), and of BIN_BEFORE/joryu when given (another build, with
a project folder and cache of its own).  The runs are interleaved; the
table gives the median and the best wall time and the median CPU time
(user + sys of the child: the figure to compare on a shared machine).

--db URL: an empty PostgreSQL or MySQL database to use instead of a SQLite
file (its joryu tables are left behind).  The caches are filled more than
2 s after the files are written, so no file is hashed on a hit (docs/SPEC.md,
"The compile cache", racy timestamps).
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def dialect_of(url):
    if url.startswith("sqlite:"):
        return "sqlite"
    if url.startswith(("postgresql:", "postgres:")):
        return "postgresql"
    return "mysql"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("bin")
    ap.add_argument("bin_before", nargs="?")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--db")
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="joryu-cache-hit.")
    try:
        gen = os.path.join(work, "gen")
        subprocess.run([sys.executable, os.path.join(HERE, "genapply.py"), str(a.n), gen],
                       check=True, stdout=subprocess.DEVNULL)
        url = a.db or "sqlite:///" + os.path.join(work, "db.sqlite")
        jyb = os.path.join(work, "h.jyb")
        subprocess.run([os.path.join(a.bin, "joryuc"), "build", os.path.join(gen, "joryu", "migrations"),
                        "-o", jyb, "--dialect=" + dialect_of(url)], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([os.path.join(a.bin, "joryu-run"), "apply", jyb, "--db", url, "--quiet"], check=True)
        builds = [("after", a.bin)] + ([("before", a.bin_before)] if a.bin_before else [])
        projects = {}
        for name, _ in builds:
            projects[name] = os.path.join(work, name)
            shutil.copytree(os.path.join(gen, "joryu"), projects[name])
        time.sleep(2.2)  # no racy file in the caches filled below
        runs = []
        for cmd in ("apply", "status"):
            extra = ["--quiet"] if cmd == "apply" else []
            runs.append((cmd + " joryu-run", projects["after"],
                         [os.path.join(a.bin, "joryu-run"), cmd, jyb, "--db", url] + extra))
            for name, b in builds:
                label = cmd + " joryu" + (" " + name if a.bin_before else "")
                runs.append((label, projects[name], [os.path.join(b, "joryu"), cmd, "--db", url] + extra))
        for _, cwd, argv in runs:  # fill the caches
            subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
        wall = {r[0]: [] for r in runs}
        cpu = {r[0]: [] for r in runs}
        load0 = open("/proc/loadavg").read().split()[:3]
        for _ in range(a.runs):
            for label, cwd, argv in runs:
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t = time.perf_counter()
                subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
                wall[label].append((time.perf_counter() - t) * 1000)
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[label].append((r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1000)
        load1 = open("/proc/loadavg").read().split()[:3]
        print(f"N={a.n} on {dialect_of(url)}, {a.runs} interleaved runs, load {' '.join(load0)} -> {' '.join(load1)}")
        print("| command | median wall | best wall | median CPU |")
        print("|---|---|---|---|")
        for label, _, _ in runs:
            print(f"| {label} | {statistics.median(wall[label]):.1f} ms | {min(wall[label]):.1f} ms "
                  f"| {statistics.median(cpu[label]):.1f} ms |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
