"""The interchange JSON of design.md: `dump` writes it, `load` builds a project from it."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from csr_desktop.core.assessment import EvidenceItem, check_value, indicator_key
from csr_desktop.core.atomic import refuse_open_project, remove_stale_temps, temp_path_for
from csr_desktop.core.errors import InputFileError, ProjectFileError, quoted
from csr_desktop.core.indicators import IndicatorSet, default_indicator_set
from csr_desktop.core.lock import ProjectLock
from csr_desktop.core.store import Project, os_user

FORMAT = "csr-self-assessment"
VERSION = 1
MAX_JSON_BYTES = 64 * 1024 * 1024


def dump(project: Project) -> dict[str, Any]:
    """The project as interchange JSON; `file` is each stored file's original name."""
    a = project.assessment()
    iset = project.indicator_set
    return {
        "format": FORMAT,
        "version": VERSION,
        "indicator_set": iset.id,
        "company": {f.key: (a.company[f.key] or _null_date(f.kind)) for f in iset.cover_fields},
        "commitment": {
            f.key: (a.commitment[f.key] or _null_date(f.kind)) for f in iset.commitment.fields
        },
        "indicators": [
            {
                "no": ans.no,
                "rating": ans.rating,
                "remark": ans.remark,
                "narrative": ans.narrative,
                "evidence": [
                    {
                        "name": e.name,
                        "remark": e.remark,
                        "file": e.file_name,
                        "sha256": e.sha256,
                    }
                    for e in ans.evidence
                ],
            }
            for ans in (a.answer(i.no) for i in iset.indicators)
        ],
    }


def _null_date(kind: str) -> str | None:
    return None if kind == "date" else ""


def read_json(path: Path) -> Any:
    """Read a JSON file, refusing with a message naming the file and what is wrong."""
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise InputFileError(f"文件 {quoted(path)} 过大（超过 64 MB）", f"{path} is too large")
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputFileError(f"找不到文件 {quoted(path)}", f"file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise InputFileError(
            f"{quoted(path)} 是文件夹，不是 JSON 文件", f"{path} is a folder"
        ) from exc
    except OSError as exc:
        raise InputFileError(f"无法读取 {quoted(path)}：{exc.strerror}", str(exc)) from exc
    if not raw.strip():
        raise InputFileError(f"文件 {quoted(path)} 是空文件", f"{path} is empty")
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"文件 {quoted(path)} 不是 UTF-8 编码的文本", f"{path} is not UTF-8"
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise InputFileError(
            f"文件 {quoted(path)} 不是有效的 JSON（{exc}）", f"{path} is not valid JSON"
        ) from exc


def parse(data: Any, origin: Path) -> tuple[IndicatorSet, dict[str, Any], list[dict[str, Any]]]:
    """Check the whole document before anything is written; returns fields and evidence plan."""

    def bad(where: str, zh: str) -> InputFileError:
        return InputFileError(f"文件 {quoted(origin)} 中 {where}：{zh}", f"{origin}: {where}: {zh}")

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise bad("format", f'不是自评材料交换文件（应为 "{FORMAT}"）')
    if data.get("version") != VERSION:
        raise bad("version", f"不支持的版本 {data.get('version')!r}（本软件支持 {VERSION}）")
    iset = default_indicator_set()
    set_id = data.get("indicator_set")
    if set_id is not None and set_id != iset.id:
        raise bad("indicator_set", f"未知的指标体系 “{set_id}”")
    fields: dict[str, Any] = {}
    for section, defs in (("company", iset.cover_fields), ("commitment", iset.commitment.fields)):
        part = data.get(section)
        if not isinstance(part, dict):
            raise bad(section, "缺少或不是对象")
        for f in defs:
            key = f"{section}.{f.key}"
            try:
                fields[key] = check_value(iset, key, part.get(f.key))
            except ValueError as exc:
                raise bad(key, f"取值无效（{exc}）") from exc
    indicators = data.get("indicators")
    if not isinstance(indicators, list):
        raise bad("indicators", "缺少或不是列表")
    plan: list[dict[str, Any]] = []
    seen: set[int] = set()
    for pos, item in enumerate(indicators):
        where = f"indicators[{pos}]"
        if not isinstance(item, dict):
            raise bad(where, "不是对象")
        no = item.get("no")
        if type(no) is not int or no not in iset.numbers:
            raise bad(f"{where}.no", f"指标序号 {no!r} 不存在")
        if no in seen:
            raise bad(f"{where}.no", f"指标序号 {no} 重复")
        seen.add(no)
        for name in ("rating", "remark", "narrative"):
            default = None if name == "rating" else ""
            try:
                fields[indicator_key(no, name)] = check_value(
                    iset, indicator_key(no, name), item.get(name, default)
                )
            except ValueError as exc:
                raise bad(f"{where}.{name}", f"取值无效（{exc}）") from exc
        evidence = item.get("evidence", [])
        if not isinstance(evidence, list):
            raise bad(f"{where}.evidence", "不是列表")
        for epos, ev in enumerate(evidence):
            ewhere = f"{where}.evidence[{epos}]"
            if not isinstance(ev, dict) or not isinstance(ev.get("name", ""), str):
                raise bad(ewhere, "格式不对")
            if not isinstance(ev.get("remark", ""), str):
                raise bad(f"{ewhere}.remark", "必须是文本")
            file = ev.get("file")
            if file is not None and not isinstance(file, str):
                raise bad(f"{ewhere}.file", "必须是文件路径或 null")
            sha = ev.get("sha256")
            if sha is not None and not (isinstance(sha, str) and len(sha) == 64):
                raise bad(f"{ewhere}.sha256", "不是有效的 SHA-256")
            path = None if file is None else (origin.parent / file)
            if path is not None and not path.is_file():
                raise bad(f"{ewhere}.file", f"找不到佐证材料文件 {quoted(path)}")
            plan.append(
                {
                    "no": no,
                    "name": ev.get("name", ""),
                    "remark": ev.get("remark", ""),
                    "path": path,
                    "sha256": sha,
                    "where": ewhere,
                }
            )
    return iset, fields, plan


def load(json_path: Path, project_path: Path, force: bool = False) -> None:
    """Build a project from interchange JSON; the old file is replaced only once the new one
    is complete, so a failure at any point leaves the destination as it was."""
    json_path, project_path = Path(json_path), Path(project_path)
    if project_path.exists() and not force:
        raise ProjectFileError(
            f"项目文件 {quoted(project_path)} 已存在；如要覆盖，请加 --force",
            f"{project_path} exists; use --force to replace it",
        )
    iset, fields, plan = parse(read_json(json_path), json_path)
    lock = ProjectLock(project_path, os_user())
    lock.acquire()
    refuse_open_project(project_path)
    remove_stale_temps(project_path)  # what an earlier, killed load left behind
    tmp = temp_path_for(project_path)
    try:
        _remove_project_files(tmp)
        with Project.create(tmp, iset) as project:
            evidence: dict[int, list[EvidenceItem]] = {}
            for row in plan:
                item = EvidenceItem(row["name"], row["remark"])
                if row["path"] is not None:
                    stored = project.store_file(row["path"])
                    if row["sha256"] is not None and row["sha256"].lower() != stored.sha256:
                        raise InputFileError(
                            f"文件 {quoted(json_path)} 中 {row['where']}：文件 {quoted(row['path'])} "
                            "的 SHA-256 与记录不符",
                            f"{row['path']} does not match its sha256",
                        )
                    item = EvidenceItem(
                        row["name"], row["remark"], row["path"].name, stored.sha256, stored.size
                    )
                evidence.setdefault(row["no"], []).append(item)
            for no, items in evidence.items():
                fields[indicator_key(no, "evidence")] = items
            project.apply(fields, f"从 {json_path.name} 导入")
        _settle_existing(project_path)
        os.replace(tmp, project_path)
    except BaseException:
        _remove_project_files(tmp)
        raise
    finally:
        lock.release()


def _settle_existing(path: Path) -> None:
    """Remove the replaced project's side files: applied to the new file they would damage it.

    The caller holds the project's lock, and the old content is being replaced on purpose."""
    for side in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            side.unlink()


def _remove_project_files(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            p.unlink()
