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
    if "full" in text or getattr(exc, "errno", None) == 28:
        zh = f"磁盘空间不足，无法保存到 {quoted(path)}。请清理磁盘后重试，已保存的内容不受影响"
    elif "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        zh = f"{quoted(path)} 所在位置是只读的，无法保存。请另存到可写的文件夹"
    else:
        zh = f"无法写入 {quoted(path)}：{exc}"
    return ProjectFileError(zh, f"cannot write {path}: {exc}")
