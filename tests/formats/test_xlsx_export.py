"""The exported workbook is the official table: texts verbatim, merges, marks, print set-up."""

from __future__ import annotations

import datetime as dt
import zipfile
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from csr_desktop.core.errors import CsrError
from csr_desktop.core.indicators import default_indicator_set
from csr_desktop.core.store import Project
from csr_desktop.formats.interchange import load
from csr_desktop.formats.xlsx import layout
from csr_desktop.formats.xlsx.cell_text import EXCEL_CELL_LIMIT, cell_text, xml_safe
from csr_desktop.formats.xlsx.export import default_xlsx_name, export_xlsx
from csr_desktop.formats.xlsx.fit import MAX_LINES_PER_ROW, join_rows, lines_needed, split_rows
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from csr_desktop.sample import HOSTILE_TEXTS, build_interchange


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A filled project whose texts hold formulas, control characters and rare characters."""
    folder = tmp_path_factory.mktemp("export")
    project = folder / "hostile.csrproj"
    load(build_interchange(folder / "in", 2, hostile=True), project)
    xlsx = folder / "hostile.xlsx"
    with Project.open(project, readonly=True) as p:
        export_xlsx(p, xlsx)
    return project, xlsx


def _header_row(ws) -> int:
    for row in ws.iter_rows(max_col=1):
        if row[0].value == "序号":
            return row[0].row
    raise AssertionError("no header row")


def _indicator_rows(ws) -> dict[int, int]:
    """Indicator number → its row (the header row is written again atop every page)."""
    return {
        row[0].value: row[0].row for row in ws.iter_rows(max_col=1) if isinstance(row[0].value, int)
    }


def test_table_sheet_holds_the_template_texts_verbatim(hostile):
    project, xlsx = hostile
    iset = default_indicator_set()
    ws = load_workbook(xlsx)[layout.TABLE_SHEET]
    assert ws["A1"].value == iset.title
    header = _header_row(ws)
    assert [c.value for c in ws[header]] == list(iset.table_headers)
    with Project.open(project, readonly=True) as p:
        a = p.assessment()
    rows = _indicator_rows(ws)
    assert sorted(rows) == [ind.no for ind in iset.indicators]
    for ind in iset.indicators:
        r = rows[ind.no]
        assert ws.cell(r, 4).value == ind.name
        assert ws.cell(r, 5).value == ind.description
        options = ws.cell(r, 6).value.split("\n")
        rating = a.answer(ind.no).rating
        assert options == [
            ind.scale.option_text(n) + ("☑" if n == rating else "□") for n in range(1, 6)
        ]
        assert ws.cell(r, 6).alignment.wrap_text


def test_level_cells_are_merged_over_their_rows_on_each_page_with_their_label(hostile):
    """As in the template, 一级/二级 cells span their rows; a page break ends the merge and the
    next page's part carries the label again (a reader prints a cut merge's text once)."""
    _, xlsx = hostile
    iset = default_indicator_set()
    ws = load_workbook(xlsx)[layout.TABLE_SHEET]
    breaks = {b.id for b in ws.row_breaks.brk}
    assert breaks, "the table is longer than a page: the exporter sets its breaks"
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for r in ws.merged_cells.ranges:
        for row in range(r.min_row, r.max_row + 1):
            spans[(row, r.min_col)] = (r.min_row, r.max_row)

    def check(col: int, name: str, members: list[int]) -> None:
        first, last = members[0], members[-1]
        parts = sorted({spans.get((r, col), (r, r)) for r in range(first, last + 1)})
        parts = [part for part in parts if ws.cell(part[0], 1).value != "序号"]
        assert parts[0][0] == first and parts[-1][1] == last, name
        for (_, bottom), (top, _) in pairwise(parts):
            # a break, the header row again atop the next page, the group's next part
            assert bottom in breaks and bottom + 2 == top, (name, bottom)
            assert [c.value for c in ws[bottom + 1]] == list(iset.table_headers), (name, bottom)
        for top, bottom in parts:
            assert ws.cell(top, col).value == name
            assert not any(b in breaks for b in range(top, bottom)), (name, top, bottom)

    rows = _indicator_rows(ws)
    for level in iset.levels:
        check(2, level.name, [rows[i.no] for i in level.indicators])
        for group in level.groups:
            check(3, group.name, [rows[i.no] for i in group.indicators])


def test_cover_fields_stand_above_the_table(hostile):
    project, xlsx = hostile
    ws = load_workbook(xlsx)[layout.TABLE_SHEET]
    header = _header_row(ws)
    above = {str(ws.cell(r, 1).value).rstrip("："): ws.cell(r, 5).value for r in range(2, header)}
    with Project.open(project, readonly=True) as p:
        a = p.assessment()
        for f in p.indicator_set.cover_fields:
            assert above[f.label] == a.company[f.key]


def test_printed_like_the_form_a4_landscape_one_page_wide(hostile):
    _, xlsx = hostile
    wb = load_workbook(xlsx)
    for name in (layout.TABLE_SHEET, layout.EVIDENCE_SHEET):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        # numbered through the workbook with the total, as every reader (Gnumeric too) prints
        assert ws.oddFooter.center.text == "&A 第 &P 页 共 &N 页"
        assert not ws.page_setup.useFirstPageNumber and ws.page_setup.firstPageNumber is None
    table = wb[layout.TABLE_SHEET]
    header = _header_row(table)
    for r in range(header, table.max_row + 1):
        assert table.row_dimensions[r].height, f"row {r} has no height: it would print cut off"
    assert table.cell(header + 1, 5).font.name == "宋体"


def test_a_long_remark_gets_a_row_tall_enough_to_print_whole(tmp_path: Path, sample_project: Path):
    with Project.open(sample_project) as p:
        p.set("indicator.5.remark", "需要较长说明的备注。" * 15)
    xlsx = tmp_path / "tall.xlsx"
    with Project.open(sample_project, readonly=True) as p:
        export_xlsx(p, xlsx)
    table = load_workbook(xlsx)[layout.TABLE_SHEET]
    rows = _indicator_rows(table)
    tall, plain = table.row_dimensions[rows[5]].height, table.row_dimensions[rows[6]].height
    width = table.column_dimensions["G"].width
    lines_at_two_units_per_character = 150 * 2 / width
    assert tall > plain
    assert tall >= lines_at_two_units_per_character * 13  # ≥ 13 pt per line of 10.5 pt text


def test_hidden_sheet_names_format_version_indicator_set_and_rows(hostile):
    _, xlsx = hostile
    wb = load_workbook(xlsx)
    meta = wb[layout.META_SHEET]
    assert meta.sheet_state == "hidden"
    values = {r[0]: r[1] for r in meta.iter_rows(values_only=True) if r and r[0]}
    assert values[layout.META_FORMAT] == layout.FORMAT_ID
    assert values[layout.META_VERSION] == layout.FORMAT_VERSION
    assert values[layout.META_SET_ID] == default_indicator_set().id
    ids = {r[2]: (r[0], r[1]) for r in meta.iter_rows(values_only=True) if len(r) > 2 and r[2]}
    table = wb[layout.TABLE_SHEET]
    for ind in default_indicator_set().indicators:
        sheet, row = ids[f"indicator.{ind.no}"]
        assert sheet == layout.TABLE_SHEET and table.cell(row, 1).value == ind.no


def test_formula_like_text_is_stored_as_text_never_as_a_formula(hostile):
    _, xlsx = hostile
    with zipfile.ZipFile(xlsx) as zf:
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets)
    wb = load_workbook(xlsx)
    texts = [
        c.value
        for ws in (wb[layout.TABLE_SHEET], wb[layout.EVIDENCE_SHEET])
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value[:1] in "=+-@"
    ]
    for start in ("=SUM(A1)", "+86", "-3%", "@法务部"):
        assert any(t.startswith(start) for t in texts), start
    for ws in (wb[layout.TABLE_SHEET], wb[layout.EVIDENCE_SHEET]):
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    assert c.data_type == "s", c.coordinate


def test_control_characters_are_dropped_and_nothing_else_changes(hostile):
    project, xlsx = hostile
    ws = load_workbook(xlsx)[layout.TABLE_SHEET]
    rows = _indicator_rows(ws)
    with Project.open(project, readonly=True) as p:
        a = p.assessment()
    seen = set()
    for ind in default_indicator_set().indicators:
        remark = a.answer(ind.no).remark
        got = cell_text(ws.cell(rows[ind.no], 7).value or "")
        assert got == xml_safe(remark.replace("\x0b", "\n"))  # Word's line break stays one
        seen.add(remark)
    word = next(t for t in HOSTILE_TEXTS if "\x0b" in t)
    assert word in seen
    assert xml_safe(word) == word.replace("\x0b", "").replace("\x01", "").replace(
        "\x07", ""
    ).replace("\x1f", "")


def test_a_narrative_longer_than_a_cell_continues_below_marked(
    tmp_path: Path, sample_project: Path
):
    narrative = ("第一段，" * 3000 + "\n") * 4 + "一段没有换行的很长的文字" * 4000
    with Project.open(sample_project) as p:
        p.set("indicator.7.narrative", narrative)
    xlsx = tmp_path / "long.xlsx"
    with Project.open(sample_project, readonly=True) as p:
        export_xlsx(p, xlsx)
    assert len(narrative) > EXCEL_CELL_LIMIT
    ws = load_workbook(xlsx)[layout.EVIDENCE_SHEET]
    rows, inside = [], False
    for a, b in ws.iter_rows(min_col=1, max_col=2, values_only=True):
        if isinstance(a, str) and a.startswith("三级指标"):
            inside = a.startswith("三级指标7：")
        elif inside and a in (
            layout.NARRATIVE_LABEL,
            layout.CONTINUED_NEW_LINE,
            layout.CONTINUED_SAME_LINE,
        ):
            rows.append((a, cell_text(b or "")))
    assert len(rows) > 2 and rows[0][0] == layout.NARRATIVE_LABEL
    assert all(label != layout.NARRATIVE_LABEL for label, _ in rows[1:])
    assert all(len(text) <= EXCEL_CELL_LIMIT for _, text in rows)
    kinds = {
        layout.NARRATIVE_LABEL: "first",
        layout.CONTINUED_NEW_LINE: "new",
        layout.CONTINUED_SAME_LINE: "same",
    }
    assert join_rows([(kinds[label], text) for label, text in rows]) == narrative


@pytest.mark.parametrize(
    "text",
    ["", "一段", "a\n\nb\n", "长" * 5000, ("短句。\n" * 400) + "尾" * 3000, "\n" * 50],
)
def test_split_rows_joins_back_exactly(text: str):
    rows = split_rows(text, 100)
    assert join_rows([(k, t) for k, t, _ in rows]) == text
    assert all(lines <= 24 for _, _, lines in rows)


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.one_of(
            st.text(alphabet="ab \t长“😀é", max_size=12),
            st.text(alphabet="ab长", min_size=40, max_size=3000),
        ),
        max_size=60,
    ).map("\n".join),
    width=st.sampled_from([1.0, 3.0, 11.0, 13.0, 38.0, 112.0]),
)
def test_split_rows_fills_each_row_greedily_with_true_line_counts(text: str, width: float):
    """Rows are as full as they can be, each within the limit unless a single piece cannot be
    cut smaller, and each reports the lines its text needs (the row height comes from it)."""
    rows = split_rows(text, width)
    assert join_rows([(k, t) for k, t, _ in rows]) == text
    assert [k for k, _, _ in rows[:1]] == ["first"]
    for i, (kind, body, lines) in enumerate(rows):
        assert lines == lines_needed(body, width)
        assert lines <= MAX_LINES_PER_ROW or "\n" not in body
        if i and kind == "new":  # its first paragraph did not fit in the row above
            first = body.split("\n")[0]
            assert rows[i - 1][2] + lines_needed(first, width) > MAX_LINES_PER_ROW


def test_a_remark_longer_than_a_cell_continues_below_and_imports_whole(
    tmp_path: Path, sample_project: Path
):
    remark = ("一段较长的备注。" * 30 + "\n") * 5 + "备" * (EXCEL_CELL_LIMIT + 1)
    with Project.open(sample_project) as p:
        p.set("indicator.3.remark", remark)
    xlsx = tmp_path / "out.xlsx"
    with Project.open(sample_project, readonly=True) as p:
        export_xlsx(p, xlsx)
    ws = load_workbook(xlsx)[layout.TABLE_SHEET]
    labels = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert labels.count(layout.CONTINUED_SAME_LINE) > 10 and layout.CONTINUED_NEW_LINE in labels
    assert all(ws.row_dimensions[r].height <= 409 for r in range(1, ws.max_row + 1))
    blank = tmp_path / "blank.csrproj"
    Project.create(blank).close()
    with Project.open(blank) as p:
        apply_import(p, plan_import(p, xlsx))
        assert p.assessment().answer(3).remark == remark


def test_a_text_too_long_for_a_cell_is_refused_and_nothing_written(
    tmp_path: Path, sample_project: Path
):
    with Project.open(sample_project) as p:
        p.set("company.name", "备" * (EXCEL_CELL_LIMIT + 1))
    dest = tmp_path / "out.xlsx"
    dest.write_bytes(b"previous export")
    with Project.open(sample_project, readonly=True) as p, pytest.raises(CsrError) as info:
        export_xlsx(p, dest)
    assert "企业名称" in info.value.zh and "32767" in info.value.zh
    assert dest.read_bytes() == b"previous export"
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(".out")] == []


def test_export_into_a_missing_folder_says_so(tmp_path: Path, sample_project: Path):
    dest = tmp_path / "nope" / "out.xlsx"
    with Project.open(sample_project, readonly=True) as p, pytest.raises(CsrError) as info:
        export_xlsx(p, dest)
    assert str(dest) in info.value.zh
    assert not dest.parent.exists()


def test_default_name_is_company_and_date_and_safe(sample_project: Path):
    with Project.open(sample_project, readonly=True) as p:
        a = p.assessment()
    day = dt.date(2024, 8, 15)
    assert default_xlsx_name(a, day) == "星澜数字科技有限公司_社会责任自评表_20240815.xlsx"
    odd = type(a)(a.indicator_set, {**a.company, "name": "A/B:C*公司?  "}, a.commitment, a.answers)
    name = default_xlsx_name(odd, day)
    assert name.endswith("_社会责任自评表_20240815.xlsx")
    assert not any(ch in name for ch in '/\\:*?"<>|')
    blank = type(a)(a.indicator_set, {**a.company, "name": ""}, a.commitment, a.answers)
    assert default_xlsx_name(blank, day).endswith("_社会责任自评表_20240815.xlsx")


def test_evidence_sheet_follows_the_template_group_headings_then_each_indicator(hostile):
    """一、企业内部治理 … above each 一级指标's indicators; per 三级指标 its heading, the
    相关工作情况介绍 and the 佐证材料目录, in the template's order."""
    _, xlsx = hostile
    iset = default_indicator_set()
    ws = load_workbook(xlsx)[layout.EVIDENCE_SHEET]
    firsts = [cell_text(v) for (v,) in ws.iter_rows(min_col=1, max_col=1, values_only=True)]
    expected: list[str] = []
    for k, level in enumerate(iset.levels):
        expected.append(f"{'一二三四'[k]}、{level.name}")
        for ind in level.indicators:
            ev = iset.evidence
            expected += [ev.heading_for(ind), layout.NARRATIVE_LABEL, ev.catalogue_title_for(ind)]
    wanted = set(expected)
    assert [t for t in firsts if t in wanted] == expected


def test_document_properties_name_the_company_and_this_program(hostile) -> None:
    """openpyxl would name itself as author and application (issue 25)."""
    project, xlsx = hostile
    with Project.open(project, readonly=True) as p:
        company = p.assessment().company["name"]
    props = load_workbook(xlsx).properties
    assert props.creator == company and props.lastModifiedBy == company
    assert props.title == default_indicator_set().title
    assert (
        abs((dt.datetime.now(dt.UTC).replace(tzinfo=None) - props.created).total_seconds()) < 3600
    )
    with zipfile.ZipFile(xlsx) as zf:
        app = zf.read("docProps/app.xml").decode()
        assert zf.testzip() is None
    assert "<Application>csr-desktop " in app and "penpyxl" not in app
