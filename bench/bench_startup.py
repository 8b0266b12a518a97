"""Start-up: process start → first page shown with a 28-indicator project open, against two
bare PySide6 programs measured in the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup.py [--runs 25] [--tiny]

- The lazy floor (the headline, target ≤ 1.25×): a bare QMainWindow with a 31-item side list
  and a progress label beside a QWizard of 31 pages that builds only the page it shows (the
  cover's labelled line edits), as the app does. This is what any PySide6 program showing the
  same window must pay.
- The 28-page QWizard (the old baseline, kept for comparison, labelled): every page built
  before the first paint (5 radios, a text edit and a table per page); the app builds one page,
  so a ratio against it flatters.

All run as separate processes, interleaved, the order rotated each round so each goes first
equally often. "first paint" is spawn → the wall-clock stamp each prints when its window is
first painted (the app: `--terminate-after-init` with CSR_DESKTOP_STARTUP_STAMP=1); "exit" also
counts tearing down (the app closes the project and saves its settings); "CPU to paint" is the
CPU time each process had used when it painted (close to the wall time: start-up is
computation, not waiting for files). `--tiny` (CI smoke): 1 run, no warm-up."""

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

TARGET = 1.25  # against the lazy floor

# The old baseline: all 28 pages built before the first paint.
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


# The floor: what the app's first paint needs and nothing else — main window, 31-item side
# list with a progress label, a wizard with 31 pages of which only the shown one (the cover's
# labelled line edits) has content; the others stay empty QWizardPages, as the app's lazy pages
# are until first shown.
LAZY_FLOOR = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (QApplication, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QMainWindow, QSplitter, QVBoxLayout, QWidget, QWizard, QWizardPage)

class Quit(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print(f"first-paint {time.time():.6f} {time.process_time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False

app = QApplication(sys.argv)
window = QMainWindow()
splitter = QSplitter()
side = QWidget()
side_layout = QVBoxLayout(side)
items = QListWidget()
items.addItems(["封面信息"] + [f"{n}. 指标 {n}" for n in range(1, 29)] + ["诚信承诺书", "检查与导出"])
side_layout.addWidget(items)
side_layout.addWidget(QLabel("已完成 28/28"))
splitter.addWidget(side)
wizard = QWizard()
cover = QWizardPage()
cover.setTitle("封面信息")
form = QFormLayout(cover)
for label in ("企业名称", "自评业务版块或产品", "联系人", "联系方式", "提交日期", "备注"):
    form.addRow(QLabel(label), QLineEdit())
wizard.setPage(0, cover)
for n in range(1, 31):
    wizard.setPage(n, QWizardPage())
splitter.addWidget(wizard)
window.setCentralWidget(splitter)
quitter = Quit()
wizard.installEventFilter(quitter)  # the app stamps its wizard's first paint too
window.show()
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
    parser.add_argument("--tiny", action="store_true", help="CI smoke: one run, no warm-up")
    args = parser.parse_args()
    runs = 1 if args.tiny else args.runs
    from csr_desktop.formats import interchange
    from csr_desktop.sample import build_interchange

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["CSR_DESKTOP_STARTUP_STAMP"] = "1"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # An installed app starts from compiled bytecode (pip and PyInstaller both ship it), but
        # with PYTHONDONTWRITEBYTECODE set (as in some shells) the app's own modules would be
        # compiled from source on every run while PySide6's come precompiled. Every process
        # gets the same bytecode cache here, filled by the warm-up runs.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        env["XDG_CONFIG_HOME"] = str(folder / "config")  # no recent files, no saved window
        project = folder / "bench.csrproj"
        interchange.load(build_interchange(folder / "in", evidence_per_indicator=2), project)
        commands = {
            "app": [sys.executable, "-m", "csr_desktop", "--terminate-after-init", str(project)],
            "floor": [sys.executable, "-c", LAZY_FLOOR],
            "wizard28": [sys.executable, "-c", BARE_WIZARD],
        }
        if not args.tiny:
            for cmd in commands.values():  # warm the OS file cache and the bytecode cache
                timed(cmd, env)
        times: dict[str, list[tuple[float, float, float]]] = {k: [] for k in commands}
        # interleaved, so load on the machine hits all alike; the order rotates each round
        for n in range(runs):
            for name in alternating(n, list(commands)):
                times[name].append(timed(commands[name], env))
    app = times["app"]
    for base, label in (
        ("floor", "lazy floor (main window, 31-item list, wizard building 1 page)"),
        ("wizard28", "old baseline: bare 28-page QWizard, all pages built (flatters)"),
    ):
        print(f"against the {label}:")
        bare_times = times[base]
        for i, what in enumerate(("first paint", "exit", "CPU to paint")):
            bare = statistics.median(t[i] for t in bare_times)
            ours = statistics.median(t[i] for t in app)
            paired = statistics.median(a[i] / b[i] for a, b in zip(app, bare_times, strict=True))
            best = min(t[i] for t in app) / min(t[i] for t in bare_times)
            print(
                f"  {what:12s}: baseline {bare * 1000:4.0f} ms, csr-desktop {ours * 1000:4.0f} ms, "
                f"ratio of medians {ours / bare:.2f}, median of paired ratios {paired:.2f}, "
                f"best-of {best:.2f}"
                + (f" (target <= {TARGET:.2f})" if base == "floor" and i == 0 else "")
            )
            if i == 0:
                figures = (
                    f"{ours * 1000:.0f} ms vs {bare * 1000:.0f} ms, median of {runs} paired "
                    f"ratios **{paired:.2f}×** (best-of {best:.2f}, ratio of medians "
                    f"{ours / bare:.2f})"
                )
                report_ratio(f"startup_{base}", paired, figures)
    print(
        f"over {runs} interleaved runs; the paired and best-of ratios resist a noisy machine; "
        "CPU time close to wall time means start-up is computation, not waiting for the disk"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
