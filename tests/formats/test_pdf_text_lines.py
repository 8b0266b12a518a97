"""Where the lines of a CjkParagraph land: no empty line after a trailing line break, centred
lines centred, justified lines stretched (and only those), the leading the style asks for, an
empty paragraph taking no room. Written for mutants of pdf/line_breaking.py that no test could see because
none measured a line's position."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from csr_desktop.formats.pdf.fonts import markup
from csr_desktop.formats.pdf.line_breaking import CjkParagraph
from csr_desktop.formats.pdf.styles import make_styles

MARGIN = 10.0
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _printed_lines(tmp_path: Path, para: Any, width: float) -> list[tuple[float, float, str]]:
    """(left, right, text) of each printed line, in points from the frame's left edge, as
    poppler reads the page (`pdftotext -bbox`): the paragraph drawn in a frame `width` wide."""
    _, height = para.wrap(width, 10_000)
    path = tmp_path / "p.pdf"
    canvas = Canvas(str(path), pagesize=(width + 2 * MARGIN, height + 2 * MARGIN))
    para.drawOn(canvas, MARGIN, MARGIN)
    canvas.save()
    cmd = ["pdftotext", "-enc", "UTF-8", "-bbox", str(path), "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows: dict[float, list[tuple[float, float, str]]] = {}
    for x0, y0, x1, _, text in _WORD.findall(out):
        rows.setdefault(round(float(y0)), []).append((float(x0), float(x1), html.unescape(text)))
    return [
        (words[0][0] - MARGIN, max(w[1] for w in words) - MARGIN, "".join(w[2] for w in words))
        for _, words in sorted(rows.items())
        for words in [sorted(words)]
    ]


@pytest.mark.parametrize("text", ["见附件\n", "第一行\n第二行\n"])
def test_a_trailing_line_break_adds_no_empty_line(text: str) -> None:
    """A remark or a cover value typed with a final Enter (markup() turns it into <br/>) is as
    tall as the same text without it: no blank line at the bottom of its cell."""
    style = make_styles().cell
    width = 200.0
    with_break = CjkParagraph(markup(text), style).wrap(width, 1_000)[1]
    without = CjkParagraph(markup(text.rstrip("\n")), style).wrap(width, 1_000)[1]
    assert with_break == without == text.count("\n") * style.leading


def test_a_blank_line_typed_inside_the_text_is_kept() -> None:
    style = make_styles().cell
    para = CjkParagraph(markup("第一行\n\n第三行"), style)
    assert para.wrap(200.0, 1_000)[1] == 3 * style.leading


def test_an_empty_paragraph_takes_no_room_and_draws(tmp_path: Path) -> None:
    """An evidence item with no remark puts an empty paragraph in its table cell."""
    style = make_styles().cell
    para = CjkParagraph(markup(""), style)
    assert para.wrap(100.0, 1_000) == (100.0, 0)
    assert _printed_lines(tmp_path, para, 100.0) == []


@pytest.mark.parametrize(
    ("style_name", "align"), [("cell_center", "centre"), ("cover_label", "right")]
)
def test_lines_ended_by_a_line_break_are_aligned_like_the_others(
    tmp_path: Path, style_name: str, align: str
) -> None:
    """A centred header cell or a right-aligned cover label with a line break typed in it: each
    line is centred (right-aligned) on its own width, the broken ones included."""
    style = getattr(make_styles(), style_name)
    text = "第一行\n第二行长一些\n" + "汉字" * 12 + "\n末行"
    width = style.fontSize * 10 + 0.01
    lines = _printed_lines(tmp_path, CjkParagraph(markup(text), style), width)
    assert "".join(t for _, _, t in lines) == text.replace("\n", "")
    assert len(lines) == 6
    for left, right, line in lines:
        assert right - left == pytest.approx(len(line) * style.fontSize, abs=0.5)
        if align == "centre":
            assert (left + right) / 2 == pytest.approx(width / 2, abs=0.5), line
        else:
            assert right == pytest.approx(width, abs=0.5), line


def _justified() -> Any:
    return make_styles().body.clone("justified", alignment=TA_JUSTIFY, firstLineIndent=0)


def test_justified_lines_stretch_to_the_margin_unless_a_line_break_ends_them(
    tmp_path: Path,
) -> None:
    """ReportLab justifies a Chinese line at its no-break spaces (U+00A0, kept from text pasted
    from Word). Every line that wraps ends at the right margin; the short line before a forced
    break keeps its natural spacing (stretching it would spread two words across the page), and
    so does the paragraph's last line."""
    style = _justified()
    width = style.fontSize * 10 + 0.01
    text = "汉字\xa0汉字<br/>汉字汉字\xa0汉字汉字汉字汉字汉字汉字\xa0汉字汉字汉字\xa0汉字"
    lines = _printed_lines(tmp_path, CjkParagraph(text, style), width)
    assert "".join(t for _, _, t in lines) == text.replace("<br/>", "").replace("\xa0", "")
    assert len(lines) == 4
    nbsp = stringWidth("\xa0", style.fontName, style.fontSize)
    assert lines[0][1] == pytest.approx(4 * style.fontSize + nbsp, abs=0.5)  # not stretched
    assert [right for _, right, _ in lines[1:3]] == pytest.approx([width, width], abs=0.5)
    assert lines[3][1] < width - style.fontSize  # the last line is not stretched either


@pytest.mark.parametrize("auto", ["min", "max"])
@pytest.mark.parametrize("text", ["汉字" * 30, '<font face="CsrRareHan">𡈼</font>' + "汉字" * 30])
def test_auto_leading_spaces_lines_as_reportlab_does(text: str, auto: str) -> None:
    """With autoLeading a line is as tall as its fonts (ascent − descent) where the style's
    leading is smaller: CjkParagraph honours the setting exactly as ReportLab's own Paragraph
    does, for plain and marked-up text alike, and for both halves of a paragraph split across
    pages. No style of ours sets it today; the paragraph class handles it, so it is tested."""
    style = make_styles().body.clone("auto", autoLeading=auto, leading=10, firstLineIndent=0)
    width = style.fontSize * 10 + 0.01  # 60 characters without punctuation: the same six lines
    ours = CjkParagraph(text, style)
    theirs = Paragraph(text, style)
    height = ours.wrap(width, 10_000)[1]
    assert height == pytest.approx(theirs.wrap(width, 10_000)[1])
    if "<" not in text:  # one font: ReportLab's ascent and descent, 1.2 × the size
        assert height == pytest.approx(6 * 1.2 * style.fontSize)
    head, tail = CjkParagraph(text, style).split(width, height / 2 + 1)
    assert head.wrap(width, 10_000)[1] + tail.wrap(width, 10_000)[1] == pytest.approx(height)


def test_an_inline_image_sized_in_percent_wraps_with_the_text(tmp_path: Path) -> None:
    """An `<img>` half the frame wide among the characters: measured at the frame's width, it
    shares a line with five characters and never overhangs; with autoLeading="max" its line is
    as tall as the image. (ReportLab's own CJK wrapping raises on this paragraph.)"""
    picture = tmp_path / "dot.png"
    Image.new("RGB", (4, 4), "red").save(picture)
    style = make_styles().body.clone("img", firstLineIndent=0, autoLeading="max")
    width = style.fontSize * 10 + 0.01
    text = "汉字" * 3 + f'<img src="{picture}" width="50%" height="40"/>' + "汉字" * 10
    para = CjkParagraph(text, style)
    height = para.wrap(width, 10_000)[1]
    lines = para.blPara.lines
    assert len(lines) == 4
    assert all(line.extraSpace > -1e-6 for line in lines)  # nothing past the margin
    assert lines[1].extraSpace == pytest.approx(0, abs=0.02)  # image (70 pt) + five characters
    assert height >= 3 * style.leading + 40
