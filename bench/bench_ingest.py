"""Adding a 1 GB evidence file: peak memory of the process (target < 150 MB) and speed against
`cp` of the same file in the same run.

    .venv/bin/python bench/bench_ingest.py [--size-mb 1024] [--tiny]

`--tiny` (CI smoke): a 4 MB file.
"""

from __future__ import annotations

import argparse
import os
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
        cp_s, _ = run_measured(["cp", str(src), str(Path(tmp) / "copy.bin")])
        (Path(tmp) / "copy.bin").unlink()
        ingest_s, peak_mb = run_measured(
            [sys.executable, "-c", CHILD, str(Path(tmp) / "p.csrproj"), str(src)]
        )
        _baseline_s, baseline_mb = run_measured(
            [sys.executable, "-c", "import csr_desktop.core.store"]
        )
    print(f"evidence ingest: {size_mb} MB file")
    print(f"  cp baseline           {cp_s:7.2f} s")
    print(f"  csr-desktop ingest    {ingest_s:7.2f} s   ratio to cp {ingest_s / cp_s:5.2f}x")
    print(f"  peak RSS (ingest)     {peak_mb:7.1f} MB  target < 150 MB")
    print(f"  peak RSS (import only){baseline_mb:7.1f} MB")
    print("PASS" if peak_mb < 150 else "FAIL")
    report_ratio(
        "ingest",
        ingest_s / cp_s,
        f"**{peak_mb:.1f} MB** peak RSS; {ingest_s:.1f} s vs {cp_s:.1f} s = "
        f"{ingest_s / cp_s:.1f}× `cp` ({size_mb} MB file)",
    )


if __name__ == "__main__":
    main()
