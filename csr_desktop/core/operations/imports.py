"""A colleague's return applied: the fields the import chose, with the files it names, as one
transaction and one undo step — refused if the project changed since the preview.

What changed and which conflicts to take is the import's plan (`formats/xlsx/importer.py`); here
the plan's base is checked against the project, its files come in through `ingest` and must
still be the files previewed, and the values are committed.
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.core.operations.ingest import ingest_one
from csr_desktop.core.operations.result import Changed, changed
from csr_desktop.core.storage.project import ProjectFile


class ImportFile(NamedTuple):
    """A file beside the workbook for row `row` (0-based) of the catalogue field `key`."""

    key: str
    row: int
    path: Path
    sha256: str  # as hashed when the import was previewed


def apply_import(
    project: ProjectFile,
    values: Mapping[str, Any],
    label: str,
    base: Mapping[str, Any],
    files: Sequence[ImportFile],
    source: Path,
) -> Changed:
    """Commit `values` (rows of `files` get their stored file) if every field still holds
    its `base` value; CsrError naming `source` if the project or a file changed since."""
    for key, old in base.items():
        if not _same(project.get(key), old):
            raise CsrError(
                f"项目 {quoted(project.path)} 在预览导入之后又被修改过，请重新导入 {quoted(source)}",
                "project changed since the import was planned",
            )
    values = dict(values)
    if not values:
        return Changed(label, frozenset())
    for att in files:
        chosen = values.get(att.key)
        if chosen is None or (chosen[att.row].file_name, chosen[att.row].sha256) != (
            att.path.name,
            att.sha256,
        ):
            continue  # the row keeps the project's file: a conflict the user did not take
        stored = ingest_one(project, att.path)
        if stored.sha256 != att.sha256:
            raise CsrError(
                f"文件 {quoted(att.path)} 在预览导入之后被修改过，请重新导入 {quoted(source)}",
                "evidence file changed since the import was planned",
            )
        items = list(values[att.key])
        items[att.row] = items[att.row]._replace(
            file_name=att.path.name, sha256=stored.sha256, size=stored.size
        )
        values[att.key] = items
    return changed(label, project.commit(values, label))


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, ensure_ascii=False, sort_keys=True) == json.dumps(
        b, ensure_ascii=False, sort_keys=True
    )
