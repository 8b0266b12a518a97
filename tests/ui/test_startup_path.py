"""What the first paint waits for (issue 28, start-up within 1.25× the lazy floor): the app
started on a 28-indicator project, as a user starts it, does none of the work measured to cost
start-up time and not needed to show the first page. Timing itself is bench/bench_startup.py's
job; this keeps the measured causes from coming back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

DRIVER = Path(__file__).with_name("startup_path_driver.py")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def first_paint(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from csr_desktop.formats import interchange
    from csr_desktop.sample import build_interchange

    folder = tmp_path_factory.mktemp("startup")
    project = folder / "自评.csrproj"
    interchange.load(build_interchange(folder / "in", evidence_per_indicator=2), project)
    env = dict(
        os.environ,
        XDG_CONFIG_HOME=str(folder / "config"),
        PYTHONIOENCODING="utf-8",
        PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    )
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    done = subprocess.run(
        [sys.executable, str(DRIVER), str(project)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    seen: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    assert seen["code"] == 0, done.stderr
    return seen


def test_the_first_page_is_shown_without_building_qicons_enums(first_paint: dict[str, Any]) -> None:
    # QAction(text, parent) tries the (QIcon, text) overload first: 7–14 ms
    assert "ThemeIcon" not in first_paint["enums"]


@pytest.mark.parametrize(
    ("module", "why"),
    [
        ("csr_desktop.ui.backups", "automatic backups attach after the first paint (~5 ms)"),
        ("hashlib", "OpenSSL loads in ~3 ms; opening the window hashes nothing"),
    ],
)
def test_the_first_page_is_shown_before_importing(
    first_paint: dict[str, Any], module: str, why: str
) -> None:
    assert module not in first_paint["modules"], why


def test_garbage_is_collected_again_once_the_page_is_shown(first_paint: dict[str, Any]) -> None:
    assert not first_paint["gc_at_paint"]  # start-up's objects all live on: ~15 ms saved
    assert first_paint["gc_after"]
