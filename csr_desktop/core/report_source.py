"""The company's CSR report loaded into a project, and the passages judged 不相关 per indicator.

The report is stored like evidence (chunked, SHA-256) and named by the field `report.source`
({name, sha256, size}): a field that names a stored file's hash is what keeps it from being
swept as unreferenced, so it travels with the project and survives a reopen. `report.hidden`
maps an indicator's number to the ids of passages the user marked 不相关 for it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from csr_desktop.core.model.fields import REPORT_HIDDEN, REPORT_SOURCE

SOURCE_KEY = REPORT_SOURCE.key
HIDDEN_KEY = REPORT_HIDDEN.key
REPORT_KEYS = (SOURCE_KEY, HIDDEN_KEY)


def passage_id(heading: str, text: str) -> str:
    """A stable name for a passage: the same report gives the same ids after a reopen.

    16 hex digits, never 64: a 64-digit hash in a field would read as a stored file's."""
    return hashlib.sha256(f"{heading}\n{text}".encode()).hexdigest()[:16]


def hidden_for(hidden: Any, no: int) -> frozenset[str]:
    """The passage ids hidden for indicator `no`."""
    if not isinstance(hidden, Mapping):
        return frozenset()
    return frozenset(hidden.get(str(no), ()))


def with_hidden(hidden: Any, no: int, pid: str) -> dict[str, list[str]]:
    """`report.hidden` with one more passage hidden for indicator `no`."""
    out = {k: list(v) for k, v in (hidden or {}).items()}
    out[str(no)] = sorted({*out.get(str(no), []), pid})
    return out
