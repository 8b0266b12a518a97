"""How much room wrapped text needs in a cell, so nothing prints cut off.

openpyxl writes no row heights and spreadsheets do not grow rows for wrapped text on their
own when printing, so the exporter estimates them. Widths are in Excel's column units (the
width of a "0"); a CJK character in a 10.5 pt font takes about two of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

LINE_POINTS = 14.5  # one line of 10.5 pt text, with the leading LibreOffice and Excel use
PADDING_POINTS = 6.0
MAX_ROW_POINTS = 409.0  # Excel's limit
MAX_LINES_PER_ROW = 24  # a narrative row stays well under MAX_ROW_POINTS


NARROW_UNITS = 1.1  # proportional Latin in a CJK font runs a little wider than a "0"
WIDE_UNITS = 2.0


@cache
def char_units(ch: str) -> float:
    """Characters of three or more UTF-8 bytes (CJK, full-width forms, “”…□☑) draw wide."""
    if ch == "\t":
        return 4.0
    return WIDE_UNITS if len(ch.encode("utf-8", "surrogatepass")) >= 3 else NARROW_UNITS


def text_units(text: str) -> float:
    """The sum of `char_units`, estimated from the UTF-8 length in one C call (fast)."""
    extra = len(text.encode("utf-8", "surrogatepass")) - len(text)  # ~2 per wide character
    return len(text) * NARROW_UNITS + extra * (WIDE_UNITS - NARROW_UNITS) / 2 + text.count("\t") * 3


def lines_needed(text: str, width_units: float) -> int:
    """Lines `text` wraps to in a column `width_units` wide (each paragraph at least one)."""
    usable = max(width_units - 1.5, 1.0)
    total = 0
    for para in text.split("\n"):
        total += max(1, math.ceil(text_units(para) / usable))
    return total


def row_points(lines: int) -> float:
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + PADDING_POINTS)


@dataclass
class _Row:
    kind: str  # "first", "new" (joined with a line break) or "same" (joined directly)
    parts: list[str] = field(default_factory=list)
    lines: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


def _paragraph_lines(para: str, usable: float) -> int:
    return max(1, math.ceil(text_units(para) / usable))


def _split_paragraph(para: str, width_units: float) -> list[tuple[str, int]]:
    """A paragraph as pieces that each fit one row, with the lines each needs."""
    usable = max(width_units - 1.5, 1.0)
    lines = _paragraph_lines(para, usable)
    if lines <= MAX_LINES_PER_ROW:
        return [(para, lines)]
    budget = usable * (MAX_LINES_PER_ROW - 1)
    pieces: list[str] = []
    start, used = 0, 0.0
    for i, ch in enumerate(para):
        w = char_units(ch)
        if used + w > budget and i > start:
            pieces.append(para[start:i])
            start, used = i, 0.0
        used += w
    pieces.append(para[start:])
    return [(p, _paragraph_lines(p, usable)) for p in pieces]


def split_rows(text: str, width_units: float) -> list[tuple[str, str, int]]:
    """Split a long text into printable rows: [(kind, text, lines)], kind as in `_Row`.

    Joining the texts again — a line break before "new", nothing before "same" — gives back
    `text` exactly.
    """
    usable = max(width_units - 1.5, 1.0)
    paragraphs = text.split("\n")
    # Widths of all paragraphs from one encode (a narrative has thousands of short ones).
    nbytes = [len(b) for b in text.encode("utf-8", "surrogatepass").split(b"\n")]
    extra = (WIDE_UNITS - NARROW_UNITS) / 2
    tabs = [p.count("\t") * 3 for p in paragraphs] if "\t" in text else [0] * len(paragraphs)
    counts = [
        max(1, math.ceil((len(p) * NARROW_UNITS + (b - len(p)) * extra + t) / usable))
        for p, b, t in zip(paragraphs, nbytes, tabs, strict=True)
    ]
    rows: list[_Row] = []
    current: _Row | None = None
    for para, lines in zip(paragraphs, counts, strict=True):
        if lines <= MAX_LINES_PER_ROW:
            if current is not None and current.lines + lines <= MAX_LINES_PER_ROW:
                current.parts.append(para)
                current.lines += lines
            else:
                current = _Row("new" if rows else "first", [para], lines)
                rows.append(current)
            continue
        for i, (piece, n) in enumerate(_split_paragraph(para, width_units)):
            if i == 0 and current is not None and current.lines + n <= MAX_LINES_PER_ROW:
                current.parts.append(piece)
                current.lines += n
            else:
                current = _Row("same" if i > 0 else ("new" if rows else "first"), [piece], n)
                rows.append(current)
    return [(r.kind, r.text, r.lines) for r in rows]


def join_rows(rows: Sequence[tuple[str, str]]) -> str:
    """Inverse of `split_rows`."""
    parts: list[str] = []
    for i, (kind, text) in enumerate(rows):
        if i > 0 and kind != "same":
            parts.append("\n")
        parts.append(text)
    return "".join(parts)
