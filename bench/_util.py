"""Helpers shared by the benchmarks: child-process timing and peak memory, medians."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

REPO = Path(__file__).resolve().parent.parent


def run_measured(args: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command to completion; return (seconds, peak RSS in MB of that child alone)."""
    script = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "dt = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(dt, rss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=REPO,
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024  # ru_maxrss is in KiB on Linux


def median_time(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def self_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def alternating(n: int, pair: Sequence[T]) -> list[T]:
    """The contestants of round `n` in the order they run: rotated by one each round, so each
    goes first equally often and noise with the rhythm of the runs hits none of them always."""
    k = n % len(pair)
    return [*pair[k:], *pair[:k]]


def report_ratio(key: str, ratio: float, figures: str) -> None:
    """Print a benchmark's headline as one `RATIO key value | figures` line (what
    tests/test_bench_smoke.py looks for) and, when BENCH_RESULTS names a file, append it there
    as JSON for bench/run_all.py to put into the tables."""
    print(f"RATIO {key} {ratio:.2f} | {figures}", flush=True)
    results = os.environ.get("BENCH_RESULTS")
    if results:
        with open(results, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"key": key, "ratio": ratio, "figures": figures}) + "\n")
