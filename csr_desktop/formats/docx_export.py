"""The complete 自评材料 as a Word document, laid out as the official Word template is.

Receivers ask for the Word version beside the PDF. Every run names its East-Asian font
(w:eastAsia) as well as the Latin ones, so Word and WPS do not fall back to a Latin face for the
Chinese; the 自评表 is a landscape section whose 一级/二级 cells are merged (w:vMerge) as in the
template. Pictures are embedded (shrunk to print size, as in the PDF); other files are named
with their size and SHA-256, so a reviewer can match them to the package.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from csr_desktop import __version__
from csr_desktop.core.assessment import Assessment, EvidenceItem
from csr_desktop.core.atomic import atomic_output, private_temp_dir
from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.core.indicators import Field, Indicator
from csr_desktop.core.scans import SCAN_TARGETS
from csr_desktop.core.store import Project
from csr_desktop.core.units import human_size
from csr_desktop.core.validation import has_gaps, validate
from csr_desktop.formats.evidence_text_docx import add_evidence_text
from csr_desktop.formats.pdf_evidence import EvidenceFiles, Prepared, prepare_all
from csr_desktop.formats.pdf_fonts import clean_text
from csr_desktop.formats.pdf_styles import DRAFT_NOTE, chinese_date
from csr_desktop.formats.pdf_table import CHECKED, UNCHECKED
from csr_desktop.formats.progress import StepCounter
from csr_desktop.formats.scans import project_scan

Progress = Callable[[int, int], bool]
SONG = "宋体"
FANGSONG = "仿宋"
LATIN = "Times New Roman"
CHINESE_NUMBERS = "一二三四五六七八九十"
# GB/T 9704 margins, as the PDF uses them.
PORTRAIT_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LANDSCAPE_MM = {"top": 22, "bottom": 22, "left": 20, "right": 20}
# 序号, 一级指标, 二级指标, 三级指标, 指标说明, 企业自评, 备注 (the PDF's widths, 257 mm)
COLUMN_MM = (11, 26, 32, 32, 66, 53, 37)
CATALOGUE_MM = (16, 90, 50)
TEXT_WIDTH_MM = 210 - PORTRAIT_MM["left"] - PORTRAIT_MM["right"]
PICTURE_HEIGHT_MM = 150
WORD_PAGE_SAFETY = 0.95  # of the PDF's page height, for what a word processor measures otherwise
CELL_LEADING = 14.5  # the PDF's table leading, as exact line spacing: rows as tall in Word
LONG_REMARK = 300  # characters: a 备注 this long may split its row across pages
LETTER_VALUE_COLUMN_MM = TEXT_WIDTH_MM - 78  # the signature values' column, as in the PDF
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """User text as Word can hold it: the PDF's cleaning, then nothing XML 1.0 forbids."""
    return _XML_ILLEGAL.sub("", clean_text(text))


def set_fonts(run_or_style: Any, east_asia: str) -> None:
    """Name the Latin and the East-Asian face: without w:eastAsia, Word picks its own."""
    run_or_style.font.name = LATIN
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)


class WordBuilder:
    """Writes the sections in template order into one python-docx Document."""

    def __init__(
        self,
        assessment: Assessment,
        files: EvidenceFiles,
        scans: dict[str, Prepared],
        draft: bool,
        counter: StepCounter,
    ) -> None:
        self.assessment = assessment
        self.iset = assessment.indicator_set
        self.files = files
        self.scans = scans
        self.draft = draft
        self.counter = counter
        self.doc: Any = Document()
        self._styles()

    # ---- primitives -----------------------------------------------------------------------

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        set_fonts(normal, SONG)
        normal.font.size = Pt(12)
        for level, size in ((1, 16), (2, 14), (3, 14)):
            style = styles[f"Heading {level}"]
            set_fonts(style, SONG)
            style.font.size = Pt(size)
            style.font.bold = level < 3
            style.font.italic = False
            style.font.color.rgb = None
            style.paragraph_format.space_before = Pt(10)
            style.paragraph_format.space_after = Pt(6)
        core = self.doc.core_properties
        core.title = self.iset.document_title
        core.author = self.assessment.company.get("name", "")
        core.subject = self.iset.document_title
        core.comments = f"csr-desktop {__version__}"
        core.language = "zh-CN"

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

    def _section(self, section: Any, landscape: bool) -> None:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (
            (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        )
        self._margins(section, LANDSCAPE_MM if landscape else PORTRAIT_MM)
        self._footer(section)

    def _footer(self, section: Any) -> None:
        """第 n 页 共 N 页 as Word fields (Word and LibreOffice fill them in); 草稿 on drafts."""
        footer = section.footer
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.text = ""
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.draft:
            self.run(p, DRAFT_NOTE + "  ", SONG, 9)
        self.run(p, "第 ", SONG, 10.5)
        _field(p, "PAGE")
        self.run(p, " 页 共 ", SONG, 10.5)
        _field(p, "NUMPAGES")
        self.run(p, " 页", SONG, 10.5)

    def picture(self, prepared: Prepared, width_mm: float, height_mm: float, p: Any) -> None:
        px_w, px_h = prepared.pixels
        natural = 25.4 / 150  # mm per pixel at 150 dpi; never blown up past 1.5×
        scale = min(width_mm / px_w, height_mm / px_h, natural * 1.5)
        p.add_run().add_picture(str(prepared.path), width=Mm(px_w * scale), height=Mm(px_h * scale))

    # ---- the document ---------------------------------------------------------------------

    def build(self) -> Any:
        self._section(self.doc.sections[0], landscape=False)
        if not self.scan_page("cover"):
            self.cover()
        self.page_break()
        if not self.scan_page("letter"):
            self.letter()
        self._section(self.doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        self.table()
        self._section(self.doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
        self.evidence()
        return self.doc

    def scan_page(self, target: str) -> bool:
        """The stamped scan as a full-page picture, in place of the generated page.

        A picture is embedded as it is; a scanned PDF is embedded through the picture it holds
        (a scanner writes one per page). A PDF without one keeps the generated page."""
        prepared = self.scans.get(target)
        if prepared is None:
            return False
        picture = prepared if prepared.kind == "image" else _pdf_scan_picture(prepared)
        if picture is None:
            return False
        title = f"{SCAN_TARGETS[target]}（签章扫描件）"
        heading = self.para(title, SONG, 10.5, style="Heading 1")
        heading.paragraph_format.space_before = Pt(0)
        p = self.para(align=WD_ALIGN_PARAGRAPH.CENTER)
        self.picture(picture, TEXT_WIDTH_MM, 297 - 37 - 35 - 15, p)
        return True

    def cover(self) -> None:
        self.para(self.iset.attachment_label, SONG, 16)
        for _ in range(4):
            self.para()
        for line in self.iset.document_title_lines:
            self.para(line, SONG, 26, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        for _ in range(5):
            self.para()
        fields = self.iset.cover_fields
        table = self.doc.add_table(rows=len(fields), cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _fixed(table, (62, 94))
        for row, f in zip(table.rows, fields, strict=True):
            _widths(row.cells, (62, 94))
            label = row.cells[0].paragraphs[0]
            label.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self.run(label, f"{f.label}：", SONG, 16)
            value = row.cells[1].paragraphs[0]
            self.run(value, _field_value(f, self.assessment.company.get(f.key, "")), SONG, 16)
            _border(row.cells[1], "bottom")
            row.height = Mm(12)

    def letter(self) -> None:
        text = self.iset.commitment
        for line in text.title_lines:
            self.para(line, SONG, 22, WD_ALIGN_PARAGRAPH.CENTER, bold=True)
        self.para()
        for para in text.body.split("\n"):
            p = self.para(para, FANGSONG, 16, WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
            p.paragraph_format.line_spacing = Pt(29)
        for _ in range(3):
            self.para()  # room for the seal
        for f in text.fields:
            # As the PDF: the colons in one column, a long name wrapping under the value.
            value = _field_value(f, self.assessment.commitment.get(f.key, ""))
            label = f"{f.label}："
            p = self.para(label + (value or "　" * 10), FANGSONG, 16)
            p.paragraph_format.left_indent = Mm(LETTER_VALUE_COLUMN_MM)
            p.paragraph_format.first_line_indent = -Pt(16 * len(label))
            p.paragraph_format.space_before = Pt(8)

    def table(self) -> None:
        """One table per printed page, each with the header and its own merged group cells.

        A merged cell cut by a page break prints its label on one page only (Word and
        LibreOffice alike), so the rows are paged here as the PDF pages them, with room to
        spare for a word processor that sets the text a little taller."""
        iset = self.iset
        self.para(iset.title, SONG, 18, WD_ALIGN_PARAGRAPH.CENTER, bold=True, style="Heading 1")
        for number, indicators in enumerate(self.table_pages()):
            if number:
                self.page_break()
            self.table_part(indicators)

    def table_pages(self) -> list[tuple[Indicator, ...]]:
        """The indicators on each page of the 自评表, as the PDF's paginator fills pages."""
        from csr_desktop.formats.pdf_styles import make_styles
        from csr_desktop.formats.pdf_table import SelfAssessmentTable

        layout = SelfAssessmentTable(self.assessment, make_styles())
        layout.frame_height *= WORD_PAGE_SAFETY
        title_height = 18 * 1.45 + 12
        pages: list[tuple[Indicator, ...]] = []
        seen: set[int] = set()
        for page in layout.paginate(layout.frame_height - title_height):
            fresh = tuple(r.indicator for r in page.rows if r.indicator.no not in seen)
            seen.update(i.no for i in fresh)
            if fresh:
                pages.append(fresh)
        return pages

    def table_part(self, indicators: tuple[Indicator, ...]) -> None:
        iset = self.iset
        table = self.doc.add_table(rows=1 + len(indicators), cols=len(COLUMN_MM))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0]
        _repeat_header(header)
        for cell, text in zip(header.cells, iset.table_headers, strict=True):
            self._cell(cell, text, bold=True, center=True)
        for row, ind in zip(table.rows[1:], indicators, strict=True):
            ans = self.assessment.answer(ind.no)
            cells = row.cells
            if len(ans.remark) < LONG_REMARK:  # a long 备注 may continue on the next page
                _cant_split(row)
            self._cell(cells[0], str(ind.no), center=True)
            self._cell(cells[1], ind.level1, center=True)
            self._cell(cells[2], ind.level2, center=True)
            self._cell(cells[3], ind.name)
            self._cell(cells[4], ind.description)
            lines = [
                ind.scale.option_text(n) + (CHECKED if ans.rating == n else UNCHECKED)
                for n in range(1, len(ind.scale.labels) + 1)
            ]
            self._cell(cells[5], "\n".join(lines))
            self._cell(cells[6], ans.remark)
        _fixed(table, COLUMN_MM)
        for row in table.rows:
            _widths(row.cells, COLUMN_MM)
        self._merge_groups(table, indicators)

    def _merge_groups(self, table: Any, indicators: tuple[Indicator, ...]) -> None:
        """Merge equal consecutive 一级 / 二级 names, as the template's table does."""
        for col, key in ((1, lambda i: (i.level1,)), (2, lambda i: (i.level1, i.level2))):
            start = 0
            while start < len(indicators):
                end = start
                while end + 1 < len(indicators) and key(indicators[end + 1]) == key(
                    indicators[start]
                ):
                    end += 1
                if end > start:
                    top = table.cell(start + 1, col)
                    text = top.text
                    merged = top.merge(table.cell(end + 1, col))
                    for p in merged.paragraphs[1:]:
                        p._element.getparent().remove(p._element)
                    merged.paragraphs[0].text = ""
                    self._cell(merged, text, center=True, clear=False)
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
            first.text = ""
        for n, line in enumerate(lines):
            p = first if n == 0 else cell.add_paragraph()
            if center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.line_spacing = Pt(CELL_LEADING)  # exact: rows as tall as the PDF's
            if line:
                self.run(p, line, SONG, size, bold)

    def evidence(self) -> None:
        ev = self.iset.evidence
        self.para(ev.section_title, SONG, 16, style="Heading 1")
        for number, level in enumerate(self.iset.levels):
            if number:
                self.page_break()
            name = CHINESE_NUMBERS[number] if number < len(CHINESE_NUMBERS) else str(number + 1)
            self.para(f"{name}、{level.name}", SONG, 16, style="Heading 1")
            for ind in level.indicators:
                self.indicator(ind)
                self.counter.step()

    def indicator(self, ind: Indicator) -> None:
        ev = self.iset.evidence
        ans = self.assessment.answer(ind.no)
        self.para(ev.heading_for(ind), SONG, 14, bold=True, style="Heading 2")
        self.para(ev.narrative_heading, SONG, 14, style="Heading 3")
        paragraphs = [p.strip() for p in xml_text(ans.narrative).split("\n") if p.strip()]
        for text in paragraphs or ["（未填写）"]:
            p = self.para(text, FANGSONG, 14, WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
            p.paragraph_format.line_spacing = Pt(24)
        self.para(ev.catalogue_title_for(ind), SONG, 14, WD_ALIGN_PARAGRAPH.CENTER)
        self.catalogue(ans.evidence)
        self.para(ev.content_heading, SONG, 14, style="Heading 3")
        if not ans.evidence:
            self.para("（无）", SONG, 11)
        for pos, item in enumerate(ans.evidence, start=1):
            self.content(pos, item)

    def catalogue(self, items: tuple[EvidenceItem, ...]) -> None:
        headers = self.iset.evidence.catalogue_headers
        table = self.doc.add_table(rows=1 + max(len(items), 1), cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _repeat_header(table.rows[0])
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            self._cell(cell, text, bold=True, center=True)
        for row, (pos, item) in zip(table.rows[1:], enumerate(items, start=1), strict=False):
            self._cell(row.cells[0], str(pos), center=True)
            self._cell(row.cells[1], item.name)
            self._cell(row.cells[2], item.remark)
        if not items:
            self._cell(table.rows[1].cells[1], "（无）")
        _fixed(table, CATALOGUE_MM)
        for row in table.rows:
            _widths(row.cells, CATALOGUE_MM)

    def content(self, pos: int, item: EvidenceItem) -> None:
        p = self.para(f"{pos}. {item.name}", SONG, 14)
        p.paragraph_format.keep_with_next = True
        prepared = self.files.get(item)
        if prepared is None:
            self.para("（未附文件）", SONG, 11)
            return
        lines = [
            f"文件：{item.file_name or '（无文件名）'}（{human_size(item.size)}）",
            f"SHA-256：{item.sha256}",
        ]
        if prepared.kind == "pdf":
            lines.append(f"PDF 文件，共 {prepared.pages} 页（原件见提交材料包）")
        if prepared.note:
            lines.append(prepared.note)
        for line in lines:
            note = self.para(line, SONG, 10.5)
            note.paragraph_format.space_after = Pt(0)
            note.paragraph_format.keep_with_next = prepared.kind == "image"
        if prepared.kind == "image":
            p = self.para(align=WD_ALIGN_PARAGRAPH.CENTER)
            self.picture(prepared, TEXT_WIDTH_MM, PICTURE_HEIGHT_MM, p)
        if prepared.text is not None:  # a Word/Excel file's text and tables (#26)
            name = item.file_name or item.name
            add_evidence_text(self.doc, prepared.text, name, TEXT_WIDTH_MM, SONG)


def _field_value(field: Field, value: str) -> str:
    return chinese_date(value) if field.kind == "date" and value else value


def _field(p: Any, code: str) -> None:
    """A simple Word field (PAGE, NUMPAGES) in the paragraph, in the footer's font."""
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
    size.set(qn("w:val"), "21")
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

    from csr_desktop.formats.pdf_evidence import quiet_pypdf

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


def default_docx_name(assessment: Assessment, today: dt.date, draft: bool) -> str:
    company = assessment.company.get("name", "").strip() or "未命名企业"
    return f"{company}_自评材料{'_草稿' if draft else ''}.docx"


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
            is_draft = (
                draft if draft is not None else (has_gaps(validate(assessment)) or files.any_broken)
            )
            prepared = {t: files.files[s.sha256] for t, s in scans.items()}
            doc = WordBuilder(assessment, files, prepared, is_draft, counter).build()
            try:
                with atomic_output(dest) as out:
                    doc.save(out)
                    counter.step()
            except ValueError as exc:
                raise CsrError(
                    f"无法生成 {quoted(dest)}：{exc}", f"cannot write {dest}: {exc}"
                ) from exc
        finally:
            files.close()
    return bool(is_draft)
