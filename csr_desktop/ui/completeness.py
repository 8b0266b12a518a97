"""The one meaning of "done" the window shows: the core's validation (an indicator is done when
it has no gap; warnings such as no narrative are allowed; empty when nothing was entered).

The side list's marks, its 已完成 n/28 and the review page's verdict all come from here, and
from the core's validation only."""

from __future__ import annotations

from csr_desktop.core import validation
from csr_desktop.core.assessment import Assessment
from csr_desktop.core.validation import BlobCheck


def indicator_statuses(assessment: Assessment, blob_ok: BlobCheck | None) -> dict[int, str]:
    """`done`, `incomplete` or `empty` for every indicator."""
    return {
        no: validation.indicator_status(assessment, no, blob_ok)
        for no in assessment.indicator_set.numbers
    }


def count_done(assessment: Assessment, blob_ok: BlobCheck | None) -> int:
    return validation.count_done(assessment, blob_ok)
