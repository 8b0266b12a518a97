"""A Word or Excel evidence file's text and tables in the Word version, as python-docx content.

Paragraphs and tables an office can keep editing: every run names its East-Asian face (as the
rest of the document does), tables are fixed-width grids whose first row repeats on every
page. Rows are written as XML directly: python-docx's cell API walks the whole grid per cell,
which for 2,000 rows takes minutes.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from csr_desktop.formats.evidence.text import (
    CAP_NOTE,
    MAX_COLUMNS,
    EvidenceText,
    Heading,
    Paragraph,
    column_widths,
)
from csr_desktop.formats.evidence.text import Table as TextTable

LATIN = "Times New Roman"
TWIPS_PER_MM = 1440 / 25.4
MIN_COLUMN_MM = 14.0


def add_evidence_text(
    doc: Any, content: EvidenceText, file_name: str, width_mm: float, east_asia: str = "宋体"
) -> None:
    """Append the intro line (or the reason the content is not shown), then the content."""
    intro = _para(doc, content.intro(file_name), east_asia, 10.5, grey=True)
    if content.reason:
        return
    intro.paragraph_format.keep_with_next = True  # with the start of the content
    for block in content.blocks:
        if isinstance(block, Heading):
            size = {1: 13.0, 2: 12.0}.get(block.level, 11.0)
            p = _para(doc, block.text, east_asia, size, bold=True)
            p.paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            p = _para(doc, block.text, east_asia, 11)
            p.paragraph_format.first_line_indent = Pt(22)
        else:
            _table(doc, block, width_mm, east_asia)
    if content.truncated:
        _para(doc, CAP_NOTE, east_asia, 10.5, grey=True)


def _para(
    doc: Any, text: str, east_asia: str, size: float, bold: bool = False, grey: bool = False
) -> Any:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(2)
    for n, line in enumerate(text.split("\n")):
        if n:
            p.add_run().add_break()
        p._p.append(parse_xml(_run_xml(line, east_asia, size, bold, grey)))
    return p


def _run_xml(text: str, east_asia: str, size: float, bold: bool = False, grey: bool = False) -> str:
    half_points = round(size * 2)
    fonts = (
        f'<w:rFonts w:ascii="{LATIN}" w:hAnsi="{LATIN}" w:cs="{LATIN}" '
        f'w:eastAsia="{escape(east_asia)}"/>'
    )
    extra = ("<w:b/>" if bold else "") + ('<w:color w:val="595959"/>' if grey else "")
    return (
        f'<w:r {nsdecls("w")}><w:rPr>{fonts}{extra}<w:sz w:val="{half_points}"/>'
        f'<w:szCs w:val="{half_points}"/></w:rPr>'
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    )


def _table(doc: Any, block: TextTable, width_mm: float, east_asia: str) -> None:
    columns = len(block.rows[0])
    size = 9.0 if columns <= 5 else 8.0 if columns <= 9 else 7.0
    widths = [
        round(w * TWIPS_PER_MM)
        for w in column_widths(block.rows, width_mm, size * 25.4 / 72, 2.5, MIN_COLUMN_MM)
    ]
    table = doc.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    tbl = table._tbl
    tbl.tblPr.append(parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'))
    for col, width in zip(tbl.tblGrid.findall(_w("gridCol")), widths, strict=True):
        col.set(_w("w"), str(width))
    for index, row in enumerate(block.rows):
        tbl.append(parse_xml(_row_xml(row, widths, east_asia, size, header=index == 0)))
    if block.columns_cut:
        _para(
            doc,
            f"（此表超过 {MAX_COLUMNS} 列，仅显示前 {MAX_COLUMNS} 列，其余见原件）",
            east_asia,
            10.5,
        )
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)


def _row_xml(
    row: tuple[str, ...], widths: list[int], east_asia: str, size: float, header: bool
) -> str:
    props = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else ""
    cells = []
    for text, width in zip(row, widths, strict=True):
        shade = '<w:shd w:val="clear" w:color="auto" w:fill="EEEEEE"/>' if header else ""
        paragraphs = "".join(
            '<w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
            + _run_xml(line, east_asia, size, bold=header).replace(f" {nsdecls('w')}", "")
            + "</w:p>"
            for line in (text.split("\n") if text else [""])
        )
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>{paragraphs}</w:tc>'
        )
    return f"<w:tr {nsdecls('w')}>{props}{''.join(cells)}</w:tr>"


def _w(tag: str) -> str:
    return f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{tag}"
