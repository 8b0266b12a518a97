"""Windows' answers about processes and lock files, decided on a fake of the kernel32 calls.

The real calls (`core/win32.py`) run only on Windows (the Windows CI); every decision — access
denied is alive, another creation time is dead, an exited process is dead — is made on plain
values in `system.WindowsSystem`, so it is tested here on any OS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from csr_desktop.core import system, win32
from csr_desktop.core.system import Liveness, WindowsSystem

ACCESS_DENIED, INVALID_PARAMETER = 5, 87


@dataclass
class Proc:
    created: int
    exit_code: int = 259  # STILL_ACTIVE
    denied: bool = False  # another user's process (terminal server)


@dataclass
class FakeKernel32:
    procs: dict[int, Proc] = field(default_factory=dict)
    name: str = "TS-01"
    session: int | None = 3
    open_handles: set[int] = field(default_factory=set)
    held: dict[int, str] = field(default_factory=dict)
    _next: int = 100

    def computer_name(self) -> str:
        return self.name

    def session_id(self) -> int | None:
        return self.session

    def open_process(self, pid: int) -> tuple[int | None, int]:
        proc = self.procs.get(pid)
        if proc is None:
            return None, INVALID_PARAMETER
        if proc.denied:
            return None, ACCESS_DENIED
        self._next += 1
        self.open_handles.add(self._next)
        self.held[self._next] = f"pid {pid}"
        return self._next, 0

    def _proc(self, handle: int) -> Proc:
        return self.procs[int(self.held[handle].split()[1])]

    def process_created(self, handle: int) -> int | None:
        return self._proc(handle).created

    def exit_code(self, handle: int) -> int | None:
        return self._proc(handle).exit_code

    def close_handle(self, handle: int) -> None:
        self.open_handles.discard(handle)

    def open_without_delete_sharing(self, path: str) -> int:
        if not Path(path).exists():
            exc = FileNotFoundError(2, "The system cannot find the file specified", path)
            raise exc
        self._next += 1
        self.open_handles.add(self._next)
        self.held[self._next] = path
        return self._next

    def drive_type(self, root: str) -> int:
        return 4 if root.startswith("\\\\") else 3

    def file_attributes(self, path: str) -> int:
        return 0


START = 133_774_000_000_000_000  # a FILETIME


def test_another_users_process_is_alive_not_dead():
    """Terminal server: user A's live app cannot be opened by user B (access denied). Reading
    that as dead (the old `pid_alive`) let B take over A's lock and sweep A's evidence copy."""
    k = FakeKernel32({4242: Proc(START, denied=True)})
    assert WindowsSystem(k).liveness(4242, str(START)) is Liveness.ALIVE
    assert WindowsSystem(k).liveness(4242, "") is Liveness.ALIVE


def test_no_such_process_is_dead():
    k = FakeKernel32()
    assert WindowsSystem(k).liveness(4242, str(START)) is Liveness.DEAD
    assert WindowsSystem(k).liveness(0, "") is Liveness.DEAD
    assert WindowsSystem(k).liveness(-1, "") is Liveness.DEAD


def test_a_reused_pid_is_dead():
    """Windows reuses PIDs at once: the creation time tells the old owner from a newcomer."""
    k = FakeKernel32({4242: Proc(START + 10_000_000)})
    assert WindowsSystem(k).liveness(4242, str(START)) is Liveness.DEAD
    assert WindowsSystem(k).liveness(4242, str(START + 10_000_000)) is Liveness.ALIVE


def test_an_exited_process_still_referenced_is_dead():
    """OpenProcess succeeds on an exited process while anyone holds a handle to it."""
    k = FakeKernel32({4242: Proc(START, exit_code=0)})
    assert WindowsSystem(k).liveness(4242, str(START)) is Liveness.DEAD


def test_handles_are_closed_whatever_the_answer():
    k = FakeKernel32({1: Proc(START), 2: Proc(START, exit_code=1), 3: Proc(START + 1)})
    win = WindowsSystem(k)
    for pid in (1, 2, 3):
        win.liveness(pid, str(START))
        win.process_start(pid)
    win.boot_id()
    assert k.open_handles == set()


def test_process_start_and_boot_id_are_creation_times():
    k = FakeKernel32({4: Proc(START - 3_600), 77: Proc(START)})
    win = WindowsSystem(k)
    assert win.process_start(77) == str(START)
    assert win.process_start(78) == ""
    assert win.boot_id() == str(START - 3_600)  # the System process: created at boot
    assert WindowsSystem(FakeKernel32()).boot_id() == ""  # not readable: '' (pid + start rule)
    assert WindowsSystem(FakeKernel32({4: Proc(0)})).boot_id() == ""  # a zero time says nothing


def test_host_and_session_tell_users_of_one_terminal_server_apart():
    assert WindowsSystem(FakeKernel32(name="TS-01", session=3)).host() == "TS-01"
    assert WindowsSystem(FakeKernel32(session=3)).session() == "3"
    assert WindowsSystem(FakeKernel32(session=None)).session() == ""
    assert system.PosixSystem().session() == ""


def test_a_lock_file_is_held_until_released(tmp_path: Path):
    lock = tmp_path / ".~lock.p.csrproj#"
    lock.write_text("{}", encoding="utf-8")
    k = FakeKernel32()
    win = WindowsSystem(k)
    handle = win.hold_lock_file(lock)
    assert k.held[handle] == str(lock) and handle in k.open_handles
    win.release_lock_file(handle)
    assert handle not in k.open_handles
    with pytest.raises(FileNotFoundError):
        win.hold_lock_file(tmp_path / "gone")


@pytest.mark.posix_only("reads /proc/self/fd")
def test_posix_holds_a_lock_file_open(tmp_path: Path):
    lock = tmp_path / "lock"
    lock.write_text("{}", encoding="utf-8")
    posix = system.PosixSystem()
    fd = posix.hold_lock_file(lock)
    try:
        assert Path(f"/proc/self/fd/{fd}").resolve() == lock.resolve()
    finally:
        posix.release_lock_file(fd)
    with pytest.raises(OSError):
        posix.release_lock_file(fd)  # closed


def test_current_is_windows_on_windows(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(system.os, "name", "nt")
    monkeypatch.setattr(win32, "Kernel32", FakeKernel32)
    monkeypatch.setattr(system, "_current", None)
    try:
        assert isinstance(system.current(), WindowsSystem)
    finally:
        system.use(None)


def test_the_real_kernel32_only_loads_on_windows():
    if system.os.name == "nt":  # the Windows CI: the real calls answer about this process
        win = WindowsSystem()
        me = system.os.getpid()
        assert win.liveness(me, win.process_start(me)) is Liveness.ALIVE
        assert win.process_start(me) and win.host()
    else:
        with pytest.raises((AttributeError, OSError)):
            win32.Kernel32()
