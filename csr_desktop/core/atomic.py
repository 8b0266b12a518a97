"""Write files so that the user never finds a half-written one where a complete one belongs."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from csr_desktop.core import inflight
from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.core.lock import pid_alive
from csr_desktop.core.os_errors import path_too_long
from csr_desktop.core.replace import replace_file
from csr_desktop.core.storage.open_files import open_project_behind


def temp_path_for(dest: Path) -> Path:
    """A hidden temporary name in the destination's folder, so the final rename is atomic;
    unique (PID and token), so that the in-flight list can remove it and its side files."""
    return dest.with_name(inflight.unique_name(f".{dest.name}.tmp"))


def remove_stale_temps(dest: Path) -> None:
    """Temp files of a write whose process was killed are removed by the next write.

    Covers an export's temp file and a `load`'s temp project with its -wal, -shm and lock."""
    pattern = re.compile(
        rf"^(?:\.~lock\.)?\.{re.escape(dest.name)}\.tmp-(\d+)(?:-[0-9a-f]+)?"
        r"(?:-wal|-shm|-journal|#)?$"
    )
    try:
        names = os.listdir(dest.parent)
    except OSError:
        return
    for name in names:
        m = pattern.match(name)
        if m and int(m[1]) != os.getpid() and not pid_alive(int(m[1])):
            with contextlib.suppress(OSError):
                (dest.parent / name).unlink()


def refuse_open_project(dest: Path) -> None:
    """No export, copy or temp file may replace a project this process has open."""
    project = open_project_behind(dest)
    if project is not None:
        raise CsrError(
            f"不能写入 {quoted(dest)}：这是正在使用的项目文件 {quoted(project)}，"
            "导出会覆盖它。请选择其他文件名",
            f"{dest} is the open project {project}",
        )


@contextmanager
def atomic_output(dest: Path, expected_size: int = 0) -> Iterator[BinaryIO]:
    """Yield a file to write; on success it replaces `dest`, on any failure nothing remains.

    `expected_size`: about how big the file will be (an export's evidence), checked against
    the free space and the place's largest file before anything is written (core/room.py)."""
    dest = Path(dest)
    refuse_open_project(dest)
    if expected_size:
        from csr_desktop.core.room import check_room

        check_room(dest, expected_size, grows=False)
    tmp = temp_path_for(dest)
    remove_stale_temps(dest)
    entry = inflight.record([tmp])  # before it exists: a kill from here on is cleaned up
    try:
        fh = open(tmp, "wb")  # noqa: SIM115 - closed below on every path
    except OSError as exc:
        inflight.forget(entry)
        raise output_error(dest, exc) from exc
    try:
        try:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fh.close()
        replace_file(tmp, dest)  # waits for Excel, WPS or an antivirus to let go
    except BaseException as exc:
        with suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError) and _about(exc, dest, tmp):
            raise output_error(dest, exc) from exc
        raise  # another file's failure (the temp folder, an evidence file) names that file
    finally:
        inflight.forget(entry)


def _about(exc: OSError, dest: Path, tmp: Path) -> bool:
    """Was this failure writing `dest` (or its temp file), rather than some other file?"""
    name = exc.filename
    return name is None or str(name) in (str(dest), str(tmp))


def write_atomically(dest: Path, write: Callable[[BinaryIO], None]) -> None:
    with atomic_output(dest) as fh:
        write(fh)


def output_error(dest: Path, exc: OSError) -> CsrError:
    """Name the file and say what to do: full disk, path too long, read-only folder, missing
    folder. The path length first: Windows reports it (WinError 206) as "not found"."""
    if exc.errno == 28:
        zh = f"磁盘空间不足，无法写入 {quoted(dest)}，请清理磁盘后重试"
    elif path_too_long(exc):
        zh = (
            f"无法写入 {quoted(dest)}：路径过长（{len(str(dest))} 个字符），"
            "请选择层级较浅的文件夹或较短的文件名"
        )
    elif isinstance(exc, PermissionError) or exc.errno == 30:
        zh = f"没有权限写入 {quoted(dest)}（文件夹只读），请选择其他位置"
    elif isinstance(exc, FileNotFoundError):
        zh = f"无法写入 {quoted(dest)}：文件夹不存在"
    else:
        zh = f"无法写入 {quoted(dest)}：{exc.strerror or exc}"
    return CsrError(zh, f"cannot write {dest}: {exc}")


TEMP_DIR_PREFIX = "csr-desktop-"


@contextmanager
def private_temp_dir(kind: str) -> Iterator[Path]:
    """A temp folder for one export, named after this process so that the next start can
    remove what a killed export left (`remove_stale_temp_dirs`): 12 killed exports once left
    1.5 GB of evidence copies behind."""
    import shutil
    import tempfile

    stem = inflight.unique_name(f"{TEMP_DIR_PREFIX}{kind}")
    # recorded before it exists; the folder's name starts with the recorded one (its family)
    with inflight.in_flight(Path(tempfile.gettempdir()) / stem):
        folder = Path(tempfile.mkdtemp(prefix=f"{stem}-"))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def remove_stale_temp_dirs() -> int:
    """Remove the temp folders of exports whose process no longer runs; returns how many."""
    import shutil
    import tempfile

    pattern = re.compile(rf"^{re.escape(TEMP_DIR_PREFIX)}[a-z]+-(\d+)-")
    removed = 0
    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return 0
    for entry in entries:
        m = pattern.match(entry.name)
        if m and int(m[1]) != os.getpid() and not pid_alive(int(m[1])):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += 1
    return removed
