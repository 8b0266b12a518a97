"""The interchange JSON of design.md: `dump` writes it, `load` builds a project from it."""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from csr_desktop.core import inflight
from csr_desktop.core.assessment import Assessment, EvidenceItem
from csr_desktop.core.atomic import refuse_open_project, remove_stale_temps, temp_path_for
from csr_desktop.core.bounded_read import check_regular, read_limited, same_file
from csr_desktop.core.errors import (
    Cancelled,
    InputFileError,
    ProjectFileError,
    quoted,
    write_error,
)
from csr_desktop.core.indicators import IndicatorSet, default_indicator_set
from csr_desktop.core.lock import ProjectLock
from csr_desktop.core.model.fields import REVIEW_FIELD, FieldRef, check_value
from csr_desktop.core.operations.ingest import ingest_one
from csr_desktop.core.os_errors import problem_text
from csr_desktop.core.replace import replace_file
from csr_desktop.core.scans import SCAN_TARGETS, Scan
from csr_desktop.core.store import Project, os_user
from csr_desktop.core.visible import visible

FORMAT = "csr-self-assessment"
VERSION = 1
MAX_JSON_BYTES = 64 * 1024 * 1024
# A real file has 28 indicators of ~6 values and their catalogue rows: tens of thousands.
MAX_JSON_VALUES = 1_000_000


def dump(project: Project) -> dict[str, Any]:
    """The project as interchange JSON; `file` is each stored file's original name. Besides
    the required keys: each indicator's `review_pending` (待复核) and `department` (负责部门),
    and `scans`, the stamped pages' scans ({"letter": {"file", "sha256"}})."""
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
                "review_pending": ans.review_pending,
                "department": ans.department,
            }
            for ans in (a.answer(i.no) for i in iset.indicators)
        ],
        "scans": _dump_scans(a),
    }


def _dump_scans(a: Assessment) -> dict[str, Any]:
    """The stamped scans (extra key): file, hash, and the page's fields they were taken of."""
    return {
        target: {"file": scan.name, "sha256": scan.sha256, "of": scan.of}
        for target, scan in a.scans.items()
    }


def _null_date(kind: str) -> str | None:
    return None if kind == "date" else ""


def read_json(path: Path) -> Any:
    """Read a JSON file, refusing with a message naming the file and what is wrong.

    Bounded twice: in bytes read (not the size `stat` claims) and in the number of values,
    since 60 MB of `{},` would otherwise become 20 million dicts and gigabytes of memory.
    """
    path = Path(path)
    raw = read_limited(path, MAX_JSON_BYTES, "JSON 文件")
    if not raw.strip():
        raise InputFileError(f"文件 {quoted(path)} 是空文件", f"{path} is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            f"文件 {quoted(path)} 不是 UTF-8 编码的文本", f"{path} is not UTF-8"
        ) from exc
    del raw
    values = _count_values(text)
    if values > MAX_JSON_VALUES:
        raise InputFileError(
            f"文件 {quoted(path)} 含有约 {values} 个 JSON 值，超过上限 {MAX_JSON_VALUES}，"
            "不是正常的自评材料交换文件，已拒绝",
            f"{path}: {values} JSON values > {MAX_JSON_VALUES}",
        )
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputFileError(
            f"文件 {quoted(path)} 不是有效的 JSON（{exc}）", f"{path} is not valid JSON"
        ) from exc
    # valid UTF-8 carries no surrogates: only a `\\uD8xx` escape can make one
    where = _lone_surrogate(data) if _SURROGATE_ESCAPE.search(text) else None
    del text
    if where is not None:
        raise InputFileError(
            f"文件 {quoted(path)} 中 {where}：含有无效的 Unicode 字符（孤立的代理项 \\uD800–\\uDFFF），"
            "请检查生成该文件的程序",
            f"{path}: {where}: lone surrogate",
        )
    return data


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _count_values(text: str) -> int:
    """An upper bound on the values `json.loads` would build (separators plus containers).

    The quick count includes commas inside strings; only when it is over the limit are the
    strings removed and the count taken again, so ordinary prose costs nothing.
    """

    def count(t: str) -> int:
        return t.count(",") + t.count(":") + t.count("[") + t.count("{") + 1

    quick = count(text)
    if quick <= MAX_JSON_VALUES:
        return quick
    return count(_STRING.sub('""', text))


def _lone_surrogate(data: Any) -> str | None:
    """Where in `data` a string holds a lone surrogate (`"\\ud800"`), which no file or
    database can store, or None."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return where or "（顶层）"
        elif isinstance(value, dict):
            for k, v in value.items():
                if _SURROGATE.search(k):
                    return f"{where}.{visible(k)}" if where else visible(k)
                stack.append((f"{where}.{k}" if where else str(k), v))
        elif isinstance(value, list):
            stack.extend((f"{where}[{i}]", v) for i, v in enumerate(value))
    return None


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
            key = FieldRef(section, f.key).key
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
                fields[FieldRef.indicator(no, name).key] = check_value(
                    iset, FieldRef.indicator(no, name).key, item.get(name, default)
                )
            except ValueError as exc:
                raise bad(f"{where}.{name}", f"取值无效（{exc}）") from exc
        pending = item.get("review_pending", False)
        if not isinstance(pending, bool):
            raise bad(f"{where}.review_pending", "必须是 true 或 false")
        if pending:
            fields[FieldRef.indicator(no, REVIEW_FIELD).key] = True
        department = item.get("department", "")
        if not isinstance(department, str):
            raise bad(f"{where}.department", "必须是文本")
        if department.strip():
            fields[FieldRef.department(no).key] = department.strip()
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
            path = None if file is None else _usable_file(origin, file, f"{ewhere}.file", bad)
            plan.append(
                {
                    "no": no,
                    "name": ev.get("name", ""),
                    "remark": ev.get("remark", ""),
                    "path": path,
                    "sha256": sha,
                    "where": ewhere,
                    "outside": path is not None and not _inside(path, origin.parent),
                }
            )
    plan += _parse_scans(data.get("scans"), origin, bad)
    return iset, fields, plan


def _parse_scans(scans: Any, origin: Path, bad: Any) -> list[dict[str, Any]]:
    """`scans` (optional): {"letter"|"cover": {"file", "sha256"?, "of"?}} — as `dump` writes."""
    if scans is None:
        return []
    if not isinstance(scans, dict):
        raise bad("scans", "不是对象")
    plan = []
    for target, value in scans.items():
        where = f"scans.{target}"
        if target not in SCAN_TARGETS:
            raise bad(where, "未知的扫描件类别（可用 letter 或 cover）")
        if not isinstance(value, dict) or not isinstance(value.get("file"), str):
            raise bad(where, "需要 file（扫描件文件路径）")
        of = value.get("of")
        if of is not None and not (
            isinstance(of, dict) and all(isinstance(v, str) for v in of.values())
        ):
            raise bad(f"{where}.of", "必须是字段名到文本的对象或 null")
        sha = value.get("sha256")
        if sha is not None and not (isinstance(sha, str) and len(sha) == 64):
            raise bad(f"{where}.sha256", "不是有效的 SHA-256")
        path = origin.parent / value["file"]
        try:
            check_regular(path)
        except (InputFileError, OSError) as exc:
            raise bad(f"{where}.file", f"找不到或无法读取扫描件 {quoted(path)}") from exc
        plan.append(
            {
                "no": None,
                "scan": target,
                "of": of,
                "name": value["file"],
                "remark": "",
                "path": path,
                "sha256": sha,
                "where": where,
                "outside": not _inside(path, origin.parent),
            }
        )
    return plan


def _usable_file(origin: Path, file: str, where: str, bad: Callable[[str, str], Exception]) -> Path:
    """The file a JSON names (relative to the JSON), checked to exist and be a regular file."""
    path = origin.parent / file
    try:
        if not path.exists():
            raise bad(where, f"找不到佐证材料文件 {quoted(path)}")
    except OSError as exc:  # a name too long for the file system, …
        shown = str(file) if len(str(file)) <= 80 else f"{str(file)[:80]}…"
        raise bad(
            where, f"佐证材料文件路径 {quoted(shown)} 无法使用（{problem_text(exc)}）"
        ) from exc
    try:
        check_regular(path)
    except InputFileError as exc:
        raise bad(where, f"佐证材料文件 {exc.zh}") from exc
    return path


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path`, symlinks and `..` resolved, lies inside `folder`."""
    try:
        real = os.path.realpath(path)
        root = os.path.realpath(folder)
    except (OSError, ValueError):
        return False
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _check_destination(project_path: Path, force: bool) -> None:
    """Refuse a destination that cannot become a project file, before anything is read."""
    if project_path.is_dir():
        raise ProjectFileError(
            f"{quoted(project_path)} 是文件夹，不能作为项目文件", f"{project_path} is a folder"
        )
    if project_path.exists() and not force:
        raise ProjectFileError(
            f"项目文件 {quoted(project_path)} 已存在；如要覆盖，请加 --force",
            f"{project_path} exists; use --force to replace it",
        )
    folder = project_path.parent
    if folder.exists() and not folder.is_dir():
        raise ProjectFileError(
            f"无法创建项目文件 {quoted(project_path)}：{quoted(folder)} 是文件，不是文件夹",
            f"{folder} is not a folder",
        )
    if not folder.is_dir():
        raise ProjectFileError(
            f"无法创建项目文件 {quoted(project_path)}：文件夹 {quoted(folder)} 不存在",
            f"folder {folder} does not exist",
        )


def _outside_files(
    json_path: Path,
    plan: list[dict[str, Any]],
    allow_outside: bool,
    tell: Callable[[list[str]], None] | None,
) -> None:
    """List evidence lying outside the JSON's folder; refuse it unless the user allowed it.

    A JSON received from someone else must not quietly copy `/etc/passwd` or a file a
    symlink points at into a project that is then submitted."""
    outside = [row for row in plan if row["outside"]]
    if not outside:
        return
    if tell is not None:
        lines = [
            f"以下 {len(outside)} 个佐证材料文件位于 {quoted(json_path)} 所在文件夹之外"
            f"{'，将被复制进项目' if allow_outside else ''}："
        ]
        for row in outside:
            real = os.path.realpath(row["path"])
            shown = row["path"] if str(row["path"]) == real else f"{row['path']} → {real}"
            lines.append(visible(f"  {row['where']}.file：{shown}"))
        tell(lines)
    if not allow_outside:
        first = outside[0]
        raise InputFileError(
            f"文件 {quoted(json_path)} 中 {first['where']}.file 等 {len(outside)} 个佐证材料"
            f"（如 {quoted(first['path'])}）位于该 JSON 所在文件夹之外，未复制；"
            "确认要复制这些文件时请加 --allow-outside",
            f"{len(outside)} evidence files outside the JSON's folder; use --allow-outside",
        )


def _store_evidence(project: Project, json_path: Path, row: dict[str, Any]) -> tuple[str, int]:
    """Copy one evidence file in; refuse it if it changed while it was being read.

    The size recorded is the number of bytes actually read; reading stops one chunk past the
    size the file had when the copy began."""
    path: Path = row["path"]
    before = check_regular(path)

    def keep_going(done: int, _total: int) -> bool:
        return done <= before.st_size

    changed = InputFileError(
        f"文件 {quoted(json_path)} 中 {row['where']}：佐证材料文件 {quoted(path)} "
        "在读取过程中发生了变化（正被其他程序写入？），请等它写完后再试",
        f"{path} changed while being read",
    )
    try:
        stored = ingest_one(project, path, keep_going)
    except Cancelled as exc:
        raise changed from exc
    try:
        after = os.stat(path)
    except OSError as exc:
        raise changed from exc
    if not same_file(before, after) or stored.size != before.st_size:
        raise changed
    return stored.sha256, stored.size


def load(
    json_path: Path,
    project_path: Path,
    force: bool = False,
    allow_outside: bool = False,
    tell: Callable[[list[str]], None] | None = None,
) -> None:
    """Build a project from interchange JSON; the old file is replaced only once the new one
    is complete, so a failure at any point leaves the destination as it was.

    Evidence outside the JSON's folder is listed to `tell` (before anything is copied or
    refused) and copied only with `allow_outside`."""
    json_path, project_path = Path(json_path), Path(project_path)
    _check_destination(project_path, force)
    iset, fields, plan = parse(read_json(json_path), json_path)
    _outside_files(json_path, plan, allow_outside, tell)
    refuse_open_project(project_path)
    lock = ProjectLock(project_path, os_user())
    tmp = temp_path_for(project_path)
    # a killed load's temp project, and the lock it takes: removed by the next start
    entry = inflight.record([tmp], locks=[lock.path])
    try:
        lock.acquire()
    except BaseException:
        inflight.forget(entry)
        raise
    remove_stale_temps(project_path)  # what an earlier, killed load left behind
    try:
        _remove_project_files(tmp)
        with Project.create(tmp, iset) as project:
            evidence: dict[int, list[EvidenceItem]] = {}
            for row in plan:
                if row.get("scan"):
                    sha, size = _store_evidence(project, json_path, row)
                    if row["sha256"] is not None and row["sha256"].lower() != sha:
                        raise InputFileError(
                            f"文件 {quoted(json_path)} 中 {row['where']}：文件 {quoted(row['path'])} "
                            "的 SHA-256 与记录不符",
                            f"{row['path']} does not match its sha256",
                        )
                    scan = Scan(row["path"].name, sha, size, row["of"])
                    fields[FieldRef.scan(row["scan"]).key] = scan.to_json()
                    continue
                item = EvidenceItem(row["name"], row["remark"])
                if row["path"] is not None:
                    sha, size = _store_evidence(project, json_path, row)
                    if row["sha256"] is not None and row["sha256"].lower() != sha:
                        raise InputFileError(
                            f"文件 {quoted(json_path)} 中 {row['where']}：文件 {quoted(row['path'])} "
                            "的 SHA-256 与记录不符",
                            f"{row['path']} does not match its sha256",
                        )
                    item = EvidenceItem(row["name"], row["remark"], row["path"].name, sha, size)
                evidence.setdefault(row["no"], []).append(item)
            for no, items in evidence.items():
                fields[FieldRef.indicator(no, "evidence").key] = items
            project.apply(fields, f"从 {json_path.name} 导入")
        _settle_existing(project_path)
        try:
            replace_file(tmp, project_path)
        except OSError as exc:
            raise write_error(project_path, exc) from exc
    except BaseException:
        _remove_project_files(tmp)
        raise
    finally:
        inflight.forget(entry)
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
