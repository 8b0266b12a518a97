"""Who answers which indicators (负责部门), and where each department's workbook stands
(`operations.departments.assign` gives indicators to a department).

Both are ordinary fields, so they are saved, audited and undone like any answer:
`indicator.N.department` (text) and `departments.tracking` (a list of events: a workbook sent
to a department, a return imported from it). A return's event is written in the same
transaction as its changes (`operations.imports`), so undoing an import also undoes "came back".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from csr_desktop.core.errors import CsrError
from csr_desktop.core.indicators import IndicatorSet
from csr_desktop.core.model.fields import TRACKING

if TYPE_CHECKING:
    from csr_desktop.core.store import Project

TRACKING_KEY = TRACKING.key
MAX_NAME = 60


def check_name(name: str) -> str:
    """A department name fit for a table cell (file names are made safe where they are made),
    or CsrError; the same rule as the window's 负责部门 field, which holds at most MAX_NAME."""
    name = name.strip()
    if not name:
        raise CsrError("部门名称不能为空", "empty department name")
    if len(name) > MAX_NAME or not name.isprintable():
        raise CsrError(
            f"部门名称“{name[:MAX_NAME]}”不能含有控制字符，且不超过 {MAX_NAME} 字",
            "bad department name",
        )
    return name


def parse_numbers(iset: IndicatorSet, items: Iterable[str]) -> list[int]:
    """`16 17`, `13-15`, `7,8,9` → indicator numbers, each checked against the set."""
    numbers: list[int] = []
    last = len(iset.numbers)
    for item in items:
        for part in re.split(r"[,，、]", item):
            part = part.strip()
            if not part:
                continue
            m = re.fullmatch(r"(\d+)\s*[-–~]\s*(\d+)|(\d+)", part)
            if m is None:
                raise CsrError(f"指标序号“{part}”无法识别（应为 1–{last}）", f"bad number {part!r}")
            lo, hi = (
                (int(m.group(1)), int(m.group(2))) if m.group(3) is None else (int(m.group(3)),) * 2
            )
            if not (1 <= lo <= hi <= last):
                raise CsrError(f"指标序号“{part}”超出范围（应为 1–{last}）", f"{part} out of range")
            numbers.extend(n for n in range(lo, hi + 1) if n not in numbers)
    if not numbers:
        raise CsrError("请至少给出一个指标序号", "no indicator numbers")
    return numbers


def assignments(project: Project) -> dict[int, str]:
    """Indicator number → its department, for the assigned ones."""
    answers = project.assessment().answers
    return {no: dept for no, a in answers.items() if (dept := a.department.strip())}


def departments(project: Project) -> list[str]:
    """Every department, in the order of its first indicator."""
    seen: list[str] = []
    for dept in assignments(project).values():
        if dept not in seen:
            seen.append(dept)
    return seen


def numbers_for(project: Project, department: str) -> tuple[int, ...]:
    return tuple(no for no, d in assignments(project).items() if d == department)


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def with_event(
    project: Project,
    department: str,
    event: str,
    file: str,
    applied: int = 0,
    conflicts: int = 0,
    base: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The tracking field (or `base`) with one more event, for the caller's `apply`."""
    events = list(project.get(TRACKING_KEY) or [] if base is None else base)
    events.append(
        {
            "department": department,
            "event": event,
            "at": _now(),
            "file": file,
            "applied": applied,
            "conflicts": conflicts,
        }
    )
    return events


class Tracking(NamedTuple):
    """One department's line on the review page."""

    department: str
    indicators: tuple[int, ...]
    sent_at: str  # "" when never sent
    sent_file: str
    returned_at: str  # "" when nothing came back since
    returned_file: str
    returns: int
    applied: int  # changes applied from its returns, all together
    conflicts: int  # conflicts of its latest return where the project's value was kept


def tracking(project: Project) -> list[Tracking]:
    """Per department: when its workbook went out and came back, what its returns did."""
    events = list(project.get(TRACKING_KEY) or [])
    names = departments(project)
    for e in events:
        if e["department"] and e["department"] not in names:
            names.append(e["department"])
    rows = []
    for name in names:
        mine = [e for e in events if e["department"] == name]
        sent = [e for e in mine if e["event"] == "sent"]
        back = [e for e in mine if e["event"] == "returned"]
        rows.append(
            Tracking(
                department=name,
                indicators=numbers_for(project, name),
                sent_at=sent[-1]["at"] if sent else "",
                sent_file=sent[-1]["file"] if sent else "",
                returned_at=back[-1]["at"] if back else "",
                returned_file=back[-1]["file"] if back else "",
                returns=len(back),
                applied=sum(e["applied"] for e in back),
                conflicts=back[-1]["conflicts"] if back else 0,
            )
        )
    return rows
