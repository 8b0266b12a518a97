"""How long until one edit (a rating click, a typed line) is durable on disk: median against a
bare SQLite commit with the project's journal (rollback journal, synchronous=EXTRA) of one row
in the same folder, in the same run.
Target: median ≤ 20 ms.

    .venv/bin/python bench/bench_edit_latency.py [--edits 300] [--tiny]

`--tiny` (CI smoke): 10 edits.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import report_ratio

from csr_desktop.core.store import Project


def bare_sqlite(folder: Path, n: int) -> list[float]:
    db = sqlite3.connect(str(folder / "bare.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=DELETE")
    db.execute("PRAGMA synchronous=EXTRA")
    db.execute("CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT)")
    times = []
    for i in range(n):
        t = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT OR REPLACE INTO t VALUES(?, ?)", (f"k{i % 28}", f"v{i}"))
        db.execute("COMMIT")
        times.append(time.perf_counter() - t)
    db.close()
    return times


def project_edits(folder: Path, n: int) -> tuple[list[float], list[float]]:
    ratings, lines = [], []
    with Project.create(folder / "p.csrproj") as p:
        text = ""
        for i in range(n):
            no = i % 28 + 1
            t = time.perf_counter()
            p.set_rating(no, i % 5 + 1)
            ratings.append(time.perf_counter() - t)
            text += f"第{i}行：本季度完成专项整治工作。\n"
            t = time.perf_counter()
            p.set("indicator.5.narrative", text, coalesce=True)
            lines.append(time.perf_counter() - t)
    return ratings, lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=300)
    parser.add_argument("--tiny", action="store_true", help="CI smoke: 10 edits")
    args = parser.parse_args()
    n = 10 if args.tiny else args.edits
    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        bare = statistics.median(bare_sqlite(Path(tmp), n)) * 1000
        ratings, lines = project_edits(Path(tmp), n)
    r, line = statistics.median(ratings) * 1000, statistics.median(lines) * 1000
    print(f"durable edit latency, median of {n}")
    print(f"  bare SQLite commit      {bare:6.2f} ms")
    print(f"  rating click            {r:6.2f} ms   ratio {r / bare:4.2f}x")
    print(f"  typed line (narrative)  {line:6.2f} ms   ratio {line / bare:4.2f}x")
    print("PASS" if max(r, line) <= 20 else "FAIL", "(target: median <= 20 ms)")
    report_ratio(
        "edit_latency",
        max(r, line) / bare,
        f"{r:.2f} ms / {line:.2f} ms vs {bare:.2f} ms = **{r / bare:.2f}× / {line / bare:.2f}×**",
    )


if __name__ == "__main__":
    main()
