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


@pytest.mark.parametrize(
    ("enum", "why"),
    [
        ("ThemeIcon", "QAction(text, parent) tries the (QIcon, text) overload first: 7–14 ms"),
        ("LineWrapMode", "QPlainTextEdit: the cover page has none, its class costs ~0.9 ms"),
    ],
)
def test_the_first_page_is_shown_without_building_enums_of(
    first_paint: dict[str, Any], enum: str, why: str
) -> None:
    assert enum not in first_paint["enums"], why


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


def test_pysides_import_hook_reads_no_source_the_window_imports(
    first_paint: dict[str, Any],
) -> None:
    # PySide6 reads each module imported after it, looking for `from __feature__`: ~5 ms for
    # the window's modules and the standard library's they bring in (ui/pyside_fixes). Only
    # what app.py imports before the ui package installs the skip is still read: core.errors,
    # resources and pyside_fixes itself.
    new = set(first_paint["modules"]) - set(first_paint["before_app"])
    assert len([m for m in new if m.startswith("csr_desktop.")]) > 40  # the window's modules
    assert "sqlite3" in new  # and some of the standard library's
    read = new & set(first_paint["sources_read"])
    assert read <= {
        "csr_desktop.core.errors",
        "csr_desktop.resources",
        "csr_desktop.ui.pyside_fixes",
    }


def test_garbage_is_collected_again_once_the_page_is_shown(first_paint: dict[str, Any]) -> None:
    assert not first_paint["gc_at_paint"]  # start-up's objects all live on: ~15 ms saved
    assert first_paint["gc_after"]
