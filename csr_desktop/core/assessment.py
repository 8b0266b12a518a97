"""The assessment: what the company answered, as immutable values built from stored fields.

Every answer lives under a field (`core/model/fields.py`: `company.name`, `indicator.7.rating`,
…). The store saves, audits and undoes fields; this module gives them shape, so readers never
build a key.
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from csr_desktop.core.indicators import IndicatorSet
from csr_desktop.core.model.evidence import EvidenceItem
from csr_desktop.core.model.fields import (
    INDICATOR_FIELDS,
    ORIGIN,
    REVIEW_FIELD,
    FieldRef,
    check_value,
)
from csr_desktop.core.scans import SCAN_TARGETS, Scan, scan_from

ORIGIN_KEY = ORIGIN.key

__all__ = [
    "INDICATOR_FIELDS",
    "ORIGIN_KEY",
    "REVIEW_FIELD",
    "Answer",
    "Assessment",
    "EvidenceItem",
    "check_value",
    "indicator_key",
]


class Answer(NamedTuple):
    """The company's answer for one 三级指标."""

    no: int
    rating: int | None = None
    remark: str = ""
    narrative: str = ""
    evidence: tuple[EvidenceItem, ...] = ()
    review_pending: bool = False  # carried over from last year, not yet confirmed (待复核)
    department: str = ""  # who answers it (负责部门) as typed, "" when unassigned

    @property
    def started(self) -> bool:
        return bool(self.rating or self.remark or self.narrative or self.evidence)


class Assessment(NamedTuple):
    """A snapshot of everything the user entered, against its indicator set."""

    indicator_set: IndicatorSet
    company: Mapping[str, str]
    commitment: Mapping[str, str]
    answers: Mapping[int, Answer]
    scans: Mapping[str, Scan] = MappingProxyType({})  # "letter"/"cover" → its stamped scan

    def answer(self, no: int) -> Answer:
        return self.answers[no]

    @staticmethod
    def from_fields(iset: IndicatorSet, fields: Mapping[str, Any]) -> "Assessment":
        company = {
            f.key: str(fields.get(FieldRef.company(f.key).key) or "") for f in iset.cover_fields
        }
        commitment = {
            f.key: str(fields.get(FieldRef.commitment(f.key).key) or "")
            for f in iset.commitment.fields
        }
        answers = {}
        for ind in iset.indicators:
            no = ind.no
            answers[no] = Answer(
                no=no,
                rating=fields.get(FieldRef.indicator(no, "rating").key),
                remark=fields.get(FieldRef.indicator(no, "remark").key) or "",
                narrative=fields.get(FieldRef.indicator(no, "narrative").key) or "",
                evidence=tuple(
                    EvidenceItem.from_json(e)
                    for e in fields.get(FieldRef.indicator(no, "evidence").key) or ()
                ),
                review_pending=bool(fields.get(FieldRef.indicator(no, REVIEW_FIELD).key)),
                department=str(fields.get(FieldRef.department(no).key) or ""),
            )
        scans = {t: scan for t in SCAN_TARGETS if (scan := scan_from(fields, t)) is not None}
        return Assessment(iset, company, commitment, answers, MappingProxyType(scans))


def indicator_key(no: int, field: str) -> str:
    """`FieldRef.indicator(no, field).key`, kept for formats/xlsx/importer.py until it moves."""
    return FieldRef.indicator(no, field).key
