"""Issue 27: the window as a compliance officer meets it — words that mean what they say,
keys that keep working. Dialogs are answered the way a user would, by their buttons."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QWidget

from csr_desktop.ui import dialogs


def answer_next_dialog(
    button_text: str, seen: list[QWidget], inspect: Callable[[QWidget], None] | None = None
) -> None:
    """When the next modal dialog opens, remember it, let `inspect` look at it, then click
    the button whose text contains `button_text`."""

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, poll)
            return
        seen.append(box)
        if inspect is not None:
            inspect(box)
        buttons = [b for b in box.findChildren(QAbstractButton) if button_text in b.text()]
        if buttons:
            buttons[0].click()
        elif isinstance(box, QDialog):
            box.reject()  # no such button: the test's assertions say why
        else:
            box.close()

    QTimer.singleShot(0, poll)


def button_texts(box: QWidget) -> list[str]:
    return [b.text() for b in box.findChildren(QAbstractButton) if b.isVisible()]


# ---- 1: an export's warning asks to export, not to import ---------------------------------


def test_an_export_with_gaps_asks_to_export_or_go_back(
    qtbot: Any, make_window: Any, empty_project: Path, monkeypatch: Any, tmp_path: Path
) -> None:

    monkeypatch.setattr(dialogs, "confirm_changes", _real_confirm_changes)
    monkeypatch.setattr(dialogs, "confirm_export", _real_confirm_export, raising=False)
    window = make_window(empty_project)
    seen: list[QWidget] = []
    texts: list[list[str]] = []
    answer_next_dialog("返回", seen, lambda box: texts.append(button_texts(box)))
    assert window.exports is None
    window._export("export_document")
    assert seen, "no confirmation was shown"
    assert any("仍要导出" in t for t in texts[0]), texts
    assert any(t.startswith("返回") for t in texts[0]), texts
    assert not any("导入" in t for t in texts[0]), texts
    assert not list(tmp_path.glob("*.pdf"))


_real_confirm_changes = dialogs.confirm_changes
_real_confirm_export = getattr(dialogs, "confirm_export", dialogs.confirm_changes)
