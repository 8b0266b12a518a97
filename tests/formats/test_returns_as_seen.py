"""The import reads what the colleague saw: number formats applied, dates a spreadsheet made
of typed text reported, rows past a wrong <dimension> read, a LibreOffice re-save merged."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from csr_desktop.core.store import Project
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from tests.corpus.xlsx.make_workbooks import libreoffice_resave
from tests.formats import colleague as C


@pytest.fixture
def sent(sample_project: Path, tmp_path: Path) -> tuple[Path, Path]:
    export = tmp_path / "发出" / "自评表.xlsx"
    export.parent.mkdir()
    with Project.open(sample_project) as p:
        export_xlsx(p, export)
    return sample_project, export


def typed(no: int, value: Any, number_format: str) -> C.Edit:
    """What Excel stores when a colleague types into indicator `no`'s 备注: `-5%` is -0.05
    shown as a percentage, `1/2` a date shown as m/d."""

    def edit(wb: Any) -> None:
        ws = wb["自评表"]
        cell = ws.cell(C.table_row(ws, no), 7)
        cell.value = value
        cell.number_format = number_format

    return edit


def test_numbers_come_back_as_the_colleague_saw_them(sent, tmp_path: Path):
    project, export = sent
    book = C.returned(export, tmp_path / "back.xlsx", typed(3, -0.05, "0%"), typed(4, 3.5, "0.00"))
    with Project.open(project) as p:
        apply_import(p, plan_import(p, book))
        assert p.get("indicator.3.remark") == "-5%"
        assert p.get("indicator.4.remark") == "3.50"


def test_a_date_the_spreadsheet_made_of_typed_text_is_reported_not_stored(sent, tmp_path: Path):
    project, export = sent
    book = C.returned(
        export,
        tmp_path / "back.xlsx",
        typed(6, dt.datetime(2026, 1, 2), "m/d"),
        C.remark(7, "同一份里别的修改照常导入"),
    )
    with Project.open(project) as p:
        before = p.get("indicator.6.remark")
        plan = plan_import(p, book)
        apply_import(p, plan)
        assert p.get("indicator.6.remark") == before
        assert p.get("indicator.7.remark") == "同一份里别的修改照常导入"
    [note] = [w for w in plan.warnings if "第6项" in w]
    assert "日期" in note and "单元格 G" in note and "文本" in note


def _shrink_dimension(src: Path, dest: Path, sheet_xml: str, last_row: int) -> Path:
    """The sheet's <dimension> claims fewer rows than it has (some writers get it wrong)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == sheet_xml:
                data = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="A1:E{last_row}"'.encode(), data
                )
            zout.writestr(info, data)
    return dest


def test_an_edit_below_a_wrong_dimension_is_not_ignored(sent, tmp_path: Path):
    project, export = sent
    edited = C.returned(export, tmp_path / "edited.xlsx", C.narrative(28, "最后一项的新介绍"))
    from openpyxl import load_workbook

    heading = C._block(load_workbook(edited)["佐证材料"], 28)
    book = _shrink_dimension(edited, tmp_path / "back.xlsx", "xl/worksheets/sheet2.xml", heading)
    with Project.open(project, readonly=True) as p:
        plan = plan_import(p, book)
    assert [c.key for c in plan.changes] == ["indicator.28.narrative"]


def test_a_return_resaved_by_libreoffice_merges_three_way(sent, tmp_path: Path):
    project, export = sent
    with Project.open(project, readonly=True) as p:
        rating = p.assessment().answer(13).rating % 5 + 1  # another option than the project's
    edited = C.returned(
        export,
        tmp_path / "同事" / "自评表_法务.xlsx",
        C.rate(13, rating),
        C.remark(14, "法务：第一行\n第二行"),
    )
    resaved = libreoffice_resave(edited, tmp_path / "LibreOffice")
    with Project.open(project) as p:
        p.set("indicator.2.remark", "办公室在导出后改的")
        plan = plan_import(p, resaved)
        assert plan.three_way and not plan.conflicts
        assert sorted(c.key for c in plan.changes) == ["indicator.13.rating", "indicator.14.remark"]
        apply_import(p, plan)
        assert p.get("indicator.2.remark") == "办公室在导出后改的"
        assert p.get("indicator.13.rating") == rating
        assert p.get("indicator.14.remark") == "法务：第一行\n第二行"
        again = plan_import(p, resaved)
        assert not again.changes and not again.conflicts
