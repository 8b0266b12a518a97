"""The one meaning of "done" the window shows: an indicator is done when validation finds no
gap in it (warnings such as no narrative are allowed), empty when nothing was entered.

The side list's marks, its 已完成 n/28 and the review page's verdict all come from here, and
from the core's validation only."""

from __future__ import annotations

import inspect

from csr_desktop.core import validation
from csr_desktop.core.assessment import Assessment
from csr_desktop.core.validation import BlobCheck, Severity

# The core's own `indicator_status(assessment, no, blob_ok)` and `count_done` (issue 12) are
# used once the core has them; until then the same rule is derived from `validate` here.
_CORE_RULE = (
    hasattr(validation, "count_done")
    and "blob_ok" in inspect.signature(validation.indicator_status).parameters
)


def indicator_statuses(assessment: Assessment, blob_ok: BlobCheck | None) -> dict[int, str]:
    """`done`, `incomplete` or `empty` for every indicator."""
    numbers = assessment.indicator_set.numbers
    if _CORE_RULE:
        return {
            no: validation.indicator_status(assessment, no, blob_ok)  # type: ignore[call-arg]
            for no in numbers
        }
    gaps = {
        f.indicator_no
        for f in validation.validate(assessment, blob_ok)
        if f.severity is Severity.GAP and f.indicator_no is not None
    }
    return {
        no: "empty"
        if not assessment.answer(no).started
        else ("incomplete" if no in gaps else "done")
        for no in numbers
    }


def count_done(assessment: Assessment, blob_ok: BlobCheck | None) -> int:
    if _CORE_RULE:
        return int(validation.count_done(assessment, blob_ok))  # type: ignore[attr-defined]
    return sum(1 for s in indicator_statuses(assessment, blob_ok).values() if s == "done")


def is_complete(assessment: Assessment, blob_ok: BlobCheck | None) -> bool:
    """Ready to submit: validation finds no gap anywhere (cover and letter included)."""
    return not validation.has_gaps(validation.validate(assessment, blob_ok))
