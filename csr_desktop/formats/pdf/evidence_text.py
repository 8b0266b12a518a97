"""A Word or Excel evidence file's text and tables as ReportLab flowables, in the document's font.

Readable rather than faithful: headings a size larger, paragraphs as they come, tables with
wrapped cells, a grid and the first row repeated on every page. Long tables are laid out in
slices (ReportLab's cost of splitting one table grows with its length).
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from csr_desktop.formats.evidence.text import (
    CAP_NOTE,
    MAX_COLUMNS,
    Block,
    EvidenceText,
    Heading,
    Paragraph,
    column_widths,
)
from csr_desktop.formats.evidence.text import Table as TextTable
from csr_desktop.formats.pdf.fonts import markup, runs
from csr_desktop.formats.pdf.line_breaking import CjkParagraph
from csr_desktop.formats.pdf.styles import GREY

ROWS_PER_SLICE = 60
PADDING = 2.5
MIN_COLUMN = 14 * mm


@cache
def _styles(base: ParagraphStyle) -> dict[str, ParagraphStyle]:
    """Styles cloned from the document's cell style, so the font is the document's own."""
    return {
        "intro": base.clone("ev_intro", fontSize=10.5, leading=15, textColor=GREY, spaceAfter=4),
        "h1": base.clone("ev_h1", fontSize=13, leading=19, spaceBefore=6),
        "h2": base.clone("ev_h2", fontSize=12, leading=18, spaceBefore=4),
        "h3": base.clone("ev_h3", fontSize=11, leading=17, spaceBefore=2),
        "p": base.clone("ev_p", fontSize=11, leading=17, firstLineIndent=22, spaceAfter=2),
        "note": base.clone("ev_note", fontSize=10.5, leading=15, textColor=GREY, spaceBefore=4),
        **{
            f"cell{size}": base.clone(f"ev_cell{size}", fontSize=size, leading=size * 1.3)
            for size in (7, 8, 9)
        },
    }


def evidence_text_flowables(
    content: EvidenceText, file_name: str, cell_style: ParagraphStyle, width: float
) -> list[Flowable]:
    """The intro line (or the reason the content is not shown), then the content, capped."""
    st = _styles(cell_style)
    story: list[Flowable] = [CjkParagraph(markup(content.intro(file_name)), st["intro"])]
    if content.reason:
        return story
    after_heading = False
    for n, block in enumerate(content.blocks):
        if isinstance(block, Heading):
            if not after_heading:
                story.append(CondPageBreak(_heading_room(content.blocks[n:], st)))
            story.append(CjkParagraph(markup(block.text), _heading_style(block, st)))
        elif isinstance(block, Paragraph):
            story.append(CjkParagraph(markup(block.text), st["p"]))
        else:
            story += _table(block, st, width)
        after_heading = isinstance(block, Heading)
    if content.truncated:
        story.append(CjkParagraph(markup(CAP_NOTE), st["note"]))
    return story


def _heading_style(block: Heading, st: dict[str, ParagraphStyle]) -> ParagraphStyle:
    return st[f"h{min(block.level, 3)}"]


def _heading_room(blocks: tuple[Block, ...], st: dict[str, ParagraphStyle]) -> float:
    """Room for a run of headings (two lines each) and three lines of what they head: they
    start a new page without it. Not keepWithNext, which moves a heading together with a whole
    page-long paragraph and leaves a gap behind."""
    room = 3 * st["p"].leading
    for block in blocks:
        if not isinstance(block, Heading):
            break
        style = _heading_style(block, st)
        room += style.spaceBefore + 2 * style.leading
    return float(room)


def is_heading(flowable: Flowable) -> bool:
    """Whether `flowable` is one of the file's headings (not its paragraphs or notes)."""
    return str(getattr(getattr(flowable, "style", None), "name", "")).startswith("ev_h")


def _table(block: TextTable, st: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    columns = len(block.rows[0])
    size = 9 if columns <= 5 else 8 if columns <= 9 else 7
    style = st[f"cell{size}"]
    widths = column_widths(block.rows, width, size, 6, MIN_COLUMN)
    rooms = [w - 2 * PADDING for w in widths]
    cells = [
        [_cell(text, style, room) for text, room in zip(row, rooms, strict=True)]
        for row in block.rows
    ]
    story: list[Flowable] = [Spacer(0, 2)]
    for start in range(1, max(len(cells), 2), ROWS_PER_SLICE):
        rows = [cells[0], *cells[start : start + ROWS_PER_SLICE]]
        table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, "black"),
                    ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), style.fontName),
                    ("FONTSIZE", (0, 0), (-1, -1), style.fontSize),
                    ("LEADING", (0, 0), (-1, -1), style.leading),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                    ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                ]
            )
        )
        story.append(table)
    if block.columns_cut:
        story.append(
            CjkParagraph(
                markup(f"（此表超过 {MAX_COLUMNS} 列，仅显示前 {MAX_COLUMNS} 列，其余见原件）"),
                st["note"],
            )
        )
    story.append(Spacer(0, 4))
    return story


def _cell(text: str, style: ParagraphStyle, room: float) -> str | Flowable:
    """A one-line cell in the main face as plain text (ten times cheaper to lay out than a
    paragraph: a 2,000-row table took 4 s); anything else as a wrapped paragraph."""
    if "\n" not in text and stringWidth(text, style.fontName, style.fontSize) <= room:
        pieces = list(runs(text))
        if not pieces or (len(pieces) == 1 and pieces[0][0] == style.fontName):
            return text
    return CjkParagraph(markup(text), style)
