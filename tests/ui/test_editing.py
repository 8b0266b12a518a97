"""Undo/redo, the side list's marks and progress, and every 佐证材料 operation."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QProgressDialog

from csr_desktop.core.store import Project
from csr_desktop.ui import evidence, worker
from csr_desktop.ui.side_list import STATUS_ROLE
from tests.ui.typist import type_text


def click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_radio(qtbot: Any, radio: Any) -> None:
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))


def stored(path: Path, no: int) -> Any:
    with Project.open(path, readonly=True) as project:
        return project.assessment().answer(no)


def press(qtbot: Any, window: Any, key: Qt.Key, mods: Qt.KeyboardModifier) -> None:
    qtbot.keyClick(window.wizard.currentPage(), key, mods)


CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo_ratings(
    qtbot: Any, make_window: Any, empty_project: Path
) -> None:
    window = make_window(empty_project)
    page = window.wizard.go_to(9)
    click_radio(qtbot, page.rating_button(2))
    click_radio(qtbot, page.rating_button(4))
    assert stored(empty_project, 9).rating == 4
    assert "第9项" in window.form.actionUndo.text()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert stored(empty_project, 9).rating == 2
    assert page.group.checkedId() == 2  # the widget follows the core
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert stored(empty_project, 9).rating is None
    assert page.group.checkedId() == -1
    press(qtbot, window, Qt.Key.Key_Z, CTRL_SHIFT)
    press(qtbot, window, Qt.Key.Key_Z, CTRL_SHIFT)
    assert stored(empty_project, 9).rating == 4
    assert page.group.checkedId() == 4
    assert "已重做" in window.statusBar().currentMessage()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert stored(empty_project, 9).rating == 2
    press(qtbot, window, Qt.Key.Key_Y, CTRL)  # Windows' redo key works as well
    assert stored(empty_project, 9).rating == 4


def test_menu_shortcuts_are_the_standard_keys(make_window: Any, empty_project: Path) -> None:
    form = make_window(empty_project).form
    keys = {
        form.actionNew: "Ctrl+N",
        form.actionOpen: "Ctrl+O",
        form.actionSaveAs: "Ctrl+Shift+S",
        form.actionQuit: "Ctrl+Q",
        form.actionUndo: "Ctrl+Z",
        form.actionRedo: "Ctrl+Shift+Z",
    }
    for action, key in keys.items():
        assert action.shortcut().toString() == key, action.objectName()


def test_side_list_marks_and_progress_follow_the_answers(
    qtbot: Any, make_window: Any, empty_project: Path
) -> None:
    window = make_window(empty_project)
    side = window.form.pageList

    def mark(page_id: int) -> str:
        return side.item(window.side.row_of(page_id)).data(STATUS_ROLE)

    assert window.form.progressLabel.text() == "已完成 0/28"
    assert mark(3) == "empty" and mark(0) == "empty"
    row = side.visualItemRect(side.item(window.side.row_of(3)))
    qtbot.mouseClick(side.viewport(), Qt.MouseButton.LeftButton, pos=row.center())
    assert window.wizard.currentId() == 3
    page = window.wizard.currentPage()
    type_text(qtbot, page.form.narrativeEdit, "已建立")
    page.form.remarkEdit.setFocus()  # leaving the editor saves it
    assert mark(3) == "incomplete"  # started, but no rating: a gap (validate's rule)
    assert window.form.progressLabel.text() == "已完成 0/28"
    qtbot.keyClick(page, Qt.Key.Key_3)
    assert mark(3) == "done"
    assert window.form.progressLabel.text() == "已完成 1/28"
    cover = window.wizard.go_to(0)
    type_text(qtbot, cover.edits["name"], "星澜")
    cover.edits["contact"].setFocus()
    assert mark(0) == "incomplete"
    assert "已完成" in side.item(window.side.row_of(3)).data(Qt.ItemDataRole.AccessibleTextRole)


def drop_files(table: Any, paths: list[Path]) -> None:
    """What the file manager does: a drag enters the table, then the files are dropped."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    viewport = table.viewport()
    pos = QPointF(viewport.rect().center())
    copy, none = Qt.DropAction.CopyAction, Qt.MouseButton.NoButton
    enter = QDragEnterEvent(pos.toPoint(), copy, data, none, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(pos, copy, data, none, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, drop)


@pytest.mark.filterwarnings("ignore:.*QDragEnterEvent:DeprecationWarning")  # Qt's only ctor
def test_evidence_drop_rename_reorder_open_remove_and_undo(
    qtbot: Any, make_window: Any, empty_project: Path, evidence_files: list[Path], fake_dialogs
) -> None:
    window = make_window(empty_project)
    page = window.wizard.go_to(12)
    table = page.form.evidenceTable
    drop_files(table, evidence_files[:2])
    assert [e.file_name for e in stored(empty_project, 12).evidence] == [
        p.name for p in evidence_files[:2]
    ]
    fake_dialogs.files = evidence_files[2:]
    click(qtbot, page.form.addButton)
    assert table.rowCount() == 3

    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Right)  # to the 材料名称 cell, then F2 like a user
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    type_text(qtbot, editor, "安全管理制度（2024 版）")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop turn
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert stored(empty_project, 12).evidence[0].name == "安全管理制度（2024 版）"

    table.selectRow(0)
    click(qtbot, page.form.downButton)
    names = [e.name for e in stored(empty_project, 12).evidence]
    assert names[1] == "安全管理制度（2024 版）"
    assert page.selected_row() == 1

    click(qtbot, page.form.openButton)  # copies the stored file out and hands it to the OS
    opened = fake_dialogs.opened[-1]
    original = evidence_files[0]
    assert opened.name == f"{original.stem}（只读副本）{original.suffix}"  # issue 27 item 17
    assert opened.read_bytes() == evidence_files[0].read_bytes()

    click(qtbot, page.form.removeButton)
    assert len(stored(empty_project, 12).evidence) == 2
    window.undo()
    assert [e.name for e in stored(empty_project, 12).evidence] == names
    assert table.rowCount() == 3
    assert fake_dialogs.texts("error") == []


def test_large_files_copy_in_on_a_worker_thread(
    qtbot: Any, make_window: Any, empty_project: Path, tmp_path: Path, monkeypatch
) -> None:
    big = tmp_path / "年度报告.pdf"
    big.write_bytes(b"%PDF" + bytes(range(256)) * (3 * 4096 + 7))  # ~3 MB, several chunks
    monkeypatch.setattr(evidence, "BACKGROUND_BYTES", 1024)
    progress_seen: list[int] = []
    real = worker.QProgressDialog.setValue

    def spy(self: QProgressDialog, value: int) -> None:
        progress_seen.append(value)
        real(self, value)

    monkeypatch.setattr(worker.QProgressDialog, "setValue", spy)
    window = make_window(empty_project)
    page = window.wizard.go_to(20)
    assert page.evidence.add_files([big])
    item = stored(empty_project, 20).evidence[0]
    assert item.size == big.stat().st_size
    assert progress_seen[-1] == worker.SCALE
    with Project.open(empty_project, readonly=True) as project:
        assert project.file_is_intact(item.sha256)


def test_cancelling_a_large_copy_adds_nothing(
    qtbot: Any, make_window: Any, empty_project: Path, tmp_path: Path, monkeypatch
) -> None:
    big = tmp_path / "视频.mp4"
    big.write_bytes(bytes(range(256)) * (4096 * 12))  # 12 MB: the cancel lands mid-copy
    monkeypatch.setattr(evidence, "BACKGROUND_BYTES", 1024)

    class CancelAtOnce(QProgressDialog):
        """The user presses 取消 as soon as the bar first moves."""

        def setValue(self, value: int) -> None:
            super().setValue(value)
            if value > 0 and not self.wasCanceled():
                self.canceled.emit()  # what the 取消 button sends

    monkeypatch.setattr(worker, "QProgressDialog", CancelAtOnce)
    real_progress = worker._Worker._progress

    def slow_disk(self: Any, done: int, total: int) -> bool:
        time.sleep(0.05)  # a slow network share: the cancel arrives while copying
        return real_progress(self, done, total)

    monkeypatch.setattr(worker._Worker, "_progress", slow_disk)
    window = make_window(empty_project)
    page = window.wizard.go_to(21)
    assert not page.evidence.add_files([big])
    assert stored(empty_project, 21).evidence == ()
    assert page.form.evidenceTable.rowCount() == 0
    window.close()
    with Project.open(empty_project) as project:  # a writer drops any incomplete chunks
        assert project._db.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 0
