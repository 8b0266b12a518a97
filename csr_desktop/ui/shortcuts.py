"""Keyboard shortcuts given by their text, e.g. `add_shortcut(window, "Ctrl+Y", redo, "重做")`;
each is remembered with what it does, for 帮助 › 键盘快捷键."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtGui import QShortcut
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

_REGISTERED: list[tuple[QShortcut, str, str]] = []


def add_shortcut(
    parent: QWidget, keys: str, slot: Callable[[], object], what: str = "", where: str = ""
) -> QShortcut:
    """A shortcut active while `parent`'s window is.

    Set through the `key` property, which Qt parses as QKeySequence(keys) would: building a
    QKeySequence in Python makes PySide6 build that class's enums, and the window and the
    wizard set their shortcuts before the first page is shown."""
    shortcut = QShortcut(parent)
    shortcut.setProperty("key", keys)
    shortcut.activated.connect(slot)
    _REGISTERED.append((shortcut, what or keys, where))
    return shortcut


def registered() -> Iterator[tuple[str, str, str, QWidget]]:
    """(keys, what it does, where it works ("" everywhere), the widget it belongs to) of every
    shortcut still alive."""
    _REGISTERED[:] = [entry for entry in _REGISTERED if isValid(entry[0])]
    for shortcut, what, where in _REGISTERED:
        parent = shortcut.parent()
        if isinstance(parent, QWidget):
            yield shortcut.key().toString(), what, where, parent
