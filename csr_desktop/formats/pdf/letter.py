"""The 诚信承诺书 as a one-page A4 PDF to print, sign and stamp."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer
from reportlab.platypus.doctemplate import LayoutError

from csr_desktop import __version__
from csr_desktop.core.assessment import Assessment
from csr_desktop.core.atomic import atomic_output
from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.core.store import Project
from csr_desktop.core.validation import has_gaps, letter_findings
from csr_desktop.formats.outline import LetterNode, letter_node
from csr_desktop.formats.pdf.fonts import MAIN, markup
from csr_desktop.formats.pdf.line_breaking import CjkParagraph
from csr_desktop.formats.pdf.styles import (
    LETTER_SIZE,
    MARGINS,
    PORTRAIT,
    Styles,
    TitleLine,
    canvas_class,
    make_styles,
)

SEAL_ROOM = 24 * mm  # a 公章 is 40–42 mm across; it overlaps the name and date rows below
VALUE_WIDTH = 78 * mm
BLANK = "&nbsp;" * 36  # a line to write on where the project left a field empty


@contextmanager
def layout_errors(dest: Path) -> Iterator[None]:
    """ReportLab refuses content too big for any page; say so in words, naming the file."""
    try:
        yield
    except LayoutError as exc:
        raise CsrError(
            f"无法生成 {quoted(dest)}：有内容过长，一页放不下（{exc}）。请缩短相应的填写内容后重试",
            f"cannot lay out {dest}: {exc}",
        ) from exc


def is_draft(project: Project, draft: bool | None) -> bool:
    """`None` means automatic: the letter is printed to be signed as soon as its own fields are
    filled in, whatever the indicators still lack (core.validation.letter_findings)."""
    if draft is not None:
        return draft
    return has_gaps(letter_findings(project.assessment()))


def letter_story(letter: LetterNode, styles: Styles) -> list[Flowable]:
    """The letter's flowables: title, the template body verbatim, the signature block."""
    story: list[Flowable] = [Spacer(0, 4 * mm)]
    story += [TitleLine(line) for line in letter.title_lines]
    story.append(Spacer(0, 8 * mm))
    for para in letter.body:
        story.append(CjkParagraph(markup(para), styles.letter_body))
    story.append(Spacer(0, SEAL_ROOM))
    story += signature_block(letter, styles)
    return story


def signature_block(letter: LetterNode, styles: Styles) -> list[Flowable]:
    """企业名称（公章）/ 评估工作负责人 / 日期, the colons in one column as the template prints them.

    Each row is one paragraph with a hanging indent: the label hangs left of the value column,
    and a long company name wraps under the value, not under the label.
    """
    column = PORTRAIT[0] - MARGINS["left"] - MARGINS["right"] - VALUE_WIDTH
    rows: list[Flowable] = []
    for number, (name, value) in enumerate(letter.fields):
        label = f"{name}："
        indent = stringWidth(label, MAIN, LETTER_SIZE)
        style = styles.signature.clone(f"sig-{number}", leftIndent=column, firstLineIndent=-indent)
        shown = markup(value) if value.strip() else f"<u>{BLANK}</u>"
        rows.append(CjkParagraph(markup(label) + shown, style))
    return rows


def document_metadata(assessment: Assessment, title: str) -> dict[str, str]:
    company = assessment.company.get("name", "") or assessment.commitment.get("company_name", "")
    return {
        "title": title,
        "author": company,
        "subject": assessment.indicator_set.document_title,
        "creator": f"csr-desktop {__version__}",
        "lang": "zh-CN",
    }


def export_letter(project: Project, dest: Path, draft: bool | None = None) -> bool:
    """Write the 诚信承诺书 to `dest` atomically, to be printed, signed and stamped: no page
    number (the scan would carry it); a draft (a letter field empty) says 草稿 at its foot.
    Returns whether it is a draft."""
    dest = Path(dest)
    draft = is_draft(project, draft)
    assessment = project.assessment()
    styles = make_styles()
    title = "".join(assessment.indicator_set.commitment.title_lines)
    with atomic_output(dest) as out, layout_errors(dest):
        doc = SimpleDocTemplate(
            out,
            pagesize=PORTRAIT,
            topMargin=MARGINS["top"],
            bottomMargin=MARGINS["bottom"],
            leftMargin=MARGINS["left"],
            rightMargin=MARGINS["right"],
            **document_metadata(assessment, title),
        )
        story = letter_story(letter_node(assessment), styles)
        doc.build(story, canvasmaker=canvas_class(draft, numbered=False))
    return draft
