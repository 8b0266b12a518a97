"""Long jobs (copying large files in, exports) on a worker thread behind a progress dialog.

The caller gets the job's result as if it had run in line, but the window keeps repainting
and the user can cancel: the job's progress callback returns False and the core raises
`Cancelled`, leaving nothing behind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QProgressDialog, QWidget

from csr_desktop.ui.i18n import tr

T = TypeVar("T")
Progress = Callable[[int, int], bool]
SCALE = 1000
_running: list[_Worker] = []  # the job in progress, if any (one at a time: the window waits)
_when_done: list[Callable[[], object]] = []


def running() -> bool:
    return bool(_running)


def cancel_running() -> None:
    for worker in _running:
        worker.cancel()


def when_done(callback: Callable[[], object]) -> None:
    """Call `callback` (from the event loop) once the job in progress has ended."""
    _when_done.append(callback)


class _Worker(QThread):
    progressed = Signal(int)  # per mille, so byte counts above 2**31 fit a Qt int

    def __init__(self, job: Callable[[Progress], Any]) -> None:
        super().__init__()
        self._job = job
        self._cancel = False
        self._shown = -1
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        self._cancel = True

    def _progress(self, done: int, total: int) -> bool:
        if total > 0:
            value = min(SCALE, done * SCALE // total)
            if value != self._shown:  # at most SCALE + 1 signals a job, however many steps
                self._shown = value
                self.progressed.emit(value)
        return not self._cancel

    def run(self) -> None:
        try:
            self.result = self._job(self._progress)
        except BaseException as exc:  # handed to the UI thread, raised there
            self.error = exc


class _NoShortcuts(QObject):
    """While a job runs, no window shortcut fires (撤销, 转到, rating keys…): the window is
    disabled but not modally blocked, and shortcuts do not ask whether their widget is
    enabled."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        return event.type() == QEvent.Type.Shortcut and bool(_running)


def run_with_progress(
    parent: QWidget | None, title: str, label: str, job: Callable[[Progress], T]
) -> T:
    """Run `job(progress)` on a thread; re-raise its exception here (Cancelled included).

    The window's contents are disabled rather than blocked by a modal dialog: a window
    blocked by a modal one never hears the user close it (Qt drops the close event), and the
    user would get no answer; MainWindow.closeEvent asks instead (see `running`)."""
    worker = _Worker(job)
    # a child of the window itself, not of the page: the page is disabled below
    owner = parent.window() if parent is not None else None
    dialog = QProgressDialog(label, tr("取消"), 0, 0, owner)  # busy until the first report
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    dialog.setProperty("windowModality", "NonModal")  # by name: Qt's namespace costs ~20 ms,
    # and closing the window imports this module to ask whether a job runs
    disabled = _disable_window(parent)
    app = QCoreApplication.instance()
    no_shortcuts = _NoShortcuts()
    if app is not None:
        app.installEventFilter(no_shortcuts)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(worker.cancel)

    def show_progress(value: int) -> None:
        if dialog.maximum() != SCALE:
            dialog.setRange(0, SCALE)
        dialog.setValue(value)

    worker.progressed.connect(show_progress)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    _running.append(worker)
    try:
        worker.start()
        loop.exec()
        worker.wait()
    finally:
        _running.remove(worker)
        if app is not None:
            app.removeEventFilter(no_shortcuts)
        for widget in disabled:
            widget.setEnabled(True)
        dialog.close()
        dialog.deleteLater()
        if not _running:
            for callback in _when_done:
                QTimer.singleShot(0, callback)
            _when_done.clear()
    if worker.error is not None:
        raise worker.error
    return worker.result  # type: ignore[no-any-return]


def _disable_window(parent: QWidget | None) -> list[QWidget]:
    """The parent window's menus and contents, disabled while the job runs (they were enabled)."""
    if parent is None:
        return []
    window = parent.window()
    widgets = [window.menuBar(), window.centralWidget()] if isinstance(window, QMainWindow) else []
    out = [w for w in widgets or [window] if w is not None and w.isEnabled()]
    for w in out:
        w.setEnabled(False)
    return out
