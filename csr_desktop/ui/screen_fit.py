"""A window's size on small screens: what it asks for, or what the screen leaves."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to width×height, or to what the available screen leaves (90 % of it)."""
    screen = widget.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, int(room.width() * 0.9))
        height = min(height, int(room.height() * 0.9))
    widget.resize(width, height)
