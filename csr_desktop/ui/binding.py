"""Typing saved without losing a keystroke: a text widget bound to one field key.

Each edit restarts a short timer; when it fires, or the widget loses focus, or the page
changes, or the window closes, the text goes to the core with `coalesce=True` (one undo step
and one audit row per burst of typing, not per keystroke)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from csr_desktop.core.errors import CsrError
from csr_desktop.ui import dialogs
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.session import Session

DEBOUNCE_MS = 250
TextWidget = QLineEdit | QPlainTextEdit
Normalize = Callable[[str], str | None]  # None: not a value the field accepts (yet)


# compiled on first use (re.match caches it): compiling costs ~0.4 ms of start-up otherwise
_DATE = r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$"


def normalize_date(text: str) -> str | None:
    """Accept 2025-06-30, 2025/6/30, 2025.6.30 and 2025年6月30日; '' clears the date."""
    if not text.strip():
        return ""
    m = re.match(_DATE, text)
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


class TextBinding(QObject):
    """Keeps one text widget and one field key in step; the project is the only state."""

    def __init__(
        self,
        session: Session,
        key: str,
        widget: TextWidget,
        normalize: Normalize | None = None,
    ) -> None:
        super().__init__(widget)
        self.session = session
        self.key = key
        self.widget = widget
        self.normalize = normalize
        self.pending = False
        self._updating = False
        self._failed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._edited)
        else:
            widget.textChanged.connect(self._edited)
        widget.installEventFilter(self)
        widget.destroyed.connect(lambda *_: session.unregister(self))
        if session.readonly:
            widget.setReadOnly(True)
        session.register(self)
        self.refresh()

    def text(self) -> str:
        w = self.widget
        return w.text() if isinstance(w, QLineEdit) else w.toPlainText()

    def _edited(self, *_: object) -> None:
        if self._updating:
            return
        was = self.pending
        self.pending = True
        self._timer.start()
        if not was:
            self.session.pending_changed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False

    def flush(self) -> bool:
        """Save now if anything waits; False if it could not be saved (the text stays)."""
        self._timer.stop()
        if not self.pending:
            return True
        text = self.text()
        value = self.normalize(text) if self.normalize else text
        if value is None:
            self._mark_invalid(True)
            return False
        self._mark_invalid(False)
        try:
            self.session.project.set(self.key, value, coalesce=True)
        except CsrError as exc:
            if not self._failed:  # one box per failure, not one per keystroke
                self._failed = True
                dialogs.error(self.session.window, tr("未能保存"), exc.zh)
            return False
        self._failed = False
        self.pending = False
        self.session.pending_changed.emit()
        if value != text:
            self.refresh()
        return True

    def _mark_invalid(self, invalid: bool) -> None:
        if invalid:
            self.widget.setStyleSheet("background: #fde8e8;")
            self.widget.setToolTip(tr("日期格式应为 年-月-日，例如 2025-06-30；改正后自动保存"))
        elif self.widget.styleSheet():
            self.widget.setStyleSheet("")
            self.widget.setToolTip("")

    def refresh(self) -> None:
        """Show the stored value, unless the user is in the middle of typing it."""
        if self.pending:
            return
        stored = self.session.project.get(self.key) or ""
        if self.text() == stored:
            return
        self._updating = True
        try:
            w = self.widget
            if isinstance(w, QLineEdit):
                w.setText(stored)
            else:
                w.setPlainText(stored)
        finally:
            self._updating = False
