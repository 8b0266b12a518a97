"""How much room wrapped text needs in a cell, so nothing prints cut off.

openpyxl writes no row heights and spreadsheets do not grow rows for wrapped text on their
own when printing, so the exporter estimates them. Widths are in Excel's column units (the
width of a "0"); a CJK character in a 10.5 pt font takes about two of them.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache
from itertools import accumulate

LINE_POINTS = 14.0  # 10.5 pt text: Gnumeric spaces lines 13.5 pt, LibreOffice ~12.2, Excel ~13.5
PADDING_POINTS = 3.0
MAX_ROW_POINTS = 409.0  # Excel's limit
MAX_LINES_PER_ROW = 24  # a narrative row stays well under MAX_ROW_POINTS


NARROW_UNITS = 1.2  # proportional Latin in a CJK font runs wider than a "0" of the default font
WIDE_UNITS = 2.2  # 10.5 pt CJK: 2.0 units in Excel, 2.17 in Gnumeric (narrower units)


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


def _paragraph_counts(text: str, paragraphs: list[str], usable: float) -> list[int]:
    """`lines_needed` of every paragraph, from one encode (a narrative has thousands)."""
    nbytes = map(len, text.encode("utf-8", "surrogatepass").split(b"\n"))
    extra = (WIDE_UNITS - NARROW_UNITS) / 2
    ceil = math.ceil
    if "\t" in text:
        return [
            max(
                1, ceil((len(p) * NARROW_UNITS + (b - len(p)) * extra + p.count("\t") * 3) / usable)
            )
            for p, b in zip(paragraphs, nbytes, strict=True)
        ]
    # A paragraph of at most `one_line` UTF-8 bytes fits one line (a byte never draws wider
    # than NARROW_UNITS), which settles most paragraphs without the arithmetic.
    one_line = int(usable / NARROW_UNITS) - 1  # a byte short, against rounding at the edge
    return [
        1
        if b <= one_line
        else max(1, ceil((len(p) * NARROW_UNITS + (b - len(p)) * extra) / usable))
        for p, b in zip(paragraphs, nbytes, strict=True)
    ]


def split_rows(text: str, width_units: float) -> list[tuple[str, str, int]]:
    """Split a long text into printable rows: [(kind, text, lines)].

    kind is "first", "new" (joined to the row above with a line break) or "same" (joined
    directly: a paragraph too long for one row continues). Joining the texts again — a line
    break before "new", nothing before "same" — gives back `text` exactly.
    """
    usable = max(width_units - 1.5, 1.0)
    paragraphs = text.split("\n")
    counts = _paragraph_counts(text, paragraphs, usable)
    limit = MAX_LINES_PER_ROW
    # Rows fill greedily; a run of paragraphs that each fit a row is taken in one step by a
    # binary search over the running line count (a narrative has thousands of paragraphs and
    # only a few hundred rows). A paragraph too long for a row is cut into pieces.
    total = list(accumulate(counts, initial=0))
    stops = [i for i, n in enumerate(counts) if n > limit] if max(counts) > limit else []
    stops.append(len(paragraphs))
    rows: list[tuple[str, str, int]] = []
    parts: list[str] = []  # the row being filled
    kind, lines = "first", 0
    i = s = 0
    while i < len(paragraphs):
        if i == stops[s]:
            for k, (piece, m) in enumerate(_split_paragraph(paragraphs[i], width_units)):
                if k == 0 and lines + m <= limit:
                    parts.append(piece)
                    lines += m
                else:
                    if parts:
                        rows.append((kind, "\n".join(parts), lines))
                    kind = "same" if k else ("new" if i else "first")
                    parts, lines = [piece], m
            i, s = i + 1, s + 1
            continue
        j = bisect_right(total, total[i] + limit - lines, i, stops[s] + 1) - 1
        if j > i:
            parts += paragraphs[i:j]
            lines += total[j] - total[i]
            i = j
        else:  # paragraph i does not fit the row being filled
            rows.append((kind, "\n".join(parts), lines))
            kind, parts, lines = "new", [], 0
    rows.append((kind, "\n".join(parts), lines))
    return rows


def join_rows(rows: Sequence[tuple[str, str]]) -> str:
    """Inverse of `split_rows`."""
    parts: list[str] = []
    for i, (kind, text) in enumerate(rows):
        if i > 0 and kind != "same":
            parts.append("\n")
        parts.append(text)
    return "".join(parts)
