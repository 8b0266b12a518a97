"""Evidence opened from the window is a copy in the temp folder: it is made read-only and named
“（只读副本）” (what the viewer's title shows), so an edit cannot be saved there and silently
lost; the copies of a session are removed when its project closes."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

from csr_desktop.ui.i18n import tr

_WRITABLE = stat.S_IRUSR | stat.S_IWUSR
_READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def folder_for(session_id: int, sha256: str) -> Path:
    """This process's and session's folder for the copy of one stored file."""
    root = Path(tempfile.gettempdir()) / "csr-desktop" / f"{os.getpid()}-{session_id}"
    return root / sha256[:16]


def copy_name(name: str) -> str:
    path = Path(name)
    return f"{path.stem}{tr('（只读副本）')}{path.suffix}"


def prepare(dest: Path) -> None:
    """Make room for a fresh copy at `dest` (an earlier read-only one is replaced)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        os.chmod(dest, _WRITABLE)
        dest.unlink()


def seal(dest: Path) -> None:
    os.chmod(dest, _READ_ONLY)


def remove_all(session_id: int) -> None:
    """Remove every copy this session opened (read-only files need their write bit back
    before Windows lets them go)."""
    root = folder_for(session_id, "x").parent
    if not root.exists():
        return
    for path in root.rglob("*"):
        with contextlib.suppress(OSError):
            os.chmod(path, _WRITABLE | stat.S_IXUSR if path.is_dir() else _WRITABLE)
    shutil.rmtree(root, ignore_errors=True)
