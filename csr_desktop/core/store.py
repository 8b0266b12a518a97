"""The project as the rest of the app names it: the project file (`core/storage/`) with the
common operations (`core/operations`) as methods, for scripts, tests and benchmarks.

The window's session and the CLI call `core/operations` directly; these methods are the same
calls, so there is still one way to do each thing.
"""

from __future__ import annotations

from pathlib import Path

from csr_desktop.core.model.evidence import EvidenceItem
from csr_desktop.core.operations import evidence, fields
from csr_desktop.core.storage.blobs import Progress, StoredFile
from csr_desktop.core.storage.history import Change, ChangeSet
from csr_desktop.core.storage.project import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    AuditEntry,
    ProjectFile,
    check_header,
    os_user,
)

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "AuditEntry",
    "Change",
    "ChangeSet",
    "Project",
    "ProjectFile",
    "check_header",
    "os_user",
]


class Project(ProjectFile):
    """An open project file; edits as methods that call `core/operations`."""

    def set_rating(self, no: int, rating: int | None) -> bool:
        return fields.set_rating(self, no, rating).done

    def set_evidence(self, no: int, items: list[EvidenceItem], label: str) -> bool:
        return evidence.set_evidence(self, no, items, label).done

    def add_evidence_files(
        self,
        no: int,
        paths: list[Path],
        progress: Progress | None = None,
        stored: list[StoredFile] | None = None,
    ) -> list[EvidenceItem]:
        """Every file a row, even one already listed (`operations.evidence.add_evidence`
        asks or skips)."""
        added = evidence.add_evidence(
            self, no, paths, progress, stored=stored, again=lambda *_: True
        )
        return list(added.items)
