"""Adding a 1 GB evidence file: peak memory of the process (target < 150 MB) and speed against
`cp` of the same file in the same run.

    .venv/bin/python bench/bench_ingest.py [--size-mb 1024] [--tiny]

`--tiny` (CI smoke): a 4 MB file.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import report_ratio, run_measured

CHILD = """
import sys
from pathlib import Path
from csr_desktop.core.store import Project
with Project.create(Path(sys.argv[1])) as p:
    p.add_evidence_files(1, [Path(sys.argv[2])])
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--tiny", action="store_true", help="CI smoke: a 4 MB file")
    args = parser.parse_args()
    size_mb = 4 if args.tiny else args.size_mb
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP", "/var/tmp")) as tmp:
        src = Path(tmp) / "证据.bin"
        block = os.urandom(1 << 20)
        with open(src, "wb") as fh:
            for _ in range(size_mb):
                fh.write(block)
        copy = Path(tmp) / "copy.bin"
        runs: dict[str, list[float]] = {"cp": [], "cp+sync": [], "sha256sum": [], "ingest": []}
        peaks: list[float] = []
        for round_no in range(3):  # interleaved, each side's median: the VM changes speed
            sides = ["cp", "cp+sync", "sha256sum", "ingest"]
            for side in sides if round_no % 2 == 0 else list(reversed(sides)):
                project = Path(tmp) / f"p{round_no}.csrproj"
                cmd = {
                    "cp": ["cp", str(src), str(copy)],
                    "cp+sync": ["sh", "-c", f'cp "{src}" "{copy}" && sync "{copy}"'],
                    "sha256sum": ["sha256sum", str(src)],
                    "ingest": [sys.executable, "-c", CHILD, str(project), str(src)],
                }[side]
                seconds, peak = run_measured(cmd)
                runs[side].append(seconds)
                if side == "ingest":
                    peaks.append(peak)
                    project.unlink()
                copy.unlink(missing_ok=True)
        _baseline_s, baseline_mb = run_measured(
            [sys.executable, "-c", "import csr_desktop.core.store"]
        )
    med = {side: statistics.median(values) for side, values in runs.items()}
    cp_s, ingest_s, peak_mb = med["cp"], med["ingest"], max(peaks)
    print(f"evidence ingest: {size_mb} MB file, median of 3 interleaved rounds")
    print(f"  cp baseline           {cp_s:7.2f} s")
    print(f"  cp + sync (durable)   {med['cp+sync']:7.2f} s")
    print(f"  sha256sum (hash only) {med['sha256sum']:7.2f} s")
    print(f"  csr-desktop ingest    {ingest_s:7.2f} s   ratio to cp {ingest_s / cp_s:5.2f}x")
    print(f"  ratio to cp + sync    {ingest_s / med['cp+sync']:7.2f}x")
    print(f"  ratio to sha256sum    {ingest_s / med['sha256sum']:7.2f}x")
    print(f"  peak RSS (ingest)     {peak_mb:7.1f} MB  target < 150 MB")
    print(f"  peak RSS (import only){baseline_mb:7.1f} MB")
    print("PASS" if peak_mb < 150 else "FAIL")
    report_ratio(
        "ingest",
        ingest_s / cp_s,
        f"**{peak_mb:.1f} MB** peak RSS; {ingest_s:.2f} s vs {cp_s:.2f} s = "
        f"{ingest_s / cp_s:.1f}× `cp`, {ingest_s / med['cp+sync']:.1f}× `cp` + `sync`, "
        f"{ingest_s / med['sha256sum']:.1f}× `sha256sum` alone ({size_mb} MB file, medians of 3)",
    )


if __name__ == "__main__":
    main()
