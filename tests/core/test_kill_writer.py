"""SIGKILL a writer at random moments: the project always opens and holds every saved edit."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from csr_desktop.core.store import Project

pytestmark = pytest.mark.posix_only("kills writers with SIGKILL")

WRITER = Path(__file__).with_name("kill_writer.py")
RUNS = int(os.environ.get("CSR_KILL_RUNS", "25"))


def _run_and_kill(project: Path, start: int, delay: float, evidence: Path | None) -> list[str]:
    args = [sys.executable, str(WRITER), str(project), str(start)]
    if evidence is not None:
        args.append(str(evidence))
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return out.splitlines()


def test_sigkill_never_loses_a_reported_edit(tmp_path: Path):
    rng = random.Random(20241115)
    project = tmp_path / "kill.csrproj"
    Project.create(project).close()
    evidence = tmp_path / "材料.bin"
    evidence.write_bytes(os.urandom(3 << 20))
    start = 0
    reported_total = 0
    for run in range(RUNS):
        lines = _run_and_kill(
            project, start, rng.uniform(0.3, 1.2), evidence if run % 3 == 0 else None
        )
        last_index: dict[int, int] = {}
        min_evidence: dict[int, int] = {}
        for line in lines:
            kind, no, value = line.split()
            if kind == "saved":
                last_index[int(no)] = int(value)
            elif kind == "evidence":
                min_evidence[int(no)] = int(value)
        reported_total += len(lines)
        with Project.open(project) as p:  # opens: the file is never left unreadable
            a = p.assessment()
            for no, index in last_index.items():
                stored = int(a.answer(no).narrative[1:])
                assert stored >= index, f"run {run}: edit v{index} of {no} lost"
            for no, count in min_evidence.items():
                assert len(a.answer(no).evidence) >= count
            for ans in a.answers.values():
                for item in ans.evidence:
                    assert p.file_is_intact(item.sha256 or "")
            assert p._db.execute("SELECT count(*) FROM blobs WHERE complete=0").fetchone() == (0,)
        start = max([start, *last_index.values()]) + 1000
    assert reported_total > RUNS  # the writer really did work before each kill


def test_a_kill_in_the_middle_of_a_copy_leaves_no_half_file(tmp_path: Path):
    """The copy is three commit batches long and the kill follows the first batch on disk, so
    the file really holds a half-copied blob; the next open must remove it."""
    import sqlite3

    from csr_desktop.core.storage.blobs import CHUNK_SIZE, CHUNKS_PER_COMMIT

    project = tmp_path / "copy.csrproj"
    Project.create(project).close()
    for run in range(3):
        evidence = tmp_path / f"视频{run}.mp4"
        evidence.write_bytes(os.urandom(3 * CHUNKS_PER_COMMIT * CHUNK_SIZE + 12345))
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(project), "0", str(evidence)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("copying"):
                proc.send_signal(signal.SIGKILL)
                break
        proc.communicate(timeout=30)
        raw = sqlite3.connect(f"{project.resolve().as_uri()}?mode=ro", uri=True)
        half = raw.execute("SELECT count(*) FROM blobs WHERE complete=0").fetchone()[0]
        raw.close()
        assert half == 1, "the kill did not land in the middle of the copy"
        with Project.open(project) as p:
            db = p._db
            assert db.execute("SELECT count(*) FROM blobs WHERE complete=0").fetchone() == (0,)
            assert db.execute(
                "SELECT count(*) FROM blob_chunks WHERE blob_id NOT IN (SELECT id FROM blobs)"
            ).fetchone() == (0,)
            assert p.integrity_problems() == []
            assert p.assessment().answer(1).evidence == ()
