"""The one definition of "complete": every finding's severity, page and field, exactly.

The side list, its counter, the review page, `validate` and the draft marking all read these
functions, so a finding with the wrong key or severity would mislead every one of them."""

from __future__ import annotations

from typing import Any

from csr_desktop.core.assessment import Assessment, EvidenceItem, indicator_key
from csr_desktop.core.indicators import default_indicator_set
from csr_desktop.core.validation import (
    Severity,
    count_done,
    has_gaps,
    indicator_findings,
    indicator_status,
    validate,
)

ISET = default_indicator_set()
SHA_OK, SHA_BAD = "a" * 64, "b" * 64


def _complete_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {f"company.{f.key}": "填好" for f in ISET.cover_fields}
    for f in ISET.cover_fields:
        if f.kind == "date":
            fields[f"company.{f.key}"] = "2026-08-15"
    for f in ISET.commitment.fields:
        fields[f"commitment.{f.key}"] = "2026-08-15" if f.kind == "date" else "填好"
    for ind in ISET.indicators:
        fields[indicator_key(ind.no, "rating")] = 2
        fields[indicator_key(ind.no, "narrative")] = "已开展"
        fields[indicator_key(ind.no, "evidence")] = [
            EvidenceItem("制度", "", "制度.pdf", SHA_OK, 10).to_json()
        ]
    return fields


def _assessment(**changes: Any) -> Assessment:
    fields = _complete_fields()
    for key, value in changes.items():
        key = key.replace("__", ".")
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return Assessment.from_fields(ISET, fields)


def ok(sha: str) -> bool:
    return sha == SHA_OK


def test_a_complete_assessment_has_no_findings_and_every_indicator_is_done():
    a = _assessment()
    assert validate(a, ok) == []
    assert not has_gaps([])
    assert count_done(a, ok) == len(ISET.indicators)
    assert all(indicator_status(a, i.no, ok) == "done" for i in ISET.indicators)


def test_each_gap_and_warning_names_its_page_field_and_severity():
    no_file = EvidenceItem("名单", "", None, None, None).to_json()
    broken = EvidenceItem("报告", "", "报告.pdf", SHA_BAD, 10).to_json()
    a = _assessment(
        company__name="",
        indicator__3__rating=None,
        indicator__5__narrative="  ",
        indicator__6__evidence=[],
        indicator__7__evidence=[no_file, broken],
    )
    found = [(f.severity, f.indicator_no, f.key) for f in validate(a, ok)]
    assert found == [
        (Severity.GAP, None, "company.name"),
        (Severity.GAP, 3, "indicator.3.rating"),
        (Severity.WARNING, 5, "indicator.5.narrative"),
        (Severity.WARNING, 6, "indicator.6.evidence"),
        (Severity.GAP, 7, "indicator.7.evidence"),
        (Severity.GAP, 7, "indicator.7.evidence"),
    ]
    lines = [f.line() for f in validate(a, ok)]
    assert lines[0].startswith("缺项：封面")
    assert "第3项「" in lines[1] and "尚未选择企业自评" in lines[1]
    assert lines[2].startswith("提示：第5项")
    assert "第1行“名单”没有附上文件" in lines[4]
    assert "第2行“报告”的文件已损坏" in lines[5]
    assert has_gaps(validate(a, ok))


def test_without_a_blob_check_a_stored_file_counts_as_present():
    broken = EvidenceItem("报告", "", "报告.pdf", SHA_BAD, 10).to_json()
    a = _assessment(indicator__7__evidence=[broken])
    assert validate(a) == []
    assert indicator_status(a, 7) == "done"
    assert indicator_status(a, 7, ok) == "incomplete"


def test_status_follows_gaps_not_warnings():
    a = _assessment(
        indicator__2__narrative="",  # a warning: still done
        indicator__3__rating=None,  # a gap
        indicator__4__evidence=[],  # a warning: still done
    )
    assert indicator_status(a, 2, ok) == "done"
    assert indicator_status(a, 3, ok) == "incomplete"
    assert indicator_status(a, 4, ok) == "done"
    assert count_done(a, ok) == len(ISET.indicators) - 1
    assert [f.key for f in indicator_findings(a, 3, ok)] == ["indicator.3.rating"]


def test_an_indicator_not_started_is_empty_and_a_rating_alone_is_done():
    a = _assessment(
        indicator__9__rating=None, indicator__9__narrative=None, indicator__9__evidence=None
    )
    assert indicator_status(a, 9, ok) == "empty"
    b = _assessment(indicator__9__narrative=None, indicator__9__evidence=None)
    assert indicator_status(b, 9, ok) == "done"
    assert [f.severity for f in indicator_findings(b, 9, ok)] == [Severity.WARNING] * 2


def test_only_gaps_make_a_draft():
    warnings_only = validate(_assessment(indicator__1__narrative=""), ok)
    assert warnings_only and not has_gaps(warnings_only)


def test_an_empty_commitment_field_and_a_pending_review_are_gaps():
    field = ISET.commitment.fields[0]
    a = _assessment(**{f"commitment__{field.key}": "", "indicator__8__review_pending": True})
    found = [(f.severity, f.indicator_no, f.key) for f in validate(a, ok)]
    assert found == [
        (Severity.GAP, None, f"commitment.{field.key}"),
        (Severity.GAP, 8, "indicator.8.review_pending"),
    ]
    assert "诚信承诺书" in validate(a, ok)[0].line()
    assert validate(a, ok)[1].line().endswith("待复核")
    assert indicator_status(a, 8, ok) == "incomplete"
