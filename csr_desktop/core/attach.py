"""`attach PROJECT TARGET FILE...`: evidence files added from the command line.

The same ingest as the window's 添加文件 (`Project.add_evidence_files`): one catalogue row per
file, named after it, one undo step and one transaction for the rows. A file already in the
indicator's catalogue (same SHA-256) is not listed twice: a retried attach, or the same file
picked twice, must not grow the submitted 目录 (`catalogue_row`, used by the window too)."""

from __future__ import annotations

import stat
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.errors import CsrError, InputFileError, quoted
from csr_desktop.core.store import Project
from csr_desktop.core.units import human_size


class Attached(NamedTuple):
    """What `attach` did: the lines to print, and whether a row was added (committed)."""

    lines: list[str]
    added: int


def catalogue_row(items: Sequence[EvidenceItem], sha256: str) -> int | None:
    """The 1-based 目录 row that already holds this file (same SHA-256), or None.

    The one rule for "this file is already in this indicator's catalogue": the CLI skips such
    a file, the window asks (仍要添加 / 跳过)."""
    for row, item in enumerate(items, start=1):
        if item.sha256 == sha256:
            return row
    return None


def _indicator_no(project: Project, target: str) -> int:
    numbers = [ind.no for ind in project.indicator_set.indicators]
    if target.strip().isdigit() and int(target) in numbers:
        return int(target)
    raise CsrError(
        f"附件目标“{target}”无效：应为指标序号 {numbers[0]}–{numbers[-1]}，或 letter / cover",
        f"bad attach target {target!r}",
    )


def check_regular_files(paths: list[Path]) -> None:
    """Refuse, by name and before copying anything, what is not an ordinary file."""
    for p in paths:
        try:
            st = p.stat()
        except FileNotFoundError as exc:
            raise InputFileError(f"找不到文件 {quoted(p)}", f"file not found: {p}") from exc
        except OSError as exc:
            raise InputFileError(
                f"无法读取文件 {quoted(p)}：{exc.strerror or exc}", f"cannot read {p}: {exc}"
            ) from exc
        if stat.S_ISDIR(st.st_mode):
            raise InputFileError(f"{quoted(p)} 是文件夹，不是文件", f"{p} is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise InputFileError(
                f"{quoted(p)} 不是普通文件（设备、管道等），不能作为佐证材料", f"{p} is special"
            )


def attach_evidence(project_path: Path, target: str, files: list[Path]) -> Attached:
    """Attach `files` to indicator `target` (1–28), skipping any already in its catalogue.

    `letter` / `cover` (the stamped scans) are `formats.evidence.scan_files`' job: the CLI sends them there."""
    check_regular_files(files)
    with Project.open(project_path) as project:
        no = _indicator_no(project, target)
        if project.readonly:
            raise CsrError(
                project.readonly_reason or f"项目文件 {quoted(project_path)} 只能以只读方式打开",
                f"{project_path} is read-only",
            )
        stored = project.store_files(files)  # a file already stored is not copied again
        listed = list(project.assessment().answer(no).evidence)
        label = project.indicator_set.indicator(no).label
        lines: list[str] = []
        new_paths, new_stored = [], []
        for path, file in zip(files, stored, strict=True):
            row = catalogue_row(listed, file.sha256)
            if row is None:
                listed.append(EvidenceItem(path.stem, "", path.name, file.sha256, file.size))
                new_paths.append(path)
                new_stored.append(file)
                lines.append(
                    f"已添加到{label}：{path.stem}（{path.name}，{human_size(file.size)}，"
                    f"SHA-256 {file.sha256}）"
                )
            else:
                lines.append(
                    f"{quoted(path)} 已在第{no}项佐证材料目录第{row}行（SHA-256 相同），未重复添加"
                )
        if new_paths:
            project.add_evidence_files(no, new_paths, stored=new_stored)
        return Attached(lines, len(new_paths))
