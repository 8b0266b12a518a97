"""What one Ctrl+Z takes back (core/storage/history.py), step by step as the window drives it:
typing coalesces until a pause, a word end, a change of direction or another field; a paste is
a step of its own; undo and redo move whole steps. Pure data, so every rule is pinned here in
milliseconds (the Project-level sequences are in test_project_in_use.py)."""

from __future__ import annotations

import pytest

from csr_desktop.core.storage.history import (
    TYPING_MAX_CHARS,
    TYPING_PAUSE_SECONDS,
    Change,
    History,
    typing_direction,
)

KEY = "indicator.1.narrative"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (None, "我", "insert"),  # the first character typed into an empty field
        ("", "我们", "insert"),
        ("企业", "企业社会", "insert"),  # at the end
        ("社会", "企业社会", "insert"),  # at the start
        ("企会", "企业会", "insert"),  # in the middle
        ("aa", "aaa", "insert"),  # repeated characters: the common part is not counted twice
        ("aaa", "aa", "delete"),
        ("企业社会", "企业", "delete"),  # Backspace
        ("企业社会", "业社会", "delete"),  # Delete at the start
        ("abcd", "abXcd", "insert"),
        ("abXcd", "abcd", "delete"),
        ("abcb", "abcbcb", "insert"),  # a repeat whose position is ambiguous
        ("企业", "企业", None),  # nothing changed
        ("企业", "企社", None),  # a replacement is neither
        ("企业", "全新内容", None),
        (None, None, None),
        ("企业", None, None),  # a field cleared to null is not typing
        (3, "3", None),  # a rating is not text
        ("3", 4, None),
    ],
)
def test_typing_direction(old: object, new: object, expected: str | None) -> None:
    assert typing_direction(old, new) == expected


def test_typing_is_a_few_characters_a_paste_is_more() -> None:
    base = "前文"
    typed = "字" * TYPING_MAX_CHARS
    pasted = "字" * (TYPING_MAX_CHARS + 1)
    assert typing_direction(base, base + typed) == "insert"
    assert typing_direction(base, base + pasted) is None
    assert typing_direction(base + typed, base) == "delete"
    assert typing_direction(base + pasted, base) is None  # a cut
    assert TYPING_MAX_CHARS == 24


def _typed(history: History, old: str | None, new: str, now: float, key: str = KEY) -> None:
    """What the project does with one burst of typing: extend the top step or push a new one."""
    change = Change(key, old, new)
    if history.extends_top(change, now):
        history.extend(change, now)
    else:
        history.push("编辑", (change,), typing=True, now=now, audit_id=len(history.undo) + 1)


def test_typing_within_a_word_is_one_step_back_to_where_it_started() -> None:
    h = History()
    _typed(h, "前文", "前文企", 100.0)
    _typed(h, "前文企", "前文企业", 101.0)
    _typed(h, "前文企业", "前文企业社会", 102.5)
    assert len(h.undo) == 1
    (step,) = h.undo
    assert step.changes == (Change(KEY, "前文", "前文企业社会"),)
    assert step.at == 102.5  # the pause is counted from the last keystroke
    assert step.direction == "insert"
    assert step.audit_id == 1  # the audit row this step keeps updating


def test_a_pause_of_five_seconds_starts_a_new_step() -> None:
    h = History()
    _typed(h, "", "企", 100.0)
    _typed(h, "企", "企业", 100.0 + TYPING_PAUSE_SECONDS - 0.01)
    assert len(h.undo) == 1
    _typed(h, "企业", "企业社", 100.0 + 2 * TYPING_PAUSE_SECONDS - 0.01)  # exactly five: new
    assert len(h.undo) == 2
    assert TYPING_PAUSE_SECONDS == 5.0


def test_a_word_end_closes_the_step() -> None:
    h = History()
    _typed(h, "", "企业", 100.0)
    _typed(h, "企业", "企业，", 101.0)  # the comma ends the word: it joins, then the step closes
    _typed(h, "企业，", "企业，社会", 102.0)
    assert [s.changes[0].new for s in h.undo] == ["企业，", "企业，社会"]
    assert h.undo[0].coalesce_key is None


def test_punctuation_typed_in_the_middle_closes_the_step_too() -> None:
    h = History()
    h.push("编辑", (Change(KEY, "企业社会", "企业，社会"),), typing=True, now=1.0, audit_id=1)
    assert h.undo[-1].coalesce_key is None
    assert not h.extends_top(Change(KEY, "企业，社会", "企业，社会责"), 2.0)


def test_a_word_ends_only_with_what_was_typed() -> None:
    h = History()
    h.push("编辑", (Change(KEY, "企业，", "企业，社"),), typing=True, now=1.0, audit_id=1)
    assert h.undo[-1].coalesce_key == KEY  # the comma was there before: still open
    h.push("编辑", (Change(KEY, "企业社会", "企业社"),), typing=True, now=9.0, audit_id=2)
    assert h.undo[-1].coalesce_key == KEY  # erasing closes nothing
    h.push("编辑", (Change(KEY, None, "企"),), typing=True, now=20.0, audit_id=3)
    assert h.undo[-1].coalesce_key == KEY


def test_typing_then_erasing_are_two_steps() -> None:
    h = History()
    _typed(h, "", "企业", 100.0)
    _typed(h, "企业", "企", 100.5)
    assert [s.direction for s in h.undo] == ["insert", "delete"]


def test_typing_in_another_field_is_another_step() -> None:
    h = History()
    _typed(h, "", "企", 100.0)
    _typed(h, "", "业", 100.5, key="indicator.2.narrative")
    assert len(h.undo) == 2


def test_a_paste_after_typing_is_a_step_of_its_own() -> None:
    h = History()
    _typed(h, "", "企", 100.0)
    paste = "粘贴" * 20
    _typed(h, "企", "企" + paste, 100.5)
    _typed(h, "企" + paste, "企" + paste + "业", 101.0)
    assert [s.changes[0].old for s in h.undo] == ["", "企", "企" + paste]
    assert h.undo[1].coalesce_key is None and h.undo[1].direction == ""


def test_an_edit_that_is_not_typing_never_grows() -> None:
    h = History()
    h.push("选择评分", (Change(KEY, "企", "企业"),), typing=False, now=1.0, audit_id=1)
    assert h.undo[-1].coalesce_key is None
    assert not h.extends_top(Change(KEY, "企业", "企业社"), 1.5)


def test_a_step_of_several_fields_never_grows() -> None:
    h = History()
    two = (Change(KEY, "企", "企业"), Change("indicator.2.narrative", "", "a"))
    h.push("导入", two, typing=True, now=1.0, audit_id=1)
    assert h.undo[-1].coalesce_key is None
    assert not h.extends_top(Change(KEY, "企业", "企业社"), 1.5)


def test_nothing_to_extend_on_an_empty_history() -> None:
    assert not History().extends_top(Change(KEY, "", "企"), 1.0)


def test_only_the_top_step_grows() -> None:
    h = History()
    _typed(h, "", "甲", 100.0, key="a")
    _typed(h, "", "乙", 100.1, key="b")
    assert h.extends_top(Change("b", "乙", "乙丙"), 100.2)
    assert not h.extends_top(Change("a", "甲", "甲丙"), 100.2)
    grown = h.extend(Change("b", "乙", "乙丙"), 100.2)
    assert grown == h.undo[-1]
    assert [s.changes for s in h.undo] == [
        (Change("a", "", "甲"),),
        (Change("b", "", "乙丙"),),
    ]


def test_a_new_step_clears_redo_and_after_undo_typing_never_merges() -> None:
    h = History()
    _typed(h, "", "企", 100.0)
    _typed(h, "企", "企业", 100.5, key="other")
    undone = h.pop_undo()
    assert undone is not None and undone.changes[0].key == "other"
    assert len(h.redo) == 1
    assert not h.extends_top(Change(KEY, "企", "企业"), 100.6)  # redo pending: no merging
    _typed(h, "企", "企业", 100.6)
    assert h.redo == [] and len(h.undo) == 2


def test_undo_and_redo_move_whole_steps_and_close_them() -> None:
    h = History()
    assert h.pop_undo() is None and h.pop_redo() is None
    _typed(h, "", "企", 100.0)
    step = h.undo[-1]
    assert step.coalesce_key == KEY
    assert h.pop_undo() == step
    assert h.undo == [] and h.redo == [step._replace(coalesce_key=None)]
    assert h.pop_redo() == step._replace(coalesce_key=None)
    assert h.redo == [] and h.undo == [step._replace(coalesce_key=None)]
    assert not h.extends_top(Change(KEY, "企", "企业"), 100.1)  # a redone step is closed


@pytest.mark.parametrize(
    ("old", "new", "closed"),
    [
        ("", "，", True),  # the first thing typed is a comma
        (None, "。", True),
        ("社会", "，社会", True),  # typed at the very start
        ("企业社", "企业社，", True),  # after three characters
        ("企业社会", "企业社会 ", True),
        ("企业", "企业，社", False),  # the burst ended on a character: still open
        ("企业社", "企业社会", False),
    ],
)
def test_the_step_closes_where_the_typed_text_ends_a_word(
    old: str | None, new: str, closed: bool
) -> None:
    h = History()
    h.push("编辑", (Change(KEY, old, new),), typing=True, now=1.0, audit_id=1)
    assert (h.undo[-1].coalesce_key is None) == closed
