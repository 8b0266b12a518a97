"""A window-like editing session in a child process, saying each edit once `set` returned.

The window commits every edit through `Project.set` (typing coalesces, a click on a rating is
its own step). The crash matrix kills this process at a chosen syscall, or freezes it and copies
the disk, and then checks that every line `saved …` it printed is in the file.

    session_driver.py PROJECT [--edits N] [--pause SECONDS] [--attach FILE --attach-at K]
                              [--forever]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from csr_desktop.core.store import Project


def value(i: int) -> str:
    """The narrative written by edit i (the parent recomputes it)."""
    return f"第{i}次编辑：制度建设与年度报告"


def indicator(i: int) -> int:
    return i % 28 + 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("project", type=Path)
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--pause", type=float, default=0.0)
    ap.add_argument("--attach", type=Path)
    ap.add_argument("--attach-at", type=int, default=-1)
    ap.add_argument("--forever", action="store_true")
    args = ap.parse_args()
    out = sys.stdout
    with Project.open(args.project) as project:
        print("opened", flush=True)
        i = 0
        while args.forever or i < args.edits:
            if i == args.attach_at and args.attach is not None:
                print("attaching", flush=True)

                def progress(done: int, total: int) -> bool:
                    print(f"progress {done} {total}", file=out, flush=True)
                    return True

                items = project.add_evidence_files(27, [args.attach], progress=progress)
                print(f"attached 27 {items[0].sha256}", flush=True)
            no = indicator(i)
            if i % 3 == 2:
                project.set_rating(no, i % 5 + 1)
                print(f"rated {i} {no} {i % 5 + 1}", flush=True)
            else:
                project.set(f"indicator.{no}.narrative", value(i), coalesce=i % 2 == 0)
                print(f"saved {i} {no}", flush=True)
            if args.pause:
                time.sleep(args.pause)
            i += 1
    print("closed", flush=True)


if __name__ == "__main__":
    main()
