"""The 自评表 on landscape pages: merged 一级/二级 cells, header repeated, ☑/□ as on the paper form.

The table is paginated here rather than by ReportLab: ReportLab cannot split a table inside a
merged cell, and a 一级指标 spans more rows than fit on one page. Each page gets its own table,
with the header row and the names of the groups it continues.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Table, TableStyle

from csr_desktop.formats.outline import CHECKED, UNCHECKED, TableNode, TableRow
from csr_desktop.formats.pdf.fonts import RARE, escape, markup
from csr_desktop.formats.pdf.line_breaking import CjkParagraph
from csr_desktop.formats.pdf.styles import LANDSCAPE, LANDSCAPE_MARGINS, Styles

PADDING = 3.0
# 序号, 一级指标, 二级指标, 三级指标, 指标说明, 企业自评, 备注 — in mm, filling 257 mm: every
# 二级 name on one line, a 三级 name broken after 8 characters at most (no character left alone
# on a line), each option and its box on one line.
COLUMN_MM = (11, 26, 32, 32, 66, 53, 37)


@dataclass
class Row:
    """One printed row: an indicator, or the continuation of a long 备注."""

    indicator: TableRow
    cells: list[Any]
    height: float = 0.0
    continued: bool = False
    group_names: tuple[str, str] = ("", "")


@dataclass
class PageRows:
    rows: list[Row] = field(default_factory=list)
    height: float = 0.0


def options_markup(options: tuple[tuple[str, bool], ...]) -> str:
    """The five options, one a line, each followed by its box; the chosen one ticked."""
    lines = []
    for text, chosen in options:
        box = CHECKED if chosen else UNCHECKED
        lines.append(f'{escape(text)}<font face="{RARE}">{box}</font>')
    return "<br/>".join(lines)


def _measure(cell: Any, width: float) -> float:
    if cell is None or isinstance(cell, str):
        return 0.0
    _, height = cell.wrap(width - 2 * PADDING, 10_000_000)
    return float(height)


class SelfAssessmentTable:
    """Builds the 自评表 pages for one assessment."""

    def __init__(self, table: TableNode, styles: Styles) -> None:
        self.table = table
        self.styles = styles
        self.widths = [w * mm for w in COLUMN_MM]
        self.frame_height = LANDSCAPE[1] - LANDSCAPE_MARGINS["top"] - LANDSCAPE_MARGINS["bottom"]

    def header(self) -> list[Any]:
        return [CjkParagraph(markup(h), self.styles.cell_center) for h in self.table.headers]

    def _row(self, ind: TableRow) -> Row:
        st = self.styles
        cells = [
            CjkParagraph(str(ind.no), st.cell_center),
            None,  # 一级 / 二级 are drawn per page as merged cells
            None,
            CjkParagraph(markup(ind.name), st.cell),
            CjkParagraph(markup(ind.description), st.cell),
            CjkParagraph(options_markup(ind.options), st.cell),
            CjkParagraph(markup(ind.remark), st.cell),
        ]
        row = Row(ind, cells, group_names=(ind.level1, ind.level2))
        row.height = self._height(cells)
        return row

    def _height(self, cells: list[Any]) -> float:
        return max(_measure(c, w) for c, w in zip(cells, self.widths, strict=True)) + 2 * PADDING

    def _split_remark(self, row: Row, room: float) -> tuple[Row, Row] | None:
        """Cut a row whose 备注 is too long for the page; the rest continues on the next."""
        remark = row.cells[6]
        width = self.widths[6] - 2 * PADDING
        others = max(_measure(c, w) for c, w in zip(row.cells[:6], self.widths[:6], strict=True))
        if others + 2 * PADDING > room:
            return None
        parts = remark.split(width, room - 2 * PADDING)
        if len(parts) < 2:
            return None
        head = Row(row.indicator, [*row.cells[:6], parts[0]], 0.0, row.continued, row.group_names)
        head.height = self._height(head.cells)
        st = self.styles
        tail_cells = [
            CjkParagraph(f"{row.indicator.no}<br/>续", st.cell_center),
            None,
            None,
            CjkParagraph(markup(row.indicator.name), st.cell),
            CjkParagraph("（见上页）", st.cell_center),
            CjkParagraph("（见上页）", st.cell_center),
            parts[1],
        ]
        tail = Row(row.indicator, tail_cells, 0.0, True, row.group_names)
        tail.height = self._height(tail_cells)
        return head, tail

    def paginate(self, first_page_room: float, tail_reserve: float = 0.0) -> list[PageRows]:
        """Greedy page filling, then the last page evened out: never a single row when the
        rows fit two, and `tail_reserve` points left under the last row (the departures note).
        A row never splits except inside an overlong 备注."""
        header_h = self._height(self.header())
        pages = self._greedy(first_page_room, header_h)
        rooms = [first_page_room - header_h] + [self.frame_height - header_h] * len(pages)
        last = pages[-1]
        if last.height + tail_reserve > rooms[len(pages) - 1]:
            fresh = PageRows()
            while len(last.rows) > 1 and _movable(last.rows[-1], last.rows[-2]):
                row = last.rows[-1]
                if fresh.height + row.height + tail_reserve > rooms[len(pages)]:
                    break
                last.rows.pop()
                last.height -= row.height
                fresh.rows.insert(0, row)
                fresh.height += row.height
                if len(fresh.rows) >= 2 and last.height + tail_reserve <= rooms[len(pages) - 1]:
                    break
            if fresh.rows:
                pages.append(fresh)
        if len(pages) >= 2:
            prev, last = pages[-2], pages[-1]
            room = rooms[len(pages) - 1] - tail_reserve
            while (
                len(last.rows) < 2
                and len(prev.rows) > 2
                and _movable(prev.rows[-1], prev.rows[-2])
                and not last.rows[0].continued
                and last.height + prev.rows[-1].height <= room
            ):
                row = prev.rows.pop()
                prev.height -= row.height
                last.rows.insert(0, row)
                last.height += row.height
        return pages

    def _greedy(self, first_page_room: float, header_h: float) -> list[PageRows]:
        pages = [PageRows()]
        room = first_page_room - header_h
        pending = [self._row(ind) for ind in self.table.rows]
        while pending:
            row = pending.pop(0)
            page = pages[-1]
            if row.height <= room - page.height:
                page.rows.append(row)
                page.height += row.height
                continue
            fresh_room = self.frame_height - header_h
            if row.height > fresh_room or not page.rows:
                split = self._split_remark(row, room - page.height)
                if split is not None:
                    page.rows.append(split[0])
                    page.height += split[0].height
                    pending.insert(0, split[1])
                    pages.append(PageRows())
                    room = fresh_room
                    continue
                if not page.rows:  # cannot be split: let ReportLab shrink it onto the page
                    page.rows.append(row)
                    page.height += row.height
                    pages.append(PageRows())
                    room = fresh_room
                    continue
            pages.append(PageRows())
            room = fresh_room
            pending.insert(0, row)
        return [p for p in pages if p.rows]

    def _page_table(self, page: PageRows) -> Table:
        st = self.styles
        data: list[list[Any]] = [self.header()]
        style: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.6, "black"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), PADDING),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING),
            ("FONTNAME", (0, 0), (-1, -1), st.cell.fontName),
            ("FONTSIZE", (0, 0), (-1, -1), st.cell.fontSize),
        ]
        heights = [self._height(data[0])]
        for row in page.rows:
            data.append(list(row.cells))
            heights.append(row.height)
        for col, pick in ((1, _level1), (2, _level2)):
            self._merge(page, col, pick, data, style, heights)
        table = Table(data, colWidths=self.widths, rowHeights=heights, repeatRows=1)
        table.setStyle(TableStyle(style))
        return table

    def _merge(
        self,
        page: PageRows,
        col: int,
        pick: Callable[[Row], str],
        data: list[list[Any]],
        style: list[tuple[Any, ...]],
        heights: list[float],
    ) -> None:
        """Span equal consecutive names in column `col`, as the form merges them."""
        start = 0
        rows = page.rows
        while start < len(rows):
            end = start
            while end + 1 < len(rows) and _same_group(rows[end + 1], rows[start], col):
                end += 1
            cell = CjkParagraph(markup(pick(rows[start])), self.styles.cell_center)
            data[start + 1][col] = cell
            need = _measure(cell, self.widths[col]) + 2 * PADDING
            have = sum(heights[start + 1 : end + 2])
            if need > have:
                heights[end + 1] += need - have
            if end > start:
                style.append(("SPAN", (col, start + 1), (col, end + 1)))
            start = end + 1

    def story(self, first_page_room: float, tail_reserve: float = 0.0) -> list[Flowable]:
        flowables: list[Flowable] = []
        for number, page in enumerate(self.paginate(first_page_room, tail_reserve)):
            if number:
                flowables.append(PageBreak())
            flowables.append(self._page_table(page))
        return flowables


def _movable(row: Row, before: Row) -> bool:
    """A whole row (not the head or tail of a split 备注) may move to the next page."""
    return not row.continued and before.indicator.no != row.indicator.no


def _level1(row: Row) -> str:
    return row.group_names[0]


def _level2(row: Row) -> str:
    return row.group_names[1]


def _same_group(a: Row, b: Row, col: int) -> bool:
    if col == 1:
        return a.group_names[0] == b.group_names[0]
    return a.group_names == b.group_names
