"""The lock after a reboot, a reused PID, a lock deleted by hand, and a power cut (#21)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from csr_desktop.core import system
from csr_desktop.core.errors import ProjectLockedError
from csr_desktop.core.lock import break_lock, lock_path, read_lock
from csr_desktop.core.store import Project
from tests.core.crashing import crash_mid_transaction


def _plant(path: Path, **changes: object) -> None:
    info = read_lock(lock_path(path)) or {}
    info.update(changes)
    lock_path(path).write_text(json.dumps(info), encoding="utf-8")


@pytest.fixture
def crashed(tmp_path: Path) -> Path:
    path = tmp_path / "项目.csrproj"
    Project.create(path).close()
    crash_mid_transaction(path, ("indicator.3.narrative", "崩溃前已保存"))
    return path


def test_after_a_reboot_a_lock_naming_a_live_unrelated_pid_is_stale(crashed: Path):
    """PID 1 runs, but it is not the process that wrote the lock (it started at another
    time): the next writer takes over and keeps what was saved."""
    _plant(crashed, pid=1, start="1")
    with Project.open(crashed) as p:
        assert not p.readonly
        assert p.get("indicator.3.narrative") == "崩溃前已保存"


def test_a_lock_of_another_boot_is_stale(crashed: Path):
    _plant(crashed, pid=1, start=system.current().process_start(1), boot="another-boot")
    with Project.open(crashed) as p:
        assert p.get("indicator.3.narrative") == "崩溃前已保存"


def test_a_live_process_with_its_own_start_time_keeps_the_lock(crashed: Path):
    _plant(crashed, pid=1, start=system.current().process_start(1))
    with pytest.raises(ProjectLockedError) as refused:
        Project.open(crashed)
    assert "解除锁定" in str(refused.value.zh) or "解除锁定" in str(refused.value)
    with Project.open(crashed, readonly=True) as p:  # a reader still sees the last commit
        assert p.get("indicator.3.narrative") == "崩溃前已保存"


def test_a_lock_of_another_computer_is_never_judged_by_itself_but_can_be_cleared(crashed: Path):
    _plant(crashed, host="其他电脑", pid=os.getpid())
    with pytest.raises(ProjectLockedError):
        Project.open(crashed)
    assert break_lock(crashed)  # 解除锁定: only the lock goes
    assert Path(f"{crashed}-journal").exists()
    with Project.open(crashed) as p:
        assert p.get("indicator.3.narrative") == "崩溃前已保存"
        assert p.integrity_problems() == []


def test_a_lock_deleted_by_hand_costs_no_saved_edit(crashed: Path):
    lock_path(crashed).unlink()
    with Project.open(crashed) as p:
        assert p.get("indicator.3.narrative") == "崩溃前已保存"
        assert p.integrity_problems() == []


def test_the_lock_is_complete_and_synced_before_it_is_trusted(tmp_path: Path, monkeypatch):
    """A lock written without a sync was empty after a power cut: every byte is synced
    before the lock takes its name (the folder too)."""
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    path = tmp_path / "项目.csrproj"
    Project.create(path).close()
    synced.clear()
    with Project.open(path):
        info = read_lock(lock_path(path))
        assert info is not None and info["start"] and info["project_id"]
        assert any(".~lock." in s for s in synced)  # the lock's content
        assert str(tmp_path) in synced  # its name
