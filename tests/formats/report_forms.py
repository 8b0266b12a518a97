"""The .docx and .pdf forms of a plain-text report, made the way a company's own tools would.

Word: one paragraph per line of the text (optionally numbered headings given a heading style).
PDF: ReportLab with the bundled Noto Serif SC, justified paragraphs wrapped by ReportLab itself,
so sentences break across lines and pages, with a running header and page numbers."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
FONT = ROOT / "resources" / "fonts" / "NotoSerifSC-Regular.ttf"
_STYLED = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def lines_of(txt: Path) -> list[str]:
    return [ln for ln in txt.read_text(encoding="utf-8").splitlines() if ln.strip()]


def make_docx(txt: Path, dest: Path, styled_headings: bool = False) -> Path:
    import docx

    document = docx.Document()
    for line in lines_of(txt):
        m = _STYLED.match(line) if styled_headings else None
        if m and len(line) < 40:
            level = 1 if line[0] != "（" else 2
            document.add_heading(line, level=level)
        else:
            document.add_paragraph(line)
    document.save(str(dest))
    return dest


def make_pdf(txt: Path, dest: Path, header: str = "", repeat: int = 1) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if "ReportSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("ReportSerif", str(FONT)))
    body = ParagraphStyle(
        "body",
        fontName="ReportSerif",
        fontSize=10.5,
        leading=17,
        wordWrap="CJK",
        spaceBefore=7,
        alignment=4,
    )

    def decorate(canvas, doc) -> None:
        canvas.setFont("ReportSerif", 8)
        if header:
            canvas.drawString(72, A4[1] - 40, header)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    story = [
        Paragraph(escape(line).replace("\t", "&nbsp;&nbsp;&nbsp;&nbsp;"), body)
        for _ in range(repeat)
        for line in lines_of(txt)
    ]
    doc = SimpleDocTemplate(str(dest), pagesize=A4, title=txt.stem)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return dest
