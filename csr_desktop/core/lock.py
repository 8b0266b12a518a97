"""A lock file beside the project so two app instances never write one project at once."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from csr_desktop.core.errors import ProjectLockedError, quoted


def lock_path(project: Path) -> Path:
    return project.with_name(f".~lock.{project.name}#")


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


class ProjectLock:
    """Held while a project is open for writing; a lock left by a dead process is taken over."""

    def __init__(self, project: Path, user: str) -> None:
        self.path = lock_path(project)
        self._project = project
        self._user = user
        self.held = False

    def holder(self) -> dict[str, object] | None:
        """Who holds the lock now, if a live process does."""
        try:
            info = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(info, dict):
            return None
        same_host = info.get("host") == _host()
        pid = info.get("pid")
        if same_host and isinstance(pid, int) and not pid_alive(pid):
            return None
        if same_host and pid == os.getpid():
            return None
        return info

    def acquire(self) -> None:
        holder = self.holder()
        if holder is not None:
            raise ProjectLockedError(
                f"项目文件 {quoted(self._project)} 正在被 {holder.get('user', '?')}"
                f"（{holder.get('host', '?')}）打开，请先在那里关闭，或以只读方式打开",
                f"{self._project} is open in another instance",
            )
        info = {"pid": os.getpid(), "host": _host(), "user": self._user}
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}")
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, self.path)
        self.held = True

    def release(self) -> None:
        if self.held:
            self.held = False
            with contextlib.suppress(OSError):
                self.path.unlink()
