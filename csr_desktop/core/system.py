"""What the operating system says about processes, the machine and places: one seam.

Why one module: locks must know whether their owner still runs (a PID alone is reused after a
reboot, and at once on Windows), and the answer differs per OS. Everything that asks goes
through `current()`, so the rest of the code never tests `os.name` and tests can install a fake
(`use(fake)`).
"""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import Protocol


class Liveness(Enum):
    ALIVE = "alive"
    DEAD = "dead"  # no such process, or the PID now belongs to a process started later


class System(Protocol):
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

    def host(self) -> str:
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
        _current = PosixSystem()
    return _current


def use(system: System | None) -> None:
    """Install a fake for tests (None: back to the real OS)."""
    global _current
    _current = system
