"""负责部门 in the window: typed on the indicator page, shown in the side list, 分发 writes one
workbook per department, and the review page tracks what went out and came back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from csr_desktop.core.store import Project
from csr_desktop.ui import dialogs
from tests.formats import colleague as C
from tests.ui.typist import type_text


def review(window: Any) -> Any:
    return window.wizard.go_to(window.wizard.REVIEW)


def assign(qtbot: Any, window: Any, no: int, department: str) -> None:
    page = window.wizard.go_to(no)
    type_text(qtbot, page.form.departmentEdit, department)
    page.form.remarkEdit.setFocus()  # leaving the field saves it


def test_departments_are_typed_distributed_and_tracked(
    qtbot: Any, make_window: Any, sample_project: Path, tmp_path: Path, fake_dialogs, monkeypatch
) -> None:
    window = make_window(sample_project)
    for no, dept in ((13, "法务部"), (14, "法务部"), (16, "人力资源部")):
        assign(qtbot, window, no, dept)
    side = window.form.pageList
    assert side.item(window.side.row_of(13)).text().endswith("· 法务部")
    assert side.item(window.side.row_of(16)).text().endswith("· 人力资源部")
    assert window.session.project.get("indicator.14.department") == "法务部"

    folder = tmp_path / "分发"
    folder.mkdir()
    monkeypatch.setattr(dialogs, "choose_folder", lambda *_a: folder)
    page = review(window)
    qtbot.mouseClick(page.form.distributeButton, Qt.MouseButton.LeftButton)
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2 and all(n.startswith("星澜数字科技有限公司_自评表_") for n in names)
    legal = next(folder.glob("*_法务部_*.xlsx"))
    table = page.form.trackingTable
    assert table.rowCount() == 2
    rows = {table.item(r, 0).text(): r for r in range(2)}
    assert table.item(rows["法务部"], 1).text() == "13、14"
    assert legal.name in table.item(rows["法务部"], 2).toolTip()
    assert table.item(rows["法务部"], 3).text() == "尚未收回"

    back = C.returned(legal, tmp_path / "回收" / legal.name, C.remark(13, "法务的备注"))
    fake_dialogs.file = back
    fake_dialogs.answer = True
    qtbot.mouseClick(page.form.importXlsxButton, Qt.MouseButton.LeftButton)
    assert window.session.project.get("indicator.13.remark") == "法务的备注"
    page = review(window)
    assert back.name in table.item(rows["法务部"], 3).toolTip()
    assert table.item(rows["法务部"], 4).text() == "1"
    assert table.item(rows["法务部"], 5).text() == "0"
    assert table.item(rows["人力资源部"], 3).text() == "尚未收回"
    window.close()
    with Project.open(sample_project, readonly=True) as p:
        assert p.get("indicator.13.remark") == "法务的备注"


def test_the_department_field_offers_the_names_already_used(
    qtbot: Any, make_window: Any, sample_project: Path
) -> None:
    window = make_window(sample_project)
    assign(qtbot, window, 13, "法务部")
    page = window.wizard.go_to(14)
    assert page.department_names.model().stringList() == ["法务部"]
