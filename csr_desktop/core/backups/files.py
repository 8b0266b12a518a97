"""The backup store on disk: every file written once, atomically (temp, fsync, rename, folder
synced), content-addressed where it can be shared between backups.

    ROOT/<project id>/
        <backup id>.csrbak        one per backup: gzip'd JSON (fields, catalogue, meta, audit list)
        blobs/ab/<sha256>         evidence, each file once, named by the hash it was checked against
        audit/<sha256>.gz         segments of the audit trail, each written by the backup that
                                  first saw its rows and shared by every later one
        index.json                which project files this folder backs up (a missing project
                                  finds its backups by path)
        state.json                when every file was last re-hashed
        .lock                     held while a backup or a rotation changes the folder
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, BinaryIO

from csr_desktop.core.errors import CsrError, quoted

SUFFIX = ".csrbak"
TMP_MARK = ".tmp-"


class BackupError(CsrError):
    """A backup that could not be written, read or restored; names the file and the cause."""


def blob_path(folder: Path, sha256: str) -> Path:
    return folder / "blobs" / sha256[:2] / sha256


def segment_path(folder: Path, name: str) -> Path:
    return folder / "audit" / f"{name}.gz"


def tmp_name(final: Path) -> Path:
    import threading

    return final.with_name(f".{final.name}{TMP_MARK}{os.getpid()}-{threading.get_native_id()}")


def sync_folder(folder: Path) -> None:
    """A rename is durable only once its folder is synced (POSIX; Windows has no such call)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_file(final: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write `final` through a temporary name: it exists complete and synced, or not at all."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_name(final)
    try:
        with open(tmp, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, final)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    sync_folder(final.parent)


def write_json(final: Path, data: Any, compress: bool) -> int:
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    body = gzip.compress(raw, compresslevel=6, mtime=0) if compress else raw
    write_file(final, lambda out: out.write(body))
    return len(body)


def read_json(path: Path, compressed: bool) -> Any:
    try:
        body = path.read_bytes()
        raw = gzip.decompress(body) if compressed else body
        return json.loads(raw.decode("utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"找不到备份文件 {quoted(path)}", f"{path} not found") from exc
    except OSError as exc:
        raise BackupError(
            f"无法读取备份文件 {quoted(path)}：{exc.strerror or exc}", f"cannot read {path}: {exc}"
        ) from exc
    except (ValueError, EOFError, gzip.BadGzipFile) as exc:
        raise BackupError(
            f"备份文件 {quoted(path)} 已损坏，无法读取", f"{path} is damaged: {exc}"
        ) from exc


def write_segment(folder: Path, rows: list[list[Any]]) -> tuple[str, int]:
    """A piece of the audit trail, named by the hash of its bytes; written only if new."""
    raw = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    body = gzip.compress(raw, compresslevel=6, mtime=0)
    name = hashlib.sha256(body).hexdigest()
    final = segment_path(folder, name)
    if final.exists() and final.stat().st_size == len(body):
        return name, 0
    write_file(final, lambda out: out.write(body))
    return name, len(body)


def read_segment(folder: Path, name: str) -> list[list[Any]]:
    path = segment_path(folder, name)
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise BackupError(
            f"备份中的修改记录文件 {quoted(path)} 缺失或无法读取", f"cannot read {path}: {exc}"
        ) from exc
    if hashlib.sha256(body).hexdigest() != name:
        raise BackupError(
            f"备份中的修改记录文件 {quoted(path)} 已损坏（SHA-256 不符）", f"{path} fails its hash"
        )
    rows: list[list[Any]] = json.loads(gzip.decompress(body).decode("utf-8"))
    return rows


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def remove_temps(folder: Path) -> int:
    """What a killed backup left (temporary names only: nothing complete is ever touched)."""
    removed = 0
    for sub in (folder, folder / "audit", *(folder / "blobs").glob("*")):
        if not sub.is_dir():
            continue
        for p in sub.iterdir():
            if p.name.startswith(".") and TMP_MARK in p.name:
                with contextlib.suppress(OSError):
                    p.unlink()
                    removed += 1
    return removed


def manifests(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == SUFFIX and not p.name.startswith("."))


def folder_size(folder: Path) -> int:
    total = 0
    for base, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(base, name)).st_size
    return total


def unlink_all(paths: Iterable[Path]) -> int:
    n = 0
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            n += 1
    return n
