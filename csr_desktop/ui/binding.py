"""Typing saved without losing a keystroke: a text widget bound to one field key.

Each edit restarts a short timer; when it fires, or the widget loses focus, or the page
changes, or the window closes, the text goes to the core with `coalesce=True` (one undo step
and one audit row per burst of typing, not per keystroke). Typing that never pauses is saved
all the same: a second timer, started by the first unsaved keystroke and never restarted,
bounds the wait, so a crash loses at most the last second (the core still coalesces the
pieces into one undo step by word and pause).

A large change at once (a paste, a cut, deleting a selection, a drop) is not typing: the text
as it was before it is saved first, then the changed text as its own undo step, so that
neither the debounce nor the core's coalescing can merge a paste with the typing around it.

A value the field cannot take (2025年6月31日) is not saved and not a failure: the field turns
red and says why under it, the other fields go on saving, and the window names it on closing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit

from csr_desktop.core.errors import CsrError
from csr_desktop.core.operations.fields import set_field
from csr_desktop.ui import dialogs
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.session import Session

DEBOUNCE_MS = 250
MAX_WAIT_MS = 800  # the longest a keystroke waits for its commit while typing goes on
LARGE_CHANGE = 8  # characters inserted or removed at once: more is a paste, not typing
if TYPE_CHECKING:  # only named here: its class and enums cost ~0.9 ms of start-up
    from PySide6.QtWidgets import QPlainTextEdit

TextWidget: TypeAlias = "QLineEdit | QPlainTextEdit"
Normalize = Callable[[str], str | None]  # None: not a value the field accepts (yet)


# compiled on first use (re.match caches it): compiling costs ~0.4 ms of start-up otherwise
_DATE = r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$"


def _is_undo_key(event: QEvent) -> bool:
    from PySide6.QtGui import QKeyEvent, QKeySequence  # not at start-up: enums (start-up time)

    keys = QKeySequence.StandardKey
    return isinstance(event, QKeyEvent) and (event.matches(keys.Undo) or event.matches(keys.Redo))


def changed_chars(before: str, after: str) -> int:
    """How many characters one edit inserted or removed (the larger of the two)."""
    if before == after:
        return 0
    n = min(len(before), len(after))
    start = 0
    while start < n and before[start] == after[start]:
        start += 1
    end = 0
    while end < n - start and before[-1 - end] == after[-1 - end]:
        end += 1
    return max(len(before) - start - end, len(after) - start - end)


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
        label: str = "",
        message: QLabel | None = None,
    ) -> None:
        super().__init__(widget)
        self.session = session
        self.key = key
        self.widget = widget
        self.normalize = normalize
        self.label = label or widget.accessibleName() or key
        self.message = message  # shown under the field while its text is not a valid value
        self.pending = False
        self.invalid = False  # the text waiting is not a value the field accepts
        self._updating = False
        self._failed = False
        self._seen = ""  # the text as of the last edit or refresh
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self._deadline = QTimer(self)  # not restarted by typing: bounds the debounce
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(MAX_WAIT_MS)
        self._deadline.timeout.connect(self.flush)
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._edited)
        else:
            widget.setUndoRedoEnabled(False)  # undo is the core's, see eventFilter
            widget.textChanged.connect(self._edited)
        widget.installEventFilter(self)
        widget.destroyed.connect(lambda *_: session.unregister(self))
        if session.readonly:
            widget.setReadOnly(True)
        session.register(self)
        self.refresh()
        self._seen = self.text()

    def text(self) -> str:
        w = self.widget
        return w.text() if isinstance(w, QLineEdit) else w.toPlainText()

    def _edited(self, *_: object) -> None:
        if self._updating:
            return
        if self.session.readonly:  # an input method can still change a read-only widget
            self.refresh()
            return
        before, text = self._seen, self.text()
        self._seen = text
        was = self.pending
        self.pending = True
        if changed_chars(before, text) > LARGE_CHANGE:
            self._stop_timers()
            if was:  # the typing before the paste: its own value, coalesced as typing
                self._save(before, coalesce=True)
                self.pending = True
            self._save(text, coalesce=False)  # the paste: its own undo step
            self.session.pending_changed.emit()
            return
        self._timer.start()
        if not self._deadline.isActive():
            self._deadline.start()
        if not was:
            self.session.pending_changed.emit()

    def _stop_timers(self) -> None:
        self._timer.stop()
        self._deadline.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.widget:
            return False
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            self.flush()
        elif kind == QEvent.Type.ShortcutOverride and _is_undo_key(event):
            # Ctrl+Z in the field is the window's undo (the core's history), not the widget's
            # own: Qt merges a paste and the typing after it into one widget step.
            return True
        return False

    def flush(self) -> bool:
        """Save now if anything waits; False only if saving failed (the text stays). A text
        that is not a valid value is not saved either, but that is `invalid`, not a failure."""
        self._stop_timers()
        if not self.pending:
            return True
        was_invalid = self.invalid
        ok = self._save(self.text(), coalesce=True)
        if ok or self.invalid != was_invalid:
            self.session.pending_changed.emit()
        return ok or self.invalid

    def _save(self, text: str, coalesce: bool) -> bool:
        value = self.normalize(text) if self.normalize else text
        if value is None:
            self._mark_invalid(True, text)
            return False
        self._mark_invalid(False, text)
        from csr_desktop.ui.labels import edit_label  # its regex: not at start-up

        try:
            project = self.session.project
            label = edit_label(project.indicator_set, self.key)
            set_field(project, self.key, value, label, coalesce=coalesce)
        except CsrError as exc:
            if not self._failed:  # one box per failure, not one per keystroke
                self._failed = True
                dialogs.failure(self.session.window, tr("未能保存"), exc)
            return False
        self._failed = False
        self.pending = False
        if value != text:
            self.refresh()
        return True

    def discard(self) -> None:
        """Give up the text waiting (the user chose to) and show the stored value again."""
        self._stop_timers()
        self.pending = False
        self._mark_invalid(False, "")
        self.refresh()
        self.session.pending_changed.emit()

    def problem(self) -> str:
        """What is wrong with the text waiting, naming the field; '' if nothing is."""
        if not self.invalid:
            return ""
        return tr(
            "“{label}”中的“{text}”不是有效的日期，尚未保存（应为 年-月-日，例如 2025-06-30）"
        ).format(label=self.label, text=self.text().strip())

    def _mark_invalid(self, invalid: bool, text: str) -> None:
        self.invalid = invalid
        if invalid:
            self.widget.setStyleSheet("background: #fde8e8; border: 1px solid #b00020;")
            self.widget.setToolTip(self.problem())
            if self.message is not None:
                self.message.setText(self.problem())
                self.message.show()
        elif self.widget.styleSheet():
            self.widget.setStyleSheet("")
            self.widget.setToolTip("")
            if self.message is not None:
                self.message.hide()

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
        self._seen = self.text()
