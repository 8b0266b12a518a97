"""A project on read-only media, and commands interrupted by SIGKILL or SIGTERM.

Root ignores file permissions, so the read-only case runs the command as an unprivileged user
when the tests run as root (CI), and directly otherwise."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from csr_desktop.core.store import Project

REPO = Path(__file__).resolve().parents[2]


UNPRIVILEGED = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture(scope="module")
def readable_app() -> Iterator[Path]:
    """A copy of the package the unprivileged user can read: the checkout may lie in a folder
    only its owner can enter (a clone in root's 0700 home), and the commands need only the
    standard library and the package itself."""
    folder = Path(tempfile.mkdtemp(prefix="csr-app-"))
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "csr_desktop", folder / "csr_desktop", ignore=skip)
    shutil.copytree(REPO / "resources", folder / "resources", ignore=skip)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def _interpreter(app: Path) -> str:
    """This interpreter if the unprivileged user can run it, else the system's (pyenv's may
    lie in root's home too)."""
    if os.geteuid() != 0:
        return sys.executable
    for candidate in (sys.executable, "/usr/bin/python3", shutil.which("python3") or ""):
        probe = [*UNPRIVILEGED, candidate, "-c", "import sys; assert sys.version_info >= (3, 11)"]
        if candidate and subprocess.run(probe, cwd=app, capture_output=True).returncode == 0:
            return candidate
    pytest.fail("no Python 3.11+ that an unprivileged user can run")


def _unprivileged(args: list[str], app: Path) -> subprocess.CompletedProcess[str]:
    prefix = UNPRIVILEGED if os.geteuid() == 0 else []
    env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": str(app),
        "HOME": str(app),
        "XDG_STATE_HOME": str(app / "state"),
    }
    return subprocess.run(
        [*prefix, _interpreter(app), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=app,
        timeout=60,
    )


@pytest.fixture
def readonly_folder() -> Iterator[Path]:
    """A folder (and a project in it) that the user running the command cannot write."""
    folder = Path(tempfile.mkdtemp(prefix="csr-ro-"))
    os.chmod(folder, 0o755)
    path = folder / "光盘上的项目.csrproj"
    with Project.create(path) as p:
        p.set("company.name", "星澜网络科技有限公司")
        p.set_rating(1, 2)
    os.chmod(path, 0o444)
    os.chmod(folder, 0o555)
    try:
        yield path
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder)


@pytest.mark.posix_only("read-only media by chmod on a folder, run as another user with setpriv")
def test_a_project_on_read_only_media_opens_read_only_with_a_clear_word(
    readonly_folder: Path, readable_app: Path
):
    before = readonly_folder.read_bytes()
    dump = _unprivileged(["-m", "csr_desktop", "dump", str(readonly_folder)], readable_app)
    assert dump.returncode == 0, dump.stderr
    assert "星澜网络科技有限公司" in dump.stdout
    probe = _unprivileged(
        [
            "-c",
            "import sys; from csr_desktop.core.store import Project;"
            "p = Project.open(sys.argv[1]); print(p.readonly); print(p.readonly_reason)",
            str(readonly_folder),
        ],
        readable_app,
    )
    assert probe.returncode == 0, probe.stderr
    readonly, reason = probe.stdout.splitlines()[:2]
    assert readonly == "True" and "只读" in reason and "损坏" not in reason
    evidence = readable_app / "csr_desktop" / "__init__.py"  # a file the user can read
    attach = _unprivileged(
        ["-m", "csr_desktop", "attach", str(readonly_folder), "1", str(evidence)], readable_app
    )
    assert attach.returncode == 2
    assert "只读" in attach.stderr and "损坏" not in attach.stderr
    assert "Traceback" not in attach.stderr
    assert readonly_folder.read_bytes() == before
    assert sorted(p.name for p in readonly_folder.parent.iterdir()) == [readonly_folder.name]


def _interchange(tmp_path: Path, mb: int) -> Path:
    big = tmp_path / "视频.mp4"
    with open(big, "wb") as fh:
        for _ in range(mb):
            fh.write(os.urandom(1 << 20))
    src = tmp_path / "in.json"
    indicators = [
        {
            "no": 1,
            "rating": 1,
            "remark": "",
            "narrative": "",
            "evidence": [{"name": "视频", "remark": "", "file": big.name, "sha256": None}],
        }
    ]
    import json

    src.write_text(
        json.dumps(
            {
                "format": "csr-self-assessment",
                "version": 1,
                "indicator_set": None,
                "company": {
                    "name": "星澜",
                    "business_unit": "",
                    "contact_person": "",
                    "contact": "",
                    "submission_date": None,
                },
                "commitment": {"company_name": "", "responsible_person": "", "date": None},
                "indicators": indicators,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return src


def _start_load(src: Path, dest: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "csr_desktop", "load", str(src), str(dest)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def _wait_for_temp(folder: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(".tmp-" in p.name for p in folder.iterdir()):
            time.sleep(0.05)  # inside the evidence copy: a 256 MB load takes ~1 s or more
            return
        time.sleep(0.01)
    raise AssertionError("the load never started writing")


@pytest.mark.posix_only("interrupts with SIGTERM / SIGKILL")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_load_leaves_nothing_after_the_next_command(tmp_path: Path, sig):
    src = _interchange(tmp_path, 256)
    out = tmp_path / "out"
    out.mkdir()
    dest = out / "新项目.csrproj"
    proc = _start_load(src, dest)
    _wait_for_temp(out)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    if sig == signal.SIGTERM:
        assert proc.returncode == 2 and "中断" in err
        assert list(out.iterdir()) == []  # SIGTERM cleans up itself
    else:
        assert any(".tmp-" in p.name for p in out.iterdir())  # the kill left a half project
    small = _interchange(tmp_path, 1)
    done = subprocess.run(
        [sys.executable, "-m", "csr_desktop", "load", str(small), str(dest)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [dest.name]  # a kill's leftovers are gone


@pytest.mark.posix_only("kills with SIGKILL")
def test_a_killed_exports_temp_copies_are_removed_by_the_next_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """SIGKILL an export while it spools evidence into its temp folder; the next command
    (any command) removes that folder, and a live process's folder is left alone."""
    from csr_desktop.cli import run_command
    from csr_desktop.core.atomic import TEMP_DIR_PREFIX, private_temp_dir

    private = tmp_path / "temp"  # not the shared one: other users' exports come and go there
    private.mkdir()
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr(tempfile, "tempdir", str(private))

    project = tmp_path / "p.csrproj"
    big = tmp_path / "视频.mp4"
    big.write_bytes(os.urandom(64 << 20))
    with Project.create(project) as p:
        p.add_evidence_files(1, [big])
    temp_root = Path(tempfile.gettempdir())

    def ours() -> set[str]:
        return {e.name for e in temp_root.iterdir() if e.name.startswith(TEMP_DIR_PREFIX)}

    before = ours()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "csr_desktop",
            "export",
            str(project),
            "--package",
            str(tmp_path / "包.zip"),
        ],
        cwd=REPO,
    )
    deadline = time.monotonic() + 60
    while not (ours() - before) and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    left = ours() - before
    assert left, "the export was killed before it made its temp folder"
    with private_temp_dir("package") as live:  # this process's own folder stays
        run_command(["validate", str(project)])
        assert not (ours() & left)
        assert live.exists()


def test_millions_of_empty_chunk_rows_do_not_slow_a_check_down(tmp_path: Path):
    """A crafted project: one evidence file followed by 2 M empty chunk rows. Reading a blob is
    one ordered cursor over its bytes, so `validate` answers within its limit (it once spent
    9.7 s per catalogue row, a query per chunk row)."""
    import sqlite3

    path = tmp_path / "填充.csrproj"
    evidence = tmp_path / "制度.pdf"
    evidence.write_bytes(b"%PDF-1.4 " + os.urandom(3000))
    with Project.create(path) as p:
        for no in (1, 2, 3):
            p.add_evidence_files(no, [evidence])
    db = sqlite3.connect(path)
    (blob_id,) = db.execute("SELECT id FROM blobs").fetchone()
    db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000) "
        "INSERT INTO blob_chunks SELECT ?, i, x'' FROM n",
        (blob_id,),
    )
    db.commit()
    db.close()
    done = subprocess.run(
        [sys.executable, "-m", "csr_desktop", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=20,
    )
    assert done.returncode in (0, 1), done.stderr
    assert "内部错误" not in done.stdout + done.stderr
