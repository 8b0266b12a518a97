"""The report a project holds (`report.source`): loaded into it, read back, ranked once.

What the window's 参考素材 panel shows and what its buttons do, as commands on the project,
so the window only displays and forwards clicks."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.errors import InputFileError, quoted
from csr_desktop.core.indicators import IndicatorSet
from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.operations.evidence import set_evidence
from csr_desktop.core.operations.ingest import ingest_one
from csr_desktop.core.report_source import (
    HIDDEN_KEY,
    SOURCE_KEY,
    hidden_for,
    passage_id,
    with_hidden,
)
from csr_desktop.formats.report import SUFFIXES, Report, read_report
from csr_desktop.formats.report.rank import Suggestion
from csr_desktop.formats.report.suggestions import queries_for

if TYPE_CHECKING:
    from csr_desktop.core.store import Project

CANDIDATES = 8  # ranked per indicator, so that hiding some still leaves others to show
SHOWN = 3


@dataclass(frozen=True, slots=True)
class Ranked:
    """A stored report with the candidate passages of every indicator."""

    sha256: str
    name: str
    report: Report
    candidates: dict[int, list[Suggestion]]


_cache: dict[tuple[str, str, str], Ranked] = {}


Progress = Callable[[int, int], bool]
Runner = Callable[[Callable[[Progress], "Prepared"]], "Prepared"]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A report read and ranked, not yet tied to a stored file."""

    report: Report
    candidates: dict[int, list[Suggestion]]


def prepare(path: Path, iset: IndicatorSet, progress: Progress | None = None) -> Prepared:
    """Read and rank a report: the long part, safe on a worker thread (it touches no project)."""
    from csr_desktop.formats.report.rank import suggest

    report = read_report(path, progress)
    return Prepared(report, suggest(report.passages, queries_for(iset), CANDIDATES))


def _in_line(job: Callable[[Progress], Prepared]) -> Prepared:
    return job(lambda _done, _total: True)


def load_into(project: Project, path: Path, run: Runner = _in_line) -> Ranked:
    """Read the report (refusing what cannot be read before anything is stored), store it
    like evidence and name it in `report.source`: one undo step. `run` runs the reading
    (the window: on a worker thread behind a progress dialog)."""
    path = Path(path)
    iset = project.indicator_set
    prepared = run(lambda progress: prepare(path, iset, progress))  # a bad file stops here
    stored = ingest_one(project, path)
    ranked = _keep(project, stored.sha256, path.name, prepared)  # before the change notice
    project.set(
        SOURCE_KEY,
        {"name": path.name, "sha256": stored.sha256, "size": stored.size},
        f"载入社会责任报告：{path.name}（{len(prepared.report.passages)} 段）",
    )
    return ranked


def _keep(project: Project, sha256: str, name: str, prepared: Prepared) -> Ranked:
    iset = project.indicator_set
    report = Report(name, prepared.report.passages, prepared.report.pages)
    ranked = Ranked(sha256, name, report, prepared.candidates)
    _cache[(sha256, iset.id, iset.version)] = ranked
    return ranked


def has_report(project: Project) -> bool:
    return bool(project.get(SOURCE_KEY))


def cached(project: Project) -> Ranked | None:
    """The project's report if it was already read and ranked this session."""
    source = project.get(SOURCE_KEY)
    if not source:
        return None
    iset = project.indicator_set
    return _cache.get((source["sha256"], iset.id, iset.version))


def current(project: Project, run: Runner = _in_line) -> Ranked | None:
    """The project's report, read and ranked (once per session), or None if it has none."""
    if not has_report(project):
        return None
    known = cached(project)
    if known is not None:
        return known
    source = project.get(SOURCE_KEY)
    iset = project.indicator_set
    name = source["name"]
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputFileError(f"{quoted(name)}：无法读取这种文件", f"{name}: unsupported")
    if project.stored_file(source["sha256"]) is None:
        raise InputFileError(
            f"项目中找不到已载入的社会责任报告 {quoted(name)}，请重新载入",
            f"{name}: not stored in the project",
        )
    with tempfile.TemporaryDirectory(prefix="csr-report-") as folder:
        copy = Path(folder) / f"report{suffix}"
        with open(copy, "wb") as out:
            project.copy_file_to(source["sha256"], out)
        prepared = run(lambda progress: prepare(copy, iset, progress))
    return _keep(project, source["sha256"], name, prepared)


def shown(project: Project, ranked: Ranked, no: int) -> list[Suggestion]:
    """What the panel shows for indicator `no`: the best passages not marked 不相关."""
    hidden = hidden_for(project.get(HIDDEN_KEY), no)
    out = [s for s in ranked.candidates.get(no, []) if _pid(s) not in hidden]
    return out[:SHOWN]


def all_hidden(project: Project, ranked: Ranked, no: int) -> bool:
    """Whether passages were found for indicator `no` and the user marked every one 不相关
    (the panel says so, rather than that the report has nothing)."""
    return bool(ranked.candidates.get(no)) and not shown(project, ranked, no)


def _pid(s: Suggestion) -> str:
    return passage_id(s.passage.heading_text, s.passage.text)


def _where(ranked: Ranked, s: Suggestion) -> str:
    page = f" 第 {s.passage.page} 页" if s.passage.page else ""
    return f"《{ranked.name}》{page}"


def insert_into_narrative(project: Project, ranked: Ranked, no: int, s: Suggestion) -> bool:
    """Append the passage to the 相关工作情况介绍: one undo step; the audit names the source."""
    key = FieldRef.indicator(no, "narrative").key
    current_text = project.get(key) or ""
    sep = "\n" if current_text.endswith("\n") else ("\n\n" if current_text else "")
    label = project.indicator_set.indicator(no).label
    return bool(
        project.set(
            key, current_text + sep + s.passage.text, f"{label}插入参考素材：{_where(ranked, s)}"
        )
    )


def add_as_evidence(project: Project, ranked: Ranked, no: int, s: Suggestion) -> bool:
    """Add the report itself to the 佐证材料目录, the page (and heading) in 备注."""
    stored = project.stored_file(ranked.sha256)
    size = stored.size if stored is not None else 0
    page = f"第 {s.passage.page} 页：" if s.passage.page else ""
    remark = f"{page}{s.passage.heading[-1] if s.passage.heading else ''}".rstrip("：")
    item = EvidenceItem(Path(ranked.name).stem, remark, ranked.name, ranked.sha256, size)
    evidence = list(project.assessment().answer(no).evidence)
    label = f"{project.indicator_set.indicator(no).label}添加佐证材料：{_where(ranked, s)}"
    return set_evidence(project, no, [*evidence, item], label).done


def mark_irrelevant(project: Project, no: int, s: Suggestion) -> bool:
    """Hide the passage for this indicator (and only for it)."""
    label = project.indicator_set.indicator(no).label
    value = with_hidden(project.get(HIDDEN_KEY), no, _pid(s))
    return bool(project.set(HIDDEN_KEY, value, f"{label}参考素材标为不相关"))
