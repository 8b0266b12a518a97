"""Typing as a Chinese user does: ASCII as key presses, Chinese as input-method commits
(QTest's key clicks only know ASCII; an IME hands the widget a QInputMethodEvent)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_text(qtbot: Any, widget: QWidget, text: str) -> None:
    widget.setFocus()
    run = ""
    for ch in text + "\0":
        if ch.isascii() and ch != "\0":
            run += ch
            continue
        if run:
            qtbot.keyClicks(widget, run)
            run = ""
        if ch != "\0":
            event = QInputMethodEvent("", [])
            event.setCommitString(ch)
            QApplication.sendEvent(widget, event)
