"""A paragraph wrapped again at another width breaks its lines again: ReportLab measures a
flowable more than once (a table cell, a frame that moved), and reusing the lines of the first
width would print text past the margin or leave gaps (pdf_text.CjkParagraph reuses them only for
the second half of a split; the `and`→`or` mutant there survived the suite)."""

from __future__ import annotations

from csr_desktop.formats.pdf.line_breaking import CjkParagraph
from csr_desktop.formats.pdf.styles import make_styles


def test_wrapping_at_a_new_width_breaks_the_lines_anew() -> None:
    style = make_styles().body
    text = "汉字排版" * 30
    narrow, wide = style.fontSize * 10 + 0.01, style.fontSize * 40 + 0.01
    para = CjkParagraph(text, style)
    para.wrap(narrow, 10_000)
    narrow_lines = list(para.blPara.lines)
    para.wrap(wide, 10_000)
    fresh = CjkParagraph(text, style)
    fresh.wrap(wide, 10_000)
    assert list(para.blPara.lines) == list(fresh.blPara.lines)
    assert len(para.blPara.lines) < len(narrow_lines)
