"""What the operating system says about processes, the machine and places: one seam.

Why one module: locks must know whether their owner still runs (a PID alone is reused after a
reboot, and at once on Windows), and the answer differs per OS. Everything that asks goes
through `current()`, so the rest of the code never tests `os.name` and tests can install a fake
(`use(fake)`).
"""

from __future__ import annotations

import os
import sys
import time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from csr_desktop.core.win32 import Win32


class Liveness(Enum):
    ALIVE = "alive"
    DEAD = "dead"  # no such process, or the PID now belongs to a process started later


class System(Protocol):
    # ---- sessions, held lock files, replacing files (issue #24) --------------------------
    def session(self) -> str:
        """Which logon session this process runs in: on a terminal server several users share
        one host name, so host + session says whose process it is ('' on POSIX)."""
        ...

    def hold_lock_file(self, path: Path) -> int:
        """Open `path` (it must exist) and keep it open until `release_lock_file`; on Windows
        without FILE_SHARE_DELETE, so nobody can delete or replace it while we hold it.
        Raises OSError (Windows: a sharing violation if someone holds it against reading)."""
        ...

    def release_lock_file(self, handle: int) -> None:
        """Close what `hold_lock_file` opened (before deleting the file, on Windows)."""
        ...

    def replace(self, src: Path, dst: Path) -> None:
        """One attempt at `os.replace` (core/replace.py retries it while another program
        holds `dst`)."""
        ...

    def sleep(self, seconds: float) -> None: ...

    # ---- process facts ---------------------------------------------------------------------
    def host(self) -> str: ...

    def boot_id(self) -> str:
        """Changes at every boot; '' when the OS does not say."""
        ...

    def process_start(self, pid: int) -> str:
        """An opaque token of when `pid` started ('' if unknown); equal tokens, same process."""
        ...

    def liveness(self, pid: int, start: str) -> Liveness:
        """Whether the process that had `pid` and started at `start` still runs."""
        ...

    # ---- places (core/location.py) ---------------------------------------------------------

    def mount_table(self) -> str | None:
        """/proc/self/mountinfo's text ('' if unreadable); None where drives have letters."""
        ...

    def drive_type(self, root: str) -> int:
        """Windows GetDriveTypeW(root) (DRIVE_REMOVABLE 2, DRIVE_REMOTE 4); 0 elsewhere."""
        ...

    def removable_device(self, source: str) -> bool:
        """Whether the block device `source` (e.g. /dev/sdb1) says it is removable or USB."""
        ...

    def file_attributes(self, path: str) -> int:
        """Windows GetFileAttributesW(path) (OneDrive placeholders: RECALL_ON_*); 0 elsewhere."""
        ...


class PosixSystem:
    """Linux (and other POSIX with a /proc): start time from /proc/PID/stat."""

    def session(self) -> str:
        return ""

    def hold_lock_file(self, path: Path) -> int:
        return os.open(path, os.O_RDONLY)

    def release_lock_file(self, handle: int) -> None:
        os.close(handle)

    def replace(self, src: Path, dst: Path) -> None:
        os.replace(src, dst)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def host(self) -> str:
        if sys.platform == "win32":  # PosixSystem is never chosen there; for mypy's sake
            raise NotImplementedError
        return os.uname().nodename

    def boot_id(self) -> str:
        try:
            return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        except OSError:
            return ""

    def process_start(self, pid: int) -> str:
        try:
            stat = Path(f"/proc/{pid}/stat").read_bytes()
        except OSError:
            return ""
        # field 22 (starttime), counted after the command name, which may hold spaces
        fields = stat[stat.rfind(b")") + 2 :].split()
        return fields[19].decode("ascii") if len(fields) > 19 else ""

    def liveness(self, pid: int, start: str) -> Liveness:
        if pid <= 0:
            return Liveness.DEAD
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return Liveness.DEAD
        except PermissionError:
            pass  # another user's live process
        now = self.process_start(pid)
        if start and now and now != start:
            return Liveness.DEAD  # the PID was reused by a later process
        return Liveness.ALIVE

    # ---- places (core/location.py) ---------------------------------------------------------

    def mount_table(self) -> str | None:
        try:
            return Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""  # macOS and others without /proc: every place counts as local

    def drive_type(self, root: str) -> int:
        return 0

    def removable_device(self, source: str) -> bool:
        if sys.platform == "win32":  # PosixSystem is never chosen there; for mypy's sake
            return False
        try:
            rdev = os.stat(source).st_rdev
        except OSError:
            return False
        real = Path(os.path.realpath(f"/sys/dev/block/{os.major(rdev)}:{os.minor(rdev)}"))
        if "/usb" in str(real):  # USB sticks that call themselves fixed disks
            return True
        disk = real.parent if (real / "partition").exists() else real
        try:
            return (disk / "removable").read_text(encoding="ascii").strip() == "1"
        except OSError:
            return False

    def file_attributes(self, path: str) -> int:
        return 0


_current: System | None = None


def current() -> System:
    """The running OS's answers (or a test's fake)."""
    global _current
    if _current is None:
        _current = WindowsSystem() if os.name == "nt" else PosixSystem()
    return _current


def use(system: System | None) -> None:
    """Install a fake for tests (None: back to the real OS)."""
    global _current
    _current = system


# ---- Windows (issue #24) --------------------------------------------------------------------

STILL_ACTIVE = 259  # GetExitCodeProcess of a process that has not exited
ERROR_ACCESS_DENIED = 5
ERROR_INVALID_PARAMETER = 87  # OpenProcess: no process has this PID
SYSTEM_PID = 4  # the kernel's "System" process: created at boot, never exits


class WindowsSystem:
    """Windows through kernel32 (`core/win32.py`); every decision is here, on plain values,
    so tests run it on any OS against a fake of those few calls."""

    def __init__(self, api: Win32 | None = None) -> None:
        if api is None:
            from csr_desktop.core.win32 import Kernel32

            api = Kernel32()
        self.api = api

    def session(self) -> str:
        sid = self.api.session_id()
        return "" if sid is None else str(sid)

    def hold_lock_file(self, path: Path) -> int:
        return self.api.open_without_delete_sharing(str(path))

    def release_lock_file(self, handle: int) -> None:
        self.api.close_handle(handle)

    def replace(self, src: Path, dst: Path) -> None:
        os.replace(src, dst)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def host(self) -> str:
        return self.api.computer_name()

    def boot_id(self) -> str:
        """When the System process was created, i.e. the boot. Not now − GetTickCount64: that
        moves whenever the clock is set, and a boot id that changes while the machine runs
        would make a live lock look stale. '' where Windows does not tell us: the lock then
        relies on the PID and its creation time."""
        return self.process_start(SYSTEM_PID)

    def process_start(self, pid: int) -> str:
        if pid <= 0:
            return ""
        handle, _error = self.api.open_process(pid)
        if handle is None:
            return ""
        try:
            created = self.api.process_created(handle)
        finally:
            self.api.close_handle(handle)
        return str(created) if created else ""  # 0: Windows does not say (kernel processes)

    def mount_table(self) -> str | None:
        return None  # drives have letters: drive_type says what each is

    def drive_type(self, root: str) -> int:
        return self.api.drive_type(root)

    def removable_device(self, source: str) -> bool:
        return False

    def file_attributes(self, path: str) -> int:
        return self.api.file_attributes(path)

    def liveness(self, pid: int, start: str) -> Liveness:
        """Denied = alive: on a terminal server another user's process cannot be opened, and
        reading that as dead would let a second user take over a live lock."""
        if pid <= 0:
            return Liveness.DEAD
        handle, error = self.api.open_process(pid)
        if handle is None:
            return Liveness.DEAD if error == ERROR_INVALID_PARAMETER else Liveness.ALIVE
        try:
            exit_code = self.api.exit_code(handle)
            created = self.api.process_created(handle)
        finally:
            self.api.close_handle(handle)
        if exit_code is not None and exit_code != STILL_ACTIVE:
            return Liveness.DEAD  # exited; someone still holds a handle to it
        if start and created and str(created) != start:
            return Liveness.DEAD  # the PID now belongs to a later process
        return Liveness.ALIVE
