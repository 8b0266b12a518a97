"""Every file dialog and message box the app shows, in one place so tests can replace them.

Tests monkeypatch these functions (e.g. `dialogs.open_files = lambda *a: [path]`); the rest of
the UI calls them only as `dialogs.<name>(…)`, never by importing the names directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from csr_desktop.ui.i18n import tr
from csr_desktop.ui.screen_fit import fit_to_screen as fit_to_screen

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# The dialog classes are imported inside each function: none is needed to show the first page,
# and PySide6 builds a class's enums on first import, measured after the first paint:
# QFileDialog ~1.2 ms, QMessageBox ~1.5 ms, QUrl + QDesktopServices ~1.5 ms, the list and text
# dialogs ~1–1.6 ms, ui.messages (regexes) ~4 ms, ui.import_preview ~34 ms.


class _GiveBackFocus:
    """Around a modal dialog (file dialogs above all): afterwards, activate the window it was opened from again and
    put the focus back where it was. Without a window manager that does it (X11 without one,
    some remote desktops) the main window stays inactive, and every window shortcut and
    mnemonic (Alt+N 下一步) is dead for the rest of the session."""

    def __init__(self, parent: QWidget | None) -> None:
        self.window = parent.window() if parent is not None else None
        self.focus = QApplication.focusWidget()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *_exc: object) -> None:
        window = self.window
        if window is None or not isValid(window) or not window.isVisible():
            return
        window.activateWindow()
        window.raise_()
        focus = self.focus
        if focus is not None and isValid(focus) and focus.isVisible():
            focus.setFocus()


def _filter(name: str) -> str:
    return tr(name) + ";;" + tr("所有文件 (*)")


def open_project(parent: QWidget | None, start_dir: str, title: str = "") -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    with _GiveBackFocus(parent):
        path, _ = QFileDialog.getOpenFileName(
            parent, title or tr("打开项目"), start_dir, _filter(tr("自评项目 (*.csrproj)"))
        )
    return Path(path) if path else None


def new_project(parent: QWidget | None, title: str, start: str) -> Path | None:
    """A name for a new project file; an existing file is refused by the caller, not here."""
    from PySide6.QtWidgets import QFileDialog

    with _GiveBackFocus(parent):
        path, _ = QFileDialog.getSaveFileName(
            parent,
            title,
            start,
            tr("自评项目 (*.csrproj)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
    if not path:
        return None
    result = Path(path)
    return result if result.suffix == ".csrproj" else result.with_name(result.name + ".csrproj")


def save_file(
    parent: QWidget | None, title: str, proposed: str, name_filter: str, suffix: str
) -> Path | None:
    """A save dialog proposing `proposed`; the suffix is added when the user left it out."""
    from PySide6.QtWidgets import QFileDialog

    with _GiveBackFocus(parent):
        path, _ = QFileDialog.getSaveFileName(parent, title, proposed, name_filter)
    if not path:
        return None
    result = Path(path)
    if result.suffix.lower() != suffix:
        result = result.with_name(result.name + suffix)
    return result


def open_file(parent: QWidget | None, title: str, start_dir: str, name_filter: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    with _GiveBackFocus(parent):
        path, _ = QFileDialog.getOpenFileName(parent, title, start_dir, _filter(name_filter))
    return Path(path) if path else None


def choose_folder(parent: QWidget | None, title: str, start_dir: str) -> Path | None:
    from PySide6.QtWidgets import QFileDialog

    with _GiveBackFocus(parent):
        name = QFileDialog.getExistingDirectory(parent, title, start_dir)
    return Path(name) if name else None


def open_files(parent: QWidget | None, title: str, start_dir: str) -> list[Path]:
    from PySide6.QtWidgets import QFileDialog

    with _GiveBackFocus(parent):
        paths, _ = QFileDialog.getOpenFileNames(parent, title, start_dir, tr("所有文件 (*)"))
    return [Path(p) for p in paths]


def _box(parent: QWidget | None, icon: str, title: str, text: str, details: str) -> None:
    """The Chinese sentence is the message; anything technical only under 详细信息."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(getattr(QMessageBox.Icon, icon), title, text, parent=parent)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    if details and details != text:
        box.setDetailedText(details)
    with _GiveBackFocus(parent):
        box.exec()


def error(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    _box(parent, "Critical", title, text, details)


def warning(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    _box(parent, "Warning", title, text, details)


def information(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    _box(parent, "Information", title, text, details)


def failure(parent: QWidget | None, title: str, exc: BaseException, lead: str = "") -> None:
    """An exception as the user sees it: the Chinese sentence; SQLite's or the OS's English
    only under 详细信息."""
    from csr_desktop.ui.messages import user_message

    text, details = user_message(exc)
    error(parent, title, lead + text, details)


def ask(parent: QWidget | None, title: str, text: str, choices: tuple[str, ...]) -> int:
    """A question with named answers; returns the index of the one chosen (the first is the
    default, and what Esc or closing the box means)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    buttons = [
        box.addButton(
            choice,
            QMessageBox.ButtonRole.RejectRole if n == 0 else QMessageBox.ButtonRole.AcceptRole,
        )
        for n, choice in enumerate(choices)
    ]
    box.setDefaultButton(buttons[0])
    box.setEscapeButton(buttons[0])
    with _GiveBackFocus(parent):
        box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else 0


def confirm(parent: QWidget | None, title: str, text: str, details: str = "") -> bool:
    """Yes/No question; `details` (e.g. the list of changes) goes in the expandable part."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    if details:
        box.setDetailedText(details)
    with _GiveBackFocus(parent):
        return box.exec() == QMessageBox.StandardButton.Yes


def open_with_system(path: Path) -> bool:
    """Hand a file to the program the OS associates with it."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _list_question(
    parent: QWidget | None, title: str, text: str, lines: list[str], yes: str, no: str
) -> bool:
    """A question above a list of lines, answered by two named buttons (`no` is the default)."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    layout = QVBoxLayout(dialog)
    label = QLabel(text, dialog)
    label.setWordWrap(True)
    layout.addWidget(label)
    items = QListWidget(dialog)
    items.setAccessibleName(tr("清单"))
    items.setWordWrap(True)
    items.addItems(lines)
    layout.addWidget(items)
    buttons = QDialogButtonBox(dialog)
    go = buttons.addButton(yes, QDialogButtonBox.ButtonRole.AcceptRole)
    back = buttons.addButton(no, QDialogButtonBox.ButtonRole.RejectRole)
    back.setDefault(True)
    go.setAutoDefault(False)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    fit_to_screen(dialog, 720, 480)
    with _GiveBackFocus(parent):
        return dialog.exec() == QDialog.DialogCode.Accepted


def confirm_export(parent: QWidget | None, title: str, text: str, gaps: list[str]) -> bool:
    """Before an export with gaps: the gaps listed; export a draft anyway, or go back."""
    return _list_question(parent, title, text, gaps, tr("仍要导出(&E)"), tr("返回(&R)"))


def confirm_upgrade(parent: QWidget | None, title: str, text: str) -> bool:
    """Offer to move a project onto a newer indicator set. Its own name, so that runs nobody
    watches (--terminate-after-init) can answer No here and Yes elsewhere."""
    return confirm(parent, title, text)


def report_dialog(parent: QWidget | None, title: str, lines: list[str]) -> QWidget:
    """A carry-over's report: every changed indicator, moved answer and dropped one, readable
    and selectable (to copy into an email) before the new project opens."""
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout

    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    layout = QVBoxLayout(dialog)
    text = QPlainTextEdit(dialog)
    text.setReadOnly(True)
    text.setAccessibleName(tr("报告"))
    text.setPlainText("\n".join(lines))
    layout.addWidget(text)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, dialog)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("打开新项目"))
    buttons.accepted.connect(dialog.accept)
    layout.addWidget(buttons)
    dialog.resize(860, 560)
    return dialog


def report(parent: QWidget | None, title: str, lines: list[str]) -> None:
    from PySide6.QtWidgets import QDialog

    dialog = report_dialog(parent, title, lines)
    assert isinstance(dialog, QDialog)
    dialog.exec()


def import_preview(
    parent: QWidget | None, title: str, text: str, changes: list[Any], conflicts: list[Any]
) -> list[str] | None:
    """The changes and the conflicts of a return side by side, a choice per conflict; the keys
    of the conflicts to take from the workbook, or None when cancelled."""
    from PySide6.QtWidgets import QDialog

    from csr_desktop.ui.import_preview import ImportPreview

    dialog = ImportPreview(parent, title, text, changes, conflicts)
    with _GiveBackFocus(parent):
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.taken() if accepted else None
