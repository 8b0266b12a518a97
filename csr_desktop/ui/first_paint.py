"""Work the window needs soon, but not before the user sees it: run after a widget's first paint.

A zero timer started while the window is built fires before its first paint; a paint event
filter does not."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer


class _AfterFirstPaint(QObject):
    def __init__(self, parent: QObject, callback: Callable[[], object]) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)
            self.deleteLater()
        return False


def after_first_paint(widget: QObject, callback: Callable[[], object]) -> None:
    """Call `callback` from the event loop once `widget` has been painted for the first time."""
    widget.installEventFilter(_AfterFirstPaint(widget, callback))
