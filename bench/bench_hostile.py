"""Every red-team input of tests/corpus/make_hostile.py through the CLI: time and peak RSS per
case, against `csr-desktop --version` (start-up alone) measured in the same run. No limits are
set here (the test sets them), so a regression shows its real cost. Prints; asserts nothing.

    .venv/bin/python bench/bench_hostile.py [CASE ...]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.corpus.make_hostile import build_all  # noqa: E402

# A small fresh process starts each command and reports its rusage: a child forked straight
# from this process would inherit this process's own high-water mark (the 60 MB inputs).
_MEASURER = (
    "import os, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "print(os.waitstatus_to_exitcode(status), time.perf_counter() - t, usage.ru_maxrss)\n"
)


def measure(argv: list[str], cwd: Path) -> tuple[int, float, float]:
    """(exit code, seconds, peak RSS in MB) of one `csr-desktop` child."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURER, sys.executable, "-m", "csr_desktop", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), float(out[1]), int(out[2]) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        built = build_all(Path(tmp), sys.argv[1:] or None)
        _, base_s, base_mb = min(measure(["--version"], Path(tmp)) for _ in range(3))
        print(f"baseline csr-desktop --version: {base_s:.2f} s, {base_mb:.0f} MB")
        rows = []
        for name, (folder, case) in built.items():
            for step in case.steps[:-1]:
                measure(step, folder)
            code, secs, mb = measure(case.steps[-1], folder)
            rows.append((name, code, secs, mb))
            print(f"{name:45s} exit {code}  {secs:6.2f} s ({secs / base_s:5.1f}×)  {mb:6.0f} MB")
        slow = max(rows, key=lambda r: r[2])
        big = max(rows, key=lambda r: r[3])
        print(f"{len(rows)} cases; slowest: {slow[0]} {slow[2]:.2f} s ({slow[2] / base_s:.1f}×);")
        print(f"largest peak RSS: {big[0]} {big[3]:.0f} MB ({big[3] / base_mb:.1f}× start-up)")


if __name__ == "__main__":
    main()
