"""`csr-desktop new-year OLD NEW [--indicator-set FILE]`: next year's project, every indicator
待复核."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.output import EXIT_OK, did, say
from csr_desktop.core.carry_over import carry_over, read_indicator_set


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", type=Path)
    p.add_argument("new", type=Path)
    p.add_argument("--indicator-set", type=Path, help="新版指标体系 JSON（按其对照表移动答案）")


def run(args: argparse.Namespace) -> int:
    iset = read_indicator_set(args.indicator_set) if args.indicator_set else None
    report = carry_over(args.old, args.new, iset)
    did(f"已创建新项目 {args.new}")
    say(*report.lines())
    return EXIT_OK
