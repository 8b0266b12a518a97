"""The one way a file comes into a project: checked to be a regular file, then copied in.

Adding evidence (window and `attach`), replacing a row's file, a stamped scan, an import's
files, `load` and a CSR report all come through here, so the same file is refused with the
same words whichever way it came, and a file already stored is never stored twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from csr_desktop.core.bounded_read import check_regular
from csr_desktop.core.errors import InputFileError
from csr_desktop.core.storage.blobs import Progress, StoredFile
from csr_desktop.core.storage.project import ProjectFile

Job = Callable[[list[Path], "Progress | None"], list[StoredFile]]


def check_files(paths: Sequence[Path]) -> None:
    """Refuse, by name and before anything is copied, what is not a readable regular file
    (a folder, a FIFO, a device, a file under /proc)."""
    for path in paths:
        check_regular(Path(path))


def usable(paths: Sequence[Path]) -> tuple[list[Path], list[InputFileError]]:
    """The regular files among `paths`, and why each other one is refused (the window adds
    the rest and says which were left out)."""
    files: list[Path] = []
    refused: list[InputFileError] = []
    for path in paths:
        try:
            check_regular(Path(path))
        except InputFileError as exc:
            refused.append(exc)
        else:
            files.append(Path(path))
    return files, refused


def ingest(
    project: ProjectFile, paths: Sequence[Path], progress: Progress | None = None
) -> list[StoredFile]:
    """Copy the files in (room checked first, one progress for the batch)."""
    paths = [Path(p) for p in paths]
    check_files(paths)
    return project.store_files(paths, progress)


def ingest_one(project: ProjectFile, path: Path, progress: Progress | None = None) -> StoredFile:
    (stored,) = ingest(project, [path], progress)
    return stored


def ingest_job(project: ProjectFile) -> Job:
    """The same ingest for a worker thread, on a connection of its own (a large batch): the
    window's connection stays free for typing while the files stream in."""
    job = project.ingest_on_worker()

    def run(paths: list[Path], progress: Progress | None) -> list[StoredFile]:
        check_files(paths)
        return job(paths, progress)

    return run
