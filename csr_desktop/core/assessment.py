"""The assessment: what the company answered, as immutable values built from stored fields.

Every answer lives under a field key (`company.name`, `indicator.7.rating`, …). The store
saves, audits and undoes fields; this module gives them shape and checks values.
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from csr_desktop.core.indicators import OPTIONS_PER_SCALE, IndicatorSet

INDICATOR_FIELDS = ("rating", "remark", "narrative", "evidence", "review_pending")
REVIEW_FIELD = "review_pending"  # True: carried over from last year, not yet confirmed
ORIGIN_KEY = "project.origin"  # where a carried-over project came from (set once, audited)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class EvidenceItem(NamedTuple):
    """One row of a 佐证材料目录, with the stored file it refers to (if any)."""

    name: str
    remark: str = ""
    file_name: str | None = None  # the original file name, as the user's file manager showed it
    sha256: str | None = None  # the stored blob; None while the row has no file
    size: int | None = None

    @property
    def has_file(self) -> bool:
        return self.sha256 is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "remark": self.remark,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "size": self.size,
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> "EvidenceItem":
        """Build from stored JSON, refusing values of the wrong type (ValueError)."""
        if not isinstance(data, Mapping):
            raise ValueError("an evidence row must be an object")
        item = EvidenceItem(
            name=data.get("name", ""),
            remark=data.get("remark", ""),
            file_name=data.get("file_name"),
            sha256=data.get("sha256"),
            size=data.get("size"),
        )
        texts_ok = isinstance(item.name, str) and isinstance(item.remark, str)
        optional_ok = all(
            v is None or isinstance(v, t)
            for v, t in ((item.file_name, str), (item.sha256, str), (item.size, int))
        )
        if not (texts_ok and optional_ok):
            raise ValueError("an evidence row has a value of the wrong type")
        return item


class Answer(NamedTuple):
    """The company's answer for one 三级指标."""

    no: int
    rating: int | None = None
    remark: str = ""
    narrative: str = ""
    evidence: tuple[EvidenceItem, ...] = ()
    review_pending: bool = False

    @property
    def started(self) -> bool:
        return bool(self.rating or self.remark or self.narrative or self.evidence)


class Assessment(NamedTuple):
    """A snapshot of everything the user entered, against its indicator set."""

    indicator_set: IndicatorSet
    company: Mapping[str, str]
    commitment: Mapping[str, str]
    answers: Mapping[int, Answer]

    def answer(self, no: int) -> Answer:
        return self.answers[no]

    @staticmethod
    def from_fields(iset: IndicatorSet, fields: Mapping[str, Any]) -> "Assessment":
        company = {f.key: str(fields.get(f"company.{f.key}") or "") for f in iset.cover_fields}
        commitment = {
            f.key: str(fields.get(f"commitment.{f.key}") or "") for f in iset.commitment.fields
        }
        answers = {}
        for ind in iset.indicators:
            prefix = f"indicator.{ind.no}."
            answers[ind.no] = Answer(
                no=ind.no,
                rating=fields.get(prefix + "rating"),
                remark=fields.get(prefix + "remark") or "",
                narrative=fields.get(prefix + "narrative") or "",
                evidence=tuple(
                    EvidenceItem.from_json(e) for e in fields.get(prefix + "evidence") or ()
                ),
                review_pending=bool(fields.get(prefix + REVIEW_FIELD)),
            )
        return Assessment(iset, company, commitment, answers)


def indicator_key(no: int, field: str) -> str:
    return f"indicator.{no}.{field}"


_KNOWN: dict[int, tuple[IndicatorSet, frozenset[str], frozenset[str]]] = {}


def _known(iset: IndicatorSet) -> tuple[frozenset[str], frozenset[str]]:
    """(all keys, date keys) of a set, computed once: every value checked asks for them."""
    hit = _KNOWN.get(id(iset))
    if hit is None or hit[0] is not iset:
        hit = (iset, frozenset(all_keys(iset)), frozenset(date_keys(iset)))
        _KNOWN[id(iset)] = hit
    return hit[1], hit[2]


def all_keys(iset: IndicatorSet) -> list[str]:
    """Every field key the set defines, in form order."""
    keys = [f"company.{f.key}" for f in iset.cover_fields]
    keys += [f"commitment.{f.key}" for f in iset.commitment.fields]
    keys += [indicator_key(i.no, f) for i in iset.indicators for f in INDICATOR_FIELDS]
    return keys


def date_keys(iset: IndicatorSet) -> set[str]:
    keys = {f"company.{f.key}" for f in iset.cover_fields if f.kind == "date"}
    return keys | {f"commitment.{f.key}" for f in iset.commitment.fields if f.kind == "date"}


def check_value(iset: IndicatorSet, key: str, value: Any) -> Any:
    """Return `value` normalised for `key`, or raise ValueError saying what is wrong."""
    if key.startswith("scan."):  # core.scans only when a scan is stored: start-up time counts
        from csr_desktop.core.scans import SCAN_KEYS, check_scan

        if key in SCAN_KEYS:
            return check_scan(key, value)
    if key.startswith("report."):  # a CSR report loaded to find passages in (issue 29)
        from csr_desktop.core.report_source import REPORT_KEYS, check_report_value

        if key in REPORT_KEYS:
            return check_report_value(key, value)
    if key == ORIGIN_KEY:
        if not isinstance(value, Mapping):
            raise ValueError(f"{key}: must be an object")
        return dict(value)
    if key.endswith(".department") or key == "departments.tracking":
        from csr_desktop.core.departments import check_department_value

        return check_department_value(iset, key, value)
    known, dates = _known(iset)
    if key not in known:
        raise ValueError(f"unknown field {key!r}")
    if key in dates:
        if value in (None, ""):
            return ""
        if not isinstance(value, str):
            raise ValueError(f"{key}: a date must be text YYYY-MM-DD")
        # one stored form: "20240815" and "2024-W33-4" (which fromisoformat also takes) are
        # kept as 2024-08-15, the form every export writes and every import reads back
        return dt.date.fromisoformat(value.strip()).isoformat()
    field = key.rsplit(".", 1)[1]
    if field == REVIEW_FIELD:  # stored only while pending: confirming deletes the field
        if value is None or value is False:
            return None
        if value is not True:
            raise ValueError(f"{key}: must be true or null")
        return True
    if field == "rating":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{key}: rating must be 1..{OPTIONS_PER_SCALE} or null")
        if not 1 <= value <= OPTIONS_PER_SCALE:
            raise ValueError(f"{key}: rating must be 1..{OPTIONS_PER_SCALE} or null")
        return value
    if field == "evidence" and key.startswith("indicator."):
        if not isinstance(value, list | tuple):
            raise ValueError(f"{key}: evidence must be a list")
        items = []
        for raw in value:
            item = raw if isinstance(raw, EvidenceItem) else EvidenceItem.from_json(raw)
            if item.sha256 is not None and not _SHA256.match(item.sha256):
                raise ValueError(f"{key}: bad sha256 {item.sha256!r}")
            items.append(item.to_json())
        return items
    if not isinstance(value, str):
        raise ValueError(f"{key}: must be text")
    return value
