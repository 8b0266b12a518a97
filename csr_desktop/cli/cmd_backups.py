"""`csr-desktop backups PROJECT [--to DIR]`: id, time, size, what changed and by whom."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.backup_folder import add_to_option, backup_root
from csr_desktop.cli.output import EXIT_OK, say
from csr_desktop.core.backups import files
from csr_desktop.core.backups.listing import list_for_project
from csr_desktop.core.backups.take import policy_words


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path)
    add_to_option(p)


def run(args: argparse.Namespace) -> int:
    folder, found = list_for_project(args.project, backup_root(args))
    if not found:
        say(f"没有备份（备份文件夹：{folder}）")
        return EXIT_OK
    for info in found:
        say(
            f"{info.id}  {info.when()}  {info.size / 1e6:.1f} MB  {info.files} 个文件  "
            f"{info.changed_words()}  修改人：{info.by_whom()}",
            f"    {info.path}",
        )
    used = files.folder_size(folder)
    say(f"共 {len(found)} 份备份，占用 {used / 1e6:.1f} MB（{folder}）；{policy_words()}")
    return EXIT_OK
