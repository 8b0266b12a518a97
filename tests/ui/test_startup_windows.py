"""Start-up as on Windows: a project path outside the ANSI code page, an unreachable share
among the recent projects, and stderr redirected to a file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from csr_desktop.app import app_arguments
from csr_desktop.core.store import Project

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("startup_driver.py")


def run(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ, XDG_CONFIG_HOME=str(home), HOME=str(home), **env)
    environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    environ.setdefault("PYTHONIOENCODING", "utf-8")
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=environ,
        timeout=120,
    )


def test_a_project_path_outside_the_code_page_opens(tmp_path: Path):
    """Double-clicking `报告😀.csrproj`: Qt's converted argument reads `报告?.csrproj`."""
    project = tmp_path / "自评 ñ 😀.csrproj"
    Project.create(project).close()
    done = run(str(DRIVER), "mangled-argv", str(project), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_qt_options_are_not_taken_for_a_project():
    assert app_arguments(["-style", "fusion", "p.csrproj"]) == ["p.csrproj"]
    assert app_arguments(["--platform=offscreen", "-reverse", "项目😀.csrproj"]) == [
        "项目😀.csrproj"
    ]
    assert app_arguments(["--terminate-after-init", "a"]) == ["--terminate-after-init", "a"]
    assert app_arguments(["--bogus"]) == ["--bogus"]


def test_an_unreachable_share_does_not_hold_the_window(tmp_path: Path):
    """The most recent project lies on a share that takes 3 s to say nothing: the window shows
    at once, the check runs on a worker, and after its bound the next recent project opens and
    the status bar names the unreachable one."""
    local = tmp_path / "本地.csrproj"
    Project.create(local).close()
    server = str(tmp_path / "server-share")
    done = run(
        str(DRIVER), "slow-share", server, f"{server}/项目.csrproj", str(local), home=tmp_path
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines["main-thread-calls"] == "[]", done.stdout
    assert lines["opened"] == str(local.resolve()), done.stdout
    assert "暂时无法访问" in lines["status"] and "项目.csrproj" in lines["status"]
    assert float(lines["elapsed"]) < 2.9  # the 3 s question was never waited for


@pytest.mark.parametrize("args", [["validate", "不存在.csrproj"], ["--bogus-option"]])
def test_stderr_is_utf8_like_stdout(tmp_path: Path, args: list[str]):
    """Redirected on Windows, stderr used the ANSI code page with escapes (`\\u9879…`)."""
    done = subprocess.run(
        [sys.executable, "-m", "csr_desktop", *args],
        capture_output=True,
        cwd=tmp_path,
        env=dict(
            os.environ,
            PYTHONIOENCODING="cp1252:backslashreplace",
            QT_QPA_PLATFORM="offscreen",
            HOME=str(tmp_path),
            XDG_CONFIG_HOME=str(tmp_path),
        ),
        timeout=120,
    )
    assert done.returncode == 2
    text = done.stderr.decode("utf-8")
    assert "\\u" not in text and any("\u4e00" <= ch <= "\u9fff" for ch in text), text


def test_a_windowed_build_without_streams_starts(monkeypatch: pytest.MonkeyPatch):
    """csr-desktop.exe (no console): sys.stdout and sys.stderr are None."""
    from csr_desktop.cli import utf8_streams

    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    utf8_streams()
