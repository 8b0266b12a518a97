"""Labelled text fields generated from the indicator set (cover and 承诺书 blanks)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from csr_desktop.core.indicators import Field
from csr_desktop.ui.binding import TextBinding, normalize_date
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.session import Session


def rich_lines(lines: tuple[str, ...]) -> str:
    """Title lines as bold rich text for a QLabel."""
    escaped = (t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for t in lines)
    return "<b>" + "<br>".join(escaped) + "</b>"


def add_fields(
    session: Session, form: QFormLayout, parent: QWidget, prefix: str, fields: tuple[Field, ...]
) -> dict[str, QLineEdit]:
    """One bound line edit per field; dates accept the usual Chinese ways of writing them."""
    edits: dict[str, QLineEdit] = {}
    for f in fields:
        edit = QLineEdit(parent)
        edit.setObjectName(f"{prefix}_{f.key}")
        edit.setAccessibleName(f.label)
        label = QLabel(f.label + tr("："), parent)
        label.setBuddy(edit)
        if f.kind == "date":
            edit.setPlaceholderText(tr("例如 2025-06-30"))
            edit.setAccessibleDescription(tr("日期，格式为 年-月-日"))
            box = QWidget(parent)
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(edit)
            message = QLabel(box)  # says what is wrong with a date that cannot be saved
            message.setObjectName(f"{prefix}_{f.key}_message")
            message.setStyleSheet("color: #b00020;")
            message.setWordWrap(True)
            message.hide()
            column.addWidget(message)
            TextBinding(session, f"{prefix}.{f.key}", edit, normalize_date, f.label, message)
            form.addRow(label, box)
        else:
            TextBinding(session, f"{prefix}.{f.key}", edit, label=f.label)
            form.addRow(label, edit)
        edits[f.key] = edit
    return edits
