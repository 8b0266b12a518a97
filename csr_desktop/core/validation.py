"""What is missing before the 自评材料 can be handed in, in words a user understands."""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
from collections.abc import Callable
from enum import Enum
from typing import NamedTuple

from csr_desktop.core.assessment import Assessment
from csr_desktop.core.model.fields import REVIEW_FIELD, FieldRef


class Severity(Enum):
    GAP = "缺项"  # the submission is incomplete: validate exits 1, exports are drafts
    WARNING = "提示"  # worth a look, but an honest answer may have it


class Finding(NamedTuple):
    """One thing missing, and where: the page (None = cover/letter) and the field key."""

    severity: Severity
    indicator_no: int | None
    key: str
    message: str

    def line(self) -> str:
        return f"{self.severity.value}：{self.message}"


BlobCheck = Callable[[str], bool]


def validate(assessment: Assessment, blob_ok: BlobCheck | None = None) -> list[Finding]:
    """List gaps and warnings in form order; `blob_ok(sha)` says a stored file is intact."""
    iset = assessment.indicator_set
    found: list[Finding] = []
    for f in iset.cover_fields:
        if not assessment.company.get(f.key, "").strip():
            found.append(
                Finding(Severity.GAP, None, FieldRef.company(f.key).key, f"封面：“{f.label}”未填写")
            )
    found.extend(letter_findings(assessment))
    for ind in iset.indicators:
        found.extend(indicator_findings(assessment, ind.no, blob_ok))
    return found


def letter_findings(assessment: Assessment) -> list[Finding]:
    """The gaps of the 诚信承诺书 alone: the one rule for when the letter can be printed to be
    signed and stamped (not a draft), used by its export and the window's export warning —
    the indicators may still be being answered."""
    found: list[Finding] = []
    for f in assessment.indicator_set.commitment.fields:
        if not assessment.commitment.get(f.key, "").strip():
            found.append(
                Finding(
                    Severity.GAP,
                    None,
                    FieldRef.commitment(f.key).key,
                    f"诚信承诺书：“{f.label}”未填写",
                )
            )
    return found


def indicator_findings(
    assessment: Assessment, no: int, blob_ok: BlobCheck | None = None
) -> list[Finding]:
    """The gaps and warnings of one indicator: the one definition of "complete" that the side
    list, the review page, `validate` and the draft marking all use."""
    ind = assessment.indicator_set.indicator(no)
    ans = assessment.answer(no)
    found: list[Finding] = []

    def key(field: str) -> str:
        return FieldRef.indicator(ind.no, field).key

    if ans.review_pending:  # carried over from last year: the user has not confirmed it
        found.append(Finding(Severity.GAP, ind.no, key(REVIEW_FIELD), f"{ind.label}：待复核"))
    if ans.rating is None:
        found.append(Finding(Severity.GAP, ind.no, key("rating"), f"{ind.label}：尚未选择企业自评"))
    for pos, item in enumerate(ans.evidence, start=1):
        if item.sha256 is None:
            found.append(
                Finding(
                    Severity.GAP,
                    ind.no,
                    key("evidence"),
                    f"{ind.label}：佐证材料目录第{pos}行“{item.name}”没有附上文件",
                )
            )
        elif blob_ok is not None and not blob_ok(item.sha256):
            found.append(
                Finding(
                    Severity.GAP,
                    ind.no,
                    key("evidence"),
                    f"{ind.label}：佐证材料目录第{pos}行“{item.name}”的文件已损坏"
                    "（SHA-256 校验不符），请重新添加",
                )
            )
    if not ans.narrative.strip():
        found.append(
            Finding(
                Severity.WARNING,
                ind.no,
                key("narrative"),
                f"{ind.label}：未填写相关工作情况介绍",
            )
        )
    if not ans.evidence:
        found.append(
            Finding(Severity.WARNING, ind.no, key("evidence"), f"{ind.label}：未提供佐证材料")
        )
    return found


def has_gaps(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.GAP for f in findings)


def indicator_status(assessment: Assessment, no: int, blob_ok: BlobCheck | None = None) -> str:
    """`done`, `incomplete` or `empty`: what the side list marks each page with.

    Done means no gap (validate's rule): warnings such as a missing narrative do not hold an
    indicator back, so the side list, its counter and the review page never disagree."""
    if not assessment.answer(no).started:
        return "empty"
    gaps = (f for f in indicator_findings(assessment, no, blob_ok) if f.severity is Severity.GAP)
    return "incomplete" if any(gaps) else "done"


def count_done(assessment: Assessment, blob_ok: BlobCheck | None = None) -> int:
    """How many indicators are done: the side list's 已完成 n/28."""
    return sum(
        indicator_status(assessment, ind.no, blob_ok) == "done"
        for ind in assessment.indicator_set.indicators
    )
