"""Start-up: process start → first page shown with a 28-indicator project open, against a bare
28-page PySide6 QWizard (5 radios, a text edit and a table per page) measured in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py [--runs 25]

Both run as separate processes, interleaved. "first paint" is spawn → the wall-clock stamp each
prints when its window is first painted (the app: `--terminate-after-init` with
CSR_DESKTOP_STARTUP_STAMP=1); "exit" also counts tearing down (the app closes the project and
saves its settings); "CPU to paint" is the CPU time each process had used when it painted (close
to the wall time: start-up is computation, not waiting for files). Prints the medians and the ratios (target
≤ 1.3 for first paint)."""

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

BARE_WIZARD = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (QApplication, QPlainTextEdit, QRadioButton, QTableWidget,
    QVBoxLayout, QWizard, QWizardPage)

class Quit(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print(f"first-paint {time.time():.6f} {time.process_time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False

app = QApplication(sys.argv)
wizard = QWizard()
for n in range(1, 29):
    page = QWizardPage()
    page.setTitle(f"指标 {n}")
    layout = QVBoxLayout(page)
    for r in range(1, 6):
        layout.addWidget(QRadioButton(f"{r}.选项"))
    layout.addWidget(QPlainTextEdit())
    table = QTableWidget(0, 3)
    table.setHorizontalHeaderLabels(["序号", "材料名称", "备注"])
    layout.addWidget(table)
    wizard.addPage(page)
quitter = Quit()
wizard.installEventFilter(quitter)
wizard.show()
QTimer.singleShot(10000, app.quit)
sys.exit(app.exec())
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """(spawn → first paint, spawn → exit, CPU seconds used by first paint)."""
    start = time.time()
    done = subprocess.run(cmd, check=True, env=env, cwd=REPO, capture_output=True, text=True)
    ended = time.time()
    stamps = [line.split() for line in done.stdout.splitlines() if line.startswith("first-paint")]
    if not stamps:
        raise SystemExit(f"{cmd[:3]} printed no first-paint stamp:\n{done.stderr}")
    return float(stamps[0][1]) - start, ended - start, float(stamps[0][2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    from csr_desktop.formats import interchange
    from csr_desktop.sample import build_interchange

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["CSR_DESKTOP_STARTUP_STAMP"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # An installed app starts from compiled bytecode (pip and PyInstaller both ship it), but
        # with PYTHONDONTWRITEBYTECODE set (as in some shells) the app's own modules would be
        # compiled from source on every run while PySide6's come precompiled. Both processes
        # get a bytecode cache of their own here, filled by the warm-up runs.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        env["XDG_CONFIG_HOME"] = str(folder / "config")  # no recent files, no saved window
        project = folder / "bench.csrproj"
        interchange.load(build_interchange(folder / "in", evidence_per_indicator=2), project)
        app_cmd = [sys.executable, "-m", "csr_desktop", "--terminate-after-init", str(project)]
        bare_cmd = [sys.executable, "-c", BARE_WIZARD]
        timed(app_cmd, env)  # warm the OS file cache and the bytecode cache for both
        timed(bare_cmd, env)
        app_times, bare_times = [], []
        # interleaved, so load on the machine hits both alike; the order alternates (ABBA) so
        # that noise with the rhythm of the runs does not always hit the same one
        for n in range(args.runs):
            if n % 2:
                app_times.append(timed(app_cmd, env))
                bare_times.append(timed(bare_cmd, env))
            else:
                bare_times.append(timed(bare_cmd, env))
                app_times.append(timed(app_cmd, env))
    for i, what in enumerate(("first paint", "exit", "CPU to paint")):
        bare = statistics.median(t[i] for t in bare_times)
        app = statistics.median(t[i] for t in app_times)
        paired = statistics.median(a[i] / b[i] for a, b in zip(app_times, bare_times, strict=True))
        best = min(t[i] for t in app_times) / min(t[i] for t in bare_times)
        print(
            f"{what:12s}: bare QWizard {bare * 1000:4.0f} ms, csr-desktop {app * 1000:4.0f} ms, "
            f"ratio of medians {app / bare:.2f}, median of paired ratios {paired:.2f}, "
            f"best-of {best:.2f}" + (" (target <= 1.30)" if i == 0 else "")
        )
    print(
        f"over {args.runs} interleaved runs; the paired and best-of ratios resist a noisy machine; "
        "CPU time close to wall time means start-up is computation, not waiting for the disk"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
