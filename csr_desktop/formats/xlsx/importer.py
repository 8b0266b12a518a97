"""Bring a returned 自评表 workbook back into the project: show every change, then apply it as
one transaction and one undo step.

`plan_import` reads and checks everything and changes nothing; `apply_import` refuses a plan
whose project changed in the meantime, so what the user confirmed is exactly what is applied.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from csr_desktop.core import departments as DEPT
from csr_desktop.core.assessment import EvidenceItem, check_value, indicator_key
from csr_desktop.core.errors import CsrError
from csr_desktop.core.indicators import IndicatorSet
from csr_desktop.core.merge import NO_BASE, Outcome, decide
from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.store import Project
from csr_desktop.formats.text_diff import changed_passage
from csr_desktop.formats.xlsx import merge_base
from csr_desktop.formats.xlsx.cell_text import same_text
from csr_desktop.formats.xlsx.departments import identity
from csr_desktop.formats.xlsx.marks import MarkError, read_rating
from csr_desktop.formats.xlsx.merge_base import same_project
from csr_desktop.formats.xlsx.read import CatalogueRow, WorkbookContent, read_workbook, refuse
from csr_desktop.formats.xlsx.returned_files import Attachment, find_beside

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+00:00(?::00)?)?$"
)
_SHORT = 28


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field the import would change, in words a user checks before confirming."""

    indicator_no: int | None
    field: str  # 企业自评, 备注, 相关工作情况介绍, 佐证材料目录, or a cover label
    old: str
    new: str
    key: str
    where: str  # 第7项「…」 or 封面
    passage: str = ""  # the changed passage of a long text, with context

    def describe(self) -> str:
        if self.passage:
            return f"{self.where} {self.field}：{self.passage}"
        return f"{self.where} {self.field}：{self.old} → {self.new}"


@dataclass(frozen=True, slots=True)
class Conflict:
    """A field the colleague and the project both changed since export, differently."""

    indicator_no: int | None
    field: str
    key: str
    where: str
    project_text: str
    workbook_text: str
    value: Any  # the workbook's value, applied if the user takes it

    def describe(self) -> str:
        return (
            f"冲突：{self.where} {self.field}：项目中为 {self.project_text}，"
            f"工作簿中为 {self.workbook_text}"
        )


@dataclass
class ImportPlan:
    """What importing `source` would do; nothing has been changed yet."""

    source: Path
    changes: list[FieldChange] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    base: dict[str, Any] = field(default_factory=dict)  # the project's values it was planned on
    indicator_set_id: str = ""
    conflicts: list[Conflict] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # rows outside a department's workbook
    attachments: list[Attachment] = field(default_factory=list)
    three_way: bool = False  # the workbook carried its base
    department: str = ""

    def describe(self) -> list[str]:
        return [c.describe() for c in self.changes]

    @property
    def label(self) -> str:
        who = f"（{self.department}）" if self.department else ""
        return f"导入 {self.source.name}{who}：{len(self.changes)} 处修改"


def _short(text: str) -> str:
    if not text:
        return "（空）"
    flat = text.replace("\r", "").replace("\n", "⏎")
    if len(flat) <= _SHORT:
        return f"“{flat}”"
    return f"“{flat[:_SHORT]}…”（共 {len(text)} 字）"


def _rating_text(iset: IndicatorSet, no: int, rating: int | None) -> str:
    return "未自评" if rating is None else iset.indicator(no).scale.option_text(rating)


def _date(path: Path, where: str, text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    m = _DATE.match(text)
    try:
        if m is None:
            raise ValueError(text)
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError as exc:
        raise refuse(
            path, f"{where}的日期“{text}”无法识别，请写成 2024-08-15 这样的格式", "bad date"
        ) from exc


def _keep_or_new(old: str, new: str) -> str:
    """The stored text when the workbook only lost what a spreadsheet cannot carry."""
    return old if same_text(old, new) else new


def _offered_file(
    plan: ImportPlan, row: CatalogueRow, match: EvidenceItem | None, where: str
) -> tuple[Path, str, int] | None:
    """The file a workbook row names, lying beside the workbook, or None with the reason in
    the plan's warnings (never silently: a colleague's file is attached, offered or reported)."""
    found = find_beside(plan.source, row.file_name)
    if isinstance(found, str):
        bare = "，这一行尚无文件" if match is None or not match.has_file else ""
        plan.warnings.append(f"{where}：{found}{bare}")
        return None
    if row.sha256 and row.sha256 != found[1] and (match is None or row.sha256 != match.sha256):
        plan.warnings.append(f"{where}：文件“{row.file_name}”的 SHA-256 与表中所填不符，未附加")
        return None
    return found


def _with_file(item: EvidenceItem, found: tuple[Path, str, int]) -> EvidenceItem:
    """The row as it is once the colleague's file is attached (apply_import stores it)."""
    return item._replace(file_name=found[0].name, sha256=found[1], size=found[2])


def _base_files(recorded: Mapping[str, str] | None, no: int) -> set[str]:
    """The fingerprints of the file names indicator `no`'s catalogue showed at export."""
    if recorded is None:
        return set()
    files, k = set(), 0
    while (fp := recorded.get(merge_base.row_key(no, k, "file"))) is not None:
        files.add(fp)
        k += 1
    return files


def _evidence(
    no: int,
    old: tuple[EvidenceItem, ...],
    rows: list[CatalogueRow],
    label: str,
    plan: ImportPlan,
    attach: list[Attachment],
    sent_files: set[str],
) -> list[EvidenceItem]:
    """Workbook rows matched to stored rows by 材料名称: matches keep their stored file; a row
    naming a file the catalogue did not show at export (`sent_files`), lying beside the
    workbook, gets that file (collected in `attach`)."""
    unused = list(old)
    items: list[EvidenceItem] = []
    key = indicator_key(no, "evidence")
    for k, row in enumerate(rows, start=1):
        match = next((e for e in unused if same_text(e.name, row.name)), None)
        where = f"{label}佐证材料目录第{k}行“{row.name}”"
        if match is not None:
            unused.remove(match)
            item = EvidenceItem(
                match.name,
                _keep_or_new(match.remark, row.remark),
                match.file_name,
                match.sha256,
                match.size,
            )
        else:
            item = EvidenceItem(row.name, row.remark)
        new_file = (
            row.file_name
            and (match is None or not match.has_file or match.file_name != row.file_name)
            and merge_base.file_fp(row.file_name) not in sent_files
        )
        if new_file:
            found = _offered_file(plan, row, match, where)
            if found is not None:
                item = _with_file(item, found)
                attach.append(Attachment(key, k - 1, found[0], found[1], found[2], where))
        elif match is None:
            plan.warnings.append(f"{where}是新增的，尚无文件（导入后请在软件中为它添加文件）")
        items.append(item)
    return items


def _evidence_summary(old: tuple[EvidenceItem, ...], new: list[EvidenceItem]) -> tuple[str, str]:
    old_names = [e.name for e in old]
    new_names = [e.name for e in new]
    added = [n for n in new_names if n not in old_names]
    removed = [n for n in old_names if n not in new_names]
    notes = []
    if added:
        notes.append("新增 " + "、".join(_short(n) for n in added))
    if removed:
        notes.append("删除 " + "、".join(_short(n) for n in removed))
    if not notes:
        notes.append("备注、文件或顺序有修改")
    return f"{len(old)} 项", f"{len(new)} 项（{'；'.join(notes)}）"


class _Planner:
    """Decides field by field what a workbook does to the project (core.merge's rule)."""

    def __init__(self, plan: ImportPlan, content: WorkbookContent, project: Project) -> None:
        self.plan = plan
        self.content = content
        self.project = project
        self.a = project.assessment()
        self.recorded = content.base.fields if content.base is not None else None

    def outcome(self, key: str, project_fp: str, workbook_fp: str) -> Outcome:
        base = NO_BASE if self.recorded is None else self.recorded.get(key, NO_BASE)
        return decide(base, project_fp, workbook_fp)

    def consider(
        self,
        no: int | None,
        key: str,
        field_name: str,
        fps: tuple[str, str],
        value: Callable[[], Any],
        texts: Callable[[Any], tuple[str, str]],
        passage: Callable[[Any], str] | None = None,
    ) -> None:
        """Plan one field: `fps` are the project's and the workbook's fingerprints; `value`
        builds the workbook's value (only when it is needed), `texts` (old, new) for people."""
        outcome = self.outcome(key, *fps)
        if outcome in (Outcome.UNTOUCHED, Outcome.SAME):
            return
        where = "封面" if no is None else self.a.indicator_set.indicator(no).label
        new = value()
        if _same(check_value(self.a.indicator_set, key, new), self.project.get(key)):
            return  # differs only in what the project keeps and the sheet does not show
        old_text, new_text = texts(new)
        self.plan.base[key] = self.project.get(key)
        if outcome is Outcome.CONFLICT:
            if key.endswith(".evidence"):  # both sides' rows, for a person to compare
                old_text = _rows_text(
                    EvidenceItem.from_json(e) for e in self.project.get(key) or ()
                )
                new_text = _rows_text(new)
            self.plan.conflicts.append(
                Conflict(no, field_name, key, where, old_text, new_text, new)
            )
            return
        self.plan.values[key] = new
        self.plan.changes.append(
            FieldChange(
                no, field_name, old_text, new_text, key, where, passage(new) if passage else ""
            )
        )


def _rows_text(items: Iterable[EvidenceItem]) -> str:
    """A catalogue in one line: `1.材料名称（备注）[文件名]；2.…`."""
    parts = []
    for k, e in enumerate(items, start=1):
        text = f"{k}.{e.name}" + (f"（{e.remark}）" if e.remark else "")
        parts.append(text + (f"[{e.file_name}]" if e.file_name else ""))
    return "；".join(parts) or "（空）"


def _long_passage(old: str) -> Callable[[Any], str]:
    return lambda new: changed_passage(old, new) if len(old) > _SHORT and len(new) > _SHORT else ""


def _date_note(content: WorkbookContent, sheet: str, cell: str, what: str, text: str) -> str:
    return (
        f"{content.where(sheet, cell)}（{what}）是表格软件自动转换成的日期 {text}"
        "（输入“1/2”这类内容时会被当作日期），未导入这一格；如需导入，"
        "请把单元格格式设为“文本”后重新输入"
    )


def _plan_indicator(p: _Planner, no: int) -> None:
    content, plan = p.content, p.plan
    iset = p.a.indicator_set
    ind = iset.indicator(no)
    ans = p.a.answer(no)
    label = ind.label
    row = content.rows[no]
    try:
        rating = read_rating(row.rating_text, ind.scale)
    except MarkError as exc:
        where = content.where(content.table_sheet, row.rating_cell)
        raise refuse(
            content.path, f"{where}（{label}企业自评）：{exc}", "unreadable rating"
        ) from exc
    p.consider(
        no,
        indicator_key(no, "rating"),
        "企业自评",
        (merge_base.rating_fp(ans.rating), merge_base.rating_fp(rating)),
        lambda: rating,
        lambda new: (_rating_text(iset, no, ans.rating), _rating_text(iset, no, new)),
    )
    cell = row.remark_cell or ""
    remark_date = bool(cell) and content.is_date(content.table_sheet, cell)
    if remark_date:
        note = _date_note(content, content.table_sheet, cell, f"{label}的备注", row.remark or "")
        plan.warnings.append(note)
    if row.remark is not None and not remark_date:
        remark = row.remark
        p.consider(
            no,
            indicator_key(no, "remark"),
            "备注",
            (merge_base.text_fp(ans.remark), merge_base.text_fp(remark)),
            lambda: _keep_or_new(ans.remark, remark),
            lambda new: (_short(ans.remark), _short(new)),
            _long_passage(ans.remark),
        )
    block = content.blocks.get(no)
    if block is None:
        return
    if block.narrative is None:
        plan.warnings.append(f"{label} 在工作簿中没有相关工作情况介绍一行，介绍保持不变")
    else:
        narrative = block.narrative
        p.consider(
            no,
            indicator_key(no, "narrative"),
            "相关工作情况介绍",
            (merge_base.text_fp(ans.narrative), merge_base.text_fp(narrative)),
            lambda: _keep_or_new(ans.narrative, narrative),
            lambda new: (_short(ans.narrative), _short(new)),
            _long_passage(ans.narrative),
        )
    if block.items is None:
        plan.warnings.append(f"{label} 在工作簿中没有佐证材料目录，目录保持不变")
        return
    rows = block.items
    sheet = content.evidence_sheet or ""
    dated = [
        (f"{col}{r.row}", r)
        for r in rows
        for col in "BCD"
        if content.is_date(sheet, f"{col}{r.row}")
    ]
    if dated:
        cell, r = dated[0]
        plan.warnings.append(
            _date_note(content, sheet, cell, f"{label}佐证材料目录", r.name or r.remark)
            + "；目录保持不变"
        )
        return
    attach: list[Attachment] = []
    sent_files = _base_files(p.recorded, no)

    def items() -> list[EvidenceItem]:
        return _evidence(no, ans.evidence, rows, label, plan, attach, sent_files)

    lines = [(r.name, r.remark, r.file_name, r.sha256) for r in rows]
    key = indicator_key(no, "evidence")
    fps = (
        merge_base.catalogue_fp(merge_base.item_lines(ans.evidence)),
        merge_base.catalogue_fp(lines),
    )
    if p.outcome(key, *fps) is Outcome.CONFLICT:
        merged = _merge_rows(p, no, ans.evidence, rows, attach)
        if merged is not None:
            _plan_merged(p, no, merged, attach)
            return
    before = len(plan.changes)
    p.consider(
        no, key, "佐证材料目录", fps, items, lambda new: _evidence_summary(ans.evidence, new)
    )
    if attach and len(plan.changes) > before:
        plan.attachments.extend(attach)
    elif attach and plan.conflicts and plan.conflicts[-1].key == key:
        # attached only if the user takes the workbook's rows
        plan.attachments.extend(replace(a, if_taken=True) for a in attach)


@dataclass(frozen=True, slots=True)
class _Merged:
    """A catalogue merged cell by cell: `keep` is it with the project's file where both sides
    named a different one (`clashes`: row, 材料名称, project's file, workbook's file), `take`
    with the workbook's."""

    keep: list[EvidenceItem]
    take: list[EvidenceItem]
    clashes: list[tuple[int, str, str, str]]


def _merge_rows(
    p: _Planner,
    no: int,
    stored: tuple[EvidenceItem, ...],
    rows: list[CatalogueRow],
    attach: list[Attachment],
) -> _Merged | None:
    """The catalogue merged cell by cell, when both sides kept its rows (none added or
    removed) and no 材料名称 or 备注 was changed on both sides differently; else None and the
    whole catalogue is a conflict for a person to decide. The 文件名 column follows the same
    rule row by row: a file only the colleague named is attached (`attach`), a file both
    sides changed differently is a clash."""
    recorded = p.recorded
    items = [
        i for i in stored if merge_base.item_lines([i])
    ]  # as the sheet shows them: no blank rows
    if recorded is None or merge_base.rows_key(no) not in recorded or len(items) != len(stored):
        return None
    count = merge_base.fingerprint(["n", len(rows)])
    if recorded[merge_base.rows_key(no)] != count or len(items) != len(rows):
        return None
    named = []
    for k, (item, row) in enumerate(zip(items, rows, strict=True)):
        cells = {}
        for column, mine, theirs in (
            ("name", item.name, row.name),
            ("remark", item.remark, row.remark),
        ):
            outcome = decide(
                recorded.get(merge_base.row_key(no, k, column), NO_BASE),
                merge_base.text_fp(mine),
                merge_base.text_fp(theirs),
            )
            if outcome is Outcome.CONFLICT:
                return None
            cells[column] = _keep_or_new(mine, theirs) if outcome is Outcome.TAKE else mine
        named.append(item._replace(name=cells["name"], remark=cells["remark"]))
    merged = _Merged(list(named), list(named), [])
    key = indicator_key(no, "evidence")
    label = p.a.indicator_set.indicator(no).label
    for k, (item, row) in enumerate(zip(items, rows, strict=True)):
        file_outcome = decide(
            recorded.get(merge_base.row_key(no, k, "file"), NO_BASE),
            merge_base.file_fp(item.file_name or ""),
            merge_base.file_fp(row.file_name),
        )
        if file_outcome not in (Outcome.TAKE, Outcome.CONFLICT) or not row.file_name.strip():
            continue  # a name cleared in the sheet leaves the stored file where it is
        where = f"{label}佐证材料目录第{k + 1}行“{row.name}”"
        found = _offered_file(p.plan, row, item, where)
        if found is None:
            continue
        clash = file_outcome is Outcome.CONFLICT
        merged.take[k] = _with_file(named[k], found)
        if clash:
            merged.clashes.append((k + 1, named[k].name, item.file_name or "", row.file_name))
        else:
            merged.keep[k] = merged.take[k]
        attach.append(Attachment(key, k, found[0], found[1], found[2], where, if_taken=clash))
    return merged


def _plan_merged(p: _Planner, no: int, merged: _Merged, attach: list[Attachment]) -> None:
    """Plan a catalogue merged row by row: what merged cleanly is a change, files both sides
    changed differently are one conflict naming both files."""
    plan, key = p.plan, indicator_key(no, "evidence")
    label = p.a.indicator_set.indicator(no).label
    stored = p.project.get(key)
    changed = not _same(check_value(p.a.indicator_set, key, merged.keep), stored)
    if not changed and not merged.clashes:
        return
    plan.base[key] = stored
    if changed:
        old_text, new_text = _evidence_summary(p.a.answer(no).evidence, merged.keep)
        plan.values[key] = merged.keep
        plan.changes.append(
            FieldChange(
                no, "佐证材料目录", old_text, new_text + "（与项目中的修改逐行合并）", key, label
            )
        )
    if merged.clashes:
        plan.conflicts.append(_file_conflict(no, key, label, merged))
    plan.attachments.extend(attach)


def _file_conflict(no: int, key: str, label: str, merged: _Merged) -> Conflict:
    """One conflict for the catalogue, naming both files of every row that clashes."""

    def shown(name: str) -> str:
        return f"“{name}”" if name else "（无文件）"

    if len(merged.clashes) == 1:
        [(k, name, mine, theirs)] = merged.clashes
        return Conflict(
            no,
            f"佐证材料目录第{k}行“{name}”的文件",
            key,
            label,
            shown(mine),
            shown(theirs),
            merged.take,
        )
    mine_text = "；".join(f"第{k}行 {shown(m)}" for k, _, m, _ in merged.clashes)
    theirs_text = "；".join(f"第{k}行 {shown(t)}" for k, _, _, t in merged.clashes)
    return Conflict(no, "佐证材料目录的文件", key, label, mine_text, theirs_text, merged.take)


def _plan_cover(p: _Planner) -> None:
    content = p.content
    for f in p.a.indicator_set.cover_fields:
        if f.key not in content.cover:
            continue
        cell, text = content.cover[f.key]
        old = p.a.company[f.key]
        where = content.where(content.table_sheet, cell)
        if f.kind != "date" and content.is_date(content.table_sheet, cell):
            p.plan.warnings.append(
                _date_note(content, content.table_sheet, cell, f"封面“{f.label}”", text)
            )
            continue
        new = _date(content.path, where, text) if f.kind == "date" else text
        value = new if f.kind == "date" else _keep_or_new(old, new)
        p.consider(
            None,
            FieldRef.company(f.key).key,
            f.label,
            (merge_base.text_fp(old), merge_base.text_fp(new)),
            _const(value),
            _texts_against(old),
        )


def _const(value: Any) -> Callable[[], Any]:
    return lambda: value


def _texts_against(old: str) -> Callable[[Any], tuple[str, str]]:
    return lambda new: (_short(old), _short(new))


def _refuse_foreign(p: _Planner, numbers: tuple[int, ...]) -> None:
    """A department's workbook answers only for its own rows: anything else is refused."""
    base = p.content.base
    assert base is not None
    who = f"“{base.department}”的工作簿" if base.department else "这份工作簿"
    own = "、".join(map(str, numbers))
    for no in sorted(set(p.content.rows) | set(p.content.blocks)):
        if no in numbers:
            continue
        ind = p.a.indicator_set.indicator(no)
        p.plan.refused.append(f"已拒绝：{ind.label}不属于{who}（只含第{own}项），其中的内容未导入")
    if base.department:
        probe = ImportPlan(source=p.plan.source)
        saved, p.plan = p.plan, probe
        try:
            _plan_cover(p)
        finally:
            p.plan = saved
        fields = [c.field for c in probe.changes] + [c.field for c in probe.conflicts]
        for name in fields:
            p.plan.refused.append(f"已拒绝：{who}修改了封面“{name}”，未导入（封面由本项目填写）")


def plan_import(project: Project, xlsx: Path) -> ImportPlan:
    """Read `xlsx`, check it against the project and list what would change. Changes nothing."""
    xlsx = Path(xlsx)
    iset = project.indicator_set
    content = read_workbook(xlsx, iset)
    plan = ImportPlan(source=xlsx, indicator_set_id=iset.id)
    if not content.meta:
        plan.warnings.append(
            "工作簿中没有本软件的标识（可能是手工录入的表格），已按官方表格的版式识别"
        )
    numbers = tuple(n for n in iset.numbers if n in content.rows)
    here = identity(project)
    if content.base is not None and not same_project(
        content.base.project, here.partition("|")[0], here
    ):
        plan.warnings.append(
            "这份工作簿是从另一个项目导出的：按与本项目当前内容的差异导入，请逐条核对"
        )
        content.base = None
    elif content.base is None:
        plan.warnings.append(
            "工作簿中没有导出时的原值记录（手工录入或旧版软件导出）：按与项目当前内容的差异导入，"
            "同事没有改动的内容也可能覆盖项目中后来的修改，请逐条核对"
        )
    else:
        plan.three_way = True
        plan.department = content.base.department
        numbers = content.base.numbers
    p = _Planner(plan, content, project)
    if content.base is not None and (content.base.department or numbers != iset.numbers):
        _refuse_foreign(p, numbers)
    else:
        _plan_cover(p)
    for no in numbers:
        _plan_indicator(p, no)
    if content.evidence_sheet is None:
        plan.warnings.append("工作簿中没有佐证材料表：相关工作情况介绍和佐证材料目录保持不变")
    return plan


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, ensure_ascii=False, sort_keys=True) == json.dumps(
        b, ensure_ascii=False, sort_keys=True
    )


def apply_import(project: Project, plan: ImportPlan, take: Collection[str] = ()) -> int:
    """Apply the plan as one transaction and one undo step (nothing if it has no changes);
    conflicts whose key is in `take` get the workbook's value, the rest keep the project's.
    Returns the number of fields changed. The commit and its checks: `operations.imports`."""
    from csr_desktop.core.operations.imports import ImportFile
    from csr_desktop.core.operations.imports import apply_import as commit_import

    if project.indicator_set.id != plan.indicator_set_id:
        raise CsrError(
            "导入计划与当前项目的指标体系不同，请重新导入", "plan is for another project"
        )
    values = dict(plan.values)
    taken = [c for c in plan.conflicts if c.key in take]
    for c in taken:
        values[c.key] = c.value
    kept = len(plan.conflicts) - len(taken)
    if values and plan.department:
        values[DEPT.TRACKING_KEY] = DEPT.with_event(
            project,
            plan.department,
            "returned",
            plan.source.name,
            applied=len(plan.changes) + len(taken),
            conflicts=kept,
        )
    label = plan.label
    if taken:
        label += f"，{len(taken)} 处冲突采用工作簿的内容"
    files = [ImportFile(a.key, a.index, a.path, a.sha256) for a in plan.attachments]
    commit_import(project, values, label, plan.base, files, plan.source)
    return len(plan.changes) + len(taken) if values else 0
