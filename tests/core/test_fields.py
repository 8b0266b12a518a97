"""The one grammar of field keys (core/model/fields.py) and the read model built on it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csr_desktop.core.assessment import Assessment
from csr_desktop.core.indicators import default_indicator_set
from csr_desktop.core.model.fields import (
    ORIGIN,
    REPORT_HIDDEN,
    REPORT_SOURCE,
    TRACKING,
    FieldRef,
    all_keys,
    check_value,
    describe,
)

ISET = default_indicator_set()


def test_every_key_of_the_set_parses_back_to_itself() -> None:
    for key in all_keys(ISET):
        assert FieldRef.parse(key).key == key
    for ref in (TRACKING, ORIGIN, REPORT_SOURCE, REPORT_HIDDEN, FieldRef.scan("letter")):
        assert FieldRef.parse(ref.key) == ref
    assert FieldRef.parse("indicator.7.department") == FieldRef.department(7)


@given(st.text(max_size=30))
def test_a_key_parses_only_when_it_spells_itself_back(key: str) -> None:
    try:
        ref = FieldRef.parse(key)
    except ValueError:
        return
    assert ref.key == key


@pytest.mark.parametrize(
    "key",
    [
        "indicator.07.rating",
        "indicator.7",
        "indicator.x.rating",
        "indicator.7.rating.1",
        "company",
        "nothing.here",
        "scan.letter.extra",
    ],
)
def test_keys_outside_the_grammar_are_refused(key: str) -> None:
    with pytest.raises(ValueError, match="unknown field"):
        FieldRef.parse(key)
    with pytest.raises(ValueError, match="unknown field"):
        check_value(ISET, key, "x")


def test_check_refuses_numbers_the_set_lacks_and_keeps_departments_as_typed() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        check_value(ISET, FieldRef.department(99).key, "法务部")
    assert check_value(ISET, FieldRef.department(3).key, " 法务部 ") == " 法务部 "
    assert check_value(ISET, FieldRef.department(3).key, "  ") is None
    with pytest.raises(ValueError, match="unknown field"):
        check_value(ISET, "scan.elsewhere", None)


def test_describe_names_fields_in_chinese() -> None:
    ind = ISET.indicator(7)
    assert describe(ISET, FieldRef.department(7).key) == f"{ind.label}负责部门"
    assert describe(ISET, FieldRef.scan("cover").key) == "盖章扫描件"
    assert describe(ISET, TRACKING.key) == "内容"


def test_the_read_model_carries_department_review_and_scans() -> None:
    scan = {"name": "承诺书.pdf", "sha256": "ab" * 32, "size": 3}
    fields = {
        FieldRef.department(4).key: "法务部",
        FieldRef.indicator(4, "review_pending").key: True,
        FieldRef.scan("letter").key: scan,
    }
    a = Assessment.from_fields(ISET, fields)
    assert a.answer(4).department == "法务部" and a.answer(4).review_pending
    assert a.answer(5).department == "" and not a.answer(5).review_pending
    assert set(a.scans) == {"letter"} and a.scans["letter"].sha256 == "ab" * 32
