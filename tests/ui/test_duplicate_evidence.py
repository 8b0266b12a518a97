"""The same file added twice to one indicator asks first (issues 22 and 27 item 11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from csr_desktop.core.store import Project


def catalogue(path: Path, no: int) -> list[str]:
    with Project.open(path, readonly=True) as project:
        return [e.file_name or "" for e in project.assessment().answer(no).evidence]


def test_adding_a_file_already_in_the_catalogue_asks_and_skips_or_adds_as_told(
    qtbot: Any, make_window: Any, empty_project: Path, evidence_files: list[Path], fake_dialogs
) -> None:
    window = make_window(empty_project)
    page = window.wizard.go_to(12)
    fake_dialogs.files = evidence_files[:2]
    qtbot.mouseClick(page.form.addButton, Qt.MouseButton.LeftButton)
    assert catalogue(empty_project, 12) == [p.name for p in evidence_files[:2]]
    assert not [s for s in fake_dialogs.shown if s[0] == "ask"]

    copy = evidence_files[1].with_name("会议纪要（另存）.docx")  # same bytes, another name
    copy.write_bytes(evidence_files[1].read_bytes())
    fake_dialogs.files = [copy, evidence_files[2]]
    fake_dialogs.choice = 0  # the default (and Esc): 跳过
    qtbot.mouseClick(page.form.addButton, Qt.MouseButton.LeftButton)
    kind, _title, text = fake_dialogs.shown[-1]
    assert kind == "ask" and "已在目录第 2 行" in text and "会议纪要（另存）.docx" in text
    assert fake_dialogs.choices[-1] == ("跳过", "仍要添加")
    assert catalogue(empty_project, 12) == [p.name for p in evidence_files]  # the new one only

    fake_dialogs.files = [evidence_files[0]]
    fake_dialogs.choice = 1  # 仍要添加
    qtbot.mouseClick(page.form.addButton, Qt.MouseButton.LeftButton)
    assert "已在目录第 1 行" in fake_dialogs.shown[-1][2]
    assert catalogue(empty_project, 12)[-1] == evidence_files[0].name
    assert page.form.evidenceTable.rowCount() == 4


def test_the_same_file_in_another_indicator_is_not_questioned(
    qtbot: Any, make_window: Any, empty_project: Path, evidence_files: list[Path], fake_dialogs
) -> None:
    window = make_window(empty_project)
    fake_dialogs.files = evidence_files[:1]
    for no in (3, 4):
        page = window.wizard.go_to(no)
        qtbot.mouseClick(page.form.addButton, Qt.MouseButton.LeftButton)
        assert catalogue(empty_project, no) == [evidence_files[0].name]
    assert not [s for s in fake_dialogs.shown if s[0] == "ask"]
