"""Every benchmark still runs: `bench/run_all.py --tiny --no-write` runs each one at a tiny size
in its own process and must print each headline `RATIO` line and exit 0. No timing is judged
(tiny runs say nothing about speed); this only keeps the benchmarks from rotting between the
full runs that regenerate bench/README.md."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import run_all  # noqa: E402  (bench/ is not a package)


@pytest.mark.posix_only("builds the bundle with scripts/build_bundle.sh (bash)")
def test_every_benchmark_runs_at_a_tiny_size_and_prints_its_ratios(tmp_path: Path) -> None:
    # the frozen start-up compares against the bundle: reuse the one test.sh built (a no-op
    # when dist/ is current) or build it, as tests/packaging does
    built = subprocess.run(
        ["bash", "scripts/build_bundle.sh", "--if-stale"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BENCH_TMP": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "bench/run_all.py", "--tiny", "--no-write"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    printed = dict(re.findall(r"^RATIO (\w+) (\d+\.\d+) \|", done.stdout, re.MULTILINE))
    assert set(printed) == {row.key for row in run_all.ROWS}, printed
    assert all(float(v) >= 0 for v in printed.values()), printed  # a number, not judged
    # and the table run_all would write has every row filled from this run
    for row in run_all.ROWS:
        assert f"| {row.what} |" in done.stdout
    assert "not re-measured" not in done.stdout
