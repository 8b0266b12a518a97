"""An indicator's 佐证材料目录: files added as rows, a row's file replaced, the rows set.

The window's 添加文件 and the CLI's `attach` are the same call: files come in through
`ingest` (or were copied in already by the window's worker thread: `stored`), one row per file
named after it, one transaction and one undo step for the rows. A file already in the 目录
(same SHA-256, `catalogue_row`) is added again only when `again` says so: the window asks
(仍要添加 / 跳过), the CLI skips it and says where it is.
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from csr_desktop.core.model.evidence import EvidenceItem
from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.operations.ingest import ingest, ingest_one
from csr_desktop.core.operations.result import Changed, changed
from csr_desktop.core.storage.blobs import Progress, StoredFile
from csr_desktop.core.storage.project import ProjectFile

# (file, the 1-based row already holding it, that row) -> add it again?
Again = Callable[[Path, int, EvidenceItem], bool]


class Added(NamedTuple):
    """What adding files did: the rows added, and the files left out as already listed."""

    changed: Changed
    items: tuple[EvidenceItem, ...]
    skipped: tuple[tuple[int, int], ...]  # (its place in `paths`, the row already holding it)


def catalogue_row(items: Sequence[EvidenceItem], sha256: str) -> int | None:
    """The 1-based 目录 row that already holds this file (same SHA-256), or None.

    The one rule for "this file is already in this indicator's catalogue"."""
    for row, item in enumerate(items, start=1):
        if item.sha256 == sha256:
            return row
    return None


def add_evidence(
    project: ProjectFile,
    no: int,
    paths: Sequence[Path],
    progress: Progress | None = None,
    *,
    stored: Sequence[StoredFile] | None = None,
    again: Again | None = None,
) -> Added:
    """Copy the files in and append a catalogue row for each: one undo step for the batch."""
    paths = [Path(p) for p in paths]
    files = list(stored) if stored is not None else ingest(project, paths, progress)
    listed = list(project.assessment().answer(no).evidence)
    items: list[EvidenceItem] = []
    skipped: list[tuple[int, int]] = []
    for place, (path, file) in enumerate(zip(paths, files, strict=True)):
        row = catalogue_row(listed, file.sha256)
        if row is not None and not (again is not None and again(path, row, listed[row - 1])):
            skipped.append((place, row))
            continue
        item = EvidenceItem(path.stem, "", path.name, file.sha256, file.size)
        listed.append(item)
        items.append(item)
    ind = project.indicator_set.indicator(no)
    label = f"{ind.label}添加佐证材料：{'、'.join(i.name for i in items)}"
    if not items:
        return Added(Changed(label, frozenset()), (), tuple(skipped))
    done = set_evidence(project, no, listed, label)
    return Added(done, tuple(items), tuple(skipped))


def replace_file(
    project: ProjectFile,
    no: int,
    row: int,
    path: Path,
    label: str,
    stored: StoredFile | None = None,
) -> Changed:
    """Give catalogue row `row` (0-based) the file at `path`: an imported row gets its file,
    or a row's file is replaced; the row keeps its 材料名称 and 备注."""
    file = stored if stored is not None else ingest_one(project, path)
    items = list(project.assessment().answer(no).evidence)
    items[row] = items[row]._replace(file_name=Path(path).name, sha256=file.sha256, size=file.size)
    return set_evidence(project, no, items, label)


def set_evidence(
    project: ProjectFile, no: int, items: Sequence[EvidenceItem], label: str
) -> Changed:
    """The rows of indicator `no` as given (reordered, renamed, removed): one undo step."""
    return changed(
        label, project.commit({FieldRef.indicator(no, "evidence").key: list(items)}, label)
    )
