"""Field references: the one grammar of a project's field keys — built, parsed, checked and
described here, and nowhere else.

Every answer is stored under a key: `company.name`, `commitment.date`, `indicator.7.rating`,
`indicator.7.department`, `scan.letter`, `report.source`, `departments.tracking`,
`project.origin`. A `FieldRef` is such a key as a value (section, name, indicator number);
`.key` is what the store saves it under, `FieldRef.parse` reads one back.
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from csr_desktop.core.indicators import OPTIONS_PER_SCALE, IndicatorSet
from csr_desktop.core.model.evidence import EvidenceItem, check_scan

# the fields of one indicator's answer, in form order (department: who answers it, 负责部门)
INDICATOR_FIELDS = ("rating", "remark", "narrative", "evidence", "review_pending")
REVIEW_FIELD = "review_pending"  # True: carried over from last year, not yet confirmed
DEPARTMENT_FIELD = "department"
SCAN_TARGETS = {"letter": "诚信承诺书", "cover": "封面"}  # what a stamped scan may be of
SECTIONS = frozenset(
    ("company", "commitment", "indicator", "scan", "report", "departments", "project")
)
FIELD_WORDS = {
    "rating": "自评",
    "remark": "备注",
    "narrative": "相关工作情况介绍",
    "evidence": "佐证材料",
    "department": "负责部门",
    "review_pending": "复核状态",
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_EVENT_KEYS = {"department": str, "event": str, "at": str, "file": str}
_COUNT_KEYS = ("applied", "conflicts")


class FieldRef(NamedTuple):
    """One field of a project: `section.name`, or `indicator.no.name`."""

    section: str
    name: str
    no: int | None = None

    @property
    def key(self) -> str:
        """The key the store saves the field under."""
        if self.no is None:
            return f"{self.section}.{self.name}"
        return f"{self.section}.{self.no}.{self.name}"

    @staticmethod
    def parse(key: str) -> "FieldRef":
        """The reference `key` spells, or ValueError: only the grammar, not a set's numbers."""
        head, _, rest = key.partition(".")
        ref = None
        if head == "indicator":
            no, _, name = rest.partition(".")
            if no.isdigit() and name and "." not in name:
                ref = FieldRef(head, name, int(no))
        elif head in SECTIONS and rest and "." not in rest:
            ref = FieldRef(head, rest)
        if ref is None or ref.key != key:  # "indicator.07.rating" is no field
            raise ValueError(f"unknown field {key!r}")
        return ref

    @staticmethod
    def company(name: str) -> "FieldRef":
        return FieldRef("company", name)

    @staticmethod
    def commitment(name: str) -> "FieldRef":
        return FieldRef("commitment", name)

    @staticmethod
    def indicator(no: int, name: str) -> "FieldRef":
        return FieldRef("indicator", name, no)

    @staticmethod
    def department(no: int) -> "FieldRef":
        return FieldRef("indicator", DEPARTMENT_FIELD, no)

    @staticmethod
    def scan(target: str) -> "FieldRef":
        """The scanned, stamped page of `target` ("letter" or "cover")."""
        return FieldRef("scan", target)


TRACKING = FieldRef("departments", "tracking")  # where each department's workbook stands
ORIGIN = FieldRef("project", "origin")  # where a carried-over project came from (set once)
REPORT_SOURCE = FieldRef("report", "source")  # the CSR report passages are suggested from
REPORT_HIDDEN = FieldRef("report", "hidden")  # passages marked 不相关, per indicator


_KNOWN: dict[int, tuple[IndicatorSet, frozenset[str], frozenset[str]]] = {}


def _known(iset: IndicatorSet) -> tuple[frozenset[str], frozenset[str]]:
    """(all keys, date keys) of a set, computed once: every value checked asks for them."""
    hit = _KNOWN.get(id(iset))
    if hit is None or hit[0] is not iset:
        hit = (iset, frozenset(all_keys(iset)), frozenset(date_keys(iset)))
        _KNOWN[id(iset)] = hit
    return hit[1], hit[2]


def all_keys(iset: IndicatorSet) -> list[str]:
    """Every form field key the set defines, in form order."""
    keys = [FieldRef.company(f.key).key for f in iset.cover_fields]
    keys += [FieldRef.commitment(f.key).key for f in iset.commitment.fields]
    keys += [FieldRef.indicator(i.no, f).key for i in iset.indicators for f in INDICATOR_FIELDS]
    return keys


def date_keys(iset: IndicatorSet) -> set[str]:
    keys = {FieldRef.company(f.key).key for f in iset.cover_fields if f.kind == "date"}
    return keys | {
        FieldRef.commitment(f.key).key for f in iset.commitment.fields if f.kind == "date"
    }


def describe(iset: IndicatorSet, key: str) -> str:
    """A field as the undo menu and the audit name it, in Chinese."""
    head, _, rest = key.partition(".")
    if head in ("company", "commitment"):
        fields = iset.cover_fields if head == "company" else iset.commitment.fields
        where = "封面" if head == "company" else "诚信承诺书"
        label = next((f.label for f in fields if f.key == rest), rest)
        return f"{where}“{label}”"
    if head == "indicator":
        no, _, field = rest.partition(".")
        with contextlib.suppress(ValueError, KeyError, LookupError):
            ind = iset.indicator(int(no))
            return f"{ind.label}{FIELD_WORDS.get(field, '内容')}"
    if head == "scan":
        return "盖章扫描件"
    return "内容"


def edit_label(iset: IndicatorSet, key: str) -> str:
    """The undo step of an edit that names no other: 修改 and the field."""
    return f"修改{describe(iset, key)}"


def check_value(iset: IndicatorSet, key: str, value: Any) -> Any:
    """Return `value` normalised for `key`, or raise ValueError saying what is wrong."""
    ref = FieldRef.parse(key)
    if ref.section == "scan" and ref.name in SCAN_TARGETS:
        return check_scan(key, value)
    if ref in (REPORT_SOURCE, REPORT_HIDDEN):  # a CSR report to find passages in (issue 29)
        return _check_report(ref, key, value)
    if ref == ORIGIN:
        if not isinstance(value, Mapping):
            raise ValueError(f"{key}: must be an object")
        return dict(value)
    if ref == TRACKING:
        return _check_tracking(key, value)
    if ref.name == DEPARTMENT_FIELD and ref.no is not None:
        if ref.no not in iset.numbers:
            raise ValueError(f"unknown field {key!r}")
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError(f"{key}: a department must be text")
        return value if value.strip() else None  # as typed: the window saves while typing
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
    if ref.name == REVIEW_FIELD:  # stored only while pending: confirming deletes the field
        if value is None or value is False:
            return None
        if value is not True:
            raise ValueError(f"{key}: must be true or null")
        return True
    if ref.name == "rating":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{key}: rating must be 1..{OPTIONS_PER_SCALE} or null")
        if not 1 <= value <= OPTIONS_PER_SCALE:
            raise ValueError(f"{key}: rating must be 1..{OPTIONS_PER_SCALE} or null")
        return value
    if ref.name == "evidence" and ref.section == "indicator":
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


def _check_tracking(key: str, value: Any) -> list[dict[str, Any]] | None:
    """`departments.tracking`: a list of events (a workbook sent, a return imported)."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise ValueError(f"{key}: must be a list of events")
    events = []
    for raw in value:
        if not isinstance(raw, Mapping):
            raise ValueError(f"{key}: an event must be an object")
        event: dict[str, Any] = {}
        for k, kind in _EVENT_KEYS.items():
            v = raw.get(k, "")
            if not isinstance(v, kind):
                raise ValueError(f"{key}: {k} must be text")
            event[k] = v
        for k in _COUNT_KEYS:
            n = raw.get(k, 0)
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise ValueError(f"{key}: {k} must be a count")
            event[k] = n
        if event["event"] not in ("sent", "returned"):
            raise ValueError(f"{key}: unknown event {event['event']!r}")
        events.append(event)
    return events


def _check_report(ref: FieldRef, key: str, value: Any) -> Any:
    """Return `value` normalised for a report field, or raise ValueError."""
    if value is None:
        return None
    if ref == REPORT_SOURCE:
        if not isinstance(value, Mapping):
            raise ValueError(f"{key}: must be an object")
        name, sha, size = value.get("name"), value.get("sha256"), value.get("size")
        if not isinstance(name, str) or not name:
            raise ValueError(f"{key}: name must be a non-empty text")
        if (
            not isinstance(sha, str)
            or len(sha) != 64
            or any(c not in "0123456789abcdef" for c in sha)
        ):
            raise ValueError(f"{key}: sha256 must be 64 hex digits")
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise ValueError(f"{key}: size must be a whole number")
        return {"name": name, "sha256": sha, "size": size}
    if ref == REPORT_HIDDEN:
        if not isinstance(value, Mapping):
            raise ValueError(f"{key}: must be an object")
        out: dict[str, list[str]] = {}
        for no, ids in value.items():
            if not str(no).isdigit() or not isinstance(ids, list | tuple):
                raise ValueError(f"{key}: expected indicator numbers and lists of passage ids")
            if not all(isinstance(i, str) and len(i) == 16 for i in ids):
                raise ValueError(f"{key}: a passage id is 16 hex digits")
            if ids:
                out[str(int(no))] = sorted(set(ids))
        return out or None
    raise ValueError(f"unknown field {key!r}")
