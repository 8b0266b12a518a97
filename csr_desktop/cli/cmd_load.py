"""`csr-desktop load JSON PROJECT [--force] [--allow-outside]`: a project from interchange JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.output import EXIT_OK, did, say
from csr_desktop.formats import interchange


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("json", type=Path)
    p.add_argument("project", type=Path)
    p.add_argument("--force", action="store_true", help="覆盖已存在的项目文件")
    p.add_argument(
        "--allow-outside", action="store_true", help="允许复制 JSON 所在文件夹之外的佐证材料"
    )


def run(args: argparse.Namespace) -> int:
    interchange.load(
        args.json,
        args.project,
        force=args.force,
        allow_outside=args.allow_outside,
        tell=lambda lines: say(*lines),
    )
    did(f"已创建项目 {args.project}")
    say(f"已创建项目 {args.project}")
    return EXIT_OK
