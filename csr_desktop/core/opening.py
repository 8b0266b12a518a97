"""Opening a project for the window (or a command) wherever it lies.

Why a step before `Project.open`: where the project lies changes what opening must do first —
wait for OneDrive to download a placeholder or to let go of the file, fall back to read-only
where the lock cannot be created (a share read-only by permission, a write-protected stick,
where Windows' `os.access` still says writable), and tell the user what the place means.
"""

from __future__ import annotations

import errno
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from csr_desktop.core import location
from csr_desktop.core.errors import LockCreationError, ProjectFileError, ProjectLockedError, quoted
from csr_desktop.core.location import Kind, Location
from csr_desktop.core.store import Project

# (message, done, total) -> False to cancel: what the window shows while opening waits
Waiting = Callable[[str, int, int], bool]

_REFUSED = (errno.EACCES, errno.EPERM, errno.EROFS)


class Opened(NamedTuple):
    project: Project
    where: Location
    notices: tuple[str, ...]  # the place in one sentence, conflict copies, the store's notices


def open_project(path: Path, readonly: bool = False, waiting: Waiting | None = None) -> Opened:
    """`Project.open`, after what the place needs; a lock refused by the place: read-only."""
    path = Path(path)
    where = location.locate(path)
    notices: list[str] = []
    if location.is_placeholder(path):
        message = f"正在从 OneDrive 下载项目文件 {quoted(path.name)}，下载完成后打开…"

        def progress(done: int, total: int) -> bool:
            return waiting(message, done, total) if waiting is not None else True

        progress(0, 0)
        location.download(path, progress)
    location.wait_until_free(path)
    try:
        project = Project.open(path, readonly=readonly)
    except ProjectLockedError:
        raise
    except ProjectFileError as exc:
        if readonly or not lock_refused_by_place(exc):
            raise
        project = Project.open(path, readonly=True)
        project.readonly_reason = project.readonly_reason or readonly_reason(path, exc)
    words = location.sentence(where)
    if words:
        notices.append(words)
    if where.kind is Kind.ONEDRIVE:
        copies = location.conflict_copies(path)
        if copies:
            notices.append(location.conflict_notice(path, copies))
    notices.extend(project.notices)
    return Opened(project, where, tuple(notices))


def lock_refused_by_place(exc: ProjectFileError) -> bool:
    """The lock could not be created because the place refuses writing (not: someone holds
    it, the file is damaged, the disk is full)."""
    if isinstance(exc, LockCreationError):
        return True
    cause = exc.__cause__
    return (
        isinstance(cause, OSError)
        and cause.errno in _REFUSED
        and ("lock" in exc.en.lower() or "锁" in exc.zh)
    )


def readonly_reason(path: Path, exc: ProjectFileError) -> str:
    cause = exc.__cause__
    why = cause.strerror if isinstance(cause, OSError) and cause.strerror else "没有写入权限"
    return (
        f"项目所在的文件夹 {quoted(path.parent)} 不允许本机写入（{why}），无法锁定项目，"
        "已以只读方式打开"
    )
