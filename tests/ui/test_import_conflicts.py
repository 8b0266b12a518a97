"""A return with a conflict, imported in the window: the preview shows the changes and the
conflicts side by side, each conflict is decided on its own, and all of it is one undo step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from csr_desktop.core.store import Project
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.ui import dialogs
from csr_desktop.ui.import_preview import TAKE, ImportPreview
from tests.formats import colleague as C


def review(window: Any) -> Any:
    return window.wizard.go_to(window.wizard.REVIEW)


@pytest.fixture
def conflicting(sample_project: Path, tmp_path: Path) -> Path:
    """B changed 4's and 6's 备注 and 5's narrative; the office changed 4's and 5's too."""
    with Project.open(sample_project) as p:
        export_xlsx(p, tmp_path / "发出.xlsx")
        p.set("indicator.4.remark", "办公室写的备注")
        p.set("indicator.5.narrative", "办公室重写的介绍")
    return C.returned(
        tmp_path / "发出.xlsx",
        tmp_path / "B 的回复.xlsx",
        C.remark(4, "B 写的备注"),
        C.remark(6, "B 改了 6"),
        C.narrative(5, "B 重写的介绍"),
    )


def walk(qtbot: Any, seen: list[ImportPreview], take_rows: set[int]) -> Any:
    """What the user does in the preview: read it, set the rows in `take_rows` to the
    workbook's side, press 导入."""

    def preview(parent, title, text, changes, conflicts):
        dialog = ImportPreview(parent, title, text, changes, conflicts)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        seen.append(dialog)
        for row in sorted(take_rows):
            combo = dialog.choices[row]
            qtbot.mouseClick(combo, Qt.MouseButton.LeftButton, pos=QPoint(8, combo.height() // 2))
            combo.setCurrentIndex(TAKE)  # the pop-up's item, chosen
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
        assert dialog.result() == dialog.DialogCode.Accepted
        return dialog.taken()

    return preview


def test_the_preview_shows_both_sides_and_takes_only_what_was_chosen(
    qtbot: Any, make_window: Any, sample_project: Path, conflicting: Path, fake_dialogs, monkeypatch
) -> None:
    seen: list[ImportPreview] = []
    monkeypatch.setattr(dialogs, "import_preview", walk(qtbot, seen, take_rows={0}))
    window = make_window(sample_project)
    fake_dialogs.file = conflicting
    qtbot.mouseClick(review(window).form.importXlsxButton, Qt.MouseButton.LeftButton)
    [dialog] = seen
    changes = [dialog.changes.item(i).text() for i in range(dialog.changes.count())]
    assert any("第6项" in c and "B 改了 6" in c for c in changes)
    rows = [
        [dialog.table.item(r, c).text() for c in range(2)] for r in range(dialog.table.rowCount())
    ]
    assert rows[0] == ["第4项「网络正能量生产」", "备注"]
    dialog.table.selectRow(0)  # the first conflict, compared side by side below
    assert "办公室写的备注" in dialog.diff.old_plain() and "B 写的备注" in dialog.diff.new_plain()
    assert rows[1][1] == "相关工作情况介绍"
    assert all(c.currentIndex() == 0 for c in dialog.choices[1:])  # default: keep the project's
    project = window.session.project
    assert project.get("indicator.4.remark") == "B 写的备注"  # taken
    assert project.get("indicator.5.narrative") == "办公室重写的介绍"  # kept
    assert project.get("indicator.6.remark") == "B 改了 6"
    assert conflicting.name in project.undo_label
    window.undo()  # one step takes the whole import back
    assert project.get("indicator.4.remark") == "办公室写的备注"
    assert project.get("indicator.6.remark") != "B 改了 6"


def test_cancelling_the_preview_changes_nothing(
    qtbot: Any, make_window: Any, sample_project: Path, conflicting: Path, fake_dialogs, monkeypatch
) -> None:
    monkeypatch.setattr(dialogs, "import_preview", lambda *_a: None)
    window = make_window(sample_project)
    project = window.session.project
    before = {k: project.get(k) for k in ("indicator.4.remark", "indicator.6.remark")}
    fake_dialogs.file = conflicting
    qtbot.mouseClick(review(window).form.importXlsxButton, Qt.MouseButton.LeftButton)
    assert {k: project.get(k) for k in before} == before
    assert not project.can_undo
