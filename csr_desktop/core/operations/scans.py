"""The stamped 承诺书 and cover: a scan attached (stored like evidence) or removed.

Whether the file is a PDF or picture the documents can show is the formats' check
(`formats/evidence/scan_files.scan_kind`), made before this is called; so is what the page held (`of`).
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from csr_desktop.core.errors import InputFileError
from csr_desktop.core.model.evidence import Scan
from csr_desktop.core.model.fields import SCAN_TARGETS, FieldRef
from csr_desktop.core.operations.ingest import ingest_one
from csr_desktop.core.operations.result import Changed, changed
from csr_desktop.core.storage.blobs import Progress
from csr_desktop.core.storage.project import ProjectFile


class ScanAttached(NamedTuple):
    scan: Scan
    changed: Changed


def check_target(target: str) -> str:
    if target not in SCAN_TARGETS:
        raise InputFileError(f"未知的扫描件类别：{target}（可用 letter 或 cover）", target)
    return target


def attach_scan(
    project: ProjectFile,
    target: str,
    path: Path,
    of: Mapping[str, str],
    progress: Progress | None = None,
) -> ScanAttached:
    """Store the scan and point `scan.<target>` at it (one undo step); `of` is the page's
    fields as they are now: what the scan was taken of."""
    check_target(target)
    path = Path(path)
    stored = ingest_one(project, path, progress)
    scan = Scan(path.name, stored.sha256, stored.size, dict(of))
    label = f"附上{SCAN_TARGETS[target]}签章扫描件：{path.name}"
    return ScanAttached(
        scan, changed(label, project.commit({FieldRef.scan(target).key: scan.to_json()}, label))
    )


def remove_scan(project: ProjectFile, target: str) -> Changed:
    label = f"移除{SCAN_TARGETS[check_target(target)]}签章扫描件"
    return changed(label, project.commit({FieldRef.scan(target).key: None}, label))
