"""Write files so that the user never finds a half-written one where a complete one belongs."""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.core.lock import pid_alive


def temp_path_for(dest: Path) -> Path:
    """A hidden temporary name in the destination's folder, so the final rename is atomic."""
    return dest.with_name(f".{dest.name}.tmp-{os.getpid()}")


def remove_stale_temps(dest: Path) -> None:
    """Temp files of an export whose process was killed are removed by the next export."""
    for tmp in dest.parent.glob(f".{glob.escape(dest.name)}.tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            with contextlib.suppress(OSError):
                tmp.unlink()


@contextmanager
def atomic_output(dest: Path) -> Iterator[BinaryIO]:
    """Yield a file to write; on success it replaces `dest`, on any failure nothing remains."""
    dest = Path(dest)
    tmp = temp_path_for(dest)
    remove_stale_temps(dest)
    try:
        fh = open(tmp, "wb")  # noqa: SIM115 - closed below on every path
    except OSError as exc:
        raise output_error(dest, exc) from exc
    try:
        try:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fh.close()
        os.replace(tmp, dest)
    except BaseException as exc:
        with suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise output_error(dest, exc) from exc
        raise


def write_atomically(dest: Path, write: Callable[[BinaryIO], None]) -> None:
    with atomic_output(dest) as fh:
        write(fh)


def output_error(dest: Path, exc: OSError) -> CsrError:
    """Name the file and say what to do: full disk, read-only folder, missing folder."""
    if exc.errno == 28:
        zh = f"磁盘空间不足，无法写入 {quoted(dest)}，请清理磁盘后重试"
    elif isinstance(exc, PermissionError) or exc.errno == 30:
        zh = f"没有权限写入 {quoted(dest)}（文件夹只读），请选择其他位置"
    elif isinstance(exc, FileNotFoundError):
        zh = f"无法写入 {quoted(dest)}：文件夹不存在"
    else:
        zh = f"无法写入 {quoted(dest)}：{exc.strerror or exc}"
    return CsrError(zh, f"cannot write {dest}: {exc}")
