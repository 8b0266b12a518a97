"""The in-flight list removes what dead writes of this machine left, and nothing else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from csr_desktop.core import inflight, system
from csr_desktop.core.system import Liveness


class FakeSystem:
    """This host; PIDs listed in `dead` are gone, every other one runs."""

    def __init__(self) -> None:
        self.dead: set[int] = set()
        self.boot = "boot-1"

    def host(self) -> str:
        return "pc-1"

    def boot_id(self) -> str:
        return self.boot

    def process_start(self, pid: int) -> str:
        return f"start-{pid}"

    def liveness(self, pid: int, start: str) -> Liveness:
        return Liveness.DEAD if pid in self.dead else Liveness.ALIVE


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSystem]:
    monkeypatch.setenv(inflight.STATE_ENV, str(tmp_path / "state"))
    sysinfo = FakeSystem()
    system.use(sysinfo)
    try:
        yield sysinfo
    finally:
        system.use(None)


def leftovers(folder: Path, n: int) -> list[Path]:
    """A temp project with its side files and lock, and a scratch folder, as a kill leaves."""
    tmp = folder / inflight.unique_name(f".项目{n}.csrproj.tmp")
    scratch = folder / inflight.unique_name(f".carry-项目{n}.csrproj")
    tmp.write_bytes(b"half")
    Path(f"{tmp}-journal").write_bytes(b"j")
    (folder / f".~lock.{tmp.name}#").write_text("{}")
    scratch.mkdir()
    (scratch / "carry-x").write_bytes(b"copy")
    return [tmp, scratch]


def as_if_written_by(entry: Path | None, **fields: object) -> None:
    """Pretend another process wrote this record (the fake says which ones are dead)."""
    assert entry is not None
    data = json.loads(entry.read_text(encoding="utf-8"))
    data.update(fields)
    entry.write_text(json.dumps(data), encoding="utf-8")


def test_a_dead_process_s_paths_go_with_their_side_files(fake: FakeSystem, tmp_path: Path):
    paths = leftovers(tmp_path, 1)
    keep = tmp_path / "项目1.csrproj"  # the user's own file beside them
    keep.write_bytes(b"mine")
    as_if_written_by(inflight.record(paths), pid=4242, start="start-4242")
    fake.dead.add(4242)
    assert inflight.sweep() == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state", "项目1.csrproj"]
    assert list((tmp_path / "state" / "in-flight").iterdir()) == []


def test_a_live_process_s_paths_and_another_machine_s_stay(fake: FakeSystem, tmp_path: Path):
    live = leftovers(tmp_path, 1)
    as_if_written_by(inflight.record(live), pid=4242, start="start-4242")
    other = leftovers(tmp_path, 2)
    as_if_written_by(inflight.record(other), host="pc-2", pid=77, start="start-77")
    fake.dead.add(77)  # a PID that is free here says nothing about pc-2
    assert inflight.sweep() == 0
    assert all(p.exists() for p in live + other)


def test_a_record_from_before_the_last_reboot_is_dead(fake: FakeSystem, tmp_path: Path):
    paths = leftovers(tmp_path, 1)
    as_if_written_by(inflight.record(paths), pid=4242, start="start-4242", boot="boot-0")
    assert inflight.sweep() == 1  # PID 4242 runs again, but it cannot be the same process
    assert not any(p.exists() for p in paths)


def test_a_path_also_named_by_a_live_record_stays(fake: FakeSystem, tmp_path: Path):
    paths = leftovers(tmp_path, 1)
    as_if_written_by(inflight.record(paths), pid=4242, start="start-4242")
    as_if_written_by(inflight.record(paths[:1]), pid=5151, start="start-5151")
    fake.dead.add(4242)
    assert inflight.sweep() == 1
    assert paths[0].exists() and not paths[1].exists()


def test_a_lock_is_removed_only_while_it_names_the_dead_process(fake: FakeSystem, tmp_path: Path):
    mine, taken = tmp_path / ".~lock.a.csrproj#", tmp_path / ".~lock.b.csrproj#"
    reused = tmp_path / ".~lock.c.csrproj#"
    mine.write_text(json.dumps({"pid": 4242, "host": "pc-1", "start": "start-4242"}))
    taken.write_text(json.dumps({"pid": 5151, "host": "pc-1"}))  # a window took it over
    reused.write_text(json.dumps({"pid": 4242, "host": "pc-1", "start": "later"}))
    entry = inflight.record([], locks=[mine, taken, reused])
    as_if_written_by(entry, pid=4242, start="start-4242")
    fake.dead.add(4242)
    assert inflight.sweep() == 1
    assert not mine.exists() and taken.exists() and reused.exists()


def test_this_process_s_own_record_stays_until_forgotten(fake: FakeSystem, tmp_path: Path):
    paths = leftovers(tmp_path, 1)
    with inflight.in_flight(*paths):
        assert inflight.sweep() == 0
        assert all(p.exists() for p in paths)
    assert list((tmp_path / "state" / "in-flight").iterdir()) == []


@pytest.mark.posix_only("the real POSIX seam")
def test_a_reused_pid_is_dead_on_the_real_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(inflight.STATE_ENV, str(tmp_path / "state"))
    paths = leftovers(tmp_path, 1)
    parent = os.getppid()  # alive, but not the process that started at "1"
    as_if_written_by(inflight.record(paths), pid=parent, start="1")
    assert inflight.sweep() == 1
    assert not any(p.exists() for p in paths)


def test_the_state_folder_is_the_user_s_local_one(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(inflight.STATE_ENV, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", "/x/state")
    if os.name == "nt":  # pragma: no cover - Windows only
        monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\u\AppData\Local")
        assert inflight.state_dir() == Path(r"C:\Users\u\AppData\Local\csr-desktop")
    else:
        assert inflight.state_dir() == Path("/x/state/csr-desktop")
        monkeypatch.delenv("XDG_STATE_HOME")
        assert inflight.state_dir() == Path.home() / ".local" / "state" / "csr-desktop"


def test_an_unwritable_state_folder_does_not_stop_the_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(inflight.STATE_ENV, str(blocker / "state"))
    with inflight.in_flight(tmp_path / "x.tmp"):
        pass
    assert inflight.sweep() == 0


def test_the_window_start_removes_what_a_killed_command_left(tmp_path: Path):
    state = tmp_path / "state"
    env = dict(
        os.environ,
        CSR_DESKTOP_STATE_DIR=str(state),
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "home"),
        QT_QPA_PLATFORM="offscreen",
    )
    os.environ[inflight.STATE_ENV] = str(state)
    try:
        paths = leftovers(tmp_path, 1)
        dead = subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
        )
        as_if_written_by(inflight.record(paths), pid=int(dead.stdout), start="")
    finally:
        del os.environ[inflight.STATE_ENV]
    window = subprocess.Popen([sys.executable, "-m", "csr_desktop"], env=env)
    try:
        deadline = time.monotonic() + 30
        while any(p.exists() for p in paths) and time.monotonic() < deadline:
            assert window.poll() is None
            time.sleep(0.2)
        assert not any(p.exists() for p in paths)
    finally:
        window.kill()
        window.wait()
