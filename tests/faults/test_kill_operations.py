"""SIGKILL during exports and Excel import, at random moments.

Every run: the destination is either absent or complete, the project opens holding exactly what
it held (export) or all-or-nothing of the import, and the next export leaves no temp file.
CI runs CSR_KILL_RUNS (default 8) kills per operation; the full run is CSR_KILL_RUNS=40.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from csr_desktop.formats import interchange
from csr_desktop.sample import build_interchange

pytestmark = pytest.mark.posix_only("kills commands with SIGKILL")

RUNS = int(os.environ.get("CSR_KILL_RUNS", "8"))
EXPORTS = {
    "xlsx": "自评表.xlsx",
    "pdf": "承诺书.pdf",
    "document": "自评材料.pdf",
    "package": "材料包.zip",
}


def _start(*args: str | Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-m", "csr_desktop", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def _timed(*args: str | Path) -> float:
    started = time.monotonic()
    proc = _start(*args)
    assert proc.wait(timeout=600) == 0, args
    return time.monotonic() - started


def _dump(project: Path) -> dict:
    from csr_desktop.core.store import Project

    with Project.open(project, readonly=True) as p:
        return interchange.dump(p)


def _complete(kind: str, path: Path) -> None:
    """Raise if `path` is not a complete, readable file of its kind."""
    if kind == "xlsx" or kind == "package":
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
    else:
        from pypdf import PdfReader

        assert len(PdfReader(path).pages) >= 1


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kill-ops")
    src = build_interchange(folder / "in", evidence_per_indicator=2, evidence_bytes=300_000)
    dest = folder / "项目.csrproj"
    interchange.load(src, dest)
    return dest


@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_killed_export_leaves_no_partial_file(tmp_path: Path, project: Path, kind: str):
    rng = random.Random(f"export-{kind}")
    before = _dump(project)
    out = tmp_path / "out"
    out.mkdir()
    dest = out / EXPORTS[kind]
    duration = _timed("export", project, f"--{kind}", dest)
    dest.unlink()
    for _ in range(RUNS):
        proc = _start("export", project, f"--{kind}", dest)
        time.sleep(rng.uniform(0, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        visible = [p for p in out.iterdir() if not p.name.startswith(".")]
        assert visible in ([], [dest])
        if dest.exists():
            _complete(kind, dest)
            dest.unlink()
    assert _dump(project) == before
    assert _timed("export", project, f"--{kind}", dest) > 0
    _complete(kind, dest)
    assert sorted(p.name for p in out.iterdir()) == [dest.name]  # stale temp files are gone


def test_killed_excel_import_is_all_or_nothing(tmp_path: Path, project: Path):
    from csr_desktop.core.store import Project

    rng = random.Random("import")
    edited = tmp_path / "edited.csrproj"
    data = _dump(project)
    for ind in data["indicators"]:
        ind["rating"] = 5 if ind["rating"] != 5 else 1
        ind["remark"] = f"部门修改 {ind['no']}"
    src = tmp_path / "edited.json"
    for ind in data["indicators"]:
        for ev in ind["evidence"]:
            ev["file"] = None
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    interchange.load(src, edited)
    workbook = tmp_path / "edited.xlsx"
    assert _timed("export", edited, "--xlsx", workbook) > 0

    target = tmp_path / "target.csrproj"
    before = _dump(project)
    with Project.open(project, readonly=True) as p:
        p.save_copy(target)
    duration = _timed("import-xlsx", workbook, target)
    after = _dump(target)
    assert after != before
    for _ in range(RUNS):
        target.unlink()
        with Project.open(project, readonly=True) as p:
            p.save_copy(target)
        proc = _start("import-xlsx", workbook, target)
        time.sleep(rng.uniform(0, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        assert _dump(target) in (before, after)
