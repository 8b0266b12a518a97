"""`csr-desktop import-xlsx XLSX PROJECT [--dry-run] [--on-conflict keep|take]`: print the
plan's changes (xlsx_import.ImportPlan), apply them unless `--dry-run`; exit 0, or 1 with
nothing applied when conflicts are left unresolved (no `--on-conflict`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from csr_desktop.cli.output import EXIT_FINDINGS, EXIT_OK, did, out
from csr_desktop.core.errors import InputFileError, quoted
from csr_desktop.core.store import Project
from csr_desktop.core.visible import visible
from csr_desktop.formats.xlsx.importer import apply_import, plan_import


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("xlsx", type=Path)
    p.add_argument("project", type=Path)
    p.add_argument("--dry-run", action="store_true", help="只显示将要做的修改")
    p.add_argument("--on-conflict", choices=("keep", "take"), help="冲突时保留项目或采用工作簿")


def run(args: argparse.Namespace) -> int:
    code = import_workbook(args.xlsx, args.project, args.dry_run, out(), args.on_conflict)
    if code == EXIT_OK and not args.dry_run:
        did("导入已完成")
    return code


def import_workbook(
    xlsx: Path, project: Path, dry_run: bool, out: TextIO, on_conflict: str | None = None
) -> int:
    """Plan, print, apply: the whole command on the stream `out`."""
    xlsx, project = Path(xlsx), Path(project)
    if not xlsx.is_file():
        raise InputFileError(f"找不到工作簿 {quoted(xlsx)}", f"no such workbook: {xlsx}")
    with Project.open(project, readonly=dry_run) as proj:
        plan = plan_import(proj, xlsx)

        def say(text: str) -> None:  # a colleague's cell text: shown, never obeyed
            print(visible(text), file=out)

        for warning in plan.warnings:
            say(f"提示：{warning}")
        for line in plan.refused:
            say(line)
        if not plan.changes and not plan.conflicts:
            print(f"{quoted(xlsx)} 与项目内容一致，没有需要导入的修改。", file=out)
            return EXIT_OK
        mode = "（三方合并：只取同事改动过的内容）" if plan.three_way else "（与项目当前内容比较）"
        print(f"{quoted(xlsx)} 中有 {len(plan.changes)} 处修改{mode}：", file=out)
        for line in plan.describe():
            say(f"  {line}")
        for att in plan.attachments:
            say(f"  {att.describe()}")
        for c in plan.conflicts:
            say(f"  {c.describe()}")
        if plan.conflicts and on_conflict is None:
            print(
                f"有 {len(plan.conflicts)} 处冲突未解决，未导入任何修改。"
                "请用 --on-conflict keep（保留项目中的内容）或 --on-conflict take"
                "（采用工作簿中的内容）重新导入，或在软件中逐条选择。",
                file=out,
            )
            return EXIT_FINDINGS
        if dry_run:
            print("（试运行：项目未做任何修改）", file=out)
            return EXIT_OK
        take = [c.key for c in plan.conflicts] if on_conflict == "take" else []
        applied = apply_import(proj, plan, take)
        print(
            f"已导入 {applied} 处修改到 {quoted(project)}（可在软件中一步撤销）。",
            file=out,
        )
    return EXIT_OK
