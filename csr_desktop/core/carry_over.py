"""Next year's project from this year's, and a project moved onto a new version of the form.

A compliance office should never retype last year's narratives, and the form changes between
rounds. `carry_over` builds a new project file from an old one: every answer and evidence file,
moved by the new indicator set's `upgrade_from` mapping where the set changed, each moved
indicator marked 待复核 until the user confirms it. The old file is only ever read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from csr_desktop.core import inflight
from csr_desktop.core.assessment import (
    INDICATOR_FIELDS,
    ORIGIN_KEY,
    REVIEW_FIELD,
    Answer,
    Assessment,
    EvidenceItem,
)
from csr_desktop.core.errors import (
    Cancelled,
    CsrError,
    IndicatorSetError,
    ProjectFileError,
    StoredFileDamaged,
    quoted,
)
from csr_desktop.core.indicators import Indicator, IndicatorSet, SetChange
from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.replace import replace_file
from csr_desktop.core.store import Project

Progress = Callable[[int, int], bool]

NEW_YEAR, UPGRADE = "new-year", "upgrade"


class UpgradeError(CsrError):
    """The chosen indicator set cannot take a project made with the old one."""


class TextChange(NamedTuple):
    """An indicator whose wording changed: the user must re-read the new 指标说明."""

    old: Indicator
    new: Indicator


class Move(NamedTuple):
    """Where the answers of old indicators went (kind as in the mapping)."""

    kind: str
    old: tuple[Indicator, ...]
    new: tuple[Indicator, ...]
    note: str = ""


class Dropped(NamedTuple):
    """An old indicator that the new set removed, with what had been answered for it."""

    indicator: Indicator
    answer: Answer


class Report(NamedTuple):
    """What a carry-over did, for the CLI's printout and the window's dialog."""

    source: Path
    dest: Path
    mode: str
    old_set: IndicatorSet
    new_set: IndicatorSet
    text_changes: tuple[TextChange, ...]
    moves: tuple[Move, ...]
    new_empty: tuple[Indicator, ...]
    dropped: tuple[Dropped, ...]
    review_pending: tuple[int, ...]
    files: int
    damaged: tuple[str, ...]  # catalogue rows whose stored file failed its hash in OLD

    @property
    def upgraded(self) -> bool:
        return (self.old_set.id, self.old_set.version) != (self.new_set.id, self.new_set.version)

    def lines(self) -> list[str]:
        """The report in words: every change of the set is named, nothing silently lost."""
        out = [
            f"已由 {quoted(self.source)} 新建 {quoted(self.dest)}（原项目未作任何修改）。",
        ]
        old, new = self.old_set, self.new_set
        if self.upgraded:
            out.append(
                f"指标体系：版本 {old.version}（{len(old.indicators)} 项）→ 版本 {new.version}"
                f"（{len(new.indicators)} 项）"
            )
        else:
            out.append(f"指标体系：版本 {new.version}（未变）")
        if self.mode == NEW_YEAR:
            out.append("提交日期与承诺书日期已清空，请重新填写。")
        out.append(f"已带入 {self.files} 个佐证材料文件。")
        for row in self.damaged:
            out.append(f"未带入（原项目中的文件已损坏）：{row}，请重新添加")
        if self.text_changes:
            out.append("")
            out.append(f"指标文字有变化（{len(self.text_changes)} 项）：")
            for tc in self.text_changes:
                out.append(f"  原{tc.old.label} → 现{tc.new.label}")
                if tc.old.name != tc.new.name:
                    out.append(f"    三级指标：原“{tc.old.name}”  现“{tc.new.name}”")
                if tc.old.description != tc.new.description:
                    out.append(f"    原指标说明：{tc.old.description}")
                    out.append(f"    新指标说明：{tc.new.description}")
                if tc.old.scale.labels != tc.new.scale.labels:
                    out.append(
                        f"    自评选项：原“{'、'.join(tc.old.scale.labels)}”"
                        f"  现“{'、'.join(tc.new.scale.labels)}”"
                    )
        moved = [m for m in self.moves if m.kind != "kept" or m.old[0].no != m.new[0].no]
        if moved:
            out.append("")
            out.append(f"答案移动（{len(moved)} 处）：")
            for m in moved:
                src = "、".join(i.label for i in m.old)
                dst = "、".join(i.label for i in m.new)
                word = {"split": "拆分为", "merged": "合并为", "renamed": "对应（文字已修改）"}.get(
                    m.kind, "移至"
                )
                out.append(f"  原{src} {word} {dst}{('（' + m.note + '）') if m.note else ''}")
        if self.new_empty:
            out.append("")
            out.append(f"新增指标，尚未填写（{len(self.new_empty)} 项）：")
            out += [f"  {i.label}：{i.description}" for i in self.new_empty]
        if self.dropped:
            out.append("")
            out.append(
                f"已删除的指标（{len(self.dropped)} 项，其内容未带入新项目，"
                "保留在原项目和新项目的修改记录中）："
            )
            for d in self.dropped:
                out.append(f"  原{d.indicator.label}：{_summary(d.indicator, d.answer)}")
        out.append("")
        out.append(
            f"待复核：{len(self.review_pending)} 项指标，请逐项确认后再提交。"
            if self.review_pending
            else "无待复核的指标。"
        )
        return out


def _summary(ind: Indicator, ans: Answer) -> str:
    parts = []
    if ans.rating is not None:
        parts.append(f"自评“{ind.scale.option_text(ans.rating)}”")
    if ans.narrative.strip():
        parts.append(f"情况介绍 {len(ans.narrative)} 字")
    if ans.remark.strip():
        parts.append(f"备注“{ans.remark}”")
    if ans.evidence:
        parts.append("佐证材料 " + "、".join(e.name for e in ans.evidence))
    return "；".join(parts) or "未填写"


def read_indicator_set(path: Path) -> IndicatorSet:
    """An indicator set file named by the user (`new-year --indicator-set`)."""
    from csr_desktop.core.errors import InputFileError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(
            f"无法读取指标体系文件 {quoted(path)}：{getattr(exc, 'strerror', None) or exc}",
            f"cannot read {path}: {exc}",
        ) from exc
    try:
        return IndicatorSet.from_json(text, str(path))
    except IndicatorSetError as exc:
        if str(path) in exc.zh:
            raise
        raise IndicatorSetError(f"指标体系文件 {quoted(path)} 有误：{exc.zh}", exc.en) from exc


def plan(old: IndicatorSet, new: IndicatorSet) -> tuple[SetChange, ...]:
    """The mapping old → new; the same set maps every indicator to itself."""
    if (old.id, old.version) == (new.id, new.version):
        if old.numbers != new.numbers:
            raise UpgradeError(
                f"指标体系版本号同为 {new.version}，但指标数目不同"
                f"（{len(old.indicators)} 项与 {len(new.indicators)} 项），无法对应",
                f"same version {new.version}, different indicators",
            )
        return tuple(SetChange("kept", (n,), (n,)) for n in old.numbers)
    up = new.upgrade
    if up is None or (up.from_id, up.from_version) != (old.id, old.version):
        came = "无对照表" if up is None else f"对照表针对版本 {up.from_version}"
        raise UpgradeError(
            f"指标体系版本 {new.version} 不能用于升级版本 {old.version} 的项目（{came}）",
            f"set {new.version} has no mapping from {old.version}",
        )
    mapped = sorted(o for c in up.changes for o in c.old)
    if mapped != sorted(old.numbers):
        missing = sorted(set(old.numbers) - set(mapped))
        extra = sorted(set(mapped) - set(old.numbers))
        raise UpgradeError(
            f"指标体系版本 {new.version} 的对照表与版本 {old.version} 不符"
            f"（未说明去向的原序号 {missing}，不存在的原序号 {extra}）",
            f"mapping does not cover {old.version}: missing {missing}, unknown {extra}",
        )
    return up.changes


def carry_over(
    source: Path,
    dest: Path,
    indicator_set: IndicatorSet | None = None,
    mode: str = NEW_YEAR,
    progress: Progress | None = None,
) -> Report:
    """Build `dest` from `source` (opened read-only), atomically: on any failure no `dest`."""
    source, dest = Path(source), Path(dest)
    if dest.exists():
        raise ProjectFileError(f"文件 {quoted(dest)} 已存在", f"{dest} already exists")
    if not dest.parent.is_dir():
        raise ProjectFileError(
            f"无法新建 {quoted(dest)}：文件夹 {quoted(dest.parent)} 不存在",
            f"folder {dest.parent} does not exist",
        )
    if source.resolve() == dest.resolve():
        raise ProjectFileError("新项目不能与原项目是同一个文件", "OLD and NEW are the same file")
    with Project.open(source, readonly=True) as old:
        new_set = indicator_set or old.indicator_set
        try:
            changes = plan(old.indicator_set, new_set)
        except UpgradeError as exc:
            raise UpgradeError(f"无法由项目 {quoted(source)} 新建：{exc.zh}", exc.en) from exc
        tmp = dest.with_name(inflight.unique_name(f".{dest.name}.tmp"))
        entry = inflight.record([tmp])  # before it exists: see core/inflight.py
        try:
            with Project.create(tmp, new_set) as new:
                report = _fill(old, new, changes, mode, progress)
            replace_file(tmp, dest)
        except CsrError as exc:  # name the file the user asked for, not our temporary one
            _remove_project(tmp)
            zh, en = exc.zh.replace(tmp.name, dest.name), exc.en.replace(tmp.name, dest.name)
            raise type(exc)(zh, en) from exc
        except BaseException:
            _remove_project(tmp)
            raise
        finally:
            inflight.forget(entry)
    return report._replace(source=source, dest=dest)


def _fill(
    old: Project,
    new: Project,
    changes: tuple[SetChange, ...],
    mode: str,
    progress: Progress | None,
) -> Report:
    before, after = old.indicator_set, new.indicator_set
    a = old.assessment()
    carried = {n for c in changes if c.kind != "removed" for n in c.old}
    files, damaged = _copy_files(old, new, a, carried, progress)
    values: dict[str, Any] = {}
    for field in after.cover_fields:
        if not (mode == NEW_YEAR and field.kind == "date"):
            values[FieldRef.company(field.key).key] = a.company.get(field.key, "")
    for field in after.commitment.fields:
        if not (mode == NEW_YEAR and field.kind == "date"):
            values[FieldRef.commitment(field.key).key] = a.commitment.get(field.key, "")
    text_changes: list[TextChange] = []
    moves: list[Move] = []
    new_empty: list[Indicator] = []
    dropped: list[Dropped] = []
    pending: list[int] = []
    for change in changes:
        olds = tuple(before.indicator(n) for n in change.old)
        news = tuple(after.indicator(n) for n in change.new)
        if change.kind == "removed":
            dropped.append(Dropped(olds[0], a.answer(olds[0].no)))
            continue
        if change.kind == "new":
            new_empty += news
            continue
        if change.kind == "merged":
            fields, note = _merged(old, olds, files)
        else:
            fields, note = _fields_of(old, olds[0].no, files), ""
        for ind in news:
            for name, value in fields.items():
                values[FieldRef.indicator(ind.no, name).key] = value
        # who answers it stays (the scans of stamped pages do not: they belong to their year)
        department = next((d for o in olds if (d := old.get(FieldRef.department(o.no).key))), "")
        if department:
            for ind in news:
                values[FieldRef.department(ind.no).key] = department
        pairs = [(o, n) for o in olds for n in news]  # one of the two has a single member
        text_changes += [TextChange(o, n) for o, n in pairs if _wording(o) != _wording(n)]
        moves.append(Move(change.kind, olds, news, note))
        for ind in news:
            # next year every answer is re-read; an upgrade asks only where the form changed
            review = mode == NEW_YEAR or change.kind != "kept" or _wording(olds[0]) != _wording(ind)
            if review and any(fields.get(f) for f in ("rating", "remark", "narrative", "evidence")):
                values[FieldRef.indicator(ind.no, REVIEW_FIELD).key] = True
                pending.append(ind.no)
    origin = {
        "kind": mode,
        "from": str(old.path.resolve()),
        "from_created_at": old.meta("created_at"),
        "from_created_by": old.meta("created_by"),
        "from_indicator_set": f"{before.id} {before.version}",
        "indicator_set": f"{after.id} {after.version}",
        "at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "dropped": [
            {"no": d.indicator.no, "name": d.indicator.name, **_answer_json(d.answer)}
            for d in dropped
        ],
    }
    word = "以上一年度项目" if mode == NEW_YEAR else "升级指标体系，由项目"
    label = f"{word} {old.path.name} 为基础新建（指标体系 {after.version}）"
    # The origin first: the audit of the new project starts with where it came from.
    new.apply({ORIGIN_KEY: origin, **values}, label)
    return Report(
        old.path,
        new.path,
        mode,
        before,
        after,
        tuple(text_changes),
        tuple(moves),
        tuple(new_empty),
        tuple(dropped),
        tuple(sorted(pending)),
        len(files),
        tuple(damaged),
    )


def _wording(ind: Indicator) -> tuple[str, str, tuple[str, ...]]:
    return ind.name, ind.description, ind.scale.labels


def _answer_json(ans: Answer) -> dict[str, Any]:
    return {
        "rating": ans.rating,
        "remark": ans.remark,
        "narrative": ans.narrative,
        "evidence": [e.to_json() for e in ans.evidence],
    }


def _fields_of(old: Project, no: int, files: set[str]) -> dict[str, Any]:
    """Every stored field of one indicator but its review mark, as stored (so fields added to
    the form later travel too); evidence rows whose file could not be copied lose the file."""
    out: dict[str, Any] = {}
    for field in INDICATOR_FIELDS:
        if field == REVIEW_FIELD:
            continue
        value = old.get(FieldRef.indicator(no, field).key)
        if field == "evidence" and value:
            value = [_row_with_file(EvidenceItem.from_json(e), files) for e in value]
        if value not in (None, "", []):
            out[field] = value
    return out


def _row_with_file(item: EvidenceItem, files: set[str]) -> dict[str, Any]:
    if item.sha256 is not None and item.sha256 not in files:
        item = item._replace(sha256=None, size=None)
    return item.to_json()


def _merged(
    old: Project, olds: tuple[Indicator, ...], files: set[str]
) -> tuple[dict[str, Any], str]:
    """Several old indicators into one: texts joined under their old names, every evidence row
    kept; the rating only where they agree (otherwise the user chooses)."""
    parts = [(ind, _fields_of(old, ind.no, files)) for ind in olds]
    out: dict[str, Any] = {}
    narratives = [f"【原{i.label}】\n{f['narrative']}" for i, f in parts if f.get("narrative")]
    if narratives:
        out["narrative"] = "\n\n".join(narratives)
    remarks = [f["remark"] for _, f in parts if f.get("remark")]
    if remarks:
        out["remark"] = "；".join(remarks)
    evidence = [row for _, f in parts for row in f.get("evidence", [])]
    if evidence:
        out["evidence"] = evidence
    for _ind, f in parts:  # any other field: the first answer given
        for key, value in f.items():
            if key not in ("narrative", "remark", "evidence", "rating"):
                out.setdefault(key, value)
    ratings = {f.get("rating") for _, f in parts} - {None}
    note = ""
    if len(ratings) == 1:
        out["rating"] = ratings.pop()
    elif ratings:
        shown = "、".join(
            f"{i.label}“{i.scale.option_text(f['rating'])}”" for i, f in parts if f.get("rating")
        )
        note = f"原自评不一致（{shown}），请重新选择"
    return out, note


def _copy_files(
    old: Project,
    new: Project,
    a: Assessment,
    carried: set[int],
    progress: Progress | None,
) -> tuple[set[str], list[str]]:
    """The stored files of the carried indicators OLD → NEW, stored chunks copied across
    with their hashes (never a whole file in memory, never a temporary file on the disk)."""
    wanted: dict[str, int] = {}
    rows: dict[str, str] = {}
    for ans in a.answers.values():
        if ans.no not in carried:
            continue
        for pos, item in enumerate(ans.evidence, start=1):
            if item.sha256 is not None:
                wanted[item.sha256] = item.size or 0
                ind = a.indicator_set.indicator(ans.no)
                rows.setdefault(item.sha256, f"{ind.label}佐证材料目录第{pos}行“{item.name}”")
    from csr_desktop.core.room import check_room

    total = sum(wanted.values())
    check_room(new.path, total)  # refused by name before the first chunk is copied
    done = 0
    copied: set[str] = set()
    damaged: list[str] = []
    for sha, size in wanted.items():
        try:
            new.copy_file_from(old, sha)
        except StoredFileDamaged:  # OLD's copy; a failure to write NEW stops the carry-over
            damaged.append(rows[sha])
            continue
        copied.add(sha)
        done += size
        if progress is not None and not progress(done, total):
            raise Cancelled()
    return copied, damaged


def _remove_project(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            p.unlink()
