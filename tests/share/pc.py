"""Another PC working on a project on the share: run as a child process by the share tests.

pc.py hold PROJECT [HOST]      open for writing (as HOST, a faked machine name), then one
                               line per stdin line `N`: company.name and company.contact
                               set to N in one transaction, "saved N" once committed
pc.py attach PROJECT FILE NO   add FILE to indicator NO, "copying K" after each batch
"""

from __future__ import annotations

import sys
from pathlib import Path

from csr_desktop.core import system
from csr_desktop.core.storage.blobs import CHUNK_SIZE, CHUNKS_PER_COMMIT
from csr_desktop.core.store import Project


class _OtherPC(system.PosixSystem):
    def __init__(self, name: str) -> None:
        self._name = name

    def host(self) -> str:
        return self._name


def _hold(path: Path) -> None:
    with Project.open(path) as project:
        project.apply({"company.name": "0", "company.contact": "0"}, "start")
        print("ready", flush=True)
        for line in sys.stdin:
            n = line.strip()
            project.apply({"company.name": n, "company.contact": n}, f"edit {n}")
            print(f"saved {n}", flush=True)


def _attach(path: Path, evidence: Path, no: int) -> None:
    def progress(done: int, _total: int) -> bool:
        if done % (CHUNK_SIZE * CHUNKS_PER_COMMIT) == 0:
            print(f"copying {done // CHUNK_SIZE}", flush=True)
        return True

    with Project.open(path) as project:
        project.add_evidence_files(no, [evidence], progress=progress)
    print("done", flush=True)


def main() -> None:
    action, path = sys.argv[1], Path(sys.argv[2])
    if action == "hold":
        if len(sys.argv) > 3:
            system.use(_OtherPC(sys.argv[3]))
        _hold(path)
    else:
        _attach(path, Path(sys.argv[3]), int(sys.argv[4]))


if __name__ == "__main__":
    main()
