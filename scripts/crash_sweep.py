"""Issue #21's crash matrix, in full: every write and sync of each command, faulted in turn.

    .venv/bin/python scripts/crash_sweep.py [--only attach-1mb,assign] [--errors]
        [--syscalls pwrite64,fdatasync] [--every 50] [--big-mb 100] [--sample] [--json F]

Each point: `strace -e inject=SC:signal=KILL:when=N` (with --errors also
`error=ENOSPC|EIO|EFBIG:when=N+`), then a reader, a writer and the invariant of
`tests/faults/crashpoints.py`. Prints, per command, the points tried, the points holding the
invariant and every failure with its N. Linux, needs strace.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.faults import crashpoints as cp


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated scenario names (default: all)")
    ap.add_argument("--syscalls", default=",".join(cp.SYSCALLS))
    ap.add_argument("--errors", action="store_true", help="also ENOSPC, EIO, EFBIG from call N on")
    ap.add_argument("--no-kill", action="store_true", help="only the error variants")
    ap.add_argument("--every", type=int, default=50, help="long commands: every K-th call")
    ap.add_argument("--last", type=int, default=40, help="long commands: plus the last ones")
    ap.add_argument("--big-mb", type=int, default=100)
    ap.add_argument("--sample", action="store_true", help="CI's sample of points only")
    ap.add_argument("--work", type=Path, help="work folder (default: a temp folder)")
    ap.add_argument("--json", type=Path, help="write the reports as JSON here")
    ap.add_argument("-v", "--verbose", action="store_true", help="print failures as they come")
    args = ap.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="csr-crash-sweep-"))
    work.mkdir(parents=True, exist_ok=True)
    base = cp.make_base(work / "base")
    all_scenarios = cp.scenarios(args.big_mb)
    names = args.only.split(",") if args.only else list(all_scenarios)
    actions = ([] if args.no_kill else [cp.KILL]) + (list(cp.ERRORS) if args.errors else [])
    syscalls = args.syscalls.split(",")
    pick = cp.sample_pick() if args.sample else None
    reports = []
    started = time.monotonic()
    for name in names:
        scn = all_scenarios[name]
        t = cp.prepare(scn, base, work)
        if scn.fsize is not None:  # the limit itself is the fault
            t0 = time.monotonic()
            report = cp.Report(name, {"fsize": scn.fsize})
            report.outcomes.append(cp.try_point(t, work, "-", cp.NONE, 0))
            report.seconds = time.monotonic() - t0
        else:
            echo = print if args.verbose else None
            report = cp.sweep(t, work, syscalls, actions, args.every, args.last, pick, echo)
        reports.append(report)
        print("\n".join(report.lines()), flush=True)
    total_tried = sum(r.tried for r in reports)
    total_held = sum(r.held for r in reports)
    print(f"\nTOTAL {total_held}/{total_tried} points hold "
          f"({time.monotonic() - started:.0f} s)")  # fmt: skip
    print("\nSUMMARY")
    for r in reports:
        data = len(r.failures()) - r.leftovers_only()
        print(f"  {r.scenario:22} {r.held:5}/{r.tried:<5} held; {data:4} project failures, "
              f"{r.leftovers_only():4} leftovers only; {r.seconds:6.0f} s")  # fmt: skip
    if args.json:
        args.json.write_text(
            json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    return 0 if total_held == total_tried else 1


if __name__ == "__main__":
    sys.exit(main())
