"""Every printed page of the 自评表 starts with its header row: the exporter writes the row again
at each page break it sets (Gnumeric ignores print titles), and a returned workbook imports as
if those copies were not there (issue 25)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from csr_desktop.core.indicators import default_indicator_set
from csr_desktop.core.operations.departments import assign
from csr_desktop.core.store import Project
from csr_desktop.formats.interchange import load
from csr_desktop.formats.xlsx import layout
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from csr_desktop.formats.xlsx.pages import PAGE_POINTS
from csr_desktop.sample import build_interchange
from tests.corpus.xlsx.make_workbooks import libreoffice_resave
from tests.formats import colleague as C

DEPARTMENT = "法务部"
NUMBERS = list(range(1, 15))  # two 一级指标, more than a page
LONG_NO = 5
LONG_REMARK = "".join(f"备注第{i:03d}句；" for i in range(1, 181))  # over two pages
HEADERS = list(default_indicator_set().table_headers)


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project and the 自评表 it sent to one department, its 备注 of row 5 over two pages."""
    folder = tmp_path_factory.mktemp("page-headers")
    project = folder / "p.csrproj"
    load(build_interchange(folder / "in", 1), project)
    xlsx = folder / "发出" / "自评表_法务部.xlsx"
    xlsx.parent.mkdir()
    with Project.open(project) as p:
        assign(p, DEPARTMENT, NUMBERS)
        p.set(f"indicator.{LONG_NO}.remark", LONG_REMARK)
        export_xlsx(p, xlsx, DEPARTMENT)
    return project, xlsx


def _values(ws: Worksheet, row: int) -> list[object]:
    return [ws.cell(row, col).value for col in range(1, len(HEADERS) + 1)]


def _header_rows(ws: Worksheet) -> list[int]:
    return [r for r in range(1, ws.max_row + 1) if _values(ws, r) == HEADERS]


def test_the_header_row_is_written_again_after_every_page_break(sent) -> None:
    _, xlsx = sent
    wb = load_workbook(xlsx)
    ws = wb[layout.TABLE_SHEET]
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    assert len(breaks) >= 3, "the long 备注 and 14 rows take several pages"
    first, *repeated = _header_rows(ws)
    assert repeated == [b + 1 for b in breaks]
    for row in repeated:
        for col in range(1, len(HEADERS) + 1):
            # the same cell format: bold, the header's fill, borders, centred
            assert ws.cell(row, col).style_id == ws.cell(first, col).style_id, (row, col)
        assert ws.row_dimensions[row].height == ws.row_dimensions[first].height
    # marked in the hidden sheet as the header's copy atop page 2, 3, …
    meta = wb[layout.META_SHEET]
    ids = {
        meta.cell(r, 3).value: meta.cell(r, 2).value
        for r in range(1, meta.max_row + 1)
        if meta.cell(r, 1).value == layout.TABLE_SHEET
    }
    assert [ids[f"{layout.REPEATED_HEADER_ID}.{k}"] for k in range(2, len(breaks) + 2)] == repeated
    # no print titles: LibreOffice and Excel would print the header twice on those pages
    assert ws.print_title_rows is None
    with zipfile.ZipFile(xlsx) as zf:
        assert b"Print_Titles" not in zf.read("xl/workbook.xml")


def test_each_page_holds_what_fits_and_breaks_only_when_the_next_row_does_not(sent) -> None:
    _, xlsx = sent
    ws = load_workbook(xlsx)[layout.TABLE_SHEET]
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value is not None)

    def height(r: int) -> float:
        return float(ws.row_dimensions[r].height or 15.0)

    starts = [1, *(b + 1 for b in breaks)]
    ends = [*breaks, last]
    for start, end in zip(starts, ends, strict=True):
        used = sum(height(r) for r in range(start, end + 1))
        assert used <= PAGE_POINTS, (start, end, used)
        if end != last:  # the next page's first row (after its header) did not fit here
            assert used + height(end + 2) > PAGE_POINTS, (start, end, used, height(end + 2))


def test_a_return_resaved_by_libreoffice_imports_as_without_the_repeated_rows(
    sent, tmp_path: Path
) -> None:
    """A department's colleague rates the first row of a page, adds to the long 备注 where it
    ends (on a page below a repeated header) and saves in LibreOffice: the import takes exactly
    those two changes, and the 备注 comes back whole."""
    project, export = sent
    ws = load_workbook(export)[layout.TABLE_SHEET]
    first_on_page = next(
        ws.cell(r + 1, 1).value
        for r in _header_rows(ws)[1:]
        if isinstance(ws.cell(r + 1, 1).value, int)
    )
    name = default_indicator_set().indicator(LONG_NO).name
    tail = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 4).value == name)
    assert set(range(C.table_row(ws, LONG_NO), tail)) & set(_header_rows(ws)), (
        "the 备注 continues on a page below a repeated header row"
    )
    with Project.open(project, readonly=True) as p:
        rating = p.assessment().answer(first_on_page).rating % 5 + 1

    def add_to_remark(wb) -> None:
        cell = wb[layout.TABLE_SHEET].cell(tail, 7)
        cell.value = f"{cell.value}（法务部补充）"

    edited = C.returned(
        export,
        tmp_path / "同事" / "自评表_法务部.xlsx",
        C.rate(first_on_page, rating),
        add_to_remark,
    )
    resaved = libreoffice_resave(edited, tmp_path / "LibreOffice")
    assert len(_header_rows(load_workbook(resaved)[layout.TABLE_SHEET])) >= 4  # still there

    with Project.open(project) as p:
        plan = plan_import(p, resaved)
        assert plan.three_way and not plan.conflicts and not plan.refused
        assert sorted(c.key for c in plan.changes) == sorted(
            [f"indicator.{first_on_page}.rating", f"indicator.{LONG_NO}.remark"]
        )
        apply_import(p, plan)
        assert p.get(f"indicator.{first_on_page}.rating") == rating
        assert p.get(f"indicator.{LONG_NO}.remark") == LONG_REMARK + "（法务部补充）"
        assert not plan_import(p, resaved).changes
