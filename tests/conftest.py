"""Shared fixtures: a filled sample project and a CLI runner in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from csr_desktop.formats import interchange
from csr_desktop.sample import build_interchange

REPO = Path(__file__).resolve().parent.parent

# CI explores the same examples every run (a red CI must mean a regression, not a new random
# draw); developers' runs stay random and find new cases. `CI=true ./test.sh` reproduces CI.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# automatic backups would write into the developer's own data folder whenever a test closes a
# project in the window: off unless a test turns them on (tests/ui/test_backups.py)
os.environ.setdefault("CSR_DESKTOP_BACKUPS", "off")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.posix_only("why")`: the test needs what Windows lacks (FIFOs, /dev, /proc,
    signals, chmod on folders, strace, shell scripts); skipped on Windows with that reason,
    which every use must give."""
    for item in items:
        marker = item.get_closest_marker("posix_only")
        if marker is None:
            continue
        if not (marker.args and isinstance(marker.args[0], str) and marker.args[0].strip()):
            raise pytest.UsageError(f"{item.nodeid}: posix_only needs a reason")
        if os.name == "nt":
            item.add_marker(pytest.mark.skip(reason=f"POSIX only: {marker.args[0]}"))


@pytest.fixture
def sample_json(tmp_path: Path) -> Path:
    return build_interchange(tmp_path / "in", evidence_per_indicator=2)


@pytest.fixture
def sample_project(tmp_path: Path, sample_json: Path) -> Path:
    """A complete 28-indicator project, built through the same path as `csr-desktop load`."""
    dest = tmp_path / "sample.csrproj"
    interchange.load(sample_json, dest)
    return dest


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m csr_desktop` as a user would, capturing its output."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "csr_desktop", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or REPO,
        env=env,
        timeout=300,
    )


@pytest.fixture
def cli():
    return run_cli
