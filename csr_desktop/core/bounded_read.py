"""Read input files with limits that do not trust what the file system says about them.

`st_size` is 0 for `/dev/zero` and `/proc/self/environ`, and opening a FIFO blocks until a
writer appears. So every input (JSON, workbook, package, evidence) is first checked by
`os.stat` to be a regular file outside the kernel's pseudo file systems, opened without
blocking, checked again on the open handle, and read through a counter that stops at a hard
byte limit whatever the size claimed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from csr_desktop.core.errors import InputFileError, quoted

# Kernel-made files whose contents are not what their size says and must never travel on.
_PSEUDO_ROOTS = ("/proc", "/sys", "/dev")
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)


def _refuse(path: Path, zh: str, en: str) -> InputFileError:
    return InputFileError(f"{quoted(path)}{_target(path)}：{zh}", f"{path}: {en}")


def _target(path: Path) -> str:
    """Where a symlink leads, for the message: the name alone would look like a normal file."""
    try:
        if not os.path.islink(path):
            return ""
        return f"（链接，指向 {quoted(os.path.realpath(path))}）"
    except (OSError, ValueError):
        return ""


def _kind_of(mode: int) -> tuple[str, str] | None:
    """What a non-regular file is, in words, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "是文件夹，不是文件", "is a folder"
    if stat.S_ISFIFO(mode):
        return "是命名管道（FIFO），不是普通文件，读取它可能永远等待，已拒绝", "is a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "是设备文件，不是普通文件，已拒绝", "is a device"
    if stat.S_ISSOCK(mode):
        return "是套接字（socket），不是普通文件，已拒绝", "is a socket"
    return "不是普通文件，已拒绝", "is not a regular file"


def _pseudo_root(path: Path) -> str | None:
    """`/proc`, `/sys` or `/dev` if `path` (symlinks followed) lies inside one of them."""
    if os.name != "posix":
        return None
    try:
        real = os.path.realpath(path)
    except (OSError, ValueError):
        return None
    for root in _PSEUDO_ROOTS:
        if real == root or real.startswith(root + "/"):
            return root
    return None


def check_regular(path: Path) -> os.stat_result:
    """The `stat` of `path` if it is a readable regular file; InputFileError naming it if not.

    Nothing is opened: a FIFO or a device is refused before anything could block on it.
    """
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise _refuse(path, "找不到该文件", "file not found") from exc
    except PermissionError as exc:
        raise _refuse(path, "没有权限读取该文件", "permission denied") from exc
    except (OSError, ValueError) as exc:
        raise _refuse(
            path, f"无法读取（{getattr(exc, 'strerror', None) or exc}）", str(exc)
        ) from exc
    kind = _kind_of(st.st_mode)
    if kind is not None:
        raise _refuse(path, *kind)
    root = _pseudo_root(path)
    if root is not None:
        raise _refuse(
            path,
            f"是系统在 {root} 下生成的文件，不是普通文件，已拒绝",
            f"is a kernel pseudo-file under {root}",
        )
    return st


def open_regular(path: Path) -> BinaryIO:
    """Open a regular file for reading, checking it both before and after the open.

    `O_NONBLOCK` keeps a FIFO swapped in between the check and the open from blocking; the
    second check on the handle catches that swap.
    """
    path = Path(path)
    before = check_regular(path)
    try:
        fd = os.open(path, os.O_RDONLY | _O_NONBLOCK | _O_BINARY | _O_NOCTTY)
    except FileNotFoundError as exc:
        raise _refuse(path, "找不到该文件", "file not found") from exc
    except PermissionError as exc:
        raise _refuse(path, "没有权限读取该文件", "permission denied") from exc
    except OSError as exc:
        raise _refuse(path, f"无法读取（{exc.strerror or exc}）", str(exc)) from exc
    try:
        st = os.fstat(fd)
        kind = _kind_of(st.st_mode)
        if kind is not None:
            raise _refuse(path, *kind)
        if (st.st_dev, st.st_ino) != (before.st_dev, before.st_ino):
            raise _refuse(path, "在打开时被替换成了另一个文件，已拒绝", "replaced while opening")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_limited(path: Path, limit: int, what: str = "文件") -> bytes:
    """The whole content of a regular file, refusing it once more than `limit` bytes are read.

    The limit is counted on the bytes actually read, not on the size the file system reports.
    """
    path = Path(path)
    with open_regular(path) as fh:
        parts: list[bytes] = []
        got = 0
        try:
            while got <= limit:
                chunk = fh.read(min(1 << 20, limit + 1 - got))
                if not chunk:
                    break
                parts.append(chunk)
                got += len(chunk)
        except OSError as exc:
            raise _refuse(path, f"读取时出错（{exc.strerror or exc}）", str(exc)) from exc
    if got > limit:
        raise _refuse(
            path,
            f"{what}过大（超过 {limit // (1024 * 1024)} MB），已拒绝",
            f"larger than {limit} bytes",
        )
    return b"".join(parts)


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    """Whether two `stat`s describe the same unchanged file (identity, size, mtime)."""
    return (a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns) == (
        b.st_dev,
        b.st_ino,
        b.st_size,
        b.st_mtime_ns,
    )
