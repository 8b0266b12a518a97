"""Chinese line breaking: no closing mark starts a line, no opening mark ends one, nothing lost."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph

from csr_desktop.formats.pdf.fonts import escape
from csr_desktop.formats.pdf.line_breaking import (
    CANNOT_END,
    CANNOT_START,
    CjkParagraph,
    break_point,
    kinsoku_frag_split,
    simple_frag,
)
from csr_desktop.formats.pdf.styles import make_styles

WIDTH_CHARS = 12


def _lines(para: Paragraph, size: float) -> list[str]:
    para.wrap(WIDTH_CHARS * size + 0.01, 10_000)
    lines = []
    for line in para.blPara.lines:
        if hasattr(line, "words"):
            lines.append("".join(getattr(w, "text", "") for w in line.words))
        else:  # ReportLab's single-fragment path: (extra space, [text])
            lines.append("".join(line[1]))
    return lines


def _texts() -> list[str]:
    """A closing or opening mark at every position of a 12-character line."""
    texts = []
    for mark in "，。、；：！？）》”":
        for k in range(1, WIDTH_CHARS + 2):
            texts.append("汉" * k + mark + "字" * 20 + mark + "尾")
    for mark in "（《“":
        for k in range(0, WIDTH_CHARS + 2):
            texts.append("汉" * k + mark + "引文" + "字" * 15)
    texts.append("本企业自愿参与本次自评工作……如有违反——本企业愿接受处理。")
    return texts


def _violations(lines: list[str]) -> list[str]:
    bad = [line for line in lines[1:] if line and line[0] in CANNOT_START]
    bad += [line for line in lines[:-1] if line and line[-1] in CANNOT_END]
    return bad


def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_one() -> None:
    style = make_styles().letter_body.clone("t", firstLineIndent=0)
    for text in _texts():
        lines = _lines(CjkParagraph(text, style), style.fontSize)
        assert "".join(lines) == text, "kinsoku must move characters, never drop them"
        assert not _violations(lines), (text, lines)
        widths = [len(line) for line in lines]
        assert max(widths) <= WIDTH_CHARS, lines  # nothing hangs into the margin


def test_reportlab_alone_would_start_lines_with_a_chinese_comma() -> None:
    """The reason CjkParagraph exists: this check fails without it."""
    style = make_styles().letter_body.clone("t", firstLineIndent=0)
    failures = [
        text for text in _texts() if _violations(_lines(Paragraph(text, style), style.fontSize))
    ]
    assert failures


@pytest.mark.parametrize(
    ("text", "overflow", "expected"),
    [
        ("汉字汉字，汉", 4, 3),  # the comma pulls the character before it down
        ("汉字汉（字", 4, 3),  # an opening bracket never ends a line
        ("汉字 report2024", 9, 3),  # a Latin word is kept whole
        ("，，，，，", 3, 3),  # a line of nothing but marks still makes progress
    ],
)
def test_break_point(text: str, overflow: int, expected: int) -> None:
    assert break_point(list(text), 0, overflow) == expected


ALPHABET = "汉字企业社会责任，。、；：！？（）《》“”…—AbcXyz0129 -/@"


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet=ALPHABET, min_size=1, max_size=160),
    first=st.integers(min_value=1, max_value=30),
    rest=st.integers(min_value=1, max_value=30),
)
def test_the_single_font_fast_path_breaks_exactly_like_the_general_one(
    text: str, first: int, rest: int
) -> None:
    """Plain paragraphs take a shortcut; it must give the same lines as the per-character path."""
    assume(text.strip())  # a blank paragraph has no fragment at all: nothing to break
    style = make_styles().body
    para = CjkParagraph(escape(text), style)
    assert simple_frag(para.frags, style) is not None
    widths = [first * style.fontSize * 0.7, rest * style.fontSize * 0.7]
    fast = para.breakLinesCJK(widths)
    general = kinsoku_frag_split(para.frags, widths, False)
    assert fast.kind == 0
    assert ["".join(line[1]) for line in fast.lines] == [
        "".join(w.text for w in line.words) for line in general.lines
    ]
    for (extra, _), line in zip(fast.lines, general.lines, strict=True):
        assert abs(extra - line.extraSpace) < 1e-6


def test_a_paragraph_with_markup_takes_the_general_path() -> None:
    style = make_styles().body
    para = CjkParagraph('汉字<font face="CsrRareHan">𡈼</font>汉字', style)
    assert simple_frag(para.frags, style) is None
    assert para.breakLinesCJK([100.0]).kind == 1
