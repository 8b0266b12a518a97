"""Typing that never pauses still reaches the disk within about a second (issue 22)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from csr_desktop.core.assessment import indicator_key
from csr_desktop.core.store import Project
from tests.ui.steady_typist import typed

REPO = Path(__file__).resolve().parents[2]
TYPING_SECONDS = 9.0
MARGIN_SECONDS = 1.5  # typed longer ago than this before the kill must be on disk


@pytest.mark.posix_only("kills the window with SIGKILL")
def test_nine_seconds_of_steady_typing_then_a_kill_keeps_all_but_the_last_moment(
    tmp_path: Path,
) -> None:
    path = tmp_path / "自评.csrproj"
    Project.create(path).close()
    env = dict(os.environ, HOME=str(tmp_path / "home"), PYTHONIOENCODING="utf-8")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.steady_typist", str(path), "5", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=env,
    )
    seen: list[tuple[float, str]] = []  # (when the parent read it, line)

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            seen.append((time.monotonic(), line.strip()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 60
    while not any(line == "ready" for _t, line in seen):
        assert child.poll() is None, child.stderr.read() if child.stderr else ""
        assert time.monotonic() < deadline, "the window did not start"
        time.sleep(0.05)
    time.sleep(TYPING_SECONDS)
    killed_at = time.monotonic()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    reader.join(timeout=10)
    counts = [int(line) for t, line in seen if line.isdigit() and t <= killed_at]
    assert counts and counts[-1] >= 40, seen[-3:]  # it really typed, steadily
    must_have = max(
        (int(line) for t, line in seen if line.isdigit() and t <= killed_at - MARGIN_SECONDS),
        default=0,
    )
    with Project.open(path, readonly=True) as project:
        stored = project.get(indicator_key(5, "narrative")) or ""
    assert len(stored) >= must_have, (len(stored), must_have, counts[-1])
    assert stored == typed(len(stored))  # what is there is what was typed, in order


def test_steady_typing_is_one_undo_step_and_the_title_says_saved_only_when_it_is(
    qtbot: Any, make_window: Any, empty_project: Path
) -> None:
    window = make_window(empty_project)
    page = window.wizard.go_to(5)
    edit = page.form.narrativeEdit
    edit.setFocus()
    key = indicator_key(5, "narrative")
    commits_seen = 0
    for n in range(1, 21):  # 2 s of typing, no pause, no word end: several commits
        ch = typed(n)[-1]
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(edit, event)
        qtbot.wait(100)
        with Project.open(empty_project, readonly=True) as project:
            stored = project.get(key) or ""
        commits_seen += bool(stored) and stored != typed(n - 1)
        if "已保存" in window.windowTitle():
            assert stored == edit.toPlainText()  # 已保存 means the file has it
        else:
            assert "正在保存" in window.windowTitle()
    assert commits_seen >= 2  # saved while the typing went on
    qtbot.waitUntil(lambda: "已保存" in window.windowTitle(), timeout=2000)
    window.form.actionUndo.trigger()  # the whole burst is one step, as before
    assert edit.toPlainText() == ""
    with Project.open(empty_project, readonly=True) as project:
        assert not project.get(key)
