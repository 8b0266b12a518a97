"""Where a line breaks, decided character by character (pdf_text.break_point), and paragraphs of
several fragments (bold, a forced line break): written for the mutants of pdf/line_breaking.py that
survived the suite, whose paragraphs were all one plain fragment."""

from __future__ import annotations

from typing import Any

from csr_desktop.formats.pdf.line_breaking import CjkParagraph, break_point
from csr_desktop.formats.pdf.styles import make_styles


def test_a_latin_word_moves_down_whole() -> None:
    assert break_point(list("汉字汉字ab"), 0, 5) == 4  # before "ab", not inside it
    assert break_point(list("汉字ab"), 0, 3) == 2


def test_no_word_to_keep_when_only_one_side_of_the_break_is_latin() -> None:
    assert break_point(list("汉字ab"), 0, 2) == 2


def test_a_word_longer_than_the_line_is_broken_where_it_overflows() -> None:
    assert break_point(list("abcdefgh"), 0, 5) == 5  # never an empty line


def test_closing_marks_pull_the_last_character_down_with_them() -> None:
    assert break_point(list("汉字汉字，"), 0, 4) == 3
    assert break_point(list("汉字，，"), 0, 2) == 1


def _line_texts(para: Any) -> list[str]:
    texts = []
    for line in para.blPara.lines:
        words = getattr(line, "words", None)
        if words is None:
            texts.append("".join(line[1]))
        else:
            texts.append("".join(getattr(w, "text", "") for w in words))
    return texts


def test_a_forced_line_break_in_a_paragraph_of_several_fragments() -> None:
    style = make_styles().body.clone("t", firstLineIndent=0)
    para = CjkParagraph("<b>第一行</b><br/>第二行<b>加粗</b>", style)
    para.wrap(style.fontSize * 20 + 0.01, 10_000)
    assert _line_texts(para) == ["第一行", "第二行加粗"]


def test_several_fragments_fill_the_line_exactly_then_break() -> None:
    style = make_styles().body.clone("t", firstLineIndent=0)
    para = CjkParagraph("<b>汉字</b>" + "汉字" * 9, style)  # 20 characters
    para.wrap(style.fontSize * 10, 10_000)  # exactly ten characters wide
    assert [len(t) for t in _line_texts(para)] == [10, 10]


def test_one_plain_fragment_fills_the_line_exactly_then_breaks() -> None:
    style = make_styles().body.clone("t", firstLineIndent=0)
    para = CjkParagraph("汉字" * 10, style)  # 20 characters, one fragment: the fast path
    para.wrap(style.fontSize * 10, 10_000)
    assert [len(t) for t in _line_texts(para)] == [10, 10]
