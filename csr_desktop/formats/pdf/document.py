"""The complete 自评材料 as one PDF: cover, 诚信承诺书, 自评表, and the 佐证材料 per indicator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib.styles import ParagraphStyle
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
from csr_desktop.core.room import evidence_bytes
from csr_desktop.core.scans import SCAN_TARGETS
from csr_desktop.core.store import Project
from csr_desktop.formats.evidence.files import EvidenceFiles, prepare_all
from csr_desktop.formats.evidence.scan_files import project_scan
from csr_desktop.formats.outline import (
    CoverNode,
    DocumentOutline,
    EvidenceNode,
    IndicatorNode,
    ItemNode,
    ScanNode,
    TableNode,
    build_outline,
    document_is_draft,
)
from csr_desktop.formats.pdf.evidence_pages import EvidencePage, Placement, ScanPage, image_flowable
from csr_desktop.formats.pdf.evidence_text import evidence_text_flowables, is_heading
from csr_desktop.formats.pdf.fonts import markup
from csr_desktop.formats.pdf.letter import document_metadata, layout_errors, letter_story
from csr_desktop.formats.pdf.line_breaking import CjkParagraph
from csr_desktop.formats.pdf.styles import (
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
from csr_desktop.formats.pdf.table import SelfAssessmentTable
from csr_desktop.formats.progress import StepCounter

Progress = Callable[[int, int], bool]
START_ROWS = 3  # a Word/Excel table's first rows stand on the page of the item's header
START_LINES = 3  # as do the first lines of its first paragraph
PORTRAIT_FRAME = (
    PORTRAIT[0] - MARGINS["left"] - MARGINS["right"],
    PORTRAIT[1] - MARGINS["top"] - MARGINS["bottom"],
)
SCAN_MARGIN = 10 * mm  # a scanned page keeps most of its size and carries nothing else
SCAN_BOTTOM = SCAN_MARGIN
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


def heading(text: str, style: ParagraphStyle) -> CjkParagraph:
    """A heading in its style's own face (黑体, 楷体), rare characters from the fallbacks."""
    return CjkParagraph(markup(text, base=style.fontName), style)


class DocumentBuilder:
    """Lays out the outline; evidence PDF pages are reserved here and merged in afterwards."""

    def __init__(self, outline: DocumentOutline, styles: Styles, counter: StepCounter) -> None:
        self.outline = outline
        self.st = styles
        self.counter = counter
        self.placed: dict[int, Placement] = {}
        self.scan_page_numbers: set[int] = set()  # filled during layout; no footer on these

    def story(self) -> list[Flowable]:
        doc = self.outline
        cover, letter = doc.scans.get("cover"), doc.scans.get("letter")
        story = self.scan(cover) if cover else self.cover(doc.cover)
        if letter:
            story += [NextPageTemplate("scan"), PageBreak(), *self.scan(letter)]
        else:
            story += [NextPageTemplate("portrait"), PageBreak(), Outline("诚信承诺书", 0, "letter")]
            story += letter_story(doc.letter, self.st)
        story += [NextPageTemplate("landscape"), PageBreak()]
        story += self.table(doc.table)
        story += [NextPageTemplate("portrait"), PageBreak()]
        story += self.evidence(doc.evidence)
        return story

    def scan(self, node: ScanNode) -> list[Flowable]:
        """The stamped scan in place of the generated page, its bookmark saying so; the page
        carries nothing but the scan (no number, no label), unless the fields changed since."""
        prepared = node.prepared
        pages = prepared.pages if prepared.kind == "pdf" else 1
        story: list[Flowable] = [Outline(node.title, 0, node.target)]
        for i in range(pages):
            note = node.changed_note if i == 0 else ""
            story.append(
                ScanPage(prepared, i, SCAN_FRAME[1], self.placed, self.scan_page_numbers, note)
            )
        return story

    def cover(self, node: CoverNode) -> list[Flowable]:
        st = self.st
        story: list[Flowable] = [
            Outline("封面", 0, "cover"),
            CjkParagraph(markup(node.attachment_label), st.attachment),
            Spacer(0, 45 * mm),
        ]
        story += [TitleLine(line, size=26, space_after=14) for line in node.title_lines]
        story.append(Spacer(0, 40 * mm))
        rows = [
            [
                CjkParagraph(markup(f"{label}："), st.cover_label),
                CjkParagraph(markup(value), st.cover_value),
            ]
            for label, value in node.fields
        ]
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

    def table(self, node: TableNode) -> list[Flowable]:
        title = TitleLine(node.title, size=18, space_after=8)
        room = LANDSCAPE[1] - LANDSCAPE_MARGINS["top"] - LANDSCAPE_MARGINS["bottom"]
        title_height = title.wrap(LANDSCAPE[0], room)[1]
        note: list[Flowable] = []
        reserve = 0.0
        if node.departures:
            note = [CjkParagraph(markup(node.departures), self.st.departures)]
            reserve = (
                float(note[0].wrap(LANDSCAPE_FRAME[0], room)[1]) + self.st.departures.spaceBefore
            )
        table = SelfAssessmentTable(node, self.st)
        rows = table.story(room - title_height - 2, reserve + 2)
        return [Outline(node.title, 0, "table"), title, *rows, *note]

    def evidence(self, node: EvidenceNode) -> list[Flowable]:
        story: list[Flowable] = [
            Outline(node.title.rstrip("：:"), 0, "evidence"),
            heading(node.title, self.st.heading1),
        ]
        for number, level in enumerate(node.levels):
            if number:
                story.append(PageBreak())
            story += [
                Outline(level.heading, 1, f"level{number}"),
                heading(level.heading, self.st.heading1),
            ]
            for ind in level.indicators:
                story += self.indicator_section(ind)
        return story

    def indicator_section(self, ind: IndicatorNode) -> list[Flowable]:
        st = self.st
        story: list[Flowable] = [
            CondPageBreak(60 * mm),
            Outline(ind.outline_title, 2, f"indicator{ind.no}"),
            heading(ind.heading, st.heading2),
            CjkParagraph(markup(ind.narrative_heading), st.heading3),
        ]
        if ind.narrative:
            story += [CjkParagraph(markup(p), st.body) for p in ind.narrative]
        else:
            story.append(CjkParagraph("（未填写）", st.note))
        story.append(
            CjkParagraph(markup(ind.catalogue_title), st.heading3.clone("cat", alignment=1))
        )
        story.append(self.catalogue(ind))
        story.append(CjkParagraph(markup(ind.content_heading), st.heading3))
        if not ind.items:
            story.append(CjkParagraph("（无）", st.note))
        for item in ind.items:
            story += self.content(item)
        story.append(_Tick(self.counter))
        return story

    def catalogue(self, ind: IndicatorNode) -> Table:
        st = self.st
        data: list[list[Any]] = [
            [CjkParagraph(markup(h), st.cell_center) for h in ind.catalogue_headers]
        ]
        for pos, name, remark in ind.catalogue:
            data.append(
                [
                    CjkParagraph(pos, st.cell_center),
                    CjkParagraph(markup(name), st.cell),
                    CjkParagraph(markup(remark), st.cell),
                ]
            )
        if not ind.catalogue:
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

    def content(self, item: ItemNode) -> list[Flowable]:
        st = self.st
        heading = CjkParagraph(markup(item.heading), st.item)
        prepared = item.prepared
        listing = CjkParagraph("<br/>".join(markup(line) for line in item.lines), st.note)
        if prepared is None:
            return [heading, listing]
        if prepared.kind == "image":
            width, height = PORTRAIT_FRAME
            picture = image_flowable(prepared, width, height * 0.75)
            # One block: a caption never stands at the foot of a page without its picture.
            return [KeepTogether([heading, listing, Spacer(0, 2 * mm), picture]), Spacer(0, 4 * mm)]
        if prepared.kind != "pdf":
            if prepared.text is None:
                return [KeepTogether([heading, listing])]
            # A Word/Excel file's text and tables (#26). The header stays with the start of
            # the content (the intro, then a paragraph's first lines or a table's first rows),
            # never alone at a page foot; a long table still starts on the header's page.
            name = item.file_name or item.name
            shown = evidence_text_flowables(prepared.text, name, st.cell, PORTRAIT_FRAME[0])
            return [KeepStart([heading, listing, *shown[:1]], shown[1:]), heading, listing, *shown]
        story: list[Flowable] = []
        for index in range(prepared.pages):
            lines = list(item.caption(index))
            wide = prepared.is_wide(index)
            head: list[Flowable] = []
            if index == 0 and wide:
                lines += item.lines  # the caption names the item already
            elif index == 0:
                head = [heading, listing]
            joint = "　" if wide else "<br/>"  # a landscape line is long: height goes to the page
            caption = CjkParagraph(joint.join(markup(line) for line in lines), self.st.caption)
            # The item's header stands on the page of its first page, never alone above it.
            if wide:
                # A landscape page goes on a landscape page: shrunk onto portrait it is ~55 %.
                page = EvidencePage(
                    prepared.sha256, index, caption, LANDSCAPE_FRAME[1], self.placed, head
                )
                story += [NextPageTemplate("landscape"), PageBreakIfNotEmpty()]
                story += [page, NextPageTemplate("portrait")]
            else:
                story.append(
                    EvidencePage(
                        prepared.sha256, index, caption, PORTRAIT_FRAME[1], self.placed, head
                    )
                )
        return story


class KeepStart(CondPageBreak):  # type: ignore[misc]
    """A page break unless an item's header and the start of its file's content fit below:
    `head` whole (the header, the listing, the intro), then the content's headings and the
    first lines of its first paragraph or a table's header row and first rows. Measured where
    it lands, as KeepTogether would be, but a long table is never moved whole to the next page.
    """

    def __init__(self, head: list[Flowable], body: list[Flowable]) -> None:
        super().__init__(0)
        self.head, self.body = head, body

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.height = min(self._start(availWidth), PORTRAIT_FRAME[1] * 0.8)
        width, height = super().wrap(availWidth, availHeight)
        return float(width), float(height)

    def _height(self, flowable: Flowable, width: float) -> tuple[float, float]:
        """The flowable's height and its space before and after."""
        _, height = flowable.wrapOn(self.canv, width, PORTRAIT_FRAME[1])
        return float(height), float(flowable.getSpaceBefore() + flowable.getSpaceAfter())

    def _start(self, width: float) -> float:
        total = sum(sum(self._height(f, width)) for f in self.head)
        need = 0.0  # what a CondPageBreak among the headings asks for below it
        for flowable in self.body:
            if isinstance(flowable, CondPageBreak):
                need = max(need, total + float(flowable.height))
                continue
            height, space = self._height(flowable, width)
            if isinstance(flowable, Table):
                rows = [float(h) for h in getattr(flowable, "_rowHeights", None) or [height]]
                return max(need, total + space + sum(rows[: START_ROWS + 1]))
            style = getattr(flowable, "style", None)
            if style is not None and not is_heading(flowable):  # the first paragraph
                lines = START_LINES * float(style.leading)
                return max(need, total + space + min(height, lines))
            total += height + space  # a heading, a spacer
        return max(need, total)


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
            draft_flag = document_is_draft(assessment, files, draft)
            prepared = {t: (s, files.files[s.sha256]) for t, s in scans.items()}
            outline = build_outline(assessment, files, prepared, draft_flag)
            builder = DocumentBuilder(outline, styles, counter)
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
    canvas = canvas_class(draft, builder.scan_page_numbers)
    scanned = "cover" in builder.outline.scans
    need = evidence_bytes(assessment.answers.values())
    with atomic_output(dest, need) as out, layout_errors(dest):
        if not any(f.kind == "pdf" for f in files.files.values()):
            _doc_template(out, assessment, scanned).build(story, canvasmaker=canvas)
        else:
            from csr_desktop.formats.pdf.merge import merge_evidence_pages

            laid_out = folder / "layout.pdf"
            _doc_template(str(laid_out), assessment, scanned).build(story, canvasmaker=canvas)
            merge_evidence_pages(laid_out, builder.placed, files, out)
        builder.counter.step()
