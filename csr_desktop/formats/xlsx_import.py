"""Bring a returned 自评表 workbook back into the project: show every change, then apply it as
one transaction and one undo step.

`plan_import` reads and checks everything and changes nothing; `apply_import` refuses a plan
whose project changed in the meantime, so what the user confirmed is exactly what is applied.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from csr_desktop.core.assessment import Assessment, EvidenceItem, indicator_key
from csr_desktop.core.errors import CsrError, InputFileError, quoted
from csr_desktop.core.indicators import IndicatorSet
from csr_desktop.core.store import Project
from csr_desktop.formats.xlsx_marks import MarkError, read_rating
from csr_desktop.formats.xlsx_read import CatalogueRow, WorkbookContent, read_workbook, refuse
from csr_desktop.formats.xlsx_text import same_text

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

    def describe(self) -> str:
        return f"{self.where} {self.field}：{self.old} → {self.new}"


@dataclass
class ImportPlan:
    """What importing `source` would do; nothing has been changed yet."""

    source: Path
    changes: list[FieldChange] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    base: dict[str, Any] = field(default_factory=dict)  # the project's values it was planned on
    indicator_set_id: str = ""

    def describe(self) -> list[str]:
        return [c.describe() for c in self.changes]

    @property
    def label(self) -> str:
        return f"导入 Excel：{self.source.name}"


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


def _evidence(
    no: int, old: tuple[EvidenceItem, ...], rows: list[CatalogueRow], label: str, plan: ImportPlan
) -> list[EvidenceItem]:
    """Workbook rows matched to stored rows by 材料名称: matches keep their stored file."""
    unused = list(old)
    items: list[EvidenceItem] = []
    for k, row in enumerate(rows, start=1):
        match = next((e for e in unused if same_text(e.name, row.name)), None)
        if match is not None:
            unused.remove(match)
            items.append(
                EvidenceItem(
                    match.name,
                    _keep_or_new(match.remark, row.remark),
                    match.file_name,
                    match.sha256,
                    match.size,
                )
            )
        else:
            items.append(EvidenceItem(row.name, row.remark))
            plan.warnings.append(
                f"{label} 佐证材料目录第{k}行“{row.name}”是新增的，尚无文件"
                "（导入后请在软件中为它添加文件）"
            )
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
        notes.append("备注或顺序有修改")
    return f"{len(old)} 项", f"{len(new)} 项（{'；'.join(notes)}）"


def _plan_indicator(
    plan: ImportPlan, content: WorkbookContent, a: Assessment, project: Project, no: int
) -> None:
    iset = a.indicator_set
    ind = iset.indicator(no)
    ans = a.answer(no)
    label = ind.label

    def change(key: str, value: Any, field_name: str, old: str, new: str) -> None:
        plan.values[key] = value
        plan.base[key] = project.get(key)
        plan.changes.append(FieldChange(no, field_name, old, new, key, label))

    row = content.rows[no]
    try:
        rating = read_rating(row.rating_text, ind.scale)
    except MarkError as exc:
        where = content.where(content.table_sheet, row.rating_cell)
        raise refuse(
            content.path, f"{where}（{label}企业自评）：{exc}", "unreadable rating"
        ) from exc
    if rating != ans.rating:
        change(
            indicator_key(no, "rating"),
            rating,
            "企业自评",
            _rating_text(iset, no, ans.rating),
            _rating_text(iset, no, rating),
        )
    if row.remark is not None:
        remark = _keep_or_new(ans.remark, row.remark)
        if remark != ans.remark:
            change(indicator_key(no, "remark"), remark, "备注", _short(ans.remark), _short(remark))
    block = content.blocks.get(no)
    if block is None:
        return
    if block.narrative is None:
        plan.warnings.append(f"{label} 在工作簿中没有相关工作情况介绍一行，介绍保持不变")
        narrative = ans.narrative
    else:
        narrative = _keep_or_new(ans.narrative, block.narrative)
    if narrative != ans.narrative:
        change(
            indicator_key(no, "narrative"),
            narrative,
            "相关工作情况介绍",
            _short(ans.narrative),
            _short(narrative),
        )
    if block.items is None:
        plan.warnings.append(f"{label} 在工作簿中没有佐证材料目录，目录保持不变")
        return
    items = _evidence(no, ans.evidence, block.items, label, plan)
    if [i.to_json() for i in items] != [i.to_json() for i in ans.evidence]:
        old_text, new_text = _evidence_summary(ans.evidence, items)
        change(indicator_key(no, "evidence"), items, "佐证材料目录", old_text, new_text)


def _plan_cover(
    plan: ImportPlan, content: WorkbookContent, a: Assessment, project: Project
) -> None:
    for f in a.indicator_set.cover_fields:
        if f.key not in content.cover:
            continue
        cell, text = content.cover[f.key]
        old = a.company[f.key]
        where = content.where(content.table_sheet, cell)
        new = _date(content.path, where, text) if f.kind == "date" else _keep_or_new(old, text)
        if new != old:
            key = f"company.{f.key}"
            plan.values[key] = new
            plan.base[key] = project.get(key)
            plan.changes.append(FieldChange(None, f.label, _short(old), _short(new), key, "封面"))


def plan_import(project: Project, xlsx: Path) -> ImportPlan:
    """Read `xlsx`, check it against the project and list what would change. Changes nothing."""
    xlsx = Path(xlsx)
    iset = project.indicator_set
    content = read_workbook(xlsx, iset)
    a = project.assessment()
    plan = ImportPlan(source=xlsx, indicator_set_id=iset.id)
    if not content.meta:
        plan.warnings.append(
            "工作簿中没有本软件的标识（可能是手工录入的表格），已按官方表格的版式识别"
        )
    _plan_cover(plan, content, a, project)
    for no in iset.numbers:
        _plan_indicator(plan, content, a, project, no)
    if content.evidence_sheet is None:
        plan.warnings.append("工作簿中没有佐证材料表：相关工作情况介绍和佐证材料目录保持不变")
    return plan


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, ensure_ascii=False, sort_keys=True) == json.dumps(
        b, ensure_ascii=False, sort_keys=True
    )


def apply_import(project: Project, plan: ImportPlan) -> None:
    """Apply the plan as one transaction and one undo step (nothing if it has no changes)."""
    if project.indicator_set.id != plan.indicator_set_id:
        raise CsrError(
            "导入计划与当前项目的指标体系不同，请重新导入", "plan is for another project"
        )
    for key, old in plan.base.items():
        if not _same(project.get(key), old):
            raise CsrError(
                f"项目 {quoted(project.path)} 在预览导入之后又被修改过，请重新导入 "
                f"{quoted(plan.source)}",
                "project changed since the import was planned",
            )
    if plan.values:
        project.apply(plan.values, plan.label)


def run_cli(xlsx: Path, project: Path, dry_run: bool, out: TextIO) -> int:
    """`csr-desktop import-xlsx`: print the changes, apply them unless `dry_run`; exit 0."""
    xlsx, project = Path(xlsx), Path(project)
    if not xlsx.is_file():
        raise InputFileError(f"找不到工作簿 {quoted(xlsx)}", f"no such workbook: {xlsx}")
    with Project.open(project, readonly=dry_run) as proj:
        plan = plan_import(proj, xlsx)
        for warning in plan.warnings:
            print(f"提示：{warning}", file=out)
        if not plan.changes:
            print(f"{quoted(xlsx)} 与项目内容一致，没有需要导入的修改。", file=out)
            return 0
        print(f"{quoted(xlsx)} 中有 {len(plan.changes)} 处修改：", file=out)
        for line in plan.describe():
            print(f"  {line}", file=out)
        if dry_run:
            print("（试运行：项目未做任何修改）", file=out)
            return 0
        apply_import(proj, plan)
        print(
            f"已导入 {len(plan.changes)} 处修改到 {quoted(project)}（可在软件中一步撤销）。",
            file=out,
        )
    return 0
