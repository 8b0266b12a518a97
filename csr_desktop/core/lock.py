"""A lock file beside the project so exactly one process writes it at a time.

Exclusive creation (a hard link of a complete temp file, or O_EXCL where links are not
supported) means two processes racing for the lock cannot both win, and the lock is named after
the file's real path, so opening through a symlink or another spelling meets the same lock.
A lock left by a dead process on this host is taken over.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from csr_desktop.core.errors import ProjectFileError, ProjectLockedError, quoted


def lock_path(project: Path) -> Path:
    real = Path(os.path.realpath(project))
    return real.with_name(f".~lock.{real.name}#")


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - absent on POSIX for mypy
        handle = kernel32.OpenProcess(0x1000, False, pid)
        if handle:
            kernel32.CloseHandle(handle)
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _host() -> str:
    if hasattr(os, "uname"):  # POSIX: gethostname() is uname's nodename, without socket's import
        return os.uname().nodename
    import socket  # lazily: only opening for writing needs it, and start-up time counts

    return socket.gethostname()


def read_lock(path: Path) -> dict[str, object] | None:
    """The lock's content, or None when there is none (or it is unreadable)."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def is_stale(info: dict[str, object]) -> bool:
    """Left by a process of this host that no longer runs, or kept by a closed writer."""
    if info.get("closed") is True:
        return True
    pid = info.get("pid")
    return info.get("host") == _host() and isinstance(pid, int) and not pid_alive(pid)


class ProjectLock:
    """Held while a project is open for writing; a lock left by a dead process is taken over."""

    def __init__(self, project: Path, user: str, project_id: str = "") -> None:
        self.path = lock_path(project)
        self._project = project
        self._user = user
        self._project_id = project_id
        self.held = False
        self._owner = False  # created the lock file, so removes it on release

    def holder(self) -> dict[str, object] | None:
        """Who holds the lock now, if a live process does."""
        info = read_lock(self.path)
        if info is None or is_stale(info):
            return None
        if info.get("host") == _host() and info.get("pid") == os.getpid():
            return None
        return info

    def _refuse(self, holder: dict[str, object]) -> ProjectLockedError:
        return ProjectLockedError(
            f"项目文件 {quoted(self._project)} 正在被 {holder.get('user', '?')}"
            f"（{holder.get('host', '?')}）打开，请先在那里关闭，或以只读方式打开",
            f"{self._project} is open in another instance",
        )

    def acquire(self) -> None:
        if self.path.is_dir():
            raise ProjectFileError(
                f"无法锁定项目文件 {quoted(self._project)}：锁文件位置 {quoted(self.path)} "
                "是一个文件夹，请删除或改名该文件夹后重试",
                f"lock path {self.path} is a directory",
            )
        info = {
            "pid": os.getpid(),
            "host": _host(),
            "user": self._user,
            "project_id": self._project_id,
        }
        for _attempt in range(3):
            if self._create_exclusively(info):
                self.held, self._owner = True, True
                return
            current = read_lock(self.path)
            if (
                current is not None
                and current.get("pid") == os.getpid()
                and (current.get("host") == _host())
            ):
                self.held, self._owner = True, False  # this process holds it already
                return
            if current is not None and not is_stale(current):
                raise self._refuse(current)
            self._take_over_stale(current)
        raise self._refuse(read_lock(self.path) or {})

    def _create_exclusively(self, info: dict[str, object]) -> bool:
        """Create the lock with its content in one step; False if a lock exists already."""
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}")
        try:
            tmp.write_text(json.dumps(info), encoding="utf-8")
            try:
                os.link(tmp, self.path)
                return True
            except FileExistsError:
                return False
            except OSError:  # a file system without hard links (FAT): O_EXCL instead
                try:
                    fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                except FileExistsError:
                    return False
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(json.dumps(info))
                return True
        except OSError as exc:
            raise ProjectFileError(
                f"无法在 {quoted(self.path.parent)} 中创建锁文件：{exc.strerror or exc}",
                f"cannot create lock {self.path}: {exc}",
            ) from exc
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def _take_over_stale(self, seen: dict[str, object] | None) -> None:
        """Move a dead process's lock out of the way; a live one that won the race stays."""
        aside = self.path.with_name(f"{self.path.name}.stale-{os.getpid()}")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            return
        except OSError:
            return
        moved = read_lock(aside)
        if moved is not None and moved != seen and not is_stale(moved):
            with contextlib.suppress(OSError):  # a live lock was taken by mistake: restore it
                os.link(aside, self.path)
        with contextlib.suppress(OSError):
            aside.unlink()

    def keep_as_owner_record(self) -> None:
        """Leave the lock behind, marked closed, as proof that the -wal beside the project is
        this project's (a reader kept it from being folded in): the next writer trusts it."""
        if self.held and self._owner:
            self.held = False
            info = read_lock(self.path) or {}
            info["closed"] = True
            with contextlib.suppress(OSError):
                self.path.write_text(json.dumps(info), encoding="utf-8")

    def release(self) -> None:
        if self.held:
            self.held = False
            if not self._owner:
                return
            info = read_lock(self.path)
            if info is not None and info.get("pid") == os.getpid():
                with contextlib.suppress(OSError):
                    self.path.unlink()
