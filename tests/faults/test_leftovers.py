"""What a killed `new-year`, `load` or export leaves is removed by the next command of any
kind (issue 22): the in-flight list (core/inflight.py) names every temp path before it exists.

Kills land on SQLite's page writes (`strace -e inject=pwrite64:signal=KILL:when=N`): CI spreads
CSR_LEFTOVER_RUNS (default 12) kill points over each command's writes, first and last
included; CSR_LEFTOVER_RUNS=all kills at every write (~7 min here)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.sample import build_interchange
from tests.conftest import REPO

pytestmark = pytest.mark.posix_only("strace and SIGKILL")
_RUNS = os.environ.get("CSR_LEFTOVER_RUNS", "12")
RUNS = 0 if _RUNS == "all" else int(_RUNS)  # 0: every write


def _env(tmp_path: Path) -> dict[str, str]:
    temp = tmp_path / "temp"
    temp.mkdir(exist_ok=True)
    return dict(
        os.environ,
        CSR_DESKTOP_STATE_DIR=str(tmp_path / "state"),
        TMPDIR=str(temp),
        PYTHONIOENCODING="utf-8",
        QT_QPA_PLATFORM="offscreen",
    )


def _command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "csr_desktop", *map(str, args)]


def _pwrites(args: list[str], env: dict[str, str], work: Path) -> int:
    """How many pwrite64 calls the command makes when it is not killed."""
    summary = work / "count.txt"
    done = subprocess.run(
        ["strace", "-f", "-c", "-e", "trace=pwrite64", "-o", str(summary), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    m = re.search(
        r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?pwrite64", summary.read_text(), re.M
    )
    assert m, summary.read_text()
    return int(m[1])


def _points(total: int) -> list[int]:
    if RUNS <= 0 or total <= RUNS:
        return list(range(1, total + 1))
    return sorted({1, total, *(1 + k * (total - 1) // (RUNS - 1) for k in range(RUNS))})


def _kill_at(n: int, args: list[str], env: dict[str, str]) -> None:
    inject = f"inject=pwrite64:signal=KILL:when={n}"
    subprocess.run(
        ["strace", "-f", "-o", os.devnull, "-e", "trace=pwrite64", "-e", inject, *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        timeout=300,
    )


def _leftovers(folder: Path, keep: set[str]) -> list[str]:
    """Anything in `folder` that is neither an input nor a complete result."""
    left = []
    for p in sorted(folder.iterdir()):
        if any(p.name.startswith(name) for name in keep):
            continue  # an input with its own side files (an old project's -wal)
        if p.suffix == ".csrproj" and not p.name.startswith("."):
            with Project.open(p, readonly=True):
                pass  # a result renamed into place before the kill: complete, it stays
            continue
        left.append(p.name)
    return left


@pytest.fixture
def old_project(tmp_path: Path) -> Path:
    src = build_interchange(tmp_path / "in", evidence_per_indicator=1, evidence_bytes=200_000)
    dest = tmp_path / "年度" / "2024.csrproj"
    dest.parent.mkdir()
    data = json.loads(src.read_text(encoding="utf-8"))
    data["indicators"] = data["indicators"][:3]  # three files: a few carry copies, kept quick
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    interchange.load(src, dest)
    return dest


@pytest.fixture
def unrelated(tmp_path: Path) -> Path:
    other = tmp_path / "别处" / "另一个.csrproj"
    other.parent.mkdir()
    Project.create(other).close()
    return other


def _after_an_unrelated_command(tmp_path: Path, env: dict[str, str], unrelated: Path) -> None:
    done = subprocess.run(
        _command("validate", unrelated), env=env, cwd=REPO, capture_output=True, timeout=120
    )
    assert done.returncode in (0, 1), done.stderr
    state = tmp_path / "state" / "in-flight"
    assert not state.exists() or not list(state.iterdir()), list(state.iterdir())
    assert not list((tmp_path / "temp").iterdir())


def test_new_year_killed_at_every_write_leaves_nothing_after_the_next_command(
    tmp_path: Path, old_project: Path, unrelated: Path
) -> None:
    env = _env(tmp_path)
    folder = old_project.parent
    total = _pwrites(_command("new-year", old_project, folder / "probe.csrproj"), env, tmp_path)
    (folder / "probe.csrproj").unlink()
    assert total > 10
    for n in _points(total):
        _kill_at(n, _command("new-year", old_project, folder / f"2025-{n}.csrproj"), env)
    assert any(p.name.startswith(".") for p in folder.iterdir())  # the kills left something
    _after_an_unrelated_command(tmp_path, env, unrelated)
    assert _leftovers(folder, {old_project.name}) == []


def test_load_killed_at_every_write_leaves_nothing_after_the_next_command(
    tmp_path: Path, unrelated: Path
) -> None:
    env = _env(tmp_path)
    src = build_interchange(tmp_path / "in", evidence_per_indicator=1, evidence_bytes=100_000)
    out = tmp_path / "载入"
    out.mkdir()
    total = _pwrites(_command("load", src, out / "probe.csrproj"), env, tmp_path)
    (out / "probe.csrproj").unlink()
    for n in _points(total):
        _kill_at(n, _command("load", src, out / f"项目-{n}.csrproj"), env)
    assert any(p.name.startswith(".") for p in out.iterdir())
    _after_an_unrelated_command(tmp_path, env, unrelated)
    assert _leftovers(out, set()) == []


@pytest.mark.parametrize("option", ["--package", "--document"])
def test_an_export_killed_midway_leaves_nothing_after_the_next_command(
    tmp_path: Path, old_project: Path, unrelated: Path, option: str
) -> None:
    env = _env(tmp_path)
    out = tmp_path / "导出"
    out.mkdir()
    dest = out / ("材料包.zip" if option == "--package" else "自评材料.pdf")
    proc = subprocess.Popen(
        _command("export", old_project, option, dest),
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(f".{dest.name}.tmp-") for p in out.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "no temp file seen"
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert list(out.iterdir())  # the kill left its temp file
    _after_an_unrelated_command(tmp_path, env, unrelated)
    assert list(out.iterdir()) == []
