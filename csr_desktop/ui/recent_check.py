"""Reopen the last project at start-up without waiting for a share that does not answer.

Asking whether `\\\\server\\share\\项目.csrproj` exists blocks for 20–60 s when the server is
unreachable (VPN down, laptop off the office network). The window shows first; the recent
projects are asked about on worker threads after the first paint, and whatever has not
answered within CHECK_SECONDS counts as unreachable (its thread is left to finish alone).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from csr_desktop.core.errors import quoted
from csr_desktop.ui.i18n import tr

if TYPE_CHECKING:
    from csr_desktop.ui.main_window import MainWindow

CHECK_SECONDS = 5.0
POLL_MS = 50


class RecentCheck(QObject):
    """Opens the first recent project that exists, the most recent first, unless the user has
    opened or created one (or has a dialog open) by the time the answers are in."""

    def __init__(
        self,
        window: MainWindow,
        paths: list[Path],
        exists: Callable[[Path], bool] | None = None,
        timeout: float | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._paths = paths
        self._exists = exists or os.path.exists  # looked up now: tests replace it
        self._timeout = CHECK_SECONDS if timeout is None else timeout
        self._answers: dict[int, bool] = {}
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self.done = False
        self.chosen: Path | None = None
        self.unreachable: list[Path] = []

    def start(self) -> None:
        self._deadline = time.monotonic() + self._timeout
        for n, path in enumerate(self._paths):
            threading.Thread(
                target=self._ask, args=(n, path), name=f"recent-check-{n}", daemon=True
            ).start()
        self._timer.start()

    def _ask(self, n: int, path: Path) -> None:
        try:
            answer = bool(self._exists(path))
        except (OSError, ValueError):
            answer = False
        self._answers[n] = answer  # one dict item assignment: atomic under the GIL

    def _poll(self) -> None:
        late = time.monotonic() >= self._deadline
        chosen = None
        for n, path in enumerate(self._paths):
            if n not in self._answers:
                if not late:
                    return  # a more recent project may still answer
                self.unreachable.append(path)
            elif self._answers[n]:
                chosen = path
                break
        self._timer.stop()
        self.done = True
        self.chosen = chosen
        self._finish()

    def _finish(self) -> None:
        from PySide6.QtWidgets import QApplication

        window = self._window
        busy = window.session is not None or QApplication.activeModalWidget() is not None
        if self.chosen is not None and not busy:
            window.open_project(self.chosen)
        if self.unreachable:
            window.statusBar().showMessage(
                tr("最近使用的项目 {path} 所在位置暂时无法访问（网络或共享文件夹未连接）").format(
                    path=quoted(self.unreachable[0])
                ),
                20_000,
            )


def reopen_recent(window: MainWindow, timeout: float | None = None) -> RecentCheck | None:
    """Start checking the window's recent projects; None when there are none."""
    paths = window.settings.recent_projects()
    if not paths:
        return None
    check = RecentCheck(window, paths, timeout=timeout)
    check.start()
    return check
