"""`attach PROJECT TARGET FILE...`: evidence files added from the command line.

The same ingest as the window's 添加文件 (`Project.add_evidence_files`): one catalogue row per
file, named after it, one undo step and one transaction for the rows."""

from __future__ import annotations

import stat
from pathlib import Path

from csr_desktop.core.errors import CsrError, InputFileError, quoted
from csr_desktop.core.store import Project
from csr_desktop.core.units import human_size


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


def attach_evidence(project_path: Path, target: str, files: list[Path]) -> list[str]:
    """Attach `files` to indicator `target` (1–28); returns the lines to print.

    `letter` / `cover` (the stamped scans) are `formats.scans`' job: the CLI sends them there."""
    check_regular_files(files)
    with Project.open(project_path) as project:
        no = _indicator_no(project, target)
        if project.readonly:
            raise CsrError(
                project.readonly_reason or f"项目文件 {quoted(project_path)} 只能以只读方式打开",
                f"{project_path} is read-only",
            )
        items = project.add_evidence_files(no, files)
        label = project.indicator_set.indicator(no).label
        return [
            f"已添加到{label}：{item.name}（{item.file_name}，{human_size(item.size or 0)}，"
            f"SHA-256 {item.sha256}）"
            for item in items
        ]
