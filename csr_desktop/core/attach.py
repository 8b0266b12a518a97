"""`attach PROJECT TARGET FILE...`: evidence files added from the command line.

The same operation as the window's 添加文件 (`operations.evidence.add_evidence`): one catalogue
row per file, named after it, one undo step and one transaction for the rows. A file already in
the indicator's catalogue (same SHA-256) is not listed twice: a retried attach, or the same file
picked twice, must not grow the submitted 目录."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.core.operations.evidence import add_evidence
from csr_desktop.core.operations.ingest import check_files
from csr_desktop.core.store import Project
from csr_desktop.core.units import human_size


class Attached(NamedTuple):
    """What `attach` did: the lines to print, and whether a row was added (committed)."""

    lines: list[str]
    added: int


def _indicator_no(project: Project, target: str) -> int:
    numbers = [ind.no for ind in project.indicator_set.indicators]
    if target.strip().isdigit() and int(target) in numbers:
        return int(target)
    raise CsrError(
        f"附件目标“{target}”无效：应为指标序号 {numbers[0]}–{numbers[-1]}，或 letter / cover",
        f"bad attach target {target!r}",
    )


def attach_evidence(project_path: Path, target: str, files: list[Path]) -> Attached:
    """Attach `files` to indicator `target` (1–28), skipping any already in its catalogue.

    `letter` / `cover` (the stamped scans) are `formats.evidence.scan_files`' job: the CLI sends them there."""
    check_files(files)  # before the project is opened: a wrong file changes nothing
    with Project.open(project_path) as project:
        no = _indicator_no(project, target)
        if project.readonly:
            raise CsrError(
                project.readonly_reason or f"项目文件 {quoted(project_path)} 只能以只读方式打开",
                f"{project_path} is read-only",
            )
        added = add_evidence(project, no, files)
        label = project.indicator_set.indicator(no).label
        skipped = dict(added.skipped)
        rows = iter(added.items)
        lines: list[str] = []
        for place, path in enumerate(files):
            if place in skipped:
                lines.append(
                    f"{quoted(path)} 已在第{no}项佐证材料目录第{skipped[place]}行（SHA-256 相同），"
                    "未重复添加"
                )
                continue
            item = next(rows)
            lines.append(
                f"已添加到{label}：{item.name}（{item.file_name}，{human_size(item.size or 0)}，"
                f"SHA-256 {item.sha256}）"
            )
        return Attached(lines, len(added.items))
