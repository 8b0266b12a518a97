"""Frozen vs venv start-up, measured in the same run (target: the bundle is no slower).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_frozen_startup.py [--runs 7] [--tiny] [BUNDLE]

BUNDLE defaults to dist/csr-desktop (build it with scripts/build_bundle.sh). Three pairs of
separate processes, each timed from spawn to exit and run interleaved so load on the machine
hits both sides alike:
- the window: `--terminate-after-init PROJECT` (exits right after the first page is painted);
- a headless command reading the project: `validate PROJECT`;
- `--version` (process start alone).
Prints the medians and the ratio frozen / venv for each (≤ 1.00 means no slower). Each pair
alternates who goes first. `--tiny` (CI smoke): one run each, no warm-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _util import alternating, report_ratio  # noqa: E402  (bench/ is not a package)


def timed(cmd: list[str], env: dict[str, str], ok_codes: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    r = subprocess.run(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if r.returncode not in ok_codes:
        raise SystemExit(f"{' '.join(cmd)} → exit {r.returncode}: {r.stderr.decode()[-500:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--tiny", action="store_true", help="CI smoke: one run each")
    parser.add_argument("bundle", nargs="?", type=Path, default=REPO / "dist" / "csr-desktop")
    args = parser.parse_args()
    frozen_gui = args.bundle.resolve() / "csr-desktop"
    frozen_cli = args.bundle.resolve() / "csr-desktop-cli"
    if not frozen_gui.is_file():
        print(f"没有找到打包目录 {args.bundle}：请先运行 scripts/build_bundle.sh", file=sys.stderr)
        return 2
    from csr_desktop.formats import interchange
    from csr_desktop.sample import build_interchange

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    venv = [sys.executable, "-m", "csr_desktop"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env["XDG_CONFIG_HOME"] = str(folder / "config")  # no recent files, no saved window
        project = folder / "bench.csrproj"
        interchange.load(build_interchange(folder / "in", evidence_per_indicator=2), project)
        cases = [
            (
                "window",
                "window, 28-indicator project",
                ["--terminate-after-init", str(project)],
                (0,),
            ),
            ("validate", "validate PROJECT (headless)", ["validate", str(project)], (0, 1)),
            ("version", "--version", ["--version"], (0,)),
        ]
        runs = 1 if args.tiny else args.runs
        print(f"frozen: {args.bundle}   venv: {sys.executable}   runs: {runs}")
        figures = []
        for key, title, cmd_args, ok in cases:
            exe = frozen_gui if cmd_args[0].startswith("--terminate") else frozen_cli
            frozen_cmd, venv_cmd = [str(exe), *cmd_args], [*venv, *cmd_args]
            if not args.tiny:
                timed(frozen_cmd, env, ok)  # warm the OS file cache for both
                timed(venv_cmd, env, ok)
            frozen_times: list[float] = []
            venv_times: list[float] = []
            sides = ((venv_cmd, venv_times), (frozen_cmd, frozen_times))
            for n in range(runs):
                for cmd, into in alternating(n, sides):
                    into.append(timed(cmd, env, ok))
            f, v = statistics.median(frozen_times), statistics.median(venv_times)
            print(
                f"{title:32s} venv {v * 1000:6.0f} ms   frozen {f * 1000:6.0f} ms   "
                f"ratio frozen/venv {f / v:.2f} (target <= 1.00)"
            )
            figures.append((key, f, v))
        window = next(x for x in figures if x[0] == "window")
        report_ratio(
            "frozen_startup",
            window[1] / window[2],
            f"window {window[1] * 1000:.0f} ms vs {window[2] * 1000:.0f} ms = "
            f"**{window[1] / window[2]:.2f}×**; "
            + "; ".join(f"`{k}` {f / v:.2f}×" for k, f, v in figures if k != "window"),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
