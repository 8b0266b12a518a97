"""`csr-desktop attach PROJECT 1..28 FILE...` (evidence) or `attach PROJECT letter|cover SCAN`."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.output import EXIT_OK, did, out, say
from csr_desktop.core.attach import attach_evidence
from csr_desktop.formats.scans import attach_from_cli


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path)
    p.add_argument("target", help="三级指标序号 1–28，或 letter（承诺书）/ cover（封面）")
    p.add_argument("files", type=Path, nargs="+")


def run(args: argparse.Namespace) -> int:
    if args.target in ("letter", "cover"):
        attach_from_cli(args.project, args.target, args.files, out())
        did("已附上签章扫描件")
        return EXIT_OK
    done = attach_evidence(args.project, args.target, args.files)
    if done.added:
        did("已添加")
    say(*done.lines)
    return EXIT_OK
