"""Evidence files inside the project: streamed in as chunks, hashed, deduplicated, verified.

Memory stays flat whatever the file size: the file is read and written 1 MiB at a time,
committed in batches, and a blob only becomes visible once complete. A copy interrupted by a
crash or a cancel leaves an incomplete blob that the next writer to open the project drops.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from csr_desktop.core.errors import (
    Cancelled,
    CsrError,
    InputFileError,
    ProjectFileError,
    quoted,
    write_error,
)

CHUNK_SIZE = 1 << 20
CHUNKS_PER_COMMIT = 8  # short write transactions: edits from the UI never wait long

Progress = Callable[[int, int], bool]  # (bytes done, bytes total) -> keep going?


class StoredFile(NamedTuple):
    """A file copied into the project."""

    sha256: str
    size: int
    added_at: str


def file_size(path: Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError as exc:
        raise input_error(Path(path), exc) from exc


def ingest(
    db: sqlite3.Connection, project_path: Path, source: Path, progress: Progress | None = None
) -> StoredFile:
    """Copy `source` into the project behind `db`; raises Cancelled if `progress` says stop."""
    total = file_size(source)
    import hashlib  # here, not at import: opening the app's window never hashes

    digest = hashlib.sha256()
    size = 0
    try:
        fh = open(source, "rb")  # noqa: SIM115 - closed in finally below
    except OSError as exc:
        raise input_error(source, exc) from exc
    blob_id: int | None = None
    now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    try:
        db.execute("BEGIN IMMEDIATE")
        blob_id = db.execute("INSERT INTO blobs(added_at) VALUES(?)", (now,)).lastrowid
        seq = 0
        while True:
            try:
                chunk = fh.read(CHUNK_SIZE)
            except OSError as exc:
                raise input_error(source, exc) from exc
            if not chunk:
                break
            digest.update(chunk)
            size += len(chunk)
            db.execute("INSERT INTO blob_chunks VALUES(?, ?, ?)", (blob_id, seq, chunk))
            seq += 1
            if seq % CHUNKS_PER_COMMIT == 0:
                db.execute("COMMIT")
                db.execute("BEGIN IMMEDIATE")
            if progress is not None and not progress(size, total):
                raise Cancelled()
        sha = digest.hexdigest()
        existing = stored(db, sha)
        if existing is not None:
            db.execute("DELETE FROM blobs WHERE id=?", (blob_id,))
            db.execute("COMMIT")
            return existing
        db.execute("UPDATE blobs SET sha256=?, size=?, complete=1 WHERE id=?", (sha, size, blob_id))
        db.execute("COMMIT")
        return StoredFile(sha, size, now)
    except BaseException as exc:
        if db.in_transaction:
            db.execute("ROLLBACK")
        if blob_id is not None:
            # if this fails too, drop_incomplete removes the chunks at the next open
            with contextlib.suppress(sqlite3.Error):
                db.execute("DELETE FROM blobs WHERE id=? AND complete=0", (blob_id,))
        if isinstance(exc, sqlite3.Error):
            raise write_error(project_path, exc) from exc
        raise
    finally:
        fh.close()


def ingest_with_own_connection(
    project_path: Path, source: Path, progress: Progress | None = None
) -> StoredFile:
    """For a worker thread: copy a file in through a separate connection, so the window's
    connection stays free for edits while a large file streams in."""
    db = sqlite3.connect(str(project_path), isolation_level=None, check_same_thread=False)
    try:
        db.execute("PRAGMA busy_timeout=10000")
        db.execute("PRAGMA synchronous=FULL")
        return ingest(db, project_path, source, progress)
    finally:
        db.close()


def drop_incomplete(db: sqlite3.Connection) -> None:
    """Chunks of a file whose copying was interrupted (crash, cancel) are garbage."""
    if db.execute("SELECT 1 FROM blobs WHERE complete=0 LIMIT 1").fetchone() is not None:
        db.execute("DELETE FROM blobs WHERE complete=0")


def stored(db: sqlite3.Connection, sha256: str) -> StoredFile | None:
    row = db.execute(
        "SELECT size, added_at FROM blobs WHERE sha256=? AND complete=1", (sha256,)
    ).fetchone()
    return None if row is None else StoredFile(sha256, int(row[0]), str(row[1]))


def iter_chunks(db: sqlite3.Connection, sha256: str) -> Iterator[bytes]:
    """The stored bytes, a chunk at a time; KeyError if no such file is stored."""
    row = db.execute("SELECT id FROM blobs WHERE sha256=? AND complete=1", (sha256,)).fetchone()
    if row is None:
        raise KeyError(sha256)
    return _chunks(db, int(row[0]))


def _chunks(db: sqlite3.Connection, blob_id: int) -> Iterator[bytes]:
    seq = 0
    while True:
        chunk = db.execute(
            "SELECT data FROM blob_chunks WHERE blob_id=? AND seq=?", (blob_id, seq)
        ).fetchone()
        if chunk is None:
            return
        yield bytes(chunk[0])
        seq += 1


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
        raise ProjectFileError(
            f"项目文件 {quoted(project_path)} 中找不到佐证材料（SHA-256 {sha256[:12]}…）",
            f"stored file {sha256} is missing",
        ) from exc
    for chunk in chunks:
        digest.update(chunk)
        out.write(chunk)
        size += len(chunk)
    if digest.hexdigest() != sha256:
        raise ProjectFileError(
            f"项目文件 {quoted(project_path)} 中的佐证材料已被篡改或损坏"
            f"（SHA-256 {sha256[:12]}… 不符）",
            f"stored file {sha256} fails its hash",
        )
    return size


def input_error(path: Path, exc: OSError) -> CsrError:
    if isinstance(exc, FileNotFoundError):
        return InputFileError(f"找不到文件 {quoted(path)}", f"file not found: {path}")
    if isinstance(exc, PermissionError):
        return InputFileError(f"没有权限读取文件 {quoted(path)}", f"permission denied: {path}")
    return InputFileError(
        f"无法读取文件 {quoted(path)}：{exc.strerror or exc}", f"cannot read {path}: {exc}"
    )
