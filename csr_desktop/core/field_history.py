"""Every earlier value of a field, read from the audit trail, grouped so the list reads like
versions (a sitting of typing, an import) rather than keystrokes; and the 佐证材料目录 rows that
were removed, with where their files can come back from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from csr_desktop.core.model.fields import FieldRef, describe

if TYPE_CHECKING:
    from csr_desktop.core.storage.project import AuditEntry
    from csr_desktop.core.storage.project import ProjectFile as Project

SITTING = dt.timedelta(minutes=10)  # typing steps closer than this, by one person, are one version


class Version(NamedTuple):
    value: Any
    at: str  # when this value was set (the last step of its group)
    user: str
    how: str  # 手动输入 / 导入 X（部门） / 沿用上一年度 / 撤销 / 恢复历史版本 …
    steps: int  # audit rows folded into this version
    current: bool


def how_it_came(label: str) -> str:
    """The audit label in words a user reads in the history list."""
    if label.startswith("导入 "):
        return label.split("：", 1)[0]  # 导入 workbook.xlsx（部门）
    if label.startswith("从 ") and label.endswith("导入"):
        return label
    if label.startswith(("撤销", "重做")):
        return label.split("：", 1)[0]
    if label.startswith("恢复"):
        return "恢复历史版本"
    if label.startswith("以上一年度") or "上一年度" in label:
        return "沿用上一年度"
    return "手动输入"


def _at(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def _joins(prev: AuditEntry, entry: AuditEntry) -> bool:
    """Whether `entry` continues the version `prev` ended: typing by the same person soon after."""
    if how_it_came(prev.label) != "手动输入" or how_it_came(entry.label) != "手动输入":
        return False
    a, b = _at(prev.at), _at(entry.at)
    return prev.user == entry.user and a is not None and b is not None and b - a <= SITTING


def versions(project: Project, key: str) -> list[Version]:
    """Newest first; the first is the field as it is now."""
    entries = [e for e in project.audit_log() if e.key == key]
    groups: list[list[AuditEntry]] = []
    for e in entries:
        if groups and _joins(groups[-1][-1], e):
            groups[-1].append(e)
        else:
            groups.append([e])
    out = [
        Version(g[-1].new, g[-1].at, g[-1].user, how_it_came(g[0].label), len(g), False)
        for g in groups
    ]
    if entries and entries[0].old not in (None, "", []):
        first = entries[0]
        origin = project.first_audit_entry()
        came = "沿用上一年度" if origin and origin.key == "project.origin" else "最初的内容"
        out.insert(0, Version(first.old, origin.at if origin else "", "", came, 0, False))
    elif not entries and project.get(key) not in (None, "", []):
        origin = project.first_audit_entry()
        came = "沿用上一年度" if origin and origin.key == "project.origin" else "最初的内容"
        out.append(Version(project.get(key), origin.at if origin else "", "", came, 0, False))
    out.reverse()
    if out:
        out[0] = out[0]._replace(current=True)
    return out


def restore_version(project: Project, key: str, version: Version) -> bool:
    """The earlier value as a new, undoable, audited step."""
    when = version.at[:16].replace("T", " ")
    label = f"恢复{describe(project.indicator_set, key)}到 {when} 的版本"
    return project.set(key, version.value, label)


class RemovedRow(NamedTuple):
    row: dict[str, Any]  # name, remark, file_name, sha256, size
    removed_at: str
    removed_by: str
    in_project: bool  # the file is still stored in the project (until it is closed)


def removed_rows(project: Project, no: int) -> list[RemovedRow]:
    """Catalogue rows that were in the 目录 once and are not now, newest removal first."""
    key = FieldRef.indicator(no, "evidence").key
    now = {_ident(r) for r in (_rows(project.get(key)))}
    gone: dict[tuple[Any, ...], RemovedRow] = {}
    for e in project.audit_log():
        if e.key != key:
            continue
        after = {_ident(r) for r in _rows(e.new)}
        for r in _rows(e.old):
            ident = _ident(r)
            if ident not in after and ident not in now:
                sha = r.get("sha256")
                has = bool(sha) and project.has_file(str(sha))
                gone[ident] = RemovedRow(r, e.at, e.user, has)
    return sorted(gone.values(), key=lambda g: g.removed_at, reverse=True)


def _rows(value: Any) -> list[dict[str, Any]]:
    out = []
    for r in value or []:
        if isinstance(r, dict):
            out.append(r)
        elif isinstance(r, list | tuple):
            names = ("name", "remark", "file_name", "sha256", "size")
            out.append(dict(zip(names, r, strict=False)))
    return out


def _ident(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row.get("name"), row.get("sha256"))


def bring_back(project: Project, no: int, removed: RemovedRow, backup_root: Path | None) -> bool:
    """Put a removed row back at the end of the 目录; its file from the project if it still
    holds it, else from the newest backup that does. False if no copy of the file is left."""
    from csr_desktop.core.assessment import EvidenceItem
    from csr_desktop.core.operations.evidence import set_evidence
    from csr_desktop.core.operations.ingest import ingest_one

    sha = removed.row.get("sha256")
    if sha and not project.has_file(str(sha)):
        source = _file_in_backups(project, str(sha), backup_root)
        if source is None:
            return False
        stored = ingest_one(project, source)
        if stored.sha256 != sha:
            return False
    item = EvidenceItem(
        str(removed.row.get("name", "")),
        str(removed.row.get("remark", "")),
        removed.row.get("file_name"),
        sha,
        removed.row.get("size"),
    )
    current = list(project.assessment().answer(no).evidence)
    ind = project.indicator_set.indicator(no)
    label = f"{ind.label}恢复已删除的佐证材料：{item.name}"
    return set_evidence(project, no, [*current, item], label).done


def _file_in_backups(project: Project, sha: str, root: Path | None) -> Path | None:
    from csr_desktop.core.backups.files import blob_path
    from csr_desktop.core.backups.location import default_root, project_folder

    folder = project_folder(root or default_root(), project.project_id)
    path = blob_path(folder, sha)
    return path if path.is_file() else None
