"""The scanned, signed and stamped 承诺书 and cover: which fields hold them and what they hold.

A scan is a stored file like any evidence (copied into the project, SHA-256 checked); the field
`scan.letter` / `scan.cover` names it as {name, sha256, size}. The complete documents print the
scan in place of the generated page, and the package carries it with its hash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

SCAN_TARGETS = {"letter": "诚信承诺书", "cover": "封面"}
SCAN_KEYS = frozenset(f"scan.{t}" for t in SCAN_TARGETS)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


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


def scan_key(target: str) -> str:
    return f"scan.{target}"


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


def scan_from(fields: Mapping[str, Any], target: str) -> Scan | None:
    """The scan attached to `target` ("letter" or "cover") among `fields`, if any."""
    value = fields.get(scan_key(target))
    if not isinstance(value, Mapping):
        return None
    of = value.get("of")
    recorded = {str(k): str(v) for k, v in of.items()} if isinstance(of, Mapping) else None
    return Scan(str(value["name"]), str(value["sha256"]), int(value["size"]), recorded)
