"""Side files beside a project: our own crashed transaction's journal, or a stranger's.

SQLite rolls back any hot `-journal` (and applies any `-wal`) lying beside a database when it
opens it, whoever wrote it. A project copied over a crashed one would inherit the stranger's
pages. The trust rule (docs/storage-design.md):

- a `-journal` is ours when its pre-image of page 1 and the main file's page 1 are the same
  database one transaction apart (lineage), and a lock, where one exists, names the project id
  the main file holds. With a rollback journal the main file holds every commit, so this judges
  only the pre-images of one unfinished transaction;
- a `-wal` (projects of earlier versions) is ours when a lock names this project's id, judged
  from the main file, or where that is unreadable mid-checkpoint, from a read-only temporary
  copy with the WAL applied.

Anything else is in doubt: nothing is moved, the project opens read-only from the main file.
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
import contextlib
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import NamedTuple

from csr_desktop.core.lock import lock_path, read_lock
from csr_desktop.core.storage.connection import Role, connect

WAL_HEADER = 32  # a WAL no longer than its header holds no pages
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


class SideFiles(NamedTuple):
    pending: tuple[Path, ...]  # side files holding pages SQLite would apply
    ours: bool  # judged this project's by the trust rule

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
        return _identity_of(db)
    finally:
        db.close()


def _identity_of(db: sqlite3.Connection) -> str:
    try:
        meta = dict(
            db.execute(
                "SELECT key, value FROM meta WHERE key IN "
                "('project_id', 'created_at', 'created_by')"
            )
        )
    except sqlite3.Error:
        return ""
    if "project_id" in meta:
        return str(meta["project_id"])
    if not meta:
        return ""
    return f"{meta.get('created_at', '')}|{meta.get('created_by', '')}"


def identity_with_side_file(path: Path, side_file: Path) -> str:
    """The id of the project with `side_file` applied, on a temporary copy: the originals are
    only read. Used when the main file alone is unreadable (a crash mid-checkpoint)."""
    with tempfile.TemporaryDirectory(prefix="csr-desktop-view-") as folder:
        view = Path(folder) / "view.csrproj"
        try:
            shutil.copyfile(path, view)
            suffix = "-wal" if side_file.name.endswith("-wal") else "-journal"
            shutil.copyfile(side_file, side(view, suffix))
            # a writable connection on our own copy: SQLite refuses to roll a journal back
            # read-only ("attempt to write a readonly database")
            db = connect(view, Role.CREATE)
        except (OSError, sqlite3.Error):
            return ""
        try:
            return _identity_of(db)
        finally:
            db.close()


class _Header(NamedTuple):
    page_size: int
    counter: int  # the file change counter (offset 24)
    pages: int  # the database size in pages (offset 28)
    app_id: bytes


def _header(page: bytes) -> _Header | None:
    if len(page) < 100 or not page.startswith(b"SQLite format 3\x00"):
        return None
    size = int.from_bytes(page[16:18], "big")
    return _Header(
        65536 if size == 1 else size,
        int.from_bytes(page[24:28], "big"),
        int.from_bytes(page[28:32], "big"),
        page[68:72],
    )


def journal_page_one(journal: Path) -> tuple[int, int, bytes | None] | None:
    """(page size, original size in pages, pre-image of page 1 or None) of a rollback journal;
    None when it is not a journal SQLite would roll back (no magic: it is ignored)."""
    try:
        with open(journal, "rb") as fh:
            head = fh.read(28)
            if len(head) < 28 or not head.startswith(JOURNAL_MAGIC):
                return None
            original_pages = int.from_bytes(head[16:20], "big")
            sector = int.from_bytes(head[20:24], "big")
            page_size = int.from_bytes(head[24:28], "big")
            if not (512 <= sector <= 65536 and 512 <= page_size <= 65536):
                return (page_size, original_pages, None)
            # records follow the header sector: page number, page, checksum; any could be
            # page 1, which every transaction that writes journals (its change counter)
            fh.seek(sector)
            record = 4 + page_size + 4
            for _ in range(1 << 20):
                number = fh.read(4)
                if len(number) < 4:
                    break
                if int.from_bytes(number, "big") == 1:
                    page = fh.read(page_size)
                    return (page_size, original_pages, page if len(page) == page_size else None)
                fh.seek(record - 4, os.SEEK_CUR)
            return (page_size, original_pages, None)
    except OSError:
        return None


def _journal_lineage(path: Path, journal: Path) -> bool:
    """The journal's pre-images belong to this very file, one transaction back."""
    parsed = journal_page_one(journal)
    if parsed is None:
        return True  # SQLite ignores a journal without its magic: nothing would be applied
    page_size, original_pages, page_one = parsed
    try:
        with open(path, "rb") as fh:
            main = _header(fh.read(100))
    except OSError:
        return False
    if main is None or main.page_size != page_size:
        return False
    if page_one is None:
        # page 1 was not journaled yet, so the main file's page 1 is the original
        return main.pages == original_pages or original_pages == 0
    before = _header(page_one)
    return (
        before is not None
        and before.app_id == main.app_id
        and main.counter in (before.counter, (before.counter + 1) & 0xFFFFFFFF)
    )


def inspect(path: Path) -> SideFiles:
    wal, journal = side(path, "-wal"), side(path, "-journal")
    pending = tuple(p for p, minimum in ((wal, WAL_HEADER), (journal, 0)) if _has_pages(p, minimum))
    if not pending:
        return SideFiles((), True)
    info = read_lock(lock_path(path))
    claimed = info.get("project_id") if info is not None else None
    if journal in pending and not _journal_lineage(path, journal):
        return SideFiles(pending, False)
    if wal in pending:
        if not isinstance(claimed, str):
            # a lock of the first release recorded no id and was trusted as then; no lock at
            # all: a WAL's committed edits are kept only when its lock vouches for them
            return SideFiles(pending, info is not None and claimed is None)
        if not _matches(path, wal, claimed):
            return SideFiles(pending, False)
    elif isinstance(claimed, str) and claimed and not _matches(path, journal, claimed):
        return SideFiles(pending, False)
    return SideFiles(pending, True)


def _matches(path: Path, side_file: Path, claimed: str) -> bool:
    found = identity(path)
    if not found:  # mid-checkpoint the main file alone is no database: look with it applied
        found = identity_with_side_file(path, side_file)
    return found == claimed


def describe_doubt(files: tuple[Path, ...]) -> str:
    """What was found and what to do, when the trust rule says “in doubt”."""
    from csr_desktop.core.errors import quoted

    names = "、".join(quoted(p.name) for p in files)
    return (
        f"项目文件旁有未完成的修改记录 {names}，但无法确认它属于这个项目（可能是另一个项目或"
        "较早副本留下的）。为安全起见未应用、未移动任何文件，已以只读方式打开。"
        "如果这个项目刚才在本机或其他电脑上异常退出，请先在那台电脑上重新打开它；"
        "如果确认该文件不属于本项目，可将其移走后再以编辑方式打开"
    )


def remove_created(path: Path, existed_before: dict[Path, bool]) -> None:
    """A reader that had to create an -shm index removes it again if no writer uses it."""
    for p, was_there in existed_before.items():
        if not was_there:
            with contextlib.suppress(OSError):
                p.unlink()
