"""The project on a department share against the local disk, in the same run: a durable edit
(median of rating clicks) and a 50 MB attach against `cp` of the same file onto the share.
Targets (issue #23): edit on the share ≤ 100 ms median; attach ≤ 3× the copy.

The share is the tests' own: a private samba on 127.0.0.1 mounted through smbnetfs
(tests/share/smb.py); needs root and `apt-get install samba smbnetfs`. Not in run_all.py.

    .venv/bin/python bench/bench_share.py [--edits 100] [--size-mb 50] [--tiny]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import report_ratio

from csr_desktop.core.store import Project
from tests.share import smb


def edits(folder: Path, n: int) -> list[float]:
    times = []
    with Project.create(folder / "编辑.csrproj") as p:
        for i in range(n):
            t = time.perf_counter()
            p.set_rating(i % 28 + 1, i % 5 + 1)
            times.append(time.perf_counter() - t)
    return times


def attach(folder: Path, evidence: Path) -> float:
    with Project.create(folder / "材料.csrproj") as p:
        t = time.perf_counter()
        p.add_evidence_files(1, [evidence])
        return time.perf_counter() - t


def copy(evidence: Path, folder: Path) -> float:
    t = time.perf_counter()
    shutil.copyfile(evidence, folder / "复制.bin")
    with open(folder / "复制.bin", "rb+") as fh:
        os.fsync(fh.fileno())  # as durable as the attach
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--size-mb", type=int, default=50)
    parser.add_argument("--tiny", action="store_true", help="smoke: 10 edits, 5 MB")
    args = parser.parse_args()
    n, size = (10, 5) if args.tiny else (args.edits, args.size_mb)
    missing = smb.missing_tools()
    if missing:
        sys.exit(f"needs {', '.join(missing)}: apt-get install samba smbnetfs")
    with tempfile.TemporaryDirectory(dir="/var/tmp") as tmp:
        root = Path(tmp)
        evidence = root / "证据.bin"
        with open(evidence, "wb") as fh:
            for _ in range(size):
                fh.write(os.urandom(1 << 20))
        local = root / "local"
        local.mkdir()
        with smb.running(root / "smb") as server:
            share = server.a / smb.SHARE
            on_share = statistics.median(edits(share, n)) * 1000
            on_disk = statistics.median(edits(local, n)) * 1000
            cp = copy(evidence, share)
            attached = attach(share, evidence)
    print(f"durable edit (rating click), median of {n}")
    print(f"  local disk     {on_disk:7.2f} ms")
    print(f"  share          {on_share:7.2f} ms   ratio {on_share / on_disk:5.2f}x")
    print(f"{size} MB onto the share")
    print(f"  cp + fsync     {cp:7.2f} s")
    print(f"  attach         {attached:7.2f} s   ratio {attached / cp:5.2f}x")
    ok = on_share <= 100 and attached <= 3 * cp
    print("PASS" if ok else "FAIL", "(targets: edit on the share <= 100 ms, attach <= 3x cp)")
    report_ratio(
        "share_edit",
        on_share / on_disk,
        f"{on_share:.1f} ms on the share vs {on_disk:.1f} ms local = **{on_share / on_disk:.1f}×**",
    )
    report_ratio(
        "share_attach",
        attached / cp,
        f"{size} MB: {attached:.2f} s attach vs {cp:.2f} s cp = **{attached / cp:.2f}×**",
    )


if __name__ == "__main__":
    main()
