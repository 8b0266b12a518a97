"""A backup restored as a new project file — never over an existing one.

The new file is built beside its destination under a temporary name, without a journal (a
half-built temporary file is worth nothing; it is removed on failure), every evidence file's
SHA-256 checked on the bytes that go in, then synced and linked into place only if the name is
still free. Readers of the backup's files hash on worker threads while SQLite writes; each chunk
goes straight into its pages through a blob handle, and the file's writeback follows its growth
(writeback.py), so the one fsync at the end finds little left to write.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

from csr_desktop.core.backups import files
from csr_desktop.core.backups.direct import read_chunks
from csr_desktop.core.backups.files import BackupError, blob_path
from csr_desktop.core.backups.take import read_manifest
from csr_desktop.core.backups.writeback import WriteBehind
from csr_desktop.core.errors import Cancelled, ProjectFileError, quoted, write_error
from csr_desktop.core.storage import schema
from csr_desktop.core.storage.blobs import CHUNK_SIZE
from csr_desktop.core.storage.connection import Role, connect

Progress = Callable[[int, int], bool]


class RestoreReport(NamedTuple):
    path: Path
    backup_id: str
    taken_at: str
    files: int
    bytes: int

    def line(self) -> str:
        return (
            f"已从备份 {self.backup_id}（{self.taken_at}）恢复为新项目 {self.path}："
            f"{self.files} 个佐证材料文件，共 {self.bytes:,} 字节，SHA-256 全部核对无误"
        )


def restore(
    backup: Path,
    dest: Path,
    *,
    workers: int = 2,
    progress: Progress | None = None,
) -> RestoreReport:
    backup, dest = Path(backup), Path(dest)
    if os.path.lexists(dest):
        raise ProjectFileError(
            f"文件 {quoted(dest)} 已存在；恢复只会创建新文件，不会覆盖任何文件",
            f"{dest} exists; restore never overwrites",
        )
    data = read_manifest(backup)
    folder = backup.parent
    from csr_desktop.core.storage.project import SCHEMA_VERSION

    if int(data.get("schema_version", 0)) > SCHEMA_VERSION:
        raise BackupError(
            f"备份 {quoted(backup)} 的项目由更新版本的软件创建，请升级本软件后再恢复",
            f"{backup}: schema {data.get('schema_version')}",
        )
    from csr_desktop.core.backups.take import verify_manifest

    problems = verify_manifest(folder, data, rehash=False)
    if problems:
        raise BackupError(
            f"备份 {quoted(backup)} 不完整，无法恢复：{problems[0]}",
            f"{backup} is incomplete: {problems[0]}",
        )
    audit = _audit_rows(folder, data)
    total = sum(int(i["size"]) for i in data["catalogue"])
    if not dest.parent.is_dir():
        raise ProjectFileError(
            f"文件夹 {quoted(dest.parent)} 不存在", f"folder {dest.parent} does not exist"
        )
    from csr_desktop.core.room import check_room

    check_room(dest, total + len(json.dumps(data["fields"])) + (1 << 20))
    _remove_dead_temps(dest)
    tmp = dest.with_name(f".{dest.name}{files.TMP_MARK}{os.getpid()}")
    _remove(tmp)
    try:
        _build(tmp, folder, data, audit, workers, progress, total)
        _link_into_place(tmp, dest)
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, OSError):
            raise write_error(dest, exc) from exc
        import sqlite3

        if isinstance(exc, sqlite3.Error):
            raise write_error(dest, exc) from exc
        raise
    return RestoreReport(
        dest, str(data["id"]), str(data["taken_at"]), len(data["catalogue"]), total
    )


def _audit_rows(folder: Path, data: dict[str, Any]) -> list[list[Any]]:
    """The whole audit trail from the backup's segments; a later segment's row wins."""
    rows: dict[int, list[Any]] = {}
    last = int(data["audit"]["last_id"])
    for name in data["audit"]["segments"]:
        for row in files.read_segment(folder, name):
            if int(row[0]) <= last:
                rows[int(row[0])] = row
    return [rows[k] for k in sorted(rows)]


def _remove_dead_temps(dest: Path) -> None:
    """What a restore into this name left when it was killed (its process is gone)."""
    from csr_desktop.core import system

    prefix = f".{dest.name}{files.TMP_MARK}"
    with contextlib.suppress(OSError):
        for p in dest.parent.iterdir():
            if not p.name.startswith(prefix):
                continue
            pid = p.name[len(prefix) :].removesuffix("-journal")
            if pid.isdigit() and system.current().liveness(int(pid), "") is system.Liveness.DEAD:
                _remove(p)


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            p.unlink()


def _build(
    tmp: Path,
    folder: Path,
    data: dict[str, Any],
    audit: list[list[Any]],
    workers: int,
    progress: Progress | None,
    total: int,
) -> None:
    from csr_desktop.core.storage.compaction import AUTO_VACUUM_INCREMENTAL

    db = connect(tmp, Role.CREATE)
    try:
        db.execute(f"PRAGMA page_size={schema.PAGE_SIZE}")
        db.execute(f"PRAGMA auto_vacuum={AUTO_VACUUM_INCREMENTAL}")
        db.execute("PRAGMA journal_mode=OFF")  # a temporary file: on failure it is removed
        db.execute("PRAGMA synchronous=OFF")  # synced once, whole, before it gets its name
        # in KiB, now that the page size is set (counted in the default 4 KiB pages it held
        # 31 MiB back from the file, and from the writeback that follows the file's growth)
        db.execute("PRAGMA cache_size=-8192")
        db.execute("BEGIN")
        schema.create(db)
        # a first-release project has no stored id: its id (created_at|created_by) is written,
        # as its own upgrade would, so the restored file and its backups keep one identity
        meta = {"project_id": data["project_id"], **data["meta"]}
        db.executemany("INSERT INTO meta VALUES(?, ?)", meta.items())
        db.executemany("INSERT INTO fields VALUES(?, ?)", data["fields"].items())
        db.executemany("INSERT INTO audit VALUES(?, ?, ?, ?, ?, ?, ?)", audit)
        words = f"从备份 {data['id']}（{data['taken_at']}）恢复"
        from csr_desktop.core.storage.project import _now, os_user

        db.execute(
            "INSERT INTO audit(at, user, key, old, new, label) VALUES(?, ?, ?, ?, ?, ?)",
            (_now(), os_user(), "project.restored", "null", json.dumps(words), words),
        )
        _insert_evidence(db, tmp, folder, data["catalogue"], workers, progress, total)
        db.execute("COMMIT")
        db.execute("PRAGMA journal_mode=DELETE")
    finally:
        db.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())


_DONE = object()


def _insert_evidence(
    db: Any,
    db_path: Path,
    folder: Path,
    catalogue: list[dict[str, Any]],
    workers: int,
    progress: Progress | None,
    total: int,
) -> None:
    """Readers (one file each, several at once) hash what they read and hand the chunks over;
    this thread writes them. A file whose hash differs stops the restore, naming it."""
    ids = []
    for item in catalogue:
        cur = db.execute(
            "INSERT INTO blobs(sha256, size, added_at, complete) VALUES(?, ?, ?, 1)",
            (item["sha256"], int(item["size"]), item["added_at"]),
        )
        ids.append(int(cur.lastrowid))
    handoff: queue.Queue[tuple[int, Any, Any]] = queue.Queue(maxsize=8)
    stop = threading.Event()

    def put(item: tuple[int, Any, Any]) -> None:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def read(n: int) -> None:
        item = catalogue[n]
        path = blob_path(folder, item["sha256"])
        digest = hashlib.sha256()
        size = 0
        try:
            seq = 0
            chunks = read_chunks(path, CHUNK_SIZE)
            try:
                for chunk in chunks:
                    if stop.is_set():
                        break
                    digest.update(chunk)
                    size += len(chunk)
                    put((n, seq, chunk))
                    seq += 1
            finally:
                chunks.close()
            if digest.hexdigest() != item["sha256"] or size != int(item["size"]):
                put(
                    (
                        n,
                        None,
                        BackupError(
                            f"备份中的佐证材料 {quoted(path)} 已损坏（SHA-256 不符），恢复已停止，未创建任何文件",
                            f"{path} fails its hash",
                        ),
                    )
                )
            else:
                put((n, _DONE, None))
        except OSError as exc:
            put(
                (
                    n,
                    None,
                    BackupError(
                        f"无法读取备份中的佐证材料 {quoted(path)}：{exc.strerror or exc}",
                        f"cannot read {path}: {exc}",
                    ),
                )
            )

    remaining = len(catalogue)
    done = 0
    behind_fd = os.open(db_path, os.O_RDONLY)  # SQLite writes; this one only starts writeback
    behind = WriteBehind(behind_fd)
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(os.close, behind_fd)
        pool = cleanup.enter_context(
            ThreadPoolExecutor(max(1, workers), thread_name_prefix="csr-restore")
        )
        for n in range(len(catalogue)):
            pool.submit(read, n)
        try:
            while remaining:
                n, seq, payload = handoff.get()
                if seq is None:
                    raise payload
                if seq is _DONE:
                    remaining -= 1
                    continue
                _insert_chunk(db, ids[n], seq, payload)
                done += len(payload)
                behind.wrote_up_to(os.fstat(behind_fd).st_size)
                if progress is not None and not progress(done, total):
                    raise Cancelled()
        finally:
            stop.set()


def _insert_chunk(db: Any, blob_id: int, seq: int, payload: bytes) -> None:
    """The row is made with room for the chunk, which is then written straight into its
    pages: binding it as a value would copy it twice more (into the record, then the pages)."""
    cur = db.execute(
        "INSERT INTO blob_chunks VALUES(?, ?, zeroblob(?))", (blob_id, seq, len(payload))
    )
    with db.blobopen("blob_chunks", "data", int(cur.lastrowid)) as blob:
        blob.write(payload)


def _link_into_place(tmp: Path, dest: Path) -> None:
    """Give the finished file its name only if nobody took the name meanwhile."""
    try:
        os.link(tmp, dest)
    except FileExistsError as exc:
        raise ProjectFileError(
            f"文件 {quoted(dest)} 已存在；恢复只会创建新文件，不会覆盖任何文件",
            f"{dest} exists; restore never overwrites",
        ) from exc
    except OSError:
        if os.path.lexists(dest):  # hard links fail on FAT32 and shares: check, then rename
            raise ProjectFileError(
                f"文件 {quoted(dest)} 已存在；恢复只会创建新文件，不会覆盖任何文件",
                f"{dest} exists",
            ) from None
        os.replace(tmp, dest)
    else:
        tmp.unlink()
    files.sync_folder(dest.parent)
