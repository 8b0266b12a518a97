"""The company's CSR report loaded into a project, and the passages judged 不相关 per indicator.

The report is stored like evidence (chunked, SHA-256) and named by the field `report.source`
({name, sha256, size}): a field that names a stored file's hash is what keeps it from being
swept as unreferenced, so it travels with the project and survives a reopen. `report.hidden`
maps an indicator's number to the ids of passages the user marked 不相关 for it."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

SOURCE_KEY = "report.source"
HIDDEN_KEY = "report.hidden"
REPORT_KEYS = (SOURCE_KEY, HIDDEN_KEY)


def passage_id(heading: str, text: str) -> str:
    """A stable name for a passage: the same report gives the same ids after a reopen.

    16 hex digits, never 64: a 64-digit hash in a field would read as a stored file's."""
    return hashlib.sha256(f"{heading}\n{text}".encode()).hexdigest()[:16]


def check_report_value(key: str, value: Any) -> Any:
    """Return `value` normalised for a report field, or raise ValueError."""
    if value is None:
        return None
    if key == SOURCE_KEY:
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
    if key == HIDDEN_KEY:
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
