"""Projects written by earlier versions are in WAL mode: their WAL is recovered when their own
lock vouches for it, and the first write leaves WAL for the rollback journal (#21)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from csr_desktop.core.lock import lock_path
from csr_desktop.core.storage import sidefiles
from csr_desktop.core.store import Project

# An earlier version's writer: WAL mode, an edit committed into the WAL, then killed with its
# lock (pid, host, user, project id: the format of that version) left behind.
_OLD_WRITER = """
import json, os, sqlite3, sys
path = sys.argv[1]
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA wal_autocheckpoint=0")
(pid,) = db.execute("SELECT value FROM meta WHERE key='project_id'").fetchone()
with open(sys.argv[2], "w") as fh:
    json.dump({"pid": os.getpid(), "host": os.uname().nodename, "user": "x", "project_id": pid}, fh)
db.execute("INSERT INTO fields(key, value) VALUES('indicator.6.narrative', ?)",
           (json.dumps("只在 WAL 里的修改"),))
db.execute("INSERT INTO audit(at, user, key, old, new, label) VALUES('t', 'u', 'k', NULL, ?, '')",
           ("增长" * 200000,))  # the file grows: page 1 (its page count) is in the WAL too
os._exit(9)
"""


def _legacy_crashed(tmp_path: Path) -> Path:
    path = tmp_path / "去年.csrproj"
    Project.create(path).close()
    subprocess.run(
        [sys.executable, "-c", _OLD_WRITER, str(path), str(lock_path(path))], check=False
    )
    assert Path(f"{path}-wal").stat().st_size > 32
    return path


def test_an_earlier_versions_crashed_wal_is_recovered_and_the_file_leaves_wal(tmp_path: Path):
    path = _legacy_crashed(tmp_path)
    with Project.open(path) as p:
        assert p.get("indicator.6.narrative") == "只在 WAL 里的修改"
        p.set("indicator.7.remark", "新的修改")
        assert str(p.pragma("journal_mode")).lower() == "truncate"
    assert sorted(f.name for f in tmp_path.iterdir()) == ["去年.csrproj"]
    with Project.open(path, readonly=True) as p:
        assert p.get("indicator.6.narrative") == "只在 WAL 里的修改"
        assert p.get("indicator.7.remark") == "新的修改"


def test_a_wal_beside_a_project_copied_over_it_is_never_applied(tmp_path: Path):
    path = _legacy_crashed(tmp_path)
    other = tmp_path / "别的.csrproj"
    with Project.create(other) as p:
        p.set("indicator.1.remark", "复制来的")
    shutil.copy(other, path)
    before = sorted(
        (f.name, f.read_bytes()) for f in tmp_path.iterdir() if f.name != "别的.csrproj"
    )
    with Project.open(path) as p:
        assert p.readonly and "-wal" in p.readonly_reason
        assert p.get("indicator.1.remark") == "复制来的"
    after = sorted((f.name, f.read_bytes()) for f in tmp_path.iterdir() if f.name != "别的.csrproj")
    assert after == before  # in doubt, nothing moved, nothing applied


def test_a_wal_whose_main_file_is_mid_checkpoint_is_judged_with_the_wal_applied(
    tmp_path: Path,
):
    """Killed inside a checkpoint, the main file alone is no database (page 1 says more pages
    than the file has); its id is read from a temporary copy with the WAL applied."""
    path = _legacy_crashed(tmp_path)
    wal = Path(f"{path}-wal").read_bytes()
    page_size = int.from_bytes(wal[8:12], "big")
    frame = 24 + page_size
    page_one = None
    for at in range(32, len(wal) - frame + 1, frame):
        if int.from_bytes(wal[at : at + 4], "big") == 1:
            page_one = wal[at + 24 : at + frame]
    assert page_one is not None
    with open(path, "r+b") as fh:  # the checkpoint wrote page 1 first, then died
        fh.write(page_one)
    assert sidefiles.identity(path) == ""  # the main file alone is no consistent database
    info = json.loads(lock_path(path).read_text())
    assert info["project_id"]
    with Project.open(path) as p:
        assert not p.readonly
        assert p.get("indicator.6.narrative") == "只在 WAL 里的修改"
    assert not Path(f"{path}-wal").exists() or os.path.getsize(f"{path}-wal") == 0
