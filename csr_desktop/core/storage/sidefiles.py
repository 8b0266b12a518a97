"""Side files (-wal, -journal) beside a project: ours to recover from, or a stranger's.

SQLite applies any -wal or hot -journal lying beside a database when it opens it, whoever
wrote it; nothing in the main file ties a WAL to it. A project copied over another one that had
crashed thus inherited the stranger's pages on the first read. Our writers record the project's
id in the lock file they hold (and leave it behind, marked closed, when a WAL could not be
folded in), so a side file is trusted only when a lock of this project's id vouches for it.
Anything else is set aside (renamed, never deleted) before a writer opens the file, and
ignored by readers, who never change the file or its side files.
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
import contextlib
import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

from csr_desktop.core.lock import lock_path, read_lock
from csr_desktop.core.storage.connection import Role, connect

WAL_HEADER = 32  # a WAL no longer than its header holds no pages


class SideFiles(NamedTuple):
    pending: tuple[Path, ...]  # side files holding pages SQLite would apply
    ours: bool  # a lock of this project vouches for them

    @property
    def foreign(self) -> tuple[Path, ...]:
        return () if self.ours else self.pending


def side(path: Path, suffix: str) -> Path:
    return Path(f"{path}{suffix}")


def _has_pages(p: Path, minimum: int) -> bool:
    try:
        return p.stat().st_size > minimum
    except OSError:
        return False


def identity(path: Path) -> str:
    """The project's id as the main file alone says it (side files ignored); '' if unknown."""
    try:
        db = connect(path, Role.SNAPSHOT)
    except sqlite3.Error:
        return ""
    try:
        meta = dict(
            db.execute(
                "SELECT key, value FROM meta WHERE key IN "
                "('project_id', 'created_at', 'created_by')"
            )
        )
    except sqlite3.Error:
        return ""
    finally:
        db.close()
    if "project_id" in meta:
        return str(meta["project_id"])
    return f"{meta.get('created_at', '')}|{meta.get('created_by', '')}"


def inspect(path: Path) -> SideFiles:
    pending = tuple(
        p
        for p, minimum in ((side(path, "-wal"), WAL_HEADER), (side(path, "-journal"), 0))
        if _has_pages(p, minimum)
    )
    if not pending:
        return SideFiles((), True)
    info = read_lock(lock_path(path))
    if info is None:
        return SideFiles(pending, False)
    claimed = info.get("project_id")
    if claimed is None:  # a lock of the first release, which recorded no id: trust it as then
        return SideFiles(pending, True)
    return SideFiles(pending, claimed == identity(path))


def set_aside(files: tuple[Path, ...]) -> list[Path]:
    """Rename foreign side files (and the -shm index beside them) out of SQLite's way."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    moved = []
    for p in files:
        target = p.with_name(f"{p.name}.外来-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = p.with_name(f"{p.name}.外来-{stamp}-{n}")
        os.replace(p, target)
        moved.append(target)
    if any(p.name.endswith("-wal") for p in files):
        shm = Path(str(files[0]).rsplit("-", 1)[0] + "-shm")
        with contextlib.suppress(OSError):
            os.replace(shm, shm.with_name(f"{shm.name}.外来-{stamp}"))
    return moved


def remove_created(path: Path, existed_before: dict[Path, bool]) -> None:
    """A reader that had to create an -shm index removes it again if no writer uses it."""
    for p, was_there in existed_before.items():
        if not was_there:
            with contextlib.suppress(OSError):
                p.unlink()
