"""The Excel 自评表: the official table to print and send round, plus the 佐证材料 sheet.

Sheet 自评表 looks like the paper form (merged 一级/二级 cells, five options with □ and the
chosen one ☑, A4 landscape, header row on every page). Sheet 佐证材料 holds narratives and
catalogues; a hidden sheet names the format and indicator set so the import recognises it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Color, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from csr_desktop import __version__
from csr_desktop.core.assessment import Answer, Assessment
from csr_desktop.core.atomic import atomic_output
from csr_desktop.core.errors import CsrError
from csr_desktop.core.indicators import OPTIONS_PER_SCALE, Indicator, IndicatorSet
from csr_desktop.core.store import Project
from csr_desktop.formats.safe_names import safe_component
from csr_desktop.formats.xlsx import fit, layout, pages
from csr_desktop.formats.xlsx.cell_text import EXCEL_CELL_LIMIT, encode, utf16_len, xml_safe
from csr_desktop.formats.xlsx.merge_base import write_base
from csr_desktop.formats.xlsx.properties import save as save_workbook
from csr_desktop.formats.xlsx.properties import set_properties
from csr_desktop.formats.xlsx.source import department_assessment, identity

FONT_NAME = "宋体"


def colour(rgb: str) -> Color:
    """The only way this module makes a colour: opaque ARGB.

    openpyxl turns "RRGGBB" into "00RRGGBB", alpha 0: Excel and LibreOffice ignore the alpha
    byte, but a reader that honours it (Gnumeric) draws such borders and fills not at all.
    """
    return Color(rgb=f"FF{rgb[-6:]}")


_BLACK = colour("000000")
_THIN = Side(style="thin", color=_BLACK)
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor=colour("E7E6E6"))
_BLOCK_FILL = PatternFill("solid", fgColor=colour("DDEBF7"))
# The legacy indexed palette openpyxl writes into every styles.xml, with the alpha made opaque.
_PALETTE = [colour(rgb).rgb for rgb in COLOR_INDEX]


@dataclass(frozen=True, slots=True)
class _Style:
    font: Font
    align: Alignment
    border: Border | None = _BORDER
    fill: PatternFill | None = None


def _font(size: float = 10.5, bold: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, color=_BLACK)


_TITLE = _Style(_font(16, True), Alignment("center", "center", wrap_text=True), None)
_LABEL = _Style(_font(11), Alignment("right", "center", wrap_text=True), None)
_VALUE = _Style(_font(11), Alignment("left", "center", wrap_text=True), None)
_HEAD = _Style(_font(10.5, True), Alignment("center", "center", wrap_text=True), fill=_HEAD_FILL)
_CENTER = _Style(_font(), Alignment("center", "center", wrap_text=True))
_TEXT = _Style(_font(), Alignment("left", "center", wrap_text=True))
# A narrative runs over several rows drawn as one box: its text cells need no border of their
# own (the label column, the heading above and the catalogue title below draw it), only the
# right edge does. Fewer styled cells also keep long narratives quick to write.
_LONG = _Style(_font(), Alignment("left", "top", wrap_text=True), None)
_RIGHT_EDGE = _Style(_font(), Alignment(), Border(right=_THIN))
_BLOCK = _Style(_font(10.5, True), Alignment("left", "center", wrap_text=True), fill=_BLOCK_FILL)
_NOTE = _Style(_font(10), Alignment("left", "center", wrap_text=True), None)
_LEVEL = _Style(_font(12, True), Alignment("left", "center", wrap_text=True), None)
_SMALL = _Style(_font(8), Alignment("left", "center", wrap_text=True))

# 序号, 一级, 二级, 三级, 指标说明, 企业自评, 备注
TABLE_WIDTHS = (6.0, 10.0, 12.0, 14.0, 46.0, 25.0, 24.0)
# 序号/label, 材料名称, 备注, 文件名, SHA-256
EVIDENCE_WIDTHS = (13.0, 38.0, 24.0, 26.0, 24.0)
_SMALL_FONT_FACTOR = 8 / 10.5


class _SharedStyle(StyleArray):  # type: ignore[misc]  # openpyxl has no type hints
    """One `_Style` as openpyxl's style indices, shared by all the cells that have it.

    Nothing changes it once made, so its hash and its place in the workbook's list of cell
    formats (which openpyxl would otherwise look up for every cell it saves) are worked out
    once.
    """

    def __new__(cls, indices: StyleArray, wb: Workbook) -> _SharedStyle:
        return super().__new__(cls, indices)  # type: ignore[no-any-return]

    def __init__(self, indices: StyleArray, wb: Workbook) -> None:
        self._hash = hash(tuple(self))
        self.index: int = wb._cell_styles.add(self)

    def __hash__(self) -> int:
        return self._hash


class _StyledCell(Cell):  # type: ignore[misc]
    """A cell with a `_SharedStyle`, whose format index is known without a look-up."""

    __slots__ = ()

    @property
    def style_id(self) -> int:
        return int(self._style.index)


class _Height(RowDimension):  # type: ignore[misc]
    """A row height shared by every row that has it (openpyxl writes only the height from a
    row's dimension, never its index), with the row attributes worked out once."""

    def __init__(self, ws: Worksheet, points: float) -> None:
        super().__init__(ws, ht=points)
        self._attrs = tuple(super().__iter__())

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._attrs)


def _new_cell(
    ws: Worksheet, row: int, col: int, value: str | int | None, kind: type[Cell] = Cell
) -> Cell:
    """A cell for `ws` (not yet placed), its text written as text whatever it looks like.

    `encode` leaves only what XML can hold and callers keep texts within Excel's limit, so
    openpyxl's own checks on setting a value (a regex scan of every text) add nothing here.
    """
    cell = kind(ws, row=row, column=col)
    if isinstance(value, str):
        cell._value = encode(value)
        cell.data_type = "s"  # never a formula, an error code or a number
    elif value is not None:
        cell.value = value
    return cell


class _Sheet:
    """A worksheet being written: cells with styles, heights and the row ids for the meta sheet.

    A long narrative sheet has thousands of cells and rows, so cells are made directly rather
    than through openpyxl's checking setters: texts are already made XML-safe and held within
    Excel's limit by `put`, each `_Style` becomes one openpyxl style array shared by all its
    cells (nothing changes a cell's style after `put`), and rows of the same height share one
    `_Height`.
    """

    def __init__(self, ws: Worksheet, widths: Sequence[float]) -> None:
        self.ws = ws
        self.widths = tuple(widths)
        self.row_ids: list[tuple[int, str]] = []
        self._cells: dict[tuple[int, int], Cell] = ws._cells
        self._styles: dict[int, StyleArray] = {}  # by id: the styles are module constants
        self._heights: dict[float, _Height] = {}
        for i, w in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = w

    def _style_array(self, style: _Style) -> StyleArray:
        known = self._styles.get(id(style))
        if known is None:
            probe = Cell(self.ws)  # registers the style objects with the workbook once
            probe.font = style.font
            probe.alignment = style.align
            if style.border is not None:
                probe.border = style.border
            if style.fill is not None:
                probe.fill = style.fill
            known = self._styles[id(style)] = _SharedStyle(probe._style, self.ws.parent)
        return known

    def put(self, row: int, col: int, value: str | int | None, style: _Style, where: str) -> None:
        if (
            isinstance(value, str)
            and len(value) > EXCEL_CELL_LIMIT // 2
            and utf16_len(xml_safe(value)) > EXCEL_CELL_LIMIT
        ):
            raise CsrError(
                f"{where}有 {len(value)} 个字，超过 Excel 单元格上限 {EXCEL_CELL_LIMIT} 字，"
                "无法完整导出。请缩短后再导出",
                f"{where}: text longer than Excel's cell limit",
            )
        cell = _new_cell(self.ws, row, col, value, _StyledCell)
        cell._style = self._style_array(style)
        self._cells[(row, col)] = cell

    def span(self, row: int, first: int, last: int, value: str, style: _Style, where: str) -> None:
        """A text across columns `first`..`last` (1-based), styled edge to edge."""
        for col in range(first, last + 1):
            self.put(row, col, value if col == first else None, style, where)
        if last > first:
            self.merge(row, first, row, last)

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Merge cells already written and styled edge to edge.

        `Worksheet.merge_cells` re-checks every earlier range and rewrites borders, which is
        quadratic in the number of merges; the ranges here never overlap and the writer only
        needs their coordinates, as text: it turns each into a `MergeCell` from `str(range)`,
        so building a `CellRange` here first would only double the work.
        """
        self.ws.merged_cells.ranges.add(
            f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"
        )

    def width(self, first: int, last: int | None = None) -> float:
        return sum(self.widths[first - 1 : (last or first)])

    def height(self, row: int, points: float) -> float:
        points = round(points, 1)
        dim = self._heights.get(points)
        if dim is None:
            dim = self._heights[points] = _Height(self.ws, points)
        self.ws.row_dimensions[row] = dim
        return points


def _page_setup(ws: Worksheet, last_col: str, last_row: int) -> None:
    """A4 landscape, one page wide, page numbers: printable as the official form.

    No print titles: the table writes its header row at the top of each page itself, and a
    reader honouring print titles too (LibreOffice, Excel) would print it twice.

    The footer names the sheet and the page's place in the printout with the total ("佐证材料
    第 13 页 共 152 页"), numbered through the workbook. Gnumeric (1.12) has no first page
    number: it numbers the pages of everything printed together, whatever the workbook asks,
    so a per-sheet count would give the same page two numbers in two readers. Numbered through
    the workbook, as LibreOffice does when no sheet restarts the count (and Excel's automatic
    first page number should), both print the same number and a true total (Gnumeric printing
    one sheet alone counts its own pages).
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "&A 第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9
    ws.print_area = f"A1:{last_col}{last_row}"


def options_text(ind: Indicator, rating: int | None) -> str:
    """The 企业自评 cell as a person fills the paper form: □ for each option, ☑ for the chosen."""
    return "\n".join(
        ind.scale.option_text(r) + (layout.CHOSEN if r == rating else layout.OPEN)
        for r in range(1, OPTIONS_PER_SCALE + 1)
    )


_HEADER_POINTS = 24.0


def _write_table(sheet: _Sheet, a: Assessment) -> None:
    iset = a.indicator_set
    ws = sheet.ws
    ncol = len(iset.table_headers)
    sheet.span(1, 1, ncol, iset.title, _TITLE, "标题")
    above = sheet.height(1, 34)
    row = 2
    for f in iset.cover_fields:
        sheet.span(row, 1, 4, f"{f.label}：", _LABEL, f.label)
        sheet.span(row, 5, ncol, a.company[f.key], _VALUE, f"封面“{f.label}”")
        lines = fit.lines_needed(a.company[f.key], sheet.width(5, ncol) * 11 / 10.5)
        above += sheet.height(row, max(20.0, fit.row_points(lines)))
        sheet.row_ids.append((row, f"company.{f.key}"))
        row += 1
    above += sheet.height(row, 8)
    row += 1
    header = row
    _write_header(sheet, header, iset.table_headers)
    above += _HEADER_POINTS
    placed = pages.paginate(
        [_layout_row(sheet, ind, a.answer(ind.no)) for ind in iset.indicators],
        pages.PAGE_POINTS - above,
        pages.PAGE_POINTS - _HEADER_POINTS,  # each later page starts with the header again
    )
    rows: list[int] = []  # the sheet row of each placed row
    r = header
    continued = 0
    for offset, where in enumerate(placed):
        r += 1
        if offset and where.page != placed[offset - 1].page:
            _break_after(ws, r - 1, ncol)
            _write_header(sheet, r, iset.table_headers, repeated=where.page)
            r += 1
        rows.append(r)
        ind = iset.indicator(where.key)
        if where.piece.kind == "first":
            _write_indicator_row(sheet, r, ind, a.answer(ind.no), where.piece.text)
            continued = 0
        else:
            continued += 1
            _write_continuation_row(sheet, r, ind, where.piece, continued)
        sheet.height(r, where.points)
    _narrow_columns_gnumeric_would_print(ws, ncol)
    for level in iset.levels:
        _merge_per_page(sheet, 2, rows, placed, {i.no for i in level.indicators}, level.name)
        for group in level.groups:
            _merge_per_page(sheet, 3, rows, placed, {i.no for i in group.indicators}, group.name)
    _page_setup(ws, chr(ord("A") + ncol - 1), r)


def _write_header(sheet: _Sheet, row: int, headers: Sequence[str], repeated: int = 0) -> None:
    """The table's header row; `repeated` (the page's index) for its copy at the top of a page.

    Every page of the table begins with a real header row rather than Excel's print titles,
    which Gnumeric ignores: the exporter breaks every page itself, so it knows where each page
    starts. The import knows a header row by its words and skips the copies; the hidden sheet
    names them too.
    """
    for col, text in enumerate(headers, start=1):
        sheet.put(row, col, text, _HEAD, "表头")
    sheet.height(row, _HEADER_POINTS)
    if repeated:
        sheet.row_ids.append((row, f"{layout.REPEATED_HEADER_ID}.{repeated + 1}"))


def _break_after(ws: Worksheet, row: int, ncol: int) -> None:
    """A page break after `row`.

    Gnumeric (1.12) reads an xlsx's row breaks as column breaks and its column breaks as row
    breaks, so the same break is also written as a column break: past the table's last
    column, where Excel and LibreOffice find nothing to break.
    """
    ws.row_breaks.append(Break(id=row))
    if row > ncol:
        ws.col_breaks.append(Break(id=row))


def _narrow_columns_gnumeric_would_print(ws: Worksheet, ncol: int) -> None:
    """Make the empty columns up to the first break's row number a sliver wide.

    Gnumeric, taking the first row break for a column break, prints every column up to it, so
    the empty columns right of the table would come out as a blank page beside each page; at
    a sliver they fit beside the table. (Hidden, they would also hide the table's right edge,
    and Gnumeric ignores widths below one unit.)
    """
    if ws.row_breaks.brk:
        first = min(b.id for b in ws.row_breaks.brk)
        for col in range(ncol + 1, first + 1):
            ws.column_dimensions[get_column_letter(col)].width = 1.0


def _layout_row(sheet: _Sheet, ind: Indicator, ans: Answer) -> pages.TableRow:
    """What the page layout needs to know of an indicator's row."""
    name_lines = fit.lines_needed(ind.name, sheet.width(4))
    base = max(
        name_lines,
        fit.lines_needed(ind.description, sheet.width(5)),
        fit.lines_needed(options_text(ind, ans.rating), sheet.width(6)),
    )
    label = {
        kind: max(name_lines, fit.lines_needed(text, sheet.width(1)))
        for kind, text in (("new", layout.CONTINUED_NEW_LINE), ("same", layout.CONTINUED_SAME_LINE))
    }
    return pages.TableRow(ind.no, base, ans.remark, sheet.width(7), (label["new"], label["same"]))


def _write_indicator_row(sheet: _Sheet, row: int, ind: Indicator, ans: Answer, remark: str) -> None:
    where = ind.label
    sheet.put(row, 1, ind.no, _CENTER, where)
    sheet.put(row, 2, None, _CENTER, where)
    sheet.put(row, 3, None, _CENTER, where)
    sheet.put(row, 4, ind.name, _CENTER, where)
    sheet.put(row, 5, ind.description, _TEXT, where)
    sheet.put(row, 6, options_text(ind, ans.rating), _TEXT, where)
    sheet.put(row, 7, remark, _TEXT, f"{where}的备注")
    sheet.row_ids.append((row, f"indicator.{ind.no}"))


def _write_continuation_row(
    sheet: _Sheet, row: int, ind: Indicator, piece: pages.Piece, k: int
) -> None:
    """The rest of a 备注 too long for its row, labelled as a narrative's continuation is."""
    where = f"{ind.label}的备注"
    label = layout.CONTINUED_SAME_LINE if piece.kind == "same" else layout.CONTINUED_NEW_LINE
    sheet.put(row, 1, label, _CENTER, where)
    for col in (2, 3, 5, 6):
        sheet.put(row, col, None, _CENTER, where)
    sheet.put(row, 4, ind.name, _CENTER, where)
    sheet.put(row, 7, piece.text, _TEXT, where)
    sheet.row_ids.append((row, f"indicator.{ind.no}.remark.{k + 1}"))


def _merge_per_page(
    sheet: _Sheet,
    col: int,
    rows: Sequence[int],
    placed: Sequence[pages.PlacedRow],
    members: set[int],
    text: str,
) -> None:
    """A 一级/二级 cell merged over its rows on each page, its label in every page's part."""
    offsets = [i for i, p in enumerate(placed) if p.key in members]
    for start, stop in pages.runs([placed[i].page for i in offsets]):
        top, bottom = rows[offsets[start]], rows[offsets[stop - 1]]
        sheet.put(top, col, text, _CENTER, text)
        if bottom > top:
            sheet.merge(top, col, bottom, col)


DEFAULT_ROW_POINTS = 15.0  # a row without a height set, as the readers print it


def _edge_style(style: _Style, top: bool, bottom: bool, right: bool = False) -> _Style:
    """`style` with the narrative box's edges a page break cuts (one constant per variant, so
    that `_Sheet` shares one openpyxl style among the cells that have it)."""
    if not (top or bottom):
        return style
    key = (id(style), top, bottom, right)
    known = _EDGE_STYLES.get(key)
    if known is None:
        border = Border(
            right=_THIN if right else None,
            top=_THIN if top else None,
            bottom=_THIN if bottom else None,
        )
        known = _EDGE_STYLES[key] = _Style(style.font, style.align, border, style.fill)
    return known


_EDGE_STYLES: dict[tuple[int, bool, bool, bool], _Style] = {}


@dataclass(frozen=True, slots=True)
class _EvidenceRow:
    """One row of the 佐证材料 sheet before its place is known: its height, whether it is kept
    with the next row (a heading), the catalogue it belongs to (the indicator's number, for a
    catalogue's item rows: a page break before it writes that catalogue's header again) and
    how to write it at sheet row `r`, told whether it starts or ends its page."""

    points: float
    write: Callable[[int, bool, bool], None]
    keep: bool = False
    catalogue: int | None = None


def _write_evidence(sheet: _Sheet, a: Assessment) -> None:
    iset = a.indicator_set
    ev = iset.evidence
    ncol = len(EVIDENCE_WIDTHS)
    text_width = sheet.width(2, ncol)
    specs: list[_EvidenceRow] = []

    def add(
        points: float,
        write: Callable[[int, bool, bool], None],
        keep: bool = False,
        catalogue: int | None = None,
    ) -> None:
        specs.append(_EvidenceRow(round(points, 1), write, keep, catalogue))

    def spanned(text: str, style: _Style, where: str) -> Callable[[int, bool, bool], None]:
        return lambda r, _top, _bottom: sheet.span(r, 1, ncol, text, style, where)

    def nothing(r: int, top: bool, bottom: bool) -> None:
        return None

    add(30, spanned(ev.section_title.rstrip("：:"), _TITLE, "标题"))
    add(20, spanned(ev.note, _NOTE, "说明"))
    add(DEFAULT_ROW_POINTS, nothing)
    labels = {
        "first": layout.NARRATIVE_LABEL,
        "new": layout.CONTINUED_NEW_LINE,
        "same": layout.CONTINUED_SAME_LINE,
    }
    label_lines = {kind: fit.lines_needed(text, sheet.width(1)) for kind, text in labels.items()}
    headers = (*ev.catalogue_headers, layout.FILE_HEADER, layout.SHA_HEADER)
    level_of = {
        ind.no: (k, level) for k, level in enumerate(iset.levels) for ind in level.indicators
    }
    catalogue_headers: dict[int, Callable[[int, int], None]] = {}
    for ind in iset.indicators:
        k, level = level_of[ind.no]
        if ind is level.indicators[0]:  # the template's group heading, e.g. 一、企业内部治理
            add(24, spanned(f"{layout.numbered(k)}、{level.name}", _LEVEL, level.name), keep=True)
        ans = a.answer(ind.no)
        heading = ev.heading_for(ind)
        head_points = fit.row_points(fit.lines_needed(heading, sheet.width(1, ncol)))
        write_heading = spanned(heading, _BLOCK, ind.label)
        add(head_points, _ided(sheet, write_heading, f"indicator.{ind.no}.heading"), keep=True)
        narrative_where = f"{ind.label}的相关工作情况介绍"
        for n, (kind, text, text_lines) in enumerate(fit.split_rows(ans.narrative, text_width)):

            def narrative(
                r: int,
                top: bool,
                bottom: bool,
                kind: str = kind,
                text: str = text,
                narrative_where: str = narrative_where,
            ) -> None:
                sheet.put(r, 1, labels[kind], _CENTER, narrative_where)
                sheet.put(r, 2, text, _edge_style(_LONG, top, bottom), narrative_where)
                if top or bottom:  # the box's edge where a page break cuts it
                    for col in range(3, ncol):
                        sheet.put(r, col, None, _edge_style(_LONG, top, bottom), narrative_where)
                edge = _edge_style(_RIGHT_EDGE, top, bottom, right=True)
                sheet.put(r, ncol, None, edge, narrative_where)
                sheet.merge(r, 2, r, ncol)

            points = fit.row_points(max(text_lines, label_lines[kind]))
            add(points, _ided(sheet, narrative, f"indicator.{ind.no}.narrative.{n + 1}"))
        add(20, spanned(ev.catalogue_title_for(ind), _HEAD, ind.label), keep=True)

        def catalogue_header(r: int, page: int, label: str = ind.label, no: int = ind.no) -> None:
            for col, text in enumerate(headers, start=1):
                sheet.put(r, col, text, _HEAD, label)
            sheet.height(r, _CATALOGUE_HEADER_POINTS)
            rid = layout.repeated_catalogue_id(no, page) if page else f"indicator.{no}.catalogue"
            sheet.row_ids.append((r, rid))

        catalogue_headers[ind.no] = catalogue_header
        add(_CATALOGUE_HEADER_POINTS, functools.partial(_first_header, catalogue_header), keep=True)
        items = ans.evidence or ()
        for n, item in enumerate(items, start=1):
            values = (item.name, item.remark, item.file_name or "")
            lines = max(
                fit.lines_needed(text, sheet.width(col)) for col, text in enumerate(values, start=2)
            )
            sha_lines = fit.lines_needed(item.sha256 or "", sheet.width(5) / _SMALL_FONT_FACTOR)
            points = max(fit.row_points(lines), fit.row_points(sha_lines) * 0.8)

            def item_row(
                r: int,
                _top: bool,
                _bottom: bool,
                n: int = n,
                values: tuple[str, ...] = values,
                sha: str = item.sha256 or "",
                label: str = ind.label,
                no: int = ind.no,
            ) -> None:
                where = f"{label}佐证材料目录第{n}行"
                sheet.put(r, 1, n, _CENTER, where)
                for col, text in enumerate(values, start=2):
                    sheet.put(r, col, text, _TEXT, where)
                sheet.put(r, 5, sha, _SMALL, where)
                sheet.row_ids.append((r, f"indicator.{no}.evidence.{n}"))

            add(points, item_row, catalogue=ind.no)
        if not items:  # an empty bordered row invites the colleague to fill it in

            def empty(r: int, _top: bool, _bottom: bool, label: str = ind.label) -> None:
                for col in range(1, ncol + 1):
                    sheet.put(r, col, None, _TEXT, label)

            add(20, empty)
        add(DEFAULT_ROW_POINTS, nothing)  # a blank line between indicators
    specs.pop()  # no blank line after the last
    breaks = set(
        pages.keep_breaks(
            [
                (
                    i,
                    spec.points,
                    spec.keep,
                    0.0 if spec.catalogue is None else _CATALOGUE_HEADER_POINTS,
                )
                for i, spec in enumerate(specs)
            ]
        )
    )
    r, page = 0, 0
    for i, spec in enumerate(specs):
        r += 1
        starts = i == 0 or i - 1 in breaks
        if i and i - 1 in breaks:
            page += 1
            _break_after(sheet.ws, r - 1, ncol)
            if spec.catalogue is not None:  # the catalogue goes on under its header
                catalogue_headers[spec.catalogue](r, page + 1)
                r += 1
        spec.write(r, starts, i in breaks)
        if spec.write is not nothing:
            sheet.height(r, spec.points)
    _narrow_columns_gnumeric_would_print(sheet.ws, ncol)
    _page_setup(sheet.ws, chr(ord("A") + ncol - 1), r)


_CATALOGUE_HEADER_POINTS = 20.0


def _first_header(write: Callable[[int, int], None], r: int, _top: bool, _bottom: bool) -> None:
    """A catalogue's header row where the catalogue starts (page 0: not a copy)."""
    write(r, 0)


def _ided(
    sheet: _Sheet, write: Callable[[int, bool, bool], None], rid: str
) -> Callable[[int, bool, bool], None]:
    """`write`, then the row named `rid` in the hidden sheet."""

    def both(r: int, top: bool, bottom: bool) -> None:
        write(r, top, bottom)
        sheet.row_ids.append((r, rid))

    return both


def _write_meta(ws: Worksheet, iset: IndicatorSet, sheets: Sequence[tuple[str, _Sheet]]) -> None:
    ws.sheet_state = "hidden"
    rows: list[tuple[str | int, ...]] = [
        (layout.META_FORMAT, layout.FORMAT_ID),
        (layout.META_VERSION, layout.FORMAT_VERSION),
        (layout.META_SET_ID, iset.id),
        (layout.META_SET_VERSION, iset.version),
        ("app_version", __version__),
        ("exported_at", dt.datetime.now().astimezone().isoformat(timespec="seconds")),
        (),
        (layout.META_ROW_IDS, "row", "id"),
    ]
    ids = [(name, r, rid) for name, sheet in sheets for r, rid in sheet.row_ids]
    for r, values in enumerate((*rows, *ids), start=1):
        for c, value in enumerate(values, start=1):
            ws._cells[(r, c)] = _new_cell(ws, r, c, value)


def _line_break(text: str) -> str:
    """Word's manual line break (U+000B, pasted with a narrative) as the line break it shows:
    XML cannot hold the character, and dropping it joined two lines (PDF and Word keep it)."""
    return text.replace("\x0b", "\n")


def _with_line_breaks(a: Assessment) -> Assessment:
    """The texts as the workbook shows them; the base is recorded on these too, so a returned
    workbook nobody edited is no change."""
    if not any(
        "\x0b" in t
        for t in (
            *a.company.values(),
            *a.commitment.values(),
            *(x for ans in a.answers.values() for x in (ans.remark, ans.narrative)),
        )
    ):
        return a
    return a._replace(
        company={k: _line_break(v) for k, v in a.company.items()},
        commitment={k: _line_break(v) for k, v in a.commitment.items()},
        answers={
            no: ans._replace(remark=_line_break(ans.remark), narrative=_line_break(ans.narrative))
            for no, ans in a.answers.items()
        },
    )


def build_workbook(a: Assessment, department: str = "", project_id: str = "") -> Workbook:
    """The whole workbook in memory (it is small; the narratives dominate)."""
    a = _with_line_breaks(a)
    wb = Workbook()
    wb._colors = _PALETTE
    table_ws = wb.active
    assert table_ws is not None
    table_ws.title = layout.TABLE_SHEET
    table = _Sheet(table_ws, TABLE_WIDTHS)
    _write_table(table, a)
    evidence = _Sheet(wb.create_sheet(layout.EVIDENCE_SHEET), EVIDENCE_WIDTHS)
    _write_evidence(evidence, a)
    _write_meta(
        wb.create_sheet(layout.META_SHEET),
        a.indicator_set,
        ((layout.TABLE_SHEET, table), (layout.EVIDENCE_SHEET, evidence)),
    )
    write_base(wb[layout.META_SHEET], a, department, project_id)  # the three-way import's base
    wb.active = 0
    set_properties(wb, a)
    return wb


def export_xlsx(project: Project, dest: Path, department: str = "") -> None:
    """Write the workbook (only `department`'s indicators if given) to `dest` atomically
    (never a half-written file)."""
    a = department_assessment(project, department)
    wb = build_workbook(a, department, identity(project))
    with atomic_output(Path(dest)) as fh:
        save_workbook(wb, fh)  # naming this program in app.xml, not openpyxl


def default_xlsx_name(assessment: Assessment, today: dt.date) -> str:
    """`<企业名称>_社会责任自评表_<日期>.xlsx`, safe as a file name on every system."""
    company = assessment.company.get("name", "").strip() or "未命名企业"
    return safe_component(f"{company}_社会责任自评表_{today:%Y%m%d}", ".xlsx")
