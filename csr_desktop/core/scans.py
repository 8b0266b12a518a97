"""The scanned, signed and stamped 承诺书 and cover: which fields hold them and what they hold.

A scan is a stored file like any evidence (copied into the project, SHA-256 checked); the field
`scan.letter` / `scan.cover` names it as {name, sha256, size}. The complete documents print the
scan in place of the generated page, and the package carries it with its hash.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csr_desktop.core.model.evidence import Scan, check_scan
from csr_desktop.core.model.fields import SCAN_TARGETS, FieldRef

SCAN_KEYS = frozenset(FieldRef.scan(t).key for t in SCAN_TARGETS)
__all__ = ["SCAN_KEYS", "SCAN_TARGETS", "Scan", "check_scan", "scan_from"]


def scan_from(fields: Mapping[str, Any], target: str) -> Scan | None:
    """The scan attached to `target` ("letter" or "cover") among `fields`, if any."""
    value = fields.get(FieldRef.scan(target).key)
    if not isinstance(value, Mapping):
        return None
    of = value.get("of")
    recorded = {str(k): str(v) for k, v in of.items()} if isinstance(of, Mapping) else None
    return Scan(str(value["name"]), str(value["sha256"]), int(value["size"]), recorded)
