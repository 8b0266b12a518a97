"""Give the disk back the space of removed evidence: users e-mail and copy these files.

New projects use incremental vacuum: the pages of a removed file are returned at close in
place. Projects of earlier versions (auto_vacuum=NONE) are rewritten once, compactly, at close
when the slack is worth it (≥ 32 MB and a quarter of the file) and the disk has room for the
copy: `VACUUM INTO` a temporary file beside the project (switching it to incremental vacuum),
synced, then renamed over the project while the lock is still held.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from pathlib import Path

from csr_desktop.core.errors import CsrError
from csr_desktop.core.storage.blobs import Progress

AUTO_VACUUM_INCREMENTAL = 2
MIN_SLACK = 32 << 20


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.compact-{os.getpid()}")


_TEMP = re.compile(r"^\.(?P<name>.+)\.compact-(?P<pid>\d+)(?:-journal)?$")


def remove_stale_temps(path: Path) -> None:
    """A compaction killed half-way left its temporary copy beside the project: remove it
    (the project itself was never touched before the rename)."""
    from csr_desktop.core.lock import pid_alive

    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            m = _TEMP.match(entry.name)
            if m and m["name"] == path.name and not pid_alive(int(m["pid"])):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def shrink(db: sqlite3.Connection, path: Path, progress: Progress | None = None) -> Path | None:
    """Return free pages to the disk; a compact copy to rename over `path` after the
    connection is closed, or None when the file shrank in place (or need not)."""
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    (free,) = db.execute("PRAGMA freelist_count").fetchone()
    if not free:
        return None
    (auto,) = db.execute("PRAGMA auto_vacuum").fetchone()
    if int(auto) == AUTO_VACUUM_INCREMENTAL:
        db.executescript("PRAGMA incremental_vacuum;")  # execute() frees one page only
        return None
    slack = int(free) * int(page_size)
    size = path.stat().st_size
    if slack < max(MIN_SLACK, size // 4):
        return None
    needed = size - slack + (16 << 20)
    if shutil.disk_usage(path.parent).free < needed:
        return None  # no room for the copy now: the slack stays until a later close
    tmp = temp_name(path)
    _remove(tmp)
    expected = max(1, size - slack)
    if progress is not None:

        def tick() -> int:
            try:
                done = tmp.stat().st_size
            except OSError:
                done = 0
            return 0 if progress(min(done, expected), expected) else 1

        db.set_progress_handler(tick, 200_000)
    try:
        db.execute(f"PRAGMA auto_vacuum={AUTO_VACUUM_INCREMENTAL}")
        db.execute("VACUUM INTO ?", (str(tmp),))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    except (sqlite3.Error, OSError):
        _remove(tmp)
        return None  # cancelled, or no room after all: the project is as it was
    finally:
        db.set_progress_handler(None, 0)
    return tmp


def replace(tmp: Path, path: Path) -> bool:
    """Put the compact copy in place (the caller holds the lock, its connection closed)."""
    from csr_desktop.core.replace import replace_file

    try:
        replace_file(tmp, path)
    except (OSError, CsrError):  # held open elsewhere (Windows): keep the project as it is
        _remove(tmp)
        return False
    from csr_desktop.core.lock import _sync_folder

    _sync_folder(path.parent)
    return True


def _remove(tmp: Path) -> None:
    for p in (tmp, Path(f"{tmp}-journal")):
        with contextlib.suppress(OSError):
            p.unlink()
