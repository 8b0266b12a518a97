"""Space given back: a 200 MB project loses half its evidence and is closed; its size against
the evidence that remains (target ≤ 1.1×), and 另存为 of it likewise.

    .venv/bin/python bench/bench_space.py [--size-mb 200] [--tiny]

`--tiny` (CI smoke): 8 MB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import report_ratio

from csr_desktop.core.store import Project


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--tiny", action="store_true")
    args = parser.parse_args()
    size_mb = 8 if args.tiny else args.size_mb
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP", "/var/tmp")) as tmp:
        folder = Path(tmp)
        files = []
        for i in range(8):
            f = folder / f"材料{i}.bin"
            f.write_bytes(os.urandom(size_mb * (1 << 20) // 8))
            files.append(f)
        path = folder / "项目.csrproj"
        with Project.create(path) as p:
            p.add_evidence_files(3, files)
        full = path.stat().st_size
        with Project.open(path) as p:
            items = list(p.assessment().answer(3).evidence)
            p.set_evidence(3, items[:4], "删除一半佐证材料")
            remaining = sum(i.size or 0 for i in items[:4])
            copy = folder / "另存为.csrproj"
            p.save_copy(copy)
        closed = path.stat().st_size
        ratio = closed / remaining
        copy_ratio = copy.stat().st_size / remaining
        print(f"project with {size_mb} MB of evidence: {full / 2**20:.1f} MB")
        print(f"after removing half and closing: {closed / 2**20:.1f} MB ({ratio:.3f}x remaining)")
        print(f"另存为 while open: {copy.stat().st_size / 2**20:.1f} MB ({copy_ratio:.3f}x)")
        report_ratio(
            "space",
            ratio,
            f"**{ratio:.2f}×** the remaining evidence after close ({closed / 2**20:.0f} MB for "
            f"{remaining / 2**20:.0f} MB; {full / 2**20:.0f} MB before); 另存为 {copy_ratio:.2f}×",
        )


if __name__ == "__main__":
    main()
