"""Keyboard shortcuts given by their text, e.g. `add_shortcut(window, "Ctrl+Y", redo)`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QWidget


def add_shortcut(parent: QWidget, keys: str, slot: Callable[[], object]) -> QShortcut:
    """A shortcut active while `parent`'s window is.

    Set through the `key` property, which Qt parses as QKeySequence(keys) would: building a
    QKeySequence in Python makes PySide6 build that class's enums, and the window and the
    wizard set their shortcuts before the first page is shown."""
    shortcut = QShortcut(parent)
    shortcut.setProperty("key", keys)
    shortcut.activated.connect(slot)
    return shortcut
