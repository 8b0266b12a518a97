"""The window exits cleanly (exit code 0, no fatal error) after heavy work: exports and large
copies run on worker threads and emit hundreds of signals; see ui/pyside_fixes.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

SEQUENCES = {
    "package export": (["package"], ["package written"]),
    "document export": (["document"], ["document written"]),
    "large copy": (["copy"], ["copy added=1"]),
    "cancelled large copy": (["cancel"], ["cancel added=0"]),
    "copy, then both exports": (
        ["copy", "document", "package"],
        ["copy added=1", "document written", "package written"],
    ),
}


@pytest.mark.parametrize("name", SEQUENCES)
def test_the_app_exits_cleanly_after_heavy_work(
    name: str, sample_project: Path, tmp_path: Path
) -> None:
    steps, expected = SEQUENCES[name]
    home = tmp_path / "home"
    work = tmp_path / "work"
    work.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home), PYTHONIOENCODING="utf-8")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.exit_driver", str(sample_project), str(work), *steps],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=env,
        timeout=180,
    )
    assert "Fatal Python error" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:-1] == expected, done.stderr
    assert "dialog-error" not in done.stderr
