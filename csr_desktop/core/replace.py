"""Put a finished file in place, waiting a moment for programs that hold the destination.

On Windows, `os.replace` onto an export open in Excel, WPS or Acrobat — or one an antivirus
or the search indexer is reading for a moment — fails with WinError 5 (access denied), 32
(sharing violation) or 33 (lock violation). Brief holds pass on their own: retry with a
back-off. A program that keeps the file open is named as such, with what to do: not
"文件夹只读" (the temp file beside it was just written, so the folder is writable).
"""

from __future__ import annotations

import stat
from pathlib import Path

from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.core.system import current

SHARING_ERRORS = frozenset({5, 32, 33})  # access denied, sharing violation, lock violation
BACKOFF = (0.05, 0.1, 0.2, 0.4, 0.8, 1.5)  # seconds between attempts: ~3 s in all


class FileInUseError(CsrError):
    """The destination stayed open in another program through every retry."""


def held_by_another_program(exc: OSError) -> bool:
    return getattr(exc, "winerror", None) in SHARING_ERRORS


def _read_only(path: Path) -> bool:
    """The read-only attribute (Windows) or no write bit for anyone (POSIX)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def in_use_error(dest: Path, exc: OSError) -> CsrError:
    if _read_only(dest):
        return CsrError(
            f"无法写入 {quoted(dest)}：该文件是只读的，请取消其只读属性或另选文件名",
            f"{dest} is read-only: {exc}",
        )
    return FileInUseError(
        f"无法写入 {quoted(dest)}：文件正被其他程序（如 Excel、WPS）打开，请关闭后重试",
        f"{dest} is open in another program: {exc}",
    )


def replace_file(src: Path, dest: Path) -> None:
    """`os.replace(src, dest)`, retried while another program holds either file; then
    `FileInUseError` naming `dest`. Any other failure is raised as it came."""
    system = current()
    for delay in (*BACKOFF, None):
        try:
            system.replace(src, dest)
            return
        except OSError as exc:
            if not held_by_another_program(exc):
                raise
            if delay is None:
                raise in_use_error(Path(dest), exc) from exc
            system.sleep(delay)
