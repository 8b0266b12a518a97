"""Failures become a Chinese message naming the file; the project stays as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.errors import ProjectFileError
from csr_desktop.core.store import Project
from csr_desktop.ui.main_window import MainWindow
from tests.ui.typist import type_text


def test_an_unreadable_project_is_refused_by_name(
    qtbot: Any, make_window: Any, tmp_path: Path, fake_dialogs
) -> None:
    bad = tmp_path / "坏文件.csrproj"
    bad.write_bytes(b"this is not a project" * 10)
    before = bad.read_bytes()
    window = make_window()
    fake_dialogs.project = bad
    assert not window.choose_project()
    [text] = fake_dialogs.texts("error")
    assert str(bad) in text
    assert bad.read_bytes() == before
    assert window.session is None
    assert window.form.stack.currentWidget() is window.welcome


def test_a_project_open_elsewhere_can_be_opened_read_only(
    qtbot: Any, make_window: Any, empty_project: Path, fake_dialogs
) -> None:
    from csr_desktop.core import lock

    with Project.open(empty_project) as other:
        other.set_rating(1, 3)
        lock.lock_path(empty_project).write_text(
            '{"pid": 1, "host": "同事的电脑", "user": "lin"}',
            encoding="utf-8",  # another PC
        )
        fake_dialogs.choice = 1  # 以只读方式打开
        window = make_window(empty_project)
    [question] = fake_dialogs.texts("ask")
    assert str(empty_project) in question and "只读" in question
    assert fake_dialogs.choices[-1][1:] == ("以只读方式打开", "解除锁定…")
    assert window.session.readonly and "只读" in window.windowTitle()
    page = window.wizard.go_to(1)
    assert page.group.checkedId() == 3
    assert page.form.narrativeEdit.isReadOnly()
    assert not page.rating_button(1).isEnabled()
    assert not page.form.addButton.isEnabled()


def test_a_crashed_pcs_lock_can_be_cleared_from_the_window_without_losing_saved_work(
    qtbot: Any, make_window: Any, empty_project: Path, fake_dialogs
) -> None:
    """PC A crashed with the project open: PC B is told who and since when, and 解除锁定
    (confirmed) opens it for editing with everything A had saved."""
    from csr_desktop.core import lock

    with Project.open(empty_project) as other:
        other.set_rating(2, 4)
        info = lock.read_lock(lock.lock_path(empty_project)) or {}
    info.update(host="财务部-PC", user="lin", pid=4242)  # A's lock, left by the crash
    lock.lock_path(empty_project).write_text(json.dumps(info), encoding="utf-8")
    fake_dialogs.choice = 2  # 解除锁定…
    fake_dialogs.answer = True  # confirmed
    window = make_window(empty_project)
    [question] = fake_dialogs.texts("ask")
    assert "lin" in question and "财务部-PC" in question
    assert any("解除锁定" in t for t in fake_dialogs.texts("confirm"))
    assert not window.session.readonly
    assert window.session.project.assessment().answer(2).rating == 4
    info_now = lock.read_lock(lock.lock_path(empty_project)) or {}
    assert info_now.get("pid") != 4242  # the lock is ours now


def test_a_failed_save_keeps_the_text_and_says_why(
    qtbot: Any, make_window: Any, empty_project: Path, fake_dialogs, monkeypatch
) -> None:
    window = make_window(empty_project)
    project = window.session.project
    page = window.wizard.go_to(4)
    real_commit = Project.commit  # where every edit is written (operations call it)

    def disk_full(self: Project, *args: Any, **kwargs: Any) -> tuple[()]:
        raise ProjectFileError(f"磁盘空间不足，无法保存到 “{self.path}”", "disk full")

    monkeypatch.setattr(Project, "commit", disk_full)
    type_text(qtbot, page.form.narrativeEdit, "磁盘满时输入的内容")
    page.form.remarkEdit.setFocus()  # tries to save: fails
    assert page.form.narrativeEdit.toPlainText() == "磁盘满时输入的内容"
    errors = fake_dialogs.texts("error")
    assert len(errors) == 1 and str(project.path) in errors[0]
    assert window.session.pending
    monkeypatch.setattr(Project, "commit", real_commit)  # space freed: the next save succeeds
    assert window.session.flush()
    assert project.assessment().answer(4).narrative == "磁盘满时输入的内容"


def test_a_row_without_a_file_and_a_missing_dropped_file_are_explained(
    qtbot: Any, make_window: Any, empty_project: Path, tmp_path: Path, fake_dialogs
) -> None:
    with Project.open(empty_project) as project:
        project.set_evidence(6, [EvidenceItem("从 Excel 导入的材料")], "导入")
    window = make_window(empty_project)
    page = window.wizard.go_to(6)
    page.form.evidenceTable.selectRow(0)
    qtbot.mouseClick(page.form.openButton, Qt.MouseButton.LeftButton)
    assert "从 Excel 导入的材料" in fake_dialogs.texts("information")[0]
    gone = tmp_path / "已删除.pdf"
    assert not page.evidence.add_files([gone])
    assert str(gone) in fake_dialogs.texts("warning")[0]
    attach = tmp_path / "补上的文件.pdf"
    attach.write_bytes(b"%PDF-1.4 ...")
    fake_dialogs.file = attach
    qtbot.mouseClick(page.form.attachButton, Qt.MouseButton.LeftButton)
    item = project_item(empty_project, 6)
    assert item.name == "从 Excel 导入的材料" and item.file_name == "补上的文件.pdf"


def project_item(path: Path, no: int) -> EvidenceItem:
    with Project.open(path, readonly=True) as project:
        return project.assessment().answer(no).evidence[0]


def test_new_refuses_an_existing_file_and_save_as_switches_to_the_copy(
    qtbot: Any, make_window: Any, empty_project: Path, tmp_path: Path, fake_dialogs
) -> None:
    window: MainWindow = make_window()
    fake_dialogs.save_as = empty_project
    assert not window.new_project()
    assert str(empty_project) in fake_dialogs.texts("error")[0]
    fresh = tmp_path / "新项目.csrproj"
    fake_dialogs.save_as = fresh
    assert window.new_project() and window.session.project.path == fresh
    page = window.wizard.go_to(2)
    qtbot.keyClick(page, Qt.Key.Key_2)
    copy = tmp_path / "副本.csrproj"
    fake_dialogs.save_as = copy
    assert window.save_as()
    assert window.session.project.path == copy
    assert copy.stem in window.windowTitle()
    qtbot.keyClick(window.wizard.go_to(2), Qt.Key.Key_5)  # edits now go to the copy
    assert project_rating(copy, 2) == 5 and project_rating(fresh, 2) == 2
    recent = window.settings.recent_projects()
    assert recent[:2] == [copy.resolve(), fresh.resolve()]


def project_rating(path: Path, no: int) -> int | None:
    with Project.open(path, readonly=True) as project:
        return project.assessment().answer(no).rating


def test_the_welcome_page_creates_and_opens_projects_and_returns_when_one_closes(
    qtbot: Any, make_window: Any, tmp_path: Path, empty_project: Path, fake_dialogs
) -> None:
    window = make_window()
    assert window.form.stack.currentWidget() is window.welcome
    welcome = window.welcome_form
    fake_dialogs.save_as = tmp_path / "新项目.csrproj"
    qtbot.mouseClick(welcome.newButton, Qt.MouseButton.LeftButton)
    assert window.session is not None and window.session.project.path == fake_dialogs.save_as
    assert window.form.stack.currentWidget() is window.form.workspacePage
    assert window.close_project()
    assert window.form.stack.currentWidget() is window.welcome
    fake_dialogs.project = empty_project
    qtbot.mouseClick(welcome.openButton, Qt.MouseButton.LeftButton)
    assert window.session is not None and window.session.project.path == empty_project
