"""`csr-desktop suggest PROJECT REPORT [--top N] [--json]`: passages of a CSR report for each
indicator, best first."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from csr_desktop.cli.output import EXIT_OK, out, say
from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project
from csr_desktop.formats.report.suggest_cli import as_json, plain_lines, suggestions_for


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path)
    p.add_argument("report", type=Path)
    p.add_argument("--top", type=int, default=3, help="每项指标最多列出几段（默认 3）")
    p.add_argument("--json", action="store_true", help="输出 JSON")


def run(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise CsrError("--top 必须是正整数", "--top must be at least 1")
    with Project.open(args.project, readonly=True) as opened:
        iset = opened.indicator_set
    report, found = suggestions_for(iset, args.report, args.top)
    if args.json:
        stream = out()
        stream.write(json.dumps(as_json(report, found), ensure_ascii=False, indent=2))
        stream.write("\n")
    else:
        say(*plain_lines(iset, report, found))
    return EXIT_OK
