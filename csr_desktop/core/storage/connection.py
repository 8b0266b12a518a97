"""The only way to open a project's SQLite database.

Why one factory: `PRAGMA foreign_keys` and `synchronous` are per connection. A worker that
opened its own connection without them once deleted blob rows without their chunks and jammed
the evidence store for good. Every role gets every pragma the schema relies on, here.
"""

from __future__ import annotations

import ntpath
import os
import sqlite3
from enum import Enum
from pathlib import Path
from urllib.parse import quote

BUSY_TIMEOUT_MS = 10_000
JOURNAL_MODE = "TRUNCATE"  # docs/storage-design.md


class Role(Enum):
    """What a connection may do; decides how the file is opened."""

    WRITER = "writer"  # the window's or a command's own connection; holds the project lock
    WORKER = "worker"  # a second writer in the same process (evidence copy on a thread)
    READER = "reader"  # read-only: never writes the file, its -wal or its -journal
    SNAPSHOT = (
        "snapshot"  # read-only, main file only: side files are ignored (foreign, or RO media)
    )
    CREATE = "create"  # a brand-new file that nobody else knows yet


def connect(path: Path, role: Role) -> sqlite3.Connection:
    """Open `path` for `role` with every pragma the schema relies on."""
    if role in (Role.READER, Role.SNAPSHOT):
        uri = sqlite_uri(path) + "?mode=ro"
        if role is Role.SNAPSHOT:
            uri += "&immutable=1"
        db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA query_only=1")
    else:
        db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        # EXTRA: FULL, and the folder is synced when the rollback journal is deleted at commit,
        # so a power cut cannot bring back the journal of a committed transaction
        db.execute("PRAGMA synchronous=EXTRA")
        # the rollback journal, truncated rather than deleted at each commit: on an SMB share
        # a file another PC has open (or FUSE has not closed yet) cannot be deleted (EBUSY),
        # and a commit whose journal could not be deleted fails; truncation always works.
        # (A file still in WAL mode keeps it until its first write: Project.prepare_for_writing.)
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
        if str(mode).lower() != "wal":
            db.execute(f"PRAGMA journal_mode={JOURNAL_MODE}")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    # a received project's views and triggers must not call functions with side effects
    db.execute("PRAGMA trusted_schema=OFF")
    return db


def sqlite_uri(path: Path | str, windows: bool = os.name == "nt") -> str:
    """A `file:` URI SQLite accepts for `path`, built from its absolute path.

    Not `Path.resolve().as_uri()`: on Windows resolve() turns a mapped drive into
    \\\\server\\share, and as_uri() puts the server in the host part, which SQLite refuses
    (the user read 已损坏). A UNC path becomes file:////server/share/… (empty authority)."""
    if windows:
        full = ntpath.abspath(str(path))
        if full.startswith("\\\\?\\UNC\\"):
            full = "\\\\" + full[8:]
        elif full.startswith(("\\\\?\\", "\\\\.\\")):
            full = full[4:]
        text = full.replace("\\", "/")
        text = text if text.startswith("/") else "/" + text  # //server/… stays, C:/… → /C:/…
    else:
        text = os.path.abspath(path)
    return "file://" + quote(text, safe="/:")


def connect_copy_target(path: Path) -> sqlite3.Connection:
    """A fresh file that a backup (另存为) is written into; no project pragmas apply yet."""
    return sqlite3.connect(str(path), isolation_level=None)
