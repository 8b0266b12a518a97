"""A 企业自评 cell retyped on one line, and an option named by its words with something added:
read as the colleague meant it (the mutants of xlsx_marks._segments and _which that survived
the suite: every test cell had one option per line)."""

from __future__ import annotations

import pytest

from csr_desktop.core.indicators import default_indicator_set
from csr_desktop.formats.xlsx.marks import MarkError, read_rating

SCALE = default_indicator_set().indicator(1).scale  # 1.非常重视 … 5.非常不重视
LABELS = SCALE.labels


def one_line(chosen: int, boxes_first: bool, sep: str = " ") -> str:
    parts = []
    for n, label in enumerate(LABELS, 1):
        box = "☑" if n == chosen else "□"
        parts.append(f"{box}{n}.{label}" if boxes_first else f"{n}.{label}{box}")
    return sep.join(parts)


@pytest.mark.parametrize("chosen", [1, 2, 5])
@pytest.mark.parametrize("boxes_first", [False, True])
@pytest.mark.parametrize("sep", [" ", ""])
def test_all_options_on_one_line(chosen: int, boxes_first: bool, sep: str) -> None:
    assert read_rating(one_line(chosen, boxes_first, sep), SCALE) == chosen


def test_two_options_left_on_one_line() -> None:
    assert read_rating(f"1.{LABELS[0]}□ 2.{LABELS[1]}☑", SCALE) == 2
    assert read_rating(f"☑1.{LABELS[0]}□2.{LABELS[1]}", SCALE) == 1
    with pytest.raises(MarkError):  # two options left, neither marked
        read_rating(f"1.{LABELS[0]}□ 2.{LABELS[1]}□", SCALE)


def test_all_options_unmarked_on_one_line_is_not_rated() -> None:
    assert read_rating(one_line(0, True), SCALE) is None


def test_an_option_named_by_its_words_with_a_note_added() -> None:
    assert read_rating(f"{LABELS[0]}（本年度）", SCALE) == 1
    assert read_rating(f"{LABELS[4]}，待改进", SCALE) == 5
