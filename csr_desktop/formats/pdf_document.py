"""The complete 自评材料 as one PDF: cover, 诚信承诺书, 自评表, and the 佐证材料 per indicator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageBreakIfNotEmpty,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from csr_desktop.core.assessment import Assessment, EvidenceItem
from csr_desktop.core.atomic import atomic_output, private_temp_dir
from csr_desktop.core.indicators import Indicator
from csr_desktop.core.scans import SCAN_TARGETS
from csr_desktop.core.store import Project
from csr_desktop.core.units import human_size
from csr_desktop.core.validation import has_gaps, validate
from csr_desktop.formats.evidence_text_pdf import evidence_text_flowables
from csr_desktop.formats.pdf_evidence import (
    EvidenceFiles,
    EvidencePage,
    Placement,
    Prepared,
    ScanPage,
    image_flowable,
    prepare_all,
)
from csr_desktop.formats.pdf_fonts import markup
from csr_desktop.formats.pdf_letter import (
    document_metadata,
    field_value,
    layout_errors,
    letter_story,
)
from csr_desktop.formats.pdf_styles import (
    LANDSCAPE,
    LANDSCAPE_MARGINS,
    MARGINS,
    PORTRAIT,
    Outline,
    Styles,
    TitleLine,
    canvas_class,
    make_styles,
)
from csr_desktop.formats.pdf_table import SelfAssessmentTable
from csr_desktop.formats.pdf_text import CjkParagraph
from csr_desktop.formats.progress import StepCounter
from csr_desktop.formats.scans import project_scan

Progress = Callable[[int, int], bool]
CHINESE_NUMBERS = "一二三四五六七八九十"
PORTRAIT_FRAME = (
    PORTRAIT[0] - MARGINS["left"] - MARGINS["right"],
    PORTRAIT[1] - MARGINS["top"] - MARGINS["bottom"],
)
SCAN_MARGIN = 10 * mm  # a scanned page keeps most of its size; the footer stays below it
SCAN_BOTTOM = 25 * mm
SCAN_FRAME = (PORTRAIT[0] - 2 * SCAN_MARGIN, PORTRAIT[1] - SCAN_MARGIN - SCAN_BOTTOM)
LANDSCAPE_FRAME = (
    LANDSCAPE[0] - LANDSCAPE_MARGINS["left"] - LANDSCAPE_MARGINS["right"],
    LANDSCAPE[1] - LANDSCAPE_MARGINS["top"] - LANDSCAPE_MARGINS["bottom"],
)


class _Tick(Flowable):  # type: ignore[misc]
    """Reports progress as layout passes it (layout is most of an export's time)."""

    def __init__(self, counter: StepCounter) -> None:
        super().__init__()
        self.counter = counter

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.counter.step()


def numbered(index: int) -> str:
    return CHINESE_NUMBERS[index] if index < len(CHINESE_NUMBERS) else str(index + 1)


class DocumentBuilder:
    """Lays out the story; evidence PDF pages are reserved here and merged in afterwards."""

    def __init__(
        self, assessment: Assessment, files: EvidenceFiles, styles: Styles, counter: StepCounter
    ) -> None:
        self.assessment = assessment
        self.iset = assessment.indicator_set
        self.files = files
        self.st = styles
        self.counter = counter
        self.placed: dict[int, Placement] = {}
        self.scans: dict[str, Prepared] = {}

    def story(self) -> list[Flowable]:
        story = self.scan_pages("cover") or self.cover()
        letter = self.scan_pages("letter")
        if letter:
            story += [NextPageTemplate("scan"), PageBreak(), *letter]
        else:
            story += [NextPageTemplate("portrait"), PageBreak(), Outline("诚信承诺书", 0, "letter")]
            story += letter_story(self.assessment, self.st)
        story += [NextPageTemplate("landscape"), PageBreak()]
        story += self.table()
        story += [NextPageTemplate("portrait"), PageBreak()]
        story += self.evidence()
        return story

    def scan_pages(self, target: str) -> list[Flowable]:
        """The stamped scan in place of the generated page, its bookmark saying so; [] when
        there is no scan the PDF can show (then the generated page is printed)."""
        prepared = self.scans.get(target)
        if prepared is None or prepared.kind not in ("image", "pdf"):
            return []
        title = f"{SCAN_TARGETS[target]}（签章扫描件）"
        pages = prepared.pages if prepared.kind == "pdf" else 1
        story: list[Flowable] = [Outline(title, 0, target)]
        story += [ScanPage(prepared, i, SCAN_FRAME[1], self.placed) for i in range(pages)]
        return story

    def cover(self) -> list[Flowable]:
        st = self.st
        story: list[Flowable] = [
            Outline("封面", 0, "cover"),
            CjkParagraph(markup(self.iset.attachment_label), st.attachment),
            Spacer(0, 45 * mm),
        ]
        story += [
            TitleLine(line, size=26, space_after=14) for line in self.iset.document_title_lines
        ]
        story.append(Spacer(0, 40 * mm))
        rows = []
        for f in self.iset.cover_fields:
            value = field_value(f, self.assessment.company.get(f.key, ""))
            rows.append(
                [
                    CjkParagraph(markup(f"{f.label}："), st.cover_label),
                    CjkParagraph(markup(value), st.cover_value),
                ]
            )
        table = Table(rows, colWidths=[62 * mm, 94 * mm], hAlign="CENTER")
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (1, 0), (1, -1), 0.6, "black"),
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("TOPPADDING", (0, 0), (-1, -1), 9),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("FONTNAME", (0, 0), (-1, -1), st.cover_label.fontName),
                ]
            )
        )
        story.append(table)
        return story

    def table(self) -> list[Flowable]:
        title = TitleLine(self.iset.title, size=18, space_after=8)
        room = LANDSCAPE[1] - LANDSCAPE_MARGINS["top"] - LANDSCAPE_MARGINS["bottom"]
        title_height = title.wrap(LANDSCAPE[0], room)[1]
        table = SelfAssessmentTable(self.assessment, self.st)
        return [Outline(self.iset.title, 0, "table"), title, *table.story(room - title_height - 2)]

    def evidence(self) -> list[Flowable]:
        ev = self.iset.evidence
        story: list[Flowable] = [
            Outline(ev.section_title.rstrip("：:"), 0, "evidence"),
            CjkParagraph(markup(ev.section_title), self.st.heading1),
        ]
        for number, level in enumerate(self.iset.levels):
            if number:
                story.append(PageBreak())
            heading = f"{numbered(number)}、{level.name}"
            story += [
                Outline(heading, 1, f"level{number}"),
                CjkParagraph(markup(heading), self.st.heading1),
            ]
            for ind in level.indicators:
                story += self.indicator_section(ind)
        return story

    def indicator_section(self, ind: Indicator) -> list[Flowable]:
        ev = self.iset.evidence
        st = self.st
        ans = self.assessment.answer(ind.no)
        story: list[Flowable] = [
            CondPageBreak(60 * mm),
            Outline(f"三级指标{ind.no}：{ind.name}", 2, f"indicator{ind.no}"),
            CjkParagraph(markup(ev.heading_for(ind)), st.heading2),
            CjkParagraph(markup(ev.narrative_heading), st.heading3),
        ]
        paragraphs = [p for p in ans.narrative.replace("\r\n", "\n").split("\n") if p.strip()]
        if paragraphs:
            story += [CjkParagraph(markup(p.strip()), st.body) for p in paragraphs]
        else:
            story.append(CjkParagraph("（未填写）", st.note))
        story.append(
            CjkParagraph(markup(ev.catalogue_title_for(ind)), st.heading3.clone("cat", alignment=1))
        )
        story.append(self.catalogue(ans.evidence))
        story.append(CjkParagraph(markup(ev.content_heading), st.heading3))
        if not ans.evidence:
            story.append(CjkParagraph("（无）", st.note))
        for pos, item in enumerate(ans.evidence, start=1):
            story += self.content(ind, pos, item)
        story.append(_Tick(self.counter))
        return story

    def catalogue(self, items: tuple[EvidenceItem, ...]) -> Table:
        st = self.st
        headers = self.iset.evidence.catalogue_headers
        data: list[list[Any]] = [[CjkParagraph(markup(h), st.cell_center) for h in headers]]
        for pos, item in enumerate(items, start=1):
            data.append(
                [
                    CjkParagraph(str(pos), st.cell_center),
                    CjkParagraph(markup(item.name), st.cell),
                    CjkParagraph(markup(item.remark), st.cell),
                ]
            )
        if not items:
            data.append(["", CjkParagraph("（无）", st.cell), ""])
        table = Table(data, colWidths=[16 * mm, 90 * mm, 50 * mm], repeatRows=1, splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.6, "black"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("FONTNAME", (0, 0), (-1, -1), st.cell.fontName),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        return table

    def content(self, ind: Indicator, pos: int, item: EvidenceItem) -> list[Flowable]:
        st = self.st
        heading = CjkParagraph(markup(f"{pos}. {item.name}"), st.item)
        prepared = self.files.get(item)
        if prepared is None:
            return [heading, CjkParagraph("（未附文件）", st.note)]
        listing = CjkParagraph(
            markup(f"文件：{item.file_name or '（无文件名）'}（{human_size(item.size)}）")
            + f"<br/>SHA-256：{item.sha256}"
            + (f"<br/>{markup(prepared.note)}" if prepared.note else ""),
            st.note,
        )
        if prepared.kind == "image":
            width, height = PORTRAIT_FRAME
            picture = image_flowable(prepared, width, height * 0.75)
            # One block: a caption never stands at the foot of a page without its picture.
            return [KeepTogether([heading, listing, Spacer(0, 2 * mm), picture]), Spacer(0, 4 * mm)]
        story: list[Flowable] = [heading, listing]
        if prepared.text is not None:  # a Word/Excel file's text and tables (#26)
            name = item.file_name or item.name
            story += evidence_text_flowables(prepared.text, name, st.cell, PORTRAIT_FRAME[0])
        if prepared.kind != "pdf":
            return story
        for index in range(prepared.pages):
            caption = CjkParagraph(
                markup(
                    f"三级指标{ind.no} 佐证材料{pos}：{item.name}"
                    f"（{item.file_name}，第 {index + 1} 页 / 共 {prepared.pages} 页）"
                ),
                self.st.caption,
            )
            if prepared.is_wide(index):
                # A landscape page goes on a landscape page: shrunk onto portrait it is ~55 %.
                story += [
                    NextPageTemplate("landscape"),
                    PageBreakIfNotEmpty(),
                    EvidencePage(prepared.sha256, index, caption, LANDSCAPE_FRAME[1], self.placed),
                    NextPageTemplate("portrait"),
                ]
            else:
                story.append(
                    EvidencePage(prepared.sha256, index, caption, PORTRAIT_FRAME[1], self.placed)
                )
        return story


def _doc_template(out: Any, assessment: Assessment, scanned_cover: bool) -> BaseDocTemplate:
    title = assessment.indicator_set.document_title
    doc = BaseDocTemplate(out, pagesize=PORTRAIT, **document_metadata(assessment, title))
    portrait = Frame(
        MARGINS["left"],
        MARGINS["bottom"],
        PORTRAIT_FRAME[0],
        PORTRAIT_FRAME[1],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="portrait",
    )
    land = Frame(
        LANDSCAPE_MARGINS["left"],
        LANDSCAPE_MARGINS["bottom"],
        LANDSCAPE[0] - LANDSCAPE_MARGINS["left"] - LANDSCAPE_MARGINS["right"],
        LANDSCAPE[1] - LANDSCAPE_MARGINS["top"] - LANDSCAPE_MARGINS["bottom"],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="landscape",
    )
    scan = Frame(
        SCAN_MARGIN,
        SCAN_BOTTOM,
        SCAN_FRAME[0],
        SCAN_FRAME[1],
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="scan",
    )
    templates = [
        PageTemplate("portrait", [portrait], pagesize=PORTRAIT),
        PageTemplate("landscape", [land], pagesize=LANDSCAPE),
        PageTemplate("scan", [scan], pagesize=PORTRAIT),
    ]
    if scanned_cover:  # the first template lays out the first page
        templates.insert(0, templates.pop())
    doc.addPageTemplates(templates)
    return doc


def export_document(
    project: Project, dest: Path, draft: bool | None = None, progress: Progress | None = None
) -> bool:
    """Write the complete 自评材料 to `dest` atomically; returns whether it is a draft.

    `progress(done, total)` is called as evidence files are read and sections laid out; a False
    answer raises Cancelled and leaves nothing behind.
    """
    dest = Path(dest)
    assessment = project.assessment()
    items = [
        e for i in assessment.indicator_set.indicators for e in assessment.answer(i.no).evidence
    ]
    scans = {t: s for t in SCAN_TARGETS if (s := project_scan(project, t)) is not None}
    items += [EvidenceItem(s.name, "", s.name, s.sha256, s.size) for s in scans.values()]
    counter = StepCounter(len(items) + len(assessment.indicator_set.indicators) + 1, progress)
    styles = make_styles()
    with private_temp_dir("pdf") as folder:
        files = prepare_all(project, items, folder, counter.step)
        try:
            # Spooling checked every file's SHA-256 already: no second pass over the blobs.
            draft_flag = (
                draft if draft is not None else (has_gaps(validate(assessment)) or files.any_broken)
            )
            builder = DocumentBuilder(assessment, files, styles, counter)
            builder.scans = {t: files.files[s.sha256] for t, s in scans.items()}
            _write(dest, assessment, builder, files, folder, draft_flag)
        finally:
            files.close()
    return draft_flag


def _write(
    dest: Path,
    assessment: Assessment,
    builder: DocumentBuilder,
    files: EvidenceFiles,
    folder: Path,
    draft: bool,
) -> None:
    """Lay out (and merge evidence pages); the last progress step comes before the commit."""
    story = builder.story()
    canvas = canvas_class(draft)
    scanned = bool(builder.scan_pages("cover"))
    with atomic_output(dest) as out, layout_errors(dest):
        if not any(f.kind == "pdf" for f in files.files.values()):
            _doc_template(out, assessment, scanned).build(story, canvasmaker=canvas)
        else:
            from csr_desktop.formats.pdf_merge import merge_evidence_pages

            laid_out = folder / "layout.pdf"
            _doc_template(str(laid_out), assessment, scanned).build(story, canvasmaker=canvas)
            merge_evidence_pages(laid_out, builder.placed, files, out)
        builder.counter.step()
