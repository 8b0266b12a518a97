"""Page geometry, paragraph styles and the small flowables shared by the letter and the document.

Every style names the embedded font explicitly: a style left on ReportLab's default would pull in
Helvetica, which is never embedded.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from reportlab.lib.colors import Color, black
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from csr_desktop.formats.outline import DRAFT_NOTE
from csr_desktop.formats.pdf.fonts import HEI, KAI, MAIN, TITLE, font_chain, runs

# GB/T 9704 (党政机关公文格式) margins: a 156 × 225 mm text block on A4.
PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGINS = {"top": 37 * mm, "bottom": 35 * mm, "left": 28 * mm, "right": 26 * mm}
LANDSCAPE_MARGINS = {"top": 22 * mm, "bottom": 22 * mm, "left": 20 * mm, "right": 20 * mm}
FOOTER_Y = 18 * mm
GREY = Color(0.35, 0.35, 0.35)
DRAFT_RED = Color(0.75, 0.1, 0.1)

LETTER_SIZE = 16.0  # 三号: the size of a 公文 body
BODY_SIZE = 14.0  # 四号: narratives in the long document
TABLE_SIZE = 10.5  # 五号
TITLE_SIZE = 22.0  # 二号
PAGE_NUMBER_SIZE = 14.0  # 四号: a 公文's page numbers


@dataclass(frozen=True)
class Styles:
    """Every paragraph style the PDFs use: the Song face, but 黑体 for heading1 and 楷体 for
    heading2, as a 公文's 一级 and 二级 headings (GB/T 9704)."""

    letter_body: ParagraphStyle
    body: ParagraphStyle
    item: ParagraphStyle
    note: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle
    signature: ParagraphStyle
    cover_label: ParagraphStyle
    cover_value: ParagraphStyle
    attachment: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    caption: ParagraphStyle
    departures: ParagraphStyle


def _style(name: str, size: float, leading: float, font: str = MAIN, **kw: Any) -> ParagraphStyle:
    kw.setdefault("textColor", black)
    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=leading,
        wordWrap="CJK",
        bulletFontName=MAIN,
        **kw,
    )


@cache
def make_styles() -> Styles:
    """Built once per process; shared, so callers `clone()` a style rather than change it."""
    font_chain()  # the fonts must be registered before a style can measure text
    return Styles(
        letter_body=_style(
            "letter_body", LETTER_SIZE, 29, firstLineIndent=2 * LETTER_SIZE, alignment=TA_LEFT
        ),
        body=_style("body", BODY_SIZE, 24, firstLineIndent=2 * BODY_SIZE, alignment=TA_LEFT),
        item=_style("item", BODY_SIZE, 22, alignment=TA_LEFT, spaceBefore=4, keepWithNext=1),
        note=_style("note", 11, 16, alignment=TA_LEFT, textColor=GREY),
        heading1=_style("heading1", 16, 26, HEI, spaceBefore=6, spaceAfter=8, keepWithNext=1),
        heading2=_style(
            "heading2", BODY_SIZE, 23, KAI, spaceBefore=14, spaceAfter=6, keepWithNext=1
        ),
        heading3=_style("heading3", BODY_SIZE, 23, spaceBefore=8, spaceAfter=4, keepWithNext=1),
        signature=_style("signature", LETTER_SIZE, 24, spaceBefore=10, alignment=TA_LEFT),
        cover_label=_style("cover_label", 16, 22, alignment=TA_RIGHT),
        cover_value=_style("cover_value", 16, 22, alignment=TA_LEFT),
        attachment=_style("attachment", 16, 22, alignment=TA_LEFT),
        cell=_style("cell", TABLE_SIZE, 14.5, alignment=TA_LEFT),
        cell_center=_style("cell_center", TABLE_SIZE, 14.5, alignment=TA_CENTER),
        caption=_style("caption", 9, 12, alignment=TA_LEFT, textColor=GREY),
        departures=_style("departures", 9, 12.5, alignment=TA_LEFT, spaceBefore=4),
    )


class TitleLine(Flowable):  # type: ignore[misc]
    """A centred title line in the 小标宋 stand-in (a real Bold weight, not stroked outlines),
    shrunk to fit the line rather than wrapped."""

    def __init__(self, text: str, size: float = TITLE_SIZE, space_after: float = 8) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.space_after = space_after
        chain = font_chain()
        self._runs = list(runs(text, chain, base=TITLE))

    def _width(self) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return float(sum(stringWidth(piece, font, self.size) for font, piece in self._runs))

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._avail = aw
        return aw, self.size * 1.45 + self.space_after

    def draw(self) -> None:
        canv = self.canv
        width = self._width()
        scale = min(1.0, self._avail / width) if width else 1.0
        canv.saveState()
        text = canv.beginText()
        text.setTextOrigin((self._avail - width * scale) / 2, self.space_after + self.size * 0.35)
        for font, piece in self._runs:
            text.setFont(font, self.size * scale)
            text.textOut(piece)
        canv.drawText(text)
        canv.restoreState()


class Outline(Flowable):  # type: ignore[misc]
    """A bookmark in the PDF's outline, placed where the next flowable starts."""

    def __init__(self, title: str, level: int, key: str) -> None:
        super().__init__()
        self.title = title
        self.level = level
        self.key = key
        self.keepWithNext = 1

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        canv = self.canv
        _, top = canv.absolutePosition(0, 0)
        canv.bookmarkPage(self.key, fit="XYZ", left=0, top=top + 20, zoom=0)
        canv.addOutlineEntry(self.title, self.key, level=self.level, closed=self.level >= 1)


class FooterCanvasMixin:
    """Numbers pages "— N —" at the outer edge; drafts say 草稿 in the footer."""

    draft = False
    numbered = True
    bare: frozenset[int] | set[int] = frozenset()  # pages without a footer (stamped scans)
    page_states: list[dict[str, Any]]

    def init_pages(self) -> None:
        self.page_states = []

    def showPage(self) -> None:
        self.page_states.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]

    def bookmarkPage(self, key: str, **kw: Any) -> Any:
        """Bind the bookmark to the page being drawn, not to the document's page counter, which
        stands still at 1 while pages are held back for the total."""
        from reportlab.pdfbase.pdfdoc import PDFObjectReference

        dest = super().bookmarkPage(key, **kw)  # type: ignore[misc]
        dest.setPage(PDFObjectReference(f"Page{len(self.page_states) + 1}"))
        return dest

    def save(self) -> None:
        total = len(self.page_states)
        for number, state in enumerate(self.page_states, start=1):
            self.__dict__.update(state)
            if number not in self.bare:
                self.draw_footer(number, total)
            super().showPage()  # type: ignore[misc]
        super().save()  # type: ignore[misc]

    def draw_footer(self, number: int, total: int) -> None:
        """The page number as a 公文 prints it (GB/T 9704): "— N —" in 四号, one character in
        from the text block's outer edge (right on odd pages, left on even), none on the
        cover (page 1)."""
        canv: Any = self
        width, height = canv._pagesize
        landscape_page = width > height
        canv.saveState()
        canv.setFont(MAIN, PAGE_NUMBER_SIZE)
        canv.setFillColor(black)
        if self.numbered and number > 1:
            text = f"— {number} —"
            margins = LANDSCAPE_MARGINS if landscape_page else MARGINS
            if number % 2:
                canv.drawRightString(width - margins["right"] - PAGE_NUMBER_SIZE, FOOTER_Y, text)
            else:
                canv.drawString(margins["left"] + PAGE_NUMBER_SIZE, FOOTER_Y, text)
        canv.setFont(MAIN, 10.5)
        if self.draft:
            # Below the number on a landscape page: above it would touch the table's border.
            y = FOOTER_Y - 13 if landscape_page else FOOTER_Y + 15
            canv.setFillColor(DRAFT_RED)
            canv.drawCentredString(width / 2, y, DRAFT_NOTE)
        canv.restoreState()


def canvas_class(draft: bool, bare: set[int] | None = None, numbered: bool = True) -> type:
    """A ReportLab canvas class that adds the footer to every page but those in `bare`
    (filled in during layout); `numbered=False` prints no page number at all (the letter to
    sign, whose scan would carry it), only the draft note of a draft."""
    skip = bare if bare is not None else set()
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(FooterCanvasMixin, Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kw: Any) -> None:
            kw["initialFontName"] = MAIN  # else every page preamble names Helvetica
            Canvas.__init__(self, *args, **kw)
            self.draft = draft
            self.bare = skip
            self.numbered = numbered
            self.init_pages()
            self.setFont(MAIN, 10.5)

    return NumberedCanvas
