"""`csr-desktop import-xlsx XLSX PROJECT [--dry-run] [--on-conflict keep|take]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.output import EXIT_OK, did, out
from csr_desktop.formats import xlsx_import


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("xlsx", type=Path)
    p.add_argument("project", type=Path)
    p.add_argument("--dry-run", action="store_true", help="只显示将要做的修改")
    p.add_argument("--on-conflict", choices=("keep", "take"), help="冲突时保留项目或采用工作簿")


def run(args: argparse.Namespace) -> int:
    code = xlsx_import.run_cli(args.xlsx, args.project, args.dry_run, out(), args.on_conflict)
    if code == EXIT_OK and not args.dry_run:
        did("导入已完成")
    return code
