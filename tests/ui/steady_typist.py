"""Type Chinese into a narrative without ever pausing, as a fast typist does, in the real
main window; the parent test kills this process mid-typing.

`python -m tests.ui.steady_typist PROJECT INDICATOR INTERVAL_MS`: prints `ready`, then after
each character the number typed so far (flushed at once, so the parent knows when it was
typed). Characters are key presses carrying the text (QTest cannot type CJK)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from csr_desktop.ui.main_window import MainWindow
from csr_desktop.ui.settings import AppSettings

TEXT = "责任意识建立健全制度持续改进"  # cycled; distinct enough that a prefix check means something


def typed(n: int) -> str:
    """The first `n` characters this typist types (the parent compares the file with it)."""
    return "".join(TEXT[i % len(TEXT)] for i in range(n))


def main(project: str, no: str, interval_ms: str) -> None:
    app = QApplication(sys.argv[:1])
    folder = tempfile.mkdtemp()
    settings = AppSettings(QSettings(f"{folder}/settings.ini", QSettings.Format.IniFormat))
    window = MainWindow(settings)
    window.resize(1280, 720)
    if not window.open_project(Path(project)):
        raise SystemExit("could not open the project")
    window.show()
    page = window.wizard.go_to(int(no))
    edit = page.form.narrativeEdit
    edit.setFocus()
    count = 0

    def key() -> None:
        nonlocal count
        ch = typed(count + 1)[-1]
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(edit, event)
        count += 1
        print(count, flush=True)

    timer = QTimer()
    timer.setInterval(int(interval_ms))
    timer.timeout.connect(key)
    timer.start()
    print("ready", flush=True)
    app.exec()


if __name__ == "__main__":
    main(*sys.argv[1:])
