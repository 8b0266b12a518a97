"""Progress of an export in steps (one per evidence file, one per section)."""

from __future__ import annotations

from csr_desktop.core.blobs import Progress
from csr_desktop.core.errors import Cancelled


class StepCounter:
    """Turns work done into (done, total) reports; a False answer cancels the export."""

    def __init__(self, total: int, progress: Progress | None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.progress = progress

    def step(self) -> None:
        self.done = min(self.done + 1, self.total)
        if self.progress is not None and not self.progress(self.done, self.total):
            raise Cancelled()
