"""Errors a user is shown: Chinese first, always naming the file concerned."""

from __future__ import annotations

from pathlib import Path


class CsrError(Exception):
    """A failure to report to the user as one clear line, never as a traceback."""

    def __init__(self, zh: str, en: str = "") -> None:
        super().__init__(zh)
        self.zh = zh
        self.en = en

    def one_line(self) -> str:
        """The message as the CLI prints it: Chinese, then English if there is one."""
        text = self.zh if not self.en else f"{self.zh} (Error: {self.en})"
        return " ".join(text.split("\n"))


class ProjectFileError(CsrError):
    """A project file that cannot be opened or written: missing, garbage, future version…"""


class ProjectLockedError(ProjectFileError):
    """The project is open in another instance of the app."""


class LockCreationError(ProjectFileError):
    """The place refuses the lock file (a share read-only by permission, a protected stick):
    the project can still be opened read-only (core/opening.py does)."""


class StoredFileDamaged(ProjectFileError):
    """A stored file is missing or fails its SHA-256: this file is damaged, not the project."""


class IndicatorSetError(CsrError):
    """An indicator set that is malformed or unknown."""


class InputFileError(CsrError):
    """An input file (JSON, workbook, evidence) that is missing or malformed."""


class Cancelled(Exception):
    """The user cancelled a long operation; nothing was changed."""


def quoted(path: Path | str) -> str:
    """A file name as Chinese messages show it."""
    return f"“{path}”"


def write_error(path: Path, exc: BaseException) -> ProjectFileError:
    """Translate disk-full, read-only and I/O failures into a message a user can act on."""
    text = str(exc).lower()
    code = int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    errno = getattr(exc, "errno", None)
    if errno == 27 or "too large" in text:
        zh = (
            f"{quoted(path)} 已达到此位置单个文件的大小上限（FAT32 格式的 U 盘为 4 GB），"
            "未能保存这次修改；已保存的内容不受影响"
        )
    elif "full" in text or errno == 28 or code == _SQLITE_FULL:
        zh = f"磁盘空间不足，无法保存到 {quoted(path)}。请清理磁盘后重试，已保存的内容不受影响"
    elif code == _SQLITE_IOERR or errno == 5:
        zh = (
            f"写入 {quoted(path)} 时出现读写错误（磁盘、U 盘或网络连接），这次修改未保存；"
            "已保存的内容不受影响，请检查存储设备后重试"
        )
    elif "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        zh = f"{quoted(path)} 所在位置是只读的，无法保存。请另存到可写的文件夹"
    else:
        zh = f"无法写入 {quoted(path)}：{exc}"
    return ProjectFileError(zh, f"cannot write {path}: {exc}")


# SQLite's primary result codes that say something other than damage
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 5, 6, 8
_SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 13, 14
_SQLITE_PROTOCOL, _SQLITE_NOLFS = 15, 22


def open_error(path: Path, exc: BaseException) -> ProjectFileError:
    """Why a project could not be read, in words that do not call a healthy file damaged.

    已损坏 only for SQLite's own verdict (corrupt, not a database); a full disk, an I/O error,
    a file held by another program or a place without file locking get their own words."""
    code = int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    if code == _SQLITE_FULL or getattr(exc, "errno", None) == 28:
        zh = f"磁盘空间不足，无法打开项目文件 {quoted(path)}。请清理磁盘后重试，文件本身未受影响"
    elif code == _SQLITE_IOERR or getattr(exc, "errno", None) == 5:
        zh = (
            f"读写项目文件 {quoted(path)} 时出错（磁盘、U 盘或网络连接出现读写错误）。"
            "请检查存储设备或网络后重试；文件未被改动"
        )
    elif code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        zh = f"项目文件 {quoted(path)} 正被其他程序使用，请稍后重试"
    elif code == _SQLITE_READONLY:
        zh = (
            f"项目文件 {quoted(path)} 所在位置只读，无法完成打开所需的恢复；"
            "请复制到可写的文件夹后打开"
        )
    elif code == _SQLITE_CANTOPEN:
        zh = f"无法打开项目文件 {quoted(path)}：所在位置无法访问或没有权限"
    elif code in (_SQLITE_PROTOCOL, _SQLITE_NOLFS):
        zh = f"项目文件 {quoted(path)} 所在位置不支持本软件需要的文件锁定，请复制到本机磁盘后打开"
    else:
        zh = f"项目文件 {quoted(path)} 已损坏，无法打开"
    return ProjectFileError(zh, f"{path}: {exc}")
