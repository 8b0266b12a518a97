"""The backups of a project as the list (CLI `backups`, 文件 › 备份与恢复) shows them, and
finding one by id, by path, or for a project that is missing or damaged."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from csr_desktop.core.backups import files
from csr_desktop.core.backups.files import BackupError
from csr_desktop.core.backups.location import default_root, project_folder
from csr_desktop.core.backups.take import read_manifest
from csr_desktop.core.errors import quoted


class BackupInfo(NamedTuple):
    id: str
    path: Path
    taken_at: dt.datetime
    taken_by: str
    source: str
    size: int
    files: int
    changes: int
    fields: tuple[str, ...]
    users: tuple[str, ...]
    first: bool

    def when(self) -> str:
        return self.taken_at.strftime("%Y-%m-%d %H:%M")

    def changed_words(self) -> str:
        if self.first:
            return "首次备份"
        if not self.changes:
            return "与上一份相同"
        shown = "、".join(self.fields[:3]) + ("等" if len(self.fields) > 3 else "")
        return f"{self.changes} 处修改：{shown}"

    def by_whom(self) -> str:
        return "、".join(self.users) if self.users else "—"


def info_of(path: Path, data: dict[str, Any]) -> BackupInfo:
    at = dt.datetime.fromisoformat(str(data["taken_at"]))
    summary = data.get("summary", {})
    return BackupInfo(
        str(data["id"]),
        path,
        at if at.tzinfo else at.astimezone(),
        str(data.get("taken_by", "")),
        str(data.get("source", "")),
        int(data.get("size", 0)),
        len(data.get("catalogue", [])),
        int(summary.get("changes", 0)),
        tuple(summary.get("fields", [])),
        tuple(summary.get("users", [])),
        bool(summary.get("first", False)),
    )


def list_folder(folder: Path) -> list[BackupInfo]:
    """Newest first; a damaged backup file is left out (restore names it if asked for)."""
    out: list[BackupInfo] = []
    for path in files.manifests(folder):
        with contextlib.suppress(BackupError, KeyError, TypeError, ValueError):
            out.append(info_of(path, read_manifest(path)))
    out.sort(key=lambda i: (i.taken_at, i.id), reverse=True)
    return out


def list_for_project(project_path: Path, root: Path) -> tuple[Path, list[BackupInfo]]:
    """The project's backup folder (by its id) and its backups; a project that cannot be
    opened any more is found by its path in the store's index."""
    from csr_desktop.core.errors import CsrError
    from csr_desktop.core.storage.project import ProjectFile as Project

    try:
        with Project.open(project_path, readonly=True) as project:
            folder = project_folder(root, project.project_id)
    except CsrError:
        folder_or_none = folder_for_path(project_path, root)
        if folder_or_none is None:
            raise
        folder = folder_or_none
    return folder, list_folder(folder)


def folder_for_path(project_path: Path, root: Path) -> Path | None:
    """The backup folder whose index names this project file (it may be gone or damaged)."""
    wanted = str(Path(project_path).resolve())
    best: tuple[float, Path] | None = None
    if not root.is_dir():
        return None
    for folder in root.iterdir():
        try:
            index = files.read_json(folder / "index.json", compressed=False)
        except BackupError:
            continue
        if isinstance(index, dict) and wanted in (index.get("sources") or []):
            mtime = (folder / "index.json").stat().st_mtime
            if best is None or mtime > best[0]:
                best = (mtime, folder)
    return None if best is None else best[1]


def latest_for_path(project_path: Path, root: Path | None = None) -> BackupInfo | None:
    """The newest backup of a project file that is missing or will not open."""
    folder = folder_for_path(project_path, root or default_root())
    if folder is None:
        return None
    found = list_folder(folder)
    return found[0] if found else None


def find_backup(spec: str, root: Path | None = None) -> Path:
    """A backup by its path, or by its id looked up in the backup folder."""
    path = Path(spec)
    if path.is_file():
        return path
    base = root or default_root()
    if base.is_dir():
        for folder in base.iterdir():
            candidate = folder / f"{spec}{files.SUFFIX}"
            if candidate.is_file():
                return candidate
    raise BackupError(
        f"找不到备份 {quoted(spec)}（在 {quoted(base)} 中也没有这个编号）",
        f"no backup {spec} (looked in {base})",
    )
