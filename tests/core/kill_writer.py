"""A writer process for the kill tests: edits forever, reporting each edit once it is saved."""

from __future__ import annotations

import sys
from pathlib import Path

from csr_desktop.core.storage.blobs import CHUNK_SIZE, CHUNKS_PER_COMMIT
from csr_desktop.core.store import Project

BATCH = CHUNK_SIZE * CHUNKS_PER_COMMIT


def report_batches(done: int, _total: int) -> bool:
    """Say when a commit batch of a copy is on disk: the parent kills right after it."""
    if done % BATCH == 0:
        print(f"copying {done // BATCH} 0", flush=True)
    return True


def main() -> None:
    path, start = Path(sys.argv[1]), int(sys.argv[2])
    evidence = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    with Project.open(path) as project:
        i = start
        while True:
            no = i % 28 + 1
            if evidence is not None and i % 7 == 0:
                project.add_evidence_files(no, [evidence], progress=report_batches)
                print(f"evidence {no} {len(project.assessment().answer(no).evidence)}", flush=True)
            else:
                project.set(f"indicator.{no}.narrative", f"v{i}", coalesce=i % 2 == 0)
                project.set_rating(no, i % 5 + 1)
                print(f"saved {no} {i}", flush=True)
            i += 1


if __name__ == "__main__":
    main()
