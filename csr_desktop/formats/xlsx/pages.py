"""Where the printed 自评表 breaks pages, decided by the exporter rather than by each reader.

A spreadsheet reader that breaks a page inside a merged 一级/二级 cell prints its label on one
page only (LibreOffice does). The exporter therefore sets every page break itself and merges
each group per page, with its label in every page's part, as the app's PDF does. Row heights are
fixed by the exporter, so a page's content is known in points; the capacity used is one that
every reader checked prints on one page (fit to width only ever shrinks the sheet, so a reader
that scales it down fits more, never less). A 备注 too long for one row or page continues in
rows below it, labelled like a narrative's continuation, and the import joins them again.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from csr_desktop.formats.xlsx import fit

# The body of one A4 landscape page at 100 % with the exporter's margins (595 pt less 43 pt
# top and 50 pt bottom is 502 pt in Excel); Gnumeric, which prints at 100 %, fits 469 pt of
# rows on its first page, LibreOffice (which shrinks to fit the width) more. Kept below both.
PAGE_POINTS = 455.0
# A row split at a page end keeps at least this many lines of its 备注 on the first page;
# with less room the row starts on the next page instead.
MIN_SPLIT_LINES = 3


@dataclass(frozen=True, slots=True)
class Piece:
    """One printed row of a 备注: the first, or a continuation ("new": joined with a line
    break, "same": joined directly), as in `xlsx_fit.split_rows`."""

    kind: str
    text: str
    lines: int


def split_to_budgets(text: str, width_units: float, budgets: Iterator[int]) -> list[Piece]:
    """Cut `text` into pieces of at most the next budget's lines each (the first budget for the
    first piece, and so on); joining them with `xlsx_fit.join_rows` gives back `text`."""
    usable = max(width_units - 1.5, 1.0)
    pieces: list[Piece] = []
    parts: list[str] = []
    kind, used, budget = "first", 0, max(1, next(budgets))

    def close(next_kind: str) -> None:
        nonlocal parts, kind, used, budget
        pieces.append(Piece(kind, "\n".join(parts), used))
        parts, kind, used, budget = [], next_kind, 0, max(1, next(budgets))

    for i, para in enumerate(text.split("\n")):
        if i and used >= budget:  # the row is full: the paragraph starts the next one
            close("new")
        need = max(1, math.ceil(fit.text_units(para) / usable))
        if used + need <= budget:
            parts.append(para)
            used += need
            continue
        if parts and need <= budget:  # the whole paragraph may fit the next row
            close("new")
            if need <= budget:
                parts.append(para)
                used = need
                continue
        rest = para  # longer than a row, or than what is left of it: cut where the row ends
        while True:
            room = max(budget - used, 1)
            cut = _cut(rest, usable * room)
            while cut > 1 and math.ceil(fit.text_units(rest[:cut]) / usable) > room:
                cut -= 1  # rounding in the running sum
            piece, rest = rest[:cut], rest[cut:]
            parts.append(piece)
            used += max(1, math.ceil(fit.text_units(piece) / usable))
            if not rest:
                break
            close("same")
    pieces.append(Piece(kind, "\n".join(parts), used))
    return pieces


def _cut(text: str, units: float) -> int:
    """How many characters of `text` fill `units` (at least one)."""
    used = 0.0
    for i, ch in enumerate(text):
        used += fit.text_units(ch)  # the measure `lines_needed` uses
        if used > units:
            return max(i, 1)
    return len(text)


def lines_for(points: float) -> int:
    """The most lines a row of `points` holds (`xlsx_fit.row_points` inverted)."""
    return max(0, int((points - fit.PADDING_POINTS) // fit.LINE_POINTS))


@dataclass(frozen=True, slots=True)
class TableRow:
    """An indicator's row as laid out: `pieces` holds its 备注's first piece and continuations;
    `base_lines` is what its other cells need."""

    key: int
    base_lines: int
    remark: str
    remark_width: float
    label_lines: tuple[int, int]  # lines the continuation labels need: ("new", "same")


@dataclass(frozen=True, slots=True)
class PlacedRow:
    key: int
    piece: Piece
    points: float
    page: int


def paginate(rows: Sequence[TableRow], first_page_room: float, page_room: float) -> list[PlacedRow]:
    """Rows filled greedily into pages; a row never splits except inside an overlong 备注."""
    placed: list[PlacedRow] = []
    page, room = 0, first_page_room
    cap = min(page_room, fit.MAX_ROW_POINTS)
    for row in rows:
        usable = max(row.remark_width - 1.5, 1.0)
        remark_lines = sum(
            max(1, math.ceil(fit.text_units(p) / usable)) for p in row.remark.split("\n")
        )
        whole = fit.row_points(max(row.base_lines, remark_lines))
        if remark_lines <= lines_for(cap):
            if whole > room:
                page, room = page + 1, page_room
            placed.append(PlacedRow(row.key, Piece("first", row.remark, remark_lines), whole, page))
            room -= whole
            continue
        first = lines_for(min(room, cap))
        if first < max(row.base_lines, MIN_SPLIT_LINES):
            page, room = page + 1, page_room
            first = lines_for(cap)

        def budgets(first: int = first) -> Iterator[int]:
            yield first
            while True:
                yield lines_for(cap)

        pieces = split_to_budgets(row.remark, row.remark_width, budgets())
        for k, piece in enumerate(pieces):
            label = 0 if k == 0 else row.label_lines[piece.kind == "same"]
            lines = max(piece.lines, row.base_lines if k == 0 else label)
            points = fit.row_points(lines)
            if k and points > room:
                page, room = page + 1, page_room
            placed.append(PlacedRow(row.key, piece, points, page))
            room -= points
    return placed


def runs(pages: Sequence[int]) -> Iterator[tuple[int, int]]:
    """(start, stop) index ranges of consecutive equal page numbers."""
    start = 0
    for i in range(1, len(pages) + 1):
        if i == len(pages) or pages[i] != pages[start]:
            yield start, i
            start = i


def keep_breaks(
    rows: Sequence[tuple[int, float, bool] | tuple[int, float, bool, float]],
    room: float = PAGE_POINTS,
) -> list[int]:
    """The rows after which pages break, for `rows` (row number, height in points, whether it
    is kept with the next row and, optionally, the height of a header row written again atop
    a page that this row starts — a catalogue's item row) filled greedily: a heading never
    ends a page when it and the rows it is kept with fit on the next one (a chain taller than
    a page breaks where it must).
    """
    breaks: list[int] = []
    used = 0.0
    for i, (_row, height, *_rest) in enumerate(rows):
        chain_end = i
        while chain_end < len(rows) - 1 and rows[chain_end][2]:
            chain_end += 1
        chain = sum(r[1] for r in rows[i : chain_end + 1])
        head = rows[i][3] if len(rows[i]) > 3 else 0.0  # type: ignore[misc]
        if i and used and (used + chain > room >= chain + head or used + height > room):
            breaks.append(rows[i - 1][0])
            used = head
        used += height
    return breaks
