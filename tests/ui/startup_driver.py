"""Start the real app (`csr_desktop.cli.main`, as `python -m csr_desktop` does) with one OS
behaviour of Windows played by a stand-in, and print what the window did.

    python startup_driver.py mangled-argv PROJECT
        Qt's converted arguments lose characters outside the ANSI code page, as on a Chinese
        Windows: QApplication.arguments() returns the GBK round trip of each argument.
    python startup_driver.py slow-share SERVER_PREFIX RECENT...
        Asking whether a path under SERVER_PREFIX exists takes 3 s (an unreachable share);
        RECENT are the recent projects. Prints the calls made on the main thread and the
        project open 2 s after start.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication


def ansi(text: str) -> str:
    return text.encode("gbk", "replace").decode("gbk")


def mangled_argv(project: str) -> int:
    real = QApplication.arguments
    QApplication.arguments = lambda self: [ansi(a) for a in real(self)]  # type: ignore[method-assign]
    from csr_desktop.cli import main

    return main(["--terminate-after-init", project])


def slow_share(prefix: str, recent: list[str]) -> int:
    QCoreApplication.setOrganizationName("csr-desktop")
    QCoreApplication.setApplicationName("csr-desktop")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    app = QApplication([sys.argv[0]])
    settings = QSettings()
    settings.setValue("recent/projects", recent)
    settings.sync()
    del settings
    on_main: list[str] = []
    real_path_exists, real_os_exists = Path.exists, os.path.exists

    def slow(path: object) -> bool | None:
        if not str(path).startswith(prefix):
            return None
        if threading.current_thread() is threading.main_thread():
            on_main.append(str(path))
        time.sleep(3)
        return False

    def path_exists(self: Path, *args: object, **kw: object) -> bool:
        answer = slow(self)
        return real_path_exists(self, *args, **kw) if answer is None else answer  # type: ignore[arg-type]

    def os_exists(path: str) -> bool:
        answer = slow(path)
        return real_os_exists(path) if answer is None else answer

    Path.exists = path_exists  # type: ignore[method-assign]
    os.path.exists = os_exists
    try:
        from csr_desktop.ui import recent_check

        recent_check.CHECK_SECONDS = 0.5
    except ImportError:
        pass
    started = time.monotonic()

    def report() -> None:
        from csr_desktop.ui.main_window import MainWindow

        [window] = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        opened = window.session.project.path if window.session else None
        print(f"main-thread-calls {on_main}")
        print(f"opened {opened}")
        print(f"status {window.statusBar().currentMessage()}")
        print(f"elapsed {time.monotonic() - started:.2f}")
        window.close()
        app.quit()

    QTimer.singleShot(2000, report)
    from csr_desktop.app import run_app

    return run_app([])


if __name__ == "__main__":
    mode, *rest = sys.argv[1:]
    if mode == "mangled-argv":
        sys.exit(mangled_argv(rest[0]))
    sys.exit(slow_share(rest[0], rest[1:]))
