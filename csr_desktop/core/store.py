"""The project file's public face; the implementation lives in `core/storage/`."""

from csr_desktop.core.storage.history import Change, ChangeSet
from csr_desktop.core.storage.project import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    AuditEntry,
    Project,
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
    "check_header",
    "os_user",
]
