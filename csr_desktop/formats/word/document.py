"""The complete 自评材料 as a Word document an office can keep editing.

It lays out the same outline as the PDF (`document_outline`): only the layout is Word's. The
自评表 is one table that Word and WPS paginate themselves (header row repeated, 一级/二级 merged
with w:vMerge, rows kept whole, a long 备注 continued in rows labelled （续）), so an edit that
lengthens a cell never pushes rows past a hard break. The styles carry their own fonts (Latin
and East-Asian, zh-CN) instead of the template's theme fonts, so text the office types or
re-styles stays in 宋体; the headings are the navigation pane: 承诺书, 自评表, 佐证材料 → 一级
→ 三级指标. Pictures are embedded; other files are named with their size and SHA-256.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from csr_desktop import __version__
from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.atomic import atomic_output, private_temp_dir
from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.core.room import evidence_bytes
from csr_desktop.core.scans import SCAN_TARGETS
from csr_desktop.core.store import Project
from csr_desktop.formats.evidence.files import Prepared, prepare_all, quiet_pypdf
from csr_desktop.formats.evidence.scan_files import project_scan
from csr_desktop.formats.outline import (
    CHECKED,
    DRAFT_NOTE,
    UNCHECKED,
    CoverNode,
    DocumentOutline,
    IndicatorNode,
    ItemNode,
    LetterNode,
    ScanNode,
    TableNode,
    TableRow,
    build_outline,
    clean_text,
    document_is_draft,
)
from csr_desktop.formats.progress import StepCounter
from csr_desktop.formats.word.evidence_text import add_evidence_text

Progress = Callable[[int, int], bool]
SONG = "宋体"
FANGSONG = "仿宋"  # body text of a 公文 (GB/T 9704), 三号
HEI = "黑体"  # first-level headings
KAI = "楷体"  # second-level headings
TITLE_FACES = ("方正小标宋简体", "方正小标宋_GBK")  # titles, when the PC has one of them
BODY_PT = 16.0  # 三号
BODY_PITCH = 29.0  # 225 mm / 22 lines: 28 字 × 22 行
PAGE_NUMBER_PT = 14.0  # 四号
LATIN = "Times New Roman"
SUBHEADING = "小节标题"  # （相关工作情况介绍） / 佐证材料具体内容：— bold, not in the navigation
# GB/T 9704 margins, as the PDF uses them.
PORTRAIT_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LANDSCAPE_MM = {"top": 22, "bottom": 22, "left": 20, "right": 20}
# 序号, 一级指标, 二级指标, 三级指标, 指标说明, 企业自评, 备注 (the PDF's widths, 257 mm)
COLUMN_MM = (11, 26, 32, 32, 66, 53, 37)
CATALOGUE_MM = (16, 90, 50)
TEXT_WIDTH_MM = 210 - PORTRAIT_MM["left"] - PORTRAIT_MM["right"]
PICTURE_HEIGHT_MM = 150
CELL_LEADING = 14.5  # the PDF's table leading, as exact line spacing: rows as tall in Word
REMARK_PIECE = 120  # characters of 备注 per row: rows short enough to fill pages well
LETTER_VALUE_COLUMN_MM = TEXT_WIDTH_MM - 78  # the signature values' column, as in the PDF
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def title_face() -> tuple[str, bool]:
    """The face for titles and whether to embolden it: 方正小标宋 when installed here (the
    office's own PC, which prints the file), else 宋体 bold as its stand-in."""
    import os

    folders = [Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"]
    folders.append(
        Path(os.environ.get("LOCALAPPDATA", "~")).expanduser() / "Microsoft/Windows/Fonts"
    )
    names = {"fzxbsjw.ttf", "fzxbsk.ttf", "方正小标宋简体.ttf", "方正小标宋_gbk.ttf"}
    for folder in folders:
        try:
            if any(f.name.casefold() in names for f in folder.iterdir()):
                return TITLE_FACES[0], False
        except OSError:
            continue
    return SONG, True


def xml_text(text: str) -> str:
    """User text as Word can hold it: the PDF's cleaning, then nothing XML 1.0 forbids."""
    return _XML_ILLEGAL.sub("", clean_text(text))


def _own_fonts(rpr: Any, east_asia: str) -> None:
    """Name the Latin and the East-Asian face in `rpr`, and no theme font: a theme font
    resolves through the template's theme (Calibri, ＭＳ ゴシック for ja-JP)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)


def _zh_cn(rpr: Any) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def set_fonts(run_or_style: Any, east_asia: str) -> None:
    """Name the Latin and the East-Asian face: without w:eastAsia, Word picks its own."""
    _own_fonts(run_or_style.element.get_or_add_rPr(), east_asia)


def app_properties(company: str) -> bytes:
    """docProps/app.xml naming this program, not the library template's "Microsoft Macintosh
    Word" and its word counts of an empty document."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>csr-desktop {escape(__version__)}</Application>"
        "<DocSecurity>0</DocSecurity>"
        f"<Company>{escape(xml_text(company))}</Company>"
        "</Properties>"
    ).encode()


class WordBuilder:
    """Writes the outline's sections, in its order, into one python-docx Document."""

    def __init__(self, outline: DocumentOutline, counter: StepCounter) -> None:
        self.outline = outline
        self.draft = outline.draft
        self.counter = counter
        self.doc: Any = Document()
        self.title = title_face()
        self._styles()
        self._properties()

    # ---- primitives -----------------------------------------------------------------------

    def _styles(self) -> None:
        """Every style names its own fonts and zh-CN; nothing refers to the theme's fonts."""
        styles = self.doc.styles
        root = styles.element
        defaults = root.find(qn("w:docDefaults"))
        if defaults is not None:
            for rpr in defaults.iter(qn("w:rPr")):
                _own_fonts(rpr, SONG)
                _zh_cn(rpr)
        for rfonts in root.iter(qn("w:rFonts")):
            if any(rfonts.get(qn(a)) is not None for a in _THEME_FONT_ATTRS):
                _own_fonts(rfonts.getparent(), SONG)
        normal = styles["Normal"]
        set_fonts(normal, FANGSONG)  # what the office types comes out as a 公文's body
        _zh_cn(normal.element.get_or_add_rPr())
        normal.font.size = Pt(BODY_PT)
        title, bold = self.title
        for level, face, size in ((1, title, 22), (2, HEI, BODY_PT), (3, KAI, BODY_PT)):
            style = styles[f"Heading {level}"]
            set_fonts(style, face)
            style.font.size = Pt(size)
            style.font.bold = bold if level == 1 else False
            style.font.italic = False
            style.font.color.rgb = None
            style.paragraph_format.space_before = Pt(10)
            style.paragraph_format.space_after = Pt(6)
            style.paragraph_format.keep_with_next = True
        sub = styles.add_style(SUBHEADING, WD_STYLE_TYPE.PARAGRAPH)
        sub.base_style = normal
        set_fonts(sub, FANGSONG)  # the 公文's third level: 仿宋, bold
        sub.font.size = Pt(BODY_PT)
        sub.font.bold = True
        sub.paragraph_format.space_before = Pt(8)
        sub.paragraph_format.space_after = Pt(4)
        sub.paragraph_format.keep_with_next = True

    def _properties(self) -> None:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
        core = self.doc.core_properties
        core.title = self.outline.title
        core.author = xml_text(self.outline.company)
        core.last_modified_by = xml_text(self.outline.company)
        core.subject = self.outline.title
        core.comments = f"csr-desktop {__version__}"
        core.keywords = ""
        core.category = ""
        core.language = "zh-CN"
        core.created = now
        core.modified = now
        for printed in core._element.xpath("./cp:lastPrinted"):
            core._element.remove(printed)  # the template's; this document was never printed
        core.revision = 1
        for part in self.doc.part.package.iter_parts():
            if str(part.partname) == "/docProps/app.xml":
                part._blob = app_properties(self.outline.company)

    def para(
        self,
        text: str = "",
        font: str = SONG,
        size: float = 12,
        align: Any = None,
        bold: bool = False,
        indent_chars: float = 0,
        style: str | None = None,
        container: Any = None,
    ) -> Any:
        target = container if container is not None else self.doc
        p = target.add_paragraph(style=style)
        if align is not None:
            p.alignment = align
        if indent_chars:
            p.paragraph_format.first_line_indent = Pt(size * indent_chars)
        if text:
            self.run(p, text, font, size, bold)
        return p

    def run(self, p: Any, text: str, font: str = SONG, size: float = 12, bold: bool = False) -> Any:
        r = p.add_run(xml_text(text))
        set_fonts(r, font)
        r.font.size = Pt(size)
        r.font.bold = bold or None
        return r

    def page_break(self) -> None:
        """A break in a one-point paragraph: after a full page it cannot spill onto a page
        of its own."""
        p = self.doc.add_paragraph()
        p.paragraph_format.space_before = Pt(0)
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing = Pt(1)
        run = p.add_run()
        run.font.size = Pt(1)
        run.add_break(WD_BREAK.PAGE)

    def _margins(self, section: Any, margins: dict[str, int]) -> None:
        section.top_margin = Mm(margins["top"])
        section.bottom_margin = Mm(margins["bottom"])
        section.left_margin = Mm(margins["left"])
        section.right_margin = Mm(margins["right"])
        section.footer_distance = Mm(12)

    def _section(
        self, section: Any, landscape: bool, footer: bool = True, cover: bool = False
    ) -> None:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (
            (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        )
        self._margins(section, LANDSCAPE_MM if landscape else PORTRAIT_MM)
        self._footer(section, footer, cover)

    def _footer(self, section: Any, numbered: bool, cover: bool = False) -> None:
        """Page numbers as a 公文 prints them (GB/T 9704): "— N —" in 四号, one character in
        from the outer edge — right on odd pages, left on even (Word and LibreOffice fill the
        PAGE field in) — none on the cover; 草稿 on drafts. A stamped scan's section has an
        empty footer: nothing is printed over the scan."""
        section.different_first_page_header_footer = cover
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.text = ""
            if not numbered:
                continue
            if self.draft:
                self.run(p, DRAFT_NOTE + "  ", SONG, 9)
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
            indent = Pt(PAGE_NUMBER_PT)
            if odd:
                p.paragraph_format.right_indent = indent
            else:
                p.paragraph_format.left_indent = indent
            self.run(p, "— ", SONG, PAGE_NUMBER_PT)
            _field(p, "PAGE")
            self.run(p, " —", SONG, PAGE_NUMBER_PT)
        if cover:
            first = section.first_page_footer
            first.is_linked_to_previous = False
            first.paragraphs[0].text = ""
            if self.draft:
                self.run(first.paragraphs[0], DRAFT_NOTE, SONG, 9)

    def picture(self, prepared: Prepared, width_mm: float, height_mm: float, p: Any) -> None:
        px_w, px_h = prepared.pixels
        natural = 25.4 / 150  # mm per pixel at 150 dpi; never blown up past 1.5×
        scale = min(width_mm / px_w, height_mm / px_h, natural * 1.5)
        p.add_run().add_picture(str(prepared.path), width=Mm(px_w * scale), height=Mm(px_h * scale))

    # ---- the document ---------------------------------------------------------------------

    def build(self) -> Any:
        doc = self.outline
        first = self.doc.sections[0]
        cover, letter = self._scan("cover"), self._scan("letter")
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._section(first, landscape=False, footer=cover is None, cover=cover is None)
        if cover is not None:
            self.scan_page(*cover)
        else:
            self.cover(doc.cover)
        if cover is not None or letter is not None:
            # The scan's page gets a section of its own: a footer-less one for the scan.
            section = self.doc.add_section(WD_SECTION.NEW_PAGE)
            self._section(section, landscape=False, footer=letter is None)
        else:
            self.page_break()
        if letter is not None:
            self.scan_page(*letter)
        else:
            self.letter(doc.letter)
        self._section(self.doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        self.table(doc.table)
        self._section(self.doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
        self.evidence()
        return self.doc

    def _scan(self, target: str) -> tuple[ScanNode, Prepared] | None:
        """The scan and the picture Word shows of it (a scanned PDF: the picture it holds);
        None: the generated page is printed."""
        node = self.outline.scans.get(target)
        if node is None:
            return None
        prepared = node.prepared
        picture = prepared if prepared.kind == "image" else _pdf_scan_picture(prepared)
        return None if picture is None else (node, picture)

    def scan_page(self, node: ScanNode, picture: Prepared) -> None:
        """The stamped scan as a full-page picture, in place of the generated page, with no
        label over it; a note under it only when the fields changed after the scan."""
        p = self.para(align=WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.space_after = Pt(0)
        self.picture(picture, TEXT_WIDTH_MM, 297 - 37 - 35 - 10, p)
        if node.changed_note:
            note = self.para(node.changed_note, SONG, 9)
            note.runs[0].font.color.rgb = _red()

    def cover(self, node: CoverNode) -> None:
        self.para(node.attachment_label, SONG, 16)
        for _ in range(4):
            self.para()
        for line in node.title_lines:
            self.para(line, SONG, 26, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        for _ in range(5):
            self.para()
        table = self.doc.add_table(rows=len(node.fields), cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _fixed(table, (62, 94))
        for row, (label_text, value) in zip(table.rows, node.fields, strict=True):
            _widths(row.cells, (62, 94))
            label = row.cells[0].paragraphs[0]
            label.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self.run(label, f"{label_text}：", SONG, 16)
            self.run(row.cells[1].paragraphs[0], value, SONG, 16)
            _border(row.cells[1], "bottom")
            row.height = Mm(12)

    def letter(self, node: LetterNode) -> None:
        for n, line in enumerate(node.title_lines):
            style = "Heading 1" if n == 0 else None  # the letter in the navigation pane
            self.para(
                line, self.title[0], 22, WD_ALIGN_PARAGRAPH.CENTER, self.title[1], style=style
            )
        self.para()
        for para in node.body:
            p = self.para(para, FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
            p.paragraph_format.line_spacing = Pt(BODY_PITCH)
        for _ in range(3):
            self.para()  # room for the seal
        for name, value in node.fields:
            # As the PDF: the colons in one column, a long name wrapping under the value.
            label = f"{name}："
            p = self.para(label + (value or "　" * 10), FANGSONG, 16)
            p.paragraph_format.left_indent = Mm(LETTER_VALUE_COLUMN_MM)
            p.paragraph_format.first_line_indent = -Pt(16 * len(label))
            p.paragraph_format.space_before = Pt(8)

    def table(self, node: TableNode) -> None:
        """One table Word paginates: the header row repeated on every page, rows kept whole
        (a long 备注 goes on in rows labelled （续）), 一级/二级 merged down their rows."""
        face, bold = self.title
        self.para(node.title, face, 18, WD_ALIGN_PARAGRAPH.CENTER, bold, style="Heading 1")
        rows: list[tuple[TableRow, str, int]] = []  # (indicator, 备注 piece, piece number)
        for ind in node.rows:
            for n, piece in enumerate(_pieces(ind.remark, REMARK_PIECE)):
                rows.append((ind, piece, n))
        table = self.doc.add_table(rows=1 + len(rows), cols=len(COLUMN_MM))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0]
        _repeat_header(header)
        _cant_split(header)
        for cell, text in zip(header.cells, node.headers, strict=True):
            self._cell(cell, text, bold=True, center=True)
        for row, (ind, piece, n) in zip(table.rows[1:], rows, strict=True):
            _cant_split(row)
            cells = row.cells
            if n == 0:
                self._cell(cells[0], str(ind.no), center=True)
                self._cell(cells[3], ind.name)
                self._cell(cells[4], ind.description)
                lines = [text + (CHECKED if chosen else UNCHECKED) for text, chosen in ind.options]
                self._cell(cells[5], "\n".join(lines))
            else:
                self._cell(cells[0], f"{ind.no}\n（续）", center=True)
                self._cell(cells[3], ind.name)
                self._cell(cells[4], "（见上行）", center=True)
                self._cell(cells[5], "（见上行）", center=True)
            self._cell(cells[6], piece)
        _fixed(table, COLUMN_MM)
        for row in table.rows:
            _widths(row.cells, COLUMN_MM)
        keys = [(ind.level1,) for ind, _, _ in rows]
        self._merge(table, 1, keys, [ind.level1 for ind, _, _ in rows])
        keys2 = [(ind.level1, ind.level2) for ind, _, _ in rows]
        self._merge(table, 2, keys2, [ind.level2 for ind, _, _ in rows])
        if node.departures:
            note = self.para(node.departures, SONG, 9)
            note.paragraph_format.space_before = Pt(4)

    def _merge(
        self, table: Any, col: int, keys: Sequence[tuple[str, ...]], names: list[str]
    ) -> None:
        """Equal consecutive group names in one cell: w:vMerge restart, then continue."""
        start = 0
        while start < len(keys):
            end = start
            while end + 1 < len(keys) and keys[end + 1] == keys[start]:
                end += 1
            top = table.cell(start + 1, col)
            if end > start:
                top = top.merge(table.cell(end + 1, col))
                for p in top.paragraphs[1:]:
                    p._element.getparent().remove(p._element)
            self._cell(top, names[start], center=True)
            start = end + 1

    def _cell(
        self,
        cell: Any,
        text: str,
        bold: bool = False,
        center: bool = False,
        clear: bool = True,
        size: float = 10.5,
    ) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        lines = xml_text(text).split("\n") if text else [""]
        first = cell.paragraphs[0]
        if clear:
            for r in list(first.runs):
                r._element.getparent().remove(r._element)
        for n, line in enumerate(lines):
            p = first if n == 0 else cell.add_paragraph()
            if center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.line_spacing = Pt(CELL_LEADING)  # exact: rows as tall as the PDF's
            if line:
                self.run(p, line, SONG, size, bold)

    def evidence(self) -> None:
        node = self.outline.evidence
        self.para(node.title, self.title[0], 22, bold=self.title[1], style="Heading 1")
        for number, level in enumerate(node.levels):
            if number:
                self.page_break()
            self.para(level.heading, HEI, BODY_PT, style="Heading 2")
            for ind in level.indicators:
                self.indicator(ind)
                self.counter.step()

    def indicator(self, ind: IndicatorNode) -> None:
        self.para(ind.heading, KAI, BODY_PT, style="Heading 3")
        self.para(ind.narrative_heading, FANGSONG, BODY_PT, bold=True, style=SUBHEADING)
        for text in ind.narrative or ("（未填写）",):
            # Left-aligned: justified CJK lines holding a long Latin word stretch wide.
            p = self.para(text, FANGSONG, BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, indent_chars=2)
            p.paragraph_format.line_spacing = Pt(BODY_PITCH)
        title = self.para(ind.catalogue_title, HEI, 14, WD_ALIGN_PARAGRAPH.CENTER)
        title.paragraph_format.keep_with_next = True
        self.catalogue(ind)
        self.para(ind.content_heading, FANGSONG, BODY_PT, bold=True, style=SUBHEADING)
        if not ind.items:
            self.para("（无）", SONG, 11)
        for item in ind.items:
            self.content(item)

    def catalogue(self, ind: IndicatorNode) -> None:
        rows = ind.catalogue or (("", "（无）", ""),)
        table = self.doc.add_table(rows=1 + len(rows), cols=len(ind.catalogue_headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _repeat_header(table.rows[0])
        for cell, text in zip(table.rows[0].cells, ind.catalogue_headers, strict=True):
            self._cell(cell, text, bold=True, center=True)
        for row, (pos, name, remark) in zip(table.rows[1:], rows, strict=True):
            _cant_split(row)
            self._cell(row.cells[0], pos, center=True)
            self._cell(row.cells[1], name)
            self._cell(row.cells[2], remark)
        _fixed(table, CATALOGUE_MM)
        for row in table.rows:
            _widths(row.cells, CATALOGUE_MM)

    def content(self, item: ItemNode) -> None:
        p = self.para(item.heading, FANGSONG, BODY_PT, bold=True)
        p.paragraph_format.keep_with_next = True
        prepared = item.prepared
        lines = list(item.lines)
        if prepared is not None and prepared.kind == "pdf":
            lines.insert(2, f"PDF 文件，共 {prepared.pages} 页（原件见提交材料包）")
        # The header stays with a picture, or with a Word/Excel file's intro line.
        follows = prepared is not None and (prepared.kind == "image" or prepared.text is not None)
        for n, line in enumerate(lines):
            note = self.para(line, SONG, 10.5)
            note.paragraph_format.space_after = Pt(0)
            note.paragraph_format.keep_with_next = follows or n + 1 < len(lines)
        if prepared is not None and prepared.kind == "image":
            p = self.para(align=WD_ALIGN_PARAGRAPH.CENTER)
            self.picture(prepared, TEXT_WIDTH_MM, PICTURE_HEIGHT_MM, p)
        if prepared is not None and prepared.text is not None:  # Word/Excel content (#26)
            name = item.file_name or item.name
            add_evidence_text(self.doc, prepared.text, name, TEXT_WIDTH_MM, SONG)


def _pieces(text: str, size: int) -> list[str]:
    """A 备注 in pieces of about `size` characters, cut after a sentence or line where one is
    near, so each table row fits a page and Word never splits a row."""
    text = xml_text(text)
    pieces: list[str] = []
    while len(text) > size:
        cut = max(text.rfind(mark, size // 2, size) for mark in ("\n", "。", "；", "，"))
        cut = cut + 1 if cut > 0 else size
        pieces.append(text[:cut].rstrip("\n"))
        text = text[cut:].lstrip("\n")
    return [*pieces, text]


def _red() -> Any:
    from docx.shared import RGBColor

    return RGBColor(0xBF, 0x1A, 0x1A)


def _field(p: Any, code: str) -> None:
    """A simple Word field (PAGE) in the paragraph, in the page number's font and size."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), SONG)
    rpr.append(fonts)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(PAGE_NUMBER_PT * 2)))
    rpr.append(size)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    p._p.append(fld)


def _widths(cells: Any, widths_mm: tuple[int, ...]) -> None:
    for cell, width in zip(cells, widths_mm, strict=False):
        cell.width = Mm(width)


def _fixed(table: Any, widths_mm: tuple[int, ...]) -> None:
    """Fixed column widths in the grid too: LibreOffice lays a table out by w:gridCol."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    margins = OxmlElement("w:tblCellMar")  # 3 pt each side, as the PDF pads its cells
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "60")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


def _repeat_header(row: Any) -> None:
    """The header row is printed again at the top of every page the table continues on."""
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cant_split(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _border(cell: Any, side: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), "6")
    el.set(qn("w:color"), "000000")
    borders.append(el)
    tcpr.append(borders)


def _pdf_scan_picture(prepared: Prepared) -> Prepared | None:
    """The picture a scanner put on the first page of a scanned PDF, written out as a file."""
    if prepared.kind != "pdf" or prepared.reader is None or prepared.path is None:
        return None
    from PIL import Image

    try:
        with quiet_pypdf():
            images = list(prepared.reader.pages[0].images)
            if len(images) != 1:
                return None
            image = images[0].image
            out = prepared.path.with_suffix(".scan.png")
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.thumbnail((2200, 2200), Image.Resampling.LANCZOS)
            image.save(out, "PNG")
            return Prepared(prepared.sha256, "image", out, pixels=image.size)
    except Exception:
        return None


def export_docx(
    project: Project, dest: Path, draft: bool | None = None, progress: Progress | None = None
) -> bool:
    """Write the complete 自评材料 as .docx to `dest` atomically; returns whether it is a draft."""
    dest = Path(dest)
    assessment = project.assessment()
    iset = assessment.indicator_set
    items = [e for i in iset.indicators for e in assessment.answer(i.no).evidence]
    scans = {t: s for t in SCAN_TARGETS if (s := project_scan(project, t)) is not None}
    items += [EvidenceItem(s.name, "", s.name, s.sha256, s.size) for s in scans.values()]
    counter = StepCounter(len(items) + len(iset.indicators) + 1, progress)
    with private_temp_dir("docx") as tmp:
        files = prepare_all(project, items, tmp, counter.step)
        try:
            is_draft = document_is_draft(assessment, files, draft)
            prepared = {t: (s, files.files[s.sha256]) for t, s in scans.items()}
            outline = build_outline(assessment, files, prepared, is_draft)
            doc = WordBuilder(outline, counter).build()
            try:
                need = evidence_bytes(assessment.answers.values())
                with atomic_output(dest, need) as out:
                    doc.save(out)
                    counter.step()
            except ValueError as exc:
                raise CsrError(
                    f"无法生成 {quoted(dest)}：{exc}", f"cannot write {dest}: {exc}"
                ) from exc
        finally:
            files.close()
    return bool(is_draft)
