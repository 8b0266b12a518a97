"""A 佐证材料目录 that crosses a page break of the 佐证材料 sheet starts the next page with its
header row again: the exporter decides that sheet's breaks by row height too, writes the
catalogue's header again at a break inside a catalogue, and the import skips the copy (it is
never read as a catalogue row named "材料名称"), also after LibreOffice re-saved the return
(issue 25)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.indicators import default_indicator_set
from csr_desktop.core.store import Project
from csr_desktop.formats.interchange import load
from csr_desktop.formats.xlsx import layout
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from csr_desktop.formats.xlsx.pages import PAGE_POINTS
from csr_desktop.sample import build_interchange
from tests.corpus.xlsx.make_workbooks import libreoffice_resave
from tests.formats import colleague as C

LONG_NO = 3
ITEMS = 60
NARRATIVE_NO = 4  # a narrative longer than a page: its box is cut by a break
ISET = default_indicator_set()
HEADERS = [*ISET.evidence.catalogue_headers, layout.FILE_HEADER, layout.SHA_HEADER]


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("catalogue-headers")
    project = folder / "p.csrproj"
    load(build_interchange(folder / "in", 2), project)
    xlsx = folder / "发出" / "自评表.xlsx"
    xlsx.parent.mkdir()
    with Project.open(project) as p:
        items = [
            EvidenceItem(f"长目录材料{k:02d}", f"第{k}份").to_json() for k in range(1, ITEMS + 1)
        ]
        p.set(f"indicator.{LONG_NO}.evidence", items)
        p.set(f"indicator.{NARRATIVE_NO}.narrative", "相关工作情况的详细说明。" * 600)
        export_xlsx(p, xlsx)
    return project, xlsx


def _values(ws: Worksheet, row: int) -> list[object]:
    return [ws.cell(row, col).value for col in range(1, len(HEADERS) + 1)]


def _header_rows(ws: Worksheet) -> list[int]:
    return [r for r in range(1, ws.max_row + 1) if _values(ws, r) == HEADERS]


def _breaks(ws: Worksheet) -> list[int]:
    return sorted(b.id for b in ws.row_breaks.brk)


def _catalogue_rows(ws: Worksheet, no: int) -> range:
    """The rows from indicator `no`'s catalogue header to its last item."""
    start = next(
        r
        for r in range(1, ws.max_row + 1)
        if str(ws.cell(r, 1).value or "").startswith(f"三级指标{no}：")
    )
    header = next(r for r in range(start, ws.max_row + 1) if _values(ws, r) == HEADERS)
    end = header
    while ws.cell(end + 1, 1).value is not None:
        end += 1
    return range(header, end + 1)


def test_a_catalogue_crossing_a_page_starts_the_next_page_with_its_header(sent) -> None:
    _, xlsx = sent
    wb = load_workbook(xlsx)
    ws = wb[layout.EVIDENCE_SHEET]
    breaks = _breaks(ws)
    catalogue = _catalogue_rows(ws, LONG_NO)
    inside = [b for b in breaks if b in catalogue and b != catalogue[-1]]
    assert inside, "60 rows cross a page"
    repeated = [r for r in _header_rows(ws) if r - 1 in breaks]
    # every break inside any catalogue is followed by that catalogue's header, and only those
    for b in breaks:
        in_a_catalogue = isinstance(ws.cell(b, 1).value, int) or ws.cell(b, 2).value == "材料名称"
        after = isinstance(ws.cell(b + 2, 1).value, int)  # an item follows the new page's header
        assert (b + 1 in repeated) == (in_a_catalogue and after), b
    first = catalogue[0]
    for row in repeated:
        for col in range(1, len(HEADERS) + 1):
            assert ws.cell(row, col).style_id == ws.cell(first, col).style_id, (row, col)
        assert ws.row_dimensions[row].height == ws.row_dimensions[first].height
    # the items go on numbered 1…60 across the break, the header between them
    numbers = [ws.cell(r, 1).value for r in catalogue if isinstance(ws.cell(r, 1).value, int)]
    assert numbers == list(range(1, ITEMS + 1))
    # named in the hidden sheet as the catalogue header's copy atop page N
    meta = wb[layout.META_SHEET]
    ids = {
        meta.cell(r, 3).value: meta.cell(r, 2).value
        for r in range(1, meta.max_row + 1)
        if meta.cell(r, 1).value == layout.EVIDENCE_SHEET
    }
    copies = sorted(v for k, v in ids.items() if ".catalogue." in str(k))
    assert copies == repeated
    for row in repeated:
        page = 1 + sum(b < row for b in breaks)
        assert ids[layout.repeated_catalogue_id(LONG_NO, page)] == row


def test_each_evidence_page_holds_what_fits(sent) -> None:
    """Rows fitted by height as on the 自评表: a page (its repeated header included) holds at
    most PAGE_POINTS, and breaks early only to keep a heading with what it heads."""
    _, xlsx = sent
    ws = load_workbook(xlsx)[layout.EVIDENCE_SHEET]
    breaks = _breaks(ws)
    last = ws.max_row

    def height(r: int) -> float:
        return float(ws.row_dimensions[r].height or 15.0)

    repeated = set(_header_rows(ws))
    starts = [1, *(b + 1 for b in breaks)]
    ends = [*breaks, last]
    for start, end in zip(starts, ends, strict=True):
        used = sum(height(r) for r in range(start, end + 1))
        assert used <= PAGE_POINTS, (start, end, used)
        if end != last:
            nxt = end + 2 if end + 1 in repeated else end + 1
            kept_heading = not isinstance(ws.cell(nxt, 1).value, int) and ws.cell(nxt, 1).value
            if not kept_heading:  # an item row: it did not fit below
                assert used + height(nxt) > PAGE_POINTS, (start, end, used)


def test_a_narrative_cut_by_a_break_has_its_box_closed(sent) -> None:
    """The narrative's text cells draw no borders of their own; where a page break cuts the
    box, the row above the break draws its bottom edge and the row below its top edge."""
    _, xlsx = sent
    ws = load_workbook(xlsx)[layout.EVIDENCE_SHEET]
    breaks = _breaks(ws)
    cut = [
        b for b in breaks if str(ws.cell(b, 1).value or "").startswith(("相关工作情况介绍", "（续"))
    ]
    assert cut, "the long narrative crosses a page"
    for b in cut:
        for col in range(2, len(HEADERS) + 1):
            assert ws.cell(b, col).border.bottom.style == "thin", (b, col)
        if str(ws.cell(b + 1, 1).value or "").startswith("（续"):
            for col in range(2, len(HEADERS) + 1):
                assert ws.cell(b + 1, col).border.top.style == "thin", (b + 1, col)


def test_a_return_resaved_by_libreoffice_imports_as_without_the_repeated_headers(
    sent, tmp_path: Path
) -> None:
    """A colleague rewords the first item on the page below a repeated catalogue header and
    saves in LibreOffice: the import takes exactly that change (three-way, no conflict), never
    a row named 材料名称, and importing again changes nothing."""
    project, export = sent
    ws = load_workbook(export)[layout.EVIDENCE_SHEET]
    catalogue = _catalogue_rows(ws, LONG_NO)
    repeated = [r for r in _header_rows(ws) if r in catalogue and r != catalogue[0]]
    assert repeated
    k = ws.cell(repeated[0] + 1, 1).value
    assert isinstance(k, int) and k > 1

    def reword(wb) -> None:
        cell = wb[layout.EVIDENCE_SHEET].cell(repeated[0] + 1, 3)
        cell.value = f"{cell.value}（已核对）"

    edited = C.returned(export, tmp_path / "同事" / "自评表.xlsx", reword)
    resaved = libreoffice_resave(edited, tmp_path / "LibreOffice")
    back = load_workbook(resaved)[layout.EVIDENCE_SHEET]
    assert len(_header_rows(back)) == len(_header_rows(ws))  # the copies are still there

    unchanged = libreoffice_resave(export, tmp_path / "untouched")
    with Project.open(project) as p:
        before = p.get(f"indicator.{LONG_NO}.evidence")
        plan = plan_import(p, unchanged)
        assert plan.three_way and not plan.conflicts and not plan.changes, plan.describe()
        plan = plan_import(p, resaved)
        assert plan.three_way and not plan.conflicts and not plan.refused
        assert [c.key for c in plan.changes] == [f"indicator.{LONG_NO}.evidence"]
        apply_import(p, plan)
        after = p.get(f"indicator.{LONG_NO}.evidence")
        assert len(after) == ITEMS
        assert all(e["name"] != "材料名称" for e in after)
        assert [e["name"] for e in after] == [e["name"] for e in before]
        assert after[k - 1]["remark"] == f"第{k}份（已核对）"
        assert not plan_import(p, resaved).changes


def test_a_blank_project_reads_the_catalogue_without_its_header_copies(sent, tmp_path) -> None:
    _, xlsx = sent
    blank = tmp_path / "blank.csrproj"
    Project.create(blank).close()
    with Project.open(blank) as p:
        apply_import(p, plan_import(p, xlsx))
        names = [e["name"] for e in p.get(f"indicator.{LONG_NO}.evidence")]
    assert names == [f"长目录材料{k:02d}" for k in range(1, ITEMS + 1)]
