"""SIGKILL a writer at random moments: the project always opens and holds every saved edit."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from csr_desktop.core.store import Project

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
            else:
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
