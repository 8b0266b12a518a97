"""A colleague's file clashing with the office's in the window (issue 31): the import preview
names both files in its conflict table, and taking the workbook's side attaches the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.store import Project
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.ui import dialogs
from csr_desktop.ui.import_preview import ImportPreview
from tests.formats.test_returns_files import NO, ROW, file_return, office_attaches
from tests.ui.test_import_conflicts import review, walk


def test_the_preview_names_both_files_and_taking_it_attaches_the_colleagues(
    qtbot: Any, make_window: Any, sample_project: Path, tmp_path: Path, fake_dialogs, monkeypatch
) -> None:
    # seen red on the old planner: "与项目内容一致" and no preview at all
    with Project.open(sample_project) as p:
        rows = list(p.assessment().answer(NO).evidence)
        p.set_evidence(NO, [*rows, EvidenceItem("情况说明", "待补")], "加一行")
        export_xlsx(p, tmp_path / "发出.xlsx")
    office_attaches(sample_project, tmp_path)
    seen: list[ImportPreview] = []
    monkeypatch.setattr(dialogs, "import_preview", walk(qtbot, seen, take_rows={0}))
    window = make_window(sample_project)
    fake_dialogs.file = file_return(tmp_path / "发出.xlsx", tmp_path / "回收")
    qtbot.mouseClick(review(window).form.importXlsxButton, Qt.MouseButton.LeftButton)
    [dialog] = seen
    assert dialog.table.rowCount() == 1
    row = [dialog.table.item(0, c).text() for c in range(2)]
    assert row[0].startswith(f"第{NO}项") and "情况说明" in row[1] and "文件" in row[1]
    dialog.table.selectRow(0)  # the difference view shows both sides of the conflict
    assert "office.pdf" in dialog.diff.old_plain() and "colleague.pdf" in dialog.diff.new_plain()
    changes = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert any("colleague.pdf" in c and "采用工作簿中的内容时" in c for c in changes)
    item = window.session.project.assessment().answer(NO).evidence[ROW - 1]
    assert item.file_name == "colleague.pdf"
    window.undo()
    item = window.session.project.assessment().answer(NO).evidence[ROW - 1]
    assert item.file_name == "office.pdf"
