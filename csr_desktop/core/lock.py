"""A lock file beside the project so exactly one process writes it at a time.

Exclusive creation (a hard link of a complete, synced temp file, or O_EXCL where links are not
supported) means two processes racing for the lock cannot both win; the folder is synced after,
so the lock survives a power cut (an empty lock once made the next writer distrust the journal).
A lock is named after the file's real path, so opening through a symlink meets the same lock.

A lock is stale when its process is gone: same host and another boot, or no such process, or a
process of that PID that started at another time (PIDs are reused after a reboot, at once on
Windows). A lock of another host is never judged by itself: the user clears it explicitly
(`break_lock`), which costs nothing, since every commit is in the main file (storage-design.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from pathlib import Path

from csr_desktop.core import system
from csr_desktop.core.errors import ProjectFileError, ProjectLockedError, quoted


def lock_path(project: Path) -> Path:
    real = Path(os.path.realpath(project))
    return real.with_name(f".~lock.{real.name}#")


def pid_alive(pid: int) -> bool:
    """Whether some process has this PID now (temp files named after their writer's PID)."""
    return system.current().liveness(pid, "") is system.Liveness.ALIVE


def read_lock(path: Path) -> dict[str, object] | None:
    """The lock's content, or None when there is none (or it is unreadable)."""
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def _mine(info: dict[str, object]) -> bool:
    sysm = system.current()
    return info.get("host") == sysm.host() and info.get("pid") == os.getpid()


def is_stale(info: dict[str, object]) -> bool:
    """Left by a process that no longer runs (on this host), or kept by a closed writer."""
    if info.get("closed") is True:
        return True
    sysm = system.current()
    if info.get("host") != sysm.host():
        return False
    boot = info.get("boot")
    if isinstance(boot, str) and boot and sysm.boot_id() and boot != sysm.boot_id():
        return True
    pid = info.get("pid")
    if not isinstance(pid, int):
        return True
    start = info.get("start")
    return sysm.liveness(pid, start if isinstance(start, str) else "") is system.Liveness.DEAD


def describe_holder(info: dict[str, object]) -> str:
    """“张三（PC-01），自 2026-12-07 09:30 起” for messages."""
    since = info.get("since")
    when = ""
    if isinstance(since, str) and since:
        with contextlib.suppress(ValueError):
            when = f"，自 {dt.datetime.fromisoformat(since).strftime('%Y-%m-%d %H:%M')} 起"
    return f"{info.get('user', '?')}（{info.get('host', '?')}）{when}"


def live_holder(project: Path) -> dict[str, object] | None:
    """Who holds the project's lock now, if a live process other than this one does."""
    info = read_lock(lock_path(project))
    if info is None or is_stale(info) or _mine(info):
        return None
    return info


def break_lock(project: Path) -> bool:
    """解除锁定: remove only the lock (never the project or its journal); True if one was there.

    Safe for saved work: every commit is in the main file, and a journal left by a crashed
    writer is judged by the trust rule at the next open, not by this lock."""
    try:
        lock_path(project).unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise ProjectFileError(
            f"无法解除项目文件 {quoted(project)} 的锁定：{exc.strerror or exc}",
            f"cannot remove lock of {project}: {exc}",
        ) from exc
    _sync_folder(lock_path(project).parent)
    return True


def _unlink_retrying(path: Path) -> None:
    """On an SMB share a file just closed may still be busy for a moment (EBUSY): a lock left
    behind there would refuse every other PC. Retried for about a second."""
    import time

    for delay in (0.0, 0.05, 0.1, 0.2, 0.3, 0.5):
        time.sleep(delay)
        try:
            path.unlink()
            return
        except FileNotFoundError:
            return
        except OSError:
            continue


def _sync_folder(folder: Path) -> None:
    """Make a created, renamed or removed name durable (POSIX; Windows has no folder fsync)."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_synced(path: Path, text: str, flags: int) -> None:
    fd = os.open(path, flags, 0o644)
    try:
        os.write(fd, text.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


class ProjectLock:
    """Held while a project is open for writing; a lock left by a dead process is taken over."""

    def __init__(self, project: Path, user: str, project_id: str = "") -> None:
        self.path = lock_path(project)
        self._project = project
        self._user = user
        self._project_id = project_id
        self.held = False
        self._owner = False  # created the lock file, so removes it on release
        self._handle: int | None = None  # held open: on Windows nobody can delete it meanwhile

    def holder(self) -> dict[str, object] | None:
        """Who holds the lock now, if a live process does."""
        return live_holder(self._project)

    def _refuse(self, holder: dict[str, object]) -> ProjectLockedError:
        return ProjectLockedError(
            f"项目文件 {quoted(self._project)} 正在被 {describe_holder(holder)}打开，"
            "请先在那里关闭，或以只读方式打开；若那台电脑已关机或程序已崩溃，可以解除锁定"
            "（已保存的内容不会丢失）",
            f"{self._project} is open in another instance",
        )

    def _info(self) -> dict[str, object]:
        sysm = system.current()
        return {
            "pid": os.getpid(),
            "start": sysm.process_start(os.getpid()),
            "boot": sysm.boot_id(),
            "host": sysm.host(),
            "session": sysm.session(),  # a terminal server: several users, one host name
            "user": self._user,
            "project_id": self._project_id,
            "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        }

    def acquire(self) -> None:
        if self.path.is_dir():
            raise ProjectFileError(
                f"无法锁定项目文件 {quoted(self._project)}：锁文件位置 {quoted(self.path)} "
                "是一个文件夹，请删除或改名该文件夹后重试",
                f"lock path {self.path} is a directory",
            )
        info = self._info()
        self._remove_dead_temps()
        for _attempt in range(3):
            if self._create_exclusively(info):
                self.held, self._owner = True, True
                self._hold()
                return
            current = read_lock(self.path)
            if current is not None and _mine(current):
                self.held, self._owner = True, False  # this process holds it already
                return
            if current is not None and not is_stale(current):
                raise self._refuse(current)
            self._take_over_stale(current)
        raise self._refuse(read_lock(self.path) or {})

    def _remove_dead_temps(self) -> None:
        """A writer killed while taking the lock left `.~lock.NAME#.PID` (or `.stale-PID`)."""
        prefix = f"{self.path.name}."
        try:
            names = os.listdir(self.path.parent)
        except OSError:
            return
        for name in names:
            rest = name[len(prefix) :] if name.startswith(prefix) else ""
            pid = rest.removeprefix("stale-")
            if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
                with contextlib.suppress(OSError):
                    (self.path.parent / name).unlink()

    def _create_exclusively(self, info: dict[str, object]) -> bool:
        """Create the lock, complete and synced, in one step; False if a lock exists already."""
        text = json.dumps(info, ensure_ascii=False)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}")
        try:
            _write_synced(tmp, text, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                return False
            except OSError:  # no hard links (FAT, SMB shares): O_EXCL, written and synced
                try:
                    _write_synced(self.path, text, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
                except FileExistsError:
                    return False
            _sync_folder(self.path.parent)
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
        this project's (a session that could not leave WAL mode): the next writer trusts it."""
        if self.held and self._owner:
            self.held = False
            self._let_go()
            info = read_lock(self.path) or {}
            info["closed"] = True
            with contextlib.suppress(OSError):
                _write_synced(
                    self.path, json.dumps(info, ensure_ascii=False), os.O_WRONLY | os.O_TRUNC
                )

    def _hold(self) -> None:
        with contextlib.suppress(OSError):
            self._handle = system.current().hold_lock_file(self.path)

    def _let_go(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                system.current().release_lock_file(self._handle)
            self._handle = None

    def release(self) -> None:
        if self.held:
            self.held = False
            self._let_go()
            if not self._owner:
                return
            info = read_lock(self.path)
            if info is not None and _mine(info):
                _unlink_retrying(self.path)
                _sync_folder(self.path.parent)
