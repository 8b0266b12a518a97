"""One sentence for an operating-system failure nobody caught closer to where it happened.

A full temp folder, a vanished destination or an unreadable file is not an "internal error":
the user can act on it once told which file or folder and what went wrong.
"""

from __future__ import annotations

import errno
import tempfile
from pathlib import Path

from csr_desktop.core.errors import CsrError, quoted

_PROBLEMS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "所在位置是只读的",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EEXIST: "已存在同名的文件",
    errno.ENAMETOOLONG: "路径过长",
    errno.EMFILE: "打开的文件过多",
    errno.EIO: "读写磁盘时出错（磁盘或网络驱动器故障？）",
}


def _temp_folder() -> str | None:
    try:
        return tempfile.gettempdir()
    except OSError:
        return None


# Windows errors whose errno says something else: 206 arrives as ENOENT ("不存在"), 32 and 33
# as EACCES ("没有权限").
ERROR_FILENAME_EXCED_RANGE = 206
_WINDOWS_PROBLEMS = {
    ERROR_FILENAME_EXCED_RANGE: "路径过长",
    32: "文件正被其他程序（如 Excel、WPS）打开，请关闭后重试",
    33: "文件正被其他程序（如 Excel、WPS）打开，请关闭后重试",
}


WINDOWS_MAX_PATH = 260  # without long-path support, which locked-down PCs rarely enable
WINDOWS_MAX_COMPONENT = 255


def path_too_long(exc: OSError) -> bool:
    """Windows' 260-character limit (WinError 206, or 3 / 123 "not found" / "invalid name" for a
    path that long) or a POSIX ENAMETOOLONG."""
    winerror = getattr(exc, "winerror", None)
    if winerror == ERROR_FILENAME_EXCED_RANGE or exc.errno == errno.ENAMETOOLONG:
        return True
    name = exc.filename
    if winerror in (3, 123) and isinstance(name, str | Path):
        text = str(name)
        parts = text.replace("\\", "/").split("/")
        return len(text) >= WINDOWS_MAX_PATH or max(map(len, parts)) > WINDOWS_MAX_COMPONENT
    return False


def problem_text(exc: OSError) -> str:
    """What went wrong, in Chinese where we know the error, else the system's words."""
    if path_too_long(exc):
        return "路径过长"
    known = _WINDOWS_PROBLEMS.get(getattr(exc, "winerror", None) or 0)
    return known or _PROBLEMS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)


def describe_os_error(exc: OSError) -> CsrError:
    """The failure as one Chinese sentence naming the file (or the temp folder) and the problem."""
    problem = problem_text(exc)
    name = exc.filename if isinstance(exc.filename, str | Path) else None
    temp = _temp_folder()
    if name is None and "temporary directory" in str(exc):
        return CsrError(
            "找不到可用的临时文件夹（可能已满或不可写），请清理磁盘或设置 TMPDIR/TEMP 后重试",
            str(exc),
        )
    if name is None:
        return CsrError(f"操作失败：{problem}，未做任何修改", str(exc))
    if temp is not None and str(name).startswith(temp):
        return CsrError(
            f"无法使用临时文件夹 {quoted(temp)}（{problem}，在 {quoted(name)} 处），"
            "请清理磁盘后重试，未做任何修改",
            str(exc),
        )
    return CsrError(f"无法读写 {quoted(name)}：{problem}，未做任何修改", str(exc))
