"""`csr-desktop restore BACKUP NEW`: a backup (id or .csrbak path) as a new project."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.output import EXIT_OK, say
from csr_desktop.core.backups.listing import find_backup
from csr_desktop.core.backups.restore import restore


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("backup", help="备份编号（backups 列出的）或备份文件路径")
    p.add_argument("new", type=Path)


def run(args: argparse.Namespace) -> int:
    report = restore(find_backup(args.backup), args.new)
    say(report.line())
    return EXIT_OK
