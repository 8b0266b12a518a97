"""Drive the real app (`csr_desktop.app.run_app`, as `python -m csr_desktop` runs it) through a
sequence of heavy operations, then close the window and let the process exit on its own.

`python -m tests.ui.exit_driver PROJECT WORKDIR STEP...`; steps: package, document, copy
(a file above the worker threshold), cancel (the same, 取消 pressed while it copies).
Prints one line per step done; dialogs are answered as a user would and printed to stderr."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from csr_desktop.ui import dialogs, worker

BIG = 24 << 20  # above evidence.BACKGROUND_BYTES (8 MiB): copied on the worker thread


def answer_dialogs(work: Path) -> None:
    def report(kind: str) -> object:
        return lambda _parent, title, text: print(
            f"dialog-{kind}: {title}: {text}", file=sys.stderr
        )

    dialogs.error = report("error")  # type: ignore[assignment]
    dialogs.warning = report("warning")  # type: ignore[assignment]
    dialogs.information = lambda *_a: None  # type: ignore[assignment]
    # yes to everything but "export the 承诺书 for stamping first?": the package is the step
    dialogs.confirm = lambda *a, **_k: "扫描件" not in str(a[2:3])  # type: ignore[assignment]
    dialogs.confirm_export = lambda *_a: True  # type: ignore[assignment]
    dialogs.save_file = lambda _p, _t, proposed, _f, suffix: work / f"out{suffix}"  # type: ignore[assignment]


class CancellingUser:
    """The user presses 取消 when the progress dialog first moves; the copy waits for that
    press (so the test does not depend on how fast this disk is)."""

    def __init__(self) -> None:
        self.original = worker._Worker._progress
        self.original_set_value = QProgressDialog.setValue

    def __enter__(self) -> None:
        original, original_set_value = self.original, self.original_set_value

        def progress(job: Any, done: int, total: int) -> bool:
            going_on = original(job, done, total)
            deadline = time.monotonic() + 10
            while done and not job._cancel and time.monotonic() < deadline:
                time.sleep(0.005)
            return going_on and not job._cancel

        def set_value(dialog: QProgressDialog, value: int) -> None:
            original_set_value(dialog, value)
            if value > 0:
                dialog.findChild(QPushButton).click()  # 取消 (cancel() alone does not tell)

        worker._Worker._progress = progress  # type: ignore[method-assign]
        QProgressDialog.setValue = set_value  # type: ignore[method-assign]

    def __exit__(self, *_exc: object) -> None:
        worker._Worker._progress = self.original  # type: ignore[method-assign]
        QProgressDialog.setValue = self.original_set_value  # type: ignore[method-assign]


def run_step(window: object, step: str, work: Path) -> None:
    w = window
    if step in ("package", "document"):
        out = work / ("out.zip" if step == "package" else "out.pdf")
        out.unlink(missing_ok=True)
        w.export(step)  # type: ignore[attr-defined]
        print(f"{step} {'written' if out.exists() else 'missing'}", flush=True)
    elif step in ("copy", "cancel"):
        big = work / f"大文件-{step}.bin"
        with open(big, "wb") as fh:
            for n in range(BIG >> 20):
                fh.write(bytes([n % 251]) * (1 << 20))
        page = w.wizard.go_to(3)  # type: ignore[attr-defined]
        before = len(page.evidence.items())
        if step == "cancel":
            with CancellingUser():
                page.evidence.add_files([big])
        else:
            page.evidence.add_files([big])
        added = len(page.evidence.items()) - before
        print(f"{step} added={added}", flush=True)
    else:
        raise SystemExit(f"unknown step {step}")


def main() -> int:
    project, work, steps = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    answer_dialogs(work)
    QApplication([sys.argv[0], str(project)])  # run_app reads the project from the arguments

    def drive() -> None:
        from csr_desktop.ui.main_window import MainWindow

        [window] = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if window.wizard is None or not window.isVisible():
            QTimer.singleShot(20, drive)
            return
        for step in steps:
            run_step(window, step, work)
        window.close()  # the last window: the app quits, the interpreter finalises

    QTimer.singleShot(0, drive)
    from csr_desktop.app import run_app

    return run_app([str(project)])


if __name__ == "__main__":
    sys.exit(main())
