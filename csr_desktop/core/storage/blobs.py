"""Evidence files inside the project: streamed in as chunks, hashed, deduplicated, verified.

Memory stays flat whatever the file size: the file is read and written 1 MiB at a time,
committed in batches, and a blob only becomes visible once complete. The store deletes a
blob's chunks itself (it does not rely on a cascade a connection might not have), ids are
never reused, and `sweep` removes what an interrupted copy or a removed row left behind.
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
import datetime as dt
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from csr_desktop.core.errors import (
    Cancelled,
    CsrError,
    InputFileError,
    StoredFileDamaged,
    quoted,
    write_error,
)

if TYPE_CHECKING:  # concurrent.futures stays off the window's start-up path
    from concurrent.futures import Future

CHUNK_SIZE = 1 << 20
CHUNKS_PER_COMMIT = 8  # short write transactions: edits from the UI never wait long

Progress = Callable[[int, int], bool]  # (bytes done, bytes total) -> keep going?
_SHA_IN_JSON = re.compile(r'"([0-9a-f]{64})"')


class StoredFile(NamedTuple):
    """A file copied into the project."""

    sha256: str
    size: int
    added_at: str


class SweepReport(NamedTuple):
    incomplete: int  # blobs whose copy was interrupted
    orphan_chunks: int  # chunk rows whose blob row is gone (v1's jam)
    unreferenced: int  # complete files no field refers to any more

    @property
    def anything(self) -> bool:
        return bool(self.incomplete or self.orphan_chunks or self.unreferenced)

    def words(self) -> str:
        return (
            f"清理了 {self.incomplete} 个未复制完的文件、{self.orphan_chunks} 个残留数据块、"
            f"{self.unreferenced} 个不再使用的文件"
        )


def file_size(path: Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError as exc:
        raise input_error(Path(path), exc) from exc


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def ingest(
    db: sqlite3.Connection, project_path: Path, source: Path, progress: Progress | None = None
) -> StoredFile:
    """Copy `source` into the project behind `db`; raises Cancelled if `progress` says stop.

    The SHA-256 of each chunk is computed on a second thread while SQLite writes the previous
    one (both release the GIL): hashing alone costs about as much as writing here."""
    total = file_size(source)
    import hashlib  # here, not at import: opening the app's window never hashes
    from concurrent.futures import ThreadPoolExecutor

    from csr_desktop.core.bounded_read import open_regular

    digest = hashlib.sha256()
    size = 0
    fh = open_regular(source)  # a FIFO or device swapped in is refused, never blocks
    before = os.fstat(fh.fileno())
    hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="csr-sha256")
    hashing: list[Future[None]] = []  # at most two chunks in flight: memory stays flat
    blob_id: int | None = None
    now = _now()
    # a batch stays in memory until its commit: no page reaches the main file before it, so
    # a reader on another PC sees the main file whole between commits (storage-design.md)
    db.execute(f"PRAGMA cache_size=-{max(4096, (CHUNKS_PER_COMMIT + 8) * CHUNK_SIZE // 1024)}")
    try:
        db.execute("BEGIN IMMEDIATE")
        blob_id = int(db.execute("INSERT INTO blobs(added_at) VALUES(?)", (now,)).lastrowid or 0)
        seq = 0
        while True:
            try:
                chunk = fh.read(CHUNK_SIZE)
            except OSError as exc:
                raise input_error(source, exc) from exc
            if not chunk:
                break
            hashing.append(hasher.submit(digest.update, chunk))  # in order: one worker
            if len(hashing) > 2:
                hashing.pop(0).result()
            size += len(chunk)
            db.execute("INSERT INTO blob_chunks VALUES(?, ?, ?)", (blob_id, seq, chunk))
            seq += 1
            if seq % CHUNKS_PER_COMMIT == 0:
                db.execute("COMMIT")
                db.execute("BEGIN IMMEDIATE")
            if progress is not None and not progress(size, total):
                raise Cancelled()
        for pending in hashing:
            pending.result()
        _check_unchanged(source, before, os.fstat(fh.fileno()), size)
        sha = digest.hexdigest()
        existing = stored(db, sha)
        if existing is not None:
            _delete(db, blob_id)
            db.execute("COMMIT")
            return existing
        db.execute("UPDATE blobs SET sha256=?, size=?, complete=1 WHERE id=?", (sha, size, blob_id))
        db.execute("COMMIT")
        return StoredFile(sha, size, now)
    except BaseException as exc:
        _abandon(db, project_path, blob_id, exc)
        raise
    finally:
        hasher.shutdown(wait=True)
        fh.close()


def ingest_batch(
    db: sqlite3.Connection, project_path: Path, paths: list[Path], progress: Progress | None
) -> list[StoredFile]:
    """`ingest` several files with one progress (bytes done of the batch's total)."""
    total = sum(file_size(p) for p in paths)
    from csr_desktop.core.room import check_room

    check_room(project_path, total)  # refused by name before the first byte is copied
    stored: list[StoredFile] = []
    done = 0
    for p in paths:

        def step(n: int, _t: int, base: int = done) -> bool:
            return progress(base + n, total) if progress else True

        stored.append(ingest(db, project_path, p, step))
        done += stored[-1].size
    return stored


def copy_between(
    src: sqlite3.Connection,
    src_path: Path,
    db: sqlite3.Connection,
    project_path: Path,
    sha256: str,
    progress: Progress | None = None,
) -> StoredFile:
    """Copy a stored file from another project's connection, chunk by chunk, hash checked.

    Why not out to a file and in again (new-year did so): no temporary copy on the disk, no
    second read of it, and each chunk is read in a statement of its own (the source is never
    held) and written in the same short batches as `ingest`. A source file missing or failing
    its hash raises StoredFileDamaged naming the source; nothing of the copy stays."""
    import hashlib
    from concurrent.futures import ThreadPoolExecutor

    existing = stored(db, sha256)
    if existing is not None:
        return existing
    try:
        chunks = iter_chunks(src, sha256)
    except KeyError as exc:
        raise _missing(src_path, sha256) from exc
    total = stored(src, sha256)
    digest = hashlib.sha256()
    hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="csr-sha256")
    hashing: list[Future[None]] = []  # as in `ingest`: hashed while SQLite writes
    size = 0
    blob_id: int | None = None
    now = _now()
    db.execute(f"PRAGMA cache_size=-{max(4096, (CHUNKS_PER_COMMIT + 8) * CHUNK_SIZE // 1024)}")
    try:
        db.execute("BEGIN IMMEDIATE")
        blob_id = int(db.execute("INSERT INTO blobs(added_at) VALUES(?)", (now,)).lastrowid or 0)
        for seq, chunk in enumerate(chunks):
            hashing.append(hasher.submit(digest.update, chunk))
            if len(hashing) > 2:
                hashing.pop(0).result()
            size += len(chunk)
            db.execute("INSERT INTO blob_chunks VALUES(?, ?, ?)", (blob_id, seq, chunk))
            if (seq + 1) % CHUNKS_PER_COMMIT == 0:
                db.execute("COMMIT")
                db.execute("BEGIN IMMEDIATE")
            if progress is not None and not progress(size, total.size if total else size):
                raise Cancelled()
        for pending in hashing:
            pending.result()
        if digest.hexdigest() != sha256:
            raise _tampered(src_path, sha256)
        db.execute(
            "UPDATE blobs SET sha256=?, size=?, complete=1 WHERE id=?", (sha256, size, blob_id)
        )
        db.execute("COMMIT")
        return StoredFile(sha256, size, now)
    except BaseException as exc:
        _abandon(db, project_path, blob_id, exc)
        raise
    finally:
        hasher.shutdown(wait=True)


def _check_unchanged(
    source: Path, before: os.stat_result, after: os.stat_result, read: int
) -> None:
    """A file written to while it was copied is refused: the copy would match neither version."""
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or (
        read != after.st_size
    ):
        raise InputFileError(
            f"文件 {quoted(source)} 在复制过程中被修改了，未添加；请等它保存完毕后再添加",
            f"{source} changed while it was being copied",
        )


def _delete(db: sqlite3.Connection, blob_id: int) -> None:
    db.execute("DELETE FROM blob_chunks WHERE blob_id=?", (blob_id,))
    db.execute("DELETE FROM blobs WHERE id=?", (blob_id,))


def _abandon(
    db: sqlite3.Connection, project_path: Path, blob_id: int | None, exc: BaseException
) -> None:
    """A copy that failed part-way: its open batch rolled back, its committed batches removed,
    and a database error said as the project's (the caller re-raises anything else)."""
    if db.in_transaction:
        db.execute("ROLLBACK")
    if blob_id is not None:
        _discard_incomplete(db, blob_id)
    if isinstance(exc, sqlite3.Error):
        raise write_error(project_path, exc) from exc


def _discard_incomplete(db: sqlite3.Connection, blob_id: int) -> None:
    """Remove a cancelled copy's committed batches; if this fails too, `sweep` does it later."""
    try:
        db.execute("BEGIN IMMEDIATE")
        if db.execute("SELECT 1 FROM blobs WHERE id=? AND complete=0", (blob_id,)).fetchone():
            _delete(db, blob_id)
        db.execute("COMMIT")
    except sqlite3.Error:
        if db.in_transaction:
            db.execute("ROLLBACK")


def referenced_hashes(db: sqlite3.Connection) -> set[str]:
    """Every SHA-256 any field mentions: catalogue rows, scans, whatever a later version adds."""
    found: set[str] = set()
    for (value,) in db.execute("SELECT value FROM fields"):
        found.update(_SHA_IN_JSON.findall(str(value)))
    return found


def sweep(db: sqlite3.Connection, keep: set[str] | None = None) -> SweepReport:
    """Drop interrupted copies, orphaned chunks and files nothing refers to (one transaction).

    Only a writer holding the lock calls this, at open, when no undo history can still
    refer to a removed file."""
    keep = referenced_hashes(db) if keep is None else keep
    incomplete = [r[0] for r in db.execute("SELECT id FROM blobs WHERE complete=0")]
    unreferenced = [
        r[0]
        for r in db.execute("SELECT id, sha256 FROM blobs WHERE complete=1")
        if r[1] not in keep
    ]
    (orphans,) = db.execute(
        "SELECT count(*) FROM blob_chunks WHERE blob_id NOT IN (SELECT id FROM blobs)"
    ).fetchone()
    report = SweepReport(len(incomplete), int(orphans), len(unreferenced))
    if not report.anything:
        return report
    db.execute("BEGIN IMMEDIATE")
    try:
        for blob_id in (*incomplete, *unreferenced):
            _delete(db, int(blob_id))
        db.execute("DELETE FROM blob_chunks WHERE blob_id NOT IN (SELECT id FROM blobs)")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return report


def stored(db: sqlite3.Connection, sha256: str) -> StoredFile | None:
    row = db.execute(
        "SELECT size, added_at FROM blobs WHERE sha256=? AND complete=1", (sha256,)
    ).fetchone()
    return None if row is None else StoredFile(sha256, int(row[0]), str(row[1]))


def iter_chunks(db: sqlite3.Connection, sha256: str) -> Iterator[bytes]:
    """The stored bytes, a chunk at a time; KeyError if no such file is stored.

    One ordered cursor over the blob's chunks, stopping as soon as more bytes than the
    recorded size came back: the cost is linear in the stored bytes, and a damaged file with
    millions of empty chunk rows is not read row by row (that took > 60 s)."""
    row = db.execute(
        "SELECT id, size FROM blobs WHERE sha256=? AND complete=1", (sha256,)
    ).fetchone()
    if row is None:
        raise KeyError(sha256)
    return _chunks(db, int(row[0]), int(row[1]))


READ_BATCH = 1  # chunks per statement: a reader never holds the file for longer, memory flat


def _chunks(db: sqlite3.Connection, blob_id: int, size: int) -> Iterator[bytes]:
    """Chunks in order, a few per statement: with a rollback journal a reader's open cursor
    would hold back the writer's commits (typing) for as long as an export reads."""
    done = 0
    expected = 0
    while done < size:
        rows = db.execute(
            "SELECT seq, data FROM blob_chunks WHERE blob_id=? AND seq>=? AND length(data) > 0 "
            "ORDER BY seq LIMIT ?",
            (blob_id, expected, READ_BATCH),
        ).fetchall()
        if not rows:
            return
        for seq, data in rows:
            if seq != expected or done >= size:
                return  # a gap or surplus: the hash check that follows reports the damage
            chunk = bytes(data)
            done += len(chunk)
            expected += 1
            yield chunk


def is_intact(db: sqlite3.Connection, sha256: str) -> bool:
    import hashlib

    digest = hashlib.sha256()
    try:
        for chunk in iter_chunks(db, sha256):
            digest.update(chunk)
    except KeyError:
        return False
    return digest.hexdigest() == sha256


def copy_to(db: sqlite3.Connection, project_path: Path, sha256: str, out: BinaryIO) -> int:
    """Write a stored file to `out`, checking its hash on the way; a mismatch is refused."""
    import hashlib

    digest = hashlib.sha256()
    size = 0
    try:
        chunks = iter_chunks(db, sha256)
    except KeyError as exc:
        raise _missing(project_path, sha256) from exc
    for chunk in chunks:
        digest.update(chunk)
        out.write(chunk)
        size += len(chunk)
    if digest.hexdigest() != sha256:
        raise _tampered(project_path, sha256)
    return size


def _missing(project_path: Path, sha256: str) -> StoredFileDamaged:
    return StoredFileDamaged(
        f"项目文件 {quoted(project_path)} 中找不到佐证材料（SHA-256 {sha256[:12]}…）",
        f"stored file {sha256} is missing",
    )


def _tampered(project_path: Path, sha256: str) -> StoredFileDamaged:
    return StoredFileDamaged(
        f"项目文件 {quoted(project_path)} 中的佐证材料已被篡改或损坏（SHA-256 {sha256[:12]}… 不符）",
        f"stored file {sha256} fails its hash",
    )


def input_error(path: Path, exc: OSError) -> CsrError:
    if isinstance(exc, FileNotFoundError):
        return InputFileError(f"找不到文件 {quoted(path)}", f"file not found: {path}")
    if isinstance(exc, PermissionError):
        return InputFileError(f"没有权限读取文件 {quoted(path)}", f"permission denied: {path}")
    if isinstance(exc, IsADirectoryError):
        return InputFileError(f"{quoted(path)} 是文件夹，不是文件", f"is a directory: {path}")
    return InputFileError(
        f"无法读取文件 {quoted(path)}：{exc.strerror or exc}", f"cannot read {path}: {exc}"
    )
