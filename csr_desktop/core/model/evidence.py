"""What names a stored file: a row of a 佐证材料目录, and a scanned, stamped page."""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

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


class Scan(NamedTuple):
    """A stored scan: the original file name, its SHA-256 and size, and what it was taken of —
    the page's fields when it was attached (None: not recorded), so a later edit shows."""

    name: str
    sha256: str
    size: int
    of: dict[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "sha256": self.sha256, "size": self.size}
        if self.of is not None:
            data["of"] = dict(self.of)
        return data


def check_scan(key: str, value: Any) -> dict[str, Any] | None:
    """The normal form of a scan field (None: no scan), or ValueError saying what is wrong."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(f"{key}: a scan must be an object")
    name, sha, size = value.get("name"), value.get("sha256"), value.get("size")
    if not isinstance(name, str) or not isinstance(sha, str) or not _SHA256.match(sha):
        raise ValueError(f"{key}: a scan needs a name and a sha256")
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError(f"{key}: bad size {size!r}")
    of = value.get("of")
    if of is not None and (
        not isinstance(of, Mapping)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in of.items())
    ):
        raise ValueError(f"{key}: 'of' must map field names to texts")
    return Scan(name, sha, size, None if of is None else dict(of)).to_json()
