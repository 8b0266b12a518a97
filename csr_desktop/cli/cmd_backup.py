"""`csr-desktop backup PROJECT [--to DIR]`: a backup now; prints its id, path and new bytes."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.backup_folder import add_to_option, backup_root
from csr_desktop.cli.output import EXIT_OK, say
from csr_desktop.core.backups.take import take_backup


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path)
    add_to_option(p)


def run(args: argparse.Namespace) -> int:
    result = take_backup(args.project, backup_root(args))
    say(result.line())
    say(*(f"按保留规则删除了旧备份 {name}" for name in result.dropped))
    if result.full_check:
        say(
            f"已重新核对备份文件夹中每个文件的 SHA-256（每周一次）："
            f"{len(result.damaged)} 个损坏" + ("" if not result.damaged else "，已删除并重新复制")
        )
    return EXIT_OK
