"""A paragraph split across pages (pdf_text.CjkParagraph.split and the continuation it leaves):
every character printed once, in order, lines breaking where they would without the page break,
and the remainder never measured again. Written for the 33 mutants of that path that survived
pdf_text's own tests (only the 10-second test_pdf_document.py reached it)."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from csr_desktop.formats.pdf import line_breaking as pdf_text
from csr_desktop.formats.pdf.line_breaking import CANNOT_START, CjkParagraph
from csr_desktop.formats.pdf.styles import make_styles

SENTENCES = "".join(f"第{i:03d}句，" for i in range(120))  # 720 characters, 6 per sentence
RARE = '<font face="CsrRareHan">𡈼</font>'  # a second font: the general (several-fragment) path
MARGIN = 10.0


def _style(**kw: Any) -> Any:
    return make_styles().body.clone("split", **kw)  # body: first-line indent of two characters


def _width(style: Any, chars: int = 12) -> float:
    return style.fontSize * chars + 0.01


def _pdf_pages(path: Path) -> list[list[str]]:
    """The printed lines of each page, as poppler reads them (spaces removed)."""
    cmd = ["pdftotext", "-enc", "UTF-8", "-layout", str(path), "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    pages = []
    for page in out.split("\f")[:-1]:
        pages.append(["".join(line.split()) for line in page.splitlines() if line.strip()])
    return pages


def _build(path: Path, story: list[Any], width: float, height: float) -> list[list[str]]:
    """Lay the story out in frames of width × height, one per page, through ReportLab's own
    document builder (which wraps, splits and draws as an export does)."""
    size = (width + 2 * MARGIN, height + 2 * MARGIN)
    doc = BaseDocTemplate(str(path), pagesize=size)
    frame = Frame(MARGIN, MARGIN, width, height, 0, 0, 0, 0, id="f")
    doc.addPageTemplates([PageTemplate(frames=[frame])])
    doc.build(story)
    return _pdf_pages(path)


def _draw(path: Path, parts: Sequence[Any], width: float) -> list[list[str]]:
    """Each part wrapped at `width` and drawn on a page of its own."""
    canvas = Canvas(str(path))
    for part in parts:
        _, height = part.wrap(width, 100_000)
        canvas.setPageSize((width + 2 * MARGIN, height + 2 * MARGIN))
        part.drawOn(canvas, MARGIN, MARGIN)
        canvas.showPage()
    canvas.save()
    return _pdf_pages(path)


def _unsplit_lines(markup: str, style: Any, width: float) -> list[str]:
    para = CjkParagraph(markup, style)
    para.wrap(width, 100_000)
    lines = []
    for line in para.blPara.lines:
        words = getattr(line, "words", None)
        text = "".join(line[1]) if words is None else "".join(w.text for w in words)
        lines.append("".join(text.split()))
    return lines


@pytest.mark.parametrize(
    ("markup", "text"),
    [(SENTENCES, SENTENCES), (RARE + SENTENCES, "𡈼" + SENTENCES)],
    ids=["one font", "two fonts"],
)
def test_a_paragraph_over_many_pages_prints_each_line_once_where_it_breaks_unsplit(
    tmp_path: Path, markup: str, text: str
) -> None:
    style = _style()
    width, rows = _width(style), 5
    pages = _build(
        tmp_path / "p.pdf", [CjkParagraph(markup, style)], width, rows * style.leading + 0.01
    )
    assert len(pages) > 5
    assert all(len(page) <= rows for page in pages)
    assert all(len(page) == rows for page in pages[:-1]), "a page left short"
    printed = [line for page in pages for line in page]
    assert "".join(printed) == text  # nothing lost, nothing printed twice
    assert printed == _unsplit_lines(markup, style, width)  # the page break moved no line break
    assert not [line for line in printed[1:] if line[0] in CANNOT_START]


def _count_measured(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Characters measured by either line breaker, counted as they are measured."""
    seen = [0]
    widths, frag_split = pdf_text.char_widths, pdf_text.kinsoku_frag_split

    def counting_widths(text: str, *args: Any) -> list[float]:
        seen[0] += len(text)
        return widths(text, *args)

    def counting_split(frags: Any, *args: Any) -> Any:
        seen[0] += sum(len(pdf_text._frag_text(f)) for f in frags)
        return frag_split(frags, *args)

    monkeypatch.setattr(pdf_text, "char_widths", counting_widths)
    monkeypatch.setattr(pdf_text, "kinsoku_frag_split", counting_split)
    return seen


@pytest.mark.parametrize(
    ("markup", "text"),
    [(SENTENCES, SENTENCES), (RARE + SENTENCES, "𡈼" + SENTENCES)],
    ids=["one font", "two fonts"],
)
def test_each_character_is_measured_once_however_many_pages_the_paragraph_takes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, markup: str, text: str
) -> None:
    """Re-breaking the remainder on every page is quadratic: a minute for a 50,000-character
    narrative. The second half of a split keeps the lines already broken instead; this counts the
    work, so it fails the same way on any machine. The body style's first-line indent makes the
    first line narrower than the rest, as in the export."""
    style = _style()
    seen = _count_measured(monkeypatch)
    pages = _build(
        tmp_path / "p.pdf", [CjkParagraph(markup, style)], _width(style), 4 * style.leading
    )
    assert len(pages) >= 10
    assert seen[0] == len(text)


def test_a_paragraph_never_wrapped_can_be_split(tmp_path: Path) -> None:
    """ReportLab may split a flowable before wrapping it (a table row, a frame that moved)."""
    style = _style()
    width = _width(style)
    parts = CjkParagraph(SENTENCES, style).split(width, 3 * style.leading)
    assert len(parts) == 2
    printed = _draw(tmp_path / "p.pdf", parts, width)
    assert [len(page) for page in printed[:1]] == [3]
    assert "".join(line for page in printed for line in page) == SENTENCES


@pytest.mark.parametrize("markup", [SENTENCES[:30], RARE + SENTENCES[:30]])
def test_no_room_for_two_lines_moves_the_paragraph_to_the_next_page(markup: str) -> None:
    """An orphan (one line alone at a page foot) is not allowed: nothing is split off. A paragraph
    that fits is returned whole."""
    style = _style()
    width = _width(style)
    assert CjkParagraph(markup, style).split(width, 1.5 * style.leading) == []
    para = CjkParagraph(markup, style)
    assert para.split(width, 100 * style.leading) == [para]


@pytest.mark.parametrize("markup", [SENTENCES[:30], RARE + SENTENCES[:30]])
def test_the_last_line_alone_on_the_next_page(tmp_path: Path, markup: str) -> None:
    """30 characters at 12 a line (the first indented by two): three lines, two of them fit."""
    style = _style()
    width = _width(style)
    parts = CjkParagraph(markup, style).split(width, 2 * style.leading + 0.01)
    assert len(parts) == 2
    printed = _draw(tmp_path / "p.pdf", parts, width)
    assert [len(page) for page in printed] == [2, 1]
    assert [line for page in printed for line in page] == _unsplit_lines(markup, style, width)


@pytest.mark.parametrize("markup", [SENTENCES[:30], RARE + SENTENCES[:30]])
def test_an_allowed_orphan_leaves_one_line_on_the_first_page(tmp_path: Path, markup: str) -> None:
    style = _style(allowOrphans=1)
    width = _width(style)
    parts = CjkParagraph(markup, style).split(width, 1.5 * style.leading)
    assert len(parts) == 2
    printed = _draw(tmp_path / "p.pdf", parts, width)
    assert [len(page) for page in printed] == [1, 2]
    assert [line for page in printed for line in page] == _unsplit_lines(markup, style, width)
