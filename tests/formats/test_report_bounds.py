"""The bounds benchmark of issue 29 still runs (at a tiny size: CI judges no timing here)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_bench_suggest_runs_at_a_tiny_size(tmp_path: Path) -> None:
    env = {**os.environ, "BENCH_TMP": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "bench/bench_suggest.py", "--tiny"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rates = re.findall(r"top-3 (\d+)/(\d+)", done.stdout)
    assert len(rates) == 10  # 2 reports × (txt, docx, pdf; txt without keywords; the looser rule)
    assert re.search(r"^BOUND 20 pages, .* peak RSS \d+ MB", done.stdout, re.MULTILINE)
